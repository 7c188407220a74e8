//! Rules in words: a kind's documentation, and the spans and blocks a rule is described in.
//!
//! Each rule kind describes its rules once, in these terms (`kinds/<kind>.rs`); the handbook
//! (`missive rules`) only adds Markdown or HTML markup and escaping, so its two formats never
//! disagree about what the standard says.

use super::Phrases;

/// A rule kind's documentation: what it checks, why it matters, an example, what to write instead.
#[derive(Debug, Clone, Copy)]
pub struct KindDoc {
    /// The kind as written in packs.
    pub name: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A rule of this kind, in TOML.
    pub example: &'static str,
    /// How to fix a finding.
    pub instead: &'static str,
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

    /// Its heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Always => "Always write",
            Group::Never => "Never write",
            Group::Keep => "Keep it",
        }
    }

    /// One line under the heading.
    pub fn blurb(self) -> &'static str {
        match self {
            Group::Always => "What every letter a rule covers must contain.",
            Group::Never => "Phrasing that never fits the brand, and the standard's wording to use instead.",
            Group::Keep => "Limits of tone and length.",
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
