//! Token alignment: which passages two token sequences share, and exactly where.
//!
//! MinHash and LSH ([`crate::fingerprint::minhash`], [`crate::candidates::lsh`]) say that two documents share a
//! lot of text; they cannot say *which* text, and they miss partial reuse (a wire story
//! cut to its first paragraphs, a paragraph lifted into a long feature, sentences pasted
//! into an essay with light edits). This module answers that question for one pair of
//! documents: [`align`] returns the [`Passage`]s the two sequences share, [`coverage`]
//! how much of each side they cover, and [`diff`] the token-level edit script inside a
//! passage, for highlighting.
//!
//! Everything works on sequences of token *hashes* ([`crate::normalise::text::Token::hash`]), so it
//! is independent of tokenisation; a passage's token ranges map back to byte offsets
//! through the tokens' spans. Case, punctuation and Unicode variants are folded by the
//! tokeniser already; what is left to tolerate here is substituted, inserted and deleted
//! words.
//!
//! # Seed and extend
//!
//! Aligning two whole documents with a dynamic program costs `O(n·m)`: 2 million cells
//! for a pair of news stories, far too slow for the thousands of candidate pairs per
//! second a scan verifies. Like BLAST and passim-style text-reuse tools, we align only
//! where exact *seeds* say there is something to align:
//!
//! 1. **Index.** Every `seed_len`-gram of `b` (a hash combining `seed_len` token hashes)
//!    goes into an open-addressing table, position lists in increasing order. A seed
//!    that occurs more than [`MAX_SEED_OCCURRENCES`] times in `b` is ignored: a very
//!    common word sequence ("one of the", or any of the grams of "la la la la") is a weak
//!    anchor, since it says nothing about *where* the reuse is, and it multiplies the work
//!    (every occurrence in `a` would pair with every occurrence in `b`). With the cap, a
//!    position of `a` yields at most `MAX_SEED_OCCURRENCES` anchors, so the anchor count
//!    is at most `MAX_SEED_OCCURRENCES × |a|` whatever the text.
//! 2. **Anchors.** Each position `i` of `a` whose seed is in the table gives an anchor
//!    `(i, j)` for each position `j` of that seed in `b`, generated in `(i, j)` order.
//! 3. **Chaining.** Anchors are linked into chains by a dynamic program over a bounded
//!    window, as long-read aligners do (minimap2's chaining): an anchor may follow an
//!    earlier one when both `i` and `j` increase, by at most `max_gap + seed_len` tokens
//!    on each side, with the diagonal (`j - i`) moving by at most `max_gap` (the
//!    inserted or deleted tokens between them). The score of a chain is the number of
//!    seed tokens it covers, minus the diagonal moves; each anchor keeps its best
//!    predecessor, ties going to the one with the smaller diagonal move and then to the
//!    nearest (a new chain is preferred when linking would gain nothing). Chains are
//!    then read back from the highest-scoring anchor down, each anchor used by one
//!    chain only. Choosing predecessors by score rather than greedily is what makes a
//!    chance seed match next to a passage harmless: the true continuation links *past*
//!    it, and it is left as a one-anchor chain that the length filter drops. Cost: each
//!    anchor looks at the anchors of the previous `max_gap + seed_len` positions of
//!    `a`, so `O(anchors × window)`, linear in the document length for a fixed window.
//! 4. **Alignment inside a chain.** Consecutive anchors of a chain are at most
//!    `max_gap` tokens apart on each side, so the tokens between them are aligned by an
//!    exact LCS dynamic program of at most `max_gap²` cells; the anchors' own tokens are
//!    matched diagonally. The result is the LCS of the passage constrained to pass
//!    through the chain's anchors (never more than the unconstrained LCS, equal to it
//!    whenever the edits are spaced like real light editing), in time linear in the
//!    passage length. `matched` counts the aligned pairs, and the passage is the span
//!    from the first aligned pair to the last, so it starts and ends on tokens equal on
//!    both sides.
//! 5. **Filter and select.** A passage is kept when its shorter side has at least
//!    `min_tokens` tokens and `similarity = 2·matched / (len_a + len_b)` reaches
//!    `min_similarity`. Kept passages are made disjoint on *both* sides greedily, most
//!    `matched` first (ties by position), so a paragraph of `a` printed twice in `b` is
//!    reported once (against its first copy) and every token belongs to at most one
//!    passage. A candidate overlapping a kept passage is dropped whole, not clipped:
//!    overlaps only arise between alternative alignments of the same text. The result
//!    is sorted by position in `a`.
//!
//! A pair of 1 000-token news stories sharing an edited half costs about 35 µs on one
//! core, an unrelated pair about 20 µs; two 50 000-token documents cost a few
//! milliseconds, whether unrelated (a few chance anchors, nothing beyond the table) or
//! copies (one long chain). Passages shorter than `seed_len` tokens can never be found
//! (they hold no seed). With the default thresholds (12 tokens, similarity 0.5), two
//! common 3-word phrases a few words apart can make a chance passage between unrelated
//! long texts (about one per 10⁹ pairs of positions in synthetic prose); callers who
//! report passages on their own may want a higher `min_tokens` or `min_similarity`.
//!
//! # Ignoring tokens: sentinels
//!
//! Callers that want some tokens never to match (boilerplate, a document's internal
//! repetition from [`crate::fingerprint::repeat`]) replace their hashes with *sentinels*, with
//! [`mask_tokens`]. A sentinel has a reserved 32-bit pattern in its high half and its
//! position in its low half: sentinels of one sequence are distinct from each other, and
//! every function here treats any hash with the reserved pattern as equal to nothing,
//! itself included ([`is_masked`]), so sentinels of two documents never match even at
//! the same position, and no seed containing one is indexed. A real token hash (xxh3-64)
//! falls into the reserved range with probability 2⁻³²; such a word would simply never
//! match (in a vocabulary of ten million distinct words, the chance that even one is
//! affected is 0.2%, and the effect is one unmatchable word), which we accept rather
//! than re-hash every token.
//!
//! # Reuse of buffers
//!
//! [`align`], [`diff`] and [`crate::fingerprint::repeat::find_repeats`] allocate their scratch space
//! on each call. Hot loops should keep one [`Aligner`] per thread and call its methods,
//! which reuse the same buffers; results are identical either way.

