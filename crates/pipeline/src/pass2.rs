//! Pass 2 within a memory budget: the documents the plan needs are read back from the
//! spool and prepared (masked token hashes, seeds, story profiles), and the candidate
//! pairs are verified on them, a block of pairs at a time.
//!
//! # Why blocks
//!
//! A prepared document weighs about 20-40 bytes per token (hashes, character spans, seed
//! hashes, the story profile's weighted sentences): at 100,000 press documents, 81,000
//! prepared at once were 1 GB of the scan's 2.3 GB peak, and they grow with the corpus.
//! So the pairs (sorted by first document, then second) are cut into runs whose
//! documents' estimated weight ([`prepared_bytes`]) fits the budget; each run's documents
//! are prepared, its pairs verified, and the documents dropped before the next run.
//!
//! # Cost
//!
//! A document is prepared once in every run that holds one of its pairs. Runs are cut
//! in pair order, so the pairs of a document as first member fill consecutive runs
//! (only the document at a cut is prepared in two), and each pair brings at most one
//! more preparation (its second member): preparations are at most documents + pairs +
//! runs, linear in the input, and exactly one per document when the budget holds them
//! all (the default on a machine with room; the usual case up to millions of
//! documents). Verification depends on each pair alone, so any budget gives the same
//! links, byte for byte ([`reprint_core::scan::verify_pairs`]).
//!
//! A document's boilerplate and repetition reports, all the writers need of pass 2, are
//! kept from its first preparation; the rest is dropped with its run.
//!
//! # Checkpoints
//!
//! With a work folder, each finished run is saved ([`crate::checkpoints`]) with the
//! reports of the documents it prepared, and a rerun takes the saved runs instead of
//! redoing them: a scan killed in pass 2 loses only the runs it had not finished.

use rayon::prelude::*;
use reprint_core::fingerprint::analysis::{Analyzer, BoilerplateSpan, Prepared, RepeatSpan};
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_core::scan::{pairs_to_verify, verify_pairs, MatchOptions, Plan, Verified};

use crate::checkpoints::{Checkpoints, RunKind, SavedRun};
use crate::ingest::Corpus;
use crate::JobError;

/// Estimated bytes of a prepared document of `tokens` words (measured on press text:
/// 1 GB of memory for 81,391 prepared documents of about 600 words, 12 KB each, story
/// profiles included).
pub fn prepared_bytes(tokens: u32) -> u64 {
    1024 + 20 * u64::from(tokens)
}

/// A document's final reports, from pass 2.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reports {
    pub boilerplate: Vec<BoilerplateSpan>,
    pub repeats: Vec<RepeatSpan>,
}

/// What pass 2 did and found.
pub struct Pass2 {
    pub verified: Verified,
    /// Pairs aligned.
    pub aligned: u64,
    /// Reports of the plan's documents, in `plan.prepare` order.
    pub reports: Vec<Reports>,
    /// Runs of pairs verified one after another.
    pub blocks: u64,
    /// Documents prepared, counting a document again in each run that needs it.
    pub preparations: u64,
}

