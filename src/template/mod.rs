//! Templates: the only module that touches Tera. Compiles bodies, partials, subjects and the
//! email shell once; renders them per letter; turns Tera's errors into ours with file and line.
//!
//! Tera 2 was chosen over 1.x: undefined variables are errors with line and column, there is
//! no `get_env` that could print secrets, `range()` is capped, and rendering is faster.

pub mod escape;
mod fold;
pub mod functions;
pub mod mjml;
pub mod shell;

pub use functions::Printed;

use std::sync::Arc;

use tera::{Context, ErrorKind as TeraKind, Tera};

use crate::error::{Error, ErrorKind, Result};
use crate::locale::{Locale, Locales};
use crate::source::{SourceFile, span};

/// One piece of template text to compile: a body, a partial or a subject line.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    /// The name templates use for it (`invoice.tera`, `partials/closing.tera`, `invoice.tera#subject`).
    pub name: String,
    /// The template text.
    pub text: String,
    /// The file it comes from.
    pub file: SourceFile,
    /// Where `text` starts in the file, so that errors point at the right line.
    pub offset: usize,
}

/// The compiled templates of a standard, shared by every letter.
pub struct Engine {
    /// Per locale (same order as [`Locales`]), the templates as written, with `t()` and the
    /// filters formatting for that locale.
    letters: Vec<Tera>,
    /// Per locale (same order as [`Locales`]), the templates with `t()` calls of messages that
    /// take no arguments folded into text ([`fold`]); `None` where nothing folds.
    folded: Vec<Option<Tera>>,
    /// The email shell per locale (same order as [`Locales`]), if the standard has one.
    shells: Vec<shell::Shell>,
    /// The shell's template name ([`SHELL_MJML`] or [`SHELL_HTML`]), if the standard has one.
    shell_name: Option<&'static str>,
    sources: Vec<TemplateSource>,
}

/// The email shell authored in MJML, compiled to HTML at load.
pub const SHELL_MJML: &str = "layouts/email.mjml";
/// The email shell written by hand in HTML (before MJML; still read when there is no MJML one).
pub const SHELL_HTML: &str = "layouts/email.html";

impl Engine {
    /// Compiles every body, partial and subject, and prepares the email shell for each locale
    /// (`logo` is what it sees as `logo`: the inline logo's `src`, `alt` and size, or `false`).
    pub fn new(
        sources: Vec<TemplateSource>,
        shell: Option<TemplateSource>,
        locales: &Arc<Locales>,
        sender: &tera::Value,
        logo: &tera::Value,
    ) -> Result<Engine> {
        let mut engine =
            Engine { letters: Vec::new(), folded: Vec::new(), shells: Vec::new(), shell_name: None, sources };
        for index in 0..locales.iter().count().max(1) {
            let mut letters = letters_tera(locales, index);
            letters
                .add_raw_templates(engine.sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
                .map_err(|e| engine.error(e, ErrorKind::Template))?;
            engine.letters.push(letters);
        }
        engine.folded = locales
            .iter()
            .enumerate()
            .map(|(index, locale)| folded_for(&engine.sources, locale, locales, index))
            .collect();
        if let Some(shell) = shell {
            let name = if shell.name == SHELL_MJML { SHELL_MJML } else { SHELL_HTML };
            let mut tera = Tera::default();
            tera.autoescape_on([".html", ".mjml"]);
            let result = tera.add_raw_template(name, &shell.text);
            let file = shell.file.clone();
            engine.sources.push(shell);
            engine.shell_name = Some(name);
            result.map_err(|e| engine.error(e, ErrorKind::Template))?;
            let help = "the shell may use `lang`, `sender.*`, `logo` (`{% if logo %}`: `logo.src`, `logo.alt`, `logo.width`, `logo.height`), and print `{{ subject }}`, `{{ preheader }}` and `{{ body }}` as they are";
            for locale in locales.iter() {
                let rendered = shell::Shell::render(&tera, name, &locale.tag, sender, logo)
                    .map_err(|e| engine.error(e, ErrorKind::Template).with_help(help))?;
                // MJML is compiled here, once per language; letters only fill the HTML.
                let html = if name == SHELL_MJML {
                    mjml::compile(&rendered, &format!("{} ({})", file.name, locale.tag))?
                } else {
                    rendered
                };
                let prepared = shell::Shell::split(&html)
                    .map_err(|e| Error::new(ErrorKind::Template, format!("{}: {e}", file.name)).with_help(help))?;
                engine.shells.push(prepared);
            }
        }
        Ok(engine)
    }

    /// Renders the template `name` with `context`, formatting for locale number `locale`.
    pub fn render(&self, name: &str, context: &Context, locale: usize) -> Result<String> {
        if let Some(Some(folded)) = self.folded.get(locale)
            && let Ok(text) = folded.render(name, context)
        {
            return Ok(text);
        }
        // A failing letter is rendered again from the templates as written, so that the error
        // points at the files' own lines and columns (folding moves text on a line).
        let letters = self.letters.get(locale).ok_or_else(|| {
            Error::new(ErrorKind::Render, format!("internal: no locale number {locale} to render in"))
        })?;
        letters.render(name, context).map_err(|e| self.error(e, ErrorKind::Render))
    }

    /// Renders as [`Engine::render`] does, from the templates as written (every `t()` call made,
    /// none folded), and lists the messages `t()` printed, in order: what tracing a finding
    /// back to its source needs. `missive check` and `missive test` render so; batches do not.
    pub fn render_traced(&self, name: &str, context: &Context, locale: usize) -> Result<(String, Vec<Printed>)> {
        let letters = self.letters.get(locale).ok_or_else(|| {
            Error::new(ErrorKind::Render, format!("internal: no locale number {locale} to render in"))
        })?;
        let (result, printed) = functions::traced(|| letters.render(name, context));
        Ok((result.map_err(|e| self.error(e, ErrorKind::Render))?, printed))
    }

    /// The words the email shell of locale `index` shows around every letter.
    pub fn shell_text(&self, index: usize) -> Option<String> {
        self.shells.get(index).map(shell::Shell::visible_text)
    }

    /// The email shell's template name (`layouts/email.mjml` or `.html`), if there is one.
    pub fn shell_name(&self) -> Option<&'static str> {
        self.shell_name
    }

