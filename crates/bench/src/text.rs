//! Word-level helpers shared by the generator's tests and by hand checks of a corpus.
//!
//! They are deliberately naive (split on anything that is not alphanumeric, lower-case):
//! they define what "the same words" means for the generator's guarantees ("an exact copy
//! has the same lower-cased alphanumeric word sequence as its original"), independently of
//! whatever normalisation the engine under test uses.

use std::collections::HashSet;

/// The lower-cased alphanumeric words of `text`, in order.
///
/// Everything that is not alphanumeric (whitespace, punctuation, apostrophes of either
/// kind, hyphens) separates words, so re-wrapping, doubled spaces, curly quotes or dropped
/// commas never change the result.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The set of word `n`-grams (joined by a single space) of a word sequence.
///
/// A sequence shorter than `n` has no `n`-gram and gives the empty set; `n == 0` also
/// gives the empty set.
pub fn shingles(words: &[String], n: usize) -> HashSet<String> {
    if n == 0 {
        return HashSet::new();
    }
    words.windows(n).map(|w| w.join(" ")).collect()
}

/// Jaccard similarity of the word `n`-gram sets of two texts (1.0 when both are empty).
pub fn jaccard(a: &str, b: &str, n: usize) -> f64 {
    let sa = shingles(&words(a), n);
    let sb = shingles(&words(b), n);
    if sa.is_empty() && sb.is_empty() {
        return 1.0;
    }
    let inter = sa.intersection(&sb).count();
    let union = sa.len() + sb.len() - inter;
    inter as f64 / union as f64
}

/// Number of distinct word `n`-grams that two texts share.
pub fn shared_shingles(a: &str, b: &str, n: usize) -> usize {
    let sa = shingles(&words(a), n);
    let sb = shingles(&words(b), n);
    sa.intersection(&sb).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ignore_case_punctuation_and_spacing() {
        assert_eq!(
            words("L'armée  a dit:\n« NON », c’est tout."),
            vec!["l", "armée", "a", "dit", "non", "c", "est", "tout"]
        );
        assert!(words("  ... ").is_empty());
    }

    #[test]
    fn jaccard_basics() {
        assert_eq!(jaccard("a b c d e", "A B C D E!", 5), 1.0);
        assert_eq!(jaccard("a b c d e", "f g h i j", 5), 0.0);
        // 6 words -> 2 five-grams each; one shared of three distinct.
        let j = jaccard("a b c d e f", "a b c d e g", 5);
        assert!((j - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(jaccard("", "", 5), 1.0);
        assert_eq!(shared_shingles("a b c d e f", "x a b c d e", 5), 1);
        assert!(shingles(&words("a b"), 0).is_empty());
    }
}
