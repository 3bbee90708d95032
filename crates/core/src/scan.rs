//! The whole matching job, in two steps around the second document pass.
//!
//! [`plan`] works on pass-1 analyses only: exact groups, LSH near-duplicates, then the
//! passage index over every document that is not an exact copy, which gives the
//! passage candidates and the documents pass 2 must prepare. [`finish`] aligns the passage
//! candidates on the prepared documents and clusters everything.
//!
//! Exact copies are grouped by hash first and only each group's first member takes part
//! in LSH: a page reprinted ten thousand times costs one signature in the buckets, not
//! ten thousand. Likewise exact copies stay out of the passage index: they would only
//! repeat their leader's passages.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::align::verify::{verify_near, verify_partial, PartialOptions};
use crate::align::Aligner;
use crate::candidates::lsh::{banding_for, candidate_pairs, Banding};
use crate::candidates::passage::{passage_candidates, PassageIndexOptions};
use crate::cluster::unionfind::UnionFind;
use crate::cluster::{assign_stories, cluster, cluster_dated, corroborate, Clustering};
use crate::fingerprint::analysis::{DocAnalysis, PassageKeys, Prepared};
use crate::fingerprint::boilerplate::LineCounter;
use crate::fingerprint::Fingerprint;
use crate::relation::{CharSpan, Match, Relation};
use crate::story::{holds_outside, story_candidates, verify_story, StoryIndex, StoryOptions};

/// Options of the matching stages.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Minimum estimated Jaccard similarity of word-shingle sets for a near-duplicate.
    pub threshold: f64,
    /// LSH banding; derived from the threshold and signature length when `None`.
    pub banding: Option<Banding>,
    /// Look for partial reuse (shared passages) too.
    pub passages: bool,
    pub passage_index: PassageIndexOptions,
    pub partial: PartialOptions,
    /// Look for rewrites and same-story links too (only with `passages`).
    pub stories: bool,
    pub story: StoryOptions,
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
            passages: true,
            passage_index: PassageIndexOptions::default(),
            partial: PartialOptions::default(),
            stories: true,
            story: StoryOptions::default(),
        }
    }
}

/// Counts of what the matching stages did, for the run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MatchStats {
    pub candidates: u64,
    pub passage_candidates: u64,
    pub exact: u64,
    pub near: u64,
    pub partial: u64,
    pub story_candidates: u64,
    pub rewrite: u64,
    pub same_story: u64,
    /// Pairs aligned (passage and story candidates, each pair once).
    pub aligned: u64,
    /// Aligned pairs that shared verbatim passages (`partial` or `passage` links).
    pub verbatim_links: u64,
    /// Story candidates verified as rewrite or same-story links at the match score.
    pub story_links: u64,
    pub passage: u64,
}

/// Exact groups: each group's first member leads it; the others get an exact link to
/// it. Returns the links and, per document, whether it leads its group (or is alone).
fn exact_groups(fingerprints: &[&Fingerprint]) -> (Vec<Match>, Vec<bool>) {
    let mut by_hash: Vec<(u128, u32)> = fingerprints
        .iter()
        .enumerate()
        .filter_map(|(i, fp)| fp.exact.map(|h| (h, i as u32)))
        .collect();
    by_hash.par_sort_unstable();
    let mut leader = vec![true; fingerprints.len()];
    let mut matches = Vec::new();
    for group in by_hash.chunk_by(|x, y| x.0 == y.0) {
        let first = group[0].1;
        for &(_, other) in &group[1..] {
            leader[other as usize] = false;
            matches.push(Match {
                a: first,
                b: other,
                kind: Relation::Exact,
                similarity: 1.0,
                evidence: None,
            });
        }
    }
    (matches, leader)
}

/// Near-duplicates among exact-group leaders of non-empty documents: LSH candidates,
/// each verified. Returns the matches and the number of candidates.
fn near_duplicates(
    fingerprints: &[&Fingerprint],
    leader: &[bool],
    options: &MatchOptions,
) -> (Vec<Match>, u64) {
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
    let near = candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            verify_near(
                a,
                fingerprints[a as usize],
                b,
                fingerprints[b as usize],
                options.threshold,
            )
        })
        .collect();
    (near, candidates.len() as u64)
}

