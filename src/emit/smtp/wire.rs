//! What goes over the wire, as pure functions: a message's data made safe to send (line ends,
//! dot-stuffing, the terminator), replies read line by line, and the base64 of AUTH.

use std::io::{self, BufRead};

/// A server's reply: its code and its text (the lines joined by a space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit code (250, 354, 451, 550, …).
    pub code: u16,
    /// The text after the code, one line of it per line of the reply.
    pub text: String,
}

impl Reply {
    /// 4xx: try again later.
    pub fn is_transient(&self) -> bool {
        (400..500).contains(&self.code)
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text.replace('\n', " "))
    }
}

/// The longest reply line taken (RFC 5321 allows 512 bytes; servers write longer texts).
const MAX_LINE: usize = 4096;
/// The most lines one reply may have (an EHLO lists a few dozen extensions).
const MAX_LINES: usize = 256;

/// Reads one reply (`250-…` lines up to the `250 …` one). A closed connection or a line that is
/// not a reply is an error: the session cannot go on.
pub fn read_reply<R: BufRead>(input: &mut R) -> io::Result<Reply> {
    let mut text = String::new();
    let mut line = Vec::with_capacity(128);
    for _ in 0..MAX_LINES {
        line.clear();
        let n = io::Read::take(&mut *input, MAX_LINE as u64).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
        }
        if line.last() != Some(&b'\n') {
            return Err(bad_reply(&line));
        }
        let trimmed = line.trim_ascii_end();
        let code = trimmed
            .get(..3)
            .filter(|c| c.iter().all(u8::is_ascii_digit))
            .and_then(|c| std::str::from_utf8(c).ok()?.parse::<u16>().ok())
            .filter(|c| (200..600).contains(c))
            .ok_or_else(|| bad_reply(trimmed))?;
        let more = match trimmed.get(3) {
            Some(b'-') => true,
            Some(b' ') | None => false,
            Some(_) => return Err(bad_reply(trimmed)),
        };
        let part = String::from_utf8_lossy(trimmed.get(4..).unwrap_or_default());
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(part.trim());
        if !more {
            return Ok(Reply { code, text });
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidData, "the server's reply has too many lines"))
}

fn bad_reply(line: &[u8]) -> io::Error {
    let shown: String = String::from_utf8_lossy(line).chars().take(80).collect();
    io::Error::new(io::ErrorKind::InvalidData, format!("the server's reply is not SMTP: `{}`", shown.escape_debug()))
}

/// The DATA section for `message`: every line ending made CRLF (a bare CR or LF too, so no
/// sequence inside the message can end it early: the "SMTP smuggling" of 2023), a line that
/// starts with `.` given another (RFC 5321 §4.5.2), and the closing `CRLF.CRLF`.
pub fn data(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 64 + 8);
    let mut line_start = true;
    let mut i = 0;
    while i < message.len() {
        let b = message[i];
        match b {
            b'\r' | b'\n' => {
                out.extend_from_slice(b"\r\n");
                // CRLF is one line end; a lone CR or LF counts as one too.
                i += if b == b'\r' && message.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                line_start = true;
                continue;
            }
            b'.' if line_start => out.extend_from_slice(b".."),
            _ => {
                // Copy up to the next line end in one go.
                let end = memchr::memchr2(b'\r', b'\n', &message[i..]).map_or(message.len(), |n| i + n);
                out.extend_from_slice(&message[i..end]);
                i = end;
                line_start = false;
                continue;
            }
        }
        line_start = false;
        i += 1;
    }
    if !line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Whether `message` has bytes beyond 7-bit ASCII (then `BODY=8BITMIME` is asked for).
pub fn is_8bit(message: &[u8]) -> bool {
    !message.is_ascii()
}

/// Standard base64 with padding, for AUTH.
pub fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= chunk.len() {
                out.push(TABLE[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &str) -> io::Result<Reply> {
        read_reply(&mut text.as_bytes())
    }

    #[test]
    fn replies_of_one_and_many_lines() {
        assert_eq!(reply("250 OK\r\n").unwrap(), Reply { code: 250, text: "OK".into() });
        let ehlo = reply("250-mx.example.pl\r\n250-PIPELINING\r\n250 8BITMIME\r\n").unwrap();
        assert_eq!(ehlo.text, "mx.example.pl\nPIPELINING\n8BITMIME");
        assert_eq!(ehlo.to_string(), "250 mx.example.pl PIPELINING 8BITMIME");
        assert_eq!(reply("354\r\n").unwrap().code, 354, "a code alone is a reply");
        assert_eq!(reply("250 OK\n").unwrap().code, 250, "a bare LF is taken");
    }

    #[test]
    fn what_is_not_a_reply_is_an_error() {
        assert_eq!(reply("").unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(reply("250-half").unwrap_err().kind(), io::ErrorKind::InvalidData, "cut mid-line");
        assert!(reply("HTTP/1.1 400 Bad\r\n").is_err());
        assert!(reply("999 what\r\n").is_err());
        assert!(reply("250xOK\r\n").is_err());
        assert!(reply(&format!("250 {}\r\n", "x".repeat(5000))).is_err(), "a line is bounded");
        assert!(reply(&"250-x\r\n".repeat(300)).is_err(), "a reply's lines are bounded");
    }

    #[test]
    fn data_is_stuffed_and_ended() {
        assert_eq!(data(b"a\r\n.b\r\n"), b"a\r\n..b\r\n.\r\n");
        assert_eq!(data(b".\r\n"), b"..\r\n.\r\n", "a lone dot cannot end the message");
        assert_eq!(data(b"no end"), b"no end\r\n.\r\n");
        assert_eq!(data(b""), b".\r\n");
        assert_eq!(data(b"x.y\r\n"), b"x.y\r\n.\r\n", "only a dot at a line's start is doubled");
    }

    #[test]
    fn bare_line_ends_cannot_smuggle_an_end_of_data() {
        for hostile in [&b"a\n.\nMAIL FROM:<x@y>\r\n"[..], b"a\r.\rRCPT", b"a\n.\r\nQUIT", b"a\r\n.\nb"] {
            let out = data(hostile);
            let body = &out[..out.len() - 3];
            assert!(!body.windows(5).any(|w| w == b"\r\n.\r\n"), "{:?}", String::from_utf8_lossy(&out));
            assert!(!out.iter().enumerate().any(|(i, &b)| b == b'\n' && (i == 0 || out[i - 1] != b'\r')));
            assert!(!out.iter().enumerate().any(|(i, &b)| b == b'\r' && out.get(i + 1) != Some(&b'\n')));
        }
    }

    #[test]
    fn base64_is_rfc_4648s() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("\0anna\0tajne", "AGFubmEAdGFqbmU="),
            ("Username:", "VXNlcm5hbWU6"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
