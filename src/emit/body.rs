//! A text part's body, encoded as lettre's `Body::new(String)` would encode it, byte for byte,
//! at a fraction of the cost: lettre turns LF into CRLF by inserting into the string, then
//! quoted-printable-encodes it a `char` at a time (about 180k instructions of the 400k an invoice
//! email cost). Here both happen in one pass over bytes, copying runs that need no encoding.
//!
//! The choice of encoding is lettre's (email-encoding's `Encoding::choose` without SMTPUTF8):
//! ASCII text with no line of 76 bytes or more stays `7bit`; other text is quoted-printable
//! unless more than a third of its bytes would need escaping, in which case lettre itself
//! encodes it (base64, rare for letters). `tests` compare the output with lettre's.
//!
//! Quoted-printable works line by line: a line's encoding depends on that line alone. The
//! email shell's own whole lines, the same in every letter, are therefore encoded once ([`html`])
//! and copied, which is most of an HTML part.

use lettre::message::Body;
use lettre::message::header::ContentTransferEncoding;

use crate::template::shell::Verbatim;

/// Quoted-printable's longest line, without the CRLF (RFC 2045, as quoted_printable uses it).
const LIMIT: usize = 76;

/// The body of a text part holding `text`, as lettre's `Body::new(text.to_string())`.
pub fn text(text: &str) -> Body {
    html(text, &[])
}

/// [`text`] for a letter's HTML, copying the encoded form of the shell's lines that `verbatim`
/// places in it (each checked against `html` first: a place that does not match is encoded).
pub fn html(text: &str, verbatim: &[Verbatim]) -> Body {
    let bytes = text.as_bytes();
    let long_line = line_too_long(bytes);
    if text.is_ascii() && !long_line {
        return Body::dangerous_pre_encoded(crlf(bytes), ContentTransferEncoding::SevenBit);
    }
    let escaping = escaped_bytes(bytes);
    if escaping > bytes.len() / 3 {
        return Body::new(text.to_string());
    }
    Body::dangerous_pre_encoded(quoted_printable(bytes, verbatim), ContentTransferEncoding::QuotedPrintable)
}

/// email-encoding's count of the bytes quoted-printable would escape (all but tab and printable
/// ASCII), summed in `u8` lanes over chunks of 255 so the compiler can vectorise it.
fn escaped_bytes(b: &[u8]) -> usize {
    let escaped = |c: u8| u8::from(c.wrapping_sub(b' ') > b'~' - b' ') & u8::from(c != b'\t');
    b.chunks(255).map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &c| n + escaped(c)))).sum()
}

/// email-encoding's test: a line (counted from the previous LF) of 76 bytes or more.
fn line_too_long(b: &[u8]) -> bool {
    let mut last = 0;
    for i in memchr::memchr_iter(b'\n', b) {
        if i - last >= LIMIT {
            return true;
        }
        last = i;
    }
    b.len() - last >= LIMIT
}

/// LF line ends as CRLF, CRLF left alone.
fn crlf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + b.len() / 32 + 2);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', b) {
        if i == 0 || b[i - 1] != b'\r' {
            out.extend_from_slice(&b[start..i]);
            out.extend_from_slice(b"\r\n");
            start = i + 1;
        }
    }
    out.extend_from_slice(&b[start..]);
    out
}

fn needs_encoding(c: u8) -> bool {
    !matches!(c, b'\t' | b' '..=b'<' | b'>'..=b'~')
}

/// How many of the first `max` bytes of `b` need no encoding: eight at a time while a word
/// holds none of `=`, a control byte, DEL or a byte of a multi-byte character (a tab sends
/// its word to the byte-at-a-time tail, which knows a tab is fine).
fn safe_run(b: &[u8], max: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let max = max.min(b.len());
    let mut n = 0;
    while n + 8 <= max {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[n..n + 8]);
        let x = u64::from_le_bytes(word);
        let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let flagged = (x & HIGHS) | below_space | zero_in(x ^ (ONES * b'=' as u64)) | zero_in(x ^ (ONES * 0x7f));
        if flagged != 0 {
            // The lowest flagged byte is a real one (a borrow can only flag bytes above it):
            // everything before it is plain. It may be a tab, which the tail reads as plain.
            n += (flagged.trailing_zeros() / 8) as usize;
            break;
        }
        n += 8;
    }
    n + b[n..max].iter().position(|&c| needs_encoding(c)).unwrap_or(max - n)
}

