//! `reprint scan` end to end: relations, output files, determinism, inputs.

mod common;

use std::collections::HashMap;
use std::fs;

use common::*;

/// a: original; b: exact copy up to case/punctuation/whitespace; c: near copy (a few words
/// changed); d, e: unrelated; f: empty text.
fn corpus() -> String {
    let a = article(1, 300);
    let b = a.to_uppercase().replace(". ", " ;  ");
    let mut words: Vec<&str> = a.split(' ').collect();
    for i in [20, 90, 160, 230] {
        words[i] = "CHANGED";
    }
    let c = words.join(" ");
    let mut s = String::new();
    s += &jsonl_line(
        "a",
        &a,
        ",\"date\":\"2024-10-01\",\"url\":\"https://a.example/1\"",
    );
    s += &jsonl_line("d", &article(2, 300), "");
    s += &jsonl_line("b", &b, ",\"site\":\"b.example\"");
    s += &jsonl_line("e", &article(3, 250), "");
    s += &jsonl_line("c", &c, ",\"title\":\"Near copy\"");
    s += &jsonl_line("f", "", "");
    s
}

#[test]
fn scan_finds_exact_and_near_copies_and_writes_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus()).unwrap();
    let out_dir = dir.path().join("out");
    let out = reprint(&[
        "scan",
        input.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_ok(&out);

    let docs = read_jsonl(&out_dir.join("documents.jsonl"));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "d", "b", "e", "c", "f"], "input order kept");
    let by_id: HashMap<&str, &serde_json::Value> = ids.iter().copied().zip(docs.iter()).collect();
    assert_eq!(by_id["a"]["cluster"], 0);
    assert_eq!(by_id["b"]["cluster"], 0);
    assert_eq!(by_id["c"]["cluster"], 0);
    assert_eq!(by_id["d"]["cluster"], 1);
    assert_eq!(by_id["e"]["cluster"], 3);
    assert_eq!(by_id["f"]["cluster"], 5, "an empty text links to nothing");
    assert_eq!(by_id["a"]["relation"], "exact");
    assert_eq!(by_id["b"]["relation"], "exact");
    assert_eq!(by_id["c"]["relation"], "near");
    assert!(by_id["d"]["relation"].is_null());
    assert_eq!(by_id["a"]["representative"], true);
    assert_eq!(by_id["b"]["representative"], false);
    assert_eq!(by_id["d"]["representative"], true);
    // carried fields
    assert_eq!(by_id["a"]["date"], "2024-10-01");
    assert_eq!(by_id["a"]["url"], "https://a.example/1");
    assert_eq!(by_id["b"]["site"], "b.example");
    assert_eq!(by_id["c"]["title"], "Near copy");
    assert!(
        by_id["a"].get("text").is_none(),
        "text is not copied to documents.jsonl"
    );

    let clusters = read_jsonl(&out_dir.join("clusters.jsonl"));
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0]["id"], 0);
    assert_eq!(clusters[0]["size"], 3);
    assert_eq!(clusters[0]["representative"], "a");
    assert_eq!(clusters[0]["members"], serde_json::json!(["a", "b", "c"]));

    let matches = read_jsonl(&out_dir.join("matches.jsonl"));
    assert_eq!(matches.len(), 2, "{matches:?}");
    assert_eq!(matches[0]["a"], "a");
    assert_eq!(matches[0]["b"], "b");
    assert_eq!(matches[0]["kind"], "exact");
    assert_eq!(matches[0]["similarity"], 1.0);
    assert_eq!(matches[1]["a"], "a");
    assert_eq!(matches[1]["b"], "c");
    assert_eq!(matches[1]["kind"], "near");
    let sim = matches[1]["similarity"].as_f64().unwrap();
    assert!(sim > 0.7 && sim < 1.0, "near similarity {sim}");

    let err = stderr(&out);
    assert!(
        err.contains("read 6 records: 6 accepted, 0 skipped"),
        "{err}"
    );
}