pub mod translation;
pub mod verify;

use std::collections::BTreeMap;
use std::ops::Range;

/// A seed (`seed_len`-gram) occurring more often than this in the indexed sequence is
/// not used as an anchor by [`align`]: too common to say where reuse is, and it would
/// multiply the work. ([`crate::fingerprint::repeat::find_repeats`] still uses its next occurrence.)
pub const MAX_SEED_OCCURRENCES: usize = 8;

/// High 32 bits of every sentinel written by [`mask_tokens`] (an arbitrary constant).
const SENTINEL_TAG: u64 = 0x6d5a_c3e1;

/// "No anchor" / "empty slot" marker in `u32` index fields.
const NONE: u32 = u32::MAX;

/// The largest dynamic-programming table [`diff`] fills in one go; beyond it, the tokens
/// between two anchors are only matched at their common ends (see [`diff`]).
const DIFF_GAP_CELL_LIMIT: usize = 1 << 16;

/// Parameters of [`align`] and [`crate::fingerprint::repeat::find_repeats`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignOptions {
    /// Length in tokens of the exact seeds that anchor an alignment (values below 1 are
    /// treated as 1). Shorter seeds find more heavily edited reuse but give more chance
    /// matches; 3 words rarely repeat by chance within a few words of each other.
    pub seed_len: usize,
    /// Most tokens skipped between two consecutive anchors of one passage, on either
    /// side; also the most the alignment may shift (insertions minus deletions) between
    /// them. A run of edits longer than this splits a passage in two.
    pub max_gap: usize,
    /// Minimum passage length in tokens, counted in the shorter side.
    pub min_tokens: usize,
    /// Minimum `2·matched / (len_a + len_b)` of a passage.
    pub min_similarity: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            seed_len: 3,
            max_gap: 8,
            min_tokens: 12,
            min_similarity: 0.5,
        }
    }
}

/// A passage shared by two token sequences.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Token range in `a`; `a[a.start]` and `a[a.end - 1]` are aligned to equal tokens.
    pub a: Range<usize>,
    /// Token range in `b`; `b[b.start]` and `b[b.end - 1]` are aligned to equal tokens.
    pub b: Range<usize>,
    /// Tokens aligned as identical (pairs of equal tokens, in order on both sides).
    pub matched: usize,
    /// `2·matched / (a.len() + b.len())`, in `(0, 1]`.
    pub similarity: f64,
}

/// Share of each side's tokens inside aligned pairs, from [`coverage`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// Matched tokens over `a`'s length.
    pub a: f64,
    /// Matched tokens over `b`'s length.
    pub b: f64,
}

/// One step of a token-level edit script, from [`diff`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffOp {
    /// `a[a]` equals `b[b]` token by token (the ranges have the same length).
    Equal { a: Range<usize>, b: Range<usize> },
    /// `a[a]` was replaced by `b[b]`; one of them may be empty (a deletion from `a` or an
    /// insertion into `b`).
    Replace { a: Range<usize>, b: Range<usize> },
}

/// How much work the last call of an [`Aligner`] method did; for tests and profiling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignStats {
    /// Seeds put in the table (positions of the indexed sequence, sentinels excluded).
    pub seeds_indexed: usize,
    /// Anchors found (bounded by `MAX_SEED_OCCURRENCES × len_a`).
    pub anchors: usize,
    /// Predecessor candidates examined while chaining (bounded by anchors × window).
    pub predecessor_checks: usize,
    /// Chains long enough to be aligned.
    pub chains_aligned: usize,
    /// Dynamic-programming cells filled between anchors.
    pub gap_cells: usize,
}

/// Whether `hash` is a sentinel (see [`mask_tokens`]): such a token equals nothing,
/// itself included, in every function of this module.
#[inline]
pub fn is_masked(hash: u64) -> bool {
    hash >> 32 == SENTINEL_TAG
}

/// The sentinel [`mask_tokens`] writes at `position` (positions are taken modulo 2³²;
/// they only make sentinels look distinct, since [`is_masked`] already makes them
/// unmatchable).
#[inline]
pub fn sentinel(position: usize) -> u64 {
    (SENTINEL_TAG << 32) | (position as u64 & 0xffff_ffff)
}

/// Replace `hashes[i]` with a sentinel wherever `masked[i]` is true, so that the token
/// is never aligned with anything, not even another sentinel (see the module
/// documentation for why they cannot collide with real hashes in practice). Positions
/// beyond the shorter of the two slices are left alone.
pub fn mask_tokens(hashes: &mut [u64], masked: &[bool]) {
    for (position, (hash, &is_masked)) in hashes.iter_mut().zip(masked).enumerate() {
        if is_masked {
            *hash = sentinel(position);
        }
    }
}

/// Number of tokens of `hashes` that are not sentinels: the length to pass to
/// [`coverage`] for a share of the unmasked text.
pub fn unmasked_len(hashes: &[u64]) -> usize {
    hashes.iter().filter(|&&h| !is_masked(h)).count()
}

