//! `missive serve`: the real binary on an ephemeral port, spoken to over HTTP (ureq, and raw TCP
//! where a client must misbehave): every route, every error status, the token check, the shared
//! JSON shape with `render --format json`, the busy answer and a graceful SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value as Json;

use crate::harness::{Project, bundled_root};

const INVOICE: &str = "fixtures/invoice/lines.json";
const TODAY: &str = "2026-11-23";

/// A `missive serve` child on `127.0.0.1:0`, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, from the first line it printed.
    pub addr: String,
}

impl Server {
    /// Starts the server in `project` with extra flags and waits for its first line.
    pub fn start(project: &Project, flags: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .current_dir(project.path())
            .env("NO_COLOR", "1")
            .env_remove("MISSIVE_PROJECT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run missive serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let mut stderr = String::new();
            let _ = child.stderr.take().expect("stderr").read_to_string(&mut stderr);
            panic!("missive serve did not say where it listens: {line:?}\n{stderr}");
        };
        Server { addr: addr.to_string(), child }
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends SIGTERM and waits (at most 30 s) for the exit: (code, stderr).
    pub fn terminate(mut self) -> (i32, String) {
        // SAFETY: kill only sends a signal to our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let mut stderr = String::new();
                let _ = self.child.stderr.take().expect("stderr").read_to_string(&mut stderr);
                return (status.code().unwrap_or(-1), stderr);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("missive serve did not stop within 30 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers we look at, body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Json {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn answer(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().expect("read the body");
    Answer { status: response.status().as_u16(), content_type, headers, body }
}

/// GET `path` with these headers.
pub fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = agent().get(server.url(path));
    for (n, v) in headers {
        request = request.header(*n, *v);
    }
    answer(request.call().expect("GET"))
}

/// POST `body` to `path` with these headers.
pub fn post(server: &Server, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut request = agent().post(server.url(path)).header("content-type", "application/json");
    for (n, v) in headers {
        request = request.header(*n, *v);
    }
    answer(request.send(body).expect("POST"))
}

/// A bundled fixture with its letter date fixed, as JSON text.
fn record(fixture: &str) -> String {
    let text = std::fs::read_to_string(bundled_root().join(fixture)).expect("fixture");
    let mut record: serde_json::Map<String, Json> = serde_json::from_str(&text).expect("JSON");
    record.insert("_today".into(), Json::String(TODAY.into()));
    serde_json::to_string(&record).expect("serialise")
}

/// Asserts that every answer carries the security headers and, for errors, a JSON body with
/// `errors` and `findings` and none of the machine's paths.
#[track_caller]
fn safe(answer: &Answer, project: &Project) {
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    let csp = answer.header("content-security-policy").expect("a Content-Security-Policy");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    if answer.status >= 400 {
        assert_eq!(answer.content_type, "application/json", "{answer:?}");
        let json = answer.json();
        assert!(json["errors"].as_array().is_some_and(|e| !e.is_empty()), "{json}");
        assert!(json["findings"].is_array(), "{json}");
        let text = answer.text();
        let root = project.path().to_string_lossy().to_string();
        assert!(!text.contains(&root), "an absolute path in {text}");
    }
}

#[test]
fn health_templates_openapi_and_metrics() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let health = get(&server, "/healthz", &[]);
    assert_eq!((health.status, health.json()["status"].as_str()), (200, Some("ok")));
    safe(&health, &project);

    let list = get(&server, "/v1/templates", &[]);
    safe(&list, &project);
    let templates = list.json()["templates"].as_array().expect("templates").clone();
    let invoice = templates.iter().find(|t| t["id"] == "invoice").expect("invoice listed");
    for key in ["title", "kind", "owner", "review_by", "locales", "fields"] {
        assert!(!invoice[key].is_null(), "invoice has no {key}: {invoice}");
    }
    assert_eq!(invoice["locales"], serde_json::json!(["pl", "en"]));
    assert!(invoice["fields"].as_array().expect("fields").iter().any(|f| f["path"] == "customer.name"));

    let openapi = get(&server, "/v1/openapi.json", &[]);
    assert_eq!(openapi.status, 200);
    let doc = openapi.json();
    assert_eq!(doc["openapi"], "3.1.0");
    // The document names exactly the routes the server answers.
    let mut paths: Vec<&str> = doc["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/healthz",
            "/metrics",
            "/v1/letters/{id}",
            "/v1/letters/{id}/check",
            "/v1/letters/{id}/send",
            "/v1/openapi.json",
            "/v1/templates",
            "/v1/templates/{id}/schema"
        ]
    );

