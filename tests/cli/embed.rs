//! A record's attachment marked `embed`: a PDF/A-3 associated file of the printed letter (the
//! bundled invoice `company` carries its structured e-invoice, `attachments/FA_2026_11_0044.xml`),
//! judged by qpdf, pikepdf (tests/pdf_conformance.py and its attachments API) and Python's strict
//! email parser; and the record's mistakes, each named by its entry and key.

use std::path::Path;
use std::process::Command;

use crate::harness::{Project, bundled_root};

const XML: &str = "attachments/FA_2026_11_0044.xml";

/// `render` of the invoice `company` in `format` to `out`.
fn render(project: &Project, format: &str, out: &str) {
    project
        .run(&["render", "invoice", "--data", "fixtures/invoice/company.json", "--format", format, "-o", out])
        .expect(0);
}

fn qpdf_check(pdf: &Path) {
    let check = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf runs");
    assert_eq!(check.status.code(), Some(0), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
}

/// tests/pdf_conformance.py on `pdf`, comparing embedded files with the project's attachments.
fn conformance(project: &Project, pdf: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/pdf_conformance.py"))
        .arg(pdf)
        .arg("--attachments")
        .arg(project.path().join("attachments"))
        .output()
        .expect("python3 runs (scripts/test.sh installs pikepdf in target/venv)");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), report)
}

/// Python run on `args` (a script and its arguments), its standard output.
fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_e_invoice_is_an_associated_file_of_the_printed_invoice() {
    let project = Project::bundled();
    render(&project, "pdf", "a.pdf");
    render(&project, "pdf", "b.pdf");
    let pdf = project.path().join("a.pdf");
    qpdf_check(&pdf);
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes == std::fs::read(project.path().join("b.pdf")).expect("pdf"), "same letter, same bytes");

    let (ok, report) = conformance(&project, &pdf);
    assert!(ok, "{report}");
    assert!(report.contains("39 of 39 clauses pass"), "the 31 clauses and the 8 of associated files:\n{report}");

    // pikepdf's own reading of the file: name, description, MIME type, relationship, bytes.
    let seen = python(
        "import sys, pikepdf\n\
         pdf = pikepdf.open(sys.argv[1])\n\
         for name, spec in pdf.attachments.items():\n\
         \x20   f = spec.get_file()\n\
         \x20   same = f.read_bytes() == open(sys.argv[2], 'rb').read()\n\
         \x20   print(name, '|', spec.description, '|', f.mime_type, '|', spec.obj.AFRelationship, '|', same)\n\
         print('modified', pdf.attachments['FA_2026_11_0044.xml'].get_file().obj.Params.ModDate)",
        &[&pdf, &project.path().join(XML)],
    );
    assert_eq!(
        seen,
        "FA_2026_11_0044.xml | e-faktura KSeF (FA(2)) nr FV/2026/11/0044 | application/xml | /Alternative | True\n\
         modified D:20261123\n",
        "the letter's date, never the clock"
    );

    // A letter differing only in the embedded file's bytes is another document (/ID).
    project.write(XML, &std::fs::read_to_string(project.path().join(XML)).expect("xml").replace("439.50", "439.51"));
    render(&project, "pdf", "c.pdf");
    let id = "import sys, pikepdf; print(bytes(pikepdf.open(sys.argv[1]).trailer.ID[0]).hex())";
    assert_ne!(python(id, &[&pdf]), python(id, &[&project.path().join("c.pdf")]));
}

