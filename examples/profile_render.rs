//! Renders the bundled invoice N times in a loop, for profilers that count instructions
//! (`valgrind --tool=callgrind target/release/examples/profile_render 2000`), where wall-clock
//! benchmarks on a shared machine are too noisy to compare small changes.
//!
//! `profile_render N no-rules` renders from a copy of the standard without rule packs, so the
//! difference between the two counts is what the rules cost. Count instructions for 1 and for
//! N + 1 letters and divide the difference by N to leave loading out.
//!
//! The record is `fixtures/invoice/lines.json`; `profile_render N rules bench` (or
//! `no-rules bench`) renders the bench's own three-line record instead (`benches/render.rs`).

use std::path::Path;

/// The allocator of the binary and the benches, so the counts are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), missive::Error> {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let without_rules = std::env::args().nth(2).is_some_and(|a| a == "no-rules");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bare = tempfile::tempdir().map_err(|e| missive::Error::io(root, e))?;
    let standard = if without_rules {
        for folder in ["templates", "locales", "images", "fonts"] {
            copy_tree(&root.join(folder), &bare.path().join(folder)).map_err(|e| missive::Error::io(root, e))?;
        }
        let config = std::fs::read_to_string(root.join("missive.toml")).map_err(|e| missive::Error::io(root, e))?;
        let config =
            config.replace("packs = [\"courtesy\", \"brand-voice\", \"complaints\", \"billing\"]", "packs = []");
        std::fs::write(bare.path().join("missive.toml"), config).map_err(|e| missive::Error::io(root, e))?;
        missive::Standard::load(bare.path())?
    } else {
        missive::Standard::load(root)?
    };
    let text = if std::env::args().nth(3).is_some_and(|a| a == "bench") {
        BENCH_RECORD.to_string()
    } else {
        std::fs::read_to_string(root.join("fixtures/invoice/lines.json")).map_err(|e| missive::Error::io(root, e))?
    };
    let record: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| missive::Error::new(missive::ErrorKind::Data, e.to_string()))?;
    let request = missive::Request {
        template: "invoice",
        today: Some(jiff::civil::date(2026, 11, 23)),
        origin: "profile",
        ..Default::default()
    };
    let mut bytes = 0;
    let started = std::time::Instant::now();
    for _ in 0..n {
        bytes += standard.render(&request, &record)?.html.len();
    }
    let elapsed = started.elapsed();
    println!("{n} letters, {bytes} bytes of HTML, {:.1} µs per letter", elapsed.as_secs_f64() * 1e6 / n as f64);
    Ok(())
}

/// The record of `benches/render.rs`: three invoice lines, a longer name.
const BENCH_RECORD: &str = r#"{
    "key": "INV-00000042", "locale": "pl-PL",
    "customer": {"name": "Małgorzata Wiśniewska", "gender": "female", "email": "klient42@example.pl"},
    "invoice": {
        "number": "FV/2026/11/0042",
        "total": {"amount": "12345.67", "currency": "PLN"},
        "due": "2026-12-07",
        "lines": [
            {"description": "Abonament internetowy", "quantity": "1", "amount": {"amount": "99.99", "currency": "PLN"}},
            {"description": "Usługa serwisowa", "quantity": "2", "amount": {"amount": "6122.84", "currency": "PLN"}},
            {"description": "Pakiet SMS", "quantity": "12", "amount": {"amount": "0.00", "currency": "PLN"}}
        ]
    }
}"#;

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}
