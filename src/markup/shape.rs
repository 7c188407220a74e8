//! Parsing once per shape: bodies that differ only in their words (a batch's letters from one
//! template) share one parse, its events replayed with each body's words.
//!
//! The shape of a body is the body with each run of inert characters (ASCII letters and digits,
//! Latin letters U+00C0–U+024F but `×` and `÷`; runs with only spaces and U+00A0 between them
//! count as one) replaced by a placeholder, a private-use character numbering the run.
//! CommonMark asks of such a character only whether it is whitespace or punctuation (for
//! emphasis), and neither a letter nor a placeholder is; where more is asked of them the shape
//! keeps them as they are:
//! - after a `[` or a `<`, up to the next blank line: link labels are matched by their letters,
//!   HTML tags, autolinks and e-mail autolinks are recognised by theirs;
//! - digits after the start of a line, a space or `>` and before `.` or `)`: an ordered list's
//!   marker and number.
//!
//! Bodies that could break the correspondence are parsed as they are: ones holding a tab (its
//! width follows the text before it), a carriage return or NUL, a private-use character (it
//! would read as a placeholder), or `&` before a letter, digit or `#` (an entity, which may
//! decode to anything). The tests check the parser's classes of every inert character and
//! placeholder, and replayed events against the parser's over generated bodies.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag};

use super::Untrusted;

/// The first placeholder; run `i` stands as U+E000 + `i`.
const FIRST_PLACEHOLDER: u32 = 0xe000;
/// The last private-use character of the Basic Multilingual Plane: at most 6,400 runs.
const LAST_PLACEHOLDER: u32 = 0xf8ff;
/// Shapes kept per thread before the memo starts again (a template gives a few dozen).
const SHAPES_MAX: usize = 512;

/// Feeds `markdown`'s events, as the writers take them (after [`Untrusted`]), to `feed` from its
/// shape's events, parsing the shape the first time it is met on this thread. `false` (and
/// nothing fed) if the body cannot be shaped: the caller parses it.
pub(super) fn replay(markdown: &str, mut feed: impl FnMut(&Event<'_>)) -> bool {
    MEMO.with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else {
            return false;
        };
        let Memo { key, runs, shapes, scratch } = &mut *memo;
        if !shape(markdown, key, runs) {
            return false;
        }
        if !shapes.contains_key(key.as_slice()) {
            if shapes.len() >= SHAPES_MAX {
                shapes.clear();
            }
            let recorded = std::str::from_utf8(key).ok().and_then(|shape| Recorded::record(shape, runs.len()));
            shapes.insert(key.clone(), recorded);
        }
        match shapes.get(key.as_slice()) {
            Some(Some(recorded)) => {
                recorded.replay(markdown, runs, scratch, &mut feed);
                true
            }
            _ => false,
        }
    })
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// The shapes met on this thread and scratch space for the next one.
#[derive(Default)]
struct Memo {
    /// The shape being looked up, UTF-8.
    key: Vec<u8>,
    /// Byte ranges in the body of its runs, by placeholder number.
    runs: Vec<(usize, usize)>,
    /// Each shape's recorded events; `None` for shapes whose events cannot be replayed.
    shapes: HashMap<Vec<u8>, Option<Recorded>, BuildHasherDefault<ShapeHasher>>,
    /// A replayed event's string, put back together.
    scratch: String,
}

/// Hashes shapes eight bytes at a step (SipHash, the default, costs several instructions a byte
/// and a shape is hashed for every letter); the memo is bounded, so collisions only slow it.
#[derive(Default)]
struct ShapeHasher(u64);

impl Hasher for ShapeHasher {
    fn write(&mut self, bytes: &[u8]) {
        /// An odd constant with well-mixed bits (from FxHash).
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(*word)).wrapping_mul(K);
            rest = tail;
        }
        for &byte in rest {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// [`CLASS`] of bytes that need no look: copied into the shape as they are.
const PLAIN: u8 = 0;
/// [`CLASS`] of ASCII letters and digits.
const ALNUM: u8 = 1;
/// [`CLASS`] of first bytes of two-byte characters that may be Latin letters (U+00C0–U+024F).
const LATIN: u8 = 2;
/// [`CLASS`] of bytes [`shape`] looks at: whitespace, `&`, `[`, `<`, control characters and the
/// first bytes of U+00A0 and of private-use characters.
const SPECIAL: u8 = 3;

/// What [`shape`] does with each byte.
static CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_alphanumeric() {
            ALNUM
        } else if b >= 0xc3 && b <= 0xc9 {
            LATIN
        } else if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | b'&' | b'[' | b'<' | 0xc2 | 0xee | 0xef) {
            SPECIAL
        } else {
            PLAIN
        };
        byte += 1;
    }
    table
};

