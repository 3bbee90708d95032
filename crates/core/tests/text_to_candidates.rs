//! The per-document path end to end: text -> tokens -> shingles -> signature -> LSH
//! candidates, on texts written for this test. Checks that typography-only copies are
//! identical at every stage, that a lightly edited copy is a candidate whose estimated
//! similarity tracks the true shingle Jaccard, and that unrelated texts are not.

use std::collections::HashSet;

use reprint_core::candidates::lsh::{banding_for, candidate_pairs};
use reprint_core::fingerprint::minhash::{jaccard, MinHasher, Signature};
use reprint_core::fingerprint::shingle::shingles;
use reprint_core::normalise::text::{normalized_words, tokenize, TextOptions};

const ORIGINAL: &str = "The town council met on Tuesday evening to discuss the future of \
the old railway bridge, which has been closed to traffic since the spring floods damaged \
two of its supports. Engineers told the meeting that repairs would take at least eight \
months and cost more than the council had set aside for all road works this year. Several \
residents spoke in favour of replacing the bridge with a lighter footbridge, arguing that \
the detour through the industrial estate had added twenty minutes to the school run. The \
mayor promised a decision before the end of the month and asked the regional government \
for an emergency grant. A petition signed by nearly three thousand people was handed to \
the clerk at the close of the session, and the council agreed to publish the engineers' \
full report on its website next week.";

/// The same article as reprinted elsewhere: other quotes, dashes, spacing and case.
const RETYPED: &str = "THE TOWN COUNCIL met on Tuesday evening — to discuss the future of \
the “old railway bridge”, which has been closed to traffic since the spring floods \
damaged two of its supports…  Engineers told the meeting that repairs would take at \
least eight months and cost more than the council had set aside for all road works this \
year!\n\nSeveral residents spoke in favour of replacing the bridge with a lighter \
footbridge; arguing that the detour through the industrial estate had added twenty \
minutes to the school run. The mayor promised a decision before the end of the month, \
and asked the regional government for an emergency grant. A petition signed by nearly \
three thousand people was handed to the clerk at the close of the session — and the \
council agreed to publish the engineers’ full report on its website next week.";

/// A lightly edited version: a few words changed, one sentence dropped.
const EDITED: &str = "The town council met on Tuesday night to discuss the future of \
the old railway bridge, which has been closed to traffic since the spring floods damaged \
two of its supports. Engineers told the meeting that repairs would take at least nine \
months and cost more than the council had set aside for all road works this year. Several \
residents spoke in favour of replacing the bridge with a lighter footbridge, arguing that \
the detour through the industrial estate had added twenty minutes to the school run. The \
mayor promised a decision before the end of the month and asked the regional government \
for an emergency grant. A petition signed by nearly three thousand people was handed to \
the clerk at the close of the session.";

const UNRELATED: &str = "Heavy snow is expected across the northern valleys this weekend, \
and the weather service has advised drivers to carry chains and to avoid the mountain \
passes after dark. Ski resorts welcomed the forecast after a mild December left many \
slopes bare, while farmers worried about livestock still grazing on the higher pastures. \
Schools in three districts will decide on Sunday whether to open on Monday morning.";

const N: usize = 5;
const K: usize = 128;

fn signature_of(text: &str, hasher: &MinHasher) -> (Vec<u64>, Signature) {
    let mut tokens = Vec::new();
    tokenize(text, &TextOptions::default(), &mut tokens);
    let mut shingle_hashes = Vec::new();
    shingles(&tokens, N, &mut shingle_hashes);
    let signature = hasher.signature(&shingle_hashes);
    (shingle_hashes, signature)
}

fn true_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let a: HashSet<u64> = a.iter().copied().collect();
    let b: HashSet<u64> = b.iter().copied().collect();
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

#[test]
fn typography_only_copies_are_identical_at_every_stage() {
    let opts = TextOptions::default();
    assert_eq!(
        normalized_words(ORIGINAL, &opts),
        normalized_words(RETYPED, &opts)
    );
    let hasher = MinHasher::new(K);
    let (shingles_a, signature_a) = signature_of(ORIGINAL, &hasher);
    let (shingles_b, signature_b) = signature_of(RETYPED, &hasher);
    assert_eq!(shingles_a, shingles_b);
    assert_eq!(signature_a, signature_b);
    assert_eq!(jaccard(&signature_a, &signature_b), 1.0);
}

#[test]
fn edited_copy_is_a_candidate_and_unrelated_text_is_not() {
    let hasher = MinHasher::new(K);
    let (shingles_original, original) = signature_of(ORIGINAL, &hasher);
    let (shingles_edited, edited) = signature_of(EDITED, &hasher);
    let (_, unrelated) = signature_of(UNRELATED, &hasher);

    let truth = true_jaccard(&shingles_original, &shingles_edited);
    assert!((0.6..0.9).contains(&truth), "fixture drifted: {truth}");
    let estimate = jaccard(&original, &edited);
    // 4.5 standard deviations of a k = 128 estimate (sqrt(J(1-J)/k) <= 0.044).
    assert!((estimate - truth).abs() < 0.2, "{estimate} vs {truth}");
    assert!(jaccard(&original, &unrelated) < 0.05);

    let banding = banding_for(K, 0.5);
    let signatures = [Some(&original), Some(&unrelated), None, Some(&edited)];
    assert_eq!(candidate_pairs(&signatures, banding), [(0, 3)]);
}
