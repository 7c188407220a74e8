//! Property tests of the field contract, over every template of the bundled standard.
//!
//! Records are generated from each template's declared fields (types, `required`, `max_len`,
//! `pattern`, `values`, list items). A valid record renders, its email builds and Python's `email`
//! package reads it with the strict policy and exactly the expected headers (one `python3` run for
//! all of them, at the end), and its PDF prints, or is refused for one of the two documented
//! reasons: a character the fonts lack (the error names the field) or an address too long for the
//! envelope window. The same records with one field broken (wrong type, missing, too long,
//! pattern, enum value, e-mail, money, date, control characters and line breaks, a field another
//! `requires`) are refused with an error naming that field. Nothing panics.
//!
//! Deterministic: each template and property has a fixed ChaCha seed and no failure file is
//! written. `PROPTEST_CASES` changes the number of cases per template (128 by default).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

use missive::emit::email::{Envelope, ascii_address, message};
use missive::emit::pdf::{PdfWriter, letter_for_record};
use missive::fields::{FieldSpec, FieldType};
use missive::standard::Template;
use missive::{Error, ErrorKind, Letter, Request, Standard};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::Union;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{Map, Value as Json, json};

/// Cases per template and property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 128;
/// The letter's date, as `--today 2026-11-23`.
const TODAY: (i16, i8, i8) = (2026, 11, 23);

/// Pieces of valid text every channel and the bundled fonts carry: Polish letters, quotes,
/// Markdown, HTML and template syntax.
#[rustfmt::skip]
const PRINTABLE: &[&str] = &[
    "Anna", "Kowalska", "Żółć", "gęślą", "jaźń", "Łódź", "Świętokrzyska", "ąćęłńóśźż", "ĄĆĘŁŃÓŚŹŻ", " ", " ", " ",
    " ", "-", ".", ",", "!", "?", ":", ";", "/", "12", "0", "ul.", "00-950", "\"", "'", "„", "”", "«", "»", "*", "**",
    "_", "__", "`", "#", "> ", "- ", "1. ", "+", "<b>", "</b>", "<script>", "&", "&amp;", "&lt;", "{{", "}}", "{%",
    "%}", "{#", "#}", "[", "]", "(", ")", "[x](http://e.pl)", "\\", "|", "~~", "=", "$", "%", "@", "^", "\u{a0}", "—",
    "–", "…", "€", "£", "§", "ß", "é", "e\u{301}", "Ω", "Привет",
];
/// Valid text the bundled fonts do not print (a PDF of it is refused, naming the field): emoji
/// with modifiers, flags and joiners, CJK, mathematical letters.
const EXOTIC: &[&str] = &["😀", "👍🏽", "🇵🇱", "❤️", "👨‍👩‍👧", "漢字", "a\u{200d}b", "a\u{200c}b", "𝔸"];
/// Line breaks and block syntax, for multiline text only.
const MULTILINE: &[&str] = &["\n", "\n\n", "\r\n", "\n- ", "\n1. ", "\n# ", "\n    ", "\n> ", "\n---\n", "\n```\n"];
/// What must never get into a one-line value, above all one that goes into a header (the README:
/// "line breaks, control characters, bidi overrides and zero-width spaces in any header-bound
/// value are refused with the field named"). Unicode's line and paragraph separators are line
/// breaks too.
#[rustfmt::skip]
const ONE_LINE_BAD: &[&str] = &[
    "\r\n", "\n", "\r", "\r\nBcc: victim@example.com\r\n", "\nX-Injected: 1", "\t", "\u{0}", "\u{7}", "\u{b}",
    "\u{c}", "\u{1b}", "\u{7f}", "\u{85}", "\u{202e}", "\u{2066}", "\u{200f}", "\u{200b}", "\u{feff}", "\u{2028}",
    "\u{2029}", "Anna\u{2028}Bcc: victim@example.com",
];
/// Characters refused even in multiline text.
const MULTILINE_BAD: &[&str] =
    &["\u{0}", "\u{7}", "\u{b}", "\u{c}", "\u{1b}", "\u{7f}", "\u{85}", "\u{202e}", "\u{2067}", "\u{200b}", "\u{feff}"];

fn standard() -> &'static Standard {
    static STANDARD: OnceLock<Standard> = OnceLock::new();
    STANDARD.get_or_init(|| Standard::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the bundled standard loads"))
}

/// The bundled standard's PDF writer (its house fonts).
fn writer() -> &'static PdfWriter {
    static OUTPUTS: OnceLock<missive::emit::Outputs> = OnceLock::new();
    let outputs = OUTPUTS.get_or_init(|| missive::emit::Outputs::new(standard()));
    outputs.pdf().and_then(|assets| assets.writer()).expect("the house fonts load")
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(TODAY.0, TODAY.1, TODAY.2)
}

/// A runner with a fixed seed for `name`, no persistence file, `PROPTEST_CASES` or [`CASES`].
fn runner(name: &str) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(CASES);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2048,
        max_shrink_time: 15_000,
        ..Config::default()
    };
    let mut state =
        name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

thread_local! {
    /// Inside [`no_panic`]: the panic hook keeps the report instead of printing it (shrinking
    /// reruns a panicking case many times).
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into an error carrying its message and location.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.get() {
                LAST_PANIC.set(Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
    CATCHING.set(true);
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.set(false);
    result.map_err(|payload| {
        let message = LAST_PANIC.take().unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into())
        });
        TestCaseError::fail(format!("DEFECT: {what} panicked: {message}"))
    })
}

// ---------------------------------------------------------------------------------------------
// Valid values, by field type.

fn token_pool(exotic: bool, multiline: bool) -> Vec<&'static str> {
    let mut pool: Vec<&'static str> = PRINTABLE.to_vec();
    if exotic {
        pool.extend(EXOTIC);
    }
    if multiline {
        pool.extend(MULTILINE);
        pool.extend(MULTILINE);
    }
    pool
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Text of at most `max` characters: usually short, sometimes exactly `max` long.
fn text(max: usize, exotic: bool, multiline: bool) -> BoxedStrategy<String> {
    let pool = token_pool(exotic, multiline);
    let tokens = |range: std::ops::Range<usize>| prop::collection::vec(select(pool.clone()), range);
    prop_oneof![
        4 => tokens(0..6).prop_map(move |t| truncate_chars(&t.concat(), max)),
        3 => tokens(0..40).prop_map(move |t| truncate_chars(&t.concat(), max)),
        1 => tokens(1..20).prop_map(move |t| {
            let unit = t.concat();
            let unit = if unit.is_empty() { "x".to_string() } else { unit };
            unit.chars().cycle().take(max).collect()
        }),
    ]
    .boxed()
}

