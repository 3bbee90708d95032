//! Checkpoints of the stages after pass 1 in a work folder: the matching plan and each
//! finished run of pass 2, so that a scan killed there resumes after the last one it
//! finished instead of redoing them.
//!
//! # Layout
//!
//! ```text
//! WORK/later/plan.bin                  the Plan (candidate pairs, duplicate matches, ...)
//! WORK/later/pass2/pairs-0000001234.bin  a run of pass 2 starting at pair 1234: its end,
//!                                        links found, reports of the documents it prepared
//! WORK/later/pass2/rest-0000000000.bin   a run preparing documents in no pair (reports)
//! ```
//!
//! Each file is one `reprint_io::checkpoint` (whole or absent, checksummed) under one
//! key: a hash of pass 1's key (inputs and analysis settings), the shard count and the
//! match options. Runs are named by the pair they start at and record where they end,
//! so a rerun with another `--memory` (other cuts) still takes every run it finds from
//! the start onwards and cuts the rest afresh; the links of a pair depend on that pair
//! alone (`reprint_core::scan::verify_pairs`), so the output is the uninterrupted
//! scan's, byte for byte. A new plan clears the runs of an old one.

use std::path::{Path, PathBuf};

use reprint_core::scan::{MatchOptions, Plan, Verified};
use reprint_io::checkpoint;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::pass2::Reports;
use crate::JobError;

/// What a scan took from its work folder's checkpoints and what it ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckpointReport {
    /// The plan was read back instead of made.
    pub plan_reused: bool,
    /// Runs of pass 2 read back.
    pub runs_reused: u64,
    /// Runs of pass 2 done by this scan.
    pub runs_done: u64,
}

/// Which of pass 2's kinds of run a checkpoint holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// A run of candidate pairs (verified).
    Pairs,
    /// A run of documents in no pair (prepared for their reports only).
    Rest,
}

/// One finished run of pass 2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    /// Where the run ends (exclusive), in the kind's sequence (pairs or rest).
    pub end: u64,
    pub verified: Verified,
    /// Reports of the documents the run prepared, by document.
    pub reports: Vec<(u32, Reports)>,
}

/// The checkpoints of one scan's later stages.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    dir: PathBuf,
    key: String,
    report: std::cell::Cell<CheckpointReport>,
}

impl Checkpoints {
    /// The checkpoints in `work` for a pass 1 made under `pass1_key` in `shards` shards
    /// and matched with `options`.
    pub fn new(work: &Path, pass1_key: &str, shards: u32, options: &MatchOptions) -> Self {
        let mut h = Xxh3::new();
        for part in [
            pass1_key.as_bytes(),
            &shards.to_le_bytes(),
            format!("{options:?}").as_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        Checkpoints {
            dir: work.join("later"),
            key: format!("{:032x}", h.digest128()),
            report: Default::default(),
        }
    }

    pub fn report(&self) -> CheckpointReport {
        self.report.get()
    }

    fn note(&self, change: impl FnOnce(&mut CheckpointReport)) {
        let mut r = self.report.get();
        change(&mut r);
        self.report.set(r);
    }

    fn runs_dir(&self) -> PathBuf {
        self.dir.join("pass2")
    }

    fn error(what: &'static str) -> impl Fn(std::io::Error) -> JobError {
        move |e| JobError::io(what, e)
    }

    /// The plan saved under this key, if any.
    pub fn load_plan(&self) -> Result<Option<Plan>, JobError> {
        let plan: Option<Plan> = checkpoint::read(&self.dir.join("plan.bin"), &self.key)
            .map_err(Self::error("cannot read the plan's checkpoint"))?;
        if plan.is_some() {
            self.note(|r| r.plan_reused = true);
        }
        Ok(plan)
    }

    /// Saves `plan`, clearing the runs of pass 2 saved for any earlier plan.
    pub fn save_plan(&self, plan: &Plan) -> Result<(), JobError> {
        let runs = self.runs_dir();
        match std::fs::remove_dir_all(&runs) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(JobError::file("cannot clear", &runs, e))
            }
            _ => {}
        }
        std::fs::create_dir_all(&runs).map_err(|e| JobError::file("cannot create", &runs, e))?;
        checkpoint::write(&self.dir.join("plan.bin"), &self.key, plan)
            .map_err(Self::error("cannot write the plan's checkpoint"))
    }

    fn run_path(&self, kind: RunKind, start: u64) -> PathBuf {
        let prefix = match kind {
            RunKind::Pairs => "pairs",
            RunKind::Rest => "rest",
        };
        self.runs_dir().join(format!("{prefix}-{start:010}.bin"))
    }

    /// The run of `kind` saved as starting at `start`, if any that ends within the
    /// kind's sequence of `len`.
    pub fn load_run(
        &self,
        kind: RunKind,
        start: u64,
        len: u64,
    ) -> Result<Option<SavedRun>, JobError> {
        let run: Option<SavedRun> = checkpoint::read(&self.run_path(kind, start), &self.key)
            .map_err(Self::error("cannot read a checkpoint of pass 2"))?
            .filter(|run: &SavedRun| run.end > start && run.end <= len);
        if run.is_some() {
            self.note(|r| r.runs_reused += 1);
        }
        Ok(run)
    }

    /// Saves a finished run of `kind` starting at `start`.
    pub fn save_run(&self, kind: RunKind, start: u64, run: &SavedRun) -> Result<(), JobError> {
        std::fs::create_dir_all(self.runs_dir())
            .map_err(|e| JobError::file("cannot create", &self.runs_dir(), e))?;
        checkpoint::write(&self.run_path(kind, start), &self.key, run)
            .map_err(Self::error("cannot write a checkpoint of pass 2"))?;
        self.note(|r| r.runs_done += 1);
        Ok(())
    }
}
