//! The document body model and the five ways of copying it.
//!
//! A body is kept as paragraphs → sentences → word tokens until it is rendered, so that
//! the copy operations can work on structure ("drop a sentence", "keep the first half of
//! the paragraphs", "embed three paragraphs") and the rendered text of an unchanged
//! paragraph is byte-identical in the original and in every copy that keeps it.
//!
//! Each operation guarantees one checkable property (tested in `super::tests`):
//! - [`exact_variant`]: same lower-cased alphanumeric word sequence as the original;
//! - [`near`]: 1-3% of the words edited (at least one), maybe one sentence dropped;
//! - [`boilerplate`]: contains the original text verbatim;
//! - [`truncated`]: its words are a strict prefix of the original's;
//! - [`partial`]: contains 2-4 consecutive original paragraphs verbatim.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::press::Press;
use super::sites::Site;
use super::vocab::Vocabulary;

/// Shortest and longest generated sentence, in words.
const SENTENCE_WORDS: std::ops::RangeInclusive<usize> = 8..=30;
/// Fewest and most sentences per paragraph.
const PARAGRAPH_SENTENCES: std::ops::RangeInclusive<usize> = 2..=6;
/// Chance that a word (not the last of its sentence) is followed by a comma.
const COMMA_RATE: f64 = 0.06;

/// Paragraphs of sentences of word tokens (a token may end with a comma).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    pub paras: Vec<Vec<Vec<String>>>,
}

impl Body {
    /// Writes sentences of words drawn from `vocab` until at least `target_words` words
    /// (at most one sentence more), grouped into paragraphs of 2-6 sentences.
    pub fn generate(vocab: &Vocabulary, rng: &mut ChaCha8Rng, target_words: usize) -> Body {
        let mut sentences: Vec<Vec<String>> = Vec::new();
        let mut count = 0;
        while count < target_words.max(1) {
            let len = rng.gen_range(SENTENCE_WORDS);
            let mut sentence = Vec::with_capacity(len);
            for i in 0..len {
                let mut w = vocab.sample(rng).to_string();
                if i + 1 < len && rng.gen_bool(COMMA_RATE) {
                    w.push(',');
                }
                sentence.push(w);
            }
            count += len;
            sentences.push(sentence);
        }
        Body::paragraphs(sentences, rng)
    }

    /// A press-like body (see [`super::press`]): chain sentences with stock sentences,
    /// names and figures, grouped into paragraphs of 2-6 sentences, then the original's
    /// quotes placed at random sentence positions and its background paragraph, if any,
    /// at a random paragraph boundary.
    pub fn generate_press(
        press: &Press,
        vocab: &Vocabulary,
        rng: &mut ChaCha8Rng,
        target_words: usize,
    ) -> Body {
        let mut sentences: Vec<Vec<String>> = Vec::new();
        let mut count = 0;
        while count < target_words.max(1) {
            let len = rng.gen_range(SENTENCE_WORDS);
            let mut sentence = press.sentence(vocab, rng, len);
            add_commas(&mut sentence, rng);
            count += sentence.len();
            sentences.push(sentence);
        }
        let (quotes, background) = press.planted(vocab, rng);
        for quote in quotes {
            let at = rng.gen_range(0..=sentences.len());
            sentences.insert(at, quote);
        }
        let mut body = Body::paragraphs(sentences, rng);
        if let Some(background) = background {
            let at = rng.gen_range(0..=body.paras.len());
            body.paras.insert(at, background);
        }
        body
    }

    /// Groups sentences into paragraphs of 2-6 (a lone trailing sentence joins the
    /// previous paragraph).
    fn paragraphs(sentences: Vec<Vec<String>>, rng: &mut ChaCha8Rng) -> Body {
        let mut paras: Vec<Vec<Vec<String>>> = Vec::new();
        let mut rest = sentences.into_iter().peekable();
        while rest.peek().is_some() {
            let n = rng.gen_range(PARAGRAPH_SENTENCES);
            let para: Vec<Vec<String>> = rest.by_ref().take(n).collect();
            match paras.last_mut() {
                Some(prev) if para.len() < 2 => prev.extend(para),
                _ => paras.push(para),
            }
        }
        Body { paras }
    }

