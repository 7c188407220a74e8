//! `check` and `test` in the formats CI systems read, validated with the consumers' own schemas
//! by independent code (`tests/ci_formats.py`: Python jsonschema and xmlschema).

use crate::harness::{Project, Run, bundled_root};

const TODAY: &str = "2026-11-23";

/// Validates `text` as a `kind` report (`gitlab`, `junit`) with tests/ci_formats.py.
#[track_caller]
fn assert_valid(project: &Project, kind: &str, text: &str) {
    let path = project.path().join(format!("report.{kind}"));
    std::fs::write(&path, text).expect("write the report");
    let script = bundled_root().join("tests/ci_formats.py");
    let out = std::process::Command::new("python3").arg(script).arg(kind).arg(&path).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "{kind} report invalid or validator missing (scripts/test.sh installs jsonschema and xmlschema):\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The bundled standard with the Polish thank-you gone from the invoice and a blaming phrase in
/// its Polish message: errors in every invoice letter.
fn with_findings() -> Project {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "");
    project.edit("locales/pl/invoice.ftl", "Termin płatności upływa", "Komputer wyliczył, że termin płatności upływa");
    project
}

fn check(project: &Project, format: &str) -> Run {
    project.run(&["check", "invoice", "--format", format, "--today", TODAY])
}

#[test]
fn check_as_gitlab_code_quality_passes_its_schema_with_stable_fingerprints() {
    let project = with_findings();
    let run = check(&project, "gitlab").expect(1);
    assert_valid(&project, "gitlab", &run.stdout);
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let issues = issues.as_array().expect("an array");
    let blaming = issues.iter().find(|i| i["check_name"] == "brand-voice.blaming-the-machine").expect("the blame");
    assert_eq!(blaming["severity"], "major");
    assert_eq!(blaming["location"]["path"], "locales/pl/invoice.ftl");
    assert!(blaming["description"].as_str().unwrap().contains("in 7 letters"), "{blaming}");
    // Another finding elsewhere moves no fingerprint.
    project.edit("locales/en/invoice.ftl", "\n", "\n# a comment line at the top\n");
    let again = check(&project, "gitlab").expect(1);
    let again: serde_json::Value = serde_json::from_str(&again.stdout).expect("JSON");
    let same = again.as_array().unwrap().iter().find(|i| i["check_name"] == "brand-voice.blaming-the-machine").unwrap();
    assert_eq!(same["fingerprint"], blaming["fingerprint"]);
}

#[test]
fn check_as_junit_passes_the_jenkins_schema_with_one_case_per_rule_and_template() {
    let project = with_findings();
    let run = check(&project, "junit").expect(1);
    assert_valid(&project, "junit", &run.stdout);
    assert!(run.stdout.contains("<testsuite name=\"invoice\""), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "<testcase name=\"brand-voice.blaming-the-machine\" classname=\"templates.invoice\" time=\"0\">\n      <failure"
        ),
        "{}",
        run.stdout
    );
    // A clean standard: every case passes.
    let clean = Project::bundled();
    let run = check(&clean, "junit").expect(0);
    assert_valid(&clean, "junit", &run.stdout);
    assert!(!run.stdout.contains("<failure"), "{}", run.stdout);
}

#[test]
fn hostile_names_and_text_stay_valid_xml_and_json() {
    let project = with_findings();
    let hostile = "fixtures/invoice/a&b <\"c\"> ]]> 'd'.json";
    let text = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture");
    project
        .write(hostile, &text.replacen("\"customer\": {", "\"customer\": {\n    \"_note\": \"<&\\\"]]>\\u0001\",", 1));
    for format in ["junit", "gitlab"] {
        let run = check(&project, format).expect(1);
        assert!(run.stdout.contains("a&amp;b &lt;") || run.stdout.contains("a&b <\\\"c\\\">"), "{}", run.stdout);
        assert_valid(&project, format, &run.stdout);
    }
    // In a snapshot test, the letter itself carries it.
    let project = Project::bundled();
    // (Control characters never reach a letter: the record is refused, naming U+0007.)
    project.edit("fixtures/invoice/lines.json", "Anna Kowalska", "<Anna> & \\\"Syn\\\" ]]> Kowalska");
    let run = project.run(&["test", "invoice", "--format", "junit"]).expect(1);
    assert!(run.stdout.contains("\n+&lt;Anna&gt; &amp; \"Syn\" ]]&gt; Kowalska\n"), "{}", run.stdout);
    assert_valid(&project, "junit", &run.stdout);
    let run = project.run(&["test", "invoice", "--format", "gitlab"]).expect(1);
    assert_valid(&project, "gitlab", &run.stdout);
}

