//! Web inputs: HTML files and WARC/WET archives, read through `reprint-web`.
//!
//! # Records
//!
//! Each page becomes one [`Record`] whose text is the page's main text and whose fields
//! are `url`, `title`, `date` (published, `YYYY-MM-DD`), `site` (JSON strings, `null`
//! when unknown) and `lang` (only when known). Its `raw` line is
//! `{"id", "url", "title", "date", "site", ["lang",] "text"}` (with the id and text
//! fields named as in [`ReadOptions`]): what `reprint extract` writes and `reprint dedup`
//! keeps. Ids: an HTML file given on the command line is named by its path as given, one
//! found in a folder by its path relative to the folder; an archive record by its
//! `WARC-Record-ID` (without angle brackets), or `FILE@OFFSET` when it has none.
//!
//! # Not every record is a document
//!
//! Archive records that are not pages (requests, metadata, images, redirects...) and
//! pages with no main text are not yielded, neither as `Ok` nor as `Err`: they are
//! counted in [`WebStats`] (by kind, and as `empty`), which the caller reads through
//! [`Reader::web_stats`](super::Reader::web_stats) to report them. Everything else keeps
//! the reader's contract: a damaged archive region or an unusable page is an `Err`
//! naming the file and the record id or byte offset, and reading goes on.
//!
//! # Parallel extraction, deterministic order
//!
//! Reading an archive is sequential and cheap; extraction costs milliseconds per page.
//! So pages are read into a batch (up to `BATCH_PAGES` pages or `BATCH_BYTES`
//! bytes), the batch is extracted on the rayon pool (largest pages first, so that no big
//! page is left alone at the end of a batch), and its items are queued in input order:
//! the output does not depend on the number of threads. A loose HTML file is
//! opened and gunzipped on the pool too, beside its extraction (reading costs about a
//! fifth as much as extracting: too much for one thread). JSONL and `.txt` inputs never
//! go through here.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use reprint_web::archive::{self, Entry};
use reprint_web::{extract_page, Page, WarcReader, WebError, KEPT_PAGE_BUFFER_BYTES};
use serde_json::value::RawValue;

use super::gunzip::gunzip_single_member;
use super::ids::IdSet;
use super::{ErrorKind, InputError, Origin, ReadOptions, Record};

/// Most pages extracted in one parallel batch.
pub(crate) const BATCH_PAGES: usize = 256;
/// Most payload bytes held in one batch.
pub(crate) const BATCH_BYTES: usize = 64 << 20;

/// What the web inputs held besides the records and errors yielded: see the [module
/// docs](self).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WebStats {
    /// Pages found: HTML files, and HTML or text records of archives. Each one is
    /// `extracted`, `empty`, or was yielded as an error.
    pub pages: u64,
    /// Pages yielded as records.
    pub extracted: u64,
    /// Pages read without trouble that have no main text (only navigation, a video, a
    /// form...): not yielded.
    pub empty: u64,
    /// Archive records that are not documents, by kind: the WARC type (`request`,
    /// `metadata`, `warcinfo`, `revisit`...), or `type:mime` for responses and resources
    /// that are not HTML (`response:image/jpeg`), or `response:status-3xx` for
    /// non-success responses.
    pub skipped: BTreeMap<String, u64>,
}

impl WebStats {
    /// Whether any web input was read at all.
    pub fn is_empty(&self) -> bool {
        self.pages == 0 && self.skipped.is_empty()
    }

