//! The letter as rules see it: text folded for matching (case, whitespace, punctuation, Unicode
//! form), mapped back to the original, split into paragraphs and regions, and measured
//! (`measure.rs`).

pub mod measure;
mod memo;

use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Text folded for phrase matching: lower case, NFC, every run of whitespace and punctuation a
/// single space, mapped back to the original.
///
/// The map back is kept sparse: folding records where each line of the original starts in
/// the folded text (what regions of paragraphs need on every letter), and the full byte-by-byte
/// map is built only when a finding asks for the original of a folded range. Most letters
/// have no findings, and the full map was four bytes per byte of text.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text, starting and ending with a space so phrases match at word edges.
    pub text: String,
    /// (original offset, folded offset) at the start of the text, after every `\n`, and at
    /// its end: the first folded byte that came from at or after that original byte.
    lines: Vec<(u32, u32)>,
    /// The paragraphs of the original, as [`paragraphs`] splits them.
    pub(crate) paragraphs: Vec<Range<usize>>,
    /// The text that was folded, when it was not NFC and had to be recomposed first.
    recomposed: Option<String>,
    /// For each byte of `text`, the byte offset in the original it came from; built on demand.
    origin: std::cell::OnceCell<Vec<u32>>,
}

/// How a byte folds when it is ASCII other than `\n`: the letter or digit it becomes, or a
/// space (anything else breaks words). 0 for `\n` and for bytes beyond ASCII.
static ASCII_FOLD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { b' ' };
        b += 1;
    }
    table[b'\n' as usize] = 0;
    table
};

/// Whether an ASCII byte shows on a line: anything but `char::is_whitespace` for ASCII (tab
/// to carriage return, and the space).
static ASCII_SHOWS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = !matches!(b as u8, b'\t'..=b'\r' | b' ');
        b += 1;
    }
    table
};

impl Folded {
    /// Folds `original`. The NFC test and the paragraphs come out of the same pass; only
    /// text that is not NFC (rare: decomposed input) is recomposed and folded again.
    pub fn new(original: &str) -> Folded {
        // Letters have a line per 20–30 bytes and a dozen or two paragraphs: room enough that
        // the lists rarely grow.
        let mut lines = Vec::with_capacity(original.len() / 16 + 2);
        let mut paragraphs = Vec::with_capacity(if original.len() > 64 { 24 } else { 1 });
        if let Some(text) = fold_into::<false>(original, Some(&mut lines), &mut Vec::new(), Some(&mut paragraphs), true)
        {
            return Folded { text, lines, paragraphs, recomposed: None, origin: std::cell::OnceCell::new() };
        }
        // Offsets then point into the recomposed text, which differs from the original only
        // inside decomposed characters; paragraphs stay those of the original.
        let recomposed = original.nfc().collect::<String>();
        lines.clear();
        let text = fold_into::<false>(&recomposed, Some(&mut lines), &mut Vec::new(), None, false).unwrap_or_default();
        Folded {
            text,
            lines,
            paragraphs: self::paragraphs(original),
            recomposed: Some(recomposed),
            origin: std::cell::OnceCell::new(),
        }
    }

    /// Folds a phrase written in a rule: the same folding, without the surrounding spaces.
    pub fn phrase(phrase: &str) -> String {
        Folded::text(phrase).trim().to_string()
    }

    /// The folded text of `original` alone, with its surrounding spaces: what
    /// `Folded::new(original).text` is, without the lines and paragraphs kept for letters
    /// (a value looked for in a letter needs only its words).
    pub fn text(original: &str) -> String {
        if let Some(text) = fold_into::<false>(original, None, &mut Vec::new(), None, true) {
            return text;
        }
        let recomposed = original.nfc().collect::<String>();
        fold_into::<false>(&recomposed, None, &mut Vec::new(), None, false).unwrap_or_default()
    }

    /// The byte-by-byte map back to the original, folded again with the map this once.
    fn origin(&self, source: &str) -> &[u32] {
        self.origin.get_or_init(|| {
            let source = self.recomposed.as_deref().unwrap_or(source);
            let mut origin = Vec::new();
            fold_into::<true>(source, None, &mut origin, None, false);
            origin
        })
    }

