//! `missive test`: snapshot tests of every fixture in every locale, with readable diffs.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::{Outcome, closed_pipe_is_done, parse_today};
use crate::error::{Error, ErrorKind, Result};
use crate::report::{self, Format};
use crate::snapshot::{self, Options, Status};
use crate::standard::Standard;

/// Flags of `missive test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Only these templates (default: all).
    pub templates: Vec<String>,
    /// Write new and changed snapshots, remove stale ones, and list what changed.
    #[arg(long)]
    pub update: bool,
    /// The letter date for fixtures without `_today`.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<jiff::civil::Date>,
    /// How to report: for people, for tools, for code scanning, for GitHub Actions, for GitLab's
    /// Code Quality widget, for test report viewers (one test case per letter).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also list what the fixtures leave untested: templates, locales, fields.
    #[arg(long)]
    pub coverage: bool,
}

/// Runs `missive test`.
pub fn run(project: &Path, args: &TestArgs, out: &mut dyn Write) -> Result<Outcome> {
    if args.format == Format::Html {
        return Err(Error::new(ErrorKind::Usage, "`missive test` does not write an HTML page")
            .with_help("use --format text, json, sarif, github, gitlab or junit; the HTML diagnosis is `missive check --format html -o report.html`"));
    }
    let standard = Standard::load(project)?;
    let options = Options { templates: args.templates.clone(), today: args.today, update: args.update };
    let outcome = snapshot::run(&standard, &options)?;
    if outcome.cases.is_empty() && outcome.stale.is_empty() {
        return Err(snapshot::no_fixtures(standard.root()));
    }
    let colour = args.format == Format::Text && super::colour_on_stdout();
    let mut text = String::new();
    match args.format {
        Format::Text => human(&outcome, args.update, colour, &mut text),
        Format::Github => github(&outcome, &mut text),
        format => {
            // A document for a tool: nothing may follow it, so `--coverage` goes to stderr.
            let mut document = Vec::new();
            report::snapshots::write(format, &outcome, &mut document)
                .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report: {e}")))?;
            closed_pipe_is_done(out.write_all(&document))
                .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report: {e}")))?;
            if args.coverage {
                coverage(&standard, &mut text)?;
                eprint!("{text}");
            }
            return Ok(if outcome.fails() { Outcome::Findings } else { Outcome::Done });
        }
    }
    if args.coverage {
        coverage(&standard, &mut text)?;
    }
    closed_pipe_is_done(out.write_all(text.as_bytes()))
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report: {e}")))?;
    Ok(if outcome.fails() { Outcome::Findings } else { Outcome::Done })
}

fn human(outcome: &snapshot::Outcome, update: bool, colour: bool, out: &mut String) {
    let paint = |code: &str, s: &str| if colour { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    let (mut same, mut changed, mut new, mut failed) = (0, 0, 0, 0);
    for case in &outcome.cases {
        let letter = format!("{}/{} [{}]", case.template, case.case, case.locale);
        match &case.status {
            Status::Same => same += 1,
            Status::New { written } => {
                new += 1;
                if *written {
                    out.push_str(&format!("{} {letter}: wrote {}\n", paint("32", "new"), case.path));
                } else {
                    out.push_str(&format!(
                        "{} {letter}: no snapshot yet; run `missive test --update` to write {}\n",
                        paint("33;1", "NEW"),
                        case.path
                    ));
                }
            }
            Status::Changed { diff, written } => {
                changed += 1;
                if *written {
                    out.push_str(&format!("{} {letter}: {}\n", paint("32", "updated"), case.path));
                } else {
                    out.push_str(&format!(
                        "{} {letter}: the letter differs from {}\n",
                        paint("31;1", "CHANGED"),
                        case.path
                    ));
                    for line in diff.lines() {
                        let painted = match line.as_bytes().first() {
                            Some(b'+') if !line.starts_with("+++") => paint("32", line),
                            Some(b'-') if !line.starts_with("---") => paint("31", line),
                            Some(b'@') => paint("36", line),
                            _ => line.to_string(),
                        };
                        out.push_str("    ");
                        out.push_str(&painted);
                        out.push('\n');
                    }
                }
            }
            Status::Corrupt { why, written } => {
                changed += 1;
                if *written {
                    out.push_str(&format!("{} {letter}: rewrote {} ({why})\n", paint("32", "updated"), case.path));
                } else {
                    out.push_str(&format!(
                        "{} {letter}: {} is not a valid snapshot: {why}; run `missive test --update` to rewrite it\n",
                        paint("31;1", "CORRUPT"),
                        case.path
                    ));
                }
            }
            Status::Failed(why) => {
                failed += 1;
                out.push_str(&format!("{} {letter}: {why}\n", paint("31;1", "FAILED")));
            }
        }
    }
    for (path, removed) in &outcome.stale {
        if *removed {
            out.push_str(&format!("{} {path}: removed, nothing renders it any more\n", paint("32", "removed")));
        } else {
            out.push_str(&format!(
                "{} {path}: no fixture and locale renders it any more (deleted template, fixture or locale); `missive test --update` removes it\n",
                paint("33;1", "STALE"),
            ));
        }
    }
    let total = outcome.cases.len();
    let verb = if update { "updated" } else { "differ" };
    out.push_str(&format!(
        "\n{total} letters: {same} match, {changed} {verb}, {new} new, {failed} failed, {} stale\n",
        outcome.stale.len()
    ));
}

fn github(outcome: &snapshot::Outcome, out: &mut String) {
    let escape = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    for case in &outcome.cases {
        let (title, message) = match &case.status {
            Status::Same
            | Status::New { written: true }
            | Status::Changed { written: true, .. }
            | Status::Corrupt { written: true, .. } => continue,
            Status::New { .. } => {
                ("snapshot missing", "no snapshot yet: run `missive test --update` and commit it".to_string())
            }
            Status::Changed { diff, .. } => {
                ("snapshot differs", format!("the letter differs from its snapshot\n{diff}"))
            }
            Status::Corrupt { why, .. } => ("snapshot corrupt", format!("not a valid snapshot: {why}")),
            Status::Failed(why) => ("letter failed", why.clone()),
        };
        out.push_str(&format!(
            "::error file={},line=1,title={} {}/{} [{}]::{}\n",
            case.path,
            title,
            case.template,
            case.case,
            case.locale,
            escape(&message)
        ));
    }
    for (path, removed) in &outcome.stale {
        if !removed {
            out.push_str(&format!("::error file={path},line=1,title=stale snapshot::nothing renders it any more; `missive test --update` removes it\n"));
        }
    }
}

fn coverage(standard: &Standard, out: &mut String) -> Result<()> {
    let c = snapshot::coverage(standard)?;
    out.push_str("\nCoverage:\n");
    let none =
        c.templates_without_fixtures.is_empty() && c.locales_never_tested.is_empty() && c.fields_never_given.is_empty();
    for t in &c.templates_without_fixtures {
        out.push_str(&format!("  template `{t}` has no fixture\n"));
    }
    for (t, l) in &c.locales_never_tested {
        out.push_str(&format!("  template `{t}` is never tested in `{l}`\n"));
    }
    for (t, f) in &c.fields_never_given {
        out.push_str(&format!("  template `{t}`: no fixture gives `{f}` a value\n"));
    }
    if none {
        out.push_str("  every template, locale and field is covered by a fixture\n");
    }
    Ok(())
}
