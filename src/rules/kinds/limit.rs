//! `limit`: tone and length measured and kept within bounds.

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, Say, Span, text};
use crate::rules::text::measure::Stats;
use crate::rules::{Checking, Region};

/// `limit` in the handbook: its name and example (its words are `kind-limit-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc =
    KindDoc { name: "limit", example: "kind = \"limit\"\nmetric = \"exclamation_marks\"\nmax = 1" };

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
        let stats = Stats::of(text);
        let value = self.read(&stats, ignore, pl);
        (value, self.evidence(&stats, text, ignore))
    }

    /// Reads the measure from a text's statistics.
    pub fn read(self, stats: &Stats, ignore: &[String], pl: bool) -> f64 {
        match self {
            Metric::ExclamationMarks => stats.exclamation_marks as f64,
            Metric::CapsWords => stats.caps_words.iter().filter(|w| !ignore.contains(w)).count() as f64,
            Metric::SentenceWords => stats.longest_sentence.0 as f64,
            Metric::Sentences => stats.sentences as f64,
            Metric::ParagraphWords => stats.longest_paragraph.0 as f64,
            Metric::Readability => {
                let hard = if pl { stats.long_words_pl } else { stats.long_words_en };
                if stats.words == 0 {
                    return 0.0;
                }
                let index = 0.4
                    * (stats.words as f64 / stats.sentences.max(1) as f64 + 100.0 * hard as f64 / stats.words as f64);
                (index * 10.0).round() / 10.0
            }
        }
    }

    /// What a finding quotes: the first capitalised word, the longest sentence or paragraph.
    pub fn evidence(self, stats: &Stats, text: &str, ignore: &[String]) -> Option<String> {
        let quote = |range: &std::ops::Range<usize>| text.get(range.clone()).map(|s| clip(s.trim()));
        match self {
            Metric::CapsWords => stats.caps_words.iter().find(|w| !ignore.contains(w)).cloned(),
            Metric::SentenceWords => quote(&stats.longest_sentence.1),
            Metric::ParagraphWords => quote(&stats.longest_paragraph.1),
            _ => None,
        }
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `limit` rule: a measure of tone or length stays within bounds.
#[derive(Debug, Clone)]
pub struct Limit {
    /// Where to measure.
    pub within: Region,
    /// What to measure.
    pub metric: Metric,
    /// Upper bound.
    pub max: Option<f64>,
    /// Lower bound.
    pub min: Option<f64>,
    /// Words not counted (acronyms for `caps_words`).
    pub ignore: Vec<String>,
}

/// Reads a `limit` rule: `metric`, `max` and/or `min`, `ignore`, and `within`.
pub(crate) fn parse(p: Parsing<'_>) -> Result<Kind> {
    let name = p.raw.metric.as_deref().ok_or_else(|| p.bad("a `limit` rule needs `metric`".into(), Metric::HELP))?;
    let metric = Metric::parse(name).ok_or_else(|| p.bad(format!("`{name}` is not a metric"), Metric::HELP))?;
    if p.raw.max.is_none() && p.raw.min.is_none() {
        return Err(p.bad("a `limit` rule needs `max` or `min`".into(), "add max = … (or min = …)"));
    }
    Ok(Kind::Limit(Limit {
        within: p.within.unwrap_or(Region::Whole),
        metric,
        max: p.raw.max,
        min: p.raw.min,
        ignore: p.raw.ignore.clone(),
    }))
}

impl RuleKind for Limit {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports a measure beyond its bounds.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let Limit { within, metric, max, min, ignore } = self;
        let (metric, max, min) = (*metric, *max, *min);
        let prepared = at.prepared;
        let pl = prepared.input.locale.starts_with("pl");
        let owned;
        let (stats, text) = match within {
            Region::Whole => (prepared.stats(), prepared.input.text),
            Region::Subject => {
                owned = Stats::of(prepared.input.subject);
                (&owned, prepared.input.subject)
            }
            other => {
                let text = &prepared.input.text[prepared.region(*other)];
                owned = Stats::of(text);
                (&owned, text)
            }
        };
        let value = metric.read(stats, ignore, pl);
        let broken = match (max, min) {
            (Some(max), _) if value > max => Some(format!("{} is {value}, at most {max}", metric.name())),
            (_, Some(min)) if value < min => Some(format!("{} is {value}, at least {min}", metric.name())),
            _ => None,
        };
        if let Some(detail) = broken {
            let mut d =
                if *within == Region::Whole { at.finding(Some(detail)) } else { at.finding_in(*within, Some(detail)) };
            d.found = metric.evidence(stats, text, ignore);
            out.push(d);
        }
    }

    fn within(&self) -> Option<Region> {
        Some(self.within)
    }

    fn group(&self) -> Group {
        Group::Keep
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        let words = words(with.words, self.metric, self.max, self.min, self.within);
        let mut blocks = vec![Block::Para(vec![Span::Strong(words)])];
        if !self.ignore.is_empty() {
            let mut spans = with.words.spans("limit-not-counted", &[]);
            spans.push(text(" "));
            for (i, word) in self.ignore.iter().enumerate() {
                if i > 0 {
                    spans.push(text(", "));
                }
                spans.push(Span::Code(word.clone()));
            }
            spans.push(text("."));
            blocks.push(Block::Para(spans));
        }
        blocks
    }
}

