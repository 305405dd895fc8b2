//! Sensitivity: one uncertain parameter at a time at the low and the high
//! end of its range, the rest held at the scenario's values, with the same
//! seed at every run (common random numbers), ranked by how far each moves
//! the answer (uncertainty.md "Sensitivity").
//!
//! Each end is a two-point sweep ([`super::sweep::run_sweep`]), so a
//! parameter that can be changed on the stored paths (risk aversion,
//! outside wealth, a flat illiquidity discount) is not simulated again, and
//! any other costs two runs, each written over the memory of the run
//! before. A run here computes only what the sensitivity reports, the
//! pathwise comparison ([`PathwiseComparison`], the same digits as a
//! run's) and the floors: a run's summaries and percentiles were about a
//! fifth of its time.

use super::sweep::{SweepPoint, SweepRequest, run_sweep_reusing};
use super::{Floors, solve_floors};
use crate::engine::{self, RunOptions};
use crate::error::Error;
use crate::scenario::{Criterion, Illiquidity, Override, Scenario, SolveFor, Source};
use crate::stats::{PathwiseComparison, Preferences};
use serde::Serialize;

/// One parameter and the range it is tried over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterRange {
    /// Dotted path of a numeric field.
    pub parameter: String,
    pub low: f64,
    pub high: f64,
    /// Where the range comes from: `"--param"`, `"default"`, or
    /// `"uncertainty"` (the 10th and 90th percentiles of its distribution).
    pub source: &'static str,
}

/// The default ranges (documented, with their sources, in
/// `docs/calibration.md`): spreads around the scenario's own value, so that
/// they fit a late-stage and an early-stage company alike. `None` for a
/// field the scenario does not use (a flat discount under another method).
pub fn default_ranges(s: &Scenario) -> Vec<ParameterRange> {
    let c = &s.company;
    let e = &c.exit;
    let range = |parameter: &str, low: f64, high: f64| ParameterRange {
        parameter: parameter.to_string(),
        low,
        high,
        source: "default",
    };
    let scaled = |parameter: &str, value: f64, down: f64, up: f64, max: f64| {
        range(parameter, value * down, (value * up).min(max))
    };
    let mut list = vec![
        range("company.drift", c.drift - 0.10, c.drift + 0.10),
        range(
            "company.volatility",
            (c.volatility - 0.2).max(0.05),
            (c.volatility + 0.3).min(3.0),
        ),
        scaled("company.exit.ipo_per_year", e.ipo_per_year, 0.5, 2.0, 0.3),
        scaled(
            "company.exit.acquisition_per_year",
            e.acquisition_per_year,
            0.5,
            2.0,
            0.3,
        ),
        scaled(
            "company.exit.failure_per_year",
            e.failure_per_year,
            0.5,
            2.0,
            0.3,
        ),
        scaled(
            "company.exit.ipo_multiple.median",
            e.ipo_multiple.median,
            0.7,
            1.4,
            1e6,
        ),
        scaled(
            "company.exit.acquisition_multiple.median",
            e.acquisition_multiple.median,
            0.7,
            1.4,
            1e6,
        ),
        scaled(
            "employee.attrition_per_year",
            s.employee.attrition_per_year,
            0.5,
            2.0,
            0.9,
        ),
        scaled(
            "company.rounds.dilution_mean",
            c.rounds.dilution_mean,
            0.5,
            1.5,
            0.5,
        ),
        scaled(
            "company.rounds.per_year",
            c.rounds.per_year,
            0.5,
            2.0,
            100.0,
        ),
        scaled(
            "company.preference_stack",
            c.preference_stack,
            0.5,
            2.0,
            f64::MAX,
        ),
        range(
            "alternative.equity.stock.drift",
            s.alternative.equity.stock.drift - 0.05,
            s.alternative.equity.stock.drift + 0.05,
        ),
    ];
    if let Illiquidity::Flat { discount } = s.employee.illiquidity {
        list.push(range(
            "employee.illiquidity.discount",
            (discount - 0.15).max(0.0),
            (discount + 0.15).min(0.95),
        ));
    }
    // A field at 0 has no spread to scale: leave it out rather than try
    // one value twice.
    list.retain(|r| r.low != r.high);
    list
}

/// What sensitivity ranks the parameters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// The swing of the first criterion's floor.
    Floor,
    /// The swing of the mean difference (offer − alternative).
    MeanDifference,
}

/// The answer at one setting of the parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub mean_difference: f64,
    pub p_offer_beats_alternative: f64,
    pub floors: Floors,
}

impl Answer {
    fn of(comparison: &PathwiseComparison, floors: Floors) -> Answer {
        Answer {
            mean_difference: comparison.mean_difference,
            p_offer_beats_alternative: comparison.p_offer_beats_alternative,
            floors,
        }
    }