/// quoted_printable 0.5's text-mode encoder applied to `input` with its line ends made CRLF:
/// the same soft breaks (including the one moved back before the last thing appended when a
/// line is exactly full), trailing spaces and tabs before a line end as `=20`/`=09`, a CR
/// that does not start a CRLF as `=0D`. Where a line starts at one of `verbatim`'s places and
/// the lines there are the shell's, their encoding (made once) is copied instead.
fn quoted_printable(input: &[u8], verbatim: &[Verbatim]) -> Vec<u8> {
    let mut qp = Encoder { out: Vec::with_capacity(input.len() + input.len() / 4), on_line: 0, backup: 0 };
    let mut verbatim = verbatim.iter().peekable();
    let mut i = 0;
    while i < input.len() {
        // Only a line start can be a place (the encoder's state is empty there); one passed
        // over (out of order, or not at a line start) is dropped.
        while let Some(v) = verbatim.next_if(|v| v.at <= i) {
            let lines = v.lines.text.as_bytes();
            let line_start = i > 0 && input[i - 1] == b'\n' && qp.on_line == 0;
            if v.at == i && line_start && input[i..].starts_with(lines) {
                let encoded = v.lines.encoded.get_or_init(|| quoted_printable(lines, &[]).into());
                qp.out.extend_from_slice(encoded);
                i += lines.len();
            }
        }
        let Some(&byte) = input.get(i) else { break };
        if byte == b'\n' || (byte == b'\r' && input.get(i + 1) == Some(&b'\n')) {
            // A line end (lettre makes a lone LF a CRLF first).
            qp.trailing_space_tab();
            qp.out.extend_from_slice(b"\r\n");
            qp.on_line = 0;
            i += if byte == b'\r' { 2 } else { 1 };
            continue;
        }
        if LIMIT - qp.on_line >= 3 && !needs_encoding(byte) {
            let max = LIMIT - qp.on_line - 2;
            let run = safe_run(&input[i..], max);
            qp.out.extend_from_slice(&input[i..i + run]);
            qp.on_line += run;
            qp.backup = qp.out.len();
            i += run;
            continue;
        }
        match byte {
            b'=' => qp.append(*b"=3D"),
            b'\t' | b' '..=b'~' => qp.append([byte]),
            _ => qp.append(hex(byte)),
        }
        i += 1;
    }
    qp.trailing_space_tab();
    qp.out
}

fn hex(byte: u8) -> [u8; 3] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    [b'=', DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0x0F)]]
}

struct Encoder {
    out: Vec<u8>,
    /// Bytes on the current output line.
    on_line: usize,
    /// Where the last thing appended starts (where a soft break goes when the line is full).
    backup: usize,
}

impl Encoder {
    /// Appends one byte or one escape (a fixed size, so the copy is a few moves, not a call).
    #[inline]
    fn append<const N: usize>(&mut self, piece: [u8; N]) {
        if self.on_line + N > LIMIT {
            self.soft_break();
        }
        self.out.extend_from_slice(&piece);
        self.on_line += N;
        self.backup = self.out.len() - N;
    }

    /// A soft line break before what is about to be appended; when the line is exactly full,
    /// the break goes before the last thing appended instead.
    #[cold]
    fn soft_break(&mut self) {
        if self.on_line == LIMIT {
            self.on_line = self.out.len() - self.backup;
            // "=\r\n" inserted at the backup point: the (at most three) bytes after it move up.
            let (at, end) = (self.backup, self.out.len());
            self.out.extend_from_slice(b"=\r\n");
            self.out.copy_within(at..end, at + 3);
            self.out[at..at + 3].copy_from_slice(b"=\r\n");
        } else {
            self.out.extend_from_slice(b"=\r\n");
            self.on_line = 0;
        }
    }

    /// A space or tab just before a line end (or the end) must be encoded.
    fn trailing_space_tab(&mut self) {
        let encoded = match self.out.last() {
            Some(b' ') => *b"=20",
            Some(b'\t') => *b"=09",
            _ => return,
        };
        self.out.pop();
        self.on_line = self.on_line.saturating_sub(1);
        self.append(encoded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our body against lettre's for the same text: bytes and encoding.
    pub(crate) fn assert_same_as_lettre(text: &str) {
        let ours = super::text(text);
        let theirs = Body::new(text.to_string());
        assert_eq!(ours.encoding(), theirs.encoding(), "encoding of {text:?}");
        let (ours, theirs) = (ours.into_vec(), theirs.into_vec());
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs), "body of {text:?}");
        assert_eq!(ours, theirs, "bytes of {text:?}");
    }

