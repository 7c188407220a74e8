//! Personalisation fields as a typed contract: declarations from front matter, records checked
//! against them and turned into the values templates see.
//!
//! What a template sees for each type:
//! - `text`, `name`, `email`, `enum`: a string;
//! - `integer`: an integer; `decimal`: a number (integer when whole); `bool`: a boolean;
//! - `date`: a map `{iso, year, month, day}` (print it with `| date` or `DATE()` in Fluent);
//! - `money`: a map `{amount, currency}` (print it with `| money` or `MONEY()` in Fluent);
//! - `list`: a list of maps, each checked against the `item` declaration.
//!
//! A field that is absent, optional and without a default is absent for the template too:
//! using it without `{% if x is defined %}` is a render error, never a silent blank.

use std::str::FromStr;
use std::sync::Arc;

use indexmap::IndexMap;
use regex::Regex;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use tera::Value;
use tera::value::Key;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind, FieldProblem, Result};
use crate::source::SourceFile;

mod pattern;
mod schema;

/// Marks a map in the template context as a typed value (money or date).
pub const TYPE_KEY: &str = "__type";
/// The longest description of an embedded file, in characters.
pub(crate) const MAX_ATTACHMENT_DESCRIPTION: usize = 200;

/// Record keys that are never fields: the record key, its locale, the files to attach, and
/// anything starting with `_`.
pub const RESERVED: [&str; 3] = ["key", "locale", "attachments"];

const DEFAULT_MAX_LEN_NAME: usize = 200;
const DEFAULT_MAX_LEN_EMAIL: usize = 254;
const DEFAULT_MAX_LEN_LINE: usize = 2_000;
const DEFAULT_MAX_LEN_MULTILINE: usize = 20_000;
const DEFAULT_MAX_ITEMS: usize = 10_000;

/// The type of a personalisation field.
#[derive(Clone, Debug)]
pub enum FieldType {
    /// One line of text (or several with `multiline = true`).
    Text,
    /// A person's or a company's name: one line, trimmed, not empty.
    Name,
    /// An e-mail address.
    Email,
    /// A calendar date, `YYYY-MM-DD` in records.
    Date,
    /// An amount with its currency: `"1234.56 PLN"` or `{"amount": "1234.56", "currency": "PLN"}`.
    Money,
    /// A whole number.
    Integer,
    /// A decimal number, written with a dot.
    Decimal,
    /// `true` or `false`.
    Bool,
    /// One of a fixed list of values.
    Enum(Vec<String>),
    /// A list of objects, each with the declared item fields.
    List(Box<Contract>),
}

impl FieldType {
    /// The name used in front matter.
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Name => "name",
            FieldType::Email => "email",
            FieldType::Date => "date",
            FieldType::Money => "money",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Bool => "bool",
            FieldType::Enum(_) => "enum",
            FieldType::List(_) => "list",
        }
    }

    /// Every type name a declaration may use.
    pub const NAMES: [&'static str; 10] =
        ["text", "name", "email", "date", "money", "integer", "decimal", "bool", "enum", "list"];
}

/// One declared field.
#[derive(Clone, Debug)]
pub struct FieldSpec {
    /// Its path in the record, e.g. `customer.name` (item fields: their name within the item).
    pub path: String,
    /// Its type.
    pub ty: FieldType,
    /// A record must give it (unless it has a default).
    pub required: bool,
    /// The value used when a record leaves it out, already checked against the type.
    pub default: Option<Value>,
    /// The longest string accepted, in characters.
    pub max_len: usize,
    /// A pattern the whole string value must match.
    pub pattern: Option<Regex>,
    /// Text may span several lines.
    pub multiline: bool,
    /// The currency of money given as a bare amount.
    pub currency: Option<String>,
    /// Fewest and most items of a list.
    pub items: (usize, usize),
    /// What the field is for, shown by `missive fields`.
    pub description: Option<String>,
    /// A value as a record gives it, declared with `example` (checked against the type at
    /// load), for the record's JSON Schema.
    pub example: Option<Json>,
    /// Fields a record must give whenever it gives this one (a street needs its city).
    pub requires: Vec<String>,
    /// Money: a negative amount is accepted (a credit note); otherwise it is an error, since a
    /// letter would ask the customer to pay it.
    pub negative: bool,
    /// Where the template uses it first, for messages about it.
    pub used_at: Option<(SourceFile, miette::SourceSpan)>,
}

/// What checking a record finds, and how it reads the record's numbers.
struct Found<'a> {
    problems: Vec<FieldProblem>,
    warnings: &'a mut Vec<Diagnostic>,
    reading: Reading,
}

/// The fields a template takes, checked against every record before rendering.
#[derive(Clone, Debug, Default)]
pub struct Contract {
    fields: Vec<FieldSpec>,
    root: Node,
}

#[derive(Clone, Debug, Default)]
struct Node {
    children: Vec<(Key<'static>, Child)>,
}

#[derive(Clone, Debug)]
enum Child {
    Object(Node),
    Field(usize),
}

/// A field declaration [`Contract::from_decls`] refuses: the field's path, for the caller to
/// point at the declaration, and why (of kind [`ErrorKind::Config`]).
///
/// It prints as ``field `path`: why``.
#[derive(Debug)]
pub struct DeclError {
    /// The declared path, as written in the front matter.
    pub path: String,
    /// What is wrong with the declaration and what is accepted.
    pub error: Error,
}

impl std::fmt::Display for DeclError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.error)
    }
}

impl std::error::Error for DeclError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl Contract {
    /// Builds the contract from front-matter declarations. Errors name the field and say what
    /// is accepted; the caller finds the declaration by the error's path for its message.
    pub fn from_decls(decls: &IndexMap<String, toml::Value>) -> Result<Contract, DeclError> {
        let mut contract = Contract::default();
        for (path, decl) in decls {
            let refused = |error| DeclError { path: path.clone(), error };
            let spec = parse_decl(path, decl).map_err(refused)?;
            contract.insert(spec).map_err(refused)?;
        }
        for field in &contract.fields {
            if let Some(other) = field.requires.iter().find(|r| contract.get(r).is_none()) {
                let error = config(format!("`requires` names `{other}`, which is not a declared field"));
                return Err(DeclError { path: field.path.clone(), error });
            }
        }
        Ok(contract)
    }

