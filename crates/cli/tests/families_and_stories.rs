//! Acceptance: copy families and stories on a corpus that is all about one event
//! family (`fixtures/one_topic/articles.jsonl`, written by the team). Its traps are the
//! ones real one-topic press sets:
//!
//! - d01 is a dispatch; d03 rewrites it; d06 keeps its first two paragraphs verbatim:
//!   one copy family.
//! - d02 is an independent version of the same event (its own lead, the same quote,
//!   names and figures); d10 is d02 with a site's menu and footer: a second family of
//!   the same story.
//! - d04 and d05 are unrelated harbour stories that recycle d01's background paragraph
//!   and a stock sentence: a `passage` link, neither a family nor a story.
//! - d07 is a recap a week later that quotes the dispatch's quote in one sentence: the
//!   same topic, another event.
//! - d08 and d09 are two interviews of one mayor sharing her name, her book's title
//!   and a date: facts alone, no story.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod partial_util;
use partial_util::common::*;
use partial_util::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/one_topic/articles.jsonl")
}

fn one_topic(dir: &Path) -> Scan {
    scan(dir, "out", &[&fixture()], &[])
}

fn field<'a>(s: &'a Scan, id: &str, name: &str) -> &'a serde_json::Value {
    &s.doc(id)[name]
}

/// The relation of the link between `a` and `b`, if any.
fn kind(s: &Scan, a: &str, b: &str) -> Option<String> {
    s.find_match(a, b)
        .map(|m| m["kind"].as_str().unwrap_or_default().to_string())
}

#[test]
fn versions_of_one_text_are_one_family_and_versions_of_one_event_one_story() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    let cluster = |id: &str| field(&s, id, "cluster").clone();
    let story = |id: &str| field(&s, id, "story").clone();
    assert_eq!(
        cluster("d01"),
        cluster("d03"),
        "a rewrite joins its source's family"
    );
    assert_eq!(
        cluster("d01"),
        cluster("d06"),
        "a verbatim excerpt joins its source's family"
    );
    assert_eq!(
        cluster("d02"),
        cluster("d10"),
        "a near-duplicate joins its family"
    );
    assert_ne!(
        cluster("d01"),
        cluster("d02"),
        "an independent version of the event is another text"
    );
    for id in ["d02", "d03", "d06", "d10"] {
        assert_eq!(story(id), story("d01"), "{id} tells d01's story");
    }
    assert!(!story("d01").is_null());
    // Everything else stands alone at both levels.
    for id in ["d04", "d05", "d07", "d08", "d09"] {
        for other in s.documents.iter().filter(|d| d["id"] != id) {
            let other_id = other["id"].as_str().unwrap();
            assert!(
                other["cluster"] != cluster(id) && other["story"] != story(id),
                "{id} and {other_id} should share neither family nor story"
            );
        }
    }
}

#[test]
fn an_independent_version_is_a_same_story_link_with_its_facts() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    let m = s
        .find_match("d02", "d06")
        .expect("the two versions of the event are linked");
    assert_eq!(m["kind"], "same-story");
    let facts = m["facts"].as_array().expect("facts");
    assert!(
        facts.iter().any(|f| f["kind"] == "quote"),
        "the shared quote is evidence: {m}"
    );
    assert!(
        m["sentences"].as_array().map_or(0, Vec::len) >= 2,
        "two aligned sentences at least: {m}"
    );
}

#[test]
fn verbatim_containment_is_partial_not_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    assert_eq!(kind(&s, "d01", "d06").as_deref(), Some("partial"));
    assert_eq!(kind(&s, "d01", "d03").as_deref(), Some("rewrite"));
}

#[test]
fn a_recycled_background_paragraph_is_a_passage_link_and_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    for (a, b) in [("d01", "d04"), ("d01", "d05"), ("d04", "d05")] {
        let m = s
            .find_match(a, b)
            .unwrap_or_else(|| panic!("{a} and {b} share a background paragraph"));
        assert_eq!(m["kind"], "passage", "{a}-{b}: {m}");
        assert!(
            !m["passages"].as_array().unwrap().is_empty(),
            "a passage link shows its passage"
        );
        assert!(!s.same_cluster(a, b));
    }
}

#[test]
fn facts_alone_and_a_recap_of_another_event_are_no_link() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    assert_eq!(kind(&s, "d08", "d09"), None, "a name, a title and a date");
    for id in ["d01", "d02", "d03", "d06", "d10"] {
        assert_eq!(
            kind(&s, "d07", id),
            None,
            "the recap quotes the strike in one sentence"
        );
    }
}

#[test]
fn a_planted_quote_links_two_unrelated_documents_without_joining_them() {
    let dir = tempfile::tempdir().unwrap();
    let quote = "\"We have asked the ministry three times for the inspection report and three \
                 times we have been told that it does not exist yet,\" said the spokesman.";
    let a = format!("{}\n\n{quote}\n\n{}", article(1, 180), article(2, 160));
    let b = format!("{}\n\n{quote}\n\n{}", article(3, 150), article(4, 200));
    let c = article(5, 300);
    let corpus = dir.path().join("quote.jsonl");
    write_corpus(
        &corpus,
        &[
            ("a".into(), a, String::new()),
            ("b".into(), b, String::new()),
            ("c".into(), c, String::new()),
        ],
    );
    let s = scan(dir.path(), "out", &[&corpus], &[]);
    let m = s.find_match("a", "b").expect("the shared quote is a link");
    assert_eq!(m["kind"], "passage", "{m}");
    let passage = &m["passages"][0];
    assert!(passage["words"].as_u64().unwrap() >= 20, "{m}");
    assert_ne!(s.doc("a")["cluster"], s.doc("b")["cluster"]);
    assert_ne!(s.doc("a")["story"], s.doc("b")["story"]);
}

