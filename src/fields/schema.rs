//! The record's JSON Schema (draft 2020-12), generated from a template's field contract: what
//! `missive fields <id> --format json-schema` prints and `GET /v1/templates/{id}/schema` serves.
//!
//! The schema accepts what [`Contract::apply`] accepts, as far as JSON Schema can say it; where
//! it cannot, it errs on the side of accepting (unknown fields, money rounding) and the README's
//! "What the schema cannot say" lists every difference. Patterns are written for both ECMA-262
//! and Python's `re` (no lookaround, `\uXXXX` escapes, explicit character classes instead of
//! `\s`, which the two read differently), and never rely on `$` alone, which Python's `re` also
//! matches before a final line break: a length or a character check closes that gap.

use serde_json::{Map, Value as Json, json};

use super::{Child, Contract, FieldSpec, FieldType, MAX_EXACT_INTEGER, Node, Typed, typed};

/// The dialect every generated schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Unicode's White_Space characters, which Rust's `str::trim` removes (a class body).
const WS: &str = r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// Characters no value may contain that are not white space: controls, bidi marks, overrides
/// and isolates, zero-width space, word joiner, byte order mark (`is_forbidden_char`).
const FORBIDDEN_VISIBLE: &str =
    r"\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF";
/// White-space characters refused even in multiline text (vertical tab, form feed, NEL).
const FORBIDDEN_SPACE: &str = r"\u000B\u000C\u0085";
/// Line breaks and tabs, refused in one-line values.
const LINE_BREAKS: &str = r"\u0009\u000A\u000D\u2028\u2029";
/// A plain decimal as records write it (`parse_decimal`).
const AMOUNT: &str = r"-?[0-9]+(\.[0-9]+)?";
/// A plain decimal that is not below zero (`-0.00` is zero).
const AMOUNT_NOT_NEGATIVE: &str = r"([0-9]+(\.[0-9]+)?|-0+(\.0+)?)";
/// A currency as a string of money may name it: an ISO 4217 code or a sign (`currency_sign`).
const CURRENCY: &str = "([A-Z]{3}|zł|zl|ZŁ|€|£)";

impl Contract {
    /// The JSON Schema (draft 2020-12) of a record for this contract, as one JSON document:
    /// `template` is the template's id (it makes the `$id`, `/v1/templates/{id}/schema`),
    /// `title` and `description` its front matter's.
    ///
    /// Types, required fields, formats, patterns, lengths, enums, money in each written form,
    /// nested objects and lists follow the contract; the reserved keys (`key`, `locale`,
    /// `_today`, `attachments`) are described with their types. Fields a template does not
    /// declare stay allowed: `render` warns about them and writes the letter.
    pub fn json_schema(&self, template: &str, title: &str, description: Option<&str>) -> Json {
        let mut about = String::new();
        if let Some(d) = description {
            about.push_str(d.trim_end());
            about.push_str("\n\n");
        }
        about.push_str(&format!(
            "A record for the letter template `{template}`, as JSON (JSON Lines, a JSON array or a render's --data). \
             Fields the template does not declare are allowed: missive warns about them (record.unknown-field) \
             and writes the letter. A null value is an absent field. Keys starting with `_` are the record's options."
        ));
        let mut defs = Defs::default();
        let (mut root, _) = self.object_schema(&self.root, &mut defs);
        // `object_schema` always writes `properties`; the entry makes sure even if it did not.
        let properties = root.entry("properties").or_insert_with(|| Json::Object(Map::new()));
        if let Some(properties) = properties.as_object_mut() {
            for (name, schema) in reserved_keys(&mut defs) {
                properties.insert(name.to_string(), schema);
            }
        }
        let mut out = Map::new();
        out.insert("$schema".into(), json!(DIALECT));
        out.insert("$id".into(), json!(format!("/v1/templates/{}/schema", percent_encode(template))));
        out.insert("title".into(), json!(title));
        out.insert("description".into(), json!(about));
        out.extend(root);
        let requires: Vec<Json> = self
            .fields
            .iter()
            .flat_map(|f| f.requires.iter().map(move |other| (f, other)))
            .map(|(field, other)| {
                json!({
                    "$comment": format!("`{}` is given only with `{other}`", field.path),
                    "if": given(&field.path),
                    "then": given(other),
                })
            })
            .collect();
        if !requires.is_empty() {
            out.insert("allOf".into(), Json::Array(requires));
        }
        out.insert("$defs".into(), defs.into_json());
        Json::Object(out)
    }

