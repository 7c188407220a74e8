//! The first two stages: the reader (records split from the input, numbered) and the render
//! workers (per record: the JSON parsed, the key, the shard, records already done; then the
//! letter, rules, the bytes the destination wants). Chunks of records travel through bounded
//! channels, and the reader takes a permit per chunk from the writer, so no more than a fixed
//! number of chunks is ever in memory whatever the input's size. The reader does as little as a
//! record allows: it is one thread, and whatever it does per record bounds the whole run.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use serde_json::Value as Json;

use super::destination::{Staged, stage};
use super::input::{Input, Record, Unparsed};
use super::resume::{Earlier, Verdict};
use super::summary::{RejectError, RejectFinding};
use super::{Destination, Format, Options, Shard};
use crate::emit::{email, files, mbox};
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

/// A record a worker makes a letter of: read, keyed, in this shard, not done before.
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

/// Counters the reader and the workers keep.
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
    pub changed: Listed,
    /// In doubt and held back (`--in-doubt hold`): their keys.
    pub held: Listed,
}

/// Keys the workers list as they meet them, each with its record's ordinal: workers take
/// chunks out of order, so the list is put in input order when it is taken.
#[derive(Default)]
pub(super) struct Listed(Mutex<Vec<(u64, String)>>);

impl Listed {
    /// Adds one chunk's keys.
    fn add(&self, keys: &mut Vec<(u64, String)>) {
        if keys.is_empty() {
            return;
        }
        if let Ok(mut list) = self.0.lock() {
            list.append(keys);
        }
    }

    /// The keys in input order.
    pub fn into_keys(self) -> Vec<String> {
        let mut list = self.0.into_inner().unwrap_or_default();
        list.sort_unstable_by_key(|(ordinal, _)| *ordinal);
        list.into_iter().map(|(_, key)| key).collect()
    }
}

/// What a worker decides about a record before its letter, and what it counts doing so.
pub(super) struct Admission<'a> {
    pub key_field: &'a str,
    /// `key_field` split at its dots.
    pub path: Vec<&'a str>,
    pub shard: Option<Shard>,
    pub resume: &'a Resume,
    pub counters: &'a Counters,
    /// The test hook that panics while reading a record.
    pub crash: Option<super::CrashPoint>,
}

