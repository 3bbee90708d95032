//! Inverted postings and per-document counting, shared by the candidate generators
//! (passages in [`crate::candidates::passage`], stories in [`crate::story`]).
//!
//! Both ask the same question: which documents share enough keys with this one? The
//! textbook answer emits a `(a, b)` entry for every pair of documents in every key's
//! postings and sorts them; on a corpus with many copies of one text that list is tens
//! of millions of entries, and most of the cost was the kernel zeroing fresh pages for
//! it. Here instead:
//!
//! 1. one sort of every `(key, document)` pair gives the runs of each key;
//! 2. a counting sort (not a comparison sort) lists, for each document, the runs it is
//!    in;
//! 3. documents are visited in chunks, one chunk per task, each with a dense
//!    accumulator over documents that is reset through the list of slots it touched.
//!    Chunks, not `map_init`: rayon calls an init once per split job, and zeroing a
//!    fresh accumulator hundreds of times cost more than the counting.
//!
//! Outputs come back in document order whatever the thread count.

use rayon::prelude::*;

/// The kept runs of a sorted `(key, document)` list, and each document's runs.
#[derive(Debug, Clone)]
pub(crate) struct Postings<K> {
    /// The documents of every kept run, run after run.
    docs: Vec<u32>,
    /// Each kept run's key and its range in `docs`.
    runs: Vec<(K, u32, u32)>,
    /// `doc_runs[offsets[d]..offsets[d + 1]]`: the kept runs document `d` is in, in key
    /// order.
    offsets: Vec<usize>,
    doc_runs: Vec<u32>,
}

/// A key that can be binned by its leading bits before sorting.
pub(crate) trait RadixKey: Copy + Ord + Default + Send + Sync {
    /// The key's leading 16 bits: bins follow key order.
    fn bin(self) -> usize;
}

/// Bins of the first counting pass (by a key's leading 16 bits).
const BINS: usize = 1 << 16;
/// Buckets sorted in parallel: runs of consecutive bins holding about as many keys each.
/// Keys are hashes but not uniform ones: winnowing keeps the smallest hash of each
/// window, so passage keys crowd the low end, and buckets by leading byte left most keys
/// in a few buckets, sorted by one thread.
const BUCKETS: usize = 256;

impl RadixKey for u64 {
    fn bin(self) -> usize {
        (self >> 48) as usize
    }
}

impl RadixKey for u32 {
    fn bin(self) -> usize {
        (self >> 16) as usize
    }
}