/// A name: not blank once trimmed, sometimes with spaces around it (trimmed away).
fn name(max: usize, exotic: bool) -> BoxedStrategy<String> {
    (text(max, exotic, false), any::<bool>())
        .prop_map(move |(t, padded)| {
            let t = if t.trim().is_empty() { "Anna".to_string() } else { t };
            let t = truncate_chars(t.trim(), max);
            if padded { format!("  {t} ") } else { t }
        })
        .boxed()
}

/// A text that has visible characters (a postal address line).
fn visible_text(max: usize, exotic: bool) -> BoxedStrategy<String> {
    text(max, exotic, false)
        .prop_map(move |t| if t.trim().is_empty() { truncate_chars(&format!("ul. Prosta 1{t}"), max) } else { t })
        .boxed()
}

/// An e-mail address: a dot-atom of RFC 5322 `atext` before the `@`, a domain (internationalised
/// labels too) after it; sometimes with spaces around it (trimmed away).
fn email() -> BoxedStrategy<String> {
    let atoms =
        vec!["anna", "Jan", "kowalski", "a1", "x", "o'brien", "a+tag", "a_b", "a-b", "!#$%&", "*+/=?^", "_`{|}~"];
    let labels = vec!["example", "mail", "łódź", "żółć", "bank-x", "a1", "Example", "sub"];
    let tlds = vec!["pl", "com", "eu", "PL", "info"];
    (
        prop::collection::vec(select(atoms), 1..4),
        prop::collection::vec(select(labels), 1..3),
        select(tlds),
        any::<bool>(),
    )
        .prop_map(|(local, domain, tld, padded)| {
            let address = format!("{}@{}.{tld}", local.join("."), domain.join("."));
            if padded { format!(" {address} ") } else { address }
        })
        .boxed()
}

/// A value matching `pattern` (from the pattern itself; `\d` only as ASCII digits unless exotic).
fn pattern_text(spec: &FieldSpec, exotic: bool) -> BoxedStrategy<String> {
    let re = spec.pattern.clone().expect("a pattern");
    let src = re.as_str().trim_start_matches('^').trim_end_matches('$');
    let src = if exotic { src.to_string() } else { src.replace("\\d", "[0-9]") };
    let max = spec.max_len;
    let multiline = spec.multiline;
    let fits = move |s: &String| re.is_match(s) && s.chars().count() <= max && s.chars().all(|c| !c.is_control());
    match proptest::string::string_regex(&src) {
        Ok(strategy) => strategy.prop_filter("matches the field's pattern", fits).boxed(),
        Err(_) => text(max, exotic, multiline).prop_filter("matches the field's pattern", fits).boxed(),
    }
}

/// A date within 1583-01-01..=9999-12-31, mostly near the letter's date.
fn date() -> BoxedStrategy<String> {
    let year = prop_oneof![4 => 2020i16..=2032, 1 => 1583i16..=9999];
    (year, 1i8..=12, 1i8..=31)
        .prop_map(|(y, m, d)| {
            let d = d.min(jiff::civil::date(y, m, 1).days_in_month());
            format!("{y:04}-{m:02}-{d:02}")
        })
        .boxed()
}

/// A non-negative amount with at most two decimals, as a string.
fn amount() -> BoxedStrategy<String> {
    let whole = prop_oneof![3 => 0u64..1000, 2 => 0u64..10_000_000, 1 => 0u64..=999_999_999_999];
    (whole, 0usize..=2, 0u32..100)
        .prop_map(|(whole, decimals, cents)| match decimals {
            0 => whole.to_string(),
            1 => format!("{whole}.{}", cents % 10),
            _ => format!("{whole}.{cents:02}"),
        })
        .boxed()
}

/// Money in every form a record may give it.
fn money(default_currency: Option<String>) -> BoxedStrategy<Json> {
    let currency = || select(vec!["PLN", "EUR", "GBP"]);
    let mut forms: Vec<BoxedStrategy<Json>> = vec![
        (amount(), currency()).prop_map(|(a, c)| Json::String(format!("{a} {c}"))).boxed(),
        (amount(), currency()).prop_map(|(a, c)| json!({"amount": a, "currency": c})).boxed(),
        (0u64..10_000_000, currency())
            .prop_map(|(cents, c)| json!({"amount": cents as f64 / 100.0, "currency": c}))
            .boxed(),
    ];
    if default_currency.is_some() {
        forms.push(amount().prop_map(Json::String).boxed());
        forms.push(amount().prop_map(|a| json!({ "amount": a })).boxed());
        forms.push((0u64..100_000_000).prop_map(|cents| Json::from(cents as f64 / 100.0)).boxed());
        forms.push((0u64..100_000).prop_map(Json::from).boxed());
    }
    Union::new(forms).boxed()
}

fn integer() -> BoxedStrategy<Json> {
    prop_oneof![
        4 => (-30i64..400).prop_map(Json::from),
        // The contract takes whole numbers up to ±(2^53 − 1), which a letter prints exactly.
        1 => (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(Json::from),
        2 => (0i64..1000).prop_map(|n| Json::String(n.to_string())),
    ]
    .boxed()
}

fn decimal() -> BoxedStrategy<Json> {
    prop_oneof![
        4 => (0u32..1000, 0usize..=3, 0u32..1000, any::<bool>()).prop_map(|(whole, decimals, frac, negative)| {
            let frac = format!("{frac:03}");
            let sign = if negative && whole % 7 == 0 { "-" } else { "" };
            Json::String(if decimals == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{}", &frac[..decimals]) })
        }),
        2 => (0u32..100).prop_map(Json::from),
        2 => (1u32..10_000).prop_map(|c| Json::from(f64::from(c) / 100.0)),
        1 => "[1-9][0-9]{0,27}".prop_map(Json::String),
    ]
    .boxed()
}

/// A valid value for `spec`; `exotic` allows text no bundled font prints.
fn valid_value(spec: &FieldSpec, exotic: bool) -> BoxedStrategy<Json> {
    match &spec.ty {
        FieldType::Text if spec.pattern.is_some() => pattern_text(spec, exotic).prop_map(Json::String).boxed(),
        FieldType::Text => text(spec.max_len, exotic, spec.multiline).prop_map(Json::String).boxed(),
        FieldType::Name => name(spec.max_len, exotic).prop_map(Json::String).boxed(),
        FieldType::Email => email().prop_map(Json::String).boxed(),
        FieldType::Enum(values) => select(values.clone()).prop_map(Json::String).boxed(),
        FieldType::Date => date().prop_map(Json::String).boxed(),
        FieldType::Money => money(spec.currency.clone()),
        FieldType::Integer => integer(),
        FieldType::Decimal => decimal(),
        FieldType::Bool => {
            prop_oneof![any::<bool>().prop_map(Json::Bool), select(vec!["true", "false"]).prop_map(Json::from)].boxed()
        }
        FieldType::List(items) => {
            let item = object(items.fields(), &[], exotic);
            let (min, max) = spec.items;
            let (lo, hi) = (min, max.min(min + 6));
            prop_oneof![
                5 => prop::collection::vec(item.clone(), lo..=hi),
                1 => prop::collection::vec(item, lo.max(10)..=max.min(30).max(lo.max(10))),
            ]
            .prop_map(|items| Json::Array(items.into_iter().map(Json::Object).collect()))
            .boxed()
        }
    }
}

/// Fields a record gives together or not at all, whatever the front matter says: a postal
/// address has its street and its city.
const TOGETHER: &[&[&str]] = &[&["customer.address.street", "customer.address.city"]];

/// A field's raw declaration in the front matter (`invoice.lines` or, for an item field,
/// `invoice.lines` and `amount`).
fn declaration<'a>(template: &'a Template, path: &str, item: Option<&str>) -> Option<&'a toml::Value> {
    let decl = template.meta.fields.get(path)?;
    match item {
        None => Some(decl),
        Some(name) => decl.get("item")?.get(name),
    }
}

