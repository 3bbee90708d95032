//! Byte streams under the JSONL reader: byte counting (for the progress bar),
//! compression detection by magic bytes, checksums verified before any text of a
//! compressed source is used, and reading lines with a bounded buffer.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

/// Buffer size between the (decompressed) stream and the line splitter: large enough
/// that the per-`fill_buf` cost (a dynamic call, a syscall for plain files) disappears
/// against parsing.
const BUF_CAPACITY: usize = 256 << 10;

/// Capacity kept by the line buffer after an over-long line, so one huge line does not
/// pin `max_record_bytes` of memory for the rest of the run.
const SHRINK_TO: usize = 64 << 10;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Counts the bytes read from the underlying source (compressed bytes for a compressed
/// file), shared with [`Reader::bytes_read`](super::Reader::bytes_read).
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

/// Where a JSONL source's bytes come from.
pub(crate) enum Raw {
    /// A file, which can be read twice (see [`open`]).
    File(File),
    /// A stream read once (stdin, a pipe, an embedder's reader).
    Stream(Box<dyn Read + Send>),
}

/// Wraps a raw source for line reading, decompressing it when its first bytes are a
/// gzip or zstd magic number. Detection does not trust extensions, so a `.jsonl` that is
/// really gzip, or compressed data on stdin, is read correctly. Concatenated gzip members
/// and zstd frames are all read.
///
/// A compressed source is checked before it is read: a gzip member's CRC-32 and length,
/// and a zstd frame's checksum (when the frame has one), come at its end, so a streaming
/// decoder hands out the text of a damaged member before it can tell. [`check`]
/// decompresses the whole source once, without keeping anything, to find where the good
/// data ends; the stream returned then yields exactly those bytes and ends with a
/// [`Damage`] error. A stream (stdin) is first copied to an anonymous temporary file so
/// that it can be read twice. The cost is a second decompression (zlib-rs inflates a few
/// hundred MB a second), small against tokenising the text.
pub(crate) fn open(raw: Raw, counter: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let mut magic = [0u8; 4];
    // A pipe or device given as a path (`<(zcat ...)`) cannot be read twice.
    let raw = match raw {
        Raw::File(file) if !file.metadata()?.is_file() => Raw::Stream(Box::new(file)),
        raw => raw,
    };
    let (n, file) = match raw {
        Raw::File(mut file) => {
            let n = read_prefix(&mut file, &mut magic)?;
            (n, Ok(file))
        }
        Raw::Stream(mut stream) => {
            let n = read_prefix(&mut stream, &mut magic)?;
            (n, Err(stream))
        }
    };
    let format = if magic[..n].starts_with(&GZIP_MAGIC) {
        Some(Format::Gzip)
    } else if magic[..n] == ZSTD_MAGIC {
        Some(Format::Zstd)
    } else {
        None
    };
    let Some(format) = format else {
        // Plain text: read as it comes, the peeked bytes put back in front.
        let rest: Box<dyn Read + Send> = match file {
            Ok(file) => Box::new(file),
            Err(stream) => stream,
        };
        let counted = Counting {
            inner: Cursor::new(magic).take(n as u64).chain(rest),
            counter,
        };
        return Ok(Box::new(BufReader::with_capacity(BUF_CAPACITY, counted)));
    };
    let mut file = match file {
        Ok(mut file) => {
            file.seek(SeekFrom::Start(0))?;
            file
        }
        Err(stream) => {
            let mut spooled = tempfile::tempfile()?;
            io::copy(
                &mut Cursor::new(magic).take(n as u64).chain(stream),
                &mut spooled,
            )?;
            spooled.seek(SeekFrom::Start(0))?;
            spooled
        }
    };
    let checked = check(&mut file, format)?;
    file.seek(SeekFrom::Start(0))?;
    let counted = Counting {
        inner: file,
        counter,
    };
    let decoded: Box<dyn Read + Send> = match format {
        Format::Gzip => Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            BUF_CAPACITY,
            counted,
        ))),
        Format::Zstd => Box::new(zstd::stream::read::Decoder::new(counted)?),
    };
    Ok(Box::new(BufReader::with_capacity(
        BUF_CAPACITY,
        UpToDamage {
            inner: decoded,
            remaining: checked.good_len,
            damage: checked.damage,
        },
    )))
}

/// A compression format recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Gzip,
    Zstd,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Gzip => "gzip",
            Format::Zstd => "zstd",
        }
    }
}

