//! CSV (RFC 4180): a header row, then one row per record. Dotted column names build nested
//! fields (`customer.name`), an empty cell leaves its field out, a cell that starts with `[` or
//! `{` is JSON (for lists such as `invoice.lines`). Quoted cells may hold commas, quotes (`""`)
//! and line breaks. The delimiter is given, or sniffed from the header (`,` `;` tab `|`); text
//! arrives as UTF-8 (see `Dialect` for other encodings).
//!
//! A row with the wrong number of cells is a record problem, unless a quoted cell made it span
//! several lines: then a stray quote has swallowed rows, and the run stops naming the line the
//! quote opened on rather than silently merging records. So does a quote still open at the end
//! of the file, or after [`MAX_ROW`] bytes (which also keeps memory flat on such input).

use std::io::BufRead;

use super::columns::{Columns, text_value};
use super::{Raw, Record, Source, not_utf8, strip_bom, structural, unreadable};
use crate::error::{Error, Result};

/// The delimiters a header is sniffed for.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter the first line of `head` holds most of outside quotes; `,` when none.
fn sniff(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
            counts[i] += 1;
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { DELIMITERS[best] }
}

/// A delimiter as a message names it.
fn shown(b: u8) -> String {
    match b {
        b'\t' => "tabs".into(),
        b => format!("`{}`", b as char),
    }
}

/// The longest row we accept; a quote open for longer is taken as runaway.
pub const MAX_ROW: usize = 1 << 20;

const QUOTE_HELP: &str =
    "close the quote, or double a quote that belongs to the text (\"\"); cells with commas or line breaks go in quotes";

pub(super) struct Reader {
    source: Source,
    delimiter: u8,
    columns: Columns,
    line: u64,
    ordinal: u64,
    buf: Vec<u8>,
}

struct Row {
    cells: Vec<Vec<u8>>,
    /// Text after a closing quote (`"a"b`): a quote that did not mean to close here.
    stray: bool,
    first_line: u64,
    last_line: u64,
}

impl Reader {
    /// Reads the header row. The delimiter is `delimiter`, else the one of `,` `;` tab `|` the
    /// header's first line holds most of outside quotes (Polish Excel writes `;`).
    pub(super) fn new(mut source: Source, name: &str, delimiter: Option<u8>) -> Result<Reader> {
        let given = delimiter.is_some();
        let delimiter = match delimiter {
            Some(d) => d,
            None => sniff(source.fill_buf().map_err(|e| Error::io(std::path::Path::new(name), e))?),
        };
        let mut reader = Reader { source, delimiter, columns: Columns::empty(), line: 0, ordinal: 0, buf: Vec::new() };
        let header = match reader.row(name)? {
            Some(row) => row,
            None => {
                return Err(structural(
                    name,
                    1,
                    "the CSV file is empty",
                    "the first row names the columns, e.g. key,customer.name,customer.email",
                ));
            }
        };
        if given
            && let [only] = header.cells.as_slice()
            && let Some(&other) = only.iter().find(|b| DELIMITERS.contains(b) && **b != delimiter)
        {
            return Err(structural(
                name,
                header.first_line,
                format!(
                    "the header is one column, `{}`, holding {}: the file is not separated by {}",
                    String::from_utf8_lossy(only),
                    shown(other),
                    shown(delimiter)
                ),
                &format!(
                    "pass --delimiter '{}' (or leave --delimiter out: it is found from the header)",
                    other as char
                ),
            ));
        }
        let mut names = Vec::with_capacity(header.cells.len());
        for (i, cell) in header.cells.iter().enumerate() {
            names.push(String::from_utf8(cell.clone()).map_err(|e| {
                not_utf8(name, header.first_line, &format!("column {} of the header", i + 1), cell, e.utf8_error())
            })?);
        }
        reader.columns = Columns::new(
            &names,
            |i| format!("column {}", i + 1),
            |why, help| structural(name, header.first_line, why, help),
        )?;
        Ok(reader)
    }

    pub(super) fn next_record(&mut self, name: &str) -> Option<Result<Raw>> {
        let row = match self.row(name) {
            Ok(Some(row)) => row,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        self.ordinal += 1;
        if row.stray {
            if row.last_line > row.first_line {
                return Some(Err(structural(
                    name,
                    row.first_line,
                    format!(
                        "a quoted cell opened on this line closes on line {} with text after the quote: a stray quote has merged rows",
                        row.last_line
                    ),
                    QUOTE_HELP,
                )));
            }
            let why = format!("line {}: text after a closing quote", row.first_line);
            return Some(Ok(Raw { ordinal: self.ordinal, line: row.first_line, record: Err(unreadable(why)) }));
        }
        if row.cells.len() != self.columns.len() {
            if row.last_line > row.first_line {
                return Some(Err(structural(
                    name,
                    row.first_line,
                    format!(
                        "a quoted cell opened on this line runs on to line {} and merges rows ({} cells where the header has {})",
                        row.last_line,
                        row.cells.len(),
                        self.columns.len()
                    ),
                    QUOTE_HELP,
                )));
            }
            let why = format!(
                "line {}: the row has {} cells where the header has {}",
                row.first_line,
                row.cells.len(),
                self.columns.len()
            );
            return Some(Ok(Raw { ordinal: self.ordinal, line: row.first_line, record: Err(unreadable(why)) }));
        }
        for (i, cell) in row.cells.iter().enumerate() {
            if let Err(e) = std::str::from_utf8(cell) {
                return Some(Err(not_utf8(
                    name,
                    row.first_line,
                    &format!("column `{}`", self.columns.name(i)),
                    cell,
                    e,
                )));
            }
        }
        let record = self.build(&row);
        Some(Ok(Raw { ordinal: self.ordinal, line: row.first_line, record }))
    }

    fn build(&self, row: &Row) -> Result<Record> {
        let place = |i: usize| format!("line {}: column `{}`", row.first_line, self.columns.name(i));
        let mut cells = Vec::with_capacity(row.cells.len());
        for (i, cell) in row.cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            let text = std::str::from_utf8(cell).map_err(|_| unreadable(format!("{} is not UTF-8 text", place(i))))?;
            cells.push((i, text_value(text, || place(i))?));
        }
        self.columns.record(cells, place)
    }

