//! `missive journal`: what a batch's journal says, over all its runs: letters done, rejected,
//! left not done (a `--resume` sends them) and in doubt, with their keys. Records no run reached
//! are not in the journal: the journal knows letters, not the input.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, write_output};
use crate::batch::journal::{Journal, Report};
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive journal`.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The journal file a batch wrote (`records.smtp-journal`, `out.mbox.journal`, …).
    pub file: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// List every key, not the first 20 of each list.
    #[arg(long)]
    pub all: bool,
}

/// Output formats of `journal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable report.
    Text,
    /// JSON, for tools.
    Json,
}

/// Runs `missive journal`: exit 0 when the last run finished and every letter is done or
/// rejected with none in doubt held, 1 when some still need a run or a look.
pub fn run(args: &JournalArgs, out: &mut dyn Write) -> Result<Outcome> {
    let report = Journal::report(&args.file)?;
    let bytes = match args.format {
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&report).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            v.push(b'\n');
            v
        }
        Format::Text => text(&report, if args.all { usize::MAX } else { 20 }).into_bytes(),
    };
    write_output(None, &bytes, out)?;
    let held = report.in_doubt.iter().any(|d| !d.resent);
    let finished = report.last_run == "finished";
    Ok(if report.not_done.is_empty() && !held && finished { Outcome::Done } else { Outcome::Findings })
}

fn text(report: &Report, limit: usize) -> String {
    let list = |keys: &mut dyn Iterator<Item = &str>, n: usize| {
        let shown: Vec<&str> = keys.take(limit).collect();
        let more = n.saturating_sub(shown.len());
        let mut s = shown.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more (--all lists them)"));
        }
        s
    };
    let shard = if report.shard.is_empty() { String::new() } else { format!(", shard {}", report.shard) };
    let mut s = format!(
        "journal {}\n  batch {} · template {} → {} ({}{shard}) · {} run{}\n",
        report.journal,
        report.batch,
        report.template,
        report.destination,
        report.format,
        report.runs,
        if report.runs == 1 { "" } else { "s" }
    );
    match report.last_run.as_str() {
        "finished" => s.push_str("  the last run finished\n"),
        "running" => s.push_str(
            "  the last run did not finish (it was killed, or is still running): records it had not reached are not in the journal, and --resume sends them\n",
        ),
        stopped => s.push_str(&format!(
            "  the last run {stopped}\n  records it had not reached are not in the journal; --resume sends them\n"
        )),
    }
    let resent: Vec<&str> = report.in_doubt.iter().filter(|d| d.resent).map(|d| d.key.as_str()).collect();
    let held: Vec<&str> = report.in_doubt.iter().filter(|d| !d.resent).map(|d| d.key.as_str()).collect();
    s.push_str(&format!(
        "  done {} · rejected {} · left not done {} · in doubt {} ({} sent again, {} not)\n",
        report.done,
        report.rejected,
        report.not_done.len(),
        report.in_doubt.len(),
        resent.len(),
        held.len()
    ));
    if !report.not_done.is_empty() {
        let n = report.not_done.len();
        s.push_str(&format!(
            "  left not done (deferred by the server, or cut off when a run stopped; --resume sends them, and the records no run reached): {}\n",
            list(&mut report.not_done.iter().map(String::as_str), n)
        ));
    }
    if !held.is_empty() {
        s.push_str(&format!(
            "  in doubt, not sent again (the server may have them; --resume --in-doubt resend sends them): {}\n",
            list(&mut held.iter().copied(), held.len())
        ));
    }
    if !resent.is_empty() {
        s.push_str(&format!(
            "  in doubt, sent again (the customer may have two copies, same Message-ID): {}\n",
            list(&mut resent.iter().copied(), resent.len())
        ));
    }
    s
}
