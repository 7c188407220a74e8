//! DKIM signatures (RFC 6376) on a message's bytes: relaxed/relaxed canonicalisation, RSA-SHA256
//! or Ed25519-SHA256 (RFC 8463), `t=` from the message's `Date`, so the same message is signed
//! with the same bytes. Every header that appears at most once by RFC 5322 is signed one time
//! more than it appears, so that nobody can add a second From, Subject or List-Unsubscribe.

use base64::Engine as _;

use crate::error::Result;
use crate::standard::dkim::DkimKey;

/// The headers signed when present, each once more than it appears.
const SIGNED: [&str; 12] = [
    "from",
    "reply-to",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-language",
    "list-unsubscribe",
    "list-unsubscribe-post",
];

/// `message` with a `DKIM-Signature` header in front, signed by `key` at `at` (seconds since
/// 1970: the message's `Date`).
pub(super) fn sign(key: &DkimKey, message: &[u8], at: i64) -> Result<Vec<u8>> {
    let (head, body) = match find(message, b"\r\n\r\n") {
        Some(i) => (&message[..i + 2], &message[i + 4..]),
        None => (message, &[][..]),
    };
    let fields = fields(head);
    let mut names = Vec::new();
    for name in SIGNED {
        let n = fields.iter().filter(|(f, _)| f.eq_ignore_ascii_case(name)).count();
        if n > 0 {
            names.extend(std::iter::repeat_n(name, n + 1));
        }
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let body_hash = b64.encode(ring::digest::digest(&ring::digest::SHA256, &relaxed_body(body)));
    // `h=` folded before a name that would take its line past 76 characters.
    let mut list = format!("t={at}; h=");
    let mut line = list.len() + 1;
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            list.push(':');
            line += 1;
        }
        if line + name.len() > 76 {
            list.push_str("\r\n\t");
            line = 1;
        }
        list.push_str(name);
        line += name.len();
    }
    let mut header = format!(
        "DKIM-Signature: v=1; a={}; c=relaxed/relaxed; d={}; s={};\r\n\t{list};\r\n\tbh={body_hash};\r\n\tb=",
        key.algorithm(),
        key.domain(),
        key.selector(),
    );
    // Each listed name takes the last instance of that header not yet taken (RFC 6376 5.4.2).
    let mut data = Vec::with_capacity(head.len() + header.len());
    let mut taken = vec![false; fields.len()];
    for name in &names {
        let last = (0..fields.len()).rev().find(|&i| !taken[i] && fields[i].0.eq_ignore_ascii_case(name));
        if let Some(i) = last {
            taken[i] = true;
            relaxed_header(fields[i].1, &mut data);
            data.extend_from_slice(b"\r\n");
        }
    }
    relaxed_header(header.as_bytes(), &mut data);
    let signature = b64.encode(key.sign(&data)?);
    // Folded at 72 characters; whitespace inside `b=` is ignored by verifiers.
    for (i, chunk) in signature.as_bytes().chunks(72).enumerate() {
        if i > 0 {
            header.push_str("\r\n\t");
        }
        header.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    header.push_str("\r\n");
    let mut out = Vec::with_capacity(header.len() + message.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(message);
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The header fields of a header block: (name, the whole field without its last CRLF).
fn fields(head: &[u8]) -> Vec<(&str, &[u8])> {
    let mut out: Vec<(&str, &[u8])> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < head.len() {
        let end = find(&head[i..], b"\r\n").map_or(head.len(), |e| i + e);
        let next = (end + 2).min(head.len());
        // A field goes on while the next line starts with a space or a tab.
        if next >= head.len() || !matches!(head[next], b' ' | b'\t') {
            let field = &head[start..end];
            let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
            let name = std::str::from_utf8(&field[..colon]).unwrap_or("").trim_end();
            if !field.is_empty() {
                out.push((name, field));
            }
            start = next;
        }
        i = next;
    }
    out
}

/// A header field in relaxed form (RFC 6376 3.4.2): name in lower case, unfolded, runs of
/// whitespace as one space, none around the colon or at the end.
fn relaxed_header(field: &[u8], out: &mut Vec<u8>) {
    let colon = field.iter().position(|&b| b == b':').unwrap_or(field.len());
    let name = field[..colon].trim_ascii_end();
    out.extend(name.iter().map(u8::to_ascii_lowercase));
    out.push(b':');
    let value = field.get(colon + 1..).unwrap_or_default();
    let mut space = false;
    let mut started = false;
    for &b in value {
        match b {
            b'\r' | b'\n' => {}
            b' ' | b'\t' => space = true,
            _ => {
                if space && started {
                    out.push(b' ');
                }
                space = false;
                started = true;
                out.push(b);
            }
        }
    }
}

/// A body in relaxed form (RFC 6376 3.4.4): runs of whitespace in a line as one space, none at
/// a line's end, no empty lines at the end, the last line ended by CRLF.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut empty_lines = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let (line, next) = match find(rest, b"\r\n") {
            Some(e) => (&rest[..e], &rest[e + 2..]),
            None => (rest, &[][..]),
        };
        rest = next;
        // Empty lines are held back until a line with text follows them.
        if line.iter().all(|&b| matches!(b, b' ' | b'\t')) {
            empty_lines += 1;
            continue;
        }
        out.extend(std::iter::repeat_n(&b"\r\n"[..], empty_lines).flatten());
        empty_lines = 0;
        let mut space = false;
        for &b in line {
            if matches!(b, b' ' | b'\t') {
                space = true;
            } else {
                if space {
                    out.push(b' ');
                }
                space = false;
                out.push(b);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(field: &str) -> String {
        let mut out = Vec::new();
        relaxed_header(field.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn relaxed_canonicalisation_follows_rfc_6376_examples() {
        // RFC 6376 3.4.5.
        assert_eq!(header("A: X"), "a:X");
        assert_eq!(header("B : Y\t\r\n\tZ  "), "b:Y Z");
        let body = relaxed_body(b" C \r\nD \t E\r\n\r\n\r\n");
        assert_eq!(body, b" C\r\nD E\r\n");
        assert_eq!(relaxed_body(b""), b"");
        assert_eq!(relaxed_body(b"\r\n\r\n"), b"");
        assert_eq!(relaxed_body(b"a\r\n\r\nb"), b"a\r\n\r\nb\r\n");
        assert_eq!(relaxed_body(b" \t \r\nX \r\n \r\n"), b"\r\nX\r\n");
    }

    #[test]
    fn fields_keep_their_folded_lines() {
        let head = b"From: a@b.pl\r\nSubject: one\r\n two\r\nTo: c@d.pl\r\n";
        let got: Vec<(&str, &[u8])> = fields(head);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], ("Subject", &b"Subject: one\r\n two"[..]));
        assert_eq!(got[2], ("To", &b"To: c@d.pl"[..]));
    }
}