/// Token equality as alignment sees it: equal hashes, neither a sentinel.
#[inline]
fn tokens_match(x: u64, y: u64) -> bool {
    x == y && !is_masked(x)
}

/// The passages `a` and `b` share, disjoint on both sides, sorted by `a.start`.
/// See the module documentation for the algorithm.
pub fn align(a: &[u64], b: &[u64], opts: &AlignOptions) -> Vec<Passage> {
    Aligner::new().align(a, b, opts)
}

/// Share of `a_len` and `b_len` covered by the passages' `matched` tokens, each in
/// `[0, 1]` (0 for an empty side). To leave masked tokens out of the denominator, pass
/// [`unmasked_len`] of each sequence.
pub fn coverage(passages: &[Passage], a_len: usize, b_len: usize) -> Coverage {
    let matched: usize = passages.iter().map(|p| p.matched).sum();
    let share = |len: usize| {
        if len == 0 {
            0.0
        } else {
            (matched as f64 / len as f64).min(1.0)
        }
    };
    Coverage {
        a: share(a_len),
        b: share(b_len),
    }
}

/// Token-level edit script turning `a` into `b`: `Equal` and `Replace` ops whose ranges,
/// concatenated in order, are exactly `0..a.len()` and `0..b.len()`. Consecutive `Equal`
/// ops are merged, and a `Replace` is never empty on both sides.
///
/// Meant for the two sides of a [`Passage`]. The common prefix and suffix are matched
/// first; what is left is aligned by an exact LCS when it fits in 65 536 cells (about
/// 256 × 256 tokens), otherwise through the longest increasing chain of seed anchors
/// (as in [`align`], seeds of 3 tokens) with exact LCS between consecutive anchors. A
/// stretch between anchors too large for the cell limit on its own is matched at its
/// common ends only, which only happens when the two sides have nothing in common over
/// hundreds of tokens. So the cost is bounded by the input sizes, never quadratic in a
/// long passage.
pub fn diff(a: &[u64], b: &[u64]) -> Vec<DiffOp> {
    Aligner::new().diff(a, b)
}

/// An exact seed match: `a[i..i + seed_len]` has the same seed hash as
/// `b[j..j + seed_len]`; `score` and `pred` are filled by chaining.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    i: u32,
    j: u32,
    score: u32,
    pred: u32,
}

/// Scratch space for alignment, reusable across calls (one per thread).
#[derive(Debug, Default)]
pub struct Aligner {
    seeds: SeedIndex,
    anchors: Vec<Anchor>,
    /// Anchor indices sorted for chain extraction (score desc, position asc), packed.
    order: Vec<u64>,
    used: Vec<bool>,
    chain: Vec<u32>,
    /// Aligned pairs `(i, j)` of the chain being processed, increasing on both sides.
    pairs: Vec<(u32, u32)>,
    dp: Vec<u32>,
    lis_tails: Vec<u32>,
    stats: AlignStats,
    /// What `seeds` holds, when a caller named it: `(key, length, seed length, seeds
    /// indexed)`. Candidate pairs come sorted by their first document, so consecutive
    /// alignments index the same sequence.
    indexed: Option<(u64, usize, usize, usize)>,
}

impl Aligner {
    /// An aligner with empty buffers; they grow to the largest input seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// Work done by the last call.
    pub fn stats(&self) -> AlignStats {
        self.stats
    }

    /// Same as [`align`], reusing this aligner's buffers.
    pub fn align(&mut self, a: &[u64], b: &[u64], opts: &AlignOptions) -> Vec<Passage> {
        let mut candidates = Vec::new();
        self.for_each_chain_alignment(a, b, false, opts, |pairs| {
            if let Some(passage) = passage_from_pairs(pairs, opts) {
                candidates.push(passage);
            }
        });
        select_disjoint(candidates)
    }

    /// Same as [`Aligner::align`], where `b_key` names `b`: when the previous keyed
    /// call indexed the same key (with the same length and seed length), `b`'s seed
    /// index is reused instead of rebuilt. Callers must give one key to one sequence;
    /// results are those of [`Aligner::align`] either way.
    pub fn align_keyed(
        &mut self,
        a: &[u64],
        b: &[u64],
        b_key: u64,
        opts: &AlignOptions,
    ) -> Vec<Passage> {
        self.align_seeded(Sequence::plain(a), Sequence::plain(b), b_key, opts)
    }

    /// [`Aligner::align_keyed`] over sequences that may carry their seed hashes
    /// ([`seed_hashes`], made once per document instead of once per pair); results
    /// are the same either way.
    pub fn align_seeded(
        &mut self,
        a: Sequence<'_>,
        b: Sequence<'_>,
        b_key: u64,
        opts: &AlignOptions,
    ) -> Vec<Passage> {
        let mut candidates = Vec::new();
        self.for_each_chain_alignment_keyed(a, b, Some(b_key), false, opts, |pairs| {
            if let Some(passage) = passage_from_pairs(pairs, opts) {
                candidates.push(passage);
            }
        });
        select_disjoint(candidates)
    }

    /// Same as [`diff`], reusing this aligner's buffers.
    pub fn diff(&mut self, a: &[u64], b: &[u64]) -> Vec<DiffOp> {
        self.stats = AlignStats::default();
        let prefix = common_prefix(a, b);
        let suffix = common_suffix(&a[prefix..], &b[prefix..]);
        let a_mid = &a[prefix..a.len() - suffix];
        let b_mid = &b[prefix..b.len() - suffix];
        self.pairs.clear();
        if !a_mid.is_empty() && !b_mid.is_empty() {
            let fits = a_mid
                .len()
                .checked_mul(b_mid.len())
                .is_some_and(|cells| cells <= DIFF_GAP_CELL_LIMIT);
            if fits {
                self.stats.gap_cells = align_gap(
                    a_mid,
                    b_mid,
                    0,
                    0,
                    &mut self.pairs,
                    &mut self.dp,
                    DIFF_GAP_CELL_LIMIT,
                );
            } else {
                self.diff_through_anchors(a_mid, b_mid);
            }
        }
        edit_script(&self.pairs, prefix, a.len(), b.len(), suffix)
    }