/// The fields a field's declaration `requires` a record to give with it.
fn requires(template: &Template, path: &str) -> Vec<String> {
    declaration(template, path, None)
        .and_then(|d| d.get("requires"))
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Whether a money field is declared `negative = true`.
fn negative_allowed(template: &Template, path: &str, item: Option<&str>) -> bool {
    declaration(template, path, item).and_then(|d| d.get("negative")).and_then(toml::Value::as_bool).unwrap_or(false)
}

/// The groups of `template`'s fields a record gives together or not at all: each field with
/// those it `requires` (and they with theirs), and [`TOGETHER`].
fn groups(template: &Template) -> Vec<Vec<String>> {
    let fields = template.contract.fields();
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut link = |a: &str, b: &str| {
        if fields.iter().all(|f| f.path != a) || fields.iter().all(|f| f.path != b) {
            return;
        }
        let ia = groups.iter().position(|g| g.iter().any(|p| p == a));
        let ib = groups.iter().position(|g| g.iter().any(|p| p == b));
        match (ia, ib) {
            (Some(i), Some(j)) if i == j => {}
            (Some(i), Some(j)) => {
                let moved = groups.remove(j.max(i));
                groups[j.min(i)].extend(moved);
            }
            (Some(i), None) => groups[i].push(b.to_string()),
            (None, Some(j)) => groups[j].push(a.to_string()),
            (None, None) => groups.push(vec![a.to_string(), b.to_string()]),
        }
    };
    for field in fields {
        for other in requires(template, &field.path) {
            link(&field.path, &other);
        }
    }
    for group in TOGETHER {
        for pair in group.windows(2) {
            link(pair[0], pair[1]);
        }
    }
    groups
}

/// An object of the declared `fields`: required ones always, optional ones sometimes (absent, or
/// null, which is absent too); the fields of each of `groups` are given together or not at all;
/// an object all of whose fields are optional is sometimes given empty (`"address": {}`).
fn object(fields: &[FieldSpec], groups: &[Vec<String>], exotic: bool) -> BoxedStrategy<Map<String, Json>> {
    let mut parts: Vec<BoxedStrategy<Vec<(String, Json)>>> = Vec::new();
    for spec in fields {
        let path = spec.path.clone();
        if let Some(group) = groups.iter().find(|g| g.contains(&path)) {
            if group[0] != path {
                continue;
            }
            let members: Vec<&FieldSpec> = group.iter().filter_map(|p| fields.iter().find(|f| &f.path == p)).collect();
            let paths: Vec<String> = members.iter().map(|f| f.path.clone()).collect();
            // A value that counts as given: a text with visible characters.
            let values: Vec<BoxedStrategy<Json>> = members
                .iter()
                .map(|f| match f.ty {
                    FieldType::Text if f.pattern.is_none() => {
                        visible_text(f.max_len, exotic).prop_map(Json::String).boxed()
                    }
                    _ => valid_value(f, exotic),
                })
                .collect();
            let nulls: Vec<(String, Json)> = paths.iter().map(|p| (p.clone(), Json::Null)).collect();
            let all_optional = members.iter().all(|f| !f.required || f.default.is_some());
            let given = values.prop_map(move |v| paths.iter().cloned().zip(v).collect::<Vec<_>>());
            parts.push(if all_optional {
                prop_oneof![1 => Just(Vec::new()), 1 => Just(nulls), 3 => given].boxed()
            } else {
                given.boxed()
            });
            continue;
        }
        let value = valid_value(spec, exotic);
        if spec.required && spec.default.is_none() {
            parts.push(value.prop_map(move |v| vec![(path.clone(), v)]).boxed());
        } else {
            let null = vec![(path.clone(), Json::Null)];
            parts.push(
                prop_oneof![
                    1 => Just(Vec::new()),
                    1 => Just(null),
                    3 => value.prop_map(move |v| vec![(path.clone(), v)]),
                ]
                .boxed(),
            );
        }
    }
    // Objects whose fields are all optional: `{}` when none of them is given.
    let mut optional_objects: Vec<String> = Vec::new();
    for spec in fields {
        let segments: Vec<&str> = spec.path.split('.').collect();
        for n in 1..segments.len() {
            let prefix = segments[..n].join(".");
            let under = |f: &&FieldSpec| f.path.starts_with(&format!("{prefix}."));
            let all_optional = fields.iter().filter(under).all(|f| !f.required || f.default.is_some());
            if all_optional && !optional_objects.contains(&prefix) {
                optional_objects.push(prefix);
            }
        }
    }
    let empties = prop::collection::vec(prop::bool::weighted(0.25), optional_objects.len());
    (parts, empties)
        .prop_map(move |(parts, empties)| {
            let mut map = Map::new();
            for (path, value) in parts.into_iter().flatten() {
                set(&mut map, &path, value);
            }
            for (prefix, empty) in optional_objects.iter().zip(empties) {
                if empty && get(&map, prefix).is_none() {
                    set(&mut map, prefix, Json::Object(Map::new()));
                }
            }
            map
        })
        .boxed()
}

/// A whole record for `template`: its fields, and sometimes a key and a locale.
fn record(template: &'static Template, exotic: bool) -> BoxedStrategy<Map<String, Json>> {
    let locale = prop_oneof![
        2 => Just(None),
        3 => select(vec!["pl", "en", "pl-PL", "en-GB", "en-US", "PL", "de", "de-DE"]).prop_map(Some),
    ];
    let key = prop_oneof![
        1 => Just(None),
        3 => text(40, exotic, false).prop_map(|k| Some(Json::String(k))),
        1 => (0u64..1_000_000).prop_map(|n| Some(Json::from(n))),
    ];
    (object(template.contract.fields(), &groups(template), exotic), locale, key)
        .prop_map(|(mut map, locale, key)| {
            if let Some(locale) = locale {
                map.insert("locale".into(), Json::from(locale));
            }
            if let Some(key) = key {
                map.insert("key".into(), key);
            }
            map
        })
        .boxed()
}

fn get<'a>(map: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    match (map.get(first), rest) {
        (Some(value), None) => Some(value),
        (Some(Json::Object(inner)), Some(rest)) => get(inner, rest),
        _ => None,
    }
}

