//! A mutation fuzzer for reprint's readers and parsers, on stable Rust.
//!
//! # Design
//!
//! cargo-fuzz needs a nightly compiler and AFL a separate toolchain; reprint builds on
//! stable, and its hostile inputs are structured (archives, compressed streams, HTML),
//! so a small havoc-style mutator over good seeds finds what random bytes never reach.
//!
//! - **Targets** ([`Target`]) are the entry points that untrusted bytes reach, each
//!   driven the way the pipeline drives it: JSONL records (plain, and gzip/zstd with
//!   their checksum pass), `.txt` decoding and text analysis (tokenising, fingerprint,
//!   passage keys), WARC/WET records with their HTTP payloads and page extraction, HTTP
//!   responses, HTML extraction, `--pairs` lines.
//! - **Seeds** ([`seeds`]) are small inputs written here for each target, plus, when
//!   `../shared/data/hostile-inputs/` is present, its damaged archives and nested pages.
//! - **Inputs are numbered.** Input `i` of a target is the seed and the mutations drawn
//!   from a ChaCha generator seeded with `(run seed, target, i)` alone, so any input can
//!   be rebuilt from its number ([`input`]), whatever the threads or the order they ran
//!   in: a failure is reported as `target#i` and replayed with `--replay target#i`.
//! - **Failures** are panics (caught per input), hangs (an input running past the time
//!   limit) and memory blow-ups (the process's resident memory past a limit), watched by
//!   the runner (`src/main.rs`); an abort (a stack overflow) ends the process, whose last
//!   checkpoint lines name the inputs each worker was at.
//!
//! `cargo test -p reprint-fuzz` runs every seed and a fixed number of mutations of each
//! target (the CI run); `cargo run --release -p reprint-fuzz -- --inputs 10000000` is the
//! long run (see `BENCHMARKS.md` for the figures of the last one).

use std::io::Cursor;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest input produced: big enough for nesting and repetition to matter, small
/// enough for millions of runs.
pub const MAX_INPUT: usize = 1 << 20;

/// An entry point fed with untrusted bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// JSONL through the reader (`Reader::from_stream`): lines, ids, fields, escapes.
    Jsonl,
    /// gzip and zstd JSONL through the reader: the checksum pass, then the records.
    Compressed,
    /// `.txt` bytes: encoding detection and decoding, then pass-1 analysis of the text.
    Txt,
    /// WARC/WET archives: records, their classification, HTTP payloads, extraction.
    Warc,
    /// HTTP responses as stored in WARC: head, chunked bodies, content encodings.
    Http,
    /// HTML pages: the pre-pass, the nesting guard and main-text extraction.
    Html,
    /// `compare --pairs` files.
    Pairs,
}

impl Target {
    pub const ALL: [Target; 7] = [
        Target::Jsonl,
        Target::Compressed,
        Target::Txt,
        Target::Warc,
        Target::Http,
        Target::Html,
        Target::Pairs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Jsonl => "jsonl",
            Target::Compressed => "compressed",
            Target::Txt => "txt",
            Target::Warc => "warc",
            Target::Http => "http",
            Target::Html => "html",
            Target::Pairs => "pairs",
        }
    }

    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Runs one input. Returns a count of what came out (records, pages, lines), which
    /// the caller ignores except to keep the work from being optimised away; a broken
    /// invariant panics.
    pub fn run(self, data: &[u8]) -> usize {
        match self {
            Target::Jsonl | Target::Compressed => run_jsonl(data),
            Target::Txt => run_txt(data),
            Target::Warc => run_warc(data),
            Target::Http => usize::from(reprint_web::http::parse_response(data, MAX_INPUT).is_ok()),
            Target::Html => run_html(data, None, None),
            Target::Pairs => run_pairs(data),
        }
    }
}

fn run_jsonl(data: &[u8]) -> usize {
    let opts = reprint_io::ReadOptions {
        max_record_bytes: 64 << 10,
        ..reprint_io::ReadOptions::default()
    };
    let reader =
        reprint_io::Reader::from_stream("fuzz", Box::new(Cursor::new(data.to_vec())), &opts);
    let mut items = 0usize;
    for item in reader {
        items += 1;
        if let Ok(record) = item {
            assert!(record.origin.line >= 1);
        }
    }
    items
}

