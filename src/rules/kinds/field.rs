//! `field`: a personalisation value the letter must state.

use tera::Value;
use tera::value::Key;

use super::KindDoc;
use crate::diagnostic::Diagnostic;
use crate::fields::{Typed, typed};
use crate::locale::format::{DateStyle, Formats};
use crate::rules::text::Folded;
use crate::rules::{Prepared, Rule, finding};

/// What `field` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "field",
    what: "The value of each listed field appears in the letter as the letter prints it: a name as given, money and dates in the letter's language (a date in its long or short form). A field the record leaves out is not checked.",
    why: "A letter addresses the customer by name, and a complaint reply names the case and the dates it promises; a template that drops them reads like a form letter and leaves the customer guessing.",
    example: "kind = \"field\"\napplies_to = [\"complaint-reply\"]\nfields = [\"customer.name\", \"complaint.number\"]",
    instead: "Print the field in the template (or pass it to the message that should mention it).",
};

/// Looks up a dotted path in the template's values.
pub fn lookup<'a>(fields: &'a tera::Map, path: &'a str) -> Option<&'a Value> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let value = fields.get(&Key::Str(head))?;
    match rest {
        None => Some(value),
        Some(rest) => value.get_from_path(rest),
    }
}

/// How the letter may print a value: every form a reader could find it in.
pub fn printed_forms(value: &Value, formats: &Formats) -> Vec<String> {
    if let Some(s) = value.as_str() {
        return vec![s.to_string()];
    }
    match typed(value) {
        Some(Typed::Money(amount, currency)) => {
            let mut s = String::new();
            let _ = formats.money(&amount, &currency, &mut s);
            vec![s]
        }
        Some(Typed::Date(date)) => [DateStyle::Long, DateStyle::Short, DateStyle::Medium]
            .into_iter()
            .map(|style| {
                let mut s = String::new();
                formats.date(date, style, &mut s);
                s
            })
            .collect(),
        None => value.as_i64().map(|i| vec![i.to_string()]).unwrap_or_default(),
    }
}

/// Reports each listed field whose value the letter does not state.
pub fn check(rule: &Rule, fields: &[String], prepared: &Prepared<'_>, out: &mut Vec<Diagnostic>) {
    for path in fields {
        let Some(value) = lookup(prepared.input.fields, path) else { continue };
        let in_letter = |form: &str| {
            let folded = Folded::new(form);
            folded.text.len() > 2 && prepared.text.text.contains(folded.text.as_str())
        };
        // The forms a reader could find it in, cheapest first; most letters use the first.
        let found = match typed(value) {
            Some(Typed::Date(date)) => {
                [DateStyle::Long, DateStyle::Short, DateStyle::Medium].into_iter().any(|style| {
                    let mut s = String::new();
                    prepared.input.formats.date(date, style, &mut s);
                    in_letter(&s)
                })
            }
            _ => {
                let forms = printed_forms(value, prepared.input.formats);
                if forms.is_empty() {
                    continue;
                }
                forms.iter().any(|f| in_letter(f))
            }
        };
        if !found {
            let forms = printed_forms(value, prepared.input.formats);
            let mut d = finding(rule, Some(format!("`{path}` = „{}” is not in the letter", forms[0])));
            d.help = Some(format!("print `{path}` in the template, or pass it to the message that should state it"));
            out.push(d);
        }
    }
}
