//! `missive render`: one letter from one record.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value as Json;

use super::{Outcome, load, parse_today, report_diagnostics, write_output};
use crate::answer::Refusal;
use crate::clock::Clock;
use crate::error::{Error, ErrorKind, Result};
use crate::render::Request;
use crate::source::{SourceFile, span};

/// Flags of `missive render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template id (a file name in templates/ without `.tera`).
    pub template: String,
    /// The record: a JSON file, or `-` for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub data: PathBuf,
    /// The language (default: the record's `locale`, then the standard's default).
    #[arg(long, value_name = "TAG")]
    pub locale: Option<String>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Where to write it (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Sets or overrides a field: `customer.name=Anna Kowalska` (JSON for lists and objects).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// The letter's date (default: today in the standard's time zone).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<jiff::civil::Date>,
    /// The moment the email says it was written (`Date:`), RFC 3339 with its offset, e.g.
    /// 2026-12-07T09:14:03+01:00 (default: now; shown in the standard's time zone).
    #[arg(long, env = "MISSIVE_NOW", value_name = "MOMENT", value_parser = crate::clock::parse_now)]
    pub now: Option<jiff::Timestamp>,
    /// Write the letter even when it breaks an error-level rule (findings are still reported).
    #[arg(long)]
    pub allow_violations: bool,
}

/// Output formats of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The subject line, a blank line and the plain-text letter.
    Text,
    /// The HTML email body.
    Html,
    /// Subject, text, HTML and findings as JSON; when no letter is written, every error and
    /// finding as JSON instead.
    Json,
    /// An email message (`.eml`): multipart text and HTML, headers from the standard and record.
    Eml,
    /// A printable A4 letter (PDF) for a DL window envelope; use with `-o letter.pdf`.
    Pdf,
}

/// Runs `missive render`. With `--format json` a run that writes no letter (exit 1 or 2) writes
/// its [`Refusal`] instead: every error and finding, the document the server's 422 sends.
pub fn run(project: &Path, args: &RenderArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let result = render(project, args, out, err);
    if let (Format::Json, Err(error)) = (args.format, &result) {
        let refusal = Refusal::of_error(&args.template, error).relative_to(project);
        // The error itself goes to stderr whatever happens to the document.
        let _ = write_output(args.output.as_deref(), &refusal.to_json(), out);
    }
    result
}

fn render(project: &Path, args: &RenderArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let (mut origin, mut record) = read_record(&args.data)?;
    for assignment in &args.set {
        apply_set(&mut record, assignment)?;
    }
    if !args.set.is_empty() {
        origin.push_str(" with --set");
    }
    let request = Request {
        template: &args.template,
        locale: args.locale.as_deref(),
        today: args.today,
        origin: &origin,
        print: args.format == Format::Pdf,
        trace: true,
        ..Default::default()
    };
    let letter = standard.render(&request, &record)?;
    report_diagnostics(&letter.warnings, err);
    report_diagnostics(&letter.findings, err);
    if letter.fails() && !args.allow_violations {
        let _ = writeln!(
            err,
            "error: the letter breaks the standard, so it was not written; fix the template or the record, or pass --allow-violations to write it anyway"
        );
        if args.format == Format::Json {
            write_output(args.output.as_deref(), &Refusal::of_findings(&letter).to_json(), out)?;
        }
        return Ok(Outcome::Findings);
    }
    let outputs = crate::emit::Outputs::new(&standard);
    let bytes = match args.format {
        Format::Text => format!("Subject: {}\n\n{}", letter.subject, letter.text).into_bytes(),
        Format::Html => crate::emit::email::for_browser(&outputs, &letter).html.clone().into_bytes(),
        Format::Eml => {
            let clock = args.now.map_or(Clock::System, Clock::Fixed);
            crate::emit::email::message(
                &outputs,
                &letter,
                &crate::emit::email::Envelope { clock, ..Default::default() },
            )?
        }
        Format::Pdf => crate::emit::pdf::letter_for_record(&outputs, &letter, &record)?,
        Format::Json => crate::answer::letter_json(&crate::emit::email::for_browser(&outputs, &letter))?,
    };
    write_output(args.output.as_deref(), &bytes, out)?;
    Ok(if letter.fails() { Outcome::Findings } else { Outcome::Done })
}

/// Reads one JSON record from a file or `-` (standard input).
pub fn read_record(path: &Path) -> Result<(String, serde_json::Map<String, Json>)> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read standard input: {e}")))?;
        ("stdin".to_string(), text)
    } else {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::new(
                ErrorKind::Data,
                format!("{} is not UTF-8 text (byte {})", path.display(), e.utf8_error().valid_up_to()),
            )
            .with_help("save the record as UTF-8")
        })?;
        (path.display().to_string(), text)
    };
    let file = SourceFile::new(name.clone(), text);
    let value: Json = crate::json::from_str(file.text.trim_start_matches('\u{feff}')).map_err(|e| {
        let at = file.offset(e.line(), e.column().saturating_sub(1));
        Error::new(ErrorKind::Data, format!("{name}:{}:{}: not valid JSON: {e}", e.line(), e.column()))
            .with_span(&file, span(at, 1), "here")
            .with_help("a record is one JSON object, e.g. {\"customer\": {\"name\": \"Anna Kowalska\"}}")
    })?;
    match value {
        Json::Object(map) => Ok((name, map)),
        Json::Array(_) => Err(Error::new(ErrorKind::Data, format!("{name} holds a list of records; render takes one"))
            .with_help("use `missive batch` for many records, or pass one object")),
        other => {
            Err(Error::new(ErrorKind::Data, format!("{name} holds a JSON {}, not a record object", json_kind(&other)))
                .with_help("a record is one JSON object, e.g. {\"customer\": {\"name\": \"Anna Kowalska\"}}"))
        }
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "list",
        Json::Object(_) => "object",
    }
}

/// Applies `--set a.b=value`: JSON when the value starts with `[` or `{`, else a string.
fn apply_set(record: &mut serde_json::Map<String, Json>, assignment: &str) -> Result<()> {
    let usage = |why: &str| {
        Error::new(ErrorKind::Usage, format!("--set {assignment}: {why}"))
            .with_help("write --set customer.name=\"Anna Kowalska\" (JSON for lists: --set 'invoice.lines=[…]')")
    };
    let (path, raw) = assignment.split_once('=').ok_or_else(|| usage("expected PATH=VALUE"))?;
    let value = if raw.trim_start().starts_with(['[', '{']) {
        crate::json::from_str(raw).map_err(|e| usage(&format!("the value is not valid JSON: {e}")))?
    } else {
        Json::String(raw.to_string())
    };
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(usage("the path has an empty part"));
    }
    let mut node = record;
    for segment in &segments[..segments.len() - 1] {
        let entry = node.entry(segment.to_string()).or_insert_with(|| Json::Object(Default::default()));
        if !entry.is_object() {
            *entry = Json::Object(Default::default());
        }
        node = entry.as_object_mut().ok_or_else(|| usage("the path crosses a value that is not an object"))?;
    }
    node.insert(segments[segments.len() - 1].to_string(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_builds_nested_fields() {
        let mut record = serde_json::Map::new();
        apply_set(&mut record, "customer.name=Anna = Kowalska").unwrap();
        apply_set(&mut record, "invoice.lines=[{\"a\": 1}]").unwrap();
        assert_eq!(record["customer"]["name"], "Anna = Kowalska");
        assert_eq!(record["invoice"]["lines"][0]["a"], 1);
        assert!(apply_set(&mut record, "novalue").is_err());
        assert!(apply_set(&mut record, "a..b=1").is_err());
    }
}
