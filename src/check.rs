//! `missive check`: the whole standard checked for CI — static problems found by reading it,
//! then every fixture rendered in every locale and held against the rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::error::{Error, ErrorKind, Result};
use crate::fields::FieldType;
use crate::render::Request;
use crate::rules::kinds::review;
use crate::source::{Location, SourceFile};
use crate::standard::{Standard, Template};

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only these templates (all when empty).
    pub templates: Vec<String>,
    /// The day review dates are compared with, and letters are dated when a fixture has no `_today`.
    pub today: jiff::civil::Date,
}

/// What the check found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Every finding, static and from letters.
    pub diagnostics: Vec<Diagnostic>,
    /// How many letters were rendered and checked.
    pub letters: usize,
    /// How many letters of the fixtures did not render (each failure is a finding, or is
    /// explained by one).
    pub not_rendered: usize,
}

impl Outcome {
    /// Whether anything fails the standard (an unsuppressed error-level finding).
    pub fn fails(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::fails)
    }
}

/// Checks the standard.
pub fn run(standard: &Standard, options: &Options) -> Result<Outcome> {
    for id in &options.templates {
        standard.template(id)?;
    }
    let selected: Vec<&Template> = standard
        .templates()
        .iter()
        .filter(|t| {
            options.templates.is_empty() || options.templates.iter().any(|id| id.trim_end_matches(".tera") == t.id)
        })
        .collect();
    let mut out = Outcome::default();
    placeholders(standard, &mut out.diagnostics);
    reviews(standard, &selected, options, &mut out.diagnostics);
    for template in &selected {
        fields(standard, template, &mut out.diagnostics);
        suppressions_known(standard, template, &mut out.diagnostics);
    }
    let mut missing = MissingMessages::default();
    messages(standard, &selected, &mut missing);
    shells(standard, &mut out.diagnostics);
    unsubscribe_unsigned(standard, &selected, &mut out.diagnostics);
    let fixtures = standard.fixtures()?;
    let outputs = Printing::new(standard, &mut out.diagnostics);
    for template in &selected {
        let mine: Vec<_> = fixtures.iter().filter(|f| f.template == template.id).collect();
        if mine.is_empty() {
            let mut d = Diagnostic::warning(
                "fixtures.missing",
                format!("template `{}` has no fixtures, so no letter of it is checked", template.id),
            );
            d.help = Some(format!("add a sample record as fixtures/{}/<case>.json", template.id));
            d.location = Some(template.file.location(0..1));
            out.diagnostics.push(d);
        }
        let mut silenced = BTreeSet::new();
        for fixture in mine {
            let run = Run { standard, printing: &outputs, options };
            letters(run, template, &fixture.file, &mut missing, &mut silenced, &mut out);
        }
        for s in &template.suppressions {
            if !silenced.contains(&s.rule) && standard.rules().has(&s.rule) {
                let mut d = Diagnostic::warning(
                    "suppression.unused",
                    format!("the suppression of `{}` silences nothing in any fixture of `{}`", s.rule, template.id),
                );
                d.help = Some("remove it: a suppression that silences nothing hides the next real finding".into());
                d.location = Some(s.at.clone());
                out.diagnostics.push(d);
            }
        }
    }
    missing.report(standard, &mut out.diagnostics);
    untranslated(standard, &missing, &mut out.diagnostics);
    for fixture in fixtures.iter().filter(|f| standard.template(&f.template).is_err()) {
        let mut d = Diagnostic::warning(
            "fixtures.orphaned",
            format!("{} is for template `{}`, which does not exist", fixture.file.name, fixture.template),
        );
        d.help = Some("rename the folder to a template's id, or delete the fixture".into());
        d.location = Some(fixture.file.location(0..1));
        out.diagnostics.push(d);
    }
    Ok(out)
}

