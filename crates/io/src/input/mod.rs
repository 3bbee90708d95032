//! Reading documents: [`open_inputs`] resolves the command line's inputs into one
//! [`Reader`], an iterator of [`Record`]s or [`InputError`]s.
//!
//! # Contract
//!
//! The iterator never stops on an error. Every bad record (or bad file) is yielded as an
//! `Err` naming its file and line, and reading goes on with the next line (or, after an
//! I/O error, the next input). Every record read is therefore yielded exactly once,
//! either `Ok` or `Err`: nothing vanishes silently, and the caller decides what an error
//! means (the CLI stops on the first one by default, and with `--skip-invalid` skips and
//! counts them by [`ErrorKind::reason`]). Blank lines are the one exception: they are
//! separators, not records.
//!
//! Errors about the inputs themselves (a path that does not exist, a folder without
//! document files, a folder that cannot be listed) come from [`open_inputs`], before
//! anything is read, so a typo fails fast instead of after a long read.
//!
//! Web inputs (HTML files, WARC/WET archives; see [`web`]) add one exception: archive
//! records that are not documents, and pages with no main text, are not yielded but
//! counted in [`Reader::web_stats`].

mod error;
pub mod folder;
mod gunzip;
pub(crate) mod ids;
pub mod memory;
#[cfg(feature = "parquet")]
pub mod parquet;
mod parse;
mod stream;
pub mod web;

use std::collections::VecDeque;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, Read};
use std::iter::FusedIterator;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::value::RawValue;

pub use error::{ErrorKind, InputError};
pub use web::{WebStats, WebStatsHandle};

use folder::{FileKind, Listed, TxtFile};
use ids::IdSet;
use parse::IdValue;
use stream::Line;
use web::{HtmlFile, WebState};

/// Default for [`ReadOptions::max_record_bytes`]: 16 MiB, far above any real document
/// and low enough that a file without newlines cannot exhaust memory.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 << 20;

/// Name standing for standard input (the path `-`) in errors and generated ids.
pub const STDIN_NAME: &str = "<stdin>";

/// How records are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// JSON field holding the document id (default `id`).
    pub id_field: String,
    /// JSON field holding the document text (default `text`).
    pub text_field: String,
    /// Largest record accepted, in bytes: one JSONL line (without its `\n`) or one
    /// `.txt` file. Longer ones are skipped with [`ErrorKind::RecordTooLarge`] without
    /// being held in memory whole.
    pub max_record_bytes: usize,
    /// How `.txt` files are decoded (JSONL is always UTF-8, as JSON requires).
    pub txt_encoding: TextEncoding,
    /// Keep each JSONL record's original line in [`Record::raw`] (for jobs that write
    /// records back unchanged); without it `raw` is left empty, which spares a copy of
    /// the whole input.
    pub keep_raw: bool,
}

/// The encoding of `.txt` files, which (unlike JSON or HTML) do not declare one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// UTF-8 only: anything else is an [`ErrorKind::InvalidUtf8`] error.
    #[default]
    Utf8,
    /// UTF-8 when the file is valid UTF-8; otherwise the encoding `chardetng` (the
    /// detector Firefox uses) guesses from the bytes: windows-1252 for most Western
    /// legacy files, windows-1251 or KOI8-R for Russian, Shift_JIS, GBK, ...
    Auto,
    /// A named encoding (a WHATWG label such as `latin1`, `windows-1251`, `shift_jis`).
    Label(&'static encoding_rs::Encoding),
}

impl TextEncoding {
    /// Parses `utf-8`, `auto` or any WHATWG encoding label.
    pub fn parse(name: &str) -> Option<TextEncoding> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(TextEncoding::Auto),
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            other => encoding_rs::Encoding::for_label(other.as_bytes()).map(TextEncoding::Label),
        }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            id_field: "id".to_owned(),
            text_field: "text".to_owned(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            txt_encoding: TextEncoding::default(),
            keep_raw: true,
        }
    }
}

