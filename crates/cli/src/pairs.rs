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
//! `relation`, ...) is carried as `input_<name>`. The file format and its reading live in
//! `reprint_io::pairs`.

use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;
use reprint_core::compare::{compare, CompareContext};
use reprint_core::fingerprint::analysis::Analyzer;
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_core::scan::MatchOptions;
use reprint_io::pairs::{carried, read_lines};
use serde_json::{json, Map, Value};

use crate::compare::{story_json, Rarities};

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
