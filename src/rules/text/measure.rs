//! Measuring a letter's text for the `limit` rules: one pass over its bytes counts
//! exclamation marks, words in capitals, sentences, words and long words, and the longest
//! sentence and paragraph ([`Stats`]); a per-thread memo keeps the measures of paragraphs a run
//! of letters shares.

use super::memo::{self, Memo};
use super::starts_numbered;

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
    /// and each is measured once. The measures do not depend on which ASCII digits a text has,
    /// only where (see [`Stats::scan`]), so paragraphs that differ only in their amounts,
    /// dates and numbers share one entry. The text is cut only after a `\n\n` that a visible
    /// character follows, where the one-pass count has just closed a paragraph and starts
    /// afresh, so the sums are exactly what one pass over the whole text counts (a test holds
    /// the two together).
    pub fn of_paragraphs(text: &str) -> Stats {
        let mut total = Stats::default();
        let mut start = 0;
        for end in memo::cuts(text).chain(std::iter::once(text.len())) {
            let chunk = &text[start..end];
            PARAGRAPHS.with(|memo| match memo.try_borrow_mut() {
                Ok(mut memo) => {
                    let hash = memo::digit_blind_hash(chunk.as_bytes());
                    if let Some(stats) = memo.get(hash, chunk.as_bytes()) {
                        total.append(stats, start);
                    } else {
                        let stats = Stats::scan(chunk, FIRST_SENTENCE);
                        total.append(&stats, start);
                        memo.keep(hash, chunk.as_bytes(), stats, 2 * chunk.len());
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

    /// The one pass; `first_sentence` is where the first sentence is taken to start. It asks
    /// of an ASCII digit only that it is one (a word of digits alone is no word of prose,
    /// digits in a word are neither letters nor vowels, a list item's number is any run of
    /// them), so texts alike but for their digits measure alike, to the byte offsets of their
    /// longest sentence and paragraph: the paragraph memo relies on it.
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

thread_local! {
    /// Paragraphs measured on this thread.
    static PARAGRAPHS: std::cell::RefCell<Memo<Stats>> = std::cell::RefCell::default();
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

#[cfg(test)]
mod tests {
    use super::*;

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

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 1_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
            ..proptest::test_runner::Config::default()
        })]

        /// The memo's premise: texts alike but for their ASCII digits measure alike, and a
        /// text measured through the memo, after a text that differs from it in its digits
        /// only (and so is found there), measures as the one pass over it does.
        #[test]
        fn digits_do_not_change_the_measures(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "Dziękujemy", " ", ".", ". ", "!", "\n", "\n\n", "- ", "1. ", "12. ", "VAT", "FV/2026/10/0001",
                "24\u{a0}526,46\u{a0}zł", "7", "0", "A1B2", "KOD9", "---  --", "r.", "٣", "Łąka", "SMS", ":",
            ]), 0..40),
            digits in proptest::collection::vec(0u8..10, 40),
        ) {
            let text: String = pieces.concat();
            let mut next = digits.iter().cycle();
            let other: String = text
                .chars()
                .map(|c| if c.is_ascii_digit() { char::from(b'0' + next.next().copied().unwrap_or(0)) } else { c })
                .collect();
            proptest::prop_assert_eq!(Stats::of(&text), Stats::of(&other));
            proptest::prop_assert_eq!(Stats::of_paragraphs(&text), Stats::of(&text));
            proptest::prop_assert_eq!(Stats::of_paragraphs(&other), Stats::of(&other));
        }

    }

    #[test]
    fn quick_character_classes_match_unicode() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
    }
}
