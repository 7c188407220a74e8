//! Builds the bundled invoice's email N times from one rendered letter, for profilers that count
//! instructions (`valgrind --tool=callgrind target/release/examples/profile_email 2000`). Count
//! for 1 and for N + 1 messages and divide the difference by N to leave loading and rendering out.
//!
//! `profile_email N out.eml` also writes the last message, to look at.

use std::path::Path;

fn main() -> Result<(), missive::Error> {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let standard = missive::Standard::load(root)?;
    let text =
        std::fs::read_to_string(root.join("fixtures/invoice/lines.json")).map_err(|e| missive::Error::io(root, e))?;
    let record: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| missive::Error::new(missive::ErrorKind::Data, e.to_string()))?;
    let request = missive::Request {
        template: "invoice",
        today: Some(jiff::civil::date(2026, 11, 23)),
        origin: "profile",
        ..Default::default()
    };
    let letter = standard.render(&request, &record)?;
    let envelope = missive::emit::email::Envelope { batch: Some("profile"), ..Default::default() };
    let outputs = missive::emit::Outputs::new(&standard);
    let mut bytes = Vec::new();
    let started = std::time::Instant::now();
    for _ in 0..n {
        bytes = missive::emit::email::message(&outputs, &letter, &envelope)?;
    }
    let elapsed = started.elapsed();
    println!("{n} messages, {} bytes each, {:.1} µs per message", bytes.len(), elapsed.as_secs_f64() * 1e6 / n as f64);
    if let Some(out) = std::env::args().nth(2) {
        std::fs::write(&out, &bytes).map_err(|e| missive::Error::io(Path::new(&out), e))?;
    }
    Ok(())
}
