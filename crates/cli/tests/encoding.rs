//! `.txt` files in legacy encodings: an error naming the file by default (with a hint),
//! decoded with `--txt-encoding auto` or a named encoding.

mod common;

use std::fs;

use common::*;

fn legacy_folder(dir: &std::path::Path) -> std::path::PathBuf {
    let folder = dir.join("texts");
    fs::create_dir_all(&folder).unwrap();
    // windows-1252: "é" is 0xE9, "’" is 0x92; not valid UTF-8.
    let mut bytes =
        b"Le caf\xe9 du march\xe9 rouvre l\x92\xe9t\xe9 prochain, annonce la mairie. ".to_vec();
    bytes.extend_from_slice(article(5, 80).as_bytes());
    fs::write(folder.join("legacy.txt"), &bytes).unwrap();
    fs::write(folder.join("modern.txt"), article(6, 80)).unwrap();
    folder
}

#[test]
fn legacy_txt_is_an_error_by_default_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let folder = legacy_folder(dir.path());
    let out_file = dir.path().join("kept.jsonl");
    let out = reprint(&[
        "dedup",
        folder.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("legacy.txt:1: invalid UTF-8"), "{err}");
    assert!(err.contains("--txt-encoding auto"), "{err}");
}

#[test]
fn legacy_txt_is_decoded_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let folder = legacy_folder(dir.path());
    for encoding in ["auto", "windows-1252", "latin1"] {
        let out_file = dir.path().join(format!("kept-{encoding}.jsonl"));
        let out = reprint(&[
            "dedup",
            folder.to_str().unwrap(),
            "--out",
            out_file.to_str().unwrap(),
            "--txt-encoding",
            encoding,
        ]);
        assert_ok(&out);
        let kept = read_jsonl(&out_file);
        assert_eq!(kept.len(), 2, "{encoding}");
        let text = kept[0]["text"].as_str().unwrap();
        assert!(
            text.starts_with("Le café du marché rouvre l’été prochain"),
            "{encoding}: {text}"
        );
    }
    let out = reprint(&[
        "dedup",
        folder.to_str().unwrap(),
        "--out",
        "x",
        "--txt-encoding",
        "klingon",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown encoding"));
}

#[test]
fn compare_says_when_it_decodes_a_file_that_is_not_utf8() {
    // It decoded legacy bytes silently; now stderr says which encoding was used, and the
    // JSON records it per side.
    let dir = tempfile::tempdir().unwrap();
    let folder = legacy_folder(dir.path());
    let legacy = folder.join("legacy.txt");
    let modern = folder.join("modern.txt");
    let out = reprint(&[
        "compare",
        legacy.to_str().unwrap(),
        modern.to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "note: {} is not UTF-8; read as windows-1252 (detected)",
            legacy.display()
        )),
        "{err}"
    );
    assert!(!err.contains("modern.txt"), "{err}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["a"]["encoding"], "windows-1252");
    assert_eq!(report["b"]["encoding"], "UTF-8");
}
