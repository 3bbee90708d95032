//! Provenance in the scan's output and the HTML report: on a corpus written for this
//! test (an original, a copy naming its publisher, a truncation holding planted markup,
//! an exact pair, two loners), on the seed documents when present, and in headless
//! Chromium when /usr/bin/chromium is installed (`.ci/setup-chromium`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{article, assert_ok, jsonl_line, read_jsonl, reprint};
use serde_json::Value;

/// Markup a hostile document could carry: if the report ran it, the page's title would
/// change or the body would get a `data-pwned` attribute.
const PLANTED: &str = "<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">";

fn body() -> String {
    (101..105)
        .map(|seed| article(seed, 60))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Writes the corpus and scans it; returns the scan folder.
fn scan_fixture(dir: &Path) -> PathBuf {
    let body = body();
    let half = (101..103)
        .map(|seed| article(seed, 60))
        .collect::<Vec<_>>()
        .join("\n\n");
    let shared = article(401, 150);
    let mut corpus = String::new();
    corpus.push_str(&jsonl_line(
        "orig",
        &format!("Un titre inventé pour ce test\n\n{body}"),
        r#","site":"lejournal-exemple.fr","date":"2024-03-01","title":"Un titre inventé""#,
    ));
    corpus.push_str(&jsonl_line("alone-1", &article(201, 200), ""));
    corpus.push_str(&jsonl_line(
        "copy",
        &format!("{body}\n\nArticle original publié sur LeJournal-Exemple.fr"),
        r#","site":"agregateur-exemple.net""#,
    ));
    corpus.push_str(&jsonl_line(
        "trunc",
        &format!("{PLANTED}\n\n{half}"),
        r#","url":"https://www.troisieme-exemple.org/a/1","date":"2024-03-05""#,
    ));
    corpus.push_str(&jsonl_line("x1", &shared, ""));
    corpus.push_str(&jsonl_line("alone-2", &article(301, 200), ""));
    corpus.push_str(&jsonl_line("x2", &shared, ""));
    let input = dir.join("corpus.jsonl");
    std::fs::write(&input, corpus).unwrap();
    let out = dir.join("scan");
    assert_ok(&reprint(&[
        "scan",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]));
    out
}

fn by_id(rows: &[Value]) -> std::collections::HashMap<String, Value> {
    rows.iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn codes(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn scan_writes_provenance_and_texts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = scan_fixture(tmp.path());
    let docs = by_id(&read_jsonl(&out.join("documents.jsonl")));

    assert_eq!(docs["orig"]["source"], "orig");
    assert_eq!(docs["orig"]["derived_from"], serde_json::json!([]));
    let copy_from = &docs["copy"]["derived_from"][0];
    assert_eq!(copy_from["id"], "orig");
    assert!(
        codes(copy_from).contains(&"cites-source".to_string()),
        "{copy_from}"
    );
    let attribution = &docs["copy"]["attributions"][0];
    assert_eq!(attribution["kind"], "original");
    assert_eq!(attribution["name"], "LeJournal-Exemple.fr");
    assert_eq!(attribution["cue"], "publié sur");
    let trunc_from = &docs["trunc"]["derived_from"][0];
    assert_eq!(trunc_from["id"], "orig");
    let trunc_codes = codes(trunc_from);
    assert!(
        trunc_codes.contains(&"truncation".to_string()),
        "{trunc_from}"
    );
    assert!(
        trunc_codes.contains(&"earlier-date".to_string()),
        "{trunc_from}"
    );
    // Exact copies with no date: nothing orders them.
    assert_eq!(docs["x2"]["derived_from"], serde_json::json!([]));
    assert_eq!(docs["alone-1"]["source"], Value::Null);
    assert_eq!(docs["alone-1"]["text_date"], Value::Null);

    let clusters = read_jsonl(&out.join("clusters.jsonl"));
    let main = clusters.iter().find(|c| c["id"] == 0).unwrap();
    assert_eq!(main["source"], "orig");
    let reasons: Vec<&str> = main["source_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"no-earlier-member"), "{reasons:?}");
    assert!(reasons.contains(&"cites-source"), "{reasons:?}");
    let edges: Vec<(&str, &str)> = main["derivations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["source"].as_str().unwrap(), d["copy"].as_str().unwrap()))
        .collect();
    assert!(edges.contains(&("orig", "copy")) && edges.contains(&("orig", "trunc")));
    let exact = clusters.iter().find(|c| c["size"] == 2).unwrap();
    assert_eq!(exact["undirected"].as_array().unwrap().len(), 1);
    assert!(
        codes(&serde_json::json!({"reasons": exact["source_reasons"]}))
            .contains(&"undetermined".to_string())
    );

    // texts.jsonl: the clustered documents only, texts unchanged.
    let texts = read_jsonl(&out.join("texts.jsonl"));
    let ids: Vec<&str> = texts.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["orig", "copy", "trunc", "x1", "x2"]);
    assert!(texts[2]["text"].as_str().unwrap().starts_with(PLANTED));
}

fn write_report(scan: &Path, html: &Path) {
    assert_ok(&reprint(&[
        "report",
        scan.to_str().unwrap(),
        "--out",
        html.to_str().unwrap(),
        "--quiet",
    ]));
}

#[test]
fn report_is_self_contained_and_escapes_text() {
    let tmp = tempfile::tempdir().unwrap();
    let scan = scan_fixture(tmp.path());
    let html_path = tmp.path().join("report.html");
    write_report(&scan, &html_path);
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing is fetched: no external script, style, image or font.
    for needle in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
        assert!(!html.contains(needle), "{needle} in the report");
    }
    // The planted markup is data, never markup: it appears only with `<` escaped.
    assert!(!html.contains("<script>document.title"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("\\u003cscript>document.title='PWNED'"));
    // Two clusters, the larger first, in one page of data.
    let index_start = html.find("id=\"index\">").unwrap() + "id=\"index\">".len();
    let index_end = index_start + html[index_start..].find("</script>").unwrap();
    let index: Value = serde_json::from_str(&html[index_start..index_end]).unwrap();
    assert_eq!(index.as_array().unwrap().len(), 2);
    assert_eq!(index[0]["size"], 3);
    assert_eq!(index[0]["source"], "orig");
    assert_eq!(index[0]["spread"], 3, "three publishers");
    assert!(html.contains("id=\"page-0\""));
    assert!(!html.contains("id=\"page-1\""));
}

#[test]
fn report_pages_and_text_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let scan = scan_fixture(tmp.path());
    let html_path = tmp.path().join("paged.html");
    assert_ok(&reprint(&[
        "report",
        scan.to_str().unwrap(),
        "--out",
        html_path.to_str().unwrap(),
        "--page-size",
        "1",
        "--max-text-mb",
        "0",
    ]));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("id=\"page-1\""), "one cluster per page");
    // No budget: no text embedded at all.
    assert!(!html.contains("PWNED"));
    assert!(!html.contains(&article(401, 150)[..40]));
}

/// The seeds: 000 is named the source of 001 with reasons, 004's original publisher is
/// extracted, and the report holds the seed cluster.
#[test]
fn seeds_provenance() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds");
    if !seeds.is_dir() {
        println!("skipped: {} not found", seeds.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("scan");
    assert_ok(&reprint(&[
        "scan",
        seeds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]));
    let docs = read_jsonl(&out.join("documents.jsonl"));
    let id = |prefix: &str| {
        docs.iter()
            .find(|d| d["id"].as_str().unwrap().starts_with(prefix))
            .unwrap()
            .clone()
    };
    let (d0, d1, d4) = (id("000"), id("001"), id("004"));
    assert_eq!(d0["text_date"], "2024-10");
    if d1["cluster"] == d0["cluster"] {
        let from = &d1["derived_from"][0];
        assert_eq!(from["id"], d0["id"], "{d1}");
        assert!(!codes(from).is_empty());
        assert_eq!(d1["source"], d0["id"]);
        println!("001 derived from 000: {:?}", codes(from));
    } else {
        println!("note: 000 and 001 are not linked by this scan; provenance has nothing to orient");
    }
    let originals: Vec<&Value> = d4["attributions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "original")
        .collect();
    assert_eq!(originals.len(), 1, "{d4}");
    println!("004 attribution: {}", originals[0]);
    let html = tmp.path().join("seeds.html");
    write_report(&out, &html);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains(d0["id"].as_str().unwrap()));
}

// ---- headless Chromium ----

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("cannot start chromium")
}

fn dump_dom(html: &Path, fragment: &str, profile: &Path) -> String {
    let url = format!("file://{}{fragment}", html.display());
    let out = chromium(&["--dump-dom", &url], profile);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn report_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} not installed (run .ci/setup-chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let scan = scan_fixture(tmp.path());
    let html = tmp.path().join("report.html");
    write_report(&scan, &html);
    let profile = tempfile::tempdir().unwrap();

    let dom = dump_dom(&html, "", profile.path());
    // The list shows both clusters; the largest is open with its derivation graph.
    assert_eq!(dom.matches("class=\"cluster-row").count(), 2, "{dom}");
    assert!(dom.contains("id=\"cluster-0\""), "{dom}");
    assert!(dom.contains("class=\"graph\""));
    assert!(dom.contains("class=\"timeline\""));
    assert!(dom.contains("<strong class=\"original\">orig</strong>"));
    // The first pair is shown side by side with highlighted passages.
    assert!(dom.matches("<mark class=\"hl\">").count() >= 2, "{dom}");
    // The pair holding the planted markup: shown as text, not run.
    let trunc_pair = dump_dom(&html, "#c=0&a=0&b=2", profile.path());
    assert!(trunc_pair.contains("<title>reprint report</title>"));
    assert!(!trunc_pair.contains("PWNED</title>"));
    // (The planted code itself is visible text, so look for the attribute it would set.)
    assert!(!trunc_pair.contains("data-pwned=\""), "planted markup ran");
    assert!(!dom.contains("data-pwned=\""), "planted markup ran");
    assert!(
        trunc_pair.contains("&lt;script&gt;document.title='PWNED'"),
        "the planted text is visible as text"
    );
    assert!(trunc_pair.matches("<mark class=\"hl\">").count() >= 2);

    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let url = format!("file://{}#c=0&a=0&b=2", html.display());
    let out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            &url,
        ],
        profile.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    println!("screenshot: {}", shot.display());
}

