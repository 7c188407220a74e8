//! Reports: one list of findings, rendered as human text, JSON, SARIF 2.1.0, GitHub annotations,
//! GitLab Code Quality JSON, JUnit XML or a self-contained HTML page (`html.rs`, which also draws
//! a batch run's page).
//!
//! The renderers share one order ([`sorted`]), one set of counts ([`Summary`]) and one closing
//! line ([`Summary::line`]); the format is chosen at the edge, by the command.

mod github;
mod gitlab;
pub mod html;
mod human;
mod json;
pub mod junit;
mod sarif;
pub mod snapshots;

pub use github::summary_table;

use std::collections::BTreeMap;
use std::io;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;
use crate::source::SourceFile;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Findings with the quoted source line and carets, then a summary (for people).
    // `human`, its old name, stays a hidden alias for one release.
    #[default]
    #[cfg_attr(feature = "cli", value(name = "text", alias = "human"))]
    Text,
    /// One JSON document: summary and findings (for scripts).
    Json,
    /// SARIF 2.1.0 (for code scanning: GitHub, Azure DevOps, IDEs).
    Sarif,
    /// GitHub Actions workflow commands: one annotation per rule and place, capped as GitHub shows them.
    Github,
    /// GitLab Code Quality JSON (`artifacts: reports: codequality:`).
    Gitlab,
    /// JUnit XML for test report viewers (`artifacts: reports: junit:`, Jenkins, …).
    Junit,
    /// One self-contained HTML page for people: heat map, reviews, coverage, every finding
    /// (`check` only; write it with `-o report.html`).
    Html,
}

/// What a rule is, for SARIF's rule table and the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable dotted id (`courtesy.missing-thanks`).
    pub id: String,
    /// What a finding says.
    pub message: String,
    /// Why it matters.
    pub why: Option<String>,
    /// How much breaking it matters.
    pub severity: Severity,
    /// The pack the rule belongs to (`courtesy`).
    pub pack: String,
    /// The rule's entry in the published handbook ([`RuleInfo::with_handbook`]).
    pub help_uri: Option<String>,
}

impl RuleInfo {
    /// Links the rule to its anchor in the HTML handbook published at `handbook` (the anchor
    /// `missive rules --format html` gives each rule: `rule-<id>`).
    pub fn with_handbook(mut self, handbook: Option<&str>) -> Self {
        self.help_uri = handbook.map(|base| format!("{}#rule-{}", base.split('#').next().unwrap_or(base), self.id));
        self
    }
}

impl From<&Rule> for RuleInfo {
    fn from(rule: &Rule) -> Self {
        RuleInfo {
            id: rule.id.clone(),
            message: rule.message.clone(),
            why: rule.why.clone(),
            severity: rule.severity,
            pack: rule.pack.clone(),
            help_uri: None,
        }
    }
}

/// Everything a renderer needs: the findings and what they refer to.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The findings, in any order (renderers sort them).
    pub diagnostics: &'a [Diagnostic],
    /// The rules in force; diagnostic codes may also be codes of missive itself
    /// (`record.unknown-field`).
    pub rules: &'a [RuleInfo],
    /// Files whose lines the human report quotes under carets.
    pub sources: &'a [&'a SourceFile],
    /// How many letters were rendered and checked.
    pub letters: usize,
    /// How many more were attempted but did not render.
    pub not_rendered: usize,
    /// The templates checked, for JUnit's one test case per rule and template (findings of other
    /// templates still get theirs).
    pub templates: &'a [String],
    /// ANSI colours in human output.
    pub color: bool,
}

impl<'a> Report<'a> {
    /// Line `line` (1-based) of the source file named `file`, without its line ending, when the
    /// report has that file.
    pub fn source_line(&self, file: &str, line: usize) -> Option<&'a str> {
        let source = self.sources.iter().find(|s| &*s.name == file)?;
        source.text.lines().nth(line.checked_sub(1)?)
    }
}

/// Finding counts of one kind; a suppressed finding counts only as suppressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Error-level findings that fail a letter.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Informational findings.
    pub infos: usize,
    /// Findings of any level silenced by the template.
    pub suppressed: usize,
}

impl Counts {
    /// Counts one finding.
    pub fn add(&mut self, diagnostic: &Diagnostic) {
        if diagnostic.suppressed.is_some() {
            self.suppressed += 1;
            return;
        }
        match diagnostic.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    /// All findings counted, suppressed ones included.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.suppressed
    }
}

/// The manager's diagnosis: how many findings of each level, per rule and per template.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Error-level findings that fail a letter.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Informational findings.
    pub infos: usize,
    /// Findings of any level silenced by the template.
    pub suppressed: usize,
    /// Counts per finding code (rule id or missive's own code), ordered by code.
    pub by_rule: BTreeMap<String, Counts>,
    /// Counts per template, ordered by name; findings of no template are left out.
    pub by_template: BTreeMap<String, Counts>,
}

