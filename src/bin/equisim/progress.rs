//! The progress bar and the warnings, on stderr: the binary's observer of
//! a command.

use equisim::observer::{Observer, Unit};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::io::{IsTerminal, Write};

/// Runs shorter than this many paths get no bar: they are over before it
/// would tell anything.
const MIN_PATHS_FOR_A_BAR: u64 = 500_000;

/// Draws a bar for each stage on a terminal (none with `--quiet` or when
/// stderr is not a terminal), and prints warnings above it.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new(quiet: bool) -> Bar {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(ProgressBar::hidden);
        Bar { bar }
    }

    /// Removes the bar, if one was drawn.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Observer for Bar {
    fn stage(&self, what: &str, total: u64, unit: Unit) {
        let Some(b) = &self.bar else { return };
        let template = match unit {
            Unit::Paths if total < MIN_PATHS_FOR_A_BAR => {
                b.set_draw_target(indicatif::ProgressDrawTarget::hidden());
                return;
            }
            Unit::Paths => "{bar:30} {human_pos}/{human_len} paths  {rate}  eta {eta}  {msg}",
            Unit::Values => "{bar:30} {pos}/{len} values  eta {eta}",
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // As the summary line writes it (`7.15M paths/s`); indicatif's
            // own `{per_sec}` prints every digit (`2,567,257.904/s`).
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.2}M/s", state.per_sec() / 1e6);
                },
            );
        b.set_style(style);
        // Sized before it is shown: its first frame would read 0/0.
        b.reset();
        b.set_length(total);
        b.set_message(what.to_string());
        b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }

    fn advance(&self, done: u64) {
        if let Some(b) = &self.bar {
            b.inc(done);
        }
    }

    fn warning(&self, text: &str) {
        let line = format!("warning: {text}");
        match &self.bar {
            Some(b) => b.suspend(|| eprintln_quietly(&line)),
            None => eprintln_quietly(&line),
        }
    }
}

/// A line on stderr; a closed stderr is not worth a panic.
pub fn eprintln_quietly(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