/// Sets the value at a dotted path, making (or replacing with) objects on the way.
fn set(map: &mut Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((first, rest)) => {
            let entry = map.entry(first.to_string()).or_insert_with(|| Json::Object(Map::new()));
            if !entry.is_object() {
                *entry = Json::Object(Map::new());
            }
            if let Json::Object(inner) = entry {
                set(inner, rest, value);
            }
        }
    }
}

fn remove(map: &mut Map<String, Json>, path: &str) {
    match path.split_once('.') {
        None => {
            map.remove(path);
        }
        Some((first, rest)) => {
            if let Some(Json::Object(inner)) = map.get_mut(first) {
                remove(inner, rest);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations: one field broken.

#[derive(Clone, Debug)]
enum Op {
    Remove,
    Set(Json),
}

#[derive(Clone, Debug)]
enum Target {
    /// A field of the record, by path.
    Field(String),
    /// An object holding fields (`customer`).
    Parent(String),
    /// A field of one item of a list: the list, the field within the item, a valid item to add
    /// when the record has none.
    ItemField(String, String, Json),
    /// One item of a list itself.
    Item(String, Json),
    /// A field given (path, value) without a field it `requires` (path).
    Companion(String, Json, String),
}

#[derive(Clone, Debug)]
struct Mutation {
    kind: &'static str,
    target: Target,
    op: Op,
}

fn wrong_types(ty: &FieldType) -> Vec<Json> {
    let mut out = vec![json!({}), json!(true)];
    if !matches!(ty, FieldType::List(_)) {
        out.push(json!([]));
    }
    match ty {
        FieldType::Text | FieldType::Name | FieldType::Email | FieldType::Enum(_) | FieldType::Date => {
            out.extend([json!(42), json!(4.5), json!(["Anna"]), json!({"name": "Anna"}), json!(false)]);
        }
        FieldType::Money => out.extend([
            json!(["12.00 PLN"]),
            json!({"currency": "PLN"}),
            json!({"amount": true, "currency": "PLN"}),
            json!({"amount": ["1"], "currency": "PLN"}),
        ]),
        FieldType::Integer => out.extend([
            json!(1.5),
            json!("1.5"),
            json!("abc"),
            json!(""),
            json!("12 dni"),
            json!(u64::MAX),
            json!(1i64 << 53),
            json!(-(1i64 << 53)),
            json!(-1e20),
            json!(["1"]),
        ]),
        FieldType::Decimal => out.extend([
            json!("1,5"),
            json!("abc"),
            json!(""),
            json!("1."),
            json!(".5"),
            json!("1e5"),
            json!("--1"),
            json!("1.5.2"),
            json!("12 szt."),
            json!(1e300),
        ]),
        FieldType::Bool => out.extend([json!(1), json!("yes"), json!("TRUE"), json!(0)]),
        FieldType::List(_) => out.extend([json!("abc"), json!(1), json!({"0": {}})]),
    }
    out
}

fn malformed_emails() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "nope",
        "anna",
        "a@b",
        "@example.pl",
        "anna@",
        "anna@@example.pl",
        "a@b@example.pl",
        "an na@example.pl",
        "anna@exa mple.pl",
        ".anna@example.pl",
        "anna.@example.pl",
        "an..na@example.pl",
        "anna@example..pl",
        "anna@.example.pl",
        "anna@example.pl.",
        "anna@-example.pl",
        "anna@example-.pl",
        "anna@exa_mple.pl",
        "anna@example.pl>",
        "<anna@example.pl>",
        "Anna <anna@example.pl>",
        "anna,bob@example.pl",
        "anna;bob@example.pl",
        "\"anna\"@example.pl",
        "anna@localhost",
        // Not an address without quotes (RFC 5322 specials in the local part).
        "an(na)@example.pl",
        "an:na@example.pl",
        "an[na]@example.pl",
        "an\\na@example.pl",
    ]
    .map(str::to_string)
    .to_vec();
    out.push(format!("{}@example.pl", "a".repeat(65)));
    out
}

fn malformed_money() -> Vec<Json> {
    vec![
        json!(""),
        json!("abc"),
        json!("1 234,56 PLN"),
        json!("1234,56 PLN"),
        json!("12 złotych"),
        json!("12.00 pln"),
        json!("PLN12.00"),
        json!("12.00 PLNX"),
        json!("12.50 PLN EUR"),
        json!("1. PLN"),
        json!(".5 PLN"),
        json!("1.2.3 PLN"),
        json!("1e5 PLN"),
        json!("--1 PLN"),
        json!("+1 PLN"),
        json!("0x10 PLN"),
        json!("½ PLN"),
        json!("١٢ PLN"),
        json!("１２ PLN"),
        json!("NaN PLN"),
        json!("inf PLN"),
        json!("99999999999999999999999999999999.99 PLN"),
        json!(1e300),
        json!({"amount": "1", "currency": "PLN", "vat": "23"}),
        json!({"amount": "1", "currency": 12}),
        json!({"amount": "1,5", "currency": "PLN"}),
        json!({"amount": "1", "currency": "zł"}),
        json!({"amount": "", "currency": "PLN"}),
    ]
}

fn malformed_dates() -> BoxedStrategy<String> {
    let fixed = select(vec![
        "",
        "1.12.2026",
        "01.12.2026",
        "2026/12/01",
        "2026-12-1",
        "2026-1-01",
        "20261201",
        "2026-12-01T00:00:00",
        "2026-12-01 ",
        " 2026-12-01",
        "2026-00-10",
        "2026-12-00",
        "1900-02-29",
        "２０２６-１２-０１",
        "2026–12–01",
        "yesterday",
        "2026-W48-1",
        "+02026-12-01",
        // Before the Gregorian calendar's first whole year.
        "1582-12-31",
        "1582-10-14",
        "0026-11-30",
        "0001-01-01",
        "0000-01-01",
    ])
    .prop_map(str::to_string);
    let bad_month = (1583i16..=9999, 13u8..=99, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let bad_day = (1583i16..=9999, 1i8..=12, 29i8..=99)
        .prop_filter("past the month's end", |(y, m, d)| *d > jiff::civil::date(*y, *m, 1).days_in_month())
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    prop_oneof![fixed, bad_month, bad_day].boxed()
}

/// `bad` inside `value`, never at an end (a name or an address is trimmed).
fn insert_inside(value: &str, bad: &str, at: Index) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    let i = at.index(chars.len() + 1);
    let left: String = chars[..i].iter().collect();
    let right: String = chars[i..].iter().collect();
    let left = if left.trim().is_empty() { format!("A{left}") } else { left };
    let right = if right.trim().is_empty() { format!("{right}Z") } else { right };
    format!("{left}{bad}{right}")
}

/// The ways `spec` can be broken, each with its name.
fn breakages(spec: &FieldSpec, header_bound: bool, negative_ok: bool) -> Vec<BoxedStrategy<(&'static str, Op)>> {
    let mut out: Vec<BoxedStrategy<(&'static str, Op)>> = Vec::new();
    let set = |kind: &'static str, s: BoxedStrategy<Json>| s.prop_map(move |v| (kind, Op::Set(v))).boxed();
    out.push(set("wrong type", select(wrong_types(&spec.ty)).boxed()));
    if spec.required && spec.default.is_none() {
        out.push(
            prop_oneof![Just(("missing required", Op::Remove)), Just(("missing required (null)", Op::Set(Json::Null)))]
                .boxed(),
        );
    }
    let stringy = matches!(spec.ty, FieldType::Text | FieldType::Name | FieldType::Email | FieldType::Enum(_));
    if stringy {
        let over = spec.max_len + 1..=spec.max_len + 40;
        let long = (over, select(vec!['a', 'Ż', '😀', '<', '&']))
            .prop_map(|(n, c)| Json::String(std::iter::repeat_n(c, n).collect()));
        out.push(set("too long", long.boxed()));
    }
    if stringy && !matches!(spec.ty, FieldType::Enum(_)) {
        let bad_chars = if spec.multiline { MULTILINE_BAD } else { ONE_LINE_BAD }.to_vec();
        let kind =
            if header_bound { "control character or line break in a header-bound value" } else { "control character" };
        let inserted = (valid_value(spec, false), select(bad_chars), any::<Index>())
            .prop_map(|(v, bad, at)| Json::String(insert_inside(v.as_str().unwrap_or("Anna"), bad, at)));
        out.push(set(kind, inserted.boxed()));
    }
    if let Some(re) = spec.pattern.clone() {
        let max = spec.max_len;
        let valid = pattern_text(spec, false);
        let violated = prop_oneof![
            valid.clone().prop_map(|v| format!("{v}0")),
            valid.clone().prop_map(|v| v.chars().skip(1).collect()),
            valid.prop_map(|v| v.to_lowercase()),
            text(40, false, false),
        ]
        .prop_filter("violates the pattern", move |s| !re.is_match(s) && s.chars().count() <= max);
        out.push(set("pattern violated", violated.prop_map(Json::String).boxed()));
    }
    match &spec.ty {
        FieldType::Name => out.push(set("empty name", select(vec!["", "   ", "\u{a0}"]).prop_map(Json::from).boxed())),
        FieldType::Enum(values) => {
            let values = values.clone();
            let keep = values.clone();
            let other = prop_oneof![
                select(values.clone()).prop_map(|v| v.to_uppercase()),
                select(values.clone()).prop_map(|v| format!("{v} ")),
                select(values).prop_map(|v| format!(" {v}")),
                Just(String::new()),
                text(20, true, false),
            ]
            .prop_filter("not an accepted value", move |s| !keep.contains(s));
            out.push(set("enum value not in values", other.prop_map(Json::String).boxed()));
        }
        FieldType::Email => out.push(set("malformed email", select(malformed_emails()).prop_map(Json::from).boxed())),
        FieldType::Money => {
            out.push(set("malformed money", select(malformed_money()).boxed()));
            if !negative_ok {
                let mut negative = vec![
                    json!("-0.01 PLN"),
                    json!("-1234.56 EUR"),
                    json!({"amount": "-5", "currency": "GBP"}),
                    json!({"amount": -12.5, "currency": "PLN"}),
                ];
                if spec.currency.is_some() {
                    negative.extend([json!("-7.5"), json!(-1), json!({"amount": "-0.5"})]);
                }
                out.push(set("negative money", select(negative).boxed()));
            }
        }
        FieldType::Date => out.push(set("malformed date", malformed_dates().prop_map(Json::String).boxed())),
        _ => {}
    }
    out
}

/// The fields whose values go into a header: the recipient's name and address, and the fields the
/// subject line uses.
fn header_bound(template: &Template, path: &str) -> bool {
    path == template.meta.to || path == template.meta.to_name || template.meta.subject.contains(path)
}

/// Every way to break one field of `template`'s records.
fn mutations(template: &'static Template) -> BoxedStrategy<Mutation> {
    let mut all: Vec<BoxedStrategy<Mutation>> = Vec::new();
    let fields = template.contract.fields();
    for spec in fields {
        let path = spec.path.clone();
        let negative_ok = negative_allowed(template, &spec.path, None);
        for breakage in breakages(spec, header_bound(template, &spec.path), negative_ok) {
            let path = path.clone();
            all.push(
                breakage.prop_map(move |(kind, op)| Mutation { kind, target: Target::Field(path.clone()), op }).boxed(),
            );
        }
        if let FieldType::List(items) = &spec.ty {
            let filler = object(items.fields(), &[], false);
            for item_spec in items.fields() {
                let negative_ok = negative_allowed(template, &spec.path, Some(&item_spec.path));
                for breakage in breakages(item_spec, false, negative_ok) {
                    let (list, field) = (path.clone(), item_spec.path.clone());
                    all.push(
                        (breakage, filler.clone())
                            .prop_map(move |((kind, op), filler)| Mutation {
                                kind,
                                target: Target::ItemField(list.clone(), field.clone(), Json::Object(filler)),
                                op,
                            })
                            .boxed(),
                    );
                }
            }
            let list = path.clone();
            all.push(
                (select(vec![json!(1), json!("x"), json!([]), json!(null), json!(true)]), filler)
                    .prop_map(move |(v, filler)| Mutation {
                        kind: "list item not an object",
                        target: Target::Item(list.clone(), Json::Object(filler)),
                        op: Op::Set(v),
                    })
                    .boxed(),
            );
        }
    }
    for spec in fields {
        for other in requires(template, &spec.path) {
            let given = spec.path.clone();
            let value = match spec.ty {
                FieldType::Text if spec.pattern.is_none() => {
                    visible_text(spec.max_len, false).prop_map(Json::String).boxed()
                }
                _ => valid_value(spec, false),
            };
            all.push(
                value
                    .prop_map(move |v| Mutation {
                        kind: "a field it requires is missing",
                        target: Target::Companion(given.clone(), v, other.clone()),
                        op: Op::Remove,
                    })
                    .boxed(),
            );
        }
    }
    let mut parents: Vec<String> = Vec::new();
    for spec in fields {
        let segments: Vec<&str> = spec.path.split('.').collect();
        for n in 1..segments.len() {
            let prefix = segments[..n].join(".");
            if !parents.contains(&prefix) {
                parents.push(prefix);
            }
        }
    }
    for prefix in parents {
        all.push(
            select(vec![json!("Anna"), json!(1), json!([]), json!(true), json!([{}])])
                .prop_map(move |v| Mutation {
                    kind: "object given as another type",
                    target: Target::Parent(prefix.clone()),
                    op: Op::Set(v),
                })
                .boxed(),
        );
    }
    Union::new(all).boxed()
}

fn apply_op(map: &mut Map<String, Json>, path: &str, op: &Op) {
    match op {
        Op::Remove => remove(map, path),
        Op::Set(v) => set(map, path, v.clone()),
    }
}

/// Breaks `record` as `mutation` says; returns the path the error must name.
fn apply(record: &mut Map<String, Json>, mutation: &Mutation, at: Index) -> String {
    match &mutation.target {
        Target::Companion(given, value, missing) => {
            set(record, given, value.clone());
            remove(record, missing);
            missing.clone()
        }
        Target::Field(path) | Target::Parent(path) => {
            apply_op(record, path, &mutation.op);
            path.clone()
        }
        Target::ItemField(list, _, filler) | Target::Item(list, filler) => {
            if get(record, list).and_then(Json::as_array).is_none_or(|a| a.is_empty()) {
                set(record, list, json!([filler]));
            }
            let mut items = get(record, list).and_then(Json::as_array).cloned().unwrap_or_default();
            let i = at.index(items.len());
            let expected = match &mutation.target {
                Target::ItemField(_, field, _) => {
                    if let Json::Object(item) = &mut items[i] {
                        apply_op(item, field, &mutation.op);
                    }
                    format!("{list}[{i}].{field}")
                }
                _ => {
                    if let Op::Set(v) = &mutation.op {
                        items[i] = v.clone();
                    }
                    format!("{list}[{i}]")
                }
            };
            set(record, list, Json::Array(items));
            expected
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The properties.

fn request(template: &str) -> Request<'_> {
    Request { template, today: Some(today()), origin: "proptest", ..Default::default() }
}

fn names_path(error: &Error, path: &str) -> bool {
    error.problems().iter().any(|p| p.path == path) || error.to_string().contains(path)
}

/// What the strict parser must read back from one `.eml`.
struct Expected {
    file: PathBuf,
    template: String,
    record: String,
    headers: Vec<&'static str>,
    to_name: String,
    to_address: String,
    subject: String,
    text: String,
    html: String,
}

/// What the valid property saw besides failures, for the report.
#[derive(Default)]
struct Seen {
    pdfs: usize,
    pdf_unprintable: usize,
    /// The shortest record whose address did not fit the envelope window, with the error.
    window_overflow: Vec<(String, String)>,
}

fn expected_headers(standard: &Standard) -> Vec<&'static str> {
    let mut headers = vec!["From", "To", "Subject", "Date", "Message-ID"];
    if standard.config().sender.reply_to.is_some() {
        headers.push("Reply-To");
    }
    headers.extend(["MIME-Version", "Content-Language", "Content-Type"]);
    headers
}

/// The record as JSON, with invisible and look-alike characters written as `\\uXXXX` escapes so
/// that it can be copied into a reproduction as it is.
fn pretty(record: &Map<String, Json>) -> String {
    escape_invisible(&serde_json::to_string_pretty(record).unwrap_or_default())
}

/// The record as JSON on one line, escaped as [`pretty`] does.
fn compact(record: &Map<String, Json>) -> String {
    escape_invisible(&serde_json::to_string(record).unwrap_or_default())
}

fn escape_invisible(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let invisible = (c.is_whitespace() && !matches!(c, ' ' | '\n'))
            || c.is_control() && c != '\n'
            || matches!(c, '\u{300}'..='\u{36f}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{2028}'..='\u{202e}'
                    | '\u{2060}'..='\u{206f}'
                    | '\u{fe00}'..='\u{fe0f}'
                    | '\u{feff}');
        if invisible {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The value at a path such as `invoice.lines[2].description` in a record.
fn value_at<'a>(record: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut current: Option<&Json> = None;
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let object = match current {
            None => record,
            Some(Json::Object(map)) => map,
            Some(_) => return None,
        };
        let mut value = object.get(name)?;
        if let Some(i) = index {
            value = value.as_array()?.get(i)?;
        }
        current = Some(value);
    }
    current
}

/// A PDF error is documented when it names a field holding a character the fonts lack, or when
/// the address does not fit the envelope window.
fn documented_pdf_error(error: &Error, record: &Map<String, Json>, seen: &Mutex<Seen>) -> Result<(), String> {
    let message = error.to_string();
    if message.contains("envelope window") && error.kind() == ErrorKind::Render {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.window_overflow.push((compact(record), message));
        return Ok(());
    }
    let unprintable = || -> Option<()> {
        let rest = message.strip_prefix("field `")?;
        let (path, rest) = rest.split_once("` holds U+")?;
        let hex: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
        let writer = writer();
        let lacks = writer.font(false).glyph(c).is_none() || writer.font(true).glyph(c).is_none();
        let holds = value_at(record, path)?.as_str()?.contains(c);
        (lacks && holds && error.kind() == ErrorKind::Record).then_some(())
    };
    match unprintable() {
        Some(()) => {
            seen.lock().unwrap_or_else(|e| e.into_inner()).pdf_unprintable += 1;
            Ok(())
        }
        None => Err(format!("DEFECT: the PDF of a valid record failed: {error:?}")),
    }
}

fn check_valid(
    template: &Template,
    record: &Map<String, Json>,
    case: usize,
    dir: &Path,
    expected: &Mutex<Vec<Expected>>,
    seen: &Mutex<Seen>,
) -> Result<(), TestCaseError> {
    let standard = standard();
    // Found here and fixed: text with seven or more decomposed characters (`e\u{301}`, NFD)
    // made the rules panic (a folded offset inside a character).
    let rendered = no_panic("Standard::render", || standard.render(&request(&template.id), record))?;
    // Found here and fixed: `"address": {}` (or street and city both null) was a Tera error in
    // partials/recipient.tera; an integer beyond ±2^53 was "argument `days` is not a finite
    // number" (now the contract refuses it, naming the field).
    let letter: Letter =
        rendered.map_err(|e| TestCaseError::fail(format!("DEFECT: a valid record was refused: {e:?}")))?;
    if let Some(w) = letter.warnings.iter().find(|w| w.code == "record.unknown-field") {
        return Err(TestCaseError::fail(format!("a declared field was called unknown: {}", w.message)));
    }
    let recipient = letter.recipient.clone().ok_or_else(|| TestCaseError::fail("the letter has no recipient"))?;
    let bytes = no_panic("emit::email::message", || {
        message(&missive::emit::Outputs::new(standard), &letter, &Envelope::default())
    })?
    .map_err(|e| TestCaseError::fail(format!("DEFECT: the email of a valid record failed: {e:?}")))?;
    let file = dir.join(format!("{}-{case:04}.eml", template.id));
    std::fs::write(&file, &bytes).map_err(|e| TestCaseError::fail(format!("cannot write {}: {e}", file.display())))?;
    let to_address = ascii_address(&recipient.address, &recipient.paths.1)
        .map_err(|e| TestCaseError::fail(format!("the recipient's address has no ASCII form: {e:?}")))?;
    expected.lock().unwrap_or_else(|e| e.into_inner()).push(Expected {
        file,
        template: template.id.clone(),
        record: compact(record),
        headers: expected_headers(standard),
        to_name: recipient.name.clone(),
        to_address,
        subject: letter.subject.clone(),
        text: letter.text.clone(),
        html: letter.html.clone(),
    });
    if template.meta.channels.iter().any(|c| c == "letter") {
        let pdf = no_panic("emit::pdf::letter_for_record", || {
            letter_for_record(&missive::emit::Outputs::new(standard), &letter, record)
        })?;
        match pdf {
            Ok(bytes) if bytes.starts_with(b"%PDF-") => seen.lock().unwrap_or_else(|e| e.into_inner()).pdfs += 1,
            Ok(_) => return Err(TestCaseError::fail("the PDF does not start with %PDF-")),
            Err(e) => documented_pdf_error(&e, record, seen).map_err(TestCaseError::fail)?,
        }
    }
    Ok(())
}

/// Where a broken record was refused when the contract let it through.
static REFUSED_BY_EMAIL_ONLY: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// How many broken records of each kind were checked (shrinking included).
static BROKEN_KINDS: Mutex<BTreeMap<&'static str, usize>> = Mutex::new(BTreeMap::new());

fn check_broken(
    template: &Template,
    record: &Map<String, Json>,
    path: &str,
    kind: &'static str,
) -> Result<(), TestCaseError> {
    *BROKEN_KINDS.lock().unwrap_or_else(|e| e.into_inner()).entry(kind).or_default() += 1;
    let standard = standard();
    let rendered = no_panic("Standard::render", || standard.render(&request(&template.id), record))?;
    let letter = match rendered {
        Err(e) if e.kind() == ErrorKind::Record && names_path(&e, path) => return Ok(()),
        Err(e) if e.kind() == ErrorKind::Record => {
            return Err(TestCaseError::fail(format!(
                "DEFECT: {kind} at `{path}` was refused without naming the field: {e:?}"
            )));
        }
        // Not a record error: the contract let the broken value through and something later
        // failed (or the record's other fields hit another defect first).
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "DEFECT: {kind} at `{path}` passed the field contract, then rendering failed: {e:?}"
            )));
        }
        Ok(letter) => letter,
    };
    // The contract let it through; the email may still refuse it, naming the field (today
    // `an(na)@example.pl` and other RFC 5322 specials before the `@`: only lettre refuses them).
    let email = no_panic("emit::email::message", || {
        message(&missive::emit::Outputs::new(standard), &letter, &Envelope::default())
    })?;
    match email {
        Err(e) if e.kind() == ErrorKind::Record && names_path(&e, path) => {
            let note = format!("{}: {kind} at `{path}`: {}", template.id, e);
            let mut notes = REFUSED_BY_EMAIL_ONLY.lock().unwrap_or_else(|e| e.into_inner());
            if !notes.iter().any(|n| n.split(": ").nth(1) == note.split(": ").nth(1)) {
                notes.push(note);
            }
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!(
            "DEFECT: {kind} at `{path}` passed the contract and the email refused it without naming the field: {e:?}"
        ))),
        Ok(_) => Err(TestCaseError::fail(format!(
            "DEFECT: an invalid record was accepted ({kind} at `{path}` = {})",
            value_at(record, path).map_or("(absent)".into(), Json::to_string)
        ))),
    }
}

