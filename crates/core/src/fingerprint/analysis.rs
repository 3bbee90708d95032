//! Per-document analysis, in two passes.
//!
//! **Pass 1** ([`Analyzer::analyze`], every document, in parallel, text dropped after):
//! tokens once, then everything later stages need that depends on the document alone —
//! the exact hash and MinHash signature ([`Fingerprint`]), the winnowed passage keys
//! used to find shared passages, the short lines whose recurrence across the corpus
//! marks boilerplate, the boilerplate found by the document's own shape, and its
//! internally repeated spans.
//!
//! **Pass 2** ([`Analyzer::prepare`], only documents that are candidates for a passage
//! alignment or hold a line that turned out to recur across the corpus): the token
//! sequence with boilerplate and internal repetition masked out, so neither can count
//! as reuse, and each token's character span for reporting.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use crate::align::{mask_tokens, AlignOptions, Aligner};
use crate::fingerprint::boilerplate::{
    find_boilerplate, local_boilerplate_with, split_lines, BoilerplateLine, BoilerplateOptions,
    BoilerplateReason, Line, LineCounter,
};
use crate::fingerprint::minhash::MinHasher;
use crate::fingerprint::shingle::shingles;
use crate::fingerprint::winnow::winnow_positions_into;
use crate::fingerprint::{exact_hash, Fingerprint, FingerprintOptions};
use crate::normalise::text::{tokenize, tokenize_with_char_spans, Token};
use crate::story::{story_keys, StopWords, StoryIndex, StoryProfile, StoryProfiler};

/// Options of both passes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    pub fingerprint: FingerprintOptions,
    /// Winnowing window, in shingles: any passage of at least `window + passage_ngram -
    /// 1` words shared verbatim by two documents yields a shared passage key.
    pub winnow_window: usize,
    /// Words per passage key (the n-grams winnowed for passage search). Longer than the
    /// MinHash shingles on purpose: independent articles share many 5-word turns of
    /// phrase and far fewer 8-word ones, so 8-grams keep the candidate pairs of text with
    /// chance overlap few, while a verbatim run of `2 · window + passage_ngram - 1` (19)
    /// words still yields two shared keys that line up.
    pub passage_ngram: usize,
    pub boilerplate: BoilerplateOptions,
    /// Alignment parameters, also used to find internal repetition.
    pub align: AlignOptions,
    /// Compute what passage search needs (passage keys, lines, boilerplate,
    /// repetition). Without it pass 1 is the fingerprint alone, for jobs that only look
    /// for exact and near-duplicates.
    pub passages: bool,
    /// Also keep what rewrite and same-story search needs (the document's content-word
    /// keys). Only with `passages`.
    pub stories: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            fingerprint: FingerprintOptions::default(),
            winnow_window: 6,
            passage_ngram: 8,
            passages: true,
            stories: true,
            boilerplate: BoilerplateOptions::default(),
            align: AlignOptions::default(),
        }
    }
}

pub use crate::relation::CharSpan;

/// A boilerplate line, by character span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoilerplateSpan {
    pub span: CharSpan,
    pub reason: BoilerplateReason,
}

/// A later copy of an earlier passage of the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatSpan {
    pub copy: CharSpan,
    pub first: CharSpan,
}