#[test]
fn seeds_report_in_headless_chromium() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds");
    if !Path::new(CHROMIUM).exists() || !seeds.is_dir() {
        println!("skipped: needs {CHROMIUM} and {}", seeds.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("scan");
    assert_ok(&reprint(&[
        "scan",
        seeds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]));
    let html = tmp.path().join("seeds.html");
    write_report(&out, &html);
    let profile = tempfile::tempdir().unwrap();
    let dom = dump_dom(&html, "", profile.path());
    assert!(dom.contains("id=\"cluster-0\""), "{dom}");
    // The independent version tells the story of the rewrite's family on its own: the
    // story line names it.
    assert!(dom.contains("Story 0, also told by: "), "{dom}");
    assert!(dom.contains("(alone in its family)"), "{dom}");
    assert!(dom.contains("Links to other families"), "{dom}");
    let marks = dom.matches("<mark class=\"hl").count() + dom.matches("<mark class=\"sl").count();
    assert!(marks >= 2, "shared passages highlighted: {dom}");
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("seeds-report-screenshot.png");
    let url = format!("file://{}", html.display());
    let shot_out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            &url,
        ],
        profile.path(),
    );
    assert!(shot_out.status.success());
    println!(
        "seed report screenshot: {} ({marks} highlighted stretches)",
        shot.display()
    );
}
