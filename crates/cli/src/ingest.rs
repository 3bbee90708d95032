//! Read -> normalise -> fingerprint: the streaming front of every job.
//!
//! A reader thread parses records into batches while the rayon pool fingerprints the
//! previous batch, so JSON parsing overlaps tokenising. Only what later stages need is
//! kept per document (id, carried fields, fingerprint); the text is dropped as soon as it
//! is fingerprinted, which bounds memory by the number of documents, not their size.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;
use reprint_core::fingerprint::{Fingerprint, FingerprintOptions, Fingerprinter};
use reprint_core::scan::{MatchOptions, DEFAULT_THRESHOLD};
use reprint_core::text::TextOptions;
use reprint_io::{open_inputs, InputError, ReadOptions, Record};
use serde_json::value::RawValue;

use crate::progress::Ui;

/// Where documents come from and what to do with bad records.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// JSONL files (plain, .gz or .zst), folders of .txt files, or `-` for JSONL on stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// JSON field holding the document id (a record without one gets `<file>:<line>`).
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSON field holding the document text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Skip bad records (counted by reason in the summary) instead of stopping.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Largest accepted record (one JSONL line or one .txt file), in bytes.
    #[arg(long, default_value_t = 16 << 20)]
    pub max_record_bytes: usize,
}

/// How documents are compared.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Near-duplicate threshold: minimum estimated Jaccard similarity of word n-gram sets.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Words per shingle.
    #[arg(long, default_value_t = 5)]
    pub ngram: usize,
    /// MinHash signature length.
    #[arg(long, default_value_t = 128)]
    pub num_perm: usize,
    /// Fold accents ("é" = "e") when comparing.
    #[arg(long)]
    pub fold_accents: bool,
}

impl MatchArgs {
    pub fn fingerprint_options(&self) -> anyhow::Result<FingerprintOptions> {
        if self.ngram == 0 {
            bail!("--ngram must be at least 1");
        }
        if self.num_perm < 8 {
            bail!("--num-perm must be at least 8");
        }
        Ok(FingerprintOptions {
            text: TextOptions {
                fold_accents: self.fold_accents,
            },
            ngram: self.ngram,
            num_perm: self.num_perm,
        })
    }

    pub fn match_options(&self) -> anyhow::Result<MatchOptions> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            bail!("--threshold must be in (0, 1], got {}", self.threshold);
        }
        Ok(MatchOptions {
            threshold: self.threshold,
            banding: None,
        })
    }
}

/// The documents of a run, in input order, as later stages need them.
#[derive(Debug, Default)]
pub struct Corpus {
    pub ids: Vec<String>,
    pub fields: Vec<Vec<(String, Box<RawValue>)>>,
    pub fingerprints: Vec<Fingerprint>,
    pub summary: ReadSummary,
}

/// What was read and what was skipped, by reason: every record is one or the other.
#[derive(Debug, Default)]
pub struct ReadSummary {
    pub accepted: u64,
    pub skipped: BTreeMap<&'static str, u64>,
}

impl ReadSummary {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    pub fn describe(&self) -> String {
        let skipped = self.skipped_total();
        let mut line = format!(
            "read {} records: {} accepted, {} skipped",
            self.accepted + skipped,
            self.accepted,
            skipped
        );
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(reason, n)| format!("{reason}: {n}"))
                .collect();
            line.push_str(&format!(" ({})", reasons.join(", ")));
        }
        line
    }
}

const BATCH: usize = 1024;

/// Reads every input and fingerprints every accepted record. With `spool`, each accepted
/// record's original line is appended to it (for dedup's second pass).
pub fn ingest(
    input: &InputArgs,
    fingerprinter: &Fingerprinter,
    ui: &Ui,
    mut spool: Option<&mut dyn Write>,
) -> anyhow::Result<Corpus> {
    let options = ReadOptions {
        id_field: input.id_field.clone(),
        text_field: input.text_field.clone(),
        max_record_bytes: input.max_record_bytes,
    };
    let reader = open_inputs(&input.inputs, &options)?;
    let bar = ui.bytes_bar(reader.total_bytes());
    bar.set_message("reading");
    let bytes_read = AtomicU64::new(0);
    let mut corpus = Corpus::default();

    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (sender, receiver) = sync_channel::<Vec<Result<Record, InputError>>>(4);
        let bytes_read = &bytes_read;
        scope.spawn(move || {
            let mut reader = reader;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(item) = reader.next() {
                batch.push(item);
                if batch.len() == BATCH {
                    bytes_read.store(reader.bytes_read(), Ordering::Relaxed);
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if sender.send(full).is_err() {
                        return; // the consumer stopped on an error
                    }
                }
            }
            bytes_read.store(reader.bytes_read(), Ordering::Relaxed);
            // Ignoring a send error is right: it only means the consumer already stopped.
            let _ = sender.send(batch);
        });

        for batch in receiver {
            let mut records = Vec::with_capacity(batch.len());
            for item in batch {
                match item {
                    Ok(record) => records.push(record),
                    Err(err) if input.skip_invalid => {
                        *corpus.summary.skipped.entry(err.kind.reason()).or_default() += 1;
                        ui.say(&format!("skipped: {err}"));
                    }
                    Err(err) => {
                        return Err(anyhow::Error::new(err))
                            .context("bad input (use --skip-invalid to skip bad records)");
                    }
                }
            }
            let fingerprints: Vec<Fingerprint> = records
                .par_iter()
                .map(|record| fingerprinter.fingerprint(&record.text))
                .collect();
            corpus.fingerprints.extend(fingerprints);
            for record in records {
                if let Some(spool) = spool.as_deref_mut() {
                    spool.write_all(record.raw.as_bytes())?;
                    spool.write_all(b"\n")?;
                }
                corpus.ids.push(record.id);
                corpus.fields.push(record.fields);
            }
            corpus.summary.accepted = corpus.ids.len() as u64;
            bar.set_position(bytes_read.load(Ordering::Relaxed));
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    if corpus.ids.len() > u32::MAX as usize {
        bail!(
            "more than {} documents in one run are not supported",
            u32::MAX
        );
    }
    Ok(corpus)
}
