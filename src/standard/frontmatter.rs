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
    /// For bulk mail rather than transactional letters: the `List-Unsubscribe` and
    /// `List-Unsubscribe-Post` headers (RFC 8058) of its email.
    #[serde(default)]
    pub unsubscribe: Option<Unsubscribe>,
    /// The personalisation fields, by path.
    #[serde(default)]
    pub fields: IndexMap<String, toml::Value>,
}

/// `[unsubscribe]` in a template's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    /// The one-click address (RFC 8058): an `https://` URL template (RFC 6570, level 1) whose
    /// `{customer.id}` is the record's field (or `{key}` its key), percent-encoded.
    pub url: String,
    /// An address to write to instead, `unsubscribe@example.pl` (written as a `mailto:`).
    #[serde(default)]
    pub mailto: Option<String>,
}

/// Characters a URL may hold as they are (RFC 3986's unreserved and reserved, but the comma
/// that separates List-Unsubscribe's addresses) and `%` of an escape already written.
fn url_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+;=%".contains(&b)
}

/// One piece of an unsubscribe URL template: text, or a `{field}` to fill in.
enum Piece<'a> {
    Text(&'a str),
    Field(&'a str),
}

/// The pieces of `url`, or why it is not a URL template.
fn pieces(url: &str) -> std::result::Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = url;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let end = rest.find('}').ok_or("a `{` is not closed by `}`")?;
                let name = &rest[1..end];
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
                    return Err(format!("`{{{name}}}` is not a field's path"));
                }
                out.push(Piece::Field(name));
                rest = &rest[end + 1..];
            }
            found => {
                let end = found.unwrap_or(rest.len());
                let text = &rest[..end];
                if let Some(c) = text.chars().find(|&c| !c.is_ascii() || !url_char(c as u8)) {
                    return Err(format!("{c:?} cannot stand in a URL as it is (percent-encode it)"));
                }
                out.push(Piece::Text(text));
                rest = &rest[end..];
            }
        }
    }
    Ok(out)
}

impl Unsubscribe {
    /// Why the settings cannot make the headers, naming the setting; `fields` are the
    /// template's declared field paths.
    pub fn check<'a>(&self, mut fields: impl Iterator<Item = &'a String>) -> std::result::Result<(), String> {
        if !self.url.starts_with("https://") {
            return Err(format!(
                "`[unsubscribe] url` is {:?}: one-click unsubscribing (RFC 8058) needs an https:// URL",
                self.url
            ));
        }
        let pieces = pieces(&self.url).map_err(|why| format!("`[unsubscribe] url`: {why}"))?;
        let names: Vec<&String> = fields.by_ref().collect();
        for piece in pieces {
            if let Piece::Field(name) = piece
                && name != "key"
                && !names.iter().any(|f| f.as_str() == name)
            {
                return Err(format!(
                    "`[unsubscribe] url` uses `{{{name}}}`, which is not one of the template's fields"
                ));
            }
        }
        if let Some(mailto) = &self.mailto {
            let address = mailto.strip_prefix("mailto:").unwrap_or(mailto);
            if !address.contains('@') || !address.bytes().all(url_char) {
                return Err(format!(
                    "`[unsubscribe] mailto` is {mailto:?}, which is not an ASCII e-mail address (e.g. \"unsubscribe@example.pl\")"
                ));
            }
        }
        Ok(())
    }

    /// The `List-Unsubscribe` header's value for one letter: `<https://…>, <mailto:…>`, each
    /// `{field}` replaced by `value(field)` percent-encoded.
    pub fn header(&self, value: impl Fn(&str) -> Option<String>) -> Result<String> {
        let mut url = String::with_capacity(self.url.len() + 32);
        for piece in pieces(&self.url).map_err(|why| Error::new(ErrorKind::Config, why))? {
            match piece {
                Piece::Text(text) => url.push_str(text),
                Piece::Field(name) => {
                    let text = value(name).ok_or_else(|| {
                        Error::field(
                            name,
                            "is needed for the letter's unsubscribe link (`[unsubscribe] url`) and the record does not give it",
                            format!("give `{name}` in every record of this template, or drop it from the URL"),
                        )
                    })?;
                    for b in text.bytes() {
                        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                            url.push(b as char);
                        } else {
                            url.push_str(&format!("%{b:02X}"));
                        }
                    }
                }
            }
        }
        let mut header = format!("<{url}>");
        if let Some(mailto) = &self.mailto {
            header.push_str(&format!(", <mailto:{}>", mailto.strip_prefix("mailto:").unwrap_or(mailto)));
        }
        // RFC 5322 lines end by 998 characters; the header is not folded inside a URL.
        if "List-Unsubscribe: ".len() + header.len() > 998 {
            return Err(Error::new(
                ErrorKind::Record,
                format!(
                    "the unsubscribe link is {} characters long, more than an email header's line holds",
                    url.len()
                ),
            )
            .with_help("shorten the record's values in `[unsubscribe] url`, or the URL itself"));
        }
        Ok(header)
    }
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
    fn unsubscribe_urls_are_checked_and_filled_in_percent_encoded() {
        let fields = ["customer.id".to_string()];
        let ok = Unsubscribe { url: "https://bank.example.pl/u?c={customer.id}&k={key}".into(), mailto: None };
        assert_eq!(ok.check(fields.iter()), Ok(()));
        let value = |name: &str| Some(if name == "key" { "K 1".into() } else { "a&b=c;d,\r\n<é>".into() });
        assert_eq!(
            ok.header(value).unwrap(),
            "<https://bank.example.pl/u?c=a%26b%3Dc%3Bd%2C%0D%0A%3C%C3%A9%3E&k=K%201>"
        );
        let mailto = Unsubscribe { mailto: Some("wypisz@example.pl".into()), ..ok.clone() };
        assert!(mailto.header(value).unwrap().ends_with(">, <mailto:wypisz@example.pl>"));
        for (url, why) in [
            ("http://bank.example.pl/u", "https://"),
            ("https://bank.example.pl/u?c={customer.name}", "not one of the template's fields"),
            ("https://bank.example.pl/u?c={customer.id", "not closed"),
            ("https://bank.example.pl/u, <x>", "cannot stand in a URL"),
        ] {
            let bad = Unsubscribe { url: url.into(), mailto: None };
            let err = bad.check(fields.iter()).unwrap_err();
            assert!(err.contains("`[unsubscribe] url`") && err.contains(why), "{url}: {err}");
        }
        let bad = Unsubscribe { mailto: Some("a b@c>".into()), ..ok.clone() };
        assert!(bad.check(fields.iter()).unwrap_err().contains("`[unsubscribe] mailto`"));
        let err = ok.header(|_| None).unwrap_err().to_string();
        assert!(err.contains("customer.id"), "{err}");
    }

    #[test]
    fn toml_errors_point_at_the_template_line() {
        let file = SourceFile::new("t.tera", "+++\ntitle = \"x\"\nkind = \n+++\n");
        let s = split(&file).unwrap();
        let err = parse(&file, &s).err().unwrap();
        assert_eq!(err.location().map(|l| l.1), Some(3), "{err:?}");
    }
}
