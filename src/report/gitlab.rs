//! The GitLab Code Quality report (`artifacts: reports: codequality:`): a JSON array of issues,
//! each with a description, a check name, a fingerprint, a severity and a file and line.
//!
//! GitLab compares the fingerprints of a merge request's report with the target branch's to
//! say which issues are new and which are fixed, so a fingerprint depends on what the finding
//! is (rule, file, line, the text found), never on the order of findings or on how many
//! fixtures showed it. Findings with the same fingerprint are one issue ("in 7 letters").
//! Suppressed findings are left out: GitLab has no notion of an accepted issue.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Report, letter_of, sorted};
use crate::diagnostic::{Diagnostic, Severity};

/// One Code Quality issue, as GitLab documents it ("Code Quality report format").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// What is wrong, for people.
    pub description: String,
    /// The rule or check (`courtesy.missing-thanks`).
    pub check_name: String,
    /// A stable id of the issue (32 hex digits).
    pub fingerprint: String,
    /// `info`, `minor`, `major`, `critical` or `blocker`.
    pub severity: &'static str,
    /// Where: a file relative to the repository and a line.
    pub location: IssueLocation,
}

/// An issue's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueLocation {
    /// The file, relative to the standard's folder (the repository root in a template repository).
    pub path: String,
    /// Its line.
    pub lines: Lines,
}

/// The first line of an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lines {
    /// 1-based.
    pub begin: usize,
}

impl Issue {
    /// An issue whose fingerprint is made of `identity` (each part fed to the hash in turn).
    pub fn new(
        check_name: &str,
        severity: Severity,
        description: String,
        path: &str,
        line: usize,
        identity: &[&str],
    ) -> Issue {
        Issue {
            description,
            check_name: check_name.to_string(),
            fingerprint: fingerprint(identity),
            severity: severity_name(severity),
            location: IssueLocation { path: path.to_string(), lines: Lines { begin: line.max(1) } },
        }
    }
}

/// Writes the findings as a Code Quality report.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    write_issues(&issues(report.diagnostics), out)
}

/// Writes `issues` as a pretty JSON array with a final newline.
pub fn write_issues(issues: &[Issue], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, issues)?;
    writeln!(out)
}

/// The active findings as issues, one per fingerprint, in report order.
pub fn issues(diagnostics: &[Diagnostic]) -> Vec<Issue> {
    let mut groups: BTreeMap<String, (usize, &Diagnostic, Vec<String>)> = BTreeMap::new();
    for (i, d) in sorted(diagnostics).into_iter().filter(|d| d.suppressed.is_none()).enumerate() {
        let (path, line) = place(d);
        let line = line.to_string();
        let key = fingerprint(&[&d.code, &path, &line, d.found.as_deref().unwrap_or(&d.message)]);
        let entry = groups.entry(key).or_insert_with(|| (i, d, Vec::new()));
        // The same rule at the same place at a higher level speaks for the group.
        if d.severity > entry.1.severity {
            entry.1 = d;
        }
        if let Some(letter) = letter_of(d) {
            entry.2.push(letter);
        }
    }
    let mut list: Vec<(usize, Issue)> = groups
        .into_values()
        .map(|(first, d, letters)| {
            let (path, line) = place(d);
            let line_text = line.to_string();
            let found = d.found.as_deref().unwrap_or(&d.message);
            let issue = Issue::new(
                &d.code,
                d.severity,
                description(d, &letters),
                &path,
                line,
                &[&d.code, &path, &line_text, found],
            );
            (first, issue)
        })
        .collect();
    list.sort_by_key(|(first, _)| *first);
    list.into_iter().map(|(_, issue)| issue).collect()
}

/// The file and line of a finding; one without a place is put on its template's file, or else
/// on `missive.toml` (GitLab requires a path and a line).
fn place(d: &Diagnostic) -> (String, usize) {
    match (&d.location, &d.template) {
        (Some(location), _) => (location.file.trim_start_matches("./").replace('\\', "/"), location.line),
        (None, Some(template)) => (format!("templates/{template}.tera"), 1),
        (None, None) => ("missive.toml".to_string(), 1),
    }
}

