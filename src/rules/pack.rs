//! Rule packs (`rules/<pack>.toml`) as written, checked into [`Rule`]s with every mistake
//! reported as a load error naming the file, line and rule id.
//!
//! A pack is read in steps: the TOML ([`RawPack`]), the `[pack]` table, then each rule's common
//! keys (id, severity, region, phrases) here, and its kind's own keys by the kind's parser,
//! found through [`kinds::KINDS`]. [`RawRule`] is the schema of a `[[rule]]` table, every key
//! of every kind, so that a misspelt key is refused with the list of keys there are.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::kinds;
use super::{Pack, Phrase, Phrases, Region, Rule};
use crate::diagnostic::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::rules::text::Folded;
use crate::source::{SourceFile, span};

/// A rule pack file, `rules/<pack>.toml`.
#[derive(Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    /// What the pack is and who answers for it.
    pack: RawInfo,
    /// The rules, each a `[[rule]]` table.
    #[serde(default)]
    #[cfg_attr(feature = "cli", schemars(with = "Vec<RawRule>"))]
    rule: Vec<toml::Spanned<RawRule>>,
}

/// `[pack]`.
#[derive(Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawInfo {
    /// A readable name.
    name: String,
    /// Who answers for the pack.
    owner: String,
    /// The pack is reviewed by then (YYYY-MM-DD).
    #[serde(deserialize_with = "crate::fields::toml_date")]
    #[cfg_attr(feature = "cli", schemars(with = "String", extend("format" = "date")))]
    review_by: jiff::civil::Date,
    /// What the pack checks, for the handbook.
    #[serde(default)]
    description: Option<String>,
}

/// A `[[rule]]` table as written: the common keys and every kind's own (the handbook and
/// `missive rules` say which keys each kind takes).
#[derive(Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// Dotted lower-case words naming the problem (`courtesy.missing-thanks`).
    pub(crate) id: String,
    /// The rule's kind (`require`, `forbid`, `limit`, …).
    pub(crate) kind: String,
    /// What is wrong, in one sentence, as the finding says it.
    pub(crate) message: String,
    /// `error` (default), `warning` or `info`.
    #[serde(default)]
    pub(crate) severity: Option<String>,
    /// Why the rule matters, shown with its findings.
    #[serde(default)]
    pub(crate) why: Option<String>,
    /// The template kinds it applies to (default: all).
    #[serde(default)]
    pub(crate) applies_to: Vec<String>,
    /// The part of the letter checked: `subject`, `opening`, `closing`, `body` or the whole.
    #[serde(default)]
    pub(crate) within: Option<String>,
    #[serde(default)]
    pub(crate) paragraphs: Option<usize>,
    #[serde(default)]
    pub(crate) phrases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(crate) patterns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(crate) suggest: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) metric: Option<String>,
    #[serde(default)]
    pub(crate) max: Option<f64>,
    #[serde(default)]
    pub(crate) min: Option<f64>,
    #[serde(default)]
    pub(crate) ignore: Vec<String>,
    #[serde(default)]
    pub(crate) fields: Vec<String>,
    #[serde(default)]
    pub(crate) salutation: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(crate) closing: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(crate) date: Option<String>,
    #[serde(default)]
    pub(crate) from: Option<String>,
    #[serde(default)]
    pub(crate) max_days: Option<u32>,
    #[serde(default)]
    pub(crate) days: Option<String>,
    #[serde(default)]
    pub(crate) promises: Option<String>,
}

/// Parses one pack file; `locales` are the standard's languages, which every phrase list must cover.
pub fn parse(file: &SourceFile, locales: &[String]) -> Result<(Pack, Vec<Rule>)> {
    let raw: RawPack = toml::from_str(&file.text).map_err(|e| Error::toml(file, 0, &e))?;
    let pack = Pack {
        id: file.name.rsplit('/').next().unwrap_or(&file.name).trim_end_matches(".toml").to_string(),
        name: raw.pack.name,
        owner: raw.pack.owner,
        review_by: raw.pack.review_by,
        description: raw.pack.description,
        file: file.clone(),
    };
    let rules = raw.rule.into_iter().map(|spanned| rule(file, locales, &pack.id, spanned)).collect::<Result<_>>()?;
    Ok((pack, rules))
}

/// One `[[rule]]`: its common keys, then its kind's.
fn rule(file: &SourceFile, locales: &[String], pack: &str, spanned: toml::Spanned<RawRule>) -> Result<Rule> {
    let at = spanned.span();
    let raw = spanned.into_inner();
    let mut parsing = Parsing { raw: &raw, file, at: at.clone(), locales, within: None, phrases: Phrases::default() };
    if !is_rule_id(&raw.id) {
        return Err(parsing.bad(
            "a rule id is dotted lower-case words naming the problem".into(),
            "write it like \"courtesy.missing-thanks\"",
        ));
    }
    let severity = severity(&parsing)?;
    parsing.within = within(&parsing)?;
    let mut phrases = parsing.phrases(&raw.phrases, "phrases")?;
    parsing.add_patterns(&mut phrases, &raw.patterns)?;
    parsing.phrases = phrases;
    let kind = match kinds::find(&raw.kind) {
        Some(registered) => (registered.parse)(parsing)?,
        None => {
            let names: Vec<&str> = kinds::KINDS.iter().map(|k| k.name).collect();
            return Err(
                parsing.bad(format!("`{}` is not a rule kind", raw.kind), &format!("kinds are: {}", names.join(", ")))
            );
        }
    };
    Ok(Rule {
        id: raw.id,
        pack: pack.to_string(),
        severity,
        message: raw.message,
        why: raw.why,
        applies_to: raw.applies_to,
        kind,
        declared_at: file.location(at.start..at.start + 9),
    })
}

