//! Folders of documents: every `.txt` file is one document (its text as it is), every
//! HTML file (`.html`, `.htm`, optionally `.gz`) one web page (its main text extracted),
//! and every WARC/WET archive (`.warc`, `.warc.gz`, `.wet`, `.wet.gz`) many; all sorted
//! together by path relative to the folder. The id of a `.txt` or HTML file's document
//! is that relative path; an archive's records keep their `WARC-Record-ID`s. Other files
//! (images, `.jsonl`, notes) are ignored: a saved page's folder of images is normal.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{ErrorKind, InputError};

/// What a file in a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Txt,
    Html,
    Warc,
}

/// The kind of a document file, by its name (case-insensitive), or `None` for a file
/// that is not one.
pub(crate) fn file_kind(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
    let has = |ext: &str| stem.len() > ext.len() && stem.ends_with(ext);
    if has(".warc") || has(".wet") || has(".arc.warc") {
        Some(FileKind::Warc)
    } else if has(".html") || has(".htm") || has(".xhtml") {
        Some(FileKind::Html)
    } else if lower.len() > 4 && lower.ends_with(".txt") {
        Some(FileKind::Txt)
    } else {
        None
    }
}

/// One document file found under a folder.
#[derive(Debug)]
pub(crate) struct TxtFile {
    pub kind: FileKind,
    /// Path relative to the folder, `/`-separated: the document's id.
    pub id: String,
    /// The folder as given joined with the relative path: the name used in errors.
    pub path: PathBuf,
    /// Size when listed, for the progress total.
    pub size: u64,
}

/// Lists every document file (see [`file_kind`]) under `root`, recursively, sorted by id (bytewise), so the
/// documents' order, and with it every output, does not depend on the file system's
/// listing order.
///
/// The extension is matched case-insensitively (`.TXT` from Windows tools counts).
/// Symbolic links to files are followed; links to folders are not, which rules out
/// cycles. A file name that is not UTF-8 gets a lossy id (U+FFFD replaces bad bytes).
pub(crate) fn list_txt(root: &Path) -> Result<Vec<TxtFile>, InputError> {
    let mut found = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let io_err = |e: io::Error| {
            InputError::new(dir.to_string_lossy(), None, ErrorKind::Io(e.to_string()))
        };
        for entry in fs::read_dir(&dir).map_err(io_err)? {
            let entry = entry.map_err(io_err)?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let kind = file_kind(&name);
            let id = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let mut file_type = entry.file_type().map_err(io_err)?;
            if file_type.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => file_type = meta.file_type(),
                    _ => continue, // a link to a folder, or a dangling link
                }
            }
            if file_type.is_dir() {
                stack.push((path, id));
            } else if let (true, Some(kind)) = (file_type.is_file(), kind) {
                let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                found.push(TxtFile {
                    kind,
                    id,
                    path,
                    size,
                });
            }
        }
    }
    found.sort_unstable_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    Ok(found)
}

/// `bytes` re-encoded as UTF-8 bytes according to `encoding` (unchanged for
/// [`super::TextEncoding::Utf8`] and for valid UTF-8 under `Auto`); the caller still
/// checks UTF-8 validity.
pub fn decode_bytes(bytes: Vec<u8>, encoding: super::TextEncoding) -> Vec<u8> {
    match encoding {
        super::TextEncoding::Label(enc) if enc != encoding_rs::UTF_8 => enc
            .decode_with_bom_removal(&bytes)
            .0
            .into_owned()
            .into_bytes(),
        super::TextEncoding::Auto if std::str::from_utf8(&bytes).is_err() => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
            detector.feed(&bytes, true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
            enc.decode_with_bom_removal(&bytes)
                .0
                .into_owned()
                .into_bytes()
        }
        _ => bytes,
    }
}

/// Reads one `.txt` file as a document's text, refusing it whole when it is larger than
/// `limit` (only `limit + 1` bytes are read to find out), not decodable (not UTF-8 under
/// [`super::TextEncoding::Utf8`]), or blank.
/// A leading UTF-8 byte-order mark is dropped: it is an encoding marker, not text.
pub(crate) fn read_text(
    file: &TxtFile,
    limit: usize,
    encoding: super::TextEncoding,
) -> Result<String, InputError> {
    let name = file.path.to_string_lossy();
    let err = |line: Option<u64>, kind: ErrorKind| InputError::new(name.as_ref(), line, kind);
    let io_err = |e: io::Error| err(None, ErrorKind::Io(e.to_string()));
    let mut bytes = Vec::new();
    File::open(&file.path)
        .and_then(|f| {
            f.take((limit as u64).saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(io_err)?;
    if bytes.len() > limit {
        let seen = fs::metadata(&file.path).map_or(bytes.len() as u64, |m| m.len());
        return Err(err(None, ErrorKind::RecordTooLarge { limit, seen }));
    }
    let bytes = decode_bytes(bytes, encoding);
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..bad].iter().filter(|&&b| b == b'\n').count() as u64;
            return Err(err(Some(line), ErrorKind::InvalidUtf8));
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err(err(None, ErrorKind::EmptyFile));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_extension() {
        let is_txt = |name| file_kind(name) == Some(FileKind::Txt);
        assert!(is_txt("a.txt"));
        assert!(is_txt("a.TXT"));
        assert!(!is_txt(".txt"));
        assert!(!is_txt("a.txt.gz"));
        assert!(!is_txt("atxt"));
        assert!(!is_txt("é.tx"));
    }

    #[test]
    fn web_extensions() {
        for name in ["a.html", "b.HTM", "c.html.gz", "d.htm.GZ", "e.xhtml"] {
            assert_eq!(file_kind(name), Some(FileKind::Html), "{name}");
        }
        for name in ["a.warc", "b.warc.gz", "c.warc.wet.gz", "d.wet", "e.WARC.GZ"] {
            assert_eq!(file_kind(name), Some(FileKind::Warc), "{name}");
        }
        for name in [".html", "a.jsonl", "a.png", "html", "a.gz"] {
            assert_eq!(file_kind(name), None, "{name}");
        }
    }
}
