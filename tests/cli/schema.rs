//! `missive fields <id> --format json-schema` judged by an outside validator: Python's
//! `jsonschema` (Draft202012Validator, formats asserted). For every template of the bundled
//! standard the schema itself is valid and its patterns compile in Python's `re`; every fixture
//! validates; every record `render` accepts in the table below (and the fault catalogue's) is
//! valid, every record it refuses is invalid; and each difference the README lists ("What the
//! schema cannot say") holds as written, so that a change on either side shows here.

use std::process::Command;

use missive::Standard;
use serde_json::{Map, Value as Json, json};

use crate::faults;
use crate::harness::{Project, bundled_root, fixtures};

/// What a case expects of `render` and of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Render writes the letter; the schema accepts the record.
    Valid,
    /// Render refuses the record; the schema rejects it.
    Invalid,
    /// A listed difference: render writes the letter, the schema rejects the record.
    OnlySchemaRejects,
    /// A listed difference: render refuses the record, the schema accepts it.
    OnlyRenderRejects,
}

struct Case {
    name: String,
    template: String,
    /// The record as JSON text (raw, for what a JSON value cannot hold).
    text: String,
    expect: Expect,
}

/// A fixture with fields set (`Some`) or removed (`None`) at dotted paths.
fn edit(base: &str, changes: &[(&str, Option<Json>)]) -> Map<String, Json> {
    let text = std::fs::read_to_string(bundled_root().join("fixtures").join(base)).expect("fixture");
    let mut record: Map<String, Json> = serde_json::from_str(&text).expect("fixture JSON");
    for (path, value) in changes {
        let mut segments: Vec<&str> = path.split('.').collect();
        let last = segments.pop().expect("a path");
        let mut node = &mut record;
        for segment in segments {
            let entry = node.entry(segment.to_string()).or_insert_with(|| json!({}));
            node = entry.as_object_mut().expect("an object on the path");
        }
        match value {
            Some(v) => node.insert(last.to_string(), v.clone()),
            None => node.remove(last),
        };
    }
    record
}

fn case(name: &str, base: &str, changes: &[(&str, Option<Json>)], expect: Expect) -> Case {
    let template = base.split('/').next().expect("template folder").to_string();
    let text = serde_json::to_string(&edit(base, changes)).expect("serialise");
    Case { name: name.to_string(), template, text, expect }
}

fn set(path: &str, value: Json) -> (&str, Option<Json>) {
    (path, Some(value))
}

fn gone(path: &str) -> (&str, Option<Json>) {
    (path, None)
}

