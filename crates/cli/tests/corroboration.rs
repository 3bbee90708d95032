//! Corroboration: a heavy rewrite whose story links each score under the match
//! threshold joins the story's cluster when it is linked to two of its versions, and the
//! links that brought it in are written with `"corroborated":true`.
//!
//! Scores depend on the whole scoring model, so the test reads the heavy rewrite's own
//! scores from a first scan and sets the thresholds around them: what it checks is the
//! rule, not particular figures.

mod partial_util;

use std::path::Path;

use partial_util::common::*;
use partial_util::*;
use serde_json::Value;

const ORIGINAL: &str = "The harbour authority of Velmora closed the northern pier on Tuesday \
    after inspectors found deep cracks in its concrete pillars. Engineers estimate that \
    repairs will cost 4 300 000 euros and take eleven months. Fishing crews must now \
    unload their catch at the older southern quay, which is smaller and often crowded. \
    \"We cannot wait a whole season for a decision,\" said Marta Quennell, who leads the \
    local fishermen's cooperative. The mayor promised to publish a timetable for the \
    works before the end of March.";

const REWRITE: &str = "Inspectors discovered deep cracks in the concrete pillars of the \
    northern pier, so the Velmora harbour authority shut it on Tuesday. Fishing crews now \
    have to unload catches at the smaller southern quay, an older dock that is often \
    crowded. According to engineers, the repairs should take eleven months and cost \
    4 300 000 euros. Before the end of March, the mayor pledged, a timetable for the works \
    will be published. Marta Quennell, head of the fishermen's local cooperative, warned: \
    \"We cannot wait a whole season for a decision.\"";

/// Retold from scratch: two sentences and the figure survive, the rest is about the
/// town.
const HEAVY: &str = "The northern pier of Velmora has been closed because inspectors found \
    cracks in its pillars. Repairs could take eleven months and cost 4 300 000 euros. The \
    town has long depended on its boats, and older residents remember when the whole bay \
    was full of them. Markets along the seafront open at dawn, and restaurants buy what \
    arrives first. Some families have worked the same waters for four generations. The \
    council is also debating a new cycle path along the coast road. Tourism has grown in \
    recent summers, bringing visitors to the old lighthouse. Officials promise a plan soon.";

/// Another story in the same town.
const OTHER: &str = "Velmora's harbour will host a sailing regatta next summer, the tourism \
    office announced. Around 60 boats are expected at the southern quay, and local \
    restaurants hope for a busy season. The organisers said the northern side of the port \
    would stay open to visitors during the race weekend, with guided walks along the old \
    fishing docks.";

/// Scans `corpus` into `dir/name` with the given match and corroborating scores.
fn scan_at(dir: &Path, name: &str, corpus: &Path, min_score: f64, floor: f64) -> Scan {
    let (min_score, floor) = (format!("{min_score:.4}"), format!("{floor:.4}"));
    scan(
        dir,
        name,
        &[corpus],
        &[
            "--min-story-score",
            &min_score,
            "--min-corroborating-score",
            &floor,
        ],
    )
}

