//! Simulates a scenario's paths and nothing else, for profiling and
//! instruction counts: no summaries, floors, charts or files.
//!
//! ```sh
//! cargo build --release --example paths
//! target/release/examples/paths scenarios/hf-paris-ask.toml 100000
//! target/release/examples/paths scenarios/hf-paris-ask.toml 100000 --draws-only
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/paths scenarios/hf-paris-ask.toml 100000 --threads 1
//! ```
//!
//! `--draws-only` draws the same random numbers as the engine and does
//! nothing else with them (what the `rng_bound` bench measures), on one
//! thread. The difference between two path counts, divided by the
//! difference in paths, is the cost of one path without the fixed cost of
//! loading the scenario.

use equisim::engine::{self, Plan, RunOptions};
use equisim::model::Model;
use equisim::scenario::{self, Override};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: paths SCENARIO PATHS [--threads N] [--draws-only]";
    let (Some(file), Some(paths)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Ok(paths) = paths.parse::<u64>() else {
        eprintln!("PATHS must be a whole number, got `{paths}`\n{usage}");
        return ExitCode::from(2);
    };
    let threads = match args.iter().position(|a| a == "--threads") {
        None => None,
        Some(i) => match args.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n > 0 => Some(n),
            _ => {
                eprintln!("--threads needs a positive whole number\n{usage}");
                return ExitCode::from(2);
            }
        },
    };
    let draws_only = args.iter().any(|a| a == "--draws-only");
    let count = Override::with_value(
        "simulation.paths",
        toml::Value::Integer(paths.min(i64::MAX as u64) as i64),
        "PATHS",
    );
    let s = match scenario::load_file(Path::new(file), &[count]) {
        Ok(loaded) => loaded.scenario,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let what = if draws_only {
        let plan = Plan::new(Model::new(&s), s.simulation.seed);
        let sum: f64 = (0..paths).map(|i| plan.draw_only(i)).sum();
        std::hint::black_box(sum);
        "drew the random numbers of"
    } else {
        let options = RunOptions {
            threads,
            observer: None,
        };
        match engine::simulate(&s, &options) {
            Ok(sim) => {
                std::hint::black_box(&sim.records);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
        "simulated"
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{what} {paths} paths in {seconds:.3} s ({:.2}M paths/s)",
        paths as f64 / seconds / 1e6
    );
    ExitCode::SUCCESS
}