/// One document.
#[derive(Debug, Clone)]
pub struct Record {
    /// The id field's value (an integer id as its decimal text), or `<file>:<line>` when
    /// the record has none; for a `.txt` file, its path relative to the folder with `/`
    /// separators. Unique across all inputs of a run.
    pub id: String,
    /// The document's text, decoded.
    pub text: String,
    /// Every other top-level field of the JSON object except the text field and the id
    /// field, in input order, values kept as raw JSON so they are written back
    /// byte-for-byte (`1.50` stays `1.50`). Empty for `.txt` input.
    pub fields: Vec<(String, Box<RawValue>)>,
    /// The original line for JSONL input, byte for byte without its `\n` (a `\r` before
    /// it, or the byte-order mark of a file's first line, kept); for `.txt` input a JSON
    /// line `{"id":..,"text":..}` built from the record. Used by `reprint dedup` to write
    /// kept records unchanged. Empty for JSONL read without [`ReadOptions::keep_raw`].
    pub raw: String,
    pub origin: Origin,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file as given on the command line (`<stdin>` for `-`); for a `.txt` file, the
    /// folder as given joined with its relative path. Shared by all records of a file.
    pub file: Arc<str>,
    /// 1-based line number (counting blank lines); 1 for a `.txt` file.
    pub line: u64,
}

/// One input still to read.
enum Source {
    /// A JSONL file (plain or compressed), named as given.
    File { name: Arc<str>, path: PathBuf },
    /// A JSONL stream already open: stdin, or one handed to [`Reader::from_stream`].
    Stream {
        name: Arc<str>,
        stream: Box<dyn Read + Send>,
    },
    /// One `.txt` file of a folder: one record.
    Txt(TxtFile),
    /// One HTML file: one page.
    Html(HtmlFile),
    /// A WARC or WET archive.
    Warc { name: Arc<str>, path: PathBuf },
    /// A Parquet file (recognised by its magic bytes; read with the `parquet` feature).
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Parquet { name: Arc<str>, path: PathBuf },
    /// A path that cannot be read, found while listing a folder: yielded as its error.
    Skipped(InputError),
}

/// The JSONL stream being read.
struct Current {
    name: Arc<str>,
    input: Box<dyn BufRead + Send>,
    /// Lines read so far (blank ones included): the number of the last one.
    line: u64,
    /// Whether any non-blank line was seen; a file without one is reported empty.
    saw_record: bool,
}

/// Resolves `paths` into a [`Reader`] over all of them, in the order given.
///
/// - `-` is JSONL on standard input (named `<stdin>`).
/// - A folder contributes every `.txt` file (one record each), HTML file (one page each)
///   and WARC/WET archive under it, recursively, sorted by relative path.
/// - A file named `.html`, `.htm` or `.xhtml` (optionally `.gz`) is a web page; one named
///   `.warc` or `.wet` (optionally `.gz`), or whose first bytes are a WARC record header,
///   is an archive.
/// - Anything else is a JSONL file. gzip and zstd are recognised by their magic bytes,
///   whatever the extension; other content is read as plain text.
///
/// Fails, before reading anything, when `paths` is empty, a path does not exist or
/// cannot be inspected, or a folder holds no document file or cannot be listed. Files are
/// opened lazily, one at a time, so any number of inputs can be given.
pub fn open_inputs(paths: &[PathBuf], opts: &ReadOptions) -> Result<Reader, InputError> {
    open_inputs_shard(paths, opts, Shard::WHOLE)
}

