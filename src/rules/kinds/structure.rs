//! `structure`: the salutation opens the letter; the closing formula and signature end it.

use std::sync::OnceLock;

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, phrase_lines};
use crate::rules::text::Folded;
use crate::rules::{Checking, Phrases, Region};

/// `structure` in the handbook: its name and example (its words are `kind-structure-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "structure",
    example: "kind = \"structure\"\nsalutation.pl = [\"Szanowna Pani\", \"Szanowny Panie\", \"Szanowni Państwo\"]\nclosing.pl = [\"Z poważaniem\"]",
};

/// A `structure` rule: the salutations that open a letter and the closings that end it.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Salutation phrases per locale.
    pub salutation: Phrases,
    /// Closing formulas per locale.
    pub closing: Phrases,
    /// The sender's company and its signature as the check looks for it, folded on the first
    /// letter rather than on every one (the sender is the standard's own).
    signature: OnceLock<(String, Option<String>)>,
}

/// Reads a `structure` rule: `salutation` and `closing`, phrase lists by language.
pub(crate) fn parse(p: Parsing<'_>) -> Result<Kind> {
    Ok(Kind::Structure(Structure {
        salutation: p.phrases(&p.raw.salutation, "salutation")?,
        closing: p.phrases(&p.raw.closing, "closing")?,
        signature: OnceLock::new(),
    }))
}

impl RuleKind for Structure {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports a missing or misplaced salutation, closing formula or signature.
    ///
    /// The salutation and closing phrases are in the locale's automaton (lists 0 and 1), so
    /// their matches are read from the letter's matches rather than searched for again.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let prepared = at.prepared;
        let sender = prepared.input.sender;
        let cached = self.signature.get_or_init(|| (sender.to_string(), signature(sender)));
        let other;
        let signature = if cached.0 == sender {
            cached.1.as_deref()
        } else {
            other = self::signature(sender);
            other.as_deref()
        };
        let locale = prepared.input.locale;
        let found = |phrases: &Phrases, list: u8, region: Region| -> bool {
            let (folded, range) = prepared.folded_region(region);
            if let Some(found) = at.has_word(list, range.clone()) {
                return found;
            }
            search(phrases, locale, folded, range)
        };
        let (salutation, closing) = (&self.salutation, &self.closing);
        if !salutation.is_empty() && !found(salutation, 0, Region::Opening(3)) {
            let mut d = at.finding_in(Region::Opening(3), Some("no salutation in the opening".into()));
            d.help = Some(format!("open with one of: {}", salutation.written(locale).join(" | ")));
            out.push(d);
        }
        if !closing.is_empty() && !found(closing, 1, Region::Closing(1)) {
            let mut d = at.finding_in(Region::Closing(1), Some("no closing formula in the last paragraph".into()));
            d.help = Some(format!("end with one of: {}, then the signature", closing.written(locale).join(" | ")));
            out.push(d);
        }
        let (folded, last) = prepared.folded_region(Region::Closing(1));
        if let Some(signature) = signature
            && !folded.text[last].contains(signature)
        {
            let mut d = at.finding_in(
                Region::Closing(1),
                Some("the letter is not signed by the company in its last paragraph".into()),
            );
            d.help = Some("end every letter with partials/signature.tera".into());
            out.push(d);
        }
    }

    fn group(&self) -> Group {
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        let mut blocks = Vec::new();
        if !self.salutation.is_empty() {
            blocks.push(Block::Languages {
                lead: with.words.spans("structure-salutation", &[]),
                lines: phrase_lines(&self.salutation, with.locales),
            });
        }
        if !self.closing.is_empty() {
            blocks.push(Block::Languages {
                lead: with.words.spans("structure-closing", &[("company", Arg::Text(with.company))]),
                lines: phrase_lines(&self.closing, with.locales),
            });
        }
        blocks
    }

    fn phrase_lists(&self) -> Vec<&Phrases> {
        vec![&self.salutation, &self.closing]
    }
}

/// Whether one of the phrases stands, as a whole word between spaces, in `range` of the folded
/// text: the plain search, for a locale the automaton does not cover (and the reference the
/// tests hold the matcher's `has_word` to).
pub(crate) fn search(phrases: &Phrases, locale: &str, folded: &Folded, range: std::ops::Range<usize>) -> bool {
    phrases.by_locale.get(locale).into_iter().flatten().any(|p| folded.text[range.clone()].contains(p.padded.as_str()))
}

/// The sender's company as the signature check looks for it: folded, between spaces.
pub fn signature(company: &str) -> Option<String> {
    (!company.is_empty()).then(|| format!(" {} ", Folded::phrase(company)))
}
