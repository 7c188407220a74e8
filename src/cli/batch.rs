//! `missive batch`: many letters from one input file; a progress bar on a terminal, plain lines
//! otherwise, the summary at the end (and as JSON with `--summary`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use super::{Outcome, load, parse_today};
use crate::batch::{self, CrashPoint, Destination, InDoubtPolicy, Options, Progress, Shard};
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The template id.
    pub template: String,
    /// The records: JSON Lines, CSV (header row; dotted names build nested fields), a JSON
    /// array, or a spreadsheet (.xlsx, .xlsm, .xlsb, .xls, .ods: a header row as CSV); `-`
    /// reads JSON Lines from standard input.
    #[arg(long, value_name = "FILE|-")]
    pub data: PathBuf,
    /// Write one file per record into this folder, named by the record key.
    // `--out`, its old name, stays a hidden alias for one release.
    #[arg(long = "out-dir", alias = "out", value_name = "DIR", group = "destination")]
    pub out: Option<PathBuf>,
    /// Append every letter to this mbox, in input order.
    #[arg(long, value_name = "FILE", group = "destination")]
    pub mbox: Option<PathBuf>,
    /// Send through this SMTP server: smtp://host:port, smtp://host:port?tls=required, smtps://host:port
    /// (credentials from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD).
    #[arg(long, value_name = "URL", group = "destination")]
    pub smtp: Option<String>,
    /// Render and check every record, write nothing.
    #[arg(long, group = "destination")]
    pub dry_run: bool,
    /// What each letter becomes.
    #[arg(long, value_enum, default_value_t = BatchFormat::Eml)]
    pub format: BatchFormat,
    /// Render workers (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The journal (default: beside the output, e.g. `out.journal`, `letters.mbox.journal`).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Continue an interrupted run from its journal: letters already done are skipped.
    #[arg(long)]
    pub resume: bool,
    /// Letters whose SMTP reply was lost in an earlier run: send again (same Message-ID) or hold.
    #[arg(long, value_enum, default_value_t = InDoubt::Resend)]
    pub in_doubt: InDoubt,
    /// The input's text encoding, for files not in UTF-8: windows-1250 (Polish Windows and
    /// Excel), iso-8859-2, utf-16le… (default: UTF-8, or UTF-16 by its byte order mark).
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The CSV delimiter: `,` `;` `|` or `tab` (default: the one the header row holds most of).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The worksheet of an .xlsx/.ods workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Money and decimal cells are written with a decimal comma, as Polish and German
    /// spreadsheets write them: `1 234,50 zł`, `1.234,50 €`, `1,5`.
    #[arg(long)]
    pub decimal_comma: bool,
    /// On --resume, send again the letters whose record changed since they were sent, with a
    /// new Message-ID (otherwise they are listed and the run exits 1).
    #[arg(long, requires = "resume")]
    pub resend_changed: bool,
    /// The rejects report, JSON Lines (default: beside the output, `….rejects.jsonl`).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Write the summary as JSON to this file too.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Write the run as one self-contained HTML page to this file: letters per minute as a
    /// chart, rejects by reason and by field, findings by rule.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// At most this many messages per second to SMTP.
    #[arg(long, value_name = "N")]
    pub rate: Option<f64>,
    /// SMTP connections sending at once (each letter still committed one by one).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub connections: usize,
    /// SMTP retries of a deferred (4xx) or unanswered letter, with doubling delays.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// The first SMTP retry's delay in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub retry_delay: u64,
    /// Stop the run (exit 2) when the SMTP server has failed this long with no success: no
    /// connection, TLS or login, or connections lost. Letters not confirmed stay not done, and
    /// --resume sends them. Seconds, or with a unit: 90s, 5m.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub give_up_after: Duration,
    /// How long to wait for the SMTP server to connect, answer a command or take a write.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub smtp_timeout: Duration,
    /// How long to wait for the SMTP server's answer to a message once it has it all (RFC 5321
    /// suggests ten minutes: relays scan content first). A letter without an answer in time is
    /// in doubt, and sent again.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub smtp_data_timeout: Duration,
    /// Letters per journal commit to files or mbox (each commit syncs the group first; a group
    /// is also committed once it is a second old). A crash redoes at most one group.
    #[arg(long, value_name = "N", default_value_t = crate::batch::DEFAULT_GROUP)]
    pub commit_every: usize,
    /// The record field holding the key (dotted path); records without one are keyed by number.
    #[arg(long, value_name = "FIELD", default_value = "key")]
    pub key: String,
    /// Take only the records whose key hashes to shard K of N (1-based), e.g. 2/8; `auto` takes
    /// K (and N) from a Kubernetes Indexed Job, a Slurm job array or GNU Parallel.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<ShardArg>,
    /// With --shard auto: into how many shards the batch is split (a Kubernetes Indexed Job's
    /// completions, GNU Parallel's jobs; a Slurm array says it itself).
    #[arg(long, value_name = "N", requires = "shard")]
    pub shard_count: Option<u64>,
    /// The batch name, part of every Message-ID (default: the input file's name).
    #[arg(long, value_name = "NAME")]
    pub batch: Option<String>,
    /// The letter date (default: each record's `_today`, else today in the standard's time zone).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<jiff::civil::Date>,
    /// The moment every email says it was written (`Date:`), RFC 3339 with its offset, e.g.
    /// 2026-12-07T09:14:03+01:00 (default: the moment each message is built).
    #[arg(long, env = "MISSIVE_NOW", value_name = "MOMENT", value_parser = crate::clock::parse_now)]
    pub now: Option<jiff::Timestamp>,
    /// The language of every letter (default: each record's `locale`).
    #[arg(long, value_name = "TAG")]
    pub locale: Option<String>,
    /// Deliver letters that break an error-level rule (they are still counted, and exit 1).
    #[arg(long)]
    pub allow_violations: bool,
    /// Test hook: kill the process at `before-commit:N` or `after-commit:N` letters, or panic while
    /// rendering record N (`panic-at:N`), reading it (`panic-reading:N`) or sending it (`panic-sending:N`).
    #[arg(long, env = "MISSIVE_BATCH_CRASH", hide = true)]
    pub crash: Option<CrashPoint>,
}

