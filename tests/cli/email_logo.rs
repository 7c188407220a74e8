//! The letterhead's logo in the email: an inline image part (`multipart/related`, Content-ID,
//! `Content-Disposition: inline`) that the HTML names by `cid:`, in every output that carries an
//! email, read back by Python's `email` (strict policy) and compared with `images/logo.png`;
//! `[email] logo = false` sends none; a shell that does not show it sends none.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use crate::batch::{Server as Smtp, records};
use crate::harness::{Project, bundled_root};

const ALTERNATIVE: &str = "multipart/alternative(text/plain, multipart/related(text/html, image/png))";

/// `tests/email_images.py`'s report on every message in `paths` (files, mboxes, folders).
fn images(paths: &[&Path]) -> Vec<Json> {
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/email_images.py"))
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "the strict parser refused a message: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

/// The SHA-256 of the bundled logo, as Python's hashlib writes it.
fn logo_sha256() -> String {
    let bytes = std::fs::read(bundled_root().join("images/logo.png")).expect("images/logo.png");
    assert_eq!(bytes.len(), 794, "the bundled logo");
    ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts `message` shows the bundled logo: one image part, inline, the same bytes as the file,
/// named by the HTML's one `<img>` through a `cid:` that resolves inside the related part.
#[track_caller]
fn shows_the_logo(message: &Json, structure: &str) {
    assert_eq!(message["structure"], structure, "{message}");
    assert_eq!(message["related_type"], "text/html", "RFC 2387's type parameter: {message}");
    let images = message["images"].as_array().expect("images");
    assert_eq!(images.len(), 1, "{message}");
    let image = &images[0];
    assert_eq!(image["type"], "image/png");
    assert_eq!(image["disposition"], "inline");
    assert_eq!(image["filename"], "logo.png");
    assert_eq!(image["sha256"], logo_sha256().as_str(), "the part's bytes are the file's");
    let cid = image["content_id"].as_str().expect("a Content-ID");
    assert!(cid.starts_with("<logo.") && cid.ends_with("@example.pl>"), "{cid}");
    assert_eq!(message["cids"], serde_json::json!([cid.trim_matches(['<', '>'])]), "{message}");
    assert_eq!(message["img_tags"], 1);
    assert_eq!(message["resolved"], true, "{message}");
}

fn render_eml(project: &Project, template: &str, fixture: &str, out: &str) -> Json {
    let data = format!("fixtures/{template}/{fixture}.json");
    project.run(&["render", template, "--data", &data, "--format", "eml", "-o", out]).expect(0);
    let mut reports = images(&[&project.path().join(out)]);
    assert_eq!(reports.len(), 1);
    reports.remove(0)
}

#[test]
fn the_email_carries_the_letterheads_logo_inline_and_the_html_names_it_by_cid() {
    let project = Project::bundled();
    // (The invoice's `company` fixture also carries an e-invoice; `lines` has no attachment.)
    for (template, fixture) in [("invoice", "lines"), ("final-demand", "company"), ("complaint-rejected", "company")] {
        let report = render_eml(&project, template, fixture, "letter.eml");
        shows_the_logo(&report, ALTERNATIVE);
    }
    // The Content-ID comes from the file: the same in every letter, another for another logo.
    let first = render_eml(&project, "invoice", "lines", "a.eml")["images"][0]["content_id"].clone();
    let again = render_eml(&project, "final-demand", "company", "b.eml")["images"][0]["content_id"].clone();
    assert_eq!(first, again);
    let mut png = std::fs::read(project.path().join("images/logo.png")).expect("logo");
    png.extend_from_slice(b"\0");
    std::fs::write(project.path().join("images/logo.png"), &png).expect("write");
    let changed = render_eml(&project, "invoice", "lines", "c.eml")["images"][0]["content_id"].clone();
    assert_ne!(first, changed, "a new logo file is a new Content-ID");
}

#[test]
fn with_attachments_the_related_part_sits_inside_the_alternative_inside_mixed() {
    let project = Project::bundled();
    project.write("attachments/regulamin.pdf", "%PDF-1.4 test\n");
    let record = serde_json::json!({"customer": {"name": "Anna", "gender": "female", "email": "anna@example.pl"},
        "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01"},
        "attachments": ["regulamin.pdf"]});
    project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "eml", "-o", "a.eml"],
            Some(&record.to_string()),
        )
        .expect(0);
    let report = images(&[&project.path().join("a.eml")]).remove(0);
    shows_the_logo(&report, &format!("multipart/mixed({ALTERNATIVE}, application/pdf)"));
}

#[test]
fn every_output_that_carries_email_carries_the_logo() {
    let project = Project::bundled();
    let (text, _) = records(3, &[]);
    project.write("records.jsonl", &text);
    let base = ["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23"];
    project.run(&[&base[..], &["--mbox", "out.mbox"]].concat()).expect(0);
    project.run(&[&base[..], &["--out-dir", "letters"]].concat()).expect(0);
    let smtp = Smtp::start(&[]);
    project.run(&[&base[..], &["--smtp", &smtp.url()]].concat()).expect(0);
    let mut paths = vec![project.path().join("out.mbox"), project.path().join("letters"), smtp.mail_dir()];
    // The server's download and its send (through the same loopback SMTP server).
    let config = std::fs::read_to_string(project.path().join("missive.toml")).expect("missive.toml");
    let sent_by_server = Smtp::start(&[]);
    project.write("missive.toml", &format!("{config}\n[serve]\nsmtp = \"{}\"\n", sent_by_server.url()));
    let server = crate::serve::Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture");
    let eml = crate::serve::post(&server, "/v1/letters/invoice?format=eml", &[], record.as_bytes());
    assert_eq!(eml.status, 200, "{}", eml.text());
    std::fs::write(project.path().join("download.eml"), &eml.body).expect("write");
    let sent =
        crate::serve::post(&server, "/v1/letters/invoice/send", &[("idempotency-key", "logo-1")], record.as_bytes());
    assert_eq!(sent.status, 200, "{}", sent.text());
    paths.extend([project.path().join("download.eml"), sent_by_server.mail_dir()]);
    let paths: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let reports = images(&paths);
    assert_eq!(reports.len(), 3 + 3 + 3 + 1 + 1, "{reports:#?}");
    for report in &reports {
        shows_the_logo(report, ALTERNATIVE);
    }
}