/// Where the inert characters starting at `bytes[pos]` end (`pos` if there are none).
fn inert_end(bytes: &[u8], pos: usize) -> usize {
    let mut end = pos;
    loop {
        // ASCII letters and digits, the most of them, in a tight loop.
        while bytes.get(end).is_some_and(|&b| CLASS[usize::from(b)] == ALNUM) {
            end += 1;
        }
        // U+00C0–U+024F, two bytes: leads 0xC3–0xC9 (0xC9 only up to U+024F).
        match (bytes.get(end), bytes.get(end + 1)) {
            (Some(&lead), Some(&next)) if CLASS[usize::from(lead)] == LATIN && next & 0xc0 == 0x80 => {
                let c = (u32::from(lead & 0x1f) << 6) | u32::from(next & 0x3f);
                if c > 0x24f || c == 0xd7 || c == 0xf7 {
                    break;
                }
                end += 2;
            }
            _ => break,
        }
    }
    end
}

/// The placeholder of run `index` in UTF-8, if there is one.
fn placeholder(index: usize) -> Option<[u8; 3]> {
    let code =
        FIRST_PLACEHOLDER + u32::try_from(index).ok().filter(|&index| index <= LAST_PLACEHOLDER - FIRST_PLACEHOLDER)?;
    // Three bytes: 1110xxxx 10xxxxxx 10xxxxxx.
    Some([0xe0 | (code >> 12) as u8, 0x80 | ((code >> 6) & 0x3f) as u8, 0x80 | (code & 0x3f) as u8])
}

/// The run a placeholder stands for, if `c` is one.
fn run_of(c: char) -> Option<usize> {
    let code = u32::from(c);
    (FIRST_PLACEHOLDER..=LAST_PLACEHOLDER).contains(&code).then(|| (code - FIRST_PLACEHOLDER) as usize)
}

