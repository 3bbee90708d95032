//! The whole matching job over fingerprints: exact groups, LSH candidates, verification,
//! clustering.
//!
//! Exact copies are grouped by hash first and only each group's first member takes part
//! in LSH: a page reprinted ten thousand times costs one signature in the buckets, not
//! ten thousand, and its copies are tied to it by exact links.

use rayon::prelude::*;

use crate::cluster::{cluster, Clustering};
use crate::fingerprint::Fingerprint;
use crate::lsh::{banding_for, candidate_pairs, Banding};
use crate::relation::{Match, Relation};
use crate::verify::verify_near;

/// Options of the matching stages.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Minimum estimated Jaccard similarity of word-shingle sets for a near-duplicate.
    pub threshold: f64,
    /// LSH banding; derived from the threshold and signature length when `None`.
    pub banding: Option<Banding>,
}

/// Default near-duplicate threshold. News copies that are "the same article" (a
/// corrected typo, a changed headline, a dropped sentence, a site's byline) keep a word
/// 5-gram Jaccard similarity of 0.75-0.95, while different articles on the same event
/// sit below 0.2. 0.7 keeps lightly edited reprints that the common 0.8 loses, with the
/// gap to unrelated news still wide; lower similarities are the business of partial-reuse
/// detection, which shows the shared passages instead of calling them duplicates.
pub const DEFAULT_THRESHOLD: f64 = 0.7;

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            threshold: DEFAULT_THRESHOLD,
            banding: None,
        }
    }
}

/// Counts of what the matching stages did, for the run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchStats {
    pub candidates: u64,
    pub exact: u64,
    pub near: u64,
}

/// Verified matches between documents (by position in `fingerprints`), sorted by
/// `(a, b)`.
pub fn find_matches(
    fingerprints: &[Fingerprint],
    options: &MatchOptions,
) -> (Vec<Match>, MatchStats) {
    let mut stats = MatchStats::default();
    let mut matches = Vec::new();

    // Exact groups: sort positions by hash; each group's first member leads it.
    let mut by_hash: Vec<(u128, u32)> = fingerprints
        .iter()
        .enumerate()
        .filter_map(|(i, fp)| fp.exact.map(|h| (h, i as u32)))
        .collect();
    by_hash.par_sort_unstable();
    let mut leader = vec![true; fingerprints.len()];
    for group in by_hash.chunk_by(|x, y| x.0 == y.0) {
        let first = group[0].1;
        for &(_, other) in &group[1..] {
            leader[other as usize] = false;
            matches.push(Match {
                a: first,
                b: other,
                kind: Relation::Exact,
                similarity: 1.0,
            });
        }
    }
    stats.exact = matches.len() as u64;

    // Near duplicates among the leaders of non-empty documents.
    let k = fingerprints.first().map_or(0, |fp| fp.signature.0.len());
    let banding = options
        .banding
        .unwrap_or_else(|| banding_for(k, options.threshold));
    let signatures: Vec<_> = fingerprints
        .iter()
        .enumerate()
        .map(|(i, fp)| (leader[i] && fp.exact.is_some()).then_some(&fp.signature))
        .collect();
    let candidates = candidate_pairs(&signatures, banding);
    stats.candidates = candidates.len() as u64;
    let near: Vec<Match> = candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            verify_near(
                a,
                &fingerprints[a as usize],
                b,
                &fingerprints[b as usize],
                options.threshold,
            )
        })
        .collect();
    stats.near = near.len() as u64;
    matches.extend(near);
    matches.par_sort_unstable_by_key(|m| (m.a, m.b));
    (matches, stats)
}

/// Everything a scan decides.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    pub matches: Vec<Match>,
    pub clustering: Clustering,
    pub stats: MatchStats,
}

/// Matches and clusters for a set of fingerprints.
pub fn scan(fingerprints: &[Fingerprint], options: &MatchOptions) -> ScanOutcome {
    let (matches, stats) = find_matches(fingerprints, options);
    let clustering = cluster(fingerprints.len(), &matches);
    ScanOutcome {
        matches,
        clustering,
        stats,
    }
}
