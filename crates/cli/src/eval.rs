//! `reprint eval`: score a clustering against gold labels.
//!
//! Reads the gold JSONL written by `reprint generate` and a predicted clustering: the
//! `documents.jsonl` of a scan's output folder, or any JSONL file given directly whose
//! lines carry `"id"` and `"cluster"` (integer or string). That second form is how the
//! peer tools of the benchmark (`bench/`) are scored with exactly the same code. The
//! metrics are those of [`reprint_bench::eval`]; the report goes to stdout, or with
//! `--json` the JSON goes to stdout and the readable report to stderr, so scripts can
//! parse stdout while a person still sees the table.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use reprint_bench::{evaluate, read_gold, read_predictions};

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
}

/// Runs `reprint eval`.
pub fn run(args: &EvalArgs) -> Result<()> {
    let gold_file = open(&args.gold)?;
    let gold = read_gold(BufReader::new(gold_file))
        .with_context(|| format!("reading gold labels {}", args.gold.display()))?;

    let predictions_path = if args.dir.is_dir() {
        args.dir.join("documents.jsonl")
    } else {
        args.dir.clone()
    };
    let predictions = read_predictions(BufReader::new(open(&predictions_path)?))
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

fn open(path: &Path) -> Result<File> {
    File::open(path).with_context(|| format!("opening {}", path.display()))
}
