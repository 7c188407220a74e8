//! Spreadsheets: Excel workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`) and LibreOffice's (`.ods`),
//! read with calamine. The first worksheet, or the one `--sheet` names; its first non-empty row
//! is the header, exactly as a CSV header ([`Columns`]). A cell reaches the field contract as
//! the text a CSV export of it would hold, so checks and messages are the CSV ones: a number as
//! its digits (`42`, not `42.0`; `1234.5`, or `1234,5` with `--decimal-comma`), a date or
//! date-time as its ISO date (`2026-11-23`; no field type holds a time of day), a boolean as
//! `true`/`false`, text as it is (JSON when it starts with `[` or `{`); an empty cell leaves its
//! field out. A cell holding a spreadsheet error (`#DIV/0!`) makes its row a reject.
//!
//! A workbook is a ZIP (or OLE) archive, which cannot be read as a stream: calamine opens it
//! whole. An `.xlsx` sheet is then read cell by cell (`worksheet_cells_reader`: the shared
//! strings in memory, the sheet's XML decompressed as it goes); other kinds load the sheet's
//! cells at once. calamine's cell reader borrows its workbook, so one thread owns both and sends
//! rows through a bounded queue.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use calamine::{Data, DataRef, ExcelDateTime};
use serde_json::Value as Json;

use super::columns::{Columns, text_value};
use super::{Raw, unreadable};
use crate::error::{Error, ErrorKind, Result};

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML: `.xlsx`, `.xlsm`.
    Xlsx,
    /// Excel's binary workbook, `.xlsb`.
    Xlsb,
    /// Excel 97–2003, `.xls`.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, `.ods`).
    Ods,
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Kind {
    /// The workbook kind of a file named `path` that starts with `head`: by its first bytes
    /// (a ZIP or OLE archive is never CSV or JSON, whatever its name), else by its extension;
    /// `None` for text input.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Kind> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let by_name = match ext.as_deref() {
            Some("xlsx" | "xlsm") => Some(Kind::Xlsx),
            Some("xlsb") => Some(Kind::Xlsb),
            Some("xls") => Some(Kind::Xls),
            Some("ods") => Some(Kind::Ods),
            _ => None,
        };
        if head.starts_with(ZIP) {
            // An OpenDocument file's first entry is its uncompressed `mimetype`.
            let ods = memchr::memmem::find(head, b"application/vnd.oasis.opendocument.spreadsheet").is_some();
            return Some(match by_name {
                _ if ods => Kind::Ods,
                Some(Kind::Xlsb) => Kind::Xlsb,
                _ => Kind::Xlsx,
            });
        }
        if head.starts_with(OLE) {
            return Some(Kind::Xls);
        }
        by_name
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "an Excel workbook (.xlsx)",
            Kind::Xlsb => "an Excel binary workbook (.xlsb)",
            Kind::Xls => "an Excel 97–2003 workbook (.xls)",
            Kind::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }
}

/// A cell as the header→record mapping takes it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Value(Json),
    /// A spreadsheet error value (`#DIV/0!`).
    Error(String),
}

/// One non-empty row: its number as the spreadsheet shows it (1-based) and its non-empty cells
/// with their (0-based) column.
#[derive(Debug)]
struct Row {
    number: u32,
    cells: Vec<(u32, Cell)>,
}

enum Msg {
    /// The sheet chosen and its last row's number.
    Sheet {
        name: String,
        rows: u32,
    },
    Row(Row),
    Fail(Error),
}

/// Rows queued between the workbook's thread and the batch's reader.
const QUEUE: usize = 256;

pub(super) struct Reader {
    rows: Option<Receiver<Msg>>,
    worker: Option<JoinHandle<()>>,
    columns: Columns,
    /// The column (0-based) of the header's first name.
    first: u32,
    sheet: String,
    last_row: u32,
    ordinal: u64,
    bytes_read: Arc<AtomicU64>,
    bytes_total: u64,
}

