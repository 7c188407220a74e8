//! JSON Lines: one JSON object per line; blank lines are skipped. A line that is not valid JSON
//! is a record problem (that record is rejected), never the end of the run: every line stands
//! on its own, so one bad line cannot swallow the next.

use std::io::BufRead;

use super::{Body, Record, Source, Unparsed, object, strip_bom, unreadable};
use crate::error::{Error, Result};

pub(super) struct Reader {
    source: Source,
    line: u64,
    ordinal: u64,
    buf: Vec<u8>,
}

impl Reader {
    pub(super) fn new(source: Source) -> Reader {
        Reader { source, line: 0, ordinal: 0, buf: Vec::with_capacity(4096) }
    }

    /// The next non-blank line's bytes, checked to be UTF-8 (text that is not stops the run at
    /// its line, so that check cannot wait for a worker); parsed by [`parse`].
    pub(super) fn next_line(&mut self, name: &str) -> Option<Result<Unparsed>> {
        loop {
            self.buf.clear();
            match self.source.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(Error::io(std::path::Path::new(name), e))),
            }
            self.line += 1;
            let bytes = if self.line == 1 { strip_bom(&self.buf) } else { &self.buf[..] };
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if let Err(e) = std::str::from_utf8(bytes) {
                return Some(Err(super::not_utf8(name, self.line, &format!("line {}", self.line), bytes, e)));
            }
            self.ordinal += 1;
            return Some(Ok(Unparsed { ordinal: self.ordinal, line: self.line, body: Body::Line(bytes.to_vec()) }));
        }
    }
}

/// The record on the JSON line `bytes` (the input's line `line`), or why it is not one.
pub(super) fn parse(bytes: &[u8], line: u64) -> Result<Record> {
    crate::json::from_slice(bytes)
        .map_err(|e| unreadable(format!("line {line}: not valid JSON: {e}")))
        .and_then(|v| object(v, line))
}

#[cfg(test)]
mod tests {
    use super::super::InputFormat;
    use super::super::tests::all;

    #[test]
    fn lines_are_records_and_a_bad_line_is_one_bad_record() {
        let got = all(InputFormat::JsonLines, "\u{feff}{\"a\": 1}\n\n{\"a\": \n[1]\n{\"a\": 3}").unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].record.as_ref().unwrap()["a"], 1);
        let why = got[1].record.as_ref().unwrap_err().to_string();
        assert!(
            why.starts_with("line 3: not valid JSON: EOF while parsing") && why.ends_with("line 1 column 6"),
            "{why}"
        );
        assert!(got[2].record.as_ref().unwrap_err().to_string().contains("not a list"));
        assert_eq!((got[3].ordinal, got[3].line), (4, 5));
        assert_eq!(got[3].record.as_ref().unwrap()["a"], 3);
    }
}
