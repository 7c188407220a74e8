//! One letter: record + template + locale → subject, Markdown body, plain text and HTML.

use serde_json::Value as Json;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind, Result};
use crate::fields::{DateMap, MAX_ATTACHMENT_DESCRIPTION, parse_date, typed_map};
use crate::markup;
use crate::rules;
use crate::source::SourceFile;
use crate::standard::{Standard, Template};

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The template id.
    pub template: &'a str,
    /// The locale asked for (`--locale`); else the record's `locale`; else the default.
    pub locale: Option<&'a str>,
    /// The letter's date (`--today`); else the record's `_today`; else today in the standard's zone.
    pub today: Option<jiff::civil::Date>,
    /// Where the record came from, for messages (`fixtures/invoice/basic.json`, `stdin`).
    pub origin: &'a str,
    /// How the record writes money and decimals (`--decimal-comma`).
    pub numbers: crate::fields::Reading,
    /// The letter will be printed (as a PDF): read its body for the page in the
    /// same pass as the text and HTML. Implied when the template attaches its PDF to the email.
    pub print: bool,
    /// Trace findings to the message that printed their text (`missive check`, `test`,
    /// `render`, `serve`): the letter is rendered from the templates as written with every `t()` call
    /// listed, a little slower than the batch's folded copies. Untraced, findings point at the
    /// first source line holding their text.
    pub trace: bool,
}

/// A rendered letter, the same words in every rendition.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Letter {
    /// The template id.
    pub template: String,
    /// The locale it was written in (folder tag).
    pub locale: String,
    /// The record's key, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The letter's date.
    #[serde(serialize_with = "as_text")]
    pub date: jiff::civil::Date,
    /// The template's title (the PDF's subject line in its metadata).
    #[serde(skip)]
    pub title: String,
    /// Whether the template attaches the letter's own PDF to its email.
    #[serde(skip)]
    pub attach_pdf: bool,
    /// The subject line.
    pub subject: String,
    /// The body as Markdown, after templating.
    #[serde(skip)]
    pub markdown: String,
    /// The body read for the printed page, when the request said it will be printed.
    #[serde(skip)]
    #[cfg_attr(not(feature = "pdf"), allow(dead_code, reason = "the PDF output reads it"))]
    pub(crate) page: Option<markup::Page>,
    /// The plain-text rendition, wrapped at 72 columns.
    pub text: String,
    /// The HTML rendition, inside the email shell.
    pub html: String,
    /// Where the email shell's own whole lines sit in `html`, for encoders to copy once-encoded
    /// lines (checked against `html` before use, so an edited `html` is only slower).
    #[serde(skip)]
    pub(crate) verbatim: Vec<crate::template::shell::Verbatim>,
    /// Warnings met on the way (unknown fields, a locale fallback).
    pub warnings: Vec<Diagnostic>,
    /// What the standard's rules found in the letter.
    pub findings: Vec<Diagnostic>,
    /// Who the letter is for by email: display name and address, when the record gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// Files the record asks to attach, from the standard's attachments folder; those marked
    /// `embed` travel inside the letter's PDF too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The `List-Unsubscribe` header of a bulk letter's email (`<https://…>, <mailto:…>`).
    #[serde(skip)]
    pub unsubscribe: Option<String>,
}

/// A value by its `Display` form (the letter's date as `2026-11-23`).
fn as_text<S: serde::Serializer>(
    value: &impl std::fmt::Display,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// What every stage of one letter reads: the template, the language, the date and the key.
pub(crate) struct Draft<'s> {
    pub template: &'s Template,
    /// Index into the standard's locales.
    pub locale: usize,
    pub today: jiff::civil::Date,
    pub key: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// What templates see as `letter`: its locale, template, date and record key.
#[derive(serde::Serialize)]
struct LetterInfo<'a> {
    locale: &'a str,
    template: &'a str,
    today: DateMap<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
}

