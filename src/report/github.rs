//! The GitHub Actions report: one workflow command (`::error`, `::warning`, `::notice`) per
//! finding, so findings show as annotations on the pull request, then a plain summary line.

use std::io::{self, Write};

use super::{Report, Summary, letter_of, sorted};
use crate::diagnostic::{Diagnostic, Severity};

/// Writes one annotation per finding that is not suppressed, then the summary line.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for d in sorted(report.diagnostics).into_iter().filter(|d| d.suppressed.is_none()) {
        writeln!(out, "{}", command(d))?;
    }
    writeln!(out, "{}", Summary::of(report.diagnostics).line(report.letters))
}

/// `::error file=…,line=…,col=…,endColumn=…,title=code::message (letter: …)`, with found text,
/// suggestion and help on further lines of the message.
fn command(d: &Diagnostic) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = &d.location {
        properties.push(format!("file={}", property(&location.file)));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
        properties.push(format!("endColumn={}", location.column + location.length));
    }
    properties.push(format!("title={}", property(&d.code)));

    let mut message = d.message.clone();
    if let Some(letter) = letter_of(d) {
        message.push_str(&format!(" (letter: {letter})"));
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
    fn writes_one_annotation_per_active_finding() {
        let expected = "\
::warning title=record.unknown-field::`nip` is not a field of invoice (letter: invoice, pl, fixtures/invoice/basic.json)%0Ahelp: remove it or declare it in the front matter
::error file=templates/invoice.tera,line=3,col=20,endColumn=37,title=courtesy.no-demands::The letter demands instead of asking (letter: invoice, pl, fixtures/invoice/basic.json)%0Afound: „prosimy o zapłatę”%0Awrite instead: uprzejmie prosimy o uregulowanie%0Ahelp: ask politely; see the courtesy pack
1 error, 1 warning, 1 suppressed in 28 letters
";
        assert_eq!(fixture::render(Format::Github), expected);
    }

    #[test]
    fn escapes_messages_and_properties() {
        let d = Diagnostic::new(Severity::Info, "limit.sentence-length", "50% longer: 30 words,\r\nmax 20")
            .at(Some(Location { file: "templates/a,b:c%.tera".into(), line: 1, column: 2, length: 3 }));
        assert_eq!(
            command(&d),
            "::notice file=templates/a%2Cb%3Ac%25.tera,line=1,col=2,endColumn=5,title=limit.sentence-length\
             ::50%25 longer: 30 words,%0D%0Amax 20"
        );
    }
}
