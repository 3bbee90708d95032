//! Scans through a work folder (`--work DIR`): pass 1 kept shard by shard, resumed after
//! a kill at any stage, shards run apart and merged; the output is always the in-memory
//! scan's, byte for byte.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use reprint_bench::generate::{generate, GenOptions};
use reprint_io::{ReadOptions, Shard};
use reprint_pipeline::{
    scan_in_work, scan_shard, scan_with, CheckpointReport, InputSpec, JobError, MatchSettings,
    NoProgress, Progress, Resources, ScanResult, WorkFolder, WorkReport,
};

const FILES: [&str; 5] = [
    "documents.jsonl",
    "clusters.jsonl",
    "matches.jsonl",
    "texts.jsonl",
    "manifest.json",
];

/// A press-like corpus (chance overlap, copies of every kind) in four JSONL files.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let mut seeds: Vec<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
    seeds.sort();
    let docs = generate(
        &seeds,
        &GenOptions {
            docs: 400,
            seed: 9,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let lines: Vec<String> = docs
        .iter()
        .map(|(d, _)| {
            format!(
                "{}\n",
                serde_json::json!({"id": d.id, "text": d.text, "date": d.date, "site": d.site})
            )
        })
        .collect();
    // Files of unequal sizes, so shards cut between them.
    let cuts = [0, 40, 190, 230, 400];
    (0..4)
        .map(|f| {
            let path = dir.join(format!("part{f}.jsonl"));
            std::fs::write(&path, lines[cuts[f]..cuts[f + 1]].concat()).unwrap();
            path
        })
        .collect()
}

fn spec(inputs: &[PathBuf], skip_invalid: bool) -> InputSpec {
    InputSpec {
        inputs: inputs.to_vec(),
        read: ReadOptions::default(),
        skip_invalid,
    }
}

fn write(result: &ScanResult, out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    result.write(out).expect("write");
}

fn assert_same(a: &Path, b: &Path, what: &str) {
    for file in FILES {
        assert!(
            std::fs::read(a.join(file)).unwrap() == std::fs::read(b.join(file)).unwrap(),
            "{what}: {file} differs from the in-memory scan"
        );
    }
}

fn in_work(
    input: &InputSpec,
    work: &Path,
    progress: &dyn Progress,
) -> Result<ScanResult, JobError> {
    scan_in_work(
        input,
        &MatchSettings::default(),
        &Resources::default(),
        &WorkFolder::new(work),
        progress,
    )
}

/// Where a scan is "killed": a panic out of the progress callback, which leaves the
/// work folder as a kill would (nothing after that point written).
#[derive(Clone, Copy, Debug)]
enum KillAt {
    /// After pass 1's first batch was written, before its shard is finished.
    DuringPass1,
    Stage(&'static str),
    /// After every stage, before the caller writes the output.
    Done,
}

struct Killer {
    at: KillAt,
    fired: AtomicBool,
}

impl Killer {
    fn fire(&self) {
        self.fired.store(true, Ordering::SeqCst);
        panic!("killed at {:?}", self.at);
    }
}

impl Progress for Killer {
    fn read(&self, _bytes: u64) {
        if matches!(self.at, KillAt::DuringPass1) {
            self.fire();
        }
    }
    fn stage(&self, name: &'static str) {
        if matches!(self.at, KillAt::Stage(s) if s == name) {
            self.fire();
        }
    }
    fn done(&self) {
        if matches!(self.at, KillAt::Done) {
            self.fire();
        }
    }
}

#[test]
fn a_scan_killed_at_any_stage_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs, false);
    let plain = scan_with(
        &input,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    assert!(
        plain.outcome.stats.aligned > 50,
        "the corpus must give pass 2 work"
    );
    assert!(plain.work.is_none());
    write(&plain, &dir.path().join("plain"));

    for (n, at) in [
        KillAt::DuringPass1,
        KillAt::Stage("matching"),
        KillAt::Stage("aligning"),
        KillAt::Done,
    ]
    .into_iter()
    .enumerate()
    {
        let work = dir.path().join(format!("work{n}"));
        let killer = Killer {
            at,
            fired: AtomicBool::new(false),
        };
        let killed = catch_unwind(AssertUnwindSafe(|| in_work(&input, &work, &killer)));
        assert!(
            killed.is_err() && killer.fired.load(Ordering::SeqCst),
            "{at:?}"
        );
        let resumed = in_work(&input, &work, &NoProgress).unwrap();
        let expected = if matches!(at, KillAt::DuringPass1) {
            // The unfinished shard is not reused: pass 1 runs again.
            WorkReport {
                shards: 1,
                reused: 0,
                run: 1,
            }
        } else {
            WorkReport {
                shards: 1,
                reused: 1,
                run: 0,
            }
        };
        assert_eq!(resumed.work, Some(expected), "{at:?}");
        // The plan is checkpointed before pass 2 starts, every run of pass 2 as it ends.
        let later = resumed.checkpoints.expect("checkpoints");
        match at {
            KillAt::DuringPass1 | KillAt::Stage("matching") => {
                assert!(!later.plan_reused, "{at:?}");
                assert_eq!(later.runs_reused, 0, "{at:?}");
                assert!(later.runs_done >= 1, "{at:?}");
            }
            KillAt::Stage(_) => {
                assert!(later.plan_reused, "{at:?}");
                assert_eq!(later.runs_reused, 0, "{at:?}");
                assert!(later.runs_done >= 1, "{at:?}");
            }
            KillAt::Done => {
                assert!(later.plan_reused, "{at:?}");
                assert!(later.runs_reused >= 1, "{at:?}");
                assert_eq!(later.runs_done, 0, "{at:?}");
            }
        }
        let out = dir.path().join(format!("resumed{n}"));
        write(&resumed, &out);
        assert_same(
            &dir.path().join("plain"),
            &out,
            &format!("killed at {at:?}"),
        );
    }
}

#[test]
fn shards_run_apart_merge_into_the_in_memory_scan() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs, false);
    let plain = scan_with(
        &input,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    write(&plain, &dir.path().join("plain"));

    let work = dir.path().join("work");
    let settings = MatchSettings::default();
    let mut documents = 0;
    // Shards 0 and 2 of 3 "on other machines"; the merge runs the missing one.
    for index in [0, 2] {
        let (info, ran) = scan_shard(
            &input,
            &settings,
            &work,
            Shard { index, count: 3 },
            &NoProgress,
        )
        .unwrap();
        assert!(ran);
        documents += info.documents;
        // Asked again, the shard is found done.
        let (again, ran) = scan_shard(
            &input,
            &settings,
            &work,
            Shard { index, count: 3 },
            &NoProgress,
        )
        .unwrap();
        assert!(!ran && again == info);
    }
    assert!(documents > 0 && documents < 400, "{documents}");
    let merged = in_work(&input, &work, &NoProgress).unwrap();
    assert_eq!(
        merged.work,
        Some(WorkReport {
            shards: 3,
            reused: 2,
            run: 1
        })
    );
    write(&merged, &dir.path().join("merged"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("merged"),
        "3 shards",
    );
    assert_eq!(merged.corpus.summary.accepted, 400);

    // Other options make every shard stale: pass 1 runs again, as one shard.
    let other = MatchSettings {
        no_stories: true,
        ..MatchSettings::default()
    };
    let redone = scan_in_work(
        &input,
        &other,
        &Resources::default(),
        &WorkFolder::new(&work),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(
        redone.work,
        Some(WorkReport {
            shards: 1,
            reused: 0,
            run: 1
        })
    );

    // So does a changed input file.
    let mut text = std::fs::read_to_string(&inputs[3]).unwrap();
    text.push_str("{\"id\":\"added\",\"text\":\"Un texte ajouté après coup, pour voir.\"}\n");
    std::fs::write(&inputs[3], text).unwrap();
    let changed = in_work(&input, &work, &NoProgress).unwrap();
    assert_eq!(changed.work.unwrap().reused, 0);
    assert_eq!(changed.corpus.summary.accepted, 401);
}

#[test]
fn ids_repeated_across_shards_are_caught_at_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    std::fs::write(
        &a,
        "{\"id\":\"x\",\"text\":\"Le premier texte du lot.\"}\n{\"id\":\"y\",\"text\":\"Un autre.\"}\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "{\"id\":\"z\",\"text\":\"Encore un texte.\"}\n{\"id\":\"x\",\"text\":\"Le même identifiant.\"}\n",
    )
    .unwrap();
    let inputs = vec![a, b.clone()];
    let settings = MatchSettings::default();
    let two = |index| Shard { index, count: 2 };

    // Stopping at bad records: the merge names the second file and line, as one pass does.
    let strict = spec(&inputs, false);
    let one_pass = scan_with(&strict, &settings, &Resources::default(), &NoProgress)
        .err()
        .unwrap();
    let work = dir.path().join("strict");
    for i in 0..2 {
        scan_shard(&strict, &settings, &work, two(i), &NoProgress).unwrap();
    }
    let merged = in_work(&strict, &work, &NoProgress).err().unwrap();
    for err in [one_pass, merged] {
        let JobError::BadInput(err) = err else {
            panic!("not a bad-input error: {err}")
        };
        assert_eq!(
            (err.file.as_str(), err.line),
            (b.to_str().unwrap(), Some(2))
        );
        assert_eq!(err.kind.reason(), "duplicate_id");
    }

    // Skipping them: the same documents and counts as one pass.
    let lenient = spec(&inputs, true);
    let plain = scan_with(&lenient, &settings, &Resources::default(), &NoProgress).unwrap();
    write(&plain, &dir.path().join("plain"));
    let work = dir.path().join("lenient");
    for i in 0..2 {
        scan_shard(&lenient, &settings, &work, two(i), &NoProgress).unwrap();
    }
    let merged = in_work(&lenient, &work, &NoProgress).unwrap();
    assert_eq!(merged.corpus.ids, ["x", "y", "z"]);
    assert_eq!(merged.corpus.summary.skipped, plain.corpus.summary.skipped);
    assert_eq!(merged.corpus.summary.skipped.get("duplicate_id"), Some(&1));
    write(&merged, &dir.path().join("merged"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("merged"),
        "duplicates",
    );
}

#[test]
fn a_damaged_stage_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs[..1], false);
    let work = dir.path().join("work");
    in_work(&input, &work, &NoProgress).unwrap();
    let path = reprint_io::stage::shard_dir(&work, Shard::WHOLE).join("documents.bin");
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&path, bytes).unwrap();
    let err = in_work(&input, &work, &NoProgress).err().unwrap();
    let message = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(message.contains("documents.bin"), "{message}");
}

