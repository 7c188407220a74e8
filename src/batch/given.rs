//! The keys this run has given a letter (delivered, or handed to an SMTP sender), as Bloom
//! filters: the writer asks whose a key already is (the group's letters, the senders', the
//! journal's rows of this run) only when the filters may hold it, so a batch of unique keys, the
//! usual one, makes no journal query a letter (5,500 instructions each).
//!
//! A filter never forgets a key it was given (no false "no"); it may say "maybe" for a key it
//! was not (about 0.25% of such keys a filter, at its capacity), and the writer then asks as it
//! always did. Each filter holds a fixed number of keys; when it is full a new one twice its
//! size takes the next keys, so the memory follows the run (2 bytes a key and at most twice
//! that: 4 MB for a million keys) and the rate of "maybe" stays low whatever its length.

use crate::hash::fnv1a;

/// Bits a key in a filter, probes a key, and the first filter's keys.
const BITS_PER_KEY: usize = 16;
const PROBES: u64 = 4;
const FIRST: usize = 1 << 16;

/// The keys given a letter so far.
#[derive(Default)]
pub(super) struct Given {
    filters: Vec<Filter>,
}

struct Filter {
    words: Vec<u64>,
    /// The bit positions' mask (the filter holds a power of two of bits).
    mask: u64,
    keys: usize,
    capacity: usize,
}

impl Given {
    /// Records `key` as given a letter.
    pub(super) fn insert(&mut self, key: &str) {
        let hash = mixed(key);
        if self.filters.last().is_none_or(|f| f.keys >= f.capacity) {
            let capacity = FIRST << self.filters.len().min(8);
            let bits = capacity * BITS_PER_KEY;
            self.filters.push(Filter { words: vec![0; bits / 64], mask: bits as u64 - 1, keys: 0, capacity });
        }
        if let Some(filter) = self.filters.last_mut() {
            for bit in probes(hash, filter.mask) {
                if let Some(word) = filter.words.get_mut((bit / 64) as usize) {
                    *word |= 1 << (bit % 64);
                }
            }
            filter.keys += 1;
        }
    }

    /// Whether `key` may have been given a letter: `false` only for a key never given one.
    pub(super) fn may_hold(&self, key: &str) -> bool {
        let hash = mixed(key);
        self.filters.iter().any(|filter| {
            probes(hash, filter.mask)
                .all(|bit| filter.words.get((bit / 64) as usize).is_some_and(|word| word & (1 << (bit % 64)) != 0))
        })
    }
}

/// The key's FNV-1a hash with its bits mixed (MurmurHash3's finaliser): the probes take low
/// bits, which FNV-1a alone spreads poorly for keys that differ in their last characters.
fn mixed(key: &str) -> u64 {
    let mut h = fnv1a(key.as_bytes());
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A key's bit positions: double hashing, the second step odd so that probes differ.
fn probes(hash: u64, mask: u64) -> impl Iterator<Item = u64> {
    let (first, step) = (hash & 0xffff_ffff, (hash >> 32) | 1);
    (0..PROBES).map(move |i| first.wrapping_add(i.wrapping_mul(step)) & mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_key_is_always_held_and_others_seldom_seem_so() {
        let mut given = Given::default();
        assert!(!given.may_hold("INV-1"), "nothing is held before anything is given");
        let n = FIRST * 5;
        for i in 0..n {
            given.insert(&format!("INV-{i:08}"));
        }
        assert!(given.filters.len() >= 3, "full filters are followed by larger ones: {}", given.filters.len());
        for i in 0..n {
            assert!(given.may_hold(&format!("INV-{i:08}")), "INV-{i:08} was given and must be held");
        }
        let seeming = (n..n + 100_000).filter(|i| given.may_hold(&format!("INV-{i:08}"))).count();
        assert!(seeming < 1_500, "{seeming} of 100,000 keys never given seem held");
    }
}
