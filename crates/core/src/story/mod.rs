//! Rewrites and same-story links: documents that tell the same story in other words.
//!
//! A machine paraphrase, a spun copy or a human rewrite shares few word sequences with
//! its source, so neither MinHash nor passage alignment sees it. What survives rewording
//! is the content: the same sentences say the same things with mostly the same content
//! words (stemmed, in any order), and the story keeps its facts: quotes, names, dates
//! and figures. Two different stories on one subject share vocabulary and a few names,
//! but not sentences and not facts. This module measures both, in three steps:
//!
//! 1. **Candidates** ([`story_candidates`]): in pass 1 each document keeps the distinct
//!    keys of its content words ([`story_keys`]). Each document then probes the postings
//!    of its rarest keys (document frequency between 2 and `max_df`), and pairs sharing
//!    at least `min_shared_keys` of them, best first, become candidates: no all-pairs
//!    comparison, and the work per document is bounded by `keys_per_doc · max_df`.
//! 2. **Profiles** ([`StoryProfiler::profile`], pass 2): sentences as sets of weighted
//!    stems (Snowball stemmers, British English stemmed as American, function words
//!    dropped, weights from corpus rarity),
//!    quotes («…», "…", “…”), capitalised names, numbers and dates, all outside
//!    boilerplate and internal repetition.
//! 3. **Verification** ([`compare_profiles`], [`verify_story`]): each sentence is paired
//!    with its most similar sentence on the other side (weighted Dice over stems, any
//!    order, so reordering and grammar changes do not matter); aligned sentences give
//!    the coverage of each document by the other. Quotes are matched against the other
//!    side's sentences by containment, names fuzzily (one edit apart, so a transcription
//!    or spelling variant still matches), numbers and dates exactly. A logistic score
//!    over these features is the match's similarity; a pair whose sentences cover one
//!    side is a `rewrite`, a pair held together mainly by facts a `same-story`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::candidates::postings::{per_document, Postings, Tally};
use crate::fingerprint::analysis::OffsetsToChars;
use crate::normalise::lexicon::{
    month_number, stop_word_languages, vote_language, HashKeyed, WordStemmer,
};
use crate::normalise::text::{token_hash, TextOptions, Token};
use crate::relation::{CharSpan, Evidence, Fact, FactKind, Match, Relation, SentencePair};

/// Options of the story stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryOptions {
    /// Keys in more documents than this are too common to pair documents on.
    pub max_df: u32,
    /// Rarest keys each document probes.
    pub keys_per_doc: usize,
    /// Probed keys a pair must share to become a candidate.
    pub min_shared_keys: u32,
    /// Best candidates kept per probing document.
    pub max_candidates_per_doc: usize,
    /// Weighted-Dice similarity at which two sentences say the same thing.
    pub min_sentence_similarity: f32,
    /// Score (probability-like, in `[0, 1]`) at which a candidate is a match.
    pub min_score: f32,
    /// Score from which a link below `min_score` still counts as corroborating evidence:
    /// a document left alone joins a cluster when such links to two or more of its
    /// versions together reach `min_score` (see [`crate::cluster::corroborate`]).
    /// Texts that only share a topic stay under it: `non` answers of Clough-Stevenson
    /// against their task's source and every answer derived from it score 0.15 at most.
    pub min_corroborating_score: f32,
    /// Sentence coverage of one side above which a match is a `rewrite` rather than a
    /// `same-story`.
    pub rewrite_coverage: f32,
}

impl Default for StoryOptions {
    fn default() -> Self {
        StoryOptions {
            max_df: 100,
            keys_per_doc: 24,
            min_shared_keys: 4,
            max_candidates_per_doc: 16,
            min_sentence_similarity: 0.4,
            min_score: 0.5,
            min_corroborating_score: 0.2,
            rewrite_coverage: 0.5,
        }
    }
}

/// Function words, as token hashes (of tokens normalised with the analyzer's options).
#[derive(Debug, Clone)]
pub struct StopWords {
    /// Function word -> languages whose list holds it (bits).
    languages: Arc<HashKeyed<u32>>,
}

impl StopWords {
    pub fn new(opts: &TextOptions) -> Self {
        StopWords {
            languages: Arc::new(stop_word_languages(opts)),
        }
    }

    #[inline]
    pub fn contains(&self, hash: u64) -> bool {
        self.languages.contains_key(&hash)
    }

    /// The language (ISO 639-1) whose function words `tokens` use most.
    pub fn language(&self, tokens: &[Token]) -> Option<&'static str> {
        vote_language(
            tokens
                .iter()
                .filter_map(|t| self.languages.get(&t.hash).copied()),
        )
    }
}

