//! The JSON report: `{"version": 1, "letters", "not_rendered", "summary", "diagnostics"}`, for scripts.

use std::io::{self, Write};

use super::{Report, Summary, sorted};
use crate::diagnostic::Diagnostic;

/// The document; `version` changes only when a field changes meaning or goes away.
#[derive(serde::Serialize)]
struct Document<'a> {
    /// The format's version.
    version: u32,
    /// How many letters were rendered and checked.
    letters: usize,
    /// How many more were attempted but did not render.
    not_rendered: usize,
    /// Counts per level, rule and template.
    summary: Summary,
    /// The findings in report order.
    diagnostics: Vec<&'a Diagnostic>,
}

/// Writes the report as pretty JSON with a final newline.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        letters: report.letters,
        not_rendered: report.not_rendered,
        summary: Summary::of(report.diagnostics),
        diagnostics: sorted(report.diagnostics),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};

    #[test]
    fn writes_summary_and_sorted_diagnostics() {
        let got = fixture::render(Format::Json);
        assert!(got.ends_with("}\n"));
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        let expected = serde_json::json!({
            "version": 1,
            "letters": 28,
            "not_rendered": 0,
            "summary": {
                "errors": 1, "warnings": 1, "infos": 0, "suppressed": 1,
                "by_rule": {
                    "courtesy.missing-thanks": { "errors": 0, "warnings": 0, "infos": 0, "suppressed": 1 },
                    "courtesy.no-demands": { "errors": 1, "warnings": 0, "infos": 0, "suppressed": 0 },
                    "record.unknown-field": { "errors": 0, "warnings": 1, "infos": 0, "suppressed": 0 }
                },
                "by_template": {
                    "invoice": { "errors": 1, "warnings": 1, "infos": 0, "suppressed": 0 },
                    "reminder": { "errors": 0, "warnings": 0, "infos": 0, "suppressed": 1 }
                }
            },
            "diagnostics": [
                {
                    "severity": "warning",
                    "code": "record.unknown-field",
                    "message": "`nip` is not a field of invoice",
                    "help": "remove it or declare it in the front matter",
                    "template": "invoice", "locale": "pl", "origin": "fixtures/invoice/basic.json"
                },
                {
                    "severity": "error",
                    "code": "courtesy.no-demands",
                    "message": "The letter demands instead of asking",
                    "help": "ask politely; see the courtesy pack",
                    "location": { "file": "templates/invoice.tera", "line": 3, "column": 20, "length": 17 },
                    "suggestion": "uprzejmie prosimy o uregulowanie",
                    "found": "prosimy o zapłatę",
                    "template": "invoice", "locale": "pl", "origin": "fixtures/invoice/basic.json"
                },
                {
                    "severity": "warning",
                    "code": "courtesy.missing-thanks",
                    "message": "The letter does not thank the customer",
                    "location": { "file": "templates/reminder.tera", "line": 2, "column": 1, "length": 5 },
                    "template": "reminder", "locale": "en", "origin": "fixtures/reminder/late.json",
                    "suppressed": "a final reminder thanks no one"
                }
            ]
        });
        assert_eq!(value, expected);
        // Key order is part of the format: version first, diagnostics last.
        assert!(
            got.starts_with(
                "{\n  \"version\": 1,\n  \"letters\": 28,\n  \"not_rendered\": 0,\n  \"summary\": {\n    \"errors\": 1,"
            ),
            "{got}"
        );
    }
}
