//! `limit`: tone and length measured and kept within bounds.

use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Block, Describing, Group, Span, text};
use crate::rules::{Checking, Region};

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

/// Everything the limits measure, counted in one pass over a text.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The longest sentence: its words and where it is in the text.
    pub longest_sentence: (usize, std::ops::Range<usize>),
    /// The longest paragraph: its words and where it is in the text.
    pub longest_paragraph: (usize, std::ops::Range<usize>),
}

impl Stats {
    /// Counts `text` in one pass; sentence, paragraph and readability counts read prose only
    /// (a paragraph with a table rule line of dashes is a table and is left out). Sentences end
    /// after `.`, `!`, `?`, `…` before whitespace, at blank lines and before list items.
    pub fn of(text: &str) -> Stats {
        Stats::scan(text, 0)
    }

    /// [`Stats::of`], paragraph by paragraph through this thread's memo: a billing run's
    /// letters share most of their paragraphs (the thanks, the contact lines, the signature),
    /// and each is measured once. The text is cut only after a `\n\n` that a visible
    /// character follows, where the one-pass count has just closed a paragraph and starts
    /// afresh, so the sums are exactly what one pass over the whole text counts (a test holds
    /// the two together).
    pub fn of_paragraphs(text: &str) -> Stats {
        let mut total = Stats::default();
        let mut start = 0;
        let cuts = memchr::memmem::find_iter(text.as_bytes(), b"\n\n")
            .map(|i| i + 2)
            .filter(|&q| text.as_bytes().get(q).is_some_and(|&b| !matches!(b, b'\n' | b' ' | b'\t' | b'\r')));
        for end in cuts.chain(std::iter::once(text.len())) {
            let chunk = &text[start..end];
            PARAGRAPHS.with(|memo| match memo.try_borrow_mut() {
                Ok(mut memo) => {
                    if let Some(stats) = memo.map.get(chunk) {
                        total.append(stats, start);
                    } else {
                        let stats = Stats::scan(chunk, FIRST_SENTENCE);
                        total.append(&stats, start);
                        memo.keep(chunk, stats);
                    }
                }
                Err(_) => total.append(&Stats::scan(chunk, FIRST_SENTENCE), start),
            });
            start = end;
        }
        total
    }

    /// Adds the measures of a piece of text that starts at `offset` of the whole.
    fn append(&mut self, piece: &Stats, offset: usize) {
        let place = |range: &std::ops::Range<usize>| {
            // The piece's first sentence starts where the whole's last one ended: at the
            // `\n\n` before the piece (or the start of the text).
            let start = if range.start == FIRST_SENTENCE { offset.saturating_sub(2) } else { offset + range.start };
            start..offset + range.end
        };
        self.exclamation_marks += piece.exclamation_marks;
        self.caps_words.extend(piece.caps_words.iter().cloned());
        self.sentences += piece.sentences;
        self.words += piece.words;
        self.long_words_pl += piece.long_words_pl;
        self.long_words_en += piece.long_words_en;
        if piece.longest_sentence.0 > self.longest_sentence.0 {
            self.longest_sentence = (piece.longest_sentence.0, place(&piece.longest_sentence.1));
        }
        if piece.longest_paragraph.0 > self.longest_paragraph.0 {
            self.longest_paragraph = (piece.longest_paragraph.0, place(&piece.longest_paragraph.1));
        }
    }

