//! Property tests: invariants of `align`, `diff` and `find_repeats` on random reuse.

use proptest::prelude::*;
use reprint_core::align::{align, diff, is_masked, mask_tokens, AlignOptions, DiffOp};
use reprint_core::fingerprint::repeat::{find_repeats, repeat_mask};

/// A word id from a small vocabulary, spread over u64 like a token hash.
fn token(word: u64) -> u64 {
    word.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995
}

#[derive(Debug, Clone)]
enum Edit {
    Substitute(usize, u64),
    Insert(usize, u64),
    Delete(usize),
}

#[derive(Debug, Clone)]
enum Segment {
    /// Unrelated words.
    Filler(Vec<u64>),
    /// `a[start..start + len]` (clipped to `a`), then edited.
    Copy {
        start: usize,
        len: usize,
        edits: Vec<Edit>,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..60u64).prop_map(|(p, w)| Edit::Substitute(p, w)),
        (any::<usize>(), 0..60u64).prop_map(|(p, w)| Edit::Insert(p, w)),
        any::<usize>().prop_map(Edit::Delete),
    ]
}

fn segment(vocab: u64) -> impl Strategy<Value = Segment> {
    prop_oneof![
        prop::collection::vec(0..vocab, 0..40).prop_map(Segment::Filler),
        (
            any::<usize>(),
            1..150usize,
            prop::collection::vec(edit(), 0..12)
        )
            .prop_map(|(start, len, edits)| Segment::Copy { start, len, edits }),
    ]
}

fn build_b(a: &[u64], segments: &[Segment]) -> Vec<u64> {
    let mut b = Vec::new();
    for segment in segments {
        match segment {
            Segment::Filler(words) => b.extend(words.iter().map(|&w| token(w))),
            Segment::Copy { start, len, edits } => {
                if a.is_empty() {
                    continue;
                }
                let start = start % a.len();
                let end = (start + len).min(a.len());
                let mut copy = a[start..end].to_vec();
                for edit in edits {
                    match *edit {
                        Edit::Substitute(p, w) if !copy.is_empty() => {
                            let p = p % copy.len();
                            copy[p] = token(w);
                        }
                        Edit::Insert(p, w) => {
                            let p = p % (copy.len() + 1);
                            copy.insert(p, token(w));
                        }
                        Edit::Delete(p) if !copy.is_empty() => {
                            let p = p % copy.len();
                            copy.remove(p);
                        }
                        _ => {}
                    }
                }
                b.extend(copy);
            }
        }
    }
    b
}

fn options() -> impl Strategy<Value = AlignOptions> {
    (1..5usize, 0..12usize, 0..20usize, 0.0..1.0f64).prop_map(
        |(seed_len, max_gap, min_tokens, min_similarity)| AlignOptions {
            seed_len,
            max_gap,
            min_tokens,
            min_similarity,
        },
    )
}

