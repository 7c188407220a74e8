//! HTML rendition: an email-safe, inline-styled fragment with escaping, safe links and Polish no-break spaces.

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Tag, TagEnd};

use super::{HtmlStyles, is_break_byte, is_opening, link_allowed, shown_url};

/// The no-break space written after a one-letter word or a bare number.
const NBSP: char = '\u{a0}';

/// Which [`HtmlStyles`] entry an element uses; also the index into the attribute cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// [`HtmlStyles::p`].
    P,
    /// [`HtmlStyles::h1`].
    H1,
    /// [`HtmlStyles::h2`].
    H2,
    /// [`HtmlStyles::h3`].
    H3,
    /// [`HtmlStyles::ul`].
    Ul,
    /// [`HtmlStyles::ol`].
    Ol,
    /// [`HtmlStyles::li`].
    Li,
    /// [`HtmlStyles::a`].
    A,
    /// [`HtmlStyles::em`].
    Em,
    /// [`HtmlStyles::strong`].
    Strong,
    /// [`HtmlStyles::code`].
    Code,
    /// [`HtmlStyles::pre`].
    Pre,
    /// [`HtmlStyles::blockquote`].
    Blockquote,
    /// [`HtmlStyles::hr`].
    Hr,
    /// [`HtmlStyles::table`].
    Table,
    /// [`HtmlStyles::th`].
    Th,
    /// [`HtmlStyles::th_right`].
    ThRight,
    /// [`HtmlStyles::th_center`].
    ThCenter,
    /// [`HtmlStyles::td`].
    Td,
    /// [`HtmlStyles::td_right`].
    TdRight,
    /// [`HtmlStyles::td_center`].
    TdCenter,
}

/// Number of [`Style`] variants.
const STYLE_COUNT: usize = Style::TdCenter as usize + 1;

/// Every [`Style`], in the order of their numbers.
const ALL_STYLES: [Style; STYLE_COUNT] = [
    Style::P,
    Style::H1,
    Style::H2,
    Style::H3,
    Style::Ul,
    Style::Ol,
    Style::Li,
    Style::A,
    Style::Em,
    Style::Strong,
    Style::Code,
    Style::Pre,
    Style::Blockquote,
    Style::Hr,
    Style::Table,
    Style::Th,
    Style::ThRight,
    Style::ThCenter,
    Style::Td,
    Style::TdRight,
    Style::TdCenter,
];

/// Each style's ` style="..."` attribute, escaped once (on the first body rendered with the
/// options that hold it) rather than once per body: (the CSS it was built from, the
/// attribute). A writer uses an entry only while its CSS still equals the style's, so options
/// whose styles were changed afterwards are escaped per body as before, never stale.
#[derive(Default)]
pub struct StyleAttributes(std::sync::OnceLock<Vec<(String, String)>>);

impl StyleAttributes {
    fn get(&self, styles: &HtmlStyles) -> &[(String, String)] {
        self.0.get_or_init(|| {
            ALL_STYLES
                .iter()
                .map(|style| {
                    let css = style.css(styles);
                    let mut attr = String::new();
                    write_style_attr(&mut attr, css);
                    (css.to_string(), attr)
                })
                .collect()
        })
    }
}

impl Clone for StyleAttributes {
    /// A copy starts empty (its options may be changed before they render).
    fn clone(&self) -> Self {
        StyleAttributes::default()
    }
}

impl PartialEq for StyleAttributes {
    /// A cache: it says nothing about the options that hold it.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for StyleAttributes {}

impl std::fmt::Debug for StyleAttributes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StyleAttributes")
    }
}

/// Appends ` style="css"` escaped, or nothing if `css` is empty.
fn write_style_attr(out: &mut String, css: &str) {
    if !css.is_empty() {
        out.push_str(" style=\"");
        escape_attr(out, css);
        out.push('"');
    }
}

