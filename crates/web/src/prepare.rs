//! A fast pass over the raw HTML before the extractor parses it.
//!
//! The extractor builds a full DOM, serialises and re-parses it (for its fallback), and
//! runs dozens of selector queries over every node. On real news pages more than half of
//! the bytes are scripts, styles and inline SVG, and a good share of the elements are
//! navigation, sidebars and footers that the extractor deletes anyway before looking for
//! the main text (they are in its "tags to clean" list). Images and most `<link>`s go
//! too (`VOID_REMOVED` and `LINK_RELS_READ` below). Cutting them out here, with one
//! linear scan over the bytes, makes extraction about twice as fast and does not change
//! what is extracted.
//!
//! Kept on purpose:
//! - `<script type="application/ld+json">`: the extractor reads metadata (dates,
//!   titles, site names) from it. Its `articleBody` fields are taken out and handed
//!   back separately (see [`Prepared::json_ld_body`]): the extractor prefers a JSON-LD
//!   body over the page's own text whenever it is twice as long, and sites that embed
//!   one often repeat sections in it; [`crate::extract`] uses it only when the page
//!   itself yields no text.
//! - `<form>`: some sites (ASP.NET) wrap the whole page in one.
//! - `<head>` and `<time>`: metadata.
//!
//! An element is removed only when its end tag is found (nested elements of the same
//! name are counted), so a page with an unclosed `<aside>` loses nothing.

use crate::charset::find_ascii_ci;

/// Elements removed with everything inside them.
const REMOVED: &[&str] = &[
    "script", "style", "svg", "noscript", "template", "iframe", "object", "embed", "canvas",
    "audio", "video", "map", "select", "button", "textarea", "nav", "aside", "footer", "menu",
    "dialog",
];

/// Void elements (no content, no end tag) removed: the extractor strips or cleans them all
/// before it looks for text (`img` is stripped unless images are kept, which reprint
/// never asks for), and no metadata comes from them. An `<img>` is a tenth of the bytes
/// of a prepared page (`srcset` lists), most of it attribute values the parser copies
/// character by character.
const VOID_REMOVED: &[&str] = &["img", "source", "track", "param", "area", "input"];

/// A `<link>` is kept only when its attributes mention one of these `rel` values, the
/// ones the extractor reads (canonical URL, licence, pagination); stylesheets, icons,
/// preloads and alternates go.
const LINK_RELS_READ: &[&str] = &["canonical", "license", "next", "prev"];

/// An `<article>` nested in another one after this many bytes of the outer one's text is
/// removed: by the HTML standard's definition a nested article is "related" to the
/// outer one (a comment, a teaser of another story), and once the outer article has
/// shown text of its own, the nested ones are not its body.
const NESTED_ARTICLE_AFTER: usize = 250;

/// Elements whose content is raw text (no tags inside), which must be skipped as a whole
/// so that a `<` in them is not taken for a tag.
/// (With scripting off, as the extractor parses, `<noscript>` holds tags.)
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The HTML handed to the extractor, and what was set aside from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub html: String,
    /// The longest `articleBody` found in the page's JSON-LD, if any.
    pub json_ld_body: Option<String>,
}

/// Removes the elements listed in the [module docs](self) from `html`.
pub fn prepare(html: &str) -> Prepared {
    let mut out = String::new();
    let json_ld_body = prepare_into(html, &mut out);
    Prepared {
        html: out,
        json_ld_body,
    }
}

/// [`prepare`] into `out` (cleared first; a buffer kept from page to page saves an
/// allocation of fresh memory per page), returning [`Prepared::json_ld_body`].
pub fn prepare_into(html: &str, out_string: &mut String) -> Option<String> {
    prepare_with(html, out_string, true)
}