    fn insert(&mut self, spec: FieldSpec) -> Result<()> {
        let segments: Vec<&str> = spec.path.split('.').collect();
        if segments.iter().any(|s| !is_identifier(s)) {
            return Err(config(format!(
                "`{}` is not a field path: use names of letters, digits and `_`, joined by dots",
                spec.path
            )));
        }
        if segments.len() == 1 && (RESERVED.contains(&segments[0]) || segments[0].starts_with('_')) {
            return Err(config(format!(
                "`{}` is reserved for the record itself (key, locale, `_` options); choose another name",
                spec.path
            )));
        }
        let index = self.fields.len();
        let mut node = &mut self.root;
        for (depth, segment) in segments.iter().enumerate() {
            let last = depth + 1 == segments.len();
            let pos = node.children.iter().position(|(k, _)| k.as_str() == Some(segment));
            match (pos, last) {
                (None, true) => node.children.push((key(segment), Child::Field(index))),
                (None, false) => {
                    node.children.push((key(segment), Child::Object(Node::default())));
                    let Some((_, Child::Object(next))) = node.children.last_mut() else {
                        unreachable!("just pushed an object")
                    };
                    node = next;
                }
                (Some(i), false) => match &mut node.children[i].1 {
                    Child::Object(next) => node = next,
                    Child::Field(_) => {
                        return Err(config(format!(
                            "`{}` is declared as a field, so it cannot also hold `{}`",
                            segments[..=depth].join("."),
                            spec.path
                        )));
                    }
                },
                (Some(_), true) => {
                    return Err(config(format!("`{}` is declared twice, or also holds other fields", spec.path)));
                }
            }
        }
        self.fields.push(spec);
        Ok(())
    }

    /// Gives money fields without their own `currency` the standard's default currency.
    pub fn set_default_currency(&mut self, currency: &str) {
        for field in &mut self.fields {
            match &mut field.ty {
                FieldType::Money if field.currency.is_none() => field.currency = Some(currency.to_string()),
                FieldType::List(items) => items.set_default_currency(currency),
                _ => {}
            }
        }
    }

    /// The declared fields, in declaration order.
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    /// Finds a declared field by path.
    pub fn get(&self, path: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.path == path)
    }

    /// Records, for each field, the first place in `sources` that uses it.
    pub fn locate_uses(&mut self, sources: &[SourceFile]) {
        for field in &mut self.fields {
            let needle = field.path.as_str();
            field.used_at = find_use(sources, needle);
            if let FieldType::List(items) = &mut field.ty {
                for item in &mut items.fields {
                    item.used_at = find_use(sources, &format!(".{}", item.path));
                }
            }
        }
    }

    /// Checks a record and builds what the template sees. Problems are collected for every
    /// field (not only the first); unknown fields become warnings.
    pub fn apply(
        &self,
        record: &serde_json::Map<String, Json>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<tera::Map, Vec<FieldProblem>> {
        self.apply_as(record, warnings, Reading::default())
    }

    /// [`Contract::apply`] for a record whose numbers are written as `reading` says.
    pub fn apply_as(
        &self,
        record: &serde_json::Map<String, Json>,
        warnings: &mut Vec<Diagnostic>,
        reading: Reading,
    ) -> Result<tera::Map, Vec<FieldProblem>> {
        let mut found = Found { problems: Vec::new(), warnings, reading };
        let mut path = String::with_capacity(64);
        let out = self.walk_object(&self.root, Some(record), true, &mut path, &mut found);
        for field in self.fields.iter().filter(|f| !f.requires.is_empty()) {
            if given(record, &field.path) {
                for other in field.requires.iter().filter(|r| !given(record, r)) {
                    found.problems.push(
                        self.get(other)
                            .unwrap_or(field)
                            .problem(other, format!("missing: `{}` is given, and it needs `{other}` too", field.path))
                            .with_help(format!("add `{other}` to the record, or leave `{}` out as well", field.path)),
                    );
                }
            }
        }
        if found.problems.is_empty() { Ok(out) } else { Err(found.problems) }
    }

    fn walk_object(
        &self,
        node: &Node,
        json: Option<&serde_json::Map<String, Json>>,
        top: bool,
        path: &mut String,
        found: &mut Found<'_>,
    ) -> tera::Map {
        let mut out = tera::Map::with_capacity(node.children.len());
        for (name, child) in &node.children {
            let name_str = name.as_str().unwrap_or_default();
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name_str);
            let value = json.and_then(|j| member(j, name_str)).filter(|v| !v.is_null());
            match child {
                Child::Field(i) => {
                    if let Some(v) = self.fields[*i].check(value, path, found) {
                        out.insert(name.clone(), v);
                    }
                }
                Child::Object(inner) => match value {
                    Some(Json::Object(map)) => {
                        // An object with none of its fields given is no object: `{}` for an
                        // address is no address, as leaving it out is.
                        let v = self.walk_object(inner, Some(map), false, path, found);
                        if !v.is_empty() {
                            out.insert(name.clone(), Value::from(v));
                        }
                    }
                    Some(other) => found.problems.push(
                        FieldProblem::new(path.clone(), format!("expected an object, found {}", kind_of(other)))
                            .with_help(format!("give `{path}` as an object with its fields")),
                    ),
                    None => {
                        let v = self.walk_object(inner, None, false, path, found);
                        if !v.is_empty() {
                            out.insert(name.clone(), Value::from(v));
                        }
                    }
                },
            }
            path.truncate(len);
        }
        if let Some(json) = json {
            for key in json.keys() {
                let known = node.children.iter().any(|(k, _)| k.as_str() == Some(key));
                let reserved = top && (RESERVED.contains(&key.as_str()) || key.starts_with('_'));
                if !known && !reserved {
                    found.warnings.push(unknown_field(node, path, key));
                }
            }
        }
        out
    }
}

/// Whether the record gives a value (not null) at a dotted path.
fn given(record: &serde_json::Map<String, Json>, path: &str) -> bool {
    let mut segments = path.split('.');
    let Some(first) = segments.next() else { return false };
    let mut value = member(record, first);
    for segment in segments {
        value = value.and_then(Json::as_object).and_then(|o| member(o, segment));
    }
    value.is_some_and(|v| !v.is_null())
}

/// The value of `key` in a JSON object. Records' objects are small, and comparing a few keys
/// costs less than hashing one with serde_json's SipHash, so small objects are searched in order.
fn member<'j>(object: &'j serde_json::Map<String, Json>, key: &str) -> Option<&'j Json> {
    if object.len() > 12 {
        return object.get(key);
    }
    object.iter().find_map(|(k, v)| (k == key).then_some(v))
}

fn unknown_field(node: &Node, path: &str, key: &str) -> Diagnostic {
    let full = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    let closest = node
        .children
        .iter()
        .filter_map(|(k, _)| k.as_str())
        .map(|k| (strsim::levenshtein(k, key), k))
        .filter(|(d, _)| *d <= 2)
        .min();
    let help = match closest {
        Some((_, k)) => {
            format!("did you mean `{}`?", if path.is_empty() { k.to_string() } else { format!("{path}.{k}") })
        }
        None => "the template does not use it: remove it, or declare it in the template's [fields]".into(),
    };
    Diagnostic::warning("record.unknown-field", format!("`{full}` is not a field of this template")).with_help(help)
}