thread_local! {
    static ANALYZER: reprint_core::fingerprint::analysis::Analyzer =
        reprint_core::fingerprint::analysis::Analyzer::new(Default::default());
}

fn run_txt(data: &[u8]) -> usize {
    let decoded = reprint_io::decode_bytes(data.to_vec(), reprint_io::TextEncoding::Auto);
    let Ok(text) = String::from_utf8(decoded) else {
        panic!("decode_bytes under Auto gave invalid UTF-8");
    };
    ANALYZER.with(|analyzer| {
        let analysis = analyzer.analyze(&text);
        let chars = text.chars().count() as u32;
        for b in &analysis.boilerplate {
            assert!(
                b.span.start <= b.span.end && b.span.end <= chars,
                "span past the text"
            );
        }
        analysis.fingerprint.tokens as usize
    })
}

fn run_html(data: &[u8], url: Option<&str>, content_type: Option<&str>) -> usize {
    match reprint_web::extract_page(data, url, content_type) {
        Ok(page) => page.text.len(),
        Err(_) => 0,
    }
}

fn run_warc(data: &[u8]) -> usize {
    let Ok(reader) = reprint_web::WarcReader::new(Box::new(Cursor::new(data.to_vec())), 1 << 20)
    else {
        return 0;
    };
    let mut out = 0;
    for item in reader.take(10_000) {
        let Ok(record) = item else { continue };
        if let reprint_web::archive::Entry::Html(page) =
            reprint_web::archive::classify(record, 1 << 20)
        {
            out += run_html(
                &page.body,
                page.url.as_deref(),
                page.content_type.as_deref(),
            );
        }
    }
    out
}

fn run_pairs(data: &[u8]) -> usize {
    let lines = reprint_io::pairs::read_lines(&mut Cursor::new(data), "fuzz")
        .expect("reading from memory cannot fail");
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    assert!(
        lines.len() <= newlines + 1,
        "more lines than the input holds"
    );
    for (_, line) in &lines {
        if let Ok((_, _, fields)) = line {
            let carried = reprint_io::pairs::carried(fields);
            assert!(carried
                .iter()
                .all(|(k, _)| !reprint_io::pairs::OUTPUT_KEYS.contains(&k.as_str())));
        }
    }
    lines.len()
}

/// The seeds of a target: the built-in ones, then (when `hostile` is a folder) the
/// hostile inputs that fit the target.
pub fn seeds(target: Target, hostile: Option<&Path>) -> Vec<Vec<u8>> {
    let mut seeds = builtin_seeds(target);
    if let Some(dir) = hostile {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let fits = match target {
                Target::Warc => name.contains(".warc"),
                Target::Html => name.ends_with(".html"),
                _ => false,
            };
            if fits {
                if let Ok(bytes) = std::fs::read(&path) {
                    if bytes.len() <= MAX_INPUT {
                        seeds.push(bytes);
                    }
                }
            }
        }
    }
    seeds
}

const JSONL: &str = concat!(
    "{\"id\":\"a1\",\"text\":\"The harbour wall gave way on Tuesday night, the mayor said.\",\"date\":\"2024-03-05\",\"site\":\"example.org\"}\n",
    "{\"id\":2,\"text\":\"Le pont de la rivière sera fermé jusqu’à lundi, annonce la préfecture. \\\"C’est une décision de prudence\\\", a-t-elle déclaré.\"}\n",
    "\n",
    "{\"text\":\"Ein Text ohne Kennung, mit Umlauten: Straße, Brücke, Übergang.\\nZweite Zeile.\",\"tags\":[\"x\",{\"k\":1.50}]}\r\n",
    "{\"id\":\"cjk\",\"text\":\"東京都は月曜日に新しい計画を発表した。\\u3000二行目。\",\"n\":null}\n",
    "{\"id\":\"emoji\",\"text\":\"🎉🎉 \\ud83d\\ude00 \\u00e9t\\u00e9\"}\n",
);

fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(data).expect("in memory");
    enc.finish().expect("in memory")
}

fn zstd_frame(data: &[u8], checksum: bool) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    let mut enc = zstd::stream::write::Encoder::new(&mut out, 3).expect("in memory");
    enc.include_checksum(checksum).expect("in memory");
    enc.write_all(data).expect("in memory");
    enc.finish().expect("in memory");
    out
}

const PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harbour wall gives way</title>\
<meta property=\"og:site_name\" content=\"Example Gazette\"><script>var x = '<p>not text</p>';</script><style>p{color:red}</style></head>\
<body><header><nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav></header><main><article><h1>Harbour wall gives way</h1>\
<p class=\"byline\">By A. Writer, 5 March 2024</p><p>The harbour wall gave way on Tuesday night, flooding the quay and three shops, the mayor said on Wednesday.</p>\
<p>&ldquo;We had warned about the cracks for years,&rdquo; said a fisherman &amp; council member. Repairs will cost four million euros.</p>\
<table><tr><td>Cost</td><td>4 M&euro;</td></tr></table><ul><li>Quay closed</li><li>Boats moved</li></ul>\
<p>Read also: <a href=\"/x\">Storm warnings</a></p></article></main><footer>&copy; 2024 Example Gazette</footer></body></html>";

fn warc_record(kind: &str, id: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n\
         WARC-Target-URI: http://example.org/{id}\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_response(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in body.chunks(97) {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn http_seeds() -> Vec<Vec<u8>> {
    let page = PAGE.as_bytes();
    vec![
        http_response("Content-Type: text/html; charset=utf-8\r\n", page),
        http_response(
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            &chunked(page),
        ),
        http_response(
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gzip(page, 6),
        ),
        http_response(
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked(&gzip(page, 6)),
        ),
        http_response(
            "Content-Type: text/html; charset=windows-1252\r\n",
            b"<p>caf\xe9 cr\xe8me, l\x92\xe9t\xe9</p>",
        ),
        http_response(
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        ),
    ]
}

fn builtin_seeds(target: Target) -> Vec<Vec<u8>> {
    match target {
        Target::Jsonl => vec![
            JSONL.as_bytes().to_vec(),
            format!("\u{feff}{}", JSONL.replace('\n', "\r\n")).into_bytes(),
            b"{\"id\":\"x\",\"text\":\"a\"}\n{\"id\":\"x\",\"text\":\"duplicate id\"}\n[1,2]\n\"str\"\n{\"text\":5}\n{\"id\":[],\"text\":\"t\"}\n".to_vec(),
        ],
        Target::Compressed => {
            let mut two = gzip(JSONL.as_bytes(), 6);
            two.extend(gzip(b"{\"id\":\"m2\",\"text\":\"second member\"}\n", 0));
            vec![
                gzip(JSONL.as_bytes(), 6),
                gzip(JSONL.as_bytes(), 0),
                two,
                zstd_frame(JSONL.as_bytes(), true),
                zstd_frame(JSONL.as_bytes(), false),
            ]
        }
        Target::Txt => vec![
            b"The harbour wall gave way on Tuesday night.\nThe mayor said repairs will cost 4 million euros.\n\nSubscribe to our newsletter\nSubscribe to our newsletter\n".to_vec(),
            "Le pont de la rivière sera fermé jusqu’à lundi. « C’est une décision de prudence », a déclaré la préfète.".as_bytes().to_vec(),
            b"Le caf\xe9 du march\xe9 rouvre l\x92\xe9t\xe9 prochain, annonce la mairie.".to_vec(),
            b"\xc2\xe5\xf0\xf5\xee\xe2\xed\xfb\xe9 \xf1\xf3\xe4 \xf0\xe0\xf1\xf1\xec\xee\xf2\xf0\xe8\xf2 \xe4\xe5\xeb\xee".to_vec(),
            b"\x93\x8c\x8b\x9e\x93s\x82\xcd\x8c\x8e\x97j\x93\xfa\x82\xc9\x90V\x82\xb5\x82\xa2\x8cv\x89\xe6\x82\xf0".to_vec(),
            "東京都は月曜日に新しい計画を発表した。กรุงเทพมหานคร ประกาศแผนใหม่ 🎉 ﬁne ＡＢＣ e\u{301}t\u{301}e\u{301}".as_bytes().to_vec(),
        ],
        Target::Warc => {
            let page = http_response("Content-Type: text/html; charset=utf-8\r\n", PAGE.as_bytes());
            let chunked_page = http_response(
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                &chunked(PAGE.as_bytes()),
            );
            let mut plain = warc_record("warcinfo", "info", b"software: reprint-fuzz\r\n");
            plain.extend(warc_record("response", "a", &page));
            plain.extend(warc_record("request", "r", b"GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n"));
            plain.extend(warc_record("response", "b", &chunked_page));
            let mut per_member = Vec::new();
            for record in [
                warc_record("response", "a", &page),
                warc_record("response", "b", &chunked_page),
                warc_record("conversion", "t", b"Plain text of a WET record.\nSecond line."),
            ] {
                per_member.extend(gzip(&record, 6));
            }
            vec![plain, per_member]
        }
        Target::Http => http_seeds(),
        Target::Html => vec![
            PAGE.as_bytes().to_vec(),
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body><div><p>caf\xe9</p><table><tr><td><table><tr><td><b><i>deep</b></i></td></tr></table></td></tr></table></div></body></html>".to_vec(),
            "<ul><li>one<li>two<ul><li>nested<li>list</ul></ul><p><a href=x>link <b>bold <p>para</a> tail<select><option>x<option>y</select><!-- comment --><![CDATA[x]]><math><mi>x</mi></math><svg><text>y</text></svg>".as_bytes().to_vec(),
        ],
        Target::Pairs => vec![
            b"{\"a\":\"The harbour wall gave way on Tuesday night.\",\"b\":\"On Tuesday night the harbour wall collapsed.\",\"label\":1}\n{\"a\":\"x\",\"b\":\"y\",\"line\":3,\"error\":\"e\",\"input_line\":1}\r\n\n   \n{\"a\":\"only a\"}\n".to_vec(),
            b"{\"a\":\"caf\xe9\",\"b\":\"x\"}\n{not json\n[1]\n".to_vec(),
        ],
    }
}