/// `message (found: „…”; write instead: …) — in 3 letters: invoice, pl, fixtures/…; …`
fn description(d: &Diagnostic, letters: &[String]) -> String {
    let mut text = d.message.clone();
    let mut extra = Vec::new();
    if let Some(found) = &d.found {
        extra.push(format!("found: „{found}”"));
    }
    if let Some(suggestion) = &d.suggestion {
        extra.push(format!("write instead: {suggestion}"));
    }
    if !extra.is_empty() {
        text.push_str(&format!(" ({})", extra.join("; ")));
    }
    match letters {
        [] => {}
        [one] => text.push_str(&format!(" — letter: {one}")),
        many => text.push_str(&format!(" — in {} letters: {}", many.len(), many.join("; "))),
    }
    if let Some(help) = &d.help {
        text.push_str(&format!(". Help: {help}"));
    }
    text
}

/// GitLab's severity for ours, as eslint-formatter-gitlab and others map lint levels: an error
/// fails the pipeline but is no `blocker` (GitLab's word for a security stop).
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// 32 hex digits from two independent FNV-1a hashes of the parts, each part length-prefixed so
/// that `("ab", "c")` and `("a", "bc")` differ.
fn fingerprint(parts: &[&str]) -> String {
    let mut a = crate::hash::Fnv::new();
    let mut b = crate::hash::Fnv::with_seed(0x6769_746c_6162);
    for part in parts {
        for hash in [&mut a, &mut b] {
            hash.write(&(part.len() as u64).to_le_bytes());
            hash.write(part.as_bytes());
        }
    }
    format!("{:016x}{:016x}", a.finish(), b.finish())
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;
    use crate::source::Location;

    #[test]
    fn writes_one_issue_per_active_finding_with_path_and_line() {
        let got = fixture::render(Format::Gitlab);
        let value: serde_json::Value = serde_json::from_str(&got).unwrap();
        let list = value.as_array().unwrap();
        assert_eq!(list.len(), 2, "the suppressed finding is left out: {got}");
        assert_eq!(list[0]["check_name"], "record.unknown-field");
        assert_eq!(list[0]["severity"], "minor");
        assert_eq!(
            list[0]["location"],
            serde_json::json!({ "path": "templates/invoice.tera", "lines": { "begin": 1 } })
        );
        assert_eq!(list[1]["check_name"], "courtesy.no-demands");
        assert_eq!(list[1]["severity"], "major");
        assert_eq!(list[1]["location"]["lines"]["begin"], 3);
        assert_eq!(
            list[1]["description"],
            "The letter demands instead of asking (found: „prosimy o zapłatę”; write instead: uprzejmie prosimy o \
             uregulowanie) — letter: invoice, pl, fixtures/invoice/basic.json. Help: ask politely; see the courtesy pack"
        );
        assert_eq!(list[1]["fingerprint"].as_str().unwrap().len(), 32);
    }

    #[test]
    fn fingerprints_depend_on_what_is_found_not_on_order_or_letters() {
        let at = |line| Some(Location { file: "templates/a.tera".into(), line, column: 1, length: 3 });
        let finding = |line, found: &str, origin: &str| {
            let mut d = Diagnostic::error("tone.no-shouting", "Shouting").at(at(line));
            d.found = Some(found.into());
            d.template = Some("a".into());
            d.origin = Some(origin.into());
            d
        };
        let list =
            vec![finding(2, "PILNE", "f/1.json"), finding(2, "PILNE", "f/2.json"), finding(5, "UWAGA", "f/1.json")];
        let forward = issues(&list);
        assert_eq!(forward.len(), 2, "the same finding in two letters is one issue");
        assert!(forward[0].description.contains("in 2 letters"), "{}", forward[0].description);
        let mut reversed = list.clone();
        reversed.reverse();
        assert_eq!(issues(&reversed), forward);
        let alone = issues(&list[2..]);
        assert_eq!(alone[0].fingerprint, forward[1].fingerprint, "other findings do not move a fingerprint");
        assert_ne!(forward[0].fingerprint, forward[1].fingerprint);
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }
}
