//! # reprint-pipeline: the scan job, for every front end
//!
//! `reprint-core` holds the algorithms and does no I/O; `reprint-io` reads and writes.
//! This crate is the job that strings them together, so the CLI, the Python package and
//! the index service call one implementation instead of re-implementing it:
//!
//! ```text
//! ingest (read + pass 1) ─► plan ─► pass 2 ─► finish (verify, cluster) ─► provenance ─► write
//! ingest.rs                 scan.rs (core's scan::plan / scan::finish)  provenance.rs  write.rs
//! ```
//!
//! - [`ingest`]: a reader thread parses records into batches while rayon analyses the
//!   previous one (pass 1); texts go to a spool file so memory grows with the number of
//!   documents, not their size.
//! - [`scan()`]: the whole job over an [`InputSpec`] and [`MatchSettings`]; returns a
//!   [`ScanResult`] that front ends read (documents, links, clusters, provenance) or
//!   write as the README's files ([`ScanResult::write`]).
//! - [`scan_in_work`] / [`scan_shard`]: the same job with pass 1 kept in a work folder
//!   (`--work DIR`), shard by shard: a killed scan resumes, shards run on several
//!   machines are merged ([`work`]).
//! - [`Progress`]: what the job tells its front end while it runs (a bar, a log, nothing);
//!   the job itself never prints.
//! - [`MatchSettings`]: the user-facing options, validated here once.
//!
//! Errors are [`JobError`] values naming the step and the file; a bad record is
//! [`JobError::BadInput`] with its file and line, unless bad records are skipped, in
//! which case they are counted by reason in [`ReadSummary`].

pub mod checkpoints;
pub mod compare;
mod error;
pub mod ingest;
mod options;
pub mod pass2;
mod progress;
pub mod provenance;
mod scan;
#[cfg(feature = "translation")]
pub mod translation;
pub mod work;
mod write;

pub use checkpoints::CheckpointReport;
pub use error::JobError;
pub use ingest::{ingest, ingest_stream, parse_date, site_of, Corpus, Keep, ReadSummary};
pub use options::{InputSpec, MatchSettings, Resources};
pub use progress::{NoProgress, Progress};
pub use provenance::ScanProvenance;
pub use scan::{
    scan, scan_in_work, scan_records, scan_shard, scan_staged, scan_stream, scan_with, stage_shard,
    ScanResult, StagedRecords, Timings,
};
pub use work::{WorkFolder, WorkReport};
pub use write::JsonlTables;