/// Tokens that matter to a target's parser, spliced in by the mutator.
fn dictionary(target: Target) -> &'static [&'static [u8]] {
    match target {
        Target::Jsonl | Target::Pairs => &[
            b"{",
            b"}",
            b"\"",
            b"\\",
            b"\\u",
            b"\\ud800",
            b"\\udc00",
            b"\\u0000",
            b"\n",
            b"\r\n",
            b"\"text\":",
            b"\"id\":",
            b"\"a\":",
            b"\"b\":",
            b"null",
            b"1e999",
            b"-0",
            b"[",
            b"]",
            b"\xef\xbb\xbf",
            b"\xff",
            b"\xc3",
        ],
        Target::Compressed => &[
            b"\x1f\x8b\x08\x00",
            b"\x28\xb5\x2f\xfd",
            b"\0\0\0\0",
            b"\xff\xff",
        ],
        Target::Txt => &[
            b"\n",
            b"\r\n",
            b"\xef\xbb\xbf",
            b"\xe2\x80\x99",
            b"\xcc\x81",
            b"\xef\xac\x81",
            b"\xf0\x9f\x8e\x89",
            b"\xe3\x80\x82",
            b"http://",
            b"www.",
            b"...",
            b"\xff\xfe",
            b"Subscribe to our newsletter\n",
        ],
        Target::Warc | Target::Http | Target::Html => &[
            b"WARC/1.0\r\n",
            b"Content-Length: ",
            b"\r\n\r\n",
            b"Transfer-Encoding: chunked\r\n",
            b"Content-Encoding: gzip\r\n",
            b"Content-Type: text/html\r\n",
            b"ffffffffffffffffffff\r\n",
            b"0\r\n\r\n",
            b"<div>",
            b"</div>",
            b"<table>",
            b"<tr><td>",
            b"<ul><li>",
            b"<b>",
            b"<i>",
            b"</b>",
            b"<p>",
            b"<!--",
            b"-->",
            b"<script>",
            b"</script>",
            b"<style>",
            b"<svg>",
            b"<math>",
            b"<select>",
            b"<option>",
            b"<template>",
            b"<frameset>",
            b"&amp;",
            b"&#x",
            b"&#",
            b"<meta charset=\"",
            b"shift_jis",
            b"utf-16",
            b"\x1f\x8b\x08\x00",
            b"\0",
        ],
    }
}

