//! The synthetic corpus generator: `N` documents with known copies, and their gold labels.
//!
//! # Shape of a corpus
//! `round(N · copy_fraction)` documents are copies, the rest are *originals*. Originals are
//! new texts written from the seed texts' word distribution (see [`vocab`] for why they are
//! not cut out of the seeds). Each copy picks a uniformly random original (so an original
//! may have zero, one or several copies) and is made in one of the enabled [`CopyKind`]s,
//! assigned round-robin so the kinds are equally represented. Every document gets an id
//! (`doc-000123`, numbered in output order), a `site` and a `date`; copies are published by
//! another site than their original, 1-30 days later. The output order is shuffled, so a
//! copy is rarely next to its original, and ids say nothing about who copied whom.
//!
//! # Gold
//! One [`GoldEntry`] per document: its `cluster` is the id of the original it derives from
//! (an original's cluster is its own id), its `kind` is `"original"` or the copy kind, and
//! `source` is the original's id for copies (`None` for originals). Partial reuse is put in
//! its source's cluster: finding it is the point of the `partial` kind.
//!
//! # Determinism and memory
//! The output depends only on the seed texts (as a multiset of words) and the options.
//! Every original and every copy draws from its own ChaCha8 stream derived from
//! `(seed, purpose, index)`, so any document can be produced on its own: [`generate_iter`]
//! keeps only the plan (a few bytes per document) and the vocabulary in memory, and
//! re-creates an original's body when one of its copies needs it. Millions of documents
//! stream in constant memory.

mod copies;
pub mod markov;
pub mod press;
mod sites;
pub mod vocab;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use copies::Body;
use markov::Chain;
use press::{Press, PressParams};
use sites::SITES;
pub use vocab::Vocabulary;

/// How originals are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextStyle {
    /// Like real press (the default): a word Markov chain over the seeds, with stock
    /// sentences, quotes, background paragraphs, names and figures shared by chance
    /// between independent originals ([`press`]).
    #[default]
    Press,
    /// Press on one topic: small pools of names, quotes and background paragraphs
    /// that every original draws from, as in a collection about one movement.
    OneTopic,
    /// Words drawn independently from the seeds' frequencies ([`vocab`]): originals
    /// share no phrase at all (the generator's first mode; a corpus that flatters every
    /// stage, kept for comparison).
    Words,
}

impl TextStyle {
    pub const ALL: [TextStyle; 3] = [TextStyle::Press, TextStyle::OneTopic, TextStyle::Words];

    pub fn as_str(self) -> &'static str {
        match self {
            TextStyle::Press => "press",
            TextStyle::OneTopic => "one-topic",
            TextStyle::Words => "words",
        }
    }
}

impl FromStr for TextStyle {
    type Err = GenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        TextStyle::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| GenError::UnknownStyle(s.to_string()))
    }
}

/// The gold `kind` of an original document.
pub const ORIGINAL_KIND: &str = "original";

/// How a copy was made from its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Identical words; only whitespace, case or punctuation may differ.
    Exact,
    /// 1-3% of the words edited (at least one), sometimes a sentence dropped.
    Near,
    /// The original, whole, between a site's header and footer boilerplate lines.
    Boilerplate,
    /// The first 40-80% of the original's paragraphs.
    Truncated,
    /// 2-4 consecutive paragraphs of the original inside an otherwise new text.
    Partial,
}

impl CopyKind {
    /// All kinds, in a fixed order.
    pub const ALL: [CopyKind; 5] = [
        CopyKind::Exact,
        CopyKind::Near,
        CopyKind::Boilerplate,
        CopyKind::Truncated,
        CopyKind::Partial,
    ];

    /// The snake-case name used in the gold file and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Exact => "exact",
            CopyKind::Near => "near",
            CopyKind::Boilerplate => "boilerplate",
            CopyKind::Truncated => "truncated",
            CopyKind::Partial => "partial",
        }
    }
}

impl fmt::Display for CopyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CopyKind {
    type Err = GenError;

    /// Parses a kind name, case-insensitively, ignoring surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        CopyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| GenError::UnknownKind(s.to_string()))
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenOptions {
    /// Number of documents, originals and copies together.
    pub docs: usize,
    /// Seed of every random choice: same seed texts + same options = same corpus.
    pub seed: u64,
    /// Share of the documents that are copies, in `[0, 1)`. Default 0.5.
    pub copy_fraction: f64,
    /// Shortest original, in words (an original can exceed its drawn length by less than
    /// one sentence). Default 350.
    pub min_words: usize,
    /// Longest original, in words. Default 900: with 350 the mean is ~625 words, about
    /// 3.5-4 KB of text, the size of a news article.
    pub max_words: usize,
    /// Copy kinds to make, round-robin. Default: all five. Duplicates are ignored.
    pub kinds: Vec<CopyKind>,
    /// How originals are written. Default: [`TextStyle::Press`].
    pub style: TextStyle,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            docs: 1000,
            seed: 42,
            copy_fraction: 0.5,
            min_words: 350,
            max_words: 900,
            kinds: CopyKind::ALL.to_vec(),
            style: TextStyle::default(),
        }
    }
}

