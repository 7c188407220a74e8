//! The human report: rustc-style findings with the quoted line and carets, then the manager's
//! diagnosis (findings by rule and by template) and a closing line.

use std::collections::BTreeSet;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use super::{Counts, Report, Summary, letter_of, sorted};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Location;

/// Writes the human report: active findings, suppressed ones under a heading, the tables, the
/// closing line.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(report.color);
    // Each rule's reason is shown once, under its first finding: repeated under every finding it
    // would bury the findings themselves.
    let mut explained = BTreeSet::new();
    let (active, suppressed): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        sorted(report.diagnostics).into_iter().partition(|d| d.suppressed.is_none());
    for (d, more) in grouped(&active) {
        finding(report, d, more, paint, &mut explained, out)?;
        writeln!(out)?;
    }
    if !suppressed.is_empty() {
        let heading = format!("Suppressed findings ({}), reported but never failing a letter:", suppressed.len());
        writeln!(out, "{}", paint.bold(&heading))?;
        writeln!(out)?;
        for (d, more) in grouped(&suppressed) {
            finding(report, d, more, paint, &mut explained, out)?;
            writeln!(out)?;
        }
    }
    let summary = Summary::of(report.diagnostics);
    if !summary.is_empty() {
        table(out, paint, "Findings by rule:", "rule", &summary.by_rule)?;
        writeln!(out)?;
        if !summary.by_template.is_empty() {
            table(out, paint, "Findings by template:", "template", &summary.by_template)?;
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", paint.bold(&summary.line(report.letters, report.not_rendered)))
}

/// The report `-q` asks for: only the findings that fail a letter, then the closing line.
pub(super) fn write_brief(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(report.color);
    let mut explained = BTreeSet::new();
    let failing: Vec<&Diagnostic> = sorted(report.diagnostics)
        .into_iter()
        .filter(|d| d.suppressed.is_none() && d.severity == Severity::Error)
        .collect();
    for (d, more) in grouped(&failing) {
        finding(report, d, more, paint, &mut explained, out)?;
        writeln!(out)?;
    }
    writeln!(out, "{}", paint.bold(&Summary::of(report.diagnostics).line(report.letters, report.not_rendered)))
}

/// Findings that differ only in the record they came from, shown once with a count: the same
/// broken message line found in seven fixtures is one thing to fix, not seven.
fn grouped<'a>(sorted: &[&'a Diagnostic]) -> Vec<(&'a Diagnostic, usize)> {
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.severity == b.severity
            && a.code == b.code
            && a.message == b.message
            && a.location == b.location
            && a.related == b.related
            && a.found == b.found
            && a.suggestion == b.suggestion
            && a.help == b.help
            && a.suppressed == b.suppressed
            && a.template == b.template
            && a.locale == b.locale
    };
    let mut out: Vec<(&Diagnostic, usize)> = Vec::new();
    for d in sorted {
        match out.last_mut() {
            Some((first, more)) if same(first, d) => *more += 1,
            _ => out.push((d, 0)),
        }
    }
    out
}

