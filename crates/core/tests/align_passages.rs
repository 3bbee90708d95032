//! Behaviour of `align`, `coverage`, `diff` and token masking on constructed pairs.

use std::time::Instant;

use reprint_core::align::{
    align, coverage, diff, is_masked, mask_tokens, sentinel, unmasked_len, AlignOptions, Aligner,
    DiffOp, Passage, MAX_SEED_OCCURRENCES,
};

/// SplitMix64: a tiny deterministic generator, so tests need no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Tokens that never coincide with each other or with any other call's.
    fn unique_tokens(&mut self, n: usize) -> Vec<u64> {
        (0..n).map(|_| self.next()).collect()
    }

    /// Text-like tokens: a Zipf-distributed vocabulary of 5 000 words, so that common
    /// words and word sequences recur as in real prose.
    fn prose(&mut self, n: usize) -> Vec<u64> {
        let weights: Vec<f64> = (1..=5000).map(|r| 1.0 / r as f64).collect();
        let total: f64 = weights.iter().sum();
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut acc = 0.0;
        for w in &weights {
            acc += w / total;
            cumulative.push(acc);
        }
        (0..n)
            .map(|_| {
                let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
                let rank = cumulative.partition_point(|&c| c < u).min(4999);
                // Word ids hashed to look like token hashes.
                (rank as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d)
            })
            .collect()
    }
}

fn assert_well_formed(a: &[u64], b: &[u64], passages: &[Passage]) {
    for p in passages {
        assert!(p.a.start < p.a.end && p.a.end <= a.len(), "{p:?}");
        assert!(p.b.start < p.b.end && p.b.end <= b.len(), "{p:?}");
        assert_eq!(a[p.a.start], b[p.b.start], "{p:?} starts on unequal tokens");
        assert_eq!(
            a[p.a.end - 1],
            b[p.b.end - 1],
            "{p:?} ends on unequal tokens"
        );
        assert!(p.matched <= p.a.len().min(p.b.len()));
        let expected = 2.0 * p.matched as f64 / (p.a.len() + p.b.len()) as f64;
        assert!((p.similarity - expected).abs() < 1e-12);
    }
    for (x, p) in passages.iter().enumerate() {
        for q in &passages[x + 1..] {
            assert!(p.a.end <= q.a.start || q.a.end <= p.a.start, "{p:?} {q:?}");
            assert!(p.b.end <= q.b.start || q.b.end <= p.b.start, "{p:?} {q:?}");
        }
    }
    assert!(passages.windows(2).all(|w| w[0].a.start < w[1].a.start));
}

#[test]
fn identical_sequences_give_one_full_passage() {
    let mut rng = Rng(1);
    for seq in [rng.unique_tokens(400), rng.prose(400)] {
        let passages = align(&seq, &seq, &AlignOptions::default());
        assert_eq!(
            passages,
            vec![Passage {
                a: 0..400,
                b: 0..400,
                matched: 400,
                similarity: 1.0
            }]
        );
        let cov = coverage(&passages, seq.len(), seq.len());
        assert_eq!((cov.a, cov.b), (1.0, 1.0));
    }
}

#[test]
fn embedded_paragraph_is_found_with_exact_ranges() {
    let mut rng = Rng(2);
    let a = rng.unique_tokens(300);
    let mut b = rng.unique_tokens(200);
    b.extend_from_slice(&a[100..160]);
    b.extend(rng.unique_tokens(150));
    let passages = align(&a, &b, &AlignOptions::default());
    assert_eq!(passages.len(), 1, "{passages:?}");
    let p = &passages[0];
    assert_eq!(
        (p.a.clone(), p.b.clone(), p.matched),
        (100..160, 200..260, 60)
    );
    assert_eq!(p.similarity, 1.0);
    let cov = coverage(&passages, a.len(), b.len());
    assert!((cov.a - 60.0 / 300.0).abs() < 1e-12);
    assert!((cov.b - 60.0 / 410.0).abs() < 1e-12);
}

