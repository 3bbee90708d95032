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
//! - **Stemming** uses the Snowball stemmers (`rust-stemmers`) for the document's
//!   language, told by which language's function words its first few hundred words
//!   use most (every Snowball language has a stop-word list, and the vote costs one
//!   lookup per word, where a trigram language detector costs far more); where there is
//!   no Snowball stemmer, a word is cut to its first [`PREFIX_STEM_CHARS`] characters,
//!   which conflates inflections well in most alphabetic languages.
//! - **Month names** in the major European languages, so "24 février 2022" and
//!   "February 24, 2022" become the same date.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::normalise::text::{normalize_token, token_hash, TextOptions};

/// Characters kept of a word that has no Snowball stemmer for its language.
pub const PREFIX_STEM_CHARS: usize = 6;

/// NLTK stop-word lists merged into the function-word set.
const STOP_WORD_LANGUAGES: &[&str] = &[
    "en", "fr", "de", "es", "it", "pt", "nl", "ru", "sv", "da", "nb", "fi", "tr", "ar", "el", "hu",
    "ro", "id", "ca", "sl", "kk", "az", "he", "tg", "uz", "sq", "eu", "be", "ne",
];

/// Month names (case and accents folded) with their number; English abbreviations
/// included. Shared by the story stage's dates and the publication dates of
/// [`crate::provenance::dates`].
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
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
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

/// Hasher for keys that are already hashes.
#[derive(Default)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by token hashes.
pub type HashKeyed<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// The function words of every listed language: token hash (normalised with the
/// options the tested tokens were hashed with) to the set of languages, as bits over
/// `STOP_WORD_LANGUAGES`, whose list holds it.
pub fn stop_word_languages(opts: &TextOptions) -> HashKeyed<u32> {
    let mut map = HashKeyed::default();
    for (bit, lang) in STOP_WORD_LANGUAGES.iter().enumerate() {
        for word in stop_words::lookup(lang).unwrap_or(&[]) {
            // A list entry may hold an apostrophe ("aren't"); each of its tokens is
            // then a function word in its own right.
            for part in word.split(|c: char| !c.is_alphanumeric()) {
                if !part.is_empty() {
                    *map.entry(token_hash(&normalize_token(part, opts)))
                        .or_insert(0) |= 1u32 << bit;
                }
            }
        }
    }
    map
}

/// The language whose function words are most frequent among `masks` (one per
/// function word of a text, from [`stop_word_languages`]), as an ISO 639-1 code; `None`
/// with fewer than three function words.
pub fn vote_language(masks: impl Iterator<Item = u32>) -> Option<&'static str> {
    let mut votes = [0u32; 32];
    let mut total = 0;
    for mask in masks {
        total += 1;
        for (bit, vote) in votes.iter_mut().enumerate().take(STOP_WORD_LANGUAGES.len()) {
            *vote += (mask >> bit) & 1;
        }
    }
    if total < 3 {
        return None;
    }
    let (best, _) = votes
        .iter()
        .enumerate()
        .take(STOP_WORD_LANGUAGES.len())
        .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(&x.0)))?;
    STOP_WORD_LANGUAGES.get(best).copied()
}

/// The month number of a month name (any case, accents optional).
pub fn month_number(word: &str) -> Option<u8> {
    if word.len() < 3 || word.len() > 12 || !word.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    if word.is_ascii() {
        // The common case, with no allocation.
        return MONTHS
            .iter()
            .find(|(name, _)| name.len() == word.len() && name.eq_ignore_ascii_case(word))
            .map(|&(_, month)| month);
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
    /// The stemmer for a language (ISO 639-1), or the prefix rule.
    pub fn for_language(code: Option<&str>) -> Self {
        let algorithm = code.and_then(snowball_for);
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

    /// The stem of a lower-cased word. English words in British spelling are stemmed
    /// in American spelling ([`american_spelling`]), so the two editions of one wire
    /// story share their stems.
    pub fn stem<'a>(&self, lowercase: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.snowball {
            Some(stemmer) if self.id == ENGLISH_ID => match american_spelling(lowercase) {
                Some(american) => std::borrow::Cow::Owned(stemmer.stem(&american).into_owned()),
                None => stemmer.stem(lowercase),
            },
            Some(stemmer) => stemmer.stem(lowercase),
            None => match lowercase.char_indices().nth(PREFIX_STEM_CHARS) {
                Some((cut, _)) => std::borrow::Cow::Borrowed(&lowercase[..cut]),
                None => std::borrow::Cow::Borrowed(lowercase),
            },
        }
    }
}

/// [`WordStemmer::id`] of the English stemmer.
const ENGLISH_ID: u8 = 1 + Algorithm::English as u8;

