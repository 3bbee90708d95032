//! # reprint: the command-line tool
//!
//! A thin layer: it parses arguments, wires the reader of `reprint-io` to the stages of
//! `reprint-core`, shows progress and writes results. No algorithm lives here.

mod compare;
mod dedup;
mod eval;
mod extract;
mod generate;
mod ingest;
mod pairs;
mod progress;
mod provenance;
mod report;
mod scan;

/// mimalloc: the scan allocates many small vectors per document on two or more threads,
/// where it is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find reused text in document collections and trace it to its source.
#[derive(Debug, Parser)]
#[command(name = "reprint", version, about, long_about = None)]
struct Cli {
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// No progress bar and no summary on stderr (errors are still reported).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find exact and near-duplicate copies; write documents, clusters and matches.
    Scan(scan::ScanArgs),
    /// Compare two documents: relation, coverage, aligned passages side by side.
    Compare(compare::CompareArgs),
    /// Write the corpus with one representative per cluster of copies.
    Dedup(dedup::DedupArgs),
    /// Generate a corpus with known copies, and its gold labels.
    Generate(generate::GenerateArgs),
    /// Score a scan's clusters against gold labels.
    Eval(eval::EvalArgs),
    /// Extract the main text and metadata of web pages (HTML files, folders, WARC/WET
    /// archives) into JSONL documents.
    Extract(extract::ExtractArgs),
    /// Write a self-contained HTML report of a scan's output folder: clusters ranked by
    /// size and spread, timelines, derivation graphs, pairs side by side.
    Report(report::ReportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()?;
    }
    let ui = progress::Ui::new(cli.quiet);
    match &cli.command {
        Command::Scan(args) => scan::run(args, &ui),
        Command::Compare(args) => compare::run(args),
        Command::Dedup(args) => dedup::run(args, &ui),
        Command::Generate(args) => generate::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Extract(args) => extract::run(args, &ui),
        Command::Report(args) => report::run(args, &ui),
    }
}
