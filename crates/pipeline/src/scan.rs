//! The scan job: pass 1 over the inputs, the matching plan, pass 2 over the documents
//! the plan needs, verification and clustering, then provenance. [`scan`] runs it all;
//! [`ScanResult::write`] writes the contract's files.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use reprint_core::fingerprint::analysis::{Analyzer, BoilerplateSpan, RepeatSpan};
use reprint_core::scan::{conclude, plan, MatchOptions, ScanOutcome};

use crate::checkpoints::{CheckpointReport, Checkpoints};
use crate::ingest::{ingest, ingest_stream, Corpus, Keep};
use crate::pass2::{self, Reports};
use crate::provenance::{compute_provenance, ScanProvenance};
use crate::work::{self, WorkFolder, WorkReport};
use crate::{InputSpec, JobError, MatchSettings, Progress, Resources};
use reprint_io::stage::ShardInfo;
use reprint_io::{InputError, MemoryRecord, Record, Shard};

/// Wall time of each stage of one scan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read_and_pass1: Duration,
    pub plan: Duration,
    /// Pass 2: documents prepared and candidate pairs verified on them.
    pub pass2: Duration,
    /// Families, stories and their counts from the verified links.
    pub cluster: Duration,
    pub provenance: Duration,
    /// Pass 2's runs of pairs, and documents prepared over all runs.
    pub pass2_blocks: u64,
    pub pass2_preparations: u64,
}

/// Everything a scan found, with what the writers need to describe each document.
pub struct ScanResult {
    pub corpus: Corpus,
    pub outcome: ScanOutcome,
    /// Reports of the documents prepared in pass 2 (in the plan's `prepare` order) and
    /// each document's slot there.
    reports: Vec<Reports>,
    slot: Vec<Option<u32>>,
    pub provenance: ScanProvenance,
    pub timings: Timings,
    /// What the scan did with its work folder's pass 1, when it had one.
    pub work: Option<WorkReport>,
    /// What it took from the work folder's checkpoints of the later stages.
    pub checkpoints: Option<CheckpointReport>,
}

/// Reads the inputs and runs every stage of the scan, with the default [`Resources`].
pub fn scan(
    input: &InputSpec,
    settings: &MatchSettings,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    scan_with(input, settings, &Resources::default(), progress)
}

/// [`scan`] within `resources`; the output does not depend on them.
pub fn scan_with(
    input: &InputSpec,
    settings: &MatchSettings,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    run_job(settings, resources, progress, |analyzer| {
        let keep = Keep {
            raw: None,
            texts: true,
        };
        Ok((ingest(input, analyzer, progress, keep)?, None, None))
    })
}

/// [`scan_with`] through the work folder `work` (`--work DIR`): pass 1 is kept there
/// shard by shard and reused by a later scan of the same inputs and settings (a killed
/// scan resumes; shards made elsewhere with [`scan_shard`] are merged). The output is
/// the same as [`scan_with`]'s, byte for byte; see [`crate::work`].
pub fn scan_in_work(
    input: &InputSpec,
    settings: &MatchSettings,
    resources: &Resources,
    work: &WorkFolder,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    let match_options = settings.match_options()?;
    run_job(settings, resources, progress, |analyzer| {
        let (corpus, report, key) = work::pass1_in_work(input, analyzer, work, progress)?;
        let checkpoints = Checkpoints::new(&work.dir, &key, report.shards, &match_options);
        Ok((corpus, Some(report), Some(checkpoints)))
    })
}

