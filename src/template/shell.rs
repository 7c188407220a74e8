//! The email shell (`templates/layouts/email.mjml`, compiled by `mjml`, or a hand-written
//! `email.html`), rendered once per language at load and then filled per letter by plain
//! concatenation: only the subject, the preheader and the body change.

use std::sync::{Arc, OnceLock};

use tera::{Context, Tera, Value};

/// Placeholders no shell writes by itself. Plain ASCII, since MJML escapes other characters
/// in attributes (the subject is also the `aria-label` of an MJML email).
const MARK: &str = "x-missive-placeholder-";
const SUBJECT: &str = "x-missive-placeholder-subject";
pub(crate) const BODY: &str = "x-missive-placeholder-body";
const PREHEADER: &str = "x-missive-placeholder-preheader";

#[derive(Debug)]
enum Piece {
    /// The shell's own HTML, and the whole lines within it (from `.0` bytes in).
    Text(String, Option<(usize, Arc<Lines>)>),
    Subject,
    Preheader,
    Body,
}

/// Whole lines of the shell's own HTML (from just after a line end to just after a line end),
/// which every letter carries as they are: an encoder that works line by line encodes them once
/// and copies the result into each letter (`emit::body` does, for quoted-printable).
#[derive(Debug)]
pub struct Lines {
    /// The lines, each with its line end.
    pub text: Box<str>,
    /// Their encoded form, made by the first letter that needs it.
    pub encoded: OnceLock<Box<[u8]>>,
}

/// Where a shell's [`Lines`] sit in one letter's HTML: `html[at..]` starts with them.
#[derive(Debug, Clone)]
pub struct Verbatim {
    /// Byte offset in the letter's HTML.
    pub at: usize,
    /// The lines.
    pub lines: Arc<Lines>,
}

/// A shell for one language, split around its subject and body.
#[derive(Debug)]
pub struct Shell {
    pieces: Vec<Piece>,
    /// About the length of a letter's HTML less its body, to allocate once.
    len: usize,
}

impl Shell {
    /// Renders the shell's template with placeholders for the subject, preheader and body.
    pub fn render(tera: &Tera, name: &str, lang: &str, sender: &Value, logo: &Value) -> Result<String, tera::Error> {
        let mut context = Context::new();
        context.insert_value("lang", Value::from(lang));
        context.insert_value("sender", sender.clone());
        context.insert_value("logo", logo.clone());
        context.insert_value("subject", Value::safe_string(SUBJECT));
        context.insert_value("preheader", Value::safe_string(PREHEADER));
        context.insert_value("body", Value::safe_string(BODY));
        tera.render(name, &context)
    }

    /// Splits a shell's finished HTML around its placeholders. `Err` says why the shell cannot
    /// be pre-rendered (it transforms the subject or body instead of printing them).
    pub fn split(rendered: &str) -> Result<Shell, tera::Error> {
        let mut pieces = Vec::new();
        let mut rest = rendered;
        while let Some((at, piece, len)) = next_placeholder(rest) {
            if at > 0 {
                pieces.push(text_piece(&rest[..at]));
            }
            pieces.push(piece);
            rest = &rest[at + len..];
        }
        if !rest.is_empty() {
            pieces.push(text_piece(rest));
        }
        if rendered.to_ascii_lowercase().contains(MARK) && !pieces.iter().any(|p| matches!(p, Piece::Body)) {
            return Err(tera::Error::message("the email shell must print `{{ body }}` as it is, without filters"));
        }
        if !pieces.iter().any(|p| matches!(p, Piece::Body)) {
            return Err(tera::Error::message("the email shell never prints `{{ body }}`: the letter would be lost"));
        }
        let len = pieces.iter().map(|p| if let Piece::Text(t, _) = p { t.len() } else { 256 }).sum();
        Ok(Shell { pieces, len })
    }

    /// The words the shell itself shows around every letter (header, footer), tags removed:
    /// what rules check once per language instead of once per letter.
    pub fn visible_text(&self) -> String {
        let mut html = String::new();
        for piece in &self.pieces {
            if let Piece::Text(t, _) = piece {
                html.push_str(t);
                html.push('\n');
            }
        }
        // Skip what is never shown: the head (title, meta) and tags.
        if let (Some(start), Some(end)) = (html.find("<head"), html.find("</head>"))
            && start < end
        {
            html.replace_range(start..end + "</head>".len(), "");
        }
        crate::markup::visible_text(&html)
    }

