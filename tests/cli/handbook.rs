//! The handbook (`missive rules`) in the agents' language: its words are Fluent messages of the
//! standard (`locales/<lang>/handbook.ftl`) with missive's built-in copies behind them.

use crate::harness::{Project, bundled_root};

const TODAY: &str = "2026-11-23";

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
