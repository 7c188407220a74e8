//! Batch input read as a stream, one record at a time, whatever the file's size: JSON Lines,
//! CSV with a header row, or a JSON array; or a spreadsheet (`.xlsx`, `.ods`, …: `sheet.rs`),
//! which calamine opens whole. A record that cannot be read (a malformed JSON line,
//! a CSV row with the wrong number of cells) is a *record* problem: it is rejected and the run
//! carries on. Input whose structure is broken from some point on (a CSV quote that is never
//! closed, a JSON array that never ends) is an [`Error`]: the run stops, naming the line.

mod columns;
mod csv;
mod json_array;
mod jsonl;
mod sheet;

pub use sheet::Kind as SheetKind;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value as Json};

use crate::error::{Error, ErrorKind, Result};
use crate::fields::kind_of;

/// A JSON object: one record.
pub type Record = Map<String, Json>;

/// One record as read, before rendering.
#[derive(Debug)]
pub struct Raw {
    /// 1-based position in the input (data rows for CSV, elements for an array).
    pub ordinal: u64,
    /// The line the record starts on.
    pub line: u64,
    /// The record, or why it could not be read (an [`ErrorKind::Data`] error naming the line).
    pub record: Result<Record>,
}

/// One record as split from the input, parsed only where that cannot wait: a JSON line travels
/// as its bytes, so the render workers parse it in parallel and the reader thread, which reads
/// every record in turn, does not bound the run. CSV rows, array elements and worksheet rows
/// are records already (their splitting needs the reader's state: open quotes, the header).
#[derive(Debug)]
pub struct Unparsed {
    /// 1-based position in the input, as [`Raw::ordinal`].
    pub ordinal: u64,
    /// The line the record starts on.
    pub line: u64,
    /// The record, or what it is made from.
    pub body: Body,
}

/// What an [`Unparsed`] record holds.
#[derive(Debug)]
pub enum Body {
    /// A JSON line's bytes (UTF-8, checked; without the line end and a first line's BOM).
    Line(Vec<u8>),
    /// A record read already, or why it could not be.
    Record(Result<Record>),
}

impl Unparsed {
    /// The record, parsed (a JSON line) or as read, exactly as [`Input::next_record`] gives it.
    pub fn parse(self) -> Raw {
        let record = match self.body {
            Body::Line(bytes) => jsonl::parse(&bytes, self.line),
            Body::Record(record) => record,
        };
        Raw { ordinal: self.ordinal, line: self.line, record }
    }
}

impl From<Raw> for Unparsed {
    fn from(raw: Raw) -> Unparsed {
        Unparsed { ordinal: raw.ordinal, line: raw.line, body: Body::Record(raw.record) }
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    JsonLines,
    /// A header row, then one row per record; dotted names build nested fields.
    Csv,
    /// One JSON array of objects.
    JsonArray,
    /// A worksheet of a workbook: a header row, then one row per record, as CSV.
    Spreadsheet(SheetKind),
}

impl InputFormat {
    /// Guesses the format from the file name, then from the first non-blank byte.
    pub fn detect(path: &Path, first: Option<u8>) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => InputFormat::Csv,
            Some("jsonl" | "ndjson") => InputFormat::JsonLines,
            _ if first == Some(b'[') => InputFormat::JsonArray,
            Some("json") if first == Some(b'{') => InputFormat::JsonLines,
            _ if first == Some(b'{') => InputFormat::JsonLines,
            _ => InputFormat::Csv,
        }
    }
}

/// A reader that counts the bytes it has handed out (for progress and ETA) and hashes them: at
/// the end of the input, `digest` holds the hash of every byte (the journal tells a changed
/// input by it).
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
    hasher: rustc_hash::FxHasher,
    digest: Arc<OnceLock<u64>>,
}

impl<R> Counted<R> {
    fn new(inner: R, count: &Arc<AtomicU64>, digest: &Arc<OnceLock<u64>>) -> Counted<R> {
        Counted { inner, count: Arc::clone(count), hasher: rustc_hash::FxHasher::default(), digest: Arc::clone(digest) }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if n == 0 && !buf.is_empty() {
            let _ = self.digest.set(std::hash::Hasher::finish(&self.hasher));
        } else {
            std::hash::Hasher::write(&mut self.hasher, &buf[..n]);
        }
        Ok(n)
    }
}