#[test]
fn embedded_paragraph_in_prose_is_found() {
    // Same with text-like tokens, where chance matches of common words exist.
    let mut rng = Rng(3);
    let a = rng.prose(600);
    let mut b = rng.prose(400);
    b.extend_from_slice(&a[200..320]);
    b.extend(rng.prose(300));
    let passages = align(&a, &b, &AlignOptions::default());
    assert_well_formed(&a, &b, &passages);
    let main: Vec<_> = passages.iter().filter(|p| p.matched >= 100).collect();
    assert_eq!(main.len(), 1, "{passages:?}");
    // Chance matches may extend the passage by a token or two, never much.
    assert!(main[0].a.start.abs_diff(200) <= 3 && main[0].a.end.abs_diff(320) <= 3);
    assert!(main[0].b.start.abs_diff(400) <= 3 && main[0].b.end.abs_diff(520) <= 3);
    assert!(main[0].matched >= 120);
}

#[test]
fn substitutions_insertions_and_deletions_are_tolerated() {
    let mut rng = Rng(4);
    let a = rng.prose(200);
    let mut copy = a.clone();
    // A substituted word every ~10 words.
    for k in (5..copy.len()).step_by(10) {
        copy[k] = rng.next();
    }
    copy.insert(57, rng.next()); // an inserted word
    copy.remove(133); // a deleted word
    let mut b = rng.prose(50);
    b.extend(&copy);
    b.extend(rng.prose(50));
    let passages = align(&a, &b, &AlignOptions::default());
    assert_well_formed(&a, &b, &passages);
    assert_eq!(passages.len(), 1, "{passages:?}");
    let p = &passages[0];
    assert!(p.similarity > 0.8, "{p:?}");
    assert!(p.a.len() >= 190 && p.b.len() >= 190, "{p:?}");
    // The equal tokens are all found: 200 minus 20 substitutions minus one deletion.
    assert!(p.matched >= 178, "{p:?}");
}

#[test]
fn two_passages_in_swapped_order_are_both_found() {
    let mut rng = Rng(5);
    let a = rng.unique_tokens(300);
    let mut b = rng.unique_tokens(30);
    b.extend_from_slice(&a[200..260]); // second part of a first
    b.extend(rng.unique_tokens(40));
    b.extend_from_slice(&a[20..80]);
    b.extend(rng.unique_tokens(30));
    let passages = align(&a, &b, &AlignOptions::default());
    assert_well_formed(&a, &b, &passages);
    let ranges: Vec<_> = passages
        .iter()
        .map(|p| (p.a.clone(), p.b.clone()))
        .collect();
    assert_eq!(ranges, vec![(20..80, 130..190), (200..260, 30..90)]);
}

#[test]
fn unrelated_sequences_and_short_phrases_give_nothing() {
    let mut rng = Rng(6);
    let opts = AlignOptions::default();
    let (a, b) = (rng.unique_tokens(1000), rng.unique_tokens(1000));
    assert!(align(&a, &b, &opts).is_empty());
    // Unrelated prose shares common words and the odd 3-gram, never a passage.
    let (a, b) = (rng.prose(1000), rng.prose(1000));
    assert!(align(&a, &b, &opts).is_empty());
    // One shared 5-token phrase is below min_tokens.
    let a = rng.unique_tokens(100);
    let mut b = rng.unique_tokens(50);
    b.extend_from_slice(&a[40..45]);
    b.extend(rng.unique_tokens(50));
    assert!(align(&a, &b, &opts).is_empty());
    // ... but it is found when the minimum allows it.
    let short = AlignOptions {
        min_tokens: 5,
        ..opts
    };
    let found = align(&a, &b, &short);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].a.clone(), found[0].b.clone()), (40..45, 50..55));
    // Empty and tiny inputs.
    assert!(align(&[], &b, &opts).is_empty());
    assert!(align(&a, &[], &opts).is_empty());
    assert!(align(&a[..2], &a[..2], &short).is_empty());
}

#[test]
fn a_paragraph_printed_twice_is_reported_once() {
    let mut rng = Rng(7);
    let a = rng.unique_tokens(100);
    let mut b = a[10..70].to_vec();
    b.extend(rng.unique_tokens(20));
    b.extend_from_slice(&a[10..70]);
    let passages = align(&a, &b, &AlignOptions::default());
    assert_well_formed(&a, &b, &passages);
    // Disjoint on both sides: a[10..70] is matched once, against the first copy.
    assert_eq!(passages.len(), 1);
    assert_eq!(
        (passages[0].a.clone(), passages[0].b.clone()),
        (10..70, 0..60)
    );
    // Symmetric case: a has it twice, b once.
    let passages = align(&b, &a, &AlignOptions::default());
    assert_eq!(passages.len(), 1);
    assert_eq!(
        (passages[0].a.clone(), passages[0].b.clone()),
        (0..60, 10..70)
    );
}

