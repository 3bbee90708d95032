//! Parquet input (feature `parquet`): rows become records, the text and id columns named
//! by the options, other plain columns carried as fields; bad rows and bad files are
//! errors naming the file and row. Without the feature a Parquet file is reported as
//! unsupported, never read as text.

use std::path::Path;

use reprint_io::{open_inputs, InputError, ReadOptions, Record};

type Item = Result<Record, InputError>;

fn read_with(path: &Path, opts: &ReadOptions) -> Vec<Item> {
    open_inputs(&[path.to_path_buf()], opts).unwrap().collect()
}

#[cfg(feature = "parquet")]
mod with_feature {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    use arrow_array::{
        ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    };
    use parquet::arrow::ArrowWriter;

    fn write(
        dir: &Path,
        name: &str,
        columns: Vec<(&str, ArrayRef)>,
        rows_per_group: usize,
    ) -> PathBuf {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let path = dir.join(name);
        let file = std::fs::File::create(&path).unwrap();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_max_row_group_row_count(Some(rows_per_group))
            .build();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        path
    }

    #[test]
    fn rows_are_records_with_their_columns_carried() {
        let dir = tempfile::tempdir().unwrap();
        let n = 2500; // more than one batch and one row group
        let ids: Vec<String> = (0..n).map(|i| format!("doc-{i}")).collect();
        let texts: Vec<String> = (0..n).map(|i| format!("Texte numéro {i}.")).collect();
        let path = write(
            dir.path(),
            "corpus.bin", // recognised by its magic bytes, not its name
            vec![
                ("id", Arc::new(StringArray::from(ids.clone())) as ArrayRef),
                (
                    "text",
                    Arc::new(StringArray::from(texts.clone())) as ArrayRef,
                ),
                (
                    "score",
                    Arc::new(Float64Array::from_iter_values(
                        (0..n).map(|i| i as f64 / 2.0),
                    )) as ArrayRef,
                ),
                (
                    "n",
                    Arc::new(Int64Array::from_iter_values(0..n as i64)) as ArrayRef,
                ),
                (
                    "ok",
                    Arc::new(BooleanArray::from(
                        (0..n).map(|i| i % 2 == 0).collect::<Vec<_>>(),
                    )) as ArrayRef,
                ),
                (
                    "date",
                    Arc::new(Date32Array::from_iter_values(
                        (0..n as i32).map(|i| 19_800 + i % 3),
                    )) as ArrayRef,
                ),
            ],
            1000,
        );
        let items = read_with(&path, &ReadOptions::default());
        assert_eq!(items.len(), n);
        for (i, item) in items.iter().enumerate() {
            let r = item.as_ref().unwrap();
            assert_eq!(r.id, ids[i]);
            assert_eq!(r.text, texts[i]);
            assert_eq!(r.origin.line, i as u64 + 1, "rows numbered from 1");
            let fields: Vec<(&str, &str)> = r
                .fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.get()))
                .collect();
            assert_eq!(fields.len(), 4, "{fields:?}");
            assert_eq!(fields[0].0, "score");
            assert_eq!(fields[1], ("n", i.to_string().as_str()));
            assert_eq!(fields[2], ("ok", if i % 2 == 0 { "true" } else { "false" }));
            let expected_date = ["\"2024-03-18\"", "\"2024-03-19\"", "\"2024-03-20\""][i % 3];
            assert_eq!(
                fields[3],
                ("date", expected_date),
                "dates as ISO 8601 strings"
            );
            let raw: serde_json::Value = serde_json::from_str(&r.raw).unwrap();
            assert_eq!(raw["text"], texts[i].as_str(), "a JSONL line for dedup");
        }
        let spared = read_with(
            &path,
            &ReadOptions {
                keep_raw: false,
                ..ReadOptions::default()
            },
        );
        assert!(spared[0].as_ref().unwrap().raw.is_empty());
    }

    #[test]
    fn named_columns_nulls_and_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "named.parquet",
            vec![
                (
                    "doc_id",
                    Arc::new(Int64Array::from(vec![Some(7), None, Some(7), Some(9)])) as ArrayRef,
                ),
                (
                    "body",
                    Arc::new(StringArray::from(vec![
                        Some("a"),
                        Some("b"),
                        Some("c"),
                        None,
                    ])) as ArrayRef,
                ),
            ],
            10,
        );
        let opts = ReadOptions {
            id_field: "doc_id".into(),
            text_field: "body".into(),
            ..ReadOptions::default()
        };
        let items = read_with(&path, &opts);
        let name = path.to_string_lossy().into_owned();
        assert_eq!(items[0].as_ref().unwrap().id, "7", "integer ids as strings");
        assert_eq!(
            items[1].as_ref().unwrap().id,
            format!("{name}:2"),
            "a null id"
        );
        let dup = items[2].as_ref().unwrap_err();
        assert_eq!((dup.kind.reason(), dup.line), ("duplicate_id", Some(3)));
        let null_text = items[3].as_ref().unwrap_err();
        assert_eq!(
            (null_text.kind.reason(), null_text.line),
            ("text_not_string", Some(4))
        );
        assert!(null_text.to_string().contains(&name), "{null_text}");

        // Without the text column: one error for the file.
        let items = read_with(&path, &ReadOptions::default());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].as_ref().unwrap_err().kind.reason(), "missing_text");
    }

    #[test]
    fn a_damaged_file_is_one_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.parquet");
        std::fs::write(&path, b"PAR1 and then nothing that Parquet can read").unwrap();
        let items = read_with(&path, &ReadOptions::default());
        assert_eq!(items.len(), 1);
        let e = items[0].as_ref().unwrap_err();
        assert_eq!(e.kind.reason(), "parquet_unreadable");
        assert!(e.to_string().contains("broken.parquet"), "{e}");
    }
}

