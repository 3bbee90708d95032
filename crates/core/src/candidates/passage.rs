//! Passage candidates: pairs of documents that share winnowed passage keys that line up.
//!
//! Postings are built by sorting `(key, document)` records — the form that becomes an
//! external sort of partition files out of core. A key held by more than `max_df`
//! documents is a stock phrase or template text, not evidence, and is dropped before it
//! can generate a quadratic number of pairs. Shared keys are then counted document by
//! document (`postings.rs`), and a pair sharing at least `min_shared` keys is checked
//! for keys that **line up**: on real text most pairs that share two keys share two
//! unrelated short phrases (a collocation here, a figure of speech there), which no
//! alignment can turn into a passage, and aligning them was most of the cost of a scan
//! on text with chance overlap. A shared passage puts its keys on one diagonal
//! (position in `b` minus position in `a`), shifted only by the words inserted or
//! deleted between them; so a pair is kept when `min_shared` of its shared keys form a
//! chain along the diagonal ([`lined_up`]).
//!
//! What this guarantees: winnowing keeps one key in every `window` consecutive
//! shingles, so a verbatim run of `2 · window + ngram - 1` words (16 with the defaults)
//! yields two shared keys on one diagonal, and every pair sharing such a run is
//! aligned. What it drops: pairs whose shared keys all lie far apart (none of them in a
//! passage with another), which share at most two unconnected runs of 15 words or less:
//! no passage of `--min-passage-words` (20) can come of one run of 15 words, and two
//! such runs far apart are two short chance matches, not reuse.

use crate::candidates::postings::{per_document, Postings, Tally};
use crate::fingerprint::analysis::PassageKeys;

/// Options of the passage index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageIndexOptions {
    /// Keys in more documents than this are ignored.
    pub max_df: usize,
    /// Distinct shared keys, lined up, a pair needs to become a candidate.
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

/// Farthest apart (in tokens of `a`) two keys of one passage may be and still count as
/// lined up. Keys of a verbatim run are at most `window` shingles apart; this leaves
/// room for edited stretches between them.
pub const MAX_KEY_GAP: u32 = 100;
/// Least diagonal shift two lined-up keys may have: the alignment's `max_gap` (words
/// inserted or deleted between two anchors). Farther apart keys may shift by a quarter
/// of their distance (a passage kept at 0.7 similarity has at most 30% of its words
/// changed).
pub const MIN_KEY_SHIFT: u32 = 8;

/// Whether `min_keys` of the shared keys `(position in a, position in b)`, sorted by
/// position in `a`, form a chain: each within [`MAX_KEY_GAP`] tokens of the previous
/// one in `a`, ahead of it in both documents, its diagonal within
/// `max(MIN_KEY_SHIFT, gap / 4)` of the previous one's.
pub fn lined_up(hits: &[(u32, u32)], min_keys: usize) -> bool {
    if hits.len() < min_keys {
        return false;
    }
    if min_keys <= 1 {
        return true;
    }
    // Longest chain ending at each hit; hits are few (the shared keys of one pair), and
    // a copy reaches `min_keys` within its first few keys.
    let mut chain = vec![1usize; hits.len()];
    for i in 1..hits.len() {
        let (ai, bi) = hits[i];
        for j in (0..i).rev() {
            let (aj, bj) = hits[j];
            let gap = ai - aj;
            if gap > MAX_KEY_GAP {
                break;
            }
            if ai <= aj || bi <= bj {
                continue;
            }
            let shift = (i64::from(bi) - i64::from(ai)) - (i64::from(bj) - i64::from(aj));
            if shift.unsigned_abs() <= u64::from(MIN_KEY_SHIFT.max(gap / 4)) {
                chain[i] = chain[i].max(chain[j] + 1);
                if chain[i] >= min_keys {
                    return true;
                }
            }
        }
    }
    false
}