    /// The one pass; `first_sentence` is where the first sentence is taken to start.
    fn scan(text: &str, first_sentence: usize) -> Stats {
        // One pass over the bytes: ASCII is read as it is, other characters decoded where
        // they start. Line starts look at the line only as far as they must (a table rule
        // line starts with `-` or a space; a list item with `-` or a digit).
        let bytes = text.as_bytes();
        let mut stats = Stats::default();
        let mut para = Paragraph::default();
        let mut word = Word::default();
        let mut sentence = (0usize, first_sentence); // (words, start)
        let mut line_start = true;
        let mut at = 0;
        while at < bytes.len() {
            if line_start {
                line_start = false;
                let rest = &text[at..];
                if matches!(bytes[at], b'-' | b' ') {
                    let line = rest.split('\n').next().unwrap_or("");
                    if line.contains("---") && line.bytes().all(|b| b == b'-' || b == b' ') {
                        para.table = true;
                    }
                    let item = line.trim_start_matches(' ');
                    if item.starts_with("- ") || starts_numbered(item) {
                        para.end_sentence(&mut sentence, at);
                    }
                } else if bytes[at].is_ascii_digit() && starts_numbered(rest) {
                    para.end_sentence(&mut sentence, at);
                }
                // A line that starts visibly is not blank; only the others need trimming.
                if para.start.is_none() && (bytes[at].is_ascii_graphic() || !is_blank_line(rest)) {
                    para.start = Some(at);
                }
                // The rest of a table counts only for `!` and capitalised words: when it can
                // hold no capitalised word, count its `!` and go to the paragraph's end.
                if para.table && !para.skip_tried {
                    para.skip_tried = true;
                    let end = paragraph_end(text, at);
                    if no_caps_word(&text[at..end]) {
                        stats.exclamation_marks += memchr::memchr_iter(b'!', &bytes[at..end]).count();
                        at = end;
                        continue;
                    }
                }
            }
            let b = bytes[at];
            let class = ASCII_CLASS[usize::from(b)];
            if class & ALNUM != 0 {
                word.push_ascii(b, class);
                at += 1;
                // The rest of the word's run of ASCII letters and digits and Polish letters,
                // read with locals rather than through `push_ascii`/`push` (same counts). Its
                // letters are kept for quoting only while it can still be all capitals: a word
                // that is not is never quoted.
                let (mut chars, mut letters, mut syllables, mut in_vowel) =
                    (word.chars, word.letters, word.syllables, word.in_vowel);
                let mut caps = word.first_upper && word.all_upper;
                while let Some(&b) = bytes.get(at) {
                    let class = ASCII_CLASS[usize::from(b)];
                    let vowel;
                    if class & ALNUM != 0 {
                        if class & DIGIT == 0 {
                            letters += 1;
                            if caps {
                                if class & UPPER != 0 {
                                    word.text.push(char::from(b));
                                } else {
                                    caps = false;
                                }
                            }
                        }
                        vowel = class & VOWEL != 0;
                        at += 1;
                    } else if let (0xc3..=0xc5, Some(&next)) = (b, bytes.get(at + 1))
                        && let Some(c) = char::from_u32((u32::from(b & 0x1f) << 6) | u32::from(next & 0x3f))
                        && is_polish(c)
                    {
                        letters += 1;
                        if caps {
                            if is_uppercase(c) {
                                word.text.push(c);
                            } else {
                                caps = false;
                            }
                        }
                        vowel = matches!(c, 'ą' | 'ę' | 'ó' | 'Ą' | 'Ę' | 'Ó');
                        at += 2;
                    } else {
                        break;
                    }
                    chars += 1;
                    syllables += usize::from(vowel && !in_vowel);
                    in_vowel = vowel;
                }
                (word.chars, word.letters, word.syllables, word.in_vowel) = (chars, letters, syllables, in_vowel);
                if word.first_upper {
                    word.all_upper = caps;
                }
                continue;
            }
            if b == b' ' {
                // The commonest separator: it ends the word and nothing else.
                word.finish(&mut stats, &mut para, &mut sentence);
                at += 1;
                continue;
            }
            let (c, len) = if b < 0x80 {
                (char::from(b), 1)
            } else {
                let c = text[at..].chars().next().unwrap_or('\u{fffd}');
                (c, c.len_utf8())
            };
            if is_alphanumeric(c) {
                word.push(c);
                at += len;
                continue;
            }
            word.finish(&mut stats, &mut para, &mut sentence);
            match c {
                '!' => stats.exclamation_marks += 1,
                '\n' => {
                    line_start = true;
                    let blank = text[at + 1..].trim_start_matches([' ', '\t']).starts_with('\n');
                    if blank || at + 1 == bytes.len() {
                        para.end_sentence(&mut sentence, at);
                        para.finish(&mut stats, at);
                    }
                    at += 1;
                    continue;
                }
                _ => {}
            }
            let ends =
                matches!(c, '.' | '!' | '?' | '…') && text[at + len..].chars().next().is_none_or(char::is_whitespace);
            if ends {
                para.end_sentence(&mut sentence, at + len);
            }
            at += len;
        }
        word.finish(&mut stats, &mut para, &mut sentence);
        para.end_sentence(&mut sentence, text.len());
        para.finish(&mut stats, text.len());
        stats
    }
}

