//! Read -> normalise -> fingerprint: the streaming front of every job (pass 1).
//!
//! A reader thread parses records into batches while the rayon pool analyses the
//! previous batch, so JSON parsing overlaps tokenising. Only what later stages need is
//! kept per document (id, carried fields, site, pass-1 analysis); the text goes to a
//! spool file for pass 2, so memory grows with the number of documents, not their size.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;
use reprint_core::align::verify::PartialOptions;
use reprint_core::candidates::passage::PassageIndexOptions;
use reprint_core::fingerprint::analysis::{AnalysisOptions, Analyzer, DocAnalysis};
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_core::fingerprint::FingerprintOptions;
use reprint_core::normalise::text::TextOptions;
use reprint_core::scan::{MatchOptions, DEFAULT_THRESHOLD};
use reprint_core::story::StoryOptions;
use reprint_io::spool::{SpoolReader, SpoolWriter};
use reprint_io::{open_inputs, ErrorKind, InputError, ReadOptions, Record, TextEncoding};
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
    /// Encoding of .txt files: `utf-8` (anything else is an error), `auto` (UTF-8 when
    /// valid, otherwise detected: windows-1252, windows-1251, Shift_JIS, ...) or a label
    /// such as `latin1`. JSONL is always UTF-8.
    #[arg(long, default_value = "utf-8", value_parser = parse_encoding)]
    pub txt_encoding: TextEncoding,
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
    /// Only exact and near-duplicates: skip the passage search (partial reuse), the
    /// boilerplate and repetition reports, and the second pass they need.
    #[arg(long)]
    pub no_passages: bool,
    /// A passage key found in more documents than this is treated as a stock phrase or
    /// template, not evidence of reuse.
    #[arg(long, default_value_t = PassageIndexOptions::default().max_df)]
    pub max_df: usize,
    /// Words a pair's aligned passages must share in all to make a partial match.
    #[arg(long, default_value_t = PartialOptions::default().min_matched)]
    pub min_passage_words: usize,
    /// Minimum similarity of an aligned passage (share of its words kept identical).
    #[arg(long, default_value_t = PartialOptions::default().align.min_similarity)]
    pub min_passage_similarity: f64,
    /// Passage keys two documents must share before they are aligned.
    #[arg(long, default_value_t = PassageIndexOptions::default().min_shared)]
    pub min_shared_keys: usize,
    /// Skip the search for rewrites and same-story links (documents telling the same
    /// story in other words).
    #[arg(long)]
    pub no_stories: bool,
    /// Score (0-1) a rewrite or same-story link needs.
    #[arg(long, default_value_t = StoryOptions::default().min_score)]
    pub min_story_score: f32,
    /// Score (0-1) from which a weaker story link still corroborates: a document in no
    /// cluster joins one when such links to two or more of its versions together reach
    /// --min-story-score. Set it to --min-story-score or above to turn this off.
    #[arg(long, default_value_t = StoryOptions::default().min_corroborating_score)]
    pub min_corroborating_score: f32,
    /// Similarity (weighted overlap of content stems, 0-1) at which two sentences are
    /// aligned as saying the same thing.
    #[arg(long, default_value_t = StoryOptions::default().min_sentence_similarity)]
    pub min_sentence_similarity: f32,
}

impl MatchArgs {
    pub fn analysis_options(&self) -> anyhow::Result<AnalysisOptions> {
        if self.ngram == 0 {
            bail!("--ngram must be at least 1");
        }
        if self.num_perm < 8 {
            bail!("--num-perm must be at least 8");
        }
        Ok(AnalysisOptions {
            fingerprint: FingerprintOptions {
                text: TextOptions {
                    fold_accents: self.fold_accents,
                },
                ngram: self.ngram,
                num_perm: self.num_perm,
            },
            passages: !self.no_passages,
            stories: !self.no_passages && !self.no_stories,
            ..AnalysisOptions::default()
        })
    }

    pub fn match_options(&self) -> anyhow::Result<MatchOptions> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            bail!("--threshold must be in (0, 1], got {}", self.threshold);
        }
        if self.max_df < 2 {
            bail!("--max-df must be at least 2");
        }
        if !(0.0..=1.0).contains(&self.min_passage_similarity) {
            bail!("--min-passage-similarity must be in [0, 1]");
        }
        if !(0.0..=1.0).contains(&self.min_story_score) {
            bail!("--min-story-score must be in [0, 1]");
        }
        if !(0.0..=1.0).contains(&self.min_corroborating_score) {
            bail!("--min-corroborating-score must be in [0, 1]");
        }
        if !(0.0..=1.0).contains(&self.min_sentence_similarity) {
            bail!("--min-sentence-similarity must be in [0, 1]");
        }
        let defaults = PartialOptions::default();
        let partial = PartialOptions {
            align: reprint_core::align::AlignOptions {
                min_similarity: self.min_passage_similarity,
                ..defaults.align
            },
            min_matched: self.min_passage_words.max(1),
        };
        Ok(MatchOptions {
            threshold: self.threshold,
            partial,
            passages: !self.no_passages,
            passage_index: PassageIndexOptions {
                max_df: self.max_df,
                min_shared: self.min_shared_keys.max(1),
            },
            stories: !self.no_stories,
            story: StoryOptions {
                min_score: self.min_story_score,
                min_corroborating_score: self.min_corroborating_score,
                min_sentence_similarity: self.min_sentence_similarity,
                ..StoryOptions::default()
            },
            ..MatchOptions::default()
        })
    }
}

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

    pub fn site(&self, doc: usize) -> Option<&str> {
        self.sites.get(doc).and_then(|s| s.as_deref())
    }

    /// Each document's `date` field as `yyyymmdd` (missing parts 0), where it starts
    /// with an ISO 8601 date (`2024`, `2024-10`, `2024-10-03`, `2024-10-03T08:00Z`...).
    pub fn dates(&self) -> Vec<Option<u32>> {
        self.fields
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .find(|(name, _)| name == "date")
                    .and_then(|(_, value)| serde_json::from_str::<String>(value.get()).ok())
                    .and_then(|date| parse_date(&date))
            })
            .collect()
    }

    /// Corpus-wide counts of short lines, for recurring boilerplate.
    pub fn line_counter(&self, options: &AnalysisOptions) -> LineCounter {
        let mut counter = LineCounter::new(options.boilerplate.clone());
        for (doc, analysis) in self.analyses.iter().enumerate() {
            counter.add_document(self.site(doc), &analysis.short_lines);
        }
        counter.compact();
        counter
    }
}