/// Checks that the bundled fonts print every piece of [`PRINTABLE`] text, so that only
/// [`EXOTIC`] text makes a PDF fail.
fn printable_pool_prints() {
    let writer = writer();
    for piece in PRINTABLE {
        for bold in [false, true] {
            assert_eq!(writer.font(bold).missing(piece), None, "the font prints {piece:?} (bold: {bold})");
        }
    }
}

const PYTHON_STRICT: &str = r#"
import json, sys
from email import policy
from email.parser import BytesParser
out = []
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            msg = BytesParser(policy=policy.strict).parsebytes(f.read())
        header_defects = []
        for name, value in msg.items():
            header_defects += [f"{name}: {d}" for d in getattr(value, "defects", ())]
        to = msg["To"]
        parts, images = [], []
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_content_maintype() == "text":
                parts.append([part.get_content_type(), part.get_content()])
            else:
                images.append([part.get_content_type(), part["Content-ID"], len(part.get_content())])
        out.append({"file": path, "headers": list(msg.keys()), "images": images,
                    "to_names": [a.display_name for a in to.addresses],
                    "to_addresses": [a.addr_spec for a in to.addresses],
                    "subject": str(msg["Subject"]), "defects": [str(d) for d in msg.defects],
                    "header_defects": header_defects, "parts": parts})
    except Exception as e:
        out.append({"file": path, "error": f"{type(e).__name__}: {e}"})
