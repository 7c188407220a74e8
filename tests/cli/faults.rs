//! The fault catalogue: one file per hostile case under `tests/faults/`, each with its expected
//! outcome, run through the real binary — `render` in every format, and `batch` to a folder and
//! an mbox with good records around the hostile one. Adding a case is adding a file; the format
//! is described in `tests/faults/README.md`.
//!
//! Whatever a case expects, no run may panic, hang or exit with anything but 0, 1 or 2, and a
//! batch never loses the good records around a bad one.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::harness::{Project, Run, bundled_root};

/// One case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Case {
    /// What the case is and which defect it keeps out.
    what: String,
    pub(crate) template: String,
    /// A fixture (under `fixtures/`) the record starts from.
    #[serde(default)]
    base: Option<String>,
    /// Dotted paths set in the record (JSON values).
    #[serde(default)]
    set: BTreeMap<String, Json>,
    /// Dotted paths removed from the record.
    #[serde(default)]
    remove: Vec<String>,
    /// The record as raw text instead (for what a JSON value cannot hold: repeated keys).
    #[serde(default)]
    json: Option<String>,
    /// Extra arguments for `render` and `batch` (settings).
    #[serde(default)]
    pub(crate) args: Vec<String>,
    /// Files and FIFOs to create in the standard first.
    #[serde(default)]
    setup: Setup,
    #[serde(default)]
    pub(crate) render: Option<RenderExpect>,
    #[serde(default)]
    batch: Option<BatchExpect>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default)]
    fifos: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RenderExpect {
    /// The exit code of every format…
    pub(crate) exit: i32,
    /// …except these (`text`, `html`, `json`, `eml`, `pdf`).
    #[serde(default)]
    pub(crate) formats: BTreeMap<String, i32>,
    /// A failing run's stderr names this field.
    #[serde(default)]
    field: Option<String>,
    /// A failing run's stderr contains each of these.
    #[serde(default)]
    contains: Vec<String>,
    /// A letter that renders holds this text literally (text format).
    #[serde(default)]
    literal: Option<String>,
    /// A letter that renders warns with this code (json format).
    #[serde(default)]
    warning: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchExpect {
    exit: i32,
    /// The case's record is rejected (else delivered).
    #[serde(default)]
    rejected: bool,
    /// The reject names this field.
    #[serde(default)]
    field: Option<String>,
    /// The reject's (or, for exit 2, stderr's) text contains each of these.
    #[serde(default)]
    contains: Vec<String>,
    /// The case's record once per key (else once, keyed `HOSTILE`).
    #[serde(default)]
    keys: Vec<String>,
    /// How many files a folder run leaves (default: one per delivered letter).
    #[serde(default)]
    files: Option<usize>,
    /// Arguments for `batch` only (test hooks, `--key`).
    #[serde(default)]
    args: Vec<String>,
    /// The case makes missive panic on purpose (a test hook): its stderr says so.
    #[serde(default)]
    panics: bool,
    /// The input as CSV text instead of JSON Lines around the case's record, with the letters
    /// expected done and rejected.
    #[serde(default)]
    csv: Option<String>,
    #[serde(default)]
    done: Option<usize>,
    #[serde(default)]
    rejected_count: Option<usize>,
    /// The destinations to run (`folder`, `mbox`; default both).
    #[serde(default)]
    destinations: Vec<String>,
}

const FORMATS: [&str; 5] = ["text", "html", "json", "eml", "pdf"];

pub(crate) fn cases() -> Vec<(String, Case)> {
    let dir = bundled_root().join("tests/faults");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/faults/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().expect("name").to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).expect("case file");
            let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, case)
        })
        .collect()
}

/// The case's record as JSON text.
pub(crate) fn record_text(case: &Case) -> String {
    if let Some(json) = &case.json {
        return json.clone();
    }
    let base = base_of(case);
    let text = std::fs::read_to_string(bundled_root().join("fixtures").join(&base)).expect("base fixture");
    let mut record: Map<String, Json> = serde_json::from_str(&text).expect("fixture JSON");
    for path in &case.remove {
        let (parent, last) = walk(&mut record, path);
        parent.remove(last);
    }
    for (path, value) in &case.set {
        let (parent, last) = walk(&mut record, path);
        parent.insert(last.to_string(), value.clone());
    }
    serde_json::to_string(&record).expect("serialise")
}

