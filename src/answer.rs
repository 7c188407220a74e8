//! The JSON answer to one render: the letter, or a [`Refusal`] with every error and finding that
//! kept it back. `missive render --format json` prints it and `missive serve` sends it (its 200
//! and 422 bodies), both through this module, so the two cannot drift.

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind, Result};
use crate::render::Letter;

/// The stable code of a refusal for rule findings (`render` exit 1, HTTP 422).
pub const RULES_CODE: &str = "missive::rules";

/// The success document: the letter as pretty JSON with a final newline (subject, text, HTML,
/// warnings and findings).
pub fn letter_json(letter: &Letter) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(letter).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Why a letter was not written: every error, every finding and warning.
///
/// ```
/// use missive::{Error, ErrorKind, FieldProblem};
/// use missive::answer::Refusal;
/// let error = Error::new(ErrorKind::Record, "the record does not fit")
///     .with_problems(vec![FieldProblem::new("customer.email", "missing").with_help("add it")]);
/// let refusal = Refusal::of_error("invoice", &error);
/// assert_eq!(refusal.errors[0].field.as_deref(), Some("customer.email"));
/// assert_eq!(refusal.errors[0].code, "missive::record");
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// The template asked for (none for an HTTP request refused before it named one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The language the letter was written in, when it got that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Every error: one per field problem of a record, else the error itself. A letter refused
    /// for its findings has one, coded [`RULES_CODE`].
    pub errors: Vec<Problem>,
    /// The rule findings, when the letter was rendered.
    pub findings: Vec<Diagnostic>,
    /// Warnings met on the way (unknown fields, a language fallback).
    pub warnings: Vec<Diagnostic>,
}

/// One error: its code, the field it is about, what is wrong, the fix and the source place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The stable code (`missive::record`, `missive::render`, [`RULES_CODE`], …).
    pub code: String,
    /// The record field's path, e.g. `invoice.lines[2].amount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The template file and line (a field problem: where the template uses the field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
}

/// A file (relative to the standard) and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The file, relative to the standard's folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Problem {
    /// A problem with a code and a message only.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { code: code.into(), field: None, message: message.into(), help: None, location: None }
    }

    /// Adds the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

impl Refusal {
    /// The refusal of a render that failed with `error`.
    pub fn of_error(template: &str, error: &Error) -> Refusal {
        let code = error.kind().code();
        let errors = if error.problems().is_empty() {
            let location = error.location().map(|(file, line, column)| Place { file, line, column });
            vec![Problem {
                code: code.to_string(),
                field: None,
                message: error.to_string(),
                help: error.help_text().map(str::to_string),
                location,
            }]
        } else {
            error
                .problems()
                .iter()
                .map(|p| Problem {
                    code: code.to_string(),
                    field: Some(p.path.clone()),
                    message: p.message.clone(),
                    help: p.help.clone(),
                    location: p.used_at.as_deref().map(|(file, at)| {
                        let (line, column) = crate::source::line_col(file.inner(), at.offset());
                        Place { file: file.name().to_string(), line, column }
                    }),
                })
                .collect()
        };
        Refusal {
            template: Some(template.to_string()),
            locale: None,
            errors,
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A refusal with one error and no template (a request refused before it named one).
    pub fn of_problem(problem: Problem) -> Refusal {
        Refusal { template: None, locale: None, errors: vec![problem], findings: Vec::new(), warnings: Vec::new() }
    }

    /// The refusal of a letter that breaks an error-level rule: its findings, and one error
    /// saying so.
    pub fn of_findings(letter: &Letter) -> Refusal {
        let broken: Vec<&str> = letter.findings.iter().filter(|d| d.fails()).map(|d| d.code.as_str()).collect();
        let error = Problem::new(
            RULES_CODE,
            format!("the letter breaks the standard ({}), so it was not written", broken.join(", ")),
        )
        .with_help(
            "fix the template or the record (the findings say where and what to write instead), or allow violations to write it anyway",
        );
        Refusal {
            template: Some(letter.template.clone()),
            locale: Some(letter.locale.clone()),
            errors: vec![error],
            findings: letter.findings.clone(),
            warnings: letter.warnings.clone(),
        }
    }

    /// Removes `root` (the standard's folder, as given and as resolved) from every message and
    /// help, so that the answer names the standard's relative paths only, never the machine's.
    pub fn relative_to(mut self, root: &Path) -> Refusal {
        let mut prefixes = Vec::new();
        for dir in [Some(root.to_path_buf()), root.canonicalize().ok()].into_iter().flatten() {
            let text = dir.display().to_string();
            if text.len() > 1 && dir.is_absolute() {
                prefixes.push((format!("{}/", text.trim_end_matches('/')), ""));
                prefixes.push((text, "."));
            }
        }
        // Longest first, so that a folder's path is removed before a shorter one inside it.
        prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let scrub = |s: &mut String| {
            for (prefix, by) in &prefixes {
                if s.contains(prefix.as_str()) {
                    *s = s.replace(prefix.as_str(), by);
                }
            }
        };
        for problem in &mut self.errors {
            scrub(&mut problem.message);
            if let Some(help) = &mut problem.help {
                scrub(help);
            }
        }
        self
    }

    /// The document as pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain strings, numbers and lists cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_else(|_| b"{\"errors\": []}".to_vec());
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldProblem;

    #[test]
    fn one_error_per_field_problem_else_the_error_itself() {
        let err = Error::new(ErrorKind::Record, "does not fit").with_problems(vec![
            FieldProblem::new("a", "missing").with_help("add a"),
            FieldProblem::new("b.c", "not a date"),
        ]);
        let refusal = Refusal::of_error("invoice", &err);
        assert_eq!(refusal.errors.len(), 2);
        assert_eq!(refusal.errors[1].field.as_deref(), Some("b.c"));
        let plain = Refusal::of_error("invoice", &Error::new(ErrorKind::Usage, "no template `x`").with_help("h"));
        assert_eq!(plain.errors, vec![Problem::new("missive::usage", "no template `x`").with_help("h")]);
        let json: serde_json::Value = serde_json::from_slice(&plain.to_json()).unwrap();
        assert_eq!(json["findings"], serde_json::json!([]));
        assert_eq!(json["template"], "invoice");
    }

    #[test]
    fn the_standards_folder_is_removed_from_messages() {
        let err = Error::new(ErrorKind::Record, "attachment `x` is not in /srv/std/attachments: gone")
            .with_help("see /srv/std");
        let refusal = Refusal::of_error("t", &err).relative_to(Path::new("/srv/std"));
        assert_eq!(refusal.errors[0].message, "attachment `x` is not in attachments: gone");
        assert_eq!(refusal.errors[0].help.as_deref(), Some("see ."));
    }
}