/// The key of a token for document frequencies: its hash folded to 32 bits (a rare
/// collision only merges two words' counts).
#[inline]
pub fn word_key(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// Whether a token can carry a story: a content word of four bytes or more, or a
/// number of two digits or more.
#[inline]
fn is_key_token(text: &str, t: &Token, stops: &StopWords) -> bool {
    let len = (t.end - t.start) as usize;
    let bytes = &text.as_bytes()[t.start as usize..t.end as usize];
    if bytes.iter().all(u8::is_ascii_digit) {
        return len >= 2;
    }
    len >= 4 && !stops.contains(t.hash)
}

/// Pass 1: the distinct keys of a document's content words, sorted.
pub fn story_keys(text: &str, tokens: &[Token], stops: &StopWords) -> Vec<u32> {
    let mut keys: Vec<u32> = tokens
        .iter()
        .filter(|t| is_key_token(text, t, stops))
        .map(|t| word_key(t.hash))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Document frequencies of story keys over a corpus.
#[derive(Debug, Clone, Default)]
pub struct StoryIndex {
    keys: Vec<u32>,
    df: Vec<u32>,
    docs: u32,
    /// Unique per index built, so per-thread caches of word weights know when they
    /// are stale.
    generation: u64,
}

impl StoryIndex {
    /// Counts the keys of every document (`None`: a document that takes no part).
    pub fn build(doc_keys: &[Option<&[u32]>]) -> Self {
        use rayon::prelude::*;
        let mut all: Vec<u32> = doc_keys
            .iter()
            .flatten()
            .flat_map(|k| k.iter().copied())
            .collect();
        all.par_sort_unstable();
        let mut keys = Vec::new();
        let mut df = Vec::new();
        for run in all.chunk_by(|a, b| a == b) {
            keys.push(run[0]);
            df.push(run.len() as u32);
        }
        StoryIndex {
            keys,
            df,
            docs: doc_keys.iter().flatten().count() as u32,
            generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Documents holding `key` (1 for a key never counted: it is at least in the
    /// document asking).
    pub fn df(&self, key: u32) -> u32 {
        self.keys
            .binary_search(&key)
            .map_or(1, |i| self.df[i])
            .max(1)
    }

    /// Rarity weight of a key: `ln(1 + (N + 1) / df)`. Never zero, so in a small corpus
    /// (where every word is "common") the weights stay flat and function-word removal
    /// carries the comparison; in a large one a word in every document weighs about a
    /// sixth of a word in one.
    pub fn weight(&self, key: u32) -> f32 {
        let n = self.docs.max(1) as f32;
        (1.0 + (n + 1.0) / self.df(key) as f32).ln()
    }
}

/// Candidate pairs `(a, b)`, `a < b`, sorted and distinct: documents sharing several
/// rare content words. See the module documentation.
///
/// One sort of every `(key, document)` pair gives both the document frequencies and
/// the postings; no per-key lookups.
pub fn story_candidates(
    doc_keys: &[Option<&[u32]>],
    opts: &StoryOptions,
) -> (StoryIndex, Vec<(u32, u32)>) {
    use rayon::prelude::*;
    // One pass over the sorted postings gives the document frequencies of all keys and
    // keeps the runs of those rare enough to pair on.
    let mut index = StoryIndex {
        keys: Vec::new(),
        df: Vec::new(),
        docs: doc_keys.iter().flatten().count() as u32,
        generation: GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    };
    let postings = Postings::build(doc_keys, |key, df| {
        index.keys.push(key);
        index.df.push(df);
        (2..=opts.max_df).contains(&df)
    });
    let weights: Vec<f32> = (0..postings.run_count() as u32)
        .map(|run| index.weight(postings.key(run)))
        .collect();
    let mut pairs: Vec<(u32, u32)> = per_document(
        postings.doc_count(),
        |doc, tally: &mut Tally<(u32, f32)>, out| {
            // The document's rarest keys first: (document frequency, key, run).
            let mut probe: Vec<(u32, u32, u32)> = postings
                .runs_of(doc)
                .iter()
                .map(|&run| (postings.docs(run).len() as u32, postings.key(run), run))
                .collect();
            if probe.len() > opts.keys_per_doc {
                probe.select_nth_unstable(opts.keys_per_doc);
                probe.truncate(opts.keys_per_doc);
            }
            for &(_, _, run) in &probe {
                let w = weights[run as usize];
                for &other in postings.docs(run) {
                    if other == doc {
                        continue;
                    }
                    let slot = tally.slot(other);
                    slot.0 += 1;
                    slot.1 += w;
                }
            }
            let mut scored: Vec<(f32, u32)> = Vec::new();
            tally.drain(|other, (count, score)| {
                if count >= opts.min_shared_keys {
                    scored.push((score, other));
                }
            });
            scored.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            scored.truncate(opts.max_candidates_per_doc);
            out.extend(
                scored
                    .into_iter()
                    .map(|(_, other)| (doc.min(other), doc.max(other))),
            );
        },
    );
    pairs.par_sort_unstable();
    pairs.dedup();
    (index, pairs)
}

/// One sentence of a profile.
#[derive(Debug, Clone, PartialEq)]
struct Sentence {
    span: CharSpan,
    /// Range in [`StoryProfile::terms`].
    terms: Range<u32>,
    /// Sum of its terms' weights.
    weight: f32,
}

/// A quotation, by its content stems.
#[derive(Debug, Clone, PartialEq)]
struct Quote {
    span: CharSpan,
    stems: Vec<u64>,
    text: String,
}

/// A capitalised word that is not the first of its sentence.
#[derive(Debug, Clone, PartialEq)]
struct Name {
    /// Folded form ("lessom").
    key: String,
    span: CharSpan,
    weight: f32,
}

/// A number or a date, normalised ("300000", "2022-02-24").
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    value: String,
    kind: FactKind,
    span: CharSpan,
}

/// What pass 2 keeps of a document for story matching.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryProfile {
    sentences: Vec<Sentence>,
    /// Each sentence's distinct stems with their weights, sorted by stem.
    terms: Vec<(u64, f32)>,
    /// `(stem, sentence)` for every term, sorted: which sentences hold a stem.
    postings: Vec<(u64, u32, f32)>,
    quotes: Vec<Quote>,
    names: Vec<Name>,
    figures: Vec<Figure>,
}

impl StoryProfile {
    fn sentence_terms(&self, s: &Sentence) -> &[(u64, f32)] {
        &self.terms[s.terms.start as usize..s.terms.end as usize]
    }

    /// Total content weight.
    fn weight(&self) -> f32 {
        self.sentences.iter().map(|s| s.weight).sum()
    }

    /// Whether there is anything to compare.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }
}

/// What a word is to the story stage, cached per thread by token hash and stemmer.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    stem: u64,
    /// Rarity weight in the index the cache was filled for.
    weight: f32,
    /// Month number when the word names a month, else 0.
    month: u8,
}

type WordMap = HashKeyed<WordInfo>;

/// The per-thread word cache, valid for one index at a time.
#[derive(Default)]
struct WordCache {
    generation: u64,
    words: WordMap,
}

impl WordCache {
    fn for_index(&mut self, generation: u64) -> &mut WordMap {
        if self.generation != generation || self.words.len() > 1 << 20 {
            self.words.clear();
            self.generation = generation;
        }
        &mut self.words
    }
}

thread_local! {
    static WORDS: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// Source of [`StoryIndex::generation`].
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Builds [`StoryProfile`]s; cheap to clone.
#[derive(Debug, Clone)]
pub struct StoryProfiler {
    stops: StopWords,
}

/// Characters that open or close a quotation.
fn is_quote_char(c: char) -> bool {
    matches!(c, '«' | '»' | '“' | '”' | '„' | '"' | '‟' | '「' | '」')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '“' | '」')
}

/// Quotations by byte range (inside the marks): spans between an opening and a closing
/// quotation mark on one line, at most `MAX_QUOTE_BYTES` long.
fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    const MAX_QUOTE_BYTES: usize = 1500;
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            open = None;
            continue;
        }
        if !is_quote_char(c) {
            continue;
        }
        match open {
            Some(start) if is_closing_quote(c) => {
                if i > start && i - start <= MAX_QUOTE_BYTES {
                    out.push((start, i));
                }
                open = None;
            }
            Some(_) => open = Some(i + c.len_utf8()),
            None => open = Some(i + c.len_utf8()),
        }
    }
    out
}

/// Whether the gap between two tokens ends a sentence before the second. `before` is
/// the text up to `previous`, `after` the text right after `next`.
fn ends_sentence(before: &str, previous: &str, gap: &str, next: &str, after: &str) -> bool {
    if gap.contains('\n') {
        return true;
    }
    // A full stop glued to the next sentence, as hurried or transcribed writing has it
    // ("a useful tool.it is"): two words of three letters or more, the second
    // lowercase, neither of them part of a longer address (a domain, a path, a mail).
    let word = |w: &str| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic);
    if gap == "."
        && word(previous)
        && word(next)
        && next.chars().all(char::is_lowercase)
        && !after.starts_with(['.', '/', '@', '-', '_'])
        && !before.ends_with(['.', '/', '@', '-', '_'])
    {
        return true;
    }
    let terminated = gap.contains(['.', '!', '?', '…', '。', '！', '？']);
    terminated
        && next
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || !c.is_alphabetic())
}

impl StoryProfiler {
    pub fn new(stops: StopWords) -> Self {
        StoryProfiler { stops }
    }

