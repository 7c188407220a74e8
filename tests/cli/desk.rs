//! The agent's desk on top of `missive serve`: the record schemas, the page at `/` (in headless
//! Chromium), and `--watch` reloading an edited standard while requests keep coming.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::harness::Project;
use crate::serve::{Server, get, post};

const REJECTED: &str = "fixtures/complaint-rejected/typical.json";

#[test]
fn each_templates_schema_is_what_the_fields_command_prints() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    for id in ["invoice", "complaint-rejected"] {
        let answer = get(&server, &format!("/v1/templates/{id}/schema"), &[]);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.content_type, "application/schema+json");
        let cli = project.run(&["fields", id, "--format", "json-schema"]).expect(0);
        assert_eq!(answer.text(), cli.stdout, "{id}");
    }
    let unknown = get(&server, "/v1/templates/invoce/schema", &[]);
    assert_eq!(unknown.status, 404);
    assert!(unknown.text().contains("did you mean `invoice`?"), "{}", unknown.text());
}

#[test]
fn the_page_and_its_assets_are_served_with_a_policy_that_lets_only_them_run() {
    let project = Project::bundled();
    project.write("tokens", "0123456789abcdef0123456789abcdef\n");
    let server = Server::start(&project, &["--token-file", "tokens"]);
    // The page opens without a token (it holds no data); the API it calls does not.
    let page = get(&server, "/", &[]);
    assert_eq!((page.status, page.content_type.as_str()), (200, "text/html; charset=utf-8"));
    let html = page.text();
    assert!(html.contains("<script src=\"/assets/agent.js\" defer></script>"), "{html}");
    assert!(!html.contains("<script>"), "no inline script: the policy would refuse it");
    let csp = page.header("content-security-policy").expect("a policy").to_string();
    for directive in ["script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "default-src 'none'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    for (file, kind) in [("agent.js", "text/javascript"), ("agent.css", "text/css")] {
        let asset = get(&server, &format!("/assets/{file}"), &[]);
        assert_eq!(asset.status, 200, "{file}");
        assert!(asset.content_type.starts_with(kind), "{file}: {}", asset.content_type);
    }
    // Only the page's own files: nothing of the standard's folder or the disk.
    for path in ["/assets/../missive.toml", "/assets/missive.toml", "/assets/%2e%2e%2fmissive.toml"] {
        let answer = get(&server, path, &[]);
        assert!(matches!(answer.status, 401 | 404), "{path}: {}", answer.status);
        assert!(!answer.text().contains("[sender]"), "{path} leaked the standard");
    }
    assert_eq!(get(&server, "/v1/templates", &[]).status, 401);
}

/// Posts the typical complaint reply as text, from `threads` clients, until `stop`; counts the
/// answers that were not 200 and records the latest letter text.
fn keep_asking(server: &Server, stop: &AtomicBool, failures: &AtomicUsize, latest: &std::sync::Mutex<String>) {
    let body = std::fs::read_to_string(crate::harness::bundled_root().join(REJECTED)).expect("fixture");
    while !stop.load(Ordering::Acquire) {
        let answer = post(server, "/v1/letters/complaint-rejected?format=text&locale=pl", &[], body.as_bytes());
        if answer.status == 200 {
            *latest.lock().expect("lock") = answer.text();
        } else {
            failures.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Waits up to `limit` for `check` to hold; the time it took.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn watch_serves_an_edit_within_a_second_and_keeps_the_last_good_standard_through_a_broken_one() {
    let project = Project::bundled();
    let server = Server::start(&project, &["--watch"]);
    let stop = AtomicBool::new(false);
    let failures = AtomicUsize::new(0);
    let latest = std::sync::Mutex::new(String::new());
    let health = || get(&server, "/healthz", &[]).json();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| keep_asking(&server, &stop, &failures, &latest));
        }
        let text = |needle: &str| latest.lock().expect("lock").contains(needle);
        assert!(within(Duration::from_secs(10), || text("Z poważaniem")).is_some(), "the first letters");
        assert_eq!(health()["generation"], 1);

        // A message edited: the next letters say it, within a second.
        let ftl = "locales/pl/common.ftl";
        let old = std::fs::read_to_string(project.path().join(ftl)).expect("ftl");
        let edited = old.replacen("Z poważaniem", "Z wyrazami szacunku", 1);
        assert_ne!(old, edited, "the closing is in {ftl}");
        std::fs::write(project.path().join(ftl), &edited).expect("write");
        let took = within(Duration::from_secs(5), || text("Z wyrazami szacunku"));
        assert!(took.is_some_and(|t| t < Duration::from_secs(1)), "the edit served after {took:?}");
        assert_eq!(health()["generation"], 2);

        // A template broken: the error is shown, with its file, and the last good one serves on.
        project.edit("templates/complaint-rejected.tera", "{{ complaint.reason }}", "{{ complaint.reason ");
        let broken = within(Duration::from_secs(5), || health()["reload_error"].is_string());
        assert!(broken.is_some(), "no reload error in {}", health());
        let error = health()["reload_error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains("templates/complaint-rejected.tera"), "{error}");
        assert!(!error.contains(&project.path().to_string_lossy().to_string()), "an absolute path: {error}");
        latest.lock().expect("lock").clear();
        assert!(within(Duration::from_secs(5), || text("Z wyrazami szacunku")).is_some(), "the last good standard");
        assert_eq!(health()["generation"], 2);

        // Mended: the error goes.
        project.edit("templates/complaint-rejected.tera", "{{ complaint.reason ", "{{ complaint.reason }}");
        assert!(within(Duration::from_secs(5), || health()["reload_error"].is_null()).is_some(), "{}", health());
        assert_eq!(health()["generation"], 3);
        stop.store(true, Ordering::Release);
    });
    assert_eq!(failures.load(Ordering::Acquire), 0, "requests failed during the reloads");
}

#[test]
fn an_agent_writes_checks_and_downloads_a_complaint_reply_in_chromium() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("agent-page");
    let run = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/agent_page.py"))
        .arg(server.url("/"))
        .arg(&out)
        .output()
        .expect("python3 runs (scripts/test.sh installs selenium, chromium and chromium-driver)");
    assert!(
        run.status.success(),
        "the browser test failed (screenshots in {}):\n{}\n{}",
        out.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The bundled standard sending through `smtp`.
fn sending_through(smtp: &crate::batch::Server) -> Project {
    let project = Project::bundled();
    let config = std::fs::read_to_string(project.path().join("missive.toml")).expect("missive.toml");
    project.write("missive.toml", &format!("{config}\n[serve]\nsmtp = \"{}\"\n", smtp.url()));
    project
}

fn send(server: &Server, key: Option<&str>, body: &str) -> crate::serve::Answer {
    let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
    post(server, "/v1/letters/complaint-rejected/send", &headers, body.as_bytes())
}

#[test]
fn a_retried_send_with_its_key_is_the_same_letter_and_never_a_second() {
    let smtp = crate::batch::Server::start(&[]);
    let project = sending_through(&smtp);
    let server = Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join(REJECTED)).expect("fixture");

    assert_eq!(get(&server, "/healthz", &[]).json()["sends"], true, "the page offers to send");
    let first = send(&server, Some("crm-0160-1"), &record);
    assert_eq!(first.status, 200, "{}", first.text());
    let sent = first.json();
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["to"], serde_json::json!(["piotr.nowak@example.pl"]));
    let id = sent["message_id"].as_str().expect("message_id").to_string();

    // The CRM timed out and asks again: the same answer, nothing sent again.
    let again = send(&server, Some("crm-0160-1"), &record);
    assert_eq!((again.status, again.header("idempotent-replayed")), (200, Some("true")));
    assert_eq!(again.json()["message_id"], id.as_str());
    assert_eq!(smtp.received_ids(), std::slice::from_ref(&id));

    // The same key for another letter is refused; two letters without keys are two letters.
    let other = record.replace("Piotr Nowak", "Anna Nowak");
    assert_eq!(send(&server, Some("crm-0160-1"), &other).status, 422);
    let (a, b) = (send(&server, None, &record), send(&server, None, &record));
    assert_eq!((a.status, b.status), (200, 200));
    assert_ne!(a.json()["message_id"], b.json()["message_id"]);
    assert_eq!(smtp.received_ids().len(), 3);

    // A record that does not fit sends nothing and forgets the key: the mended one goes.
    let broken = record.replace("REK/2026/11/0160", "0160");
    let refused = send(&server, Some("crm-0160-2"), &broken);
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["errors"][0]["field"], "complaint.number");
    assert_eq!(send(&server, Some("crm-0160-2"), &record).status, 200);
    assert_eq!(smtp.received_ids().len(), 4);
    assert_eq!(send(&server, Some("bad key with spaces"), &record).status, 400);
}

