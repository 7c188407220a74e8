//! `require`: a phrase the standard makes mandatory.

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, capitalise, phrase_lines};
use crate::rules::{Checking, Phrases, Region};

/// `require` in the handbook: its name and example (its words are `kind-require-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "require",
    example: "kind = \"require\"\nwithin = \"closing\"\nphrases.pl = [\"Dziękujemy\", \"dziękuj*\"]\nphrases.en = [\"Thank you\"]",
};

/// A `require` rule: one of its phrases must appear within its region.
#[derive(Debug, Clone)]
pub struct Require {
    /// Where to look.
    pub within: Region,
    /// Accepted phrases per locale.
    pub phrases: Phrases,
}

/// Reads a `require` rule: `phrases` (or `patterns`), and `within` (the whole letter by default).
pub(crate) fn parse(mut p: Parsing<'_>) -> Result<Kind> {
    let phrases = p.needs_phrases()?;
    Ok(Kind::Require(Require { within: p.within.unwrap_or(Region::Whole), phrases }))
}

impl RuleKind for Require {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports the rule unless one of its phrases was found within the region.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        if !at.matches(self.within).is_empty() {
            return;
        }
        let locale = at.prepared.input.locale;
        let mut d = at.finding_in(self.within, Some(self.within.describe()));
        d.help = Some(format!("write one of: {}", self.phrases.written(locale).join(" | ")));
        out.push(d);
    }

    fn within(&self) -> Option<Region> {
        Some(self.within)
    }

    fn group(&self) -> Group {
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        vec![Block::Languages {
            lead: with.words.spans("require-lead", &[("where", Arg::Text(&capitalise(&self.within.say(with.words))))]),
            lines: phrase_lines(&self.phrases, with.locales),
        }]
    }

    fn phrase_lists(&self) -> Vec<&Phrases> {
        vec![&self.phrases]
    }
}
