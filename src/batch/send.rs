//! The SMTP stage: sender threads (`--connections`), each on one connection kept open, each
//! letter recorded `sending` before its data goes out and `done` after the server's 250. The
//! journal marks of all threads are committed together by one committer thread ([`Marks`]: one
//! transaction and one fsync for whatever is waiting), and a letter's `sending` mark is
//! committed while its envelope is on its way, so durability costs no round trip.
//!
//! A failing server is the destination's failure, never a letter's: a sender whose connection
//! fails waits and reconnects with doubling delays, and when no connection has succeeded for
//! `--give-up-after` the run stops (exit 2) naming the server and its last error. What was not
//! confirmed stays not done (or in doubt, when its data went out unanswered) for `--resume`.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::input::Record;
use super::journal::{Entry, Journal, State};
use super::write::{Who, lock};
use super::{CrashPoint, Options, work};
use crate::emit::smtp::{Failure, Outgoing, Session, Smtp};
use crate::error::{Error, ErrorKind, Result};

/// A letter for a sender thread.
pub(super) struct SendJob {
    pub who: Who,
    pub in_doubt: bool,
    pub violation: bool,
    pub message: Box<Outgoing>,
    pub id: String,
    /// The record, for the rejects report if the server refuses the letter.
    pub record: Option<Record>,
}

/// How a letter ended.
pub(super) enum Sent {
    /// Accepted (250) and recorded done.
    Accepted,
    /// Refused for good (5xx): a reject.
    Refused(String),
    /// Still deferred (4xx) after every retry: recorded not done, for a later resume.
    Deferred(String),
}

/// What a sender thread reports back to the writer.
pub(super) struct SendReport {
    pub who: Who,
    pub record: Option<Record>,
    pub in_doubt: bool,
    pub violation: bool,
    pub sent: Sent,
}

/// The journal marks of all sender threads, committed by one committer thread in groups:
/// whatever is waiting goes in one transaction (one fsync). A sender submits a mark and gets a
/// ticket; it waits for its ticket only where durability matters (a letter's `sending` mark
/// before its data goes out), so the fsync runs while the server answers the envelope.
pub(super) struct Marks<'a> {
    journal: &'a Mutex<Journal>,
    queue: Mutex<Queue>,
    /// The committer waits here for marks; senders wait here for their tickets.
    changed: Condvar,
}

#[derive(Default)]
struct Queue {
    issued: u64,
    durable: u64,
    entries: Vec<Entry>,
    failed: Option<String>,
    /// No more marks will come: the committer commits what is left and ends.
    closed: bool,
}

impl<'a> Marks<'a> {
    pub fn new(journal: &'a Mutex<Journal>) -> Marks<'a> {
        Marks { journal, queue: Mutex::default(), changed: Condvar::new() }
    }

    fn queue(&self) -> Result<MutexGuard<'_, Queue>> {
        self.queue.lock().map_err(|_| Error::new(ErrorKind::Io, "the journal is unusable after a failed thread"))
    }

    /// Queues `entry`; its ticket says when it is durable ([`Marks::wait`]).
    fn submit(&self, entry: Entry) -> Result<u64> {
        let mut q = self.queue()?;
        q.entries.push(entry);
        q.issued += 1;
        self.changed.notify_all();
        Ok(q.issued)
    }

    /// Waits until the mark with `ticket` (and every one before it) is committed.
    fn wait(&self, ticket: u64) -> Result<()> {
        let mut q = self.queue()?;
        loop {
            if let Some(why) = &q.failed {
                return Err(Error::new(ErrorKind::Io, why.clone()));
            }
            if q.durable >= ticket {
                return Ok(());
            }
            q = self.changed.wait(q).map_err(|_| Error::new(ErrorKind::Io, "the journal's committer failed"))?;
        }
    }

    /// No more marks: the committer ends once the last are committed.
    pub fn close(&self) {
        if let Ok(mut q) = self.queue.lock() {
            q.closed = true;
            self.changed.notify_all();
        }
    }

    /// Why the committer stopped committing, if it did: the run must not end as if all was well.
    pub fn failure(&self) -> Option<Error> {
        let q = self.queue.lock().ok()?;
        q.failed.as_ref().map(|why| {
            Error::new(ErrorKind::Io, why.clone())
                .with_help("the letters sent since the journal's last commit are in doubt; free the disk and run again with --resume")
        })
    }

