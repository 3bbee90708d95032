//! Property tests: the character spans of aligned passages, on real text.
//!
//! Text A is drawn from words of several scripts (accented Latin, German, Greek,
//! Cyrillic, Arabic, Devanagari, Chinese, Japanese), separated by varied punctuation,
//! symbols and the odd line break. Text B copies random word slices of A and edits them
//! the way reprints do: case changes, decomposed accents, full-width letters, other
//! punctuation, and substituted, inserted and deleted words, with unrelated words in
//! between. Both go through pass 2 (`Analyzer::prepare`) and
//! `verify::align_documents`; every passage's character spans, sliced out of the
//! texts, must be in bounds, non-empty, start and end on token boundaries, and begin and
//! end with the same normalised word on both sides.

use proptest::prelude::*;
use reprint_core::align::verify::{align_documents, PartialOptions};
use reprint_core::align::Aligner;
use reprint_core::fingerprint::analysis::{AnalysisOptions, Analyzer, Prepared};
use reprint_core::fingerprint::boilerplate::{BoilerplateOptions, LineCounter};
use reprint_core::normalise::text::{normalize_token, tokenize, TextOptions, Token};
use reprint_core::CharSpan;

/// Syllables per script; a word is one to three syllables of one script.
const SCRIPTS: &[&[&str]] = &[
    &[
        "ca", "fé", "ri", "mo", "là", "ço", "nu", "ï", "te", "bo", "sé", "vi",
    ],
    &["stra", "ße", "grü", "ö", "ber", "ka", "ü", "lich", "mä"],
    &["οδ", "ός", "λό", "γο", "κα", "ρη", "σ", "ς", "μα"],
    &["ёл", "ка", "до", "мо", "ви", "ще", "ж", "ны"],
    &["كت", "اب", "مد", "ين", "ة", "سل", "ام"],
    &["नम", "स्ते", "कि", "ता", "ब", "हि", "न्दी"],
    &["東", "京", "大", "学", "新", "聞", "山", "川"],
    &["か", "が", "み", "さ", "ト", "ウ", "キョ"],
    &["ab", "ti", "on", "fi", "de", "la", "pro", "vin", "ce"],
];

/// Separators between words.
const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", " ", ", ", ". ", "; ", " — ", " « ", " » ", "\n", " (", ") ", "! ", " 📰 ",
    "’", "-", " / ", "… ", "「", "」",
];

/// A small deterministic generator, so strategies only draw seeds.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn word(&mut self) -> String {
        let script = SCRIPTS[self.below(SCRIPTS.len())];
        let n = 1 + self.below(3);
        (0..n).map(|_| script[self.below(script.len())]).collect()
    }

    fn separator(&mut self) -> &'static str {
        SEPARATORS[self.below(SEPARATORS.len())]
    }
}

/// One way a copied word may be rewritten without changing its normalised form.
fn respell(word: &str, how: usize) -> String {
    match how {
        // upper case (ß becomes SS, final sigma Σ: both folded back)
        0 => word.to_uppercase(),
        // title case
        1 => {
            let mut chars = word.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
        // decomposed accents
        2 => word
            .chars()
            .flat_map(|c| {
                let s: &[char] = match c {
                    'é' => &['e', '\u{301}'],
                    'à' => &['a', '\u{300}'],
                    'ç' => &['c', '\u{327}'],
                    'ï' => &['i', '\u{308}'],
                    'ü' => &['u', '\u{308}'],
                    'ö' => &['o', '\u{308}'],
                    'ä' => &['a', '\u{308}'],
                    'ё' => &['е', '\u{308}'],
                    'ό' => &['ο', '\u{301}'],
                    'が' => &['か', '\u{3099}'],
                    _ => return vec![c],
                };
                s.to_vec()
            })
            .collect(),
        // full-width Latin letters and the "fi" ligature (NFKC folds both)
        3 => word
            .replace("fi", "\u{fb01}")
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    char::from_u32(c as u32 - 'a' as u32 + 0xFF41).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect(),
        _ => word.to_string(),
    }
}

/// Text A: `n` words with separators. Returns the text and its words.
fn text_a(rng: &mut Rng, n: usize) -> (String, Vec<String>) {
    let words: Vec<String> = (0..n).map(|_| rng.word()).collect();
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(rng.separator());
        }
        text.push_str(w);
    }
    (text, words)
}

