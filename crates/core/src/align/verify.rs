//! Verification: turning a candidate pair into a [`Match`] or rejecting it.
//!
//! LSH banding and the passage index are tuned to miss almost nothing, so they also let
//! through pairs that are not copies; every candidate is checked here before it may
//! link two documents. Near-duplicates are checked on their signatures; passage
//! candidates are aligned word by word on their masked token sequences, so boilerplate
//! and a document's internal repetition can never count as shared text.

use crate::align::{AlignOptions, Aligner};
use crate::fingerprint::analysis::AlignDoc;
use crate::fingerprint::minhash::jaccard;
use crate::fingerprint::Fingerprint;
use crate::relation::{CharSpan, Evidence, Match, PassageSpan, Relation};

/// The near-duplicate match between documents `a` and `b`, if their estimated Jaccard
/// similarity reaches `threshold`.
pub fn verify_near(
    a: u32,
    fa: &Fingerprint,
    b: u32,
    fb: &Fingerprint,
    threshold: f64,
) -> Option<Match> {
    let similarity = jaccard(&fa.signature, &fb.signature);
    (similarity >= threshold).then(|| Match {
        a: a.min(b),
        b: a.max(b),
        kind: Relation::Near,
        similarity: similarity as f32,
        evidence: None,
    })
}

/// When shared passages make a link, and when that link makes two documents versions
/// of one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartialOptions {
    pub align: AlignOptions,
    /// Words the passages must share in all (identical aligned words). One shared
    /// sentence of 20 words is already more than chance or a stock phrase produces.
    pub min_matched: usize,
    /// A link is a `partial` copy (the two are versions of one text, one family) when
    /// its passages cover at least `contained` of one side (a text mostly made of the
    /// other's), or its long passages (two thirds of `copy_words` or more each) hold at
    /// least `copy_words` words and the passages cover at least `copy_coverage` of one
    /// side; otherwise it is a `passage` link (a quote, a stock sentence, a lifted
    /// paragraph), which is reported and joins nothing. On press-like text with
    /// chance overlap, passages shared by independent articles hold 20-47 words (99th
    /// percentile; 71 at most) covering at most 12% of either side, while true partial
    /// copies share 67 words or more with 14% or more of one side covered (1st
    /// percentile; BENCHMARKS.md, section 3).
    pub copy_words: usize,
    pub copy_coverage: f32,
    pub contained: f32,
}

impl Default for PartialOptions {
    fn default() -> Self {
        PartialOptions {
            // 0.7: a passage must keep most of its words. Two texts written
            // independently from the same notes reach 0.6-0.7 on a shared sentence;
            // copied-then-edited passages stay above 0.75. Heavier rewording is the
            // business of rewrite detection, not of passage alignment.
            align: AlignOptions {
                min_tokens: 15,
                min_similarity: 0.7,
                ..AlignOptions::default()
            },
            min_matched: 20,
            copy_words: 60,
            copy_coverage: 0.15,
            contained: 0.5,
        }
    }
}

/// The aligned passages of two prepared documents and the coverage of each by the
/// other; `None` when they share no passage.
pub fn align_documents(
    aligner: &mut Aligner,
    a: &AlignDoc,
    b: &AlignDoc,
    options: &AlignOptions,
) -> Option<Evidence> {
    align_documents_keyed(aligner, a, None, b, options)
}

/// [`align_documents`], where `a_key` (when given) names `a` so that consecutive calls
/// with the same first document reuse its seed index (`a` is the indexed side).
pub fn align_documents_keyed(
    aligner: &mut Aligner,
    a: &AlignDoc,
    a_key: Option<u64>,
    b: &AlignDoc,
    options: &AlignOptions,
) -> Option<Evidence> {
    // `a` is indexed and `b` probes it; the passages come back with `b`'s ranges first.
    let mut passages: Vec<crate::align::Passage> = match a_key {
        Some(key) => aligner.align_seeded(b.sequence(), a.sequence(), key, options),
        None => aligner.align(&b.hashes, &a.hashes, options),
    }
    .into_iter()
    .map(|p| crate::align::Passage {
        a: p.b,
        b: p.a,
        ..p
    })
    .collect();
    passages.sort_by_key(|p| (p.a.start, p.b.start));
    if passages.is_empty() {
        return None;
    }
    let matched: usize = passages.iter().map(|p| p.matched).sum();
    let share = |content: usize| {
        if content == 0 {
            0.0
        } else {
            (matched as f64 / content as f64).min(1.0) as f32
        }
    };
    let char_span = |spans: &[CharSpan], r: &std::ops::Range<usize>| CharSpan {
        start: spans.get(r.start).map_or(0, |s| s.start),
        end: r
            .end
            .checked_sub(1)
            .and_then(|i| spans.get(i))
            .map_or(0, |s| s.end),
    };
    Some(Evidence {
        coverage_a: share(a.content_tokens),
        coverage_b: share(b.content_tokens),
        passages: passages
            .iter()
            .map(|p| PassageSpan {
                a: char_span(&a.spans, &p.a),
                b: char_span(&b.spans, &p.b),
                tokens: p.matched as u32,
                similarity: p.similarity as f32,
            })
            .collect(),
        sentences: Vec::new(),
        facts: Vec::new(),
        corroborated: false,
    })
}

