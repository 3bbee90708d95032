//! `reprint scan`: find copies and write `documents.jsonl`, `clusters.jsonl` and
//! `matches.jsonl` into the output folder.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use reprint_core::fingerprint::Fingerprinter;
use reprint_core::scan::{scan, ScanOutcome};
use reprint_io::output::{
    write_cluster, write_document, write_match, ClusterRow, DocumentRow, MatchRow,
};

use crate::ingest::{ingest, Corpus, InputArgs, MatchArgs};
use crate::progress::Ui;

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// Output folder (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
}

pub fn run(args: &ScanArgs, ui: &Ui) -> anyhow::Result<()> {
    let fingerprinter = Fingerprinter::new(args.matching.fingerprint_options()?);
    let match_options = args.matching.match_options()?;
    fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let corpus = ingest(&args.input, &fingerprinter, ui, None)?;
    let spinner = ui.spinner("matching");
    let outcome = scan(&corpus.fingerprints, &match_options);
    spinner.finish_and_clear();
    write_outputs(&args.out, &corpus, &outcome)?;

    ui.say(&corpus.summary.describe());
    let in_clusters: usize = outcome
        .clustering
        .clusters
        .iter()
        .map(|c| c.members.len())
        .sum();
    ui.say(&format!(
        "wrote {} documents, {} clusters holding {} documents, {} matches ({} exact, {} near; {} candidate pairs checked) to {}",
        corpus.ids.len(),
        outcome.clustering.clusters.len(),
        in_clusters,
        outcome.matches.len(),
        outcome.stats.exact,
        outcome.stats.near,
        outcome.stats.candidates,
        args.out.display()
    ));
    Ok(())
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

/// Writes the three result files.
pub fn write_outputs(dir: &Path, corpus: &Corpus, outcome: &ScanOutcome) -> anyhow::Result<()> {
    let clustering = &outcome.clustering;
    let path = dir.join("documents.jsonl");
    let mut out = create(&path)?;
    for (doc, id) in corpus.ids.iter().enumerate() {
        let doc = doc as u32;
        write_document(
            &mut out,
            &DocumentRow {
                id,
                cluster: clustering.cluster_of[doc as usize],
                relation: clustering.relation[doc as usize].map(|r| r.as_str()),
                representative: clustering.is_kept(doc),
                fields: &corpus.fields[doc as usize],
            },
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;

    let path = dir.join("clusters.jsonl");
    let mut out = create(&path)?;
    for cluster in &clustering.clusters {
        let members: Vec<&str> = cluster
            .members
            .iter()
            .map(|&m| corpus.ids[m as usize].as_str())
            .collect();
        write_cluster(
            &mut out,
            &ClusterRow {
                id: cluster.id,
                representative: &corpus.ids[cluster.representative as usize],
                members: &members,
            },
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;

    let path = dir.join("matches.jsonl");
    let mut out = create(&path)?;
    for m in &outcome.matches {
        write_match(
            &mut out,
            &MatchRow {
                a: &corpus.ids[m.a as usize],
                b: &corpus.ids[m.b as usize],
                kind: m.kind.as_str(),
                similarity: m.similarity,
            },
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
