//! The README's quick start, run as a new user runs it: its scan command on the example
//! corpus `examples/news/articles.jsonl` finds every relation the gold file
//! `examples/news/gold.jsonl` lists, the summary and the excerpts the README shows are
//! what the scan writes (so the README cannot go stale), `compare` agrees with the scan
//! on every link, and the report's screenshot the README shows is made here (in headless
//! Chromium, when installed; `REPRINT_UPDATE_SCREENSHOT=1` writes it into the repo).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::*;

/// Every relation a scan reports.
const RELATIONS: [&str; 6] = [
    "exact",
    "near",
    "partial",
    "rewrite",
    "same-story",
    "passage",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The arguments of the README's quick-start command (`cargo run --release -- ARGS`).
fn quick_start_args(readme: &str) -> Vec<String> {
    let section = &readme[readme
        .find("## Quick start")
        .expect("a quick start section")..];
    let line = section
        .lines()
        .find(|l| l.starts_with("cargo run --release -- "))
        .expect("a `cargo run --release -- ...` line in the quick start");
    line["cargo run --release -- ".len()..]
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The fenced blocks the README marks with `<!-- excerpt: NAME -->`, by name.
fn excerpts(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = readme;
    while let Some(at) = rest.find("<!-- excerpt: ") {
        rest = &rest[at + "<!-- excerpt: ".len()..];
        let name = rest[..rest.find(" -->").unwrap()].to_string();
        let open = rest.find("```").unwrap();
        let body_start = open + rest[open..].find('\n').unwrap() + 1;
        let body_len = rest[body_start..].find("```").unwrap();
        out.push((name, rest[body_start..body_start + body_len].to_string()));
        rest = &rest[body_start + body_len..];
    }
    out
}

/// Whether `shown` is `actual` abridged: every field shown has the value written, and
/// every list shows some of its items, in order.
fn abridges(shown: &Value, actual: &Value) -> bool {
    match (shown, actual) {
        (Value::Object(s), Value::Object(a)) => s
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| abridges(v, av))),
        (Value::Array(s), Value::Array(a)) => {
            let mut items = a.iter();
            s.iter().all(|v| items.any(|av| abridges(v, av)))
        }
        _ => shown == actual,
    }
}

/// Runs the quick start in a fresh folder holding the example corpus at the path the
/// README names, from that folder, so the summary reads exactly as a user's does.
struct QuickStart {
    dir: tempfile::TempDir,
    stderr: String,
}