/// How to read an input that is not plain UTF-8 with commas.
#[derive(Debug, Clone, Default)]
pub struct Dialect {
    /// The text encoding (`--encoding`); else UTF-8, or UTF-16 by its byte order mark.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The CSV delimiter (`--delimiter`); else sniffed from the header row.
    pub delimiter: Option<u8>,
    /// Money and decimals written with a decimal comma (`--decimal-comma`): `1 234,50 zł`.
    pub decimal_comma: bool,
    /// The worksheet of a workbook to read (`--sheet`); else the first.
    pub sheet: Option<String>,
}

/// Bytes of another encoding, read as UTF-8 (through `encoding_rs`; a byte order mark, if any,
/// decides the encoding and is dropped).
struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.out.resize(room, 0);
            let (_, read, written, _) = self.decoder.decode_to_utf8(&self.raw[..n], &mut self.out, last);
            debug_assert_eq!(read, n, "room for the whole chunk was made");
            self.out.truncate(written);
            self.at = 0;
            self.done = last;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// `reader` as UTF-8: decoded from `encoding` when given, from UTF-16 when it starts with a
/// UTF-16 byte order mark, else as it is.
fn utf8_reader(
    mut reader: Box<dyn Read + Send>,
    encoding: Option<&'static encoding_rs::Encoding>,
    head_len: usize,
) -> std::io::Result<Box<dyn Read + Send>> {
    // The first `head_len` bytes, read whole: the byte order mark is in them, and for a file
    // (64 KiB) so is the CSV header line its delimiter is sniffed from (a buffer's first fill
    // is what the file holds first). Standard input reads only what a BOM needs, so that
    // records piped in slowly still flow.
    let mut head = vec![0u8; head_len];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    head.truncate(got);
    let utf16 = encoding_rs::Encoding::for_bom(&head).map(|(e, _)| e).filter(|e| *e != encoding_rs::UTF_8);
    let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head).chain(reader));
    Ok(match encoding.or(utf16) {
        None => reader,
        Some(e) if e == encoding_rs::UTF_8 => reader,
        Some(e) => Box::new(Decoded {
            inner: reader,
            decoder: e.new_decoder(),
            raw: vec![0; 64 * 1024],
            out: Vec::new(),
            at: 0,
            done: false,
        }),
    })
}

/// A stream of records from one input.
pub struct Input {
    name: String,
    format: InputFormat,
    inner: Inner,
    /// Bytes read so far.
    pub bytes_read: Arc<AtomicU64>,
    /// The input's size, when known (a file).
    pub bytes_total: Option<u64>,
    /// A hash of the whole input, once it has been read to its end.
    pub digest: Arc<OnceLock<u64>>,
}

enum Inner {
    JsonLines(jsonl::Reader),
    Csv(csv::Reader),
    JsonArray(json_array::Reader),
    Sheet(sheet::Reader),
}

type Source = BufReader<Box<dyn Read + Send>>;

impl Input {
    /// Opens `path` (`-`: JSON Lines on standard input), detecting the format.
    pub fn open(path: &Path) -> Result<Input> {
        Input::open_as(path, Dialect::default())
    }

