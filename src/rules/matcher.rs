//! One multi-pattern matcher per locale over every phrase of every rule, built at load and run
//! once over a letter's folded text; rules then pick their own matches by region.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::{Kind, Prepared, Region, Rule};

/// A phrase found in a letter.
#[derive(Debug, Clone)]
pub struct Match {
    /// The phrase as written in the rule (or the pattern).
    pub phrase: String,
    /// The folded range in the text or the subject.
    pub range: Range<usize>,
    /// Found in the subject line, not the text.
    pub in_subject: bool,
}

struct LocaleMatcher {
    automaton: Option<AhoCorasick>,
    /// Pattern index → (rule index, phrase as written, stem).
    patterns: Vec<(usize, String, bool)>,
    /// Regular expressions of rules that have them: (rule index, expression).
    regexes: Vec<(usize, regex::Regex)>,
}

/// All phrases of all rules, per locale.
pub struct Matcher {
    locales: BTreeMap<String, LocaleMatcher>,
}

impl Matcher {
    /// Builds one automaton per locale.
    pub fn new(rules: &[Rule], locales: &[String]) -> Matcher {
        let mut out = BTreeMap::new();
        for locale in locales {
            let mut patterns = Vec::new();
            let mut folded = Vec::new();
            let mut regexes = Vec::new();
            for (index, rule) in rules.iter().enumerate() {
                let lists = match &rule.kind {
                    Kind::Require { phrases, .. } | Kind::Forbid { phrases, .. } => vec![phrases],
                    Kind::Structure { salutation, closing } => vec![salutation, closing],
                    _ => vec![],
                };
                for list in lists {
                    for re in list.patterns.get(locale).into_iter().flatten() {
                        regexes.push((index, re.clone()));
                    }
                    for phrase in list.by_locale.get(locale).into_iter().flatten() {
                        patterns.push((index, phrase.written.clone(), phrase.stem));
                        folded.push(phrase.folded.clone());
                    }
                }
            }
            // Phrases are short literal strings; building cannot fail for them.
            let automaton = (!folded.is_empty()).then(|| AhoCorasick::new(&folded).ok()).flatten();
            out.insert(locale.clone(), LocaleMatcher { automaton, patterns, regexes });
        }
        Matcher { locales: out }
    }

    /// Every phrase match of `locale` in folded `text`, at word boundaries.
    pub fn find(&self, locale: &str, text: &str) -> Vec<(usize, Range<usize>)> {
        let Some(m) = self.locales.get(locale) else { return Vec::new() };
        let Some(automaton) = &m.automaton else { return Vec::new() };
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for found in automaton.find_overlapping_iter(text) {
            let (start, end) = (found.start(), found.end());
            let stem = m.patterns[found.pattern().as_usize()].2;
            let starts_word = start > 0 && bytes[start - 1] == b' ';
            let ends_word = stem || bytes.get(end) == Some(&b' ');
            if starts_word && ends_word {
                // A stem covers the whole inflected word it matched.
                let end = if stem { text[end..].find(' ').map_or(text.len(), |i| end + i) } else { end };
                out.push((found.pattern().as_usize(), start..end));
            }
        }
        out
    }

    /// The matches of rule `index` within `region` (phrases, then its regex patterns).
    pub fn matches_of(&self, index: usize, prepared: &Prepared<'_>, region: Region) -> Vec<Match> {
        let locale = prepared.input.locale;
        let Some(m) = self.locales.get(locale) else { return Vec::new() };
        let in_subject = region == Region::Subject;
        let (folded, range) = prepared.folded_region(region);
        let source = if in_subject { &prepared.subject_matches } else { &prepared.text_matches };
        let mut out: Vec<Match> = source
            .iter()
            .filter(|(p, r)| m.patterns[*p].0 == index && r.start >= range.start && r.end <= range.end)
            .map(|(p, r)| Match { phrase: m.patterns[*p].1.clone(), range: r.clone(), in_subject })
            .collect();
        for (_, re) in m.regexes.iter().filter(|(i, _)| *i == index) {
            let hay = &folded.text[range.clone()];
            for found in re.find_iter(hay) {
                out.push(Match {
                    phrase: re.as_str().to_string(),
                    range: range.start + found.start()..range.start + found.end(),
                    in_subject,
                });
            }
        }
        out
    }
}