    post(&server, "/v1/letters/invoice", &[], record(INVOICE).as_bytes());
    let metrics = get(&server, "/metrics", &[]);
    assert!(metrics.content_type.starts_with("text/plain; version=0.0.4"), "{}", metrics.content_type);
    let text = metrics.text();
    assert!(
        text.contains("missive_http_requests_total{route=\"/v1/letters/{id}\",method=\"POST\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("missive_render_seconds_count 1"), "{text}");
    assert!(text.contains("# TYPE missive_findings_total counter"), "{text}");
}

#[test]
fn a_letter_in_every_format_the_same_as_render_gives() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let body = record(INVOICE);

    let letter = post(&server, "/v1/letters/invoice", &[], body.as_bytes());
    assert_eq!((letter.status, letter.content_type.as_str()), (200, "application/json"));
    safe(&letter, &project);
    let cli = project.run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json"], Some(&body)).expect(0);
    assert_eq!(letter.text(), cli.stdout, "the server's JSON letter is render --format json's");

    let text = post(&server, "/v1/letters/invoice?format=text", &[], body.as_bytes());
    assert_eq!(text.content_type, "text/plain; charset=utf-8");
    let cli = project.run_with_stdin(&["render", "invoice", "--data", "-"], Some(&body)).expect(0);
    assert_eq!(text.text(), cli.stdout);

    let html = post(&server, "/v1/letters/invoice", &[("accept", "text/html")], body.as_bytes());
    assert_eq!(html.content_type, "text/html; charset=utf-8");
    assert!(html.text().contains("<html lang=\"pl\""), "{}", html.text());

    let en = post(&server, "/v1/letters/invoice?locale=en&format=json", &[], body.as_bytes());
    assert_eq!(en.json()["locale"], "en");

    let pdf = post(&server, "/v1/letters/invoice", &[("accept", "application/pdf")], body.as_bytes());
    assert_eq!((pdf.status, pdf.content_type.as_str()), (200, "application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"), "not a PDF");
    assert_eq!(pdf.header("content-disposition"), Some("attachment; filename=\"invoice.pdf\""));

    let eml = post(&server, "/v1/letters/invoice?format=eml", &[], body.as_bytes());
    assert_eq!((eml.status, eml.content_type.as_str()), (200, "message/rfc822"));
    std::fs::write(project.path().join("letter.eml"), &eml.body).expect("write");
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/email_check.py"))
        .arg(project.path().join("letter.eml"))
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "the strict parser refused it: {}", String::from_utf8_lossy(&out.stdout));
    let parsed: Json = serde_json::from_slice(&out.stdout).expect("JSON from the checker");
    assert_eq!(parsed["subject"], "Faktura VAT nr FV/2026/11/0042 od Example Bank");

    let check = post(&server, "/v1/letters/invoice/check", &[], body.as_bytes());
    assert_eq!(check.status, 200);
    let verdict = check.json();
    assert_eq!((verdict["passes"].as_bool(), verdict["errors"].as_array().map(Vec::len)), (Some(true), Some(0)));
}

#[test]
fn a_bad_record_is_422_with_the_document_render_prints() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let bad = r#"{"customer": {"name": 5, "email": "anna"}, "invoice": {"due": "2026-02-30"}, "_today": "2026-11-23"}"#;
    let refused = post(&server, "/v1/letters/invoice", &[], bad.as_bytes());
    assert_eq!(refused.status, 422);
    safe(&refused, &project);
    let cli = project.run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json"], Some(bad)).expect(2);
    assert_eq!(refused.text(), cli.stdout, "the 422 body is render --format json's document");
    let json = refused.json();
    let errors = json["errors"].as_array().expect("errors");
    let fields: Vec<&str> = errors.iter().filter_map(|e| e["field"].as_str()).collect();
    for field in ["customer.name", "customer.email", "invoice.number", "invoice.due"] {
        assert!(fields.contains(&field), "{field} not named in {json}");
    }
    let name = errors.iter().find(|e| e["field"] == "customer.name").expect("customer.name");
    assert!(name["help"].is_string() && name["message"].is_string(), "{name}");
    assert_eq!(name["location"]["file"], "templates/invoice.tera", "{name}");
    assert!(name["location"]["line"].as_u64().is_some_and(|l| l > 1), "{name}");

    // /check judges the same record: 422, the verdict in the body.
    let check = post(&server, "/v1/letters/invoice/check", &[], bad.as_bytes());
    assert_eq!((check.status, check.json()["passes"].as_bool()), (422, Some(false)));
    assert_eq!(check.json()["errors"], json["errors"]);
}

