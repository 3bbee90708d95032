//! `reprint eval`: score a clustering against gold labels.
//!
//! Reads the gold JSONL written by `reprint generate` and a predicted clustering: the
//! `documents.jsonl` (or `documents.parquet`) of a scan's output folder, or any JSONL
//! file given directly whose lines carry `"id"` and `"cluster"` (integer or string).
//! That second form is how the peer tools of the benchmark (`bench/`) are scored with exactly the same code. The
//! metrics are those of [`reprint_bench::eval`]; the report goes to stdout, or with
//! `--json` the JSON goes to stdout and the readable report to stderr, so scripts can
//! parse stdout while a person still sees the table.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use reprint_bench::{evaluate, read_gold, read_predictions_of};

/// Arguments of `reprint eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Gold labels: the `--gold` file written by `reprint generate`.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Output folder of a scan (its `documents.jsonl` is read), or a JSONL file of
    /// `{"id":..,"cluster":..}` lines.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print the report as JSON on stdout (the readable report then goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Which grouping to score: `cluster` (copy families) or `story` (families telling
    /// one story; gold entries without a `story` field are each their family's story).
    #[arg(long, default_value = "cluster", value_parser = ["cluster", "story"])]
    pub level: String,
}

/// Runs `reprint eval`.
pub fn run(args: &EvalArgs) -> Result<()> {
    let gold_file = open(&args.gold)?;
    let mut gold = read_gold(BufReader::new(gold_file))
        .with_context(|| format!("reading gold labels {}", args.gold.display()))?;
    if args.level == "story" {
        for entry in &mut gold {
            if let Some(story) = entry.story.take() {
                entry.cluster = story;
            }
        }
    }

    let predictions_path = if args.dir.is_dir() {
        // Only a complete scan: a folder cut by a killed run would score as a worse one.
        let manifest = reprint_io::manifest::check_scan_folder(&args.dir)?;
        if manifest.files.contains_key("documents.parquet") {
            args.dir.join("documents.parquet")
        } else {
            args.dir.join("documents.jsonl")
        }
    } else {
        args.dir.clone()
    };
    let predictions = if predictions_path.extension().is_some_and(|e| e == "parquet") {
        read_predictions_of(parquet_rows(&predictions_path)?.as_slice(), &args.level)
    } else {
        read_predictions_of(BufReader::new(open(&predictions_path)?), &args.level)
    }
    .with_context(|| format!("reading predictions {}", predictions_path.display()))?;

    let report = evaluate(&gold, &predictions);
    if args.json {
        eprint!("{report}");
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(())
}

/// A Parquet table's rows as JSON lines, read with the same code as JSONL predictions.
#[cfg(feature = "parquet")]
fn parquet_rows(path: &Path) -> Result<Vec<u8>> {
    reprint_io::output::parquet::json_lines(path)
        .with_context(|| format!("reading {}", path.display()))
}

#[cfg(not(feature = "parquet"))]
fn parquet_rows(path: &Path) -> Result<Vec<u8>> {
    anyhow::bail!(
        "{}: this reprint was built without Parquet support; build it with \
         `cargo build --release --features parquet`",
        path.display()
    )
}

fn open(path: &Path) -> Result<File> {
    File::open(path).with_context(|| format!("opening {}", path.display()))
}