/// The addressee of the email channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recipient {
    /// Display name (may be empty).
    pub name: String,
    /// E-mail address.
    pub address: String,
    /// The field paths they came from, for messages about them.
    #[serde(skip)]
    pub paths: (String, String),
}

impl Letter {
    /// Whether a rule at error level is broken (and not suppressed by the template).
    pub fn fails(&self) -> bool {
        self.findings.iter().any(Diagnostic::fails)
    }
}

impl Standard {
    /// Renders one letter from a JSON record.
    ///
    /// The record is checked against the template's fields first: every problem is reported
    /// in one error of kind [`ErrorKind::Record`], and nothing is rendered.
    // Never inlined: one call a letter, and profiles (scripts/stage_costs.sh) see the stage.
    #[inline(never)]
    pub fn render(&self, request: &Request<'_>, record: &serde_json::Map<String, Json>) -> Result<Letter> {
        let mut warnings = Vec::new();
        let draft = self.draft(request, record, &mut warnings)?;
        let template = draft.template;
        let fields = self.fields_of(&draft, request, record, &mut warnings)?;
        let context = self.context_of(&draft, &fields);

        let engine = self.engine();
        let (markdown, subject, printed) = if request.trace {
            let (markdown, body) = engine.render_traced(&template.body_name, &context, draft.locale)?;
            let (subject, in_subject) = engine.render_traced(&template.subject_name, &context, draft.locale)?;
            (markdown, subject, Some((body, in_subject)))
        } else {
            let (markdown, subject) = self.words(&draft, &context)?;
            (markdown, subject, None)
        };
        let subject = plain_line(&subject);
        let rendition = if request.print || template.meta.attach_pdf {
            markup::render_printed(&markdown, self.markup_options())
        } else {
            markup::render(&markdown, self.markup_options())
        };
        let (html, verbatim) = self.shell(&draft, &subject, rendition.html);

        let mut findings = self.findings_of(&draft, &subject, &rendition.text, &fields);
        if !findings.is_empty() {
            let tracer = printed.as_ref().map(|(body, in_subject)| {
                rules::trace::Tracer::new(
                    rules::trace::Traced {
                        text: &rendition.text,
                        body,
                        subject: &subject,
                        subject_printed: in_subject,
                    },
                    rules::trace::Sources {
                        template: &template.file,
                        partials: self.partials(),
                        locales: self.locales(),
                        locale: draft.locale,
                    },
                )
            });
            let letter = (subject.as_str(), rendition.text.as_str());
            self.explain(template, draft.locale, request.origin, letter, tracer.as_ref(), &mut findings);
        }

        let text_of =
            |path: &str| rules::kinds::field::lookup(&fields, path).and_then(|v| v.as_str()).map(str::to_string);
        let recipient = text_of(&template.meta.to).map(|address| Recipient {
            name: text_of(&template.meta.to_name).unwrap_or_default(),
            address,
            paths: (template.meta.to_name.clone(), template.meta.to.clone()),
        });
        let key = draft.key;
        let unsubscribe = match &template.meta.unsubscribe {
            Some(unsubscribe) => Some(unsubscribe.header(|path| {
                if path == "key" {
                    return key.clone();
                }
                match rules::kinds::field::lookup(&fields, path)? {
                    v if v.as_str().is_some() => v.as_str().map(str::to_string),
                    v if v.is_number() || v.as_bool().is_some() => Some(v.to_string()),
                    _ => None,
                }
            })?),
            None => None,
        };

        Ok(Letter {
            template: template.id.clone(),
            locale: self.locales().get(draft.locale).tag.clone(),
            key,
            date: draft.today,
            title: template.meta.title.clone(),
            attach_pdf: template.meta.attach_pdf,
            subject,
            markdown,
            text: rendition.text,
            html,
            verbatim,
            page: rendition.page,
            warnings,
            findings,
            recipient,
            attachments: draft.attachments,
            unsubscribe,
        })
    }

