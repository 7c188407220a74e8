//! Escaping personalisation values for the Markdown body, so that they are always read literally.

use std::io::{self, Write};

/// ASCII characters with a meaning somewhere in CommonMark (emphasis, links, HTML, lists,
/// headings, tables, entities). A backslash before any ASCII punctuation is a literal in
/// CommonMark, so escaping too many is harmless while escaping too few is not.
fn needs_escape(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'`' | b'*' | b'_' | b'{' | b'}' | b'[' | b']' | b'<' | b'>' | b'(' | b')' | b'#' | b'+' | b'-'
            | b'.' | b'!' | b'|' | b'~' | b'&' | b'"' | b'\'' | b'=' | b':'
    )
}

/// Writes `s` with every Markdown-significant character backslash-escaped.
pub fn markdown_escape_to(s: &str, out: &mut dyn Write) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if needs_escape(b) {
            out.write_all(&bytes[last..i])?;
            out.write_all(&[b'\\', b])?;
            last = i + 1;
        }
    }
    out.write_all(&bytes[last..])
}

/// Appends `s` escaped for Markdown to `out`.
pub fn markdown_escape_into(s: &str, out: &mut String) {
    out.reserve(s.len());
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        if needs_escape(b) {
            out.push_str(&s[last..i]);
            out.push('\\');
            out.push(b as char);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for Markdown, borrowed when nothing needed escaping (most names and numbers).
pub fn markdown_escape(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(needs_escape) {
        let mut out = String::with_capacity(s.len() + 8);
        markdown_escape_into(s, &mut out);
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped_and_text_kept() {
        let mut out = String::new();
        markdown_escape_into("*Anna* <b>Żółć</b> & [x](y) 1. #", &mut out);
        assert_eq!(out, r"\*Anna\* \<b\>Żółć\</b\> \& \[x\]\(y\) 1\. \#");
        let mut bytes = Vec::new();
        markdown_escape_to("*Anna* <b>Żółć</b> & [x](y) 1. #", &mut bytes).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), out);
        assert!(matches!(markdown_escape("Anna Kowalska"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(markdown_escape("a*b"), "a\\*b");
    }
}