impl QuickStart {
    fn run() -> QuickStart {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("examples/news");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::copy(
            repo().join("examples/news/articles.jsonl"),
            corpus.join("articles.jsonl"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_reprint"))
            .args(quick_start_args(&readme()))
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_ok(&out);
        QuickStart {
            stderr: stderr(&out),
            dir,
        }
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join("out").join(name)
    }

    fn matches(&self) -> Vec<Value> {
        read_jsonl(&self.out("matches.jsonl"))
    }
}

fn gold() -> Vec<Value> {
    read_jsonl(&repo().join("examples/news/gold.jsonl"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The link between `a` and `b` (either order), if any.
fn link<'a>(matches: &'a [Value], a: &str, b: &str) -> Option<&'a Value> {
    matches
        .iter()
        .find(|m| (s(&m["a"]), s(&m["b"])) == (a, b) || (s(&m["a"]), s(&m["b"])) == (b, a))
}

#[test]
fn the_quick_start_finds_every_relation_of_the_gold_file() {
    let run = QuickStart::run();
    let matches = run.matches();
    let gold = gold();
    // Every copy is linked to its source with the gold relation, every listed link is
    // there with its kind.
    let mut expected: Vec<(String, String, String)> = Vec::new();
    for g in &gold {
        if let Some(source) = g["source"].as_str() {
            expected.push((s(&g["id"]).into(), source.into(), s(&g["kind"]).into()));
        }
        for l in g["links"].as_array().into_iter().flatten() {
            expected.push((
                s(&g["id"]).into(),
                s(&l["with"]).into(),
                s(&l["kind"]).into(),
            ));
        }
    }
    for (a, b, kind) in &expected {
        let m = link(&matches, a, b).unwrap_or_else(|| panic!("no link {a}-{b}"));
        assert_eq!(s(&m["kind"]), kind, "{a}-{b}: {m}");
    }
    // Every kind occurs, and the summary line counts it.
    let kinds: HashSet<&str> = matches.iter().map(|m| s(&m["kind"])).collect();
    let wrote = run
        .stderr
        .lines()
        .find(|l| l.starts_with("wrote 17 documents"))
        .expect("the summary line");
    for kind in RELATIONS {
        assert!(kinds.contains(kind), "no {kind} link: {matches:?}");
        assert!(
            !wrote.contains(&format!(" 0 {kind}")),
            "{kind} counted 0: {wrote}"
        );
    }
    // No link the gold does not expect: links inside a gold story are versions of one
    // text (the truncation a11 is also a partial copy of a07), links across stories
    // are the listed ones.
    let story_of: HashMap<&str, &str> = gold
        .iter()
        .map(|g| {
            let story = g["story"].as_str().unwrap_or_else(|| s(&g["cluster"]));
            (s(&g["id"]), story)
        })
        .collect();
    let listed: HashSet<(&str, &str)> = expected
        .iter()
        .flat_map(|(a, b, _)| [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())])
        .collect();
    for m in &matches {
        let (a, b) = (s(&m["a"]), s(&m["b"]));
        assert!(
            story_of[a] == story_of[b] || listed.contains(&(a, b)),
            "unexpected link {m}"
        );
        if ["same-story", "passage"].contains(&s(&m["kind"])) {
            assert!(listed.contains(&(a, b)), "unexpected {m}");
        }
    }
    // Both levels of grouping match the gold exactly.
    for level in ["cluster", "story"] {
        let out = reprint(&[
            "eval",
            "--json",
            "--level",
            level,
            "--gold",
            repo().join("examples/news/gold.jsonl").to_str().unwrap(),
            run.out("").to_str().unwrap(),
        ]);
        assert_ok(&out);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["f1"], 1.0, "{level}: {report}");
    }
    // Each family's likely source is its gold original, named with reasons.
    let original_of: HashMap<&str, &str> = gold
        .iter()
        .filter(|g| g["kind"] == "original")
        .map(|g| (s(&g["cluster"]), s(&g["id"])))
        .collect();
    let cluster_of: HashMap<&str, &str> = gold
        .iter()
        .map(|g| (s(&g["id"]), s(&g["cluster"])))
        .collect();
    let clusters = read_jsonl(&run.out("clusters.jsonl"));
    assert_eq!(clusters.len(), 5);
    for c in &clusters {
        let first = s(&c["members"][0]);
        assert_eq!(s(&c["source"]), original_of[cluster_of[first]], "{c}");
        assert!(!c["source_reasons"].as_array().unwrap().is_empty(), "{c}");
    }
    // The rewrite's attribution line names its source's site, and the provenance says so.
    let docs = read_jsonl(&run.out("documents.jsonl"));
    let doc = |id: &str| docs.iter().find(|d| d["id"] == id).unwrap().clone();
    assert_eq!(doc("a15")["attributions"][0]["name"], doc("a14")["site"]);
    let family = clusters.iter().find(|c| c["source"] == "a14").unwrap();
    assert!(
        family["derivations"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "cites-source"),
        "{family}"
    );
    // The independent version tells the family's story (the README says which).
    assert_eq!(doc("a16")["story"], family["story"]);
    assert_ne!(doc("a16")["cluster"], doc("a14")["cluster"]);
    assert!(readme().contains(&format!(
        "its `story` in `documents.jsonl` is {}",
        family["story"]
    )));
    // The report was written by the same command.
    let html = std::fs::read_to_string(run.out("report.html")).unwrap();
    assert!(html.contains("<title>reprint report</title>"));
}

#[test]
fn the_readme_shows_what_the_quick_start_writes() {
    let run = QuickStart::run();
    let readme = readme();
    let blocks = excerpts(&readme);
    assert!(blocks.len() >= 3, "the summary and two file excerpts");
    let names: Vec<&str> = blocks.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"summary") && names.contains(&"out/clusters.jsonl"));
    assert!(names.contains(&"out/matches.jsonl"));
    for (name, body) in &blocks {
        if name == "summary" {
            let printed: Vec<&str> = run.stderr.lines().collect();
            for line in body.lines() {
                assert!(
                    printed.contains(&line),
                    "the README's summary line {line:?} is not printed:\n{}",
                    run.stderr
                );
            }
            continue;
        }
        let shown: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("the README's excerpt of {name} is not JSON: {e}"));
        let file = run.dir.path().join(name);
        let lines = read_jsonl(&file);
        assert!(
            lines.iter().any(|line| abridges(&shown, line)),
            "the README's excerpt of {name} is not in what the scan wrote:\n{shown}"
        );
    }
}