/// [`prepare_into`]; `one_pass_ends` off searches every end tag afresh (the tests'
/// reference for [`EndTags`]).
fn prepare_with(html: &str, out_string: &mut String, one_pass_ends: bool) -> Option<String> {
    let b = html.as_bytes();
    let mut out = std::mem::take(out_string).into_bytes();
    out.clear();
    out.reserve(b.len() / 2);
    let mut json_ld_body: Option<String> = None;
    // How many `<article>` elements are open where the scan is.
    let mut articles = 0usize;
    // Text bytes (not counting whitespace) seen inside the outermost open `<article>`.
    let mut article_text = 0usize;
    // The end tags of removed elements, found in one pass once a search has failed.
    let mut ends: Option<EndTags> = None;
    let mut i = 0;
    while i < b.len() {
        let Some(lt) = memchr(b'<', &b[i..]) else {
            out.extend_from_slice(&b[i..]);
            break;
        };
        let j = i + lt;
        out.extend_from_slice(&b[i..j]);
        if articles > 0 {
            article_text += b[i..j].iter().filter(|c| !c.is_ascii_whitespace()).count();
        }
        if let Some(markup) = markup_end(b, j, false) {
            // Comments go; a doctype (which sets the parser's mode) and the rest stay.
            if !markup.comment {
                out.extend_from_slice(&b[j..markup.end]);
            }
            i = markup.end;
            continue;
        }
        let Some(tag) = parse_tag(b, j) else {
            out.push(b'<');
            i = j + 1;
            continue;
        };
        let name = &b[tag.name.0..tag.name.1];
        let is_article = name.eq_ignore_ascii_case(b"article");
        if tag.end {
            if is_article {
                articles = articles.saturating_sub(1);
            }
            out.extend_from_slice(&b[j..tag.close]);
            i = tag.close;
            continue;
        }
        if is_dropped_void(name, &b[tag.name.1..tag.close]) {
            i = tag.close;
            continue;
        }
        let removed = REMOVED
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r.as_bytes()))
            || (is_article && articles > 0 && article_text >= NESTED_ARTICLE_AFTER);
        if is_one_of(name, RAW_TEXT) {
            let content_end = find_end_tag(b, tag.close, name).unwrap_or(b.len());
            let after = tag_end(b, content_end);
            let attrs = &b[tag.name.1..tag.close];
            if name.eq_ignore_ascii_case(b"script") && find_ascii_ci(attrs, b"ld+json").is_some() {
                let json = &html[tag.close..content_end];
                let (json, body) = take_article_body(json);
                if let Some(body) = body {
                    if json_ld_body
                        .as_ref()
                        .is_none_or(|old| old.len() < body.len())
                    {
                        json_ld_body = Some(body);
                    }
                }
                out.extend_from_slice(&b[j..tag.close]);
                out.extend_from_slice(json.as_bytes());
                out.extend_from_slice(&b[content_end..after]);
            } else if !removed {
                out.extend_from_slice(&b[j..after]);
            }
            i = after;
            continue;
        }
        if removed && !tag.self_closing {
            let end = match &ends {
                Some(ends) => ends.of(tag.close),
                None => {
                    let end = find_matching_end(b, tag.close, name);
                    if end.is_none() && one_pass_ends {
                        // An unclosed element: the search read the rest of the page. A
                        // page with thousands of them would be read again for each, so
                        // every element's end is now found in one pass.
                        ends = Some(EndTags::of_page(b));
                    }
                    end
                }
            };
            if let Some(end) = end {
                i = end;
                continue;
            }
        }
        if is_article && !tag.self_closing {
            if articles == 0 {
                article_text = 0;
            }
            articles += 1;
        }
        out.extend_from_slice(&b[j..tag.close]);
        i = tag.close;
    }
    // Cuts are made at ASCII `<` and `>` only, so the result is valid UTF-8; keep the
    // original if that ever failed.
    *out_string = String::from_utf8(out).unwrap_or_else(|e| {
        let mut bytes = e.into_bytes();
        bytes.clear();
        bytes.extend_from_slice(html.as_bytes());
        String::from_utf8(bytes).unwrap_or_default()
    });
    json_ld_body
}

/// A start or end tag found at some `<`.
pub(crate) struct Tag {
    /// Byte range of the tag name.
    pub(crate) name: (usize, usize),
    pub(crate) end: bool,
    pub(crate) self_closing: bool,
    /// Position just after the closing `>` (or the end of input).
    pub(crate) close: usize,
    /// Attributes the tokenizer would read (duplicates included).
    pub(crate) attributes: usize,
}

/// The tokenizer's states inside a tag, after its name (the HTML standard's "before
/// attribute name" to "self-closing start tag" states).
#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Unquoted,
    AfterQuoted,
    SelfClosing,
}

