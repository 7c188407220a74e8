//! Bad records and bad command lines: exit code 2 and a message that names the field and the fix.

use crate::harness::Project;

fn record(customer: serde_json::Value, invoice: serde_json::Value) -> String {
    serde_json::json!({ "customer": customer, "invoice": invoice }).to_string()
}

fn good_customer() -> serde_json::Value {
    serde_json::json!({"name": "Anna Kowalska", "gender": "female", "email": "anna@example.pl"})
}

fn good_invoice() -> serde_json::Value {
    serde_json::json!({"number": "FV/2026/11/0042", "total": "100.00 PLN", "due": "2026-12-01"})
}

/// Renders the invoice from `input` on stdin and returns stderr, asserting exit code 2.
fn rejected(input: &str) -> String {
    let project = Project::bundled();
    let run =
        project.run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(input)).expect(2);
    assert_eq!(run.stdout, "", "nothing is written for a rejected record");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn each_kind_of_bad_field_is_named_with_its_fix() {
    let mut invoice = good_invoice();
    let cases: Vec<(String, &[&str])> = vec![
        (
            record(serde_json::json!({"gender": "female", "email": "a@example.pl"}), good_invoice()),
            &["field `customer.name`", "required name field is missing"],
        ),
        (
            record(serde_json::json!({"name": 42, "email": "a@example.pl"}), good_invoice()),
            &["field `customer.name`", "expected a string, found a number"],
        ),
        (
            record(serde_json::json!({"name": "A", "email": "anna(at)example.pl"}), good_invoice()),
            &["field `customer.email`", "is not an e-mail address"],
        ),
        (
            record(good_customer(), {
                invoice["due"] = "31.12.2026".into();
                invoice.clone()
            }),
            &["field `invoice.due`", "is not a date", "YYYY-MM-DD"],
        ),
        (
            record(serde_json::json!({"name": "A".repeat(121), "email": "a@example.pl"}), good_invoice()),
            &["field `customer.name`", "is 121 characters long; at most 120 are accepted"],
        ),
        (
            record(serde_json::json!({"name": "A", "email": "a@example.pl", "gender": "kobieta"}), good_invoice()),
            &["field `customer.gender`", "use one of: female, male, company, unknown"],
        ),
        (
            record(
                good_customer(),
                serde_json::json!({"number": "FV/2026/11/0042", "total": {"amount": "100.50", "currency": "zł"}, "due": "2026-12-01"}),
            ),
            &["field `invoice.total`", "`zł` is not an ISO 4217 currency code"],
        ),
        (
            record(
                good_customer(),
                serde_json::json!({"number": "FV/2026/11/0042", "total": "100,50 PLN", "due": "2026-12-01"}),
            ),
            &["field `invoice.total`", "decimal comma", "100.50 PLN"],
        ),
        (
            record(good_customer(), serde_json::json!({"number": "FV-1", "total": "1 PLN", "due": "2026-12-01"})),
            &["field `invoice.number`", "does not match the pattern"],
        ),
        (
            record(
                good_customer(),
                serde_json::json!({"number": "FV/2026/11/0042", "total": "1 PLN", "due": "2026-12-01",
            "lines": [{"description": "x", "quantity": "dwa", "amount": "1 PLN"}]}),
            ),
            &["field `invoice.lines[0].quantity`", "`dwa` is not a decimal number"],
        ),
        (
            record(
                serde_json::json!({"name": "Anna\r\nBcc: victim@example.pl", "email": "a@example.pl"}),
                good_invoice(),
            ),
            &["field `customer.name`", "contains a line break"],
        ),
    ];
    for (input, wants) in cases {
        let stderr = rejected(&input);
        assert!(stderr.contains("the record does not fit template `invoice`"), "{stderr}");
        for want in wants {
            assert!(stderr.contains(want), "missing {want:?} in:\n{stderr}");
        }
    }
}

#[test]
fn every_problem_of_a_record_is_reported_at_once() {
    let stderr = rejected(&record(serde_json::json!({"email": "nope"}), serde_json::json!({})));
    assert!(stderr.contains("(5 problems)"), "{stderr}");
    for field in ["customer.name", "customer.email", "invoice.number", "invoice.total", "invoice.due"] {
        assert!(stderr.contains(&format!("field `{field}`")), "{field} not named:\n{stderr}");
    }
}

#[test]
fn problems_point_at_the_template_line_that_uses_the_field() {
    let stderr = rejected(&record(good_customer(), serde_json::json!({"number": "FV/2026/11/0042", "total": "1 PLN"})));
    // invoice.due is first used in the intro line of the invoice body.
    assert!(stderr.contains("templates/invoice.tera:25"), "{stderr}");
    assert!(stderr.contains("used here"), "{stderr}");
}

#[test]
fn malformed_json_names_line_and_column() {
    let stderr = rejected("{\n  \"customer\": {\"name\": \"Anna\",}\n}");
    assert!(stderr.contains("stdin:2:"), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
}

#[test]
fn a_list_of_records_is_sent_to_batch() {
    let stderr = rejected("[{}, {}]");
    assert!(stderr.contains("holds a list of records; render takes one"), "{stderr}");
    assert!(stderr.contains("missive batch"), "{stderr}");
}

#[test]
fn unknown_fields_and_languages_warn_but_render() {
    let project = Project::bundled();
    let input = serde_json::json!({"locale": "de-DE", "customer": {"name": "Anna", "gender": "female", "email": "a@example.pl", "emial": "x"},
        "invoice": {"number": "FV/2026/11/0042", "total": "1 PLN", "due": "2026-12-01"}, "notes": "x"})
    .to_string();
    let run =
        project.run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(&input)).expect(0);
    assert!(
        run.stderr.contains("warning[record.unknown-field]: `customer.emial` is not a field of this template"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `customer.email`?"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[record.unknown-field]: `notes`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[locale.fallback]: the standard has no `de-DE` letters; writing in `pl`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("Szanowna Pani,"));
}

#[test]
fn bad_command_lines_exit_2() {
    let project = Project::bundled();
    let run = project.run(&["render", "invoce", "--data", "fixtures/invoice/lines.json"]).expect(2);
    assert!(
        run.stderr.contains("the standard has no template `invoce`") && run.stderr.contains("did you mean `invoice`?"),
        "{}",
        run.stderr
    );
    let run = project.run(&["render", "invoice", "--data", "no-such-file.json"]).expect(2);
    assert!(run.stderr.contains("cannot read no-such-file.json"), "{}", run.stderr);
    let run =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--today", "23.11.2026"]).expect(2);
    assert!(run.stderr.contains("write YYYY-MM-DD"), "{}", run.stderr);
    let run = project
        .run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--locale", "not a tag!"])
        .expect(2);
    assert!(run.stderr.contains("is not a language tag"), "{}", run.stderr);
    let run = project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--set", "oops"]).expect(2);
    assert!(run.stderr.contains("expected PATH=VALUE"), "{}", run.stderr);
}

#[test]
fn a_folder_without_a_standard_is_explained() {
    let empty = tempfile::tempdir().expect("tempdir");
    let project = Project::bundled();
    let run = project
        .run(&["--project", &empty.path().display().to_string(), "render", "invoice", "--data", "x.json"])
        .expect(2);
    assert!(run.stderr.contains("holds no missive.toml, so it is not a standard"), "{}", run.stderr);
}

#[test]
fn record_errors_read_well() {
    let stderr =
        rejected(&record(serde_json::json!({"name": "Anna", "email": "anna@", "gender": "Female"}), good_invoice()));
    insta::assert_snapshot!(stderr);
}
