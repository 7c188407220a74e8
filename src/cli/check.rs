//! `missive check`: the standard checked for CI, reported in the format the caller reads.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::{Outcome, parse_today, write_output};
use crate::check::{self, Options};
use crate::error::{Error, ErrorKind, Result};
use crate::report::{self, Format, Report, RuleInfo};
use crate::snapshot;
use crate::standard::{Standard, Template};

/// Flags of `missive check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these templates (default: all).
    pub templates: Vec<String>,
    /// How to report: for people, for tools, for code scanning, for GitHub Actions, for GitLab's
    /// Code Quality widget, for test report viewers.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The day review dates are compared with and letters without `_today` are dated.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<jiff::civil::Date>,
    /// Write the report to this file instead of standard output (`-`: standard output), e.g.
    /// `--format html -o report.html`.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Runs `missive check`.
pub fn run(project: &Path, args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome> {
    let standard = match Standard::load(project) {
        Ok(standard) => standard,
        // Tools reading JSON, SARIF or annotations still get a document naming the failure;
        // the error itself goes to stderr and the exit code is 2 as for any load failure.
        Err(e) if args.format != Format::Text => {
            let failure = [check::load_failure(&e)];
            let report = Report {
                diagnostics: &failure,
                rules: &[],
                sources: &[],
                letters: 0,
                not_rendered: 0,
                templates: &[],
                color: false,
            };
            let mut document = Vec::new();
            if report::write(args.format, &report, &mut document).is_ok() {
                let _ = write_output(args.output.as_deref(), &document, out);
            }
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let today = match args.today {
        Some(d) => d,
        None => crate::clock::today(&standard.config().standard.time_zone)?,
    };
    let outcome = check::run(&standard, &Options { templates: args.templates.clone(), today })?;
    let handbook = standard.config().standard.handbook_url.as_deref();
    let rules: Vec<RuleInfo> =
        standard.rules().rules().iter().map(|rule| RuleInfo::from(rule).with_handbook(handbook)).collect();
    let selected: Vec<&Template> = standard
        .templates()
        .iter()
        .filter(|t| args.templates.is_empty() || args.templates.iter().any(|id| id.trim_end_matches(".tera") == t.id))
        .collect();
    let templates: Vec<String> = selected.iter().map(|t| t.id.clone()).collect();
    let sources = standard.sources();
    let report = Report {
        diagnostics: &outcome.diagnostics,
        rules: &rules,
        sources: &sources,
        letters: outcome.letters,
        not_rendered: outcome.not_rendered,
        templates: &templates,
        color: args.format == Format::Text && super::colour_on_stdout(),
    };
    let mut document = Vec::new();
    if args.format == Format::Html {
        let reviews = check::review_items(&standard, &selected);
        let coverage = snapshot::coverage(&standard)?;
        let locales: Vec<String> = standard.locales().tags().into_iter().map(str::to_string).collect();
        let config = standard.config();
        let page = report::html::CheckPage {
            standard: &config.standard.name,
            today,
            grace_days: config.rules.review_grace_days,
            locales: &locales,
            reviews: &reviews,
            coverage: Some(&coverage),
        };
        report::html::write(&report, Some(&page), &mut document)
    } else if args.format == Format::Text && super::quiet() {
        report::write_brief(&report, &mut document)
    } else {
        report::write(args.format, &report, &mut document)
    }
    .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report: {e}")))?;
    write_output(args.output.as_deref(), &document, out)?;
    if args.format == Format::Github {
        step_summary(&report)?;
    }
    Ok(if outcome.fails() { Outcome::Findings } else { Outcome::Done })
}

/// Appends the table of every finding to the file GitHub Actions names in `$GITHUB_STEP_SUMMARY`
/// (shown on the run's page), when it is set: annotations are capped, the table is not.
fn step_summary(report: &Report<'_>) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else { return Ok(()) };
    let cannot = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("cannot append to $GITHUB_STEP_SUMMARY ({}): {e}", Path::new(&path).display()),
        )
    };
    let mut table = Vec::new();
    report::summary_table(report, &mut table).map_err(cannot)?;
    let mut file = std::fs::OpenOptions::new().append(true).create(true).open(&path).map_err(cannot)?;
    file.write_all(&table).map_err(cannot)
}
