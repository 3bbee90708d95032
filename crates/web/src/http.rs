//! HTTP responses as stored in WARC `response` records: the status line and headers are
//! parsed and stripped, and the body is decoded the way a browser would
//! (`Transfer-Encoding: chunked`, then `Content-Encoding: gzip | deflate | br`).
//!
//! Archives differ in what they store. Some tools write the bytes exactly as they came
//! off the wire (chunked and compressed); others (Common Crawl among them) store the
//! decoded body but keep, or rename, the original headers. So decoding is lenient where
//! that is safe: a body labelled chunked that does not start with a chunk size, or
//! labelled compressed that does not start with the format's signature, is taken as
//! already decoded. A body that starts like its declared encoding but fails to decode is
//! an error ([`WebError::BadHttp`]).
//!
//! Decoded bodies are bounded: past `limit` bytes decoding stops and the page is
//! [`WebError::PageTooLarge`], so a compressed bomb cannot exhaust memory.

use std::io::{self, Read};

use crate::error::WebError;

/// Largest header block accepted before the body.
const MAX_HEADER_BYTES: usize = 256 << 10;

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names as sent, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked and decompressed.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The status line and headers of an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Where the body starts in the message.
    pub body_start: usize,
}

/// Status and headers of an HTTP response, and where its body starts in `message`.
pub fn parse_head(message: &[u8]) -> Result<HttpHead, WebError> {
    let bad = |what: &str| WebError::BadHttp(what.to_owned());
    if !message.starts_with(b"HTTP/") {
        return Err(bad("no HTTP status line"));
    }
    let window = &message[..message.len().min(MAX_HEADER_BYTES)];
    let (head_end, body_start) = match memchr::memmem::find(window, b"\r\n\r\n") {
        Some(p) => (p, p + 4),
        None => match memchr::memmem::find(window, b"\n\n") {
            Some(p) => (p, p + 2),
            // A response that is headers only, with no blank line at all.
            None if message.len() < MAX_HEADER_BYTES => (message.len(), message.len()),
            None => return Err(bad("header block never ends")),
        },
    };
    let head = String::from_utf8_lossy(&message[..head_end]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=999).contains(s))
        .ok_or_else(|| bad("malformed status line"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // Obsolete line folding: continues the previous header's value.
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    Ok(HttpHead {
        status,
        headers,
        body_start,
    })
}

/// Parses a whole HTTP response message and decodes its body, refusing bodies that
/// decode to more than `limit` bytes.
pub fn parse_response(message: &[u8], limit: usize) -> Result<HttpResponse, WebError> {
    let HttpHead {
        status,
        headers,
        body_start,
    } = parse_head(message)?;
    let mut body = message[body_start..].to_vec();
    if header(&headers, "transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
        && looks_chunked(&body)
    {
        body = dechunk(&body)?;
    }
    if let Some(encoding) = header(&headers, "content-encoding") {
        body = decode_content(body, encoding, limit)?;
    }
    if body.len() > limit {
        return Err(WebError::PageTooLarge {
            limit,
            seen: body.len() as u64,
        });
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Whether a body starts with a chunk-size line (hex digits, optional extensions, CRLF).
fn looks_chunked(body: &[u8]) -> bool {
    let line_end = memchr::memchr(b'\n', &body[..body.len().min(256)]);
    let Some(end) = line_end else {
        return false;
    };
    let line = body[..end].strip_suffix(b"\r").unwrap_or(&body[..end]);
    let size = line.split(|&b| b == b';').next().unwrap_or_default();
    let size = size.trim_ascii();
    // Any run of hex digits counts, even one too long for a size: that is a damaged
    // chunked body (an overflowing size), reported by `dechunk`, not text to extract.
    !size.is_empty() && size.len() <= 64 && size.iter().all(u8::is_ascii_hexdigit)
}

/// Removes chunked transfer coding. A missing final zero-size chunk (a capture cut
/// short) is accepted; a chunk size that is not hex, or a chunk longer than the data,
/// is an error.
pub fn dechunk(body: &[u8]) -> Result<Vec<u8>, WebError> {
    let bad = |what: String| WebError::BadHttp(format!("chunked encoding: {what}"));
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    while pos < body.len() {
        let Some(nl) = memchr::memchr(b'\n', &body[pos..]) else {
            return Err(bad(format!("chunk size line at byte {pos} never ends")));
        };
        let line = &body[pos..pos + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let size = line
            .split(|&b| b == b';')
            .next()
            .unwrap_or_default()
            .trim_ascii();
        let digits = std::str::from_utf8(size).unwrap_or_default();
        let size = match usize::from_str_radix(digits, 16) {
            Ok(size) => size,
            Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
                return Err(bad(format!(
                    "chunk size {digits} at byte {pos} overflows (more than {} bytes)",
                    usize::MAX
                )))
            }
            Err(_) => return Err(bad(format!("bad chunk size at byte {pos}"))),
        };
        pos += nl + 1;
        if size == 0 {
            break; // trailers, if any, are ignored
        }
        let end = pos
            .checked_add(size)
            .filter(|&e| e <= body.len())
            .ok_or_else(|| {
                bad(format!(
                    "chunk of {size} bytes at byte {pos} runs past the end"
                ))
            })?;
        out.extend_from_slice(&body[pos..end]);
        pos = end;
        // The CRLF after the chunk data.
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
    }
    Ok(out)
}

/// Undoes a `Content-Encoding` (a list, applied in order, so undone in reverse). A body
/// that does not decode but reads as text was already decoded by the archiver.
fn decode_content(mut body: Vec<u8>, encodings: &str, limit: usize) -> Result<Vec<u8>, WebError> {
    let list: Vec<String> = encodings
        .split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    for encoding in list.iter().rev() {
        let decoded = match encoding.as_str() {
            "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
                decode_bounded(flate2::read::MultiGzDecoder::new(&body[..]), limit, "gzip")
            }
            "gzip" | "x-gzip" => continue, // no gzip signature: already decoded
            "deflate" if looks_zlib(&body) => {
                decode_bounded(flate2::read::ZlibDecoder::new(&body[..]), limit, "deflate")
            }
            // Some servers send raw deflate without the zlib wrapper.
            "deflate" => decode_bounded(
                flate2::read::DeflateDecoder::new(&body[..]),
                limit,
                "deflate",
            ),
            "br" => decode_bounded(
                brotli_decompressor::Decompressor::new(&body[..], 64 << 10),
                limit,
                "brotli",
            ),
            // identity, or an encoding we do not know: kept as it is (binary data is
            // refused later).
            _ => continue,
        };
        body = match decoded {
            Ok(decoded) => decoded,
            Err(WebError::BadHttp(_)) if looks_like_text(&body) => body,
            Err(e) => return Err(e),
        };
    }
    Ok(body)
}

/// Reads a decoder to the end, failing past `limit` decoded bytes.
fn decode_bounded(decoder: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, WebError> {
    let mut out = Vec::new();
    let mut limited = decoder.take(limit as u64 + 1);
    match limited.read_to_end(&mut out) {
        Ok(_) if out.len() > limit => {
            // Count the rest without keeping it, up to a sane bound on the work.
            let mut decoder = limited.into_inner();
            let rest = io::copy(&mut (&mut decoder).take(1 << 32), &mut io::sink()).unwrap_or(0);
            Err(WebError::PageTooLarge {
                limit,
                seen: out.len() as u64 + rest,
            })
        }
        Ok(_) => Ok(out),
        Err(e) => Err(WebError::BadHttp(format!("corrupt {what} body: {e}"))),
    }
}

/// A zlib header: CMF says deflate with a window of at most 32K, and the check bits add
/// up.
fn looks_zlib(body: &[u8]) -> bool {
    body.len() >= 2
        && body[0] & 0x0f == 8
        && body[0] >> 4 <= 7
        && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0
}

/// Whether the body starts like markup or text (an encoding label the archiver already
/// undid).
fn looks_like_text(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head.trim_ascii_start();
    start.starts_with(b"<")
        || (!head.is_empty()
            && head
                .iter()
                .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn strips_headers() {
        let msg = b"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8\r\nX: y\r\n\r\n<p>hi</p>";
        let r = parse_response(msg, 1 << 20).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type(), Some("text/html; charset=utf-8"));
        assert_eq!(r.body, b"<p>hi</p>");
        let r = parse_response(b"HTTP/1.0 404 Not Found\n\nnope", 100).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (404, &b"nope"[..]));
        assert!(parse_response(b"<html>", 100).is_err());
        assert!(parse_response(b"HTTP/1.1 OK\r\n\r\n", 100).is_err());
    }

    #[test]
    fn an_overflowing_chunk_size_is_an_error_not_text() {
        let msg = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n<html><body><p>x</p></body></html>\r\n0\r\n\r\n";
        let err = parse_response(msg, 1 << 20).unwrap_err();
        assert!(
            matches!(&err, WebError::BadHttp(m) if m.contains("chunk size ffffffffffffffffffff at byte 0 overflows")),
            "{err}"
        );
    }

    #[test]
    fn chunked_and_gzip() {
        let page = b"<html><body><p>Hello, chunked world</p></body></html>";
        let gz = gzip(page);
        let mut msg =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        let (a, b) = gz.split_at(10);
        for chunk in [a, b] {
            msg.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
            msg.extend_from_slice(chunk);
            msg.extend_from_slice(b"\r\n");
        }
        msg.extend_from_slice(b"0\r\n\r\n");
        assert_eq!(parse_response(&msg, 1 << 20).unwrap().body, page);
    }

    #[test]
    fn already_decoded_bodies_are_kept() {
        let msg = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n<html>ok</html>";
        assert_eq!(
            parse_response(msg, 1 << 20).unwrap().body,
            b"<html>ok</html>"
        );
    }

    #[test]
    fn deflate_and_brotli() {
        let page = b"<p>deflated</p>";
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(page).unwrap();
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        msg.extend(z.finish().unwrap());
        assert_eq!(parse_response(&msg, 100).unwrap().body, page);
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        raw.write_all(page).unwrap();
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        msg.extend(raw.finish().unwrap());
        assert_eq!(parse_response(&msg, 100).unwrap().body, page);
        // "<p>br</p>" compressed with brotli (quality 11).
        let br: &[u8] = &[
            0x0b, 0x04, 0x80, 0x3c, 0x70, 0x3e, 0x62, 0x72, 0x3c, 0x2f, 0x70, 0x3e, 0x03,
        ];
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".to_vec();
        msg.extend_from_slice(br);
        assert_eq!(parse_response(&msg, 100).unwrap().body, b"<p>br</p>");
    }

    #[test]
    fn broken_bodies_are_errors() {
        let msg = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort";
        assert_eq!(parse_response(msg, 100).unwrap_err().reason(), "bad_http");
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        let gz = gzip(b"<html>cut short</html>");
        msg.extend_from_slice(&gz[..gz.len() - 6]);
        assert_eq!(parse_response(&msg, 100).unwrap_err().reason(), "bad_http");
    }

    #[test]
    fn decompression_is_bounded() {
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        msg.extend(gzip(&vec![b'a'; 1 << 20]));
        let err = parse_response(&msg, 1000).unwrap_err();
        assert_eq!(
            err,
            WebError::PageTooLarge {
                limit: 1000,
                seen: 1 << 20
            }
        );
    }
}
