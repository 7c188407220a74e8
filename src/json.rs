//! Records as JSON, parsed strictly: an object that names one key twice is an error naming the
//! key's path, never a record whose first value silently lost to its second.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

/// Parses JSON text (one record, a CSV cell) as [`serde_json::from_slice`] does, but refuses
/// an object with a repeated key: `duplicate key `customer.name` at line 1 column 40`.
pub fn from_slice(bytes: &[u8]) -> serde_json::Result<Json> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict { parent: None }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// [`from_slice`] for text.
pub fn from_str(text: &str) -> serde_json::Result<Json> {
    from_slice(text.as_bytes())
}

/// Where a value sits: its key and its parent's place, kept on the stack so that the path is
/// only written out for an error.
struct Place<'a> {
    parent: Option<&'a Place<'a>>,
    key: Key<'a>,
}

#[derive(Clone, Copy)]
enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}")?;
        }
        match self.key {
            Key::Name(name) if self.parent.is_some() => write!(f, ".{name}"),
            Key::Name(name) => write!(f, "{name}"),
            Key::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A value at a place, deserialized into a [`Json`] with every object checked for repeats.
struct Strict<'a> {
    parent: Option<&'a Place<'a>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = {
            let place = Place { parent: self.parent, key: Key::Index(items.len()) };
            seq.next_element_seed(Strict { parent: Some(&place) })?
        } {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let place = Place { parent: self.parent, key: Key::Name(&key) };
            let value = map.next_value_seed(Strict { parent: Some(&place) })?;
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{place}`: a record names each field once (which value is meant?)"
                )));
            }
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_serde_json_parses() {
        let texts = [
            r#"{"a": 1, "b": [1, -2, 3.5, "x", null, true, {"c": {}}], "d": {"e": "ż\n"}}"#,
            r#"[1e400, 18446744073709551615, -9223372036854775808]"#,
            "\"just a string\"",
        ];
        for text in texts {
            let ours = from_str(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Json>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
        }
        assert_eq!(from_str("{\"a\": 1} x").unwrap_err().to_string(), "trailing characters at line 1 column 10");
    }

    #[test]
    fn a_repeated_key_is_an_error_naming_its_path() {
        let e = from_str(r#"{"customer": {"name": "A", "email": "a@b.pl", "name": "B"}}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate key `customer.name`"), "{e}");
        assert!(e.to_string().ends_with("line 1 column 58"), "{e}");
        let e = from_str(r#"{"lines": [{"amount": 1}, {"amount": 2, "amount": 3}]}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate key `lines[1].amount`"), "{e}");
        let e = from_str(r#"{"key": 1, "key": 1}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate key `key`"), "{e}");
        assert!(from_str(r#"{"a": {"b": 1}, "b": {"a": 1}}"#).is_ok(), "the same name in other objects is fine");
    }
}