#[test]
fn weak_links_to_two_versions_bring_a_heavy_rewrite_into_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let body: String = [
        ("original", ORIGINAL),
        ("rewrite", REWRITE),
        ("heavy", HEAVY),
        ("other", OTHER),
    ]
    .iter()
    .map(|(id, text)| jsonl_line(id, text, ""))
    .collect();
    std::fs::write(&corpus, body).unwrap();

    // Every story link, however weak.
    let all = scan_at(dir.path(), "all", &corpus, 0.01, 0.01);
    let score = |a: &str, b: &str| -> f64 {
        all.find_match(a, b)
            .unwrap_or_else(|| panic!("no story link {a} {b}"))["similarity"]
            .as_f64()
            .unwrap()
    };
    let versions = score("original", "rewrite");
    let (to_original, to_rewrite) = (score("heavy", "original"), score("heavy", "rewrite"));
    let (strong, weak) = (to_original.max(to_rewrite), to_original.min(to_rewrite));
    let combined = 1.0 - (1.0 - to_original) * (1.0 - to_rewrite);
    // The fixture must leave room between the scores for thresholds.
    assert!(versions > combined + 0.02, "{versions} {combined}");
    assert!(
        combined > strong + 0.02 && weak > 0.05,
        "{to_original} {to_rewrite}"
    );

    // A match score above both of the heavy rewrite's links but under their combination.
    let min_score = (strong + combined) / 2.0;
    let result = scan_at(dir.path(), "corroborated", &corpus, min_score, weak - 0.01);
    assert_eq!(
        result.doc("heavy")["cluster"],
        result.doc("original")["cluster"]
    );
    assert_ne!(
        result.doc("other")["cluster"],
        result.doc("original")["cluster"]
    );
    for (a, b) in [("original", "heavy"), ("rewrite", "heavy")] {
        let m = result
            .find_match(a, b)
            .unwrap_or_else(|| panic!("{a} {b} not reported"));
        assert_eq!(m["corroborated"], true, "{m}");
        assert!(m["similarity"].as_f64().unwrap() < strong + 0.001, "{m}");
        assert!(!m["facts"].as_array().unwrap().is_empty(), "{m}");
    }
    let versions_link = result
        .find_match("original", "rewrite")
        .expect("the versions' link");
    assert!(
        versions_link.get("corroborated").is_none(),
        "{versions_link}"
    );
    // The report marks the links that count only as corroboration.
    let html = dir.path().join("report.html");
    assert_ok(&reprint(&[
        "report",
        dir.path().join("corroborated").to_str().unwrap(),
        "--out",
        html.to_str().unwrap(),
        "--quiet",
    ]));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("\"corroborated\":true").count(), 2);

    // `compare` names a weaker link as such, and nothing when the link is strong.
    let compare = |min_score: f64, floor: f64| -> Value {
        let out = reprint(&[
            "compare",
            "--corpus",
            corpus.to_str().unwrap(),
            "original",
            "heavy",
            "--json",
            "--min-story-score",
            &format!("{min_score:.4}"),
            "--min-corroborating-score",
            &format!("{floor:.4}"),
        ]);
        assert_ok(&out);
        serde_json::from_slice(&out.stdout).expect("one JSON object")
    };
    let report = compare(min_score, weak - 0.01);
    assert_eq!(report["relation"], Value::Null, "{report}");
    assert!(report["corroborating"].is_string(), "{report}");
    let report = compare(to_original - 0.01, weak - 0.01);
    assert!(report["relation"].is_string(), "{report}");
    assert_eq!(report["corroborating"], Value::Null, "{report}");
    let report = compare(min_score, to_original + 0.01);
    assert_eq!(report["corroborating"], Value::Null, "{report}");

    // The weaker link under the corroborating score: one link is not enough.
    let result = scan_at(dir.path(), "one-link", &corpus, min_score, weak + 0.01);
    assert_ne!(
        result.doc("heavy")["cluster"],
        result.doc("original")["cluster"]
    );
    assert!(result
        .matches
        .iter()
        .all(|m| m.get("corroborated").is_none()));

    // A combination under the match score is not enough either.
    let min_score = (combined + versions) / 2.0;
    let result = scan_at(dir.path(), "too-weak", &corpus, min_score, weak - 0.01);
    assert_ne!(
        result.doc("heavy")["cluster"],
        result.doc("original")["cluster"]
    );
}

#[test]
fn corroborating_score_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(&corpus, jsonl_line("original", ORIGINAL, "")).unwrap();
    let out = reprint(&[
        "scan",
        corpus.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        "--min-corroborating-score",
        "1.5",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--min-corroborating-score"),
        "{}",
        stderr(&out)
    );
}
