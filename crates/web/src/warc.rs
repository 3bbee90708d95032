//! A streaming WARC reader (ISO 28500, WARC 1.0 and 1.1; WET files are WARC too).
//!
//! # Why not a crate
//!
//! The format is simple (a version line, header lines, a blank line, `Content-Length`
//! bytes of block, CRLF CRLF), and what matters here is the behaviour on damaged input,
//! which general-purpose readers treat as fatal: reprint must say *where* an archive is
//! damaged and then carry on with the rest of it.
//!
//! # Reading
//!
//! - **Plain or gzip**, detected from the first bytes. A `.warc.gz` is a series of gzip
//!   members, normally one record per member. Members are decoded one at a time with
//!   `flate2::bufread::GzDecoder`, which stops exactly at the member's end, so the
//!   compressed offset of every member is known: it is the offset reported for the
//!   records in it (the same offsets CDX indexes use). An archive compressed as one
//!   single gzip stream is read too (all its records then carry offset 0).
//! - **Bounded memory**: a record's block is read whole only up to `max_block` bytes.
//!   A longer one is streamed past; its first [`OVERSIZED_KEEP`] bytes are kept so the
//!   caller can still tell what it was (a 100 MB video is skipped by type, a 100 MB HTML
//!   page is an error).
//!
//! # Damage and recovery
//!
//! Every problem is yielded as a [`WarcError`] (offset, record id when known, kind) and
//! reading goes on:
//!
//! - **A truncated or corrupt gzip member** ([`WarcErrorKind::Truncated`],
//!   [`WarcErrorKind::Corrupt`]): the compressed stream is searched for the next gzip
//!   member header and reading resumes there. A truncation at the end of the file simply
//!   ends it. A member's CRC-32 is checked before its record is handed out, so altered
//!   text is never used (records sharing one member with the next are the exception; see
//!   `member_verified`).
//! - **A record whose `Content-Length` lies** ([`WarcErrorKind::BadLength`]): detected
//!   because the block is not followed by CRLF CRLF, or the gzip member (or the file)
//!   ends before the declared length. When the declared length is too long, the next
//!   record's `WARC/` line is looked for inside what was read and reading resumes there;
//!   when it is too short, the stream is scanned forward to the next `WARC/` line. In a
//!   record-per-member archive the member's end also bounds the damage.
//! - **Something that is not a record header** ([`WarcErrorKind::Malformed`]): skipped
//!   the same way, to the next `WARC/` line.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use crate::http::header;

/// How much of an oversized block is kept (enough for the HTTP headers).
pub const OVERSIZED_KEEP: usize = 64 << 10;

/// Longest header block accepted for one record.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// The line that starts every record.
const RECORD_START: &[u8] = b"WARC/";

/// One WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Byte offset of the record in the file; in a gzip archive, the offset of the gzip
    /// member it is in.
    pub offset: u64,
    /// Header fields in order (names as written).
    pub headers: Vec<(String, String)>,
    /// The record block. For an [oversized](Self::oversized) record, only its first
    /// [`OVERSIZED_KEEP`] bytes.
    pub block: Vec<u8>,
    /// The `Content-Length` the record declares.
    pub declared_length: u64,
    /// The block was longer than the reader's `max_block` and was not kept whole.
    pub oversized: bool,
}

impl WarcRecord {
    /// The first header field called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `warcinfo`, `conversion`...).
    pub fn warc_type(&self) -> String {
        self.header("warc-type")
            .unwrap_or("unknown")
            .trim()
            .to_ascii_lowercase()
    }

    /// `WARC-Record-ID` without its angle brackets (`urn:uuid:...`).
    pub fn record_id(&self) -> Option<&str> {
        self.header("warc-record-id").map(strip_brackets)
    }

    /// `WARC-Target-URI` (angle brackets, which WARC 1.0 examples show, removed).
    pub fn target_uri(&self) -> Option<&str> {
        self.header("warc-target-uri").map(strip_brackets)
    }
}

fn strip_brackets(value: &str) -> &str {
    let value = value.trim();
    value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value)
}

