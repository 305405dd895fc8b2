//! Sweeps: one scenario parameter over a range, with the decision outputs
//! and floors at each value; and the indifference frontier (the grant
//! floor for each base of a grid).
//!
//! A sweep keeps common random numbers: every value is simulated with the
//! same seed, so path `i` sees the same draws at every value and the curve
//! is smooth. Parameters that do not change the paths are not simulated
//! again (see [`PathReuse`]).

use super::floor::{Floors, Preferences, solve_floors};
use crate::engine::{self, PathStorage, RunOptions, Simulation};
use crate::error::Error;
use crate::observer::Unit;
use crate::scenario::{Criterion, Override, Scenario, SolveFor, Source};
use crate::stats::{KeptAlternative, Outputs};
use serde::Serialize;

/// How a sweep gets each value's paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathReuse {
    /// The parameter only changes how the paths are valued
    /// (`employee.risk_aversion`, `employee.outside_wealth`): simulated once.
    Same,
    /// A flat illiquidity discount (`employee.illiquidity.discount`):
    /// simulated once, the private proceeds rescaled at each value
    /// ([`Simulation::with_flat_discount`]).
    FlatDiscount,
    /// The tax rate on cash pay (`tax.pay`): simulated once, since it only
    /// sets the share of pay kept, which the summaries apply after the
    /// simulation; the other rates change the equity's after-tax proceeds
    /// on each path and are simulated again.
    PayTax,
    /// Any other parameter: simulated again at each value, same seed.
    Resimulate,
}

impl PathReuse {
    /// How a sweep of the field at dotted path `parameter` gets its paths.
    pub fn of(parameter: &str) -> PathReuse {
        match parameter {
            "employee.risk_aversion" | "employee.outside_wealth" => PathReuse::Same,
            "employee.illiquidity.discount" => PathReuse::FlatDiscount,
            "tax.pay" => PathReuse::PayTax,
            _ => PathReuse::Resimulate,
        }
    }
}

/// `steps` evenly spaced values from `from` to `to` (both included),
/// rounded to 12 significant digits so that 0.1 steps print as 0.3, not
/// 0.30000000000000004.
///
/// ```
/// use equisim::decisions::sweep_values;
/// assert_eq!(sweep_values(0.0, 0.6, 4), vec![0.0, 0.2, 0.4, 0.6]);
/// ```
pub fn sweep_values(from: f64, to: f64, steps: u64) -> Vec<f64> {
    let steps = steps.max(2);
    (0..steps)
        .map(|j| {
            let v = from + (to - from) * j as f64 / (steps - 1) as f64;
            format!("{v:.11e}").parse().unwrap_or(v)
        })
        .collect()
}

/// One value of a sweep: every decision output of a run at it, or (for a
/// sensitivity, which reports only the pathwise comparison) what its
/// caller measures instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint<O = Outputs> {
    /// The swept parameter's value.
    pub value: f64,
    /// The scenario resolved at this value.
    #[serde(skip)]
    pub scenario: Scenario,
    /// The decision outputs of a run at this value.
    pub outputs: O,
    /// The floors at this value, one per criterion.
    pub floors: Floors,
}

/// A whole sweep, as plain data for tables, files and charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepResult<O = Outputs> {
    /// Dotted path of the swept field.
    pub parameter: String,
    pub solve_for: SolveFor,
    pub criteria: Vec<Criterion>,
    pub reuse: PathReuse,
    pub seed: u64,
    pub paths: u64,
    pub points: Vec<SweepPoint<O>>,
    /// Warnings from resolving the scenario at the swept values that the
    /// scenario itself does not raise, once each.
    pub warnings: Vec<String>,
}

impl<O> SweepResult<O> {
    /// `(value, floor)` for `criterion` at every swept value (`None`:
    /// unreachable there).
    pub fn floor_series(&self, criterion: Criterion) -> Vec<(f64, Option<f64>)> {
        self.points
            .iter()
            .map(|p| (p.value, p.floors.get(criterion).and_then(|f| f.value)))
            .collect()
    }

    /// `(value, base floor)` for `criterion` where its grant floor is
    /// unreachable (`None` elsewhere).
    pub fn base_floor_series(&self, criterion: Criterion) -> Vec<(f64, Option<f64>)> {
        self.points
            .iter()
            .map(|p| {
                let base = p
                    .floors
                    .get(criterion)
                    .and_then(|f| f.base_floor.as_ref())
                    .and_then(|b| b.value);
                (p.value, base)
            })
            .collect()
    }

    /// `(value, the offer's own grant or base)`: the reference line (it
    /// moves only when the sweep is of the lever itself).
    pub fn current_series(&self) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .map(|p| {
                (
                    p.value,
                    p.floors.floors.first().map_or(f64::NAN, |f| f.current),
                )
            })
            .collect()
    }
}

