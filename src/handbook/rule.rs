//! One rule explained for a person (`missive rules <id>`): what a finding says, why, the
//! phrases per language, what to write instead, its severity and scope, how to suppress it,
//! and where the published handbook shows it. Text in the handbook's language, or JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{describe, language, letters};
use super::words::Words;
use crate::diagnostic::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::rules::Rule;
use crate::rules::kinds::review;
use crate::rules::prose::{Arg, Block, Say, Span};
use crate::standard::Standard;

/// One rule, explained: the JSON of `missive rules <id> --format json`.
#[derive(Debug, Serialize)]
pub struct Explanation {
    /// The rule's id.
    pub id: String,
    /// The language the words (`where`, `letters`, `description`) are in.
    pub locale: String,
    /// What a finding says.
    pub message: String,
    /// Why it matters.
    pub why: Option<String>,
    /// The rule's kind as packs write it (`forbid`; `review` for the built-in rule).
    pub kind: String,
    /// The handbook's heading it is listed under, in words.
    pub group: String,
    /// `error`, `warning` or `info` (the built-in review rule: `warning`, an error after the
    /// grace period).
    pub severity: Severity,
    /// The pack it belongs to (`None` for the built-in review rule).
    pub pack: Option<PackRef>,
    /// The template kinds it applies to; empty: every letter.
    pub applies_to: Vec<String>,
    /// The templates it covers, by id.
    pub templates: Vec<String>,
    /// The letters it covers, in words.
    pub letters: String,
    /// Where in a letter it looks, in words (for kinds that look in one part).
    #[serde(rename = "where")]
    pub region: Option<String>,
    /// Its phrases per language, as written.
    pub phrases: BTreeMap<String, Vec<String>>,
    /// Its regular expressions per language.
    pub patterns: BTreeMap<String, Vec<String>>,
    /// The standard's wording to write instead, per language.
    pub suggest: BTreeMap<String, String>,
    /// What it asks, in words: the handbook's paragraphs, one line each.
    pub description: Vec<String>,
    /// The comment that silences it in a template (`None`: it cannot be silenced).
    pub suppress: Option<String>,
    /// Its anchor in the HTML handbook (`rule-<id>`).
    pub anchor: String,
    /// Its entry in the published handbook (`[standard] handbook_url` and the anchor).
    pub handbook_url: Option<String>,
    /// Where it is declared.
    pub declared_at: Option<Place>,
}

/// A rule's pack.
#[derive(Debug, Serialize)]
pub struct PackRef {
    /// Its id (the file name without `.toml`).
    pub id: String,
    /// Its readable name.
    pub name: String,
}

