//! Passage candidates: pairs of documents that share winnowed passage keys.
//!
//! Postings are built by sorting `(key, document)` records — the form that becomes an
//! external sort of partition files out of core. A key held by more than `max_df`
//! documents is a stock phrase or template text, not evidence, and is dropped before it
//! can generate a quadratic number of pairs. A pair must share `min_shared` keys, which
//! filters out chance shared phrases before the (more expensive) alignment.

use rayon::prelude::*;

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
pub fn passage_candidates(
    keys: &[Option<&[u64]>],
    options: &PassageIndexOptions,
) -> Vec<(u32, u32, u32)> {
    let mut postings: Vec<(u64, u32)> = keys
        .par_iter()
        .enumerate()
        .flat_map_iter(|(doc, keys)| keys.unwrap_or(&[]).iter().map(move |&k| (k, doc as u32)))
        .collect();
    postings.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> = postings
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|g| g.len() >= 2 && g.len() <= options.max_df)
        .collect();
    let mut pairs: Vec<u64> = groups
        .par_iter()
        .flat_map_iter(|group| {
            group.iter().enumerate().flat_map(move |(i, &(_, a))| {
                group[i + 1..]
                    .iter()
                    .filter(move |&&(_, b)| b != a)
                    .map(move |&(_, b)| (u64::from(a.min(b)) << 32) | u64::from(a.max(b)))
            })
        })
        .collect();
    drop(postings);
    pairs.par_sort_unstable();
    let min_shared = options.min_shared.max(1);
    pairs
        .chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= min_shared)
        .map(|run| ((run[0] >> 32) as u32, run[0] as u32, run.len() as u32))
        .collect()
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
}