/// What pass 1 keeps of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocAnalysis {
    pub fingerprint: Fingerprint,
    /// Winnowed shingle hashes of the document's long lines (paragraphs), sorted and
    /// distinct, each with the token position of its n-gram (its first occurrence):
    /// candidate pairs must share keys that line up. Shingles never cross a line break,
    /// so every key belongs to one line. Once [`DocAnalysis::settle_passage_keys`] ran
    /// (`passage_settled`), the keys the corpus makes evidence (see
    /// [`DocAnalysis::passage_keys_given`]).
    pub passage: PassageKeys,
    pub passage_settled: bool,
    /// Lines short enough to be boilerplate, for the corpus line counts.
    pub short_lines: Vec<Line>,
    /// The other lines (paragraphs), for the per-site counts: a paragraph in many pages
    /// of one site is its template.
    pub long_lines: Vec<LongLine>,
    /// Winnowed keys of short lines, with the line each comes from: they are evidence
    /// only if that line turns out not to recur across the corpus (see
    /// [`DocAnalysis::passage_keys_given`]).
    pub short_line_keys: Vec<ShortLineKey>,
    /// Boilerplate found from the document alone.
    pub boilerplate: Vec<BoilerplateSpan>,
    /// Internally repeated spans.
    pub repeats: Vec<RepeatSpan>,
    /// Distinct keys of the document's content words, sorted
    /// ([`crate::story::story_keys`]); empty without the story stage.
    pub story_keys: Vec<u32>,
    /// Provenance facts read from the text while it is at hand: its attribution
    /// lines, a publication date found in its first lines (`yyyymmdd`), its length in
    /// characters. Empty without passages.
    pub attributions: Vec<crate::provenance::attribution::Attribution>,
    pub text_date: Option<u32>,
    pub chars: u32,
}

impl DocAnalysis {
    /// Frees what only the matching plan reads (signature, passage and story keys,
    /// line summaries), once the plan is made: the rest of the scan reads only the
    /// token count, the pass-1 reports and the provenance facts, and at 100,000
    /// documents the freed part is about 3 KB a document.
    pub fn release_plan_inputs(&mut self) {
        self.fingerprint.signature = crate::fingerprint::minhash::Signature(Box::new([]));
        self.passage = PassageKeys::default();
        self.short_lines = Vec::new();
        self.long_lines = Vec::new();
        self.short_line_keys = Vec::new();
        self.story_keys = Vec::new();
    }

    /// Replaces the passage keys with those the corpus makes evidence
    /// ([`DocAnalysis::passage_keys_given`]) once the corpus line counts are known, so
    /// the plan reads them in place instead of holding a filtered copy of every
    /// document's keys beside the originals.
    pub fn settle_passage_keys(&mut self, counter: &LineCounter, site: Option<&str>) {
        if self.passage_settled {
            return;
        }
        self.passage = self.passage_keys_given(counter, site);
        self.short_line_keys = Vec::new();
        self.passage_settled = true;
    }

    /// Whether one of its short lines recurs in the corpus, so its final boilerplate
    /// (and mask) differs from what pass 1 found alone.
    pub fn has_recurring_line(&self, counter: &LineCounter, site: Option<&str>) -> bool {
        self.short_lines
            .iter()
            .any(|line| counter.line_recurs(site, line))
            || !self.recurring_long_lines(counter, site).is_empty()
    }

    /// The long lines that are the site's template for this document (recurring
    /// within the site, under the share guard of
    /// [`crate::fingerprint::boilerplate::long_paragraphs_are_template`]).
    pub fn recurring_long_lines(&self, counter: &LineCounter, site: Option<&str>) -> Vec<LongLine> {
        if site.is_none_or(str::is_empty) {
            return Vec::new();
        }
        let long: Vec<(LongLine, bool)> = self
            .long_lines
            .iter()
            .map(|&l| (l, counter.is_recurring_long(site, l.hash)))
            .collect();
        let recurring: Vec<LongLine> =
            crate::fingerprint::boilerplate::template_edges(&long).collect();
        let tokens: usize = recurring.iter().map(|l| (l.end - l.start) as usize).sum();
        if crate::fingerprint::boilerplate::long_paragraphs_are_template(
            tokens,
            self.fingerprint.tokens as usize,
            counter.options(),
        ) {
            recurring
        } else {
            Vec::new()
        }
    }

    /// The long lines' hashes, for [`LineCounter::add_document_lines`].
    pub fn long_line_hashes(&self) -> Vec<u64> {
        self.long_lines.iter().map(|l| l.hash).collect()
    }

