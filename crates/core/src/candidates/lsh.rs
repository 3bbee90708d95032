//! LSH banding over MinHash signatures: which pairs of documents are worth verifying.
//!
//! Comparing every pair of `n` signatures is `O(n²)`. Banding finds the pairs likely to
//! be similar in about `O(n log n)`: each signature of `k = bands × rows` values is cut
//! into `bands` bands of `rows` consecutive values; two documents become a *candidate
//! pair* when all `rows` values of at least one band agree.
//!
//! # The S-curve
//!
//! One MinHash position agrees with probability `s`, the Jaccard similarity. A band of
//! `r` rows agrees with probability `s^r`, and at least one of `b` bands agrees with
//! probability
//!
//! ```text
//! P(candidate | s) = 1 - (1 - s^r)^b
//! ```
//!
//! an S-shaped curve in `s` ([`candidate_probability`]). More rows push the curve to the
//! right (fewer false candidates, more missed pairs), more bands push it left.
//! [`banding_for`] picks the largest `r` (with `b = k / r`) for which a pair at exactly
//! the similarity threshold still becomes a candidate with probability at least 0.995:
//! missed pairs are lost for good, while false candidates only cost a verification.
//!
//! # Buckets
//!
//! For each band, each document's `rows` values are hashed to a 64-bit key; the
//! `(key, doc)` records are sorted, and documents with equal keys form a bucket. Bands
//! are processed independently, in parallel with rayon, and the pairs they emit are
//! sorted and deduplicated at the end, so the output does not depend on the thread
//! count. A key collision (different values, same key) only adds a candidate, which
//! verification then rejects; with 64-bit keys it practically never happens.
//!
//! Near-duplicates share a bucket in most bands, so emitting every bucket's pairs in
//! every band would produce each pair up to `bands` times: for a corpus of a million
//! documents in families of ten near-copies, 144 million pair records (over a gigabyte)
//! to sort for 4.5 million distinct pairs. A pair from a bucket is therefore only
//! emitted by the *first* band in which the two signatures agree, so each pair is
//! emitted about once. Each band's records carry the document's band-0 key, which
//! settles the commonest case (near-duplicates mostly share band 0) without touching
//! the signatures; otherwise bands `1..j` are compared value by value. On 2 cores this
//! takes about 3 to 4 s for a million signatures of 32 bands in families of ten
//! near-copies (4.5 million pairs), against 17 s and 1.7 GB when duplicates were only
//! removed at the end.
//!
//! A bucket of `m` members holds `m(m-1)/2` pairs: a corpus with ten thousand copies of
//! one boilerplate page would emit fifty million pairs per band. Buckets with more than
//! [`MAX_FULL_BUCKET`] members therefore emit only each member paired with the bucket's
//! first member and with its predecessor (`2m` pairs), in every band they occur in. That
//! is enough: a band's `rows` values all agree only for near-certain near-duplicates,
//! and clustering needs the members *connected*, not every edge; every emitted pair is
//! still verified later, and if a member is a false positive of the band, the pair tying
//! it to the bucket is rejected like any other. (A member whose only verified tie would
//! have been to a member it is not paired with can be lost; other bands usually recover
//! it.) So the output is: every pair whose first common bucket has at most
//! [`MAX_FULL_BUCKET`] members, plus the spanning pairs of every big bucket. (Two
//! documents whose first common bucket is big are connected by its spanning pairs.)
//!
//! Documents whose signature is `None` or the empty set's take no part: the empty set is
//! similar to nothing.

use rayon::prelude::*;

use crate::fingerprint::minhash::Signature;
use crate::fingerprint::shingle::fmix64;

/// Buckets larger than this emit `2m` pairs instead of all `m(m-1)/2` (see module docs).
pub const MAX_FULL_BUCKET: usize = 64;

/// Probability that a pair at `threshold` becomes a candidate, below which
/// [`banding_for`] will not go.
pub const MIN_RECALL_AT_THRESHOLD: f64 = 0.995;

/// Banding parameters: `bands * rows` must not exceed the signature length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

/// `1 - (1 - s^rows)^bands`: the probability that two documents of Jaccard similarity
/// `similarity` become a candidate pair.
pub fn candidate_probability(similarity: f64, banding: Banding) -> f64 {
    let band_agrees = similarity
        .clamp(0.0, 1.0)
        .powi(saturating_i32(banding.rows));
    1.0 - (1.0 - band_agrees).powi(saturating_i32(banding.bands))
}

fn saturating_i32(x: usize) -> i32 {
    i32::try_from(x).unwrap_or(i32::MAX)
}