/// Records with one thing wrong, each a kind `render` refuses.
fn refused() -> Vec<Case> {
    use Expect::Invalid;
    let inv = "invoice/lines.json";
    let line = |amount: Json| json!([{ "description": "Abonament", "quantity": "1", "amount": amount }]);
    vec![
        case("wrong type: name as a number", inv, &[set("customer.name", json!(42))], Invalid),
        case("wrong type: object as a string", inv, &[set("customer", json!("Anna"))], Invalid),
        case("wrong type: list as an object", inv, &[set("invoice.lines", json!({"0": {}}))], Invalid),
        case("wrong type: list item not an object", inv, &[set("invoice.lines", json!(["x"]))], Invalid),
        case("wrong type: bool as a number", inv, &[set("customer.gender", json!(true))], Invalid),
        case("missing required", inv, &[gone("invoice.total")], Invalid),
        case("missing required (null)", inv, &[set("invoice.due", Json::Null)], Invalid),
        case("missing required object", inv, &[gone("customer")], Invalid),
        case(
            "missing required in a list item",
            inv,
            &[set("invoice.lines", json!([{"quantity": "1", "amount": "1 PLN"}]))],
            Invalid,
        ),
        case("bad date: not ISO", inv, &[set("invoice.due", json!("1.12.2026"))], Invalid),
        case("bad date: no such day", inv, &[set("invoice.due", json!("2026-02-29"))], Invalid),
        case("bad date: before 1583", inv, &[set("invoice.due", json!("1582-12-31"))], Invalid),
        case("bad date: with a time", inv, &[set("invoice.due", json!("2026-12-01T00:00:00"))], Invalid),
        case("bad date: _today", inv, &[set("_today", json!("2026-13-01"))], Invalid),
        case("bad email: no @", inv, &[set("customer.email", json!("anna.example.pl"))], Invalid),
        case("bad email: one label", inv, &[set("customer.email", json!("anna@localhost"))], Invalid),
        case("bad email: space", inv, &[set("customer.email", json!("an na@example.pl"))], Invalid),
        case("bad email: two dots", inv, &[set("customer.email", json!("an..na@example.pl"))], Invalid),
        case("bad email: display name", inv, &[set("customer.email", json!("Anna <anna@example.pl>"))], Invalid),
        case(
            "bad email: 65 before @",
            inv,
            &[set("customer.email", json!(format!("{}@example.pl", "a".repeat(65))))],
            Invalid,
        ),
        case("bad email: underscore in domain", inv, &[set("customer.email", json!("anna@exa_mple.pl"))], Invalid),
        case("over-long name", inv, &[set("customer.name", json!("Ż".repeat(121)))], Invalid),
        case(
            "over-long item text",
            inv,
            &[set("invoice.lines", json!([{"description": "x".repeat(201), "quantity": 1, "amount": "1 PLN"}]))],
            Invalid,
        ),
        case("empty name", inv, &[set("customer.name", json!(" \u{a0} "))], Invalid),
        case("line break in a name", inv, &[set("customer.name", json!("Anna\r\nBcc: x@example.com"))], Invalid),
        case(
            "tab in one-line text",
            inv,
            &[
                set("customer.address.street", json!("ul.\tProsta 1")),
                set("customer.address.city", json!("00-001 Warszawa")),
            ],
            Invalid,
        ),
        case("bidi override in a name", inv, &[set("customer.name", json!("Anna \u{202E}akswolwok"))], Invalid),
        case("zero-width space in a name", inv, &[set("customer.name", json!("Anna\u{200B}Kowalska"))], Invalid),
        case(
            "control character in multiline text",
            "complaint-accepted/typical.json",
            &[set("complaint.note", json!("a\u{7}b"))],
            Invalid,
        ),
        case("not in enum", inv, &[set("customer.gender", json!("Female"))], Invalid),
        case("not in enum (required)", "case-forwarded/typical.json", &[set("case.reason", json!("other"))], Invalid),
        case("pattern mismatch", inv, &[set("invoice.number", json!("FV/2026/11/42"))], Invalid),
        case(
            "pattern mismatch (complaint)",
            "complaint-accepted/typical.json",
            &[set("complaint.number", json!("rek/2026/11/0042"))],
            Invalid,
        ),
        case("negative money", inv, &[set("invoice.total", json!("-120.00 PLN"))], Invalid),
        case(
            "negative money (object)",
            inv,
            &[set("invoice.total", json!({"amount": "-120.00", "currency": "PLN"}))],
            Invalid,
        ),
        case("negative money (number)", inv, &[set("invoice.total", json!(-5))], Invalid),
        case("money: decimal comma", inv, &[set("invoice.total", json!("1 234,56 PLN"))], Invalid),
        case("money: lower-case currency", inv, &[set("invoice.total", json!("12.00 pln"))], Invalid),
        case("money: two currencies", inv, &[set("invoice.total", json!("12.50 PLN EUR"))], Invalid),
        case(
            "money: unknown key",
            inv,
            &[set("invoice.total", json!({"amount": "1", "currency": "PLN", "vat": "23"}))],
            Invalid,
        ),
        case(
            "money: sign as object currency",
            inv,
            &[set("invoice.total", json!({"amount": "1", "currency": "zł"}))],
            Invalid,
        ),
        case("money: no amount", inv, &[set("invoice.total", json!({"currency": "PLN"}))], Invalid),
        case("money in a line: malformed", inv, &[set("invoice.lines", line(json!("1.2.3 PLN")))], Invalid),
        case(
            "decimal: comma",
            inv,
            &[set("invoice.lines", json!([{"description": "x", "quantity": "1,5", "amount": "1 PLN"}]))],
            Invalid,
        ),
        case("integer: a fraction", "final-demand/typical.json", &[set("demand.days_overdue", json!(1.5))], Invalid),
        case("integer: words", "final-demand/typical.json", &[set("demand.days_overdue", json!("12 dni"))], Invalid),
        case(
            "integer beyond 2^53",
            "final-demand/typical.json",
            &[set("demand.days_overdue", json!(1i64 << 53))],
            Invalid,
        ),
        case("a field it requires is missing", inv, &[set("customer.address.street", json!("ul. Prosta 1"))], Invalid),
        case("locale not a string", inv, &[set("locale", json!(7))], Invalid),
        case("attachments not a list", inv, &[set("attachments", json!("regulamin.pdf"))], Invalid),
        case("attachment with a folder", inv, &[set("attachments", json!(["../secret.pdf"]))], Invalid),
        case(
            "attachment object: unknown key",
            inv,
            &[set("attachments", json!([{"file": "tabela-oplat.txt", "embedd": true}]))],
            Invalid,
        ),
        case("attachment object: no file", inv, &[set("attachments", json!([{"embed": true}]))], Invalid),
        case(
            "attachment object: file with a folder",
            inv,
            &[set("attachments", json!([{"file": "../secret.xml", "embed": true}]))],
            Invalid,
        ),
        case(
            "attachment object: embed not a boolean",
            inv,
            &[set("attachments", json!([{"file": "tabela-oplat.txt", "embed": "yes"}]))],
            Invalid,
        ),
        case(
            "attachment object: relationship not PDF/A-3's",
            inv,
            &[set("attachments", json!([{"file": "tabela-oplat.txt", "embed": true, "relationship": "alternative"}]))],
            Invalid,
        ),
        case(
            "attachment object: relationship of a file not embedded",
            inv,
            &[set("attachments", json!([{"file": "tabela-oplat.txt", "relationship": "Supplement"}]))],
            Invalid,
        ),
        case(
            "attachment object: a description of two lines",
            inv,
            &[set("attachments", json!([{"file": "tabela-oplat.txt", "embed": true, "description": "a\nb"}]))],
            Invalid,
        ),
    ]
}

