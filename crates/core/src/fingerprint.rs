//! Per-document fingerprints: everything later stages need to know about a document,
//! computed in one pass over its text and small enough to keep for millions of documents.
//!
//! A [`Fingerprint`] holds the exact-copy hash (of the normalised token sequence, so texts
//! that differ only in case, punctuation, whitespace or Unicode form are exact copies)
//! and a MinHash [`Signature`] of the word n-gram shingles. The text itself is not kept:
//! fingerprinting is embarrassingly parallel and the rest of the pipeline works on these.

use std::cell::RefCell;

use xxhash_rust::xxh3::Xxh3;

use crate::minhash::{MinHasher, Signature};
use crate::shingle::shingles;
use crate::text::{tokenize, TextOptions, Token};

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

/// Computes fingerprints; cheap to clone and share across threads.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    options: FingerprintOptions,
    minhasher: MinHasher,
}

struct Scratch {
    tokens: Vec<Token>,
    shingles: Vec<u64>,
}

thread_local! {
    // Reused per thread so the hot loop allocates nothing but the signature it returns.
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch { tokens: Vec::new(), shingles: Vec::new() })
    };
}

impl Fingerprinter {
    pub fn new(options: FingerprintOptions) -> Self {
        let minhasher = MinHasher::new(options.num_perm);
        Fingerprinter { options, minhasher }
    }

    pub fn options(&self) -> &FingerprintOptions {
        &self.options
    }

    /// The fingerprint of one document's text.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch {
                tokens,
                shingles: shingle_buf,
            } = &mut *scratch;
            tokenize(text, &self.options.text, tokens);
            let exact = exact_hash(tokens);
            shingles(tokens, self.options.ngram, shingle_buf);
            let signature = self.minhasher.signature(shingle_buf);
            Fingerprint {
                exact,
                signature,
                tokens: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
            }
        })
    }
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
