//! `reprint-fuzz`: the long fuzzing run (see the crate doc in `lib.rs`).
//!
//! ```text
//! cargo run --release -p reprint-fuzz -- --inputs 10000000 [--threads N] [--seed S]
//!     [--targets jsonl,compressed,txt,warc,http,html,pairs] [--timeout-s 10]
//!     [--max-rss-mb 4096] [--failures DIR]
//! cargo run --release -p reprint-fuzz -- --replay html#123456 [--seed S]
//! cargo run --release -p reprint-fuzz -- --run html saved-input.bin
//! ```
//!
//! Inputs are spread evenly over the targets. A panic is caught and its input saved
//! (`DIR/panic-<target>-<i>.bin`); an input running past `--timeout-s` (a hang) or the
//! process's resident memory passing `--max-rss-mb` (a blow-up) saves the inputs being
//! run and ends the run. Every 10 s a progress line names the input each worker is on,
//! so an abort (which ends the process at once) is located by replaying those. Exit
//! status 0 when nothing failed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reprint_fuzz::{hostile_dir, input, seeds, Target};

struct Options {
    inputs: u64,
    threads: usize,
    seed: u64,
    targets: Vec<Target>,
    timeout: Duration,
    max_rss: u64,
    failures: PathBuf,
    replay: Option<(Target, u64)>,
    /// `--run TARGET FILE`: one saved input, timed.
    run_file: Option<(Target, PathBuf)>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        inputs: 100_000,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        seed: 1,
        targets: Target::ALL.to_vec(),
        timeout: Duration::from_secs(10),
        max_rss: 4096 << 20,
        failures: PathBuf::from("fuzz-failures"),
        replay: None,
        run_file: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        let number = |v: String| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{arg}: {e}"))
        };
        match arg.as_str() {
            "--inputs" => options.inputs = number(value()?)?,
            "--threads" => options.threads = number(value()?)?.clamp(1, 1024) as usize,
            "--seed" => options.seed = number(value()?)?,
            "--timeout-s" => options.timeout = Duration::from_secs(number(value()?)?.max(1)),
            "--max-rss-mb" => options.max_rss = number(value()?)? << 20,
            "--failures" => options.failures = PathBuf::from(value()?),
            "--targets" => {
                options.targets = value()?
                    .split(',')
                    .map(|t| Target::parse(t.trim()).ok_or_else(|| format!("no target {t:?}")))
                    .collect::<Result<_, _>>()?;
            }
            "--replay" => {
                let v = value()?;
                let (t, i) = v.split_once('#').ok_or("--replay takes TARGET#INDEX")?;
                let target = Target::parse(t).ok_or_else(|| format!("no target {t:?}"))?;
                options.replay = Some((target, number(i.to_owned())?));
            }
            "--run" => {
                let t = value()?;
                let target = Target::parse(&t).ok_or_else(|| format!("no target {t:?}"))?;
                options.run_file = Some((target, PathBuf::from(value()?)));
            }
            "-h" | "--help" => {
                return Err("usage: reprint-fuzz [--inputs N] [--threads N] [--seed S] \
                            [--targets a,b] [--timeout-s S] [--max-rss-mb M] [--failures DIR] \
                            [--replay TARGET#INDEX] [--run TARGET FILE]"
                    .to_owned())
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.targets.is_empty() {
        return Err("no target".to_owned());
    }
    Ok(options)
}

/// Resident memory of this process, in bytes (Linux; 0 elsewhere).
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// What one worker is running, for the watchdog.
struct Slot {
    /// Milliseconds since the start when the current input began; `u64::MAX` when idle.
    started: AtomicU64,
    /// The current job (see `job_of`).
    job: AtomicU64,
    input: Mutex<Vec<u8>>,
}

fn save(dir: &Path, kind: &str, target: Target, index: u64, data: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("{kind}-{}-{index}.bin", target.name()));
    let _ = std::fs::write(&path, data);
    path
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let hostile = hostile_dir();
    let all_seeds: Vec<Vec<Vec<u8>>> = options
        .targets
        .iter()
        .map(|&t| seeds(t, hostile.as_deref()))
        .collect();
    if let Some((target, path)) = &options.run_file {
        let data = match std::fs::read(path) {
            Ok(data) => data,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        let started = Instant::now();
        let out = target.run(&data);
        eprintln!(
            "{} bytes through {} in {:.3} s (output {out})",
            data.len(),
            target.name(),
            started.elapsed().as_secs_f64()
        );
        return ExitCode::SUCCESS;
    }
    if let Some((target, index)) = options.replay {
        let seeds = seeds(target, hostile.as_deref());
        let data = input(target, &seeds, options.seed, index);
        let path = save(&options.failures, "replay", target, index, &data);
        eprintln!(
            "replaying {}#{index} ({} bytes, saved to {})",
            target.name(),
            data.len(),
            path.display()
        );
        let started = Instant::now();
        let out = target.run(&data);
        eprintln!(
            "done in {:.3} s (output {out})",
            started.elapsed().as_secs_f64()
        );
        return ExitCode::SUCCESS;
    }
    // Panics are caught and counted; their default message per input would drown the
    // output, so the first few are printed by the runner instead.
    std::panic::set_hook(Box::new(|_| {}));
    let k = options.targets.len() as u64;
    let job_of = |job: u64| {
        (
            options.targets[(job % k) as usize],
            job / k,
            (job % k) as usize,
        )
    };
    let next = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let counts: Vec<AtomicU64> = options.targets.iter().map(|_| AtomicU64::new(0)).collect();
    let panics = AtomicU64::new(0);
    let slots: Vec<Arc<Slot>> = (0..options.threads)
        .map(|_| {
            Arc::new(Slot {
                started: AtomicU64::new(u64::MAX),
                job: AtomicU64::new(0),
                input: Mutex::new(Vec::new()),
            })
        })
        .collect();
    let start = Instant::now();
    let mut peak_rss = 0u64;
    eprintln!(
        "fuzzing {} inputs over {} targets ({}) on {} threads, seed {}; seeds: {}",
        options.inputs,
        k,
        options
            .targets
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(","),
        options.threads,
        options.seed,
        all_seeds
            .iter()
            .map(|s| s.len().to_string())
            .collect::<Vec<_>>()
            .join("/")
    );
    std::thread::scope(|scope| {
        for (w, slot) in slots.iter().enumerate() {
            let (next, counts, panics, all_seeds, options, done) =
                (&next, &counts, &panics, &all_seeds, &options, &done);
            let slot = Arc::clone(slot);
            std::thread::Builder::new()
                .name(format!("fuzz-worker-{w}"))
                // Deep enough for what the pipeline's own workers get.
                .stack_size(64 << 20)
                .spawn_scoped(scope, move || loop {
                    let first = next.fetch_add(64, Ordering::Relaxed);
                    if first >= options.inputs || done.load(Ordering::Relaxed) {
                        break;
                    }
                    for job in first..(first + 64).min(options.inputs) {
                        let (target, index, t) = job_of(job);
                        let data = input(target, &all_seeds[t], options.seed, index);
                        if let Ok(mut held) = slot.input.lock() {
                            held.clear();
                            held.extend_from_slice(&data);
                        }
                        slot.job.store(job, Ordering::Relaxed);
                        slot.started
                            .store(start.elapsed().as_millis() as u64, Ordering::Relaxed);
                        let result = catch_unwind(AssertUnwindSafe(|| target.run(&data)));
                        slot.started.store(u64::MAX, Ordering::Relaxed);
                        counts[t].fetch_add(1, Ordering::Relaxed);
                        if let Err(panic) = result {
                            let n = panics.fetch_add(1, Ordering::Relaxed);
                            let path = save(&options.failures, "panic", target, index, &data);
                            if n < 20 {
                                let message = panic
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                eprintln!(
                                    "PANIC {}#{index}: {message} (input saved to {})",
                                    target.name(),
                                    path.display()
                                );
                            }
                        }
                    }
                })
                .expect("spawn a worker");
        }
        // The watchdog: hangs, memory, progress.
        let mut last_report = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let finished: u64 = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
            let now = start.elapsed().as_millis() as u64;
            let memory = rss();
            peak_rss = peak_rss.max(memory);
            let mut failure = None;
            for slot in &slots {
                let began = slot.started.load(Ordering::Relaxed);
                if began != u64::MAX
                    && now.saturating_sub(began) > options.timeout.as_millis() as u64
                {
                    failure = Some("HANG");
                }
            }
            if memory > options.max_rss {
                failure = Some("MEMORY");
            }
            if let Some(kind) = failure {
                done.store(true, Ordering::Relaxed);
                for slot in &slots {
                    let began = slot.started.load(Ordering::Relaxed);
                    let over = now.saturating_sub(began) > options.timeout.as_millis() as u64;
                    // The hung inputs (or, for memory, every input running).
                    if began == u64::MAX || (kind == "HANG" && !over) {
                        continue;
                    }
                    let (target, index, _) = job_of(slot.job.load(Ordering::Relaxed));
                    let data = slot.input.lock().map(|d| d.clone()).unwrap_or_default();
                    let path = save(
                        &options.failures,
                        &kind.to_lowercase(),
                        target,
                        index,
                        &data,
                    );
                    eprintln!(
                        "{kind} {}#{index}: running {:.1} s, {} MB resident (input saved to {})",
                        target.name(),
                        now.saturating_sub(slot.started.load(Ordering::Relaxed)) as f64 / 1000.0,
                        memory >> 20,
                        path.display()
                    );
                }
                // A hung worker may never return: end the process now rather than
                // wait for it at the end of the scope.
                let finished: u64 = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
                eprintln!(
                    "stopped after {finished} inputs in {:.1} s: {} panics, 1 {}",
                    start.elapsed().as_secs_f64(),
                    panics.load(Ordering::Relaxed),
                    if kind == "HANG" {
                        "hang"
                    } else {
                        "memory blow-up"
                    }
                );
                std::process::exit(1);
            }
            if last_report.elapsed() >= Duration::from_secs(10) {
                last_report = Instant::now();
                let at: Vec<String> = slots
                    .iter()
                    .map(|s| {
                        let (t, i, _) = job_of(s.job.load(Ordering::Relaxed));
                        format!("{}#{i}", t.name())
                    })
                    .collect();
                eprintln!(
                    "{finished} inputs in {:.0} s, {} panics, {} MB resident; workers at {}",
                    start.elapsed().as_secs_f64(),
                    panics.load(Ordering::Relaxed),
                    memory >> 20,
                    at.join(" ")
                );
            }
            if finished >= options.inputs {
                return;
            }
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    let total: u64 = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    let per_target: Vec<String> = options
        .targets
        .iter()
        .zip(&counts)
        .map(|(t, c)| format!("{}: {}", t.name(), c.load(Ordering::Relaxed)))
        .collect();
    let panics = panics.load(Ordering::Relaxed);
    eprintln!(
        // (A hang or a memory blow-up ends the process in the watchdog, above.)
        "ran {total} inputs in {seconds:.1} s ({:.0}/s; {}): {panics} panics, 0 hangs, 0 memory blow-ups; peak resident memory {} MB",
        total as f64 / seconds.max(1e-9),
        per_target.join(", "),
        peak_rss >> 20
    );
    if panics > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