    /// `diff` of two long middles: longest increasing chain of seed anchors, then exact
    /// LCS between consecutive anchors (capped).
    fn diff_through_anchors(&mut self, a: &[u64], b: &[u64]) {
        const DIFF_SEED_LEN: usize = 3;
        // Pairs are u32, like every index here; longer middles stay one Replace.
        if a.len() >= NONE as usize || b.len() >= NONE as usize {
            return;
        }
        self.stats.seeds_indexed = self.seeds.build(Sequence::plain(b), DIFF_SEED_LEN);
        self.collect_anchors(Sequence::plain(a), DIFF_SEED_LEN, false);
        // Longest chain increasing in both i and j (patience LIS on j). Anchors come in
        // (i asc, j asc) order; visiting each i's anchors in decreasing j keeps two
        // anchors with the same i out of one chain.
        self.lis_tails.clear();
        let mut group_start = 0;
        while group_start < self.anchors.len() {
            let i = self.anchors[group_start].i;
            let mut group_end = group_start;
            while group_end < self.anchors.len() && self.anchors[group_end].i == i {
                group_end += 1;
            }
            for x in (group_start..group_end).rev() {
                let j = self.anchors[x].j;
                let anchors = &self.anchors;
                let pos = self
                    .lis_tails
                    .partition_point(|&t| anchors[t as usize].j < j);
                self.anchors[x].pred = if pos == 0 {
                    NONE
                } else {
                    self.lis_tails[pos - 1]
                };
                if pos == self.lis_tails.len() {
                    self.lis_tails.push(x as u32);
                } else {
                    self.lis_tails[pos] = x as u32;
                }
            }
            group_start = group_end;
        }
        self.chain.clear();
        let mut x = self.lis_tails.last().copied().unwrap_or(NONE);
        while x != NONE {
            self.chain.push(x);
            x = self.anchors[x as usize].pred;
        }
        self.chain.reverse();
        let anchors = &self.anchors;
        let route = self
            .chain
            .iter()
            .map(|&x| {
                (
                    anchors[x as usize].i as usize,
                    anchors[x as usize].j as usize,
                )
            })
            .chain(std::iter::once((a.len(), b.len())));
        self.stats.gap_cells = align_along_anchors(
            a,
            b,
            DIFF_SEED_LEN,
            Some((0, 0)),
            route,
            &mut self.pairs,
            &mut self.dp,
            DIFF_GAP_CELL_LIMIT,
        );
    }

    /// Steps 1–4 of the module documentation: index `b`, find anchors, chain them, and
    /// call `on_alignment` with the aligned pairs of each chain whose span reaches
    /// `min_tokens` on both sides, strongest chain first. With `self_alignment` (`a` and
    /// `b` the same sequence), only anchors with `j > i` are used: alignments of the
    /// sequence with a later part of itself (see [`Aligner::collect_anchors`]).
    pub(crate) fn for_each_chain_alignment<F: FnMut(&[(u32, u32)])>(
        &mut self,
        a: &[u64],
        b: &[u64],
        self_alignment: bool,
        opts: &AlignOptions,
        on_alignment: F,
    ) {
        self.for_each_chain_alignment_keyed(
            Sequence::plain(a),
            Sequence::plain(b),
            None,
            self_alignment,
            opts,
            on_alignment,
        );
    }

    fn for_each_chain_alignment_keyed<F: FnMut(&[(u32, u32)])>(
        &mut self,
        a_seq: Sequence<'_>,
        b_seq: Sequence<'_>,
        b_key: Option<u64>,
        self_alignment: bool,
        opts: &AlignOptions,
        mut on_alignment: F,
    ) {
        let (a, b) = (a_seq.hashes, b_seq.hashes);
        self.stats = AlignStats::default();
        // Indices are u32 (as are token byte offsets); longer sequences are not supported.
        if a.len() >= NONE as usize || b.len() >= NONE as usize {
            return;
        }
        let seed_len = opts.seed_len.max(1);
        let (a_seq, b_seq) = (a_seq.for_seed_len(seed_len), b_seq.for_seed_len(seed_len));
        match (b_key, self.indexed) {
            (Some(key), Some((k, len, sl, indexed)))
                if k == key && len == b.len() && sl == seed_len =>
            {
                self.stats.seeds_indexed = indexed;
            }
            _ => {
                self.stats.seeds_indexed = self.seeds.build(b_seq, seed_len);
                self.indexed = b_key.map(|key| (key, b.len(), seed_len, self.stats.seeds_indexed));
            }
        }
        self.collect_anchors(a_seq, seed_len, self_alignment);
        self.chain_anchors(seed_len, opts.max_gap);

        // Extraction order: best chain end first; ties by position (the anchor index
        // follows (i, j) order), so the result does not depend on anything else.
        self.order.clear();
        self.order.extend(
            self.anchors
                .iter()
                .enumerate()
                .map(|(x, anchor)| (u64::from(u32::MAX - anchor.score) << 32) | x as u64),
        );
        self.order.sort_unstable();
        self.used.clear();
        self.used.resize(self.anchors.len(), false);
        for &key in &self.order {
            let end = (key & 0xffff_ffff) as usize;
            if self.used[end] {
                continue;
            }
            // Walk back through predecessors; a chain stops where it meets an anchor a
            // stronger chain already took.
            self.chain.clear();
            let mut x = end as u32;
            while x != NONE && !self.used[x as usize] {
                self.used[x as usize] = true;
                self.chain.push(x);
                x = self.anchors[x as usize].pred;
            }
            self.chain.reverse();
            let (Some(&first), Some(&last)) = (self.chain.first(), self.chain.last()) else {
                continue;
            };
            let (first, last) = (self.anchors[first as usize], self.anchors[last as usize]);
            let span_a = (last.i - first.i) as usize + seed_len;
            let span_b = (last.j - first.j) as usize + seed_len;
            if span_a.min(span_b) < opts.min_tokens {
                continue;
            }
            self.stats.chains_aligned += 1;
            self.pairs.clear();
            let anchors = &self.anchors;
            let route = self.chain.iter().map(|&x| {
                (
                    anchors[x as usize].i as usize,
                    anchors[x as usize].j as usize,
                )
            });
            // Gaps between chained anchors are at most `max_gap` on each side, so no
            // cell limit is needed here.
            self.stats.gap_cells += align_along_anchors(
                a,
                b,
                seed_len,
                None,
                route,
                &mut self.pairs,
                &mut self.dp,
                usize::MAX,
            );
            if !self.pairs.is_empty() {
                on_alignment(&self.pairs);
            }
        }
    }