/// A damaged part of an archive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{kind}", At { offset: *offset, record_id: record_id.as_deref() })]
pub struct WarcError {
    /// Offset of the record (or gzip member) where the problem is.
    pub offset: u64,
    /// The record's `WARC-Record-ID`, when its header could be read.
    pub record_id: Option<String>,
    pub kind: WarcErrorKind,
}

/// What is wrong. Each kind has a stable [`reason`](WarcErrorKind::reason) key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarcErrorKind {
    /// A gzip member is truncated, or the file ends inside a record.
    #[error("truncated: {0}")]
    Truncated(String),
    /// A gzip member fails its CRC-32 or length check, or holds invalid deflate data:
    /// its records may be altered anywhere, so none of them is used.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// The record's `Content-Length` does not match its block.
    #[error("record length is wrong: {0}")]
    BadLength(String),
    /// Bytes that are not a WARC record where one should start, or a header without a
    /// valid `Content-Length`.
    #[error("malformed record: {0}")]
    Malformed(String),
    /// Reading the file failed.
    #[error("read error: {0}")]
    Io(String),
}

impl WarcErrorKind {
    /// Stable snake_case key, for counting. Never rename one.
    pub fn reason(&self) -> &'static str {
        match self {
            WarcErrorKind::Truncated(_) => "warc_truncated",
            WarcErrorKind::Corrupt(_) => "gzip_corrupt",
            WarcErrorKind::BadLength(_) => "warc_bad_length",
            WarcErrorKind::Malformed(_) => "warc_malformed",
            WarcErrorKind::Io(_) => "io",
        }
    }
}

/// `record <id> at offset N: ` / `offset N: `.
struct At<'a> {
    offset: u64,
    record_id: Option<&'a str>,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record_id {
            Some(id) => write!(f, "record <{id}> at offset {}: ", self.offset),
            None => write!(f, "offset {}: ", self.offset),
        }
    }
}

/// Most compressed bytes of one gzip member kept for replay (see [`Tracked`]).
const REPLAY_LIMIT: usize = 64 << 20;

/// The compressed stream: a buffered reader that counts the bytes consumed, so the
/// position of every gzip member is exact, and that can replay the bytes of the current
/// member. The decoder of a truncated member reads on into the next member's bytes
/// before it notices; replaying lets the search for the next member start right after
/// the damaged one's header instead of where the decoder gave up.
struct Tracked {
    inner: BufReader<Box<dyn Read + Send>>,
    pos: u64,
    /// Bytes consumed since the current member started, while recording.
    replay: Option<Vec<u8>>,
    /// Bytes put back in front of the stream.
    pending: Vec<u8>,
    pending_at: usize,
}

impl Tracked {
    /// Starts recording the bytes of a new member.
    fn start_member(&mut self) {
        self.replay = Some(Vec::new());
    }

