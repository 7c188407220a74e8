//! The body read for the printed page: the recipient's block for the envelope window, the
//! place-and-date line, and the flowing blocks (paragraphs, list items, tables, rules) as runs
//! of regular, bold and italic text. Fed from the same event stream as the text and HTML writers
//! ([`super::render`]), so a printed letter's body is parsed once, and it holds no page
//! measures: the PDF layout places it.
//!
//! The place-and-date partial marks its block with a Markdown comment (a link reference
//! definition, `[//]: # (place-date)`), which the text and HTML writers never show; that block
//! becomes the date line and the block before it (the recipient partial's) the window's address.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

/// The marker line before the place-and-date line (the block before it is the recipient).
pub(crate) const PLACE_DATE_MARK: &str = "[//]: # (place-date)";

/// A piece of inline text in one face.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Span {
    /// The text; `\n` is a forced line break.
    pub text: String,
    /// Bold face (strong, headings, table headers).
    pub bold: bool,
    /// Italic face (emphasis).
    pub italic: bool,
}

/// The parts of a body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A paragraph, heading or list item's text.
    Para {
        spans: Vec<Span>,
        /// How deep in lists and quotes it sits (the page indents it by as many steps).
        level: usize,
        /// The list marker drawn in the indent (`•`, `1.`).
        marker: Option<String>,
        /// Never split across pages (blocks with line breaks: signature, address).
        keep_together: bool,
        /// Never the last thing on a page (headings).
        keep_with_next: bool,
        /// Space before it, in lines.
        space: f32,
    },
    /// A table: column alignments, the header row, the body rows; each cell is spans.
    Table { aligns: Vec<Alignment>, head: Vec<Vec<Span>>, rows: Vec<Vec<Vec<Span>>> },
    /// A horizontal rule.
    Rule,
}

/// A letter's body as the printed page needs it: the window's address, the date line and the
/// flowing blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub(crate) recipient: Vec<Span>,
    pub(crate) place_date: Vec<Span>,
    pub(crate) blocks: Vec<Block>,
}

/// Which part of the letter a top-level block is.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Role {
    #[default]
    Flow,
    PlaceDate,
}

/// A table being read.
#[derive(Default)]
struct TableBuilder {
    aligns: Vec<Alignment>,
    head: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    row: Vec<Vec<Span>>,
}

/// Reads a body into its [`Page`] form, event by event.
#[derive(Default)]
pub(crate) struct PageWriter<'a> {
    /// The body's Markdown, where the place-and-date mark is looked for.
    markdown: &'a str,
    body: Page,
    /// The text of the block being read.
    spans: Vec<Span>,
    bold: usize,
    italic: usize,
    /// Nesting of block-level tags (inline ones do not count).
    depth: usize,
    role: Role,
    /// Each open list: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    marker: Option<String>,
    quote: usize,
    heading: bool,
    table: Option<TableBuilder>,
    tight_item: bool,
}

impl<'a> PageWriter<'a> {
    /// A writer for the body `markdown`, whose events (with their byte offsets) follow.
    pub(crate) fn new(markdown: &'a str) -> Self {
        PageWriter { markdown, ..PageWriter::default() }
    }

    /// The body read.
    pub(crate) fn finish(mut self) -> Page {
        self.flush(0, false, 0.7);
        self.body
    }