    /// The byte range in `source` (the text this was folded from) of a folded range.
    pub fn original(&self, folded: Range<usize>, source: &str) -> Range<usize> {
        let origin = self.origin(source);
        let start = origin.get(folded.start).copied().unwrap_or(0) as usize;
        let end_index = folded.end.saturating_sub(1).max(folded.start);
        let last = (origin.get(end_index).copied().unwrap_or(start as u32) as usize).max(start);
        let end = source.get(last..).and_then(|rest| rest.chars().next()).map_or(source.len(), |c| last + c.len_utf8());
        start.min(source.len())..end.min(source.len())
    }

    /// The folded offset of an original byte offset (the first folded byte at or after it).
    /// `source` is the text this was folded from; offsets at line starts (where paragraphs
    /// begin and end) are answered without it.
    ///
    /// For text that was recomposed (not NFC), offsets count in the recomposed text, which
    /// is shorter than the original: the answer is then near, not exact, but always a
    /// character boundary of the folded text, so a region can never cut a character.
    pub fn folded_at(&self, original: usize, source: &str) -> usize {
        let mut at = if let Ok(at) = u32::try_from(original)
            && let Ok(i) = self.lines.binary_search_by_key(&at, |&(o, _)| o)
        {
            self.lines[i].1 as usize
        } else {
            self.origin(source).partition_point(|&o| (o as usize) < original)
        };
        at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// Whether `s` is in NFC, quickly (folding tests it in its own pass; this is the reference). Every character below U+0300 (lead bytes under 0xCC) is a
/// starter that NFC keeps as it is, and resets the quick check's state; so only the runs of
/// higher characters (Polish quotes, dashes, combining marks) need the Unicode tables.
#[cfg(test)]
fn is_nfc(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0xcc {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i] >= 0xcc || (0x80..0xc0).contains(&bytes[i])) {
            i += 1;
        }
        // Runs start at a lead byte and end before one (or at the end): char boundaries.
        let run = s.get(start..i).unwrap_or("");
        if is_nfc_quick(run.chars()) != IsNormalized::Yes {
            return false;
        }
    }
    true
}

/// How a character other than ASCII folds.
enum CharFold {
    /// A letter or digit, lower-cased.
    Keep(char),
    /// A letter or digit whose lower case is not one character (`İ`).
    Lower,
    /// Anything else: a word break.
    Break,
}

/// Folds one character beyond ASCII. The Polish letters and the usual typographic marks of
/// a letter are answered without the Unicode tables, which cost more than the rest of folding.
fn fold_char(c: char) -> CharFold {
    match c {
        'ą' | 'ć' | 'ę' | 'ł' | 'ń' | 'ó' | 'ś' | 'ź' | 'ż' => CharFold::Keep(c),
        'Ą' => CharFold::Keep('ą'),
        'Ć' => CharFold::Keep('ć'),
        'Ę' => CharFold::Keep('ę'),
        'Ł' => CharFold::Keep('ł'),
        'Ń' => CharFold::Keep('ń'),
        'Ó' => CharFold::Keep('ó'),
        'Ś' => CharFold::Keep('ś'),
        'Ź' => CharFold::Keep('ź'),
        'Ż' => CharFold::Keep('ż'),
        '\u{a0}' | '„' | '”' | '“' | '‚' | '’' | '‘' | '–' | '—' | '…' | '«' | '»' | '\u{202f}' => {
            CharFold::Break
        }
        c if c.is_alphanumeric() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => CharFold::Keep(l),
                _ => CharFold::Lower,
            }
        }
        _ => CharFold::Break,
    }
}

