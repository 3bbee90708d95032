//! Originals that share what real press shares by chance: stock sentences, quotes,
//! background paragraphs, names and figures.
//!
//! Independent articles are not independent texts. Agencies and newsrooms reuse stock
//! formulas ("the ministry did not respond to a request for comment"), a politician's
//! quote is printed by every paper that covers the speech, a background paragraph lifted
//! from a common source ("the movement began in November over fuel taxes...") recurs
//! under many bylines, and the same names and round figures come back. None of that makes
//! two articles copies of one text, and a reuse detector must report the shared passage
//! without merging the articles. This module plants exactly that, with known sources, so
//! the gold still says which documents are copies of which.
//!
//! # What an original is made of
//! Sentences from the seed Markov chain ([`super::markov`]), and
//! - sentences assembled from **collocations** (3-8 words, with probability
//!   `phrase_rate` per piece; otherwise a run of 1-4 chain words) from a fixed pool of a
//!   million: the turns of phrase a language repeats, so that, as in real text, most of a
//!   document's 5-grams are common, a band of them is shared with a few dozen documents
//!   (candidate pairs with nothing to align), and the rest is its own;
//! - with probability `stock_rate` per sentence, a **stock sentence** (10-22 words) from a
//!   fixed pool: the language's formulas, whose pool does not grow with the corpus;
//! - `0..=2` **quotes** (8-30 words, « » marks, after a speaker's name), from a pool of
//!   `originals / quote_share` quotes: more articles, more speeches;
//! - with probability `background_rate`, one **background paragraph** (20-47 words), from
//!   a pool of `originals / background_share`;
//! - **names** from a pool of `originals / name_share` (two capitalised pseudo-words) and
//!   **figures** (2-5 digits) inserted into sentences.
//!
//! Every pool is drawn by a Zipf law (rank `r` with probability about `1 / (r + 1)`), so a
//! few items are everywhere (stock, caught by document-frequency caps) and most are
//! shared by a handful of articles: the band that costs a detector candidate pairs and
//! tests its precision. Items are made on demand from their own random stream, so no pool
//! is held in memory and millions of documents stream in constant memory.
//!
//! [`TextStyle::OneTopic`] is the same with small fixed pools of names, quotes and
//! background paragraphs: every article covers one event family, as in a collection about
//! one movement, where shared names and recycled background are everywhere.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::markov::Chain;
use super::vocab::{pseudo_word, Vocabulary};
use super::{stream_rng, TextStyle};

/// Streams of the pools' items (distinct from the generator's other streams).
const STREAM_STOCK: u64 = 11;
const STREAM_QUOTE: u64 = 12;
const STREAM_BACKGROUND: u64 = 13;
const STREAM_NAME: u64 = 14;
const STREAM_PHRASE: u64 = 15;

/// Verbs that introduce a quote, French and English like the seeds the project uses.
const SAID: &[&[&str]] = &[
    &["a", "déclaré"],
    &["a", "affirmé"],
    &["a", "estimé"],
    &["said"],
    &["told", "reporters"],
    &["added"],
];

/// The planted material's rates and pool sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct PressParams {
    /// Collocations: 3-8-word phrases of the language that sentences are made of.
    pub phrase_pool: u64,
    pub phrase_rate: f64,
    pub stock_pool: u64,
    pub stock_rate: f64,
    pub quote_pool: u64,
    /// Mean quotes per original (0, 1 or 2 each).
    pub quotes_per_doc: f64,
    pub background_pool: u64,
    pub background_rate: f64,
    pub name_pool: u64,
    /// Chance a sentence mentions a name / holds a figure.
    pub name_rate: f64,
    pub figure_rate: f64,
}

impl PressParams {
    /// Parameters for a corpus of `originals` originals.
    pub fn new(style: TextStyle, originals: usize) -> Option<PressParams> {
        let n = originals.max(1) as u64;
        let press = PressParams {
            phrase_pool: 300_000,
            phrase_rate: 0.85,
            stock_pool: 2000,
            stock_rate: 0.02,
            quote_pool: (n / 5).max(10),
            quotes_per_doc: 0.3,
            background_pool: (n / 10).max(10),
            background_rate: 0.15,
            name_pool: (n / 5).max(20),
            name_rate: 0.12,
            figure_rate: 0.08,
        };
        match style {
            TextStyle::Words => None,
            TextStyle::Press => Some(press),
            TextStyle::OneTopic => Some(PressParams {
                quote_pool: 40,
                quotes_per_doc: 1.2,
                background_pool: 30,
                background_rate: 0.6,
                name_pool: 25,
                name_rate: 0.25,
                ..press
            }),
        }
    }
}

