//! Behaviour of `find_repeats` and `repeat_mask` (internal repetition).

use reprint_core::align::{align, mask_tokens, AlignOptions, Aligner, MAX_SEED_OCCURRENCES};
use reprint_core::fingerprint::repeat::{find_repeats, repeat_mask, Repeat};

/// SplitMix64, as in the other alignment tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unique_tokens(&mut self, n: usize) -> Vec<u64> {
        (0..n).map(|_| self.next()).collect()
    }

    /// Text-like tokens from a small Zipf-ish vocabulary (common words recur).
    fn prose(&mut self, n: usize) -> Vec<u64> {
        (0..n)
            .map(|_| {
                // Rank r with probability ~ 1/r over 2000 words, by inverse sampling of
                // a log-uniform variable.
                let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
                let rank = (2000f64.powf(u)) as u64;
                rank.wrapping_mul(0x2545_f491_4f6c_dd1d)
            })
            .collect()
    }
}

fn assert_well_formed(hashes: &[u64], repeats: &[Repeat]) {
    for r in repeats {
        assert!(
            r.first.start < r.first.end && r.first.end <= r.copy.start,
            "{r:?}"
        );
        assert!(r.copy.end <= hashes.len(), "{r:?}");
        assert_eq!(hashes[r.first.start], hashes[r.copy.start], "{r:?}");
        assert_eq!(hashes[r.first.end - 1], hashes[r.copy.end - 1], "{r:?}");
        assert!(r.similarity > 0.0 && r.similarity <= 1.0);
    }
    for w in repeats.windows(2) {
        assert!(w[0].copy.end <= w[1].copy.start, "copies overlap: {w:?}");
    }
}

#[test]
fn a_sequence_printed_twice_is_one_repeat() {
    let mut rng = Rng(1);
    for s in [rng.unique_tokens(150), rng.prose(150)] {
        let doubled = [s.clone(), s.clone()].concat();
        let repeats = find_repeats(&doubled, &AlignOptions::default());
        assert_well_formed(&doubled, &repeats);
        assert_eq!(
            repeats,
            vec![Repeat {
                first: 0..150,
                copy: 150..300,
                similarity: 1.0
            }]
        );
        let mask = repeat_mask(&repeats, doubled.len());
        assert!(mask[..150].iter().all(|&m| !m));
        assert!(mask[150..].iter().all(|&m| m));
    }
}

#[test]
fn an_edited_copy_after_other_text_is_found() {
    let mut rng = Rng(2);
    let s = rng.prose(100);
    let mut edited = s.clone();
    edited[30] = rng.next();
    edited.remove(70);
    let x = rng.prose(80);
    let doc = [s.clone(), x, edited].concat();
    let repeats = find_repeats(&doc, &AlignOptions::default());
    assert_well_formed(&doc, &repeats);
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    let r = &repeats[0];
    assert_eq!((r.first.clone(), r.copy.clone()), (0..100, 180..279));
    assert!(r.similarity > 0.98);
    // The mask covers the copy only.
    let mask = repeat_mask(&repeats, doc.len());
    let masked: Vec<usize> = (0..doc.len()).filter(|&i| mask[i]).collect();
    assert_eq!(masked, (180..279).collect::<Vec<_>>());
}

#[test]
fn text_without_repetition_has_no_repeats() {
    let mut rng = Rng(3);
    let opts = AlignOptions::default();
    assert!(find_repeats(&rng.unique_tokens(2000), &opts).is_empty());
    // Prose repeats common words and the odd 3-gram, never a passage.
    assert!(find_repeats(&rng.prose(1500), &opts).is_empty());
    assert!(find_repeats(&[], &opts).is_empty());
    assert!(repeat_mask(&[], 10).iter().all(|&m| !m));
}

#[test]
fn sections_printed_twice_with_headings_are_all_found() {
    let mut rng = Rng(4);
    let sections: Vec<(Vec<u64>, Vec<u64>)> = [40, 25, 70, 33]
        .iter()
        .map(|&len| (rng.unique_tokens(3), rng.prose(len)))
        .collect();
    let opts = AlignOptions::default();

    // Layout 1: the whole body twice (heading, section, heading, section, ... twice).
    let body: Vec<u64> = sections
        .iter()
        .flat_map(|(h, s)| h.iter().chain(s).copied())
        .collect();
    let doc = [body.clone(), body.clone()].concat();
    let repeats = find_repeats(&doc, &opts);
    assert_well_formed(&doc, &repeats);
    let mask = repeat_mask(&repeats, doc.len());
    assert_eq!(
        mask,
        (0..doc.len()).map(|i| i >= body.len()).collect::<Vec<_>>()
    );

    // Layout 2: every section printed twice in place, the second time under a heading
    // with an extra word ("... (continued)"), separated by a fresh byline.
    let mut doc = Vec::new();
    let mut copies = Vec::new();
    for (heading, section) in &sections {
        doc.extend(heading);
        doc.extend(section);
        doc.extend(rng.unique_tokens(2));
        doc.extend(heading);
        doc.push(rng.next());
        let start = doc.len();
        doc.extend(section);
        copies.push(start..doc.len());
    }
    let repeats = find_repeats(&doc, &opts);
    assert_well_formed(&doc, &repeats);
    assert_eq!(repeats.len(), sections.len(), "{repeats:?}");
    for (r, copy) in repeats.iter().zip(&copies) {
        // Each section's copy is reported (the heading may join it when it matches).
        assert!(
            r.copy.start <= copy.start && r.copy.end == copy.end,
            "{r:?} {copy:?}"
        );
        assert!(copy.start - r.copy.start <= 4);
    }
}

