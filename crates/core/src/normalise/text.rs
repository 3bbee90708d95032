//! Normalisation and tokenisation, for text in any language.
//!
//! Everything reprint compares is a sequence of *tokens*: words, or single characters in
//! scripts written without spaces. Two texts that differ only in case, punctuation,
//! whitespace or Unicode encoding choices must give the same sequence of token hashes,
//! because that is what makes a reprint with different typography an exact copy. This
//! module is the hot path of a scan (every byte of every document goes through it once),
//! so the design below trades a little linguistic precision for speed and predictability.
//!
//! # Splitting
//!
//! A token is a maximal run of *word characters*: characters for which
//! [`char::is_alphanumeric`] holds, plus combining marks (general category `M*`).
//! Marks must count as word characters, or Devanagari, Arabic and Thai vowel signs and
//! decomposed accents ("e" + U+0301) would cut words in two. Every other character
//! (punctuation, whitespace, symbols, emoji) separates tokens and is dropped; that is how
//! punctuation and whitespace differences are folded away. Apostrophes and hyphens split
//! too ("l'ONG" gives `l`, `ong`), which is harmless because both copies split alike.
//! We chose this over UAX #29 word segmentation because it is several times faster,
//! needs no word-break rules, and its result does not depend on a Unicode version's word
//! break rules; the project lead measured ~0.75 s against 2.2 s for 70 MB of news.
//!
//! Scripts written without spaces (Han, Hiragana, Katakana, Bopomofo, Thai, Lao, Khmer,
//! Myanmar) have no word boundaries to find, so each of their characters is a token of
//! its own, together with any combining marks that follow it (so a Thai vowel sign, or
//! the Japanese voicing mark U+3099, stays with the letter it modifies, and the
//! decomposed "か" + U+3099 equals the precomposed "が"). Word n-grams over these tokens
//! are then character n-grams, the standard way to shingle such text. Hangul is *not* in
//! this list: Korean puts spaces between words, so Hangul runs are ordinary words. The
//! check is a `match` on a few code-point ranges, cheap and dependency-free.
//!
//! Invisible format characters that web pages put *inside* words (soft hyphen U+00AD,
//! zero-width joiner and non-joiner, word joiner, U+FEFF) do not split a word and are not
//! part of its normalised form: one site's hyphenation hints must not make its copy of
//! an article differ from the original. Elsewhere they are separators like any other.
//!
//! # Normalised form
//!
//! A token's normalised form is, in order:
//! 1. NFKC, so compatibility variants agree (full-width "ＡＢＣ" is "ABC", the ligature
//!    "ﬁ" is "fi", a decomposed "é" is the precomposed one);
//! 2. case folding, done as [`char::to_lowercase`] plus the two full case foldings that
//!    lowercasing misses and that matter in practice: "ß"/"ẞ" become "ss" (so "STRASSE"
//!    equals "straße") and final sigma "ς" becomes "σ" (so "ΟΔΟΣ" equals "οδος").
//!    Other full foldings are rare enough to ignore, and Turkish dotted/dotless i follow
//!    the language-neutral rules ("İ" lowercases to "i" + U+0307);
//! 3. optionally ([`TextOptions::fold_accents`]) accent folding: canonical decomposition,
//!    removal of *diacritic* marks, recomposition. Only marks that are accents are removed
//!    (the generic combining diacritics blocks, Hebrew points, Arabic harakat), so "é"
//!    becomes "e" and "ё" becomes "е", but Devanagari, Thai or other vowel signs and the
//!    kana voicing marks, which are letters' essential parts rather than accents, stay:
//!    removing them would merge unrelated words. Letters with no decomposition ("ł",
//!    "ø") are unchanged.
//!
//! A token whose normalised form is empty (a lone accent with accent folding on) is
//! dropped. NFKC is applied per token, after splitting, so it never changes where tokens
//! are; a token's normalised form can therefore contain characters that would have
//! split it (NFKC turns "½" into "1⁄2"), which is harmless: the form is only hashed.
//!
//! # Fast paths
//!
//! Most tokens are already in normalised form: lowercase ASCII words, lowercase words of
//! most other alphabets, CJK characters. Such a token is hashed where it lies in the
//! input, with no copy and no normalisation call. To know that cheaply, every character
//! of the Basic Multilingual Plane has a precomputed *info byte* (a 64 KiB table built
//! once per process, in about 10 ms, from the very functions the slow path uses): its
//! class for splitting, whether it is its own normalised form (NFKC quick check "yes",
//! canonical combining class 0, unchanged by case folding), and whether accent folding
//! leaves it alone. A string of characters that are each their own NFKC form with
//! combining class 0 is itself NFKC (that is exactly when the quick check answers
//! "yes"), and case folding works character by character, so and-ing the flags over a
//! token decides for the whole token. One table load per character also replaced the
//! Unicode property lookups (alphabetic, numeric, mark) that dominated profiles of
//! non-Latin text; characters beyond the BMP (emoji, CJK extensions, historic scripts)
//! are rare and are classified directly.
//!
//! An ASCII token has its own tighter loop: a 128-entry class table, and capital letters
//! lowercased on the stack. Every other token goes through
//! `unicode_normalization::is_nfkc_quick` and is only run through the NFKC algorithm
//! when the quick check does not answer "yes"; its normalised bytes are built in a
//! buffer reused across the document, so a document costs at most two buffer
//! allocations beyond its token vector, and an all-ASCII one none.
//!
//! # Hashes and offsets
//!
//! [`Token::hash`] is xxh3-64 (seed 0) of the normalised form's UTF-8 bytes
//! ([`token_hash`]), the same on every run and platform. [`Token::start`] and
//! [`Token::end`] are byte offsets into the *original* text, so a match can be shown in
//! context. They are `u32`: texts over 4 GiB are not supported (the readers cap record
//! size far below that); only the first 4 GiB of a longer text are tokenised.
//!
//! Which characters are letters, marks or NFKC-stable comes from the Unicode tables of
//! the standard library and of `unicode-normalization`. Upgrading either can change the
//! tokens of newly assigned or re-categorised characters (rare, but it means stored
//! fingerprints are only comparable with fingerprints from the same tables).

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use xxhash_rust::xxh3::xxh3_64;

