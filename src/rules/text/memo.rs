//! A per-thread memo of what is worked out paragraph by paragraph (the measures), keyed by the
//! paragraph with its ASCII digits all as `0`: a billing run's letters share most of their
//! paragraphs, and many of the rest differ only in their amounts, dates and numbers.

use rustc_hash::FxHashMap;

/// The most text a memo keeps (counted as its users count it) before starting over.
const MAX_BYTES: usize = 1 << 20;

/// Paragraphs: [`digit_blind_hash`] → the paragraphs with that hash (as first met, and with
/// their ASCII digits as `0`) and what was worked out for each.
pub(super) struct Memo<V> {
    map: FxHashMap<u64, Vec<Kept<V>>>,
    bytes: usize,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo { map: FxHashMap::default(), bytes: 0 }
    }
}

/// A paragraph worked out.
struct Kept<V> {
    /// As first met: most paragraphs that come again come again as they were.
    text: Box<[u8]>,
    /// With its ASCII digits as `0`.
    blind: Box<[u8]>,
    value: V,
}

impl<V> Memo<V> {
    /// What was kept for `text` (or for a text that differs from it only in its ASCII
    /// digits), `hash` being its [`digit_blind_hash`].
    pub(super) fn get(&self, hash: u64, text: &[u8]) -> Option<&V> {
        let kept = self.map.get(&hash)?;
        kept.iter().find(|k| *k.text == *text || digit_blind_eq(&k.blind, text)).map(|k| &k.value)
    }

    /// Keeps `value` for `text`, which takes `bytes` of memory or so.
    pub(super) fn keep(&mut self, hash: u64, text: &[u8], value: V, bytes: usize) {
        if self.bytes + bytes > MAX_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += bytes;
        let blind = text.iter().map(|&b| if b.is_ascii_digit() { b'0' } else { b }).collect();
        self.map.entry(hash).or_default().push(Kept { text: text.into(), blind, value });
    }
}

/// Where a text may be cut into paragraphs worked out one by one: after a `\n\n` that a
/// character other than ASCII whitespace follows, where a one-pass reading has closed a
/// paragraph and starts afresh.
pub(super) fn cuts(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(text.as_bytes(), b"\n\n")
        .map(|i| i + 2)
        .filter(|&q| text.as_bytes().get(q).is_some_and(|&b| !matches!(b, b'\n' | b' ' | b'\t' | b'\r')))
}

/// Eight bytes (the first in the lowest lane) with every ASCII digit as `0`.
#[inline(always)]
pub(super) fn digit_blind(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // Digits are the lanes that `^ b'0'` takes below 10: with the high bit set, a lane less
    // 10 keeps it only from 10 up (no lane borrows from the next), and a lane from 0x80 up
    // had it before.
    let t = w ^ (ONES * u64::from(b'0'));
    let digit = !(((t | HIGH) - ONES * 10) | t) & HIGH;
    // Digits (0x30..=0x39) differ from `0` in their low four bits only.
    w & !((digit >> 7) * 0x0f)
}

/// The eight bytes of `chunk` (fewer at the end of a text: zeros after them) as a `u64`.
#[inline(always)]
pub(super) fn load(chunk: &[u8]) -> u64 {
    match chunk.try_into() {
        Ok(eight) => u64::from_le_bytes(eight),
        Err(_) => chunk.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b)),
    }
}

/// A hash of `text` that does not tell its ASCII digits apart (see [`digit_blind`]): of its
/// length and eight bytes at each of eight places spread over it, which tell most paragraphs
/// apart (those that they do not are told apart by comparing them whole).
pub(super) fn digit_blind_hash(text: &[u8]) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let len = text.len();
    let mut hash = len as u64;
    for place in 0..8 {
        let at = len * place / 8;
        let word = load(text.get(at..(at + 8).min(len)).unwrap_or_default());
        hash = (hash ^ digit_blind(word)).wrapping_mul(K).rotate_left(26);
    }
    hash
}

/// Whether `text` is `blind` (a text with its ASCII digits as `0`) but for its digits.
pub(super) fn digit_blind_eq(blind: &[u8], text: &[u8]) -> bool {
    if blind.len() != text.len() {
        return false;
    }
    let (mut b, mut t) = (blind.chunks_exact(8), text.chunks_exact(8));
    (&mut b).zip(&mut t).all(|(b, t)| {
        let (b, t) = (load(b), load(t));
        b == t || b == digit_blind(t)
    }) && load(b.remainder()) == digit_blind(load(t.remainder()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`digit_blind`] as defined, a byte at a time.
    fn reference_blind(text: &[u8]) -> Vec<u8> {
        text.iter().map(|&b| if b.is_ascii_digit() { b'0' } else { b }).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 1_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
            ..proptest::test_runner::Config::default()
        })]

        /// The word-wide blinding, hash and comparison agree with blinding byte by byte, at
        /// every length (the last word of a text is short) and for bytes on both sides of the
        /// digits and beyond ASCII.
        #[test]
        fn blind_words_agree_with_the_definition(
            a in proptest::collection::vec(proptest::sample::select(vec![
                b'/', b'0', b'5', b'9', b':', b'a', b' ', 0x80, 0xb0, 0xb9, 0xc4, 0xff, 0x00,
            ]), 0..40),
            b in proptest::collection::vec(proptest::sample::select(vec![
                b'/', b'0', b'5', b'9', b':', b'a', b' ', 0x80, 0xb0, 0xb9, 0xc4, 0xff, 0x00,
            ]), 0..40),
        ) {
            let blind_a = reference_blind(&a);
            for chunk in a.chunks(8) {
                proptest::prop_assert_eq!(digit_blind(load(chunk)), load(&reference_blind(chunk)));
            }
            let same = blind_a == reference_blind(&b);
            proptest::prop_assert_eq!(digit_blind_eq(&blind_a, &b), same);
            if same {
                proptest::prop_assert_eq!(digit_blind_hash(&a), digit_blind_hash(&b));
            }
            proptest::prop_assert_eq!(digit_blind_hash(&a), digit_blind_hash(&blind_a));
            let shifted: Vec<u8> =
                a.iter().map(|&x| if x.is_ascii_digit() { b'0' + (x - b'0' + 3) % 10 } else { x }).collect();
            proptest::prop_assert!(digit_blind_eq(&blind_a, &shifted));
            proptest::prop_assert_eq!(digit_blind_hash(&a), digit_blind_hash(&shifted));
        }
    }

    /// A text is found under its digit-blind twins, and a different text is not.
    #[test]
    fn the_memo_finds_texts_alike_but_for_their_digits() {
        let mut memo = Memo::default();
        let text = b"Kwota 24 526,46 z\xc5\x82 do 7 stycznia 2026 r.\n\n";
        memo.keep(digit_blind_hash(text), text, 1, text.len());
        let twin = b"Kwota 99 001,00 z\xc5\x82 do 3 stycznia 1999 r.\n\n";
        assert_eq!(memo.get(digit_blind_hash(twin), twin), Some(&1));
        let other = b"Kwota 99 001,00 z\xc5\x82 do 3 lutego 1999 r.\n\n";
        assert_eq!(memo.get(digit_blind_hash(other), other), None);
    }
}
