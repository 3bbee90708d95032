//! What a WARC record is to reprint: an HTML page to extract, a text document (a WET
//! `conversion` record), or something to skip and count.
//!
//! The rules a crawl engineer expects:
//!
//! - only `response` and `resource` records can be pages, and only when their payload
//!   is HTML: the HTTP `Content-Type` (of the archived response; for a `resource`, the
//!   record's own `Content-Type`) says `text/html` or `application/xhtml+xml`, or says
//!   nothing useful and the payload starts like HTML;
//! - an HTTP response must be a success (2xx): redirects and error pages are skipped;
//! - `conversion` records with `text/plain` content (WET files) are documents as they
//!   are, with no extraction;
//! - everything else (`warcinfo`, `request`, `metadata`, `revisit`, images, scripts,
//!   PDFs...) is skipped, counted under a key: the WARC type, or `type:mime` for
//!   responses and resources (`response:image/jpeg`), or `response:status-3xx`.
//!
//! Deciding needs only the HTTP head, so skipped responses are never decoded.

use crate::error::WebError;
use crate::http;
use crate::warc::WarcRecord;

/// An HTML payload ready for [`crate::extract_page`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlPayload {
    pub record_id: Option<String>,
    pub offset: u64,
    pub url: Option<String>,
    /// The HTTP (or resource) `Content-Type`, for its charset.
    pub content_type: Option<String>,
    /// The decoded body.
    pub body: Vec<u8>,
}

/// A text document from a WET `conversion` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDocument {
    pub record_id: Option<String>,
    pub offset: u64,
    pub url: Option<String>,
    /// First code of `WARC-Identified-Content-Language`, as written (ISO 639-3 in
    /// Common Crawl files).
    pub lang: Option<String>,
    pub text: String,
}

/// What a record is; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Html(HtmlPayload),
    Text(TextDocument),
    /// Not a document: skipped and counted under this key.
    Skip(String),
    /// A page that cannot be used.
    Bad {
        record_id: Option<String>,
        offset: u64,
        error: WebError,
    },
}

/// Sorts one record; pages whose decoded payload exceeds `max_page` bytes are
/// [`WebError::PageTooLarge`].
pub fn classify(record: WarcRecord, max_page: usize) -> Entry {
    let kind = record.warc_type();
    let record_id = record.record_id().map(str::to_owned);
    let offset = record.offset;
    let bad = |error: WebError| Entry::Bad {
        record_id: record_id.clone(),
        offset,
        error,
    };
    match kind.as_str() {
        "response" | "resource" => {}
        "conversion" => {
            let mime = mime(record.header("content-type"));
            if !(mime.is_empty() || mime == "text/plain") {
                return Entry::Skip(format!("conversion:{mime}"));
            }
            if record.oversized {
                return bad(WebError::PageTooLarge {
                    limit: max_page,
                    seen: record.declared_length,
                });
            }
            let lang = record
                .header("warc-identified-content-language")
                .and_then(|l| l.split(',').next())
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty());
            return Entry::Text(TextDocument {
                record_id,
                offset,
                url: record.target_uri().map(str::to_owned),
                lang,
                text: String::from_utf8_lossy(&record.block).into_owned(),
            });
        }
        _ => return Entry::Skip(kind),
    }

    let url = record.target_uri().map(str::to_owned);
    let is_http = record.block.starts_with(b"HTTP/");
    let (status, content_type, body_start) = if is_http {
        match http::parse_head(&record.block) {
            Ok(head) => (
                Some(head.status),
                http::header(&head.headers, "content-type").map(str::to_owned),
                head.body_start,
            ),
            Err(e) => return bad(e),
        }
    } else {
        (None, record.header("content-type").map(str::to_owned), 0)
    };
    if let Some(status) = status {
        if !(200..300).contains(&status) {
            return Entry::Skip(format!("{kind}:status-{}xx", status / 100));
        }
    }
    let body_head = &record.block[body_start.min(record.block.len())..];
    if !is_html(content_type.as_deref(), body_head) {
        let mime = mime(content_type.as_deref());
        let mime = if mime.is_empty() { "unknown" } else { &mime };
        return Entry::Skip(format!("{kind}:{mime}"));
    }
    if record.oversized {
        return bad(WebError::PageTooLarge {
            limit: max_page,
            seen: record.declared_length,
        });
    }
    let body = if is_http {
        match http::parse_response(&record.block, max_page) {
            Ok(response) => response.body,
            Err(e) => return bad(e),
        }
    } else {
        record.block
    };
    Entry::Html(HtmlPayload {
        record_id,
        offset,
        url,
        content_type,
        body,
    })
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
fn mime(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a payload is HTML: by its declared type, or, when the type says nothing
/// useful, by how it starts.
pub fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match mime(content_type).as_str() {
        "text/html" | "application/xhtml+xml" | "text/xhtml" => true,
        "" | "application/octet-stream" | "unknown/unknown" | "application/unknown" => {
            sniff_html(body)
        }
        _ => false,
    }
}