    /// The profile of `text`, from its tokens (as [`crate::normalise::text::tokenize`] gave them
    /// with the analyzer's options) and a per-token mask of boilerplate and repeated
    /// copies, which take no part.
    pub fn profile(
        &self,
        text: &str,
        tokens: &[Token],
        masked: &[bool],
        index: &StoryIndex,
    ) -> StoryProfile {
        // The language by a vote of the function words among the first few hundred
        // words: as telling as the whole text, and nearly free.
        let stemmer =
            WordStemmer::for_language(self.stops.language(&tokens[..tokens.len().min(400)]));
        let stemmer_id = stemmer.id();
        let info = |t: &Token| -> WordInfo {
            WORDS.with(|cache| {
                let mut cache = cache.borrow_mut();
                let cache = cache.for_index(index.generation);
                *cache
                    .entry(t.hash ^ u64::from(stemmer_id))
                    .or_insert_with(|| {
                        let word = &text[t.start as usize..t.end as usize];
                        let lower = word.to_lowercase();
                        let stem = stemmer.stem(&lower);
                        let folded = crate::normalise::text::normalize_token(
                            &stem,
                            crate::normalise::lexicon::folded(),
                        );
                        WordInfo {
                            stem: token_hash(&folded),
                            weight: index.weight(word_key(t.hash)),
                            month: month_number(word).unwrap_or(0),
                        }
                    })
            })
        };

        // Hyphenated pairs are rare enough to stem directly, uncached.
        let compound = |p: &Token, t: &Token| -> u64 {
            let joined = format!(
                "{}{}",
                &text[p.start as usize..p.end as usize],
                &text[t.start as usize..t.end as usize]
            )
            .to_lowercase();
            let stem = stemmer.stem(&joined);
            token_hash(&crate::normalise::text::normalize_token(
                &stem,
                crate::normalise::lexicon::folded(),
            ))
        };
        let mut offsets = OffsetsToChars::default();
        // Sentences as token ranges, then their terms.
        let mut sentence_tokens: Vec<Range<usize>> = Vec::new();
        let mut start = 0usize;
        for i in 1..tokens.len() {
            let previous = &text[tokens[i - 1].start as usize..tokens[i - 1].end as usize];
            let gap = &text[tokens[i - 1].end as usize..tokens[i].start as usize];
            let next = &text[tokens[i].start as usize..tokens[i].end as usize];
            let before = &text[..tokens[i - 1].start as usize];
            let after = &text[tokens[i].end as usize..];
            if ends_sentence(before, previous, gap, next, after) {
                sentence_tokens.push(start..i);
                start = i;
            }
        }
        if !tokens.is_empty() {
            sentence_tokens.push(start..tokens.len());
        }
        let mut profile = StoryProfile::default();
        let mut byte_spans: Vec<(u32, u32)> = Vec::new();
        let mut buf: Vec<(u64, f32)> = Vec::new();
        let mut sentence_start = vec![false; tokens.len()];
        for range in &sentence_tokens {
            sentence_start[range.start] = true;
            // A sentence mostly made of boilerplate or repetition is not content.
            let masked_count = masked[range.clone()].iter().filter(|&&m| m).count();
            if masked_count * 2 > range.len() {
                continue;
            }
            buf.clear();
            let mut previous: Option<&Token> = None;
            for (t, _) in tokens[range.clone()]
                .iter()
                .zip(&masked[range.clone()])
                .filter(|(_, &m)| !m)
            {
                let word = &text[t.start as usize..t.end as usize];
                let digits = word.bytes().all(|b| b.is_ascii_digit());
                // "sub-problems" and "subproblems" are one word: a hyphenated pair also
                // yields the stem of its compound, a term of weight zero that only
                // counts when it meets the real word.
                if let Some(p) =
                    previous.filter(|p| !digits && &text[p.end as usize..t.start as usize] == "-")
                {
                    buf.push((compound(p, t), 0.0));
                }
                previous = (!digits).then_some(t);
                // Function words, half of all tokens, are ruled out by the small stop
                // set before the large per-thread word cache is probed.
                if (word.len() < 2 && !digits) || self.stops.contains(t.hash) {
                    continue;
                }
                let w = info(t);
                buf.push((w.stem, w.weight));
            }
            // Real terms before compounds of the same stem, which dedup then drops.
            buf.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
            buf.dedup_by_key(|x| x.0);
            if buf.iter().filter(|x| x.1 > 0.0).count() < 2 {
                continue;
            }
            let first = profile.terms.len() as u32;
            profile.terms.extend_from_slice(&buf);
            let weight = buf.iter().map(|x| x.1).sum();
            profile.sentences.push(Sentence {
                span: CharSpan { start: 0, end: 0 },
                terms: first..profile.terms.len() as u32,
                weight,
            });
            byte_spans.push((tokens[range.start].start, tokens[range.end - 1].end));
        }

        // Quotes: their content stems, when they hold enough to be told apart.
        let mut quote_bytes = Vec::new();
        for (qs, qe) in quote_ranges(text) {
            let first = tokens.partition_point(|t| (t.start as usize) < qs);
            let inside: Vec<&Token> = tokens[first..]
                .iter()
                .zip(&masked[first..])
                .take_while(|(t, _)| (t.end as usize) <= qe)
                .filter(|(_, &m)| !m)
                .map(|(t, _)| t)
                .collect();
            if inside.len() < 4 {
                continue;
            }
            let mut stems: Vec<u64> = inside
                .iter()
                .filter(|t| !self.stops.contains(t.hash))
                .map(|t| info(t).stem)
                .collect();
            stems.sort_unstable();
            stems.dedup();
            if stems.len() < 3 {
                continue;
            }
            profile.quotes.push(Quote {
                span: CharSpan { start: 0, end: 0 },
                stems,
                text: text[qs..qe].trim().to_owned(),
            });
            quote_bytes.push((qs as u32, qe as u32));
        }

        // Names and figures.
        let mut name_bytes = Vec::new();
        let mut seen_names: HashSet<u64> = HashSet::new();
        let mut figure_bytes = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if masked[i] {
                i += 1;
                continue;
            }
            let word = &text[t.start as usize..t.end as usize];
            if word.bytes().all(|b| b.is_ascii_digit()) {
                let (consumed, figure) = read_figure(text, tokens, i);
                if let Some((value, kind, end_byte)) = figure {
                    profile.figures.push(Figure {
                        value,
                        kind,
                        span: CharSpan { start: 0, end: 0 },
                    });
                    figure_bytes.push((t.start, end_byte));
                }
                i += consumed;
                continue;
            }
            if info(t).month != 0 {
                // "February 24, 2022": month first.
                if let Some((value, end_byte, consumed)) = read_month_first_date(text, tokens, i) {
                    profile.figures.push(Figure {
                        value,
                        kind: FactKind::Date,
                        span: CharSpan { start: 0, end: 0 },
                    });
                    figure_bytes.push((t.start, end_byte));
                    i += consumed;
                    continue;
                }
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if capitalised
                && !sentence_start[i]
                && word.chars().count() >= 3
                && !self.stops.contains(t.hash)
                && seen_names.insert(t.hash)
            {
                // Each name once (at its first mention): the evidence needs one place.
                let key = crate::normalise::text::normalize_token(
                    word,
                    crate::normalise::lexicon::folded(),
                );
                profile.names.push(Name {
                    key,
                    span: CharSpan { start: 0, end: 0 },
                    weight: index.weight(word_key(t.hash)),
                });
                name_bytes.push((t.start, t.end));
            }
            i += 1;
        }

        for spans in [&byte_spans, &quote_bytes, &name_bytes, &figure_bytes] {
            for &(s, e) in spans.iter() {
                offsets.push(s);
                offsets.push(e);
            }
        }
        let chars = offsets.convert(text);
        let mut at = chars.chunks_exact(2).map(|c| CharSpan {
            start: c[0],
            end: c[1],
        });
        for s in &mut profile.sentences {
            s.span = at.next().unwrap_or(s.span);
        }
        let mut postings: Vec<(u64, u32, f32)> = profile
            .sentences
            .iter()
            .enumerate()
            .flat_map(|(j, s)| {
                profile.terms[s.terms.start as usize..s.terms.end as usize]
                    .iter()
                    .map(move |t| (t.0, j as u32, t.1))
            })
            .collect();
        postings.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
        profile.postings = postings;
        for q in &mut profile.quotes {
            q.span = at.next().unwrap_or(q.span);
        }
        for n in &mut profile.names {
            n.span = at.next().unwrap_or(n.span);
        }
        for f in &mut profile.figures {
            f.span = at.next().unwrap_or(f.span);
        }
        profile
    }
}

