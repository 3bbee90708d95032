//! Attribution lines: where a document says its text comes from ("Article original
//! publié sur Example.com", "relayé par Le Quotidien", "selon l'AFP", "(Reuters)",
//! "Source : ...").
//!
//! Extraction is by generic patterns, never by a list of documents or publishers: cue
//! phrases in several languages followed by a name. A cue alone proves little ("selon
//! l'ONG ..." cites a witness, not a publisher; "publié par Jean Martin" is a byline),
//! so each cue says what may follow it:
//! - **original** cues, a publication verb with an "original/first" word before it
//!   (`article original publié sur`, `originally published on`, `initialement publié
//!   dans`, `ursprünglich erschienen bei`...): any publisher name or a domain;
//! - **source** cues: `source :`, `quelle:`, `fuente:` (a colon must follow), and a bare
//!   publication verb (`published on`, `publié sur`): a domain, or any name after the
//!   colon forms;
//! - **relay** cues (`relayé par`, `repris par`, `republished from`, `via`...): a
//!   publisher name after the explicit forms, a domain or an agency after `via`;
//! - **according-to** cues (`selon`, `d'après`, `according to`, `laut`, `según`,
//!   `secondo`...): a news agency or a domain only;
//! - credit cues (`avec`, `with`, `©`, a parenthesis as in a dateline `PARIS (AFP) -`):
//!   a news agency only ("shared with Example.com" credits nobody).
//!
//! A name must hold a word other than numbers and month names: "first appeared in
//! 2014", "published on Nov 20" name no publisher.
//!
//! News agencies are recognised by name (AFP, Reuters, AP, dpa, ANSA, EFE...): they are
//! the generic wire services of the trade, not publishers of any corpus, and short
//! acronyms must be written in capitals so that an ordinary word never matches.
//! Everything here is a pure function of the text; spans are character offsets.

use std::sync::OnceLock;

use crate::normalise::text::{normalize_token, token_hash, tokenize, TextOptions, Token};
use crate::relation::CharSpan;

/// What an attribution says about the document's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AttributionKind {
    /// Names the original publisher ("Article original publié sur X").
    Original,
    /// Credits a news agency ("(AFP)", "selon Reuters", "avec dpa").
    Agency,
    /// Names a source ("Source : X", "published on x.com", "selon x.org").
    Source,
    /// Says the text was relayed or reprinted by or from someone ("relayé par X").
    Relay,
}

impl AttributionKind {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributionKind::Original => "original",
            AttributionKind::Agency => "agency",
            AttributionKind::Source => "source",
            AttributionKind::Relay => "relay",
        }
    }
}

/// One attribution found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attribution {
    pub kind: AttributionKind,
    /// The publisher, agency or domain named, as written ("BFMTV.com" style domains
    /// keep their case).
    pub name: String,
    /// The cue that introduced it, lowercase (`publié sur`, `selon`, `(`, `©`...).
    pub cue: String,
    /// From the cue to the end of the name, in characters.
    pub span: CharSpan,
}

/// What may follow a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follows {
    /// A publisher name (capitalised words), a domain or an agency.
    AnyName,
    /// Only a domain or a news agency.
    DomainOrAgency,
    /// Only a news agency.
    Agency,
}

struct Cue {
    words: &'static [&'static str],
    kind: AttributionKind,
    follows: Follows,
    /// A colon must come right after the cue ("Source : X").
    colon: bool,
    /// A publication verb: becomes an `original` cue (any name) when an "original" word
    /// stands just before it, and a `source` cue (domain or agency) otherwise.
    publication: bool,
}

const fn cue(words: &'static [&'static str], kind: AttributionKind, follows: Follows) -> Cue {
    Cue {
        words,
        kind,
        follows,
        colon: false,
        publication: false,
    }
}

const fn publication(words: &'static [&'static str]) -> Cue {
    Cue {
        words,
        kind: AttributionKind::Source,
        follows: Follows::DomainOrAgency,
        colon: false,
        publication: true,
    }
}

const fn colon(words: &'static [&'static str]) -> Cue {
    Cue {
        words,
        kind: AttributionKind::Source,
        follows: Follows::AnyName,
        colon: true,
        publication: false,
    }
}

use AttributionKind::{Agency as AG, Relay as RE, Source as SO};