    /// The passage keys that count as evidence once the corpus line counts are known:
    /// the long lines' keys plus those of short lines that do not recur. Sorted,
    /// distinct, each at its first position.
    pub fn passage_keys_given(&self, counter: &LineCounter, site: Option<&str>) -> PassageKeys {
        // Keys of the site's template paragraphs are no evidence either.
        let template = self.recurring_long_lines(counter, site);
        let in_template = |position: u32| {
            template
                .iter()
                .any(|l| (l.start..l.end).contains(&position))
        };
        if self.passage_settled {
            return self.passage.clone();
        }
        let mut keyed: Vec<(u64, u32)> = self
            .passage
            .keys
            .iter()
            .copied()
            .zip(self.passage.positions.iter().copied())
            .filter(|&(_, position)| template.is_empty() || !in_template(position))
            .collect();
        keyed.extend(self.short_line_keys.iter().filter_map(|k| {
            let line = self.short_lines.get(k.line as usize)?;
            (!counter.line_recurs(site, line)).then_some((k.key, k.position))
        }));
        keyed.sort_unstable();
        keyed.dedup_by_key(|k| k.0);
        let (keys, positions) = keyed.into_iter().unzip();
        PassageKeys { keys, positions }
    }
}

/// A long line of a document (see [`DocAnalysis::long_lines`]): its hash and token
/// range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongLine {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// A winnowed key of a short line (see [`DocAnalysis::short_line_keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortLineKey {
    pub key: u64,
    /// Index in [`DocAnalysis::short_lines`].
    pub line: u32,
    /// Token position of the key's n-gram.
    pub position: u32,
}

/// A document's passage keys, sorted and distinct, with the token position of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageKeys {
    pub keys: Vec<u64>,
    pub positions: Vec<u32>,
}

/// A document ready for alignment: masked token hashes and their character spans.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignDoc {
    /// Token hashes; boilerplate and later copies of repeated passages are replaced by
    /// sentinels that match nothing.
    pub hashes: Vec<u64>,
    /// Character span of each token in the original text.
    pub spans: Vec<CharSpan>,
    /// Tokens not masked: the document's own content.
    pub content_tokens: usize,
    /// Seed hashes of `hashes` for seeds of `seed_len` tokens
    /// ([`crate::align::seed_hashes`]): a document is aligned against many others and
    /// hashes its seeds once.
    pub seeds: Vec<u64>,
    pub seed_len: usize,
}

impl AlignDoc {
    /// The sequence the aligner reads.
    pub fn sequence(&self) -> crate::align::Sequence<'_> {
        crate::align::Sequence {
            hashes: &self.hashes,
            seeds: Some((self.seed_len, &self.seeds)),
        }
    }
}

/// Pass 2's result for a document: its alignment view and its final reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub doc: AlignDoc,
    pub boilerplate: Vec<BoilerplateSpan>,
    pub repeats: Vec<RepeatSpan>,
    /// The story profile, when pass 2 was asked for one.
    pub story: Option<StoryProfile>,
}

/// Runs both passes; cheap to clone, shareable across threads.
#[derive(Debug, Clone)]
pub struct Analyzer {
    options: AnalysisOptions,
    minhasher: MinHasher,
    stops: StopWords,
    profiler: StoryProfiler,
}

struct Scratch {
    tokens: Vec<Token>,
    shingles: Vec<u64>,
    passage_shingles: Vec<u64>,
    hashes: Vec<u64>,
    sorted: Vec<u64>,
    aligner: Aligner,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        tokens: Vec::new(),
        shingles: Vec::new(),
        passage_shingles: Vec::new(),
        hashes: Vec::new(),
        sorted: Vec::new(),
        aligner: Aligner::new(),
    });
}

impl Analyzer {
    pub fn new(options: AnalysisOptions) -> Self {
        let minhasher = MinHasher::new(options.fingerprint.num_perm);
        let stops = StopWords::new(&options.fingerprint.text);
        let profiler = StoryProfiler::new(stops.clone());
        Analyzer {
            options,
            minhasher,
            stops,
            profiler,
        }
    }

    pub fn options(&self) -> &AnalysisOptions {
        &self.options
    }

