//! Stage 1, normalise: text to tokens.
//!
//! [`text`] turns a document into its token stream (runs of letters, digits and marks;
//! NFKC only where the quick check says so; case folded; optional accent folding), each
//! token carrying the byte span it came from, so every later span points back at the
//! original text. [`lexicon`] holds the per-language word knowledge later stages share:
//! function words, stemmers, month names.

pub mod lexicon;
pub mod text;
