//! MinHash signatures: fixed-size sketches whose agreement estimates Jaccard similarity.
//!
//! A document's shingle set ([`crate::fingerprint::shingle`]) is reduced to `k` 32-bit values such
//! that, for two documents, the fraction of positions where their signatures agree is
//! an unbiased estimate of the Jaccard similarity `|A ∩ B| / |A ∪ B|` of their sets.
//! Signatures are what [`crate::candidates::lsh`] bands into candidate pairs and what verification
//! compares.
//!
//! # One-permutation hashing with optimal densification
//!
//! Classic MinHash applies `k` independent hash functions to every shingle and keeps `k`
//! minima: `O(#shingles × k)` work per document, which at `k = 128` would cost more than
//! all the rest of a scan. We use *one-permutation hashing* (Li, Owen and Zhang, 2012)
//! instead: each shingle hash is remixed once with a 64-bit avalanche, the high 32 bits
//! of the result pick one of `k` bins (by multiply-shift, which works for any `k`), and
//! the low 32 bits are the value whose minimum the bin keeps. That is one hash and one
//! compare per shingle.
//!
//! Bins that no shingle fell into (common for short documents) are then filled by
//! *optimal densification* (Shrivastava, "Optimal Densification for Fast and Accurate
//! Minwise Hashing", ICML 2017): empty bin `i` probes bins `p(i, 1), p(i, 2), ...` given
//! by a fixed hash of `(i, attempt)` until it finds a bin that was non-empty, and copies
//! its value. Because the probe sequence is the same for every document, two documents
//! whose bin `i` is empty borrow from the same bin whenever the same bins are filled,
//! which keeps the estimator unbiased; using a fresh random probe per empty bin (rather
//! than the nearest filled neighbour, as earlier schemes did) is what makes its variance
//! close to that of `k` independent permutations. Cost: `O(#shingles + k)` expected per
//! document (`k · (k - m) / m` probes when only `m` bins are filled, so at most a few
//! thousand cheap hashes for the tiniest documents). As a guard against a pathological
//! probe sequence, after `32 k` failed probes a bin borrows from the next filled bin
//! instead, which keeps the function total and deterministic (the chance of getting
//! there is below `e^-32`).
//!
//! # Values and the empty set
//!
//! Bin values are kept below `u32::MAX`, which is reserved for an empty bin. The empty
//! set (a document with no shingles) gets the all-`u32::MAX` signature, which
//! [`jaccard`] treats as similar to nothing, itself included: empty documents are not
//! near-duplicates of each other, and they must not all land in one LSH bucket.
//! Clamping the one value `u32::MAX` to `u32::MAX - 1` biases nothing measurably.
//!
//! Everything is deterministic across runs and platforms: the hashes are fixed integer
//! mixes with fixed constants.

/// The value of an empty bin; never the value of a filled one.
const EMPTY_BIN: u32 = u32::MAX;
/// Salt xored into shingle hashes before remixing, so bins do not correlate with any
/// other use of the same shingle hashes.
const BIN_SALT: u64 = 0x6A09_E667_F3BC_C908;
/// Salt of the densification probe sequence.
const PROBE_SALT: u64 = 0xBB67_AE85_84CA_A73B;
/// Failed probes per empty bin (in units of `k`) before falling back to a linear scan.
const MAX_PROBES_PER_BIN: usize = 32;

/// A MinHash signature: `k` 32-bit minima.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature(pub Box<[u32]>);

impl Signature {
    /// The signature of the empty set for size `k`: similar to nothing.
    pub fn empty(k: usize) -> Self {
        Signature(vec![EMPTY_BIN; k].into_boxed_slice())
    }

    /// Number of values.
    pub fn k(&self) -> usize {
        self.0.len()
    }

    /// Whether this is the signature of the empty set (or has no values at all).
    pub fn is_empty_set(&self) -> bool {
        self.0.iter().all(|&v| v == EMPTY_BIN)
    }
}

/// Builds signatures of a fixed size.
#[derive(Debug, Clone)]
pub struct MinHasher {
    k: usize,
}

impl MinHasher {
    /// A hasher producing `k` values per signature. `k = 0` is treated as 1; `k` beyond
    /// `u32::MAX` is clamped to it (bins are chosen with 32-bit arithmetic).
    pub fn new(k: usize) -> Self {
        MinHasher {
            k: k.clamp(1, u32::MAX as usize),
        }
    }

    pub fn k(&self) -> usize {
        self.k
    }

    /// The signature of a set given by the 64-bit hashes of its elements (duplicates allowed).
    /// An empty set gives a signature that matches no other (see `jaccard`).
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let k = self.k;
        let mut bins = vec![EMPTY_BIN; k];
        for &shingle in shingles {
            let h = remix(shingle ^ BIN_SALT);
            let bin = fast_range((h >> 32) as u32, k);
            // Clamp so that a filled bin is never mistaken for an empty one.
            let value = (h as u32).min(EMPTY_BIN - 1);
            if value < bins[bin] {
                bins[bin] = value;
            }
        }
        densify(&mut bins);
        Signature(bins.into_boxed_slice())
    }
}