/// Verified exact and near-duplicate matches between documents (by position), sorted by
/// `(a, b)`.
pub fn find_duplicates(
    fingerprints: &[&Fingerprint],
    options: &MatchOptions,
) -> (Vec<Match>, MatchStats) {
    let (mut matches, leader) = exact_groups(fingerprints);
    let (near, candidates) = near_duplicates(fingerprints, &leader, options);
    let stats = MatchStats {
        candidates,
        exact: matches.len() as u64,
        near: near.len() as u64,
        ..MatchStats::default()
    };
    matches.extend(near);
    matches.par_sort_unstable_by_key(|m| (m.a, m.b));
    (matches, stats)
}

/// What [`plan`] decided: the duplicate matches, and the passage work left for pass 2.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub matches: Vec<Match>,
    pub stats: MatchStats,
    /// Passage candidate pairs `(a, b)`, `a < b`, sorted.
    pub passage_candidates: Vec<(u32, u32)>,
    /// Documents pass 2 must prepare (sorted): those in a passage candidate pair and
    /// those with a line that recurs across the corpus (their boilerplate report
    /// changes).
    pub prepare: Vec<u32>,
    /// Per document: whether it is in a passage candidate pair (pass 2 then builds its
    /// alignment view; otherwise only its reports).
    pub needs_alignment: Vec<bool>,
    /// Story candidate pairs `(a, b)`, `a < b`, sorted.
    pub story_candidates: Vec<(u32, u32)>,
    /// Word rarities for story profiles, when the story stage runs.
    pub story_index: Option<StoryIndex>,
    /// Per document: whether it is in a story candidate pair (pass 2 then builds its
    /// story profile with `story_index`).
    pub needs_story: Vec<bool>,
}