    /// Pass 1 over one document.
    pub fn analyze(&self, text: &str) -> DocAnalysis {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch {
                tokens,
                shingles: shingle_buf,
                passage_shingles,
                hashes,
                sorted,
                aligner,
            } = &mut *scratch;
            let opts = &self.options;
            tokenize(text, &opts.fingerprint.text, tokens);
            shingles(tokens, opts.fingerprint.ngram, shingle_buf);
            let fingerprint = Fingerprint {
                exact: exact_hash(text, tokens),
                signature: self.minhasher.signature(shingle_buf),
                tokens: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
            };
            if !opts.passages {
                return DocAnalysis {
                    fingerprint,
                    passage: PassageKeys::default(),
                    passage_settled: false,
                    short_lines: Vec::new(),
                    long_lines: Vec::new(),
                    short_line_keys: Vec::new(),
                    boilerplate: Vec::new(),
                    repeats: Vec::new(),
                    story_keys: Vec::new(),
                    attributions: Vec::new(),
                    text_date: None,
                    chars: 0,
                };
            }
            let lines = split_lines(text, tokens);
            let local = local_boilerplate_with(text, &lines, &opts.boilerplate);
            let max_line = opts.boilerplate.max_line_tokens;
            let mut short_lines: Vec<Line> = Vec::new();
            let mut long_lines: Vec<LongLine> = Vec::new();
            let mut keyed: Vec<(u64, u32)> = Vec::new();
            let mut short_line_keys: Vec<ShortLineKey> = Vec::new();
            let mut short_buf: Vec<(u64, u32)> = Vec::new();
            let n = opts.passage_ngram.max(1);
            let doc_shingles: &[u64] = if n == opts.fingerprint.ngram.max(1) {
                shingle_buf
            } else {
                shingles(tokens, n, passage_shingles);
                passage_shingles
            };
            let mut boilerplate_lines = local.iter().map(|b| b.line).peekable();
            for (index, line) in lines.iter().enumerate() {
                // Boilerplate found from the document alone gives no evidence at all.
                let is_boilerplate = boilerplate_lines.next_if_eq(&index).is_some();
                let short = line.n_tokens() <= max_line;
                if short {
                    short_lines.push(line.clone());
                } else {
                    long_lines.push(LongLine {
                        hash: line.hash,
                        start: line.tokens.start as u32,
                        end: line.tokens.end as u32,
                    });
                }
                if is_boilerplate {
                    continue;
                }
                // The line's shingles: the document's own when the line holds whole
                // n-grams (shingle i covers tokens i..i+n), else one shingle of the line.
                let start = line.tokens.start as u32;
                let line_shingles: &[u64] =
                    if line.n_tokens() >= n && doc_shingles.len() + n == tokens.len() + 1 {
                        &doc_shingles[line.tokens.start..line.tokens.end + 1 - n]
                    } else {
                        shingles(&tokens[line.tokens.clone()], n, sorted);
                        sorted
                    };
                if short {
                    let at = (short_lines.len() - 1) as u32;
                    short_buf.clear();
                    winnow_positions_into(line_shingles, opts.winnow_window, start, &mut short_buf);
                    short_line_keys.extend(short_buf.iter().map(|&(key, position)| ShortLineKey {
                        key,
                        line: at,
                        position,
                    }));
                } else {
                    winnow_positions_into(line_shingles, opts.winnow_window, start, &mut keyed);
                }
            }
            keyed.sort_unstable();
            // A passage repeated in another line (at least window + n - 1 words) yields
            // the same winnowed key twice: the cheap signal that a self-alignment is
            // worth running. Most documents have no such key.
            let mut maybe_repeats = keyed.windows(2).any(|w| w[0].0 == w[1].0);
            // Each key once, at its first position.
            keyed.dedup_by_key(|k| k.0);
            let (passage_keys, passage_key_positions): (Vec<u64>, Vec<u32>) =
                keyed.into_iter().unzip();
            if !maybe_repeats && short_line_keys.len() > 1 {
                sorted.clear();
                sorted.extend(short_line_keys.iter().map(|k| k.key));
                sorted.extend_from_slice(&passage_keys);
                sorted.sort_unstable();
                maybe_repeats = sorted.windows(2).any(|w| w[0] == w[1]);
            }

            hashes.clear();
            hashes.extend(tokens.iter().map(|t| t.hash));
            let mask = crate::fingerprint::boilerplate::token_mask(&lines, &local, tokens.len());
            mask_tokens(hashes, &mask);
            let repeats = if maybe_repeats {
                aligner.find_repeats(hashes, &opts.align)
            } else {
                Vec::new()
            };

            let offsets = OffsetsToChars::default();
            let boilerplate = boilerplate_spans(&lines, &local);
            let repeats = repeats
                .iter()
                .filter_map(|r| repeat_span(tokens, r.copy.clone(), r.first.clone()))
                .collect::<Vec<_>>();
            let (boilerplate, repeats) = offsets.resolve(text, boilerplate, repeats);
            DocAnalysis {
                fingerprint,
                passage: PassageKeys {
                    keys: passage_keys,
                    positions: passage_key_positions,
                },
                passage_settled: false,
                short_lines,
                long_lines,
                short_line_keys,
                boilerplate,
                repeats,
                story_keys: if opts.stories {
                    story_keys(text, tokens, &self.stops)
                } else {
                    Vec::new()
                },
                attributions: crate::provenance::attribution::attributions_with_tokens(
                    text,
                    tokens,
                    &opts.fingerprint.text,
                ),
                text_date: crate::provenance::dates::date_in_text(text),
                chars: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
            }
        })
    }

    /// Pass 2 over one document, given the corpus line counts and whether pass 1 found
    /// internal repetition (the self-alignment is skipped when it did not).
    pub fn prepare(
        &self,
        text: &str,
        counter: &LineCounter,
        site: Option<&str>,
        has_repeats: bool,
    ) -> Prepared {
        self.prepare_with(text, counter, site, has_repeats, true, None)
    }

    /// [`Analyzer::prepare`]; without `for_alignment` only the reports are built (the
    /// alignment view is left empty), which is all a document outside every candidate
    /// pair needs. With `story`, the story profile is built too, weighted by that
    /// index's word rarities.
    pub fn prepare_with(
        &self,
        text: &str,
        counter: &LineCounter,
        site: Option<&str>,
        has_repeats: bool,
        for_alignment: bool,
        story: Option<&StoryIndex>,
    ) -> Prepared {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch {
                tokens, aligner, ..
            } = &mut *scratch;
            let opts = &self.options;
            let mut token_spans = Vec::new();
            if for_alignment {
                tokenize_with_char_spans(text, &opts.fingerprint.text, tokens, &mut token_spans);
            } else {
                tokenize(text, &opts.fingerprint.text, tokens);
            }
            let lines = split_lines(text, tokens);
            let marked = find_boilerplate(text, &lines, counter, site);
            let mut hashes: Vec<u64> = tokens.iter().map(|t| t.hash).collect();
            let mask = crate::fingerprint::boilerplate::token_mask(&lines, &marked, tokens.len());
            mask_tokens(&mut hashes, &mask);
            let repeats = if has_repeats {
                aligner.find_repeats(&hashes, &opts.align)
            } else {
                Vec::new()
            };
            let mut repeat_mask = vec![false; hashes.len()];
            for r in &repeats {
                for m in &mut repeat_mask[r.copy.clone()] {
                    *m = true;
                }
            }
            mask_tokens(&mut hashes, &repeat_mask);
            let content_tokens = hashes
                .iter()
                .filter(|&&h| !crate::align::is_masked(h))
                .count();
            let story = story.map(|index| {
                let masked: Vec<bool> =
                    hashes.iter().map(|&h| crate::align::is_masked(h)).collect();
                self.profiler.profile(text, tokens, &masked, index)
            });

            let boilerplate = boilerplate_spans(&lines, &marked);
            let repeat_spans = repeats
                .iter()
                .filter_map(|r| repeat_span(tokens, r.copy.clone(), r.first.clone()))
                .collect::<Vec<_>>();
            let (boilerplate, repeats) =
                OffsetsToChars::default().resolve(text, boilerplate, repeat_spans);
            let seed_len = opts.align.seed_len.max(1);
            let seeds = if for_alignment {
                crate::align::seed_hashes(&hashes, seed_len)
            } else {
                hashes.clear();
                Vec::new()
            };
            Prepared {
                doc: AlignDoc {
                    hashes,
                    spans: token_spans,
                    content_tokens,
                    seeds,
                    seed_len,
                },
                boilerplate,
                repeats,
                story,
            }
        })
    }
}