/// Marks, in a memoised paragraph's measures, the start of its first sentence (which lies
/// before the paragraph, where the previous one ended).
const FIRST_SENTENCE: usize = usize::MAX;

/// The most text [`PARAGRAPHS`] keeps before starting over.
const PARAGRAPHS_MAX_BYTES: usize = 1 << 20;

/// Paragraphs measured on this thread: text → measures.
#[derive(Default)]
struct ParagraphMemo {
    map: rustc_hash::FxHashMap<Box<str>, Stats>,
    bytes: usize,
}

impl ParagraphMemo {
    fn keep(&mut self, text: &str, stats: Stats) {
        if self.bytes + text.len() > PARAGRAPHS_MAX_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += text.len();
        self.map.insert(text.into(), stats);
    }
}

thread_local! {
    static PARAGRAPHS: std::cell::RefCell<ParagraphMemo> = std::cell::RefCell::default();
}

/// [`ASCII_CLASS`] bits: a letter or digit, a digit, an upper-case letter, a vowel.
const ALNUM: u8 = 1;
const DIGIT: u8 = 2;
const UPPER: u8 = 4;
const VOWEL: u8 = 8;

/// What [`Word::push`] asks of a character, for every ASCII byte (0 for the rest).
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphanumeric() {
            class |= ALNUM;
        }
        if c.is_ascii_digit() {
            class |= DIGIT;
        }
        if c.is_ascii_uppercase() {
            class |= UPPER;
        }
        if matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            class |= VOWEL;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// `char::is_alphanumeric`, answered without the Unicode tables for ASCII and Polish letters.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_polish(c) || (!matches!(c, '\u{a0}' | '„' | '”' | '–') && c.is_alphanumeric())
}

/// The Polish letters beyond ASCII, lower and upper case.
fn is_polish(c: char) -> bool {
    matches!(
        c,
        'ą' | 'ć'
            | 'ę'
            | 'ł'
            | 'ń'
            | 'ó'
            | 'ś'
            | 'ź'
            | 'ż'
            | 'Ą'
            | 'Ć'
            | 'Ę'
            | 'Ł'
            | 'Ń'
            | 'Ó'
            | 'Ś'
            | 'Ź'
            | 'Ż'
    )
}

/// `char::is_uppercase`, answered without the Unicode tables for ASCII and Polish letters.
fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else if is_polish(c) {
        matches!(c, 'Ą' | 'Ć' | 'Ę' | 'Ł' | 'Ń' | 'Ó' | 'Ś' | 'Ź' | 'Ż')
    } else {
        c.is_uppercase()
    }
}

/// Where the paragraph that `from` is in ends, as [`Stats::of`] ends it: at a `\n` that a
/// blank line or the end of the text follows (or at the end of the text).
fn paragraph_end(text: &str, from: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[from..])
        .map(|i| from + i)
        .find(|&q| q + 1 == text.len() || text[q + 1..].trim_start_matches([' ', '\t']).starts_with('\n'))
        .unwrap_or(text.len())
}

/// Whether `text` certainly holds no capitalised word (see [`Word::finish`]): every run of
/// ASCII capitals and digits has fewer than four capitals or runs into a small letter, and
/// there is no capital beyond ASCII. (It may say no where there is none; never yes where
/// there is one.)
fn no_caps_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_uppercase() {
            let mut capitals = 0;
            while let Some(&c) = bytes.get(i) {
                if c.is_ascii_uppercase() {
                    capitals += 1;
                } else if !c.is_ascii_digit() {
                    break;
                }
                i += 1;
            }
            match bytes.get(i) {
                Some(c) if c.is_ascii_lowercase() => {}
                Some(&c) if c >= 0x80 => return false,
                _ if capitals >= 4 => return false,
                _ => {}
            }
            continue;
        } else if b >= 0x80 {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            if is_uppercase(c) {
                return false;
            }
            i += c.len_utf8();
            continue;
        }
        i += 1;
    }
    true
}

/// Whether the line starting `rest` (up to `\n`) is whitespace only.
fn is_blank_line(rest: &str) -> bool {
    rest.split('\n').next().unwrap_or("").trim().is_empty()
}

