//! The bank's brand on paper, judged by outside tools: the logo as an image with a soft mask
//! and alternative text (pdfimages, qpdf's JSON), house fonts from `fonts/` embedded as subsets
//! (pdffonts), emphasis in the italic faces, and `missive check` naming a character a house
//! font lacks.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::Project;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} ({e}): install qpdf and poppler-utils"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn render_pdf(project: &Project, template: &str, fixture: &str, out: &str) -> PathBuf {
    let data = format!("fixtures/{template}/{fixture}.json");
    project.run(&["render", template, "--data", &data, "--format", "pdf", "-o", out]).expect(0);
    let path = project.path().join(out);
    let check = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf");
    assert_eq!(check.status.code(), Some(0), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    path
}

/// The whole PDF as qpdf's JSON (objects with decoded dictionaries).
fn qpdf_json(pdf: &Path) -> serde_json::Value {
    let text = tool("qpdf", &["--json", "--json-key=qpdf", pdf.to_str().expect("utf-8 path")]);
    serde_json::from_str(&text).expect("qpdf json")
}

#[test]
fn the_final_demand_prints_the_logo_with_its_alpha_and_alternative_text() {
    let project = Project::bundled();
    let pdf = render_pdf(&project, "final-demand", "typical", "fd.pdf");
    let images = tool("pdfimages", &["-list", pdf.to_str().expect("path")]);
    let rows: Vec<Vec<&str>> = images.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 2, "the logo and its soft mask:\n{images}");
    assert_eq!((rows[0][2], rows[0][3], rows[0][4], rows[0][5]), ("image", "96", "96", "rgb"), "{images}");
    assert_eq!((rows[1][2], rows[1][5]), ("smask", "gray"), "{images}");
    // 11 mm wide at 96 pixels: about 222 pixels per inch.
    assert!(rows[0][12].parse::<u32>().is_ok_and(|ppi| (215..=230).contains(&ppi)), "{images}");

    let json = qpdf_json(&pdf);
    let objects = json["qpdf"][1].as_object().expect("objects");
    let figures: Vec<&serde_json::Value> =
        objects.values().filter(|o| o["value"]["/S"] == "/Figure").map(|o| &o["value"]).collect();
    assert_eq!(figures.len(), 1, "one Figure element");
    assert_eq!(figures[0]["/Alt"], "u:Example Bank S.A.", "{}", figures[0]);

    // The company's name moved right of the logo, which sits at the left margin.
    let boxes = tool("pdftotext", &["-bbox", "-f", "1", "-l", "1", pdf.to_str().expect("path"), "-"]);
    let example = boxes.lines().find(|l| l.ends_with(">Example</word>")).expect("the company's name");
    let x: f32 = example.split('"').nth(1).and_then(|v| v.parse().ok()).expect("xMin");
    assert!(x > (25.0 + 11.0 + 3.0) * 72.0 / 25.4, "{example}");
}

#[test]
fn a_logo_that_is_not_an_image_is_a_load_error_naming_it() {
    let project = Project::bundled();
    project.write("images/logo.png", "not a picture");
    let run = project
        .run(&["render", "final-demand", "--data", "fixtures/final-demand/typical.json", "--format", "pdf"])
        .expect(2);
    assert!(run.stderr.contains("images/logo.png") && run.stderr.contains("PNG"), "{}", run.stderr);
    project.edit("templates/layouts/letter.toml", "images/logo.png", "images/missing.png");
    let run = project
        .run(&["render", "final-demand", "--data", "fixtures/final-demand/typical.json", "--format", "pdf"])
        .expect(2);
    assert!(run.stderr.contains("logo.file") && run.stderr.contains("images/missing.png"), "{}", run.stderr);
}

/// `fonts/{out}` in the project: the bundled `fonts/{source}` cut by fontTools to Latin,
/// Latin-1, Latin Extended-A and punctuation, without `ł` (U+0142).
fn font_without_l_stroke(project: &Project, source: &str, out: &str) {
    std::fs::create_dir_all(project.path().join("fonts")).expect("fonts/");
    let run = Command::new("python3")
        .args(["-m", "fontTools.subset"])
        .arg(crate::harness::bundled_root().join("fonts").join(source))
        .arg("--unicodes=U+0020-007E,U+00A0-0141,U+0143-017F,U+2000-206F,U+20AC")
        .arg("--layout-features=kern")
        .arg(format!("--output-file={}", project.path().join("fonts").join(out).display()))
        .output()
        .expect("python3 runs (scripts/test.sh installs fonttools in target/venv)");
    assert!(run.status.success(), "fontTools.subset: {}", String::from_utf8_lossy(&run.stderr));
}