impl<'a> Admission<'a> {
    pub fn new(options: &'a Options, resume: &'a Resume, counters: &'a Counters) -> Admission<'a> {
        Admission {
            key_field: &options.key_field,
            path: options.key_field.split('.').collect(),
            shard: options.shard,
            resume,
            counters,
            crash: options.crash,
        }
    }
}

/// The keys one chunk lists (changed, held), with their ordinals: added to the counters' lists
/// once a chunk, not once a key.
#[derive(Default)]
struct ChunkLists {
    changed: Vec<(u64, String)>,
    held: Vec<(u64, String)>,
}

/// What the reader does with the keys of earlier runs.
pub(super) struct Resume {
    pub earlier: Earlier,
    pub hold: bool,
    pub resend_changed: bool,
}

/// The reader: the input to chunks of records in input order, until the end, a structural
/// error (kept in `failure`), or the writer going away. It only splits and numbers (a JSON line
/// stays bytes): everything else about a record is the workers' ([`admit`]). Never inlined,
/// so that a profile shows the reader thread's whole work (`scripts/stage_costs.sh`).
#[inline(never)]
pub(super) fn read(
    input: &mut Input,
    jobs: SyncSender<Chunk<Unparsed>>,
    permits: SyncSender<()>,
    counters: &Counters,
    failure: &Mutex<Option<Error>>,
) {
    let mut seq = 0;
    let mut items = Vec::with_capacity(CHUNK);
    let send = |items: Vec<Unparsed>, seq: &mut u64| -> bool {
        if permits.send(()).is_err() {
            return false;
        }
        let ok = jobs.send(Chunk { seq: *seq, items }).is_ok();
        *seq += 1;
        ok
    };
    while let Some(next) = input.next_unparsed() {
        let unparsed = match next {
            Ok(unparsed) => unparsed,
            Err(e) => {
                if let Ok(mut slot) = failure.lock() {
                    *slot = Some(e);
                }
                break;
            }
        };
        counters.read.fetch_add(1, Ordering::Relaxed);
        items.push(unparsed);
        if items.len() == CHUNK && !send(std::mem::replace(&mut items, Vec::with_capacity(CHUNK)), &mut seq) {
            return;
        }
    }
    if !items.is_empty() {
        send(items, &mut seq);
    }
}

/// A record as read to the job a worker makes a letter of: parsed, keyed (its key also under
/// `key`), its content digest taken; `None` when it is another shard's or an earlier run's and
/// this run leaves it (counted, and listed when the summary lists such keys).
fn admit(admission: &Admission<'_>, unparsed: Unparsed, lists: &mut ChunkLists) -> Option<Job> {
    if admission.crash == Some(super::CrashPoint::PanicReading(unparsed.ordinal)) {
        panic!("test hook: panic-reading:{}", unparsed.ordinal);
    }
    let raw = unparsed.parse();
    let mut record = raw.record;
    let key = match &mut record {
        Ok(r) => {
            let key = key_of(r, &admission.path).unwrap_or_else(|| raw.ordinal.to_string());
            if admission.key_field != "key" || !r.contains_key("key") {
                r.insert("key".into(), Json::String(key.clone()));
            }
            key
        }
        Err(_) => raw.ordinal.to_string(),
    };
    let counters = admission.counters;
    if admission.shard.is_some_and(|s| !s.takes(&key)) {
        counters.other_shards.fetch_add(1, Ordering::Relaxed);
        return None;
    }
    let digest = record.as_ref().map_or(0, super::resume::digest);
    let mut job = Job { ordinal: raw.ordinal, line: raw.line, key, digest, record, in_doubt: false, revision: None };
    let resume = admission.resume;
    if !resume.earlier.is_empty() && !verdict(resume, counters, &mut job, lists) {
        return None;
    }
    Some(job)
}

/// The jobs of one chunk of records, in input order (see [`admit`]), the keys it lists added to
/// the counters' lists. A record whose reading panicked is that record's reject (keyed by its
/// ordinal, as a record that cannot be read is): a worker that died here would leave its chunk
/// missing, and the writer waiting for it for ever.
fn admit_chunk(admission: &Admission<'_>, records: Vec<Unparsed>) -> Vec<std::result::Result<Job, Done>> {
    let mut lists = ChunkLists::default();
    let jobs = records
        .into_iter()
        .filter_map(|unparsed| {
            let (ordinal, line) = (unparsed.ordinal, unparsed.line);
            let admitted =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| admit(admission, unparsed, &mut lists)));
            match admitted {
                Ok(job) => job.map(Ok),
                Err(payload) => Some(Err(panicked(ordinal, line, ordinal.to_string(), 0, false, &*payload))),
            }
        })
        .collect();
    admission.counters.changed.add(&mut lists.changed);
    admission.counters.held.add(&mut lists.held);
    jobs
}

/// Decides by what earlier runs did with its key whether a record is made in this run (and
/// how), counting and listing the ones that are not.
fn verdict(resume: &Resume, counters: &Counters, job: &mut Job, lists: &mut ChunkLists) -> bool {
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
            lists.changed.push((job.ordinal, job.key.clone()));
            // A new Message-ID: the customer's mail program must not take it for the first.
            job.revision = Some(job.digest);
            resume.resend_changed
        }
        Verdict::InDoubt if resume.hold => {
            lists.held.push((job.ordinal, job.key.clone()));
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
    pub admission: Admission<'a>,
    pub standard: &'a Standard,
    pub outputs: &'a crate::emit::Outputs,
    pub options: &'a Options,
    pub batch: String,
    pub input_name: String,
    pub domain: String,
}

/// A render worker: chunks of records in, chunks of results out (one for each chunk taken, empty
/// when it made no letter: the writer counts chunks), until either channel closes.
pub(super) fn render(ctx: &Context<'_>, jobs: &Mutex<Receiver<Chunk<Unparsed>>>, results: SyncSender<Chunk<Done>>) {
    loop {
        let chunk = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = chunk else { return };
        let items = admit_chunk(&ctx.admission, chunk.items)
            .into_iter()
            .map(|job| job.map_or_else(|done| done, |job| render_guarded(ctx, job)))
            .collect();
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
        Err(payload) => panicked(ordinal, line, key, digest, in_doubt, &*payload),
    }
}

