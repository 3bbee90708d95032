//! Main-text extraction: [`extract_page`] turns the bytes of one HTML page into a
//! [`Page`], its main text and metadata. This is the one place that knows which
//! extractor is used, so swapping it means changing this file only.
//!
//! # The extractor and how it is driven
//!
//! The extractor is `rs-trafilatura`, the best-scoring Rust crate on the Zyte/Scrapinghub
//! article-extraction benchmark. Around it:
//!
//! 1. **Refusals first**: binary payloads (NUL bytes, image or archive signatures) are
//!    [`WebError::NotHtml`], an empty or blank payload is [`WebError::NoBody`].
//! 2. **Decoding**: [`crate::charset`] picks the encoding (BOM, HTTP header, `<meta>`,
//!    then detection) and decodes to UTF-8, so the extractor never guesses.
//! 3. **Pre-pass**: [`crate::prepare`] cuts scripts, styles and navigation out of the
//!    HTML with a linear scan and sets aside JSON-LD `articleBody` fields.
//! 4. **Settings**, each chosen because reprint reads stories:
//!    - the page type is fixed (the extractor's "collection" profile: its article
//!      profile without the step that merges several top-scoring blocks, which on
//!      article pages pulls in "related stories" teasers), which also skips its page
//!      classifier, a third of its run time;
//!    - its fallback extractors (a baseline over the whole page) run only when the main
//!      pass found nothing: when they replace a real extraction they mostly add
//!      boilerplate;
//!    - the page's JSON-LD `articleBody` is used only when the page itself yields no
//!      text (sites that embed one often repeat sections in it);
//!    - no length cap on the text (inputs are already bounded in size).
//! 5. **Clean-up** of the text: soft hyphens and zero-width characters removed,
//!    whitespace collapsed, one paragraph per line.
//!
//! Metadata comes from the same pass: title, published date (`YYYY-MM-DD`), site name
//! (falling back to the URL's host) and language, each `None` when the page does not
//! say.

use rs_trafilatura::page_type::PageType;
use rs_trafilatura::Options;

use crate::charset;
use crate::error::WebError;
use crate::nesting::{self, Refusal, MAX_DEPTH};
use crate::prepare::prepare_into;

/// One extracted page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The URL given by the caller, or else the page's canonical URL.
    pub url: Option<String>,
    pub title: Option<String>,
    /// Published date, `YYYY-MM-DD`, from the page's metadata (JSON-LD, Open Graph,
    /// `<meta>`, `<time>`).
    pub date: Option<String>,
    /// Site name (`og:site_name` and the like), or else the URL's host.
    pub site: Option<String>,
    /// Language code from the page's markup (`<html lang>`, `og:locale`...).
    pub lang: Option<String>,
    /// The main text: one paragraph per line. Empty when the page has no main text
    /// (only navigation, a video, a form...).
    pub text: String,
}

/// Extracts the main text and metadata of one HTML page.
///
/// `url` is where the page came from, when known (it fills [`Page::url`] and helps
/// charset detection); `http_content_type` is the `Content-Type` header it was served
/// with, when known (its `charset` parameter is honoured).
///
/// An `Ok` page may have an empty text: the page was read fine but holds no main text.
pub fn extract_page(
    html: &[u8],
    url: Option<&str>,
    http_content_type: Option<&str>,
) -> Result<Page, WebError> {
    if let Some(what) = binary_signature(html) {
        return Err(WebError::NotHtml(what.to_owned()));
    }
    if html.iter().all(u8::is_ascii_whitespace) {
        return Err(WebError::NoBody("empty page".to_owned()));
    }
    let (decoded, _) = charset::decode_html(html, http_content_type, url);
    PREPARED.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        let json_ld_body = prepare_into(&decoded, &mut buffer);
        drop(decoded);
        let page = match nesting::refusal(&buffer) {
            Some(Refusal::TooDeep(_)) => Err(WebError::TooDeep { limit: MAX_DEPTH }),
            Some(refusal) => Err(WebError::TooComplex(refusal)),
            None => extract_prepared(&buffer, json_ld_body, url),
        };
        if buffer.capacity() > KEPT_PAGE_BUFFER_BYTES {
            *buffer = String::new();
        }
        page
    })
}

