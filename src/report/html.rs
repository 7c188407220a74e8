//! The diagnosis as a page: `check --format html` (findings by rule × template as a heat map, by
//! severity and locale, review dates on a timeline, fixture coverage, every finding with its
//! source) and `batch --report` (rejects by reason and field, findings by rule, letters per
//! minute). One self-contained file: styles inline, no script, nothing fetched (a CSP says so),
//! every text escaped; colour is never the only signal, and it prints.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use super::{Counts, Report, Summary, letter_of, sorted};
use crate::batch::summary::{Summary as BatchSummary, Timeline};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::kinds::review;
use crate::snapshot::Coverage;

/// What the check's page shows beside the findings: the standard, its reviews, its fixtures.
#[derive(Clone, Copy)]
pub struct CheckPage<'a> {
    /// The standard's name, for the title.
    pub standard: &'a str,
    /// The day review dates are compared with.
    pub today: jiff::civil::Date,
    /// Days past `review_by` before an overdue review is an error.
    pub grace_days: u32,
    /// The standard's locales, in its order.
    pub locales: &'a [String],
    /// What is reviewed, by whom and by when.
    pub reviews: &'a [review::Item<'a>],
    /// What the fixtures render.
    pub coverage: Option<&'a Coverage>,
}

/// Writes the check's page: the findings of `report`, and `page`'s sections when given.
pub fn write(report: &Report<'_>, page: Option<&CheckPage<'_>>, out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(report.diagnostics);
    let title = match page {
        Some(p) => format!("Diagnosis of {}", p.standard),
        None => "Diagnosis".to_string(),
    };
    let mut h = String::with_capacity(16 * 1024);
    let mut nav = vec![("heatmap", "Rules × templates"), ("levels", "Severity and locale")];
    if page.is_some() {
        nav.extend([("reviews", "Reviews"), ("coverage", "Fixture coverage")]);
    }
    nav.push(("findings", "Findings"));
    open(&mut h, &title, &nav);
    let mut lead = summary.line(report.letters, report.not_rendered);
    if let Some(p) = page {
        lead = format!("{lead}, on {}; locales {}", p.today, p.locales.join(", "));
    }
    h.push_str(&format!("<p class=\"lead\">{}</p>\n", esc(&lead)));
    heatmap(&mut h, report);
    levels(&mut h, report, &summary);
    if let Some(p) = page {
        reviews(&mut h, p);
        coverage(&mut h, report, p);
    }
    findings(&mut h, report);
    close(&mut h, "missive check");
    out.write_all(h.as_bytes())
}

/// The page's head, styles and navigation, and the `<main>` opened.
fn open(h: &mut String, title: &str, nav: &[(&str, &str)]) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // No script at all, styles only from this page, nothing fetched from anywhere.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         img-src data:; base-uri 'none'; form-action 'none'\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta name=\"color-scheme\" content=\"light\">\n");
    h.push_str(&format!("<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n", esc(title)));
    h.push_str(&format!("<header>\n<h1>{}</h1>\n<nav aria-label=\"Sections\"><ul>\n", esc(title)));
    for (id, name) in nav {
        h.push_str(&format!("<li><a href=\"#{id}\">{}</a></li>\n", esc(name)));
    }
    h.push_str("</ul></nav>\n</header>\n<main>\n");
}

fn close(h: &mut String, by: &str) {
    h.push_str(&format!(
        "</main>\n<footer><p>Written by {}. The page fetches nothing and runs no script.</p></footer>\n</body>\n</html>\n",
        esc(by)
    ));
}

