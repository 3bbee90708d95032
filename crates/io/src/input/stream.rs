//! Byte streams under the JSONL reader: byte counting (for the progress bar),
//! compression detection by magic bytes, and reading lines with a bounded buffer.

use std::io::{self, BufRead, BufReader, Cursor, Read};
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

/// Wraps a raw source for line reading, decompressing it when its first bytes are a
/// gzip or zstd magic number. Detection does not trust extensions, so a `.jsonl` that is
/// really gzip, or compressed data on stdin, is read correctly. Concatenated gzip members
/// and zstd frames are all read.
pub(crate) fn open(
    raw: Box<dyn Read + Send>,
    counter: Arc<AtomicU64>,
) -> io::Result<Box<dyn BufRead + Send>> {
    let mut counted = Counting {
        inner: raw,
        counter,
    };
    let mut magic = [0u8; 4];
    let n = read_prefix(&mut counted, &mut magic)?;
    // Put the peeked bytes back in front of the stream.
    let whole = Cursor::new(magic).take(n as u64).chain(counted);
    let stream: Box<dyn BufRead + Send> = if magic[..n].starts_with(&GZIP_MAGIC) {
        Box::new(BufReader::with_capacity(
            BUF_CAPACITY,
            MultiGzDecoder::new(whole),
        ))
    } else if magic[..n] == ZSTD_MAGIC {
        Box::new(BufReader::with_capacity(
            BUF_CAPACITY,
            zstd::stream::read::Decoder::new(whole)?,
        ))
    } else {
        Box::new(BufReader::with_capacity(BUF_CAPACITY, whole))
    };
    Ok(stream)
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
            let mut stream = open(Box::new(Cursor::new(data.clone())), counter.clone()).unwrap();
            let mut out = Vec::new();
            stream.read_to_end(&mut out).unwrap();
            assert_eq!(out, text);
            assert_eq!(counter.load(Ordering::Relaxed), data.len() as u64);
        }
    }

    #[test]
    fn tiny_streams_are_plain() {
        for data in [&b""[..], b"\x1f", b"{}", b"\x28\xb5\x2f"] {
            let mut stream = open(
                Box::new(Cursor::new(data.to_vec())),
                Arc::new(AtomicU64::new(0)),
            )
            .unwrap();
            let mut out = Vec::new();
            stream.read_to_end(&mut out).unwrap();
            assert_eq!(out, data);
        }
    }
}