/// Reads a number starting at token `i`: digit groups joined by a space ("300 000"),
/// or a date "24 février 2022". Returns the tokens consumed and the figure (value, kind,
/// end byte) when it is worth matching: numbers of 10 and more, years, dates.
fn read_figure(text: &str, tokens: &[Token], i: usize) -> (usize, Option<(String, FactKind, u32)>) {
    let word = |j: usize| &text[tokens[j].start as usize..tokens[j].end as usize];
    let gap = |j: usize| &text[tokens[j - 1].end as usize..tokens[j].start as usize];
    let first = word(i);
    // Day, month name, optional year.
    if first.len() <= 2 && i + 1 < tokens.len() {
        if let (Ok(day), Some(month)) = (first.parse::<u8>(), month_number(word(i + 1))) {
            if (1..=31).contains(&day) && gap(i + 1).trim().is_empty() {
                let year = (i + 2 < tokens.len())
                    .then(|| word(i + 2))
                    .filter(|w| w.len() == 4 && gap(i + 2).trim().is_empty())
                    .and_then(|w| w.parse::<u16>().ok());
                let (value, consumed) = match year {
                    Some(y) => (format!("{y:04}-{month:02}-{day:02}"), 3),
                    None => (format!("--{month:02}-{day:02}"), 2),
                };
                let end = tokens[i + consumed - 1].end;
                return (consumed, Some((value, FactKind::Date, end)));
            }
        }
    }
    // Digit groups read as one number: thousands separated by a (possibly
    // non-breaking) space, a comma or a full stop ("300 000", "2,500", "2.500"), and a
    // decimal part ("27.2", "27,2", "1,234.56"). The pieces of "225.86" are not the
    // numbers 225 and 86: a page of prices would otherwise share "86" with any text.
    let mut groups: Vec<&str> = vec![first];
    let mut separators: Vec<&str> = Vec::new();
    let mut j = i + 1;
    while j < tokens.len() && word(j).bytes().all(|b| b.is_ascii_digit()) {
        let sep = gap(j);
        let joins = match sep {
            "." | "," => true,
            " " | "\u{a0}" | "\u{202f}" | "\u{2009}" => word(j).len() == 3,
            _ => false,
        };
        if !joins {
            break;
        }
        groups.push(word(j));
        separators.push(sep);
        j += 1;
    }
    let end = tokens[j - 1].end;
    let consumed = j - i;
    let Some(value) = number_value(&groups, &separators) else {
        return (consumed, None);
    };
    let kind = match value.parse::<u64>() {
        Ok(y) if groups.len() == 1 && first.len() == 4 && (1800..=2100).contains(&y) => {
            FactKind::Year
        }
        Ok(n) if n < 10 => return (consumed, None),
        _ => FactKind::Number,
    };
    (consumed, Some((value, kind, end)))
}

/// The normalised value of digit groups and the separators between them: an integer
/// ("300000") or a decimal ("27.2"); `None` for what is not one number, such as a
/// version or a date written with full stops ("10.2.3", "20.11.2019").
///
/// The last separator is the decimal mark when a full stop or comma is followed by other
/// than three digits ("27.2", "1.234,56"), or differs from the mark before it
/// ("1,234.567"); every other separator groups thousands and must be followed by three
/// digits.
fn number_value(groups: &[&str], separators: &[&str]) -> Option<String> {
    let last = separators.len().checked_sub(1);
    let decimal = last.filter(|&k| {
        let mark = separators[k];
        matches!(mark, "." | ",")
            && (groups[k + 1].len() != 3
                || separators[..k]
                    .iter()
                    .any(|&s| matches!(s, "." | ",") && s != mark))
    });
    let whole_groups = decimal.map_or(groups.len(), |k| k + 1);
    if groups[1..whole_groups].iter().any(|g| g.len() != 3) {
        return None;
    }
    let whole: String = groups[..whole_groups].concat();
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = decimal.map_or("", |k| groups[k + 1].trim_end_matches('0'));
    Some(if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    })
}

/// A class of like figures: the kind, the count of digits ("55" and "28" are two-digit
/// numbers, "2022-02-24" an eight-digit date), and whether the value is round (an
/// integer multiple of five: "30", "200").
type FigureClass = (FactKind, usize, bool);

/// Each class of a profile's figures with its distinct values, in a fixed order, each
/// with its first mention.
fn figure_classes(p: &StoryProfile) -> BTreeMap<FigureClass, BTreeMap<&str, &Figure>> {
    let mut classes: BTreeMap<FigureClass, BTreeMap<&str, &Figure>> = BTreeMap::new();
    for f in &p.figures {
        let digits = f.value.bytes().filter(u8::is_ascii_digit).count();
        let round = f.kind == FactKind::Number
            && !f.value.contains('.')
            && (f.value.ends_with('0') || f.value.ends_with('5'));
        classes
            .entry((f.kind, digits, round))
            .or_default()
            .entry(f.value.as_str())
            .or_insert(f);
    }
    classes
}

/// How many values a class of figures can take, as texts use them: a year of the last
/// century or so, a day of the year (with its year), a number of so many digits. Round
/// numbers are a fifth of all numbers but make up much of what texts write (prices,
/// durations, estimates), so they count as a class of their own, and a small one.
/// Two texts holding `n` and `m` values of a class share about `n * m / size` of them
/// by chance.
fn class_size((kind, digits, round): FigureClass) -> f32 {
    let numbers = 9.0 * 10f32.powi(digits.clamp(1, 30) as i32 - 1);
    match kind {
        FactKind::Year => 100.0,
        FactKind::Date if digits <= 4 => 366.0,
        FactKind::Date => 36_600.0,
        _ if round => numbers / 5.0,
        _ => numbers * 4.0 / 5.0,
    }
}

/// Reads "February 24, 2022" (or "February 24") at token `i`, the month name.
fn read_month_first_date(text: &str, tokens: &[Token], i: usize) -> Option<(String, u32, usize)> {
    let word = |j: usize| &text[tokens[j].start as usize..tokens[j].end as usize];
    let month = month_number(word(i))?;
    let day_token = word(*[i + 1].iter().find(|&&j| j < tokens.len())?);
    if day_token.len() > 2 {
        return None;
    }
    let day: u8 = day_token.parse().ok()?;
    if !(1..=31).contains(&day) {
        return None;
    }
    let year = (i + 2 < tokens.len())
        .then(|| word(i + 2))
        .filter(|w| w.len() == 4)
        .and_then(|w| w.parse::<u16>().ok());
    Some(match year {
        Some(y) => (format!("{y:04}-{month:02}-{day:02}"), tokens[i + 2].end, 3),
        None => (format!("--{month:02}-{day:02}"), tokens[i + 1].end, 2),
    })
}

/// The measurements a story verdict rests on, for one pair.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryFeatures {
    /// Share of `a`'s content weight in sentences aligned with `b`.
    pub coverage_a: f32,
    /// Share of `b`'s content weight in sentences aligned with `a`.
    pub coverage_b: f32,
    /// Share of `a`'s content weight in a chain of sentences aligned in the same order
    /// in `b` (looser similarity, each counted by how close it is): a rewrite follows
    /// its source sentence by sentence, two texts on one topic touch at random points.
    /// Consecutive links of the chain may share a partner when closely aligned: a
    /// rewrite splits a long sentence in two and condenses two into one.
    pub ordered_a: f32,
    /// The same for `b`.
    pub ordered_b: f32,
    /// Mean similarity of the aligned sentence pairs.
    pub sentence_similarity: f32,
    /// Aligned sentence pairs.
    pub sentences: u32,
    /// Quotes of either side found in the other.
    pub quotes: u32,
    /// Summed rarity weight of the names both sides mention.
    pub names: f32,
    /// Dates (2 each), numbers (1) and years (half) both sides mention, each class of
    /// figures discounted by the matches chance alone would give (`n × m / class size`).
    pub figures: f32,
    /// The calibrated score in `[0, 1]`.
    pub score: f32,
}

/// What a stem both sentences hold adds to their overlap (the weighted Dice numerator):
/// the commoner reading of its weight; a compound (weight zero) meeting the real word
/// counts as that word.
#[inline]
fn shared_weight(a: f32, b: f32) -> f32 {
    if a == 0.0 || b == 0.0 {
        a.max(b)
    } else {
        a.min(b)
    }
}

/// Best partner of each sentence of `x` in `y`: (index in `y`, similarity), found
/// through an inverted index of `y`'s stems so unrelated sentences cost nothing.
fn best_partners(x: &StoryProfile, y: &StoryProfile) -> Vec<Option<(u32, f32)>> {
    // A sparse product: each term of a sentence of `x` adds its shared weight to every
    // sentence of `y` holding the stem, so only sentences that share something are
    // touched, once per shared term.
    let postings = &y.postings;
    let mut shared = vec![0.0f32; y.sentences.len()];
    let mut touched: Vec<u32> = Vec::new();
    x.sentences
        .iter()
        .map(|s| {
            for &(stem, wx) in x.sentence_terms(s) {
                let start = postings.partition_point(|p| p.0 < stem);
                for &(_, j, wy) in postings[start..].iter().take_while(|p| p.0 == stem) {
                    let slot = &mut shared[j as usize];
                    if *slot == 0.0 {
                        touched.push(j);
                    }
                    *slot += shared_weight(wx, wy);
                }
            }
            let mut best: Option<(u32, f32)> = None;
            for &j in &touched {
                let t = &y.sentences[j as usize];
                let total = s.weight + t.weight;
                let sim = if total > 0.0 {
                    2.0 * shared[j as usize] / total
                } else {
                    0.0
                };
                shared[j as usize] = 0.0;
                if best.is_none_or(|(bj, bs)| sim > bs || (sim == bs && j < bj)) {
                    best = Some((j, sim));
                }
            }
            touched.clear();
            best
        })
        .collect()
}

