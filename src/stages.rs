//! A letter's stages one at a time, for `benches/stages.rs`: each method runs one stage of
//! [`Standard::render`] (and of the email after it) on inputs the earlier stages made once, so
//! a bench can time it alone. The same functions `render` calls, not copies. Not a stable
//! API: hidden from the documentation, free to change with the pipeline.

use serde_json::Value as Json;

use crate::emit::{Outputs, body, email};
use crate::error::{Error, ErrorKind, Result};
use crate::markup;
use crate::render::{Draft, Letter, Request};
use crate::standard::Standard;

/// One record, carried through every stage once, so that each can be run again alone.
pub struct Stages<'s> {
    standard: &'s Standard,
    outputs: &'s Outputs,
    request: Request<'s>,
    line: Vec<u8>,
    record: serde_json::Map<String, Json>,
    draft: Draft<'s>,
    fields: tera::Map,
    context: tera::Context,
    markdown: String,
    /// The body's HTML before the shell.
    body: String,
    letter: Letter,
}

impl<'s> Stages<'s> {
    /// Renders the record (a JSON object, as one line of a JSON Lines input) once through
    /// every stage, keeping what each stage hands the next. `request.trace` is ignored: a
    /// batch renders untraced.
    pub fn new(standard: &'s Standard, outputs: &'s Outputs, request: Request<'s>, line: &[u8]) -> Result<Self> {
        let record = parse_record(line)?;
        let request = Request { trace: false, ..request };
        let letter = standard.render(&request, &record)?;
        let mut warnings = Vec::new();
        let draft = standard.draft(&request, &record, &mut warnings)?;
        let fields = standard.fields_of(&draft, &request, &record, &mut warnings)?;
        let context = standard.context_of(&draft, &fields);
        let (markdown, _) = standard.words(&draft, &context)?;
        let body = markup::render(&markdown, standard.markup_options()).html;
        Ok(Stages {
            standard,
            outputs,
            request,
            line: line.to_vec(),
            record,
            draft,
            fields,
            context,
            markdown,
            body,
            letter,
        })
    }

    /// Reading the JSON line into a record (the batch reader's part).
    pub fn parse(&self) -> Result<usize> {
        parse_record(&self.line).map(|record| record.len())
    }

    /// Checking the record against the template's fields: its typed values.
    pub fn contract(&self) -> Result<usize> {
        let mut warnings = Vec::new();
        self.standard.fields_of(&self.draft, &self.request, &self.record, &mut warnings).map(|fields| fields.len())
    }

    /// The template's context from the typed values (`letter` and `sender` beside them).
    pub fn context(&self) -> usize {
        let context = self.standard.context_of(&self.draft, &self.fields);
        std::hint::black_box(&context);
        self.fields.len()
    }

    /// Tera (with `t()`, Fluent and the money and date filters): the Markdown body and subject.
    pub fn tera(&self) -> Result<usize> {
        let (markdown, subject) = self.standard.words(&self.draft, &self.context)?;
        Ok(markdown.len() + subject.len())
    }

    /// The Markdown body to plain text and HTML (one parse, two writers), as an email batch.
    pub fn markdown(&self) -> usize {
        let rendition = markup::render(&self.markdown, self.standard.markup_options());
        rendition.text.len() + rendition.html.len()
    }

    /// The body's HTML put into the email shell (and a copy of the body's HTML, which the shell
    /// takes).
    pub fn shell(&self) -> usize {
        let (html, verbatim) = self.standard.shell(&self.draft, &self.letter.subject, self.body.clone());
        html.len() + verbatim.len()
    }

    /// The standard's rules on the letter's words.
    pub fn rules(&self) -> usize {
        self.standard.findings_of(&self.draft, &self.letter.subject, &self.letter.text, &self.fields).len()
    }

    /// Both bodies encoded for the email (quoted-printable, the shell's lines copied), as the
    /// email writes them into its one buffer.
    pub fn encode(&self) -> usize {
        let parts =
            [body::Part::new(&self.letter.text, &[]), body::Part::new(&self.letter.html, &self.letter.verbatim)];
        let mut out = Vec::with_capacity(parts.iter().map(body::Part::size_hint).sum());
        parts.iter().for_each(|part| part.write(&mut out));
        out.len()
    }

