//! A text part's body, encoded as lettre's `Body::new(String)` would encode it, byte for byte,
//! at a fraction of the cost: lettre turns LF into CRLF by inserting into the string, then
//! quoted-printable-encodes it a `char` at a time (about 180k instructions of the 400k an invoice
//! email cost). Here both happen in one pass over bytes, straight into the message's buffer
//! ([`Part::write`]): each output line is staged in a small array, eight input bytes at a time
//! while none of them needs a look, and copied out whole.
//!
//! The choice of encoding is lettre's (email-encoding's `Encoding::choose` without SMTPUTF8):
//! ASCII text with no line of 76 bytes or more stays `7bit`; other text is quoted-printable
//! unless more than a third of its bytes would need escaping, in which case lettre itself
//! encodes it (base64, rare for letters). `tests` compare the output with lettre's.
//!
//! Quoted-printable works line by line: a line's encoding depends on that line alone. The
//! email shell's own whole lines, the same in every letter, are therefore encoded once ([`html`])
//! and copied, which is most of an HTML part.
//!
//! A body is written in one of two [`Form`]s: with CRLF, as a message is sent, or as an mbox
//! stores it (LF, mboxrd's `>` before a line that reads `From `), so that a batch's mbox entry
//! is made without a second pass over the message. The shell's lines in mbox form are made from
//! their encoded form once per thread ([`shell_lines`]).

use std::cell::RefCell;
use std::sync::Arc;

use lettre::message::Body;
use lettre::message::header::ContentTransferEncoding;

use super::mbox;
use crate::template::shell::{Lines, Verbatim};

/// Quoted-printable's longest line, without the CRLF (RFC 2045, as quoted_printable uses it).
const LIMIT: usize = 76;

/// The body of a text part holding `text`, as lettre's `Body::new(text.to_string())`.
pub fn text(text: &str) -> Body {
    html(text, &[])
}

/// [`text`] for a letter's HTML, copying the encoded form of the shell's lines that `verbatim`
/// places in it (each checked against `html` first: a place that does not match is encoded).
pub fn html(text: &str, verbatim: &[Verbatim]) -> Body {
    let part = Part::new(text, verbatim);
    match part.how {
        How::Lettre(body) => body,
        How::SevenBit | How::QuotedPrintable => {
            let encoding = part.encoding();
            let mut out = Vec::with_capacity(part.size_hint());
            part.write(&mut out);
            Body::dangerous_pre_encoded(out, encoding)
        }
    }
}

/// How a body's lines end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// CRLF, as a message is sent and saved as `.eml`.
    Crlf,
    /// As an mbox (mboxrd) stores the message: LF, and one `>` more before a line that reads
    /// `From ` after any `>` ([`mbox::quoted`]).
    Mbox,
}

impl Form {
    /// The line end: `"\r\n"` or `"\n"`.
    pub fn line_end(self) -> &'static str {
        match self {
            Form::Crlf => "\r\n",
            Form::Mbox => "\n",
        }
    }
}

/// A text part's body, its encoding chosen: written straight into a message ([`Part::write`]),
/// so that an email is one buffer filled once.
pub struct Part<'a> {
    text: &'a str,
    verbatim: &'a [Verbatim],
    how: How,
}

enum How {
    SevenBit,
    QuotedPrintable,
    /// Text that quoted-printable would bloat (base64, rare in letters): lettre encodes it.
    Lettre(Body),
}