/// `--shard` of `batch`: a share, or `auto` for the scheduler's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardArg {
    /// `K/N`.
    Fixed(Shard),
    /// `auto`: from the scheduler's environment.
    Auto,
}

impl std::str::FromStr for ShardArg {
    type Err = Error;

    fn from_str(s: &str) -> Result<ShardArg> {
        if s == "auto" { Ok(ShardArg::Auto) } else { s.parse().map(ShardArg::Fixed) }
    }
}

/// `--format` of `batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// Email messages.
    Eml,
    /// PDF letters, `<key>.pdf` (with --out-dir or --dry-run).
    Pdf,
    /// An `.eml` and a `.pdf` per record (with --out-dir or --dry-run).
    Both,
}

/// `--in-doubt` of `batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InDoubt {
    /// Send again with the same Message-ID; the server may then hold two copies.
    Resend,
    /// Hold them back and list them.
    Hold,
}

/// Runs `missive batch`.
pub fn run(project: &Path, args: &BatchArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let destination = if let Some(dir) = &args.out {
        Destination::Folder(dir.clone())
    } else if let Some(file) = &args.mbox {
        Destination::Mbox(file.clone())
    } else if let Some(url) = &args.smtp {
        let credentials = match (std::env::var("MISSIVE_SMTP_USER"), std::env::var("MISSIVE_SMTP_PASSWORD")) {
            (Ok(user), Ok(password)) => Some((user, password)),
            _ => None,
        };
        Destination::Smtp { url: url.clone(), credentials }
    } else if args.dry_run {
        Destination::DryRun
    } else {
        return Err(Error::new(ErrorKind::Usage, "batch needs a destination")
            .with_help("pass --out-dir DIR, --mbox FILE, --smtp URL, or --dry-run"));
    };
    let standard = load(project)?;
    let mut options = Options::new(&args.template, &args.data, destination);
    options.format = match args.format {
        BatchFormat::Eml => batch::Format::Eml,
        BatchFormat::Pdf => batch::Format::Pdf,
        BatchFormat::Both => batch::Format::Both,
    };
    if let Some(jobs) = args.jobs {
        options.jobs = jobs.max(1);
    }
    options.journal = args.journal.clone();
    options.resume = args.resume;
    options.in_doubt = match args.in_doubt {
        InDoubt::Resend => InDoubtPolicy::Resend,
        InDoubt::Hold => InDoubtPolicy::Hold,
    };
    options.resend_changed = args.resend_changed;
    options.dialect = batch::input::Dialect {
        encoding: args.encoding,
        delimiter: args.delimiter,
        decimal_comma: args.decimal_comma,
        sheet: args.sheet.clone(),
    };
    options.rejects = args.rejects.clone();
    options.rate = args.rate;
    options.retries = args.retries;
    options.connections = args.connections.max(1);
    options.retry_delay = Duration::from_millis(args.retry_delay);
    options.give_up_after = args.give_up_after;
    options.smtp_timeout = args.smtp_timeout.max(Duration::from_millis(100));
    options.smtp_data_timeout = args.smtp_data_timeout.max(Duration::from_millis(100));
    options.key_field = args.key.clone();
    options.group = args.commit_every.max(1);
    options.shard = match args.shard {
        None => None,
        Some(ShardArg::Fixed(shard)) => Some(shard),
        Some(ShardArg::Auto) => Some(Shard::from_scheduler(args.shard_count, |name| std::env::var(name).ok())?),
    };
    options.batch = args.batch.clone();
    options.today = args.today;
    options.clock = args.now.map_or(crate::clock::Clock::System, crate::clock::Clock::Fixed);
    options.locale = args.locale.clone();
    options.allow_violations = args.allow_violations;
    options.crash = args.crash;

    let summary = if super::quiet() {
        batch::run(&standard, &options, &mut |_: &Progress| {})?
    } else if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} · ETA {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let result = batch::run(&standard, &options, &mut |p: &Progress| {
            if let Some(total) = p.bytes_total {
                bar.set_length(total);
                bar.set_position(p.bytes_read);
            }
            bar.set_message(line(p));
        });
        bar.finish_and_clear();
        result?
    } else {
        let mut last = Instant::now();
        batch::run(&standard, &options, &mut |p: &Progress| {
            if last.elapsed() >= Duration::from_secs(2) {
                let _ = writeln!(err, "{}", line(p));
                last = Instant::now();
            }
        })?
    };
    let write_file = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot write {}: {e}", path.display()))
                .with_help("check that the folder exists and is writable")
        })
    };
    if let Some(path) = &args.summary {
        let mut json = serde_json::to_vec_pretty(&summary).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
        json.push(b'\n');
        write_file(path, &json)?;
    }
    if let Some(path) = &args.report {
        let mut page = Vec::new();
        crate::report::html::write_batch(&summary, &mut page).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
        write_file(path, &page)?;
    }
    let _ = write!(out, "{summary}");
    if let Some(stopped) = &summary.stopped {
        return Err(Error::new(ErrorKind::Io, stopped.error.clone()).with_help(stopped.help.clone()));
    }
    Ok(if summary.needs_attention() { Outcome::Findings } else { Outcome::Done })
}

fn parse_encoding(name: &str) -> Result<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(name.trim().as_bytes()).ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            format!("`{name}` is not an encoding: use a name such as windows-1250, iso-8859-2, utf-16le or utf-8"),
        )
    })
}

fn parse_duration(s: &str) -> Result<Duration> {
    let usage = |message: String| Error::new(ErrorKind::Usage, message);
    let t = s.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(usage(format!("`{s}`: write a number of seconds, or 500ms, 90s, 5m, 1h"))),
    };
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 && n * scale <= 7.0 * 86400.0 => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err(usage(format!("`{s}`: write a number of seconds, or 500ms, 90s, 5m, 1h (at most a week)"))),
    }
}

fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "|" => Ok(b'|'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => Err(Error::new(ErrorKind::Usage, format!("`{s}` is not a delimiter: use , ; | or tab"))),
    }
}

fn line(p: &Progress) -> String {
    format!(
        "read {} · done {} · rejected {} · skipped {} · {:.0} letters/s",
        p.read,
        p.done,
        p.rejected,
        p.skipped,
        p.rate()
    )
}