/// Whether two name keys are the same name: equal, or one edit apart when both are
/// long enough for that to be a variant rather than another word.
fn same_name(x: &str, y: &str) -> bool {
    if x == y {
        return true;
    }
    let (lx, ly) = (x.chars().count(), y.chars().count());
    lx >= 5
        && ly >= 5
        && lx.abs_diff(ly) <= 1
        && x.chars().next() == y.chars().next()
        && strsim::damerau_levenshtein(x, y) <= 1
}

/// The logistic score of a pair's features.
///
/// What each kind of evidence is worth: sentences aligned by meaning above all, in
/// two readings (the share of the better-covered side in closely aligned sentences, and
/// both sides' shares in an order-preserving chain of looser alignments, which a
/// rewrite keeps and two texts on one topic do not); then shared dates and figures and
/// quotes, which tie independent versions of one dispatch; rare names count least,
/// since different stories on one subject share them too. The weights were fitted by
/// logistic regression on labelled pairs (Clough-Stevenson answers against their
/// sources and against `non` answers, and the seed stories; see BENCHMARKS.md) and
/// rounded, so a score of 0.5 is where a related and an unrelated pair are equally
/// likely on those sets. Those sets hold few quotations, so the quote weight was set
/// by hand above the fitted one: a quotation of three or more content words found in
/// both texts is rarely a coincidence.
pub fn score(f: &StoryFeatures) -> f32 {
    let ordered = f.ordered_a + f.ordered_b;
    let coverage = f.coverage_a.max(f.coverage_b);
    let z = -7.5
        + 5.5 * ordered
        + 8.0 * coverage
        + 1.5 * (f.quotes.min(3) as f32)
        + 1.5 * f.figures.min(4.0)
        + 0.15 * f.names.min(8.0);
    1.0 / (1.0 + (-z).exp())
}

/// Compares two profiles: the features, and the evidence (aligned sentence pairs and
/// shared facts) behind them.
pub fn compare_profiles(
    pa: &StoryProfile,
    pb: &StoryProfile,
    opts: &StoryOptions,
) -> (StoryFeatures, Vec<SentencePair>, Vec<Fact>) {
    let mut features = StoryFeatures::default();
    if pa.is_empty() || pb.is_empty() {
        return (features, Vec::new(), Vec::new());
    }
    let ab = best_partners(pa, pb);
    let ba = best_partners(pb, pa);
    let threshold = opts.min_sentence_similarity;
    let covered = |p: &StoryProfile, partners: &[Option<(u32, f32)>]| -> f32 {
        let total = p.weight();
        let aligned: f32 = p
            .sentences
            .iter()
            .zip(partners)
            .filter(|(_, m)| m.is_some_and(|m| m.1 >= threshold))
            .map(|(s, _)| s.weight)
            .sum();
        if total > 0.0 {
            (aligned / total).max(0.0)
        } else {
            0.0
        }
    };
    features.coverage_a = covered(pa, &ab);
    features.coverage_b = covered(pb, &ba);
    features.ordered_a = ordered(pa, &ab, threshold);
    features.ordered_b = ordered(pb, &ba, threshold);
    // Evidence pairs: each aligned sentence of `a` with its partner.
    let mut sentences: Vec<SentencePair> = ab
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let (j, sim) = (*m)?;
            (sim >= threshold).then(|| SentencePair {
                a: pa.sentences[i].span,
                b: pb.sentences[j as usize].span,
                similarity: sim,
            })
        })
        .collect();
    // Sentences of `b` whose best partner was not already listed.
    for (j, m) in ba.iter().enumerate() {
        if let Some((i, sim)) = *m {
            let pair = SentencePair {
                a: pa.sentences[i as usize].span,
                b: pb.sentences[j].span,
                similarity: sim,
            };
            if sim >= threshold && !sentences.iter().any(|p| p.b == pair.b) {
                sentences.push(pair);
            }
        }
    }
    sentences.sort_by_key(|p| (p.a.start, p.b.start));
    features.sentences = sentences.len() as u32;
    features.sentence_similarity = if sentences.is_empty() {
        0.0
    } else {
        sentences.iter().map(|p| p.similarity).sum::<f32>() / sentences.len() as f32
    };

    let mut facts = Vec::new();
    // Quotes of one side contained in a sentence of the other.
    let mut quote_hits = 0u32;
    for (from, to, from_is_a) in [(pa, pb, true), (pb, pa, false)] {
        for q in &from.quotes {
            let best = to
                .sentences
                .iter()
                .map(|s| {
                    let terms = to.sentence_terms(s);
                    let hit = q
                        .stems
                        .iter()
                        .filter(|&&st| terms.binary_search_by_key(&st, |t| t.0).is_ok())
                        .count();
                    (hit as f32 / q.stems.len() as f32, s.span)
                })
                .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.start.cmp(&x.1.start)));
            if let Some((containment, span)) = best {
                if containment >= 0.6 {
                    let (a, b) = if from_is_a {
                        (q.span, span)
                    } else {
                        (span, q.span)
                    };
                    // The same quote found from both sides is one fact.
                    let duplicate = facts.iter().any(|f: &Fact| {
                        f.kind == FactKind::Quote && overlaps(f.a, a) && overlaps(f.b, b)
                    });
                    if !duplicate {
                        quote_hits += 1;
                        facts.push(Fact {
                            kind: FactKind::Quote,
                            a,
                            b,
                            value: q.text.clone(),
                            weight: containment,
                        });
                    }
                }
            }
        }
    }
    features.quotes = quote_hits;

    // Names, each distinct key once: the same name, else a variant one edit apart.
    let exact_b: std::collections::HashMap<&str, &Name> =
        pb.names.iter().rev().map(|n| (n.key.as_str(), n)).collect();
    let mut seen_a: HashSet<&str> = HashSet::new();
    let mut names_weight = 0.0f32;
    for na in &pa.names {
        if !seen_a.insert(na.key.as_str()) {
            continue;
        }
        let found = exact_b
            .get(na.key.as_str())
            .copied()
            .or_else(|| pb.names.iter().find(|nb| same_name(&na.key, &nb.key)));
        if let Some(nb) = found {
            let w = na.weight.max(nb.weight);
            names_weight += w;
            facts.push(Fact {
                kind: FactKind::Name,
                a: na.span,
                b: nb.span,
                value: if na.key == nb.key {
                    na.key.clone()
                } else {
                    format!("{} ~ {}", na.key, nb.key)
                },
                weight: w,
            });
        }
    }
    features.names = names_weight;

    // Figures, each distinct value once, discounted by the matches chance alone would
    // give: two pages of prices share some two-digit numbers whatever they are about.
    let classes_a = figure_classes(pa);
    let classes_b = figure_classes(pb);
    let mut figures = 0.0f32;
    for (class, values_a) in &classes_a {
        let Some(values_b) = classes_b.get(class) else {
            continue;
        };
        let shared: Vec<(&Figure, &Figure)> = values_a
            .iter()
            .filter_map(|(value, fa)| Some((*fa, *values_b.get(value)?)))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let expected = values_a.len() as f32 * values_b.len() as f32 / class_size(*class);
        let beyond_chance = (shared.len() as f32 - expected).max(0.0) / shared.len() as f32;
        let w = beyond_chance
            * match class.0 {
                FactKind::Year => 0.5,
                FactKind::Date => 2.0,
                _ => 1.0,
            };
        for (fa, fb) in shared {
            figures += w;
            facts.push(Fact {
                kind: fa.kind,
                a: fa.span,
                b: fb.span,
                value: fa.value.clone(),
                weight: w,
            });
        }
    }
    features.figures = figures;
    facts.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then(y.weight.total_cmp(&x.weight))
            .then(x.a.start.cmp(&y.a.start))
    });
    features.score = score(&features);
    (features, sentences, facts)
}

