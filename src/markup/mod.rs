//! Letter bodies: CommonMark in, plain text and email-safe HTML out, carrying the same words.

pub(crate) mod html;
pub(crate) mod page;
mod shape;
mod text;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use html::HtmlWriter;
pub use page::Page;
use page::PageWriter;
use text::TextWriter;

/// The renditions of one letter body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendition {
    /// Plain text, wrapped, ending with exactly one newline (empty if the body has no content).
    pub text: String,
    /// An HTML fragment (no `<html>`/`<body>`) with inline styles, for the email shell.
    pub html: String,
    /// The body read for the printed page, when asked for ([`render_printed`]).
    pub page: Option<Page>,
}

/// How a body is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupOptions {
    /// Column at which plain-text paragraphs are wrapped (display columns; default 72).
    pub width: usize,
    /// Inline CSS for each HTML element.
    pub styles: HtmlStyles,
    /// The styles' attributes, escaped on the first body rather than for every one.
    attributes: html::StyleAttributes,
}

impl Default for MarkupOptions {
    /// Width 72 and the default [`HtmlStyles`].
    fn default() -> Self {
        Self { width: 72, styles: HtmlStyles::default(), attributes: html::StyleAttributes::default() }
    }
}

/// Inline CSS per element, for email clients that drop `<style>` blocks.
///
/// Each string becomes the element's `style="..."` attribute; an empty string omits the
/// attribute. Headings `h4`–`h6` use [`HtmlStyles::h3`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlStyles {
    /// `<p>`.
    pub p: String,
    /// `<h1>`.
    pub h1: String,
    /// `<h2>`.
    pub h2: String,
    /// `<h3>`, and also `<h4>`–`<h6>`.
    pub h3: String,
    /// `<ul>`.
    pub ul: String,
    /// `<ol>`.
    pub ol: String,
    /// `<li>`.
    pub li: String,
    /// `<a>`.
    pub a: String,
    /// `<em>`.
    pub em: String,
    /// `<strong>`.
    pub strong: String,
    /// Inline `<code>`.
    pub code: String,
    /// `<pre>` around code blocks.
    pub pre: String,
    /// `<blockquote>`.
    pub blockquote: String,
    /// `<hr>`.
    pub hr: String,
    /// `<table>`.
    pub table: String,
    /// `<th>` in left-aligned or unaligned columns.
    pub th: String,
    /// `<th>` in right-aligned columns (`---:`).
    pub th_right: String,
    /// `<th>` in centred columns (`:---:`).
    pub th_center: String,
    /// `<td>` in left-aligned or unaligned columns.
    pub td: String,
    /// `<td>` in right-aligned columns (`---:`), e.g. amounts of money.
    pub td_right: String,
    /// `<td>` in centred columns (`:---:`).
    pub td_center: String,
}

impl Default for HtmlStyles {
    /// Plain, conservative styles that look the same in the common email clients.
    fn default() -> Self {
        /// Cell style for an alignment.
        fn cell(align: &str) -> String {
            format!("padding:2px 12px 2px 0;text-align:{align};vertical-align:top")
        }
        Self {
            p: "margin:0 0 1em 0".into(),
            h1: "font-size:1.5em;font-weight:bold;margin:0 0 0.67em 0".into(),
            h2: "font-size:1.25em;font-weight:bold;margin:0 0 0.6em 0".into(),
            h3: "font-size:1.1em;font-weight:bold;margin:0 0 0.5em 0".into(),
            ul: "margin:0 0 1em 0;padding:0 0 0 1.5em".into(),
            ol: "margin:0 0 1em 0;padding:0 0 0 1.5em".into(),
            li: "margin:0".into(),
            a: "color:#0645ad;text-decoration:underline".into(),
            em: String::new(),
            strong: String::new(),
            code: "font-family:monospace".into(),
            pre: "font-family:monospace;white-space:pre-wrap;margin:0 0 1em 0".into(),
            blockquote: "margin:0 0 1em 0;padding:0 0 0 1em;border-left:3px solid #cccccc".into(),
            hr: "border:0;border-top:1px solid #cccccc;margin:1em 0".into(),
            table: "border-collapse:collapse;margin:0 0 1em 0".into(),
            th: cell("left"),
            th_right: cell("right"),
            th_center: cell("center"),
            td: cell("left"),
            td_right: cell("right"),
            td_center: cell("center"),
        }
    }
}

