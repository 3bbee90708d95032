//! Read -> normalise -> fingerprint: the streaming front of every job (pass 1).
//!
//! A reader thread parses records into batches while the rayon pool analyses the
//! previous batch, so JSON parsing overlaps tokenising. Only what later stages need is
//! kept per document (id, carried fields, site, pass-1 analysis); the text goes to a
//! spool file for pass 2, so memory grows with the number of documents, not their size.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use reprint_core::fingerprint::analysis::{AnalysisOptions, Analyzer, DocAnalysis};
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_io::spool::{SpoolReader, SpoolWriter};
use reprint_io::{open_inputs, InputError, ReadOptions, Record, WebStats};
use serde_json::value::RawValue;

use crate::{InputSpec, JobError, Progress};

/// The documents of a run, in input order, as later stages need them.
#[derive(Debug)]
pub struct Corpus {
    pub ids: Vec<String>,
    pub fields: Vec<Vec<(String, Box<RawValue>)>>,
    /// The `site` field, when the record has one (boilerplate is judged per site).
    pub sites: Vec<Option<String>>,
    pub analyses: Vec<DocAnalysis>,
    /// The texts, for pass 2 (when asked for).
    pub texts: Option<SpoolReader>,
    pub summary: ReadSummary,
}

impl Corpus {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn site(&self, doc: usize) -> Option<&str> {
        self.sites.get(doc).and_then(|s| s.as_deref())
    }

    /// The value of a record's string field `name`, when it has one.
    pub fn string_field(&self, doc: usize, name: &str) -> Option<String> {
        self.fields
            .get(doc)?
            .iter()
            .find(|(field, _)| field == name)
            .and_then(|(_, value)| serde_json::from_str::<String>(value.get()).ok())
    }

    /// Each document's `date` field as `yyyymmdd` (missing parts 0), where it starts
    /// with an ISO 8601 date (`2024`, `2024-10`, `2024-10-03`, `2024-10-03T08:00Z`...).
    pub fn dates(&self) -> Vec<Option<u32>> {
        (0..self.len())
            .map(|doc| {
                self.string_field(doc, "date")
                    .and_then(|date| parse_date(&date))
            })
            .collect()
    }

    /// Corpus-wide counts of short lines, for recurring boilerplate.
    pub fn line_counter(&self, options: &AnalysisOptions) -> LineCounter {
        let mut counter = LineCounter::new(options.boilerplate.clone());
        for (doc, analysis) in self.analyses.iter().enumerate() {
            counter.add_document_lines(
                self.site(doc),
                &analysis.short_lines,
                &analysis.long_line_hashes(),
            );
        }
        counter.compact();
        counter
    }
}

/// `yyyymmdd` of an ISO 8601 date prefix; month and day may be missing (then 0).
pub fn parse_date(text: &str) -> Option<u32> {
    let text = text.trim();
    let mut parts = text.splitn(3, '-');
    let year: u32 = parts.next()?.get(..4)?.parse().ok()?;
    let number = |part: Option<&str>, max: u32| -> Option<u32> {
        match part {
            None => Some(0),
            Some(p) => {
                let digits = p.get(..2)?;
                let n: u32 = digits.parse().ok()?;
                (1..=max).contains(&n).then_some(n)
            }
        }
    };
    if text.len() > 4 && text.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let month = number(parts.next(), 12)?;
    let day = number(parts.next(), 31)?;
    Some(year * 10_000 + month * 100 + day)
}

/// The `site` field of a record, when it is a non-empty JSON string.
pub fn site_of(record: &Record) -> Option<String> {
    site_of_fields(&record.fields)
}

/// [`site_of`] a record's fields.
pub fn site_of_fields(fields: &[(String, Box<RawValue>)]) -> Option<String> {
    fields
        .iter()
        .find(|(name, _)| name == "site")
        .and_then(|(_, value)| serde_json::from_str::<String>(value.get()).ok())
        .filter(|site| !site.is_empty())
}

/// What was read and what was skipped, by reason: every record is one or the other.
#[derive(Debug, Default)]
pub struct ReadSummary {
    pub accepted: u64,
    pub skipped: BTreeMap<String, u64>,
    /// Web inputs: pages found, extracted and empty; archive records that are not pages.
    pub web: WebStats,
}

impl ReadSummary {
    /// Counts a record skipped for `reason`, warning about the first few.
    pub(crate) fn skip(
        &mut self,
        reason: &str,
        warnings: &mut u64,
        progress: &dyn Progress,
        err: &dyn std::fmt::Display,
    ) {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
        *warnings += 1;
        if *warnings <= MAX_WARNINGS {
            progress.warn(&format!("skipped: {err}"));
        } else if *warnings == MAX_WARNINGS + 1 {
            progress.warn("skipped: more bad records; the summary counts them all");
        }
    }

    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// `read N records: A accepted, S skipped (reason: n, ...)`.
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

/// Bad records reported one by one before the summary takes over.
const MAX_WARNINGS: u64 = 20;

/// Where pass 1 puts what it reads besides the analyses.
pub struct Keep<'a> {
    /// Each accepted record's original line, appended in input order (dedup's output).
    pub raw: Option<&'a mut dyn Write>,
    /// Keep the texts in a spool file for pass 2.
    pub texts: bool,
}

/// Reads every input and analyses every accepted record (see [`Keep`] for what else
/// is kept).
pub fn ingest(
    input: &InputSpec,
    analyzer: &Analyzer,
    progress: &dyn Progress,
    keep: Keep<'_>,
) -> Result<Corpus, JobError> {
    // The original lines are only read when they are written back.
    let read = ReadOptions {
        keep_raw: keep.raw.is_some(),
        ..input.read.clone()
    };
    let reader = open_inputs(&input.inputs, &read).map_err(JobError::BadInput)?;
    let web_stats = reader.web_stats_handle();
    progress.reading(reader.total_bytes());
    let mut corpus = ingest_from(
        reader,
        |reader| reader.bytes_read(),
        input.skip_invalid,
        analyzer,
        progress,
        keep,
    )?;
    corpus.summary.web = web_stats.get();
    Ok(corpus)
}

