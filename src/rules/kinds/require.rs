//! `require`: a phrase the standard makes mandatory.

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Block, Describing, Group, capitalise, phrase_lines, text};
use crate::rules::{Checking, Phrases, Region};

/// What `require` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "require",
    what: "One of the listed phrases appears in the given part of the letter (the whole letter, the opening, the closing or the subject), in the letter's language. A phrase ending in * matches every inflected form (dziękuj* matches dziękujemy, dziękuję).",
    why: "The standard's fixed elements — a thank-you on every invoice, the case number in a complaint reply — are what customers recognise as the company's voice. A letter without them is off-standard even when every sentence is correct.",
    example: "kind = \"require\"\nwithin = \"closing\"\nphrases.pl = [\"Dziękujemy\", \"dziękuj*\"]\nphrases.en = [\"Thank you\"]",
    instead: "Add one of the listed phrases where the rule looks for it, usually through the shared partial that holds it.",
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
        let mut d = at.finding(Some(self.within.describe()));
        d.help = Some(format!("write one of: {}", self.phrases.written(locale).join(" | ")));
        out.push(d);
    }

    fn group(&self) -> Group {
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        vec![Block::Languages {
            lead: vec![text(format!("{}, write one of:", capitalise(&self.within.describe())))],
            lines: phrase_lines(&self.phrases, with.locales),
        }]
    }

    fn phrase_lists(&self) -> Vec<&Phrases> {
        vec![&self.phrases]
    }
}
