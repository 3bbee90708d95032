//! `reprint-bench`: synthetic test corpora with known answers, and the metrics that score
//! a clustering against them.
//!
//! What this crate owns:
//! - [`generate`]: a deterministic generator that turns any seed texts into `N` documents,
//!   half of them (by default) copies of the others made in five known ways (exact, near,
//!   boilerplate-padded, truncated, partial reuse), plus a gold file saying which document
//!   is a copy of which.
//! - [`eval`]: pairwise precision / recall / F1, the adjusted Rand index and recall per
//!   copy kind of a predicted clustering against that gold file, computed from contingency
//!   counts so that millions of documents cost no more than a hash map.
//! - [`seeds`]: finding and reading the seed `.txt` files.
//! - [`text`]: the tiny word-level helpers (lower-cased alphanumeric words, word n-gram
//!   Jaccard) used by the tests and by anyone checking a generated corpus by hand.
//!
//! What it must not do: depend on the other `reprint` crates. The generator and the metrics
//! are the yardstick the engine is measured with, so they must not share its code (a bug
//! shared by the ruler and the thing measured is invisible).

pub mod eval;
pub mod generate;
pub mod seeds;
pub mod text;

pub use eval::{
    evaluate, read_gold, read_predictions, read_predictions_of, EvalError, EvalReport, KindRecall,
};
pub use generate::{
    generate, generate_iter, CopyKind, CorpusIter, GenDoc, GenError, GenOptions, GoldEntry,
    TextStyle, ORIGINAL_KIND,
};