const CUES: &[Cue] = &[
    publication(&["publié", "sur"]),
    publication(&["publiée", "sur"]),
    publication(&["publié", "dans"]),
    publication(&["publiée", "dans"]),
    publication(&["publié", "par"]),
    publication(&["publiée", "par"]),
    publication(&["paru", "dans"]),
    publication(&["paru", "sur"]),
    publication(&["published", "on"]),
    publication(&["published", "in"]),
    publication(&["published", "by"]),
    publication(&["published", "at"]),
    publication(&["appeared", "on"]),
    publication(&["appeared", "in"]),
    publication(&["erschienen", "bei"]),
    publication(&["erschienen", "auf"]),
    publication(&["erschienen", "in"]),
    publication(&["veröffentlicht", "bei"]),
    publication(&["veröffentlicht", "auf"]),
    publication(&["publicado", "en"]),
    publication(&["publicado", "por"]),
    publication(&["publicada", "en"]),
    publication(&["pubblicato", "su"]),
    publication(&["pubblicato", "da"]),
    publication(&["pubblicato", "in"]),
    publication(&["publicado", "no"]),
    publication(&["publicado", "pelo"]),
    colon(&["source"]),
    colon(&["sources"]),
    colon(&["quelle"]),
    colon(&["fuente"]),
    colon(&["fonte"]),
    colon(&["article", "original"]),
    colon(&["original", "article"]),
    cue(&["relayé", "par"], RE, Follows::AnyName),
    cue(&["relayée", "par"], RE, Follows::AnyName),
    cue(&["repris", "par"], RE, Follows::AnyName),
    cue(&["reprise", "par"], RE, Follows::AnyName),
    cue(&["republished", "from"], RE, Follows::AnyName),
    cue(&["reprinted", "from"], RE, Follows::AnyName),
    cue(&["syndicated", "from"], RE, Follows::AnyName),
    cue(&["reproduced", "from"], RE, Follows::AnyName),
    cue(&["permission", "from"], RE, Follows::AnyName),
    cue(&["übernommen", "von"], RE, Follows::AnyName),
    cue(&["via"], RE, Follows::DomainOrAgency),
    cue(&["selon"], SO, Follows::DomainOrAgency),
    cue(&["d", "après"], SO, Follows::DomainOrAgency),
    cue(&["according", "to"], SO, Follows::DomainOrAgency),
    cue(&["citing"], SO, Follows::DomainOrAgency),
    cue(&["laut"], SO, Follows::DomainOrAgency),
    cue(&["según"], SO, Follows::DomainOrAgency),
    cue(&["secondo"], SO, Follows::DomainOrAgency),
    cue(&["segundo"], SO, Follows::DomainOrAgency),
    cue(&["avec"], AG, Follows::Agency),
    cue(&["with"], AG, Follows::Agency),
    cue(&["mit"], AG, Follows::Agency),
    cue(&["con"], AG, Follows::Agency),
];

/// Words that turn a publication verb into an "original publisher" cue.
const ORIGINAL_WORDS: &[&str] = &[
    "original",
    "originally",
    "originale",
    "originalement",
    "initialement",
    "origine",
    "first",
    "abord",
    "ursprünglich",
    "zuerst",
    "originalmente",
    "originariamente",
    "inicialmente",
];

/// Determiners skipped before a name when written in lowercase ("selon l'AFP").
const DETERMINERS: &[&str] = &[
    "l", "le", "la", "les", "the", "der", "die", "das", "den", "dem", "el", "il", "lo",
];

/// Lowercase words that may join the capitalised words of a publisher's name.
const NAME_JOINERS: &[&str] = &[
    "de", "du", "des", "of", "the", "la", "le", "y", "e", "di", "del", "der", "und", "and", "et",
    "&",
];

/// News agencies, as word sequences (lowercase). Acronyms of four letters or fewer must
/// be written in capitals (or exactly as listed in `LOWERCASE_AGENCIES`).
const AGENCIES: &[&[&str]] = &[
    &["agence", "france", "presse"],
    &["associated", "press"],
    &["press", "association"],
    &["canadian", "press"],
    &["europa", "press"],
    &["ria", "novosti"],
    &["afp"],
    &["reuters"],
    &["ap"],
    &["dpa"],
    &["epd"],
    &["kna"],
    &["ansa"],
    &["agi"],
    &["adnkronos"],
    &["efe"],
    &["lusa"],
    &["belga"],
    &["anp"],
    &["ats"],
    &["sda"],
    &["apa"],
    &["pap"],
    &["ctk"],
    &["mti"],
    &["tass"],
    &["interfax"],
    &["ukrinform"],
    &["xinhua"],
    &["kyodo"],
    &["yonhap"],
    &["bloomberg"],
    &["upi"],
    &["aap"],
    &["anadolu"],
];
const LOWERCASE_AGENCIES: &[&str] = &["dpa", "epd"];

