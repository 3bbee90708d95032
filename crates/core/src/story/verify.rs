//! Story verification: sentences aligned by meaning, shared facts, the logistic score
//! and the verdict (`rewrite`, `same-story`, a corroborating link or nothing).

use std::collections::{BTreeMap, HashSet};

use crate::relation::{CharSpan, Evidence, Fact, FactKind, Match, Relation, SentencePair};

use super::*;

/// A class of like figures: the kind, the count of digits ("55" and "28" are two-digit
/// numbers, "2022-02-24" an eight-digit date), and whether the value is round (an
/// integer multiple of five: "30", "200").
pub(super) type FigureClass = (FactKind, usize, bool);

/// Each class of a profile's figures with its distinct values, in a fixed order, each
/// with its first mention.
pub(super) fn figure_classes(p: &StoryProfile) -> BTreeMap<FigureClass, BTreeMap<&str, &Figure>> {
    let mut classes: BTreeMap<FigureClass, BTreeMap<&str, &Figure>> = BTreeMap::new();
    for f in &p.figures {
        let digits = f.value.bytes().filter(u8::is_ascii_digit).count();
        let round = f.kind == FactKind::Number
            && !f.value.contains('.')
            && (f.value.ends_with('0') || f.value.ends_with('5'));
        classes
            .entry((f.kind, digits, round))
            .or_default()
            .entry(f.value.as_str())
            .or_insert(f);
    }
    classes
}

/// How many values a class of figures can take, as texts use them: a year of the last
/// century or so, a day of the year (with its year), a number of so many digits. Round
/// numbers are a fifth of all numbers but make up much of what texts write (prices,
/// durations, estimates), so they count as a class of their own, and a small one.
/// Two texts holding `n` and `m` values of a class share about `n * m / size` of them
/// by chance.
pub(super) fn class_size((kind, digits, round): FigureClass) -> f32 {
    let numbers = 9.0 * 10f32.powi(digits.clamp(1, 30) as i32 - 1);
    match kind {
        FactKind::Year => 100.0,
        FactKind::Date if digits <= 4 => 366.0,
        FactKind::Date => 36_600.0,
        _ if round => numbers / 5.0,
        _ => numbers * 4.0 / 5.0,
    }
}

/// The measurements a story verdict rests on, for one pair.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryFeatures {
    /// Share of `a`'s content weight in sentences aligned with `b`.
    pub coverage_a: f32,
    /// Share of `b`'s content weight in sentences aligned with `a`.
    pub coverage_b: f32,
    /// Share of `a`'s content weight in a chain of sentences aligned in the same order
    /// in `b` (looser similarity, each counted by how close it is): a rewrite follows
    /// its source sentence by sentence, two texts on one topic touch at random points.
    /// Consecutive links of the chain may share a partner when closely aligned: a
    /// rewrite splits a long sentence in two and condenses two into one.
    pub ordered_a: f32,
    /// The same for `b`.
    pub ordered_b: f32,
    /// Mean similarity of the aligned sentence pairs.
    pub sentence_similarity: f32,
    /// Aligned sentence pairs.
    pub sentences: u32,
    /// Quotes of either side found in the other.
    pub quotes: u32,
    /// Summed rarity weight of the names both sides mention.
    pub names: f32,
    /// Dates (2 each), numbers (1) and years (half) both sides mention, each class of
    /// figures discounted by the matches chance alone would give (`n × m / class size`).
    pub figures: f32,
    /// The calibrated score in `[0, 1]`.
    pub score: f32,
}

/// What a stem both sentences hold adds to their overlap (the weighted Dice numerator):
/// the commoner reading of its weight; a compound (weight zero) meeting the real word
/// counts as that word.
#[inline]
pub(super) fn shared_weight(a: f32, b: f32) -> f32 {
    if a == 0.0 || b == 0.0 {
        a.max(b)
    } else {
        a.min(b)
    }
}

