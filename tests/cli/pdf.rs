//! The PDF writer judged by outside tools: qpdf (structure), pdftotext (the exact words back),
//! pdffonts (embedded, subset CID fonts with ToUnicode) and pdftoppm (it renders).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use missive::emit::pdf::{Metadata, Page, PdfWriter, TextRun};

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