#[test]
fn threshold_option_decides_near_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus()).unwrap();
    let out_dir = dir.path().join("out");
    let args = |extra: &[&'static str]| {
        let mut v = vec![
            "scan".to_string(),
            input.to_str().unwrap().to_string(),
            "--out".to_string(),
            out_dir.to_str().unwrap().to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |extra: &[&'static str]| {
        let a = args(extra);
        let refs: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
        reprint(&refs)
    };
    let out = run(&["--threshold", "0.99", "--no-passages", "--quiet"]);
    assert_ok(&out);
    assert!(stderr(&out).is_empty(), "--quiet prints nothing");
    let matches = read_jsonl(&out_dir.join("matches.jsonl"));
    assert_eq!(matches.len(), 1, "only the exact copy survives 0.99");
    assert_eq!(matches[0]["kind"], "exact");

    // With passages on, the edited copy is still found, as a partial copy with spans.
    let out = run(&["--threshold", "0.99", "--quiet"]);
    assert_ok(&out);
    let matches = read_jsonl(&out_dir.join("matches.jsonl"));
    assert_eq!(matches.len(), 2, "{matches:?}");
    assert_eq!(matches[1]["kind"], "partial");
    assert_eq!(matches[1]["b"], "c");
    assert!(matches[1]["coverage_b"].as_f64().unwrap() > 0.9);

    let bad = run(&["--threshold", "1.5"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--threshold"));
}

#[test]
fn output_is_byte_identical_with_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    // Many clusters, so batches and parallel work really interleave.
    let mut s = String::new();
    for i in 0..3000u64 {
        let base = article(i % 1000, 120);
        let text = if i >= 1000 && i % 3 == 0 {
            base.replacen(' ', " edited ", 1)
        } else {
            base
        };
        s += &jsonl_line(&format!("doc{i}"), &text, ",\"n\":1.50");
    }
    fs::write(&input, s).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out_dir = dir.path().join(format!("out{threads}"));
        let out = reprint(&[
            "scan",
            input.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--threads",
            threads,
            "--quiet",
        ]);
        assert_ok(&out);
        let files: Vec<Vec<u8>> = ["documents.jsonl", "clusters.jsonl", "matches.jsonl"]
            .iter()
            .map(|f| fs::read(out_dir.join(f)).unwrap())
            .collect();
        outputs.push(files);
    }
    assert!(!outputs[0][1].is_empty(), "the corpus has clusters");
    assert_eq!(outputs[0], outputs[1]);
    let first = String::from_utf8(outputs[0][0].clone()).unwrap();
    assert!(first.starts_with("{\"id\":\"doc0\",\"cluster\":0"));
    assert!(
        first.contains("\"n\":1.50"),
        "raw field values kept byte for byte"
    );
}

#[test]
fn reads_text_folders_stdin_and_compressed_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("texts");
    fs::create_dir_all(folder.join("sub")).unwrap();
    let text = article(7, 200);
    fs::write(folder.join("one.txt"), &text).unwrap();
    fs::write(folder.join("sub/two.txt"), text.to_lowercase()).unwrap();
    fs::write(folder.join("ignored.md"), &text).unwrap();
    let out_dir = dir.path().join("out");
    let out = reprint(&[
        "scan",
        folder.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let docs = read_jsonl(&out_dir.join("documents.jsonl"));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["one.txt", "sub/two.txt"]);
    assert_eq!(docs[1]["relation"], "exact");

    let input = jsonl_line("x", &text, "") + &jsonl_line("y", &article(8, 200), "");
    let out = reprint_stdin(
        &["scan", "-", "--out", out_dir.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_ok(&out);
    let docs = read_jsonl(&out_dir.join("documents.jsonl"));
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "x");

    // gzip file mixed with the folder: the folder's copies and the JSONL's original meet.
    let gz = dir.path().join("in.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, input.as_bytes()).unwrap();
    fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let out = reprint(&[
        "scan",
        gz.to_str().unwrap(),
        folder.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let clusters = read_jsonl(&out_dir.join("clusters.jsonl"));
    assert_eq!(clusters.len(), 1);
    assert_eq!(
        clusters[0]["members"],
        serde_json::json!(["x", "one.txt", "sub/two.txt"])
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus()).unwrap();
    let out_dir = dir.path().join("out");
    let out = reprint(&[
        "scan",
        input.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("read 6 records"),
        "the summary is printed: {err}"
    );
    assert!(
        !err.contains('\r') && !err.contains('\x1b'),
        "no bar or escape codes when stderr is a pipe: {err:?}"
    );
}

/// `--memory`: a tiny budget (pass 2 one pair at a time) writes the same folder as the
/// default; a budget that is not a positive number is refused before any work.
#[test]
fn memory_budget_changes_nothing_in_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let inputs = [
        format!("{fixtures}/traps/articles.jsonl"),
        format!("{fixtures}/one_topic/articles.jsonl"),
    ];
    let scan_with = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["scan", &inputs[0], &inputs[1], "--quiet", "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        let result = reprint(&args);
        (out, result)
    };
    let (default, out) = scan_with("default", &[]);
    assert_ok(&out);
    let (tiny, out) = scan_with("tiny", &["--memory", "0.000001"]);
    assert_ok(&out);
    for file in [
        "documents.jsonl",
        "clusters.jsonl",
        "matches.jsonl",
        "texts.jsonl",
    ] {
        assert!(
            fs::read(default.join(file)).unwrap() == fs::read(tiny.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!read_jsonl(&default.join("matches.jsonl")).is_empty());
    let (never, out) = scan_with("never", &["--memory", "0"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--memory must be a positive number"));
    assert!(!never.exists());
}