/// Records `render` accepts, written in the less usual of the accepted forms.
fn accepted() -> Vec<Case> {
    use Expect::Valid;
    let inv = "invoice/lines.json";
    vec![
        case("money: code first", inv, &[set("invoice.total", json!("PLN 12.50"))], Valid),
        case("money: sign", inv, &[set("invoice.total", json!("12 zł"))], Valid),
        case("money: bare amount in the default currency", inv, &[set("invoice.total", json!("12.50"))], Valid),
        case("money: a number", inv, &[set("invoice.total", json!(12.5))], Valid),
        case(
            "money: object with a number",
            inv,
            &[set("invoice.total", json!({"amount": 12.5, "currency": "EUR"}))],
            Valid,
        ),
        case("money: object without currency", inv, &[set("invoice.total", json!({"amount": " 12.50 "}))], Valid),
        case("money: minus zero", inv, &[set("invoice.total", json!("-0.00 PLN"))], Valid),
        case(
            "money: twenty decimals (a warning)",
            inv,
            &[set("invoice.total", json!("12.12345678901234567890 PLN"))],
            Valid,
        ),
        case(
            "money: negative where declared",
            inv,
            &[set("invoice.lines", json!([{"description": "Rabat", "quantity": 1, "amount": "-10.00 PLN"}]))],
            Valid,
        ),
        case(
            "decimal: number and padded string",
            inv,
            &[set(
                "invoice.lines",
                json!([{"description": "x", "quantity": 1.5, "amount": "1 PLN"}, {"description": "y", "quantity": " 2 ", "amount": "1 PLN"}]),
            )],
            Valid,
        ),
        case("integer as a string", "final-demand/typical.json", &[set("demand.days_overdue", json!(" +12 "))], Valid),
        case(
            "name padded with white space and a final line break",
            inv,
            &[set("customer.name", json!("  Anna Kowalska \n"))],
            Valid,
        ),
        case("email padded", inv, &[set("customer.email", json!(" anna@łódź.pl "))], Valid),
        case(
            "optional fields null",
            inv,
            &[
                set("customer.gender", Json::Null),
                set("invoice.lines", Json::Null),
                set("customer.address", Json::Null),
            ],
            Valid,
        ),
        case("an empty address is no address", inv, &[set("customer.address", json!({}))], Valid),
        case(
            "street with its city",
            inv,
            &[
                set("customer.address.street", json!("ul. Prosta 1")),
                set("customer.address.city", json!("00-001 Warszawa")),
            ],
            Valid,
        ),
        case("street null without a city", inv, &[set("customer.address.street", Json::Null)], Valid),
        case(
            "unknown fields (warnings)",
            inv,
            &[set("extra", json!(1)), set("customer.emial", json!("x")), set("_note", json!({}))],
            Valid,
        ),
        case("markup is literal", inv, &[set("customer.name", json!("*Anna* <b>Kowalska</b> {{ 7*7 }}"))], Valid),
        case(
            "key as a number, locale to negotiate",
            inv,
            &[set("key", json!(42)), set("locale", json!("en-GB"))],
            Valid,
        ),
        case(
            "multiline text",
            "complaint-accepted/typical.json",
            &[set("complaint.note", json!("Pierwszy akapit.\r\n\r\n\tDrugi\u{2028}akapit."))],
            Valid,
        ),
        case("attachments", inv, &[set("attachments", json!(["regulamin.pdf"]))], Valid),
        case(
            "attachments: an embedded file and a plain one",
            inv,
            &[set(
                "attachments",
                json!([
                    {"file": "FA_2026_11_0042.xml", "embed": true, "description": "e-faktura", "relationship": "Data"},
                    {"file": "tabela-oplat.txt"},
                    "regulamin.pdf",
                ]),
            )],
            Valid,
        ),
    ]
}