    /// Total archive records skipped as not documents.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// A shared view of a reader's [`WebStats`], usable after the reader was moved away
/// (to a reader thread).
#[derive(Debug, Clone, Default)]
pub struct WebStatsHandle(Arc<Mutex<WebStats>>);

impl WebStatsHandle {
    /// A copy of the counts so far.
    pub fn get(&self) -> WebStats {
        match self.0.lock() {
            Ok(stats) => stats.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut WebStats)) {
        match self.0.lock() {
            Ok(mut stats) => f(&mut stats),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

/// One HTML file to read.
#[derive(Debug)]
pub(crate) struct HtmlFile {
    /// The document id: the path as given, or relative to its folder.
    pub id: String,
    /// The name used in errors.
    pub name: Arc<str>,
    pub path: PathBuf,
    pub size: u64,
}

/// The archive being read.
struct Archive {
    name: Arc<str>,
    reader: WarcReader,
    /// Records read so far (for [`Origin::line`]).
    records: u64,
}

/// A page read and waiting for extraction, or an item already decided.
enum Job {
    Extract {
        id: String,
        origin: Origin,
        url: Option<String>,
        content_type: Option<String>,
        /// Where the page is, for errors: (offset, record id) in an archive.
        at: Option<(u64, Option<String>)>,
        body: Vec<u8>,
    },
    Text {
        id: String,
        origin: Origin,
        page: Page,
    },
    /// An HTML file, read (and gunzipped) on the pool with its extraction: reading
    /// costs about a fifth of extracting, too much to leave on one thread.
    File(HtmlFile),
    Ready(InputError),
}

impl Job {
    /// Bytes to extract, known or on disk (compressed), as an estimate of the work.
    fn size(&self) -> u64 {
        match self {
            Job::Extract { body, .. } => body.len() as u64,
            Job::File(file) => file.size,
            Job::Text { .. } | Job::Ready(_) => 0,
        }
    }
}

/// The web part of a [`Reader`](super::Reader).
pub(crate) struct WebState {
    /// Items ready to be yielded, in order.
    pub queue: VecDeque<Result<Record, InputError>>,
    archive: Option<Archive>,
    pub stats: WebStatsHandle,
}

impl WebState {
    pub fn new() -> Self {
        WebState {
            queue: VecDeque::new(),
            archive: None,
            stats: WebStatsHandle::default(),
        }
    }

    /// Whether an archive is open with records left to read.
    pub fn in_archive(&self) -> bool {
        self.archive.is_some()
    }

    /// Opens an archive; the error, if any, is the file's.
    pub fn open_archive(
        &mut self,
        name: Arc<str>,
        path: &PathBuf,
        opts: &ReadOptions,
        bytes_read: &Arc<AtomicU64>,
    ) -> Result<(), InputError> {
        let io_err = |e: io::Error| InputError::new(&*name, None, ErrorKind::Io(e.to_string()));
        let file = File::open(path).map_err(io_err)?;
        let counted = Counting {
            inner: file,
            counter: Arc::clone(bytes_read),
        };
        let reader = WarcReader::new(Box::new(counted), opts.max_record_bytes).map_err(io_err)?;
        self.archive = Some(Archive {
            name,
            reader,
            records: 0,
        });
        Ok(())
    }

    /// Reads the next batch of the open archive, extracts it and queues its items.
    pub fn fill_from_archive(&mut self, opts: &ReadOptions, ids: &mut IdSet) {
        let mut jobs = Vec::new();
        let mut bytes = 0usize;
        while jobs.len() < BATCH_PAGES && bytes < BATCH_BYTES {
            let Some(archive) = self.archive.as_mut() else {
                break;
            };
            let Some(item) = archive.reader.next() else {
                if archive.records == 0 {
                    let name = Arc::clone(&archive.name);
                    jobs.push(Job::Ready(InputError::new(
                        &*name,
                        None,
                        ErrorKind::EmptyFile,
                    )));
                }
                self.archive = None;
                break;
            };
            archive.records += 1;
            let name = Arc::clone(&archive.name);
            let origin = Origin {
                file: Arc::clone(&name),
                line: archive.records,
            };
            let record = match item {
                Ok(record) => record,
                Err(e) => {
                    let kind = ErrorKind::Warc {
                        reason: e.kind.reason(),
                        offset: e.offset,
                        record: e.record_id,
                        detail: e.kind.to_string(),
                    };
                    jobs.push(Job::Ready(InputError::new(&*name, None, kind)));
                    continue;
                }
            };
            let offset = record.offset;
            let id_of = |record_id: &Option<String>| {
                record_id
                    .clone()
                    .unwrap_or_else(|| format!("{name}@{offset}"))
            };
            match archive::classify(record, opts.max_record_bytes) {
                Entry::Skip(kind) => {
                    self.stats
                        .update(|s| *s.skipped.entry(kind).or_default() += 1);
                }
                Entry::Bad {
                    record_id,
                    offset,
                    error,
                } => {
                    self.stats.update(|s| s.pages += 1);
                    jobs.push(Job::Ready(page_error(
                        &name,
                        Some((offset, record_id)),
                        &error,
                    )));
                }
                Entry::Html(page) => {
                    self.stats.update(|s| s.pages += 1);
                    bytes += page.body.len();
                    jobs.push(Job::Extract {
                        id: id_of(&page.record_id),
                        origin,
                        url: page.url,
                        content_type: page.content_type,
                        at: Some((page.offset, page.record_id)),
                        body: page.body,
                    });
                }
                Entry::Text(doc) => {
                    self.stats.update(|s| s.pages += 1);
                    bytes += doc.text.len();
                    let page = Page {
                        url: doc.url,
                        lang: doc.lang,
                        text: reprint_web::extract::clean_text(&doc.text),
                        ..Page::default()
                    };
                    jobs.push(Job::Text {
                        id: id_of(&doc.record_id),
                        origin,
                        page,
                    });
                }
            }
        }
        self.run(jobs, opts, ids);
    }

    /// Reads a batch of HTML files (taken from the front of `files` while they last),
    /// extracts them and queues their items.
    pub fn fill_from_files(
        &mut self,
        files: &mut VecDeque<HtmlFile>,
        opts: &ReadOptions,
        ids: &mut IdSet,
        bytes_read: &Arc<AtomicU64>,
    ) {
        let mut jobs = Vec::new();
        let mut bytes = 0usize;
        while jobs.len() < BATCH_PAGES && bytes < BATCH_BYTES {
            let Some(file) = files.pop_front() else {
                break;
            };
            self.stats.update(|s| s.pages += 1);
            bytes_read.fetch_add(file.size, Ordering::Relaxed);
            // Gzip text inflates about 4x; a page is never counted above its limit.
            let on_disk = usize::try_from(file.size).unwrap_or(usize::MAX);
            let inflated = if is_gzip_name(&file.path) {
                on_disk.saturating_mul(4)
            } else {
                on_disk
            };
            bytes = bytes.saturating_add(inflated.min(opts.max_record_bytes));
            jobs.push(Job::File(file));
        }
        self.run(jobs, opts, ids);
    }

    /// Extracts the batch's pages in parallel and queues every item in order.
    fn run(&mut self, jobs: Vec<Job>, opts: &ReadOptions, ids: &mut IdSet) {
        // Largest pages first, each thread taking the next one when it is free (greedy
        // longest-first scheduling): a big page left for the end of a batch would keep
        // one thread busy while the others wait. Results go back to input order below.
        let mut jobs: Vec<(usize, Job)> = jobs.into_iter().enumerate().collect();
        jobs.sort_by_key(|(at, job)| (std::cmp::Reverse(job.size()), *at));
        let mut done: Vec<(usize, Done)> = jobs
            .into_iter()
            .par_bridge()
            .map(|(at, job)| (at, extract_job(job, opts)))
            .collect();
        done.sort_unstable_by_key(|(at, _)| *at);
        for (_, item) in done {
            match item {
                Done::Error(e) => self.queue.push_back(Err(e)),
                Done::Page { id, origin, page } => {
                    if page.text.is_empty() {
                        self.stats.update(|s| s.empty += 1);
                        continue;
                    }
                    if !ids.insert(&id) {
                        let err = InputError::new(&*origin.file, None, ErrorKind::DuplicateId(id));
                        self.queue.push_back(Err(err));
                        continue;
                    }
                    let record = page_record(id, origin, page, opts);
                    if record.is_ok() {
                        self.stats.update(|s| s.extracted += 1);
                    }
                    self.queue.push_back(record);
                }
            }
        }
    }
}

/// One job of a batch, done: the page extracted, or why not.
fn extract_job(job: Job, opts: &ReadOptions) -> Done {
    match job {
        Job::Extract {
            id,
            origin,
            url,
            content_type,
            at,
            body,
        } => match extract_page(&body, url.as_deref(), content_type.as_deref()) {
            Ok(page) => Done::Page { id, origin, page },
            Err(e) => Done::Error(page_error(&origin.file, at, &e)),
        },
        Job::Text { id, origin, page } => Done::Page { id, origin, page },
        Job::File(file) => {
            match with_html_file(&file, opts.max_record_bytes, |body| {
                extract_page(body, None, None)
            }) {
                Ok(Ok(page)) => Done::Page {
                    id: file.id,
                    origin: Origin {
                        file: file.name,
                        line: 1,
                    },
                    page,
                },
                Ok(Err(e)) => Done::Error(page_error(&file.name, None, &e)),
                Err(e) => Done::Error(e),
            }
        }
        Job::Ready(e) => Done::Error(e),
    }
}

enum Done {
    Page {
        id: String,
        origin: Origin,
        page: Page,
    },
    Error(InputError),
}

/// The error of a page, located by (offset, record id) in an archive.
fn page_error(file: &str, at: Option<(u64, Option<String>)>, error: &WebError) -> InputError {
    let (offset, record) = match at {
        Some((offset, record)) => (Some(offset), record),
        None => (None, None),
    };
    InputError::new(
        file,
        None,
        ErrorKind::Page {
            reason: error.reason(),
            offset,
            record,
            detail: error.to_string(),
        },
    )
}

/// Whether a file's name says it is gzipped (only an estimate of its size in memory
/// rests on this; [`with_html_file`] looks at the bytes).
fn is_gzip_name(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Per-thread buffers for reading HTML files: the file as stored, and the page
/// decompressed, reused from page to page (see [`KEPT_PAGE_BUFFER_BYTES`]).
struct ReadBuffers {
    packed: Vec<u8>,
    page: Vec<u8>,
}

thread_local! {
    static READ_BUFFERS: std::cell::RefCell<ReadBuffers> =
        const { std::cell::RefCell::new(ReadBuffers { packed: Vec::new(), page: Vec::new() }) };
}

/// `f` on the bytes of an HTML file, decompressed when it is gzip (by its magic bytes);
/// the file is refused past `limit` bytes without reading further. The bytes are read
/// into this thread's buffers.
fn with_html_file<R>(
    file: &HtmlFile,
    limit: usize,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R, InputError> {
    READ_BUFFERS.with(|b| {
        let ReadBuffers { packed, page } = &mut *b.borrow_mut();
        read_html_file_into(file, limit, packed, page)?;
        let result = f(page);
        for buffer in [packed, page] {
            if buffer.capacity() > KEPT_PAGE_BUFFER_BYTES {
                *buffer = Vec::new();
            }
        }
        Ok(result)
    })
}

/// Reads an HTML file into `bytes` (see [`with_html_file`]), with `packed` for the
/// compressed file.
fn read_html_file_into(
    file: &HtmlFile,
    limit: usize,
    packed: &mut Vec<u8>,
    bytes: &mut Vec<u8>,
) -> Result<(), InputError> {
    packed.clear();
    bytes.clear();
    let err = |kind| InputError::new(&*file.name, None, kind);
    let io_err = |e: io::Error| err(ErrorKind::Io(e.to_string()));
    let read_err = |e: io::Error| {
        err(ErrorKind::Page {
            reason: "io",
            offset: None,
            record: None,
            detail: format!("read error: {e}"),
        })
    };
    let mut raw = File::open(&file.path).map_err(io_err)?;
    let mut magic = [0u8; 2];
    let n = raw.read(&mut magic).map_err(io_err)?;
    let gzip = magic[..n] == [0x1f, 0x8b];
    let on_disk = usize::try_from(file.size).unwrap_or(usize::MAX);
    if gzip && on_disk <= limit {
        // The whole file is read first, so the output can be sized once from the gzip
        // trailer (the last member's uncompressed size, mod 2^32) instead of growing by
        // doubling.
        packed.reserve(on_disk);
        packed.extend_from_slice(&magic[..n]);
        raw.read_to_end(packed).map_err(read_err)?;
        if !gunzip_single_member(packed, limit, bytes) {
            let trailer_size = packed
                .last_chunk::<4>()
                .map_or(0, |t| u32::from_le_bytes(*t) as usize);
            bytes.reserve(trailer_size.min(limit).saturating_add(1));
            flate2::bufread::MultiGzDecoder::new(&packed[..])
                .take(limit as u64 + 1)
                .read_to_end(bytes)
                .map_err(read_err)?;
        }
    } else {
        let head = io::Cursor::new(magic).take(n as u64);
        let stream: Box<dyn Read> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(head.chain(raw)))
        } else {
            bytes.reserve(on_disk.min(limit).saturating_add(1));
            Box::new(head.chain(raw))
        };
        stream
            .take(limit as u64 + 1)
            .read_to_end(bytes)
            .map_err(read_err)?;
    }
    if bytes.len() > limit {
        let seen = if gzip { bytes.len() as u64 } else { file.size };
        let error = WebError::PageTooLarge { limit, seen };
        return Err(page_error(&file.name, None, &error));
    }
    Ok(())
}

/// The record of an extracted page; see the [module docs](self) for its shape.
fn page_record(
    id: String,
    origin: Origin,
    page: Page,
    opts: &ReadOptions,
) -> Result<Record, InputError> {
    let json_err =
        |e: serde_json::Error| InputError::new(&*origin.file, None, ErrorKind::Io(e.to_string()));
    let mut fields: Vec<(String, Box<RawValue>)> = Vec::with_capacity(5);
    let mut field = |name: &str, value: &Option<String>| -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        fields.push((name.to_owned(), raw));
        Ok(())
    };
    field("url", &page.url).map_err(json_err)?;
    field("title", &page.title).map_err(json_err)?;
    field("date", &page.date).map_err(json_err)?;
    field("site", &page.site).map_err(json_err)?;
    if page.lang.is_some() {
        field("lang", &page.lang).map_err(json_err)?;
    }
    let mut raw = String::with_capacity(page.text.len() + 256);
    raw.push('{');
    push_member(&mut raw, &opts.id_field, &id).map_err(json_err)?;
    for (name, value) in &fields {
        raw.push(',');
        raw.push_str(&serde_json::to_string(name).map_err(json_err)?);
        raw.push(':');
        raw.push_str(value.get());
    }
    raw.push(',');
    push_member(&mut raw, &opts.text_field, &page.text).map_err(json_err)?;
    raw.push('}');
    Ok(Record {
        id,
        text: page.text,
        fields,
        raw,
        origin,
    })
}

fn push_member(out: &mut String, name: &str, value: &str) -> Result<(), serde_json::Error> {
    out.push_str(&serde_json::to_string(name)?);
    out.push(':');
    out.push_str(&serde_json::to_string(value)?);
    Ok(())
}

/// Counts the (compressed) bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What the first bytes of a file named without a WARC extension show it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Warc,
    /// An ARC archive (the Internet Archive's format before WARC): its first record is
    /// a `filedesc://` line.
    Arc,
    Other,
}

/// Sniffs the file at `path` by its first bytes (decompressing a gzip file's first
/// bytes).
pub(crate) fn sniff_archive(path: &PathBuf) -> Sniffed {
    let Some(head) = first_bytes(path) else {
        return Sniffed::Other;
    };
    if WarcReader::sniff(&head) {
        Sniffed::Warc
    } else if head.trim_ascii_start().starts_with(b"filedesc://") {
        Sniffed::Arc
    } else {
        Sniffed::Other
    }
}

/// The first 64 bytes of a file, decompressed when it is gzip.
fn first_bytes(path: &PathBuf) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    let mut head = [0u8; 64];
    let n = super::stream::read_prefix(&mut file, &mut head).ok()?;
    if head[..n].starts_with(&[0x1f, 0x8b]) {
        let file = File::open(path).ok()?;
        let mut decoded = [0u8; 64];
        let mut gz = flate2::read::GzDecoder::new(file);
        let n = super::stream::read_prefix(&mut gz, &mut decoded).ok()?;
        return Some(decoded[..n].to_vec());
    }
    Some(head[..n].to_vec())
}
