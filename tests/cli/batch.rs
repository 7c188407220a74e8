//! `missive batch`: streaming inputs, every destination, the rejects report, the journal, crashes
//! (the process killed at several points, including between the SMTP server's acceptance and the
//! journal write) and resumes that leave every good letter delivered exactly once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{Project, Run, bundled_root};

/// `n` invoice records as JSON Lines; records whose number is in `broken` are broken in a way
/// that depends on the number (a bad address, a missing total, a line that is not JSON).
pub(crate) fn records(n: usize, broken: &[usize]) -> (String, BTreeSet<String>) {
    let mut text = String::new();
    let mut good = BTreeSet::new();
    for i in 1..=n {
        let key = format!("INV-{i:05}");
        let name = ["Anna Kowalska", "Jan Nowak", "Zofia Wójcik", "Łukasz Piątek"][i % 4];
        let gender = ["female", "male", "female", "male"][i % 4];
        let mut email = format!("klient{i}@example.pl");
        let mut total = format!(r#""total": "{}.{:02} PLN", "#, 10 + i % 900, i % 100);
        if broken.contains(&i) {
            match i % 3 {
                0 => email = "not-an-address".into(),
                1 => total = String::new(),
                _ => {
                    text.push_str(&format!("{{\"key\": \"{key}\", \"customer\": {{\"name\": \"cut off\n"));
                    continue;
                }
            }
        } else {
            good.insert(key.clone());
        }
        text.push_str(&format!(
            r#"{{"key": "{key}", "locale": "{}", "customer": {{"name": "{name}", "gender": "{gender}", "email": "{email}"}}, "invoice": {{"number": "FV/2026/11/{:04}", {total}"due": "2026-12-{:02}", "lines": [{{"description": "Abonament", "quantity": "1", "amount": "10.00 PLN"}}]}}}}"#,
            if i % 5 == 0 { "en" } else { "pl-PL" },
            i % 10000,
            1 + i % 28
        ));
        text.push('\n');
    }
    (text, good)
}

pub(crate) fn batch(project: &Project, extra: &[&str]) -> Run {
    let mut args = vec!["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// The keys of the messages in an mbox, read by Python's `mailbox` (Message-ID `<hash.KEY@…>`).
fn mbox_keys(path: &Path) -> Vec<String> {
    let script = "import mailbox, sys\nfor m in mailbox.mbox(sys.argv[1]): print(m['Message-ID'])";
    let out = Command::new("python3").args(["-c", script]).arg(path).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(key_of_message_id).collect()
}

pub(crate) fn key_of_message_id(id: &str) -> String {
    let id = id.trim().trim_start_matches('<');
    let (_, rest) = id.split_once('.').expect("hash.key");
    rest.split_once('@').expect("@domain").0.to_string()
}

pub(crate) fn rejects(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("rejects report")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

pub(crate) fn summary(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("summary")).expect("summary JSON")
}

#[test]
fn a_batch_to_mbox_delivers_the_good_records_in_order_and_explains_the_broken_ones() {
    let project = Project::bundled();
    let (text, good) = records(300, &[30, 100, 200]);
    project.write("records.jsonl", &text);
    let run = batch(&project, &["--mbox", "out.mbox", "--summary", "summary.json", "--jobs", "2"]).expect(1);
    assert!(run.stdout.contains("read 300, done 297, rejected 3"), "{}", run.stdout);
    assert!(run.stdout.contains("letters/s"), "{}", run.stdout);

    let keys = mbox_keys(&project.path().join("out.mbox"));
    assert_eq!(keys, good.iter().cloned().collect::<Vec<_>>(), "every good letter once, in input order");

    let rejected = rejects(&project.path().join("out.mbox.rejects.jsonl"));
    let by_key: BTreeMap<&str, &serde_json::Value> =
        rejected.iter().map(|r| (r["key"].as_str().expect("key"), r)).collect();
    assert_eq!(by_key.keys().copied().collect::<Vec<_>>(), ["200", "INV-00030", "INV-00100"]);
    assert_eq!(by_key["INV-00030"]["ordinal"], 30);
    assert_eq!(by_key["INV-00030"]["errors"][0]["field"], "customer.email", "{}", by_key["INV-00030"]);
    assert_eq!(by_key["INV-00100"]["errors"][0]["field"], "invoice.total");
    let cut = &by_key["200"];
    assert_eq!((cut["ordinal"].as_u64(), cut["line"].as_u64()), (Some(200), Some(200)));
    assert!(cut["errors"][0]["message"].as_str().expect("message").starts_with("line 200: not valid JSON"), "{cut}");

    let s = summary(&project.path().join("summary.json"));
    assert_eq!((s["read"].as_u64(), s["done"].as_u64(), s["rejected"].as_u64()), (Some(300), Some(297), Some(3)));
    assert!(s["letters_per_second"].as_f64().expect("rate") > 0.0);

    // The same batch again, without --resume, is refused and the journal named.
    let again = batch(&project, &["--mbox", "out.mbox"]).expect(2);
    assert!(
        again.stderr.contains("out.mbox.journal already exists (297 letters done, 3 rejected)"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("--resume"), "{}", again.stderr);
    // Resuming a finished batch does nothing more, but the batch still had rejects: exit 1.
    let resumed = batch(&project, &["--mbox", "out.mbox", "--resume"]).expect(1);
    assert!(resumed.stdout.contains("read 300, done 0, rejected 0, skipped 300"), "{}", resumed.stdout);
    assert!(resumed.stdout.contains("3 of the skipped records were rejected by an earlier run"), "{}", resumed.stdout);
    assert!(resumed.stdout.contains("out.mbox.rejects.jsonl"), "{}", resumed.stdout);
    assert_eq!(rejects(&project.path().join("out.mbox.rejects.jsonl")).len(), 3, "the earlier reasons are kept");
    assert_eq!(mbox_keys(&project.path().join("out.mbox")).len(), 297);
}

/// Kills the run (the test hook aborts the process, like `kill -9`) at `point`, then resumes
/// until done; returns the final summary.
pub(crate) fn crash_and_resume(project: &Project, destination: &[&str], point: &str) -> serde_json::Value {
    let mut args = destination.to_vec();
    args.extend(["--commit-every", "50", "--summary", "summary.json"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"])
        .args(&args)
        .current_dir(project.path())
        .env("MISSIVE_BATCH_CRASH", point)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run missive");
    let status = child.wait().expect("wait");
    assert!(!status.success() && status.code().is_none(), "the run was killed at {point}: {status:?}");
    args.push("--resume");
    let mut argv = vec!["--today", "2026-11-23"];
    argv.extend(args.iter().copied());
    let run = batch(project, &argv[2..]);
    assert!(run.code == 0 || run.code == 1, "resume: {run:?}");
    summary(&project.path().join("summary.json"))
}

#[test]
fn an_mbox_run_killed_before_or_after_a_commit_resumes_with_every_letter_once() {
    for point in ["before-commit:120", "after-commit:120", "before-commit:1"] {
        let project = Project::bundled();
        let (text, good) = records(400, &[7, 250]);
        project.write("records.jsonl", &text);
        let s = crash_and_resume(&project, &["--mbox", "out.mbox"], point);
        let keys = mbox_keys(&project.path().join("out.mbox"));
        assert_eq!(keys, good.iter().cloned().collect::<Vec<_>>(), "{point}: each good letter once, in order");
        let rejected = rejects(&project.path().join("out.mbox.rejects.jsonl"));
        assert_eq!(rejected.len(), 2, "{point}: each bad record reported once: {rejected:?}");
        assert!(s["skipped"].as_u64().expect("skipped") > 0 || point == "before-commit:1", "{point}: {s}");
    }
}

#[test]
fn a_folder_run_killed_mid_way_resumes_with_every_file_once_and_no_temporary_left() {
    let project = Project::bundled();
    let (text, good) = records(300, &[150]);
    project.write("records.jsonl", &text);
    let s = crash_and_resume(&project, &["--out-dir", "letters"], "before-commit:100");
    let mut names: Vec<String> = std::fs::read_dir(project.path().join("letters"))
        .expect("letters/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let expected: Vec<String> = good.iter().map(|k| format!("{k}.eml")).collect();
    assert_eq!(names, expected);
    let n = |f: &str| s[f].as_u64().expect("count");
    // Groups commit every 50 letters (or after a second): some were committed before the kill,
    // and not the one holding the 100th letter.
    assert!((1..100).contains(&n("skipped")), "{s}");
    assert_eq!(n("done") + n("rejected") + n("skipped"), 300, "{s}");
    let one = std::fs::read_to_string(project.path().join("letters/INV-00042.eml")).expect("a letter");
    assert!(one.contains("Message-ID: <") && one.contains(".INV-00042@example.pl>"), "{one}");
}

#[test]
fn a_real_sigkill_at_any_moment_loses_and_doubles_nothing() {
    let project = Project::bundled();
    let (text, good) = records(3000, &[1500]);
    project.write("records.jsonl", &text);
    let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--mbox", "out.mbox"])
        .args(["--commit-every", "64", "--jobs", "2"])
        .current_dir(project.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run missive");
    let mbox = project.path().join("out.mbox");
    while std::fs::metadata(&mbox).map_or(0, |m| m.len()) < 2_000_000 {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    batch(&project, &["--mbox", "out.mbox", "--resume"]).expect(1);
    assert_eq!(mbox_keys(&mbox), good.iter().cloned().collect::<Vec<_>>());
}

#[test]
fn csv_and_json_array_inputs_give_the_same_letters_and_a_runaway_quote_stops_the_run() {
    let project = Project::bundled();
    let lines = r#"[{"description": "Abonament", "quantity": "1", "amount": "10.00 PLN"}]"#;
    let csv = format!(
        "\u{feff}key,customer.name,customer.gender,customer.email,invoice.number,invoice.total,invoice.due,invoice.lines\r\n\
         C1,\"Kowalska, Anna\",female,anna@example.pl,FV/2026/11/0001,12.30 PLN,2026-12-01,\"{}\"\r\n\
         C2,Jan Nowak,male,jan@example.pl,FV/2026/11/0002,45.60 PLN,2026-12-02,\r\n",
        lines.replace('"', "\"\"")
    );
    project.write("records.csv", &csv);
    // A fixed clock: the Date header is otherwise the moment each message is built.
    let now = "2026-11-23T09:00:00+01:00";
    let run = project.run(&[
        "batch",
        "invoice",
        "--data",
        "records.csv",
        "--out-dir",
        "csv",
        "--today",
        "2026-11-23",
        "--now",
        now,
    ]);
    run.expect(0);
    let array = r#"[
      {"key": "C1", "customer": {"name": "Kowalska, Anna", "gender": "female", "email": "anna@example.pl"},
       "invoice": {"number": "FV/2026/11/0001", "total": "12.30 PLN", "due": "2026-12-01",
                   "lines": [{"description": "Abonament", "quantity": "1", "amount": "10.00 PLN"}]}},
      {"key": "C2", "customer": {"name": "Jan Nowak", "gender": "male", "email": "jan@example.pl"},
       "invoice": {"number": "FV/2026/11/0002", "total": "45.60 PLN", "due": "2026-12-02"}}
    ]"#;
    project.write("records.json", array);
    project
        .run(&[
            "batch",
            "invoice",
            "--data",
            "records.json",
            "--out-dir",
            "json",
            "--today",
            "2026-11-23",
            "--batch",
            "records",
            "--now",
            now,
        ])
        .expect(0);
    for key in ["C1", "C2"] {
        let a = std::fs::read(project.path().join(format!("csv/{key}.eml"))).expect("csv letter");
        let b = std::fs::read(project.path().join(format!("json/{key}.eml"))).expect("json letter");
        assert_eq!(a, b, "{key}: the same record gives the same message whatever the input format");
    }
    let a = String::from_utf8(std::fs::read(project.path().join("csv/C1.eml")).expect("letter")).expect("utf-8");
    assert!(a.contains("Kowalska, Anna"), "{a}");

    let broken = "key,customer.name,customer.email,invoice.number,invoice.total,invoice.due\n\
                  B1,Anna,anna@example.pl,FV/2026/11/0001,1.00 PLN,2026-12-01\n\
                  B2,\"Jan,jan@example.pl,FV/2026/11/0002,1.00 PLN,2026-12-01\n\
                  B3,Ewa,ewa@example.pl,FV/2026/11/0003,1.00 PLN,2026-12-01\n";
    project.write("broken.csv", broken);
    let run = project
        .run(&["batch", "invoice", "--data", "broken.csv", "--out-dir", "broken", "--today", "2026-11-23"])
        .expect(2);
    assert!(run.stderr.contains("broken.csv:3: a quoted cell opened on this line is never closed"), "{}", run.stderr);
    assert!(run.stderr.contains("close the quote"), "{}", run.stderr);
}

#[test]
fn shards_split_a_batch_with_no_overlap_and_nothing_missing() {
    let project = Project::bundled();
    let (text, good) = records(120, &[]);
    project.write("records.jsonl", &text);
    let mut seen = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = format!("shard{k}");
        let run = batch(&project, &["--out-dir", &out, "--shard", &shard]).expect(0);
        assert!(run.stdout.contains("belong to other shards"), "{}", run.stdout);
        for entry in std::fs::read_dir(project.path().join(&out)).expect("shard folder") {
            let name = entry.expect("entry").file_name().to_string_lossy().trim_end_matches(".eml").to_string();
            assert!(seen.insert(name.clone()), "{name} in two shards");
        }
    }
    assert_eq!(seen, good);
}

#[test]
fn a_dry_run_checks_every_record_and_writes_nothing() {
    let project = Project::bundled();
    let (text, _) = records(50, &[10]);
    let run = project
        .run_with_stdin(
            &["batch", "invoice", "--data", "-", "--dry-run", "--today", "2026-11-23", "--rejects", "r.jsonl"],
            Some(&text),
        )
        .expect(1);
    assert!(run.stdout.contains("read 50, done 49, rejected 1"), "{}", run.stdout);
    assert_eq!(rejects(&project.path().join("r.jsonl")).len(), 1);
    let written: Vec<_> = std::fs::read_dir(project.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("journal") || n.ends_with(".eml") || n.ends_with(".mbox"))
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn a_destination_that_cannot_be_used_leaves_no_journal_behind() {
    let project = Project::bundled();
    let (text, _) = records(3, &[]);
    project.write("records.jsonl", &text).write("old.mbox", "From x\nSubject: old\n\n");
    let run = batch(&project, &["--mbox", "old.mbox"]).expect(2);
    assert!(run.stderr.contains("old.mbox already exists and is not empty"), "{}", run.stderr);
    assert!(!project.path().join("old.mbox.journal").exists());
    let run = batch(&project, &["--mbox", "new.mbox", "--resume"]).expect(2);
    assert!(run.stderr.contains("there is no journal at new.mbox.journal"), "{}", run.stderr);
}

#[test]
fn duplicate_keys_are_rejected_rather_than_overwriting_a_letter() {
    let project = Project::bundled();
    let (text, _) = records(5, &[]);
    let text = text.replace("INV-00004", "INV-00002");
    project.write("records.jsonl", &text);
    batch(&project, &["--out-dir", "letters"]).expect(1);
    let rejected = rejects(&project.path().join("letters.rejects.jsonl"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["ordinal"], 4);
    assert!(rejected[0]["errors"][0]["message"].as_str().expect("message").contains("already record 2's"));
}

#[test]
fn a_duplicate_key_is_found_in_the_group_and_in_groups_already_committed() {
    let project = Project::bundled();
    let (text, _) = records(8, &[]);
    // Record 4 repeats record 2's key, record 8 repeats record 7's: with a commit every two
    // letters, the first holder is in the journal, the second in the group not yet committed.
    let text = text.replace("INV-00004", "INV-00002").replace("INV-00008", "INV-00007");
    project.write("records.jsonl", &text);
    batch(&project, &["--mbox", "out.mbox", "--commit-every", "2"]).expect(1);
    let rejected = rejects(&project.path().join("out.mbox.rejects.jsonl"));
    let said: Vec<(u64, String)> = rejected
        .iter()
        .map(|r| (r["ordinal"].as_u64().expect("ordinal"), r["errors"][0]["message"].as_str().unwrap_or("").into()))
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].0 == 4 && said[0].1.contains("already record 2's"), "{said:?}");
    assert!(said[1].0 == 8 && said[1].1.contains("already record 7's"), "{said:?}");
    assert_eq!(mbox_keys(&project.path().join("out.mbox")).len(), 6);
}

/// A real SMTP server on loopback (aiosmtpd) with fault injection, stopped when dropped.
pub(crate) struct Server {
    child: std::process::Child,
    pub(crate) port: u16,
    dir: tempfile::TempDir,
}

impl Server {
    pub(crate) fn start(extra: &[&str]) -> Server {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new("python3")
            .arg(bundled_root().join("tests/smtp_server.py"))
            .arg(dir.path().join("mail"))
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs (scripts/test.sh installs aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("port line");
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the SMTP server did not start: {line:?}"));
        Server { child, port, dir }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The folder the server stores each accepted message in (`<n>.eml`, `<n>.json`).
    pub(crate) fn mail_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("mail")
    }

    /// The keys of every message the server accepted, from their Message-IDs, in arrival order.
    pub(crate) fn received_keys(&self) -> Vec<String> {
        self.received_ids().iter().map(|id| key_of_message_id(id)).collect()
    }

    /// The Message-IDs of every message the server accepted, in arrival order.
    pub(crate) fn received_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for n in 1.. {
            // The envelope is written after the message: without it the message may be cut off
            // (a server killed while storing it, before it answered).
            if !self.dir.path().join(format!("mail/{n}.json")).exists() {
                break;
            }
            let Ok(text) = std::fs::read_to_string(self.dir.path().join(format!("mail/{n}.eml"))) else { break };
            let id = text
                .lines()
                .find_map(|l| l.strip_prefix("Message-ID: "))
                .unwrap_or_else(|| panic!("message {n} has a Message-ID"));
            ids.push(id.to_string());
        }
        ids
    }
}

impl Server {
    /// Kills the server (SIGKILL): its connections drop, its port refuses.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

pub(crate) fn count(keys: &[String]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for k in keys {
        *out.entry(k.clone()).or_default() += 1;
    }
    out
}

#[test]
fn smtp_retries_a_deferral_rejects_a_refusal_and_reports_a_lost_reply_as_in_doubt() {
    let server = Server::start(&[
        "--tempfail-once",
        "klient7@example.pl",
        "--reject",
        "klient9@example.pl",
        "--drop-after-data",
        "4",
    ]);
    let project = Project::bundled();
    let (text, _) = records(20, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    let run = batch(
        &project,
        &["--smtp", &url, "--summary", "s.json", "--retry-delay", "20", "--rate", "200", "--connections", "4"],
    )
    .expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["rejected"].as_u64()), (Some(19), Some(1)), "{}", run.stdout);
    assert_eq!(s["in_doubt"]["resent"], 1, "{s}");
    let doubtful: Vec<String> =
        s["in_doubt"]["keys"].as_array().expect("keys").iter().map(|k| k.as_str().expect("key").to_string()).collect();
    assert_eq!(doubtful.len(), 1, "the one message whose reply was dropped: {s}");

    let received = count(&server.received_keys());
    let expected: BTreeSet<String> = (1..=20).filter(|&i| i != 9).map(|i| format!("INV-{i:05}")).collect();
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), expected);
    for (key, n) in &received {
        assert!(*n == 1 || doubtful.contains(key), "{key} arrived {n} times without being reported in doubt");
    }
    let rejected = rejects(&project.path().join("records.smtp-rejects.jsonl"));
    assert_eq!(rejected[0]["key"], "INV-00009");
    assert!(rejected[0]["errors"][0]["message"].as_str().expect("message").contains("550"), "{rejected:?}");
}

#[test]
fn a_panic_in_a_sender_thread_leaves_that_letter_for_a_resume_and_the_run_goes_on() {
    let server = Server::start(&[]);
    let project = Project::bundled();
    let (text, good) = records(12, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    let run = batch(&project, &["--smtp", &url, "--summary", "s.json", "--crash", "panic-sending:5"]).expect(1);
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "one line, no backtrace: {}", run.stderr);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["rejected"].as_u64()), (Some(11), Some(0)), "missive's bug is no reject: {s}");
    assert_eq!(s["deferred"]["keys"], serde_json::json!(["INV-00005"]), "{s}");
    assert!(s["deferred"]["last_reply"].as_str().is_some_and(|r| r.contains("internal error")), "{s}");
    assert_eq!(s["in_doubt"]["keys"], serde_json::json!([]), "it panicked before anything went out: {s}");
    assert_eq!(server.received_keys().len(), 11, "every other letter arrived once");

    let run = batch(&project, &["--smtp", &url, "--resume", "--summary", "s2.json"]).expect(0);
    let s = summary(&project.path().join("s2.json"));
    assert_eq!((s["done"].as_u64(), s["unsent_before"].as_u64()), (Some(1), Some(1)), "{}", run.stdout);
    assert_eq!(count(&server.received_keys()).keys().cloned().collect::<BTreeSet<_>>(), good);
}

#[test]
fn smtp_killed_between_the_servers_acceptance_and_the_journal_resends_only_that_letter() {
    for policy in ["resend", "hold"] {
        let pid_file = tempfile::NamedTempFile::new().expect("pid file");
        let server = Server::start(&["--kill-after", "6", "--pid-file", &pid_file.path().display().to_string()]);
        let project = Project::bundled();
        let (text, good) = records(15, &[]);
        project.write("records.jsonl", &text);
        let url = server.url();
        let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url])
            .args(["--connections", "1"])
            .current_dir(project.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run missive");
        std::fs::write(pid_file.path(), child.id().to_string()).expect("pid");
        let status = child.wait().expect("wait");
        assert!(status.code().is_none(), "killed by the server: {status:?}");

        let run = batch(&project, &["--smtp", &url, "--resume", "--in-doubt", policy, "--summary", "s.json"]);
        let s = summary(&project.path().join("s.json"));
        let received = count(&server.received_keys());
        assert_eq!(s["skipped"], 5, "five letters were confirmed before the kill: {s}");
        assert_eq!(s["in_doubt"]["keys"][0], "INV-00006", "{s}");
        assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good, "nothing lost");
        if policy == "resend" {
            run.expect(0);
            assert_eq!(s["in_doubt"]["resent"], 1);
            assert_eq!(received["INV-00006"], 2, "the in-doubt letter went again, with the same Message-ID");
        } else {
            run.expect(1);
            assert_eq!(s["in_doubt"]["held"], 1);
            assert_eq!(received["INV-00006"], 1);
        }
        assert!(received.iter().all(|(k, n)| *n == 1 || k == "INV-00006"), "{received:?}");
    }
}

#[test]
fn pdf_batches_write_a_checked_pdf_beside_each_email_and_mbox_refuses_pdf() {
    let project = Project::bundled();
    let (text, good) = records(12, &[5]);
    project.write("records.jsonl", &text);
    batch(&project, &["--out-dir", "letters", "--format", "both"]).expect(1);
    let mut names: Vec<String> = std::fs::read_dir(project.path().join("letters"))
        .expect("letters/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let expected: Vec<String> = good.iter().flat_map(|k| [format!("{k}.eml"), format!("{k}.pdf")]).collect();
    assert_eq!(names, expected);
    let pdf = project.path().join("letters/INV-00002.pdf");
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf (scripts/test.sh installs it)");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Zofia Wójcik") && text.contains("FV/2026/11/0002"), "{text}");

    batch(&project, &["--out-dir", "only-pdf", "--format", "pdf"]).expect(1);
    assert!(project.path().join("only-pdf/INV-00001.pdf").exists());
    assert!(!project.path().join("only-pdf/INV-00001.eml").exists());

    let run = batch(&project, &["--mbox", "out.mbox", "--format", "pdf"]).expect(2);
    assert!(run.stderr.contains("--format pdf needs --out-dir DIR"), "{}", run.stderr);
}