#[test]
fn a_letter_claiming_no_conformance_embeds_its_file_the_same_way() {
    let project = Project::bundled();
    project.edit("templates/layouts/letter.toml", "conformance = \"both\"", "conformance = \"none\"");
    render(&project, "pdf", "plain.pdf");
    let pdf = project.path().join("plain.pdf");
    qpdf_check(&pdf);
    let seen = python(
        "import sys, pikepdf\n\
         pdf = pikepdf.open(sys.argv[1])\n\
         print('/Metadata' in pdf.Root, len(pdf.Root.AF), sorted(pdf.attachments), pdf.Root.AF[0].AFRelationship)",
        &[&pdf],
    );
    assert_eq!(seen, "False 1 ['FA_2026_11_0044.xml'] /Alternative\n", "no PDF/A claim, the same /AF");
    let (ok, report) = conformance(&project, &pdf);
    assert!(!ok, "no XMP, so the PDF/A clauses fail:\n{report}");
    for clause in
        ["PASS every embedded file is in the catalog's /AF", "PASS every embedded file's bytes are the attachment's"]
    {
        assert!(report.contains(clause), "{clause}:\n{report}");
    }
}

#[test]
fn the_size_of_the_printed_invoice_with_and_without_its_e_invoice() {
    let project = Project::bundled();
    render(&project, "pdf", "with.pdf");
    let record = std::fs::read_to_string(project.path().join("fixtures/invoice/company.json")).expect("fixture");
    let value: serde_json::Value = serde_json::from_str(&record).expect("json");
    let mut plain = value.clone();
    plain.as_object_mut().expect("object").remove("attachments");
    project.write("plain.json", &plain.to_string());
    project.run(&["render", "invoice", "--data", "plain.json", "--format", "pdf", "-o", "without.pdf"]).expect(0);
    let with = std::fs::metadata(project.path().join("with.pdf")).expect("pdf").len();
    let without = std::fs::metadata(project.path().join("without.pdf")).expect("pdf").len();
    let xml = std::fs::metadata(project.path().join(XML)).expect("xml").len();
    eprintln!("invoice/company PDF: {without} bytes without the e-invoice, {with} with it ({xml} bytes of XML)");
    // Deflated, the XML adds less than itself, plus a few hundred bytes of dictionaries.
    assert!(with > without && with - without < xml, "{without} → {with} for {xml} bytes of XML");
    assert!(with <= 40 * 1024, "a one-page letter with logo and e-invoice is {with} bytes");
}

#[test]
fn the_checker_fails_an_embedded_file_without_its_relationship_or_its_size() {
    let project = Project::bundled();
    render(&project, "pdf", "good.pdf");
    let (good, bad) = (project.path().join("good.pdf"), project.path().join("bad.pdf"));
    python(
        "import sys, pikepdf\n\
         pdf = pikepdf.open(sys.argv[1])\n\
         spec = pdf.Root.AF[0]\n\
         del spec['/AFRelationship']\n\
         spec.EF.F.Params.Size = 12\n\
         del pdf.Root['/AF']\n\
         pdf.save(sys.argv[2])",
        &[&good, &bad],
    );
    let (ok, report) = conformance(&project, &bad);
    assert!(!ok, "{report}");
    for clause in [
        "FAIL every embedded file has an /AFRelationship PDF/A-3 names",
        "FAIL every embedded file's /Params /Size is its length",
        "FAIL every embedded file is in the catalog's /AF",
        "PASS every embedded file's bytes are the attachment's",
    ] {
        assert!(report.contains(clause), "{clause}:\n{report}");
    }
}

/// The `.eml` of the invoice `company`, parsed by tests/email_check.py (strict policy).
fn email(project: &Project) -> serde_json::Value {
    render(project, "eml", "letter.eml");
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/email_check.py"))
        .arg(project.path().join("letter.eml"))
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "strict parser refused the message: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json from the checker")
}