/// A word of the text: an alphanumeric run, with its character span.
#[derive(Debug, Clone)]
struct Word<'a> {
    /// Lowercase, a slice of one buffer per text (one allocation, not one per word).
    lower: &'a str,
    start: usize,
    end: usize,
}

/// The attributions of one region of a text, with spans shifted by `offset` characters.
fn attributions_in(text: &str, offset: u32, found: &mut Vec<Attribution>) {
    let chars: Vec<char> = text.chars().collect();
    let mut lowered = String::with_capacity(text.len());
    let ranges = split_words(&chars, &mut lowered);
    let words: Vec<Word<'_>> = ranges
        .into_iter()
        .map(|(start, end, lower)| Word {
            lower: &lowered[lower],
            start,
            end,
        })
        .collect();
    let first = found.len();
    let starts = cue_starts();
    for i in 0..words.len() {
        // Most words start no cue and no agency name: one set lookup rules them out.
        if !starts.contains(words[i].lower) {
            continue;
        }
        for cue in CUES {
            if let Some(a) = match_cue(&chars, &words, i, cue) {
                found.push(a);
            }
        }
        // Credit forms around an agency name: "(AFP)", "(AFP/Reuters)", "© Reuters".
        if let Some((_, name_end)) = agency_at(&chars, &words, i) {
            let before = previous_non_space(&chars, words[i].start);
            if let Some((pos, c @ ('(' | '©' | '/'))) = before {
                let in_parens = c != '/' || opens_paren_before(&chars, pos);
                if in_parens {
                    found.push(Attribution {
                        kind: AttributionKind::Agency,
                        name: chars[words[i].start..name_end].iter().collect(),
                        cue: c.to_string(),
                        span: span(pos, name_end),
                    });
                }
            }
        }
    }
    for a in &mut found[first..] {
        a.span.start += offset;
        a.span.end += offset;
    }
}

/// Every attribution in `text`, in text order; one per (kind, name).
pub fn attributions(text: &str) -> Vec<Attribution> {
    let options = TextOptions::default();
    let mut tokens = Vec::new();
    tokenize(text, &options, &mut tokens);
    attributions_with_tokens(text, &tokens, &options)
}

/// [`attributions`], given the text's tokens (from [`tokenize`] with `options`): what a
/// scan calls, since it has tokenised the text already.
pub fn attributions_with_tokens(
    text: &str,
    tokens: &[Token],
    options: &TextOptions,
) -> Vec<Attribution> {
    // Cues are rare: find the places where one may be among the tokens (one filter probe
    // per token), and read words only in a window around each place.
    const BEFORE: usize = 120;
    const AFTER: usize = 320;
    let anchors = Anchors::get(options);
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for i in 0..tokens.len() {
        let Some((anchor_start, anchor_end)) = anchors.at(text, tokens, i) else {
            continue;
        };
        let mut start = anchor_start.saturating_sub(BEFORE);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (anchor_end + AFTER).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        match regions.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => regions.push((start, end)),
        }
    }
    let mut found: Vec<Attribution> = Vec::new();
    let (mut chars_before, mut counted) = (0u32, 0usize);
    for (start, end) in regions {
        chars_before += text[counted..start].chars().count() as u32;
        counted = start;
        attributions_in(&text[start..end], chars_before, &mut found);
    }
    found.sort_by_key(|a| (a.span.start, a.kind));
    let mut seen: Vec<(AttributionKind, String)> = Vec::new();
    found.retain(|a| {
        let key = (a.kind, a.name.to_lowercase());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    found
}

/// The token hashes that may start an attribution, for one set of text options: the
/// first word of every cue of several words (with the words that must follow it), a
/// "source:" word, the first word of an agency name, and the endings of domain names
/// (a token right after a dot). One-word cues like "selon", "via", "with" are common
/// words and anchor nothing by themselves: what follows them must be a domain or an
/// agency, which are anchors.
///
/// Matching tokens rather than the raw text means an anchor is always a whole word,
/// in any case and Unicode form, and that a longer anchor is never hidden by a shorter
/// one that prefixes it (".com" behind ".co", "sources" behind "source").
struct Anchors {
    /// A 4096-bit filter on the top bits of the hashes: almost every token is ruled
    /// out with one load.
    filter: [u64; 64],
    /// Sorted by hash.
    entries: Vec<(u64, Anchor)>,
}

#[derive(Default)]
struct Anchor {
    /// The word is a cue when a colon follows it ("Source : X").
    before_colon: bool,
    /// The word may start an agency name written with this case.
    agency: Option<AgencyCase>,
    /// The word is an anchor right after a dot (a domain ending).
    after_dot: bool,
    /// Word sequences that, following this word, make an anchor.
    followed_by: Vec<Vec<u64>>,
}

/// How an agency name must be written to count (the rule of `agency_at`, checked on
/// the anchor token so that ordinary words open no region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum AgencyCase {
    /// A capital first letter (names of more than four letters or several words).
    Capitalised,
    /// Capitals and digits only (acronyms of four letters or fewer).
    Capitals,
    /// Capitals, or exactly this lowercase form (`dpa`).
    CapitalsOr(&'static str),
}

impl AgencyCase {
    fn allows(self, written: &str) -> bool {
        let capitals = || {
            written
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit())
        };
        match self {
            AgencyCase::Capitalised => written.chars().next().is_some_and(char::is_uppercase),
            AgencyCase::Capitals => capitals(),
            AgencyCase::CapitalsOr(lower) => written == lower || capitals(),
        }
    }
}

