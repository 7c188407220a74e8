//! `missive fields`: the personalisation fields a template takes.

use std::io::Write;
use std::path::Path;

use clap::{Args, ValueEnum};

use super::{Outcome, load, write_output};
use crate::error::{Error, ErrorKind, Result};
use crate::fields::{FieldSpec, FieldType};

/// Flags of `missive fields`.
#[derive(Debug, Args)]
pub struct FieldsArgs {
    /// The template id.
    pub template: String,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable list.
    Text,
    /// JSON, for tools.
    Json,
    /// The JSON Schema (draft 2020-12) of a record, to validate an export before a run.
    JsonSchema,
}

/// Runs `missive fields`.
pub fn run(project: &Path, args: &FieldsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let template = standard.template(&args.template)?;
    let bytes = match args.format {
        Format::Text => {
            let mut s = format!("{} — {} ({})\n", template.id, template.meta.title, template.file.name);
            for field in template.contract.fields() {
                describe(field, "", &mut s);
            }
            s.into_bytes()
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = template.contract.fields().iter().map(to_json).collect();
            pretty(&serde_json::json!({ "template": template.id, "fields": list }))?
        }
        Format::JsonSchema => pretty(&template.contract.json_schema(
            &template.id,
            &template.meta.title,
            template.meta.description.as_deref(),
        ))?,
    };
    write_output(None, &bytes, out)?;
    Ok(Outcome::Done)
}

/// Pretty JSON with a newline at the end.
fn pretty(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    v.push(b'\n');
    Ok(v)
}

fn describe(field: &FieldSpec, indent: &str, s: &mut String) {
    let mut notes = Vec::new();
    notes.push(if field.required { "required".to_string() } else { "optional".to_string() });
    if let Some(default) = &field.default {
        notes.push(format!("default {default}"));
    }
    if let FieldType::Enum(values) = &field.ty {
        notes.push(format!("one of {}", values.join(" | ")));
    }
    if let Some(p) = &field.pattern {
        notes.push(format!("matches {}", p.as_str()));
    }
    if field.multiline {
        notes.push("several lines".to_string());
    }
    if matches!(field.ty, FieldType::Text | FieldType::Name | FieldType::Email) {
        notes.push(format!("at most {} characters", field.max_len));
    }
    if field.negative {
        notes.push("may be negative".to_string());
    }
    if !field.requires.is_empty() {
        notes.push(format!("given only with {}", field.requires.join(", ")));
    }
    if let Some(at) = field.used_at.as_ref().map(|(f, at)| {
        let (line, _) = f.line_col(at.offset());
        format!("used at {}:{line}", f.name)
    }) {
        notes.push(at);
    }
    s.push_str(&format!("{indent}  {:<24} {:<8} {}\n", field.path, field.ty.name(), notes.join(", ")));
    if let Some(d) = &field.description {
        s.push_str(&format!("{indent}  {:<24} {d}\n", ""));
    }
    if let FieldType::List(items) = &field.ty {
        for item in items.fields() {
            describe(item, &format!("{indent}    "), s);
        }
    }
}

fn to_json(field: &FieldSpec) -> serde_json::Value {
    let mut v = serde_json::json!({
        "path": field.path,
        "type": field.ty.name(),
        "required": field.required,
    });
    if let Some(d) = &field.default {
        v["default"] = serde_json::Value::String(d.to_string());
    }
    match &field.ty {
        FieldType::Enum(values) => v["values"] = serde_json::json!(values),
        FieldType::List(items) => v["item"] = serde_json::Value::Array(items.fields().iter().map(to_json).collect()),
        _ => {}
    }
    if !field.requires.is_empty() {
        v["requires"] = serde_json::json!(field.requires);
    }
    if field.negative {
        v["negative"] = serde_json::Value::Bool(true);
    }
    v
}
