//! Scans with a work folder (`--work DIR`): pass 1 kept on disk, shard by shard, so a
//! killed scan picks up where it stopped and pass 1 can run on several machines.
//!
//! # Flow
//!
//! [`scan_shard`] runs pass 1 over one [`Shard`] of the inputs (consecutive files of
//! about equal size, `reprint_io::Shard`) and writes its stage files
//! (`reprint_io::stage`): every document's id, fields, origin, pass-1 analysis and text.
//! [`crate::scan_in_work`] finds the complete shards made under the same key, runs the
//! missing ones itself, and merges them into the [`Corpus`] one in-memory pass 1 would
//! have built; every later stage runs on it unchanged, so the output is byte for byte
//! the in-memory scan's. A shard already complete is never redone, so a scan killed
//! during pass 1 loses only the shards it was writing, and one killed later loses
//! nothing of pass 1 (the later stages, a few seconds per 100,000 documents against
//! pass 1's tens, are rerun).
//!
//! # The key
//!
//! A shard is reused only when its key matches: a hash of the stage format, the
//! crate's version, the analysis options (what pass 1 computes), the read options and
//! every input (path, size and modification time of each file, folders walked). A
//! changed input or setting makes every shard stale; stale shards are rewritten in
//! place, never merged.
//!
//! # Merging
//!
//! Shards are concatenated in shard order, which is input order. Ids are checked for
//! duplicates across shards, as one reader checks them across files (each shard only
//! saw its own): a later duplicate is an error naming its file and line, or skipped and
//! counted with `--skip-invalid`, exactly as one pass would have done.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use reprint_core::fingerprint::analysis::Analyzer;
use reprint_io::stage::{encode_text, ShardInfo, ShardWriter, StagedShard};
use reprint_io::{open_inputs_shard, ErrorKind, IdSet, InputError, ReadOptions, Shard};
use serde_json::value::RawValue;
use xxhash_rust::xxh3::Xxh3;

use crate::ingest::{run_pass1, site_of_fields, Corpus, ReadSummary};
use crate::{InputSpec, JobError, Progress};

/// A scan's work folder and how to cut its pass 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkFolder {
    pub dir: std::path::PathBuf,
    /// Shards to cut pass 1 into (`--shards`); `None`: the count the folder's shards
    /// were made with, else one per [`SHARD_BYTES`] of input (at most one per file).
    pub shards: Option<u32>,
}

impl WorkFolder {
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        WorkFolder {
            dir: dir.into(),
            shards: None,
        }
    }
}

/// What a scan did with its work folder's pass 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkReport {
    /// Shards pass 1 was cut into.
    pub shards: u32,
    /// Shards found complete and reused.
    pub reused: u32,
    /// Shards run by this scan.
    pub run: u32,
}

/// The key of pass 1's stage files for `input` read with `analyzer` (see the module
/// docs).
pub fn stage_key(input: &InputSpec, analyzer: &Analyzer) -> Result<String, JobError> {
    let mut h = Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put(&reprint_io::stage::FORMAT.to_le_bytes());
    put(env!("CARGO_PKG_VERSION").as_bytes());
    put(format!("{:?}", analyzer.options()).as_bytes());
    let ReadOptions {
        id_field,
        text_field,
        max_record_bytes,
        txt_encoding,
        keep_raw: _,
    } = &input.read;
    put(format!("{id_field:?} {text_field:?} {max_record_bytes} {txt_encoding:?}").as_bytes());
    for path in &input.inputs {
        put(path.as_os_str().as_encoded_bytes());
        hash_path(path, &mut put).map_err(|e| JobError::file("cannot inspect", path, e))?;
    }
    Ok(format!("{:032x}", h.digest128()))
}

/// Hashes what identifies the content of `path`: size and modification time of a
/// file, of every file under a folder (in sorted order).
fn hash_path(path: &Path, put: &mut impl FnMut(&[u8])) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            put(entry.as_os_str().as_encoded_bytes());
            hash_path(&entry, put)?;
        }
    } else {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        put(&meta.len().to_le_bytes());
        put(&modified.to_le_bytes());
    }
    Ok(())
}

