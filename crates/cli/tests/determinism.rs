//! Byte-identical output whatever the thread count, on a corpus that exercises every
//! stage: exact and near copies, partial copies (passage index, alignment, star
//! clustering), site boilerplate (recurring lines, pass 2) and internal repetition.

mod common;

use std::fs;

use common::*;

#[test]
fn every_stage_is_deterministic_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let gold = dir.path().join("gold.jsonl");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    assert_ok(&reprint(&[
        "generate",
        "--seeds",
        seeds,
        "-n",
        "3000",
        "--seed",
        "11",
        "--out",
        corpus.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--quiet",
    ]));
    // Internal repetition too: a few documents printed twice.
    let mut text = fs::read_to_string(&corpus).unwrap();
    for i in 0..5u64 {
        let body = article(500 + i, 200);
        text += &jsonl_line(&format!("twice-{i}"), &format!("{body}\n\n{body}"), "");
    }
    fs::write(&corpus, text).unwrap();

    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out_dir = dir.path().join(format!("out{threads}"));
        assert_ok(&reprint(&[
            "scan",
            corpus.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--threads",
            threads,
            "--quiet",
        ]));
        let files: Vec<String> = ["documents.jsonl", "clusters.jsonl", "matches.jsonl"]
            .iter()
            .map(|f| fs::read_to_string(out_dir.join(f)).unwrap())
            .collect();
        outputs.push(files);
    }
    let [docs, _, matches] = &outputs[0][..] else {
        unreachable!()
    };
    assert!(
        matches.contains("\"kind\":\"partial\""),
        "partial matches exercised"
    );
    assert!(
        docs.contains("\"reason\":\"recurring\""),
        "recurring boilerplate exercised"
    );
    assert!(
        docs.contains("\"repeats\":[{"),
        "internal repetition exercised"
    );
    assert_eq!(
        outputs[0], outputs[1],
        "output differs between 1 and 2 threads"
    );
}
