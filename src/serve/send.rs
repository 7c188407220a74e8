//! `POST /v1/letters/{id}/send`: one letter rendered and sent through the standard's SMTP
//! server (`[serve] smtp`). An `Idempotency-Key` header makes a retried request the same
//! letter: the same Message-ID, and never sent twice. The keys live in a small SQLite table for
//! `[serve] remember_hours`:
//!
//! - a key seen with the same request answers what the first answered (`Idempotent-Replayed`);
//! - a key seen with another request is refused (422);
//! - a key whose letter is being sent, or whose server reply was lost (in doubt), is refused
//!   (409): sending again could deliver it twice; the answer says to look in the mailbox;
//! - a letter the server never took (down, deferred, a record that does not fit) forgets the
//!   key, so the retry sends it.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, params};

use crate::error::{Error, ErrorKind, Result};

/// What a key's row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seen {
    /// Not seen (or forgotten): the caller now holds it, marked as being sent.
    New,
    /// Seen with another request.
    Different,
    /// Being sent, or its server reply was lost.
    InFlight,
    /// Answered: the status and the body to answer again.
    Answered(u16, Vec<u8>),
}

/// The remembered keys.
pub(crate) struct Keys {
    conn: Mutex<Connection>,
    /// How long a key is kept, in seconds.
    keep: i64,
}

impl Keys {
    /// Opens (or creates) the key table in `path`, forgetting keys older than `hours`.
    pub(crate) fn open(path: &Path, hours: u32) -> Result<Keys> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let failed = |e: rusqlite::Error| {
            Error::new(ErrorKind::Io, format!("{}: the idempotency keys cannot be kept: {e}", path.display()))
                .with_help("set [serve] keys in missive.toml to a file the server may write")
        };
        let conn = Connection::open(path).map_err(failed)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 2000;
             CREATE TABLE IF NOT EXISTS sends (
                 key TEXT PRIMARY KEY,
                 request TEXT NOT NULL,
                 status INTEGER,
                 body BLOB,
                 at INTEGER NOT NULL
             );",
        )
        .map_err(failed)?;
        let keys = Keys { conn: Mutex::new(conn), keep: i64::from(hours) * 3600 };
        keys.forget_old().map_err(failed)?;
        Ok(keys)
    }

    fn forget_old(&self) -> rusqlite::Result<()> {
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        conn.execute("DELETE FROM sends WHERE at < ?1", params![crate::clock::unix_seconds() - self.keep])?;
        Ok(())
    }

    /// Claims `key` for `request` (a digest of what was asked), or says how it was seen.
    pub(crate) fn claim(&self, key: &str, request: &str) -> Result<Seen> {
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = crate::clock::unix_seconds();
        let stored = || -> rusqlite::Result<Seen> {
            conn.execute("DELETE FROM sends WHERE key = ?1 AND at < ?2", params![key, now - self.keep])?;
            let inserted = conn.execute(
                "INSERT OR IGNORE INTO sends (key, request, status, body, at) VALUES (?1, ?2, NULL, NULL, ?3)",
                params![key, request, now],
            )?;
            if inserted == 1 {
                return Ok(Seen::New);
            }
            let (was, status, body): (String, Option<u16>, Option<Vec<u8>>) =
                conn.query_row("SELECT request, status, body FROM sends WHERE key = ?1", params![key], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            Ok(match (was == request, status, body) {
                (false, _, _) => Seen::Different,
                (true, Some(status), Some(body)) => Seen::Answered(status, body),
                (true, _, _) => Seen::InFlight,
            })
        };
        stored().map_err(|e| Error::new(ErrorKind::Io, format!("the idempotency keys cannot be read: {e}")))
    }

    /// Keeps the answer to `key`'s request, to give again.
    pub(crate) fn answered(&self, key: &str, status: u16, body: &[u8]) -> Result<()> {
        self.write("UPDATE sends SET status = ?2, body = ?3 WHERE key = ?1", params![key, status, body])
    }

    /// Forgets `key`: nothing reached the server, so a retry may send.
    pub(crate) fn forget(&self, key: &str) -> Result<()> {
        self.write("DELETE FROM sends WHERE key = ?1", params![key])
    }

    fn write(&self, sql: &str, values: impl rusqlite::Params) -> Result<()> {
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        conn.execute(sql, values)
            .map(|_| ())
            .map_err(|e| Error::new(ErrorKind::Io, format!("the idempotency keys cannot be written: {e}")))
    }

    /// Whether `key` is remembered at all (tests).
    #[cfg(test)]
    fn holds(&self, key: &str) -> bool {
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        conn.query_row("SELECT COUNT(*) FROM sends WHERE key = ?1", params![key], |row| row.get::<_, i64>(0))
            .is_ok_and(|n| n > 0)
    }
}

/// Whether `key` is a usable `Idempotency-Key`: 1 to 255 visible ASCII characters.
pub(crate) fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_claimed_once_answered_again_and_refused_for_another_request() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::open(&dir.path().join("k/keys.sqlite"), 24).unwrap();
        assert_eq!(keys.claim("k1", "a").unwrap(), Seen::New);
        assert_eq!(keys.claim("k1", "a").unwrap(), Seen::InFlight);
        assert_eq!(keys.claim("k1", "b").unwrap(), Seen::Different);
        keys.answered("k1", 200, b"{}").unwrap();
        assert_eq!(keys.claim("k1", "a").unwrap(), Seen::Answered(200, b"{}".to_vec()));
        keys.forget("k1").unwrap();
        assert!(!keys.holds("k1"));
        assert_eq!(keys.claim("k1", "b").unwrap(), Seen::New);
        // Reopened, the file still holds what was answered.
        keys.answered("k1", 201, b"x").unwrap();
        drop(keys);
        let again = Keys::open(&dir.path().join("k/keys.sqlite"), 24).unwrap();
        assert_eq!(again.claim("k1", "b").unwrap(), Seen::Answered(201, b"x".to_vec()));
    }

    #[test]
    fn keys_are_visible_ascii_of_reasonable_length() {
        assert!(valid_key("order-2026-11-0160"));
        assert!(!valid_key(""));
        assert!(!valid_key("with space"));
        assert!(!valid_key("zażółć"));
        assert!(!valid_key(&"k".repeat(256)));
    }
}
