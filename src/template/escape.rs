//! Escaping personalisation values for the Markdown body, so that they are always read literally.
//!
//! Besides backslash-escaping punctuation, line structure is made explicit for multiline text
//! (an agent's paragraph): a single line break becomes a hard break, a blank line a new
//! paragraph, and indentation is dropped (four spaces would otherwise start a code block).

use std::borrow::Cow;
use std::io::{self, Write};

/// ASCII characters with a meaning somewhere in CommonMark (emphasis, links, HTML, lists,
/// headings, tables, entities). A backslash before any ASCII punctuation is a literal in
/// CommonMark, so escaping too many is harmless while escaping too few is not.
const fn needs_escape(b: u8) -> bool {
    matches!(
        b,
        b'\\'
            | b'`'
            | b'*'
            | b'_'
            | b'{'
            | b'}'
            | b'['
            | b']'
            | b'<'
            | b'>'
            | b'('
            | b')'
            | b'#'
            | b'+'
            | b'-'
            | b'.'
            | b'!'
            | b'|'
            | b'~'
            | b'&'
            | b'"'
            | b'\''
            | b'='
            | b':'
            | b'\n'
            | b'\r'
    )
}

/// Feeds `s`, escaped, to `push` piece by piece.
fn escape_with(s: &str, mut push: impl FnMut(&str)) {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r']);
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !needs_escape(b) {
            i += 1;
            continue;
        }
        push(&s[last..i]);
        if b == b'\n' || b == b'\r' {
            // Collapse the run of line breaks and the next line's indentation.
            let mut newlines = 0;
            while i < bytes.len() && matches!(bytes[i], b'\n' | b'\r' | b' ' | b'\t') {
                newlines += usize::from(bytes[i] == b'\n');
                i += 1;
            }
            if i < bytes.len() {
                push(if newlines >= 2 { "\n\n" } else { "\\\n" });
            }
            last = i;
            continue;
        }
        push("\\");
        push(&s[i..=i]);
        i += 1;
        last = i;
    }
    push(&s[last..]);
}

/// Whether `s` is its own escaped form: no byte to escape, no indentation to drop. Most
/// values (names, numbers, dates) are; a table lookup a byte.
fn verbatim(s: &str) -> bool {
    /// [`needs_escape`] for every byte value.
    static NEEDS_ESCAPE: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = needs_escape(b as u8);
            b += 1;
        }
        table
    };
    !s.starts_with([' ', '\t']) && !s.bytes().any(|b| NEEDS_ESCAPE[usize::from(b)])
}

/// Writes `s` escaped for Markdown: Tera's escape function for letter bodies.
pub fn markdown_escape_to(s: &str, out: &mut dyn Write) -> io::Result<()> {
    if verbatim(s) {
        return out.write_all(s.as_bytes());
    }
    let mut result = Ok(());
    escape_with(s, |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// `s` escaped for Markdown, borrowed when nothing needed escaping (most names and numbers).
pub fn markdown_escape(s: &str) -> Cow<'_, str> {
    if verbatim(s) {
        Cow::Borrowed(s)
    } else {
        let mut out = String::with_capacity(s.len() + 8);
        escape_with(s, |piece| out.push_str(piece));
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_string(s: &str) -> String {
        let mut bytes = Vec::new();
        markdown_escape_to(s, &mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn specials_are_escaped_and_text_kept() {
        let input = "*Anna* <b>Żółć</b> & [x](y) 1. #";
        let want = r"\*Anna\* \<b\>Żółć\</b\> \& \[x\]\(y\) 1\. \#";
        assert_eq!(to_string(input), want);
        assert_eq!(markdown_escape(input), want);
        assert!(matches!(markdown_escape("Anna Kowalska"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        /// Both entry points, short cut or not, write what escaping piece by piece writes
        /// (the path before the short cut).
        #[test]
        fn the_short_cut_writes_what_escaping_writes(s in "[ \t\r\na-zł0-9*_\\[\\]<>&#.:=|~`'\"()!+{}-]{0,24}") {
            let mut reference = String::new();
            escape_with(&s, |piece| reference.push_str(piece));
            proptest::prop_assert_eq!(&to_string(&s), &reference);
            proptest::prop_assert_eq!(markdown_escape(&s), reference.as_str());
        }
    }

    #[test]
    fn line_structure_of_multiline_text_is_explicit() {
        assert_eq!(to_string("Akapit.\n\n    Wcięty."), "Akapit\\.\n\nWcięty\\.");
        assert_eq!(to_string("Linia\r\n1. Punkt\n"), "Linia\\\n1\\. Punkt");
        assert_eq!(to_string("  wcięcie na początku"), "wcięcie na początku");
        assert_eq!(markdown_escape("a\n\n\n\nb"), "a\n\nb");
    }
}
