//! The `equisim` command line: parse the flags, resolve them once, call
//! the one library function of the command, print what it returns, and
//! set the exit code.

mod args;
mod print;
mod progress;
mod resolve;

use equisim::command;
use equisim::engine::RunOptions;
use equisim::error::Error;
use progress::{Bar, eprintln_quietly};
use resolve::{Execution, Resolved, Show};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    equisim::engine::keep_freed_buffers();
    let cli = args::Cli::parse_args();
    if let Err(e) = equisim::fs::install_interrupt_handler() {
        eprintln_quietly(&format!("warning: {e}"));
    }
    match Resolved::from(cli.command).and_then(execute) {
        Ok(out) => match std::io::stdout().lock().write_all(out.as_bytes()) {
            // A reader that stopped reading (`| head`) is no failure.
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln_quietly(&format!("error: cannot write to stdout: {e}"));
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln_quietly(&format!("error: {}", print::error(&e)));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Runs the command and returns what it prints on stdout.
fn execute(resolved: Resolved) -> Result<String, Error> {
    match resolved {
        Resolved::Run(request, execution, show) => {
            observed(execution, show, |o| command::run(&request, o))
                .map(|outcome| print::run(&outcome, show.json))
        }
        Resolved::Check(input) => {
            let quiet = Show {
                json: false,
                quiet: true,
            };
            observed(Execution { threads: None }, quiet, |o| {
                command::check(&input, o)
            })
            .map(|outcome| print::check(&input.scenario, &outcome))
        }
        Resolved::Floor(request, execution, show) => {
            observed(execution, show, |o| command::floor(&request, o))
                .map(|outcome| print::floor(&outcome, show.json))
        }
        Resolved::Sweep(request, execution, show) => {
            observed(execution, show, |o| command::sweep(&request, o))
                .map(|outcome| print::sweep(&outcome, show.json))
        }
        Resolved::Sensitivity(request, execution, show) => {
            observed(execution, show, |o| command::sensitivity(&request, o))
                .map(|outcome| print::sensitivity(&outcome, show.json))
        }
        Resolved::Dlom(request) => {
            let outcome = command::dlom(&request)?;
            if outcome.rate_ignored {
                eprintln_quietly("warning: --rate is used by chaffe only; ignored");
            }
            Ok(print::dlom(&request, &outcome))
        }
    }
}

/// Runs `command` with the progress bar (unless quiet) and the warnings on
/// stderr, and clears the bar when it is done.
fn observed<T>(
    execution: Execution,
    show: Show,
    command: impl FnOnce(&RunOptions) -> Result<T, Error>,
) -> Result<T, Error> {
    let bar = Arc::new(Bar::new(show.quiet));
    let options = RunOptions {
        threads: execution.threads,
        observer: Some(bar.clone()),
    };
    let outcome = command(&options);
    bar.finish();
    outcome
}
