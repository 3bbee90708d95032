//! Acceptance: `reprint compare` on a pair sharing a lifted paragraph: relation, the
//! shared passage side by side (plain or coloured) and as JSON with exact spans and
//! word-level stretches; with `--corpus`, documents looked up by id and the corpus's
//! recurring boilerplate recognised.

mod partial_util;

use std::path::Path;

use partial_util::common::*;
use partial_util::*;
use serde_json::Value;

/// Paragraphs of 48 words with accented letters (character and byte offsets differ).
fn paras(seed: u64, n: usize) -> Vec<String> {
    paragraphs(&article(seed, 48 * n), 4)
        .into_iter()
        .map(|p| p.replace("ka", "ká").replace("ve", "vè"))
        .collect()
}

/// The source (5 paragraphs), and a longer article that lifted its paragraph 2.
fn pair() -> (String, String, String) {
    let source = paras(10, 5);
    let lifted = source[2].clone();
    let mut host = paras(11, 6);
    host.insert(3, lifted.clone());
    (
        format!("Titre de la source\n{}", source.join("\n")),
        format!("Titre de l’article hôte\n{}", host.join("\n")),
        lifted,
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn compare_json(args: &[&str]) -> Value {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = reprint(&all);
    assert_ok(&out);
    serde_json::from_slice(&out.stdout).expect("compare --json prints one JSON object")
}

/// The left column of the side-by-side rows of the first passage.
fn left_column(output: &str) -> String {
    output
        .lines()
        .skip_while(|l| !l.starts_with("passage 1:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split(" | ").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn compare_shows_the_lifted_paragraph_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, lifted) = pair();
    let (fa, fb) = (
        write(dir.path(), "a.txt", &a),
        write(dir.path(), "b.txt", &b),
    );

    let out = reprint(&["compare", &fa, &fb, "--color", "never", "--width", "100"]);
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    // One lifted paragraph of 48 words is a `passage` link, as in a scan (below
    // `--min-copy-words`): the two articles are not versions of one text.
    assert!(text.contains("relation: passage"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "ANSI escapes with --color never:\n{text}"
    );
    assert!(
        text.contains("passage 1:") && !text.contains("passage 2:"),
        "{text}"
    );
    // The left column of the passage holds the lifted paragraph, word for word.
    assert_eq!(
        words(&left_column(&text)),
        words(&lifted),
        "side-by-side view:\n{text}"
    );
    for row in text
        .lines()
        .skip_while(|l| !l.starts_with("passage 1:"))
        .skip(1)
    {
        if row.is_empty() {
            break;
        }
        assert!(
            row.chars().count() <= 100,
            "row wider than --width: {row:?}"
        );
    }

    let out = reprint(&["compare", &fa, &fb, "--color", "always"]);
    assert_ok(&out);
    let coloured = String::from_utf8(out.stdout).unwrap();
    assert!(
        coloured.contains("\x1b["),
        "--color always paints: {coloured}"
    );
}

#[test]
fn compare_follows_the_copy_thresholds_of_a_scan() {
    // The same 48-word lifted paragraph is a partial copy once copies may be that short,
    // in `compare` as in `scan`.
    let dir = tempfile::tempdir().unwrap();
    let (a, b, _) = pair();
    let (fa, fb) = (
        write(dir.path(), "a.txt", &a),
        write(dir.path(), "b.txt", &b),
    );
    let corpus = dir.path().join("pair.jsonl");
    std::fs::write(
        &corpus,
        format!(
            "{}\n{}\n",
            serde_json::json!({"id": "a", "text": a}),
            serde_json::json!({"id": "b", "text": b})
        ),
    )
    .unwrap();
    for (extra, kind) in [
        (&[][..], "passage"),
        (&["--min-copy-words", "45"][..], "partial"),
    ] {
        let mut args = vec![fa.as_str(), fb.as_str()];
        args.extend_from_slice(extra);
        assert_eq!(compare_json(&args)["relation"], kind, "{extra:?}");
        let out = dir.path().join(format!("scan{}", extra.len()));
        let mut scan = vec![
            "scan",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        scan.extend_from_slice(extra);
        assert_ok(&reprint(&scan));
        let m = &read_jsonl(&out.join("matches.jsonl"))[0];
        assert_eq!(m["kind"], kind, "scan {extra:?}: {m}");
    }
}

#[test]
fn compare_json_gives_passage_texts_spans_and_stretches() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, lifted) = pair();
    let (fa, fb) = (
        write(dir.path(), "a.txt", &a),
        write(dir.path(), "b.txt", &b),
    );
    let r = compare_json(&[&fa, &fb]);
    assert_eq!(r["relation"], "passage", "{r}");
    assert_eq!(r["a"]["id"], fa.as_str());
    let passages = r["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1, "{r}");
    let p = &passages[0];
    let core = lifted.trim_end_matches('.');
    for (side, text) in [("a", &a), ("b", &b)] {
        let shown = p[format!("text_{side}")].as_str().unwrap();
        assert!(
            shown.contains(core),
            "text_{side} {shown:?} lacks the paragraph"
        );
        assert_eq!(
            shown,
            char_slice(text, span(&p[side])),
            "text_{side} is its span"
        );
    }
    assert_eq!(p["words"], 48);
    assert_eq!(p["similarity"], 1.0);
    let stretches = p["stretches"].as_array().unwrap();
    assert!(stretches.iter().all(|s| s["equal"] == true), "{p}");
    // Coverage: 48 words of each side's own words.
    let ca = r["coverage_a"].as_f64().unwrap();
    let own_a = r["a"]["content_words"].as_f64().unwrap();
    assert!((ca - 48.0 / own_a).abs() < 1e-3, "{ca} vs 48/{own_a}");
    assert_eq!(r["a"]["words"].as_u64(), Some(words(&a).len() as u64));
}

#[test]
fn compare_marks_the_changed_word() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, lifted) = pair();
    // One word of the lifted paragraph replaced in the copy.
    let lifted_words: Vec<&str> = lifted.split(' ').collect();
    let original_word = lifted_words[20];
    let mut edited_words = lifted_words.clone();
    edited_words[20] = "remplacé";
    let b = b.replace(&lifted, &edited_words.join(" "));
    let (fa, fb) = (
        write(dir.path(), "a.txt", &a),
        write(dir.path(), "b.txt", &b),
    );

    let r = compare_json(&[&fa, &fb]);
    assert_eq!(r["relation"], "passage", "{r}");
    let p = &r["passages"][0];
    assert_eq!(p["words"], 47, "{p}");
    let changed: Vec<&Value> = p["stretches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["equal"] == false)
        .collect();
    assert_eq!(changed.len(), 1, "{p}");
    assert_eq!(char_slice(&b, span(&changed[0]["b"])), "remplacé");
    assert_eq!(char_slice(&a, span(&changed[0]["a"])), original_word);

    let out = reprint(&["compare", &fa, &fb, "--color", "never"]);
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[remplacé]"), "changed word marked:\n{text}");
}

const TEMPLATE: &[&str] = &[
    "Accueil › Monde › Europe",
    "Read also: Why the night trains are coming back",
    "Partager sur Facebook · Envoyer par courriel",
    "Subscribe to our newsletter and get the morning briefing in your inbox.",
    "PREV The harbour reopens after a long winter",
    "NEXT Who will pay for the new bridge?",
];

fn page(body: &[String]) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        TEMPLATE[0],
        body.join("\n"),
        TEMPLATE[1..3].join("\n"),
        TEMPLATE[3..].join("\n")
    )
}

#[test]
fn compare_in_a_corpus_uses_its_recurring_boilerplate() {
    let dir = tempfile::tempdir().unwrap();
    let source = paras(20, 5);
    let mut host = paras(21, 5);
    host.insert(2, source[1].clone());
    let mut docs = vec![
        ("src".to_string(), page(&source), String::new()),
        ("host".to_string(), page(&host), String::new()),
    ];
    for i in 0..4 {
        docs.push((format!("other-{i}"), page(&paras(30 + i, 4)), String::new()));
    }
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, &docs);
    let corpus = corpus.to_str().unwrap();

    let r = compare_json(&["src", "host", "--corpus", corpus]);
    assert_eq!(r["relation"], "passage", "{r}");
    assert_eq!(r["a"]["id"], "src");
    assert_eq!(r["b"]["id"], "host");
    for side in ["a", "b"] {
        let reported: Vec<(String, String)> = r[side]["boilerplate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["text"].as_str().unwrap().to_string(),
                    b["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for line in TEMPLATE {
            assert!(
                reported.contains(&(line.to_string(), "recurring".to_string())),
                "{side}: {line:?} not reported as recurring: {reported:?}"
            );
        }
        let text = &docs[if side == "a" { 0 } else { 1 }].1;
        for b in r[side]["boilerplate"].as_array().unwrap() {
            assert_eq!(
                b["text"].as_str().unwrap(),
                char_slice(text, span(&b["span"]))
            );
        }
    }
    let passages = r["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1, "{r}");
    assert_eq!(passages[0]["words"], 48);
    assert!(passages[0]["text_b"]
        .as_str()
        .unwrap()
        .contains(source[1].trim_end_matches('.')));

    // Two unrelated pages of the corpus: their template is not reuse.
    let r = compare_json(&["other-0", "other-1", "--corpus", corpus]);
    assert_eq!(r["relation"], Value::Null, "{r}");
    assert!(r["passages"].as_array().unwrap().is_empty(), "{r}");

    // The same pages as files: no corpus, so nothing can recur.
    let fa = write(dir.path(), "o0.txt", &docs[2].1);
    let fb = write(dir.path(), "o1.txt", &docs[3].1);
    let r = compare_json(&[&fa, &fb]);
    for side in ["a", "b"] {
        assert!(
            r[side]["boilerplate"]
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["reason"] != "recurring"),
            "{r}"
        );
    }
}

#[test]
fn compare_with_a_missing_id_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(
        &corpus,
        &[
            ("one".into(), paras(40, 2).join("\n"), String::new()),
            ("two".into(), paras(41, 2).join("\n"), String::new()),
        ],
    );
    let corpus = corpus.to_str().unwrap();
    for (a, b) in [("one", "no-such-doc"), ("no-such-doc", "two")] {
        let out = reprint(&["compare", a, b, "--corpus", corpus]);
        assert!(!out.status.success(), "a missing id must fail");
        let err = stderr(&out);
        assert!(err.contains("no-such-doc"), "error names the id: {err}");
        assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", out.stdout);
    }
    let out = reprint(&["compare", "one", "two", "--corpus", corpus]);
    assert_ok(&out);
}

#[test]
fn corpus_option_may_come_before_the_ids() {
    // `reprint compare --corpus FILE idA idB`, the order the usage line suggests: the
    // ids must not be taken for more corpus inputs.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let (one, two) = (paras(50, 2).join("\n"), paras(51, 2).join("\n"));
    write_corpus(
        &corpus,
        &[
            ("one".into(), one, String::new()),
            ("two".into(), two, String::new()),
        ],
    );
    let corpus = corpus.to_str().unwrap();
    let out = reprint(&["compare", "--corpus", corpus, "one", "two", "--json"]);
    assert_ok(&out);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["a"]["id"], "one");
    assert_eq!(r["b"]["id"], "two");
    // Two corpus inputs, each with its own `--corpus`, then the ids.
    let second = dir.path().join("more.jsonl");
    write_corpus(
        &second,
        &[("three".into(), paras(52, 2).join("\n"), String::new())],
    );
    let out = reprint(&[
        "compare",
        "--corpus",
        corpus,
        "--corpus",
        second.to_str().unwrap(),
        "one",
        "three",
    ]);
    assert_ok(&out);
}
