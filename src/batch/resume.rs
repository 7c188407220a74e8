//! What earlier runs of a batch did, by record key: a resume looks each record's key up here, so
//! a regenerated export (reordered, truncated, extended, edited) is resumed exactly: a key done
//! before is skipped wherever it now stands, a key never done is made, and a key done before
//! whose record changed is reported (or, with `--resend-changed`, sent again).
//!
//! Keys are held as 128-bit hashes (two SipHash-1-3 with different keys), so a million keys cost
//! 24 MB, not their text; two different keys sharing a hash is as likely as guessing a 128-bit
//! number. Record contents are compared by [`digest`], which reads a record the same whatever
//! the order of its fields (a CSV's columns reordered, a JSON export's keys sorted).

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value as Json;

use super::input::Record;
use super::journal::State;

/// The latest state of every key an earlier run recorded, sorted by the key's hash: per key the
/// two halves of its hash, and its record's digest with the state in the lowest two bits (24
/// bytes a key; the digest keeps 62 bits).
#[derive(Debug, Default)]
pub struct Earlier {
    keys: Vec<[u64; 3]>,
}

/// Builds an [`Earlier`] from rows read one at a time.
#[derive(Debug, Default)]
pub struct EarlierBuilder {
    keys: Vec<[u64; 3]>,
}

const STATE_BITS: u64 = 3;

fn state_code(state: State) -> u64 {
    match state {
        State::Done => 0,
        State::Rejected => 1,
        State::Sending => 2,
        State::Deferred => 3,
    }
}

impl EarlierBuilder {
    /// Adds a row; rows come in the order they were recorded, so a key's last row is its state.
    pub fn push(&mut self, key: &str, digest: u64, state: State) {
        let hash = key_hash(key);
        self.keys.push([(hash >> 64) as u64, hash as u64, (digest & !STATE_BITS) | state_code(state)]);
    }

    /// The index: sorted by key hash, one entry per key (its last row).
    pub fn finish(mut self) -> Earlier {
        // Stable: each key's rows stay in recorded order, and the last of them is kept.
        self.keys.sort_by_key(|k| (k[0], k[1]));
        let keys = &mut self.keys;
        let mut kept = 0;
        for i in 0..keys.len() {
            let last_of_key = keys.get(i + 1).is_none_or(|next| next[..2] != keys[i][..2]);
            if last_of_key {
                keys[kept] = keys[i];
                kept += 1;
            }
        }
        keys.truncate(kept);
        keys.shrink_to_fit();
        Earlier { keys: self.keys }
    }
}

/// What a resume does with a record, by what an earlier run did with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No earlier run made it: make it now.
    New,
    /// Delivered before with the same content: skip.
    Done,
    /// Delivered before, and its record has changed since.
    Changed,
    /// Rejected before with the same content: skip (its reasons are in the rejects report).
    RejectedBefore,
    /// Rejected before, and its record has changed since (mended): try again.
    Mended,
    /// Handed to an SMTP server whose answer was lost: it may be there.
    InDoubt,
    /// Not delivered by an earlier run (deferred by the server, or the run stopped): send it.
    Unsent,
}

impl Earlier {
    /// The index of `rows` (key, content digest, state), in the order they were recorded.
    #[cfg(test)]
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a str, u64, State)>) -> Earlier {
        let mut builder = EarlierBuilder::default();
        for (key, digest, state) in rows {
            builder.push(key, digest, state);
        }
        builder.finish()
    }

    /// Whether no earlier run recorded anything (a first run, or one killed before its first
    /// commit): nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// What to do with the record under `key` whose content digest is `digest`.
    pub fn verdict(&self, key: &str, digest: u64) -> Verdict {
        let hash = key_hash(key);
        let wanted = [(hash >> 64) as u64, hash as u64];
        let Ok(i) = self.keys.binary_search_by(|k| k[..2].cmp(&wanted[..])) else { return Verdict::New };
        let entry = self.keys[i][2];
        let same = entry & !STATE_BITS == digest & !STATE_BITS;
        match entry & STATE_BITS {
            0 if same => Verdict::Done,
            0 => Verdict::Changed,
            1 if same => Verdict::RejectedBefore,
            1 => Verdict::Mended,
            2 => Verdict::InDoubt,
            _ => Verdict::Unsent,
        }
    }
}