/// Share of each side that closely aligned sentences must cover when no quote or figure
/// is shared.
const MIN_SIDE_COVERAGE: f32 = 0.05;

/// Closely aligned sentence pairs a link needs when no quote or figure is shared: two
/// texts explaining one thing can each put one or two sentences the same way (a
/// definition, a formula said in words); a rewrite retells more than that.
const MIN_SENTENCES_WITHOUT_FACT: u32 = 3;

/// Similarity below which a sentence pair is no evidence even of an ordered rewrite.
const LOOSE_SENTENCE_SIMILARITY: f32 = 0.25;

/// Longest chain (by weight) of sentences of `p` whose partners keep their order: see
/// [`StoryFeatures::ordered_a`]. Quadratic in aligned sentences, so very long documents
/// are cut to their first `MAX_CHAIN` aligned sentences.
fn ordered(p: &StoryProfile, partners: &[Option<(u32, f32)>], threshold: f32) -> f32 {
    const MAX_CHAIN: usize = 2000;
    let total = p.weight();
    if total <= 0.0 {
        return 0.0;
    }
    let items: Vec<(u32, f32, bool)> = p
        .sentences
        .iter()
        .zip(partners)
        .filter_map(|(s, m)| {
            let (j, sim) = (*m)?;
            // Counted in proportion to the similarity, in full from the threshold.
            let closeness = (sim / threshold.max(1e-3)).min(1.0);
            let close = sim >= threshold;
            (sim >= LOOSE_SENTENCE_SIMILARITY).then_some((j, s.weight * closeness, close))
        })
        .take(MAX_CHAIN)
        .collect();
    // Best chain weight ending at each item.
    let mut best: Vec<f32> = Vec::with_capacity(items.len());
    for (k, &(j, w, close)) in items.iter().enumerate() {
        let before = items[..k]
            .iter()
            .zip(&best)
            // A rewrite splits a long sentence in two and condenses two into one, so a
            // sentence may follow another with the same partner; only when it is closely
            // aligned, since a sentence on the topic loosely matches many.
            .filter(|((jj, _, _), _)| *jj < j || (*jj == j && close))
            .map(|(_, &b)| b)
            .fold(0.0f32, f32::max);
        best.push(before + w);
    }
    best.iter().copied().fold(0.0f32, f32::max) / total
}

fn overlaps(x: CharSpan, y: CharSpan) -> bool {
    x.start < y.end && y.start < x.end
}

/// The relation a verdict gives: `rewrite` when aligned sentences (closely, or in an
/// ordered chain) cover at least `rewrite_coverage` of one side, `same-story`
/// otherwise; `None` below the score threshold, or when nothing but sentences ties the
/// pair and they cover under 5% of one side or are fewer than three pairs.
pub fn relation_for(features: &StoryFeatures, opts: &StoryOptions) -> Option<Relation> {
    relation_from(features, opts, opts.min_score)
}

/// The relation of a weaker link: one scored under `min_score` but from
/// `min_corroborating_score` up, which ties nothing alone and corroborates in a scan
/// (see [`crate::cluster::corroborate`]). `None` for a link at or above `min_score`.
pub fn corroborating_relation(features: &StoryFeatures, opts: &StoryOptions) -> Option<Relation> {
    if features.score >= opts.min_score {
        return None;
    }
    relation_from(features, opts, opts.min_corroborating_score)
}

/// [`relation_for`] with another score threshold.
fn relation_from(
    features: &StoryFeatures,
    opts: &StoryOptions,
    min_score: f32,
) -> Option<Relation> {
    if features.score < min_score {
        return None;
    }
    // Evidence must reach both texts: a quote or a figure they share, or sentences
    // aligned closely with a share of each. A short text on a topic can find its few
    // sentences echoed in a long one whose own sentences it barely touches.
    let no_fact = features.quotes == 0 && features.figures == 0.0;
    if no_fact
        && (features.coverage_a.min(features.coverage_b) < MIN_SIDE_COVERAGE
            || features.sentences < MIN_SENTENCES_WITHOUT_FACT)
    {
        return None;
    }
    let reworded = features
        .coverage_a
        .max(features.coverage_b)
        .max(features.ordered_a)
        .max(features.ordered_b);
    if reworded >= opts.rewrite_coverage {
        Some(Relation::Rewrite)
    } else {
        Some(Relation::SameStory)
    }
}