/// What to sweep and how.
#[derive(Debug, Clone)]
pub struct SweepRequest<'a> {
    /// The scenario file, resolved again at each value.
    pub source: &'a Source,
    /// Overrides applied before the swept value (`--set`, `--paths`, `--seed`).
    pub overrides: &'a [Override],
    /// Dotted path of a numeric field.
    pub parameter: String,
    pub from: f64,
    pub to: f64,
    pub steps: u64,
    /// Where the parameter was named, for messages: a flag (`--param`),
    /// or `sweep.parameter` for the scenario's `[sweep]` table.
    pub origin: &'static str,
    pub solve_for: SolveFor,
    pub criteria: Vec<Criterion>,
    /// Whether the scenario's own value, when inside the range and off the
    /// grid, is added as a point (a sweep's chart shows it; a sensitivity
    /// wants its two ends only).
    pub include_own: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberKind {
    Integer,
    Float,
}

/// What the resolved scenario holds at `path`: a number (and which kind),
/// something else (described in words), or nothing.
fn field_kind(scenario: &Scenario, path: &str) -> Result<Option<NumberKind>, &'static str> {
    let Some(here) = crate::scenario::fields::value_at(scenario, path) else {
        return Ok(None);
    };
    match here {
        toml::Value::Integer(_) => Ok(Some(NumberKind::Integer)),
        toml::Value::Float(_) => Ok(Some(NumberKind::Float)),
        toml::Value::String(_) => Err("a string"),
        toml::Value::Boolean(_) => Err("true or false"),
        toml::Value::Table(_) => Err("a table"),
        toml::Value::Array(_) => Err("a list"),
        toml::Value::Datetime(_) => Err("a date"),
    }
}

/// A sweep resolved at every value, before anything is simulated.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The scenario without the swept value.
    pub base: Scenario,
    /// The swept values, rounded to whole numbers for an integer field.
    pub values: Vec<f64>,
    /// The scenario resolved at each value.
    pub scenarios: Vec<Scenario>,
    /// Warnings the swept values raise that the scenario itself does not.
    pub warnings: Vec<String>,
}

impl SweepRequest<'_> {
    /// The parameter as the user named it: `--param PATH` after a flag,
    /// `sweep.parameter = "PATH"` in the file.
    fn named(&self, parameter: &str) -> String {
        if self.origin.starts_with('-') {
            format!("{} {parameter}", self.origin)
        } else {
            format!("{} = \"{parameter}\"", self.origin)
        }
    }

    /// `parameter (at value)` as the user named the parameter, for messages.
    fn at(&self, value: f64) -> String {
        let value = crate::scenario::fmt_value(value);
        let parameter = &self.parameter;
        format!("{} (at {value})", self.named(parameter))
    }
}