    /// Reads one event, which starts at byte `start` of the Markdown.
    pub(crate) fn event(&mut self, event: &Event<'_>, start: usize) {
        let level = self.lists.len() + self.quote;
        let space = if !self.lists.is_empty() && self.tight_item { 0.2 } else { 0.7 };
        match event {
            Event::Start(tag) => self.start(tag, start, level, space),
            Event::End(tag) => self.end(*tag, level, space),
            Event::Html(text) => {
                self.push(text.trim_end_matches('\n'), self.bold > 0, self.italic > 0);
                self.push("\n", false, false);
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => {
                self.push(text.trim_end_matches('\n'), self.bold > 0 || self.heading, self.italic > 0);
            }
            Event::SoftBreak => self.push(" ", self.bold > 0, self.italic > 0),
            Event::HardBreak => self.push("\n", self.bold > 0, self.italic > 0),
            Event::Rule => self.body.blocks.push(Block::Rule),
            Event::TaskListMarker(done) => self.push(if *done { "☑ " } else { "☐ " }, false, false),
        }
    }

    fn start(&mut self, tag: &Tag<'_>, at: usize, level: usize, space: f32) {
        if self.depth == 0 {
            self.role = role_of(self.markdown, at);
        }
        if !matches!(tag, Tag::Strong | Tag::Emphasis | Tag::Link { .. } | Tag::Image { .. }) {
            self.depth += 1;
        }
        match tag {
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::Heading { .. } => self.heading = true,
            Tag::List(start) => {
                self.flush(level, false, space);
                self.lists.push(*start);
            }
            Tag::Item => {
                self.flush(level, false, space);
                self.tight_item = true;
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                });
            }
            Tag::Paragraph => self.tight_item = false,
            Tag::BlockQuote(_) => self.quote += 1,
            Tag::Table(aligns) => self.table = Some(TableBuilder { aligns: aligns.clone(), ..TableBuilder::default() }),
            Tag::TableRow | Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, level: usize, space: f32) {
        if !matches!(tag, TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link | TagEnd::Image) {
            self.depth = self.depth.saturating_sub(1);
        }
        match tag {
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Item => {
                self.flush(level, false, space);
            }
            TagEnd::Heading(_) => {
                for s in &mut self.spans {
                    s.bold = true;
                }
                self.flush(level, true, 0.9);
                self.heading = false;
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.row.push(std::mem::take(&mut self.spans));
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.head = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.body.blocks.push(Block::Table { aligns: t.aligns, head: t.head, rows: t.rows });
                }
            }
            _ => {}
        }
    }

    /// Appends text to the block being read, joining it to the last span of the same style.
    fn push(&mut self, text: &str, bold: bool, italic: bool) {
        match self.spans.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(text),
            _ => self.spans.push(Span { text: text.to_string(), bold, italic }),
        }
    }

    /// Ends the block being read: a paragraph of the flow, or the date line (the block before it
    /// becoming the recipient's).
    fn flush(&mut self, level: usize, heading: bool, space: f32) {
        if self.spans.iter().all(|s| s.text.trim().is_empty()) {
            self.spans.clear();
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        let body = &mut self.body;
        match self.role {
            Role::PlaceDate => {
                // The block just before the date line is the recipient's.
                if body.recipient.is_empty()
                    && let Some(Block::Para { .. }) = body.blocks.last()
                    && let Some(Block::Para { spans, .. }) = body.blocks.pop()
                {
                    body.recipient = spans;
                }
                body.place_date.extend(spans);
            }
            Role::Flow => {
                let keep_together = spans.iter().any(|s| s.text.contains('\n'));
                body.blocks.push(Block::Para {
                    spans,
                    level,
                    marker: self.marker.take(),
                    keep_together,
                    keep_with_next: heading,
                    space,
                });
            }
        }
    }
}

/// The role of the top-level block starting at `start`: the marker line just before it.
fn role_of(markdown: &str, start: usize) -> Role {
    let before = markdown.get(..start).unwrap_or("").trim_end();
    match before.rsplit('\n').next().map(str::trim) {
        Some(PLACE_DATE_MARK) => Role::PlaceDate,
        _ => Role::Flow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "**Anna Kowalska**\\\nul. Długa 5\\\n00-950 Łódź\n\n\
                        [//]: # (place-date)\nWarszawa, 23 listopada 2026 r.\n\nSzanowna Pani,\n\n\
                        - jeden\n- dwa\n\n| Pozycja | Kwota |\n|:--|--:|\n| A | 1,00 zł |\n| **Razem** | **1,00 zł** |\n\n\
                        Z poważaniem\\\nDział\n";

    #[test]
    fn marked_blocks_leave_the_flow() {
        let body = super::super::page(BODY);
        let text = |spans: &[Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
        assert_eq!(text(&body.recipient), "Anna Kowalska\nul. Długa 5\n00-950 Łódź");
        assert!(body.recipient[0].bold);
        assert_eq!(text(&body.place_date), "Warszawa, 23 listopada 2026 r.");
        assert_eq!(body.blocks.len(), 5, "{:?}", body.blocks);
        assert!(matches!(&body.blocks[1], Block::Para { marker: Some(m), .. } if m == "•"));
        assert!(matches!(&body.blocks[3], Block::Table { rows, .. } if rows.len() == 2));
        assert!(matches!(&body.blocks[4], Block::Para { keep_together: true, .. }));
    }

    #[test]
    fn emphasis_is_italic_and_strong_emphasis_bold_italic() {
        let body = super::super::page("a *b* __c__ ***d*** _e **f**_\n\n## g *h*\n");
        let Block::Para { spans, .. } = &body.blocks[0] else { panic!("{:?}", body.blocks) };
        let styles: Vec<(&str, bool, bool)> = spans.iter().map(|s| (s.text.as_str(), s.bold, s.italic)).collect();
        assert_eq!(
            styles,
            [
                ("a ", false, false),
                ("b", false, true),
                (" ", false, false),
                ("c", true, false),
                (" ", false, false),
                ("d", true, true),
                (" ", false, false),
                ("e ", false, true),
                ("f", true, true),
            ]
        );
        let Block::Para { spans, .. } = &body.blocks[1] else { panic!("{:?}", body.blocks) };
        assert_eq!(spans.iter().map(|s| (s.bold, s.italic)).collect::<Vec<_>>(), [(true, false), (true, true)]);
    }

    #[test]
    fn the_page_is_read_from_the_same_events_as_text_and_html() {
        let options = crate::markup::MarkupOptions::default();
        let printed = crate::markup::render_printed(BODY, &options);
        assert_eq!(printed.page.as_ref(), Some(&super::super::page(BODY)));
        let plain = crate::markup::render(BODY, &options);
        assert_eq!((plain.text, plain.html, plain.page), (printed.text, printed.html, None));
    }
}