/// One finding: headline, place, quoted line with carets, notes; `more` letters had the same.
/// The rule's `why` is shown unless its code is in `explained` already (then added).
fn finding<'a>(
    report: &Report<'a>,
    d: &'a Diagnostic,
    more: usize,
    paint: Paint,
    explained: &mut BTreeSet<&'a str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let label = format!("{}[{}]", d.severity, d.code);
    writeln!(out, "{}: {}", paint.severity(d.severity, &label), paint.bold(&d.message))?;
    // The gutter is as wide as the longest line number; everything else hangs one column further in.
    let width = d
        .location
        .iter()
        .chain(d.related.iter().map(|r| &r.location))
        .map(|l| l.line.to_string().len())
        .max()
        .unwrap_or(1);
    let indent = " ".repeat(width + 1);
    if let Some(location) = &d.location {
        writeln!(out, "{indent}{} {location}", paint.gutter("-->"))?;
        quote(report, location, width, &|n| paint.severity(d.severity, &"^".repeat(n)), None, paint, out)?;
    }
    // Related places as rustc shows secondary files: `:::`, the line, dashes and the note.
    for related in &d.related {
        let location = &related.location;
        writeln!(out, "{indent}{} {location}", paint.gutter(":::"))?;
        if !quote(report, location, width, &|n| paint.gutter(&"-".repeat(n)), Some(&related.note), paint, out)? {
            writeln!(out, "{indent}{} {}", paint.gutter("="), related.note)?;
        }
    }
    let notes = [
        (
            "letter",
            letter_of(d).map(|l| match more {
                0 => l,
                1 => format!("{l}, and 1 more letter like it"),
                n => format!("{l}, and {n} more letters like it"),
            }),
        ),
        ("found", d.found.as_ref().map(|f| format!("„{f}”"))),
        ("write instead", d.suggestion.clone()),
        ("help", d.help.clone()),
        ("why", why(report, d).filter(|_| explained.insert(&d.code)).map(str::to_string)),
        ("suppressed", d.suppressed.clone()),
    ];
    for (name, text) in notes {
        if let Some(text) = text {
            writeln!(out, "{indent}{} {name}: {text}", paint.gutter("="))?;
        }
    }
    Ok(())
}

/// Quotes `location`'s line with `marks` (given how many) under its span and `note` after them; `false`
/// when the report does not have the file.
fn quote(
    report: &Report<'_>,
    location: &Location,
    width: usize,
    marks: &dyn Fn(usize) -> String,
    note: Option<&str>,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let Some(line) = report.source_line(&location.file, location.line) else { return Ok(false) };
    let indent = " ".repeat(width + 1);
    let shown = line.trim_end();
    writeln!(out, "{indent}{}", paint.gutter("|"))?;
    let number = paint.gutter(&format!("{:>width$} |", location.line));
    if shown.is_empty() {
        writeln!(out, "{number}")?;
    } else {
        writeln!(out, "{number} {shown}")?;
    }
    let (pad, count) = carets(line, location.column, location.length);
    let note = note.map(|n| format!(" {n}")).unwrap_or_default();
    writeln!(out, "{indent}{} {pad}{}{note}", paint.gutter("|"), marks(count))?;
    Ok(true)
}

/// Why the finding's rule matters: the finding's own reason, else the rule table's.
fn why<'a>(report: &Report<'a>, d: &'a Diagnostic) -> Option<&'a str> {
    d.why.as_deref().or_else(|| report.rules.iter().find(|r| r.id == d.code).and_then(|r| r.why.as_deref()))
}

/// What goes before the carets (spaces as wide as the characters before `column`, tabs kept as
/// tabs so the carets line up with the quoted line) and how many carets cover `length`
/// characters from there (at least one, clamped to the line).
fn carets(line: &str, column: usize, length: usize) -> (String, usize) {
    let start = column.max(1) - 1;
    let mut pad = String::new();
    let mut marks = 0;
    for (i, c) in line.chars().enumerate() {
        if i < start {
            if c == '\t' {
                pad.push('\t');
            } else {
                pad.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0)));
            }
        } else if i < start + length {
            marks += if c == '\t' { 1 } else { c.width().unwrap_or(0) };
        } else {
            break;
        }
    }
    (pad, marks.max(1))
}