impl Style {
    /// The CSS for this element in `styles`.
    fn css(self, styles: &HtmlStyles) -> &str {
        match self {
            Style::P => &styles.p,
            Style::H1 => &styles.h1,
            Style::H2 => &styles.h2,
            Style::H3 => &styles.h3,
            Style::Ul => &styles.ul,
            Style::Ol => &styles.ol,
            Style::Li => &styles.li,
            Style::A => &styles.a,
            Style::Em => &styles.em,
            Style::Strong => &styles.strong,
            Style::Code => &styles.code,
            Style::Pre => &styles.pre,
            Style::Blockquote => &styles.blockquote,
            Style::Hr => &styles.hr,
            Style::Table => &styles.table,
            Style::Th => &styles.th,
            Style::ThRight => &styles.th_right,
            Style::ThCenter => &styles.th_center,
            Style::Td => &styles.td,
            Style::TdRight => &styles.td_right,
            Style::TdCenter => &styles.td_center,
        }
    }
}

/// Where the text written so far stands relative to the current word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// After whitespace or at the start of a block (opening brackets and quotes keep it here).
    Start,
    /// The current word so far is a single letter.
    OneLetter,
    /// The current word so far is a number (digits, with `,` or `.` inside).
    Number,
    /// Inside any other word.
    Other,
}

/// Writes the HTML rendition from parser events.
#[derive(Debug)]
pub(crate) struct HtmlWriter<'s> {
    /// The output so far.
    out: String,
    /// Inline styles per element.
    styles: &'s HtmlStyles,
    /// Column alignments of the current table.
    aligns: Vec<Alignment>,
    /// Index of the next cell in the current row.
    cell: usize,
    /// Whether inside the table header.
    in_head: bool,
    /// Whether `<tbody>` of the current table is open.
    tbody_open: bool,
    /// Open links written as `<a>` (allowed scheme): where the label starts in `out` and
    /// the URL in `urls`; `None` for links rendered as text only.
    links: Vec<Option<(usize, usize)>>,
    /// Destinations of the open links, back to back.
    urls: String,
    /// Whether inside a code block (text is verbatim there).
    in_code: bool,
    /// The state of the current word, for the one-letter rule.
    word: Word,
    /// Whether the last thing written was whitespace (or a block start), so more is dropped.
    last_space: bool,
    /// ` style="..."` attributes built so far, escaped, back to back.
    attrs: String,
    /// Byte range in `attrs` of each style's attribute, once built.
    attr_spans: [Option<(usize, usize)>; STYLE_COUNT],
    /// The attributes escaped once for the options (see [`StyleAttributes`]).
    cached: &'s [(String, String)],
    /// Per style: whether its entry in `cached` is known to be good for `styles`.
    use_cached: [Option<bool>; STYLE_COUNT],
}

impl<'s> HtmlWriter<'s> {
    /// A writer using `styles` (their attributes escaped once in `attributes`), sized for a
    /// body of `source_len` bytes.
    pub(crate) fn new(styles: &'s HtmlStyles, attributes: &'s StyleAttributes, source_len: usize) -> Self {
        Self {
            out: String::with_capacity(source_len * 2 + 64),
            styles,
            aligns: Vec::new(),
            cell: 0,
            in_head: false,
            tbody_open: false,
            links: Vec::new(),
            urls: String::new(),
            in_code: false,
            word: Word::Start,
            last_space: true,
            attrs: String::new(),
            attr_spans: [None; STYLE_COUNT],
            cached: attributes.get(styles),
            use_cached: [None; STYLE_COUNT],
        }
    }

