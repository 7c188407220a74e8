//! The handbook's words in one language: Fluent messages from the standard's
//! `locales/<lang>/handbook.ftl`, each missing one taken from missive's built-in copy of the
//! same language (never another language), loaded through the locale module's bundles.

use std::cell::RefCell;
use std::sync::Arc;

use fluent_bundle::FluentArgs;
use unic_langid::LanguageIdentifier;

use crate::error::{Error, ErrorKind, Result};
use crate::locale::fluent::{Bundle, FormatFailure};
use crate::locale::format::Formats;
use crate::rules::prose::{Arg, Say, Span, marked};
use crate::source::{SourceFile, span};
use crate::standard::{HANDBOOK_FTL, Standard};

/// missive's own handbook words: the bundled standard's files, compiled in. A standard without
/// `handbook.ftl`, or with only some of its messages, is written with these.
const BUILT_IN: [(&str, &str); 2] =
    [("en", include_str!("../../locales/en/handbook.ftl")), ("pl", include_str!("../../locales/pl/handbook.ftl"))];

/// The handbook's words in one language.
pub(crate) struct Words {
    /// The language tag (`pl`).
    tag: String,
    /// missive's built-in messages in that language with the standard's own over them (a
    /// built-in message that refers to one the standard rewords gets the standard's).
    bundle: Bundle,
    /// Whether missive has built-in words in this language.
    built_in: bool,
    /// Messages of the standard that could not be written (a variable the handbook does not
    /// give, say): reported by [`Words::finish`] once the handbook is written.
    problems: RefCell<Vec<Error>>,
}

impl Words {
    /// The words in `requested` (a tag such as `pl` or `en-GB`), or by default in the
    /// standard's default language (English when the handbook has no words in it). A language
    /// with neither the standard's `handbook.ftl` nor a built-in copy is a usage error.
    pub(crate) fn new(standard: &Standard, requested: Option<&str>) -> Result<Words> {
        let offered = offered(standard);
        let tag = match requested.map(str::trim).filter(|r| !r.is_empty()) {
            None => {
                let default = &standard.config().standard.default_locale;
                if offered.contains(default) { default.clone() } else { "en".to_string() }
            }
            Some(asked) => choose(&offered, asked).ok_or_else(|| {
                Error::new(ErrorKind::Usage, format!("the handbook has no words in `{asked}`")).with_help(format!(
                    "choose one of: {}; or give the standard locales/{asked}/{HANDBOOK_FTL} (a copy of \
                         locales/en/{HANDBOOK_FTL}, translated) and list `{asked}` in missive.toml's locales",
                    offered.join(", ")
                ))
            })?,
        };
        let id: LanguageIdentifier = tag.parse().map_err(|_| {
            Error::new(ErrorKind::Usage, format!("`{tag}` is not a language tag"))
                .with_help("use a tag such as pl or en")
        })?;
        let formats = match standard.locales().iter().find(|l| l.tag == tag) {
            Some(locale) => locale.formats.clone(),
            None => Arc::new(Formats::new(&tag, Default::default()).map_err(|e| {
                Error::new(ErrorKind::Locale, format!("no formatting data for `{tag}`: {e}"))
                    .with_help("choose a language with CLDR data, such as pl or en")
            })?),
        };
        let built_in: Vec<SourceFile> = BUILT_IN
            .iter()
            .filter(|(t, _)| *t == tag)
            .map(|(t, text)| SourceFile::new(format!("missive's built-in locales/{t}/{HANDBOOK_FTL}"), *text))
            .collect();
        let own: Vec<SourceFile> = standard.handbook_messages(&tag).into_iter().cloned().collect();
        let bundle = Bundle::load_over(id, formats, &built_in, &own)?;
        if built_in.is_empty()
            && let Some(file) = own.first()
        {
            complete(&bundle, &file.name)?;
        }
        Ok(Words { tag, bundle, built_in: !built_in.is_empty(), problems: RefCell::new(Vec::new()) })
    }

    /// The language the handbook is written in.
    pub(crate) fn tag(&self) -> &str {
        &self.tag
    }

