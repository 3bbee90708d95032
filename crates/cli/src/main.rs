//! # reprint: the command-line tool
//!
//! A thin layer: it parses arguments into the settings of `reprint-pipeline` (the scan
//! job every front end calls), shows progress and prints summaries. No algorithm and no
//! job orchestration live here.

mod compare;
mod dedup;
mod eval;
mod extract;
mod generate;
mod ingest;
mod output;
mod pairs;
mod progress;
mod report;
mod scan;

/// mimalloc: the scan allocates many small vectors per document on two or more threads,
/// where it is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Allocator settings: one at build time, one applied first thing in `main`.
///
/// A scan's stages allocate and free large per-document buffers in waves. By default
/// mimalloc hands freed memory back to the kernel (`MADV_DONTNEED`, about 2,000 times
/// in a 20,000-document scan) and the next wave touches it again, which the kernel
/// answers with freshly zeroed pages; so the purge delay is set to "never" here (freed
/// memory is reused by the next allocation either way, it is only not returned to the
/// kernel before the process ends). Scan kernel time 0.56 -> 0.15 s, wall 1.37 -> 1.04 s
/// (medians of 8 interleaved runs; BENCHMARKS.md). A longer delay does not do it:
/// mimalloc still purges at its collection points.
///
/// mimalloc also marks its heap for transparent huge pages. When memory is fragmented
/// (after another program ran, as in any benchmark or pipeline), the kernel compacts
/// memory to find each 2 MiB page on the fault itself: right after a datasketch run the
/// same scan spent 0.63-0.77 s in the kernel and took 1.38-1.52 s, against 0.21-0.24 s
/// and 1.09-1.18 s without huge pages (3 runs each, alternated). Without fragmentation
/// huge pages gain about 0.1 s, so the steady choice is to build mimalloc without them
/// (`no_thp` in Cargo.toml). `MIMALLOC_PURGE_DELAY` in the environment wins over the
/// purge setting.
mod allocator {
    /// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (`mimalloc.h`; the
    /// constant is not exported by `libmimalloc-sys`). Checked by a test below.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    /// Never hand freed memory back to the kernel (mimalloc's -1).
    const PURGE_DELAY_MS: std::os::raw::c_long = -1;

    pub fn configure() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: sets one integer option of the allocator; any value is valid.
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_purge_delay_option_is_the_one_set() {
            // mimalloc v3 documents a 10 ms purge delay but ships 1000 ms
            // (`options.c`): option 15 reads 1000 before `configure` (no other test
            // calls it), then ours.
            // SAFETY: reads an integer option.
            let read = || unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert_eq!(read(), 1000);
            }
            super::configure();
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert_eq!(read(), super::PURGE_DELAY_MS);
            }
        }
    }
}

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find reused text in document collections and trace it to its source: exact copies,
/// near-duplicates, partial copies, rewrites, same-story versions and shared passages,
/// each link with its evidence (aligned passages, sentences, quotes, names, figures),
/// grouped into copy families and stories with the likely original of each family.
#[derive(Debug, Parser)]
#[command(name = "reprint", version, long_about = None)]
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
    /// Find reused text: exact, near, partial, rewrite, same-story and passage links with
    /// their evidence, grouped into copy families and stories with their likely source;
    /// write documents, clusters and matches (and the HTML report with `--report`).
    Scan(scan::ScanArgs),
    /// Compare two documents as a scan would: their relation (exact, near, partial,
    /// passage, rewrite, same-story), coverage, aligned passages side by side, aligned
    /// sentences and shared facts.
    Compare(compare::CompareArgs),
    /// Write the corpus with one representative per group of exact and near copies, each
    /// kept record byte for byte, and optionally what was removed in favour of what.
    Dedup(dedup::DedupArgs),
    /// Generate a corpus with known copies, and its gold labels.
    Generate(generate::GenerateArgs),
    /// Score a scan's copy families (or stories, `--level story`) against gold labels.
    Eval(eval::EvalArgs),
    /// Extract the main text and metadata of web pages (HTML files, folders, WARC/WET
    /// archives) into JSONL documents.
    Extract(extract::ExtractArgs),
    /// Write a self-contained HTML report of a scan's output folder: copy families ranked
    /// by size and spread, with their story, likely source, timeline, derivation graph and
    /// links side by side.
    Report(report::ReportArgs),
}

/// Stack of each worker thread: 8,000 nested elements take 2 MiB in the extractor.
const WORKER_STACK_BYTES: usize = 64 << 20;

/// More worker threads than this is a typo, not a machine.
const MAX_THREADS: usize = 1024;

fn main() -> ExitCode {
    allocator::configure();
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
    // Web pages are extracted on these threads, by a parser and an extractor that
    // recurse over the page's tree: pages nested too deep are refused first
    // (`reprint_web::nesting`), and a large stack (reserved, touched only when used)
    // keeps a page that fools that estimate from aborting the whole run.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_BYTES);
    if let Some(threads) = cli.threads {
        if threads > MAX_THREADS {
            anyhow::bail!("--threads {threads}: at most {MAX_THREADS}");
        }
        pool = pool.num_threads(threads.max(1));
    }
    pool.build_global()?;
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