/// A bulk template's one-click unsubscribing in a standard that does not sign: RFC 8058 asks
/// for the headers under a DKIM signature, and mailbox providers ignore them otherwise.
fn unsubscribe_unsigned(standard: &Standard, selected: &[&Template], out: &mut Vec<Diagnostic>) {
    if standard.dkim().is_some() {
        return;
    }
    for template in selected.iter().filter(|t| t.meta.unsubscribe.is_some()) {
        let mut d = Diagnostic::warning(
            "email.unsubscribe-unsigned",
            format!(
                "`{}` offers one-click unsubscribing, but its emails are not DKIM-signed, so mailbox providers ignore it (RFC 8058)",
                template.id
            ),
        );
        d.help = Some("add `[email.dkim]` to missive.toml (see the README's Email section)".into());
        let at = template.file.text.find("[unsubscribe]").unwrap_or(0);
        d.location = Some(template.file.location(at..at + 1));
        out.push(d);
    }
}

/// `[standard]` and `[sender]` values still holding `missive init`'s placeholders (`«…»`, or an
/// address at the reserved `.invalid` domain): letters would print them, so they are errors
/// until replaced.
fn placeholders(standard: &Standard, out: &mut Vec<Diagnostic>) {
    let config = standard.config();
    let sender = &config.sender;
    let mut values: Vec<(&str, &str, &str)> = vec![
        ("standard", "name", &config.standard.name),
        ("standard", "owner", &config.standard.owner),
        ("sender", "company", &sender.company),
        ("sender", "email", &sender.email),
        ("sender", "place", &sender.place),
    ];
    values.extend(sender.address.iter().map(|line| ("sender", "address", line.as_str())));
    for (key, value) in [
        ("phone", &sender.phone),
        ("website", &sender.website),
        ("bank_account", &sender.bank_account),
        ("registration", &sender.registration),
        ("reply_to", &sender.reply_to),
    ] {
        if let Some(value) = value {
            values.push(("sender", key, value));
        }
    }
    let file = standard.config_file();
    for (section, key, value) in values {
        let placeholder = value.contains('«') || value.trim_end().to_ascii_lowercase().ends_with(".invalid");
        if !placeholder {
            continue;
        }
        let mut d = Diagnostic::new(
            Severity::Error,
            format!("{section}.placeholder"),
            format!("[{section}] {key} is still a placeholder: `{value}`"),
        );
        d.help = Some(format!("write your company's own {} in missive.toml", key.replace('_', " ")));
        let start = file.text.find(&format!("[{section}]")).unwrap_or(0);
        let at = file.text[start..].find(&format!("\n{key} ")).map_or(start, |i| start + i + 1);
        d.location = Some(file.location(at..at + key.len()));
        out.push(d);
    }
}

fn reviews(standard: &Standard, selected: &[&Template], options: &Options, out: &mut Vec<Diagnostic>) {
    let items = review_items(standard, selected);
    out.extend(review::check(&items, options.today, standard.config().rules.review_grace_days));
}