    /// The first message of the standard that could not be written, as an error.
    pub(crate) fn finish(&self) -> Result<()> {
        match self.problems.borrow_mut().drain(..).next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Message `id` with `args`: the standard's, else the built-in of the same language.
    fn format(&self, id: &str, args: &FluentArgs<'_>) -> String {
        let mut out = String::new();
        let why = match self.bundle.format(id, Some(args), &mut out) {
            Ok(()) => return out,
            Err(FormatFailure::Failed(why)) => why,
            Err(FormatFailure::Missing | FormatFailure::NoValue) => "there is no such message".into(),
        };
        // Only a message the standard wrote can fail (missive's own are tested): name it.
        let defined = self.bundle.ids().find(|(i, _, _)| *i == id);
        let name =
            defined.map_or_else(|| format!("locales/{}/{HANDBOOK_FTL}", self.tag), |(_, f, _)| f.name.to_string());
        let mut e = Error::new(
            ErrorKind::Locale,
            format!("{name}: the handbook's message `{id}` cannot be written: {why}"),
        )
        .with_help(format!(
            "compare it with missive's own (`missive init` writes locales/{}/{HANDBOOK_FTL}): a message may use \
                 the variables the built-in one uses",
            if self.built_in { self.tag.as_str() } else { "en" }
        ));
        if let Some((_, file, at)) = defined {
            e = e.with_span(file, span(at, id.len()), "this message");
        }
        self.problems.borrow_mut().push(e);
        id.to_string()
    }
}

impl Say for Words {
    fn spans(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Vec<Span> {
        // Text from the standard goes in as a placeholder, so that a name with `*` or a
        // backtick is never read as the message's markup, and is put back into the spans.
        let mut fluent = FluentArgs::new();
        let mut texts: Vec<&str> = Vec::new();
        for (name, arg) in args {
            match *arg {
                Arg::Text(s) => {
                    fluent.set(*name, format!("\u{E000}{}\u{E001}", texts.len()));
                    texts.push(s);
                }
                Arg::Key(s) => fluent.set(*name, s.to_string()),
                Arg::Num(n) => fluent.set(*name, n),
            }
        }
        let text = self.format(id, &fluent);
        let fill = |s: String| {
            if texts.is_empty() || !s.contains('\u{E000}') {
                return s;
            }
            let mut out = s;
            for (i, value) in texts.iter().enumerate() {
                out = out.replace(&format!("\u{E000}{i}\u{E001}"), value);
            }
            out
        };
        marked(&text)
            .into_iter()
            .map(|span| match span {
                Span::Text(s) => Span::Text(fill(s)),
                Span::Strong(s) => Span::Strong(fill(s)),
                Span::Code(s) => Span::Code(fill(s)),
                other => other,
            })
            .collect()
    }
}

/// The languages the handbook can be written in: the standard's (in `missive.toml` order)
/// that have words, the standard's or built in, then the other built-in ones.
pub(crate) fn offered(standard: &Standard) -> Vec<String> {
    let mut out: Vec<String> = standard
        .locales()
        .tags()
        .into_iter()
        .filter(|t| standard.handbook_messages(t).is_some() || BUILT_IN.iter().any(|(b, _)| b == t))
        .map(str::to_string)
        .collect();
    for (tag, _) in BUILT_IN {
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    out
}

/// The offered tag `asked` names: itself, or the one of its language (`pl-PL` → `pl`).
fn choose(offered: &[String], asked: &str) -> Option<String> {
    if let Some(tag) = offered.iter().find(|t| t.as_str() == asked) {
        return Some(tag.clone());
    }
    let primary = |t: &str| t.split(['-', '_']).next().unwrap_or(t).to_ascii_lowercase();
    offered.iter().find(|t| primary(t) == primary(asked)).cloned()
}

/// A language without a built-in copy has nothing to fall back on: its file must have every
/// message the English one has.
fn complete(bundle: &Bundle, name: &str) -> Result<()> {
    let english = SourceFile::new("en", BUILT_IN[0].1);
    let formats = Arc::new(
        Formats::new("en", Default::default())
            .map_err(|e| Error::new(ErrorKind::Locale, format!("no formatting data for `en`: {e}")))?,
    );
    let en: LanguageIdentifier =
        "en".parse().map_err(|_| Error::new(ErrorKind::Locale, "`en` is not a language tag"))?;
    let reference = Bundle::load(en, formats, &[english])?;
    let missing: Vec<&str> = reference.ids().map(|(id, _, _)| id).filter(|id| !bundle.has(id)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Locale,
        format!(
            "{name} lacks {} of the handbook's messages: {}",
            missing.len(),
            missing.iter().take(8).map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                + if missing.len() > 8 { ", …" } else { "" }
        ),
    )
    .with_help(
        "missive has no built-in words in this language to fill them in (it never mixes languages): \
         translate every message of locales/en/handbook.ftl (as `missive init` writes it)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_message() {
        let formats = Arc::new(Formats::new("en", Default::default()).unwrap());
        let load = |tag: &str, text: &str| {
            Bundle::load(tag.parse().unwrap(), formats.clone(), &[SourceFile::new(tag, text)]).unwrap()
        };
        let english = load("en", BUILT_IN[0].1);
        for (tag, text) in BUILT_IN {
            let bundle = load(tag, text);
            let ids = |b: &Bundle| b.ids().map(|(id, _, _)| id.to_string()).collect::<Vec<_>>();
            let (theirs, ours) = (ids(&bundle), ids(&english));
            assert_eq!(
                theirs.iter().filter(|id| !ours.contains(id)).count()
                    + ours.iter().filter(|id| !theirs.contains(id)).count(),
                // Polish names the genitive of the counted measures in a message of its own.
                if tag == "pl" { 1 } else { 0 },
                "{tag}: {theirs:?}"
            );
            assert!(ours.iter().all(|id| bundle.has(id) || id.starts_with('-')), "{tag} lacks a message");
        }
        for doc in crate::rules::kinds::docs() {
            for part in ["what", "why", "instead"] {
                assert!(english.has(&format!("kind-{}-{part}", doc.name)), "{} {part}", doc.name);
            }
        }
    }

    #[test]
    fn choosing_a_language() {
        let offered = vec!["pl".to_string(), "en".to_string()];
        assert_eq!(choose(&offered, "pl-PL").as_deref(), Some("pl"));
        assert_eq!(choose(&offered, "en_GB").as_deref(), Some("en"));
        assert_eq!(choose(&offered, "de"), None);
    }
}
