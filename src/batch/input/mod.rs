//! Batch input read as a stream, one record at a time, whatever the file's size: JSON Lines,
//! CSV with a header row, or a JSON array. A record that cannot be read (a malformed JSON line,
//! a CSV row with the wrong number of cells) is a *record* problem: it is rejected and the run
//! carries on. Input whose structure is broken from some point on (a CSV quote that is never
//! closed, a JSON array that never ends) is an [`Error`]: the run stops, naming the line.

mod csv;
mod json_array;
mod jsonl;

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
    /// The record, or why it could not be read.
    pub record: std::result::Result<Record, String>,
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
}

type Source = BufReader<Counted<Box<dyn Read + Send>>>;

impl Input {
    /// Opens `path` (`-`: JSON Lines on standard input), detecting the format.
    pub fn open(path: &Path) -> Result<Input> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let (name, reader, total): (String, Box<dyn Read + Send>, Option<u64>) = if path.as_os_str() == "-" {
            ("stdin".into(), Box::new(std::io::stdin()), None)
        } else {
            let file = File::open(path).map_err(|e| Error::io(path, e))?;
            let total = file.metadata().ok().map(|m| m.len());
            (path.display().to_string(), Box::new(file), total)
        };
        let digest = Arc::new(OnceLock::new());
        let mut source: Source = BufReader::with_capacity(256 * 1024, Counted::new(reader, &bytes_read, &digest));
        let first = if path.as_os_str() == "-" {
            Some(b'{')
        } else {
            first_byte(&mut source).map_err(|e| Error::io(path, e))?
        };
        let format = InputFormat::detect(path, first);
        Input::from_source(name, format, source, (bytes_read, digest), total)
    }

    /// Reads `text` as `format` (for tests and callers holding the data in memory).
    pub fn from_bytes(name: &str, format: InputFormat, bytes: Vec<u8>) -> Result<Input> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let total = Some(bytes.len() as u64);
        let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(bytes));
        let digest = Arc::new(OnceLock::new());
        let source = BufReader::new(Counted::new(reader, &bytes_read, &digest));
        Input::from_source(name.to_string(), format, source, (bytes_read, digest), total)
    }

    fn from_source(
        name: String,
        format: InputFormat,
        source: Source,
        (bytes_read, digest): (Arc<AtomicU64>, Arc<OnceLock<u64>>),
        bytes_total: Option<u64>,
    ) -> Result<Input> {
        let inner = match format {
            InputFormat::JsonLines => Inner::JsonLines(jsonl::Reader::new(source)),
            InputFormat::Csv => Inner::Csv(csv::Reader::new(source, &name)?),
            InputFormat::JsonArray => Inner::JsonArray(json_array::Reader::new(source, &name)?),
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
        match &mut self.inner {
            Inner::JsonLines(r) => r.next_record(&self.name),
            Inner::Csv(r) => r.next_record(&self.name),
            Inner::JsonArray(r) => r.next_record(&self.name),
        }
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

/// A record from parsed JSON, or why it is not one.
fn object(value: Json) -> std::result::Result<Record, String> {
    match value {
        Json::Object(map) => Ok(map),
        other => Err(format!("a record must be a JSON object, not {}", kind_of(&other))),
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