#[test]
fn smtp_over_several_connections_killed_mid_run_doubles_only_reported_letters() {
    let server = Server::start(&[]);
    let project = Project::bundled();
    let (text, good) = records(40, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    let s = crash_and_resume(&project, &["--smtp", &url, "--connections", "3"], "before-commit:12");
    let doubtful: BTreeSet<String> =
        s["in_doubt"]["keys"].as_array().expect("keys").iter().map(|k| k.as_str().expect("key").to_string()).collect();
    assert!((1..=3).contains(&doubtful.len()), "the letters in flight at the kill, at most one per connection: {s}");
    let received = count(&server.received_keys());
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good, "nothing lost");
    for (key, n) in &received {
        assert!(*n == 1 || (*n == 2 && doubtful.contains(key)), "{key} arrived {n} times; in doubt: {doubtful:?}");
    }
}

/// A small tmpfs for the full-disk test, unmounted when dropped (even when the test fails).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// A 2 MiB tmpfs, or why there cannot be one here (mounting needs root).
    fn mount() -> Result<SmallDisk, String> {
        // SAFETY: geteuid only reads the process's user id.
        if unsafe { libc::geteuid() } != 0 {
            return Err("mounting a tmpfs needs root".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("mount -t tmpfs failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_under_the_journal_stops_the_run_with_the_cause_and_the_resume_is_exact() {
    for destination in ["--mbox", "--out-dir"] {
        let disk = match SmallDisk::mount() {
            Ok(disk) => disk,
            Err(why) => {
                println!("skipped: the full-disk case needs a small tmpfs, and {why}");
                return;
            }
        };
        let project = Project::bundled();
        let (text, good) = records(3000, &[]);
        project.write("records.jsonl", &text);
        // Leave the journal about 160 KiB: it fills a few hundred letters in.
        let filler = disk.path().join("filler");
        std::fs::write(&filler, vec![0u8; 2 * 1024 * 1024 - 160 * 1024]).expect("filler");
        let journal = disk.path().join("j");
        let journal = journal.to_str().expect("a UTF-8 path");
        let target = if destination == "--mbox" { "out.mbox" } else { "letters" };
        let args = ["batch", "invoice", "--data", "records.jsonl", destination, target, "--journal", journal];
        let limit = std::time::Duration::from_secs(60);
        let run = project.run_within(&[&args[..], &["--commit-every", "64"]].concat(), None, limit);
        assert_eq!(run.code, 2, "{destination}: the run stops with exit 2\n{}", run.stderr);
        assert!(run.stderr.contains("disk is full"), "{destination}: the cause is said: {}", run.stderr);
        std::fs::remove_file(&filler).expect("free the space");
        let run = project.run_within(&[&args[..], &["--resume", "--summary", "summary.json"]].concat(), None, limit);
        assert_eq!(run.code, 0, "{destination}: the resume finishes\n{}", run.stderr);
        let s = summary(&project.path().join("summary.json"));
        assert!(s["skipped"].as_u64().expect("skipped") > 0, "{destination}: some letters were committed: {s}");
        let keys = if destination == "--mbox" {
            mbox_keys(&project.path().join(target))
        } else {
            let mut names: Vec<String> = std::fs::read_dir(project.path().join(target))
                .expect("letters/")
                .map(|e| e.expect("entry").file_name().to_string_lossy().trim_end_matches(".eml").to_string())
                .collect();
            names.sort();
            names
        };
        assert_eq!(keys, good.iter().cloned().collect::<Vec<_>>(), "{destination}: every letter exactly once");
    }
}

/// The Message-IDs in an mbox, by key.
fn mbox_ids(path: &Path) -> Vec<(String, String)> {
    let script = "import mailbox, sys\nfor m in mailbox.mbox(sys.argv[1]): print(m['Message-ID'])";
    let out = Command::new("python3").args(["-c", script]).arg(path).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|id| (key_of_message_id(id), id.to_string())).collect()
}

#[test]
fn a_resume_on_a_regenerated_export_goes_by_key_and_reports_what_changed() {
    let project = Project::bundled();
    let (text, _) = records(6, &[]);
    let lines: Vec<&str> = text.lines().collect();
    project.write("records.jsonl", &text);
    let status = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--mbox", "out.mbox"])
        .args(["--commit-every", "1"])
        .current_dir(project.path())
        .env("MISSIVE_BATCH_CRASH", "after-commit:3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run missive");
    assert!(status.code().is_none(), "killed after three letters: {status:?}");
    let mbox = project.path().join("out.mbox");
    let first: Vec<String> = mbox_keys(&mbox);
    assert_eq!(first.len(), 3, "three letters were committed: {first:?}");

    // The export is regenerated in another order, one record dropped and one added.
    let added = lines[0].replace("INV-00001", "INV-00007").replace("klient1@", "klient7@");
    let regenerated = [lines[5], lines[3], lines[0], &added, lines[2], lines[1]].join("\n") + "\n";
    project.write("records.jsonl", &regenerated);
    let run = batch(&project, &["--mbox", "out.mbox", "--resume", "--summary", "s.json"]).expect(0);
    let s = summary(&project.path().join("s.json"));
    assert_eq!(s["rejected"], 0, "a key sent before is never called a duplicate: {s}");
    assert_eq!((s["skipped"].as_u64(), s["done"].as_u64(), s["new"].as_u64()), (Some(3), Some(3), Some(3)), "{s}");
    assert_eq!(s["input_changed"], true, "{}", run.stdout);
    assert!(
        run.stdout.contains("the input changed since the journal began: 3 keys new, 0 changed since sent"),
        "{}",
        run.stdout
    );
    let mut keys = mbox_keys(&mbox);
    keys.sort();
    assert_eq!(keys, ["INV-00001", "INV-00002", "INV-00003", "INV-00004", "INV-00006", "INV-00007"]);

    // A record already sent is edited: reported, not sent again, exit 1 ...
    let edited: String = regenerated
        .lines()
        .map(|l| {
            if l.contains("INV-00003") { l.replace("Łukasz Piątek", "Łukasz Piątek-Nowak") } else { l.to_string() }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(edited, regenerated);
    project.write("records.jsonl", &edited);
    let run = batch(&project, &["--mbox", "out.mbox", "--resume", "--summary", "s.json"]).expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!(s["changed"]["keys"], serde_json::json!(["INV-00003"]), "{s}");
    assert_eq!((s["done"].as_u64(), s["changed"]["resent"].as_u64()), (Some(0), Some(0)), "{s}");
    assert!(run.stdout.contains("1 letters changed since sent, not sent again (--resend-changed"), "{}", run.stdout);
    assert_eq!(mbox_keys(&mbox).len(), 6);

    // ... and sent again with a new Message-ID when asked.
    let before = mbox_ids(&mbox);
    batch(&project, &["--mbox", "out.mbox", "--resume", "--resend-changed", "--summary", "s.json"]).expect(0);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["changed"]["resent"].as_u64()), (Some(1), Some(1)), "{s}");
    let after = mbox_ids(&mbox);
    assert_eq!(after.len(), 7);
    let ids: Vec<&String> = after.iter().filter(|(k, _)| k == "INV-00003").map(|(_, id)| id).collect();
    assert_eq!(ids.len(), 2, "the first letter and the corrected one");
    assert_ne!(ids[0], ids[1], "the corrected letter has its own Message-ID");
    assert!(before.iter().any(|(_, id)| id == ids[0]));

    // Nothing left: the same input once more skips everything and says the input is the same.
    let run = batch(&project, &["--mbox", "out.mbox", "--resume", "--summary", "s.json"]).expect(0);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["skipped"].as_u64(), s["done"].as_u64()), (Some(6), Some(0)), "{s}");
    assert!(run.stdout.contains("0 changed since sent"), "{}", run.stdout);
}

