//! `reprint scan --work DIR` and `--shard I/N` from the command line: a scan killed
//! (SIGKILL) at any moment and rerun with the same command gives the output of an
//! uninterrupted scan; shards run one by one and merged give it too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const FILES: [&str; 5] = [
    "documents.jsonl",
    "clusters.jsonl",
    "matches.jsonl",
    "texts.jsonl",
    "manifest.json",
];

/// A generated corpus cut into three JSONL files.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let whole = dir.join("corpus.jsonl");
    let gold = dir.join("gold.jsonl");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    assert_ok(&reprint(&[
        "generate",
        "--seeds",
        seeds,
        "-n",
        "3000",
        "--seed",
        "3",
        "--out",
        whole.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--quiet",
    ]));
    let text = std::fs::read_to_string(&whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(1000)
        .enumerate()
        .map(|(i, chunk)| {
            let path = dir.join(format!("part{i}.jsonl"));
            std::fs::write(&path, chunk.join("\n") + "\n").unwrap();
            path
        })
        .collect()
}

fn scan_args<'a>(inputs: &'a [PathBuf], out: &'a Path, work: Option<&'a Path>) -> Vec<&'a str> {
    let mut args = vec!["scan", "--quiet"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    if let Some(work) = work {
        args.extend(["--work", work.to_str().unwrap()]);
    }
    args
}

fn assert_same(a: &Path, b: &Path, what: &str) {
    for file in FILES {
        assert!(
            std::fs::read(a.join(file)).unwrap() == std::fs::read(b.join(file)).unwrap(),
            "{what}: {file} differs from the uninterrupted scan"
        );
    }
}

#[test]
fn a_scan_killed_at_any_moment_resumes_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let plain = dir.path().join("plain");
    assert_ok(&reprint(&scan_args(&inputs, &plain, None)));

    // How long an uninterrupted scan through a work folder takes, to spread the kills
    // over it (pass 1, the plan, pass 2, writing).
    let started = std::time::Instant::now();
    let timed = dir.path().join("timed");
    assert_ok(&reprint(&scan_args(
        &inputs,
        &timed,
        Some(&dir.path().join("timed-work")),
    )));
    let full = started.elapsed();
    assert_same(&plain, &timed, "through a work folder");

    let mut killed = 0;
    for (n, share) in [0.05, 0.2, 0.4, 0.6, 0.8, 0.95].into_iter().enumerate() {
        let work = dir.path().join(format!("work{n}"));
        let out = dir.path().join(format!("out{n}"));
        let args = scan_args(&inputs, &out, Some(&work));
        let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
            .args(&args)
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(share));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs
            killed += 1;
        }
        child.wait().unwrap();
        let rerun = reprint(&args);
        assert_ok(&rerun);
        assert_same(&plain, &out, &format!("killed at {:.0}%", share * 100.0));
    }
    assert!(
        killed >= 3,
        "only {killed} scans were still running when killed"
    );
}

#[test]
fn shards_run_one_by_one_merge_into_the_plain_scan() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let plain = dir.path().join("plain");
    assert_ok(&reprint(&scan_args(&inputs, &plain, None)));
    let work = dir.path().join("work");
    for shard in ["0/2", "1/2"] {
        let mut args = vec!["scan", "--work", work.to_str().unwrap(), "--shard", shard];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
        let out = reprint(&args);
        assert_ok(&out);
        assert!(
            stderr(&out).contains(&format!("pass 1 of shard {shard}")),
            "{}",
            stderr(&out)
        );
    }
    // Three shards read at once on this machine, into a fresh folder.
    let at_once = dir.path().join("at-once");
    let work3 = dir.path().join("work3");
    let mut args = scan_args(&inputs, &at_once, Some(&work3));
    args.extend(["--shards", "3"]);
    let out = reprint(&args);
    assert_ok(&out);
    assert_same(&plain, &at_once, "--shards 3");

    let merged = dir.path().join("merged");
    let out = reprint(&scan_args(&inputs, &merged, Some(&work)));
    assert_ok(&out);
    assert_same(&plain, &merged, "2 shards");

    // --shard needs --work; a bad shard is refused naming the form.
    let first = inputs[0].to_str().unwrap();
    let out = reprint(&["scan", "--shard", "0/2", first]);
    assert!(!out.status.success());
    let out = reprint(&[
        "scan",
        "--work",
        work.to_str().unwrap(),
        "--shard",
        "2/2",
        first,
    ]);
    assert!(
        !out.status.success() && stderr(&out).contains("I/N"),
        "{}",
        stderr(&out)
    );
}
