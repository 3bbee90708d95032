//! Helpers shared by the `partial_*` acceptance tests: scanning written corpora, slicing
//! texts by character spans, and comparing word sequences.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

// The shared helpers of `common.rs`, loaded here (tests reach them as
// `partial_util::common`) so that this file also builds as a target of its own and no
// test loads `common.rs` twice.
#[path = "common.rs"]
pub mod common;
use common::{assert_ok, jsonl_line, read_jsonl, reprint};

/// What a scan wrote.
pub struct Scan {
    pub documents: Vec<Value>,
    pub clusters: Vec<Value>,
    pub matches: Vec<Value>,
}

impl Scan {
    /// The `documents.jsonl` line of `id`.
    pub fn doc(&self, id: &str) -> &Value {
        self.documents
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no document {id} in documents.jsonl"))
    }

    /// The match between `a` and `b`, in either order.
    pub fn find_match(&self, a: &str, b: &str) -> Option<&Value> {
        self.matches
            .iter()
            .find(|m| (m["a"] == a && m["b"] == b) || (m["a"] == b && m["b"] == a))
    }

    /// Whether `a` and `b` are members of one cluster.
    pub fn same_cluster(&self, a: &str, b: &str) -> bool {
        self.clusters.iter().any(|c| {
            let members = c["members"].as_array().unwrap();
            members.iter().any(|m| m == a) && members.iter().any(|m| m == b)
        })
    }
}

/// Runs `reprint scan INPUTS --out DIR/NAME --quiet` (plus `extra` arguments) and reads
/// the three files back.
pub fn scan(dir: &Path, name: &str, inputs: &[&Path], extra: &[&str]) -> Scan {
    let out_dir = dir.join(name);
    let mut args: Vec<&str> = vec!["scan"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", out_dir.to_str().unwrap(), "--quiet"]);
    args.extend_from_slice(extra);
    let out = reprint(&args);
    assert_ok(&out);
    Scan {
        documents: read_jsonl(&out_dir.join("documents.jsonl")),
        clusters: read_jsonl(&out_dir.join("clusters.jsonl")),
        matches: read_jsonl(&out_dir.join("matches.jsonl")),
    }
}

/// Writes `(id, text, extra fields)` records as JSONL to `path`.
pub fn write_corpus(path: &Path, docs: &[(String, String, String)]) {
    let body: String = docs
        .iter()
        .map(|(id, text, extra)| jsonl_line(id, text, extra))
        .collect();
    std::fs::write(path, body).unwrap();
}

/// `[start, end]` of a JSON span.
pub fn span(v: &Value) -> (usize, usize) {
    let a = v.as_array().unwrap_or_else(|| panic!("not a span: {v}"));
    assert_eq!(a.len(), 2, "not a span: {v}");
    (
        a[0].as_u64().unwrap() as usize,
        a[1].as_u64().unwrap() as usize,
    )
}

/// The characters `start..end` of `text` (character offsets, as the outputs use),
/// checked to be in bounds and non-empty.
pub fn char_slice(text: &str, (start, end): (usize, usize)) -> String {
    let n = text.chars().count();
    assert!(
        start < end && end <= n,
        "span [{start}, {end}] is empty or beyond the text's {n} characters"
    );
    text.chars().skip(start).take(end - start).collect()
}

/// Lower-cased alphanumeric words of `text`.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Length of the longest common subsequence of two word sequences.
pub fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Checks that two sliced passages hold mostly the same words (`2·LCS / (|a| + |b|)`
/// over their lower-cased words at least `min_share`) and the same first and last words;
/// returns that share.
pub fn assert_same_passage(slice_a: &str, slice_b: &str, min_share: f64) -> f64 {
    let (wa, wb) = (words(slice_a), words(slice_b));
    assert!(
        !wa.is_empty() && !wb.is_empty(),
        "passage without words: {slice_a:?} / {slice_b:?}"
    );
    assert_eq!(
        wa.first(),
        wb.first(),
        "first words differ:\nA: {slice_a}\nB: {slice_b}"
    );
    assert_eq!(
        wa.last(),
        wb.last(),
        "last words differ:\nA: {slice_a}\nB: {slice_b}"
    );
    let share = 2.0 * lcs(&wa, &wb) as f64 / (wa.len() + wb.len()) as f64;
    assert!(
        share >= min_share,
        "passage words agree at {share:.3} < {min_share}:\nA: {slice_a}\nB: {slice_b}"
    );
    share
}

/// Checks every passage of a partial match (or of a rewrite that kept passages) against the two texts (by id in `texts`);
/// returns the total of the passages' `words`.
pub fn check_passages(m: &Value, texts: &HashMap<String, String>) -> u64 {
    assert!(
        ["partial", "passage", "rewrite", "same-story"].contains(&m["kind"].as_str().unwrap_or("")),
        "{m}"
    );
    let text_a = &texts[m["a"].as_str().unwrap()];
    let text_b = &texts[m["b"].as_str().unwrap()];
    let passages = m["passages"]
        .as_array()
        .expect("a partial match has passages");
    assert!(!passages.is_empty(), "{m}");
    let mut total = 0;
    for p in passages {
        let sa = char_slice(text_a, span(&p["a"]));
        let sb = char_slice(text_b, span(&p["b"]));
        // The reported similarity is 2·matched / (words in a + words in b); the words of
        // the slices agree at least that much.
        let similarity = p["similarity"].as_f64().unwrap();
        assert!(similarity > 0.0 && similarity <= 1.0, "{p}");
        assert_same_passage(&sa, &sb, similarity - 0.02);
        let w = p["words"].as_u64().unwrap();
        assert!(w as usize <= words(&sa).len() && w as usize <= words(&sb).len());
        total += w;
    }
    for c in ["coverage_a", "coverage_b"] {
        let v = m[c].as_f64().unwrap_or_else(|| panic!("no {c}: {m}"));
        assert!((0.0..=1.0).contains(&v), "{c} {v}");
    }
    total
}

/// Splits an `article()` text into paragraphs of `sentences` sentences each (a shorter
/// remainder joins the last paragraph, so every paragraph is a long line), one per line
/// when joined with '\n'.
pub fn paragraphs(text: &str, sentences: usize) -> Vec<String> {
    let parts: Vec<&str> = text.split(". ").map(|s| s.trim_end_matches('.')).collect();
    let mut chunks: Vec<Vec<&str>> = parts.chunks(sentences).map(|c| c.to_vec()).collect();
    if chunks.len() > 1 && chunks[chunks.len() - 1].len() < sentences {
        let rest = chunks.pop().unwrap();
        chunks.last_mut().unwrap().extend(rest);
    }
    chunks
        .iter()
        .map(|c| format!("{}.", c.join(". ")))
        .collect()
}
