//! Acceptance: on a generated corpus with every copy kind (exact, near, boilerplate-padded,
//! truncated, partial), each kind is found with recall of at least 0.99 and the clusters
//! have pairwise precision of at least 0.99; partial matches carry well-formed passages.

mod partial_util;

use std::collections::HashMap;

use partial_util::common::*;
use partial_util::*;

const KINDS: [&str; 5] = ["exact", "near", "boilerplate", "truncated", "partial"];

#[test]
fn all_copy_kinds_found_on_6k_generated_documents() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let gold = dir.path().join("gold.jsonl");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    let out = reprint(&[
        "generate",
        "--seeds",
        seeds,
        "-n",
        "6000",
        "--seed",
        "11",
        "--kinds",
        &KINDS.join(","),
        "--out",
        corpus.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let s = scan(dir.path(), "scan", &[&corpus], &[]);
    let out = reprint(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        dir.path().join("scan").to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("eval --json prints JSON");
    eprintln!("{report}");
    assert_eq!(report["docs"], 6000);
    assert_eq!(report["missing"], 0);
    let precision = report["precision"].as_f64().unwrap();
    let recall = report["recall"].as_f64().unwrap();
    assert!(precision >= 0.99, "precision {precision}: {report}");
    assert!(recall >= 0.99, "recall {recall}: {report}");
    for kind in KINDS {
        let total = report["per_kind"][kind]["total"].as_u64().unwrap_or(0);
        assert!(
            total >= 300,
            "{kind}: only {total} copies generated: {report}"
        );
        let r = report["per_kind"][kind]["recall"].as_f64().unwrap();
        assert!(r >= 0.99, "{kind} recall {r}: {report}");
    }

    // Every partial match's passages slice the same words out of both texts.
    let texts: HashMap<String, String> = read_jsonl(&corpus)
        .into_iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let partial: Vec<&serde_json::Value> = s
        .matches
        .iter()
        .filter(|m| m["kind"] == "partial")
        .collect();
    assert!(partial.len() >= 1000, "{} partial matches", partial.len());
    for m in partial {
        check_passages(m, &texts);
    }
    // Short shared passages (quotes, stock sentences, background paragraphs planted in
    // independent originals) are reported too, as `passage` links joining nothing.
    let passages: Vec<&serde_json::Value> = s
        .matches
        .iter()
        .filter(|m| m["kind"] == "passage")
        .collect();
    assert!(passages.len() >= 100, "{} passage links", passages.len());
    for m in passages {
        check_passages(m, &texts);
    }
    for m in s
        .matches
        .iter()
        .filter(|m| m["kind"] == "exact" || m["kind"] == "near")
    {
        assert!(m.get("passages").is_none(), "{m}");
    }
}