impl<'a> Part<'a> {
    /// `text` (with the shell's lines that `verbatim` places in it, as [`html`]), its encoding
    /// chosen as lettre chooses it.
    pub fn new(text: &'a str, verbatim: &'a [Verbatim]) -> Part<'a> {
        let bytes = text.as_bytes();
        // ASCII first: it stops at the first other byte, and text that is not ASCII is
        // quoted-printable (or base64) whatever its lines' length.
        let how = if text.is_ascii() && !line_too_long(bytes) {
            How::SevenBit
        } else if too_many_escapes(bytes) {
            How::Lettre(Body::new(text.to_string()))
        } else {
            How::QuotedPrintable
        };
        Part { text, verbatim, how }
    }

    /// The part's `Content-Transfer-Encoding`.
    pub fn encoding(&self) -> ContentTransferEncoding {
        match &self.how {
            How::SevenBit => ContentTransferEncoding::SevenBit,
            How::QuotedPrintable => ContentTransferEncoding::QuotedPrintable,
            How::Lettre(body) => body.encoding(),
        }
    }

    /// About the bytes [`Part::write`] appends (more often than fewer, to allocate once).
    pub fn size_hint(&self) -> usize {
        match &self.how {
            How::SevenBit => self.text.len() + self.text.len() / 16 + 2,
            How::QuotedPrintable => self.text.len() + self.text.len() / 2,
            How::Lettre(body) => body.len(),
        }
    }

    /// Appends the encoded body to `out`, with CRLF line ends.
    pub fn write(&self, out: &mut Vec<u8>) {
        self.write_as(out, Form::Crlf);
    }

    /// Appends the encoded body to `out` in `form`. In mbox form these are the bytes
    /// [`mbox::lines`] makes of the CRLF form (the body starts at a line's start, and the
    /// message goes on with a line end), written in the same pass.
    pub fn write_as(&self, out: &mut Vec<u8>, form: Form) {
        match (&self.how, form) {
            (How::SevenBit, Form::Crlf) => crlf(self.text.as_bytes(), out),
            (How::SevenBit, Form::Mbox) => mbox::lines(self.text.as_bytes(), out),
            (How::QuotedPrintable, Form::Crlf) => quoted_printable::<false>(self.text.as_bytes(), self.verbatim, out),
            (How::QuotedPrintable, Form::Mbox) => quoted_printable::<true>(self.text.as_bytes(), self.verbatim, out),
            (How::Lettre(body), Form::Crlf) => out.extend_from_slice(body.as_ref()),
            (How::Lettre(body), Form::Mbox) => mbox::lines(body.as_ref(), out),
        }
    }
}

/// The name of a transfer encoding as its header writes it.
pub fn encoding_name(encoding: ContentTransferEncoding) -> &'static str {
    match encoding {
        ContentTransferEncoding::SevenBit => "7bit",
        ContentTransferEncoding::QuotedPrintable => "quoted-printable",
        ContentTransferEncoding::Base64 => "base64",
        ContentTransferEncoding::EightBit => "8bit",
        ContentTransferEncoding::Binary => "binary",
    }
}

/// email-encoding's test for base64: more than a third of the bytes would need escaping (all
/// but tab and printable ASCII, line ends included). Counted in `u8` lanes over chunks of 255
/// so the compiler can vectorise it, and no further than the answer is known: once the bytes
/// left could not tip it, a letter's answer is no.
fn too_many_escapes(b: &[u8]) -> bool {
    let escaped = |c: u8| u8::from(c.wrapping_sub(b' ') > b'~' - b' ') & u8::from(c != b'\t');
    let limit = b.len() / 3;
    let mut count = 0;
    let mut left = b.len();
    for chunk in b.chunks(255) {
        if count + left <= limit {
            return false;
        }
        count += usize::from(chunk.iter().fold(0u8, |n, &c| n + escaped(c)));
        left -= chunk.len();
    }
    count > limit
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
fn crlf(b: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', b) {
        if i == 0 || b.get(i - 1) != Some(&b'\r') {
            out.extend_from_slice(b.get(start..i).unwrap_or_default());
            out.extend_from_slice(b"\r\n");
            start = i + 1;
        }
    }
    out.extend_from_slice(b.get(start..).unwrap_or_default());
}

/// In eight bytes read as a little-endian word, the high bit of each byte that is `=`, a control
/// byte (a tab too), DEL or part of a multi-byte character: the bytes the encoder must look at.
/// The lowest flag is always a real one (a borrow can only flag bytes above it).
#[inline]
fn flagged(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    (x & HIGHS) | below_space | zero_in(x ^ (ONES * u64::from(b'='))) | zero_in(x ^ (ONES * 0x7f))
}

/// What the encoder does with a byte it looks at.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// Written as it is (a tab, or a byte met near the end of a line).
    Plain,
    /// Written as `=XX`.
    Escape,
    Lf,
    /// A line end when an LF follows, else escaped.
    Cr,
}

const CLASSES: [Class; 256] = {
    let mut classes = [Class::Escape; 256];
    let mut b = 0;
    while b < 256 {
        if b == b'\t' as usize || (b >= b' ' as usize && b <= b'~' as usize && b != b'=' as usize) {
            classes[b] = Class::Plain;
        }
        b += 1;
    }
    classes[b'\n' as usize] = Class::Lf;
    classes[b'\r' as usize] = Class::Cr;
    classes
};