impl Reader {
    /// Opens the workbook at `path` (named `name` in messages), chooses the sheet and reads
    /// its header; every problem so far stops the run.
    pub(super) fn open(
        path: &Path,
        name: &str,
        kind: Kind,
        sheet: Option<&str>,
        decimal_comma: bool,
        (bytes_read, bytes_total): (Arc<AtomicU64>, u64),
    ) -> Result<Reader> {
        let (tx, rx) = sync_channel(QUEUE);
        let job = Job { path: path.to_path_buf(), name: name.to_string(), kind, sheet: sheet.map(str::to_string) };
        let worker = std::thread::Builder::new()
            .name("missive-sheet".into())
            .spawn(move || job.run(decimal_comma, &tx))
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start reading {name}: {e}")))?;
        let mut reader = Reader {
            rows: Some(rx),
            worker: Some(worker),
            columns: Columns::empty(),
            first: 0,
            sheet: String::new(),
            last_row: 0,
            ordinal: 0,
            bytes_read,
            bytes_total,
        };
        let header = loop {
            match reader.recv(name)? {
                Some(Msg::Sheet { name, rows }) => (reader.sheet, reader.last_row) = (name, rows),
                Some(Msg::Row(row)) => break row,
                Some(Msg::Fail(e)) => return Err(e),
                None => {
                    return Err(Error::new(
                        ErrorKind::Data,
                        format!("{name}: sheet `{}` is empty", reader.sheet),
                    )
                    .with_help("the first row names the columns (key, customer.name, customer.email, …), one record a row below it"));
                }
            }
        };
        let (first, last) = match (header.cells.first(), header.cells.last()) {
            (Some((first, _)), Some((last, _))) => (*first, *last),
            _ => (0, 0),
        };
        let mut names = vec![String::new(); (last - first + 1) as usize];
        for (col, cell) in &header.cells {
            names[(col - first) as usize] = match cell {
                Cell::Value(Json::String(s)) => s.clone(),
                Cell::Value(other) => other.to_string(),
                Cell::Error(e) => e.clone(),
            };
        }
        let place = format!("{name}, sheet `{}`, row {}", reader.sheet, header.number);
        reader.columns = Columns::new(
            &names,
            |i| format!("column {}", column_letters(first + i as u32)),
            |why, help| Error::new(ErrorKind::Data, format!("{place}: {why}")).with_help(help.to_string()),
        )?;
        reader.first = first;
        Ok(reader)
    }

    /// The sheet being read.
    pub(super) fn sheet(&self) -> &str {
        &self.sheet
    }

    /// The next message; `None` once the workbook's thread is done (an error if it died).
    fn recv(&mut self, name: &str) -> Result<Option<Msg>> {
        let Some(rows) = &self.rows else { return Ok(None) };
        match rows.recv() {
            Ok(msg) => Ok(Some(msg)),
            Err(_) => {
                self.rows = None;
                match self.worker.take().map(JoinHandle::join) {
                    Some(Err(_)) => Err(Error::new(
                        ErrorKind::Data,
                        format!("{name}: reading the spreadsheet failed inside missive (a bug; please report it)"),
                    )),
                    _ => Ok(None),
                }
            }
        }
    }

    pub(super) fn next_record(&mut self, name: &str) -> Option<Result<Raw>> {
        let row = match self.recv(name) {
            Ok(Some(Msg::Row(row))) => row,
            Ok(Some(Msg::Fail(e))) => return Some(Err(e)),
            Ok(Some(Msg::Sheet { .. })) => return self.next_record(name),
            Ok(None) => {
                self.bytes_read.store(self.bytes_total, Ordering::Relaxed);
                return None;
            }
            Err(e) => return Some(Err(e)),
        };
        self.ordinal += 1;
        if self.last_row > 0 {
            let share =
                self.bytes_total as u128 * u128::from(row.number.min(self.last_row)) / u128::from(self.last_row);
            self.bytes_read.store(share as u64, Ordering::Relaxed);
        }
        let record = self.build(name, &row);
        Some(Ok(Raw { ordinal: self.ordinal, line: u64::from(row.number), record }))
    }