/// Byte spans waiting to become character spans: collected first, converted in one walk
/// over the text.
#[derive(Default)]
pub(crate) struct OffsetsToChars {
    bytes: Vec<u32>,
}

/// Boilerplate or repeat spans still in bytes.
type ByteBoilerplate = Vec<(u32, u32, BoilerplateReason)>;
type ByteRepeats = Vec<((u32, u32), (u32, u32))>;

impl OffsetsToChars {
    pub(crate) fn push(&mut self, byte: u32) {
        self.bytes.push(byte);
    }

    /// Character offset of each pushed byte offset, in push order. Offsets are
    /// converted in one forward walk per ascending run (token offsets arrive in order,
    /// so the common case is a single walk with no sort).
    pub(crate) fn convert(&self, text: &str) -> Vec<u32> {
        let bytes = text.as_bytes();
        let mut out = vec![0u32; self.bytes.len()];
        // A character offset is the byte offset less the UTF-8 continuation bytes before
        // it, counted from one offset to the next.
        let mut passed = 0usize;
        let mut byte = 0usize;
        let mut step = |offset: u32| {
            let target = (offset as usize).min(bytes.len());
            if target > byte {
                passed += continuation_bytes(&bytes[byte..target]);
                byte = target;
            }
            (target - passed) as u32
        };
        if self.bytes.windows(2).all(|w| w[0] <= w[1]) {
            for (char_offset, &offset) in out.iter_mut().zip(&self.bytes) {
                *char_offset = step(offset);
            }
        } else {
            let mut order: Vec<u32> = (0..self.bytes.len() as u32).collect();
            order.sort_unstable_by_key(|&i| self.bytes[i as usize]);
            for i in order {
                out[i as usize] = step(self.bytes[i as usize]);
            }
        }
        out
    }