/// quoted_printable 0.5's text-mode encoder applied to `input` with its line ends made CRLF,
/// appended to `out`: the same soft breaks (a line holds at most 75 bytes and `=`, except the
/// last of an input line, which may hold 76), trailing spaces and tabs before a line end as
/// `=20`/`=09`, a CR that does not start a CRLF as `=0D`. Where a line starts at one of
/// `verbatim`'s places and the lines there are the shell's, their encoding (made once) is
/// copied instead.
///
/// Each output line is staged in a small array, filled eight input bytes at a time while no
/// byte of the eight needs a look and the line has room for them all, and copied out whole.
///
/// `MBOX`: in [`Form::Mbox`], each line ends in LF and is quoted as it is copied out when it
/// reads `From `; the shell's lines are copied in that form too.
fn quoted_printable<const MBOX: bool>(input: &[u8], verbatim: &[Verbatim], out: &mut Vec<u8>) {
    let mut qp = Line::<MBOX> { out, staged: [0; STAGED], len: 0, last: 0 };
    let mut places = verbatim.iter().peekable();
    let mut i = 0;
    loop {
        // Eight bytes at a time while the line has room for them, an escape among them staged
        // here too; a line end, or a line nearly full, goes to the byte-at-a-time path below.
        while qp.len + 8 <= LIMIT {
            let Some(word) = input.get(i..).and_then(<[u8]>::first_chunk::<8>) else { break };
            let flags = flagged(u64::from_le_bytes(*word));
            // All eight are staged; only those before the first flagged one count.
            if let Some(staged) = qp.staged.get_mut(qp.len..qp.len + 8) {
                staged.copy_from_slice(word);
            }
            if flags == 0 {
                qp.len += 8;
                i += 8;
                qp.last = 1;
                continue;
            }
            let plain = (flags.trailing_zeros() / 8) as usize;
            qp.len += plain;
            i += plain;
            if plain > 0 {
                qp.last = 1;
            }
            let byte = word.get(plain).copied().unwrap_or(b'\n');
            let class = CLASSES[usize::from(byte)];
            // Room for it: the line held at most 68 + 7 bytes.
            if class == Class::Escape && qp.len + 3 <= LIMIT {
                if let Some(staged) = qp.staged.get_mut(qp.len..qp.len + 4) {
                    staged.copy_from_slice(&HEX[usize::from(byte)]);
                }
                qp.len += 3;
                qp.last = 3;
                i += 1;
            } else if class == Class::Plain && qp.len < LIMIT {
                // A tab (one before a line end is escaped there).
                qp.len += 1;
                qp.last = 1;
                i += 1;
            } else {
                break;
            }
        }
        let Some(&byte) = input.get(i) else { break };
        let class = CLASSES[usize::from(byte)];
        if class == Class::Lf || (class == Class::Cr && input.get(i + 1) == Some(&b'\n')) {
            qp.hard_break();
            i += if class == Class::Cr { 2 } else { 1 };
            // Only a line start can be one of the shell's places; one passed over (out of
            // order, or not at a line start) is dropped.
            while let Some(place) = places.next_if(|p| p.at <= i) {
                let lines = place.lines.text.as_bytes();
                if place.at == i && input.get(i..).is_some_and(|rest| rest.starts_with(lines)) {
                    let encoded = place.lines.encoded.get_or_init(|| {
                        let mut once = Vec::with_capacity(lines.len() + lines.len() / 4);
                        quoted_printable::<false>(lines, &[], &mut once);
                        once.into()
                    });
                    if MBOX {
                        shell_lines(&place.lines, encoded, qp.out);
                    } else {
                        qp.out.extend_from_slice(encoded);
                    }
                    i += lines.len();
                }
            }
            continue;
        }
        if class == Class::Plain {
            qp.push([byte]);
        } else {
            qp.push(hex(byte));
        }
        i += 1;
    }
    qp.trailing_space_tab();
    qp.flush();
}

fn hex(byte: u8) -> [u8; 3] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    [b'=', DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0x0F)]]
}

/// Every byte's escape and one byte more, to be staged with a single four-byte copy.
const HEX: [[u8; 4]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [[0; 4]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [b'=', DIGITS[b >> 4], DIGITS[b & 0x0F], 0];
        b += 1;
    }
    table
};