use crate::relation::CharSpan;

/// Options for normalisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Remove diacritics ("é" -> "e") after NFKC and case folding.
    pub fold_accents: bool,
}

/// One token: the hash of its normalised form and its byte span in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// [`token_hash`] of the token's normalised form.
    pub hash: u64,
    /// Byte offset of the token's first byte in the original text.
    pub start: u32,
    /// Byte offset just past the token's last byte in the original text.
    pub end: u32,
}

/// Tokenise `text` into `out` (cleared first): one [`Token`] per word, or per character
/// (with its marks) of a script written without spaces, in text order. See the module
/// documentation for the rules.
pub fn tokenize(text: &str, opts: &TextOptions, out: &mut Vec<Token>) {
    tokenize_each(text, opts, out, |_| {});
}

/// [`tokenize`], and each token's span in *characters* pushed to `char_spans` (cleared
/// first), what output files and alignments show: counted during the one walk over the
/// text, with no second pass.
pub fn tokenize_with_char_spans(
    text: &str,
    opts: &TextOptions,
    out: &mut Vec<Token>,
    char_spans: &mut Vec<CharSpan>,
) {
    char_spans.clear();
    tokenize_each(text, opts, out, |span| char_spans.push(span));
}

/// Tokenises into `out` (cleared first), giving each token's character span to
/// `char_span` as it is pushed. A no-op `char_span` has the counting optimised away.
#[inline]
fn tokenize_each(
    text: &str,
    opts: &TextOptions,
    out: &mut Vec<Token>,
    mut char_span: impl FnMut(CharSpan),
) {
    out.clear();
    let mut normalizer = Normalizer::new(opts);
    scan_tokens(text, opts, |start, end, kind, skipped| {
        let Some(hash) = span_hash(text, start, end, kind, &mut normalizer) else {
            return;
        };
        // `scan_tokens` never goes past `u32::MAX`, so these casts are exact.
        out.push(Token {
            hash,
            start: start as u32,
            end: end as u32,
        });
        char_span(CharSpan {
            start: (start - skipped.0) as u32,
            end: (end - skipped.1) as u32,
        });
    });
}

/// The hash of one token span, `None` when its normalised form is empty.
#[inline]
fn span_hash(
    text: &str,
    start: usize,
    end: usize,
    kind: SpanKind,
    normalizer: &mut Normalizer,
) -> Option<u64> {
    Some(match kind {
        SpanKind::AsciiMixed => {
            hash_ascii_lowercased(&text.as_bytes()[start..end], &mut normalizer.buf)
        }
        // The span is its own normalised form: hash it where it lies.
        SpanKind::Normalized => xxh3_64(&text.as_bytes()[start..end]),
        SpanKind::Unicode => {
            let normalized = normalizer.normalize(&text[start..end]);
            if normalized.is_empty() {
                return None;
            }
            token_hash(normalized)
        }
    })
}

/// The normalised form of one token's text (NFKC, case folded, accents folded if asked).
///
/// For a token `t` of `text`, `token_hash(&normalize_token(&text[t.start..t.end], opts))`
/// is `t.hash`. Given arbitrary text, it normalises the whole string as one token.
pub fn normalize_token(token: &str, opts: &TextOptions) -> String {
    Normalizer::new(opts).normalize(token).to_owned()
}

/// The normalised forms of the tokens of `text`, in order: what [`tokenize`] hashes.
/// For display, debugging and the `compare` command; scans use [`tokenize`].
pub fn normalized_words(text: &str, opts: &TextOptions) -> Vec<String> {
    let mut words = Vec::new();
    let mut normalizer = Normalizer::new(opts);
    scan_tokens(text, opts, |start, end, kind, _| {
        let span = &text[start..end];
        match kind {
            SpanKind::AsciiMixed => words.push(span.to_ascii_lowercase()),
            SpanKind::Normalized => words.push(span.to_owned()),
            SpanKind::Unicode => {
                let normalized = normalizer.normalize(span);
                if !normalized.is_empty() {
                    words.push(normalized.to_owned());
                }
            }
        }
    });
    words
}

/// The hash stored in [`Token::hash`] for a token whose normalised form is `normalized`.
#[inline]
pub fn token_hash(normalized: &str) -> u64 {
    xxh3_64(normalized.as_bytes())
}