#[test]
fn a_key_repeated_in_one_input_is_a_duplicate_and_a_mended_reject_is_tried_again() {
    let project = Project::bundled();
    let (text, _) = records(4, &[3]);
    // Record 3 is broken (no total, as `records` breaks it); record 2 is repeated.
    let lines: Vec<&str> = text.lines().collect();
    project.write("records.jsonl", &([lines[0], lines[1], lines[2], lines[3], lines[1]].join("\n") + "\n"));
    batch(&project, &["--out-dir", "letters", "--summary", "s.json"]).expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["rejected"].as_u64()), (Some(3), Some(2)), "{s}");
    // The clerk mends record 3 and feeds the export again: only it is made.
    let (good, _) = records(4, &[]);
    project.write("records.jsonl", &good);
    batch(&project, &["--out-dir", "letters", "--resume", "--summary", "s.json"]).expect(0);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["mended"].as_u64(), s["skipped"].as_u64()), (Some(1), Some(1), Some(3)), "{s}");
    assert!(project.path().join("letters/INV-00003.eml").exists());
}

/// Three invoice records as CSV rows (header first) with Polish names.
fn polish_rows() -> Vec<[&'static str; 8]> {
    vec![
        [
            "key",
            "locale",
            "_today",
            "customer.name",
            "customer.email",
            "invoice.number",
            "invoice.total",
            "invoice.due",
        ],
        ["C1", "pl", "2026-11-23", "Żaneta Gęś", "zaneta@example.pl", "FV/2026/11/0001", "10.00 PLN", "2026-12-07"],
        ["C2", "pl", "2026-11-23", "Jan Łódź", "jan@example.pl", "FV/2026/11/0002", "20.00 PLN", "2026-12-07"],
        ["C3", "en", "2026-11-23", "Ewa Świątek", "ewa@example.pl", "FV/2026/11/0003", "30.00 PLN", "2026-12-07"],
    ]
}

