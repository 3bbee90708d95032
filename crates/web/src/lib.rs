//! `reprint-web`: reading the web as documents.
//!
//! People who trace stories work from saved pages, crawls and web archives. This crate
//! turns those into what reprint compares: the main text of each page (no menus, ads,
//! "related stories" or comments) with its metadata. It does no file handling beyond
//! byte streams; `reprint-io` finds the files and feeds them in.
//!
//! # Parts
//!
//! - [`extract_page`] ([`extract`]): one HTML page's bytes in, a [`Page`] out (URL,
//!   title, published date, site, language, main text). The only function that knows
//!   which extractor is used (`rs-trafilatura`), so it can be swapped in one place.
//! - [`nesting`]: a linear estimate of how deep the page's elements nest, so that a
//!   page too deep to parse safely (stack overflow, quadratic time) is refused first.
//! - [`charset`]: which encoding a page is in (BOM, HTTP header, `<meta>`, then
//!   `chardetng`) and decoding to UTF-8, so a windows-1251 or Shift_JIS page comes out
//!   right.
//! - [`prepare`]: a linear pre-pass that cuts scripts, styles and navigation out of the
//!   HTML before the extractor builds its DOM (it halves extraction time).
//! - [`warc`]: a streaming WARC/WET reader, plain or gzip-per-record, that reports damage
//!   (truncated members, lying lengths) by offset and record id and carries on.
//! - [`http`]: the HTTP responses inside WARC records: headers stripped, chunked and
//!   gzip/deflate/brotli bodies decoded, with a bound on the decoded size.
//! - [`archive`]: which records are pages (HTML `response`/`resource` records with a 2xx
//!   status), which are text (WET `conversion` records) and which are skipped, under
//!   which key.
//!
//! # Design
//!
//! - **Two phases.** Reading (parsing an archive, decoding HTTP) is sequential and cheap;
//!   extraction is expensive and independent per page. The reader produces payloads
//!   ([`archive::HtmlPayload`]) and the caller runs [`extract_page`] on them in
//!   parallel, in whatever batches suit it.
//! - **Errors are values.** Every refusal is a [`WebError`] or a [`warc::WarcError`]
//!   with a stable `reason()` key, so callers can count them, and an archive's damage
//!   never hides the records after it.
//! - **Bounded.** Pages, HTTP bodies and decompressed data are capped by a limit the
//!   caller gives; larger ones are refused without being held whole.

pub mod archive;
pub mod charset;
mod error;
pub mod extract;
pub mod http;
pub mod nesting;
pub mod prepare;
pub mod warc;

pub use error::WebError;
pub use extract::{extract_page, Page, KEPT_PAGE_BUFFER_BYTES};
pub use warc::{WarcError, WarcErrorKind, WarcReader, WarcRecord};