/// Fills the empty bins of `bins` by optimal densification (see the module docs).
fn densify(bins: &mut [u32]) {
    let k = bins.len();
    let filled = bins.iter().filter(|&&v| v != EMPTY_BIN).count();
    if filled == 0 || filled == k {
        return;
    }
    if filled == 1 {
        // Every probe sequence ends at the one filled bin: skip the probing.
        let value = bins.iter().copied().find(|&v| v != EMPTY_BIN);
        if let Some(value) = value {
            bins.fill(value);
        }
        return;
    }
    // Borrow only from bins filled by shingles, never from bins filled here.
    let original = bins.to_vec();
    for (i, bin) in bins.iter_mut().enumerate() {
        if *bin != EMPTY_BIN {
            continue;
        }
        let mut borrowed = None;
        for attempt in 1..=(MAX_PROBES_PER_BIN * k) as u64 {
            let source = fast_range(probe(i as u64, attempt), k);
            if original[source] != EMPTY_BIN {
                borrowed = Some(original[source]);
                break;
            }
        }
        *bin = borrowed.unwrap_or_else(|| next_filled(&original, i));
    }
}

/// The value of the first filled bin after `i`, cyclically (`original` has one).
fn next_filled(original: &[u32], i: usize) -> u32 {
    original[i..]
        .iter()
        .chain(&original[..i])
        .copied()
        .find(|&v| v != EMPTY_BIN)
        .unwrap_or(EMPTY_BIN)
}

/// The `attempt`-th probe of empty bin `bin`: the same for every document.
#[inline]
fn probe(bin: u64, attempt: u64) -> u32 {
    (remix(PROBE_SALT ^ (bin << 32) ^ attempt) >> 32) as u32
}

/// A 64-bit avalanche different from the shingle finaliser (Pelle Evensen's "moremur"),
/// so bins and values are independent of the shingle hash's own mixing.
#[inline]
fn remix(mut x: u64) -> u64 {
    x ^= x >> 27;
    x = x.wrapping_mul(0x3C79_AC49_2BA7_B653);
    x ^= x >> 33;
    x = x.wrapping_mul(0x1C69_B3F7_4AC4_AE35);
    x ^= x >> 27;
    x
}

/// Maps a uniform 32-bit value to `0..k` without division (Lemire's multiply-shift).
#[inline]
fn fast_range(x: u32, k: usize) -> usize {
    ((x as u64 * k as u64) >> 32) as usize
}

