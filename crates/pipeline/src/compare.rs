//! `compare` as data: one pair's report ([`reprint_core::compare::compare`]) as the JSON
//! object `reprint compare --json` prints and the Python package returns, so the two
//! front ends give the same keys.

use reprint_core::compare::PairReport;
use reprint_core::fingerprint::analysis::Prepared;
use reprint_core::story::StoryFeatures;
use reprint_core::CharSpan;
use serde_json::json;

/// One side of a compared pair, as the report names it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// The encoding the text was decoded from (`None`: UTF-8).
    pub encoding: Option<&'static str>,
}

/// Characters of `text` in `span` (character offsets).
pub fn slice(chars: &[char], span: CharSpan) -> String {
    let end = (span.end as usize).min(chars.len());
    let start = (span.start as usize).min(end);
    chars[start..end].iter().collect()
}

pub fn report_json(a: &Side<'_>, b: &Side<'_>, report: &PairReport) -> serde_json::Value {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.text.chars().collect(), b.text.chars().collect());
    let span = |s: Option<CharSpan>| s.map(|s| json!([s.start, s.end]));
    let passages: Vec<serde_json::Value> = report
        .passages
        .iter()
        .map(|p| {
            json!({
                "a": [p.a.start, p.a.end],
                "b": [p.b.start, p.b.end],
                "words": p.words,
                "similarity": round4(p.similarity),
                "text_a": slice(&ca, p.a),
                "text_b": slice(&cb, p.b),
                "stretches": p.stretches.iter().map(|s| json!({
                    "a": span(s.a), "b": span(s.b), "equal": s.equal,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let side = |doc: &Side<'_>, prepared: &Prepared, chars: &[char]| {
        json!({
            "id": doc.id,
            "encoding": doc.encoding.unwrap_or("UTF-8"),
            "words": prepared.doc.spans.len(),
            "content_words": prepared.doc.content_tokens,
            "boilerplate": prepared.boilerplate.iter().map(|b| json!({
                "span": [b.span.start, b.span.end],
                "reason": b.reason.as_str(),
                "text": slice(chars, b.span),
            })).collect::<Vec<_>>(),
            "repeats": prepared.repeats.iter().map(|r| json!({
                "copy": [r.copy.start, r.copy.end],
                "first": [r.first.start, r.first.end],
            })).collect::<Vec<_>>(),
        })
    };
    json!({
        "relation": report.relation.map(|r| r.as_str()),
        "corroborating": report.corroborating.map(|r| r.as_str()),
        "jaccard": round4(report.jaccard),
        "coverage_a": round4(report.coverage_a),
        "coverage_b": round4(report.coverage_b),
        "a": side(a, &report.a, &ca),
        "b": side(b, &report.b, &cb),
        "passages": passages,
        "story": story_json(&report.story),
        "sentences": report.sentences.iter().map(|p| json!({
            "a": [p.a.start, p.a.end],
            "b": [p.b.start, p.b.end],
            "similarity": round4(p.similarity),
            "text_a": slice(&ca, p.a),
            "text_b": slice(&cb, p.b),
        })).collect::<Vec<_>>(),
        "facts": report.facts.iter().map(|f| json!({
            "kind": f.kind.as_str(),
            "value": f.value,
            "a": [f.a.start, f.a.end],
            "b": [f.b.start, f.b.end],
            "text_a": slice(&ca, f.a),
            "text_b": slice(&cb, f.b),
            "weight": round4(f.weight),
        })).collect::<Vec<_>>(),
    })
}

/// The story features as JSON (shared with `--pairs`).
pub fn story_json(f: &StoryFeatures) -> serde_json::Value {
    json!({
        "score": round4(f.score),
        "sentence_coverage_a": round4(f.coverage_a),
        "sentence_coverage_b": round4(f.coverage_b),
        "ordered_a": round4(f.ordered_a),
        "ordered_b": round4(f.ordered_b),
        "aligned_sentences": f.sentences,
        "sentence_similarity": round4(f.sentence_similarity),
        "quotes": f.quotes,
        "names": round4(f.names),
        "figures": round4(f.figures),
    })
}

pub fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}
