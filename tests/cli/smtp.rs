//! SMTP batches against a real server on loopback (aiosmtpd) that dies, flakes, defers, wants
//! TLS: a dead server stops the run within the give-up time and loses nothing; only the
//! server's answer about a message makes it a reject; the journal reports every letter in
//! doubt over all runs.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::batch::{Server, batch, count, records, rejects, summary};
use crate::harness::Project;

/// `missive` in the project's folder, for a run with its own environment.
fn missive(project: &Project) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_missive"));
    command.current_dir(project.path()).env_remove("RUST_BACKTRACE").stdin(Stdio::null());
    command
}

/// The keys of `summary`'s letters in doubt.
fn doubtful(summary: &serde_json::Value) -> BTreeSet<String> {
    summary["in_doubt"]["keys"].as_array().expect("keys").iter().map(|k| k.as_str().expect("key").to_string()).collect()
}

/// Waits for `child` at most `limit`; kills it and fails the test if it is still running.
fn wait_within(child: &mut std::process::Child, limit: Duration) -> (i32, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().expect("stderr"), &mut stderr).expect("stderr");
            return (status.code().unwrap_or(-1), stderr);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the batch still ran {limit:?} after the server died: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_server_killed_mid_run_stops_the_batch_within_the_give_up_time_and_a_resume_delivers_everything() {
    for kill_at in [1, 15, 35] {
        let mut first = Server::start(&[]);
        let project = Project::bundled();
        let (text, good) = records(40, &[]);
        project.write("records.jsonl", &text);
        let url = first.url();
        let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url])
            .args(["--connections", "3", "--rate", "40", "--give-up-after", "2s", "--summary", "s1.json"])
            .current_dir(project.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run missive");
        while first.received_keys().len() < kill_at {
            assert!(child.try_wait().expect("wait").is_none(), "the batch ended before the server was killed");
            std::thread::sleep(Duration::from_millis(5));
        }
        first.kill();
        let killed = Instant::now();
        let (code, stderr) = wait_within(&mut child, Duration::from_secs(20));
        let took = killed.elapsed();
        assert_eq!(code, 2, "killed after {kill_at}: the run stops as the destination's failure: {stderr}");
        assert!(took < Duration::from_secs(8), "killed after {kill_at}: stopped {took:?} after the server died");
        assert!(
            stderr.contains(&format!("cannot send through the SMTP server at 127.0.0.1:{}", first.port)),
            "{stderr}"
        );
        assert!(stderr.contains("--resume") && stderr.contains("missive journal"), "the way on is named: {stderr}");
        assert!(
            !project.path().join("records.smtp-rejects.jsonl").exists()
                || rejects(&project.path().join("records.smtp-rejects.jsonl")).is_empty(),
            "a dead server is no letter's fault"
        );

        let stopped = summary(&project.path().join("s1.json"));
        assert!(stopped["stopped"]["error"].as_str().is_some_and(|e| e.contains("cannot send through")), "{stopped}");
        let journal = project.run(&["journal", "records.smtp-journal"]).expect(1);
        assert!(journal.stdout.contains("the last run stopped: cannot send through"), "{}", journal.stdout);

        let second = Server::start(&["--port", &first.port.to_string()]);
        let run = batch(&project, &["--smtp", &url, "--resume", "--summary", "s2.json"]);
        let s = summary(&project.path().join("s2.json"));
        run.expect(0);
        let mut all = first.received_keys();
        all.extend(second.received_keys());
        let received = count(&all);
        assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good, "killed after {kill_at}: nothing lost");
        let doubt = doubtful(&s);
        for (key, n) in &received {
            assert!(*n == 1 || doubt.contains(key), "{key} arrived {n} times; in doubt: {doubt:?}");
        }
        assert_eq!(s["rejected"], 0, "{s}");
    }
}

