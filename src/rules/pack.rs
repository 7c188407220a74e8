//! Rule packs (`rules/<pack>.toml`) as written, checked into [`Rule`]s with every mistake
//! reported as a load error naming the file, line and rule id.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::kinds::{DayCount, Metric};
use super::{Kind, Pack, Phrases, Region, Rule};
use crate::diagnostic::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::source::{SourceFile, span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawInfo,
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInfo {
    name: String,
    owner: String,
    #[serde(deserialize_with = "crate::standard::config::date")]
    review_by: jiff::civil::Date,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: String,
    message: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    applies_to: Vec<String>,
    #[serde(default)]
    within: Option<String>,
    #[serde(default)]
    paragraphs: Option<usize>,
    #[serde(default)]
    phrases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    patterns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    suggest: BTreeMap<String, String>,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    salutation: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    closing: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    max_days: Option<u32>,
    #[serde(default)]
    days: Option<String>,
}

/// Kinds a rule may have.
pub const KINDS: [&str; 7] = ["require", "forbid", "substitute", "limit", "field", "structure", "deadline"];

/// Parses one pack file; `locales` are the standard's languages, which every phrase list must cover.
pub fn parse(file: &SourceFile, locales: &[String]) -> Result<(Pack, Vec<Rule>)> {
    let raw: RawPack = toml::from_str(&file.text).map_err(|e| crate::standard::frontmatter::toml_error(file, 0, &e))?;
    let stem = file.name.rsplit('/').next().unwrap_or(&file.name).trim_end_matches(".toml").to_string();
    let pack = Pack {
        id: stem,
        name: raw.pack.name,
        owner: raw.pack.owner,
        review_by: raw.pack.review_by,
        description: raw.pack.description,
        file: file.clone(),
    };
    let mut rules = Vec::new();
    for spanned in raw.rule {
        let at = spanned.span();
        let raw = spanned.into_inner();
        let id = raw.id.clone();
        let bad = |message: String, help: &str| {
            let (line, col) = file.line_col(at.start);
            Error::new(ErrorKind::Config, format!("{}:{line}:{col}: rule `{id}`: {message}", file.name))
                .with_span(file, span(at.start, 9), "in this rule")
                .with_help(help.to_string())
        };
        if !is_rule_id(&raw.id) {
            return Err(bad(
                "a rule id is dotted lower-case words naming the problem".into(),
                "write it like \"courtesy.missing-thanks\"",
            ));
        }
        let severity = match raw.severity.as_deref() {
            None | Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("info") => Severity::Info,
            Some(other) => {
                return Err(bad(format!("`{other}` is not a severity"), "use \"error\", \"warning\" or \"info\""));
            }
        };
        let within = match raw.within.as_deref() {
            None => None,
            Some(name) => Some(Region::parse(name, raw.paragraphs.unwrap_or(3)).ok_or_else(|| {
                bad(
                    format!("`within = \"{name}\"` is not a region"),
                    "use \"whole\", \"opening\", \"closing\" or \"subject\"",
                )
            })?),
        };
        let phrases = |map: &BTreeMap<String, Vec<String>>, what: &str| -> Result<Phrases> {
            if map.is_empty() {
                return Ok(Phrases::default());
            }
            for locale in locales {
                if !map.contains_key(locale) {
                    return Err(bad(
                        format!("`{what}` has no list for `{locale}`, one of the standard's languages"),
                        &format!("add {what}.{locale} = [\"…\"]: a rule must speak every language the letters do"),
                    ));
                }
            }
            if let Some(extra) = map.keys().find(|k| !locales.contains(k)) {
                return Err(bad(
                    format!("`{what}.{extra}` is for a language the standard does not have"),
                    &format!("the standard's languages are: {}", locales.join(", ")),
                ));
            }
            Phrases::new(map)
                .map_err(|why| bad(why, "phrases are plain words; end one with * to match inflected forms"))
        };
        let mut all = phrases(&raw.phrases, "phrases")?;
        all.add_patterns(&raw.patterns)
            .map_err(|why| bad(why, "patterns are regular expressions over lower-case text"))?;
        let kind = match raw.kind.as_str() {
            "require" | "forbid" | "substitute" if all.is_empty() => {
                return Err(bad(
                    format!("a `{}` rule needs `phrases` (or `patterns`)", raw.kind),
                    "add phrases.pl = [\"…\"] and one list per language",
                ));
            }
            "require" => Kind::Require { within: within.unwrap_or(Region::Whole), phrases: all },
            "forbid" | "substitute" => {
                if raw.kind == "substitute" && raw.suggest.is_empty() {
                    return Err(bad(
                        "a `substitute` rule needs `suggest`".into(),
                        "add suggest.pl = \"…\" with the wording to use instead",
                    ));
                }
                Kind::Forbid { within: within.unwrap_or(Region::Whole), phrases: all, suggest: raw.suggest.clone() }
            }
            "limit" => {
                let name =
                    raw.metric.as_deref().ok_or_else(|| bad("a `limit` rule needs `metric`".into(), Metric::HELP))?;
                let metric =
                    Metric::parse(name).ok_or_else(|| bad(format!("`{name}` is not a metric"), Metric::HELP))?;
                if raw.max.is_none() && raw.min.is_none() {
                    return Err(bad("a `limit` rule needs `max` or `min`".into(), "add max = … (or min = …)"));
                }
                Kind::Limit {
                    within: within.unwrap_or(Region::Whole),
                    metric,
                    max: raw.max,
                    min: raw.min,
                    ignore: raw.ignore.clone(),
                }
            }
            "field" => {
                if raw.fields.is_empty() {
                    return Err(bad("a `field` rule needs `fields`".into(), "add fields = [\"customer.name\"]"));
                }
                Kind::Field { fields: raw.fields.clone() }
            }
            "structure" => Kind::Structure {
                salutation: phrases(&raw.salutation, "salutation")?,
                closing: phrases(&raw.closing, "closing")?,
            },
            "deadline" => {
                let need = |v: &Option<String>, name: &str| {
                    v.clone().ok_or_else(|| {
                        bad(
                            format!("a `deadline` rule needs `{name}`"),
                            "add date = \"complaint.answer_by\", from = \"complaint.received\", max_days = 14",
                        )
                    })
                };
                let days = match raw.days.as_deref() {
                    None | Some("calendar") => DayCount::Calendar,
                    Some("business") => DayCount::Business,
                    Some(other) => {
                        return Err(bad(
                            format!("`days = \"{other}\"` is not a way of counting"),
                            "use \"calendar\" or \"business\" (Polish public holidays excluded)",
                        ));
                    }
                };
                Kind::Deadline {
                    date: need(&raw.date, "date")?,
                    from: need(&raw.from, "from")?,
                    max_days: raw
                        .max_days
                        .ok_or_else(|| bad("a `deadline` rule needs `max_days`".into(), "add max_days = 14"))?,
                    days,
                }
            }
            other => {
                return Err(bad(format!("`{other}` is not a rule kind"), &format!("kinds are: {}", KINDS.join(", "))));
            }
        };
        rules.push(Rule {
            id: raw.id,
            pack: pack.id.clone(),
            severity,
            message: raw.message,
            why: raw.why,
            applies_to: raw.applies_to,
            kind,
            declared_at: file.location(at.start..at.start + 9),
        });
    }
    Ok((pack, rules))
}

fn is_rule_id(id: &str) -> bool {
    id.contains('.')
        && id.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}