/// `severity`: error unless the rule says otherwise.
fn severity(parsing: &Parsing<'_>) -> Result<Severity> {
    match parsing.raw.severity.as_deref() {
        None | Some("error") => Ok(Severity::Error),
        Some("warning") => Ok(Severity::Warning),
        Some("info") => Ok(Severity::Info),
        Some(other) => {
            Err(parsing.bad(format!("`{other}` is not a severity"), "use \"error\", \"warning\" or \"info\""))
        }
    }
}

/// `within` (with `paragraphs` for the opening and the closing), if the rule names a region.
fn within(parsing: &Parsing<'_>) -> Result<Option<Region>> {
    let Some(name) = parsing.raw.within.as_deref() else { return Ok(None) };
    Region::parse(name, parsing.raw.paragraphs.unwrap_or(3)).map(Some).ok_or_else(|| {
        parsing.bad(
            format!("`within = \"{name}\"` is not a region"),
            "use \"whole\", \"opening\", \"closing\" or \"subject\"",
        )
    })
}

/// A rule being parsed, as its kind's parser gets it: the table as written, the common keys
/// read, and how to report a mistake in it.
pub(crate) struct Parsing<'a> {
    /// The `[[rule]]` table as written.
    pub raw: &'a RawRule,
    /// `within`, if the rule names a region.
    pub within: Option<Region>,
    /// `phrases` and `patterns`, one list per language (empty if the rule has neither).
    pub phrases: Phrases,
    file: &'a SourceFile,
    at: std::ops::Range<usize>,
    locales: &'a [String],
}

impl Parsing<'_> {
    /// A load error about this rule, pointing at it, with a help line.
    pub fn bad(&self, message: String, help: &str) -> Error {
        let (line, col) = self.file.line_col(self.at.start);
        Error::new(ErrorKind::Config, format!("{}:{line}:{col}: rule `{}`: {message}", self.file.name, self.raw.id))
            .with_span(self.file, span(self.at.start, 9), "in this rule")
            .with_help(help.to_string())
    }

    /// The rule's `phrases` or `patterns`, which its kind cannot do without.
    pub fn needs_phrases(&mut self) -> Result<Phrases> {
        if self.phrases.is_empty() {
            return Err(self.bad(
                format!("a `{}` rule needs `phrases` (or `patterns`)", self.raw.kind),
                "add phrases.pl = [\"…\"] and one list per language",
            ));
        }
        Ok(std::mem::take(&mut self.phrases))
    }

    /// A table of phrase lists by language (`what` is its key, for messages): one list for
    /// each of the standard's languages and none for another, each phrase with a word.
    pub fn phrases(&self, map: &BTreeMap<String, Vec<String>>, what: &str) -> Result<Phrases> {
        if map.is_empty() {
            return Ok(Phrases::default());
        }
        for locale in self.locales {
            if !map.contains_key(locale) {
                return Err(self.bad(
                    format!("`{what}` has no list for `{locale}`, one of the standard's languages"),
                    &format!("add {what}.{locale} = [\"…\"]: a rule must speak every language the letters do"),
                ));
            }
        }
        if let Some(extra) = map.keys().find(|k| !self.locales.contains(k)) {
            return Err(self.bad(
                format!("`{what}.{extra}` is for a language the standard does not have"),
                &format!("the standard's languages are: {}", self.locales.join(", ")),
            ));
        }
        let mut by_locale = BTreeMap::new();
        for (locale, list) in map {
            let mut phrases = Vec::new();
            for written in list {
                let stem = written.trim_end().ends_with('*');
                let folded = Folded::phrase(written.trim_end().trim_end_matches('*'));
                if folded.is_empty() {
                    return Err(self.bad(
                        format!("the phrase {written:?} ({locale}) has no words"),
                        "phrases are plain words; end one with * to match inflected forms",
                    ));
                }
                let padded = format!(" {folded} ");
                phrases.push(Phrase { written: written.clone(), folded, padded, stem });
            }
            by_locale.insert(locale.clone(), phrases);
        }
        Ok(Phrases { by_locale, patterns: BTreeMap::new() })
    }

    /// Adds `patterns`, regular expressions by language, to `phrases`.
    fn add_patterns(&self, phrases: &mut Phrases, map: &BTreeMap<String, Vec<String>>) -> Result<()> {
        for (locale, list) in map {
            let mut compiled = Vec::new();
            for p in list {
                let re = regex::Regex::new(p).map_err(|e| {
                    self.bad(
                        format!("the pattern {p:?} ({locale}) is not a valid regular expression: {e}"),
                        "patterns are regular expressions over lower-case text",
                    )
                })?;
                compiled.push(re);
            }
            phrases.patterns.insert(locale.clone(), compiled);
        }
        Ok(())
    }
}

fn is_rule_id(id: &str) -> bool {
    id.contains('.')
        && id.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}