    /// The committer thread: commits whatever marks are waiting, until closed and drained.
    pub fn commit_until_closed(&self) {
        loop {
            let (upto, entries) = {
                let Ok(mut q) = self.queue() else { return };
                while q.entries.is_empty() && !q.closed {
                    q = match self.changed.wait(q) {
                        Ok(q) => q,
                        Err(_) => return,
                    };
                }
                if q.entries.is_empty() || q.failed.is_some() {
                    return;
                }
                (q.issued, std::mem::take(&mut q.entries))
            };
            let result = lock(self.journal).and_then(|mut j| j.commit(&entries, &[]));
            let Ok(mut q) = self.queue() else { return };
            match result {
                Ok(()) => q.durable = upto,
                Err(e) => q.failed = Some(e.to_string()),
            }
            self.changed.notify_all();
        }
    }
}

/// Whether the destination works: when connections began failing with no success since.
struct Health {
    failing_since: Mutex<Option<Instant>>,
    give_up: Duration,
}

impl Health {
    fn ok(&self) {
        if let Ok(mut since) = self.failing_since.lock() {
            *since = None;
        }
    }

    /// A failure of an attempt that began at `began`: how long to wait before the next, or
    /// `None` when the destination has failed for `give_up` and the run must stop.
    fn failed(&self, began: Instant, failures: u32) -> Option<Duration> {
        let since = match self.failing_since.lock() {
            Ok(mut since) => *since.get_or_insert(began),
            Err(_) => return None,
        };
        let left = self.give_up.checked_sub(since.elapsed()).filter(|d| !d.is_zero())?;
        let backoff = Duration::from_millis(250).saturating_mul(1 << failures.min(5)).min(Duration::from_secs(5));
        Some(backoff.min(left))
    }
}

/// What the sender threads share.
pub(super) struct Senders<'a> {
    smtp: &'a Smtp,
    marks: Option<&'a Marks<'a>>,
    /// Sender threads still running: the last to end closes the marks.
    running: AtomicUsize,
    options: &'a Options,
    health: Health,
    /// Set when the run must stop: no sender takes another letter.
    stopped: AtomicBool,
    /// Why the run stopped (the first reason).
    pub stop: Mutex<Option<Error>>,
    /// When sending started, and how many were sent: `--rate` across all connections.
    pace: Mutex<(Option<Instant>, u64)>,
    accepted: AtomicU64,
}

/// Why a letter was left: the run is stopping.
struct Stopping;

