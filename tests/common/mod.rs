//! Helpers shared by the integration tests: the one runner of the
//! `equisim` binary, scenarios from a few lines of TOML, running the
//! engine, and the model's closed forms.

#![allow(dead_code)]

pub mod closed_form;
pub mod image;

use equisim::engine::{self, PathRecord, RunOptions};
use equisim::scenario::{self, Scenario};
use equisim::stats::mean_sd;

/// The `equisim` binary built for these tests, ready for its arguments.
/// Every test that runs the command line starts here.
pub fn equisim() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_equisim"))
}

/// A shipped scenario file, by its name in `scenarios/`.
pub fn shipped(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// The required fields, with `paths` and `seed`, as TOML text.
pub fn required_fields(paths: u64, seed: u64) -> String {
    format!(
        "name = \"test\"\n[simulation]\npaths = {paths}\nseed = {seed}\n\
         [company]\nvaluation = 1e9\n[offer]\nbase = 100_000\n[offer.equity]\ngrant = 100_000\n\
         [alternative]\nbase = 100_000\n"
    )
}

/// Scenario text: `extra` TOML on top of the required fields (a field in
/// `extra` wins).
pub fn scenario_text(extra: &str, paths: u64, seed: u64) -> String {
    let mut table: toml::Table = toml::from_str(extra).expect("test TOML");
    let defaults: toml::Table = toml::from_str(&required_fields(paths, seed)).unwrap();
    merge(&mut table, defaults);
    toml::to_string(&table).unwrap()
}

/// A resolved scenario from `extra` on top of the required fields.
pub fn scenario(extra: &str, paths: u64, seed: u64) -> Scenario {
    let text = scenario_text(extra, paths, seed);
    scenario::load_str("test.toml", &text, &[])
        .unwrap_or_else(|e| panic!("invalid test scenario: {e}\n{text}"))
        .scenario
}

/// Adds to `into` every key of `from` that it does not have, recursively.
pub fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (Some(_), _) => {}
            (None, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Every path of `s`.
pub fn run(s: &Scenario) -> Vec<PathRecord> {
    engine::simulate(s, &RunOptions::default()).unwrap().records
}

/// A sample compared with its exact value.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub what: String,
    pub values: Vec<f64>,
    pub expected: f64,
    /// Every value must equal `expected` (a deterministic model), rather
    /// than the mean being within Monte Carlo error of it.
    pub exact: bool,
}

impl Comparison {
    pub fn mean(what: impl Into<String>, values: Vec<f64>, expected: f64) -> Comparison {
        Comparison {
            what: what.into(),
            values,
            expected,
            exact: false,
        }
    }

    pub fn every(what: impl Into<String>, values: Vec<f64>, expected: f64) -> Comparison {
        Comparison {
            what: what.into(),
            values,
            expected,
            exact: true,
        }
    }

    /// Asserts the comparison: every value within 1e-6 of the exact one,
    /// or the mean within `z_max` standard errors of it (exact equality up
    /// to rounding when the standard error is 0).
    pub fn check(&self, z_max: f64) {
        let what = &self.what;
        let expected = self.expected;
        if self.exact {
            for v in &self.values {
                assert!((v - expected).abs() < 1e-6, "{what}: {v} vs {expected}");
            }
            return;
        }
        let (mean, sd) = mean_sd(&self.values);
        let se = sd / (self.values.len() as f64).sqrt();
        let tolerance = (z_max * se).max(1e-9 * expected.abs().max(1.0));
        assert!(
            (mean - expected).abs() <= tolerance,
            "{what}: mean {mean} vs closed form {expected} (se {se}, off by {:.2} se, allowed {z_max})",
            (mean - expected) / se
        );
    }
}

/// `Σ_j tranche_j · f(t_j)` for a schedule that starts at 0.
pub fn over_events(years: f64, cliff: f64, months: f64, f: impl Fn(f64) -> f64) -> f64 {
    let s = equisim::model::vesting::Schedule {
        start: 0.0,
        years,
        cliff_years: cliff,
        every_months: months,
        weights: None,
    };
    (1..=s.events())
        .map(|j| s.tranche(j) * f(s.event_time(j)))
        .sum()
}
