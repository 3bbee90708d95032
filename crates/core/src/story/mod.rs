//! Rewrites and same-story links: documents that tell the same story in other words.
//!
//! A machine paraphrase, a spun copy or a human rewrite shares few word sequences with
//! its source, so neither MinHash nor passage alignment sees it. What survives rewording
//! is the content: the same sentences say the same things with mostly the same content
//! words (stemmed, in any order), and the story keeps its facts: quotes, names, dates
//! and figures. Two different stories on one subject share vocabulary and a few names,
//! but not sentences and not facts. This module measures both, in three steps:
//!
//! 1. **Candidates** (`keys.rs`, [`story_candidates`]): in pass 1 each document keeps the distinct
//!    keys of its content words ([`story_keys`]). Each document then probes the postings
//!    of its `keys_per_doc` rarest informative keys (document frequency between 2 and
//!    `max_df`; a key is uninformative when every other document holding it already
//!    shares many probed keys, as a document's own copies do, so its copies do not use
//!    up the budget that should find the independent versions of its story), and pairs
//!    sharing at least `min_shared_keys` of them, best first, become candidates: no
//!    all-pairs comparison, and the work per document is bounded by
//!    `4 · keys_per_doc · max_df`.
//! 2. **Profiles** (`profile.rs`, [`StoryProfiler::profile`], pass 2): sentences as sets of weighted
//!    stems (Snowball stemmers, British English stemmed as American, function words
//!    dropped, weights from corpus rarity),
//!    quotes («…», "…", “…”), capitalised names, numbers and dates, all outside
//!    boilerplate and internal repetition.
//! 3. **Verification** (`verify.rs`, [`compare_profiles`], [`verify_story`]): each sentence is paired
//!    with its most similar sentence on the other side (weighted Dice over stems, any
//!    order, so reordering and grammar changes do not matter); aligned sentences give
//!    the coverage of each document by the other. A quotation is matched with the other side's
//!    quotation it shares the longest run of words with (three content words or more;
//!    a reworded quote is no checkable fact, its sentence aligns like any other), names fuzzily (one edit apart, so a transcription
//!    or spelling variant still matches), numbers and dates exactly. A logistic score
//!    over these features is the match's similarity; a pair whose sentences cover one
//!    side is a `rewrite`, a pair held together mainly by facts a `same-story`.

use std::sync::Arc;

use crate::normalise::lexicon::{stop_word_languages, vote_language, HashKeyed};
use crate::normalise::text::{TextOptions, Token};

/// Options of the story stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryOptions {
    /// Keys in more documents than this are too common to pair documents on.
    pub max_df: u32,
    /// Rarest keys each document probes.
    pub keys_per_doc: usize,
    /// Probed keys a pair must share to become a candidate.
    pub min_shared_keys: u32,
    /// Best candidates kept per probing document.
    pub max_candidates_per_doc: usize,
    /// Weighted-Dice similarity at which two sentences say the same thing.
    pub min_sentence_similarity: f32,
    /// Score (probability-like, in `[0, 1]`) at which a candidate is a match.
    pub min_score: f32,
    /// Score from which a link below `min_score` still counts as corroborating evidence:
    /// a document left alone joins a cluster when such links to two or more of its
    /// versions together reach `min_score` (see [`crate::cluster::corroborate`]).
    /// Texts that only share a topic stay under it: `non` answers of Clough-Stevenson
    /// against their task's source and every answer derived from it score 0.15 at most.
    pub min_corroborating_score: f32,
    /// Sentence coverage of one side above which a match is a `rewrite` rather than a
    /// `same-story`.
    pub rewrite_coverage: f32,
}

impl Default for StoryOptions {
    fn default() -> Self {
        StoryOptions {
            max_df: 100,
            keys_per_doc: 24,
            min_shared_keys: 4,
            max_candidates_per_doc: 16,
            min_sentence_similarity: 0.4,
            min_score: 0.5,
            min_corroborating_score: 0.2,
            rewrite_coverage: 0.5,
        }
    }
}

/// Function words, as token hashes (of tokens normalised with the analyzer's options).
#[derive(Debug, Clone)]
pub struct StopWords {
    /// Function word -> languages whose list holds it (bits).
    languages: Arc<HashKeyed<u32>>,
}

