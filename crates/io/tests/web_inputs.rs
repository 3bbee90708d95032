//! Web inputs through `open_inputs`: HTML files and folders, WARC archives written by
//! these tests (sound and damaged), and, when the article-extraction benchmark is next
//! to the repository, its 181 pages read both as files and as a WARC.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use reprint_io::{open_inputs, InputError, ReadOptions, Record};
use tempfile::TempDir;

type Item = Result<Record, InputError>;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A tiny WARC writer: one record.
fn warc_record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         WARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_response(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn response(id: &str, uri: &str, http: Vec<u8>) -> Vec<u8> {
    warc_record(
        "response",
        id,
        uri,
        "application/http; msgtype=response",
        &http,
    )
}

fn article(title: &str, sentence: &str) -> String {
    let p = format!("<p>{}</p>", sentence.repeat(3));
    format!(
        "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:site_name\" content=\"Example News\">\
         <meta property=\"article:published_time\" content=\"2024-03-04\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article>{p}{p}</article><footer>Copyright Example News</footer></body></html>"
    )
}

fn read_all(paths: &[PathBuf], opts: &ReadOptions) -> (Vec<Item>, reprint_io::WebStats) {
    let mut reader = open_inputs(paths, opts).expect("inputs open");
    let items: Vec<Item> = reader.by_ref().collect();
    let stats = reader.web_stats();
    (items, stats)
}

fn field(record: &Record, name: &str) -> Option<String> {
    record
        .fields
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| serde_json::from_str::<Option<String>>(v.get()).ok())
        .flatten()
}

const SENTENCE_A: &str = "The city council approved the new budget on Tuesday after a long debate about school funding and road repairs. ";
const SENTENCE_B: &str = "Scientists reported that the glacier retreated faster this year than in any year since measurements began. ";

