//! The letter as rules see it: text folded for matching (case, whitespace, punctuation, Unicode
//! form), mapped back to the original, split into paragraphs and regions, and measured.

use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Text folded for phrase matching: lower case, NFC, every run of whitespace and punctuation a
/// single space, with a map from each folded byte back to the original byte.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text, starting and ending with a space so phrases match at word edges.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original it came from.
    origin: Vec<u32>,
}

impl Folded {
    /// Folds `original`.
    pub fn new(original: &str) -> Folded {
        let nfc;
        let source = if is_nfc_quick(original.chars()) == IsNormalized::Yes {
            original
        } else {
            // Rare: decomposed input. Offsets then point into the recomposed text, which
            // differs from the original only inside decomposed characters.
            nfc = original.nfc().collect::<String>();
            &nfc
        };
        let mut text = String::with_capacity(source.len() + 2);
        let mut origin = Vec::with_capacity(source.len() + 2);
        text.push(' ');
        origin.push(0);
        let mut space = true;
        for (at, c) in source.char_indices() {
            if c.is_ascii() {
                // The common case, one byte in, at most one byte out.
                if c.is_ascii_alphanumeric() {
                    space = false;
                    text.push(c.to_ascii_lowercase());
                    origin.push(at as u32);
                } else if !space {
                    space = true;
                    text.push(' ');
                    origin.push(at as u32);
                }
            } else if c.is_alphanumeric() {
                space = false;
                for lower in c.to_lowercase() {
                    let before = text.len();
                    text.push(lower);
                    origin.extend(std::iter::repeat_n(at as u32, text.len() - before));
                }
            } else if !space {
                space = true;
                text.push(' ');
                origin.push(at as u32);
            }
        }
        if !space {
            text.push(' ');
            origin.push(source.len() as u32);
        }
        Folded { text, origin }
    }

    /// Folds a phrase written in a rule: the same folding, without the surrounding spaces.
    pub fn phrase(phrase: &str) -> String {
        Folded::new(phrase).text.trim().to_string()
    }

    /// The byte range in `source` (the text this was folded from) of a folded range.
    pub fn original(&self, folded: Range<usize>, source: &str) -> Range<usize> {
        let start = self.origin.get(folded.start).copied().unwrap_or(0) as usize;
        let end_index = folded.end.saturating_sub(1).max(folded.start);
        let last = (self.origin.get(end_index).copied().unwrap_or(start as u32) as usize).max(start);
        let end = source.get(last..).and_then(|rest| rest.chars().next()).map_or(source.len(), |c| last + c.len_utf8());
        start.min(source.len())..end.min(source.len())
    }

    /// The folded offset of an original byte offset (the first folded byte at or after it).
    pub fn folded_at(&self, original: usize) -> usize {
        self.origin.partition_point(|&o| (o as usize) < original)
    }
}

/// Paragraphs of a plain-text letter: byte ranges of the text separated by blank lines.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(offset),
            (true, Some(s)) => {
                out.push(s..offset);
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Words of a text: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Sentences of a text: split after `.`, `!`, `?` or `…` followed by whitespace, and at blank
/// lines. Abbreviations (`ul.`, `r.`) split too, which only makes sentences look shorter.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end_mark = matches!(c, '.' | '!' | '?' | '…');
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        // A blank line ends a sentence, and so does a line that starts a list item.
        let blank_line = c == '\n' && {
            let rest = text[at + 1..].trim_start_matches(' ');
            rest.starts_with('\n') || rest.starts_with("- ") || starts_numbered(rest)
        };
        if (end_mark && next_is_space) || blank_line {
            let end = at + c.len_utf8();
            if words(&text[start..end]).next().is_some() {
                out.push(&text[start..end]);
            }
            start = end;
        }
    }
    if words(&text[start..]).next().is_some() {
        out.push(&text[start..]);
    }
    out
}

fn starts_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// Syllables of a word, counted as groups of vowels (Polish or English vowels).
pub fn syllables(word: &str) -> usize {
    let mut count = 0;
    let mut in_vowel = false;
    for c in word.chars() {
        let vowel = matches!(
            c,
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ą' | 'ę' | 'ó' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y' | 'Ą' | 'Ę' | 'Ó'
        );
        if vowel && !in_vowel {
            count += 1;
        }
        in_vowel = vowel;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_lowercases_and_collapses_punctuation() {
        let f = Folded::new("Dziękujemy!  To  JEST,\u{a0}„komputer”.");
        assert_eq!(f.text, " dziękujemy to jest komputer ");
        let at = f.text.find("komputer").unwrap();
        let source = "Dziękujemy!  To  JEST,\u{a0}„komputer”.";
        assert_eq!(&source[f.original(at..at + "komputer".len(), source)], "komputer");
        let at = f.text.find("dziękujemy").unwrap();
        assert_eq!(&source[f.original(at..at + "dziękujemy".len(), source)], "Dziękujemy");
    }

    #[test]
    fn decomposed_polish_letters_match_composed_phrases() {
        let decomposed = "Dzie\u{328}kujemy";
        assert_eq!(Folded::new(decomposed).text, " dziękujemy ");
        assert_eq!(Folded::phrase("Dziękujemy"), "dziękujemy");
    }

    #[test]
    fn paragraphs_sentences_and_syllables() {
        let text = "A b.\n\nC d! E f?\nG\n\n\nH";
        let p = paragraphs(text);
        assert_eq!(p.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["A b.\n", "C d! E f?\nG\n", "H"]);
        assert_eq!(sentences("Jeden dwa. Trzy! Cztery?\n\nPięć"), ["Jeden dwa.", " Trzy!", " Cztery?", "\nPięć"]);
        assert_eq!(
            sentences("Może Pan:\n- złożyć odwołanie;\n- zwrócić się do sądu."),
            ["Może Pan:\n", "- złożyć odwołanie;\n", "- zwrócić się do sądu."]
        );
        assert_eq!(syllables("reklamacja"), 4);
        assert_eq!(syllables("przyjęliśmy"), 4);
        assert_eq!(syllables("odpowiemy"), 4);
        assert_eq!(syllables("understanding"), 4);
    }
}
