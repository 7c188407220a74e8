//! The handbook (`missive rules`) in the agents' language: its words are Fluent messages of the
//! standard (`locales/<lang>/handbook.ftl`) with missive's built-in copies behind them, and
//! `missive rules <id>` explains one rule as text or JSON.

use crate::harness::{Project, bundled_root};

const TODAY: &str = "2026-11-23";
const ACCEPTED: &str = "fixtures/complaint-accepted/typical.json";

/// The Markdown handbook in `locale` (none: the standard's default).
fn handbook(project: &Project, locale: Option<&str>) -> String {
    let mut args = vec!["rules"];
    if let Some(locale) = locale {
        args.extend(["--locale", locale]);
    }
    project.run(&args).expect(0).stdout
}

#[test]
fn the_default_handbook_is_in_the_standards_language_polish() {
    let project = Project::bundled();
    let md = handbook(&project, None);
    for words in [
        "*Standard korespondencji Example Bank S.A.*",
        "- **Właściciel:** customer-experience@example.pl",
        "- **Języki:** Polski (pl, domyślny), English (en)",
        "- **Reguły:** 21 w 4 pakietach oraz wbudowana `review.overdue`",
        "**Spis treści**",
        "1. [Courtesy](#courtesy) — 3 reguły",
        "2. [Brand voice](#brand-voice) — 11 reguł",
        "### Zawsze pisz\n",
        "### Nigdy nie pisz\n",
        "### Trzymaj się\n",
        "`courtesy.missing-thanks` · **błąd** · require · Listy: Invoice, Payment reminder",
        "W zakończeniu listu (ostatnie 3 akapity) napisz jedno z:",
        "| Nigdy nie pisz | Napisz zamiast tego |",
        "**Najwyżej 1 wykrzyknik na list.**",
        "**Żadnych słów wielkimi literami w liście.**",
        "*Dlaczego:* ",
        "## Aktualność\n",
        "**ostrzeżenie**, potem **błąd**",
        "po ponad 30 dniach — błąd",
        "## Listy objęte standardem\n",
        "## Jak działają reguły\n",
        "**Co sprawdza.** W danej części listu",
        "**Napisz zamiast tego.** Dodaj jedną z wymienionych fraz",
    ] {
        assert!(md.contains(words), "{words:?} missing from:\n{md}");
    }
    for english in ["Always write", "Keeping it current", "What it checks", "Why:", "**Owner:**"] {
        assert!(!md.contains(english), "{english:?} in the Polish handbook");
    }
    // A regional tag finds its language; the default is the standard's default language.
    assert_eq!(handbook(&project, Some("pl-PL")), md);
    let page = project.run(&["rules", "--format", "html"]).expect(0).stdout;
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"pl\">"), "{page}");
    assert!(page.contains("<th class=\"never\" scope=\"col\">Nigdy nie pisz</th>"), "{page}");
    assert!(page.contains("<span class=\"sev sev-error\">błąd</span>"), "{page}");
    assert!(page.contains("<footer>Wydrukowane przez missive z plików standardu"), "{page}");
}

#[test]
fn the_english_handbook_keeps_its_words() {
    let project = Project::bundled();
    let md = handbook(&project, Some("en"));
    for words in [
        "*The correspondence standard of Example Bank S.A.*",
        "- **Languages:** Polski (pl, default), English (en)",
        "- **Rules:** 21 in 4 packs, and `review.overdue` built in",
        "**Contents**",
        "### Always write\n",
        "| Never write | Write instead |",
        "In the closing (last 3 paragraphs), write one of:",
        "**At most 1 exclamation mark per letter.**",
        "## Keeping it current\n",
        "more than 30 days after it, an error",
        "## How the rules work\n",
        "**What it checks.** One of the listed phrases appears",
    ] {
        assert!(md.contains(words), "{words:?} missing from:\n{md}");
    }
    let page = project.run(&["rules", "--format", "html", "--locale", "en-GB"]).expect(0).stdout;
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
}

#[test]
fn a_standard_without_handbook_words_is_written_with_the_built_in_ones() {
    let project = Project::bundled();
    let (pl, en) = (handbook(&project, None), handbook(&project, Some("en")));
    for lang in ["pl", "en"] {
        std::fs::remove_file(project.path().join(format!("locales/{lang}/handbook.ftl"))).expect("remove");
    }
    // The bundled files are the built-in copies, so nothing changes.
    assert_eq!(handbook(&project, None), pl);
    assert_eq!(handbook(&project, Some("en")), en);
}

