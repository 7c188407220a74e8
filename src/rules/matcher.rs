//! One multi-pattern matcher per locale over every phrase of every rule, built at load and run
//! once over a letter's folded text; rules then pick their own matches by region.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, StartKind};

use super::{Prepared, Region, Rule};

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

/// One phrase in a locale's automaton.
struct Pattern {
    /// The rule it belongs to.
    rule: usize,
    /// Which of the rule's phrase lists (a structure rule's salutations are 0, closings 1).
    list: u8,
    /// As written in the rule.
    written: String,
    /// Matches any word that starts with it.
    stem: bool,
    /// Its folded length in bytes.
    len: usize,
}

struct LocaleMatcher {
    /// The locale's phrases as aho-corasick's DFA for anchored walks, driven by
    /// [`Matcher::find`]'s own loop from each word start: the crate's overlapping iterator
    /// reaches the automaton through `dyn` and walks every byte of the text in one chain.
    automaton: Option<DFA>,
    /// Pattern index → the phrase.
    patterns: Vec<Pattern>,
    /// Bytes that some phrase starts with.
    starts: [bool; 256],
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
                for (number, list) in (0u8..).zip(rule.kind.get().phrase_lists()) {
                    for re in list.patterns.get(locale).into_iter().flatten() {
                        regexes.push((index, re.clone()));
                    }
                    for phrase in list.by_locale.get(locale).into_iter().flatten() {
                        patterns.push(Pattern {
                            rule: index,
                            list: number,
                            written: phrase.written.clone(),
                            stem: phrase.stem,
                            len: phrase.folded.len(),
                        });
                        folded.push(phrase.folded.clone());
                    }
                }
            }
            // Phrases are short literal strings; building cannot fail for them.
            // No prefilter: it would make the start state special, to skip ahead from it.
            let automaton = (!folded.is_empty())
                .then(|| DFA::builder().prefilter(false).start_kind(StartKind::Anchored).build(&folded).ok())
                .flatten();
            let mut starts = [false; 256];
            for phrase in &folded {
                if let Some(&b) = phrase.as_bytes().first() {
                    starts[usize::from(b)] = true;
                }
            }
            out.insert(locale.clone(), LocaleMatcher { automaton, patterns, starts, regexes });
        }
        Matcher { locales: out }
    }

    /// Every phrase match of `locale` in folded `text`, at word boundaries.
    ///
    /// Phrases start words, so the automaton is walked anchored from each word start until
    /// no phrase goes on with the next byte, not over every byte: the walks are short and
    /// independent, where one unanchored walk over the whole text waits on each transition
    /// before the next. The matches come out in the order of aho-corasick's overlapping
    /// search: by end, the longer first, then by pattern.
    pub fn find(&self, locale: &str, text: &str) -> Vec<(usize, Range<usize>)> {
        let Some(m) = self.locales.get(locale) else { return Vec::new() };
        let Some(automaton) = &m.automaton else { return Vec::new() };
        let Ok(anchor) = automaton.start_state(Anchored::Yes) else { return Vec::new() };
        let bytes = text.as_bytes();
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        for space in bytes.iter().enumerate().filter(|(_, b)| **b == b' ').map(|(i, _)| i) {
            let start = space + 1;
            // A word that starts with a byte no phrase starts with is passed over.
            if !bytes.get(start).is_some_and(|&b| m.starts[usize::from(b)]) {
                continue;
            }
            let mut sid = anchor;
            for (at, &byte) in (start..).zip(&bytes[start..]) {
                sid = automaton.next_state(Anchored::Yes, sid, byte);
                if !automaton.is_special(sid) {
                    continue;
                }
                if automaton.is_dead(sid) {
                    break;
                }
                let end = at + 1;
                for i in 0..automaton.match_len(sid) {
                    let pattern = automaton.match_pattern(sid, i);
                    // A state's matches include phrases that are suffixes of this one; they
                    // start later, at their own word start (if any), and are found from there.
                    if end - automaton.pattern_len(pattern) != start {
                        continue;
                    }
                    let stem = m.patterns[pattern.as_usize()].stem;
                    if stem || bytes.get(end) == Some(&b' ') {
                        let word_end = if stem {
                            memchr::memchr(b' ', &bytes[end..]).map_or(bytes.len(), |i| end + i)
                        } else {
                            end
                        };
                        found.push((pattern.as_usize(), start..word_end));
                    }
                }
            }
        }
        // Found by start; sorted by where the phrase ends (a stem's range runs on to its
        // word's end), stably, so equal ends stay longer first and then by pattern.
        found.sort_by_key(|(pattern, range)| range.start + m.patterns[*pattern].len);
        found
    }

    /// The matches of rule `index` within `region` (phrases, then its regex patterns).
    pub fn matches_of(&self, index: usize, prepared: &Prepared<'_>, region: Region) -> Vec<Match> {
        let locale = prepared.input.locale;
        let Some(m) = self.locales.get(locale) else { return Vec::new() };
        let in_subject = region == Region::Subject;
        let (folded, range) = prepared.folded_region(region);
        let source = if in_subject { prepared.subject_matches() } else { &prepared.text_matches };
        let mut out: Vec<Match> = source
            .iter()
            .filter(|(p, r)| m.patterns[*p].rule == index && r.start >= range.start && r.end <= range.end)
            .map(|(p, r)| Match { phrase: m.patterns[*p].written.clone(), range: r.clone(), in_subject })
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

    /// Whether list `list` of rule `index` has a phrase in the folded text as a whole word
    /// (a stem only as the word itself), between spaces that lie within `range`: what
    /// searching `range` for the phrase padded with spaces answers, read from the matches
    /// the automaton found. `None` when the locale has no automaton of its own.
    pub fn has_word(&self, index: usize, list: u8, prepared: &Prepared<'_>, range: Range<usize>) -> Option<bool> {
        let m = self.locales.get(prepared.input.locale)?;
        m.automaton.as_ref()?;
        let bytes = prepared.text.text.as_bytes();
        Some(prepared.text_matches.iter().any(|(p, r)| {
            let pattern = &m.patterns[*p];
            let end = r.start + pattern.len;
            pattern.rule == index
                && pattern.list == list
                && r.start > range.start
                && end < range.end
                && bytes.get(end) == Some(&b' ')
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::format::Formats;
    use crate::rules::text::{Folded, paragraphs};
    use crate::rules::{Input, Kind, Rules, kinds};
    use crate::source::SourceFile;

    /// `find` reports what aho-corasick's own overlapping search reports, in its order, for the
    /// bundled standard's phrases over texts with overlapping phrases, stems and repeats.
    #[test]
    fn the_search_loop_finds_what_the_overlapping_iterator_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let standard = crate::Standard::load(root).expect("the bundled standard loads");
        let rules = standard.rules();
        let texts = [
            "Szanowna Pani, dziękujemy za terminowe płatności. Z poważaniem, z poważaniem",
            "system naliczył komputer się pomylił nie mogę nic zrobić dziękujemyy dziękuję",
            "",
            "z",
            "zzz poważaniem z poważaniemm thank you thanks for your patience thank you",
            "z z poważaniem poważaniem dziękujemy dziękujemy za za terminowe płatności thank thank you you",
            "we apologise for the inconvenience apologise we apologise sincerely z poważaniem",
        ];
        let mut seen = 0;
        for locale in ["pl", "en"] {
            let mut folded = Vec::new();
            for rule in rules.rules() {
                for list in rule.kind.get().phrase_lists() {
                    folded.extend(list.by_locale.get(locale).into_iter().flatten().map(|p| p.folded.clone()));
                }
            }
            let reference = aho_corasick::AhoCorasick::new(&folded).expect("phrases build");
            let m = &rules.matcher.locales[locale];
            for text in texts {
                let folded_text = Folded::new(text).text;
                let bytes = folded_text.as_bytes();
                let expected: Vec<(usize, Range<usize>)> = reference
                    .find_overlapping_iter(&folded_text)
                    .filter_map(|found| {
                        let (start, end, p) = (found.start(), found.end(), found.pattern().as_usize());
                        let stem = m.patterns[p].stem;
                        let whole = start > 0 && bytes[start - 1] == b' ' && (stem || bytes.get(end) == Some(&b' '));
                        let end =
                            if stem { folded_text[end..].find(' ').map_or(bytes.len(), |i| end + i) } else { end };
                        whole.then_some((p, start..end))
                    })
                    .collect();
                assert_eq!(rules.matcher.find(locale, &folded_text), expected, "{locale}: {text:?}");
                seen += expected.len();
            }
        }
        assert!(seen >= 8, "the texts hold phrases of the standard ({seen} found)");
    }

    /// The subject is folded and searched only when a rule looks there, and then its phrases
    /// are found there (and not in the text), traced to the subject.
    #[test]
    fn subject_rules_find_their_phrases_in_the_subject_alone() {
        let pack = SourceFile::new(
            "rules/p.toml",
            "[pack]\nname = \"P\"\nowner = \"o@example.pl\"\nreview_by = 2027-06-30\n\n\
             [[rule]]\nid = \"p.no-urgent\"\nkind = \"forbid\"\nwithin = \"subject\"\nmessage = \"m\"\nphrases.pl = [\"pilne\"]\n\n\
             [[rule]]\nid = \"p.names-invoice\"\nkind = \"require\"\nwithin = \"subject\"\nmessage = \"m\"\nphrases.pl = [\"faktur*\"]\n",
        );
        let locales = vec!["pl".to_string()];
        let rules = Rules::new(&[pack], &["p".to_string()], &locales).expect("the pack loads");
        let fields = tera::Map::default();
        let formats = Formats::new("pl", crate::locale::format::Grouping::Cldr).expect("Polish formats");
        let check = |subject: &str, text: &str| {
            let input = Input {
                template: "t",
                kind: "letter",
                locale: "pl",
                subject,
                text,
                fields: &fields,
                formats: &formats,
                sender: "",
                attachments: 0,
            };
            rules.check(&input).into_iter().map(|d| (d.code, d.spot.map(|s| (s.subject, s.range)))).collect::<Vec<_>>()
        };
        assert_eq!(check("PILNE: Faktura", "Pilne, pilne.\n"), [("p.no-urgent".to_string(), Some((true, 0..5)))]);
        assert_eq!(check("Dokument", "Faktura w załączeniu.\n"), [("p.names-invoice".to_string(), Some((true, 0..8)))]);
        assert!(check("Faktury", "Pilne.\n").is_empty());
    }

    /// The structure rule's answers read from the automaton's matches agree with searching the
    /// region for each phrase between spaces, for phrases at region edges, stems, inflected
    /// words, repeats and phrases shared with another rule.
    #[test]
    fn structure_words_from_matches_agree_with_searching() {
        let pack = SourceFile::new(
            "rules/p.toml",
            "[pack]\nname = \"P\"\nowner = \"o@example.pl\"\nreview_by = 2027-06-30\n\n\
             [[rule]]\nid = \"p.thanks\"\nkind = \"require\"\nmessage = \"m\"\nphrases.pl = [\"z poważaniem\", \"szanown*\"]\n\n\
             [[rule]]\nid = \"p.frame\"\nkind = \"structure\"\nmessage = \"m\"\n\
             salutation.pl = [\"Szanowna Pani\", \"Szanown*\", \"Dzień dobry\"]\nclosing.pl = [\"Z poważaniem\", \"Pozdrawiam*\"]\n",
        );
        let locales = vec!["pl".to_string()];
        let rules = Rules::new(&[pack], &["p".to_string()], &locales).expect("the pack loads");
        let index = rules.rules().iter().position(|r| r.id == "p.frame").expect("the rule");
        let Kind::Structure(frame) = &rules.rules()[index].kind else { panic!("structure") };
        let (salutation, closing) = (&frame.salutation, &frame.closing);
        let texts = [
            "Szanowna Pani,\n\ntreść.\n\nZ poważaniem\nFirma\n",
            "Szanownej Pani\n\nDzień dobry!\n\nTekst\n\nPozdrawiamy serdecznie\n",
            "Szanowny\n\nx\n\ny\n\nz\n\nZ poważaniem,\n",
            "Tekst bez niczego.\n\nPozdrawiam\n",
            "Dzień\ndobry\n\nSzanowna Pani Szanowna Pani\n\nz  POWAŻANIEM\n",
            "",
            "Z poważaniem",
        ];
        let fields = tera::Map::default();
        let formats = Formats::new("pl", crate::locale::format::Grouping::Cldr).expect("Polish formats");
        for text in texts {
            let input = Input {
                template: "t",
                kind: "letter",
                locale: "pl",
                subject: "",
                text,
                fields: &fields,
                formats: &formats,
                sender: "",
                attachments: 0,
            };
            let prepared = Prepared::new(&input, &rules.matcher);
            assert_eq!(prepared.paragraphs, paragraphs(text));
            for (list, phrases, region) in
                [(0, salutation, Region::Opening(3)), (1, closing, Region::Closing(1)), (1, closing, Region::Whole)]
            {
                let (folded, range) = prepared.folded_region(region);
                let searched = kinds::structure::search(phrases, "pl", folded, range.clone());
                let read = rules.matcher.has_word(index, list, &prepared, range);
                assert_eq!(read, Some(searched), "{text:?} {region:?}");
            }
        }
    }
}