/// What a token span needs before it can be hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    /// ASCII with capitals: byte lowercasing is its whole normalisation.
    AsciiMixed,
    /// Already in normalised form (lowercase ASCII, most lowercase words of other
    /// scripts, CJK characters): hashed as it is.
    Normalized,
    /// Anything else: needs the full normalisation.
    Unicode,
}

/// How a character takes part in tokenisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum CharClass {
    /// Ends a token and is dropped.
    Separator = 0,
    /// Part of a run of word characters.
    Word = 1,
    /// A character of a script written without spaces: a token by itself.
    Solo = 2,
    /// A combining mark: continues whatever token precedes it.
    Attach = 3,
    /// An invisible format character: continues a word without ending it, not part of it.
    Ignorable = 4,
}

// A character's *info* byte: its class in the low bits, and two flags that let tokens
// made only of flagged characters skip normalisation.
const CLASS_MASK: u8 = 0b111;
/// The character is its own normalised form when accents are not folded: NFKC quick
/// check "yes", canonical combining class 0 (so no reordering or composition with its
/// neighbours can happen), and unchanged by case folding. A string of such characters
/// is in NFKC (that is what a "yes" of the quick check means) and case folded.
const NORMALIZED: u8 = 1 << 3;
/// Accent folding leaves the character unchanged (its decomposition has no diacritic).
const FOLD_STABLE: u8 = 1 << 4;

/// Class of ASCII bytes for the fast ASCII loop: 0 separator, 1 lowercase letter or
/// digit, 2 capital letter. Or-ing them over a run tells at once whether the run needs
/// lowercasing.
const ASCII_SEPARATOR: u8 = 0;
const ASCII_LOWER: u8 = 1;
const ASCII_UPPER: u8 = 2;

static ASCII_CLASS: [u8; 128] = {
    let mut table = [ASCII_SEPARATOR; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_uppercase() {
            table[b] = ASCII_UPPER;
        } else if c.is_ascii_alphanumeric() {
            table[b] = ASCII_LOWER;
        }
        b += 1;
    }
    table
};

/// Info bytes of the Basic Multilingual Plane, computed once per process (a few ms)
/// from [`char_info`]: one load per character instead of the Unicode property lookups
/// (alphabetic, numeric, mark, quick check, lowercase), which dominated profiles of
/// non-Latin text. Characters beyond the BMP (rare in text: emoji, historic scripts,
/// CJK extensions) are looked up directly.
type InfoTable = [u8; 0x10000];

fn info_table() -> &'static InfoTable {
    static TABLE: OnceLock<Box<InfoTable>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new([0u8; 0x10000]);
        for (cp, info) in (0u32..).zip(table.iter_mut()) {
            // Surrogates are not characters; they never occur in a `str`.
            if let Some(c) = char::from_u32(cp) {
                *info = char_info(c);
            }
        }
        table
    })
}

#[inline]
fn info_of(table: &InfoTable, cp: u32) -> u8 {
    match table.get(cp as usize) {
        Some(&info) => info,
        None => char::from_u32(cp).map_or(CharClass::Separator as u8, char_info),
    }
}

#[inline]
fn class_of(info: u8) -> CharClass {
    match info & CLASS_MASK {
        1 => CharClass::Word,
        2 => CharClass::Solo,
        3 => CharClass::Attach,
        4 => CharClass::Ignorable,
        _ => CharClass::Separator,
    }
}

/// The info byte of `c`, computed from the Unicode properties.
fn char_info(c: char) -> u8 {
    let class = if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        }
    } else {
        classify(c)
    };
    let mut info = class as u8;
    if matches!(class, CharClass::Word | CharClass::Solo | CharClass::Attach) {
        if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
            && canonical_combining_class(c) == 0
            && is_case_folded(c)
        {
            info |= NORMALIZED;
        }
        if std::iter::once(c)
            .nfd()
            .filter(|&d| !is_diacritic(d))
            .nfc()
            .eq(std::iter::once(c))
        {
            info |= FOLD_STABLE;
        }
    }
    info
}

/// Scripts written without spaces, as far as classification needs to know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoSpace {
    /// Ranges with no combining marks (the Han blocks, most kana).
    Plain,
    /// Ranges that contain combining marks, which must attach to the previous character.
    WithMarks,
    /// Half-width katakana voicing marks: spacing letters (Lm) that NFKC turns into
    /// combining marks, so they attach like marks.
    HalfwidthVoicing,
}