#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_parquet_is_unsupported_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.parquet");
    std::fs::write(&path, b"PAR1\x15\x04\x15\x00binary row groups").unwrap();
    let items = read_with(&path, &ReadOptions::default());
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(e.kind.reason(), "unsupported");
    assert!(e.to_string().contains("--features parquet"), "{e}");
}

#[cfg(feature = "parquet")]
#[test]
fn damaged_parquet_never_panics_and_loses_no_row_silently() {
    use reprint_io::arrow_array::{ArrayRef, RecordBatch, StringArray};
    use reprint_io::parquet::arrow::ArrowWriter;
    let dir = tempfile::tempdir().unwrap();
    let n = 300;
    let batch = RecordBatch::try_from_iter([
        (
            "id",
            std::sync::Arc::new(StringArray::from(
                (0..n).map(|i| format!("r{i}")).collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        (
            "text",
            std::sync::Arc::new(StringArray::from(
                (0..n).map(|i| format!("row {i} text")).collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
    ])
    .unwrap();
    let mut good = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut good, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let path = dir.path().join("mutated.parquet");
    for round in 0..400 {
        let mut bytes = good.clone();
        // Flip a few bytes anywhere but the leading magic, or cut the file short.
        if round % 5 == 4 {
            bytes.truncate(4 + (next() as usize) % (bytes.len() - 4));
        } else {
            for _ in 0..1 + round % 4 {
                let at = 4 + (next() as usize) % (bytes.len() - 4);
                bytes[at] ^= 1 << (next() % 8);
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        let items = read_with(&path, &ReadOptions::default());
        // Each row is a record or an error, or the file is one error: never a panic.
        let records = items.iter().filter(|i| i.is_ok()).count();
        assert!(records <= n, "round {round}");
        for item in items.iter().filter_map(|i| i.as_ref().err()) {
            assert!(item.to_string().contains("mutated.parquet"), "{item}");
        }
    }
}