/// `ops` is an edit script from `a` to `b` whose Equal ranges hold equal tokens.
fn check_script(a: &[u64], b: &[u64], ops: &[DiffOp]) -> Result<usize, TestCaseError> {
    let (mut x, mut y, mut equal) = (0, 0, 0);
    for op in ops {
        let (ra, rb) = match op {
            DiffOp::Equal { a, b } | DiffOp::Replace { a, b } => (a.clone(), b.clone()),
        };
        prop_assert_eq!((ra.start, rb.start), (x, y));
        prop_assert!(ra.start <= ra.end && ra.end <= a.len());
        prop_assert!(rb.start <= rb.end && rb.end <= b.len());
        if let DiffOp::Equal { .. } = op {
            prop_assert_eq!(ra.len(), rb.len());
            prop_assert_eq!(&a[ra.clone()], &b[rb.clone()]);
            prop_assert!(a[ra.clone()].iter().all(|&h| !is_masked(h)));
            equal += ra.len();
        } else {
            prop_assert!(!(ra.is_empty() && rb.is_empty()));
        }
        (x, y) = (ra.end, rb.end);
    }
    prop_assert_eq!((x, y), (a.len(), b.len()));
    Ok(equal)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn passages_are_well_formed(
        vocab in prop_oneof![Just(6u64), Just(60), Just(100_000)],
        a_words in prop::collection::vec(any::<u64>(), 0..400),
        segments in prop::collection::vec(segment(100_000), 0..6),
        opts in options(),
        mask_every in prop::option::of(5..40usize),
    ) {
        let a: Vec<u64> = a_words.iter().map(|&w| token(w % vocab)).collect();
        let mut b = build_b(&a, &segments);
        if let Some(step) = mask_every {
            let masked: Vec<bool> = (0..b.len()).map(|i| i % step == 0).collect();
            mask_tokens(&mut b, &masked);
        }
        let passages = align(&a, &b, &opts);
        prop_assert_eq!(&passages, &align(&a, &b, &opts), "not deterministic");
        for p in &passages {
            prop_assert!(p.a.start < p.a.end && p.a.end <= a.len(), "{:?}", p);
            prop_assert!(p.b.start < p.b.end && p.b.end <= b.len(), "{:?}", p);
            prop_assert_eq!(a[p.a.start], b[p.b.start]);
            prop_assert_eq!(a[p.a.end - 1], b[p.b.end - 1]);
            prop_assert!(!is_masked(b[p.b.start]) && !is_masked(b[p.b.end - 1]));
            prop_assert!(p.matched >= 1 && p.matched <= p.a.len().min(p.b.len()));
            prop_assert!(p.a.len().min(p.b.len()) >= opts.min_tokens);
            prop_assert!(p.similarity >= opts.min_similarity && p.similarity <= 1.0);
            // The passage's own diff is a valid script finding at least `matched`.
            let (pa, pb) = (&a[p.a.clone()], &b[p.b.clone()]);
            let equal = check_script(pa, pb, &diff(pa, pb))?;
            prop_assert!(equal >= p.matched, "diff {} < matched {}", equal, p.matched);
        }
        for (x, p) in passages.iter().enumerate() {
            for q in &passages[x + 1..] {
                prop_assert!(p.a.start < q.a.start, "not sorted");
                prop_assert!(p.a.end <= q.a.start, "overlap in a: {:?} {:?}", p, q);
                prop_assert!(p.b.end <= q.b.start || q.b.end <= p.b.start,
                    "overlap in b: {:?} {:?}", p, q);
            }
        }
    }

    #[test]
    fn diff_is_a_valid_edit_script(
        vocab in prop_oneof![Just(4u64), Just(50), Just(100_000)],
        a_words in prop::collection::vec(any::<u64>(), 0..700),
        segments in prop::collection::vec(segment(50), 0..8),
    ) {
        let a: Vec<u64> = a_words.iter().map(|&w| token(w % vocab)).collect();
        let b = build_b(&a, &segments);
        check_script(&a, &b, &diff(&a, &b))?;
        let ops = diff(&a, &a);
        let expected = if a.is_empty() {
            vec![]
        } else {
            vec![DiffOp::Equal { a: 0..a.len(), b: 0..a.len() }]
        };
        prop_assert_eq!(ops, expected);
    }

    #[test]
    fn repeats_are_well_formed(
        vocab in prop_oneof![Just(3u64), Just(40), Just(100_000)],
        a_words in prop::collection::vec(any::<u64>(), 0..300),
        segments in prop::collection::vec(segment(100_000), 0..6),
        opts in options(),
    ) {
        // A document made of a, then edited copies of parts of a and filler.
        let a: Vec<u64> = a_words.iter().map(|&w| token(w % vocab)).collect();
        let doc = [a.clone(), build_b(&a, &segments)].concat();
        let repeats = find_repeats(&doc, &opts);
        for r in &repeats {
            prop_assert!(r.first.start < r.first.end, "{:?}", r);
            prop_assert!(r.first.end <= r.copy.start, "copy overlaps first: {:?}", r);
            prop_assert!(r.copy.start < r.copy.end && r.copy.end <= doc.len(), "{:?}", r);
            prop_assert_eq!(doc[r.first.start], doc[r.copy.start]);
            prop_assert_eq!(doc[r.first.end - 1], doc[r.copy.end - 1]);
            prop_assert!(r.first.len().min(r.copy.len()) >= opts.min_tokens);
            prop_assert!(r.similarity >= opts.min_similarity && r.similarity <= 1.0);
        }
        for w in repeats.windows(2) {
            prop_assert!(w[0].copy.end <= w[1].copy.start, "copies overlap: {:?}", w);
        }
        let mask = repeat_mask(&repeats, doc.len());
        let masked = mask.iter().filter(|&&m| m).count();
        prop_assert_eq!(masked, repeats.iter().map(|r| r.copy.len()).sum::<usize>());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Recall: an unedited slice of `a` of at least `min_tokens` tokens, between
    /// unrelated text, is found with its exact ranges.
    #[test]
    fn a_copied_slice_is_found_exactly(
        a_words in prop::collection::vec(any::<u64>(), 12..500),
        start in any::<usize>(),
        len in 12..200usize,
        before in prop::collection::vec(any::<u64>(), 0..50),
        after in prop::collection::vec(any::<u64>(), 0..50),
    ) {
        let start = start % (a_words.len() - 11);
        let end = (start + len).min(a_words.len()).max(start + 12);
        let b_words = [&before[..], &a_words[start..end], &after[..]].concat();
        let a: Vec<u64> = a_words.iter().map(|&w| token(w)).collect();
        let b: Vec<u64> = b_words.iter().map(|&w| token(w)).collect();
        let passages = align(&a, &b, &AlignOptions::default());
        prop_assert_eq!(passages.len(), 1, "{:?}", passages);
        prop_assert_eq!(passages[0].a.clone(), start..end);
        prop_assert_eq!(passages[0].b.clone(), before.len()..before.len() + end - start);
        prop_assert_eq!(passages[0].matched, end - start);
    }
}
