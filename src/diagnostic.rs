//! Findings: what a letter or a standard does not do well, as data (never as errors).

use std::fmt;

use crate::source::Location;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed: the letter is not written (exit code 1).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding, with a stable code (`record.unknown-field`), where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// A stable, dotted id naming the problem.
    pub code: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Why the rule matters (its `why` in the pack), for the person who must change the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Where it is, when it can be pointed at: where the author edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places that take part: the partial printing a message, the template line
    /// including that partial, the message in another language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Wording to write instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The text in the letter that the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// The template of the letter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The letter's locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The record the letter was rendered from (a fixture path, `stdin`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Silenced by the template, with this reason: reported, never counted as a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
    /// Where in the rendered letter the finding is, for tracing it to its source; not reported.
    #[serde(skip)]
    pub(crate) spot: Option<Spot>,
}

/// A secondary place of a finding, with what it has to do with it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    /// The place.
    pub location: Location,
    /// What is there (`includes the partial`, `defined in en`).
    pub note: String,
}

/// A byte range of a rendered letter: of its subject line, or of its plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spot {
    /// In the subject line rather than the text.
    pub subject: bool,
    /// The bytes.
    pub range: std::ops::Range<usize>,
}

impl Diagnostic {
    /// A finding of `severity` with a code and a message.
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.into(),
            message: message.into(),
            help: None,
            why: None,
            location: None,
            related: Vec::new(),
            suggestion: None,
            found: None,
            template: None,
            locale: None,
            origin: None,
            suppressed: None,
            spot: None,
        }
    }

    /// A warning with a code and a message.
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, message)
    }

    /// An error-level finding with a code and a message.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, message)
    }

    /// Whether it fails a letter: error level and not suppressed.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.suppressed.is_none()
    }

    /// Adds a suggestion for the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the finding at a place.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  --> {location}")?;
        }
        for related in &self.related {
            write!(f, "\n  ::: {} ({})", related.location, related.note)?;
        }
        let letter: Vec<&str> =
            [self.template.as_deref(), self.locale.as_deref(), self.origin.as_deref()].into_iter().flatten().collect();
        if !letter.is_empty() {
            write!(f, "\n  letter: {}", letter.join(", "))?;
        }
        if let Some(found) = &self.found {
            write!(f, "\n  found: „{found}”")?;
        }
        if let Some(suggestion) = &self.suggestion {
            write!(f, "\n  write instead: {suggestion}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        if let Some(reason) = &self.suppressed {
            write!(f, "\n  suppressed: {reason}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_code_location_and_help() {
        let d = Diagnostic::warning("record.unknown-field", "`x` is not a field")
            .with_help("remove it")
            .at(Some(Location { file: "r.json".into(), line: 1, column: 2, length: 1 }));
        assert_eq!(
            d.to_string(),
            "warning[record.unknown-field]: `x` is not a field\n  --> r.json:1:2\n  help: remove it"
        );
    }
}