/// The rows joined by `delimiter` with CRLF line ends, as Excel writes them.
fn csv_text(delimiter: &str) -> String {
    polish_rows().iter().map(|r| r.join(delimiter) + "\r\n").collect()
}

/// The display names in the `To:` headers of a folder's letters, decoded by Python.
fn to_names(dir: &Path) -> Vec<String> {
    let script = "import sys, email, email.policy, glob\nfor f in sorted(glob.glob(sys.argv[1] + '/*.eml')):\n    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.strict)\n    print(m['To'].addresses[0].display_name)";
    let out = Command::new("python3").args(["-c", script]).arg(dir).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn csv_as_billing_systems_write_it_is_read_first_time() {
    let expected = ["Żaneta Gęś", "Jan Łódź", "Ewa Świątek"];
    // Polish Excel: `;`, a byte order mark, CRLF; then tabs and pipes; all sniffed from the header.
    for (name, bytes) in [
        ("excel.csv", [&b"\xef\xbb\xbf"[..], csv_text(";").as_bytes()].concat()),
        ("tabs.csv", csv_text("\t").into_bytes()),
        ("pipes.csv", csv_text("|").into_bytes()),
        ("utf16.csv", {
            let mut b = vec![0xff, 0xfe];
            b.extend(csv_text(",").encode_utf16().flat_map(u16::to_le_bytes));
            b
        }),
    ] {
        let project = Project::bundled();
        std::fs::write(project.path().join(name), bytes).expect("write");
        project.run(&["batch", "invoice", "--data", name, "--out-dir", "letters"]).expect(0);
        assert_eq!(to_names(&project.path().join("letters")), expected, "{name}");
    }
}

#[test]
fn a_file_in_another_encoding_stops_at_once_naming_the_flag_and_reads_right_with_it() {
    for (label, encode) in [("windows-1250", encoding_rs::WINDOWS_1250), ("iso-8859-2", encoding_rs::ISO_8859_2)] {
        let project = Project::bundled();
        let text = csv_text(";");
        let (bytes, _, unmappable) = encode.encode(&text);
        assert!(!unmappable);
        std::fs::write(project.path().join("export.csv"), &bytes).expect("write");
        let run = project.run(&["batch", "invoice", "--data", "export.csv", "--out-dir", "letters"]).expect(2);
        assert!(run.stderr.contains("export.csv:2: column `customer.name` is not UTF-8 text"), "{}", run.stderr);
        assert!(run.stderr.contains("--encoding windows-1250"), "the flag is named: {}", run.stderr);
        assert!(
            !project.path().join("letters.rejects.jsonl").exists()
                || std::fs::read_to_string(project.path().join("letters.rejects.jsonl")).expect("rejects").is_empty(),
            "one stop, not one reject per record"
        );
        assert!(run.stderr.contains("goes on with --resume"), "{}", run.stderr);
        let args =
            ["batch", "invoice", "--data", "export.csv", "--out-dir", "letters", "--encoding", label, "--resume"];
        project.run(&args).expect(0);
        assert_eq!(to_names(&project.path().join("letters")), ["Żaneta Gęś", "Jan Łódź", "Ewa Świątek"], "{label}");
    }
}

#[test]
fn a_delimiter_that_leaves_the_header_one_column_stops_the_run_naming_the_right_one() {
    let project = Project::bundled();
    project.write("export.csv", &csv_text(";"));
    let run = project.run(&["batch", "invoice", "--data", "export.csv", "--dry-run", "--delimiter", ","]).expect(2);
    assert!(run.stderr.contains("the header is one column"), "{}", run.stderr);
    assert!(run.stderr.contains("pass --delimiter ';'"), "{}", run.stderr);
    project.run(&["batch", "invoice", "--data", "export.csv", "--dry-run", "--delimiter", ";"]).expect(0);
}

#[test]
fn money_with_a_decimal_comma_is_read_with_the_flag_and_explained_without_it() {
    let project = Project::bundled();
    let lines = r#""[{""description"": ""Abonament"", ""quantity"": ""1,5"", ""amount"": ""1.234,50 €""}]""#;
    let csv = format!(
        "key;locale;_today;customer.name;customer.email;invoice.number;invoice.total;invoice.due;invoice.lines\r\n\
         C1;pl;2026-11-23;Anna Kowalska;anna@example.pl;FV/2026/11/0001;1 234,50 zł;2026-12-07;{lines}\r\n"
    );
    project.write("export.csv", &csv);
    let run = project.run(&["batch", "invoice", "--data", "export.csv", "--dry-run", "--rejects", "r.jsonl"]).expect(1);
    let rejected = std::fs::read_to_string(project.path().join("r.jsonl")).expect("rejects");
    assert!(
        rejected.contains("write it as 1234.50 PLN") && rejected.contains("--decimal-comma"),
        "{rejected}\n{}",
        run.stdout
    );
    project.run(&["batch", "invoice", "--data", "export.csv", "--out-dir", "letters", "--decimal-comma"]).expect(0);
    let script = "import sys, email, email.policy\nm = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.strict)\nprint(m.get_body(('plain',)).get_content())";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(project.path().join("letters/C1.eml"))
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1234,50\u{a0}zł"), "the total as the letter prints it:\n{text}");
    assert!(text.contains("1234,50\u{a0}€"), "the line's amount in euro:\n{text}");
    assert!(text.contains("1,5"), "the quantity:\n{text}");
}

#[test]
fn a_mended_rejects_report_is_itself_input_and_the_summary_groups_rejects_by_reason() {
    let project = Project::bundled();
    let (text, _) = records(10, &[3, 6, 4]);
    project.write("records.jsonl", &text);
    let run = batch(&project, &["--mbox", "out.mbox", "--summary", "s.json"]).expect(1);
    assert!(run.stdout.contains("2 × customer.email: … is not an e-mail address"), "{}", run.stdout);
    assert!(run.stdout.contains("1 × invoice.total: required money field is missing"), "{}", run.stdout);
    let s = summary(&project.path().join("s.json"));
    assert_eq!(s["reasons"]["invoice.total: required money field is missing"], 1, "{s}");
    let report = std::fs::read_to_string(project.path().join("out.mbox.rejects.jsonl")).expect("rejects");
    assert_eq!(report.lines().count(), 3);
    // The clerk mends each record in the report itself.
    let mended: String = report
        .lines()
        .map(|l| {
            let mut reject: serde_json::Value = serde_json::from_str(l).expect("a reject");
            let ordinal = reject["ordinal"].clone();
            let record = reject["record"].as_object_mut().expect("the record is kept");
            record["customer"]["email"] = serde_json::json!(format!("mended{ordinal}@example.pl"));
            record["invoice"]["total"] = serde_json::json!("10.00 PLN");
            serde_json::to_string(&reject).expect("json") + "\n"
        })
        .collect();
    project.write("mended.jsonl", &mended);
    project
        .run(&["batch", "invoice", "--data", "mended.jsonl", "--mbox", "mended.mbox", "--today", "2026-11-23"])
        .expect(0);
    assert_eq!(mbox_keys(&project.path().join("mended.mbox")), ["INV-00003", "INV-00004", "INV-00006"]);
}

#[test]
fn four_shard_processes_at_once_split_a_batch_by_the_schedulers_variables() {
    let project = Project::bundled();
    let (text, good) = records(200, &[]);
    project.write("records.jsonl", &text);
    for (variable, first) in [("PARALLEL_SEQ", 1), ("JOB_COMPLETION_INDEX", 0), ("SLURM_ARRAY_TASK_ID", 0)] {
        let children: Vec<_> = (0..4)
            .map(|i| {
                let mut command = Command::new(env!("CARGO_BIN_EXE_missive"));
                command
                    .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--shard", "auto"])
                    .args(["--out-dir", &format!("{variable}-{i}")])
                    .current_dir(project.path())
                    .env(variable, (first + i).to_string())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped());
                if variable == "SLURM_ARRAY_TASK_ID" {
                    command.env("SLURM_ARRAY_TASK_COUNT", "4");
                } else {
                    command.args(["--shard-count", "4"]);
                }
                command.spawn().expect("run missive")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "{variable}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let mut seen = BTreeSet::new();
        for i in 0..4 {
            let dir = project.path().join(format!("{variable}-{i}"));
            let names: Vec<String> = std::fs::read_dir(&dir)
                .expect("shard folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().trim_end_matches(".eml").to_string())
                .collect();
            assert!(!names.is_empty(), "{variable}: shard {i} took some records");
            for name in names {
                assert!(seen.insert(name.clone()), "{variable}: {name} in two shards");
            }
        }
        assert_eq!(seen, good, "{variable}: every good record exactly once");
    }
    let run = project.run(&["batch", "invoice", "--data", "records.jsonl", "--dry-run", "--shard", "auto"]).expect(2);
    assert!(run.stderr.contains("no scheduler says which shard this is"), "{}", run.stderr);
}

#[test]
fn a_bad_command_line_value_is_named_with_its_fix() {
    let project = Project::bundled();
    let cases: [(&[&str], &str); 7] = [
        (&["--shard", "9/2"], "'--shard <K/N|auto>': `9/2` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8"),
        (&["--delimiter", "x"], "'--delimiter <CHAR>': `x` is not a delimiter: use , ; | or tab"),
        (
            &["--encoding", "nope"],
            "'--encoding <NAME>': `nope` is not an encoding: use a name such as windows-1250, iso-8859-2, utf-16le or utf-8",
        ),
        (
            &["--give-up-after", "3y"],
            "'--give-up-after <DURATION>': `3y`: write a number of seconds, or 500ms, 90s, 5m, 1h",
        ),
        (
            &["--now", "2026-12-07"],
            "'--now <MOMENT>': `2026-12-07` is not a moment: write it as RFC 3339 with its offset, e.g. 2026-12-07T09:14:03+01:00 (",
        ),
        (&["--today", "2026-13-01"], "'--today <YYYY-MM-DD>': `2026-13-01` is not a date: write YYYY-MM-DD"),
        (&["--crash", "panic-at:x"], "'--crash <CRASH>': `panic-at:x`: N must be a number"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["batch", "invoice", "--data", "records.jsonl", "--dry-run"];
        args.extend_from_slice(flags);
        let run = project.run(&args).expect(2);
        let want = format!("error: invalid value '{}' for {message}", flags[1]);
        assert!(run.stderr.starts_with(&want), "{flags:?}\n{}", run.stderr);
    }
}

#[test]
fn an_mbox_run_leaves_no_synced_letter_in_the_page_cache() {
    // Nothing reads the mbox back during a run; a million letters (11 GB) kept in the page cache
    // made every later write reclaim a page first. Measured with util-linux's `fincore`, on a
    // file under target/ (a page cache that a tmpfs /tmp would not have).
    let project = Project::bundled();
    project.write("records.jsonl", &records(600, &[]).0);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir under target/");
    let mbox = dir.path().join("out.mbox");
    batch(&project, &["--mbox", mbox.to_str().expect("UTF-8 path"), "--jobs", "2"]).expect(0);
    let size = std::fs::metadata(&mbox).expect("the mbox").len();
    assert!(size > 4 << 20, "a run big enough to tell: {size} bytes");
    let out = Command::new("fincore").args(["--bytes", "--noheadings", "--output", "RES"]).arg(&mbox).output();
    let out = out.expect("fincore (util-linux) runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cached: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("RES in bytes");
    assert!(cached <= 64 << 10, "{cached} of the mbox's {size} bytes are still cached");
}

/// The workers take chunks of records in whatever order they get to them: what a run reports in
/// input order (the rejects, the keys changed since sent, the letters) is the same with two
/// workers as with one, over enough records for many chunks.
#[test]
fn two_workers_report_rejects_and_changed_keys_in_input_order_as_one_does() {
    let n = 700;
    let broken: Vec<usize> = (1..=n).filter(|i| i % 23 == 0).collect();
    let (text, _) = records(n, &broken);
    // The export is regenerated backwards with every seventh record edited: the changed keys
    // are listed in the new input order, not by key.
    let edited: Vec<String> = text
        .lines()
        .rev()
        .enumerate()
        .map(|(i, l)| if i % 7 == 0 { l.replace("Abonament", "Abonament roczny") } else { l.to_string() })
        .collect();
    let changed: Vec<String> = edited
        .iter()
        .filter(|l| l.contains("Abonament roczny") && l.contains("\"total\"") && !l.contains("not-an-address"))
        .map(|l| l[9..18].to_string())
        .collect();
    assert!(changed.len() > 80 && changed.windows(2).all(|w| w[0] > w[1]), "{changed:?}");
    let edited = edited.join("\n") + "\n";

    let mut outcomes = Vec::new();
    for jobs in ["1", "2"] {
        let project = Project::bundled();
        project.write("records.jsonl", &text);
        let common =
            ["--mbox", "out.mbox", "--jobs", jobs, "--summary", "s.json", "--now", "2026-11-23T09:14:03+01:00"];
        batch(&project, &common).expect(1);
        let first_rejects = std::fs::read_to_string(project.path().join("out.mbox.rejects.jsonl")).unwrap();
        let first = summary(&project.path().join("s.json"));
        project.write("records.jsonl", &edited);
        batch(&project, &[&common[..], &["--resume", "--resend-changed"]].concat()).expect(1);
        let s = summary(&project.path().join("s.json"));
        let mbox = std::fs::read(project.path().join("out.mbox")).unwrap();
        outcomes.push((
            first_rejects,
            first["rejected"].clone(),
            s["changed"]["keys"].clone(),
            s["done"].clone(),
            mbox,
        ));
    }
    let [one, two] = <[_; 2]>::try_from(outcomes).ok().unwrap();
    assert_eq!(one.1, broken.len(), "every broken record is rejected");
    assert_eq!(one.2, serde_json::json!(changed), "the changed keys in the new input's order");
    assert_eq!(one.3, changed.len(), "each changed record is sent again");
    assert_eq!(one.0, two.0, "the same rejects report, in the same order");
    assert_eq!((&one.1, &one.2, &one.3), (&two.1, &two.2, &two.3));
    assert!(one.4 == two.4, "the same mbox, byte for byte");
}
