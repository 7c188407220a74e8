//! `field`: a personalisation value the letter must state.

use tera::Value;
use tera::value::Key;

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::fields::{Typed, typed};
use crate::locale::format::{DateStyle, Formats};
use crate::rules::Checking;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Block, Describing, Group};
use crate::rules::text::Folded;

/// `field` in the handbook: its name and example (its words are `kind-field-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "field",
    example: "kind = \"field\"\napplies_to = [\"complaint-reply\"]\nfields = [\"customer.name\", \"complaint.number\"]",
};

/// Looks up a dotted path in the template's values (a number steps into a list).
pub fn lookup<'a>(fields: &'a tera::Map, path: &'a str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let mut value = fields.get(&Key::Str(segments.next()?))?;
    for segment in segments {
        value = match value.as_map() {
            Some(map) => map.get(&Key::Str(segment))?,
            None => value.as_array()?.get(segment.parse::<usize>().ok()?)?,
        };
    }
    Some(value)
}

/// How the letter may print a value: every form a reader could find it in.
pub fn printed_forms(value: &Value, formats: &Formats) -> Vec<String> {
    if let Some(s) = value.as_str() {
        return vec![s.to_string()];
    }
    match typed(value) {
        Some(typed) => forms_of(&typed, formats).collect(),
        None => value.as_i64().map(|i| vec![i.to_string()]).unwrap_or_default(),
    }
}

/// The printed forms of money (one) and of a date (long, short, medium), made one at a time
/// so that a search can stop at the first it finds.
fn forms_of<'a>(typed: &'a Typed, formats: &'a Formats) -> impl Iterator<Item = String> + 'a {
    let count = if matches!(typed, Typed::Money(..)) { 1 } else { 3 };
    [DateStyle::Long, DateStyle::Short, DateStyle::Medium].into_iter().take(count).map(move |style| {
        let mut s = String::new();
        match typed {
            Typed::Money(amount, currency) => {
                let _ = formats.money(amount, currency, &mut s);
            }
            Typed::Date(date) => formats.date(*date, style, &mut s),
        }
        s
    })
}

/// A `field` rule: the values of these fields appear in the letter.
#[derive(Debug, Clone)]
pub struct Field {
    /// Field paths.
    pub fields: Vec<String>,
}

/// Reads a `field` rule: `fields`, at least one path.
pub(crate) fn parse(p: Parsing<'_>) -> Result<Kind> {
    if p.raw.fields.is_empty() {
        return Err(p.bad("a `field` rule needs `fields`".into(), "add fields = [\"customer.name\"]"));
    }
    Ok(Kind::Field(Field { fields: p.raw.fields.clone() }))
}

impl RuleKind for Field {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports each listed field whose value the letter does not state.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let prepared = at.prepared;
        for path in &self.fields {
            let Some(value) = lookup(prepared.input.fields, path) else { continue };
            let in_letter = |form: &str| {
                let folded = Folded::text(form);
                folded.len() > 2 && prepared.text.text.contains(folded.as_str())
            };
            // The forms a reader could find it in, cheapest first; most letters use the first.
            let found = if let Some(s) = value.as_str() {
                in_letter(s)
            } else if let Some(typed) = typed(value) {
                forms_of(&typed, prepared.input.formats).any(|form| in_letter(&form))
            } else if let Some(i) = value.as_i64() {
                in_letter(&i.to_string())
            } else {
                continue;
            };
            if !found {
                let forms = printed_forms(value, prepared.input.formats);
                let mut d = at.finding(Some(format!("`{path}` = „{}” is not in the letter", forms[0])));
                d.help =
                    Some(format!("print `{path}` in the template, or pass it to the message that should state it"));
                out.push(d);
            }
        }
    }

    fn group(&self) -> Group {
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        vec![Block::Fields {
            lead: with.words.spans("field-lead", &[]),
            fields: self.fields.iter().map(|path| (path.clone(), (with.field)(path))).collect(),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path walks maps by name and lists by position; anything else is not there.
    #[test]
    fn lookup_walks_maps_and_lists() {
        let record = serde_json::json!({
            "customer": {"name": "Anna Nowak"},
            "invoice": {"lines": [{"description": "Abonament"}, {"description": "Pakiet SMS"}]}
        });
        let value = Value::from_serializable(&record);
        let fields = value.as_map().expect("a map");
        let text = |path| lookup(fields, path).and_then(|v| v.as_str());
        assert_eq!(text("customer.name"), Some("Anna Nowak"));
        assert_eq!(text("invoice.lines.1.description"), Some("Pakiet SMS"));
        assert!(lookup(fields, "invoice.lines").and_then(|v| v.as_array()).is_some_and(|a| a.len() == 2));
        for missing in ["customer.email", "invoice.lines.2.description", "invoice.lines.x", "customer.name.first", ""] {
            assert!(lookup(fields, missing).is_none(), "{missing}");
        }
    }
}
