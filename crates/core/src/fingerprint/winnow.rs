//! Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): from a document's shingle
//! hashes, keep the smallest of every window of `w` consecutive ones.
//!
//! Two documents that share a run of `w` shingles (that is `w + n - 1` words for word
//! n-grams) are guaranteed to share a selected hash, while only about `2 / (w + 1)` of
//! the shingles are kept. That makes passage search an index lookup instead of an
//! all-pairs comparison.

/// The winnowed hashes of `shingles`, sorted and distinct (positions are not needed to
/// find candidates; alignment recovers them).
pub fn winnow(shingles: &[u64], window: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(2 * shingles.len() / (window.max(1) + 1) + 1);
    winnow_into(shingles, window, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Appends the winnowed hashes of `shingles` to `out` in selection order (unsorted,
/// possibly with repeats), for callers that gather keys from several pieces.
pub fn winnow_into(shingles: &[u64], window: usize, out: &mut Vec<u64>) {
    winnow_each(shingles, window, |i| out.push(shingles[i]));
}

/// Like [`winnow_into`], with each key's shingle position plus `offset` (the token
/// position where its n-gram starts, when `shingles` are a document's shingles from
/// token `offset` on): candidate pairs are checked for keys that line up.
pub fn winnow_positions_into(
    shingles: &[u64],
    window: usize,
    offset: u32,
    out: &mut Vec<(u64, u32)>,
) {
    winnow_each(shingles, window, |i| {
        out.push((shingles[i], offset.saturating_add(i as u32)))
    });
}

/// Calls `select` with the index of every selected shingle, in selection order.
fn winnow_each(shingles: &[u64], window: usize, mut select: impl FnMut(usize)) {
    let window = window.max(1);
    if shingles.len() <= window {
        if let Some((i, _)) = shingles
            .iter()
            .enumerate()
            .min_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(&x.0)))
        {
            select(i);
        }
        return;
    }
    // The minimum of the current window and its position. When the minimum slides out,
    // the window (a handful of values) is rescanned; otherwise each new hash is one
    // comparison. Rightmost minimum on ties (the paper's robust winnowing), hence `<=`.
    let mut min_at = 0usize;
    for i in 1..window {
        if shingles[i] <= shingles[min_at] {
            min_at = i;
        }
    }
    select(min_at);
    for end in window..shingles.len() {
        let start = end + 1 - window;
        if min_at < start {
            min_at = start;
            for j in start + 1..=end {
                if shingles[j] <= shingles[min_at] {
                    min_at = j;
                }
            }
            select(min_at);
        } else if shingles[end] <= shingles[min_at] {
            min_at = end;
            select(min_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_window_contributes_its_minimum() {
        let s: Vec<u64> = vec![
            77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98,
        ];
        let w = 4;
        let selected = winnow(&s, w);
        for window in s.windows(w) {
            let m = *window.iter().min().unwrap();
            assert!(selected.contains(&m), "window {window:?} lost its minimum");
        }
        assert!(selected.len() < s.len());
        assert!(
            selected.windows(2).all(|p| p[0] < p[1]),
            "sorted and distinct"
        );
    }

    #[test]
    fn shared_run_of_window_length_gives_a_shared_key() {
        let shared: Vec<u64> = (0..6).map(|i| 1000 + i * 7919).collect();
        let mut a: Vec<u64> = (0..40).map(|i| 5_000_000 + i * 31).collect();
        let mut b: Vec<u64> = (0..40).map(|i| 9_000_000 + i * 17).collect();
        a.splice(10..10, shared.iter().copied());
        b.splice(25..25, shared.iter().copied());
        let (ka, kb) = (winnow(&a, 6), winnow(&b, 6));
        assert!(ka.iter().any(|k| kb.contains(k)));
    }

    #[test]
    fn positions_are_those_of_the_selected_shingles() {
        let shingles: Vec<u64> = (0..50u64).map(|i| (i * 7_919) % 101).collect();
        let mut keys = Vec::new();
        winnow_into(&shingles, 6, &mut keys);
        let mut with_pos = Vec::new();
        winnow_positions_into(&shingles, 6, 100, &mut with_pos);
        assert_eq!(keys, with_pos.iter().map(|k| k.0).collect::<Vec<_>>());
        for &(key, pos) in &with_pos {
            assert_eq!(shingles[pos as usize - 100], key);
        }
    }

    #[test]
    fn short_and_empty_inputs() {
        assert!(winnow(&[], 4).is_empty());
        assert_eq!(winnow(&[5, 3, 9], 4), vec![3]);
    }
}
