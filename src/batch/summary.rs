//! What a run reports: progress while it runs, the summary at the end (as text and JSON), and
//! the rejects report's lines.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// Where a run is, handed to the caller's progress callback a few times a second.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Records read from the input so far.
    pub read: u64,
    /// Letters delivered (written, or accepted by the server) in this run.
    pub done: u64,
    /// Records rejected in this run.
    pub rejected: u64,
    /// Records skipped because an earlier run did them.
    pub skipped: u64,
    /// Bytes of input read, and the input's size when known (for an ETA).
    pub bytes_read: u64,
    /// The input's size in bytes, when known.
    pub bytes_total: Option<u64>,
    /// Time since the run started.
    pub elapsed: Duration,
}

impl Progress {
    /// Letters per second so far.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.done as f64 / secs } else { 0.0 }
    }
}

/// Letters in doubt: handed to an SMTP server whose reply was lost. With a journal, over the
/// journal's whole life (every run of the batch), not only this run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InDoubt {
    /// Delivered since, sent again with the same Message-ID (the server may hold two copies).
    pub resent: u64,
    /// Not sent again: held back (`--in-doubt hold`), or left by a run that stopped; a
    /// `--resume` (with `--in-doubt resend`, the default) sends them.
    pub held: u64,
    /// Their record keys.
    pub keys: Vec<String>,
    /// How many of them this run sent again, held or left in doubt.
    pub this_run: u64,
}

/// Letters the SMTP server deferred (4xx) past every retry: not delivered, not rejected; a
/// resume sends them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Deferred {
    /// How many.
    pub count: u64,
    /// Their record keys.
    pub keys: Vec<String>,
    /// The server's last such reply.
    pub last_reply: Option<String>,
}

/// Why a run stopped before its end (its SMTP server failing for `--give-up-after`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stopped {
    /// What failed.
    pub error: String,
    /// What to do.
    pub help: String,
}

/// Letters done before whose record has changed since.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changed {
    /// Sent again with a new Message-ID (`--resend-changed`).
    pub resent: u64,
    /// Their record keys.
    pub keys: Vec<String>,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// The template.
    pub template: String,
    /// The input.
    pub input: String,
    /// Where letters went.
    pub destination: String,
    /// The journal, unless a dry run.
    pub journal: Option<String>,
    /// The rejects report, when one was written.
    pub rejects: Option<String>,
    /// Records read from the input in this run.
    pub read: u64,
    /// Letters delivered in this run.
    pub done: u64,
    /// Records rejected in this run (bad records, error-level findings, refused by the server).
    pub rejected: u64,
    /// Records skipped: done (or rejected) by an earlier run of this batch.
    pub skipped: u64,
    /// Of those skipped, the records an earlier run rejected (their reasons are in the rejects
    /// report); a resumed batch with any still needs a look.
    pub rejected_before: u64,
    /// Records that belong to other shards.
    pub other_shards: u64,
    /// On a resume: whether the input differs from the one the journal began with (its size,
    /// or its bytes once read to the end); `None` on a first run or when it cannot be told.
    pub input_changed: Option<bool>,
    /// On a resume: keys no earlier run recorded.
    pub new: u64,
    /// On a resume: records rejected before and changed since, tried again.
    pub mended: u64,
    /// On a resume: letters an earlier run left not delivered (deferred by the server, or the
    /// run stopped), sent in this one.
    pub unsent_before: u64,
    /// On a resume: letters done before whose record changed since.
    pub changed: Changed,
    /// Letters in doubt.
    pub in_doubt: InDoubt,
    /// Letters the server deferred past every retry (SMTP).
    pub deferred: Deferred,
    /// Set when the run stopped before the end of its input (the caller exits 2).
    pub stopped: Option<Stopped>,
    /// Letters delivered although they break an error-level rule (`--allow-violations`).
    pub violations: u64,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// Letters delivered per second.
    pub letters_per_second: f64,
    /// Rejected records by reason: the field and the message without its value
    /// (`customer.email: … is not an e-mail address: it has no `@``).
    pub reasons: BTreeMap<String, u64>,
    /// Errors of rejected records by field (`(record)` for those about the record as a whole).
    pub reject_fields: BTreeMap<String, u64>,
    /// Rule findings by rule id, over every letter rendered in this run.
    pub findings: BTreeMap<String, u64>,
    /// Warnings (unknown fields, language fallbacks) by code.
    pub warnings: BTreeMap<String, u64>,
    /// Letters delivered and records rejected over the run, step by step.
    pub timeline: Timeline,
}

