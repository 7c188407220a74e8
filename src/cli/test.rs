//! `missive test`: snapshot tests of every fixture in every locale, with readable diffs; the
//! letters that differ wait in pending `.snap.new` files to be reviewed (`review.rs`), accepted
//! or rejected.

mod review;

use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use clap::Args;

use super::{Outcome, closed_pipe_is_done, parse_today};
use crate::error::{Error, ErrorKind, Result};
use crate::report::{self, Format};
use crate::snapshot::{self, Options, Status, pending};
use crate::standard::Standard;

/// Flags of `missive test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Only these templates (default: all).
    pub templates: Vec<String>,
    /// Render every letter and accept everything: write new and changed snapshots, remove stale
    /// ones and pending files, and list what changed.
    #[arg(long, conflicts_with_all = ["accept", "reject", "review"])]
    pub update: bool,
    /// Move every pending `.snap.new` over its snapshot, as `missive test` wrote it.
    #[arg(long, conflicts_with_all = ["reject", "review"])]
    pub accept: bool,
    /// Delete every pending `.snap.new`.
    #[arg(long, conflicts_with = "review")]
    pub reject: bool,
    /// Run the tests, then go through the pending changes one by one on the terminal: accept,
    /// reject or skip each, or read its full diff per channel.
    #[arg(long)]
    pub review: bool,
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
    if (args.accept || args.reject || args.review) && args.format != Format::Text {
        let flag = if args.accept {
            "--accept"
        } else if args.reject {
            "--reject"
        } else {
            "--review"
        };
        return Err(Error::new(ErrorKind::Usage, format!("`{flag}` writes no report, only what it did, for a person"))
            .with_help("run `missive test --format …` on its own for a report"));
    }
    if args.accept || args.reject {
        return settle(project, args, out);
    }
    if args.review {
        return review::run(project, args, out);
    }
    let standard = Standard::load(project)?;
    let options = Options { templates: args.templates.clone(), today: args.today, update: args.update, pending: true };
    let outcome = snapshot::run(&standard, &options)?;
    if outcome.cases.is_empty() && outcome.stale.is_empty() {
        return Err(snapshot::no_fixtures(standard.root()));
    }
    let paint = Paint(args.format == Format::Text && super::colour_on_stdout());
    let mut text = String::new();
    match args.format {
        Format::Text => human(&outcome, args.update, &paint, &mut text),
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
    write_text(out, &text)?;
    Ok(if outcome.fails() { Outcome::Findings } else { Outcome::Done })
}

fn write_text(out: &mut dyn Write, text: &str) -> Result<()> {
    closed_pipe_is_done(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report: {e}")))
}

/// `--accept` and `--reject`: every pending file of the selected templates, as written. An
/// accepted file that no longer matches its letter cannot make a run pass: the next
/// `missive test` compares again and shows the difference.
fn settle(project: &Path, args: &TestArgs, out: &mut dyn Write) -> Result<Outcome> {
    if !project.join("missive.toml").is_file() {
        // Loading says what is wrong with the folder, as every command does.
        Standard::load(project)?;
    }
    for id in &args.templates {
        let id = id.trim_end_matches(".tera");
        if !project.join("fixtures").join(id).is_dir()
            && !project.join("templates").join(format!("{id}.tera")).is_file()
        {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("there is no template `{id}` and no fixtures/{id}/ folder"),
            )
            .with_help("`missive templates` lists the letter types"));
        }
    }
    let list = pending::list(project, &args.templates)?;
    let paint = Paint(super::colour_on_stdout());
    let mut text = String::new();
    if list.is_empty() {
        text.push_str("no pending snapshots: `missive test` writes one beside each snapshot its letter differs from\n");
        write_text(out, &text)?;
        return Ok(Outcome::Done);
    }
    let (verb, style) = if args.accept { ("accepted", GREEN) } else { ("rejected", YELLOW) };
    for p in &list {
        if args.accept {
            pending::accept(project, p)?;
            text.push_str(&format!("{} {}: {}\n", paint.paint(style, verb), p.letter(), p.snapshot));
        } else {
            pending::reject(project, p)?;
            text.push_str(&format!("{} {}: deleted {}\n", paint.paint(style, verb), p.letter(), p.path));
        }
    }
    let n = list.len();
    text.push_str(&format!("\n{n} {verb}\n"));
    write_text(out, &text)?;
    Ok(Outcome::Done)
}

const RED: Style = AnsiColor::Red.on_default();
const RED_BOLD: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();

/// Colours text with `anstyle` when the output takes colour.
struct Paint(bool);

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.0 { format!("{style}{text}{style:#}") } else { text.to_string() }
    }

    /// A diff line: removed red, added green, hunk headers cyan.
    fn diff_line(&self, line: &str) -> String {
        match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => self.paint(GREEN, line),
            Some(b'-') if !line.starts_with("---") => self.paint(RED, line),
            Some(b'@') => self.paint(CYAN, line),
            _ => line.to_string(),
        }
    }
}

/// `template/case [locale]`.
fn letter_name(case: &snapshot::Case) -> String {
    format!("{}/{} [{}]", case.template, case.case, case.locale)
}

