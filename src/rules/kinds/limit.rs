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
    /// Sentence and readability measures read prose only: tables are left out.
    pub fn measure(self, text: &str, ignore: &[String], pl: bool) -> (f64, Option<String>) {
        self.read(&Stats::of(text), ignore, pl)
    }

    /// Reads the measure from a letter's statistics.
    pub fn read(self, stats: &Stats, ignore: &[String], pl: bool) -> (f64, Option<String>) {
        match self {
            Metric::ExclamationMarks => (stats.exclamation_marks as f64, None),
            Metric::CapsWords => {
                let caps: Vec<&String> = stats.caps_words.iter().filter(|w| !ignore.contains(w)).collect();
                (caps.len() as f64, caps.first().map(|w| w.to_string()))
            }
            Metric::SentenceWords => (stats.longest_sentence.0 as f64, Some(stats.longest_sentence.1.clone())),
            Metric::Sentences => (stats.sentences as f64, None),
            Metric::ParagraphWords => (stats.longest_paragraph.0 as f64, Some(stats.longest_paragraph.1.clone())),
            Metric::Readability => {
                let hard = if pl { stats.long_words_pl } else { stats.long_words_en };
                if stats.words == 0 {
                    return (0.0, None);
                }
                let index = 0.4
                    * (stats.words as f64 / stats.sentences.max(1) as f64 + 100.0 * hard as f64 / stats.words as f64);
                ((index * 10.0).round() / 10.0, None)
            }
        }
    }
}

/// Everything the limits measure, counted in one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// `!` characters.
    pub exclamation_marks: usize,
    /// Words of four or more letters, all capitals.
    pub caps_words: Vec<String>,
    /// Sentences of prose.
    pub sentences: usize,
    /// Words of prose (with a letter).
    pub words: usize,
    /// Words of 4+ syllables (Polish long words).
    pub long_words_pl: usize,
    /// Words of 3+ syllables (English long words).
    pub long_words_en: usize,
    /// The longest sentence: its words and its start.
    pub longest_sentence: (usize, String),
    /// The longest paragraph: its words and its start.
    pub longest_paragraph: (usize, String),
}

impl Stats {
    /// Counts `text`; sentence, paragraph and readability counts read prose only (no tables).
    pub fn of(text: &str) -> Stats {
        let mut stats = Stats { exclamation_marks: text.matches('!').count(), ..Stats::default() };
        for w in words(text) {
            // Most words start in lower case; only the rest can be all capitals.
            if w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
            {
                stats.caps_words.push(w.to_string());
            }
        }
        let is_rule = |line: &str| line.contains("---") && line.chars().all(|c| c == '-' || c == ' ');
        let (mut longest_sentence, mut longest_paragraph) = ("", "");
        for range in paragraphs(text) {
            let paragraph = &text[range];
            if paragraph.lines().any(is_rule) {
                continue;
            }
            let mut paragraph_words = 0;
            for sentence in sentences(paragraph) {
                let mut n = 0;
                for w in words(sentence).filter(|w| w.chars().any(char::is_alphabetic)) {
                    n += 1;
                    let syllables = syllables(w);
                    stats.long_words_pl += usize::from(syllables >= 4);
                    stats.long_words_en += usize::from(syllables >= 3);
                }
                stats.sentences += 1;
                stats.words += n;
                paragraph_words += n;
                if n > stats.longest_sentence.0 {
                    stats.longest_sentence.0 = n;
                    longest_sentence = sentence;
                }
            }
            if paragraph_words > stats.longest_paragraph.0 {
                stats.longest_paragraph.0 = paragraph_words;
                longest_paragraph = paragraph;
            }
        }
        stats.longest_sentence.1 = clip(longest_sentence.trim());
        stats.longest_paragraph.1 = clip(longest_paragraph.trim());
        stats
    }
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
    let pl = prepared.input.locale.starts_with("pl");
    let (value, evidence) = match within {
        Region::Whole => metric.read(prepared.stats(), ignore, pl),
        Region::Subject => metric.measure(prepared.input.subject, ignore, pl),
        other => metric.measure(&prepared.input.text[prepared.region(other)], ignore, pl),
    };
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
        let table = "Tekst.\n\nPozycja  Kwota\n-------  -----\nA        1\nB        2\n";
        assert_eq!(Metric::Sentences.measure(table, &ignore, true).0, 1.0);
    }

    #[test]
    fn readability_rises_with_long_words_and_sentences() {
        let readability = |t: &str| Metric::Readability.measure(t, &[], true).0;
        let easy = readability("Mamy Pana list. Damy znać jutro.");
        let hard = readability(
            "Uprzejmie informujemy, że przedmiotowa reklamacja, po przeprowadzeniu szczegółowego postępowania wyjaśniającego, nie została uwzględniona.",
        );
        assert!(easy < 6.0 && hard > 15.0, "easy {easy}, hard {hard}");
    }
}