/// The shell's lines that a thread has copied in mbox form, at most this many (a standard's
/// shells hold a few per language; a reloaded standard brings new ones).
const SHELL_LINES_KEPT: usize = 64;

/// A shell's [`Lines`] (held, so that no other `Lines` can come to have its address) and their
/// encoded form in mbox form.
type MboxLines = (Arc<Lines>, Box<[u8]>);

thread_local! {
    /// The shell's encoded lines in mbox form that this thread has made.
    static MBOX_SHELL_LINES: RefCell<Vec<MboxLines>> = const { RefCell::new(Vec::new()) };
}

/// Copies the shell's `lines` in mbox form to `out`: made from their `encoded` (CRLF) form by
/// the thread's first letter that needs them ([`mbox::lines`]: whole lines, so the same bytes
/// as converting the whole message), copied afterwards.
fn shell_lines(lines: &Arc<Lines>, encoded: &[u8], out: &mut Vec<u8>) {
    MBOX_SHELL_LINES.with_borrow_mut(|kept| {
        if let Some((_, copy)) = kept.iter().find(|(held, _)| Arc::ptr_eq(held, lines)) {
            out.extend_from_slice(copy);
            return;
        }
        let mut copy = Vec::with_capacity(encoded.len());
        mbox::lines(encoded, &mut copy);
        out.extend_from_slice(&copy);
        if kept.len() >= SHELL_LINES_KEPT {
            kept.clear();
        }
        kept.push((Arc::clone(lines), copy.into()));
    });
}

/// The staged line's room: a full line and the slack of a four-byte copy.
const STAGED: usize = LIMIT + 4;

/// The output line being filled (`MBOX`: in [`Form::Mbox`]).
struct Line<'o, const MBOX: bool> {
    out: &'o mut Vec<u8>,
    staged: [u8; STAGED],
    /// Bytes staged.
    len: usize,
    /// The size of the last thing staged (1 or 3): what moves to the next line when a line
    /// that is exactly full must break.
    last: usize,
}

