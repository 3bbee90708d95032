//! Cross-lingual comparison of two texts (`translation` feature): their sentences
//! embedded by the multilingual encoder ([`reprint_encoder`]) and aligned by
//! [`reprint_core::align::translation`], as the JSON object `reprint compare --encoder`
//! prints. Scans do not call it yet.

use reprint_core::align::translation::{
    align_sentences, is_translation, sentences, SentenceAlignment, TranslationOptions,
};
use reprint_core::relation::SentencePair;
use reprint_encoder::{Encoder, EncoderError};
use serde_json::json;

use crate::compare::{round4, slice};

pub use reprint_encoder::Encoder as SentenceEncoder;

/// What the encoder says of a pair.
#[derive(Debug, Clone)]
pub struct TranslationReport {
    pub alignment: SentenceAlignment,
    /// The aligned sentences as character spans, with their cosines.
    pub evidence: Vec<SentencePair>,
    /// Whether the pair is a translation ([`is_translation`]).
    pub linked: bool,
}

/// Embeds the sentences of `a` and `b` and aligns them.
pub fn compare_translation(
    encoder: &Encoder,
    a: &str,
    b: &str,
) -> Result<TranslationReport, EncoderError> {
    let side = |text: &str| -> Result<_, EncoderError> {
        let cut = sentences(text);
        let pieces: Vec<&str> = cut.iter().map(|&(s, e)| &text[s..e]).collect();
        let lengths: Vec<usize> = pieces.iter().map(|p| p.chars().count()).collect();
        Ok((cut, encoder.embed_all(&pieces)?, lengths))
    };
    let (cut_a, vectors_a, lengths_a) = side(a)?;
    let (cut_b, vectors_b, lengths_b) = side(b)?;
    let alignment = align_sentences(
        &vectors_a,
        &vectors_b,
        &lengths_a,
        &lengths_b,
        &TranslationOptions::default(),
    );
    let evidence = alignment.evidence(a, &cut_a, b, &cut_b);
    Ok(TranslationReport {
        linked: is_translation(&alignment),
        alignment,
        evidence,
    })
}

/// The report as JSON: `linked`, coverage both ways and the sentence pairs with their
/// texts.
pub fn translation_json(report: &TranslationReport, a: &str, b: &str) -> serde_json::Value {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    json!({
        "linked": report.linked,
        "coverage_a": round4(report.alignment.coverage_a),
        "coverage_b": round4(report.alignment.coverage_b),
        "sentences": report.evidence.iter().map(|p| json!({
            "a": [p.a.start, p.a.end],
            "b": [p.b.start, p.b.end],
            "cosine": round4(p.similarity),
            "text_a": slice(&ca, p.a),
            "text_b": slice(&cb, p.b),
        })).collect::<Vec<_>>(),
    })
}
