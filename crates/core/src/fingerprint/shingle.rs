//! Word n-gram shingles: the set a document is reduced to before MinHash.
//!
//! A shingle is `n` consecutive tokens. Two documents that share a passage of at least
//! `n` words share its shingles, and the Jaccard similarity of two documents' shingle
//! sets is what [`crate::fingerprint::minhash`] estimates. Each shingle is represented by a 64-bit
//! hash of its tokens' hashes, so no text is kept.
//!
//! # The hash
//!
//! The window's token hashes are folded in order with `h = (h.rotl(5) ^ t) * K`
//! (`K` odd, the multiply spreading every input bit upwards), starting from a fixed seed,
//! and the result goes through a final 64-bit avalanche (the `fmix64` finaliser of
//! MurmurHash3) so that low and high bits are equally good: MinHash slices the value
//! into a bin index and a bin value. The fold is order-sensitive, as a word n-gram must
//! be ("dog bites man" is not "man bites dog"), and costs `n` multiplies per shingle,
//! which for the usual `n` of 3 to 9 is far below what tokenising the words cost. A
//! rolling (removable) hash would save those multiplies but needs an invertible,
//! linear combination, which is weaker on structured input; not worth it here.
//!
//! Token hashes are already uniform xxh3 values, so this mix only has to be a good
//! combiner, not a good hash of raw data. Values are deterministic across runs and
//! platforms (only wrapping integer arithmetic).
//!
//! # Short documents
//!
//! A document with fewer than `n` tokens (but at least one) gives a single shingle made
//! of all its tokens, so that short texts (titles, captions) can still be compared; the
//! empty document gives none. `n = 0` is treated as `n = 1`.

use crate::normalise::text::Token;

/// Odd multiplier of the fold (the 64-bit golden ratio, as in Fibonacci hashing).
const FOLD_MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
/// Starting value of the fold, so that a window starting with a zero hash is not lost.
const FOLD_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// Hashes of the word `n`-grams of `tokens`, appended to `out` (cleared first). A
/// document shorter than `n` tokens (but not empty) gives one shingle of all its tokens.
pub fn shingles(tokens: &[Token], n: usize, out: &mut Vec<u64>) {
    out.clear();
    if tokens.is_empty() {
        return;
    }
    let n = n.max(1);
    if tokens.len() <= n {
        out.push(window_hash(tokens));
        return;
    }
    out.reserve(tokens.len() - n + 1);
    out.extend(tokens.windows(n).map(window_hash));
}

/// The shingle hash of one window of tokens.
#[inline]
pub fn window_hash(window: &[Token]) -> u64 {
    let mut h = FOLD_SEED;
    for token in window {
        h = (h.rotate_left(5) ^ token.hash).wrapping_mul(FOLD_MULTIPLIER);
    }
    fmix64(h)
}

/// The MurmurHash3 64-bit finaliser: every input bit affects every output bit.
#[inline]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::text::{tokenize, TextOptions};

    fn tokens_of(hashes: &[u64]) -> Vec<Token> {
        hashes
            .iter()
            .map(|&hash| Token {
                hash,
                start: 0,
                end: 0,
            })
            .collect()
    }

    fn shingles_of(hashes: &[u64], n: usize) -> Vec<u64> {
        let mut out = Vec::new();
        shingles(&tokens_of(hashes), n, &mut out);
        out
    }

    #[test]
    fn one_shingle_per_window() {
        let hashes: Vec<u64> = (1..=10).collect();
        assert_eq!(shingles_of(&hashes, 3).len(), 8);
        assert_eq!(shingles_of(&hashes, 1).len(), 10);
        assert_eq!(shingles_of(&hashes, 10).len(), 1);
        // Windows of distinct tokens give distinct shingles.
        let mut distinct = shingles_of(&hashes, 3);
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 8);
    }

    #[test]
    fn shingles_depend_on_the_window_only() {
        // The same 3 tokens in two documents give the same shingle.
        let a = shingles_of(&[7, 1, 2, 3, 9], 3);
        let b = shingles_of(&[1, 2, 3, 8, 8, 8], 3);
        assert_eq!(a[1], b[0]);
        assert_eq!(a[1], window_hash(&tokens_of(&[1, 2, 3])));
    }

    #[test]
    fn order_sensitive() {
        assert_ne!(shingles_of(&[1, 2, 3], 3), shingles_of(&[3, 2, 1], 3));
        assert_ne!(shingles_of(&[1, 2], 2), shingles_of(&[2, 1], 2));
        // Repeated tokens are not cancelled out (an xor-only fold would cancel them).
        assert_ne!(shingles_of(&[5, 5, 1], 3), shingles_of(&[1, 5, 5], 3));
        assert_ne!(shingles_of(&[0, 0], 2), shingles_of(&[0], 1));
    }

    #[test]
    fn short_and_empty_documents() {
        assert!(shingles_of(&[], 5).is_empty());
        assert_eq!(shingles_of(&[1, 2], 5), [window_hash(&tokens_of(&[1, 2]))]);
        assert_eq!(shingles_of(&[4], 5).len(), 1);
        // A short document's single shingle equals the same window in a longer one.
        assert_eq!(shingles_of(&[1, 2], 5), shingles_of(&[1, 2], 2));
    }

    #[test]
    fn zero_n_is_one() {
        assert_eq!(shingles_of(&[1, 2, 3], 0), shingles_of(&[1, 2, 3], 1));
    }

    #[test]
    fn output_is_cleared() {
        let mut out = vec![1, 2, 3, 4, 5, 6];
        shingles(&tokens_of(&[9]), 3, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn typography_does_not_change_shingles() {
        let opts = TextOptions::default();
        let mut ta = Vec::new();
        let mut tb = Vec::new();
        tokenize("The cat sat on the mat.", &opts, &mut ta);
        tokenize("the CAT -- sat, on “the” mat", &opts, &mut tb);
        let (mut sa, mut sb) = (Vec::new(), Vec::new());
        shingles(&ta, 3, &mut sa);
        shingles(&tb, 3, &mut sb);
        assert_eq!(sa.len(), 4);
        assert_eq!(sa, sb);
    }

    #[test]
    fn pinned_values() {
        // A change here changes every stored fingerprint: bump formats if intended.
        assert_eq!(fmix64(0), 0);
        let first = window_hash(&tokens_of(&[1, 2, 3]));
        assert_eq!(first, 13_590_733_398_014_103_350);
    }
}