/// Pass 1 of `shard` of `input` into the work folder `work`, unless a complete shard
/// made under `key` is already there. Returns its info and whether it was run.
pub fn run_shard(
    input: &InputSpec,
    analyzer: &Analyzer,
    key: &str,
    work: &Path,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<(ShardInfo, bool), JobError> {
    if let Some(done) = complete_shard(work, key, shard)? {
        return Ok((done, false));
    }
    let read = ReadOptions {
        keep_raw: false,
        ..input.read.clone()
    };
    let reader = open_inputs_shard(&input.inputs, &read, shard).map_err(JobError::BadInput)?;
    let web_stats = reader.web_stats_handle();
    progress.reading(reader.total_bytes());
    let written = write_shard(
        reader,
        |reader| reader.bytes_read(),
        input.skip_invalid,
        analyzer,
        work,
        shard,
        progress,
    )?;
    finish_shard(written, key, web_stats.get())
}

/// The info of the complete shard `shard` made under `key` in `work`, if there is one.
fn complete_shard(work: &Path, key: &str, shard: Shard) -> Result<Option<ShardInfo>, JobError> {
    Ok(StagedShard::list(work)
        .map_err(|e| JobError::io("cannot read the work folder", e))?
        .into_iter()
        .find(|s| s.info.key == key && s.info.shard() == shard)
        .map(|s| s.info))
}

/// Pass 1 of `items` into the stage files of `shard` (not yet finished: see
/// [`finish_shard`]).
fn write_shard<I, B>(
    items: I,
    bytes_read_of: B,
    skip_invalid: bool,
    analyzer: &Analyzer,
    work: &Path,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<(std::collections::BTreeMap<String, u64>, ShardWriter), JobError>
where
    I: Iterator<Item = Result<reprint_io::Record, InputError>> + Send,
    B: Fn(&I) -> u64 + Send,
{
    let mut writer = ShardWriter::create(work, shard)
        .map_err(|e| JobError::io("cannot create the shard's stage files", e))?;
    let summary = run_pass1(
        items,
        bytes_read_of,
        skip_invalid,
        analyzer,
        progress,
        |records, analyses| {
            // Texts compressed on the pool, written in order.
            let texts: Vec<Vec<u8>> = records
                .par_iter()
                .map(|r| encode_text(&r.text))
                .collect::<Result<_, _>>()
                .map_err(|e| JobError::io("cannot compress a text for the stage files", e))?;
            for ((record, analysis), text) in records.iter().zip(&analyses).zip(&texts) {
                writer
                    .append_encoded(record, analysis, text)
                    .map_err(|e| JobError::io("cannot write the shard's stage files", e))?;
            }
            Ok(())
        },
    )?;
    Ok((summary.skipped, writer))
}

/// Finishes a shard's stage files (renamed into place under `key`).
fn finish_shard(
    (skipped, writer): (std::collections::BTreeMap<String, u64>, ShardWriter),
    key: &str,
    web: reprint_io::WebStats,
) -> Result<(ShardInfo, bool), JobError> {
    let info = writer
        .finish(key, skipped, web)
        .map_err(|e| JobError::io("cannot finish the shard's stage files", e))?;
    Ok((info, true))
}

/// The key of stage files made from records a front end hands over rather than files
/// (a Spark partition, say): a hash of the stage format, the crate's version, the
/// analysis and read options and the caller's `job`, which names the data (the same
/// `job` over other data would reuse shards that do not belong to it).
pub fn records_key(analyzer: &Analyzer, read: &ReadOptions, job: &str) -> String {
    let mut h = Xxh3::new();
    let mut put = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    put(b"records");
    put(&reprint_io::stage::FORMAT.to_le_bytes());
    put(env!("CARGO_PKG_VERSION").as_bytes());
    put(format!("{:?}", analyzer.options()).as_bytes());
    put(format!("{:?} {:?}", read.id_field, read.text_field).as_bytes());
    put(job.as_bytes());
    format!("{:032x}", h.digest128())
}

/// Pass 1 of a stream of records as `shard` of the work folder `work` under `key`
/// ([`records_key`]), unless that shard is complete there already. Returns its info
/// and whether it was run.
pub fn stage_stream<I>(
    items: I,
    skip_invalid: bool,
    analyzer: &Analyzer,
    key: &str,
    work: &Path,
    shard: Shard,
    progress: &dyn Progress,
) -> Result<(ShardInfo, bool), JobError>
where
    I: Iterator<Item = Result<reprint_io::Record, InputError>> + Send,
{
    if let Some(done) = complete_shard(work, key, shard)? {
        return Ok((done, false));
    }
    progress.reading(None);
    let written = write_shard(items, |_| 0, skip_invalid, analyzer, work, shard, progress)?;
    progress.read_done();
    finish_shard(written, key, reprint_io::WebStats::default())
}

/// The corpus of the `count` shards made under `key` in `work`, merged; an error naming
/// the shards missing.
pub fn merge_staged(
    work: &Path,
    key: &str,
    count: u32,
    skip_invalid: bool,
    progress: &dyn Progress,
) -> Result<Corpus, JobError> {
    let shards: Vec<StagedShard> = StagedShard::list(work)
        .map_err(|e| JobError::io("cannot read the work folder", e))?
        .into_iter()
        .filter(|s| s.info.key == key && s.info.count == count)
        .collect();
    if shards.len() != count as usize {
        let missing: Vec<String> = (0..count)
            .filter(|&i| !shards.iter().any(|s| s.info.index == i))
            .take(10)
            .map(|i| i.to_string())
            .collect();
        return Err(JobError::io(
            "shards missing from the work folder",
            std::io::Error::other(format!(
                "{} of {count} shards found under this key (missing: {}{})",
                shards.len(),
                missing.join(", "),
                if count as usize - shards.len() > missing.len() {
                    ", ..."
                } else {
                    ""
                }
            )),
        ));
    }
    merge(&shards, skip_invalid, progress)
}

/// Pass 1 through the work folder: the shards found complete under this input's key
/// are reused, the missing ones of their count run here (one shard when none is
/// found), and all are merged into the corpus one pass would have built. Returns the
/// corpus, what was reused and run, and the shards' key.
pub fn pass1_in_work(
    input: &InputSpec,
    analyzer: &Analyzer,
    folder: &WorkFolder,
    progress: &dyn Progress,
) -> Result<(Corpus, WorkReport, String), JobError> {
    let work = folder.dir.as_path();
    let key = stage_key(input, analyzer)?;
    let found: Vec<StagedShard> = StagedShard::list(work)
        .map_err(|e| JobError::io("cannot read the work folder", e))?
        .into_iter()
        .filter(|s| s.info.key == key)
        .collect();
    // The count most shards were made with (ties: the smaller count); with none, one
    // shard per SHARD_BYTES of input.
    let mut count = 0;
    let mut best = 0;
    for s in &found {
        let n = found
            .iter()
            .filter(|o| o.info.count == s.info.count)
            .count();
        if n > best || (n == best && s.info.count < count) {
            (count, best) = (s.info.count, n);
        }
    }
    if let Some(n) = folder.shards {
        count = n;
    } else if count == 0 {
        count = default_shards(input)?;
    }
    if count == 0 {
        return Err(JobError::InvalidOption(
            "--shards must be at least 1".to_owned(),
        ));
    }
    let done: Vec<bool> = (0..count)
        .map(|index| {
            found
                .iter()
                .any(|s| s.info.shard() == (Shard { index, count }))
        })
        .collect();
    let missing: Vec<u32> = (0..count).filter(|&i| !done[i as usize]).collect();
    let report = WorkReport {
        shards: count,
        reused: count - missing.len() as u32,
        run: missing.len() as u32,
    };
    run_shards(input, analyzer, &key, work, count, &missing, progress)?;
    let corpus = merge_staged(work, &key, count, input.skip_invalid, progress)?;
    Ok((corpus, report, key))
}

/// Input bytes per shard when a work folder has none yet: a kill loses at most one
/// shard's pass 1 per thread, and the shards of several files are read in parallel.
pub const SHARD_BYTES: u64 = 256 << 20;

/// One shard per [`SHARD_BYTES`] of input, at most one per input file.
fn default_shards(input: &InputSpec) -> Result<u32, JobError> {
    let reader = reprint_io::open_inputs(&input.inputs, &input.read).map_err(JobError::BadInput)?;
    let Some(total) = reader.total_bytes() else {
        return Ok(1); // a stream: one shard
    };
    let files = reader.pending_files().max(1) as u64;
    Ok(total
        .div_ceil(SHARD_BYTES)
        .clamp(1, files)
        .min(u64::from(u32::MAX)) as u32)
}

/// Runs pass 1 of the `missing` shards of `count`, as many at once as rayon has
/// threads (each shard has its own reader; their analyses share the pool). Progress
/// shows the bytes of all of them together. On failure, the error of the first shard
/// in order that failed.
fn run_shards(
    input: &InputSpec,
    analyzer: &Analyzer,
    key: &str,
    work: &Path,
    count: u32,
    missing: &[u32],
    progress: &dyn Progress,
) -> Result<(), JobError> {
    if missing.is_empty() {
        return Ok(());
    }
    let read = ReadOptions {
        keep_raw: false,
        ..input.read.clone()
    };
    let total: Option<u64> = missing.iter().try_fold(0u64, |sum, &index| {
        let reader = open_inputs_shard(&input.inputs, &read, Shard { index, count }).ok()?;
        Some(sum + reader.total_bytes()?)
    });
    progress.reading(total);
    let shared = SharedProgress {
        inner: progress,
        bytes: missing.iter().map(|_| AtomicU64::new(0)).collect(),
    };
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let workers = rayon::current_num_threads().clamp(1, missing.len());
    let mut errors: Vec<(u32, JobError)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut errors = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let slot = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&index) = missing.get(slot) else {
                            break;
                        };
                        let mine = ShardProgress {
                            shared: &shared,
                            slot,
                        };
                        let shard = Shard { index, count };
                        if let Err(err) = run_shard(input, analyzer, key, work, shard, &mine) {
                            failed.store(true, Ordering::Relaxed);
                            errors.push((index, err));
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    progress.read_done();
    errors.sort_by_key(|(index, _)| *index);
    match errors.into_iter().next() {
        Some((_, err)) => Err(err),
        None => Ok(()),
    }
}

/// The progress of shards run at once: their bytes read, added up.
struct SharedProgress<'a> {
    inner: &'a dyn Progress,
    bytes: Vec<AtomicU64>,
}

/// One shard's view of [`SharedProgress`].
struct ShardProgress<'a> {
    shared: &'a SharedProgress<'a>,
    slot: usize,
}

