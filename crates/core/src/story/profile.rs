//! Story profiles (pass 2): sentences as weighted stems, quotations, names and figures
//! read from a document, outside boilerplate and internal repetition.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::Range;

use crate::fingerprint::analysis::OffsetsToChars;
use crate::normalise::lexicon::{month_number, HashKeyed, WordStemmer};
use crate::normalise::text::{token_hash, Token};
use crate::relation::{CharSpan, FactKind};

use super::*;

/// One sentence of a profile.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sentence {
    pub(super) span: CharSpan,
    /// Range in [`StoryProfile::terms`].
    pub(super) terms: Range<u32>,
    /// Sum of its terms' weights.
    pub(super) weight: f32,
}

/// A quotation: its words in order, from its first word to its last.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Quote {
    /// From the start of its first word to the end of its last.
    pub(super) span: CharSpan,
    /// The tokens' hashes (the tokenizer's normalised form), in order.
    pub(super) words: Vec<u64>,
    /// Where each word is.
    pub(super) word_spans: Vec<CharSpan>,
    /// Whether each word is a content word (not a function word).
    pub(super) content: Vec<bool>,
    /// One bit per content word (its hash modulo 64): two quotations with fewer than
    /// three bits in common share fewer than three content words, and are not compared.
    pub(super) bloom: u64,
    /// The text of `span`.
    pub(super) text: String,
}

/// A capitalised word that is not the first of its sentence.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Name {
    /// Folded form ("lessom").
    pub(super) key: String,
    pub(super) span: CharSpan,
    pub(super) weight: f32,
}

/// A number or a date, normalised ("300000", "2022-02-24").
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    pub(super) value: String,
    pub(super) kind: FactKind,
    pub(super) span: CharSpan,
}

/// What pass 2 keeps of a document for story matching.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryProfile {
    pub(super) sentences: Vec<Sentence>,
    /// Each sentence's distinct stems with their weights, sorted by stem.
    pub(super) terms: Vec<(u64, f32)>,
    /// `(stem, sentence)` for every term, sorted: which sentences hold a stem.
    pub(super) postings: Vec<(u64, u32, f32)>,
    pub(super) quotes: Vec<Quote>,
    pub(super) names: Vec<Name>,
    pub(super) figures: Vec<Figure>,
}

impl StoryProfile {
    pub(super) fn sentence_terms(&self, s: &Sentence) -> &[(u64, f32)] {
        &self.terms[s.terms.start as usize..s.terms.end as usize]
    }

    /// Total content weight.
    pub(super) fn weight(&self) -> f32 {
        self.sentences.iter().map(|s| s.weight).sum()
    }

    /// Whether there is anything to compare.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// Fills `postings` from the sentences' terms.
    pub(super) fn index_postings(&mut self) {
        let mut postings: Vec<(u64, u32, f32)> = self
            .sentences
            .iter()
            .enumerate()
            .flat_map(|(j, s)| {
                self.terms[s.terms.start as usize..s.terms.end as usize]
                    .iter()
                    .map(move |t| (t.0, j as u32, t.1))
            })
            .collect();
        postings.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
        self.postings = postings;
    }
}

/// What a word is to the story stage, cached per thread by token hash and stemmer.
#[derive(Debug, Clone, Copy)]
pub(super) struct WordInfo {
    pub(super) stem: u64,
    /// Rarity weight in the index the cache was filled for.
    pub(super) weight: f32,
    /// Month number when the word names a month, else 0.
    pub(super) month: u8,
}

pub(super) type WordMap = HashKeyed<WordInfo>;

/// The per-thread word cache, valid for one index at a time.
#[derive(Default)]
pub(super) struct WordCache {
    pub(super) generation: u64,
    pub(super) words: WordMap,
}