/// [`ingest`] over any stream of records (a front end's Arrow batches, for one).
pub fn ingest_stream<I>(
    items: I,
    skip_invalid: bool,
    analyzer: &Analyzer,
    progress: &dyn Progress,
    keep: Keep<'_>,
) -> Result<Corpus, JobError>
where
    I: Iterator<Item = Result<Record, InputError>> + Send,
{
    progress.reading(None);
    ingest_from(items, |_| 0, skip_invalid, analyzer, progress, keep)
}

/// Pass 1 over any stream of records into a [`Corpus`] (see [`run_pass1`]).
fn ingest_from<I, B>(
    items: I,
    bytes_read_of: B,
    skip_invalid: bool,
    analyzer: &Analyzer,
    progress: &dyn Progress,
    keep: Keep<'_>,
) -> Result<Corpus, JobError>
where
    I: Iterator<Item = Result<Record, InputError>> + Send,
    B: Fn(&I) -> u64 + Send,
{
    let Keep {
        raw: mut raw_out,
        texts: keep_texts,
    } = keep;
    let mut corpus = Corpus {
        ids: Vec::new(),
        fields: Vec::new(),
        sites: Vec::new(),
        analyses: Vec::new(),
        texts: None,
        summary: ReadSummary::default(),
    };
    let mut texts = if keep_texts {
        Some(
            SpoolWriter::new()
                .map_err(|e| JobError::io("cannot create a temporary file for texts", e))?,
        )
    } else {
        None
    };
    let summary = run_pass1(
        items,
        bytes_read_of,
        skip_invalid,
        analyzer,
        progress,
        |records, analyses| {
            corpus.analyses.extend(analyses);
            for record in records {
                if let Some(raw) = raw_out.as_deref_mut() {
                    raw.write_all(record.raw.as_bytes())
                        .and_then(|()| raw.write_all(b"\n"))
                        .map_err(|e| JobError::io("cannot write the spool file", e))?;
                }
                if let Some(texts) = texts.as_mut() {
                    texts
                        .append(&record.text)
                        .map_err(|e| JobError::io("cannot write texts to the temporary file", e))?;
                }
                corpus.sites.push(site_of(&record));
                corpus.ids.push(record.id);
                corpus.fields.push(record.fields);
            }
            Ok(())
        },
    )?;
    corpus.summary = summary;
    if let Some(texts) = texts {
        corpus.texts = Some(
            texts
                .finish()
                .map_err(|e| JobError::io("cannot write texts to the temporary file", e))?,
        );
    }
    if corpus.ids.len() > u32::MAX as usize {
        return Err(JobError::TooManyDocuments);
    }
    Ok(corpus)
}

/// Pass 1 over any stream of records: a thread pulls batches from `items` while rayon
/// analyses the previous batch (`bytes_read` tells the progress bar how far it got);
/// each batch of accepted records goes to `take` with its analyses, in input order.
/// Returns what was accepted and skipped (web stats left to the caller).
pub(crate) fn run_pass1<I, B>(
    items: I,
    bytes_read_of: B,
    skip_invalid: bool,
    analyzer: &Analyzer,
    progress: &dyn Progress,
    mut take: impl FnMut(Vec<Record>, Vec<DocAnalysis>) -> Result<(), JobError>,
) -> Result<ReadSummary, JobError>
where
    I: Iterator<Item = Result<Record, InputError>> + Send,
    B: Fn(&I) -> u64 + Send,
{
    let reader = items;
    let bytes_read = AtomicU64::new(0);
    let mut summary = ReadSummary::default();
    let mut warnings = 0u64;

    std::thread::scope(|scope| -> Result<(), JobError> {
        let (sender, receiver) = sync_channel::<Vec<Result<Record, InputError>>>(4);
        let bytes_read = &bytes_read;
        scope.spawn(move || {
            let mut reader = reader;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(item) = reader.next() {
                batch.push(item);
                if batch.len() == BATCH {
                    bytes_read.store(bytes_read_of(&reader), Ordering::Relaxed);
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if sender.send(full).is_err() {
                        return; // the consumer stopped on an error
                    }
                }
            }
            bytes_read.store(bytes_read_of(&reader), Ordering::Relaxed);
            // Ignoring a send error is right: it only means the consumer already stopped.
            let _ = sender.send(batch);
        });

        for batch in receiver {
            let mut records = Vec::with_capacity(batch.len());
            for item in batch {
                match item {
                    Ok(record) => records.push(record),
                    Err(err) if skip_invalid => {
                        summary.skip(err.kind.reason(), &mut warnings, progress, &err);
                    }
                    Err(err) => return Err(JobError::BadInput(err)),
                }
            }
            let analyses: Vec<DocAnalysis> = records
                .par_iter()
                .map(|record| analyzer.analyze(&record.text))
                .collect();
            summary.accepted += records.len() as u64;
            take(records, analyses)?;
            progress.read(bytes_read.load(Ordering::Relaxed));
        }
        Ok(())
    })?;
    progress.read_done();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_parse_from_iso_prefixes() {
        assert_eq!(parse_date("2024-10-03"), Some(20241003));
        assert_eq!(parse_date("2024-10-03T08:00:00Z"), Some(20241003));
        assert_eq!(parse_date("2024-10"), Some(20241000));
        assert_eq!(parse_date("2024"), Some(20240000));
        assert_eq!(parse_date(" 2024-1-03"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("03/10/2024"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