/// Largest per-thread page buffer kept for the next page; one grown past it by a large
/// page is freed after that page.
///
/// Page-sized buffers (the prepared HTML here, the file and inflated page in
/// `reprint-io`) are kept per thread and reused from page to page: pages are large
/// enough that the allocator maps fresh memory for each, which the kernel then zeroes.
pub const KEPT_PAGE_BUFFER_BYTES: usize = 8 << 20;

thread_local! {
    static PREPARED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// [`extract_page`] on the prepared HTML of a page.
fn extract_prepared(
    prepared_html: &str,
    json_ld_body: Option<String>,
    url: Option<&str>,
) -> Result<Page, WebError> {
    if !has_body(prepared_html) {
        return Err(WebError::NoBody(
            "no <body> and nothing after <head>".to_owned(),
        ));
    }

    let mut options = Options {
        page_type: Some(PageType::Category),
        use_fallback_extraction: false,
        max_extracted_len: usize::MAX,
        url: url.map(str::to_owned),
        // Author, categories, tags and licence are not part of a `Page`.
        dom_metadata_extras: false,
        ..Options::default()
    };
    let mut result = run(prepared_html, &options)?;
    if result.content_text.trim().is_empty() {
        options.use_fallback_extraction = true;
        result = run(prepared_html, &options)?;
    }
    let mut text = clean_text(&result.content_text);
    if let Some(html) = result.content_html.as_deref() {
        drop_trailing_links(&mut text, html);
    }
    if text.is_empty() {
        if let Some(body) = &json_ld_body {
            text = clean_text(body);
        }
    }

    let meta = result.metadata;
    if let Some(title) = meta.title.as_deref() {
        drop_leading_title(&mut text, title);
    }
    let page_url = url.map(str::to_owned).or(meta.url).and_then(non_empty);
    let site = meta
        .sitename
        .and_then(non_empty)
        .or_else(|| meta.hostname.and_then(non_empty))
        .or_else(|| page_url.as_deref().and_then(host).map(str::to_owned));
    Ok(Page {
        url: page_url,
        title: meta.title.and_then(non_empty),
        date: meta.date.map(|d| d.date_naive().to_string()),
        site,
        lang: meta.language.and_then(non_empty),
        text,
    })
}

/// One run of the extractor. "No content" is an empty result, not an error.
fn run(html: &str, options: &Options) -> Result<rs_trafilatura::ExtractResult, WebError> {
    match rs_trafilatura::extract_with_options(html, options) {
        Ok(result) => Ok(result),
        Err(rs_trafilatura::Error::NoContent) => Ok(rs_trafilatura::ExtractResult::default()),
        Err(e) => Err(WebError::Extract(e.to_string())),
    }
}

fn non_empty(s: String) -> Option<String> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == s.len() {
        Some(s)
    } else {
        Some(trimmed.to_owned())
    }
}

/// The host of an absolute URL.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Whether the (prepared) HTML has a body: a `<body` tag, or anything but tags and
/// whitespace after the head (a fragment like `<p>text</p>` has an implied body; a
/// document that is only `<html><head>...</head></html>` has none).
fn has_body(html: &str) -> bool {
    let b = html.as_bytes();
    if charset::find_ascii_ci(b, b"<body").is_some() {
        return true;
    }
    let rest = match charset::find_ascii_ci(b, b"</head") {
        Some(p) => &b[p..],
        None => match charset::find_ascii_ci(b, b"<head") {
            // A head that is never closed runs to the end: no body.
            Some(_) => return false,
            None => b,
        },
    };
    let mut in_tag = false;
    for &c in rest {
        match c {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            c if !in_tag && !c.is_ascii_whitespace() => return true,
            _ => {}
        }
    }
    false
}

