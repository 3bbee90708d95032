//! `reprint dedup`: the corpus with one representative per cluster of copies kept, every
//! kept record written byte-for-byte as it was read, in input order.
//!
//! Records are spooled to a temporary file while they are fingerprinted (so stdin and
//! compressed inputs need no second read), then the spool is filtered once the clusters
//! are known.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use reprint_core::fingerprint::analysis::{AnalysisOptions, Analyzer};
use reprint_core::fingerprint::Fingerprint;
use reprint_core::scan::scan_duplicates;

use reprint_pipeline::{ingest, Keep};

use crate::ingest::{describe_read, job_error, InputArgs, MatchArgs};
use crate::output::AtomicOutput;
use crate::progress::{JobProgress, Ui};

#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// Output JSONL file of the kept records.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Also write one JSONL line per removed record: `{"id", "kept" (the representative
    /// kept in its place), "relation", "via" (the document it matched), "similarity"}`.
    #[arg(long)]
    pub removed: Option<PathBuf>,
}

pub fn run(args: &DedupArgs, ui: &Ui) -> anyhow::Result<()> {
    // Deduplication removes exact and near-duplicate copies only: a partial copy is a
    // different document, so pass 1 computes fingerprints and nothing for passages.
    let analyzer = Analyzer::new(AnalysisOptions {
        passages: false,
        ..args
            .matching
            .settings()
            .analysis_options()
            .map_err(job_error)?
    });
    let match_options = args
        .matching
        .settings()
        .match_options()
        .map_err(job_error)?;
    // Both outputs are written whole or not at all, and never over an input (checked
    // before anything is read).
    let mut kept_out = AtomicOutput::create(&args.out, &args.input.inputs)?;
    let mut removed_out = match &args.removed {
        Some(path) => Some(AtomicOutput::create(path, &args.input.inputs)?),
        None => None,
    };
    let spool_file = tempfile::tempfile().context("cannot create a temporary spool file")?;
    let mut spool = BufWriter::with_capacity(1 << 20, spool_file);
    let corpus = ingest(
        &args.input.spec(),
        &analyzer,
        &JobProgress::new(*ui),
        Keep {
            raw: Some(&mut spool),
            texts: false,
        },
    )
    .map_err(job_error)?;
    let mut spool_file = spool
        .into_inner()
        .map_err(|e| e.into_error())
        .context("cannot write the spool file")?;
    spool_file.seek(SeekFrom::Start(0))?;

    let fingerprints: Vec<&Fingerprint> = corpus.analyses.iter().map(|a| &a.fingerprint).collect();
    let outcome = scan_duplicates(&fingerprints, &match_options);
    let clustering = &outcome.clustering;

    let mut lines = BufReader::with_capacity(1 << 20, spool_file);
    let mut line = Vec::new();
    let mut kept = 0u64;
    for doc in 0..corpus.ids.len() {
        line.clear();
        if lines.read_until(b'\n', &mut line)? == 0 {
            bail!("spool file ended early at document {doc}");
        }
        if clustering.is_kept(doc as u32) {
            kept_out
                .write_all(&line)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            kept += 1;
        }
    }

    // Why each removed document went: its strongest link into the cluster, reported
    // against the kept representative.
    let mut removed_by: BTreeMap<&'static str, u64> = BTreeMap::new();
    for doc in 0..corpus.ids.len() {
        if !clustering.is_kept(doc as u32) {
            let relation = clustering.relation[doc].map_or("unknown", |r| r.as_str());
            *removed_by.entry(relation).or_default() += 1;
        }
    }
    if let (Some(path), Some(mut out)) = (&args.removed, removed_out.take()) {
        // The best match of each removed document (strongest kind, then highest score).
        let mut best: Vec<Option<&reprint_core::Match>> = vec![None; corpus.ids.len()];
        for m in &outcome.matches {
            for doc in [m.a, m.b] {
                let slot = &mut best[doc as usize];
                let better = slot.is_none_or(|b| {
                    (m.kind, std::cmp::Reverse(ordered(m.similarity)))
                        < (b.kind, std::cmp::Reverse(ordered(b.similarity)))
                });
                if better {
                    *slot = Some(m);
                }
            }
        }
        for (doc, best) in best.iter().enumerate() {
            if clustering.is_kept(doc as u32) {
                continue;
            }
            let Some(m) = best else {
                bail!("internal error: removed document {doc} has no match");
            };
            let via = if m.a as usize == doc { m.b } else { m.a };
            let line = serde_json::json!({
                "id": corpus.ids[doc],
                "kept": corpus.ids[clustering.cluster_of[doc] as usize],
                "relation": m.kind.as_str(),
                "via": corpus.ids[via as usize],
                "similarity": (f64::from(m.similarity) * 10_000.0).round() / 10_000.0,
            });
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.commit()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    kept_out.commit()?;

    ui.say(&describe_read(&corpus.summary));
    let removed: u64 = removed_by.values().sum();
    let reasons: Vec<String> = removed_by
        .iter()
        .map(|(r, n)| format!("{r}: {n}"))
        .collect();
    ui.say(&format!(
        "kept {kept} of {} documents, removed {removed}{} ; wrote {}",
        corpus.ids.len(),
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        },
        args.out.display()
    ));
    Ok(())
}

/// Similarity as an integer for ordering (similarities are finite, in [0, 1]).
fn ordered(x: f32) -> u32 {
    (x.clamp(0.0, 1.0) * 1_000_000.0) as u32
}