    /// [`Input::open`] with an encoding, a CSV delimiter, a worksheet.
    pub fn open_as(path: &Path, dialect: Dialect) -> Result<Input> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let digest = Arc::new(OnceLock::new());
        let stdin = path.as_os_str() == "-";
        let (name, reader, total): (String, Box<dyn Read + Send>, Option<u64>) = if stdin {
            ("stdin".into(), Box::new(std::io::stdin()), None)
        } else {
            let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
            let total = file.metadata().ok().map(|m| m.len());
            let name = path.display().to_string();
            // The first bytes tell a workbook (a ZIP or OLE archive) from text.
            let head = read_head(&mut file, 4096).map_err(|e| Error::io(path, e))?;
            if let Some(kind) = SheetKind::detect(path, &head) {
                return Input::open_sheet(path, name, kind, &head, &dialect, (bytes_read, digest));
            }
            (name, Box::new(std::io::Cursor::new(head).chain(file)), total)
        };
        if let Some(sheet) = &dialect.sheet {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--sheet {sheet}: {name} is not a spreadsheet, so it has no sheets"),
            )
            .with_help("--sheet chooses a worksheet of an .xlsx, .xlsm, .xlsb, .xls or .ods file"));
        }
        let counted: Box<dyn Read + Send> = Box::new(Counted::new(reader, &bytes_read, &digest));
        let head = if stdin { 4 } else { 64 * 1024 };
        let decoded = utf8_reader(counted, dialect.encoding, head).map_err(|e| Error::io(path, e))?;
        let mut source: Source = BufReader::with_capacity(256 * 1024, decoded);
        let first = if stdin { Some(b'{') } else { first_byte(&mut source).map_err(|e| Error::io(path, e))? };
        let format = InputFormat::detect(path, first);
        Input::from_source(name, format, source, (bytes_read, digest), total, dialect)
    }

    /// A workbook: its bytes hashed once for the journal, then its sheet read through calamine.
    fn open_sheet(
        path: &Path,
        name: String,
        kind: SheetKind,
        head: &[u8],
        dialect: &Dialect,
        (bytes_read, digest): (Arc<AtomicU64>, Arc<OnceLock<u64>>),
    ) -> Result<Input> {
        if !sheet::is_archive(head) {
            return Err(sheet::not_a_workbook(&name, kind, head));
        }
        let (size, hash) = file_digest(path).map_err(|e| Error::io(path, e))?;
        let _ = digest.set(hash);
        let reader = sheet::Reader::open(
            path,
            &name,
            kind,
            dialect.sheet.as_deref(),
            dialect.decimal_comma,
            (Arc::clone(&bytes_read), size),
        )?;
        Ok(Input {
            name,
            format: InputFormat::Spreadsheet(kind),
            inner: Inner::Sheet(reader),
            bytes_read,
            bytes_total: Some(size),
            digest,
        })
    }

    /// Reads `text` as `format` (for tests and callers holding the data in memory).
    pub fn from_bytes(name: &str, format: InputFormat, bytes: Vec<u8>) -> Result<Input> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let total = Some(bytes.len() as u64);
        let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(bytes));
        let digest = Arc::new(OnceLock::new());
        let source: Source = BufReader::new(Box::new(Counted::new(reader, &bytes_read, &digest)));
        Input::from_source(name.to_string(), format, source, (bytes_read, digest), total, Dialect::default())
    }

    fn from_source(
        name: String,
        format: InputFormat,
        source: Source,
        (bytes_read, digest): (Arc<AtomicU64>, Arc<OnceLock<u64>>),
        bytes_total: Option<u64>,
        dialect: Dialect,
    ) -> Result<Input> {
        let inner = match format {
            InputFormat::JsonLines => Inner::JsonLines(jsonl::Reader::new(source)),
            InputFormat::Csv => Inner::Csv(csv::Reader::new(source, &name, dialect.delimiter)?),
            InputFormat::JsonArray => Inner::JsonArray(json_array::Reader::new(source, &name)?),
            InputFormat::Spreadsheet(_) => {
                return Err(Error::new(ErrorKind::Usage, format!("{name}: a spreadsheet is read from its file"))
                    .with_help("pass the workbook's path with --data"));
            }
        };
        Ok(Input { name, format, inner, bytes_read, bytes_total, digest })
    }

    /// The input's name for messages (a path, or `stdin`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format being read.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// The next record; `None` at the end; `Err` when the structure is broken (stop the run).
    pub fn next_record(&mut self) -> Option<Result<Raw>> {
        self.next_unparsed().map(|next| next.map(Unparsed::parse))
    }

    /// [`Input::next_record`], leaving a JSON line's parsing to whoever takes the record: the
    /// same records and the same structural errors at the same place.
    pub fn next_unparsed(&mut self) -> Option<Result<Unparsed>> {
        let name = &self.name;
        match &mut self.inner {
            Inner::JsonLines(r) => r.next_line(name),
            Inner::Csv(r) => r.next_record(name).map(|next| next.map(Unparsed::from)),
            Inner::JsonArray(r) => r.next_record(name).map(|next| next.map(Unparsed::from)),
            Inner::Sheet(r) => r.next_record(name).map(|next| next.map(Unparsed::from)),
        }
    }

    /// The worksheet being read, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        match &self.inner {
            Inner::Sheet(r) => Some(r.sheet()),
            _ => None,
        }
    }
}