/// What is reviewed, by whom and by when: the standard, each rule pack, and `templates`.
pub(crate) fn review_items<'s>(standard: &'s Standard, templates: &[&'s Template]) -> Vec<review::Item<'s>> {
    let config = standard.config();
    let at = |file: &SourceFile| {
        let offset = file.text.find("review_by").unwrap_or(0);
        Some(file.location(offset..offset + "review_by".len()))
    };
    let mut items = vec![review::Item {
        what: "the standard".into(),
        owner: &config.standard.owner,
        review_by: config.standard.review_by,
        at: at(standard.config_file()),
    }];
    for pack in standard.rules().packs() {
        items.push(review::Item {
            what: format!("rule pack `{}`", pack.id),
            owner: &pack.owner,
            review_by: pack.review_by,
            at: at(&pack.file),
        });
    }
    for template in templates {
        items.push(review::Item {
            what: format!("template `{}`", template.id),
            owner: &template.meta.owner,
            review_by: template.meta.review_by,
            at: at(&template.file),
        });
    }
    items
}

/// Fields declared but never used, and dotted paths used in the body but never declared.
fn fields(standard: &Standard, template: &Template, out: &mut Vec<Diagnostic>) {
    let declared = template.contract.fields();
    for field in declared {
        if field.used_at.is_none() {
            let mut d = Diagnostic::warning(
                "fields.unused",
                format!("`{}` is declared in `{}` but the template never uses it", field.path, template.id),
            );
            d.help = Some("use it in the letter, or remove the declaration so records need not carry it".into());
            d.location = declaration(template, &field.path);
            out.push(d);
        }
    }
    let roots: BTreeSet<&str> = declared.iter().filter_map(|f| f.path.split('.').next()).collect();
    let body = &template.file.text[template.body_offset..];
    let mut seen = BTreeSet::new();
    for (start, path) in dotted_paths(body) {
        let root = path.split('.').next().unwrap_or("");
        if !roots.contains(root) || seen.contains(path) {
            continue;
        }
        let covered = declared.iter().any(|f| {
            path == f.path
                || path.starts_with(&format!("{}.", f.path))
                || (f.path.starts_with(&format!("{path}.")))
                || matches!(f.ty, FieldType::List(_)) && path.starts_with(&f.path)
        });
        if !covered {
            seen.insert(path);
            let offset = template.body_offset + start;
            let mut d = Diagnostic::error(
                "fields.undeclared",
                format!("`{path}` is used in `{}` but not declared in its [fields]", template.id),
            );
            d.help = Some(format!("declare it: \"{path}\" = {{ type = \"text\", required = true }}"));
            d.location = Some(template.file.location(offset..offset + path.len()));
            out.push(d);
        }
    }
    let _ = standard;
}

fn declaration(template: &Template, path: &str) -> Option<Location> {
    let quoted = format!("\"{path}\"");
    let at = template.file.text.find(&quoted)?;
    Some(template.file.location(at..at + quoted.len()))
}

/// Dotted identifiers inside `{{ }}` and `{% %}` tags, with their byte offsets.
fn dotted_paths(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find(['{']).map(|i| from + i) {
        let Some(kind) = text[open + 1..].chars().next() else { break };
        let close = match kind {
            '{' => "}}",
            '%' => "%}",
            _ => {
                from = open + 1;
                continue;
            }
        };
        let Some(len) = text[open..].find(close) else { break };
        let tag = &text[open..open + len];
        let mut in_string = false;
        let mut word_start = None;
        for (i, c) in tag.char_indices().chain(std::iter::once((tag.len(), ' '))) {
            if c == '"' || c == '\'' {
                in_string = !in_string;
            }
            let part = c.is_ascii_alphanumeric() || c == '_' || c == '.';
            match (part && !in_string, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(s)) => {
                    let word = tag[s..i].trim_end_matches('.');
                    if word.contains('.') && word.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        out.push((open + s, word));
                    }
                    word_start = None;
                }
                _ => {}
            }
        }
        from = open + len;
    }
    out
}

/// A message some template uses and some language lacks: (message id, locale tag).
type Missing = (String, String);

/// Messages missing in a language, in the order met, each with where it is used: one finding
/// each, however many calls and letters it breaks.
#[derive(Default)]
struct MissingMessages {
    order: Vec<Missing>,
    uses: BTreeMap<Missing, Use>,
}

/// Where a missing message is used.
#[derive(Default)]
struct Use {
    /// Its `t()` calls.
    calls: Vec<Location>,
    /// The templates using it, in the order met.
    templates: Vec<String>,
    /// The includes leading from the first template to the first call, innermost first.
    includes: Vec<Related>,
}

