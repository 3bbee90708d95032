//! Word n-gram shingles (STUB).
use crate::text::Token;

/// Hashes of the word `n`-grams of `tokens`, appended to `out` (cleared first). A
/// document shorter than `n` tokens (but not empty) gives one shingle of all its tokens.
pub fn shingles(tokens: &[Token], n: usize, out: &mut Vec<u64>) {
    let _ = (tokens, n);
    out.clear();
    todo!()
}
