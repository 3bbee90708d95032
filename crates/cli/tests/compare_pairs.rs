//! `reprint compare --pairs FILE`: one JSON score line per input pair, labels carried
//! through, bad lines reported in place, rewrites scored above unrelated pairs.

mod common;

use common::*;

const HARBOUR: &str = "The harbour authority of Velmora closed the northern pier on Tuesday \
    after inspectors found deep cracks in its concrete pillars. Engineers estimate that \
    repairs will cost four million euros and take eleven months. Fishing crews must now \
    unload their catch at the older southern quay, which is smaller and often crowded.";
const HARBOUR_REWORDED: &str = "Inspectors discovered deep cracks in the concrete pillars of \
    the northern pier, so the Velmora harbour authority shut it on Tuesday. Fishing crews \
    now have to unload catches at the smaller southern quay, an older dock that is often \
    crowded. According to engineers, repairs should take eleven months and cost four \
    million euros.";
const CHOIR: &str = "The city choir rehearsed a new cantata in the cathedral on Sunday \
    evening. Its conductor said the premiere would take place in the spring, with two \
    soloists invited from the conservatory and a small string ensemble.";
const ORCHARD: &str = "Apple growers in the valley expect a late harvest this year after a \
    cold April. Several farms have hired extra pickers for October, and the cooperative \
    plans to open a new cider press near the railway station.";

#[test]
fn pairs_are_scored_in_order_with_their_fields() {
    let line = |id: &str, label: u8, a: &str, b: &str| {
        serde_json::json!({"id": id, "label": label, "a": a, "b": b}).to_string()
    };
    let input = [
        line("rewrite", 1, HARBOUR, HARBOUR_REWORDED),
        line("unrelated", 0, HARBOUR, CHOIR),
        "{not json".to_string(),
        r#"{"a": "only one side"}"#.to_string(),
        line("unrelated-2", 0, CHOIR, ORCHARD),
        line("same", 1, CHOIR, CHOIR),
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    std::fs::write(&path, input).unwrap();
    let out = reprint(&["compare", "--pairs", path.to_str().unwrap()]);
    assert_ok(&out);
    let err = stderr(&out);
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 6, "one line per input line: {rows:?}");
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5, 6]);
    // Bad lines: an error in place, nothing else lost.
    assert!(rows[2]["error"].as_str().unwrap().contains("invalid JSON"));
    assert!(rows[3]["error"].as_str().unwrap().contains("\"b\""));
    assert!(err.contains("2 lines skipped"), "{err}");
    // Fields carried through; scores in [0, 1] and ordered as the labels say.
    assert_eq!(rows[0]["id"], "rewrite");
    assert_eq!(rows[0]["label"], 1);
    let score = |i: usize| rows[i]["score"].as_f64().unwrap();
    for i in [0, 1, 4, 5] {
        assert!((0.0..=1.0).contains(&score(i)), "{}", rows[i]);
    }
    assert!(score(0) > 0.5, "{}", rows[0]);
    assert_eq!(rows[0]["relation"], "rewrite", "{}", rows[0]);
    assert!(score(1) < 0.2 && score(4) < 0.2, "{} {}", rows[1], rows[4]);
    assert!(score(5) > 0.99);
    assert_eq!(rows[5]["relation"], "exact");
    assert!(rows[0]["story"]["sentence_coverage_a"].as_f64().unwrap() > 0.5);
}

#[test]
fn pairs_read_from_stdin() {
    let input = serde_json::json!({"a": HARBOUR, "b": HARBOUR_REWORDED}).to_string();
    let out = reprint_stdin(&["compare", "--pairs", "-"], input.as_bytes());
    assert_ok(&out);
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["line"], 1);
    assert!(row["score"].as_f64().unwrap() > 0.5, "{row}");
}