/// Best partner of each sentence of `x` in `y`: (index in `y`, similarity), found
/// through an inverted index of `y`'s stems so unrelated sentences cost nothing.
pub(super) fn best_partners(x: &StoryProfile, y: &StoryProfile) -> Vec<Option<(u32, f32)>> {
    // A sparse product: each term of a sentence of `x` adds its shared weight to every
    // sentence of `y` holding the stem, so only sentences that share something are
    // touched, once per shared term.
    let postings = &y.postings;
    let mut shared = vec![0.0f32; y.sentences.len()];
    let mut touched: Vec<u32> = Vec::new();
    x.sentences
        .iter()
        .map(|s| {
            for &(stem, wx) in x.sentence_terms(s) {
                let start = postings.partition_point(|p| p.0 < stem);
                for &(_, j, wy) in postings[start..].iter().take_while(|p| p.0 == stem) {
                    let slot = &mut shared[j as usize];
                    if *slot == 0.0 {
                        touched.push(j);
                    }
                    *slot += shared_weight(wx, wy);
                }
            }
            let mut best: Option<(u32, f32)> = None;
            for &j in &touched {
                let t = &y.sentences[j as usize];
                let total = s.weight + t.weight;
                let sim = if total > 0.0 {
                    2.0 * shared[j as usize] / total
                } else {
                    0.0
                };
                shared[j as usize] = 0.0;
                if best.is_none_or(|(bj, bs)| sim > bs || (sim == bs && j < bj)) {
                    best = Some((j, sim));
                }
            }
            touched.clear();
            best
        })
        .collect()
}

/// Whether two name keys are the same name: equal, or one edit apart when both are
/// long enough for that to be a variant rather than another word.
pub(super) fn same_name(x: &str, y: &str) -> bool {
    if x == y {
        return true;
    }
    let (lx, ly) = (x.chars().count(), y.chars().count());
    lx >= 5
        && ly >= 5
        && lx.abs_diff(ly) <= 1
        && x.chars().next() == y.chars().next()
        && strsim::damerau_levenshtein(x, y) <= 1
}

