//! `missive test`'s outcome for tools: JSON, SARIF, GitLab Code Quality and JUnit XML.
//!
//! A snapshot that differs, is missing, is not a snapshot or is left behind is a finding at the
//! snapshot file (code `snapshot.changed`, `snapshot.new`, `snapshot.corrupt`, `snapshot.stale`;
//! `snapshot.failed` for a letter that does not render), on the first line the change touches.
//! JUnit gets one test case per letter (fixture × locale), passing ones included. Messages name
//! the pending `.snap.new` that holds the letter as it renders now.

use std::io::{self, Write};

use serde_json::json;

use super::gitlab::{Issue, write_issues};
use super::junit::{Case, Outcome as Failure, Suite, Suites};
use super::{Format, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::snapshot::{Outcome, Status, pending};
use crate::source::Location;

/// Writes `outcome` in `format`: [`Format::Json`], [`Format::Sarif`], [`Format::Gitlab`] or
/// [`Format::Junit`] (the text and GitHub forms are the command's own).
pub fn write(format: Format, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => json(outcome, out),
        Format::Gitlab => write_issues(&issues(outcome), out),
        Format::Junit => junit(outcome).write(out),
        _ => {
            let diagnostics = diagnostics(outcome);
            let failed = outcome.cases.iter().filter(|c| matches!(c.status, Status::Failed(_))).count();
            let report = Report {
                diagnostics: &diagnostics,
                rules: &[],
                sources: &[],
                letters: outcome.cases.len() - failed,
                not_rendered: failed,
                templates: &[],
                color: false,
            };
            super::write(format, &report, out)
        }
    }
}

/// One problem of the run: its code, the snapshot file, the line, what to say and the details.
struct Problem<'a> {
    code: &'static str,
    path: &'a str,
    line: usize,
    message: String,
    detail: Option<&'a str>,
    letter: Option<(&'a str, &'a str, &'a str)>,
}

fn problems(outcome: &Outcome) -> Vec<Problem<'_>> {
    let mut list = Vec::new();
    for case in &outcome.cases {
        let letter = Some((case.template.as_str(), case.case.as_str(), case.locale.as_str()));
        let (code, line, message, detail) = match &case.status {
            Status::Same
            | Status::New { written: true }
            | Status::Changed { written: true, .. }
            | Status::Corrupt { written: true, .. } => continue,
            Status::New { .. } => (
                "snapshot.new",
                1,
                format!("no snapshot yet: the letter is pending in {}; {REVIEW} and commit it", waiting(case)),
                None,
            ),
            Status::Changed { diff, .. } => (
                "snapshot.changed",
                first_line(diff),
                format!("the letter differs from its snapshot; pending in {}", waiting(case)),
                Some(diff.as_str()),
            ),
            Status::Corrupt { why, .. } => (
                "snapshot.corrupt",
                1,
                format!("not a valid snapshot: {why}; the letter is pending in {}", waiting(case)),
                None,
            ),
            Status::Failed(why) => ("snapshot.failed", 1, format!("the letter does not render: {why}"), None),
        };
        list.push(Problem { code, path: &case.path, line, message, detail, letter });
    }
    for (path, removed) in &outcome.stale {
        if !removed {
            let message = "nothing renders this snapshot any more; `missive test --update` removes it".to_string();
            list.push(Problem { code: "snapshot.stale", path, line: 1, message, detail: None, letter: None });
        }
    }
    list
}

/// What to do with a pending file.
const REVIEW: &str = "accept it with `missive test --review` (or `--accept`)";

/// The pending file of a letter, or what writes it when none was written.
fn waiting(case: &crate::snapshot::Case) -> String {
    if case.pending { pending::path_of(&case.path) } else { "no file (run `missive test`)".to_string() }
}

/// The first line of the snapshot a unified diff touches (`@@ -12,7 …` → 15, past the context).
fn first_line(diff: &str) -> usize {
    let mut line = None;
    for text in diff.lines() {
        if let Some(rest) = text.strip_prefix("@@ -") {
            let start = rest.split([',', ' ']).next().and_then(|n| n.parse::<usize>().ok());
            line = start.map(|n| n.max(1));
            continue;
        }
        let Some(at) = line.as_mut() else { continue };
        match text.as_bytes().first() {
            Some(b'-' | b'+') => return *at,
            _ => *at += 1,
        }
    }
    line.unwrap_or(1)
}

