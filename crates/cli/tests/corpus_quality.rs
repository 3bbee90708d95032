//! Acceptance: on a generated 20,000-document corpus, exact and near copies are found
//! with pairwise precision and recall of at least 0.99.

mod common;

use common::*;

#[test]
fn exact_and_near_copies_found_on_20k_generated_documents() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let gold = dir.path().join("gold.jsonl");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    let out = reprint(&[
        "generate",
        "--seeds",
        seeds,
        "-n",
        "20000",
        "--seed",
        "7",
        "--kinds",
        "exact,near",
        "--out",
        corpus.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--quiet",
    ]);
    assert_ok(&out);
    let scan_dir = dir.path().join("scan");
    let out = reprint(&[
        "scan",
        corpus.to_str().unwrap(),
        "--out",
        scan_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_ok(&out);
    let out = reprint(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        scan_dir.to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("eval --json prints JSON");
    assert_eq!(report["docs"], 20000);
    assert_eq!(report["missing"], 0);
    let precision = report["precision"].as_f64().unwrap();
    let recall = report["recall"].as_f64().unwrap();
    assert!(precision >= 0.99, "precision {precision}: {report}");
    assert!(recall >= 0.99, "recall {recall}: {report}");
    for kind in ["exact", "near"] {
        let r = report["per_kind"][kind]["recall"].as_f64().unwrap();
        assert!(report["per_kind"][kind]["total"].as_u64().unwrap() > 1000);
        assert!(r >= 0.99, "{kind} recall {r}");
    }
}