/// Whether `body` starts like an HTML document (after whitespace and a UTF-8 BOM).
pub fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let head = head.trim_ascii_start();
    let lower: Vec<u8> = head.iter().take(512).map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<head")
        || lower.starts_with(b"<body")
        || (lower.starts_with(b"<") && memchr::memmem::find(&lower, b"<html").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, content_type: &str, block: &[u8]) -> WarcRecord {
        WarcRecord {
            offset: 7,
            headers: vec![
                ("WARC-Type".into(), kind.into()),
                ("WARC-Record-ID".into(), "<urn:uuid:1>".into()),
                ("WARC-Target-URI".into(), "http://example.com/".into()),
                ("Content-Type".into(), content_type.into()),
            ],
            block: block.to_vec(),
            declared_length: block.len() as u64,
            oversized: false,
        }
    }

    #[test]
    fn html_responses_are_pages() {
        let r = record(
            "response",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>x</html>",
        );
        let Entry::Html(page) = classify(r, 1 << 20) else {
            panic!("not a page");
        };
        assert_eq!(page.record_id.as_deref(), Some("urn:uuid:1"));
        assert_eq!(page.url.as_deref(), Some("http://example.com/"));
        assert_eq!(
            page.content_type.as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(page.body, b"<html>x</html>");
    }

    #[test]
    fn others_are_skipped_by_type() {
        let http = |head: &str| format!("HTTP/1.1 {head}\r\n\r\nbody").into_bytes();
        let cases = [
            (
                record("request", "application/http", b"GET / HTTP/1.1\r\n\r\n"),
                "request",
            ),
            (
                record("warcinfo", "application/warc-fields", b"x: y"),
                "warcinfo",
            ),
            (
                record(
                    "response",
                    "application/http",
                    &http("200 OK\r\nContent-Type: image/png"),
                ),
                "response:image/png",
            ),
            (
                record(
                    "response",
                    "application/http",
                    &http("301 Moved\r\nContent-Type: text/html"),
                ),
                "response:status-3xx",
            ),
            (record("resource", "text/css", b"p{}"), "resource:text/css"),
            (
                record("response", "application/http", &http("200 OK")),
                "response:unknown",
            ),
        ];
        for (r, key) in cases {
            assert_eq!(classify(r, 1 << 20), Entry::Skip(key.to_owned()));
        }
    }

    #[test]
    fn untyped_payloads_are_sniffed() {
        let r = record("resource", "", b"  <!DOCTYPE html><p>x");
        assert!(matches!(classify(r, 100), Entry::Html(_)));
    }

    #[test]
    fn conversions_are_text() {
        let mut r = record("conversion", "text/plain", b"Plain text.");
        r.headers
            .push(("WARC-Identified-Content-Language".into(), "rus,eng".into()));
        let Entry::Text(doc) = classify(r, 100) else {
            panic!("not text");
        };
        assert_eq!(
            (doc.text.as_str(), doc.lang.as_deref()),
            ("Plain text.", Some("rus"))
        );
    }

    #[test]
    fn oversized_pages_are_errors_and_oversized_media_skipped() {
        let mut r = record(
            "response",
            "application/http",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>",
        );
        r.oversized = true;
        r.declared_length = 100 << 20;
        let Entry::Bad { error, .. } = classify(r.clone(), 1000) else {
            panic!("not refused");
        };
        assert_eq!(error.reason(), "page_too_large");
        r.block = b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n....".to_vec();
        assert_eq!(classify(r, 1000), Entry::Skip("response:video/mp4".into()));
    }
}
