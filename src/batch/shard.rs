//! `--shard K/N`: a stable split of a batch by record key, so N machines (or N jobs of a
//! scheduler) each take their share with no coordination. The hash is FNV-1a of the key's
//! UTF-8 bytes: the same on every machine, run and Rust version.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};

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

impl Shard {
    /// The shard a scheduler gives this process through its environment (`env` looks a
    /// variable up): a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, 0-based, with `count`
    /// from `--shard-count`), a Slurm job array (`SLURM_ARRAY_TASK_ID` from
    /// `SLURM_ARRAY_TASK_MIN`, and `SLURM_ARRAY_TASK_COUNT`) or GNU Parallel (`PARALLEL_SEQ`,
    /// 1-based, with `count`). `count` overrides the scheduler's own count.
    pub fn from_scheduler(count: Option<u64>, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
        let usage = |message: String| Error::new(ErrorKind::Usage, message);
        let number = |name: &str| -> Result<Option<u64>> {
            match env(name) {
                None => Ok(None),
                Some(v) => v.trim().parse().map(Some).map_err(|_| usage(format!("{name}=`{v}` is not a whole number"))),
            }
        };
        let needs_count = |who: &str| {
            usage(format!("--shard auto under {who} needs --shard-count N: the number of jobs the batch is split into"))
        };
        let (index, count, who) = if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            (i + 1, count.ok_or_else(|| needs_count("a Kubernetes Indexed Job"))?, "JOB_COMPLETION_INDEX")
        } else if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let count = match count {
                Some(n) => n,
                None => number("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| needs_count("a Slurm array"))?,
            };
            (
                id.checked_sub(min).ok_or_else(|| usage("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN".into()))?
                    + 1,
                count,
                "SLURM_ARRAY_TASK_ID",
            )
        } else if let Some(seq) = number("PARALLEL_SEQ")? {
            (seq, count.ok_or_else(|| needs_count("GNU Parallel"))?, "PARALLEL_SEQ")
        } else {
            return Err(usage("--shard auto: no scheduler says which shard this is (JOB_COMPLETION_INDEX for a Kubernetes Indexed Job, SLURM_ARRAY_TASK_ID for a Slurm job array, PARALLEL_SEQ for GNU Parallel): pass --shard K/N".into()));
        };
        if count == 0 || index == 0 || index > count {
            return Err(usage(format!(
                "--shard auto: {who} makes this shard {index} of {count}, which is not one of them: check --shard-count"
            )));
        }
        Ok(Shard { index, count })
    }
}

impl FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Shard> {
        let bad = || Error::new(ErrorKind::Usage, format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8"));
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
    fn schedulers_say_which_shard_a_process_is() {
        let from = |vars: &[(&str, &str)], count| {
            let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            Shard::from_scheduler(count, |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
                .map_err(|e| e.to_string())
        };
        let shard = |index, count| Ok(Shard { index, count });
        assert_eq!(from(&[("JOB_COMPLETION_INDEX", "0")], Some(4)), shard(1, 4));
        assert_eq!(from(&[("JOB_COMPLETION_INDEX", "3")], Some(4)), shard(4, 4));
        assert!(from(&[("JOB_COMPLETION_INDEX", "4")], Some(4)).unwrap_err().contains("check --shard-count"));
        assert!(from(&[("JOB_COMPLETION_INDEX", "0")], None).unwrap_err().contains("needs --shard-count"));
        let slurm = [("SLURM_ARRAY_TASK_ID", "7"), ("SLURM_ARRAY_TASK_MIN", "5"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert_eq!(from(&slurm, None), shard(3, 3));
        assert_eq!(from(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "2")], None), shard(1, 2));
        assert_eq!(from(&[("PARALLEL_SEQ", "2")], Some(8)), shard(2, 8));
        assert!(from(&[("PARALLEL_SEQ", "x")], Some(8)).unwrap_err().contains("not a whole number"));
        assert!(from(&[], Some(8)).unwrap_err().contains("pass --shard K/N"));
    }

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