#[test]
fn pairs_take_word_rarities_from_a_corpus() {
    // A corpus where the harbour story's words are everywhere: its own news desk wrote
    // about the pier many times, so those words say less about a pair than they do in
    // the pair file alone.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("harbour.txt"), HARBOUR).unwrap();
    std::fs::write(corpus.join("reworded.txt"), HARBOUR_REWORDED).unwrap();
    std::fs::write(corpus.join("choir.txt"), CHOIR).unwrap();
    std::fs::write(corpus.join("orchard.txt"), ORCHARD).unwrap();
    for i in 0..6 {
        std::fs::write(
            corpus.join(format!("pier-{i}.txt")),
            format!(
                "Day {i} of the pier closure in Velmora harbour. Inspectors and engineers \
                 met fishing crews at the southern quay about the cracks in the concrete \
                 pillars and the cost of repairs."
            ),
        )
        .unwrap();
    }
    let pairs = dir.path().join("pairs.jsonl");
    std::fs::write(
        &pairs,
        serde_json::json!({"a": HARBOUR, "b": HARBOUR_REWORDED}).to_string(),
    )
    .unwrap();
    let score_of = |out: &std::process::Output| -> f64 {
        assert_ok(out);
        let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        row["story"]["score"].as_f64().unwrap()
    };
    let with_corpus = score_of(&reprint(&[
        "compare",
        "--pairs",
        pairs.to_str().unwrap(),
        "--corpus",
        corpus.to_str().unwrap(),
    ]));
    let alone = score_of(&reprint(&["compare", "--pairs", pairs.to_str().unwrap()]));
    // The pair scored as the corpus's own `compare` (and scan) scores it.
    let by_id = score_of(&reprint(&[
        "compare",
        "--corpus",
        corpus.to_str().unwrap(),
        "harbour.txt",
        "reworded.txt",
        "--json",
    ]));
    assert_eq!(with_corpus, by_id, "the corpus's rarities are used");
    assert_ne!(
        with_corpus, alone,
        "rarities differ from the pair file's own"
    );
}

#[test]
fn every_pair_line_gets_its_output_line_whatever_it_holds() {
    // Before: one invalid-UTF-8 line aborted the run with no output, a blank line got no
    // output line, and an input field `line` or `error` replaced the output's own.
    let good = serde_json::json!({"a": HARBOUR, "b": HARBOUR_REWORDED, "line": "mine", "error": 0, "input_line": 7})
        .to_string();
    let mut input = Vec::new();
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"\r\n\n");
    input.extend_from_slice(b"{\"a\": \"caf\xe9\", \"b\": \"x\"}\n");
    input.extend_from_slice(b"   \n");
    input.extend_from_slice(
        format!("{{\"a\": \"{}\", \"b\": \"x\"}}\n", "w ".repeat(21 << 20)).as_bytes(),
    );
    input.extend_from_slice(
        serde_json::json!({"a": CHOIR, "b": CHOIR})
            .to_string()
            .as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.jsonl");
    std::fs::write(&path, &input).unwrap();
    let out = reprint(&["compare", "--pairs", path.to_str().unwrap()]);
    assert_ok(&out);
    let err = stderr(&out);
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6], "{rows:?}");
    assert_eq!(rows[0]["relation"], "rewrite", "{}", rows[0]);
    assert!(rows[0].get("error").is_none(), "{}", rows[0]);
    // An input field keeps its name unless it is an output key; the renamed one steps
    // around the names already taken.
    assert_eq!(rows[0]["input_line"], 7);
    assert_eq!(rows[0]["input_input_line"], "mine");
    assert_eq!(rows[0]["input_error"], 0);
    assert_eq!(rows[1]["error"], "blank line");
    assert!(
        rows[2]["error"].as_str().unwrap().contains("invalid UTF-8"),
        "{}",
        rows[2]
    );
    assert_eq!(rows[3]["error"], "blank line");
    assert!(
        rows[4]["error"]
            .as_str()
            .unwrap()
            .contains("exceeds the limit"),
        "{}",
        rows[4]
    );
    assert_eq!(rows[5]["relation"], "exact");
    assert!(err.contains("scored 2 pairs"), "{err}");
    assert!(err.contains("4 lines skipped"), "{err}");
}
