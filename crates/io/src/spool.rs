//! A spool of document texts in a temporary file, so a scan can drop texts from memory
//! after the first pass and still read back the few it must align in the second.
//!
//! Texts are appended in input order during pass 1 (sequential writes); pass 2 reads
//! any of them by position from any thread with positional reads, leaving caching to the
//! operating system's page cache. Memory stays at eight bytes per document.

use std::fs::File;
use std::io::{self, BufWriter, Write};

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
        Ok(SpoolWriter {
            out: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            offsets: vec![0],
            written: 0,
        })
    }

    /// Appends the next document's text; returns its position.
    pub fn append(&mut self, text: &str) -> io::Result<usize> {
        self.out.write_all(text.as_bytes())?;
        self.written += text.len() as u64;
        self.offsets.push(self.written);
        Ok(self.offsets.len() - 2)
    }

    /// Ends writing; the texts can now be read back.
    pub fn finish(self) -> io::Result<SpoolReader> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(SpoolReader {
            file,
            offsets: self.offsets,
        })
    }
}

/// The read side: any text by position, from any thread.
#[derive(Debug)]
pub struct SpoolReader {
    file: File,
    offsets: Vec<u64>,
}

impl SpoolReader {
    /// Number of texts.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text at `position`.
    pub fn get(&self, position: usize) -> io::Result<String> {
        let (Some(&start), Some(&end)) =
            (self.offsets.get(position), self.offsets.get(position + 1))
        else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no text at spool position {position}"),
            ));
        };
        let mut buf = vec![0u8; (end - start) as usize];
        read_exact_at(&self.file, &mut buf, start)?;
        // Validated with SIMD (the standard check was 2.5% of a scan: every text is read
        // back once or twice), then taken as is.
        simdutf8::basic::from_utf8(&buf)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        // SAFETY: `buf` was just checked to be UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(buf) })
    }
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
        reader.file.write_at(b"X", 6).unwrap();
        let err = reader.get(0).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(reader.get(1).unwrap(), "seconde");
    }
}