/// Parses the tag starting at `b[at] == b'<'`; `None` when what follows is not a tag
/// name (a lone `<`, `<!DOCTYPE`, `<?xml`).
///
/// It reads the tag as the standard's tokenizer does, since every guess that differs
/// is a way for a page to hide its shape from the checks made here: the name runs to
/// whitespace, `/` or `>` (`<div"x>` is one tag, `<meta\u{8a}>` not a `<meta>`), and a
/// quote opens a value only after an attribute name and its `=` (in `<a = 'x>` the `=`
/// is a name and the tag ends at the `>`). Quoted values, the long part of attribute
/// lists, are skipped with `memchr`.
pub(crate) fn parse_tag(b: &[u8], at: usize) -> Option<Tag> {
    let mut k = at + 1;
    let end = b.get(k) == Some(&b'/');
    if end {
        k += 1;
    }
    if !b.get(k).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let start = k;
    while k < b.len() && !is_space(b[k]) && b[k] != b'/' && b[k] != b'>' {
        k += 1;
    }
    let name = (start, k);
    let mut state = In::BeforeName;
    let mut attributes = 0;
    while k < b.len() {
        let c = b[k];
        if c == b'>' && state != In::BeforeValue {
            return Some(Tag {
                name,
                end,
                self_closing: state == In::SelfClosing,
                close: k + 1,
                attributes,
            });
        }
        state = match state {
            In::BeforeName | In::AfterQuoted | In::SelfClosing => {
                if is_space(c) {
                    In::BeforeName
                } else if c == b'/' {
                    In::SelfClosing
                } else {
                    // Any other byte, `=` and quotes included, starts a name (after a
                    // quoted value or a `/`, it is reconsumed here).
                    attributes += 1;
                    In::Name
                }
            }
            In::Name => match c {
                _ if is_space(c) => In::AfterName,
                b'/' => In::SelfClosing,
                b'=' => In::BeforeValue,
                _ => In::Name,
            },
            In::AfterName => match c {
                _ if is_space(c) => In::AfterName,
                b'/' => In::SelfClosing,
                b'=' => In::BeforeValue,
                _ => {
                    attributes += 1;
                    In::Name
                }
            },
            In::BeforeValue => match c {
                _ if is_space(c) => In::BeforeValue,
                b'"' | b'\'' => match memchr(c, &b[k + 1..]) {
                    Some(q) => {
                        k += q + 2;
                        state = In::AfterQuoted;
                        continue;
                    }
                    // An unclosed value runs to the end of the input.
                    None => break,
                },
                // `>` right after `=`: a missing value, the tag ends.
                b'>' => {
                    return Some(Tag {
                        name,
                        end,
                        self_closing: false,
                        close: k + 1,
                        attributes,
                    })
                }
                _ => In::Unquoted,
            },
            In::Unquoted => {
                if is_space(c) {
                    In::BeforeName
                } else {
                    In::Unquoted
                }
            }
        };
        k += 1;
    }
    Some(Tag {
        name,
        end,
        self_closing: false,
        close: b.len(),
        attributes,
    })
}

/// Position of the `</name` that ends a raw-text element whose content starts at `from`,
/// found as the tokenizer finds it: the name must be followed by whitespace, `/` or `>`
/// (`</script-x>` ends nothing), and in a script, `<!--` then `<script` hide the next
/// `</script>` (the standard's "double escaped" states). Every way this search could end
/// an element earlier than the parser does is a way to hide tags from the checks here.
pub(crate) fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    if name.eq_ignore_ascii_case(b"script") {
        return script_end(b, from);
    }
    let mut pos = from;
    loop {
        let at = find(b, pos, b"</")?;
        if names_tag(b, at + 2, name) {
            return Some(at);
        }
        pos = at + 2;
    }
}

