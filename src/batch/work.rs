//! The first two stages: the reader (keys, shard, records already done) and the render
//! workers (letter, rules, the bytes the destination wants). Chunks of records travel through
//! bounded channels, and the reader takes a permit per chunk from the writer, so no more than a
//! fixed number of chunks is ever in memory whatever the input's size.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use serde_json::Value as Json;

use super::destination::{Staged, stage};
use super::input::{Input, Record};
use super::resume::{Earlier, Verdict};
use super::summary::{RejectError, RejectFinding};
use super::{Destination, Format, Options, Shard};
use crate::clock::Clock;
use crate::emit::{email, files};
use crate::error::{Error, Result};
use crate::render::Request;
use crate::standard::Standard;

/// Records per chunk: enough to make channel traffic negligible, few enough to keep order.
pub(super) const CHUNK: usize = 64;

/// A numbered group of items in input order.
pub(super) struct Chunk<T> {
    pub seq: u64,
    pub items: Vec<T>,
}

/// A record on its way to a worker.
pub(super) struct Job {
    pub ordinal: u64,
    pub line: u64,
    pub key: String,
    /// The record's content digest, for the journal.
    pub digest: u64,
    /// Sent again although done before, its record changed (`--resend-changed`): mixed into
    /// its Message-ID so that it differs from the first letter's.
    pub revision: Option<u64>,
    pub record: Result<Record>,
    /// Resent after a lost SMTP reply in an earlier run.
    pub in_doubt: bool,
}

/// What the destination gets for one letter.
pub(super) enum Payload {
    /// Files for the folder, written under temporary names.
    Files(Vec<Staged>),
    /// One mbox entry, `From ` line and quoting done.
    Mbox(Vec<u8>),
    /// A message for the SMTP server, with its Message-ID.
    Mail(Box<crate::emit::smtp::Outgoing>, String),
    /// A dry run.
    Nothing,
}

/// A rendered (or rejected) record on its way to the writer.
pub(super) struct Done {
    pub ordinal: u64,
    pub line: u64,
    pub key: String,
    pub digest: u64,
    /// The record as read, for the rejects report (`None` when it could not be read).
    pub record: Option<Record>,
    pub in_doubt: bool,
    /// Rule ids of the unsuppressed findings, and warning codes.
    pub findings: Vec<String>,
    pub warnings: Vec<String>,
    pub outcome: Outcome,
}

pub(super) enum Outcome {
    Ready {
        payload: Payload,
        violation: bool,
    },
    Rejected {
        errors: Vec<RejectError>,
        findings: Vec<RejectFinding>,
    },
    /// The destination failed (a disk full): the run stops.
    Fatal(Error),
}

/// Counters the reader keeps.
#[derive(Default)]
pub(super) struct Counters {
    pub read: AtomicU64,
    /// Done (or rejected) by an earlier run with the same content.
    pub skipped: AtomicU64,
    pub other_shards: AtomicU64,
    /// Of those skipped, rejected by an earlier run.
    pub rejected_before: AtomicU64,
    /// Keys no earlier run recorded (on a resume).
    pub new: AtomicU64,
    /// Rejected before, changed since, tried again.
    pub mended: AtomicU64,
    /// Left not delivered by an earlier run (deferred, or the run stopped), sent now.
    pub unsent_before: AtomicU64,
    /// Done before and changed since: their keys (sent again with `--resend-changed`).
    pub changed: Mutex<Vec<String>>,
    /// In doubt and held back (`--in-doubt hold`): their keys.
    pub held: Mutex<Vec<String>>,
}

/// What the reader does with the keys of earlier runs.
pub(super) struct Resume {
    pub earlier: Earlier,
    pub hold: bool,
    pub resend_changed: bool,
}

