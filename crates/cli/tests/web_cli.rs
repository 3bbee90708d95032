//! `reprint extract`, `scan` and `dedup` on web inputs: WARC archives and HTML files
//! written by these tests, run through the built binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

fn reprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .output()
        .expect("reprint runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn warc_record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn html_response(id: &str, uri: &str, html: &[u8]) -> Vec<u8> {
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    http.extend_from_slice(html);
    warc_record(
        "response",
        id,
        uri,
        "application/http; msgtype=response",
        &http,
    )
}

const STORY: &str = "The harbour authority said on Monday that the old lighthouse would be \
    restored over the next two years, after a campaign by residents raised most of the money. \
    Work on the stone tower will start in spring, and the lamp room will open to visitors once \
    the structure has been made safe. ";
const OTHER: &str = "A new bus line will connect the university campus to the train station \
    from September, the transport office announced, with a bus every ten minutes during the day \
    and every half hour in the evening. ";

fn page(title: &str, text: &str) -> String {
    format!(
        "<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"Coast News\">\
         </head><body><nav><a href=\"/\">Home</a> <a href=\"/local\">Local</a></nav><article>\
         <p>{text}</p><p>{text}</p></article><footer>PREV NEXT</footer></body></html>"
    )
}

/// Two copies of one story, another story, non-page records, and two bad pages.
fn crawl(dir: &Path, with_bad_pages: bool) -> PathBuf {
    let mut records = vec![
        warc_record(
            "warcinfo",
            "info",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "req",
            "http://coast.example/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ),
        html_response(
            "a",
            "http://coast.example/a",
            page("Lighthouse to be restored", STORY).as_bytes(),
        ),
        html_response(
            "b",
            "http://mirror.example/b",
            page("Lighthouse restoration", STORY).as_bytes(),
        ),
        html_response(
            "c",
            "http://coast.example/c",
            page("New bus line", OTHER).as_bytes(),
        ),
        warc_record(
            "response",
            "img",
            "http://coast.example/i.png",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n",
        ),
    ];
    if with_bad_pages {
        records.push(html_response(
            "binary",
            "http://coast.example/x",
            b"\x00\x01\x02garbage",
        ));
        records.push(html_response(
            "nobody",
            "http://coast.example/y",
            b"<html><head><title>t</title></head></html>",
        ));
    }
    let data: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let path = dir.join("crawl.warc.gz");
    fs::write(&path, data).unwrap();
    path
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn extract_writes_documents_and_a_summary() {
    let dir = TempDir::new().unwrap();
    let warc = crawl(dir.path(), true);
    let out = dir.path().join("pages.jsonl");
    let run = reprint(&[
        "extract",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    let docs = lines(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["urn:uuid:a", "urn:uuid:b", "urn:uuid:c"]);
    assert_eq!(docs[0]["url"], "http://coast.example/a");
    assert_eq!(docs[0]["title"], "Lighthouse to be restored");
    assert_eq!(docs[0]["site"], "Coast News");
    let text = docs[0]["text"].as_str().unwrap();
    assert!(text.starts_with("The harbour authority said"), "{text}");
    assert!(!text.contains("Home") && !text.contains("PREV"), "{text}");

    assert!(
        err.contains("read 5 pages: 3 extracted, 0 empty, 2 skipped (no_body: 1, not_html: 1)"),
        "{err}"
    );
    assert!(
        err.contains("archive records that are not pages: 3 (request: 1, response:image/png: 1, warcinfo: 1)"),
        "{err}"
    );
    // Each bad page is named by file and record.
    assert!(
        err.contains("crawl.warc.gz: record <urn:uuid:binary> at offset"),
        "{err}"
    );
    assert!(err.contains("not HTML"), "{err}");
}

#[test]
fn extract_strict_stops_at_the_first_bad_page() {
    let dir = TempDir::new().unwrap();
    let warc = crawl(dir.path(), true);
    let out = dir.path().join("pages.jsonl");
    let run = reprint(&[
        "extract",
        "--strict",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("record <urn:uuid:binary>"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn extract_html_files_to_stdout() {
    let dir = TempDir::new().unwrap();
    let html = dir.path().join("story.html");
    fs::write(&html, page("Lighthouse", STORY)).unwrap();
    let run = reprint(&["--quiet", "extract", html.to_str().unwrap(), "--out", "-"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(doc["id"], html.to_str().unwrap());
    assert_eq!(doc["url"], serde_json::Value::Null);
    assert!(stderr(&run).is_empty() || !stderr(&run).contains("read "));
}

#[test]
fn scan_reads_a_warc_directly() {
    let dir = TempDir::new().unwrap();
    let warc = crawl(dir.path(), false);
    let out = dir.path().join("scan");
    let run = reprint(&[
        "scan",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    let docs = lines(&out.join("documents.jsonl"));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["urn:uuid:a", "urn:uuid:b", "urn:uuid:c"]);
    // The two copies of the story are one cluster; the fields came along.
    assert_eq!(docs[0]["cluster"], docs[1]["cluster"]);
    assert_ne!(docs[0]["cluster"], docs[2]["cluster"]);
    assert_eq!(docs[1]["url"], "http://mirror.example/b");
    assert!(
        err.contains("web pages: 3 read, 3 extracted, 0 with no main text"),
        "{err}"
    );
    assert!(
        err.contains("archive records that are not pages: 3"),
        "{err}"
    );

    // With bad pages in the archive, scan stops unless told to skip them.
    let bad = TempDir::new().unwrap();
    let warc = crawl(bad.path(), true);
    let run = reprint(&[
        "scan",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("record <urn:uuid:binary>"),
        "{}",
        stderr(&run)
    );
    let run = reprint(&[
        "scan",
        "--skip-invalid",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("no_body: 1") && err.contains("not_html: 1"),
        "{err}"
    );
}

#[test]
fn dedup_keeps_one_copy_with_its_metadata() {
    let dir = TempDir::new().unwrap();
    let warc = crawl(dir.path(), false);
    let out = dir.path().join("kept.jsonl");
    let run = reprint(&[
        "dedup",
        warc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let kept = lines(&out);
    let ids: Vec<&str> = kept.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["urn:uuid:a", "urn:uuid:c"]);
    assert_eq!(kept[0]["url"], "http://coast.example/a");
    assert!(kept[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("The harbour authority"));
}
