//! DKIM: every message missive makes with `[email.dkim]` (render's `.eml`, a batch's mbox and
//! `.eml` folder, SMTP through a real server on loopback, the server's send) verified by dkimpy
//! against the test's own public key, RSA-2048 and Ed25519; hostile header values cannot break a
//! signature; a changed message fails; a bad key is a load error naming the setting; a bulk
//! letter's List-Unsubscribe headers are signed.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use crate::batch::{Server, records};
use crate::harness::{Project, bundled_root};

const NOW: &str = "2026-12-01T10:00:00Z";

/// A key made by openssl now, and the public half dkimpy is given in place of DNS.
struct Key {
    kind: &'static str,
    public: std::path::PathBuf,
}

/// The bundled standard signing with a new key of `kind` (`rsa` 2048 bits, or `ed25519`).
fn signing(kind: &'static str) -> (Project, Key) {
    let project = Project::bundled();
    let private = project.path().join("keys/dkim.pem");
    std::fs::create_dir_all(private.parent().expect("keys")).expect("mkdir keys");
    let mut genpkey = Command::new("openssl");
    genpkey.arg("genpkey");
    match kind {
        "rsa" => genpkey.args(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
        _ => genpkey.args(["-algorithm", "ed25519"]),
    };
    let made = genpkey.arg("-out").arg(&private).output().expect("openssl runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let public = project.path().join("keys/dkim.pub");
    let made = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(&private)
        .arg("-out")
        .arg(&public)
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let config = std::fs::read_to_string(project.path().join("missive.toml")).expect("missive.toml");
    project.write(
        "missive.toml",
        &format!(
            "{config}\n[email.dkim]\ndomain = \"example.pl\"\nselector = \"missive\"\nprivate_key = \"keys/dkim.pem\"\n"
        ),
    );
    (project, Key { kind, public })
}

/// dkimpy's verdict on every message in `paths` (files, mboxes, folders of `.eml` files).
fn verify(key: &Key, paths: &[&Path]) -> Vec<Json> {
    let venv = bundled_root().join("target/venv/bin");
    let out = Command::new("python3")
        .env("PATH", format!("{}:{}", venv.display(), std::env::var("PATH").unwrap_or_default()))
        .arg(bundled_root().join("tests/dkim_verify.py"))
        .args(["--type", key.kind, "--public"])
        .arg(&key.public)
        .args(paths)
        .output()
        .expect("python3 runs (scripts/test.sh installs dkimpy)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

/// Asserts dkimpy verified each of `results` (and that there are `n`), signed by the key's
/// algorithm with From oversigned.
#[track_caller]
fn all_verified(key: &Key, results: &[Json], n: usize) {
    assert_eq!(results.len(), n, "{results:#?}");
    let algorithm = if key.kind == "rsa" { "rsa-sha256" } else { "ed25519-sha256" };
    for r in results {
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["algorithm"], algorithm, "{r}");
        let signed: Vec<&str> = r["signed"].as_array().expect("h=").iter().filter_map(Json::as_str).collect();
        assert_eq!(signed.iter().filter(|h| **h == "from").count(), 2, "From is oversigned: {r}");
        for header in ["to", "subject", "date", "message-id", "mime-version", "content-type"] {
            assert!(signed.contains(&header), "{header} is signed: {r}");
        }
    }
}

fn render_eml(project: &Project, fixture: &str, out: &str) {
    project.run(&["render", "final-demand", "--data", fixture, "--format", "eml", "--now", NOW, "-o", out]).expect(0);
}

#[test]
fn rendered_letters_verify_with_rsa_and_ed25519_and_sign_to_the_same_bytes_twice() {
    for kind in ["rsa", "ed25519"] {
        let (project, key) = signing(kind);
        let mut files = Vec::new();
        for case in ["typical", "company", "long-name"] {
            let out = format!("{case}.eml");
            render_eml(&project, &format!("fixtures/final-demand/{case}.json"), &out);
            files.push(project.path().join(out));
        }
        let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
        all_verified(&key, &verify(&key, &paths), 3);
        let first = std::fs::read(&files[0]).expect("eml");
        assert!(first.starts_with(b"DKIM-Signature: v=1; a="), "{}", String::from_utf8_lossy(&first[..80]));
        let text = String::from_utf8_lossy(&first);
        assert!(text.contains("t=1796119200;"), "t= is the Date's moment ({NOW}): {text}");
        render_eml(&project, "fixtures/final-demand/typical.json", "again.eml");
        assert_eq!(std::fs::read(project.path().join("again.eml")).expect("eml"), first, "{kind}: deterministic");
    }
}

#[test]
fn letters_with_attachments_and_their_own_pdf_verify() {
    let (project, key) = signing("ed25519");
    let mut record: Json = serde_json::from_str(
        &std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture"),
    )
    .expect("JSON");
    record["attachments"] = serde_json::json!(["tabela-oplat.txt"]);
    project.write("attached.json", &record.to_string());
    project
        .run(&["render", "invoice", "--data", "attached.json", "--format", "eml", "--now", NOW, "-o", "a.eml"])
        .expect(0);
    project.edit("templates/final-demand.tera", "[fields]\n", "attach_pdf = true\n\n[fields]\n");
    render_eml(&project, "fixtures/final-demand/typical.json", "pdf.eml");
    let (a, pdf) = (project.path().join("a.eml"), project.path().join("pdf.eml"));
    let text = std::fs::read_to_string(&pdf).expect("eml");
    assert!(text.contains("multipart/mixed") && text.contains("application/pdf"), "the PDF is attached");
    all_verified(&key, &verify(&key, &[&a, &pdf]), 2);
}

#[test]
fn a_changed_message_fails_verification() {
    let (project, key) = signing("ed25519");
    render_eml(&project, "fixtures/final-demand/typical.json", "letter.eml");
    let text = std::fs::read_to_string(project.path().join("letter.eml")).expect("eml");
    let body_at = text.find("\r\n\r\n").expect("a body");
    let changed_body = format!("{}{}", &text[..body_at + 4], text[body_at + 4..].replacen("PL", "DE", 1));
    assert_ne!(changed_body, text);
    let subject = text.lines().find(|l| l.starts_with("Subject: ")).expect("a Subject");
    let changed_subject = text.replacen(subject, "Subject: Zapłać natychmiast", 1);
    let second_from = text.replacen("\r\nFrom: ", "\r\nFrom: \"Bank\" <oszust@example.com>\r\nFrom: ", 1);
    let dropped_to = {
        let to = text.lines().find(|l| l.starts_with("To: ")).expect("a To");
        text.replacen(&format!("{to}\r\n"), "", 1)
    };
    for (name, changed) in
        [("body", &changed_body), ("subject", &changed_subject), ("from", &second_from), ("to", &dropped_to)]
    {
        project.write(&format!("{name}.eml"), changed);
    }
    let names = ["letter", "body", "subject", "from", "to"];
    let files: Vec<std::path::PathBuf> = names.iter().map(|n| project.path().join(format!("{n}.eml"))).collect();
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let results = verify(&key, &paths);
    assert_eq!(results[0]["ok"], true, "the untouched letter verifies: {}", results[0]);
    for (name, r) in names.iter().zip(&results).skip(1) {
        assert_eq!(r["ok"], false, "a changed {name} must fail: {r}");
    }
    assert!(results[1]["error"].as_str().is_some_and(|e| e.contains("body hash mismatch")), "{}", results[1]);
}

#[test]
fn a_batchs_mbox_and_eml_folder_verify_every_letter() {
    for kind in ["rsa", "ed25519"] {
        let (project, key) = signing(kind);
        let (text, _) = records(12, &[]);
        project.write("records.jsonl", &text);
        let base = ["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--now", NOW];
        project.run(&[&base[..], &["--mbox", "out.mbox"]].concat()).expect(0);
        project.run(&[&base[..], &["--out-dir", "letters"]].concat()).expect(0);
        let mbox = project.path().join("out.mbox");
        all_verified(&key, &verify(&key, &[&mbox]), 12);
        all_verified(&key, &verify(&key, &[&project.path().join("letters")]), 12);
    }
}

#[test]
fn letters_sent_through_a_real_smtp_server_arrive_verified() {
    for kind in ["rsa", "ed25519"] {
        let server = Server::start(&[]);
        let (project, key) = signing(kind);
        let (text, _) = records(6, &[]);
        project.write("records.jsonl", &text);
        let url = server.url();
        project
            .run(&["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--smtp", &url])
            .expect(0);
        // The bundled final demand, as the "done when" asks.
        let demand: Json = serde_json::from_str(
            &std::fs::read_to_string(project.path().join("fixtures/final-demand/typical.json")).expect("fixture"),
        )
        .expect("JSON");
        project.write("demand.jsonl", &format!("{demand}\n"));
        project.run(&["batch", "final-demand", "--data", "demand.jsonl", "--smtp", &url]).expect(0);
        all_verified(&key, &verify(&key, &[&server.mail_dir()]), 7);
    }
}

#[test]
fn the_servers_send_is_signed_and_verifies_after_smtp() {
    let smtp = Server::start(&[]);
    let (project, key) = signing("ed25519");
    let config = std::fs::read_to_string(project.path().join("missive.toml")).expect("missive.toml");
    project.write("missive.toml", &format!("{config}\n[serve]\nsmtp = \"{}\"\n", smtp.url()));
    let server = crate::serve::Server::start(&project, &[]);
    let record = std::fs::read_to_string(project.path().join("fixtures/final-demand/typical.json")).expect("fixture");
    let sent = crate::serve::post(
        &server,
        "/v1/letters/final-demand/send",
        &[("idempotency-key", "dkim-1")],
        record.as_bytes(),
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    all_verified(&key, &verify(&key, &[&smtp.mail_dir()]), 1);
}

#[test]
fn hostile_header_values_cannot_break_the_signature() {
    let (project, key) = signing("rsa");
    project.edit("missive.toml", "[sender]\n", "[sender]\nreply_to = \"odpowiedzi@example.pl\"\n");
    let long = "Żaneta Łąka-Źdźbło; Przedsiębiorstwo Handlowe „Łąka” Sp. z o.o. = oddział w Żyrardowie ".repeat(3);
    let names = [
        long.chars().take(118).collect::<String>().trim().to_string(),
        "O'Brien (Biuro) <Sp. z o.o.>; a=b; c@d".to_string(),
        "\"Ania\" = Nowak; b=; bh=; h=from".to_string(),
        "Ёжик 🎉 \\backslash\\".to_string(),
        "J.Kowalski".to_string(),
    ];
    let mut records = String::new();
    for (i, name) in names.iter().enumerate() {
        let record = serde_json::json!({
            "key": format!("H-{i}"), "locale": "pl-PL",
            "customer": {"name": name, "gender": "female", "email": format!("h{i}@example.pl")},
            "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01",
                "lines": [{"description": "Abonament; a=b", "quantity": "1", "amount": "10.00 PLN"}]}
        });
        records.push_str(&format!("{record}\n"));
    }
    project.write("records.jsonl", &records);
    project
        .run(&["batch", "invoice", "--data", "records.jsonl", "--today", "2026-11-23", "--out-dir", "letters"])
        .expect(0);
    let results = verify(&key, &[&project.path().join("letters")]);
    all_verified(&key, &results, names.len());
    for r in &results {
        let signed = r["signed"].to_string();
        assert!(signed.matches("\"reply-to\"").count() == 2, "Reply-To is signed and oversigned: {r}");
    }
    // A line break in a name is refused before any message is made, signed or not.
    project.write(
        "crlf.json",
        &serde_json::json!({
            "customer": {"name": "Anna\r\nBcc: x@example.com", "gender": "female", "email": "a@example.pl"},
            "invoice": {"number": "FV/2026/11/0001", "total": "10.00 PLN", "due": "2026-12-01",
                "lines": [{"description": "A", "quantity": "1", "amount": "10.00 PLN"}]}
        })
        .to_string(),
    );
    let run = project.run(&["render", "invoice", "--data", "crlf.json", "--format", "eml", "-o", "crlf.eml"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(!project.path().join("crlf.eml").exists());
}

#[test]
fn a_bulk_letters_list_unsubscribe_headers_are_signed() {
    let (project, key) = signing("ed25519");
    project.edit(
        "templates/final-demand.tera",
        "[fields]\n",
        "[unsubscribe]\nurl = \"https://bank.example.pl/wypisz?c={customer.email}&k={key}\"\nmailto = \"wypisz@example.pl\"\n\n[fields]\n",
    );
    render_eml(&project, "fixtures/final-demand/typical.json", "bulk.eml");
    let text = std::fs::read_to_string(project.path().join("bulk.eml")).expect("eml");
    assert!(
        text.contains("\r\nList-Unsubscribe: <https://bank.example.pl/wypisz?c=piotr.nowak%40example.pl&k=DEM-00000012>, <mailto:wypisz@example.pl>\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "{text}");
    let results = verify(&key, &[&project.path().join("bulk.eml")]);
    all_verified(&key, &results, 1);
    let signed = results[0]["signed"].to_string();
    assert!(signed.contains("\"list-unsubscribe\"") && signed.contains("\"list-unsubscribe-post\""), "{signed}");
    // A transactional letter has neither.
    project
        .run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "eml", "-o", "tx.eml"])
        .expect(0);
    let tx = std::fs::read_to_string(project.path().join("tx.eml")).expect("eml");
    assert!(!tx.contains("List-Unsubscribe"), "{tx}");

    let run = project.run(&["check", "--format", "json"]);
    assert!(!run.stdout.contains("email.unsubscribe-unsigned"), "signed: no warning: {}", run.stdout);
    let signed = std::fs::read_to_string(project.path().join("missive.toml")).expect("missive.toml");
    let at = signed.find("\n[email.dkim]\n").expect("the DKIM block");
    project.write("missive.toml", &signed[..at]);
    let run = project.run(&["check", "--format", "json"]);
    let report: Json = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(
        report.to_string().contains("email.unsubscribe-unsigned") && report.to_string().contains("final-demand"),
        "unsigned one-click unsubscribing is a warning: {report}"
    );
    project.write("missive.toml", &signed);
    project.edit("templates/final-demand.tera", "url = \"https://", "url = \"http://");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("templates/final-demand.tera") && run.stderr.contains("https://"), "{}", run.stderr);
}

#[test]
fn a_missing_unreadable_or_weak_key_is_a_load_error_naming_the_setting() {
    let (project, _) = signing("rsa");
    std::fs::remove_file(project.path().join("keys/dkim.pem")).expect("rm");
    let run =
        project.run(&["render", "invoice", "--data", "fixtures/invoice/lines.json", "--format", "text"]).expect(2);
    assert!(run.stderr.contains("`[email.dkim] private_key`") && run.stderr.contains("dkim.pem"), "{}", run.stderr);

    let weak = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out"])
        .arg(project.path().join("keys/dkim.pem"))
        .output()
        .expect("openssl");
    assert!(weak.status.success());
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("`[email.dkim] private_key`") && run.stderr.contains("2048"), "{}", run.stderr);

    project.write("keys/dkim.pem", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    let run = project.run(&["check"]).expect(2);
    assert!(run.stderr.contains("neither an RSA nor an Ed25519 key"), "{}", run.stderr);

    project.edit("missive.toml", "\nprivate_key = \"keys/dkim.pem\"", "\nprivate_key_env = \"MISSIVE_TEST_DKIM_KEY\"");
    let run = project.run(&["check"]).expect(2);
    assert!(
        run.stderr.contains("`[email.dkim] private_key_env`") && run.stderr.contains("MISSIVE_TEST_DKIM_KEY"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_key_can_come_from_an_environment_variable() {
    let (project, key) = signing("ed25519");
    let pem = std::fs::read_to_string(project.path().join("keys/dkim.pem")).expect("pem");
    std::fs::remove_file(project.path().join("keys/dkim.pem")).expect("rm");
    project.edit("missive.toml", "\nprivate_key = \"keys/dkim.pem\"", "\nprivate_key_env = \"MISSIVE_TEST_DKIM_KEY\"");
    let args = ["render", "final-demand", "--data", "fixtures/final-demand/typical.json", "--format", "eml"];
    project
        .run_with_env(&[&args[..], &["--now", NOW, "-o", "env.eml"]].concat(), &[("MISSIVE_TEST_DKIM_KEY", &pem)])
        .expect(0);
    all_verified(&key, &verify(&key, &[&project.path().join("env.eml")]), 1);
}