    /// Anchors `(i, j)` for every seed of `a` found (under the occurrence cap) in the
    /// index, in `(i, j)` order.
    ///
    /// In a self-alignment (`a` is the indexed sequence), `i` is itself on its seed's
    /// position list, so the later occurrences are simply the rest of the list after
    /// `i`; and a seed over the cap contributes its *next* occurrence only. That keeps
    /// the work linear (one anchor per position) while a passage repeated more often than
    /// the cap still chains each copy to the one before it; see [`crate::fingerprint::repeat`].
    fn collect_anchors(&mut self, a: Sequence<'_>, seed_len: usize, self_alignment: bool) {
        self.anchors.clear();
        if a.hashes.len() >= seed_len {
            for i in 0..=a.hashes.len() - seed_len {
                let Some(seed) = a.seed(i, seed_len) else {
                    continue;
                };
                let Some((head, count)) = self.seeds.lookup(seed) else {
                    continue;
                };
                let over_cap = count as usize > MAX_SEED_OCCURRENCES;
                let mut j = if self_alignment {
                    self.seeds.next.get(i).copied().unwrap_or(NONE)
                } else if over_cap {
                    NONE
                } else {
                    head
                };
                while j != NONE {
                    self.anchors.push(Anchor {
                        i: i as u32,
                        j,
                        score: 0,
                        pred: NONE,
                    });
                    j = if over_cap {
                        NONE
                    } else {
                        self.seeds.next[j as usize]
                    };
                }
            }
        }
        self.stats.anchors = self.anchors.len();
    }

    /// Chaining dynamic program (step 3): best predecessor and score of every anchor.
    fn chain_anchors(&mut self, seed_len: usize, max_gap: usize) {
        let seed_len = seed_len.min(u32::MAX as usize) as u32;
        let max_drift = max_gap.min(u32::MAX as usize) as u32;
        // Farthest a predecessor may be, in tokens, on either side.
        let reach = u64::from(max_drift) + u64::from(seed_len);
        let mut window_start = 0;
        let mut checks = 0usize;
        for x in 0..self.anchors.len() {
            let Anchor { i, j, .. } = self.anchors[x];
            while u64::from(self.anchors[window_start].i) + reach < u64::from(i) {
                window_start += 1;
            }
            // Starting a new chain here scores `seed_len`; a predecessor must beat it.
            let mut best_score = seed_len;
            let mut best_drift = 0;
            let mut best_pred = NONE;
            for p in (window_start..x).rev() {
                checks += 1;
                let prev = self.anchors[p];
                if prev.i >= i || prev.j >= j {
                    continue;
                }
                let (di, dj) = (i - prev.i, j - prev.j);
                if u64::from(dj) > reach {
                    continue;
                }
                let drift = di.abs_diff(dj);
                if drift > max_drift {
                    continue;
                }
                // New tokens this anchor covers beyond `prev`'s seed, minus the shift.
                let gain = seed_len.min(di).min(dj);
                let score = (prev.score + gain).saturating_sub(drift);
                if score > best_score || (score == best_score && drift < best_drift) {
                    best_score = score;
                    best_drift = drift;
                    best_pred = p as u32;
                }
            }
            self.anchors[x].score = best_score;
            self.anchors[x].pred = best_pred;
        }
        self.stats.predecessor_checks = checks;
    }
}

