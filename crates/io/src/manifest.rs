//! The scan folder's manifest: `manifest.json`, written last, once every other file of
//! the folder is complete and in place, listing each file with its size and line count.
//!
//! # Why
//!
//! A scan folder is four files that only make sense together. Written in place, a run
//! killed while writing left `texts.jsonl` cut at a line end (which reads as a smaller,
//! valid file), and a full disk left the previous run's `clusters.jsonl` beside new
//! partial files. So the writer ([`StagedFile`]) puts each file in a temporary file in the
//! same folder, and only when all are complete: removes the old manifest, renames the
//! files into place, writes the new manifest (itself through a temporary file and a
//! rename). A folder without a manifest is one whose last scan did not finish; a file
//! whose size differs from the manifest's was changed since. Readers of a scan folder
//! (`report`, `eval`, later stages) call [`check_scan_folder`] first.
//!
//! The manifest holds no time or path, so the same scan writes the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tempfile::NamedTempFile;

/// The manifest's file name in a scan folder.
pub const MANIFEST: &str = "manifest.json";

/// What [`Manifest::format`] says.
pub const FORMAT: &str = "reprint-scan";

/// Version of the folder's layout; bumped when a file changes incompatibly.
pub const VERSION: u32 = 1;

/// Largest manifest read (it lists a few files).
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout's [`VERSION`].
    pub version: u32,
    /// The reprint version that wrote the folder.
    pub reprint: String,
    /// Every file of the folder, by name.
    pub files: BTreeMap<String, FileEntry>,
}

/// One file listed in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub bytes: u64,
    /// Lines (records) written.
    pub lines: u64,
}

/// Why a scan folder cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ScanFolderError {
    #[error(
        "{}: no {MANIFEST}: the scan writing this folder did not finish (or it is not a \
         reprint scan folder); run the scan again", dir.display()
    )]
    NoManifest { dir: PathBuf },
    #[error("{}: {message}", path.display())]
    BadManifest { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Unreadable { path: PathBuf, source: io::Error },
    #[error(
        "{}: {found} bytes where the scan wrote {expected}: the file was changed or cut \
         since; run the scan again", path.display()
    )]
    SizeMismatch {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
}