/// The differences the README lists under "What the schema cannot say".
fn differences() -> Vec<Case> {
    use Expect::{OnlyRenderRejects, OnlySchemaRejects};
    let inv = "invoice/lines.json";
    let mut out = vec![
        case(
            "a decimal number that prints with an exponent",
            inv,
            &[set("invoice.lines", json!([{"description": "x", "quantity": 1e300, "amount": "1 PLN"}]))],
            OnlyRenderRejects,
        ),
        case(
            "an amount beyond 28 digits",
            inv,
            &[set("invoice.total", json!("99999999999999999999999999999999.99 PLN"))],
            OnlyRenderRejects,
        ),
        case(
            "an integer string beyond 2^53",
            "final-demand/typical.json",
            &[set("demand.days_overdue", json!("9007199254740993"))],
            OnlyRenderRejects,
        ),
        case(
            "a whole number written with a fraction",
            "final-demand/typical.json",
            &[set("demand.days_overdue", json!(12.0))],
            OnlyRenderRejects,
        ),
        case("a malformed language tag", inv, &[set("locale", json!("pl PL!"))], OnlyRenderRejects),
        case(
            "decomposed text at the length limit",
            inv,
            &[set("customer.name", json!("e\u{301}".repeat(70)))],
            OnlySchemaRejects,
        ),
        case(
            "padding beyond the length limit",
            inv,
            &[set("customer.name", json!(format!("{}  ", "A".repeat(120))))],
            OnlySchemaRejects,
        ),
        case(
            "RFC 5322 specials before the @ (the email refuses them)",
            inv,
            &[set("customer.email", json!("an(na)@example.pl"))],
            OnlySchemaRejects,
        ),
        case(
            "a bidi mark in an attachment's name (the email refuses it)",
            inv,
            &[set("attachments", json!(["faktura\u{202E}fdp.exe"]))],
            OnlySchemaRejects,
        ),
        case(
            "a file embedded twice",
            inv,
            &[set("attachments", json!([{"file": "a.xml", "embed": true}, {"file": "a.xml", "embed": true}]))],
            OnlyRenderRejects,
        ),
        case("_today not a string (render ignores it)", inv, &[set("_today", json!(20261123))], OnlySchemaRejects),
        case("key neither text nor number (render ignores it)", inv, &[set("key", json!(true))], OnlySchemaRejects),
    ];
    let text = std::fs::read_to_string(bundled_root().join("fixtures/invoice/lines.json")).expect("fixture");
    out.push(Case {
        name: "a key repeated in one object".into(),
        template: "invoice".into(),
        text: text.replacen("\"name\": \"Anna Kowalska\",", "\"name\": \"Anna Kowalska\", \"name\": \"Jan Nowak\",", 1),
        expect: OnlyRenderRejects,
    });
    out
}

/// The fault catalogue's records for `render` (no settings, no files): refused in every format
/// is invalid, written in every format is valid; where only the email refuses, the schema
/// follows the email. A repeated key is a listed difference.
fn from_faults() -> Vec<Case> {
    let mut out = Vec::new();
    for (name, fault) in faults::cases() {
        let Some(render) = &fault.render else { continue };
        if !fault.args.is_empty() {
            continue;
        }
        let expect = match (name.as_str(), render.exit, render.formats.get("eml")) {
            ("json-duplicate-key", 2, _) => Expect::OnlyRenderRejects,
            // A FIFO where a file should be: the record is fine, the folder is not.
            ("attachment-fifo", _, _) => Expect::Valid,
            (_, 0, Some(2)) => Expect::OnlySchemaRejects,
            (_, 0, None) => Expect::Valid,
            (_, 2, None) if render.formats.is_empty() => Expect::Invalid,
            other => panic!("fault {name}: no expectation for {other:?}; add one here"),
        };
        out.push(Case {
            name: format!("fault {name}"),
            template: fault.template.clone(),
            text: faults::record_text(&fault),
            expect,
        });
    }
    out
}

