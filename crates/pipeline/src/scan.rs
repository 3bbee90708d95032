//! The scan job: pass 1 over the inputs, the matching plan, pass 2 over the documents
//! the plan needs, verification and clustering, then provenance. [`scan`] runs it all;
//! [`ScanResult::write`] writes the contract's files.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use reprint_core::fingerprint::analysis::{Analyzer, BoilerplateSpan, Prepared, RepeatSpan};
use reprint_core::scan::{finish, plan, ScanOutcome};

use crate::ingest::{ingest, Corpus, Keep};
use crate::provenance::{compute_provenance, ScanProvenance};
use crate::{InputSpec, JobError, MatchSettings, Progress};

/// Wall time of each stage of one scan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read_and_pass1: Duration,
    pub plan: Duration,
    pub pass2: Duration,
    pub align_and_cluster: Duration,
    pub provenance: Duration,
}

/// Everything a scan found, with what the writers need to describe each document.
pub struct ScanResult {
    pub corpus: Corpus,
    pub outcome: ScanOutcome,
    /// Documents prepared in pass 2 (in `prepare` order) and each document's slot there.
    prepared: Vec<Prepared>,
    slot: Vec<Option<u32>>,
    pub provenance: ScanProvenance,
    pub timings: Timings,
}

/// Reads the inputs and runs every stage of the scan.
pub fn scan(
    input: &InputSpec,
    settings: &MatchSettings,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    let analysis_options = settings.analysis_options()?;
    let match_options = settings.match_options()?;
    let analyzer = Analyzer::new(analysis_options.clone());
    let started = Instant::now();
    let corpus = ingest(
        input,
        &analyzer,
        progress,
        Keep {
            raw: None,
            texts: true,
        },
    )?;
    let t_ingest = started.elapsed();

    progress.stage("matching");
    let counter = corpus.line_counter(&analysis_options);
    let sites: Vec<Option<&str>> = (0..corpus.len()).map(|i| corpus.site(i)).collect();
    let plan = plan(&corpus.analyses, &sites, &counter, &match_options);
    let t_plan = started.elapsed();

    // Pass 2: the documents the plan needs, read back from the spool and prepared.
    progress.stage("aligning");
    let texts = corpus.texts.as_ref().ok_or_else(|| {
        JobError::io(
            "internal error: texts were not kept for pass 2",
            std::io::Error::other("no spool"),
        )
    })?;
    let prepared: Vec<Prepared> = plan
        .prepare
        .par_iter()
        .map(|&doc| -> Result<Prepared, JobError> {
            let text = texts
                .get(doc as usize)
                .map_err(|e| JobError::io("cannot read a text back from the temporary file", e))?;
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
        .collect::<Result<_, _>>()?;
    let t_prepare = started.elapsed();
    let mut slot: Vec<Option<u32>> = vec![None; corpus.len()];
    for (i, &doc) in plan.prepare.iter().enumerate() {
        slot[doc as usize] = Some(i as u32);
    }
    // Links are oriented by date: the record's `date` field, else a date read from the
    // text's first lines.
    let dates: Vec<Option<u32>> = corpus
        .dates()
        .into_iter()
        .zip(&corpus.analyses)
        .map(|(field, analysis)| field.or(analysis.text_date))
        .collect();
    let outcome = finish(
        plan,
        |doc| slot[doc as usize].map(|i| &prepared[i as usize]),
        &dates,
        &match_options,
    );
    let t_align = started.elapsed();
    drop(sites);
    let mut result = ScanResult {
        corpus,
        outcome,
        prepared,
        slot,
        provenance: ScanProvenance::default(),
        timings: Timings::default(),
    };
    // Provenance after clustering: who copied whom inside each cluster.
    result.provenance = compute_provenance(&result);
    progress.done();
    result.timings = Timings {
        read_and_pass1: t_ingest,
        plan: t_plan - t_ingest,
        pass2: t_prepare - t_plan,
        align_and_cluster: t_align - t_prepare,
        provenance: started.elapsed() - t_align,
    };
    Ok(result)
}

impl ScanResult {
    fn prepared_of(&self, doc: usize) -> Option<&Prepared> {
        self.slot
            .get(doc)
            .copied()
            .flatten()
            .map(|i| &self.prepared[i as usize])
    }

    /// Number of documents prepared in pass 2.
    pub fn prepared_count(&self) -> usize {
        self.prepared.len()
    }

    /// A document's final boilerplate report: from pass 2 when it was prepared there
    /// (its lines may recur across the corpus), else from pass 1.
    pub fn boilerplate(&self, doc: usize) -> &[BoilerplateSpan] {
        self.prepared_of(doc)
            .map_or(&self.corpus.analyses[doc].boilerplate, |p| &p.boilerplate)
    }

    /// A document's final internal-repetition report (as [`Self::boilerplate`]).
    pub fn repeats(&self, doc: usize) -> &[RepeatSpan] {
        self.prepared_of(doc)
            .map_or(&self.corpus.analyses[doc].repeats, |p| &p.repeats)
    }

    /// The closing summary's lines: what was read, what was found.
    pub fn describe(&self, out: &std::path::Path) -> Vec<String> {
        let outcome = &self.outcome;
        let in_clusters: usize = outcome
            .clustering
            .clusters
            .iter()
            .map(|c| c.members.len())
            .sum();
        let in_stories: usize = outcome
            .clustering
            .stories
            .iter()
            .map(|c| c.members.len())
            .sum();
        let n = self.corpus.len();
        let with_boilerplate = (0..n).filter(|&d| !self.boilerplate(d).is_empty()).count();
        let with_repeats = (0..n).filter(|&d| !self.repeats(d).is_empty()).count();
        let stats = &outcome.stats;
        vec![
            format!(
                "wrote {} documents, {} clusters holding {} documents, {} stories holding {} documents, {} matches ({} exact, {} near, {} partial, {} rewrite, {} same-story, {} passage) to {}",
                n,
                outcome.clustering.clusters.len(),
                in_clusters,
                outcome.clustering.stories.len(),
                in_stories,
                outcome.matches.len(),
                stats.exact,
                stats.near,
                stats.partial,
                stats.rewrite,
                stats.same_story,
                stats.passage,
                out.display()
            ),
            format!(
                "candidates: {} near pairs checked ({} links); {} passage and {} story candidate pairs, {} pairs aligned, {} verbatim and {} story links",
                stats.candidates,
                stats.near,
                stats.passage_candidates,
                stats.story_candidates,
                stats.aligned,
                stats.verbatim_links,
                stats.story_links,
            ),
            format!("{with_boilerplate} documents with boilerplate, {with_repeats} with internal repetition"),
        ]
    }
}
