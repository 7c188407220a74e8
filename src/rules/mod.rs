//! The standard as rules: packs loaded and compiled once, then applied to every rendered letter
//! (subject and text, per locale) in every place that renders.
//!
//! Each rule kind is one file under `kinds/` (its parsing, check, documentation and handbook
//! text), found through the registry in `kinds/mod.rs`. Findings are [`Diagnostic`]s, never
//! errors.

pub mod kinds;
mod matcher;
pub mod pack;
pub mod prose;
pub mod text;
pub mod trace;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity, Spot};
use crate::error::{Error, ErrorKind, Result};
use crate::locale::format::Formats;
use crate::source::{Location, SourceFile};
pub use kinds::Kind;
use matcher::{Match, Matcher};
use text::Folded;

/// A rule pack: a file of rules with an owner and a review date.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The file name without `.toml` (`courtesy`).
    pub id: String,
    /// A readable name.
    pub name: String,
    /// Who answers for it.
    pub owner: String,
    /// It is reviewed by then.
    pub review_by: jiff::civil::Date,
    /// What it is for.
    pub description: Option<String>,
    /// Its file.
    pub file: SourceFile,
}

/// One rule of the standard.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted id naming the problem (`courtesy.missing-thanks`).
    pub id: String,
    /// The pack it belongs to.
    pub pack: String,
    /// How much breaking it matters.
    pub severity: Severity,
    /// What a finding says.
    pub message: String,
    /// Why it matters, for the handbook.
    pub why: Option<String>,
    /// Template kinds it applies to; empty: all.
    pub applies_to: Vec<String>,
    /// What it checks.
    pub kind: Kind,
    /// Where the rule is declared.
    pub declared_at: Location,
}

/// Where in a letter a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// The whole text.
    Whole,
    /// The first `n` paragraphs (address block, date line, salutation).
    Opening(usize),
    /// The last `n` paragraphs (courtesy line, closing formula, signature).
    Closing(usize),
    /// The subject line.
    Subject,
}

impl Region {
    /// Parses `whole`, `opening`, `closing`, `subject`; `n` paragraphs for opening and closing.
    pub fn parse(name: &str, n: usize) -> Option<Region> {
        match name {
            "whole" => Some(Region::Whole),
            "opening" => Some(Region::Opening(n.max(1))),
            "closing" => Some(Region::Closing(n.max(1))),
            "subject" => Some(Region::Subject),
            _ => None,
        }
    }

    /// The region in words, for messages and the handbook.
    pub fn describe(&self) -> String {
        match self {
            Region::Whole => "anywhere in the letter".into(),
            Region::Opening(n) => format!("in the opening (first {n} paragraphs)"),
            Region::Closing(n) => format!("in the closing (last {n} paragraphs)"),
            Region::Subject => "in the subject line".into(),
        }
    }
}

/// Phrases per locale, as written and as matched.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    /// Locale → phrases.
    pub by_locale: BTreeMap<String, Vec<Phrase>>,
    /// Locale → regular expressions over folded text.
    pub patterns: BTreeMap<String, Vec<regex::Regex>>,
}

/// One phrase: `Dziękujemy`, or a stem `dziękuj*` matching every inflected form.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// As written in the pack.
    pub written: String,
    /// Folded for matching, without the `*`.
    pub folded: String,
    /// `folded` between spaces: a whole-word needle for folded text.
    pub padded: String,
    /// Matches any word that starts with `folded`.
    pub stem: bool,
}

impl Phrases {
    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.by_locale.values().all(Vec::is_empty) && self.patterns.values().all(Vec::is_empty)
    }

    /// The phrases of `locale` as written, for messages and the handbook.
    pub fn written(&self, locale: &str) -> Vec<&str> {
        self.by_locale.get(locale).map(|l| l.iter().map(|p| p.written.as_str()).collect()).unwrap_or_default()
    }
}

/// A suppression written in a template: `{# missive-allow: rule.id — reason #}`.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The rule silenced.
    pub rule: String,
    /// Why, shown in reports.
    pub reason: String,
    /// Where it is written.
    pub at: Location,
}

