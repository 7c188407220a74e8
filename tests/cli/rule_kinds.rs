//! Every rule kind's own cases: `tests/rules/<kind>/` holds a pack of rules of that kind
//! (`pack.toml`) and letters that keep it (`pass-*.toml`) and break it (`fail-*.toml`, with the
//! findings expected beside them in `fail-*.findings`). Each letter is rendered by the real
//! binary in the small standard of `tests/rules/standard/`, with the kind's pack in force.
//! Adding a case is adding a file; the format is described in `tests/rules/README.md`.
//!
//! `UPDATE_RULE_CASES=1 cargo test --test cli rule_kinds` writes the `.findings` files from what
//! the binary reports, for review like any other change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::harness::{Project, bundled_root};

/// One letter of a kind's cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows.
    what: String,
    /// The letter's language (default `pl`).
    #[serde(default)]
    locale: Option<String>,
    /// The letter's date (default 2026-11-23).
    #[serde(default)]
    today: Option<String>,
    /// The record: `body` is the letter's text; other fields as the template declares them.
    record: toml::Table,
}

/// Every kind's folder.
fn kinds() -> Vec<PathBuf> {
    let root = bundled_root().join("tests/rules");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    out.sort();
    out
}

/// The cases of a kind, by file name.
fn cases(kind: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(kind)
        .expect("kind folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.starts_with("pass-") || name.starts_with("fail-")) && name.ends_with(".toml")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_kind_keeps_its_passing_letters_and_reports_its_failing_ones() {
    let update = std::env::var_os("UPDATE_RULE_CASES").is_some();
    let kinds = kinds();
    let names: Vec<String> =
        kinds.iter().map(|k| k.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string()).collect();
    for kind in ["require", "forbid", "substitute", "limit", "field", "structure", "deadline", "promise"] {
        assert!(names.iter().any(|n| n == kind), "tests/rules/{kind}/ is missing");
    }
    let mut failures = Vec::new();
    for kind in &kinds {
        let project = Project::copy_of(&bundled_root().join("tests/rules/standard"));
        let pack = std::fs::read_to_string(kind.join("pack.toml")).expect("pack.toml");
        project.write("rules/case.toml", &pack);
        let cases = cases(kind);
        let name = |p: &Path| p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        assert!(cases.iter().any(|c| name(c).starts_with("pass-")), "{}: no passing case", kind.display());
        assert!(cases.iter().any(|c| name(c).starts_with("fail-")), "{}: no failing case", kind.display());
        for case_path in cases {
            let text = std::fs::read_to_string(&case_path).expect("case");
            let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", case_path.display()));
            let record: BTreeMap<String, toml::Value> = case.record.into_iter().collect();
            let json = serde_json::to_string_pretty(&record).expect("a record as JSON");
            let file = format!("{}.json", name(&case_path).trim_end_matches(".toml"));
            project.write(&file, &json);
            let locale = case.locale.as_deref().unwrap_or("pl");
            let today = case.today.as_deref().unwrap_or("2026-11-23");
            let run = project.run(&[
                "render",
                "letter",
                "--data",
                &file,
                "--locale",
                locale,
                "--today",
                today,
                "--allow-violations",
                "-o",
                "letter.txt",
            ]);
            let label = format!("{} ({})", case_path.display(), case.what);
            if name(&case_path).starts_with("pass-") {
                if run.code != 0 || !run.stderr.is_empty() {
                    failures.push(format!("{label}: expected no findings, got exit {}:\n{}", run.code, run.stderr));
                }
                continue;
            }
            let expected_path = case_path.with_extension("findings");
            if update {
                std::fs::write(&expected_path, &run.stderr).expect("write findings");
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected.trim().is_empty() {
                failures.push(format!("{label}: a failing case needs its findings in {}", expected_path.display()));
            } else if run.stderr != expected {
                failures
                    .push(format!("{label}: findings differ\n--- expected\n{expected}\n--- reported\n{}", run.stderr));
            } else if !matches!(run.code, 0 | 1) {
                failures.push(format!("{label}: exit {}", run.code));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
