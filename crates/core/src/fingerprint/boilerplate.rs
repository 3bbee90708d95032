//! Boilerplate: the lines of a page that are not its text.
//!
//! Scraped documents carry navigation, ad-break markers, "read also" links, share
//! buttons, newsletter calls, PREV/NEXT links, cookie notices and the site's footer. Two
//! unrelated articles from one site share all of that verbatim, so it must never count
//! as evidence that one document reuses another. This module finds such lines, reports
//! them per document ([`BoilerplateLine`]), and turns them into a token mask
//! ([`token_mask`]) that later stages use to leave their tokens out of the evidence.
//!
//! Everything here works on *lines* (the text split on `'\n'`, see [`split_lines`]) and
//! on token counts, never on word lists: the rules are structural, so they hold for any
//! language and script. All functions are pure and deterministic.
//!
//! # Only short lines can be boilerplate
//!
//! Navigation items, markers, links, calls to action, even cookie notices fit in about
//! 20 words; a news paragraph is typically 30-80. A *long* paragraph found in several
//! documents is a reprinted paragraph, which is exactly the reuse reprint looks for, so
//! no rule ever marks a line of more than [`BoilerplateOptions::max_line_tokens`] tokens,
//! but two: a paragraph recurring within one site (its template: below), and program
//! code, which is never text.
//!
//! # The rules
//!
//! * [`BoilerplateReason::Recurring`] (needs corpus statistics, see [`LineCounter`]): a
//!   short line found in at least [`BoilerplateOptions::min_docs_same_site`] documents of
//!   the document's own site, or in at least [`BoilerplateOptions::min_docs_corpus`]
//!   documents of the whole corpus (whatever their sites: a line that many sites share is
//!   template text too). One guard protects reprints: lines that recur in the corpus but
//!   not within the site are ignored for a document when they would cover more than
//!   [`BoilerplateOptions::max_corpus_share`] of its tokens. Boilerplate is the minority
//!   of a page; a document made mostly of lines that many others also contain is a copy
//!   (a wire story written in one-sentence paragraphs, reprinted everywhere), and those
//!   lines are its evidence.
//!   A labelled teaser (a line after the first that opens with a label of at most
//!   [`MAX_LABEL_TOKENS`] words and a separator, `Lire aussi : <headline>`,
//!   `READ MORE | <headline>`, and does not end with a full stop: [`Line::label`])
//!   recurs by its label: each page links to other headlines, but the label is the
//!   site's. The first line is never a teaser (a headline such as "Ukraine : ..." is
//!   the page's own).
//!   Long lines recur as template only within a site: a paragraph found in at least
//!   [`BoilerplateOptions::min_docs_same_site_long`] documents of the document's site
//!   (a newsletter or house footer written as a paragraph, a standing disclaimer) is
//!   `Recurring` too when it sits at an edge of the document (no paragraph of its own
//!   before it, or none after: [`template_edges`]), under the same share guard (a site
//!   reposting its own article keeps it whole). The same paragraph on several sites is a reprint, never
//!   boilerplate.
//! * [`BoilerplateReason::RepeatedMarker`] (per document): a short line with no
//!   sentence-final punctuation that occurs twice or more in the document *on its own*.
//!   Lines that occur more than once in the document form maximal runs of consecutive
//!   repeated lines; a line is a marker only when every one of its occurrences lies in a
//!   run of marker-like lines with at most [`MAX_MARKER_RUN_DISTINCT`] distinct lines.
//!   An ad marker ("Advertisement", "Publicité") sits between unique paragraphs and
//!   qualifies; a heading inside a block of sections that the document repeats (its
//!   neighbours are repeated paragraphs), or a slide title listed in a table of contents
//!   and repeated above its slide (its neighbours in the list are repeated titles), does
//!   not: that is internal repetition, which other stages report. A title duplicated at
//!   the very top of a page (a scraper's artefact) is marked as a marker too. Known
//!   limit: a table of contents of at most 3 entries is a small run, so its titles are
//!   markers; so is a refrain repeated between unique verses.
//! * [`BoilerplateReason::TrailingNavigation`] (per document): every line after the last
//!   *content line*. A content line ends with a full stop and has at least
//!   [`BoilerplateOptions::min_content_tokens`] tokens, or is longer than
//!   `max_line_tokens` (a long line is text even unpunctuated). A short line ending with
//!   a question or exclamation mark or an ellipsis is not content: that is how
//!   headlines, truncated teasers and calls to action end ("NEXT Is the river cleaner
//!   than ten years ago?"), while an article's last paragraph ends with a full stop or
//!   is long. What follows the last content line is therefore only short lines:
//!   PREV/NEXT links, "follow us", related links, the copyright line, and also a
//!   credit line such as "Originally published on ..." (which is not evidence of reuse
//!   either; attribution must be read from the raw text). Short lines *between* content
//!   lines (headings) are never touched. Two guards keep documents that are not
//!   articles whole (a list of titles, a poem, a transcript): nothing is marked unless
//!   content lines hold at least half of the tokens up to the last content line, and
//!   unless the trailing run is no larger (in tokens) than that content. A document
//!   with no content line gets nothing marked.
//!
//! Sentence-final punctuation is `. ! ? …` (or `...`) and their equivalents in other
//! scripts (`。！？؟۔।॥።။។།` and others), possibly followed by closing quotes or
//! brackets, which are looked through (`« Il a dit non. »` ends a sentence; a quoted
//! title `"Not our war"` does not). Markers must have none of it; content lines need a
//! full stop (`.` but not `...`, `。`, `।`, `۔`...). Scripts that do not punctuate
//! sentences (Thai) only have long lines as content, which is what their paragraphs are.
//!
//! * [`BoilerplateReason::Code`] (per document, any length): a line of program code
//!   left in the text by extraction (a tracking script, a style sheet, an embed
//!   snippet), told by its density of code marks (see [`is_code_line`]). The one rule
//!   that marks long lines: minified code is one long line, and it is never text. A
//!   document that is all code keeps it (it is then the text).
//!
//! A line has one reason. When several rules mark it, the precedence is `Recurring`,
//! then `Code`, then `RepeatedMarker`, then `TrailingNavigation`: corpus evidence first, then the
//! more specific local rule. Rules are not independent: in [`find_boilerplate`], lines
//! marked by the first two rules are not content for the third, so a recurring footer
//! line that happens to be a long punctuated sentence ("Subscribe to our newsletter and
//! get the morning briefing in your inbox.") does not hide the navigation above it.
//!
//! Tokens are those of [`crate::normalise::text`]: in scripts written without spaces (Chinese,
//! Japanese, Thai) a token is one character, so the thresholds mean fewer characters of
//! text there, which is also about as much information.
//!
//! # Corpus statistics at scale
//!
//! [`LineCounter`] keeps two hash maps from 64-bit keys to `u32` document counts: one
//! keyed by the short line's hash, one keyed by a hash of (site, line hash): about 20
//! bytes per distinct short line and per distinct (site, short line) pair, and a third
//! for (site, long line) pairs; long lines of documents without a site are not
//! counted. Counting is exact, so [`LineCounter::merge`] of counters
//! built on any partition of the documents answers exactly as one counter fed them all,
//! and can run in parallel. Once every document is counted, [`LineCounter::compact`]
//! drops the entries below the thresholds, which are almost all of them, before the
//! counter is shared with the threads that call [`find_boilerplate`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::normalise::text::Token;

