//! JUnit XML, the test report every CI reads (GitLab's `artifacts: reports: junit:`, Jenkins,
//! Azure DevOps, test report actions on GitHub): the format of the Ant/Jenkins `junit-10.xsd`.
//!
//! [`Suites`] is a neutral writer used by `check` and `test`. For `check` each suite is a
//! template (plus `standard` for findings of no template), each test case a rule in force in
//! that template: a test's name then stays the same from run to run however fixtures come and
//! go, so a CI's history can say "newly failing" and "fixed" per rule and letter type, and the
//! list reads as the standard itself. Error-level findings are its failure; warnings and notes
//! go to the case's `system-out`.
//!
//! Text is escaped for XML 1.0: markup characters as entities, and characters XML cannot carry
//! at all (most C0 controls, lone surrogates cannot occur in Rust strings) as `\u{…}` text.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Report, letter_of, sorted};
use crate::diagnostic::{Diagnostic, Severity};

/// A whole report: `<testsuites>`.
#[derive(Debug, Clone, Default)]
pub struct Suites {
    /// The report's name (`missive check`).
    pub name: String,
    /// The suites, in order.
    pub suites: Vec<Suite>,
}

/// A `<testsuite>`.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    /// Its name.
    pub name: String,
    /// Its cases, in order.
    pub cases: Vec<Case>,
}

/// A `<testcase>`.
#[derive(Debug, Clone, Default)]
pub struct Case {
    /// The case's name.
    pub name: String,
    /// Its class (what groups cases in viewers).
    pub classname: String,
    /// Set when the case failed (an assertion: a finding, a differing snapshot).
    pub failure: Option<Outcome>,
    /// Set when the case could not run (a letter that does not render).
    pub error: Option<Outcome>,
    /// Set when the case was skipped, with why.
    pub skipped: Option<String>,
    /// What else it printed.
    pub system_out: Option<String>,
}

/// A failure or an error: a one-line message, a type and a longer body.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One line.
    pub message: String,
    /// A stable type (the rule id, `snapshot.changed`).
    pub kind: String,
    /// The details.
    pub body: String,
}

impl Suites {
    /// Writes the document with an XML declaration and a final newline.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let count = |f: fn(&Case) -> bool| self.suites.iter().flat_map(|s| &s.cases).filter(|c| f(c)).count();
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            // junit-10.xsd gives `testsuites` no `skipped` count; the suites carry theirs.
            "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            attr(&self.name),
            count(|_| true),
            count(|c| c.failure.is_some()),
            count(|c| c.error.is_some()),
        )?;
        for (id, suite) in self.suites.iter().enumerate() {
            let count = |f: fn(&Case) -> bool| suite.cases.iter().filter(|c| f(c)).count();
            writeln!(
                out,
                "  <testsuite name=\"{}\" id=\"{id}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
                attr(&suite.name),
                suite.cases.len(),
                count(|c| c.failure.is_some()),
                count(|c| c.error.is_some()),
                count(|c| c.skipped.is_some()),
            )?;
            for case in &suite.cases {
                write!(
                    out,
                    "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
                    attr(&case.name),
                    attr(&case.classname)
                )?;
                let empty = case.failure.is_none()
                    && case.error.is_none()
                    && case.skipped.is_none()
                    && case.system_out.is_none();
                if empty {
                    writeln!(out, "/>")?;
                    continue;
                }
                writeln!(out, ">")?;
                if let Some(why) = &case.skipped {
                    writeln!(out, "      <skipped message=\"{}\"/>", attr(why))?;
                }
                for (tag, outcome) in [("error", &case.error), ("failure", &case.failure)] {
                    if let Some(o) = outcome {
                        writeln!(
                            out,
                            "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>",
                            attr(&o.message),
                            attr(&o.kind),
                            text(&o.body)
                        )?;
                    }
                }
                if let Some(printed) = &case.system_out {
                    writeln!(out, "      <system-out>{}</system-out>", text(printed))?;
                }
                writeln!(out, "    </testcase>")?;
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}

/// Writes `check`'s findings: one suite per template, one case per rule (see the module's
/// documentation).
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    check_suites(report).write(out)
}

/// The suite name for findings of no template.
const STANDARD: &str = "standard";

