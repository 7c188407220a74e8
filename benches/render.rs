//! Rendering speed: the bundled invoice (text + HTML) from a loaded standard, and loading itself.
//!
//! Run with `cargo bench --bench render`; the targets are ≥ 50,000 letters/s on one core
//! and < 20 ms to load the bundled standard.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missive::{Request, Standard};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A record in the shape `../shared/peers/gen_records.py` writes: three invoice lines.
fn record() -> serde_json::Map<String, serde_json::Value> {
    let v = serde_json::json!({
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
    });
    v.as_object().cloned().unwrap_or_default()
}

fn benches(c: &mut Criterion) {
    let standard = Standard::load(root()).expect("the bundled standard loads");
    let record = record();
    let today = jiff::civil::date(2026, 11, 23);
    let mut group = c.benchmark_group("invoice");
    group.throughput(Throughput::Elements(1));
    for locale in ["pl", "en"] {
        let request = Request { template: "invoice", locale: Some(locale), today: Some(today), origin: "bench" };
        group.bench_function(format!("render_text_and_html_{locale}"), |b| {
            b.iter(|| standard.render(black_box(&request), black_box(&record)).expect("renders"))
        });
    }
    group.finish();
    c.bench_function("load_bundled_standard", |b| b.iter(|| Standard::load(black_box(root())).expect("loads")));
}

criterion_group!(render, benches);
criterion_main!(render);
