//! Spreadsheet input: workbooks written at run time by real writers (openpyxl for `.xlsx`, odfpy
//! for `.ods`, through `tests/make_workbook.py`) fed to `missive batch`, the letters read back
//! with Python's strict email parser.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{Project, bundled_root};

/// A fixed clock, so that two runs' letters can be compared byte for byte.
const NOW: &str = "2026-11-23T09:00:00+01:00";

/// Writes `name` in the project with `tests/make_workbook.py` and its `args`.
fn workbook(project: &Project, name: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg(bundled_root().join("tests/make_workbook.py"))
        .arg(name)
        .args(args)
        .current_dir(project.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "make_workbook.py failed (scripts/test.sh installs openpyxl and odfpy): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn summary(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("summary")).expect("summary JSON")
}

fn rejects(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("rejects report");
    text.lines().map(|l| serde_json::from_str(l).expect("reject JSON")).collect()
}

/// Each `.eml` of a folder: (file stem, the text/plain part), decoded by Python.
fn letters(dir: &Path) -> Vec<(String, String)> {
    let script = "import sys, json, email, email.policy, glob, os\n\
        out = []\n\
        for f in sorted(glob.glob(sys.argv[1] + '/*.eml')):\n    \
            m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.strict)\n    \
            out.append([os.path.basename(f)[:-4], m.get_body(('plain',)).get_content()])\n\
        print(json.dumps(out))";
    let out = Command::new("python3").args(["-c", script]).arg(dir).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("letters JSON")
}

fn batch(project: &Project, data: &str, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec!["batch", "invoice", "--data", data, "--now", NOW];
    args.extend_from_slice(extra);
    project.run(&args)
}

#[test]
fn an_xlsx_from_openpyxl_is_read_with_its_types_and_polish_text() {
    let project = Project::bundled();
    workbook(&project, "faktury.xlsx", &[]);
    batch(&project, "faktury.xlsx", &["--out-dir", "letters", "--summary", "s.json"]).expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["read"].as_u64(), s["done"].as_u64(), s["rejected"].as_u64()), (Some(5), Some(3), Some(2)), "{s}");

    let letters = letters(&project.path().join("letters"));
    let keys: Vec<&str> = letters.iter().map(|(k, _)| k.as_str()).collect();
    // The key cell holds the number 1001: its digits, not `1001.0`.
    assert_eq!(keys, ["1001", "K2", "K5"]);
    // Line breaks as spaces: what is looked for must not depend on where the text wraps.
    let flat = |text: &str| text.replace('\n', " ");
    let polish = flat(&letters[0].1);
    for text in [
        "Żaneta Gęś ul. Piotrkowska 1 90-001 Łódź",
        "Warszawa, 23 listopada 2026 r.",            // `_today`: a date cell
        "na kwotę 1234,50\u{a0}zł",                  // a number cell in a money column, the standard's currency
        "Termin płatności upływa 7 grudnia 2026 r.", // a date cell
        "Szanowna Pani,",
    ] {
        assert!(polish.contains(text), "{text:?} not in\n{polish}");
    }
    let english = flat(&letters[1].1);
    for text in [
        "Warszawa, 23 November 2026",
        "for PLN\u{a0}99.99.",               // a text cell with its currency
        "Payment is due on 8 December 2026", // a date-time cell: its date
        "Dear Jan Nowak,",                   // the empty gender cell: the field's default
        "jan@example.pl",                    // no address cells: the window shows the e-mail
    ] {
        assert!(english.contains(text), "{text:?} not in\n{english}");
    }
    assert!(letters[2].1.contains("Zenon Źdźbło"), "{}", letters[2].1);

    let rejects = rejects(&project.path().join("letters.rejects.jsonl"));
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    // A bad value: the contract's check and message, the spreadsheet's row as `line`.
    assert_eq!((&rejects[0]["key"], &rejects[0]["line"]), (&"K3".into(), &4.into()), "{}", rejects[0]);
    assert_eq!(rejects[0]["errors"][0]["field"], "customer.email", "{}", rejects[0]);
    assert!(rejects[0]["errors"][0]["message"].as_str().is_some_and(|m| m.contains("is not an e-mail address")));
    assert_eq!(rejects[0]["record"]["invoice"]["total"], "10", "a whole number without `.0`");
    // An error cell: the file, sheet, row, column and what was expected.
    assert_eq!(rejects[1]["line"], 5, "{}", rejects[1]);
    let message = rejects[1]["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("faktury.xlsx, sheet `Faktury`, row 5, column H (`invoice.total`)")
            && message.contains("#DIV/0!")
            && message.contains("where a value was expected"),
        "{message}"
    );
}

#[test]
fn shared_strings_as_excel_writes_them_read_the_same() {
    let project = Project::bundled();
    workbook(&project, "inline.xlsx", &[]);
    workbook(&project, "shared.xlsx", &["--shared-strings"]);
    for (data, out) in [("inline.xlsx", "a"), ("shared.xlsx", "b")] {
        batch(&project, data, &["--out-dir", out, "--batch", "november"]).expect(1);
    }
    for key in ["1001", "K2", "K5"] {
        let a = std::fs::read(project.path().join(format!("a/{key}.eml"))).expect("letter");
        let b = std::fs::read(project.path().join(format!("b/{key}.eml"))).expect("letter");
        assert_eq!(a, b, "{key}");
    }
}