/// A marker run (see the module documentation) may hold at most this many distinct lines:
/// an ad marker with its "continue reading" line, or a title and its duplicate, but not
/// a table of contents.
pub const MAX_MARKER_RUN_DISTINCT: usize = 3;

/// One line of a document that has at least one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Byte range of the line in the text, without its `'\n'` or `"\r\n"`.
    pub bytes: Range<usize>,
    /// Indices of the line's tokens in the document's token slice.
    pub tokens: Range<usize>,
    /// [`line_hash`] of the line's tokens: equal for lines that differ only in case,
    /// punctuation, whitespace or Unicode form.
    pub hash: u64,
    /// The key of the line's label, when it is a labelled teaser: a line after the
    /// first that opens with a label of at most [`MAX_LABEL_TOKENS`] words and a
    /// separator (`Lire aussi : <headline>`, `READ MORE | <headline>`, `VIDEO - <title>`)
    /// and does not end with a full stop. Lines whose label recurs are the site's links
    /// to other pages, whatever headline follows (see [`BoilerplateReason::Recurring`]).
    pub label: Option<u64>,
}

/// Most words of a line's label (see [`Line::label`]).
pub const MAX_LABEL_TOKENS: usize = 3;

/// Mixed into a label's hash, so that a label never counts as the line of the same
/// words.
const LABEL_TAG: u64 = 0x6c61_6265_6c5f_6b65;

/// The label key of a line (`tokens` are the line's, `first_line` whether it is the
/// document's first), or `None`; see [`Line::label`].
fn label_key(
    text: &str,
    line: &str,
    tokens: &[Token],
    first_line: bool,
    buf: &mut Vec<u8>,
) -> Option<u64> {
    if first_line || tokens.len() < 2 {
        return None;
    }
    let word = |t: &Token| text.get(t.start as usize..t.end as usize).unwrap_or("");
    let digits = |t: &Token| word(t).bytes().all(|b| b.is_ascii_digit());
    for k in 1..=MAX_LABEL_TOKENS.min(tokens.len() - 1) {
        let (before, after) = (&tokens[k - 1], &tokens[k]);
        let gap = text.get(before.end as usize..after.start as usize)?;
        // The separator, with any opening quote of the headline after it.
        let mark = gap
            .trim()
            .trim_end_matches(['«', '"', '“', '„', '‘', '\''])
            .trim();
        let separator = match mark {
            ":" | "|" | "—" | "–" | "»" | "›" => true,
            // A dash with spaces, not a hyphenated word.
            "-" => gap.len() > 1,
            _ => false,
        };
        // "14:30" is a time, not a label.
        if separator && !(gap == ":" && digits(before) && digits(after)) {
            // A sentence is text, labelled or not ("Note: the bridge closes.").
            return (line_end(line) != LineEnd::Stop)
                .then(|| line_hash_with(&tokens[..k], buf).rotate_left(17) ^ LABEL_TAG);
        }
        if !gap.trim().is_empty() {
            return None;
        }
    }
    None
}