    /// The text: sentences start with a capital and end with a period, sentences of a
    /// paragraph are joined by one space, paragraphs by a blank line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (pi, para) in self.paras.iter().enumerate() {
            if pi > 0 {
                out.push_str("\n\n");
            }
            for (si, sentence) in para.iter().enumerate() {
                if si > 0 {
                    out.push(' ');
                }
                render_sentence(sentence, &mut out);
            }
        }
        out
    }

    pub fn word_count(&self) -> usize {
        self.paras.iter().flatten().map(Vec::len).sum()
    }

    fn sentence_count(&self) -> usize {
        self.paras.iter().map(Vec::len).sum()
    }

    /// Paragraph and sentence index of the word at flat position `idx`, and its position
    /// in the sentence.
    fn locate(&self, mut idx: usize) -> Option<(usize, usize, usize)> {
        for (p, para) in self.paras.iter().enumerate() {
            for (s, sentence) in para.iter().enumerate() {
                if idx < sentence.len() {
                    return Some((p, s, idx));
                }
                idx -= sentence.len();
            }
        }
        None
    }

    /// Drops empty sentences, then empty paragraphs.
    fn prune(&mut self) {
        for para in &mut self.paras {
            para.retain(|s| !s.is_empty());
        }
        self.paras.retain(|p| !p.is_empty());
    }
}

/// Commas after words (not the last of the sentence, nor after a quote mark or colon).
fn add_commas(sentence: &mut [String], rng: &mut ChaCha8Rng) {
    let n = sentence.len();
    for w in sentence.iter_mut().take(n.saturating_sub(1)) {
        if w.chars().all(char::is_alphanumeric) && rng.gen_bool(COMMA_RATE) {
            w.push(',');
        }
    }
}