json.dump(out, sys.stdout, ensure_ascii=False)
"#;

/// Parses every message with Python's strict policy in one run; the mismatches, described.
fn python_reads(expected: &[Expected]) -> Vec<String> {
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(PYTHON_STRICT)
        .args(expected.iter().map(|e| &e.file))
        .output()
        .expect("python3 runs (scripts/test.sh installs it)");
    assert!(output.status.success(), "the strict parser did not run: {}", String::from_utf8_lossy(&output.stderr));
    let parsed: Vec<Json> = serde_json::from_slice(&output.stdout).expect("JSON from the strict parser");
    assert_eq!(parsed.len(), expected.len(), "one answer per message");
    // The same problem in many messages is reported once, with the shortest record showing it.
    let mut grouped: BTreeMap<String, (usize, &Expected)> = BTreeMap::new();
    for (want, got) in expected.iter().zip(&parsed) {
        let mut wrong = Vec::new();
        if let Some(error) = got["error"].as_str() {
            wrong.push(format!("the strict parser refused it: {error}"));
        } else {
            let headers: Vec<&str> = got["headers"].as_array().into_iter().flatten().filter_map(Json::as_str).collect();
            if headers != want.headers {
                wrong.push(format!("headers {headers:?}, expected {:?}", want.headers));
            }
            // Found here and fixed: an empty record key gave `Message-ID: <hash.@domain>`; a
            // name of letters, digits, `-`, `_` and a dot (`J.K.`, `1.`) went out unquoted
            // (obsolete syntax), and `.` alone is not even that (Python's parser failed on it).
            for list in ["defects", "header_defects"] {
                if got[list].as_array().is_some_and(|d| !d.is_empty()) {
                    wrong.push(format!("{list}: {}", got[list]));
                }
            }
            // Python's phrase parser keeps the folding white space between two adjacent
            // encoded-words of a display name, which RFC 2047 (6.2) says a reader ignores, so
            // names are compared without their white space.
            let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let names: Vec<String> =
                got["to_names"].as_array().into_iter().flatten().map(|n| bare(n.as_str().unwrap_or(""))).collect();
            if names != [bare(&want.to_name)] {
                wrong.push(format!("To names {}, expected [{:?}]", got["to_names"], want.to_name));
            }
            if got["to_addresses"] != json!([want.to_address]) {
                wrong.push(format!("To addresses {}, expected [{:?}]", got["to_addresses"], want.to_address));
            }
            if got["subject"] != json!(want.subject) {
                wrong.push(format!("Subject {}, expected {:?}", got["subject"], want.subject));
            }
            let lf = |s: &str| s.replace("\r\n", "\n");
            let parts: Vec<(String, String)> = got["parts"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (p[0].as_str().unwrap_or("").to_string(), lf(p[1].as_str().unwrap_or("(not text)"))))
                .collect();
            let want_parts =
                vec![("text/plain".to_string(), lf(&want.text)), ("text/html".to_string(), lf(&want.html))];
            if parts != want_parts {
                wrong.push("the text or HTML part does not decode to the letter's".to_string());
            }
            // The bundled shell shows the logo: one image, the one the HTML names by `cid:`.
            let images = got["images"].as_array().map_or(0, Vec::len);
            let cid = &got["images"][0][1].as_str().unwrap_or("").trim_matches(['<', '>']).to_string();
            if images != 1 || !want.html.contains(&format!("src=\"cid:{cid}\"")) {
                wrong.push(format!("images {}, expected the logo the HTML shows", got["images"]));
            }
        }
        if !wrong.is_empty() {
            let (count, shortest) = grouped.entry(wrong.join("; ")).or_insert((0, want));
            *count += 1;
            if want.record.len() < shortest.record.len() {
                *shortest = want;
            }
        }
    }
    grouped
        .into_iter()
        .map(|(wrong, (count, want))| {
            format!(
                "DEFECT in {count} email(s): {wrong}\n  shortest: {} ({}), record:\n  {}",
                want.template,
                want.file.display(),
                want.record
            )
        })
        .collect()
}

