//! `render --format json` prints a document on every exit: the letter (0), or its refusal with
//! every error and finding (1 and 2), where the letter would have gone.

use crate::harness::Project;

const INVOICE: &str = "fixtures/invoice/lines.json";

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

#[test]
fn a_record_that_does_not_fit_prints_every_error_with_its_field() {
    let project = Project::bundled();
    let bad = r#"{"customer": {"name": "Anna", "email": "anna@example.pl"}, "invoice": {"number": "F/1", "total": "12 PLN", "due": "31.12.2026"}}"#;
    let run = project
        .run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json", "--today", "2026-11-23"], Some(bad))
        .expect(2);
    assert!(run.stderr.contains("field `invoice.due`"), "the human message stays on stderr: {}", run.stderr);
    let doc = json(&run.stdout);
    assert_eq!(doc["template"], "invoice");
    let errors = doc["errors"].as_array().expect("errors");
    assert!(errors.iter().all(|e| e["code"] == "missive::record"), "{doc}");
    let due = errors.iter().find(|e| e["field"] == "invoice.due").expect("invoice.due named");
    assert!(due["help"].as_str().is_some_and(|h| h.contains("YYYY-MM-DD")), "{doc}");
    assert_eq!(due["location"]["file"], "templates/invoice.tera");
    assert_eq!(doc["findings"], serde_json::json!([]));

    // Not a record at all, an unknown template, a standard that does not load: still a document.
    let run = project.run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json"], Some("{")).expect(2);
    assert_eq!(json(&run.stdout)["errors"][0]["code"], "missive::data");
    let run = project.run(&["render", "invoce", "--data", INVOICE, "--format", "json", "-o", "out.json"]).expect(2);
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(project.path().join("out.json")).expect("the document where -o says");
    assert!(json(&written)["errors"][0]["help"].as_str().is_some_and(|h| h.contains("did you mean `invoice`")));
    project.write("missive.toml", "[standard\n");
    let run = project.run(&["render", "invoice", "--data", INVOICE, "--format", "json"]).expect(2);
    let doc = json(&run.stdout);
    assert_eq!(doc["errors"][0]["code"], "missive::config");
    assert_eq!(doc["errors"][0]["location"]["file"], "missive.toml", "{doc}");
}

#[test]
fn a_letter_that_breaks_a_rule_prints_its_findings_and_no_letter() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "");
    let run =
        project.run(&["render", "invoice", "--data", INVOICE, "--format", "json", "--today", "2026-11-23"]).expect(1);
    let doc = json(&run.stdout);
    assert_eq!(doc["errors"][0]["code"], "missive::rules");
    assert!(doc["errors"][0]["message"].as_str().is_some_and(|m| m.contains("courtesy.missing-thanks")), "{doc}");
    assert_eq!(doc["findings"][0]["code"], "courtesy.missing-thanks");
    assert_eq!(doc["locale"], "pl");
    assert!(doc.get("text").is_none() && doc.get("html").is_none(), "the letter is not written: {doc}");
    // --allow-violations writes the letter, findings inside, exit 1 as before.
    let run = project
        .run(&[
            "render",
            "invoice",
            "--data",
            INVOICE,
            "--format",
            "json",
            "--today",
            "2026-11-23",
            "--allow-violations",
        ])
        .expect(1);
    assert!(json(&run.stdout)["text"].is_string());
}