/// Where and how a compressed source is damaged: the error the stream of [`open`] ends
/// with, recognised by the reader (`get_ref().downcast_ref::<Damage>()`) and reported
/// as [`ErrorKind::Compressed`](super::ErrorKind::Compressed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Damage {
    pub(crate) format: Format,
    /// The data stops before its end: the text decoded so far is sound (nothing checks
    /// it, but nothing altered it either), so it is kept.
    pub(crate) truncated: bool,
    /// Offset in the compressed file of the damaged gzip member or zstd frame.
    pub(crate) offset: u64,
    /// The decoder's message.
    pub(crate) detail: String,
}

impl Damage {
    /// The stable reason key: `gzip_corrupt`, `gzip_truncated`, `zstd_corrupt`,
    /// `zstd_truncated`.
    pub(crate) fn reason(&self) -> &'static str {
        match (self.format, self.truncated) {
            (Format::Gzip, false) => "gzip_corrupt",
            (Format::Gzip, true) => "gzip_truncated",
            (Format::Zstd, false) => "zstd_corrupt",
            (Format::Zstd, true) => "zstd_truncated",
        }
    }
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.format {
            Format::Gzip => "member",
            Format::Zstd => "frame",
        };
        let what = if self.truncated {
            "truncated"
        } else {
            "corrupt"
        };
        write!(
            f,
            "{} {unit} at byte {} is {what} ({})",
            self.format.name(),
            self.offset,
            self.detail
        )
    }
}

impl std::error::Error for Damage {}

/// What [`check`] found: the decompressed bytes that can be trusted, and the damage
/// after them, if any.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Checked {
    pub(crate) good_len: u64,
    pub(crate) damage: Option<Damage>,
}

/// Decompresses `input` member by member (gzip) or frame by frame (zstd) into nothing,
/// verifying each one's checksum, and returns how many decompressed bytes come before
/// the first damaged one. A corrupt member contributes none of its bytes: deflate and
/// zstd blocks carry no checksum of their own, so its text may be altered anywhere before
/// the error shows. A truncated one (the input ends inside it) contributes what it
/// decoded, which nothing altered. Reading stops at the first damage: the next member
/// cannot be found reliably, and a line may straddle the gap.
pub(crate) fn check(input: &mut impl Read, format: Format) -> io::Result<Checked> {
    let mut input = Consumed {
        inner: BufReader::with_capacity(BUF_CAPACITY, input),
        consumed: 0,
    };
    let mut good_len = 0u64;
    loop {
        if input.fill_buf()?.is_empty() {
            return Ok(Checked {
                good_len,
                damage: None,
            });
        }
        let offset = input.consumed;
        let mut decoded = Counted::default();
        let result = match format {
            Format::Gzip => io::copy(
                &mut flate2::bufread::GzDecoder::new(&mut input),
                &mut decoded,
            ),
            Format::Zstd => zstd::stream::read::Decoder::with_buffer(&mut input)
                .and_then(|d| io::copy(&mut d.single_frame(), &mut decoded)),
        };
        match result {
            Ok(_) => good_len += decoded.0,
            Err(e) => {
                let truncated = e.kind() == io::ErrorKind::UnexpectedEof;
                if truncated {
                    good_len += decoded.0;
                }
                return Ok(Checked {
                    good_len,
                    damage: Some(Damage {
                        format,
                        truncated,
                        offset,
                        detail: e.to_string(),
                    }),
                });
            }
        }
    }
}

/// A sink counting what it is given.
#[derive(Default)]
struct Counted(u64);

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A buffered reader that knows how many bytes its user consumed: the offset of the
/// next gzip member or zstd frame, since both decoders stop exactly at their end.
struct Consumed<R> {
    inner: BufReader<R>,
    consumed: u64,
}

impl<R: Read> Read for Consumed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: Read> BufRead for Consumed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

/// The decompressed stream cut where [`check`] found damage, ending with the
/// [`Damage`] as an error instead of the damaged text.
struct UpToDamage {
    inner: Box<dyn Read + Send>,
    remaining: u64,
    damage: Option<Damage>,
}