    /// After a damaged member that started at `start`: puts the stream back at the next
    /// gzip member header found after `start`, if the member's bytes were recorded and
    /// hold one. Returns whether it did.
    fn rewind_to_next_member(&mut self, start: u64) -> bool {
        let Some(replay) = self.replay.take() else {
            return false;
        };
        let Some(at) = find_gzip_header(&replay, 1) else {
            return false;
        };
        let mut pending = replay[at..].to_vec();
        pending.extend_from_slice(&self.pending[self.pending_at..]);
        self.pending = pending;
        self.pending_at = 0;
        self.pos = start + at as u64;
        true
    }
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Tracked {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pending_at < self.pending.len() {
            return Ok(&self.pending[self.pending_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        let consumed: &[u8] = if self.pending_at < self.pending.len() {
            let from = self.pending_at;
            self.pending_at += amt;
            &self.pending[from..self.pending_at.min(self.pending.len())]
        } else {
            let buf = self.inner.buffer();
            &buf[..amt.min(buf.len())]
        };
        if let Some(replay) = self.replay.as_mut() {
            if replay.len() + consumed.len() <= REPLAY_LIMIT {
                replay.extend_from_slice(consumed);
            } else {
                self.replay = None;
            }
        }
        if self.pending_at >= self.pending.len() && !self.pending.is_empty() {
            self.pending.clear();
            self.pending_at = 0;
        } else if self.pending.is_empty() {
            self.inner.consume(amt);
        }
        self.pos += amt as u64;
    }
}

/// Position of the first plausible gzip member header (`1f 8b 08`, flags with the
/// reserved bits clear) in `bytes` at or after `from`.
fn find_gzip_header(bytes: &[u8], from: usize) -> Option<usize> {
    let mut from = from;
    while let Some(p) = memchr::memmem::find(bytes.get(from..)?, &[0x1f, 0x8b, 0x08]) {
        let at = from + p;
        if bytes.get(at + 3).is_none_or(|flags| flags & 0xe0 == 0) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A `BufRead` with bytes pushed back in front of it, and a count of the bytes consumed
/// from the logical stream.
struct Peek<B> {
    inner: B,
    pending: Vec<u8>,
    pending_at: usize,
    pos: u64,
}

impl<B: BufRead> Peek<B> {
    fn new(inner: B, pos: u64) -> Self {
        Peek {
            inner,
            pending: Vec::new(),
            pending_at: 0,
            pos,
        }
    }

    /// Puts `bytes` back in front of the stream.
    fn unread(&mut self, bytes: &[u8]) {
        let mut pending = bytes.to_vec();
        pending.extend_from_slice(&self.pending[self.pending_at..]);
        self.pending = pending;
        self.pending_at = 0;
        self.pos -= bytes.len() as u64;
    }
}

impl<B: BufRead> Read for Peek<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<B: BufRead> BufRead for Peek<B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pending_at < self.pending.len() {
            return Ok(&self.pending[self.pending_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.pending_at < self.pending.len() {
            self.pending_at += amt;
            if self.pending_at >= self.pending.len() {
                self.pending.clear();
                self.pending_at = 0;
            }
        } else {
            self.inner.consume(amt);
        }
        self.pos += amt as u64;
    }
}

type Member = Peek<BufReader<flate2::bufread::GzDecoder<Tracked>>>;

/// Where the reader is.
enum State {
    /// An uncompressed archive.
    Plain(Peek<Tracked>),
    /// Between gzip members.
    Between(Tracked),
    /// Inside the gzip member that starts at `start`.
    InMember { start: u64, member: Box<Member> },
    /// Finished (or failed beyond recovery).
    Done,
}

/// An iterator over the records of one archive; see the [module docs](self).
pub struct WarcReader {
    state: State,
    max_block: usize,
}

impl WarcReader {
    /// A reader over `input`, an archive plain or gzip-compressed (detected from its first
    /// bytes). Blocks longer than `max_block` are not kept whole (see
    /// [`WarcRecord::oversized`]).
    pub fn new(input: Box<dyn Read + Send>, max_block: usize) -> io::Result<WarcReader> {
        let mut tracked = Tracked {
            inner: BufReader::with_capacity(256 << 10, input),
            pos: 0,
            replay: None,
            pending: Vec::new(),
            pending_at: 0,
        };
        let head = tracked.fill_buf()?;
        let state = if head.starts_with(&[0x1f, 0x8b]) {
            State::Between(tracked)
        } else {
            State::Plain(Peek::new(tracked, 0))
        };
        Ok(WarcReader { state, max_block })
    }

    /// Whether `bytes` (the first bytes of a file, decompressed if need be) look like a
    /// WARC archive.
    pub fn sniff(bytes: &[u8]) -> bool {
        let bytes = bytes.trim_ascii_start();
        bytes.starts_with(b"WARC/1.") || bytes.starts_with(b"WARC/0.")
    }
}

impl Iterator for WarcReader {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Plain(mut peek) => {
                    let item = read_record(&mut peek, 0, false, self.max_block);
                    match item {
                        Step::End => return None,
                        Step::Item(item) => {
                            self.state = State::Plain(peek);
                            return Some(item);
                        }
                        Step::Fatal(err) => return Some(Err(err)),
                    }
                }
                State::Between(mut tracked) => {
                    let start = tracked.pos;
                    match tracked.fill_buf() {
                        Ok([]) => return None,
                        Ok(_) => {}
                        Err(e) => {
                            return Some(Err(WarcError {
                                offset: start,
                                record_id: None,
                                kind: WarcErrorKind::Io(e.to_string()),
                            }))
                        }
                    }
                    tracked.start_member();
                    let decoder = flate2::bufread::GzDecoder::new(tracked);
                    let member = Peek::new(BufReader::with_capacity(64 << 10, decoder), 0);
                    self.state = State::InMember {
                        start,
                        member: Box::new(member),
                    };
                }
                State::InMember { start, mut member } => {
                    let mut step = read_record(&mut member, start, true, self.max_block);
                    if let Step::Item(Ok(record)) = &step {
                        // A member's checksum comes after its record: check it before the
                        // record is used (see `member_verified`).
                        if let Err(e) = member_verified(&mut member) {
                            step = Step::Fatal(WarcError {
                                offset: start,
                                record_id: record_id(&record.headers),
                                kind: stream_error(true, e),
                            });
                        }
                    }
                    match step {
                        Step::Item(item) => {
                            self.state = State::InMember { start, member };
                            return Some(item);
                        }
                        Step::End => {
                            // The member is finished: go on right after it.
                            let mut tracked = member.inner.into_inner().into_inner();
                            tracked.replay = None;
                            self.state = State::Between(tracked);
                        }
                        Step::Fatal(err) => {
                            // Corrupt or truncated member: look for the next one.
                            let mut tracked = member.inner.into_inner().into_inner();
                            if tracked.rewind_to_next_member(start) {
                                // Another member starts inside this one: it was cut short
                                // (what the decoder saw as bad data is the next member).
                                let mut err = err;
                                if let WarcErrorKind::Corrupt(detail) = &err.kind {
                                    err.kind = WarcErrorKind::Truncated(format!(
                                        "gzip member is cut short by the next one ({detail})"
                                    ));
                                }
                                self.state = State::Between(tracked);
                                return Some(Err(err));
                            }
                            match seek_gzip_member(&mut tracked) {
                                Ok(true) => self.state = State::Between(tracked),
                                Ok(false) => {}
                                Err(e) => {
                                    self.state = State::Done;
                                    return Some(Err(WarcError {
                                        offset: tracked.pos,
                                        record_id: None,
                                        kind: WarcErrorKind::Io(e.to_string()),
                                    }));
                                }
                            }
                            return Some(Err(err));
                        }
                    }
                }
            }
        }
    }
}

/// Reads on to the end of the gzip member when only whitespace is left of it after a
/// record, which makes the decoder check the member's CRC-32 and length: a record whose
/// member fails is never handed out. When another record follows in the same member (an
/// archive compressed as one gzip stream), the record is handed out unchecked: holding
/// every record of a many-gigabyte member until its end is not bounded memory, and the
/// damage is still reported, at the member's end.
fn member_verified(member: &mut Member) -> io::Result<()> {
    skip_whitespace(member)?;
    member.fill_buf().map(|_| ())
}

/// What one attempt to read a record gave.
enum Step {
    /// Clean end of the stream (or gzip member).
    End,
    /// A record, or a damaged one the stream recovered from.
    Item(Result<WarcRecord, WarcError>),
    /// The stream itself failed (corrupt compressed data, I/O error): it cannot go on.
    Fatal(WarcError),
}

/// Reads the next record from `s`. `member_start` is the offset reported in a gzip
/// archive (`in_member`); in a plain one, the record's own offset is.
fn read_record<B: BufRead>(
    s: &mut Peek<B>,
    member_start: u64,
    in_member: bool,
    max_block: usize,
) -> Step {
    let fatal = |offset: u64, record_id: Option<String>, e: io::Error| {
        Step::Fatal(WarcError {
            offset,
            record_id,
            kind: stream_error(in_member, e),
        })
    };
    // Blank lines between records.
    if let Err(e) = skip_whitespace(s) {
        return fatal(member_start, None, e);
    }
    let offset = if in_member { member_start } else { s.pos };
    let err = |record_id: Option<String>, kind: WarcErrorKind| {
        Step::Item(Err(WarcError {
            offset,
            record_id,
            kind,
        }))
    };
    let mut line = Vec::new();
    match read_line(s, &mut line, 64 << 10) {
        Ok(0) => return Step::End,
        Ok(_) => {}
        Err(e) => return fatal(offset, None, e),
    }
    if !line.starts_with(RECORD_START) {
        let shown = String::from_utf8_lossy(&line[..line.len().min(40)])
            .trim()
            .to_owned();
        if let Err(e) = resync(s, line.ends_with(b"\n")) {
            return fatal(offset, None, e);
        }
        return err(
            None,
            WarcErrorKind::Malformed(format!("expected a `WARC/1.x` line, found {shown:?}")),
        );
    }

    // Header fields, up to the blank line.
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut header_bytes = 0usize;
    loop {
        line.clear();
        match read_line(s, &mut line, 64 << 10) {
            Ok(0) => {
                let id = record_id(&headers);
                return err(
                    id,
                    WarcErrorKind::Truncated("the data ends inside the record header".into()),
                );
            }
            Ok(n) => header_bytes += n,
            Err(e) => return fatal(offset, record_id(&headers), e),
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if header_bytes > MAX_HEADER_BYTES {
            let id = record_id(&headers);
            if let Err(e) = resync(s, true) {
                return fatal(offset, id, e);
            }
            return err(id, WarcErrorKind::Malformed("header block too long".into()));
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
        } else if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let id = record_id(&headers);
    let Some(length) =
        header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
    else {
        if let Err(e) = resync(s, true) {
            return fatal(offset, id, e);
        }
        return err(
            id,
            WarcErrorKind::Malformed("no valid Content-Length header".into()),
        );
    };

    // The block.
    let oversized = length > max_block as u64;
    let keep = if oversized {
        OVERSIZED_KEEP as u64
    } else {
        length
    };
    let mut block = Vec::with_capacity(keep.min(64 << 20) as usize);
    if let Err(e) = s.take(keep).read_to_end(&mut block) {
        return fatal(offset, id, e);
    }
    let mut got = block.len() as u64;
    if oversized && got == keep {
        match io::copy(&mut s.take(length - keep), &mut io::sink()) {
            Ok(n) => got += n,
            Err(e) => return fatal(offset, id, e),
        }
    }
    if got < length {
        // The stream ended early. If a record starts inside what was read, the length
        // is too long; otherwise the data was cut.
        if let Some(next) = find_record_start(&block) {
            s.unread(&block[next..]);
            return err(
                id,
                WarcErrorKind::BadLength(format!(
                    "declares {length} bytes, but the next record starts after {next}"
                )),
            );
        }
        let kind = if in_member {
            WarcErrorKind::BadLength(format!(
                "declares {length} bytes, but its gzip member holds only {got}"
            ))
        } else {
            WarcErrorKind::Truncated(format!(
                "declares {length} bytes, but the file ends after {got}"
            ))
        };
        return err(id, kind);
    }

    // The CRLF CRLF that ends every record.
    match expect_trailer(s) {
        Ok(true) => {}
        Ok(false) => {
            // Too long a length swallowed the next record: find it in the block.
            if let Some(next) = find_record_start(&block) {
                s.unread(&block[next..]);
                return err(
                    id,
                    WarcErrorKind::BadLength(format!(
                        "declares {length} bytes, but the next record starts after {next}"
                    )),
                );
            }
            // Too short: skip forward to the next record.
            if let Err(e) = resync(s, false) {
                return fatal(offset, id, e);
            }
            return err(
                id,
                WarcErrorKind::BadLength(format!(
                    "the {length} bytes it declares are not followed by the end of the record"
                )),
            );
        }
        Err(e) => return fatal(offset, id, e),
    }
    Step::Item(Ok(WarcRecord {
        offset,
        headers,
        block,
        declared_length: length,
        oversized,
    }))
}

/// The kind of an error from the stream itself: inside a gzip member, a truncated or a
/// corrupt member (flate2 reports input ending early as `UnexpectedEof`, a bad checksum
/// or bad deflate data otherwise); in a plain archive, an I/O error.
fn stream_error(in_member: bool, e: io::Error) -> WarcErrorKind {
    if !in_member {
        WarcErrorKind::Io(e.to_string())
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        WarcErrorKind::Truncated(format!("gzip member is truncated ({e})"))
    } else {
        WarcErrorKind::Corrupt(format!("gzip member is corrupt ({e})"))
    }
}

fn record_id(headers: &[(String, String)]) -> Option<String> {
    header(headers, "warc-record-id").map(|v| strip_brackets(v).to_owned())
}

/// Reads one line (with its `\n`) of at most `limit` bytes; returns the bytes read.
fn read_line<B: BufRead>(s: &mut B, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    s.take(limit as u64).read_until(b'\n', line)
}

fn skip_whitespace<B: BufRead>(s: &mut B) -> io::Result<()> {
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let n = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let all = n == buf.len();
        s.consume(n);
        if !all {
            return Ok(());
        }
    }
}

/// Consumes the record trailer: `\r\n\r\n` (or `\n\n`). Also accepted: the end of the
/// stream, and a next record that starts right away after one line break (writers that
/// omit or shorten the trailer). Returns false, consuming nothing, when something else
/// follows.
fn expect_trailer<B: BufRead>(s: &mut Peek<B>) -> io::Result<bool> {
    let mut seen = Vec::with_capacity(4);
    while seen.len() < 4 {
        let buf = s.fill_buf()?;
        let Some(&b) = buf.first() else {
            return Ok(true);
        };
        if b != b'\r' && b != b'\n' {
            break;
        }
        seen.push(b);
        s.consume(1);
    }
    let newlines = seen.iter().filter(|&&c| c == b'\n').count();
    if newlines >= 2 {
        return Ok(true);
    }
    let next = peek_bytes(s, RECORD_START.len())?;
    if next.is_empty() || next == RECORD_START {
        return Ok(true);
    }
    s.unread(&seen);
    Ok(false)
}

/// The next `n` bytes of the stream (fewer at its end), left unconsumed.
fn peek_bytes<B: BufRead>(s: &mut Peek<B>, n: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(n);
    s.take(n as u64).read_to_end(&mut bytes)?;
    s.unread(&bytes);
    Ok(bytes)
}

/// Where a record starts inside `block`: a `WARC/1.` line right after a blank line.
fn find_record_start(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&block[from..], b"\nWARC/") {
        let at = from + p + 1;
        let before = &block[..at];
        if before.ends_with(b"\r\n\r\n") || before.ends_with(b"\n\n") {
            return Some(at);
        }
        from = at;
    }
    None
}

/// Skips forward to the next line that starts with `WARC/` (or to the end).
/// `at_line_start` says whether the last byte consumed ended a line.
fn resync<B: BufRead>(s: &mut Peek<B>, at_line_start: bool) -> io::Result<()> {
    const PATTERN: &[u8] = b"\nWARC/";
    let mut matched = usize::from(at_line_start);
    loop {
        let buf = s.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let mut consumed = 0;
        let mut found = false;
        for &b in buf {
            consumed += 1;
            if b == PATTERN[matched] {
                matched += 1;
                if matched == PATTERN.len() {
                    found = true;
                    break;
                }
            } else {
                matched = usize::from(b == b'\n');
            }
        }
        s.consume(consumed);
        if found {
            s.unread(&PATTERN[1..]);
            return Ok(());
        }
    }
}

/// After a corrupt member, moves `tracked` to the next gzip member header (`1f 8b 08`
/// and a flags byte with its reserved bits clear); returns false when there is none.
/// The decoder never reads past a member's end, so the search starts where it stopped.
/// (A header split across two buffer fills is missed, which loses that one member.)
fn seek_gzip_member(tracked: &mut Tracked) -> io::Result<bool> {
    loop {
        let buf = tracked.fill_buf()?;
        if buf.len() < 4 {
            let n = buf.len();
            tracked.consume(n);
            if n == 0 {
                return Ok(false);
            }
            continue;
        }
        if let Some(at) = find_gzip_header(buf, 0) {
            tracked.consume(at);
            return Ok(true);
        }
        let n = buf.len() - 3;
        tracked.consume(n);
    }
}