#[test]
fn a_reworded_message_shows_and_the_rest_comes_from_the_same_language() {
    let project = Project::bundled();
    project.write(
        "locales/pl/handbook.ftl",
        "group-always = Obowiązkowo w każdym liście\nwhy = Uzasadnienie\n# A message the handbook does not use is harmless.\nown-note = x\n",
    );
    let md = handbook(&project, None);
    assert!(md.contains("### Obowiązkowo w każdym liście\n"), "{md}");
    assert!(md.contains("**Obowiązkowo w każdym liście** wymienia to, co list musi zawierać"), "{md}");
    assert!(md.contains("*Uzasadnienie:* "), "{md}");
    // Every other word is the built-in Polish, never English.
    assert!(md.contains("### Nigdy nie pisz\n") && md.contains("## Aktualność\n"), "{md}");
    assert!(!md.contains("\n### Never write\n") && !md.contains("Keeping it current"), "{md}");
    // The English handbook is untouched by the Polish file.
    assert!(handbook(&project, Some("en")).contains("### Always write\n"));
    // Not letter messages: check counts none of them as unused or untranslated.
    let run = project.run(&["check", "--today", TODAY]).expect(0);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
}

#[test]
fn a_broken_handbook_message_names_its_file_and_line() {
    let project = Project::bundled();
    project.edit("locales/pl/handbook.ftl", "contents = Spis treści", "contents = Spis { $chapters }");
    let run = project.run(&["rules"]).expect(2);
    assert!(
        run.stderr.contains("locales/pl/handbook.ftl: the handbook's message `contents` cannot be written"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("handbook.ftl:"), "{}", run.stderr);
    project.edit("locales/pl/handbook.ftl", "contents = Spis { $chapters }", "contents = { Spis");
    let run = project.run(&["rules"]).expect(2);
    assert!(run.stderr.contains("locales/pl/handbook.ftl: Fluent syntax error"), "{}", run.stderr);
}

#[test]
fn a_language_without_built_in_words_needs_them_all() {
    let project = Project::bundled();
    let run = project.run(&["rules", "--locale", "de"]).expect(2);
    assert!(run.stderr.contains("the handbook has no words in `de`"), "{}", run.stderr);
    assert!(run.stderr.contains("choose one of: pl, en"), "{}", run.stderr);
    // German letters (without rule packs, which would need German phrases) and a German
    // handbook that lacks words: refused, never filled in with English.
    project.edit("missive.toml", "locales = [\"pl\", \"en\"]", "locales = [\"pl\", \"en\", \"de\"]");
    project.edit("missive.toml", "packs = [\"courtesy\", \"brand-voice\", \"complaints\", \"billing\"]", "packs = []");
    for entry in std::fs::read_dir(project.path().join("locales/en")).expect("locales/en") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().to_string();
        project.write(&format!("locales/de/{name}"), &std::fs::read_to_string(&path).expect("read"));
    }
    let english = std::fs::read_to_string(project.path().join("locales/en/handbook.ftl")).expect("read");
    project.write("locales/de/handbook.ftl", "contents = Inhalt\n");
    let run = project.run(&["rules", "--locale", "de"]).expect(2);
    assert!(run.stderr.contains("locales/de/handbook.ftl lacks"), "{}", run.stderr);
    assert!(run.stderr.contains("never mixes languages"), "{}", run.stderr);
    // Complete, it is the German handbook.
    project.write("locales/de/handbook.ftl", &english.replace("contents = Contents", "contents = Inhalt"));
    let md = handbook(&project, Some("de-AT"));
    assert!(md.contains("**Inhalt**"), "{md}");
}

#[test]
fn init_writes_the_handbook_words_for_the_company_to_reword() {
    let project = Project::bundled();
    let dir = project.path().join("new-standard");
    let dir_arg = dir.to_string_lossy().to_string();
    project.run(&["init", &dir_arg]).expect(0);
    for lang in ["pl", "en"] {
        let written = std::fs::read_to_string(dir.join(format!("locales/{lang}/handbook.ftl"))).expect("written");
        let bundled =
            std::fs::read_to_string(bundled_root().join(format!("locales/{lang}/handbook.ftl"))).expect("ours");
        assert_eq!(written, bundled);
    }
    let run = project.run(&["--project", &dir_arg, "rules"]).expect(0);
    assert!(run.stdout.contains("## Jak działają reguły"), "{}", run.stdout);
}

