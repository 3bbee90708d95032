//! Folders of documents: every `.txt` file is one document (its text as it is), every
//! HTML file (`.html`, `.htm`, optionally `.gz`) one web page (its main text extracted),
//! and every WARC/WET archive (`.warc`, `.warc.gz`, `.wet`, `.wet.gz`) many; all sorted
//! together by path relative to the folder. The id of a `.txt` or HTML file's document
//! is that relative path; an archive's records keep their `WARC-Record-ID`s. Other files
//! (images, `.jsonl`, notes) are ignored: a saved page's folder of images is normal. ARC
//! archives (`.arc`, `.arc.gz`) are listed so that they are refused by name.

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
    /// An ARC archive (`.arc`, `.arc.gz`): recognised so it is refused as unsupported
    /// by name instead of misread as JSONL.
    Arc,
}

/// The kind of a document file, by its name (case-insensitive), or `None` for a file
/// that is not one.
pub(crate) fn file_kind(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
    let has = |ext: &str| stem.len() > ext.len() && stem.ends_with(ext);
    if has(".warc") || has(".wet") || has(".arc.warc") {
        Some(FileKind::Warc)
    } else if has(".arc") {
        Some(FileKind::Arc)
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

/// One entry of a folder listing: a document file, or a path that looked like one (or a
/// subfolder) but cannot be read, with the error that reports it.
#[derive(Debug)]
pub(crate) enum Listed {
    File(TxtFile),
    Skipped { id: String, error: InputError },
}

impl Listed {
    fn id(&self) -> &str {
        match self {
            Listed::File(file) => &file.id,
            Listed::Skipped { id, .. } => id,
        }
    }
}

/// Lists every document file (see [`file_kind`]) under `root`, recursively, sorted by id
/// (bytewise), so the documents' order, and with it every output, does not depend on the
/// file system's listing order.
///
/// The extension is matched case-insensitively (`.TXT` from Windows tools counts).
/// Symbolic links to files are followed; links to folders are not, which rules out
/// cycles. A file name that is not UTF-8 gets a lossy id (U+FFFD replaces bad bytes).
///
/// What cannot be read is listed as [`Listed::Skipped`], in its sorted place, so that
/// the reader yields it as an error and a `--skip-invalid` run counts it: a link named
/// like a document that points nowhere or into a loop (`bad_link`), a device, FIFO or
/// socket named like one (`not_a_file`), a subfolder that cannot be listed
/// (`unreadable_folder`). Only `root` itself failing to list is an `Err`.
pub(crate) fn list_txt(root: &Path) -> Result<Vec<Listed>, InputError> {
    let mut found = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let dir_name = dir.to_string_lossy().into_owned();
        let unreadable =
            |e: io::Error| InputError::new(dir_name.as_str(), None, ErrorKind::Io(e.to_string()));
        // A subfolder that cannot be listed (or stops listing) is one reported skip.
        let unlisted = |e: io::Error| Listed::Skipped {
            id: prefix.clone(),
            error: skipped(
                &dir_name,
                "unreadable_folder",
                format!("cannot list the folder: {e}"),
            ),
        };
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if prefix.is_empty() => return Err(unreadable(e)),
            Err(e) => {
                found.push(unlisted(e));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    found.push(unlisted(e));
                    break;
                }
            };
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let kind = file_kind(&name);
            let id = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let path_name = || path.to_string_lossy().into_owned();
            let file_type = match entry.file_type() {
                Ok(file_type) => file_type,
                Err(e) => {
                    let error = InputError::new(path_name(), None, ErrorKind::Io(e.to_string()));
                    found.push(Listed::Skipped { id, error });
                    continue;
                }
            };
            let meta = if file_type.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) => meta,
                    Err(e) => {
                        // A link named like a document that leads nowhere: say so. (Other
                        // broken links are not documents to begin with.)
                        // The OS message tells a dangling link ("No such file or
                        // directory") from a loop ("Too many levels of symbolic links").
                        if kind.is_some() {
                            let error = skipped(
                                &path_name(),
                                "bad_link",
                                format!("symbolic link that leads to no file: {e}"),
                            );
                            found.push(Listed::Skipped { id, error });
                        }
                        continue;
                    }
                }
            } else {
                match entry.metadata() {
                    Ok(meta) => meta,
                    Err(e) => {
                        let error =
                            InputError::new(path_name(), None, ErrorKind::Io(e.to_string()));
                        found.push(Listed::Skipped { id, error });
                        continue;
                    }
                }
            };
            if meta.is_dir() {
                // A link to a folder is not followed (no cycles).
                if !file_type.is_symlink() {
                    stack.push((path, id));
                }
            } else if let Some(kind) = kind {
                if meta.is_file() {
                    found.push(Listed::File(TxtFile {
                        kind,
                        id,
                        path,
                        size: meta.len(),
                    }));
                } else {
                    let error = skipped(
                        &path_name(),
                        "not_a_file",
                        "not a regular file (a device, FIFO or socket)".to_owned(),
                    );
                    found.push(Listed::Skipped { id, error });
                }
            }
        }
    }
    found.sort_by(|a, b| a.id().as_bytes().cmp(b.id().as_bytes()));
    Ok(found)
}

/// A path of a folder that cannot be used, reported under `reason`.
fn skipped(path: &str, reason: &'static str, detail: String) -> InputError {
    InputError::new(path, None, ErrorKind::Skipped { reason, detail })
}

/// The legacy encoding `chardetng` (the detector Firefox uses) guesses for bytes that
/// are not UTF-8.
pub fn detect_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
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
            detect_encoding(&bytes)
                .decode_with_bom_removal(&bytes)
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