/// The text as reprint stores it: soft hyphens and zero-width characters removed,
/// no-break spaces made spaces, runs of whitespace collapsed, one paragraph per line
/// with no blank lines. Repeated paragraphs are kept: recipes, schedules and lyrics
/// repeat lines on purpose.
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut line = String::new();
    for raw_line in raw.lines() {
        line.clear();
        for word in raw_line
            .split(|c: char| c.is_whitespace() || c == '\u{a0}')
            .filter(|w| !w.is_empty())
        {
            let word: String = word
                .chars()
                .filter(|c| !matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}'))
                .collect();
            if word.is_empty() {
                continue;
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// Removes the text's first line when it is the page's title: the title is metadata,
/// reported in [`Page::title`], not body text. "Is the title" allows for the site name
/// on either side: the line is a part of the title (three words or more), or the title
/// (three words or more) is a part of a heading-length line (25 words at most).
fn drop_leading_title(text: &mut String, title: &str) {
    let first = text.split('\n').next().unwrap_or_default();
    let line = words(first);
    let title = words(title);
    let (line_words, title_words) = (line.split(' ').count(), title.split(' ').count());
    let is_title = !line.is_empty()
        && (line == title
            || (line_words >= 3 && title.contains(&line))
            || (title_words >= 3 && line_words <= 25 && line.contains(&title)));
    if is_title {
        let cut = text.find('\n').map_or(text.len(), |p| p + 1);
        text.drain(..cut);
    }
}

/// Removes the run of paragraphs at the end of the text that are links and nothing else
/// (teasers of other stories, tag lists), with the short heading that introduces such a
/// run when it has two or more links. Which paragraphs are links is read from the
/// extractor's HTML of the main content.
fn drop_trailing_links(text: &mut String, content_html: &str) {
    let links = link_only_blocks(content_html);
    if links.is_empty() {
        return;
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut run = 0;
    while let Some(last) = lines.last() {
        if !links.contains(&words(last)) {
            break;
        }
        lines.pop();
        run += 1;
    }
    if run == 0 {
        return;
    }
    if run >= 2 && lines.last().is_some_and(|l| l.split(' ').count() <= 8) {
        lines.pop();
    }
    *text = lines.join("\n");
}

/// The blocks (paragraphs, list items, headings, cells) of an HTML fragment whose text
/// is all inside links, as [`words`].
fn link_only_blocks(html: &str) -> std::collections::HashSet<String> {
    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "td",
        "th",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "section",
        "article",
        "ul",
        "ol",
        "table",
        "tr",
        "br",
    ];
    let mut found = std::collections::HashSet::new();
    let (mut all, mut linked) = (String::new(), 0usize);
    let mut in_link = 0usize;
    let mut flush = |all: &mut String, linked: &mut usize| {
        // A block with no linked letters is never link-only: most blocks, skipped
        // before any decoding.
        if *linked > 0 {
            let decoded = decode_entities(all);
            let letters = letter_count(&decoded);
            if letters > 0 && *linked * 10 >= letters * 9 {
                found.insert(words(&decoded));
            }
        }
        all.clear();
        *linked = 0;
    };
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let end = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |p| i + p + 1);
            let tag = &html[i + 1..end.saturating_sub(1).max(i + 1)];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if name == "a" {
                in_link = if closing {
                    in_link.saturating_sub(1)
                } else {
                    in_link + 1
                };
            } else if BLOCKS.contains(&name.as_str()) {
                flush(&mut all, &mut linked);
            }
            i = end;
            continue;
        }
        let next = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |p| i + p);
        let chunk = &html[i..next];
        if in_link > 0 {
            linked += letter_count(&decode_entities(chunk));
        }
        all.push_str(chunk);
        all.push(' ');
        i = next;
    }
    flush(&mut all, &mut linked);
    found
}

/// The few entities that matter for comparing words.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.replace("&nbsp;", " ")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The characters of [`words`]`(s)` other than its spaces, counted without building it.
fn letter_count(s: &str) -> usize {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_lowercase().count())
        .sum()
}

