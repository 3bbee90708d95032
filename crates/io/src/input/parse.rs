//! Parsing one JSONL line into the pieces of a [`Record`](super::Record).
//!
//! `serde_json::Map` (or `Value`) would lose the bytes of the carried fields (`1.50`
//! becomes `1.5`, key order may change), and `reprint` promises to write them back
//! unchanged. So the object is walked with a small [`Visitor`] that keeps every other
//! field as a `RawValue` (its exact source text) in input order, decodes the text in the
//! same pass (borrowed from the line when it has no escapes), and borrows the id's raw
//! text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::ErrorKind;

/// The fields of one JSON object, split as the reader needs them.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    /// The text field, if present (the last one, if repeated): `Some(text)` when it is a
    /// JSON string, `None` when it is anything else.
    pub text: Option<Option<Cow<'a, str>>>,
    /// The id field's raw value, if present (the last one, if repeated).
    pub id: Option<&'a RawValue>,
    /// Every other field, in input order, byte-for-byte.
    pub fields: Vec<(String, Box<RawValue>)>,
}

/// Parses `line` (already known to be UTF-8 and not blank) as one JSON object.
///
/// A repeated text or id key keeps the last value, as Python's `json` and serde_json's
/// `Map` do, so reprint reads the record the way the tools around it would.
pub(crate) fn parse_object<'a>(
    line: &'a str,
    text_field: &str,
    id_field: &str,
) -> Result<Parsed<'a>, ErrorKind> {
    if !line.trim_start_matches(is_json_space).starts_with('{') {
        // Tell "valid JSON, wrong shape" from "not JSON at all": the first is usually a
        // wrong input file, the second a damaged line.
        return Err(match serde_json::from_str::<&RawValue>(line) {
            Ok(_) => ErrorKind::NotAnObject,
            Err(e) => ErrorKind::MalformedJson(e.to_string()),
        });
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed = ObjectSeed {
        text_field,
        id_field,
    }
    .deserialize(&mut de)
    .and_then(|parsed| de.end().map(|()| parsed))
    .map_err(|e| ErrorKind::MalformedJson(e.to_string()))?;
    Ok(parsed)
}

/// JSON's four whitespace characters (narrower than `char::is_whitespace`).
pub(crate) fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Decodes a raw JSON value that must be a string; `None` when it is anything else.
pub(crate) fn decode_string(raw: &RawValue) -> Option<String> {
    let s = raw.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    // Fast path: serde_json has validated the string, and without a backslash its
    // content is exactly the bytes between the quotes (control characters must be
    // escaped in JSON, so none can hide there).
    if !inner.contains('\\') {
        return Some(inner.to_owned());
    }
    serde_json::from_str::<String>(s).ok()
}

/// What the id field held.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum IdValue {
    /// A string, or an integer written as its JSON text (`42`, `-7`, `12345678901234567890`).
    Given(String),
    /// Absent or `null`: the reader generates `<file>:<line>`.
    Absent,
    /// Anything else (float, bool, array, object).
    Bad,
}

pub(crate) fn decode_id(raw: Option<&RawValue>) -> IdValue {
    let Some(raw) = raw else {
        return IdValue::Absent;
    };
    let s = raw.get();
    if s == "null" {
        return IdValue::Absent;
    }
    if let Some(id) = decode_string(raw) {
        return IdValue::Given(id);
    }
    // The text is valid JSON, so an optional minus then digits only is an integer (JSON
    // has no leading zeros or plus sign); keeping its text avoids any precision limit.
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return IdValue::Given(s.to_owned());
    }
    IdValue::Bad
}

/// Walks one object; the field names tell which values to borrow and which to keep.
struct ObjectSeed<'f> {
    text_field: &'f str,
    id_field: &'f str,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = Parsed<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = Parsed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut parsed = Parsed {
            text: None,
            id: None,
            fields: Vec::new(),
        };
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let is_text = key == self.text_field;
            let is_id = key == self.id_field;
            if is_text && is_id {
                // One field as both text and id (odd, but allowed): keep it raw for both.
                let value = map.next_value::<&'de RawValue>()?;
                parsed.text = Some(decode_string(value).map(Cow::Owned));
                parsed.id = Some(value);
            } else if is_text {
                parsed.text = Some(map.next_value::<TextValue<'de>>()?.0);
            } else if is_id {
                parsed.id = Some(map.next_value::<&'de RawValue>()?);
            } else {
                let value = map.next_value::<Box<RawValue>>()?;
                parsed.fields.push((key.into_owned(), value));
            }
        }
        Ok(parsed)
    }
}

