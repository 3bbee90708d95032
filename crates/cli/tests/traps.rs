//! The team's trap corpus (`fixtures/traps`, see its README): a reprint listed before its
//! original, an independent version of the event, a recap of last week's figure, a
//! roundup quoting two stories, a stock sentence in five documents, thousands written
//! "51.400". Families, stories, provenance and evidence must each come out right.

mod partial_util;

use std::collections::HashMap;
use std::path::Path;

use partial_util::common::read_jsonl;
use partial_util::*;

fn traps(dir: &Path) -> (Scan, HashMap<String, String>) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/traps/articles.jsonl");
    let texts = read_jsonl(&corpus)
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (scan(dir, "out", &[&corpus], &[]), texts)
}

fn kind(s: &Scan, a: &str, b: &str) -> Option<String> {
    s.find_match(a, b)
        .map(|m| m["kind"].as_str().unwrap().to_owned())
}

fn same_story(s: &Scan, a: &str, b: &str) -> bool {
    s.doc(a)["story"] == s.doc(b)["story"]
}

#[test]
fn a_reprint_listed_first_has_the_earlier_dispatch_as_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = traps(dir.path());
    assert!(s.same_cluster("copy-site-b", "agency-original"));
    assert_eq!(
        kind(&s, "copy-site-b", "agency-original").as_deref(),
        Some("partial")
    );
    assert_eq!(s.doc("copy-site-b")["source"], "agency-original");
    assert_eq!(s.doc("agency-original")["source"], "agency-original");
    let family = s
        .clusters
        .iter()
        .find(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == "copy-site-b")
        })
        .unwrap();
    assert_eq!(family["source"], "agency-original", "{family}");
    assert_eq!(family["representative"], "agency-original", "{family}");
    assert_eq!(family["members"].as_array().unwrap().len(), 2, "{family}");
}

#[test]
fn an_independent_version_shares_the_story_with_checkable_facts() {
    let dir = tempfile::tempdir().unwrap();
    let (s, texts) = traps(dir.path());
    assert!(!s.same_cluster("independent-version", "agency-original"));
    assert!(same_story(&s, "independent-version", "agency-original"));
    let m = s
        .find_match("agency-original", "independent-version")
        .unwrap();
    assert_eq!(m["kind"], "same-story", "{m}");
    let facts = m["facts"].as_array().unwrap();
    let quote = facts
        .iter()
        .find(|f| f["kind"] == "quote")
        .expect("the shared quote");
    let value = quote["value"].as_str().unwrap();
    assert!(value.starts_with("Nous ne lâcherons rien"), "{quote}");
    for (id, side) in [
        (m["a"].as_str().unwrap(), "a"),
        (m["b"].as_str().unwrap(), "b"),
    ] {
        assert_eq!(char_slice(&texts[id], span(&quote[side])), value, "{id}");
    }
    // "51.400" is one number, not the end of a sentence and a number 400.
    assert!(
        facts
            .iter()
            .any(|f| f["kind"] == "number" && f["value"] == "51400"),
        "{facts:?}"
    );
    for pair in m["sentences"].as_array().unwrap() {
        for (id, side) in [
            (m["a"].as_str().unwrap(), "a"),
            (m["b"].as_str().unwrap(), "b"),
        ] {
            let sentence = char_slice(&texts[id], span(&pair[side]));
            assert!(
                !sentence.starts_with("400"),
                "a sentence cut at 51.400: {sentence:?}"
            );
        }
    }
}

#[test]
fn a_recap_of_last_weeks_figure_is_not_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = traps(dir.path());
    for other in ["agency-original", "copy-site-b", "independent-version"] {
        assert_eq!(kind(&s, "negotiation-next-week", other), None, "{other}");
        assert!(!same_story(&s, "negotiation-next-week", other), "{other}");
    }
}

#[test]
fn a_roundup_quoting_two_stories_joins_neither_nor_ties_them() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = traps(dir.path());
    for quoted in ["agency-original", "flood-story"] {
        assert_eq!(
            kind(&s, "weekly-roundup", quoted).as_deref(),
            Some("passage"),
            "{quoted}"
        );
        assert!(!s.same_cluster("weekly-roundup", quoted), "{quoted}");
        assert!(!same_story(&s, "weekly-roundup", quoted), "{quoted}");
    }
    assert!(!s.same_cluster("agency-original", "flood-story"));
    assert!(!same_story(&s, "agency-original", "flood-story"));
}

#[test]
fn a_stock_sentence_in_five_documents_joins_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = traps(dir.path());
    let unrelated = [
        "agency-original",
        "flood-story",
        "pension-march",
        "farmers-blockade",
    ];
    for (i, a) in unrelated.iter().enumerate() {
        for b in &unrelated[i + 1..] {
            let k = kind(&s, a, b);
            assert!(
                k.is_none() || k.as_deref() == Some("passage"),
                "{a}-{b}: {k:?}"
            );
            assert!(!s.same_cluster(a, b), "{a}-{b}");
            assert!(!same_story(&s, a, b), "{a}-{b}");
        }
    }
    // Only the strike family holds more than one document.
    assert_eq!(s.clusters.len(), 1, "{:?}", s.clusters);
}
