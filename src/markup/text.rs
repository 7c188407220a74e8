//! Plain-text rendition: block layout, aligned tables and a greedy word wrapper that keeps Polish one-letter words off line ends.

use std::fmt::Write as _;
use std::mem;

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use super::{has_scheme, is_break, is_one_letter_word, link_allowed};

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
    }

    /// Adds a cell to the current row, collapsing runs of whitespace in `content`.
    fn push_cell(&mut self, content: &str) {
        let start = self.text.len();
        for word in content.split(is_break).filter(|w| !w.is_empty()) {
            if self.text.len() > start {
                self.text.push(' ');
            }
            self.text.push_str(word);
        }
        self.cells.push((start, self.text.len()));
        self.row_cells += 1;
    }

    /// Closes the current row.
    fn end_row(&mut self) {
        self.rows.push(self.row_cells);
        self.row_cells = 0;
    }

    /// Computes the column widths (at least 1) and returns the number of columns.
    fn measure(&mut self) -> usize {
        let columns = self
            .rows
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(self.aligns.len());
        self.widths.clear();
        self.widths.resize(columns, 1);
        let mut first = 0;
        for &count in &self.rows {
            for (column, &(start, end)) in self.cells[first..first + count].iter().enumerate() {
                let width = display_width(&self.text[start..end]);
                self.widths[column] = self.widths[column].max(width);
            }
            first += count;
        }
        columns
    }

    /// Writes row `cells` (a slice of `self.cells`) into `line`, padded to the column widths.
    fn format_row(&self, cells: &[(usize, usize)], line: &mut String) {
        line.clear();
        for (column, &width) in self.widths.iter().enumerate() {
            if column > 0 {
                line.push_str(COLUMN_GAP);
            }
            let cell = cells
                .get(column)
                .map_or("", |&(start, end)| &self.text[start..end]);
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
    /// scheme is not allowed.
    fn end_link(&mut self) {
        let Some((label_start, url_start)) = self.links.pop() else {
            return;
        };
        let url = self.urls.get(url_start..).unwrap_or("");
        if link_allowed(url) {
            let shown = shown_url(url);
            let label = self.inline.get(label_start..).unwrap_or("");
            if label.trim_matches(is_break) != shown {
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
            table.format_row(&table.cells[first..first + count], &mut line);
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
        if let Some(depth) = self.blank.take() {
            if !self.out.is_empty() {
                self.push_prefix(depth.min(self.containers.len()), false);
                self.end_out_line();
            }
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
        let kept = self
            .out
            .trim_end_matches(|c: char| c.is_whitespace() && c != '\n')
            .len();
        self.out.truncate(kept);
        self.out.push('\n');
    }

    /// Writes the prefixes of the outermost `depth` containers: list markers on an item's
    /// first line if `markers`, otherwise the hanging indent.
    fn push_prefix(&mut self, depth: usize, markers: bool) {
        for container in &self.containers[..depth] {
            match *container {
                Container::Quote => self.out.push_str("> "),
                Container::Item {
                    number,
                    width,
                    first,
                    ..
                } => {
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

/// The URL as shown after a link label: without `mailto:` or `tel:`.
fn shown_url(url: &str) -> &str {
    for scheme in ["mailto:", "tel:"] {
        if has_scheme(url, scheme) {
            return &url[scheme.len()..];
        }
    }
    url
}

/// Appends `count` spaces.
fn push_spaces(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push(' ');
    }
}

/// Display width of `text` in terminal columns.
fn display_width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

/// Wraps `text` greedily at `width` columns, calling `emit` with each line.
///
/// Words are separated by ASCII whitespace only (U+00A0 never breaks) and joined by single
/// spaces. A one-letter word is glued to the word after it, so it never ends a line. A word
/// (or glued run) wider than `width` gets a line of its own and is never split. `line` and
/// `unit` are scratch buffers.
fn wrap(text: &str, width: usize, line: &mut String, unit: &mut String, mut emit: impl FnMut(&str)) {
    line.clear();
    let mut line_width = 0;
    let mut words = text.split(is_break).filter(|word| !word.is_empty());
    let mut next = words.next();
    while let Some(word) = next {
        unit.clear();
        unit.push_str(word);
        let mut unit_width = display_width(word);
        let mut glue = is_one_letter_word(word);
        next = words.next();
        while glue {
            let Some(following) = next else { break };
            unit.push(' ');
            unit.push_str(following);
            unit_width += 1 + display_width(following);
            glue = is_one_letter_word(following);
            next = words.next();
        }
        if line.is_empty() {
            line.push_str(unit);
            line_width = unit_width;
        } else if line_width + 1 + unit_width <= width {
            line.push(' ');
            line.push_str(unit);
            line_width += 1 + unit_width;
        } else {
            emit(line);
            line.clear();
            line.push_str(unit);
            line_width = unit_width;
        }
    }
    if !line.is_empty() {
        emit(line);
    }
}

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
        let options = MarkupOptions {
            width,
            ..MarkupOptions::default()
        };
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

    #[test]
    fn width_counts_characters_not_bytes() {
        // 36 two-byte letters and spaces: 72 columns, 108 bytes.
        let line = "żó ".repeat(24);
        let line = line.trim_end();
        assert_eq!(line.chars().count(), 71);
        assert_eq!(text(&format!("{line}ż ąę")), format!("{line}ż\nąę\n"));
    }

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
        // Digits and punctuation are not letters.
        assert_eq!(wrapped("aaaa 5 bbbb", 6), ["aaaa 5", "bbbb"]);
    }

    #[test]
    fn no_break_space_is_not_a_break_opportunity() {
        let money = "1\u{a0}234,56\u{a0}zł";
        let head = "a".repeat(62);
        // Breaking at either no-break space would fit, but the amount moves whole.
        assert_eq!(
            text(&format!("{head} {money} dalej")),
            format!("{head}\n{money} dalej\n")
        );
        assert_eq!(wrapped("x\u{a0}y\u{a0}z", 1), ["x\u{a0}y\u{a0}z"]);
    }

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

    #[test]
    fn soft_breaks_reflow_and_whitespace_collapses() {
        assert_eq!(text("jeden\ndwa   trzy\n\tcztery"), "jeden dwa trzy cztery\n");
        assert_eq!(text_at("aaa bbb\nccc ddd", 7), "aaa bbb\nccc ddd\n");
    }

    #[test]
    fn hard_breaks_start_new_lines() {
        let input = "Z poważaniem  \nJan Kowalski\\\nDział Obsługi Klienta\n\nPS";
        assert_eq!(
            text(input),
            "Z poważaniem\nJan Kowalski\nDział Obsługi Klienta\n\nPS\n"
        );
        // Each broken line is wrapped on its own.
        assert_eq!(text_at("aaa bbb ccc  \nddd", 8), "aaa bbb\nccc\nddd\n");
    }

    #[test]
    fn headings_lose_their_markers() {
        assert_eq!(
            text("# Wezwanie do *zapłaty*\ntreść\n## Dalej\n\nkoniec"),
            "Wezwanie do zapłaty\n\ntreść\n\nDalej\n\nkoniec\n"
        );
    }

    #[test]
    fn emphasis_strong_and_code_are_just_words() {
        assert_eq!(text("**Uwaga**: _termin_ `FV/1/2024`"), "Uwaga: termin FV/1/2024\n");
    }

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

    #[test]
    fn ordered_and_loose_lists() {
        assert_eq!(text("3. trzy\n4. cztery"), "3. trzy\n4. cztery\n");
        assert_eq!(
            text_at("9. aaa bbb\n10. ccc ddd", 8),
            "9. aaa\n   bbb\n10. ccc\n    ddd\n"
        );
        assert_eq!(text("- a\n\n- b\n\n  c"), "- a\n\n- b\n\n  c\n");
        assert_eq!(text("-\n- b"), "-\n- b\n");
    }

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

    #[test]
    fn table_without_trailing_spaces_and_wider_than_width() {
        let input = "| a | b |\n|---|---|\n| long cell | |\n| x | y |";
        assert_eq!(text(input), "a          b\n---------  -\nlong cell\nx          y\n");
        let wide = format!("| {} | b |\n|--|--|\n| c | d |", "h".repeat(30));
        let got = text_at(&wide, 10);
        assert_eq!(got.lines().next(), Some(format!("{}  b", "h".repeat(30)).as_str()));
    }

    #[test]
    fn links_images_quotes_rules_code() {
        assert_eq!(
            text("[konto](https://example.com/k) <https://example.com> [mail](mailto:a@b.pl) <a@b.pl>"),
            "konto (https://example.com/k) https://example.com mail (a@b.pl) a@b.pl\n"
        );
        assert_eq!(text("![Logo firmy](logo.png)"), "Logo firmy\n");
        assert_eq!(text("[kliknij](javascript:alert(1))"), "kliknij\n");
        assert_eq!(text("> jeden\n>\n> dwa\n>> trzy"), "> jeden\n>\n> dwa\n>\n> > trzy\n");
        assert_eq!(text("a\n\n***\n\nb"), format!("a\n\n{RULE}\n\nb\n"));
        assert_eq!(
            text("x\n\n```\nfn main() {  \n\n\n    go();\n}\n```\ny"),
            "x\n\n    fn main() {\n\n        go();\n    }\n\ny\n"
        );
    }

    #[test]
    fn output_framing() {
        assert_eq!(text(""), "");
        assert_eq!(text(" \n\n\t\n"), "");
        assert_eq!(text("\n\n\nx\n\n\n\n\ny\n\n\n"), "x\n\ny\n");
    }
}
