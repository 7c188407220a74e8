//! Fields' `pattern`s, compiled once per process for each distinct source.
//!
//! A standard's templates repeat their patterns (every invoice letter checks the same invoice
//! number), and compiling one is costly: Unicode `\d{4}` becomes a large automaton, so the
//! bundled standard's six compiles were a third of a cold `missive render`'s instructions.
//! Compiled regexes are shared (a `Regex` is a cheap handle), so a pattern written in several
//! templates, or loaded again by `serve --watch`, is compiled once.

use std::sync::Mutex;

use regex::Regex;

/// Distinct patterns kept at most: far more than a standard has; past it, patterns are
/// compiled every time (still correct, only slower).
const KEPT: usize = 256;

/// The process's compiled patterns.
static COMPILED: Memo = Memo::new();

/// Compiles `source`, or gives the regex compiled from the same source before.
pub(super) fn compile(source: &str) -> Result<Regex, regex::Error> {
    COMPILED.compile(source)
}

/// Compiled patterns by their source, in the order first seen.
struct Memo {
    kept: Mutex<Vec<(String, Regex)>>,
}

impl Memo {
    const fn new() -> Memo {
        Memo { kept: Mutex::new(Vec::new()) }
    }

    fn compile(&self, source: &str) -> Result<Regex, regex::Error> {
        // A poisoned lock only means another thread panicked while holding it; the list it
        // guards is still whole, but compiling afresh is as correct and needs no trust.
        if let Ok(kept) = self.kept.lock()
            && let Some((_, regex)) = kept.iter().find(|(s, _)| s == source)
        {
            return Ok(regex.clone());
        }
        let regex = Regex::new(source)?;
        if let Ok(mut kept) = self.kept.lock()
            && kept.len() < KEPT
            && !kept.iter().any(|(s, _)| s == source)
        {
            kept.push((source.to_string(), regex.clone()));
        }
        Ok(regex)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().map_or(0, |kept| kept.len())
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_compiled_once_and_matches_as_compiled_fresh() {
        let memo = Memo::new();
        let first = memo.compile(r"^FV/\d{4}/\d{2}/\d{4}$").unwrap();
        let again = memo.compile(r"^FV/\d{4}/\d{2}/\d{4}$").unwrap();
        assert_eq!(memo.len(), 1);
        let other = memo.compile(r"^REK/\d{4}$").unwrap();
        assert_eq!(memo.len(), 2);
        let fresh = Regex::new(r"^FV/\d{4}/\d{2}/\d{4}$").unwrap();
        for text in ["FV/2026/11/0001", "FV/2026/11/001", "FV/２０２６/11/0001", "REK/2026", "xFV/2026/11/0001"] {
            assert_eq!(first.is_match(text), fresh.is_match(text), "{text}");
            assert_eq!(again.is_match(text), fresh.is_match(text), "{text}");
        }
        assert!(other.is_match("REK/2026") && !other.is_match("FV/2026/11/0001"));
    }

    #[test]
    fn an_invalid_source_is_an_error_and_not_kept() {
        let memo = Memo::new();
        let bad = String::from("(unclosed");
        let err = memo.compile(&bad).unwrap_err();
        assert_eq!(err.to_string(), Regex::new(&bad).unwrap_err().to_string());
        assert_eq!(memo.len(), 0);
    }

    #[test]
    fn the_memo_stops_growing_at_its_bound() {
        let memo = Memo::new();
        for i in 0..KEPT + 10 {
            assert!(memo.compile(&format!("^a{{{i}}}$")).unwrap().is_match(&"a".repeat(i)));
        }
        assert_eq!(memo.len(), KEPT);
        // Past the bound a pattern is still compiled and right.
        assert!(memo.compile("^b+$").unwrap().is_match("bbb"));
        assert_eq!(memo.len(), KEPT);
    }
}