/// The reader: the input to chunks of jobs, until the end, a structural error (kept in
/// `failure`), or the writer going away.
#[allow(clippy::too_many_arguments)]
pub(super) fn read(
    input: &mut Input,
    key_field: &str,
    shard: Option<Shard>,
    resume: &Resume,
    jobs: SyncSender<Chunk<Job>>,
    permits: SyncSender<()>,
    counters: &Counters,
    failure: &Mutex<Option<Error>>,
) {
    let path: Vec<&str> = key_field.split('.').collect();
    let mut seq = 0;
    let mut items = Vec::with_capacity(CHUNK);
    let send = |items: Vec<Job>, seq: &mut u64| -> bool {
        if permits.send(()).is_err() {
            return false;
        }
        let ok = jobs.send(Chunk { seq: *seq, items }).is_ok();
        *seq += 1;
        ok
    };
    while let Some(next) = input.next_record() {
        let raw = match next {
            Ok(raw) => raw,
            Err(e) => {
                if let Ok(mut slot) = failure.lock() {
                    *slot = Some(e);
                }
                break;
            }
        };
        counters.read.fetch_add(1, Ordering::Relaxed);
        let mut record = raw.record;
        let key = match &mut record {
            Ok(r) => {
                let key = key_of(r, &path).unwrap_or_else(|| raw.ordinal.to_string());
                if key_field != "key" || !r.contains_key("key") {
                    r.insert("key".into(), Json::String(key.clone()));
                }
                key
            }
            Err(_) => raw.ordinal.to_string(),
        };
        if shard.is_some_and(|s| !s.takes(&key)) {
            counters.other_shards.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let digest = record.as_ref().map_or(0, super::resume::digest);
        let mut job =
            Job { ordinal: raw.ordinal, line: raw.line, key, digest, record, in_doubt: false, revision: None };
        if !resume.earlier.is_empty() && !admit(resume, counters, &mut job) {
            continue;
        }
        items.push(job);
        if items.len() == CHUNK && !send(std::mem::replace(&mut items, Vec::with_capacity(CHUNK)), &mut seq) {
            return;
        }
    }
    if !items.is_empty() {
        send(items, &mut seq);
    }
}

/// Decides by what earlier runs did with its key whether a record is made in this run (and
/// how), counting and listing the ones that are not.
fn admit(resume: &Resume, counters: &Counters, job: &mut Job) -> bool {
    let list = |keys: &Mutex<Vec<String>>, key: &str| {
        if let Ok(mut keys) = keys.lock() {
            keys.push(key.to_string());
        }
    };
    let count = |counter: &AtomicU64| {
        counter.fetch_add(1, Ordering::Relaxed);
    };
    match resume.earlier.verdict(&job.key, job.digest) {
        Verdict::New => {
            count(&counters.new);
            true
        }
        Verdict::Done => {
            count(&counters.skipped);
            false
        }
        Verdict::RejectedBefore => {
            count(&counters.skipped);
            count(&counters.rejected_before);
            false
        }
        Verdict::Mended => {
            count(&counters.mended);
            true
        }
        Verdict::Unsent => {
            count(&counters.unsent_before);
            true
        }
        Verdict::Changed => {
            list(&counters.changed, &job.key);
            // A new Message-ID: the customer's mail program must not take it for the first.
            job.revision = Some(job.digest);
            resume.resend_changed
        }
        Verdict::InDoubt if resume.hold => {
            list(&counters.held, &job.key);
            false
        }
        Verdict::InDoubt => {
            job.in_doubt = true;
            true
        }
    }
}

/// The key at a dotted path: a string or a number; an empty string counts as none.
fn key_of(record: &Record, path: &[&str]) -> Option<String> {
    let mut value = record.get(path[0])?;
    for segment in &path[1..] {
        value = value.as_object()?.get(*segment)?;
    }
    match value {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What every worker shares.
pub(super) struct Context<'a> {
    pub standard: &'a Standard,
    pub outputs: &'a crate::emit::Outputs,
    pub options: &'a Options,
    pub batch: String,
    pub input_name: String,
    pub domain: String,
}

/// A render worker: chunks of jobs in, chunks of results out, until either channel closes.
pub(super) fn render(ctx: &Context<'_>, jobs: &Mutex<Receiver<Chunk<Job>>>, results: SyncSender<Chunk<Done>>) {
    loop {
        let chunk = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = chunk else { return };
        let items = chunk.items.into_iter().map(|job| render_guarded(ctx, job)).collect();
        if results.send(Chunk { seq: chunk.seq, items }).is_err() {
            return;
        }
    }
}

/// [`render_one`] with the record as the boundary of a panic: a bug that one record trips is
/// that record's reject ("internal error" and the panic's message), and the run goes on.
fn render_guarded(ctx: &Context<'_>, job: Job) -> Done {
    let (ordinal, line, key, digest, in_doubt) = (job.ordinal, job.line, job.key.clone(), job.digest, job.in_doubt);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_one(ctx, job))) {
        Ok(done) => done,
        Err(payload) => {
            let why = panic_message(&*payload);
            Done {
                ordinal,
                line,
                key,
                digest,
                record: None,
                in_doubt,
                findings: Vec::new(),
                warnings: Vec::new(),
                outcome: Outcome::Rejected {
                    errors: vec![RejectError::plain(
                        format!("internal error: missive panicked on this record: {why}"),
                        Some(
                            "this is a bug in missive: please report it with the record; the rest of the batch went on",
                        ),
                    )],
                    findings: Vec::new(),
                },
            }
        }
    }
}

