//! `missive test --review`: run the tests (so the pending files hold the letters as they render
//! now), then go through the pending changes on the terminal, one change at a time: letters whose
//! change is the same are one question, and accepting it accepts every one of them.

use std::io::{BufRead, Write};
use std::path::Path;

use super::{BOLD, CYAN, GREEN, Paint, RED_BOLD, TestArgs, YELLOW, write_text};
use crate::cli::Outcome;
use crate::error::{Error, ErrorKind, Result};
use crate::snapshot::change::{self, Change};
use crate::snapshot::pending::{self, Pending};
use crate::snapshot::{self, Options, Status};
use crate::standard::Standard;

/// One question: the letters whose change is the same.
struct Group<'a> {
    letters: Vec<&'a Pending>,
    /// `None` for a new letter (or one whose snapshot is not a snapshot): no edits to show.
    change: Option<Change>,
}

/// Runs `missive test --review`.
pub fn run(project: &Path, args: &TestArgs, out: &mut dyn Write) -> Result<Outcome> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Error::new(
            ErrorKind::Usage,
            "`missive test --review` asks about each change on a terminal, and standard input is not one",
        )
        .with_help(
            "run it in a terminal, or take or drop every pending change at once with `missive test --accept` or `missive test --reject`",
        ));
    }
    let standard = Standard::load(project)?;
    let options = Options { templates: args.templates.clone(), today: args.today, update: false, pending: true };
    let outcome = snapshot::run(&standard, &options)?;
    if outcome.cases.is_empty() && outcome.stale.is_empty() {
        return Err(snapshot::no_fixtures(standard.root()));
    }
    let root = standard.root();
    let list = pending::list(root, &args.templates)?;
    let paint = Paint(crate::cli::colour_on_stdout());

    let mut text = String::new();
    for case in &outcome.cases {
        if let Status::Failed(why) = &case.status {
            text.push_str(&format!("{} {}: {why}\n", paint.paint(RED_BOLD, "FAILED"), super::letter_name(case)));
        }
    }
    for (path, removed) in &outcome.stale {
        if !removed {
            text.push_str(&format!(
                "{} {path}: nothing renders it any more; `missive test --update` removes it\n",
                paint.paint(YELLOW, "STALE")
            ));
        }
    }
    let groups = group(&list);
    let same = outcome.cases.iter().filter(|c| c.status == Status::Same).count();
    text.push_str(&format!(
        "{} letters: {same} match, {} pending in {} {}\n",
        outcome.cases.len(),
        list.len(),
        groups.len(),
        if groups.len() == 1 { "change" } else { "changes" }
    ));
    if groups.is_empty() {
        text.push_str("nothing to review: no letter waits in a pending file\n");
    }
    write_text(out, &text)?;

    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut quit = false;
    for (i, group) in groups.iter().enumerate() {
        let n = group.letters.len();
        if quit {
            skipped += n;
            continue;
        }
        write_text(out, &show(group, i + 1, groups.len(), &paint))?;
        loop {
            let prompt = if n == 1 {
                "a accept · r reject · s skip · d/t/h/p full diff (all, text, HTML, PDF) · q quit".to_string()
            } else {
                format!(
                    "a accept all {n} letters · r reject all {n} · s skip · d/t/h/p full diff of the first (all, text, HTML, PDF) · q quit"
                )
            };
            write_text(out, &format!("{} › ", paint.paint(BOLD, &prompt)))?;
            let mut line = String::new();
            let read = input
                .read_line(&mut line)
                .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read the answer from the terminal: {e}")))?;
            let answer = if read == 0 { "q" } else { line.trim() };
            match answer {
                "a" => {
                    for p in &group.letters {
                        pending::accept(root, p)?;
                    }
                    accepted += n;
                    write_text(out, &format!("{} {}\n\n", paint.paint(GREEN, "accepted"), count(n)))?;
                    break;
                }
                "r" => {
                    for p in &group.letters {
                        pending::reject(root, p)?;
                    }
                    rejected += n;
                    write_text(out, &format!("{} {}\n\n", paint.paint(YELLOW, "rejected"), count(n)))?;
                    break;
                }
                "s" => {
                    skipped += n;
                    write_text(out, &format!("skipped {}\n\n", count(n)))?;
                    break;
                }
                "q" => {
                    skipped += n;
                    quit = true;
                    write_text(out, "\n")?;
                    break;
                }
                "d" | "t" | "h" | "p" => write_text(out, &full_diff(group.letters[0], answer, &paint))?,
                _ => write_text(out, "answer a, r, s, d, t, h, p or q, then Enter\n")?,
            }
        }
    }
    write_text(out, &format!("{accepted} accepted, {rejected} rejected, {skipped} skipped\n"))?;
    let failed = outcome.cases.iter().any(|c| matches!(c.status, Status::Failed(_)));
    let stale = outcome.stale.iter().any(|(_, removed)| !removed);
    Ok(if failed || stale || rejected + skipped > 0 { Outcome::Findings } else { Outcome::Done })
}