#[inline]
fn no_space_script(c: char) -> Option<NoSpace> {
    match c as u32 {
        0x0E00..=0x0EFF  // Thai, Lao
        | 0x1000..=0x109F  // Myanmar
        | 0x1780..=0x17FF  // Khmer
        | 0x3000..=0x303F  // CJK symbols: iteration marks, 〇, Hangzhou numerals, tone marks
        | 0x3040..=0x309F  // Hiragana (U+3099/U+309A are combining voicing marks)
        | 0xA9E0..=0xA9FF  // Myanmar Extended-B
        | 0xAA60..=0xAA7F  // Myanmar Extended-A
        | 0x116D0..=0x116FF // Myanmar Extended-C
        => Some(NoSpace::WithMarks),
        0x30A0..=0x30FF    // Katakana
        | 0x3100..=0x312F  // Bopomofo
        | 0x31A0..=0x31BF  // Bopomofo Extended
        | 0x31F0..=0x31FF  // Katakana Phonetic Extensions
        | 0x3400..=0x4DBF  // CJK Extension A
        | 0x4E00..=0x9FFF  // CJK Unified Ideographs
        | 0xF900..=0xFAFF  // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9D  // Half-width katakana
        | 0x1AFF0..=0x1B16F // Kana Extended-B, Kana Supplement, Kana Extended-A, Small Kana
        | 0x20000..=0x3FFFF // planes 2 and 3: CJK Extensions B to H, compatibility
        => Some(NoSpace::Plain),
        0xFF9E..=0xFF9F => Some(NoSpace::HalfwidthVoicing),
        _ => None,
    }
}

/// Default-ignorable format characters found inside words in web text.
#[inline]
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Class of a non-ASCII character, from the Unicode properties.
fn classify(c: char) -> CharClass {
    match no_space_script(c) {
        None => {}
        Some(NoSpace::Plain) => {
            return if c.is_alphanumeric() {
                CharClass::Solo
            } else {
                CharClass::Separator
            };
        }
        Some(NoSpace::WithMarks) => {
            // Marks first: many vowel signs are also alphabetic.
            return if is_combining_mark(c) {
                CharClass::Attach
            } else if c.is_alphanumeric() {
                CharClass::Solo
            } else {
                CharClass::Separator
            };
        }
        Some(NoSpace::HalfwidthVoicing) => return CharClass::Attach,
    }
    if c.is_alphanumeric() {
        CharClass::Word
    } else if is_ignorable(c) {
        CharClass::Ignorable
    } else if is_combining_mark(c) {
        CharClass::Attach
    } else {
        CharClass::Separator
    }
}

/// Decodes the character starting at byte `i` of `bytes`, which must be valid UTF-8
/// with a non-ASCII character there: (code point, length in bytes).
#[inline]
fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let continuation = |k: usize| u32::from(bytes.get(i + k).map_or(0, |b| b & 0x3F));
    let lead = u32::from(bytes[i]);
    if lead < 0xE0 {
        (((lead & 0x1F) << 6) | continuation(1), 2)
    } else if lead < 0xF0 {
        (
            ((lead & 0x0F) << 12) | (continuation(1) << 6) | continuation(2),
            3,
        )
    } else {
        (
            ((lead & 0x07) << 18)
                | (continuation(1) << 12)
                | (continuation(2) << 6)
                | continuation(3),
            4,
        )
    }
}