/// Parses `--txt-encoding`.
pub fn parse_encoding(name: &str) -> Result<TextEncoding, String> {
    TextEncoding::parse(name).ok_or_else(|| format!("unknown encoding {name:?}"))
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

/// The `site` field of a record, when it is a JSON string.
pub fn site_of(record: &Record) -> Option<String> {
    record
        .fields
        .iter()
        .find(|(name, _)| name == "site")
        .and_then(|(_, value)| serde_json::from_str::<String>(value.get()).ok())
        .filter(|site| !site.is_empty())
}

/// What was read and what was skipped, by reason: every record is one or the other.
#[derive(Debug, Default)]
pub struct ReadSummary {
    pub accepted: u64,
    pub skipped: BTreeMap<&'static str, u64>,
    /// Web inputs: pages found, extracted and empty; archive records that are not pages.
    pub web: reprint_io::WebStats,
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
        if let Some(web) = crate::extract::describe_web(&self.web) {
            line.push('\n');
            line.push_str(&web);
        }
        line
    }
}

const BATCH: usize = 1024;

/// Bad records reported one by one before the summary takes over.
const MAX_WARNINGS: u64 = 20;

/// Reads every input and analyses every accepted record. With `spool`, each accepted
/// record's original line is appended to it (for dedup's output); with `keep_texts`,
/// the texts are kept in a spool file for pass 2.
pub fn ingest(
    input: &InputArgs,
    analyzer: &Analyzer,
    ui: &Ui,
    mut spool: Option<&mut dyn Write>,
    keep_texts: bool,
) -> anyhow::Result<Corpus> {
    let options = ReadOptions {
        id_field: input.id_field.clone(),
        text_field: input.text_field.clone(),
        max_record_bytes: input.max_record_bytes,
        txt_encoding: input.txt_encoding,
    };
    let reader = open_inputs(&input.inputs, &options)?;
    let web_stats = reader.web_stats_handle();
    let bar = ui.bytes_bar(reader.total_bytes());
    bar.set_message("reading");
    let bytes_read = AtomicU64::new(0);
    let mut corpus = Corpus {
        ids: Vec::new(),
        fields: Vec::new(),
        sites: Vec::new(),
        analyses: Vec::new(),
        texts: None,
        summary: ReadSummary::default(),
    };
    let mut texts = if keep_texts {
        Some(SpoolWriter::new().context("cannot create a temporary file for texts")?)
    } else {
        None
    };
    let mut warnings = 0u64;

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
                        warnings += 1;
                        if warnings <= MAX_WARNINGS {
                            ui.say(&format!("skipped: {err}"));
                        } else if warnings == MAX_WARNINGS + 1 {
                            ui.say("skipped: more bad records; the summary counts them all");
                        }
                    }
                    Err(err) => {
                        let hint = if err.kind == ErrorKind::InvalidUtf8 {
                            "; --txt-encoding auto decodes legacy-encoded .txt files"
                        } else {
                            ""
                        };
                        return Err(anyhow::Error::new(err)).context(format!(
                            "bad input (use --skip-invalid to skip bad records{hint})"
                        ));
                    }
                }
            }
            let analyses: Vec<DocAnalysis> = records
                .par_iter()
                .map(|record| analyzer.analyze(&record.text))
                .collect();
            corpus.analyses.extend(analyses);
            for record in records {
                if let Some(spool) = spool.as_deref_mut() {
                    spool.write_all(record.raw.as_bytes())?;
                    spool.write_all(b"\n")?;
                }
                if let Some(texts) = texts.as_mut() {
                    texts
                        .append(&record.text)
                        .context("cannot write texts to the temporary file")?;
                }
                corpus.sites.push(site_of(&record));
                corpus.ids.push(record.id);
                corpus.fields.push(record.fields);
            }
            corpus.summary.accepted = corpus.ids.len() as u64;
            bar.set_position(bytes_read.load(Ordering::Relaxed));
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    corpus.summary.web = web_stats.get();
    if let Some(texts) = texts {
        corpus.texts = Some(
            texts
                .finish()
                .context("cannot write texts to the temporary file")?,
        );
    }
    if corpus.ids.len() > u32::MAX as usize {
        bail!(
            "more than {} documents in one run are not supported",
            u32::MAX
        );
    }
    Ok(corpus)
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
