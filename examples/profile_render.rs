//! Renders the bundled invoice N times in a loop, for profilers that count instructions
//! (`valgrind --tool=callgrind target/release/examples/profile_render 2000`), where wall-clock
//! benchmarks on a shared machine are too noisy to compare small changes.

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
    let mut bytes = 0;
    let started = std::time::Instant::now();
    for _ in 0..n {
        bytes += standard.render(&request, &record)?.html.len();
    }
    let elapsed = started.elapsed();
    println!("{n} letters, {bytes} bytes of HTML, {:.1} µs per letter", elapsed.as_secs_f64() * 1e6 / n as f64);
    Ok(())
}