    /// The finished HTML document for a letter, and where the shell's whole lines sit in it;
    /// `preheader` is plain text (escaped here).
    pub fn fill(&self, subject: &str, preheader: &str, body: &str) -> (String, Vec<Verbatim>) {
        let mut out = String::with_capacity(body.len() + self.len);
        let mut verbatim = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Text(t, lines) => {
                    if let Some((offset, lines)) = lines {
                        verbatim.push(Verbatim { at: out.len() + offset, lines: Arc::clone(lines) });
                    }
                    out.push_str(t);
                }
                Piece::Subject => crate::markup::html::escape_attr(&mut out, subject),
                Piece::Preheader => crate::markup::html::escape_attr(&mut out, preheader),
                Piece::Body => out.push_str(body),
            }
        }
        (out, verbatim)
    }
}

/// A piece of the shell's own HTML, with its whole lines when it holds any.
fn text_piece(text: &str) -> Piece {
    let lines = text.find('\n').and_then(|first| {
        let (start, end) = (first + 1, text.rfind('\n')? + 1);
        (start < end).then(|| (start, Arc::new(Lines { text: text[start..end].into(), encoded: OnceLock::new() })))
    });
    Piece::Text(text.to_string(), lines)
}

fn next_placeholder(s: &str) -> Option<(usize, Piece, usize)> {
    let subject = s.find(SUBJECT).map(|i| (i, Piece::Subject, SUBJECT.len()));
    let preheader = s.find(PREHEADER).map(|i| (i, Piece::Preheader, PREHEADER.len()));
    let body = s.find(BODY).map(|i| (i, Piece::Body, BODY.len()));
    [subject, preheader, body].into_iter().flatten().min_by_key(|p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(src: &str) -> Result<Shell, tera::Error> {
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.add_raw_template("s.html", src)?;
        Shell::split(&Shell::render(&tera, "s.html", "pl", &Value::from(tera::Map::default()), &Value::from(false))?)
    }

    #[test]
    fn fills_subject_escaped_and_body_as_is() {
        let s =
            shell("<html lang=\"{{ lang }}\"><title>{{ subject }}</title><div>{{ preheader }}</div>{{ body }}</html>")
                .unwrap();
        assert_eq!(
            s.fill("A <b> & B", "Pay <now>", "<p>x</p>").0,
            "<html lang=\"pl\"><title>A &lt;b&gt; &amp; B</title><div>Pay &lt;now&gt;</div><p>x</p></html>"
        );
    }

    #[test]
    fn whole_lines_of_the_shell_are_placed_where_the_letter_holds_them() {
        let s =
            shell("<html>\n<head>\n<title>{{ subject }}</title>\n</head>\n<body>{{ body }}\n<p>a</p>\n<p>b</p></body>")
                .unwrap();
        let (html, verbatim) = s.fill("S", "", "<p>x</p>\n<p>y</p>");
        let placed: Vec<_> =
            verbatim.iter().map(|v| (&html[v.at..v.at + v.lines.text.len()], &*v.lines.text)).collect();
        assert_eq!(placed, [("<head>\n", "<head>\n"), ("</head>\n", "</head>\n"), ("<p>a</p>\n", "<p>a</p>\n")]);
        assert!(verbatim.iter().all(|v| html.as_bytes()[v.at - 1] == b'\n'));
    }

    #[test]
    fn visible_text_leaves_out_tags_and_head() {
        let s = shell(
            "<html><head><title>{{ subject }}</title></head><body><p>Stopka &amp; kontakt</p>{{ body }}</body></html>",
        )
        .unwrap();
        let text = s.visible_text();
        assert!(text.contains("Stopka & kontakt") && !text.contains('<') && !text.contains("title"), "{text:?}");
    }

    #[test]
    fn a_shell_that_loses_the_body_is_refused() {
        assert!(shell("<title>{{ subject }}</title>").is_err());
        assert!(shell("{{ body | upper }}").is_err());
    }
}
