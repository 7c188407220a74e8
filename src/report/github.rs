//! The GitHub Actions report: workflow commands (`::error`, `::warning`, `::notice`) that show
//! as annotations on the pull request, then a plain summary line.
//!
//! GitHub shows at most 10 annotations of each level per step and drops the rest silently, so
//! findings of one rule at one place (the same template line broken in seven fixtures) are one
//! annotation naming the letters, and a level with more than 10 such groups shows 9 and a tenth
//! that says how many more there are and where to read them: the Markdown table of every
//! finding ([`summary_table`]) that `check` appends to `$GITHUB_STEP_SUMMARY`.

use std::io::{self, Write};

use super::{Report, Summary, letter_of, sorted};
use crate::diagnostic::{Diagnostic, Severity};

/// The annotations of one level GitHub shows per step.
pub const SHOWN_PER_LEVEL: usize = 10;
/// Letters named in one annotation before "and N more".
const LETTERS_NAMED: usize = 5;

/// Writes one annotation per rule and place (capped per level), then the summary line.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let active: Vec<&Diagnostic> = sorted(report.diagnostics).into_iter().filter(|d| d.suppressed.is_none()).collect();
    let groups = grouped(&active);
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let of_level: Vec<&Group<'_>> = groups.iter().filter(|g| g.first.severity == severity).collect();
        let shown = if of_level.len() > SHOWN_PER_LEVEL { SHOWN_PER_LEVEL - 1 } else { of_level.len() };
        for group in &of_level[..shown] {
            writeln!(out, "{}", command(group.first, &group.letters))?;
        }
        let hidden = &of_level[shown..];
        if !hidden.is_empty() {
            let findings: usize = hidden.iter().map(|g| g.count).sum();
            let message = format!(
                "{} more {} ({findings} {}) not shown as annotations: GitHub shows {SHOWN_PER_LEVEL} per step. \
                 Every finding is in the job summary, or run `missive check`.",
                hidden.len(),
                if hidden.len() == 1 { "place" } else { "places" },
                if findings == 1 { "finding" } else { "findings" },
            );
            writeln!(out, "::{} title=missive: more findings::{}", annotation(severity), data(&message))?;
        }
    }
    writeln!(out, "{}", Summary::of(report.diagnostics).line(report.letters, report.not_rendered))
}

/// Findings of one rule at one place, and the letters they were found in.
struct Group<'a> {
    first: &'a Diagnostic,
    letters: Vec<String>,
    count: usize,
}

/// Groups sorted findings by level, rule, place, message and found text, keeping report order.
fn grouped<'a>(sorted: &[&'a Diagnostic]) -> Vec<Group<'a>> {
    let key = |d: &Diagnostic| {
        let place = d.location.as_ref().map(|l| (l.file.clone(), l.line, l.column, l.length));
        (d.severity, d.code.clone(), place, d.message.clone(), d.found.clone())
    };
    let mut out: Vec<Group<'a>> = Vec::new();
    let mut index = std::collections::BTreeMap::new();
    for d in sorted {
        let at = *index.entry(key(d)).or_insert_with(|| {
            out.push(Group { first: d, letters: Vec::new(), count: 0 });
            out.len() - 1
        });
        let group = &mut out[at];
        group.count += 1;
        if let Some(letter) = letter_of(d) {
            group.letters.push(letter);
        }
    }
    out
}

