//! Acceptance: partial reuse (a paragraph block lifted into a longer article, a
//! truncated copy) is reported in `matches.jsonl` with passages whose character spans
//! slice out the same words from both texts; partial links do not chain unrelated
//! documents into one cluster.

mod partial_util;

use std::collections::HashMap;

use partial_util::common::*;
use partial_util::*;

/// Paragraphs of 48 words, with accented letters so character offsets differ from byte
/// offsets all through the text.
fn paras(seed: u64, n: usize) -> Vec<String> {
    paragraphs(&article(seed, 48 * n), 4)
        .into_iter()
        .map(|p| {
            p.replace("ka", "ká")
                .replace("lo", "lö")
                .replace("mu", "mű")
        })
        .collect()
}

/// A document: a title line of its own (multi-byte characters, emoji) and paragraphs.
fn doc(title: &str, paras: &[String]) -> String {
    format!("« {title} » — 📰 édition spéciale\n{}", paras.join("\n"))
}

/// Lightly edits a lifted paragraph the way a reprint does: punctuation and case changes
/// and one changed word.
fn edit(p: &str) -> String {
    let mut words: Vec<String> = p.split(' ').map(str::to_string).collect();
    words[10] = "remplacé".to_string();
    let upper = words[20].to_uppercase();
    words[20] = upper;
    words.join(" ").replacen(". ", "; ", 1)
}

/// Char range of `part` inside `text` (found by bytes, converted to characters).
fn char_range(text: &str, part: &str) -> (usize, usize) {
    let at = text.find(part).expect("part of the text");
    let start = text[..at].chars().count();
    (start, start + part.chars().count())
}

struct Fixture {
    texts: HashMap<String, String>,
    ordered: Vec<(String, String, String)>,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            texts: HashMap::new(),
            ordered: Vec::new(),
        }
    }

    fn add(&mut self, id: &str, text: String, extra: &str) {
        self.texts.insert(id.to_string(), text.clone());
        self.ordered.push((id.to_string(), text, extra.to_string()));
    }

    fn scan(&self, dir: &std::path::Path) -> Scan {
        self.scan_with(dir, "out", &[])
    }

    fn scan_with(&self, dir: &std::path::Path, name: &str, extra: &[&str]) -> Scan {
        let input = dir.join("corpus.jsonl");
        write_corpus(&input, &self.ordered);
        scan(dir, name, &[&input], extra)
    }
}

#[test]
fn lifted_block_and_truncation_are_partial_matches_with_exact_spans() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Fixture::new();

    // Source of a lifted block: 6 paragraphs; paragraphs 2 and 3 go into a longer
    // article of 8 paragraphs of its own, lightly edited.
    let source = paras(100, 6);
    let lifted = [source[2].clone(), source[3].clone()];
    let mut host = paras(101, 8);
    host.splice(4..4, lifted.iter().map(|p| edit(p)));
    f.add("source", doc("La source", &source), "");
    f.add("unrelated-1", doc("Autre sujet", &paras(200, 5)), "");
    f.add("host", doc("L’hôte", &host), "");

    // A truncated copy: the first 60% of the paragraphs of a 10-paragraph article.
    let original = paras(102, 10);
    f.add("original", doc("L’original", &original), "");
    f.add("unrelated-2", doc("Encore autre chose", &paras(201, 7)), "");
    f.add("truncated", doc("L’original", &original[..6]), "");

    let s = f.scan(dir.path());
    assert_eq!(
        s.matches.len(),
        2,
        "only the two reuses are linked: {:?}",
        s.matches
    );

    // Lifted block.
    let m = s.find_match("source", "host").expect("source-host linked");
    assert_eq!(m["a"], "source", "a is the earlier input: {m}");
    let words = check_passages(m, &f.texts);
    let lifted_words = words_of(&lifted);
    assert!(
        words as f64 >= 0.9 * lifted_words as f64 && words as usize <= lifted_words,
        "{words} aligned words for a block of {lifted_words}: {m}"
    );
    // On the source side, every passage lies inside the lifted paragraphs.
    let block = char_range(&f.texts["source"], &format!("{}\n{}", lifted[0], lifted[1]));
    for p in m["passages"].as_array().unwrap() {
        let (s0, e0) = span(&p["a"]);
        assert!(
            s0 >= block.0 && e0 <= block.1,
            "passage {p} outside the lifted block {block:?}"
        );
    }
    // The source is covered by a third, the host by less.
    let (ca, cb) = (
        m["coverage_a"].as_f64().unwrap(),
        m["coverage_b"].as_f64().unwrap(),
    );
    assert!((0.28..=0.34).contains(&ca), "coverage of the source {ca}");
    assert!((0.18..=0.21).contains(&cb), "coverage of the host {cb}");

    // Truncation: the copy is covered entirely, the original by about 60%.
    let m = s
        .find_match("original", "truncated")
        .expect("truncation linked");
    check_passages(m, &f.texts);
    let (ca, cb) = (
        m["coverage_a"].as_f64().unwrap(),
        m["coverage_b"].as_f64().unwrap(),
    );
    assert!((0.55..=0.65).contains(&ca), "coverage of the original {ca}");
    assert!(cb >= 0.97, "coverage of the truncated copy {cb}");
    assert_eq!(m["passages"].as_array().unwrap().len(), 1, "{m}");

    // Clusters: the two pairs, nothing else.
    assert_eq!(s.clusters.len(), 2, "{:?}", s.clusters);
    assert!(s.same_cluster("source", "host"));
    assert!(s.same_cluster("original", "truncated"));
    for id in ["host", "truncated", "source", "original"] {
        assert_eq!(s.doc(id)["relation"], "partial", "{}", s.doc(id));
    }
    for id in ["unrelated-1", "unrelated-2"] {
        assert_eq!(s.doc(id)["relation"], serde_json::Value::Null);
    }
}

