//! The relations reprint reports between two documents, and the verified [`Match`].

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
}

impl Relation {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Near => "near",
        }
    }
}

/// A verified link between documents `a` and `b` (input positions, `a < b`).
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub a: u32,
    pub b: u32,
    pub kind: Relation,
    /// Similarity in `[0, 1]`: 1 for exact copies, the estimated Jaccard similarity of
    /// the shingle sets for near-duplicates.
    pub similarity: f32,
}
