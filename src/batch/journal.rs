//! The journal: a SQLite database (WAL, `synchronous = FULL`) holding each letter's state, so a
//! run that crashed or was killed continues where it stopped.
//!
//! A letter is recorded only after its destination confirmed it: files and mbox entries are
//! synced first, then their group is marked done in one transaction (with the mbox's and the
//! rejects file's committed lengths); an SMTP letter is marked `sending` before the message goes
//! out and `done` after the server's 250. A letter still `sending` at resume is *in doubt*: the
//! server may or may not have it. Nothing is ever marked when merely read.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, ErrorKind, Result};

/// A letter's state in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Written and synced, or accepted by the SMTP server.
    Done,
    /// Could not be made or was refused for good; its reasons are in the rejects report.
    Rejected,
    /// Handed to the SMTP server, no answer recorded yet.
    Sending,
    /// Not delivered, to be sent by a later run: deferred by the server (4xx) past every retry,
    /// or left when a run stopped. In doubt too if an attempt went out unanswered.
    Deferred,
}

impl State {
    fn parse(s: &str) -> State {
        match s {
            "done" => State::Done,
            "rejected" => State::Rejected,
            "deferred" => State::Deferred,
            // Anything else is taken as in doubt: never skipped, never forgotten.
            _ => State::Sending,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Rejected => "rejected",
            State::Sending => "sending",
            State::Deferred => "deferred",
        }
    }
}

/// One letter's row.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based position in this run's input.
    pub ordinal: u64,
    /// The record key.
    pub key: String,
    /// The record's content digest (`resume::digest`): a resume tells a changed
    /// record by it.
    pub digest: u64,
    /// A repeat of a key already in this run's input: rejected, and never the key's state.
    pub duplicate: bool,
    /// What happened to it.
    pub state: State,
    /// The Message-ID it was (or is being) sent with.
    pub message_id: Option<String>,
    /// Whether it was ever in doubt (sent again after a lost reply).
    pub in_doubt: bool,
}

/// What a journal says about its batch, over every run: each key counted once, by its latest
/// state (`missive journal FILE`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// The journal's path.
    pub journal: String,
    /// The template, destination, format, shard and batch name it was begun with.
    pub template: String,
    /// Where the letters went.
    pub destination: String,
    /// `eml`, `pdf` or `both`.
    pub format: String,
    /// `K/N`, or empty.
    pub shard: String,
    /// The batch name.
    pub batch: String,
    /// Runs so far (the first and each resume).
    pub runs: u64,
    /// How the last run ended: `finished`, `stopped: <why>`, or `running` (still running, or
    /// killed): until a run finishes, records it had not reached are in no journal.
    pub last_run: String,
    /// Keys delivered (including those in doubt and sent again).
    pub done: u64,
    /// Keys rejected (reasons in the rejects report).
    pub rejected: u64,
    /// Keys not delivered yet: deferred by the server, or left by a run that stopped; a
    /// `--resume` sends them.
    pub not_done: Vec<String>,
    /// Keys in doubt over the journal's life (a reply lost, or a run killed mid-message), each
    /// with whether it was delivered since.
    pub in_doubt: Vec<Doubt>,
}

/// One key in doubt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Doubt {
    /// The record key.
    pub key: String,
    /// Sent again since (the server may hold two copies); else held, or left by a stop.
    pub resent: bool,
}