    /// The first stage: the template, the language, the date, the key and the attachments.
    pub(crate) fn draft(
        &self,
        request: &Request<'_>,
        record: &serde_json::Map<String, Json>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Draft<'_>> {
        let template = self.template(request.template)?;
        let record_locale = match record.get("locale") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.as_str()),
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::Record,
                    format!("{}: `locale` must be a language tag string", request.origin),
                )
                .with_help("write e.g. \"locale\": \"pl-PL\""));
            }
        };
        let choice = self.locales().negotiate(request.locale.or(record_locale))?;
        warnings.extend(choice.warning);
        let today = match request.today {
            Some(d) => d,
            None => match record.get("_today").and_then(Json::as_str) {
                Some(s) => {
                    let date = parse_date(s).ok_or_else(|| {
                        Error::field(
                            "_today",
                            format!("`{s}` is not a date ({})", request.origin),
                            "write it as YYYY-MM-DD",
                        )
                    })?;
                    crate::fields::check_year(date).map_err(|why| {
                        Error::field("_today", format!("`{s}` {why} ({})", request.origin), "check the year")
                    })?;
                    date
                }
                None => crate::clock::today(&self.config().standard.time_zone)?,
            },
        };
        let attachments = attachments_of(record, request.origin)?;
        let key = match record.get("key") {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Ok(Draft { template, locale: choice.index, today, key, attachments })
    }

    /// The record checked against the template's fields: its typed values, or every problem.
    pub(crate) fn fields_of(
        &self,
        draft: &Draft<'_>,
        request: &Request<'_>,
        record: &serde_json::Map<String, Json>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<tera::Map> {
        let template = draft.template;
        template.contract.apply_as(record, warnings, request.numbers).map_err(|problems| {
            let n = problems.len();
            Error::new(
                ErrorKind::Record,
                format!(
                    "{}: the record does not fit template `{}` ({n} problem{})",
                    request.origin,
                    template.id,
                    if n == 1 { "" } else { "s" }
                ),
            )
            .with_help(format!("`missive fields {}` lists the fields, their types and examples", template.id))
            .with_problems(problems)
        })
    }

    /// What the template sees: the record's fields, `letter` and `sender`.
    pub(crate) fn context_of(&self, draft: &Draft<'_>, fields: &tera::Map) -> Context {
        let mut context = Context::new();
        for (name, value) in fields {
            if let Some(name) = name.as_str() {
                context.insert_value(name.to_string(), value.clone());
            }
        }
        let iso = draft.today.to_string();
        let letter_info = LetterInfo {
            locale: &self.locales().get(draft.locale).tag,
            template: &draft.template.id,
            today: DateMap::new(draft.today, &iso),
            key: draft.key.as_deref(),
        };
        context.insert_value("letter", typed_map(&letter_info));
        context.insert_value("sender", self.sender_value().clone());
        context
    }

    /// Tera's Markdown body and subject (untraced: the language's folded copies).
    pub(crate) fn words(&self, draft: &Draft<'_>, context: &Context) -> Result<(String, String)> {
        let engine = self.engine();
        let markdown = engine.render(&draft.template.body_name, context, draft.locale)?;
        Ok((markdown, engine.render(&draft.template.subject_name, context, draft.locale)?))
    }

    /// The body's HTML inside the email shell, with where the shell's own lines sit.
    pub(crate) fn shell(
        &self,
        draft: &Draft<'_>,
        subject: &str,
        html: String,
    ) -> (String, Vec<crate::template::shell::Verbatim>) {
        let preheader = crate::standard::preheader(self.locales().get(draft.locale), &draft.template.id);
        match self.engine().fill_shell(draft.locale, subject, preheader, &html) {
            Some(filled) => filled,
            None => (html, Vec::new()),
        }
    }

    /// What the standard's rules find in the letter's words (before tracing and suppressions).
    pub(crate) fn findings_of(
        &self,
        draft: &Draft<'_>,
        subject: &str,
        text: &str,
        fields: &tera::Map,
    ) -> Vec<Diagnostic> {
        let template = draft.template;
        let locale = self.locales().get(draft.locale);
        self.rules().check(&rules::Input {
            template: &template.id,
            kind: &template.meta.kind,
            locale: &locale.tag,
            subject,
            text,
            fields,
            formats: &locale.formats,
            sender: &self.config().sender.company,
            attachments: emailed_files(&draft.attachments, template.meta.attach_pdf),
        })
    }

    /// Points findings at the source that produced them (through `tracer` when the letter was
    /// traced) and applies the template's suppressions.
    fn explain(
        &self,
        template: &Template,
        locale: usize,
        origin: &str,
        (subject, text): (&str, &str),
        tracer: Option<&rules::trace::Tracer<'_>>,
        findings: &mut [Diagnostic],
    ) {
        let mut sources: Vec<&SourceFile> = self.locales().get(locale).bundle.files();
        sources.push(&template.file);
        sources.extend(self.partials());
        for finding in findings {
            finding.origin = Some(origin.to_string());
            let traced = tracer.and_then(|t| {
                t.trace(finding, &|tag: &str, folded: &str| self.rules().says(&finding.code, tag, folded))
            });
            // Untraced, or text no message printed: the first line holding the text found, or
            // for a region missing a phrase the region's first line (the template's own words).
            let (location, related) = match traced {
                Some((location, related)) => (Some(location), related),
                None => {
                    let region = finding.spot.as_ref().and_then(|spot| {
                        let words = if spot.subject { subject } else { text };
                        words.get(spot.range.clone())?.lines().find(|l| !l.trim().is_empty())
                    });
                    let found = finding.found.as_deref().or(region);
                    (found.and_then(|found| rules::trace::locate(found, &sources)), Vec::new())
                }
            };
            finding.related = related;
            finding.location =
                location.or_else(|| Some(template.file.location(template.body_offset..template.body_offset + 1)));
            if let Some(s) = template.suppressions.iter().find(|s| s.rule == finding.code) {
                finding.suppressed =
                    Some(if s.reason.is_empty() { "no reason given".into() } else { s.reason.clone() });
            }
        }
    }
}

