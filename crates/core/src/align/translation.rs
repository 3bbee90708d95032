//! Sentence alignment across languages: which sentences of two texts say the same
//! thing, from sentence vectors of a multilingual encoder (`reprint-encoder`).
//!
//! A translation shares no words with its original, so token alignment ([`super::align`])
//! sees nothing; a multilingual encoder maps a sentence and its translation to nearby
//! vectors. Nearby is not enough, though: two articles on one topic have sentences that
//! are all fairly close (measured with multilingual-e5-small on team-written news:
//! translation 0.93, another sentence of the same topic 0.85, another topic 0.79). Two
//! tests make a pair:
//!
//! - **Margin.** A sentence and its translation are closer to each other than to the
//!   other sentences around them (the ratio margin of bitext mining, Artetxe and Schwenk
//!   2019): `cos(x, y)` divided by the mean of the mean similarity of `x` to its `k`
//!   nearest sentences of the other text and of `y` to its own. Same-topic sentences
//!   have no such standout partner.
//! - **Order.** Translations keep the order of sentences, give or take a merge: the
//!   pairs kept are the best-scoring chain increasing on both sides (a dynamic program
//!   over the `n·m` sentence grid, cheap at the tens of sentences of an article).
//!
//! Coverage is the share of each side's characters in aligned sentences, as for
//! verbatim passages. This module decides nothing about documents: the caller judges a
//! translation from the coverage, with the language of each side.
//!
//! The encoder is not called here (no model in the core): callers pass the vectors of
//! [`sentences`]' sentences, in order.

use crate::normalise::text::{tokenize, TextOptions, Token};
use crate::relation::{CharSpan, SentencePair};

/// Settings of [`align_sentences`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TranslationOptions {
    /// Lowest cosine of an aligned pair.
    pub min_cosine: f32,
    /// Lowest ratio margin of an aligned pair.
    pub min_margin: f32,
    /// Neighbours averaged in the margin's denominator.
    pub neighbours: usize,
}

impl Default for TranslationOptions {
    fn default() -> Self {
        // Set on the team-written fixtures of `crates/encoder/tests/translation.rs`:
        // every sentence of a translation and of its light rewrite aligns (cosines
        // 0.88-0.96); of two same-topic articles, 0 of 7 and 1 of 7 sentences align
        // (coverage at most 0.20). A handful of texts: to be refitted on a larger
        // labelled set before scans rely on it.
        TranslationOptions {
            min_cosine: 0.84,
            min_margin: 1.04,
            neighbours: 3,
        }
    }
}

/// The sentences of `text`, as byte ranges (start of the first word to the end of the
/// last), cut as the story stage cuts them.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut tokens: Vec<Token> = Vec::new();
    tokenize(text, &TextOptions::default(), &mut tokens);
    crate::story::sentence_token_ranges(text, &tokens)
        .into_iter()
        .map(|r| {
            (
                tokens[r.start].start as usize,
                tokens[r.end - 1].end as usize,
            )
        })
        .collect()
}

/// Sentences of two texts aligned by meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceAlignment {
    /// `(sentence of a, sentence of b, cosine)`, increasing on both sides.
    pub pairs: Vec<(usize, usize, f32)>,
    /// Share of `a`'s sentence characters in aligned sentences.
    pub coverage_a: f32,
    /// Share of `b`'s sentence characters in aligned sentences.
    pub coverage_b: f32,
}

impl SentenceAlignment {
    /// The pairs as evidence: character spans in each text (`sentences_a` and
    /// `sentences_b` are the byte ranges the vectors were made from).
    pub fn evidence(
        &self,
        text_a: &str,
        sentences_a: &[(usize, usize)],
        text_b: &str,
        sentences_b: &[(usize, usize)],
    ) -> Vec<SentencePair> {
        let span = |text: &str, (start, end): (usize, usize)| CharSpan {
            start: text[..start].chars().count() as u32,
            end: text[..end].chars().count() as u32,
        };
        self.pairs
            .iter()
            .map(|&(i, j, cosine)| SentencePair {
                a: span(text_a, sentences_a[i]),
                b: span(text_b, sentences_b[j]),
                similarity: cosine,
            })
            .collect()
    }
}

/// Lowest coverage of each side for [`is_translation`].
pub const MIN_TRANSLATION_COVERAGE: f32 = 0.5;

/// Whether an alignment makes the two texts versions of one text across languages:
/// at least two sentence pairs covering half of each side. (Two same-topic articles
/// align a sentence or two at most; a translation aligns nearly all of them.)
pub fn is_translation(alignment: &SentenceAlignment) -> bool {
    alignment.pairs.len() >= 2
        && alignment.coverage_a >= MIN_TRANSLATION_COVERAGE
        && alignment.coverage_b >= MIN_TRANSLATION_COVERAGE
}

fn dot(x: &[f32], y: &[f32]) -> f32 {
    x.iter().zip(y).map(|(p, q)| p * q).sum()
}

/// Mean of the `k` largest values of `row` (all of them when fewer).
fn mean_of_top(row: impl Iterator<Item = f32>, k: usize) -> f32 {
    let mut values: Vec<f32> = row.collect();
    values.sort_unstable_by(|p, q| q.total_cmp(p));
    values.truncate(k.max(1));
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f32>() / values.len() as f32
}

