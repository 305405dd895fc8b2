//! The defaults of the scenario format that more than one place needs:
//! the resolver fills a missing field with them, and the command line and
//! `dlom` fall back on the same constants, so that a default is written
//! once.

use super::types::{Criterion, SolveFor};

/// Paths simulated when `simulation.paths` is absent.
pub const PATHS: u64 = 1_000_000;

/// Seed when `simulation.seed` is absent.
pub const SEED: u64 = 42;

/// Continuous yearly risk-free rate (`simulation.discount_rate`; also the
/// rate of `equisim dlom --method chaffe` without `--rate`).
pub const DISCOUNT_RATE: f64 = 0.0375;

/// What a floor solves for when neither the scenario's `[floor]` nor
/// `--solve-for` says.
pub const SOLVE_FOR: SolveFor = SolveFor::Grant;

/// The floor's criteria when neither the scenario's `[floor]` nor
/// `--criteria` names any.
pub const FLOOR_CRITERIA: [Criterion; 4] = [
    Criterion::Mean,
    Criterion::Median,
    Criterion::Percentile(10),
    Criterion::CertaintyEquivalent,
];

/// Values of a sweep when neither `sweep.steps` nor `--steps` says.
pub const SWEEP_STEPS: u64 = 13;

/// The number of values a sweep may have.
pub const SWEEP_STEPS_ALLOWED: std::ops::RangeInclusive<u64> = 2..=1000;
