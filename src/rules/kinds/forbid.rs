//! `forbid` (and `substitute`): phrasing that never fits the brand, with what to write instead.

use std::collections::BTreeMap;

use super::KindDoc;
use crate::diagnostic::Diagnostic;
use crate::rules::matcher::Match;
use crate::rules::{Phrases, Prepared, Region, Rule, finding};

/// What `forbid` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "forbid",
    what: "None of the listed phrases appears in the letter. `substitute` is the same check with a required suggestion: the brand's wording for the same thing.",
    why: "Customers remember the sentence that blamed the computer, a superior or the procedure, or that blamed them. Such phrases must never reach a letter, whoever typed them.",
    example: "kind = \"forbid\"\nphrases.pl = [\"system nie pozwala\", \"komputer*\"]\nphrases.en = [\"the system won't let\"]\nsuggest.pl = \"Sprawdzimy, co możemy zrobić, i odpowiemy do …\"",
    instead: "Rewrite the sentence in the brand's voice: say what the company will do and by when. The rule's suggestion shows the standard's wording.",
};

/// Reports every occurrence of a forbidden phrase.
pub fn check(
    rule: &Rule,
    _within: Region,
    _phrases: &Phrases,
    suggest: &BTreeMap<String, String>,
    prepared: &Prepared<'_>,
    matches: &[Match],
    out: &mut Vec<Diagnostic>,
) {
    let locale = prepared.input.locale;
    for m in matches {
        let (folded, original_text) = if m.in_subject {
            (&prepared.subject, prepared.input.subject)
        } else {
            (&prepared.text, prepared.input.text)
        };
        let range = folded.original(m.range.clone(), original_text);
        let found = original_text.get(range).unwrap_or(&m.phrase).trim().to_string();
        let mut d = finding(rule, None);
        d.suggestion = suggest.get(locale).cloned();
        d.found = Some(found);
        out.push(d);
    }
}