/// `pdffonts`' rows: name, then type, encoding, embedded, subset, ToUnicode.
fn font_rows(pdf: &Path) -> Vec<Vec<String>> {
    let listing = tool("pdffonts", &[pdf.to_str().expect("path")]);
    listing.lines().skip(2).map(|l| l.split_whitespace().map(str::to_owned).collect()).collect()
}

/// The PostScript names of the fonts a PDF embeds, each checked to be an embedded subset
/// (`ABCDEF+Name`, CID TrueType, Identity-H) with a ToUnicode map.
fn embedded_subsets(pdf: &Path) -> Vec<String> {
    font_rows(pdf)
        .iter()
        .map(|row| {
            let (tag, name) = row[0].split_once('+').unwrap_or_else(|| panic!("not a subset: {row:?}"));
            assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{row:?}");
            assert_eq!(&row[1..7], ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], "{row:?}");
            name.to_owned()
        })
        .collect()
}

#[test]
fn house_fonts_from_the_fonts_folder_are_embedded_as_subsets() {
    let project = Project::bundled();
    project.write(
        "templates/layouts/letter.toml",
        "[fonts]\nregular = \"DejaVuSerif.ttf\"\nbold = \"DejaVuSerif-Bold.ttf\"\n",
    );
    let pdf = render_pdf(&project, "final-demand", "typical", "fd.pdf");
    let fonts = tool("pdffonts", &[pdf.to_str().expect("path")]);
    let rows: Vec<Vec<&str>> = fonts.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for (row, name) in rows.iter().zip(["DejaVuSerif", "DejaVuSerif-Bold"]) {
        assert!(row[0].len() == name.len() + 7 && row[0].ends_with(&format!("+{name}")), "subset of {name}:\n{fonts}");
        // type, encoding, embedded, subset, ToUnicode
        assert_eq!(&row[1..7], ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], "{fonts}");
    }
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    assert!(text.contains("Przedsądowe wezwanie do zapłaty"), "{text}");

    project.write("templates/layouts/letter.toml", "[fonts]\nregular = \"../missive.toml\"\n");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("fonts.regular") && run.stderr.contains("fonts/"), "{}", run.stderr);
    project.write("templates/layouts/letter.toml", "[fonts]\nbold = \"Missing.ttf\"\n");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("fonts.bold") && run.stderr.contains("fonts/Missing.ttf"), "{}", run.stderr);
    project.write("fonts/Broken.ttf", "not a font");
    project.write("templates/layouts/letter.toml", "[fonts]\nbold = \"Broken.ttf\"\n");
    let run = project.run(&["check", "--format", "json"]).expect(1);
    assert!(run.stdout.contains("pdf.assets") && run.stdout.contains("fonts/Broken.ttf"), "{}", run.stdout);
}

#[test]
fn check_names_the_field_and_the_character_a_house_font_lacks() {
    let project = Project::bundled();
    font_without_l_stroke(&project, "DejaVuSerif.ttf", "NoL.ttf");
    project.write("templates/layouts/letter.toml", "[fonts]\nregular = \"NoL.ttf\"\n");
    let fixture = std::fs::read_to_string(project.path().join("fixtures/final-demand/typical.json")).expect("fixture");
    project.write("fixtures/final-demand/typical.json", &fixture.replace("Piotr Nowak", "Michał Nowak"));
    let run = project.run(&["check", "final-demand"]).expect(1);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("pdf.missing-glyph"), "{out}");
    assert!(out.contains("field `customer.name` holds U+0142 `ł`, which the PDF font DejaVuSerif lacks"), "{out}");
    assert!(out.contains("fixtures/final-demand/typical.json"), "the finding points at the fixture:\n{out}");
    // The Polish letter's own words hold `ł` too (zapłaty); the English one has none.
    assert!(out.contains("the letter's text holds U+0142"), "{out}");

    // The whole font covers it: no finding, check passes.
    project.write("templates/layouts/letter.toml", "[fonts]\nregular = \"DejaVuSerif.ttf\"\n");
    let run = project.run(&["check", "final-demand", "--format", "json"]).expect(0);
    assert!(!run.stdout.contains("pdf.missing-glyph"), "{}", run.stdout);
}