    fn from_point(p: &SweepPoint<PathwiseComparison>) -> Answer {
        Answer::of(&p.outputs, p.floors.clone())
    }

    /// The figure parameters are ranked by (`None`: an unreachable floor).
    pub fn ranked_value(&self, by: RankBy) -> Option<f64> {
        match by {
            RankBy::MeanDifference => Some(self.mean_difference),
            RankBy::Floor => self.floors.floors.first().and_then(|f| f.value),
        }
    }
}

/// One parameter at both ends of its range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// The range as tried (rounded to whole numbers for an integer field).
    pub range: ParameterRange,
    /// The scenario's own value of the parameter.
    pub own: Option<f64>,
    pub low: Answer,
    pub high: Answer,
    /// `|value at high - value at low|` of the ranked figure; infinite
    /// when a floor is unreachable at one end only (the answer changes in
    /// kind), 0 when at both.
    pub swing: f64,
}

/// Every parameter, ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityResult {
    pub rank_by: RankBy,
    pub solve_for: SolveFor,
    pub criteria: Vec<Criterion>,
    pub seed: u64,
    pub paths: u64,
    /// The scenario as it is.
    pub centre: Answer,
    /// By swing, the largest first.
    pub rows: Vec<SensitivityRow>,
    pub warnings: Vec<String>,
}

/// What to try.
#[derive(Debug, Clone)]
pub struct SensitivityRequest<'a> {
    pub source: &'a Source,
    pub overrides: &'a [Override],
    pub ranges: Vec<ParameterRange>,
    pub solve_for: SolveFor,
    pub criteria: Vec<Criterion>,
    pub rank_by: RankBy,
}

fn swing(low: Option<f64>, high: Option<f64>) -> f64 {
    match (low, high) {
        (Some(a), Some(b)) => (b - a).abs(),
        (None, None) => 0.0,
        _ => f64::INFINITY,
    }
}

/// What a sensitivity reports of a run besides its floors.
fn compare(sim: &engine::Simulation, scenario: &Scenario) -> Result<PathwiseComparison, Error> {
    PathwiseComparison::of(
        sim,
        Preferences::of(scenario),
        (&scenario.offer.label, &scenario.alternative.label),
    )
}

/// Runs the scenario as it is, then each parameter at its two ends.
pub fn run_sensitivity(
    request: &SensitivityRequest,
    options: &RunOptions,
) -> Result<SensitivityResult, Error> {
    let (scenario, _) = request.source.resolve(request.overrides)?;
    let quiet = RunOptions {
        observer: None,
        ..options.clone()
    };
    let sim = engine::simulate(&scenario, &quiet)?;
    let comparison = compare(&sim, &scenario)?;
    let floors = solve_floors(&sim, &scenario, request.solve_for, &request.criteria);
    // Every later simulation writes over the memory of the one before.
    let mut storage = sim.into_storage();
    let centre = Answer::of(&comparison, floors);
    if let Some(o) = &options.observer {
        o.stage(
            "",
            request.ranges.len() as u64,
            crate::observer::Unit::Values,
        );
    }
    let mut rows = Vec::with_capacity(request.ranges.len());
    let mut warnings = Vec::new();
    for range in &request.ranges {
        let sweep = SweepRequest {
            source: request.source,
            overrides: request.overrides,
            parameter: range.parameter.clone(),
            from: range.low,
            to: range.high,
            steps: 2,
            origin: "--param",
            solve_for: request.solve_for,
            criteria: request.criteria.clone(),
            include_own: false,
        };
        let result = run_sweep_reusing(&sweep, &quiet, &mut storage, compare)?;
        for w in result.warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        let (Some(first), Some(last)) = (result.points.first(), result.points.last()) else {
            continue;
        };
        let (low, high) = (Answer::from_point(first), Answer::from_point(last));
        rows.push(SensitivityRow {
            swing: swing(
                low.ranked_value(request.rank_by),
                high.ranked_value(request.rank_by),
            ),
            range: ParameterRange {
                low: first.value,
                high: last.value,
                ..range.clone()
            },
            own: crate::scenario::fields::number_at(&scenario, &range.parameter),
            low,
            high,
        });
        if let Some(o) = &options.observer {
            o.advance(1);
        }
    }
    // Stable: equal swings keep the list's order.
    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    Ok(SensitivityResult {
        rank_by: request.rank_by,
        solve_for: request.solve_for,
        criteria: request.criteria.clone(),
        seed: scenario.simulation.seed,
        paths: scenario.simulation.paths,
        centre,
        rows,
        warnings,
    })
}