    fn resolve(
        mut self,
        text: &str,
        boilerplate: ByteBoilerplate,
        repeats: ByteRepeats,
    ) -> (Vec<BoilerplateSpan>, Vec<RepeatSpan>) {
        for &(s, e, _) in &boilerplate {
            self.bytes.push(s);
            self.bytes.push(e);
        }
        for &((cs, ce), (fs, fe)) in &repeats {
            self.bytes.extend_from_slice(&[cs, ce, fs, fe]);
        }
        let chars = self.convert(text);
        let mut at = 0;
        let mut next = || {
            let v = chars[at];
            at += 1;
            v
        };
        let boilerplate = boilerplate
            .into_iter()
            .map(|(_, _, reason)| BoilerplateSpan {
                span: CharSpan {
                    start: next(),
                    end: next(),
                },
                reason,
            })
            .collect();
        let repeats = repeats
            .into_iter()
            .map(|_| RepeatSpan {
                copy: CharSpan {
                    start: next(),
                    end: next(),
                },
                first: CharSpan {
                    start: next(),
                    end: next(),
                },
            })
            .collect();
        (boilerplate, repeats)
    }
}

/// How many UTF-8 continuation bytes `bytes` holds: 16 bytes at a time (a byte
/// `10xxxxxx` has its top bit set and the next one clear), the tail one by one. Offsets
/// a few bytes apart (story names, figures) take the short path; report spans can be
/// far apart.
#[inline]
fn continuation_bytes(bytes: &[u8]) -> usize {
    const TOP: u128 = u128::from_le_bytes([0x80; 16]);
    let is_continuation = |b: &&u8| **b & 0xC0 == 0x80;
    if bytes.len() < 16 {
        return bytes.iter().filter(is_continuation).count();
    }
    let mut blocks = bytes.chunks_exact(16);
    let mut count = 0usize;
    for block in &mut blocks {
        let word = u128::from_le_bytes(block.try_into().unwrap_or([0; 16]));
        // `word << 1` brings each byte's second bit to its top bit.
        count += (word & TOP & !(word << 1)).count_ones() as usize;
    }
    count + blocks.remainder().iter().filter(is_continuation).count()
}

