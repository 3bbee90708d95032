//! Errors of the readers: one [`InputError`] per bad record (or bad file), each naming
//! where it happened and carrying an [`ErrorKind`] whose [`ErrorKind::reason`] is the
//! stable key the CLI counts skipped records under.

use std::fmt;

/// A bad record, a bad file, or a bad input path.
///
/// Displays as `FILE:LINE: message`, or `FILE: message` when no line applies (an empty
/// file, a missing path, a folder without `.txt` files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", Location { file, line: *line })]
pub struct InputError {
    /// The file as given on the command line (`<stdin>` for `-`); for a folder input, the
    /// `.txt` file's path (folder as given, joined with its relative path).
    pub file: String,
    /// 1-based line of the record, when the error concerns one record.
    pub line: Option<u64>,
    pub kind: ErrorKind,
}

impl InputError {
    pub fn new(file: impl Into<String>, line: Option<u64>, kind: ErrorKind) -> Self {
        InputError {
            file: file.into(),
            line,
            kind,
        }
    }
}

/// What went wrong. Messages are for people; [`ErrorKind::reason`] is for counting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The line is not valid JSON (serde_json's message, with its column).
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// The line is valid JSON but not an object (an array, a string, a number...).
    #[error("not a JSON object")]
    NotAnObject,
    /// The object has no text field.
    #[error("no `{field}` field")]
    MissingText { field: String },
    /// The text field is not a JSON string (a number, null, an array...).
    #[error("field `{field}` is not a string")]
    TextNotString { field: String },
    /// The id field is present but neither a string, an integer nor null.
    #[error("field `{field}` is not a string or an integer")]
    BadId { field: String },
    /// The bytes are not UTF-8; the line is where the first invalid byte is.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The file holds no record: zero bytes, or only whitespace.
    #[error("empty file")]
    EmptyFile,
    /// The record (one JSONL line, or one `.txt` file) is longer than the limit; it was
    /// skipped without being held in memory whole.
    #[error("record of {seen} bytes exceeds the limit of {limit} bytes")]
    RecordTooLarge {
        limit: usize,
        /// The record's length in bytes (the rest of a long line is scanned, not stored,
        /// so this is exact unless reading failed midway).
        seen: u64,
    },
    /// An earlier record already had this id; the first one wins.
    #[error("duplicate id {0:?}")]
    DuplicateId(String),
    /// Reading failed (an I/O error). The rest of that file is skipped.
    #[error("read error: {0}")]
    Io(String),
    /// A gzip or zstd source is damaged: `reason` is `gzip_corrupt` or `zstd_corrupt`
    /// (a checksum or the compressed data itself is wrong: none of the damaged member's
    /// or frame's records is used, since its text may be altered anywhere) or
    /// `gzip_truncated` / `zstd_truncated` (the file ends inside one: the complete lines
    /// decoded before the end are kept). The line is the first one not read; the rest
    /// of the file is skipped.
    #[error("{detail}; the rest of the file is skipped")]
    Compressed {
        reason: &'static str,
        detail: String,
    },
    /// A path found in a folder that cannot be used: `reason` is `bad_link` (a link
    /// named like a document that is dangling or loops), `not_a_file` (a device, FIFO or
    /// socket named like a document) or `unreadable_folder` (a subfolder that cannot be
    /// listed); `unsupported` is a file in a format reprint does not read (ARC).
    #[error("{detail}")]
    Skipped {
        reason: &'static str,
        detail: String,
    },
    /// A path given as input does not exist.
    #[error("no such file or folder")]
    NotFound,
    /// A folder holds no document file, or no input was given at all.
    #[error("no input documents (a folder needs at least one .txt, .html or .warc file)")]
    NoInputs,
    /// A WARC archive is damaged: a truncated or corrupt gzip member, a record whose
    /// length is wrong, bytes that are not a record. `offset` is the record's (in a
    /// `.warc.gz`, its gzip member's); `record` its `WARC-Record-ID` when the header
    /// could be read. Reading goes on at the next record found. `reason` is one of
    /// `warc_truncated`, `gzip_corrupt`, `warc_bad_length`, `warc_malformed`, `io`.
    #[error("{}{detail}", RecordAt { offset: Some(*offset), record: record.as_deref() })]
    Warc {
        reason: &'static str,
        offset: u64,
        record: Option<String>,
        detail: String,
    },
    /// A web page (an HTML file, or a page record of an archive) cannot be used:
    /// `reason` is one of `not_html` (binary data), `page_too_large`, `no_body`,
    /// `bad_http` (undecodable HTTP response), `extract_failed`. `offset` and `record`
    /// locate a record in an archive.
    #[error("{}{detail}", RecordAt { offset: *offset, record: record.as_deref() })]
    Page {
        reason: &'static str,
        offset: Option<u64>,
        record: Option<String>,
        detail: String,
    },
}

impl ErrorKind {
    /// Stable snake_case key of the kind, used to count skipped records in the summary.
    /// These strings are part of the output contract: never rename one.
    pub fn reason(&self) -> &'static str {
        match self {
            ErrorKind::MalformedJson(_) => "malformed_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::MissingText { .. } => "missing_text",
            ErrorKind::TextNotString { .. } => "text_not_string",
            ErrorKind::BadId { .. } => "bad_id",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::EmptyFile => "empty_file",
            ErrorKind::RecordTooLarge { .. } => "record_too_large",
            ErrorKind::DuplicateId(_) => "duplicate_id",
            ErrorKind::Io(_) => "io",
            ErrorKind::NotFound => "not_found",
            ErrorKind::NoInputs => "no_inputs",
            ErrorKind::Warc { reason, .. }
            | ErrorKind::Page { reason, .. }
            | ErrorKind::Compressed { reason, .. }
            | ErrorKind::Skipped { reason, .. } => reason,
        }
    }
}

/// `record <ID> at offset N: `, `record <ID>: `, `offset N: ` or nothing.
struct RecordAt<'a> {
    offset: Option<u64>,
    record: Option<&'a str>,
}

impl fmt::Display for RecordAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.record, self.offset) {
            (Some(id), Some(offset)) => write!(f, "record <{id}> at offset {offset}: "),
            (Some(id), None) => write!(f, "record <{id}>: "),
            (None, Some(offset)) => write!(f, "offset {offset}: "),
            (None, None) => Ok(()),
        }
    }
}

/// `FILE:LINE`, `FILE`, or (no file at all, e.g. an empty input list) `input`.
struct Location<'a> {
    file: &'a str,
    line: Option<u64>,
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.is_empty() {
            "input"
        } else {
            self.file
        };
        match self.line {
            Some(line) => write!(f, "{file}:{line}"),
            None => f.write_str(file),
        }
    }
}