/// A file a record attaches (its `attachments`), from the standard's attachments folder: a
/// plain name (`"regulamin.pdf"`), or an object that can also embed it in the printed PDF as a
/// PDF/A-3 associated file (`{"file": "FA_2026_11_0044.xml", "embed": true}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name inside the attachments folder.
    pub file: String,
    /// Carried inside the letter's PDF (an embedded, associated file) as well as by the email.
    pub embed: bool,
    /// What the file is, for a reader of the PDF (`/Desc`); embedded files only.
    pub description: Option<String>,
    /// How the file relates to the letter (`/AFRelationship`); embedded files only.
    pub relationship: Relationship,
}

/// How an embedded file relates to the letter, as PDF/A-3 names it (`/AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Relationship {
    /// The original content the letter was made from.
    Source,
    /// Data the letter's content (a table, a figure) is drawn from.
    Data,
    /// Another form of the letter's content: a structured e-invoice beside the printed one.
    #[default]
    Alternative,
    /// A supplement to the letter's content, such as a price list.
    Supplement,
    /// None of these, or not known.
    Unspecified,
}

impl Relationship {
    /// Every relationship, in the order messages list them.
    pub const ALL: [Relationship; 5] = [
        Relationship::Source,
        Relationship::Data,
        Relationship::Alternative,
        Relationship::Supplement,
        Relationship::Unspecified,
    ];

    /// Its name, as the record and the PDF write it.
    pub fn name(self) -> &'static str {
        match self {
            Relationship::Source => "Source",
            Relationship::Data => "Data",
            Relationship::Alternative => "Alternative",
            Relationship::Supplement => "Supplement",
            Relationship::Unspecified => "Unspecified",
        }
    }
}

