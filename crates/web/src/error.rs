//! Errors of the web layer. Every kind has a stable [`reason`](WebError::reason) key, the
//! one the readers and the CLI count skipped pages under.

/// Why a page (an HTML file, or the payload of a WARC record) could not be turned into
/// a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    /// The payload is not HTML: binary data (NUL bytes, an image or archive signature)
    /// even though it is labelled or named as HTML.
    #[error("not HTML: {0}")]
    NotHtml(String),
    /// The page is larger than the limit; it was skipped without being held whole.
    #[error("page of {seen} bytes exceeds the limit of {limit} bytes")]
    PageTooLarge { limit: usize, seen: u64 },
    /// There is nothing to extract from: an empty payload, or an HTML document with no
    /// body and no text.
    #[error("no body: {0}")]
    NoBody(String),
    /// The HTTP response wrapping the page cannot be decoded: a malformed status line or
    /// header block, broken chunked encoding, or a corrupt compressed body.
    #[error("bad HTTP response: {0}")]
    BadHttp(String),
    /// The page's elements nest deeper than the limit (see [`crate::nesting`]): parsing
    /// it would take time growing with the square of the depth and could overflow the
    /// stack.
    #[error("elements nested more than {limit} deep")]
    TooDeep { limit: usize },
    /// The page is past another of the limits of [`crate::nesting`]: nesting summed over
    /// its elements, or attributes on one tag; parsing it would take minutes.
    #[error("{}", describe(.0))]
    TooComplex(crate::nesting::Refusal),
    /// The extractor itself failed on the page.
    #[error("extraction failed: {0}")]
    Extract(String),
}

impl WebError {
    /// Stable snake_case key of the kind, for counting. Never rename one.
    pub fn reason(&self) -> &'static str {
        match self {
            WebError::NotHtml(_) => "not_html",
            WebError::PageTooLarge { .. } => "page_too_large",
            WebError::NoBody(_) => "no_body",
            WebError::BadHttp(_) => "bad_http",
            WebError::TooDeep { .. } => "too_deep",
            WebError::TooComplex(_) => "too_complex",
            WebError::Extract(_) => "extract_failed",
        }
    }
}

fn describe(refusal: &crate::nesting::Refusal) -> String {
    use crate::nesting::{Refusal, MAX_ATTRIBUTES, MAX_DEPTH, MAX_DEPTH_SUM};
    match refusal {
        Refusal::TooDeep(depth) => format!("elements nested {depth} deep (limit {MAX_DEPTH})"),
        Refusal::TooMuchNesting(sum) => format!(
            "elements nested {sum} levels in all (limit {MAX_DEPTH_SUM}: deep nesting repeated)"
        ),
        Refusal::TooManyAttributes(n) => {
            format!("a tag with {n} attributes (limit {MAX_ATTRIBUTES})")
        }
    }
}
