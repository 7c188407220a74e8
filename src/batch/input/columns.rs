//! The header row → record mapping that CSV and spreadsheets share: a column's dotted name
//! (`customer.name`) is the path of its field in a nested record, an empty cell leaves its field
//! out, and a text cell that starts with `[` or `{` is JSON (for lists such as `invoice.lines`).

use serde_json::Value as Json;

use super::{Record, unreadable};
use crate::error::{Error, Result};

/// The columns a header row names.
pub(super) struct Columns {
    /// Each column's field path, split at the dots.
    paths: Vec<Vec<String>>,
    /// Each column's name as written (trimmed).
    names: Vec<String>,
}

impl Columns {
    /// The columns of a header whose cells are `cells`. `column(i)` names the i-th (0-based)
    /// column in a message (`column 2`, `column B`); `refuse(why, help)` is the structural
    /// error a header that cannot be used stops the run with.
    pub(super) fn new(
        cells: &[String],
        column: impl Fn(usize) -> String,
        refuse: impl Fn(String, &str) -> Error,
    ) -> Result<Columns> {
        let mut columns = Columns { paths: Vec::with_capacity(cells.len()), names: Vec::with_capacity(cells.len()) };
        for (i, cell) in cells.iter().enumerate() {
            let name_ok = !cell.trim().is_empty() && cell.split('.').all(|s| !s.trim().is_empty());
            if !name_ok {
                return Err(refuse(
                    format!("{} of the header has no usable name (`{cell}`)", column(i)),
                    "name every column; dotted names build nested fields: customer.name",
                ));
            }
            columns.paths.push(cell.trim().split('.').map(|s| s.trim().to_string()).collect());
            columns.names.push(cell.trim().to_string());
        }
        for (i, a) in columns.paths.iter().enumerate() {
            for b in &columns.paths[..i] {
                let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
                if long.starts_with(short) {
                    return Err(refuse(
                        format!("columns `{}` and `{}` both set the same field", short.join("."), long.join(".")),
                        "keep one of them: a field is either a value or a group of fields",
                    ));
                }
            }
        }
        Ok(columns)
    }

    /// No columns (before the header is read).
    pub(super) fn empty() -> Columns {
        Columns { paths: Vec::new(), names: Vec::new() }
    }

    /// How many columns the header names.
    pub(super) fn len(&self) -> usize {
        self.paths.len()
    }

    /// The i-th column's name as written.
    pub(super) fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// A record from one row's cells, each its column's index and its value (empty cells left
    /// out). `place(i)` names the i-th column of this row in a message (`line 3: column `x``).
    pub(super) fn record(
        &self,
        cells: impl IntoIterator<Item = (usize, Json)>,
        place: impl Fn(usize) -> String,
    ) -> Result<Record> {
        let mut record = Record::new();
        for (i, value) in cells {
            let path = &self.paths[i];
            let mut node = &mut record;
            for segment in &path[..path.len() - 1] {
                let entry = node.entry(segment.clone()).or_insert_with(|| Json::Object(Default::default()));
                node = match entry {
                    Json::Object(map) => map,
                    _ => return Err(unreadable(format!("{} crosses a value", place(i)))),
                };
            }
            node.insert(path[path.len() - 1].clone(), value);
        }
        Ok(record)
    }
}

/// A text cell's value: JSON when it starts with `[` or `{`, else the text. `place` names the
/// cell in the message (asked only on failure: most cells are plain text).
pub(super) fn text_value(text: &str, place: impl FnOnce() -> String) -> Result<Json> {
    if text.trim_start().starts_with(['[', '{']) {
        crate::json::from_str(text).map_err(|e| unreadable(format!("{} starts like JSON but is not: {e}", place())))
    } else {
        Ok(Json::String(text.to_string()))
    }
}
