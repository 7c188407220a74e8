//! The handbook as Markdown: headings with the anchors GitHub gives them, and every piece of
//! user text escaped so that it reads as written.

use super::model::{Book, Entry, PackView, language};
use crate::diagnostic::Severity;
use crate::rules::kinds::{docs, review};
use crate::rules::prose::{Arg, Block, Say, Span};

/// The Markdown writer; tracks heading anchors the way GitHub makes them.
#[derive(Default)]
pub(super) struct Markdown {
    /// The text so far.
    out: String,
    /// Anchors given so far, with how many times.
    slugs: std::collections::HashMap<String, usize>,
}

impl Markdown {
    /// The whole handbook.
    pub(super) fn book(mut self, book: &Book<'_>) -> String {
        let config = book.standard.config();
        let info = &config.standard;
        self.heading(1, &info.name);
        let kicker = book.words.spans("kicker", &[("company", Arg::Text(&config.sender.company))]);
        self.out.push_str(&format!("*{}*\n\n", spans_md(&kicker, false)));
        self.out.push_str(&format!("- **{}:** {}\n", md_text(&book.say("owner")), md_text(&info.owner)));
        self.out.push_str(&format!("- **{}:** {}\n", md_text(&book.say("review-by")), info.review_by));
        self.out.push_str(&format!("- **{}:** {}\n", md_text(&book.say("languages")), md_text(&book.languages())));
        self.out.push_str(&format!("- **{}:** {}\n\n", md_text(&book.say("rules")), spans_md(&book.summary(), false)));
        let intro = book.intro();
        self.out.push_str(&md_para(&spans_md(&intro, false)));
        self.out.push_str(&format!("\n\n**{}**\n\n", md_text(&book.say("contents"))));
        let head = std::mem::take(&mut self.out);

        // The body first, so that the contents link to the anchors the headings really get.
        let mut toc = Vec::new();
        for view in &book.packs {
            let slug = self.pack(book, view);
            toc.push(format!("[{}](#{slug}) — {}", md_text(&view.pack.name), md_text(&book.rules_count(view.count))));
        }
        let slug = self.reviews(book);
        toc.push(format!("[{}](#{slug})", md_text(&book.say("reviews"))));
        let slug = self.letters(book);
        toc.push(format!("[{}](#{slug})", md_text(&book.say("letters-covered"))));
        let slug = self.appendix(book);
        toc.push(format!("[{}](#{slug})", md_text(&book.say("how"))));

        let mut out = head;
        for (i, line) in toc.iter().enumerate() {
            out.push_str(&format!("{}. {line}\n", i + 1));
        }
        out.push('\n');
        out.push_str(self.out.trim_end());
        out.push('\n');
        out
    }

    /// Writes a heading and returns its anchor.
    fn heading(&mut self, level: usize, title: &str) -> String {
        self.out.push_str(&format!("{} {}\n\n", "#".repeat(level), md_text(title)));
        let base = slug(title);
        let seen = self.slugs.entry(base.clone()).or_insert(0);
        let anchor = if *seen == 0 { base } else { format!("{base}-{seen}") };
        *seen += 1;
        anchor
    }

    /// One pack; returns its anchor.
    fn pack(&mut self, book: &Book<'_>, view: &PackView<'_>) -> String {
        let pack = view.pack;
        let anchor = self.heading(2, &pack.name);
        self.out.push_str(&format!(
            "**{}:** {} · **{}:** {} · {} · {}\n\n",
            md_text(&book.say("owner")),
            md_text(&pack.owner),
            md_text(&book.say("review-by")),
            pack.review_by,
            md_text(&book.rules_count(view.count)),
            md_code(&pack.file.name, false)
        ));
        if let Some(description) = &pack.description {
            self.out.push_str(&md_para(&md_text(description)));
            self.out.push_str("\n\n");
        }
        for (group, entries) in &view.groups {
            self.heading(3, &book.say(group.message()));
            self.out.push_str(&format!("*{}*\n\n", md_text(&book.say(&format!("{}-blurb", group.message())))));
            for entry in entries {
                self.entry(book, entry);
            }
        }
        anchor
    }