/// The message a panic was raised with.
pub(super) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

fn render_one(ctx: &Context<'_>, job: Job) -> Done {
    if ctx.options.crash == Some(super::CrashPoint::PanicAt(job.ordinal)) {
        panic!("test hook: panic-at:{}", job.ordinal);
    }
    let mut done = Done {
        ordinal: job.ordinal,
        line: job.line,
        key: job.key,
        digest: job.digest,
        record: None,
        in_doubt: job.in_doubt,
        findings: Vec::new(),
        warnings: Vec::new(),
        outcome: Outcome::Rejected { errors: Vec::new(), findings: Vec::new() },
    };
    let record = match job.record {
        Ok(record) => record,
        Err(why) => {
            done.outcome = Outcome::Rejected {
                errors: vec![RejectError::plain(
                    why.to_string(),
                    Some("fix the record in the input; the rest of the batch went on"),
                )],
                findings: Vec::new(),
            };
            return done;
        }
    };
    let options = ctx.options;
    let origin = format!("{}:{} (record {})", ctx.input_name, job.line, job.ordinal);
    let request = Request {
        template: &options.template,
        locale: options.locale.as_deref(),
        today: options.today,
        origin: &origin,
        numbers: crate::fields::Reading { decimal_comma: options.dialect.decimal_comma },
        print: options.format != Format::Eml,
        // Findings are counted by rule here; where to edit is `missive check`'s business.
        trace: false,
    };
    let rendered = ctx.standard.render(&request, &record);
    done.record = Some(record);
    let letter = match rendered {
        Ok(letter) => letter,
        Err(e) => {
            done.outcome = Outcome::Rejected { errors: RejectError::from_error(&e), findings: Vec::new() };
            return done;
        }
    };
    done.findings = letter.findings.iter().filter(|d| d.suppressed.is_none()).map(|d| d.code.clone()).collect();
    done.warnings = letter.warnings.iter().map(|d| d.code.clone()).collect();
    let fails = letter.fails();
    if fails && !options.allow_violations {
        let findings: Vec<RejectFinding> =
            letter.findings.iter().filter(|d| d.fails()).map(RejectFinding::from_diagnostic).collect();
        let n = findings.len();
        done.outcome = Outcome::Rejected {
            errors: vec![RejectError::plain(
                format!("the letter breaks the standard ({n} error-level finding{})", if n == 1 { "" } else { "s" }),
                Some("fix the template or the record, or pass --allow-violations to deliver such letters anyway"),
            )],
            findings,
        };
        return done;
    }
    let placed = Placed { key: &done.key, ordinal: done.ordinal, revision: job.revision };
    done.outcome = match payload(ctx, &letter, &placed) {
        Ok(payload) => Outcome::Ready { payload, violation: fails },
        Err(e) if e.kind() == crate::error::ErrorKind::Io => Outcome::Fatal(e),
        Err(e) => Outcome::Rejected { errors: RejectError::from_error(&e), findings: Vec::new() },
    };
    done
}

/// Where a letter goes and under which name.
#[derive(Clone, Copy)]
struct Placed<'a> {
    key: &'a str,
    ordinal: u64,
    revision: Option<u64>,
}