impl Line {
    /// Number of tokens on the line (at least 1).
    #[inline]
    pub fn n_tokens(&self) -> usize {
        self.tokens.len()
    }
}

/// Hash of a line: xxh3-64 (seed 0) of its tokens' hashes, each as 8 little-endian
/// bytes, concatenated. Stable across runs and platforms.
pub fn line_hash(tokens: &[Token]) -> u64 {
    let mut buf = Vec::with_capacity(tokens.len() * 8);
    line_hash_with(tokens, &mut buf)
}

fn line_hash_with(tokens: &[Token], buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    for t in tokens {
        buf.extend_from_slice(&t.hash.to_le_bytes());
    }
    xxh3_64(buf)
}

/// The lines of `text` that hold at least one token, in order.
///
/// `tokens` must be [`crate::normalise::text::tokenize`]'s output for `text`. Lines are separated
/// by `'\n'`; a `'\r'` before it is not part of the line. Lines without tokens (blank,
/// or only punctuation and symbols) are left out, so "the previous line" in the rules
/// means the previous line with text.
pub fn split_lines(text: &str, tokens: &[Token]) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut t = 0;
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        let first = t;
        while t < tokens.len() && (tokens[t].start as usize) < end {
            t += 1;
        }
        if t > first {
            let line_end = if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            let label = label_key(
                text,
                &text[start..line_end],
                &tokens[first..t],
                lines.is_empty(),
                &mut buf,
            );
            lines.push(Line {
                bytes: start..line_end,
                tokens: first..t,
                hash: line_hash_with(&tokens[first..t], &mut buf),
                label,
            });
        }
        if end >= bytes.len() || t >= tokens.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

/// Why a line is boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoilerplateReason {
    /// The same short line recurs across documents of the document's site, or of the
    /// whole corpus; or the same long line (a paragraph) across documents of the site.
    Recurring,
    /// A short unpunctuated line repeated on its own within the document: ad-break
    /// markers, a duplicated title.
    RepeatedMarker,
    /// One of the short lines after the document's last real paragraph: footer,
    /// PREV/NEXT links, "follow us".
    TrailingNavigation,
    /// A line of program code left in the text by extraction (a tracking script, a
    /// style sheet, an embed snippet), whatever its length: see [`is_code_line`].
    Code,
}

impl BoilerplateReason {
    /// The name written in output files (`recurring`, `repeated-marker`,
    /// `trailing-navigation`, `code`).
    pub fn as_str(self) -> &'static str {
        match self {
            BoilerplateReason::Recurring => "recurring",
            BoilerplateReason::RepeatedMarker => "repeated-marker",
            BoilerplateReason::TrailingNavigation => "trailing-navigation",
            BoilerplateReason::Code => "code",
        }
    }
}

/// Characters that structure program code and are rare in prose.
fn is_code_mark(c: char) -> bool {
    matches!(
        c,
        '{' | '}' | '(' | ')' | '[' | ']' | ';' | ':' | '=' | '<' | '>' | '|' | '&' | '$'
    )
}

/// Whether a line is program code rather than text: a script, a style sheet or markup
/// left in by extraction. Prose uses parentheses, a semicolon or an equals sign now and
/// then (one or two in a sentence, under 3% of its characters); code is built of them.
/// A line is code when it holds braces, a statement end (`;`) with a call (`f(`) or an
/// assignment, or a closing tag, and at least 4 of the marks `{}()[];:=<>|&$` making up
/// 8% or more of its visible characters, and it does not end as a sentence. Structural, so it holds for code in any language
/// the page was written in.
pub fn is_code_line(line: &str) -> bool {
    // Statements end with `;`, blocks with `}`, markup with `>`; a line ending as a
    // sentence does is text, formulas in it included ("P(A|B) = P(B|A) P(A) / P(B).").
    if ends_sentence(line) {
        return false;
    }
    let mut visible = 0usize;
    let mut marks = 0usize;
    for c in line.chars() {
        if c.is_whitespace() {
            continue;
        }
        visible += 1;
        marks += usize::from(is_code_mark(c));
    }
    if marks < 4 || marks * 100 < visible * 8 {
        return false;
    }
    let braces = line.contains('{') || line.contains('}');
    // A call: a name glued to its parenthesis (`push(`), where prose leaves a space.
    let call = line
        .as_bytes()
        .windows(2)
        .any(|w| w[1] == b'(' && (w[0].is_ascii_alphanumeric() || w[0] == b'_'));
    let statement = line.contains(';') && (call || line.contains('='));
    let closing_tag = line
        .match_indices("</")
        .any(|(i, _)| line[i + 2..].starts_with(|c: char| c.is_ascii_alphabetic()));
    braces || statement || closing_tag
}

/// A boilerplate line of a document: an index into its [`split_lines`] output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BoilerplateLine {
    /// Index of the line in the document's `&[Line]`.
    pub line: usize,
    pub reason: BoilerplateReason,
}

