//! PDF letters judged by outside tools: qpdf (structure), pdftotext (the exact words back, and
//! where they sit), pdffonts (embedded, subset CID fonts with ToUnicode) and pdftoppm (it
//! renders). First the writer on its own, then whole letters from the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use missive::emit::pdf::{Metadata, Page, PdfWriter, TextRun};

use crate::harness::Project;

/// Every Polish letter with a diacritic, both cases.
const POLISH: &str = "Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ.";
/// Text that would break a content stream written as literal strings.
const HOSTILE: &str = ") Tj \\ << /Foo >> (ET) [";
/// An amount with a no-break space before the currency, as CLDR writes it.
const AMOUNT: &str = "Do zapłaty: 12\u{a0}345,67\u{a0}zł";

fn writer() -> &'static PdfWriter {
    static WRITER: OnceLock<PdfWriter> = OnceLock::new();
    WRITER.get_or_init(|| PdfWriter::bundled().expect("bundled fonts load"))
}

fn meta() -> Metadata<'static> {
    Metadata {
        title: "Wezwanie do zapłaty",
        author: "Przykładowa Spółka z o.o.",
        subject: "Faktura FV/2025/03/001",
        lang: "pl-PL",
        created: jiff::civil::date(2025, 3, 14),
    }
}

/// Two pages: a bold subject, every diacritic, a no-break space, hostile PDF syntax.
fn two_pages() -> Vec<Page<'static>> {
    vec![
        Page {
            runs: vec![
                TextRun::new(25.0, 30.0, 10.0, false, "Przykładowa Spółka z o.o., ul. Długa 5, 00-950 Warszawa"),
                TextRun::new(25.0, 60.0, 12.0, true, "Wezwanie do zapłaty — Łódź, 14 marca 2025"),
                TextRun::new(25.0, 75.0, 11.0, false, POLISH),
                TextRun::new(25.0, 82.0, 11.0, false, AMOUNT),
                TextRun::new(25.0, 89.0, 11.0, false, HOSTILE),
                TextRun::new(180.0, 287.0, 9.0, false, "1/2"),
            ],
        },
        Page {
            runs: vec![
                TextRun::new(25.0, 30.0, 11.0, true, "ŻÓŁTA ĆMA, ŹREBIĘ, ŚLĄSK"),
                TextRun::new(25.0, 40.0, 11.0, false, "Z poważaniem, Łukasz Ćwikliński"),
                TextRun::new(180.0, 287.0, 9.0, false, "2/2"),
            ],
        },
    ]
}

/// A one-page letter of about 1,500 characters of running Polish text.
fn letter_page(lines: &[String]) -> Page<'_> {
    let mut runs = vec![TextRun::new(25.0, 50.0, 12.0, true, "Wezwanie do zapłaty")];
    for (i, line) in lines.iter().enumerate() {
        runs.push(TextRun::new(25.0, 62.0 + 6.0 * i as f32, 11.0, false, line));
    }
    Page { runs }
}