impl WordCache {
    pub(super) fn for_index(&mut self, generation: u64) -> &mut WordMap {
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
pub(super) static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Builds [`StoryProfile`]s; cheap to clone.
#[derive(Debug, Clone)]
pub struct StoryProfiler {
    pub(super) stops: StopWords,
}

/// Characters that open or close a quotation.
pub(super) fn is_quote_char(c: char) -> bool {
    matches!(c, '«' | '»' | '“' | '”' | '„' | '"' | '‟' | '「' | '」')
}

pub(super) fn is_closing_quote(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '“' | '」')
}

/// Quotations by byte range (inside the marks): spans between an opening and a closing
/// quotation mark on one line, at most `MAX_QUOTE_BYTES` long.
pub(super) fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
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
pub(super) fn ends_sentence(
    before: &str,
    previous: &str,
    gap: &str,
    next: &str,
    after: &str,
) -> bool {
    if gap.contains('\n') {
        return true;
    }
    // A dot between digits is inside a number ("51.400", "3.5"): without it, "000 à
    // Paris" would be a sentence of its own.
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    if gap == "." && digits(previous) && digits(next) {
        return false;
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

/// The sentences of `text` as ranges of its `tokens` (a tokenisation of `text`), cut
/// where [`ends_sentence`] says: shared by story profiles and the translation aligner
/// ([`crate::align::translation`]), so both see the same sentences.
pub(crate) fn sentence_token_ranges(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0usize;
    for i in 1..tokens.len() {
        let previous = &text[tokens[i - 1].start as usize..tokens[i - 1].end as usize];
        let gap = &text[tokens[i - 1].end as usize..tokens[i].start as usize];
        let next = &text[tokens[i].start as usize..tokens[i].end as usize];
        let before = &text[..tokens[i - 1].start as usize];
        let after = &text[tokens[i].end as usize..];
        if ends_sentence(before, previous, gap, next, after) {
            sentences.push(start..i);
            start = i;
        }
    }
    if !tokens.is_empty() {
        sentences.push(start..tokens.len());
    }
    sentences
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
        // The thread's word cache, borrowed once for the whole document (a borrow per
        // word cost as much as the lookup).
        WORDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let words = cache.for_index(index.generation);
            self.profile_with(text, tokens, masked, index, &stemmer, stemmer_id, words)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn profile_with(
        &self,
        text: &str,
        tokens: &[Token],
        masked: &[bool],
        index: &StoryIndex,
        stemmer: &WordStemmer,
        stemmer_id: u8,
        words: &mut WordMap,
    ) -> StoryProfile {
        let mut info = |t: &Token| -> WordInfo {
            *words
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
        let sentence_tokens = sentence_token_ranges(text, tokens);
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
        let mut quote_word_bytes: Vec<(u32, u32)> = Vec::new();
        // (At most this many quotations a document: each pair of quotations of two
        // documents is compared word by word.)
        const MAX_QUOTES: usize = 48;
        for (qs, qe) in quote_ranges(text) {
            if profile.quotes.len() >= MAX_QUOTES {
                break;
            }
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
            // Enough words that are not function words to be told apart.
            let mut content: Vec<u64> = inside
                .iter()
                .filter(|t| !self.stops.contains(t.hash))
                .map(|t| t.hash)
                .collect();
            content.sort_unstable();
            content.dedup();
            if content.len() < 3 {
                continue;
            }
            let (first_word, last_word) = (inside[0], inside[inside.len() - 1]);
            profile.quotes.push(Quote {
                span: CharSpan { start: 0, end: 0 },
                words: inside.iter().map(|t| t.hash).collect(),
                word_spans: Vec::new(),
                content: inside
                    .iter()
                    .map(|t| !self.stops.contains(t.hash))
                    .collect(),
                bloom: content.iter().fold(0u64, |b, h| b | 1 << (h & 63)),
                text: text[first_word.start as usize..last_word.end as usize].to_owned(),
            });
            quote_bytes.push((first_word.start, last_word.end));
            quote_word_bytes.extend(inside.iter().map(|t| (t.start, t.end)));
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

        for spans in [
            &byte_spans,
            &quote_bytes,
            &name_bytes,
            &figure_bytes,
            &quote_word_bytes,
        ] {
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
        profile.index_postings();
        for q in &mut profile.quotes {
            q.span = at.next().unwrap_or(q.span);
        }
        for n in &mut profile.names {
            n.span = at.next().unwrap_or(n.span);
        }
        for f in &mut profile.figures {
            f.span = at.next().unwrap_or(f.span);
        }
        for q in &mut profile.quotes {
            q.word_spans = at.by_ref().take(q.words.len()).collect();
        }
        profile
    }
}

/// Reads a number starting at token `i`: digit groups joined by a space ("300 000"),
/// or a date "24 février 2022". Returns the tokens consumed and the figure (value, kind,
/// end byte) when it is worth matching: numbers of 10 and more, years, dates.
pub(super) fn read_figure(
    text: &str,
    tokens: &[Token],
    i: usize,
) -> (usize, Option<(String, FactKind, u32)>) {
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
pub(super) fn number_value(groups: &[&str], separators: &[&str]) -> Option<String> {
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

/// Reads "February 24, 2022" (or "February 24") at token `i`, the month name.
pub(super) fn read_month_first_date(
    text: &str,
    tokens: &[Token],
    i: usize,
) -> Option<(String, u32, usize)> {
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