fn render_sentence(sentence: &[String], out: &mut String) {
    for (i, word) in sentence.iter().enumerate() {
        let word = if i + 1 == sentence.len() {
            word.trim_end_matches(',')
        } else {
            word.as_str()
        };
        if i == 0 {
            out.extend(capitalise(word));
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push('.');
}

fn capitalise(word: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = word.chars();
    let first = chars.next();
    first.into_iter().flat_map(char::to_uppercase).chain(chars)
}

/// An exact copy after normalisation: the same words with only whitespace, case and
/// punctuation changed. A quarter of exact copies are byte-identical; the others get at
/// least one of: re-wrapped lines, doubled spaces, lower-casing (or an upper-cased first
/// sentence), commas dropped and apostrophes curled, CRLF line ends.
pub(crate) fn exact_variant(text: &str, rng: &mut ChaCha8Rng) -> String {
    if rng.gen_bool(0.25) {
        return text.to_string();
    }
    let mut ops = [false; 5];
    while !ops.iter().any(|&o| o) {
        for o in &mut ops {
            *o = rng.gen_bool(0.5);
        }
    }
    let mut out = text.to_string();
    if ops[0] {
        out = rewrap(&out, rng.gen_range(60..=80));
    }
    if ops[1] {
        let mut doubled = String::with_capacity(out.len() + out.len() / 20);
        for c in out.chars() {
            doubled.push(c);
            if c == ' ' && rng.gen_bool(0.15) {
                doubled.push(' ');
            }
        }
        out = doubled;
    }
    if ops[2] {
        if rng.gen_bool(0.5) {
            out = out.to_lowercase();
        } else {
            // ASCII-only so that lower-casing the result gives the original's lower case
            // back (full Unicode upper-casing is not reversible: 'ß' -> "SS").
            let end = out.find('.').map_or(out.len(), |i| i + 1);
            let head = out[..end].to_ascii_uppercase();
            out = head + &out[end..];
        }
    }
    if ops[3] {
        out = out.replace(',', "").replace('\'', "’");
    }
    if ops[4] {
        out = out.replace('\n', "\r\n");
        out.push_str("\r\n");
    }
    out
}

/// Re-wraps every paragraph at `width` columns (greedy), keeping the blank lines between
/// paragraphs.
fn rewrap(text: &str, width: usize) -> String {
    let paras: Vec<String> = text
        .split("\n\n")
        .map(|para| {
            let mut out = String::with_capacity(para.len());
            let mut line_len = 0;
            for word in para.split_whitespace() {
                let wl = word.chars().count();
                if line_len > 0 && line_len + 1 + wl > width {
                    out.push('\n');
                    line_len = 0;
                } else if line_len > 0 {
                    out.push(' ');
                    line_len += 1;
                }
                out.push_str(word);
                line_len += wl;
            }
            out
        })
        .collect();
    paras.join("\n\n")
}

/// A near-duplicate: 1-3% of the words (at least one) substituted, inserted or deleted at
/// random places, and with probability 0.25 one whole sentence dropped (only when the body
/// has at least three sentences, so that most of it remains). Replacement and inserted
/// words come from the same vocabulary, so the edit does not stand out.
pub(crate) fn near(body: &Body, vocab: &Vocabulary, rng: &mut ChaCha8Rng) -> Body {
    let mut out = body.clone();
    let total = out.word_count();
    if total == 0 {
        return out;
    }
    // 1-3% of the words, skewed towards the low end (mean ~1.7%): every edit breaks up to
    // five word 5-grams, so a uniform 1-3% would put a third of near copies below a 5-gram
    // Jaccard of 0.8; with the skew most stay in the 0.8-0.95 band that "near-duplicate"
    // means in the literature, while the hardest ones still test the engine's tolerance.
    let u: f64 = rng.gen();
    let rate = 0.01 + 0.02 * u * u;
    let edits = ((total as f64 * rate).round() as usize).max(1);
    for _ in 0..edits {
        let n = out.word_count();
        if n == 0 {
            break;
        }
        let Some((p, s, w)) = out.locate(rng.gen_range(0..n)) else {
            break;
        };
        let sentence = &mut out.paras[p][s];
        match rng.gen_range(0..4) {
            // Deleting the only word of a sentence would delete the sentence: substitute.
            3 if sentence.len() > 1 => {
                sentence.remove(w);
            }
            2 => sentence.insert(w, vocab.sample(rng).to_string()),
            _ => {
                let old = crate::text::words(&sentence[w]);
                for _ in 0..16 {
                    let new = vocab.sample(rng);
                    if crate::text::words(new) != old {
                        sentence[w] = new.to_string();
                        break;
                    }
                }
            }
        }
    }
    if out.sentence_count() >= 3 && rng.gen_bool(0.25) {
        let k = rng.gen_range(0..out.sentence_count());
        let mut seen = 0;
        'outer: for para in &mut out.paras {
            for s in 0..para.len() {
                if seen == k {
                    para.remove(s);
                    break 'outer;
                }
                seen += 1;
            }
        }
    }
    out.prune();
    out
}

/// The original wrapped in its site's boilerplate: each pool line is kept with
/// probability 0.8 (at least one header and one footer line), in pool order, header lines
/// above, footer lines below, one line each, separated from the article by blank lines.
pub(crate) fn boilerplate(text: &str, site: &Site, rng: &mut ChaCha8Rng) -> String {
    let pick = |pool: &[&'static str], rng: &mut ChaCha8Rng| -> Vec<&'static str> {
        let mut kept: Vec<&'static str> =
            pool.iter().copied().filter(|_| rng.gen_bool(0.8)).collect();
        if kept.is_empty() {
            if let Some(first) = pool.first() {
                kept.push(first);
            }
        }
        kept
    };
    let header = pick(site.header, rng);
    let footer = pick(site.footer, rng);
    format!("{}\n\n{}\n\n{}", header.join("\n"), text, footer.join("\n"))
}

/// The first 40-80% of the original: of its paragraphs when it has two or more (at least
/// one kept, at least one cut), else of the only paragraph's sentences, else of the only
/// sentence's words. A one-word body cannot be cut and is returned whole.
pub(crate) fn truncated(body: &Body, rng: &mut ChaCha8Rng) -> Body {
    let frac = rng.gen_range(0.4..=0.8);
    let cut = |n: usize| ((n as f64 * frac).round() as usize).clamp(1, n.saturating_sub(1).max(1));
    let mut out = body.clone();
    if out.paras.len() >= 2 {
        let k = cut(out.paras.len());
        out.paras.truncate(k);
    } else if let Some(para) = out.paras.first_mut() {
        if para.len() >= 2 {
            let k = cut(para.len());
            para.truncate(k);
        } else if let Some(sentence) = para.first_mut() {
            let k = cut(sentence.len());
            sentence.truncate(k);
        }
    }
    out
}

/// 2-4 consecutive paragraphs of `source` (all of them if it has fewer) inserted at a
/// paragraph boundary inside `host`, a freshly generated unrelated body. With a host of
/// two or more paragraphs the excerpt never goes first or last, so it is surrounded by
/// new text.
pub(crate) fn partial(source: &Body, mut host: Body, rng: &mut ChaCha8Rng) -> Body {
    let n = source.paras.len();
    let k = rng.gen_range(2..=4).min(n);
    let start = rng.gen_range(0..=n - k);
    let excerpt = source.paras[start..start + k].to_vec();
    let h = host.paras.len();
    let at = if h >= 2 { rng.gen_range(1..h) } else { h };
    host.paras.splice(at..at, excerpt);
    host
}

/// A random site index other than `not`.
pub(crate) fn other_site(not: usize, sites: usize, rng: &mut ChaCha8Rng) -> usize {
    if sites < 2 {
        return 0;
    }
    let i = rng.gen_range(0..sites - 1);
    if i >= not {
        i + 1
    } else {
        i
    }
}

/// Shuffles `items` in place (re-exported here so `mod.rs` has one place for randomness
/// helpers).
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    items.shuffle(rng);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn body(paras: &[&[&str]]) -> Body {
        Body {
            paras: paras
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|s| s.split(' ').map(String::from).collect())
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn render_capitalises_and_punctuates() {
        let b = body(&[&["le chat, dort", "il pleut,"], &["élan vital"]]);
        assert_eq!(b.render(), "Le chat, dort. Il pleut.\n\nÉlan vital.");
    }

    #[test]
    fn rewrap_keeps_words_and_paragraphs() {
        let t = "aaa bbb ccc ddd\n\neee fff";
        assert_eq!(rewrap(t, 7), "aaa bbb\nccc ddd\n\neee fff");
    }

    #[test]
    fn truncated_small_bodies() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let one_para = body(&[&["a b c", "d e f", "g h i"]]);
        let t = truncated(&one_para, &mut rng);
        assert!(t.paras[0].len() < 3 && !t.paras[0].is_empty());
        let one_sentence = body(&[&["a b c d e"]]);
        let t = truncated(&one_sentence, &mut rng);
        assert!(t.paras[0][0].len() < 5 && !t.paras[0][0].is_empty());
        let one_word = body(&[&["a"]]);
        assert_eq!(truncated(&one_word, &mut rng), one_word);
    }

    #[test]
    fn other_site_never_returns_the_excluded_one() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for not in 0..5 {
            for _ in 0..50 {
                let s = other_site(not, 5, &mut rng);
                assert!(s != not && s < 5);
            }
        }
        assert_eq!(other_site(0, 1, &mut rng), 0);
    }
}
