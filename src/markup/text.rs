//! Plain-text rendition: block layout, aligned tables and a greedy word wrapper that keeps Polish one-letter words off line ends.

use std::fmt::Write as _;
use std::mem;

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use super::{binds_to_next, is_break, is_break_byte, link_allowed, shown_url};

/// The line that stands for a thematic break.
const RULE: &str = "--------------------";
/// Indentation of code block lines.
const CODE_INDENT: &str = "    ";
/// Separator between table columns.
const COLUMN_GAP: &str = "  ";

/// A block container that puts a prefix before every line inside it.
#[derive(Debug, Clone, Copy)]
enum Container {
    /// A block quote: `> ` before each line.
    Quote,
    /// A list item: its marker on the first line, a hanging indent of the same width after.
    Item {
        /// `Some(n)` for `n. ` in ordered lists, `None` for `- `.
        number: Option<u64>,
        /// Width of the marker, which is also the hanging indent.
        width: usize,
        /// Whether the marker line has not been written yet.
        first: bool,
        /// Whether a paragraph started directly inside (the list is loose).
        loose: bool,
    },
}

/// Cells of the table being collected; laid out when the table ends.
#[derive(Debug, Default)]
struct Table {
    /// Alignment per column, from the delimiter row.
    aligns: Vec<Alignment>,
    /// Text of all cells, whitespace collapsed, back to back.
    text: String,
    /// Byte range of each cell in `text`, row after row.
    cells: Vec<(usize, usize)>,
    /// Number of cells in each row; the first row is the header.
    rows: Vec<usize>,
    /// Cells seen so far in the current row.
    row_cells: usize,
    /// Display width per column, computed at layout.
    widths: Vec<usize>,
}

impl Table {
    /// Starts collecting a new table with the given column alignments.
    fn begin(&mut self, aligns: &[Alignment]) {
        self.aligns.clear();
        self.aligns.extend_from_slice(aligns);
        self.text.clear();
        self.cells.clear();
        self.rows.clear();
        self.row_cells = 0;
        // An invoice's table: a few columns, a handful of rows. Reserved once rather than
        // grown step by step as the cells come.
        self.text.reserve(256);
        self.cells.reserve(8 * aligns.len());
        self.rows.reserve(8);
    }

    /// Adds a cell to the current row, collapsing runs of whitespace in `content`.
    fn push_cell(&mut self, content: &str) {
        let start = self.text.len();
        for word in words(content) {
            if self.text.len() > start {
                self.text.push(' ');
            }
            self.text.push_str(word.get(content, ""));
        }
        self.cells.push((start, self.text.len()));
        self.row_cells += 1;
    }

    /// Closes the current row.
    fn end_row(&mut self) {
        self.rows.push(self.row_cells);
        self.row_cells = 0;
    }

    /// The cells of the row whose first cell is number `first`, with `count` cells.
    fn row(&self, first: usize, count: usize) -> &[(usize, usize)] {
        self.cells.get(first..first + count).unwrap_or(&[])
    }

    /// The text of one cell.
    fn cell(&self, &(start, end): &(usize, usize)) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Computes the column widths, at least 1 each.
    fn measure(&mut self) {
        let columns = self.rows.iter().copied().max().unwrap_or(0).max(self.aligns.len());
        self.widths.clear();
        self.widths.resize(columns, 1);
        let mut widths = mem::take(&mut self.widths);
        let mut first = 0;
        for &count in &self.rows {
            for (widest, cell) in widths.iter_mut().zip(self.row(first, count)) {
                *widest = (*widest).max(display_width(self.cell(cell)));
            }
            first += count;
        }
        self.widths = widths;
    }

    /// Writes row `cells` (a slice of `self.cells`) into `line`, padded to the column widths.
    fn format_row(&self, cells: &[(usize, usize)], line: &mut String) {
        line.clear();
        for (column, &width) in self.widths.iter().enumerate() {
            if column > 0 {
                line.push_str(COLUMN_GAP);
            }
            let cell = cells.get(column).map_or("", |cell| self.cell(cell));
            let padding = width.saturating_sub(display_width(cell));
            if self.aligns.get(column) == Some(&Alignment::Right) {
                push_spaces(line, padding);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                push_spaces(line, padding);
            }
        }
    }

