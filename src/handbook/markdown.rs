//! The handbook as Markdown: headings with the anchors GitHub gives them, and every piece of
//! user text escaped so that it reads as written.

use super::model::{Book, Entry, PackView, doc_spans, language, rules_count};
use crate::diagnostic::Severity;
use crate::rules::kinds::{docs, review};
use crate::rules::prose::{Block, Span};

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
        self.out.push_str(&format!("*The correspondence standard of {}*\n\n", md_text(&config.sender.company)));
        self.out.push_str(&format!("- **Owner:** {}\n", md_text(&info.owner)));
        self.out.push_str(&format!("- **Review by:** {}\n", info.review_by));
        self.out.push_str(&format!("- **Languages:** {}\n", md_text(&book.languages())));
        self.out.push_str(&format!(
            "- **Rules:** {} in {} {}, and `{}` built in\n\n",
            book.rule_count,
            book.packs.len(),
            if book.packs.len() == 1 { "pack" } else { "packs" },
            review::ID
        ));
        let intro = book.intro();
        self.out.push_str(&md_para(&spans_md(&intro, false)));
        self.out.push_str("\n\n**Contents**\n\n");
        let head = std::mem::take(&mut self.out);

        // The body first, so that the contents link to the anchors the headings really get.
        let mut toc = Vec::new();
        for view in &book.packs {
            let slug = self.pack(view);
            toc.push(format!("[{}](#{slug}) — {}", md_text(&view.pack.name), rules_count(view.count)));
        }
        let slug = self.reviews(book);
        toc.push(format!("[Keeping it current](#{slug})"));
        let slug = self.letters(book);
        toc.push(format!("[Letters covered](#{slug})"));
        let slug = self.appendix();
        toc.push(format!("[How the rules work](#{slug})"));

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
    fn pack(&mut self, view: &PackView<'_>) -> String {
        let pack = view.pack;
        let anchor = self.heading(2, &pack.name);
        self.out.push_str(&format!(
            "**Owner:** {} · **Review by:** {} · {} · {}\n\n",
            md_text(&pack.owner),
            pack.review_by,
            rules_count(view.count),
            md_code(&pack.file.name, false)
        ));
        if let Some(description) = &pack.description {
            self.out.push_str(&md_para(&md_text(description)));
            self.out.push_str("\n\n");
        }
        for (group, entries) in &view.groups {
            self.heading(3, group.title());
            self.out.push_str(&format!("*{}*\n\n", md_text(group.blurb())));
            for entry in entries {
                self.entry(entry);
            }
        }
        anchor
    }

    /// One rule.
    fn entry(&mut self, entry: &Entry<'_>) {
        let rule = entry.rule;
        self.heading(4, &rule.message);
        self.out.push_str(&format!(
            "{} · **{}** · {} · Letters: {}\n\n",
            md_code(&rule.id, false),
            rule.severity,
            rule.kind.name(),
            spans_md(&entry.letters, false)
        ));
        for block in &entry.blocks {
            self.block(block);
        }
        if let Some(why) = &rule.why {
            self.out.push_str(&format!("*Why:* {}\n\n", md_text(why)));
        }
    }

    /// One block of a rule.
    fn block(&mut self, block: &Block) {
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
                    "**{}**\n\n| Never write | Write instead |\n|---|---|\n",
                    md_text(&language(lang))
                ));
                let instead = match instead {
                    Some(s) => md_text(s),
                    None => "*no set wording: say what we will do and by when*".into(),
                };
                if never.is_empty() {
                    self.out.push_str(&format!("| — | {instead} |\n"));
                }
                for (i, item) in never.iter().enumerate() {
                    let cell = spans_md(std::slice::from_ref(item), true);
                    let cell = if cell.is_empty() { "—".to_string() } else { cell };
                    let right = if i == 0 { instead.as_str() } else { "*as above*" };
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
        let anchor = self.heading(2, "Keeping it current");
        self.heading(4, "Every item is reviewed by its date.");
        self.out.push_str(&format!(
            "{} · **{}**, then **{}** · review · Letters: all letters and packs\n\n",
            md_code(review::ID, false),
            Severity::Warning,
            Severity::Error
        ));
        self.out.push_str(&md_para(&spans_md(&book.review_rule(), false)));
        self.out.push_str("\n\n**Review calendar**\n\n| What | Owner | Review by |\n|---|---|---|\n");
        for due in &book.calendar {
            self.out.push_str(&format!("| {} | {} | {} |\n", md_text(&due.what), md_text(due.owner), due.review_by));
        }
        self.out.push('\n');
        anchor
    }

    /// The table of templates; returns the anchor.
    fn letters(&mut self, book: &Book<'_>) -> String {
        let anchor = self.heading(2, "Letters covered");
        if book.standard.templates().is_empty() {
            self.out.push_str("The standard has no letters yet.\n\n");
            return anchor;
        }
        self.out.push_str("| Letter | Id | Kind | Owner | Review by | Channels |\n|---|---|---|---|---|---|\n");
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
    fn appendix(&mut self) -> String {
        let anchor = self.heading(2, "How the rules work");
        for doc in docs() {
            self.heading(3, doc.name);
            self.out.push_str(&format!("**What it checks.** {}\n\n", spans_md(&doc_spans(doc.what), false)));
            self.out.push_str(&format!("**Why it matters.** {}\n\n", spans_md(&doc_spans(doc.why), false)));
            let fence = "`".repeat(longest_run(doc.example, '`').max(2) + 1);
            self.out.push_str(&format!("**Example**\n\n{fence}toml\n{}\n{fence}\n\n", doc.example.trim_end()));
            self.out.push_str(&format!("**Write instead.** {}\n\n", spans_md(&doc_spans(doc.instead), false)));
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