/// A key's 128-bit hash.
fn key_hash(key: &str) -> u128 {
    let half = |seed: u8| {
        let mut h = DefaultHasher::new();
        seed.hash(&mut h);
        key.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// A digest of a record's content: the same for the same fields and values in any order of
/// the fields, different when any value, field name or nesting differs.
///
/// Read once per record, so it neither sorts nor looks fields up: an object's digest is the sum
/// of its fields' own digests (addition does not care for order), each one mixed so that sums
/// of different fields do not meet by accident.
pub fn digest(record: &Record) -> u64 {
    object(record)
}

fn object(map: &serde_json::Map<String, Json>) -> u64 {
    let mut sum = map.len() as u64;
    for (key, v) in map {
        let mut h = rustc_hash::FxHasher::default();
        h.write_usize(key.len());
        h.write(key.as_bytes());
        h.write_u64(value(v));
        sum = sum.wrapping_add(mix(h.finish()));
    }
    mix(sum ^ 0x6f62_6a65_6374)
}

fn value(v: &Json) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    match v {
        Json::Null => h.write_u8(0),
        Json::Bool(b) => h.write_u8(if *b { 2 } else { 1 }),
        Json::Number(n) => {
            h.write_u8(3);
            match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => h.write_u64(u),
                (_, Some(i), _) => h.write_i64(i),
                (_, _, f) => {
                    h.write_u8(4);
                    h.write_u64(f.unwrap_or(f64::NAN).to_bits());
                }
            }
        }
        Json::String(s) => {
            h.write_u8(5);
            h.write_usize(s.len());
            h.write(s.as_bytes());
        }
        Json::Array(items) => {
            h.write_u8(6);
            h.write_usize(items.len());
            items.iter().for_each(|item| h.write_u64(value(item)));
        }
        Json::Object(map) => return object(map),
    }
    mix(h.finish())
}

/// A 64-bit finaliser (splitmix64's): every input bit moves every output bit.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_digest_ignores_field_order_and_sees_every_value() {
        let a = digest(&record(r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl"}, "n": 1}"#));
        let b = digest(&record(r#"{"n": 1, "customer": {"email": "a@b.pl", "name": "Anna"}, "key": "K"}"#));
        assert_eq!(a, b);
        for other in [
            r#"{"key": "K", "customer": {"name": "Anne", "email": "a@b.pl"}, "n": 1}"#,
            r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl"}, "n": "1"}"#,
            r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl"}, "n": 1, "x": null}"#,
            r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl"}, "n": [1]}"#,
            r#"{"key": "K", "customer": {"name": "Ann", "email": "aa@b.pl"}, "n": 1}"#,
            r#"{"key": "K", "customer": {"name": "a@b.pl", "email": "Anna"}, "n": 1}"#,
            r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl"}, "n": 1.0}"#,
            r#"{"key": "K", "customer": {"name": "Anna", "email": "a@b.pl", "n": 1}}"#,
        ] {
            assert_ne!(digest(&record(other)), a, "{other}");
        }
    }

    #[test]
    fn each_key_has_its_latest_state() {
        let earlier = Earlier::new([
            ("A", 1 << 8, State::Sending),
            ("B", 2 << 8, State::Rejected),
            ("A", 1 << 8, State::Done),
            ("C", 3 << 8, State::Done),
            ("D", 4 << 8, State::Sending),
            ("F", 6 << 8, State::Deferred),
        ]);
        assert_eq!(earlier.verdict("A", 1 << 8), Verdict::Done);
        assert_eq!(earlier.verdict("A", 9 << 8), Verdict::Changed);
        assert_eq!(earlier.verdict("B", 2 << 8), Verdict::RejectedBefore);
        assert_eq!(earlier.verdict("B", 5 << 8), Verdict::Mended);
        assert_eq!(earlier.verdict("C", 3 << 8), Verdict::Done);
        assert_eq!(earlier.verdict("D", 4 << 8), Verdict::InDoubt);
        assert_eq!(earlier.verdict("F", 6 << 8), Verdict::Unsent);
        assert_eq!(earlier.verdict("F", 7 << 8), Verdict::Unsent, "not sent, so never `changed`");
        assert_eq!(earlier.verdict("E", 4 << 8), Verdict::New);
        assert_eq!(earlier.verdict("a", 1 << 8), Verdict::New, "keys are compared exactly");
        assert!(Earlier::new([]).is_empty());
    }
}