#[test]
fn the_english_complaint_reply_sets_the_polish_names_in_the_italic_house_font() {
    let project = Project::bundled();
    let data = "fixtures/complaint-rejected/typical.json";
    for (locale, fonts) in [
        ("en", &["DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"][..]),
        // The Polish reply has no emphasis: no italic face is embedded.
        ("pl", &["DejaVuSerif", "DejaVuSerif-Bold"][..]),
    ] {
        let out = format!("reply.{locale}.pdf");
        project
            .run(&["render", "complaint-rejected", "--data", data, "--locale", locale, "--format", "pdf", "-o", &out])
            .expect(0);
        let pdf = project.path().join(&out);
        assert_eq!(embedded_subsets(&pdf), fonts, "{out}");
        let (ok, report) = conformance(&pdf, "both");
        assert!(ok && report.contains("31 of 31 clauses pass"), "{out}:\n{report}");
    }
    let pdf = project.path().join("reply.en.pdf");
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    assert!(text.contains("Financial Ombudsman (Rzecznik Finansowy, www.rf.gov.pl)"), "{text}");
    // The italic run sits between upright ones on the same baseline, as one line of text.
    let boxes = tool("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"]);
    let y_of = |word: &str| {
        let line = boxes.lines().find(|l| l.ends_with(&format!(">{word}</word>"))).unwrap_or_else(|| panic!("{word}"));
        line.split('"').nth(7).and_then(|v| v.parse::<f32>().ok()).expect("yMax")
    };
    assert!((y_of("(Rzecznik") - y_of("Finansowy,")).abs() < 0.5, "{boxes}");
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.len() <= 40 * 1024, "a one-page letter with logo and three faces is {} bytes", bytes.len());
    project
        .run(&["render", "complaint-rejected", "--data", data, "--locale", "en", "--format", "pdf", "-o", "again.pdf"])
        .expect(0);
    assert!(bytes == std::fs::read(project.path().join("again.pdf")).expect("pdf"), "same letter, same bytes");
}

#[test]
fn strong_emphasis_takes_the_bold_italic_face_or_else_the_bold_one() {
    let project = Project::bundled();
    project.edit("locales/en/complaint-rejected.ftl", "(*Sąd Polubowny przy KNF*,", "(***Sąd Polubowny przy KNF***,");
    let data = "fixtures/complaint-rejected/company.json";
    let render = |out: &str| {
        project
            .run(&["render", "complaint-rejected", "--data", data, "--locale", "en", "--format", "pdf", "-o", out])
            .expect(0);
        embedded_subsets(&project.path().join(out))
    };
    assert_eq!(render("bold.pdf"), ["DejaVuSerif", "DejaVuSerif-Bold"]);
    // Any TrueType file will do as the bold italic face; DejaVu Sans Bold is easy to tell apart.
    project.edit(
        "templates/layouts/letter.toml",
        "italic = \"DejaVuSerif-Italic.ttf\"",
        "italic = \"DejaVuSerif-Italic.ttf\"\nbold_italic = \"DejaVuSans-Bold.ttf\"",
    );
    assert_eq!(render("bold-italic.pdf"), ["DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans-Bold"]);
    let text = tool("pdftotext", &[project.path().join("bold-italic.pdf").to_str().expect("path"), "-"]);
    assert!(text.contains("Polubowny przy KNF, www.knf.gov.pl"), "{text}");
}

#[test]
fn check_names_the_field_a_house_italic_font_lacks() {
    let project = Project::bundled();
    font_without_l_stroke(&project, "DejaVuSerif-Italic.ttf", "NoL-Italic.ttf");
    project.edit("templates/layouts/letter.toml", "\"DejaVuSerif-Italic.ttf\"", "\"NoL-Italic.ttf\"");
    // The closing line names the customer in italics; the upright text keeps its `ł` (zapłaty).
    project.edit(
        "templates/final-demand.tera",
        "{{ t(id=\"final-demand-closing\") }}",
        "{{ t(id=\"final-demand-closing\") }} *{{ customer.name }}*",
    );
    let fixture = std::fs::read_to_string(project.path().join("fixtures/final-demand/typical.json")).expect("fixture");
    project.write("fixtures/final-demand/typical.json", &fixture.replace("Piotr Nowak", "Michał Nowak"));
    let run = project.run(&["check", "final-demand"]).expect(1);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(out.contains("pdf.missing-glyph"), "{out}");
    assert!(
        out.contains("field `customer.name` holds U+0142 `ł`, which the PDF font DejaVuSerif-Italic lacks"),
        "{out}"
    );
    assert!(!out.contains("the letter's text holds"), "the upright faces print `ł`:\n{out}");
    let run = project
        .run(&[
            "render",
            "final-demand",
            "--data",
            "fixtures/final-demand/typical.json",
            "--format",
            "pdf",
            "-o",
            "fd.pdf",
        ])
        .expect(2);
    assert!(
        run.stderr
            .contains("field `customer.name` holds U+0142 `ł`, which the PDF font DejaVuSerif-Italic cannot print"),
        "{}",
        run.stderr
    );

    // The whole italic font covers it: no finding, check passes.
    project.edit("templates/layouts/letter.toml", "\"NoL-Italic.ttf\"", "\"DejaVuSerif-Italic.ttf\"");
    let run = project.run(&["check", "final-demand", "--format", "json"]).expect(0);
    assert!(!run.stdout.contains("pdf.missing-glyph"), "{}", run.stdout);
}

