//! The last stage, on the caller's thread: letters in input order to the destination, rejects to
//! their report, and the journal committed after the destination confirmed — in groups for
//! files and mbox (one sync of the group, then one transaction). SMTP letters go on to the
//! sender threads of `send.rs`, whose journal marks (`sending` before a message's data, `done`
//! after the server's 250) one committer thread records.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::destination::{Appender, Folder, Sink};
use super::given::Given;
use super::input::{Input, Record, Unparsed};
use super::journal::{Entry, Identity, Journal, State};
use super::send::{Marks, SendJob, SendReport, Senders, Sent};
use super::summary::{Reject, RejectError, RejectFinding};
use super::work::{self, Chunk, Context, Counters, Done, Outcome, Payload};
use super::{CrashPoint, Destination, InDoubtPolicy, Options, Progress, Summary};
use crate::emit::smtp::Smtp;
use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;

/// How often progress is reported, and how long a partial group may wait for its commit.
const TICK: Duration = Duration::from_millis(200);
const GROUP_AGE: Duration = Duration::from_secs(1);

pub(super) fn run(
    standard: &Standard,
    outputs: &crate::emit::Outputs,
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Summary> {
    let start = Instant::now();
    let mut input = Input::open_as(&options.data, options.dialect.clone())?;
    let identity = Identity {
        template: options.template.clone(),
        destination: options.destination.describe(),
        format: options.format.name().into(),
        shard: options.shard.map(|s| s.to_string()).unwrap_or_default(),
        batch: options.batch.clone().unwrap_or_else(|| batch_name(&options.data)),
    };
    let dry = matches!(options.destination, Destination::DryRun);
    let Opened { mut journal, sink, smtp, rejects, rejects_path, batch } = open(options, &identity, dry)?;

    let mut summary = Summary {
        template: options.template.clone(),
        input: input.name().to_string(),
        destination: options.destination.describe(),
        journal: journal.as_ref().map(|j| j.path().display().to_string()),
        rejects: rejects_path.as_ref().map(|p| p.display().to_string()),
        ..Summary::default()
    };

    let resume = resume(journal.as_mut(), options, &input, &mut summary)?;

    let counters = Counters::default();
    let sender = &standard.config().sender.email;
    let ctx = Context {
        admission: work::Admission::new(options, &resume, &counters),
        standard,
        outputs,
        options,
        batch,
        input_name: input.name().to_string(),
        domain: sender.rsplit_once('@').map_or("missive.invalid", |(_, d)| d).to_string(),
    };
    let jobs = options.jobs.max(1);
    let failure = Mutex::new(None);
    let bytes_read = std::sync::Arc::clone(&input.bytes_read);
    let bytes_total = input.bytes_total;

    let journal = journal.map(Mutex::new);
    let connections = options.connections.max(1);
    let (send_tx, send_rx) = sync_channel::<SendJob>(connections * 2);
    let (report_tx, report_rx) = channel::<SendReport>();
    let send_rx = std::sync::Arc::new(Mutex::new(send_rx));
    let marks = match (&smtp, &journal) {
        (Some(_), Some(journal)) => Some(Marks::new(journal)),
        _ => None,
    };
    let senders = smtp.as_ref().map(|smtp| Senders::new(smtp, marks.as_ref(), options));
    let mut writer = Writer {
        options,
        journal: journal.as_ref(),
        sink,
        rejects,
        summary,
        pending: Vec::new(),
        given: Given::default(),
        delivered: 0,
        last_commit: Instant::now(),
        start,
        to_send: senders.is_some().then_some(send_tx),
        senders: senders.as_ref(),
        reports: report_rx,
        in_flight: HashMap::new(),
    };

    let (job_tx, job_rx) = sync_channel::<Chunk<Unparsed>>(jobs * 2);
    let (result_tx, result_rx) = sync_channel::<Chunk<Done>>(jobs * 2);
    let (permit_tx, permit_rx) = sync_channel::<()>(jobs * 4 + 4);
    // The workers own the jobs' receiving end: when the writer stops on an error, the workers
    // stop at their next send, the last one drops the receiver, and a reader blocked on a full
    // queue gets an error instead of waiting for ever.
    let job_rx = std::sync::Arc::new(Mutex::new(job_rx));
    let outcome = std::thread::scope(|scope| -> Result<()> {
        let (input, counters, failure, ctx) = (&mut input, &counters, &failure, &ctx);
        scope.spawn(move || work::read(input, job_tx, permit_tx, counters, failure));
        for _ in 0..jobs {
            let (result_tx, job_rx) = (result_tx.clone(), std::sync::Arc::clone(&job_rx));
            scope.spawn(move || work::render(ctx, &job_rx, result_tx));
        }
        drop(result_tx);
        drop(job_rx);
        if let Some(marks) = &marks {
            scope.spawn(move || marks.commit_until_closed());
        }
        if let Some(senders) = &senders {
            for _ in 0..connections {
                let (report_tx, send_rx) = (report_tx.clone(), std::sync::Arc::clone(&send_rx));
                scope.spawn(move || senders.run(send_rx, report_tx));
            }
        }
        drop(report_tx);
        drop(send_rx);
        let mut tick = |w: &Writer<'_>| {
            progress(&Progress {
                read: counters.read.load(std::sync::atomic::Ordering::Relaxed),
                done: w.summary.done,
                rejected: w.summary.rejected,
                skipped: counters.skipped.load(std::sync::atomic::Ordering::Relaxed),
                bytes_read: bytes_read.load(std::sync::atomic::Ordering::Relaxed),
                bytes_total,
                elapsed: start.elapsed(),
            })
        };
        // On an error or a panic too: closing the queue lets the sender threads end, so the
        // scope can.
        let drained =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| writer.drain(result_rx, permit_rx, &mut tick)));
        writer.to_send = None;
        drained.unwrap_or_else(|payload| std::panic::resume_unwind(payload))
    });
    // A run its SMTP server stopped still reports what it did (the summary says why it stopped);
    // any other failure is the run's error.
    if let Err(e) = outcome
        && writer.summary.stopped.is_none()
    {
        return Err(e);
    }
    if let Some(e) = marks.as_ref().and_then(Marks::failure) {
        return Err(e);
    }
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }

    finish(writer.summary, counters, journal.as_ref(), &input, options, start)
}