#[test]
fn shards_cut_here_run_at_once_and_resume_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs, false);
    let plain = scan_with(
        &input,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    write(&plain, &dir.path().join("plain"));
    let folder = WorkFolder {
        dir: dir.path().join("work"),
        shards: Some(4),
    };
    let scan = |progress: &dyn Progress| {
        scan_in_work(
            &input,
            &MatchSettings::default(),
            &Resources::default(),
            &folder,
            progress,
        )
    };
    // Four shards (one per file) read at once.
    let first = scan(&NoProgress).unwrap();
    assert_eq!(
        first.work,
        Some(WorkReport {
            shards: 4,
            reused: 0,
            run: 4
        })
    );
    write(&first, &dir.path().join("first"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("first"),
        "4 shards at once",
    );
    // One shard lost (as if killed while writing it): only that one runs again.
    std::fs::remove_dir_all(reprint_io::stage::shard_dir(
        &folder.dir,
        Shard { index: 2, count: 4 },
    ))
    .unwrap();
    let again = scan(&NoProgress).unwrap();
    assert_eq!(
        again.work,
        Some(WorkReport {
            shards: 4,
            reused: 3,
            run: 1
        })
    );
    write(&again, &dir.path().join("again"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("again"),
        "1 of 4 shards rerun",
    );
    // Without --shards, the folder's count is kept.
    let kept = in_work(&input, &folder.dir, &NoProgress).unwrap();
    assert_eq!(
        kept.work,
        Some(WorkReport {
            shards: 4,
            reused: 4,
            run: 0
        })
    );
}

/// The runs of pass 2 saved in a work folder, in the order they are made: the runs of
/// pairs by the pair they start at, then the runs of documents in no pair.
fn saved_runs(work: &Path) -> Vec<PathBuf> {
    let mut runs: Vec<(bool, PathBuf)> = std::fs::read_dir(work.join("later/pass2"))
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name.starts_with("rest-"), path)
        })
        .collect();
    runs.sort();
    runs.into_iter().map(|(_, p)| p).collect()
}

