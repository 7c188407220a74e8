//! `missive rules`: the standard as a handbook, in Markdown or as one HTML page, in the
//! language asked for.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Outcome, load, write_output};
use crate::error::Result;
use crate::handbook;

/// Flags of `missive rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Markdown for a wiki or a pull request, or a self-contained HTML page to print.
    #[arg(long, value_enum, default_value_t = HandbookFormat::Md)]
    pub format: HandbookFormat,
    /// The language of the handbook's words: headings, labels, explanations (default: the
    /// standard's default language). `pl-PL` finds `pl`.
    #[arg(long, value_name = "TAG")]
    pub locale: Option<String>,
    /// Where to write it (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Handbook formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HandbookFormat {
    /// Markdown.
    Md,
    /// One HTML page with its styles inline.
    Html,
}

/// Runs `missive rules`.
pub fn run(project: &Path, args: &RulesArgs, out: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let locale = args.locale.as_deref();
    let text = match args.format {
        HandbookFormat::Md => handbook::markdown(&standard, locale)?,
        HandbookFormat::Html => handbook::html(&standard, locale)?,
    };
    write_output(args.output.as_deref(), text.as_bytes(), out)?;
    Ok(Outcome::Done)
}
