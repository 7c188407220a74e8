//! The standard as a handbook: every pack and rule in words a department pins on its wall.
//!
//! [`markdown`] and [`html`] print the same handbook. Each rule is first described once as
//! blocks of spans (plain words, codes, phrases in their language); the two renderers only
//! add their markup and their escaping, so they never disagree about what the standard says.

use crate::diagnostic::Severity;
use crate::rules::kinds::{docs, review};
use crate::rules::prose::{Block, Describing, Group, Span, text};
use crate::rules::{Pack, Rule};
use crate::standard::Standard;

/// The standard as a Markdown handbook: the standard's name, owner, review date and languages;
/// contents; every pack with its rules grouped as *Always write*, *Never write* (a
/// "Never write | Write instead" table per language) and *Keep it*; the review calendar; the
/// letters covered; and how each kind of rule works.
///
/// ```no_run
/// let standard = missive::Standard::load("path/to/standard".as_ref())?;
/// print!("{}", missive::handbook::markdown(&standard));
/// # Ok::<(), missive::Error>(())
/// ```
pub fn markdown(standard: &Standard) -> String {
    Markdown::default().book(&Book::new(standard))
}

/// The same handbook as one self-contained HTML page: inline styles, no scripts, no external
/// resources, phrases marked with their language, and print styles that put each pack on its
/// own page.
///
/// ```no_run
/// let standard = missive::Standard::load("path/to/standard".as_ref())?;
/// std::fs::write("handbook.html", missive::handbook::html(&standard))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn html(standard: &Standard) -> String {
    Html::default().book(&Book::new(standard))
}

// ---------------------------------------------------------------------------------------------
// The content, shared by both renderers.
// ---------------------------------------------------------------------------------------------

/// A rule as the handbook shows it.
struct Entry<'a> {
    /// The rule.
    rule: &'a Rule,
    /// The letters it covers, in words.
    letters: Vec<Span>,
    /// What it asks, in words.
    blocks: Vec<Block>,
}

/// A pack with its rules grouped.
struct PackView<'a> {
    /// The pack.
    pack: &'a Pack,
    /// Non-empty groups, in [`Group::ALL`] order.
    groups: Vec<(Group, Vec<Entry<'a>>)>,
    /// How many rules it has.
    count: usize,
}

/// One line of the review calendar.
struct Due<'a> {
    /// What is reviewed ("Rule pack: Courtesy").
    what: String,
    /// Who reviews it.
    owner: &'a str,
    /// By when.
    review_by: jiff::civil::Date,
}

/// Everything the handbook shows, described once.
struct Book<'a> {
    /// The standard.
    standard: &'a Standard,
    /// Its packs, in force order.
    packs: Vec<PackView<'a>>,
    /// Every rule of every pack.
    rule_count: usize,
    /// The standard, its packs and templates, by review date.
    calendar: Vec<Due<'a>>,
}

impl<'a> Book<'a> {
    /// Describes `standard`.
    fn new(standard: &'a Standard) -> Book<'a> {
        let rules = standard.rules();
        let packs: Vec<PackView<'a>> = rules
            .packs()
            .iter()
            .map(|pack| {
                let mine: Vec<&Rule> = rules.rules().iter().filter(|r| r.pack == pack.id).collect();
                let groups = Group::ALL
                    .into_iter()
                    .map(|group| {
                        let entries = mine
                            .iter()
                            .filter(|r| r.kind.get().group() == group)
                            .map(|rule| Entry {
                                rule,
                                letters: letters(standard, &rule.applies_to),
                                blocks: describe(standard, rule),
                            })
                            .collect::<Vec<_>>();
                        (group, entries)
                    })
                    .filter(|(_, entries)| !entries.is_empty())
                    .collect();
                PackView { pack, groups, count: mine.len() }
            })
            .collect();
        let info = &standard.config().standard;
        let mut calendar =
            vec![Due { what: "The standard (missive.toml)".into(), owner: &info.owner, review_by: info.review_by }];
        calendar.extend(rules.packs().iter().map(|p| Due {
            what: format!("Rule pack: {}", p.name),
            owner: &p.owner,
            review_by: p.review_by,
        }));
        calendar.extend(standard.templates().iter().map(|t| Due {
            what: format!("Letter: {}", t.meta.title),
            owner: &t.meta.owner,
            review_by: t.meta.review_by,
        }));
        calendar.sort_by(|a, b| (a.review_by, &a.what).cmp(&(b.review_by, &b.what)));
        Book { standard, packs, rule_count: rules.rules().len(), calendar }
    }

    /// The standard's languages, in `missive.toml` order.
    fn locales(&self) -> &'a [String] {
        &self.standard.config().standard.locales
    }