impl MissingMessages {
    /// Notes a use of a message missing in a language (`key`) by `template`, at `call` when
    /// the call is not known yet.
    fn add(&mut self, key: Missing, template: &str, call: Option<Location>, includes: impl FnOnce() -> Vec<Related>) {
        let used = self.uses.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Use { includes: includes(), ..Use::default() }
        });
        if let Some(call) = call
            && !used.calls.contains(&call)
        {
            used.calls.push(call);
        }
        if !used.templates.iter().any(|t| t == template) {
            used.templates.push(template.to_string());
        }
    }

    /// Whether `key` is known to be missing.
    fn has(&self, key: &Missing) -> bool {
        self.uses.contains_key(key)
    }

    /// One `locale.missing-message` per message and language: at the first call, naming every
    /// template using it, with the includes to the call, the other calls and the message's
    /// definitions in other languages as related places.
    fn report(&self, standard: &Standard, out: &mut Vec<Diagnostic>) {
        for key in &self.order {
            let Some(used) = self.uses.get(key) else { continue };
            let (id, tag) = key;
            let names: Vec<String> = used.templates.iter().map(|t| format!("`{t}`")).collect();
            let by = match names.as_slice() {
                [one] => format!("template {one} uses it"),
                many => format!("templates {} use it", many.join(", ")),
            };
            let mut d = Diagnostic::error(
                "locale.missing-message",
                format!("message `{id}` is missing in locale `{tag}`: {by}"),
            );
            d.help =
                Some(format!("add `{id} = …` to a file in locales/{tag}/ (there is no fallback between languages)"));
            let mut calls = used.calls.iter().cloned();
            d.location = calls.next();
            d.related.extend(used.includes.iter().cloned());
            d.related.extend(calls.map(|location| Related { location, note: format!("also uses `{id}`") }));
            let message = id.split('.').next().unwrap_or(id);
            for other in standard.locales().iter().filter(|l| l.bundle.has(id)) {
                if let Some((_, file, at)) = other.bundle.ids().find(|(i, _, _)| *i == message) {
                    let note = format!("`{id}` in `{}`, to translate", other.tag);
                    d.related.push(Related { location: file.location(at..at + message.len()), note });
                }
            }
            d.locale = Some(tag.clone());
            if let [one] = used.templates.as_slice() {
                d.template = Some(one.clone());
            }
            out.push(d);
        }
    }
}

/// `t(id="…")` calls with a literal id whose message is missing in some locale, in the
/// selected templates and the partials they include.
fn messages(standard: &Standard, selected: &[&Template], missing: &mut MissingMessages) {
    for template in selected {
        // A subject written as a bare message id (`subject = "invoice-subject"`).
        let subject = template.meta.subject.trim();
        if !subject.contains("{{") && !subject.contains("{%") {
            let text = &template.file.text;
            let key = text.find("\nsubject").map_or(0, |i| i + 1);
            let at = text[key..].find(subject).map_or(key, |i| key + i);
            for locale in standard.locales().iter().filter(|l| !l.bundle.has(subject)) {
                let call = template.file.location(at..at + subject.len());
                missing.add((subject.to_string(), locale.tag.clone()), &template.id, Some(call), Vec::new);
            }
        }
        let reached = crate::rules::trace::reachable(&template.file, standard.partials());
        for (index, (file, _)) in reached.iter().enumerate() {
            for (at, id) in message_ids(&file.text) {
                for locale in standard.locales().iter().filter(|l| !l.bundle.has(id)) {
                    let call = file.location(at..at + id.len());
                    let includes = || crate::rules::trace::included(&reached, index);
                    missing.add((id.to_string(), locale.tag.clone()), &template.id, Some(call), includes);
                }
            }
        }
    }
}

/// The message and locale of a render error saying a message is missing (the words of
/// `template::functions`): how a message called by a name computed at render time is found.
fn missing_in(error: &str) -> Option<Missing> {
    let rest = &error[error.find("message `")? + "message `".len()..];
    let (id, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" is missing in locale `")?;
    let (tag, _) = rest.split_once('`')?;
    Some((id.to_string(), tag.to_string()))
}

/// Literal message ids in `t(id="…")` calls, with their offsets.
fn message_ids(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("id=\"") {
        let start = at + 4;
        if let Some(len) = text[start..].find('"') {
            let id = &text[start..start + len];
            if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
                out.push((start, id));
            }
        }
    }
    out
}