#[test]
fn a_letter_that_breaks_a_rule_is_422_unless_violations_are_allowed() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "");
    let server = Server::start(&project, &[]);
    let body = record(INVOICE);
    let refused = post(&server, "/v1/letters/invoice", &[], body.as_bytes());
    assert_eq!(refused.status, 422);
    safe(&refused, &project);
    let json = refused.json();
    assert_eq!(json["errors"][0]["code"], "missive::rules", "{json}");
    assert_eq!(json["findings"][0]["code"], "courtesy.missing-thanks", "{json}");
    assert!(json["findings"][0]["suggestion"].is_string() || json["findings"][0]["help"].is_string(), "{json}");
    // The same document as render's exit 1, but for where the record came from.
    let cli = project.run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json"], Some(&body)).expect(1);
    let same = |text: &str| text.replace("\"origin\": \"request body\"", "\"origin\": \"stdin\"");
    assert_eq!(same(&refused.text()), cli.stdout);

    let allowed = post(&server, "/v1/letters/invoice?allow_violations=true&format=json", &[], body.as_bytes());
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.json()["findings"][0]["code"], "courtesy.missing-thanks");
    let check = post(&server, "/v1/letters/invoice/check", &[], body.as_bytes());
    assert_eq!((check.status, check.json()["passes"].as_bool()), (200, Some(false)));
    let metrics = get(&server, "/metrics", &[]).text();
    assert!(
        metrics.contains("missive_findings_total{rule=\"courtesy.missing-thanks\",severity=\"error\"} 3"),
        "{metrics}"
    );
}

#[test]
fn every_error_status_is_json() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let body = record(INVOICE);
    let cases: Vec<(Answer, u16, &str)> = vec![
        (post(&server, "/v1/letters/invoice", &[], b"{\"customer\": "), 400, "not valid JSON"),
        (post(&server, "/v1/letters/invoice", &[], b"[{}]"), 400, "a list"),
        (post(&server, "/v1/letters/invoice", &[], b""), 400, "empty"),
        (post(&server, "/v1/letters/invoice", &[], b"{\"a\": 1, \"a\": 2}"), 400, "duplicate key"),
        (post(&server, "/v1/letters/invoice?format=docx", &[], body.as_bytes()), 400, "not a format"),
        (post(&server, "/v1/letters/invoice?allow_violations=maybe", &[], body.as_bytes()), 400, "query"),
        (post(&server, "/v1/letters/invoce", &[], body.as_bytes()), 404, "no template `invoce`"),
        (post(&server, "/v1/letters/..%2F..%2Fmissive.toml", &[], body.as_bytes()), 404, "no template"),
        (get(&server, "/v1/letters/invoice", &[]), 405, "method"),
        (get(&server, "/v1/nothing", &[]), 404, "no such route"),
    ];
    for (answer, status, says) in &cases {
        assert_eq!(answer.status, *status, "{}", answer.text());
        safe(answer, &project);
        assert!(answer.text().contains(says), "{status}: {says:?} not in {}", answer.text());
    }
    assert!(cases[6].0.text().contains("did you mean `invoice`?"));
    assert_eq!(cases[8].0.header("allow"), Some("POST"));
    // A declared length over the limit is refused before the body is read; a chunked body is
    // refused when it passes the limit. (Raw TCP: a client still sending when the 413 comes
    // back sees its connection closed.)
    let mut tcp = TcpStream::connect(&server.addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(tcp, "POST /v1/letters/invoice HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n{{").expect("send");
    let mut head = [0u8; 12];
    tcp.read_exact(&mut head).expect("an answer before the body");
    assert_eq!(&head, b"HTTP/1.1 413");
    let mut tcp = TcpStream::connect(&server.addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let size = (1 << 20) + 1;
    write!(tcp, "POST /v1/letters/invoice HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{size:x}\r\n")
        .expect("send");
    let _ = tcp.write_all(&vec![b' '; size]).and_then(|()| tcp.write_all(b"\r\n0\r\n\r\n"));
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("larger than 1 MiB") && answer.contains("nosniff"), "{answer}");
}

