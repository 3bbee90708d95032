//! Evidence a reader can check: every quote fact in a scan's whole output holds the same
//! words in both texts at its spans (case and punctuation aside), on the shipped example,
//! the one-topic fixture and generated corpora of both realistic styles.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;

/// Lower-case words of `s`, punctuation and spacing dropped.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn chars(text: &str, span: &serde_json::Value) -> String {
    let (start, end) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Scans `corpus` and checks every quote fact; returns how many there were.
fn checked_quote_facts(corpus: &Path, dir: &Path) -> usize {
    let out_dir = dir.join("scan");
    assert_ok(&reprint(&[
        "scan",
        corpus.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]));
    let texts: HashMap<String, String> = read_jsonl(corpus)
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut n = 0;
    for m in read_jsonl(&out_dir.join("matches.jsonl")) {
        let (a, b) = (m["a"].as_str().unwrap(), m["b"].as_str().unwrap());
        let Some(facts) = m["facts"].as_array() else {
            continue;
        };
        let mut values = Vec::new();
        for f in facts.iter().filter(|f| f["kind"] == "quote") {
            n += 1;
            let value = words(f["value"].as_str().unwrap());
            assert!(!value.is_empty(), "{f}");
            for (id, span) in [(a, &f["a"]), (b, &f["b"])] {
                let at = chars(&texts[id], span);
                assert_eq!(
                    words(&at),
                    value,
                    "{a}-{b}: {id} holds {at:?} at {span}: {f}"
                );
            }
            // No quote counted twice.
            assert!(!values.contains(&value), "{a}-{b}: {f} twice");
            values.push(value);
        }
    }
    n
}

#[test]
fn every_quote_fact_is_verbatim_in_both_texts_at_its_spans() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("../../examples/news/articles.jsonl");
    let one_topic = root.join("tests/fixtures/one_topic/articles.jsonl");
    let traps = root.join("tests/fixtures/traps/articles.jsonl");
    let mut total = 0;
    for (name, corpus) in [
        ("example", example),
        ("one_topic", one_topic),
        ("traps", traps),
    ] {
        let sub = dir.path().join(name);
        std::fs::create_dir_all(&sub).unwrap();
        let n = checked_quote_facts(&corpus, &sub);
        println!("{name}: {n} quote facts checked");
        total += n;
    }
    let seeds = root.join("../../examples/seeds");
    for style in ["press", "one-topic"] {
        let sub = dir.path().join(style);
        std::fs::create_dir_all(&sub).unwrap();
        let corpus = sub.join("corpus.jsonl");
        assert_ok(&reprint(&[
            "generate",
            "--seeds",
            seeds.to_str().unwrap(),
            "-n",
            "1500",
            "--style",
            style,
            "--out",
            corpus.to_str().unwrap(),
            "--gold",
            sub.join("gold.jsonl").to_str().unwrap(),
            "--quiet",
        ]));
        let n = checked_quote_facts(&corpus, &sub);
        println!("{style}: {n} quote facts checked");
        total += n;
    }
    // (The generated corpora hold copies and shared passages, rarely story links.)
    assert!(
        total >= 5,
        "only {total} quote facts in all: the check proves little"
    );
}
