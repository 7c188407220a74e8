//! The SARIF 2.1.0 report, for code scanning (GitHub, Azure DevOps) and editors.
//!
//! One run; the driver's rule table lists every rule in force, then missive's own codes that
//! appear in the findings. Columns count Unicode code points (`columnKind`), as [`Location`]
//! does; file paths are relative to `%SRCROOT%`, the standard's folder, which the consumer
//! resolves (GitHub: the repository checkout).
//!
//! [`Location`]: crate::source::Location

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{Report, RuleInfo, sorted};
use crate::diagnostic::{Diagnostic, Severity};

/// The schema the log names; validated in CI by `tests/sarif_schema.py`.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where people read about the tool.
const INFORMATION_URI: &str = "https://github.com/example/missive";
/// The base that relative file paths are resolved against.
const SRCROOT: &str = "%SRCROOT%";

/// Writes the report as a pretty SARIF log with a final newline.
pub(super) fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

/// The whole log.
fn log(report: &Report<'_>) -> Value {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for rule in report.rules {
        if !index.contains_key(rule.id.as_str()) {
            index.insert(&rule.id, rules.len());
            rules.push(rule_descriptor(rule));
        }
    }
    // missive's own codes (`record.unknown-field`), at the highest level they were reported at.
    let mut own: BTreeMap<&str, Severity> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| !index.contains_key(d.code.as_str())) {
        let level = own.entry(&d.code).or_insert(d.severity);
        *level = (*level).max(d.severity);
    }
    for (code, severity) in own {
        index.insert(code, rules.len());
        rules.push(own_descriptor(code, severity));
    }
    let results: Vec<Value> =
        sorted(report.diagnostics).into_iter().map(|d| result(d, index.get(d.code.as_str()))).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "missive",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": { "text": "The standard's folder (where missive.toml is); file paths are relative to it." }
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": { "letters": report.letters, "notRendered": report.not_rendered },
        }]
    })
}

/// A rule of the standard as a reportingDescriptor.
fn rule_descriptor(rule: &RuleInfo) -> Value {
    let help = match &rule.why {
        Some(why) => format!("{}\n\n{why}", rule.message),
        None => rule.message.clone(),
    };
    let mut descriptor = json!({
        "id": rule.id,
        "name": pascal_case(&rule.id),
        "shortDescription": { "text": rule.message },
        "fullDescription": { "text": rule.why.as_deref().unwrap_or(&rule.message) },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "pack": rule.pack, "tags": ["missive", rule.pack] },
    });
    if let Some(uri) = &rule.help_uri {
        descriptor["helpUri"] = json!(uri);
    }
    descriptor
}

/// One of missive's own finding codes as a reportingDescriptor.
fn own_descriptor(code: &str, severity: Severity) -> Value {
    let text = format!("A check built into missive ({code}), not a rule of the standard.");
    json!({
        "id": code,
        "name": pascal_case(code),
        "shortDescription": { "text": text },
        "fullDescription": { "text": text },
        "help": { "text": "See the finding's message and help." },
        "defaultConfiguration": { "level": level(severity) },
        "properties": { "tags": ["missive"] },
    })
}

/// One finding as a result.
fn result(d: &Diagnostic, rule_index: Option<&usize>) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.code));
    if let Some(index) = rule_index {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": message_text(d) }));
    if let Some(location) = &d.location {
        result.insert("locations".into(), json!([{ "physicalLocation": physical_location(location) }]));
    }
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| {
                json!({ "id": id, "physicalLocation": physical_location(&r.location), "message": { "text": r.note } })
            })
            .collect();
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    result.insert("partialFingerprints".into(), json!({ FINGERPRINT: fingerprint(d) }));
    if let Some(reason) = &d.suppressed {
        result.insert("suppressions".into(), json!([{ "kind": "inSource", "justification": reason }]));
    }
    let properties: Map<String, Value> = [("template", &d.template), ("locale", &d.locale), ("origin", &d.origin)]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| (key.to_string(), json!(v))))
        .collect();
    if !properties.is_empty() {
        result.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(result)
}

/// A place in a file: the file and the region of one line.
fn physical_location(location: &crate::source::Location) -> Value {
    let line = location.line.max(1);
    let column = location.column.max(1);
    json!({
        "artifactLocation": artifact_location(&location.file),
        "region": { "startLine": line, "startColumn": column, "endColumn": column + location.length },
    })
}

/// The name of missive's partial fingerprint; `/v1` changes if what it hashes does.
const FINGERPRINT: &str = "missiveFinding/v1";