impl Summary {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut total = Counts::default();
        let mut by_rule: BTreeMap<String, Counts> = BTreeMap::new();
        let mut by_template: BTreeMap<String, Counts> = BTreeMap::new();
        for d in diagnostics {
            total.add(d);
            by_rule.entry(d.code.clone()).or_default().add(d);
            if let Some(template) = &d.template {
                by_template.entry(template.clone()).or_default().add(d);
            }
        }
        let Counts { errors, warnings, infos, suppressed } = total;
        Summary { errors, warnings, infos, suppressed, by_rule, by_template }
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.errors + self.warnings + self.infos + self.suppressed == 0
    }

    /// The closing line: `2 errors, 1 warning, 1 suppressed in 28 letters`, or
    /// `no findings in 28 letters`; letters that did not render are counted in and named:
    /// `1 error in 64 letters (7 not rendered)`.
    pub fn line(&self, letters: usize, not_rendered: usize) -> String {
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "infos"),
            (self.suppressed, "suppressed", "suppressed"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        let found = if parts.is_empty() { "no findings".to_string() } else { parts.join(", ") };
        let all = letters + not_rendered;
        let failed = if not_rendered > 0 { format!(" ({not_rendered} not rendered)") } else { String::new() };
        format!("{found} in {all} {}{failed}", if all == 1 { "letter" } else { "letters" })
    }
}

/// The findings in report order: by file, line, column, code, template, locale and origin
/// (findings without a place first), ties broken by the rest so that any input order gives the
/// same output.
pub fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut list: Vec<&Diagnostic> = diagnostics.iter().collect();
    list.sort_by(|a, b| order_key(a).cmp(&order_key(b)).then_with(|| tie_key(a).cmp(&tie_key(b))));
    list
}

type OrderKey<'d> = (Option<(&'d str, usize, usize)>, &'d str, Option<&'d str>, Option<&'d str>, Option<&'d str>);

fn order_key(d: &Diagnostic) -> OrderKey<'_> {
    (
        d.location.as_ref().map(|l| (l.file.as_str(), l.line, l.column)),
        &d.code,
        d.template.as_deref(),
        d.locale.as_deref(),
        d.origin.as_deref(),
    )
}

type TieKey<'d> =
    (Option<usize>, &'d str, Severity, Option<&'d str>, Option<&'d str>, Option<&'d str>, Option<&'d str>);

fn tie_key(d: &Diagnostic) -> TieKey<'_> {
    (
        d.location.as_ref().map(|l| l.length),
        &d.message,
        d.severity,
        d.found.as_deref(),
        d.suggestion.as_deref(),
        d.help.as_deref(),
        d.suppressed.as_deref(),
    )
}

/// `invoice, pl, fixtures/invoice/basic.json`: the letter a finding was made in, from what is known.
pub fn letter_of(d: &Diagnostic) -> Option<String> {
    let parts: Vec<&str> =
        [d.template.as_deref(), d.locale.as_deref(), d.origin.as_deref()].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Writes `report` in `format` to `out`.
pub fn write(format: Format, report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Text => human::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Gitlab => gitlab::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Html => html::write(report, None, out),
    }
}

/// Writes `report` for people as `-q` wants it: the error-level findings that fail a letter and
/// the closing line, without warnings, suppressed findings or the tables.
pub fn write_brief(report: &Report<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    human::write_brief(report, out)
}

