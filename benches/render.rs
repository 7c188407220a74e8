//! Rendering speed: the bundled invoice (text + HTML, rules checked) from a loaded standard, the
//! same without rule packs (the rules' cost), `missive check` over every fixture, and loading.
//!
//! Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missive::{Request, Standard};

mod common;
use common::billing_run;

/// The allocator the `missive` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        let request = Request {
            template: "invoice",
            locale: Some(locale),
            today: Some(today),
            origin: "bench",
            ..Default::default()
        };
        group.bench_function(format!("render_text_and_html_{locale}"), |b| {
            b.iter(|| standard.render(black_box(&request), black_box(&record)).expect("renders"))
        });
    }
    // The same letter from a copy of the standard with no rule packs in force: the difference
    // is what checking every letter against the rules costs.
    let bare = tempfile::tempdir().expect("temp dir");
    for folder in ["templates", "locales", "images", "fonts"] {
        copy_tree(&root().join(folder), &bare.path().join(folder));
    }
    let config = std::fs::read_to_string(root().join("missive.toml")).expect("missive.toml");
    let config = config.replace("packs = [\"courtesy\", \"brand-voice\", \"complaints\", \"billing\"]", "packs = []");
    std::fs::write(bare.path().join("missive.toml"), config).expect("write missive.toml");
    let without_rules = Standard::load(bare.path()).expect("the copy loads");
    assert!(without_rules.rules().rules().is_empty());
    let request =
        Request { template: "invoice", locale: Some("pl"), today: Some(today), origin: "bench", ..Default::default() };
    group.bench_function("render_text_and_html_pl_without_rules", |b| {
        b.iter(|| without_rules.render(black_box(&request), black_box(&record)).expect("renders"))
    });
    // A billing run's letters, each record different: the figure that says what the rules
    // cost in a run (the fixed record above meets every memo on every letter).
    let run = billing_run(1000);
    for (name, standard) in [("billing_run_pl", &standard), ("billing_run_pl_without_rules", &without_rules)] {
        let mut at = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                at = (at + 1) % run.len();
                standard.render(black_box(&request), black_box(&run[at])).expect("renders")
            })
        });
    }
    group.finish();
    rules_share(&standard, &without_rules, &request, &run);
    let letter = standard.render(&request, &record).expect("renders");
    c.bench_function("email_message_from_letter", |b| {
        let envelope = missive::emit::email::Envelope::default();
        let outputs = missive::emit::Outputs::new(&standard);
        b.iter(|| missive::emit::email::message(black_box(&outputs), black_box(&letter), &envelope).expect("builds"))
    });
    // A one-page PDF of the invoice's text (layout comes with the PDF issue; this measures fonts,
    // subsetting, compression and the document itself).
    let pdf = missive::emit::pdf::PdfWriter::bundled().expect("bundled fonts load");
    let lines: Vec<&str> = letter.text.lines().collect();
    let mut runs = vec![missive::emit::pdf::TextRun::new(25.0, 50.0, 12.0, true, &letter.subject)];
    for (i, line) in lines.iter().enumerate() {
        runs.push(missive::emit::pdf::TextRun::new(25.0, 62.0 + 5.0 * i as f32, 10.0, false, line));
    }
    let pages = [missive::emit::pdf::Page { runs }];
    let meta = missive::emit::pdf::Metadata {
        title: &letter.subject,
        author: "Example Bank S.A.",
        subject: "invoice",
        lang: "pl-PL",
        created: today,
    };
    c.bench_function("pdf_one_page_invoice", |b| b.iter(|| pdf.write(black_box(&pages), &meta).expect("writes")));
    c.bench_function("check_bundled_standard", |b| {
        let options = missive::check::Options { templates: Vec::new(), today };
        b.iter(|| missive::check::run(black_box(&standard), &options).expect("checks"))
    });
    c.bench_function("load_bundled_standard", |b| b.iter(|| Standard::load(black_box(root())).expect("loads")));
}

/// The rules' share of a billing run's render time, measured with the two standards taking
/// turns (20 rounds of 500 letters each), so that the machine's drift between two criterion
/// benches cannot pass for a difference: the median round is printed.
fn rules_share(
    with: &Standard,
    without: &Standard,
    request: &Request<'_>,
    run: &[serde_json::Map<String, serde_json::Value>],
) {
    let time = |standard: &Standard, round: usize| {
        let started = std::time::Instant::now();
        for record in run.iter().cycle().skip(round * 500).take(500) {
            black_box(standard.render(black_box(request), black_box(record)).expect("renders"));
        }
        started.elapsed().as_secs_f64()
    };
    let mut shares: Vec<f64> = (0..20)
        .map(|round| {
            let (a, b) = if round % 2 == 0 {
                let a = time(with, round);
                (a, time(without, round))
            } else {
                let b = time(without, round);
                (time(with, round), b)
            };
            a / b - 1.0
        })
        .collect();
    shares.sort_by(f64::total_cmp);
    println!(
        "rules' share of a billing run's render (median of 20 interleaved rounds): +{:.1}% (rounds {:+.1}% .. {:+.1}%)",
        100.0 * shares[10],
        100.0 * shares[0],
        100.0 * shares[19]
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

criterion_group!(render, benches);
criterion_main!(render);
