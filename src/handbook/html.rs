//! The handbook as one self-contained HTML page: styles inline, no scripts, no external
//! resources, phrases marked with their language.

use super::model::{Book, Entry, PackView, language};
use super::style::CSS;
use crate::diagnostic::Severity;
use crate::rules::kinds::{docs, review};
use crate::rules::prose::{Arg, Block, Say, Span};

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
        let say = |id: &str| esc(&book.say(id));
        self.out.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
            esc(book.words.tag())
        ));
        self.out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.out.push_str("<meta name=\"generator\" content=\"missive\">\n");
        self.out.push_str(&format!("<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n", esc(&info.name)));
        self.out.push_str("<div class=\"page\">\n<header>\n");
        let kicker = book.words.spans("kicker", &[("company", Arg::Text(&config.sender.company))]);
        self.out.push_str(&format!("<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n", spans_html(&kicker), esc(&info.name)));
        self.out.push_str("<dl class=\"facts\">\n");
        self.out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", say("owner"), esc(&info.owner)));
        self.out.push_str(&format!("<dt>{}</dt><dd><time>{}</time></dd>\n", say("review-by"), info.review_by));
        self.out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", say("languages"), esc(&book.languages())));
        self.out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n</dl>\n", say("rules"), spans_html(&book.summary())));
        let intro = book.intro();
        self.out.push_str(&format!("<p class=\"intro\">{}</p>\n", spans_html(&intro)));
        self.out.push_str(&format!(
            "<nav class=\"toc\" aria-label=\"{contents}\">\n<h2>{contents}</h2>\n<ol>\n",
            contents = say("contents")
        ));
        for view in &book.packs {
            self.out.push_str(&format!(
                "<li><a href=\"#pack-{}\">{}</a> <span class=\"count\">{}</span></li>\n",
                esc(&view.pack.id),
                esc(&view.pack.name),
                esc(&book.rules_count(view.count))
            ));
        }
        self.out.push_str(&format!("<li><a href=\"#reviews\">{}</a></li>\n", say("reviews")));
        self.out.push_str(&format!("<li><a href=\"#letters\">{}</a></li>\n", say("letters-covered")));
        self.out.push_str(&format!("<li><a href=\"#how\">{}</a></li>\n</ol>\n</nav>\n</header>\n<main>\n", say("how")));
        for view in &book.packs {
            self.pack(book, view);
        }
        self.reviews(book);
        self.letters(book);
        self.appendix(book);
        let footer = book.words.spans("footer", &[("name", Arg::Text(&info.name))]);
        self.out.push_str(&format!("</main>\n<footer>{}</footer>\n</div>\n</body>\n</html>\n", spans_html(&footer)));
        self.out
    }

    /// One pack.
    fn pack(&mut self, book: &Book<'_>, view: &PackView<'_>) {
        let pack = view.pack;
        self.out.push_str(&format!(
            "<section class=\"pack\" id=\"pack-{}\">\n<h2>{}</h2>\n",
            esc(&pack.id),
            esc(&pack.name)
        ));
        self.out.push_str(&format!(
            "<p class=\"pack-meta\">{} <strong>{}</strong> · {} <strong><time>{}</time></strong> · {} · \
             <code>{}</code></p>\n",
            esc(&book.say("owner")),
            esc(&pack.owner),
            esc(&book.say("review-by")),
            pack.review_by,
            esc(&book.rules_count(view.count)),
            esc(&pack.file.name)
        ));
        if let Some(description) = &pack.description {
            self.out.push_str(&format!("<p class=\"description\">{}</p>\n", esc(description)));
        }
        for (group, entries) in &view.groups {
            self.out.push_str(&format!(
                "<section class=\"group {}\">\n<h3>{}</h3>\n<p class=\"blurb\">{}</p>\n",
                group.class(),
                esc(&book.say(group.message())),
                esc(&book.say(&format!("{}-blurb", group.message())))
            ));
            for entry in entries {
                self.entry(book, entry);
            }
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</section>\n");
    }

    /// One rule.
    fn entry(&mut self, book: &Book<'_>, entry: &Entry<'_>) {
        let rule = entry.rule;
        self.out.push_str(&format!(
            "<article class=\"rule\" id=\"rule-{}\">\n<h4>{}</h4>\n",
            esc(&rule.id),
            esc(&rule.message)
        ));
        self.out.push_str(&format!(
            "<p class=\"rule-meta\"><code class=\"id\">{}</code> {} <a class=\"kind\" href=\"#kind-{kind}\">{kind}</a> \
             <span class=\"applies\">{}: {}</span></p>\n",
            esc(&rule.id),
            severity_html(book, rule.severity),
            esc(&book.say("letters")),
            spans_html(&entry.letters),
            kind = rule.kind.name()
        ));
        for block in &entry.blocks {
            self.block(book, block);
        }
        if let Some(why) = &rule.why {
            self.out.push_str(&format!(
                "<p class=\"why\"><strong>{}:</strong> {}</p>\n",
                esc(&book.say("why")),
                esc(why)
            ));
        }
        self.out.push_str("</article>\n");
    }

    /// One block of a rule.
    fn block(&mut self, book: &Book<'_>, block: &Block) {
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
                    "<table class=\"swap\">\n<caption>{}</caption>\n<thead><tr><th class=\"never\" scope=\"col\">{}</th>\
                     <th class=\"instead\" scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
                    esc(&language(lang)),
                    esc(&book.say("never-write")),
                    esc(&book.say("write-instead"))
                ));
                let rows = never.len().max(1);
                let instead = match instead {
                    Some(s) => {
                        format!("<td class=\"instead\" rowspan=\"{rows}\" lang=\"{}\">{}</td>", esc(lang), esc(s))
                    }
                    None => format!(
                        "<td class=\"instead\" rowspan=\"{rows}\"><span class=\"same\">{}</span></td>",
                        esc(&format!("{}.", crate::rules::prose::capitalise(&book.say("no-set-wording"))))
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
        let say = |id: &str| esc(&book.say(id));
        self.out.push_str(&format!(
            "<section id=\"reviews\">\n<h2>{}</h2>\n<section class=\"group always\">\n",
            say("reviews")
        ));
        self.out.push_str(&format!(
            "<article class=\"rule\" id=\"rule-{id}\">\n<h4>{}</h4>\n\
             <p class=\"rule-meta\"><code class=\"id\">{id}</code> {} {} {} <a class=\"kind\" href=\"#kind-review\">review</a> \
             <span class=\"applies\">{}: {}</span></p>\n<p class=\"lead\">{}</p>\n</article>\n</section>\n",
            say("review-title"),
            severity_html(book, Severity::Warning),
            say("then"),
            severity_html(book, Severity::Error),
            say("letters"),
            say("letters-reviewed"),
            spans_html(&book.review_rule()),
            id = review::ID
        ));
        self.out.push_str(&format!(
            "<table class=\"calendar\">\n<caption hidden>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            say("review-calendar"),
            say("calendar-what"),
            say("owner"),
            say("review-by")
        ));
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
        let say = |id: &str| esc(&book.say(id));
        self.out.push_str(&format!("<section id=\"letters\">\n<h2>{}</h2>\n", say("letters-covered")));
        if book.standard.templates().is_empty() {
            self.out.push_str(&format!("<p>{}</p>\n</section>\n", say("no-letters")));
            return;
        }
        let head: String = ["letter-id", "kind", "owner", "review-by", "channels"]
            .iter()
            .map(|id| format!("<th scope=\"col\">{}</th>", say(id)))
            .collect();
        self.out.push_str(&format!("<table class=\"letters\">\n<thead><tr>{head}</tr></thead>\n<tbody>\n"));
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
    fn appendix(&mut self, book: &Book<'_>) {
        let say = |id: &str| esc(&book.say(id));
        self.out.push_str(&format!("<section class=\"appendix\" id=\"how\">\n<h2>{}</h2>\n", say("how")));
        for doc in docs() {
            self.out.push_str(&format!(
                "<section id=\"kind-{name}\">\n<h3><code>{name}</code></h3>\n<dl>\n\
                 <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n\
                 <dt>{}</dt><dd><pre><code>{}</code></pre></dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n</section>\n",
                say("what-it-checks"),
                spans_html(&book.kind_doc(doc.name, "what")),
                say("why-it-matters"),
                spans_html(&book.kind_doc(doc.name, "why")),
                say("example"),
                esc(doc.example.trim_end()),
                say("write-instead"),
                spans_html(&book.kind_doc(doc.name, "instead")),
                name = esc(doc.name)
            ));
        }
        self.out.push_str("</section>\n");
    }
}

/// A severity badge: the class by the severity's id, the word in the handbook's language.
fn severity_html(book: &Book<'_>, severity: Severity) -> String {
    format!("<span class=\"sev sev-{severity}\">{}</span>", esc(&book.severity(severity)))
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
