//! Per-document fingerprints: everything later stages need to know about a document,
//! computed in one pass over its text and small enough to keep for millions of documents.
//!
//! A [`Fingerprint`] holds the exact-copy hash (of the normalised token sequence, so texts
//! that differ only in case, punctuation, whitespace or Unicode form are exact copies)
//! and a MinHash [`Signature`] of the word n-gram shingles. It is computed by
//! [`crate::fingerprint::analysis::Analyzer::analyze`] in the same pass as the rest of a document's
//! pass-1 analysis; the text itself is not kept.

pub mod analysis;
pub mod boilerplate;
pub mod minhash;
pub mod repeat;
pub mod shingle;
pub mod winnow;

use xxhash_rust::xxh3::Xxh3;

use crate::fingerprint::minhash::Signature;
use crate::normalise::text::{TextOptions, Token};

/// How documents are fingerprinted.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintOptions {
    pub text: TextOptions,
    /// Words per shingle. 5 suits news: long enough that shared shingles mean shared
    /// phrasing, short enough that a changed word spoils only five of them.
    pub ngram: usize,
    /// MinHash signature length.
    pub num_perm: usize,
}

impl Default for FingerprintOptions {
    fn default() -> Self {
        FingerprintOptions {
            text: TextOptions::default(),
            ngram: 5,
            num_perm: 128,
        }
    }
}

/// What reprint remembers about one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    /// 128-bit hash of the normalised token sequence; `None` for a document without a
    /// single word, which is an exact copy of nothing (empty texts are not reuse).
    /// 128 bits because a 64-bit hash would see accidental collisions at a billion
    /// documents.
    pub exact: Option<u128>,
    /// MinHash signature of the word n-gram shingles.
    pub signature: Signature,
    /// Number of word tokens.
    pub tokens: u32,
}

/// Hash of the normalised token sequence, or `None` when there are no tokens.
pub fn exact_hash(tokens: &[Token]) -> Option<u128> {
    if tokens.is_empty() {
        return None;
    }
    let mut hasher = Xxh3::new();
    for token in tokens {
        hasher.update(&token.hash.to_le_bytes());
    }
    Some(hasher.digest128())
}
