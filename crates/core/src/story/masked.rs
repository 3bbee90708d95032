//! Story evidence outside verbatim passages.
//!
//! Two independent articles that share one background paragraph, word for word, align
//! that paragraph's sentences perfectly and share the names and figures in it: on
//! sentences and facts alone they look like two versions of one story. But a shared
//! paragraph is a `passage` link, reported with its spans; whether the articles tell one
//! story must be decided by the rest of them. So when a story candidate pair also shares
//! verbatim passages, the link stands only if the two profiles, without the sentences and
//! facts that lie inside those passages ([`StoryProfile::excluding`]), still make a story
//! link at the corroborating score ([`holds_outside`]): a rewrite that kept a sentence
//! verbatim keeps its link (and its full score), two articles that share only a
//! background paragraph lose it.

use crate::relation::CharSpan;

use super::verify::{compare_profiles, relation_from};
use super::{StoryOptions, StoryProfile};

/// Whether `pa` and `pb` still make a story link (from the corroborating score up)
/// without what lies inside the verbatim passages they share (`spans_a`, `spans_b`).
pub fn holds_outside(
    pa: &StoryProfile,
    spans_a: &[CharSpan],
    pb: &StoryProfile,
    spans_b: &[CharSpan],
    opts: &StoryOptions,
) -> bool {
    let (features, _, _) = compare_profiles(&pa.excluding(spans_a), &pb.excluding(spans_b), opts);
    relation_from(
        &features,
        opts,
        opts.min_corroborating_score.min(opts.min_score),
    )
    .is_some()
}

/// Share of a sentence inside verbatim passages from which it is left out.
const INSIDE: f32 = 0.5;

fn inside(span: CharSpan, masked: &[CharSpan]) -> bool {
    let len = span.end.saturating_sub(span.start);
    if len == 0 {
        return false;
    }
    let covered: u32 = masked
        .iter()
        .map(|m| span.end.min(m.end).saturating_sub(span.start.max(m.start)))
        .sum();
    covered as f32 >= INSIDE * len as f32
}

impl StoryProfile {
    /// The profile without the sentences, quotes, names and figures at least half inside
    /// `masked` (character spans, e.g. the verbatim passages the document shares with the
    /// one it is compared to).
    pub fn excluding(&self, masked: &[CharSpan]) -> StoryProfile {
        if masked.is_empty() {
            return self.clone();
        }
        let mut out = StoryProfile::default();
        for s in &self.sentences {
            if inside(s.span, masked) {
                continue;
            }
            let start = out.terms.len() as u32;
            out.terms.extend_from_slice(self.sentence_terms(s));
            let mut kept = s.clone();
            kept.terms = start..out.terms.len() as u32;
            out.sentences.push(kept);
        }
        out.index_postings();
        out.quotes = self
            .quotes
            .iter()
            .filter(|q| !inside(q.span, masked))
            .cloned()
            .collect();
        out.names = self
            .names
            .iter()
            .filter(|x| !inside(x.span, masked))
            .cloned()
            .collect();
        out.figures = self
            .figures
            .iter()
            .filter(|x| !inside(x.span, masked))
            .cloned()
            .collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_half_inside_are_masked() {
        let m = [CharSpan { start: 10, end: 20 }];
        assert!(inside(CharSpan { start: 10, end: 20 }, &m));
        assert!(inside(CharSpan { start: 5, end: 20 }, &m));
        assert!(!inside(CharSpan { start: 0, end: 14 }, &m));
        assert!(!inside(CharSpan { start: 30, end: 40 }, &m));
        assert!(!inside(CharSpan { start: 3, end: 3 }, &m));
    }
}