fn starts_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// The word being read.
#[derive(Default)]
struct Word {
    letters: usize,
    all_upper: bool,
    first_upper: bool,
    syllables: usize,
    in_vowel: bool,
    chars: usize,
    text: String,
}

impl Word {
    fn push(&mut self, c: char) {
        if self.chars == 0 {
            self.all_upper = true;
            self.first_upper = is_uppercase(c);
        }
        self.chars += 1;
        if c.is_ascii_digit() {
            // not a letter
        } else if c.is_ascii() || is_polish(c) || c.is_alphabetic() {
            self.letters += 1;
            // Only a word that starts in capitals can be all capitals.
            if self.first_upper {
                self.all_upper &= is_uppercase(c);
                self.text.push(c);
            }
        }
        let vowel = matches!(
            c,
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ą' | 'ę' | 'ó' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' | 'Ą' | 'Ę' | 'Ó'
        );
        if vowel && !self.in_vowel {
            self.syllables += 1;
        }
        self.in_vowel = vowel;
    }

    /// [`Word::push`] for an ASCII letter or digit, its class read from [`ASCII_CLASS`].
    fn push_ascii(&mut self, b: u8, class: u8) {
        let upper = class & UPPER != 0;
        if self.chars == 0 {
            self.all_upper = true;
            self.first_upper = upper;
        }
        self.chars += 1;
        if class & DIGIT == 0 {
            self.letters += 1;
            if self.first_upper {
                self.all_upper &= upper;
                self.text.push(char::from(b));
            }
        }
        let vowel = class & VOWEL != 0;
        self.syllables += usize::from(vowel && !self.in_vowel);
        self.in_vowel = vowel;
    }

    fn finish(&mut self, stats: &mut Stats, para: &mut Paragraph, sentence: &mut (usize, usize)) {
        if self.chars == 0 {
            return;
        }
        if self.letters > 0 {
            sentence.0 += 1;
            let syllables = self.syllables.max(1);
            para.long_pl += usize::from(syllables >= 4);
            para.long_en += usize::from(syllables >= 3);
            if self.first_upper && self.all_upper && self.letters >= 4 {
                stats.caps_words.push(std::mem::take(&mut self.text));
            }
        }
        self.text.clear();
        let buffer = std::mem::take(&mut self.text);
        *self = Word { text: buffer, ..Word::default() };
    }
}

/// The paragraph being read; its counts join the letter's only if it is prose.
#[derive(Default)]
struct Paragraph {
    start: Option<usize>,
    table: bool,
    /// Whether skipping the rest of this table was considered.
    skip_tried: bool,
    words: usize,
    sentences: usize,
    long_pl: usize,
    long_en: usize,
    longest: (usize, std::ops::Range<usize>),
}

impl Paragraph {
    fn end_sentence(&mut self, sentence: &mut (usize, usize), at: usize) {
        if sentence.0 > 0 {
            self.sentences += 1;
            self.words += sentence.0;
            if sentence.0 > self.longest.0 {
                self.longest = (sentence.0, sentence.1..at);
            }
        }
        *sentence = (0, at);
    }