/// The folding itself: the folded `source`, with line checkpoints into `lines` (when given),
/// and the full map into `origin` when `ORIGIN` (a second instance of the loop, so the common
/// one carries no bookkeeping per byte).
///
/// With `check_nfc`, it also tests that `source` is NFC (answering `None` as soon as it is
/// not; see [`is_nfc`]). With `paragraphs`, it splits `source` into paragraphs as
/// [`paragraphs`] does: lines of whitespace only (Unicode's) separate them.
/// ASCII other than `\n` goes through [`fold_ascii`].
fn fold_into<const ORIGIN: bool>(
    source: &str,
    mut lines: Option<&mut Vec<(u32, u32)>>,
    origin: &mut Vec<u32>,
    mut paragraphs: Option<&mut Vec<Range<usize>>>,
    check_nfc: bool,
) -> Option<String> {
    let bytes = source.as_bytes();
    // Written by index: there is always room for one byte per byte of the source still to
    // fold, and the final space (characters beyond ASCII make room for themselves).
    let mut out = vec![b' '; bytes.len() + 2];
    if ORIGIN {
        origin.clear();
        origin.resize(out.len(), 0);
    }
    let mut written = 1;
    if let Some(lines) = lines.as_deref_mut() {
        lines.push((0, 0));
    }
    // The last byte written was a space.
    let mut space = true;
    let mut at = 0;
    // Paragraphs: where the current line starts, whether it has shown anything but
    // whitespace yet, and where the open paragraph starts.
    let mut line_start = 0;
    let mut visible = false;
    let mut paragraph: Option<usize> = None;
    // The NFC test has looked at everything before this offset.
    let mut nfc_checked = 0;
    loop {
        (at, written, space, visible) = fold_ascii::<ORIGIN>(bytes, at, &mut out, origin, written, space, visible);
        let Some(&b) = bytes.get(at) else { break };
        if b == b'\n' {
            out[written] = b' ';
            if ORIGIN {
                origin[written] = at as u32;
            }
            written += usize::from(!space);
            space = true;
            at += 1;
            if let Some(lines) = lines.as_deref_mut() {
                lines.push((at as u32, written as u32));
            }
            if let Some(list) = paragraphs.as_deref_mut() {
                end_line(list, &mut paragraph, line_start, visible);
            }
            line_start = at;
            visible = false;
            continue;
        }
        if check_nfc && b >= 0xcc && at >= nfc_checked {
            // A run of characters from U+0300 up, as `is_nfc` takes them.
            let mut end = at;
            while end < bytes.len() && (bytes[end] >= 0xcc || (0x80..0xc0).contains(&bytes[end])) {
                end += 1;
            }
            if is_nfc_quick(source.get(at..end).unwrap_or("").chars()) != IsNormalized::Yes {
                return None;
            }
            nfc_checked = end;
        }
        let c = match bytes.get(at + 1) {
            // Two-byte characters (Polish letters, quotes below U+0800 are three) decoded
            // here: the general decoder costs more than folding them. The text is UTF-8.
            Some(&next) if (0xc2..0xe0).contains(&b) => {
                char::from_u32((u32::from(b & 0x1f) << 6) | u32::from(next & 0x3f)).unwrap_or('\u{fffd}')
            }
            _ => source.get(at..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}'),
        };
        // Asked only until the line shows something: the Unicode tables cost.
        if !visible && !c.is_whitespace() {
            visible = true;
        }
        // A lower case may be longer than its letter (up to three characters).
        let room = written + (bytes.len() - at) + 13;
        if out.len() < room {
            out.resize(room, b' ');
            if ORIGIN {
                origin.resize(room, 0);
            }
        }
        let before = written;
        match fold_char(c) {
            CharFold::Keep(lower) => {
                space = false;
                written += lower.encode_utf8(&mut out[written..]).len();
            }
            CharFold::Lower => {
                space = false;
                for lower in c.to_lowercase() {
                    written += lower.encode_utf8(&mut out[written..]).len();
                }
            }
            CharFold::Break if !space => {
                space = true;
                out[written] = b' ';
                written += 1;
            }
            CharFold::Break => {}
        }
        if ORIGIN {
            origin[before..written].fill(at as u32);
        }
        at += c.len_utf8();
    }
    if let Some(lines) = lines
        && lines.last().is_none_or(|&(o, _)| o as usize != bytes.len())
    {
        lines.push((bytes.len() as u32, written as u32));
    }
    if !space {
        out[written] = b' ';
        if ORIGIN {
            origin[written] = bytes.len() as u32;
        }
        written += 1;
    }
    if let Some(list) = paragraphs {
        if line_start < bytes.len() {
            end_line(list, &mut paragraph, line_start, visible);
        }
        if let Some(start) = paragraph {
            list.push(start..bytes.len());
        }
    }
    out.truncate(written);
    if ORIGIN {
        origin.truncate(written);
    }
    debug_assert!(std::str::from_utf8(&out).is_ok(), "folding wrote UTF-8");
    // SAFETY: `out` started as spaces (and grew by spaces), and every byte now below `written`
    // was last written at the end of the output as it then was: an ASCII byte (from
    // `ASCII_FOLD` or a space), or part of a whole character by `char::encode_utf8`. A write at
    // `written` that did not move it on was written over later or cut off by `truncate`. (A
    // small Polish letter is copied whole from the source by `fold_ascii`.) So
    // `out` is a sequence of whole UTF-8 characters. (`String::from_utf8` checked it again: a quarter of folding's time, in
    // a text where a character beyond ASCII comes every fifteen bytes or so; measured on
    // 2026-12-07 with callgrind, `profile_render`: 280,306 instructions a letter against
    // 277,227, +1.1%.) The `debug_assert!` above checks it in every test build, and
    // `folding_writes_whole_characters` drives each way a byte is written through it.
    Some(unsafe { String::from_utf8_unchecked(out) })
}