/// The fixture a case starts from: its `base`, else the template's `typical.json`, else its
/// first fixture.
fn base_of(case: &Case) -> String {
    if let Some(base) = &case.base {
        return base.clone();
    }
    let dir = bundled_root().join("fixtures").join(&case.template);
    if dir.join("typical.json").exists() {
        return format!("{}/typical.json", case.template);
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the template's fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    format!("{}/{}", case.template, names.first().expect("a fixture"))
}

fn walk<'a, 'p>(record: &'a mut Map<String, Json>, path: &'p str) -> (&'a mut Map<String, Json>, &'p str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let last = segments.pop().expect("a path");
    let mut node = record;
    for segment in segments {
        let entry = node.entry(segment.to_string()).or_insert_with(|| Json::Object(Map::new()));
        node = entry.as_object_mut().expect("an object on the path");
    }
    (node, last)
}

fn set_up(project: &Project, setup: &Setup) {
    for (path, text) in &setup.files {
        project.write(path, text);
    }
    for path in &setup.fifos {
        let status = Command::new("mkfifo").arg(project.path().join(path)).status().expect("mkfifo");
        assert!(status.success(), "mkfifo {path}");
    }
}

/// What holds for every run of every case.
#[track_caller]
fn sane(name: &str, what: &str, run: &Run) {
    sane_exit(name, what, run);
    for sign in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(!run.stderr.contains(sign), "{name} ({what}): {sign}\n{}", run.stderr);
    }
}

#[track_caller]
fn sane_exit(name: &str, what: &str, run: &Run) {
    assert!(matches!(run.code, 0..=2), "{name} ({what}): exit {} — a panic or a signal\n{}", run.code, run.stderr);
}

/// Runs `missive` with a time limit: a hang is a failure, not a stuck suite.
fn run_bounded(project: &Project, args: &[&str], stdin: Option<&str>) -> Run {
    project.run_within(args, stdin, std::time::Duration::from_secs(60))
}

/// The header names of an email, as Python's strict parser reads them.
fn header_names(path: &Path) -> Json {
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/email_check.py"))
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "strict parser refused {}: {}", path.display(), String::from_utf8_lossy(&out.stdout));
    let parsed: Json = serde_json::from_slice(&out.stdout).expect("checker JSON");
    parsed["headers"].clone()
}

fn check_render(name: &str, case: &Case, expect: &RenderExpect, project: &Project, record: &str) {
    // A clean letter's headers, to hold a hostile letter's to.
    let base_headers = {
        let clean = base_of(case);
        let mut args = vec!["render", &case.template, "--data"];
        let clean_path = format!("fixtures/{clean}");
        args.extend([clean_path.as_str(), "--format", "eml", "-o", "clean.eml"]);
        project.run(&args).expect(0);
        header_names(&project.path().join("clean.eml"))
    };
    for format in FORMATS {
        let out = format!("letter.{format}");
        let mut args = vec!["render", case.template.as_str(), "--data", "-", "--format", format, "-o", out.as_str()];
        args.extend(case.args.iter().map(String::as_str));
        let run = run_bounded(project, &args, Some(record));
        let what = format!("render --format {format}");
        sane(name, &what, &run);
        let code = expect.formats.get(format).copied().unwrap_or(expect.exit);
        assert_eq!(run.code, code, "{name} ({what}): exit code\n{}", run.stderr);
        if run.code == 2 {
            if let Some(field) = &expect.field {
                assert!(run.stderr.contains(field.as_str()), "{name} ({what}): names `{field}`\n{}", run.stderr);
            }
            for text in &expect.contains {
                assert!(run.stderr.contains(text.as_str()), "{name} ({what}): says {text:?}\n{}", run.stderr);
            }
            continue;
        }
        let written = project.path().join(&out);
        match format {
            "eml" => assert_eq!(header_names(&written), base_headers, "{name}: the header list changed"),
            "text" => {
                if let Some(literal) = &expect.literal {
                    let text = std::fs::read_to_string(&written).expect("letter");
                    assert!(text.contains(literal.as_str()), "{name}: {literal:?} not in\n{text}");
                }
            }
            "json" => {
                if let Some(code) = &expect.warning {
                    let text = std::fs::read_to_string(&written).expect("letter");
                    assert!(text.contains(&format!("\"{code}\"")), "{name}: no warning {code} in\n{text}");
                }
            }
            _ => assert!(written.metadata().expect("written").len() > 0, "{name} ({what}): an empty letter"),
        }
    }
}

