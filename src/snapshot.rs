//! Snapshot tests (`missive test`): each fixture's letter in each locale, kept as a stable text
//! file beside the fixture (`fixtures/<template>/<case>.<locale>.snap`) and compared on every run.
//!
//! A snapshot holds the subject, the plain text, the HTML, the email's headers, the printed
//! letter's text page by page and the rule findings, in sections a reviewer reads in a pull request. (The email's Date, Message-ID and
//! boundary are derived from the letter, so nothing needs masking.) Output must not depend on the clock: a fixture carries
//! `"_today"`, or the run is given `--today`.
//!
//! A letter that differs from its snapshot (or has none) is written beside it as a pending
//! `<case>.<locale>.snap.new` ([`pending`]) for review; what changed is grouped by [`change`].

pub mod change;
pub mod pending;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::emit::Outputs;
use crate::error::{Error, ErrorKind, Result};
use crate::fields::FieldType;
use crate::render::{Letter, Request};
use crate::standard::Standard;
use crate::standard::fixtures::Fixture;

/// The first line of every snapshot file.
pub const MAGIC: &str = "# missive snapshot";
/// The sections of a snapshot, in order.
pub const SECTIONS: [&str; 6] = ["subject", "text", "html", "email", "pdf", "findings"];

/// What to test.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these templates (all when empty).
    pub templates: Vec<String>,
    /// The letter date for fixtures without `_today`.
    pub today: Option<jiff::civil::Date>,
    /// Write new and changed snapshots (and remove stale ones) instead of failing.
    pub update: bool,
    /// Write each new or changed letter not written as its snapshot as a pending `.snap.new`
    /// beside it, and delete pending files that no longer apply.
    pub pending: bool,
}

/// How one letter compared with its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The same, byte for byte.
    Same,
    /// There was no snapshot (`--update` wrote one when `written`).
    New {
        /// Whether `--update` wrote it.
        written: bool,
    },
    /// The letter changed; the unified diff from the snapshot to the letter.
    Changed {
        /// The diff.
        diff: String,
        /// What changed, section by section, for grouping.
        change: change::Change,
        /// Whether `--update` rewrote the snapshot.
        written: bool,
    },
    /// The snapshot file is not a snapshot (hand-edited, truncated): why, and on which line.
    Corrupt {
        /// What is wrong.
        why: String,
        /// Whether `--update` rewrote it.
        written: bool,
    },
    /// The letter could not be rendered.
    Failed(String),
}

/// One letter of the run.
#[derive(Debug, Clone)]
pub struct Case {
    /// Template id.
    pub template: String,
    /// Fixture case name.
    pub case: String,
    /// Locale tag.
    pub locale: String,
    /// The snapshot file, relative to the standard.
    pub path: String,
    /// How it compared.
    pub status: Status,
    /// Whether the letter as it renders now waits in a pending `.snap.new` beside the snapshot.
    pub pending: bool,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Every letter, in template, case, locale order.
    pub cases: Vec<Case>,
    /// Snapshot files nothing renders any more (removed with `--update`), and whether removed.
    pub stale: Vec<(String, bool)>,
    /// Pending files deleted because they no longer apply: the path and why.
    pub cleaned: Vec<(String, &'static str)>,
}

impl Outcome {
    /// Whether the run fails: a letter that differs, is new, failed, or a stale snapshot — unless
    /// `--update` took care of it (a render failure always fails).
    pub fn fails(&self) -> bool {
        self.cases.iter().any(|c| match &c.status {
            Status::Same => false,
            Status::New { written } | Status::Changed { written, .. } | Status::Corrupt { written, .. } => !written,
            Status::Failed(_) => true,
        }) || self.stale.iter().any(|(_, removed)| !removed)
    }
}

/// The header block of the letter's email, or why there is none. The email is dated noon of the
/// letter's own date ([`Clock::LetterNoon`](crate::clock::Clock)), so it never depends on the
/// day the snapshots are taken.
pub fn email_headers(outputs: &Outputs, letter: &Letter) -> String {
    let envelope = crate::emit::email::Envelope { clock: crate::clock::Clock::LetterNoon, ..Default::default() };
    match crate::emit::email::message(outputs, letter, &envelope) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
            let end = text.find("\n\n").unwrap_or(text.len());
            format!("{}\n", &text[..end])
        }
        Err(e) => format!("no email: {e}\n"),
    }
}

