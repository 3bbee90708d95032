//! A spool of document texts in a temporary file, so a scan can drop texts from memory
//! after the first pass and still read back the few it must align in the second.
//!
//! Texts are appended in input order during pass 1 (sequential writes); pass 2 reads
//! any of them by position from any thread with positional reads, leaving caching to the
//! operating system's page cache. Memory stays at eight bytes per document.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The write side: append texts in order.
#[derive(Debug)]
pub struct SpoolWriter {
    out: BufWriter<File>,
    offsets: Vec<u64>,
    written: u64,
}

impl SpoolWriter {
    /// A spool in a new anonymous temporary file (deleted when dropped).
    pub fn new() -> io::Result<Self> {
        Ok(Self::over(tempfile::tempfile()?))
    }

    /// A spool in a new file at `path` (a scan's work folder keeps it between runs: see
    /// [`crate::stage`]).
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self::over(File::create(path)?))
    }

    fn over(file: File) -> Self {
        SpoolWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            offsets: vec![0],
            written: 0,
        }
    }

    /// Appends the next document's text; returns its position.
    pub fn append(&mut self, text: &str) -> io::Result<usize> {
        self.out.write_all(text.as_bytes())?;
        self.written += text.len() as u64;
        self.offsets.push(self.written);
        Ok(self.offsets.len() - 2)
    }

    /// Appends the next document's text as already encoded bytes (a work folder's
    /// zstd frames, read back by [`SpoolReader::open_compressed`]); returns its position.
    pub fn append_encoded(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        self.offsets.push(self.written);
        Ok(self.offsets.len() - 2)
    }

    /// Ends writing; the texts can now be read back.
    pub fn finish(self) -> io::Result<SpoolReader> {
        let mut out = self.out;
        out.flush()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        Ok(SpoolReader {
            parts: vec![Part {
                file,
                first: 0,
                offsets: self.offsets,
                kept: None,
                compressed: false,
            }],
            len: 0,
        }
        .counted())
    }
}

/// One file of a spool: the texts at positions `first..` and their byte offsets.
#[derive(Debug)]
struct Part {
    file: File,
    first: usize,
    offsets: Vec<u64>,
    /// The texts of the file that are the part's, by index, when not all are.
    kept: Option<Vec<u32>>,
    /// Each text is a zstd frame.
    compressed: bool,
}

impl Part {
    fn len(&self) -> usize {
        self.kept
            .as_ref()
            .map_or(self.offsets.len() - 1, |kept| kept.len())
    }
}

/// The read side: any text by position, from any thread. A spool may span several
/// files (the shards of a scan's pass 1, [`SpoolReader::concat`]).
#[derive(Debug)]
pub struct SpoolReader {
    parts: Vec<Part>,
    len: usize,
}

impl SpoolReader {
    /// The texts of the file at `path`, whose text lengths in order are `lengths`
    /// (the file must be exactly as long as they add up to).
    pub fn open(path: &Path, lengths: &[u64]) -> io::Result<Self> {
        Self::open_as(path, lengths, false)
    }

    /// [`SpoolReader::open`] over texts stored as one zstd frame each (`lengths` are
    /// the frames' lengths): see [`encode_text`].
    pub fn open_compressed(path: &Path, lengths: &[u64]) -> io::Result<Self> {
        Self::open_as(path, lengths, true)
    }

    fn open_as(path: &Path, lengths: &[u64], compressed: bool) -> io::Result<Self> {
        let file = File::open(path)?;
        let mut offsets = Vec::with_capacity(lengths.len() + 1);
        let mut at = 0u64;
        offsets.push(0);
        for &len in lengths {
            at += len;
            offsets.push(at);
        }
        let size = file.metadata()?.len();
        if size != at {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} holds {size} bytes of text, its index says {at}",
                    path.display()
                ),
            ));
        }
        Ok(SpoolReader {
            parts: vec![Part {
                file,
                first: 0,
                offsets,
                kept: None,
                compressed,
            }],
            len: 0,
        }
        .counted())
    }

    /// Only the texts at `kept` (increasing positions), renumbered from 0: a merge that
    /// drops a document keeps the others' positions dense. Fails unless the reader is
    /// one file read whole and every position is in it.
    pub fn keep_only(mut self, kept: Vec<u32>) -> io::Result<Self> {
        let [part] = &mut self.parts[..] else {
            return Err(io::Error::other("keep_only needs a spool of one file"));
        };
        let n = part.offsets.len() - 1;
        if part.kept.is_some()
            || kept.windows(2).any(|w| w[0] >= w[1])
            || kept.last().is_some_and(|&k| k as usize >= n)
        {
            return Err(io::Error::other(
                "keep_only: positions out of order or range",
            ));
        }
        part.kept = Some(kept);
        Ok(self.counted())
    }

    /// One spool of the texts of `spools`, in order.
    pub fn concat(spools: Vec<SpoolReader>) -> Self {
        let parts = spools.into_iter().flat_map(|s| s.parts).collect();
        SpoolReader { parts, len: 0 }.counted()
    }

    /// Numbers the parts' positions one after another.
    fn counted(mut self) -> Self {
        let mut first = 0;
        for part in &mut self.parts {
            part.first = first;
            first += part.len();
        }
        self.len = first;
        self
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text at `position`.
    pub fn get(&self, position: usize) -> io::Result<String> {
        let missing = || {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no text at spool position {position}"),
            )
        };
        let at = self.parts.partition_point(|p| p.first <= position);
        let part = at
            .checked_sub(1)
            .and_then(|i| self.parts.get(i))
            .ok_or_else(missing)?;
        let mut local = position - part.first;
        if let Some(kept) = &part.kept {
            local = *kept.get(local).ok_or_else(missing)? as usize;
        }
        let (Some(&start), Some(&end)) = (part.offsets.get(local), part.offsets.get(local + 1))
        else {
            return Err(missing());
        };
        let mut buf = vec![0u8; (end - start) as usize];
        read_exact_at(&part.file, &mut buf, start)?;
        if part.compressed {
            buf = zstd::stream::decode_all(&buf[..])
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        }
        // Validated with SIMD (the standard check was 2.5% of a scan: every text is read
        // back once or twice), then taken as is.
        simdutf8::basic::from_utf8(&buf)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        // SAFETY: `buf` was just checked to be UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(buf) })
    }
}