impl Attachment {
    /// An attachment named by its file alone: emailed, not embedded.
    pub fn plain(file: impl Into<String>) -> Attachment {
        Attachment { file: file.into(), embed: false, description: None, relationship: Relationship::default() }
    }
}

/// A plain attachment as its name, as records write it; an embedded one as an object.
impl serde::Serialize for Attachment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        if !self.embed {
            return serializer.serialize_str(&self.file);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("file", &self.file)?;
        map.serialize_entry("embed", &true)?;
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        map.serialize_entry("relationship", self.relationship.name())?;
        map.end()
    }
}

/// How many files the email carries: every attachment and the letter's PDF when the template
/// attaches it, in which the embedded ones travel instead of beside it.
fn emailed_files(attachments: &[Attachment], attach_pdf: bool) -> usize {
    if attach_pdf { 1 + attachments.iter().filter(|a| !a.embed).count() } else { attachments.len() }
}

/// The keys an attachment object takes.
const ATTACHMENT_KEYS: [&str; 4] = ["file", "embed", "description", "relationship"];

/// The record's `attachments`: plain file names (no folders, no `..`), or objects naming one
/// with `file` and saying whether to embed it in the PDF, to look up in the standard's
/// attachments folder when the email or PDF is built. Each error names the record, the entry
/// and its key.
fn attachments_of(record: &serde_json::Map<String, Json>, origin: &str) -> Result<Vec<Attachment>> {
    let list = match record.get("attachments") {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Array(list)) => list,
        Some(_) => {
            return Err(Error::new(ErrorKind::Record, format!("{origin}: `attachments` must be a list of file names"))
                .with_help(
                    "write e.g. \"attachments\": [\"regulamin.pdf\"], or [{\"file\": \"FA_2026_11_0044.xml\", \"embed\": true}] to embed a file in the PDF",
                ));
        }
    };
    let mut out: Vec<Attachment> = Vec::with_capacity(list.len());
    for (i, value) in list.iter().enumerate() {
        let attachment = match value {
            Json::Object(entry) => attachment_object(entry, i, origin)?,
            _ => Attachment::plain(plain_name(value, &format!("attachments[{i}]"), origin)?),
        };
        if attachment.embed && out.iter().any(|a| a.embed && a.file == attachment.file) {
            return Err(attachment_error(
                origin,
                &format!("attachments[{i}].file"),
                format!("embeds `{}` a second time", attachment.file),
                "list each embedded file once: a PDF names its embedded files by their names",
            ));
        }
        out.push(attachment);
    }
    Ok(out)
}

