//! `reprint scan`: the pipeline's scan job over the inputs, its files written into the
//! output folder, and the summary on stderr.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::ingest::{describe_read, job_error, InputArgs, MatchArgs};
use reprint_io::output::OutputFormat;
use reprint_pipeline::Progress;

use crate::progress::{JobProgress, Ui};

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// Output folder (created if missing).
    #[arg(long, short, required_unless_present = "shard")]
    pub out: Option<PathBuf>,
    /// Also write the HTML report of the scan to FILE (what `reprint report OUT --out
    /// FILE` writes, with its default options; JSONL folders only).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Format of the output tables: `jsonl`, or `parquet` (the same rows and keys as
    /// typed Parquet tables: `documents.parquet`...; builds with the `parquet` feature).
    #[arg(long, default_value = "jsonl", value_enum)]
    pub format: Format,
    /// Memory budget in GB (default: half of the machine's memory). Pass 2 holds at
    /// most half of it in prepared documents, verifying its candidate pairs a block at
    /// a time when they do not fit; the output is the same for any budget.
    #[arg(long, value_name = "GB")]
    pub memory: Option<f64>,
    /// Keep pass 1 in the work folder DIR, shard by shard (its stage files: each
    /// document's analysis and text), and checkpoints of the later stages (the plan,
    /// each run of pass 2). Rerun after a kill, the same command reuses every finished
    /// shard and checkpoint; shards made with --shard (on other machines too) are
    /// merged. The output is the same as without it.
    #[arg(long, value_name = "DIR")]
    pub work: Option<PathBuf>,
    /// Run only pass 1, over the I-th of N shares of the inputs (consecutive files of
    /// about equal size, counted from 0), into --work DIR. `reprint scan --work DIR`
    /// with the same inputs and options then merges the N shards (running any missing
    /// one) and finishes the scan.
    #[arg(long, value_name = "I/N", requires = "work", value_parser = parse_shard)]
    pub shard: Option<reprint_io::Shard>,
    /// With --work: cut pass 1 into N shards (consecutive input files), read and
    /// analysed several at once; a kill loses only the shards being written. Default:
    /// the count the work folder's shards were made with, else one per 256 MiB of
    /// input (at most one per file).
    #[arg(long, value_name = "N", requires = "work", conflicts_with = "shard", value_parser = clap::value_parser!(u32).range(1..))]
    pub shards: Option<u32>,
}

fn parse_shard(text: &str) -> Result<reprint_io::Shard, String> {
    reprint_io::Shard::parse(text)
        .ok_or_else(|| format!("expected I/N with 0 <= I < N (for example 0/4), got {text:?}"))
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Parquet,
}

impl Format {
    fn output(self) -> OutputFormat {
        match self {
            Format::Jsonl => OutputFormat::Jsonl,
            Format::Parquet => OutputFormat::Parquet,
        }
    }
}

pub fn run(args: &ScanArgs, ui: &Ui) -> anyhow::Result<()> {
    let settings = args.matching.settings();
    // Options are checked before anything is created or read.
    settings.analysis_options().map_err(job_error)?;
    settings.match_options().map_err(job_error)?;
    let resources = match args.memory {
        Some(gb) => reprint_pipeline::Resources::with_memory_gb(gb).map_err(job_error)?,
        None => reprint_pipeline::Resources::default(),
    };
    let format = args.format.output();
    if !format.available() {
        anyhow::bail!(
            "--format parquet: this reprint was built without Parquet support; build it \
             with `cargo build --release --features parquet`"
        );
    }
    if args.report.is_some() && format != OutputFormat::Jsonl {
        anyhow::bail!(
            "--report reads a JSONL scan folder: scan with --format jsonl (the default) to \
             get the report"
        );
    }
    let progress = JobProgress::new(*ui);
    let input = args.input.spec();
    if let (Some(shard), Some(work)) = (args.shard, &args.work) {
        let (info, ran) = reprint_pipeline::scan_shard(&input, &settings, work, shard, &progress)
            .map_err(job_error)?;
        let skipped: u64 = info.skipped.values().sum();
        ui.say(&format!(
            "pass 1 of shard {shard}: {} documents, {skipped} records skipped, {} in {}",
            info.documents,
            if ran {
                "written"
            } else {
                "already there (same inputs and options)"
            },
            reprint_io::stage::shard_dir(work, shard).display()
        ));
        ui.say(&format!(
            "when every shard is done: reprint scan --work {} with the same inputs and options, and --out",
            work.display()
        ));
        return Ok(());
    }
    let Some(out) = &args.out else {
        anyhow::bail!("--out is needed (only --shard runs without one)");
    };
    fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder {}", out.display()))?;
    let result = match &args.work {
        Some(work) => {
            fs::create_dir_all(work)
                .with_context(|| format!("cannot create work folder {}", work.display()))?;
            let folder = reprint_pipeline::WorkFolder {
                dir: work.clone(),
                shards: args.shards,
            };
            reprint_pipeline::scan_in_work(&input, &settings, &resources, &folder, &progress)
        }
        None => reprint_pipeline::scan_with(&input, &settings, &resources, &progress),
    }
    .map_err(job_error)?;
    progress.stage("writing");
    let started = std::time::Instant::now();
    result.write_as(out, format).map_err(job_error)?;
    progress.done();
    if std::env::var_os("REPRINT_TIMINGS").is_some() {
        let t = &result.timings;
        eprintln!(
            "timings: read+pass1 {:.3}s, plan {:.3}s, pass2 (prepare+align) {:.3}s ({} docs, {} preparations in {} blocks), cluster {:.3}s, provenance {:.3}s, write {:.3}s",
            t.read_and_pass1.as_secs_f64(),
            t.plan.as_secs_f64(),
            t.pass2.as_secs_f64(),
            result.prepared_count(),
            t.pass2_preparations,
            t.pass2_blocks,
            t.cluster.as_secs_f64(),
            t.provenance.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }
    ui.say(&describe_read(&result.corpus.summary));
    if let (Some(work), Some(w)) = (&args.work, result.work) {
        ui.say(&format!(
            "pass 1 in {}: {} shard(s), {} reused, {} run",
            work.display(),
            w.shards,
            w.reused,
            w.run
        ));
    }
    if let (Some(work), Some(c)) = (&args.work, result.checkpoints) {
        ui.say(&format!(
            "later stages in {}: plan {}, {} pass-2 run(s) reused, {} run",
            work.display(),
            if c.plan_reused { "reused" } else { "made" },
            c.runs_reused,
            c.runs_done
        ));
    }
    for line in result.describe(out) {
        ui.say(&line);
    }
    if let Some(html) = &args.report {
        crate::report::run(&crate::report::ReportArgs::defaults(out, html), ui)?;
    }
    Ok(())
}
