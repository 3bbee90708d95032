//! Records handed over in memory by a front end (the Python package's lists of dicts,
//! data frames and Arrow tables), read with the same rules as a JSONL file: a record
//! without an id gets `<records>:N` (N its 1-based position in what the front end was
//! given, [`MemoryRecord::line`]), a duplicate id is a `duplicate_id` error naming that
//! position, and every other field is carried.

use std::sync::Arc;

use serde_json::value::RawValue;

use super::ids::IdSet;
use super::{ErrorKind, InputError, Origin, Record};

/// What errors and generated ids name a run of in-memory records as.
pub const MEMORY_NAME: &str = "<records>";

/// One record handed over in memory.
#[derive(Debug, Clone)]
pub struct MemoryRecord {
    /// The record's 1-based position among what the user handed over (records the
    /// front end left out still count).
    pub line: u64,
    pub id: Option<String>,
    pub text: String,
    /// Other fields, in order, as raw JSON values.
    pub fields: Vec<(String, Box<RawValue>)>,
}

/// The records as the scan reads them, in order.
pub fn read_memory(
    records: Vec<MemoryRecord>,
) -> impl Iterator<Item = Result<Record, InputError>> + Send {
    let name: Arc<str> = Arc::from(MEMORY_NAME);
    let mut ids = IdSet::new();
    records.into_iter().map(move |record| {
        let line = record.line;
        let id = record.id.unwrap_or_else(|| format!("{MEMORY_NAME}:{line}"));
        if !ids.insert(&id) {
            return Err(InputError::new(
                &*name,
                Some(line),
                ErrorKind::DuplicateId(id),
            ));
        }
        Ok(Record {
            id,
            text: record.text,
            fields: record.fields,
            raw: String::new(),
            origin: Origin {
                file: name.clone(),
                line,
            },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: u64, id: Option<&str>, text: &str) -> MemoryRecord {
        MemoryRecord {
            line,
            id: id.map(str::to_owned),
            text: text.to_owned(),
            fields: vec![("n".into(), RawValue::from_string("1".into()).unwrap())],
        }
    }

    #[test]
    fn ids_are_generated_and_duplicates_named_by_position() {
        let items: Vec<_> = read_memory(vec![
            record(1, Some("a"), "one"),
            record(2, None, "two"),
            // The front end left out record 3.
            record(4, Some("a"), "three"),
        ])
        .collect();
        let first = items[0].as_ref().unwrap();
        assert_eq!((first.id.as_str(), first.fields.len()), ("a", 1));
        assert_eq!(items[1].as_ref().unwrap().id, "<records>:2");
        let err = items[2].as_ref().unwrap_err();
        assert_eq!(err.kind.reason(), "duplicate_id");
        assert_eq!(err.to_string(), "<records>:4: duplicate id \"a\"");
    }
}