/// The American spelling of a lower-cased British English word, when a regular rule
/// gives one: `-ise`/`-isation` (organise, organisation), `-yse` (analyse), `-our`
/// (colour, favourite), `-tre` (centre), and a few words of their own (defence,
/// programme). Short words are left alone (rise, wise, hour, your), and a rule applied
/// to a word that has no American variant (devour) changes it the same way in every
/// text, so it still matches itself.
pub fn american_spelling(word: &str) -> Option<String> {
    const WORDS: &[(&str, &str)] = &[
        ("defence", "defense"),
        ("offence", "offense"),
        ("licence", "license"),
        ("pretence", "pretense"),
        ("programme", "program"),
        ("programmes", "programs"),
        ("catalogue", "catalog"),
        ("catalogues", "catalogs"),
    ];
    const SUFFIXES: &[(&str, &str)] = &[
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yse", "yze"),
        ("ourites", "orites"),
        ("ourite", "orite"),
        ("ourable", "orable"),
        ("ouring", "oring"),
        ("oured", "ored"),
        ("ours", "ors"),
        ("our", "or"),
        ("tres", "ters"),
        ("tre", "ter"),
    ];
    if word.len() < 6 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if let Some(&(_, american)) = WORDS.iter().find(|(british, _)| *british == word) {
        return Some(american.to_owned());
    }
    SUFFIXES.iter().find_map(|(british, american)| {
        let stem = word.strip_suffix(british)?;
        // At least three letters before the suffix: "raise", "tour" keep theirs.
        (stem.len() >= 3).then(|| format!("{stem}{american}"))
    })
}

fn snowball_for(code: &str) -> Option<Algorithm> {
    Some(match code {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_of_several_languages_are_known() {
        let stops = stop_word_languages(&TextOptions::default());
        for word in ["the", "le", "und", "los", "della", "чтобы"] {
            let h = token_hash(&normalize_token(word, &TextOptions::default()));
            assert!(stops.contains_key(&h), "{word} should be a function word");
        }
        for word in ["deserter", "probability", "ukraine"] {
            let h = token_hash(&normalize_token(word, &TextOptions::default()));
            assert!(!stops.contains_key(&h), "{word} is content");
        }
    }

    #[test]
    fn british_spellings_and_the_words_left_alone() {
        assert_eq!(
            american_spelling("organisations").as_deref(),
            Some("organizations")
        );
        assert_eq!(american_spelling("analysing").as_deref(), Some("analyzing"));
        assert_eq!(american_spelling("labour").as_deref(), Some("labor"));
        assert_eq!(american_spelling("theatres").as_deref(), Some("theaters"));
        assert_eq!(american_spelling("programme").as_deref(), Some("program"));
        for word in [
            "rise", "raise", "hour", "your", "tour", "metre", "house", "Colour", "élise",
        ] {
            assert_eq!(american_spelling(word), None, "{word}");
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
        let languages = stop_word_languages(&TextOptions::default());
        let for_text = |text: &str| {
            let mut tokens = Vec::new();
            crate::normalise::text::tokenize(text, &TextOptions::default(), &mut tokens);
            let masks = tokens
                .iter()
                .filter_map(|t| languages.get(&t.hash).copied());
            WordStemmer::for_language(vote_language(masks))
        };
        let fr = for_text(
            "Les déserteurs russes sont arrivés en France après un long parcours semé \
             d'embûches, et ils appellent leurs anciens frères d'armes à fuir l'armée.",
        );
        assert_eq!(fr.id(), WordStemmer::for_language(Some("fr")).id());
        assert_eq!(fr.stem("déserteurs"), fr.stem("déserteur"));
        let en = for_text(
            "The theorem relates the conditional and marginal probabilities of two random \
             events, and it is often used to compute posterior probabilities.",
        );
        assert_eq!(en.id(), WordStemmer::for_language(Some("en")).id());
        assert_eq!(en.stem("probabilities"), en.stem("probability"));
        for (british, american) in [
            ("organisation", "organization"),
            ("realised", "realized"),
            ("generalisation", "generalization"),
            ("analysed", "analyzed"),
            ("colour", "color"),
            ("favourite", "favorite"),
            ("neighbours", "neighbors"),
            ("centre", "center"),
            ("defence", "defense"),
            ("programme", "program"),
        ] {
            assert_eq!(en.stem(british), en.stem(american), "{british}");
        }
        assert_ne!(en.stem("house"), en.stem("hose"));
        // Only English gets the rules: French "organisation" is French spelling.
        assert_eq!(fr.stem("organisation"), fr.stem("organisations"));
        let prefix = WordStemmer::prefix_only();
        assert_eq!(prefix.stem("probabilities"), "probab");
        assert_eq!(prefix.stem("bayes"), "bayes");
    }
}
