//! Story candidates: each document's content-word keys (pass 1) and the pairs that
//! share enough of their rarest keys ([`story_candidates`]).

use crate::candidates::postings::{per_document, Postings, Tally};
use crate::normalise::text::Token;

use super::*;

/// The key of a token for document frequencies: its hash folded to 32 bits (a rare
/// collision only merges two words' counts).
#[inline]
pub fn word_key(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// Whether a token can carry a story: a content word of four bytes or more, or a
/// number of two digits or more.
#[inline]
pub(super) fn is_key_token(text: &str, t: &Token, stops: &StopWords) -> bool {
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

/// Document frequencies of story keys over a corpus. Serialisable so a work folder can
/// keep the plan; a loaded index gets a generation of its own.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct StoryIndex {
    pub(super) keys: Vec<u32>,
    pub(super) df: Vec<u32>,
    pub(super) docs: u32,
    /// Unique per index built, so per-thread caches of word weights know when they
    /// are stale.
    #[serde(skip, default = "next_generation")]
    pub(super) generation: u64,
}

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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
            generation: next_generation(),
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

/// How many of its rarest keys, at most, a document looks through for the
/// `keys_per_doc` informative ones (see [`story_candidates`]): bounds the work per
/// document at `keys_per_doc · MAX_PROBE_FACTOR · max_df`.
const MAX_PROBE_FACTOR: usize = 4;

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
        generation: next_generation(),
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
            let scanned = opts.keys_per_doc * MAX_PROBE_FACTOR;
            if probe.len() > scanned {
                probe.select_nth_unstable(scanned);
                probe.truncate(scanned);
            }
            probe.sort_unstable();
            // A document's rarest words are often all shared with its own copies (a
            // near-duplicate, an excerpt): a key whose other documents already share
            // `saturated` probed keys with this one says nothing new and does not count
            // against the budget, so independent versions of the story still surface.
            let saturated = opts.min_shared_keys * 2;
            let mut informative = 0;
            for &(_, _, run) in &probe {
                if informative == opts.keys_per_doc {
                    break;
                }
                let others = postings.docs(run);
                if others
                    .iter()
                    .any(|&other| other != doc && tally.peek(other).0 < saturated)
                {
                    informative += 1;
                }
                let w = weights[run as usize];
                for &other in others {
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