impl StopWords {
    pub fn new(opts: &TextOptions) -> Self {
        StopWords {
            languages: Arc::new(stop_word_languages(opts)),
        }
    }

    #[inline]
    pub fn contains(&self, hash: u64) -> bool {
        self.languages.contains_key(&hash)
    }

    /// The language (ISO 639-1) whose function words `tokens` use most.
    pub fn language(&self, tokens: &[Token]) -> Option<&'static str> {
        vote_language(
            tokens
                .iter()
                .filter_map(|t| self.languages.get(&t.hash).copied()),
        )
    }
}

mod keys;
mod masked;
mod profile;
pub(crate) use profile::sentence_token_ranges;
mod verify;

pub use keys::*;
pub use masked::holds_outside;
pub use profile::*;
pub use verify::*;

#[cfg(test)]
mod tests {
    use super::keys::*;
    use super::profile::*;
    use super::verify::*;
    use super::*;
    use crate::normalise::text::TextOptions;
    use crate::relation::{CharSpan, FactKind, Relation};

    use crate::normalise::text::tokenize;

    /// Each text's story keys, with the default options.
    fn keys_of(texts: &[&str], stops: &StopWords) -> Vec<Vec<u32>> {
        let opts = TextOptions::default();
        texts
            .iter()
            .map(|t| {
                let mut tokens = Vec::new();
                tokenize(t, &opts, &mut tokens);
                story_keys(t, &tokens, stops)
            })
            .collect()
    }

    fn profiles(texts: &[&str]) -> Vec<StoryProfile> {
        let opts = TextOptions::default();
        let stops = StopWords::new(&opts);
        let keys = keys_of(texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let index = StoryIndex::build(&refs);
        let profiler = StoryProfiler::new(stops);
        texts
            .iter()
            .map(|t| {
                let mut tokens = Vec::new();
                tokenize(t, &opts, &mut tokens);
                let masked = vec![false; tokens.len()];
                profiler.profile(t, &tokens, &masked, &index)
            })
            .collect()
    }

    const ORIGINAL: &str = "The harbour authority of Velmora closed the northern pier on \
        Tuesday after inspectors found deep cracks in its concrete pillars. Engineers \
        estimate that repairs will cost 4 300 000 euros and take eleven months. Fishing \
        crews must now unload their catch at the older southern quay, which is smaller \
        and often crowded. \"We cannot wait a whole season for a decision,\" said Marta \
        Quennell, who leads the local fishermen's cooperative. The mayor promised to \
        publish a timetable for the works before the end of March.";

    /// The same story reworded: synonyms, other grammar, sentences in another order.
    const REWRITE: &str = "Inspectors discovered deep cracks in the concrete pillars of \
        the northern pier, so the Velmora harbour authority shut it on Tuesday. Fishing \
        crews now have to unload catches at the smaller southern quay, an older dock that \
        is often crowded. According to engineers, the repairs should take eleven months \
        and cost 4 300 000 euros. Before the end of March, the mayor pledged, a timetable \
        for the works will be published. Marta Quennell, head of the fishermen's local \
        cooperative, warned: \"We cannot wait a whole season for a decision.\"";

    /// Another story on the same subject: the same town and harbour words, not the
    /// same facts.
    const OTHER_STORY: &str = "Velmora's harbour will host a sailing regatta next \
        summer, the tourism office announced. Around 60 boats are expected at the \
        southern quay, and local restaurants hope for a busy season. The organisers \
        said the northern side of the port would stay open to visitors during the race \
        weekend, with guided walks along the old fishing docks.";

    /// An independent version of the first story: few shared sentences, but the quote,
    /// the name and the figures.
    const SAME_STORY: &str = "Fishermen in Velmora are angry. Since the northern pier was \
        declared unsafe, boats queue for hours at the other end of the port. \"We cannot \
        wait a whole season for a decision,\" Marta Quenell told reporters, standing next \
        to her trawler. The bill for the works is put at 4 300 000 euros. Crews unload \
        their catch at the crowded southern quay, which is older. City officials did not \
        answer questions about the schedule.";

    #[test]
    fn a_reworded_text_is_a_rewrite_and_another_story_is_nothing() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let opts = StoryOptions::default();
        let (f, sentences, facts) = compare_profiles(&p[0], &p[1], &opts);
        assert_eq!(relation_for(&f, &opts), Some(Relation::Rewrite), "{f:?}");
        assert!(f.coverage_a >= 0.6 && f.coverage_b >= 0.6, "{f:?}");
        assert!(sentences.len() >= 4, "{sentences:?}");
        assert!(facts.iter().any(|x| x.kind == FactKind::Quote), "{facts:?}");
        assert!(facts
            .iter()
            .any(|x| x.kind == FactKind::Number && x.value == "4300000"));

        let (f, _, _) = compare_profiles(&p[0], &p[2], &opts);
        assert_eq!(relation_for(&f, &opts), None, "{f:?}");
        assert!(f.score < 0.2, "{f:?}");
    }

