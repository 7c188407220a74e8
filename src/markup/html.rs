//! HTML rendition: an email-safe, inline-styled fragment with escaping, safe links and Polish no-break spaces.

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Tag, TagEnd};

use super::{HtmlStyles, is_break, is_opening, link_allowed};

/// The no-break space written after a one-letter word.
const NBSP: char = '\u{a0}';

/// Where the text written so far stands relative to the current word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// After whitespace or at the start of a block (opening brackets and quotes keep it here).
    Start,
    /// The current word so far is a single letter.
    OneLetter,
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
    /// Open links: whether each one was written as `<a>` (its scheme is allowed).
    links: Vec<bool>,
    /// Whether inside a code block (text is verbatim there).
    in_code: bool,
    /// The state of the current word, for the one-letter rule.
    word: Word,
    /// Whether the last thing written was whitespace (or a block start), so more is dropped.
    last_space: bool,
}

impl<'s> HtmlWriter<'s> {
    /// A writer using `styles`, sized for a body of `source_len` bytes.
    pub(crate) fn new(styles: &'s HtmlStyles, source_len: usize) -> Self {
        Self {
            out: String::with_capacity(source_len * 2 + 64),
            styles,
            aligns: Vec::new(),
            cell: 0,
            in_head: false,
            tbody_open: false,
            links: Vec::new(),
            in_code: false,
            word: Word::Start,
            last_space: true,
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
                self.open("code", &self.styles.code);
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
                self.open("hr", &self.styles.hr);
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
        let styles = self.styles;
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.open_block("p", &styles.p),
            Tag::Heading { level, .. } => {
                let (name, style) = heading(*level, styles);
                self.open_block(name, style);
            }
            Tag::BlockQuote(_) => {
                self.open_block("blockquote", &styles.blockquote);
                self.out.push('\n');
            }
            Tag::CodeBlock(_) => {
                self.open_block("pre", &styles.pre);
                self.out.push_str("<code>");
                self.in_code = true;
            }
            Tag::List(Some(start)) => {
                self.block_start();
                self.out.push_str("<ol");
                push_style(&mut self.out, &styles.ol);
                if *start != 1 {
                    // Writing to a String cannot fail.
                    let _ = write!(self.out, " start=\"{start}\"");
                }
                self.out.push_str(">\n");
            }
            Tag::List(None) => {
                self.open_block("ul", &styles.ul);
                self.out.push('\n');
            }
            Tag::Item => self.open_block("li", &styles.li),
            Tag::Table(aligns) => {
                self.aligns.clear();
                self.aligns.extend_from_slice(aligns);
                self.tbody_open = false;
                self.open_block("table", &styles.table);
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
                    (true, Some(Alignment::Right)) => ("th", &styles.th_right),
                    (true, Some(Alignment::Center)) => ("th", &styles.th_center),
                    (true, _) => ("th", &styles.th),
                    (false, Some(Alignment::Right)) => ("td", &styles.td_right),
                    (false, Some(Alignment::Center)) => ("td", &styles.td_center),
                    (false, _) => ("td", &styles.td),
                };
                self.open(name, style);
                self.reset_inline();
            }
            Tag::Emphasis => self.open("em", &styles.em),
            Tag::Strong => self.open("strong", &styles.strong),
            Tag::Link {
                dest_url, title, ..
            } => {
                let allowed = link_allowed(dest_url);
                if allowed {
                    self.out.push_str("<a href=\"");
                    push_href(&mut self.out, dest_url);
                    self.out.push('"');
                    if !title.is_empty() {
                        self.out.push_str(" title=\"");
                        escape_attr(&mut self.out, title);
                        self.out.push('"');
                    }
                    push_style(&mut self.out, &styles.a);
                    self.out.push('>');
                }
                self.links.push(allowed);
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
            TagEnd::Heading(level) => self.close_block(heading(level, self.styles).0),
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
                if self.links.pop() == Some(true) {
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
    /// one-letter word.
    fn text(&mut self, text: &str) {
        let mut words = text.split(is_break);
        if let Some(word) = words.next() {
            self.word_part(word);
        }
        for word in words {
            self.space(' ');
            self.word_part(word);
        }
    }

    /// Writes (part of) a word, which may continue a word begun in an earlier event.
    fn word_part(&mut self, part: &str) {
        if part.is_empty() {
            return;
        }
        if self.word == Word::Start {
            let mut rest = part.chars().skip_while(|&c| is_opening(c));
            self.word = match (rest.next(), rest.next()) {
                (None, _) => Word::Start,
                (Some(c), None) if c.is_alphabetic() => Word::OneLetter,
                _ => Word::Other,
            };
        } else {
            self.word = Word::Other;
        }
        escape_text(&mut self.out, part);
        self.last_space = false;
    }

    /// Writes whitespace between words: `separator`, or U+00A0 after a one-letter word,
    /// nothing if whitespace was just written.
    fn space(&mut self, separator: char) {
        if !self.last_space {
            self.out
                .push(if self.word == Word::OneLetter { NBSP } else { separator });
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
    fn open_block(&mut self, name: &str, style: &str) {
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
    fn open(&mut self, name: &str, style: &str) {
        self.out.push('<');
        self.out.push_str(name);
        push_style(&mut self.out, style);
        self.out.push('>');
    }
}

/// Tag name and style of a heading; `h4`–`h6` share the `h3` style.
fn heading(level: HeadingLevel, styles: &HtmlStyles) -> (&'static str, &str) {
    match level {
        HeadingLevel::H1 => ("h1", &styles.h1),
        HeadingLevel::H2 => ("h2", &styles.h2),
        HeadingLevel::H3 => ("h3", &styles.h3),
        HeadingLevel::H4 => ("h4", &styles.h3),
        HeadingLevel::H5 => ("h5", &styles.h3),
        HeadingLevel::H6 => ("h6", &styles.h3),
    }
}

/// Appends ` style="..."`, or nothing if `style` is empty.
fn push_style(out: &mut String, style: &str) {
    if !style.is_empty() {
        out.push_str(" style=\"");
        escape_attr(out, style);
        out.push('"');
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

/// Appends `text`, replacing the HTML specials by entities (and `'` if `apostrophe`).
fn escape(out: &mut String, text: &str, apostrophe: bool) {
    let mut done = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' if apostrophe => "&#39;",
            _ => continue,
        };
        // `index` is at an ASCII byte, hence a char boundary.
        out.push_str(&text[done..index]);
        out.push_str(entity);
        done = index + 1;
    }
    out.push_str(&text[done..]);
}

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

#[cfg(test)]
mod tests {
    use super::super::{MarkupOptions, render};
    use super::*;

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
        let options = MarkupOptions {
            styles: bare(),
            ..MarkupOptions::default()
        };
        render(markdown, &options).html
    }

    #[test]
    fn escaped_specials_arrive_literally() {
        assert_eq!(
            html("\\*Anna\\* \\<b\\> \\&amp; \"cytat\" 'x'"),
            "<p>*Anna* &lt;b&gt; &amp;amp; &quot;cytat&quot; 'x'</p>\n"
        );
    }

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

    #[test]
    fn one_letter_words_get_no_break_spaces() {
        assert_eq!(
            html("Płatność w terminie i z *a* odsetkami\nw domu, (o ile) 5 x"),
            "<p>Płatność w\u{a0}terminie i\u{a0}z\u{a0}<em>a</em>\u{a0}odsetkami\n\
             w\u{a0}domu, (o\u{a0}ile) 5 x</p>\n"
        );
        // Already glued or at the end: nothing to change.
        assert_eq!(html("w\u{a0}domu i"), "<p>w\u{a0}domu i</p>\n");
    }

    #[test]
    fn breaks_headings_and_inline_elements() {
        assert_eq!(
            html("# Tytuł\n###### Mały\nZ poważaniem  \nJan\\\n**Dział** _Obsługi_ `K&1`\ndalej"),
            "<h1>Tytuł</h1>\n<h6>Mały</h6>\n<p>Z\u{a0}poważaniem<br>\nJan<br>\n\
             <strong>Dział</strong> <em>Obsługi</em> <code>K&amp;1</code>\ndalej</p>\n"
        );
    }

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
        let options = MarkupOptions {
            styles,
            ..MarkupOptions::default()
        };
        assert_eq!(render(input, &options).html, expected);
        // A table with only a header has no body.
        assert_eq!(
            html("| a |\n|---|"),
            "<table>\n<thead>\n<tr><th>a</th></tr>\n</thead>\n</table>\n"
        );
    }

    #[test]
    fn default_styles_are_inline() {
        let got = render(
            "Tekst [link](https://x.pl)\n\n| a | b |\n|---|--:|\n| 1 | 2 |",
            &MarkupOptions::default(),
        )
        .html;
        assert_eq!(
            got,
            "<p style=\"margin:0 0 1em 0\">Tekst <a href=\"https://x.pl\" \
             style=\"color:#0645ad;text-decoration:underline\">link</a></p>\n\
             <table style=\"border-collapse:collapse;margin:0 0 1em 0\">\n<thead>\n\
             <tr><th style=\"padding:2px 12px 2px 0;vertical-align:top;text-align:left\">a</th>\
             <th style=\"padding:2px 12px 2px 0;vertical-align:top;text-align:right\">b</th></tr>\n\
             </thead>\n<tbody>\n\
             <tr><td style=\"padding:2px 12px 2px 0;vertical-align:top;text-align:left\">1</td>\
             <td style=\"padding:2px 12px 2px 0;vertical-align:top;text-align:right\">2</td></tr>\n\
             </tbody>\n</table>\n"
        );
    }

    #[test]
    fn style_strings_are_escaped() {
        let styles = HtmlStyles {
            p: "font-family:\"A&B\"".into(),
            ..bare()
        };
        let options = MarkupOptions {
            styles,
            ..MarkupOptions::default()
        };
        assert_eq!(
            render("x", &options).html,
            "<p style=\"font-family:&quot;A&amp;B&quot;\">x</p>\n"
        );
    }

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