    /// Writes the rule under the header into `line`: dashes the full width of each column.
    fn format_rule(&self, line: &mut String) {
        line.clear();
        for (column, &width) in self.widths.iter().enumerate() {
            if column > 0 {
                line.push_str(COLUMN_GAP);
            }
            for _ in 0..width {
                line.push('-');
            }
        }
    }
}

/// Writes the plain-text rendition from parser events.
#[derive(Debug)]
pub(crate) struct TextWriter {
    /// The output so far; every line ends with `\n`.
    out: String,
    /// Wrap column.
    width: usize,
    /// Open block quotes and list items, outermost first.
    containers: Vec<Container>,
    /// Open lists, outermost first: the next number of ordered ones.
    lists: Vec<Option<u64>>,
    /// Inline content of the paragraph, heading or cell being collected.
    inline: String,
    /// Scratch buffer for one output line.
    line: String,
    /// Scratch buffer for one unbreakable run of glued words.
    unit: String,
    /// A blank line is due before the next line, inside this many containers.
    blank: Option<usize>,
    /// Open links: where the label starts in `inline`, where the URL starts in `urls`.
    links: Vec<(usize, usize)>,
    /// Destinations of the open links, back to back.
    urls: String,
    /// Whether inside a code block.
    in_code: bool,
    /// Text of the code block being collected.
    code: String,
    /// Whether inside a table.
    in_table: bool,
    /// The table being collected.
    table: Table,
}

impl TextWriter {
    /// A writer wrapping at `width`, sized for a body of `source_len` bytes.
    pub(crate) fn new(width: usize, source_len: usize) -> Self {
        Self {
            out: String::with_capacity(source_len + source_len / 4 + 16),
            width,
            containers: Vec::new(),
            lists: Vec::new(),
            inline: String::with_capacity(256),
            line: String::with_capacity(128),
            unit: String::new(),
            blank: None,
            links: Vec::new(),
            urls: String::new(),
            in_code: false,
            code: String::new(),
            in_table: false,
            table: Table::default(),
        }
    }

