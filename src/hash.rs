//! 64-bit FNV-1a: a stable hash (std's hasher may change between Rust releases) for whatever
//! must come out the same on every run and machine: Message-IDs and MIME boundaries, `--shard`
//! splits, PDF subset tags and document ids. Not cryptographic; it only has to tell inputs apart.

/// An FNV-1a hash being fed.
pub(crate) struct Fnv(u64);

impl Fnv {
    /// A hash with the standard FNV-1a offset basis.
    pub(crate) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// A hash starting from another basis, for a second independent 64 bits.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(crate) fn with_seed(seed: u64) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Feeds bytes.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// The FNV-1a hash of `bytes`.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.write(bytes);
    hash.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_fnv_1a() {
        // Test vectors from the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        let mut split = Fnv::new();
        split.write(b"foo");
        split.write(b"bar");
        assert_eq!(split.finish(), fnv1a(b"foobar"));
        assert_ne!(Fnv::with_seed(1).finish(), Fnv::new().finish());
    }
}