impl<'a> Senders<'a> {
    pub fn new(smtp: &'a Smtp, marks: Option<&'a Marks<'a>>, options: &'a Options) -> Senders<'a> {
        Senders {
            smtp,
            marks,
            running: AtomicUsize::new(options.connections.max(1)),
            options,
            health: Health { failing_since: Mutex::new(None), give_up: options.give_up_after },
            stopped: AtomicBool::new(false),
            stop: Mutex::new(None),
            pace: Mutex::new((None, 0)),
            accepted: AtomicU64::new(0),
        }
    }

    /// Whether a sender stopped the run.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    fn halt(&self, error: Error) {
        if let Ok(mut stop) = self.stop.lock()
            && stop.is_none()
        {
            *stop = Some(error);
        }
        self.stopped.store(true, Ordering::Release);
    }

    /// One sender thread: letters from `jobs` until the queue closes or the run stops. It owns
    /// its share of the queue, so when the last sender stops the writer's next hand-off fails
    /// instead of waiting for ever.
    pub fn run(&self, jobs: Arc<Mutex<Receiver<SendJob>>>, reports: Sender<SendReport>) {
        let mut session = None;
        while !self.stopped() {
            let job = match jobs.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => break,
            };
            let Ok(job) = job else { break };
            match self.send_guarded(&mut session, job) {
                Ok(report) => {
                    if reports.send(report).is_err() {
                        break;
                    }
                }
                Err(Stopping) => break,
            }
        }
        if let Some(session) = session {
            session.quit();
        }
        if self.running.fetch_sub(1, Ordering::AcqRel) == 1
            && let Some(marks) = self.marks
        {
            marks.close();
        }
    }

    /// [`Senders::send`] with the letter as the boundary of a panic (a bug in missive, not the
    /// letter's fault nor the server's): the letter is left not done, in doubt if its data had
    /// begun to go out, for a later run; this run goes on.
    fn send_guarded(
        &self,
        session: &mut Option<Session>,
        mut job: SendJob,
    ) -> std::result::Result<SendReport, Stopping> {
        let (who, id, violation, in_doubt) = (job.who.clone(), job.id.clone(), job.violation, job.in_doubt);
        let record = job.record.take();
        let data_started = Cell::new(false);
        let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.send(session, job, &data_started)));
        let mut report = match sent {
            Ok(report) => report?,
            Err(payload) => {
                *session = None;
                let in_doubt = in_doubt || data_started.get();
                self.commit_mark(who.entry(State::Deferred, Some(id), in_doubt))?;
                SendReport {
                    who,
                    record: None,
                    in_doubt,
                    violation,
                    sent: Sent::Deferred(format!(
                        "internal error: missive failed while sending it ({}); a later --resume tries again",
                        work::panic_message(&*payload)
                    )),
                }
            }
        };
        report.record = record;
        Ok(report)
    }

    fn commit_mark(&self, entry: Entry) -> std::result::Result<u64, Stopping> {
        let Some(marks) = self.marks else { return Ok(0) };
        marks.submit(entry).map_err(|e| self.fail(e))
    }

    /// Queues `job`'s journal mark; its ticket, for [`Senders::durable`].
    fn mark(&self, job: &SendJob, state: State, in_doubt: bool) -> std::result::Result<u64, Stopping> {
        self.commit_mark(job.who.entry(state, Some(job.id.clone()), in_doubt))
    }

    /// Waits until the mark with `ticket` is committed.
    fn durable(&self, ticket: u64) -> std::result::Result<(), Stopping> {
        let Some(marks) = self.marks else { return Ok(()) };
        marks.wait(ticket).map_err(|e| self.fail(e))
    }

    fn fail(&self, error: Error) -> Stopping {
        self.halt(error);
        Stopping
    }

    /// Sends one letter on this thread's connection (opened or reopened as needed), through 4xx
    /// retries and lost connections, until the server answers for it or the run stops.
    fn send(
        &self,
        session: &mut Option<Session>,
        job: SendJob,
        data_started: &Cell<bool>,
    ) -> std::result::Result<SendReport, Stopping> {
        if self.options.crash == Some(CrashPoint::PanicSending(job.who.ordinal)) {
            panic!("test hook: panic-sending:{}", job.who.ordinal);
        }
        self.wait_for_rate();
        let options = self.options;
        let mut in_doubt = job.in_doubt;
        // Recorded as being sent now, committed while the first attempt connects and puts the
        // envelope; the data waits for it (see `attempt`).
        let sending = self.mark(&job, State::Sending, in_doubt)?;
        let mut deferrals = 0;
        let first_attempt = Instant::now();
        let mut failures = 0;
        let mut wait = options.retry_delay;
        let outcome = loop {
            if self.stopped() {
                break Err(None);
            }
            let began = Instant::now();
            let attempt = self.attempt(session, &job, sending, data_started)?;
            if session.as_ref().is_some_and(|s| !s.is_open()) {
                *session = None;
            }
            match attempt {
                Ok(()) => {
                    self.health.ok();
                    break Ok(());
                }
                Err(Failure::Rejected(why)) => {
                    self.health.ok();
                    break Err(Some(Sent::Refused(why)));
                }
                Err(Failure::Deferred(why)) => {
                    if deferrals >= options.retries {
                        // A server that defers letter after letter, accepting none, is failing
                        // as surely as one that is gone.
                        if self.health.failed(first_attempt, 0).is_none() {
                            self.halt(self.smtp.unreachable(&Failure::Deferred(format!(
                                "it has deferred every letter for {} s and accepted none: {why}",
                                options.give_up_after.as_secs()
                            ))));
                            break Err(None);
                        }
                        break Err(Some(Sent::Deferred(format!(
                            "still deferred after {} attempts: {why}",
                            deferrals + 1
                        ))));
                    }
                    deferrals += 1;
                    self.sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
                Err(failure @ (Failure::Down(_) | Failure::Unanswered(_))) => {
                    let reused = session.as_ref().is_some_and(|s| s.accepted() > 0);
                    *session = None;
                    if let Failure::Unanswered(why) = &failure {
                        // Sent, and no reply: a letter that loses its connection every time
                        // is left for a later run rather than sent again and again.
                        in_doubt = true;
                        if deferrals >= options.retries {
                            break Err(Some(Sent::Deferred(format!(
                                "no reply after {} attempts: {why}",
                                deferrals + 1
                            ))));
                        }
                        deferrals += 1;
                    }
                    // A connection that carried letters before may just have been closed by the
                    // server while idle: reconnect at once, once.
                    failures += 1;
                    if reused && failures == 1 {
                        continue;
                    }
                    match self.health.failed(began, failures) {
                        Some(pause) => self.sleep(pause),
                        None => {
                            self.halt(self.smtp.unreachable(&failure));
                            break Err(None);
                        }
                    }
                }
            }
        };
        self.settle(&job, outcome, sending, in_doubt)
    }

    /// Records how `job` ended (`outcome`: accepted; refused or deferred; `None`, the run
    /// stopped) and reports it to the writer.
    fn settle(
        &self,
        job: &SendJob,
        outcome: std::result::Result<(), Option<Sent>>,
        sending: u64,
        in_doubt: bool,
    ) -> std::result::Result<SendReport, Stopping> {
        let options = self.options;
        let report = |sent| SendReport { who: job.who.clone(), record: None, in_doubt, violation: job.violation, sent };
        match outcome {
            Ok(()) => {
                let n = self.accepted.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(CrashPoint::BeforeCommit(k)) = options.crash
                    && n >= k
                {
                    std::process::abort();
                }
                // Not waited for: a crash before it is committed leaves the letter `sending`,
                // in doubt, which is what it would be a moment earlier too.
                let done = self.mark(job, State::Done, in_doubt)?;
                if let Some(CrashPoint::AfterCommit(k)) = options.crash
                    && n >= k
                {
                    self.durable(done)?;
                    std::process::abort();
                }
                Ok(report(Sent::Accepted))
            }
            Err(Some(Sent::Deferred(why))) => {
                // Not there (or in doubt, if an attempt went unanswered): a resume sends it.
                self.mark(job, State::Deferred, in_doubt)?;
                Ok(report(Sent::Deferred(why)))
            }
            Err(Some(sent)) => {
                // The writer records the reject in its own transaction: the `sending` mark
                // must not land after it.
                self.durable(sending)?;
                Ok(report(sent))
            }
            Err(None) => {
                // The run stops. A letter whose data never went out unanswered is not there.
                if !in_doubt {
                    let _ = self.mark(job, State::Deferred, false);
                }
                Err(Stopping)
            }
        }
    }

    /// One attempt at `job` on this thread's connection, opened if needed. The data goes out
    /// only once the letter's `sending` mark (`sending`, a ticket) is committed.
    fn attempt(
        &self,
        session: &mut Option<Session>,
        job: &SendJob,
        sending: u64,
        data_started: &Cell<bool>,
    ) -> std::result::Result<std::result::Result<(), Failure>, Stopping> {
        let s = match session {
            Some(s) => s,
            None => match Session::open(self.smtp) {
                Ok(s) => session.insert(s),
                Err(failure) => return Ok(Err(failure)),
            },
        };
        if let Err(failure) = s.begin(&job.message) {
            return Ok(Err(failure));
        }
        self.durable(sending)?;
        data_started.set(true);
        Ok(s.finish(&job.message))
    }

    /// Sleeps `pause`, waking early when the run stops.
    fn sleep(&self, pause: Duration) {
        let until = Instant::now() + pause;
        while !self.stopped() {
            let now = Instant::now();
            if now >= until {
                return;
            }
            std::thread::sleep((until - now).min(Duration::from_millis(50)));
        }
    }

    fn wait_for_rate(&self) {
        let Some(rate) = self.options.rate.filter(|r| *r > 0.0) else { return };
        let due = match self.pace.lock() {
            Ok(mut pace) => {
                let start = *pace.0.get_or_insert_with(Instant::now);
                let due = start + Duration::from_secs_f64(pace.1 as f64 / rate);
                pace.1 += 1;
                due
            }
            Err(_) => return,
        };
        let now = Instant::now();
        if due > now {
            self.sleep(due - now);
        }
    }
}
