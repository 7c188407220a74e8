//! The one error type: "could not do the job", with the file, the place and the fix.
//!
//! Rule findings and warnings are not errors: they are [`Diagnostic`](crate::diagnostic::Diagnostic)s.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

use crate::source::SourceFile;

/// What kind of job failed; decides the stable code users see (`missive::record`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or folder could not be read or written.
    Io,
    /// `missive.toml`, a template's front matter or a layout is malformed.
    Config,
    /// A template does not parse.
    Template,
    /// A Fluent file does not parse, a message is missing, a locale is unknown.
    Locale,
    /// A template failed while rendering a letter.
    Render,
    /// A record does not fit the template's fields.
    Record,
    /// Input data (JSON) is malformed.
    Data,
    /// The command line asks for something that cannot be done.
    Usage,
}

impl ErrorKind {
    /// The stable code shown with the error.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "missive::io",
            ErrorKind::Config => "missive::config",
            ErrorKind::Template => "missive::template",
            ErrorKind::Locale => "missive::locale",
            ErrorKind::Render => "missive::render",
            ErrorKind::Record => "missive::record",
            ErrorKind::Data => "missive::data",
            ErrorKind::Usage => "missive::usage",
        }
    }
}

/// A reason a job could not be done, with where it happened and how to fix it.
///
/// ```
/// use missive::{Error, ErrorKind};
/// let err = Error::new(ErrorKind::Usage, "no template named `invoce`").with_help("did you mean `invoice`?");
/// assert_eq!(err.kind(), ErrorKind::Usage);
/// assert_eq!(err.to_string(), "no template named `invoce`");
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    help: Option<String>,
    source: Option<(NamedSource<Arc<str>>, SourceSpan, String)>,
    problems: Vec<FieldProblem>,
    cause: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with a one-line message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            help: None,
            source: None,
            problems: Vec::new(),
            cause: None,
        }))
    }

    /// A TOML error in `file`, whose TOML text starts at `offset`, pointing at the line.
    pub(crate) fn toml(file: &crate::source::SourceFile, offset: usize, e: &toml::de::Error) -> Error {
        let message = e.message().trim_end().to_string();
        match e.span() {
            Some(range) => {
                let start = offset + range.start;
                let (line, col) = file.line_col(start);
                Error::new(ErrorKind::Config, format!("{}:{line}:{col}: {message}", file.name)).with_span(
                    file,
                    crate::source::span(start, range.len().max(1)),
                    "",
                )
            }
            None => Error::new(ErrorKind::Config, format!("{}: {message}", file.name)),
        }
    }

    /// A record error about one field: the message names the field, and so does the problem a
    /// batch's rejects report lists.
    pub fn field(path: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        let message = message.into();
        let help = help.into();
        Error::new(ErrorKind::Record, format!("field `{path}`: {message}"))
            .with_help(help.clone())
            .with_problems(vec![FieldProblem::new(path, message).with_help(help)])
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, err: std::io::Error) -> Self {
        let help = match err.kind() {
            std::io::ErrorKind::NotFound => "check the path; paths are relative to the current folder",
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            _ => "check that the path is a readable file",
        };
        Error::new(ErrorKind::Io, format!("cannot read {}: {err}", path.display())).with_help(help).with_cause(err)
    }

    /// Adds a suggestion for the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// Points the error at a span of a source file, with a short label under it.
    pub fn with_span(mut self, file: &SourceFile, at: SourceSpan, label: impl Into<String>) -> Self {
        self.0.source = Some((file.named(), at, label.into()));
        self
    }

    /// Attaches the problems found in a record.
    pub fn with_problems(mut self, problems: Vec<FieldProblem>) -> Self {
        self.0.problems = problems;
        self
    }

    /// Keeps the lower-level error this one wraps.
    pub fn with_cause(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.cause = Some(Box::new(cause));
        self
    }

    /// What kind of job failed.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The suggestion for the fix, if any.
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The problems found in a record (empty for other kinds).
    pub fn problems(&self) -> &[FieldProblem] {
        &self.0.problems
    }

    /// The 1-based line and column the error points at, with the file name.
    pub fn location(&self) -> Option<(String, usize, usize)> {
        let (src, at, _) = self.0.source.as_ref()?;
        let (line, col) = crate::source::line_col(src.inner(), at.offset());
        Some((src.name().to_string(), line, col))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("help", &self.0.help)
            .field("location", &self.location())
            .field("problems", &self.0.problems)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.cause.as_deref().map(|e| e as _)
    }
}

impl Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help.as_ref().map(|h| Box::new(h) as _)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source.as_ref().map(|(src, _, _)| src as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, at, label) = self.0.source.as_ref()?;
        let label = (!label.is_empty()).then(|| label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(label, *at))))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.0.problems.is_empty() {
            return None;
        }
        Some(Box::new(self.0.problems.iter().map(|p| p as &dyn Diagnostic)))
    }
}

/// One thing wrong with one field of a record.
#[derive(Debug, Clone)]
pub struct FieldProblem {
    /// The field's path in the record, e.g. `invoice.lines[2].amount`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where the template uses the field, if it does.
    pub used_at: Option<Box<(NamedSource<Arc<str>>, SourceSpan)>>,
}

impl FieldProblem {
    /// A problem with the field at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem { path: path.into(), message: message.into(), help: None, used_at: None }
    }

    /// Adds a suggestion for the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line` of the template that uses the field, if known.
    pub fn used_at_location(&self) -> Option<String> {
        let (file, at) = self.used_at.as_deref()?;
        let (line, col) = crate::source::line_col(file.inner(), at.offset());
        Some(format!("{}:{line}:{col}", file.name()))
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for FieldProblem {}

impl Diagnostic for FieldProblem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as _)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.used_at.as_deref().map(|(file, _)| file as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (file, at) = self.used_at.as_deref()?;
        let label = format!("used here ({})", file.name());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some(label), *at))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_reports_line_and_column() {
        let file = SourceFile::new("templates/a.tera", "first\n  {{ oops }}\n");
        let at = file.text.find("oops").unwrap();
        let err = Error::new(ErrorKind::Template, "bad").with_span(&file, crate::source::span(at, 4), "here");
        assert_eq!(err.location(), Some(("templates/a.tera".into(), 2, 6)));
        assert_eq!(err.kind().code(), "missive::template");
    }

    #[test]
    fn record_problems_are_related_diagnostics() {
        let err = Error::new(ErrorKind::Record, "bad record")
            .with_problems(vec![FieldProblem::new("customer.name", "missing")]);
        assert_eq!(err.related().map(|r| r.count()), Some(1));
        assert_eq!(err.problems()[0].to_string(), "field `customer.name`: missing");
    }
}
