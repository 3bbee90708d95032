//! Bad input through the CLI: by default the run stops with an error naming file and
//! line; with `--skip-invalid` the bad record is skipped, counted by reason, and nothing
//! else is lost.

mod common;

use std::fs;

use common::*;

/// One good record before and after each bad line, so a test can check nothing else is lost.
fn case(bad_line: &[u8]) -> Vec<u8> {
    let mut s = jsonl_line("before", &article(1, 80), "").into_bytes();
    s.extend_from_slice(bad_line);
    s.push(b'\n');
    s.extend_from_slice(jsonl_line("after", &article(2, 80), "").as_bytes());
    s
}

fn check(name: &str, content: &[u8], message: &str, reason: &str, line: usize) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("{name}.jsonl"));
    fs::write(&input, content).unwrap();
    let out_dir = dir.path().join("out");
    let path = input.to_str().unwrap();

    let out = reprint(&["scan", path, "--out", out_dir.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "{name}: a bad record stops the run by default"
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{path}:{line}")),
        "{name}: no file:line in {err}"
    );
    assert!(
        err.to_lowercase().contains(message),
        "{name}: expected '{message}' in {err}"
    );

    let out = reprint(&[
        "scan",
        path,
        "--out",
        out_dir.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("read 3 records: 2 accepted, 1 skipped")
            && err.contains(&format!("{reason}: 1")),
        "{name}: summary {err}"
    );
    let docs = read_jsonl(&out_dir.join("documents.jsonl"));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["before", "after"],
        "{name}: the good records are all there"
    );
}

#[test]
fn malformed_json() {
    check(
        "malformed",
        &case(b"{\"id\": \"x\", \"text\": "),
        "json",
        "malformed_json",
        2,
    );
}

#[test]
fn missing_text_field() {
    check(
        "missing",
        &case(b"{\"id\": \"x\", \"body\": \"hello\"}"),
        "text",
        "missing_text",
        2,
    );
}

#[test]
fn non_string_text_field() {
    check(
        "nonstring",
        &case(b"{\"id\": \"x\", \"text\": 42}"),
        "text",
        "text_not_string",
        2,
    );
}

#[test]
fn invalid_utf8() {
    check(
        "utf8",
        &case(b"{\"id\": \"x\", \"text\": \"caf\xe9\"}"),
        "utf-8",
        "invalid_utf8",
        2,
    );
}

#[test]
fn duplicate_id() {
    check(
        "dup",
        &case(
            jsonl_line("before", "another text entirely", "")
                .trim_end()
                .as_bytes(),
        ),
        "duplicate",
        "duplicate_id",
        2,
    );
}

#[test]
fn fifty_megabyte_line() {
    let mut line = b"{\"id\": \"big\", \"text\": \"".to_vec();
    line.resize(line.len() + 50 * 1024 * 1024, b'a');
    line.extend_from_slice(b"\"}");
    check(
        "big",
        &case(&line),
        "exceeds the limit",
        "record_too_large",
        2,
    );
}

#[test]
fn empty_file_is_reported_and_other_inputs_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    fs::write(&empty, b"").unwrap();
    let good = dir.path().join("good.jsonl");
    fs::write(&good, jsonl_line("g", &article(3, 50), "")).unwrap();
    let out_dir = dir.path().join("out");
    let out = reprint(&[
        "scan",
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(empty.to_str().unwrap()) && err.to_lowercase().contains("empty"),
        "{err}"
    );

    let out = reprint(&[
        "scan",
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert_ok(&out);
    assert!(stderr(&out).contains("empty_file: 1"), "{}", stderr(&out));
    assert_eq!(read_jsonl(&out_dir.join("documents.jsonl")).len(), 1);
}

#[test]
fn missing_input_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = reprint(&[
        "scan",
        "/nonexistent/in.jsonl",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("/nonexistent/in.jsonl"));
}
