//! A template file: TOML front matter between `+++` lines, then the body.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::source::{SourceFile, span};

/// What a template's front matter declares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateMeta {
    /// A readable title.
    pub title: String,
    /// The letter type rule packs select by (`invoice`, `complaint-reply`, …).
    pub kind: String,
    /// Where it goes: `email`, `letter` (PDF).
    #[serde(default)]
    pub channels: Vec<String>,
    /// The subject: a Fluent message id, or a template line such as
    /// `{{ t(id="invoice-subject", number=invoice.number) }}`.
    pub subject: String,
    /// Who answers for the template.
    pub owner: String,
    /// The template is reviewed by then.
    #[serde(deserialize_with = "crate::fields::toml_date")]
    pub review_by: jiff::civil::Date,
    /// What the letter is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The field holding the recipient's e-mail address, for the email channel.
    #[serde(default = "default_to")]
    pub to: String,
    /// The field holding the recipient's display name.
    #[serde(default = "default_to_name")]
    pub to_name: String,
    /// Attach the letter's own PDF (as printed, `emit::pdf::letter`) to its email.
    #[serde(default)]
    pub attach_pdf: bool,
    /// The personalisation fields, by path.
    #[serde(default)]
    pub fields: IndexMap<String, toml::Value>,
}

fn default_to() -> String {
    "customer.email".into()
}

fn default_to_name() -> String {
    "customer.name".into()
}

/// A template file split into its parts.
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// Where `front` starts in the file.
    pub front_offset: usize,
    /// The body after the closing `+++` line.
    pub body: &'a str,
    /// Where `body` starts in the file.
    pub body_offset: usize,
}

/// Splits a template file into front matter and body.
pub fn split(file: &SourceFile) -> Result<Split<'_>> {
    let text = &*file.text;
    let missing = || {
        Error::new(ErrorKind::Config, format!("{}: the template has no front matter", file.name))
            .with_span(file, span(0, text.find('\n').unwrap_or(text.len()).min(1)), "expected `+++` here")
            .with_help("start the file with a `+++` line, the TOML front matter (title, kind, subject, owner, review_by, [fields]), and another `+++` line")
    };
    let start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let after_open =
        text[start..].strip_prefix("+++\n").or_else(|| text[start..].strip_prefix("+++\r\n")).ok_or_else(missing)?;
    let front_offset = text.len() - after_open.len();
    let mut line_start = front_offset;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = line_start + line.len();
            return Ok(Split {
                front: &text[front_offset..line_start],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start += line.len();
    }
    Err(Error::new(ErrorKind::Config, format!("{}: the front matter is not closed", file.name))
        .with_span(file, span(start, 3), "opened here")
        .with_help("end the front matter with a line holding only `+++`"))
}

/// Parses front matter, pointing TOML errors at the template file.
pub fn parse(file: &SourceFile, split: &Split<'_>) -> Result<TemplateMeta> {
    toml::from_str(split.front).map_err(|e| Error::toml(file, split.front_offset, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let file = SourceFile::new("t.tera", "+++\ntitle = \"x\"\n+++\nHello\n");
        let s = split(&file).unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "Hello\n");
        assert_eq!(&file.text[s.body_offset..], "Hello\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_explained() {
        let err = split(&SourceFile::new("t.tera", "Hello")).err().unwrap();
        assert!(err.to_string().contains("no front matter"));
        let err = split(&SourceFile::new("t.tera", "+++\ntitle = 1\n")).err().unwrap();
        assert!(err.to_string().contains("not closed"));
    }

    #[test]
    fn toml_errors_point_at_the_template_line() {
        let file = SourceFile::new("t.tera", "+++\ntitle = \"x\"\nkind = \n+++\n");
        let s = split(&file).unwrap();
        let err = parse(&file, &s).err().unwrap();
        assert_eq!(err.location().map(|l| l.1), Some(3), "{err:?}");
    }
}
