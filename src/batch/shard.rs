//! `--shard K/N`: a stable split of a batch by record key, so N machines (or N jobs of a
//! scheduler) each take their share with no coordination. The hash is FNV-1a of the key's
//! UTF-8 bytes: the same on every machine, run and Rust version.

use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 1 ..= count.
    pub index: u64,
    /// Into how many shares the batch is split.
    pub count: u64,
}

impl Shard {
    /// Whether the record with `key` belongs to this shard.
    pub fn takes(&self, key: &str) -> bool {
        crate::hash::fnv1a(key.as_bytes()) % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_key_exactly_once_and_evenly() {
        let shards: Vec<Shard> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let mut sizes = [0; 4];
        for i in 0..10_000 {
            let key = format!("INV-{i:08}");
            let takers: Vec<usize> = (0..4).filter(|&s| shards[s].takes(&key)).collect();
            assert_eq!(takers.len(), 1);
            sizes[takers[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| (2_300..2_700).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn shard_specs_are_checked() {
        assert_eq!("2/8".parse::<Shard>().unwrap(), Shard { index: 2, count: 8 });
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