/// Runs tests/cff_font.py with `args` (paths under the project's `fonts/` for the font made).
fn cff_font(project: &Project, args: &[&str], out: &str) {
    std::fs::create_dir_all(project.path().join("fonts")).expect("fonts/");
    let run = Command::new("python3")
        .arg(crate::harness::bundled_root().join("tests/cff_font.py"))
        .args(args)
        .arg(project.path().join("fonts").join(out))
        .output()
        .expect("python3 runs (scripts/test.sh installs fonttools in target/venv)");
    assert!(run.status.success(), "cff_font.py: {}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn an_opentype_font_with_cff_outlines_is_embedded_as_a_cff_subset() {
    let project = Project::bundled();
    let italic = crate::harness::bundled_root().join("fonts/DejaVuSerif-Italic.ttf");
    let italic = italic.to_str().expect("utf-8 path");
    cff_font(&project, &[italic], "Serif-CFF.otf");
    project.edit("templates/layouts/letter.toml", "\"DejaVuSerif-Italic.ttf\"", "\"Serif-CFF.otf\"");
    let data = "fixtures/complaint-rejected/typical.json";
    project
        .run(&["render", "complaint-rejected", "--data", data, "--locale", "en", "--format", "pdf", "-o", "cff.pdf"])
        .expect(0);
    let pdf = project.path().join("cff.pdf");
    let rows = font_rows(&pdf);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let cff = &rows[2];
    assert!(
        cff[0].len() == 7 + "DejaVuSerif-Italic-CFF".len() && cff[0].ends_with("+DejaVuSerif-Italic-CFF"),
        "{rows:?}"
    );
    // type, encoding, embedded, subset, ToUnicode
    assert_eq!(&cff[1..8], ["CID", "Type", "0C", "Identity-H", "yes", "yes", "yes"], "{rows:?}");
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    assert!(text.contains("Financial Ombudsman (Rzecznik Finansowy, www.rf.gov.pl)"), "{text}");
    let (ok, report) = conformance(&pdf, "both");
    assert!(ok && report.contains("31 of 31 clauses pass"), "{report}");
    // The glyphs are drawn: poppler renders the italic word from the CFF program, without a
    // complaint about it, in ink.
    let boxes = tool("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"]);
    let word = boxes.lines().find(|l| l.ends_with(">Finansowy,</word>")).expect("the italic word");
    let at: Vec<f32> = word.split('"').skip(1).step_by(2).take(4).map(|v| v.parse().expect("number")).collect();
    let (x, y, w, h) = (at[0], at[1], at[2] - at[0], at[3] - at[1]);
    let crop = [x, y, w, h].map(|v| (v.round() as i64).to_string());
    let page = Command::new("pdftoppm")
        .args([
            "-f", "1", "-l", "1", "-r", "72", "-gray", "-x", &crop[0], "-y", &crop[1], "-W", &crop[2], "-H", &crop[3],
        ])
        .arg(&pdf)
        .output()
        .expect("pdftoppm");
    assert!(page.status.success() && page.stderr.is_empty(), "{}", String::from_utf8_lossy(&page.stderr));
    // A binary PGM: three header lines, then one byte a pixel.
    let mut header = 0;
    let pixels = page.stdout.splitn(4, |&b| b == b'\n').inspect(|_| header += 1).last().expect("pixels");
    assert_eq!(header, 4, "a PGM");
    let ink = pixels.iter().filter(|&&p| p < 128).count();
    assert!(ink * 20 > pixels.len(), "{ink} of {} pixels dark (a blank box has none)", pixels.len());

    // A font with neither outline format is a load error naming the file and what is supported.
    cff_font(&project, &["--no-outlines", italic], "NoOutlines.ttf");
    project.edit("templates/layouts/letter.toml", "\"Serif-CFF.otf\"", "\"NoOutlines.ttf\"");
    let run =
        project.run(&["render", "complaint-rejected", "--data", data, "--format", "pdf", "-o", "none.pdf"]).expect(2);
    for needle in ["fonts.italic", "fonts/NoOutlines.ttf", "neither TrueType (`glyf`) nor CFF outlines", "(.otf)"] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
}

