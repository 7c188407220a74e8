//! The handbook described once: the standard's packs with their rules grouped and described by
//! their kinds, the review calendar, and the words both writers share.

use super::words::Words;
use crate::diagnostic::Severity;
use crate::rules::prose::{Arg, Block, Describing, Group, Say, Span, text};
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
    /// The handbook's words, in its language.
    pub(super) words: &'a Words,
    /// Its packs, in force order.
    pub(super) packs: Vec<PackView<'a>>,
    /// Every rule of every pack.
    pub(super) rule_count: usize,
    /// The standard, its packs and templates, by review date.
    pub(super) calendar: Vec<Due<'a>>,
}

impl<'a> Book<'a> {
    /// Describes `standard` in `words`.
    pub(super) fn new(standard: &'a Standard, words: &'a Words) -> Book<'a> {
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
                                letters: letters(standard, words, &rule.applies_to),
                                blocks: describe(standard, words, rule),
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
            vec![Due { what: words.say("calendar-standard", &[]), owner: &info.owner, review_by: info.review_by }];
        calendar.extend(rules.packs().iter().map(|p| Due {
            what: words.say("calendar-pack", &[("name", Arg::Text(&p.name))]),
            owner: &p.owner,
            review_by: p.review_by,
        }));
        calendar.extend(standard.templates().iter().map(|t| Due {
            what: words.say("calendar-letter", &[("title", Arg::Text(&t.meta.title))]),
            owner: &t.meta.owner,
            review_by: t.meta.review_by,
        }));
        calendar.sort_by(|a, b| (a.review_by, &a.what).cmp(&(b.review_by, &b.what)));
        Book { standard, words, packs, rule_count: rules.rules().len(), calendar }
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
                let args = [("language", Arg::Text(&name)), ("tag", Arg::Text(tag))];
                match (name == *tag, tag == default) {
                    (true, true) => self.words.say("language-tag-default", &args),
                    (true, false) => tag.clone(),
                    (false, true) => self.words.say("language-default", &args),
                    (false, false) => self.words.say("language-other", &args),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "12 in 4 packs, and `review.overdue` built in".
    pub(super) fn summary(&self) -> Vec<Span> {
        self.words.spans(
            "rules-summary",
            &[
                ("rules", Arg::Num(self.rule_count as f64)),
                ("packs", Arg::Num(self.packs.len() as f64)),
                ("review", Arg::Text(crate::rules::kinds::review::ID)),
            ],
        )
    }

    /// The paragraph that says how to read the handbook.
    pub(super) fn intro(&self) -> Vec<Span> {
        self.words.spans("intro", &[("company", Arg::Text(&self.standard.config().sender.company))])
    }

    /// The built-in review rule, in words.
    pub(super) fn review_rule(&self) -> Vec<Span> {
        let grace = self.standard.config().rules.review_grace_days;
        self.words.spans("review-rule", &[("grace", Arg::Num(f64::from(grace)))])
    }

    /// A word of the handbook (a heading, a label).
    pub(super) fn say(&self, id: &str) -> String {
        self.words.say(id, &[])
    }

    /// A severity's name.
    pub(super) fn severity(&self, severity: Severity) -> String {
        self.words.say(&format!("severity-{severity}"), &[])
    }

    /// "1 rule", "3 rules".
    pub(super) fn rules_count(&self, n: usize) -> String {
        self.words.say("rule-count", &[("count", Arg::Num(n as f64))])
    }

    /// A kind's documentation (`what`, `why`, `instead`), with its `code` spans.
    pub(super) fn kind_doc(&self, kind: &str, part: &str) -> Vec<Span> {
        self.words.spans(&format!("kind-{kind}-{part}"), &[])
    }
}

/// The letters a rule covers: template titles by kind, or every letter.
pub(crate) fn letters(standard: &Standard, words: &dyn Say, applies_to: &[String]) -> Vec<Span> {
    if applies_to.is_empty() {
        return words.spans("letters-all", &[]);
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
            out.push(text(" "));
            out.extend(words.spans("letters-none-yet", &[]));
        } else {
            out.push(text(titles.join(", ")));
        }
    }
    out
}

/// What a rule asks, in words: its kind describes it.
pub(crate) fn describe(standard: &Standard, words: &dyn Say, rule: &Rule) -> Vec<Block> {
    let field = |path: &str| field_description(standard, rule, path);
    let with = Describing {
        locales: &standard.config().standard.locales,
        company: &standard.config().sender.company,
        field: &field,
        words,
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