/// A limit in the handbook's words: "At most 1 exclamation mark per letter".
fn words(say: &dyn Say, metric: Metric, max: Option<f64>, min: Option<f64>, within: Region) -> String {
    // Counted per letter (or region), or a bound on each sentence or paragraph.
    let counted = matches!(metric, Metric::ExclamationMarks | Metric::CapsWords | Metric::Sentences);
    let name = metric.name();
    let place = match within {
        Region::Whole if counted => format!(" {}", say.say("limit-per-letter", &[])),
        Region::Whole => String::new(),
        other => format!(" {}", other.say(say)),
    };
    let (min_arg, max_arg) = (Arg::Num(min.unwrap_or(0.0)), Arg::Num(max.unwrap_or(0.0)));
    let bound = |id: &str| say.say(id, &[("min", min_arg), ("max", max_arg)]);
    let shape = match (min, max) {
        (Some(_), Some(_)) => "between",
        (Some(_), None) => "at-least",
        (None, Some(_)) => "at-most",
        (None, None) => "any",
    };
    if metric == Metric::Readability {
        let bound = bound(&format!("bound-{shape}"));
        return say.say("limit-readability", &[("bound", Arg::Text(&bound)), ("place", Arg::Text(&place))]);
    }
    if !counted {
        let bound = bound(&format!("words-{shape}"));
        let args = [("metric", Arg::Key(name)), ("bound", Arg::Text(&bound)), ("place", Arg::Text(&place))];
        return say.say("limit-each", &args);
    }
    let none = max == Some(0.0) && min.is_none_or(|m| m == 0.0);
    let (id, n) = match shape {
        _ if none => ("limit-none", 0.0),
        "at-least" => ("limit-at-least", min.unwrap_or(0.0)),
        "at-most" => ("limit-at-most", max.unwrap_or(0.0)),
        "between" => ("limit-between", max.unwrap_or(0.0)),
        _ => ("limit-any", 5.0),
    };
    let place = match within {
        Region::Whole if none => format!(" {}", say.say("limit-in-a-letter", &[])),
        _ => place,
    };
    let noun = say.say(&format!("metric-{name}"), &[("n", Arg::Num(n))]);
    let args = [
        ("metric", Arg::Key(name)),
        ("noun", Arg::Text(&noun)),
        ("min", min_arg),
        ("max", max_arg),
        ("place", Arg::Text(&place)),
    ];
    say.say(id, &args)
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

    /// The one-pass count agrees with counting paragraph by paragraph, sentence by sentence.
    #[test]
    fn limits_in_words() {
        let en = crate::rules::prose::English::load();
        let words = |metric, max, min, within| words(&en, metric, max, min, within);
        assert_eq!(
            words(Metric::ExclamationMarks, Some(1.0), None, Region::Whole),
            "At most 1 exclamation mark per letter."
        );
        assert_eq!(
            words(Metric::ExclamationMarks, Some(2.0), None, Region::Subject),
            "At most 2 exclamation marks in the subject line."
        );
        assert_eq!(words(Metric::CapsWords, Some(0.0), None, Region::Whole), "No words in capitals in a letter.");
        assert_eq!(
            words(Metric::Sentences, Some(12.0), Some(2.0), Region::Whole),
            "Between 2 and 12 sentences per letter."
        );
        assert_eq!(words(Metric::SentenceWords, Some(45.0), None, Region::Whole), "Sentences of at most 45 words.");
        assert_eq!(
            words(Metric::ParagraphWords, Some(120.0), None, Region::Opening(3)),
            "Paragraphs of at most 120 words in the opening (first 3 paragraphs)."
        );
        assert_eq!(
            words(Metric::Readability, Some(18.0), None, Region::Whole),
            "A fog index (FOG-PL) of at most 18; about 9–12 reads easily."
        );
        assert!(words(Metric::Readability, Some(12.5), Some(9.0), Region::Whole).contains("between 9 and 12.5"));
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
