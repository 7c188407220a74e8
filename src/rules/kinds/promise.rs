//! `promise`: a phrase that promises a fact of the letter ("w załączeniu": an attachment; "do
//! dnia": a date) is kept by the letter that says it.

use std::collections::BTreeSet;
use std::ops::Range;

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::locale::format::{DateStyle, Formats};
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, phrase_lines};
use crate::rules::text::Folded;
use crate::rules::{Checking, Phrases, Region};

/// `promise` in the handbook: its name and example (its words are `kind-promise-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "promise",
    example: "kind = \"promise\"\npromises = \"attachment\"\nphrases.pl = [\"w załączeniu\", \"załączam*\"]\nphrases.en = [\"attached\", \"enclosed\"]",
};

/// How many words after a date promise its date may stand.
const DATE_WITHIN_WORDS: usize = 8;

/// A fact of the letter that a phrase can promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// The email carries at least one file.
    Attachment,
    /// A date follows the phrase.
    Date,
}

impl Fact {
    /// As packs write it (`promises = "attachment"`).
    fn key(self) -> &'static str {
        match self {
            Fact::Attachment => "attachment",
            Fact::Date => "date",
        }
    }
}

/// A `promise` rule: where one of its phrases stands, the letter carries its fact.
#[derive(Debug, Clone)]
pub struct Promise {
    /// What the phrases promise.
    pub fact: Fact,
    /// Where to look.
    pub within: Region,
    /// The phrases that promise it, per locale.
    pub phrases: Phrases,
    /// The wording to use instead, per locale (optional).
    pub suggest: std::collections::BTreeMap<String, String>,
}

/// Reads a `promise` rule: `promises` (`attachment` or `date`), `phrases` (or `patterns`),
/// `within` (the whole letter by default) and an optional `suggest`.
pub(crate) fn parse(mut p: Parsing<'_>) -> Result<Kind> {
    let fact = match p.raw.promises.as_deref() {
        Some("attachment") => Fact::Attachment,
        Some("date") => Fact::Date,
        Some(other) => {
            return Err(p.bad(
                format!("`promises = \"{other}\"` is not a fact a letter carries"),
                "use \"attachment\" or \"date\"",
            ));
        }
        None => {
            return Err(p.bad(
                "a `promise` rule needs `promises`".into(),
                "add promises = \"attachment\" (or \"date\"): what its phrases promise",
            ));
        }
    };
    let phrases = p.needs_phrases()?;
    Ok(Kind::Promise(Promise {
        fact,
        within: p.within.unwrap_or(Region::Whole),
        phrases,
        suggest: p.raw.suggest.clone(),
    }))
}

