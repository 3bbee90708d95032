//! Verification: turning a candidate pair into a [`Match`] or rejecting it.
//!
//! LSH banding is tuned to miss almost nothing near the threshold, so it also lets
//! through pairs well below it; every candidate is therefore checked against the
//! similarity threshold before it may link two documents.

use crate::fingerprint::Fingerprint;
use crate::minhash::jaccard;
use crate::relation::{Match, Relation};

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
    })
}