#[test]
fn results_are_deterministic_and_independent_of_buffer_reuse() {
    let mut rng = Rng(8);
    let mut aligner = Aligner::new();
    for round in 0..20 {
        let a = rng.prose(300 + round * 20);
        let mut b = rng.prose(100);
        b.extend_from_slice(&a[50..200]);
        b.extend(rng.prose(80));
        b.extend_from_slice(&a[220..280]);
        let opts = AlignOptions::default();
        let fresh = align(&a, &b, &opts);
        assert_eq!(fresh, align(&a, &b, &opts));
        assert_eq!(fresh, aligner.align(&a, &b, &opts));
        assert_well_formed(&a, &b, &fresh);
        assert!(fresh.len() >= 2);
    }
}

#[test]
fn masked_tokens_never_match() {
    let mut rng = Rng(9);
    let mut a = rng.unique_tokens(100);
    let mut b = a.clone();
    let masked: Vec<bool> = (0..100).map(|i| (40..60).contains(&i)).collect();
    mask_tokens(&mut a, &masked);
    mask_tokens(&mut b, &masked);
    assert_eq!(unmasked_len(&a), 80);
    assert!(a[40..60].iter().all(|&h| is_masked(h)));
    // Sentinels of one sequence are all distinct.
    let mut sentinels = a[40..60].to_vec();
    sentinels.sort_unstable();
    sentinels.dedup();
    assert_eq!(sentinels.len(), 20);
    // a and b carry the *same* sentinel values at 40..60, and still do not match there.
    let passages = align(&a, &b, &AlignOptions::default());
    assert_eq!(
        passages
            .iter()
            .map(|p| (p.a.clone(), p.b.clone(), p.matched))
            .collect::<Vec<_>>(),
        vec![(0..40, 0..40, 40), (60..100, 60..100, 40)]
    );
    let cov = coverage(&passages, unmasked_len(&a), unmasked_len(&b));
    assert_eq!((cov.a, cov.b), (1.0, 1.0));
    // diff agrees.
    let ops = diff(&a, &b);
    assert_eq!(
        ops,
        vec![
            DiffOp::Equal { a: 0..40, b: 0..40 },
            DiffOp::Replace {
                a: 40..60,
                b: 40..60
            },
            DiffOp::Equal {
                a: 60..100,
                b: 60..100
            },
        ]
    );
    assert_eq!(sentinel(5), sentinel(5));
    assert!(is_masked(sentinel(usize::MAX)));
    assert!(!is_masked(a[0]));
}

/// Check that `ops` is a valid edit script from `a` to `b`; returns the equal tokens.
fn check_script(a: &[u64], b: &[u64], ops: &[DiffOp]) -> usize {
    let (mut x, mut y, mut equal) = (0, 0, 0);
    for op in ops {
        match op {
            DiffOp::Equal { a: ra, b: rb } => {
                assert_eq!((ra.start, rb.start), (x, y));
                assert_eq!(ra.len(), rb.len());
                assert!(!ra.is_empty());
                assert_eq!(&a[ra.clone()], &b[rb.clone()]);
                equal += ra.len();
                (x, y) = (ra.end, rb.end);
            }
            DiffOp::Replace { a: ra, b: rb } => {
                assert_eq!((ra.start, rb.start), (x, y));
                assert!(!(ra.is_empty() && rb.is_empty()));
                (x, y) = (ra.end, rb.end);
            }
        }
    }
    assert_eq!(
        (x, y),
        (a.len(), b.len()),
        "ops do not cover both sequences"
    );
    for w in ops.windows(2) {
        let both_equal = matches!(w, [DiffOp::Equal { .. }, DiffOp::Equal { .. }]);
        assert!(!both_equal, "consecutive Equal ops are merged");
    }
    equal
}