/// Zipf rank in `0..n` with probability about `1 / (r + 1)` (the continuous law's
/// inverse: `P(rank <= r) = ln(r + 2) / ln(n + 1)`).
fn zipf(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    zipf_mandelbrot(rng, n, 1.0)
}

/// Rank in `0..n` with probability about `1 / (r + q)`: Zipf-Mandelbrot, whose head is
/// flatter the larger `q` (no single phrase of a language makes 5% of its text, as rank
/// 0 of a plain Zipf law over a million items would).
fn zipf_mandelbrot(rng: &mut ChaCha8Rng, n: u64, q: f64) -> u64 {
    let u: f64 = rng.gen();
    let r = (q * ((n as f64 + q) / q).powf(u) - q).floor() as u64;
    r.min(n.saturating_sub(1))
}

/// The flattening of the collocation law's head (see [`zipf_mandelbrot`]).
const PHRASE_HEAD: f64 = 100.0;

/// The writer of press-like sentences and paragraphs.
#[derive(Debug, Clone)]
pub struct Press {
    pub params: PressParams,
    chain: Chain,
    seed: u64,
}

impl Press {
    pub fn new(params: PressParams, chain: Chain, seed: u64) -> Press {
        Press {
            params,
            chain,
            seed,
        }
    }

    fn item_rng(&self, stream: u64, k: u64) -> ChaCha8Rng {
        stream_rng(self.seed, stream, k)
    }

    /// A chain sentence of `len` words.
    fn words(&self, vocab: &Vocabulary, rng: &mut ChaCha8Rng, len: usize) -> Vec<String> {
        self.chain.sentence(vocab, rng, len)
    }

    /// Name `k` of the pool: first name and surname, capitalised pseudo-words.
    pub fn name(&self, k: u64) -> [String; 2] {
        let mut rng = self.item_rng(STREAM_NAME, k);
        [
            capitalised(&pseudo_word(&mut rng)),
            capitalised(&pseudo_word(&mut rng)),
        ]
    }

    fn phrase(&self, vocab: &Vocabulary, k: u64) -> Vec<String> {
        let mut rng = self.item_rng(STREAM_PHRASE, k);
        let len = rng.gen_range(3..=8);
        self.words(vocab, &mut rng, len)
    }

    fn stock(&self, vocab: &Vocabulary, k: u64) -> Vec<String> {
        let mut rng = self.item_rng(STREAM_STOCK, k);
        let len = rng.gen_range(10..=22);
        self.words(vocab, &mut rng, len)
    }

    /// Quote `k`: its speaker, verb and words, as one sentence.
    fn quote(&self, vocab: &Vocabulary, k: u64) -> Vec<String> {
        let mut rng = self.item_rng(STREAM_QUOTE, k);
        let speaker = zipf(&mut rng, self.params.name_pool);
        let len = rng.gen_range(8..=30);
        let said = SAID[rng.gen_range(0..SAID.len())];
        let words = self.words(vocab, &mut rng, len);
        let mut s: Vec<String> = self.name(speaker).to_vec();
        s.extend(said.iter().map(|w| w.to_string()));
        s.push(":".into());
        s.push("«".into());
        s.extend(words);
        s.push("»".into());
        s
    }

    fn background(&self, vocab: &Vocabulary, k: u64) -> Vec<Vec<String>> {
        let mut rng = self.item_rng(STREAM_BACKGROUND, k);
        let total = rng.gen_range(20..=47);
        let first = if total >= 30 && rng.gen_bool(0.5) {
            total / 2
        } else {
            total
        };
        let mut out = vec![self.words(vocab, &mut rng, first)];
        if first < total {
            out.push(self.words(vocab, &mut rng, total - first));
        }
        out
    }

