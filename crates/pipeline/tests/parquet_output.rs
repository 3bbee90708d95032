//! A scan written as Parquet (feature `parquet`) holds the rows of the same scan written
//! as JSONL, table by table and key by key, with the same manifest counts; its bytes do
//! not depend on the thread count. Without the feature, asking for Parquet is an error
//! naming the feature, and nothing is written.

use std::path::PathBuf;

use reprint_io::output::OutputFormat;
use reprint_io::ReadOptions;
use reprint_pipeline::{scan, InputSpec, MatchSettings, NoProgress};

#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_feature_parquet_output_is_an_error_naming_it() {
    assert!(!OutputFormat::Parquet.available());
    let dir = tempfile::tempdir().unwrap();
    let spec = InputSpec {
        inputs: vec![repo().join("examples/seeds")],
        read: ReadOptions::default(),
        skip_invalid: false,
    };
    let result = scan(&spec, &MatchSettings::default(), &NoProgress).expect("scan");
    let err = result
        .write_as(dir.path(), OutputFormat::Parquet)
        .unwrap_err();
    assert!(err.to_string().contains("`parquet` feature"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(feature = "parquet")]
mod with_feature {
    use super::*;
    use serde_json::Value;
    use std::path::Path;

    /// The shipped example and the team's fixtures, plus records carrying fields of every
    /// JSON type (and one named like a key of reprint's).
    fn corpus(dir: &Path) -> Vec<PathBuf> {
        let extra = dir.join("extra.jsonl");
        let text = "Le conseil municipal de Velmora a voté mardi la fermeture du vieux marché \
        couvert, fragilisé par les crues de l'hiver. Les commerçants seront installés sur \
        la place de la gare pendant les travaux, qui dureront au moins dix-huit mois.";
        let lines = [
        format!(
            "{{\"id\":\"x1\",\"text\":{:?},\"n\":1,\"score\":2,\"flag\":true,\"meta\":{{\"a\":[1,2]}},\"cluster\":\"mine\"}}\n",
            text
        ),
        format!(
            "{{\"id\":\"x2\",\"text\":{:?},\"n\":-4,\"score\":0.5,\"flag\":null,\"meta\":\"plain\"}}\n",
            text.replace("mardi", "lundi")
        ),
    ];
        std::fs::write(&extra, lines.concat()).unwrap();
        vec![
            repo().join("examples/news/articles.jsonl"),
            repo().join("crates/cli/tests/fixtures/traps/articles.jsonl"),
            repo().join("crates/cli/tests/fixtures/one_topic/articles.jsonl"),
            extra,
        ]
    }

    fn scan_to(inputs: &[PathBuf], out: &Path, format: OutputFormat, threads: usize) {
        let spec = InputSpec {
            inputs: inputs.to_vec(),
            read: ReadOptions::default(),
            skip_invalid: false,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let result = scan(&spec, &MatchSettings::default(), &NoProgress).expect("scan");
            std::fs::create_dir_all(out).unwrap();
            result.write_as(out, format).expect("write");
        });
    }

    /// Numbers as numbers, absent keys as nulls (see `crates/io/tests/parquet_output.rs`).
    fn normalised(v: Value) -> Value {
        match v {
            Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
            Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, normalised(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    fn rows(bytes: &[u8]) -> Vec<Value> {
        std::str::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn parquet_tables_hold_the_jsonl_rows() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = corpus(dir.path());
        let (jsonl, parquet) = (dir.path().join("jsonl"), dir.path().join("parquet"));
        scan_to(&inputs, &jsonl, OutputFormat::Jsonl, 2);
        scan_to(&inputs, &parquet, OutputFormat::Parquet, 2);
        let manifest = |dir: &Path| -> Value {
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
        };
        let (mj, mp) = (manifest(&jsonl), manifest(&parquet));
        let mut kinds = std::collections::BTreeSet::new();
        for table in ["documents", "clusters", "matches", "texts"] {
            let want: Vec<Value> =
                rows(&std::fs::read(jsonl.join(format!("{table}.jsonl"))).unwrap())
                    .into_iter()
                    .map(|mut row| {
                        // The one carried field of mixed types is stored as its JSON text.
                        if let Some(meta) = row.get_mut("meta") {
                            *meta = Value::String(meta.to_string());
                        }
                        normalised(row)
                    })
                    .collect();
            let got: Vec<Value> = rows(
                &reprint_io::output::parquet::json_lines(&parquet.join(format!("{table}.parquet")))
                    .unwrap(),
            )
            .into_iter()
            .map(normalised)
            .collect();
            assert_eq!(got.len(), want.len(), "{table}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g, w, "{table}");
            }
            assert_eq!(
                mp["files"][format!("{table}.parquet")]["lines"],
                mj["files"][format!("{table}.jsonl")]["lines"],
                "{table}"
            );
            if table == "matches" {
                kinds.extend(want.iter().map(|m| m["kind"].as_str().unwrap().to_owned()));
            }
        }
        // The corpus exercises every kind of link, so every nested column was compared.
        for kind in [
            "exact",
            "near",
            "partial",
            "rewrite",
            "same-story",
            "passage",
        ] {
            assert!(kinds.contains(kind), "no {kind} link in the test corpus");
        }
        // Carried fields keep their types.
        let docs = rows(
            &reprint_io::output::parquet::json_lines(&parquet.join("documents.parquet")).unwrap(),
        );
        let x1 = docs.iter().find(|d| d["id"] == "x1").unwrap();
        assert_eq!(x1["n"], 1);
        assert_eq!(x1["score"], 2.0);
        assert_eq!(x1["flag"], true);
        assert_eq!(x1["input_cluster"], "mine");
        assert_eq!(x1["meta"], "{\"a\":[1,2]}");
    }

    #[test]
    fn parquet_bytes_do_not_depend_on_the_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = corpus(dir.path());
        let (one, four) = (dir.path().join("one"), dir.path().join("four"));
        scan_to(&inputs, &one, OutputFormat::Parquet, 1);
        scan_to(&inputs, &four, OutputFormat::Parquet, 4);
        for file in [
            "documents.parquet",
            "clusters.parquet",
            "matches.parquet",
            "texts.parquet",
            "manifest.json",
        ] {
            assert!(
                std::fs::read(one.join(file)).unwrap() == std::fs::read(four.join(file)).unwrap(),
                "{file} differs between 1 and 4 threads"
            );
        }
    }
}
