//! A word Markov chain over the seed texts, for originals that read like their seeds.
//!
//! Why: originals drawn word by word from a frequency list share no phrase at all, and a
//! corpus like that flatters every stage of a reuse detector (a benchmark on it reported
//! a 20x scan that was 1.3x on real press). Real articles share phrasing by chance:
//! common collocations, stock formulas, a topic's turns of phrase. An order-2 chain over
//! the seeds reproduces that: it walks the seeds' own word sequences, so two originals
//! share short runs of seed text, the more often the more common the run.
//!
//! A pure order-2 chain over a few kilobytes of seed would copy whole sentences of it (most
//! word pairs of a small text have one continuation), so every step may instead jump:
//! with probability [`JUMP`] the next word is drawn from the [`Vocabulary`] (seed words by
//! frequency, plus pseudo-words when the seeds are small), and the chain resumes from
//! there. Runs of seed text then last `1 / JUMP` words on average, a run of five words or
//! more starts at about `(1 - JUMP)^4` of the positions: shared 5-grams between originals
//! come from the seeds' commonest runs, which a document-frequency cap sees as stock
//! phrasing, while rarer runs are shared by a few documents, as in real text.

use std::collections::HashMap;

use rand::Rng;

use super::vocab::{seed_words, Vocabulary};

/// Chance that the next word is drawn from the vocabulary instead of the chain.
pub const JUMP: f64 = 0.3;

/// Word successors of the seed texts.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    words: Vec<String>,
    index: HashMap<String, u32>,
    /// Successors of each pair of words, with repeats (sampled uniformly = by count).
    after_pair: HashMap<(u32, u32), Vec<u32>>,
    /// Successors of each word.
    after_word: HashMap<u32, Vec<u32>>,
}

impl Chain {
    /// The chain of the seeds' word sequences (one sequence per seed text; successors are
    /// recorded in text order, the texts sorted, so the chain depends neither on hash
    /// order nor on the order the seeds were given in).
    pub fn from_texts(seeds: &[String]) -> Chain {
        let mut chain = Chain::default();
        let mut sorted: Vec<&String> = seeds.iter().collect();
        sorted.sort();
        for text in sorted {
            let ids: Vec<u32> = seed_words(text).map(|w| chain.intern(w)).collect();
            for w in ids.windows(2) {
                chain.after_word.entry(w[0]).or_default().push(w[1]);
            }
            for w in ids.windows(3) {
                chain.after_pair.entry((w[0], w[1])).or_default().push(w[2]);
            }
        }
        chain
    }

    fn intern(&mut self, word: String) -> u32 {
        if let Some(&id) = self.index.get(&word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.index.insert(word.clone(), id);
        self.words.push(word);
        id
    }

    /// Whether the seeds gave the chain anything to walk.
    pub fn is_empty(&self) -> bool {
        self.after_word.is_empty()
    }

    /// `len` words: the chain's walk, jumping to a vocabulary word with probability
    /// [`JUMP`] at every step (and whenever the chain has no successor).
    pub fn sentence<R: Rng + ?Sized>(
        &self,
        vocab: &Vocabulary,
        rng: &mut R,
        len: usize,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(len);
        let (mut prev, mut last): (Option<u32>, Option<u32>) = (None, None);
        for _ in 0..len {
            let successors = if rng.gen_bool(JUMP) {
                None
            } else {
                match (prev, last) {
                    (Some(p), Some(l)) => self
                        .after_pair
                        .get(&(p, l))
                        .or_else(|| self.after_word.get(&l)),
                    (None, Some(l)) => self.after_word.get(&l),
                    _ => None,
                }
            };
            let next = match successors {
                Some(s) if !s.is_empty() => {
                    let id = s[rng.gen_range(0..s.len())];
                    Some(id)
                }
                _ => None,
            };
            let (word, id) = match next {
                Some(id) => (self.words[id as usize].clone(), Some(id)),
                None => {
                    let w = vocab.sample(rng);
                    (w.to_string(), self.index.get(w).copied())
                }
            };
            prev = last;
            last = id;
            if id.is_none() {
                prev = None;
            }
            out.push(word);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn walks_follow_the_seed_and_jump_out_of_it() {
        let seed = "the river rose over the old bridge and the town waited for the rain to stop"
            .to_string();
        let chain = Chain::from_texts(std::slice::from_ref(&seed));
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let vocab = Vocabulary::from_texts(std::slice::from_ref(&seed), &mut rng).unwrap();
        let seed_words: Vec<&str> = seed.split(' ').collect();
        let (mut followed, mut steps) = (0usize, 0usize);
        for _ in 0..200 {
            let s = chain.sentence(&vocab, &mut rng, 20);
            assert_eq!(s.len(), 20);
            for w in s.windows(2) {
                steps += 1;
                if seed_words
                    .windows(2)
                    .any(|p| p[0] == w[0].as_str() && p[1] == w[1].as_str())
                {
                    followed += 1;
                }
            }
        }
        // Most steps follow a seed bigram: 1 - JUMP of them, less the steps from a jump's
        // pseudo-word (no successor), plus jumps that land on a seed successor.
        let share = followed as f64 / steps as f64;
        assert!((0.45..0.85).contains(&share), "{share}");
    }

    #[test]
    fn same_rng_same_walk() {
        let seeds = vec!["un deux trois quatre cinq six sept huit neuf dix".to_string()];
        let chain = Chain::from_texts(&seeds);
        let mut r1 = ChaCha8Rng::seed_from_u64(1);
        let vocab = Vocabulary::from_texts(&seeds, &mut r1).unwrap();
        let mut a = ChaCha8Rng::seed_from_u64(5);
        let mut b = ChaCha8Rng::seed_from_u64(5);
        assert_eq!(
            chain.sentence(&vocab, &mut a, 30),
            chain.sentence(&vocab, &mut b, 30)
        );
        assert!(!chain.is_empty());
    }
}
