//! `structure`: the salutation opens the letter; the closing formula and signature end it.

use super::KindDoc;
use crate::diagnostic::Diagnostic;
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
pub fn check(rule: &Rule, salutation: &Phrases, closing: &Phrases, prepared: &Prepared<'_>, out: &mut Vec<Diagnostic>) {
    let locale = prepared.input.locale;
    let first = |phrases: &Phrases, region: Region| -> Option<usize> {
        let (folded, range) = prepared.folded_region(region);
        phrases
            .by_locale
            .get(locale)
            .into_iter()
            .flatten()
            .filter_map(|p| folded.text[range.clone()].find(p.padded.as_str()).map(|i| range.start + i))
            .min()
    };
    if !salutation.is_empty() && first(salutation, Region::Opening(3)).is_none() {
        let mut d = finding(rule, Some("no salutation in the opening".into()));
        d.help = Some(format!("open with one of: {}", salutation.written(locale).join(" | ")));
        out.push(d);
    }
    if !closing.is_empty() && first(closing, Region::Closing(1)).is_none() {
        let mut d = finding(rule, Some("no closing formula in the last paragraph".into()));
        d.help = Some(format!("end with one of: {}, then the signature", closing.written(locale).join(" | ")));
        out.push(d);
    }
    let company = prepared.input.sender;
    let (folded, last) = prepared.folded_region(Region::Closing(1));
    if !company.is_empty() && !folded.text[last].contains(&format!(" {} ", Folded::phrase(company))) {
        let mut d = finding(rule, Some("the letter is not signed by the company in its last paragraph".into()));
        d.help = Some("end every letter with partials/signature.tera".into());
        out.push(d);
    }
}