impl FieldSpec {
    fn problem(&self, path: &str, message: impl Into<String>) -> FieldProblem {
        let mut p = FieldProblem::new(path, message);
        p.used_at = self.used_at.as_ref().map(|(f, at)| Box::new((f.named(), *at)));
        p
    }

    /// Checks one value (None: absent or null) and converts it for the template.
    fn check(&self, value: Option<&Json>, path: &str, found: &mut Found<'_>) -> Option<Value> {
        let Some(value) = value else {
            if let Some(default) = &self.default {
                return Some(default.clone());
            }
            if self.required {
                found.problems.push(
                    self.problem(path, format!("required {} field is missing", self.ty.name()))
                        .with_help(format!("add `{path}` to the record, e.g. {}", example(&self.ty))),
                );
            }
            return None;
        };
        if let FieldType::List(items) = &self.ty {
            return self.convert_list(items, value, path, found);
        }
        if let FieldType::Money = self.ty {
            return self.convert_money(value, path, found);
        }
        match self.convert(value, path, found.reading) {
            Ok(v) => Some(v),
            Err(p) => {
                found.problems.push(p);
                None
            }
        }
    }

    /// Checks every item of a list, reporting the problems of all items.
    fn convert_list(&self, items: &Contract, value: &Json, path: &str, found: &mut Found<'_>) -> Option<Value> {
        let Some(array) = value.as_array() else {
            found.problems.push(
                self.problem(path, format!("expected a list, found {}", kind_of(value)))
                    .with_help(format!("write it like {}", example(&self.ty))),
            );
            return None;
        };
        let (min, max) = self.items;
        if array.len() < min || array.len() > max {
            found
                .problems
                .push(self.problem(path, format!("has {} items; between {min} and {max} are accepted", array.len())));
            return None;
        }
        let before = found.problems.len();
        let mut out = Vec::with_capacity(array.len());
        for (i, item) in array.iter().enumerate() {
            let mut item_path = format!("{path}[{i}]");
            match item {
                Json::Object(map) => {
                    out.push(Value::from(items.walk_object(&items.root, Some(map), false, &mut item_path, found)))
                }
                other => found.problems.push(
                    self.problem(&item_path, format!("expected an object, found {}", kind_of(other)))
                        .with_help("each item is an object with the item's fields"),
                ),
            }
        }
        (found.problems.len() == before).then(|| Value::from(out))
    }

    /// Money from a record: [`FieldSpec::convert`], and a warning when the amount has more
    /// decimal places than its currency prints (the letter shows it rounded).
    fn convert_money(&self, value: &Json, path: &str, found: &mut Found<'_>) -> Option<Value> {
        let (amount, currency) = match self.money(value, path, found.reading) {
            Ok(parsed) => parsed,
            Err(p) => {
                found.problems.push(p);
                return None;
            }
        };
        let decimals = amount.split_once('.').map_or(0, |(_, f)| f.trim_end_matches('0').len());
        let shown = if decimals == 0 { 0 } else { crate::locale::format::minor_digits(&currency) };
        if decimals > usize::from(shown) {
            found.warnings.push(
                Diagnostic::warning(
                    "record.money-rounded",
                    format!(
                        "`{path}`: {} {currency} has {decimals} decimal places; the letter prints it rounded to {shown}",
                        clip(&amount)
                    ),
                )
                .with_help("round the amount in the export if the printed figure must match it exactly"),
            );
        }
        Some(money_value(&amount, &currency))
    }

    /// Parses money and applies the field's sign rule.
    fn money(&self, value: &Json, path: &str, reading: Reading) -> Result<(String, String), FieldProblem> {
        let (amount, currency) = parse_money_as(value, self.currency.as_deref(), reading)
            .map_err(|e| self.problem(path, e.to_string()).with_help(format!("write it like {}", example(&self.ty))))?;
        if !self.negative && amount.starts_with('-') && parse_decimal(&amount).is_some_and(|d| !d.is_zero()) {
            return Err(self
                .problem(path, format!("`{} {currency}` is negative: the letter would ask the customer to pay it", clip(&amount)))
                .with_help("check the sign in the export; a field that may be negative (a credit note) is declared with `negative = true`"));
        }
        Ok((amount, currency))
    }

    fn convert(&self, value: &Json, path: &str, reading: Reading) -> Result<Value, FieldProblem> {
        let wrong = |what: &str| {
            self.problem(path, format!("expected {what}, found {}", kind_of(value)))
                .with_help(format!("write it like {}", example(&self.ty)))
        };
        match &self.ty {
            FieldType::Text | FieldType::Name | FieldType::Email | FieldType::Enum(_) => {
                let s = value.as_str().ok_or_else(|| wrong("a string"))?;
                self.check_string(s, path).map(Value::from)
            }
            FieldType::Integer => {
                let n = match value {
                    Json::Number(n) => n.as_i64().ok_or_else(|| wrong("a whole number"))?,
                    Json::String(s) => s.trim().parse::<i64>().map_err(|_| {
                        self.problem(path, format!("`{}` is not a whole number", clip(s)))
                            .with_help("write digits only, e.g. 12")
                    })?,
                    _ => return Err(wrong("a whole number")),
                };
                // Messages count with 64-bit floats (Fluent's numbers): beyond 2^53 a whole
                // number would print as another one.
                if n.unsigned_abs() > MAX_EXACT_INTEGER {
                    return Err(self
                        .problem(
                            path,
                            format!(
                                "{n} is beyond ±{MAX_EXACT_INTEGER}, the largest whole number a letter prints exactly"
                            ),
                        )
                        .with_help("check the value in the export"));
                }
                Ok(Value::from(n))
            }
            FieldType::Decimal => match value {
                Json::Number(n) => {
                    parse_decimal(&n.to_string()).map(decimal_value).ok_or_else(|| wrong("a decimal number"))
                }
                Json::String(s) => plain_amount(s, reading)
                    .and_then(|plain| parse_decimal(&plain))
                    .map(decimal_value)
                    .ok_or_else(|| {
                        let help = if reading.decimal_comma {
                            "write it with a decimal comma, e.g. \"1,5\" (--decimal-comma)"
                        } else if looks_like_decimal_comma(s) {
                            "write it with a dot and no grouping, e.g. \"1.5\" (a batch reads such exports with --decimal-comma)"
                        } else {
                            "write it with a dot and no grouping, e.g. \"1.5\""
                        };
                        self.problem(path, format!("`{}` is not a decimal number", clip(s))).with_help(help)
                    }),
                _ => Err(wrong("a decimal number")),
            },
            FieldType::Bool => match value {
                Json::Bool(b) => Ok(Value::from(*b)),
                Json::String(s) if s == "true" => Ok(Value::from(true)),
                Json::String(s) if s == "false" => Ok(Value::from(false)),
                _ => Err(wrong("true or false")),
            },
            FieldType::Date => {
                let s = value.as_str().ok_or_else(|| wrong("a date string"))?;
                let date = parse_date(s).ok_or_else(|| {
                    self.problem(path, format!("`{}` is not a date", clip(s)))
                        .with_help("write dates as YYYY-MM-DD, e.g. \"2026-11-30\"")
                })?;
                check_year(date).map_err(|why| {
                    self.problem(path, format!("`{s}` {why}")).with_help("check the year; write dates as YYYY-MM-DD")
                })?;
                Ok(date_value(date, s))
            }
            FieldType::Money => {
                let (amount, currency) = self.money(value, path, reading)?;
                Ok(money_value(&amount, &currency))
            }
            FieldType::List(_) => Err(wrong("a list")),
        }
    }

