//! Character encoding of HTML pages: which encoding a page is in, and decoding it to
//! UTF-8.
//!
//! The order follows what browsers do (the WHATWG encoding sniffing algorithm), because
//! pages are written for browsers:
//!
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything;
//! 2. then the `charset` parameter of the HTTP `Content-Type` header, when there is one;
//! 3. then a `<meta charset>` or `<meta http-equiv="Content-Type" content="...;
//!    charset=...">` in the first bytes of the document (a declared UTF-16 means UTF-8
//!    here, as in browsers: a page that really were UTF-16 would have had a BOM);
//! 4. then, with no declaration at all: UTF-8 if the bytes are valid UTF-8, otherwise a
//!    guess by `chardetng` (Firefox's detector), helped by the top-level domain of the
//!    page's URL when known.
//!
//! Decoding never fails: malformed sequences become U+FFFD, as in a browser.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How many leading bytes are searched for a `<meta>` charset declaration. The standard
/// says 1024; real pages put long scripts and styles first, so a little more is looked
/// at (the cost is a scan of a few kilobytes).
const META_PRESCAN_BYTES: usize = 8192;

/// The page's text, decoded to UTF-8, and the encoding that was used.
pub fn decode_html<'a>(
    bytes: &'a [u8],
    http_content_type: Option<&str>,
    url: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding) {
    let encoding = detect(bytes, http_content_type, url);
    // BOM handling: `decode` strips a BOM of the detected encoding (and switches to the
    // BOM's encoding if it disagrees, which `detect` already made impossible). Valid
    // UTF-8 comes back borrowed, not copied.
    let (text, _, _) = encoding.decode(bytes);
    (text, encoding)
}

/// The encoding of an HTML page; see the [module docs](self) for the order of evidence.
pub fn detect(
    bytes: &[u8],
    http_content_type: Option<&str>,
    url: Option<&str>,
) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if let Some(encoding) = http_content_type.and_then(charset_param) {
        return html_override(encoding);
    }
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    if let Some(encoding) = meta_charset(head) {
        return html_override(encoding);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let tld = url.and_then(top_level_domain);
    detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    )
}

/// A declared UTF-16 in an HTML page means UTF-8 (WHATWG "get an encoding" for meta
/// and, in practice, for mislabelled HTTP headers too): real UTF-16 has a BOM.
fn html_override(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    }
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, when it is a
/// label the Encoding Standard knows.
pub fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// The charset declared by the first `<meta>` tag that declares one, in `head`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while let Some(found) = find_ascii_ci(&head[pos..], b"<meta") {
        let start = pos + found + b"<meta".len();
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |p| start + p);
        let tag = &head[start..end];
        if let Some(encoding) = meta_tag_charset(tag) {
            return Some(encoding);
        }
        pos = end;
    }
    None
}

/// The charset of one `<meta ...>` tag's attributes: `charset=X`, or
/// `http-equiv=content-type` with `content="...; charset=X"`.
fn meta_tag_charset(attrs: &[u8]) -> Option<&'static Encoding> {
    let attrs = String::from_utf8_lossy(attrs).to_ascii_lowercase();
    if let Some(value) = attribute(&attrs, "charset") {
        return Encoding::for_label(value.trim().as_bytes());
    }
    let equiv = attribute(&attrs, "http-equiv")?;
    if equiv.trim() != "content-type" {
        return None;
    }
    let content = attribute(&attrs, "content")?;
    let at = content.find("charset")?;
    let rest = content[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, ';' | '"' | '\'' | ' ' | '\t'))
        .collect();
    Encoding::for_label(value.as_bytes())
}