/// What may stand between two words of a cue: cue words are contiguous on one line.
const CUE_JOINTS: [&str; 4] = [" ", "\u{a0}", "'", "’"];

impl Anchors {
    fn get(options: &TextOptions) -> &'static Anchors {
        static PLAIN: OnceLock<Anchors> = OnceLock::new();
        static FOLDED: OnceLock<Anchors> = OnceLock::new();
        let cell = if options.fold_accents {
            &FOLDED
        } else {
            &PLAIN
        };
        cell.get_or_init(|| Anchors::new(options))
    }

    fn new(options: &TextOptions) -> Anchors {
        let hash = |word: &str| token_hash(&normalize_token(word, options));
        let mut map: std::collections::BTreeMap<u64, Anchor> = Default::default();
        for cue in CUES {
            match cue.words {
                [word] if cue.colon => map.entry(hash(word)).or_default().before_colon = true,
                [_] | [] => {}
                [first, rest @ ..] => map
                    .entry(hash(first))
                    .or_default()
                    .followed_by
                    .push(rest.iter().map(|w| hash(w)).collect()),
            }
        }
        for agency in AGENCIES {
            let Some(&first) = agency.first() else {
                continue;
            };
            let case = if agency.len() > 1 || first.chars().count() > 4 {
                AgencyCase::Capitalised
            } else if LOWERCASE_AGENCIES.contains(&first) {
                AgencyCase::CapitalsOr(first)
            } else {
                AgencyCase::Capitals
            };
            // A word that starts several agency names takes the loosest rule.
            let entry = &mut map.entry(hash(first)).or_default().agency;
            *entry = Some(entry.map_or(case, |c| c.min(case)));
        }
        for ending in DOMAIN_ENDINGS {
            map.entry(hash(ending.trim_start_matches('.')))
                .or_default()
                .after_dot = true;
        }
        let mut filter = [0u64; 64];
        for &h in map.keys() {
            let bit = (h >> 52) as usize;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        Anchors {
            filter,
            entries: map.into_iter().collect(),
        }
    }

    /// The byte span of the anchor starting at token `i`, if one does.
    #[inline]
    fn at(&self, text: &str, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
        let token = tokens[i];
        let bit = (token.hash >> 52) as usize;
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let at = self
            .entries
            .binary_search_by_key(&token.hash, |&(h, _)| h)
            .ok()?;
        let anchor = &self.entries[at].1;
        let (start, end) = (token.start as usize, token.end as usize);
        let bytes = text.as_bytes();
        if anchor.before_colon {
            // Spaces (regular or no-break) and then the colon, as `match_cue` wants.
            let rest = &text[end..];
            let after_spaces = rest.trim_start_matches([' ', '\u{a0}']);
            if after_spaces.starts_with(':') {
                return Some((start, end));
            }
        }
        if anchor
            .agency
            .is_some_and(|case| case.allows(&text[start..end]))
        {
            return Some((start, end));
        }
        if anchor.after_dot && start > 0 && bytes[start - 1] == b'.' {
            return Some((start - 1, end));
        }
        anchor.followed_by.iter().find_map(|words| {
            let mut last = token;
            for (k, &word) in words.iter().enumerate() {
                let next = *tokens.get(i + 1 + k)?;
                let gap = bytes.get(last.end as usize..next.start as usize)?;
                if next.hash != word || !CUE_JOINTS.iter().any(|j| j.as_bytes() == gap) {
                    return None;
                }
                last = next;
            }
            Some((start, last.end as usize))
        })
    }
}