    fn build(&self, name: &str, row: &Row) -> Result<super::Record> {
        let at =
            |col: u32| format!("{name}, sheet `{}`, row {}, column {}", self.sheet, row.number, column_letters(col));
        let place = |i: usize| {
            let col = self.first + i as u32;
            format!("{} (`{}`)", at(col), self.columns.name(i))
        };
        let mut cells = Vec::with_capacity(row.cells.len());
        for (col, cell) in &row.cells {
            let i = col.checked_sub(self.first).map(|i| i as usize).filter(|&i| i < self.columns.len());
            let Some(i) = i else {
                return Err(unreadable(format!(
                    "{}: a value where the header names no column; name the column in the header row or clear the cell",
                    at(*col)
                )));
            };
            match cell {
                Cell::Value(Json::String(text)) => {
                    cells.push((i, text_value(text, || place(i))?));
                }
                Cell::Value(value) => cells.push((i, value.clone())),
                Cell::Error(e) => {
                    return Err(unreadable(format!(
                        "{}: the cell holds the spreadsheet error {e} where a value was expected; fix its formula or type the value",
                        place(i)
                    )));
                }
            }
        }
        self.columns.record(cells, place)
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        // The thread stops at its next send once nobody receives.
        self.rows = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// What the workbook's thread reads.
struct Job {
    path: PathBuf,
    name: String,
    kind: Kind,
    sheet: Option<String>,
}

impl Job {
    fn run(self, decimal_comma: bool, tx: &SyncSender<Msg>) {
        if let Err(e) = self.read(decimal_comma, tx) {
            let _ = tx.send(Msg::Fail(e));
        }
    }

    fn read(&self, comma: bool, tx: &SyncSender<Msg>) -> Result<()> {
        let unreadable = |e: &dyn std::fmt::Display| self.unreadable(e);
        match self.kind {
            Kind::Xlsx => {
                let mut book: calamine::Xlsx<_> = calamine::open_workbook(&self.path).map_err(|e| unreadable(&e))?;
                let sheet = self.choose(&book)?;
                let mut cells = book.worksheet_cells_reader(&sheet).map_err(|e| unreadable(&e))?;
                let rows = cells.dimensions().end.0 + 1;
                if tx.send(Msg::Sheet { name: sheet, rows }).is_err() {
                    return Ok(());
                }
                let mut row = Row { number: 0, cells: Vec::new() };
                while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
                    let Some(value) = from_ref(cell.get_value(), comma) else { continue };
                    let (r, c) = cell.get_position();
                    if r + 1 != row.number {
                        let done = std::mem::replace(&mut row, Row { number: r + 1, cells: Vec::new() });
                        if !done.cells.is_empty() && tx.send(Msg::Row(done)).is_err() {
                            return Ok(());
                        }
                    }
                    row.cells.push((c, value));
                }
                if !row.cells.is_empty() {
                    let _ = tx.send(Msg::Row(row));
                }
                Ok(())
            }
            Kind::Xlsb => {
                let book: calamine::Xlsb<_> = calamine::open_workbook(&self.path).map_err(|e| unreadable(&e))?;
                self.send_range(book, comma, tx)
            }
            Kind::Xls => {
                let book: calamine::Xls<_> = calamine::open_workbook(&self.path).map_err(|e| unreadable(&e))?;
                self.send_range(book, comma, tx)
            }
            Kind::Ods => {
                let book: calamine::Ods<_> = calamine::open_workbook(&self.path).map_err(|e| unreadable(&e))?;
                self.send_range(book, comma, tx)
            }
        }
    }

    /// A sheet calamine loads whole, sent row by row.
    fn send_range<R, B>(&self, mut book: B, comma: bool, tx: &SyncSender<Msg>) -> Result<()>
    where
        R: std::io::Read + std::io::Seek,
        B: calamine::Reader<R>,
        B::Error: std::fmt::Display,
    {
        let sheet = self.choose(&book)?;
        let range = book.worksheet_range(&sheet).map_err(|e| self.unreadable(&e))?;
        drop(book);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let rows = range.end().map_or(0, |(r, _)| r + 1);
        if tx.send(Msg::Sheet { name: sheet, rows }).is_err() {
            return Ok(());
        }
        for (i, cells) in range.rows().enumerate() {
            let cells: Vec<(u32, Cell)> = cells
                .iter()
                .enumerate()
                .filter_map(|(j, data)| from_data(data, comma).map(|cell| (c0 + j as u32, cell)))
                .collect();
            if !cells.is_empty() && tx.send(Msg::Row(Row { number: r0 + i as u32 + 1, cells })).is_err() {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The sheet `--sheet` names, else the first worksheet.
    fn choose<R, B: calamine::Reader<R>>(&self, book: &B) -> Result<String>
    where
        R: std::io::Read + std::io::Seek,
    {
        let sheets = book.sheets_metadata();
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        let listed = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        match &self.sheet {
            Some(wanted) => names.iter().find(|n| **n == wanted.as_str()).map(|n| n.to_string()).ok_or_else(|| {
                let hint = names.iter().find(|n| n.to_lowercase() == wanted.to_lowercase());
                Error::new(
                    ErrorKind::Usage,
                    format!("{}: there is no sheet `{wanted}`; its sheets are {listed}", self.name),
                )
                .with_help(match hint {
                    Some(n) => format!("sheet names are case-sensitive: pass --sheet '{n}'"),
                    None => "pass --sheet with one of the names listed (or leave it out for the first sheet)".into(),
                })
            }),
            None => sheets
                .iter()
                .find(|s| s.typ == calamine::SheetType::WorkSheet)
                .or(sheets.first())
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    Error::new(ErrorKind::Data, format!("{}: the workbook has no sheets", self.name))
                        .with_help("save the records on a sheet, the header in its first row")
                }),
        }
    }

    fn unreadable(&self, e: &dyn std::fmt::Display) -> Error {
        Error::new(ErrorKind::Data, format!("{}: cannot be read as {}: {e}", self.name, self.kind.name())).with_help(
            "open it in Excel or LibreOffice and save it again (File → Save As, the same format), or export the sheet as CSV",
        )
    }
}

/// A cell's value as the text a CSV export would hold; `None` for an empty cell.
fn from_ref(data: &DataRef<'_>, comma: bool) -> Option<Cell> {
    Some(match data {
        DataRef::Empty => return None,
        DataRef::String(s) if s.is_empty() => return None,
        DataRef::SharedString("") => return None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(n) => text(&n.to_string()),
        DataRef::Float(f) => text(&number(*f, comma)),
        DataRef::Bool(b) => text(if *b { "true" } else { "false" }),
        DataRef::DateTime(d) => text(&date_time(d, comma)),
        DataRef::DateTimeIso(s) => text(iso_date(s)),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    })
}

/// [`from_ref`] for the cells of a loaded sheet.
fn from_data(data: &Data, comma: bool) -> Option<Cell> {
    Some(match data {
        Data::Empty => return None,
        Data::String(s) if s.is_empty() => return None,
        Data::String(s) => text(s),
        Data::Int(n) => text(&n.to_string()),
        Data::Float(f) => text(&number(*f, comma)),
        Data::Bool(b) => text(if *b { "true" } else { "false" }),
        Data::DateTime(d) => text(&date_time(d, comma)),
        Data::DateTimeIso(s) => text(iso_date(s)),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

fn text(s: &str) -> Cell {
    Cell::Value(Json::String(s.to_string()))
}

/// A number as a CSV export writes it: a whole number without `.0`, else the shortest digits
/// that read back as the same number, with a decimal comma when the input is read with one.
fn number(f: f64, comma: bool) -> String {
    // Whole numbers up to 2^53 are exact in a float.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return format!("{}", f as i64);
    }
    let s = f.to_string();
    if comma { s.replace('.', ",") } else { s }
}

/// A date or date-time cell as its ISO date (`2026-11-23`); a duration as its number of days.
fn date_time(d: &ExcelDateTime, comma: bool) -> String {
    if d.is_duration() {
        return number(d.as_f64(), comma);
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{day:02}")
}

/// The date of an ISO 8601 date or date-time (`2026-11-23T10:30:00` → `2026-11-23`).
fn iso_date(s: &str) -> &str {
    match s.split_once('T') {
        Some((date, _)) if crate::fields::parse_date(date).is_some() => date,
        _ => s,
    }
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Whether `head` starts as a ZIP (xlsx, ods) or OLE (xls) archive does.
pub(super) fn is_archive(head: &[u8]) -> bool {
    head.starts_with(ZIP) || head.starts_with(OLE)
}

/// A file the extension calls a workbook that is not one: a stop naming what it is.
pub(super) fn not_a_workbook(name: &str, kind: Kind, head: &[u8]) -> Error {
    let start: String = String::from_utf8_lossy(&head[..head.len().min(16)])
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    Error::new(ErrorKind::Data, format!("{name} is named as {} but is not one: it starts with `{start}`", kind.name()))
        .with_help("a CSV or JSON file named .xlsx/.ods: rename it to .csv or .jsonl; a real workbook: save it again from Excel or LibreOffice")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_first_bytes_then_the_name() {
        let zip = b"PK\x03\x04\x14\x00\x00\x00";
        let ods = b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK";
        assert_eq!(Kind::detect(Path::new("a.xlsx"), zip), Some(Kind::Xlsx));
        assert_eq!(Kind::detect(Path::new("a.xlsm"), zip), Some(Kind::Xlsx));
        assert_eq!(Kind::detect(Path::new("export.csv"), zip), Some(Kind::Xlsx), "a workbook misnamed .csv");
        assert_eq!(Kind::detect(Path::new("a.ods"), ods), Some(Kind::Ods));
        assert_eq!(Kind::detect(Path::new("a.bin"), ods), Some(Kind::Ods));
        assert_eq!(Kind::detect(Path::new("a.xls"), OLE), Some(Kind::Xls));
        assert_eq!(Kind::detect(Path::new("a.xlsx"), b"key,name\n"), Some(Kind::Xlsx), "named so: refused later");
        assert_eq!(Kind::detect(Path::new("a.csv"), b"key,name\n"), None);
        assert_eq!(Kind::detect(Path::new("a.jsonl"), b"{\"key\""), None);
    }

    #[test]
    fn cells_read_as_a_csv_export_writes_them() {
        assert_eq!(number(42.0, false), "42");
        assert_eq!(number(-3.0, true), "-3");
        assert_eq!(number(1234.5, false), "1234.5");
        assert_eq!(number(1234.56, true), "1234,56");
        assert_eq!(number(0.1 + 0.2, false), "0.30000000000000004");
        assert_eq!(number(1e20, false), "100000000000000000000");
        let date = ExcelDateTime::new(46349.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_time(&date, false), "2026-11-23");
        let with_time = ExcelDateTime::new(46349.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_time(&with_time, false), "2026-11-23");
        assert_eq!(iso_date("2026-11-23T10:30:00"), "2026-11-23");
        assert_eq!(iso_date("2026-11-23"), "2026-11-23");
        assert_eq!(from_ref(&DataRef::SharedString(""), false), None);
        assert_eq!(from_ref(&DataRef::Int(7), false), Some(text("7")));
        assert_eq!(from_data(&Data::Error(calamine::CellErrorType::Div0), false), Some(Cell::Error("#DIV/0!".into())));
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_show_them() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_letters).collect();
        assert_eq!(letters, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }
}