fn check_batch(name: &str, case: &Case, expect: &BatchExpect, project: &Project, record: &str) {
    let good = std::fs::read_to_string(bundled_root().join("fixtures").join(base_of(case))).expect("good fixture");
    let good: Map<String, Json> = serde_json::from_str(&good).expect("JSON");
    let keyed = |mut r: Map<String, Json>, key: &str| {
        r.insert("key".into(), Json::String(key.into()));
        serde_json::to_string(&r).expect("serialise")
    };
    let keys = if expect.keys.is_empty() { vec!["HOSTILE".to_string()] } else { expect.keys.clone() };
    let mut lines = vec![keyed(good.clone(), "GOOD-1")];
    for key in &keys {
        lines.push(match serde_json::from_str::<Map<String, Json>>(record) {
            Ok(r) if case.json.is_none() => keyed(r, key),
            _ => record.replace('\n', " "),
        });
    }
    lines.push(keyed(good, "GOOD-2"));
    let hostile = keys.len();
    for destination in ["folder", "mbox"] {
        if !expect.destinations.is_empty() && !expect.destinations.iter().any(|d| d == destination) {
            continue;
        }
        let data = match &expect.csv {
            Some(csv) => {
                project.write(&format!("{destination}.csv"), csv);
                format!("{destination}.csv")
            }
            None => {
                project.write(&format!("{destination}.jsonl"), &(lines.join("\n") + "\n"));
                format!("{destination}.jsonl")
            }
        };
        let (flag, target) = if destination == "folder" { ("--out-dir", "out-folder") } else { ("--mbox", "out.mbox") };
        let mut args = vec!["batch", case.template.as_str(), "--data", &data, flag, target];
        args.extend(case.args.iter().chain(&expect.args).map(String::as_str));
        let summary = format!("{destination}.summary.json");
        args.extend(["--summary", &summary]);
        let run = run_bounded(project, &args, None);
        let what = format!("batch to {destination}");
        if expect.panics {
            sane_exit(name, &what, &run);
        } else {
            sane(name, &what, &run);
        }
        assert_eq!(run.code, expect.exit, "{name} ({what}): exit code\n{}\n{}", run.stdout, run.stderr);
        if run.code == 2 {
            for text in &expect.contains {
                assert!(run.stderr.contains(text.as_str()), "{name} ({what}): says {text:?}\n{}", run.stderr);
            }
            continue;
        }
        let s: Json = serde_json::from_str(&std::fs::read_to_string(project.path().join(&summary)).expect("summary"))
            .expect("summary JSON");
        let rejected = expect.rejected_count.unwrap_or(if expect.rejected { hostile } else { 0 });
        let delivered = expect.done.unwrap_or(hostile + 2 - rejected);
        assert_eq!(s["rejected"], rejected, "{name} ({what}): {s}");
        assert_eq!(s["done"], delivered, "{name} ({what}): every good record delivered: {s}");
        if destination == "folder" {
            let files = std::fs::read_dir(project.path().join(target)).expect("folder").count();
            assert_eq!(files, expect.files.unwrap_or(delivered), "{name} ({what}): files");
        }
        if expect.rejected {
            let report = format!("{target}.rejects.jsonl");
            let text = std::fs::read_to_string(project.path().join(&report)).expect("rejects report");
            assert_eq!(text.lines().count(), rejected, "{name} ({what}): one reject line per rejected record");
            for line in text.lines() {
                let reject: Json = serde_json::from_str(line).expect("reject JSON");
                let errors = reject["errors"].to_string();
                if let Some(field) = &expect.field {
                    let named = reject["errors"].as_array().expect("errors").iter().any(|e| e["field"] == **field);
                    assert!(named, "{name} ({what}): the reject's field is `{field}`: {reject}");
                }
                for text in &expect.contains {
                    assert!(errors.contains(text.as_str()), "{name} ({what}): says {text:?}: {reject}");
                }
            }
        }
        let _ = std::fs::remove_dir_all(project.path().join("out-folder"));
        for leftover in
            ["out-folder.journal", "out-folder.rejects.jsonl", "out.mbox", "out.mbox.journal", "out.mbox.rejects.jsonl"]
        {
            let _ = std::fs::remove_file(project.path().join(leftover));
        }
    }
}

#[test]
fn every_case_in_the_catalogue_has_its_outcome() {
    let cases = cases();
    assert!(cases.len() >= 15, "the catalogue has its cases: {}", cases.len());
    let mut failed = Vec::new();
    for (name, case) in &cases {
        let outcome = std::panic::catch_unwind(|| {
            assert!(!case.what.trim().is_empty(), "{name}: say what the case is");
            assert!(case.render.is_some() || case.batch.is_some(), "{name}: expects nothing");
            let project = Project::bundled();
            set_up(&project, &case.setup);
            let record = record_text(case);
            if let Some(expect) = &case.render {
                check_render(name, case, expect, &project, &record);
            }
            if let Some(expect) = &case.batch {
                check_batch(name, case, expect, &project, &record);
            }
        });
        if outcome.is_err() {
            failed.push(name.as_str());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed (each one's message is above): {failed:?}",
        failed.len(),
        cases.len()
    );
}