#[test]
fn three_copies_mask_all_but_the_first() {
    let mut rng = Rng(5);
    let s = rng.prose(60);
    let doc = [
        s.clone(),
        rng.unique_tokens(10),
        s.clone(),
        rng.unique_tokens(10),
        s,
    ]
    .concat();
    let repeats = find_repeats(&doc, &AlignOptions::default());
    assert_well_formed(&doc, &repeats);
    let copies: Vec<_> = repeats.iter().map(|r| r.copy.clone()).collect();
    assert_eq!(copies, vec![70..130, 140..200]);
    assert!(repeats.iter().all(|r| r.first == (0..60)));
    let mask = repeat_mask(&repeats, doc.len());
    assert_eq!(mask.iter().filter(|&&m| m).count(), 120);
    assert!(mask[..70].iter().all(|&m| !m));
}

#[test]
fn periodic_text_is_cut_into_non_overlapping_periods() {
    let mut rng = Rng(6);
    // A 15-token refrain four times in a row: each later period is a copy of an earlier
    // one, and no copy overlaps its first occurrence.
    let refrain = rng.unique_tokens(15);
    let doc = refrain.repeat(4);
    let repeats = find_repeats(&doc, &AlignOptions::default());
    assert_well_formed(&doc, &repeats);
    let mask = repeat_mask(&repeats, doc.len());
    assert_eq!(mask, (0..60).map(|i| i >= 15).collect::<Vec<_>>());

    // "la la la ...": each position anchors only to the next (its seed is far over the
    // occurrence cap), so the work is linear, and the pieces are one word long: filler,
    // not a repeated passage.
    let la = vec![0x1a_u64; 10_000];
    let mut aligner = Aligner::new();
    assert!(aligner
        .find_repeats(&la, &AlignOptions::default())
        .is_empty());
    let stats = aligner.stats();
    assert!(stats.anchors <= la.len(), "{stats:?}");
    assert!(stats.predecessor_checks <= 20 * la.len(), "{stats:?}");
}

#[test]
fn a_paragraph_repeated_more_often_than_the_seed_cap_is_masked_after_the_first() {
    let mut rng = Rng(9);
    let disclaimer = rng.prose(20);
    let mut doc = Vec::new();
    let mut expected_mask = Vec::new();
    for copy in 0..(3 * MAX_SEED_OCCURRENCES) {
        let story = rng.unique_tokens(30);
        expected_mask.resize(expected_mask.len() + story.len(), false);
        doc.extend(story);
        expected_mask.resize(expected_mask.len() + disclaimer.len(), copy > 0);
        doc.extend(&disclaimer);
    }
    let repeats = find_repeats(&doc, &AlignOptions::default());
    assert_well_formed(&doc, &repeats);
    assert_eq!(repeats.len(), 3 * MAX_SEED_OCCURRENCES - 1);
    assert_eq!(repeat_mask(&repeats, doc.len()), expected_mask);
}

#[test]
fn masking_repeats_leaves_one_match_per_passage() {
    // The intended use: mask a document's internal copies, then align it.
    let mut rng = Rng(7);
    let story = rng.prose(120);
    let doc = [story.clone(), rng.unique_tokens(5), story.clone()].concat();
    let opts = AlignOptions::default();
    let mask = repeat_mask(&find_repeats(&doc, &opts), doc.len());
    let mut masked = doc.clone();
    mask_tokens(&mut masked, &mask);
    let passages = align(&story, &masked, &opts);
    assert_eq!(passages.len(), 1);
    assert_eq!(
        (passages[0].a.clone(), passages[0].b.clone()),
        (0..120, 0..120)
    );
}

#[test]
fn long_document_with_repeats_is_fast_and_bounded() {
    let mut rng = Rng(8);
    let body = rng.prose(25_000);
    let doc = [body.clone(), body].concat();
    let mut aligner = Aligner::new();
    let repeats = aligner.find_repeats(&doc, &AlignOptions::default());
    assert_well_formed(&doc, &repeats);
    let covered: usize = repeats.iter().map(|r| r.copy.len()).sum();
    assert!(covered >= 24_900, "{covered}");
    let stats = aligner.stats();
    assert!(stats.anchors < 3 * doc.len(), "{stats:?}");
    assert!(stats.predecessor_checks < 40 * doc.len(), "{stats:?}");
}