/// Step 1: duplicates and passage candidates from pass-1 analyses. `sites[i]` is the
/// site of document `i` when known.
pub fn plan(
    analyses: &[DocAnalysis],
    sites: &[Option<&str>],
    counter: &LineCounter,
    options: &MatchOptions,
) -> Plan {
    let n = analyses.len();
    let fingerprints: Vec<&Fingerprint> = analyses.iter().map(|a| &a.fingerprint).collect();
    let (mut matches, leader) = exact_groups(&fingerprints);
    // The documents that take part in the passage and story indexes: every one but
    // exact copies (see below).
    let units: Vec<bool> = (0..n)
        .map(|i| leader[i] && analyses[i].fingerprint.exact.is_some())
        .collect();
    let story_keys: Vec<Option<&[u32]>> = (0..n)
        .map(|i| units[i].then_some(analyses[i].story_keys.as_slice()))
        .collect();
    // Near-duplicate search, the passage index and the story index run one after
    // another, each parallel inside: run together, their postings would all be alive
    // at once, and the plan's peak memory is the sum of them (measured on 100k press
    // documents: 1.11 GB together, see BENCHMARKS.md), for a few percent of time.
    let (near, near_candidates) = near_duplicates(&fingerprints, &leader, options);
    let passage = options.passages.then(|| {
        // Every document but exact copies takes part: a near-duplicate group's
        // members each get their own links (a quotation is reported against
        // every version of the text it quotes), while exact copies would only
        // repeat their leader's. Keys of lines that recur across the corpus
        // are template text, not evidence.
        // Keys settled in place (`DocAnalysis::settle_passage_keys`) are
        // read where they are; others are filtered into a copy.
        let unit_keys: Vec<Option<Cow<PassageKeys>>> = (0..n)
            .into_par_iter()
            .map(|i| {
                units[i].then(|| {
                    let a = &analyses[i];
                    if a.passage_settled {
                        Cow::Borrowed(&a.passage)
                    } else {
                        Cow::Owned(a.passage_keys_given(counter, sites.get(i).copied().flatten()))
                    }
                })
            })
            .collect();
        let keys: Vec<Option<&PassageKeys>> = unit_keys.iter().map(|k| k.as_deref()).collect();
        passage_candidates(&keys, &options.passage_index)
    });
    let story = (options.passages && options.stories)
        .then(|| story_candidates(&story_keys, &options.story));
    let mut stats = MatchStats {
        candidates: near_candidates,
        exact: matches.len() as u64,
        near: near.len() as u64,
        ..MatchStats::default()
    };
    matches.extend(near);
    matches.par_sort_unstable_by_key(|m| (m.a, m.b));

    // Members of one exact or near-duplicate group are already linked: neither index
    // pairs them again.
    let mut groups = UnionFind::new(n);
    for m in &matches {
        groups.union(m.a, m.b);
    }
    let mut needs_alignment = vec![false; n];
    let mut passage_candidates_out = Vec::new();
    if let Some(mut candidates) = passage {
        candidates.retain(|&(a, b, _)| groups.find(a) != groups.find(b));
        stats.passage_candidates = candidates.len() as u64;
        for &(a, b, _) in &candidates {
            needs_alignment[a as usize] = true;
            needs_alignment[b as usize] = true;
        }
        passage_candidates_out = candidates.iter().map(|&(a, b, _)| (a, b)).collect();
    }
    // Rewrites and same-story links: candidates from shared rare words among the same
    // units as the passage index (exact copies would only repeat their leader).
    let mut needs_story = vec![false; n];
    let mut story_candidates_out = Vec::new();
    let mut story_index = None;
    if let Some((index, mut candidates)) = story {
        candidates.retain(|&(a, b)| groups.find(a) != groups.find(b));
        stats.story_candidates = candidates.len() as u64;
        for &(a, b) in &candidates {
            needs_story[a as usize] = true;
            needs_story[b as usize] = true;
            // Story candidates are aligned too: a verbatim containment is a partial
            // copy, not a rewrite, and story evidence is judged outside the verbatim
            // passages a pair shares.
            needs_alignment[a as usize] = true;
            needs_alignment[b as usize] = true;
        }
        story_candidates_out = candidates;
        story_index = Some(index);
    }
    let recurring: Vec<bool> = analyses
        .par_iter()
        .enumerate()
        .map(|(i, a)| a.has_recurring_line(counter, sites.get(i).copied().flatten()))
        .collect();
    let prepare = (0..n as u32)
        .filter(|&i| {
            needs_alignment[i as usize] || needs_story[i as usize] || recurring[i as usize]
        })
        .collect();
    Plan {
        matches,
        stats,
        passage_candidates: passage_candidates_out,
        prepare,
        needs_alignment,
        story_candidates: story_candidates_out,
        story_index,
        needs_story,
    }
}

/// Everything a scan decides.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    pub matches: Vec<Match>,
    pub clustering: Clustering,
    pub stats: MatchStats,
}

/// The pairs pass 2 must look at: every pair either index proposed, sorted, each once,
/// and whether it is a story candidate (then its story profiles are verified too).
pub fn pairs_to_verify(plan: &Plan) -> Vec<((u32, u32), bool)> {
    let mut pairs: Vec<((u32, u32), bool)> = plan
        .passage_candidates
        .iter()
        .map(|&p| (p, false))
        .chain(plan.story_candidates.iter().map(|&p| (p, true)))
        .collect();
    pairs.par_sort_unstable();
    // A pair proposed by both indexes keeps its story flag.
    pairs.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            earlier.1 |= later.1;
            true
        } else {
            false
        }
    });
    pairs
}

/// What pass 2 found for a run of pairs: verbatim links (sorted by pair) and story
/// matches of the story candidates (sorted by pair, at any score), already judged
/// outside the verbatim passages the pair shares.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Verified {
    pub verbatim: Vec<Match>,
    pub stories: Vec<Match>,
}

impl Verified {
    /// Appends the results of the next run of pairs (runs come in pair order).
    pub fn extend(&mut self, next: Verified) {
        self.verbatim.extend(next.verbatim);
        self.stories.extend(next.stories);
    }
}

