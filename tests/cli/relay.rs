//! `missive batch --smtp` to a real relay: a throwaway Postfix on loopback (pipelining, its own
//! queue, asynchronous delivery to a Maildir), as a billing department's mail relay would be.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

use crate::harness::{Postfix, Project, Run, bundled_root, header};

/// A Postfix for the test, or `None` (with the reason printed) where one cannot run.
fn postfix() -> Option<Postfix> {
    match Postfix::start() {
        Ok(postfix) => Some(postfix),
        Err(why) => {
            println!("skipped: the relay tests start Postfix, and {why}");
            None
        }
    }
}

/// `n` invoice records as JSON Lines, to `klientI@example.pl`; the records numbered in
/// `bad_address` have an address that is not one. Returns the text and the good keys.
fn records(n: usize, bad_address: &[usize]) -> (String, BTreeSet<String>) {
    let mut text = String::new();
    let mut good = BTreeSet::new();
    for i in 1..=n {
        let key = format!("INV-{i:05}");
        let email =
            if bad_address.contains(&i) { "not-an-address".to_string() } else { format!("klient{i}@example.pl") };
        if !bad_address.contains(&i) {
            good.insert(key.clone());
        }
        let (name, gender) = [("Anna Kowalska", "female"), ("Jan Nowak", "male"), ("Zofia Wójcik", "female")][i % 3];
        let locale = if i % 5 == 0 { "en" } else { "pl-PL" };
        text.push_str(&format!(
            r#"{{"key": "{key}", "locale": "{locale}", "customer": {{"name": "{name}", "gender": "{gender}", "email": "{email}"}}, "invoice": {{"number": "FV/2026/11/{i:04}", "total": "{}.{:02} PLN", "due": "2026-12-{:02}", "lines": [{{"description": "Abonament", "quantity": "1", "amount": "10.00 PLN"}}]}}}}"#,
            10 + i % 900,
            i % 100,
            1 + i % 28
        ));
        text.push('\n');
    }
    (text, good)
}

