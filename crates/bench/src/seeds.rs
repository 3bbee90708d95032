//! Finding and reading seed texts for the generator.
//!
//! A seed path is either a file (taken as it is, whatever its extension: the user named
//! it) or a folder, searched recursively for `*.txt` files. The files are returned sorted
//! so that the same folder always yields the same list (the generator's vocabulary does
//! not depend on the order, but error messages and logs should be stable too). Symbolic
//! links to folders are not followed, so a link cycle cannot make the walk loop.
//! Seeds are read as UTF-8, with invalid bytes replaced rather than rejected: seed files
//! come from crawls and mail dumps, and one stray Latin-1 byte should not stop a run.

use std::fs;
use std::path::{Path, PathBuf};

use crate::generate::GenError;

/// All seed files named by `paths`: files as given, folders searched recursively for
/// `.txt` files (case-insensitive extension). Sorted and deduplicated.
pub fn collect_seed_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, GenError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|source| GenError::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), GenError> {
    let io_err = |source| GenError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|source| GenError::Io {
            path: path.clone(),
            source,
        })?;
        if file_type.is_dir() {
            walk(&path, out)?;
        } else if is_txt(&path) {
            // A symlink to a file counts; a symlink to a folder is skipped (is_file follows
            // the link, is_dir above did not).
            if file_type.is_file() || path.is_file() {
                out.push(path);
            }
        }
    }
    Ok(())
}

fn is_txt(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Reads every file of [`collect_seed_files`]`(paths)`, lossily decoded as UTF-8.
pub fn read_seed_texts(paths: &[PathBuf]) -> Result<Vec<String>, GenError> {
    collect_seed_files(paths)?
        .into_iter()
        .map(|path| match fs::read(&path) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(source) => Err(GenError::Io { path, source }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "reprint-bench-seeds-{}-{}",
            name,
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn finds_txt_files_recursively_and_sorted() {
        let dir = scratch_dir("walk");
        fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        fs::write(dir.join("b.txt"), "beta").unwrap();
        fs::write(dir.join("a.TXT"), "alpha").unwrap();
        fs::write(dir.join("notes.md"), "ignored").unwrap();
        fs::write(dir.join("sub/deeper/c.txt"), b"gamma \xff").unwrap();
        let files = collect_seed_files(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.TXT", "b.txt", "sub/deeper/c.txt"]);
        let texts = read_seed_texts(&[dir.clone(), dir.join("notes.md")]).unwrap();
        assert_eq!(texts.len(), 4);
        assert!(texts.iter().any(|t| t.starts_with("gamma ")));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let missing = PathBuf::from("/definitely/not/here/seeds");
        let err = collect_seed_files(std::slice::from_ref(&missing)).unwrap_err();
        assert!(err.to_string().contains("/definitely/not/here/seeds"));
    }
}