/// The reject of a record whose work panicked ("internal error" and the panic's message).
fn panicked(
    ordinal: u64,
    line: u64,
    key: String,
    digest: u64,
    in_doubt: bool,
    payload: &(dyn std::any::Any + Send),
) -> Done {
    let why = panic_message(payload);
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
                Some("this is a bug in missive: please report it with the record; the rest of the batch went on"),
            )],
            findings: Vec::new(),
        },
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
        Destination::Mbox(_) => Payload::Mbox(mbox::entry(ctx.outputs, letter, &envelope)?),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::journal::State;
    use crate::batch::resume::Earlier;
    use proptest::prelude::*;

    /// A job as a comparable tuple: ordinal, line, key, digest, revision, in doubt, the record
    /// or its error.
    type Seen = (u64, u64, String, u64, Option<u64>, bool, std::result::Result<Record, String>);

    fn seen(job: Job) -> Seen {
        let record = job.record.map_err(|e| e.to_string());
        (job.ordinal, job.line, job.key, job.digest, job.revision, job.in_doubt, record)
    }

    /// The counts of a run's counters, in a fixed order.
    fn counts(c: &Counters) -> [u64; 7] {
        [&c.read, &c.skipped, &c.other_shards, &c.rejected_before, &c.new, &c.mended, &c.unsent_before]
            .map(|n| n.load(Ordering::Relaxed))
    }

    /// What one reader thread did with every record before the workers took it over, kept as
    /// the reference: parse, key, shard, digest and verdict, record after record.
    fn reference(text: &str, admission: &Admission<'_>) -> (Vec<Seen>, [u64; 7], Vec<String>, Vec<String>) {
        let mut input = Input::from_bytes("in", super::super::input::InputFormat::JsonLines, text.into()).unwrap();
        let (counters, resume) = (admission.counters, admission.resume);
        let (mut jobs, mut changed, mut held) = (Vec::new(), Vec::new(), Vec::new());
        while let Some(raw) = input.next_record() {
            let raw = raw.unwrap();
            counters.read.fetch_add(1, Ordering::Relaxed);
            let mut record = raw.record;
            let key = match &mut record {
                Ok(r) => {
                    let key = key_of(r, &admission.path).unwrap_or_else(|| raw.ordinal.to_string());
                    if admission.key_field != "key" || !r.contains_key("key") {
                        r.insert("key".into(), Json::String(key.clone()));
                    }
                    key
                }
                Err(_) => raw.ordinal.to_string(),
            };
            if admission.shard.is_some_and(|s| !s.takes(&key)) {
                counters.other_shards.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let digest = record.as_ref().map_or(0, super::super::resume::digest);
            let mut job =
                Job { ordinal: raw.ordinal, line: raw.line, key, digest, record, in_doubt: false, revision: None };
            if !resume.earlier.is_empty() {
                let mut lists = ChunkLists::default();
                let admitted = verdict(resume, counters, &mut job, &mut lists);
                changed.extend(lists.changed.into_iter().map(|(_, key)| key));
                held.extend(lists.held.into_iter().map(|(_, key)| key));
                if !admitted {
                    continue;
                }
            }
            jobs.push(seen(job));
        }
        (jobs, counts(counters), changed, held)
    }

    /// The reader and `workers` threads as a run has them (chunks taken in whatever order the
    /// threads get to them), the jobs put back in chunk order as the writer does.
    fn split(text: &str, admission: &Admission<'_>, workers: usize) -> (Vec<Seen>, [u64; 7]) {
        let mut input = Input::from_bytes("in", super::super::input::InputFormat::JsonLines, text.into()).unwrap();
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<Chunk<Unparsed>>(2);
        let (result_tx, result_rx) = std::sync::mpsc::sync_channel::<Chunk<Job>>(2);
        let (permit_tx, permit_rx) = std::sync::mpsc::sync_channel::<()>(4);
        let (job_rx, failure) = (Mutex::new(job_rx), Mutex::new(None));
        let mut chunks = std::collections::BTreeMap::new();
        std::thread::scope(|scope| {
            let (input, failure, job_rx) = (&mut input, &failure, &job_rx);
            scope.spawn(move || read(input, job_tx, permit_tx, admission.counters, failure));
            for _ in 0..workers {
                let result_tx = result_tx.clone();
                scope.spawn(move || {
                    loop {
                        let chunk = job_rx.lock().unwrap().recv();
                        let Ok(chunk) = chunk else { return };
                        let items =
                            admit_chunk(admission, chunk.items).into_iter().map(|job| job.ok().unwrap()).collect();
                        result_tx.send(Chunk { seq: chunk.seq, items }).unwrap();
                    }
                });
            }
            drop(result_tx);
            for chunk in result_rx {
                permit_rx.recv().unwrap();
                chunks.insert(chunk.seq, chunk.items);
            }
        });
        assert!(failure.into_inner().unwrap().is_none());
        assert_eq!(chunks.keys().copied().collect::<Vec<_>>(), (0..chunks.len() as u64).collect::<Vec<_>>());
        (chunks.into_values().flatten().map(seen).collect(), counts(admission.counters))
    }

    /// A JSON line for `(kind, k, v)`: a record keyed `K{k}` with a value, or keyed by a
    /// number, or without a key, or a line that is not a record (blank lines between some).
    fn line((kind, k, v): (u8, u8, u8)) -> String {
        match kind {
            0 | 1 => format!("{{\"key\": \"K{k}\", \"v\": {v}}}\n"),
            2 => format!("{{\"key\": {k}, \"v\": [{v}]}}\r\n\n"),
            3 => format!("{{\"v\": {v}}}\n"),
            4 => format!("{{\"key\": \"K{k}\", \"v\": \n"),
            _ => format!("[{v}]\n"),
        }
    }

    fn state(code: u8) -> State {
        [State::Done, State::Rejected, State::Sending, State::Deferred][usize::from(code % 4)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// The workers decide about each record what the one reader used to, and the keys they
        /// list (changed, held) come out in input order however the chunks were shared.
        #[test]
        fn workers_admit_records_as_the_reader_did_in_input_order(
            lines in proptest::collection::vec((0u8..6, 0u8..40, 0u8..3), 0..300),
            rows in proptest::collection::vec((0u8..40, 0u8..3, 0u8..4), 0..40),
            shard in proptest::option::of(1u64..=3),
            hold: bool,
            resend_changed: bool,
        ) {
            let text: String = lines.iter().copied().map(line).collect();
            let digest_of = |k: u8, v: u8| {
                let record: Record = serde_json::from_str(&format!("{{\"key\": \"K{k}\", \"v\": {v}}}")).unwrap();
                super::super::resume::digest(&record)
            };
            let rows: Vec<(String, u64, State)> =
                rows.iter().map(|&(k, v, s)| (format!("K{k}"), digest_of(k, v), state(s))).collect();
            let earlier = || Earlier::new(rows.iter().map(|(k, d, s)| (k.as_str(), *d, *s)));
            let mut options = Options::new("t", std::path::Path::new("in.jsonl"), super::super::Destination::DryRun);
            options.shard = shard.map(|i| format!("{i}/3").parse().unwrap());
            let (want_resume, got_resume) = (
                Resume { earlier: earlier(), hold, resend_changed },
                Resume { earlier: earlier(), hold, resend_changed },
            );
            let (want_counters, got_counters) = (Counters::default(), Counters::default());
            let want = reference(&text, &Admission::new(&options, &want_resume, &want_counters));
            let (jobs, counts) = split(&text, &Admission::new(&options, &got_resume, &got_counters), 2);
            prop_assert_eq!(&jobs, &want.0);
            prop_assert_eq!(counts, want.1);
            prop_assert_eq!(got_counters.changed.into_keys(), want.2);
            prop_assert_eq!(got_counters.held.into_keys(), want.3);
        }
    }

    #[test]
    fn listed_keys_come_out_in_input_order_whatever_order_the_chunks_came_in() {
        let listed = Listed::default();
        listed.add(&mut vec![(130, "c".to_string()), (131, "d".to_string())]);
        listed.add(&mut Vec::new());
        listed.add(&mut vec![(2, "a".to_string()), (70, "b".to_string())]);
        listed.add(&mut vec![(200, "e".to_string())]);
        assert_eq!(listed.into_keys(), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn keys_come_from_a_dotted_field() {
        let record: Record = serde_json::from_str(r#"{"key": " K1 ", "invoice": {"number": 7}, "e": ""}"#).unwrap();
        assert_eq!(key_of(&record, &["key"]).as_deref(), Some("K1"));
        assert_eq!(key_of(&record, &["invoice", "number"]).as_deref(), Some("7"));
        assert_eq!(key_of(&record, &["e"]), None);
        assert_eq!(key_of(&record, &["missing", "x"]), None);
    }
}