/// A line of a file.
#[derive(Debug, Serialize)]
pub struct Place {
    /// The file, relative to the standard's folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// The rule `id` explained in `locale` (default: the standard's default language). An id that
/// is not a rule in force is a usage error naming the closest ids.
pub fn explain(standard: &Standard, id: &str, locale: Option<&str>) -> Result<Explanation> {
    let words = Words::new(standard, locale)?;
    let explanation = if id == review::ID {
        review_rule(standard, &words)
    } else {
        let rule = standard.rules().rules().iter().find(|r| r.id == id).ok_or_else(|| unknown(standard, id))?;
        one(standard, &words, rule)
    };
    words.finish()?;
    Ok(explanation)
}

/// A rule of a pack.
fn one(standard: &Standard, words: &Words, rule: &Rule) -> Explanation {
    let kind = rule.kind.get();
    let mut phrases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut patterns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for list in kind.phrase_lists() {
        for (tag, items) in &list.by_locale {
            phrases.entry(tag.clone()).or_default().extend(items.iter().map(|p| p.written.clone()));
        }
        for (tag, items) in &list.patterns {
            patterns.entry(tag.clone()).or_default().extend(items.iter().map(|re| re.as_str().to_string()));
        }
    }
    let pack = standard.rules().packs().iter().find(|p| p.id == rule.pack);
    Explanation {
        id: rule.id.clone(),
        locale: words.tag().to_string(),
        message: rule.message.clone(),
        why: rule.why.clone(),
        kind: rule.kind.name().to_string(),
        group: words.say(kind.group().message(), &[]),
        severity: rule.severity,
        pack: Some(PackRef { id: rule.pack.clone(), name: pack.map_or_else(|| rule.pack.clone(), |p| p.name.clone()) }),
        applies_to: rule.applies_to.clone(),
        templates: standard
            .templates()
            .iter()
            .filter(|t| rule.applies_to.is_empty() || rule.applies_to.contains(&t.meta.kind))
            .map(|t| t.id.clone())
            .collect(),
        letters: plain(&letters(standard, words, &rule.applies_to)),
        region: kind.within().map(|region| region.say(words)),
        phrases,
        patterns,
        suggest: kind.suggestions().cloned().unwrap_or_default(),
        description: lines(words, &describe(standard, words, rule)),
        suppress: Some(format!("{{# missive-allow: {} — {} #}}", rule.id, words.say("rule-reason", &[]))),
        anchor: format!("rule-{}", rule.id),
        handbook_url: handbook_url(standard, &rule.id),
        declared_at: Some(Place { file: rule.declared_at.file.clone(), line: rule.declared_at.line }),
    }
}

/// The built-in review rule.
fn review_rule(standard: &Standard, words: &Words) -> Explanation {
    let grace = standard.config().rules.review_grace_days;
    Explanation {
        id: review::ID.to_string(),
        locale: words.tag().to_string(),
        message: words.say("review-title", &[]),
        why: Some(words.say("kind-review-why", &[])),
        kind: "review".into(),
        group: words.say("reviews", &[]),
        severity: Severity::Warning,
        pack: None,
        applies_to: Vec::new(),
        templates: standard.templates().iter().map(|t| t.id.clone()).collect(),
        letters: words.say("letters-reviewed", &[]),
        region: None,
        phrases: BTreeMap::new(),
        patterns: BTreeMap::new(),
        suggest: BTreeMap::new(),
        description: vec![words.say("review-rule", &[("grace", Arg::Num(f64::from(grace)))])],
        suppress: None,
        anchor: format!("rule-{}", review::ID),
        handbook_url: handbook_url(standard, review::ID),
        declared_at: None,
    }
}

/// The rule's entry in the published handbook, as SARIF's `helpUri` links it.
fn handbook_url(standard: &Standard, id: &str) -> Option<String> {
    let base = standard.config().standard.handbook_url.as_deref()?;
    Some(format!("{}#rule-{id}", base.split('#').next().unwrap_or(base)))
}

/// The usage error for an id that is not a rule, with the closest ids.
fn unknown(standard: &Standard, id: &str) -> Error {
    let mut ids: Vec<&str> = standard.rules().rules().iter().map(|r| r.id.as_str()).collect();
    ids.push(review::ID);
    let asked = id.to_lowercase();
    let distance = |candidate: &str| {
        let tail = candidate.rsplit('.').next().unwrap_or(candidate);
        let d = strsim::levenshtein(candidate, &asked).min(strsim::levenshtein(tail, &asked));
        if candidate.contains(asked.as_str()) && !asked.is_empty() { 0 } else { d }
    };
    let mut close: Vec<(usize, &str)> =
        ids.iter().map(|c| (distance(c), *c)).filter(|(d, _)| *d <= 3.max(asked.chars().count() / 3)).collect();
    close.sort();
    let help = match close.as_slice() {
        [] => "`missive rules` prints the handbook with every rule's id".to_string(),
        close => format!(
            "did you mean {}? `missive rules` prints the handbook with every rule's id",
            close.iter().take(3).map(|(_, c)| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    Error::new(ErrorKind::Usage, format!("`{id}` is not a rule of this standard")).with_help(help)
}

/// Spans as plain text, phrases in quotation marks.
fn plain(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Text(s) | Span::Strong(s) | Span::Code(s) => s.clone(),
            Span::Phrase { text, .. } => format!("“{text}”"),
            Span::Pattern(re) => format!("/{re}/"),
        })
        .collect()
}

/// The kind's description, one line per paragraph or item.
fn lines(words: &Words, blocks: &[Block]) -> Vec<String> {
    let list = |items: &[Span]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.iter().map(|s| plain(std::slice::from_ref(s))).collect::<Vec<_>>().join(", ")
        }
    };
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Para(spans) => out.push(plain(spans)),
            Block::Languages { lead, lines } => {
                out.push(plain(lead));
                out.extend(lines.iter().map(|(tag, items)| format!("- {}: {}", language(tag), list(items))));
            }
            Block::Swap { lang, never, instead } => {
                let instead = instead.clone().unwrap_or_else(|| words.say("no-set-wording", &[]));
                out.push(format!(
                    "- {}: {}: {} — {}: {instead}",
                    language(lang),
                    words.say("never-write", &[]),
                    list(never),
                    words.say("write-instead", &[]).to_lowercase()
                ));
            }
            Block::Fields { lead, fields } => {
                out.push(plain(lead));
                out.extend(fields.iter().map(|(path, d)| match d {
                    Some(d) => format!("- {path} — {d}"),
                    None => format!("- {path}"),
                }));
            }
        }
    }
    out
}

