//! Folders of `.txt` files: one document per file, id = path relative to the folder.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{ErrorKind, InputError};

/// One `.txt` file found under a folder.
#[derive(Debug)]
pub(crate) struct TxtFile {
    /// Path relative to the folder, `/`-separated: the document's id.
    pub id: String,
    /// The folder as given joined with the relative path: the name used in errors.
    pub path: PathBuf,
    /// Size when listed, for the progress total.
    pub size: u64,
}

/// Lists every `.txt` file under `root`, recursively, sorted by id (bytewise), so the
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
            let txt = is_txt(&name);
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
            } else if file_type.is_file() && txt {
                let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                found.push(TxtFile { id, path, size });
            }
        }
    }
    found.sort_unstable_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    Ok(found)
}

fn is_txt(name: &str) -> bool {
    name.len() > 4
        && name
            .get(name.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".txt"))
}

/// Reads one `.txt` file as a document's text, refusing it whole when it is larger than
/// `limit` (only `limit + 1` bytes are read to find out), not UTF-8, or blank.
/// A leading UTF-8 byte-order mark is dropped: it is an encoding marker, not text.
pub(crate) fn read_text(file: &TxtFile, limit: usize) -> Result<String, InputError> {
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
        assert!(is_txt("a.txt"));
        assert!(is_txt("a.TXT"));
        assert!(!is_txt(".txt"));
        assert!(!is_txt("a.txt.gz"));
        assert!(!is_txt("atxt"));
        assert!(!is_txt("é.tx"));
    }
}
