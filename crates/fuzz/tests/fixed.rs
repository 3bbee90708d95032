//! The fuzzer's fixed run, in CI: every seed of every target (the built-in ones and, when
//! `../shared/data/hostile-inputs/` is present, its files), then the first mutated
//! inputs of a fixed seed, each run once and checked for panics and slow inputs. The
//! long run is `cargo run --release -p reprint-fuzz -- --inputs 10000000`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use reprint_fuzz::{hostile_dir, input, seeds, Target};

/// Mutated inputs per target here: a few seconds of a debug build in all.
const MUTATED: u64 = 150;

/// Slowest input allowed (a debug build is ten times slower than a release one).
const SLOW: Duration = Duration::from_secs(20);

#[test]
fn seeds_and_the_first_mutations_of_every_target_run_cleanly() {
    let hostile = hostile_dir();
    if hostile.is_none() {
        println!("note: ../shared/data/hostile-inputs is absent; built-in seeds only");
    }
    let mut failures = Vec::new();
    for target in Target::ALL {
        let seeds = seeds(target, hostile.as_deref());
        assert!(!seeds.is_empty(), "{}", target.name());
        for index in 0..seeds.len() as u64 + MUTATED {
            let data = input(target, &seeds, 1, index);
            let started = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| target.run(&data)));
            let elapsed = started.elapsed();
            if result.is_err() {
                failures.push(format!("{}#{index}: panic", target.name()));
            } else if elapsed > SLOW {
                failures.push(format!("{}#{index}: {elapsed:?}", target.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn inputs_are_rebuilt_from_their_number_alone() {
    // What `--replay target#i` relies on: the same input whatever ran before it.
    let seeds = seeds(Target::Html, None);
    let late = input(Target::Html, &seeds, 7, 1234);
    for i in 0..50 {
        input(Target::Html, &seeds, 7, i);
    }
    assert_eq!(input(Target::Html, &seeds, 7, 1234), late);
    assert_ne!(
        input(Target::Html, &seeds, 8, 1234),
        late,
        "the run seed matters"
    );
    // The first inputs are the seeds themselves.
    assert_eq!(input(Target::Html, &seeds, 7, 0), seeds[0]);
}

#[test]
fn the_seeds_reach_what_they_are_for() {
    // Seeds that parse fine reach the deep code (a broken seed would leave only the
    // error paths fuzzed).
    assert!(Target::Jsonl.run(&seeds(Target::Jsonl, None)[0]) >= 5);
    assert!(Target::Compressed.run(&seeds(Target::Compressed, None)[0]) >= 5);
    assert!(Target::Txt.run(&seeds(Target::Txt, None)[0]) > 10);
    assert!(
        Target::Warc.run(&seeds(Target::Warc, None)[0]) > 100,
        "pages extracted"
    );
    assert!(
        Target::Warc.run(&seeds(Target::Warc, None)[1]) > 100,
        "gzip members"
    );
    assert_eq!(
        Target::Http.run(&seeds(Target::Http, None)[3]),
        1,
        "chunked + gzip"
    );
    assert!(Target::Html.run(&seeds(Target::Html, None)[0]) > 100);
    assert_eq!(Target::Pairs.run(&seeds(Target::Pairs, None)[0]), 5);
}
