//! Rendering the bundled standard: every fixture in every locale, formatting, plurals, escaping.

use crate::harness::{Project, fixtures};

const NBSP: char = '\u{a0}';

/// Folds whitespace (including no-break spaces) so renditions can be compared word by word;
/// layout marks of the text rendition (table rules, list bullets and numbers) are not words.
fn words(s: &str) -> Vec<String> {
    let is_mark = |w: &str| {
        w.chars().all(|c| c == '-')
            || (w.ends_with('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit()) && w.len() > 1)
    };
    s.split(|c: char| c.is_whitespace() || c == NBSP)
        .filter(|w| !w.is_empty() && !is_mark(w))
        .map(str::to_string)
        .collect()
}

/// The visible text of an HTML document's letter body, tags removed and entities decoded.
fn html_text(html: &str) -> String {
    // Inline tags (emphasis, links) sit inside a word's letters or beside its punctuation, as in
    // `(<em>Sąd</em>`; every other tag separates words.
    const INLINE: [&str; 5] = ["em", "strong", "a", "span", "code"];
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(t), '>') => {
                let name: String =
                    t.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if !INLINE.contains(&name.to_ascii_lowercase().as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(t), c) => t.push(c),
            (None, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Whether `needle` appears in `hay` in order (not necessarily adjacent).
fn in_order(needle: &[String], hay: &[String]) -> Result<(), String> {
    let mut it = hay.iter();
    for w in needle {
        if !it.any(|h| h == w) {
            return Err(w.clone());
        }
    }
    Ok(())
}

#[test]
fn every_fixture_renders_in_every_locale_with_the_same_words_in_text_and_html() {
    let project = Project::bundled();
    let all = fixtures();
    assert!(
        all.len() >= 21,
        "the bundled standard has at least three fixtures for each of seven letters, found {}",
        all.len()
    );
    for (template, fixture) in &all {
        for locale in ["pl", "en"] {
            let run = project
                .run(&[
                    "render",
                    template,
                    "--data",
                    fixture,
                    "--locale",
                    locale,
                    "--format",
                    "json",
                    "--today",
                    "2026-11-23",
                ])
                .expect(0);
            assert_eq!(run.stderr, "", "{fixture} [{locale}] printed warnings");
            let letter: serde_json::Value = serde_json::from_str(&run.stdout).expect("json output");
            let text = letter["text"].as_str().expect("text");
            let html = letter["html"].as_str().expect("html");
            let subject = letter["subject"].as_str().expect("subject");
            assert_eq!(letter["locale"], locale);
            assert!(!subject.is_empty() && !subject.contains('\n'), "{fixture}: subject {subject:?}");
            for bad in ['\u{2068}', '\u{2069}'] {
                assert!(
                    !text.contains(bad) && !html.contains(bad) && !subject.contains(bad),
                    "{fixture}: isolation mark leaked"
                );
            }
            for leak in ["{{", "}}", "{%", "MONEY()", "DATE()", "NUMBER()", "\\*", "\\."] {
                assert!(!text.contains(leak), "{fixture} [{locale}]: `{leak}` in text:\n{text}");
            }
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{fixture}: text ends with one newline");
            assert!(text.lines().all(|l| !l.ends_with(' ')), "{fixture}: trailing spaces");
            // The HTML carries the same words, in the same order.
            let html_words = words(&html_text(html));
            if let Err(missing) = in_order(&words(text), &html_words) {
                panic!("{fixture} [{locale}]: `{missing}` from the text is not in the HTML in order\n{text}");
            }
            assert!(html.contains(&format!("<html lang=\"{locale}\"")), "{fixture} [{locale}]: the language");
        }
    }
}

#[test]
fn text_is_wrapped_at_72_columns() {
    let project = Project::bundled();
    for (template, fixture) in fixtures() {
        let run = project.run(&["render", &template, "--data", &fixture, "--today", "2026-11-23"]).expect(0);
        for line in run.stdout.lines().skip(1) {
            // Tables and unbreakable words may be longer; prose lines may not.
            let long_word = line.split(' ').any(|w| w.chars().count() > 40);
            if !line.contains("  ") && !long_word {
                assert!(line.chars().count() <= 72, "{fixture}: line longer than 72: {line:?}");
            }
        }
    }
}

#[test]
fn polish_invoice_formats_money_dates_and_plurals() {
    let project = Project::bundled();
    let run =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--today", "2026-11-23"]).expect(0);
    let out = run.stdout;
    assert!(out.starts_with("Subject: Faktura VAT nr FV/2026/11/0042 od Example Bank\n\n"), "{out}");
    assert!(out.contains(&format!("12{NBSP}345,67{NBSP}zł")), "CLDR money with no-break spaces:\n{out}");
    assert!(out.contains(&format!("6122,84{NBSP}zł")), "four-digit amounts are not grouped (CLDR):\n{out}");
    assert!(out.contains("Warszawa, 23 listopada 2026 r."), "{out}");
    assert!(out.contains("7 grudnia 2026 r."), "{out}");
    // One date style per letter: the due date twice in words, never also as 07.12.2026.
    assert_eq!(out.matches("7 grudnia 2026 r.").count(), 2, "{out}");
    assert!(!out.contains("07.12.2026"), "{out}");
    assert!(out.contains("Szanowna Pani,"), "{out}");
    assert!(out.contains("Faktura obejmuje 2 pozycje:"), "{out}");
}

#[test]
fn english_invoice_uses_british_dates_and_cldr_money() {
    let project = Project::bundled();
    let run = project
        .run(&[
            "render",
            "invoice",
            "--data",
            "fixtures/invoice/lines.json",
            "--locale",
            "en-GB",
            "--today",
            "2026-11-23",
        ])
        .expect(0);
    let out = run.stdout;
    assert!(out.contains(&format!("PLN{NBSP}12,345.67")), "{out}");
    assert!(out.contains("Warszawa, 23 November 2026"), "{out}");
    assert!(out.contains("7 December 2026"), "{out}");
    assert!(out.contains("Dear Anna Kowalska,"), "{out}");
    assert!(out.contains("The invoice has 2 items:"), "{out}");
}

fn invoice_with_lines(n: usize) -> String {
    let lines: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"description": format!("Pozycja {i}"), "quantity": "1", "amount": "10.00 PLN"}))
        .collect();
    serde_json::json!({
        "customer": {"name": "Jan Nowak", "gender": "male", "email": "jan@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": format!("{}.00 PLN", n * 10), "due": "2026-12-01", "lines": lines},
    })
    .to_string()
}

#[test]
fn polish_plurals_for_invoice_line_counts() {
    let project = Project::bundled();
    let cases = [
        (1, "1 pozycję"),
        (2, "2 pozycje"),
        (5, "5 pozycji"),
        (12, "12 pozycji"),
        (22, "22 pozycje"),
        (25, "25 pozycji"),
    ];
    for (n, want) in cases {
        let record = invoice_with_lines(n);
        let run = project
            .run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(&record))
            .expect(0);
        assert!(run.stdout.contains(&format!("Faktura obejmuje {want}:")), "n = {n}:\n{}", run.stdout);
        assert!(run.stdout.contains("Szanowny Panie,"));
    }
    let run = project
        .run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(&invoice_with_lines(0)))
        .expect(0);
    assert!(!run.stdout.contains("Faktura obejmuje"), "no lines, no table:\n{}", run.stdout);
}