/// `first` (`width` columns wide, colours aside), then names as a comma-separated list wrapped
/// at 100 columns, lines after the first indented.
fn wrapped(first: &str, width: usize, names: &[String], indent: &str) -> String {
    let mut out = first.to_string();
    let mut width = width;
    for (i, name) in names.iter().enumerate() {
        let item = if i + 1 < names.len() { format!("{name},") } else { name.clone() };
        let len = item.chars().count();
        if width + 1 + len > 100 && width > indent.len() {
            out.push('\n');
            out.push_str(indent);
            width = indent.len();
        } else if i > 0 || !first.is_empty() {
            out.push(' ');
            width += 1;
        }
        out.push_str(&item);
        width += len;
    }
    out
}

/// The edits of one change, each once with the channels it reaches.
fn edits(change: &snapshot::change::Change, diff: &str, paint: &Paint, out: &mut String) {
    if change.edits.is_empty() {
        // Only the header differs (a renamed case): the whole diff says it.
        for line in diff.lines() {
            out.push_str("    ");
            out.push_str(&paint.diff_line(line));
            out.push('\n');
        }
    }
    for edit in &change.edits {
        out.push_str(&format!("  {}:\n", paint.paint(BOLD, &edit.sections.join(", "))));
        for line in edit.lines.lines() {
            out.push_str("    ");
            out.push_str(&paint.diff_line(line));
            out.push('\n');
        }
    }
}

fn human(outcome: &snapshot::Outcome, update: bool, paint: &Paint, out: &mut String) {
    let (mut same, mut changed, mut new, mut failed) = (0, 0, 0, 0);
    // Letters whose change is the same, shown once where the first of them comes.
    let mut groups: indexmap::IndexMap<String, Vec<&snapshot::Case>> = indexmap::IndexMap::new();
    for case in &outcome.cases {
        if let Status::Changed { change, written: false, .. } = &case.status {
            groups.entry(change.key()).or_default().push(case);
        }
    }
    for case in &outcome.cases {
        let letter = letter_name(case);
        let pending = pending::path_of(&case.path);
        match &case.status {
            Status::Same => same += 1,
            Status::New { written } => {
                new += 1;
                if *written {
                    out.push_str(&format!("{} {letter}: wrote {}\n", paint.paint(GREEN, "new"), case.path));
                } else {
                    out.push_str(&format!(
                        "{} {letter}: no snapshot yet; the letter is pending in {pending}\n",
                        paint.paint(YELLOW, "NEW"),
                    ));
                }
            }
            Status::Changed { written: true, .. } => {
                changed += 1;
                out.push_str(&format!("{} {letter}: {}\n", paint.paint(GREEN, "updated"), case.path));
            }
            Status::Changed { diff, change, .. } => {
                changed += 1;
                let Some(group) = groups.get(&change.key()) else { continue };
                if !group.first().is_some_and(|first| std::ptr::eq(*first, case)) {
                    continue;
                }
                let head = paint.paint(RED_BOLD, "CHANGED");
                if group.len() == 1 {
                    out.push_str(&format!(
                        "{head} {letter}: the letter differs from {}; pending in {pending}\n",
                        case.path
                    ));
                } else {
                    let names: Vec<String> = group.iter().map(|c| letter_name(c)).collect();
                    let first = format!("the same change in {} letters:", group.len());
                    let width = "CHANGED ".len() + first.chars().count();
                    out.push_str(&wrapped(&format!("{head} {first}"), width, &names, "    "));
                    out.push('\n');
                }
                edits(change, diff, paint, out);
            }
            Status::Corrupt { why, written } => {
                changed += 1;
                if *written {
                    out.push_str(&format!(
                        "{} {letter}: rewrote {} ({why})\n",
                        paint.paint(GREEN, "updated"),
                        case.path
                    ));
                } else {
                    out.push_str(&format!(
                        "{} {letter}: {} is not a valid snapshot: {why}; the letter is pending in {pending}\n",
                        paint.paint(RED_BOLD, "CORRUPT"),
                        case.path
                    ));
                }
            }
            Status::Failed(why) => {
                failed += 1;
                out.push_str(&format!("{} {letter}: {why}\n", paint.paint(RED_BOLD, "FAILED")));
            }
        }
    }
    for (path, removed) in &outcome.stale {
        if *removed {
            out.push_str(&format!("{} {path}: removed, nothing renders it any more\n", paint.paint(GREEN, "removed")));
        } else {
            out.push_str(&format!(
                "{} {path}: no fixture and locale renders it any more (deleted template, fixture or locale); `missive test --update` removes it\n",
                paint.paint(YELLOW, "STALE"),
            ));
        }
    }
    if update {
        if !outcome.cleaned.is_empty() {
            out.push_str(&format!("removed {} pending files, taken care of\n", outcome.cleaned.len()));
        }
    } else {
        for (path, why) in &outcome.cleaned {
            out.push_str(&format!("{} {path}: {why}\n", paint.paint(GREEN, "cleaned")));
        }
        let waiting = outcome.cases.iter().filter(|c| c.pending).count();
        if waiting > 0 {
            out.push_str(&format!(
                "\n{waiting} pending: each letter as it renders now waits in a `.snap.new` beside its snapshot;\n`missive test --review` goes through them, `missive test --accept` or `--reject` takes or drops them all\n"
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
            Status::New { .. } => (
                "snapshot missing",
                format!(
                    "no snapshot yet: the letter is pending in {}; accept it with `missive test --review` (or `--accept`) and commit it",
                    pending::path_of(&case.path)
                ),
            ),
            Status::Changed { diff, .. } => (
                "snapshot differs",
                format!("the letter differs from its snapshot; pending in {}\n{diff}", pending::path_of(&case.path)),
            ),
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