    /// The schema of an object of the contract (the record, a nested object, a list item), and
    /// whether a record must give it: it must when a field inside it is required.
    fn object_schema(&self, node: &Node, defs: &mut Defs) -> (Map<String, Json>, bool) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, child) in &node.children {
            let name = name.as_str().unwrap_or_default();
            let (schema, needed) = match child {
                Child::Field(i) => {
                    let spec = &self.fields[*i];
                    let needed = spec.required && spec.default.is_none();
                    (field_schema(spec, needed, defs), needed)
                }
                Child::Object(inner) => {
                    let (mut schema, needed) = self.object_schema(inner, defs);
                    if !needed {
                        schema.insert("type".into(), json!(["object", "null"]));
                    }
                    (Json::Object(schema), needed)
                }
            };
            if needed {
                required.push(json!(name));
            }
            properties.insert(name.to_string(), schema);
        }
        let mut out = Map::new();
        out.insert("type".into(), json!("object"));
        out.insert("properties".into(), Json::Object(properties));
        let needed = !required.is_empty();
        if needed {
            out.insert("required".into(), Json::Array(required));
        }
        (out, needed)
    }
}

/// The schema of one field's value; `required`: a record must give it, and not as null.
fn field_schema(spec: &FieldSpec, required: bool, defs: &mut Defs) -> Json {
    let mut s = Map::new();
    let null = |types: &[&str]| {
        let mut t: Vec<Json> = types.iter().map(|t| json!(t)).collect();
        if !required {
            t.push(json!("null"));
        }
        if t.len() == 1 { t.remove(0) } else { Json::Array(t) }
    };
    match &spec.ty {
        FieldType::Text | FieldType::Name | FieldType::Email | FieldType::Enum(_) => {
            s.insert("type".into(), null(&["string"]));
            if let FieldType::Enum(values) = &spec.ty {
                let mut values: Vec<Json> = values.iter().map(|v| json!(v)).collect();
                if !required {
                    values.push(Json::Null);
                }
                s.insert("enum".into(), Json::Array(values));
            }
            if matches!(spec.ty, FieldType::Name) {
                s.insert("minLength".into(), json!(1));
            }
            if !matches!(spec.ty, FieldType::Enum(_)) {
                s.insert("maxLength".into(), json!(spec.max_len));
            }
            if matches!(spec.ty, FieldType::Email) {
                s.insert("format".into(), json!("email"));
            }
            if let Some(p) = &spec.pattern {
                s.insert("pattern".into(), json!(p.as_str()));
            }
            let def = match (&spec.ty, spec.multiline) {
                (FieldType::Enum(_), _) => None,
                (FieldType::Name, false) => Some(Def::Name),
                (FieldType::Email, false) => Some(Def::Email),
                (FieldType::Name | FieldType::Email, true) => Some(Def::TrimmedMultiline),
                (_, false) => Some(Def::OneLine),
                (_, true) => Some(Def::Multiline),
            };
            if let Some(def) = def {
                s.insert("$ref".into(), defs.use_def(def));
            }
        }
        FieldType::Date => {
            s.insert("type".into(), null(&["string"]));
            s.insert("format".into(), json!("date"));
            s.insert("$ref".into(), defs.use_def(Def::Date));
        }
        FieldType::Integer => {
            let mut any = vec![
                json!({ "type": "integer", "minimum": -(MAX_EXACT_INTEGER as i64), "maximum": MAX_EXACT_INTEGER }),
                json!({ "type": "string", "pattern": format!("^[{WS}]*[+-]?[0-9]+[{WS}]*$") }),
            ];
            if !required {
                any.push(json!({ "type": "null" }));
            }
            s.insert("anyOf".into(), Json::Array(any));
        }
        FieldType::Decimal => {
            let mut any =
                vec![json!({ "type": "number" }), json!({ "type": "string", "pattern": trimmed_whole(AMOUNT) })];
            if !required {
                any.push(json!({ "type": "null" }));
            }
            s.insert("anyOf".into(), Json::Array(any));
        }
        FieldType::Bool => {
            s.insert("type".into(), null(&["boolean", "string"]));
            let mut values = vec![json!(true), json!(false), json!("true"), json!("false")];
            if !required {
                values.push(Json::Null);
            }
            s.insert("enum".into(), Json::Array(values));
        }
        FieldType::Money => {
            let mut any = money(spec);
            if !required {
                any.push(json!({ "type": "null" }));
            }
            s.insert("anyOf".into(), Json::Array(any));
            if let Some(c) = &spec.currency {
                s.insert("x-missive-currency".into(), json!(c));
            }
        }
        FieldType::List(items) => {
            s.insert("type".into(), null(&["array"]));
            s.insert("minItems".into(), json!(spec.items.0));
            s.insert("maxItems".into(), json!(spec.items.1));
            let (mut item, _) = items.object_schema(&items.root, defs);
            item.insert("x-missive-type".into(), json!("object"));
            s.insert("items".into(), Json::Object(item));
        }
    }
    s.insert("x-missive-type".into(), json!(spec.ty.name()));
    let mut out = Map::new();
    if let Some(d) = &spec.description {
        out.insert("description".into(), json!(d));
    }
    if let Some(d) = &spec.default {
        out.insert("default".into(), as_record_json(d));
    }
    if let Some(e) = &spec.example {
        out.insert("examples".into(), json!([e]));
    }
    out.extend(s);
    Json::Object(out)
}