/// Checks that `dir` holds a complete scan: its manifest is there and readable, and each
/// file it lists is there with the size it was written with. Returns the manifest.
pub fn check_scan_folder(dir: &Path) -> Result<Manifest, ScanFolderError> {
    use io::Read;
    let path = dir.join(MANIFEST);
    let file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ScanFolderError::NoManifest {
                dir: dir.to_path_buf(),
            })
        }
        Err(source) => return Err(ScanFolderError::Unreadable { path, source }),
    };
    let mut bytes = Vec::new();
    if let Err(source) = file.take(MAX_MANIFEST_BYTES).read_to_end(&mut bytes) {
        return Err(ScanFolderError::Unreadable { path, source });
    }
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|e| ScanFolderError::BadManifest {
            path: path.clone(),
            message: format!("not a scan manifest: {e}"),
        })?;
    if manifest.format != FORMAT || manifest.version > VERSION {
        return Err(ScanFolderError::BadManifest {
            path,
            message: format!(
                "a {} folder of version {}, which this reprint ({}) does not read",
                manifest.format,
                manifest.version,
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    for (name, entry) in &manifest.files {
        let path = dir.join(name);
        let found = fs::metadata(&path)
            .map_err(|source| ScanFolderError::Unreadable {
                path: path.clone(),
                source,
            })?
            .len();
        if found != entry.bytes {
            return Err(ScanFolderError::SizeMismatch {
                path,
                expected: entry.bytes,
                found,
            });
        }
    }
    Ok(manifest)
}

/// One file of a scan folder being written: a temporary file beside its final name,
/// counting its lines. Dropped without [`commit`], it is deleted.
pub struct StagedFile {
    name: &'static str,
    out: BufWriter<NamedTempFile>,
    lines: u64,
}

impl StagedFile {
    /// Starts `dir/name` as a temporary file in `dir` (the same file system, so the final
    /// rename is atomic).
    pub fn create(dir: &Path, name: &'static str) -> io::Result<StagedFile> {
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        Ok(StagedFile {
            name,
            out: BufWriter::with_capacity(1 << 20, tmp),
            lines: 0,
        })
    }

    /// The final file name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Counts one line written (the writers write whole lines).
    pub fn line_written(&mut self) {
        self.lines += 1;
    }

    /// Counts `rows` records written (a Parquet table's rows).
    pub fn rows_written(&mut self, rows: u64) {
        self.lines += rows;
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Puts complete staged files into `dir` and writes the manifest listing them: the old
/// manifest is removed first, so that a crash part-way leaves a folder without one
/// (refused by [`check_scan_folder`]) rather than old and new files under an old
/// manifest. Each file is flushed and synced before anything is renamed.
pub fn commit(dir: &Path, files: Vec<StagedFile>) -> io::Result<Manifest> {
    let mut ready = Vec::with_capacity(files.len());
    let mut listed = BTreeMap::new();
    for file in files {
        let tmp = file.out.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        let bytes = tmp.as_file().metadata()?.len();
        listed.insert(
            file.name.to_owned(),
            FileEntry {
                bytes,
                lines: file.lines,
            },
        );
        ready.push((file.name, tmp));
    }
    match fs::remove_file(dir.join(MANIFEST)) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    for (name, tmp) in ready {
        tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        reprint: env!("CARGO_PKG_VERSION").to_owned(),
        files: listed,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".manifest.json.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    serde_json::to_writer_pretty(&mut tmp, &manifest)?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(MANIFEST)).map_err(|e| e.error)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(dir: &Path, name: &'static str, lines: &[&str]) -> StagedFile {
        let mut file = StagedFile::create(dir, name).unwrap();
        for line in lines {
            writeln!(file, "{line}").unwrap();
            file.line_written();
        }
        file
    }

    #[test]
    fn a_committed_folder_checks_and_a_cut_file_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            staged(dir.path(), "a.jsonl", &["{}", "{}"]),
            staged(dir.path(), "b.jsonl", &["{\"x\":1}"]),
        ];
        let written = commit(dir.path(), files).unwrap();
        let checked = check_scan_folder(dir.path()).unwrap();
        assert_eq!(written, checked);
        assert_eq!(checked.files["a.jsonl"], FileEntry { bytes: 6, lines: 2 });
        // No temporary file is left behind.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        // A file cut at a line end, as by a kill during an in-place write.
        fs::write(dir.path().join("a.jsonl"), "{}\n").unwrap();
        let err = check_scan_folder(dir.path()).unwrap_err();
        assert!(
            matches!(
                err,
                ScanFolderError::SizeMismatch {
                    expected: 6,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn an_unfinished_write_leaves_the_old_folder_or_no_manifest() {
        let dir = tempfile::tempdir().unwrap();
        commit(dir.path(), vec![staged(dir.path(), "a.jsonl", &["{}"])]).unwrap();
        // A run that fails before committing (a full disk): its staged files vanish, the
        // old folder is untouched and still checks.
        let failed = staged(dir.path(), "a.jsonl", &["{}", "{}", "{}"]);
        drop(failed);
        assert_eq!(
            fs::read_to_string(dir.path().join("a.jsonl")).unwrap(),
            "{}\n"
        );
        check_scan_folder(dir.path()).unwrap();
        // A folder whose manifest is gone (killed between the removal and the rename).
        fs::remove_file(dir.path().join(MANIFEST)).unwrap();
        let err = check_scan_folder(dir.path()).unwrap_err();
        assert!(matches!(err, ScanFolderError::NoManifest { .. }), "{err}");
        assert!(err.to_string().contains("did not finish"), "{err}");
    }

    #[test]
    fn a_manifest_from_elsewhere_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "{\"name\": \"some package\"}").unwrap();
        let err = check_scan_folder(dir.path()).unwrap_err();
        assert!(matches!(err, ScanFolderError::BadManifest { .. }), "{err}");
    }
}