/// Finds the suppressions in a template's text.
pub fn suppressions(file: &SourceFile) -> Vec<Suppression> {
    let mut out = Vec::new();
    let text = &*file.text;
    let mut from = 0;
    while let Some(i) = text[from..].find("{#") {
        let start = from + i;
        let Some(len) = text[start..].find("#}") else { break };
        let inner = text[start + 2..start + len].trim();
        from = start + len + 2;
        let Some(rest) = inner.strip_prefix("missive-allow:") else { continue };
        let rest = rest.trim();
        let (rule, reason) = match rest.find(|c: char| c.is_whitespace()) {
            Some(i) => (&rest[..i], rest[i..].trim().trim_start_matches(['—', '-', ':']).trim()),
            None => (rest, ""),
        };
        out.push(Suppression {
            rule: rule.to_string(),
            reason: reason.to_string(),
            at: file.location(start..start + len + 2),
        });
    }
    out
}

/// A rendered letter as the rules see it.
pub struct Input<'a> {
    /// The template id.
    pub template: &'a str,
    /// The template's kind (`invoice`).
    pub kind: &'a str,
    /// The locale folder tag.
    pub locale: &'a str,
    /// The subject line.
    pub subject: &'a str,
    /// The plain-text rendition.
    pub text: &'a str,
    /// The record's typed values, as the template saw them.
    pub fields: &'a tera::Map,
    /// The locale's formatters, to find field values as the letter prints them.
    pub formats: &'a Formats,
    /// The sender's company, which signs every letter.
    pub sender: &'a str,
    /// How many files the email carries: the record's `attachments`, plus the letter's own
    /// PDF when the template attaches it (`attach_pdf`), which then carries the files marked
    /// `embed` inside it instead of beside it (so they are not counted twice).
    pub attachments: usize,
}

/// A phrase found by the matcher: (pattern index, folded range).
type PhraseMatch = (usize, Range<usize>);

/// What the rule kinds get: the input, folded and split, computed once per letter.
pub struct Prepared<'a> {
    /// The input.
    pub input: &'a Input<'a>,
    /// The text, folded.
    pub text: Folded,
    /// Paragraphs of the original text.
    pub paragraphs: Vec<Range<usize>>,
    /// Phrase matches in the text: (pattern index, folded range).
    pub text_matches: Vec<(usize, Range<usize>)>,
    /// The subject folded, and its phrase matches, when a rule first looks there: few rules
    /// do (none of the bundled standard's), and folding and searching it cost a letter more
    /// than reading every rule's matches.
    subject: std::cell::OnceCell<(Folded, Vec<PhraseMatch>)>,
    /// The phrases of every rule, to find the subject's matches with.
    matcher: &'a Matcher,
    /// The measures of the whole text, counted once when a limit first asks.
    stats: std::cell::OnceCell<text::measure::Stats>,
}