/// The printed letter's text page by page ([`crate::emit::pdf::text`]), or why there is none.
pub fn pdf_text(outputs: &Outputs, letter: &Letter) -> String {
    #[cfg(feature = "pdf")]
    return crate::emit::pdf::text(outputs, letter).unwrap_or_else(|e| format!("no PDF: {e}\n"));
    #[cfg(not(feature = "pdf"))]
    {
        let _ = (outputs, letter);
        "no PDF: this build of missive has none (the `pdf` feature)\n".to_string()
    }
}

/// The snapshot text of a letter; `email` is its header block ([`email_headers`]), `pdf` the
/// printed letter's text ([`pdf_text`]).
pub fn render(letter: &Letter, email: &str, pdf: &str, case: &str) -> String {
    let mut out = format!(
        "{MAGIC} · {} · {case} · {}\n# Written by `missive test --update`; review changes like code.\n",
        letter.template, letter.locale
    );
    let findings = if letter.findings.is_empty() {
        "none\n".to_string()
    } else {
        letter
            .findings
            .iter()
            .map(|d| {
                let suppressed = d.suppressed.as_ref().map(|r| format!(" (suppressed: {r})")).unwrap_or_default();
                format!("{}[{}]: {}{suppressed}\n", d.severity, d.code, d.message)
            })
            .collect()
    };
    for (name, body) in SECTIONS.iter().zip([
        format!("{}\n", letter.subject),
        letter.text.clone(),
        letter.html.clone(),
        email.to_string(),
        pdf.to_string(),
        findings,
    ]) {
        out.push_str("\n=== ");
        out.push_str(name);
        out.push('\n');
        for line in body.lines() {
            // A content line that looks like a section marker is escaped, so parsing stays exact.
            if line.starts_with("===") || line.starts_with('\\') {
                out.push('\\');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Checks that `text` is a snapshot file; `Err` names the line and what is wrong.
pub fn validate(text: &str) -> Result<()> {
    let corrupt = |message: String| Error::new(ErrorKind::Data, message);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first.starts_with(MAGIC) => {}
        _ => return Err(corrupt(format!("line 1: not a missive snapshot (it should start with `{MAGIC}`)"))),
    }
    let mut expected = SECTIONS.iter();
    for (i, line) in lines {
        if let Some(name) = line.strip_prefix("=== ") {
            match expected.next() {
                Some(want) if *want == name => {}
                Some(want) => {
                    return Err(corrupt(format!("line {}: section `{name}` where `{want}` was expected", i + 1)));
                }
                None => return Err(corrupt(format!("line {}: unexpected section `{name}`", i + 1))),
            }
        }
    }
    match expected.next() {
        None => Ok(()),
        Some(missing) => Err(corrupt(format!("the `{missing}` section is missing (was the file cut short?)"))),
    }
}

/// A unified diff from `old` to `new`, three lines of context.
pub fn diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (snapshot)"), &format!("{path} (letter now)"))
        .to_string()
}

/// The snapshot path of a fixture in a locale, relative to the standard.
pub fn path_of(fixture: &Fixture, locale: &str) -> String {
    format!("fixtures/{}/{}.{locale}.snap", fixture.template, fixture.case)
}

/// Renders every fixture of the selected templates in each of its locales and compares.
pub fn run(standard: &Standard, options: &Options) -> Result<Outcome> {
    for id in &options.templates {
        standard.template(id)?;
    }
    let selected =
        |id: &str| options.templates.is_empty() || options.templates.iter().any(|t| t.trim_end_matches(".tera") == id);
    let fixtures = standard.fixtures()?;
    let outputs = Outputs::new(standard);
    let mut outcome = Outcome::default();
    let mut expected = BTreeSet::new();
    for fixture in fixtures.iter().filter(|f| selected(&f.template)) {
        let Ok(template) = standard.template(&fixture.template) else { continue };
        let parsed = crate::json::from_str(&fixture.file.text);
        let record = match parsed {
            Ok(Json::Object(map)) => map,
            other => {
                let why = match other {
                    Err(e) => format!("{}:{}:{}: not valid JSON: {e}", fixture.file.name, e.line(), e.column()),
                    Ok(_) => format!("{}: a fixture is one JSON object", fixture.file.name),
                };
                outcome.cases.push(Case {
                    template: template.id.clone(),
                    case: fixture.case.clone(),
                    locale: "-".into(),
                    path: fixture.file.name.to_string(),
                    status: Status::Failed(why),
                    pending: false,
                });
                continue;
            }
        };
        let locales: Vec<String> = match record.get("_locales") {
            Some(Json::Array(list)) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            _ => standard.locales().tags().into_iter().map(str::to_string).collect(),
        };
        for locale in locales {
            let path = path_of(fixture, &locale);
            expected.insert(path.clone());
            let (status, letter) =
                compare((standard, &outputs), &template.id, fixture, &record, &locale, &path, options);
            let pending = settle_pending(standard.root(), &path, &status, letter.as_deref(), options, &mut outcome)?;
            outcome.cases.push(Case {
                template: template.id.clone(),
                case: fixture.case.clone(),
                locale,
                path,
                status,
                pending,
            });
        }
    }
    for path in existing_snapshots(standard.root())? {
        let template = path.split('/').nth(1).unwrap_or("");
        if selected(template) && !expected.contains(&path) {
            let removed = options.update && std::fs::remove_file(standard.root().join(&path)).is_ok();
            outcome.stale.push((path, removed));
        }
    }
    if options.update || options.pending {
        for path in pending::files(standard.root())? {
            let template = path.split('/').nth(1).unwrap_or("");
            if selected(template) && !expected.contains(path.trim_end_matches(pending::SUFFIX)) {
                remove(standard.root(), &path)?;
                outcome.cleaned.push((path, "no fixture and locale renders its letter any more"));
            }
        }
    }
    Ok(outcome)
}

/// Writes, keeps or deletes the pending file of one letter; returns whether one holds the
/// letter now. When `--update` wrote the snapshot itself, a pending file is done with;
/// a letter that matches its snapshot again leaves nothing to review; a letter that did not
/// render leaves an earlier pending file as it was.
fn settle_pending(
    root: &Path,
    path: &str,
    status: &Status,
    letter: Option<&str>,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<bool> {
    let file = pending::path_of(path);
    let exists = root.join(&file).exists();
    let written = matches!(
        status,
        Status::New { written: true } | Status::Changed { written: true, .. } | Status::Corrupt { written: true, .. }
    );
    match status {
        Status::Failed(_) => Ok(exists),
        _ if written || matches!(status, Status::Same) => {
            if exists && (options.update || options.pending) {
                remove(root, &file)?;
                let why = if written { "the snapshot was updated" } else { "the letter matches its snapshot again" };
                outcome.cleaned.push((file, why));
            }
            Ok(false)
        }
        _ => match letter {
            Some(text) if options.pending => {
                if std::fs::read_to_string(root.join(&file)).ok().as_deref() != Some(text) {
                    write_atomically(&root.join(&file), text).map_err(|e| Error::io(&root.join(&file), e))?;
                }
                Ok(true)
            }
            _ => Ok(exists),
        },
    }
}

fn remove(root: &Path, file: &str) -> Result<()> {
    match std::fs::remove_file(root.join(file)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&root.join(file), e)),
        _ => Ok(()),
    }
}

fn compare(
    (standard, outputs): (&Standard, &Outputs),
    template: &str,
    fixture: &Fixture,
    record: &serde_json::Map<String, Json>,
    locale: &str,
    path: &str,
    options: &Options,
) -> (Status, Option<String>) {
    if record.get("_today").is_none() && options.today.is_none() {
        let why = format!(
            "{} has no \"_today\": a snapshot must not depend on the clock; add \"_today\": \"YYYY-MM-DD\" or pass --today",
            fixture.file.name
        );
        return (Status::Failed(why), None);
    }
    let request = Request {
        template,
        locale: Some(locale),
        today: options.today.filter(|_| record.get("_today").is_none()),
        origin: &fixture.file.name,
        // Snapshots show the printed page too.
        print: true,
        trace: true,
        ..Default::default()
    };
    let letter = match standard.render(&request, record) {
        Ok(letter) => letter,
        Err(e) => {
            let problems: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
            let detail = if problems.is_empty() { String::new() } else { format!(": {}", problems.join("; ")) };
            return (Status::Failed(format!("{e}{detail}")), None);
        }
    };
    let new = render(&letter, &email_headers(outputs, &letter), &pdf_text(outputs, &letter), &fixture.case);
    let file = standard.root().join(path);
    let write = |text: &str| options.update && write_atomically(&file, text).is_ok();
    let status = match std::fs::read_to_string(&file) {
        Err(_) => Status::New { written: write(&new) },
        Ok(old) if old == new => Status::Same,
        Ok(old) => match validate(&old) {
            Err(why) => Status::Corrupt { why: why.to_string(), written: write(&new) },
            Ok(()) => Status::Changed {
                diff: diff(&old, &new, path),
                change: change::Change::between(&old, &new),
                written: write(&new),
            },
        },
    };
    (status, Some(new))
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn existing_snapshots(root: &Path) -> Result<Vec<String>> {
    let files = crate::standard::read_dir_sorted(root, "fixtures", "snap", true)?;
    Ok(files.into_iter().map(|f| f.name.to_string()).collect())
}

/// What the fixtures leave untested.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Templates without any fixture.
    pub templates_without_fixtures: Vec<String>,
    /// (template, locale) pairs no fixture renders.
    pub locales_never_tested: Vec<(String, String)>,
    /// (template, field path) pairs no fixture gives a value.
    pub fields_never_given: Vec<(String, String)>,
    /// (template, locale, how many fixtures render it), for every template and locale.
    pub fixtures: Vec<(String, String, usize)>,
}

/// Measures what the fixtures cover.
pub fn coverage(standard: &Standard) -> Result<Coverage> {
    let fixtures = standard.fixtures()?;
    let mut out = Coverage::default();
    for template in standard.templates() {
        let records: Vec<serde_json::Map<String, Json>> = fixtures
            .iter()
            .filter(|f| f.template == template.id)
            .filter_map(|f| match crate::json::from_str(&f.file.text) {
                Ok(Json::Object(map)) => Some(map),
                _ => None,
            })
            .collect();
        for locale in standard.locales().tags() {
            let n = records.iter().filter(|r| renders_in(r, locale)).count();
            out.fixtures.push((template.id.clone(), locale.to_string(), n));
        }
        if records.is_empty() {
            out.templates_without_fixtures.push(template.id.clone());
            continue;
        }
        for locale in standard.locales().tags() {
            if !records.iter().any(|r| renders_in(r, locale)) {
                out.locales_never_tested.push((template.id.clone(), locale.to_string()));
            }
        }
        for field in template.contract.fields() {
            let given =
                |record: &serde_json::Map<String, Json>| lookup(record, &field.path).is_some_and(|v| !v.is_null());
            if !records.iter().any(given) {
                out.fields_never_given.push((template.id.clone(), field.path.clone()));
            }
            if let FieldType::List(items) = &field.ty {
                for item in items.fields() {
                    let given = records.iter().any(|r| {
                        lookup(r, &field.path)
                            .and_then(Json::as_array)
                            .is_some_and(|list| list.iter().any(|i| i.get(&item.path).is_some_and(|v| !v.is_null())))
                    });
                    if !given {
                        out.fields_never_given.push((template.id.clone(), format!("{}[].{}", field.path, item.path)));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Whether a fixture renders in `locale`: every locale, unless its `_locales` names some.
fn renders_in(record: &serde_json::Map<String, Json>, locale: &str) -> bool {
    match record.get("_locales") {
        Some(Json::Array(list)) => list.iter().any(|v| v.as_str() == Some(locale)),
        _ => true,
    }
}

fn lookup<'a>(record: &'a serde_json::Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut parts = path.split('.');
    let mut value = record.get(parts.next()?)?;
    for part in parts {
        value = value.get(part)?;
    }
    Some(value)
}

/// The error for a run that cannot start.
pub fn no_fixtures(root: &Path) -> Error {
    Error::new(ErrorKind::Usage, format!("{} has no fixtures to test", PathBuf::from(root).join("fixtures").display()))
        .with_help("add sample records as fixtures/<template>/<case>.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_lines_in_content_are_escaped_and_files_validate() {
        let letter = Letter {
            template: "t".into(),
            locale: "pl".into(),
            key: None,
            date: jiff::civil::date(2026, 11, 23),
            title: "T".into(),
            attach_pdf: false,
            subject: "S".into(),
            markdown: String::new(),
            page: None,
            text: "=== text\n\\x\nok\n".into(),
            html: "<p>x</p>\n".into(),
            verbatim: vec![],
            warnings: vec![],
            findings: vec![],
            recipient: None,
            attachments: vec![],
            unsubscribe: None,
        };
        let snap = render(&letter, "To: x@y.pl\n", "--- page 1/1\nx\n", "c");
        assert!(snap.contains("\n\\=== text\n\\\\x\nok\n"), "{snap}");
        assert!(validate(&snap).is_ok());
        assert!(validate("hello").unwrap_err().to_string().contains("line 1"));
        let cut = &snap[..snap.find("=== html").unwrap()];
        assert!(validate(cut).unwrap_err().to_string().contains("`html` section is missing"));
    }

    #[test]
    fn diffs_are_unified_with_context() {
        let d = diff("a\nb\nc\n", "a\nB\nc\n", "fixtures/x/y.pl.snap");
        assert!(d.contains("-b\n+B\n") && d.contains("(snapshot)"), "{d}");
    }
}