impl<const MBOX: bool> Line<'_, MBOX> {
    /// Stages one byte or one escape, breaking the line first if it does not fit.
    #[inline]
    fn push<const N: usize>(&mut self, piece: [u8; N]) {
        if self.len + N > LIMIT {
            self.soft_break();
        }
        if let Some(staged) = self.staged.get_mut(self.len..self.len + N) {
            staged.copy_from_slice(&piece);
        }
        self.len += N;
        self.last = N;
    }

    /// A soft line break before what is about to be staged; when the line is exactly full (no
    /// room for the `=`), the break goes before the last thing staged instead.
    #[cold]
    fn soft_break(&mut self) {
        let keep = if self.len == LIMIT { self.len - self.last } else { self.len };
        self.quote(keep);
        self.out.extend_from_slice(self.staged.get(..keep).unwrap_or_default());
        self.out.extend_from_slice(if MBOX { b"=\n" } else { b"=\r\n" });
        self.staged.copy_within(keep..self.len, 0);
        self.len -= keep;
    }

    /// The end of an input line: the line and its line end copied out in one piece.
    fn hard_break(&mut self) {
        self.trailing_space_tab();
        self.quote(self.len);
        let end: &[u8] = if MBOX { b"\n" } else { b"\r\n" };
        if let Some(room) = self.staged.get_mut(self.len..self.len + end.len()) {
            room.copy_from_slice(end);
        }
        self.out.extend_from_slice(self.staged.get(..self.len + end.len()).unwrap_or_default());
        self.len = 0;
        self.last = 0;
    }

    /// In mbox form, the `>` that a line of the first `len` staged bytes needs before it when
    /// it reads `From ` ([`mbox::quoted`]); nothing with CRLF.
    #[inline]
    fn quote(&mut self, len: usize) {
        if MBOX
            && matches!(self.staged.first(), Some(b'F' | b'>'))
            && mbox::quoted(self.staged.get(..len).unwrap_or_default())
        {
            self.out.push(b'>');
        }
    }

    /// A space or tab just before a line end (or the end) must be encoded.
    fn trailing_space_tab(&mut self) {
        if self.last != 1 || self.len == 0 {
            return;
        }
        let escaped = match self.staged.get(self.len - 1) {
            Some(b' ') => *b"=20",
            Some(b'\t') => *b"=09",
            _ => return,
        };
        self.len -= 1;
        self.push(escaped);
    }

    fn flush(&mut self) {
        self.quote(self.len);
        self.out.extend_from_slice(self.staged.get(..self.len).unwrap_or_default());
        self.len = 0;
        self.last = 0;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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

    /// The encoder as first written (one byte or one run at a time into the output, a soft
    /// break moving what was last appended), kept as the reference for the staged one.
    mod reference {
        use super::super::{LIMIT, hex};
        use crate::template::shell::Verbatim;

        fn needs_encoding(c: u8) -> bool {
            !matches!(c, b'\t' | b' '..=b'<' | b'>'..=b'~')
        }

        pub fn safe_run(b: &[u8], max: usize) -> usize {
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
                let flagged =
                    (x & HIGHS) | below_space | zero_in(x ^ (ONES * b'=' as u64)) | zero_in(x ^ (ONES * 0x7f));
                if flagged != 0 {
                    n += (flagged.trailing_zeros() / 8) as usize;
                    break;
                }
                n += 8;
            }
            n + b[n..max].iter().position(|&c| needs_encoding(c)).unwrap_or(max - n)
        }

        pub fn quoted_printable(input: &[u8], verbatim: &[Verbatim]) -> Vec<u8> {
            let mut qp = Encoder { out: Vec::with_capacity(input.len() + input.len() / 4), on_line: 0, backup: 0 };
            let mut verbatim = verbatim.iter().peekable();
            let mut i = 0;
            while i < input.len() {
                while let Some(v) = verbatim.next_if(|v| v.at <= i) {
                    let lines = v.lines.text.as_bytes();
                    let line_start = i > 0 && input[i - 1] == b'\n' && qp.on_line == 0;
                    if v.at == i && line_start && input[i..].starts_with(lines) {
                        // Encoded here, not taken from the shared cache: the reference must
                        // not copy what the encoder under test made.
                        qp.out.extend_from_slice(&quoted_printable(lines, &[]));
                        i += lines.len();
                    }
                }
                let Some(&byte) = input.get(i) else { break };
                if byte == b'\n' || (byte == b'\r' && input.get(i + 1) == Some(&b'\n')) {
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

        struct Encoder {
            out: Vec<u8>,
            on_line: usize,
            backup: usize,
        }

        impl Encoder {
            fn append<const N: usize>(&mut self, piece: [u8; N]) {
                if self.on_line + N > LIMIT {
                    self.soft_break();
                }
                self.out.extend_from_slice(&piece);
                self.on_line += N;
                self.backup = self.out.len() - N;
            }

            fn soft_break(&mut self) {
                if self.on_line == LIMIT {
                    self.on_line = self.out.len() - self.backup;
                    let (at, end) = (self.backup, self.out.len());
                    self.out.extend_from_slice(b"=\r\n");
                    self.out.copy_within(at..end, at + 3);
                    self.out[at..at + 3].copy_from_slice(b"=\r\n");
                } else {
                    self.out.extend_from_slice(b"=\r\n");
                    self.on_line = 0;
                }
            }

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
    }

    /// The staged encoder's bytes for `input`.
    fn ours(input: &[u8], verbatim: &[Verbatim]) -> Vec<u8> {
        let mut out = Vec::new();
        quoted_printable::<false>(input, verbatim, &mut out);
        out
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
            assert_eq!(ours(case.as_bytes(), &[]), reference::quoted_printable(case.as_bytes(), &[]), "{case:?}");
        }
        // Every line length around the limit, with an encoded byte at every position.
        for len in 60..=90 {
            for at in 0..len {
                let mut line: Vec<char> = "a".repeat(len).chars().collect();
                for c in ['ł', '=', ' ', '\t', '\r'] {
                    line[at] = c;
                    let s: String = line.iter().collect();
                    for text in [s.clone(), format!("{s}\nnext"), format!("{s} \n"), format!("{s}{s}\r\n{s}")] {
                        assert_same_as_lettre(&text);
                        assert_eq!(ours(text.as_bytes(), &[]), reference::quoted_printable(text.as_bytes(), &[]));
                    }
                }
            }
        }
    }

    /// Text made of the pieces that steer the encoder: plain runs of every length, `=`, spaces
    /// and tabs (at line ends too), Polish and four-byte characters, control bytes, LF, CRLF and
    /// lone CR, so that lines cross 76 bytes at every kind of piece.
    fn hostile_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-zA-Z0-9<>\"/:;.,]{1,90}",
            2 => Just("=".to_string()),
            2 => Just(" ".to_string()),
            1 => Just("\t".to_string()),
            2 => "[ąćęłńóśźżĄŻ]{1,6}",
            1 => Just("🎉".to_string()),
            1 => Just("\u{0}\u{7f}\u{a0}".to_string()),
            2 => Just("\n".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("\r".to_string()),
            1 => Just("x".repeat(76)),
            1 => Just("y".repeat(75)),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The staged encoder gives the bytes of the one it replaced and of lettre's.
        #[test]
        fn staged_encoder_gives_the_reference_bytes(text in hostile_text()) {
            prop_assert_eq!(ours(text.as_bytes(), &[]), reference::quoted_printable(text.as_bytes(), &[]));
            let body = super::text(&text);
            let theirs = Body::new(text.clone());
            prop_assert_eq!(body.encoding(), theirs.encoding());
            prop_assert_eq!(body.into_vec(), theirs.into_vec());
        }

        /// A shell around a generated body: the copied lines and the encoded ones together give
        /// lettre's bytes for the whole.
        #[test]
        fn shell_lines_and_generated_bodies_give_lettres_bytes(head in hostile_text(), body in hostile_text(), foot in hostile_text()) {
            use crate::template::shell::{BODY, Shell};
            let src = format!("{head}\n<p style=\"a=b\">ł</p>\n{BODY}\n{foot}\n");
            let shell = Shell::split(&src).unwrap();
            let (html, verbatim) = shell.fill("S", "", &body);
            for _ in 0..2 {
                let part = Part::new(&html, &verbatim);
                let mut written = Vec::new();
                part.write(&mut written);
                let theirs = Body::new(html.clone());
                prop_assert_eq!(part.encoding(), theirs.encoding());
                prop_assert_eq!(written, theirs.into_vec());
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
    fn escapes_are_counted_as_email_encoding_counts_them() {
        let naive = |b: &[u8]| b.iter().filter(|&&b| !matches!(b, b'\t' | b' '..=b'~')).count() > b.len() / 3;
        let all: Vec<u8> = (0..=255u8).cycle().take(256 * 3 + 17).collect();
        assert_eq!(too_many_escapes(&all), naive(&all));
        assert!(too_many_escapes(&[0xc5; 1000]));
        assert!(!too_many_escapes(b"\t~ "));
        // Around the limit, with the escapes early, late and spread.
        for len in [0, 1, 2, 3, 254, 255, 256, 600, 1000] {
            for escapes in [0, len / 3, len / 3 + 1, len / 2, len].map(|e| e.min(len)) {
                let mut early = vec![b'a'; len];
                early[..escapes].fill(b'\n');
                let mut late = vec![b'a'; len];
                late[len - escapes..].fill(0xc5);
                let spread: Vec<u8> = (0..len)
                    .map(|i| if i * escapes / len.max(1) != (i + 1) * escapes / len.max(1) { 0x7f } else { b'b' })
                    .collect();
                for b in [early, late, spread] {
                    assert_eq!(too_many_escapes(&b), naive(&b), "{len} {escapes}");
                }
            }
        }
    }

    #[test]
    fn flags_stop_where_the_reference_run_stops() {
        let naive = |b: &[u8], max: usize| {
            b.iter().take(max).take_while(|&&c| matches!(c, b'\t' | b' '..=b'<' | b'>'..=b'~')).count()
        };
        for byte in 0..=255u8 {
            for at in 0..20 {
                let mut b = b"The quick brown fox, 1234567890.".to_vec();
                b[at] = byte;
                for max in [0, 3, 8, 9, 16, 17, 40] {
                    assert_eq!(reference::safe_run(&b, max), naive(&b, max), "byte {byte:#x} at {at}, max {max}");
                }
                // The staged encoder's flags: the first flagged byte is the first that is not
                // plain ASCII other than `=` (or a tab, which it then reads as plain).
                let word: [u8; 8] = b[..8].try_into().unwrap();
                let flags = flagged(u64::from_le_bytes(word));
                let first = word.iter().position(|&c| !matches!(c, b' '..=b'<' | b'>'..=b'~')).unwrap_or(8);
                let found = if flags == 0 { 8 } else { (flags.trailing_zeros() / 8) as usize };
                assert_eq!(found, first, "byte {byte:#x} at {at}");
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