/// A text as one zstd frame with its checksum, for spools read with
/// [`SpoolReader::open_compressed`]. Level 1: about a third of the text's bytes for
/// press text at a few hundred MB/s a core, so compressing costs pass 1 little and
/// halves a work folder.
pub fn encode_text(text: &str) -> io::Result<Vec<u8>> {
    let mut encoder = zstd::bulk::Compressor::new(1)?;
    encoder.include_checksum(true)?;
    encoder.compress(text.as_bytes())
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_by_position_from_many_threads() {
        let mut spool = SpoolWriter::new().unwrap();
        let texts: Vec<String> = (0..200)
            .map(|i| format!("texte n°{i} — ünïcödé {}", "x".repeat(i)))
            .collect();
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(spool.append(t).unwrap(), i);
        }
        spool.append("").unwrap();
        let reader = spool.finish().unwrap();
        assert_eq!(reader.len(), 201);
        std::thread::scope(|s| {
            for part in 0..4 {
                let (reader, texts) = (&reader, &texts);
                s.spawn(move || {
                    for i in (part..200).step_by(4).rev() {
                        assert_eq!(reader.get(i).unwrap(), texts[i]);
                    }
                });
            }
        });
        assert_eq!(reader.get(200).unwrap(), "");
        assert!(reader.get(201).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_text_damaged_on_disk_is_an_error_not_a_bad_string() {
        use std::os::unix::fs::FileExt;
        let mut spool = SpoolWriter::new().unwrap();
        spool.append("première").unwrap();
        spool.append("seconde").unwrap();
        let reader = spool.finish().unwrap();
        // Overwrite the second byte of "è" (bytes 5 and 6 of the first text) with ASCII.
        reader.parts[0].file.write_at(b"X", 6).unwrap();
        let err = reader.get(0).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(reader.get(1).unwrap(), "seconde");
    }

    #[test]
    fn spools_in_named_files_read_back_one_after_another() {
        let dir = tempfile::tempdir().unwrap();
        let mut spools = Vec::new();
        let mut all = Vec::new();
        for part in 0..3 {
            let path = dir.path().join(format!("texts-{part}"));
            let mut spool = SpoolWriter::create(&path).unwrap();
            let texts: Vec<String> = (0..part * 2)
                .map(|i| format!("part {part} text {i} é"))
                .collect();
            for t in &texts {
                spool.append(t).unwrap();
            }
            drop(spool.finish().unwrap());
            let lengths: Vec<u64> = texts.iter().map(|t| t.len() as u64).collect();
            spools.push(SpoolReader::open(&path, &lengths).unwrap());
            all.extend(texts);
            // An index that does not match the file is refused.
            let mut wrong = lengths.clone();
            wrong.push(1);
            assert!(SpoolReader::open(&path, &wrong).is_err());
        }
        // A compressed part reads back the same.
        let path = dir.path().join("texts-z");
        let mut spool = SpoolWriter::create(&path).unwrap();
        let texts: Vec<String> = (0..3)
            .map(|i| format!("compressé {i} {}", "mot ".repeat(i * 50)))
            .collect();
        let mut lengths = Vec::new();
        for t in &texts {
            let encoded = encode_text(t).unwrap();
            lengths.push(encoded.len() as u64);
            spool.append_encoded(&encoded).unwrap();
        }
        drop(spool.finish().unwrap());
        assert!(lengths[2] < texts[2].len() as u64 / 4);
        spools.push(SpoolReader::open_compressed(&path, &lengths).unwrap());
        all.extend(texts);
        // The middle part without its first text.
        let middle = spools.remove(1).keep_only(vec![1]).unwrap();
        spools.insert(1, middle);
        all.remove(0);
        let reader = SpoolReader::concat(spools);
        assert_eq!(reader.len(), all.len());
        for (i, t) in all.iter().enumerate() {
            assert_eq!(&reader.get(i).unwrap(), t);
        }
        assert!(reader.get(all.len()).is_err());
    }
}