fn letter_lines() -> Vec<String> {
    let words = "Szanowni Państwo, uprzejmie przypominamy, że termin płatności faktury \
                 minął. Prosimy o uregulowanie należności w ciągu 7 dni od otrzymania \
                 tego pisma. Jeżeli wpłata została już dokonana, prosimy uznać pismo za \
                 nieaktualne. W razie pytań zachęcamy do kontaktu z naszym działem \
                 obsługi klienta — chętnie pomożemy i wyjaśnimy wątpliwości.";
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words.split_whitespace().cycle() {
        if line.len() + word.len() > 80 {
            lines.push(std::mem::take(&mut line));
            if lines.len() == 21 {
                break;
            }
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

fn tool(name: &str, args: &[&str], file: &Path) -> std::process::Output {
    Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}): install qpdf and poppler-utils"))
}

/// Whitespace runs (spaces, no-break spaces, line breaks) as one space.
fn squash(text: &str) -> String {
    text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[test]
fn qpdf_check_passes_without_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = save(dir.path(), "letter.pdf", &writer().write(&two_pages(), &meta()).expect("pdf"));
    let out = tool("qpdf", &["--check"], &pdf);
    // Exit code 3 means warnings: a failure here.
    assert_eq!(
        out.status.code(),
        Some(0),
        "qpdf --check\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pdftotext_returns_every_run_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = two_pages();
    let pdf = save(dir.path(), "letter.pdf", &writer().write(&pages, &meta()).expect("pdf"));
    let out = tool("pdftotext", &["-layout", "-enc", "UTF-8"], &pdf.clone());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(pdf.with_extension("txt")).expect("pdftotext output");
    let text = squash(&text);
    for run in pages.iter().flat_map(|p| &p.runs) {
        assert!(text.contains(&squash(run.text)), "missing {:?} in\n{text}", run.text);
    }
    for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".chars() {
        assert!(text.contains(c), "missing {c}");
    }
    // The no-break space is mapped to U+00A0 in the ToUnicode CMap (pdftotext itself prints it
    // as a plain space, hence the whitespace normalisation above).
    let plain = dir.path().join("plain.pdf");
    let out = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(&pdf).arg(&plain).output();
    assert_eq!(out.expect("qpdf").status.code(), Some(0));
    let bytes = std::fs::read(&plain).expect("qdf output");
    assert!(bytes.windows(8).any(|w| w.eq_ignore_ascii_case(b" <00A0>\n")), "no U+00A0 in ToUnicode");
    // Pages break where they should.
    let first = Command::new("pdftotext").args(["-f", "2", "-l", "2", "-enc", "UTF-8"]).arg(&pdf).arg("-").output();
    let second = String::from_utf8_lossy(&first.expect("pdftotext").stdout).into_owned();
    assert!(second.contains("ŻÓŁTA ĆMA") && !second.contains("Zażółć"), "{second}");
}

#[test]
fn pdffonts_shows_both_fonts_embedded_subset_with_unicode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = save(dir.path(), "letter.pdf", &writer().write(&two_pages(), &meta()).expect("pdf"));
    let out = tool("pdffonts", &[], &pdf);
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert_eq!(fonts.len(), 2, "{listing}");
    let mut names = Vec::new();
    for line in fonts {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        // name, "CID", "TrueType", encoding, emb, sub, uni, object, generation
        assert_eq!(tokens.len(), 9, "{line}");
        assert_eq!(&tokens[1..7], ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], "{line}");
        let (tag, name) = tokens[0].split_once('+').expect("subset tag");
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{line}");
        names.push(name.to_owned());
    }
    names.sort();
    assert_eq!(names, ["DejaVuSans", "DejaVuSans-Bold"]);
}

#[test]
fn hostile_text_is_only_glyph_ids_in_the_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = save(dir.path(), "letter.pdf", &writer().write(&two_pages(), &meta()).expect("pdf"));
    let plain = dir.path().join("plain.pdf");
    let out = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&plain)
        .output()
        .expect("qpdf: install qpdf");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&plain).expect("qdf output");
    assert!(!bytes.windows(HOSTILE.len()).any(|w| w == HOSTILE.as_bytes()));
    assert!(bytes.windows(5).any(|w| w == b"] TJ\n"), "content uses TJ");
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = writer().write(&two_pages(), &meta()).expect("pdf");
    let b = writer().write(&two_pages(), &meta()).expect("pdf");
    assert!(a == b, "two renders differ");
    let fresh = PdfWriter::bundled().expect("fonts").write(&two_pages(), &meta()).expect("pdf");
    assert!(a == fresh, "a freshly loaded writer renders differently");
    let mut later = meta();
    later.created = jiff::civil::date(2025, 3, 15);
    assert!(a != writer().write(&two_pages(), &later).expect("pdf"), "the date is in the file");
}

