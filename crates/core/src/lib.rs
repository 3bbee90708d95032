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
//! The stages, in the order data flows through them, one module (folder) each:
//!
//! | stage        | module |
//! |--------------|--------|
//! | normalise    | [`normalise`]: [`normalise::text`] (tokens with spans), [`normalise::lexicon`] |
//! | fingerprint  | [`fingerprint`]: [`fingerprint::analysis`] (each document's pass 1 and pass 2), [`fingerprint::shingle`], [`fingerprint::minhash`], [`fingerprint::winnow`], [`fingerprint::boilerplate`], [`fingerprint::repeat`] |
//! | candidates   | [`candidates`]: [`candidates::lsh`], [`candidates::passage`] |
//! | verify/align | [`align`] (passage alignment), [`align::verify`] |
//! | story        | [`story`]: rewrites and same-story links |
//! | graph/cluster| [`cluster`] (copy families, stories), [`cluster::unionfind`] |
//! | provenance   | [`provenance`], [`provenance::attribution`], [`provenance::dates`] |
//!
//! [`relation`] holds the types that carry links between stages ([`Match`], [`Evidence`]);
//! [`scan`] runs the matching stages over a corpus's pass-1 analyses and pass-2 views;
//! [`compare`] explains one pair in depth.

// The stages, in the order data flows (kept in this order, one group each).
pub mod normalise;

pub mod fingerprint;

pub mod candidates;

pub mod align;

pub mod story;

pub mod cluster;

pub mod provenance;

pub mod compare;
pub mod relation;
pub mod scan;

pub use relation::{
    CharSpan, Evidence, Fact, FactKind, Match, PassageSpan, Relation, SentencePair,
};
