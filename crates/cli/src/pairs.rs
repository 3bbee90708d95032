//! `reprint compare --pairs FILE`: score many pairs of texts, one JSON line per pair.
//!
//! Input lines are JSON objects with string fields `a` and `b`; any other field (an
//! id, a gold label) is copied to the output line unchanged, so the output can be scored
//! against the labels directly. Word rarities come from a corpus named with `--corpus`
//! (pairs drawn from a collection are then scored as its scan scores them), or else from
//! all the texts of the file (a pair set is its own corpus), which is why the file is
//! read whole before scoring: pair sets are small next to a corpus (the file may hold
//! 2 GiB of lines, a line 40 MiB). Every input line gets an output line with its number:
//! one that cannot be used (blank, invalid UTF-8, too long, not JSON, no `a` or `b`) an
//! `error`, counted on stderr. An input field named like an output key (`line`,
//! `relation`, ...) is carried as `input_<name>`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use anyhow::{bail, Context};
use rayon::prelude::*;
use reprint_core::compare::{compare, CompareContext};
use reprint_core::fingerprint::analysis::Analyzer;
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_core::scan::MatchOptions;
use serde_json::{json, Map, Value};

use crate::compare::{story_json, Rarities};

/// Longest line read: two documents of the size `compare A B` accepts, and their JSON
/// escaping. A longer line gets an `error` line without being held whole.
const MAX_LINE_BYTES: usize = 40 << 20;

/// Most bytes of lines held at once: the file is read whole (its texts are its own word
/// rarities), so a file past this is refused before anything is written, with advice,
/// instead of exhausting memory.
const MAX_FILE_BYTES: u64 = 2 << 30;

/// Keys of every output line; an input field of the same name is carried as
/// `input_<name>` so that it can neither replace them nor be lost.
const OUTPUT_KEYS: [&str; 6] = ["line", "error", "relation", "score", "jaccard", "story"];

/// One input line: the two texts and the fields to copy through, or why it was refused.
type Line = Result<(String, String, Map<String, Value>), String>;

fn parse_line(line: &str) -> Line {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(mut fields) = value else {
        return Err("the line is not a JSON object".to_owned());
    };
    let mut take = |key: &str| match fields.remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("field {key:?} is not a string")),
        None => Err(format!("field {key:?} is missing")),
    };
    let a = take("a")?;
    let b = take("b")?;
    Ok((a, b, fields))
}

/// The carried fields, any that bear an output key renamed `input_<name>` (prefixed
/// again while that name is taken too).
fn carried(fields: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        let mut name = key.clone();
        while OUTPUT_KEYS.contains(&name.as_str()) || (name != *key && fields.contains_key(&name)) {
            name = format!("input_{name}");
        }
        out.push((name, value.clone()));
    }
    out
}

/// Reads one line into `buf` (without `\n` and a `\r` before it), holding at most
/// `limit + 1` bytes. `Ok(None)` at the end of the input; `Ok(Some(Err(len)))` for a
/// line longer than `limit`, skipped as it streams past.
fn read_line(
    input: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<Result<(), u64>>> {
    buf.clear();
    let n = input.take(limit as u64 + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    } else if buf.len() > limit {
        let mut seen = buf.len() as u64;
        buf.clear();
        loop {
            let chunk = input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                seen += i as u64;
                input.consume(i + 1);
                break;
            }
            let len = chunk.len();
            seen += len as u64;
            input.consume(len);
        }
        return Ok(Some(Err(seen)));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(Ok(())))
}

/// Every line of `reader`, numbered from 1, parsed or refused: a blank line, invalid
/// UTF-8 and an over-long line each get their reason, so that every input line has its
/// output line.
fn read_lines(reader: &mut dyn BufRead, name: &str) -> anyhow::Result<Vec<(usize, Line)>> {
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut held = 0u64;
    for number in 1.. {
        let read = read_line(reader, &mut buf, MAX_LINE_BYTES)
            .with_context(|| format!("cannot read {name} line {number}"))?;
        let line = match read {
            None => break,
            Some(Err(seen)) => Err(format!(
                "line of {seen} bytes exceeds the limit of {MAX_LINE_BYTES} bytes"
            )),
            Some(Ok(())) => match std::str::from_utf8(&buf) {
                Err(e) => Err(format!(
                    "invalid UTF-8 at byte {} of the line",
                    e.valid_up_to()
                )),
                Ok(text) if text.trim().is_empty() => Err("blank line".to_owned()),
                Ok(text) => {
                    held += text.len() as u64;
                    if held > MAX_FILE_BYTES {
                        bail!(
                            "{name}: more than {MAX_FILE_BYTES} bytes of pairs; the file is read \
                             whole to weigh its words, so split it (and give the collection \
                             with --corpus so that every part is weighed alike)"
                        );
                    }
                    parse_line(text.strip_prefix('\u{feff}').unwrap_or(text))
                }
            },
        };
        lines.push((number, line));
    }
    Ok(lines)
}

pub fn run(
    path: &Path,
    analyzer: &Analyzer,
    options: &MatchOptions,
    corpus: Option<Rarities>,
) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let reader: Box<dyn Read> = if name == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot open {name}"))?)
    };
    let lines = read_lines(&mut BufReader::with_capacity(1 << 20, reader), &name)?;
    // Word rarities over the corpus, or else over every text of the file.
    let Rarities { index, counter } = match corpus {
        Some(corpus) => corpus,
        None => {
            let keys: Vec<Vec<u32>> = lines
                .par_iter()
                .filter_map(|(_, l)| l.as_ref().ok())
                .flat_map_iter(|(a, b, _)| [a, b])
                .map(|text| analyzer.analyze(text).story_keys)
                .collect();
            Rarities::new(
                &keys,
                LineCounter::new(analyzer.options().boilerplate.clone()),
            )
        }
    };
    let rows: Vec<Value> = lines
        .par_iter()
        .map(|(number, line)| match line {
            Err(reason) => json!({ "line": number, "error": reason }),
            Ok((a, b, fields)) => {
                let report = compare(
                    analyzer,
                    a,
                    b,
                    &CompareContext {
                        counter: &counter,
                        sites: (None, None),
                        story_index: Some(&index),
                        threshold: options.threshold,
                        partial: &options.partial,
                        story: &options.story,
                    },
                );
                let mut row = Map::new();
                row.insert("line".to_owned(), json!(number));
                row.extend(carried(fields));
                row.insert(
                    "relation".to_owned(),
                    json!(report.relation.map(|r| r.as_str())),
                );
                row.insert(
                    "score".to_owned(),
                    story_json(&report.story)["score"].clone(),
                );
                row.insert(
                    "jaccard".to_owned(),
                    json!((f64::from(report.jaccard) * 10_000.0).round() / 10_000.0),
                );
                row.insert("story".to_owned(), story_json(&report.story));
                Value::Object(row)
            }
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for row in &rows {
        serde_json::to_writer(&mut out, row)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let failed = lines.iter().filter(|(_, l)| l.is_err()).count();
    eprintln!(
        "scored {} pairs from {name}; {failed} lines skipped (see their \"error\")",
        lines.len() - failed
    );
    Ok(())
}
