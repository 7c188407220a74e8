//! A batch letter's stages one at a time (issue #25): each bench runs one stage of the bundled
//! invoice, as an email batch makes it, over a billing run's records taken in turn, on inputs
//! the earlier stages made once (`missive::stages`). `letter` is `Standard::render` whole, and
//! `email` the message from a rendered letter; the others are their parts:
//!
//! | bench | what it runs |
//! |---|---|
//! | `parse` | a JSON Lines record into a map (the batch reader) |
//! | `contract` | the record against the template's typed fields |
//! | `context` | the typed values into Tera's context |
//! | `tera` | Tera, `t()` and Fluent, the money and date filters: body and subject |
//! | `markdown` | one parse, the plain-text and HTML writers |
//! | `shell` | the body's HTML into the email shell |
//! | `rules` | every rule pack on the letter's folded text |
//! | `encode` | both bodies, quoted-printable |
//!
//! Run with `cargo bench --bench stages` (`-- rules` for one). `scripts/stage_costs.sh`
//! counts the same stages' instructions inside a real batch run.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use missive::stages::Stages;
use missive::{Request, Standard};

mod common;

/// The allocator the `missive` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Records in a run: enough that no one record's shape decides a figure.
const RECORDS: usize = 512;

fn benches(c: &mut Criterion) {
    let standard = Standard::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the bundled standard loads");
    let outputs = missive::emit::Outputs::new(&standard);
    let request = Request {
        template: "invoice",
        today: Some(jiff::civil::date(2026, 11, 23)),
        origin: "bench",
        ..Default::default()
    };
    let lines: Vec<Vec<u8>> = common::billing_run(RECORDS)
        .into_iter()
        .map(|record| serde_json::to_vec(&record).expect("a record serialises"))
        .collect();
    let run: Vec<Stages<'_>> = lines
        .iter()
        .map(|line| Stages::new(&standard, &outputs, request.clone(), line).expect("every record renders"))
        .collect();
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Elements(1));
    let mut bench = |name: &str, stage: &dyn Fn(&Stages<'_>) -> usize| {
        let mut at = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                at = (at + 1) % run.len();
                stage(black_box(&run[at]))
            })
        });
    };
    bench("parse", &|s| s.parse().expect("parses"));
    bench("contract", &|s| s.contract().expect("fits"));
    bench("context", &|s| s.context());
    bench("tera", &|s| s.tera().expect("renders"));
    bench("markdown", &|s| s.markdown());
    bench("shell", &|s| s.shell());
    bench("rules", &|s| s.rules());
    bench("encode", &|s| s.encode());
    bench("email", &|s| s.email().expect("builds"));
    bench("letter", &|s| s.letter().expect("renders"));
    group.finish();
}

criterion_group!(stages, benches);
criterion_main!(stages);