    /// "Polski (pl, default), English (en)".
    fn languages(&self) -> String {
        let default = &self.standard.config().standard.default_locale;
        self.locales()
            .iter()
            .map(|tag| {
                let name = language(tag);
                match (name == *tag, tag == default) {
                    (true, true) => format!("{tag} (default)"),
                    (true, false) => tag.clone(),
                    (false, true) => format!("{name} ({tag}, default)"),
                    (false, false) => format!("{name} ({tag})"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The paragraph that says how to read the handbook.
    fn intro(&self) -> Vec<Span> {
        let company = &self.standard.config().sender.company;
        vec![
            text(format!(
                "This handbook is the standard every letter of {company} keeps, whoever writes it and whichever \
                 channel it goes by; it is printed from the standard's own files, so it says exactly what missive \
                 checks. Rules come in packs, each with an owner who answers for it and a date by which it is \
                 reviewed. Within a pack, "
            )),
            Span::Strong(Group::Always.title().into()),
            text(" lists what a letter must contain, "),
            Span::Strong(Group::Never.title().into()),
            text(" lists phrasing that does not fit the brand with the wording to use instead, and "),
            Span::Strong(Group::Keep.title().into()),
            text(
                " sets limits of tone and length. Each rule shows its id (findings name it), its severity — error: \
                 the letter is not sent until it is fixed; warning: fix it; info: advice — and the letters it \
                 covers. Matching ignores capitals and punctuation, and a phrase ending in * covers every word \
                 that begins that way.",
            ),
        ]
    }

    /// The built-in review rule, in words.
    fn review_rule(&self) -> Vec<Span> {
        let grace = self.standard.config().rules.review_grace_days;
        let days = if grace == 1 { "day" } else { "days" };
        vec![text(format!(
            "The standard, every rule pack and every letter has an owner and a review date. From the day after \
             that date, missive reports a warning; more than {grace} {days} after it, an error — until the owner \
             reviews the item and moves the date forward."
        ))]
    }
}

/// The letters a rule covers: template titles by kind, or every letter.
fn letters(standard: &Standard, applies_to: &[String]) -> Vec<Span> {
    if applies_to.is_empty() {
        return vec![text("all letters")];
    }
    let mut out = Vec::new();
    for (i, kind) in applies_to.iter().enumerate() {
        if i > 0 {
            out.push(text(", "));
        }
        let titles: Vec<&str> =
            standard.templates().iter().filter(|t| &t.meta.kind == kind).map(|t| t.meta.title.as_str()).collect();
        if titles.is_empty() {
            out.push(Span::Code(kind.clone()));
            out.push(text(" (no letter of this kind yet)"));
        } else {
            out.push(text(titles.join(", ")));
        }
    }
    out
}

/// What a rule asks, in words: its kind describes it.
fn describe(standard: &Standard, rule: &Rule) -> Vec<Block> {
    let field = |path: &str| field_description(standard, rule, path);
    let with = Describing {
        locales: &standard.config().standard.locales,
        company: &standard.config().sender.company,
        field: &field,
    };
    rule.kind.get().describe(&with)
}

/// What a field holds, from the first template declaring it with a description (the rule's
/// letters first).
fn field_description(standard: &Standard, rule: &Rule, path: &str) -> Option<String> {
    let covered = |kind: &str| rule.applies_to.is_empty() || rule.applies_to.iter().any(|k| k == kind);
    let templates = standard.templates();
    templates
        .iter()
        .filter(|t| covered(&t.meta.kind))
        .chain(templates.iter())
        .find_map(|t| t.meta.fields.get(path)?.get("description")?.as_str().map(str::to_string))
}

/// A language's name in that language; the tag when we do not know it.
fn language(tag: &str) -> String {
    let primary = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
    let name = match primary.as_str() {
        "pl" => "Polski",
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "cs" => "Čeština",
        "sk" => "Slovenčina",
        "uk" => "Українська",
        "lt" => "Lietuvių",
        _ => return tag.to_string(),
    };
    if primary == tag { name.to_string() } else { format!("{name} ({tag})") }
}

/// A kind's documentation text, with its `code` spans.
fn doc_spans(s: &str) -> Vec<Span> {
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| if i % 2 == 1 { Span::Code(part.to_string()) } else { text(part) })
        .collect()
}

/// "1 rule", "3 rules".
fn rules_count(n: usize) -> String {
    if n == 1 { "1 rule".into() } else { format!("{n} rules") }
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/// The Markdown writer; tracks heading anchors the way GitHub makes them.
#[derive(Default)]
struct Markdown {
    /// The text so far.
    out: String,
    /// Anchors given so far, with how many times.
    slugs: std::collections::HashMap<String, usize>,
}

impl Markdown {
    /// The whole handbook.
    fn book(mut self, book: &Book<'_>) -> String {
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
fn md_text(s: &str) -> String {
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
fn md_para(line: &str) -> String {
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
fn md_code(s: &str, table: bool) -> String {
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
fn slug(title: &str) -> String {
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

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/// The page's styles: a quiet handbook on screen, one pack per page on paper.
const CSS: &str = r#"
:root {
  --ink: #1d232b; --muted: #5b6573; --line: #d5dbe3; --soft: #f3f5f8; --accent: #1f4e79;
  --always: #2e7d32; --never: #b3261e; --keep: #a05a00;
  --never-bg: #fdecea; --never-head: #f6d2cd; --instead-bg: #e9f6ec; --instead-head: #cdeacf;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #eef1f5; color: var(--ink);
  font: 16px/1.55 "Segoe UI", "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
}
.page {
  max-width: 58rem; margin: 2rem auto; padding: 2.75rem 3.25rem 3rem; background: #fff;
  border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 1px 3px rgba(0, 0, 0, .06);
}
a { color: var(--accent); }
h1, h2, h3, h4 { line-height: 1.25; color: #111820; }
h1 { font-size: 2rem; margin: .2rem 0 1.1rem; }
h2 { font-size: 1.5rem; margin: 2.75rem 0 .6rem; padding-bottom: .35rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: .95rem; margin: 1.9rem 0 .2rem; text-transform: uppercase; letter-spacing: .07em; }
h4 { font-size: 1.05rem; margin: 0 0 .3rem; }
p { margin: .45rem 0; }
.kicker { margin: 0; color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .09em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0 0 1.25rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
.intro { max-width: 46rem; color: #2c3440; }
nav.toc { margin: 1.75rem 0 0; padding: 1rem 1.4rem; background: var(--soft); border-radius: 6px; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .4rem; border: 0; padding: 0; text-transform: uppercase; letter-spacing: .07em; }
nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2; column-gap: 2.5rem; }
nav.toc li { break-inside: avoid; padding: .1rem 0; }
nav.toc .count { color: var(--muted); font-size: .85rem; }
.pack-meta { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
.pack-meta strong { color: var(--ink); font-weight: 600; }
.description { font-size: 1.02rem; max-width: 46rem; }
.group > .blurb { margin: 0 0 .8rem; color: var(--muted); font-size: .9rem; font-style: italic; }
.always > h3 { color: var(--always); }
.never > h3 { color: var(--never); }
.keep > h3 { color: var(--keep); }
.rule {
  margin: 0 0 .9rem; padding: .85rem 1.1rem .8rem; border: 1px solid var(--line);
  border-left: 4px solid var(--accent); border-radius: 4px; break-inside: avoid;
}
.always .rule { border-left-color: var(--always); }
.never .rule { border-left-color: var(--never); }
.keep .rule { border-left-color: var(--keep); }
.rule-meta { margin: 0 0 .55rem; color: var(--muted); font-size: .82rem; display: flex; flex-wrap: wrap; gap: .2rem .55rem; align-items: baseline; }
.rule-meta .kind { color: var(--muted); text-decoration: none; border-bottom: 1px dotted #9aa4b1; }
.rule-meta .kind:hover { color: var(--accent); }
code, pre { font-family: "SFMono-Regular", Consolas, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; }
code { font-size: .86em; background: var(--soft); padding: .05em .3em; border-radius: 3px; }
code.id { font-size: .76rem; color: #3a4350; border: 1px solid var(--line); background: #fafbfc; }
.sev { font-size: .68rem; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; padding: .1rem .5rem; border-radius: 999px; }
.sev-error { background: #fde2df; color: #8c1d18; }
.sev-warning { background: #fff0c2; color: #6d4500; }
.sev-info { background: #e2edf9; color: #1f4e79; }
.lead { margin: .4rem 0 .25rem; }
ul.langs { list-style: none; margin: 0 0 .4rem; padding: 0; }
ul.langs li { margin: .2rem 0; }
.lang { display: inline-block; min-width: 5.5rem; color: var(--muted); font-size: .88rem; }
.phrase { display: inline-block; margin: .1rem .15rem; padding: 0 .4rem; background: #f4f6f9; border: 1px solid var(--line); border-radius: 3px; }
ul.fields { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.limit { display: inline-block; margin: .2rem 0 .3rem; padding: .2rem .65rem; background: #fff3dc; border: 1px solid #f0d9a8; border-radius: 4px; color: #4d3300; font-weight: 600; }
.why { margin-top: .55rem; color: #37404c; }
.why strong { color: var(--ink); }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 .9rem; font-size: .94rem; }
th, td { border: 1px solid var(--line); padding: .4rem .65rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
table.swap { table-layout: fixed; }
table.swap caption { caption-side: top; text-align: left; font-size: .85rem; font-weight: 600; color: var(--muted); padding: .2rem 0; }
table.swap th.never { background: var(--never-head); color: #7f1d17; width: 42%; }
table.swap th.instead { background: var(--instead-head); color: #1b5e20; }
table.swap td.never { background: var(--never-bg); color: #5f1611; }
table.swap td.instead { background: var(--instead-bg); }
table.swap .phrase { display: inline; margin: 0; padding: 0; background: none; border: 0; }
.same { color: var(--muted); font-style: italic; font-size: .88rem; }
table.letters td:nth-child(n+2):nth-child(-n+4), table.calendar td:nth-child(n+2) { white-space: nowrap; }
table.letters .template-id { display: block; margin-top: .15rem; font-size: .78rem; color: var(--muted); background: none; padding: 0; }
table.letters, table.calendar { font-size: .9rem; }
.appendix section { break-inside: avoid; margin-top: 1.4rem; padding-top: .2rem; border-top: 1px solid var(--line); }
.appendix h3 { text-transform: none; letter-spacing: 0; font-size: 1.15rem; margin: .6rem 0 .2rem; }
.appendix h3 code { font-size: 1em; background: none; padding: 0; color: var(--accent); }
.appendix dl { margin: 0; }
.appendix dt { font-weight: 600; margin-top: .5rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.appendix dd { margin: .1rem 0 .3rem; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; font-size: .85rem; overflow-x: auto; }
pre code { background: none; padding: 0; font-size: inherit; }
footer { margin-top: 2.5rem; padding-top: .8rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .8rem; }
@media (max-width: 40rem) {
  .page { margin: 0; padding: 1.25rem; border: 0; border-radius: 0; }
  nav.toc ol { columns: 1; }
}
@media print {
  @page { size: A4; margin: 16mm 15mm 18mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; margin: 0; padding: 0; border: 0; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
  .pack, #reviews, #letters, #how { break-before: page; }
  h2, h3, h4, .group > .blurb, .pack-meta, .rule-meta, .lead { break-after: avoid; }
  tr, .rule, table.swap { break-inside: avoid; }
  nav.toc { background: none; border: 1px solid var(--line); }
}
"#;

/// The HTML writer.
#[derive(Default)]
struct Html {
    /// The page so far.
    out: String,
}

impl Html {
    /// The whole page.
    fn book(mut self, book: &Book<'_>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Writes a small standard: one letter, two languages, one pack with every kind of rule.
    fn small() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            (
                "missive.toml",
                r#"[standard]
name = "Acme | written standard"
owner = "cx@acme.pl"
review_by = 2027-06-30
default_locale = "pl"
locales = ["pl", "en"]

[sender]
company = "Acme S.A."
address = ["ul. Prosta 1", "00-001 Warszawa"]
email = "hello@acme.pl"
place = "Warszawa"

[rules]
packs = ["p"]
review_grace_days = 14
"#,
            ),
            (
                "templates/x.tera",
                r#"+++
title = "Invoice letter"
kind = "invoice"
channels = ["email", "letter"]
subject = "x-subject"
owner = "billing@acme.pl"
review_by = 2027-03-31

[fields]
"customer.name" = { type = "name", required = true, description = "The addressee." }
+++
{{ t(id="x-body") }}
"#,
            ),
            ("locales/pl/a.ftl", "x-subject = Faktura\nx-body = Dziękujemy.\n"),
            ("locales/en/a.ftl", "x-subject = Invoice\nx-body = Thank you.\n"),
            (
                "rules/p.toml",
                r#"[pack]
name = "Plain_speaking *pack*"
owner = "voice@acme.pl"
review_by = 2026-12-31
description = "Say it kindly."

[[rule]]
id = "plain.thanks"
kind = "require"
applies_to = ["invoice"]
within = "closing"
message = "An invoice ends with a thank-you."
why = "Kindness is the brand."
phrases.pl = ["Dziękujemy", "dziękuj*"]
phrases.en = ["Thank you"]

[[rule]]
id = "plain.no-machine"
kind = "substitute"
severity = "warning"
message = "Never blame the computer."
phrases.pl = ["wina systemu", "nie wiem <b>&"]
phrases.en = ["system error"]
suggest.pl = "Sprawdzimy to i odpowiemy do [data]."
suggest.en = "We will look into it by [date]."

[[rule]]
id = "plain.no-shouting"
kind = "limit"
metric = "exclamation_marks"
max = 1
message = "At most one exclamation mark."

[[rule]]
id = "plain.no-capitals"
kind = "limit"
metric = "caps_words"
max = 0
ignore = ["IBAN"]
applies_to = ["complaint-reply"]
severity = "info"
message = "No capitals."

[[rule]]
id = "plain.name"
kind = "field"
fields = ["customer.name"]
message = "The letter names the customer."

[[rule]]
id = "plain.frame"
kind = "structure"
message = "Salutation and closing."
salutation.pl = ["Szanowni Państwo"]
salutation.en = ["Dear"]
closing.pl = ["Z poważaniem"]
closing.en = ["Yours sincerely"]

[[rule]]
id = "plain.answer-in-time"
kind = "deadline"
date = "complaint.answer_by"
from = "complaint.received"
max_days = 14
days = "business"
message = "The answer comes within 14 business days."
"#,
            ),
        ];
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn ids(standard: &Standard) -> Vec<String> {
        let mut ids: Vec<String> = standard.rules().rules().iter().map(|r| r.id.clone()).collect();
        ids.push(review::ID.to_string());
        ids
    }

    #[test]
    fn markdown_reads_like_a_handbook() {
        let dir = small();
        let standard = Standard::load(dir.path()).unwrap();
        let md = markdown(&standard);
        assert!(md.starts_with("# Acme \\| written standard\n"), "{md}");
        assert!(md.contains("- **Owner:** cx@acme.pl\n"), "{md}");
        assert!(md.contains("- **Review by:** 2027-06-30\n"), "{md}");
        assert!(md.contains("- **Languages:** Polski (pl, default), English (en)\n"), "{md}");
        // The pack, escaped, with its owner and review date; the contents link to it.
        assert!(md.contains("## Plain\\_speaking \\*pack\\*\n"), "{md}");
        assert!(md.contains("1. [Plain\\_speaking \\*pack\\*](#plain_speaking-pack) — 7 rules\n"), "{md}");
        assert!(md.contains("**Owner:** voice@acme.pl · **Review by:** 2026-12-31"), "{md}");
        // Groups in order.
        let always = md.find("### Always write").unwrap();
        let never = md.find("### Never write").unwrap();
        let keep = md.find("### Keep it").unwrap();
        assert!(always < never && never < keep);
        // The forbidden phrase and its suggestion in one row; later rows point up.
        assert!(md.contains("| wina systemu | Sprawdzimy to i odpowiemy do \\[data\\]. |\n"), "{md}");
        assert!(md.contains("| nie wiem \\<b\\>\\& | *as above* |\n"), "{md}");
        assert!(md.contains("| system error | We will look into it by \\[date\\]. |\n"), "{md}");
        assert!(md.contains("**Polski**\n\n| Never write | Write instead |"), "{md}");
        // The required phrases per language, the region in words, the letters by title.
        assert!(md.contains("In the closing (last 3 paragraphs), write one of:"), "{md}");
        assert!(md.contains("- **Polski:** “Dziękujemy”, “dziękuj\\*”\n"), "{md}");
        assert!(md.contains("- **English:** “Thank you”\n"), "{md}");
        assert!(md.contains("`plain.thanks` · **error** · require · Letters: Invoice letter\n"), "{md}");
        assert!(md.contains("`complaint-reply` (no letter of this kind yet)"), "{md}");
        // Limits in plain words.
        assert!(md.contains("**At most 1 exclamation mark per letter.**"), "{md}");
        assert!(md.contains("**No words in capitals in a letter.**"), "{md}");
        assert!(md.contains("Not counted: `IBAN`."), "{md}");
        // Fields with what they hold, the frame, the deadline.
        assert!(md.contains("- `customer.name` — The addressee.\n"), "{md}");
        assert!(md.contains("followed by the signature of Acme S.A.:"), "{md}");
        assert!(md.contains("is at most 14 business days after `complaint.received`"), "{md}");
        assert!(md.contains("*Why:* Kindness is the brand.\n"), "{md}");
        // Reviews, letters, appendix.
        assert!(md.contains("more than 14 days after it, an error"), "{md}");
        assert!(md.contains("| Rule pack: Plain\\_speaking \\*pack\\* | voice@acme.pl | 2026-12-31 |\n"), "{md}");
        assert!(
            md.contains("| Invoice letter | `x` | `invoice` | billing@acme.pl | 2027-03-31 | email, letter |\n"),
            "{md}"
        );
        for doc in docs() {
            assert!(md.contains(&format!("### {}\n", doc.name)), "{md}");
        }
        assert!(md.contains("**What it checks.**") && md.contains("**Write instead.**"), "{md}");
        for id in ids(&standard) {
            assert!(md.contains(&format!("`{id}`")), "{id} missing");
        }
        assert_eq!(md, markdown(&standard), "deterministic");
    }

    #[test]
    fn html_is_one_safe_page() {
        let dir = small();
        let standard = Standard::load(dir.path()).unwrap();
        let page = html(&standard);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
        assert!(page.trim_end().ends_with("</html>"));
        assert!(page.contains("<style>") && page.contains("@media print"));
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script"), "no scripts");
        assert!(
            !lower.contains("src=")
                && !lower.contains("<link")
                && !lower.contains("@import")
                && !lower.contains("url(")
        );
        assert!(page.contains("<title>Acme | written standard</title>"));
        // User text is escaped, and carries its language.
        assert!(page.contains("<span class=\"phrase\" lang=\"pl\">nie wiem &lt;b&gt;&amp;</span>"), "{page}");
        assert!(!page.contains("<b>&"));
        assert!(
            page.contains("<td class=\"instead\" rowspan=\"2\" lang=\"pl\">Sprawdzimy to i odpowiemy do [data].</td>"),
            "{page}"
        );
        assert!(page.contains("<th class=\"never\" scope=\"col\">Never write</th>"));
        assert!(page.contains("At most 1 exclamation mark per letter."));
        assert!(page.contains("<h2>Plain_speaking *pack*</h2>"));
        for id in ids(&standard) {
            assert!(page.contains(&format!("<code class=\"id\">{id}</code>")), "{id} missing");
        }
        assert_eq!(page, html(&standard), "deterministic");
    }

    #[test]
    fn markdown_escapes_and_anchors() {
        assert_eq!(md_text("a|b *c* _d_ [e](f) <g> & `h`"), "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\& \\`h\\`");
        assert_eq!(md_para("- not a list"), "\\- not a list");
        assert_eq!(md_para("1. not a list"), "1\\. not a list");
        assert_eq!(md_code("a`b", false), "``a`b``");
        assert_eq!(md_code("a|b", true), "`a\\|b`");
        assert_eq!(slug("Brand voice"), "brand-voice");
        assert_eq!(slug("Zażółć, gęślą!"), "zażółć-gęślą");
        assert_eq!(language("pl"), "Polski");
        assert_eq!(language("en-GB"), "English (en-GB)");
        assert_eq!(language("xx"), "xx");
    }

    #[test]
    fn the_bundled_standard_prints_every_rule() {
        let standard = Standard::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (md, page) = (markdown(&standard), html(&standard));
        for id in ids(&standard) {
            assert!(md.contains(&format!("`{id}`")), "{id} missing from the Markdown");
            assert!(page.contains(&format!("<code class=\"id\">{id}</code>")), "{id} missing from the HTML");
        }
        for pack in standard.rules().packs() {
            assert!(md.contains(&format!("## {}\n", md_text(&pack.name))), "{}", pack.name);
        }
    }
}