/// A column of the count tables: its heading and how to read it.
type Column = (&'static str, fn(&Counts) -> usize);

/// The count tables' columns.
const COLUMNS: [Column; 4] =
    [("errors", |c| c.errors), ("warnings", |c| c.warnings), ("infos", |c| c.infos), ("suppressed", |c| c.suppressed)];

/// A table of counts, sorted by number of findings (most first), then by name.
fn table(
    out: &mut dyn Write,
    paint: Paint,
    title: &str,
    head: &str,
    rows: &std::collections::BTreeMap<String, Counts>,
) -> io::Result<()> {
    let mut rows: Vec<(&String, &Counts)> = rows.iter().collect();
    rows.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then_with(|| a.0.cmp(b.0)));
    let first = rows.iter().map(|(name, _)| text_width(name)).chain([text_width(head)]).max().unwrap_or(0);
    let widths: Vec<usize> = COLUMNS
        .iter()
        .map(|(name, get)| rows.iter().map(|(_, c)| get(c).to_string().len()).chain([name.len()]).max().unwrap_or(0))
        .collect();

    writeln!(out, "{}", paint.bold(title))?;
    let mut line = format!("  {}", pad_right(head, first));
    for ((name, _), width) in COLUMNS.iter().zip(&widths) {
        line.push_str(&format!("  {name:>width$}"));
    }
    writeln!(out, "{line}")?;
    for (name, counts) in rows {
        let mut line = format!("  {}", pad_right(name, first));
        for ((_, get), width) in COLUMNS.iter().zip(&widths) {
            line.push_str(&format!("  {:>width$}", get(counts)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// How many terminal columns `text` takes.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` followed by spaces up to `width` terminal columns.
fn pad_right(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text_width(text))))
}

/// Colouring through anstyle, or none: the decision (`--color`, `NO_COLOR`, a terminal) is the
/// command's, handed over in [`Report::color`].
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// `text` in `style` when colouring.
    fn paint(self, style: Style, text: &str) -> String {
        if self.0 { format!("{style}{text}{style:#}") } else { text.to_string() }
    }

    /// Bold red errors, yellow warnings, cyan infos.
    fn severity(self, severity: Severity, text: &str) -> String {
        let colour = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Cyan,
        };
        self.paint(Style::new().bold().fg_color(Some(colour.into())), text)
    }

    /// Bold.
    fn bold(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// The gutter's blue.
    fn gutter(self, text: &str) -> String {
        self.paint(Style::new().bold().fg_color(Some(AnsiColor::Blue.into())), text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;
    use crate::diagnostic::Related;
    use crate::source::SourceFile;

    #[test]
    fn renders_findings_suppressed_ones_and_the_diagnosis() {
        let expected = "\
warning[record.unknown-field]: `nip` is not a field of invoice
  = letter: invoice, pl, fixtures/invoice/basic.json
  = help: remove it or declare it in the front matter

error[courtesy.no-demands]: The letter demands instead of asking
  --> templates/invoice.tera:3:20
  |
3 | Zażółć gęślą jaźń, prosimy o zapłatę.
  |                    ^^^^^^^^^^^^^^^^^
  = letter: invoice, pl, fixtures/invoice/basic.json
  = found: „prosimy o zapłatę”
  = write instead: uprzejmie prosimy o uregulowanie
  = help: ask politely; see the courtesy pack
  = why: Customers pay sooner when asked than when told.

Suppressed findings (1), reported but never failing a letter:

warning[courtesy.missing-thanks]: The letter does not thank the customer
  --> templates/reminder.tera:2:1
  = letter: reminder, en, fixtures/reminder/late.json
  = suppressed: a final reminder thanks no one

Findings by rule:
  rule                     errors  warnings  infos  suppressed
  courtesy.missing-thanks       0         0      0           1
  courtesy.no-demands           1         0      0           0
  record.unknown-field          0         1      0           0

Findings by template:
  template  errors  warnings  infos  suppressed
  invoice        1         1      0           0
  reminder       0         0      0           1

1 error, 1 warning, 1 suppressed in 28 letters
";
        let got = fixture::render(Format::Text);
        assert_eq!(got, expected, "\n{got}");
        assert!(got.lines().all(|l| l == l.trim_end()), "trailing spaces");
    }

    #[test]
    fn carets_count_characters_and_keep_tabs() {
        // 19 characters (27 bytes) before `prosimy`: the carets start under it, not 8 columns later.
        assert_eq!(carets("Zażółć gęślą jaźń, prosimy o zapłatę.", 20, 7), (" ".repeat(19), 7));
        assert_eq!(carets("\tRazem:\t{{ total }}", 9, 11), ("\t      \t".to_string(), 11));
        // Past the end of the line: one caret just after it.
        assert_eq!(carets("ab", 5, 3), ("  ".to_string(), 1));
        // Wide characters take two columns.
        assert_eq!(carets("日本 x", 4, 1), ("     ".to_string(), 1));
    }

    #[test]
    fn colours_only_when_asked() {
        let diagnostics = [Diagnostic::error("a.b", "m")];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &[],
            sources: &[],
            letters: 1,
            not_rendered: 0,
            templates: &[],
            color: true,
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\x1b[1m\x1b[31merror[a.b]\x1b[0m: \x1b[1mm\x1b[0m\n"), "{text:?}");
        let report = Report { color: false, ..report };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains('\x1b'));
    }

    #[test]
    fn related_places_are_quoted_under_the_finding_with_their_notes() {
        let partial = SourceFile::new("templates/partials/thanks.tera", "{{ t(id=\"thanks\") }}\n");
        let ftl = SourceFile::new("locales/pl/common.ftl", "\n\n\n\n\n\n\n\n\n\nthanks = Z poważaniem.\n");
        let sources = [&partial, &ftl];
        let mut d = Diagnostic::error("courtesy.missing-thanks", "no thanks").at(Some(Location {
            file: ftl.name.to_string(),
            line: 11,
            column: 1,
            length: 6,
        }));
        d.related = vec![
            Related { location: partial.location(0..20), note: "prints `thanks`".into() },
            Related {
                location: Location { file: "templates/a.tera".into(), line: 3, column: 1, length: 4 },
                note: "includes `partials/thanks.tera`".into(),
            },
        ];
        let diagnostics = [d];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &[],
            sources: &sources,
            letters: 1,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected = "\
error[courtesy.missing-thanks]: no thanks
   --> locales/pl/common.ftl:11:1
   |
11 | thanks = Z poważaniem.
   | ^^^^^^
   ::: templates/partials/thanks.tera:1:1
   |
 1 | {{ t(id=\"thanks\") }}
   | -------------------- prints `thanks`
   ::: templates/a.tera:3:1
   = includes `partials/thanks.tera`
";
        assert!(text.starts_with(expected), "{text}");
    }

    #[test]
    fn each_rules_why_is_shown_once() {
        let mut first = Diagnostic::error("courtesy.no-demands", "demands").at(Some(Location {
            file: "a.tera".into(),
            line: 1,
            column: 1,
            length: 1,
        }));
        let mut second = first.clone();
        second.location = Some(Location { file: "b.tera".into(), line: 1, column: 1, length: 1 });
        first.why = Some("Customers pay sooner when asked.".into());
        second.why = first.why.clone();
        // A rule whose findings carry no reason of their own: the rule table's is shown.
        let third = Diagnostic::warning("courtesy.no-demands-2", "x");
        let mut rules = fixture::rules();
        rules[0].id = "courtesy.no-demands-2".into();
        rules[0].why = Some("From the table.".into());
        let diagnostics = [first, second, third.clone(), third];
        let report = Report {
            diagnostics: &diagnostics,
            rules: &rules,
            sources: &[],
            letters: 2,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("= why: Customers pay sooner when asked.").count(), 1, "{text}");
        assert_eq!(text.matches("= why: From the table.").count(), 1, "{text}");
        // Under the first finding of the rule, in report order.
        assert!(text.find("why: Customers").unwrap() < text.find("--> b.tera").unwrap(), "{text}");
    }

    #[test]
    fn no_findings_is_one_line() {
        let report = Report {
            diagnostics: &[],
            rules: &[],
            sources: &[],
            letters: 28,
            not_rendered: 0,
            templates: &[],
            color: false,
        };
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "no findings in 28 letters\n");
    }
}
