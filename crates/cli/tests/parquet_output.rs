//! `reprint scan --format parquet` (feature `parquet`): a Parquet scan folder scores
//! with `eval` exactly as the JSONL one at both levels; `report` refuses it with a
//! message saying what to do, and `--report` with `--format parquet` is refused before
//! any work.
#![cfg(feature = "parquet")]

mod common;

use common::*;

#[test]
fn eval_scores_a_parquet_folder_as_its_jsonl_twin() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let gold = dir.path().join("gold.jsonl");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    assert_ok(&reprint(&[
        "generate",
        "--seeds",
        seeds,
        "-n",
        "600",
        "--seed",
        "11",
        "--out",
        corpus.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--quiet",
    ]));
    let scan_as = |name: &str, format: &str| {
        let out = dir.path().join(name);
        assert_ok(&reprint(&[
            "scan",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            format,
            "--quiet",
        ]));
        out
    };
    let (jsonl, parquet) = (scan_as("j", "jsonl"), scan_as("p", "parquet"));
    assert!(parquet.join("documents.parquet").is_file());
    assert!(!parquet.join("documents.jsonl").exists());
    for level in ["cluster", "story"] {
        let eval = |folder: &std::path::Path| -> serde_json::Value {
            let out = reprint(&[
                "eval",
                "--gold",
                gold.to_str().unwrap(),
                folder.to_str().unwrap(),
                "--level",
                level,
                "--json",
            ]);
            assert_ok(&out);
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let (a, b) = (eval(&jsonl), eval(&parquet));
        assert_eq!(a, b, "{level}");
        assert_eq!(b["docs"], 600);
        assert!(b["f1"].as_f64().unwrap() > 0.9, "{b}");
    }

    let out = reprint(&[
        "report",
        parquet.to_str().unwrap(),
        "--out",
        dir.path().join("r.html").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("--format jsonl"), "{message}");
    assert!(message.contains("documents.parquet"), "{message}");
}

#[test]
fn report_with_parquet_output_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("never");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    let out = reprint(&[
        "scan",
        seeds,
        "--out",
        out_dir.to_str().unwrap(),
        "--format",
        "parquet",
        "--report",
        dir.path().join("r.html").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--report reads a JSONL scan folder"));
    assert!(!out_dir.exists(), "nothing is created");
}
