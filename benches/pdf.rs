//! PDF letters: a one-page invoice letter (the bundled invoice with three lines and a postal
//! address) from an already rendered `Letter` to PDF bytes, and a 500-line invoice.
//!
//! Run with `cargo bench --bench pdf`; `examples/profile_pdf.rs` is the loop to count
//! instructions with.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missive::{Request, Standard};

/// The allocator the `missive` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The invoice record of `benches/render.rs`, with a postal address for the window.
fn record(lines: usize) -> serde_json::Map<String, serde_json::Value> {
    let items: Vec<serde_json::Value> = (0..lines)
        .map(|i| {
            serde_json::json!({"description": format!("Usługa serwisowa nr {i}"), "quantity": "1",
                               "amount": {"amount": "12.50", "currency": "PLN"}})
        })
        .collect();
    let v = serde_json::json!({
        "key": "INV-00000042", "locale": "pl-PL",
        "customer": {"name": "Małgorzata Wiśniewska", "gender": "female", "email": "klient42@example.pl",
                     "address": {"street": "ul. Długa 5 m. 12", "city": "00-950 Łódź"}},
        "invoice": {
            "number": "FV/2026/11/0042",
            "total": {"amount": "12345.67", "currency": "PLN"},
            "due": "2026-12-07",
            "lines": items
        }
    });
    v.as_object().cloned().unwrap_or_default()
}

fn benches(c: &mut Criterion) {
    let standard = Standard::load(root()).expect("the bundled standard loads");
    let today = jiff::civil::date(2026, 11, 23);
    let request =
        Request { template: "invoice", locale: Some("pl"), today: Some(today), origin: "bench", ..Default::default() };
    let outputs = missive::emit::Outputs::new(&standard);
    let mut group = c.benchmark_group("pdf");
    group.throughput(Throughput::Elements(1));
    for (name, lines) in [("one_page_invoice_letter", 3), ("invoice_500_lines", 500)] {
        let letter = standard.render(&request, &record(lines)).expect("renders");
        let bytes = missive::emit::pdf::letter(&outputs, &letter).expect("pdf");
        eprintln!("{name}: {} bytes", bytes.len());
        group.bench_function(name, |b| {
            b.iter(|| missive::emit::pdf::letter(black_box(&outputs), black_box(&letter)).expect("pdf"))
        });
    }
    group.finish();
}

criterion_group!(pdf, benches);
criterion_main!(pdf);