/// What a run writes to, opened: the journal (a resume's, or none yet for a fresh run until the
/// destination opened), the destination, the SMTP server (checked), the rejects report.
struct Opened {
    journal: Option<Journal>,
    sink: Sink,
    smtp: Option<Smtp>,
    rejects: Option<Appender>,
    rejects_path: Option<PathBuf>,
    /// The batch name (the journal's, on a resume).
    batch: String,
}

/// Opens what a run writes to. A resume reads the journal first (it holds the committed
/// lengths); a fresh run checks that no journal exists, opens the destination, and only then
/// creates its journal, so a destination that cannot be opened leaves no journal behind.
fn open(options: &Options, identity: &Identity, dry: bool) -> Result<Opened> {
    let journal_path = options.journal.clone().or_else(|| options.destination.default_journal(&options.data));
    let path = match (&journal_path, dry) {
        (_, true) => None,
        (None, false) => {
            return Err(Error::new(ErrorKind::Usage, "an SMTP batch from standard input needs --journal FILE")
                .with_help(
                    "the journal records which letters were sent, so that a resumed run sends no letter twice",
                ));
        }
        (Some(path), false) => Some(path.as_path()),
    };
    let mut journal = match path {
        Some(path) if options.resume => Some(Journal::resume(path, identity)?),
        Some(path) => {
            Journal::refuse_existing(path)?;
            None
        }
        None => None,
    };
    let committed = |name: &str| -> Result<Option<u64>> {
        Ok(match &journal {
            Some(j) => Some(j.meta(name)?.and_then(|v| v.parse().ok()).unwrap_or(0)),
            None => None,
        })
    };
    let mut smtp = None;
    let sink = match &options.destination {
        Destination::Folder(dir) => Sink::Folder(Folder::open(dir)?),
        Destination::Mbox(path) => Sink::Mbox(Appender::open(path, committed("mbox_len")?, false)?),
        Destination::Smtp { url, credentials } => {
            let server = Smtp::new(url, credentials.clone(), options.smtp_timeout)?
                .with_data_timeout(options.smtp_data_timeout.max(options.smtp_timeout));
            server.check()?;
            smtp = Some(server);
            Sink::Smtp
        }
        Destination::DryRun => Sink::Nowhere,
    };
    let rejects_path = options
        .rejects
        .clone()
        .or_else(|| if dry { None } else { options.destination.default_rejects(journal_path.as_deref()) });
    let rejects = match &rejects_path {
        Some(path) => Some(Appender::open(path, committed("rejects_len")?, true)?),
        None => None,
    };
    if let (Some(path), None) = (path, &journal) {
        journal = Some(Journal::create(path, identity)?);
    }
    if let Some(j) = &journal {
        // Until the run ends: a journal still saying so was left by a run that was killed.
        j.set_meta("last_run", "running")?;
    }
    let batch = match &journal {
        Some(j) => j.meta("batch")?.unwrap_or_else(|| identity.batch.clone()),
        None => identity.batch.clone(),
    };
    Ok(Opened { journal, sink, smtp, rejects, rejects_path, batch })
}