/// Letters delivered and records rejected over a run, counted in steps of equal length: one
/// second at first, widened (5 s, 10 s, 30 s, 1 min, 5 min, …) as the run goes on, so that there
/// are never more than [`Timeline::MAX_STEPS`] whatever its length.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// Seconds per step.
    pub bucket_seconds: u64,
    /// Letters delivered in each step.
    pub done: Vec<u64>,
    /// Records rejected in each step.
    pub rejected: Vec<u64>,
    /// The totals at the last [`Timeline::record`], whose growth the next one counts.
    #[serde(skip)]
    seen: (u64, u64),
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline { bucket_seconds: 1, done: Vec::new(), rejected: Vec::new(), seen: (0, 0) }
    }
}

impl Timeline {
    /// The most steps kept.
    pub const MAX_STEPS: usize = 120;

    /// Counts what the run's totals grew by since the last call in the step `elapsed` falls in.
    /// Called by the writer once per chunk of records, so it costs nothing per letter.
    pub fn record(&mut self, elapsed: Duration, done: u64, rejected: u64) {
        let (grew_done, grew_rejected) = (done.saturating_sub(self.seen.0), rejected.saturating_sub(self.seen.1));
        self.seen = (done, rejected);
        let mut step = (elapsed.as_secs() / self.bucket_seconds) as usize;
        while step >= Self::MAX_STEPS {
            self.widen();
            step = (elapsed.as_secs() / self.bucket_seconds) as usize;
        }
        if self.done.len() <= step {
            self.done.resize(step + 1, 0);
            self.rejected.resize(step + 1, 0);
        }
        self.done[step] += grew_done;
        self.rejected[step] += grew_rejected;
    }

    /// The next step length (a multiple of this one), the counts merged into it.
    fn widen(&mut self) {
        const LADDER: [u64; 9] = [1, 5, 10, 30, 60, 300, 600, 1800, 3600];
        let wider = LADDER.into_iter().find(|&s| s > self.bucket_seconds).unwrap_or(self.bucket_seconds * 2);
        let factor = (wider / self.bucket_seconds) as usize;
        let merge = |v: &[u64]| v.chunks(factor).map(|c| c.iter().sum()).collect::<Vec<u64>>();
        self.done = merge(&self.done);
        self.rejected = merge(&self.rejected);
        self.bucket_seconds = wider;
    }
}

impl Summary {
    /// Whether the run needs a look: records rejected, rule violations, letters held in doubt.
    pub fn needs_attention(&self) -> bool {
        self.rejected > 0
            || self.rejected_before > 0
            || self.violations > 0
            || self.in_doubt.held > 0
            || self.deferred.count > 0
            || self.changed.keys.len() as u64 > self.changed.resent
    }
}

/// The first ten keys of a list, and how many more.
fn some(keys: &[String]) -> String {
    let mut out = keys.iter().take(10).map(String::as_str).collect::<Vec<_>>().join(", ");
    if keys.len() > 10 {
        out.push_str(&format!(" and {} more", keys.len() - 10));
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "batch {} → {}", self.template, self.destination)?;
        if let Some(stopped) = &self.stopped {
            writeln!(f, "  STOPPED before the end of the input: {}", stopped.error)?;
        }
        writeln!(
            f,
            "  read {}, done {}, rejected {}, skipped {} (done before), in doubt {} ({} sent again, {} not)",
            self.read,
            self.done,
            self.rejected,
            self.skipped,
            self.in_doubt.resent + self.in_doubt.held,
            self.in_doubt.resent,
            self.in_doubt.held
        )?;
        let mut reasons: Vec<(&String, &u64)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (reason, n) in reasons.iter().take(10) {
            writeln!(f, "  {n} × {reason}")?;
        }
        if reasons.len() > 10 {
            writeln!(f, "  … and {} other reasons (the rejects report has them all)", reasons.len() - 10)?;
        }
        if self.rejected_before > 0 {
            writeln!(f, "  {} of the skipped records were rejected by an earlier run", self.rejected_before)?;
        }
        if let Some(changed) = self.input_changed {
            writeln!(
                f,
                "  the input {} since the journal began: {} keys new, {} changed since sent, {} rejected before and mended",
                if changed { "changed" } else { "is the same" },
                self.new,
                self.changed.keys.len(),
                self.mended
            )?;
        }
        if !self.changed.keys.is_empty() {
            let what = if self.changed.resent > 0 {
                "sent again with a new Message-ID"
            } else {
                "not sent again (--resend-changed sends them, with a new Message-ID)"
            };
            writeln!(
                f,
                "  {} letters changed since sent, {what}: {}",
                self.changed.keys.len(),
                some(&self.changed.keys)
            )?;
        }
        if self.deferred.count > 0 {
            writeln!(
                f,
                "  {} letters deferred by the server past every retry, not sent (--resume sends them): {}",
                self.deferred.count,
                some(&self.deferred.keys)
            )?;
            if let Some(reply) = &self.deferred.last_reply {
                writeln!(f, "    the server's last answer: {reply}")?;
            }
        }
        if self.unsent_before > 0 {
            writeln!(f, "  {} letters an earlier run left not sent were sent", self.unsent_before)?;
        }
        if self.other_shards > 0 {
            writeln!(f, "  {} records belong to other shards", self.other_shards)?;
        }
        writeln!(f, "  {:.1} s, {:.0} letters/s", self.seconds, self.letters_per_second)?;
        if self.violations > 0 {
            writeln!(f, "  {} letters delivered despite error-level findings (--allow-violations)", self.violations)?;
        }
        if !self.findings.is_empty() {
            writeln!(f, "  rule findings:")?;
            for (rule, n) in &self.findings {
                writeln!(f, "    {n:>8}  {rule}")?;
            }
        }
        if !self.warnings.is_empty() {
            writeln!(f, "  warnings:")?;
            for (code, n) in &self.warnings {
                writeln!(f, "    {n:>8}  {code}")?;
            }
        }
        if !self.in_doubt.keys.is_empty() {
            let shown: Vec<&str> = self.in_doubt.keys.iter().take(20).map(String::as_str).collect();
            let more = self.in_doubt.keys.len().saturating_sub(shown.len());
            write!(
                f,
                "  in doubt over every run of this batch (a reply lost: the server may hold two copies, same Message-ID): {}",
                shown.join(", ")
            )?;
            if more > 0 {
                write!(f, " and {more} more")?;
            }
            writeln!(f)?;
        }
        if let Some(rejects) = &self.rejects
            && self.rejected + self.rejected_before > 0
        {
            writeln!(f, "  every rejected record and its reasons: {rejects}")?;
        }
        if let Some(journal) = &self.journal {
            writeln!(f, "  journal: {journal}")?;
        }
        Ok(())
    }
}