/// Aligns `pairs` (sorted, from [`pairs_to_verify`]) and verifies the story candidates
/// among them; `prepared(i)` gives document `i` as pass 2 prepared it. Results depend
/// on each pair alone, so any split of the pairs into runs, verified one after another
/// and [`Verified::extend`]ed in order, gives the same result as one call.
pub fn verify_pairs<'a, F>(
    pairs: &[((u32, u32), bool)],
    prepared: F,
    options: &MatchOptions,
) -> Verified
where
    F: Fn(u32) -> Option<&'a Prepared> + Sync,
{
    let verbatim: Vec<Match> = pairs
        .par_iter()
        .map_init(Aligner::new, |aligner, &((a, b), _)| {
            let (da, db) = (&prepared(a)?.doc, &prepared(b)?.doc);
            verify_partial(aligner, a, da, b, db, &options.partial)
        })
        .flatten()
        .collect();
    // `verbatim` is sorted by pair, as `pairs` were.
    let stories: Vec<Match> = pairs
        .par_iter()
        .filter(|(_, story)| *story)
        .filter_map(|&((a, b), _)| {
            let pa = prepared(a)?.story.as_ref()?;
            let pb = prepared(b)?.story.as_ref()?;
            let story = verify_story(a, pa, b, pb, &options.story)?;
            match find_pair(&verbatim, a, b).and_then(|i| verbatim[i].evidence.as_deref()) {
                Some(e) if !e.passages.is_empty() => {
                    let spans_a: Vec<CharSpan> = e.passages.iter().map(|p| p.a).collect();
                    let spans_b: Vec<CharSpan> = e.passages.iter().map(|p| p.b).collect();
                    holds_outside(pa, &spans_a, pb, &spans_b, &options.story).then_some(story)
                }
                _ => Some(story),
            }
        })
        .collect();
    Verified { verbatim, stories }
}

fn find_pair(sorted: &[Match], a: u32, b: u32) -> Option<usize> {
    sorted.binary_search_by_key(&(a, b), |m| (m.a, m.b)).ok()
}

/// Step 2: aligns the passage and story candidates and verifies the story candidates
/// (`prepared(i)` gives document `i` as pass 2 prepared it), then builds families and
/// stories from all matches ([`verify_pairs`], then [`conclude`]).
pub fn finish<'a, F>(
    plan: Plan,
    prepared: F,
    dates: &[Option<u32>],
    options: &MatchOptions,
) -> ScanOutcome
where
    F: Fn(u32) -> Option<&'a Prepared> + Sync,
{
    let pairs = pairs_to_verify(&plan);
    let verified = verify_pairs(&pairs, prepared, options);
    conclude(plan, pairs.len() as u64, verified, dates, options)
}

/// Builds families and stories from the plan's duplicate matches and what pass 2
/// verified (`aligned`: how many pairs it aligned); `dates` (sortable, e.g. `yyyymmdd`,
/// where known) orient links from the earlier document to the later.
///
/// Each pair is reported once. Its verbatim passages make a `partial` link (versions of
/// one text) or a `passage` link (a short shared passage: [`crate::align::verify::passage_kind`]). Its story
/// evidence is judged outside those passages (a shared background paragraph is not a
/// story): a `rewrite` replaces a partial link only when its reworded sentences cover
/// clearly more than the verbatim passages (a paraphrase that kept a few sentences
/// intact), and keeps the passages in its evidence; a `same-story` or `rewrite` link
/// replaces a `passage` link the same way (the shared passage is part of its evidence).
pub fn conclude(
    plan: Plan,
    aligned: u64,
    verified: Verified,
    dates: &[Option<u32>],
    options: &MatchOptions,
) -> ScanOutcome {
    let Plan {
        mut matches,
        mut stats,
        ..
    } = plan;
    let Verified {
        mut verbatim,
        stories,
    } = verified;
    stats.aligned = aligned;
    stats.verbatim_links = verbatim.len() as u64;
    // Links under the match threshold only corroborate (see `corroborate`), and only
    // for pairs no other link ties.
    let mut weak = Vec::new();
    for story in stories {
        stats.story_links += u64::from(story.similarity >= options.story.min_score);
        let strong = story.similarity >= options.story.min_score;
        match find_pair(&verbatim, story.a, story.b) {
            Some(i) => {
                if !strong {
                    continue;
                }
                if let Some(upgraded) = upgrade_verbatim(&verbatim[i], story) {
                    verbatim[i] = upgraded;
                }
            }
            None if strong => matches.push(story),
            None => weak.push(story),
        }
    }
    matches.extend(verbatim);
    matches.par_sort_unstable_by_key(|m| (m.a, m.b));
    let mut clustering = cluster_dated(dates.len(), &matches, dates);
    // Weak links corroborate families: a heavy rewrite resembles each version of its
    // text a little.
    let used = corroborate(&mut clustering, &weak, options.story.min_score);
    if !used.is_empty() {
        for (i, mut m) in weak.into_iter().enumerate() {
            if used.binary_search(&i).is_ok() {
                if let Some(e) = m.evidence.as_mut() {
                    e.corroborated = true;
                }
                matches.push(m);
            }
        }
        matches.par_sort_unstable_by_key(|m| (m.a, m.b));
    }
    assign_stories(&mut clustering, &matches, dates);
    for m in &matches {
        match m.kind {
            Relation::Partial => stats.partial += 1,
            Relation::Passage => stats.passage += 1,
            Relation::Rewrite => stats.rewrite += 1,
            Relation::SameStory => stats.same_story += 1,
            _ => {}
        }
    }
    ScanOutcome {
        matches,
        clustering,
        stats,
    }
}

