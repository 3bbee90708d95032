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