/// Writes the shape of `markdown` into `key` and its runs' byte ranges into `runs`; `false` if
/// the body cannot be shaped (see the module's documentation).
fn shape(markdown: &str, key: &mut Vec<u8>, runs: &mut Vec<(usize, usize)>) -> bool {
    key.clear();
    runs.clear();
    let bytes = markdown.as_bytes();
    // Inside a paragraph after `[` or `<`: runs are kept as they are.
    let mut kept = false;
    // The body is copied into the key in stretches: `copied` is where the next one starts.
    let mut copied = 0;
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        match CLASS[usize::from(byte)] {
            PLAIN => pos += 1,
            SPECIAL => {
                pos += 1;
                match byte {
                    b'\t' | b'\r' | 0 => return false,
                    b'&' if bytes.get(pos).is_some_and(|&next| next.is_ascii_alphanumeric() || next == b'#') => {
                        return false;
                    }
                    b'[' | b'<' => kept = true,
                    // A blank line ends the paragraph.
                    b'\n' if kept => {
                        let mut next = pos;
                        while bytes.get(next) == Some(&b' ') {
                            next += 1;
                        }
                        kept = matches!(bytes.get(next), Some(&b) if b != b'\n');
                    }
                    0xee | 0xef => {
                        let c = markdown.get(pos - 1..).and_then(|rest| rest.chars().next());
                        if c.and_then(run_of).is_some() {
                            return false;
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                let start = pos;
                let mut end = inert_end(bytes, start);
                if end == start {
                    // The first byte of a two-byte character that is not a Latin letter.
                    pos += 1;
                    continue;
                }
                pos = end;
                if kept || is_marker(bytes, start, end) {
                    continue;
                }
                // Runs after spaces and U+00A0 join this one.
                loop {
                    let next = end + separator_len(bytes, end);
                    let next_end = inert_end(bytes, next);
                    if next == end || next_end == next || is_marker(bytes, next, next_end) {
                        break;
                    }
                    end = next_end;
                }
                let Some(placeholder) = placeholder(runs.len()) else {
                    return false;
                };
                key.extend_from_slice(bytes.get(copied..start).unwrap_or(&[]));
                key.extend_from_slice(&placeholder);
                runs.push((start, end));
                copied = end;
                pos = end;
            }
        }
    }
    key.extend_from_slice(bytes.get(copied..).unwrap_or(&[]));
    true
}

/// Whether the digits `bytes[start..end]` may be an ordered list's marker: after the start of
/// a line, a space or `>`, and before `.` or `)`.
fn is_marker(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map_or(b'\n', |at| bytes[at]);
    matches!(before, b'\n' | b' ' | b'>')
        && matches!(bytes.get(end), Some(b'.' | b')'))
        && bytes.get(start..end).is_some_and(|run| run.iter().all(u8::is_ascii_digit))
}

/// The length of the spaces and U+00A0 starting at `bytes[pos]`, in bytes.
fn separator_len(bytes: &[u8], pos: usize) -> usize {
    let mut end = pos;
    loop {
        match bytes.get(end) {
            Some(b' ') => end += 1,
            Some(0xc2) if bytes.get(end + 1) == Some(&0xa0) => end += 2,
            _ => return end - pos,
        }
    }
}

/// A piece of a replayed string: literal text of the shape's events, or a run of the body.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// A byte range in [`Recorded::text`].
    Literal(usize, usize),
    /// A run of the body, by number.
    Run(usize),
}

/// Kinds of events whose strings may hold placeholders, other than text (raw HTML is text by
/// the time it is recorded).
#[derive(Debug, Clone, Copy)]
enum Spliced {
    /// Inline code.
    Code,
    /// The info string of a fenced code block.
    Fence,
}

/// One event of a shape.
#[derive(Debug)]
enum Step {
    /// Text: `pieces[first..end]`.
    Text(usize, usize),
    /// An event with a string put together from `pieces[first..end]`.
    Spliced(Spliced, usize, usize),
    /// An event without placeholders.
    Verbatim(Event<'static>),
}

/// A shape's events.
#[derive(Debug, Default)]
struct Recorded {
    steps: Vec<Step>,
    pieces: Vec<Piece>,
    /// The literal pieces, back to back.
    text: String,
}

impl Recorded {
    /// Parses `shape` (with `runs` placeholders); `None` if a placeholder lands where it cannot
    /// be put back.
    fn record(shape: &str, runs: usize) -> Option<Recorded> {
        // Recorded as the writers see them, raw HTML made text (see [`Untrusted`]), so that a
        // replay feeds them straight on.
        let mut events = Vec::new();
        let mut untrusted = Untrusted::default();
        for event in Parser::new_ext(shape, Options::ENABLE_TABLES) {
            untrusted.pass(&event, 0, &mut |event: &Event<'_>, _| events.push(event.clone().into_static()));
        }
        let mut recorded = Recorded::default();
        for event in events {
            let step = match event {
                Event::Text(text) => {
                    let (first, end) = recorded.split(&text, runs)?;
                    Step::Text(first, end)
                }
                Event::Code(text) if has_placeholder(&text) => recorded.spliced(Spliced::Code, &text, runs)?,
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if has_placeholder(&info) => {
                    recorded.spliced(Spliced::Fence, &info, runs)?
                }
                other if strings(&other).any(has_placeholder) => return None,
                other => Step::Verbatim(other),
            };
            recorded.steps.push(step);
        }
        Some(recorded)
    }

    /// Records `text` as pieces; their range in `pieces`.
    fn split(&mut self, text: &str, runs: usize) -> Option<(usize, usize)> {
        let first = self.pieces.len();
        let mut literal = 0;
        for (at, c) in text.char_indices().filter(|&(_, c)| run_of(c).is_some()) {
            let run = run_of(c).filter(|&run| run < runs)?;
            self.literal(text.get(literal..at).unwrap_or(""));
            self.pieces.push(Piece::Run(run));
            literal = at + c.len_utf8();
        }
        self.literal(text.get(literal..).unwrap_or(""));
        Some((first, self.pieces.len()))
    }

    /// Records a literal piece, unless empty.
    fn literal(&mut self, text: &str) {
        if !text.is_empty() {
            let start = self.text.len();
            self.text.push_str(text);
            self.pieces.push(Piece::Literal(start, self.text.len()));
        }
    }

    /// A step for an event of `kind` whose string is `text`.
    fn spliced(&mut self, kind: Spliced, text: &str, runs: usize) -> Option<Step> {
        let (first, end) = self.split(text, runs)?;
        Some(Step::Spliced(kind, first, end))
    }

    /// The text of a piece, runs taken from `markdown`.
    fn piece<'a>(&'a self, piece: Piece, markdown: &'a str, runs: &[(usize, usize)]) -> &'a str {
        match piece {
            Piece::Literal(start, end) => self.text.get(start..end),
            Piece::Run(run) => runs.get(run).and_then(|&(start, end)| markdown.get(start..end)),
        }
        .unwrap_or("")
    }

    /// Feeds the events of the body whose runs in `markdown` are `runs`; `scratch` holds a
    /// string put back together.
    fn replay(&self, markdown: &str, runs: &[(usize, usize)], scratch: &mut String, feed: &mut impl FnMut(&Event<'_>)) {
        for step in &self.steps {
            let (kind, first, end) = match *step {
                Step::Verbatim(ref event) => {
                    feed(event);
                    continue;
                }
                Step::Text(first, end) => (None, first, end),
                Step::Spliced(kind, first, end) => (Some(kind), first, end),
            };
            let pieces = self.pieces.get(first..end).unwrap_or(&[]);
            let text = match *pieces {
                [piece] => self.piece(piece, markdown, runs),
                _ => {
                    scratch.clear();
                    for &piece in pieces {
                        scratch.push_str(self.piece(piece, markdown, runs));
                    }
                    scratch.as_str()
                }
            };
            let text = CowStr::Borrowed(text);
            feed(&match kind {
                None => Event::Text(text),
                Some(Spliced::Code) => Event::Code(text),
                Some(Spliced::Fence) => Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(text))),
            });
        }
    }
}

/// Whether `text` holds a placeholder (or any private-use character).
fn has_placeholder(text: &str) -> bool {
    // Placeholders are encoded with a first byte of 0xEE or 0xEF.
    text.bytes().any(|b| b >= 0xee) && text.chars().any(|c| run_of(c).is_some())
}

/// Every string an event carries.
fn strings<'e>(event: &'e Event<'_>) -> Box<dyn Iterator<Item = &'e str> + 'e> {
    match event {
        Event::Text(text)
        | Event::Code(text)
        | Event::InlineMath(text)
        | Event::DisplayMath(text)
        | Event::Html(text)
        | Event::InlineHtml(text)
        | Event::FootnoteReference(text) => Box::new(std::iter::once(text.as_ref())),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(text)) | Tag::FootnoteDefinition(text)) => {
            Box::new(std::iter::once(text.as_ref()))
        }
        Event::Start(Tag::Heading { id, classes, attrs, .. }) => Box::new(
            id.iter()
                .map(AsRef::as_ref)
                .chain(classes.iter().map(AsRef::as_ref))
                .chain(attrs.iter().flat_map(|(name, value)| std::iter::once(name).chain(value)).map(AsRef::as_ref)),
        ),
        Event::Start(Tag::Link { dest_url, title, id, .. } | Tag::Image { dest_url, title, id, .. }) => {
            Box::new([dest_url.as_ref(), title.as_ref(), id.as_ref()].into_iter())
        }
        Event::Start(_) | Event::End(_) => Box::new(std::iter::empty()),
        Event::SoftBreak | Event::HardBreak | Event::Rule | Event::TaskListMarker(_) => Box::new(std::iter::empty()),
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::sample::select;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    use super::super::{MarkupOptions, render_from};
    use super::*;

    /// Events with adjacent text joined (the writers take text in any pieces), owned.
    fn joined<'e>(events: impl IntoIterator<Item = Event<'e>>) -> Vec<Event<'static>> {
        let mut out: Vec<Event<'static>> = Vec::new();
        for event in events {
            match (out.last_mut(), event) {
                (Some(Event::Text(last)), Event::Text(text)) => {
                    *last = CowStr::from(format!("{last}{text}"));
                }
                (_, event) => out.push(event.into_static()),
            }
        }
        out
    }

    /// The body's events from the parser, as the writers take them.
    fn parsed(markdown: &str) -> Vec<Event<'static>> {
        let mut events = Vec::new();
        let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| (event, 0..0));
        super::super::events(parser, |event, _| events.push(event.clone().into_static()));
        joined(events)
    }

    /// The body's events replayed from its shape, if it has one.
    fn replayed(markdown: &str) -> Option<Vec<Event<'static>>> {
        let mut events = Vec::new();
        replay(markdown, |event| events.push(event.clone().into_static())).then(|| joined(events))
    }

    /// The shape of `markdown` with placeholders written as `#0`, `#1`, …, and its runs.
    fn shown(markdown: &str) -> Option<(String, Vec<&str>)> {
        let (mut key, mut runs) = (Vec::new(), Vec::new());
        if !shape(markdown, &mut key, &mut runs) {
            return None;
        }
        let key = String::from_utf8(key).ok()?;
        let key = key.chars().map(|c| run_of(c).map_or_else(|| c.to_string(), |run| format!("#{run}"))).collect();
        Some((key, runs.iter().map(|&(start, end)| &markdown[start..end]).collect()))
    }

    /// Letters, digits and the spaces between them stand in for each other; list numbers,
    /// text after `[` or `<` (to the paragraph's end) and U+00A0-less punctuation stay.
    #[test]
    fn shapes_replace_words_and_keep_structure() {
        let (key, runs) = shown("**Jan Żółw**\\\nDział\u{a0}Obsługi 12,50 zł.").unwrap_or_default();
        assert_eq!(key, "**#0**\\\n#1,#2.");
        assert_eq!(runs, ["Jan Żółw", "Dział\u{a0}Obsługi 12", "50 zł"]);
        let (key, _) = shown("1. raz\n 22) dwa\n>3. trzy\nrok 2026. r").unwrap_or_default();
        assert_eq!(key, "1. #0\n 22) #1\n>3. #2\n#3 2026. #4");
        let (key, _) = shown("a [b c](d) e\nf <g h> i\n\nj").unwrap_or_default();
        assert_eq!(key, "#0 [b c](d) e\nf <g h> i\n\n#1");
        let (key, _) = shown("x × y ß ǀ Ⓐ 漢 e\u{301}").unwrap_or_default();
        assert_eq!(key, "#0 × #1 Ⓐ 漢 #2\u{301}");
    }

    /// Placeholders are the private-use characters from U+E000 up, 6,400 of them.
    #[test]
    fn placeholders_number_the_runs() {
        for index in 0..6400 {
            let c = char::from_u32(FIRST_PLACEHOLDER + index as u32).unwrap_or_default();
            let mut utf8 = [0; 4];
            assert_eq!(placeholder(index).as_ref().map(|p| &p[..]), Some(c.encode_utf8(&mut utf8).as_bytes()));
            assert_eq!(run_of(c), Some(index));
        }
        assert_eq!(placeholder(6400), None);
        assert_eq!(run_of('\u{f900}'), None);
    }

    /// Bodies the shape could misread are parsed as they are.
    #[test]
    fn bodies_with_tabs_entities_or_private_use_are_not_shaped() {
        for body in ["a\tb", "a\r\nb", "a\0", "&amp;", "&#65;", "AT&T", "\u{e000}", "x\u{f8ff}"] {
            assert_eq!(shown(body), None, "{body:?}");
            assert_eq!(replayed(body), None, "{body:?}");
        }
        for body in ["a & b", "\u{f900}", "\u{fffd}", "a&", "&"] {
            assert!(shown(body).is_some(), "{body:?}");
        }
    }

    /// The parser sees inert characters and placeholders alike: neither whitespace nor
    /// punctuation, where `_` can close (`_a_X`) or open (`X_a_`) only next to one of those.
    #[test]
    fn the_parser_takes_inert_characters_and_placeholders_for_letters() {
        let latin = (0xc0..=0x24f).filter(|&c| c != 0xd7 && c != 0xf7);
        let ascii = (u32::from(b'0')..=u32::from(b'z')).filter(|&c| (c as u8).is_ascii_alphanumeric());
        let placeholders = FIRST_PLACEHOLDER..=LAST_PLACEHOLDER;
        let mut checked = 0;
        for c in ascii.chain(latin).chain(placeholders).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            assert_eq!(inert_end(c.encode_utf8(&mut utf8).as_bytes(), 0) > 0, run_of(c).is_none(), "{c:?}");
            for probe in ["_a_X", "X_a_", "*a*X", "X*a*", "__a__X", "X__a__"] {
                let text = probe.replace('X', &c.to_string());
                let events = parsed(&text);
                let expected = joined([
                    Event::Start(Tag::Paragraph),
                    Event::Text(CowStr::from(text.clone())),
                    Event::End(pulldown_cmark::TagEnd::Paragraph),
                ]);
                let emphasis = events.iter().any(|e| matches!(e, Event::Start(Tag::Emphasis | Tag::Strong)));
                // `*` works inside words, so `*a*X` is emphasis next to a letter too.
                if probe.contains('_') {
                    assert_eq!(events, expected, "{text:?}");
                } else {
                    assert!(emphasis, "{text:?}");
                }
            }
            checked += 1;
        }
        assert_eq!(checked, 62 + 398 + 6400);
    }

    /// Pieces of generated bodies: words that shape, and every construct whose parse could
    /// depend on the characters a shape replaces.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "a", "w", "Jan", "Żółw", "ǅx", "5", "12", "2026", "x1", "łódź", "Ünal", "é", "ß", " ", " ", " ", "  ",
        "\u{a0}", "\n", "\n\n", "\n   \n", "- ", "* ", "+ ", "1. ", "2) ", "10.", "123456789. ",
        "1234567890. ", "> ", ">", "# ", "## ", "**", "*", "_", "__", "`", "``", "```", "~~~", "    ", "[",
        "]", "(", ")", "](", "[x]: /u", "[//]: # (place-date)\n", "[x]", "![", "<", ">", "<b>", "</div>",
        "<div>", "<pre>", "</pre>", "<!--", "-->", "<?", "?>", "<!X", "<![CDATA[", "]]>", "<http://a.pl>",
        "<a@b.pl>", "<x y=\"z\">", "& ", "|", "| a | b |\n|---|--:|\n", "|:-:|", ":", "\\", "\\.", "\\*",
        "\\[", "\\\n", "!", "\"", "'", "„", "”", "×", "÷", "Ⓐ", "漢", "😀", "\u{301}", ".", ",", ";", "a.", "(",
        "http://x.pl/a_b", "mailto:a@b.pl", "@", "---", "===", "***", "- - -", "\u{fffd}", "\u{f900}",
        "e\u{301}", "1.5", "2026.", "r.", "&amp;", "&#65;", "&#xE000;", "&copy", "AT&T", "\t", "\r\n",
        "\u{e001}", "[Ab\ncD]", "[aB\nCd]: /u\n", "<a\nb=\"c\">",
    ];

    /// Replayed events equal the parser's, and so do the renditions, over generated bodies.
    #[test]
    fn shape_events_equal_the_parse() {
        let config = Config { cases: 8192, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        let body = proptest::collection::vec(select(PIECES), 0..48).prop_map(|pieces| pieces.concat());
        let options = MarkupOptions::default();
        let shaped = std::cell::Cell::new(0);
        let result = runner.run(&body, |body| {
            if let Some(events) = replayed(&body) {
                shaped.set(shaped.get() + 1);
                prop_assert_eq!(events, parsed(&body), "{:?}", body);
            }
            prop_assert_eq!(render_from(&body, &options, true), render_from(&body, &options, false), "{:?}", body);
            Ok(())
        });
        if let Err(error) = result {
            panic!("{error}");
        }
        // Most bodies shape; a test that shaped none would prove nothing.
        assert!(shaped.get() > 2048, "{}", shaped.get());
    }

    /// A shape met again replays its recorded events with the new body's words.
    #[test]
    fn a_shape_replays_with_other_words() {
        let options = MarkupOptions { width: 24, ..MarkupOptions::default() };
        for name in ["Jan Kowalski", "Zofia Maria Łęcka-Wójcik", "w", "Ola 5"] {
            let body = format!(
                "Szanowny Panie *{name}*,\n\nw terminie 5 dni zapłać 1\u{a0}234,50 zł.\n\n| a | b |\n|--|--:|\n| {name} | 2 |\n"
            );
            assert!(replayed(&body).is_some());
            assert_eq!(render_from(&body, &options, true), render_from(&body, &options, false), "{name}");
        }
    }
}