/// The banding of a `k`-value signature for similarity `threshold`: the largest number
/// of rows `r` (with `bands = k / r`) such that a pair at exactly `threshold` becomes a
/// candidate with probability at least [`MIN_RECALL_AT_THRESHOLD`]. When not even one
/// row per band reaches it (a very low threshold), one row per band, the most sensitive
/// banding. E.g. `k = 128, threshold = 0.7` gives 32 bands of 4 rows.
pub fn banding_for(k: usize, threshold: f64) -> Banding {
    let most_sensitive = Banding { bands: k, rows: 1 };
    // The probability falls as `r` grows (`s^r` falls, and so does `k / r`), so the
    // first `r` from the top that qualifies is the largest.
    (1..=k)
        .rev()
        .map(|rows| Banding {
            bands: k / rows,
            rows,
        })
        .find(|&banding| candidate_probability(threshold, banding) >= MIN_RECALL_AT_THRESHOLD)
        .unwrap_or(most_sensitive)
}

/// Candidate pairs `(a, b)` with `a < b` (indices into `signatures`; `None` entries take
/// no part), sorted and without duplicates. Deterministic.
///
/// Bands that do not fit in a signature (`(band + 1) * rows > k`) are skipped for it, so
/// mismatched parameters lose candidates rather than panic. Empty-set signatures take no
/// part. Indices must fit in `u32`; documents beyond `u32::MAX` take no part.
pub fn candidate_pairs(signatures: &[Option<&Signature>], banding: Banding) -> Vec<(u32, u32)> {
    let Banding { bands, rows } = banding;
    if rows == 0 || bands == 0 {
        return Vec::new();
    }
    // Each document's values, by index; no values for those that take no part.
    let values: Vec<&[u32]> = signatures
        .iter()
        .take(u32::MAX as usize)
        .map(|signature| match signature {
            Some(signature) if !signature.is_empty_set() => &signature.0[..],
            _ => &[],
        })
        .collect();
    // Band 0's keys, computed once: every band's records carry them (see `Record`).
    let first_keys: Vec<u64> = values
        .par_iter()
        .map(|values| values.get(..rows).map_or(0, band_key))
        .collect();
    let mut pairs: Vec<(u32, u32)> = (0..bands)
        .into_par_iter()
        .flat_map_iter(|band| band_pairs(&values, &first_keys, band, rows))
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// One document's entry in one band: its key in this band, its index, and its key in
/// band 0, carried along so that the commonest "met in an earlier band" check (near
/// duplicates usually share band 0's bucket) needs no random access to signatures.
type Record = (u64, u32, u64);

/// The pairs emitted by one band: sorted by key, then grouped into buckets.
fn band_pairs(values: &[&[u32]], first_keys: &[u64], band: usize, rows: usize) -> Vec<(u32, u32)> {
    let range = band * rows..(band + 1) * rows;
    let mut records: Vec<Record> = (0u32..)
        .zip(values.iter().zip(first_keys))
        .filter_map(|(doc, (values, &first_key))| {
            Some((band_key(values.get(range.clone())?), doc, first_key))
        })
        .collect();
    // Sorting by (key, doc) puts each bucket's members in increasing doc order, which
    // is what makes every emitted pair `(a, b)` have `a < b`.
    records.sort_unstable();
    let mut pairs = Vec::new();
    for bucket in records.chunk_by(|x, y| x.0 == y.0) {
        emit_bucket(bucket, values, band, rows, &mut pairs);
    }
    pairs
}

/// All pairs of a bucket that did not already meet in an earlier band, or the `2m`
/// spanning pairs of a big bucket (see module docs).
fn emit_bucket(
    bucket: &[Record],
    values: &[&[u32]],
    band: usize,
    rows: usize,
    pairs: &mut Vec<(u32, u32)>,
) {
    if bucket.len() <= MAX_FULL_BUCKET {
        for (i, &(_, a, a_first)) in bucket.iter().enumerate() {
            for &(_, b, b_first) in &bucket[i + 1..] {
                let met_earlier = band > 0
                    && (a_first == b_first
                        || met_in_bands(values[a as usize], values[b as usize], 1..band, rows));
                if !met_earlier {
                    pairs.push((a, b));
                }
            }
        }
        return;
    }
    let first = bucket[0].1;
    for window in bucket.windows(2) {
        let (predecessor, member) = (window[0].1, window[1].1);
        pairs.push((predecessor, member));
        if predecessor != first {
            pairs.push((first, member));
        }
    }
}

/// Whether signatures `a` and `b` agree on all rows of one of `bands`.
#[inline]
fn met_in_bands(a: &[u32], b: &[u32], bands: std::ops::Range<usize>, rows: usize) -> bool {
    bands.into_iter().any(|band| {
        let range = band * rows..(band + 1) * rows;
        match (a.get(range.clone()), b.get(range)) {
            // Element-wise rather than `==`, which calls `memcmp` for a few bytes.
            (Some(x), Some(y)) => x.iter().zip(y).all(|(p, q)| p == q),
            _ => false,
        }
    })
}

/// A 64-bit key for one band's values. Bands are bucketed separately, so the key need
/// not encode the band.
#[inline]
fn band_key(values: &[u32]) -> u64 {
    let mut h = 0x4528_21E6_38D0_1377_u64;
    for &v in values {
        h = (h.rotate_left(23) ^ u64::from(v)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fmix64(h ^ values.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::minhash::MinHasher;
    use crate::fingerprint::shingle::fmix64;

    fn set(stream: u64, range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| fmix64((stream << 40) ^ i)).collect()
    }

    fn pairs_of(signatures: &[Signature], banding: Banding) -> Vec<(u32, u32)> {
        let refs: Vec<Option<&Signature>> = signatures.iter().map(Some).collect();
        candidate_pairs(&refs, banding)
    }

    #[test]
    fn banding_for_known_values() {
        assert_eq!(banding_for(128, 0.7), Banding { bands: 32, rows: 4 });
        // Higher thresholds allow more rows; the bands always fit in k.
        let high = banding_for(128, 0.9);
        assert!(high.rows > 4, "{high:?}");
        for (k, t) in [(128, 0.5), (128, 0.8), (256, 0.7), (64, 0.85), (100, 0.6)] {
            let b = banding_for(k, t);
            assert!(b.bands * b.rows <= k);
            assert!(
                candidate_probability(t, b) >= MIN_RECALL_AT_THRESHOLD,
                "{k} {t}"
            );
            // One more row would miss the recall target.
            let tighter = Banding {
                bands: k / (b.rows + 1),
                rows: b.rows + 1,
            };
            assert!(
                candidate_probability(t, tighter) < MIN_RECALL_AT_THRESHOLD,
                "{k} {t}"
            );
        }
        // Extremes: a threshold of 1 needs only one band; hopeless thresholds get the
        // most sensitive banding.
        assert_eq!(
            banding_for(128, 1.0),
            Banding {
                bands: 1,
                rows: 128
            }
        );
        assert_eq!(
            banding_for(128, 0.0),
            Banding {
                bands: 128,
                rows: 1
            }
        );
        assert_eq!(
            banding_for(128, f64::NAN),
            Banding {
                bands: 128,
                rows: 1
            }
        );
        assert_eq!(banding_for(0, 0.7), Banding { bands: 0, rows: 1 });
    }

    #[test]
    fn s_curve() {
        let b = Banding { bands: 32, rows: 4 };
        assert_eq!(candidate_probability(0.0, b), 0.0);
        assert_eq!(candidate_probability(1.0, b), 1.0);
        let at = |s| candidate_probability(s, b);
        assert!(at(0.2) < 0.05);
        assert!(at(0.7) > 0.995);
        assert!(at(0.3) < at(0.5) && at(0.5) < at(0.7));
    }

    #[test]
    fn near_duplicates_are_candidates_and_unrelated_are_not() {
        let hasher = MinHasher::new(128);
        let original = set(1, 0..400);
        // ~90% Jaccard: 20 of 400 elements replaced.
        let mut near = set(1, 20..400);
        near.extend(set(2, 0..20));
        let unrelated = set(3, 0..400);
        let other_unrelated = set(4, 0..50);
        let signatures = [
            hasher.signature(&original),
            hasher.signature(&unrelated),
            hasher.signature(&near),
            hasher.signature(&other_unrelated),
        ];
        assert_eq!(pairs_of(&signatures, banding_for(128, 0.7)), [(0, 2)]);
    }

    #[test]
    fn none_and_empty_take_no_part() {
        let hasher = MinHasher::new(64);
        let a = hasher.signature(&set(1, 0..100));
        let empty = hasher.signature(&[]);
        let refs = [Some(&a), None, Some(&empty), Some(&empty), Some(&a)];
        assert_eq!(
            candidate_pairs(&refs, Banding { bands: 16, rows: 4 }),
            [(0, 4)]
        );
    }

    #[test]
    fn small_buckets_emit_all_pairs_sorted_and_deduplicated() {
        let hasher = MinHasher::new(64);
        let signature = hasher.signature(&set(1, 0..100));
        let signatures = vec![signature; 5];
        let pairs = pairs_of(&signatures, Banding { bands: 16, rows: 4 });
        let all: Vec<(u32, u32)> = (0..5)
            .flat_map(|a| (a + 1..5).map(move |b| (a, b)))
            .collect();
        assert_eq!(pairs, all);
    }

    #[test]
    fn big_buckets_emit_a_linear_number_of_connecting_pairs() {
        let hasher = MinHasher::new(64);
        let signature = hasher.signature(&set(1, 0..100));
        let m = 1000u32;
        let signatures = vec![signature; m as usize];
        let pairs = pairs_of(&signatures, Banding { bands: 16, rows: 4 });
        // Each member with the first and with its predecessor: (0, j) for all j and
        // (j - 1, j) for j >= 2, nothing quadratic.
        let mut expected: Vec<(u32, u32)> = (1..m).map(|j| (0, j)).collect();
        expected.extend((2..m).map(|j| (j - 1, j)));
        expected.sort_unstable();
        assert_eq!(pairs, expected);
        assert!(pairs.len() < 2 * m as usize);
        // The bucket just at the limit still gets every pair.
        let limit = MAX_FULL_BUCKET;
        let at_limit = pairs_of(&signatures[..limit], Banding { bands: 16, rows: 4 });
        assert_eq!(at_limit.len(), limit * (limit - 1) / 2);
    }

    #[test]
    fn deterministic_regardless_of_threads() {
        let hasher = MinHasher::new(128);
        let signatures: Vec<Signature> = (0..300u64)
            .map(|i| {
                // Families of near-duplicates: the same base set with a few changes.
                let family = i % 17;
                let mut elements = set(family, 0..200);
                elements.extend(set(1000 + i, 0..(i % 7)));
                hasher.signature(&elements)
            })
            .collect();
        let banding = banding_for(128, 0.7);
        let reference = pairs_of(&signatures, banding);
        assert!(!reference.is_empty());
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            let again = pool.install(|| pairs_of(&signatures, banding));
            assert_eq!(again, reference, "{threads} threads");
        }
        assert!(reference.windows(2).all(|w| w[0] < w[1]));
        assert!(reference.iter().all(|&(a, b)| a < b));
        // Only members of the same family pair up.
        assert!(reference.iter().all(|&(a, b)| a % 17 == b % 17));
    }

    #[test]
    fn small_buckets_give_exactly_the_pairs_that_agree_on_some_band() {
        // Values from a tiny alphabet: many collisions, every bucket small (about 12
        // members), many pairs meeting in several bands.
        let (bands, rows) = (8, 2);
        let signatures: Vec<Signature> = (0..200u64)
            .map(|doc| {
                let values = (0..(bands * rows) as u64)
                    .map(|i| (fmix64(doc * 1000 + i) % 4) as u32)
                    .collect();
                Signature(values)
            })
            .collect();
        let mut expected = Vec::new();
        for a in 0..signatures.len() {
            for b in a + 1..signatures.len() {
                let agree = (0..bands).any(|band| {
                    let range = band * rows..(band + 1) * rows;
                    signatures[a].0[range.clone()] == signatures[b].0[range]
                });
                if agree {
                    expected.push((a as u32, b as u32));
                }
            }
        }
        assert!(expected.len() > 1000, "{}", expected.len());
        assert_eq!(pairs_of(&signatures, Banding { bands, rows }), expected);
    }

    #[test]
    fn pairs_whose_first_common_bucket_is_big_are_only_connected() {
        // 100 documents agree on band 0 (a big bucket); documents 5 and 50 also agree on
        // band 1, alone. Their pair is not emitted again: band 0's spanning pairs
        // already connect them, through document 0.
        let m = 100u32;
        let signatures: Vec<Signature> = (0..m)
            .map(|doc| {
                let band1 = if doc == 5 || doc == 50 { 7 } else { 1000 + doc };
                Signature(vec![1, 2, band1, band1].into_boxed_slice())
            })
            .collect();
        let pairs = pairs_of(&signatures, Banding { bands: 2, rows: 2 });
        assert!(!pairs.contains(&(5, 50)));
        assert!(pairs.contains(&(0, 5)) && pairs.contains(&(0, 50)));
        assert_eq!(pairs.len(), (m as usize - 1) + (m as usize - 2));
    }

    #[test]
    fn bands_beyond_the_signature_are_skipped() {
        let hasher = MinHasher::new(8);
        let a = hasher.signature(&set(1, 0..50));
        let refs = [Some(&a), Some(&a)];
        // 4 bands of 4 rows need 16 values; the 2 that fit still find the pair.
        assert_eq!(
            candidate_pairs(&refs, Banding { bands: 4, rows: 4 }),
            [(0, 1)]
        );
        assert!(candidate_pairs(&refs, Banding { bands: 2, rows: 9 }).is_empty());
        assert!(candidate_pairs(&refs, Banding { bands: 0, rows: 4 }).is_empty());
        assert!(candidate_pairs(&refs, Banding { bands: 4, rows: 0 }).is_empty());
    }
}