#[test]
fn a_mail_server_that_is_down_is_503_and_the_retry_sends_once_it_is_back() {
    let mut smtp = crate::batch::Server::start(&[]);
    let port = smtp.port.to_string();
    let project = sending_through(&smtp);
    let server = Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join(REJECTED)).expect("fixture");
    smtp.kill();
    let down = send(&server, Some("crm-1"), &record);
    assert_eq!((down.status, down.header("retry-after")), (503, Some("30")), "{}", down.text());
    assert!(down.text().contains("nothing was sent"), "{}", down.text());
    let back = crate::batch::Server::start(&["--port", &port]);
    let sent = send(&server, Some("crm-1"), &record);
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert_eq!(back.received_ids().len(), 1);
}

#[test]
fn a_lost_reply_is_in_doubt_and_the_retry_is_refused_rather_than_sent_twice() {
    let smtp = crate::batch::Server::start(&["--drop-after-data", "1", "--reject", "anna@example.pl"]);
    let project = sending_through(&smtp);
    let server = Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join(REJECTED)).expect("fixture");
    let lost = send(&server, Some("crm-2"), &record);
    assert_eq!(lost.status, 504, "{}", lost.text());
    assert!(lost.text().contains("may have arrived"), "{}", lost.text());
    let retry = send(&server, Some("crm-2"), &record);
    assert_eq!(retry.status, 409, "{}", retry.text());
    assert_eq!(smtp.received_ids().len(), 1, "stored once, never sent again");

    // A refusal by the server is the letter's answer, given again to a retry.
    let refused_record = record.replace("piotr.nowak@example.pl", "anna@example.pl");
    let refused = send(&server, Some("crm-3"), &refused_record);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("refused the letter"), "{}", refused.text());
    let again = send(&server, Some("crm-3"), &refused_record);
    assert_eq!((again.status, again.header("idempotent-replayed")), (422, Some("true")));
}

#[test]
fn without_a_mail_server_sending_is_not_offered() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join(REJECTED)).expect("fixture");
    assert_eq!(get(&server, "/healthz", &[]).json()["sends"], false);
    let answer = send(&server, Some("k"), &record);
    assert_eq!(answer.status, 501);
    assert!(answer.text().contains("[serve] smtp"), "{}", answer.text());
}
