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
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[1]["content_type"], "text/html");
    assert_eq!(
        parts[0]["content"].as_str().map(|s| s.replace("\r\n", "\n")),
        letter["text"].as_str().map(str::to_string)
    );
    assert_eq!(
        parts[1]["content"].as_str().map(|s| s.replace("\r\n", "\n")),
        letter["html"].as_str().map(str::to_string)
    );
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let project = Project::bundled();
    let args =
        ["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "eml", "--today", "2026-11-23"];
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