fn check_suites(report: &Report<'_>) -> Suites {
    // template → rule → findings; every rule in force has a case in every template checked.
    let mut tree: BTreeMap<&str, BTreeMap<&str, Vec<&Diagnostic>>> = BTreeMap::new();
    for template in report.templates {
        let rules = tree.entry(template.as_str()).or_default();
        for rule in report.rules {
            rules.entry(rule.id.as_str()).or_default();
        }
    }
    for d in sorted(report.diagnostics) {
        let template = d.template.as_deref().unwrap_or(STANDARD);
        tree.entry(template).or_default().entry(d.code.as_str()).or_default().push(d);
    }
    let mut suites = Suites { name: "missive check".into(), suites: Vec::new() };
    // The standard's own suite (review dates, orphaned fixtures) first, then templates by name.
    let standard = tree.remove(STANDARD);
    for (template, rules) in standard.map(|r| (STANDARD, r)).into_iter().chain(tree) {
        let cases = rules.into_iter().map(|(rule, findings)| case(template, rule, &findings)).collect();
        suites.suites.push(Suite { name: template.to_string(), cases });
    }
    suites
}

/// One rule in one template.
fn case(template: &str, rule: &str, findings: &[&Diagnostic]) -> Case {
    let classname = if template == STANDARD { STANDARD.to_string() } else { format!("templates.{template}") };
    let mut case = Case { name: rule.to_string(), classname, ..Case::default() };
    let failing: Vec<&&Diagnostic> = findings.iter().filter(|d| d.fails()).collect();
    if let Some(first) = failing.first() {
        let message = if failing.len() == 1 {
            first.message.clone()
        } else {
            format!("{} ({} findings)", first.message, failing.len())
        };
        let body: Vec<String> = failing.iter().map(|d| detail(d)).collect();
        case.failure = Some(Outcome { message, kind: rule.to_string(), body: body.join("\n\n") });
    }
    let other: Vec<String> = findings.iter().filter(|d| !d.fails()).map(|d| detail(d)).collect();
    if !other.is_empty() {
        case.system_out = Some(other.join("\n\n"));
    }
    case
}

/// A finding in the words of the human report's first lines.
fn detail(d: &Diagnostic) -> String {
    let mut lines = vec![format!("{}[{}]: {}", level(d), d.code, d.message)];
    if let Some(location) = &d.location {
        lines.push(format!("  --> {location}"));
    }
    if let Some(letter) = letter_of(d) {
        lines.push(format!("  letter: {letter}"));
    }
    if let Some(found) = &d.found {
        lines.push(format!("  found: „{found}”"));
    }
    if let Some(suggestion) = &d.suggestion {
        lines.push(format!("  write instead: {suggestion}"));
    }
    if let Some(help) = &d.help {
        lines.push(format!("  help: {help}"));
    }
    if let Some(reason) = &d.suppressed {
        lines.push(format!("  suppressed: {reason}"));
    }
    lines.join("\n")
}

fn level(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Text content: `&`, `<`, `>` as entities; characters XML 1.0 cannot hold as `\u{…}`.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value: as [`text`], and quotes; tabs and line breaks as character references
/// so that they survive attribute normalisation.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute => out.push_str(&format!("&#{};", u32::from(c))),
            // `\r` in text would be read back as `\n`; keep it visible.
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if allowed(c) => out.push(c),
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn allowed(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;

    #[test]
    fn one_case_per_rule_and_template_failing_on_errors() {
        let got = fixture::render(Format::Junit);
        assert!(
            got.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"missive check\""),
            "{got}"
        );
        // invoice: 3 rules + record.unknown-field; reminder: 3 rules.
        assert!(got.contains("tests=\"7\" failures=\"1\" errors=\"0\""), "{got}");
        assert!(
            got.contains(
                "<testcase name=\"courtesy.no-demands\" classname=\"templates.invoice\" time=\"0\">\n      \
             <failure message=\"The letter demands instead of asking\" type=\"courtesy.no-demands\">"
            ),
            "{got}"
        );
        assert!(got.contains("  found: „prosimy o zapłatę”"), "{got}");
        assert!(
            got.contains("<testcase name=\"limit.sentence-length\" classname=\"templates.reminder\" time=\"0\"/>"),
            "{got}"
        );
        assert!(got.contains("<system-out>warning[record.unknown-field]"), "{got}");
        assert!(got.contains("suppressed: a final reminder thanks no one</system-out>"), "{got}");
    }

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(text("a<b & \"c\" ]]> ż\u{1}\u{fffe}\t\n"), "a&lt;b &amp; \"c\" ]]&gt; ż\\u{1}\\u{fffe}\t\n");
        assert_eq!(attr("\"x\" 'y'\n<z>\r"), "&quot;x&quot; &apos;y&apos;&#10;&lt;z&gt;&#13;");
    }
}
