//! The handbook described once: the standard's packs with their rules grouped and described by
//! their kinds, the review calendar, and the words both writers share.

use crate::rules::prose::{Block, Describing, Group, Span, text};
use crate::rules::{Pack, Rule};
use crate::standard::Standard;

/// A rule as the handbook shows it.
pub(super) struct Entry<'a> {
    /// The rule.
    pub(super) rule: &'a Rule,
    /// The letters it covers, in words.
    pub(super) letters: Vec<Span>,
    /// What it asks, in words.
    pub(super) blocks: Vec<Block>,
}

/// A pack with its rules grouped.
pub(super) struct PackView<'a> {
    /// The pack.
    pub(super) pack: &'a Pack,
    /// Non-empty groups, in [`Group::ALL`] order.
    pub(super) groups: Vec<(Group, Vec<Entry<'a>>)>,
    /// How many rules it has.
    pub(super) count: usize,
}

/// One line of the review calendar.
pub(super) struct Due<'a> {
    /// What is reviewed ("Rule pack: Courtesy").
    pub(super) what: String,
    /// Who reviews it.
    pub(super) owner: &'a str,
    /// By when.
    pub(super) review_by: jiff::civil::Date,
}

/// Everything the handbook shows, described once.
pub(super) struct Book<'a> {
    /// The standard.
    pub(super) standard: &'a Standard,
    /// Its packs, in force order.
    pub(super) packs: Vec<PackView<'a>>,
    /// Every rule of every pack.
    pub(super) rule_count: usize,
    /// The standard, its packs and templates, by review date.
    pub(super) calendar: Vec<Due<'a>>,
}

impl<'a> Book<'a> {
    /// Describes `standard`.
    pub(super) fn new(standard: &'a Standard) -> Book<'a> {
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
    pub(super) fn locales(&self) -> &'a [String] {
        &self.standard.config().standard.locales
    }

    /// "Polski (pl, default), English (en)".
    pub(super) fn languages(&self) -> String {
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
    pub(super) fn intro(&self) -> Vec<Span> {
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
    pub(super) fn review_rule(&self) -> Vec<Span> {
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
pub(super) fn language(tag: &str) -> String {
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
pub(super) fn doc_spans(s: &str) -> Vec<Span> {
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| if i % 2 == 1 { Span::Code(part.to_string()) } else { text(part) })
        .collect()
}

/// "1 rule", "3 rules".
pub(super) fn rules_count(n: usize) -> String {
    if n == 1 { "1 rule".into() } else { format!("{n} rules") }
}