fn count(n: usize) -> String {
    if n == 1 { "1 letter".into() } else { format!("{n} letters") }
}

/// The pending letters grouped by their change, in the order their first letter comes.
fn group(list: &[Pending]) -> Vec<Group<'_>> {
    let mut groups: Vec<(Option<String>, Group<'_>)> = Vec::new();
    for p in list {
        let change =
            p.old.as_deref().filter(|old| snapshot::validate(old).is_ok()).map(|old| Change::between(old, &p.new));
        let key = change.as_ref().map(Change::key);
        match groups.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
            Some((_, g)) => g.letters.push(p),
            None => groups.push((key, Group { letters: vec![p], change })),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// A change as the question shows it: which letters, then each edit once with its channels.
fn show(group: &Group<'_>, at: usize, of: usize, paint: &Paint) -> String {
    let first = group.letters[0];
    let mut out = paint.paint(CYAN, &format!("[{at}/{of}] "));
    match &group.change {
        Some(_) if group.letters.len() > 1 => {
            let names: Vec<String> = group.letters.iter().map(|p| p.letter()).collect();
            let head = format!("the same change in {} letters:", names.len());
            let width = format!("[{at}/{of}] {head}").chars().count();
            out.push_str(&super::wrapped(&paint.paint(BOLD, &head), width, &names, "    "));
            out.push('\n');
        }
        Some(_) => out.push_str(&format!("{} {}\n", paint.paint(BOLD, &first.letter()), first.snapshot)),
        None if first.old.is_some() => out.push_str(&format!(
            "{} {}: the snapshot is not a valid snapshot; the letter would replace it\n",
            paint.paint(BOLD, &first.letter()),
            first.snapshot
        )),
        None => out.push_str(&format!(
            "{} new: no snapshot yet, {} would be written\n",
            paint.paint(BOLD, &first.letter()),
            first.snapshot
        )),
    }
    match &group.change {
        Some(change) => {
            let diff = snapshot::diff(first.old.as_deref().unwrap_or(""), &first.new, &first.snapshot);
            super::edits(change, &diff, paint, &mut out);
        }
        None => {
            let sections = change::sections(&first.new);
            for name in ["subject", "text"] {
                if let Some((_, body)) = sections.iter().find(|(n, _)| n == name) {
                    out.push_str(&format!("  {}:\n", paint.paint(BOLD, name)));
                    for line in body.lines() {
                        out.push_str(&format!("    {}\n", paint.diff_line(&format!("+{line}"))));
                    }
                }
            }
        }
    }
    out
}

/// The full diff of a letter (`d`) or of one of its channels (`t`, `h`, `p`).
fn full_diff(p: &Pending, key: &str, paint: &Paint) -> String {
    let old = p.old.as_deref().unwrap_or("");
    let (name, diff) = match key {
        "t" => ("text", change::section_diff(old, &p.new, "text")),
        "h" => ("html", change::section_diff(old, &p.new, "html")),
        "p" => ("pdf", change::section_diff(old, &p.new, "pdf")),
        _ => ("whole snapshot", (old != p.new).then(|| snapshot::diff(old, &p.new, &p.snapshot))),
    };
    let mut out = format!("{} {}, {name}:\n", paint.paint(BOLD, "full diff of"), p.letter());
    match diff {
        Some(diff) => {
            for line in diff.lines() {
                out.push_str("    ");
                out.push_str(&paint.diff_line(line));
                out.push('\n');
            }
        }
        None => out.push_str(&format!("    the {name} is unchanged\n")),
    }
    out
}