/// Thresholds of the rules. See the module documentation for what each rule does.
#[derive(Debug, Clone, PartialEq)]
pub struct BoilerplateOptions {
    /// Only lines of at most this many tokens can be boilerplate. Default 25: navigation,
    /// "read also: &lt;headline&gt;" links (a headline is 8-15 words), newsletter calls and
    /// cookie notices (15-20 words) fit; news paragraphs (30-80 words) do not, and a
    /// recurring paragraph is reuse.
    pub max_line_tokens: usize,
    /// A short line in this many documents of one site is boilerplate for that site.
    /// Default 2: a site's template is in all its pages, and two unrelated articles of a
    /// site sharing a line verbatim is the very trap to avoid. 0 disables the rule.
    pub min_docs_same_site: usize,
    /// A *long* line (a paragraph of more than `max_line_tokens`) in this many documents
    /// of one site is boilerplate for that site: a newsletter or a house footer written
    /// as a paragraph, a standing disclaimer. Default 3: a site's template is in all its
    /// pages, while two articles of a site sharing a paragraph may be a story and its
    /// follow-up, whose shared text is reuse worth reporting. Across sites, a long line
    /// is never boilerplate (a reprinted paragraph). 0 disables the rule.
    pub min_docs_same_site_long: usize,
    /// A short line in this many documents of the corpus is boilerplate everywhere.
    /// Default 5: this rule is what catches template text of documents without a site
    /// (or with one document per site) and the stock lines shared across sites ("Share",
    /// "Advertisement", "No one was injured."), which all recur far more than that in a
    /// real corpus; the short lines (title, headings) of a story reprinted 5 times or
    /// more may go with them, but its paragraphs remain as evidence, and the
    /// `max_corpus_share` guard keeps a story made of short lines whole. 0 disables it.
    pub min_docs_corpus: usize,
    /// A corpus-recurring line (not recurring within the site) is ignored for a document
    /// when such lines would hold more than this share of the document's tokens: the
    /// document is then a copy, not a page of template. The same guard holds for long
    /// lines recurring within the site (a site reposting its own article keeps it).
    /// Default 0.5.
    pub max_corpus_share: f64,
    /// Repeated markers have at most this many tokens. Default 12: ad markers and
    /// "continue reading" lines are a few words; longer repeated lines are more likely
    /// text.
    pub max_marker_tokens: usize,
    /// A line ending with a full stop and of at least this many tokens is content for
    /// the trailing rule. Default 8: shorter sentences ("Comments are closed.", "© Site.
    /// All rights reserved.") are footer material; a real final paragraph is rarely a
    /// sentence of fewer than 8 words.
    pub min_content_tokens: usize,
}

impl Default for BoilerplateOptions {
    fn default() -> Self {
        BoilerplateOptions {
            max_line_tokens: 25,
            min_docs_same_site: 2,
            min_docs_same_site_long: 3,
            min_docs_corpus: 5,
            max_corpus_share: 0.5,
            max_marker_tokens: 12,
            min_content_tokens: 8,
        }
    }
}

/// Per-document rules (repeated markers, trailing navigation) with default options.
/// Needs no corpus statistics. Sorted by line.
pub fn local_boilerplate(text: &str, lines: &[Line]) -> Vec<BoilerplateLine> {
    local_boilerplate_with(text, lines, &BoilerplateOptions::default())
}

/// [`local_boilerplate`] with explicit options.
pub fn local_boilerplate_with(
    text: &str,
    lines: &[Line],
    opts: &BoilerplateOptions,
) -> Vec<BoilerplateLine> {
    let mut reasons = vec![None; lines.len()];
    apply_local_rules(text, lines, opts, &mut reasons);
    collect(&reasons)
}

/// All boilerplate lines of a document: the local rules and `Recurring` according to
/// `counter` (with the counter's options), one reason per line, sorted by line.
/// `site` is the document's site (`None` or `""` when unknown: only the corpus-wide
/// count applies then).
pub fn find_boilerplate(
    text: &str,
    lines: &[Line],
    counter: &LineCounter,
    site: Option<&str>,
) -> Vec<BoilerplateLine> {
    let opts = &counter.opts;
    let key = site_key(site);
    let mut reasons = vec![None; lines.len()];
    let mut corpus_only = Vec::new();
    let mut corpus_only_tokens = 0usize;
    let long: Vec<(usize, bool)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.n_tokens() > opts.max_line_tokens)
        .map(|(i, l)| (i, counter.long_line_recurs(key, l.hash)))
        .collect();
    let long_recurring: Vec<usize> = template_edges(&long).collect();
    let long_recurring_tokens: usize = long_recurring.iter().map(|&i| lines[i].n_tokens()).sum();
    let mut total_tokens = 0usize;
    for (i, line) in lines.iter().enumerate() {
        total_tokens += line.n_tokens();
        if line.n_tokens() > opts.max_line_tokens {
            continue;
        }
        match counter.line_recurrence(key, line) {
            Recurrence::No => {}
            Recurrence::Site => reasons[i] = Some(BoilerplateReason::Recurring),
            Recurrence::Corpus => {
                corpus_only.push(i);
                corpus_only_tokens += line.n_tokens();
            }
        }
    }
    if corpus_only_tokens as f64 <= opts.max_corpus_share * total_tokens as f64 {
        for i in corpus_only {
            reasons[i] = Some(BoilerplateReason::Recurring);
        }
    }
    if long_paragraphs_are_template(long_recurring_tokens, total_tokens, opts) {
        for i in long_recurring {
            reasons[i] = Some(BoilerplateReason::Recurring);
        }
    }
    apply_local_rules(text, lines, opts, &mut reasons);
    collect(&reasons)
}