impl Explanation {
    /// The explanation for a person, labels in the handbook's language.
    pub fn text(&self, standard: &Standard) -> Result<String> {
        let words = Words::new(standard, Some(&self.locale))?;
        let say = |id: &str| words.say(id, &[]);
        let mut out = format!("{} — {}\n\n", self.id, self.message);
        let mut facts: Vec<(String, String)> = Vec::new();
        if let Some(pack) = &self.pack {
            facts.push((say("rule-pack"), pack.name.clone()));
        }
        facts.push((say("rule-kind"), format!("{} · {}", self.kind, self.group)));
        let severity = words.say(&format!("severity-{}", self.severity), &[]);
        let severity = if self.pack.is_none() {
            format!("{severity}, {} {}", say("then"), words.say("severity-error", &[]))
        } else {
            severity
        };
        facts.push((say("rule-severity"), severity));
        facts.push((say("letters"), self.letters.clone()));
        if self.pack.is_some() {
            let templates =
                if self.templates.is_empty() { say("rule-templates-none") } else { self.templates.join(", ") };
            facts.push((say("rule-templates"), templates));
        }
        if let Some(region) = &self.region {
            facts.push((say("rule-where"), region.clone()));
        }
        if let Some(at) = &self.declared_at {
            facts.push((say("rule-declared"), format!("{}:{}", at.file, at.line)));
        }
        let width = facts.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0) + 1;
        for (label, value) in &facts {
            let label = format!("{label}:");
            out.push_str(&format!("  {label:<width$} {value}\n"));
        }
        if let Some(why) = &self.why {
            out.push_str(&format!("\n{}: {why}\n", say("why")));
        }
        if !self.description.is_empty() {
            out.push('\n');
            for line in &self.description {
                let indent = if line.starts_with("- ") { "  " } else { "" };
                out.push_str(&format!("{indent}{line}\n"));
            }
        }
        out.push('\n');
        match &self.suppress {
            Some(comment) => out.push_str(&format!("{}:\n  {comment}\n", say("rule-suppress"))),
            None => out.push_str(&format!("{}\n", words.say("rule-suppress-review", &[]))),
        }
        let link =
            self.handbook_url.clone().unwrap_or_else(|| format!("#{} ({})", self.anchor, say("rule-handbook-none")));
        out.push_str(&format!("\n{}: {link}\n", say("rule-handbook")));
        words.finish()?;
        Ok(out)
    }
}