/// A generated document, as written to the corpus JSONL (`{"id","text","date","site"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenDoc {
    /// `doc-` followed by the zero-padded output position.
    pub id: String,
    pub text: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Publishing site (a fictional `.example` domain).
    pub site: String,
}

/// The gold label of one document (`{"id","cluster","kind","source"}` in the gold JSONL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEntry {
    pub id: String,
    /// Id of the original this document derives from (its own id for an original).
    pub cluster: String,
    /// `"original"` or a [`CopyKind`] name.
    pub kind: String,
    /// The document this one was copied from; `None` for originals.
    #[serde(default)]
    pub source: Option<String>,
    /// The story the document belongs to, when it differs from `cluster` (a gold file
    /// may group families into stories; the generator's families are each a story).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
}

/// Why a corpus could not be generated.
///
/// Underlying errors are sources, not part of the message, so error chains print them once.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("the seed texts contain no words to build a vocabulary from")]
    NoSeedWords,
    #[error("invalid generator options: {0}")]
    InvalidOptions(String),
    #[error(
        "unknown copy kind {0:?} (expected one of exact, near, boilerplate, truncated, partial)"
    )]
    UnknownKind(String),
    #[error("unknown text style {0:?} (expected one of press, one-topic, words)")]
    UnknownStyle(String),
    /// A seed file or folder could not be read (the I/O error is the `source`).
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What one output position holds.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Original {
        orig: u32,
    },
    Copy {
        copy: u32,
        orig: u32,
        kind: CopyKind,
    },
}

/// Purposes of the derived random streams (see [`stream_rng`]).
const STREAM_VOCAB: u64 = 1;
const STREAM_PLAN: u64 = 2;
const STREAM_ORIG: u64 = 3;
const STREAM_COPY: u64 = 4;
// Streams 11-14: the press pools' items (`press.rs`).

/// First possible publication date of an original, and the span of days they cover.
const FIRST_DAY: (i64, u32, u32) = (2023, 1, 1);
const DATE_SPAN_DAYS: i64 = 730;

/// Generates the whole corpus in memory: `(document, gold)` pairs in output order.
///
/// Fine up to a few hundred thousand news-length documents; use [`generate_iter`] to
/// stream larger corpora.
pub fn generate(seeds: &[String], opts: &GenOptions) -> Result<Vec<(GenDoc, GoldEntry)>, GenError> {
    Ok(generate_iter(seeds, opts)?.collect())
}

/// Plans the corpus and returns an iterator producing it document by document.
///
/// Fails when the options are invalid (`copy_fraction` outside `[0, 1)`, `min_words` of
/// zero or above `max_words`, no kind while copies are asked for, more than `u32::MAX`
/// documents) or the seeds have no word.
pub fn generate_iter(seeds: &[String], opts: &GenOptions) -> Result<CorpusIter, GenError> {
    let invalid = |m: String| Err(GenError::InvalidOptions(m));
    if !(opts.copy_fraction.is_finite() && (0.0..1.0).contains(&opts.copy_fraction)) {
        return invalid(format!(
            "copy_fraction must be in [0, 1), got {}",
            opts.copy_fraction
        ));
    }
    if opts.min_words == 0 || opts.min_words > opts.max_words {
        return invalid(format!(
            "need 1 <= min_words <= max_words, got {}..{}",
            opts.min_words, opts.max_words
        ));
    }
    if u32::try_from(opts.docs).is_err() {
        return invalid(format!("at most {} documents, got {}", u32::MAX, opts.docs));
    }
    let mut kinds: Vec<CopyKind> = Vec::new();
    for k in &opts.kinds {
        if !kinds.contains(k) {
            kinds.push(*k);
        }
    }
    let mut n_copies = (opts.docs as f64 * opts.copy_fraction).round() as usize;
    // At least one original whenever there is a document at all.
    n_copies = n_copies.min(opts.docs.saturating_sub(1));
    if n_copies > 0 && kinds.is_empty() {
        return invalid("copies requested but no copy kind enabled".to_string());
    }
    let n_orig = opts.docs - n_copies;

    let vocab = Vocabulary::from_texts(seeds, &mut stream_rng(opts.seed, STREAM_VOCAB, 0))?;
    let press = PressParams::new(opts.style, n_orig)
        .map(|params| Press::new(params, Chain::from_texts(seeds), opts.seed));

    let mut rng = stream_rng(opts.seed, STREAM_PLAN, 0);
    let mut plan: Vec<Slot> = Vec::with_capacity(opts.docs);
    plan.extend((0..n_orig as u32).map(|orig| Slot::Original { orig }));
    for copy in 0..n_copies {
        let kind = kinds[copy % kinds.len()];
        let orig = rng.gen_range(0..n_orig as u32);
        plan.push(Slot::Copy {
            copy: copy as u32,
            orig,
            kind,
        });
    }
    copies::shuffle(&mut plan, &mut rng);
    let mut orig_pos = vec![0u32; n_orig];
    for (pos, slot) in plan.iter().enumerate() {
        if let Slot::Original { orig } = slot {
            orig_pos[*orig as usize] = pos as u32;
        }
    }
    let id_width = opts.docs.saturating_sub(1).to_string().len().max(6);
    Ok(CorpusIter {
        vocab,
        press,
        opts: opts.clone(),
        plan,
        orig_pos,
        next: 0,
        id_width,
    })
}