    #[test]
    fn an_independent_version_is_the_same_story_with_its_facts() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let opts = StoryOptions::default();
        let (f, _, facts) = compare_profiles(&p[0], &p[3], &opts);
        assert_eq!(relation_for(&f, &opts), Some(Relation::SameStory), "{f:?}");
        assert_eq!(f.quotes, 1, "{facts:?}");
        // "Quennell" and "Quenell": one spelling variant apart, weighed by the commoner
        // spelling's rarity (a typo is rare; the name it stands for may not be).
        let variant = facts
            .iter()
            .find(|x| x.kind == FactKind::Name && x.value == "quennell ~ quenell")
            .expect("the variant is a fact");
        let weight = |p: &StoryProfile, key: &str| {
            p.names
                .iter()
                .find(|n| n.key == key)
                .map(|n| n.weight)
                .unwrap()
        };
        let (wa, wb) = (weight(&p[0], "quennell"), weight(&p[3], "quenell"));
        assert_eq!(variant.weight, wa.min(wb));
        // Spans point at the facts in both texts.
        let chars = |t: &str, s: CharSpan| -> String {
            t.chars()
                .skip(s.start as usize)
                .take((s.end - s.start) as usize)
                .collect()
        };
        let quote = facts.iter().find(|x| x.kind == FactKind::Quote).unwrap();
        assert!(chars(ORIGINAL, quote.a).contains("whole season"));
        assert!(chars(SAME_STORY, quote.b).contains("whole season"));
    }

    #[test]
    fn a_quote_fact_is_the_same_words_in_both_texts_at_its_spans() {
        let chars = |t: &str, s: CharSpan| -> String {
            t.chars()
                .skip(s.start as usize)
                .take((s.end - s.start) as usize)
                .collect()
        };
        let a = "Le syndicat maintient son appel. « Nous ne céderons rien sur les salaires \
            des agents », a déclaré Inès Varlan mardi. Plus tard, elle a répété : « Nous ne \
            céderons rien sur les salaires des agents. »";
        // Quoted inside a longer quotation, with other quotation marks.
        let b = "Inès Varlan a prévenu : \"Ce sera non. Nous ne céderons rien sur les \
            salaires des agents, et la grève continuera\", a-t-elle dit mardi.";
        // The same quotation reworded.
        let c = "Inès Varlan a prévenu mardi : « Nous ne lâcherons rien sur les \
            rémunérations des agents. »";
        let p = profiles(&[a, b, c]);
        let opts = StoryOptions::default();
        let (f, _, facts) = compare_profiles(&p[0], &p[1], &opts);
        let quotes: Vec<&crate::relation::Fact> =
            facts.iter().filter(|x| x.kind == FactKind::Quote).collect();
        // Quoted twice in `a`: one fact.
        assert_eq!((f.quotes, quotes.len()), (1, 1), "{facts:?}");
        let q = quotes[0];
        assert_eq!(q.value, "Nous ne céderons rien sur les salaires des agents");
        assert_eq!(chars(a, q.a), q.value);
        assert_eq!(chars(b, q.b), q.value);
        let (f, _, facts) = compare_profiles(&p[0], &p[2], &opts);
        assert_eq!(f.quotes, 0, "{facts:?}");
        assert!(
            !facts.iter().any(|x| x.kind == FactKind::Quote),
            "{facts:?}"
        );
    }

    #[test]
    fn verdicts_do_not_depend_on_argument_order() {
        let p = profiles(&[ORIGINAL, REWRITE]);
        let opts = StoryOptions::default();
        let forward = verify_story(0, &p[0], 1, &p[1], &opts).unwrap();
        let backward = verify_story(1, &p[1], 0, &p[0], &opts).unwrap();
        assert_eq!((forward.a, forward.b), (0, 1));
        assert_eq!((backward.a, backward.b), (0, 1));
        assert_eq!(forward.kind, backward.kind);
        let (ef, eb) = (forward.evidence.unwrap(), backward.evidence.unwrap());
        assert!((ef.coverage_a - eb.coverage_a).abs() < 0.05);
        assert!(eb
            .sentences
            .iter()
            .all(|s| s.a.end <= ORIGINAL.chars().count() as u32));
    }

    #[test]
    fn links_under_the_match_score_are_kept_from_the_corroborating_score() {
        let p = profiles(&[ORIGINAL, REWRITE, OTHER_STORY, SAME_STORY]);
        let defaults = StoryOptions::default();
        let (f, _, _) = compare_profiles(&p[0], &p[3], &defaults);
        // The same pair, judged against a match score above its own: a weak link,
        // returned when its score reaches the corroborating score, not below.
        let opts = StoryOptions {
            min_score: f.score + 0.1,
            min_corroborating_score: f.score - 0.1,
            ..defaults.clone()
        };
        assert_eq!(relation_for(&f, &opts), None);
        assert_eq!(corroborating_relation(&f, &opts), Some(Relation::SameStory));
        assert_eq!(
            corroborating_relation(&f, &defaults),
            None,
            "a link, not a weak one"
        );
        let weak = verify_story(0, &p[0], 3, &p[3], &opts).expect("a weak link");
        assert_eq!(weak.kind, Relation::SameStory);
        assert!(weak.similarity < opts.min_score);
        let evidence = weak.evidence.expect("evidence");
        assert!(
            !evidence.corroborated,
            "corroboration is decided by clustering"
        );
        assert!(!evidence.facts.is_empty());
        let opts = StoryOptions {
            min_corroborating_score: f.score + 0.05,
            ..opts
        };
        assert!(verify_story(0, &p[0], 3, &p[3], &opts).is_none());
        assert_eq!(corroborating_relation(&f, &opts), None);
        // A corroborating score above the match score does not lift the match score.
        let opts = StoryOptions {
            min_corroborating_score: 0.9,
            ..defaults
        };
        assert!(verify_story(0, &p[0], 3, &p[3], &opts).is_some());
    }

    #[test]
    fn copies_do_not_use_up_the_keys_that_find_independent_versions() {
        // Documents 0 and 1 are one text (1 holds all of 0's words), 2 and 3 another;
        // 0 and 2 are independent versions of one story sharing 41 words, each of
        // which is also in the other's copy. Every document's rarest words are the
        // ones only its copy shares.
        let text_a: Vec<u32> = (1..=100).collect();
        let mut text_b: Vec<u32> = (200..260).collect();
        text_b.extend(60..=100);
        text_b.sort_unstable();
        let docs: Vec<Option<&[u32]>> =
            vec![Some(&text_a), Some(&text_a), Some(&text_b), Some(&text_b)];
        let (_, pairs) = story_candidates(&docs, &StoryOptions::default());
        assert!(
            pairs.contains(&(0, 1)) && pairs.contains(&(2, 3)),
            "{pairs:?}"
        );
        assert!(pairs.contains(&(0, 2)), "{pairs:?}");
    }

    #[test]
    fn sentences_alone_need_three_pairs_and_a_rewrite_some_of_each_side() {
        let opts = StoryOptions::default();
        let mut features = StoryFeatures {
            coverage_a: 0.6,
            coverage_b: 0.5,
            ordered_a: 0.6,
            ordered_b: 0.5,
            sentence_similarity: 0.6,
            sentences: 2,
            ..StoryFeatures::default()
        };
        features.score = score(&features);
        assert!(features.score >= opts.min_score);
        assert_eq!(relation_for(&features, &opts), None);
        features.sentences = 3;
        assert_eq!(relation_for(&features, &opts), Some(Relation::Rewrite));
        // Three sentences covering little of one side: a brief echoing a long version.
        features.coverage_b = 0.1;
        features.ordered_b = 0.1;
        features.score = score(&features);
        assert!(features.score >= opts.min_score);
        assert_eq!(relation_for(&features, &opts), Some(Relation::SameStory));
        features.coverage_b = 0.5;
        features.ordered_b = 0.5;
        // A shared figure is evidence of its own.
        features.sentences = 2;
        features.figures = 1.0;
        features.score = score(&features);
        assert_eq!(relation_for(&features, &opts), Some(Relation::SameStory));
    }

    #[test]
    fn facts_alone_are_not_a_story() {
        let opts = StoryOptions::default();
        // A quote, a figure and names, but one aligned sentence or none: two articles on
        // one subject, or a recap of another event.
        let mut features = StoryFeatures {
            coverage_a: 0.15,
            coverage_b: 0.1,
            ordered_a: 0.3,
            ordered_b: 0.25,
            sentence_similarity: 0.5,
            quotes: 1,
            figures: 2.0,
            names: 6.0,
            sentences: 1,
            ..StoryFeatures::default()
        };
        features.score = score(&features);
        assert!(features.score >= opts.min_score, "{features:?}");
        assert_eq!(relation_for(&features, &opts), None);
        features.sentences = 0;
        assert_eq!(relation_for(&features, &opts), None);
        features.sentences = 2;
        assert_eq!(relation_for(&features, &opts), Some(Relation::SameStory));
    }

    #[test]
    fn sentences_end_at_full_stops_glued_to_the_next_word() {
        let split = |text: &str| -> Vec<String> {
            let profile = &profiles(&[text, "autre chose"])[0];
            profile
                .sentences
                .iter()
                .map(|s| {
                    text.chars()
                        .skip(s.span.start as usize)
                        .take((s.span.end - s.span.start) as usize)
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            split("Inheritance is a useful tool.categorization is a powerful feature.It helps programmers daily."),
            [
                "Inheritance is a useful tool",
                "categorization is a powerful feature",
                "It helps programmers daily"
            ]
        );
        // Addresses and short abbreviations stay whole.
        assert_eq!(
            split("Read it on www.example.com/page and mail news.desk@example.org, e.g. today."),
            ["Read it on www.example.com/page and mail news.desk@example.org, e.g. today"]
        );
        // A number with a dot between its digit groups is one number, whatever the
        // locale: "51.400" (thousands), "3.5" (a decimal), "1.234.567".
        assert_eq!(
            split("Ils étaient 51.400 à Paris selon la police. Le cortège comptait 1.234.567 pas."),
            [
                "Ils étaient 51.400 à Paris selon la police",
                "Le cortège comptait 1.234.567 pas"
            ]
        );
    }

    #[test]
    fn ordered_chains_take_split_sentences_but_not_loose_repeats() {
        // Sentences of weight 1 and their partners (index, similarity) on the other side.
        let chain = |partners: &[(u32, f32)]| -> f32 {
            let p = StoryProfile {
                sentences: partners
                    .iter()
                    .map(|_| Sentence {
                        span: CharSpan { start: 0, end: 0 },
                        terms: 0..0,
                        weight: 1.0,
                    })
                    .collect(),
                ..StoryProfile::default()
            };
            let partners: Vec<Option<(u32, f32)>> = partners.iter().map(|&m| Some(m)).collect();
            ordered(&p, &partners, 0.4)
        };
        // The second source sentence split in two, both pieces close: all four count.
        assert!((chain(&[(0, 0.6), (1, 0.5), (1, 0.5), (2, 0.6)]) - 1.0).abs() < 1e-6);
        // Three loose echoes of one sentence count once (at 0.3 / 0.4 of their weight).
        let loose = chain(&[(0, 0.6), (1, 0.3), (1, 0.3), (1, 0.3), (2, 0.6)]);
        assert!((loose - 2.75 / 5.0).abs() < 1e-6, "{loose}");
        // Reversed order is no chain.
        assert!((chain(&[(2, 0.6), (1, 0.6), (0, 0.6)]) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn numbers_are_read_whole_in_each_convention() {
        let v = |groups: &[&str], seps: &[&str]| number_value(groups, seps);
        // Thousands, by space, comma or full stop.
        assert_eq!(v(&["300", "000"], &[" "]).as_deref(), Some("300000"));
        assert_eq!(v(&["2", "500"], &[","]).as_deref(), Some("2500"));
        assert_eq!(v(&["2", "500"], &["."]).as_deref(), Some("2500"));
        // Decimals, with a full stop or a comma, and both marks together.
        assert_eq!(v(&["27", "2"], &["."]).as_deref(), Some("27.2"));
        assert_eq!(v(&["27", "2"], &[","]).as_deref(), Some("27.2"));
        assert_eq!(
            v(&["1", "234", "56"], &[",", "."]).as_deref(),
            Some("1234.56")
        );
        assert_eq!(
            v(&["1", "234", "56"], &[".", ","]).as_deref(),
            Some("1234.56")
        );
        assert_eq!(v(&["2", "50"], &["."]).as_deref(), Some("2.5"));
        // Versions and dates written with full stops are not numbers.
        assert_eq!(v(&["10", "2", "3"], &[".", "."]), None);
        assert_eq!(v(&["20", "11", "2019"], &[".", "."]), None);
    }

    #[test]
    fn decimals_are_one_figure_not_two() {
        let p = profiles(&[
            "Shares closed at 225.86 after revenue rose to $27.2 billion, or 27,2 milliards.",
            "The index gained 86 points while 27 firms reported.",
        ]);
        let values: Vec<&str> = p[0].figures.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["225.86", "27.2", "27.2"], "{values:?}");
        // Nothing of the first is in the second: "86" and "27" were pieces of decimals.
        let (f, _, facts) = compare_profiles(&p[0], &p[1], &StoryOptions::default());
        assert_eq!(f.figures, 0.0, "{facts:?}");
    }

    #[test]
    fn figures_count_beyond_what_chance_would_share() {
        // Two short reports sharing their three small numbers: full weight.
        let few = profiles(&[
            "The 55 year old hunter fell ill after 28 hours; 12 contacts were isolated.",
            "A hunter, 55, was ill within 28 hours and 12 contacts were isolated.",
        ]);
        let (f_few, _, _) = compare_profiles(&few[0], &few[1], &StoryOptions::default());
        assert!(f_few.figures > 2.8 && f_few.figures <= 3.0, "{f_few:?}");
        // Two price lists holding many two-digit numbers share three by chance.
        let list = |from: u32, step: u32| -> String {
            (0..30)
                .map(|k| {
                    format!(
                        "Item {} costs {} dollars.",
                        k + 1,
                        11 + (from + k * step) % 88
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (a, b) = (list(0, 3), list(1, 7));
        let many = profiles(&[a.as_str(), b.as_str()]);
        let (f_many, _, facts) = compare_profiles(&many[0], &many[1], &StoryOptions::default());
        let shared = facts.iter().filter(|x| x.kind == FactKind::Number).count();
        assert!(shared >= 3, "{facts:?}");
        assert!(
            f_many.figures < 0.5 * shared as f32,
            "{f_many:?} over {shared} shared"
        );
        // Round numbers are commoner still: three shared among a dozen count little.
        let rounds = profiles(&[
            "Deals: 10, 20, 30, 40, 50, 60, 70, 80, 90, 15, 25, 35 dollars off.",
            "Offers: 10, 20, 30, 45, 55, 65, 75, 85, 95, 100, 200, 300 dollars off.",
        ]);
        let (f_round, _, _) = compare_profiles(&rounds[0], &rounds[1], &StoryOptions::default());
        assert!(f_round.figures < 1.0, "{f_round:?}");
    }

    #[test]
    fn figures_dates_and_names_are_read_in_several_forms() {
        let p = profiles(&[
            "It began on 24 February 2022, when 300 000 reservists were called. Officials \
             in Brussels said so.",
            "It began on February 24, 2022, when 300\u{a0}000 reservists were called.",
            "Le 24 février 2022, 300 000 réservistes ont été appelés.",
        ]);
        let values = |q: &StoryProfile| -> Vec<String> {
            q.figures
                .iter()
                .map(|f| f.value.clone())
                .collect::<Vec<_>>()
        };
        for q in &p {
            let v = values(q);
            assert!(v.contains(&"2022-02-24".to_string()), "{v:?}");
            assert!(v.contains(&"300000".to_string()), "{v:?}");
        }
        // "It" opens a sentence: not a name; "Brussels" is one.
        let names: Vec<&str> = p[0].names.iter().map(|n| n.key.as_str()).collect();
        assert!(names.contains(&"brussels"), "{names:?}");
        assert!(!names.contains(&"it"), "{names:?}");
    }

    #[test]
    fn evidence_must_reach_both_texts() {
        let opts = StoryOptions::default();
        // A short text whose sentences are all echoed in a long one that it barely
        // covers: a high score, but nothing ties the long text to it.
        let mut f = StoryFeatures {
            coverage_a: 0.9,
            coverage_b: 0.03,
            ordered_a: 0.9,
            ordered_b: 0.03,
            sentences: 4,
            ..StoryFeatures::default()
        };
        f.score = score(&f);
        assert!(f.score >= opts.min_score, "{f:?}");
        assert_eq!(relation_for(&f, &opts), None);
        // A shared figure or quote is evidence in both texts: a link, but the long text
        // is not the short one reworded.
        f.figures = 1.0;
        f.score = score(&f);
        assert_eq!(relation_for(&f, &opts), Some(Relation::SameStory));
        // Aligned sentences covering a share of each are evidence too, and a rewrite
        // when that share is large enough.
        f.figures = 0.0;
        f.coverage_b = 0.1;
        f.score = score(&f);
        assert_eq!(relation_for(&f, &opts), Some(Relation::SameStory));
        f.coverage_b = 0.2;
        f.score = score(&f);
        assert_eq!(relation_for(&f, &opts), Some(Relation::Rewrite));
    }

    #[test]
    fn short_names_need_to_match_exactly() {
        assert!(same_name("lessom", "lesom"));
        assert!(same_name("quennell", "quenell"));
        assert!(!same_name("ivan", "ivar"), "too short for a variant");
        assert!(!same_name("lessom", "kessom"), "first letter must agree");
    }

    #[test]
    fn candidates_come_from_shared_rare_words_not_all_pairs() {
        // Four documents: 0 and 1 share rare words, 2 and 3 share nothing with them.
        let texts = [
            "Quennell trawler Velmora pier cracks pillars cooperative timetable",
            "Velmora cooperative Quennell pillars trawler regatta",
            "Budget vote parliament coalition senators amendment",
            "Orchestra premiere symphony conductor violinist",
        ];
        let stops = StopWords::new(&TextOptions::default());
        let keys = keys_of(&texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let (index, pairs) = story_candidates(&refs, &StoryOptions::default());
        assert_eq!(pairs, vec![(0, 1)]);
        assert_eq!(
            index.df(word_key(crate::normalise::text::token_hash("velmora"))),
            2
        );
    }

    #[test]
    fn candidates_are_the_same_on_one_thread_and_many() {
        // Enough documents for several chunks of the accumulator loop: 150 pairs, each
        // pair sharing six invented rare words that no other document has.
        let texts: Vec<String> = (0..300)
            .map(|i| {
                let pair = i / 2;
                let shared: Vec<String> = (0..6).map(|w| format!("zorvak{pair}q{w}")).collect();
                format!("{} tellurine{i} mossgate{i}", shared.join(" "))
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let stops = StopWords::new(&TextOptions::default());
        let keys = keys_of(&texts, &stops);
        let refs: Vec<Option<&[u32]>> = keys.iter().map(|k| Some(k.as_slice())).collect();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| story_candidates(&refs, &StoryOptions::default()).1)
        };
        let expected: Vec<(u32, u32)> = (0..150).map(|p| (2 * p, 2 * p + 1)).collect();
        assert_eq!(run(1), expected);
        assert_eq!(run(4), expected);
    }
}