fn batch(project: &Project, extra: &[&str]) -> Run {
    let mut args = vec!["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// The same run as [`batch`], killed by the test hook at `point` (`before-commit:N`: after the
/// Nth letter was accepted, before the journal says so; `after-commit:N`: right after).
fn batch_killed_at(project: &Project, extra: &[&str], point: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"])
        .args(extra)
        .current_dir(project.path())
        .env("MISSIVE_BATCH_CRASH", point)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run missive");
    assert!(status.code().is_none(), "the run was killed at {point}: {status:?}");
}

fn summary(project: &Project, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(project.path().join(name)).expect("summary");
    serde_json::from_str(&text).expect("summary JSON")
}

fn in_doubt_keys(summary: &serde_json::Value) -> BTreeSet<String> {
    let keys = summary["in_doubt"]["keys"].as_array().unwrap_or_else(|| panic!("in_doubt.keys: {summary}"));
    keys.iter().map(|k| k.as_str().expect("a key").to_string()).collect()
}

fn count(keys: &[String]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for k in keys {
        *out.entry(k.clone()).or_default() += 1;
    }
    out
}

/// Every good key arrived, and a key arrived more than once only if a summary reported it in doubt.
#[track_caller]
fn assert_at_least_once_and_doubles_reported(
    received: &[String],
    good: &BTreeSet<String>,
    in_doubt: &BTreeSet<String>,
) {
    let received = count(received);
    let missing: Vec<&String> = good.iter().filter(|k| !received.contains_key(*k)).collect();
    assert!(missing.is_empty(), "never delivered: {missing:?}");
    let strangers: Vec<&String> = received.keys().filter(|k| !good.contains(*k)).collect();
    assert!(strangers.is_empty(), "delivered but not a good record: {strangers:?}");
    let unreported: Vec<(&String, &usize)> =
        received.iter().filter(|(k, n)| **n > 1 && !in_doubt.contains(*k)).collect();
    assert!(
        unreported.is_empty(),
        "delivered more than once, never reported in doubt: {unreported:?}; in doubt: {in_doubt:?}"
    );
}

#[test]
fn a_batch_over_four_connections_to_postfix_arrives_once_each_and_parses_strictly() {
    let Some(postfix) = postfix() else { return };
    let project = Project::bundled();
    let (text, good) = records(50, &[17]);
    project.write("records.jsonl", &text);
    let url = postfix.url();
    let run = batch(&project, &["--smtp", &url, "--connections", "4", "--summary", "s.json"]).expect(1);
    assert!(run.stdout.contains("read 50, done 49, rejected 1, skipped 0"), "{}", run.stdout);

    let s = summary(&project, "s.json");
    let n = |f: &str| s[f].as_u64().unwrap_or_else(|| panic!("{f}: {s}"));
    assert_eq!((n("read"), n("done"), n("rejected"), n("skipped")), (50, 49, 1, 0), "{s}");
    assert_eq!(in_doubt_keys(&s), BTreeSet::new(), "nothing in doubt in an undisturbed run: {s}");
    assert_eq!(s["reasons"].as_object().map(|r| r.values().filter_map(|v| v.as_u64()).sum::<u64>()), Some(1), "{s}");

    let received = count(&postfix.received_keys());
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good, "every good letter, and only those");
    assert!(received.values().all(|&n| n == 1), "each exactly once: {received:?}");

    // What arrived is what a mail client reads: Python's strict parser, the right recipient,
    // the record's invoice, and Postfix's own trace headers in front of ours.
    for path in postfix.messages() {
        let out = Command::new("python3")
            .arg(bundled_root().join("tests/email_check.py"))
            .arg(&path)
            .output()
            .expect("python3 runs tests/email_check.py");
        assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("email_check.py JSON");
        let key = crate::harness::key_of_message_id(parsed["message_id"].as_str().expect("Message-ID"));
        let i: usize = key.trim_start_matches("INV-").parse().expect("INV-NNNNN");
        assert_eq!(parsed["to_addresses"], serde_json::json!([format!("klient{i}@example.pl")]), "{key}");
        assert_eq!(parsed["defects"], serde_json::json!([]), "{key}");
        let subject = parsed["subject"].as_str().expect("Subject");
        assert!(subject.contains(&format!("FV/2026/11/{i:04}")), "{key}: {subject}");
        let headers: Vec<&str> =
            parsed["headers"].as_array().expect("headers").iter().filter_map(|h| h.as_str()).collect();
        assert!(
            headers.starts_with(&["Return-Path", "X-Original-To", "Delivered-To", "Received"]),
            "{key}: {headers:?}"
        );
        let message = std::fs::read_to_string(&path).expect("message");
        let received = header(&message, "Received").expect("Received");
        assert!(received.contains("(Postfix) with ESMTP"), "{key}: {received}");
    }
}

#[test]
fn a_batch_to_postfix_killed_at_three_moments_and_resumed_delivers_every_letter() {
    for point in ["before-commit:1", "before-commit:23", "after-commit:37"] {
        let Some(postfix) = postfix() else { return };
        let project = Project::bundled();
        let (text, good) = records(60, &[]);
        project.write("records.jsonl", &text);
        let url = postfix.url();
        let destination = ["--smtp", url.as_str(), "--connections", "4"];
        batch_killed_at(&project, &destination, point);
        let before = postfix.received_keys().len();
        assert!(before < good.len(), "{point}: the kill came before the end ({before} delivered)");

        let mut resume = destination.to_vec();
        resume.extend(["--resume", "--summary", "s.json"]);
        let run = batch(&project, &resume).expect(0);
        let s = summary(&project, "s.json");
        let n = |f: &str| s[f].as_u64().unwrap_or_else(|| panic!("{f}: {s}"));
        assert_eq!(n("done") + n("skipped"), 60, "{point}: the resume finished the batch: {}", run.stdout);
        assert_eq!(n("rejected"), 0, "{point}: {s}");
        let doubtful = in_doubt_keys(&s);
        assert!(doubtful.len() <= 4, "{point}: at most the letters in flight, one per connection: {s}");
        assert!(n("skipped") as usize <= before, "{point}: the journal said done only what Postfix had: {s}");
        assert_at_least_once_and_doubles_reported(&postfix.received_keys(), &good, &doubtful);
    }
}

#[test]
fn a_batch_to_postfix_killed_three_times_then_resumed_reports_every_letter_sent_twice() {
    let Some(postfix) = postfix() else { return };
    let project = Project::bundled();
    let (text, good) = records(120, &[]);
    project.write("records.jsonl", &text);
    let url = postfix.url();
    let base = ["--smtp", url.as_str(), "--connections", "4"];
    let resume: Vec<&str> = base.iter().copied().chain(["--resume"]).collect();

    // 1 and 2: the test hook, in the first run and in a resumed one.
    batch_killed_at(&project, &base, "before-commit:10");
    batch_killed_at(&project, &resume, "after-commit:10");
    // 3: a real SIGKILL, paced so that it falls mid-run, once ten more letters reached Postfix.
    let delivered = postfix.delivered_so_far();
    let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"])
        .args(&resume)
        .args(["--rate", "40"])
        .current_dir(project.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run missive");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while postfix.delivered_so_far() < delivered + 10 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let status = child.wait().expect("wait");
    assert!(status.code().is_none(), "the third run was killed mid-run: {status:?}");
    assert!(postfix.received_keys().len() < good.len(), "the kills left letters to send");

    let mut last: Vec<&str> = resume.clone();
    last.extend(["--summary", "s.json"]);
    batch(&project, &last).expect(0);
    let s = summary(&project, "s.json");
    assert_eq!(s["done"].as_u64().expect("done") + s["skipped"].as_u64().expect("skipped"), 120, "{s}");
    // The journal holds every run's letters in doubt; the last summary reports them all.
    assert_at_least_once_and_doubles_reported(&postfix.received_keys(), &good, &in_doubt_keys(&s));
}
