//! `missive rules`: the standard as a handbook, in Markdown or as one HTML page, in the
//! language asked for; `missive rules <id>`: one rule explained, as text or JSON.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Outcome, load, write_output};
use crate::error::{Error, ErrorKind, Result};
use crate::handbook;

/// Flags of `missive rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// One rule to explain (its id, as findings name it); without it, the whole handbook.
    pub id: Option<String>,
    /// The handbook: `md` (Markdown, the default) or `html` (one page to print). One rule:
    /// `text` (the default) or `json`.
    #[arg(long, value_enum)]
    pub format: Option<HandbookFormat>,
    /// The language of the handbook's words: headings, labels, explanations (default: the
    /// standard's default language). `pl-PL` finds `pl`.
    #[arg(long, value_name = "TAG")]
    pub locale: Option<String>,
    /// Where to write it (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Formats of `missive rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HandbookFormat {
    /// The handbook in Markdown.
    Md,
    /// The handbook as one HTML page with its styles inline.
    Html,
    /// One rule, for a person.
    Text,
    /// One rule, for tools.
    Json,
}

/// Runs `missive rules`.
pub fn run(project: &Path, args: &RulesArgs, out: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let locale = args.locale.as_deref();
    let text = match (&args.id, args.format) {
        (None, None | Some(HandbookFormat::Md)) => handbook::markdown(&standard, locale)?,
        (None, Some(HandbookFormat::Html)) => handbook::html(&standard, locale)?,
        (Some(id), None | Some(HandbookFormat::Text)) => handbook::explain(&standard, id, locale)?.text(&standard)?,
        (Some(id), Some(HandbookFormat::Json)) => {
            let explanation = handbook::explain(&standard, id, locale)?;
            let mut json = serde_json::to_string_pretty(&explanation)
                .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the rule as JSON: {e}")))?;
            json.push('\n');
            json
        }
        (None, Some(format)) => {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--format {} is for one rule, and no rule id was given", name(format)),
            )
            .with_help(
                "write the handbook with --format md or html, or name a rule: missive rules <id> --format json",
            ));
        }
        (Some(_), Some(format)) => {
            return Err(Error::new(ErrorKind::Usage, format!("--format {} is for the whole handbook", name(format)))
                .with_help("explain one rule with --format text or json, or leave out the id for the handbook"));
        }
    };
    write_output(args.output.as_deref(), text.as_bytes(), out)?;
    Ok(Outcome::Done)
}

/// A format as typed.
fn name(format: HandbookFormat) -> &'static str {
    match format {
        HandbookFormat::Md => "md",
        HandbookFormat::Html => "html",
        HandbookFormat::Text => "text",
        HandbookFormat::Json => "json",
    }
}