/// Endings of the domain names a one-word cue may introduce ("selon lemonde.fr").
const DOMAIN_ENDINGS: &[&str] = &[
    ".com", ".fr", ".org", ".net", ".info", ".news", ".de", ".es", ".it", ".be", ".ch", ".ca",
    ".uk", ".us", ".ru", ".ua", ".io", ".co", ".eu", ".nl", ".pt", ".br", ".in", ".au", ".pl",
    ".at", ".se", ".jp", ".cn", ".tv", ".fm",
];

/// The first words of every cue and agency name, lowercase.
fn cue_starts() -> &'static std::collections::HashSet<&'static str> {
    static STARTS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        CUES.iter()
            .filter_map(|c| c.words.first().copied())
            .chain(AGENCIES.iter().filter_map(|a| a.first().copied()))
            .chain(LOWERCASE_AGENCIES.iter().copied())
            .collect()
    })
}

fn span(start: usize, end: usize) -> CharSpan {
    CharSpan {
        start: start as u32,
        end: end as u32,
    }
}

/// The words of `chars`: character span and the byte range of their lowercase form,
/// appended to `lowered`.
fn split_words(
    chars: &[char],
    lowered: &mut String,
) -> Vec<(usize, usize, std::ops::Range<usize>)> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let from = lowered.len();
            lowered.extend(chars[start..i].iter().flat_map(|c| c.to_lowercase()));
            words.push((start, i, from..lowered.len()));
        } else {
            i += 1;
        }
    }
    words
}

/// Whether only spaces (or an apostrophe, for elisions like "d'après") separate two
/// words: cue words must be contiguous on one line.
fn joined(chars: &[char], end: usize, start: usize) -> bool {
    end <= start
        && chars[end..start]
            .iter()
            .all(|&c| c == ' ' || c == '\u{a0}' || c == '\'' || c == '’')
}

fn previous_non_space(chars: &[char], pos: usize) -> Option<(usize, char)> {
    chars[..pos]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| !c.is_whitespace())
        .map(|(i, &c)| (i, c))
}

/// Whether an opening parenthesis stands shortly before `pos` on the same line, so that
/// "(AFP/Reuters)" credits Reuters too.
fn opens_paren_before(chars: &[char], pos: usize) -> bool {
    chars[pos.saturating_sub(24)..pos]
        .iter()
        .rev()
        .take_while(|&&c| c != '\n' && c != ')')
        .any(|&c| c == '(')
}

fn match_cue(chars: &[char], words: &[Word], i: usize, cue: &Cue) -> Option<Attribution> {
    let n = cue.words.len();
    let cue_words = words.get(i..i + n)?;
    for (k, (w, expected)) in cue_words.iter().zip(cue.words).enumerate() {
        if w.lower != *expected {
            return None;
        }
        if k > 0 && !joined(chars, cue_words[k - 1].end, w.start) {
            return None;
        }
    }
    let cue_start = cue_words[0].start;
    let mut after = cue_words[n - 1].end;
    let (mut kind, mut follows) = (cue.kind, cue.follows);
    if cue.colon {
        // "Source : X", "Source: X"
        let colon_at = chars[after..]
            .iter()
            .position(|c| !matches!(c, ' ' | '\u{a0}'))?
            + after;
        if chars[colon_at] != ':' {
            return None;
        }
        after = colon_at + 1;
        if cue.words[0] == "article" || cue.words[0] == "original" {
            kind = AttributionKind::Original;
        }
    }
    if cue.publication && preceded_by_original_word(chars, words, i) {
        kind = AttributionKind::Original;
        follows = Follows::AnyName;
    }
    let (name, name_end, is_agency) = name_after(chars, words, after, follows)?;
    if is_agency && kind == AttributionKind::Source {
        kind = AttributionKind::Agency;
    }
    Some(Attribution {
        kind,
        name,
        cue: cue.words.join(" "),
        span: span(cue_start, name_end),
    })
}

/// Whether one of the three words before word `i`, on the same line, is an "original"
/// word ("Article original publié sur", "first published in").
fn preceded_by_original_word(chars: &[char], words: &[Word], i: usize) -> bool {
    let line_start = chars[..words[i].start]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1);
    words[i.saturating_sub(3)..i]
        .iter()
        .filter(|w| w.start >= line_start)
        .any(|w| ORIGINAL_WORDS.contains(&w.lower))
}