/// One attachment written as an object, entry `i` of the list.
fn attachment_object(entry: &serde_json::Map<String, Json>, i: usize, origin: &str) -> Result<Attachment> {
    let at = |key: &str| format!("attachments[{i}].{key}");
    if let Some(key) = entry.keys().find(|k| !ATTACHMENT_KEYS.contains(&k.as_str())) {
        let closest = ATTACHMENT_KEYS
            .iter()
            .map(|k| (strsim::levenshtein(k, &key.to_lowercase()), *k))
            .filter(|(d, _)| *d <= 3)
            .min();
        let help = match closest {
            Some((_, k)) => format!("did you mean `{k}`? an attachment takes {}", ATTACHMENT_KEYS.join(", ")),
            None => format!("an attachment takes {}", ATTACHMENT_KEYS.join(", ")),
        };
        return Err(attachment_error(
            origin,
            &format!("attachments[{i}]"),
            format!("has an unknown key `{key}`"),
            help,
        ));
    }
    let file = match entry.get("file") {
        Some(value) => plain_name(value, &at("file"), origin)?,
        None => {
            return Err(attachment_error(
                origin,
                &at("file"),
                "is missing: the entry names no file".to_string(),
                "write e.g. {\"file\": \"FA_2026_11_0044.xml\", \"embed\": true}",
            ));
        }
    };
    let embed = match entry.get("embed") {
        None | Some(Json::Bool(false)) => false,
        Some(Json::Bool(true)) => true,
        Some(other) => {
            return Err(attachment_error(
                origin,
                &at("embed"),
                format!("{other} is not true or false"),
                "write \"embed\": true (without quotes) to carry the file inside the PDF, or leave it out",
            ));
        }
    };
    for key in ["description", "relationship"] {
        if !embed && entry.contains_key(key) {
            return Err(attachment_error(
                origin,
                &at(key),
                format!("is given, but `{file}` is not embedded"),
                format!("`{key}` describes a file embedded in the PDF: add \"embed\": true, or drop `{key}`"),
            ));
        }
    }
    let description = match entry.get("description") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) if s.trim().is_empty() => None,
        Some(Json::String(s)) if s.chars().any(char::is_control) || s.chars().count() > MAX_ATTACHMENT_DESCRIPTION => {
            return Err(attachment_error(
                origin,
                &at("description"),
                format!(
                    "is not one line of at most {MAX_ATTACHMENT_DESCRIPTION} characters without control characters"
                ),
                "write a short line a reader of the PDF sees beside the file, e.g. \"e-faktura KSeF (FA(2))\"",
            ));
        }
        Some(Json::String(s)) => Some(s.trim().to_string()),
        Some(other) => {
            return Err(attachment_error(
                origin,
                &at("description"),
                format!("{other} is not text"),
                "write a short line in quotes, e.g. \"e-faktura KSeF (FA(2))\"",
            ));
        }
    };
    let names: Vec<&str> = Relationship::ALL.iter().map(|r| r.name()).collect();
    let relationship = match entry.get("relationship") {
        None | Some(Json::Null) => Relationship::default(),
        Some(Json::String(s)) if names.contains(&s.as_str()) => {
            Relationship::ALL.into_iter().find(|r| r.name() == s).unwrap_or_default()
        }
        Some(other) => {
            let asked = other.as_str().unwrap_or_default().to_lowercase();
            let help = match Relationship::ALL.iter().find(|r| r.name().to_lowercase() == asked) {
                Some(r) => format!("write \"{}\", capitalised as PDF/A-3 names it", r.name()),
                None => format!(
                    "use one of {}; \"Alternative\" (the default) says the file is another form of the letter, as a structured e-invoice is",
                    names.join(", ")
                ),
            };
            return Err(attachment_error(
                origin,
                &at("relationship"),
                format!("{other} is not one of {}", names.join(", ")),
                help,
            ));
        }
    };
    Ok(Attachment { file, embed, description, relationship })
}

/// A plain file name (no folders, no `..`, not hidden, no control characters) at `path`.
fn plain_name(value: &Json, path: &str, origin: &str) -> Result<String> {
    let name = value.as_str().unwrap_or("");
    let plain = !name.is_empty()
        && !name.contains(['/', '\\', ':'])
        && name != ".."
        && !name.starts_with('.')
        && !name.chars().any(char::is_control);
    if plain {
        return Ok(name.to_string());
    }
    Err(Error::new(ErrorKind::Record, format!("{origin}: `{path}`: {value} is not a plain file name"))
        .with_help("name a file inside the attachments folder declared in missive.toml, without folders or `..`")
        .with_problems(vec![
            crate::error::FieldProblem::new(path, format!("{value} is not a plain file name"))
                .with_help("name a file inside the attachments folder, without folders or `..`"),
        ]))
}

/// A record error about `path` inside `attachments`, listed as a problem with its field.
fn attachment_error(origin: &str, path: &str, message: String, help: impl Into<String>) -> Error {
    let help = help.into();
    Error::new(ErrorKind::Record, format!("{origin}: `{path}`: {message}"))
        .with_help(help.clone())
        .with_problems(vec![crate::error::FieldProblem::new(path, message).with_help(help)])
}