#[test]
fn hostile_values_render_literally_in_text_and_escaped_in_html() {
    let project = Project::bundled();
    let record = serde_json::json!({
        "customer": {"name": "*Anna* <b>Kowalska</b> & [x](javascript:alert(1))", "gender": "female", "email": "a@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01",
                    "lines": [{"description": "<script>alert(1)</script> | `code` # _x_", "quantity": "1", "amount": "10.00 PLN"}]},
    })
    .to_string();
    let text = project
        .run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(&record))
        .expect(0)
        .stdout;
    assert!(text.contains("*Anna* <b>Kowalska</b> & [x](javascript:alert(1))"), "{text}");
    assert!(text.contains("<script>alert(1)</script> | `code` # _x_"), "{text}");
    let html = project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "html", "--today", "2026-11-23"],
            Some(&record),
        )
        .expect(0)
        .stdout;
    assert!(html.contains("*Anna* &lt;b&gt;Kowalska&lt;/b&gt; &amp; [x](javascript:alert(1))"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<b>") && !html.contains("href=\"javascript"), "{html}");
}

#[test]
fn set_overrides_fields_and_stdin_reads_a_record() {
    let project = Project::bundled();
    let run = project
        .run(&[
            "render",
            "invoice",
            "--data",
            "fixtures/invoice/lines.json",
            "--set",
            "customer.gender=company",
            "--set",
            "customer.name=Zakład „Łąka” Sp. z o.o.",
            "--today",
            "2026-11-23",
        ])
        .expect(0);
    assert!(run.stdout.contains("Szanowni Państwo,"), "{}", run.stdout);
    assert!(run.stdout.contains("Zakład „Łąka” Sp. z o.o."), "{}", run.stdout);
}

