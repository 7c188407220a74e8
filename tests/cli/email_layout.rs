//! The MJML email shell: its preheader, the hand-written HTML shell it replaces, its layout in
//! headless Chromium and every bundled letter's SpamAssassin score.

use crate::harness::{Project, bundled_root, fixtures};

fn html(project: &Project, template: &str, fixture: &str, locale: &str) -> String {
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
        ])
        .expect(0)
        .stdout
}

/// The first element of the body: where mail clients take their preview line from.
fn first_in_body(html: &str) -> &str {
    let body = &html[html.find("<body").expect("a body")..];
    let body = &body[body.find('>').expect("body tag") + 1..];
    body.trim_start().split_once('\n').map_or(body, |(first, _)| first)
}

#[test]
fn the_preheader_is_the_first_hidden_line_and_comes_from_the_locale() {
    let project = Project::bundled();
    let pl = html(&project, "final-demand", "typical", "pl");
    let first = first_in_body(&pl);
    assert!(first.starts_with("<div style=\"display:none;"), "{first}");
    assert!(first.contains(">Faktura jest nadal nieopłacona: "), "{first}");
    assert!(
        html(&project, "invoice", "lines", "en").contains(">Your new VAT invoice from Example Bank is ready.</div>")
    );
    // The common `preheader` serves templates without their own; its text is escaped.
    project.edit("locales/pl/invoice.ftl", "invoice-preheader =", "invoice-preheader-old =");
    project.write("locales/pl/preheader.ftl", "preheader = Wiadomość <od> banku & co\n");
    let first = first_in_body(&html(&project, "invoice", "lines", "pl")).to_string();
    assert!(first.ends_with(">Wiadomość &lt;od&gt; banku &amp; co</div>"), "{first}");
    // One fixed line: a preheader with a variable is refused at load, naming the file.
    project.write("locales/pl/preheader.ftl", "preheader = Faktura { $number }\n");
    let run = project.run(&["check"]).expect(2);
    assert!(
        run.stderr.contains("locales/pl/preheader.ftl:1:1: the preheader `preheader` takes arguments"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_standard_with_only_the_hand_written_html_shell_keeps_it_and_both_are_refused() {
    let project = Project::bundled();
    let shell = "<!DOCTYPE html>\n<html lang=\"{{ lang }}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ subject }}</title>\n</head>\n<body>\n<table role=\"presentation\"><tr><td>{{ sender.company }}</td></tr><tr><td>\n{{ body }}\n</td></tr></table>\n</body>\n</html>\n";
    project.write("templates/layouts/email.html", shell);
    let run = project.run(&["check"]).expect(2);
    assert!(
        run.stderr.contains("templates/layouts/email.mjml and templates/layouts/email.html are both email shells"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(project.path().join("templates/layouts/email.mjml")).expect("remove the MJML shell");
    let letter = html(&project, "invoice", "lines", "en");
    assert!(
        letter.starts_with(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>VAT invoice no."
        ),
        "{letter}"
    );
    assert!(letter.contains("<tr><td>Example Bank S.A.</td></tr>") && !letter.contains("mj-column"), "{letter}");
    project.run(&["check"]).expect(0);
}

#[test]
fn an_mjml_shell_that_fetches_from_the_web_or_is_not_mjml_is_a_load_error() {
    let project = Project::bundled();
    project.edit(
        "templates/layouts/email.mjml",
        "<mj-attributes>",
        "<mj-font name=\"Roboto\" href=\"https://fonts.example/roboto.css\" />\n<mj-attributes>",
    );
    project.edit("templates/layouts/email.mjml", "font-family=\"Arial,", "font-family=\"Roboto, Arial,");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("templates/layouts/email.mjml (pl): the email would fetch `<link"), "{}", run.stderr);
    let project = Project::bundled();
    project.edit("templates/layouts/email.mjml", "</mj-body>", "");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("templates/layouts/email.mjml (pl): not valid MJML"), "{}", run.stderr);
}

/// One letter of each template in each language, with the longest names: the widest content.
/// As `.eml` files: the layout script shows their HTML with the logo the message carries.
fn long_letters(project: &Project, folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(folder).expect("folder");
    let mut files = Vec::new();
    for (template, path) in fixtures().into_iter().filter(|(_, p)| p.ends_with("/long-name.json")) {
        for locale in ["pl", "en"] {
            let file = folder.join(format!("{template}-{locale}.eml"));
            let data = format!("fixtures/{template}/long-name.json");
            let args = ["render", &template, "--data", &data, "--locale", locale, "--format", "eml", "-o"];
            project.run(&[&args[..], &[file.to_str().expect("utf-8 path")]].concat()).expect(0);
            assert!(path.contains(&template));
            files.push(file);
        }
    }
    assert_eq!(files.len(), 14, "every template has a long-name fixture");
    files
}

#[test]
fn every_template_reads_at_360_and_1024_px_in_chromium_without_sideways_scrolling() {
    let project = Project::bundled();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("email-layout");
    let files = long_letters(&project, &out.join("html"));
    let run = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/email_layout.py"))
        .arg(&out)
        .args(&files)
        .output()
        .expect("python3 runs (scripts/test.sh installs selenium, chromium and chromium-driver)");
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}");
    assert!(
        run.status.success(),
        "the email layout fails in Chromium (screenshots in {}):\n{report}\n{}",
        out.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(report.lines().filter(|l| l.contains(" px: ")).count(), 28, "{report}");
    // The logo is drawn at its size on paper (11 mm: 42 px) in every letter at both widths.
    assert_eq!(report.lines().filter(|l| l.ends_with("images 42×42 px")).count(), 28, "{report}");
}

#[test]
fn every_bundled_letter_in_every_language_scores_below_2_in_spamassassin() {
    use missive::emit::{email, mbox};
    let standard = missive::Standard::load(&bundled_root()).expect("loads");
    let outputs = missive::emit::Outputs::new(&standard);
    // Kept beside the layout's screenshots, to read when a score goes up.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("email-layout");
    std::fs::create_dir_all(&dir).expect("folder");
    let path = dir.join("letters.mbox");
    let mut file = std::fs::File::create(&path).expect("mbox");
    // Each letter's Message-ID is made unique by a batch name: SpamAssassin's `--mbox` output
    // does not keep the input's order, so verdicts are matched to letters by it.
    let mut names = Vec::new();
    let mut ids = Vec::new();
    for (template, fixture) in fixtures() {
        let text = std::fs::read_to_string(bundled_root().join(&fixture)).expect("fixture");
        let record: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for locale in ["pl", "en"] {
            let request =
                missive::Request { template: &template, locale: Some(locale), origin: &fixture, ..Default::default() };
            let letter = standard.render(&request, record.as_object().expect("object")).expect("renders");
            let batch = format!("sa{}", names.len());
            let envelope = email::Envelope { batch: Some(&batch), ..Default::default() };
            let bytes = email::message(&outputs, &letter, &envelope).expect("builds");
            mbox::append(&mut file, "obsluga@example.pl", "Mon Nov 23 00:00:00 2026", &bytes).expect("append");
            let text = String::from_utf8_lossy(&bytes);
            ids.push(
                text.lines().find_map(|l| l.strip_prefix("Message-ID:")).expect("a Message-ID").trim().to_string(),
            );
            names.push(format!("{fixture} [{locale}]"));
        }
    }
    drop(file);
    // One run over the whole mailbox; local tests only (-L), no Bayes (nothing learnt here).
    let out = std::process::Command::new("spamassassin")
        .args(["-L", "-t", "--mbox", "--cf=use_bayes 0"])
        .stdin(std::fs::File::open(&path).expect("mbox"))
        .output()
        .expect("spamassassin runs (scripts/test.sh installs Debian's spamassassin)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let marked = String::from_utf8_lossy(&out.stdout);
    // Per message: which letter (by the batch in its Message-ID), its score and the rules.
    let mut verdicts: Vec<(usize, f64, String)> = Vec::new();
    for message in marked.split("\nFrom ") {
        let headers = message.split("\n\n").next().unwrap_or("");
        let unfolded = headers.replace("\n\t", " ").replace("\n ", " ");
        let header = |name: &str| unfolded.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
        let (Some(id), Some(status)) = (header("Message-ID:"), header("X-Spam-Status:")) else { continue };
        let index = ids.iter().position(|i| i == id);
        let score =
            status.split("score=").nth(1).and_then(|s| s.split_whitespace().next()).and_then(|s| s.parse().ok());
        let tests: Vec<&str> = status
            .split("tests=")
            .nth(1)
            .map(|t| t.split_whitespace().take_while(|w| !w.contains('=')).collect())
            .unwrap_or_default();
        verdicts.push((index.expect("our Message-ID"), score.expect("a score"), tests.concat()));
    }
    verdicts.sort_by_key(|v| v.0);
    assert_eq!(
        verdicts.iter().map(|v| v.0).collect::<Vec<_>>(),
        (0..names.len()).collect::<Vec<_>>(),
        "one verdict per letter"
    );
    let mut failing = Vec::new();
    for (index, score, tests) in &verdicts {
        let name = &names[*index];
        println!("{score:5.2} {name}: {tests}");
        if *score >= 2.0 {
            failing.push(format!("{name}: {score} ({tests})"));
        }
    }
    assert!(failing.is_empty(), "letters SpamAssassin scores 2.0 or more:\n{}", failing.join("\n"));
}

#[test]
fn init_writes_the_mjml_shell_and_its_letters_use_it() {
    let project = Project::bundled();
    let dir = project.path().join("new");
    project.run(&["init", dir.to_str().expect("utf-8 path"), "-q"]).expect(0);
    assert!(dir.join("templates/layouts/email.mjml").is_file());
    assert!(!dir.join("templates/layouts/email.html").exists(), "one shell, not two");
    let new = Project::copy_of(&dir);
    let templates = new.run(&["templates", "--format", "json"]).expect(0).stdout;
    let id = serde_json::from_str::<serde_json::Value>(&templates).expect("JSON")[0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let fixture = std::fs::read_dir(dir.join("fixtures").join(&id))
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("a fixture");
    let html =
        new.run(&["render", &id, "--data", fixture.to_str().expect("utf-8"), "--format", "html"]).expect(0).stdout;
    assert!(html.contains("role=\"presentation\"") && html.contains("mj-column-per-100"), "{html}");
}