#[test]
fn valid_records_render_email_and_print() {
    let standard = standard();
    assert!(!standard.templates().is_empty(), "the bundled standard has templates");
    printable_pool_prints();
    let dir = tempfile::tempdir().expect("temp dir");
    let expected: Mutex<Vec<Expected>> = Mutex::new(Vec::new());
    let seen = Mutex::new(Seen::default());
    let mut failures = Vec::new();
    for template in standard.templates() {
        let case = AtomicUsize::new(0);
        let strategy = any::<bool>().prop_flat_map(move |exotic| record(template, exotic));
        let result = runner(&format!("valid/{}", template.id)).run(&strategy, |record| {
            let n = case.fetch_add(1, Ordering::Relaxed);
            check_valid(template, &record, n, dir.path(), &expected, &seen)
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, record)) => {
                failures.push(format!("{}: {why}\n  minimal record:\n{}", template.id, pretty(&record)))
            }
            Err(TestError::Abort(why)) => failures.push(format!("{}: aborted: {why}", template.id)),
        }
    }
    let expected = expected.into_inner().unwrap_or_else(|e| e.into_inner());
    let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut window = seen.window_overflow.clone();
    window.sort_by_key(|(record, _)| record.len());
    eprintln!(
        "{} emails checked, {} PDFs printed, {} PDFs refused for a character the fonts lack, {} for an address too long for the window{}",
        expected.len(),
        seen.pdfs,
        seen.pdf_unprintable,
        window.len(),
        window.first().map(|(r, e)| format!(" (shortest: {e}: {r})")).unwrap_or_default()
    );
    assert!(!expected.is_empty(), "some valid records were rendered");
    failures.extend(python_reads(&expected));
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn broken_records_are_refused_naming_the_field() {
    let standard = standard();
    let mut failures = Vec::new();
    for template in standard.templates() {
        let strategy =
            (any::<bool>().prop_flat_map(move |exotic| record(template, exotic)), mutations(template), any::<Index>());
        let result = runner(&format!("broken/{}", template.id)).run(&strategy, |(mut record, mutation, at)| {
            let path = apply(&mut record, &mutation, at);
            check_broken(template, &record, &path, mutation.kind)
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, (mut record, mutation, at))) => {
                let path = apply(&mut record, &mutation, at);
                let mut out = format!(
                    "{}: {why}\n  broken field: `{path}` ({})\n  minimal record:\n",
                    template.id, mutation.kind
                );
                let _ = write!(out, "{}", pretty(&record));
                failures.push(out);
            }
            Err(TestError::Abort(why)) => failures.push(format!("{}: aborted: {why}", template.id)),
        }
    }
    let kinds = BROKEN_KINDS.lock().unwrap_or_else(|e| e.into_inner());
    eprintln!("broken records checked: {kinds:?}");
    let notes = REFUSED_BY_EMAIL_ONLY.lock().unwrap_or_else(|e| e.into_inner());
    if !notes.is_empty() {
        eprintln!("passed the field contract, refused only by the email:\n  {}", notes.join("\n  "));
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n\n"));
}