/// Text B: slices of `a_words` with edits, and filler words between them. Also returns
/// the length of the longest slice copied without any word-level edit.
fn text_b(rng: &mut Rng, a_words: &[String], segments: usize) -> (String, usize) {
    let mut words: Vec<String> = Vec::new();
    let mut longest_clean = 0;
    for _ in 0..segments {
        if rng.below(3) == 0 {
            let n = rng.below(30);
            words.extend((0..n).map(|_| rng.word()));
            continue;
        }
        let start = rng.below(a_words.len());
        let len = 5 + rng.below(120);
        let end = (start + len).min(a_words.len());
        let mut copy: Vec<String> = a_words[start..end].to_vec();
        let edits = rng.below(8);
        for _ in 0..edits {
            match rng.below(3) {
                0 if !copy.is_empty() => {
                    let p = rng.below(copy.len());
                    copy[p] = rng.word();
                }
                1 => {
                    let p = rng.below(copy.len() + 1);
                    copy.insert(p, rng.word());
                }
                _ if !copy.is_empty() => {
                    let p = rng.below(copy.len());
                    copy.remove(p);
                }
                _ => {}
            }
        }
        if edits == 0 {
            longest_clean = longest_clean.max(copy.len());
        }
        // Spelling changes that keep the normalised form.
        for w in &mut copy {
            if rng.below(4) == 0 {
                *w = respell(w, rng.below(5));
            }
        }
        words.extend(copy);
    }
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(rng.separator());
        }
        text.push_str(w);
    }
    (text, longest_clean)
}

fn prepare(analyzer: &Analyzer, counter: &LineCounter, text: &str) -> Prepared {
    analyzer.prepare(text, counter, None, true)
}

/// The characters of `span` in `chars`, checked to be in bounds and non-empty.
fn slice(chars: &[char], span: CharSpan, side: &str) -> String {
    assert!(
        span.start < span.end,
        "empty or reversed span on side {side}: {span:?}"
    );
    assert!(
        span.end as usize <= chars.len(),
        "span {span:?} on side {side} beyond the text's {} characters",
        chars.len()
    );
    chars[span.start as usize..span.end as usize]
        .iter()
        .collect()
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize(text, &TextOptions::default(), &mut out);
    out
}

/// Normalised form of a token of `text`.
fn word(text: &str, t: &Token) -> String {
    normalize_token(
        &text[t.start as usize..t.end as usize],
        &TextOptions::default(),
    )
}