    /// Handles one event.
    pub(crate) fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) if self.in_code => escape_text(&mut self.out, text),
            Event::Text(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::FootnoteReference(text) => self.text(text),
            Event::Code(code) => {
                self.open("code", Style::Code);
                escape_text(&mut self.out, code);
                self.out.push_str("</code>");
                self.word = Word::Other;
                self.last_space = false;
            }
            Event::SoftBreak => self.space('\n'),
            Event::HardBreak => {
                self.out.push_str("<br>\n");
                self.reset_inline();
            }
            Event::Rule => {
                self.block_start();
                self.open("hr", Style::Hr);
                self.out.push('\n');
            }
            Event::TaskListMarker(_) => {}
        }
    }

    /// Finishes the rendition.
    pub(crate) fn finish(mut self) -> String {
        let kept = self.out.trim_end().len();
        self.out.truncate(kept);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    /// Handles the start of an element.
    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.open_block("p", Style::P),
            Tag::Heading { level, .. } => {
                let (name, style) = heading(*level);
                self.open_block(name, style);
            }
            Tag::BlockQuote(_) => {
                self.open_block("blockquote", Style::Blockquote);
                self.out.push('\n');
            }
            Tag::CodeBlock(_) => {
                self.open_block("pre", Style::Pre);
                self.out.push_str("<code>");
                self.in_code = true;
            }
            Tag::List(Some(start)) => {
                self.block_start();
                self.out.push_str("<ol");
                self.push_style(Style::Ol);
                if *start != 1 {
                    // Writing to a String cannot fail.
                    let _ = write!(self.out, " start=\"{start}\"");
                }
                self.out.push_str(">\n");
            }
            Tag::List(None) => {
                self.open_block("ul", Style::Ul);
                self.out.push('\n');
            }
            Tag::Item => self.open_block("li", Style::Li),
            Tag::Table(aligns) => {
                self.aligns.clear();
                self.aligns.extend_from_slice(aligns);
                self.tbody_open = false;
                self.open_block("table", Style::Table);
                self.out.push('\n');
            }
            Tag::TableHead => {
                self.in_head = true;
                self.cell = 0;
                self.out.push_str("<thead>\n<tr>");
            }
            Tag::TableRow => {
                if !self.tbody_open {
                    self.tbody_open = true;
                    self.out.push_str("<tbody>\n");
                }
                self.cell = 0;
                self.out.push_str("<tr>");
            }
            Tag::TableCell => {
                let align = self.aligns.get(self.cell).copied();
                let (name, style) = match (self.in_head, align) {
                    (true, Some(Alignment::Right)) => ("th", Style::ThRight),
                    (true, Some(Alignment::Center)) => ("th", Style::ThCenter),
                    (true, _) => ("th", Style::Th),
                    (false, Some(Alignment::Right)) => ("td", Style::TdRight),
                    (false, Some(Alignment::Center)) => ("td", Style::TdCenter),
                    (false, _) => ("td", Style::Td),
                };
                self.open(name, style);
                self.reset_inline();
            }
            Tag::Emphasis => self.open("em", Style::Em),
            Tag::Strong => self.open("strong", Style::Strong),
            Tag::Link { dest_url, title, .. } => {
                if !link_allowed(dest_url) {
                    self.links.push(None);
                } else {
                    self.out.push_str("<a href=\"");
                    push_href(&mut self.out, dest_url);
                    self.out.push('"');
                    if !title.is_empty() {
                        self.out.push_str(" title=\"");
                        escape_attr(&mut self.out, title);
                        self.out.push('"');
                    }
                    self.push_style(Style::A);
                    self.out.push('>');
                    self.links.push(Some((self.out.len(), self.urls.len())));
                    self.urls.push_str(dest_url);
                }
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.block_start(),
            Tag::Strikethrough | Tag::Superscript | Tag::Subscript | Tag::Image { .. } => {}
        }
    }

    /// Handles the end of an element.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.close_block("p"),
            TagEnd::Heading(level) => self.close_block(heading(level).0),
            TagEnd::BlockQuote(_) => {
                self.block_start();
                self.close_block("blockquote");
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.out.push_str("</code>");
                self.close_block("pre");
            }
            TagEnd::List(ordered) => {
                self.block_start();
                self.close_block(if ordered { "ol" } else { "ul" });
            }
            TagEnd::Item => self.close_block("li"),
            TagEnd::Table => {
                self.block_start();
                if self.tbody_open {
                    self.out.push_str("</tbody>\n");
                    self.tbody_open = false;
                }
                self.close_block("table");
            }
            TagEnd::TableHead => {
                self.in_head = false;
                self.out.push_str("</tr>\n</thead>\n");
            }
            TagEnd::TableRow => self.out.push_str("</tr>\n"),
            TagEnd::TableCell => {
                self.out.push_str(if self.in_head { "</th>" } else { "</td>" });
                self.cell += 1;
            }
            TagEnd::Emphasis => self.out.push_str("</em>"),
            TagEnd::Strong => self.out.push_str("</strong>"),
            TagEnd::Link => {
                if let Some(Some((label_start, url_start))) = self.links.pop() {
                    // A link without a visible label shows its URL.
                    let label = self.out.get(label_start..).unwrap_or("");
                    if label.trim_matches(|c: char| c.is_ascii_whitespace()).is_empty() {
                        let url = self.urls.get(url_start..).unwrap_or("");
                        escape_text(&mut self.out, shown_url(url));
                        self.word = Word::Other;
                        self.last_space = false;
                    }
                    self.urls.truncate(url_start);
                    self.out.push_str("</a>");
                }
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.block_start(),
            TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript | TagEnd::Image => {}
        }
    }

    /// Writes inline text: escaped, whitespace collapsed, and a no-break space after each
    /// one-letter word (words may continue across events, as in `**w** domu`).
    fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut done = 0;
        let mut pos = 0;
        while pos < bytes.len() {
            // Hot path: the middle of a word that is already longer than one letter.
            if self.word == Word::Other {
                while pos < bytes.len() && !SPECIAL[usize::from(bytes[pos])] {
                    pos += 1;
                }
                if pos == bytes.len() {
                    break;
                }
            }
            let byte = bytes[pos];
            // `pos` and `done` sit on char boundaries: the hot path only stops at ASCII
            // bytes, and the slow path below steps whole characters.
            if byte == b' ' && !self.last_space && self.word == Word::Other {
                // A plain space between words stays in the run copied below.
                self.last_space = true;
                self.word = Word::Start;
                pos += 1;
            } else if is_break_byte(byte) {
                self.out.push_str(text.get(done..pos).unwrap_or(""));
                self.space(' ');
                pos += 1;
                done = pos;
            } else if let Some(entity) = entity(byte, false) {
                self.out.push_str(text.get(done..pos).unwrap_or(""));
                self.out.push_str(entity);
                pos += 1;
                done = pos;
                self.word = if byte == b'"' && self.word == Word::Start { Word::Start } else { Word::Other };
                self.last_space = false;
            } else {
                let c = text.get(pos..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
                self.word = match self.word {
                    Word::Start if is_opening(c) => Word::Start,
                    Word::Start if c.is_alphabetic() => Word::OneLetter,
                    Word::Start | Word::Number if c.is_ascii_digit() => Word::Number,
                    Word::Number if c == ',' || c == '.' => Word::Number,
                    _ => Word::Other,
                };
                self.last_space = false;
                pos += c.len_utf8();
            }
        }
        self.out.push_str(text.get(done..).unwrap_or(""));
    }

    /// Writes whitespace between words: `separator`, or U+00A0 after a one-letter word,
    /// nothing if whitespace was just written.
    fn space(&mut self, separator: char) {
        if !self.last_space {
            // A number ending in `,` or `.` ends a clause, so it may end a line.
            let binds = self.word == Word::OneLetter
                || (self.word == Word::Number && self.out.as_bytes().last().is_some_and(u8::is_ascii_digit));
            self.out.push(if binds { NBSP } else { separator });
            self.last_space = true;
        }
        self.word = Word::Start;
    }

    /// Forgets inline state at a block boundary, dropping leading whitespace that follows.
    fn reset_inline(&mut self) {
        self.word = Word::Start;
        self.last_space = true;
    }

    /// Starts a new line for a block element unless at the start of one.
    fn block_start(&mut self) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.reset_inline();
    }

    /// Opens a block element on a line of its own.
    fn open_block(&mut self, name: &str, style: Style) {
        self.block_start();
        self.open(name, style);
    }

    /// Closes a block element and ends the line.
    fn close_block(&mut self, name: &str) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self.reset_inline();
    }

    /// Writes an opening tag with its style attribute.
    fn open(&mut self, name: &str, style: Style) {
        self.out.push('<');
        self.out.push_str(name);
        self.push_style(style);
        self.out.push('>');
    }

    /// Appends ` style="..."` for `style`, or nothing if its CSS is empty. Each attribute is
    /// escaped once per body and copied after that.
    fn push_style(&mut self, style: Style) {
        let index = style as usize;
        let cached = self.cached.get(index);
        let good = *self.use_cached[index]
            .get_or_insert_with(|| cached.is_some_and(|(css, _)| css.as_str() == style.css(self.styles)));
        if good && let Some((_, attr)) = cached {
            self.out.push_str(attr);
            return;
        }
        let slot = &mut self.attr_spans[style as usize];
        let (start, end) = match *slot {
            Some(span) => span,
            None => {
                let start = self.attrs.len();
                write_style_attr(&mut self.attrs, style.css(self.styles));
                *slot = Some((start, self.attrs.len()));
                (start, self.attrs.len())
            }
        };
        self.out.push_str(self.attrs.get(start..end).unwrap_or(""));
    }
}