/// The forms money takes in a record (`parse_money_as` with the default reading), with the
/// field's sign rule; a bare amount only where the field has a currency to give it.
fn money(spec: &FieldSpec) -> Vec<Json> {
    let amount = if spec.negative { AMOUNT } else { AMOUNT_NOT_NEGATIVE };
    let number = || {
        let mut n = json!({ "type": "number" });
        if !spec.negative {
            n["minimum"] = json!(0);
        }
        n
    };
    let mut text = format!("{amount}[{WS}]+{CURRENCY}|{CURRENCY}[{WS}]+{amount}");
    if spec.currency.is_some() {
        text = format!("{amount}|{text}");
    }
    let mut forms = vec![json!({
        "type": "string",
        "description": "an amount with a dot and no grouping, and its currency: \"1234.56 PLN\", \"PLN 1234.56\", \"12 zł\"",
        "pattern": trimmed_whole(&text),
    })];
    if spec.currency.is_some() {
        let mut bare = number();
        bare["description"] = json!("an amount in the field's currency");
        forms.push(bare);
    }
    let mut object = json!({
        "type": "object",
        "properties": {
            "amount": { "anyOf": [{ "type": "string", "pattern": trimmed_whole(amount) }, number()] },
            "currency": { "type": "string", "minLength": 3, "maxLength": 3, "pattern": "^[A-Z]{3}$" },
        },
        "required": ["amount"],
        "additionalProperties": false,
    });
    if spec.currency.is_none() {
        object["required"] = json!(["amount", "currency"]);
    }
    forms.push(object);
    forms
}

/// A check several fields share, written once under `$defs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Def {
    OneLine,
    Multiline,
    Name,
    Email,
    TrimmedMultiline,
    Date,
    Attachment,
}

impl Def {
    fn name(self) -> &'static str {
        match self {
            Def::OneLine => "one-line",
            Def::Multiline => "multiline",
            Def::Name => "name",
            Def::Email => "email",
            Def::TrimmedMultiline => "trimmed-multiline",
            Def::Date => "date",
            Def::Attachment => "attachment",
        }
    }

    fn schema(self) -> Json {
        let chars = |multiline: bool, trimmed: bool| json!({ "not": { "type": "string", "pattern": forbidden(multiline, trimmed) } });
        match self {
            Def::OneLine => {
                let mut s = chars(false, false);
                s["description"] = json!(
                    "One line of visible text: no line breaks, tabs, control characters, bidi marks or zero-width spaces."
                );
                s
            }
            Def::Multiline => {
                let mut s = chars(true, false);
                s["description"] = json!(
                    "Text of one or more lines: no control characters but line breaks and tabs, no bidi marks or zero-width spaces."
                );
                s
            }
            Def::TrimmedMultiline => {
                let mut s = chars(true, true);
                s["description"] =
                    json!("Trimmed text: white space at either end is cut off, the rest as multiline text.");
                s
            }
            Def::Name => json!({
                "description": "A name: trimmed, then one line of visible text, not empty.",
                "allOf": [chars(false, true), { "pattern": format!("[^{WS}]") }],
            }),
            Def::Email => {
                let mut all = vec![chars(false, true)];
                all.extend(email_patterns());
                json!({
                    "description": "An e-mail address, trimmed: dotted words before the @ (at most 64 characters, no spaces, quotes or RFC 5322 specials), a domain of two or more labels of letters, digits and inner hyphens after it.",
                    "allOf": all,
                })
            }
            Def::Date => json!({
                "description": "A date, YYYY-MM-DD: a day of the Gregorian calendar from 1583 to 9999.",
                "type": "string",
                "format": "date",
                "minLength": 10,
                "maxLength": 10,
                "pattern": date_pattern(),
            }),
            Def::Attachment => json!({
                "description": "A plain file name: no folder, not hidden, no controls, bidi or invisible marks (they would reach the email's headers).",
                "type": "string",
                "minLength": 1,
                "pattern": r"^[^./\\:]",
                "not": { "pattern": format!(r"[/\\:{FORBIDDEN_VISIBLE}{FORBIDDEN_SPACE}{LINE_BREAKS}\u061C]") },
            }),
        }
    }
}