/// Hash of one seed (`window.len()` consecutive tokens), or `None` if it contains a
/// sentinel. Order-sensitive: each step is a bijection of the running value, so two
/// windows differing in one token never collide.
#[inline]
fn seed_hash(window: &[u64]) -> Option<u64> {
    let mut h: u64 = 0x243f_6a88_85a3_08d3;
    for &token in window {
        if is_masked(token) {
            return None;
        }
        h = (h ^ token)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    Some(h)
}

/// What [`seed_hashes`] stores for a window holding a sentinel (no seed there).
const NO_SEED: u64 = u64::MAX;

/// The seed hash of every window of `seed_len` tokens of `hashes` (one per start
/// position, [`NO_SEED`] where a window holds a sentinel). A document aligned against
/// many others computes them once instead of once per pair.
pub fn seed_hashes(hashes: &[u64], seed_len: usize) -> Vec<u64> {
    let seed_len = seed_len.max(1);
    if hashes.len() < seed_len {
        return Vec::new();
    }
    hashes
        .windows(seed_len)
        // A real seed equal to the marker moves next to it: one value in 2^64.
        .map(|w| seed_hash(w).map_or(NO_SEED, |h| h.min(NO_SEED - 1)))
        .collect()
}

/// A token sequence to align, with its seed hashes when they were made beforehand
/// ([`seed_hashes`], for one seed length).
#[derive(Debug, Clone, Copy)]
pub struct Sequence<'a> {
    pub hashes: &'a [u64],
    /// `(seed length, seed hashes)`.
    pub seeds: Option<(usize, &'a [u64])>,
}

impl<'a> Sequence<'a> {
    /// A sequence whose seeds are hashed as they are needed.
    pub fn plain(hashes: &'a [u64]) -> Self {
        Sequence {
            hashes,
            seeds: None,
        }
    }

    /// The sequence for seeds of `seed_len` tokens: its seed hashes are kept only when
    /// they were made for that length and fit the tokens (checked once per alignment,
    /// not per position).
    fn for_seed_len(self, seed_len: usize) -> Self {
        let fits = |&(len, seeds): &(usize, &[u64])| {
            len == seed_len && seeds.len() + len == self.hashes.len() + 1
        };
        Sequence {
            seeds: self.seeds.filter(fits),
            ..self
        }
    }

    /// The seed at position `i` (`i + seed_len <= hashes.len()`); `seed_len` must be
    /// the one given to [`Sequence::for_seed_len`].
    #[inline]
    fn seed(&self, i: usize, seed_len: usize) -> Option<u64> {
        match self.seeds {
            Some((_, seeds)) => {
                let seed = seeds[i];
                (seed != NO_SEED).then_some(seed)
            }
            None => seed_hash(&self.hashes[i..i + seed_len]).map(|h| h.min(NO_SEED - 1)),
        }
    }
}

/// Open-addressing table from seed hash to the positions where it occurs (a linked list
/// through `next`, in increasing order) and their count.
#[derive(Debug, Default)]
struct SeedIndex {
    slots: Vec<SeedSlot>,
    /// One bit per seed, set for every seed in the table (about 16 bits per indexed
    /// position, so ~6% of absent seeds pass): most probes of an alignment are seeds the
    /// other side does not have, and a bit test answers them without walking the table's
    /// probe sequence, whose unpredictable length dominated the aligner's time.
    filter: Vec<u64>,
    filter_shift: u32,
    /// `next[j]`: the next position after `j` with the same seed, or `NONE`.
    next: Vec<u32>,
    shift: u32,
}

#[derive(Debug, Clone, Copy)]
struct SeedSlot {
    seed: u64,
    head: u32,
    count: u32,
}

const EMPTY_SLOT: SeedSlot = SeedSlot {
    seed: 0,
    head: NONE,
    count: 0,
};

impl SeedIndex {
    /// Index every seed of `seq`; returns how many positions were indexed.
    fn build(&mut self, seq: Sequence<'_>, seed_len: usize) -> usize {
        let positions = if seq.hashes.len() >= seed_len {
            seq.hashes.len() - seed_len + 1
        } else {
            0
        };
        // Load factor at most 1/2, so probes are short and an empty slot always exists.
        let capacity = (positions * 2).next_power_of_two().max(16);
        self.shift = 64 - capacity.trailing_zeros();
        let filter_bits = capacity * 8;
        self.filter_shift = 64 - filter_bits.trailing_zeros();
        self.filter.clear();
        self.filter.resize(filter_bits / 64, 0);
        self.slots.clear();
        self.slots.resize(capacity, EMPTY_SLOT);
        self.next.clear();
        self.next.resize(positions, NONE);
        let mut indexed = 0;
        // Backwards, so that each list ends up in increasing position order.
        for j in (0..positions).rev() {
            let Some(seed) = seq.seed(j, seed_len) else {
                continue;
            };
            let slot_index = self.slot_of(seed);
            let slot = &mut self.slots[slot_index];
            slot.seed = seed;
            self.next[j] = slot.head;
            slot.head = j as u32;
            slot.count += 1;
            let bit = self.filter_bit(seed);
            self.filter[bit >> 6] |= 1 << (bit & 63);
            indexed += 1;
        }
        indexed
    }

    /// The slot holding `seed`, or the empty slot where it would go.
    #[inline]
    fn slot_of(&self, seed: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut s =
            ((seed ^ (seed >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> self.shift) as usize;
        loop {
            let slot = &self.slots[s];
            if slot.head == NONE || slot.seed == seed {
                return s;
            }
            s = (s + 1) & mask;
        }
    }

    /// The filter bit of `seed` (a different mix from [`SeedIndex::slot_of`]'s).
    #[inline]
    fn filter_bit(&self, seed: u64) -> usize {
        (seed.wrapping_mul(0x94d0_49bb_1331_11eb) >> self.filter_shift) as usize
    }

    /// First position and number of occurrences of `seed`, if any.
    #[inline]
    fn lookup(&self, seed: u64) -> Option<(u32, u32)> {
        let bit = self.filter_bit(seed);
        if self
            .filter
            .get(bit >> 6)
            .is_none_or(|w| w & (1 << (bit & 63)) == 0)
        {
            return None;
        }
        let slot = self.slots[self.slot_of(seed)];
        (slot.head != NONE).then_some((slot.head, slot.count))
    }
}

/// Align `a` and `b` along `route`, a sequence of seed anchors `(i, j)` increasing on
/// both sides: the anchors' tokens are matched diagonally (an anchor overlapping the
/// previous one only contributes its new tokens) and the tokens between consecutive
/// anchors by [`align_gap`]. With a `start`, the stretch from it to the first anchor is
/// aligned too, and a final `(a.len(), b.len())` element of `route` aligns the tail
/// after the last anchor (it matches nothing itself). Appends pairs to `pairs`; returns
/// the DP cells used.
#[allow(clippy::too_many_arguments)]
fn align_along_anchors(
    a: &[u64],
    b: &[u64],
    seed_len: usize,
    start: Option<(usize, usize)>,
    route: impl Iterator<Item = (usize, usize)>,
    pairs: &mut Vec<(u32, u32)>,
    dp: &mut Vec<u32>,
    gap_cell_limit: usize,
) -> usize {
    let mut cursor = start;
    let mut cells = 0;
    for (i, j) in route {
        let (pa, pb) = cursor.unwrap_or((i, j));
        // Skip the part of this anchor that the previous one already covered.
        let skip = pa.saturating_sub(i).max(pb.saturating_sub(j));
        let (si, sj) = (i + skip, j + skip);
        cells += align_gap(&a[pa..si], &b[pb..sj], pa, pb, pairs, dp, gap_cell_limit);
        let end_i = (i + seed_len).min(a.len());
        let end_j = (j + seed_len).min(b.len());
        let (mut x, mut y) = (si, sj);
        while x < end_i && y < end_j {
            if tokens_match(a[x], b[y]) {
                pairs.push((x as u32, y as u32));
            }
            x += 1;
            y += 1;
        }
        cursor = Some((x.max(pa), y.max(pb)));
    }
    cells
}

/// Exact LCS of two short stretches, appended to `pairs` with offsets `a_off`, `b_off`.
/// The common prefix and suffix are matched directly; the middle by a DP table if it has
/// at most `cell_limit` cells, else left unmatched. Returns the cells used.
fn align_gap(
    a: &[u64],
    b: &[u64],
    a_off: usize,
    b_off: usize,
    pairs: &mut Vec<(u32, u32)>,
    dp: &mut Vec<u32>,
    cell_limit: usize,
) -> usize {
    let prefix = common_prefix(a, b);
    for t in 0..prefix {
        pairs.push(((a_off + t) as u32, (b_off + t) as u32));
    }
    let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
    let suffix = common_suffix(a_rest, b_rest);
    let a_mid = &a_rest[..a_rest.len() - suffix];
    let b_mid = &b_rest[..b_rest.len() - suffix];
    let (n, m) = (a_mid.len(), b_mid.len());
    let mut cells = 0;
    if n > 0 && m > 0 && n.checked_mul(m).is_some_and(|c| c <= cell_limit) {
        // dp[x * w + y] = LCS length of a_mid[x..] and b_mid[y..].
        let w = m + 1;
        cells = (n + 1) * w;
        dp.clear();
        dp.resize(cells, 0);
        for x in (0..n).rev() {
            for y in (0..m).rev() {
                dp[x * w + y] = if tokens_match(a_mid[x], b_mid[y]) {
                    dp[(x + 1) * w + y + 1] + 1
                } else {
                    dp[(x + 1) * w + y].max(dp[x * w + y + 1])
                };
            }
        }
        // Matching equal tokens as soon as they meet is always optimal for LCS.
        let (mut x, mut y) = (0, 0);
        while x < n && y < m {
            if tokens_match(a_mid[x], b_mid[y]) {
                pairs.push(((a_off + prefix + x) as u32, (b_off + prefix + y) as u32));
                x += 1;
                y += 1;
            } else if dp[(x + 1) * w + y] >= dp[x * w + y + 1] {
                x += 1;
            } else {
                y += 1;
            }
        }
    }
    for t in 0..suffix {
        pairs.push((
            (a_off + prefix + n + t) as u32,
            (b_off + prefix + m + t) as u32,
        ));
    }
    cells
}

fn common_prefix(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .zip(b)
        .take_while(|&(&x, &y)| tokens_match(x, y))
        .count()
}

fn common_suffix(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|&(&x, &y)| tokens_match(x, y))
        .count()
}

/// The passage spanned by a chain's aligned pairs, if it passes the filters.
fn passage_from_pairs(pairs: &[(u32, u32)], opts: &AlignOptions) -> Option<Passage> {
    let (&(first_i, first_j), &(last_i, last_j)) = (pairs.first()?, pairs.last()?);
    let a = first_i as usize..last_i as usize + 1;
    let b = first_j as usize..last_j as usize + 1;
    let matched = pairs.len();
    let similarity = 2.0 * matched as f64 / (a.len() + b.len()) as f64;
    (a.len().min(b.len()) >= opts.min_tokens && similarity >= opts.min_similarity).then_some(
        Passage {
            a,
            b,
            matched,
            similarity,
        },
    )
}

/// Greedy selection of passages disjoint on both sides: most `matched` first, ties by
/// position; returned sorted by `a.start`.
fn select_disjoint(mut candidates: Vec<Passage>) -> Vec<Passage> {
    candidates.sort_by(|x, y| {
        y.matched
            .cmp(&x.matched)
            .then(x.a.start.cmp(&y.a.start))
            .then(x.b.start.cmp(&y.b.start))
            .then(x.a.end.cmp(&y.a.end))
            .then(x.b.end.cmp(&y.b.end))
    });
    let mut taken_a = RangeSet::default();
    let mut taken_b = RangeSet::default();
    let mut kept = Vec::new();
    for passage in candidates {
        if !taken_a.overlaps(&passage.a) && !taken_b.overlaps(&passage.b) {
            taken_a.insert(&passage.a);
            taken_b.insert(&passage.b);
            kept.push(passage);
        }
    }
    kept.sort_by_key(|p| (p.a.start, p.b.start));
    kept
}

/// A set of disjoint non-empty ranges, for overlap tests in `O(log n)`.
#[derive(Debug, Default)]
pub(crate) struct RangeSet {
    /// start -> end
    ranges: BTreeMap<usize, usize>,
}

impl RangeSet {
    pub(crate) fn overlaps(&self, r: &Range<usize>) -> bool {
        // The ranges are disjoint, so among those starting before `r.end`, the last one
        // reaches furthest; `r` overlaps the set iff it overlaps that one.
        self.ranges
            .range(..r.end)
            .next_back()
            .is_some_and(|(_, &end)| end > r.start)
    }

    pub(crate) fn insert(&mut self, r: &Range<usize>) {
        self.ranges.insert(r.start, r.end);
    }
}

/// Turn aligned pairs of the middle (offset by `prefix`) into the full edit script.
fn edit_script(
    pairs: &[(u32, u32)],
    prefix: usize,
    a_len: usize,
    b_len: usize,
    suffix: usize,
) -> Vec<DiffOp> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (0, 0);
    let matched = (0..prefix)
        .map(|t| (t, t))
        .chain(
            pairs
                .iter()
                .map(|&(i, j)| (i as usize + prefix, j as usize + prefix)),
        )
        .chain((0..suffix).map(|t| (a_len - suffix + t, b_len - suffix + t)));
    for (i, j) in matched {
        if i > x || j > y {
            ops.push(DiffOp::Replace { a: x..i, b: y..j });
        }
        match ops.last_mut() {
            Some(DiffOp::Equal { a, b }) if a.end == i && b.end == j => {
                a.end += 1;
                b.end += 1;
            }
            _ => ops.push(DiffOp::Equal {
                a: i..i + 1,
                b: j..j + 1,
            }),
        }
        (x, y) = (i + 1, j + 1);
    }
    if x < a_len || y < b_len {
        ops.push(DiffOp::Replace {
            a: x..a_len,
            b: y..b_len,
        });
    }
    ops
}

#[cfg(test)]
mod seed_index_tests {
    use super::*;

    /// Seeds hashed once per document (with sentinels and a seed length that does not
    /// match, which falls back to hashing) give the passages of seeds hashed per pair.
    #[test]
    fn precomputed_seeds_align_as_plain_sequences() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let opts = AlignOptions {
            min_tokens: 10,
            min_similarity: 0.7,
            ..AlignOptions::default()
        };
        let mut compared = 0;
        for round in 0..40 {
            // Words from a small vocabulary, so seeds recur; b copies two stretches of a
            // with edits, and both carry masked tokens.
            let mut a: Vec<u64> = (0..300).map(|_| next() % 60 + 1).collect();
            let mut b: Vec<u64> = (0..200).map(|_| next() % 60 + 1).collect();
            b[20..80].copy_from_slice(&a[100..160]);
            b[120..170].copy_from_slice(&a[10..60]);
            b[140] = 999;
            let mut masked = vec![false; a.len()];
            masked[110..114].iter_mut().for_each(|m| *m = true);
            mask_tokens(&mut a, &masked);
            let mut masked = vec![false; b.len()];
            masked[round % 150..round % 150 + 3]
                .iter_mut()
                .for_each(|m| *m = true);
            mask_tokens(&mut b, &masked);
            let plain = Aligner::new().align_keyed(&a, &b, 7, &opts);
            let (sa, sb) = (seed_hashes(&a, 3), seed_hashes(&b, 3));
            let seeded = Aligner::new().align_seeded(
                Sequence {
                    hashes: &a,
                    seeds: Some((3, &sa)),
                },
                Sequence {
                    hashes: &b,
                    seeds: Some((3, &sb)),
                },
                7,
                &opts,
            );
            assert_eq!(plain, seeded);
            let other_length = Aligner::new().align_seeded(
                Sequence {
                    hashes: &a,
                    seeds: Some((4, &seed_hashes(&a, 4))),
                },
                Sequence::plain(&b),
                7,
                &opts,
            );
            assert_eq!(plain, other_length, "seeds of another length are not used");
            compared += plain.len();
        }
        assert!(compared >= 40, "the rounds must find passages ({compared})");
        assert_eq!(seed_hashes(&[1, 2], 3), Vec::<u64>::new());
        assert_eq!(
            seed_hashes(&[1, sentinel(1), 3, 4], 2)[..2],
            [NO_SEED, NO_SEED]
        );
    }

    /// The filter in front of the table may let absent seeds through to the table, but
    /// must never turn away a seed that is there: every indexed seed is found, with its
    /// first position and count, and most absent seeds are answered by the filter alone.
    #[test]
    fn the_filter_never_hides_an_indexed_seed() {
        let seq: Vec<u64> = (0..5000u64)
            .map(|i| (i % 1777).wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let mut index = SeedIndex::default();
        assert_eq!(index.build(Sequence::plain(&seq), 3), seq.len() - 2);
        for j in 0..seq.len() - 2 {
            let seed = seed_hash(&seq[j..j + 3]).expect("no sentinel");
            let (head, count) = index.lookup(seed).expect("indexed seed found");
            assert_eq!(head as usize, j % 1777);
            assert_eq!(
                count as usize,
                (seq.len() - 2 - head as usize).div_ceil(1777)
            );
        }
        let absent: Vec<u64> = (0..10_000u64)
            .map(|i| seed_hash(&[i, i + 1, u64::MAX - i]).expect("no sentinel"))
            .collect();
        let passed = absent
            .iter()
            .filter(|&&seed| {
                let bit = index.filter_bit(seed);
                index.filter[bit >> 6] & (1 << (bit & 63)) != 0
            })
            .count();
        assert!(
            passed < 1000,
            "{passed} of 10000 absent seeds passed the filter"
        );
        assert!(absent.iter().all(|&seed| index.lookup(seed).is_none()));
    }
}