/// Streams a planned corpus; see [`generate_iter`].
#[derive(Debug, Clone)]
pub struct CorpusIter {
    vocab: Vocabulary,
    press: Option<Press>,
    opts: GenOptions,
    plan: Vec<Slot>,
    orig_pos: Vec<u32>,
    next: usize,
    id_width: usize,
}

/// An original's body and metadata, re-created on demand from its own stream.
struct OriginalParts {
    body: Body,
    site: usize,
    day: i64,
}

impl CorpusIter {
    /// The vocabulary the texts are written from (for reporting its size).
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Number of original documents in the plan.
    pub fn originals(&self) -> usize {
        self.orig_pos.len()
    }

    /// Number of copies in the plan.
    pub fn copies(&self) -> usize {
        self.plan.len() - self.orig_pos.len()
    }

    /// A new body of about `target` words, in the corpus's style.
    fn body(&self, rng: &mut ChaCha8Rng, target: usize) -> Body {
        match &self.press {
            Some(press) => Body::generate_press(press, &self.vocab, rng, target),
            None => Body::generate(&self.vocab, rng, target),
        }
    }

    fn id(&self, pos: usize) -> String {
        format!("doc-{:0width$}", pos, width = self.id_width)
    }

    fn original(&self, orig: u32) -> OriginalParts {
        let mut rng = stream_rng(self.opts.seed, STREAM_ORIG, u64::from(orig));
        let site = rng.gen_range(0..SITES.len());
        let day = rng.gen_range(0..DATE_SPAN_DAYS);
        let target = rng.gen_range(self.opts.min_words..=self.opts.max_words);
        let body = self.body(&mut rng, target);
        OriginalParts { body, site, day }
    }

    fn make(&self, pos: usize, slot: Slot) -> (GenDoc, GoldEntry) {
        let id = self.id(pos);
        match slot {
            Slot::Original { orig } => {
                let o = self.original(orig);
                let doc = GenDoc {
                    id: id.clone(),
                    text: o.body.render(),
                    date: date_string(o.day),
                    site: SITES[o.site].name.to_string(),
                };
                let gold = GoldEntry {
                    id,
                    cluster: doc.id.clone(),
                    kind: ORIGINAL_KIND.to_string(),
                    source: None,
                    story: None,
                };
                (doc, gold)
            }
            Slot::Copy { copy, orig, kind } => {
                let o = self.original(orig);
                let source_id = self.id(self.orig_pos[orig as usize] as usize);
                let mut rng = stream_rng(self.opts.seed, STREAM_COPY, u64::from(copy));
                let site = copies::other_site(o.site, SITES.len(), &mut rng);
                let day = o.day + rng.gen_range(1..=30);
                let text = match kind {
                    CopyKind::Exact => copies::exact_variant(&o.body.render(), &mut rng),
                    CopyKind::Near => copies::near(&o.body, &self.vocab, &mut rng).render(),
                    CopyKind::Boilerplate => {
                        copies::boilerplate(&o.body.render(), &SITES[site], &mut rng)
                    }
                    CopyKind::Truncated => copies::truncated(&o.body, &mut rng).render(),
                    CopyKind::Partial => {
                        let lo = (self.opts.min_words / 2).max(1);
                        let hi = (self.opts.max_words / 2).max(lo);
                        let target = rng.gen_range(lo..=hi);
                        let host = self.body(&mut rng, target);
                        copies::partial(&o.body, host, &mut rng).render()
                    }
                };
                let doc = GenDoc {
                    id: id.clone(),
                    text,
                    date: date_string(day),
                    site: SITES[site].name.to_string(),
                };
                let gold = GoldEntry {
                    id,
                    cluster: source_id.clone(),
                    kind: kind.as_str().to_string(),
                    source: Some(source_id),
                    story: None,
                };
                (doc, gold)
            }
        }
    }
}

impl Iterator for CorpusIter {
    type Item = (GenDoc, GoldEntry);

    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.next;
        let slot = *self.plan.get(pos)?;
        self.next += 1;
        Some(self.make(pos, slot))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.plan.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for CorpusIter {}

/// A ChaCha8 stream for one purpose and index, independent of every other stream.
fn stream_rng(seed: u64, purpose: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(seed ^ splitmix64(index)));
    rng.set_stream(purpose);
    rng
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// `YYYY-MM-DD` of the day `offset` days after [`FIRST_DAY`].
fn date_string(offset: i64) -> String {
    let (y, m, d) = FIRST_DAY;
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests;
