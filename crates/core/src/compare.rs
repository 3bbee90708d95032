//! Comparing two documents in depth: the relation between them, the coverage of each by
//! the other, and each aligned passage broken into equal and changed stretches, for
//! display. The same verification as a scan, on a single pair.

use crate::align::verify::{align_documents, passage_kind, PartialOptions};
use crate::align::{Aligner, DiffOp};
use crate::fingerprint::analysis::{Analyzer, Prepared};
use crate::fingerprint::boilerplate::LineCounter;
use crate::fingerprint::minhash::jaccard;
use crate::relation::{CharSpan, Fact, Relation, SentencePair};
use crate::scan::story_outweighs_verbatim;
use crate::story::{
    compare_profiles, corroborating_relation, holds_outside, relation_for, StoryFeatures,
    StoryIndex, StoryOptions, StoryProfile,
};

/// A stretch of an aligned passage: the same words on both sides, or words changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub a: Option<CharSpan>,
    pub b: Option<CharSpan>,
    pub equal: bool,
}

/// One aligned passage with its stretches.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedPassage {
    pub a: CharSpan,
    pub b: CharSpan,
    pub words: u32,
    pub similarity: f32,
    pub stretches: Vec<Stretch>,
}

/// Everything `compare` reports about a pair.
#[derive(Debug, Clone, PartialEq)]
pub struct PairReport {
    /// The relation a scan would report (`None`: no reuse found).
    pub relation: Option<Relation>,
    /// When no relation is found: the story relation of a weaker link (scored from the
    /// corroborating score up), which in a scan ties the pair only together with links
    /// to other versions of the story.
    pub corroborating: Option<Relation>,
    /// Estimated Jaccard similarity of the word-shingle sets.
    pub jaccard: f32,
    pub coverage_a: f32,
    pub coverage_b: f32,
    pub passages: Vec<AlignedPassage>,
    /// The story comparison: sentence coverage both ways, shared quotes, names and
    /// figures, and the calibrated score.
    pub story: StoryFeatures,
    /// Sentences aligned by meaning.
    pub sentences: Vec<SentencePair>,
    /// Story facts both texts hold.
    pub facts: Vec<Fact>,
    /// Each side's own analysis (boilerplate and repetition reports included).
    pub a: Prepared,
    pub b: Prepared,
}

/// What a comparison needs besides the texts.
#[derive(Debug, Clone, Copy)]
pub struct CompareContext<'a> {
    /// Corpus line counts when the pair comes from a corpus (so recurring boilerplate
    /// is known); an empty counter judges each text alone.
    pub counter: &'a LineCounter,
    pub sites: (Option<&'a str>, Option<&'a str>),
    /// Corpus word rarities for the story comparison; built from the two texts when
    /// `None`.
    pub story_index: Option<&'a StoryIndex>,
    pub threshold: f64,
    pub partial: &'a PartialOptions,
    pub story: &'a StoryOptions,
}