/// Input `index` of `target` in a run seeded with `seed`: a seed input with 1 to 8
/// mutations, drawn from a generator seeded by those three numbers alone.
pub fn input(target: Target, seeds: &[Vec<u8>], seed: u64, index: u64) -> Vec<u8> {
    let stream = seed
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(target as u64)
        .rotate_left(17);
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    rng.set_stream(index);
    let mut data = seeds[rng.gen_range(0..seeds.len())].clone();
    // The first inputs of every run are the seeds themselves, untouched.
    if index < seeds.len() as u64 {
        return seeds[index as usize].clone();
    }
    let rounds = rng.gen_range(1..=8);
    let dict = dictionary(target);
    for _ in 0..rounds {
        mutate(&mut data, seeds, dict, &mut rng);
    }
    data.truncate(MAX_INPUT);
    data
}

fn mutate(data: &mut Vec<u8>, seeds: &[Vec<u8>], dict: &[&[u8]], rng: &mut ChaCha8Rng) {
    let len = data.len();
    let at = |rng: &mut ChaCha8Rng| if len == 0 { 0 } else { rng.gen_range(0..=len) };
    match rng.gen_range(0..11) {
        0 if len > 0 => {
            let i = rng.gen_range(0..len);
            data[i] ^= 1 << rng.gen_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.gen_range(0..len);
            data[i] = rng.gen();
        }
        2 if len > 0 => {
            const INTERESTING: &[u8] = b"\0\xff\x7f\x80\n\r\"\\<>{}&;:/ \t0";
            let i = rng.gen_range(0..len);
            data[i] = INTERESTING[rng.gen_range(0..INTERESTING.len())];
        }
        3 => {
            let i = at(rng);
            let n = rng.gen_range(1..=16);
            let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
            data.splice(i..i, bytes);
        }
        4 if len > 0 => {
            let i = rng.gen_range(0..len);
            let n = rng.gen_range(1..=(len - i).min(256));
            data.drain(i..i + n);
        }
        5 if len > 0 => {
            // Repeat a piece: nesting, long lines, many records.
            let i = rng.gen_range(0..len);
            let n = rng.gen_range(1..=(len - i).min(64));
            let piece = data[i..i + n].to_vec();
            let times = if rng.gen_bool(0.1) {
                rng.gen_range(100..=(MAX_INPUT / n / 2).max(101))
            } else {
                rng.gen_range(1..=8)
            };
            let mut repeated = Vec::with_capacity(n * times);
            for _ in 0..times {
                repeated.extend_from_slice(&piece);
            }
            data.splice(i..i, repeated);
        }
        6 => {
            let token = dict[rng.gen_range(0..dict.len())];
            let i = at(rng);
            data.splice(i..i, token.iter().copied());
        }
        7 if len > 0 => {
            let token = dict[rng.gen_range(0..dict.len())];
            let most = if rng.gen_bool(0.2) { 20_000 } else { 50 };
            let times = rng.gen_range(1..=most);
            let i = at(rng);
            let mut repeated = Vec::with_capacity(token.len() * times);
            for _ in 0..times {
                repeated.extend_from_slice(token);
            }
            data.splice(i..i, repeated);
        }
        8 => {
            // Splice in a piece of another seed.
            let other = &seeds[rng.gen_range(0..seeds.len())];
            if !other.is_empty() {
                let i = rng.gen_range(0..other.len());
                let n = rng.gen_range(1..=(other.len() - i).min(4096));
                let at = at(rng);
                data.splice(at..at, other[i..i + n].iter().copied());
            }
        }
        9 if len > 0 => data.truncate(rng.gen_range(0..len)),
        _ if len > 1 => {
            // Overwrite a piece with another piece of the same input.
            let n = rng.gen_range(1..=len.min(32));
            let from = rng.gen_range(0..=len - n);
            let to = rng.gen_range(0..=len - n);
            let piece = data[from..from + n].to_vec();
            data[to..to + n].copy_from_slice(&piece);
        }
        _ => data.extend_from_slice(dict[rng.gen_range(0..dict.len())]),
    }
    if data.len() > MAX_INPUT {
        data.truncate(MAX_INPUT);
    }
}

/// The hostile-inputs folder of `../shared`, when present (relative to this crate).
pub fn hostile_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/hostile-inputs");
    dir.is_dir().then_some(dir)
}
