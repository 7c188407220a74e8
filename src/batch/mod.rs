//! `missive batch`: many letters from one input, in parallel, to a folder, an mbox or an SMTP
//! server, with a journal that makes a crashed run resumable without losing or doubling a
//! letter.
//!
//! ```text
//!  input::Input ──(reader thread: split, number)──► bounded channel of chunks
//!       ──► render workers (--jobs): parse, key, shard, skip done; Standard::render, rules,
//!           email/PDF bytes ──► bounded channel
//!       ──► writer (caller's thread): input order, destination, rejects, group commit to the journal
//! ```
//!
//! The library never prints: progress goes to the caller's callback, the outcome is a
//! [`Summary`].

pub mod destination;
mod given;
pub mod input;
pub mod journal;
mod resume;
mod send;
pub mod shard;
pub mod summary;
mod work;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use shard::Shard;
pub use summary::{Progress, Reject, Summary};

use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;

/// Where the letters go.
#[derive(Debug, Clone)]
pub enum Destination {
    /// A folder of `<key>.eml` / `<key>.pdf` files.
    Folder(PathBuf),
    /// One mbox file (mboxrd), letters in input order.
    Mbox(PathBuf),
    /// An SMTP server: `smtp://host:port`, `smtps://…`.
    Smtp {
        /// The server's URL.
        url: String,
        /// User and password for AUTH.
        credentials: Option<(String, String)>,
    },
    /// Render and check only.
    DryRun,
}

impl Destination {
    /// How the destination is named in the journal and the summary (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Destination::Folder(p) => format!("folder {}", p.display()),
            Destination::Mbox(p) => format!("mbox {}", p.display()),
            Destination::Smtp { url, .. } => format!("smtp {}", crate::emit::smtp::redacted(url)),
            Destination::DryRun => "nowhere (dry run)".into(),
        }
    }

    /// The default journal: beside the output (`out.journal`, `letters.mbox.journal`); for SMTP
    /// beside the input (`records.smtp-journal`).
    pub fn default_journal(&self, data: &Path) -> Option<PathBuf> {
        let beside = |p: &Path, suffix: &str| {
            let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "batch".into());
            name.push(suffix);
            p.with_file_name(name)
        };
        match self {
            Destination::Folder(p) | Destination::Mbox(p) => Some(beside(p, ".journal")),
            Destination::Smtp { .. } if data.as_os_str() != "-" => Some(data.with_extension("smtp-journal")),
            Destination::Smtp { .. } | Destination::DryRun => None,
        }
    }

    /// The default rejects report, beside the output.
    pub fn default_rejects(&self, journal: Option<&Path>) -> Option<PathBuf> {
        match self {
            Destination::Folder(p) | Destination::Mbox(p) => {
                let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "batch".into());
                name.push(".rejects.jsonl");
                Some(p.with_file_name(name))
            }
            _ => journal.map(|j| j.with_extension("smtp-rejects.jsonl")),
        }
    }
}

/// What each letter becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An email message.
    Eml,
    /// A PDF letter (`<key>.pdf`, folders only).
    Pdf,
    /// Both files per record (folders only).
    Both,
}

impl Format {
    /// The name used on the command line and in the journal.
    pub fn name(self) -> &'static str {
        match self {
            Format::Eml => "eml",
            Format::Pdf => "pdf",
            Format::Both => "both",
        }
    }
}

/// What to do with letters in doubt (an SMTP reply lost) when resuming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InDoubtPolicy {
    /// Send them again with the same Message-ID.
    #[default]
    Resend,
    /// Hold them back and report them.
    Hold,
}

/// Where a test asks the run to kill itself (`MISSIVE_BATCH_CRASH`, a test hook).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// After the Nth letter reached the destination, before its group's journal commit.
    BeforeCommit(u64),
    /// Right after the journal commit that covers the Nth letter.
    AfterCommit(u64),
    /// A panic while rendering the record with this ordinal (the worker's panic boundary).
    PanicAt(u64),
    /// A panic while a worker reads the record with this ordinal (parse, key, verdict).
    PanicReading(u64),
    /// A panic while an SMTP sender thread handles the record with this ordinal.
    PanicSending(u64),
}

impl std::str::FromStr for CrashPoint {
    type Err = Error;

    fn from_str(s: &str) -> Result<CrashPoint> {
        let usage = || {
            Error::new(
                ErrorKind::Usage,
                format!("`{s}`: write before-commit:N, after-commit:N, panic-at:N, panic-reading:N or panic-sending:N"),
            )
        };
        let (point, n) = s.split_once(':').ok_or_else(usage)?;
        let n: u64 = n.parse().map_err(|_| Error::new(ErrorKind::Usage, format!("`{s}`: N must be a number")))?;
        match point {
            "before-commit" => Ok(CrashPoint::BeforeCommit(n)),
            "after-commit" => Ok(CrashPoint::AfterCommit(n)),
            "panic-at" => Ok(CrashPoint::PanicAt(n)),
            "panic-reading" => Ok(CrashPoint::PanicReading(n)),
            "panic-sending" => Ok(CrashPoint::PanicSending(n)),
            _ => Err(usage()),
        }
    }
}