/// Compares two texts.
pub fn compare(
    analyzer: &Analyzer,
    text_a: &str,
    text_b: &str,
    ctx: &CompareContext<'_>,
) -> PairReport {
    let (counter, sites, threshold, partial) = (ctx.counter, ctx.sites, ctx.threshold, ctx.partial);
    let fa = analyzer.analyze(text_a);
    let fb = analyzer.analyze(text_b);
    let pair_index;
    let story_index = match ctx.story_index {
        Some(index) => index,
        None => {
            pair_index = StoryIndex::build(&[Some(&fa.story_keys), Some(&fb.story_keys)]);
            &pair_index
        }
    };
    let a = analyzer.prepare_with(
        text_a,
        counter,
        sites.0,
        !fa.repeats.is_empty(),
        true,
        Some(story_index),
    );
    let b = analyzer.prepare_with(
        text_b,
        counter,
        sites.1,
        !fb.repeats.is_empty(),
        true,
        Some(story_index),
    );
    let empty = StoryProfile::default();
    let (story, sentences, facts) = compare_profiles(
        a.story.as_ref().unwrap_or(&empty),
        b.story.as_ref().unwrap_or(&empty),
        ctx.story,
    );
    let story_relation = relation_for(&story, ctx.story);
    let jaccard = jaccard(&fa.fingerprint.signature, &fb.fingerprint.signature) as f32;
    let mut aligner = Aligner::new();
    let evidence = align_documents(&mut aligner, &a.doc, &b.doc, &partial.align);
    let matched: u32 = evidence
        .as_ref()
        .map_or(0, |e| e.passages.iter().map(|p| p.tokens).sum());
    let relation = if fa.fingerprint.exact.is_some() && fa.fingerprint.exact == fb.fingerprint.exact
    {
        Some(Relation::Exact)
    } else if f64::from(jaccard) >= threshold {
        Some(Relation::Near)
    } else if let Some(e) = evidence
        .as_ref()
        .filter(|_| matched as usize >= partial.min_matched)
    {
        // As in a scan: the passages make a `partial` copy or a `passage` link, and a
        // story match that holds outside the passages replaces it when its sentences
        // cover clearly more.
        let verbatim = passage_kind(e, partial);
        let spans_a: Vec<CharSpan> = e.passages.iter().map(|p| p.a).collect();
        let spans_b: Vec<CharSpan> = e.passages.iter().map(|p| p.b).collect();
        let story_holds = match (a.story.as_ref(), b.story.as_ref()) {
            (Some(pa), Some(pb)) => holds_outside(pa, &spans_a, pb, &spans_b, ctx.story),
            _ => false,
        };
        match story_relation {
            Some(kind)
                if story_holds
                    && story_outweighs_verbatim(
                        verbatim,
                        e.coverage_a.max(e.coverage_b),
                        kind,
                        story.coverage_a.max(story.coverage_b),
                        &sentences,
                    ) =>
            {
                Some(kind)
            }
            _ => Some(verbatim),
        }
    } else {
        story_relation
    };

    // Word-level stretches of each passage, for highlighting.
    let token_passages = aligner.align(&a.doc.hashes, &b.doc.hashes, &partial.align);
    let passages = token_passages
        .iter()
        .map(|p| {
            let ops = aligner.diff(&a.doc.hashes[p.a.clone()], &b.doc.hashes[p.b.clone()]);
            let span = |spans: &[CharSpan], base: usize, r: &std::ops::Range<usize>| {
                (!r.is_empty()).then(|| CharSpan {
                    start: spans[base + r.start].start,
                    end: spans[base + r.end - 1].end,
                })
            };
            let stretches = ops
                .iter()
                .map(|op| match op {
                    DiffOp::Equal { a: ra, b: rb } => Stretch {
                        a: span(&a.doc.spans, p.a.start, ra),
                        b: span(&b.doc.spans, p.b.start, rb),
                        equal: true,
                    },
                    DiffOp::Replace { a: ra, b: rb } => Stretch {
                        a: span(&a.doc.spans, p.a.start, ra),
                        b: span(&b.doc.spans, p.b.start, rb),
                        equal: false,
                    },
                })
                .collect();
            AlignedPassage {
                a: CharSpan {
                    start: a.doc.spans[p.a.start].start,
                    end: a.doc.spans[p.a.end - 1].end,
                },
                b: CharSpan {
                    start: b.doc.spans[p.b.start].start,
                    end: b.doc.spans[p.b.end - 1].end,
                },
                words: p.matched as u32,
                similarity: p.similarity as f32,
                stretches,
            }
        })
        .collect();
    PairReport {
        corroborating: if relation.is_none() {
            corroborating_relation(&story, ctx.story)
        } else {
            None
        },
        relation,
        jaccard,
        coverage_a: evidence.as_ref().map_or(0.0, |e| e.coverage_a),
        coverage_b: evidence.as_ref().map_or(0.0, |e| e.coverage_b),
        passages,
        story,
        sentences,
        facts,
        a,
        b,
    }
}