/// Of a document's long lines `(index, recurs within the site)`, in order, the indices
/// of those that can be the site's template: the recurring ones at its edges, before
/// its first long line that does not recur (a header) or after its last (a footer). A
/// recurring paragraph between two of the document's own is its text (a copy's shared
/// paragraph), not a template.
pub fn template_edges<T: Copy>(long: &[(T, bool)]) -> impl Iterator<Item = T> + '_ {
    let head = long.iter().take_while(|l| l.1).count();
    let tail = if head == long.len() {
        0
    } else {
        long.iter().rev().take_while(|l| l.1).count()
    };
    long[..head]
        .iter()
        .chain(&long[long.len() - tail..])
        .map(|l| l.0)
}

/// Whether a document's long lines that recur within its site (`recurring` tokens of
/// `total`) are template: they must be the minority of the page (the
/// `max_corpus_share` guard), or the document is the site reposting its own text.
pub fn long_paragraphs_are_template(
    recurring: usize,
    total: usize,
    opts: &BoilerplateOptions,
) -> bool {
    recurring > 0 && recurring as f64 <= opts.max_corpus_share * total as f64
}

/// `true` for every token of a boilerplate line; `n_tokens` is the document's token
/// count. Use it to leave boilerplate out of fingerprints and passages.
pub fn token_mask(lines: &[Line], boilerplate: &[BoilerplateLine], n_tokens: usize) -> Vec<bool> {
    let mut mask = vec![false; n_tokens];
    for b in boilerplate {
        if let Some(line) = lines.get(b.line) {
            let end = line.tokens.end.min(n_tokens);
            let start = line.tokens.start.min(end);
            mask[start..end].fill(true);
        }
    }
    mask
}

fn collect(reasons: &[Option<BoilerplateReason>]) -> Vec<BoilerplateLine> {
    reasons
        .iter()
        .enumerate()
        .filter_map(|(line, r)| r.map(|reason| BoilerplateLine { line, reason }))
        .collect()
}

/// Adds repeated markers, then trailing navigation, to the lines not yet marked.
fn apply_local_rules(
    text: &str,
    lines: &[Line],
    opts: &BoilerplateOptions,
    reasons: &mut [Option<BoilerplateReason>],
) {
    let ends: Vec<LineEnd> = lines
        .iter()
        .map(|l| line_end(text.get(l.bytes.clone()).unwrap_or("")))
        .collect();
    // Code first: it is never text, and a snippet must not count as the last content
    // line for the trailing rule.
    for (r, line) in reasons.iter_mut().zip(lines) {
        if r.is_none() && is_code_line(text.get(line.bytes.clone()).unwrap_or("")) {
            *r = Some(BoilerplateReason::Code);
        }
    }
    if reasons.iter().all(Option::is_some) {
        // Never leave a document with nothing: a text that is all code is that code
        // (a snippet shared on its own, a programming page).
        for r in reasons.iter_mut() {
            if *r == Some(BoilerplateReason::Code) {
                *r = None;
            }
        }
    }
    let markers = repeated_markers(lines, &ends, opts);
    for (r, m) in reasons.iter_mut().zip(&markers) {
        if *m && r.is_none() {
            *r = Some(BoilerplateReason::RepeatedMarker);
        }
    }
    let excluded: Vec<bool> = reasons.iter().map(Option::is_some).collect();
    if let Some(trailing) = trailing_navigation(lines, &ends, &excluded, opts) {
        for r in &mut reasons[trailing] {
            if r.is_none() {
                *r = Some(BoilerplateReason::TrailingNavigation);
            }
        }
    }
}