    /// Handles one event.
    pub(crate) fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::FootnoteReference(text) => self.text(text),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.hard_break(),
            Event::Rule => {
                self.start_block();
                self.emit_line(RULE);
                self.end_block();
            }
            Event::TaskListMarker(_) => {}
        }
    }

    /// Finishes the rendition.
    pub(crate) fn finish(mut self) -> String {
        self.flush_inline();
        self.out
    }

    /// Handles the start of an element.
    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.start_block();
                if let Some(Container::Item { loose, .. }) = self.containers.last_mut() {
                    *loose = true;
                }
            }
            Tag::Heading { .. }
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.start_block(),
            Tag::BlockQuote(_) => {
                self.start_block();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.start_block();
                self.in_code = true;
                self.code.clear();
            }
            Tag::List(start) => {
                self.start_block();
                self.lists.push(*start);
            }
            Tag::Item => {
                self.flush_inline();
                let number = match self.lists.last_mut() {
                    Some(Some(next)) => {
                        let number = *next;
                        *next = next.saturating_add(1);
                        Some(number)
                    }
                    _ => None,
                };
                self.containers.push(Container::Item {
                    number,
                    width: marker_width(number),
                    first: true,
                    loose: false,
                });
            }
            Tag::Table(aligns) => {
                self.start_block();
                self.in_table = true;
                self.table.begin(aligns);
            }
            Tag::TableHead | Tag::TableRow => self.table.row_cells = 0,
            Tag::TableCell => self.inline.clear(),
            Tag::Link { dest_url, .. } => {
                self.links.push((self.inline.len(), self.urls.len()));
                self.urls.push_str(dest_url);
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Image { .. } => {}
        }
    }

    /// Handles the end of an element.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => {
                self.flush_inline();
                self.request_blank();
            }
            TagEnd::Heading(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {
                self.flush_inline();
                self.end_block();
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                if let Some(Container::Quote) = self.containers.last() {
                    self.containers.pop();
                }
                self.end_block();
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.emit_code();
                self.end_block();
            }
            TagEnd::List(_) => {
                self.flush_inline();
                self.lists.pop();
                self.end_block();
            }
            TagEnd::Item => {
                self.flush_inline();
                if let Some(Container::Item { first: true, .. }) = self.containers.last() {
                    // An empty item still shows its marker.
                    self.write_line("");
                }
                if let Some(Container::Item { .. }) = self.containers.last() {
                    self.containers.pop();
                }
            }
            TagEnd::Table => {
                self.in_table = false;
                self.emit_table();
                self.end_block();
            }
            TagEnd::TableHead | TagEnd::TableRow => self.table.end_row(),
            TagEnd::TableCell => {
                self.table.push_cell(&self.inline);
                self.inline.clear();
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Image => {}
        }
    }

    /// Collects text into the code block or the inline buffer.
    fn text(&mut self, text: &str) {
        if self.in_code {
            self.code.push_str(text);
        } else {
            self.inline.push_str(text);
        }
    }

    /// A hard break ends the current line; a second one in a row leaves a blank line.
    fn hard_break(&mut self) {
        if self.in_table || self.in_code {
            self.text(" ");
        } else if self.inline.trim_matches(is_break).is_empty() {
            self.inline.clear();
            self.request_blank();
        } else {
            self.flush_inline();
        }
    }

    /// Appends ` (url)` after a link label unless the label already is the URL or the
    /// scheme is not allowed; an empty label is replaced by the URL.
    fn end_link(&mut self) {
        let Some((label_start, url_start)) = self.links.pop() else {
            return;
        };
        let url = self.urls.get(url_start..).unwrap_or("");
        if link_allowed(url) {
            let shown = shown_url(url);
            let label = self.inline.get(label_start..).unwrap_or("");
            let label = label.trim_matches(is_break);
            if label.is_empty() {
                self.inline.push(' ');
                self.inline.push_str(shown);
            } else if label != shown {
                self.inline.push_str(" (");
                self.inline.push_str(shown);
                self.inline.push(')');
            }
        }
        self.urls.truncate(url_start);
    }

    /// Before a block starts: writes out inline content collected so far (as in a tight
    /// list item followed by a nested list).
    fn start_block(&mut self) {
        self.flush_inline();
    }

    /// After a block ends: asks for a blank line, unless the block sits directly in an
    /// item of a tight list.
    fn end_block(&mut self) {
        match self.containers.last() {
            Some(Container::Item { loose: false, .. }) => {}
            _ => self.request_blank(),
        }
    }

    /// Asks for one blank line before the next line written (never leading, never doubled).
    fn request_blank(&mut self) {
        let depth = self.containers.len();
        self.blank = Some(self.blank.map_or(depth, |pending| pending.min(depth)));
    }

    /// Wraps the collected inline content and writes its lines.
    fn flush_inline(&mut self) {
        if self.inline.is_empty() || self.in_table {
            return;
        }
        let inline = mem::take(&mut self.inline);
        let mut line = mem::take(&mut self.line);
        let mut unit = mem::take(&mut self.unit);
        let width = self.width.saturating_sub(self.prefix_width());
        wrap(&inline, width, &mut line, &mut unit, |l| self.emit_line(l));
        // A link label cut by a hard break continues at the start of the next line.
        for link in &mut self.links {
            link.0 = 0;
        }
        self.inline = inline;
        self.inline.clear();
        self.line = line;
        self.unit = unit;
    }

    /// Writes the collected code block, each line indented by four spaces.
    fn emit_code(&mut self) {
        let code = mem::take(&mut self.code);
        let mut line = mem::take(&mut self.line);
        for source in code.lines() {
            line.clear();
            line.push_str(CODE_INDENT);
            line.push_str(source);
            self.emit_line(&line);
        }
        self.code = code;
        self.line = line;
    }

    /// Lays out the collected table: header, a rule of dashes, body rows.
    fn emit_table(&mut self) {
        let mut table = mem::take(&mut self.table);
        let mut line = mem::take(&mut self.line);
        table.measure();
        let mut first = 0;
        for (row, &count) in table.rows.iter().enumerate() {
            table.format_row(table.row(first, count), &mut line);
            self.emit_line(&line);
            if row == 0 {
                table.format_rule(&mut line);
                self.emit_line(&line);
            }
            first += count;
        }
        self.table = table;
        self.line = line;
    }

    /// Writes one line of content with the container prefixes; an empty line becomes a
    /// request for a blank line.
    fn emit_line(&mut self, content: &str) {
        if content.trim().is_empty() {
            self.request_blank();
        } else {
            self.write_line(content);
        }
    }

    /// Writes one line: a due blank line first, then prefixes and `content`, trailing
    /// whitespace removed.
    fn write_line(&mut self, content: &str) {
        if let Some(depth) = self.blank.take()
            && !self.out.is_empty()
        {
            self.push_prefix(depth.min(self.containers.len()), false);
            self.end_out_line();
        }
        self.push_prefix(self.containers.len(), true);
        self.out.push_str(content);
        self.end_out_line();
        for container in &mut self.containers {
            if let Container::Item { first, .. } = container {
                *first = false;
            }
        }
    }

    /// Trims trailing whitespace off the current output line and ends it.
    fn end_out_line(&mut self) {
        let kept = self.out.trim_end_matches(|c: char| c.is_whitespace() && c != '\n').len();
        self.out.truncate(kept);
        self.out.push('\n');
    }

    /// Writes the prefixes of the outermost `depth` containers: list markers on an item's
    /// first line if `markers`, otherwise the hanging indent.
    fn push_prefix(&mut self, depth: usize, markers: bool) {
        for container in &self.containers[..depth] {
            match *container {
                Container::Quote => self.out.push_str("> "),
                Container::Item { number, width, first, .. } => {
                    if first && markers {
                        match number {
                            Some(number) => {
                                // Writing to a String cannot fail.
                                let _ = write!(self.out, "{number}. ");
                            }
                            None => self.out.push_str("- "),
                        }
                    } else {
                        push_spaces(&mut self.out, width);
                    }
                }
            }
        }
    }

    /// Total width of the container prefixes.
    fn prefix_width(&self) -> usize {
        self.containers
            .iter()
            .map(|container| match *container {
                Container::Quote => 2,
                Container::Item { width, .. } => width,
            })
            .sum()
    }
}