    #[test]
    fn hostile_and_edge_texts_encode_as_lettre_does() {
        let long = "x".repeat(200);
        let cases = [
            String::new(),
            "plain ascii\nlines\n".to_string(),
            "\n\nleading line ends".to_string(),
            "ends without a line end".to_string(),
            "zażółć gęślą jaźń\n".to_string(),
            "a = b == c =\n=\n".to_string(),
            "trailing space \ntrailing tab\t\nboth \t\n  \n".to_string(),
            "trailing space at the very end ".to_string(),
            "trailing tab at the very end\t".to_string(),
            ".\n.. dot lines\n.\n".to_string(),
            "From the start\n>From quoted\n".to_string(),
            "crlf already\r\nmixed\nlone cr\rhere\r".to_string(),
            "\r\n\r\n\r".to_string(),
            "\r\r\n\n\r".to_string(),
            long.clone(),
            format!("{long}\n{long} \n"),
            format!("{}ł", "y".repeat(73)),
            format!("{}=", "y".repeat(75)),
            format!("{} ", "y".repeat(75)),
            format!("{}\t\n", "y".repeat(74)),
            format!("{}łł", "y".repeat(72)),
            "ó".repeat(60),
            "ąę ".repeat(40),
            "=".repeat(100),
            " ".repeat(100),
            "\u{0}\u{1}\u{7f} control bytes\n".to_string(),
            "€ 12\u{a0}345,67\u{a0}zł — „cudzysłów” ".repeat(10),
            "ü\n".repeat(5) + &"a".repeat(80),
            "ΑΒΓΔ ЖЗИЙ 漢字 🎉\n".repeat(3),
        ];
        for case in &cases {
            assert_same_as_lettre(case);
        }
        // Every line length around the limit, with an encoded byte at every position.
        for len in 70..=80 {
            for at in 0..len {
                let mut line: Vec<char> = "a".repeat(len).chars().collect();
                for c in ['ł', '=', ' ', '\t'] {
                    line[at] = c;
                    let s: String = line.iter().collect();
                    assert_same_as_lettre(&s);
                    assert_same_as_lettre(&format!("{s}\nnext"));
                    assert_same_as_lettre(&format!("{s} \n"));
                }
            }
        }
    }

    #[test]
    fn shell_lines_encoded_once_give_the_bytes_of_encoding_the_whole() {
        use crate::template::shell::{BODY, Shell};
        let long = "y".repeat(80);
        let shells = [
            format!("<html>\n<p style=\"a=b\">Stopka – ł</p>\n{BODY}\n<p>x</p> \n\t\n</html>\n"),
            format!("a\r\nb = c\r\n{BODY}\r\n{long}=\n{long}ł\nend"),
            format!("\n\n{BODY}\n\n"),
            format!("no lines {BODY} at all"),
            format!("{long} \n{long}\t\n{BODY}\nż\n"),
        ];
        let bodies = ["", "<p>x</p>", "<p>trailing</p> ", "line\n", "cr\r", "\r", "ł=\n\nż", &"ó".repeat(50)];
        let mut used = 0;
        for src in &shells {
            let shell = Shell::split(src).unwrap();
            for body in bodies {
                let (html, verbatim) = shell.fill("S", "", body);
                for _ in 0..2 {
                    // The second time copies what the first encoded.
                    let ours = super::html(&html, &verbatim);
                    let theirs = Body::new(html.clone());
                    assert_eq!(ours.encoding(), theirs.encoding(), "{html:?}");
                    assert_eq!(ours.into_vec(), theirs.into_vec(), "{html:?}");
                }
                used += verbatim.iter().filter(|v| v.lines.encoded.get().is_some()).count();
                // Places that no longer match (the HTML edited after filling) are encoded.
                let edited = html.replacen('<', "<<", 1);
                assert_eq!(super::html(&edited, &verbatim).into_vec(), Body::new(edited.clone()).into_vec());
            }
        }
        assert!(used > 0, "no shell lines were copied: the test does not test the copy");
    }

    #[test]
    fn escaped_bytes_are_counted_as_email_encoding_counts_them() {
        let all: Vec<u8> = (0..=255u8).cycle().take(256 * 3 + 17).collect();
        let naive = all.iter().filter(|&&b| !matches!(b, b'\t' | b' '..=b'~')).count();
        assert_eq!(escaped_bytes(&all), naive);
        assert_eq!(escaped_bytes(&[0xc5; 1000]), 1000);
        assert_eq!(escaped_bytes(b"\t~ "), 0);
    }

    #[test]
    fn safe_runs_stop_at_the_first_byte_to_encode() {
        let naive = |b: &[u8], max: usize| b.iter().take(max).take_while(|&&c| !needs_encoding(c)).count();
        for byte in 0..=255u8 {
            for at in 0..20 {
                let mut b = b"The quick brown fox, 1234567890.".to_vec();
                b[at] = byte;
                for max in [0, 3, 8, 9, 16, 17, 40] {
                    assert_eq!(safe_run(&b, max), naive(&b, max), "byte {byte:#x} at {at}, max {max}");
                }
            }
        }
    }

    #[test]
    fn ascii_text_is_seven_bit_with_crlf() {
        let body = super::text("a\nb\r\nc");
        assert_eq!(body.encoding(), ContentTransferEncoding::SevenBit);
        assert_eq!(body.into_vec(), b"a\r\nb\r\nc");
    }
}