#[test]
fn a_character_the_font_lacks_is_an_error_naming_it() {
    let pages = [Page { runs: vec![TextRun::new(25.0, 30.0, 11.0, false, "Faktura dla 漢字 Sp. z o.o.")] }];
    let err = writer().write(&pages, &meta()).expect_err("CJK is not in DejaVu Sans").to_string();
    assert!(err.contains("U+6F22") && err.contains("Faktura dla"), "{err}");
    // Leaked Unicode isolation marks are caught too (DejaVu has no glyph for them).
    let pages = [Page { runs: vec![TextRun::new(25.0, 30.0, 11.0, true, "Pan \u{2068}Jan\u{2069}")] }];
    let err = writer().write(&pages, &meta()).expect_err("isolation mark").to_string();
    assert!(err.contains("U+2068"), "{err}");
}

#[test]
fn a_one_page_letter_is_small() {
    let lines = letter_lines();
    let chars: usize = lines.iter().map(|l| l.chars().count()).sum();
    assert!((1400..1700).contains(&chars), "{chars} characters");
    let one = writer().write(&[letter_page(&lines)], &meta()).expect("pdf");
    let two = writer().write(&[letter_page(&lines), letter_page(&lines)], &meta()).expect("pdf");
    eprintln!("one page ({chars} chars): {} bytes; two pages: {} bytes", one.len(), two.len());
    assert!(one.len() < 30_000, "{} bytes", one.len());

    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = save(dir.path(), "one.pdf", &one);
    assert_eq!(tool("qpdf", &["--check"], &pdf).status.code(), Some(0));
    // It renders: pdftoppm draws the page without complaint.
    let out = Command::new("pdftoppm")
        .args(["-r", "30", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(dir.path().join("one"))
        .output()
        .expect("pdftoppm: install poppler-utils");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("one.png").exists());
}

#[test]
fn measured_width_matches_what_pdftotext_sees() {
    // Kerned pairs (AV, To, Wa) and diacritics: the layout width and the PDF's own glyph
    // positions (from /W and the TJ kerning) must agree, or right-aligned amounts drift.
    let words = ["AVATAR", "Towarzystwo", "Łódź", "Żółć"];
    let runs =
        words.iter().enumerate().map(|(i, w)| TextRun::new(30.0, 40.0 + 15.0 * i as f32, 20.0, true, w)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = save(dir.path(), "widths.pdf", &writer().write(&[Page { runs }], &meta()).expect("pdf"));
    let out = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], &pdf);
    assert!(out.status.success());
    let html = std::fs::read_to_string(pdf.with_extension("html")).expect("bbox output");
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        line[start..].split('"').next().expect("value").parse().expect("number")
    };
    for word in words {
        let line = html.lines().find(|l| l.contains(&format!(">{word}</word>"))).unwrap_or_else(|| panic!("{word}"));
        let seen = attr(line, "xMax") - attr(line, "xMin");
        let measured = writer().font(true).width(word, 20.0);
        assert!((seen - measured).abs() < 0.01, "{word}: pdftotext {seen}, Font::width {measured}");
        assert!((attr(line, "xMin") - missive::emit::pdf::mm_to_pt(30.0)).abs() < 0.01);
    }
}

// ---- Whole letters from `missive render --format pdf` ----

/// Millimetres to points.
fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Renders `template` from `data` (plus `args`) to `letter.pdf` in the project; returns its path.
#[track_caller]
fn render_pdf(project: &Project, template: &str, data: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["render", template, "--data", data, "--format", "pdf", "-o", "letter.pdf"];
    all.extend_from_slice(args);
    project.run(&all).expect(0);
    project.path().join("letter.pdf")
}

/// The letter's plain-text rendition (what the email says), from `--format json`.
fn letter_text(project: &Project, template: &str, data: &str, args: &[&str]) -> String {
    let mut all = vec!["render", template, "--data", data, "--format", "json"];
    all.extend_from_slice(args);
    let run = project.run(&all).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    json["text"].as_str().expect("text").to_string()
}

/// Words, whitespace (and no-break spaces) folded; table rules and list bullets are not words.
fn words(text: &str) -> Vec<String> {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c == '-') && *w != "•")
        .map(str::to_string)
        .collect()
}

