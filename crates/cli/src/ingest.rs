//! The flags shared by the jobs that read a corpus (`scan`, `dedup`), turned into the
//! pipeline's [`InputSpec`] and [`MatchSettings`]; the job itself is `reprint-pipeline`.

use std::path::PathBuf;

use clap::Args;
use reprint_io::{ErrorKind, ReadOptions, TextEncoding};
use reprint_pipeline::{InputSpec, JobError, MatchSettings, ReadSummary};

/// Where documents come from and what to do with bad records.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// JSONL files (plain, .gz or .zst), HTML pages, WARC/WET archives, folders of .txt
    /// and web files, or `-` for JSONL on stdin.
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
    #[arg(long, default_value_t = MatchSettings::default().threshold)]
    pub threshold: f64,
    /// Words per shingle.
    #[arg(long, default_value_t = MatchSettings::default().ngram)]
    pub ngram: usize,
    /// MinHash signature length.
    #[arg(long, default_value_t = MatchSettings::default().num_perm)]
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
    #[arg(long, default_value_t = MatchSettings::default().max_df)]
    pub max_df: usize,
    /// Words a pair's aligned passages must share in all to make a partial match.
    #[arg(long, default_value_t = MatchSettings::default().min_passage_words)]
    pub min_passage_words: usize,
    /// Minimum similarity of an aligned passage (share of its words kept identical).
    #[arg(long, default_value_t = MatchSettings::default().min_passage_similarity)]
    pub min_passage_similarity: f64,
    /// Words of long verbatim passages (two thirds of this or more each) from which a
    /// link makes two documents versions of one text (`partial`, one cluster), with
    /// --min-copy-coverage of one side covered (or half of it whatever the words); below,
    /// a `passage` link (a quote, a stock sentence, a lifted paragraph) that joins nothing.
    #[arg(long, default_value_t = MatchSettings::default().min_copy_words)]
    pub min_copy_words: usize,
    /// Share of one side the shared words must cover for a `partial` copy.
    #[arg(long, default_value_t = MatchSettings::default().min_copy_coverage)]
    pub min_copy_coverage: f32,
    /// Passage keys two documents must share, lined up on one diagonal, before they are
    /// aligned.
    #[arg(long, default_value_t = MatchSettings::default().min_shared_keys)]
    pub min_shared_keys: usize,
    /// Skip the search for rewrites and same-story links (documents telling the same
    /// story in other words).
    #[arg(long)]
    pub no_stories: bool,
    /// Score (0-1) a rewrite or same-story link needs.
    #[arg(long, default_value_t = MatchSettings::default().min_story_score)]
    pub min_story_score: f32,
    /// Score (0-1) from which a weaker story link still corroborates: a document in no
    /// cluster joins one when such links to two or more of its versions together reach
    /// --min-story-score. Set it to --min-story-score or above to turn this off.
    #[arg(long, default_value_t = MatchSettings::default().min_corroborating_score)]
    pub min_corroborating_score: f32,
    /// Similarity (weighted overlap of content stems, 0-1) at which two sentences are
    /// aligned as saying the same thing.
    #[arg(long, default_value_t = MatchSettings::default().min_sentence_similarity)]
    pub min_sentence_similarity: f32,
}

impl InputArgs {
    /// What the pipeline reads.
    pub fn spec(&self) -> InputSpec {
        InputSpec {
            inputs: self.inputs.clone(),
            read: ReadOptions {
                id_field: self.id_field.clone(),
                text_field: self.text_field.clone(),
                max_record_bytes: self.max_record_bytes,
                txt_encoding: self.txt_encoding,
                keep_raw: true,
            },
            skip_invalid: self.skip_invalid,
        }
    }
}

impl MatchArgs {
    /// The pipeline's settings (validated by the pipeline when the job starts).
    pub fn settings(&self) -> MatchSettings {
        MatchSettings {
            threshold: self.threshold,
            ngram: self.ngram,
            num_perm: self.num_perm,
            fold_accents: self.fold_accents,
            no_passages: self.no_passages,
            max_df: self.max_df,
            min_passage_words: self.min_passage_words,
            min_passage_similarity: self.min_passage_similarity,
            min_shared_keys: self.min_shared_keys,
            min_copy_words: self.min_copy_words,
            min_copy_coverage: self.min_copy_coverage,
            no_stories: self.no_stories,
            min_story_score: self.min_story_score,
            min_corroborating_score: self.min_corroborating_score,
            min_sentence_similarity: self.min_sentence_similarity,
        }
    }
}

/// Parses `--txt-encoding`.
pub fn parse_encoding(name: &str) -> Result<TextEncoding, String> {
    TextEncoding::parse(name).ok_or_else(|| format!("unknown encoding {name:?}"))
}

/// A job error for the user: a bad record says how to skip such records.
pub fn job_error(err: JobError) -> anyhow::Error {
    match err {
        JobError::BadInput(err) => {
            let hint = if err.kind == ErrorKind::InvalidUtf8 {
                "; --txt-encoding auto decodes legacy-encoded .txt files"
            } else {
                ""
            };
            anyhow::Error::new(err).context(format!(
                "bad input (use --skip-invalid to skip bad records{hint})"
            ))
        }
        other => anyhow::Error::new(other),
    }
}

/// The summary's reading lines: records read and skipped, and web pages when any.
pub fn describe_read(summary: &ReadSummary) -> String {
    let mut line = summary.describe();
    if let Some(web) = crate::extract::describe_web(&summary.web) {
        line.push('\n');
        line.push_str(&web);
    }
    line
}
