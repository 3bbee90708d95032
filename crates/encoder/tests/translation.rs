//! Cross-lingual sentence alignment (`reprint_core::align::translation`) with the real
//! encoder, on team-written texts (`tests/fixtures/`): a French article, its English
//! translation, a light rewrite of the translation, and articles of the same town and
//! topic in each language that are not versions of it. Skips with a notice when the
//! model is absent.

use std::path::PathBuf;

mod common;
use common::model;

use reprint_core::align::translation::{
    align_sentences, sentences, SentenceAlignment, TranslationOptions,
};
use reprint_encoder::Encoder;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).expect("fixture")
}

fn align(encoder: &Encoder, a: &str, b: &str) -> SentenceAlignment {
    let side = |text: &str| {
        let cut = sentences(text);
        let pieces: Vec<&str> = cut.iter().map(|&(s, e)| &text[s..e]).collect();
        let lengths: Vec<usize> = pieces.iter().map(|p| p.chars().count()).collect();
        (encoder.embed_all(&pieces).expect("embeds"), lengths)
    };
    let (va, la) = side(a);
    let (vb, lb) = side(b);
    align_sentences(&va, &vb, &la, &lb, &TranslationOptions::default())
}

#[test]
fn a_translation_and_its_rewrite_align_sentence_by_sentence_and_same_topic_articles_do_not() {
    let Some(encoder) = model() else { return };
    let original = fixture("fr_original.txt");
    let cases = [
        ("en_translation.txt", true),
        ("en_rewrite.txt", true),
        ("en_same_topic.txt", false),
        ("fr_same_topic.txt", false),
    ];
    for (name, version) in cases {
        let other = fixture(name);
        let aligned = align(&encoder, &original, &other);
        eprintln!(
            "{name}: {} pairs, coverage {:.2}/{:.2}, cosines {:?}",
            aligned.pairs.len(),
            aligned.coverage_a,
            aligned.coverage_b,
            aligned
                .pairs
                .iter()
                .map(|p| (p.0, p.1, (p.2 * 1000.0).round() / 1000.0))
                .collect::<Vec<_>>()
        );
        if version {
            assert!(
                aligned.coverage_a >= 0.7 && aligned.coverage_b >= 0.7,
                "{name}: {aligned:?}"
            );
            // Aligned in order, sentence i with sentence i (the texts keep their order).
            assert!(
                aligned.pairs.iter().all(|p| p.0 == p.1),
                "{name}: {aligned:?}"
            );
        } else {
            assert!(
                aligned.coverage_a <= 0.2 && aligned.coverage_b <= 0.2,
                "{name}: {aligned:?}"
            );
        }
    }
    // Evidence spans point at the aligned sentences.
    let english = fixture("en_translation.txt");
    let aligned = align(&encoder, &original, &english);
    let evidence = aligned.evidence(
        &original,
        &sentences(&original),
        &english,
        &sentences(&english),
    );
    let chars: Vec<char> = english.chars().collect();
    let first: String = chars[evidence[0].b.start as usize..evidence[0].b.end as usize]
        .iter()
        .collect();
    assert!(first.starts_with("Valbrune city council"), "{first}");
}
