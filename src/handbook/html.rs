//! The handbook as one self-contained HTML page: styles inline, no scripts, no external
//! resources, phrases marked with their language.

use super::model::{Book, Entry, PackView, doc_spans, language, rules_count};
use super::style::CSS;
use crate::diagnostic::Severity;
use crate::rules::kinds::{docs, review};
use crate::rules::prose::{Block, Span};

/// The HTML writer.
#[derive(Default)]
pub(super) struct Html {
    /// The page so far.
    out: String,
}

impl Html {
    /// The whole page.
    pub(super) fn book(mut self, book: &Book<'_>) -> String {
        let config = book.standard.config();
        let info = &config.standard;
        self.out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.out.push_str("<meta name=\"generator\" content=\"missive\">\n");
        self.out.push_str(&format!("<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n", esc(&info.name)));
        self.out.push_str("<div class=\"page\">\n<header>\n");
        self.out.push_str(&format!(
            "<p class=\"kicker\">The correspondence standard of {}</p>\n<h1>{}</h1>\n",
            esc(&config.sender.company),
            esc(&info.name)
        ));
        self.out.push_str("<dl class=\"facts\">\n");
        self.out.push_str(&format!("<dt>Owner</dt><dd>{}</dd>\n", esc(&info.owner)));
        self.out.push_str(&format!("<dt>Review by</dt><dd><time>{}</time></dd>\n", info.review_by));
        self.out.push_str(&format!("<dt>Languages</dt><dd>{}</dd>\n", esc(&book.languages())));
        self.out.push_str(&format!(
            "<dt>Rules</dt><dd>{} in {} {}, and <code>{}</code> built in</dd>\n</dl>\n",
            book.rule_count,
            book.packs.len(),
            if book.packs.len() == 1 { "pack" } else { "packs" },
            review::ID
        ));
        let intro = book.intro();
        self.out.push_str(&format!("<p class=\"intro\">{}</p>\n", spans_html(&intro)));
        self.out.push_str("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
        for view in &book.packs {
            self.out.push_str(&format!(
                "<li><a href=\"#pack-{}\">{}</a> <span class=\"count\">{}</span></li>\n",
                esc(&view.pack.id),
                esc(&view.pack.name),
                rules_count(view.count)
            ));
        }
        self.out.push_str("<li><a href=\"#reviews\">Keeping it current</a></li>\n");
        self.out.push_str("<li><a href=\"#letters\">Letters covered</a></li>\n");
        self.out.push_str("<li><a href=\"#how\">How the rules work</a></li>\n</ol>\n</nav>\n</header>\n<main>\n");
        for view in &book.packs {
            self.pack(view);
        }
        self.reviews(book);
        self.letters(book);
        self.appendix();
        self.out.push_str(&format!(
            "</main>\n<footer>Printed by missive from the files of {}. The rule files are the standard; \
             this page only shows them.</footer>\n</div>\n</body>\n</html>\n",
            esc(&info.name)
        ));
        self.out
    }

    /// One pack.
    fn pack(&mut self, view: &PackView<'_>) {
        let pack = view.pack;
        self.out.push_str(&format!(
            "<section class=\"pack\" id=\"pack-{}\">\n<h2>{}</h2>\n",
            esc(&pack.id),
            esc(&pack.name)
        ));
        self.out.push_str(&format!(
            "<p class=\"pack-meta\">Owner <strong>{}</strong> · Review by <strong><time>{}</time></strong> · {} · \
             <code>{}</code></p>\n",
            esc(&pack.owner),
            pack.review_by,
            rules_count(view.count),
            esc(&pack.file.name)
        ));
        if let Some(description) = &pack.description {
            self.out.push_str(&format!("<p class=\"description\">{}</p>\n", esc(description)));
        }
        for (group, entries) in &view.groups {
            self.out.push_str(&format!(
                "<section class=\"group {}\">\n<h3>{}</h3>\n<p class=\"blurb\">{}</p>\n",
                group.class(),
                group.title(),
                group.blurb()
            ));
            for entry in entries {
                self.entry(entry);
            }
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</section>\n");
    }

    /// One rule.
    fn entry(&mut self, entry: &Entry<'_>) {
        let rule = entry.rule;
        self.out.push_str(&format!(
            "<article class=\"rule\" id=\"rule-{}\">\n<h4>{}</h4>\n",
            esc(&rule.id),
            esc(&rule.message)
        ));
        self.out.push_str(&format!(
            "<p class=\"rule-meta\"><code class=\"id\">{}</code> {} <a class=\"kind\" href=\"#kind-{kind}\">{kind}</a> \
             <span class=\"applies\">Letters: {}</span></p>\n",
            esc(&rule.id),
            severity_html(rule.severity),
            spans_html(&entry.letters),
            kind = rule.kind.name()
        ));
        for block in &entry.blocks {
            self.block(block);
        }
        if let Some(why) = &rule.why {
            self.out.push_str(&format!("<p class=\"why\"><strong>Why:</strong> {}</p>\n", esc(why)));
        }
        self.out.push_str("</article>\n");
    }

    /// One block of a rule.
    fn block(&mut self, block: &Block) {
        match block {
            Block::Para(spans) => {
                let class = if matches!(spans.as_slice(), [Span::Strong(_)]) { "limit" } else { "lead" };
                let body = match spans.as_slice() {
                    [Span::Strong(s)] => esc(s),
                    _ => spans_html(spans),
                };
                self.out.push_str(&format!("<p class=\"{class}\">{body}</p>\n"));
            }
            Block::Languages { lead, lines } => {
                self.out.push_str(&format!("<p class=\"lead\">{}</p>\n<ul class=\"langs\">\n", spans_html(lead)));
                for (tag, items) in lines {
                    let items = if items.is_empty() { "—".to_string() } else { spans_html(items) };
                    self.out
                        .push_str(&format!("<li><span class=\"lang\">{}</span> {items}</li>\n", esc(&language(tag))));
                }
                self.out.push_str("</ul>\n");
            }
            Block::Swap { lang, never, instead } => {
                self.out.push_str(&format!(
                    "<table class=\"swap\">\n<caption>{}</caption>\n<thead><tr><th class=\"never\" scope=\"col\">Never write</th>\
                     <th class=\"instead\" scope=\"col\">Write instead</th></tr></thead>\n<tbody>\n",
                    esc(&language(lang))
                ));
                let rows = never.len().max(1);
                let instead = match instead {
                    Some(s) => {
                        format!("<td class=\"instead\" rowspan=\"{rows}\" lang=\"{}\">{}</td>", esc(lang), esc(s))
                    }
                    None => format!(
                        "<td class=\"instead\" rowspan=\"{rows}\"><span class=\"same\">No set wording: say what we \
                         will do and by when.</span></td>"
                    ),
                };
                if never.is_empty() {
                    self.out.push_str(&format!("<tr><td class=\"never\">—</td>{instead}</tr>\n"));
                }
                for (i, item) in never.iter().enumerate() {
                    let right = if i == 0 { instead.as_str() } else { "" };
                    self.out.push_str(&format!(
                        "<tr><td class=\"never\">{}</td>{right}</tr>\n",
                        spans_html(std::slice::from_ref(item))
                    ));
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            Block::Fields { lead, fields } => {
                self.out.push_str(&format!("<p class=\"lead\">{}</p>\n<ul class=\"fields\">\n", spans_html(lead)));
                for (path, description) in fields {
                    match description {
                        Some(d) => self.out.push_str(&format!("<li><code>{}</code> — {}</li>\n", esc(path), esc(d))),
                        None => self.out.push_str(&format!("<li><code>{}</code></li>\n", esc(path))),
                    }
                }
                self.out.push_str("</ul>\n");
            }
        }
    }

    /// The built-in review rule and the review calendar.
    fn reviews(&mut self, book: &Book<'_>) {
        self.out.push_str("<section id=\"reviews\">\n<h2>Keeping it current</h2>\n<section class=\"group always\">\n");
        self.out.push_str(&format!(
            "<article class=\"rule\" id=\"rule-{id}\">\n<h4>Every item is reviewed by its date.</h4>\n\
             <p class=\"rule-meta\"><code class=\"id\">{id}</code> {} then {} <a class=\"kind\" href=\"#kind-review\">review</a> \
             <span class=\"applies\">Letters: all letters and packs</span></p>\n<p class=\"lead\">{}</p>\n</article>\n</section>\n",
            severity_html(Severity::Warning),
            severity_html(Severity::Error),
            spans_html(&book.review_rule()),
            id = review::ID
        ));
        self.out.push_str(
            "<table class=\"calendar\">\n<caption hidden>Review calendar</caption>\n<thead><tr><th scope=\"col\">What</th>\
             <th scope=\"col\">Owner</th><th scope=\"col\">Review by</th></tr></thead>\n<tbody>\n",
        );
        for due in &book.calendar {
            self.out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td><time>{}</time></td></tr>\n",
                esc(&due.what),
                esc(due.owner),
                due.review_by
            ));
        }
        self.out.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// The table of templates.
    fn letters(&mut self, book: &Book<'_>) {
        self.out.push_str("<section id=\"letters\">\n<h2>Letters covered</h2>\n");
        if book.standard.templates().is_empty() {
            self.out.push_str("<p>The standard has no letters yet.</p>\n</section>\n");
            return;
        }
        self.out.push_str(
            "<table class=\"letters\">\n<thead><tr><th scope=\"col\">Letter (id)</th>\
             <th scope=\"col\">Kind</th><th scope=\"col\">Owner</th><th scope=\"col\">Review by</th>\
             <th scope=\"col\">Channels</th></tr></thead>\n<tbody>\n",
        );
        for t in book.standard.templates() {
            self.out.push_str(&format!(
                "<tr><td>{}<code class=\"template-id\">{}</code></td><td><code>{}</code></td><td>{}</td><td><time>{}</time></td><td>{}</td></tr>\n",
                esc(&t.meta.title),
                esc(&t.id),
                esc(&t.meta.kind),
                esc(&t.meta.owner),
                t.meta.review_by,
                esc(&t.meta.channels.join(", "))
            ));
        }
        self.out.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// "How the rules work", from the kinds' documentation.
    fn appendix(&mut self) {
        self.out.push_str("<section class=\"appendix\" id=\"how\">\n<h2>How the rules work</h2>\n");
        for doc in docs() {
            self.out.push_str(&format!(
                "<section id=\"kind-{name}\">\n<h3><code>{name}</code></h3>\n<dl>\n\
                 <dt>What it checks</dt><dd>{}</dd>\n<dt>Why it matters</dt><dd>{}</dd>\n\
                 <dt>Example</dt><dd><pre><code>{}</code></pre></dd>\n<dt>Write instead</dt><dd>{}</dd>\n</dl>\n</section>\n",
                spans_html(&doc_spans(doc.what)),
                spans_html(&doc_spans(doc.why)),
                esc(doc.example.trim_end()),
                spans_html(&doc_spans(doc.instead)),
                name = esc(doc.name)
            ));
        }
        self.out.push_str("</section>\n");
    }
}

/// A severity badge.
fn severity_html(severity: Severity) -> String {
    format!("<span class=\"sev sev-{severity}\">{severity}</span>")
}

/// Spans as HTML; phrases carry their language.
fn spans_html(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Span::Text(s) => out.push_str(&esc(s)),
            Span::Strong(s) => out.push_str(&format!("<strong>{}</strong>", esc(s))),
            Span::Code(s) => out.push_str(&format!("<code>{}</code>", esc(s))),
            Span::Phrase { text, lang } => {
                out.push_str(&format!("<span class=\"phrase\" lang=\"{}\">{}</span>", esc(lang), esc(text)));
            }
            Span::Pattern(text) => {
                out.push_str(&format!("text matching <code class=\"pattern\">{}</code>", esc(text)));
            }
        }
    }
    out
}

/// Text (and attribute values) escaped for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::markup::html::escape_attr(&mut out, s);
    out
}