/// Renders a body. Never panics, on any input.
///
/// The Markdown (CommonMark plus GFM tables; strikethrough off) is parsed once with
/// `pulldown-cmark`, and the event stream drives the plain-text and the HTML writer side by
/// side, so both renditions carry the same words. Bodies that differ only in their words (a
/// batch's letters from one template) share one parse, its events replayed with each body's
/// words (see `shape.rs`). Raw HTML is not trusted: it is turned into
/// literal text before either writer sees it. Links with schemes other than `http:`,
/// `https:`, `mailto:` and `tel:` render as their label only.
pub fn render(markdown: &str, options: &MarkupOptions) -> Rendition {
    render_from(markdown, options, true)
}

/// [`render`], from the body's shape's events when `by_shape` and the body can be shaped
/// ([`shape::replay`]), otherwise from parsing the body.
fn render_from(markdown: &str, options: &MarkupOptions, by_shape: bool) -> Rendition {
    let mut sink = Sink::new(markdown, options, false);
    // Only the page reader needs each event's offset.
    if !(by_shape && shape::replay(markdown, |event| sink.feed(event, 0))) {
        let parsed = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| (event, 0..0));
        events(parsed, |event, start| sink.feed(event, start));
    }
    sink.finish()
}

/// [`render`], and the body read for the printed page ([`Rendition::page`]) from the same
/// events.
pub fn render_printed(markdown: &str, options: &MarkupOptions) -> Rendition {
    let mut sink = Sink::new(markdown, options, true);
    events(offsets(markdown), |event, start| sink.feed(event, start));
    sink.finish()
}

/// The body read for the printed page alone, for a letter rendered without it.
#[cfg_attr(not(feature = "pdf"), allow(dead_code, reason = "the PDF output reads it"))]
pub fn page(markdown: &str) -> Page {
    let mut writer = PageWriter::new(markdown);
    events(offsets(markdown), |event, start| writer.event(event, start));
    writer.finish()
}

/// The body's events with their byte ranges.
fn offsets(markdown: &str) -> impl Iterator<Item = (Event<'_>, std::ops::Range<usize>)> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter()
}

/// Passes each parsed event, with the byte offset where it starts, to `feed` (see [`Untrusted`]).
fn events<'a>(
    parsed: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
    mut feed: impl FnMut(&Event<'_>, usize),
) {
    let mut untrusted = Untrusted::default();
    for (event, range) in parsed {
        untrusted.pass(&event, range.start, &mut feed);
    }
}

/// What the writers see of parsed events: raw HTML arrives as literal text (a block's lines as
/// a paragraph with hard breaks), and an email autolink gets its `mailto:`.
#[derive(Default)]
struct Untrusted {
    /// Lines of the current raw HTML block written so far; `None` outside such a block.
    html_block: Option<usize>,
}

impl Untrusted {
    /// Passes one parsed event, which starts at byte `start`, on to `feed`.
    fn pass(&mut self, event: &Event<'_>, start: usize, feed: &mut impl FnMut(&Event<'_>, usize)) {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(0);
                feed(&Event::Start(Tag::Paragraph), start);
            }
            Event::End(TagEnd::HtmlBlock) => {
                self.html_block = None;
                feed(&Event::End(TagEnd::Paragraph), start);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => match self.html_block.as_mut() {
                // A raw HTML block keeps its line structure: one hard break per line.
                Some(lines) => {
                    let line = raw.trim_end_matches(is_break);
                    if line.trim_start_matches(is_break).is_empty() {
                        return;
                    }
                    if *lines > 0 {
                        feed(&Event::HardBreak, start);
                    }
                    *lines += 1;
                    feed(&Event::Text(CowStr::Borrowed(line)), start);
                }
                None => feed(&Event::Text(CowStr::Borrowed(raw)), start),
            },
            Event::Start(Tag::Link { link_type: LinkType::Email, dest_url, title, id })
                if !has_scheme(dest_url, "mailto:") =>
            {
                let dest_url = CowStr::from(format!("mailto:{dest_url}"));
                let (title, id) = (CowStr::Borrowed(title.as_ref()), CowStr::Borrowed(id.as_ref()));
                feed(&Event::Start(Tag::Link { link_type: LinkType::Email, dest_url, title, id }), start);
            }
            other => feed(other, start),
        }
    }
}