/// Whether `b[at..]` is `name` (any case) followed by what ends a tag name.
fn names_tag(b: &[u8], at: usize, name: &[u8]) -> bool {
    let after = at + name.len();
    after <= b.len()
        && b[at..after].eq_ignore_ascii_case(name)
        && b.get(after)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// The end of a script's content (the `<` of its `</script`): the script data states of
/// the tokenizer, escaped (`<!--` seen) and double escaped (`<script` seen after it).
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut k = from;
    while k < b.len() {
        let next = memchr::memchr2(b'<', b'-', &b[k..])? + k;
        if b[next] == b'-' {
            // `-->` leaves the escaped states (a run of dashes may come before the `>`).
            let mut e = next;
            while b.get(e) == Some(&b'-') {
                e += 1;
            }
            if state != State::Data && e - next >= 2 && b.get(e) == Some(&b'>') {
                state = State::Data;
                k = e + 1;
            } else {
                k = e;
            }
            continue;
        }
        match state {
            State::Data | State::Escaped if names_tag_end(b, next) => return Some(next),
            State::Data if b[next..].starts_with(b"<!--") => {
                state = State::Escaped;
                // `<!-->` opens and closes at once: the dashes are the `-->`'s.
                k = next + 2;
                continue;
            }
            State::Escaped if names_tag(b, next + 1, b"script") => state = State::DoubleEscaped,
            State::DoubleEscaped if names_tag_end(b, next) => state = State::Escaped,
            _ => {}
        }
        k = next + 1;
    }
    None
}