/// Candidate pairs `(a, b)`, `a < b`, sorted, with the number of keys they share.
/// `None` entries take no part.
///
/// Counted per document over the keys' postings (`postings.rs`), never by listing
/// every pair of every key: a text copied into many documents would make that list
/// quadratic in its copies. A pair with enough shared keys is kept when they line up
/// (see the module documentation).
pub fn passage_candidates(
    docs: &[Option<&PassageKeys>],
    options: &PassageIndexOptions,
) -> Vec<(u32, u32, u32)> {
    let max_df = options.max_df.min(u32::MAX as usize) as u32;
    let keys: Vec<Option<&[u64]>> = docs.iter().map(|d| d.map(|d| d.keys.as_slice())).collect();
    let postings = Postings::build(&keys, |_, df| df >= 2 && df <= max_df);
    let min_shared = options.min_shared.max(1);
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
            if shared as usize >= min_shared {
                out.push((a, b, shared));
            }
        });
        if out.len() == first {
            return;
        }
        let Some(all) = docs[a as usize] else {
            out.truncate(first);
            return;
        };
        // `a`'s keys within the document-frequency bounds, with their positions: the
        // keys a pair may line up on (a key is kept or not for every document alike).
        let kept: Vec<u64> = postings
            .runs_of(a)
            .iter()
            .map(|&r| postings.key(r))
            .collect();
        let ka = restrict(all, &kept);
        let mut hits = Vec::new();
        out.retain_from(first, |&(_, b, _)| {
            let Some(kb) = docs[b as usize] else {
                return false;
            };
            shared_positions(&ka, kb, &mut hits);
            lined_up(&hits, min_shared)
        });
        out[first..].sort_unstable();
    })
}

/// The keys of `doc` found in `kept` (sorted), with their positions.
fn restrict(doc: &PassageKeys, kept: &[u64]) -> PassageKeys {
    let mut out = PassageKeys::default();
    let mut k = 0;
    for (i, &key) in doc.keys.iter().enumerate() {
        while k < kept.len() && kept[k] < key {
            k += 1;
        }
        if k < kept.len() && kept[k] == key {
            out.keys.push(key);
            out.positions.push(doc.positions[i]);
        }
    }
    out
}

/// The positions `(in a, in b)` of the keys `a` and `b` share, sorted by position in
/// `a` (a merge of the two sorted key lists).
fn shared_positions(a: &PassageKeys, b: &PassageKeys, out: &mut Vec<(u32, u32)>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.keys.len() && j < b.keys.len() {
        match a.keys[i].cmp(&b.keys[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a.positions[i], b.positions[j]));
                i += 1;
                j += 1;
            }
        }
    }
    out.sort_unstable();
}

/// `Vec::retain` on the tail from `first` on.
trait RetainFrom<T> {
    fn retain_from(&mut self, first: usize, keep: impl FnMut(&T) -> bool);
}

impl<T> RetainFrom<T> for Vec<T> {
    fn retain_from(&mut self, first: usize, mut keep: impl FnMut(&T) -> bool) {
        let mut write = first;
        for read in first..self.len() {
            if keep(&self[read]) {
                self.swap(write, read);
                write += 1;
            }
        }
        self.truncate(write);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys with positions: each key at `position(key)`, so two documents holding the
    /// same keys hold them at the same place (all on diagonal 0).
    fn doc(keys: &[u64], position: impl Fn(u64) -> u32) -> PassageKeys {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let positions = keys.iter().map(|&k| position(k)).collect();
        PassageKeys { keys, positions }
    }

    fn at_key(k: u64) -> u32 {
        k as u32 * 3
    }

    #[test]
    fn pairs_need_enough_shared_keys_and_common_keys_are_ignored() {
        let docs: Vec<PassageKeys> = [
            &[1u64, 2, 3, 10][..],
            &[2, 3, 9, 10],
            &[3, 7, 10],
            &[8, 10],
            &[1, 2, 3],
        ]
        .iter()
        .map(|k| doc(k, at_key))
        .collect();
        let keys: Vec<Option<&PassageKeys>> = docs.iter().map(Some).collect();
        let options = PassageIndexOptions {
            max_df: 4,
            min_shared: 2,
        };
        let pairs = passage_candidates(&keys, &options);
        // keys 3 and 10 are in 4 docs each: allowed at max_df 4.
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
            "without keys 3 and 10 only docs 0 and 4 share two keys"
        );
    }

    #[test]
    fn absent_documents_take_no_part() {
        let a = doc(&[1, 2, 3], at_key);
        let keys = vec![Some(&a), None, Some(&a)];
        assert_eq!(
            passage_candidates(&keys, &PassageIndexOptions::default()),
            vec![(0, 2, 3)]
        );
    }

