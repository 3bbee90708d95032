//! Records handed over in memory (the Python package's path) scan exactly as the same
//! records read from their JSONL file, and the result tables come back as JSONL bytes
//! equal to the files `write` makes; a duplicate id is an error naming its position.

use std::path::PathBuf;

use reprint_io::{open_inputs, MemoryRecord, ReadOptions};
use reprint_pipeline::{scan, scan_records, InputSpec, MatchSettings, NoProgress, Resources};

#[test]
fn records_in_memory_scan_as_their_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/news/articles.jsonl");
    let spec = InputSpec {
        inputs: vec![path.clone()],
        read: ReadOptions::default(),
        skip_invalid: false,
    };
    let from_file = scan(&spec, &MatchSettings::default(), &NoProgress).unwrap();
    let dir = tempfile::tempdir().unwrap();
    from_file.write(dir.path()).unwrap();

    let records: Vec<MemoryRecord> = open_inputs(&[path], &ReadOptions::default())
        .unwrap()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            MemoryRecord {
                line: i as u64 + 1,
                id: Some(r.id),
                text: r.text,
                fields: r.fields,
            }
        })
        .collect();
    let from_memory = scan_records(
        records,
        false,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    let tables = from_memory.jsonl_tables().unwrap();
    for (name, bytes) in [
        ("documents.jsonl", &tables.documents),
        ("clusters.jsonl", &tables.clusters),
        ("matches.jsonl", &tables.matches),
    ] {
        assert!(
            std::fs::read(dir.path().join(name)).unwrap() == *bytes,
            "{name} differs"
        );
    }
    assert!(!tables.matches.is_empty());
}

#[test]
fn a_duplicate_id_in_memory_names_its_position() {
    let record = |line: u64, id: &str| MemoryRecord {
        line,
        id: Some(id.to_owned()),
        text: "some words here".to_owned(),
        fields: Vec::new(),
    };
    let err = scan_records(
        vec![record(1, "a"), record(2, "b"), record(3, "a")],
        false,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .err()
    .expect("a duplicate id is an error");
    let message = format!("{}", std::error::Error::source(&err).unwrap());
    assert_eq!(message, "<records>:3: duplicate id \"a\"");
}