/// Whether `b[at..]` is `</script` followed by what ends a tag name.
fn names_tag_end(b: &[u8], at: usize) -> bool {
    b[at..].starts_with(b"</") && names_tag(b, at + 2, b"script")
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Markup at a `<` that is no tag, as the tokenizer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Markup {
    /// Position just after it.
    pub(crate) end: usize,
    /// A `<!--` comment (the rest: doctypes, bogus comments, an ignored `</>`).
    pub(crate) comment: bool,
}

/// The markup starting at `b[at] == b'<'` when it is a comment, a doctype, a bogus
/// comment (`<?x>`, `<!x>`, `</` then no letter: `</<table>` is a comment that hides a
/// `<table>`) or the ignored `</>`; `None` for a tag or a `<` that is text. A comment
/// ends at the first `-->` or `--!>`, or at once in `<!-->` and `<!--->`; the rest at
/// the first `>`, except a CDATA section in foreign content (`foreign`), which ends at
/// `]]>`.
pub(crate) fn markup_end(b: &[u8], at: usize, foreign: bool) -> Option<Markup> {
    let rest = &b[at..];
    let to_gt = |from: usize| Markup {
        end: memchr(b'>', &b[from.min(b.len())..]).map_or(b.len(), |p| from + p + 1),
        comment: false,
    };
    if rest.starts_with(b"<!--") {
        let k = at + 4;
        let end = if b.get(k) == Some(&b'>') {
            k + 1
        } else if b[k..].starts_with(b"->") {
            k + 2
        } else {
            comment_end(b, k)
        };
        return Some(Markup { end, comment: true });
    }
    match rest.get(1) {
        Some(b'!') if foreign && rest[2..].starts_with(b"[CDATA[") => Some(Markup {
            end: find(b, at + 9, b"]]>").map_or(b.len(), |e| e + 3),
            comment: false,
        }),
        Some(b'!' | b'?') => Some(to_gt(at + 2)),
        Some(b'/') => match rest.get(2) {
            None => None,
            Some(b'>') => Some(Markup {
                end: at + 3,
                comment: false,
            }),
            Some(c) if c.is_ascii_alphabetic() => None,
            Some(_) => Some(to_gt(at + 2)),
        },
        _ => None,
    }
}

/// Position just after a comment whose text starts at `from`.
fn comment_end(b: &[u8], from: usize) -> usize {
    let mut pos = from;
    while let Some(at) = find(b, pos, b"--") {
        let mut k = at + 2;
        while b.get(k) == Some(&b'-') {
            k += 1;
        }
        if b.get(k) == Some(&b'>') {
            return k + 1;
        }
        if b[k..].starts_with(b"!>") {
            return k + 2;
        }
        pos = at + 1;
    }
    b.len()
}

/// Position just after the `>` of the tag starting at `at` (end of input if none).
pub(crate) fn tag_end(b: &[u8], at: usize) -> usize {
    if at >= b.len() {
        return b.len();
    }
    memchr(b'>', &b[at..]).map_or(b.len(), |p| at + p + 1)
}

/// Position just after the end tag matching an element `name` opened before `from`,
/// counting nested elements of the same name; `None` when it is never closed.
fn find_matching_end(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut depth = 1usize;
    let mut k = from;
    while k < b.len() {
        let lt = k + memchr(b'<', &b[k..])?;
        if let Some(markup) = markup_end(b, lt, false) {
            k = markup.end;
            continue;
        }
        let Some(tag) = parse_tag(b, lt) else {
            k = lt + 1;
            continue;
        };
        let tag_name = &b[tag.name.0..tag.name.1];
        if tag_name.eq_ignore_ascii_case(name) {
            if tag.end {
                depth -= 1;
                if depth == 0 {
                    return Some(tag.close);
                }
            } else if !tag.self_closing {
                depth += 1;
            }
        } else if !tag.end && is_one_of(tag_name, RAW_TEXT) {
            let content_end = find_end_tag(b, tag.close, tag_name)?;
            k = tag_end(b, content_end);
            continue;
        }
        k = tag.close;
    }
    None
}

/// Where each removable element (those of `REMOVED`, and `article`) ends, found for a
/// whole page in one pass with a stack per name: the same pairing as
/// [`find_matching_end`] (end tags close the latest open element of their name; raw
/// text is skipped; an unclosed raw-text element leaves everything after it unmatched),
/// in linear time however many elements are left unclosed.
struct EndTags {
    /// `(position after a start tag, position after its matching end tag)`, by the
    /// first; `None` when it has none.
    ends: Vec<(usize, Option<usize>)>,
}

impl EndTags {
    fn of_page(b: &[u8]) -> EndTags {
        let names: Vec<&str> = REMOVED.iter().copied().chain(["article"]).collect();
        let mut open: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        let mut ends: Vec<(usize, Option<usize>)> = Vec::new();
        let mut k = 0;
        while let Some(lt) = memchr(b'<', &b[k.min(b.len())..]).map(|p| k + p) {
            if let Some(markup) = markup_end(b, lt, false) {
                k = markup.end;
                continue;
            }
            let Some(tag) = parse_tag(b, lt) else {
                k = lt + 1;
                continue;
            };
            let tag_name = &b[tag.name.0..tag.name.1];
            k = tag.close;
            if !tag.end && is_one_of(tag_name, RAW_TEXT) {
                // Raw text first (`script` is also removable): its content is no tags.
                match find_end_tag(b, tag.close, tag_name) {
                    Some(content_end) => k = tag_end(b, content_end),
                    None => break,
                }
            } else if let Some(n) = names
                .iter()
                .position(|r| tag_name.eq_ignore_ascii_case(r.as_bytes()))
            {
                if tag.end {
                    if let Some(start) = open[n].pop() {
                        ends.push((start, Some(tag.close)));
                    }
                } else if !tag.self_closing {
                    open[n].push(tag.close);
                }
            }
        }
        ends.extend(open.into_iter().flatten().map(|start| (start, None)));
        ends.sort_unstable();
        EndTags { ends }
    }

    /// The end of the element whose start tag ends at `start`.
    fn of(&self, start: usize) -> Option<usize> {
        let at = self.ends.binary_search_by_key(&start, |e| e.0).ok()?;
        self.ends[at].1
    }
}

/// Whether a start tag `name` with `attrs` is one of the void elements dropped whole
/// (`VOID_REMOVED`, or a `<link>` whose attributes name none of `LINK_RELS_READ`).
fn is_dropped_void(name: &[u8], attrs: &[u8]) -> bool {
    is_one_of(name, VOID_REMOVED)
        || (name.eq_ignore_ascii_case(b"link")
            && !LINK_RELS_READ
                .iter()
                .any(|rel| find_ascii_ci(attrs, rel.as_bytes()).is_some()))
}

/// Whether `name` is an element whose content is raw text (no tags inside).
pub(crate) fn is_raw_text(name: &[u8]) -> bool {
    is_one_of(name, RAW_TEXT)
}

fn is_one_of(name: &[u8], names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

/// Absolute position of `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = b.get(from..)?;
    memchr::memmem::find(rest, needle).map(|p| from + p)
}

/// Removes every `articleBody` member from a JSON-LD document and returns the document
/// re-serialised with the longest body removed. JSON that does not parse is returned
/// unchanged (and its body stays where it is).
fn take_article_body(json: &str) -> (std::borrow::Cow<'_, str>, Option<String>) {
    use std::borrow::Cow;
    if !json.contains("\"articleBody\"") {
        return (Cow::Borrowed(json), None);
    }
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json.trim()) else {
        return (Cow::Borrowed(json), None);
    };
    let mut best: Option<String> = None;
    strip_bodies(&mut value, &mut best);
    match serde_json::to_string(&value) {
        Ok(text) => (Cow::Owned(text), best),
        Err(_) => (Cow::Borrowed(json), None),
    }
}