fn payload(ctx: &Context<'_>, letter: &crate::render::Letter, job: &Placed<'_>) -> Result<Payload> {
    let Placed { key, ordinal, revision } = *job;
    let standard = ctx.standard;
    let envelope = email::Envelope { batch: Some(&ctx.batch), revision, clock: ctx.options.clock };
    let (eml, pdf) = match ctx.options.format {
        Format::Eml => (true, false),
        Format::Pdf => (false, true),
        Format::Both => (true, true),
    };
    Ok(match &ctx.options.destination {
        Destination::Folder(dir) => {
            // Both renditions first, so a letter that cannot become one leaves no file at all.
            let pdf = if pdf { Some(crate::emit::pdf::letter(ctx.outputs, letter)?) } else { None };
            let eml = if eml { Some(email::message(ctx.outputs, letter, &envelope)?) } else { None };
            let mut files = Vec::with_capacity(2);
            for (bytes, extension) in [(eml, "eml"), (pdf, "pdf")] {
                let Some(bytes) = bytes else { continue };
                let Some(name) = files::file_name(key, extension) else {
                    files.into_iter().for_each(Staged::discard);
                    return Err(key_too_long(&ctx.options.key_field, key));
                };
                files.push(stage(dir, &name, ordinal, &bytes)?);
            }
            Payload::Files(files)
        }
        Destination::Mbox(_) => {
            // The `From ` line and the `Date` header tell the same moment.
            let at = email::date(ctx.outputs, letter, envelope.clock)?;
            let envelope = email::Envelope { clock: Clock::Fixed(at.timestamp()), ..envelope };
            let bytes = email::message(ctx.outputs, letter, &envelope)?;
            Payload::Mbox(mbox_entry(&standard.config().sender.email, &email::mbox_date(&at), &bytes))
        }
        Destination::Smtp { .. } => {
            let id = email::message_id(&standard.config().standard.name, letter, &envelope, &ctx.domain);
            Payload::Mail(Box::new(email::outgoing(ctx.outputs, letter, &envelope)?), id)
        }
        Destination::DryRun => {
            if eml {
                email::build(ctx.outputs, letter, &envelope)?;
            }
            if pdf {
                crate::emit::pdf::letter(ctx.outputs, letter)?;
            }
            Payload::Nothing
        }
    })
}

/// A key that cannot name a file: the record's problem, not the run's.
fn key_too_long(key_field: &str, key: &str) -> Error {
    let start: String = key.chars().take(24).collect();
    Error::field(
        key_field,
        format!(
            "the key `{start}…` ({} characters) is too long to name a file: at most {} bytes are left for it once \
             every character other than A-Z, a-z, 0-9, `-`, `_` and `.` is written as %XX per byte",
            key.chars().count(),
            files::MAX_FILE_NAME - 4
        ),
        "give the record a shorter key, or choose another key field with --key",
    )
}

/// One mboxrd entry, byte for byte what [`mbox::append`] writes, without its per-line UTF-8
/// pass: that took a tenth of a letter's instructions in a batch.
fn mbox_entry(sender: &str, date: &str, message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    out.extend_from_slice(b"From ");
    out.extend_from_slice(sender.as_bytes());
    out.push(b' ');
    out.extend_from_slice(date.as_bytes());
    out.push(b'\n');
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', message).chain(std::iter::once(message.len()));
    for end in ends {
        let line = &message[start..end];
        start = end + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let unquoted = &line[line.iter().take_while(|&&b| b == b'>').count()..];
        if unquoted.starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_a_dotted_field() {
        let record: Record = serde_json::from_str(r#"{"key": " K1 ", "invoice": {"number": 7}, "e": ""}"#).unwrap();
        assert_eq!(key_of(&record, &["key"]).as_deref(), Some("K1"));
        assert_eq!(key_of(&record, &["invoice", "number"]).as_deref(), Some("7"));
        assert_eq!(key_of(&record, &["e"]), None);
        assert_eq!(key_of(&record, &["missing", "x"]), None);
    }

    #[test]
    fn mbox_entries_match_the_mbox_writer() {
        use crate::emit::mbox;
        let messages = [
            "Subject: x\r\n\r\nFrom here\r\n>From there\r\n>>From\r\nFromage\r\nżółw\r\n",
            "From the first line\r\nno line end at the end",
            "\n\n\r\n\rFrom \n>From \n",
            "",
        ];
        for message in messages {
            let mut expected = Vec::new();
            mbox::append(&mut expected, "a@b.pl", "Mon Nov 23 00:00:00 2026", message.as_bytes()).unwrap();
            assert_eq!(mbox_entry("a@b.pl", "Mon Nov 23 00:00:00 2026", message.as_bytes()), expected, "{message:?}");
        }
    }
}