    fn check_string(&self, raw: &str, path: &str) -> Result<String, FieldProblem> {
        let s = match self.ty {
            FieldType::Name | FieldType::Email => raw.trim(),
            _ => raw,
        };
        // Decomposed text (`e` + U+0301) becomes NFC (`é`): the letter prints the same, a PDF
        // font has the composed glyph, and the rules' offsets hold.
        // Every character below U+0300 (lead bytes under 0xCC) is NFC as it stands: most values
        // are decided by one pass over their bytes.
        let composed: String;
        let s = if s.bytes().all(|b| b < 0xcc)
            || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
        {
            s
        } else {
            use unicode_normalization::UnicodeNormalization;
            composed = s.nfc().collect();
            &composed
        };
        let chars = s.chars().count();
        if chars > self.max_len {
            return Err(self
                .problem(path, format!("is {chars} characters long; at most {} are accepted", self.max_len))
                .with_help("shorten it, or raise `max_len` in the template's field declaration"));
        }
        if let Some(c) = s.chars().find(|c| is_forbidden_char(*c, self.multiline)) {
            let what = if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                "a line break"
            } else {
                "an invisible control character"
            };
            return Err(self.problem(path, format!("contains {what} (U+{:04X})", c as u32)).with_help(
                if self.multiline || !matches!(self.ty, FieldType::Text) {
                    "remove it: names, addresses and e-mails are one line of visible text".to_string()
                } else {
                    "remove it, or declare the field with `multiline = true`".to_string()
                },
            ));
        }
        match &self.ty {
            FieldType::Name if s.is_empty() => {
                return Err(self.problem(path, "is empty").with_help("give the customer's or company's name"));
            }
            FieldType::Email => check_email(s).map_err(|msg| {
                self.problem(path, format!("`{}` is not an e-mail address: {msg}", clip(s)))
                    .with_help("write it like \"jan.kowalski@example.pl\"")
            })?,
            FieldType::Enum(values) if !values.iter().any(|v| v == s) => {
                let hint = values.iter().find(|v| v.eq_ignore_ascii_case(s));
                return Err(self.problem(path, format!("`{}` is not one of the accepted values", clip(s))).with_help(
                    match hint {
                        Some(v) => format!("did you mean `{v}`? values are case-sensitive"),
                        None => format!("use one of: {}", values.join(", ")),
                    },
                ));
            }
            _ => {}
        }
        if let Some(pattern) = &self.pattern
            && !pattern.is_match(s)
        {
            return Err(self
                .problem(path, format!("`{}` does not match the pattern {}", clip(s), pattern.as_str()))
                .with_help("correct the value; the pattern is declared in the template's front matter"));
        }
        Ok(s.to_string())
    }
}

/// A character no personalisation value may contain: controls (except line breaks and tabs
/// in multiline text), bidi overrides and isolates (they can reorder what a customer reads),
/// and zero-width spaces (they can make two different names look the same).
fn is_forbidden_char(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\t' => !multiline,
        '\r' => !multiline,
        // Line and paragraph separators break a line as LF does (in headers, in a PDF line).
        '\u{2028}' | '\u{2029}' => !multiline,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => true,
        // Invisible spaces that can disguise a name or an address (joiners ZWJ/ZWNJ stay: some
        // scripts need them).
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

fn check_email(s: &str) -> Result<(), &'static str> {
    let (local, domain) = s.rsplit_once('@').ok_or("it has no `@`")?;
    if local.is_empty() || local.len() > 64 {
        return Err("the part before `@` must have 1 to 64 characters");
    }
    if s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
        return Err("it contains spaces or characters not allowed in an address");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") || local.contains('@') {
        return Err("the part before `@` has a misplaced dot or a second `@`");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
        return Err("the domain after `@` must look like example.pl");
    }
    if !labels.iter().all(|l| l.chars().all(|c| c.is_alphanumeric() || c == '-')) {
        return Err("the domain may only contain letters, digits, dots and hyphens");
    }
    Ok(())
}

fn parse_decl(path: &str, decl: &toml::Value) -> Result<FieldSpec> {
    let table = decl_table(decl)?;
    let decl = Decl(&table);
    let ty = field_type(&decl)?;
    let multiline = decl.flag("multiline")?;
    let max_len = decl.count("max_len")?.unwrap_or(match ty {
        FieldType::Name => DEFAULT_MAX_LEN_NAME,
        FieldType::Email => DEFAULT_MAX_LEN_EMAIL,
        _ if multiline => DEFAULT_MAX_LEN_MULTILINE,
        _ => DEFAULT_MAX_LEN_LINE,
    });
    let pattern = decl
        .string("pattern")?
        .map(|p| pattern::compile(&p).map_err(|e| config(format!("`pattern` is not a valid regular expression: {e}"))))
        .transpose()?;
    let currency = decl.string("currency")?;
    if let Some(c) = &currency
        && !is_currency_code(c)
    {
        return Err(config(format!("`currency = \"{c}\"` is not an ISO 4217 code such as \"PLN\"")));
    }
    let items = (decl.count("min_items")?.unwrap_or(0), decl.count("max_items")?.unwrap_or(DEFAULT_MAX_ITEMS));
    let mut spec = FieldSpec {
        path: path.to_string(),
        ty,
        required: decl.flag("required")?,
        default: None,
        max_len,
        pattern,
        multiline,
        currency,
        items,
        description: decl.string("description")?,
        example: None,
        requires: match table.get("requires") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| config("`requires` must be a list of field paths"))?,
            Some(v) => return Err(config(format!("`requires` must be a list of field paths, not {v}"))),
        },
        negative: decl.flag("negative")?,
        used_at: None,
    };
    if spec.negative && !matches!(spec.ty, FieldType::Money) {
        return Err(config("`negative` is an option of money fields"));
    }
    if let Some(default) = table.get("default") {
        let json = serde_json::to_value(default).map_err(|e| config(format!("`default` cannot be used: {e}")))?;
        let value = spec
            .convert(&json, path, Reading::default())
            .map_err(|p| config(format!("`default` does not fit the field: {}", p.message)))?;
        spec.default = Some(value);
    }
    if let Some(example) = table.get("example") {
        let json = serde_json::to_value(example).map_err(|e| config(format!("`example` cannot be used: {e}")))?;
        spec.convert(&json, path, Reading::default())
            .map_err(|p| config(format!("`example` does not fit the field: {}", p.message)))?;
        spec.example = Some(json);
    }
    Ok(spec)
}