/// The Markdown table of every finding, grouped by rule and place, for `$GITHUB_STEP_SUMMARY`:
/// a heading, the closing line and one row per group (suppressed ones too, marked).
pub fn summary_table(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(report.diagnostics);
    writeln!(out, "### missive check\n\n{}\n", summary.line(report.letters, report.not_rendered))?;
    let all = sorted(report.diagnostics);
    if all.is_empty() {
        return Ok(());
    }
    writeln!(out, "| level | rule | place | letters | finding |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    let (active, suppressed): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        all.into_iter().partition(|d| d.suppressed.is_none());
    let rows =
        grouped(&active).into_iter().map(|g| (g, false)).chain(grouped(&suppressed).into_iter().map(|g| (g, true)));
    for (group, quiet) in rows {
        let d = group.first;
        let level = if quiet { format!("{} (suppressed)", d.severity) } else { d.severity.to_string() };
        let place = d.location.as_ref().map(|l| format!("{}:{}", cell(&l.file), l.line)).unwrap_or_default();
        let letters = match group.letters.as_slice() {
            [] => String::new(),
            [one] => cell(one),
            many => format!("{} letters", many.len()),
        };
        let mut finding = cell(&d.message);
        if let Some(found) = &d.found {
            finding.push_str(&format!(" — found: „{}”", cell(found)));
        }
        writeln!(out, "| {level} | {} | {place} | {letters} | {finding} |", cell(&d.code))?;
    }
    writeln!(out)
}

/// A table cell: one line, pipes and Markdown/HTML specials escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn annotation(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// `::error file=…,line=…,col=…,endColumn=…,title=code::message (letter: …)`, with found text,
/// suggestion and help on further lines of the message; `letters` are those the finding was
/// made in (one or more).
fn command(d: &Diagnostic, letters: &[String]) -> String {
    let name = annotation(d.severity);
    let mut properties = Vec::new();
    if let Some(location) = &d.location {
        properties.push(format!("file={}", property(&location.file)));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
        properties.push(format!("endColumn={}", location.column + location.length));
    }
    properties.push(format!("title={}", property(&d.code)));

    let mut message = d.message.clone();
    match letters {
        [] => {}
        [one] => message.push_str(&format!(" (letter: {one})")),
        many => {
            let named = many.iter().take(LETTERS_NAMED).cloned().collect::<Vec<_>>().join("; ");
            let more = many.len().saturating_sub(LETTERS_NAMED);
            let more = if more > 0 { format!("; and {more} more") } else { String::new() };
            message.push_str(&format!(" (in {} letters: {named}{more})", many.len()));
        }
    }
    // An annotation has one place; the partial and the include leading to it are lines of it.
    for related in &d.related {
        message.push_str(&format!("\n{}: {}", related.location, related.note));
    }
    if let Some(found) = &d.found {
        message.push_str(&format!("\nfound: „{found}”"));
    }
    if let Some(suggestion) = &d.suggestion {
        message.push_str(&format!("\nwrite instead: {suggestion}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{name} {}::{}", properties.join(","), data(&message))
}

/// Escapes a command's message: `%`, CR and LF.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], and `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;
    use crate::source::Location;

    #[test]
    fn writes_one_annotation_per_active_finding_errors_first() {
        let expected = "\
::error file=templates/invoice.tera,line=3,col=20,endColumn=37,title=courtesy.no-demands::The letter demands instead of asking (letter: invoice, pl, fixtures/invoice/basic.json)%0Afound: „prosimy o zapłatę”%0Awrite instead: uprzejmie prosimy o uregulowanie%0Ahelp: ask politely; see the courtesy pack
::warning title=record.unknown-field::`nip` is not a field of invoice (letter: invoice, pl, fixtures/invoice/basic.json)%0Ahelp: remove it or declare it in the front matter
1 error, 1 warning, 1 suppressed in 28 letters
";
        assert_eq!(fixture::render(Format::Github), expected);
    }

    #[test]
    fn one_annotation_per_rule_and_place_capped_at_what_github_shows() {
        let mut list = Vec::new();
        for line in 1..=12 {
            for origin in ["f/1.json", "f/2.json", "f/3.json", "f/4.json", "f/5.json", "f/6.json", "f/7.json"] {
                let mut d = Diagnostic::error("tone.no-shouting", "Shouting").at(Some(Location {
                    file: "templates/a.tera".into(),
                    line,
                    column: 1,
                    length: 3,
                }));
                d.template = Some("a".into());
                d.origin = Some(origin.into());
                list.push(d);
            }
        }
        list.push(Diagnostic::warning("fixtures.missing", "no fixtures"));
        let report = Report {
            diagnostics: &list,
            rules: &[],
            sources: &[],
            letters: 84,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let got = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines.iter().filter(|l| l.starts_with("::error ")).count(), SHOWN_PER_LEVEL, "{got}");
        assert!(
            lines[0].contains(
                "(in 7 letters: a, f/1.json; a, f/2.json; a, f/3.json; a, f/4.json; a, f/5.json; and 2 more)"
            ),
            "{got}"
        );
        assert_eq!(
            lines[9],
            "::error title=missive: more findings::3 more places (21 findings) not shown as annotations: GitHub shows \
             10 per step. Every finding is in the job summary, or run `missive check`."
        );
        assert_eq!(lines[10], "::warning title=fixtures.missing::no fixtures");
        assert_eq!(lines[11], "84 errors, 1 warning in 84 letters");

        let mut table = Vec::new();
        summary_table(&report, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        assert!(table.starts_with("### missive check\n\n84 errors, 1 warning in 84 letters\n\n| level |"), "{table}");
        assert_eq!(table.matches("| error | tone.no-shouting |").count(), 12, "{table}");
        assert!(table.contains("| templates/a.tera:1 | 7 letters | Shouting |"), "{table}");
    }

    #[test]
    fn table_cells_stay_one_cell() {
        assert_eq!(cell("a|b\nc `d` <e>"), "a\\|b c \\`d\\` \\<e\\>");
    }

    #[test]
    fn escapes_messages_and_properties() {
        let d = Diagnostic::new(Severity::Info, "limit.sentence-length", "50% longer: 30 words,\r\nmax 20")
            .at(Some(Location { file: "templates/a,b:c%.tera".into(), line: 1, column: 2, length: 3 }));
        assert_eq!(
            command(&d, &[]),
            "::notice file=templates/a%2Cb%3Ac%25.tera,line=1,col=2,endColumn=5,title=limit.sentence-length\
             ::50%25 longer: 30 words,%0D%0Amax 20"
        );
    }
}