    /// The whole email message from the letter: headers, both bodies, the logo part.
    pub fn email(&self) -> Result<usize> {
        email::message(self.outputs, &self.letter, &email::Envelope::default()).map(|bytes| bytes.len())
    }

    /// The whole letter, every stage above but parsing and the email: [`Standard::render`].
    pub fn letter(&self) -> Result<usize> {
        self.standard.render(&self.request, &self.record).map(|letter| letter.html.len())
    }
}

/// A JSON Lines record as the batch reads one.
fn parse_record(line: &[u8]) -> Result<serde_json::Map<String, Json>> {
    match crate::json::from_slice(line) {
        Ok(Json::Object(record)) => Ok(record),
        Ok(_) => Err(Error::new(ErrorKind::Record, "a record is a JSON object")),
        Err(e) => Err(Error::new(ErrorKind::Record, format!("not valid JSON: {e}"))),
    }
}

/// The words `../shared/peers/gen_records.py` draws its invoices from: the benches' billing run
/// and the tests that generate invoices use the same.
pub mod words {
    /// Women's first names.
    pub const FIRST_F: [&str; 8] = ["Anna", "Małgorzata", "Zofia", "Katarzyna", "Agnieszka", "Żaneta", "Łucja", "Ewa"];
    /// Men's first names.
    pub const FIRST_M: [&str; 8] = ["Jan", "Łukasz", "Paweł", "Grzegorz", "Michał", "Zdzisław", "Tomasz", "Bartłomiej"];
    /// Surnames.
    pub const LAST: [&str; 15] = [
        "Kowalska",
        "Wiśniewska",
        "Wójcik",
        "Kamińska",
        "Lewandowska",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
        "Jankowski",
        "Mazur",
        "Krawczyk",
        "Piątek",
        "Grabowski",
    ];
    /// Companies' names.
    pub const COMPANIES: [&str; 3] =
        ["Przedsiębiorstwo Handlowe „Łąka” Sp. z o.o.", "Zakład Usług Źródło S.A.", "Biuro Rachunkowe Ćma s.c."];
    /// What an invoice's lines are for.
    pub const ITEMS: [&str; 5] =
        ["Abonament internetowy", "Opłata za konto", "Usługa serwisowa", "Pakiet SMS", "Karta płatnicza"];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stages, run one by one, make the letter `render` makes: every fixture of every
    /// template, so a bench of a stage measures the work the batch does.
    #[test]
    fn the_stages_make_the_letter_render_makes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let standard = Standard::load(root).unwrap();
        let outputs = Outputs::new(&standard);
        let mut seen = 0;
        for template in std::fs::read_dir(root.join("fixtures")).unwrap() {
            let template = template.unwrap().path();
            let id = template.file_name().unwrap().to_str().unwrap().to_string();
            for fixture in std::fs::read_dir(&template).unwrap() {
                let path = fixture.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let request = Request {
                    template: &id,
                    today: Some(jiff::civil::date(2026, 11, 23)),
                    origin: "fixture",
                    ..Default::default()
                };
                let line = std::fs::read(&path).unwrap();
                let stages = Stages::new(&standard, &outputs, request, &line).unwrap();
                let letter = &stages.letter;
                assert_eq!(stages.markdown, letter.markdown, "{path:?}");
                let rendition = markup::render(&stages.markdown, standard.markup_options());
                assert_eq!(rendition.text, letter.text, "{path:?}");
                assert_eq!(rendition.html, stages.body, "{path:?}");
                let (html, verbatim) = standard.shell(&stages.draft, &letter.subject, rendition.html);
                assert_eq!((&html, verbatim.len()), (&letter.html, letter.verbatim.len()), "{path:?}");
                let codes =
                    |findings: &[crate::Diagnostic]| findings.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
                let findings = standard.findings_of(&stages.draft, &letter.subject, &letter.text, &stages.fields);
                assert_eq!(codes(&findings), codes(&letter.findings), "{path:?}");
                assert_eq!(stages.contract().unwrap(), stages.fields.len());
                assert_eq!(stages.parse().unwrap(), stages.record.len());
                assert!(stages.email().unwrap() > letter.html.len());
                seen += 1;
            }
        }
        assert!(seen >= 30, "only {seen} fixtures");
    }
}
