//! Progress and the closing summary on stderr: a bar only when stderr is a terminal,
//! nothing at all with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the user sees on stderr.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    bars: bool,
}

impl Ui {
    pub fn new(quiet: bool) -> Self {
        Ui {
            quiet,
            bars: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A bar over `total` bytes of input, or a spinner when the size is unknown.
    pub fn bytes_bar(&self, total: Option<u64>) -> ProgressBar {
        if !self.bars {
            return ProgressBar::hidden();
        }
        let bar = match total {
            Some(total) => {
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:>12} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar
            }
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A spinner for a stage whose length is not known ahead.
    pub fn spinner(&self, message: &'static str) -> ProgressBar {
        if !self.bars {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner();
        bar.set_message(message);
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A line of the closing summary.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}

/// The job's progress shown with [`Ui`]: a byte bar while reading, then a spinner
/// naming the stage; skipped records as lines.
pub struct JobProgress {
    ui: Ui,
    bar: std::sync::Mutex<Option<ProgressBar>>,
}

impl JobProgress {
    pub fn new(ui: Ui) -> Self {
        JobProgress {
            ui,
            bar: std::sync::Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        // A poisoned lock only means another thread panicked while drawing.
        let mut bar = match self.bar.lock() {
            Ok(bar) => bar,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut bar);
    }
}

impl reprint_pipeline::Progress for JobProgress {
    fn reading(&self, total_bytes: Option<u64>) {
        let bar = self.ui.bytes_bar(total_bytes);
        bar.set_message("reading");
        self.with_bar(|slot| *slot = Some(bar));
    }

    fn read(&self, bytes: u64) {
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.set_position(bytes);
            }
        });
    }

    fn read_done(&self) {
        self.with_bar(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }

    fn stage(&self, name: &'static str) {
        self.with_bar(|slot| match slot {
            Some(bar) => bar.set_message(name),
            None => *slot = Some(self.ui.spinner(name)),
        });
    }

    fn done(&self) {
        self.read_done();
    }

    fn warn(&self, line: &str) {
        self.ui.say(line);
    }
}