    /// One ordinary sentence of `len` words, maybe with a name and a figure in it.
    pub fn sentence(&self, vocab: &Vocabulary, rng: &mut ChaCha8Rng, len: usize) -> Vec<String> {
        let p = &self.params;
        if rng.gen_bool(p.stock_rate) {
            return self.stock(vocab, zipf(rng, p.stock_pool));
        }
        // Phrases of the pool and short runs of the chain, until the length is reached.
        let mut s: Vec<String> = Vec::with_capacity(len + 8);
        while s.len() < len {
            if rng.gen_bool(p.phrase_rate) {
                let k = zipf_mandelbrot(rng, p.phrase_pool, PHRASE_HEAD);
                s.extend(self.phrase(vocab, k));
            } else {
                let run = rng.gen_range(1..=4);
                s.extend(self.words(vocab, rng, run));
            }
        }
        if rng.gen_bool(p.name_rate) {
            let [first, last] = self.name(zipf(rng, p.name_pool));
            let at = rng.gen_range(1..=s.len());
            if rng.gen_bool(0.5) {
                s.insert(at, last);
            } else {
                s.splice(at..at, [first, last]);
            }
        }
        if rng.gen_bool(p.figure_rate) {
            let digits = match rng.gen_range(0..10) {
                0..=5 => 2,
                6..=8 => 3,
                _ => rng.gen_range(4..=5),
            };
            let low = 10u32.pow(digits - 1);
            let figure = rng.gen_range(low..low * 10).to_string();
            let at = rng.gen_range(1..=s.len());
            s.insert(at, figure);
        }
        s
    }

    /// The planted paragraphs and sentences of one original: its quotes (as sentences
    /// to place) and its background paragraph, if any.
    pub fn planted(
        &self,
        vocab: &Vocabulary,
        rng: &mut ChaCha8Rng,
    ) -> (Vec<Vec<String>>, Option<Vec<Vec<String>>>) {
        let p = &self.params;
        // 0, 1 or 2 quotes with the given mean.
        let half = (p.quotes_per_doc / 2.0).clamp(0.0, 1.0);
        let mut quotes: Vec<Vec<String>> = Vec::new();
        for _ in 0..2 {
            if rng.gen_bool(half) {
                quotes.push(self.quote(vocab, zipf(rng, p.quote_pool)));
            }
        }
        let background = rng
            .gen_bool(p.background_rate)
            .then(|| self.background(vocab, zipf(rng, p.background_pool)));
        (quotes, background)
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn zipf_ranks_favour_the_first_items_and_stay_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 1000;
        let mut counts = vec![0u32; n as usize];
        for _ in 0..100_000 {
            counts[zipf(&mut rng, n) as usize] += 1;
        }
        // P(rank 0) = ln 2 / ln 1001 = 0.100; P(rank < 10) = ln 11 / ln 1001 = 0.347.
        let first = f64::from(counts[0]) / 100_000.0;
        let ten: u32 = counts[..10].iter().sum();
        assert!((0.09..0.11).contains(&first), "{first}");
        assert!((0.33..0.36).contains(&(f64::from(ten) / 100_000.0)));
        assert!(counts[n as usize - 1] > 0, "the tail is drawn too");
    }

    #[test]
    fn pool_items_are_the_same_wherever_they_are_drawn() {
        let seeds = vec!["le conseil a voté le budget de la ville pour l'année".to_string()];
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let vocab = Vocabulary::from_texts(&seeds, &mut rng).unwrap();
        let params = PressParams::new(TextStyle::Press, 1000).unwrap();
        let press = Press::new(params, Chain::from_texts(&seeds), 42);
        assert_eq!(press.quote(&vocab, 7), press.quote(&vocab, 7));
        assert_ne!(press.quote(&vocab, 7), press.quote(&vocab, 8));
        let q = press.quote(&vocab, 7);
        assert!(q.contains(&"«".to_string()) && q.last().map(String::as_str) == Some("»"));
        let bg: usize = press.background(&vocab, 3).iter().map(Vec::len).sum();
        assert!((20..=47).contains(&bg), "{bg}");
        assert_eq!(press.name(5), press.name(5));
        assert!(press.name(5)[0]
            .chars()
            .next()
            .is_some_and(char::is_uppercase));
        assert_eq!(PressParams::new(TextStyle::Words, 1000), None);
        assert!(
            PressParams::new(TextStyle::OneTopic, 100_000).map(|p| p.name_pool)
                < PressParams::new(TextStyle::Press, 100_000).map(|p| p.name_pool)
        );
    }
}
