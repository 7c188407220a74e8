//! `limit`: tone and length measured and kept within bounds.

use super::KindDoc;
use crate::diagnostic::Diagnostic;
use crate::rules::text::{paragraphs, sentences, syllables, words};
use crate::rules::{Prepared, Region, Rule, finding};

/// What `limit` checks, for the handbook.
pub const DOC: KindDoc = KindDoc {
    name: "limit",
    what: "A measure of the letter stays within `max` (and/or `min`): exclamation_marks, caps_words (words of four or more capital letters, `ignore` lists acronyms), sentence_words (the longest sentence), sentences, paragraph_words (the longest paragraph), readability (FOG-PL / Gunning fog: 0.4 × (words per sentence + 100 × share of long words), a long word having 4+ syllables in Polish, 3+ in English; about 9–12 reads easily).",
    why: "Shouting (!!!, CAPITALS) and walls of text read as anger or indifference; the standard sets a calm, clear tone that every agent and template keeps.",
    example: "kind = \"limit\"\nmetric = \"exclamation_marks\"\nmax = 1",
    instead: "Split long sentences, drop exclamation marks and capitals; say it once, plainly.",
};

/// What a `limit` rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// `!` characters.
    ExclamationMarks,
    /// Words of four or more letters, all capitals.
    CapsWords,
    /// Words in the longest sentence.
    SentenceWords,
    /// Number of sentences.
    Sentences,
    /// Words in the longest paragraph.
    ParagraphWords,
    /// FOG-PL / Gunning fog index.
    Readability,
}

impl Metric {
    /// The help listing metrics.
    pub const HELP: &'static str =
        "metrics are: exclamation_marks, caps_words, sentence_words, sentences, paragraph_words, readability";

    /// Parses a metric name.
    pub fn parse(name: &str) -> Option<Metric> {
        Some(match name {
            "exclamation_marks" => Metric::ExclamationMarks,
            "caps_words" => Metric::CapsWords,
            "sentence_words" => Metric::SentenceWords,
            "sentences" => Metric::Sentences,
            "paragraph_words" => Metric::ParagraphWords,
            "readability" => Metric::Readability,
            _ => return None,
        })
    }

    /// The name as written in packs.
    pub fn name(self) -> &'static str {
        match self {
            Metric::ExclamationMarks => "exclamation_marks",
            Metric::CapsWords => "caps_words",
            Metric::SentenceWords => "sentence_words",
            Metric::Sentences => "sentences",
            Metric::ParagraphWords => "paragraph_words",
            Metric::Readability => "readability",
        }
    }

    /// Measures `text`; `pl` chooses the long-word threshold of the readability index.
    pub fn measure(self, text: &str, ignore: &[String], pl: bool) -> (f64, Option<String>) {
        match self {
            Metric::ExclamationMarks => (text.matches('!').count() as f64, None),
            Metric::CapsWords => {
                let caps: Vec<&str> = words(text)
                    .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
                    .filter(|w| w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()))
                    .filter(|w| !ignore.iter().any(|i| i == w))
                    .collect();
                let first = caps.first().map(|w| w.to_string());
                (caps.len() as f64, first)
            }
            Metric::SentenceWords => {
                let longest = sentences(text).into_iter().max_by_key(|s| words(s).count());
                let n = longest.map_or(0, |s| words(s).count());
                (n as f64, longest.map(|s| clip(s.trim())))
            }
            Metric::Sentences => (sentences(text).len() as f64, None),
            Metric::ParagraphWords => {
                let longest = paragraphs(text).into_iter().map(|r| &text[r]).max_by_key(|p| words(p).count());
                (longest.map_or(0, |p| words(p).count()) as f64, longest.map(|p| clip(p.trim())))
            }
            Metric::Readability => (readability(text, pl), None),
        }
    }
}

/// FOG-PL (Pisarek) / Gunning fog: 0.4 × (words per sentence + 100 × long words / words).
pub fn readability(text: &str, pl: bool) -> f64 {
    let sentence_count = sentences(text).len().max(1) as f64;
    let long = if pl { 4 } else { 3 };
    let (mut total, mut hard) = (0usize, 0usize);
    for w in words(text).filter(|w| w.chars().any(char::is_alphabetic)) {
        total += 1;
        if syllables(w) >= long {
            hard += 1;
        }
    }
    if total == 0 {
        return 0.0;
    }
    let index = 0.4 * (total as f64 / sentence_count + 100.0 * hard as f64 / total as f64);
    (index * 10.0).round() / 10.0
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reports a measure beyond its bounds.
#[allow(clippy::too_many_arguments)]
pub fn check(
    rule: &Rule,
    within: Region,
    metric: Metric,
    max: Option<f64>,
    min: Option<f64>,
    ignore: &[String],
    prepared: &Prepared<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let text = match within {
        Region::Subject => prepared.input.subject,
        other => &prepared.input.text[prepared.region(other)],
    };
    let pl = prepared.input.locale.starts_with("pl");
    let (value, evidence) = metric.measure(text, ignore, pl);
    let broken = match (max, min) {
        (Some(max), _) if value > max => Some(format!("{} is {value}, at most {max}", metric.name())),
        (_, Some(min)) if value < min => Some(format!("{} is {value}, at least {min}", metric.name())),
        _ => None,
    };
    if let Some(detail) = broken {
        let mut d = finding(rule, Some(detail));
        d.found = evidence;
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures() {
        let ignore = vec!["IBAN".to_string()];
        assert_eq!(Metric::ExclamationMarks.measure("Uwaga! Pilne!!", &ignore, true).0, 3.0);
        assert_eq!(Metric::CapsWords.measure("PILNE: zapłać VAT na IBAN TERAZ", &ignore, true).0, 2.0);
        assert_eq!(Metric::SentenceWords.measure("Raz dwa. Trzy cztery pięć.", &ignore, true).0, 3.0);
        assert_eq!(Metric::Sentences.measure("Raz dwa. Trzy cztery pięć.", &ignore, true).0, 2.0);
        assert_eq!(Metric::ParagraphWords.measure("a b\n\nc d e\n", &ignore, true).0, 3.0);
    }

    #[test]
    fn readability_rises_with_long_words_and_sentences() {
        let easy = readability("Dziękujemy za list. Odpowiemy szybko.", true);
        let hard = readability(
            "Uprzejmie informujemy, że przedmiotowa reklamacja, po przeprowadzeniu szczegółowego postępowania wyjaśniającego, nie została uwzględniona.",
            true,
        );
        assert!(easy < 6.0 && hard > 15.0, "easy {easy}, hard {hard}");
    }
}