/// The value of attribute `name` in a lowercased attribute string, quoted or not.
/// Attributes are tokenised in order, so a name inside another attribute's quoted value
/// is not mistaken for an attribute.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'=' | b'/' | b'>')) {
            i += 1;
        }
        let attr_name = &attrs[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let from = i + 1;
                    let to = attrs[from..]
                        .find(q as char)
                        .map_or(attrs.len(), |p| from + p);
                    value = &attrs[from..to];
                    i = to + 1;
                }
                _ => {
                    let from = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = &attrs[from..i];
                }
            }
        } else if start == i {
            i += 1; // a stray character: move on
        }
        if attr_name == name {
            return Some(value);
        }
    }
    None
}

/// Position of `needle` (ASCII, lowercase) in `haystack`, ignoring ASCII case.
pub(crate) fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let upper = first.to_ascii_uppercase();
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        let skip = haystack[i..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first || b == upper)?;
        i += skip;
        if haystack[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The top-level domain of a URL's host (`ru` for `https://news.example.ru/a`), which
/// helps `chardetng` choose between legacy encodings.
fn top_level_domain(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_2, SHIFT_JIS, WINDOWS_1251, WINDOWS_1252};

    #[test]
    fn bom_wins() {
        let mut page = vec![0xef, 0xbb, 0xbf];
        page.extend_from_slice(b"<meta charset=windows-1251><p>x");
        assert_eq!(
            detect(&page, Some("text/html; charset=latin1"), None),
            UTF_8
        );
        let (text, _) = decode_html(&page, None, None);
        assert!(text.starts_with("<meta"));
    }

    #[test]
    fn http_header_then_meta() {
        let page = b"<html><head><meta charset=\"windows-1251\"></head>";
        assert_eq!(
            detect(page, Some("text/html; charset=ISO-8859-2"), None),
            ISO_8859_2
        );
        assert_eq!(detect(page, Some("text/html"), None), WINDOWS_1251);
        assert_eq!(detect(page, None, None), WINDOWS_1251);
    }

    #[test]
    fn meta_http_equiv() {
        let page = b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">";
        assert_eq!(detect(page, None, None), SHIFT_JIS);
        let page = b"<meta content='text/html;charset=cp1251' http-equiv='content-type'/>";
        assert_eq!(detect(page, None, None), WINDOWS_1251);
        // `name=charset` is not a declaration.
        let page = b"<meta name=\"x-charset\" content=\"koi8-r\"><p>caf\xc3\xa9";
        assert_eq!(detect(page, None, None), UTF_8);
    }

    #[test]
    fn declared_utf16_means_utf8() {
        assert_eq!(detect(b"<meta charset=utf-16>", None, None), UTF_8);
    }

    #[test]
    fn undeclared_pages_are_guessed() {
        assert_eq!(detect("<p>café</p>".as_bytes(), None, None), UTF_8);
        let (bytes, _, _) = WINDOWS_1251.encode(
            "<p>Это простой текст на русском языке, в кодировке windows-1251, без объявления.</p>",
        );
        assert_eq!(
            detect(&bytes, None, Some("http://example.ru/")),
            WINDOWS_1251
        );
        assert_eq!(detect(&bytes, None, None), WINDOWS_1251);
        let (bytes, _, _) = WINDOWS_1252.encode("<p>Voilà un café très agréable à côté.</p>");
        assert_eq!(
            detect(&bytes, None, Some("https://example.fr/x")),
            WINDOWS_1252
        );
    }

    #[test]
    fn tld() {
        assert_eq!(
            top_level_domain("https://a.b.ru/x?y").as_deref(),
            Some("ru")
        );
        assert_eq!(
            top_level_domain("http://u:p@h.de:80/").as_deref(),
            Some("de")
        );
        assert_eq!(top_level_domain("http://127.0.0.1/"), None);
    }

    #[test]
    fn find_ci() {
        assert_eq!(find_ascii_ci(b"xx<META", b"<meta"), Some(2));
        assert_eq!(find_ascii_ci(b"<met", b"<meta"), None);
        assert_eq!(find_ascii_ci(b"", b"<meta"), None);
    }
}
