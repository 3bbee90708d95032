//! `reprint report DIR --out report.html`: one self-contained HTML page over a scan's
//! output folder (see the `reprint-report` crate for its design).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use reprint_report::{write_report, ReportOptions, ScanData};

use crate::progress::Ui;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A folder written by `reprint scan` (documents, clusters, matches, texts).
    pub dir: PathBuf,
    /// The HTML file to write.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Clusters per page of the cluster list.
    #[arg(long, default_value_t = 50)]
    pub page_size: usize,
    /// Most megabytes of document text to embed; clusters past it are listed with their
    /// graph and links but without texts.
    #[arg(long, default_value_t = 256)]
    pub max_text_mb: usize,
    /// Most links shown per cluster (strongest first).
    #[arg(long, default_value_t = 2000)]
    pub max_pairs: usize,
}

impl ReportArgs {
    /// The report of scan folder `dir` into `out`, with every other option at its default.
    pub fn defaults(dir: &std::path::Path, out: &std::path::Path) -> ReportArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct Command {
            #[command(flatten)]
            report: ReportArgs,
        }
        let mut args = Command::parse_from(["report", "--out", "report.html", "."]).report;
        args.dir = dir.to_path_buf();
        args.out = out.to_path_buf();
        args
    }
}

pub fn run(args: &ReportArgs, ui: &Ui) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // A folder left by a scan that did not finish, or changed since, is refused: its
    // files would make a report that looks complete and is not.
    let manifest = reprint_io::manifest::check_scan_folder(&args.dir)?;
    if !manifest.files.contains_key("documents.jsonl") {
        anyhow::bail!(
            "{}: the report reads a JSONL scan folder, and this one holds {}; scan again \
             with --format jsonl (the default)",
            args.dir.display(),
            manifest
                .files
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let data = ScanData::load(&args.dir)
        .with_context(|| format!("cannot read the scan folder {}", args.dir.display()))?;
    let options = ReportOptions {
        page_size: args.page_size.max(1),
        max_text_bytes: args.max_text_mb.saturating_mul(1 << 20),
        max_pairs: args.max_pairs,
    };
    let file =
        File::create(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let summary = write_report(&data, &options, &mut out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    out.flush()
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let bytes = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    ui.say(&format!(
        "wrote {} ({:.1} MB) in {:.2}s: {} documents, {} clusters, {} texts embedded{}",
        args.out.display(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        summary.documents,
        summary.clusters,
        summary.texts_embedded,
        if summary.clusters_without_texts > 0 {
            format!(
                ", {} clusters without texts (--max-text-mb)",
                summary.clusters_without_texts
            )
        } else {
            String::new()
        }
    ));
    Ok(())
}