fn words_of(paras: &[String]) -> usize {
    paras.iter().map(|p| words(p).len()).sum()
}

/// A shares one paragraph with B, B another with C; A and C share nothing.
/// The compilation fixture, scanned with `--min-copy-words 40`: its lifted paragraphs
/// (48 words) count as partial copies, so the test is about how stars keep them from
/// chaining (at the default, 60, they are `passage` links: see
/// `a_lifted_paragraph_is_a_passage_link_that_joins_nothing`).
fn chain(dir: &std::path::Path, b_own: usize, dates: Option<[&str; 3]>) -> (Scan, Fixture) {
    let mut f = Fixture::new();
    let a = paras(300, 5);
    let c = paras(302, 5);
    let mut b = paras(301, b_own);
    b.insert(b.len() / 2, a[1].clone());
    b.push(c[3].clone());
    let extra = |i: usize| dates.map_or(String::new(), |d| format!(",\"date\":\"{}\"", d[i]));
    f.add("A", doc("Premier article", &a), &extra(0));
    f.add("B", doc("Compilation", &b), &extra(1));
    f.add("C", doc("Troisième article", &c), &extra(2));
    let s = f.scan_with(dir, "out", &["--min-copy-words", "40"]);
    (s, f)
}

#[test]
fn a_lifted_paragraph_is_a_passage_link_that_joins_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, f) = chain(dir.path(), 1, None);
    let s = f.scan_with(dir.path(), "default", &[]);
    for (a, b) in [("A", "B"), ("B", "C")] {
        let m = s
            .find_match(a, b)
            .expect("the shared paragraph is reported");
        assert_eq!(m["kind"], "passage", "{m}");
        check_passages(m, &f.texts);
    }
    assert!(s.clusters.is_empty(), "{:?}", s.clusters);
    for id in ["A", "B", "C"] {
        assert_eq!(s.doc(id)["relation"], serde_json::Value::Null);
    }
}

fn assert_chain_links_reported(s: &Scan, f: &Fixture) {
    let ab = s.find_match("A", "B").expect("A-B reported");
    let bc = s.find_match("B", "C").expect("B-C reported");
    assert!(s.find_match("A", "C").is_none(), "A and C share nothing");
    for m in [ab, bc] {
        let words = check_passages(m, &f.texts);
        assert!((43..=48).contains(&words), "one 48-word paragraph: {m}");
    }
}

#[test]
fn a_compilation_does_not_chain_its_sources_into_one_cluster() {
    // B is one paragraph of its own plus one of A and one of C: the copy in both links.
    let dir = tempfile::tempdir().unwrap();
    let (s, f) = chain(dir.path(), 1, None);
    assert_chain_links_reported(&s, &f);
    assert!(
        !s.same_cluster("A", "C"),
        "A and C chained through B: {:?}",
        s.clusters
    );
    assert_eq!(s.clusters.len(), 1, "B joins one of its sources");
    assert!(s.same_cluster("A", "B") || s.same_cluster("B", "C"));
}

#[test]
fn dates_keep_a_later_compilation_from_chaining_its_sources() {
    // B is long (8 paragraphs of its own), so coverage alone would make it the source of
    // both; it is dated after A and C, which makes it their copy.
    let dir = tempfile::tempdir().unwrap();
    let (s, f) = chain(
        dir.path(),
        8,
        Some(["2024-03-01", "2024-03-09", "2024-03-02"]),
    );
    assert_chain_links_reported(&s, &f);
    assert!(
        !s.same_cluster("A", "C"),
        "A and C chained through B: {:?}",
        s.clusters
    );
    assert!(
        s.same_cluster("A", "B"),
        "B joins its earliest source: {:?}",
        s.clusters
    );
}
