//! A standard with a mistake in it: the error names the file, the line and the fix.

use crate::harness::Project;

fn render(project: &Project) -> String {
    let run =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--today", "2026-11-23"]).expect(2);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn a_fluent_syntax_error_names_the_file_and_line() {
    let project = Project::bundled();
    project.write("locales/pl/broken.ftl", "ok = dobrze\nbroken = { $x\n");
    let stderr = render(&project);
    assert!(stderr.contains("locales/pl/broken.ftl: Fluent syntax error"), "{stderr}");
    assert!(stderr.contains("broken.ftl:2:1"), "{stderr}");
}

#[test]
fn a_message_missing_in_one_locale_is_an_error_not_a_fallback() {
    let project = Project::bundled();
    project.edit("locales/en/invoice.ftl", "invoice-col-total = Total due\n", "");
    let run = project
        .run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--locale", "en", "--today", "2026-11-23"])
        .expect(2);
    assert!(run.stderr.contains("message `invoice-col-total` is missing in locale `en`"), "{}", run.stderr);
    assert!(run.stderr.contains("templates/invoice.tera:32"), "{}", run.stderr);
    // Polish still renders.
    project
        .run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--locale", "pl", "--today", "2026-11-23"])
        .expect(0);
}

#[test]
fn a_template_syntax_error_points_at_the_template_line() {
    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "{% include \"partials/closing-thanks.tera\" %}",
        "{% include \"partials/closing-thanks.tera\" ",
    );
    let stderr = render(&project);
    assert!(stderr.contains("missive::template"), "{stderr}");
    // Tera notices the unclosed tag where the next one starts.
    assert!(stderr.contains("templates/invoice.tera:38:1: Found `{` but expected %}"), "{stderr}");
}

#[test]
fn an_undeclared_variable_is_a_render_error_with_its_line() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "{% include \"partials/closing-thanks.tera\" %}", "{{ customer.phone }}");
    let stderr = render(&project);
    assert!(stderr.contains("templates/invoice.tera:36"), "{stderr}");
    assert!(stderr.contains("guard it with {% if … is defined %}"), "{stderr}");
}

#[test]
fn an_error_after_folded_messages_points_at_the_template_as_written() {
    // Messages that take no arguments are folded into each language's copy of the templates:
    // a longer header moves the rest of its line, one of two lines moves every line after it.
    let project = Project::bundled();
    project.edit(
        "locales/pl/invoice.ftl",
        "invoice-col-description = Pozycja\n",
        "invoice-col-description =\n    Pozycja\n    na fakturze\n",
    );
    project.edit(
        "templates/invoice.tera",
        "{{ t(id=\"invoice-col-amount\") }} |\n",
        "{{ t(id=\"invoice-col-amount\") }} {{ customer.phone }} |\n",
    );
    let template = std::fs::read_to_string(project.path().join("templates/invoice.tera")).expect("template");
    let (line, col) = template
        .lines()
        .enumerate()
        .find_map(|(i, text)| text.find(".phone").map(|at| (i + 1, text[..at].chars().count() + 2)))
        .expect("the edited line");
    let stderr = render(&project);
    assert!(stderr.contains(&format!("templates/invoice.tera:{line}:{col}: Field `phone` is not defined")), "{stderr}");
}

#[test]
fn a_bad_field_declaration_is_a_load_error() {
    let project = Project::bundled();
    project.edit("templates/invoice.tera", "type = \"money\", required = true }", "type = \"cash\", required = true }");
    let stderr = render(&project);
    assert!(stderr.contains("field `invoice.total`: `cash` is not a field type"), "{stderr}");
    assert!(stderr.contains("templates/invoice.tera:15"), "{stderr}");
}

#[test]
fn a_broken_missive_toml_names_the_line() {
    let project = Project::bundled();
    project.edit("missive.toml", "default_locale = \"pl\"", "default_locale = pl");
    let stderr = render(&project);
    assert!(stderr.contains("missive.toml:6:"), "{stderr}");
}

#[test]
fn a_locale_without_messages_is_a_load_error() {
    let project = Project::bundled();
    project.edit("missive.toml", "locales = [\"pl\", \"en\"]", "locales = [\"pl\", \"en\", \"de\"]");
    let stderr = render(&project);
    assert!(stderr.contains("locales/de/ holds no .ftl files"), "{stderr}");
}

#[test]
fn missing_front_matter_is_explained() {
    let project = Project::bundled();
    project.write("templates/memo.tera", "Hello {{ name }}\n");
    let stderr = render(&project);
    assert!(stderr.contains("templates/memo.tera: the template has no front matter"), "{stderr}");
}

#[test]
fn missing_message_error_reads_well() {
    let project = Project::bundled();
    project.edit("locales/pl/invoice.ftl", "invoice-col-total = Razem do zapłaty\n", "");
    insta::assert_snapshot!(render(&project));
}

