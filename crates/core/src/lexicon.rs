//! Language knowledge the story stage needs, and nothing more: which words are function
//! words, how to stem a word, and the names of the months.
//!
//! Story matching compares content words, so it has to know function words ("le", "the",
//! "und") from content, and it has to see "accueillir" and "accueil", "probabilities" and
//! "probability" as one term. Both depend on the language:
//!
//! - **Function words** are the union of the NLTK stop-word lists of many languages
//!   (the `stop-words` crate). A union needs no language detection per sentence, and the
//!   few words one language's list shares with another's content words ("die", "son")
//!   are words no story hangs on. Corpus rarity weights do the rest of the work.
//! - **Stemming** uses the Snowball stemmers (`rust-stemmers`) for the language
//!   `whatlang` detects on the document; where there is no Snowball stemmer, a word is
//!   cut to its first [`PREFIX_STEM_CHARS`] characters, which conflates inflections well
//!   in most alphabetic languages.
//! - **Month names** in the major European languages, so "24 février 2022" and
//!   "February 24, 2022" become the same date.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::{normalize_token, token_hash, TextOptions};

/// Characters kept of a word that has no Snowball stemmer for its language.
pub const PREFIX_STEM_CHARS: usize = 6;

/// NLTK stop-word lists merged into the function-word set.
const STOP_WORD_LANGUAGES: &[&str] = &[
    "en", "fr", "de", "es", "it", "pt", "nl", "ru", "sv", "da", "nb", "fi", "tr", "ar", "el", "hu",
    "ro", "id", "ca", "sl", "kk", "az", "he", "tg", "uz", "sq", "eu", "be", "ne",
];

/// Month names (case and accents folded) with their number.
const MONTHS: &[(&str, u8)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    // French
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    // German
    ("januar", 1),
    ("februar", 2),
    ("marz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// The options every story-stage normalisation uses: case and accents folded, so
/// "Lessom" and "lessom", "février" and "fevrier" are one key.
pub fn folded() -> &'static TextOptions {
    static OPTS: OnceLock<TextOptions> = OnceLock::new();
    OPTS.get_or_init(|| TextOptions { fold_accents: true })
}

/// Hashes of the function words, normalised with `opts` (the options the tokens being
/// tested were hashed with).
pub fn stop_word_hashes(opts: &TextOptions) -> HashSet<u64> {
    let mut set = HashSet::new();
    for lang in STOP_WORD_LANGUAGES {
        for word in stop_words::lookup(lang).unwrap_or(&[]) {
            // A list entry may hold an apostrophe ("aren't"); each of its tokens is
            // then a function word in its own right.
            for part in word.split(|c: char| !c.is_alphanumeric()) {
                if !part.is_empty() {
                    set.insert(token_hash(&normalize_token(part, opts)));
                }
            }
        }
    }
    set
}

/// The month number of a month name (any case, accents optional).
pub fn month_number(word: &str) -> Option<u8> {
    if word.len() < 3 || word.len() > 12 {
        return None;
    }
    let folded = normalize_token(word, folded());
    MONTHS
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|&(_, month)| month)
}

/// A stemmer for one language, or the prefix rule when it has none.
pub struct WordStemmer {
    snowball: Option<Stemmer>,
    id: u8,
}

impl WordStemmer {
    /// The stemmer for the language `whatlang` detects on `sample` (a few thousand
    /// characters of the document are plenty).
    pub fn for_text(sample: &str) -> Self {
        let algorithm = whatlang::detect(sample)
            .filter(|info| info.is_reliable() || info.confidence() > 0.5)
            .and_then(|info| snowball_for(info.lang()));
        WordStemmer {
            id: algorithm.map_or(0, |a| 1 + a as u8),
            snowball: algorithm.map(Stemmer::create),
        }
    }

    /// A stemmer that only applies the prefix rule.
    pub fn prefix_only() -> Self {
        WordStemmer {
            snowball: None,
            id: 0,
        }
    }

    /// Which stemmer this is, for cache keys: 0 for the prefix rule, else one per
    /// Snowball language.
    pub fn id(&self) -> u8 {
        self.id
    }

    /// The stem of a lower-cased word.
    pub fn stem<'a>(&self, lowercase: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.snowball {
            Some(stemmer) => stemmer.stem(lowercase),
            None => match lowercase.char_indices().nth(PREFIX_STEM_CHARS) {
                Some((cut, _)) => std::borrow::Cow::Borrowed(&lowercase[..cut]),
                None => std::borrow::Cow::Borrowed(lowercase),
            },
        }
    }
}

fn snowball_for(lang: whatlang::Lang) -> Option<Algorithm> {
    use whatlang::Lang;
    Some(match lang {
        Lang::Ara => Algorithm::Arabic,
        Lang::Dan => Algorithm::Danish,
        Lang::Nld => Algorithm::Dutch,
        Lang::Eng => Algorithm::English,
        Lang::Fin => Algorithm::Finnish,
        Lang::Fra => Algorithm::French,
        Lang::Deu => Algorithm::German,
        Lang::Ell => Algorithm::Greek,
        Lang::Hun => Algorithm::Hungarian,
        Lang::Ita => Algorithm::Italian,
        Lang::Nob => Algorithm::Norwegian,
        Lang::Por => Algorithm::Portuguese,
        Lang::Ron => Algorithm::Romanian,
        Lang::Rus => Algorithm::Russian,
        Lang::Spa => Algorithm::Spanish,
        Lang::Swe => Algorithm::Swedish,
        Lang::Tam => Algorithm::Tamil,
        Lang::Tur => Algorithm::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_of_several_languages_are_known() {
        let stops = stop_word_hashes(&TextOptions::default());
        for word in ["the", "le", "und", "los", "della", "чтобы"] {
            let h = token_hash(&normalize_token(word, &TextOptions::default()));
            assert!(stops.contains(&h), "{word} should be a function word");
        }
        for word in ["deserter", "probability", "ukraine"] {
            let h = token_hash(&normalize_token(word, &TextOptions::default()));
            assert!(!stops.contains(&h), "{word} is content");
        }
    }

    #[test]
    fn months_in_several_languages() {
        assert_eq!(month_number("février"), Some(2));
        assert_eq!(month_number("Fevrier"), Some(2));
        assert_eq!(month_number("February"), Some(2));
        assert_eq!(month_number("Dezember"), Some(12));
        assert_eq!(month_number("agosto"), Some(8));
        assert_eq!(month_number("armée"), None);
    }

    #[test]
    fn stemming_conflates_inflections() {
        let fr = WordStemmer::for_text(
            "Les déserteurs russes sont arrivés en France après un long parcours semé \
             d'embûches, et ils appellent leurs anciens frères d'armes à fuir l'armée.",
        );
        assert_eq!(fr.stem("déserteurs"), fr.stem("déserteur"));
        let en = WordStemmer::for_text(
            "The theorem relates the conditional and marginal probabilities of two random \
             events, and it is often used to compute posterior probabilities.",
        );
        assert_eq!(en.stem("probabilities"), en.stem("probability"));
        let prefix = WordStemmer::prefix_only();
        assert_eq!(prefix.stem("probabilities"), "probab");
        assert_eq!(prefix.stem("bayes"), "bayes");
    }
}