fn boilerplate_spans(lines: &[Line], marked: &[BoilerplateLine]) -> ByteBoilerplate {
    marked
        .iter()
        .filter_map(|m| {
            let line = lines.get(m.line)?;
            Some((line.bytes.start as u32, line.bytes.end as u32, m.reason))
        })
        .collect()
}

fn repeat_span(
    tokens: &[Token],
    copy: std::ops::Range<usize>,
    first: std::ops::Range<usize>,
) -> Option<((u32, u32), (u32, u32))> {
    let span = |r: std::ops::Range<usize>| -> Option<(u32, u32)> {
        let start = tokens.get(r.start)?.start;
        let end = tokens.get(r.end.checked_sub(1)?)?.end;
        Some((start, end))
    };
    Some((span(copy)?, span(first)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Byte offsets at character boundaries, in order or not, become the number of
        // characters before them, whatever mix of ASCII and multi-byte text precedes.
        #[test]
        fn byte_offsets_become_character_counts(
            text in "(a{0,20}|é|日本|\u{1F600}| |\n){0,60}",
            picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..30),
        ) {
            let boundaries: Vec<usize> =
                (0..=text.len()).filter(|&b| text.is_char_boundary(b)).collect();
            let mut offsets = OffsetsToChars::default();
            let chosen: Vec<usize> = picks.iter().map(|p| boundaries[p.index(boundaries.len())]).collect();
            for &b in &chosen {
                offsets.push(b as u32);
            }
            let chars = offsets.convert(&text);
            let expected: Vec<u32> =
                chosen.iter().map(|&b| text[..b].chars().count() as u32).collect();
            prop_assert_eq!(chars, expected);
        }
    }

    /// Settling the keys in place gives the plan the keys it would filter into a copy:
    /// the keys of a site's template paragraph (the same closing paragraph in every page
    /// of the site) are dropped, the article's own kept; settling twice changes nothing.
    #[test]
    fn settled_passage_keys_are_the_filtered_keys() {
        let analyzer = Analyzer::new(AnalysisOptions::default());
        let footer = "Our newsroom is funded by readers like you, and every article we publish \
            is free to read because thousands of subscribers chose to support independent \
            local journalism this year; join them today and help us keep reporting.";
        let stories = [
            "The harbour authority closed the northern pier on Tuesday after inspectors found \
             deep cracks in its concrete pillars, and engineers said the repairs would take \
             most of the coming year while fishing crews move to the southern quay.",
            "The town council approved a new cycle path along the coast road on Monday evening, \
             after two years of debate about parking, and the first section should open next \
             spring between the old lighthouse and the market square near the station.",
            "A local bakery won the regional bread prize for the third time this decade, and its \
             owner said the secret was patience, flour from a mill upriver and an oven that her \
             grandfather built by hand when the shop first opened its doors to customers.",
            "Volunteers planted four hundred trees in the river park on Saturday morning, \
             replacing elms lost to disease, and the parks office promised benches, new paths \
             and better lighting before the summer festival brings visitors back to town.",
        ];
        let texts: Vec<String> = stories.iter().map(|s| format!("{s}\n{footer}")).collect();
        let analyses: Vec<DocAnalysis> = texts.iter().map(|t| analyzer.analyze(t)).collect();
        let site = Some("paper.example");
        let mut counter = LineCounter::new(AnalysisOptions::default().boilerplate);
        for a in &analyses {
            counter.add_document_lines(site, &a.short_lines, &a.long_line_hashes());
        }
        counter.compact();
        for a in analyses {
            let given = a.passage_keys_given(&counter, site);
            assert!(
                !given.keys.is_empty() && given.keys.len() < a.passage.keys.len(),
                "the template's keys are dropped, the story's kept: {} of {}",
                given.keys.len(),
                a.passage.keys.len()
            );
            let mut settled = a.clone();
            settled.settle_passage_keys(&counter, site);
            assert!(settled.passage_settled && settled.short_line_keys.is_empty());
            assert_eq!(settled.passage, given);
            assert_eq!(settled.passage_keys_given(&counter, site), given);
            let again = settled.clone();
            settled.settle_passage_keys(&counter, site);
            assert_eq!(settled, again);
        }
    }
}