/// The name that starts after character `pos`: `(name, end, is an agency)`.
fn name_after(
    chars: &[char],
    words: &[Word],
    pos: usize,
    follows: Follows,
) -> Option<(String, usize, bool)> {
    // The name must start on the same line, after spaces only.
    let start = pos
        + chars[pos..]
            .iter()
            .position(|c| !matches!(c, ' ' | '\u{a0}' | '\t'))?;
    if chars[start] == '\n' || chars[start] == '\r' {
        return None;
    }
    if follows != Follows::Agency {
        if let Some((domain, end)) = domain_at(chars, start) {
            return Some((domain, end, false));
        }
    }
    let mut first = words.partition_point(|w| w.start < start);
    let word = words.get(first)?;
    if word.start != start
        && !chars[start..word.start]
            .iter()
            .all(|&c| c == '"' || c == '«' || c == ' ' || c == '\u{a0}' || c == '“')
    {
        return None;
    }
    // Lowercase determiners ("l'AFP", "the Reuters") are not part of the name.
    if DETERMINERS.contains(&word.lower)
        && chars[word.start].is_lowercase()
        && words
            .get(first + 1)
            .is_some_and(|next| joined(chars, word.end, next.start))
    {
        first += 1;
        let next_start = words[first].start;
        if follows != Follows::Agency {
            if let Some((domain, end)) = domain_at(chars, next_start) {
                return Some((domain, end, false));
            }
        }
    }
    if let Some((_, end)) = agency_at(chars, words, first) {
        return Some((chars[words[first].start..end].iter().collect(), end, true));
    }
    if follows != Follows::AnyName {
        return None;
    }
    let end = publisher_name_end(chars, words, first)?;
    Some((chars[words[first].start..end].iter().collect(), end, false))
}

/// The end of a publisher name of capitalised words starting at word `first` (up to
/// six words, lowercase joiners allowed between capitalised ones).
fn publisher_name_end(chars: &[char], words: &[Word], first: usize) -> Option<usize> {
    let capitalised = |w: &Word| chars[w.start].is_uppercase() || chars[w.start].is_ascii_digit();
    let first_word = words.get(first)?;
    // An initial ("M. Dupont", "J.-P. Martin") starts a person's name, not a
    // publisher's.
    if !capitalised(first_word)
        || (first_word.end - first_word.start == 1 && chars.get(first_word.end) == Some(&'.'))
    {
        return None;
    }
    let mut end = words[first].end;
    // End of the last word taken, joiners included: gaps are measured from it.
    let mut last = end;
    let mut k = first + 1;
    let mut taken = 1;
    while taken < 6 {
        let Some(w) = words.get(k) else { break };
        let gap_ok = chars[last..w.start]
            .iter()
            .all(|&c| matches!(c, ' ' | '\u{a0}' | '-' | '\'' | '’' | '&'))
            && w.start - last <= 3;
        if !gap_ok {
            break;
        }
        if capitalised(w) {
            end = w.end;
        } else if !(NAME_JOINERS.contains(&w.lower)
            && words
                .get(k + 1)
                .is_some_and(|n| capitalised(n) && joined(chars, w.end, n.start)))
        {
            break;
        }
        last = w.end;
        k += 1;
        taken += 1;
    }
    // Digits may start a name ("20 Minutes"), but a name of numbers and month names
    // alone is a date or a figure ("in 2014", "on Nov 20").
    words[first..]
        .iter()
        .take_while(|w| w.end <= end)
        .any(|w| {
            !w.lower.chars().all(|c| c.is_ascii_digit())
                && crate::normalise::lexicon::month_number(w.lower).is_none()
        })
        .then_some(end)
}

/// A news agency starting at word `i`: `(words, end character)`.
fn agency_at(chars: &[char], words: &[Word], i: usize) -> Option<(usize, usize)> {
    let first = words.get(i)?;
    AGENCIES
        .iter()
        .filter(|agency| {
            let Some(ws) = words.get(i..i + agency.len()) else {
                return false;
            };
            let same = ws.iter().zip(agency.iter()).all(|(w, a)| w.lower == *a);
            let contiguous = ws.windows(2).all(|p| {
                chars[p[0].end..p[1].start]
                    .iter()
                    .all(|&c| matches!(c, ' ' | '\u{a0}' | '-'))
                    && p[1].start - p[0].end == 1
            });
            same && contiguous
        })
        .max_by_key(|agency| agency.len())
        .and_then(|agency| {
            let last = &words[i + agency.len() - 1];
            let written: String = chars[first.start..last.end].iter().collect();
            let acronym = agency.len() == 1 && agency[0].chars().count() <= 4;
            let case_ok = if acronym {
                written
                    .chars()
                    .all(|c| c.is_uppercase() || c.is_ascii_digit())
                    || LOWERCASE_AGENCIES.contains(&written.as_str())
            } else {
                chars[first.start].is_uppercase()
            };
            // "AFP" inside "AFP-style" is fine; "AP" glued to letters is not a word.
            let alone = chars.get(last.end).is_none_or(|c| !c.is_alphanumeric());
            (case_ok && alone).then_some((agency.len(), last.end))
        })
}