#[test]
fn a_flaky_server_gets_its_deferred_letters_after_retries_and_its_refused_ones_are_rejects() {
    let server = Server::start(&[
        "--tempfail-rate",
        "0.2",
        "--seed",
        "26",
        "--reject",
        "klient3@example.pl",
        "--reject",
        "klient11@example.pl",
    ]);
    let project = Project::bundled();
    let (text, _) = records(40, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    let run = batch(&project, &["--smtp", &url, "--summary", "s.json", "--retry-delay", "10", "--retries", "8"]);
    let s = summary(&project.path().join("s.json"));
    run.expect(1);
    assert_eq!(
        (s["done"].as_u64(), s["rejected"].as_u64(), s["deferred"]["count"].as_u64()),
        (Some(38), Some(2), Some(0)),
        "{s}"
    );
    let received = count(&server.received_keys());
    let expected: BTreeSet<String> = (1..=40).filter(|i| ![3, 11].contains(i)).map(|i| format!("INV-{i:05}")).collect();
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(received.values().all(|&n| n == 1), "a 451 leaves nothing at the server: {received:?}");
    let rejected = rejects(&project.path().join("records.smtp-rejects.jsonl"));
    let keys: Vec<&str> = rejected.iter().map(|r| r["key"].as_str().expect("key")).collect();
    assert_eq!(keys, ["INV-00003", "INV-00011"]);
    assert!(rejected.iter().all(|r| r["errors"][0]["message"].as_str().expect("message").contains("550")));
}

#[test]
fn a_letter_deferred_past_every_retry_is_left_not_done_and_a_resume_sends_it() {
    let mut first = Server::start(&["--tempfail-always", "klient4@example.pl"]);
    let project = Project::bundled();
    let (text, good) = records(10, &[]);
    project.write("records.jsonl", &text);
    let url = first.url();
    let run = batch(&project, &["--smtp", &url, "--summary", "s1.json", "--retries", "2", "--retry-delay", "10"]);
    let s = summary(&project.path().join("s1.json"));
    let run = run.expect(1);
    assert_eq!((s["done"].as_u64(), s["rejected"].as_u64()), (Some(9), Some(0)), "deferred is not rejected: {s}");
    assert_eq!(s["deferred"]["keys"], serde_json::json!(["INV-00004"]), "{s}");
    assert!(s["deferred"]["last_reply"].as_str().is_some_and(|r| r.contains("451")), "{s}");
    assert!(run.stdout.contains("deferred by the server past every retry"), "{}", run.stdout);

    let journal = project.run(&["journal", "records.smtp-journal"]).expect(1);
    assert!(journal.stdout.contains("done 9 · rejected 0 · left not done 1"), "{}", journal.stdout);
    assert!(
        journal.stdout.contains("--resume sends them, and the records no run reached): INV-00004"),
        "{}",
        journal.stdout
    );

    first.kill();
    let second = Server::start(&["--port", &first.port.to_string()]);
    let run = batch(&project, &["--smtp", &url, "--resume", "--summary", "s2.json"]);
    let s = summary(&project.path().join("s2.json"));
    run.expect(0);
    assert_eq!(
        (s["done"].as_u64(), s["skipped"].as_u64(), s["unsent_before"].as_u64()),
        (Some(1), Some(9), Some(1)),
        "{s}"
    );
    let mut all = first.received_keys();
    all.extend(second.received_keys());
    assert_eq!(count(&all).keys().cloned().collect::<BTreeSet<_>>(), good);
    let journal = project.run(&["journal", "records.smtp-journal", "--format", "json"]).expect(0);
    let report: serde_json::Value = serde_json::from_str(&journal.stdout).expect("json");
    assert_eq!((report["done"].as_u64(), report["runs"].as_u64()), (Some(10), Some(2)), "{report}");
    assert_eq!(report["last_run"], "finished", "{report}");
}

#[test]
fn letters_in_doubt_in_any_run_are_in_the_last_summary_and_the_journal() {
    let server = Server::start(&[]);
    let project = Project::bundled();
    let (text, good) = records(20, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    // Three runs killed each after its third accepted letter, before recording it: three
    // letters in doubt, one per run; each resume sends the last run's again.
    for run in 0..3 {
        let mut args = vec!["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url];
        args.extend(["--connections", "1"]);
        if run > 0 {
            args.push("--resume");
        }
        let status = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(&args)
            .current_dir(project.path())
            .env("MISSIVE_BATCH_CRASH", "before-commit:3")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run missive");
        assert!(status.code().is_none(), "killed: {status:?}");
    }
    let run = batch(&project, &["--smtp", &url, "--resume", "--summary", "s.json"]);
    run.expect(0);
    let s = summary(&project.path().join("s.json"));
    let received = count(&server.received_keys());
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good, "nothing lost");
    let twice: BTreeSet<String> = received.iter().filter(|(_, n)| **n > 1).map(|(k, _)| k.clone()).collect();
    assert_eq!(twice.len(), 3, "one letter doubled per kill: {received:?}");
    assert_eq!(doubtful(&s), twice, "the last summary names every letter in doubt, of every run: {s}");
    assert_eq!((s["in_doubt"]["resent"].as_u64(), s["in_doubt"]["held"].as_u64()), (Some(3), Some(0)), "{s}");
    assert_eq!(s["in_doubt"]["this_run"], 1, "this run sent one of them again: {s}");

    let journal = project.run(&["journal", "records.smtp-journal", "--format", "json"]).expect(0);
    let report: serde_json::Value = serde_json::from_str(&journal.stdout).expect("json");
    let keys: BTreeSet<String> = report["in_doubt"]
        .as_array()
        .expect("in_doubt")
        .iter()
        .map(|d| d["key"].as_str().expect("key").to_string())
        .collect();
    assert_eq!(keys, twice, "{report}");
    assert_eq!((report["done"].as_u64(), report["runs"].as_u64()), (Some(20), Some(4)), "{report}");
}

/// A certificate authority and a certificate for 127.0.0.1 signed by it, made with openssl.
struct Certificates {
    dir: tempfile::TempDir,
}

impl Certificates {
    fn make() -> Certificates {
        let dir = tempfile::tempdir().expect("temp dir");
        let sh = |script: &str| {
            let out = Command::new("sh").arg("-c").arg(script).current_dir(dir.path()).output().expect("sh");
            assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
        };
        sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=missive test CA' \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null");
        sh("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null");
        sh(
            "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf && \
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null",
        );
        Certificates { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

#[test]
fn starttls_and_smtps_work_with_a_trusted_authority_and_an_untrusted_one_stops_the_run() {
    let certs = Certificates::make();
    let (cert, key) = (certs.path("server.pem"), certs.path("server.key"));
    for implicit in [false, true] {
        let mut extra = vec!["--tls", &cert, &key];
        if implicit {
            extra.push("--implicit-tls");
        }
        let server = Server::start(&extra);
        let url = if implicit {
            format!("smtps://127.0.0.1:{}", server.port)
        } else {
            format!("smtp://127.0.0.1:{}?tls=required", server.port)
        };
        let project = Project::bundled();
        let (text, good) = records(6, &[]);
        project.write("records.jsonl", &text);

        let untrusted = missive(&project)
            .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url])
            .env("SSL_CERT_FILE", certs.path("server.key"))
            .output()
            .expect("run missive");
        let stderr = String::from_utf8_lossy(&untrusted.stderr);
        assert_eq!(untrusted.status.code(), Some(2), "implicit {implicit}: {stderr}");
        assert!(stderr.contains("TLS"), "implicit {implicit}: the cause is named: {stderr}");
        assert!(server.received_keys().is_empty());
        std::fs::remove_file(project.path().join("records.smtp-journal")).ok();

        let trusted = missive(&project)
            .args(["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url])
            .env("SSL_CERT_FILE", certs.path("ca.pem"))
            .output()
            .expect("run missive");
        assert_eq!(trusted.status.code(), Some(0), "implicit {implicit}: {}", String::from_utf8_lossy(&trusted.stderr));
        assert_eq!(count(&server.received_keys()).keys().cloned().collect::<BTreeSet<_>>(), good);
    }
}

#[test]
fn a_relay_slow_to_accept_the_data_is_waited_for_not_sent_twice() {
    // Each message's answer takes 1.5 s, longer than a command may take (1 s) but within the
    // time a message's data may (the default ten minutes).
    let server = Server::start(&["--slow-data", "1.5"]);
    let project = Project::bundled();
    let (text, good) = records(3, &[]);
    project.write("records.jsonl", &text);
    let url = server.url();
    batch(&project, &["--smtp", &url, "--smtp-timeout", "1s", "--summary", "s.json"]).expect(0);
    let s = summary(&project.path().join("s.json"));
    assert_eq!(doubtful(&s), BTreeSet::new(), "{s}");
    let received = count(&server.received_keys());
    assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), good);
    assert!(received.values().all(|&n| n == 1), "{received:?}");
}

#[test]
fn a_password_in_the_address_stays_out_of_the_summary_and_the_journal() {
    let server = Server::start(&["--auth", "billing:s3cret"]);
    let project = Project::bundled();
    let (text, _) = records(2, &[]);
    project.write("records.jsonl", &text);
    let url = format!("smtp://billing:s3cret@127.0.0.1:{}", server.port);
    let run = batch(&project, &["--smtp", &url, "--summary", "s.json"]).expect(0);
    let s = std::fs::read_to_string(project.path().join("s.json")).expect("summary");
    assert!(s.contains(&format!("smtp://billing@127.0.0.1:{}", server.port)), "{s}");
    let journal = project.run(&["journal", "records.smtp-journal", "--format", "json"]).expect(0);
    for text in [&s, &run.stdout, &run.stderr, &journal.stdout] {
        assert!(!text.contains("s3cret"), "{text}");
    }
    assert_eq!(server.received_keys().len(), 2);
}
