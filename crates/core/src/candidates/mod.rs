//! Stage 3, candidates: which pairs of documents are worth verifying, never all pairs.
//!
//! [`lsh`] bands MinHash signatures for near-duplicate candidates; [`passage`] counts
//! shared winnowed passage keys for partial-reuse candidates; `postings` is the shared
//! machinery both the passage and story candidate steps use: `(key, document)` records
//! sorted by one radix pass, with document-frequency caps, and shared keys tallied per
//! document instead of listing every pair of every key. These sorted records are the form
//! that becomes partition files out of core.

pub mod lsh;
pub mod passage;
pub(crate) mod postings;
