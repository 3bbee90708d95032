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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// 128-bit hash of the normalised token sequence; for a document without a single
    /// word (empty, emoji or symbols only), of its text without surrounding whitespace,
    /// so that identical ones are exact copies too (a deduplicated corpus must not keep
    /// a thousand copies of one emoji post). `None` is never produced by
    /// [`exact_hash`]; it stays an `Option` for summaries built by other means.
    /// 128 bits because a 64-bit hash would see accidental collisions at a billion
    /// documents.
    pub exact: Option<u128>,
    /// MinHash signature of the word n-gram shingles.
    pub signature: Signature,
    /// Number of word tokens.
    pub tokens: u32,
}

/// Hash of the normalised token sequence of `text`; when there are no tokens, of the
/// text itself without surrounding whitespace. The two are kept apart by a leading
/// domain byte, so a wordless text can never collide with a worded one.
pub fn exact_hash(text: &str, tokens: &[Token]) -> Option<u128> {
    let mut hasher = Xxh3::new();
    if tokens.is_empty() {
        hasher.update(&[1]);
        hasher.update(text.trim().as_bytes());
    } else {
        hasher.update(&[0]);
        for token in tokens {
            hasher.update(&token.hash.to_le_bytes());
        }
    }
    Some(hasher.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::text::tokenize;

    fn exact(text: &str) -> Option<u128> {
        let mut tokens = Vec::new();
        tokenize(text, &TextOptions::default(), &mut tokens);
        exact_hash(text, &tokens)
    }

    #[test]
    fn wordless_texts_are_exact_copies_of_the_same_text_only() {
        // Emoji-only, symbol-only and empty texts were an exact copy of nothing.
        assert!(exact("🎉🎉🎉").is_some());
        assert_eq!(exact("🎉🎉🎉"), exact("  🎉🎉🎉\n"));
        assert_ne!(exact("🎉🎉🎉"), exact("🎉🎉"));
        assert_eq!(exact(""), exact(" \n\t"));
        assert_ne!(exact(""), exact("🎉"));
        assert_ne!(exact("!!!"), exact("???"));
        // Worded texts still compare by their normalised words.
        assert_eq!(exact("Hello, World!"), exact("hello world"));
        assert_ne!(exact("hello"), exact(""));
    }
}