#[test]
fn test_as_junit_has_one_case_per_letter_with_the_diff() {
    let project = Project::bundled();
    project.edit("locales/pl/common.ftl", "closing-formula = Z poważaniem", "closing-formula = Z wyrazami szacunku");
    let run = project.run(&["test", "--format", "junit"]).expect(1);
    assert_valid(&project, "junit", &run.stdout);
    assert!(
        run.stdout.contains("<testsuites name=\"missive test\" tests=\"64\" failures=\"32\" errors=\"0\">"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("<testcase name=\"lines [en]\" classname=\"fixtures.invoice\" time=\"0\"/>"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("-Z poważaniem\n+Z wyrazami szacunku\n"), "{}", run.stdout);

    let run = project.run(&["test", "--format", "gitlab"]).expect(1);
    assert_valid(&project, "gitlab", &run.stdout);
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(issues.as_array().unwrap().len(), 32);
    assert!(issues[0]["location"]["path"].as_str().unwrap().ends_with(".pl.snap"), "{}", issues[0]);
    assert!(issues[0]["location"]["lines"]["begin"].as_u64().unwrap() > 1, "{}", issues[0]);

    let run = project.run(&["test", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["summary"]["changed"], 32);
    let run = project.run(&["test", "--format", "sarif"]).expect(1);
    assert_sarif_valid(&project, "test.sarif", &run.stdout);
}

#[test]
fn sarif_rules_link_to_the_handbook_and_results_carry_fingerprints() {
    let project = with_findings();
    project.edit(
        "missive.toml",
        "[standard]\n",
        "[standard]\nhandbook_url = \"https://intranet.example.pl/handbook.html\"\n",
    );
    let run = check(&project, "sarif").expect(1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let blaming = rules.iter().find(|r| r["id"] == "brand-voice.blaming-the-machine").expect("rule");
    assert_eq!(blaming["helpUri"], "https://intranet.example.pl/handbook.html#rule-brand-voice.blaming-the-machine");
    // The anchor is the one the HTML handbook gives the rule.
    let handbook = project.run(&["rules", "--format", "html"]).expect(0);
    assert!(handbook.stdout.contains("id=\"rule-brand-voice.blaming-the-machine\""));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().all(|r| r["partialFingerprints"]["missiveFinding/v1"].is_string()));
    assert_sarif_valid(&project, "check.sarif", &run.stdout);
}

/// Writes `document` to `name` in the project and has the OASIS SARIF 2.1.0 schema judge it.
#[track_caller]
fn assert_sarif_valid(project: &Project, name: &str, document: &str) {
    let path = project.path().join(name);
    std::fs::write(&path, document).expect("write sarif");
    let out = std::process::Command::new("python3")
        .arg(bundled_root().join("tests/sarif_schema.py"))
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn github_annotations_are_grouped_capped_and_tabled_in_the_step_summary() {
    let project = with_findings();
    let summary = project.path().join("summary.md");
    let run = project.run_with_env(
        &["check", "--format", "github", "--today", TODAY],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))],
    );
    let run = run.expect(1);
    let errors = run.stdout.lines().filter(|l| l.starts_with("::error")).count();
    assert!((1..=10).contains(&errors), "{}", run.stdout);
    assert_eq!(run.stdout.matches("title=brand-voice.blaming-the-machine::").count(), 1, "{}", run.stdout);
    let table = std::fs::read_to_string(&summary).expect("the step summary");
    assert!(table.starts_with("### missive check\n"), "{table}");
    assert!(table.contains("| error | brand-voice.blaming-the-machine | locales/pl/invoice.ftl:"), "{table}");
}

#[test]
fn text_is_the_default_and_human_its_hidden_alias() {
    let project = with_findings();
    let default = check(&project, "text").expect(1);
    let human = check(&project, "human").expect(1);
    let bare = project.run(&["check", "invoice", "--today", TODAY]).expect(1);
    assert_eq!(default.stdout, bare.stdout);
    assert_eq!(human.stdout, bare.stdout);
    let test_human = project.run(&["test", "invoice", "--format", "human"]);
    let test_bare = project.run(&["test", "invoice"]);
    assert_eq!(test_human.stdout, test_bare.stdout);
    let help = project.run(&["check", "--help"]).expect(0);
    assert!(help.stdout.contains("gitlab") && help.stdout.contains("junit"), "{}", help.stdout);
    assert!(!help.stdout.contains("human"), "{}", help.stdout);
}

#[test]
fn an_unknown_format_is_a_usage_error_naming_the_choices() {
    let project = Project::bundled();
    for command in ["check", "test"] {
        let run = project.run(&[command, "--format", "xml"]).expect(2);
        assert!(run.stderr.contains("text, json, sarif, github, gitlab, junit"), "{}", run.stderr);
    }
}