fn strip_bodies(value: &mut serde_json::Value, best: &mut Option<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(body)) = map.remove("articleBody") {
                if best.as_ref().is_none_or(|b| b.len() < body.len()) {
                    *best = Some(body);
                }
            }
            for v in map.values_mut() {
                strip_bodies(v, best);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                strip_bodies(v, best);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> String {
        prepare(s).html
    }

    #[test]
    fn markup_that_is_no_tag_ends_where_the_tokenizer_ends_it() {
        fn end(s: &str) -> Option<(&str, bool)> {
            markup_end(s.as_bytes(), 0, false).map(|m| (&s[..m.end], m.comment))
        }
        assert_eq!(end("<!-- a -->b"), Some(("<!-- a -->", true)));
        assert_eq!(end("<!-->b-->"), Some(("<!-->", true)));
        assert_eq!(end("<!--->b-->"), Some(("<!--->", true)));
        assert_eq!(end("<!---->b"), Some(("<!---->", true)));
        assert_eq!(end("<!-- a --!>b-->"), Some(("<!-- a --!>", true)));
        assert_eq!(end("<!-- a --!-->b"), Some(("<!-- a --!-->", true)));
        assert_eq!(end("<!-- a ---->b"), Some(("<!-- a ---->", true)));
        assert_eq!(end("<!-- open"), Some(("<!-- open", true)));
        assert_eq!(end("<!DOCTYPE html>x"), Some(("<!DOCTYPE html>", false)));
        assert_eq!(end("</<table>x"), Some(("</<table>", false)));
        assert_eq!(end("<?xml <div>>x"), Some(("<?xml <div>", false)));
        assert_eq!(end("</>x"), Some(("</>", false)));
        assert_eq!(end("<![CDATA[<b>]]>x"), Some(("<![CDATA[<b>", false)));
        let cdata = "<![CDATA[<b>]]>x";
        let m = markup_end(cdata.as_bytes(), 0, true).map(|m| &cdata[..m.end]);
        assert_eq!(m, Some("<![CDATA[<b>]]>"));
        for text in ["</", "<", "< div>", "<1>", "</div>", "<div>"] {
            assert_eq!(end(text), None, "{text}");
        }
    }

    #[test]
    fn raw_text_ends_at_the_end_tag_the_tokenizer_takes() {
        let end = |s: &str, name: &str| find_end_tag(s.as_bytes(), 0, name.as_bytes());
        assert_eq!(end("a</title-x>b</title >", "title"), Some(12));
        assert_eq!(end("a</TITLE/>", "title"), Some(1));
        assert_eq!(end("a</title", "title"), None);
        // A script's escapes: `<!--` then `<script>` hide the next `</script>`, which
        // `-->` would have ended.
        assert_eq!(end("x</script>", "script"), Some(1));
        assert_eq!(end("<!--</script>", "script"), Some(4));
        let double = "<!--<script></script>x</script>";
        assert_eq!(end(double, "script"), Some(22));
        let closed = "<!--<script>--></script>";
        assert_eq!(end(closed, "script"), Some(15));
        let opened_and_closed = "<!--><script></script>";
        assert_eq!(end(opened_and_closed, "script"), Some(13));
        assert_eq!(end("<!--<scripts></script>", "script"), Some(13));
    }

    #[test]
    fn a_quote_opens_a_value_only_after_an_equals_sign() {
        // `<div"<div>` is one tag to the tokenizer; taking its quote for a value's swallowed
        // the page up to the next quote, and with it 9,000 nested divs from the depth guard.
        let b = b"<div\"<div><p>x</p>";
        let tag = parse_tag(b, 0).unwrap();
        assert_eq!(tag.close, 10);
        let b = b"<a title=\"x>y\" href = 'p>q'>text";
        assert_eq!(parse_tag(b, 0).unwrap().close, b.len() - 4);
        let b = b"<a href=x>y>";
        assert_eq!(parse_tag(b, 0).unwrap().close, 10);
        // An `=` where no attribute name precedes it is a name itself, so the quote after
        // it opens nothing: the tag ends at the first `>` (the fuzzer's page hid 88,000
        // levels of tables behind `<ax = '`).
        let b = b"<ax = '<p>not text</p><table>";
        let tag = parse_tag(b, 0).unwrap();
        assert_eq!((tag.close, tag.attributes), (10, 2));
        let tag = parse_tag(b"<br/>", 0).unwrap();
        assert!(tag.self_closing);
        let tag = parse_tag(b"<a href=x/>", 0).unwrap();
        assert!(!tag.self_closing, "the slash is part of the unquoted value");
        let tag = parse_tag(b"<p a b=\"c\"d e = 'f' g>", 0).unwrap();
        assert_eq!(tag.attributes, 5);
        let nested = format!(
            "<html><body>{}<div\"{}",
            "<div>".repeat(10),
            "<div>".repeat(600)
        );
        assert!(crate::nesting::deeper_than(&html(&nested), crate::nesting::MAX_DEPTH).is_some());
    }

    /// A tag soup of removable, raw-text and other elements, from a seed.
    fn soup(seed: u64, len: usize) -> String {
        const PARTS: &[&str] = &[
            "<template>",
            "</template>",
            "<nav>",
            "</nav>",
            "<aside>",
            "</aside>",
            "<article>",
            "</article>",
            "<div>",
            "</div>",
            "<p>text</p>",
            "<script>",
            "</script>",
            "<title>",
            "</title>",
            "<!--",
            "-->",
            "<select/>",
            "words ",
            "<svg>",
            "</svg>",
        ];
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                PARTS[(x % PARTS.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn the_one_pass_end_tags_pair_as_the_search_does() {
        let names: Vec<&str> = REMOVED.iter().copied().chain(["article"]).collect();
        for seed in 0..300 {
            let page = soup(seed, 60);
            let b = page.as_bytes();
            let ends = EndTags::of_page(b);
            // Every start tag of a removable element the main loop could meet.
            let mut k = 0;
            while let Some(lt) = memchr(b'<', &b[k..]).map(|p| k + p) {
                k = lt + 1;
                let Some(tag) = parse_tag(b, lt) else {
                    continue;
                };
                let name = &b[tag.name.0..tag.name.1];
                // (Raw-text elements are skipped by the main loop, never searched.)
                if tag.end
                    || tag.self_closing
                    || is_one_of(name, RAW_TEXT)
                    || !names
                        .iter()
                        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
                {
                    continue;
                }
                if is_in_comment_or_raw_text(b, lt) {
                    continue;
                }
                assert_eq!(
                    ends.of(tag.close),
                    find_matching_end(b, tag.close, name),
                    "seed {seed} at {lt}: {page}"
                );
            }
            // And the page prepares alike whichever way ends are found.
            assert_eq!(
                html(&page),
                html_without_table(&page),
                "seed {seed}: {page}"
            );
        }
    }

    /// Whether `at` lies inside a comment or a raw-text element, as the main loop reads
    /// the page from its start.
    fn is_in_comment_or_raw_text(b: &[u8], at: usize) -> bool {
        let mut k = 0;
        while let Some(lt) = memchr(b'<', &b[k..]).map(|p| k + p) {
            if lt >= at {
                return lt > at;
            }
            if let Some(markup) = markup_end(b, lt, false) {
                k = markup.end;
                continue;
            }
            let Some(tag) = parse_tag(b, lt) else {
                k = lt + 1;
                continue;
            };
            let name = &b[tag.name.0..tag.name.1];
            k = tag.close;
            if !tag.end && is_one_of(name, RAW_TEXT) {
                k = find_end_tag(b, tag.close, name).map_or(b.len(), |e| tag_end(b, e));
            }
        }
        true
    }

    /// `prepare` with every end found by `find_matching_end` (the table never built).
    fn html_without_table(page: &str) -> String {
        let mut out = String::new();
        prepare_with(page, &mut out, false);
        out
    }

    #[test]
    fn thousands_of_unclosed_removed_elements_take_one_pass() {
        // Each unclosed `<template>` sent a search to the end of the page: 10,000 of
        // them took 11 s (release build) on a 320 KB page.
        let page = format!(
            "<html><body>{}<p>end</p></body></html>",
            "<template>x".repeat(20_000)
        );
        let started = std::time::Instant::now();
        let out = html(&page);
        assert!(out.contains("<p>end</p>"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_reused_buffer_gives_what_a_fresh_one_gives() {
        let long = format!(
            "<html><body><script type=\"application/ld+json\">{{\"articleBody\": \"B\"}}</script>\
             <p>{}</p><nav>n</nav></body></html>",
            "word ".repeat(200)
        );
        let short = "<html><body><p>Short</p></body></html>";
        let mut buffer = String::new();
        for page in [long.as_str(), short, long.as_str()] {
            let json_ld_body = prepare_into(page, &mut buffer);
            assert_eq!(
                Prepared {
                    html: buffer.clone(),
                    json_ld_body
                },
                prepare(page)
            );
        }
        assert_eq!(prepare(&long).json_ld_body.as_deref(), Some("B"));
    }

    #[test]
    fn removes_scripts_styles_and_boilerplate_elements() {
        let page = "<html><head><title>T <b></title><style>p{}</style>\
            <script>if (a<b) document.write('</nav>')</script></head>\
            <body><nav><ul><li><nav>inner</nav></li></ul></nav><p>Text</p>\
            <!-- a comment <p>no</p> --><aside>side</aside><footer>foot</footer></body></html>";
        assert_eq!(
            html(page),
            "<html><head><title>T <b></title></head><body><p>Text</p></body></html>"
        );
    }

    #[test]
    fn removes_images_and_unread_links_keeps_the_links_read() {
        let page = "<head><link rel=\"stylesheet\" href=\"s.css\"><link rel=\"icon\" href=\"i.png\">\
            <LINK REL=\"Canonical\" href=\"https://example.org/a\"><link rel=\"next\" href=\"/2\"></head>\
            <body><p>A <img src=\"a.jpg\" srcset=\"a-2x.jpg 2x\" alt=\"x\"/>picture\
            <picture><source srcset=\"b.webp\"><img src=\"b.jpg\"></picture></p>\
            <form><input name=\"q\"><p>Form text</p></form><map><area href=\"/\"></map></body>";
        assert_eq!(
            html(page),
            "<head><LINK REL=\"Canonical\" href=\"https://example.org/a\"><link rel=\"next\" href=\"/2\"></head>\
             <body><p>A picture<picture></picture></p><form><p>Form text</p></form></body>"
        );
    }

    #[test]
    fn keeps_json_ld_without_its_body() {
        let page = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"H","articleBody":"Body text."}</script><p>x</p>"#;
        let prepared = prepare(page);
        assert_eq!(prepared.json_ld_body.as_deref(), Some("Body text."));
        assert_eq!(
            prepared.html,
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"H"}</script><p>x</p>"#
        );
        // Invalid JSON is left alone.
        let page = r#"<script type="application/ld+json">{"articleBody": "x",}</script>"#;
        assert_eq!(prepare(page).html, page);
        assert_eq!(prepare(page).json_ld_body, None);
    }

    #[test]
    fn unclosed_elements_are_kept() {
        let page = "<body><aside><p>Everything after an unclosed aside</p></body>";
        assert_eq!(html(page), page);
    }

    #[test]
    fn quoted_angle_brackets_and_odd_input() {
        assert_eq!(
            html("<p title=\"a > b\">x</p><button x='>'>go</button>y"),
            "<p title=\"a > b\">x</p>y"
        );
        for odd in [
            "<",
            "a < b",
            "<!DOCTYPE html>",
            "<p",
            "<script>",
            "<!--",
            "</",
            "é<é>",
        ] {
            let _ = prepare(odd);
        }
        assert_eq!(html("a < b <3 <!DOCTYPE html>"), "a < b <3 <!DOCTYPE html>");
        assert_eq!(html("<svg/><p>x"), "<svg/><p>x");
    }
}