/// Messages one language defines and another does not, unless a template uses it and it is
/// reported missing already.
fn untranslated(standard: &Standard, reported: &MissingMessages, out: &mut Vec<Diagnostic>) {
    let locales: Vec<_> = standard.locales().iter().collect();
    for locale in &locales {
        for (id, file, at) in locale.bundle.ids() {
            for other in &locales {
                let missing = if id.starts_with('-') {
                    !other.bundle.ids().any(|(i, _, _)| i == id)
                } else {
                    !other.bundle.has(id)
                };
                let explained = missing && reported.has(&(id.to_string(), other.tag.clone()));
                if other.tag != locale.tag && missing && !explained {
                    let mut d = Diagnostic::warning(
                        "locale.untranslated",
                        format!("`{id}` is defined in `{}` but not in `{}`", locale.tag, other.tag),
                    );
                    d.help =
                        Some(format!("translate it into locales/{}/, or remove it if no template uses it", other.tag));
                    d.location = Some(file.location(at..at + id.len()));
                    out.push(d);
                }
            }
        }
    }
}

/// The email shell's own words, per language, against the `forbid` rules (the words of every
/// letter are checked when the letters are).
fn shells(standard: &Standard, out: &mut Vec<Diagnostic>) {
    let Some(shell) = standard.engine().shell_name() else { return };
    let shell_file = standard.sources().into_iter().find(|f| f.name.ends_with(shell)).cloned();
    for (index, locale) in standard.locales().iter().enumerate() {
        let Some(text) = standard.engine().shell_text(index) else { return };
        let fields = tera::Map::default();
        let input = crate::rules::Input {
            template: shell,
            kind: "layout",
            locale: &locale.tag,
            subject: "",
            text: &text,
            fields: &fields,
            formats: &locale.formats,
            sender: "",
            attachments: 0,
        };
        for mut d in standard.rules().check_forbidden(&input) {
            d.location = match (&d.found, &shell_file) {
                (Some(found), Some(file)) => crate::rules::trace::locate(found, &[file]),
                _ => None,
            };
            out.push(d);
        }
    }
}

fn suppressions_known(standard: &Standard, template: &Template, out: &mut Vec<Diagnostic>) {
    for s in &template.suppressions {
        if !standard.rules().has(&s.rule) {
            let mut d = Diagnostic::error(
                "suppression.unknown-rule",
                format!("the suppression names `{}`, which is not a rule in force", s.rule),
            );
            d.help = Some("check the rule id with `missive rules`, or remove the suppression".into());
            d.location = Some(s.at.clone());
            out.push(d);
        }
        if s.reason.is_empty() {
            let mut d = Diagnostic::warning(
                "suppression.no-reason",
                format!("the suppression of `{}` gives no reason", s.rule),
            );
            d.help = Some("say why after the rule id: {# missive-allow: rule.id — why this letter may #}".into());
            d.location = Some(s.at.clone());
            out.push(d);
        }
    }
}