/// The `$defs` a schema uses, in a fixed order.
#[derive(Default)]
struct Defs(std::collections::BTreeSet<Def>);

impl Defs {
    /// A `$ref` to `def`, noting that the document needs it.
    fn use_def(&mut self, def: Def) -> Json {
        self.0.insert(def);
        json!(format!("#/$defs/{}", def.name()))
    }

    fn into_json(self) -> Json {
        Json::Object(self.0.into_iter().map(|d| (d.name().to_string(), d.schema())).collect())
    }
}

/// `YYYY-MM-DD` from 1583-01-01 to 9999-12-31, with each month's days and 29 February in
/// leap years only.
pub(crate) fn date_pattern() -> String {
    let year = "(158[3-9]|159[0-9]|1[6-9][0-9]{2}|[2-9][0-9]{3})";
    let leap = "(1[6-9]|[2-9][0-9])(0[48]|[2468][048]|[13579][26])|(16|[2468][048]|[3579][26])00|158[48]|159[26]";
    format!(
        "^({year}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|({leap})-02-29)$"
    )
}

/// `body` as the whole value, white space around it allowed (the value is trimmed).
fn trimmed_whole(body: &str) -> String {
    format!("^[{WS}]*({body})[{WS}]*$")
}

/// A pattern that finds a character the value may not hold. A trimmed value (names, e-mail
/// addresses) may begin and end with white space, line breaks included: they are cut off.
fn forbidden(multiline: bool, trimmed: bool) -> String {
    let space = if multiline { FORBIDDEN_SPACE.to_string() } else { format!("{FORBIDDEN_SPACE}{LINE_BREAKS}") };
    if trimmed {
        format!("[{FORBIDDEN_VISIBLE}]|[^{WS}][{WS}]*[{space}][{WS}]*[^{WS}]")
    } else {
        format!("[{FORBIDDEN_VISIBLE}{space}]")
    }
}