/// The writers fed from one event stream.
struct Sink<'s> {
    /// Plain-text writer.
    text: TextWriter,
    /// HTML writer.
    html: HtmlWriter<'s>,
    /// The printed page's reader, when the letter will be printed.
    page: Option<PageWriter<'s>>,
}

impl<'s> Sink<'s> {
    fn new(markdown: &'s str, options: &'s MarkupOptions, printed: bool) -> Self {
        Sink {
            text: TextWriter::new(options.width, markdown.len()),
            html: HtmlWriter::new(&options.styles, &options.attributes, markdown.len()),
            page: printed.then(|| PageWriter::new(markdown)),
        }
    }

    /// Passes one event to every writer.
    fn feed(&mut self, event: &Event<'_>, start: usize) {
        self.text.event(event);
        self.html.event(event);
        if let Some(page) = self.page.as_mut() {
            page.event(event, start);
        }
    }

    fn finish(self) -> Rendition {
        Rendition { text: self.text.finish(), html: self.html.finish(), page: self.page.map(PageWriter::finish) }
    }
}

/// Whether `c` separates words: ASCII whitespace only, so U+00A0 and other no-break spaces
/// stay inside words and are never break opportunities.
fn is_break(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Byte form of [`is_break`]; the break characters are all ASCII.
fn is_break_byte(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Whether `c` may open a word without counting as a letter, as in `(w` or `„a`.
fn is_opening(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '"' | '\'' | '„' | '“' | '”' | '‚' | '‘' | '«' | '»')
}

/// Whether `word` is a one-letter word (`w`, `z`, `i`, `a`, `O`, … possibly after opening
/// brackets or quotes), which Polish typography forbids at the end of a line.
fn is_one_letter_word(word: &str) -> bool {
    match word.as_bytes() {
        // The common case: a word starting with an ASCII letter or digit.
        [first, rest @ ..] if first.is_ascii_alphanumeric() => rest.is_empty() && first.is_ascii_alphabetic(),
        _ => {
            let mut rest = word.chars().skip_while(|&c| is_opening(c));
            matches!((rest.next(), rest.next()), (Some(c), None) if c.is_alphabetic())
        }
    }
}

/// Whether `word` is a bare number (`5`, `2026`, `12,5`, possibly after an opening bracket),
/// which Polish typography, like a one-letter word, keeps on the line of the word after it.
fn is_bare_number(word: &str) -> bool {
    let digits = word.trim_start_matches(is_opening);
    digits.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && digits.as_bytes().last().is_some_and(u8::is_ascii_digit)
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// Whether `word` may not end a line: a one-letter word or a bare number (`5⏎listopada`,
/// `w⏎domu` are both wrong in Polish).
fn binds_to_next(word: &str) -> bool {
    is_one_letter_word(word) || is_bare_number(word)
}

/// Whether `url` starts with `scheme` (which includes the colon), ignoring ASCII case.
fn has_scheme(url: &str, scheme: &str) -> bool {
    url.get(..scheme.len()).is_some_and(|head| head.eq_ignore_ascii_case(scheme))
}

/// Whether a link to `url` may be rendered as a link: only `http:`, `https:`, `mailto:` and
/// `tel:` are allowed; anything else (`javascript:`, `data:`, relative) renders as text.
fn link_allowed(url: &str) -> bool {
    ["http:", "https:", "mailto:", "tel:"].iter().any(|scheme| has_scheme(url, scheme))
}

/// The URL as shown to the reader: without `mailto:` or `tel:`.
fn shown_url(url: &str) -> &str {
    for scheme in ["mailto:", "tel:"] {
        if has_scheme(url, scheme) {
            return url.get(scheme.len()..).unwrap_or(url);
        }
    }
    url
}

/// Unit tests.
/// The text of HTML as a reader sees it: tags become spaces, the entities our writers use are
/// decoded (`&amp;` last, so `&amp;lt;` stays `&lt;`).
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn visible_text_drops_tags_and_decodes_ampersands_last() {
        assert_eq!(
            super::visible_text("<p>A&amp;lt;B &lt;i&gt;</p>").split_whitespace().collect::<Vec<_>>(),
            ["A&lt;B", "<i>"]
        );
    }

    use super::*;

    /// A typical letter body of about 1.5 KB with a five-row table.
    const LETTER: &str = "Szanowna Pani \\*Anna\\* Kowalska,

dziękujemy za terminowe regulowanie płatności. W załączeniu przesyłamy fakturę
nr **FV/2024/05/123456** za okres od 1 do 31 maja 2024 r. Poniżej zestawienie
pozycji, które zostały naliczone w bieżącym okresie rozliczeniowym i z poprzednich
okresów.

| Pozycja | Ilość | Kwota |
|:--------|------:|------:|
| Abonament internetowy 600 Mb/s | 1 | 79,99\u{a0}zł |
| Telewizja – pakiet rozszerzony | 1 | 45,00\u{a0}zł |
| Wypożyczenie dekodera | 2 | 10,00\u{a0}zł |
| Rabat lojalnościowy | 1 | -15,00\u{a0}zł |
| Opłata aktywacyjna | 1 | 1\u{a0}234,56\u{a0}zł |

Łączna kwota do zapłaty wynosi **1\u{a0}354,55\u{a0}zł** i powinna zostać uregulowana
w terminie do 14 czerwca 2024 r. na rachunek bankowy:

PL61109010140000071219812874

W tytule przelewu prosimy podać numer faktury. W razie pytań prosimy o kontakt
z naszym biurem obsługi klienta pod numerem telefonu 800 123 456 lub przez
formularz na stronie [moje konto](https://example.com/konto). Informacje
o ochronie danych znajdą Państwo w [polityce prywatności](https://example.com/rodo).
Przypominamy, że faktury są dostępne również w aplikacji mobilnej, a powiadomienia
o nowych dokumentach można włączyć w ustawieniach konta.

Sposoby płatności:

- płatność online w serwisie internetowym,
- przelew tradycyjny z dowolnego banku w kraju i za granicą,
- wpłata gotówkowa w placówce pocztowej.

Z poważaniem  
Dział Obsługi Klienta  
Example Telekom S.A.
";

    /// Words of a text: whitespace and U+00A0 collapsed, list markers, quote markers and
    /// rules (which only the plain text spells out) dropped.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace())
            .filter(|word| !word.is_empty())
            .filter(|word| !word.chars().all(|c| c == '-' || c == '>'))
            .filter(|word| {
                let digits = word.trim_end_matches('.');
                !(word.ends_with('.') && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            })
            .map(str::to_owned)
            .collect()
    }

    /// Undoes the escaping done by the HTML writer.
    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// The visible words of an HTML rendition. Block tags separate words, inline ones do not;
    /// a link whose label differs from its URL is followed by ` (url)`, as in plain text.
    fn html_words(html: &str) -> Vec<String> {
        let mut visible = String::new();
        let mut links: Vec<(String, usize)> = Vec::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            visible.push_str(&unescape(&rest[..open]));
            let Some(close) = rest[open..].find('>') else {
                panic!("unclosed tag in {html}");
            };
            let tag = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            let name = tag.split(' ').next().unwrap_or("");
            match name {
                "a" => {
                    let href = tag.split("href=\"").nth(1).and_then(|h| h.split('"').next());
                    links.push((unescape(href.unwrap_or("")), visible.len()));
                }
                "/a" => {
                    let (href, start) = links.pop().expect("balanced links");
                    let shown =
                        href.strip_prefix("mailto:").or_else(|| href.strip_prefix("tel:")).unwrap_or(&href).to_owned();
                    if visible[start..].trim() != shown {
                        visible.push_str(&format!(" ({shown})"));
                    }
                }
                "em" | "/em" | "strong" | "/strong" | "code" | "/code" => {}
                _ => visible.push(' '),
            }
        }
        visible.push_str(&unescape(rest));
        words(&visible)
    }

    /// Both renditions carry the same words over a range of inputs.
    #[test]
    fn text_and_html_carry_the_same_words() {
        let inputs = [
            LETTER,
            "# Wezwanie\n\nProsimy o *zapłatę* w terminie.  \nDziękujemy\\\nZespół",
            "- jeden i dwa\n  - zagnieżdżony w środku\n    1. głęboko\n- trzy\n\n5. pięć\n6. sześć",
            "| A | B |\n|---|--:|\n| x y | 1\u{a0}000\u{a0}zł |\n| z |",
            "Link [konto](https://x.pl/k?a=1&b=2), <https://x.pl>, <jan@x.pl>, \
             [zły](javascript:alert(1)), [tel](tel:800123456), ![Logo](l.png)",
            "\\*Anna\\* \\<b\\> \\&amp; <i>raw</i>\n\n<div>\nblok\n</div>",
            "Puste [](https://x.pl/pusty) i [](mailto:a@b.pl), [**mocny** link](http://x.pl)",
            "> cytat w cytacie\n>> głębiej\n\n---\n\n```\nkod  z odstępami\n```",
            "",
            "   \n\n",
        ];
        for input in inputs {
            let rendition = render(input, &MarkupOptions::default());
            assert_eq!(
                words(&rendition.text),
                html_words(&rendition.html),
                "input: {input:?}\ntext:\n{}\nhtml:\n{}",
                rendition.text,
                rendition.html
            );
        }
    }

    /// Escaped personalisation values come out literally in both renditions.
    #[test]
    fn escaped_markdown_specials_arrive_literally() {
        let rendition = render("\\*Anna\\* \\<b\\> \\&amp;", &MarkupOptions::default());
        assert_eq!(rendition.text, "*Anna* <b> &amp;\n");
        assert_eq!(rendition.html, "<p style=\"margin:0 0 1em 0\">*Anna* &lt;b&gt; &amp;amp;</p>\n");
    }

    /// Raw HTML is literal text in both renditions.
    #[test]
    fn raw_html_is_literal_text() {
        let rendition = render(
            "Tekst <b>gruby</b> <img src=x onerror=alert(1)>\n\n<table><tr><td>x</td></tr></table>",
            &MarkupOptions::default(),
        );
        assert_eq!(
            rendition.text,
            "Tekst <b>gruby</b> <img src=x onerror=alert(1)>\n\n<table><tr><td>x</td></tr></table>\n"
        );
        assert_eq!(
            rendition.html,
            "<p style=\"margin:0 0 1em 0\">Tekst &lt;b&gt;gruby&lt;/b&gt; \
             &lt;img src=x onerror=alert(1)&gt;</p>\n\
             <p style=\"margin:0 0 1em 0\">&lt;table&gt;&lt;tr&gt;&lt;td&gt;x&lt;/td&gt;\
             &lt;/tr&gt;&lt;/table&gt;</p>\n"
        );
    }

    /// A `javascript:` link is only its label in both renditions.
    #[test]
    fn javascript_link_is_not_linked() {
        let rendition = render("[Kliknij](javascript:alert(1))", &MarkupOptions::default());
        assert_eq!(rendition.text, "Kliknij\n");
        assert_eq!(rendition.html, "<p style=\"margin:0 0 1em 0\">Kliknij</p>\n");
        assert!(link_allowed("HTTPS://x.pl") && link_allowed("mailto:a@b.pl"));
        assert!(!link_allowed(" javascript:x") && !link_allowed("data:x") && !link_allowed("ht"));
    }

    /// What counts as a one-letter word.
    #[test]
    fn one_letter_words() {
        for word in ["w", "Z", "i", "ó", "(w", "„a"] {
            assert!(is_one_letter_word(word), "{word}");
        }
        for word in ["", "(", "we", "5", "w,", "x1", "w\u{a0}domu"] {
            assert!(!is_one_letter_word(word), "{word}");
        }
    }

    #[test]
    fn numbers_bind_to_the_next_word() {
        for word in ["5", "2026", "12,5", "(3", "1.000"] {
            assert!(binds_to_next(word), "{word}");
        }
        for word in ["2026.", "5,", "x5", "FV/2026", "w,"] {
            assert!(!binds_to_next(word), "{word}");
        }
        let text = render(
            "Reklamację otrzymaliśmy dnia piątego, to jest w czwartek 5 listopada 2026 r. rano",
            &MarkupOptions { width: 52, ..MarkupOptions::default() },
        )
        .text;
        assert_eq!(text, "Reklamację otrzymaliśmy dnia piątego, to jest\nw czwartek 5 listopada 2026 r. rano\n");
    }

    /// Checks the plain-text framing rules on one rendition.
    fn assert_text_framing(input: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{input:?} -> {text:?}");
        assert!(!text.starts_with('\n'), "{input:?} -> {text:?}");
        assert!(!text.contains("\n\n\n"), "{input:?} -> {text:?}");
        for line in text.lines() {
            assert_eq!(line, line.trim_end(), "{input:?} -> {text:?}");
        }
    }

    /// Odd and extreme inputs render without panicking and with clean framing.
    #[test]
    fn odd_inputs_do_not_panic() {
        let long_line = "słowo ".repeat(1700);
        let long_word = "x".repeat(10_000);
        let deep_quote = ">".repeat(5_000);
        let deep_list = "- ".repeat(500) + "x";
        let deep_emphasis = "*".repeat(3_000) + "x" + &"*".repeat(3_000);
        let inputs = [
            "",
            " ",
            "\n\n\n",
            " \t \n  \n\u{a0}",
            "**unclosed",
            "*a **b* c**",
            "|",
            "| |\n|-|",
            "|a|\n|-|\n|b|c|d|\n||",
            ">>>>>",
            ">>>>> x\n> y",
            "- \n-\n  -",
            "1.\n2)",
            "[x](",
            "[x]: http://a\n[x]",
            "<",
            "<!--",
            "<div>",
            "```",
            "```\n\n\n",
            "    \n    x",
            "\\",
            "a\\\n\\\n\\\nb",
            "# ",
            "#\n##\n###",
            "\u{0}\u{1}\u{feff}\r\n\r",
            "x\u{a0}\u{a0}\u{a0} \u{a0}",
            "![](javascript:x)[](http://x)",
            "- [ ] task",
            "~~strike~~ $math$ [^1]\n\n[^1]: note",
            "w w w w w w w w",
            "żółć 🎉 漢字漢字 e\u{301}",
            &long_line,
            &long_word,
            &deep_quote,
            &deep_list,
            &deep_emphasis,
        ];
        for input in inputs {
            for width in [0, 1, 5, 72] {
                let options = MarkupOptions { width, ..MarkupOptions::default() };
                let rendition = render(input, &options);
                assert_text_framing(input, &rendition.text);
            }
        }
    }

    /// Pseudo-random Markdown soup keeps the plain-text framing rules.
    #[test]
    fn random_inputs_keep_the_framing_rules() {
        const PIECES: &[&str] = &[
            "*",
            "**",
            "_",
            "`",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "|",
            "-",
            "#",
            "\\",
            "\n",
            "\n\n",
            " ",
            "  \n",
            "\t",
            "a",
            "w",
            "słowo",
            "\u{a0}",
            "1.",
            "2)",
            "http://x.pl",
            "---",
            "|:-:|",
            "&amp;",
            "![",
            "```",
            "    ",
            "> ",
            "- ",
            "<b>",
            "</div>",
            "javascript:",
            "||",
            "\r\n",
            "zł",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut input = String::new();
        for _ in 0..3_000 {
            input.clear();
            let pieces = next() % 80;
            for _ in 0..pieces {
                input.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let options = MarkupOptions { width: (next() % 30) as usize, ..MarkupOptions::default() };
            let rendition = render(&input, &options);
            assert_text_framing(&input, &rendition.text);
            assert!(!rendition.html.contains("<b>") && !rendition.html.contains("javascript:\""));
        }
    }
}