/// Renders one fixture in each of its locales and collects what went wrong.
fn letters(
    run: Run<'_>,
    template: &Template,
    file: &SourceFile,
    missing: &mut MissingMessages,
    silenced: &mut BTreeSet<String>,
    out: &mut Outcome,
) {
    let Run { standard, printing, options } = run;
    let record = match crate::json::from_str(&file.text) {
        Ok(Json::Object(map)) => map,
        Ok(_) => {
            out.diagnostics.push(fixture_problem(file, None, "the fixture is not a JSON object".into(), None));
            return;
        }
        Err(e) => {
            let at = file.offset(e.line(), e.column().saturating_sub(1));
            out.diagnostics.push(fixture_problem(file, Some(at), format!("the fixture is not valid JSON: {e}"), None));
            return;
        }
    };
    let locales: Vec<String> = match record.get("_locales") {
        Some(Json::Array(list)) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => standard.locales().tags().into_iter().map(str::to_string).collect(),
    };
    for locale in &locales {
        let request = Request {
            template: &template.id,
            locale: Some(locale),
            today: None,
            origin: &file.name,
            trace: true,
            ..Default::default()
        };
        let today_given = record.get("_today").is_some();
        let request = Request { today: (!today_given).then_some(options.today), ..request };
        match standard.render(&request, &record) {
            Ok(letter) => {
                out.letters += 1;
                printing.check(&letter, &record, template, file, locale, &mut out.diagnostics);
                for mut w in letter.warnings {
                    w.template = Some(template.id.clone());
                    w.locale = Some(locale.clone());
                    w.origin = Some(file.name.to_string());
                    w.location = w.location.or_else(|| Some(file.location(0..1)));
                    out.diagnostics.push(w);
                }
                for f in letter.findings {
                    if f.suppressed.is_some() {
                        silenced.insert(f.code.clone());
                    }
                    out.diagnostics.push(f);
                }
            }
            Err(e) => {
                out.not_rendered += 1;
                // A message the standard lacks is one finding already (`locale.missing-message`),
                // not one more per letter it breaks.
                let text = e.to_string();
                if let Some(key) = missing_in(&text) {
                    // Known from the templates' text, or met here first (a message whose id the
                    // template computes): where the render stopped is its call.
                    let call = match e.location() {
                        Some((file, line, column)) if !missing.has(&key) => {
                            Some(Location { file, line, column, length: 1 })
                        }
                        _ => None,
                    };
                    let includes = || {
                        let reached = crate::rules::trace::reachable(&template.file, standard.partials());
                        let file = call.as_ref().map(|c| c.file.as_str());
                        let index = reached.iter().position(|(f, _)| Some(&*f.name) == file);
                        index.map(|i| crate::rules::trace::included(&reached, i)).unwrap_or_default()
                    };
                    missing.add(key, &template.id, call.clone(), includes);
                    continue;
                }
                let mut d = fixture_problem(file, None, text, Some(locale));
                if e.kind() == ErrorKind::Record {
                    let problems: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
                    d.message = format!("{} — {}", e, problems.join("; "));
                } else if let Some((name, line, col)) = e.location() {
                    d.location = Some(Location { file: name, line, column: col, length: 1 });
                }
                d.code = if e.kind() == ErrorKind::Record { "fixture.invalid".into() } else { "render.failed".into() };
                d.help = e.help_text().map(str::to_string);
                d.template = Some(template.id.clone());
                out.diagnostics.push(d);
            }
        }
    }
}

/// What every fixture's letters are checked with.
#[derive(Clone, Copy)]
struct Run<'a> {
    standard: &'a Standard,
    printing: &'a Printing,
    options: &'a Options,
}

/// The PDF outputs, for checking that every letter prints: the house fonts and logo load, and
/// the fonts hold every character of every fixture's letter.
struct Printing {
    #[cfg(feature = "pdf")]
    outputs: Option<crate::emit::Outputs>,
}