/// Whether `needle` occurs in `hay` as one unbroken run of words.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// `pdftotext` of pages `first..=last` (all with `None`).
fn pdf_text(pdf: &Path, pages: Option<(u32, u32)>) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8"]);
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext: install poppler-utils");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Every word `pdftotext -bbox` finds: (text, xMin, yMin, xMax, yMax, page from 1) in points.
fn bboxes(pdf: &Path) -> Vec<(String, f32, f32, f32, f32, usize)> {
    let out = Command::new("pdftotext").args(["-bbox", "-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext");
    let html = String::from_utf8(out.stdout).expect("UTF-8");
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        line[start..].split('"').next().expect("value").parse().expect("number")
    };
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        if let Some(start) = line.find("<word ") {
            let line = &line[start..];
            let text = line.split('>').nth(1).and_then(|t| t.split("</word").next()).unwrap_or("");
            let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
            out.push((text, attr(line, "xMin"), attr(line, "yMin"), attr(line, "xMax"), attr(line, "yMax"), page));
        }
    }
    out
}

/// The words of the body's area on every page (no letterhead, window, page numbers, footer or
/// continuation header), in reading order.
fn body_region(boxes: &[(String, f32, f32, f32, f32, usize)]) -> Vec<String> {
    boxes
        .iter()
        .filter(|b| b.4 < pt(268.0) && b.2 > if b.5 == 1 { pt(100.0) } else { pt(28.0) })
        .map(|b| b.0.clone())
        .collect()
}

/// `qpdf --check` passes with no warnings (exit 3 would be warnings).
#[track_caller]
fn assert_qpdf_clean(pdf: &Path) {
    let out = tool("qpdf", &["--check"], pdf);
    assert_eq!(out.status.code(), Some(0), "qpdf --check\n{}", String::from_utf8_lossy(&out.stdout));
}

/// The number of pages, from `pdfinfo`.
fn page_count(pdf: &Path) -> u32 {
    let out = tool("pdfinfo", &[], pdf);
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in\n{info}"))
}

/// The body's words: the text rendition after the place-and-date line.
fn body_words(text: &str) -> Vec<String> {
    let mut lines = text.lines();
    for line in lines.by_ref() {
        if line.contains(" 2026") && (line.starts_with("Warszawa,") || line.starts_with("Warsaw,")) {
            break;
        }
    }
    words(&lines.collect::<Vec<_>>().join("\n"))
}

#[test]
fn a_polish_final_demand_prints_every_word_and_diacritic() {
    let project = Project::bundled();
    let data = "fixtures/final-demand/typical.json";
    let pdf = render_pdf(&project, "final-demand", data, &[]);
    assert_qpdf_clean(&pdf);
    assert_eq!(page_count(&pdf), 1);
    let text = letter_text(&project, "final-demand", data, &[]);
    let printed = pdf_text(&pdf, None);
    let seen = words(&printed);
    let body = body_words(&text);
    assert!(body.len() > 100, "{body:?}");
    assert!(contains_run(&seen, &body), "the body's words in order\n--- pdf\n{printed}\n--- text\n{text}");
    // The window address and the date line, as the text rendition has them.
    for line in ["Piotr Nowak", "ul. Źródlana 7 m. 14", "95-060 Brzeziny", "Warszawa, 23 listopada 2026 r."] {
        assert!(contains_run(&seen, &words(line)), "{line:?} in\n{printed}");
    }
    for c in text.chars().filter(|c| !c.is_ascii() && !c.is_whitespace()) {
        assert!(printed.contains(c), "{c:?} lost");
    }
    // Letterhead, subject and footer.
    for part in ["Example Bank S.A.", "Przedsądowe wezwanie do zapłaty", "NIP 525-000-00-00", "1/1"] {
        assert!(squash(&printed).contains(part), "{part:?} in\n{printed}");
    }
    let fonts = String::from_utf8_lossy(&tool("pdffonts", &[], &pdf).stdout).into_owned();
    for line in fonts.lines().skip(2) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&tokens[1..7], ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], "{fonts}");
        assert!(tokens[0].split_once('+').is_some_and(|(tag, _)| tag.len() == 6), "{fonts}");
    }
}

