//! The word distribution the generator writes from.
//!
//! Why not just cut originals out of the seed texts? Because the seeds are few (the
//! project's founding set is five articles) and a corpus needs thousands of originals that
//! are *not* copies of one another: slices of the same few seeds would share long passages
//! and the gold would be wrong. So originals are written word by word, each word drawn
//! independently from the seed texts' word frequencies. That keeps the surface statistics
//! of real text (a few very frequent function words, a long tail, the seed language's
//! letters and word lengths) while making two originals share a word 5-gram only by chance.
//!
//! How big is chance? If word `w` has probability `p_w` and `s = Σ p_w²`, two independent
//! 5-grams are equal with probability `s⁵`, so two originals of ~600 words expect about
//! `600² · s⁵` shared 5-grams. Natural text has `s ≈ 0.01-0.02`, which gives 10⁻⁵-10⁻³: nothing.
//! A tiny seed vocabulary is more concentrated (larger `s`, and its tail is short), so when
//! the seeds have fewer than [`MIN_NATURAL_VOCAB`] distinct words, the vocabulary is
//! extended with [`SYNTHETIC_TARGET`]` - distinct` pseudo-words made of random syllables,
//! which receive [`SYNTHETIC_MASS`] of the probability mass on a Zipf curve. Mixing in 40%
//! of new mass multiplies `s` by about `0.6² = 0.36`, so `s⁵` by about 0.006: 5-gram
//! collisions stay negligible even with one short seed text. The pseudo-words look like
//! words ("tamorin", "velisko"), so the text still tokenises like prose.

use std::collections::{HashMap, HashSet};

use rand::distributions::{Distribution, WeightedIndex};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::GenError;

/// Below this many distinct seed words, the vocabulary is extended with pseudo-words.
pub const MIN_NATURAL_VOCAB: usize = 2000;
/// Distinct words the extended vocabulary reaches.
pub const SYNTHETIC_TARGET: usize = 20_000;
/// Share of the probability mass given to pseudo-words when the vocabulary is extended.
pub const SYNTHETIC_MASS: f64 = 0.4;

const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "j", "k", "l", "m", "n", "p", "pl", "r", "s",
    "st", "t", "tr", "v", "z",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "é", "ia", "eo"];
const CODAS: &[&str] = &["", "", "", "n", "r", "s", "l", "m", "t", "x"];

/// Words with sampling weights.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    words: Vec<String>,
    dist: WeightedIndex<f64>,
    natural: usize,
}

impl Vocabulary {
    /// Builds the distribution from the seed texts' words (see the module docs), extending
    /// it with pseudo-words drawn with `rng` when the seeds are too small.
    pub fn from_texts(seeds: &[String], rng: &mut ChaCha8Rng) -> Result<Self, GenError> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for text in seeds {
            for word in seed_words(text) {
                *counts.entry(word).or_insert(0) += 1;
            }
        }
        if counts.is_empty() {
            return Err(GenError::NoSeedWords);
        }
        // Sorted by frequency then spelling: HashMap order must not leak into the output.
        let mut natural: Vec<(String, u64)> = counts.into_iter().collect();
        natural.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let natural_len = natural.len();
        let total: f64 = natural.iter().map(|(_, c)| *c as f64).sum();