/// One error of a rejected record.
#[derive(Debug, Clone, Serialize)]
pub struct RejectError {
    /// The field's path, when the error is about one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A rule finding that kept a letter back.
#[derive(Debug, Clone, Serialize)]
pub struct RejectFinding {
    /// The rule id.
    pub rule: String,
    /// `error`, `warning`, `info`.
    pub severity: String,
    /// What the rule says.
    pub message: String,
    /// The text found, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

/// One line of the rejects report (JSON Lines).
#[derive(Debug, Clone, Serialize)]
pub struct Reject {
    /// 1-based record number in the input.
    pub ordinal: u64,
    /// The line of the input the record starts on.
    pub line: u64,
    /// The record key.
    pub key: String,
    /// Every error, each with its field path where there is one.
    pub errors: Vec<RejectError>,
    /// The error-level findings, when the letter broke the standard.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<RejectFinding>,
    /// The record as read: mended, the rejects report is itself a batch's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Map<String, serde_json::Value>>,
}

impl RejectError {
    /// What the summary counts this error under per field: its field, else `(record)`.
    pub fn field_name(&self) -> &str {
        self.field.as_deref().unwrap_or("(record)")
    }

    /// The errors of one [`Error`]: one per field problem, else the error itself.
    pub fn from_error(error: &Error) -> Vec<RejectError> {
        if error.problems().is_empty() {
            return vec![RejectError {
                field: None,
                message: error.to_string(),
                help: error.help_text().map(str::to_string),
            }];
        }
        error
            .problems()
            .iter()
            .map(|p| RejectError { field: Some(p.path.clone()), message: p.message.clone(), help: p.help.clone() })
            .collect()
    }

    /// An error with a message only.
    pub fn plain(message: impl Into<String>, help: Option<&str>) -> RejectError {
        RejectError { field: None, message: message.into(), help: help.map(str::to_string) }
    }
}

impl RejectFinding {
    /// From a rule finding.
    pub fn from_diagnostic(d: &Diagnostic) -> RejectFinding {
        RejectFinding {
            rule: d.code.clone(),
            severity: d.severity.to_string(),
            message: d.message.clone(),
            found: d.found.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_counts_growth_per_second_then_widens_its_steps() {
        let mut t = Timeline::default();
        t.record(Duration::from_millis(300), 64, 0);
        t.record(Duration::from_millis(900), 120, 8);
        t.record(Duration::from_millis(2500), 200, 8);
        assert_eq!((t.bucket_seconds, &t.done[..], &t.rejected[..]), (1, &[120, 0, 80][..], &[8, 0, 0][..]));
        // Past two minutes of one-second steps, five-second steps, every count kept.
        t.record(Duration::from_secs(130), 210, 9);
        assert_eq!(t.bucket_seconds, 5);
        assert_eq!((t.done[0], t.done[26], t.done.len()), (200, 10, 27));
        assert_eq!(t.rejected.iter().sum::<u64>(), 9);
        // A day-long run still fits.
        t.record(Duration::from_secs(86_400), 300, 9);
        assert!(t.done.len() <= Timeline::MAX_STEPS && t.bucket_seconds == 1800, "{}", t.bucket_seconds);
        assert_eq!(t.done.iter().sum::<u64>(), 300);
    }
}