#[test]
fn the_address_lies_inside_the_envelope_window() {
    let project = Project::bundled();
    let pdf = render_pdf(&project, "final-demand", "fixtures/final-demand/typical.json", &[]);
    let boxes = bboxes(&pdf);
    // DIN 5008 form B, as templates/layouts/letter.toml sets it: 85 x 45 mm at (20, 45) mm;
    // the address zone is below the 17.7 mm return-address zone.
    let (left, top, right, bottom) = (pt(20.0), pt(45.0 + 17.7), pt(105.0), pt(90.0));
    for word in ["Piotr", "Nowak", "Źródlana", "14", "95-060", "Brzeziny"] {
        let (_, x0, y0, x1, y1, page) =
            boxes.iter().find(|b| b.0 == word).unwrap_or_else(|| panic!("{word} not printed"));
        assert_eq!(*page, 1);
        assert!(*x0 >= left && *x1 <= right && *y0 >= top && *y1 <= bottom, "{word}: {x0} {y0} {x1} {y1}");
    }
    // The return address sits in the window's upper zone.
    let sender = boxes.iter().find(|b| b.0 == "00-001" && b.2 < pt(90.0) && b.2 > pt(45.0)).expect("return address");
    assert!(sender.1 >= left && sender.4 <= top, "{sender:?}");
    // The date is right-aligned at the text's right edge (190 mm), below the window.
    let year = boxes.iter().find(|b| b.0 == "r." && b.2 > bottom && b.2 < pt(110.0)).expect("date line");
    assert!((year.3 - pt(190.0)).abs() < 1.0, "{year:?}");
}

#[test]
fn a_two_page_invoice_numbers_its_pages_and_repeats_the_header() {
    let project = Project::bundled();
    let data = "fixtures/invoice/many-lines.json";
    let pdf = render_pdf(&project, "invoice", data, &["--locale", "pl"]);
    assert_qpdf_clean(&pdf);
    assert_eq!(page_count(&pdf), 2);
    let first = pdf_text(&pdf, Some((1, 1)));
    let second = pdf_text(&pdf, Some((2, 2)));
    assert!(first.contains("1/2") && !first.contains("2/2"), "{first}");
    assert!(second.contains("2/2"), "{second}");
    // The continuation header names the company, the addressee and the subject.
    let head: Vec<&str> = second.lines().filter(|l| !l.trim().is_empty()).take(3).collect();
    assert!(head.iter().any(|l| l.contains("Oliver Bennett") && l.contains("FV/2026/11/0046")), "{second}");
    assert!(second.contains("Pozycja") && second.contains("Cena jednostkowa"), "table header repeated: {second}");
    assert!(second.contains("Razem do zapłaty") && second.contains("Z poważaniem"), "{second}");
    // Every table row made it, in order: the body's words run on across the page break once
    // the page furniture (numbers, footer, continuation header, repeated header) is removed.
    let text = letter_text(&project, "invoice", data, &["--locale", "pl"]);
    let boxes = bboxes(&pdf);
    let mut seen = body_region(&boxes);
    let expected = body_words(&text);
    let start = seen.windows(3).position(|w| w == &expected[..3]).expect("the body starts");
    seen.drain(..start);
    // The header row printed again on page 2 is not in the text rendition.
    let header = words("Pozycja Ilość Cena jednostkowa");
    let repeats: Vec<usize> =
        seen.windows(header.len()).enumerate().filter(|(_, w)| *w == header.as_slice()).map(|(i, _)| i).collect();
    assert_eq!(repeats.len(), 2, "the header on both pages");
    seen.drain(repeats[1]..repeats[1] + header.len());
    assert_eq!(seen, expected);
    // Amounts are right-aligned: the 22 line amounts and the total end at the right margin.
    let right: Vec<_> = boxes.iter().filter(|b| b.0 == "zł" && (b.3 - pt(190.0)).abs() < 0.5).collect();
    assert_eq!(right.len(), 23, "amounts at the right margin");
}

