//! Source files of a standard and positions in them: what diagnostics point at.

use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

/// One file of a standard, kept in memory so that errors and findings can quote it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path shown to users, relative to the standard's folder (`templates/invoice.tera`).
    pub name: Arc<str>,
    /// The whole text of the file.
    pub text: Arc<str>,
}

impl SourceFile {
    /// Wraps a file's name and text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile { name: name.into(), text: text.into() }
    }

    /// The file as a miette source, for errors that quote it.
    pub fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&*self.name, self.text.clone())
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// The location of a byte range of this file.
    pub fn location(&self, range: std::ops::Range<usize>) -> Location {
        let (line, column) = self.line_col(range.start);
        let end = range.end.min(self.text.len()).max(range.start);
        let length = self.text.get(range.start..end).map_or(1, |s| s.chars().count().max(1));
        Location { file: self.name.to_string(), line, column, length }
    }

    /// The byte offset of a 1-based line and 0-based character column, clamped to the text.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        offset_of(&self.text, line, col)
    }
}

/// A place in a source file, for messages that name a file and line without quoting it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// The file, relative to the standard's folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the finding covers (for the caret line).
    pub length: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The 1-based line and 1-based character column of `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset of 1-based `line`, 0-based character `col` in `text`, clamped to the text.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    start + rest[..line_len].char_indices().nth(col).map_or(line_len, |(i, _)| i)
}

/// A span of `len` bytes at `offset`, as miette wants it.
pub fn span(offset: usize, len: usize) -> SourceSpan {
    SourceSpan::new(offset.into(), len)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ąę\nżółw {{ x }}\n";
        let offset = text.find("{{").unwrap();
        assert_eq!(line_col(text, offset), (2, 6));
        assert_eq!(offset_of(text, 2, 5), offset);
    }

    #[test]
    fn offsets_are_clamped() {
        assert_eq!(offset_of("ab\ncd", 9, 0), 5);
        assert_eq!(offset_of("ab\ncd", 2, 99), 5);
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
