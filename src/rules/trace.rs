//! Tracing a finding back to the source line that produced the offending text.

use crate::rules::text::Folded;
use crate::source::{Location, SourceFile};

/// The first place in `sources` whose line holds `found` (folded: case, spacing and punctuation
/// do not matter). Text that came from a record is in no source, and gets `None`.
pub fn locate(found: &str, sources: &[&SourceFile]) -> Option<Location> {
    let needle = format!(" {} ", Folded::phrase(found));
    if needle.trim().is_empty() {
        return None;
    }
    for file in sources {
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let folded = Folded::new(line);
            if let Some(at) = folded.text.find(&needle) {
                let range = folded.original(at + 1..at + needle.len() - 1, line);
                return Some(file.location(offset + range.start..offset + range.end));
            }
            offset += line.len();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_and_column() {
        let a = SourceFile::new("locales/pl/a.ftl", "x = Dzień dobry\ny = To wina, KOMPUTERA niestety\n");
        let loc = locate("komputera", &[&a]).unwrap();
        assert_eq!((loc.file.as_str(), loc.line, loc.column, loc.length), ("locales/pl/a.ftl", 2, 14, 9));
        assert!(locate("drukarki", &[&a]).is_none());
    }
}