#[test]
fn pass_2_resumes_after_its_last_finished_run_whatever_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs, false);
    let plain = scan_with(
        &input,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    write(&plain, &dir.path().join("plain"));

    // A budget of a few documents: pass 2 in many runs, each checkpointed.
    let small = Resources { memory: 400_000 };
    let work = dir.path().join("work");
    let scan = |resources: &Resources| {
        scan_in_work(
            &input,
            &MatchSettings::default(),
            resources,
            &WorkFolder::new(&work),
            &NoProgress,
        )
        .unwrap()
    };
    let first = scan(&small);
    let runs = first.checkpoints.expect("checkpoints").runs_done;
    assert!(runs >= 6, "only {runs} runs of pass 2");
    assert_eq!(saved_runs(&work).len() as u64, runs);
    write(&first, &dir.path().join("first"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("first"),
        "first",
    );

    // As if killed after a third of the runs: the later ones were never written.
    let kept = runs / 3;
    for path in &saved_runs(&work)[kept as usize..] {
        std::fs::remove_file(path).unwrap();
    }
    let resumed = scan(&small);
    assert_eq!(
        resumed.checkpoints,
        Some(CheckpointReport {
            plan_reused: true,
            runs_reused: kept,
            runs_done: runs - kept,
        })
    );
    write(&resumed, &dir.path().join("resumed"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("resumed"),
        "resumed",
    );

    // Killed again, then resumed with the default budget: the saved runs are taken, the
    // rest is cut afresh (one run), and the output does not change.
    for path in &saved_runs(&work)[kept as usize..] {
        std::fs::remove_file(path).unwrap();
    }
    let other = scan(&Resources::default());
    let report = other.checkpoints.expect("checkpoints");
    assert!(report.plan_reused);
    assert_eq!(report.runs_reused, kept);
    assert!(report.runs_done < runs - kept, "{report:?}");
    write(&other, &dir.path().join("other"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("other"),
        "other budget",
    );

    // Other match options make the plan stale: it is made again, its old runs cleared.
    let settings = MatchSettings {
        threshold: 0.8,
        ..MatchSettings::default()
    };
    let stricter = scan_in_work(
        &input,
        &settings,
        &small,
        &WorkFolder::new(&work),
        &NoProgress,
    )
    .unwrap();
    let report = stricter.checkpoints.expect("checkpoints");
    assert!(!report.plan_reused);
    assert_eq!(report.runs_reused, 0);
    assert_eq!(saved_runs(&work).len() as u64, report.runs_done);
    let expected = scan_with(&input, &settings, &small, &NoProgress).unwrap();
    write(&stricter, &dir.path().join("stricter"));
    write(&expected, &dir.path().join("stricter-plain"));
    assert_same(
        &dir.path().join("stricter-plain"),
        &dir.path().join("stricter"),
        "other options",
    );
}

#[test]
fn a_damaged_checkpoint_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let input = spec(&inputs, false);
    let work = dir.path().join("work");
    in_work(&input, &work, &NoProgress).unwrap();
    let plan = work.join("later/plan.bin");
    let mut bytes = std::fs::read(&plan).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&plan, bytes).unwrap();
    let err = match in_work(&input, &work, &NoProgress) {
        Err(err) => err,
        Ok(_) => panic!("a damaged plan was used"),
    };
    let message = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(message.contains("plan.bin"), "{message}");
    assert!(message.contains("checksum"), "{message}");
}
