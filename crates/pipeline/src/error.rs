//! Why a job stopped.

use std::path::PathBuf;

use reprint_io::InputError;

/// Why a scan or an ingest could not finish. Every variant names what it was doing.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A bad record while bad records are not skipped (see [`crate::InputSpec::skip_invalid`]).
    #[error("bad input")]
    BadInput(#[source] InputError),
    /// An option out of its range; the message names the option.
    #[error("{0}")]
    InvalidOption(String),
    /// Reading or writing a file failed; `what` says which step, `path` which file.
    #[error("{what}{}", path.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Io {
        what: &'static str,
        path: Option<PathBuf>,
        #[source]
        source: std::io::Error,
    },
    #[error("more than {} documents in one run are not supported", u32::MAX)]
    TooManyDocuments,
}

/// A stage file of the work folder that cannot be read (its message names the file).
impl From<std::io::Error> for JobError {
    fn from(source: std::io::Error) -> Self {
        JobError::io("cannot read the work folder's stage files", source)
    }
}

impl JobError {
    pub(crate) fn io(what: &'static str, source: std::io::Error) -> Self {
        JobError::Io {
            what,
            path: None,
            source,
        }
    }

    pub(crate) fn file(what: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        JobError::Io {
            what,
            path: Some(path.to_path_buf()),
            source,
        }
    }
}
