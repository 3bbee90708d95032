//! `reprint dedup`: one representative per cluster, records kept byte for byte in input
//! order, with a summary and an optional list of what was removed and why.

mod common;

use std::fs;

use common::*;

#[test]
fn dedup_keeps_first_of_each_cluster_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = article(11, 250);
    let near = a.replacen(' ', " inserted ", 2);
    let lines = [
        jsonl_line("a", &a, ",\"price\":1.50,\"tags\":[\"x\", \"y\"]"),
        jsonl_line("u", &article(12, 250), ""),
        jsonl_line("a-copy", &a.to_uppercase(), ""),
        jsonl_line("a-near", &near, ""),
        jsonl_line("v", &article(13, 250), ""),
    ];
    let input = dir.path().join("in.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, lines.concat().as_bytes()).unwrap();
    fs::write(&input, encoder.finish().unwrap()).unwrap();
    let out_file = dir.path().join("kept.jsonl");
    let removed = dir.path().join("removed.jsonl");
    let out = reprint(&[
        "dedup",
        input.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
        "--removed",
        removed.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let kept = fs::read_to_string(&out_file).unwrap();
    assert_eq!(
        kept,
        [lines[0].clone(), lines[1].clone(), lines[4].clone()].concat()
    );
    let err = stderr(&out);
    assert!(
        err.contains("kept 3 of 5 documents, removed 2 (exact: 1, near: 1)"),
        "{err}"
    );

    let removed = read_jsonl(&removed);
    assert_eq!(removed.len(), 2);
    assert_eq!(removed[0]["id"], "a-copy");
    assert_eq!(removed[0]["kept"], "a");
    assert_eq!(removed[0]["relation"], "exact");
    assert_eq!(removed[1]["id"], "a-near");
    assert_eq!(removed[1]["relation"], "near");
    assert!(removed[1]["similarity"].as_f64().unwrap() >= 0.7);
}

#[test]
fn dedup_reads_stdin_and_text_folders() {
    let dir = tempfile::tempdir().unwrap();
    let a = article(21, 200);
    let input = jsonl_line("1", &a, "")
        + &jsonl_line("2", &a, "")
        + &jsonl_line("3", &article(22, 200), "");
    let out_file = dir.path().join("kept.jsonl");
    let out = reprint_stdin(
        &["dedup", "-", "--out", out_file.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_ok(&out);
    let kept = read_jsonl(&out_file);
    let ids: Vec<&str> = kept.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "3"]);

    let folder = dir.path().join("texts");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("a.txt"), &a).unwrap();
    fs::write(folder.join("b.txt"), &a).unwrap();
    let out = reprint(&[
        "dedup",
        folder.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let kept = read_jsonl(&out_file);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["id"], "a.txt");
    assert_eq!(kept[0]["text"], a.as_str());
}

#[test]
fn dedup_keeps_crlf_line_ends_and_the_bom_byte_for_byte() {
    // Before, kept lines lost their `\r` and the file its byte-order mark.
    let dir = tempfile::tempdir().unwrap();
    let a = article(21, 200);
    let crlf = |line: String| line.replace('\n', "\r\n");
    let lines = [
        format!("\u{feff}{}", crlf(jsonl_line("a", &a, ""))),
        crlf(jsonl_line("b", &article(22, 200), "")),
        crlf(jsonl_line("a-copy", &a, "")),
        crlf(jsonl_line("c", &article(23, 200), "")),
    ];
    let input = dir.path().join("crlf.jsonl");
    fs::write(&input, lines.concat()).unwrap();
    let out_file = dir.path().join("kept.jsonl");
    let out = reprint(&[
        "dedup",
        input.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let kept = fs::read(&out_file).unwrap();
    let want = [lines[0].clone(), lines[1].clone(), lines[3].clone()].concat();
    assert_eq!(String::from_utf8(kept).unwrap(), want);
}

#[test]
fn identical_wordless_texts_are_exact_copies() {
    // Emoji-only and empty texts were an exact copy of nothing, so dedup kept them all.
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        jsonl_line("e1", "🎉🎉🎉", ""),
        jsonl_line("empty1", "", ""),
        jsonl_line("e2", " 🎉🎉🎉 ", ""),
        jsonl_line("other", "🎂", ""),
        jsonl_line("empty2", "  ", ""),
    ];
    let input = dir.path().join("emoji.jsonl");
    fs::write(&input, lines.concat()).unwrap();
    let out_file = dir.path().join("kept.jsonl");
    let out = reprint(&[
        "dedup",
        input.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let kept: Vec<String> = read_jsonl(&out_file)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kept, ["e1", "empty1", "other"]);
    assert!(
        stderr(&out).contains("kept 3 of 5 documents, removed 2 (exact: 2)"),
        "{}",
        stderr(&out)
    );
}