#[test]
fn excerpt_check_catches_a_changed_value() {
    // The comparison the README test relies on: a changed value, a missing field or
    // items out of order are not an abridgement.
    let actual: Value =
        serde_json::from_str(r#"{"a":"x","n":1,"list":[{"k":1},{"k":2},{"k":3}]}"#).unwrap();
    let ok: Value = serde_json::from_str(r#"{"n":1,"list":[{"k":1},{"k":3}]}"#).unwrap();
    assert!(abridges(&ok, &actual));
    for bad in [
        r#"{"n":2}"#,
        r#"{"missing":1}"#,
        r#"{"list":[{"k":3},{"k":1}]}"#,
        r#"{"list":[{"k":4}]}"#,
    ] {
        let bad: Value = serde_json::from_str(bad).unwrap();
        assert!(!abridges(&bad, &actual), "{bad}");
    }
}

#[test]
fn compare_gives_each_link_the_scans_relation() {
    let run = QuickStart::run();
    let corpus = repo().join("examples/news/articles.jsonl");
    for m in run.matches() {
        let out = reprint(&[
            "compare",
            "--corpus",
            corpus.to_str().unwrap(),
            s(&m["a"]),
            s(&m["b"]),
            "--json",
        ]);
        assert_ok(&out);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["relation"], m["kind"], "{m}");
    }
}

const CHROMIUM: &str = "/usr/bin/chromium";
const SCREENSHOT: &str = "examples/news/report.png";
const WINDOW: (u32, u32) = (1200, 1400);

/// Width and height of a PNG image, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let be = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    (png.starts_with(b"\x89PNG\r\n\x1a\n") && png.get(12..16) == Some(b"IHDR"))
        .then(|| Some((be(16)?, be(20)?)))
        .flatten()
}

#[test]
fn the_readme_screenshot_is_the_report_of_the_quick_start() {
    if Path::new(CHROMIUM).exists() {
        let png = screenshot_of_the_quick_start();
        assert_eq!(png_size(&png), Some(WINDOW));
        if std::env::var_os("REPRINT_UPDATE_SCREENSHOT").is_some() {
            std::fs::write(repo().join(SCREENSHOT), &png).unwrap();
            println!("wrote {SCREENSHOT}");
        }
    } else {
        println!("skipped the browser part: {CHROMIUM} not installed (run .ci/setup-chromium)");
    }
    let committed = std::fs::read(repo().join(SCREENSHOT)).expect("the committed screenshot");
    assert_eq!(png_size(&committed), Some(WINDOW), "{SCREENSHOT}");
    assert!(committed.len() < 400_000, "a small image");
    assert!(readme().contains(&format!("]({SCREENSHOT})")));
}

/// The report of the quick start, opened at the family the README's excerpt shows.
fn screenshot_of_the_quick_start() -> Vec<u8> {
    let run = QuickStart::run();
    let clusters = read_jsonl(&run.out("clusters.jsonl"));
    let family = clusters.iter().find(|c| c["source"] == "a14").unwrap();
    let url = format!(
        "file://{}#c={}",
        run.out("report.html").display(),
        family["id"]
    );
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("quick-start-report.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .arg(&url)
        .output()
        .unwrap();
    assert_ok(&out);
    println!(
        "screenshot: {} (REPRINT_UPDATE_SCREENSHOT=1 writes it to {SCREENSHOT})",
        shot.display()
    );
    std::fs::read(&shot).expect("screenshot written")
}

#[test]
fn the_help_says_what_reprint_finds() {
    let text = |args: &[&str]| String::from_utf8_lossy(&reprint(args).stdout).into_owned();
    let top = text(&["--help"]);
    let scan = text(&["scan", "--help"]);
    let compare = text(&["compare", "--help"]);
    for kind in [
        "near-duplicates",
        "partial",
        "rewrites",
        "same-story",
        "passages",
    ] {
        assert!(top.contains(kind), "reprint --help lacks {kind}:\n{top}");
    }
    for kind in RELATIONS {
        assert!(scan.contains(kind), "scan --help lacks {kind}:\n{scan}");
        assert!(
            compare.contains(kind),
            "compare --help lacks {kind}:\n{compare}"
        );
    }
    assert!(scan.contains("copy families and stories") && scan.contains("--report"));
}