/// One share of a run's inputs, for pass 1 on several machines (`--shard i/n`).
///
/// The inputs (every file, after folders are listed) are cut into `count` runs of
/// consecutive files of about equal size; shard `index` reads the `index`-th run. The
/// shards' documents, taken in shard order, are the whole input's documents in input
/// order, so shards analysed apart and merged give what one run gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// All the inputs.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `i/n` (0 <= i < n).
    pub fn parse(text: &str) -> Option<Shard> {
        let (i, n) = text.split_once('/')?;
        let (index, count): (u32, u32) = (i.trim().parse().ok()?, n.trim().parse().ok()?);
        (index < count).then_some(Shard { index, count })
    }

    /// The shard of the file whose bytes start at `before` and number `size`, of a
    /// run of `total` bytes (files of no bytes count one by one by `rank` of `files`).
    fn of_file(&self, before: u64, size: u64, total: u64, rank: usize, files: usize) -> u32 {
        let n = u128::from(self.count);
        let share = if total > 0 {
            // The file's middle byte decides: a shard holds the files centred in its
            // share of the bytes.
            (u128::from(before) * 2 + u128::from(size)) * n / (u128::from(total) * 2)
        } else {
            rank as u128 * n / files.max(1) as u128
        };
        (share as u32).min(self.count - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// [`open_inputs`] over one [`Shard`] of the inputs. Sharding needs files: stdin or a
/// pipe among the inputs of more than one shard is refused.
pub fn open_inputs_shard(
    paths: &[PathBuf],
    opts: &ReadOptions,
    shard: Shard,
) -> Result<Reader, InputError> {
    if paths.is_empty() {
        return Err(InputError::new("", None, ErrorKind::NoInputs));
    }
    let mut pending = VecDeque::new();
    let mut total = Some(0u64);
    for path in paths {
        if path.as_os_str() == "-" {
            pending.push_back(Source::Stream {
                name: Arc::from(STDIN_NAME),
                stream: Box::new(io::stdin()),
            });
            total = None;
            continue;
        }
        let name = path.to_string_lossy();
        let meta = fs::metadata(path).map_err(|e| {
            let kind = if e.kind() == io::ErrorKind::NotFound {
                ErrorKind::NotFound
            } else {
                ErrorKind::Io(e.to_string())
            };
            InputError::new(name.as_ref(), None, kind)
        })?;
        if meta.is_dir() {
            let listed = folder::list_txt(path)?;
            if listed.is_empty() {
                return Err(InputError::new(name.as_ref(), None, ErrorKind::NoInputs));
            }
            for entry in listed {
                let file = match entry {
                    Listed::File(file) => file,
                    Listed::Skipped { error, .. } => {
                        pending.push_back(Source::Skipped(error));
                        continue;
                    }
                };
                total = total.map(|t| t + file.size);
                let name: Arc<str> = Arc::from(file.path.to_string_lossy().as_ref());
                pending.push_back(match file.kind {
                    FileKind::Txt => Source::Txt(file),
                    FileKind::Html => Source::Html(HtmlFile {
                        id: file.id,
                        name,
                        path: file.path,
                        size: file.size,
                    }),
                    FileKind::Warc => Source::Warc {
                        name,
                        path: file.path,
                    },
                    FileKind::Arc => Source::Skipped(arc_unsupported(&file.path)),
                });
            }
        } else {
            // A pipe or device (`<(zcat ...)`, `/dev/stdin`) has no meaningful size.
            total = if meta.is_file() {
                total.map(|t| t + meta.len())
            } else {
                None
            };
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let kind = file_name.as_deref().and_then(folder::file_kind);
            let name: Arc<str> = Arc::from(name.as_ref());
            pending.push_back(match kind {
                Some(FileKind::Html) => Source::Html(HtmlFile {
                    id: name.to_string(),
                    name,
                    path: path.clone(),
                    size: meta.len(),
                }),
                Some(FileKind::Warc) => Source::Warc {
                    name,
                    path: path.clone(),
                },
                Some(FileKind::Arc) => Source::Skipped(arc_unsupported(path)),
                // A `.txt` file named on its own is one document, as in a folder; its id
                // is the path as given.
                Some(FileKind::Txt) if meta.is_file() => Source::Txt(TxtFile {
                    kind: FileKind::Txt,
                    id: name.to_string(),
                    path: path.clone(),
                    size: meta.len(),
                }),
                _ if meta.is_file() && is_parquet(path) => Source::Parquet {
                    name,
                    path: path.clone(),
                },
                _ if meta.is_file() => match web::sniff_archive(path) {
                    web::Sniffed::Warc => Source::Warc {
                        name,
                        path: path.clone(),
                    },
                    web::Sniffed::Arc => Source::Skipped(arc_unsupported(path)),
                    web::Sniffed::Other => Source::File {
                        name,
                        path: path.clone(),
                    },
                },
                _ => Source::File {
                    name,
                    path: path.clone(),
                },
            });
        }
    }
    if shard.count > 1 {
        pending = select_shard(pending, shard)?;
        total = Some(pending.iter().map(source_size).sum());
    }
    Ok(Reader::new(pending, opts, total))
}

/// Bytes of a source's file (0 for a path that could not be listed).
fn source_size(source: &Source) -> u64 {
    let path = match source {
        Source::File { path, .. } | Source::Warc { path, .. } | Source::Parquet { path, .. } => {
            path
        }
        Source::Txt(file) => return file.size,
        Source::Html(file) => return file.size,
        Source::Stream { .. } | Source::Skipped(_) => return 0,
    };
    fs::metadata(path).map_or(0, |m| m.len())
}

/// The sources of `shard` (see [`Shard`]).
fn select_shard(pending: VecDeque<Source>, shard: Shard) -> Result<VecDeque<Source>, InputError> {
    if let Some(Source::Stream { name, .. }) =
        pending.iter().find(|s| matches!(s, Source::Stream { .. }))
    {
        return Err(InputError::new(
            name.as_ref(),
            None,
            ErrorKind::Io("a stream cannot be sharded: --shard needs files".to_owned()),
        ));
    }
    let sizes: Vec<u64> = pending.iter().map(source_size).collect();
    let total: u64 = sizes.iter().sum();
    let files = sizes.len();
    let mut before = 0u64;
    let mut kept = VecDeque::new();
    for (rank, (source, size)) in pending.into_iter().zip(sizes).enumerate() {
        if shard.of_file(before, size, total, rank, files) == shard.index {
            kept.push_back(source);
        }
        before += size;
    }
    Ok(kept)
}

/// Iterator over the records of all inputs; see the [module docs](self) for the
/// contract. `Send`, so it can run on a reader thread.
pub struct Reader {
    opts: ReadOptions,
    pending: VecDeque<Source>,
    current: Option<Current>,
    /// Ids seen so far, across all inputs.
    ids: IdSet,
    /// Line buffer, reused for every line.
    buf: Vec<u8>,
    bytes_read: Arc<AtomicU64>,
    total_bytes: Option<u64>,
    /// HTML files and archives being read, and what they held.
    web: WebState,
    /// The Parquet file being read, and the rows of its last batch not yet yielded.
    #[cfg(feature = "parquet")]
    parquet: Option<parquet::ParquetFile>,
    rows: VecDeque<Result<Record, InputError>>,
}

/// Whether the file at `path` starts with Parquet's magic bytes.
fn is_parquet(path: &std::path::Path) -> bool {
    let mut head = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"PAR1"
}

impl Reader {
    fn new(pending: VecDeque<Source>, opts: &ReadOptions, total_bytes: Option<u64>) -> Self {
        Reader {
            opts: opts.clone(),
            pending,
            current: None,
            ids: IdSet::new(),
            buf: Vec::new(),
            bytes_read: Arc::new(AtomicU64::new(0)),
            total_bytes,
            web: WebState::new(),
            #[cfg(feature = "parquet")]
            parquet: None,
            rows: VecDeque::new(),
        }
    }

    /// What the web inputs held besides the records and errors yielded: pages found,
    /// extracted and empty, and archive records skipped by kind.
    pub fn web_stats(&self) -> WebStats {
        self.web.stats.get()
    }

    /// A handle on [`Reader::web_stats`] that stays valid after the reader is moved
    /// (to a reader thread) or dropped.
    pub fn web_stats_handle(&self) -> WebStatsHandle {
        self.web.stats.clone()
    }

    /// A reader over one JSONL stream (plain or compressed, detected as for files),
    /// named `name` in errors and generated ids. This is what `-` uses with stdin; it
    /// also lets tests and embedders feed any byte source.
    pub fn from_stream(name: &str, stream: Box<dyn Read + Send>, opts: &ReadOptions) -> Reader {
        let source = Source::Stream {
            name: Arc::from(name),
            stream,
        };
        Reader::new(VecDeque::from([source]), opts, None)
    }

    /// Bytes consumed from the inputs so far: compressed bytes for compressed files,
    /// counted as they are read (so a little ahead of the records yielded). For a
    /// progress bar, against [`Reader::total_bytes`].
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// Input files (and unreadable paths found while listing folders) not yet opened:
    /// all of them before the first record is read.
    pub fn pending_files(&self) -> usize {
        self.pending.len()
    }

    /// Sum of the input files' sizes, known when every input is a regular file or a
    /// folder; `None` when reading stdin or a pipe.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    /// Starts reading a JSONL source; returns the error when it cannot be opened (or its
    /// first bytes cannot be read), in which case that source is skipped.
    fn start(&mut self, name: Arc<str>, raw: io::Result<stream::Raw>) -> Option<InputError> {
        let opened = raw.map_err(|e| (None, e)).and_then(|raw| {
            // Failing to read the first bytes is failing on line 1.
            stream::open(raw, Arc::clone(&self.bytes_read)).map_err(|e| (Some(1), e))
        });
        match opened {
            Ok(input) => {
                self.current = Some(Current {
                    name,
                    input,
                    line: 0,
                    saw_record: false,
                });
                None
            }
            Err((line, e)) => Some(InputError::new(&*name, line, io_error_kind(&e))),
        }
    }

    /// The next item of the current JSONL stream; `None` once it is finished (and
    /// `self.current` cleared).
    fn next_line_item(&mut self) -> Option<Result<Record, InputError>> {
        let cur = self.current.as_mut()?;
        let limit = self.opts.max_record_bytes;
        loop {
            let line = cur.line + 1;
            match stream::read_line(&mut *cur.input, &mut self.buf, limit) {
                Ok(Line::Eof) => {
                    let empty = !cur.saw_record;
                    let name = Arc::clone(&cur.name);
                    self.current = None;
                    return empty.then(|| Err(InputError::new(&*name, None, ErrorKind::EmptyFile)));
                }
                Err(e) => {
                    // A corrupt or truncated stream cannot be resynchronised: end the file.
                    let err = InputError::new(&*cur.name, Some(line), io_error_kind(&e));
                    self.current = None;
                    return Some(Err(err));
                }
                Ok(Line::TooLong { seen }) => {
                    cur.line = line;
                    cur.saw_record = true;
                    let kind = ErrorKind::RecordTooLarge { limit, seen };
                    return Some(Err(InputError::new(&*cur.name, Some(line), kind)));
                }
                Ok(Line::Complete) => {
                    cur.line = line;
                    let mut bytes = self.buf.as_slice();
                    if let Some(stripped) = bytes.strip_suffix(b"\r") {
                        bytes = stripped;
                    }
                    if line == 1 {
                        if let Some(stripped) = bytes.strip_prefix(b"\xef\xbb\xbf") {
                            bytes = stripped;
                        }
                    }
                    if bytes
                        .iter()
                        .all(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    {
                        continue;
                    }
                    cur.saw_record = true;
                    return Some(jsonl_record(
                        bytes,
                        &self.buf,
                        &cur.name,
                        line,
                        &self.opts,
                        &mut self.ids,
                    ));
                }
            }
        }
    }

    /// The record of one `.txt` file.
    fn txt_record(&mut self, file: TxtFile) -> Result<Record, InputError> {
        let result = folder::read_text(&file, self.opts.max_record_bytes, self.opts.txt_encoding);
        self.bytes_read.fetch_add(file.size, Ordering::Relaxed);
        let text = result?;
        let name: Arc<str> = Arc::from(file.path.to_string_lossy().as_ref());
        if !self.ids.insert(&file.id) {
            return Err(InputError::new(
                &*name,
                Some(1),
                ErrorKind::DuplicateId(file.id),
            ));
        }
        #[derive(serde::Serialize)]
        struct TxtLine<'a> {
            id: &'a str,
            text: &'a str,
        }
        let raw = serde_json::to_string(&TxtLine {
            id: &file.id,
            text: &text,
        })
        .map_err(|e| InputError::new(&*name, None, ErrorKind::Io(e.to_string())))?;
        Ok(Record {
            id: file.id,
            text,
            fields: Vec::new(),
            raw,
            origin: Origin {
                file: name,
                line: 1,
            },
        })
    }
}

/// The error refusing an ARC archive: recognised, but not read.
fn arc_unsupported(path: &std::path::Path) -> InputError {
    InputError::new(
        path.to_string_lossy(),
        None,
        ErrorKind::Skipped {
            reason: "unsupported",
            detail: "an ARC archive: reprint reads WARC, not ARC (convert it first, e.g. \
                     with warcio or the Internet Archive's arc2warc)"
                .to_owned(),
        },
    )
}

/// The kind of a read error: damage found by the checksum pass of a compressed source
/// is named as such, anything else is [`ErrorKind::Io`].
fn io_error_kind(e: &io::Error) -> ErrorKind {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<stream::Damage>())
    {
        Some(damage) => ErrorKind::Compressed {
            reason: damage.reason(),
            detail: damage.to_string(),
        },
        None => ErrorKind::Io(e.to_string()),
    }
}

/// Builds the record of one non-blank JSONL line: `bytes` is the JSON (without a
/// byte-order mark or line terminator), `line_bytes` the line as read (without only its
/// `\n`), kept as the record's `raw`.
fn jsonl_record(
    bytes: &[u8],
    line_bytes: &[u8],
    file: &Arc<str>,
    line: u64,
    opts: &ReadOptions,
    ids: &mut IdSet,
) -> Result<Record, InputError> {
    let err = |kind| InputError::new(&**file, Some(line), kind);
    let json = simdutf8::basic::from_utf8(bytes).map_err(|_| err(ErrorKind::InvalidUtf8))?;
    let parsed = parse::parse_object(json, &opts.text_field, &opts.id_field).map_err(err)?;
    let text = match parsed.text {
        Some(Some(text)) => text.into_owned(),
        Some(None) => {
            return Err(err(ErrorKind::TextNotString {
                field: opts.text_field.clone(),
            }))
        }
        None => {
            return Err(err(ErrorKind::MissingText {
                field: opts.text_field.clone(),
            }))
        }
    };
    let id = match parse::decode_id(parsed.id) {
        IdValue::Given(id) => id,
        IdValue::Absent => format!("{file}:{line}"),
        IdValue::Bad => {
            return Err(err(ErrorKind::BadId {
                field: opts.id_field.clone(),
            }))
        }
    };
    if !ids.insert(&id) {
        return Err(err(ErrorKind::DuplicateId(id)));
    }
    Ok(Record {
        id,
        text,
        fields: parsed.fields,
        // The line differs from the JSON only by a BOM or a CR, both valid UTF-8.
        raw: if opts.keep_raw {
            String::from_utf8_lossy(line_bytes).into_owned()
        } else {
            String::new()
        },
        origin: Origin {
            file: Arc::clone(file),
            line,
        },
    })
}

impl Iterator for Reader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.web.queue.pop_front() {
                return Some(item);
            }
            if let Some(item) = self.rows.pop_front() {
                return Some(item);
            }
            #[cfg(feature = "parquet")]
            if let Some(file) = self.parquet.as_mut() {
                if !file.fill(&mut self.rows, &self.opts, &mut self.ids) {
                    self.parquet = None;
                }
                continue;
            }
            if self.web.in_archive() {
                self.web.fill_from_archive(&self.opts, &mut self.ids);
                continue;
            }
            if self.current.is_some() {
                match self.next_line_item() {
                    Some(item) => return Some(item),
                    None => continue, // that stream is finished
                }
            }
            match self.pending.pop_front()? {
                Source::Skipped(error) => return Some(Err(error)),
                Source::Txt(file) => return Some(self.txt_record(file)),
                Source::Html(file) => {
                    // Consecutive HTML files are extracted together, in parallel.
                    let mut batch = VecDeque::from([file]);
                    while batch.len() < web::BATCH_PAGES {
                        match self.pending.pop_front() {
                            Some(Source::Html(file)) => batch.push_back(file),
                            Some(other) => {
                                self.pending.push_front(other);
                                break;
                            }
                            None => break,
                        }
                    }
                    self.web.fill_from_files(
                        &mut batch,
                        &self.opts,
                        &mut self.ids,
                        &self.bytes_read,
                    );
                    while let Some(file) = batch.pop_back() {
                        self.pending.push_front(Source::Html(file));
                    }
                }
                Source::Warc { name, path } => {
                    if let Err(e) = self
                        .web
                        .open_archive(name, &path, &self.opts, &self.bytes_read)
                    {
                        return Some(Err(e));
                    }
                }
                #[cfg(feature = "parquet")]
                Source::Parquet { name, path } => {
                    match parquet::ParquetFile::open(name, &path, &self.opts) {
                        Ok(file) => self.parquet = Some(file),
                        Err(e) => return Some(Err(e)),
                    }
                }
                #[cfg(not(feature = "parquet"))]
                Source::Parquet { name, path: _ } => {
                    return Some(Err(InputError::new(
                        &*name,
                        None,
                        ErrorKind::Skipped {
                            reason: "unsupported",
                            detail: "a Parquet file: this build of reprint reads no Parquet \
                                     (build it with `--features parquet`)"
                                .to_owned(),
                        },
                    )));
                }
                Source::File { name, path } => {
                    let raw = File::open(&path).map(stream::Raw::File);
                    if let Some(e) = self.start(name, raw) {
                        return Some(Err(e));
                    }
                }
                Source::Stream { name, stream } => {
                    if let Some(e) = self.start(name, Ok(stream::Raw::Stream(stream))) {
                        return Some(Err(e));
                    }
                }
            }
        }
    }
}

impl FusedIterator for Reader {}

impl fmt::Debug for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("opts", &self.opts)
            .field("current", &self.current.as_ref().map(|c| (&c.name, c.line)))
            .field("pending", &self.pending.len())
            .field("bytes_read", &self.bytes_read())
            .field("total_bytes", &self.total_bytes)
            .finish()
    }
}

// The CLI reads on its own thread.
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Reader>();
};
