//! `reprint scan`: find copies and write `documents.jsonl`, `clusters.jsonl` and
//! `matches.jsonl` into the output folder.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use reprint_core::fingerprint::analysis::{Analyzer, Prepared};
use reprint_core::scan::{finish, plan, ScanOutcome};
use reprint_io::output::{
    write_cluster, write_document, write_match, ClusterRow, DerivedFromRow, DocumentRow, MatchRow,
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
    let analysis_options = args.matching.analysis_options()?;
    let analyzer = Analyzer::new(analysis_options.clone());
    let match_options = args.matching.match_options()?;
    fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let started = std::time::Instant::now();
    let corpus = ingest(&args.input, &analyzer, ui, None, true)?;
    let t_ingest = started.elapsed();

    let spinner = ui.spinner("matching");
    let counter = corpus.line_counter(&analysis_options);
    let sites: Vec<Option<&str>> = (0..corpus.len()).map(|i| corpus.site(i)).collect();
    let plan = plan(&corpus.analyses, &sites, &counter, &match_options);
    let t_plan = started.elapsed();

    // Pass 2: the documents the plan needs, read back from the spool and prepared.
    spinner.set_message("aligning");
    let texts = corpus
        .texts
        .as_ref()
        .context("internal error: texts were not kept for pass 2")?;
    let prepared: Vec<Prepared> = plan
        .prepare
        .par_iter()
        .map(|&doc| -> anyhow::Result<Prepared> {
            let text = texts
                .get(doc as usize)
                .context("cannot read a text back from the temporary file")?;
            let has_repeats = !corpus.analyses[doc as usize].repeats.is_empty();
            Ok(analyzer.prepare_with(
                &text,
                &counter,
                sites[doc as usize],
                has_repeats,
                plan.needs_alignment[doc as usize],
                plan.story_index
                    .as_ref()
                    .filter(|_| plan.needs_story[doc as usize]),
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let t_prepare = started.elapsed();
    let mut slot: Vec<Option<u32>> = vec![None; corpus.len()];
    for (i, &doc) in plan.prepare.iter().enumerate() {
        slot[doc as usize] = Some(i as u32);
    }
    let outcome = finish(
        plan,
        |doc| slot[doc as usize].map(|i| &prepared[i as usize]),
        &corpus.dates(),
        &match_options,
    );
    spinner.finish_and_clear();
    let t_align = started.elapsed();
    let reports = Reports {
        slot: &slot,
        prepared: &prepared,
    };
    // Provenance after clustering: who copied whom inside each cluster.
    let provenance = crate::provenance::compute(&corpus, &outcome, &reports)?;
    // Different files: written side by side.
    let (outputs, texts) = rayon::join(
        || write_outputs(&args.out, &corpus, &outcome, &reports, &provenance),
        || crate::provenance::write_texts(&args.out, &corpus, &outcome),
    );
    outputs?;
    texts?;
    if std::env::var_os("REPRINT_TIMINGS").is_some() {
        eprintln!(
            "timings: read+pass1 {:.3}s, plan {:.3}s, pass2 {:.3}s ({} docs), align+cluster {:.3}s, write {:.3}s",
            t_ingest.as_secs_f64(),
            (t_plan - t_ingest).as_secs_f64(),
            (t_prepare - t_plan).as_secs_f64(),
            prepared.len(),
            (t_align - t_prepare).as_secs_f64(),
            (started.elapsed() - t_align).as_secs_f64()
        );
    }

    ui.say(&corpus.summary.describe());
    let in_clusters: usize = outcome
        .clustering
        .clusters
        .iter()
        .map(|c| c.members.len())
        .sum();
    let with_boilerplate = (0..corpus.len())
        .filter(|&d| !reports.boilerplate(&corpus, d).is_empty())
        .count();
    let with_repeats = (0..corpus.len())
        .filter(|&d| !reports.repeats(&corpus, d).is_empty())
        .count();
    ui.say(&format!(
        "wrote {} documents, {} clusters holding {} documents, {} matches ({} exact, {} near, {} partial, {} rewrite, {} same-story; {} near, {} passage and {} story candidate pairs checked) to {}",
        corpus.ids.len(),
        outcome.clustering.clusters.len(),
        in_clusters,
        outcome.matches.len(),
        outcome.stats.exact,
        outcome.stats.near,
        outcome.stats.partial,
        outcome.stats.rewrite,
        outcome.stats.same_story,
        outcome.stats.candidates,
        outcome.stats.passage_candidates,
        outcome.stats.story_candidates,
        args.out.display()
    ));
    ui.say(&format!(
        "{with_boilerplate} documents with boilerplate, {with_repeats} with internal repetition"
    ));
    Ok(())
}

/// Each document's final boilerplate and repetition report: from pass 2 when it was
/// prepared there (its lines may recur across the corpus), else from pass 1.
pub struct Reports<'a> {
    pub slot: &'a [Option<u32>],
    pub prepared: &'a [Prepared],
}

impl Reports<'_> {
    fn prepared(&self, doc: usize) -> Option<&Prepared> {
        self.slot
            .get(doc)
            .copied()
            .flatten()
            .map(|i| &self.prepared[i as usize])
    }

    pub fn boilerplate<'c>(
        &'c self,
        corpus: &'c Corpus,
        doc: usize,
    ) -> &'c [reprint_core::fingerprint::analysis::BoilerplateSpan] {
        self.prepared(doc)
            .map_or(&corpus.analyses[doc].boilerplate, |p| &p.boilerplate)
    }

    pub fn repeats<'c>(
        &'c self,
        corpus: &'c Corpus,
        doc: usize,
    ) -> &'c [reprint_core::fingerprint::analysis::RepeatSpan] {
        self.prepared(doc)
            .map_or(&corpus.analyses[doc].repeats, |p| &p.repeats)
    }
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

/// Writes the three result files.
pub fn write_outputs(
    dir: &Path,
    corpus: &Corpus,
    outcome: &ScanOutcome,
    reports: &Reports<'_>,
    provenance: &crate::provenance::ScanProvenance,
) -> anyhow::Result<()> {
    let clustering = &outcome.clustering;
    let prov = &provenance.provenance;
    let path = dir.join("documents.jsonl");
    let mut out = create(&path)?;
    for (doc, id) in corpus.ids.iter().enumerate() {
        let doc = doc as u32;
        let parents = prov.derived_from(doc);
        let derived_from: Vec<DerivedFromRow> = parents
            .iter()
            .map(|d| DerivedFromRow {
                id: &corpus.ids[d.source as usize],
                kind: d.kind.as_str(),
                score: d.score,
                reasons: &d.reasons,
            })
            .collect();
        write_document(
            &mut out,
            &DocumentRow {
                id,
                cluster: clustering.cluster_of[doc as usize],
                relation: clustering.relation[doc as usize].map(|r| r.as_str()),
                representative: clustering.is_kept(doc),
                boilerplate: reports.boilerplate(corpus, doc as usize),
                repeats: reports.repeats(corpus, doc as usize),
                fields: &corpus.fields[doc as usize],
                text_date: provenance.text_dates[doc as usize],
                attributions: &provenance.facts[doc as usize].attributions,
                source: prov
                    .original_of(doc)
                    .map(|o| corpus.ids[o as usize].as_str()),
                derived_from: &derived_from,
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
                provenance: prov.of(cluster.id).map(|p| (p, corpus.ids.as_slice())),
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
                evidence: m.evidence.as_deref(),
            },
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