/// An e-mail address as `check_email` accepts it, and the RFC 5322 specials before the `@`
/// that the email refuses (`an(na)@example.pl`).
fn email_patterns() -> Vec<Json> {
    // Anything but white space, `.`, `@`, `<`, `>`, `,`, `;`, `"` and the specials `()[]:\`.
    let local = format!(r#"[^{WS}.@<>,;"()\[\]:\\]+"#);
    // A letter or digit of a domain label: any character but ASCII punctuation and white space.
    let alnum = format!(r"[^\u0000-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007F{WS}]");
    let label_inner = format!(r"[^\u0000-\u002C\u002E\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007F{WS}]");
    let label = format!("{alnum}({label_inner}*{alnum})?");
    vec![
        json!({
            "$comment": "one address: dotted words before the @, a domain of two or more labels after it",
            "pattern": format!("^[{WS}]*{local}(\\.{local})*@{label}(\\.{label})+[{WS}]*$"),
        }),
        json!({
            "$comment": "at most 64 characters before the @",
            "pattern": format!("^[{WS}]*[^@]{{1,64}}@"),
        }),
    ]
}

/// The keys of a record that are not fields.
fn reserved_keys(defs: &mut Defs) -> Vec<(&'static str, Json)> {
    vec![
        (
            "key",
            json!({
                "description": "The record's key: it names the letter's file and Message-ID, and finds the record again when a batch resumes.",
                "type": ["string", "number", "null"],
            }),
        ),
        (
            "locale",
            json!({
                "description": "The letter's language, a BCP 47 tag negotiated against the standard's (pl-PL → pl); --locale overrides it, and a language the standard lacks falls back to its default with a warning.",
                "type": ["string", "null"],
            }),
        ),
        (
            "_today",
            json!({
                "description": "The letter's date, YYYY-MM-DD (--today overrides it; default: today).",
                "type": "string",
                "format": "date",
                "$ref": defs.use_def(Def::Date),
                "x-missive-type": "date",
            }),
        ),
        (
            "attachments",
            json!({
                "description": "Files to attach to the email, by name inside the standard's attachments folder; an object with \"embed\": true also carries its file inside the printed PDF (a PDF/A-3 associated file), and the email then carries it only when it does not carry that PDF.",
                "type": ["array", "null"],
                "items": {
                    "anyOf": [
                        { "$ref": defs.use_def(Def::Attachment) },
                        {
                            "type": "object",
                            "required": ["file"],
                            "additionalProperties": false,
                            "properties": {
                                "file": { "$ref": defs.use_def(Def::Attachment) },
                                "embed": { "type": "boolean", "default": false, "description": "Embed the file in the letter's PDF as an associated file." },
                                "description": {
                                    "type": ["string", "null"],
                                    "maxLength": super::MAX_ATTACHMENT_DESCRIPTION,
                                    "not": { "type": "string", "pattern": "[\\u0000-\\u001F\\u007F-\\u009F]" },
                                    "description": "What the embedded file is, shown beside it by PDF viewers (/Desc): one line.",
                                },
                                "relationship": {
                                    "enum": ["Source", "Data", "Alternative", "Supplement", "Unspecified", null],
                                    "default": "Alternative",
                                    "description": "How the embedded file relates to the letter (/AFRelationship): Alternative for a structured e-invoice.",
                                },
                            },
                            // `description` and `relationship` describe an embedded file only.
                            "if": { "not": { "required": ["embed"], "properties": { "embed": { "const": true } } } },
                            "then": { "not": { "anyOf": [ { "required": ["description"] }, { "required": ["relationship"] } ] } },
                        },
                    ],
                },
            }),
        ),
    ]
}

/// A schema that holds when the record gives a value (not null) at a dotted path, each
/// segment but the last an object (`given` in the contract).
fn given(path: &str) -> Json {
    let mut schema = json!({ "not": { "type": "null" } });
    for segment in path.rsplit('.') {
        schema = json!({ "type": "object", "required": [segment], "properties": { segment: schema } });
    }
    schema
}

/// A declared default as a record would give it: money as `"1234.56 PLN"`, a date as its ISO
/// form, anything else as it is.
fn as_record_json(value: &tera::Value) -> Json {
    match typed(value) {
        Some(Typed::Money(amount, currency)) => json!(format!("{amount} {currency}")),
        Some(Typed::Date(date)) => json!(date.to_string()),
        None => serde_json::to_value(value).unwrap_or(Json::Null),
    }
}

/// A template id as a URI path segment: unreserved characters as they are, others
/// percent-encoded as UTF-8.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{check_year, is_forbidden_char, parse_date, parse_money};
    use regex::Regex;

    #[test]
    fn the_date_pattern_is_the_contracts_dates() {
        let re = Regex::new(&date_pattern()).unwrap();
        let mut checked = 0;
        for year in [0, 1, 1582, 1583, 1584, 1600, 1700, 1800, 1900, 1996, 2000, 2024, 2025, 2100, 2400, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let accepted = parse_date(&text).is_some_and(|d| check_year(d).is_ok());
                    assert_eq!(re.is_match(&text), accepted, "{text}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 7000);
        for text in ["2026-12-1", "2026-12-01 ", "+2026-12-01", "２０２６-１２-０１", "20261201"] {
            assert!(!re.is_match(text), "{text}");
        }
    }

    #[test]
    fn forbidden_characters_are_the_contracts() {
        let samples: Vec<char> = (0..0x3100u32).filter_map(char::from_u32).chain(['\u{FEFF}', '\u{FFFF}']).collect();
        for multiline in [false, true] {
            let re = Regex::new(&forbidden(multiline, false)).unwrap();
            for &c in &samples {
                let value = format!("a{c}b");
                assert_eq!(re.is_match(&value), is_forbidden_char(c, multiline), "U+{:04X} {multiline}", c as u32);
            }
            // Trimmed values: white space at either end is cut off before the check.
            let re = Regex::new(&forbidden(multiline, true)).unwrap();
            for &c in &samples {
                let inside = is_forbidden_char(c, multiline);
                assert_eq!(re.is_match(&format!("a{c}b")), inside, "U+{:04X} inside", c as u32);
                let at_end = inside && !c.is_whitespace();
                assert_eq!(re.is_match(&format!(" a{c}\n")), at_end, "U+{:04X} at the end", c as u32);
                assert_eq!(re.is_match(&format!("{c} a")), at_end, "U+{:04X} at the start", c as u32);
            }
        }
    }

    #[test]
    fn white_space_is_rusts() {
        let re = Regex::new(&format!("^[{WS}]$")).unwrap();
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            assert_eq!(re.is_match(&c.to_string()), c.is_whitespace(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn money_strings_are_the_contracts() {
        let with = |negative: bool, currency: Option<&str>| {
            let amount = if negative { AMOUNT } else { AMOUNT_NOT_NEGATIVE };
            let mut text = format!("{amount}[{WS}]+{CURRENCY}|{CURRENCY}[{WS}]+{amount}");
            if currency.is_some() {
                text = format!("{amount}|{text}");
            }
            Regex::new(&trimmed_whole(&text)).unwrap()
        };
        let cases = [
            "12.50 PLN",
            " 12.50\u{a0}EUR ",
            "PLN 12",
            "12 zł",
            "£ 3",
            "-0.00 PLN",
            "-5 PLN",
            "7.5",
            "-7.5",
            "12 złotych",
            "12.00 pln",
            "PLN12.00",
            "1 234,56 PLN",
            "1. PLN",
            ".5 PLN",
            "+1 PLN",
            "12.50 PLN EUR",
            "١٢ PLN",
            "",
            "12 PLN\n",
            "0",
            "-0",
        ];
        for currency in [None, Some("PLN")] {
            for negative in [false, true] {
                let re = with(negative, currency);
                for text in cases {
                    let parsed = parse_money(&json!(text), currency);
                    let accepted = parsed.is_ok_and(|(a, _)| {
                        negative || !a.starts_with('-') || crate::fields::parse_decimal(&a).is_some_and(|d| d.is_zero())
                    });
                    assert_eq!(re.is_match(text), accepted, "{text:?} negative={negative} currency={currency:?}");
                }
            }
        }
    }

    #[test]
    fn nested_objects_lists_and_requires() {
        let decls: indexmap::IndexMap<String, toml::Value> = toml::from_str(
            r#"
            "customer.name" = { type = "name", required = true, description = "Who", example = "Anna Kowalska" }
            "customer.address.street" = { type = "text", requires = ["customer.address.city"] }
            "customer.address.city" = "text"
            "total" = { type = "money", negative = true, currency = "EUR" }
            "count" = { type = "integer", default = 3 }
            "lines" = { type = "list", min_items = 1, item = { amount = { type = "money", required = true } } }
            "#,
        )
        .unwrap();
        let schema = Contract::from_decls(&decls).unwrap().json_schema("a b", "A", None);
        assert_eq!(schema["$id"], "/v1/templates/a%20b/schema");
        assert_eq!(schema["required"], json!(["customer"]));
        let customer = &schema["properties"]["customer"];
        assert_eq!(customer["type"], "object");
        assert_eq!(customer["required"], json!(["name"]));
        assert_eq!(customer["properties"]["name"]["examples"], json!(["Anna Kowalska"]));
        assert_eq!(customer["properties"]["address"]["type"], json!(["object", "null"]));
        assert_eq!(schema["properties"]["count"]["default"], json!(3));
        let total = &schema["properties"]["total"];
        assert_eq!(total["x-missive-currency"], "EUR");
        assert!(total["anyOf"][1].get("minimum").is_none(), "a negative amount is allowed: {total}");
        let lines = &schema["properties"]["lines"];
        assert_eq!(lines["minItems"], 1);
        assert_eq!(lines["items"]["required"], json!(["amount"]));
        assert_eq!(lines["items"]["properties"]["amount"]["anyOf"][1]["required"], json!(["amount", "currency"]));
        assert_eq!(schema["allOf"][0]["then"], given("customer.address.city"));
        assert!(schema["properties"]["_today"].is_object() && schema["properties"]["key"].is_object());
    }
}