impl Printing {
    /// The standard's PDF outputs; a house font or logo that does not load is one finding.
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables, clippy::ptr_arg))]
    fn new(standard: &Standard, out: &mut Vec<Diagnostic>) -> Printing {
        #[cfg(feature = "pdf")]
        {
            let outputs = crate::emit::Outputs::new(standard);
            if let Err(e) = outputs.pdf() {
                let mut d = Diagnostic::error("pdf.assets", e.to_string());
                d.help = e.help_text().map(str::to_string);
                d.location =
                    Some(Location { file: crate::standard::layout::PATH.to_string(), line: 1, column: 1, length: 1 });
                out.push(d);
                return Printing { outputs: None };
            }
            Printing { outputs: Some(outputs) }
        }
        #[cfg(not(feature = "pdf"))]
        Printing {}
    }

    /// Findings for each character of `letter` its PDF font lacks, naming the record's field.
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables, clippy::ptr_arg))]
    fn check(
        &self,
        letter: &crate::render::Letter,
        record: &serde_json::Map<String, Json>,
        template: &Template,
        file: &SourceFile,
        locale: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        #[cfg(feature = "pdf")]
        {
            let Some(outputs) = &self.outputs else { return };
            let missing = match crate::emit::pdf::missing_glyphs(outputs, letter, record) {
                Ok(missing) => missing,
                Err(e) => {
                    let mut d = fixture_problem(file, None, format!("the letter does not print: {e}"), None);
                    d.code = "pdf.failed".into();
                    d.help = e.help_text().map(str::to_string);
                    d.template = Some(template.id.clone());
                    d.locale = Some(locale.to_string());
                    out.push(d);
                    return;
                }
            };
            for m in missing {
                let c = m.character;
                let shown = if c.is_control() { String::new() } else { format!(" `{c}`") };
                let code = format!("U+{:04X}{shown}", u32::from(c));
                let (message, help, location) = match &m.field {
                    Some(field) => (
                        format!("field `{field}` holds {code}, which the PDF font {} lacks", m.font),
                        format!(
                            "a letter with this value would print a hole: use a house font that covers {code} (letter.toml [fonts]), or keep it out of `{field}`"
                        ),
                        // The character in the fixture, where it is written as itself.
                        file.text
                            .find(c)
                            .map_or_else(|| file.location(0..1), |at| file.location(at..at + c.len_utf8())),
                    ),
                    None => (
                        format!("the letter's text holds {code} in {:?}, which the PDF font {} lacks", m.text, m.font),
                        format!(
                            "replace {code} in the template or its messages, or use a house font that covers it (letter.toml [fonts])"
                        ),
                        template.file.location(0..1),
                    ),
                };
                let mut d = Diagnostic::error("pdf.missing-glyph", message);
                d.help = Some(help);
                d.location = Some(location);
                d.template = Some(template.id.clone());
                d.locale = Some(locale.to_string());
                d.origin = Some(file.name.to_string());
                out.push(d);
            }
        }
    }
}

fn fixture_problem(file: &SourceFile, at: Option<usize>, message: String, locale: Option<&String>) -> Diagnostic {
    let mut d = Diagnostic::new(Severity::Error, "fixture.invalid", message);
    let at = at.unwrap_or(0);
    d.location = Some(file.location(at..at + 1));
    d.origin = Some(file.name.to_string());
    d.locale = locale.cloned();
    d
}

/// A load failure as a report line, for formats that must always produce a document.
pub fn load_failure(error: &Error) -> Diagnostic {
    let mut d =
        Diagnostic::error(error.kind().code().trim_start_matches("missive::").to_string() + ".load", error.to_string());
    d.help = error.help_text().map(str::to_string);
    if let Some((file, line, column)) = error.location() {
        d.location = Some(Location { file, line, column, length: 1 });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_inside_tags_only() {
        let text = "Hello customer.name {{ t(id=\"x.y\", n=customer.name) }} {% if invoice.lines | length > 0 %}";
        let paths: Vec<&str> = dotted_paths(text).into_iter().map(|(_, p)| p).collect();
        assert_eq!(paths, ["customer.name", "invoice.lines"]);
    }

    #[test]
    fn a_missing_message_is_read_from_the_render_error() {
        let error =
            "templates/partials/signature.tera:2:4: message `signature-billing` is missing in locale `pl`: add it";
        assert_eq!(missing_in(error), Some(("signature-billing".into(), "pl".into())));
        assert_eq!(missing_in("message `x` in locale `pl` has attributes but no value"), None);
        assert_eq!(missing_in("message `x"), None);
    }

    #[test]
    fn message_ids_are_literal_ids() {
        let ids: Vec<&str> = message_ids("{{ t(id=\"invoice-intro\", a=b) }} {{ t(id=signature) }}")
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        assert_eq!(ids, ["invoice-intro"]);
    }
}