#[test]
fn tokens_guard_every_route_but_health() {
    let project = Project::bundled();
    project.write("tokens", "# the CRM\n0123456789abcdef0123456789abcdef\n\nfedcba9876543210fedcba9876543210\n");
    let server = Server::start(&project, &["--token-file", "tokens"]);
    assert_eq!(get(&server, "/healthz", &[]).status, 200);
    let none = get(&server, "/v1/templates", &[]);
    assert_eq!((none.status, none.header("www-authenticate")), (401, Some("Bearer")));
    safe(&none, &project);
    let wrong = get(&server, "/v1/templates", &[("authorization", "Bearer 0123456789abcdef0123456789abcdee")]);
    assert_eq!(wrong.status, 401);
    let short = get(&server, "/v1/templates", &[("authorization", "Bearer 0123456789abcdef")]);
    assert_eq!(short.status, 401);
    for token in ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"] {
        let bearer = format!("Bearer {token}");
        assert_eq!(get(&server, "/v1/templates", &[("authorization", &bearer)]).status, 200);
        let letter = post(&server, "/v1/letters/invoice", &[("authorization", &bearer)], record(INVOICE).as_bytes());
        assert_eq!(letter.status, 200);
    }
    assert_eq!(post(&server, "/v1/letters/invoice", &[], record(INVOICE).as_bytes()).status, 401);
    assert_eq!(get(&server, "/metrics", &[]).status, 401);
}

#[test]
fn beyond_loopback_it_wants_tokens_or_an_explicit_no() {
    let project = Project::bundled();
    let run = project.run(&["serve", "--listen", "0.0.0.0:0"]).expect(2);
    assert!(run.stderr.contains("refusing to listen on 0.0.0.0:0 without authentication"), "{}", run.stderr);
    assert!(run.stderr.contains("--token-file"), "{}", run.stderr);
    project.write("tokens", "short\n");
    let run = project.run(&["serve", "--token-file", "tokens"]).expect(2);
    assert!(run.stderr.contains("too easy to guess"), "{}", run.stderr);
    project.write("tokens", "# none\n");
    let run = project.run(&["serve", "--token-file", "tokens"]).expect(2);
    assert!(run.stderr.contains("holds no token"), "{}", run.stderr);
}

#[test]
fn beyond_the_limit_and_the_queue_it_answers_503_with_retry_after() {
    let project = Project::bundled();
    let server = Server::start(&project, &["--jobs", "1", "--queue", "0"]);
    let body = record("fixtures/invoice/many-lines.json");
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..12)
            .map(|_| s.spawn(|| post(&server, "/v1/letters/invoice?format=pdf", &[], body.as_bytes())))
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    let busy: Vec<&Answer> = answers.iter().filter(|a| a.status == 503).collect();
    assert!(!busy.is_empty(), "12 PDFs at once on one slot without a queue: none refused");
    assert!(answers.iter().all(|a| a.status == 200 || a.status == 503));
    for answer in busy {
        assert_eq!(answer.header("retry-after"), Some("1"));
        safe(answer, &project);
    }
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let project = Project::bundled();
    let server = Server::start(&project, &[]);
    let body = record(INVOICE);
    let (head, tail) = body.split_at(body.len() / 2);
    let mut tcp = TcpStream::connect(&server.addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    write!(
        tcp,
        "POST /v1/letters/invoice?format=text HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    )
    .expect("send half");
    tcp.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    let pid = server.child.id();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    std::thread::sleep(Duration::from_millis(300));
    // It stopped listening, but the request in flight is still read and answered.
    assert!(TcpStream::connect(&server.addr).is_err(), "still accepting after SIGTERM");
    tcp.write_all(tail.as_bytes()).expect("send the rest");
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("Subject: Faktura VAT nr FV/2026/11/0042"), "{answer}");
    let (code, stderr) = server.terminate();
    assert_eq!(code, 0, "{stderr}");
}