/// The problems as findings, for SARIF.
pub fn diagnostics(outcome: &Outcome) -> Vec<Diagnostic> {
    problems(outcome)
        .into_iter()
        .map(|p| {
            let message = match p.detail {
                Some(detail) => format!("{}\n{detail}", p.message),
                None => p.message,
            };
            let mut d = Diagnostic::new(Severity::Error, p.code, message).at(Some(Location {
                file: p.path.to_string(),
                line: p.line,
                column: 1,
                length: 0,
            }));
            if let Some((template, case, locale)) = p.letter {
                d.template = Some(template.to_string());
                d.locale = Some(locale.to_string());
                d.origin = Some(format!("fixtures/{template}/{case}.json"));
            }
            d
        })
        .collect()
}

/// The problems as Code Quality issues; a fingerprint is the code and the file, so a snapshot
/// that keeps differing stays one issue however its diff changes.
fn issues(outcome: &Outcome) -> Vec<Issue> {
    problems(outcome)
        .into_iter()
        .map(|p| {
            let letter = p.letter.map(|(t, c, l)| format!("{t}/{c} [{l}]: ")).unwrap_or_default();
            let mut description = format!("{letter}{}", p.message);
            if let Some(detail) = p.detail {
                description.push('\n');
                description.push_str(detail);
            }
            Issue::new(p.code, Severity::Error, description, p.path, p.line, &[p.code, p.path])
        })
        .collect()
}

/// One suite per template, one case per letter; stale snapshots in a suite of their own.
fn junit(outcome: &Outcome) -> Suites {
    let mut suites = Suites { name: "missive test".into(), suites: Vec::new() };
    for case in &outcome.cases {
        if suites.suites.last().is_none_or(|s| s.name != case.template) {
            suites.suites.push(Suite { name: case.template.clone(), cases: Vec::new() });
        }
        let mut test = Case {
            name: format!("{} [{}]", case.case, case.locale),
            classname: format!("fixtures.{}", case.template),
            ..Case::default()
        };
        let fail = |kind: &str, message: String, body: &str| {
            Some(Failure { message, kind: kind.to_string(), body: body.to_string() })
        };
        match &case.status {
            Status::Same => {}
            Status::New { written: true }
            | Status::Changed { written: true, .. }
            | Status::Corrupt { written: true, .. } => {
                test.system_out = Some(format!("wrote {}", case.path));
            }
            Status::New { .. } => {
                test.failure = fail(
                    "snapshot.new",
                    format!("no snapshot yet: {}", case.path),
                    &format!("the letter is pending in {}; {REVIEW} and commit it", waiting(case)),
                );
            }
            Status::Changed { diff, .. } => {
                test.failure = fail("snapshot.changed", format!("the letter differs from {}", case.path), diff);
            }
            Status::Corrupt { why, .. } => {
                test.failure = fail("snapshot.corrupt", format!("{} is not a valid snapshot", case.path), why);
            }
            Status::Failed(why) => test.error = fail("snapshot.failed", "the letter does not render".into(), why),
        }
        if let Some(suite) = suites.suites.last_mut() {
            suite.cases.push(test);
        }
    }
    let stale: Vec<Case> = outcome
        .stale
        .iter()
        .map(|(path, removed)| Case {
            name: path.clone(),
            classname: "fixtures.stale".into(),
            failure: (!removed).then(|| Failure {
                message: "nothing renders this snapshot any more".into(),
                kind: "snapshot.stale".into(),
                body: "`missive test --update` removes it".into(),
            }),
            system_out: removed.then(|| format!("removed {path}")),
            ..Case::default()
        })
        .collect();
    if !stale.is_empty() {
        suites.suites.push(Suite { name: "stale snapshots".into(), cases: stale });
    }
    suites
}

