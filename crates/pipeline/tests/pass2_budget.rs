//! Pass 2 within a memory budget: any budget, down to one pair per run, gives the same
//! output files byte for byte; a small budget cuts the pairs into several runs, with at
//! most documents + pairs + runs preparations (linear), and a budget that holds
//! everything prepares each document once.

use std::path::{Path, PathBuf};

use reprint_bench::generate::{generate, GenOptions};
use reprint_io::ReadOptions;
use reprint_pipeline::{scan_with, InputSpec, MatchSettings, NoProgress, Resources, ScanResult};

/// A press-like corpus (chance overlap, copies of every kind), as JSONL.
fn corpus(dir: &Path) -> PathBuf {
    let seeds: Vec<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect::<Vec<_>>();
    let mut seeds = seeds;
    seeds.sort();
    let docs = generate(
        &seeds,
        &GenOptions {
            docs: 400,
            seed: 5,
            ..GenOptions::default()
        },
    )
    .unwrap();
    let path = dir.join("corpus.jsonl");
    let lines: String = docs
        .iter()
        .map(|(d, _)| {
            format!(
                "{}\n",
                serde_json::json!({"id": d.id, "text": d.text, "date": d.date, "site": d.site})
            )
        })
        .collect();
    std::fs::write(&path, lines).unwrap();
    path
}

fn scan_in(input: &Path, memory: u64, out: &Path) -> ScanResult {
    let spec = InputSpec {
        inputs: vec![input.to_path_buf()],
        read: ReadOptions::default(),
        skip_invalid: false,
    };
    let result = scan_with(
        &spec,
        &MatchSettings::default(),
        &Resources { memory },
        &NoProgress,
    )
    .expect("scan");
    std::fs::create_dir_all(out).unwrap();
    result.write(out).expect("write");
    result
}

#[test]
fn any_budget_gives_the_same_output_with_linear_preparations() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let whole = scan_in(&input, 1 << 40, &dir.path().join("whole"));
    let prepared = whole.prepared_count() as u64;
    assert_eq!(whole.timings.pass2_blocks, 1);
    assert_eq!(whole.timings.pass2_preparations, prepared);
    let pairs = whole.outcome.stats.aligned;
    assert!(
        pairs > 50,
        "the corpus must give pass 2 work: {pairs} pairs"
    );

    // 4 KB: below one document, so every run holds a single pair; 2 MB: a few runs.
    for (memory, name) in [(4096, "one-pair"), (2 << 20, "small")] {
        let out = dir.path().join(name);
        let result = scan_in(&input, memory, &out);
        let t = &result.timings;
        assert!(t.pass2_blocks > 1, "{name}: {} runs", t.pass2_blocks);
        assert!(
            t.pass2_preparations <= prepared + pairs + t.pass2_blocks,
            "{name}: {} preparations for {prepared} documents, {pairs} pairs, {} runs",
            t.pass2_preparations,
            t.pass2_blocks
        );
        if name == "one-pair" {
            assert_eq!(t.pass2_blocks, pairs);
        }
        for file in [
            "documents.jsonl",
            "clusters.jsonl",
            "matches.jsonl",
            "texts.jsonl",
            "manifest.json",
        ] {
            assert!(
                std::fs::read(dir.path().join("whole").join(file)).unwrap()
                    == std::fs::read(out.join(file)).unwrap(),
                "{name}: {file} differs from the scan held in memory"
            );
        }
    }
}

#[test]
fn a_budget_must_be_positive() {
    assert!(Resources::with_memory_gb(0.0).is_err());
    assert!(Resources::with_memory_gb(f64::NAN).is_err());
    assert_eq!(
        Resources::with_memory_gb(2.0).unwrap().memory,
        2_000_000_000
    );
    assert!(Resources::default().memory > 0);
}
