//! The job's settings, checked once for every front end.
//!
//! [`MatchSettings`] are the user-facing knobs of a scan (what the CLI's flags and the
//! Python keyword arguments set), with the defaults documented in the README; they are
//! validated and turned into the core's per-stage options here, so no front end
//! re-implements the checks.

use std::path::PathBuf;

use reprint_core::align::verify::PartialOptions;
use reprint_core::align::AlignOptions;
use reprint_core::candidates::passage::PassageIndexOptions;
use reprint_core::fingerprint::analysis::AnalysisOptions;
use reprint_core::fingerprint::FingerprintOptions;
use reprint_core::normalise::text::TextOptions;
use reprint_core::scan::{MatchOptions, DEFAULT_THRESHOLD};
use reprint_core::story::StoryOptions;
use reprint_io::ReadOptions;

use crate::JobError;

/// Where documents come from and what to do with bad records.
#[derive(Debug, Clone)]
pub struct InputSpec {
    /// JSONL files (plain, gzip or zstd), folders, HTML pages, WARC/WET archives, `-`.
    pub inputs: Vec<PathBuf>,
    pub read: ReadOptions,
    /// Skip bad records (counted by reason) instead of stopping at the first.
    pub skip_invalid: bool,
}

/// What a job may use of the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resources {
    /// Memory budget in bytes (`--memory`). Today it bounds pass 2, which holds at most
    /// half of it in prepared documents (see `pass2`); the other stages' hand-offs are
    /// held in memory whatever the budget.
    pub memory: u64,
}

impl Default for Resources {
    /// Half of the machine's memory (8 GB where it cannot be read).
    fn default() -> Self {
        Resources {
            memory: machine_memory().unwrap_or(16 << 30) / 2,
        }
    }
}

impl Resources {
    /// A budget of `gb` gigabytes (10^9 bytes); refused unless positive and finite.
    pub fn with_memory_gb(gb: f64) -> Result<Resources, JobError> {
        if !(gb.is_finite() && gb > 0.0) {
            return Err(invalid("--memory must be a positive number of GB"));
        }
        Ok(Resources {
            memory: (gb * 1e9) as u64,
        })
    }

    /// Bytes pass 2 may hold in prepared documents at once.
    pub fn pass2_bytes(&self) -> u64 {
        self.memory / 2
    }
}

/// Total memory of the machine (Linux: `MemTotal` of `/proc/meminfo`).
fn machine_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// How documents are compared (README, "Options shared by scan and dedup").
#[derive(Debug, Clone, PartialEq)]
pub struct MatchSettings {
    /// Near-duplicate threshold on the estimated Jaccard similarity of n-gram sets.
    pub threshold: f64,
    /// Words per shingle.
    pub ngram: usize,
    /// MinHash signature length.
    pub num_perm: usize,
    /// Compare "é" and "e" as the same letter.
    pub fold_accents: bool,
    /// Exact and near-duplicates only: no passages, stories or second pass.
    pub no_passages: bool,
    /// A passage key in more documents than this is a stock phrase, not evidence.
    pub max_df: usize,
    /// Words the aligned passages of a pair must share to make a partial match.
    pub min_passage_words: usize,
    /// Share of a passage's words kept identical.
    pub min_passage_similarity: f64,
    /// Passage keys a pair must share, lined up, before it is aligned.
    pub min_shared_keys: usize,
    /// Words shared verbatim from which a link (with `min_copy_coverage`) makes two
    /// documents versions of one text (`partial`) rather than sharers of a `passage`.
    pub min_copy_words: usize,
    /// Share of one side those words must cover.
    pub min_copy_coverage: f32,
    /// No rewrite and same-story search.
    pub no_stories: bool,
    /// Score a rewrite or same-story link needs.
    pub min_story_score: f32,
    /// Score from which a weaker story link corroborates (see the README).
    pub min_corroborating_score: f32,
    /// Similarity at which two sentences are aligned as saying the same thing.
    pub min_sentence_similarity: f32,
}

impl Default for MatchSettings {
    fn default() -> Self {
        let partial = PartialOptions::default();
        let index = PassageIndexOptions::default();
        let story = StoryOptions::default();
        MatchSettings {
            threshold: DEFAULT_THRESHOLD,
            ngram: FingerprintOptions::default().ngram,
            num_perm: FingerprintOptions::default().num_perm,
            fold_accents: false,
            no_passages: false,
            max_df: index.max_df,
            min_passage_words: partial.min_matched,
            min_passage_similarity: partial.align.min_similarity,
            min_shared_keys: index.min_shared,
            min_copy_words: partial.copy_words,
            min_copy_coverage: partial.copy_coverage,
            no_stories: false,
            min_story_score: story.min_score,
            min_corroborating_score: story.min_corroborating_score,
            min_sentence_similarity: story.min_sentence_similarity,
        }
    }
}

fn invalid(message: impl Into<String>) -> JobError {
    JobError::InvalidOption(message.into())
}

impl MatchSettings {
    /// Pass-1 options: how each document is analysed.
    pub fn analysis_options(&self) -> Result<AnalysisOptions, JobError> {
        if self.ngram == 0 {
            return Err(invalid("--ngram must be at least 1"));
        }
        if self.num_perm < 8 {
            return Err(invalid("--num-perm must be at least 8"));
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

    /// Options of the matching stages.
    pub fn match_options(&self) -> Result<MatchOptions, JobError> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(invalid(format!(
                "--threshold must be in (0, 1], got {}",
                self.threshold
            )));
        }
        if self.max_df < 2 {
            return Err(invalid("--max-df must be at least 2"));
        }
        let unit = |name: &str, value: f64| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(invalid(format!("--{name} must be in [0, 1]")))
            }
        };
        unit("min-passage-similarity", self.min_passage_similarity)?;
        unit("min-copy-coverage", f64::from(self.min_copy_coverage))?;
        unit("min-story-score", f64::from(self.min_story_score))?;
        unit(
            "min-corroborating-score",
            f64::from(self.min_corroborating_score),
        )?;
        unit(
            "min-sentence-similarity",
            f64::from(self.min_sentence_similarity),
        )?;
        let defaults = PartialOptions::default();
        let partial = PartialOptions {
            align: AlignOptions {
                min_similarity: self.min_passage_similarity,
                ..defaults.align
            },
            min_matched: self.min_passage_words.max(1),
            copy_words: self.min_copy_words,
            copy_coverage: self.min_copy_coverage,
            ..defaults
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_out_of_range_values_name_their_option() {
        let settings = MatchSettings::default();
        assert!(settings.analysis_options().is_ok());
        assert_eq!(
            settings.match_options().ok(),
            Some(MatchOptions::default()),
            "the settings' defaults are the core's defaults"
        );
        let bad = MatchSettings {
            min_story_score: 1.5,
            ..MatchSettings::default()
        };
        let err = bad.match_options().map(|_| ()).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("--min-story-score must be in [0, 1]"));
        let bad = MatchSettings {
            ngram: 0,
            ..MatchSettings::default()
        };
        assert!(bad.analysis_options().is_err());
    }
}