#[test]
fn output_file_and_today_are_honoured() {
    let project = Project::bundled();
    project
        .run(&[
            "render",
            "invoice",
            "--data",
            "fixtures/invoice/lines.json",
            "--today",
            "2027-01-05",
            "-o",
            "letter.txt",
        ])
        .expect(0);
    let written = std::fs::read_to_string(project.path().join("letter.txt")).expect("letter.txt");
    assert!(written.contains("Warszawa, 5 stycznia 2027 r."), "{written}");
}

#[test]
fn records_from_the_benchmark_generator_render_as_they_are() {
    let project = Project::bundled();
    // The shape ../shared/peers/gen_records.py writes, including a company with quotes.
    let record = r#"{"key": "INV-00000007", "locale": "pl-PL", "customer": {"name": "Przedsiębiorstwo Handlowe „Łąka” Sp. z o.o.", "gender": "company", "email": "klient7@example.pl"}, "invoice": {"number": "FV/2026/03/0007", "total": {"amount": "31205.40", "currency": "PLN"}, "due": "2026-03-14", "lines": [{"description": "Pakiet SMS", "quantity": "12", "amount": {"amount": "2600.45", "currency": "PLN"}}]}}"#;
    let run =
        project.run_with_stdin(&["render", "invoice", "--data", "-", "--today", "2026-11-23"], Some(record)).expect(0);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains(&format!("31{NBSP}205,40{NBSP}zł")), "{}", run.stdout);
    assert!(run.stdout.contains("Szanowni Państwo,"));
}

#[test]
fn letters_in_two_languages_interleaved_on_two_threads_each_format_for_their_own() {
    // Each language's templates format for that language, with no per-thread or per-letter state
    // to set or reset: interleaving languages and threads changes no letter.
    let standard = missive::Standard::load(&crate::harness::bundled_root()).expect("the bundled standard loads");
    let text =
        std::fs::read_to_string(crate::harness::bundled_root().join("fixtures/invoice/lines.json")).expect("fixture");
    let record: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("json");
    let render = |locale: &str| {
        let request = missive::Request {
            template: "invoice",
            locale: Some(locale),
            today: Some(jiff::civil::date(2026, 11, 23)),
            origin: "test",
            ..Default::default()
        };
        standard.render(&request, &record).expect("renders").text
    };
    let (pl, en) = (render("pl"), render("en"));
    assert_ne!(pl, en);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for i in 0..40 {
                    let (locale, expected) = if i % 3 == 0 { ("en", &en) } else { ("pl", &pl) };
                    assert_eq!(&render(locale), expected, "letter {i} in {locale}");
                }
            });
        }
    });
}