/// Estimated Jaccard similarity of the two sets behind `a` and `b`: the fraction of
/// positions where they agree. 0.0 when either is the empty set's signature (the empty
/// set is similar to nothing), and when their sizes differ (a programming error:
/// signatures of different `k` are not comparable).
pub fn jaccard(a: &Signature, b: &Signature) -> f64 {
    if a.0.len() != b.0.len() || a.0.is_empty() || a.is_empty_set() || b.is_empty_set() {
        return 0.0;
    }
    let equal = a.0.iter().zip(b.0.iter()).filter(|(x, y)| x == y).count();
    equal as f64 / a.0.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::shingle::fmix64;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    /// `n` distinct pseudo-random elements from stream `stream`.
    fn elements(stream: u64, n: usize) -> Vec<u64> {
        (0..n as u64)
            .map(|i| fmix64((stream << 40) ^ i ^ 0x5555))
            .collect()
    }

    /// Two sets with `only_a`, `only_b` private elements and `shared` common ones.
    fn pair(seed: u64, only_a: usize, only_b: usize, shared: usize) -> (Vec<u64>, Vec<u64>, f64) {
        let common = elements(seed * 3, shared);
        let mut a = elements(seed * 3 + 1, only_a);
        let mut b = elements(seed * 3 + 2, only_b);
        a.extend(&common);
        b.extend(&common);
        let union = only_a + only_b + shared;
        let truth = if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        };
        (a, b, truth)
    }

    #[test]
    fn identical_sets_are_fully_similar() {
        let hasher = MinHasher::new(128);
        let set = elements(1, 300);
        let mut shuffled_with_duplicates = set.clone();
        shuffled_with_duplicates.reverse();
        shuffled_with_duplicates.extend_from_slice(&set[..50]);
        let a = hasher.signature(&set);
        let b = hasher.signature(&shuffled_with_duplicates);
        assert_eq!(a, b);
        assert_eq!(jaccard(&a, &b), 1.0);
    }

    #[test]
    fn disjoint_sets_are_dissimilar() {
        let hasher = MinHasher::new(128);
        let a = hasher.signature(&elements(1, 400));
        let b = hasher.signature(&elements(2, 400));
        // Chance agreement of two 32-bit values is ~2^-32 per position.
        assert_eq!(jaccard(&a, &b), 0.0);
        // Even tiny sets, whose signatures are mostly densified copies.
        let a = hasher.signature(&elements(3, 3));
        let b = hasher.signature(&elements(4, 3));
        assert_eq!(jaccard(&a, &b), 0.0);
    }

    #[test]
    fn empty_set_matches_nothing() {
        let hasher = MinHasher::new(64);
        let empty = hasher.signature(&[]);
        assert_eq!(empty, Signature::empty(64));
        assert!(empty.is_empty_set());
        assert_eq!(jaccard(&empty, &empty), 0.0);
        let other = hasher.signature(&elements(1, 10));
        assert!(!other.is_empty_set());
        assert_eq!(jaccard(&empty, &other), 0.0);
        assert_eq!(jaccard(&other, &empty), 0.0);
        assert_eq!(jaccard(&other, &other), 1.0);
    }

    #[test]
    fn every_bin_is_filled_for_a_nonempty_set() {
        for k in [1, 7, 64, 128, 256, 1000] {
            let hasher = MinHasher::new(k);
            for n in [1, 2, 3, 10, 500] {
                let signature = hasher.signature(&elements(n as u64, n));
                assert_eq!(signature.k(), k);
                assert!(signature.0.iter().all(|&v| v != EMPTY_BIN), "k={k} n={n}");
            }
        }
    }

    #[test]
    fn single_element_fills_every_bin_with_its_value() {
        let signature = MinHasher::new(32).signature(&[42]);
        assert!(signature.0.iter().all(|&v| v == signature.0[0]));
    }

    #[test]
    fn different_sizes_are_not_comparable() {
        let set = elements(1, 100);
        let a = MinHasher::new(64).signature(&set);
        let b = MinHasher::new(128).signature(&set);
        assert_eq!(jaccard(&a, &b), 0.0);
    }

    #[test]
    fn zero_k_is_one() {
        let hasher = MinHasher::new(0);
        assert_eq!(hasher.k(), 1);
        assert_eq!(hasher.signature(&[1, 2, 3]).k(), 1);
    }

    #[test]
    fn signatures_are_deterministic() {
        let set = elements(9, 200);
        let a = MinHasher::new(128).signature(&set);
        let b = MinHasher::new(128).signature(&set);
        assert_eq!(a, b);
        // Pinned: a change here invalidates every stored signature.
        assert_eq!(
            &MinHasher::new(4).signature(&[1, 2, 3, 4, 5, 6, 7, 8]).0[..],
            PINNED
        );
    }

    const PINNED: &[u32] = &[1638867496, 614320646, 1721274314, 925960482];

    #[test]
    fn densified_estimates_track_overlap_of_small_sets() {
        // Sets far smaller than k: most bins are densified copies.
        let hasher = MinHasher::new(256);
        let (a, b, truth) = pair(77, 10, 10, 20);
        let estimate = jaccard(&hasher.signature(&a), &hasher.signature(&b));
        assert!((estimate - truth).abs() < 0.25, "{estimate} vs {truth}");
    }

    #[test]
    fn estimator_is_unbiased_on_average() {
        // Mean error over many independent pairs: the standard error of the mean of 400
        // estimates is at most sqrt(0.25 / 128 / 400) ≈ 0.0022, so a real bias of 0.01
        // (what a broken densification typically shows) would be ~4.5 standard errors.
        let hasher = MinHasher::new(128);
        for (only, shared) in [(100, 100), (30, 140), (150, 20), (5, 20)] {
            let trials = 400;
            let mut total_error = 0.0;
            for seed in 0..trials {
                let (a, b, truth) = pair(1000 + seed, only, only, shared);
                total_error += jaccard(&hasher.signature(&a), &hasher.signature(&b)) - truth;
            }
            let mean_error = total_error / trials as f64;
            assert!(
                mean_error.abs() < 0.01,
                "mean error {mean_error} for only={only} shared={shared}"
            );
        }
    }

    proptest! {
        // Fixed seed: the bounds below are statistical, and a test must not fail at
        // random. They are still far enough out that any seed passes in practice.
        #![proptest_config(Config {
            cases: 256,
            rng_seed: RngSeed::Fixed(0x5EED),
            failure_persistence: None,
            ..Config::default()
        })]

        /// The standard deviation of a MinHash estimate is about sqrt(J(1-J)/k), at
        /// most 0.044 for k = 128 and 0.031 for k = 256. 0.15 is 3.4 sigma at k = 128
        /// (a 1-in-1500 event, too frequent over 256 cases) and 4.8 sigma at k = 256
        /// (1 in 600000), so the tight bound is checked at k = 256 and k = 128 gets
        /// 0.2 (4.5 sigma, 1 in 150000).
        #[test]
        fn estimate_is_close_to_true_jaccard(
            seed in 0u64..1_000_000,
            size_a in 50usize..500,
            size_b in 50usize..500,
            shared_fraction in 0.0f64..=1.0,
        ) {
            let shared = (size_a.min(size_b) as f64 * shared_fraction).round() as usize;
            let (a, b, truth) = pair(seed, size_a - shared, size_b - shared, shared);
            for (k, bound) in [(256, 0.15), (128, 0.2)] {
                let hasher = MinHasher::new(k);
                let estimate = jaccard(&hasher.signature(&a), &hasher.signature(&b));
                prop_assert!(
                    (estimate - truth).abs() <= bound,
                    "k={} estimate {} truth {}", k, estimate, truth
                );
            }
        }
    }
}