#[test]
fn html_files_and_a_mixed_folder() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("a.html"), article("Budget approved", SENTENCE_A)).unwrap();
    fs::write(
        root.join("sub/b.htm.gz"),
        gzip(article("Glacier", SENTENCE_B).as_bytes()),
    )
    .unwrap();
    fs::write(root.join("notes.txt"), "A plain text note kept as it is.").unwrap();
    fs::write(root.join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();

    let (items, stats) = read_all(std::slice::from_ref(&root), &ReadOptions::default());
    let records: Vec<&Record> = items.iter().map(|i| i.as_ref().unwrap()).collect();
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a.html", "notes.txt", "sub/b.htm.gz"]);
    let a = records[0];
    assert!(
        a.text.starts_with("The city council approved"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("Home") && !a.text.contains("Copyright"));
    assert_eq!(field(a, "title").as_deref(), Some("Budget approved"));
    assert_eq!(field(a, "site").as_deref(), Some("Example News"));
    assert_eq!(field(a, "date").as_deref(), Some("2024-03-04"));
    assert_eq!(field(a, "lang").as_deref(), Some("en"));
    assert_eq!(field(a, "url"), None);
    let raw: serde_json::Value = serde_json::from_str(&a.raw).unwrap();
    let order: Vec<usize> = ["id", "url", "title", "date", "site", "lang", "text"]
        .iter()
        .map(|k| a.raw.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", a.raw);
    assert_eq!(raw["text"], a.text.as_str());
    assert_eq!(records[1].text, "A plain text note kept as it is.");
    assert!(records[2].text.starts_with("Scientists reported"));
    assert_eq!((stats.pages, stats.extracted, stats.empty), (2, 2, 0));

    // A file given directly is named as given.
    let file = root.join("a.html");
    let (items, _) = read_all(std::slice::from_ref(&file), &ReadOptions::default());
    assert_eq!(items[0].as_ref().unwrap().id, file.to_string_lossy());
}

#[test]
fn windows_1251_page() {
    let dir = TempDir::new().unwrap();
    let text = "Вчера вечером в центре города прошёл концерт симфонического оркестра. \
        Музыканты исполнили произведения Чайковского и Рахманинова. ";
    let html = format!(
        "<html><head><meta charset=\"windows-1251\"><title>Концерт</title></head>\
         <body><article><p>{}</p><p>{}</p></article></body></html>",
        text.repeat(2),
        text.repeat(2)
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    let path = dir.path().join("ru.html");
    fs::write(&path, &bytes).unwrap();
    let (items, _) = read_all(&[path], &ReadOptions::default());
    let record = items[0].as_ref().unwrap();
    assert!(
        record.text.starts_with("Вчера вечером в центре города"),
        "{}",
        record.text
    );
    assert_eq!(field(record, "title").as_deref(), Some("Концерт"));
}

/// An archive with every kind of record a crawl has, and the bad cases.
fn crawl(dir: &Path) -> (PathBuf, Vec<u64>) {
    let page_a = article("Budget approved", SENTENCE_A);
    let page_b = article("Glacier", SENTENCE_B);
    // Page B is served chunked and gzip-compressed, as on the wire.
    let gz = gzip(page_b.as_bytes());
    let mut chunked = Vec::new();
    for chunk in gz.chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let records = vec![
        warc_record("warcinfo", "info", "", "application/warc-fields", b"software: test\r\n"),
        warc_record("request", "req-a", "http://news.example.com/a", "application/http; msgtype=request", b"GET /a HTTP/1.1\r\nHost: news.example.com\r\n\r\n"),
        response("a", "http://news.example.com/a", http_response("200 OK", "Content-Type: text/html; charset=utf-8\r\n", page_a.as_bytes())),
        warc_record("metadata", "meta-a", "http://news.example.com/a", "application/warc-fields", b"fetchTimeMs: 12\r\n"),
        response("b", "http://news.example.com/b", http_response("200 OK", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", &chunked)),
        response("img", "http://news.example.com/logo.png", http_response("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n")),
        response("moved", "http://news.example.com/old", http_response("301 Moved Permanently", "Location: /a\r\nContent-Type: text/html\r\n", b"<html>moved</html>")),
        // A binary payload labelled as HTML.
        response("binary", "http://news.example.com/c", http_response("200 OK", "Content-Type: text/html\r\n", b"\x00\x01\x02\x03\x04garbage\x00\x00")),
        // An HTML page with no body.
        response("nobody", "http://news.example.com/d", http_response("200 OK", "Content-Type: text/html\r\n", b"<html><head><title>Nothing</title></head></html>")),
        // A page with no main text.
        response("empty", "http://news.example.com/e", http_response("200 OK", "Content-Type: text/html\r\n", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")),
        warc_record("resource", "res", "file:///saved/page.html", "text/html", article("Saved page", SENTENCE_A).replace("city council", "town board").as_bytes()),
    ];
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for record in &records {
        offsets.push(data.len() as u64);
        data.extend(gzip(record));
    }
    let path = dir.join("crawl.warc.gz");
    fs::write(&path, data).unwrap();
    (path, offsets)
}

#[test]
fn warc_pages_skips_and_errors() {
    let dir = TempDir::new().unwrap();
    let (path, offsets) = crawl(dir.path());
    let (items, stats) = read_all(std::slice::from_ref(&path), &ReadOptions::default());
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for item in &items {
        match item {
            Ok(r) => ok.push(r),
            Err(e) => errors.push(e),
        }
    }
    let ids: Vec<&str> = ok.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["urn:uuid:a", "urn:uuid:b", "urn:uuid:res"]);
    assert!(ok[0].text.starts_with("The city council approved"));
    assert!(
        ok[1].text.starts_with("Scientists reported"),
        "{}",
        ok[1].text
    );
    assert_eq!(
        field(ok[0], "url").as_deref(),
        Some("http://news.example.com/a")
    );
    assert_eq!(field(ok[0], "site").as_deref(), Some("Example News"));
    assert_eq!(ok[0].origin.file.as_ref(), path.to_string_lossy());

    let reasons: Vec<&str> = errors.iter().map(|e| e.kind.reason()).collect();
    assert_eq!(reasons, ["not_html", "no_body"]);
    let message = errors[0].to_string();
    assert!(
        message.contains("crawl.warc.gz")
            && message.contains("record <urn:uuid:binary>")
            && message.contains(&format!("offset {}", offsets[7])),
        "{message}"
    );

    assert_eq!((stats.pages, stats.extracted, stats.empty), (6, 3, 1));
    let skipped: BTreeMap<&str, u64> = stats
        .skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        skipped,
        BTreeMap::from([
            ("metadata", 1),
            ("request", 1),
            ("response:image/png", 1),
            ("response:status-3xx", 1),
            ("warcinfo", 1),
        ])
    );
}

#[test]
fn damaged_archive_is_read_past_the_damage() {
    let dir = TempDir::new().unwrap();
    let page = |id: &str, sentence: &str| {
        gzip(&response(
            id,
            &format!("http://x.example/{id}"),
            http_response(
                "200 OK",
                "Content-Type: text/html\r\n",
                article(id, sentence).as_bytes(),
            ),
        ))
    };
    let first = page("first", SENTENCE_A);
    let truncated = page("truncated", SENTENCE_B);
    // A record whose Content-Length lies (40 bytes too many).
    let mut lying = response(
        "lying",
        "http://x.example/lying",
        http_response(
            "200 OK",
            "Content-Type: text/html\r\n",
            article("lying", SENTENCE_B).as_bytes(),
        ),
    );
    let text = String::from_utf8(lying.clone()).unwrap();
    let declared: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    lying = text
        .replacen(
            &format!("Content-Length: {declared}"),
            &format!("Content-Length: {}", declared + 40),
            1,
        )
        .into_bytes();
    let lying = gzip(&lying);
    let last = page("last", SENTENCE_B);
    let data = [
        first.clone(),
        truncated[..truncated.len() / 2].to_vec(),
        lying.clone(),
        last,
    ]
    .concat();
    let path = dir.path().join("damaged.warc.gz");
    fs::write(&path, data).unwrap();

    let (items, _) = read_all(&[path], &ReadOptions::default());
    let summary: Vec<String> = items
        .iter()
        .map(|i| match i {
            Ok(r) => r.id.clone(),
            Err(e) => format!("{}: {e}", e.kind.reason()),
        })
        .collect();
    assert_eq!(summary.len(), 4, "{summary:?}");
    assert_eq!(summary[0], "urn:uuid:first");
    assert!(summary[1].starts_with("warc_truncated"), "{summary:?}");
    assert!(
        summary[1].contains(&format!("offset {}", first.len())),
        "{summary:?}"
    );
    assert!(summary[2].starts_with("warc_bad_length"), "{summary:?}");
    assert!(
        summary[2].contains("record <urn:uuid:lying>"),
        "{summary:?}"
    );
    assert_eq!(summary[3], "urn:uuid:last");
}

#[test]
fn many_html_files_with_a_damaged_one_keep_their_order_on_any_thread_count() {
    // More files than one batch, read and extracted on the pool (largest first): every
    // record comes back in path order, the damaged file as an error in its place,
    // whatever the number of threads. Sizes vary, so the order of work is not the
    // order of the files.
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("pages");
    fs::create_dir_all(&root).unwrap();
    for i in 0..300 {
        let body = format!(
            "{SENTENCE_A} {}",
            "More words for a longer page. ".repeat(i * 7 % 13)
        );
        let html = article(&format!("Page {i}"), &body);
        let name = format!("p{i:03}.html.gz");
        let mut bytes = gzip(html.as_bytes());
        if i == 137 {
            bytes.truncate(bytes.len() / 2);
        }
        fs::write(root.join(name), bytes).unwrap();
    }
    let read = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| read_all(std::slice::from_ref(&root), &ReadOptions::default()))
    };
    for threads in [1, 3] {
        let (items, stats) = read(threads);
        assert_eq!(items.len(), 300);
        for (i, item) in items.iter().enumerate() {
            let name = format!("p{i:03}.html.gz");
            match item {
                Ok(record) => {
                    assert_ne!(i, 137);
                    assert_eq!(record.id, name);
                    assert_eq!(
                        field(record, "title").as_deref(),
                        Some(&*format!("Page {i}"))
                    );
                }
                Err(e) => {
                    assert_eq!(i, 137, "{e}");
                    assert!(e.to_string().contains(&name), "{e}");
                }
            }
        }
        assert_eq!(
            (stats.pages, stats.extracted),
            (300, 299),
            "{threads} threads"
        );
    }
}

#[test]
fn a_100_mb_page_is_refused_without_stopping() {
    let dir = TempDir::new().unwrap();
    // 100 MB of HTML, gzip-compressed in the archive (about 100 KB on disk).
    let mut body = b"<html><body><p>".to_vec();
    body.resize(100 << 20, b'a');
    let big = gzip(&response(
        "big",
        "http://x.example/big",
        http_response("200 OK", "Content-Type: text/html\r\n", &body),
    ));
    drop(body);
    let small = gzip(&response(
        "small",
        "http://x.example/small",
        http_response(
            "200 OK",
            "Content-Type: text/html\r\n",
            article("small", SENTENCE_A).as_bytes(),
        ),
    ));
    let path = dir.path().join("big.warc.gz");
    fs::write(&path, [big, small].concat()).unwrap();
    let (items, _) = read_all(std::slice::from_ref(&path), &ReadOptions::default());
    assert_eq!(items.len(), 2);
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.kind.reason(), "page_too_large");
    assert!(
        err.to_string()
            .contains("record <urn:uuid:big> at offset 0"),
        "{err}"
    );
    assert_eq!(items[1].as_ref().unwrap().id, "urn:uuid:small");

    // The same for an HTML file.
    let file = dir.path().join("huge.html");
    let mut f = fs::File::create(&file).unwrap();
    f.write_all(b"<html><body><p>").unwrap();
    f.set_len(100 << 20).unwrap();
    let (items, _) = read_all(&[file], &ReadOptions::default());
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.kind.reason(), "page_too_large");
    assert!(err.to_string().contains("huge.html"), "{err}");
}

#[test]
fn gzipped_html_files_are_read_whole_and_held_to_the_page_limit() {
    let dir = TempDir::new().unwrap();
    let page = article("gz", &SENTENCE_A.repeat(20));
    // Two gzip members: the trailer gives only the last one's size, the text is whole.
    let (head, tail) = page.split_at(page.len() / 2);
    fs::write(
        dir.path().join("two-members.html.gz"),
        [gzip(head.as_bytes()), gzip(tail.as_bytes())].concat(),
    )
    .unwrap();
    fs::write(dir.path().join("one-member.html.gz"), gzip(page.as_bytes())).unwrap();
    let opts = ReadOptions {
        max_record_bytes: page.len() + 10,
        ..ReadOptions::default()
    };
    let (items, _) = read_all(&[dir.path().to_path_buf()], &opts);
    assert_eq!(items.len(), 2);
    let texts: Vec<String> = items
        .iter()
        .map(|i| i.as_ref().unwrap().text.clone())
        .collect();
    assert_eq!(texts[0], texts[1]);
    assert!(texts[0].contains("school funding"), "{}", texts[0]);

    // Under a limit smaller than the page: refused by its size, whether the file itself
    // is under the limit (read whole, inflated up to the limit) or over it (streamed).
    for limit in [page.len() / 2, 40] {
        let opts = ReadOptions {
            max_record_bytes: limit,
            ..ReadOptions::default()
        };
        let (items, _) = read_all(&[dir.path().join("one-member.html.gz")], &opts);
        let err = items[0].as_ref().unwrap_err();
        assert_eq!(err.kind.reason(), "page_too_large", "limit {limit}: {err}");
    }
}

#[test]
fn warc_without_extension_is_detected_by_content() {
    let dir = TempDir::new().unwrap();
    let data = gzip(&response(
        "a",
        "http://x.example/a",
        http_response(
            "200 OK",
            "Content-Type: text/html\r\n",
            article("a", SENTENCE_A).as_bytes(),
        ),
    ));
    let path = dir.path().join("segment-00001");
    fs::write(&path, data).unwrap();
    let (items, _) = read_all(&[path], &ReadOptions::default());
    assert_eq!(items[0].as_ref().unwrap().id, "urn:uuid:a");
}

#[test]
fn wet_conversion_records_are_text_documents() {
    let dir = TempDir::new().unwrap();
    let mut data = warc_record(
        "warcinfo",
        "info",
        "",
        "application/warc-fields",
        b"x: y\r\n",
    );
    let mut conversion = warc_record(
        "conversion",
        "wet-1",
        "http://x.example/a",
        "text/plain",
        "Plain   text of a page.\nSecond line.".as_bytes(),
    );
    let header_end = b"Content-Type: text/plain\r\n";
    let at = conversion
        .windows(header_end.len())
        .position(|w| w == header_end)
        .unwrap();
    conversion.splice(
        at..at,
        b"WARC-Identified-Content-Language: eng\r\n".iter().copied(),
    );
    data.extend(conversion);
    let path = dir.path().join("segment.warc.wet");
    fs::write(&path, data).unwrap();
    let (items, stats) = read_all(&[path], &ReadOptions::default());
    let record = items[0].as_ref().unwrap();
    assert_eq!(record.id, "urn:uuid:wet-1");
    assert_eq!(record.text, "Plain text of a page.\nSecond line.");
    assert_eq!(field(record, "lang").as_deref(), Some("eng"));
    assert_eq!(field(record, "url").as_deref(), Some("http://x.example/a"));
    assert_eq!(stats.skipped.get("warcinfo"), Some(&1));
}

#[test]
fn duplicate_record_ids_across_archives() {
    let dir = TempDir::new().unwrap();
    let data = gzip(&response(
        "same",
        "http://x.example/a",
        http_response(
            "200 OK",
            "Content-Type: text/html\r\n",
            article("a", SENTENCE_A).as_bytes(),
        ),
    ));
    let a = dir.path().join("a.warc.gz");
    let b = dir.path().join("b.warc.gz");
    fs::write(&a, &data).unwrap();
    fs::write(&b, &data).unwrap();
    let (items, _) = read_all(&[a, b], &ReadOptions::default());
    assert!(items[0].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().kind.reason(), "duplicate_id");
}

/// The 181 benchmark pages, read as HTML files and as a WARC built from them (with
/// their URLs, one gzip member per record), give the same texts.
#[test]
fn benchmark_pages_as_files_and_as_warc_give_the_same_texts() {
    let data = std::env::var_os("REPRINT_ARTICLE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/article-extraction")
        });
    let Ok(truth) = fs::read_to_string(data.join("ground-truth.json")) else {
        eprintln!(
            "NOTICE: {} not found; skipping the WARC-versus-files test on the benchmark pages",
            data.display()
        );
        return;
    };
    let truth: serde_json::Value = serde_json::from_str(&truth).unwrap();
    let dir = TempDir::new().unwrap();
    let mut warc = Vec::new();
    for (key, page) in truth.as_object().unwrap() {
        let mut html = Vec::new();
        flate2::read::GzDecoder::new(
            fs::File::open(data.join("html").join(format!("{key}.html.gz"))).unwrap(),
        )
        .read_to_end(&mut html)
        .unwrap();
        let url = page["url"].as_str().unwrap();
        let http = http_response("200 OK", "Content-Type: text/html\r\n", &html);
        warc.extend(gzip(&response(key, url, http)));
    }
    let warc_path = dir.path().join("benchmark.warc.gz");
    fs::write(&warc_path, warc).unwrap();

    let opts = ReadOptions::default();
    let (from_files, file_stats) = read_all(&[data.join("html")], &opts);
    let (from_warc, warc_stats) = read_all(&[warc_path], &opts);
    assert_eq!(file_stats.pages, 181);
    assert_eq!(warc_stats.pages, 181);
    let by_key = |items: &[Item], strip: &str| -> BTreeMap<String, String> {
        items
            .iter()
            .map(|i| {
                let r = i.as_ref().expect("no errors on the benchmark pages");
                let key =
                    r.id.trim_start_matches(strip)
                        .trim_end_matches(".html.gz")
                        .to_owned();
                (key, r.text.clone())
            })
            .collect()
    };
    let files = by_key(&from_files, "");
    let archive = by_key(&from_warc, "urn:uuid:");
    assert_eq!(files.len(), archive.len());
    for (key, text) in &files {
        assert_eq!(Some(text), archive.get(key), "page {key}");
    }
}