/// The subject as one line of plain text: Markdown escapes removed, whitespace collapsed.
fn plain_line(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        let c = match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => chars.next().unwrap_or('\\'),
            c => c,
        };
        if c.is_whitespace() && c != '\u{a0}' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachments(list: Json) -> Result<Vec<Attachment>> {
        let record = serde_json::json!({ "attachments": list });
        attachments_of(record.as_object().unwrap(), "r.json")
    }

    #[test]
    fn attachments_are_names_or_objects_with_defaults() {
        let list = attachments(serde_json::json!([
            "regulamin.pdf",
            {"file": "FA.xml", "embed": true},
            {"file": "b.xml", "embed": true, "description": " e-faktura ", "relationship": "Data"},
            {"file": "c.txt", "embed": false},
        ]))
        .unwrap();
        assert_eq!(list[0], Attachment::plain("regulamin.pdf"));
        assert_eq!(
            (list[1].embed, list[1].relationship, list[1].description.as_deref()),
            (true, Relationship::Alternative, None)
        );
        assert_eq!((list[2].relationship, list[2].description.as_deref()), (Relationship::Data, Some("e-faktura")));
        assert_eq!(list[3], Attachment::plain("c.txt"));
        // Plain ones serialise as the names records write, embedded ones as objects.
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json[0], "regulamin.pdf");
        assert_eq!(json[1], serde_json::json!({"file": "FA.xml", "embed": true, "relationship": "Alternative"}));
        assert_eq!(json[3], "c.txt");
    }

    #[test]
    fn a_mistaken_attachment_names_its_entry_and_key() {
        let err = attachments(serde_json::json!(["a.txt", {"file": "a.txt", "embded": true}])).unwrap_err();
        assert!(err.to_string().contains("r.json: `attachments[1]`: has an unknown key `embded`"), "{err}");
        assert!(err.help_text().unwrap().contains("did you mean `embed`?"));
        assert_eq!(err.problems()[0].path, "attachments[1]");
        let err =
            attachments(serde_json::json!([{"file": "a.txt", "embed": true, "relationship": "Schema"}])).unwrap_err();
        assert_eq!(err.problems()[0].path, "attachments[0].relationship");
        assert!(err.to_string().contains("\"Schema\" is not one of Source, Data, Alternative"), "{err}");
        let err = attachments(serde_json::json!([{"file": "a.txt", "embed": true, "description": "x".repeat(201)}]))
            .unwrap_err();
        assert_eq!(err.problems()[0].path, "attachments[0].description");
        assert!(attachments(serde_json::json!([{"file": ".hidden", "embed": true}])).is_err());
        assert!(attachments(serde_json::json!([7])).unwrap_err().to_string().contains("`attachments[0]`: 7 is not"));
        // The same file emailed twice is allowed (as before); embedded twice it is not.
        assert!(attachments(serde_json::json!(["a.txt", "a.txt"])).is_ok());
        assert!(attachments(serde_json::json!(["a.txt", {"file": "a.txt", "embed": true}])).is_ok());
    }

    #[test]
    fn an_embedded_file_counts_once_the_pdf_carries_it() {
        let list = vec![Attachment { embed: true, ..Attachment::plain("FA.xml") }, Attachment::plain("a.txt")];
        assert_eq!(emailed_files(&list, false), 2, "both beside the text");
        assert_eq!(emailed_files(&list, true), 2, "the PDF (with FA.xml inside) and a.txt");
        assert_eq!(emailed_files(&list[..1], true), 1);
        assert_eq!(emailed_files(&[], false), 0);
    }

    #[test]
    fn subjects_become_one_plain_line() {
        assert_eq!(
            plain_line("  Faktura FV\\/2026 dla \\*Anny\\*\n od\u{a0}nas "),
            "Faktura FV/2026 dla *Anny* od\u{a0}nas"
        );
    }
}
