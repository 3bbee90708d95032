//! Records handed over in parts (as a Spark job's partitions are): pass 1 of each part
//! staged on its own, at the same time, then merged and finished on one machine, gives
//! the output of one in-memory scan of all the records in part order, byte for byte.

use std::path::{Path, PathBuf};

use reprint_bench::generate::{generate, GenOptions};
use reprint_io::{read_memory, MemoryRecord, ReadOptions, Shard};
use reprint_pipeline::{
    scan_records, scan_staged, stage_shard, JobError, MatchSettings, NoProgress, Resources,
    ScanResult, StagedRecords,
};
use serde_json::value::RawValue;

const FILES: [&str; 5] = [
    "documents.jsonl",
    "clusters.jsonl",
    "matches.jsonl",
    "texts.jsonl",
    "manifest.json",
];

/// A press-like corpus (chance overlap, copies of every kind) as records, `line` their
/// 1-based position.
fn records() -> Vec<MemoryRecord> {
    let mut seeds: Vec<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
    seeds.sort();
    let docs = generate(
        &seeds,
        &GenOptions {
            docs: 300,
            seed: 4,
            ..GenOptions::default()
        },
    )
    .unwrap();
    docs.into_iter()
        .enumerate()
        .map(|(i, (d, _))| MemoryRecord {
            line: i as u64 + 1,
            id: Some(d.id),
            text: d.text,
            fields: vec![
                (
                    "date".to_owned(),
                    RawValue::from_string(serde_json::to_string(&d.date).unwrap()).unwrap(),
                ),
                (
                    "site".to_owned(),
                    RawValue::from_string(serde_json::to_string(&d.site).unwrap()).unwrap(),
                ),
            ],
        })
        .collect()
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

fn staged(work: &Path, job: &str) -> StagedRecords {
    StagedRecords {
        work: work.to_path_buf(),
        job: job.to_owned(),
        read: ReadOptions::default(),
        skip_invalid: false,
    }
}

/// The shards of `staged` merged and the scan finished, with the default settings.
fn finish(staged: &StagedRecords, count: u32) -> Result<ScanResult, JobError> {
    scan_staged(
        staged,
        count,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
}

/// Stages `parts` at once, one thread each; returns whether each was run.
fn stage_all(parts: &[Vec<MemoryRecord>], staged: &StagedRecords) -> Vec<bool> {
    let count = parts.len() as u32;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(index, part)| {
                scope.spawn(move || {
                    let shard = Shard {
                        index: index as u32,
                        count,
                    };
                    let (info, run) = stage_shard(
                        read_memory(part.clone()),
                        staged,
                        shard,
                        &MatchSettings::default(),
                        &NoProgress,
                    )
                    .unwrap();
                    assert_eq!(info.documents, part.len() as u64);
                    run
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn parts_staged_apart_and_merged_give_the_in_memory_scan() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    let plain = scan_records(
        all.clone(),
        false,
        &MatchSettings::default(),
        &Resources::default(),
        &NoProgress,
    )
    .unwrap();
    assert!(
        plain.outcome.matches.len() > 20,
        "the corpus must have links"
    );
    write(&plain, &dir.path().join("plain"));

    // Parts of unequal sizes, one of them empty (a Spark partition may be).
    let cuts = [0, 70, 70, 200, 300];
    let parts: Vec<Vec<MemoryRecord>> = cuts.windows(2).map(|w| all[w[0]..w[1]].to_vec()).collect();
    let work = dir.path().join("work");
    let job = staged(&work, "job-1");
    assert_eq!(stage_all(&parts, &job), vec![true; 4]);
    let merged = finish(&job, 4).unwrap();
    write(&merged, &dir.path().join("merged"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("merged"),
        "merged",
    );

    // Staged again under the same job: every shard is reused, and so are the plan and
    // pass 2's runs.
    assert_eq!(stage_all(&parts, &job), vec![false; 4]);
    let again = finish(&job, 4).unwrap();
    let later = again.checkpoints.unwrap();
    assert!(later.plan_reused && later.runs_done == 0, "{later:?}");
    write(&again, &dir.path().join("again"));
    assert_same(
        &dir.path().join("plain"),
        &dir.path().join("again"),
        "again",
    );

    // Another job in the same folder reuses nothing of the first.
    assert_eq!(stage_all(&parts, &staged(&work, "job-2")), vec![true; 4]);
}

#[test]
fn missing_parts_and_ids_repeated_across_parts_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    let work = dir.path().join("work");
    let job = staged(&work, "job");
    let parts = vec![
        all[..100].to_vec(),
        all[100..200].to_vec(),
        all[200..].to_vec(),
    ];
    stage_all(&parts[..1], &job);
    // Only shard 0 of 1 was made: asking for 3 names the missing ones.
    let err = match finish(&job, 3) {
        Err(err) => err,
        Ok(_) => panic!("merged without its shards"),
    };
    let message = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(message.contains("0 of 3 shards"), "{message}");
    assert!(message.contains("missing: 0, 1, 2"), "{message}");

    // The record at position 150 repeats the id of the one at position 10.
    let mut dup = parts.clone();
    dup[1][50].id = dup[0][10].id.clone();
    let job = staged(&dir.path().join("dup"), "job");
    stage_all(&dup, &job);
    let err = match finish(&job, 3) {
        Err(err) => err,
        Ok(_) => panic!("a repeated id was merged"),
    };
    match err {
        JobError::BadInput(e) => {
            assert_eq!(e.line, Some(151), "{e}");
            assert!(
                matches!(e.kind, reprint_io::ErrorKind::DuplicateId(_)),
                "{e}"
            );
        }
        other => panic!("not a bad-input error: {other}"),
    }
}