impl<K: RadixKey> Postings<K> {
    /// Builds the postings of every document's keys (`None`: a document that takes no
    /// part) and keeps the runs for which `keep(key, document frequency)` is true.
    /// `keep` sees every key once, in key order.
    ///
    /// A counting pass over the keys' leading 16 bits sets bucket boundaries that split
    /// the keys about evenly (see [`BUCKETS`]), a second pass places every
    /// `(key, document)` pair in its bucket, straight into one allocation of the exact
    /// size, and the buckets are sorted in parallel, each small enough to stay in cache.
    /// Sorting one big list instead (or collecting it from parallel parts) moved and
    /// re-touched every entry several times, and the fresh pages alone cost more than
    /// the sort.
    pub(crate) fn build(doc_keys: &[Option<&[K]>], mut keep: impl FnMut(K, u32) -> bool) -> Self {
        let n = doc_keys.len();
        let keys_of = |doc: usize| doc_keys[doc].unwrap_or(&[]);
        // Scatter, in parallel over chunks of documents: each chunk counts its keys per
        // bucket, and writes them into its own piece of every bucket (pieces in chunk
        // order, so a bucket holds its pairs in document order, as one pass would).
        let threads = rayon::current_num_threads().max(1);
        let chunk = n.div_ceil(threads * 4).max(256);
        let chunks: Vec<std::ops::Range<usize>> = (0..n.div_ceil(chunk))
            .map(|c| c * chunk..((c + 1) * chunk).min(n))
            .collect();
        let bin_counts: Vec<Vec<u32>> = chunks
            .par_iter()
            .map(|docs| {
                let mut count = vec![0u32; BINS];
                for doc in docs.clone() {
                    for &k in keys_of(doc) {
                        count[k.bin()] += 1;
                    }
                }
                count
            })
            .collect();
        // Consecutive bins grouped into buckets of about total / BUCKETS keys.
        let bin_total: Vec<usize> = (0..BINS)
            .map(|bin| bin_counts.iter().map(|c| c[bin] as usize).sum())
            .collect();
        let target = bin_total.iter().sum::<usize>().div_ceil(BUCKETS).max(1);
        let mut bucket_of = vec![0u8; BINS];
        let (mut bucket, mut filled) = (0usize, 0usize);
        for (bin, &count) in bin_total.iter().enumerate() {
            if filled >= target && bucket + 1 < BUCKETS {
                bucket += 1;
                filled = 0;
            }
            bucket_of[bin] = bucket as u8;
            filled += count;
        }
        let bucket_of_key = |k: K| bucket_of[k.bin()] as usize;
        let counts: Vec<Vec<usize>> = bin_counts
            .par_iter()
            .map(|bins| {
                let mut count = vec![0usize; BUCKETS];
                for (bin, &c) in bins.iter().enumerate() {
                    count[bucket_of[bin] as usize] += c as usize;
                }
                count
            })
            .collect();
        drop(bin_counts);
        let bucket_len: Vec<usize> = (0..BUCKETS)
            .map(|b| counts.iter().map(|c| c[b]).sum())
            .collect();
        let mut pairs: Vec<(K, u32)> = vec![(K::default(), 0); bucket_len.iter().sum()];
        // Bucket-major, chunk-minor pieces, dealt out to their chunks.
        let mut writers: Vec<Vec<&mut [(K, u32)]>> =
            chunks.iter().map(|_| Vec::with_capacity(BUCKETS)).collect();
        let piece_lens = (0..BUCKETS).flat_map(|b| counts.iter().map(move |c| c[b]));
        for (i, piece) in split_by_lens(&mut pairs, piece_lens)
            .into_iter()
            .enumerate()
        {
            writers[i % chunks.len()].push(piece);
        }
        writers
            .into_par_iter()
            .zip(chunks.par_iter())
            .for_each(|(mut pieces, docs)| {
                let mut fill = vec![0usize; BUCKETS];
                for doc in docs.clone() {
                    for &k in keys_of(doc) {
                        let b = bucket_of_key(k);
                        pieces[b][fill[b]] = (k, doc as u32);
                        fill[b] += 1;
                    }
                }
            });
        let mut buckets = split_by_lens(&mut pairs, bucket_len.iter().copied());
        // Each bucket sorted, and the lengths of its runs found, in parallel (4 bytes a
        // run: most keys are in one document); `keep` then sees every key in order, on
        // this thread.
        let run_lens: Vec<Vec<u32>> = buckets
            .par_iter_mut()
            .map(|bucket| {
                bucket.sort_unstable();
                bucket
                    .chunk_by(|x, y| x.0 == y.0)
                    .map(|run| run.len() as u32)
                    .collect()
            })
            .collect();
        let mut kept_docs = vec![0usize; BUCKETS];
        let kept: Vec<Vec<bool>> = run_lens
            .iter()
            .zip(buckets.iter())
            .zip(&mut kept_docs)
            .map(|((lens, bucket), kept_docs)| {
                let mut start = 0usize;
                lens.iter()
                    .map(|&len| {
                        let kept = keep(bucket[start].0, len);
                        if kept {
                            *kept_docs += len as usize;
                        }
                        start += len as usize;
                        kept
                    })
                    .collect()
            })
            .collect();
        // The kept runs' documents, bucket after bucket, each bucket into its own piece.
        let mut docs = vec![0u32; kept_docs.iter().sum()];
        let bases = kept_docs.iter().scan(0usize, |base, &len| {
            *base += len;
            Some(*base - len)
        });
        let pieces: Vec<(&mut [u32], usize)> = split_by_lens(&mut docs, kept_docs.iter().copied())
            .into_iter()
            .zip(bases)
            .collect();
        let runs: Vec<(K, u32, u32)> = pieces
            .into_par_iter()
            .zip(buckets.par_iter())
            .zip(run_lens.par_iter().zip(kept.par_iter()))
            .flat_map_iter(|(((piece, base), bucket), (lens, kept))| {
                let mut out = Vec::new();
                let (mut at, mut start) = (0usize, 0usize);
                for (&len, &kept) in lens.iter().zip(kept) {
                    let len = len as usize;
                    if kept {
                        let run = &bucket[start..start + len];
                        for (slot, &(_, doc)) in piece[at..at + len].iter_mut().zip(run) {
                            *slot = doc;
                        }
                        out.push((run[0].0, (base + at) as u32, (base + at + len) as u32));
                        at += len;
                    }
                    start += len;
                }
                out
            })
            .collect();
        drop(pairs);
        let mut per_doc = vec![0usize; n];
        for &doc in &docs {
            per_doc[doc as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0usize;
        for count in per_doc {
            offsets.push(total);
            total += count;
        }
        offsets.push(total);
        let mut doc_runs = vec![0u32; total];
        let mut fill = offsets.clone();
        for (r, &(_, start, end)) in runs.iter().enumerate() {
            for &doc in &docs[start as usize..end as usize] {
                doc_runs[fill[doc as usize]] = r as u32;
                fill[doc as usize] += 1;
            }
        }
        Postings {
            docs,
            runs,
            offsets,
            doc_runs,
        }
    }

    /// Documents the corpus has (the length of the list given to [`Postings::build`]).
    pub(crate) fn doc_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// How many runs were kept.
    pub(crate) fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// The kept runs `doc` is in, in key order.
    pub(crate) fn runs_of(&self, doc: u32) -> &[u32] {
        &self.doc_runs[self.offsets[doc as usize]..self.offsets[doc as usize + 1]]
    }

    /// The key of a run.
    pub(crate) fn key(&self, run: u32) -> K {
        self.runs[run as usize].0
    }

    /// The documents of a run, ascending.
    pub(crate) fn docs(&self, run: u32) -> &[u32] {
        let (_, start, end) = self.runs[run as usize];
        &self.docs[start as usize..end as usize]
    }
}

/// `slice` cut into consecutive pieces of the given lengths (which must fit in it).
fn split_by_lens<T>(slice: &mut [T], lens: impl IntoIterator<Item = usize>) -> Vec<&mut [T]> {
    let mut rest = slice;
    lens.into_iter()
        .map(|len| {
            let (piece, tail) = std::mem::take(&mut rest).split_at_mut(len);
            rest = tail;
            piece
        })
        .collect()
}

/// A dense accumulator over documents that remembers which slots it touched, so it is
/// reset in time proportional to what was used.
pub(crate) struct Tally<A> {
    slots: Vec<A>,
    touched: Vec<u32>,
}

impl<A: Copy + Default + PartialEq> Tally<A> {
    fn new(n: usize) -> Self {
        Tally {
            slots: vec![A::default(); n],
            touched: Vec::new(),
        }
    }

    /// The slot of `doc`. A slot left at its default value is not remembered as
    /// touched, so callers must move it off the default.
    pub(crate) fn slot(&mut self, doc: u32) -> &mut A {
        let slot = &mut self.slots[doc as usize];
        if *slot == A::default() {
            self.touched.push(doc);
        }
        slot
    }

    /// The value of `doc`'s slot, without touching it.
    pub(crate) fn peek(&self, doc: u32) -> A {
        self.slots[doc as usize]
    }

    /// Hands every touched slot to `f`, in the order first touched, and resets them.
    pub(crate) fn drain(&mut self, mut f: impl FnMut(u32, A)) {
        for &doc in &self.touched {
            let value = std::mem::take(&mut self.slots[doc as usize]);
            f(doc, value);
        }
        self.touched.clear();
    }
}

/// Calls `per_doc(doc, tally, out)` for every document below `n`, in parallel over
/// chunks of documents, and returns what they pushed, in document order.
pub(crate) fn per_document<A, T, F>(n: usize, per_doc: F) -> Vec<T>
where
    A: Copy + Default + PartialEq,
    T: Send,
    F: Fn(u32, &mut Tally<A>, &mut Vec<T>) + Sync,
{
    let threads = rayon::current_num_threads().max(1);
    let chunk = n.div_ceil(threads * 8).max(64);
    (0..n.div_ceil(chunk))
        .into_par_iter()
        .flat_map_iter(|c| {
            let mut tally = Tally::new(n);
            let mut out = Vec::new();
            for doc in (c * chunk) as u32..((c + 1) * chunk).min(n) as u32 {
                per_doc(doc, &mut tally, &mut out);
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The postings computed the slow way: every key's documents, ascending, in key order.
    fn reference(docs: &[Vec<u64>]) -> Vec<(u64, Vec<u32>)> {
        let mut by_key: std::collections::BTreeMap<u64, Vec<u32>> = Default::default();
        for (d, keys) in docs.iter().enumerate() {
            let mut keys = keys.clone();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                by_key.entry(k).or_default().push(d as u32);
            }
        }
        by_key.into_iter().collect()
    }

    proptest! {
        // Keys crowded at the low end (as winnowed minima are) or spread over the whole
        // range, on any thread count: the same runs as the slow way, every key seen once
        // in order, and each document's runs.
        #[test]
        fn postings_match_the_slow_way_for_crowded_and_spread_keys(
            docs in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![0u64..5_000, any::<u64>()], 0..40),
                1..60,
            ),
            threads in 1usize..4,
        ) {
            let docs: Vec<Vec<u64>> = docs
                .into_iter()
                .map(|mut d| { d.sort_unstable(); d.dedup(); d })
                .collect();
            let keys: Vec<Option<&[u64]>> = docs.iter().map(|d| Some(d.as_slice())).collect();
            let expected = reference(&docs);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut seen = Vec::new();
            let postings = pool.install(|| Postings::build(&keys, |k, df| {
                seen.push((k, df));
                df >= 2
            }));
            let all: Vec<(u64, u32)> = expected.iter().map(|(k, d)| (*k, d.len() as u32)).collect();
            prop_assert_eq!(seen, all);
            let kept: Vec<&(u64, Vec<u32>)> = expected.iter().filter(|(_, d)| d.len() >= 2).collect();
            prop_assert_eq!(postings.run_count(), kept.len());
            for (run, (key, run_docs)) in kept.iter().enumerate() {
                prop_assert_eq!(postings.key(run as u32), *key);
                prop_assert_eq!(postings.docs(run as u32), run_docs.as_slice());
            }
            for doc in 0..docs.len() as u32 {
                let runs: Vec<u32> = (0..kept.len() as u32)
                    .filter(|&r| postings.docs(r).contains(&doc))
                    .collect();
                prop_assert_eq!(postings.runs_of(doc), runs.as_slice());
            }
        }
    }

    #[test]
    fn runs_hold_their_documents_and_each_document_lists_its_runs() {
        // key 7 in docs 0, 2; key 3 in docs 1, 2, 0; key 9 in doc 1 only; the top bytes
        // put the keys in different buckets of the radix pass.
        let (k3, k7, k9) = (3u64 << 56 | 1, 7u64, u64::MAX);
        let docs: Vec<Vec<u64>> = vec![vec![k7, k3], vec![k9, k3], vec![k3, k7]];
        let keys: Vec<Option<&[u64]>> = docs.iter().map(|d| Some(d.as_slice())).collect();
        let postings = Postings::build(&keys, |_, df| df >= 2);
        assert_eq!(postings.doc_count(), 3);
        let keys_of = |doc| -> Vec<u64> {
            postings
                .runs_of(doc)
                .iter()
                .map(|&r| postings.key(r))
                .collect()
        };
        assert_eq!(keys_of(0), vec![k7, k3], "in key order");
        assert_eq!(keys_of(1), vec![k3], "key 9 is in one document: not kept");
        assert_eq!(keys_of(2), vec![k7, k3]);
        let run3 = postings.runs_of(1)[0];
        assert_eq!(postings.run_count(), 2);
        assert_eq!(postings.docs(run3), &[0, 1, 2]);
    }

    #[test]
    fn keep_sees_every_key_once_in_order_with_its_frequency() {
        let docs: Vec<Vec<u32>> = vec![vec![5, 1], vec![5, 2], vec![5]];
        let mut keys: Vec<Option<&[u32]>> = docs.iter().map(|d| Some(d.as_slice())).collect();
        keys.push(None);
        let mut seen = Vec::new();
        let postings = Postings::build(&keys, |k, df| {
            seen.push((k, df));
            df <= 2
        });
        assert_eq!(seen, vec![(1, 1), (2, 1), (5, 3)]);
        assert_eq!(postings.runs_of(2), &[] as &[u32], "key 5 was dropped");
        assert_eq!(postings.doc_count(), 4);
        assert_eq!(postings.runs_of(3), &[] as &[u32]);
    }

    #[test]
    fn per_document_counts_are_in_document_order_and_tallies_reset() {
        // Each doc d counts the docs e > d sharing a residue mod 3 with it, among 500.
        let n = 500usize;
        let counted: Vec<(u32, u32)> = per_document(n, |doc, tally: &mut Tally<u32>, out| {
            for other in (doc + 1..n as u32).filter(|o| o % 3 == doc % 3) {
                *tally.slot(other) += 1;
            }
            let mut hits = 0;
            tally.drain(|_, count| hits += count);
            out.push((doc, hits));
        });
        let expected: Vec<(u32, u32)> = (0..n as u32)
            .map(|d| {
                (
                    d,
                    (d + 1..n as u32).filter(|o| o % 3 == d % 3).count() as u32,
                )
            })
            .collect();
        assert_eq!(counted, expected);
    }
}
