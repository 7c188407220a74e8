//! mbox (mboxrd): many messages in one file, each after a `From ` line, with `From ` lines inside
//! messages quoted so that readers split the file exactly where we did.

use std::io::{self, Write};

/// Appends one message (as built by [`email::message`](super::email::message)) to an mbox.
pub fn append(out: &mut dyn Write, sender: &str, date: &str, message: &[u8]) -> io::Result<()> {
    writeln!(out, "From {sender} {date}")?;
    // Stored with LF line ends; lines starting with `From ` (after any `>`) gain one more `>`.
    let text = String::from_utf8_lossy(message);
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_start_matches('>').starts_with("From ") {
            out.write_all(b">")?;
        }
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lines_are_quoted_and_line_ends_are_lf() {
        let mut out = Vec::new();
        append(&mut out, "a@b.pl", "Mon Nov 23 00:00:00 2026", b"Subject: x\r\n\r\nFrom here\r\n>From there\r\n")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "From a@b.pl Mon Nov 23 00:00:00 2026\nSubject: x\n\n>From here\n>>From there\n\n"
        );
    }
}
