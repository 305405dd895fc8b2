//! The defaults of the scenario format that more than one place needs:
//! the resolver fills a missing field with them, and the command line and
//! `dlom` fall back on the same constants, so that a default is written
//! once.

use super::types::{Criterion, ExerciseRule, SolveFor, Vesting};

/// Paths simulated when `simulation.paths` is absent.
pub const PATHS: u64 = 1_000_000;

/// Seed when `simulation.seed` is absent.
pub const SEED: u64 = 42;

/// Parameter draws of an ensemble when `simulation.uncertainty_draws` is
/// absent (uncertainty.md); a run makes at most one per block of paths.
pub const UNCERTAINTY_DRAWS: u64 = 256;

/// Most parameter draws an ensemble may ask for.
pub const MAX_UNCERTAINTY_DRAWS: u64 = 65_536;

/// Continuous yearly risk-free rate (`simulation.discount_rate`; also the
/// rate of `equisim dlom --method chaffe` without `--rate`).
pub const DISCOUNT_RATE: f64 = 0.0375;

/// What a floor solves for when neither the scenario's `[floor]` nor
/// `--solve-for` says.
pub const SOLVE_FOR: SolveFor = SolveFor::Grant;

/// The floor's criteria when neither the scenario's `[floor]` nor
/// `--criteria` names any (v2: v1 had mean, median, p10, ce).
pub const FLOOR_CRITERIA: [Criterion; 3] = [
    Criterion::Mean,
    Criterion::Beats(50),
    Criterion::CertaintyEquivalent,
];

/// Values of a sweep when neither `sweep.steps` nor `--steps` says.
pub const SWEEP_STEPS: u64 = 13;

/// The number of values a sweep may have.
pub const SWEEP_STEPS_ALLOWED: std::ops::RangeInclusive<u64> = 2..=1000;

/// Defaults of the `[simulation]` table.
pub mod simulation {
    /// `simulation.window_years`.
    pub const WINDOW_YEARS: f64 = 4.0;

    /// `simulation.horizon_years`.
    pub const HORIZON_YEARS: f64 = 10.0;
}

/// Defaults of the `[employee]` table.
pub mod employee {
    /// `employee.illiquidity.discount`.
    pub const ILLIQUIDITY_DISCOUNT: f64 = 0.25;

    /// `employee.outside_wealth`.
    pub const OUTSIDE_WEALTH: f64 = 100_000.0;

    /// `employee.attrition_per_year`.
    pub const ATTRITION_PER_YEAR: f64 = 0.15;

    /// `employee.risk_aversion`.
    pub const RISK_AVERSION: f64 = 2.0;
}

/// Defaults of the `[company]` table.
pub mod company {
    /// `company.drift`.
    pub const DRIFT: f64 = 0.10;

    /// `company.volatility`.
    pub const VOLATILITY: f64 = 0.60;

    /// `company.preference_stack`.
    pub const PREFERENCE_STACK: f64 = 0.0;

    /// `company.preferred_fraction`.
    pub const PREFERRED_FRACTION: f64 = 0.5;

    /// `company.rounds.per_year`.
    pub const ROUNDS_PER_YEAR: f64 = 0.3;

    /// `company.rounds.dilution_mean`.
    pub const ROUNDS_DILUTION_MEAN: f64 = 0.10;

    /// `company.rounds.dilution_sd`.
    pub const ROUNDS_DILUTION_SD: f64 = 0.03;

    /// `company.rounds.pool_per_year`.
    pub const ROUNDS_POOL_PER_YEAR: f64 = 0.01;

    /// `company.exit.earliest_years`.
    pub const EXIT_EARLIEST_YEARS: f64 = 0.5;

    /// `company.exit.lockup_years`.
    pub const EXIT_LOCKUP_YEARS: f64 = 0.5;

    /// `company.exit.lockup_volatility`.
    pub const EXIT_LOCKUP_VOLATILITY: f64 = 0.5;

    /// `company.tender.from_years`.
    pub const TENDER_FROM_YEARS: f64 = 1.0;

    /// `company.tender.fraction`.
    pub const TENDER_FRACTION: f64 = 0.2;

    /// `company.tender.discount`.
    pub const TENDER_DISCOUNT: f64 = 0.1;

    /// `company.exit.secondary_discount`.
    pub const EXIT_SECONDARY_DISCOUNT: f64 = 0.3;
}

/// Defaults of the `[offer]` table.
pub mod offer {
    use super::{ExerciseRule, Vesting};

    /// `offer.equity.exercise_on_departure` (v2: v1 exercised always).
    pub const EXERCISE_ON_DEPARTURE: ExerciseRule = ExerciseRule::IfInTheMoney;

    /// `offer.equity.refresh`: each refresh grant's vesting.
    pub const REFRESH_VESTING: Vesting = Vesting {
        years: 4.0,
        cliff_years: 0.0,
        every_months: 1.0,
        weights: None,
    };

    /// `offer.equity.vesting`: the initial grant's vesting.
    pub const EQUITY_VESTING: Vesting = Vesting {
        years: 4.0,
        cliff_years: 1.0,
        every_months: 1.0,
        weights: None,
    };

    /// `offer.equity.strike_ratio`.
    pub const EQUITY_STRIKE_RATIO: f64 = 0.35;

    /// `offer.equity.exercise_window_years`.
    pub const EQUITY_EXERCISE_WINDOW_YEARS: f64 = 0.25;

    /// `offer.equity.acceleration_on_acquisition`.
    pub const EQUITY_ACCELERATION_ON_ACQUISITION: f64 = 0.0;
}

/// Defaults of the `[alternative]` table.
pub mod alternative {
    use super::Vesting;

    /// `alternative.equity.refresh`: each refresh grant's vesting.
    pub const REFRESH_VESTING: Vesting = Vesting {
        years: 4.0,
        cliff_years: 0.0,
        every_months: 3.0,
        weights: None,
    };

    /// `alternative.equity.vesting`: the initial grant's vesting.
    pub const EQUITY_VESTING: Vesting = Vesting {
        years: 4.0,
        cliff_years: 1.0,
        every_months: 3.0,
        weights: None,
    };

    /// `alternative.equity.stock.drift`.
    pub const EQUITY_STOCK_DRIFT: f64 = 0.09;

    /// `alternative.equity.stock.volatility`.
    pub const EQUITY_STOCK_VOLATILITY: f64 = 0.30;
}

/// `[tax]`.
pub mod tax {
    /// `tax.bspce_seniority_years`: the three years of CGI art. 163 bis G.
    pub const BSPCE_SENIORITY_YEARS: f64 = 3.0;
}