/// A declaration that cannot be used: [`ErrorKind::Config`], the message saying why.
fn config(why: impl Into<String>) -> Error {
    Error::new(ErrorKind::Config, why)
}

/// The options a field declaration may have.
const FIELD_OPTIONS: [&str; 15] = [
    "type",
    "required",
    "default",
    "max_len",
    "pattern",
    "values",
    "item",
    "multiline",
    "currency",
    "description",
    "min_items",
    "max_items",
    "example",
    "requires",
    "negative",
];

/// A declaration as a table of options: `"text"` is `{ type = "text" }`; an unknown option is
/// refused, naming those there are.
fn decl_table(decl: &toml::Value) -> Result<toml::Table> {
    let table = match decl {
        toml::Value::String(ty) => {
            let mut t = toml::Table::new();
            t.insert("type".into(), toml::Value::String(ty.clone()));
            t
        }
        toml::Value::Table(t) => t.clone(),
        other => {
            return Err(config(format!(
                "a field is declared by its type (\"text\") or a table ({{ type = \"text\", required = true }}), not a {}",
                other.type_str()
            )));
        }
    };
    if let Some(k) = table.keys().find(|k| !FIELD_OPTIONS.contains(&k.as_str())) {
        return Err(config(format!("`{k}` is not a field option; options are: {}", FIELD_OPTIONS.join(", "))));
    }
    Ok(table)
}

/// A declaration's options, each read as the kind of value it takes.
struct Decl<'a>(&'a toml::Table);

impl Decl<'_> {
    fn string(&self, k: &str) -> Result<Option<String>> {
        match self.0.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(config(format!("`{k}` must be a string, not a {}", v.type_str()))),
        }
    }

    fn count(&self, k: &str) -> Result<Option<usize>> {
        match self.0.get(k) {
            None => Ok(None),
            Some(toml::Value::Integer(n)) if *n >= 0 => Ok(Some(*n as usize)),
            Some(v) => Err(config(format!("`{k}` must be a whole number ≥ 0, not {v}"))),
        }
    }

    fn flag(&self, k: &str) -> Result<bool> {
        match self.0.get(k) {
            None => Ok(false),
            Some(toml::Value::Boolean(b)) => Ok(*b),
            Some(v) => Err(config(format!("`{k}` must be true or false, not {v}"))),
        }
    }
}

/// The field's `type`, with an enum's `values` and a list's `item` fields.
fn field_type(decl: &Decl<'_>) -> Result<FieldType> {
    let name = decl.string("type")?.ok_or_else(|| config("the field has no `type`"))?;
    Ok(match name.as_str() {
        "text" => FieldType::Text,
        "name" => FieldType::Name,
        "email" => FieldType::Email,
        "date" => FieldType::Date,
        "money" => FieldType::Money,
        "integer" => FieldType::Integer,
        "decimal" => FieldType::Decimal,
        "bool" => FieldType::Bool,
        "enum" => {
            let values = match decl.0.get("values") {
                Some(toml::Value::Array(a)) if !a.is_empty() => a
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| config("`values` must be a list of strings"))?,
                _ => return Err(config("an enum field needs `values = [\"a\", \"b\"]`")),
            };
            FieldType::Enum(values)
        }
        "list" => {
            let Some(toml::Value::Table(item)) = decl.0.get("item") else {
                return Err(config("a list field needs `item = { name = \"text\", … }` declaring each item's fields"));
            };
            let mut items = Contract::default();
            for (name, decl) in item {
                let in_item = |e: Error| config(format!("item field `{name}`: {e}"));
                let mut spec = parse_decl(name, decl).map_err(in_item)?;
                spec.path = name.clone();
                items.insert(spec).map_err(in_item)?;
            }
            FieldType::List(Box::new(items))
        }
        other => {
            return Err(config(format!("`{other}` is not a field type; types are: {}", FieldType::NAMES.join(", "))));
        }
    })
}

fn find_use(sources: &[SourceFile], needle: &str) -> Option<(SourceFile, miette::SourceSpan)> {
    for file in sources {
        let text = &*file.text;
        let mut from = 0;
        while let Some(i) = text[from..].find(needle) {
            let at = from + i;
            let end = at + needle.len();
            // A quoted path is the field's declaration in the front matter, not a use.
            let before_ok = needle.starts_with('.')
                || !text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '"');
            let after_ok = !text[end..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_');
            if before_ok && after_ok {
                let at = if needle.starts_with('.') { at + 1 } else { at };
                return Some((file.clone(), crate::source::span(at, end - at)));
            }
            from = end;
        }
    }
    None
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn key(s: &str) -> Key<'static> {
    Key::String(Arc::from(s))
}

/// How a JSON value is named in messages: "a number", "a list".
pub(crate) fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

fn example(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Text => "\"some text\"",
        FieldType::Name => "\"Anna Kowalska\"",
        FieldType::Email => "\"anna.kowalska@example.pl\"",
        FieldType::Date => "\"2026-11-30\"",
        FieldType::Money => "\"1234.56 PLN\" or {\"amount\": \"1234.56\", \"currency\": \"PLN\"}",
        FieldType::Integer => "12",
        FieldType::Decimal => "\"1.5\"",
        FieldType::Bool => "true",
        FieldType::Enum(_) => "one of the declared values",
        FieldType::List(_) => "[{…}, {…}]",
    }
}

/// How a record writes its numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// Money and decimals as Polish and German spreadsheets write them (`--decimal-comma`): a
    /// comma before the fraction, spaces or dots grouping thousands (`1 234,50`, `1.234,50`).
    pub decimal_comma: bool,
}