/// Pass 1 alone over one shard of the inputs, into the work folder `work` (kept if a
/// complete shard of the same inputs and settings is already there): the part of a scan
/// that runs on each machine before [`scan_in_work`] merges the shards. Returns the
/// shard's info and whether it was run (false: reused).
pub fn scan_shard(
    input: &InputSpec,
    settings: &MatchSettings,
    work: &Path,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<(ShardInfo, bool), JobError> {
    let analyzer = Analyzer::new(settings.analysis_options()?);
    settings.match_options()?;
    let key = work::stage_key(input, &analyzer)?;
    let done = work::run_shard(input, &analyzer, &key, work, shard, progress)?;
    progress.done();
    Ok(done)
}

/// Where and how records a front end hands over in parts (a Spark job's partitions,
/// say) are staged: pass 1 of each part with [`stage_shard`] where the records are, then
/// [`scan_staged`] on one machine.
#[derive(Debug, Clone)]
pub struct StagedRecords {
    /// The work folder (shared by every part).
    pub work: std::path::PathBuf,
    /// Names the data: shards are keyed by it with the analysis settings and the id
    /// and text field names (`read`); the same `job` over other data would reuse shards
    /// that do not belong to it.
    pub job: String,
    pub read: reprint_io::ReadOptions,
    pub skip_invalid: bool,
}

/// Pass 1 of one part of the records (`items`) as `shard` of `staged`'s work folder,
/// kept if that shard is complete there already. Returns the shard's info and whether
/// it was run (false: reused).
pub fn stage_shard<I>(
    items: I,
    staged: &StagedRecords,
    shard: Shard,
    settings: &MatchSettings,
    progress: &dyn Progress,
) -> Result<(ShardInfo, bool), JobError>
where
    I: Iterator<Item = Result<Record, InputError>> + Send,
{
    let analyzer = Analyzer::new(settings.analysis_options()?);
    settings.match_options()?;
    let key = work::records_key(&analyzer, &staged.read, &staged.job);
    let done = work::stage_stream(
        items,
        staged.skip_invalid,
        &analyzer,
        &key,
        &staged.work,
        shard,
        progress,
    )?;
    progress.done();
    Ok(done)
}

/// Every stage after pass 1 over the `count` shards [`stage_shard`] made for `staged`
/// (an error naming the shards missing), with the later stages' checkpoints in its
/// work folder: the output of one in-memory scan of the shards' records in shard order,
/// byte for byte.
pub fn scan_staged(
    staged: &StagedRecords,
    count: u32,
    settings: &MatchSettings,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    let match_options = settings.match_options()?;
    run_job(settings, resources, progress, |analyzer| {
        let key = work::records_key(analyzer, &staged.read, &staged.job);
        let corpus = work::merge_staged(&staged.work, &key, count, staged.skip_invalid, progress)?;
        let report = WorkReport {
            shards: count,
            reused: count,
            run: 0,
        };
        let checkpoints = Checkpoints::new(&staged.work, &key, count, &match_options);
        Ok((corpus, Some(report), Some(checkpoints)))
    })
}

/// [`scan_with`] over records a front end holds in memory (ids, texts and fields, read
/// as `reprint_io::read_memory` says).
pub fn scan_records(
    records: Vec<MemoryRecord>,
    skip_invalid: bool,
    settings: &MatchSettings,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    scan_stream(
        reprint_io::read_memory(records),
        skip_invalid,
        settings,
        resources,
        progress,
    )
}

/// [`scan_with`] over any stream of records (bad ones as errors, skipped or not as
/// `skip_invalid` says).
pub fn scan_stream<I>(
    items: I,
    skip_invalid: bool,
    settings: &MatchSettings,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError>
where
    I: Iterator<Item = Result<Record, InputError>> + Send,
{
    run_job(settings, resources, progress, |analyzer| {
        let keep = Keep {
            raw: None,
            texts: true,
        };
        let corpus = ingest_stream(items, skip_invalid, analyzer, progress, keep)?;
        Ok((corpus, None, None))
    })
}

/// What pass 1 hands the later stages: the corpus, what it did with a work folder, and
/// the checkpoints the later stages keep there.
type Pass1 = (Corpus, Option<WorkReport>, Option<Checkpoints>);

/// The settings checked once, pass 1 as `pass1` makes it (with what it did with a work
/// folder), then every later stage.
fn run_job(
    settings: &MatchSettings,
    resources: &Resources,
    progress: &dyn Progress,
    pass1: impl FnOnce(&Analyzer) -> Result<Pass1, JobError>,
) -> Result<ScanResult, JobError> {
    let analyzer = Analyzer::new(settings.analysis_options()?);
    let match_options = settings.match_options()?;
    let started = Instant::now();
    let (corpus, work, checkpoints) = pass1(&analyzer)?;
    let mut result = scan_corpus(
        corpus,
        &analyzer,
        &match_options,
        resources,
        progress,
        started,
        checkpoints.as_ref(),
    )?;
    result.work = work;
    result.checkpoints = checkpoints.map(|c| c.report());
    Ok(result)
}

/// Every stage after pass 1.
fn scan_corpus(
    mut corpus: Corpus,
    analyzer: &Analyzer,
    match_options: &MatchOptions,
    resources: &Resources,
    progress: &dyn Progress,
    started: Instant,
    checkpoints: Option<&Checkpoints>,
) -> Result<ScanResult, JobError> {
    let t_ingest = started.elapsed();

    progress.stage("matching");
    let counter = corpus.line_counter(analyzer.options());
    let saved = match checkpoints {
        Some(c) => c.load_plan()?,
        None => None,
    };
    let plan = match saved {
        Some(plan) => plan,
        None => {
            // Passage keys filtered in place by the corpus line counts: the plan reads
            // them there instead of holding a filtered copy beside every document's keys.
            {
                let Corpus {
                    analyses, sites, ..
                } = &mut corpus;
                analyses
                    .par_iter_mut()
                    .zip(sites.par_iter())
                    .for_each(|(a, site)| a.settle_passage_keys(&counter, site.as_deref()));
            }
            let sites: Vec<Option<&str>> = (0..corpus.len()).map(|i| corpus.site(i)).collect();
            let plan = plan(&corpus.analyses, &sites, &counter, match_options);
            drop(sites);
            if let Some(c) = checkpoints {
                c.save_plan(&plan)?;
            }
            plan
        }
    };
    // What only the plan reads is freed before pass 2 needs its memory.
    corpus
        .analyses
        .par_iter_mut()
        .for_each(|a| a.release_plan_inputs());
    let t_plan = started.elapsed();

    // Pass 2: the documents the plan needs, read back from the spool and prepared, and
    // the candidate pairs verified on them, within the memory budget.
    progress.stage("aligning");
    let done = pass2::run(
        &corpus,
        analyzer,
        &counter,
        &plan,
        match_options,
        resources.pass2_bytes(),
        checkpoints,
    )?;
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
    let (blocks, preparations) = (done.blocks, done.preparations);
    let outcome = conclude(plan, done.aligned, done.verified, &dates, match_options);
    let reports = done.reports;
    let t_align = started.elapsed();
    let mut result = ScanResult {
        corpus,
        outcome,
        reports,
        slot,
        provenance: ScanProvenance::default(),
        timings: Timings::default(),
        work: None,
        checkpoints: None,
    };
    // Provenance after clustering: who copied whom inside each cluster.
    result.provenance = compute_provenance(&result);
    progress.done();
    result.timings = Timings {
        read_and_pass1: t_ingest,
        plan: t_plan - t_ingest,
        pass2: t_prepare - t_plan,
        cluster: t_align - t_prepare,
        provenance: started.elapsed() - t_align,
        pass2_blocks: blocks,
        pass2_preparations: preparations,
    };
    Ok(result)
}

impl ScanResult {
    fn reports_of(&self, doc: usize) -> Option<&Reports> {
        self.slot
            .get(doc)
            .copied()
            .flatten()
            .map(|i| &self.reports[i as usize])
    }

    /// Number of documents prepared in pass 2.
    pub fn prepared_count(&self) -> usize {
        self.reports.len()
    }

    /// A document's final boilerplate report: from pass 2 when it was prepared there
    /// (its lines may recur across the corpus), else from pass 1.
    pub fn boilerplate(&self, doc: usize) -> &[BoilerplateSpan] {
        self.reports_of(doc)
            .map_or(&self.corpus.analyses[doc].boilerplate, |p| &p.boilerplate)
    }

    /// A document's final internal-repetition report (as [`Self::boilerplate`]).
    pub fn repeats(&self, doc: usize) -> &[RepeatSpan] {
        self.reports_of(doc)
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