/// The partial match between documents `a` and `b`, if their shared passages are
/// substantial enough.
pub fn verify_partial(
    aligner: &mut Aligner,
    a: u32,
    da: &AlignDoc,
    b: u32,
    db: &AlignDoc,
    options: &PartialOptions,
) -> Option<Match> {
    let (a, da, b, db) = if a <= b {
        (a, da, b, db)
    } else {
        (b, db, a, da)
    };
    let evidence = align_documents_keyed(aligner, da, Some(u64::from(a)), db, &options.align)?;
    let matched: u32 = evidence.passages.iter().map(|p| p.tokens).sum();
    if (matched as usize) < options.min_matched {
        return None;
    }
    // Length-weighted similarity of the passages: 2·matched / words spanned.
    let spanned: f64 = evidence
        .passages
        .iter()
        .map(|p| 2.0 * f64::from(p.tokens) / f64::from(p.similarity.max(f32::MIN_POSITIVE)))
        .sum();
    let similarity = if spanned > 0.0 {
        (2.0 * f64::from(matched) / spanned).min(1.0) as f32
    } else {
        0.0
    };
    Some(Match {
        a,
        b,
        kind: passage_kind(&evidence, options),
        similarity,
        evidence: Some(Box::new(evidence)),
    })
}

/// `partial` when the shared passages make two documents versions of one text,
/// `passage` otherwise (see [`PartialOptions::copy_words`]).
pub fn passage_kind(evidence: &Evidence, options: &PartialOptions) -> Relation {
    // Long passages only: two articles on one topic can share a quote, a stock
    // sentence and a background paragraph, short passages that together reach any size,
    // while a copy cut into a few long pieces (a paragraph dropped here and there) is
    // still a copy. A chance passage rarely passes two thirds of `copy_words`.
    let long_enough = options.copy_words * 2 / 3;
    let copied: usize = evidence
        .passages
        .iter()
        .map(|p| p.tokens as usize)
        .filter(|&t| t >= long_enough)
        .sum();
    let covered = evidence.coverage_a.max(evidence.coverage_b);
    if covered >= options.contained
        || (copied >= options.copy_words && covered >= options.copy_coverage)
    {
        Relation::Partial
    } else {
        Relation::Passage
    }
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    fn evidence(passages: &[u32], coverage: f32) -> Evidence {
        Evidence {
            coverage_a: coverage,
            coverage_b: coverage / 2.0,
            passages: passages
                .iter()
                .map(|&tokens| PassageSpan {
                    a: CharSpan { start: 0, end: 1 },
                    b: CharSpan { start: 0, end: 1 },
                    tokens,
                    similarity: 1.0,
                })
                .collect(),
            sentences: Vec::new(),
            facts: Vec::new(),
            corroborated: false,
        }
    }

    #[test]
    fn substantial_shared_text_makes_a_copy_and_short_passages_do_not_add_up() {
        let o = PartialOptions::default();
        assert_eq!(o.copy_words, 60);
        // One long passage covering enough of a side: a partial copy.
        assert_eq!(passage_kind(&evidence(&[60], 0.15), &o), Relation::Partial);
        // Long but covering little of either side: a lifted paragraph.
        assert_eq!(passage_kind(&evidence(&[60], 0.1), &o), Relation::Passage);
        // A quote, a stock sentence and a background paragraph: short pieces that sum
        // past `copy_words` but are not a copy.
        assert_eq!(
            passage_kind(&evidence(&[30, 25, 35], 0.3), &o),
            Relation::Passage
        );
        // A copy cut into long pieces (a paragraph dropped between them) is a copy.
        assert_eq!(
            passage_kind(&evidence(&[44, 43], 0.3), &o),
            Relation::Partial
        );
        // Whatever the words, a text mostly inside the other is a copy.
        assert_eq!(passage_kind(&evidence(&[25], 0.6), &o), Relation::Partial);
    }
}