/// The logistic score of a pair's features.
///
/// The longest run of words `a` and `b` share, as (start in `a`, start in `b`, length);
/// `None` when they share none. Quadratic in the quotations' lengths, which profiles cap.
fn longest_common_run(a: &[u64], b: &[u64]) -> Option<(usize, usize, usize)> {
    let mut previous = vec![0u32; b.len() + 1];
    let mut current = vec![0u32; b.len() + 1];
    let mut best = (0usize, 0usize, 0u32);
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y { previous[j] + 1 } else { 0 };
            if current[j + 1] > best.2 {
                best = (
                    i + 1 - current[j + 1] as usize,
                    j + 1 - current[j + 1] as usize,
                    current[j + 1],
                );
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    (best.2 > 0).then_some((best.0, best.1, best.2 as usize))
}

/// What each kind of evidence is worth: sentences aligned by meaning above all, in
/// two readings (the share of the better-covered side in closely aligned sentences, and
/// both sides' shares in an order-preserving chain of looser alignments, which a
/// rewrite keeps and two texts on one topic do not); then shared dates and figures and
/// quotes, which tie independent versions of one dispatch; rare names count least,
/// since different stories on one subject share them too. The weights were fitted by
/// logistic regression on labelled pairs (Clough-Stevenson answers against their
/// sources and against `non` answers, and the seed stories; see BENCHMARKS.md) and
/// rounded, so a score of 0.5 is where a related and an unrelated pair are equally
/// likely on those sets. Those sets hold few quotations, so the quote weight was set
/// by hand above the fitted one: a quotation of three or more content words found in
/// both texts is rarely a coincidence.
pub fn score(f: &StoryFeatures) -> f32 {
    let ordered = f.ordered_a + f.ordered_b;
    let coverage = f.coverage_a.max(f.coverage_b);
    let z = -7.5
        + 5.5 * ordered
        + 8.0 * coverage
        + 1.5 * (f.quotes.min(3) as f32)
        + 1.5 * f.figures.min(4.0)
        + 0.15 * f.names.min(8.0);
    1.0 / (1.0 + (-z).exp())
}

/// Compares two profiles: the features, and the evidence (aligned sentence pairs and
/// shared facts) behind them.
pub fn compare_profiles(
    pa: &StoryProfile,
    pb: &StoryProfile,
    opts: &StoryOptions,
) -> (StoryFeatures, Vec<SentencePair>, Vec<Fact>) {
    let mut features = StoryFeatures::default();
    if pa.is_empty() || pb.is_empty() {
        return (features, Vec::new(), Vec::new());
    }
    let ab = best_partners(pa, pb);
    let ba = best_partners(pb, pa);
    let threshold = opts.min_sentence_similarity;
    let covered = |p: &StoryProfile, partners: &[Option<(u32, f32)>]| -> f32 {
        let total = p.weight();
        let aligned: f32 = p
            .sentences
            .iter()
            .zip(partners)
            .filter(|(_, m)| m.is_some_and(|m| m.1 >= threshold))
            .map(|(s, _)| s.weight)
            .sum();
        if total > 0.0 {
            (aligned / total).max(0.0)
        } else {
            0.0
        }
    };
    features.coverage_a = covered(pa, &ab);
    features.coverage_b = covered(pb, &ba);
    features.ordered_a = ordered(pa, &ab, threshold);
    features.ordered_b = ordered(pb, &ba, threshold);
    // Evidence pairs: each aligned sentence of `a` with its partner.
    let mut sentences: Vec<SentencePair> = ab
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let (j, sim) = (*m)?;
            (sim >= threshold).then(|| SentencePair {
                a: pa.sentences[i].span,
                b: pb.sentences[j as usize].span,
                similarity: sim,
            })
        })
        .collect();
    // Sentences of `b` whose best partner was not already listed.
    for (j, m) in ba.iter().enumerate() {
        if let Some((i, sim)) = *m {
            let pair = SentencePair {
                a: pa.sentences[i as usize].span,
                b: pb.sentences[j].span,
                similarity: sim,
            };
            if sim >= threshold && !sentences.iter().any(|p| p.b == pair.b) {
                sentences.push(pair);
            }
        }
    }
    sentences.sort_by_key(|p| (p.a.start, p.b.start));
    features.sentences = sentences.len() as u32;
    features.sentence_similarity = if sentences.is_empty() {
        0.0
    } else {
        sentences.iter().map(|p| p.similarity).sum::<f32>() / sentences.len() as f32
    };

    let mut facts = Vec::new();
    // Quotations both sides hold word for word: the longest run of words a quotation
    // of `a` shares with one of `b`, when it holds three content words or more (a
    // reprint that drops or edits a few words of a quote keeps the rest). The fact's
    // value is that run as `a` writes it, and each span holds its words; a reworded
    // quote is no fact a reader can check (its sentence aligns like any other).
    let mut quote_hits = 0u32;
    for qa in &pa.quotes {
        let best = pb
            .quotes
            .iter()
            .filter(|qb| (qa.bloom & qb.bloom).count_ones() >= 3)
            .filter_map(|qb| {
                let (i, j, len) = longest_common_run(&qa.words, &qb.words)?;
                let content = qa.content[i..i + len].iter().filter(|&&c| c).count();
                (content >= 3).then_some((qb, i, j, len))
            })
            .max_by(|x, y| x.3.cmp(&y.3).then(y.2.cmp(&x.2)));
        let Some((qb, i, j, len)) = best else {
            continue;
        };
        let span = |q: &super::profile::Quote, at: usize| CharSpan {
            start: q.word_spans[at].start,
            end: q.word_spans[at + len - 1].end,
        };
        let (a, b) = (span(qa, i), span(qb, j));
        // The same words quoted twice on either side are one fact.
        let duplicate = facts
            .iter()
            .any(|f: &Fact| f.kind == FactKind::Quote && (overlaps(f.a, a) || overlaps(f.b, b)));
        if duplicate {
            continue;
        }
        quote_hits += 1;
        let offset = (a.start - qa.span.start) as usize;
        facts.push(Fact {
            kind: FactKind::Quote,
            a,
            b,
            value: qa
                .text
                .chars()
                .skip(offset)
                .take((a.end - a.start) as usize)
                .collect(),
            weight: len as f32 / qa.words.len().min(qb.words.len()) as f32,
        });
    }
    features.quotes = quote_hits;

    // Names, each distinct key once: the same name, else a variant one edit apart.
    let exact_b: std::collections::HashMap<&str, &Name> =
        pb.names.iter().rev().map(|n| (n.key.as_str(), n)).collect();
    let mut seen_a: HashSet<&str> = HashSet::new();
    let mut names_weight = 0.0f32;
    for na in &pa.names {
        if !seen_a.insert(na.key.as_str()) {
            continue;
        }
        let found = exact_b
            .get(na.key.as_str())
            .copied()
            .or_else(|| pb.names.iter().find(|nb| same_name(&na.key, &nb.key)));
        if let Some(nb) = found {
            // The commoner spelling's rarity: a typo is rare, the name it stands for
            // may not be ("pemier ~ premier").
            let w = na.weight.min(nb.weight);
            names_weight += w;
            facts.push(Fact {
                kind: FactKind::Name,
                a: na.span,
                b: nb.span,
                value: if na.key == nb.key {
                    na.key.clone()
                } else {
                    format!("{} ~ {}", na.key, nb.key)
                },
                weight: w,
            });
        }
    }
    features.names = names_weight;

    // Figures, each distinct value once, discounted by the matches chance alone would
    // give: two pages of prices share some two-digit numbers whatever they are about.
    let classes_a = figure_classes(pa);
    let classes_b = figure_classes(pb);
    let mut figures = 0.0f32;
    for (class, values_a) in &classes_a {
        let Some(values_b) = classes_b.get(class) else {
            continue;
        };
        let shared: Vec<(&Figure, &Figure)> = values_a
            .iter()
            .filter_map(|(value, fa)| Some((*fa, *values_b.get(value)?)))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let expected = values_a.len() as f32 * values_b.len() as f32 / class_size(*class);
        let beyond_chance = (shared.len() as f32 - expected).max(0.0) / shared.len() as f32;
        let w = beyond_chance
            * match class.0 {
                FactKind::Year => 0.5,
                FactKind::Date => 2.0,
                _ => 1.0,
            };
        for (fa, fb) in shared {
            figures += w;
            facts.push(Fact {
                kind: fa.kind,
                a: fa.span,
                b: fb.span,
                value: fa.value.clone(),
                weight: w,
            });
        }
    }
    features.figures = figures;
    facts.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then(y.weight.total_cmp(&x.weight))
            .then(x.a.start.cmp(&y.a.start))
    });
    features.score = score(&features);
    (features, sentences, facts)
}

