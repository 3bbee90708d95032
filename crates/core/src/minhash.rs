//! MinHash signatures (STUB).

/// A MinHash signature: `k` 32-bit minima.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Box<[u32]>);

/// Builds signatures of a fixed size.
#[derive(Debug, Clone)]
pub struct MinHasher {
    k: usize,
}

impl MinHasher {
    pub fn new(k: usize) -> Self {
        MinHasher { k }
    }
    pub fn k(&self) -> usize {
        self.k
    }
    /// The signature of a set given by the 64-bit hashes of its elements (duplicates allowed).
    /// An empty set gives a signature that matches no other (see `jaccard`).
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let _ = shingles;
        todo!()
    }
}

/// Estimated Jaccard similarity of the two sets behind `a` and `b`.
pub fn jaccard(a: &Signature, b: &Signature) -> f64 {
    let _ = (a, b);
    todo!()
}