/// Validates `document` with tests/schemas/rule-explanation.schema.json (Python jsonschema).
#[track_caller]
fn assert_fits_schema(project: &Project, document: &str) {
    let path = project.path().join("rule.json");
    std::fs::write(&path, document).expect("write");
    let root = bundled_root();
    let venv = root.join("target/venv/bin");
    let path_var = format!("{}:{}", venv.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("python3")
        .env("PATH", path_var)
        .arg(root.join("tests/json_schema.py"))
        .arg(root.join("tests/schemas/rule-explanation.schema.json"))
        .arg(&path)
        .output()
        .expect("python3 runs (scripts/test.sh installs jsonschema)");
    assert!(
        out.status.success(),
        "{}{}\n{document}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn one_phrase_rule_explained_and_its_suppression_works_as_printed() {
    let project = Project::bundled();
    let run = project.run(&["rules", "brand-voice.blaming-the-machine", "--locale", "en"]).expect(0);
    insta::assert_snapshot!("rule_blaming_the_machine_en", run.stdout);
    let pl = project.run(&["rules", "brand-voice.blaming-the-machine"]).expect(0).stdout;
    assert!(pl.contains("Nigdy nie pisz: “system nie pozwala”"), "{pl}");
    assert!(pl.contains("napisz zamiast tego: Sprawdzimy to i odpowiemy do [data]."), "{pl}");
    assert!(pl.lines().any(|l| l.trim_start().starts_with("Waga:") && l.ends_with(" błąd")), "{pl}");
    // The printed comment, pasted into a template, silences the rule.
    let json = project.run(&["rules", "brand-voice.blaming-the-machine", "--format", "json"]).expect(0).stdout;
    assert_fits_schema(&project, &json);
    let rule: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rule["phrases"]["pl"][0], "system nie pozwala");
    assert_eq!(rule["suggest"]["en"], "We will look into it and reply by [date].");
    assert_eq!(rule["where"], "w dowolnym miejscu listu");
    let comment = rule["suppress"].as_str().expect("suppress").replace("powód", "the agent quotes the customer");
    let note = "complaint.note=To wina systemu.";
    let args = ["render", "complaint-accepted", "--data", ACCEPTED, "--today", TODAY, "--set", note];
    let run = project.run(&args).expect(1);
    assert!(run.stderr.contains("error[brand-voice.blaming-the-machine]"), "{}", run.stderr);
    project.edit(
        "templates/complaint-accepted.tera",
        "{% if complaint.note is defined %}",
        &format!("{comment}\n{{% if complaint.note is defined %}}"),
    );
    let run = project.run(&args).expect(0);
    assert!(run.stderr.contains("suppressed: the agent quotes the customer"), "{}", run.stderr);
}

#[test]
fn a_rule_without_phrases_explained_with_its_handbook_link() {
    let project = Project::bundled();
    project.edit(
        "missive.toml",
        "[standard]\n",
        "[standard]\nhandbook_url = \"https://intranet.example.pl/handbook.html\"\n",
    );
    let run = project.run(&["rules", "tone.no-shouting"]).expect(0);
    insta::assert_snapshot!("rule_no_shouting_pl", run.stdout);
    let json =
        project.run(&["rules", "complaints.answer-within-30-days", "--format", "json", "--locale", "en"]).expect(0);
    assert_fits_schema(&project, &json.stdout);
    let rule: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(rule["kind"], "deadline");
    assert_eq!(rule["templates"], serde_json::json!(["complaint-acknowledgement"]));
    assert_eq!(rule["phrases"], serde_json::json!({}));
    assert_eq!(
        rule["description"][0],
        "The date complaint.answer_by is at most 30 calendar days after complaint.received, and the letter states it."
    );
    // The same link SARIF gives the rule, to the anchor the HTML handbook gives it.
    assert_eq!(rule["handbook_url"], "https://intranet.example.pl/handbook.html#rule-complaints.answer-within-30-days");
    let sarif = project.run(&["check", "--format", "sarif", "--today", TODAY]).expect(0).stdout;
    assert!(sarif.contains(rule["handbook_url"].as_str().expect("url")), "{sarif}");
    let page = project.run(&["rules", "--format", "html"]).expect(0).stdout;
    assert!(page.contains(&format!("id=\"{}\"", rule["anchor"].as_str().expect("anchor"))));
    // The built-in review rule too, which no template can silence.
    let json = project.run(&["rules", "review.overdue", "--format", "json"]).expect(0).stdout;
    assert_fits_schema(&project, &json);
    let review: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!((review["pack"].is_null(), review["suppress"].is_null()), (true, true));
}

#[test]
fn an_unknown_rule_is_a_usage_error_naming_the_closest() {
    let project = Project::bundled();
    let run = project.run(&["rules", "courtesy.missing-thank"]).expect(2);
    assert!(run.stderr.contains("`courtesy.missing-thank` is not a rule of this standard"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `courtesy.missing-thanks`?"), "{}", run.stderr);
    let run = project.run(&["rules", "no-shouting"]).expect(2);
    assert!(run.stderr.contains("did you mean `tone.no-shouting`"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    // Formats belong to one of the two outputs.
    let run = project.run(&["rules", "--format", "json"]).expect(2);
    assert!(run.stderr.contains("--format json is for one rule"), "{}", run.stderr);
    let run = project.run(&["rules", "tone.no-shouting", "--format", "html"]).expect(2);
    assert!(run.stderr.contains("--format html is for the whole handbook"), "{}", run.stderr);
    let help = project.run(&["rules", "--help"]).expect(0).stdout;
    assert!(help.contains("missive rules courtesy.missing-thanks") && help.contains("Exit codes:"), "{help}");
}