/// Which lines are repeated markers (see the module documentation).
fn repeated_markers(lines: &[Line], ends: &[LineEnd], opts: &BoilerplateOptions) -> Vec<bool> {
    let n = lines.len();
    let mut counts: HashMap<u64, u32, BuildU64> = HashMap::default();
    for line in lines {
        *counts.entry(line.hash).or_insert(0) += 1;
    }
    let repeated: Vec<bool> = lines.iter().map(|l| counts[&l.hash] >= 2).collect();
    let max_tokens = opts.max_marker_tokens.min(opts.max_line_tokens);
    let marker_like: Vec<bool> = lines
        .iter()
        .zip(ends)
        .map(|(l, &e)| matches!(e, LineEnd::Open | LineEnd::Colon) && l.n_tokens() <= max_tokens)
        .collect();
    // A repeated line stays a candidate until one of its occurrences is found in a run
    // of repeated lines that is not a small run of marker-like lines.
    let mut rejected: HashMap<u64, (), BuildU64> = HashMap::default();
    let mut i = 0;
    while i < n {
        if !repeated[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && repeated[j] {
            j += 1;
        }
        let run = i..j;
        let mut distinct: Vec<u64> = lines[run.clone()].iter().map(|l| l.hash).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let small_markers = distinct.len() <= MAX_MARKER_RUN_DISTINCT
            && marker_like[run.clone()].iter().all(|&m| m);
        if !small_markers {
            for h in distinct {
                rejected.insert(h, ());
            }
        }
        i = j;
    }
    let marked: Vec<bool> = (0..n)
        .map(|i| repeated[i] && marker_like[i] && !rejected.contains_key(&lines[i].hash))
        .collect();
    if marked.iter().all(|&m| m) {
        // Never leave a document with nothing: a text that is one repeated line is that
        // line.
        return vec![false; n];
    }
    marked
}

/// The range of trailing-navigation lines, if the rule applies (module documentation).
fn trailing_navigation(
    lines: &[Line],
    ends: &[LineEnd],
    excluded: &[bool],
    opts: &BoilerplateOptions,
) -> Option<Range<usize>> {
    let is_content = |i: usize| {
        let n = lines[i].n_tokens();
        !excluded[i]
            && (n > opts.max_line_tokens
                || (matches!(ends[i], LineEnd::Stop | LineEnd::Colon)
                    && n >= opts.min_content_tokens))
    };
    let last = (0..lines.len()).rev().find(|&i| is_content(i))?;
    if ends[last] == LineEnd::Colon {
        // "The steps are as follows:": the short lines after it are the list it
        // announces, part of the text.
        return None;
    }
    let mut body_tokens = 0;
    let mut content_tokens = 0;
    for i in 0..=last {
        if excluded[i] {
            continue;
        }
        body_tokens += lines[i].n_tokens();
        if is_content(i) {
            content_tokens += lines[i].n_tokens();
        }
    }
    let trailing_tokens: usize = (last + 1..lines.len())
        .filter(|&i| !excluded[i])
        .map(|i| lines[i].n_tokens())
        .sum();
    if trailing_tokens == 0 || content_tokens * 2 < body_tokens || trailing_tokens > content_tokens
    {
        return None;
    }
    Some(last + 1..lines.len())
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineEnd {
    /// No sentence-final punctuation.
    Open,
    /// A full stop (`.`, `。`, `।`...).
    Stop,
    /// A question or exclamation mark, or an ellipsis: sentence-final, but also how
    /// headlines, teasers and calls to action end.
    Other,
    /// A colon: the line announces what follows ("The steps are as follows:"). Not a
    /// sentence end; a short one is a label ("Lire aussi :", "Share this:").
    Colon,
}

/// Does `line` end with sentence-final punctuation (closing quotes and brackets looked
/// through)? Full stops, question and exclamation marks and ellipses in any script.
pub fn ends_sentence(line: &str) -> bool {
    matches!(line_end(line), LineEnd::Stop | LineEnd::Other)
}

fn line_end(line: &str) -> LineEnd {
    let mut chars = line
        .chars()
        .rev()
        .skip_while(|&c| c.is_whitespace() || is_closer(c));
    let Some(last) = chars.next() else {
        return LineEnd::Open;
    };
    if matches!(last, ':' | '：') {
        return LineEnd::Colon;
    }
    if !is_sentence_final(last) {
        return LineEnd::Open;
    }
    let ellipsis = last == '\u{2026}' || (last == '.' && chars.next() == Some('.'));
    if ellipsis || !is_full_stop(last) {
        LineEnd::Other
    } else {
        LineEnd::Stop
    }
}

#[inline]
fn is_full_stop(c: char) -> bool {
    matches!(
        c,
        '.' | '。' | '｡' | '．' | '۔' | '।' | '॥' | '։' | '።' | '။' | '។' | '།' | '׃'
    )
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '*'
            | '»'
            | '”'
            | '“'
            | '’'
            | '‘'
            | '›'
            | '」'
            | '』'
            | '）'
            | '］'
            | '】'
            | '〉'
            | '》'
            | '＂'
            | '\u{200B}'
    )
}

#[inline]
fn is_sentence_final(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '。'
            | '｡'
            | '．'
            | '！'
            | '？'
            | '؟' // Arabic question mark
            | '۔' // Urdu full stop
            | '।' // Devanagari danda
            | '॥'
            | '։' // Armenian full stop
            | '።' // Ethiopic full stop
            | '፧'
            | '။' // Myanmar
            | '។' // Khmer
            | '།' // Tibetan
            | '׃' // Hebrew sof pasuq
    )
}

/// The key of a site in [`LineCounter`]: 0 for no site (`None` or `""`), otherwise a
/// non-zero xxh3-64 of the name.
pub fn site_key(site: Option<&str>) -> u64 {
    match site {
        None | Some("") => 0,
        Some(s) => xxh3_64(s.as_bytes()).max(1),
    }
}

/// How a line recurs, for one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recurrence {
    No,
    /// In at least `min_docs_same_site` documents of the site.
    Site,
    /// Not within the site, but in at least `min_docs_corpus` documents.
    Corpus,
}

/// Corpus statistics of short lines: in how many distinct documents each appears,
/// overall and per site. Feed it every document with [`LineCounter::add_document`]
/// (or build several on parts of the corpus and [`LineCounter::merge`] them), then ask
/// [`LineCounter::is_recurring`] or pass it to [`find_boilerplate`].
#[derive(Debug, Clone, Default)]
pub struct LineCounter {
    opts: BoilerplateOptions,
    /// Short-line hash -> number of documents containing it.
    corpus: HashMap<u64, u32, BuildU64>,
    /// `pair_key(site, line hash)` -> number of documents of the site containing it.
    site: HashMap<u64, u32, BuildU64>,
    /// The same for long lines (counted within sites only).
    site_long: HashMap<u64, u32, BuildU64>,
    documents: u64,
    compacted: bool,
}