/// Tag name and style of a heading; `h4`–`h6` share the `h3` style.
fn heading(level: HeadingLevel) -> (&'static str, Style) {
    match level {
        HeadingLevel::H1 => ("h1", Style::H1),
        HeadingLevel::H2 => ("h2", Style::H2),
        HeadingLevel::H3 => ("h3", Style::H3),
        HeadingLevel::H4 => ("h4", Style::H3),
        HeadingLevel::H5 => ("h5", Style::H3),
        HeadingLevel::H6 => ("h6", Style::H3),
    }
}

/// Appends `text` with `&`, `<`, `>` and `"` escaped.
pub(crate) fn escape_text(out: &mut String, text: &str) {
    escape(out, text, false);
}

/// Appends `text` escaped for a double-quoted attribute value (`'` too).
pub(crate) fn escape_attr(out: &mut String, text: &str) {
    escape(out, text, true);
}

/// The entity for `byte` if it must be escaped (`'` only if `apostrophe`).
fn entity(byte: u8, apostrophe: bool) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' if apostrophe => Some("&#39;"),
        _ => None,
    }
}

/// Bytes that inline text handling must look at: whitespace and the HTML specials.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(byte as u8, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'&' | b'<' | b'>' | b'"');
        byte += 1;
    }
    table
};