impl Read for UpToDamage {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return match &self.damage {
                Some(damage) => Err(io::Error::new(io::ErrorKind::InvalidData, damage.clone())),
                None => Ok(0),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            // The file changed under us since the check: report what is missing.
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "compressed input changed while being read",
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Reads up to `buf.len()` bytes, fewer only at end of stream (a pipe may deliver the
/// first bytes one at a time).
pub(crate) fn read_prefix(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// No more bytes.
    Eof,
    /// A line is in the buffer, without its `\n` (the last line may lack one).
    Complete,
    /// The line was longer than the limit and has been skipped; `seen` is its length.
    TooLong { seen: u64 },
}

/// Reads the next line into `buf` (cleared first), holding at most `limit + 1` bytes of
/// it: a longer line is discarded chunk by chunk as it streams past, so a corrupt file
/// with no newlines cannot exhaust memory. The line's length, excluding the `\n`, may be
/// at most `limit`.
pub(crate) fn read_line(
    input: &mut (dyn BufRead + Send),
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Line> {
    buf.clear();
    // `limit + 1` so that a line of exactly `limit` bytes still brings its `\n` along.
    let cap = (limit as u64).saturating_add(1);
    let n = Read::take(&mut *input, cap).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok(Line::Complete);
    }
    if buf.len() <= limit {
        return Ok(Line::Complete); // last line, no final newline
    }
    let mut seen = buf.len() as u64;
    buf.clear();
    buf.shrink_to(SHRINK_TO);
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                seen += i as u64;
                input.consume(i + 1);
                break;
            }
            None => {
                let len = chunk.len();
                seen += len as u64;
                input.consume(len);
            }
        }
    }
    Ok(Line::TooLong { seen })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], limit: usize) -> Vec<(Line, Vec<u8>)> {
        let mut input: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(7, Cursor::new(data.to_vec())));
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            let line = read_line(&mut *input, &mut buf, limit).unwrap();
            if line == Line::Eof {
                return out;
            }
            out.push((line, buf.clone()));
        }
    }

    #[test]
    fn splits_lines_at_the_limit_exactly() {
        let got = lines(b"abcd\nabcde\nabc\n\nxy", 4);
        assert_eq!(
            got,
            vec![
                (Line::Complete, b"abcd".to_vec()),
                (Line::TooLong { seen: 5 }, vec![]),
                (Line::Complete, b"abc".to_vec()),
                (Line::Complete, vec![]),
                (Line::Complete, b"xy".to_vec()),
            ]
        );
    }

    #[test]
    fn long_line_at_end_of_stream_without_newline() {
        let got = lines(b"ok\n0123456789012345678901234567890123456789", 10);
        assert_eq!(
            got,
            vec![
                (Line::Complete, b"ok".to_vec()),
                (Line::TooLong { seen: 40 }, vec![]),
            ]
        );
    }

    #[test]
    fn buffer_stays_bounded_by_the_limit_on_a_huge_line() {
        let limit = 1 << 20;
        let mut data = vec![b'x'; 40 << 20];
        data.extend_from_slice(b"\nnext\n");
        let mut input: Box<dyn BufRead + Send> = Box::new(Cursor::new(data));
        let mut buf = Vec::new();
        let line = read_line(&mut *input, &mut buf, limit).unwrap();
        assert_eq!(line, Line::TooLong { seen: 40 << 20 });
        assert!(buf.capacity() <= SHRINK_TO, "kept {}", buf.capacity());
        assert_eq!(
            read_line(&mut *input, &mut buf, limit).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"next");
    }

    #[test]
    fn buffer_never_grows_past_about_twice_the_limit() {
        // The same bounded read `read_line` does: the buffer's peak is what matters.
        let limit = 1 << 20;
        let data = vec![b'x'; 40 << 20];
        let mut input: Box<dyn BufRead + Send> = Box::new(Cursor::new(data));
        let mut buf = Vec::with_capacity(0);
        Read::take(&mut input, limit as u64 + 1)
            .read_until(b'\n', &mut buf)
            .unwrap();
        assert_eq!(buf.len(), limit + 1);
        assert!(buf.capacity() <= 2 * (limit + 1) + BUF_CAPACITY);
    }

    #[test]
    fn detects_compression_by_magic_and_counts_raw_bytes() {
        use std::io::Write;
        let text = b"{\"text\":\"a\"}\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::encode_all(&text[..], 1).unwrap();
        for data in [text.clone(), gz, zst] {
            let counter = Arc::new(AtomicU64::new(0));
            let raw = Raw::Stream(Box::new(Cursor::new(data.clone())));
            let mut stream = open(raw, counter.clone()).unwrap();
            let mut out = Vec::new();
            stream.read_to_end(&mut out).unwrap();
            assert_eq!(out, text);
            assert_eq!(counter.load(Ordering::Relaxed), data.len() as u64);
        }
    }

    #[test]
    fn tiny_streams_are_plain() {
        for data in [&b""[..], b"\x1f", b"{}", b"\x28\xb5\x2f"] {
            let raw = Raw::Stream(Box::new(Cursor::new(data.to_vec())));
            let mut stream = open(raw, Arc::new(AtomicU64::new(0))).unwrap();
            let mut out = Vec::new();
            stream.read_to_end(&mut out).unwrap();
            assert_eq!(out, data);
        }
    }
}