#[test]
fn diff_ops_concatenate_to_both_sequences() {
    let mut rng = Rng(10);
    let a = rng.prose(60);
    let mut b = a.clone();
    b[10] = rng.next(); // substitution
    b.insert(30, rng.next()); // insertion
    b.remove(45); // deletion
    let ops = diff(&a, &b);
    assert_eq!(check_script(&a, &b, &ops), 58);
    assert_eq!(
        ops[..3],
        [
            DiffOp::Equal { a: 0..10, b: 0..10 },
            DiffOp::Replace {
                a: 10..11,
                b: 10..11
            },
            DiffOp::Equal {
                a: 11..30,
                b: 11..30
            },
        ]
    );
    assert!(ops.contains(&DiffOp::Replace {
        a: 30..30,
        b: 30..31
    }));
    // Edge cases.
    assert!(diff(&[], &[]).is_empty());
    assert_eq!(diff(&a, &[]), vec![DiffOp::Replace { a: 0..60, b: 0..0 }]);
    assert_eq!(diff(&[], &a), vec![DiffOp::Replace { a: 0..0, b: 0..60 }]);
    assert_eq!(diff(&a, &a), vec![DiffOp::Equal { a: 0..60, b: 0..60 }]);
    let unrelated = rng.unique_tokens(40);
    check_script(&a, &unrelated, &diff(&a, &unrelated));
}

#[test]
fn diff_of_long_passages_is_exact_where_edits_are_light() {
    // Long enough that diff goes through seed anchors rather than one DP table.
    let mut rng = Rng(11);
    let a = rng.prose(3000);
    let mut b = a.clone();
    let mut edits = 0;
    let mut k = 7;
    while k < b.len() {
        match k % 3 {
            0 => b[k] = rng.next(),
            1 => b.insert(k, rng.next()),
            _ => {
                b.remove(k);
            }
        }
        edits += 1;
        k += 9 + rng.below(6);
    }
    let mut aligner = Aligner::new();
    let ops = aligner.diff(&a, &b);
    let equal = check_script(&a, &b, &ops);
    // Every edit costs at most one token of a.
    assert!(equal >= a.len() - edits, "{equal} < {} - {edits}", a.len());
    // Bounded work: nothing like the 9 million cells of a full table.
    assert!(aligner.stats().gap_cells < 100 * a.len());
    // Edit-free stretches come out as Equal ops with matching content.
    let long_equal = ops
        .iter()
        .filter(|op| matches!(op, DiffOp::Equal { a, .. } if a.len() >= 8))
        .count();
    assert!(long_equal > edits / 2);
    // A passage's diff finds at least the tokens align matched.
    let passages = align(&a, &b, &AlignOptions::default());
    assert_eq!(passages.len(), 1);
    let p = &passages[0];
    let inner = check_script(
        &a[p.a.clone()],
        &b[p.b.clone()],
        &diff(&a[p.a.clone()], &b[p.b.clone()]),
    );
    assert!(inner >= p.matched, "{inner} < {}", p.matched);
}

#[test]
fn long_documents_do_bounded_work() {
    let mut rng = Rng(12);
    let n = 50_000;
    let a = rng.prose(n);
    let mut b = rng.prose(5000);
    // b: an edited copy of a's middle 30 000 tokens, between unrelated text.
    let mut copy = a[10_000..40_000].to_vec();
    for k in (3..copy.len()).step_by(17) {
        copy[k] = rng.next();
    }
    b.extend(copy);
    b.extend(rng.prose(15_000));
    let opts = AlignOptions::default();
    let mut aligner = Aligner::new();
    let started = Instant::now();
    let passages = aligner.align(&a, &b, &opts);
    let elapsed = started.elapsed();
    let stats = aligner.stats();
    eprintln!("50k x 50k, 30k shared: {elapsed:?}, {stats:?}");
    assert_well_formed(&a, &b, &passages);
    let matched: usize = passages.iter().map(|p| p.matched).sum();
    assert!(matched >= 28_000, "{matched}");
    // Work bounds, independent of the machine's speed.
    let window = opts.max_gap + opts.seed_len;
    assert!(stats.anchors <= MAX_SEED_OCCURRENCES * a.len());
    assert!(stats.predecessor_checks <= stats.anchors * window * MAX_SEED_OCCURRENCES);
    // In practice far below those bounds: linear with a small constant.
    assert!(stats.anchors < 3 * n, "{stats:?}");
    assert!(stats.predecessor_checks < 40 * n, "{stats:?}");
    assert!(stats.gap_cells < 20 * n, "{stats:?}");

    // Unrelated long documents: the seeds of b are indexed and little else happens.
    let c = rng.prose(n);
    let started = Instant::now();
    let chance = aligner.align(&a, &c, &opts);
    let elapsed = started.elapsed();
    let stats = aligner.stats();
    // Among 2.5 billion position pairs of unrelated prose, a couple of chance passages
    // at the minimum length and similarity can appear (two common 3-grams a few words
    // apart); nothing longer.
    assert!(chance.len() <= 3, "{chance:?}");
    assert!(
        chance.iter().all(|p| p.a.len() < 2 * opts.min_tokens),
        "{chance:?}"
    );
    assert!(align(&rng.unique_tokens(n), &rng.unique_tokens(n), &opts).is_empty());
    eprintln!("50k x 50k unrelated: {elapsed:?}, {stats:?}");
    assert!(stats.anchors < n / 2, "{stats:?}");
    assert!(stats.gap_cells < n, "{stats:?}");

    // Degenerate text: one word repeated throughout. Its seeds are over the occurrence
    // cap, so there is no anchor at all instead of n² of them.
    let la = vec![0x1a1a_1a1a_u64; n];
    assert!(aligner.align(&la, &la, &opts).is_empty());
    assert_eq!(aligner.stats().anchors, 0);
}

