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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

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
    /// take no arguments folded into text ([`fold`]); `None` where nothing folds. Made when a
    /// locale's second letter comes ([`Engine::folded`]): folding and compiling a copy costs
    /// about what it saves over a couple of hundred letters, so a single `missive render`
    /// never pays for it, and a batch pays once.
    folded: Vec<OnceLock<Option<Tera>>>,
    /// Per locale, whether a letter was rendered in it already.
    rendered: Vec<AtomicBool>,
    /// The locales, which the folded copies are made for.
    locales: Arc<Locales>,
    /// How many of `sources` are letters' templates (the email shell, if any, comes after).
    letter_sources: usize,
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
        let count = locales.iter().count();
        let mut engine = Engine {
            letters: Vec::new(),
            folded: (0..count).map(|_| OnceLock::new()).collect(),
            rendered: (0..count).map(|_| AtomicBool::new(false)).collect(),
            locales: Arc::clone(locales),
            letter_sources: sources.len(),
            shells: Vec::new(),
            shell_name: None,
            sources,
        };
        for index in 0..locales.iter().count().max(1) {
            let mut letters = letters_tera(locales, index);
            letters
                .add_raw_templates(engine.sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
                .map_err(|e| engine.error(e, ErrorKind::Template))?;
            engine.letters.push(letters);
        }
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
        let again = self.rendered.get(locale).is_some_and(|seen| seen.swap(true, Ordering::Relaxed));
        if again
            && let Some(folded) = self.folded(locale)
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

    /// The folded copy for locale number `locale`, made the first time it is asked for; `None`
    /// where nothing folds.
    fn folded(&self, locale: usize) -> Option<&Tera> {
        let slot = self.folded.get(locale)?;
        let sources = self.sources.get(..self.letter_sources)?;
        slot.get_or_init(|| folded_for(sources, self.locales.get(locale), &self.locales, locale)).as_ref()
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

/// The templates compiled as letters in `locale` render them, with the partials that can be
/// inlined in place of their includes ([`fold::inline`]) and [`fold::fold`] applied; `None`
/// when nothing changes (or, which cannot happen for text that compiled, the folded text
/// does not compile: letters then render from the templates as written).
fn folded_for(sources: &[TemplateSource], locale: &Locale, locales: &Arc<Locales>, index: usize) -> Option<Tera> {
    let texts = folded_texts(sources, locale);
    if texts.iter().all(Option::is_none) {
        return None;
    }
    let mut tera = letters_tera(locales, index);
    let named = sources.iter().zip(&texts).map(|(s, t)| (s.name.as_str(), t.as_deref().unwrap_or(&s.text)));
    tera.add_raw_templates(named).ok()?;
    Some(tera)
}

/// Each source's text in `locale`'s folded copy, `None` where it is the source's own.
fn folded_texts(sources: &[TemplateSource], locale: &Locale) -> Vec<Option<String>> {
    let partial = |name: &str| sources.iter().find(|s| s.name == name).map(|s| s.text.as_str());
    // Another text that names a variable, or dumps the whole context, could see it.
    let named_elsewhere = |variable: &str, name: &str| {
        sources.iter().any(|s| s.name != name && (fold::has_word(&s.text, variable) || s.text.contains(fold::DUMP)))
    };
    sources
        .iter()
        .map(|s| {
            let inlined = fold::inline(&s.text, &partial, &named_elsewhere);
            let text = inlined.as_deref().unwrap_or(&s.text);
            let propagated = fold::propagate(text);
            let text = propagated.as_deref().unwrap_or(text);
            fold::fold(text, |id| locale.bundle.fixed(id)).or(propagated).or(inlined)
        })
        .collect()
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

#[cfg(test)]
impl Engine {
    /// The folded copy's own rendering of `name` (no fallback to the templates as written), with
    /// the messages `t()` printed in it; `None` when the locale has no folded copy.
    fn render_folded_traced(
        &self,
        name: &str,
        context: &Context,
        locale: usize,
    ) -> Option<(tera::TeraResult<String>, Vec<Printed>)> {
        let folded = self.folded(locale)?;
        Some(functions::traced(|| folded.render(name, context)))
    }
}

#[cfg(test)]
mod tests {
    //! The differential test of the folded copies: every fixture and generated invoices, in
    //! every locale, rendered from the folded copy and from the templates as written (the
    //! reference), byte for byte. `MISSIVE_DIFF_RECORDS` sets how many invoices (10,000
    //! unless it says otherwise).

    use std::path::Path;

    use serde_json::{Map, Value as Json, json};

    use crate::render::Request;
    use crate::standard::Standard;

    /// Renders `record` with template `id` in locale `tag` from the folded copy and from the
    /// templates as written; panics on any difference. Returns the ids `t()` printed on the
    /// folded path (its calls that were not folded away).
    fn compare(standard: &Standard, id: &str, tag: &str, record: &Map<String, Json>, what: &str) -> Vec<String> {
        let request = Request {
            template: id,
            locale: Some(tag),
            today: Some(jiff::civil::date(2026, 11, 23)),
            origin: what,
            ..Default::default()
        };
        let mut warnings = Vec::new();
        let draft = standard.draft(&request, record, &mut warnings).unwrap();
        let fields = standard
            .fields_of(&draft, &request, record, &mut warnings)
            .unwrap_or_else(|e| panic!("{what}: the record does not fit: {e:?}"));
        let context = standard.context_of(&draft, &fields);
        let engine = standard.engine();
        let locale = standard.locales().get(draft.locale);
        let mut calls = Vec::new();
        for name in [&draft.template.body_name, &draft.template.subject_name] {
            let (reference, printed) = engine.render_traced(name, &context, draft.locale).unwrap();
            let Some((folded, printed_folded)) = engine.render_folded_traced(name, &context, draft.locale) else {
                panic!("{what}: no folded copy in {tag}");
            };
            let folded = folded.unwrap_or_else(|e| panic!("{what} {name} {tag}: the folded copy failed: {e:?}"));
            assert_eq!(folded, reference, "{what} {name} {tag}");
            // The folded path makes the reference's calls, less some of messages that take no
            // arguments (and print the same in every letter), in the same order and words.
            let mut rest = printed.iter();
            for call in &printed_folded {
                let skipped: Vec<_> = rest.by_ref().take_while(|p| *p != call).collect();
                assert!(
                    skipped.len() < printed.len(),
                    "{what} {name} {tag}: `{}` is not among the reference's calls",
                    call.id
                );
                for gone in skipped {
                    assert!(locale.bundle.fixed(&gone.id).is_some(), "{what} {name} {tag}: `{}` folded", gone.id);
                }
            }
            for gone in rest {
                assert!(locale.bundle.fixed(&gone.id).is_some(), "{what} {name} {tag}: `{}` folded", gone.id);
            }
            calls.extend(printed_folded.into_iter().map(|p| p.id));
        }
        calls
    }

    /// A small deterministic generator (SplitMix64): the same invoices on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
    }

    /// An invoice record as `../shared/peers/gen_records.py` makes them (names, companies,
    /// items, 1–5 lines of 1.99–2,500.00 times 1–12), and now and then what it never makes:
    /// Markdown and HTML in names and items, leading spaces, negative lines (credits), amounts
    /// with three decimals or in the millions, a postal address, a gender the letter does not
    /// know how to greet.
    fn invoice(i: u64, rng: &mut Rng) -> Map<String, Json> {
        use crate::stages::words::{COMPANIES, FIRST_F, FIRST_M, ITEMS, LAST};
        const ODD: [&str; 8] = [
            "*Anna* <b>Nowak</b>",
            "[x](https://example.com) & co.",
            "Jan_Kowalski #1 | 2",
            "  wcięty na początku, ** i __",
            "O'Brien \"Mac\" = {{ x }}",
            "1. Lista - nie lista",
            "`kod` ~ ! \\ ()",
            "Zażółć gęślą jaźń",
        ];
        let odd = rng.below(10) == 0;
        let kind = rng.below(100);
        let (gender, name) = if kind < 45 {
            ("female", format!("{} {}", rng.pick(&FIRST_F), rng.pick(&LAST)))
        } else if kind < 90 {
            ("male", format!("{} {}", rng.pick(&FIRST_M), rng.pick(&LAST)))
        } else if kind < 97 {
            ("company", rng.pick(&COMPANIES).to_string())
        } else {
            ("unknown", rng.pick(&COMPANIES).to_string())
        };
        let name = if odd { rng.pick(&ODD).to_string() } else { name };
        let mut total: i64 = 0;
        let mut lines = Vec::new();
        for _ in 0..=rng.below(5) {
            let quantity = 1 + rng.below(12) as i64;
            let mut cents = 199 + rng.below(250_000 - 199 + 1) as i64;
            if odd && rng.below(3) == 0 {
                cents = -cents;
            }
            total += cents * quantity;
            let description = if odd && rng.below(2) == 0 { rng.pick(&ODD) } else { rng.pick(&ITEMS) };
            let amount = if odd && rng.below(4) == 0 {
                format!("{}.{:03}", cents / 100, (cents % 100).abs() * 10 + rng.below(10) as i64)
            } else {
                format!("{}.{:02}", cents / 100, (cents % 100).abs())
            };
            let amount = if amount.starts_with('-') || cents >= 0 { amount } else { format!("-{amount}") };
            lines.push(json!({"description": description, "quantity": quantity.to_string(), "amount": {"amount": amount, "currency": "PLN"}}));
        }
        // A total is never negative (the contract refuses it), though credits can outweigh lines.
        let total = if odd && rng.below(3) == 0 { total.abs() * 1_000 + 7 } else { total.abs() };
        let month = 1 + rng.below(12);
        let mut customer = json!({"name": name, "gender": gender, "email": format!("klient{i}@example.pl")});
        if rng.below(5) == 0 {
            customer["address"] = json!({"street": "ul. Długa 5/7", "city": "00-950 Łódź"});
        }
        let mut invoice = json!({
            "number": format!("FV/2026/{month:02}/{:04}", i % 10_000),
            "total": {"amount": format!("{}.{:02}", total / 100, (total % 100).abs()), "currency": "PLN"},
            "due": format!("2026-{month:02}-{:02}", 1 + rng.below(28)),
        });
        if !(odd && rng.below(4) == 0) {
            invoice["lines"] = Json::Array(lines);
        }
        let record = json!({"key": format!("INV-{i:08}"), "customer": customer, "invoice": invoice});
        match record {
            Json::Object(map) => map,
            _ => unreachable!(),
        }
    }

    fn standard() -> Standard {
        Standard::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn tags(standard: &Standard) -> Vec<String> {
        standard.locales().iter().map(|l| l.tag.clone()).collect()
    }

    /// A locale's folded copy is made when its second letter comes, never for a single one,
    /// and letters render the same before and after it exists.
    #[test]
    fn a_folded_copy_is_made_at_its_locales_second_letter() {
        let standard = standard();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let record: Map<String, Json> =
            serde_json::from_slice(&std::fs::read(root.join("fixtures/invoice/lines.json")).unwrap()).unwrap();
        let request =
            Request { template: "invoice", today: Some(jiff::civil::date(2026, 11, 23)), ..Default::default() };
        let mut warnings = Vec::new();
        let draft = standard.draft(&request, &record, &mut warnings).unwrap();
        let fields = standard.fields_of(&draft, &request, &record, &mut warnings).unwrap();
        let context = standard.context_of(&draft, &fields);
        let engine = standard.engine();
        let name = &draft.template.body_name;
        let made = |locale: usize| engine.folded.get(locale).is_some_and(|slot| slot.get().is_some());
        let first = engine.render(name, &context, draft.locale).unwrap();
        assert!(!made(draft.locale), "one letter made the folded copy");
        let second = engine.render(name, &context, draft.locale).unwrap();
        assert!(made(draft.locale), "the second letter did not make the folded copy");
        let other = (0..engine.folded.len()).find(|&l| l != draft.locale).unwrap();
        assert!(!made(other), "a locale with no letter got a folded copy");
        assert_eq!(first, second);
        assert_eq!(second, engine.render_traced(name, &context, draft.locale).unwrap().0);
    }

    #[test]
    fn every_fixture_renders_the_same_from_the_folded_copies() {
        let standard = standard();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for template in std::fs::read_dir(root.join("fixtures")).unwrap() {
            let template = template.unwrap().path();
            let id = template.file_name().unwrap().to_str().unwrap().to_string();
            for fixture in std::fs::read_dir(&template).unwrap() {
                let path = fixture.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let record: Map<String, Json> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                for tag in tags(&standard) {
                    compare(&standard, &id, &tag, &record, &path.display().to_string());
                    seen += 1;
                }
            }
        }
        assert!(seen >= 60, "only {seen} fixture renders");
    }

    #[test]
    fn generated_invoices_render_the_same_from_the_folded_copies() {
        let standard = standard();
        let count: u64 = std::env::var("MISSIVE_DIFF_RECORDS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
        let tags = tags(&standard);
        std::thread::scope(|scope| {
            for part in 0..2u64 {
                let (standard, tags) = (&standard, &tags);
                scope.spawn(move || {
                    let mut rng = Rng(part);
                    for i in (part..count).step_by(2) {
                        let record = invoice(i, &mut rng);
                        for tag in tags {
                            compare(standard, "invoice", tag, &record, &format!("invoice {i}"));
                        }
                    }
                });
            }
        });
    }

    /// The folded invoice has its partials in place (the signature's too: it sets a variable
    /// the invoice never names), the signature's id made a literal and the fixed messages'
    /// text instead of their calls, in both languages.
    #[test]
    fn the_folded_invoice_inlines_partials_without_set() {
        let standard = standard();
        let sources = &standard.engine().sources;
        let at = sources.iter().position(|s| s.name == "invoice.tera").unwrap();
        for locale in standard.locales().iter() {
            let texts = super::folded_texts(sources, locale);
            let folded = texts[at].as_deref().unwrap();
            assert!(!folded.contains("partials/recipient.tera"), "{}", locale.tag);
            assert!(!folded.contains("partials/place-date.tera"), "{}", locale.tag);
            assert!(!folded.contains("partials/closing-thanks.tera"), "{}", locale.tag);
            assert!(!folded.contains("partials/signature.tera"), "{}", locale.tag);
            assert!(!folded.contains("t(id=signature)"), "{}", locale.tag);
            assert!(folded.contains(locale.bundle.fixed("signature-billing").unwrap()), "{}", locale.tag);
            let closing = locale.bundle.fixed("closing-formula").unwrap();
            assert!(
                folded.contains(&format!("{{% if closing_gender is string %}}{closing}{{% else %}}")),
                "{}",
                locale.tag
            );
            assert!(folded.contains(locale.bundle.fixed("closing-thanks").unwrap()), "{}", locale.tag);
            assert!(!folded.contains("t(id=\"invoice-col-total\")"), "{}", locale.tag);
        }
    }

    /// What the folds take away, for one letter: in the folded invoice only the calls of
    /// messages that take the record's values are left, in both languages. A fold undone (or a
    /// new one) changes these lists.
    #[test]
    fn the_folded_invoice_calls_t_only_for_messages_with_values() {
        let standard = standard();
        let record = invoice(7, &mut Rng(7));
        let expected = [
            "place-date",
            "salutation",
            "invoice-intro",
            "invoice-lines-heading",
            "invoice-payment",
            "invoice-subject",
        ];
        for tag in tags(&standard) {
            let calls = compare(&standard, "invoice", &tag, &record, "invoice 7");
            assert_eq!(calls, expected, "{tag}");
        }
    }

    /// Templates a standard could hold, written to catch folds that change what Tera prints:
    /// whitespace control next to an include or a folded call (Tera trims at the lexer, across
    /// what was a tag), a partial ending in `{`, `loop` in a partial included in a loop, a
    /// partial that sets a variable reached a second time (quoted otherwise, or through
    /// another partial), a literal id carried into a call's text in a raw block or a string.
    /// The folded copy prints what the templates print, or fails (and the letter is rendered
    /// from the templates as written).
    #[test]
    fn tricky_templates_render_the_same_from_the_folded_copies() {
        use std::sync::Arc;

        use crate::locale::fluent::Bundle;
        use crate::locale::format::{Formats, Grouping};
        use crate::locale::{Locale, Locales};
        use crate::source::SourceFile;
        use crate::template::{Engine, TemplateSource};

        let formats = Arc::new(Formats::new("pl", Grouping::Cldr).unwrap());
        let ftl = "thanks = Dziękujemy.\nspaced = ,{\" \"}\nlead = {\" \"}x\nempty = {\"\"}\n";
        let bundle = Bundle::load("pl".parse().unwrap(), formats.clone(), &[SourceFile::new("pl.ftl", ftl)]).unwrap();
        let locale = Locale { tag: "pl".into(), id: "pl".parse().unwrap(), formats, bundle };
        let locales = Arc::new(Locales::new(vec![locale], "pl").unwrap());
        let partials = [
            ("p", "Hello {{ name }}\n"),
            ("lead", "  x {{ name }}"),
            ("empty", ""),
            ("comment", "{# c #}  x"),
            ("brace", "a {"),
            ("sets", "({{ tone | default(value=\"first\") }}){% set tone = \"set\" %}"),
            ("again", "Q{% include \"sets\" %}"),
            ("index", "{{ loop.index }}"),
            ("for-else", "{% for x in [] %}{% else %}{{ loop.index }}{% endfor %}"),
        ];
        let bodies = [
            "{% include \"p\" %}{%- if true %}X{% endif %}",
            "{% include \"p\" %}\n  {{- name }}",
            "{% include \"p\" %}{#- c #}Z",
            "{% if true -%}\n{% include \"lead\" %}{% endif %}",
            "A{{ name -}}{% include \"empty\" %}   B",
            "A{{ name -}}\n{% include \"comment\" %}",
            "{% include \"brace\" %}# c #}",
            "{% include \"brace\" %}{ name }}",
            "{{ t(id=\"spaced\") }}{{- name }}",
            "{{ name -}} {{ t(id=\"lead\") }}",
            "A {{ name -}}{{ t(id=\"empty\") }}   B",
            "{{ name -}}\n{{ t(id=\"thanks\") }} {{ t(id=\"spaced\", a=name) }}{{- name }}",
            "{% for i in items %}{% include \"index\" %}{% endfor %}",
            "{% for i in items %}{% include \"for-else\" %}{% endfor %}",
            "{% include \"sets\" %}{% include 'sets' %}",
            "{% include \"sets\" %}{% include `sets` %}",
            "{% include \"sets\" %}{% include \"again\" %}",
            "{% include \"sets\" %}{% for i in items %}{% include \"again\" %}{% endfor %}",
            "{% set sig = \"thanks\" %}{{ t(id=sig) }} {% raw %}{{ t(id=sig) }}{% endraw %}",
            "{% set sig = \"thanks\" %}{{ t(id=sig) }} {{ '{{ t(id=sig) }}' }}",
        ];
        let mut context = tera::Context::new();
        context.insert("name", "Anna");
        context.insert("items", &[1, 2]);
        for body in bodies {
            let source = |name: &str, text: &str| TemplateSource {
                name: name.into(),
                text: text.into(),
                file: SourceFile::new(name, text),
                offset: 0,
            };
            let mut sources: Vec<_> = partials.iter().map(|(name, text)| source(name, text)).collect();
            sources.push(source("body", body));
            let engine = Engine::new(sources, None, &locales, &false.into(), &false.into()).unwrap();
            let reference = engine.render_traced("body", &context, 0).map(|(text, _)| text);
            let Some((folded, _)) = engine.render_folded_traced("body", &context, 0) else { continue };
            match (reference, folded) {
                (Ok(reference), Ok(folded)) => assert_eq!(folded, reference, "{body}"),
                (Err(e), Ok(folded)) => panic!("{body}: the folded copy printed {folded:?}, the templates fail: {e:?}"),
                (_, Err(_)) => {}
            }
        }
    }
}