/// Share of each side that closely aligned sentences must cover when no quote or figure
/// is shared.
pub(super) const MIN_SIDE_COVERAGE: f32 = 0.05;

/// Closely aligned sentence pairs a link needs when no quote or figure is shared: two
/// texts explaining one thing can each put one or two sentences the same way (a
/// definition, a formula said in words); a rewrite retells more than that.
pub(super) const MIN_SENTENCES_WITHOUT_FACT: u32 = 3;

/// Closely aligned sentence pairs a link needs even with shared quotes or figures: one
/// sentence of a recap can restate another event's figure and quote.
pub(super) const MIN_SENTENCES_WITH_FACT: u32 = 2;

/// Closely aligned sentence pairs a `rewrite` needs (fewer make a `same-story` link).
pub(super) const MIN_REWRITE_SENTENCES: u32 = 3;

/// Share of the less covered side closely aligned sentences must cover for a `rewrite`.
pub(super) const MIN_REWRITE_OTHER_SIDE: f32 = 0.15;

/// Similarity below which a sentence pair is no evidence even of an ordered rewrite.
pub(super) const LOOSE_SENTENCE_SIMILARITY: f32 = 0.25;

/// Longest chain (by weight) of sentences of `p` whose partners keep their order: see
/// [`StoryFeatures::ordered_a`]. Quadratic in aligned sentences, so very long documents
/// are cut to their first `MAX_CHAIN` aligned sentences.
pub(super) fn ordered(p: &StoryProfile, partners: &[Option<(u32, f32)>], threshold: f32) -> f32 {
    const MAX_CHAIN: usize = 2000;
    let total = p.weight();
    if total <= 0.0 {
        return 0.0;
    }
    let items: Vec<(u32, f32, bool)> = p
        .sentences
        .iter()
        .zip(partners)
        .filter_map(|(s, m)| {
            let (j, sim) = (*m)?;
            // Counted in proportion to the similarity, in full from the threshold.
            let closeness = (sim / threshold.max(1e-3)).min(1.0);
            let close = sim >= threshold;
            (sim >= LOOSE_SENTENCE_SIMILARITY).then_some((j, s.weight * closeness, close))
        })
        .take(MAX_CHAIN)
        .collect();
    // Best chain weight ending at each item.
    let mut best: Vec<f32> = Vec::with_capacity(items.len());
    for (k, &(j, w, close)) in items.iter().enumerate() {
        let before = items[..k]
            .iter()
            .zip(&best)
            // A rewrite splits a long sentence in two and condenses two into one, so a
            // sentence may follow another with the same partner; only when it is closely
            // aligned, since a sentence on the topic loosely matches many.
            .filter(|((jj, _, _), _)| *jj < j || (*jj == j && close))
            .map(|(_, &b)| b)
            .fold(0.0f32, f32::max);
        best.push(before + w);
    }
    best.iter().copied().fold(0.0f32, f32::max) / total
}