impl RuleKind for Promise {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports each phrase whose promise the letter does not keep, once per place (of phrases
    /// that overlap, such as "przesyłamy w załączeniu" and "w załączeniu", the first found).
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let prepared = at.prepared;
        let input = prepared.input;
        if self.fact == Fact::Attachment && input.attachments > 0 {
            return;
        }
        let mut months = None;
        let mut reported: Vec<Range<usize>> = Vec::new();
        for m in at.matches(self.within) {
            if reported.iter().any(|r| r.start < m.range.end && m.range.start < r.end) {
                continue;
            }
            let (folded, original) =
                if m.in_subject { (prepared.subject(), input.subject) } else { (&prepared.text, input.text) };
            let range = folded.original(m.range.clone(), original);
            if self.fact == Fact::Date {
                let paragraph_end = if m.in_subject {
                    original.len()
                } else {
                    prepared.paragraphs.iter().find(|p| p.contains(&range.start)).map_or(original.len(), |p| p.end)
                };
                let after = original.get(range.end..paragraph_end.max(range.end)).unwrap_or("");
                let months = months.get_or_insert_with(|| month_words(input.formats));
                if states_a_date(after, months) {
                    continue;
                }
            }
            reported.push(m.range.clone());
            let found = original.get(range).unwrap_or(&m.phrase).trim().to_string();
            let lacks = match self.fact {
                Fact::Attachment => "the email carries no attachment".to_string(),
                Fact::Date => format!("no date follows within {DATE_WITHIN_WORDS} words"),
            };
            let mut d = at.finding(Some(format!("the letter says „{found}”, but {lacks}")));
            d.help = Some(match self.fact {
                Fact::Attachment => "attach the file (the record's `attachments`, or `attach_pdf = true` in the template's front matter), or reword the sentence so that it promises no attachment".into(),
                Fact::Date => format!("state the date right after „{found}” (print the date field there), or reword the sentence so that it promises no date"),
            });
            d.suggestion = self.suggest.get(input.locale).cloned();
            d.found = Some(found);
            d.spot = Some(prepared.spot_of(&m));
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
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        let region =
            if self.within == Region::Whole { String::new() } else { format!(" {}", self.within.say(with.words)) };
        let mut blocks = vec![Block::Languages {
            lead: with
                .words
                .spans("promise-lead", &[("fact", Arg::Key(self.fact.key())), ("where", Arg::Text(&region))]),
            lines: phrase_lines(&self.phrases, with.locales),
        }];
        for tag in with.locales {
            if let Some(s) = self.suggest.get(tag) {
                let args = [("tag", Arg::Text(tag)), ("suggestion", Arg::Text(s))];
                blocks.push(Block::Para(with.words.spans("promise-instead", &args)));
            }
        }
        blocks
    }

    fn phrase_lists(&self) -> Vec<&Phrases> {
        vec![&self.phrases]
    }
}

/// The words a language names months with, folded: every word of the long and medium dates
/// of the first of each month that is not a number (`grudnia`, `gru`; `december`, `dec`).
pub fn month_words(formats: &Formats) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for month in 1..=12 {
        let Ok(day) = jiff::civil::Date::new(2026, month, 1) else { continue };
        for style in [DateStyle::Long, DateStyle::Medium] {
            let mut s = String::new();
            formats.date(day, style, &mut s);
            for word in Folded::phrase(&s).split(' ') {
                if word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) {
                    out.insert(word.to_string());
                }
            }
        }
    }
    out
}

/// Whether a date stands within the first [`DATE_WITHIN_WORDS`] words of `after`: a day and a
/// month name next to each other (either order), or day, month and year in digits
/// (`07.12.2026`, `7/12/2026`, `2026-12-07`).
pub fn states_a_date(after: &str, months: &BTreeSet<String>) -> bool {
    let folded = Folded::phrase(after);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).take(DATE_WITHIN_WORDS + 2).collect();
    let digits =
        |w: &str, min: usize, max: usize| (min..=max).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    let day = |w: &str| digits(w, 1, 2) && w.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d));
    let month = |w: &str| digits(w, 1, 2) && w.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
    let named = |w: &str| months.contains(w);
    (0..words.len().min(DATE_WITHIN_WORDS)).any(|i| {
        let (a, b, c) = (words[i], words.get(i + 1).copied().unwrap_or(""), words.get(i + 2).copied().unwrap_or(""));
        (day(a) && named(b))
            || (named(a) && day(b))
            || (day(a) && month(b) && digits(c, 4, 4))
            || (digits(a, 4, 4) && month(b) && day(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::format::Grouping;

    #[test]
    fn dates_in_words_and_digits_are_stated() {
        for (tag, yes, no) in [
            (
                "pl",
                &["7 grudnia 2026 r.", "dnia 07.12.2026 r.", "2026-12-07", "7 gru 2026", "do 7/12/2026"][..],
                &["końca miesiąca.", "", "12 miesięcy", "1 2 3 4 5 6 7 8 9 7 grudnia"][..],
            ),
            (
                "en",
                &["December 7, 2026.", "7 December 2026", "07.12.2026", "Dec 7"][..],
                &["the end of the month", "post", "12 months"][..],
            ),
        ] {
            let formats = Formats::new(tag, Grouping::Cldr).expect("formats");
            let months = month_words(&formats);
            assert!(months.len() >= 12, "{tag}: {months:?}");
            for text in yes {
                assert!(states_a_date(text, &months), "{tag}: {text:?} states a date");
            }
            for text in no {
                assert!(!states_a_date(text, &months), "{tag}: {text:?} states no date");
            }
        }
    }
}