/// Runs tests/pdf_conformance.py (pikepdf) on `pdf`; its exit status and report.
fn conformance(pdf: &Path, expect: &str) -> (bool, String) {
    let out = Command::new("python3")
        .arg(crate::harness::bundled_root().join("tests/pdf_conformance.py"))
        .arg(pdf)
        .args(["--expect", expect])
        .output()
        .expect("python3 runs (scripts/test.sh installs pikepdf in target/venv)");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), report)
}

#[test]
fn bundled_letters_pass_the_pdf_a_and_pdf_ua_clauses_pikepdf_checks() {
    let project = Project::bundled();
    for (template, fixture) in [("final-demand", "typical"), ("payment-reminder", "typical"), ("invoice", "many-lines")]
    {
        for locale in ["pl", "en"] {
            let data = format!("fixtures/{template}/{fixture}.json");
            let out = format!("{template}.{locale}.pdf");
            project
                .run(&["render", template, "--data", &data, "--locale", locale, "--format", "pdf", "-o", &out])
                .expect(0);
            let pdf = project.path().join(&out);
            let (ok, report) = conformance(&pdf, "both");
            assert!(ok, "{out}:\n{report}");
            assert!(report.contains("31 of 31 clauses pass"), "{out}:\n{report}");
            let fonts = tool("pdffonts", &[pdf.to_str().expect("path")]);
            assert!(fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")), "{fonts}");
        }
    }
    // The same letter, the same bytes, metadata and profile included.
    let again = "final-demand.again.pdf";
    project
        .run(&[
            "render",
            "final-demand",
            "--data",
            "fixtures/final-demand/typical.json",
            "--locale",
            "pl",
            "--format",
            "pdf",
            "-o",
            again,
        ])
        .expect(0);
    let first = std::fs::read(project.path().join("final-demand.pl.pdf")).expect("pdf");
    assert!(first == std::fs::read(project.path().join(again)).expect("pdf"), "same letter, same bytes");
    assert!(first.len() <= 40 * 1024, "a one-page letter with logo is {} bytes", first.len());
}

#[test]
fn the_checker_fails_a_plain_pdf_and_an_untagged_one() {
    let project = Project::bundled();
    project.edit("templates/layouts/letter.toml", "conformance = \"both\"", "conformance = \"none\"");
    let pdf = render_pdf(&project, "final-demand", "typical", "plain.pdf");
    let (ok, report) = conformance(&pdf, "both");
    assert!(!ok, "{report}");
    for clause in ["FAIL catalog /Metadata holds XMP", "FAIL one GTS_PDFA1 output intent"] {
        assert!(report.contains(clause), "{clause}:\n{report}");
    }
    // Tagging does not depend on the setting.
    assert!(report.contains("PASS every painting operator is tagged content or an artifact"), "{report}");

    // The writer's untagged pages: text outside any marked content.
    use missive::emit::pdf::{Metadata, Page, PdfWriter, TextRun};
    let writer = PdfWriter::bundled().expect("fonts");
    let meta =
        Metadata { title: "T", author: "A", subject: "S", lang: "pl-PL", created: jiff::civil::date(2026, 11, 23) };
    let bytes =
        writer.write(&[Page { runs: vec![TextRun::new(20.0, 30.0, 11.0, false, "Łódź")] }], &meta).expect("pdf");
    let untagged = project.path().join("untagged.pdf");
    std::fs::write(&untagged, bytes).expect("write");
    let (ok, report) = conformance(&untagged, "pdf/ua-1");
    assert!(!ok && report.contains("FAIL every painting operator is tagged content or an artifact"), "{report}");
    assert!(report.contains("FAIL catalog /StructTreeRoot"), "{report}");
}

#[test]
fn conformance_pdf_ua_alone_has_no_output_intent_and_pdf_a_alone_no_ua_identification() {
    let project = Project::bundled();
    for (setting, absent) in [("pdf/ua-1", "/OutputIntents"), ("pdf/a-3b", "pdfuaid")] {
        project.write("templates/layouts/letter.toml", &format!("[pdf]\nconformance = \"{setting}\"\n"));
        let pdf = render_pdf(&project, "final-demand", "typical", "one.pdf");
        let (ok, report) = conformance(&pdf, setting);
        assert!(ok, "{setting}:\n{report}");
        let bytes = std::fs::read(&pdf).expect("pdf");
        assert!(!bytes.windows(absent.len()).any(|w| w == absent.as_bytes()), "{setting} writes no {absent}");
    }
}
