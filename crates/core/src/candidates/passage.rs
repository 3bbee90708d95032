//! Passage candidates: pairs of documents that share winnowed passage keys.
//!
//! Postings are built by sorting `(key, document)` records — the form that becomes an
//! external sort of partition files out of core. A key held by more than `max_df`
//! documents is a stock phrase or template text, not evidence, and is dropped before it
//! can generate a quadratic number of pairs. A pair must share `min_shared` keys, which
//! filters out chance shared phrases before the (more expensive) alignment. Shared keys
//! are then counted document by document (`postings.rs`).

use crate::candidates::postings::{per_document, Postings, Tally};

/// Options of the passage index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageIndexOptions {
    /// Keys in more documents than this are ignored.
    pub max_df: usize,
    /// Distinct shared keys a pair needs to become a candidate.
    pub min_shared: usize,
}

impl Default for PassageIndexOptions {
    fn default() -> Self {
        PassageIndexOptions {
            max_df: 100,
            min_shared: 2,
        }
    }
}

/// Candidate pairs `(a, b)`, `a < b`, sorted, with the number of keys they share.
/// `None` entries take no part.
///
/// Counted per document over the keys' postings (`postings.rs`), never by listing
/// every pair of every key: a text copied into many documents would make that list
/// quadratic in its copies.
pub fn passage_candidates(
    keys: &[Option<&[u64]>],
    options: &PassageIndexOptions,
) -> Vec<(u32, u32, u32)> {
    let max_df = options.max_df.min(u32::MAX as usize) as u32;
    let postings = Postings::build(keys, |_, df| df >= 2 && df <= max_df);
    let min_shared = options.min_shared.max(1) as u32;
    per_document(postings.doc_count(), |a, tally: &mut Tally<u32>, out| {
        for &run in postings.runs_of(a) {
            let docs = postings.docs(run);
            // Only later documents: each pair is counted from its first member.
            let later = docs.partition_point(|&d| d <= a);
            for &b in &docs[later..] {
                *tally.slot(b) += 1;
            }
        }
        let first = out.len();
        tally.drain(|b, shared| {
            if shared >= min_shared {
                out.push((a, b, shared));
            }
        });
        out[first..].sort_unstable();
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_need_enough_shared_keys_and_common_keys_are_ignored() {
        let docs: Vec<Vec<u64>> = vec![
            vec![1, 2, 3, 100],
            vec![2, 3, 9, 100],
            vec![3, 7, 100],
            vec![8, 100],
            vec![1, 2, 3],
        ];
        let keys: Vec<Option<&[u64]>> = docs.iter().map(|d| Some(d.as_slice())).collect();
        let options = PassageIndexOptions {
            max_df: 4,
            min_shared: 2,
        };
        let pairs = passage_candidates(&keys, &options);
        // keys 3 and 100 are in 4 docs each: allowed at max_df 4.
        assert_eq!(
            pairs,
            vec![(0, 1, 3), (0, 2, 2), (0, 4, 3), (1, 2, 2), (1, 4, 2)]
        );
        let strict = PassageIndexOptions {
            max_df: 3,
            min_shared: 2,
        };
        assert_eq!(
            passage_candidates(&keys, &strict),
            vec![(0, 4, 2)],
            "without keys 3 and 100 only docs 0 and 4 share two keys"
        );
    }

    #[test]
    fn absent_documents_take_no_part() {
        let a = vec![1u64, 2, 3];
        let keys = vec![Some(a.as_slice()), None, Some(a.as_slice())];
        assert_eq!(
            passage_candidates(&keys, &PassageIndexOptions::default()),
            vec![(0, 2, 3)]
        );
    }

    #[test]
    fn counts_match_every_pair_counted_by_hand_on_one_thread_and_many() {
        // 400 documents with keys drawn from a small range (hashes spread over the
        // radix buckets), so keys are shared at many frequencies, some above max_df.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let docs: Vec<Vec<u64>> = (0..400)
            .map(|_| {
                let mut keys: Vec<u64> = (0..20)
                    .map(|_| (next() % 3000).wrapping_mul(0x9e37_79b9_7f4a_7c15))
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            })
            .collect();
        let keys: Vec<Option<&[u64]>> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (i % 17 != 0).then_some(d.as_slice()))
            .collect();
        let options = PassageIndexOptions {
            max_df: 6,
            min_shared: 2,
        };
        let df = |k: u64| keys.iter().flatten().filter(|d| d.contains(&k)).count();
        let mut expected = Vec::new();
        for a in 0..keys.len() {
            for b in a + 1..keys.len() {
                let (Some(ka), Some(kb)) = (keys[a], keys[b]) else {
                    continue;
                };
                let shared = ka
                    .iter()
                    .filter(|k| kb.contains(k) && df(**k) <= options.max_df)
                    .count() as u32;
                if shared >= 2 {
                    expected.push((a as u32, b as u32, shared));
                }
            }
        }
        assert!(expected.len() > 20, "the test corpus must produce pairs");
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| passage_candidates(&keys, &options))
        };
        assert_eq!(run(1), expected);
        assert_eq!(run(3), expected);
    }
}