/// Checks each case's `render` side: the real command, rule findings allowed (a record's
/// fault is what is judged here).
fn check_render(project: &Project, case: &Case) -> Result<(), String> {
    let run =
        project.run_with_stdin(&["render", &case.template, "--data", "-", "--allow-violations"], Some(&case.text));
    let render_accepts = matches!(case.expect, Expect::Valid | Expect::OnlySchemaRejects);
    match (run.code, render_accepts) {
        (0, true) | (2, false) => Ok(()),
        (code, _) => {
            Err(format!("{}: render exits {code}, the case says {:?}\n{}", case.name, case.expect, run.stderr))
        }
    }
}

const VALIDATE: &str = r#"
import json, re, sys
from jsonschema import Draft202012Validator, FormatChecker

schemas_dir, cases_path = sys.argv[1], sys.argv[2]

def patterns(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "pattern":
                yield v
            yield from patterns(v)
    elif isinstance(node, list):
        for v in node:
            yield from patterns(v)

validators, out = {}, []
for line in open(cases_path, encoding="utf-8"):
    case = json.loads(line)
    t = case["template"]
    if t not in validators:
        schema = json.load(open(f"{schemas_dir}/{t}.json", encoding="utf-8"))
        Draft202012Validator.check_schema(schema, format_checker=FormatChecker())
        for p in patterns(schema):
            re.compile(p)
        validators[t] = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = list(validators[t].iter_errors(json.loads(case["text"])))
    out.append({
        "name": case["name"],
        "valid": not errors,
        "errors": ["/".join(map(str, e.absolute_path)) + ": " + e.message[:160] for e in errors[:3]],
    })
print(json.dumps({"schemas": sorted(validators), "results": out}))
"#;

#[test]
fn every_schema_is_valid_and_agrees_with_render() {
    let project = Project::bundled();
    let standard = Standard::load(&bundled_root()).expect("the bundled standard loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let ids: Vec<String> = standard.templates().iter().map(|t| t.id.clone()).collect();
    for id in &ids {
        let run = project.run(&["fields", id, "--format", "json-schema"]).expect(0);
        assert!(run.stdout.ends_with("}\n"), "pretty JSON with a newline at the end");
        let schema: Json = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(schema["$id"], format!("/v1/templates/{id}/schema"));
        std::fs::write(dir.path().join(format!("{id}.json")), &run.stdout).expect("write schema");
    }

    let mut cases: Vec<Case> = fixtures()
        .into_iter()
        .map(|(template, path)| Case {
            name: path.clone(),
            template,
            text: std::fs::read_to_string(bundled_root().join(&path)).expect("fixture"),
            expect: Expect::Valid,
        })
        .collect();
    cases.extend(refused());
    cases.extend(accepted());
    cases.extend(differences());
    cases.extend(from_faults());

    let wrong: Vec<String> = cases.iter().filter_map(|c| check_render(&project, c).err()).collect();
    assert!(wrong.is_empty(), "render does not do what the cases say:\n{}", wrong.join("\n"));

    let lines: String = cases
        .iter()
        .map(|c| json!({ "name": c.name, "template": c.template, "text": c.text }).to_string() + "\n")
        .collect();
    let cases_path = dir.path().join("cases.jsonl");
    std::fs::write(&cases_path, lines).expect("write cases");
    let out = Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(dir.path())
        .arg(&cases_path)
        .output()
        .expect("python3 runs (scripts/test.sh installs jsonschema)");
    assert!(out.status.success(), "python3: {}", String::from_utf8_lossy(&out.stderr));
    let report: Json = serde_json::from_slice(&out.stdout).expect("the checker's JSON");
    assert_eq!(report["schemas"].as_array().map(Vec::len), Some(ids.len()), "every template's schema was checked");
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), cases.len());
    let mut disagree = Vec::new();
    for (case, result) in cases.iter().zip(results) {
        let valid = result["valid"] == true;
        let schema_accepts = matches!(case.expect, Expect::Valid | Expect::OnlyRenderRejects);
        if valid != schema_accepts {
            disagree.push(format!("{} ({:?}): schema says valid={valid} {}", case.name, case.expect, result["errors"]));
        }
    }
    assert!(disagree.is_empty(), "the schema disagrees with the cases:\n{}", disagree.join("\n"));
    assert!(cases.len() > 100, "{} cases", cases.len());
}