impl Journal {
    /// Reads the journal at `path` (which no batch may be running on) into a [`Report`].
    pub fn report(path: &Path) -> Result<Report> {
        if !path.exists() {
            return Err(Error::new(ErrorKind::Usage, format!("there is no journal at {}", path.display()))
                .with_help("a batch writes its journal beside its output: `<input>.smtp-journal`, `<mbox>.journal`, `<dir>/.missive-journal`, or the --journal FILE it was given"));
        }
        let journal = Journal::open_existing(path)?;
        let meta = |name: &str| -> Result<String> { Ok(journal.meta(name)?.unwrap_or_default()) };
        let mut report = Report {
            journal: path.display().to_string(),
            template: meta("template")?,
            destination: meta("destination")?,
            format: meta("format")?,
            shard: meta("shard")?,
            batch: meta("batch")?,
            runs: meta("run")?.parse().unwrap_or(1),
            last_run: journal.meta("last_run")?.unwrap_or_else(|| "running".to_string()),
            ..Report::default()
        };
        let e = |e| db_error(path, e);
        let mut stmt = journal
            .conn
            .prepare("SELECT key, state, in_doubt FROM letters WHERE duplicate = 0 ORDER BY key, run, ordinal")
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        // Rows come key by key: each key's last row is its state; any row may carry the doubt.
        let mut current: Option<(String, State, bool)> = None;
        let finish = |report: &mut Report, (key, state, doubt): (String, State, bool)| {
            let doubt = doubt || state == State::Sending;
            match state {
                State::Done => report.done += 1,
                State::Rejected => report.rejected += 1,
                State::Deferred if !doubt => report.not_done.push(key.clone()),
                State::Deferred | State::Sending => {}
            }
            if doubt {
                report.in_doubt.push(Doubt { key, resent: state == State::Done });
            }
        };
        while let Some(row) = rows.next().map_err(e)? {
            let key = row.get_ref(0).map_err(e)?.as_str().map_err(|err| e(err.into()))?;
            let state = State::parse(row.get_ref(1).map_err(e)?.as_str().map_err(|err| e(err.into()))?);
            let doubt = row.get::<_, i64>(2).map_err(e)? == 1 || state == State::Sending;
            match &mut current {
                Some((k, s, d)) if k == key => {
                    *s = state;
                    *d |= doubt;
                }
                _ => {
                    if let Some(done) = current.take() {
                        finish(&mut report, done);
                    }
                    current = Some((key.to_string(), state, doubt));
                }
            }
        }
        if let Some(done) = current.take() {
            finish(&mut report, done);
        }
        Ok(report)
    }
}

/// The journal of one batch.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    /// This run's number: 1 for the first, one more for each resume.
    run: u64,
}

/// The journal's layout; a journal of another layout is refused, naming the version to use.
const SCHEMA: &str = "2";

/// The record holding a key in this run: asked for every letter, so it must be one index
/// search (`letters_key` on key and run), never a scan of the run's rows.
const HOLDER: &str =
    "SELECT ordinal FROM letters WHERE key = ?1 AND run = ?2 AND duplicate = 0 AND state != 'rejected' LIMIT 1";

/// A letter's row; [`INSERT_MANY`] is [`ROWS_AT_ONCE`] of them in one statement, which SQLite
/// begins and ends once for all (about 3,000 instructions a row less, of 11,000).
const INSERT_ONE: &str = "INSERT OR REPLACE INTO letters (run, ordinal, key, digest, state, message_id, in_doubt, duplicate) \
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
const ROWS_AT_ONCE: usize = 32;
static INSERT_MANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; ROWS_AT_ONCE].join(", ");
    INSERT_ONE.replace("(?, ?, ?, ?, ?, ?, ?, ?)", &rows)
});

/// Binds `entry`'s row of `run` to `stmt`'s eight parameters after the first `skip`.
fn bind_row(stmt: &mut rusqlite::Statement<'_>, skip: usize, run: i64, entry: &Entry) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(skip + 1, run)?;
    stmt.raw_bind_parameter(skip + 2, entry.ordinal as i64)?;
    stmt.raw_bind_parameter(skip + 3, entry.key.as_str())?;
    stmt.raw_bind_parameter(skip + 4, entry.digest as i64)?;
    stmt.raw_bind_parameter(skip + 5, entry.state.as_str())?;
    stmt.raw_bind_parameter(skip + 6, entry.message_id.as_deref())?;
    stmt.raw_bind_parameter(skip + 7, i64::from(entry.in_doubt))?;
    stmt.raw_bind_parameter(skip + 8, i64::from(entry.duplicate))
}

/// What a run was started with; a resume must match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The template id.
    pub template: String,
    /// The destination (`--out-dir DIR`, `--mbox FILE`, `--smtp URL` without credentials).
    pub destination: String,
    /// `eml`, `pdf` or `both`.
    pub format: String,
    /// `K/N` or empty.
    pub shard: String,
    /// The batch name (part of every Message-ID).
    pub batch: String,
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    let busy = e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy);
    let error = Error::new(ErrorKind::Io, format!("journal {}: {e}", path.display()));
    if busy {
        return error
            .with_help("another missive batch is running on this journal: let it finish (or stop it) before resuming");
    }
    error.with_help(
        "the journal must be on a local, writable disk; if it is damaged, move it away and start the batch afresh",
    )
}