    fn finish(&mut self, stats: &mut Stats, at: usize) {
        if !self.table && self.words > 0 {
            stats.sentences += self.sentences;
            stats.words += self.words;
            stats.long_words_pl += self.long_pl;
            stats.long_words_en += self.long_en;
            if self.longest.0 > stats.longest_sentence.0 {
                stats.longest_sentence = self.longest.clone();
            }
            if self.words > stats.longest_paragraph.0 {
                stats.longest_paragraph = (self.words, self.start.unwrap_or(at)..at);
            }
        }
        *self = Paragraph::default();
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
            let mut d = at.finding(Some(detail));
            d.found = metric.evidence(stats, text, ignore);
            out.push(d);
        }
    }

    fn group(&self) -> Group {
        Group::Keep
    }

    fn describe(&self, _with: &Describing<'_>) -> Vec<Block> {
        let mut blocks = vec![Block::Para(vec![Span::Strong(words(self.metric, self.max, self.min, self.within))])];
        if !self.ignore.is_empty() {
            let mut spans = vec![text("Not counted: ")];
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

/// A limit in plain words: "At most 1 exclamation mark per letter".
fn words(metric: Metric, max: Option<f64>, min: Option<f64>, within: Region) -> String {
    // Counted per letter (or region), or a bound on each sentence or paragraph.
    let (one, many, counted) = match metric {
        Metric::ExclamationMarks => ("exclamation mark", "exclamation marks", true),
        Metric::CapsWords => ("word in capitals", "words in capitals", true),
        Metric::Sentences => ("sentence", "sentences", true),
        Metric::SentenceWords => ("Sentences", "words", false),
        Metric::ParagraphWords => ("Paragraphs", "words", false),
        Metric::Readability => ("", "", false),
    };
    let place = match within {
        Region::Whole if counted => " per letter".to_string(),
        Region::Whole => String::new(),
        other => format!(" {}", other.describe()),
    };
    let noun = |n: f64| if n == 1.0 { one } else { many };
    if metric == Metric::Readability {
        let bound = match (min, max) {
            (Some(min), Some(max)) => format!("between {} and {}", number(min), number(max)),
            (Some(min), None) => format!("at least {}", number(min)),
            (None, Some(max)) => format!("at most {}", number(max)),
            (None, None) => "any".into(),
        };
        return format!("A fog index (FOG-PL) of {bound}{place}; about 9–12 reads easily.");
    }
    if !counted {
        let bound = match (min, max) {
            (Some(min), Some(max)) => format!("{} to {} {many}", number(min), number(max)),
            (Some(min), None) => format!("at least {} {}", number(min), if min == 1.0 { "word" } else { many }),
            (None, Some(max)) => format!("at most {} {}", number(max), if max == 1.0 { "word" } else { many }),
            (None, None) => format!("any number of {many}"),
        };
        return format!("{one} of {bound}{place}.");
    }
    match (min, max) {
        (min, Some(max)) if max == 0.0 && min.is_none_or(|m| m == 0.0) => {
            format!("No {many}{}.", if matches!(within, Region::Whole) { " in a letter" } else { &place })
        }
        (Some(min), Some(max)) => format!("Between {} and {} {many}{place}.", number(min), number(max)),
        (Some(min), None) => format!("At least {} {}{place}.", number(min), noun(min)),
        (None, Some(max)) => format!("At most {} {}{place}.", number(max), noun(max)),
        (None, None) => format!("Any number of {many}{place}."),
    }
}

/// A bound as people write it: `1`, not `1.0`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
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
    fn one_pass_matches_the_plain_definition() {
        use crate::rules::text::{paragraphs, sentences, syllables, words};
        let texts = [
            "Szanowna Pani,\n\nw załączeniu przesyłamy fakturę. Termin upływa 7 grudnia 2026 r. Dziękujemy!\n",
            "Może Pan:\n\n- złożyć odwołanie;\n- zwrócić się do sądu.\n\nZ poważaniem\nDział\n",
            "Pozycja  Kwota\n-------  -----\nA        1\n\nKoniec tekstu bez kropki",
            "",
            "!!!\n\n\n   \n",
        ];
        for text in texts {
            let stats = Stats::of(text);
            let (mut n_sentences, mut n_words, mut long_pl, mut longest) = (0, 0, 0, 0);
            for range in paragraphs(text) {
                let p = &text[range];
                if p.lines().any(|l| l.contains("---") && l.chars().all(|c| c == '-' || c == ' ')) {
                    continue;
                }
                for s in sentences(p) {
                    let ws: Vec<&str> = words(s).filter(|w| w.chars().any(char::is_alphabetic)).collect();
                    if ws.is_empty() {
                        continue;
                    }
                    n_sentences += 1;
                    n_words += ws.len();
                    long_pl += ws.iter().filter(|w| syllables(w) >= 4).count();
                    longest = longest.max(ws.len());
                }
            }
            assert_eq!(
                (stats.sentences, stats.words, stats.long_words_pl, stats.longest_sentence.0),
                (n_sentences, n_words, long_pl, longest),
                "{text:?}"
            );
            assert_eq!(stats.exclamation_marks, text.matches('!').count());
        }
    }

    /// The one-pass count as it was first written, character by character: the byte loop
    /// must agree with it on everything it measures.
    fn reference_stats(text: &str) -> Stats {
        let mut stats = Stats::default();
        let mut para = RefParagraph::default();
        let mut word = RefWord::default();
        let mut sentence = (0usize, 0usize); // (words, start)
        let mut line_start = true;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if line_start {
                line_start = false;
                let line = text[at..].split('\n').next().unwrap_or("");
                if line.contains("---") && line.chars().all(|c| c == '-' || c == ' ') {
                    para.table = true;
                }
                let item = line.trim_start_matches(' ');
                if item.starts_with("- ") || starts_numbered(item) {
                    para.end_sentence(&mut sentence, at);
                }
                if para.start.is_none() && !line.trim().is_empty() {
                    para.start = Some(at);
                }
            }
            if c.is_alphanumeric() {
                word.push(c);
                continue;
            }
            word.finish(&mut stats, &mut para, &mut sentence);
            match c {
                '!' => stats.exclamation_marks += 1,
                '\n' => {
                    line_start = true;
                    let blank = text[at + 1..].trim_start_matches([' ', '\t']).starts_with('\n');
                    if blank || chars.peek().is_none() {
                        para.end_sentence(&mut sentence, at);
                        para.finish(&mut stats, at);
                    }
                    continue;
                }
                _ => {}
            }
            let ends = matches!(c, '.' | '!' | '?' | '…') && chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if ends {
                para.end_sentence(&mut sentence, at + c.len_utf8());
            }
        }
        word.finish(&mut stats, &mut para, &mut sentence);
        para.end_sentence(&mut sentence, text.len());
        para.finish(&mut stats, text.len());
        stats
    }

    /// The word being read (the reference).
    #[derive(Default)]
    struct RefWord {
        letters: usize,
        all_upper: bool,
        first_upper: bool,
        syllables: usize,
        in_vowel: bool,
        chars: usize,
        text: String,
    }

    impl RefWord {
        fn push(&mut self, c: char) {
            if self.chars == 0 {
                self.all_upper = true;
                self.first_upper = c.is_uppercase();
            }
            self.chars += 1;
            if c.is_ascii_digit() {
                // not a letter
            } else if c.is_ascii() || c.is_alphabetic() {
                self.letters += 1;
                // Only a word that starts in capitals can be all capitals.
                if self.first_upper {
                    self.all_upper &= c.is_uppercase();
                    self.text.push(c);
                }
            }
            let vowel = matches!(
                c,
                'a' | 'e'
                    | 'i'
                    | 'o'
                    | 'u'
                    | 'y'
                    | 'ą'
                    | 'ę'
                    | 'ó'
                    | 'A'
                    | 'E'
                    | 'I'
                    | 'O'
                    | 'U'
                    | 'Y'
                    | 'Ą'
                    | 'Ę'
                    | 'Ó'
            );
            if vowel && !self.in_vowel {
                self.syllables += 1;
            }
            self.in_vowel = vowel;
        }

        fn finish(&mut self, stats: &mut Stats, para: &mut RefParagraph, sentence: &mut (usize, usize)) {
            if self.chars == 0 {
                return;
            }
            if self.letters > 0 {
                sentence.0 += 1;
                let syllables = self.syllables.max(1);
                para.long_pl += usize::from(syllables >= 4);
                para.long_en += usize::from(syllables >= 3);
                if self.first_upper && self.all_upper && self.letters >= 4 {
                    stats.caps_words.push(std::mem::take(&mut self.text));
                }
            }
            self.text.clear();
            let buffer = std::mem::take(&mut self.text);
            *self = RefWord { text: buffer, ..RefWord::default() };
        }
    }

    /// The paragraph being read (the reference).
    #[derive(Default)]
    struct RefParagraph {
        start: Option<usize>,
        table: bool,
        words: usize,
        sentences: usize,
        long_pl: usize,
        long_en: usize,
        longest: (usize, std::ops::Range<usize>),
    }

    impl RefParagraph {
        fn end_sentence(&mut self, sentence: &mut (usize, usize), at: usize) {
            if sentence.0 > 0 {
                self.sentences += 1;
                self.words += sentence.0;
                if sentence.0 > self.longest.0 {
                    self.longest = (sentence.0, sentence.1..at);
                }
            }
            *sentence = (0, at);
        }

        fn finish(&mut self, stats: &mut Stats, at: usize) {
            if !self.table && self.words > 0 {
                stats.sentences += self.sentences;
                stats.words += self.words;
                stats.long_words_pl += self.long_pl;
                stats.long_words_en += self.long_en;
                if self.longest.0 > stats.longest_sentence.0 {
                    stats.longest_sentence = self.longest.clone();
                }
                if self.words > stats.longest_paragraph.0 {
                    stats.longest_paragraph = (self.words, self.start.unwrap_or(at)..at);
                }
            }
            *self = RefParagraph::default();
        }
    }

    #[test]
    fn byte_loop_matches_the_character_loop() {
        let pieces = [
            "Słowo",
            "ZAPŁAĆ",
            "VAT",
            "a",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\n \n",
            ".",
            "!",
            "?",
            "…",
            "1",
            "12. ",
            "- ",
            "---",
            "  ----  ---",
            "ą",
            "Ż",
            "„",
            "”",
            "–",
            "\u{a0}",
            "²",
            "İ",
            "ΣΟΦΙΑ",
            "\t",
            "r.",
            "UWAGA!!!",
            ",",
            "faktura",
            "queueing",
            "b2b",
            "aeiouy",
            "zł",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut text = String::new();
        for _ in 0..3_000 {
            text.clear();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut pick = seed;
            for _ in 0..(seed % 60) {
                pick = pick.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(pick >> 33) as usize % pieces.len()]);
            }
            assert_eq!(Stats::of(&text), reference_stats(&text), "{text:?}");
            // Paragraph by paragraph, fresh and then from the memo, the same to the byte range.
            assert_eq!(Stats::of_paragraphs(&text), Stats::of(&text), "{text:?}");
            assert_eq!(Stats::of_paragraphs(&text), Stats::of(&text), "{text:?} (memo)");
        }
    }

    #[test]
    fn tables_are_measured_as_one_pass_measures_them() {
        let header = "Pozycja   Ilość  Cena\n-------   -----  ----\n";
        let rows = [
            "Opłata za konto   4   587,12 zł",
            "Karta PŁATNICZA   12  270,67 zł",
            "UWAGA!!! ważne!   1   1,00 zł",
            "A1B2C3D4 kod   1   0,50 zł",
            "Łąka Żyrardów   2   3,00 zł",
            "ΣΟΦΙΑ   1  2",
            "Xy!  Ab  Cd",
            "b2b   1   9",
            "Pakiet SMS   2   1549,93 zł",
            "VATu ABCDe SMSów ABC1 AB12CD",
        ];
        for (i, row) in rows.iter().enumerate() {
            for after in ["", "\n", "\n\nDziękujemy. BARDZO!", "\n \nKoniec"] {
                let other = rows[(i + 3) % rows.len()];
                let text = format!("Szanowni Państwo,\n\n{header}{row}\n{other}{after}");
                assert_eq!(Stats::of(&text), reference_stats(&text), "{text:?}");
                let text = format!("{header}{row}{after}");
                assert_eq!(Stats::of(&text), reference_stats(&text), "{text:?}");
            }
        }
        // A plain table is skipped, and still counts its exclamation marks.
        let text = format!("{header}Opłata za konto!   4   587,12 zł\n");
        assert_eq!(Stats::of(&text).exclamation_marks, 1);
        assert!(no_caps_word("Opłata za konto   4   587,12 zł"));
        assert!(no_caps_word("Pakiet SMS   2   1549,93 zł"));
        assert!(no_caps_word("ABCDefgh"));
        assert!(!no_caps_word("SMSów"));
        assert!(!no_caps_word("Karta PŁATNICZA"));
        assert!(!no_caps_word("A1B2C3D4"));
    }

    #[test]
    fn paragraph_measures_add_up_to_the_whole_texts() {
        let paragraphs = [
            "Szanowna Pani Anno,",
            "- pierwsza pozycja\n- druga pozycja. Koniec!",
            "1. punkt\n2. punkt",
            "UWAGA: PILNE. To jest bardzo długie zdanie o fakturze, terminie i płatności bez końca",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "  wcięty akapit?",
            "Dziękujemy. Z poważaniem\nDział Rozliczeń",
            "Short one.",
        ];
        for a in paragraphs {
            for b in paragraphs {
                for c in paragraphs {
                    for sep in ["\n\n", "\n\n\n", "\n \n", "\n"] {
                        let text = format!("{a}{sep}{b}{sep}{c}\n");
                        assert_eq!(Stats::of_paragraphs(&text), Stats::of(&text), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn quick_character_classes_match_unicode() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
    }

    #[test]
    fn limits_in_words() {
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
        assert_eq!(number(2.5), "2.5");
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
