//! A scan of a Parquet file finds what a scan of the same records as JSONL finds, byte
//! for byte (feature `parquet`).
#![cfg(feature = "parquet")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use reprint_io::arrow_array::{ArrayRef, RecordBatch, StringArray};
use reprint_io::parquet::arrow::ArrowWriter;
use reprint_io::ReadOptions;
use reprint_pipeline::{scan, InputSpec, MatchSettings, NoProgress};

fn scan_to(input: &Path, out: &Path) {
    let spec = InputSpec {
        inputs: vec![input.to_path_buf()],
        read: ReadOptions::default(),
        skip_invalid: false,
    };
    let result = scan(&spec, &MatchSettings::default(), &NoProgress).expect("scan");
    std::fs::create_dir_all(out).unwrap();
    result.write(out).expect("write");
}

#[test]
fn a_parquet_file_scans_as_its_jsonl() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/news/articles.jsonl");
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&root)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(records.len() > 10);
    let column = |name: &str| -> ArrayRef {
        Arc::new(StringArray::from(
            records
                .iter()
                .map(|r| r[name].as_str().map(str::to_owned))
                .collect::<Vec<_>>(),
        ))
    };
    // The same records, with the columns in the JSONL's field order.
    let names = ["id", "site", "date", "url", "title", "text"];
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("articles.jsonl");
    let lines: String = records
        .iter()
        .map(|r| {
            // Written by hand: a serde_json map would sort the keys.
            let fields: Vec<String> = names
                .iter()
                .filter_map(|n| Some(format!("{:?}:{}", n, r.get(*n)?)))
                .collect();
            format!("{{{}}}\n", fields.join(","))
        })
        .collect();
    std::fs::write(&jsonl, lines).unwrap();
    let batch = RecordBatch::try_from_iter(names.iter().map(|n| (*n, column(n)))).unwrap();
    let parquet = dir.path().join("articles.parquet");
    let mut writer = ArrowWriter::try_new(
        std::fs::File::create(&parquet).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let (from_jsonl, from_parquet) = (dir.path().join("a"), dir.path().join("b"));
    scan_to(&jsonl, &from_jsonl);
    scan_to(&parquet, &from_parquet);
    for file in [
        "documents.jsonl",
        "clusters.jsonl",
        "matches.jsonl",
        "texts.jsonl",
    ] {
        let (a, b) = (
            std::fs::read(from_jsonl.join(file)).unwrap(),
            std::fs::read(from_parquet.join(file)).unwrap(),
        );
        assert!(!a.is_empty(), "{file}");
        if a != b {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            let line = a.lines().zip(b.lines()).find(|(x, y)| x != y);
            panic!("{file} differs between the JSONL and the Parquet scan: {line:?}");
        }
    }
}