/// Aligns the sentences of `a` and `b` from their unit vectors (`a[i]`: sentence `i`),
/// weighting coverage by `lengths_a`/`lengths_b` (characters of each sentence).
pub fn align_sentences(
    a: &[Vec<f32>],
    b: &[Vec<f32>],
    lengths_a: &[usize],
    lengths_b: &[usize],
    options: &TranslationOptions,
) -> SentenceAlignment {
    let (n, m) = (a.len(), b.len());
    let cos: Vec<f32> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| dot(x, y)))
        .collect();
    let at = |i: usize, j: usize| cos[i * m + j];
    let k = options.neighbours;
    let near_a: Vec<f32> = (0..n)
        .map(|i| mean_of_top((0..m).map(|j| at(i, j)), k))
        .collect();
    let near_b: Vec<f32> = (0..m)
        .map(|j| mean_of_top((0..n).map(|i| at(i, j)), k))
        .collect();
    // A pair's gain: how far it clears the margin, or nothing when it fails a test.
    let gain = |i: usize, j: usize| -> f32 {
        let c = at(i, j);
        let denominator = (near_a[i] + near_b[j]) / 2.0;
        if c < options.min_cosine || denominator <= 0.0 {
            return 0.0;
        }
        let margin = c / denominator;
        if margin < options.min_margin {
            0.0
        } else {
            margin - options.min_margin + 1e-3
        }
    };
    // Best monotone chain: score[i][j] over the first i sentences of a and j of b.
    let mut score = vec![0f32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in 1..=n {
        for j in 1..=m {
            let take = score[idx(i - 1, j - 1)] + gain(i - 1, j - 1);
            let skip = score[idx(i - 1, j)].max(score[idx(i, j - 1)]);
            score[idx(i, j)] = take.max(skip);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let g = gain(i - 1, j - 1);
        if g > 0.0 && score[idx(i, j)] == score[idx(i - 1, j - 1)] + g {
            pairs.push((i - 1, j - 1, at(i - 1, j - 1)));
            i -= 1;
            j -= 1;
        } else if score[idx(i - 1, j)] >= score[idx(i, j - 1)] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    let share = |lengths: &[usize], aligned: &mut dyn Iterator<Item = usize>| -> f32 {
        let total: usize = lengths.iter().sum();
        if total == 0 {
            return 0.0;
        }
        aligned.map(|s| lengths[s]).sum::<usize>() as f32 / total as f32
    };
    SentenceAlignment {
        coverage_a: share(lengths_a, &mut pairs.iter().map(|p| p.0)),
        coverage_b: share(lengths_b, &mut pairs.iter().map(|p| p.1)),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / norm).collect()
    }

    #[test]
    fn sentences_are_cut_as_the_story_stage_cuts_them() {
        let text = "Il y avait 51.400 manifestants. Le soir, la pluie est tombée!\nFin";
        let cut: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            cut,
            [
                "Il y avait 51.400 manifestants",
                "Le soir, la pluie est tombée",
                "Fin"
            ]
        );
    }

    #[test]
    fn standout_pairs_align_in_order_and_flat_similarity_aligns_nothing() {
        // Three sentences each; a's i-th is close to b's i-th, the rest are middling.
        let a: Vec<Vec<f32>> = (0..3)
            .map(|i| {
                unit(&[
                    (i == 0) as u8 as f32 + 0.6,
                    (i == 1) as u8 as f32 + 0.6,
                    (i == 2) as u8 as f32 + 0.6,
                ])
            })
            .collect();
        let b = a.clone();
        let options = TranslationOptions {
            min_cosine: 0.5,
            min_margin: 1.05,
            neighbours: 2,
        };
        let aligned = align_sentences(&a, &b, &[10, 20, 30], &[10, 20, 30], &options);
        assert_eq!(
            aligned.pairs.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
            [(0, 0), (1, 1), (2, 2)]
        );
        assert!((aligned.coverage_a - 1.0).abs() < 1e-6);

        // Every sentence equally close to every other: no standout partner.
        let flat = vec![unit(&[1.0, 1.0, 1.0]); 3];
        let none = align_sentences(&flat, &flat, &[1, 1, 1], &[1, 1, 1], &options);
        assert!(none.pairs.is_empty());
        assert_eq!(none.coverage_b, 0.0);
        assert!(is_translation(&aligned));
        assert!(!is_translation(&none));
    }

    #[test]
    fn a_crossed_pair_is_dropped_to_keep_the_order() {
        let e = |k: usize| {
            let mut v = vec![0.3f32; 4];
            v[k] = 1.0;
            unit(&v)
        };
        let a = vec![e(0), e(1), e(2), e(3)];
        // b swaps its last two sentences.
        let b = vec![e(0), e(1), e(3), e(2)];
        let options = TranslationOptions {
            min_cosine: 0.5,
            min_margin: 1.05,
            neighbours: 2,
        };
        let aligned = align_sentences(&a, &b, &[1; 4], &[1; 4], &options);
        let kept: Vec<(usize, usize)> = aligned.pairs.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(kept.len(), 3, "{kept:?}");
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }
}