/// What earlier runs did, by key, and whether the input is the one the journal began with (its
/// size now; its digest once read to the end, in [`finish`]).
fn resume(
    journal: Option<&mut Journal>,
    options: &Options,
    input: &Input,
    summary: &mut Summary,
) -> Result<work::Resume> {
    let mut earlier = super::resume::Earlier::default();
    if let Some(j) = journal {
        if options.resume {
            earlier = j.earlier()?;
            let size = j.meta("input_size")?.and_then(|v| v.parse::<u64>().ok());
            summary.input_changed = match (size, input.bytes_total) {
                (Some(before), Some(now)) if before != now => Some(true),
                (Some(_), Some(_)) => Some(false),
                _ => None,
            };
        } else if let Some(size) = input.bytes_total {
            j.set_meta("input_size", &size.to_string())?;
        }
    }
    Ok(work::Resume { earlier, hold: options.in_doubt == InDoubtPolicy::Hold, resend_changed: options.resend_changed })
}

/// The summary once every stage ended: the reader's counts, the input's digest checked against
/// the journal's, the letters in doubt over the journal's life, how the run ended.
fn finish(
    mut summary: Summary,
    counters: Counters,
    journal: Option<&Mutex<Journal>>,
    input: &Input,
    options: &Options,
    start: Instant,
) -> Result<Summary> {
    if let (Some(journal), Some(&digest)) = (journal, input.digest.get()) {
        let journal = lock(journal)?;
        match journal.meta("input_digest")?.and_then(|v| v.parse::<u64>().ok()) {
            Some(before) => summary.input_changed = Some(summary.input_changed == Some(true) || before != digest),
            None => journal.set_meta("input_digest", &digest.to_string())?,
        }
    }
    summary.read = counters.read.into_inner();
    summary.skipped = counters.skipped.into_inner();
    summary.rejected_before = counters.rejected_before.into_inner();
    summary.new = counters.new.into_inner();
    summary.mended = counters.mended.into_inner();
    summary.changed.keys = counters.changed.into_keys();
    if options.resend_changed {
        summary.changed.resent = summary.changed.keys.len() as u64;
    }
    summary.unsent_before = counters.unsent_before.into_inner();
    let held = counters.held.into_keys();
    summary.in_doubt.held += held.len() as u64;
    summary.in_doubt.keys.extend(held);
    summary.in_doubt.this_run = summary.in_doubt.keys.len() as u64;
    if let (Some(journal), true) = (journal, matches!(options.destination, Destination::Smtp { .. })) {
        // The report is the journal's: every run's letters in doubt, not only this one's.
        let all = lock(journal)?.in_doubt()?;
        summary.in_doubt.resent = all.iter().filter(|(_, delivered)| *delivered).count() as u64;
        summary.in_doubt.held = all.len() as u64 - summary.in_doubt.resent;
        summary.in_doubt.keys = all.into_iter().map(|(key, _)| key).collect();
    }
    summary.other_shards = counters.other_shards.into_inner();
    summary.timeline.record(start.elapsed(), summary.done, summary.rejected);
    summary.seconds = start.elapsed().as_secs_f64();
    summary.letters_per_second = if summary.seconds > 0.0 { summary.done as f64 / summary.seconds } else { 0.0 };
    if let (Some(journal), None) = (journal, &summary.stopped) {
        lock(journal)?.set_meta("last_run", "finished")?;
    }
    Ok(summary)
}

