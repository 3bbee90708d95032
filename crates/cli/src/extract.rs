//! `reprint extract`: web pages and archives to JSONL documents.
//!
//! Reads HTML files (`.html`, `.htm`, optionally `.gz`), folders of them and WARC/WET
//! archives, and writes one JSON line per page with its main text and metadata:
//! `{"id", "url", "title", "date", "site", ["lang",] "text"}` (see
//! `reprint_io::input::web`). Extraction runs on all cores, in batches, and the output
//! is in input order whatever the number of threads.
//!
//! Bad pages and damaged archive regions are reported one by one (naming the file and
//! the record or offset) and reading goes on; `--strict` stops at the first one instead.
//! The closing summary on stderr counts pages read, extracted, empty (no main text) and
//! skipped by reason, and the archive records that are not pages, by kind.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use reprint_io::{open_inputs, ErrorKind, ReadOptions, WebStats};

use crate::output::AtomicOutput;
use crate::progress::Ui;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// HTML files (.html, .htm, optionally .gz), folders of them, or WARC/WET archives
    /// (.warc, .warc.gz, .wet, .wet.gz). Folders may mix .txt files in (taken as they are).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output JSONL file, or `-` for standard output.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Largest page accepted (HTML after decompression), in bytes.
    #[arg(long, default_value_t = 16 << 20)]
    pub max_page_bytes: usize,
    /// Stop at the first bad page or damaged archive region instead of reporting it and
    /// going on.
    #[arg(long)]
    pub strict: bool,
}

/// Bad pages reported one by one before the summary takes over.
const MAX_REPORTED: u64 = 50;

pub fn run(args: &ExtractArgs, ui: &Ui) -> anyhow::Result<()> {
    let started = Instant::now();
    let options = ReadOptions {
        max_record_bytes: args.max_page_bytes,
        ..ReadOptions::default()
    };
    let to_stdout = args.out.as_os_str() == "-";
    // Written whole or not at all, and never over an input (checked before reading).
    let mut file_out = if to_stdout {
        None
    } else {
        Some(AtomicOutput::create(&args.out, &args.inputs)?)
    };
    let reader = open_inputs(&args.inputs, &options)?;
    let stats = reader.web_stats_handle();
    let mut stdout = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let out: &mut dyn Write = match file_out.as_mut() {
        Some(file) => file,
        None => &mut stdout,
    };
    let bar = ui.bytes_bar(reader.total_bytes());
    bar.set_message("extracting");
    let mut written = 0u64;
    let mut skipped: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut skipped_other: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut reader = reader;
    while let Some(item) = reader.next() {
        match item {
            Ok(record) => {
                out.write_all(record.raw.as_bytes())
                    .and_then(|()| out.write_all(b"\n"))
                    .with_context(|| format!("cannot write {}", args.out.display()))?;
                written += 1;
            }
            Err(err) if args.strict => {
                return Err(anyhow::Error::new(err)).context("bad input (--strict)");
            }
            Err(err) => {
                // Pages refused are pages read; damaged archive parts and bad files are
                // counted apart, so that the page counts add up.
                let counts = if matches!(err.kind, ErrorKind::Page { .. }) {
                    &mut skipped
                } else {
                    &mut skipped_other
                };
                *counts.entry(err.kind.reason()).or_default() += 1;
                let total: u64 = skipped.values().chain(skipped_other.values()).sum();
                if total <= MAX_REPORTED {
                    bar.suspend(|| ui.say(&format!("skipped: {err}")));
                } else if total == MAX_REPORTED + 1 {
                    bar.suspend(|| ui.say("skipped: more bad input; the summary counts it all"));
                }
            }
        }
        bar.set_position(reader.bytes_read());
    }
    out.flush()
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    bar.finish_and_clear();
    let stats = stats.get();
    if written == 0
        && stats.pages == 0
        && skipped.is_empty()
        && skipped_other.is_empty()
        && stats.skipped.is_empty()
    {
        bail!("no documents found in the inputs");
    }
    if let Some(file) = file_out {
        file.commit()?;
    }

    let seconds = started.elapsed().as_secs_f64();
    ui.say(&summary(&stats, written, &skipped, &skipped_other));
    ui.say(&format!(
        "wrote {written} documents to {} in {seconds:.2} s ({:.0} pages/s)",
        if to_stdout {
            "standard output".to_owned()
        } else {
            args.out.display().to_string()
        },
        stats.pages.max(written) as f64 / seconds.max(1e-9)
    ));
    Ok(())
}

/// `read N pages: X extracted, Y empty, Z skipped (reason: n, ...)` (N = X + Y + Z),
/// then what was skipped besides pages (damaged archive parts, bad files) and, when
/// archives held other records, a second line counting them by kind.
fn summary(
    stats: &WebStats,
    written: u64,
    skipped: &BTreeMap<&'static str, u64>,
    skipped_other: &BTreeMap<&'static str, u64>,
) -> String {
    let skipped_total: u64 = skipped.values().sum();
    let reasons = |counts: &BTreeMap<&'static str, u64>| {
        let reasons: Vec<String> = counts.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        reasons.join(", ")
    };
    // Pages, and other documents (.txt files, JSONL records) passed through as they are.
    let other = written.saturating_sub(stats.extracted);
    let mut line = format!(
        "read {} pages: {} extracted, {} empty, {} skipped",
        stats.pages, stats.extracted, stats.empty, skipped_total
    );
    if skipped_total > 0 {
        line.push_str(&format!(" ({})", reasons(skipped)));
    }
    if other > 0 {
        line.push_str(&format!("; {other} other documents"));
    }
    let other_skipped: u64 = skipped_other.values().sum();
    if other_skipped > 0 {
        line.push_str(&format!(
            "; skipped besides pages: {other_skipped} ({})",
            reasons(skipped_other)
        ));
    }
    if let Some(records) = describe_skipped_records(stats) {
        line.push('\n');
        line.push_str(&records);
    }
    line
}

/// `archive records that are not pages: N (request: n, ...)`, or `None` when there were
/// none.
pub fn describe_skipped_records(stats: &WebStats) -> Option<String> {
    if stats.skipped.is_empty() {
        return None;
    }
    let kinds: Vec<String> = stats
        .skipped
        .iter()
        .map(|(kind, n)| format!("{kind}: {n}"))
        .collect();
    Some(format!(
        "archive records that are not pages: {} ({})",
        stats.skipped_total(),
        kinds.join(", ")
    ))
}

/// One line about the web inputs of a scan or dedup run (pages found, extracted, empty;
/// archive records skipped by kind), or `None` when there were none.
pub fn describe_web(stats: &WebStats) -> Option<String> {
    if stats.is_empty() {
        return None;
    }
    let mut line = format!(
        "web pages: {} read, {} extracted, {} with no main text",
        stats.pages, stats.extracted, stats.empty
    );
    if let Some(records) = describe_skipped_records(stats) {
        line.push_str("; ");
        line.push_str(&records);
    }
    Some(line)
}