/// Everything a run needs besides the standard.
#[derive(Debug, Clone)]
pub struct Options {
    /// The template id.
    pub template: String,
    /// The input file (`-`: JSON Lines on standard input).
    pub data: PathBuf,
    /// Its encoding and CSV delimiter, when not UTF-8 and sniffed.
    pub dialect: input::Dialect,
    /// Where letters go.
    pub destination: Destination,
    /// What each letter becomes.
    pub format: Format,
    /// Render workers (at least 1).
    pub jobs: usize,
    /// The journal (default: [`Destination::default_journal`]).
    pub journal: Option<PathBuf>,
    /// Continue an earlier run from its journal.
    pub resume: bool,
    /// The rejects report (default: [`Destination::default_rejects`]).
    pub rejects: Option<PathBuf>,
    /// Messages per second to SMTP.
    pub rate: Option<f64>,
    /// The letter date for every letter.
    pub today: Option<jiff::civil::Date>,
    /// When each email says it was written (`Date`): the moment it is built by default.
    pub clock: crate::clock::Clock,
    /// The language for every letter (else each record's `locale`).
    pub locale: Option<String>,
    /// The record field that holds the key (dotted path); records without it are keyed by
    /// their ordinal.
    pub key_field: String,
    /// Deliver letters that break an error-level rule (still counted and reported).
    pub allow_violations: bool,
    /// Letters in doubt at resume.
    pub in_doubt: InDoubtPolicy,
    /// On a resume, send again the letters whose record changed since they were sent (with a
    /// new Message-ID); otherwise they are only reported.
    pub resend_changed: bool,
    /// Take only this shard of the records.
    pub shard: Option<Shard>,
    /// The batch name, part of every Message-ID (default: the input file's stem).
    pub batch: Option<String>,
    /// SMTP connections sending at once.
    pub connections: usize,
    /// SMTP retries of a deferred (4xx) or unanswered letter.
    pub retries: u32,
    /// The first retry's delay; each next one doubles.
    pub retry_delay: Duration,
    /// How long the SMTP server may keep failing (no connection, no login, connections lost,
    /// every letter deferred) before the run stops.
    pub give_up_after: Duration,
    /// How long to wait for an SMTP connection, a command's reply or a write.
    pub smtp_timeout: Duration,
    /// How long to wait for the SMTP server's reply to a message's data.
    pub smtp_data_timeout: Duration,
    /// Letters per journal commit for files and mbox (a group is also committed once it is a
    /// second old). Each commit syncs the destination and the journal: at 256 letters the syncs
    /// cost a tenth of an mbox run's throughput.
    pub group: usize,
    /// Test hook: kill the process at this point.
    pub crash: Option<CrashPoint>,
}

/// The default letters per journal commit (`--commit-every`).
pub const DEFAULT_GROUP: usize = 2048;

impl Options {
    /// Options with the defaults for `template`, `data` and `destination`.
    pub fn new(template: &str, data: &Path, destination: Destination) -> Options {
        Options {
            template: template.to_string(),
            data: data.to_path_buf(),
            dialect: input::Dialect::default(),
            destination,
            format: Format::Eml,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            journal: None,
            resume: false,
            rejects: None,
            rate: None,
            today: None,
            clock: crate::clock::Clock::System,
            locale: None,
            key_field: "key".into(),
            allow_violations: false,
            in_doubt: InDoubtPolicy::Resend,
            resend_changed: false,
            shard: None,
            batch: None,
            connections: 4,
            retries: 4,
            retry_delay: Duration::from_millis(250),
            give_up_after: Duration::from_secs(60),
            smtp_timeout: Duration::from_secs(60),
            smtp_data_timeout: Duration::from_secs(600),
            group: DEFAULT_GROUP,
            crash: None,
        }
    }
}

/// Runs a batch: reads `options.data`, renders every record with `standard`, delivers the
/// letters, calls `progress` a few times a second, and returns the summary.
///
/// Errors are for runs that cannot go on (input structurally broken, destination failing, a
/// journal of another batch); bad records are not errors, they are in the summary and the
/// rejects report.
pub fn run(standard: &Standard, options: &Options, progress: &mut dyn FnMut(&Progress)) -> Result<Summary> {
    standard.template(&options.template)?;
    check_format(options)?;
    let outputs = crate::emit::Outputs::new(standard);
    if options.format != Format::Pdf {
        // A clock no email can carry would reject every record: it is the run's mistake.
        use crate::clock::Clock;
        match (options.clock, options.today) {
            (Clock::LetterNoon, Some(today)) => {
                crate::emit::email::header_date(&outputs, today, options.clock).map_err(|e| {
                    let problem = e.problems().first().map_or(e.to_string(), |p| p.message.clone());
                    Error::new(ErrorKind::Usage, format!("--today {today}: {problem}"))
                        .with_help("pass --today YYYY-MM-DD, 1970-01-02 or later")
                })?;
            }
            // Each record's own date: that record's problem.
            (Clock::LetterNoon, None) => {}
            (clock, _) => {
                crate::emit::email::header_date(&outputs, jiff::civil::date(2000, 1, 1), clock)?;
            }
        }
    }
    write::run(standard, &outputs, options, progress)
}

fn check_format(options: &Options) -> Result<()> {
    let email_only = matches!(options.destination, Destination::Mbox(_) | Destination::Smtp { .. });
    if email_only && options.format != Format::Eml {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("--format {} needs --out-dir DIR: an mbox and an SMTP server take emails", options.format.name()),
        )
        .with_help("an email carries the letter's PDF when the template's front matter says attach_pdf = true; write PDF files with --out-dir DIR --format pdf|both"));
    }
    Ok(())
}