#[test]
fn five_hundred_invoice_lines_paginate_with_n_of_total_on_every_page() {
    let project = Project::bundled();
    let lines: Vec<serde_json::Value> = (0..500)
        .map(|i| {
            serde_json::json!({"description": format!("Pozycja nr {i} — opłata za usługę"), "quantity": "1",
                               "amount": {"amount": "1.00", "currency": "PLN"}})
        })
        .collect();
    let record = serde_json::json!({
        "locale": "pl", "_today": "2026-11-23",
        "customer": {"name": "Zofia Żółkiewska", "gender": "female", "email": "zofia@example.pl",
                     "address": {"street": "ul. Wąska 1", "city": "30-001 Kraków"}},
        "invoice": {"number": "FV/2026/11/0500", "total": {"amount": "500.00", "currency": "PLN"},
                    "due": "2026-12-07", "lines": lines}
    });
    project.write("long.json", &record.to_string());
    let pdf = render_pdf(&project, "invoice", "long.json", &[]);
    assert_qpdf_clean(&pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 12, "{pages} pages");
    for n in 1..=pages {
        let text = pdf_text(&pdf, Some((n, n)));
        assert!(text.contains(&format!("{n}/{pages}")), "page {n}: {text}");
        if n > 1 {
            assert!(text.contains("Zofia Żółkiewska · Faktura VAT nr FV/2026/11/0500"), "page {n}: {text}");
            assert!(text.contains("Cena jednostkowa"), "page {n} repeats the table header");
        }
    }
    let all = pdf_text(&pdf, None);
    for i in [0, 1, 250, 498, 499] {
        assert!(all.contains(&format!("Pozycja nr {i} — opłata za usługę")), "line {i}");
    }
    // The signature never stands alone at the top of a page.
    let last = pdf_text(&pdf, Some((pages, pages)));
    assert!(last.contains("Dziękujemy"), "{last}");
}

#[test]
fn unbreakable_strings_are_cut_inside_the_margins() {
    let project = Project::bundled();
    let iban = "PL61109010140000071219812874".repeat(7);
    let url = format!("https://example.pl/{}", "a".repeat(150));
    let lines = serde_json::json!([
        {"description": iban, "quantity": "1", "amount": "1.00 PLN"},
        {"description": url, "quantity": "2", "amount": "2.00 PLN"}
    ]);
    let pdf = render_pdf(
        &project,
        "invoice",
        "fixtures/invoice/lines.json",
        &["--set", &format!("invoice.lines={lines}"), "--set", &format!("customer.name=Anna{}", "X".repeat(60))],
    );
    assert_qpdf_clean(&pdf);
    for (text, x0, _, x1, _, _) in bboxes(&pdf) {
        assert!(x0 >= pt(19.9) && x1 <= pt(190.01), "{text:?} runs off the text area: {x0}..{x1}");
    }
    let printed: String = pdf_text(&pdf, None).split_whitespace().collect();
    assert!(printed.contains(&iban), "the IBAN is printed whole, only cut into lines");
    assert!(printed.contains(&url));
}

#[test]
fn a_64_kib_field_renders_completely() {
    let project = Project::bundled();
    project.edit("templates/complaint-accepted.tera", "max_len = 2000", "max_len = 70000");
    let sentence = "Dziękujemy za cierpliwość — sprawę rozpatrzyliśmy starannie i życzliwie. ";
    let mut note = sentence.repeat(65_536 / sentence.len());
    note.push_str(&"Ż".repeat(2000));
    assert!(note.len() >= 65_536);
    let pdf = render_pdf(
        &project,
        "complaint-accepted",
        "fixtures/complaint-accepted/typical.json",
        &["--set", &format!("complaint.note={note}")],
    );
    assert_qpdf_clean(&pdf);
    assert!(page_count(&pdf) >= 10);
    let printed: String = body_region(&bboxes(&pdf)).concat();
    let expected: String = note.split_whitespace().collect();
    assert!(printed.contains(&expected), "every character of the note is printed");
}

