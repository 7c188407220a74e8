//! `structure`: the salutation opens the letter; the closing formula and signature end it.

use super::KindDoc;
use crate::diagnostic::Diagnostic;
use crate::rules::matcher::Matcher;
use crate::rules::text::Folded;
use crate::rules::{Phrases, Prepared, Region, Rule, finding};

/// What `structure` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "structure",
    what: "A salutation from the list stands in the opening (the first three paragraphs: address block, place and date, salutation) before anything else is said; a closing formula from the list stands in the last paragraph, and the sender's company signs below it.",
    why: "Every letter of the company has the same frame; a reply that starts mid-sentence or ends without a closing and a signature looks unfinished and unofficial.",
    example: "kind = \"structure\"\nsalutation.pl = [\"Szanowna Pani\", \"Szanowny Panie\", \"Szanowni Państwo\"]\nclosing.pl = [\"Z poważaniem\"]",
    instead: "Build letters on the shared partials: the salutation message first, partials/signature.tera last.",
};

/// Reports a missing or misplaced salutation, closing formula or signature.
///
/// The salutation and closing phrases are in the locale's automaton, so their matches are
/// read from the letter's matches (`matcher`, rule `index`) rather than searched for again;
/// `signature` is the sender's company folded and padded with spaces (folded once per
/// standard by the caller).
#[allow(clippy::too_many_arguments)]
pub fn check(
    rule: &Rule,
    index: usize,
    salutation: &Phrases,
    closing: &Phrases,
    prepared: &Prepared<'_>,
    matcher: &Matcher,
    signature: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let locale = prepared.input.locale;
    let found = |phrases: &Phrases, list: u8, region: Region| -> bool {
        let (folded, range) = prepared.folded_region(region);
        if let Some(found) = matcher.has_word(index, list, prepared, range.clone()) {
            return found;
        }
        search(phrases, locale, folded, range)
    };
    if !salutation.is_empty() && !found(salutation, 0, Region::Opening(3)) {
        let mut d = finding(rule, Some("no salutation in the opening".into()));
        d.help = Some(format!("open with one of: {}", salutation.written(locale).join(" | ")));
        out.push(d);
    }
    if !closing.is_empty() && !found(closing, 1, Region::Closing(1)) {
        let mut d = finding(rule, Some("no closing formula in the last paragraph".into()));
        d.help = Some(format!("end with one of: {}, then the signature", closing.written(locale).join(" | ")));
        out.push(d);
    }
    let (folded, last) = prepared.folded_region(Region::Closing(1));
    if let Some(signature) = signature
        && !folded.text[last].contains(signature)
    {
        let mut d = finding(rule, Some("the letter is not signed by the company in its last paragraph".into()));
        d.help = Some("end every letter with partials/signature.tera".into());
        out.push(d);
    }
}

/// Whether one of the phrases stands, as a whole word between spaces, in `range` of the folded
/// text: the plain search, for a locale the automaton does not cover (and the reference the
/// tests hold [`Matcher::has_word`] to).
pub(crate) fn search(phrases: &Phrases, locale: &str, folded: &Folded, range: std::ops::Range<usize>) -> bool {
    phrases.by_locale.get(locale).into_iter().flatten().any(|p| folded.text[range.clone()].contains(p.padded.as_str()))
}

/// The sender's company as the signature check looks for it: folded, between spaces.
pub fn signature(company: &str) -> Option<String> {
    (!company.is_empty()).then(|| format!(" {} ", Folded::phrase(company)))
}