/// The text field's value, decoded in the parsing pass (one scan of what is usually
/// most of the line): `None` for a value that is not a string, which is skipped.
struct TextValue<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for TextValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TextValue(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TextValue(Some(Cow::Owned(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(TextValue(Some(Cow::Owned(v))))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(TextValue(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(TextValue(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(TextValue(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(TextValue(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TextValue(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TextValue(None))
    }

    // Also where numbers land if serde_json's `arbitrary_precision` is ever enabled.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(TextValue(None))
    }
}

/// An object key, borrowed from the line unless it had escapes to decode.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Parsed<'_>, ErrorKind> {
        parse_object(line, "text", "id")
    }

    #[test]
    fn splits_text_id_and_keeps_other_fields_raw_in_order() {
        let p = parse(r#" {"z": 1.50, "id": 7, "a":{"b" : [1, 2]}, "text": "hi"} "#).unwrap();
        assert_eq!(p.text.unwrap().unwrap(), "hi");
        assert_eq!(p.id.unwrap().get(), "7");
        let fields: Vec<(&str, &str)> = p
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.get()))
            .collect();
        assert_eq!(fields, vec![("z", "1.50"), ("a", "{\"b\" : [1, 2]}")]);
    }

    #[test]
    fn escaped_keys_are_decoded_before_matching() {
        let p = parse(r#"{"te\u0078t": "x", "k\"q": 1}"#).unwrap();
        assert_eq!(p.text.unwrap().unwrap(), "x");
        assert_eq!(p.fields[0].0, "k\"q");
    }

    #[test]
    fn repeated_text_key_keeps_the_last() {
        let p = parse(r#"{"text": "a", "text": "b"}"#).unwrap();
        assert_eq!(p.text.unwrap().unwrap(), "b");
    }

    #[test]
    fn shape_errors() {
        assert_eq!(parse("[1,2]").unwrap_err(), ErrorKind::NotAnObject);
        assert_eq!(parse("\"text\"").unwrap_err(), ErrorKind::NotAnObject);
        assert_eq!(parse("null").unwrap_err().reason(), "not_an_object");
        assert_eq!(parse("[1,").unwrap_err().reason(), "malformed_json");
        assert_eq!(
            parse("{\"text\": \"a\"").unwrap_err().reason(),
            "malformed_json"
        );
        assert_eq!(
            parse("{\"text\": \"a\"} x").unwrap_err().reason(),
            "malformed_json"
        );
        assert_eq!(
            parse("{\"text\": \"a\"}{}").unwrap_err().reason(),
            "malformed_json"
        );
        assert_eq!(parse("{'text': 1}").unwrap_err().reason(), "malformed_json");
    }

    #[test]
    fn strings_decode_with_and_without_escapes() {
        let raw = |s: &str| RawValue::from_string(s.to_owned()).unwrap();
        assert_eq!(decode_string(&raw("\"plain é\"")).unwrap(), "plain é");
        assert_eq!(decode_string(&raw(r#""a\nb\"\u00e9""#)).unwrap(), "a\nb\"é");
        assert_eq!(decode_string(&raw("\"\"")).unwrap(), "");
        assert_eq!(decode_string(&raw("12")), None);
        assert_eq!(decode_string(&raw("null")), None);
    }

    #[test]
    fn ids() {
        let raw = |s: &str| RawValue::from_string(s.to_owned()).unwrap();
        let id = |s: &str| decode_id(Some(&raw(s)));
        assert_eq!(id("\"x\""), IdValue::Given("x".into()));
        assert_eq!(id("0"), IdValue::Given("0".into()));
        assert_eq!(id("-12"), IdValue::Given("-12".into()));
        assert_eq!(
            id("123456789012345678901234567890"),
            IdValue::Given("123456789012345678901234567890".into())
        );
        assert_eq!(id("null"), IdValue::Absent);
        assert_eq!(decode_id(None), IdValue::Absent);
        assert_eq!(id("1.5"), IdValue::Bad);
        assert_eq!(id("1e3"), IdValue::Bad);
        assert_eq!(id("true"), IdValue::Bad);
        assert_eq!(id("[1]"), IdValue::Bad);
        assert_eq!(id("{}"), IdValue::Bad);
    }

    #[test]
    fn text_values_of_every_type() {
        fn text(line: &str) -> Option<Option<Cow<'_, str>>> {
            parse(line).unwrap().text
        }
        assert_eq!(
            text(r#"{"text":"a\u00e9\n"}"#),
            Some(Some(Cow::Borrowed("aé\n")))
        );
        assert!(matches!(
            text(r#"{"text":"plain"}"#),
            Some(Some(Cow::Borrowed("plain")))
        ));
        for bad in [
            "1",
            "-1",
            "1.5",
            "true",
            "null",
            "[1,[2],{\"a\":3}]",
            "{\"a\":{\"b\":[]}}",
        ] {
            let line = format!(r#"{{"text":{bad},"after":1}}"#);
            let p = parse(&line).unwrap();
            assert_eq!(p.text, Some(None), "{bad}");
            assert_eq!(p.fields[0].1.get(), "1", "{bad}");
        }
        assert_eq!(text(r#"{"id":"x"}"#), None);
    }

    #[test]
    fn text_field_that_is_also_the_id_field() {
        let p = parse_object(r#"{"k":"v","n":1}"#, "k", "k").unwrap();
        assert_eq!(p.text, Some(Some(Cow::Borrowed("v"))));
        assert_eq!(p.id.unwrap().get(), "\"v\"");
        assert_eq!(p.fields.len(), 1);
    }
}
