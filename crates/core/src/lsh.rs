//! LSH banding over MinHash signatures (STUB).
use crate::minhash::Signature;

/// Banding parameters: `bands * rows` must not exceed the signature length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

/// Candidate pairs `(a, b)` with `a < b` (indices into `signatures`; `None` entries take
/// no part), sorted and without duplicates. Deterministic.
pub fn candidate_pairs(signatures: &[Option<&Signature>], banding: Banding) -> Vec<(u32, u32)> {
    let _ = (signatures, banding);
    todo!()
}

/// Banding for signatures of length `k` and a similarity threshold (STUB).
pub fn banding_for(k: usize, threshold: f64) -> Banding {
    let _ = threshold;
    Banding {
        bands: k / 4,
        rows: 4,
    }
}
