//! The loop to count instructions with: `valgrind --tool=callgrind
//! target/release/examples/profile_pdf 200` lays out and writes the bundled one-page invoice
//! letter (three lines, postal address) N times and prints the size of one PDF;
//! `profile_pdf N TEMPLATE LOCALE` writes the template's `typical` fixture instead (the English
//! `complaint-rejected` sets its emphasis in the italic face).

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let standard = missive::Standard::load(Path::new(env!("CARGO_MANIFEST_DIR")))?;
    let record = serde_json::json!({
        "key": "INV-00000042", "locale": "pl-PL",
        "customer": {"name": "Małgorzata Wiśniewska", "gender": "female", "email": "klient42@example.pl",
                     "address": {"street": "ul. Długa 5 m. 12", "city": "00-950 Łódź"}},
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
    });
    let template = std::env::args().nth(2);
    let locale = std::env::args().nth(3);
    let record = match &template {
        Some(t) => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/{t}/typical.json"));
            serde_json::from_str(&std::fs::read_to_string(path)?)?
        }
        None => record,
    };
    let record = record.as_object().cloned().unwrap_or_default();
    let request = missive::Request {
        template: template.as_deref().unwrap_or("invoice"),
        locale: Some(locale.as_deref().unwrap_or("pl")),
        today: Some(jiff::civil::date(2026, 11, 23)),
        origin: "profile",
        ..Default::default()
    };
    let letter = standard.render(&request, &record)?;
    let outputs = missive::emit::Outputs::new(&standard);
    let mut size = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        size = missive::emit::pdf::letter(&outputs, std::hint::black_box(&letter))?.len();
    }
    let elapsed = start.elapsed();
    println!("{n} letters, {size} bytes each, {:.3} ms per letter", elapsed.as_secs_f64() * 1000.0 / n as f64);
    Ok(())
}