#[test]
fn email_logo_false_sends_no_image_and_no_img() {
    let project = Project::bundled();
    project.edit("missive.toml", "logo = true", "logo = false");
    let report = render_eml(&project, "invoice", "lines", "letter.eml");
    assert_eq!(report["structure"], "multipart/alternative(text/plain, text/html)", "{report}");
    assert_eq!(report["images"], serde_json::json!([]));
    assert_eq!(report["img_tags"], 0);
    let html =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "html"]).expect(0);
    assert!(!html.stdout.contains("<img") && !html.stdout.contains("cid:"), "{}", html.stdout);
    // The PDF keeps its logo: the setting is the email's.
    assert!(project.path().join("templates/layouts/letter.toml").is_file());
    let text = std::fs::read_to_string(project.path().join("templates/layouts/letter.toml")).expect("layout");
    assert!(text.contains("[logo]"));
}

#[test]
fn a_shell_that_does_not_show_the_logo_sends_no_image() {
    let project = Project::bundled();
    let shell = std::fs::read_to_string(project.path().join("templates/layouts/email.mjml")).expect("shell");
    let start = shell.find("{%- if logo %}").expect("the bundled shell places the logo");
    let end = shell.find("{%- endif %}").expect("…inside an if") + "{%- endif %}".len();
    project.write("templates/layouts/email.mjml", &format!("{}{}", &shell[..start], &shell[end..]));
    let report = render_eml(&project, "invoice", "lines", "letter.eml");
    assert_eq!(report["structure"], "multipart/alternative(text/plain, text/html)", "{report}");
    assert_eq!(report["img_tags"], 0);
}

#[test]
fn a_jpeg_logo_is_sent_as_image_jpeg_at_the_letterheads_size() {
    let project = Project::bundled();
    let venv = bundled_root().join("target/venv/bin/python3");
    let made = Command::new(&venv)
        .args([
            "-c",
            "import sys; from PIL import Image; Image.new('RGB', (120, 60), (11, 79, 138)).save(sys.argv[1], 'JPEG')",
        ])
        .arg(project.path().join("images/logo.jpg"))
        .output()
        .expect("the venv's python runs (Pillow comes with pikepdf, scripts/venv.sh)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    project.edit("templates/layouts/letter.toml", "file = \"images/logo.png\"", "file = \"images/logo.jpg\"");
    project.edit("templates/layouts/letter.toml", "width = 11.0", "width = 20.0");
    let report = render_eml(&project, "invoice", "lines", "letter.eml");
    assert_eq!(report["structure"], ALTERNATIVE.replace("image/png", "image/jpeg"), "{report}");
    assert_eq!(report["images"][0]["filename"], "logo.jpg");
    let html =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "html"]).expect(0);
    // 20 mm at 96 px an inch is 76 px wide; 2:1, so 38 px tall.
    assert!(html.stdout.contains("height=\"38\"") && html.stdout.contains("width=\"76\""), "{}", html.stdout);
}

#[test]
fn a_logo_file_that_is_neither_png_nor_jpeg_is_a_load_error_naming_the_setting() {
    let project = Project::bundled();
    project.write("images/logo.png", "GIF89a not a png");
    let run = project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "eml"]).expect(2);
    let said = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(said.contains("`logo.file` names images/logo.png, which is neither a PNG nor a JPEG image"), "{said}");
    assert!(said.contains("[email] logo = false"), "{said}");
}

#[test]
fn an_mjml_image_from_the_web_is_still_refused() {
    let project = Project::bundled();
    project.edit("templates/layouts/email.mjml", "src=\"{{ logo.src }}\"", "src=\"https://bank.example.pl/logo.png\"");
    let run = project.run(&["check"]).expect(2);
    assert!(
        run.stderr.contains("templates/layouts/email.mjml (pl): the email would fetch `src=\"https://bank.example.pl"),
        "{}",
        run.stderr
    );
}

#[test]
fn html_for_a_browser_carries_the_logo_as_a_data_url_and_the_email_keeps_the_cid() {
    let project = Project::bundled();
    let data = "fixtures/invoice/lines.json";
    let expected = {
        use base64::Engine as _;
        let bytes = std::fs::read(project.path().join("images/logo.png")).expect("logo");
        format!("src=\"data:image/png;base64,{}\"", base64::engine::general_purpose::STANDARD.encode(bytes))
    };
    // `render --format html` is opened in a browser, which cannot resolve `cid:`.
    let html = project.run(&["render", "invoice", "--data", data, "--format", "html"]).expect(0).stdout;
    assert!(html.contains(&expected) && !html.contains("cid:"), "{html}");
    // The JSON answer's `html` is what previews show: the same.
    let json: Json =
        serde_json::from_str(&project.run(&["render", "invoice", "--data", data, "--format", "json"]).expect(0).stdout)
            .expect("JSON");
    let shown = json["html"].as_str().expect("html");
    assert!(shown.contains(&expected) && !shown.contains("cid:"));
    // The email itself names its inline part.
    let report = render_eml(&project, "invoice", "lines", "letter.eml");
    shows_the_logo(&report, ALTERNATIVE);
}