impl<'a> Prepared<'a> {
    /// Prepares a letter: folds its text and finds every rule's phrases in it.
    fn new(input: &'a Input<'a>, matcher: &'a Matcher) -> Prepared<'a> {
        let mut text = Folded::new(input.text);
        let paragraphs = std::mem::take(&mut text.paragraphs);
        let text_matches = matcher.find(input.locale, &text.text);
        Prepared {
            input,
            text,
            paragraphs,
            text_matches,
            subject: std::cell::OnceCell::new(),
            matcher,
            stats: std::cell::OnceCell::new(),
        }
    }

    fn folded_subject(&self) -> &(Folded, Vec<PhraseMatch>) {
        self.subject.get_or_init(|| {
            let subject = Folded::new(self.input.subject);
            let matches = self.matcher.find(self.input.locale, &subject.text);
            (subject, matches)
        })
    }

    /// The subject, folded.
    pub fn subject(&self) -> &Folded {
        &self.folded_subject().0
    }

    /// Phrase matches in the subject: (pattern index, folded range).
    pub fn subject_matches(&self) -> &[(usize, Range<usize>)] {
        &self.folded_subject().1
    }

    /// The measures of the whole text.
    pub fn stats(&self) -> &text::measure::Stats {
        self.stats.get_or_init(|| text::measure::Stats::of_paragraphs(self.input.text))
    }

    /// The original byte range of a region of the text (the subject has its own string).
    pub fn region(&self, region: Region) -> Range<usize> {
        let len = self.input.text.len();
        match region {
            Region::Whole | Region::Subject => 0..len,
            Region::Opening(n) => {
                0..self.paragraphs.get(n.min(self.paragraphs.len()).saturating_sub(1)).map_or(len, |p| p.end)
            }
            Region::Closing(n) => {
                let first = self.paragraphs.len().saturating_sub(n);
                self.paragraphs.get(first).map_or(0, |p| p.start)..len
            }
        }
    }

    /// Where a region is in the letter, for tracing a finding about it to its sources.
    pub(crate) fn spot(&self, region: Region) -> Spot {
        match region {
            Region::Subject => Spot { subject: true, range: 0..self.input.subject.len() },
            other => Spot { subject: false, range: self.region(other) },
        }
    }

    /// Where a match is in the letter, for tracing a finding about it to its source.
    pub(crate) fn spot_of(&self, m: &Match) -> Spot {
        let (folded, original) =
            if m.in_subject { (self.subject(), self.input.subject) } else { (&self.text, self.input.text) };
        Spot { subject: m.in_subject, range: folded.original(m.range.clone(), original) }
    }

    /// The folded range of a region, and which folded string it is in.
    pub fn folded_region(&self, region: Region) -> (&Folded, Range<usize>) {
        match region {
            Region::Subject => (self.subject(), 0..self.subject().text.len()),
            other => {
                let r = self.region(other);
                // Start at the space before the region's first word, so phrases at its very
                // start still match at a word boundary.
                let source = self.input.text;
                (&self.text, self.text.folded_at(r.start, source).saturating_sub(1)..self.text.folded_at(r.end, source))
            }
        }
    }
}

/// The rules of a standard, compiled: packs, rules, and one phrase matcher per locale.
pub struct Rules {
    packs: Vec<Pack>,
    rules: Vec<Rule>,
    matcher: Matcher,
}

impl Rules {
    /// Loads and compiles the packs named in `missive.toml` from `files` (`rules/*.toml`).
    pub fn new(files: &[SourceFile], in_force: &[String], locales: &[String]) -> Result<Rules> {
        let mut packs = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        for name in in_force {
            let file = files.iter().find(|f| f.name.as_ref() == format!("rules/{name}.toml")).ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!("missive.toml names the rule pack `{name}`, but rules/{name}.toml does not exist"),
                )
                .with_help(format!(
                    "create rules/{name}.toml, or remove `{name}` from [rules] packs; packs present: {}",
                    files
                        .iter()
                        .map(|f| f.name.trim_start_matches("rules/").trim_end_matches(".toml"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let (pack, pack_rules) = pack::parse(file, locales)?;
            for rule in pack_rules {
                if let Some(other) = rules.iter().find(|r| r.id == rule.id) {
                    return Err(Error::new(
                        ErrorKind::Config,
                        format!(
                            "{}: rule `{}` is defined twice (also at {})",
                            rule.declared_at, rule.id, other.declared_at
                        ),
                    )
                    .with_help("rule ids are stable names: keep one definition, or give the other its own id"));
                }
                rules.push(rule);
            }
            packs.push(pack);
        }
        let matcher = Matcher::new(&rules, locales);
        Ok(Rules { packs, rules, matcher })
    }

    /// No rules at all.
    pub fn empty() -> Rules {
        Rules { packs: Vec::new(), rules: Vec::new(), matcher: Matcher::new(&[], &[]) }
    }

    /// The packs in force, in `missive.toml` order.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Every rule, pack by pack.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether a rule with this id exists.
    pub fn has(&self, id: &str) -> bool {
        self.rules.iter().any(|r| r.id == id)
    }

    /// Whether `folded` text (as [`Folded::text`] makes it) holds one of rule `code`'s phrases
    /// in language `locale`: where in another language's wording a missing phrase belongs.
    pub(crate) fn says(&self, code: &str, locale: &str, folded: &str) -> bool {
        let Some(rule) = self.rules.iter().find(|r| r.id == code) else { return false };
        rule.kind.get().phrase_lists().iter().any(|phrases| {
            let words = phrases.by_locale.get(locale).is_some_and(|list| {
                list.iter().any(|p| {
                    if p.stem { folded.contains(&format!(" {}", p.folded)) } else { folded.contains(&p.padded) }
                })
            });
            words || phrases.patterns.get(locale).is_some_and(|list| list.iter().any(|r| r.is_match(folded)))
        })
    }

    /// Applies every rule that applies to the letter's template kind.
    // Never inlined: one call a letter, and profiles (scripts/stage_costs.sh) see the stage.
    #[inline(never)]
    pub fn check(&self, input: &Input<'_>) -> Vec<Diagnostic> {
        self.check_where(input, |_| true)
    }

    /// Applies only the `forbid` rules: for text that is not a letter, such as the email shell's
    /// header and footer, which no letter may carry a forbidden phrase in either.
    pub fn check_forbidden(&self, input: &Input<'_>) -> Vec<Diagnostic> {
        self.check_where(input, |kind| matches!(kind, Kind::Forbid(_)))
    }

    fn check_where(&self, input: &Input<'_>, wanted: impl Fn(&Kind) -> bool) -> Vec<Diagnostic> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let prepared = Prepared::new(input, &self.matcher);
        let mut out = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            if !wanted(&rule.kind) || (!rule.applies_to.is_empty() && !rule.applies_to.iter().any(|k| k == input.kind))
            {
                continue;
            }
            let before = out.len();
            rule.kind.check(&Checking { rule, index, prepared: &prepared, matcher: &self.matcher }, &mut out);
            for finding in &mut out[before..] {
                finding.template = Some(input.template.to_string());
                finding.locale = Some(input.locale.to_string());
            }
        }
        out
    }
}

/// One rule checking one letter: what a kind's check gets.
pub struct Checking<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Its place among the standard's rules (the matcher knows its phrases by it).
    index: usize,
    /// The letter, folded and split.
    pub prepared: &'a Prepared<'a>,
    /// The phrases of every rule, found in the letter.
    matcher: &'a Matcher,
}

impl Checking<'_> {
    /// The rule's phrase (and pattern) matches within `region`.
    pub fn matches(&self, region: Region) -> Vec<Match> {
        self.matcher.matches_of(self.index, self.prepared, region)
    }

    /// Whether list `list` of the rule's [`kinds::RuleKind::phrase_lists`] has a phrase as a
    /// whole word within the folded `range`, read from the matches; `None` when the locale has
    /// no automaton of its own.
    pub fn has_word(&self, list: u8, range: Range<usize>) -> Option<bool> {
        self.matcher.has_word(self.index, list, self.prepared, range)
    }

    /// A finding of the rule, its message followed by `detail` in brackets.
    pub fn finding(&self, detail: Option<String>) -> Diagnostic {
        finding(self.rule, detail)
    }

    /// A finding about `region` of the letter (a phrase missing there): traced to the sources
    /// of the region's text.
    pub fn finding_in(&self, region: Region, detail: Option<String>) -> Diagnostic {
        let mut d = finding(self.rule, detail);
        d.spot = Some(self.prepared.spot(region));
        d
    }
}

/// A finding of `rule` with its own severity and message.
pub(crate) fn finding(rule: &Rule, detail: Option<String>) -> Diagnostic {
    let message = match detail {
        Some(d) => format!("{} ({d})", rule.message),
        None => rule.message.clone(),
    };
    let mut d = Diagnostic::new(rule.severity, rule.id.clone(), message);
    d.why = rule.why.clone();
    d
}