/// A reject's error as the summary groups it: the field and the message without the value it
/// quotes first (`customer.email: … is not an e-mail address: it has no `@``).
fn reason(error: &RejectError) -> String {
    let message = error.message.trim_start();
    let message = match message.strip_prefix('`').and_then(|rest| rest.split_once("` ")) {
        Some((_, rest)) => format!("… {rest}"),
        None => message.to_string(),
    };
    match &error.field {
        Some(field) => format!("{field}: {message}"),
        None => message,
    }
}

/// The batch name when none is given: the input file's stem (`invoices-2026-11`).
fn batch_name(data: &Path) -> String {
    data.file_stem().and_then(|s| s.to_str()).filter(|s| *s != "-").unwrap_or("stdin").to_string()
}

/// The journal, locked; a poisoned lock (a thread that panicked) is an error, not a panic.
pub(super) fn lock(journal: &Mutex<Journal>) -> Result<MutexGuard<'_, Journal>> {
    journal.lock().map_err(|_| Error::new(ErrorKind::Io, "the journal is unusable after a failed thread"))
}

/// A record's place in this run: where it stood, its key and its content digest.
#[derive(Debug, Clone)]
pub(super) struct Who {
    pub ordinal: u64,
    pub line: u64,
    pub key: String,
    pub digest: u64,
}

impl Who {
    fn of(done: &Done) -> Who {
        Who { ordinal: done.ordinal, line: done.line, key: done.key.clone(), digest: done.digest }
    }

    /// This record's journal row in `state`.
    pub fn entry(&self, state: State, message_id: Option<String>, in_doubt: bool) -> Entry {
        Entry {
            ordinal: self.ordinal,
            key: self.key.clone(),
            digest: self.digest,
            duplicate: false,
            state,
            message_id,
            in_doubt,
        }
    }
}

struct Writer<'a> {
    options: &'a Options,
    journal: Option<&'a Mutex<Journal>>,
    sink: Sink,
    rejects: Option<Appender>,
    summary: Summary,
    /// Letters delivered or rejected since the last commit.
    pending: Vec<Entry>,
    /// Every key given a letter in this run (delivered, or handed to a sender): a key it does
    /// not hold is no other record's, without asking the journal.
    given: Given,
    /// Letters that reached the destination in this run (for the crash hook).
    delivered: u64,
    last_commit: Instant,
    /// When the run started, for the timeline.
    start: Instant,
    /// The sender threads' queue (SMTP only).
    to_send: Option<SyncSender<SendJob>>,
    senders: Option<&'a Senders<'a>>,
    reports: Receiver<SendReport>,
    /// Keys handed to the senders and not yet reported, with their ordinals.
    in_flight: HashMap<String, u64>,
}