/// An amount as a plain decimal (`1234.50`). Without `decimal_comma` it must be one already;
/// with it, a comma is the decimal mark and spaces, no-break spaces or dots between groups of
/// three digits group thousands. `None` when the text is neither.
fn plain_amount(text: &str, reading: Reading) -> Option<String> {
    let text = text.trim();
    if !reading.decimal_comma {
        return parse_decimal(text).map(|_| text.to_string());
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", text),
    };
    let (int, frac) = digits.split_once(',').unwrap_or((digits, ""));
    let groups: Vec<&str> = int.split([' ', '\u{a0}', '\u{202f}', '.']).collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    // One kind of separator only: `1.234 567` is not a number.
    let separators: std::collections::BTreeSet<char> = int.chars().filter(|c| !c.is_ascii_digit()).collect();
    if !grouped || separators.len() > 1 || (digits.contains(',') && frac.is_empty()) {
        return None;
    }
    let plain = format!("{sign}{}{}{frac}", groups.concat(), if frac.is_empty() { "" } else { "." });
    parse_decimal(&plain).map(|_| plain)
}

/// The ISO 4217 code of a currency written as a sign.
fn currency_sign(sign: &str) -> Option<&'static str> {
    match sign {
        "zł" | "zl" | "ZŁ" => Some("PLN"),
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        _ => None,
    }
}

/// Whether an amount is written with a decimal comma or grouped digits (`1 234,50`), which a
/// record must write as `1234.50` unless `--decimal-comma` says otherwise.
fn looks_like_decimal_comma(text: &str) -> bool {
    plain_amount(text, Reading { decimal_comma: true }).is_some() && parse_decimal(text.trim()).is_none()
}

/// Parses a plain decimal: an optional minus, digits, optionally a dot and digits.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if !ok {
        return None;
    }
    Decimal::from_str(s).ok()
}

/// Parses an ISO 8601 calendar date (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    jiff::civil::Date::from_str(s).ok()
}

/// The largest whole number an integer field takes: 2^53 − 1, above which a 64-bit float (what
/// Fluent formats numbers as) no longer holds every whole number.
pub const MAX_EXACT_INTEGER: u64 = (1 << 53) - 1;

/// The first year a letter's dates may have: 1583, the first whole year of the Gregorian
/// calendar, which CLDR's date formats assume (ISO 8601 allows earlier years only by agreement).
/// An earlier year in a record is a typo (`0026-11-30`), and year 0 would print as "1 BC".
pub const FIRST_YEAR: i16 = 1583;

/// Refuses a date before [`FIRST_YEAR`], saying why.
///
/// ```
/// let early = missive::fields::parse_date("0026-11-30").unwrap();
/// let why = missive::fields::check_year(early).unwrap_err();
/// assert_eq!(format!("`0026-11-30` {why}"), "`0026-11-30` is before 1583: dates in letters are Gregorian dates from 1583 to 9999");
/// ```
pub fn check_year(date: jiff::civil::Date) -> Result<(), BeforeFirstYear> {
    if date.year() < FIRST_YEAR {
        return Err(BeforeFirstYear);
    }
    Ok(())
}

/// Why [`check_year`] refuses a date. It reads as the end of a sentence whose subject is the
/// date as written (``format!("`{text}` {why}")``), so each caller says it in its own error:
/// a `--today` option, a record's `_today`, a date field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeforeFirstYear;

impl std::fmt::Display for BeforeFirstYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "is before {FIRST_YEAR}: dates in letters are Gregorian dates from {FIRST_YEAR} to 9999")
    }
}

impl std::error::Error for BeforeFirstYear {}

/// Parses money as given in a record: `"1234.56 PLN"`, a bare amount with a default currency,
/// or `{"amount": "1234.56", "currency": "PLN"}`. Returns the amount as written (checked to be a
/// plain decimal) and the currency code; an error of kind [`ErrorKind::Record`] says what is
/// wrong with the value, for the caller to name the field.
pub fn parse_money(value: &Json, default_currency: Option<&str>) -> Result<(String, String)> {
    parse_money_as(value, default_currency, Reading::default())
}

/// [`parse_money`] for a record whose numbers are written as `reading` says; a currency may be
/// a code or a sign (`zł`, `€`, `£`), before or after the amount.
pub fn parse_money_as(value: &Json, default_currency: Option<&str>, reading: Reading) -> Result<(String, String)> {
    let (amount, currency): (String, Option<&str>) = match value {
        Json::String(s) => {
            let text = s.trim();
            let is_currency = |t: &str| is_currency_code(t) || currency_sign(t).is_some();
            let (amount, currency) = match (text.split_once(char::is_whitespace), text.rsplit_once(char::is_whitespace))
            {
                (_, Some((a, c))) if is_currency(c) => (a.trim(), Some(c)),
                (Some((c, a)), _) if is_currency(c) => (a.trim(), Some(c)),
                // A last word without digits is meant as a currency (and refused if it is none).
                (_, Some((a, c))) if !c.bytes().any(|b| b.is_ascii_digit()) => (a.trim(), Some(c)),
                _ => (text, None),
            };
            let currency = currency.map(|c| currency_sign(c).unwrap_or(c));
            match plain_amount(amount, reading) {
                Some(plain) => (plain, currency),
                None if !reading.decimal_comma && looks_like_decimal_comma(amount) => {
                    return Err(not_money(format!(
                        "`{}` is written with a decimal comma or grouped digits: write it as {}{} (a batch reads such exports with --decimal-comma)",
                        clip(text),
                        plain_amount(amount, Reading { decimal_comma: true }).unwrap_or_default(),
                        currency.map(|c| format!(" {c}")).unwrap_or_default()
                    )));
                }
                None if reading.decimal_comma => {
                    return Err(not_money(format!(
                        "`{}` is not an amount as --decimal-comma reads them: write e.g. 1234,50 or 1 234,50 (a dot only between groups of three digits)",
                        clip(text)
                    )));
                }
                None => (amount.to_string(), currency),
            }
        }
        Json::Number(n) => (n.to_string(), None),
        Json::Object(map) => {
            let amount = match member(map, "amount") {
                Some(Json::String(s)) => s.trim().to_string(),
                Some(Json::Number(n)) => n.to_string(),
                _ => return Err(not_money("money needs an `amount`, written as a string like \"1234.56\"")),
            };
            let currency = match member(map, "currency") {
                Some(Json::String(c)) => Some(c.as_str()),
                None => None,
                Some(_) => return Err(not_money("`currency` must be a code such as \"PLN\"")),
            };
            if let Some(k) = map.keys().find(|k| *k != "amount" && *k != "currency") {
                return Err(not_money(format!("money has only `amount` and `currency`, not `{k}`")));
            }
            (amount, currency)
        }
        _ => return Err(not_money("expected money")),
    };
    if parse_decimal(&amount).is_none() {
        let digits = amount.trim_start_matches('-');
        let plain = !digits.starts_with('.') && !digits.ends_with('.') && digits.matches('.').count() <= 1;
        if !digits.is_empty() && plain && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(not_money(format!("`{}` is too large: an amount has at most 28 digits", clip(&amount))));
        }
        return Err(not_money(format!(
            "`{}` is not an amount: write digits with a dot and no grouping, e.g. 1234.56",
            clip(&amount)
        )));
    }
    let currency =
        currency.or(default_currency).ok_or_else(|| not_money(format!("`{}` has no currency", clip(&amount))))?;
    if !is_currency_code(currency) {
        return Err(not_money(format!("`{}` is not an ISO 4217 currency code such as PLN or EUR", clip(currency))));
    }
    Ok((amount, currency.to_string()))
}