/// `{ "version": 1, "passes", "summary": {…}, "cases": [...], "stale": [...], "cleaned": [...] }`;
/// a case's `pending` is the `.snap.new` holding its letter, when there is one.
fn json(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let (mut same, mut changed, mut new, mut failed) = (0, 0, 0, 0);
    let cases: Vec<serde_json::Value> = outcome
        .cases
        .iter()
        .map(|case| {
            let mut value = json!({
                "template": case.template, "case": case.case, "locale": case.locale, "path": case.path,
                "pending": case.pending.then(|| pending::path_of(&case.path)),
            });
            let (status, written) = match &case.status {
                Status::Same => {
                    same += 1;
                    ("same", None)
                }
                Status::New { written } => {
                    new += 1;
                    ("new", Some(*written))
                }
                Status::Changed { diff, written, .. } => {
                    changed += 1;
                    value["diff"] = json!(diff);
                    ("changed", Some(*written))
                }
                Status::Corrupt { why, written } => {
                    changed += 1;
                    value["why"] = json!(why);
                    ("corrupt", Some(*written))
                }
                Status::Failed(why) => {
                    failed += 1;
                    value["why"] = json!(why);
                    ("failed", None)
                }
            };
            value["status"] = json!(status);
            if let Some(written) = written {
                value["written"] = json!(written);
            }
            value
        })
        .collect();
    let stale: Vec<serde_json::Value> =
        outcome.stale.iter().map(|(path, removed)| json!({ "path": path, "removed": removed })).collect();
    let cleaned: Vec<serde_json::Value> =
        outcome.cleaned.iter().map(|(path, why)| json!({ "path": path, "why": why })).collect();
    let document = json!({
        "version": 1,
        "passes": !outcome.fails(),
        "summary": {
            "letters": outcome.cases.len(), "same": same, "changed": changed, "new": new,
            "failed": failed, "stale": outcome.stale.len(),
            "pending": outcome.cases.iter().filter(|c| c.pending).count(),
        },
        "cases": cases,
        "stale": stale,
        "cleaned": cleaned,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Case as Letter;

    fn outcome() -> Outcome {
        let letter = |case: &str, locale: &str, status| Letter {
            template: "invoice".into(),
            case: case.into(),
            locale: locale.into(),
            path: format!("fixtures/invoice/{case}.{locale}.snap"),
            pending: matches!(status, Status::Changed { .. }),
            status,
        };
        let diff = crate::snapshot::diff("a\nb\nc\nd\ne\n", "a\nb\nc\nD & <E>\ne\n", "fixtures/invoice/basic.pl.snap");
        let change = crate::snapshot::change::Change::default();
        Outcome {
            cases: vec![
                letter("basic", "pl", Status::Changed { diff, change, written: false }),
                letter("basic", "en", Status::Same),
                letter("broken", "pl", Status::Failed("`total` is \"x\" ]]>".into())),
            ],
            stale: vec![("fixtures/gone/x.pl.snap".into(), false)],
            cleaned: vec![],
        }
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        write(format, &outcome(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_diff_points_at_its_first_changed_line() {
        assert_eq!(first_line("--- a\n+++ b\n@@ -2,4 +2,4 @@\n b\n c\n-d\n+D\n"), 4);
        assert_eq!(first_line(""), 1);
    }

    #[test]
    fn junit_has_a_case_per_letter_and_escapes_the_diff() {
        let got = render(Format::Junit);
        assert!(got.contains("<testsuites name=\"missive test\" tests=\"4\" failures=\"2\" errors=\"1\""), "{got}");
        assert!(got.contains("<testcase name=\"basic [en]\" classname=\"fixtures.invoice\" time=\"0\"/>"), "{got}");
        assert!(got.contains("+D &amp; &lt;E&gt;\n"), "{got}");
        assert!(got.contains("type=\"snapshot.failed\">`total` is \"x\" ]]&gt;</error>"), "{got}");
    }

    #[test]
    fn gitlab_and_sarif_point_at_the_snapshot_file() {
        let issues: serde_json::Value = serde_json::from_str(&render(Format::Gitlab)).unwrap();
        assert_eq!(issues.as_array().unwrap().len(), 3);
        assert_eq!(issues[0]["check_name"], "snapshot.changed");
        assert_eq!(issues[0]["location"], json!({ "path": "fixtures/invoice/basic.pl.snap", "lines": { "begin": 4 } }));
        assert_eq!(issues[2]["check_name"], "snapshot.stale");
        let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
        assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
        let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(json["summary"]["changed"], 1);
        assert_eq!(json["summary"]["pending"], 1);
        assert_eq!(json["cases"][0]["pending"], "fixtures/invoice/basic.pl.snap.new");
        assert_eq!(json["cases"][1]["pending"], serde_json::Value::Null);
        assert!(issues[0]["description"].as_str().unwrap().contains("pending in fixtures/invoice/basic.pl.snap.new"));
        assert_eq!(json["passes"], false);
    }
}