#[test]
fn a_character_the_font_lacks_names_the_field() {
    let project = Project::bundled();
    let run = project
        .run(&[
            "render",
            "invoice",
            "--data",
            "fixtures/invoice/lines.json",
            "--set",
            "customer.name=Anna 漢字 Kowalska",
            "--format",
            "pdf",
            "-o",
            "letter.pdf",
        ])
        .expect(2);
    assert!(run.stderr.contains("U+6F22") && run.stderr.contains("customer.name"), "{}", run.stderr);
    assert!(!project.path().join("letter.pdf").exists(), "no PDF with a hole is written");
}

#[test]
fn hostile_values_print_as_text() {
    let project = Project::bundled();
    let hostile = r"Anna ) Tj \ << /JS (x) >> ET [";
    let pdf =
        render_pdf(&project, "invoice", "fixtures/invoice/lines.json", &["--set", &format!("customer.name={hostile}")]);
    assert_qpdf_clean(&pdf);
    let seen = words(&pdf_text(&pdf, None));
    assert!(contains_run(&seen, &words(hostile)), "{seen:?}");
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let project = Project::bundled();
    let a = std::fs::read(render_pdf(&project, "invoice", "fixtures/invoice/lines.json", &[])).expect("pdf");
    let b = std::fs::read(render_pdf(&project, "invoice", "fixtures/invoice/lines.json", &[])).expect("pdf");
    assert!(a == b, "two renders of one letter differ");
    let c = std::fs::read(render_pdf(&project, "invoice", "fixtures/invoice/lines.json", &["--today", "2026-11-24"]))
        .expect("pdf");
    assert!(a != c, "the date is part of the letter");
    let info = String::from_utf8_lossy(&tool("pdfinfo", &[], &project.path().join("letter.pdf")).stdout).into_owned();
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or("");
    assert_eq!(field("Title:"), "Faktura VAT nr FV/2026/11/0042 od Example Bank", "{info}");
    assert_eq!(field("Author:"), "Example Bank S.A.", "{info}");
    // In the letter's language, never the template's English `title`.
    assert_eq!(field("Subject:"), "Faktura VAT nr FV/2026/11/0042 od Example Bank", "{info}");
}

#[test]
fn every_fixture_prints_in_every_locale() {
    let project = Project::bundled();
    for (template, fixture) in crate::harness::fixtures() {
        for locale in ["pl", "en"] {
            let run = project.run(&[
                "render",
                &template,
                "--data",
                &fixture,
                "--locale",
                locale,
                "--format",
                "pdf",
                "-o",
                "letter.pdf",
            ]);
            assert_eq!(run.code, 0, "{fixture} [{locale}]: {}", run.stderr);
            let pdf = project.path().join("letter.pdf");
            assert_qpdf_clean(&pdf);
            let size = std::fs::metadata(&pdf).expect("pdf").len();
            assert!(size < 40_000 * u64::from(page_count(&pdf)), "{fixture} [{locale}]: {size} bytes");
        }
    }
}

#[test]
fn a_template_can_attach_the_letters_own_pdf_to_its_email() {
    let project = Project::bundled();
    project.edit("templates/final-demand.tera", "kind = \"demand\"\n", "kind = \"demand\"\nattach_pdf = true\n");
    let data = "fixtures/final-demand/typical.json";
    let pdf = std::fs::read(render_pdf(&project, "final-demand", data, &[])).expect("pdf");
    project.run(&["render", "final-demand", "--data", data, "--format", "eml", "-o", "letter.eml"]).expect(0);
    // Python's strict parser reads the message and hands back the attachment's bytes.
    let script = "import sys, email, email.policy\n\
                  m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.strict)\n\
                  parts = [p for p in m.iter_attachments()]\n\
                  assert len(parts) == 1, parts\n\
                  p = parts[0]\n\
                  print(p.get_content_type(), p.get_filename())\n\
                  open(sys.argv[2], 'wb').write(p.get_content())\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(project.path().join("letter.eml"))
        .arg(project.path().join("attached.pdf"))
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "application/pdf DEM-00000012.pdf");
    let attached = std::fs::read(project.path().join("attached.pdf")).expect("attachment");
    assert!(attached == pdf, "the email carries the same PDF as `render --format pdf`");
}