        let mut words = Vec::with_capacity(natural_len.max(SYNTHETIC_TARGET));
        let mut weights = Vec::with_capacity(words.capacity());
        let extend = natural_len < MIN_NATURAL_VOCAB;
        let natural_mass = if extend { 1.0 - SYNTHETIC_MASS } else { 1.0 };
        let mut known: HashSet<String> = HashSet::with_capacity(SYNTHETIC_TARGET);
        for (word, count) in natural {
            weights.push(natural_mass * count as f64 / total);
            known.insert(word.clone());
            words.push(word);
        }
        if extend {
            let extra = SYNTHETIC_TARGET - natural_len;
            let mut made: Vec<String> = Vec::with_capacity(extra);
            while made.len() < extra {
                let w = pseudo_word(rng);
                if known.insert(w.clone()) {
                    made.push(w);
                }
            }
            // Shorter words are the more frequent ones, as in real languages (Zipf's law
            // of abbreviation); it also keeps the text's bytes per word near the seeds'.
            made.sort_by_key(|w| w.chars().count());
            let ranks: Vec<f64> = (0..extra).map(|r| 1.0 / (r as f64 + 10.0)).collect();
            let norm: f64 = ranks.iter().sum();
            for (w, rank) in made.into_iter().zip(ranks) {
                weights.push(SYNTHETIC_MASS * rank / norm);
                words.push(w);
            }
        }
        let dist = WeightedIndex::new(&weights)
            .map_err(|e| GenError::InvalidOptions(format!("vocabulary weights: {e}")))?;
        Ok(Self {
            words,
            dist,
            natural: natural_len,
        })
    }

    /// Draws one word.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> &str {
        &self.words[self.dist.sample(rng)]
    }

    /// Number of distinct words (seed words plus pseudo-words).
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Always false: a vocabulary with no word cannot be built.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Number of distinct words that came from the seed texts.
    pub fn natural_words(&self) -> usize {
        self.natural
    }

    /// Number of pseudo-words added.
    pub fn synthetic_words(&self) -> usize {
        self.words.len() - self.natural
    }
}

/// The words of a seed text: lower-cased runs of letters, digits and apostrophes, trimmed
/// of edge apostrophes, keeping only runs with at least one letter (numbers, URLs'
/// punctuation and stray symbols are not vocabulary).
///
/// Hyphens split words: a compound such as "sainte-marthe-sur-loire" kept as one entry
/// would be drawn as a fixed 4-word sequence by any tokeniser that splits on hyphens, and
/// every original that drew it would share its 5-grams. Elisions ("l'armée") stay whole:
/// they make a fixed pair at most, which cannot fill a 5-gram alone.
pub(crate) fn seed_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphabetic))
        .map(|w| w.replace('’', "'").to_lowercase())
}

pub(crate) fn pseudo_word(rng: &mut ChaCha8Rng) -> String {
    // Mostly two syllables: pseudo-words should be about as long as real ones (~5 letters),
    // or the text (and so the corpus size in bytes) would inflate.
    let syllables = match rng.gen_range(0..10) {
        0..=2 => 1,
        3..=7 => 2,
        _ => 3,
    };
    let mut w = String::new();
    for i in 0..syllables {
        w.push_str(ONSETS[rng.gen_range(0..ONSETS.len())]);
        w.push_str(VOWELS[rng.gen_range(0..VOWELS.len())]);
        if i + 1 == syllables {
            w.push_str(CODAS[rng.gen_range(0..CODAS.len())]);
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn seed_words_are_lowercased_letter_runs() {
        let w: Vec<String> = seed_words("L’armée, 12 soldats -- peut-être 'OK' 3,5%").collect();
        assert_eq!(w, vec!["l'armée", "soldats", "peut", "être", "ok"]);
    }

    #[test]
    fn small_seed_is_extended_large_is_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let v = Vocabulary::from_texts(&["the cat sat on the mat".to_string()], &mut rng).unwrap();
        assert_eq!(v.natural_words(), 5);
        assert_eq!(v.len(), SYNTHETIC_TARGET);
        assert_eq!(v.synthetic_words(), SYNTHETIC_TARGET - 5);
        assert!(!v.is_empty());

        let big: String = (0..MIN_NATURAL_VOCAB + 10)
            .map(|i| format!("w{i}x "))
            .collect();
        let v = Vocabulary::from_texts(&[big], &mut rng).unwrap();
        assert_eq!(v.synthetic_words(), 0);
        assert_eq!(v.len(), MIN_NATURAL_VOCAB + 10);
    }

    #[test]
    fn no_words_is_an_error() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let err = Vocabulary::from_texts(&["123 ... 456".to_string()], &mut rng).unwrap_err();
        assert!(matches!(err, GenError::NoSeedWords));
    }
}