    /// One rule.
    fn entry(&mut self, book: &Book<'_>, entry: &Entry<'_>) {
        let rule = entry.rule;
        self.heading(4, &rule.message);
        self.out.push_str(&format!(
            "{} · **{}** · {} · {}: {}\n\n",
            md_code(&rule.id, false),
            md_text(&book.severity(rule.severity)),
            rule.kind.name(),
            md_text(&book.say("letters")),
            spans_md(&entry.letters, false)
        ));
        for block in &entry.blocks {
            self.block(book, block);
        }
        if let Some(why) = &rule.why {
            self.out.push_str(&format!("*{}:* {}\n\n", md_text(&book.say("why")), md_text(why)));
        }
    }

    /// One block of a rule.
    fn block(&mut self, book: &Book<'_>, block: &Block) {
        match block {
            Block::Para(spans) => {
                self.out.push_str(&md_para(&spans_md(spans, false)));
                self.out.push_str("\n\n");
            }
            Block::Languages { lead, lines } => {
                self.out.push_str(&md_para(&spans_md(lead, false)));
                self.out.push_str("\n\n");
                for (tag, items) in lines {
                    self.out.push_str(&format!("- **{}:** {}\n", md_text(&language(tag)), list_md(items)));
                }
                self.out.push('\n');
            }
            Block::Swap { lang, never, instead } => {
                self.out.push_str(&format!(
                    "**{}**\n\n| {} | {} |\n|---|---|\n",
                    md_text(&language(lang)),
                    md_text(&book.say("never-write")),
                    md_text(&book.say("write-instead"))
                ));
                let instead = match instead {
                    Some(s) => md_text(s),
                    None => format!("*{}*", md_text(&book.say("no-set-wording"))),
                };
                let as_above = format!("*{}*", md_text(&book.say("as-above")));
                if never.is_empty() {
                    self.out.push_str(&format!("| — | {instead} |\n"));
                }
                for (i, item) in never.iter().enumerate() {
                    let cell = spans_md(std::slice::from_ref(item), true);
                    let cell = if cell.is_empty() { "—".to_string() } else { cell };
                    let right = if i == 0 { instead.as_str() } else { as_above.as_str() };
                    self.out.push_str(&format!("| {cell} | {right} |\n"));
                }
                self.out.push('\n');
            }
            Block::Fields { lead, fields } => {
                self.out.push_str(&md_para(&spans_md(lead, false)));
                self.out.push_str("\n\n");
                for (path, description) in fields {
                    match description {
                        Some(d) => self.out.push_str(&format!("- {} — {}\n", md_code(path, false), md_text(d))),
                        None => self.out.push_str(&format!("- {}\n", md_code(path, false))),
                    }
                }
                self.out.push('\n');
            }
        }
    }

    /// The built-in review rule and the review calendar; returns the anchor.
    fn reviews(&mut self, book: &Book<'_>) -> String {
        let anchor = self.heading(2, &book.say("reviews"));
        self.heading(4, &book.say("review-title"));
        self.out.push_str(&format!(
            "{} · **{}**, {} **{}** · review · {}: {}\n\n",
            md_code(review::ID, false),
            md_text(&book.severity(Severity::Warning)),
            md_text(&book.say("then")),
            md_text(&book.severity(Severity::Error)),
            md_text(&book.say("letters")),
            md_text(&book.say("letters-reviewed"))
        ));
        self.out.push_str(&md_para(&spans_md(&book.review_rule(), false)));
        self.out.push_str(&format!(
            "\n\n**{}**\n\n| {} | {} | {} |\n|---|---|---|\n",
            md_text(&book.say("review-calendar")),
            md_text(&book.say("calendar-what")),
            md_text(&book.say("owner")),
            md_text(&book.say("review-by"))
        ));
        for due in &book.calendar {
            self.out.push_str(&format!("| {} | {} | {} |\n", md_text(&due.what), md_text(due.owner), due.review_by));
        }
        self.out.push('\n');
        anchor
    }