#[test]
fn the_structure_tree_reads_the_letter_in_order() {
    let project = Project::bundled();
    let data = "fixtures/invoice/many-lines.json";
    let pdf = render_pdf(&project, "invoice", data, &["--locale", "pl"]);
    let info = String::from_utf8_lossy(&tool("pdfinfo", &[], &pdf).stdout).into_owned();
    assert!(info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")), "{info}");
    let out = tool("pdfinfo", &["-struct-text"], &pdf);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout).into_owned();
    for role in ["Document", "H1 (block)", "Table (block)", "TR", "TH", "TD", "P (block)"] {
        assert!(tree.lines().any(|l| l.trim() == role), "{role} in\n{tree}");
    }
    // The quoted text of the tree, in tree order, is the letter: address, date, body (the
    // table header once), then the footer; page numbers and running headers are artifacts.
    let quoted: String = tree
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"').and_then(|l| l.strip_suffix('"')))
        .collect::<Vec<_>>()
        .join("\n");
    let seen = words(&quoted);
    let text = letter_text(&project, "invoice", data, &["--locale", "pl"]);
    assert!(contains_run(&seen, &body_words(&text)), "{quoted}");
    assert!(!quoted.contains("1/2") && !quoted.contains("2/2"), "page numbers are artifacts");
    assert_eq!(quoted.matches("Cena jednostkowa").count(), 1, "the repeated table header is an artifact");
    assert!(words(&quoted).ends_with(&words("kapitał zakładowy 100 000 000 zł, wpłacony w całości.")));
}

#[test]
fn a_new_standard_prints_letters_and_bad_layout_settings_are_named() {
    let project = Project::bundled();
    let dir = project.path().join("new-standard");
    let dir_arg = dir.display().to_string();
    project.run(&["init", &dir_arg]).expect(0);
    assert!(dir.join("templates/layouts/letter.toml").exists());
    let data = format!("{dir_arg}/fixtures/invoice/lines.json");
    project
        .run(&["--project", &dir_arg, "render", "invoice", "--data", &data, "--format", "pdf", "-o", "new.pdf"])
        .expect(0);
    assert_qpdf_clean(&project.path().join("new.pdf"));

    project.edit("templates/layouts/letter.toml", "width = 85.0", "width = 300.0");
    let run = project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "pdf"]).expect(2);
    assert!(run.stderr.contains("templates/layouts/letter.toml") && run.stderr.contains("window"), "{}", run.stderr);
    project.edit("templates/layouts/letter.toml", "width = 300.0", "widht = 85.0");
    let run = project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "pdf"]).expect(2);
    assert!(run.stderr.contains("letter.toml:") && run.stderr.contains("widht"), "{}", run.stderr);
}

#[test]
fn letters_print_from_many_threads_alike() {
    let standard = missive::Standard::load(&crate::harness::bundled_root()).expect("the bundled standard loads");
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::harness::bundled_root().join("fixtures/invoice/many-lines.json"))
            .expect("fixture"),
    )
    .expect("json");
    let record = record.as_object().cloned().expect("object");
    let request =
        missive::Request { template: "invoice", locale: Some("pl"), today: None, origin: "test", ..Default::default() };
    let letter = standard.render(&request, &record).expect("renders");
    let one = missive::emit::pdf::letter(&missive::emit::Outputs::new(&standard), &letter).expect("pdf");
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..5)
                        .map(|_| {
                            missive::emit::pdf::letter(&missive::emit::Outputs::new(&standard), &letter).expect("pdf")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for pdf in handle.join().expect("thread") {
                assert!(pdf == one, "a thread printed different bytes");
            }
        }
    });
}