impl PartialEq for LineCounter {
    /// Same options and same counts (merging in any order gives equal counters).
    fn eq(&self, other: &Self) -> bool {
        self.opts == other.opts
            && self.corpus == other.corpus
            && self.site == other.site
            && self.site_long == other.site_long
            && self.documents == other.documents
            && self.compacted == other.compacted
    }
}

impl LineCounter {
    /// An empty counter using `opts` (which [`find_boilerplate`] then uses too).
    pub fn new(opts: BoilerplateOptions) -> Self {
        LineCounter {
            opts,
            ..Default::default()
        }
    }

    /// The options this counter was built with.
    pub fn options(&self) -> &BoilerplateOptions {
        &self.opts
    }

    /// Counts one document: each distinct short line once, and (for a document with a
    /// site) each distinct long line once within its site. A document added twice
    /// counts twice.
    pub fn add_document(&mut self, site: Option<&str>, lines: &[Line]) {
        let long: Vec<u64> = lines
            .iter()
            .filter(|l| l.n_tokens() > self.opts.max_line_tokens)
            .map(|l| l.hash)
            .collect();
        self.add_document_lines(site, lines, &long);
    }

    /// [`LineCounter::add_document`] with the long lines given by their hashes (what
    /// pass 1 keeps of them); long lines among `lines` are not counted.
    pub fn add_document_lines(&mut self, site: Option<&str>, lines: &[Line], long: &[u64]) {
        debug_assert!(!self.compacted, "add_document after compact");
        let key = site_key(site);
        if key != 0 && self.opts.min_docs_same_site_long > 0 {
            let mut long = long.to_vec();
            long.sort_unstable();
            long.dedup();
            for h in long {
                let c = self.site_long.entry(pair_key(key, h)).or_insert(0);
                *c = c.saturating_add(1);
            }
        }
        let mut hashes: Vec<u64> = lines
            .iter()
            .filter(|l| l.n_tokens() <= self.opts.max_line_tokens)
            .flat_map(|l| std::iter::once(l.hash).chain(l.label))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        for h in hashes {
            let c = self.corpus.entry(h).or_insert(0);
            *c = c.saturating_add(1);
            if key != 0 {
                let c = self.site.entry(pair_key(key, h)).or_insert(0);
                *c = c.saturating_add(1);
            }
        }
        self.documents += 1;
    }

    /// Adds the counts of `other` (built with the same options) to this counter. The
    /// result answers exactly as one counter given both sets of documents. Merge before
    /// [`LineCounter::compact`]: a compacted side has lost its counts below the
    /// thresholds, so the sum is then a lower bound (the result is compacted too).
    pub fn merge(&mut self, other: Self) {
        debug_assert_eq!(self.opts, other.opts, "merging counters with other options");
        let (mut a, b) = (other.corpus, other.site);
        // Merge the smaller map into the larger one.
        if a.len() > self.corpus.len() {
            std::mem::swap(&mut a, &mut self.corpus);
        }
        for (h, c) in a {
            let e = self.corpus.entry(h).or_insert(0);
            *e = e.saturating_add(c);
        }
        let mut b = b;
        if b.len() > self.site.len() {
            std::mem::swap(&mut b, &mut self.site);
        }
        for (h, c) in b {
            let e = self.site.entry(h).or_insert(0);
            *e = e.saturating_add(c);
        }
        let mut long = other.site_long;
        if long.len() > self.site_long.len() {
            std::mem::swap(&mut long, &mut self.site_long);
        }
        for (h, c) in long {
            let e = self.site_long.entry(h).or_insert(0);
            *e = e.saturating_add(c);
        }
        self.documents += other.documents;
        self.compacted |= other.compacted;
        if self.compacted {
            self.compact();
        }
    }

    /// Drops the counts that are below both thresholds. Call it once every document is
    /// counted: answers do not change, memory falls to the recurring lines only. No
    /// document may be added afterwards (counts below thresholds are lost).
    pub fn compact(&mut self) {
        let corpus_min = self.opts.min_docs_corpus.max(1);
        let site_min = self.opts.min_docs_same_site.max(1);
        let long_min = self.opts.min_docs_same_site_long.max(1);
        self.corpus.retain(|_, c| *c as usize >= corpus_min);
        self.site.retain(|_, c| *c as usize >= site_min);
        self.site_long.retain(|_, c| *c as usize >= long_min);
        self.corpus.shrink_to_fit();
        self.site.shrink_to_fit();
        self.site_long.shrink_to_fit();
        self.compacted = true;
    }

    /// Is a short line with this hash recurring for a document of `site`?
    /// (Does not apply the per-document `max_corpus_share` guard of [`find_boilerplate`].)
    pub fn is_recurring(&self, site: Option<&str>, line_hash: u64) -> bool {
        self.recurrence(site_key(site), line_hash) != Recurrence::No
    }

