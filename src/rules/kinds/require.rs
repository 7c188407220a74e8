//! `require`: a phrase the standard makes mandatory.

use super::KindDoc;
use crate::diagnostic::Diagnostic;
use crate::rules::matcher::Match;
use crate::rules::{Phrases, Prepared, Region, Rule, finding};

/// What `require` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "require",
    what: "One of the listed phrases appears in the given part of the letter (the whole letter, the opening, the closing or the subject), in the letter's language. A phrase ending in * matches every inflected form (dziękuj* matches dziękujemy, dziękuję).",
    why: "The standard's fixed elements — a thank-you on every invoice, the case number in a complaint reply — are what customers recognise as the company's voice. A letter without them is off-standard even when every sentence is correct.",
    example: "kind = \"require\"\nwithin = \"closing\"\nphrases.pl = [\"Dziękujemy\", \"dziękuj*\"]\nphrases.en = [\"Thank you\"]",
    instead: "Add one of the listed phrases where the rule looks for it, usually through the shared partial that holds it.",
};

/// Reports the rule unless one of its phrases was found within the region.
pub fn check(
    rule: &Rule,
    within: Region,
    phrases: &Phrases,
    prepared: &Prepared<'_>,
    matches: &[Match],
    out: &mut Vec<Diagnostic>,
) {
    if !matches.is_empty() {
        return;
    }
    let locale = prepared.input.locale;
    let mut d = finding(rule, Some(within.describe()));
    d.help = Some(format!("write one of: {}", phrases.written(locale).join(" | ")));
    out.push(d);
}