/// Folds the run of ASCII other than `\n` at `at`, without a branch on what each byte is: its
/// folded byte is written at the end of the output, which moves on unless the byte and the one
/// before both broke words. Words are a few bytes long, and a branch at every word's start and
/// end was mispredicted often enough to cost more than the rest of folding. A function of its
/// own, so that its state stays in registers. The run goes on over small Polish letters and
/// no-break spaces, which `fold_into` would otherwise decode and fold one by one (a return to
/// it and back every dozen bytes of a Polish letter). Answers where the run ends and the state
/// there.
#[inline(never)]
fn fold_ascii<const ORIGIN: bool>(
    bytes: &[u8],
    mut at: usize,
    out: &mut [u8],
    origin: &mut [u32],
    mut written: usize,
    mut space: bool,
    mut visible: bool,
) -> (usize, usize, bool, bool) {
    loop {
        while let Some(&b) = bytes.get(at) {
            let folded = ASCII_FOLD[usize::from(b)];
            if folded == 0 {
                break;
            }
            let breaks = folded == b' ';
            out[written] = folded;
            if ORIGIN {
                origin[written] = at as u32;
            }
            written += usize::from(!(breaks & space));
            space = breaks;
            visible |= ASCII_SHOWS[usize::from(b)];
            at += 1;
        }
        // Small Polish letters (they stay as they are) and the no-break space (a word break:
        // it groups digits) come every dozen bytes or so; folded here, they do not end the
        // run. They are below U+0300: NFC keeps them (`fold_into` tests from there up).
        let (Some(&b), Some(&next)) = (bytes.get(at), bytes.get(at + 1)) else { break };
        let Some(to) = out.get_mut(written..written + 2) else { break };
        match (b, next) {
            (0xc3, 0xb3) | (0xc4, 0x85 | 0x87 | 0x99) | (0xc5, 0x82 | 0x84 | 0x9b | 0xba | 0xbc) => {
                to.copy_from_slice(&[b, next]);
                if ORIGIN {
                    origin[written] = at as u32;
                    origin[written + 1] = at as u32;
                }
                written += 2;
                space = false;
                visible = true;
            }
            (0xc2, 0xa0) => {
                to[0] = b' ';
                if ORIGIN {
                    origin[written] = at as u32;
                }
                written += usize::from(!space);
                space = true;
            }
            _ => break,
        }
        at += 2;
    }
    (at, written, space, visible)
}

/// A line of the text ends: a visible one opens a paragraph (if none is open), a blank one
/// closes the open paragraph where the blank line starts.
fn end_line(list: &mut Vec<Range<usize>>, paragraph: &mut Option<usize>, line_start: usize, visible: bool) {
    match (visible, *paragraph) {
        (true, None) => *paragraph = Some(line_start),
        (false, Some(start)) => {
            list.push(start..line_start);
            *paragraph = None;
        }
        _ => {}
    }
}

/// Paragraphs of a plain-text letter: byte ranges of the text separated by blank lines.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        // Most lines start with a visible ASCII character: not blank, no need to trim.
        let blank = match line.as_bytes().first() {
            Some(&b) if b.is_ascii_graphic() => false,
            _ => line.trim().is_empty(),
        };
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
#[cfg(test)]
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Sentences of a text: split after `.`, `!`, `?` or `…` followed by whitespace, and at blank
/// lines. Abbreviations (`ul.`, `r.`) split too, which only makes sentences look shorter.
#[cfg(test)]
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