pub(super) fn overlaps(x: CharSpan, y: CharSpan) -> bool {
    x.start < y.end && y.start < x.end
}

/// The relation a verdict gives: `rewrite` when aligned sentences (closely, or in an
/// ordered chain) cover at least `rewrite_coverage` of one side, `same-story`
/// otherwise; `None` below the score threshold, or when nothing but sentences ties the
/// pair and they cover under 5% of one side or are fewer than three pairs.
pub fn relation_for(features: &StoryFeatures, opts: &StoryOptions) -> Option<Relation> {
    relation_from(features, opts, opts.min_score)
}

/// The relation of a weaker link: one scored under `min_score` but from
/// `min_corroborating_score` up, which ties nothing alone and corroborates in a scan
/// (see [`crate::cluster::corroborate`]). `None` for a link at or above `min_score`.
pub fn corroborating_relation(features: &StoryFeatures, opts: &StoryOptions) -> Option<Relation> {
    if features.score >= opts.min_score {
        return None;
    }
    relation_from(features, opts, opts.min_corroborating_score)
}

/// [`relation_for`] with another score threshold.
pub(super) fn relation_from(
    features: &StoryFeatures,
    opts: &StoryOptions,
    min_score: f32,
) -> Option<Relation> {
    if features.score < min_score {
        return None;
    }
    // Evidence must reach both texts: a quote or a figure they share, or sentences
    // aligned closely with a share of each. A short text on a topic can find its few
    // sentences echoed in a long one whose own sentences it barely touches.
    let no_fact = features.quotes == 0 && features.figures == 0.0;
    if no_fact
        && (features.coverage_a.min(features.coverage_b) < MIN_SIDE_COVERAGE
            || features.sentences < MIN_SENTENCES_WITHOUT_FACT)
    {
        return None;
    }
    // Facts alone are not a story: two articles on one subject share a name, a date,
    // a book title, and a recap of another event repeats its figure and quote in one
    // sentence. A story is also told alike: two or more sentences aligned by meaning.
    if features.sentences < MIN_SENTENCES_WITH_FACT {
        return None;
    }
    let reworded = features
        .coverage_a
        .max(features.coverage_b)
        .max(features.ordered_a)
        .max(features.ordered_b);
    // A rewrite retells a text sentence by sentence: three aligned sentences at least,
    // and some of each side (a brief that echoes two sentences of a long version covers
    // itself without the long version being the brief reworded). The side share is low
    // because a rewrite may also condense: Clough-Stevenson answers rewrite a fifth of
    // their source.
    let both = features.coverage_a.min(features.coverage_b) >= MIN_REWRITE_OTHER_SIDE;
    if reworded >= opts.rewrite_coverage && both && features.sentences >= MIN_REWRITE_SENTENCES {
        Some(Relation::Rewrite)
    } else {
        Some(Relation::SameStory)
    }
}

/// Verifies a story candidate pair: a `rewrite` or `same-story` [`Match`] with its
/// evidence, or `None`. Links scoring from `min_corroborating_score` up are returned
/// (the caller keeps those under `min_score` only as corroboration).
pub fn verify_story(
    a: u32,
    pa: &StoryProfile,
    b: u32,
    pb: &StoryProfile,
    opts: &StoryOptions,
) -> Option<Match> {
    let (features, sentences, facts) = compare_profiles(pa, pb, opts);
    let kind = relation_from(
        &features,
        opts,
        opts.min_corroborating_score.min(opts.min_score),
    )?;
    let (a, b, features, sentences, facts) = if a <= b {
        (a, b, features, sentences, facts)
    } else {
        // Keep `a < b`, swapping every side-specific field.
        let swapped = StoryFeatures {
            coverage_a: features.coverage_b,
            coverage_b: features.coverage_a,
            ..features
        };
        let sentences = sentences
            .into_iter()
            .map(|p| SentencePair {
                a: p.b,
                b: p.a,
                similarity: p.similarity,
            })
            .collect();
        let facts = facts
            .into_iter()
            .map(|f| Fact {
                a: f.b,
                b: f.a,
                ..f
            })
            .collect();
        (b, a, swapped, sentences, facts)
    };
    Some(Match {
        a,
        b,
        kind,
        similarity: features.score,
        evidence: Some(Box::new(Evidence {
            coverage_a: features.coverage_a,
            coverage_b: features.coverage_b,
            passages: Vec::new(),
            sentences,
            facts,
            corroborated: false,
        })),
    })
}