impl Journal {
    /// Refuses when a journal exists at `path` (a finished or interrupted run), naming it.
    pub fn refuse_existing(path: &Path) -> Result<()> {
        if path.exists() && !Journal::unborn(path)? {
            let detail = Journal::open_existing(path).map(|j| j.describe()).unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Usage,
                format!("the journal {} already exists{detail}: this batch was run before", path.display()),
            )
            .with_help(format!(
                "pass --resume to continue it (letters already done are skipped), or move {} away to start afresh",
                path.display()
            )));
        }
        Ok(())
    }

    /// Whether the file at `path` is a journal whose creation was cut short (a kill before its
    /// one transaction committed): a database with no tables at all. No letter can have been
    /// made under it (the run makes none before its journal exists), so it counts as no journal.
    fn unborn(path: &Path) -> Result<bool> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| db_error(path, e))?;
        let tables: std::result::Result<i64, _> =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
        // A file SQLite cannot read as a database is someone else's: not unborn, not ours.
        Ok(tables.is_ok_and(|n| n == 0))
    }

    /// Creates a new journal (or completes one whose creation was cut short); refuses when one
    /// exists. Its tables and the run's identity are written in one transaction, so a kill
    /// leaves either a whole journal or an unborn one.
    pub fn create(path: &Path, identity: &Identity) -> Result<Journal> {
        Journal::refuse_existing(path)?;
        let mut journal = Journal::connect(path)?;
        let e = |e| db_error(path, e);
        let tx = journal.conn.transaction().map_err(e)?;
        // A row per letter and run: `run` and `ordinal` say where the record stood in which
        // run's input; a resume goes by `key` and `digest`.
        tx.execute_batch(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE letters (
                     run INTEGER NOT NULL,
                     ordinal INTEGER NOT NULL,
                     key TEXT NOT NULL,
                     digest INTEGER NOT NULL,
                     state TEXT NOT NULL,
                     message_id TEXT,
                     in_doubt INTEGER NOT NULL DEFAULT 0,
                     duplicate INTEGER NOT NULL DEFAULT 0,
                     detail TEXT,
                     PRIMARY KEY (run, ordinal));
                 CREATE INDEX letters_key ON letters (key, run);
                 CREATE INDEX letters_doubt ON letters (key) WHERE in_doubt = 1 OR state = 'sending';",
        )
        .map_err(e)?;
        let one = "1".to_string();
        let schema = SCHEMA.to_string();
        for (name, value) in [
            ("schema", &schema),
            ("run", &one),
            ("template", &identity.template),
            ("destination", &identity.destination),
            ("format", &identity.format),
            ("shard", &identity.shard),
            ("batch", &identity.batch),
        ] {
            tx.execute("INSERT INTO meta (name, value) VALUES (?1, ?2)", params![name, value]).map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(journal)
    }

    /// Opens the journal of an earlier run to resume it; checks that it is the same batch.
    pub fn resume(path: &Path, identity: &Identity) -> Result<Journal> {
        if path.exists() && Journal::unborn(path)? {
            // The first run was killed while creating its journal: nothing to resume, so start.
            return Journal::create(path, identity);
        }
        if !path.exists() {
            return Err(Error::new(ErrorKind::Usage, format!("--resume: there is no journal at {}", path.display()))
                .with_help("run the batch without --resume to start it, or pass --journal FILE naming the earlier run's journal"));
        }
        let mut journal = Journal::open_existing(path)?;
        if journal.meta("schema")?.as_deref() != Some(SCHEMA) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--resume: the journal {} was written by an earlier version of missive", path.display()),
            )
            .with_help("finish the batch with the version that began it, or move the journal away to start afresh"));
        }
        for (name, ours) in [
            ("template", &identity.template),
            ("destination", &identity.destination),
            ("format", &identity.format),
            ("shard", &identity.shard),
        ] {
            let theirs = journal.meta(name)?.unwrap_or_default();
            if &theirs != ours {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!(
                        "--resume: the journal {} belongs to a run with {name} `{theirs}`, this one has `{ours}`",
                        path.display()
                    ),
                )
                .with_help("resume with the same template, destination, --format and --shard as the first run"));
            }
        }
        // Journals begun before the index of letters in doubt existed get it now.
        journal
            .conn
            .execute_batch(
                "CREATE INDEX IF NOT EXISTS letters_doubt ON letters (key) WHERE in_doubt = 1 OR state = 'sending';",
            )
            .map_err(|e| db_error(path, e))?;
        journal.run = journal.meta("run")?.and_then(|r| r.parse().ok()).unwrap_or(1) + 1;
        journal.set_meta("run", &journal.run.to_string())?;
        Ok(journal)
    }

    fn open_existing(path: &Path) -> Result<Journal> {
        let journal = Journal::connect(path)?;
        if journal.meta("template").is_err() {
            return Err(Error::new(ErrorKind::Usage, format!("{} is not a missive batch journal", path.display()))
                .with_help("pass --journal FILE naming the journal the batch wrote"));
        }
        Ok(journal)
    }

    fn connect(path: &Path) -> Result<Journal> {
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        // One batch owns its journal: an exclusive lock, taken on first use and kept until the
        // run ends, keeps a second run off it and spares two lock calls per record.
        conn.execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA busy_timeout = 2000;",
        )
        .map_err(|e| db_error(path, e))?;
        Ok(Journal { conn, path: path.to_path_buf(), run: 1 })
    }

    fn describe(&self) -> String {
        let count = |state: State| -> i64 {
            self.conn
                .query_row(
                    "SELECT count(DISTINCT key) FROM letters WHERE state = ?1 AND duplicate = 0",
                    [state.as_str()],
                    |r| r.get(0),
                )
                .unwrap_or(0)
        };
        format!(" ({} letters done, {} rejected)", count(State::Done), count(State::Rejected))
    }

    /// This run's number: 1 for the first, one more for each resume.
    pub fn run(&self) -> u64 {
        self.run
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A value stored with the run (`batch`, `mbox_len`, …).
    pub fn meta(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(|e| db_error(&self.path, e))
    }

    /// Stores a value with the run.
    pub fn set_meta(&self, name: &str, value: &str) -> Result<()> {
        self.conn
            .execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)", params![name, value])
            .map(|_| ())
            .map_err(|e| db_error(&self.path, e))
    }

    /// What earlier runs did, by key (each key's latest row; repeats of a key are not its state),
    /// read row by row so that a million keys never stand as text in memory.
    pub fn earlier(&self) -> Result<super::resume::Earlier> {
        let e = |e| db_error(&self.path, e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT key, digest, state, in_doubt FROM letters WHERE duplicate = 0 AND run < ?1 ORDER BY run, ordinal",
            )
            .map_err(e)?;
        let mut rows = stmt.query([self.run as i64]).map_err(e)?;
        let mut builder = super::resume::EarlierBuilder::default();
        while let Some(row) = rows.next().map_err(e)? {
            let key = row.get_ref(0).map_err(e)?.as_str().map_err(|err| e(err.into()))?;
            let state = State::parse(row.get_ref(2).map_err(e)?.as_str().map_err(|err| e(err.into()))?);
            // A deferred letter that once went out unanswered is still in doubt.
            let state = match (state, row.get::<_, i64>(3).map_err(e)?) {
                (State::Deferred, 1) => State::Sending,
                (state, _) => state,
            };
            builder.push(key, row.get::<_, i64>(1).map_err(e)? as u64, state);
        }
        Ok(builder.finish())
    }

    /// Every key in doubt over the journal's life (a reply lost in some run, or a letter left
    /// `sending` by a run that died), sorted, each with whether it was delivered since.
    pub fn in_doubt(&self) -> Result<Vec<(String, bool)>> {
        let e = |e| db_error(&self.path, e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.key, (SELECT l.state FROM letters l WHERE l.key = d.key AND l.duplicate = 0 \
                                ORDER BY l.run DESC, l.ordinal DESC LIMIT 1) \
                 FROM (SELECT DISTINCT key FROM letters WHERE (in_doubt = 1 OR state = 'sending') AND duplicate = 0) d \
                 ORDER BY d.key",
            )
            .map_err(e)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))).map_err(e)?;
        rows.map(|r| r.map(|(key, state)| (key, state.as_deref() == Some("done"))).map_err(e)).collect()
    }

    /// The ordinal of the record that holds `key` in this run's input (done or being sent), if
    /// any: keys must be unique in an input, or two records would overwrite each other's file or
    /// share a Message-ID. An earlier run's letter under the key is no repeat: a resume skips it
    /// or sends it again by what [`Journal::earlier`] says.
    pub fn holder_of(&self, key: &str) -> Result<Option<u64>> {
        let e = |e| db_error(&self.path, e);
        let mut stmt = self.conn.prepare_cached(HOLDER).map_err(e)?;
        stmt.query_row(params![key, self.run as i64], |r| r.get::<_, i64>(0))
            .optional()
            .map(|o| o.map(|v| v as u64))
            .map_err(e)
    }

    /// Records a group of letters and run values in one transaction (one fsync). The rows go
    /// in `ROWS_AT_ONCE` to a statement (the rest one by one), in order, so a later row for
    /// the same place replaces an earlier one as it would one statement a row.
    pub fn commit(&mut self, entries: &[Entry], meta: &[(&str, String)]) -> Result<()> {
        let path = self.path.clone();
        let e = |e| db_error(&path, e);
        let run = self.run as i64;
        let tx = self.conn.transaction().map_err(e)?;
        {
            let mut many = entries.chunks_exact(ROWS_AT_ONCE);
            // Looked up once a group: the cache compares the statement's whole text.
            let mut stmt = tx.prepare_cached(&INSERT_MANY).map_err(e)?;
            for rows in many.by_ref() {
                for (i, entry) in rows.iter().enumerate() {
                    bind_row(&mut stmt, i * 8, run, entry).map_err(e)?;
                }
                stmt.raw_execute().map_err(e)?;
            }
            drop(stmt);
            let mut stmt = tx.prepare_cached(INSERT_ONE).map_err(e)?;
            for entry in many.remainder() {
                bind_row(&mut stmt, 0, run, entry).map_err(e)?;
                stmt.raw_execute().map_err(e)?;
            }
            for (name, value) in meta {
                tx.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)", params![name, value])
                    .map_err(e)?;
            }
        }
        tx.commit().map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            template: "invoice".into(),
            destination: "mbox out.mbox".into(),
            format: "eml".into(),
            shard: String::new(),
            batch: "b".into(),
        }
    }

    /// What a kill leaves when it lands between SQLite creating the file and the journal's
    /// one transaction: a WAL database with no tables, its `-wal` and `-shm` beside it.
    /// The files are copied from a connection left open, since this process still holds its
    /// lock where a killed one would not.
    fn unborn_journal(path: &Path) {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open.sqlite");
        let conn = Connection::open(&open).unwrap();
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", open.display()));
            if from.exists() {
                std::fs::copy(&from, format!("{}{suffix}", path.display())).unwrap();
            }
        }
        drop(conn);
    }

    #[test]
    fn a_journal_whose_creation_was_killed_is_started_afresh_with_or_without_resume() {
        let dir = tempfile::tempdir().unwrap();
        for resume in [false, true] {
            let path = dir.path().join(format!("j{resume}.sqlite"));
            unborn_journal(&path);
            assert!(path.exists());
            let j = if resume { Journal::resume(&path, &identity()) } else { Journal::create(&path, &identity()) };
            let j = j.unwrap_or_else(|e| panic!("resume {resume}: {e}"));
            assert_eq!(j.meta("template").unwrap().as_deref(), Some("invoice"));
            assert!(j.earlier().unwrap().is_empty());
        }
        // An empty file, as a kill right after open(2) leaves it.
        let path = dir.path().join("empty.sqlite");
        std::fs::write(&path, b"").unwrap();
        Journal::resume(&path, &identity()).unwrap();
        // Someone else's file is never taken over.
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "not a database, but not to be overwritten either").unwrap();
        assert!(Journal::create(&path, &identity()).is_err());
        assert!(Journal::resume(&path, &identity()).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a database, but not to be overwritten either");
    }

    #[test]
    fn a_journal_survives_reopening_and_refuses_a_second_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut j = Journal::create(&path, &identity()).unwrap();
        let entry = |ordinal, key: &str, state| Entry {
            ordinal,
            key: key.into(),
            digest: ordinal * 10,
            duplicate: false,
            state,
            message_id: None,
            in_doubt: false,
        };
        let repeat = Entry { duplicate: true, ..entry(4, "K1", State::Rejected) };
        j.commit(
            &[entry(1, "K1", State::Done), entry(2, "K2", State::Rejected), entry(3, "K3", State::Sending), repeat],
            &[("mbox_len", "42".into())],
        )
        .unwrap();
        assert_eq!(j.holder_of("K1").unwrap(), Some(1), "a key is held in the run that made it");
        assert_eq!(j.holder_of("K2").unwrap(), None, "a rejected record does not hold its key");
        drop(j);

        let err = Journal::create(&path, &identity()).err().unwrap();
        assert!(err.to_string().contains("already exists (1 letters done, 1 rejected)"), "{err}");

        let mut j = Journal::resume(&path, &identity()).unwrap();
        assert_eq!(j.run(), 2);
        assert_eq!(j.meta("mbox_len").unwrap().as_deref(), Some("42"));
        let earlier = j.earlier().unwrap();
        use super::super::resume::Verdict;
        assert_eq!(earlier.verdict("K1", 10), Verdict::Done, "the repeat's reject is not K1's state");
        assert_eq!(earlier.verdict("K2", 20), Verdict::RejectedBefore);
        assert_eq!(earlier.verdict("K3", 30), Verdict::InDoubt);
        assert_eq!(j.holder_of("K1").unwrap(), None, "an earlier run's letter is no repeat in this one");
        // The resent in-doubt letter is done in this run, at another place in the input.
        j.commit(&[entry(9, "K3", State::Done)], &[]).unwrap();
        assert_eq!(j.holder_of("K3").unwrap(), Some(9));
        drop(j);
        let j = Journal::resume(&path, &identity()).unwrap();
        assert_eq!(j.earlier().unwrap().verdict("K3", 90), Verdict::Done, "a key's latest row is its state");
        drop(j);

        let other = Identity { template: "reminder".into(), ..identity() };
        assert!(Journal::resume(&path, &other).err().unwrap().to_string().contains("template `invoice`"));
    }

    #[test]
    fn a_group_is_recorded_row_for_row_as_one_statement_a_row_would_record_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(&dir.path().join("j.sqlite"), &identity()).unwrap();
        let states = [State::Done, State::Rejected, State::Sending, State::Deferred];
        // Full statements and a rest; the last rows place a letter again, which replaces it.
        let mut entries: Vec<Entry> = (1..=ROWS_AT_ONCE as u64 * 2 + 7)
            .map(|i| Entry {
                ordinal: i,
                key: format!("K{i}"),
                digest: i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                duplicate: i % 5 == 0,
                state: states[i as usize % 4],
                message_id: (i % 3 == 0).then(|| format!("<{i}@x>")),
                in_doubt: i % 7 == 0,
            })
            .collect();
        let again = |entries: &[Entry], i: u64| Entry {
            key: format!("again{i}"),
            state: State::Done,
            ..entries[i as usize - 1].clone()
        };
        let later = [again(&entries, 2), again(&entries, ROWS_AT_ONCE as u64 + 1)];
        let soon = again(&entries, 1);
        entries.extend(later);
        entries.insert(3, soon);
        j.commit(&entries, &[("mbox_len", "7".into())]).unwrap();
        let mut expected = std::collections::BTreeMap::new();
        for e in &entries {
            let row = (e.key.clone(), e.digest as i64, e.state.as_str().to_string(), e.message_id.clone());
            expected.insert(e.ordinal as i64, (row, i64::from(e.in_doubt), i64::from(e.duplicate)));
        }
        let mut stmt = j
            .conn
            .prepare("SELECT ordinal, key, digest, state, message_id, in_doubt, duplicate FROM letters WHERE run = 1")
            .unwrap();
        let rows: std::collections::BTreeMap<_, _> = stmt
            .query_map([], |r| Ok((r.get(0)?, ((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?), r.get(5)?, r.get(6)?))))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows, expected);
        assert_eq!(j.meta("mbox_len").unwrap().as_deref(), Some("7"));
    }

    #[test]
    fn a_key_is_looked_up_through_its_index() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::create(&dir.path().join("j.sqlite"), &identity()).unwrap();
        let plan: String =
            j.conn.query_row(&format!("EXPLAIN QUERY PLAN {HOLDER}"), params!["K", 1], |r| r.get(3)).unwrap();
        assert_eq!(plan, "SEARCH letters USING INDEX letters_key (key=? AND run=?)");
    }

    #[test]
    fn a_running_batch_keeps_a_second_one_off_its_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let mut running = Journal::create(&path, &identity()).unwrap();
        running.commit(&[], &[("mbox_len", "0".into())]).unwrap();
        let err = Journal::resume(&path, &identity()).err().expect("the journal is held");
        let shown = format!("{:?}", miette::Report::new(err));
        assert!(shown.contains("another missive batch is running on this journal"), "{shown}");
        drop(running);
        assert!(Journal::resume(&path, &identity()).is_ok(), "free again once the first run ends");
    }
}
