//! `reprint-io`: everything that touches files, so the algorithms (`reprint-core`) stay
//! pure and the CLI stays thin.
//!
//! # What it owns
//!
//! - [`input`]: the readers. [`open_inputs`] turns the command line's inputs (JSONL files,
//!   plain or gzip/zstd compressed; folders of `.txt` files; HTML pages and WARC/WET
//!   archives, whose main text is extracted by `reprint-web`; `-` for stdin) into one
//!   [`Reader`], an iterator of [`Record`]s.
//! - [`output`]: the writers of a scan's result files.
//! - [`spool`]: texts parked in a temporary file between the two passes of a scan.
//! - [`stage`]: the on-disk stage files of a scan's work folder (`--work DIR`): what
//!   pass 1 found, shard by shard, kept so a scan can resume or merge shards.
//!
//! # Design
//!
//! - **Errors are values, not stops.** The reader yields every bad record as an
//!   [`InputError`] (file, line, [`ErrorKind`]) and carries on, so no record vanishes
//!   silently and the caller picks the policy: stop at the first, or skip and count by
//!   [`ErrorKind::reason`].
//! - **Bytes are preserved.** A record's other fields are kept as raw JSON and its
//!   original line is kept whole, so whatever reprint writes back is byte-for-byte what
//!   came in.
//! - **Memory is bounded per record.** Lines are read into one reused buffer capped at
//!   `max_record_bytes`; a longer line is streamed past, not loaded.
//! - **Deterministic.** Inputs are read in the order given, folders in sorted path order,
//!   and ids are checked for duplicates across all inputs (the first one wins).
//! - **Streaming.** One file is open at a time and compression is detected from magic
//!   bytes, so stdin and files with misleading names work the same way.

pub mod checkpoint;
pub mod input;
pub mod manifest;
pub mod output;
pub mod pairs;
pub mod spool;
pub mod stage;

pub use input::folder::{decode_bytes, detect_encoding};
pub use input::ids::IdSet;
pub use input::memory::{read_memory, MemoryRecord, MEMORY_NAME};
/// The arrow-rs crates Parquet input is read with (feature `parquet`), for front ends
/// and tests that write Parquet of their own.
#[cfg(feature = "parquet")]
pub use input::parquet::read_arrow;
pub use input::{
    open_inputs, open_inputs_shard, ErrorKind, InputError, Origin, ReadOptions, Reader, Record,
    Shard, TextEncoding, WebStats, WebStatsHandle, DEFAULT_MAX_RECORD_BYTES, STDIN_NAME,
};
#[cfg(feature = "parquet")]
pub use {arrow_array, arrow_schema, parquet};
