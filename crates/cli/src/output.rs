//! Output files written safely: never over one of the inputs, and whole or not at all.
//!
//! An output is written to a temporary file in its own folder and renamed over the
//! destination only once complete, so a run killed or failing part-way (a full disk, a
//! `--strict` stop) leaves the previous file as it was, never a clean-looking part of a
//! new one. The destination is refused when it is one of the inputs (the same file under
//! any name, hard links included): creating it would truncate the input before it is
//! read.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// A file being written; it replaces the destination on [`AtomicOutput::commit`], and
/// is removed if dropped before.
pub struct AtomicOutput {
    writer: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicOutput {
    /// Starts writing `path`, refusing it when it is one of `inputs`.
    pub fn create(path: &Path, inputs: &[PathBuf]) -> Result<AtomicOutput> {
        refuse_inputs(path, inputs)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".reprint-").suffix(".partial");
        #[cfg(unix)]
        {
            // An ordinary file's permissions (the process umask applies), not the
            // owner-only ones of a temporary file.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(AtomicOutput {
            writer: BufWriter::with_capacity(1 << 20, temp),
            path: path.to_path_buf(),
        })
    }

    /// Flushes the file to disk and renames it over the destination.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let temp = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", path.display()))?;
        temp.as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", path.display()))?;
        temp.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// An error when `path` names the same file as one of `inputs`.
pub fn refuse_inputs(path: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(out) = std::fs::metadata(path) else {
        return Ok(()); // a new file is no input
    };
    for input in inputs {
        if let Ok(meta) = std::fs::metadata(input) {
            if same_file(&out, &meta) {
                bail!(
                    "the output {} is the input {}: writing it would destroy the input",
                    path.display(),
                    input.display()
                );
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    // Without inode numbers: the same size and modification time is taken as the same
    // file, erring on the side of refusing.
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}