/// The fixed findings every renderer's tests use.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::source::Location;

    /// The invoice template: line 3 carries Polish diacritics before the finding.
    pub fn invoice() -> SourceFile {
        SourceFile::new(
            "templates/invoice.tera",
            "---\nSzanowna Pani,\nZażółć gęślą jaźń, prosimy o zapłatę.  \n\tRazem:\t{{ total | money }}\n",
        )
    }

    /// One error with location, found and suggestion; one warning without location; one
    /// suppressed warning in a file the report does not have. Given out of order on purpose.
    pub fn diagnostics() -> Vec<Diagnostic> {
        let mut error = Diagnostic::error("courtesy.no-demands", "The letter demands instead of asking")
            .with_help("ask politely; see the courtesy pack")
            .at(Some(Location { file: "templates/invoice.tera".into(), line: 3, column: 20, length: 17 }));
        error.found = Some("prosimy o zapłatę".into());
        error.suggestion = Some("uprzejmie prosimy o uregulowanie".into());
        error.template = Some("invoice".into());
        error.locale = Some("pl".into());
        error.origin = Some("fixtures/invoice/basic.json".into());

        let mut warning = Diagnostic::warning("record.unknown-field", "`nip` is not a field of invoice")
            .with_help("remove it or declare it in the front matter");
        warning.template = Some("invoice".into());
        warning.locale = Some("pl".into());
        warning.origin = Some("fixtures/invoice/basic.json".into());

        let mut suppressed = Diagnostic::warning("courtesy.missing-thanks", "The letter does not thank the customer")
            .at(Some(Location { file: "templates/reminder.tera".into(), line: 2, column: 1, length: 5 }));
        suppressed.template = Some("reminder".into());
        suppressed.locale = Some("en".into());
        suppressed.origin = Some("fixtures/reminder/late.json".into());
        suppressed.suppressed = Some("a final reminder thanks no one".into());

        vec![suppressed, error, warning]
    }

    /// The rules in force: two used, one not.
    pub fn rules() -> Vec<RuleInfo> {
        vec![
            RuleInfo {
                id: "courtesy.no-demands".into(),
                message: "The letter demands instead of asking".into(),
                why: Some("Customers pay sooner when asked than when told.".into()),
                severity: Severity::Error,
                pack: "courtesy".into(),
                help_uri: Some("https://example.com/handbook.html#rule-courtesy.no-demands".into()),
            },
            RuleInfo {
                id: "courtesy.missing-thanks".into(),
                message: "The letter does not thank the customer".into(),
                why: None,
                severity: Severity::Warning,
                pack: "courtesy".into(),
                help_uri: None,
            },
            RuleInfo {
                id: "limit.sentence-length".into(),
                message: "A sentence is too long".into(),
                why: None,
                severity: Severity::Info,
                pack: "limit".into(),
                help_uri: None,
            },
        ]
    }

    /// Renders the fixture in `format`, for 28 letters, without colour.
    pub fn render(format: Format) -> String {
        let diagnostics = diagnostics();
        let rules = rules();
        let invoice = invoice();
        let sources = [&invoice];
        let templates = ["invoice".to_string(), "reminder".to_string()];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &rules,
            sources: &sources,
            letters: 28,
            not_rendered: 0,
            templates: &templates,
            color: false,
        };
        let mut out = Vec::new();
        write(format, &report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use crate::Diagnostic;

    #[test]
    fn one_warning_as_a_github_annotation_with_the_closing_line() {
        let diagnostics = [Diagnostic::warning("record.unknown-field", "`nip` is not a field")];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &[],
            sources: &[],
            letters: 3,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        let mut out = Vec::new();
        write(Format::Github, &report, &mut out).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "::warning title=record.unknown-field::`nip` is not a field\n1 warning in 3 letters\n"
        );
    }

    use super::*;

    #[test]
    fn summary_counts_levels_rules_and_templates() {
        let summary = Summary::of(&fixture::diagnostics());
        assert_eq!((summary.errors, summary.warnings, summary.infos, summary.suppressed), (1, 1, 0, 1));
        assert_eq!(summary.by_rule["courtesy.no-demands"], Counts { errors: 1, ..Counts::default() });
        assert_eq!(summary.by_rule["courtesy.missing-thanks"], Counts { suppressed: 1, ..Counts::default() });
        assert_eq!(summary.by_template["invoice"], Counts { errors: 1, warnings: 1, ..Counts::default() });
        assert_eq!(summary.by_template["reminder"].total(), 1);
        assert_eq!(summary.line(28, 0), "1 error, 1 warning, 1 suppressed in 28 letters");
    }

    #[test]
    fn summary_line_pluralises_and_says_when_there_is_nothing() {
        assert_eq!(Summary::of(&[]).line(1, 0), "no findings in 1 letter");
        assert_eq!(Summary::of(&[Diagnostic::error("a", "x")]).line(57, 7), "1 error in 64 letters (7 not rendered)");
        assert_eq!(Summary::of(&[]).line(0, 1), "no findings in 1 letter (1 not rendered)");
        let two = [Diagnostic::error("a", "x"), Diagnostic::error("a", "y"), Diagnostic::new(Severity::Info, "b", "z")];
        assert_eq!(Summary::of(&two).line(2, 0), "2 errors, 1 info in 2 letters");
    }

    #[test]
    fn order_does_not_depend_on_input_order() {
        let mut list = fixture::diagnostics();
        let forward: Vec<String> = sorted(&list).iter().map(|d| d.code.clone()).collect();
        list.reverse();
        let backward: Vec<String> = sorted(&list).iter().map(|d| d.code.clone()).collect();
        assert_eq!(forward, backward);
        assert_eq!(forward, ["record.unknown-field", "courtesy.no-demands", "courtesy.missing-thanks"]);
    }

    #[test]
    fn source_lines_are_found_by_file_and_line() {
        let invoice = fixture::invoice();
        let sources = [&invoice];
        let report = Report {
            diagnostics: &[],
            rules: &[],
            sources: &sources,
            letters: 0,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        assert_eq!(report.source_line("templates/invoice.tera", 2), Some("Szanowna Pani,"));
        assert_eq!(report.source_line("templates/invoice.tera", 0), None);
        assert_eq!(report.source_line("templates/other.tera", 1), None);
    }
}