impl Writer<'_> {
    /// Takes results in input order until the workers are done; commits what remains.
    fn drain(
        &mut self,
        results: Receiver<Chunk<Done>>,
        permits: Receiver<()>,
        tick: &mut dyn FnMut(&Writer<'_>),
    ) -> Result<()> {
        let mut waiting: BTreeMap<u64, Vec<Done>> = BTreeMap::new();
        let mut next = 0;
        let mut last_tick = Instant::now();
        for chunk in results {
            waiting.insert(chunk.seq, chunk.items);
            while let Some(items) = waiting.remove(&next) {
                for done in items {
                    self.letter(done)?;
                }
                let _ = permits.recv();
                next += 1;
                self.summary.timeline.record(self.start.elapsed(), self.summary.done, self.summary.rejected);
                if last_tick.elapsed() >= TICK {
                    tick(self);
                    last_tick = Instant::now();
                }
            }
        }
        // Every letter is queued: close the queue and wait for the senders' last reports.
        self.to_send = None;
        self.collect(true)?;
        self.commit()?;
        tick(self);
        Ok(())
    }

    /// Takes the SMTP senders' reports: all until the senders are done (`wait`), else those in.
    /// When a sender stopped the run, the reports still in are taken first (their rejects
    /// recorded), then the run ends with the sender's error.
    fn collect(&mut self, wait: bool) -> Result<()> {
        loop {
            let report = if wait { self.reports.recv().ok() } else { self.reports.try_recv().ok() };
            let Some(report) = report else { break };
            self.in_flight.remove(&report.who.key);
            if report.in_doubt {
                self.summary.in_doubt.keys.push(report.who.key.clone());
            }
            match report.sent {
                Sent::Accepted => {
                    self.summary.done += 1;
                    if report.violation {
                        self.summary.violations += 1;
                    }
                    if report.in_doubt {
                        self.summary.in_doubt.resent += 1;
                    }
                }
                Sent::Deferred(why) => {
                    if report.in_doubt {
                        self.summary.in_doubt.held += 1;
                    }
                    self.summary.deferred.count += 1;
                    self.summary.deferred.keys.push(report.who.key);
                    self.summary.deferred.last_reply = Some(why);
                }
                Sent::Refused(why) => {
                    let mut errors = vec![RejectError::plain(
                        format!("the SMTP server refused the letter: {why}"),
                        Some(
                            "check the address and the server's reason; mend the record and pass the rejects file as --data to send it",
                        ),
                    )];
                    if report.in_doubt {
                        errors.push(RejectError::plain(
                            "an earlier attempt got no reply: the server may hold a copy",
                            None,
                        ));
                    }
                    self.reject(&report.who, errors, Vec::new(), report.record)?;
                    // The journal keeps the doubt: a later summary still lists it.
                    if let Some(entry) = self.pending.last_mut() {
                        entry.in_doubt = report.in_doubt;
                    }
                }
            }
        }
        match self.senders.and_then(|s| s.stop.lock().ok()?.take()) {
            Some(error) => {
                if !wait {
                    // Let the other senders finish what they hold, and take their reports.
                    self.to_send = None;
                    self.collect(true)?;
                }
                self.commit()?;
                let journal = match self.journal {
                    Some(j) => {
                        let j = lock(j)?;
                        j.set_meta("last_run", &format!("stopped: {error}"))?;
                        j.path().display().to_string()
                    }
                    None => "the journal".to_string(),
                };
                let error = error.with_help(format!(
                    "the server accepted {} letters of this run before it stopped; the others are not done (`missive journal {journal}` tells what is) and --resume sends them once the server is back",
                    self.summary.done
                ));
                self.summary.stopped = Some(super::summary::Stopped {
                    error: error.to_string(),
                    help: error.help_text().unwrap_or_default().to_string(),
                });
                Err(error)
            }
            None => Ok(()),
        }
    }

    fn letter(&mut self, done: Done) -> Result<()> {
        for code in &done.findings {
            *self.summary.findings.entry(code.clone()).or_default() += 1;
        }
        for code in &done.warnings {
            *self.summary.warnings.entry(code.clone()).or_default() += 1;
        }
        let who = Who::of(&done);
        let record = done.record;
        match done.outcome {
            Outcome::Rejected { errors, findings } => {
                self.reject(&who, errors, findings, record)?;
            }
            Outcome::Fatal(e) => return Err(e),
            Outcome::Ready { payload, violation } => {
                let clash = match (self.holder_of(&done.key, done.ordinal)?, &mut self.sink) {
                    (Some(holder), _) => Some(RejectError::plain(
                        format!("key `{}` is already record {holder}'s: keys must be unique in a batch", done.key),
                        Some("give every record its own key (or choose the key field with --key)"),
                    )),
                    (None, Sink::Folder(folder)) => folder.clash(&done.key).map(|holder| {
                        RejectError::plain(
                            format!(
                                "key `{}` differs from key `{holder}` only in case, and the folder's file system ignores case: one letter would overwrite the other",
                                done.key
                            ),
                            Some("write to a folder on a file system that tells case apart, or give the records keys that differ in more than case"),
                        )
                    }),
                    (None, _) => None,
                };
                if let Some(error) = clash {
                    if let Payload::Files(files) = payload {
                        files.into_iter().for_each(|f| f.discard());
                    }
                    let entry = self.reject(&who, vec![error], Vec::new(), record);
                    // A repeat is never its key's state: the first record's letter is.
                    if let Some(last) = self.pending.last_mut() {
                        last.duplicate = true;
                    }
                    return entry;
                }
                self.deliver(who, done.in_doubt, payload, violation, record)?;
            }
        }
        if self.pending.len() >= self.options.group.max(1) || self.last_commit.elapsed() >= GROUP_AGE {
            self.commit()?;
        }
        Ok(())
    }

    /// The record already holding `key` in this batch, if another one does. Only a key given a
    /// letter in this run can be held (by the group not yet committed, a sender, or the
    /// journal's rows of this run, each of which the writer gave it): one the filter of given
    /// keys does not hold is answered at once.
    fn holder_of(&mut self, key: &str, ordinal: u64) -> Result<Option<u64>> {
        if !self.given.may_hold(key) {
            return Ok(None);
        }
        if let Some(e) = self.pending.iter().find(|e| e.key == key && e.state == State::Done) {
            return Ok(Some(e.ordinal));
        }
        if let Some(&holder) = self.in_flight.get(key) {
            return Ok(Some(holder));
        }
        let Some(journal) = self.journal else { return Ok(None) };
        Ok(lock(journal)?.holder_of(key)?.filter(|&o| o != ordinal))
    }

    fn deliver(
        &mut self,
        who: Who,
        in_doubt: bool,
        payload: Payload,
        violation: bool,
        record: Option<Record>,
    ) -> Result<()> {
        match (&mut self.sink, payload) {
            (Sink::Folder(folder), Payload::Files(files)) => files.into_iter().for_each(|f| folder.adopt(f)),
            (Sink::Mbox(mbox), Payload::Mbox(entry)) => mbox.append_owned(entry)?,
            (Sink::Smtp, Payload::Mail(message, id)) => {
                let Some(queue) = &self.to_send else {
                    return Err(Error::new(ErrorKind::Io, "internal: no SMTP senders"));
                };
                self.in_flight.insert(who.key.clone(), who.ordinal);
                self.given.insert(&who.key);
                let job = SendJob { who, in_doubt, violation, message, id, record };
                if queue.send(job).is_err() {
                    // Every sender stopped: the run stops, with the reason one of them left.
                    self.to_send = None;
                    self.collect(true)?;
                    return Err(Error::new(ErrorKind::Io, "internal: the SMTP senders stopped without a reason"));
                }
                return self.collect(false);
            }
            (Sink::Nowhere, _) => {}
            _ => {
                return Err(Error::new(ErrorKind::Render, "internal: the letter was prepared for another destination"));
            }
        }
        self.delivered += 1;
        self.summary.done += 1;
        if violation {
            self.summary.violations += 1;
        }
        if in_doubt {
            self.summary.in_doubt.resent += 1;
            self.summary.in_doubt.keys.push(who.key.clone());
        }
        self.given.insert(&who.key);
        self.pending.push(who.entry(State::Done, None, in_doubt));
        Ok(())
    }

    fn reject(
        &mut self,
        who: &Who,
        errors: Vec<RejectError>,
        findings: Vec<RejectFinding>,
        record: Option<Record>,
    ) -> Result<()> {
        self.summary.rejected += 1;
        for error in &errors {
            *self.summary.reasons.entry(reason(error)).or_default() += 1;
            *self.summary.reject_fields.entry(error.field_name().to_string()).or_default() += 1;
        }
        if let Some(rejects) = &mut self.rejects {
            let reject =
                Reject { ordinal: who.ordinal, line: who.line, key: who.key.clone(), errors, findings, record };
            rejects.append(|w| {
                serde_json::to_writer(&mut *w, &reject).map_err(std::io::Error::other)?;
                w.write_all(b"\n")
            })?;
        }
        self.pending.push(who.entry(State::Rejected, None, false));
        Ok(())
    }

    /// Syncs the destination and the rejects, then marks the group in the journal.
    fn commit(&mut self) -> Result<()> {
        self.last_commit = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        let mbox_len = self.sink.sync()?;
        let rejects_len = match &mut self.rejects {
            Some(r) => Some(r.sync()?),
            None => None,
        };
        if let Some(CrashPoint::BeforeCommit(n)) = self.options.crash
            && self.delivered >= n
        {
            std::process::abort();
        }
        if let Some(journal) = self.journal {
            let mut meta = Vec::new();
            if let Some(len) = mbox_len {
                meta.push(("mbox_len", len.to_string()));
            }
            if let Some(len) = rejects_len {
                meta.push(("rejects_len", len.to_string()));
            }
            lock(journal)?.commit(&self.pending, &meta)?;
        }
        if let Some(CrashPoint::AfterCommit(n)) = self.options.crash
            && self.delivered >= n
        {
            std::process::abort();
        }
        self.pending.clear();
        Ok(())
    }
}