    /// Is a short line recurring for a document of `site`, by its hash or, for a
    /// labelled teaser, by its label? (Without the share guard, as
    /// [`LineCounter::is_recurring`].)
    pub fn line_recurs(&self, site: Option<&str>, line: &Line) -> bool {
        self.line_recurrence(site_key(site), line) != Recurrence::No
    }

    fn line_recurrence(&self, site_key: u64, line: &Line) -> Recurrence {
        let by_line = self.recurrence(site_key, line.hash);
        match (by_line, line.label) {
            (Recurrence::Site, _) | (_, None) => by_line,
            (_, Some(label)) => match self.recurrence(site_key, label) {
                Recurrence::No => by_line,
                by_label => by_label,
            },
        }
    }

    /// Number of documents counted (merges included).
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Number of distinct short lines held (all of them before [`LineCounter::compact`],
    /// only those recurring in the corpus after).
    pub fn len(&self) -> usize {
        self.corpus.len()
    }

    /// True when no short line is held.
    pub fn is_empty(&self) -> bool {
        self.corpus.is_empty()
    }

    /// In how many counted documents the short line `line_hash` occurs (0 if unknown,
    /// or below `min_docs_corpus` after [`LineCounter::compact`]).
    pub fn document_count(&self, line_hash: u64) -> u32 {
        self.corpus.get(&line_hash).copied().unwrap_or(0)
    }

    /// In how many counted documents of `site` the short line `line_hash` occurs (0 if
    /// unknown, or below `min_docs_same_site` after [`LineCounter::compact`]).
    pub fn site_document_count(&self, site: Option<&str>, line_hash: u64) -> u32 {
        match site_key(site) {
            0 => 0,
            key => self
                .site
                .get(&pair_key(key, line_hash))
                .copied()
                .unwrap_or(0),
        }
    }

    /// Does a long line with this hash recur within `site` (in at least
    /// `min_docs_same_site_long` of its documents)? (Without the per-document share
    /// guard of [`find_boilerplate`]: see [`long_paragraphs_are_template`].)
    pub fn is_recurring_long(&self, site: Option<&str>, line_hash: u64) -> bool {
        self.long_line_recurs(site_key(site), line_hash)
    }

    fn long_line_recurs(&self, site_key: u64, line_hash: u64) -> bool {
        let min = self.opts.min_docs_same_site_long;
        site_key != 0
            && min > 0
            && self
                .site_long
                .get(&pair_key(site_key, line_hash))
                .is_some_and(|&c| c as usize >= min)
    }

    fn recurrence(&self, site_key: u64, line_hash: u64) -> Recurrence {
        let site_min = self.opts.min_docs_same_site;
        if site_key != 0 && site_min > 0 {
            if let Some(&c) = self.site.get(&pair_key(site_key, line_hash)) {
                if c as usize >= site_min {
                    return Recurrence::Site;
                }
            }
        }
        let corpus_min = self.opts.min_docs_corpus;
        if corpus_min > 0 {
            if let Some(&c) = self.corpus.get(&line_hash) {
                if c as usize >= corpus_min {
                    return Recurrence::Corpus;
                }
            }
        }
        Recurrence::No
    }
}

/// Key of (site, line) in the per-site map.
#[inline]
fn pair_key(site_key: u64, line_hash: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&site_key.to_le_bytes());
    bytes[8..].copy_from_slice(&line_hash.to_le_bytes());
    xxh3_64(&bytes)
}

/// The maps' keys are xxh3 hashes already: use them as they are.
#[derive(Default, Clone, Copy)]
struct U64Hasher(u64);

impl Hasher for U64Hasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by the maps here; fold anything else in.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type BuildU64 = BuildHasherDefault<U64Hasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("It rained."));
        assert!(ends_sentence("Who pays?  "));
        assert!(ends_sentence("« Il a dit non. »"));
        assert!(ends_sentence("He said \"no.\""));
        assert!(ends_sentence("雨が降った。"));
        assert!(ends_sentence("क्या हुआ।"));
        assert!(!ends_sentence("\"Not our war\""));
        assert!(!ends_sentence("Share on Facebook"));
        assert!(!ends_sentence("Read also:"));
        assert!(!ends_sentence(""));
    }

    #[test]
    fn line_end_kinds() {
        assert_eq!(line_end("It rained."), LineEnd::Stop);
        assert_eq!(line_end("« Il a dit non. »"), LineEnd::Stop);
        assert_eq!(line_end("Who pays?"), LineEnd::Other);
        assert_eq!(line_end("Subscribe now!"), LineEnd::Other);
        assert_eq!(line_end("Read also: the bridge will…"), LineEnd::Other);
        assert_eq!(line_end("Read also: the bridge will..."), LineEnd::Other);
        assert_eq!(line_end("Read also: the bridge"), LineEnd::Open);
        assert_eq!(line_end("Lire aussi :"), LineEnd::Colon);
        assert!(!ends_sentence("The steps are as follows:"));
        assert_eq!(line_end("雨が降った。"), LineEnd::Stop);
        assert_eq!(line_end("  \t "), LineEnd::Open);
    }

    #[test]
    fn site_keys() {
        assert_eq!(site_key(None), 0);
        assert_eq!(site_key(Some("")), 0);
        assert_ne!(site_key(Some("a.example")), 0);
        assert_ne!(site_key(Some("a.example")), site_key(Some("b.example")));
    }
}