    #[test]
    fn keys_must_line_up_on_a_diagonal() {
        // One passage: b holds a's keys 40 tokens later, shifted by 3 more after an
        // insertion; stays a candidate.
        let a = doc(&[1, 2, 3], |k| k as u32 * 6);
        let b = doc(&[1, 2, 3], |k| {
            k as u32 * 6 + 40 + if k > 1 { 3 } else { 0 }
        });
        // Two chance phrases: the same keys, in other places of c.
        let c = doc(&[1, 2, 3], |k| [0, 500, 20, 900][k as usize]);
        let keys = vec![Some(&a), Some(&b), Some(&c)];
        let pairs = passage_candidates(&keys, &PassageIndexOptions::default());
        assert_eq!(
            pairs,
            vec![(0, 1, 3)],
            "c shares keys with a and b but not lined up"
        );
    }

    #[test]
    fn lined_up_chains_need_order_closeness_and_a_small_shift() {
        assert!(lined_up(&[(10, 110), (16, 116)], 2));
        assert!(
            lined_up(&[(10, 110), (16, 120)], 2),
            "an insertion of 4 words"
        );
        assert!(
            !lined_up(&[(10, 110), (16, 130)], 2),
            "shifted by 14 over 6 tokens"
        );
        assert!(
            lined_up(&[(10, 110), (90, 205)], 2),
            "shift 15 over 80 tokens"
        );
        assert!(!lined_up(&[(10, 110), (300, 400)], 2), "too far apart");
        assert!(!lined_up(&[(10, 110), (16, 100)], 2), "backwards in b");
        // A chance hit between two keys of a passage does not break it.
        assert!(lined_up(&[(10, 110), (12, 900), (16, 116)], 2));
        assert!(lined_up(&[(10, 110), (16, 116), (22, 122)], 3));
        assert!(!lined_up(&[(10, 110), (16, 116), (400, 122)], 3));
        assert!(!lined_up(&[(10, 110)], 2));
    }

    #[test]
    fn counts_match_every_pair_counted_by_hand_on_one_thread_and_many() {
        // 400 documents with keys drawn from a small range (hashes spread over the
        // radix buckets), so keys are shared at many frequencies, some above max_df;
        // positions drawn too, so some shared keys line up and others do not.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let docs: Vec<PassageKeys> = (0..400)
            .map(|_| {
                let mut keyed: Vec<(u64, u32)> = (0..20)
                    .map(|_| {
                        let k = next() % 3000;
                        // Mostly lined up (position from the key), sometimes not.
                        let pos = if next() % 4 == 0 {
                            (next() % 5000) as u32
                        } else {
                            (k % 40) as u32 * 2
                        };
                        (k.wrapping_mul(0x9e37_79b9_7f4a_7c15), pos)
                    })
                    .collect();
                keyed.sort_unstable();
                keyed.dedup_by_key(|k| k.0);
                let (keys, positions) = keyed.into_iter().unzip();
                PassageKeys { keys, positions }
            })
            .collect();
        let keys: Vec<Option<&PassageKeys>> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (i % 17 != 0).then_some(d))
            .collect();
        let options = PassageIndexOptions {
            max_df: 6,
            min_shared: 2,
        };
        let df = |k: u64| {
            keys.iter()
                .flatten()
                .filter(|d| d.keys.contains(&k))
                .count()
        };
        let mut expected = Vec::new();
        for a in 0..keys.len() {
            for b in a + 1..keys.len() {
                let (Some(ka), Some(kb)) = (keys[a], keys[b]) else {
                    continue;
                };
                let mut hits: Vec<(u32, u32)> = Vec::new();
                for (i, k) in ka.keys.iter().enumerate() {
                    if let Some(j) = kb.keys.iter().position(|x| x == k) {
                        if df(*k) <= options.max_df {
                            hits.push((ka.positions[i], kb.positions[j]));
                        }
                    }
                }
                hits.sort_unstable();
                if hits.len() >= 2 && lined_up(&hits, 2) {
                    expected.push((a as u32, b as u32, hits.len() as u32));
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