/// Runs pass 2 over `plan` with at most about `budget` bytes of prepared documents held
/// at once (a run always holds at least one pair), taking the runs `checkpoints` holds
/// and saving those it does there.
pub fn run(
    corpus: &Corpus,
    analyzer: &Analyzer,
    counter: &LineCounter,
    plan: &Plan,
    options: &MatchOptions,
    budget: u64,
    checkpoints: Option<&Checkpoints>,
) -> Result<Pass2, JobError> {
    let texts = corpus.texts.as_ref().ok_or_else(|| {
        JobError::io(
            "internal error: texts were not kept for pass 2",
            std::io::Error::other("no spool"),
        )
    })?;
    let n = corpus.len();
    let weight = |doc: u32| prepared_bytes(corpus.analyses[doc as usize].fingerprint.tokens);
    let prepare = |doc: u32| -> Result<Prepared, JobError> {
        let text = texts
            .get(doc as usize)
            .map_err(|e| JobError::io("cannot read a text back from the temporary file", e))?;
        let d = doc as usize;
        Ok(analyzer.prepare_with(
            &text,
            counter,
            corpus.site(d),
            !corpus.analyses[d].repeats.is_empty(),
            plan.needs_alignment[d],
            plan.story_index.as_ref().filter(|_| plan.needs_story[d]),
        ))
    };

    // Each planned document's slot in `reports`.
    let mut slot = vec![u32::MAX; n];
    for (i, &doc) in plan.prepare.iter().enumerate() {
        slot[doc as usize] = i as u32;
    }
    let mut reports: Vec<Option<Reports>> = vec![None; plan.prepare.len()];
    // Reports kept from a document's first preparation; `fresh` collects those a run
    // added, for its checkpoint.
    let keep_reports = |reports: &mut Vec<Option<Reports>>,
                        docs: &[u32],
                        prepared: Vec<Prepared>,
                        fresh: &mut Vec<(u32, Reports)>| {
        for (&doc, p) in docs.iter().zip(prepared) {
            let s = slot[doc as usize];
            if let Some(r @ None) = reports.get_mut(s as usize) {
                let kept = Reports {
                    boilerplate: p.boilerplate,
                    repeats: p.repeats,
                };
                if checkpoints.is_some() {
                    fresh.push((doc, kept.clone()));
                }
                *r = Some(kept);
            }
        }
    };
    let restore = |reports: &mut Vec<Option<Reports>>, saved: Vec<(u32, Reports)>| {
        for (doc, kept) in saved {
            if let Some(r @ None) = slot
                .get(doc as usize)
                .and_then(|&s| reports.get_mut(s as usize))
            {
                *r = Some(kept);
            }
        }
    };
    // A saved run of `kind` starting at `start`, if it fits the sequence of `len`.
    let saved = |kind: RunKind, start: usize, len: usize| -> Result<Option<SavedRun>, JobError> {
        let Some(c) = checkpoints else {
            return Ok(None);
        };
        c.load_run(kind, start as u64, len as u64)
    };

    let pairs = pairs_to_verify(plan);
    let mut verified = Verified::default();
    let (mut blocks, mut preparations) = (0u64, 0u64);
    // Which run last counted a document, so each is weighed once per run.
    let mut seen_in = vec![u64::MAX; n];
    let mut start = 0;
    while start < pairs.len() {
        if let Some(run) = saved(RunKind::Pairs, start, pairs.len())? {
            verified.extend(run.verified);
            restore(&mut reports, run.reports);
            blocks += 1;
            start = run.end as usize;
            continue;
        }
        let run_id = blocks;
        let mut docs: Vec<u32> = Vec::new();
        let mut bytes = 0u64;
        let mut end = start;
        while end < pairs.len() {
            let ((a, b), _) = pairs[end];
            let new: u64 = [a, b]
                .iter()
                .filter(|&&d| seen_in[d as usize] != run_id)
                .map(|&d| weight(d))
                .sum();
            if end > start && bytes + new > budget {
                break;
            }
            for d in [a, b] {
                if seen_in[d as usize] != run_id {
                    seen_in[d as usize] = run_id;
                    docs.push(d);
                }
            }
            bytes += new;
            end += 1;
        }
        docs.sort_unstable();
        let prepared: Vec<Prepared> = docs
            .par_iter()
            .map(|&doc| prepare(doc))
            .collect::<Result<_, _>>()?;
        let run = verify_pairs(
            &pairs[start..end],
            |doc| docs.binary_search(&doc).ok().map(|i| &prepared[i]),
            options,
        );
        preparations += docs.len() as u64;
        blocks += 1;
        let mut fresh = Vec::new();
        keep_reports(&mut reports, &docs, prepared, &mut fresh);
        if let Some(c) = checkpoints {
            let saved = SavedRun {
                end: end as u64,
                verified: run,
                reports: fresh,
            };
            c.save_run(RunKind::Pairs, start as u64, &saved)?;
            verified.extend(saved.verified);
        } else {
            verified.extend(run);
        }
        start = end;
    }

    // Documents in no pair (a recurring line changes their reports): reports only, in
    // runs of the same budget.
    let rest: Vec<u32> = plan
        .prepare
        .iter()
        .copied()
        .filter(|&doc| reports[slot[doc as usize] as usize].is_none())
        .collect();
    let mut start = 0;
    while start < rest.len() {
        if let Some(run) = saved(RunKind::Rest, start, rest.len())? {
            restore(&mut reports, run.reports);
            start = run.end as usize;
            continue;
        }
        let mut end = start;
        let mut bytes = 0;
        while end < rest.len() && (end == start || bytes + weight(rest[end]) <= budget) {
            bytes += weight(rest[end]);
            end += 1;
        }
        let docs = &rest[start..end];
        let prepared: Vec<Prepared> = docs
            .par_iter()
            .map(|&doc| prepare(doc))
            .collect::<Result<_, _>>()?;
        preparations += docs.len() as u64;
        let mut fresh = Vec::new();
        keep_reports(&mut reports, docs, prepared, &mut fresh);
        if let Some(c) = checkpoints {
            let saved = SavedRun {
                end: end as u64,
                verified: Verified::default(),
                reports: fresh,
            };
            c.save_run(RunKind::Rest, start as u64, &saved)?;
        }
        start = end;
    }

    Ok(Pass2 {
        verified,
        aligned: pairs.len() as u64,
        reports: reports.into_iter().map(Option::unwrap_or_default).collect(),
        blocks,
        preparations,
    })
}
