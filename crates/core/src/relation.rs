//! The relations reprint reports between two documents, and the verified [`Match`] with
//! its evidence.

use serde::{Deserialize, Serialize};

/// How one document relates to another. Ordered from the strongest tie to the weakest,
/// so `min` over a document's edges gives the relation that tied it to its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Identical after normalisation (case, punctuation, whitespace, Unicode forms).
    Exact,
    /// Near-duplicate: estimated Jaccard similarity of word n-gram shingles at or above
    /// the threshold.
    Near,
    /// Passages of one inside the other (a truncation, lifted paragraphs, a padded copy
    /// whose padding outweighs the text), with the aligned spans as evidence.
    Partial,
    /// The same text reworded: most sentences of one have a counterpart of the same
    /// meaning in the other, though few word sequences are shared.
    Rewrite,
    /// Independent versions of one story or dispatch: some sentences aligned, and the
    /// same quotes, rare names, dates and figures.
    SameStory,
    /// A short passage both hold (a quote, a stock sentence, a lifted paragraph) that
    /// is too small a share of either to make them versions of one text: verified
    /// evidence of reuse, with its aligned spans, that joins no family and no story.
    Passage,
}

impl Relation {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Near => "near",
            Relation::Partial => "partial",
            Relation::Rewrite => "rewrite",
            Relation::SameStory => "same-story",
            Relation::Passage => "passage",
        }
    }

    /// Whether the relation makes two documents copies of one text for deduplication
    /// (exact and near-duplicates), rather than different documents sharing content.
    pub fn is_duplicate(self) -> bool {
        matches!(self, Relation::Exact | Relation::Near)
    }
}

/// A span of characters (Unicode scalar values, not bytes) in a document's original
/// text: what a Python `text[start:end]` would slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    pub start: u32,
    pub end: u32,
}

/// One aligned passage: where it is in each text, and how faithfully it was copied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageSpan {
    pub a: CharSpan,
    pub b: CharSpan,
    /// Words aligned as identical.
    pub tokens: u32,
    /// `2·matched / (words in a + words in b)` over the passage.
    pub similarity: f32,
}

/// What proves a passage-level match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Share of `a`'s own content (boilerplate and internal repetition excluded) found
    /// in `b`.
    pub coverage_a: f32,
    /// Share of `b`'s own content found in `a`.
    pub coverage_b: f32,
    pub passages: Vec<PassageSpan>,
    /// Sentences of `a` and `b` that say the same thing in other words (rewrite and
    /// same-story matches).
    pub sentences: Vec<SentencePair>,
    /// Quotes, names, dates and figures both documents hold (rewrite and same-story
    /// matches).
    pub facts: Vec<Fact>,
    /// A story link scoring under the match threshold, reported because together with
    /// the document's other links into the same cluster it ties the document to that
    /// cluster (see [`crate::cluster::corroborate`]).
    pub corroborated: bool,
}

/// Two sentences aligned by meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentencePair {
    pub a: CharSpan,
    pub b: CharSpan,
    /// Weighted overlap of their content stems, in `[0, 1]`.
    pub similarity: f32,
}

/// What kind of story fact two documents share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FactKind {
    Quote,
    Date,
    Number,
    Name,
    Year,
}

impl FactKind {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Quote => "quote",
            FactKind::Date => "date",
            FactKind::Number => "number",
            FactKind::Name => "name",
            FactKind::Year => "year",
        }
    }
}

/// A story fact found in both documents: where in each, and its normalised value
/// (the quote's text, `2022-02-24`, `300000`, a name's folded form, or `lessom ~ lesom`
/// for a fuzzy name match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub kind: FactKind,
    pub a: CharSpan,
    pub b: CharSpan,
    pub value: String,
    /// What it weighs in the score: for a quote the share of the shorter quotation its
    /// run of shared words covers, a name's rarity, 2 for
    /// a date, 1 for a number, 0.5 for a year.
    pub weight: f32,
}

/// A verified link between documents `a` and `b` (input positions, `a < b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub a: u32,
    pub b: u32,
    pub kind: Relation,
    /// Similarity in `[0, 1]`: 1 for exact copies, the estimated Jaccard similarity of
    /// the shingle sets for near-duplicates, the alignment similarity of the shared
    /// passages for partial matches.
    pub similarity: f32,
    /// Aligned passages and coverage, for passage-level matches.
    pub evidence: Option<Box<Evidence>>,
}