/// What the finding is, not where it sits in the list: rule, file, line, the text found (or the
/// message), the letter's template and locale. Code scanning matches results across runs by it.
fn fingerprint(d: &Diagnostic) -> String {
    let mut hash = crate::hash::Fnv::new();
    let line = d.location.as_ref().map(|l| l.line.to_string());
    let file = d.location.as_ref().map(|l| l.file.as_str());
    for part in [
        Some(d.code.as_str()),
        file,
        line.as_deref(),
        Some(d.found.as_deref().unwrap_or(&d.message)),
        d.template.as_deref(),
        d.locale.as_deref(),
    ] {
        let part = part.unwrap_or("");
        hash.write(&(part.len() as u64).to_le_bytes());
        hash.write(part.as_bytes());
    }
    format!("{:016x}", hash.finish())
}

/// The message with what was found and what to write instead, when known.
fn message_text(d: &Diagnostic) -> String {
    let mut extra = Vec::new();
    if let Some(found) = &d.found {
        extra.push(format!("found: „{found}”"));
    }
    if let Some(suggestion) = &d.suggestion {
        extra.push(format!("write instead: {suggestion}"));
    }
    if extra.is_empty() { d.message.clone() } else { format!("{} ({})", d.message, extra.join("; ")) }
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file path as an artifactLocation: relative paths against `%SRCROOT%`, absolute ones as
/// `file://` URIs; either percent-encoded so that it is a valid URI reference.
fn artifact_location(path: &str) -> Value {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(&path)) })
    } else {
        let path = path.trim_start_matches("./");
        json!({ "uri": encode_path(path), "uriBaseId": SRCROOT })
    }
}

/// Percent-encodes everything in a path but unreserved characters and `/` (RFC 3986).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `courtesy.missing-thanks` → `CourtesyMissingThanks`: SARIF's readable rule name.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().into_iter().flat_map(char::to_uppercase).chain(chars)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Format, fixture};
    use super::*;

    #[test]
    fn writes_one_run_with_rules_results_and_suppressions() {
        let got = fixture::render(Format::Sarif);
        let log: Value = serde_json::from_str(&got).unwrap();
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "missive");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

        let ids: Vec<&str> = driver["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            ["courtesy.no-demands", "courtesy.missing-thanks", "limit.sentence-length", "record.unknown-field"]
        );
        assert_eq!(
            driver["rules"][0],
            json!({
                "id": "courtesy.no-demands",
                "name": "CourtesyNoDemands",
                "shortDescription": { "text": "The letter demands instead of asking" },
                "fullDescription": { "text": "Customers pay sooner when asked than when told." },
                "help": { "text": "The letter demands instead of asking\n\nCustomers pay sooner when asked than when told." },
                "helpUri": "https://example.com/handbook.html#rule-courtesy.no-demands",
                "defaultConfiguration": { "level": "error" },
                "properties": { "pack": "courtesy", "tags": ["missive", "courtesy"] }
            })
        );
        assert_eq!(driver["rules"][2]["defaultConfiguration"]["level"], "note");
        assert_eq!(driver["rules"][3]["defaultConfiguration"]["level"], "warning");

        assert!(driver["rules"][1].get("helpUri").is_none());
        let mut results = run["results"].as_array().unwrap().clone();
        assert_eq!(results.len(), 3);
        let prints: Vec<Value> =
            results.iter_mut().map(|r| r.as_object_mut().unwrap().remove("partialFingerprints").unwrap()).collect();
        assert_eq!(prints[1], json!({ "missiveFinding/v1": fingerprint(&fixture::diagnostics()[1]) }));
        assert_ne!(prints[0], prints[1]);
        assert_eq!(
            results[0],
            json!({
                "ruleId": "record.unknown-field",
                "ruleIndex": 3,
                "level": "warning",
                "message": { "text": "`nip` is not a field of invoice" },
                "properties": { "template": "invoice", "locale": "pl", "origin": "fixtures/invoice/basic.json" }
            })
        );
        assert_eq!(
            results[1],
            json!({
                "ruleId": "courtesy.no-demands",
                "ruleIndex": 0,
                "level": "error",
                "message": {
                    "text": "The letter demands instead of asking (found: „prosimy o zapłatę”; write instead: uprzejmie prosimy o uregulowanie)"
                },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": "templates/invoice.tera", "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": 3, "startColumn": 20, "endColumn": 37 }
                    }
                }],
                "properties": { "template": "invoice", "locale": "pl", "origin": "fixtures/invoice/basic.json" }
            })
        );
        assert_eq!(results[2]["ruleIndex"], 1);
        assert_eq!(
            results[2]["suppressions"],
            json!([{ "kind": "inSource", "justification": "a final reminder thanks no one" }])
        );
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(artifact_location("./szablony/ponaglenie ż.tera")["uri"], "szablony/ponaglenie%20%C5%BC.tera");
        assert_eq!(artifact_location("a\\b.tera")["uri"], "a/b.tera");
        assert_eq!(artifact_location("/srv/std/x.tera"), json!({ "uri": "file:///srv/std/x.tera" }));
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("courtesy.missing-thanks"), "CourtesyMissingThanks");
        assert_eq!(pascal_case("record.unknown-field"), "RecordUnknownField");
    }
}