/// Lowercased alphanumeric words joined by single spaces, for comparing lines.
fn words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What kind of binary data `bytes` starts with, if it is clearly not text: a known
/// file signature, or NUL bytes near the start (UTF-16 text with a BOM excepted).
pub fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
        (b"BZh", "bzip2 data"),
        (b"\xfd7zXZ\x00", "xz data"),
        (b"OggS", "Ogg media"),
        (b"ID3", "MP3 audio"),
        (b"fLaC", "FLAC audio"),
        (b"wOFF", "WOFF font"),
        (b"wOF2", "WOFF2 font"),
        (b"\x7fELF", "ELF executable"),
        (b"\x00\x00\x01\x00", "icon"),
    ];
    for (magic, what) in SIGNATURES {
        if bytes.starts_with(magic) {
            return Some(what);
        }
    }
    if bytes.starts_with(b"RIFF") && bytes.len() >= 12 {
        return Some("RIFF media (WebP, WAV, AVI)");
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4/HEIF media");
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None; // UTF-16 with a BOM: NULs are expected
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.contains(&0) {
        return Some("binary data (NUL bytes)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_count_is_the_length_of_words_without_spaces() {
        for s in [
            "",
            "Read more: the bridge (part 2)",
            "İSTANBUL & Ankara, ÉTÉ 2024 — ½ ﬁn",
            "a&amp;b &nbsp; c",
        ] {
            let decoded = decode_entities(s);
            assert_eq!(
                letter_count(&decoded),
                words(&decoded).chars().filter(|c| *c != ' ').count(),
                "{s}"
            );
        }
        assert_eq!(decode_entities("a&amp;b"), "a&b");
    }

    #[test]
    fn trailing_link_only_paragraphs_and_their_heading_are_dropped() {
        let html = "<div><p>The council voted to close the bridge for repairs.</p>\
                    <h3>Read also</h3><p><a href=\"/a\">Mayor re-elected</a></p>\
                    <p><a href=\"/b\">Schools &amp; budgets</a></p></div>";
        let mut text = "The council voted to close the bridge for repairs.\nRead also\nMayor re-elected\nSchools & budgets".to_owned();
        drop_trailing_links(&mut text, html);
        assert_eq!(text, "The council voted to close the bridge for repairs.");
        // A paragraph with a link inside its own text stays.
        let html = "<p>The council <a href=\"/c\">voted</a> to close the bridge.</p>";
        let mut text = "The council voted to close the bridge.".to_owned();
        drop_trailing_links(&mut text, html);
        assert_eq!(text, "The council voted to close the bridge.");
    }

    #[test]
    fn clean_text_normalises_whitespace() {
        let raw = "  First\u{a0}para\u{ad}graph   here.\n\n\n\
                   Second one\t\there\u{200b}\n\
                   Second one here\n";
        assert_eq!(
            clean_text(raw),
            "First paragraph here.\nSecond one here\nSecond one here"
        );
    }

    #[test]
    fn binary_payloads_are_recognised() {
        assert_eq!(
            binary_signature(b"\x89PNG\r\n\x1a\n...."),
            Some("PNG image")
        );
        assert!(binary_signature(b"<html>\x00</html>").is_some());
        assert_eq!(binary_signature(b"<html><body>ok</body></html>"), None);
        assert_eq!(binary_signature(b"\xff\xfe<\x00h\x00"), None);
    }

    #[test]
    fn leading_title_is_dropped() {
        let mut text = "Big News: Today\nBody text here.".to_owned();
        drop_leading_title(&mut text, "Big news - today | Site");
        assert_eq!(text, "Body text here.");
        let mut text = "News\nBody.".to_owned();
        drop_leading_title(&mut text, "News of the day");
        assert_eq!(text, "News\nBody.");
        let mut text = "Flood: dozens of houses under water\nBody.".to_owned();
        drop_leading_title(&mut text, "dozens of houses under water");
        assert_eq!(text, "Body.");
    }

    #[test]
    fn bodies() {
        assert!(has_body("<html><body></body></html>"));
        assert!(has_body("<p>fragment</p>"));
        assert!(has_body(
            "<html><head><title>t</title></head><div>x</div></html>"
        ));
        assert!(!has_body("<html><head><title>t</title></head></html>"));
        assert!(!has_body("<html><head><title>t</title>"));
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.example.com:8080/a?b"),
            Some("www.example.com")
        );
        assert_eq!(host("example.com/a"), None);
    }
}