/// Resolves the scenario at every value of the sweep, validated exactly
/// like the file: a parameter that is not a numeric field of the scenario,
/// or a value out of the field's range, is an error that names it.
pub fn plan_sweep(request: &SweepRequest) -> Result<SweepPlan, Error> {
    let parameter = request.parameter.as_str();
    let (base, base_warnings) = request.source.resolve(request.overrides)?;
    let mut warnings: Vec<String> = Vec::new();
    let kind = match field_kind(&base, parameter) {
        Ok(kind) => kind,
        Err(what) => {
            return Err(Error::NotNumeric {
                origin: request.named(parameter),
                parameter: parameter.to_string(),
                what: what.to_string(),
            });
        }
    };
    let mut values = sweep_values(request.from, request.to, request.steps);
    if kind == Some(NumberKind::Integer) {
        for v in &mut values {
            *v = v.round();
        }
        values.dedup();
    }
    // The scenario's own value, when inside the range, is a point of the
    // sweep: what is shown there is computed, never interpolated.
    if let (true, Some(own), Some(&first), Some(&last)) = (
        request.include_own,
        crate::scenario::fields::number_at(&base, parameter),
        values.first(),
        values.last(),
    ) && own >= first.min(last)
        && own <= first.max(last)
        && !values.contains(&own)
    {
        let at = if first <= last {
            values.partition_point(|v| *v < own)
        } else {
            values.partition_point(|v| *v > own)
        };
        values.insert(at, own);
    }
    let to_toml = |v: f64| match kind {
        Some(NumberKind::Integer) => toml::Value::Integer(v as i64),
        _ => toml::Value::Float(v),
    };
    let mut scenarios = Vec::with_capacity(values.len());
    for &v in &values {
        let mut overrides = request.overrides.to_vec();
        overrides.push(Override::with_value(parameter, to_toml(v), request.at(v)));
        let (scenario, w) = request.source.resolve(&overrides)?;
        for w in w {
            if !base_warnings.contains(&w) && !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        scenarios.push(scenario);
    }
    Ok(SweepPlan {
        base,
        values,
        scenarios,
        warnings,
    })
}

/// Runs a sweep: resolves the scenario at each value ([`plan_sweep`]; a
/// bad value fails before any simulation), simulates (or reuses the
/// paths), and computes the decision outputs and floors. The observer in
/// `options` hears of each value done, not of the paths.
pub fn run_sweep(request: &SweepRequest, options: &RunOptions) -> Result<SweepResult, Error> {
    // Most parameters leave the alternative's totals as they are: its
    // summaries are then computed once for the whole sweep.
    let mut kept = KeptAlternative::default();
    run_sweep_reusing(
        request,
        options,
        &mut PathStorage::default(),
        |sim, scenario| {
            Outputs::compute_reusing(
                sim,
                Preferences::of(scenario),
                (&scenario.offer.label, &scenario.alternative.label),
                &mut kept,
            )
        },
    )
}

/// [`run_sweep`], each value's paths written over the memory of the last
/// value's ([`engine::simulate_reusing`]), starting from `storage` and
/// leaving the last value's there: a sensitivity, a sweep per parameter,
/// faults in the paths' memory once, not once a value. `measure` gives
/// each value's outputs from its paths and scenario.
pub(crate) fn run_sweep_reusing<O>(
    request: &SweepRequest,
    options: &RunOptions,
    storage: &mut PathStorage,
    mut measure: impl FnMut(&Simulation, &Scenario) -> Result<O, Error>,
) -> Result<SweepResult<O>, Error> {
    let parameter = request.parameter.as_str();
    let SweepPlan {
        base,
        values,
        scenarios,
        warnings,
    } = plan_sweep(request)?;
    let observer = options.observer.clone();
    let options = &RunOptions {
        observer: None,
        ..options.clone()
    };

    let mut reuse = PathReuse::of(parameter);
    let mut shared: Option<Simulation> = match reuse {
        PathReuse::Resimulate => None,
        // Without a [tax] table there is no pay tax to change.
        PathReuse::PayTax if base.tax.is_none() => {
            reuse = PathReuse::Resimulate;
            None
        }
        PathReuse::Same | PathReuse::FlatDiscount | PathReuse::PayTax => {
            Some(engine::simulate_reusing(&base, options, storage)?)
        }
    };
    if reuse == PathReuse::FlatDiscount
        && shared
            .as_ref()
            .is_some_and(|s| !s.rescales_to_flat_discount(0.0))
    {
        reuse = PathReuse::Resimulate;
        // The values are simulated into the shared paths' memory instead.
        if let Some(unused) = shared.take() {
            *storage = unused.into_storage();
        }
    }

    let total = values.len();
    if let Some(o) = &observer {
        o.stage("", total as u64, Unit::Values);
    }
    let mut points = Vec::with_capacity(total);
    for (&value, scenario) in values.iter().zip(&scenarios) {
        let mut owned = None;
        let sim: &Simulation = match (reuse, &mut shared) {
            (PathReuse::Same, Some(s)) => s,
            (PathReuse::PayTax, Some(s)) => {
                // The same paths, valued with this value's tax rules.
                s.plan.model.tax = crate::model::Model::new(scenario).tax;
                s
            }
            (PathReuse::FlatDiscount, Some(s)) => {
                let discount = match scenario.employee.illiquidity {
                    crate::scenario::Illiquidity::Flat { discount } => discount,
                    _ => value,
                };
                let rescaled = match s.with_flat_discount_reusing(discount, storage) {
                    Some(rescaled) => rescaled,
                    None => engine::simulate_reusing(scenario, options, storage)?,
                };
                owned.insert(rescaled)
            }
            _ => owned.insert(engine::simulate_reusing(scenario, options, storage)?),
        };
        let outputs = measure(sim, scenario).map_err(|e| match e {
            Error::NonFinite { .. } | Error::UndefinedCertaintyEquivalent { .. } => {
                Error::AtSweepValue {
                    at: request.at(value),
                    source: Box::new(e),
                }
            }
            other => other,
        })?;
        let floors = solve_floors(sim, scenario, request.solve_for, &request.criteria);
        if let Some(done) = owned {
            *storage = done.into_storage();
        }
        points.push(SweepPoint {
            value,
            scenario: scenario.clone(),
            outputs,
            floors,
        });
        if let Some(o) = &observer {
            o.advance(1);
        }
    }
    // Paths valued again at every value leave their memory to the next
    // sweep; rescaled ones left theirs already.
    if let (PathReuse::Same | PathReuse::PayTax, Some(done)) = (reuse, shared) {
        *storage = done.into_storage();
    }
    Ok(SweepResult {
        parameter: parameter.to_string(),
        solve_for: request.solve_for,
        criteria: request.criteria.clone(),
        reuse,
        seed: base.simulation.seed,
        paths: base.simulation.paths,
        points,
        warnings,
    })
}