fn check(a: &str, b: &str, longest_clean: usize) -> Result<(), TestCaseError> {
    let analyzer = Analyzer::new(AnalysisOptions::default());
    let counter = LineCounter::new(BoilerplateOptions::default());
    let pa = prepare(&analyzer, &counter, a);
    let pb = prepare(&analyzer, &counter, b);
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let options = PartialOptions::default().align;
    let evidence = align_documents(&mut Aligner::new(), &pa.doc, &pb.doc, &options);

    // A long slice copied with spelling changes only is always found, unless masking
    // (boilerplate rules, internal repetition) took some of it away.
    let masked =
        pa.doc.content_tokens < pa.doc.hashes.len() || pb.doc.content_tokens < pb.doc.hashes.len();
    if longest_clean >= 40 && !masked {
        prop_assert!(
            evidence.is_some(),
            "a clean copy of {longest_clean} words gave no passage"
        );
    }
    let Some(evidence) = evidence else {
        return Ok(());
    };
    prop_assert!((0.0..=1.0).contains(&evidence.coverage_a));
    prop_assert!((0.0..=1.0).contains(&evidence.coverage_b));
    prop_assert!(!evidence.passages.is_empty());
    for (i, p) in evidence.passages.iter().enumerate() {
        let sa = slice(&ca, p.a, "a");
        let sb = slice(&cb, p.b, "b");
        let (ta, tb) = (tokens(&sa), tokens(&sb));
        prop_assert!(
            !ta.is_empty() && !tb.is_empty(),
            "passage {i} holds no word"
        );
        // The spans start and end exactly on tokens.
        prop_assert_eq!(
            ta[0].start,
            0,
            "passage {} starts inside a word: {:?}",
            i,
            sa
        );
        prop_assert_eq!(
            tb[0].start,
            0,
            "passage {} starts inside a word: {:?}",
            i,
            sb
        );
        prop_assert_eq!(ta[ta.len() - 1].end as usize, sa.len(), "{:?}", sa);
        prop_assert_eq!(tb[tb.len() - 1].end as usize, sb.len(), "{:?}", sb);
        // Same first and last normalised word on both sides.
        let (fa, fb) = (word(&sa, &ta[0]), word(&sb, &tb[0]));
        prop_assert_eq!(
            &fa,
            &fb,
            "first words of passage {}: {:?} / {:?}",
            i,
            sa,
            sb
        );
        let (la, lb) = (word(&sa, &ta[ta.len() - 1]), word(&sb, &tb[tb.len() - 1]));
        prop_assert_eq!(&la, &lb, "last words of passage {}: {:?} / {:?}", i, sa, sb);
        // The aligned word count fits in both spans.
        prop_assert!(p.tokens as usize <= ta.len() && p.tokens as usize <= tb.len());
        prop_assert!(p.similarity > 0.0 && p.similarity <= 1.0);
    }
    // Sorted by position in A, disjoint on both sides.
    for w in evidence.passages.windows(2) {
        prop_assert!(w[0].a.end <= w[1].a.start, "overlap in a: {:?}", w);
    }
    let mut by_b: Vec<CharSpan> = evidence.passages.iter().map(|p| p.b).collect();
    by_b.sort();
    for w in by_b.windows(2) {
        prop_assert!(w[0].end <= w[1].start, "overlap in b: {:?}", w);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn passage_spans_slice_to_the_same_words(
        seed in any::<u64>(),
        a_len in 20..400usize,
        segments in 1..8usize,
    ) {
        let mut rng = Rng(seed);
        let (a, a_words) = text_a(&mut rng, a_len);
        let (b, longest_clean) = text_b(&mut rng, &a_words, segments);
        check(&a, &b, longest_clean)?;
        // The other direction too: spans of the longer or shorter side first.
        check(&b, &a, longest_clean)?;
    }
}

/// A fixed case that must give a passage: the copy starts right after multi-byte
/// characters, so byte offsets and character offsets differ by a lot.
#[test]
fn passage_after_multibyte_prefix_slices_exactly() {
    let mut rng = Rng(7);
    let (a, a_words) = text_a(&mut rng, 200);
    let copied: Vec<String> = a_words[50..120].iter().map(|w| respell(w, 0)).collect();
    let b = format!("東京大学新聞 — «Ἀθῆναι» 📰📰\n{}", copied.join(" "));
    check(&a, &b, 70).unwrap();
    let analyzer = Analyzer::new(AnalysisOptions::default());
    let counter = LineCounter::new(BoilerplateOptions::default());
    let (pa, pb) = (
        prepare(&analyzer, &counter, &a),
        prepare(&analyzer, &counter, &b),
    );
    let evidence = align_documents(
        &mut Aligner::new(),
        &pa.doc,
        &pb.doc,
        &PartialOptions::default().align,
    )
    .expect("the copied words are found");
    let matched: u32 = evidence.passages.iter().map(|p| p.tokens).sum();
    assert!(matched >= 60, "{evidence:?}");
}
