//! # reprint-core: the algorithms, with no I/O
//!
//! This crate owns every decision reprint makes about text: how it is normalised and
//! tokenised, how documents are fingerprinted, which pairs become candidates, how a
//! candidate is verified into a [`Match`], and how matches become clusters.
//!
//! It must not open files, print, or read the environment: readers and writers live in
//! `reprint-io`, the command line in the `reprint` binary. Every function here is a pure
//! function of its inputs (plus explicit options), which is what makes the output
//! deterministic whatever the thread count, and what lets a later binding run the same
//! per-document and per-pair functions inside other engines.
//!
//! The stages, in the order data flows through them:
//!
//! | stage        | module                      |
//! |--------------|-----------------------------|
//! | normalise    | [`text`]                    |
//! | fingerprint  | [`shingle`], [`minhash`], [`fingerprint`], [`winnow`] |
//! | per document | [`analysis`] (pass 1 and 2), [`boilerplate`], [`repeat`] |
//! | candidates   | [`lsh`], [`passage`]        |
//! | verify/align | [`verify`], [`align`]; rewrites and same-story: [`story`], [`lexicon`] |
//! | graph/cluster| [`unionfind`], [`cluster`]  |
//! | provenance   | [`provenance`], [`attribution`], [`dates`] |
//! | whole job    | [`scan`]                    |

pub mod align;
pub mod analysis;
pub mod attribution;
pub mod boilerplate;
pub mod cluster;
pub mod compare;
pub mod dates;
pub mod fingerprint;
pub mod lexicon;
pub mod lsh;
pub mod minhash;
pub mod passage;
mod postings;
pub mod provenance;
pub mod relation;
pub mod repeat;
pub mod scan;
pub mod shingle;
pub mod story;
pub mod text;
pub mod unionfind;
pub mod verify;
pub mod winnow;

pub use relation::{
    CharSpan, Evidence, Fact, FactKind, Match, PassageSpan, Relation, SentencePair,
};