/// Width of a list marker: `- ` or `12. `.
fn marker_width(number: Option<u64>) -> usize {
    match number {
        None => 2,
        Some(mut number) => {
            let mut digits = 1;
            while number >= 10 {
                number /= 10;
                digits += 1;
            }
            digits + 2
        }
    }
}

/// Appends `count` spaces.
fn push_spaces(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push(' ');
    }
}

/// The words of `text` (maximal runs without [`is_break`] characters) as byte ranges with
/// their display widths, found in one pass over the bytes.
fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// Iterator returned by [`words`].
struct Words<'t> {
    /// The text being split.
    text: &'t str,
    /// Byte offset where scanning resumes.
    pos: usize,
}

impl Iterator for Words<'_> {
    type Item = Stretch;

    fn next(&mut self) -> Option<Stretch> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        while pos < bytes.len() && is_break_byte(bytes[pos]) {
            pos += 1;
        }
        let start = pos;
        // The highest byte and the UTF-8 continuation bytes, counted in the same pass, give the
        // width as [`display_width`] measures it.
        let mut high = 0;
        let mut continuation = 0;
        while pos < bytes.len() {
            let byte = bytes[pos];
            if byte <= b' ' && is_break_byte(byte) {
                break;
            }
            high = high.max(byte);
            continuation += usize::from(byte & 0xc0 == 0x80);
            pos += 1;
        }
        self.pos = pos;
        if start == pos {
            return None;
        }
        let width = if high < WIDE_OR_COMBINING_LEAD {
            pos - start - continuation
        } else {
            // Both ends sit at an ASCII byte or the end of the text, hence on char boundaries.
            self.text.get(start..pos).map_or(0, UnicodeWidthStr::width)
        };
        Some(Stretch { start, end: pos, width, copied: false })
    }
}