    /// Wraps an HTML body in the email shell of locale `index`, with a hidden preheader line
    /// (plain text, may be empty), and says where the shell's whole lines sit; without a shell,
    /// `None`.
    pub fn fill_shell(
        &self,
        index: usize,
        subject: &str,
        preheader: &str,
        body: &str,
    ) -> Option<(String, Vec<shell::Verbatim>)> {
        self.shells.get(index).map(|s| s.fill(subject, preheader, body))
    }

    fn error(&self, err: tera::Error, kind: ErrorKind) -> Error {
        let report = match err.kind() {
            TeraKind::SyntaxError(r) | TeraKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut message = report.map_or_else(|| err.to_string(), |r| r.message().to_string());
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&err);
        while let Some(c) = cause {
            let text = c.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            cause = c.source();
        }
        let help = help_for(&message);
        let located = report.and_then(|r| {
            let source = self.sources.iter().find(|s| s.name == r.filename())?;
            let range = &r.span().range;
            let start = source.offset + range.start.min(source.text.len());
            let len = range.end.saturating_sub(range.start).max(1);
            Some((source, start, len))
        });
        let mut error = match located {
            Some((source, start, len)) => {
                let (line, col) = source.file.line_col(start);
                Error::new(kind, format!("{}:{line}:{col}: {message}", source.file.name)).with_span(
                    &source.file,
                    span(start, len),
                    "",
                )
            }
            None => Error::new(kind, message),
        };
        if let Some(help) = help {
            error = error.with_help(help);
        }
        error
    }
}

/// An empty Tera set up for letter templates in locale number `index`: Markdown escaping,
/// `t()` and the filters.
fn letters_tera(locales: &Arc<Locales>, index: usize) -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on([""]);
    tera.set_escape_fn(escape::markdown_escape_to);
    functions::install(&mut tera, locales, index);
    tera
}

/// The templates compiled as letters in `locale` render them, with [`fold::fold`] applied;
/// `None` when no call folds (or, which cannot happen for text that compiled, the folded text
/// does not compile: letters then render from the templates as written).
fn folded_for(sources: &[TemplateSource], locale: &Locale, locales: &Arc<Locales>, index: usize) -> Option<Tera> {
    let texts: Vec<Option<String>> =
        sources.iter().map(|s| fold::fold(&s.text, |id| locale.bundle.fixed(id))).collect();
    if texts.iter().all(Option::is_none) {
        return None;
    }
    let mut tera = letters_tera(locales, index);
    let named = sources.iter().zip(&texts).map(|(s, t)| (s.name.as_str(), t.as_deref().unwrap_or(&s.text)));
    tera.add_raw_templates(named).ok()?;
    Some(tera)
}

fn help_for(message: &str) -> Option<String> {
    let lower = message.to_lowercase();
    if lower.contains("not found in context") || lower.contains("not defined") || lower.contains("undefined") {
        Some("every value a template prints must be a declared field with a value: declare it in the template's [fields], give it in the record, or guard it with {% if … is defined %}".into())
    } else if lower.contains("is missing in locale") {
        Some(
            "add the message to the locale's .ftl files; each language must define every message its templates use"
                .into(),
        )
    } else if lower.contains("template") && lower.contains("not found") {
        Some(
            "partials are named by their path under templates/, e.g. {% include \"partials/closing-thanks.tera\" %}"
                .into(),
        )
    } else {
        None
    }
}