const STYLE: &str = r#":root { --ink: #1b1f24; --muted: #5b6470; --line: #d0d5dc; --error: #b3261e; --warn: #8a5a00; --ok: #1e6b34; --accent: #2c6db5; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
nav ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
a { color: var(--accent); }
.lead { font-size: 1.05rem; }
.muted, caption { color: var(--muted); }
caption { text-align: left; caption-side: top; padding: .2rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f3f5f8; }
td.n, th.n { text-align: right; }
.heat th[scope=col] { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; vertical-align: bottom; padding: .5rem .2rem; }
.heat td { text-align: center; min-width: 2.6rem; }
.h0 { color: #9aa3ad; }
.h1 { background: #e3eefa; }
.h2 { background: #bcd6f2; }
.h3 { background: #86b3e3; }
.h4 { background: #4d8bd0; color: #fff; }
.h5 { background: #1f5a9e; color: #fff; font-weight: 600; }
.legend span { display: inline-block; padding: 0 .5rem; border: 1px solid var(--line); margin-right: .2rem; }
.sev { white-space: nowrap; font-weight: 600; }
.sev.error { color: var(--error); }
.sev.warning { color: var(--warn); }
.sev.info, .sev.suppressed { color: var(--muted); }
tr.overdue td { color: var(--error); }
tr.overdue td.status { font-weight: 600; }
td.gap { color: var(--error); font-weight: 600; }
svg { display: block; max-width: 100%; height: auto; }
svg.bar { display: inline-block; vertical-align: middle; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .today { stroke: var(--accent); stroke-width: 2; stroke-dasharray: 4 3; }
svg .due { fill: var(--ok); }
svg .late { fill: var(--error); }
svg text.late { fill: var(--error); font-weight: 600; }
svg text.small { font-size: 11px; fill: var(--muted); }
svg .done { fill: var(--accent); }
svg .rejected { fill: url(#hatch); stroke: var(--error); stroke-width: .5; }
svg .bar-fill { fill: var(--accent); }
svg .bar-error { fill: var(--error); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
code, .src { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .9em; }
.findings td { font-size: .93rem; }
.findings .help { color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  * { -webkit-print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, footer { display: none; }
  h2 { break-after: avoid; }
  tr, svg, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Escapes text for HTML (content and attribute values alike). Control characters, which HTML
/// does not allow, are shown as their Unicode pictures (`␀`); other forbidden ones as `�`.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push('\u{240D}'),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' | '\u{FDD0}'..='\u{FDEF}' => out.push('\u{FFFD}'),
            c if (c as u32) & 0xFFFE == 0xFFFE => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The heat level (0–5) of `n` against the largest count `max`.
fn heat(n: usize, max: usize) -> usize {
    if n == 0 || max == 0 { 0 } else { (n * 5).div_ceil(max).clamp(1, 5) }
}

/// A horizontal bar `n` of `max` long, decoration beside a printed number.
fn bar(n: u64, max: u64, class: &str) -> String {
    let width = if max == 0 { 0 } else { (n * 160).div_ceil(max) };
    format!(
        "<svg class=\"bar\" width=\"160\" height=\"12\" viewBox=\"0 0 160 12\" aria-hidden=\"true\"><rect class=\"{class}\" width=\"{width}\" height=\"12\"/></svg>"
    )
}

/// The template a finding counts for: its letter's, or the template whose file it points at.
fn template_of(d: &Diagnostic) -> Option<&str> {
    d.template.as_deref().or_else(|| {
        let file = d.location.as_ref()?.file.as_str();
        let id = file.strip_prefix("templates/")?.strip_suffix(".tera")?;
        (!id.contains('/')).then_some(id)
    })
}

const NO_TEMPLATE: &str = "(no template)";

fn heatmap(h: &mut String, report: &Report<'_>) {
    h.push_str("<section id=\"heatmap\">\n<h2>Findings by rule and template</h2>\n");
    if report.diagnostics.is_empty() {
        h.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    let mut columns: Vec<String> = report.templates.to_vec();
    let mut extra = BTreeSet::new();
    let mut cells: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
    for d in report.diagnostics {
        let template = template_of(d).unwrap_or(NO_TEMPLATE);
        if !columns.iter().any(|c| c == template) {
            extra.insert(template.to_string());
        }
        *cells.entry((d.code.as_str(), template)).or_default() += 1;
        *rows.entry(d.code.as_str()).or_default() += 1;
    }
    let no_template = extra.remove(NO_TEMPLATE);
    columns.extend(extra);
    if no_template {
        columns.push(NO_TEMPLATE.to_string());
    }
    let mut order: Vec<(&str, usize)> = rows.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let max = cells.values().copied().max().unwrap_or(0);
    h.push_str("<p class=\"muted\">Findings of each rule (rows) in each template (columns), suppressed ones included; darker is more. A finding in a template's own file counts for that template.</p>\n");
    h.push_str("<div class=\"scroll\">\n<table class=\"heat\" id=\"heat\">\n");
    h.push_str("<caption>Findings per rule and template</caption>\n");
    h.push_str("<thead><tr><th scope=\"row\">rule \\ template</th>");
    for c in &columns {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    h.push_str("<th scope=\"col\">total</th></tr></thead>\n<tbody>\n");
    let mut column_totals = vec![0usize; columns.len()];
    for (code, total) in &order {
        h.push_str(&format!("<tr><th scope=\"row\"><code>{}</code></th>", esc(code)));
        for (i, c) in columns.iter().enumerate() {
            let n = cells.get(&(*code, c.as_str())).copied().unwrap_or(0);
            column_totals[i] += n;
            h.push_str(&format!("<td class=\"h{}\">{n}</td>", heat(n, max)));
        }
        h.push_str(&format!("<td class=\"n\"><strong>{total}</strong></td></tr>\n"));
    }
    h.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">total</th>");
    for n in &column_totals {
        h.push_str(&format!("<td class=\"n\"><strong>{n}</strong></td>"));
    }
    h.push_str(&format!(
        "<td class=\"n\"><strong>{}</strong></td></tr></tfoot>\n</table>\n</div>\n",
        report.diagnostics.len()
    ));
    h.push_str("<p class=\"legend muted\">Shading: <span class=\"h0\">0</span><span class=\"h1\">few</span><span class=\"h3\">more</span><span class=\"h5\">most</span> (relative to the largest cell, ");
    h.push_str(&format!("{max}).</p>\n</section>\n"));
}

fn levels(h: &mut String, report: &Report<'_>, summary: &Summary) {
    h.push_str("<section id=\"levels\">\n<h2>Findings by severity and by locale</h2>\n");
    let levels = [
        ("error", summary.errors, "bar-error"),
        ("warning", summary.warnings, "bar-fill"),
        ("info", summary.infos, "bar-fill"),
        ("suppressed", summary.suppressed, "bar-fill"),
    ];
    let max = levels.iter().map(|l| l.1).max().unwrap_or(0) as u64;
    h.push_str("<table id=\"by-severity\">\n<caption>By severity</caption>\n");
    h.push_str("<thead><tr><th scope=\"col\">severity</th><th scope=\"col\" class=\"n\">findings</th><th scope=\"col\"><span class=\"sr-only\">share</span></th></tr></thead>\n<tbody>\n");
    for (name, n, class) in levels {
        h.push_str(&format!(
            "<tr><th scope=\"row\"><span class=\"sev {name}\">{}</span></th><td class=\"n\">{n}</td><td>{}</td></tr>\n",
            severity_label(name),
            bar(n as u64, max, class)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    let mut by_locale: BTreeMap<&str, Counts> = BTreeMap::new();
    for d in report.diagnostics {
        by_locale.entry(d.locale.as_deref().unwrap_or("(no locale)")).or_default().add(d);
    }
    h.push_str("<p class=\"muted\">A suppressed finding counts only as suppressed. Findings about the standard itself, not a letter, have no locale.</p>\n");
    h.push_str("<table id=\"by-locale\">\n<caption>By the letter's locale</caption>\n");
    h.push_str("<thead><tr><th scope=\"col\">locale</th><th scope=\"col\" class=\"n\">errors</th><th scope=\"col\" class=\"n\">warnings</th><th scope=\"col\" class=\"n\">infos</th><th scope=\"col\" class=\"n\">suppressed</th><th scope=\"col\" class=\"n\">total</th></tr></thead>\n<tbody>\n");
    if by_locale.is_empty() {
        h.push_str("<tr><td colspan=\"6\">No findings.</td></tr>\n");
    }
    for (locale, c) in &by_locale {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\"><strong>{}</strong></td></tr>\n",
            esc(locale),
            c.errors,
            c.warnings,
            c.infos,
            c.suppressed,
            c.total()
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn severity_label(name: &str) -> &'static str {
    match name {
        "error" => "✖ error",
        "warning" => "▲ warning",
        "info" => "ℹ info",
        _ => "◌ suppressed",
    }
}

/// Days from `a` to `b` (negative when `b` is earlier).
fn days(a: jiff::civil::Date, b: jiff::civil::Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

fn reviews(h: &mut String, page: &CheckPage<'_>) {
    h.push_str("<section id=\"reviews\">\n<h2>Reviews</h2>\n");
    if page.reviews.is_empty() {
        h.push_str("<p>Nothing to review.</p>\n</section>\n");
        return;
    }
    let today = page.today;
    let first = page.reviews.iter().map(|r| r.review_by).chain([today]).min().unwrap_or(today);
    let last = page.reviews.iter().map(|r| r.review_by).chain([today]).max().unwrap_or(today);
    let span = days(first, last).max(1);
    let (left, right, top, row) = (340.0, 920.0, 34.0, 34.0);
    let x = |d: jiff::civil::Date| left + 20.0 + (right - left - 40.0) * days(first, d) as f64 / span as f64;
    let height = top + row * page.reviews.len() as f64 + 26.0;
    let overdue = page.reviews.iter().filter(|r| r.review_by < today).count();
    h.push_str(&format!(
        "<figure>\n<svg id=\"timeline\" role=\"img\" aria-labelledby=\"timeline-title\" width=\"960\" height=\"{height:.0}\" viewBox=\"0 0 960 {height:.0}\">\n<title id=\"timeline-title\">Review dates from {first} to {last}; today {today}; {overdue} overdue</title>\n"
    ));
    // Month ticks, or quarters or years on a long axis.
    let step = if span <= 150 {
        1
    } else if span <= 3 * 366 {
        3
    } else {
        12
    };
    let mut tick = jiff::civil::date(first.year(), first.month(), 1);
    while tick <= last {
        if tick >= first && (tick.month() - 1) % step == 0 {
            let tx = x(tick);
            h.push_str(&format!(
                "<line class=\"grid\" x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{:.0}\"/><text x=\"{tx:.1}\" y=\"14\" text-anchor=\"middle\" class=\"small\">{}-{:02}</text>\n",
                top - 10.0,
                height - 20.0,
                tick.year(),
                tick.month()
            ));
        }
        match tick.checked_add(jiff::Span::new().months(1)) {
            Ok(next) => tick = next,
            Err(_) => break,
        }
    }
    let tx = x(today);
    h.push_str(&format!(
        "<line class=\"today\" x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{:.0}\"/><text x=\"{tx:.1}\" y=\"{:.0}\" text-anchor=\"middle\">today {today}</text>\n",
        top - 10.0,
        height - 20.0,
        height - 6.0
    ));
    for (i, item) in page.reviews.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        let late = item.review_by < today;
        h.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\">{}</text><text x=\"0\" y=\"{:.1}\" class=\"small\">{}</text>\n",
            y - 2.0,
            esc(&item.what),
            y + 11.0,
            esc(item.owner)
        ));
        h.push_str(&format!("<line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{right}\" y2=\"{y:.1}\"/>\n"));
        let mx = x(item.review_by);
        if late {
            // A cross, not a dot, and the word: colour is not the only sign.
            h.push_str(&format!(
                "<path class=\"late\" d=\"M{:.1} {:.1} l4 -4 l3 3 l-4 4 l4 4 l-3 3 l-4 -4 l-4 4 l-3 -3 l4 -4 l-4 -4 l3 -3 z\"/><text class=\"late\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">overdue {}</text>\n",
                mx,
                y - 4.0,
                if mx > 760.0 { mx - 12.0 } else { mx + 12.0 },
                y + 4.0,
                if mx > 760.0 { "end" } else { "start" },
                item.review_by
            ));
        } else {
            h.push_str(&format!(
                "<circle class=\"due\" cx=\"{mx:.1}\" cy=\"{y:.1}\" r=\"6\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\" class=\"small\">{}</text>\n",
                if mx > 760.0 { mx - 10.0 } else { mx + 10.0 },
                y + 4.0,
                if mx > 760.0 { "end" } else { "start" },
                item.review_by
            ));
        }
    }
    h.push_str("</svg>\n<figcaption class=\"muted\">Each item's review date; a red cross marks an overdue review, the dashed line is today.</figcaption>\n</figure>\n");
    h.push_str("<table id=\"review-table\">\n<caption>Reviews, earliest first</caption>\n<thead><tr><th scope=\"col\">what</th><th scope=\"col\">owner</th><th scope=\"col\">review by</th><th scope=\"col\">status</th><th scope=\"col\">declared in</th></tr></thead>\n<tbody>\n");
    let mut items: Vec<&review::Item<'_>> = page.reviews.iter().collect();
    items.sort_by(|a, b| a.review_by.cmp(&b.review_by).then(a.what.cmp(&b.what)));
    for item in items {
        let left = days(today, item.review_by);
        let (class, status) = if left < 0 {
            let late = -left;
            let past_grace = late > i64::from(page.grace_days);
            (
                " class=\"overdue\"",
                format!(
                    "✖ overdue by {late} {}{}",
                    if late == 1 { "day" } else { "days" },
                    if past_grace {
                        format!(", past the {}-day grace: an error", page.grace_days)
                    } else {
                        String::new()
                    }
                ),
            )
        } else if left == 0 {
            ("", "due today".to_string())
        } else {
            ("", format!("due in {left} {}", if left == 1 { "day" } else { "days" }))
        };
        let file = item.at.as_ref().map(|l| format!("<span class=\"src\">{}</span>", esc(&l.to_string())));
        h.push_str(&format!(
            "<tr{class}><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"status\">{}</td><td>{}</td></tr>\n",
            esc(&item.what),
            esc(item.owner),
            item.review_by,
            esc(&status),
            file.unwrap_or_default()
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn coverage(h: &mut String, report: &Report<'_>, page: &CheckPage<'_>) {
    h.push_str("<section id=\"coverage\">\n<h2>Fixture coverage</h2>\n");
    let Some(c) = page.coverage else {
        h.push_str("<p>Not measured.</p>\n</section>\n");
        return;
    };
    let shown = |t: &str| report.templates.is_empty() || report.templates.iter().any(|id| id == t);
    let mut grid: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (template, locale, n) in &c.fixtures {
        if shown(template) {
            grid.entry(template).or_default().insert(locale, *n);
        }
    }
    h.push_str("<p class=\"muted\">How many fixtures render each template in each locale; “none”: no letter of it is checked in that language.</p>\n");
    h.push_str("<table id=\"coverage-table\">\n<caption>Fixtures per template and locale</caption>\n<thead><tr><th scope=\"col\">template</th>");
    for locale in page.locales {
        h.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", esc(locale)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (template, counts) in &grid {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(template)));
        for locale in page.locales {
            match counts.get(locale.as_str()).copied().unwrap_or(0) {
                0 => h.push_str("<td class=\"n gap\">✖ none</td>"),
                n => h.push_str(&format!("<td class=\"n\">{n}</td>")),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    let fields: Vec<&(String, String)> = c.fields_never_given.iter().filter(|(t, _)| shown(t)).collect();
    if fields.is_empty() {
        h.push_str("<p>Every declared field is given a value by some fixture.</p>\n");
    } else {
        h.push_str("<h3>Fields no fixture gives a value</h3>\n<ul id=\"fields-never-given\">\n");
        for (template, field) in fields {
            h.push_str(&format!("<li>{}: <code>{}</code></li>\n", esc(template), esc(field)));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn findings(h: &mut String, report: &Report<'_>) {
    h.push_str(&format!("<section id=\"findings\">\n<h2>Findings ({})</h2>\n", report.diagnostics.len()));
    if report.diagnostics.is_empty() {
        h.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    h.push_str("<div class=\"scroll\">\n<table class=\"findings\" id=\"findings-table\">\n<caption>Every finding, by file and line</caption>\n<thead><tr><th scope=\"col\">severity</th><th scope=\"col\">rule</th><th scope=\"col\">source</th><th scope=\"col\">letter</th><th scope=\"col\">message</th><th scope=\"col\">help</th></tr></thead>\n<tbody>\n");
    let handbook: BTreeMap<&str, &str> =
        report.rules.iter().filter_map(|r| Some((r.id.as_str(), r.help_uri.as_deref()?))).collect();
    for d in sorted(report.diagnostics) {
        let (class, label) = match (&d.suppressed, d.severity) {
            (Some(_), _) => ("suppressed", format!("◌ {} (suppressed)", d.severity)),
            (None, Severity::Error) => ("error", "✖ error".to_string()),
            (None, Severity::Warning) => ("warning", "▲ warning".to_string()),
            (None, Severity::Info) => ("info", "ℹ info".to_string()),
        };
        let source = d.location.as_ref().map_or_else(String::new, |l| esc(&l.to_string()));
        let mut message = esc(&d.message);
        if let Some(found) = &d.found {
            message.push_str(&format!("<br><span class=\"muted\">found:</span> „{}”", esc(found)));
        }
        if let Some(suggestion) = &d.suggestion {
            message.push_str(&format!("<br><span class=\"muted\">write instead:</span> {}", esc(suggestion)));
        }
        if let Some(reason) = &d.suppressed {
            message.push_str(&format!("<br><span class=\"muted\">suppressed:</span> {}", esc(reason)));
        }
        let mut help = d.help.as_deref().map(esc).unwrap_or_default();
        if let Some(uri) = handbook.get(d.code.as_str()) {
            // The address as text: the page links to nothing outside itself.
            help.push_str(&format!(
                "<br><span class=\"muted\">handbook:</span> <span class=\"src\">{}</span>",
                esc(uri)
            ));
        }
        h.push_str(&format!(
            "<tr><td><span class=\"sev {class}\">{}</span></td><td><code>{}</code></td><td class=\"src\">{source}</td><td>{}</td><td>{message}</td><td class=\"help\">{help}</td></tr>\n",
            esc(&label),
            esc(&d.code),
            esc(&letter_of(d).unwrap_or_default())
        ));
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

/// Writes a batch run's page: what it did, letters per minute over the run, rejects by reason
/// and by field, findings by rule.
pub fn write_batch(summary: &BatchSummary, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(16 * 1024);
    let title = format!("Batch {} → {}", summary.template, summary.destination);
    open(
        &mut h,
        &title,
        &[
            ("run", "The run"),
            ("per-minute", "Letters per minute"),
            ("reasons", "Rejects by reason"),
            ("fields", "Rejects by field"),
            ("rules", "Findings by rule"),
        ],
    );
    h.push_str("<section id=\"run\">\n<h2>The run</h2>\n");
    if let Some(stopped) = &summary.stopped {
        h.push_str(&format!(
            "<p class=\"sev error\">✖ Stopped before the end of the input: {}</p>\n<p>{}</p>\n",
            esc(&stopped.error),
            esc(&stopped.help)
        ));
    }
    h.push_str("<dl class=\"facts\" id=\"facts\">\n");
    let mut facts: Vec<(&str, String)> = vec![
        ("template", summary.template.clone()),
        ("input", summary.input.clone()),
        ("destination", summary.destination.clone()),
        ("read", summary.read.to_string()),
        ("done", summary.done.to_string()),
        ("rejected", summary.rejected.to_string()),
        ("skipped (done before)", summary.skipped.to_string()),
        ("in doubt", (summary.in_doubt.resent + summary.in_doubt.held).to_string()),
        ("deferred by the server", summary.deferred.count.to_string()),
        ("delivered despite errors", summary.violations.to_string()),
        ("time", format!("{:.1} s", summary.seconds)),
        ("rate", format!("{:.0} letters/s", summary.letters_per_second)),
    ];
    if let Some(rejects) = &summary.rejects {
        facts.push(("rejects report", rejects.clone()));
    }
    if let Some(journal) = &summary.journal {
        facts.push(("journal", journal.clone()));
    }
    for (name, value) in facts {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(name), esc(&value)));
    }
    h.push_str("</dl>\n</section>\n");
    per_minute(&mut h, &summary.timeline);
    counts(
        &mut h,
        "reasons",
        "Rejects by reason",
        "reason",
        "Each error of a rejected record, by field and message (the value itself left out)",
        &summary.reasons,
    );
    counts(
        &mut h,
        "fields",
        "Rejects by field",
        "field",
        "Errors of rejected records per field (“(record)”: about the record as a whole)",
        &summary.reject_fields,
    );
    counts(
        &mut h,
        "rules",
        "Findings by rule",
        "rule",
        "Rule findings over every letter rendered in this run",
        &summary.findings,
    );
    if !summary.warnings.is_empty() {
        counts(
            &mut h,
            "warnings",
            "Warnings by code",
            "code",
            "Warnings over every letter rendered in this run",
            &summary.warnings,
        );
    }
    close(&mut h, "missive batch");
    out.write_all(h.as_bytes())
}

fn counts(h: &mut String, id: &str, title: &str, what: &str, caption: &str, map: &BTreeMap<String, u64>) {
    h.push_str(&format!("<section id=\"{id}\">\n<h2>{}</h2>\n", esc(title)));
    if map.is_empty() {
        h.push_str("<p>None.</p>\n</section>\n");
        return;
    }
    let mut rows: Vec<(&String, &u64)> = map.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let max = rows.first().map_or(0, |r| *r.1);
    h.push_str(&format!(
        "<p class=\"muted\">{}</p>\n<table id=\"{id}-table\">\n<caption class=\"sr-only\">{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">count</th><th scope=\"col\"><span class=\"sr-only\">share</span></th></tr></thead>\n<tbody>\n",
        esc(caption),
        esc(title),
        esc(what)
    ));
    for (name, n) in rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{n}</td><td>{}</td></tr>\n",
            esc(name),
            bar(*n, max, "bar-fill")
        ));
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// `m:ss` from the start of the run.
fn clock(seconds: u64) -> String {
    if seconds >= 3600 {
        format!("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
    } else {
        format!("{}:{:02}", seconds / 60, seconds % 60)
    }
}

fn per_minute(h: &mut String, timeline: &Timeline) {
    h.push_str("<section id=\"per-minute\">\n<h2>Letters per minute</h2>\n");
    let width = timeline.bucket_seconds.max(1);
    let buckets = timeline.done.len().max(timeline.rejected.len());
    if buckets == 0 {
        h.push_str("<p>No letter was delivered or rejected.</p>\n</section>\n");
        return;
    }
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    let rate = |n: u64| n as f64 * 60.0 / width as f64;
    let peak = (0..buckets).map(|i| rate(at(&timeline.done, i) + at(&timeline.rejected, i))).fold(0.0, f64::max);
    let top = nice(peak);
    let (left, right, y0, plot) = (64.0, 940.0, 20.0, 220.0);
    let slot = (right - left) / buckets as f64;
    let gap = if slot > 4.0 { 1.0 } else { 0.0 };
    let y = |v: f64| y0 + plot - plot * v / top;
    h.push_str(&format!(
        "<figure>\n<svg id=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" width=\"960\" height=\"290\" viewBox=\"0 0 960 290\">\n<title id=\"chart-title\">Letters per minute over the run, in steps of {}; peak {:.0} per minute</title>\n",
        clock(width),
        peak
    ));
    h.push_str("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe9e7\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b3261e\" stroke-width=\"2\"/></pattern></defs>\n");
    for k in 0..=4 {
        let v = top * f64::from(k) / 4.0;
        h.push_str(&format!(
            "<line class=\"grid\" x1=\"{left}\" y1=\"{0:.1}\" x2=\"{right}\" y2=\"{0:.1}\"/><text x=\"{1}\" y=\"{2:.1}\" text-anchor=\"end\" class=\"small\">{3}</text>\n",
            y(v),
            left - 6.0,
            y(v) + 4.0,
            number(v)
        ));
    }
    for i in 0..buckets {
        let (done, rejected) = (rate(at(&timeline.done, i)), rate(at(&timeline.rejected, i)));
        let x = left + slot * i as f64 + gap / 2.0;
        let w = (slot - gap).max(0.5);
        if done > 0.0 {
            h.push_str(&format!(
                "<rect class=\"done\" x=\"{x:.2}\" y=\"{:.2}\" width=\"{w:.2}\" height=\"{:.2}\"/>",
                y(done),
                plot * done / top
            ));
        }
        if rejected > 0.0 {
            h.push_str(&format!(
                "<rect class=\"rejected\" x=\"{x:.2}\" y=\"{:.2}\" width=\"{w:.2}\" height=\"{:.2}\"/>",
                y(done + rejected),
                plot * rejected / top
            ));
        }
    }
    h.push('\n');
    let every = buckets.div_ceil(8);
    for i in (0..=buckets).filter(|i| i % every == 0 || *i == buckets) {
        let x = left + slot * i as f64;
        h.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"small\">{}</text>",
            y0 + plot + 16.0,
            clock(i as u64 * width)
        ));
    }
    h.push_str(&format!(
        "\n<line class=\"axis\" x1=\"{left}\" y1=\"{0}\" x2=\"{right}\" y2=\"{0}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{y0}\" x2=\"{left}\" y2=\"{0}\"/>\n",
        y0 + plot
    ));
    h.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"small\">time since the start (m:ss)</text>\n",
        (left + right) / 2.0,
        y0 + plot + 34.0
    ));
    h.push_str(&format!(
        "<text transform=\"rotate(-90)\" x=\"{}\" y=\"12\" text-anchor=\"middle\" class=\"small\">letters per minute</text>\n",
        -(y0 + plot / 2.0)
    ));
    h.push_str("<rect class=\"done\" x=\"700\" y=\"272\" width=\"12\" height=\"12\"/><text x=\"716\" y=\"282\">delivered</text><rect class=\"rejected\" x=\"800\" y=\"272\" width=\"12\" height=\"12\"/><text x=\"816\" y=\"282\">rejected (hatched)</text>\n");
    h.push_str("</svg>\n<figcaption class=\"muted\">Letters delivered (solid) and records rejected (hatched, stacked above) per minute, over the run (the last step may be only partly run).</figcaption>\n</figure>\n");
    h.push_str(&format!(
        "<details>\n<summary>The chart's numbers</summary>\n<table id=\"per-minute-table\">\n<caption>Per step of {}</caption>\n<thead><tr><th scope=\"col\">from</th><th scope=\"col\" class=\"n\">delivered</th><th scope=\"col\" class=\"n\">rejected</th><th scope=\"col\" class=\"n\">letters per minute</th></tr></thead>\n<tbody>\n",
        clock(width)
    ));
    for i in 0..buckets {
        let (done, rejected) = (at(&timeline.done, i), at(&timeline.rejected, i));
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{done}</td><td class=\"n\">{rejected}</td><td class=\"n\">{}</td></tr>\n",
            clock(i as u64 * width),
            number(rate(done))
        ));
    }
    h.push_str("</tbody>\n</table>\n</details>\n</section>\n");
}

/// The axis' top: 1, 2 or 5 times a power of ten, at least `peak`.
fn nice(peak: f64) -> f64 {
    if peak <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(peak.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|v| *v >= peak).unwrap_or(10.0 * power)
}

fn number(v: f64) -> String {
    if v >= 10.0 || v == v.round() { format!("{v:.0}") } else { format!("{v:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(esc("<b a=\"1\">&'x'</b>"), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;x&#39;&lt;/b&gt;");
        assert_eq!(esc("a\u{0}b\u{1b}c\u{7f}\u{85}\u{FFFE}"), "a\u{2400}b\u{241b}c\u{2421}\u{FFFD}\u{FFFD}");
        assert_eq!(esc("zażółć\tgęślą\n"), "zażółć\tgęślą\n");
    }

    #[test]
    fn heat_levels_rise_with_the_count() {
        assert_eq!((heat(0, 9), heat(1, 9), heat(5, 9), heat(9, 9), heat(1, 1)), (0, 1, 3, 5, 5));
    }

    #[test]
    fn the_findings_page_counts_rules_per_template_and_escapes() {
        let mut diagnostics = fixture::diagnostics();
        let mut hostile = Diagnostic::warning("x.<evil>", "<script>alert(1)</script> & \"quotes\"");
        hostile.origin = Some("fixtures/invoice/<img src=x>.json".into());
        diagnostics.push(hostile);
        let templates = ["invoice".to_string(), "reminder".to_string()];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &[],
            sources: &[],
            letters: 28,
            not_rendered: 0,
            templates: &templates,
            color: false,
        };
        let mut out = Vec::new();
        write(&report, None, &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("<tr><th scope=\"row\"><code>courtesy.no-demands</code></th><td class=\"h5\">1</td><td class=\"h0\">0</td><td class=\"h0\">0</td>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), "{page}");
        assert!(page.contains("fixtures/invoice/&lt;img src=x&gt;.json"));
        assert!(!page.contains("<script") && !page.contains("<img"), "{page}");
        assert!(page.contains("1 error, 2 warnings, 1 suppressed in 28 letters"));
    }

    #[test]
    fn the_chart_has_a_bar_per_step_and_its_table_the_rate_per_minute() {
        let mut summary = BatchSummary::default();
        summary.timeline.bucket_seconds = 30;
        summary.timeline.done = vec![600, 0, 300];
        summary.timeline.rejected = vec![6, 3, 0];
        let mut out = Vec::new();
        write_batch(&summary, &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        // Two steps delivered, two rejected, and each kind once more in the legend.
        assert_eq!(page.matches("<rect class=\"done\" x=").count(), 3, "{page}");
        assert_eq!(page.matches("<rect class=\"rejected\" x=").count(), 3, "{page}");
        assert!(page.contains(">2000</text>"), "the axis' top above the peak of 1212: {page}");
        let row = |from: &str, cells: &str| format!("<tr><th scope=\"row\">{from}</th>{cells}</tr>");
        let n = |v: u64| format!("<td class=\"n\">{v}</td>");
        assert!(page.contains(&row("0:30", &[n(0), n(3), n(0)].concat())), "{page}");
        assert!(page.contains(&row("1:00", &[n(300), n(0), n(600)].concat())), "{page}");
        assert!(page.contains("in steps of 0:30; peak 1212 per minute"), "{page}");
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!((nice(0.0), nice(7.0), nice(12.0), nice(250.0), nice(1000.0)), (1.0, 10.0, 20.0, 500.0, 1000.0));
    }
}
