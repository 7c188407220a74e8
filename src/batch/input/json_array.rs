//! A JSON array of records, read one element at a time: a scanner finds where each element ends
//! (depth, strings, escapes) and only that element is parsed, so memory holds one record, never
//! the array. An element that is not valid JSON is a record problem; an array that never ends,
//! or that does not start with `[`, stops the run.

use std::io::BufRead;

use super::{Raw, Source, object, structural, unreadable};
use crate::error::{Error, Result};

const HELP: &str = "the file holds one JSON array of objects: [{\"key\": \"A1\", …}, {\"key\": \"A2\", …}]";

/// Longest element we accept: a string that never closes must not take the memory with it.
const MAX_ELEMENT: usize = 16 << 20;

pub(super) struct Reader {
    source: Source,
    line: u64,
    ordinal: u64,
    done: bool,
    /// The last element ended at the closing `]`.
    done_after: bool,
    element: Vec<u8>,
}

impl Reader {
    pub(super) fn new(mut source: Source, name: &str) -> Result<Reader> {
        let mut line = 1;
        let io = |e| Error::io(std::path::Path::new(name), e);
        // Byte order mark, whitespace, then `[`.
        let bom = source.fill_buf().map_err(io)?.starts_with("\u{feff}".as_bytes());
        if bom {
            source.consume(3);
        }
        loop {
            let b = next_byte(&mut source).map_err(io)?;
            match b {
                Some(b'\n') => line += 1,
                Some(b) if b.is_ascii_whitespace() => {}
                Some(b'[') => break,
                _ => return Err(structural(name, line, "expected a JSON array (`[`)", HELP)),
            }
        }
        Ok(Reader { source, line, ordinal: 0, done: false, done_after: false, element: Vec::new() })
    }

    pub(super) fn next_record(&mut self, name: &str) -> Option<Result<Raw>> {
        if self.done || self.done_after {
            return None;
        }
        match self.scan(name) {
            Ok(Some(start)) => {
                self.ordinal += 1;
                let record = crate::json::from_slice(&self.element)
                    .map_err(|e| unreadable(format!("line {start}: record {} is not valid JSON: {e}", self.ordinal)))
                    .and_then(|v| object(v, start));
                Some(Ok(Raw { ordinal: self.ordinal, line: start, record }))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    /// Reads the next element into `self.element`; returns the line it starts on, or `None`
    /// at the closing `]`.
    fn scan(&mut self, name: &str) -> Result<Option<u64>> {
        let io = |e| Error::io(std::path::Path::new(name), e);
        self.element.clear();
        let mut start = None;
        let (mut depth, mut in_string, mut escape) = (0u32, false, false);
        loop {
            let Some(b) = next_byte(&mut self.source).map_err(io)? else {
                let at = start.unwrap_or(self.line);
                return Err(structural(
                    name,
                    at,
                    format!("the JSON array ends without its closing `]` (inside record {})", self.ordinal + 1),
                    HELP,
                ));
            };
            if b == b'\n' {
                self.line += 1;
            }
            if in_string {
                self.element.push(b);
                if escape {
                    escape = false;
                } else if b == b'\\' {
                    escape = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b',' | b']' if depth == 0 => {
                        if start.is_none() {
                            if b == b']' && self.ordinal == 0 {
                                return Ok(None);
                            }
                            if b == b']' {
                                return Err(structural(name, self.line, "a comma before the closing `]`", HELP));
                            }
                            return Err(structural(name, self.line, "an empty element (two commas)", HELP));
                        }
                        if b == b']' {
                            self.done_after = true;
                        }
                        return Ok(start);
                    }
                    _ if b.is_ascii_whitespace() => {
                        if start.is_some() {
                            self.element.push(b);
                        }
                    }
                    _ => {
                        start.get_or_insert(self.line);
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => depth = depth.saturating_sub(1),
                            _ => {}
                        }
                        self.element.push(b);
                    }
                }
            }
            if self.element.len() > MAX_ELEMENT {
                return Err(structural(
                    name,
                    start.unwrap_or(self.line),
                    format!("record {} is longer than 16 MiB: a string or bracket is never closed", self.ordinal + 1),
                    HELP,
                ));
            }
        }
    }
}

fn next_byte(source: &mut Source) -> std::io::Result<Option<u8>> {
    let buf = source.fill_buf()?;
    let Some(&b) = buf.first() else { return Ok(None) };
    source.consume(1);
    Ok(Some(b))
}

#[cfg(test)]
mod tests {
    use super::super::InputFormat;
    use super::super::tests::all;

    #[test]
    fn elements_are_records_one_at_a_time() {
        let got = all(
            InputFormat::JsonArray,
            "\u{feff} [\n {\"a\": \"],\\\"\"},\n {\"a\": [1, {\"b\": 2}]},\n {\"a\" 1},\n 5\n]\n",
        )
        .unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].record.as_ref().unwrap()["a"], "],\"");
        assert_eq!(got[1].record.as_ref().unwrap()["a"][1]["b"], 2);
        assert!(got[2].record.as_ref().unwrap_err().to_string().starts_with("line 4: record 3 is not valid JSON"));
        assert!(got[3].record.as_ref().unwrap_err().to_string().contains("not a number"));
        assert!(all(InputFormat::JsonArray, "[]").unwrap().is_empty());
    }

    #[test]
    fn an_array_that_never_ends_stops_the_run() {
        let err = all(InputFormat::JsonArray, "[{\"a\": 1},\n{\"a\": \"oops}\n]\n").unwrap_err();
        assert!(
            err.to_string().starts_with("in:2: the JSON array ends without its closing `]` (inside record 2)"),
            "{err}"
        );
        assert!(all(InputFormat::JsonArray, "{\"a\": 1}").unwrap_err().to_string().contains("expected a JSON array"));
    }
}