#[test]
fn the_summary_says_how_many_candidates_were_aligned_and_became_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = reprint(&[
        "scan",
        fixture().to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_ok(&out);
    let err = stderr(&out);
    let s = Scan {
        documents: read_jsonl(&dir.path().join("out/documents.jsonl")),
        clusters: read_jsonl(&dir.path().join("out/clusters.jsonl")),
        matches: read_jsonl(&dir.path().join("out/matches.jsonl")),
    };
    let count = |k: &str| s.matches.iter().filter(|m| m["kind"] == k).count();
    let mut story_sizes: HashMap<String, usize> = HashMap::new();
    for d in &s.documents {
        *story_sizes.entry(d["story"].to_string()).or_default() += 1;
    }
    let storied: usize = story_sizes.values().filter(|&&n| n > 1).sum();
    let stories = story_sizes.values().filter(|&&n| n > 1).count();
    assert!(
        err.contains(&format!("{} passage)", count("passage"))),
        "passage links counted: {err}"
    );
    assert!(err.contains("pairs aligned"), "{err}");
    assert!(err.contains("story links"), "{err}");
    assert!(
        err.contains(&format!("{stories} stories holding {storied} documents")),
        "{err}"
    );
}

/// Gold for the fixture, at both levels, as `reprint eval` reads it.
fn write_gold(path: &Path) {
    let entry = |id: &str, cluster: &str, story: &str| {
        format!(
            "{{\"id\":\"{id}\",\"cluster\":\"{cluster}\",\"kind\":\"original\",\"story\":\"{story}\"}}\n"
        )
    };
    let mut gold = String::new();
    for (id, cluster, story) in [
        ("d01", "d01", "strike"),
        ("d03", "d01", "strike"),
        ("d06", "d01", "strike"),
        ("d02", "d02", "strike"),
        ("d10", "d02", "strike"),
        ("d04", "d04", "d04"),
        ("d05", "d05", "d05"),
        ("d07", "d07", "d07"),
        ("d08", "d08", "d08"),
        ("d09", "d09", "d09"),
    ] {
        gold.push_str(&entry(id, cluster, story));
    }
    std::fs::write(path, gold).unwrap();
}

#[test]
fn eval_scores_either_level() {
    let dir = tempfile::tempdir().unwrap();
    one_topic(dir.path());
    let gold = dir.path().join("gold.jsonl");
    write_gold(&gold);
    let f1 = |level: &str| {
        let out = reprint(&[
            "eval",
            "--quiet",
            "--json",
            "--gold",
            gold.to_str().unwrap(),
            "--level",
            level,
            dir.path().join("out").to_str().unwrap(),
        ]);
        assert_ok(&out);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            report["f1"].as_f64().unwrap(),
            report["gold_pairs"].as_u64().unwrap(),
        )
    };
    // 3 + 1 pairs of family members; 10 pairs among the five versions of the strike.
    assert_eq!(f1("cluster"), (1.0, 4));
    assert_eq!(f1("story"), (1.0, 10));
}

/// The cluster of `family` in the first page of the report of the scan in `dir/out`,
/// written with `extra` options.
fn report_cluster(dir: &Path, family: u64, extra: &[&str]) -> serde_json::Value {
    let html_path = dir.join("report.html");
    let out_dir = dir.join("out");
    let mut args = vec![
        "report",
        out_dir.to_str().unwrap(),
        "--out",
        html_path.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    assert_ok(&reprint(&args));
    let html = std::fs::read_to_string(&html_path).unwrap();
    let start = html.find("id=\"page-0\">").unwrap() + "id=\"page-0\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let page: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    page.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_u64() == Some(family))
        .expect("the family in the report's first page")
        .clone()
}

/// The report shows each family's story (the other families telling it) and the links
/// that leave the family (shared passages, same-story links), which are not copies;
/// both lists are capped by `--max-pairs`, with the count left out.
#[test]
fn the_report_shows_a_familys_story_and_its_links_to_other_families() {
    let dir = tempfile::tempdir().unwrap();
    let s = one_topic(dir.path());
    let cluster_of = |id: &str| field(&s, id, "cluster").as_u64().unwrap();
    let family = report_cluster(dir.path(), cluster_of("d01"), &[]);
    assert_eq!(family["story"], field(&s, "d01", "story").clone());
    let others: Vec<u64> = family["story_families"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["cluster"].as_u64().unwrap())
        .collect();
    assert_eq!(
        others,
        vec![cluster_of("d02")],
        "the independent version's family"
    );
    let outside: Vec<(String, String)> = family["outside"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["other"].as_str().unwrap().to_string(),
                o["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (other, kind) in [
        ("d04", "passage"),
        ("d05", "passage"),
        ("d02", "same-story"),
    ] {
        assert!(
            outside.iter().any(|(o, k)| o == other && k == kind),
            "{other} {kind} in {outside:?}"
        );
    }
    // Links inside the family are not repeated among the outside ones.
    assert!(outside
        .iter()
        .all(|(o, _)| cluster_of(o) != cluster_of("d01")));
    assert_eq!(family["outside_left_out"], 0);
    assert_eq!(family["story_families_left_out"], 0);

    let capped = report_cluster(dir.path(), cluster_of("d01"), &["--max-pairs", "1"]);
    assert_eq!(capped["outside"].as_array().unwrap().len(), 1);
    assert_eq!(capped["outside_left_out"], outside.len() as u64 - 1);
    let none = report_cluster(dir.path(), cluster_of("d01"), &["--max-pairs", "0"]);
    assert!(none["story_families"].as_array().unwrap().is_empty());
    assert_eq!(none["story_families_left_out"], 1);
}