/// A money value that cannot be read: [`ErrorKind::Record`], the message saying why.
fn not_money(why: impl Into<String>) -> Error {
    Error::new(ErrorKind::Record, why)
}

/// Three uppercase ASCII letters.
pub fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The template value of a decimal: an integer when whole, else a float (for display and
/// plural selection; exact amounts are money, never decimals).
pub fn decimal_value(d: Decimal) -> Value {
    if d.is_integer()
        && let Ok(i) = i64::try_from(d)
    {
        return Value::from(i);
    }
    Value::from(f64::try_from(d).unwrap_or(f64::NAN))
}

/// The template value of a date; `iso` is its `YYYY-MM-DD` form.
pub fn date_value(d: jiff::civil::Date, iso: &str) -> Value {
    typed_map(&DateMap::new(d, iso))
}

/// The template value of money; `amount` is a plain decimal such as `1234.56`.
pub fn money_value(amount: &str, currency: &str) -> Value {
    typed_map(&MoneyMap { tag: "money", amount, currency })
}

/// A date as templates see it (`__type = "date"`, `iso`, `year`, `month`, `day`).
///
/// Typed values are built through serde because Tera's serializer writes a struct straight
/// into the map it keeps, with `'static` keys; `Value::from(map)` copies (and rehashes) a
/// finished map instead, which cost as much as building it, for every money and date value.
#[derive(serde::Serialize)]
pub(crate) struct DateMap<'a> {
    #[serde(rename = "__type")]
    tag: &'static str,
    iso: &'a str,
    year: i64,
    month: i64,
    day: i64,
}

impl<'a> DateMap<'a> {
    /// The date `d`, written `iso`.
    pub(crate) fn new(d: jiff::civil::Date, iso: &'a str) -> Self {
        DateMap { tag: "date", iso, year: i64::from(d.year()), month: i64::from(d.month()), day: i64::from(d.day()) }
    }
}

/// Money as templates see it (`__type = "money"`, `amount`, `currency`).
#[derive(serde::Serialize)]
struct MoneyMap<'a> {
    #[serde(rename = "__type")]
    tag: &'static str,
    amount: &'a str,
    currency: &'a str,
}

/// A struct of strings and numbers as a template map (cannot fail for these types).
pub(crate) fn typed_map<T: serde::Serialize>(map: &T) -> Value {
    Value::try_from_serializable(map).unwrap_or_else(|_| Value::none())
}

/// A typed value read back from the template context.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// Money: amount and currency.
    Money(Decimal, String),
    /// A calendar date.
    Date(jiff::civil::Date),
}

/// Reads a money or date map back from a template value.
pub fn typed(value: &Value) -> Option<Typed> {
    let map = value.as_map()?;
    match map.get(&Key::Str(TYPE_KEY))?.as_str()? {
        "money" => {
            let amount = Decimal::from_str(map.get(&Key::Str("amount"))?.as_str()?).ok()?;
            let currency = map.get(&Key::Str("currency"))?.as_str()?;
            Some(Typed::Money(amount, currency.to_string()))
        }
        "date" => parse_date(map.get(&Key::Str("iso"))?.as_str()?).map(Typed::Date),
        _ => None,
    }
}