/// Words being assembled into a line (or a glued run): a slice of the source text while the
/// words are separated by single spaces there, otherwise a copy in a scratch buffer.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    /// Start of the slice in the source text.
    start: usize,
    /// End of the slice in the source text (of the last word, once copied).
    end: usize,
    /// Display width.
    width: usize,
    /// Whether the words live in the scratch buffer rather than the source.
    copied: bool,
}

impl Stretch {
    /// The words, from `text` or from `buffer` if copied.
    fn get<'b>(&self, text: &'b str, buffer: &'b str) -> &'b str {
        if self.copied {
            buffer
        } else {
            // Words end at ASCII bytes, hence on char boundaries.
            text.get(self.start..self.end).unwrap_or("")
        }
    }

    /// Appends a space and `other` (with its own scratch buffer `other_buffer`), copying into
    /// `buffer` unless both are adjacent in `text` with a single space between them.
    fn append(&mut self, other: &Stretch, text: &str, buffer: &mut String, other_buffer: &str) {
        let adjacent = !self.copied
            && !other.copied
            && other.start == self.end + 1
            && text.as_bytes().get(self.end) == Some(&b' ');
        if !adjacent && !self.copied {
            buffer.clear();
            buffer.push_str(self.get(text, ""));
            self.copied = true;
        }
        if self.copied {
            buffer.push(' ');
            buffer.push_str(other.get(text, other_buffer));
        }
        self.end = other.end;
        self.width += 1 + other.width;
    }
}

/// Below U+0300 (UTF-8 lead bytes under 0xCC) every character is one column wide, which covers
/// ASCII and all Polish letters: text with no byte from here up is measured by counting its
/// characters, anything else by unicode-width.
const WIDE_OR_COMBINING_LEAD: u8 = 0xcc;

/// Display width of `text` in terminal columns.
fn display_width(text: &str) -> usize {
    let mut chars = 0;
    for &byte in text.as_bytes() {
        if byte >= WIDE_OR_COMBINING_LEAD {
            return text.width();
        }
        chars += usize::from(byte & 0xc0 != 0x80);
    }
    chars
}