/// Verifies a story candidate pair: a `rewrite` or `same-story` [`Match`] with its
/// evidence, or `None`. Links scoring from `min_corroborating_score` up are returned
/// (the caller keeps those under `min_score` only as corroboration).
pub fn verify_story(
    a: u32,
    pa: &StoryProfile,
    b: u32,
    pb: &StoryProfile,
    opts: &StoryOptions,
) -> Option<Match> {
    let (features, sentences, facts) = compare_profiles(pa, pb, opts);
    let kind = relation_from(
        &features,
        opts,
        opts.min_corroborating_score.min(opts.min_score),
    )?;
    let (a, b, features, sentences, facts) = if a <= b {
        (a, b, features, sentences, facts)
    } else {
        // Keep `a < b`, swapping every side-specific field.
        let swapped = StoryFeatures {
            coverage_a: features.coverage_b,
            coverage_b: features.coverage_a,
            ..features
        };
        let sentences = sentences
            .into_iter()
            .map(|p| SentencePair {
                a: p.b,
                b: p.a,
                similarity: p.similarity,
            })
            .collect();
        let facts = facts
            .into_iter()
            .map(|f| Fact {
                a: f.b,
                b: f.a,
                ..f
            })
            .collect();
        (b, a, swapped, sentences, facts)
    };
    Some(Match {
        a,
        b,
        kind,
        similarity: features.score,
        evidence: Some(Box::new(Evidence {
            coverage_a: features.coverage_a,
            coverage_b: features.coverage_b,
            passages: Vec::new(),
            sentences,
            facts,
            corroborated: false,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::text::tokenize;

    /// Each text's story keys, with the default options.
    fn keys_of(texts: &[&str], stops: &StopWords) -> Vec<Vec<u32>> {
        let opts = TextOptions::default();
        texts
            .iter()
            .map(|t| {
                let mut tokens = Vec::new();
                tokenize(t, &opts, &mut tokens);
                story_keys(t, &tokens, stops)
            })
            .collect()
    }

    fn profiles(texts: &[&str]) -> Vec<StoryProfile> {
        let opts = TextOptions::default();
        let stops = StopWords::new(&opts);
        let keys = keys_of(texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let index = StoryIndex::build(&refs);
        let profiler = StoryProfiler::new(stops);
        texts
            .iter()
            .map(|t| {
                let mut tokens = Vec::new();
                tokenize(t, &opts, &mut tokens);
                let masked = vec![false; tokens.len()];
                profiler.profile(t, &tokens, &masked, &index)
            })
            .collect()
    }

    const ORIGINAL: &str = "The harbour authority of Velmora closed the northern pier on \
        Tuesday after inspectors found deep cracks in its concrete pillars. Engineers \
        estimate that repairs will cost 4 300 000 euros and take eleven months. Fishing \
        crews must now unload their catch at the older southern quay, which is smaller \
        and often crowded. \"We cannot wait a whole season for a decision,\" said Marta \
        Quennell, who leads the local fishermen's cooperative. The mayor promised to \
        publish a timetable for the works before the end of March.";

    /// The same story reworded: synonyms, other grammar, sentences in another order.
    const REWRITE: &str = "Inspectors discovered deep cracks in the concrete pillars of \
        the northern pier, so the Velmora harbour authority shut it on Tuesday. Fishing \
        crews now have to unload catches at the smaller southern quay, an older dock that \
        is often crowded. According to engineers, the repairs should take eleven months \
        and cost 4 300 000 euros. Before the end of March, the mayor pledged, a timetable \
        for the works will be published. Marta Quennell, head of the fishermen's local \
        cooperative, warned: \"We cannot wait a whole season for a decision.\"";

    /// Another story on the same subject: the same town and harbour words, not the
    /// same facts.
    const OTHER_STORY: &str = "Velmora's harbour will host a sailing regatta next \
        summer, the tourism office announced. Around 60 boats are expected at the \
        southern quay, and local restaurants hope for a busy season. The organisers \
        said the northern side of the port would stay open to visitors during the race \
        weekend, with guided walks along the old fishing docks.";

    /// An independent version of the first story: few shared sentences, but the quote,
    /// the name and the figures.
    const SAME_STORY: &str = "Fishermen in Velmora are angry. Since the northern pier was \
        declared unsafe, boats queue for hours at the other end of the port. \"We cannot \
        wait a whole season for a decision,\" Marta Quenell told reporters, standing next \
        to her trawler. The bill for the works is put at 4 300 000 euros. City officials \
        did not answer questions about the schedule.";

    #[test]
    fn a_reworded_text_is_a_rewrite_and_another_story_is_nothing() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let opts = StoryOptions::default();
        let (f, sentences, facts) = compare_profiles(&p[0], &p[1], &opts);
        assert_eq!(relation_for(&f, &opts), Some(Relation::Rewrite), "{f:?}");
        assert!(f.coverage_a >= 0.6 && f.coverage_b >= 0.6, "{f:?}");
        assert!(sentences.len() >= 4, "{sentences:?}");
        assert!(facts.iter().any(|x| x.kind == FactKind::Quote), "{facts:?}");
        assert!(facts
            .iter()
            .any(|x| x.kind == FactKind::Number && x.value == "4300000"));

        let (f, _, _) = compare_profiles(&p[0], &p[2], &opts);
        assert_eq!(relation_for(&f, &opts), None, "{f:?}");
        assert!(f.score < 0.2, "{f:?}");
    }

    #[test]
    fn an_independent_version_is_the_same_story_with_its_facts() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let opts = StoryOptions::default();
        let (f, _, facts) = compare_profiles(&p[0], &p[3], &opts);
        assert_eq!(relation_for(&f, &opts), Some(Relation::SameStory), "{f:?}");
        assert_eq!(f.quotes, 1, "{facts:?}");
        // "Quennell" and "Quenell": one spelling variant apart.
        assert!(
            facts
                .iter()
                .any(|x| x.kind == FactKind::Name && x.value == "quennell ~ quenell"),
            "{facts:?}"
        );
        // Spans point at the facts in both texts.
        let chars = |t: &str, s: CharSpan| -> String {
            t.chars()
                .skip(s.start as usize)
                .take((s.end - s.start) as usize)
                .collect()
        };
        let quote = facts.iter().find(|x| x.kind == FactKind::Quote).unwrap();
        assert!(chars(ORIGINAL, quote.a).contains("whole season"));
        assert!(chars(SAME_STORY, quote.b).contains("whole season"));
    }

    #[test]
    fn verdicts_do_not_depend_on_argument_order() {
        let p = profiles(&[ORIGINAL, REWRITE]);
        let opts = StoryOptions::default();
        let forward = verify_story(0, &p[0], 1, &p[1], &opts).unwrap();
        let backward = verify_story(1, &p[1], 0, &p[0], &opts).unwrap();
        assert_eq!((forward.a, forward.b), (0, 1));
        assert_eq!((backward.a, backward.b), (0, 1));
        assert_eq!(forward.kind, backward.kind);
        let (ef, eb) = (forward.evidence.unwrap(), backward.evidence.unwrap());
        assert!((ef.coverage_a - eb.coverage_a).abs() < 0.05);
        assert!(eb
            .sentences
            .iter()
            .all(|s| s.a.end <= ORIGINAL.chars().count() as u32));
    }

    #[test]
    fn links_under_the_match_score_are_kept_from_the_corroborating_score() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let defaults = StoryOptions::default();
        let (f, _, _) = compare_profiles(&p[0], &p[3], &defaults);
        // The same pair, judged against a match score above its own: a weak link,
        // returned when its score reaches the corroborating score, not below.
        let opts = StoryOptions {
            min_score: f.score + 0.1,
            min_corroborating_score: f.score - 0.1,
            ..defaults.clone()
        };
        assert_eq!(relation_for(&f, &opts), None);
        assert_eq!(corroborating_relation(&f, &opts), Some(Relation::SameStory));
        assert_eq!(
            corroborating_relation(&f, &defaults),
            None,
            "a link, not a weak one"
        );
        let weak = verify_story(0, &p[0], 3, &p[3], &opts).expect("a weak link");
        assert_eq!(weak.kind, Relation::SameStory);
        assert!(weak.similarity < opts.min_score);
        let evidence = weak.evidence.expect("evidence");
        assert!(
            !evidence.corroborated,
            "corroboration is decided by clustering"
        );
        assert!(!evidence.facts.is_empty());
        let opts = StoryOptions {
            min_corroborating_score: f.score + 0.05,
            ..opts
        };
        assert!(verify_story(0, &p[0], 3, &p[3], &opts).is_none());
        assert_eq!(corroborating_relation(&f, &opts), None);
        // A corroborating score above the match score does not lift the match score.
        let opts = StoryOptions {
            min_corroborating_score: 0.9,
            ..defaults
        };
        assert!(verify_story(0, &p[0], 3, &p[3], &opts).is_some());
    }

    #[test]
    fn sentences_alone_need_three_pairs() {
        let opts = StoryOptions::default();
        let mut features = StoryFeatures {
            coverage_a: 0.6,
            coverage_b: 0.5,
            ordered_a: 0.6,
            ordered_b: 0.5,
            sentence_similarity: 0.6,
            sentences: 2,
            ..StoryFeatures::default()
        };
        features.score = score(&features);
        assert!(features.score >= opts.min_score);
        assert_eq!(relation_for(&features, &opts), None);
        features.sentences = 3;
        assert_eq!(relation_for(&features, &opts), Some(Relation::Rewrite));
        // A shared figure is evidence of its own.
        features.sentences = 2;
        features.figures = 1.0;
        features.score = score(&features);
        assert_eq!(relation_for(&features, &opts), Some(Relation::Rewrite));
    }

    #[test]
    fn sentences_end_at_full_stops_glued_to_the_next_word() {
        let split = |text: &str| -> Vec<String> {
            let profile = &profiles(&[text, "autre chose"])[0];
            profile
                .sentences
                .iter()
                .map(|s| {
                    text.chars()
                        .skip(s.span.start as usize)
                        .take((s.span.end - s.span.start) as usize)
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            split("Inheritance is a useful tool.categorization is a powerful feature.It helps programmers daily."),
            [
                "Inheritance is a useful tool",
                "categorization is a powerful feature",
                "It helps programmers daily"
            ]
        );
        // Addresses and short abbreviations stay whole.
        assert_eq!(
            split("Read it on www.example.com/page and mail news.desk@example.org, e.g. today."),
            ["Read it on www.example.com/page and mail news.desk@example.org, e.g. today"]
        );
    }

    #[test]
    fn ordered_chains_take_split_sentences_but_not_loose_repeats() {
        // Sentences of weight 1 and their partners (index, similarity) on the other side.
        let chain = |partners: &[(u32, f32)]| -> f32 {
            let p = StoryProfile {
                sentences: partners
                    .iter()
                    .map(|_| Sentence {
                        span: CharSpan { start: 0, end: 0 },
                        terms: 0..0,
                        weight: 1.0,
                    })
                    .collect(),
                ..StoryProfile::default()
            };
            let partners: Vec<Option<(u32, f32)>> = partners.iter().map(|&m| Some(m)).collect();
            ordered(&p, &partners, 0.4)
        };
        // The second source sentence split in two, both pieces close: all four count.
        assert!((chain(&[(0, 0.6), (1, 0.5), (1, 0.5), (2, 0.6)]) - 1.0).abs() < 1e-6);
        // Three loose echoes of one sentence count once (at 0.3 / 0.4 of their weight).
        let loose = chain(&[(0, 0.6), (1, 0.3), (1, 0.3), (1, 0.3), (2, 0.6)]);
        assert!((loose - 2.75 / 5.0).abs() < 1e-6, "{loose}");
        // Reversed order is no chain.
        assert!((chain(&[(2, 0.6), (1, 0.6), (0, 0.6)]) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn numbers_are_read_whole_in_each_convention() {
        let v = |groups: &[&str], seps: &[&str]| number_value(groups, seps);
        // Thousands, by space, comma or full stop.
        assert_eq!(v(&["300", "000"], &[" "]).as_deref(), Some("300000"));
        assert_eq!(v(&["2", "500"], &[","]).as_deref(), Some("2500"));
        assert_eq!(v(&["2", "500"], &["."]).as_deref(), Some("2500"));
        // Decimals, with a full stop or a comma, and both marks together.
        assert_eq!(v(&["27", "2"], &["."]).as_deref(), Some("27.2"));
        assert_eq!(v(&["27", "2"], &[","]).as_deref(), Some("27.2"));
        assert_eq!(
            v(&["1", "234", "56"], &[",", "."]).as_deref(),
            Some("1234.56")
        );
        assert_eq!(
            v(&["1", "234", "56"], &[".", ","]).as_deref(),
            Some("1234.56")
        );
        assert_eq!(v(&["2", "50"], &["."]).as_deref(), Some("2.5"));
        // Versions and dates written with full stops are not numbers.
        assert_eq!(v(&["10", "2", "3"], &[".", "."]), None);
        assert_eq!(v(&["20", "11", "2019"], &[".", "."]), None);
    }

    #[test]
    fn decimals_are_one_figure_not_two() {
        let p = profiles(&[
            "Shares closed at 225.86 after revenue rose to $27.2 billion, or 27,2 milliards.",
            "The index gained 86 points while 27 firms reported.",
        ]);
        let values: Vec<&str> = p[0].figures.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["225.86", "27.2", "27.2"], "{values:?}");
        // Nothing of the first is in the second: "86" and "27" were pieces of decimals.
        let (f, _, facts) = compare_profiles(&p[0], &p[1], &StoryOptions::default());
        assert_eq!(f.figures, 0.0, "{facts:?}");
    }

    #[test]
    fn figures_count_beyond_what_chance_would_share() {
        // Two short reports sharing their three small numbers: full weight.
        let few = profiles(&[
            "The 55 year old hunter fell ill after 28 hours; 12 contacts were isolated.",
            "A hunter, 55, was ill within 28 hours and 12 contacts were isolated.",
        ]);
        let (f_few, _, _) = compare_profiles(&few[0], &few[1], &StoryOptions::default());
        assert!(f_few.figures > 2.8 && f_few.figures <= 3.0, "{f_few:?}");
        // Two price lists holding many two-digit numbers share three by chance.
        let list = |from: u32, step: u32| -> String {
            (0..30)
                .map(|k| {
                    format!(
                        "Item {} costs {} dollars.",
                        k + 1,
                        11 + (from + k * step) % 88
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (a, b) = (list(0, 3), list(1, 7));
        let many = profiles(&[a.as_str(), b.as_str()]);
        let (f_many, _, facts) = compare_profiles(&many[0], &many[1], &StoryOptions::default());
        let shared = facts.iter().filter(|x| x.kind == FactKind::Number).count();
        assert!(shared >= 3, "{facts:?}");
        assert!(
            f_many.figures < 0.5 * shared as f32,
            "{f_many:?} over {shared} shared"
        );
        // Round numbers are commoner still: three shared among a dozen count little.
        let rounds = profiles(&[
            "Deals: 10, 20, 30, 40, 50, 60, 70, 80, 90, 15, 25, 35 dollars off.",
            "Offers: 10, 20, 30, 45, 55, 65, 75, 85, 95, 100, 200, 300 dollars off.",
        ]);
        let (f_round, _, _) = compare_profiles(&rounds[0], &rounds[1], &StoryOptions::default());
        assert!(f_round.figures < 1.0, "{f_round:?}");
    }

    #[test]
    fn figures_dates_and_names_are_read_in_several_forms() {
        let p = profiles(&[
            "It began on 24 February 2022, when 300 000 reservists were called. Officials \
             in Brussels said so.",
            "It began on February 24, 2022, when 300\u{a0}000 reservists were called.",
            "Le 24 février 2022, 300 000 réservistes ont été appelés.",
        ]);
        let values = |q: &StoryProfile| -> Vec<String> {
            q.figures
                .iter()
                .map(|f| f.value.clone())
                .collect::<Vec<_>>()
        };
        for q in &p {
            let v = values(q);
            assert!(v.contains(&"2022-02-24".to_string()), "{v:?}");
            assert!(v.contains(&"300000".to_string()), "{v:?}");
        }
        // "It" opens a sentence: not a name; "Brussels" is one.
        let names: Vec<&str> = p[0].names.iter().map(|n| n.key.as_str()).collect();
        assert!(names.contains(&"brussels"), "{names:?}");
        assert!(!names.contains(&"it"), "{names:?}");
    }

    #[test]
    fn evidence_must_reach_both_texts() {
        let opts = StoryOptions::default();
        // A short text whose sentences are all echoed in a long one that it barely
        // covers: a high score, but nothing ties the long text to it.
        let mut f = StoryFeatures {
            coverage_a: 0.9,
            coverage_b: 0.03,
            ordered_a: 0.9,
            ordered_b: 0.03,
            sentences: 3,
            ..StoryFeatures::default()
        };
        f.score = score(&f);
        assert!(f.score >= opts.min_score, "{f:?}");
        assert_eq!(relation_for(&f, &opts), None);
        // A shared figure or quote is evidence in both texts.
        f.figures = 1.0;
        f.score = score(&f);
        assert_eq!(relation_for(&f, &opts), Some(Relation::Rewrite));
        // So are aligned sentences covering a share of each.
        f.figures = 0.0;
        f.coverage_b = 0.1;
        f.score = score(&f);
        assert_eq!(relation_for(&f, &opts), Some(Relation::Rewrite));
    }

    #[test]
    fn short_names_need_to_match_exactly() {
        assert!(same_name("lessom", "lesom"));
        assert!(same_name("quennell", "quenell"));
        assert!(!same_name("ivan", "ivar"), "too short for a variant");
        assert!(!same_name("lessom", "kessom"), "first letter must agree");
    }

    #[test]
    fn candidates_come_from_shared_rare_words_not_all_pairs() {
        // Four documents: 0 and 1 share rare words, 2 and 3 share nothing with them.
        let texts = [
            "Quennell trawler Velmora pier cracks pillars cooperative timetable",
            "Velmora cooperative Quennell pillars trawler regatta",
            "Budget vote parliament coalition senators amendment",
            "Orchestra premiere symphony conductor violinist",
        ];
        let stops = StopWords::new(&TextOptions::default());
        let keys = keys_of(&texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let (index, pairs) = story_candidates(&refs, &StoryOptions::default());
        assert_eq!(pairs, vec![(0, 1)]);
        assert_eq!(
            index.df(word_key(crate::normalise::text::token_hash("velmora"))),
            2
        );
    }

    #[test]
    fn candidates_are_the_same_on_one_thread_and_many() {
        // Enough documents for several chunks of the accumulator loop: 150 pairs, each
        // pair sharing six invented rare words that no other document has.
        let texts: Vec<String> = (0..300)
            .map(|i| {
                let pair = i / 2;
                let shared: Vec<String> = (0..6).map(|w| format!("zorvak{pair}q{w}")).collect();
                format!("{} tellurine{i} mossgate{i}", shared.join(" "))
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let stops = StopWords::new(&TextOptions::default());
        let keys = keys_of(&texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| story_candidates(&refs, &StoryOptions::default()).1)
        };
        let expected: Vec<(u32, u32)> = (0..150).map(|p| (2 * p, 2 * p + 1)).collect();
        assert_eq!(run(1), expected);
        assert_eq!(run(4), expected);
    }
}