/// Up to `len` bytes from the start of `reader` (fewer only at its end).
fn read_head(reader: &mut impl Read, len: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(len);
    reader.take(len as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The size of the file at `path` and the hash of its bytes (as [`Input::digest`] holds it).
fn file_digest(path: &Path) -> std::io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = rustc_hash::FxHasher::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok((size, std::hash::Hasher::finish(&hasher)));
        }
        size += n as u64;
        std::hash::Hasher::write(&mut hasher, &buf[..n]);
    }
}

fn first_byte(source: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    let buf = source.fill_buf()?;
    let buf = buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(buf);
    Ok(buf.iter().copied().find(|b| !b.is_ascii_whitespace()))
}

/// A structural error: the input cannot be read on from `line`.
fn structural(name: &str, line: u64, why: impl Into<String>, help: &str) -> Error {
    Error::new(ErrorKind::Data, format!("{name}:{line}: {}", why.into())).with_help(help.to_string())
}

/// Text that is not UTF-8 stops the run at once (every record would fail the same way),
/// showing the bytes and the flag that reads the file.
fn not_utf8(name: &str, line: u64, what: &str, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let at = e.valid_up_to();
    let bad: Vec<String> = bytes[at..].iter().take(2).map(|b| format!("0x{b:02X}")).collect();
    structural(
        name,
        line,
        match at {
            0 => format!("{what} is not UTF-8 text: it starts with byte {}", bad.join(" ")),
            _ => format!(
                "{what} is not UTF-8 text: `{}` is followed by byte {}",
                String::from_utf8_lossy(&bytes[at.saturating_sub(12)..at]),
                bad.join(" ")
            ),
        },
        "the file is in another encoding: pass --encoding with it, e.g. --encoding windows-1250 (Polish Windows and Excel) or --encoding iso-8859-2, or save it as UTF-8; a batch then goes on with --resume",
    )
}

/// Why a record (not the input) cannot be read: the record is rejected and the run goes on.
fn unreadable(message: String) -> Error {
    Error::new(ErrorKind::Data, message)
}

/// A record from JSON parsed from `line`, or why it is not one.
fn object(value: Json, line: u64) -> Result<Record> {
    match value {
        // A line of a rejects report (ordinal, line, key, errors, record): its record, so that
        // a mended report is itself a batch's input.
        Json::Object(mut map)
            if ["ordinal", "line", "key", "errors"].iter().all(|k| map.contains_key(*k))
                && map.get("errors").is_some_and(Json::is_array) =>
        {
            match map.remove("record") {
                Some(Json::Object(record)) => Ok(record),
                _ => Err(unreadable(format!(
                    "line {line}: a line of a rejects report without its record: take the record from the original input"
                ))),
            }
        }
        Json::Object(map) => Ok(map),
        other => Err(unreadable(format!("line {line}: a record must be a JSON object, not {}", kind_of(&other)))),
    }
}

/// Strips a UTF-8 byte order mark.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn all(format: InputFormat, text: &str) -> Result<Vec<Raw>> {
        let mut input = Input::from_bytes("in", format, text.as_bytes().to_vec())?;
        let mut out = Vec::new();
        while let Some(r) = input.next_record() {
            out.push(r?);
        }
        Ok(out)
    }

    #[test]
    fn formats_are_detected_by_name_then_content() {
        assert_eq!(InputFormat::detect(Path::new("a.csv"), Some(b'{')), InputFormat::Csv);
        assert_eq!(InputFormat::detect(Path::new("a.jsonl"), Some(b'[')), InputFormat::JsonLines);
        assert_eq!(InputFormat::detect(Path::new("a.json"), Some(b'[')), InputFormat::JsonArray);
        assert_eq!(InputFormat::detect(Path::new("a.json"), Some(b'{')), InputFormat::JsonLines);
        assert_eq!(InputFormat::detect(Path::new("data"), Some(b'k')), InputFormat::Csv);
    }
}