#[test]
fn a_deleted_message_is_one_finding_naming_its_template_and_the_letters_stay_counted() {
    // The Polish thank-you deleted: one `locale.missing-message` at the partial's call, with
    // the include and the English message to translate; no render failure per letter, no
    // untranslated warning for the same message, and the letters that could not render
    // counted in the last line.
    let project = Project::bundled();
    project.edit(
        "locales/pl/common.ftl",
        "closing-thanks = Dziękujemy za terminowe płatności i okazane nam zaufanie.\n",
        "",
    );
    let run = project.run(&["check", "--today", "2026-11-23"]).expect(1);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(run.stdout.matches("error[").count(), 1, "{}", run.stdout);
    assert!(!run.stdout.contains("render.failed") && !run.stdout.contains("locale.untranslated"), "{}", run.stdout);

    let run = project.run(&["check", "--format", "json", "--today", "2026-11-23"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!((json["letters"].as_u64(), json["not_rendered"].as_u64()), (Some(57), Some(7)), "{json}");
    let findings = json["diagnostics"].as_array().expect("list");
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["template"], "invoice");
    assert_eq!(findings[0]["locale"], "pl");
    assert_eq!(findings[0]["location"]["file"], "templates/partials/closing-thanks.tera");
    let related: Vec<&str> = findings[0]["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["location"]["file"].as_str())
        .collect();
    assert_eq!(related, ["templates/invoice.tera", "locales/en/common.ftl"]);
}

#[test]
fn a_message_used_by_two_templates_names_both_once() {
    let project = Project::bundled();
    project.edit("locales/en/common.ftl", "\ncontact-us = ", "\ncontact-us-old = ");
    let run = project.run(&["check", "--format", "json", "--today", "2026-11-23"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let missing: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["code"] == "locale.missing-message")
        .collect();
    assert_eq!(missing.len(), 1, "{json}");
    let message = missing[0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("message `contact-us` is missing in locale `en`: templates `"), "{message}");
    assert!(missing[0]["template"].is_null(), "{}", missing[0]);
}

#[test]
fn a_missing_message_named_at_render_time_is_one_finding_at_the_call_where_rendering_stopped() {
    // `{{ t(id=signature) }}` names its message through a variable the template sets, so only
    // rendering finds it missing: still one finding, not one render failure per letter.
    let project = Project::bundled();
    project.edit("locales/pl/common.ftl", "signature-billing = Dział Rozliczeń\n", "");
    let run = project.run(&["check", "--format", "json", "--today", "2026-11-23"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let findings = json["diagnostics"].as_array().expect("list");
    assert_eq!(findings.len(), 1, "{json}");
    let finding = &findings[0];
    assert_eq!(finding["code"], "locale.missing-message");
    assert_eq!(
        finding["message"],
        "message `signature-billing` is missing in locale `pl`: templates `invoice`, `payment-reminder` use it"
    );
    assert_eq!(finding["location"]["file"], "templates/partials/signature.tera");
    let related: Vec<&str> =
        finding["related"].as_array().expect("related").iter().filter_map(|r| r["note"].as_str()).collect();
    assert_eq!(related, ["includes `partials/signature.tera`", "`signature-billing` in `en`, to translate"]);
    assert_eq!(json["not_rendered"], 11, "{json}");
}

#[test]
fn a_subject_message_missing_is_found_at_the_subject_line_not_at_the_same_words_before_it() {
    let project = Project::bundled();
    project.write(
        "templates/memo.tera",
        "+++\ntitle = \"memo-subject\"\nkind = \"memo\"\nchannels = [\"email\"]\nsubject = \"memo-subject\"\n\
         owner = \"a@example.pl\"\nreview_by = 2099-12-31\n+++\nDzień dobry.\n",
    );
    project.write("fixtures/memo/basic.json", "{\"_locales\": [\"pl\"]}\n");
    let run = project.run(&["check", "memo", "--format", "json", "--today", "2026-11-23"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let finding = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "locale.missing-message" && d["locale"] == "pl")
        .expect("the finding");
    assert_eq!(finding["location"]["file"], "templates/memo.tera", "{finding}");
    assert_eq!(finding["location"]["line"], 5, "{finding}");
    assert_eq!(finding["location"]["column"], 12, "{finding}");
    // Read from the front matter, not only met while rendering: found without a fixture too.
    std::fs::remove_file(project.path().join("fixtures/memo/basic.json")).expect("remove the fixture");
    let run = project.run(&["check", "memo", "--format", "json", "--today", "2026-11-23"]).expect(1);
    assert!(run.stdout.contains("message `memo-subject` is missing in locale `pl`"), "{}", run.stdout);
}
