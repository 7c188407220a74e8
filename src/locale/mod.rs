//! Languages of a standard: negotiation, Fluent bundles and CLDR formatting per locale.

pub mod fluent;
pub mod format;

use std::sync::Arc;

use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use unic_langid::LanguageIdentifier;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind, Result};
use format::Formats;

/// One language of the standard: its messages and its formatters.
pub struct Locale {
    /// The tag of its folder under `locales/` (`pl`, `en`).
    pub tag: String,
    /// The parsed tag, for negotiation.
    pub id: LanguageIdentifier,
    /// Money, dates and numbers in this language.
    pub formats: Arc<Formats>,
    /// Its messages.
    pub bundle: fluent::Bundle,
}

/// All languages of a standard, loaded once; index 0.. in `missive.toml` order.
pub struct Locales {
    list: Vec<Locale>,
    default: usize,
}

/// The outcome of choosing a language for a letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Index into [`Locales`].
    pub index: usize,
    /// Said when the request matched none of the standard's languages.
    pub warning: Option<Diagnostic>,
}

impl Locales {
    /// Wraps loaded locales; `default` must name one of them.
    pub fn new(list: Vec<Locale>, default: &str) -> Result<Locales> {
        let default = list.iter().position(|l| l.tag == default).ok_or_else(|| {
            Error::new(ErrorKind::Config, format!("missive.toml: default_locale `{default}` is not one of `locales`"))
                .with_help("add it to `locales`, or choose one of them as the default")
        })?;
        Ok(Locales { list, default })
    }

    /// The locale at `index`.
    pub fn get(&self, index: usize) -> &Locale {
        &self.list[index.min(self.list.len() - 1)]
    }

    /// All locales, in `missive.toml` order.
    pub fn iter(&self) -> impl Iterator<Item = &Locale> {
        self.list.iter()
    }

    /// The index of the locale whose folder is `tag`, exactly.
    pub fn position(&self, tag: &str) -> Option<usize> {
        self.list.iter().position(|l| l.tag == tag)
    }

    /// The default locale's index.
    pub fn default_index(&self) -> usize {
        self.default
    }

    /// Chooses the language for a request such as `pl-PL` (→ `pl`): an exact or a looser match,
    /// else the default with a warning. A request that is not a language tag is an error.
    pub fn negotiate(&self, requested: Option<&str>) -> Result<Choice> {
        let Some(requested) = requested.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(Choice { index: self.default, warning: None });
        };
        if let Some(index) = self.position(requested) {
            return Ok(Choice { index, warning: None });
        }
        let id: LanguageIdentifier = requested.replace('_', "-").parse().map_err(|_| {
            Error::new(ErrorKind::Usage, format!("`{requested}` is not a language tag"))
                .with_help(format!("use a BCP 47 tag such as {}", self.tags().join(", ")))
        })?;
        let available: Vec<&LanguageIdentifier> = self.list.iter().map(|l| &l.id).collect();
        let found = negotiate_languages(&[&id], &available, None, NegotiationStrategy::Lookup);
        if let Some(best) = found.first()
            && let Some(index) = self.list.iter().position(|l| &&l.id == *best)
        {
            return Ok(Choice { index, warning: None });
        }
        let fallback = &self.list[self.default].tag;
        Ok(Choice {
            index: self.default,
            warning: Some(
                Diagnostic::warning(
                    "locale.fallback",
                    format!("the standard has no `{requested}` letters; writing in `{fallback}`, the default"),
                )
                .with_help(format!("the standard's languages are: {}", self.tags().join(", "))),
            ),
        })
    }

    /// The folder tags, in order.
    pub fn tags(&self) -> Vec<&str> {
        self.list.iter().map(|l| l.tag.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales() -> Locales {
        let make = |tag: &str| Locale {
            tag: tag.into(),
            id: tag.parse().unwrap(),
            formats: Arc::new(Formats::new(tag, Default::default()).unwrap()),
            bundle: fluent::Bundle::empty(
                tag.parse().unwrap(),
                Arc::new(Formats::new(tag, Default::default()).unwrap()),
            ),
        };
        Locales::new(vec![make("pl"), make("en")], "pl").unwrap()
    }

    #[test]
    fn regional_tags_find_their_language() {
        let l = locales();
        assert_eq!(l.negotiate(Some("pl-PL")).unwrap(), Choice { index: 0, warning: None });
        assert_eq!(l.negotiate(Some("en_GB")).unwrap().index, 1);
        assert_eq!(l.negotiate(Some("en")).unwrap().index, 1);
        assert_eq!(l.negotiate(None).unwrap().index, 0);
    }

    #[test]
    fn unknown_languages_fall_back_with_a_warning() {
        let l = locales();
        let choice = l.negotiate(Some("de-DE")).unwrap();
        assert_eq!(choice.index, 0);
        assert_eq!(choice.warning.unwrap().code, "locale.fallback");
        assert!(l.negotiate(Some("not a tag!")).is_err());
    }
}