/// A domain name starting at `start` (after an optional `http(s)://`): `(host, end)`.
/// A domain is dot-separated labels of letters, digits and hyphens whose last label is
/// two to twelve letters ("Example.com", "www.example.co.uk").
fn domain_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut pos = start;
    for scheme in ["https://", "http://"] {
        let s: Vec<char> = scheme.chars().collect();
        if chars.len() >= pos + s.len()
            && chars[pos..pos + s.len()]
                .iter()
                .zip(&s)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        {
            pos += s.len();
            break;
        }
    }
    let host_start = pos;
    let mut end = pos;
    while end < chars.len()
        && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], '.' | '-'))
    {
        end += 1;
    }
    // A sentence-ending dot is not part of the name.
    while end > host_start && matches!(chars[end - 1], '.' | '-') {
        end -= 1;
    }
    let host: String = chars[host_start..end].iter().collect();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last()?;
    // "lui.Le gouvernement" is two sentences glued by a missing space, not a domain: a
    // capitalised word after the dot starts a sentence (domains are written in one
    // case at their end: "example.com", "EXAMPLE.COM").
    let glued_sentence = tld.starts_with(|c: char| c.is_ascii_uppercase())
        && tld.chars().any(|c| c.is_ascii_lowercase());
    let valid = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && (2..=12).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !glued_sentence
        && labels[0].chars().any(|c| c.is_ascii_alphabetic());
    // A name glued to more letters ("x.comment") is not a domain.
    let alone = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
    (valid && alone).then_some((host, end))
}