impl Progress for ShardProgress<'_> {
    fn read(&self, bytes: u64) {
        self.shared.bytes[self.slot].store(bytes, Ordering::Relaxed);
        let sum = self
            .shared
            .bytes
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .sum();
        self.shared.inner.read(sum);
    }

    fn warn(&self, line: &str) {
        self.shared.inner.warn(line);
    }
}

/// The corpus of `shards` taken in order (see the module docs on duplicates).
fn merge(
    shards: &[StagedShard],
    skip_invalid: bool,
    progress: &dyn Progress,
) -> Result<Corpus, JobError> {
    let total: u64 = shards.iter().map(|s| s.info.documents).sum();
    let capacity = usize::try_from(total).map_err(|_| JobError::TooManyDocuments)?;
    let mut corpus = Corpus {
        ids: Vec::with_capacity(capacity),
        fields: Vec::with_capacity(capacity),
        sites: Vec::with_capacity(capacity),
        analyses: Vec::with_capacity(capacity),
        texts: None,
        summary: ReadSummary::default(),
    };
    let mut ids = IdSet::new();
    let mut warnings = 0u64;
    let mut spools = Vec::with_capacity(shards.len());
    for shard in shards {
        let info = &shard.info;
        for (reason, n) in &info.skipped {
            *corpus.summary.skipped.entry(reason.clone()).or_default() += n;
        }
        let web = &mut corpus.summary.web;
        web.pages += info.web.pages;
        web.extracted += info.web.extracted;
        web.empty += info.web.empty;
        for (kind, n) in &info.web.skipped {
            *web.skipped.entry(kind.clone()).or_default() += n;
        }
        let mut kept: Vec<u32> = Vec::new();
        let mut dropped = false;
        let mut local = 0u32;
        let lengths = shard.read_documents(|doc| -> Result<(), JobError> {
            let here = local;
            local += 1;
            if !ids.insert(&doc.id) {
                let err = InputError::new(
                    &info.files[doc.file as usize],
                    Some(doc.line),
                    ErrorKind::DuplicateId(doc.id),
                );
                if !skip_invalid {
                    return Err(JobError::BadInput(err));
                }
                corpus
                    .summary
                    .skip(err.kind.reason(), &mut warnings, progress, &err);
                dropped = true;
                return Ok(());
            }
            kept.push(here);
            let mut fields = Vec::with_capacity(doc.fields.len());
            for (name, value) in doc.fields {
                let value = RawValue::from_string(value).map_err(|e| {
                    JobError::io(
                        "a stage file holds a field that is not JSON",
                        std::io::Error::other(e),
                    )
                })?;
                fields.push((name, value));
            }
            corpus.sites.push(site_of_fields(&fields));
            corpus.ids.push(doc.id);
            corpus.fields.push(fields);
            corpus.analyses.push(doc.analysis);
            Ok(())
        })?;
        let mut spool = shard
            .texts(&lengths)
            .map_err(|e| JobError::io("cannot open the shard's texts", e))?;
        if dropped {
            spool = spool
                .keep_only(kept)
                .map_err(|e| JobError::io("cannot open the shard's texts", e))?;
        }
        spools.push(spool);
    }
    corpus.summary.accepted = corpus.ids.len() as u64;
    corpus.texts = Some(reprint_io::spool::SpoolReader::concat(spools));
    if corpus.ids.len() > u32::MAX as usize {
        return Err(JobError::TooManyDocuments);
    }
    Ok(corpus)
}