/// Whether aligned sentences are mostly copied word for word (mean similarity at or
/// above [`VERBATIM_SENTENCES`]): a cut-and-paste copy whose passages the alignment
/// split, not a rewrite.
pub fn mostly_verbatim(sentences: &[crate::relation::SentencePair]) -> bool {
    !sentences.is_empty()
        && sentences.iter().map(|p| p.similarity).sum::<f32>() / sentences.len() as f32
            >= VERBATIM_SENTENCES
}

/// Mean sentence similarity from which aligned sentences count as copied rather than
/// reworded.
pub const VERBATIM_SENTENCES: f32 = 0.85;

/// How much more of a side its aligned sentences must cover than its verbatim passages
/// for a pair to be reported as a rewrite rather than a partial copy.
pub const CLEARLY_MORE: f32 = 0.2;

/// Whether a pair with verbatim passages (`verbatim`: `partial` or `passage`, covering
/// `copied` of its larger side) and a story match (`story`, its aligned sentences
/// covering `reworded`) is reported as the story relation: only when the sentences cover
/// clearly more than the passages and are not mostly copied word for word, and, for a
/// `partial` copy, only as a `rewrite` (independent versions do not share substantial
/// verbatim text). One rule for the scan and for `compare`.
pub fn story_outweighs_verbatim(
    verbatim: Relation,
    copied: f32,
    story: Relation,
    reworded: f32,
    sentences: &[crate::relation::SentencePair],
) -> bool {
    !((verbatim == Relation::Partial && story != Relation::Rewrite)
        || reworded < copied + CLEARLY_MORE
        || mostly_verbatim(sentences))
}

/// The match a pair with verbatim passages and a story match gets: the story link, with
/// the verbatim passages added to its evidence, when its sentences cover clearly more
/// than the passages do (for a `partial` copy, only a `rewrite` can: independent
/// versions do not share substantial verbatim text); `None` keeps the verbatim link.
fn upgrade_verbatim(verbatim: &Match, story: Match) -> Option<Match> {
    let p = verbatim.evidence.as_deref()?;
    let mut s = story.evidence?;
    let copied = p.coverage_a.max(p.coverage_b);
    let reworded = s.coverage_a.max(s.coverage_b);
    if !story_outweighs_verbatim(verbatim.kind, copied, story.kind, reworded, &s.sentences) {
        return None;
    }
    s.passages = p.passages.clone();
    Some(Match {
        evidence: Some(s),
        ..story
    })
}

/// Exact and near-duplicate matches and clusters only, from fingerprints (no passage
/// search, no second pass).
pub fn scan_duplicates(fingerprints: &[&Fingerprint], options: &MatchOptions) -> ScanOutcome {
    let (matches, stats) = find_duplicates(fingerprints, options);
    let clustering = cluster(fingerprints.len(), &matches);
    ScanOutcome {
        matches,
        clustering,
        stats,
    }
}
