//! One library function per command of the `equisim` binary, each taking a
//! request of resolved values and returning plain data: the binary parses
//! its flags into a request, calls one of these, and prints what comes
//! back. Nothing here prints; progress and warnings go to the observer in
//! [`RunOptions`].
//!
//! - [`run()`]: simulate a scenario, summarize both offers, solve its
//!   `[floor]`, write `summary.json`, `summary.csv` and the charts.
//! - [`check()`]: validate everything a scenario file holds and print it
//!   back with every default.
//! - [`floor()`]: the accept-at floors and the indifference frontier.
//! - [`sweep()`]: one field over a range, with the floors at each value.
//! - [`dlom()`]: a discount for lack of marketability from a closed form.

pub mod check;
pub mod dlom;
pub mod floor;
pub mod run;
pub mod sensitivity;
pub mod sweep;

pub use check::check;
pub use dlom::dlom;
pub use floor::floor;
pub use run::run;
pub use sensitivity::sensitivity;
pub use sweep::sweep;

use crate::engine::RunOptions;
use crate::error::Error;
use crate::scenario::{self, Criterion, FloorSpec, Loaded, Override, Scenario, SolveFor};
use std::path::{Path, PathBuf};

/// A scenario file and the overrides on top of it, in order (`--set`, then
/// `--paths` and `--seed`).
#[derive(Debug, Clone)]
pub struct Input {
    pub scenario: PathBuf,
    pub overrides: Vec<Override>,
}

impl Input {
    /// Reads and resolves the scenario, marks the file as an input that no
    /// output may replace, and tells the observer its warnings.
    pub fn load(&self, options: &RunOptions) -> Result<Loaded, Error> {
        let loaded = scenario::load_file(&self.scenario, &self.overrides)?;
        crate::fs::protect_input(&self.scenario);
        warn(options, &loaded.warnings);
        Ok(loaded)
    }

    /// `output/<scenario file stem>`: where a command writes when it is not
    /// told.
    pub fn default_out_dir(&self) -> PathBuf {
        default_out_dir(&self.scenario)
    }
}

/// `output/<file stem of scenario>`.
pub fn default_out_dir(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    Path::new("output").join(stem)
}

/// What a floor solves for and by which criteria, as asked on the command
/// line; what is not asked comes from the scenario's `[floor]`, then from
/// the defaults ([`FloorSpec::default`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloorChoice {
    pub solve_for: Option<SolveFor>,
    pub criteria: Option<Vec<Criterion>>,
}

impl FloorChoice {
    /// The lever and criteria for `scenario`.
    pub fn resolve(&self, scenario: &Scenario) -> FloorSpec {
        let spec = scenario.floor.clone().unwrap_or_default();
        FloorSpec {
            solve_for: self.solve_for.unwrap_or(spec.solve_for),
            criteria: self.criteria.clone().unwrap_or(spec.criteria),
        }
    }
}

/// Tells the observer, if any, each warning.
pub(crate) fn warn(options: &RunOptions, warnings: &[String]) {
    if let Some(o) = &options.observer {
        for w in warnings {
            o.warning(w);
        }
    }
}