/// A TOML date (`2027-06-30`) or a string holding one.
pub(crate) fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<jiff::civil::Date, D::Error> {
    use serde::Deserialize;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match Repr::deserialize(d)? {
        Repr::Toml(dt) => match (dt.date, dt.time) {
            (Some(date), None) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
            _ => return Err(serde::de::Error::custom("expected a date such as 2027-06-30, without a time")),
        },
        Repr::Text(s) => s,
    };
    parse_date(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date such as 2027-06-30")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract(toml_src: &str) -> Contract {
        let decls: IndexMap<String, toml::Value> = toml::from_str(toml_src).unwrap();
        Contract::from_decls(&decls).unwrap()
    }

    fn invoice() -> Contract {
        contract(
            r#"
            "customer.name" = { type = "name", required = true, max_len = 20 }
            "customer.gender" = { type = "enum", values = ["female", "male", "company", "unknown"], default = "unknown" }
            "customer.email" = { type = "email", required = true }
            "invoice.number" = { type = "text", pattern = '^FV/\d{4}/\d{2}/\d{4}$' }
            "invoice.total" = { type = "money", required = true }
            "invoice.due" = { type = "date", required = true }
            "invoice.lines" = { type = "list", item = { description = "text", quantity = "decimal", amount = "money" } }
            "#,
        )
    }

    fn apply(c: &Contract, record: serde_json::Value) -> (Result<tera::Map, Vec<FieldProblem>>, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let r = c.apply(record.as_object().unwrap(), &mut warnings);
        (r, warnings)
    }

    #[test]
    fn a_good_record_becomes_typed_values() {
        let (r, w) = apply(
            &invoice(),
            json!({"key": "K1", "locale": "pl", "customer": {"name": " Anna ", "email": "a@b.pl"},
                   "invoice": {"number": "FV/2026/11/0042", "total": "12.50 PLN", "due": "2026-12-01",
                   "lines": [{"description": "x", "quantity": "2", "amount": {"amount": "6.25", "currency": "PLN"}}]}}),
        );
        assert!(w.is_empty(), "{w:?}");
        let map = Value::from(r.unwrap());
        assert_eq!(map.get_from_path("customer.name").unwrap().as_str(), Some("Anna"));
        assert_eq!(map.get_from_path("customer.gender").unwrap().as_str(), Some("unknown"));
        let total = map.get_from_path("invoice.total").unwrap();
        assert_eq!(typed(total), Some(Typed::Money(Decimal::new(1250, 2), "PLN".into())));
        let due = map.get_from_path("invoice.due").unwrap();
        assert_eq!(typed(due), Some(Typed::Date(jiff::civil::date(2026, 12, 1))));
        let lines = map.get_from_path("invoice.lines").unwrap().as_array().unwrap();
        assert_eq!(lines[0].get_from_path("quantity").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let (r, _) = apply(
            &invoice(),
            json!({"customer": {"name": "Bartłomiej Grzegorz Brzęczyszczykiewicz", "email": "nope", "gender": "Female"},
                   "invoice": {"number": "X", "total": 12.5, "due": "1.12.2026",
                   "lines": [{"quantity": "1,5", "amount": "1 PLN"}]}}),
        );
        let problems = r.unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "customer.name",
                "customer.gender",
                "customer.email",
                "invoice.number",
                "invoice.total",
                "invoice.due",
                "invoice.lines[0].quantity"
            ]
        );
        assert!(problems[1].help.as_deref().unwrap().contains("did you mean `female`"));
        assert!(problems[4].message.contains("has no currency"), "{}", problems[4].message);
        assert!(problems[5].help.as_deref().unwrap().contains("YYYY-MM-DD"));
    }

    #[test]
    fn missing_required_fields_are_named() {
        let (r, _) = apply(&invoice(), json!({"customer": {"name": "Anna"}}));
        let problems = r.unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["customer.email", "invoice.total", "invoice.due"]);
        assert!(problems[0].message.contains("required email field is missing"));
    }

    #[test]
    fn unknown_fields_warn_with_a_suggestion() {
        let (r, w) = apply(
            &invoice(),
            json!({"customer": {"name": "A", "emial": "a@b.pl", "email": "a@b.pl"}, "invoice": {"total": "1 PLN", "due": "2026-01-01"}, "extra": 1, "_today": "x"}),
        );
        assert!(r.is_ok());
        let codes: Vec<String> = w.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            codes,
            ["`customer.emial` is not a field of this template", "`extra` is not a field of this template"]
        );
        assert_eq!(w[0].help.as_deref(), Some("did you mean `customer.email`?"));
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        let c = contract(r#""n" = "name""#);
        for bad in ["Anna\r\nBcc: x@y.pl", "Anna\u{202E}", "A\u{0}", "An\u{200B}na"] {
            let (r, _) = apply(&c, json!({ "n": bad }));
            assert!(r.is_err(), "{bad:?} accepted");
        }
        let multi = contract(r#""t" = { type = "text", multiline = true }"#);
        assert!(apply(&multi, json!({"t": "a\n\nb"})).0.is_ok());
    }

    #[test]
    fn declarations_are_checked_at_load() {
        let bad = |src: &str| {
            let decls: IndexMap<String, toml::Value> = toml::from_str(src).unwrap();
            Contract::from_decls(&decls).unwrap_err().error.to_string()
        };
        assert!(bad(r#""a" = "txt""#).contains("types are: text"));
        assert!(bad(r#""a" = { type = "text", maxlen = 3 }"#).contains("not a field option"));
        assert!(bad(r#""a" = { type = "enum" }"#).contains("needs `values"));
        assert!(bad(r#""a" = { type = "text", pattern = "(" }"#).contains("regular expression"));
        assert!(bad(r#""a" = { type = "date", default = "soon" }"#).contains("does not fit"));
        assert!(bad(r#""a" = { type = "date", example = "soon" }"#).contains("`example` does not fit"));
        assert!(bad("\"a\" = \"text\"\n\"a.b\" = \"text\"").contains("cannot also hold"));
        assert!(bad(r#""locale" = "text""#).contains("reserved"));
        assert!(bad(r#""l" = { type = "list", item = { n = "txt" } }"#).starts_with("item field `n`: `txt`"));
        let decls: IndexMap<String, toml::Value> =
            toml::from_str(r#""a.b" = { type = "text", required = 1 }"#).unwrap();
        let refused = Contract::from_decls(&decls).unwrap_err();
        assert_eq!((refused.path.as_str(), refused.error.kind()), ("a.b", ErrorKind::Config));
        assert_eq!(refused.to_string(), "field `a.b`: `required` must be true or false, not 1");
    }

    #[test]
    fn money_forms() {
        let m = |v: serde_json::Value| parse_money(&v, None);
        assert_eq!(m(json!("1234.56 PLN")).unwrap(), ("1234.56".into(), "PLN".into()));
        assert_eq!(m(json!({"amount": "-5", "currency": "EUR"})).unwrap(), ("-5".into(), "EUR".into()));
        assert_eq!(m(json!({"amount": 12.5, "currency": "EUR"})).unwrap(), ("12.5".into(), "EUR".into()));
        assert!(m(json!("1 234,56 PLN")).is_err());
        let e = m(json!("1 234,50 zł")).unwrap_err().to_string();
        assert!(e.contains("written with a decimal comma or grouped digits: write it as 1234.50 PLN"), "{e}");
        assert!(e.contains("--decimal-comma"), "{e}");
        assert_eq!(m(json!("12 zł")).unwrap(), ("12".into(), "PLN".into()));
        assert!(m(json!("12 pln")).unwrap_err().to_string().contains("ISO 4217"));
        assert!(m(json!("99999999999999999999999999999999.99 PLN")).unwrap_err().to_string().contains("too large"));
        assert!(m(json!("1. PLN")).unwrap_err().to_string().contains("is not an amount"));
        assert_eq!(m(json!("12")).unwrap_err().kind(), ErrorKind::Record);
        assert_eq!(parse_money(&json!("7.5"), Some("PLN")).unwrap().1, "PLN");
    }

    #[test]
    fn money_with_a_decimal_comma() {
        let comma = Reading { decimal_comma: true };
        let m = |v: &str| parse_money_as(&json!(v), Some("PLN"), comma);
        for (text, amount, currency) in [
            ("1 234,50 zł", "1234.50", "PLN"),
            ("1\u{a0}234,50\u{a0}zł", "1234.50", "PLN"),
            ("1.234,50 €", "1234.50", "EUR"),
            ("PLN 12 345 678,9", "12345678.9", "PLN"),
            ("-1 234,50 zł", "-1234.50", "PLN"),
            ("12,5", "12.5", "PLN"),
            ("1.234", "1234", "PLN"),
            ("99,99 GBP", "99.99", "GBP"),
        ] {
            assert_eq!(m(text).ok(), Some((amount.into(), currency.into())), "{text}");
        }
        for text in ["1.5", "1,234.50", "12 34,5", "1.234 567,8", "1,", ",5"] {
            assert!(m(text).is_err(), "{text} is ambiguous or malformed with a decimal comma");
        }
    }
}
