//! What a job tells its front end while it runs.

/// Progress of a job, for a bar on a terminal, a log line or nothing. Every method has an
/// empty default, so a front end implements only what it shows. Called from the job's
/// own threads, hence `Sync`.
pub trait Progress: Sync {
    /// Reading starts; `total_bytes` of input when known (not for stdin).
    fn reading(&self, _total_bytes: Option<u64>) {}
    /// Bytes of input read so far.
    fn read(&self, _bytes: u64) {}
    /// Reading is over.
    fn read_done(&self) {}
    /// A later stage starts (`"matching"`, `"aligning"`, `"writing"`).
    fn stage(&self, _name: &'static str) {}
    /// The job's stages are over.
    fn done(&self) {}
    /// A line worth showing now (a skipped record, with file and line).
    fn warn(&self, _line: &str) {}
}

/// Shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