/// Whether a line starts a numbered list item (`12. `).
fn starts_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// Syllables of a word, counted as groups of vowels (Polish or English vowels).
#[cfg(test)]
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
    fn decomposed_text_maps_every_offset_to_a_character_boundary() {
        let source = "Szanowna Pani\n\n".to_string() + &"e\u{301}".repeat(9) + "\n\nZ poważaniem\ne\u{301}\n";
        let f = Folded::new(&source);
        for at in 0..=source.len() {
            let folded = f.folded_at(at, &source);
            assert!(f.text.is_char_boundary(folded), "{at} → {folded}");
        }
    }

    /// The line checkpoints answer exactly what the full map answers, and the map itself
    /// agrees with folding: every folded byte points at the character it came from.
    #[test]
    fn line_checkpoints_agree_with_the_full_map() {
        let texts = [
            "",
            "\n",
            "Szanowna Pani,\n\nw załączeniu fakturę.\nTermin: 7 grudnia 2026 r.\n\n\nZ poważaniem\nExample Bank S.A.\n",
            "„Łąka” Sp. z o.o.\n  - pozycja\n\nKONIEC",
            "Dzie\u{328}kujemy\n\nZa\u{301}z\n",
            "ﬁ İ ẞ\n!!\n\u{a0}\n",
        ];
        for text in texts {
            let folded = Folded::new(text);
            let origin = folded.origin(text).to_vec();
            assert_eq!(origin.len(), folded.text.len(), "{text:?}");
            let source = folded.recomposed.clone().unwrap_or_else(|| text.to_string());
            let mut starts: Vec<usize> = vec![0, source.len()];
            starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
            for start in starts {
                let full = origin.partition_point(|&o| (o as usize) < start);
                assert_eq!(folded.folded_at(start, text), full, "{text:?} at {start}");
            }
            for (i, window) in origin.windows(2).enumerate() {
                assert!(window[0] <= window[1], "{text:?}: origin goes back at {i}");
            }
        }
    }

    /// Folding as defined, one character at a time, with the full map: what the fast loop
    /// must reproduce exactly.
    fn reference_fold(source: &str) -> (String, Vec<u32>) {
        let mut text = String::from(" ");
        let mut origin = vec![0];
        let mut space = true;
        for (at, c) in source.char_indices() {
            if c.is_alphanumeric() {
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
        (text, origin)
    }

    /// Every character up to U+3000 (and a few beyond), alone and between ASCII, folds as the
    /// definition says (of its NFC), with its map back: lower cases longer than their letter
    /// (`Ⱥ` → `ⱥ`, `İ` → `i̇`) grow the output past its first room.
    #[test]
    fn every_character_folds_as_defined() {
        let chars = (0..0x3000u32).chain([0x1_0400, 0x1_0428, 0x1_e900, 0x1_f389]).filter_map(char::from_u32);
        for c in chars {
            for input in [c.to_string(), format!("A{c}b{c}{c} {c}\n{c}.")] {
                let folded = Folded::new(&input);
                // Text not in NFC (a combining mark after a letter) is recomposed first, and
                // the map points into the recomposed text.
                let (text, origin) = reference_fold(&input.nfc().collect::<String>());
                assert_eq!(folded.text, text, "{input:?}");
                assert_eq!(folded.origin(&input), &origin[..], "{input:?}");
                assert_eq!(Folded::text(&input), text, "{input:?}");
            }
        }
    }

    #[test]
    fn fast_folding_matches_the_definition() {
        let pieces = [
            "a",
            "Z",
            "9",
            " ",
            "\n",
            "\n\n",
            ".",
            "!",
            "ą",
            "Ż",
            "Ł",
            "ó",
            "\u{a0}",
            "„",
            "”",
            "–",
            "…",
            "İ",
            "ẞ",
            "Σ",
            "ﬁ",
            "²",
            "٣",
            "漢",
            "🎉",
            "\t",
            "-",
            "_",
            "FV/2026",
            "Dziękujemy",
            "ŉ",
            "\u{202f}",
            "’",
            "\u{2003}",
            "\u{b}",
            "\r\n",
            " \n",
            "\u{3000}\n",
        ];
        for c in pieces.iter().flat_map(|p| p.chars()) {
            let (text, _) = reference_fold(&c.to_string());
            let fast = Folded::new(&c.to_string()).text;
            assert_eq!(fast, text, "{c:?}");
        }
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut input = String::new();
        for _ in 0..2_000 {
            input.clear();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for i in 0..(seed % 40) {
                input.push_str(pieces[((seed >> (i % 48)) as usize + i as usize) % pieces.len()]);
            }
            let folded = Folded::new(&input);
            let (text, origin) = reference_fold(&input);
            assert_eq!(folded.text, text, "{input:?}");
            assert_eq!(folded.paragraphs, paragraphs(&input), "{input:?}");
            assert_eq!(folded.origin(&input), &origin[..], "{input:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
            ..proptest::test_runner::Config::default()
        })]

        /// Letters made of the bytes the fast loop folds itself (ASCII, small Polish letters,
        /// no-break spaces) next to those it leaves to `fold_into` (capital Polish letters,
        /// quotes, dashes, lines, combining marks), folded as the definition says, with the
        /// map back and the paragraphs.
        #[test]
        fn folding_agrees_with_the_definition(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", " ", "  ", ".", ", ", "\n", "\n\n", "\t", "-", "ą", "ć", "ę", "ł", "ń", "ó",
                "ś", "ź", "ż", "Ą", "Ł", "Ż", "Ó", "\u{a0}", "\u{a0}\u{a0}", "„", "”", "–", "…", "é", "ü",
                "\u{301}", "\u{328}", "İ", "Dziękujemy", "płatności", "24\u{a0}526,46\u{a0}zł", "FV/2026",
            ]), 0..60)
        ) {
            let input: String = pieces.concat();
            let folded = Folded::new(&input);
            let (text, origin) = reference_fold(&input.nfc().collect::<String>());
            proptest::prop_assert_eq!(&folded.text, &text);
            proptest::prop_assert_eq!(folded.origin(&input), &origin[..]);
            proptest::prop_assert_eq!(&folded.paragraphs, &paragraphs(&input));
            proptest::prop_assert_eq!(Folded::text(&input), text);
        }
    }

    /// The quick NFC test agrees with the Unicode tables: below U+0300 every character is a
    /// starter that NFC keeps.
    #[test]
    fn quick_nfc_check_is_exact() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..0x300u32).filter_map(char::from_u32) {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        for s in ["Łąka „x” – …", "Dzie\u{328}kujemy", "a\u{301}\u{328}", "e\u{328}\u{301}", "\u{2000}", "漢字 🎉", ""]
        {
            assert_eq!(is_nfc(s), is_nfc_quick(s.chars()) == IsNormalized::Yes, "{s:?}");
        }
    }

    /// Folding finds text that is not NFC as the separate quick test does, recomposes it, and
    /// keeps the paragraphs of the original.
    #[test]
    fn folding_tests_nfc_in_its_own_pass() {
        let pieces = ["a", "e\u{301}", "\u{328}", "ę", "\n\n", " ", "„", "\u{301}\u{328}", "Ω", "\n", "x\u{2000}"];
        let mut seed: u64 = 0x0123_4567_89ab_cdef;
        let mut input = String::new();
        for _ in 0..2_000 {
            input.clear();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for i in 0..(seed % 24) {
                input.push_str(pieces[((seed >> (i % 48)) as usize + i as usize) % pieces.len()]);
            }
            let folded = Folded::new(&input);
            assert_eq!(folded.recomposed.is_none(), is_nfc(&input), "{input:?}");
            let composed: String = input.nfc().collect();
            assert_eq!(folded.text, Folded::new(&composed).text, "{input:?}");
            assert_eq!(folded.paragraphs, paragraphs(&input), "{input:?}");
            assert_eq!(Folded::text(&input), folded.text, "the text alone folds the same: {input:?}");
        }
    }

    /// The `unsafe` at the end of `fold_into` rests on every byte it keeps being part of a
    /// whole character. Each way a byte is written: ASCII that breaks a word written and then
    /// overwritten by a character beyond ASCII, lower cases longer than their letter growing
    /// the output, breaks beyond ASCII after a break, a final space cut off, the full map. Its
    /// `debug_assert!` checks the bytes before they become a `String` (test builds have debug
    /// assertions on); the check here would see a broken string even without them.
    #[test]
    fn folding_writes_whole_characters() {
        let texts = [
            "a.ą",
            "a .Ż",
            "..İİİ..",
            "Ⱥ,ⱥ;Ⱥ",
            "„”–…",
            "x\u{a0}\u{a0}y",
            "ﬁ!ﬃ",
            "\n\u{3000}\n漢",
            "🎉.🎉",
            "e\u{301}.",
            "",
            "İ",
            "a\n",
            "Dziękujemy,\u{202f}ŁĄKA—ok",
        ];
        for text in texts {
            for repeat in [1, 3, 40] {
                let text = text.repeat(repeat);
                let folded = Folded::new(&text);
                assert!(std::str::from_utf8(folded.text.as_bytes()).is_ok(), "{text:?}");
                assert!(std::str::from_utf8(Folded::text(&text).as_bytes()).is_ok(), "{text:?}");
                let _ = folded.original(0..folded.text.len(), &text);
            }
        }
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
