//! `reprint scan`: the pipeline's scan job over the inputs, its files written into the
//! output folder, and the summary on stderr.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::ingest::{describe_read, job_error, InputArgs, MatchArgs};
use reprint_pipeline::Progress;

use crate::progress::{JobProgress, Ui};

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    /// Output folder (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Also write the HTML report of the scan to FILE (what `reprint report OUT --out
    /// FILE` writes, with its default options).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

pub fn run(args: &ScanArgs, ui: &Ui) -> anyhow::Result<()> {
    let settings = args.matching.settings();
    // Options are checked before anything is created or read.
    settings.analysis_options().map_err(job_error)?;
    settings.match_options().map_err(job_error)?;
    fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let progress = JobProgress::new(*ui);
    let result =
        reprint_pipeline::scan(&args.input.spec(), &settings, &progress).map_err(job_error)?;
    progress.stage("writing");
    let started = std::time::Instant::now();
    result.write(&args.out).map_err(job_error)?;
    progress.done();
    if std::env::var_os("REPRINT_TIMINGS").is_some() {
        let t = &result.timings;
        eprintln!(
            "timings: read+pass1 {:.3}s, plan {:.3}s, pass2 {:.3}s ({} docs), align+cluster {:.3}s, provenance {:.3}s, write {:.3}s",
            t.read_and_pass1.as_secs_f64(),
            t.plan.as_secs_f64(),
            t.pass2.as_secs_f64(),
            result.prepared_count(),
            t.align_and_cluster.as_secs_f64(),
            t.provenance.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }
    ui.say(&describe_read(&result.corpus.summary));
    for line in result.describe(&args.out) {
        ui.say(&line);
    }
    if let Some(html) = &args.report {
        crate::report::run(&crate::report::ReportArgs::defaults(&args.out, html), ui)?;
    }
    Ok(())
}