fn parts(email: &serde_json::Value) -> Vec<(String, String)> {
    email["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| (p["content_type"].as_str().unwrap_or("").into(), p["filename"].as_str().unwrap_or("").into()))
        .collect()
}

#[test]
fn the_email_carries_an_embedded_file_once() {
    let project = Project::bundled();
    // The invoice's email does not carry its PDF: the e-invoice is attached beside the text.
    let alone = email(&project);
    assert_eq!(alone["content_type"], "multipart/mixed");
    let xml_len = std::fs::metadata(project.path().join(XML)).expect("xml").len();
    let found = parts(&alone);
    // Text, HTML, the letterhead's logo (inline, in the HTML's related part), the e-invoice.
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(found[2], ("image/png".to_string(), "logo.png".to_string()), "{found:?}");
    assert_eq!(found[3], ("application/xml".to_string(), "FA_2026_11_0044.xml".to_string()), "{found:?}");
    assert_eq!(alone["parts"][3]["content"]["bytes"], xml_len);

    // With `attach_pdf`, the e-invoice travels inside the PDF and is not attached a second time.
    project.edit("templates/invoice.tera", "kind = \"invoice\"\n", "kind = \"invoice\"\nattach_pdf = true\n");
    let with_pdf = email(&project);
    let found = parts(&with_pdf);
    assert_eq!(found.len(), 4, "text, HTML, the logo and the PDF: {found:?}");
    assert_eq!(found[3], ("application/pdf".to_string(), "INV-00000044.pdf".to_string()), "{found:?}");
    let inside = python(
        "import sys, io, pikepdf\n\
         from email import policy\n\
         from email.parser import BytesParser\n\
         msg = BytesParser(policy=policy.strict).parsebytes(open(sys.argv[1], 'rb').read())\n\
         pdf = next(p for p in msg.walk() if p.get_content_type() == 'application/pdf').get_content()\n\
         doc = pikepdf.open(io.BytesIO(pdf))\n\
         att = doc.attachments\n\
         print(sorted(att), att['FA_2026_11_0044.xml'].get_file().read_bytes() == open(sys.argv[2], 'rb').read())",
        &[&project.path().join("letter.eml"), &project.path().join(XML)],
    );
    assert_eq!(inside, "['FA_2026_11_0044.xml'] True\n");

    // A plain attachment beside it is still attached.
    let record = std::fs::read_to_string(project.path().join("fixtures/invoice/company.json")).expect("fixture");
    project.write(
        "fixtures/invoice/company.json",
        &record.replace("\"attachments\": [", "\"attachments\": [\n    \"tabela-oplat.txt\","),
    );
    let found = parts(&email(&project));
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(found[4], ("text/plain".to_string(), "tabela-oplat.txt".to_string()), "{found:?}");
}

#[test]
fn printed_letters_of_a_batch_carry_their_embedded_files() {
    let project = Project::bundled();
    // A CSV cell that starts with `[` is JSON: the attachments column of a spreadsheet.
    let attachments = r#"[{"file": "FA_2026_11_0044.xml", "embed": true}]"#.replace('"', "\"\"");
    project.write(
        "records.csv",
        &format!(
            "key,customer.name,customer.gender,customer.email,invoice.number,invoice.total,invoice.due,attachments\r\n\
             C1,Łąka Sp. z o.o.,company,faktury@laka.example.pl,FV/2026/11/0044,439.50 PLN,2026-12-07,\"{attachments}\"\r\n\
             C2,Jan Nowak,male,jan@example.pl,FV/2026/11/0002,45.60 PLN,2026-12-02,\r\n"
        ),
    );
    project
        .run(&[
            "batch",
            "invoice",
            "--data",
            "records.csv",
            "--out-dir",
            "out",
            "--format",
            "pdf",
            "--today",
            "2026-11-23",
        ])
        .expect(0);
    let names = "import sys, pikepdf\nfor p in sys.argv[1:]: print(sorted(pikepdf.open(p).attachments))";
    let (c1, c2) = (project.path().join("out/C1.pdf"), project.path().join("out/C2.pdf"));
    qpdf_check(&c1);
    assert_eq!(python(names, &[&c1, &c2]), "['FA_2026_11_0044.xml']\n[]\n");
    let (ok, report) = conformance(&project, &c1);
    assert!(ok, "{report}");
}

/// `render` of the invoice `lines` with `attachments` set to `list`: exit 2, the message.
fn refused(project: &Project, list: serde_json::Value) -> String {
    let record = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture");
    let mut value: serde_json::Value = serde_json::from_str(&record).expect("json");
    value["attachments"] = list;
    let run = project.run_with_stdin(&["render", "invoice", "--data", "-"], Some(&value.to_string())).expect(2);
    run.stderr
}

#[test]
fn a_mistaken_attachment_is_named_by_its_entry_and_key_with_the_fix() {
    let project = Project::bundled();
    let file = "tabela-oplat.txt";
    let cases = [
        (
            serde_json::json!([file, {"file": file, "embedd": true}]),
            &["stdin: `attachments[1]`: has an unknown key `embedd`", "did you mean `embed`?"][..],
        ),
        (
            serde_json::json!([{"file": file, "embed": "yes"}]),
            &["`attachments[0].embed`: \"yes\" is not true or false", "write \"embed\": true (without quotes)"],
        ),
        (
            serde_json::json!([{"file": file, "embed": true, "relationship": "alternative"}]),
            &[
                "`attachments[0].relationship`: \"alternative\" is not one of Source, Data,",
                "write \"Alternative\", capitalised as PDF/A-3 names it",
            ],
        ),
        (
            serde_json::json!([{"file": file, "embed": true, "relationship": "Other"}]),
            &["\"Alternative\" (the default)"],
        ),
        (
            serde_json::json!([{"file": file, "description": "Tabela"}]),
            &["`attachments[0].description`: is given, but `tabela-oplat.txt` is not embedded", "add \"embed\": true"],
        ),
        (serde_json::json!([{"embed": true}]), &["`attachments[0].file`: is missing", "{\"file\": "]),
        (
            serde_json::json!([{"file": "../missive.toml", "embed": true}]),
            &["`attachments[0].file`: \"../missive.toml\" is not a plain file name"],
        ),
        (
            serde_json::json!([{"file": file, "embed": true}, {"file": file, "embed": true}]),
            &["`attachments[1].file`: embeds `tabela-oplat.txt` a second time", "list each embedded file once"],
        ),
        (
            serde_json::json!([{"file": file, "embed": true, "description": "a\nb"}]),
            &["`attachments[0].description`: is not one line"],
        ),
    ];
    for (list, expected) in cases {
        let stderr = refused(&project, list.clone());
        for text in expected {
            assert!(stderr.contains(text), "{list}: expected {text:?} in\n{stderr}");
        }
    }

    // The JSON answer lists the problem under its field, as the agent's page shows it.
    let record = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture");
    let mut value: serde_json::Value = serde_json::from_str(&record).expect("json");
    value["attachments"] = serde_json::json!([{"file": file, "embed": 1}]);
    let run = project
        .run_with_stdin(&["render", "invoice", "--data", "-", "--format", "json"], Some(&value.to_string()))
        .expect(2);
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("json answer");
    assert_eq!(answer["errors"][0]["field"], "attachments[0].embed", "{answer}");

    // An embedded file the folder lacks stops the PDF, naming it.
    value["attachments"] = serde_json::json!([{"file": "FA_missing.xml", "embed": true}]);
    let run = project
        .run_with_stdin(
            &["render", "invoice", "--data", "-", "--format", "pdf", "-o", "x.pdf"],
            Some(&value.to_string()),
        )
        .expect(2);
    assert!(run.stderr.contains("attachment `FA_missing.xml` is not in"), "{}", run.stderr);
}

#[test]
fn the_answer_echoes_plain_names_and_embedded_objects() {
    let project = Project::bundled();
    let run =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/company.json", "--format", "json"]).expect(0);
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("json answer");
    assert_eq!(
        answer["attachments"],
        serde_json::json!([{
            "file": "FA_2026_11_0044.xml",
            "embed": true,
            "description": "e-faktura KSeF (FA(2)) nr FV/2026/11/0044",
            "relationship": "Alternative",
        }]),
        "{answer}"
    );
}
