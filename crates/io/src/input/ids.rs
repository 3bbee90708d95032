//! The set of ids seen so far, for duplicate detection across all inputs.
//!
//! Ids are stored as 128-bit hashes, not as strings: a run over tens of millions of
//! documents would otherwise keep every id twice (the corpus keeps its own copy), and ids
//! can be long (paths, URLs). A hash costs 16 bytes plus the table's overhead whatever the
//! id's length.
//!
//! The 128 bits are two SipHash-1-3 values under independent random keys (std's
//! `RandomState`), so a collision, which would wrongly reject a record as a duplicate,
//! has probability about n²/2¹²⁹ (below 10⁻²² for 10⁹ ids) and cannot be crafted in
//! advance by whoever writes the input, since the keys are drawn per run. Results do not
//! depend on the keys, so runs stay deterministic.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

pub struct IdSet {
    low: RandomState,
    high: RandomState,
    seen: HashSet<u128, BuildHasherDefault<FoldHasher>>,
}

impl Default for IdSet {
    fn default() -> Self {
        Self::new()
    }
}

impl IdSet {
    pub fn new() -> Self {
        IdSet {
            low: RandomState::new(),
            high: RandomState::new(),
            seen: HashSet::default(),
        }
    }

    /// Records `id`; returns false when it was already there.
    pub fn insert(&mut self, id: &str) -> bool {
        let key = (u128::from(self.high.hash_one(id)) << 64) | u128::from(self.low.hash_one(id));
        self.seen.insert(key)
    }
}

/// The table's hasher: the keys are already uniformly random, so folding them to 64 bits
/// is enough and saves hashing each one a third time.
#[derive(Default)]
struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached if something other than a u128 is hashed; stay correct anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_insert_is_reported() {
        let mut ids = IdSet::new();
        assert!(ids.insert("a"));
        assert!(ids.insert("b"));
        assert!(!ids.insert("a"));
        assert!(ids.insert(""));
        assert!(!ids.insert(""));
    }
}
