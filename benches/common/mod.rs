//! What the benches share: a billing run's records.

/// `n` records as `../shared/peers/gen_records.py` draws them (its names, items, amounts and
/// due dates, from a fixed seed): what a billing run renders one after another. Paragraphs
/// and dates repeat across such records as they do in a real run, and no more.
pub fn billing_run(n: usize) -> Vec<serde_json::Map<String, serde_json::Value>> {
    use missive::stages::words::{COMPANIES, FIRST_F, FIRST_M, ITEMS, LAST};
    let mut seed: u64 = 42;
    let mut next = |below: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % below
    };
    (0..n)
        .map(|i| {
            let kind = next(100);
            let (gender, name) = if kind < 45 {
                ("female", format!("{} {}", FIRST_F[next(8) as usize], LAST[next(15) as usize]))
            } else if kind < 90 {
                ("male", format!("{} {}", FIRST_M[next(8) as usize], LAST[next(15) as usize]))
            } else {
                ("company", COMPANIES[next(3) as usize].to_string())
            };
            let mut total = 0u64;
            let lines: Vec<serde_json::Value> = (0..1 + next(5))
                .map(|_| {
                    let (qty, cents) = (1 + next(12), 199 + next(250_000 - 199));
                    total += qty * cents;
                    serde_json::json!({"description": ITEMS[next(5) as usize], "quantity": qty.to_string(),
                        "amount": {"amount": format!("{}.{:02}", cents / 100, cents % 100), "currency": "PLN"}})
                })
                .collect();
            let month = 1 + next(12);
            let v = serde_json::json!({
                "key": format!("INV-{i:08}"), "locale": "pl-PL",
                "customer": {"name": name, "gender": gender, "email": format!("klient{i}@example.pl")},
                "invoice": {
                    "number": format!("FV/2026/{month:02}/{:04}", i % 10000),
                    "total": {"amount": format!("{}.{:02}", total / 100, total % 100), "currency": "PLN"},
                    "due": format!("2026-{month:02}-{:02}", 1 + next(28)),
                    "lines": lines,
                }
            });
            v.as_object().cloned().unwrap_or_default()
        })
        .collect()
}