#[test]
fn an_ods_from_odfpy_gives_the_letters_the_xlsx_gives() {
    let project = Project::bundled();
    workbook(&project, "faktury.xlsx", &[]);
    workbook(&project, "faktury.ods", &[]);
    batch(&project, "faktury.xlsx", &["--out-dir", "xlsx", "--batch", "november"]).expect(1);
    batch(&project, "faktury.ods", &["--out-dir", "ods", "--batch", "november", "--summary", "s.json"]).expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["done"].as_u64(), s["rejected"].as_u64()), (Some(3), Some(2)), "{s}");
    for key in ["1001", "K2", "K5"] {
        let a = std::fs::read(project.path().join(format!("xlsx/{key}.eml"))).expect("xlsx letter");
        let b = std::fs::read(project.path().join(format!("ods/{key}.eml"))).expect("ods letter");
        assert_eq!(a, b, "{key}: the same cells give the same letter whatever the workbook's format");
    }
    // odfpy writes no error cells: that total is the text `#DIV/0!`, the contract's reject.
    let rejects = rejects(&project.path().join("ods.rejects.jsonl"));
    assert_eq!(rejects[1]["errors"][0]["field"], "invoice.total", "{}", rejects[1]);
}

#[test]
fn the_sheet_flag_picks_a_sheet_and_a_missing_one_is_named_with_the_sheets_there_are() {
    let project = Project::bundled();
    workbook(&project, "faktury.xlsx", &[]);
    batch(&project, "faktury.xlsx", &["--sheet", "Inne", "--out-dir", "inne"]).expect(0);
    let keys: Vec<String> = letters(&project.path().join("inne")).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["K9"]);
    let run = batch(&project, "faktury.xlsx", &["--sheet", "Zamówienia", "--out-dir", "x"]).expect(2);
    assert!(run.stderr.contains("there is no sheet `Zamówienia`; its sheets are `Faktury`, `Inne`"), "{}", run.stderr);
    let run = batch(&project, "faktury.xlsx", &["--sheet", "inne", "--out-dir", "x"]).expect(2);
    assert!(run.stderr.contains("pass --sheet 'Inne'"), "{}", run.stderr);
    assert!(!project.path().join("x").exists(), "nothing is made before the input is known good");
    let run = batch(&project, "fixtures/invoice/lines.json", &["--sheet", "Faktury", "--dry-run"]).expect(2);
    assert!(run.stderr.contains("is not a spreadsheet"), "{}", run.stderr);
}

#[test]
fn a_broken_workbook_stops_the_run_and_a_misnamed_one_is_read_by_its_bytes() {
    let project = Project::bundled();
    workbook(&project, "faktury.xlsx", &[]);
    let bytes = std::fs::read(project.path().join("faktury.xlsx")).expect("workbook");
    std::fs::write(project.path().join("cut.xlsx"), &bytes[..bytes.len() / 2]).expect("write");
    let run = batch(&project, "cut.xlsx", &["--out-dir", "cut"]).expect(2);
    assert!(run.stderr.contains("cut.xlsx: cannot be read as an Excel workbook (.xlsx)"), "{}", run.stderr);
    project.write("text.xlsx", "key,customer.name\nK1,Anna\n");
    let run = batch(&project, "text.xlsx", &["--out-dir", "text"]).expect(2);
    assert!(run.stderr.contains("text.xlsx is named as an Excel workbook (.xlsx) but is not one"), "{}", run.stderr);
    // A workbook saved as `.csv` is a workbook: its first bytes say so.
    std::fs::write(project.path().join("export.csv"), &bytes).expect("write");
    batch(&project, "export.csv", &["--out-dir", "misnamed", "--summary", "s.json"]).expect(1);
    assert_eq!(summary(&project.path().join("s.json"))["done"], 3);
}

#[test]
fn a_workbook_run_killed_midway_resumes_by_key_even_on_a_reordered_export() {
    let project = Project::bundled();
    workbook(&project, "faktury.xlsx", &[]);
    let status = Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["batch", "invoice", "--data", "faktury.xlsx", "--mbox", "out.mbox", "--commit-every", "1"])
        .args(["--now", NOW])
        .current_dir(project.path())
        .env("MISSIVE_BATCH_CRASH", "after-commit:2")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run missive");
    assert!(status.code().is_none(), "killed after two letters: {status:?}");
    let resume = ["--mbox", "out.mbox", "--resume", "--summary", "s.json"];
    batch(&project, "faktury.xlsx", &resume).expect(1);
    let s = summary(&project.path().join("s.json"));
    assert_eq!((s["skipped"].as_u64(), s["done"].as_u64()), (Some(2), Some(1)), "{s}");
    assert_eq!(s["input_changed"], false, "the same workbook: {s}");
    // The export is regenerated with its rows the other way round: nothing is sent again.
    workbook(&project, "faktury.xlsx", &["--reversed"]);
    batch(&project, "faktury.xlsx", &resume).expect(1);
    let s = summary(&project.path().join("s.json"));
    // Skipped: the three letters and the record rejected before, unchanged.
    assert_eq!(
        (s["skipped"].as_u64(), s["done"].as_u64(), s["rejected_before"].as_u64()),
        (Some(4), Some(0), Some(1)),
        "{s}"
    );
    assert_eq!(s["input_changed"], true, "{s}");
    let mbox = std::fs::read_to_string(project.path().join("out.mbox")).expect("mbox");
    // Message-IDs are `<hash.KEY@domain>`.
    let mut keys: Vec<&str> = mbox
        .lines()
        .filter_map(|l| l.strip_prefix("Message-ID: <"))
        .filter_map(|id| id.split_once('.').and_then(|(_, rest)| rest.split_once('@')).map(|(key, _)| key))
        .collect();
    keys.sort();
    assert_eq!(keys, ["1001", "K2", "K5"], "every letter once");
}