/// Appends `text`, replacing the HTML specials by entities (and `'` if `apostrophe`).
fn escape(out: &mut String, text: &str, apostrophe: bool) {
    // Find the next byte to escape with a table and a tight loop (most text and every CSS
    // attribute has few or none), then copy the run before it at once.
    let bytes = text.as_bytes();
    let least = if apostrophe { 0 } else { 1 };
    let mut done = 0;
    while let Some(offset) =
        bytes.get(done..).and_then(|rest| rest.iter().position(|&b| ESCAPED[usize::from(b)] > least))
    {
        let index = done + offset;
        // `index` is at an ASCII byte, hence on a char boundary.
        out.push_str(text.get(done..index).unwrap_or(""));
        out.push_str(entity(bytes[index], apostrophe).unwrap_or(""));
        done = index + 1;
    }
    out.push_str(text.get(done..).unwrap_or(""));
}

/// For [`escape`]: 2 for the bytes always escaped, 1 for the apostrophe (escaped in
/// attributes), 0 for the rest; the same as [`entity`] answers.
const ESCAPED: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'&' as usize] = 2;
    table[b'<' as usize] = 2;
    table[b'>' as usize] = 2;
    table[b'"' as usize] = 2;
    table[b'\'' as usize] = 1;
    table
};

/// Appends `url` for an `href` attribute: URL-safe ASCII kept, `&` and `'` as entities,
/// everything else (space, quotes, `<`, `>`, non-ASCII bytes) percent-encoded.
pub(crate) fn push_href(out: &mut String, url: &str) {
    for byte in url.bytes() {
        match byte {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#39;"),
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'('
            | b')'
            | b'/'
            | b'?'
            | b'#'
            | b'['
            | b']'
            | b'@'
            | b':'
            | b';'
            | b'='
            | b'+'
            | b'$'
            | b','
            | b'%' => out.push(char::from(byte)),
            _ => {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::super::{MarkupOptions, render};
    use super::*;

    /// The table-driven escape writes what escaping byte by byte with `entity` writes.
    #[test]
    fn escape_matches_byte_by_byte() {
        fn reference(text: &str, apostrophe: bool) -> String {
            let mut out = String::new();
            for c in text.chars() {
                match u8::try_from(c).ok().and_then(|b| entity(b, apostrophe)) {
                    Some(e) => out.push_str(e),
                    None => out.push(c),
                }
            }
            out
        }
        let texts = ["", "a", "&", "<b>", "\"x\" & 'y'", "Łódź & <Kraków>", "font-family:'A', \"B\";", "&&''<<", "zł'"];
        for text in texts {
            for apostrophe in [false, true] {
                let mut out = String::new();
                escape(&mut out, text, apostrophe);
                assert_eq!(out, reference(text, apostrophe), "{text:?} {apostrophe}");
            }
        }
    }

    /// Attributes escaped once for the options write what escaping per body writes, and
    /// options whose styles change after their first body are not served stale attributes.
    #[test]
    fn style_attributes_escaped_once_match_per_body() {
        let body = "# T\n\nA *b* **c** `d` [e](https://x.pl)\n\n- f\n\n1. g\n\n> h\n\n---\n\n| a | b | c |\n|---|:-:|--:|\n| 1 | 2 | 3 |\n";
        let fresh = |styles: &HtmlStyles| {
            // New options: their own cache, filled from these styles.
            render(body, &MarkupOptions { styles: styles.clone(), ..MarkupOptions::default() }).html
        };
        let mut options = MarkupOptions::default();
        let first = render(body, &options).html;
        assert_eq!(render(body, &options).html, first);
        // Escaping per body, with no cached attribute usable: a writer over styles that
        // differ from the cache's in every entry, then the same styles back.
        let cache = StyleAttributes::default();
        let mut other = options.styles.clone();
        other.p = "color:'red'".into();
        let _ = cache.get(&other);
        let mut writer = HtmlWriter::new(&options.styles, &cache, body.len());
        writer.push_style(Style::P);
        let mut expected = String::new();
        write_style_attr(&mut expected, &options.styles.p);
        assert_eq!(writer.out, expected);
        // Changed styles after the first body: the new CSS is written.
        options.styles.p = "color:\"blue\" & 'x'".into();
        let changed = render(body, &options).html;
        assert!(changed.contains(" style=\"color:&quot;blue&quot; &amp; &#39;x&#39;\""), "{changed}");
        assert_eq!(changed, fresh(&options.styles));
    }

    /// Styles that are all empty, so no `style` attributes are written.
    fn bare() -> HtmlStyles {
        let none = String::new;
        HtmlStyles {
            p: none(),
            h1: none(),
            h2: none(),
            h3: none(),
            ul: none(),
            ol: none(),
            li: none(),
            a: none(),
            em: none(),
            strong: none(),
            code: none(),
            pre: none(),
            blockquote: none(),
            hr: none(),
            table: none(),
            th: none(),
            th_right: none(),
            th_center: none(),
            td: none(),
            td_right: none(),
            td_center: none(),
        }
    }

    /// HTML of `markdown` without style attributes.
    fn html(markdown: &str) -> String {
        let options = MarkupOptions { styles: bare(), ..MarkupOptions::default() };
        render(markdown, &options).html
    }

    /// Backslash-escaped Markdown specials come out as escaped literal text.
    #[test]
    fn escaped_specials_arrive_literally() {
        assert_eq!(
            html("\\*Anna\\* \\<b\\> \\&amp; \"cytat\" 'x'"),
            "<p>*Anna* &lt;b&gt; &amp;amp; &quot;cytat&quot; 'x'</p>\n"
        );
    }

    /// Inline and block raw HTML is escaped text; a block keeps its lines.
    #[test]
    fn raw_html_is_text() {
        assert_eq!(
            html("tekst <b onclick=\"x()\">b</b> <!-- uwaga -->"),
            "<p>tekst &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt; &lt;!-- uwaga --&gt;</p>\n"
        );
        assert_eq!(
            html("<script>\nalert('x')\n</script>\n\npo"),
            "<p>&lt;script&gt;<br>\nalert('x')<br>\n&lt;/script&gt;</p>\n<p>po</p>\n"
        );
    }

    /// Only http, https, mailto and tel links become `<a>`; hrefs are escaped.
    #[test]
    fn only_safe_links_are_linked() {
        assert_eq!(
            html("[aa](javascript:alert(1)) [bb](data:text/html,x) [cc](/względny) [dd](JAVASCRIPT:x)"),
            "<p>aa bb cc dd</p>\n"
        );
        assert_eq!(
            html("[strona](<https://example.com/a?b=1&c='x\" d'>) [tel](tel:+48800123456 \"Zadzwoń\")"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=&#39;x%22%20d&#39;\">strona</a> \
             <a href=\"tel:+48800123456\" title=\"Zadzwoń\">tel</a></p>\n"
        );
        assert_eq!(
            html("<jan@example.com> [ż](http://example.com/żółw)"),
            "<p><a href=\"mailto:jan@example.com\">jan@example.com</a> \
             <a href=\"http://example.com/%C5%BC%C3%B3%C5%82w\">ż</a></p>\n"
        );
    }

    /// A link with an empty label shows its URL.
    #[test]
    fn empty_link_label_shows_the_url() {
        assert_eq!(
            html("[](https://x.pl/a&b) [](mailto:jan@x.pl)"),
            "<p><a href=\"https://x.pl/a&amp;b\">https://x.pl/a&amp;b</a> \
             <a href=\"mailto:jan@x.pl\">jan@x.pl</a></p>\n"
        );
    }

    /// The space after a one-letter word becomes U+00A0, across inline tags too.
    #[test]
    fn one_letter_words_get_no_break_spaces() {
        assert_eq!(
            html("Płatność w terminie i z *a* odsetkami\nw domu, (o ile) 5 x"),
            "<p>Płatność w\u{a0}terminie i\u{a0}z\u{a0}<em>a</em>\u{a0}odsetkami\n\
             w\u{a0}domu, (o\u{a0}ile) 5\u{a0}x</p>\n"
        );
        // Already glued or at the end: nothing to change.
        assert_eq!(html("w\u{a0}domu i"), "<p>w\u{a0}domu i</p>\n");
    }

    /// Hard and soft breaks, headings h1–h6 and inline elements.
    #[test]
    fn breaks_headings_and_inline_elements() {
        assert_eq!(
            html("# Tytuł\n###### Mały\nZ poważaniem  \nJan\\\n**Dział** _Obsługi_ `K&1`\ndalej"),
            "<h1>Tytuł</h1>\n<h6>Mały</h6>\n<p>Z\u{a0}poważaniem<br>\nJan<br>\n\
             <strong>Dział</strong> <em>Obsługi</em> <code>K&amp;1</code>\ndalej</p>\n"
        );
    }

    /// Lists, block quotes, rules, code blocks and images (as alt text).
    #[test]
    fn lists_quotes_rules_code_images() {
        assert_eq!(
            html("- a\n  - b\n- c\n\n3. x\n4. y"),
            "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>\n\
             <ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n"
        );
        assert_eq!(
            html("> q\n>> r\n\n---\n\n```\n<x> & y\n```\n![Logo & co](l.png)"),
            "<blockquote>\n<p>q</p>\n<blockquote>\n<p>r</p>\n</blockquote>\n</blockquote>\n\
             <hr>\n<pre><code>&lt;x&gt; &amp; y\n</code></pre>\n<p>Logo &amp; co</p>\n"
        );
    }

    /// Tables get thead/tbody and per-column alignment styles.
    #[test]
    fn table_with_alignment_and_money() {
        let input = "| Pozycja | Kwota | Uwagi |\n|:--|--:|:-:|\n\
                     | Abonament | 1\u{a0}234,56\u{a0}zł | uwaga <b> |\n| Rabat | -5,00\u{a0}zł |";
        let expected = "<table>\n<thead>\n\
             <tr><th>Pozycja</th><th style=\"R\">Kwota</th><th style=\"C\">Uwagi</th></tr>\n\
             </thead>\n<tbody>\n\
             <tr><td>Abonament</td><td style=\"r\">1\u{a0}234,56\u{a0}zł</td><td style=\"c\">uwaga &lt;b&gt;</td></tr>\n\
             <tr><td>Rabat</td><td style=\"r\">-5,00\u{a0}zł</td><td style=\"c\"></td></tr>\n\
             </tbody>\n</table>\n";
        let styles = HtmlStyles {
            th_right: "R".into(),
            th_center: "C".into(),
            td_right: "r".into(),
            td_center: "c".into(),
            ..bare()
        };
        let options = MarkupOptions { styles, ..MarkupOptions::default() };
        assert_eq!(render(input, &options).html, expected);
        // A table with only a header has no body.
        assert_eq!(html("| a |\n|---|"), "<table>\n<thead>\n<tr><th>a</th></tr>\n</thead>\n</table>\n");
    }

    /// The default styles are written as inline `style` attributes.
    #[test]
    fn default_styles_are_inline() {
        let got =
            render("Tekst [link](https://x.pl)\n\n| a | b |\n|---|--:|\n| 1 | 2 |", &MarkupOptions::default()).html;
        assert_eq!(
            got,
            "<p style=\"margin:0 0 1em 0\">Tekst <a href=\"https://x.pl\" \
             style=\"color:#0645ad;text-decoration:underline\">link</a></p>\n\
             <table style=\"border-collapse:collapse;margin:0 0 1em 0\">\n<thead>\n\
             <tr><th style=\"padding:2px 12px 2px 0;text-align:left;vertical-align:top\">a</th>\
             <th style=\"padding:2px 12px 2px 0;text-align:right;vertical-align:top\">b</th></tr>\n\
             </thead>\n<tbody>\n\
             <tr><td style=\"padding:2px 12px 2px 0;text-align:left;vertical-align:top\">1</td>\
             <td style=\"padding:2px 12px 2px 0;text-align:right;vertical-align:top\">2</td></tr>\n\
             </tbody>\n</table>\n"
        );
    }

    /// Style strings are escaped as attribute values.
    #[test]
    fn style_strings_are_escaped() {
        let styles = HtmlStyles { p: "font-family:\"A&B\"".into(), ..bare() };
        let options = MarkupOptions { styles, ..MarkupOptions::default() };
        assert_eq!(render("x", &options).html, "<p style=\"font-family:&quot;A&amp;B&quot;\">x</p>\n");
    }

    /// The escaping helpers on their own.
    #[test]
    fn escaping_helpers() {
        let mut out = String::new();
        escape_text(&mut out, "a&b<c>d\"e'f ż");
        assert_eq!(out, "a&amp;b&lt;c&gt;d&quot;e'f ż");
        out.clear();
        escape_attr(&mut out, "'\"");
        assert_eq!(out, "&#39;&quot;");
        out.clear();
        push_href(&mut out, "https://a.pl/x y<z>\u{1}");
        assert_eq!(out, "https://a.pl/x%20y%3Cz%3E%01");
    }
}