/// A key under which a publisher name, a domain, a `site` field or a URL compare equal:
/// the domain's main label ("www.example.co.uk", "`https://example.com/x`" and "Example"
/// all give "example"), or the name's letters and digits, lowercase ("Le Quotidien" and
/// "lequotidien.fr" both give "lequotidien").
pub fn publisher_key(name: &str) -> String {
    let name = name.trim();
    let host = name
        .strip_prefix("https://")
        .or_else(|| name.strip_prefix("http://"))
        .unwrap_or(name);
    let host = host.split(['/', '?', '#']).next().unwrap_or(host);
    let host = host.to_lowercase();
    let looks_like_domain = !host.contains(' ') && host.contains('.');
    if looks_like_domain {
        let labels: Vec<&str> = host
            .split('.')
            .filter(|l| !l.is_empty() && *l != "www")
            .collect();
        // The label before the public suffix: "example" in example.co.uk / example.com.
        let main = match labels.as_slice() {
            [.., main, second, tld] if second.len() <= 3 && tld.len() == 2 => *main,
            [.., main, _tld] => *main,
            [only] => *only,
            [] => "",
        };
        return main.chars().filter(|c| c.is_alphanumeric()).collect();
    }
    host.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String)> {
        attributions(text)
            .into_iter()
            .map(|a| (a.kind.as_str().to_string(), a.name))
            .collect()
    }

    fn pair(kind: &str, name: &str) -> (String, String) {
        (kind.to_string(), name.to_string())
    }

    #[test]
    fn original_publisher_lines() {
        assert_eq!(
            names("Texte.\n\nArticle original publié sur Exemple.com\n"),
            vec![pair("original", "Exemple.com")]
        );
        assert_eq!(
            names("This story was originally published by The Daily Planet."),
            vec![pair("original", "The Daily Planet")]
        );
        assert_eq!(
            names("Ursprünglich erschienen bei Der Morgen."),
            vec![pair("original", "Der Morgen")]
        );
        assert_eq!(
            names("Article original : https://www.exemple.fr/a/b"),
            vec![pair("original", "www.exemple.fr")]
        );
    }

    #[test]
    fn agencies_and_relays() {
        assert_eq!(
            names("MOSCOU (AFP) - Le texte. Selon l'AFP, rien. Relayé par Le Quotidien du Soir, il circule."),
            vec![
                pair("agency", "AFP"),
                pair("relay", "Le Quotidien du Soir")
            ]
        );
        assert_eq!(
            names("WASHINGTON, Oct 3 (Reuters/AP) - Text, according to Reuters."),
            vec![pair("agency", "Reuters"), pair("agency", "AP")]
        );
        assert_eq!(
            names("Source : Agence France-Presse"),
            vec![pair("agency", "Agence France-Presse")]
        );
        assert_eq!(names("© dpa"), vec![pair("agency", "dpa")]);
    }

    #[test]
    fn witnesses_and_bylines_are_not_attributions() {
        assert!(names("Selon l'ONG Foutez le camp, 500 personnes sont parties.").is_empty());
        assert!(names("Publié par Jean Martin le 3 octobre.").is_empty());
        assert!(names("according to the mayor, the ap was fine; with afp in lowercase").is_empty());
        assert!(names("The source of the river is far.").is_empty());
    }

    #[test]
    fn glued_sentences_and_initials_name_no_publisher() {
        assert!(
            names("Il a été relayé par lui.Le gouvernement dément.").is_empty(),
            "{:?}",
            names("Il a été relayé par lui.Le gouvernement dément.")
        );
        assert!(names("Source : M. Dupont, le maire.").is_empty());
        assert!(names("Relayé par J. Martin sur son blog.").is_empty());
        // Domains in one case still count, and so do capitalised publisher names.
        assert_eq!(
            names("Source : EXEMPLE.COM"),
            vec![pair("source", "EXEMPLE.COM")]
        );
        assert_eq!(
            names("Relayé par Le Quotidien, il circule."),
            vec![pair("relay", "Le Quotidien")]
        );
    }

    #[test]
    fn domains_after_weak_cues_and_spans() {
        let text = "Lu ici, selon exemple.org.";
        let found = attributions(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "exemple.org");
        assert_eq!(found[0].kind, AttributionKind::Source);
        let s: String = text
            .chars()
            .skip(found[0].span.start as usize)
            .take((found[0].span.end - found[0].span.start) as usize)
            .collect();
        assert_eq!(s, "selon exemple.org");
    }

    #[test]
    fn anchors_that_extend_shorter_anchors() {
        // ".co" is a prefix of ".com", "ap" of "apa", "source" of "sources": the longer
        // anchor must still be found.
        assert_eq!(
            names("Lu ici, selon exemple.com."),
            vec![pair("source", "exemple.com")]
        );
        assert_eq!(
            names("Sources : Le Quotidien"),
            vec![pair("source", "Le Quotidien")]
        );
        assert_eq!(names("VIENNE (APA) - Texte."), vec![pair("agency", "APA")]);
    }

    #[test]
    fn anchors_follow_the_text_options() {
        // "relayé" is the only anchor here: its hash depends on accent folding.
        let text = "Un texte. RELAYÉ PAR Le Quotidien du Soir.";
        for fold_accents in [false, true] {
            let options = TextOptions { fold_accents };
            let mut tokens = Vec::new();
            tokenize(text, &options, &mut tokens);
            let found = attributions_with_tokens(text, &tokens, &options);
            assert_eq!(found.len(), 1, "fold_accents {fold_accents}");
            assert_eq!(found[0].name, "Le Quotidien du Soir");
            assert_eq!(found[0].kind, AttributionKind::Relay);
        }
    }

    #[test]
    fn credits_name_agencies_and_names_hold_letters() {
        assert!(names("The manager shared with Example.com that it works.").is_empty());
        assert!(names("The camp first appeared in 2014, when people fled.").is_empty());
        assert!(names("It was originally published on Nov 20 by the team.").is_empty());
        assert_eq!(names("Texte avec AFP."), vec![pair("agency", "AFP")]);
        assert_eq!(
            names("It first appeared in 20 Minutes."),
            vec![pair("original", "20 Minutes")]
        );
    }

    #[test]
    fn ordinary_words_open_no_region() {
        // Which tokens anchor a region: agency names only written as agencies are, a
        // "source" word only before a colon, a domain ending only after a dot.
        let anchored = |text: &str| -> Vec<String> {
            let options = TextOptions::default();
            let mut tokens = Vec::new();
            tokenize(text, &options, &mut tokens);
            let anchors = Anchors::get(&options);
            (0..tokens.len())
                .filter_map(|i| anchors.at(text, &tokens, i))
                .map(|(s, e)| text[s..e].to_string())
                .collect()
        };
        assert!(anchored("the ap and afp, a source, the fr and com, reuters").is_empty());
        assert_eq!(
            anchored("AP, AFP, Source : x, site.fr, Reuters, dpa, Agence France"),
            ["AP", "AFP", "Source", ".fr", "Reuters", "dpa", "Agence"]
        );
        assert_eq!(
            anchored("published on, d’après"),
            ["published on", "d’après"]
        );
    }

    #[test]
    fn publisher_keys() {
        assert_eq!(publisher_key("Exemple.com"), "exemple");
        assert_eq!(publisher_key("https://www.exemple.co.uk/path"), "exemple");
        assert_eq!(publisher_key("Le Quotidien"), "lequotidien");
        assert_eq!(publisher_key("lequotidien.fr"), "lequotidien");
    }
}