/// Wraps `text` greedily at `width` columns, calling `emit` with each line.
///
/// Words are separated by ASCII whitespace only (U+00A0 never breaks) and joined by single
/// spaces. A one-letter word is glued to the word after it, so it never ends a line. A word
/// (or glued run) wider than `width` gets a line of its own and is never split. Lines are
/// slices of `text` where possible; `line` and `unit` are scratch buffers for the rest.
fn wrap(text: &str, width: usize, line: &mut String, unit: &mut String, mut emit: impl FnMut(&str)) {
    let mut current: Option<Stretch> = None;
    let mut words = words(text);
    let mut next = words.next();
    while let Some(mut run) = next {
        next = words.next();
        let mut last = run;
        while binds_to_next(last.get(text, "")) {
            let Some(following) = next else { break };
            run.append(&following, text, unit, "");
            last = following;
            next = words.next();
        }
        match current.as_mut() {
            Some(current) if current.width + 1 + run.width <= width => {
                current.append(&run, text, line, unit);
            }
            _ => {
                if let Some(done) = current {
                    emit(done.get(text, line));
                }
                if run.copied {
                    line.clear();
                    line.push_str(unit);
                }
                current = Some(run);
            }
        }
    }
    if let Some(done) = current {
        emit(done.get(text, line));
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::super::{MarkupOptions, render};
    use super::*;

    /// Plain text of `markdown` at the default width.
    fn text(markdown: &str) -> String {
        render(markdown, &MarkupOptions::default()).text
    }

    /// Plain text of `markdown` wrapped at `width`.
    fn text_at(markdown: &str, width: usize) -> String {
        let options = MarkupOptions { width, ..MarkupOptions::default() };
        render(markdown, &options).text
    }

    /// Lines produced by [`wrap`] alone.
    fn wrapped(input: &str, width: usize) -> Vec<String> {
        let mut lines = Vec::new();
        wrap(input, width, &mut String::new(), &mut String::new(), |line| {
            lines.push(line.to_owned());
        });
        lines
    }

    /// A line of exactly 72 columns stays whole; 73 wraps.
    #[test]
    fn line_of_exactly_72_stays_73_wraps() {
        let exact = format!("{}{}", "a".repeat(9), " bbbbbbbb".repeat(7));
        assert_eq!(exact.chars().count(), 72);
        assert_eq!(text(&format!("{exact} cc")), format!("{exact}\ncc\n"));

        let over = format!("{}{}", "a".repeat(10), " bbbbbbbb".repeat(7));
        assert_eq!(over.chars().count(), 73);
        let kept = format!("{}{}", "a".repeat(10), " bbbbbbbb".repeat(6));
        assert_eq!(text(&over), format!("{kept}\nbbbbbbbb\n"));
    }

    /// Width is counted in characters, not UTF-8 bytes.
    #[test]
    fn width_counts_characters_not_bytes() {
        // 36 two-byte letters and spaces: 72 columns, 108 bytes.
        let line = "żó ".repeat(24);
        let line = line.trim_end();
        assert_eq!(line.chars().count(), 71);
        assert_eq!(text(&format!("{line}ż ąę")), format!("{line}ż\nąę\n"));
    }

    /// The width a word is measured with while splitting is its display width.
    #[test]
    fn words_carry_their_display_width() {
        let text = "Zażółć gęślą jaźń plain e\u{301}cole 漢字 😀x ŻÓŁW ß \u{a0}nbsp\u{a0}kept";
        for word in words(text) {
            let slice = word.get(text, "");
            assert_eq!(word.width, slice.width(), "{slice}");
            assert_eq!(word.width, display_width(slice), "{slice}");
        }
        assert_eq!(words(text).count(), 10);
    }

    /// A one-letter word moves to the next line with the word after it.
    #[test]
    fn one_letter_word_never_ends_a_line() {
        // "…x w" would fill 71 columns and "domu" not fit: "w" moves down with it.
        let head = format!("{}{}", "a".repeat(6), " bbbbbbbbb".repeat(6));
        assert_eq!(head.chars().count(), 66);
        let input = format!("{head} xx w domu");
        assert_eq!(text(&input), format!("{head} xx\nw domu\n"));
        // A chain of one-letter words sticks together, uppercase and after a bracket too.
        assert_eq!(wrapped("aaaa i w domu", 8), ["aaaa", "i w domu"]);
        assert_eq!(wrapped("aaaa (Z nami)", 8), ["aaaa", "(Z nami)"]);
        // A one-letter word at the very end has nothing to stick to.
        assert_eq!(wrapped("aaaa bbb i", 8), ["aaaa bbb", "i"]);
        // A bare number sticks to the next word too; one ending a clause does not.
        assert_eq!(wrapped("aaaa 5 bbbb", 6), ["aaaa", "5 bbbb"]);
        assert_eq!(wrapped("aaaa 5, bbbb", 7), ["aaaa 5,", "bbbb"]);
    }

    /// U+00A0 never breaks and stays U+00A0.
    #[test]
    fn no_break_space_is_not_a_break_opportunity() {
        let money = "1\u{a0}234,56\u{a0}zł";
        let head = "a".repeat(62);
        // Breaking at either no-break space would fit, but the amount moves whole.
        assert_eq!(text(&format!("{head} {money} dalej")), format!("{head}\n{money} dalej\n"));
        assert_eq!(wrapped("x\u{a0}y\u{a0}z", 1), ["x\u{a0}y\u{a0}z"]);
    }

    /// A word longer than the width gets its own line, unbroken.
    #[test]
    fn long_word_gets_its_own_line_unbroken() {
        let url = format!("https://example.com/{}", "x".repeat(80));
        assert_eq!(
            text(&format!("Rachunek: PL61109010140000071219812874 {url} koniec")),
            format!("Rachunek: PL61109010140000071219812874\n{url}\nkoniec\n")
        );
        assert_eq!(wrapped("abcdef", 3), ["abcdef"]);
        assert_eq!(wrapped("ab", 0), ["ab"]);
    }

    /// Soft breaks reflow and runs of whitespace collapse.
    #[test]
    fn soft_breaks_reflow_and_whitespace_collapses() {
        assert_eq!(text("jeden\ndwa   trzy\n\tcztery"), "jeden dwa trzy cztery\n");
        assert_eq!(text_at("aaa bbb\nccc ddd", 7), "aaa bbb\nccc ddd\n");
    }

    /// Hard breaks (two spaces or backslash) start new lines.
    #[test]
    fn hard_breaks_start_new_lines() {
        let input = "Z poważaniem  \nJan Kowalski\\\nDział Obsługi Klienta\n\nPS";
        assert_eq!(text(input), "Z poważaniem\nJan Kowalski\nDział Obsługi Klienta\n\nPS\n");
        // Each broken line is wrapped on its own.
        assert_eq!(text_at("aaa bbb ccc  \nddd", 8), "aaa bbb\nccc\nddd\n");
    }

    /// Headings are plain lines followed by a blank line.
    #[test]
    fn headings_lose_their_markers() {
        assert_eq!(
            text("# Wezwanie do *zapłaty*\ntreść\n## Dalej\n\nkoniec"),
            "Wezwanie do zapłaty\n\ntreść\n\nDalej\n\nkoniec\n"
        );
    }

    /// Emphasis, strong and code spans are just their words.
    #[test]
    fn emphasis_strong_and_code_are_just_words() {
        assert_eq!(text("**Uwaga**: _termin_ `FV/1/2024`"), "Uwaga: termin FV/1/2024\n");
    }

    /// Nested lists wrap with hanging indents.
    #[test]
    fn nested_lists_with_hanging_indent() {
        let input = "Lista:\n\n\
                     - pierwszy punkt do zawinięcia\n  \
                     - zagnieżdżony punkt też zawinięty\n    \
                     1. numerowany głęboko\n\
                     - drugi\n\n\
                     Po liście.";
        assert_eq!(
            text_at(input, 20),
            "Lista:\n\
             \n\
             - pierwszy punkt do\n  \
               zawinięcia\n  \
               - zagnieżdżony\n    \
                 punkt też\n    \
                 zawinięty\n    \
                 1. numerowany\n       \
                    głęboko\n\
             - drugi\n\
             \n\
             Po liście.\n"
        );
    }

    /// Ordered numbering, marker widths, loose lists and empty items.
    #[test]
    fn ordered_and_loose_lists() {
        assert_eq!(text("3. trzy\n4. cztery"), "3. trzy\n4. cztery\n");
        assert_eq!(text_at("9. aaa bbb\n10. ccc ddd", 8), "9. aaa\n   bbb\n10. ccc\n    ddd\n");
        assert_eq!(text("- a\n\n- b\n\n  c"), "- a\n\n- b\n\n  c\n");
        assert_eq!(text("-\n- b"), "-\n- b\n");
    }

    /// A table with a right-aligned money column containing U+00A0.
    #[test]
    fn table_with_right_aligned_money() {
        let input = "Zestawienie:\n\n\
                     | Pozycja | Ilość | Kwota |\n\
                     |:--------|:-----:|------:|\n\
                     | Abonament | 1 | 79,99\u{a0}zł |\n\
                     | Opłata *aktywacyjna* | 12 | 1\u{a0}234,56\u{a0}zł |\n\
                     | Rabat |  | -5,00\u{a0}zł |\n\n\
                     Razem.";
        let got = text(input);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(
            lines,
            [
                "Zestawienie:",
                "",
                "Pozycja             Ilość        Kwota",
                "------------------  -----  -----------",
                "Abonament           1         79,99\u{a0}zł",
                "Opłata aktywacyjna  12     1\u{a0}234,56\u{a0}zł",
                "Rabat                         -5,00\u{a0}zł",
                "",
                "Razem.",
            ]
        );
    }

    /// Table lines have no trailing spaces; wide tables are not wrapped.
    #[test]
    fn table_without_trailing_spaces_and_wider_than_width() {
        let input = "| a | b |\n|---|---|\n| long cell | |\n| x | y |";
        assert_eq!(text(input), "a          b\n---------  -\nlong cell\nx          y\n");
        let wide = format!("| {} | b |\n|--|--|\n| c | d |", "h".repeat(30));
        let got = text_at(&wide, 10);
        assert_eq!(got.lines().next(), Some(format!("{}  b", "h".repeat(30)).as_str()));
    }

    /// Links, images, block quotes, rules and code blocks.
    #[test]
    fn links_images_quotes_rules_code() {
        assert_eq!(
            text("[konto](https://example.com/k) <https://example.com> [mail](mailto:a@b.pl) <a@b.pl>"),
            "konto (https://example.com/k) https://example.com mail (a@b.pl) a@b.pl\n"
        );
        assert_eq!(text("![Logo firmy](logo.png)"), "Logo firmy\n");
        assert_eq!(
            text("Zobacz [nasz  \nregulamin](https://x.pl/r) dalej"),
            "Zobacz nasz\nregulamin (https://x.pl/r) dalej\n"
        );
        assert_eq!(text("[kliknij](javascript:alert(1))"), "kliknij\n");
        assert_eq!(text("> jeden\n>\n> dwa\n>> trzy"), "> jeden\n>\n> dwa\n>\n> > trzy\n");
        assert_eq!(text("a\n\n***\n\nb"), format!("a\n\n{RULE}\n\nb\n"));
        assert_eq!(
            text("x\n\n```\nfn main() {  \n\n\n    go();\n}\n```\ny"),
            "x\n\n    fn main() {\n\n        go();\n    }\n\ny\n"
        );
    }

    /// Quotes, loose lists, code and tables inside list items.
    #[test]
    fn containers_nest() {
        let input = "> - a quoted item that is long enough to wrap around in the narrow width\n\
                     > - b\n>\n> para in quote\n\n\
                     1. first\n\n   second para of first item, long enough to wrap at the width\n\n\
                     \x20  ```\n   code in item\n   ```\n\
                     2. second\n   | x | y |\n   |---|--:|\n   | 1 | 22 |\n\n\
                     - [label with\\\nbreak](https://x.pl) after\n\
                     - ![img](https://x.pl/i.png) [](https://empty.pl) [https://x.pl](https://x.pl)\n";
        assert_eq!(
            text_at(input, 40),
            "> - a quoted item that is long enough to\n\
             >   wrap around in the narrow width\n\
             > - b\n\
             >\n\
             > para in quote\n\
             \n\
             1. first\n\
             \n\
             \x20  second para of first item, long\n\
             \x20  enough to wrap at the width\n\
             \n\
             \x20      code in item\n\
             \n\
             2. second\n\
             \n\
             \x20  x   y\n\
             \x20  -  --\n\
             \x20  1  22\n\
             \n\
             - label with\n\
             \x20 break (https://x.pl) after\n\
             - img https://empty.pl https://x.pl\n"
        );
    }

    /// No leading or doubled blank lines; empty bodies give empty text.
    #[test]
    fn output_framing() {
        assert_eq!(text(""), "");
        assert_eq!(text(" \n\n\t\n"), "");
        assert_eq!(text("\n\n\nx\n\n\n\n\ny\n\n\n"), "x\n\ny\n");
    }
}