    /// The next non-blank row, reading on across line breaks inside quotes.
    fn row(&mut self, name: &str) -> Result<Option<Row>> {
        loop {
            let mut cells = Vec::new();
            let mut cell = Vec::new();
            let mut in_quotes = false;
            let mut quoted = false;
            let mut after_close = false;
            let mut stray = false;
            let first_line = self.line + 1;
            let mut size = 0usize;
            let mut any = false;
            loop {
                self.buf.clear();
                let n = self
                    .source
                    .read_until(b'\n', &mut self.buf)
                    .map_err(|e| Error::io(std::path::Path::new(name), e))?;
                if n == 0 {
                    if in_quotes {
                        return Err(structural(
                            name,
                            first_line,
                            "a quoted cell opened on this line is never closed: the quote swallows the rest of the file",
                            QUOTE_HELP,
                        ));
                    }
                    if !any {
                        return Ok(None);
                    }
                    break;
                }
                any = true;
                self.line += 1;
                size += n;
                if size > MAX_ROW {
                    return Err(structural(
                        name,
                        first_line,
                        format!(
                            "a quoted cell opened on this line is still open {} lines later",
                            self.line - first_line
                        ),
                        QUOTE_HELP,
                    ));
                }
                let bytes = if self.line == 1 { strip_bom(&self.buf) } else { &self.buf[..] };
                let mut i = 0;
                while i < bytes.len() {
                    let b = bytes[i];
                    if in_quotes {
                        if b == b'"' {
                            if bytes.get(i + 1) == Some(&b'"') {
                                cell.push(b'"');
                                i += 1;
                            } else {
                                in_quotes = false;
                                after_close = true;
                            }
                        } else {
                            cell.push(b);
                        }
                    } else {
                        match b {
                            _ if b == self.delimiter => {
                                cells.push(std::mem::take(&mut cell));
                                quoted = false;
                                after_close = false;
                            }
                            b'"' if cell.is_empty() && !quoted => {
                                in_quotes = true;
                                quoted = true;
                            }
                            b'\r' if matches!(bytes.get(i + 1), Some(b'\n') | None) => {}
                            b'\n' => {}
                            _ => {
                                stray |= after_close;
                                cell.push(b);
                            }
                        }
                    }
                    i += 1;
                }
                if !in_quotes {
                    break;
                }
            }
            cells.push(cell);
            if cells.len() == 1 && cells[0].is_empty() && !quoted {
                continue;
            }
            return Ok(Some(Row { cells, stray, first_line, last_line: self.line }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::InputFormat;
    use super::super::tests::all;

    #[test]
    fn dotted_columns_build_nested_records() {
        let text = "\u{feff}key,customer.name,customer.email,invoice.lines\r\n\
                    K1,\"Kowalska, Anna\",a@b.pl,\"[{\"\"description\"\": \"\"x\"\"}]\"\r\n\
                    \r\n\
                    K2,\"Nowak\nJan\",,\n";
        let got = all(InputFormat::Csv, text).unwrap();
        assert_eq!(got.len(), 2);
        let r = got[0].record.as_ref().unwrap();
        assert_eq!(r["key"], "K1");
        assert_eq!(r["customer"]["name"], "Kowalska, Anna");
        assert_eq!(r["invoice"]["lines"][0]["description"], "x");
        let r = got[1].record.as_ref().unwrap();
        assert_eq!((got[1].ordinal, got[1].line), (2, 4));
        assert_eq!(r["customer"]["name"], "Nowak\nJan");
        assert!(r["customer"].get("email").is_none(), "an empty cell leaves the field out");
    }

    #[test]
    fn a_short_row_is_a_bad_record_but_a_runaway_quote_stops_the_run() {
        let got = all(InputFormat::Csv, "a,b\n1,2\n3\n4,5\n").unwrap();
        assert!(
            got[1]
                .record
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("line 3: the row has 1 cells where the header has 2")
        );
        assert!(got[2].record.is_ok());

        let err = all(InputFormat::Csv, "a,b\n1,2\n3,\"oops\n4,5\n6,7\n").unwrap_err();
        assert!(err.to_string().starts_with("in:3: a quoted cell opened on this line is never closed"), "{err}");

        let err = all(InputFormat::Csv, "a,b\n1,\"x\n2,3\n4,\"5\n").unwrap_err();
        assert!(
            err.to_string().starts_with("in:2: a quoted cell opened on this line closes on line 4 with text"),
            "{err}"
        );

        let err = all(InputFormat::Csv, "a,b\n1,\"x\n2,3\n4\",5\n").unwrap_err();
        assert!(err.to_string().starts_with("in:2: a quoted cell opened on this line runs on to line 4"), "{err}");

        let got = all(InputFormat::Csv, "a,b\n1,\"x\"y\n2,3\n").unwrap();
        assert!(got[0].record.as_ref().unwrap_err().to_string().contains("line 2: text after a closing quote"));
        assert!(got[1].record.is_ok());
    }

    #[test]
    fn header_names_must_be_usable() {
        assert!(all(InputFormat::Csv, "a,,b\n").unwrap_err().to_string().contains("column 2"));
        assert!(all(InputFormat::Csv, "customer,customer.name\n").unwrap_err().to_string().contains("both set"));
    }
}