/// Throughput on news-length pairs. `cargo test --release -p reprint-core --test
/// align_passages -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput_on_news_length_pairs() {
    let mut rng = Rng(13);
    let mut pairs = Vec::new();
    for _ in 0..200 {
        let len_a = 300 + rng.below(1200);
        let a = rng.prose(len_a);
        // Partial reuse: b is some unrelated text plus an edited half of a.
        let filler = 100 + rng.below(400);
        let mut b = rng.prose(filler);
        let start = rng.below(len_a / 2);
        let mut copy = a[start..start + len_a / 2].to_vec();
        for k in (4..copy.len()).step_by(12) {
            copy[k] = rng.next();
        }
        b.extend(copy);
        let filler = 100 + rng.below(400);
        b.extend(rng.prose(filler));
        pairs.push((a, b));
    }
    let unrelated: Vec<_> = (0..200)
        .map(|_| {
            let (len_a, len_b) = (300 + rng.below(1200), 300 + rng.below(1200));
            (rng.prose(len_a), rng.prose(len_b))
        })
        .collect();
    let near_duplicates: Vec<_> = (0..200)
        .map(|_| {
            let len = 300 + rng.below(1200);
            let a = rng.prose(len);
            let mut b = a.clone();
            for k in (9..len).step_by(20) {
                b[k] = rng.next();
            }
            (a, b)
        })
        .collect();
    let opts = AlignOptions::default();
    for (name, set) in [
        ("partial reuse", &pairs),
        ("near duplicates", &near_duplicates),
        ("unrelated", &unrelated),
    ] {
        let rounds = 20;
        let mut aligner = Aligner::new();
        let mut found = 0;
        let (wall, cpu) = timed(|| {
            for _ in 0..rounds {
                for (a, b) in set.iter() {
                    found += aligner.align(a, b, &opts).len();
                }
            }
        });
        let pairs = (rounds * set.len()) as f64;
        eprintln!(
            "{name}: {:.0} pairs/s of CPU time ({:.0} pairs/s wall), reused Aligner, {found} passages",
            pairs / cpu,
            pairs / wall
        );
        let mut found_again = 0;
        let (wall, cpu) = timed(|| {
            for _ in 0..rounds {
                for (a, b) in set.iter() {
                    found_again += align(a, b, &opts).len();
                }
            }
        });
        eprintln!(
            "{name}: {:.0} pairs/s of CPU time ({:.0} pairs/s wall), align()",
            pairs / cpu,
            pairs / wall
        );
        assert_eq!(found, found_again);
    }
}

/// Wall-clock and CPU seconds of `f` on this thread (CPU time from Linux's
/// `/proc/thread-self/schedstat`; wall time elsewhere). CPU time is what counts on a
/// shared machine.
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let cpu_ns = || {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
    };
    let (cpu_start, started) = (cpu_ns(), Instant::now());
    f();
    let wall = started.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_ns()) {
        (Some(start), Some(end)) => (end - start) as f64 / 1e9,
        _ => wall,
    };
    (wall, cpu)
}