/// Calls `emit(start, end, kind, skipped)` for each token span of `text`, in order;
/// `skipped` is how many UTF-8 continuation bytes precede `start` and `end`, so that
/// `start - skipped.0` and `end - skipped.1` are character offsets. (Counting them
/// costs nothing here, where every non-ASCII character is decoded anyway, and callers
/// that ignore them have the counting optimised away.)
///
/// Stops at `u32::MAX` bytes (rounded down to a char boundary) so that offsets fit in
/// [`Token`]'s `u32` fields.
#[inline]
fn scan_tokens(
    text: &str,
    opts: &TextOptions,
    mut emit: impl FnMut(usize, usize, SpanKind, (usize, usize)),
) {
    let mut len = text.len().min(u32::MAX as usize);
    while !text.is_char_boundary(len) {
        len -= 1;
    }
    let bytes = &text.as_bytes()[..len];
    let table = info_table();
    // Flags a token's characters must all have for it to be its own normalised form.
    let identity = if opts.fold_accents {
        NORMALIZED | FOLD_STABLE
    } else {
        NORMALIZED
    };
    let unicode_kind = |info: u8| {
        if info & identity == identity {
            SpanKind::Normalized
        } else {
            SpanKind::Unicode
        }
    };
    let mut i = 0;
    // Continuation bytes in `bytes[..i]`.
    let mut skipped = 0;
    while i < len {
        let b = bytes[i];
        if b < 0x80 {
            let mut flags = ASCII_CLASS[b as usize];
            if flags == ASCII_SEPARATOR {
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            while i < len {
                let b = bytes[i];
                if b >= 0x80 {
                    break;
                }
                let class = ASCII_CLASS[b as usize];
                if class == ASCII_SEPARATOR {
                    break;
                }
                flags |= class;
                i += 1;
            }
            if i < len && bytes[i] >= 0x80 {
                // The word may go on with non-ASCII word characters ("café").
                let ascii_info = if flags & ASCII_UPPER != 0 {
                    0
                } else {
                    NORMALIZED | FOLD_STABLE
                };
                let (end, info, in_word) = word_end(bytes, table, i, ascii_info);
                if end > i {
                    emit(start, end, unicode_kind(info), (skipped, skipped + in_word));
                    skipped += in_word;
                    i = end;
                    continue;
                }
            }
            let kind = if flags & ASCII_UPPER != 0 {
                SpanKind::AsciiMixed
            } else {
                SpanKind::Normalized
            };
            emit(start, i, kind, (skipped, skipped));
        } else {
            let (cp, width) = decode_at(bytes, i);
            let info = info_of(table, cp);
            match class_of(info) {
                CharClass::Separator | CharClass::Ignorable => {
                    i += width;
                    skipped += width - 1;
                }
                CharClass::Word | CharClass::Attach => {
                    let (end, info, in_word) = word_end(bytes, table, i + width, info);
                    let end_skipped = skipped + width - 1 + in_word;
                    emit(i, end, unicode_kind(info), (skipped, end_skipped));
                    skipped = end_skipped;
                    i = end;
                }
                CharClass::Solo => {
                    let start = i;
                    let start_skipped = skipped;
                    let mut token_info = info;
                    i += width;
                    skipped += width - 1;
                    // Keep the marks that modify this character with it.
                    while i < len && bytes[i] >= 0x80 {
                        let (cp, width) = decode_at(bytes, i);
                        let info = info_of(table, cp);
                        if class_of(info) != CharClass::Attach {
                            break;
                        }
                        token_info &= info;
                        i += width;
                        skipped += width - 1;
                    }
                    emit(start, i, unicode_kind(token_info), (start_skipped, skipped));
                }
            }
        }
    }
}

/// End of the word that continues at byte `i`: just past its last word character, the
/// and of `info` with the info bytes of the word's characters (an ignorable character
/// clears the flags: it must be removed by normalisation), and the number of UTF-8
/// continuation bytes from `i` to that end. Ignorable characters are skipped over but
/// never end a word.
#[inline]
fn word_end(bytes: &[u8], table: &InfoTable, mut i: usize, mut info: u8) -> (usize, u8, usize) {
    let mut end = i;
    let (mut skipped, mut skipped_at_end) = (0, 0);
    while i < bytes.len() {
        let (cp, width) = if bytes[i] < 0x80 {
            (u32::from(bytes[i]), 1)
        } else {
            decode_at(bytes, i)
        };
        let char_info = info_of(table, cp);
        match class_of(char_info) {
            CharClass::Word | CharClass::Attach => {
                i += width;
                skipped += width - 1;
                end = i;
                skipped_at_end = skipped;
                info &= char_info;
            }
            CharClass::Ignorable => {
                i += width;
                skipped += width - 1;
                info = 0;
            }
            CharClass::Separator | CharClass::Solo => break,
        }
    }
    (end, info, skipped_at_end)
}

/// Lowercases an ASCII token (on the stack when short) and hashes it.
#[inline]
fn hash_ascii_lowercased(token: &[u8], scratch: &mut String) -> u64 {
    const STACK: usize = 64;
    if token.len() <= STACK {
        let mut lowered = [0u8; STACK];
        for (dst, src) in lowered.iter_mut().zip(token) {
            *dst = src.to_ascii_lowercase();
        }
        xxh3_64(&lowered[..token.len()])
    } else {
        scratch.clear();
        scratch.extend(token.iter().map(|b| char::from(b.to_ascii_lowercase())));
        xxh3_64(scratch.as_bytes())
    }
}

/// Is `c` an accent that accent folding removes? (See the module documentation.)
#[inline]
fn is_diacritic(c: char) -> bool {
    match c as u32 {
        0x0300..=0x036F     // Combining Diacritical Marks
        | 0x1AB0..=0x1AFF   // ... Extended
        | 0x1DC0..=0x1DFF   // ... Supplement
        | 0x20D0..=0x20FF   // ... for Symbols
        | 0xFE20..=0xFE2F   // Combining Half Marks
        => true,
        0x0591..=0x05C7     // Hebrew cantillation and vowel points
        | 0x0610..=0x061A   // Arabic honorifics marks
        | 0x064B..=0x065F   // Arabic harakat
        | 0x0670            // Arabic superscript alef
        | 0x06D6..=0x06ED   // Quranic annotation marks
        => is_combining_mark(c),
        _ => false,
    }
}

/// The full normalisation of non-ASCII tokens, with buffers reused across tokens.
struct Normalizer {
    fold_accents: bool,
    buf: String,
    spare: String,
}

impl Normalizer {
    fn new(opts: &TextOptions) -> Self {
        Normalizer {
            fold_accents: opts.fold_accents,
            buf: String::new(),
            spare: String::new(),
        }
    }

    /// NFKC, case folding, accent folding if asked. Ignorable characters are dropped.
    fn normalize(&mut self, token: &str) -> &str {
        self.buf.clear();
        let visible = || token.chars().filter(|&c| !is_ignorable(c));
        let mut non_ascii_case_changed = false;
        if is_nfkc_quick(visible()) == IsNormalized::Yes {
            for c in visible() {
                non_ascii_case_changed |= push_case_folded(c, &mut self.buf);
            }
        } else {
            for c in visible().nfkc() {
                non_ascii_case_changed |= push_case_folded(c, &mut self.buf);
            }
        }
        // Lowercasing an NFKC string can, rarely, leave it un-normalised ("İ" gives
        // "i" + U+0307): normalise again so the result is NFKC-stable.
        if non_ascii_case_changed && is_nfkc_quick(self.buf.chars()) != IsNormalized::Yes {
            self.spare.clear();
            self.spare.extend(self.buf.chars().nfkc());
            std::mem::swap(&mut self.buf, &mut self.spare);
        }
        if self.fold_accents && !self.buf.is_ascii() {
            self.spare.clear();
            self.spare
                .extend(self.buf.chars().nfd().filter(|&c| !is_diacritic(c)).nfc());
            std::mem::swap(&mut self.buf, &mut self.spare);
        }
        &self.buf
    }
}

/// Whether case folding ([`push_case_folded`]) leaves `c` unchanged.
fn is_case_folded(c: char) -> bool {
    if matches!(c, 'ß' | 'ẞ' | 'ς') {
        return false;
    }
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// Appends the case folding of `c` to `out`; true when `c` is non-ASCII and changed.
#[inline]
fn push_case_folded(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return false;
    }
    match c {
        'ß' | 'ẞ' => out.push_str("ss"),
        'ς' => out.push('σ'),
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.len()) {
                (Some(l), 0) if l == c => {
                    out.push(c);
                    return false;
                }
                (Some(l), _) => {
                    out.push(l);
                    out.extend(lower);
                }
                (None, _) => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalized_words(text, &TextOptions::default())
    }

    fn folded_words(text: &str) -> Vec<String> {
        normalized_words(text, &TextOptions { fold_accents: true })
    }

    fn hashes(text: &str, opts: &TextOptions) -> Vec<u64> {
        let mut out = Vec::new();
        tokenize(text, opts, &mut out);
        out.iter().map(|t| t.hash).collect()
    }

    fn default_hashes(text: &str) -> Vec<u64> {
        hashes(text, &TextOptions::default())
    }

    /// Every token's span normalises to the token and hashes to its hash, spans are in
    /// order and do not overlap, and `normalized_words` agrees with `tokenize`.
    fn check_invariants(text: &str, opts: &TextOptions) {
        let mut tokens = Vec::new();
        tokenize(text, opts, &mut tokens);
        let words = normalized_words(text, opts);
        assert_eq!(tokens.len(), words.len(), "{text:?}");
        let mut previous_end = 0;
        for (token, word) in tokens.iter().zip(&words) {
            assert!(token.start < token.end, "{text:?}: {token:?}");
            assert!(token.start >= previous_end, "{text:?}: {token:?}");
            previous_end = token.end;
            let span = &text[token.start as usize..token.end as usize];
            let normalized = normalize_token(span, opts);
            assert_eq!(&normalized, word, "{text:?}: span {span:?}");
            assert_eq!(
                token_hash(&normalized),
                token.hash,
                "{text:?}: span {span:?}"
            );
        }
        // The character spans point at the same tokens, counted in characters.
        let (mut same_tokens, mut char_spans) = (Vec::new(), Vec::new());
        tokenize_with_char_spans(text, opts, &mut same_tokens, &mut char_spans);
        assert_eq!(same_tokens, tokens, "{text:?}");
        assert_eq!(char_spans.len(), tokens.len(), "{text:?}");
        for (token, span) in tokens.iter().zip(&char_spans) {
            let chars_before = |byte: u32| text[..byte as usize].chars().count() as u32;
            assert_eq!(span.start, chars_before(token.start), "{text:?}: {token:?}");
            assert_eq!(span.end, chars_before(token.end), "{text:?}: {token:?}");
        }
    }

    #[test]
    fn ascii_words_are_lowercased_and_punctuation_dropped() {
        assert_eq!(
            words("Hello, World!  It's 2024... (ok)"),
            ["hello", "world", "it", "s", "2024", "ok"]
        );
        assert!(words("").is_empty());
        assert!(words("  ,.;!? -- \n\t ").is_empty());
        check_invariants("Hello, World!  It's 2024... (ok)", &TextOptions::default());
    }

    #[test]
    fn ascii_hash_is_xxh3_of_lowercase_bytes() {
        let mut tokens = Vec::new();
        tokenize("ABC def", &TextOptions::default(), &mut tokens);
        assert_eq!(
            tokens,
            [
                Token {
                    hash: xxh3_64(b"abc"),
                    start: 0,
                    end: 3
                },
                Token {
                    hash: xxh3_64(b"def"),
                    start: 4,
                    end: 7
                },
            ]
        );
    }

    #[test]
    fn long_ascii_tokens_take_the_heap_path_consistently() {
        let long = "AbC".repeat(50);
        assert_eq!(words(&long), [long.to_ascii_lowercase()]);
        assert_eq!(
            default_hashes(&long),
            [token_hash(&long.to_ascii_lowercase())]
        );
    }

    #[test]
    fn french_with_accents_and_apostrophes() {
        let text = "L'ONG « Médecins sans frontières » a déclaré : l’été sera chaud.";
        assert_eq!(
            words(text),
            [
                "l",
                "ong",
                "médecins",
                "sans",
                "frontières",
                "a",
                "déclaré",
                "l",
                "été",
                "sera",
                "chaud"
            ]
        );
        check_invariants(text, &TextOptions::default());
        check_invariants(text, &TextOptions { fold_accents: true });
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "« Ｅｃｏｌｅ », ÉCOLE—e\u{301}cole; ﬁn 中文";
        let mut tokens = Vec::new();
        tokenize(text, &TextOptions::default(), &mut tokens);
        let spans: Vec<&str> = tokens
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(
            spans,
            ["Ｅｃｏｌｅ", "ÉCOLE", "e\u{301}cole", "ﬁn", "中", "文"]
        );
        check_invariants(text, &TextOptions::default());
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(normalize_token("ＡＢＣ", &TextOptions::default()), "abc");
        assert_eq!(default_hashes("ＡＢＣ"), default_hashes("abc"));
        assert_eq!(words("ﬁnal ﬂow"), ["final", "flow"]);
        // Full-width digits and superscripts.
        assert_eq!(words("２０２４ x²"), ["2024", "x2"]);
    }

    #[test]
    fn case_folding() {
        assert_eq!(default_hashes("ÉCOLE"), default_hashes("école"));
        assert_eq!(words("ÉCOLE"), ["école"]);
        assert_eq!(words("STRASSE Straße STRAẞE"), ["strasse"; 3]);
        assert_eq!(words("ΟΔΟΣ οδος"), ["οδοσ", "οδοσ"]);
        assert_eq!(words("МОСКВА"), ["москва"]);
        // Language-neutral dotted capital I: "i" + combining dot above, kept in the word.
        assert_eq!(words("İstanbul"), ["i\u{307}stanbul"]);
        assert_eq!(folded_words("İstanbul"), ["istanbul"]);
    }

    #[test]
    fn accent_folding_on_and_off() {
        let text = "Déjà vu à Zürich, señor; ёлка";
        assert_eq!(words(text), ["déjà", "vu", "à", "zürich", "señor", "ёлка"]);
        assert_eq!(
            folded_words(text),
            ["deja", "vu", "a", "zurich", "senor", "елка"]
        );
        let folded = TextOptions { fold_accents: true };
        assert_eq!(hashes("Été", &folded), hashes("ete", &folded));
        assert_ne!(default_hashes("Été"), default_hashes("ete"));
        check_invariants(text, &folded);
    }

    #[test]
    fn accent_folding_keeps_vowel_signs_and_voicing_marks() {
        // Hindi: vowel signs are combining marks but not accents.
        assert_eq!(folded_words("हिन्दी"), words("हिन्दी"));
        assert_eq!(words("हिन्दी भाषा"), ["हिन्दी", "भाषा"]);
        // Japanese voicing stays: が is not か.
        assert_eq!(folded_words("が"), ["が"]);
        // Hangul syllables survive decomposition and recomposition.
        assert_eq!(folded_words("한국어"), ["한국어"]);
        // Arabic harakat are removed, letters kept.
        assert_eq!(folded_words("كَتَبَ"), ["كتب"]);
    }

    #[test]
    fn a_lone_accent_folds_to_nothing_and_is_dropped() {
        let folded = TextOptions { fold_accents: true };
        assert_eq!(words("a \u{301} b"), ["a", "\u{301}", "b"]);
        assert_eq!(folded_words("a \u{301} b"), ["a", "b"]);
        assert_eq!(hashes("a \u{301} b", &folded).len(), 2);
        check_invariants("a \u{301} b", &folded);
    }

    #[test]
    fn decomposed_and_precomposed_accents_agree() {
        let decomposed = "e\u{301}te\u{301}";
        let precomposed = "été";
        assert_eq!(words(decomposed), [precomposed]);
        assert_eq!(default_hashes(decomposed), default_hashes(precomposed));
        // Japanese: か + combining voicing mark is が; half-width ｶﾞ is が's katakana ガ.
        assert_eq!(default_hashes("か\u{3099}"), default_hashes("が"));
        assert_eq!(words("ｶﾞｯｺｳ"), words("ガッコウ"));
        check_invariants("ｶﾞｯｺｳ か\u{3099}", &TextOptions::default());
    }

    #[test]
    fn chinese_japanese_thai_are_split_per_character() {
        assert_eq!(
            words("中文文本，测试。"),
            ["中", "文", "文", "本", "测", "试"]
        );
        assert_eq!(
            words("日本語のテキストです"),
            ["日", "本", "語", "の", "テ", "キ", "ス", "ト", "で", "す"]
        );
        // Thai: combining vowel signs stay with their consonant; spacing vowels are
        // letters of their own.
        assert_eq!(words("กินข้าว"), ["กิ", "น", "ข้", "า", "ว"]);
        // Latin and digits next to CJK stay words.
        assert_eq!(
            words("iPhone手机2024年"),
            ["iphone", "手", "机", "2024", "年"]
        );
        check_invariants(
            "日本語のテキストです กินข้าว iPhone手机2024年",
            &TextOptions::default(),
        );
    }

    #[test]
    fn korean_keeps_words() {
        assert_eq!(words("한국어 텍스트입니다."), ["한국어", "텍스트입니다"]);
    }

    #[test]
    fn combining_marks_stay_inside_words() {
        // Devanagari and Arabic words are not cut at their vowel signs.
        assert_eq!(words("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
        assert_eq!(words("مَرْحَبًا بالعالم"), ["مَرْحَبًا", "بالعالم"]);
    }

    #[test]
    fn punctuation_and_whitespace_differences_give_identical_hashes() {
        let a = "The quick brown fox -- jumped over the lazy dog.";
        let b = "the  QUICK\n\tbrown   fox: “jumped” over…the lazy dog!!!";
        let c = "The quick brown fox\u{a0}\u{2014} jumped over the lazy dog";
        assert_eq!(default_hashes(a), default_hashes(b));
        assert_eq!(default_hashes(a), default_hashes(c));
        assert_eq!(default_hashes(a).len(), 9);
        assert_ne!(default_hashes(a), default_hashes("The quick brown fox"));
    }

    #[test]
    fn soft_hyphens_and_joiners_do_not_split_words() {
        assert_eq!(
            default_hashes("na\u{ad}tio\u{ad}nal"),
            default_hashes("national")
        );
        assert_eq!(words("Zeit\u{ad}schrift"), ["zeitschrift"]);
        // At a word's edge they are dropped from the span too.
        let text = "\u{ad}word\u{200d} next";
        let mut tokens = Vec::new();
        tokenize(text, &TextOptions::default(), &mut tokens);
        let spans: Vec<&str> = tokens
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(spans, ["word", "next"]);
        check_invariants("na\u{ad}tio\u{ad}nal \u{feff}x", &TextOptions::default());
    }

    #[test]
    fn symbols_and_emoji_separate() {
        assert_eq!(
            words("a+b=c 😀d €5 #tag @user"),
            ["a", "b", "c", "d", "5", "tag", "user"]
        );
    }

    #[test]
    fn mixed_ascii_then_unicode_word() {
        assert_eq!(words("CAFÉ café Cafe\u{301}"), ["café"; 3]);
        check_invariants("CAFÉ café Cafe\u{301} naïve", &TextOptions::default());
    }

    #[test]
    fn tokenize_clears_its_output() {
        let mut out = vec![Token {
            hash: 1,
            start: 0,
            end: 0,
        }];
        tokenize("one", &TextOptions::default(), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].hash, token_hash("one"));
    }

    #[test]
    fn info_table_flags_agree_with_the_full_normalisation() {
        // Every character the table calls normalised must be left alone by the slow
        // path, with and without accent folding as flagged.
        let table = info_table();
        let plain = TextOptions::default();
        let folded = TextOptions { fold_accents: true };
        let mut checked = 0;
        for (cp, &info) in (0u32..).zip(table.iter()) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(info, char_info(c), "{c:?}");
            if info & NORMALIZED == 0 {
                continue;
            }
            let s = c.to_string();
            assert_eq!(normalize_token(&s, &plain), s, "{c:?}");
            if info & FOLD_STABLE != 0 {
                assert_eq!(normalize_token(&s, &folded), s, "{c:?}");
            }
            checked += 1;
        }
        // Sanity: the flags are not vacuous.
        assert!(checked > 40_000, "{checked}");
        assert_eq!(class_of(table['a' as usize]), CharClass::Word);
        assert_eq!(table['a' as usize] & NORMALIZED, NORMALIZED);
        assert_eq!(table['A' as usize] & NORMALIZED, 0);
        assert_eq!(table['é' as usize] & (NORMALIZED | FOLD_STABLE), NORMALIZED);
        assert_eq!(class_of(table['中' as usize]), CharClass::Solo);
        assert_eq!(class_of(table[0x301]), CharClass::Attach);
        assert_eq!(class_of(table[0xAD]), CharClass::Ignorable);
        assert_eq!(class_of(table[',' as usize]), CharClass::Separator);
    }

    #[test]
    fn utf8_decoding_matches_std() {
        let text = "é中𠀀ж\u{10FFFF}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}";
        for (i, c) in text.char_indices() {
            assert_eq!(decode_at(text.as_bytes(), i), (c as u32, c.len_utf8()));
        }
    }

    #[test]
    fn supplementary_plane_characters() {
        // CJK Extension B ideographs are tokens of their own; emoji separate.
        assert_eq!(words("𠀀𠀁😀abc"), ["𠀀", "𠀁", "abc"]);
        // Mathematical bold letters are NFKC-folded to plain ones.
        assert_eq!(words("𝐀𝐁𝐂"), ["abc"]);
        check_invariants("𠀀𠀁😀abc 𝐀𝐁𝐂", &TextOptions::default());
    }

    #[test]
    fn deterministic_hash_values() {
        // Pinned values: a change here changes every fingerprint ever stored.
        assert_eq!(token_hash("abc"), xxh3_64(b"abc"));
        assert_eq!(token_hash(""), 0x2D06800538D394C2);
    }

    proptest::proptest! {
        #[test]
        fn invariants_hold_on_arbitrary_text(text in "\\PC{0,60}") {
            check_invariants(&text, &TextOptions::default());
            check_invariants(&text, &TextOptions { fold_accents: true });
        }

        #[test]
        fn invariants_hold_on_mixed_script_text(
            text in "[a-zA-Z0-9é\u{301}\u{308}\u{327}\u{ad}\u{200d} ,.'ÉßẞΣςİıДдЁё中文かガｶﾞ\u{3099}ก\u{e34}\u{e38}\u{e48}ि्한\u{1100}\u{1161}\u{11a8}ﬁＡ½😀𠀀]{0,40}"
        ) {
            check_invariants(&text, &TextOptions::default());
            check_invariants(&text, &TextOptions { fold_accents: true });
        }
    }
}