    /// The table of templates; returns the anchor.
    fn letters(&mut self, book: &Book<'_>) -> String {
        let anchor = self.heading(2, &book.say("letters-covered"));
        if book.standard.templates().is_empty() {
            self.out.push_str(&format!("{}\n\n", md_para(&md_text(&book.say("no-letters")))));
            return anchor;
        }
        let head: Vec<String> = ["letter", "id", "kind", "owner", "review-by", "channels"]
            .iter()
            .map(|id| md_text(&book.say(id)))
            .collect();
        self.out.push_str(&format!("| {} |\n|---|---|---|---|---|---|\n", head.join(" | ")));
        for t in book.standard.templates() {
            self.out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                md_text(&t.meta.title),
                md_code(&t.id, true),
                md_code(&t.meta.kind, true),
                md_text(&t.meta.owner),
                t.meta.review_by,
                md_text(&t.meta.channels.join(", "))
            ));
        }
        self.out.push('\n');
        anchor
    }

    /// "How the rules work", from the kinds' documentation; returns the anchor.
    fn appendix(&mut self, book: &Book<'_>) -> String {
        let anchor = self.heading(2, &book.say("how"));
        let label = |id: &str| md_text(&book.say(id));
        for doc in docs() {
            self.heading(3, doc.name);
            let part = |part: &str| spans_md(&book.kind_doc(doc.name, part), false);
            self.out.push_str(&format!("**{}.** {}\n\n", label("what-it-checks"), part("what")));
            self.out.push_str(&format!("**{}.** {}\n\n", label("why-it-matters"), part("why")));
            let fence = "`".repeat(longest_run(doc.example, '`').max(2) + 1);
            self.out.push_str(&format!(
                "**{}**\n\n{fence}toml\n{}\n{fence}\n\n",
                label("example"),
                doc.example.trim_end()
            ));
            self.out.push_str(&format!("**{}.** {}\n\n", label("write-instead"), part("instead")));
        }
        anchor
    }
}

/// Spans as Markdown; `table` for text inside a table cell.
fn spans_md(spans: &[Span], table: bool) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Span::Text(s) => out.push_str(&md_text_keep_edges(s)),
            Span::Strong(s) => out.push_str(&format!("**{}**", md_text(s))),
            Span::Code(s) => out.push_str(&md_code(s, table)),
            Span::Phrase { text, .. } if table => out.push_str(&md_text(text)),
            Span::Phrase { text, .. } => out.push_str(&format!("“{}”", md_text(text))),
            Span::Pattern(text) => out.push_str(&format!("text matching {}", md_code(text, table))),
        }
    }
    out
}

/// Phrases of one language, separated by commas.
fn list_md(items: &[Span]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    items.iter().map(|s| spans_md(std::slice::from_ref(s), false)).collect::<Vec<_>>().join(", ")
}

/// User text as Markdown: one line, every character that could make markup escaped.
pub(super) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// [`md_text`], keeping one leading and one trailing space (spans join into sentences).
fn md_text_keep_edges(s: &str) -> String {
    let mut out = String::new();
    if s.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(&md_text(s));
    if s.ends_with(char::is_whitespace) && !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A paragraph whose first characters must not start a list, quote or heading.
pub(super) fn md_para(line: &str) -> String {
    let mut out = line.to_string();
    if out.starts_with(['-', '+', '=', '>']) {
        out.insert(0, '\\');
    } else if let Some(end) =
        out.find(|c: char| !c.is_ascii_digit()).filter(|&i| i > 0 && out[i..].starts_with(['.', ')']))
    {
        out.insert(end, '\\');
    }
    out
}

/// A code span that holds `s` whatever backticks it contains.
pub(super) fn md_code(s: &str, table: bool) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = if table { s.replace('|', "\\|") } else { s };
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.
pub(super) fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
