//! `forbid` (and `substitute`): phrasing that never fits the brand, with what to write instead.

use std::collections::BTreeMap;

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, phrase_items};
use crate::rules::{Checking, Phrases, Region};

/// `forbid` in the handbook: its name and example (its words are `kind-forbid-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "forbid",
    example: "kind = \"forbid\"\nphrases.pl = [\"system nie pozwala\", \"komputer*\"]\nphrases.en = [\"the system won't let\"]\nsuggest.pl = \"Sprawdzimy, co możemy zrobić, i odpowiemy do …\"",
};

/// A `forbid` (or `substitute`) rule: none of its phrases may appear.
#[derive(Debug, Clone)]
pub struct Forbid {
    /// Where to look.
    pub within: Region,
    /// Forbidden phrases per locale.
    pub phrases: Phrases,
    /// The wording to use instead, per locale.
    pub suggest: BTreeMap<String, String>,
}

/// Reads a `forbid` or `substitute` rule: `phrases` (or `patterns`), `within`, and `suggest`,
/// which a `substitute` rule must have.
pub(crate) fn parse(mut p: Parsing<'_>) -> Result<Kind> {
    let phrases = p.needs_phrases()?;
    if p.raw.kind == "substitute" && p.raw.suggest.is_empty() {
        return Err(p.bad(
            "a `substitute` rule needs `suggest`".into(),
            "add suggest.pl = \"…\" with the wording to use instead",
        ));
    }
    Ok(Kind::Forbid(Forbid { within: p.within.unwrap_or(Region::Whole), phrases, suggest: p.raw.suggest.clone() }))
}

impl RuleKind for Forbid {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports every occurrence of a forbidden phrase.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let prepared = at.prepared;
        let locale = prepared.input.locale;
        for m in at.matches(self.within) {
            let (folded, original_text) = if m.in_subject {
                (prepared.subject(), prepared.input.subject)
            } else {
                (&prepared.text, prepared.input.text)
            };
            let range = folded.original(m.range.clone(), original_text);
            let found = original_text.get(range).unwrap_or(&m.phrase).trim().to_string();
            let mut d = at.finding(None);
            d.spot = Some(prepared.spot_of(&m));
            d.suggestion = self.suggest.get(locale).cloned();
            d.found = Some(found);
            out.push(d);
        }
    }

    fn within(&self) -> Option<Region> {
        Some(self.within)
    }

    fn suggestions(&self) -> Option<&std::collections::BTreeMap<String, String>> {
        Some(&self.suggest)
    }

    fn group(&self) -> Group {
        Group::Never
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        let mut blocks = Vec::new();
        if self.within != Region::Whole {
            let region = self.within.say(with.words);
            blocks.push(Block::Para(with.words.spans("forbid-within", &[("where", Arg::Text(&region))])));
        }
        blocks.extend(with.locales.iter().map(|tag| Block::Swap {
            lang: tag.clone(),
            never: phrase_items(&self.phrases, tag),
            instead: self.suggest.get(tag).cloned(),
        }));
        blocks
    }

    fn phrase_lists(&self) -> Vec<&Phrases> {
        vec![&self.phrases]
    }
}
