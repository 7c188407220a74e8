//! Rules in words: a kind's documentation, and the spans and blocks a rule is described in.
//!
//! Each rule kind describes its rules once, in these terms (`kinds/<kind>.rs`); the handbook
//! (`missive rules`) only adds Markdown or HTML markup and escaping, so its two formats never
//! disagree about what the standard says.

use super::{Phrases, Region};

/// A rule kind's documentation: its name and an example. What it checks, why it matters and
/// what to write instead are the handbook's words, in each language (`kind-<name>-what`,
/// `-why`, `-instead` in `locales/<lang>/handbook.ftl`).
#[derive(Debug, Clone, Copy)]
pub struct KindDoc {
    /// The kind as written in packs.
    pub name: &'static str,
    /// A rule of this kind, in TOML.
    pub example: &'static str,
}

/// Inline content; the writer chooses the markup and the escaping.
pub enum Span {
    /// Plain words.
    Text(String),
    /// Words to stand out.
    Strong(String),
    /// An id, a field path, a file name.
    Code(String),
    /// A phrase of the standard, written in the language `lang`.
    Phrase {
        /// The phrase as written in the pack.
        text: String,
        /// Its language tag.
        lang: String,
    },
    /// A regular expression of the standard.
    Pattern(String),
}

/// Plain words as a span.
pub fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

/// Block content of a rule.
pub enum Block {
    /// A paragraph.
    Para(Vec<Span>),
    /// A lead-in, then one line of phrases per language.
    Languages {
        /// The lead-in.
        lead: Vec<Span>,
        /// (language tag, its phrases), in `missive.toml` order.
        lines: Vec<(String, Vec<Span>)>,
    },
    /// One language's "Never write | Write instead" table.
    Swap {
        /// The language tag.
        lang: String,
        /// The phrases never to write.
        never: Vec<Span>,
        /// The standard's wording instead, if it has one.
        instead: Option<String>,
    },
    /// A lead-in, then field paths with what they hold.
    Fields {
        /// The lead-in.
        lead: Vec<Span>,
        /// (field path, its description).
        fields: Vec<(String, Option<String>)>,
    },
}

/// The three headings a pack's rules are grouped under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// What a letter must contain (require, field, structure, deadline, promise).
    Always,
    /// Phrasing never to use (forbid and substitute).
    Never,
    /// Limits of tone and length (limit).
    Keep,
}

impl Group {
    /// In the order the handbook shows them.
    pub const ALL: [Group; 3] = [Group::Always, Group::Never, Group::Keep];

    /// The message id of its heading; `<id>-blurb` is the line under it.
    pub fn message(self) -> &'static str {
        match self {
            Group::Always => "group-always",
            Group::Never => "group-never",
            Group::Keep => "group-keep",
        }
    }

    /// The CSS class of its section.
    pub fn class(self) -> &'static str {
        match self {
            Group::Always => "always",
            Group::Never => "never",
            Group::Keep => "keep",
        }
    }
}

/// What a kind may ask of the standard when it describes a rule.
pub struct Describing<'a> {
    /// The standard's languages, in `missive.toml` order.
    pub locales: &'a [String],
    /// The sender's company, which signs every letter.
    pub company: &'a str,
    /// What a field holds, from the templates' declarations (the rule's letters first).
    pub field: &'a dyn Fn(&str) -> Option<String>,
    /// The handbook's words, in its language.
    pub words: &'a dyn Say,
}

/// A value given to one of the handbook's messages.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text from the standard (a name, a field path): printed as written, never read as markup.
    Text(&'a str),
    /// A key the message selects on (`business`, `attachment`): passed as it is.
    Key(&'a str),
    /// A number, printed the language's way and selecting plural forms.
    Num(f64),
}

/// The handbook's words in one language: Fluent messages (`locales/<lang>/handbook.ftl`), the
/// standard's own where it has them, else missive's built-in copy of the same language.
pub trait Say {
    /// Message `id` with `args`, as spans: `code` in backticks and **strong** words marked.
    fn spans(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Vec<Span>;

    /// Message `id` with `args`, as plain text (marks removed).
    fn say(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.spans(id, args)
            .into_iter()
            .map(|span| match span {
                Span::Text(s) | Span::Strong(s) | Span::Code(s) | Span::Pattern(s) => s,
                Span::Phrase { text, .. } => text,
            })
            .collect()
    }
}

impl Region {
    /// The region in the handbook's words ("in the closing (last 3 paragraphs)").
    pub fn say(&self, words: &dyn Say) -> String {
        match *self {
            Region::Whole => words.say("region-whole", &[]),
            Region::Opening(n) => words.say("region-opening", &[("n", Arg::Num(n as f64))]),
            Region::Closing(n) => words.say("region-closing", &[("n", Arg::Num(n as f64))]),
            Region::Subject => words.say("region-subject", &[]),
        }
    }
}

/// One line of phrases per language, in `missive.toml` order.
pub fn phrase_lines(phrases: &Phrases, locales: &[String]) -> Vec<(String, Vec<Span>)> {
    locales.iter().map(|tag| (tag.clone(), phrase_items(phrases, tag))).collect()
}

/// The phrases and patterns of one language.
pub fn phrase_items(phrases: &Phrases, tag: &str) -> Vec<Span> {
    let mut out: Vec<Span> =
        phrases.written(tag).into_iter().map(|p| Span::Phrase { text: p.to_string(), lang: tag.to_string() }).collect();
    if let Some(patterns) = phrases.patterns.get(tag) {
        out.extend(patterns.iter().map(|re| Span::Pattern(re.as_str().to_string())));
    }
    out
}

/// The first letter in capitals.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A message's text as spans: `code` between backticks, **strong** between double stars, the
/// rest plain words.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub fn marked(s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, part) in s.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            out.push(Span::Code(part.to_string()));
            continue;
        }
        for (j, piece) in part.split("**").enumerate() {
            if !piece.is_empty() {
                out.push(if j % 2 == 1 { Span::Strong(piece.to_string()) } else { text(piece) });
            }
        }
    }
    out
}

/// The handbook's built-in English words, straight from the file, for the kinds' own tests.
#[cfg(test)]
pub(crate) struct English(crate::locale::fluent::Bundle);

#[cfg(test)]
impl English {
    /// Loads `locales/en/handbook.ftl`.
    pub(crate) fn load() -> English {
        let formats = std::sync::Arc::new(crate::locale::format::Formats::new("en", Default::default()).unwrap());
        let file = crate::source::SourceFile::new("handbook.ftl", include_str!("../../locales/en/handbook.ftl"));
        English(crate::locale::fluent::Bundle::load("en".parse().unwrap(), formats, &[file]).unwrap())
    }
}

#[cfg(test)]
impl Say for English {
    fn spans(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Vec<Span> {
        let mut fluent = fluent_bundle::FluentArgs::new();
        for (name, arg) in args {
            match *arg {
                Arg::Text(s) | Arg::Key(s) => fluent.set(*name, s.to_string()),
                Arg::Num(n) => fluent.set(*name, n),
            }
        }
        let mut out = String::new();
        self.0.format(id, Some(&fluent), &mut out).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        marked(&out)
    }
}
