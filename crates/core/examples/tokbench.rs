//! Throughput of the per-document hot path, single-threaded.
//!
//! ```text
//! cargo run --release -p reprint-core --example tokbench -- corpus.jsonl [min_seconds]
//! ```
//!
//! Reads every line's `text` field into memory first (so that reading and JSON parsing
//! are not measured), then times, over the whole corpus, repeated until at least
//! `min_seconds` (default 2) have passed:
//! - `tokenize` alone;
//! - `tokenize` + `shingles(5)` + a 128-value MinHash signature: what fingerprinting a
//!   document costs, minus the exact hash.
//!
//! MB/s counts bytes of UTF-8 text. Lines without a string `text` field are skipped and
//! counted.

use std::error::Error;
use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use reprint_core::minhash::MinHasher;
use reprint_core::shingle::shingles;
use reprint_core::text::{tokenize, TextOptions};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: tokbench CORPUS.jsonl [MIN_SECONDS] [--fold-accents]")?;
    let mut min_seconds = 2.0;
    let mut opts = TextOptions::default();
    for arg in args {
        if arg == "--fold-accents" {
            opts.fold_accents = true;
        } else {
            min_seconds = arg.parse()?;
        }
    }
    // The first call builds the tokeniser's character table: report that one-off cost.
    let started = Instant::now();
    tokenize("warm-up", &opts, &mut Vec::new());
    println!(
        "first tokenize call (builds the character table): {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let (texts, skipped) = read_texts(&path)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let non_ascii = texts
        .iter()
        .flat_map(|t| t.bytes())
        .filter(|b| !b.is_ascii())
        .count();
    println!(
        "{} documents ({} skipped), {:.1} MB, {:.1}% non-ASCII bytes, fold_accents={}",
        texts.len(),
        skipped,
        bytes as f64 / 1e6,
        100.0 * non_ascii as f64 / bytes.max(1) as f64,
        opts.fold_accents
    );
    let min_time = Duration::from_secs_f64(min_seconds);

    let mut tokens = Vec::new();
    let mut token_count = 0usize;
    let tokenize_only = repeat(min_time, || {
        for text in &texts {
            tokenize(text, &opts, &mut tokens);
            token_count += tokens.len();
            black_box(&tokens);
        }
    });
    report("tokenize", bytes, tokenize_only);
    println!(
        "  {:.1} M tokens/s",
        token_count as f64 / tokenize_only.1.as_secs_f64() / 1e6
    );

    let hasher = MinHasher::new(128);
    let mut shingle_buf = Vec::new();
    let full = repeat(min_time, || {
        for text in &texts {
            tokenize(text, &opts, &mut tokens);
            shingles(&tokens, 5, &mut shingle_buf);
            black_box(hasher.signature(&shingle_buf));
        }
    });
    report("tokenize+shingles(5)+signature(128)", bytes, full);
    Ok(())
}

/// The non-empty `text` fields of a JSONL file, and the number of lines without one.
fn read_texts(path: &str) -> Result<(Vec<String>, usize), Box<dyn Error>> {
    let reader = BufReader::new(File::open(path)?);
    let mut texts = Vec::new();
    let mut skipped = 0;
    for (number, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", number + 1))?;
        match value.get("text").and_then(|t| t.as_str()) {
            Some(text) => texts.push(text.to_owned()),
            None => skipped += 1,
        }
    }
    Ok((texts, skipped))
}

/// Runs `pass` until `min_time` has passed: (passes, total time).
fn repeat(min_time: Duration, mut pass: impl FnMut()) -> (u32, Duration) {
    // One untimed pass warms caches and the allocator.
    pass();
    let start = Instant::now();
    let mut passes = 0;
    while passes == 0 || start.elapsed() < min_time {
        pass();
        passes += 1;
    }
    (passes, start.elapsed())
}

fn report(what: &str, bytes: usize, (passes, elapsed): (u32, Duration)) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "{what}: {:.1} MB/s ({passes} passes in {seconds:.2} s)",
        bytes as f64 * f64::from(passes) / seconds / 1e6
    );
}
