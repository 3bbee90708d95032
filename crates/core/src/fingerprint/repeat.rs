//! Internal repetition: passages of a document that recur later in the same document.
//!
//! Scraped pages and feeds often print a story's text twice (a teaser then the full
//! article, every section twice with its heading, a print and a screen version), or
//! repeat a paragraph. Left alone, this inflates a document's share of any passage
//! it repeats and lets one source paragraph match twice. [`find_repeats`] reports each
//! later copy once; [`repeat_mask`] marks the copies so a caller can replace their
//! hashes with sentinels ([`crate::align::mask_tokens`]) and align only the first
//! occurrences.
//!
//! # Self-alignment
//!
//! This is [`crate::align`]'s seed-and-extend run on the document against itself, with
//! two changes. Only anchors `(i, j)` with `j > i` are used (a later position repeating
//! an earlier one), so the trivial alignment of every token with itself never forms.
//! And a seed occurring more than [`crate::align::MAX_SEED_OCCURRENCES`] times is not
//! dropped but anchors each occurrence to the *next* one only: a disclaimer printed
//! twenty times is then found as nineteen copies, each of the one before, while the
//! work stays at one anchor per position (all pairs of occurrences would be quadratic).
//! The same chaining, gap alignment and `min_tokens` / `min_similarity` filters apply,
//! so a copy with small edits (a changed word, a dropped one) is found like an exact
//! one.
//!
//! # A copy never overlaps its first occurrence
//!
//! An alignment of a text with a shifted version of itself can overlap itself:
//! periodic text ("la la la la …", a 20-word chant sung four times) aligns with itself
//! at a shift of one period over its whole length, so that "first" and "copy" would
//! share most of their tokens. We cut every chain's aligned pairs into consecutive
//! *pieces*: a piece starts at a pair `(i₀, j₀)` and takes the following pairs while
//! their `i` is still before `j₀`, so the first occurrence ends before the copy begins.
//! Periodic text of period `p`, aligned at a shift of one period, thus gives pieces
//! one period long: the first period is the original, each later one a copy of the one
//! before (alignments at larger shifts give longer pieces, which win when they fit). Each piece is filtered
//! separately, so a word or phrase shorter than `min_tokens` repeated over and over
//! ("la la la la …") gives pieces too short to report: filler, not a repeated passage.
//!
//! # One report per copy
//!
//! Candidates are chosen greedily, most aligned tokens first, then earliest copy, then
//! earliest first occurrence; a candidate is kept if its copy does not overlap a copy
//! already kept. A first occurrence may itself be another repeat's copy: with three
//! copies `S S S`, the second is reported as a copy of the first and the third as a
//! copy of the first as well (the earliest source wins ties), and the mask keeps only
//! the first. Results are sorted by `copy.start`.

use std::ops::Range;

use crate::align::{AlignOptions, Aligner, RangeSet};

/// A passage that recurs later in the same document.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeat {
    /// The earlier occurrence (token range).
    pub first: Range<usize>,
    /// The later occurrence; `copy.start >= first.end`. Starts and ends on tokens equal
    /// to the corresponding ones of `first`.
    pub copy: Range<usize>,
    /// `2·matched / (first.len() + copy.len())`, as for [`crate::align::Passage`].
    pub similarity: f64,
}

/// The later copies of repeated passages in `hashes`, disjoint, sorted by `copy.start`.
/// See the module documentation.
pub fn find_repeats(hashes: &[u64], opts: &AlignOptions) -> Vec<Repeat> {
    Aligner::new().find_repeats(hashes, opts)
}

/// `true` for every token inside some repeat's `copy` (the first occurrence stays
/// content); ranges beyond `len` are clipped.
pub fn repeat_mask(repeats: &[Repeat], len: usize) -> Vec<bool> {
    let mut mask = vec![false; len];
    for repeat in repeats {
        let copy = repeat.copy.start.min(len)..repeat.copy.end.min(len);
        mask[copy].fill(true);
    }
    mask
}

/// A repeat with the number of aligned tokens that ranks it.
struct Candidate {
    repeat: Repeat,
    matched: usize,
}

impl Aligner {
    /// Same as [`find_repeats`], reusing this aligner's buffers.
    pub fn find_repeats(&mut self, hashes: &[u64], opts: &AlignOptions) -> Vec<Repeat> {
        let mut candidates = Vec::new();
        self.for_each_chain_alignment(hashes, hashes, true, opts, |pairs| {
            split_into_pieces(pairs, opts, &mut candidates)
        });
        candidates.sort_by(|x, y| {
            y.matched
                .cmp(&x.matched)
                .then(x.repeat.copy.start.cmp(&y.repeat.copy.start))
                .then(x.repeat.first.start.cmp(&y.repeat.first.start))
                .then(x.repeat.copy.end.cmp(&y.repeat.copy.end))
                .then(x.repeat.first.end.cmp(&y.repeat.first.end))
        });
        let mut copies = RangeSet::default();
        let mut kept = Vec::new();
        for candidate in candidates {
            if !copies.overlaps(&candidate.repeat.copy) {
                copies.insert(&candidate.repeat.copy);
                kept.push(candidate.repeat);
            }
        }
        kept.sort_by_key(|r| (r.copy.start, r.first.start));
        kept
    }
}

/// Cut a self-alignment's pairs (increasing on both sides) into pieces whose first
/// occurrence ends before their copy starts, and keep those passing the filters.
fn split_into_pieces(pairs: &[(u32, u32)], opts: &AlignOptions, out: &mut Vec<Candidate>) {
    let mut start = 0;
    while let Some(&(first_start, copy_start)) = pairs.get(start) {
        if first_start >= copy_start {
            // A token cannot be a copy of itself or of a later token.
            start += 1;
            continue;
        }
        let len = pairs[start..]
            .iter()
            .take_while(|&&(i, _)| i < copy_start)
            .count();
        let piece = &pairs[start..start + len];
        start += len;
        let Some(&(first_last, copy_last)) = piece.last() else {
            continue;
        };
        let first = first_start as usize..first_last as usize + 1;
        let copy = copy_start as usize..copy_last as usize + 1;
        let matched = piece.len();
        let similarity = 2.0 * matched as f64 / (first.len() + copy.len()) as f64;
        if first.len().min(copy.len()) >= opts.min_tokens && similarity >= opts.min_similarity {
            out.push(Candidate {
                repeat: Repeat {
                    first,
                    copy,
                    similarity,
                },
                matched,
            });
        }
    }
}
