//! `equisim sweep`: one scenario field over a range, with the decision
//! outputs and the floors at each value; `sweep.json`, `sweep.csv` and
//! `floor_sweep.png`.

use super::{FloorChoice, Input};
use crate::charts::{self, ChartSize};
use crate::decisions::{self, SweepResult};
use crate::engine::RunOptions;
use crate::error::Error;
use crate::report;
use crate::scenario::Scenario;
use std::path::PathBuf;
use std::time::Instant;

/// What `equisim sweep` is asked to do; what it leaves out comes from the
/// scenario's `[sweep]` table.
#[derive(Debug, Clone)]
pub struct Request {
    pub input: Input,
    /// Dotted path of the field, and how the caller named it for messages
    /// (the binary's `--param`); `None`: the scenario's `sweep.parameter`.
    pub parameter: Option<(String, &'static str)>,
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub steps: Option<u64>,
    pub choice: FloorChoice,
    pub out_dir: PathBuf,
    /// The chart's size; `None` draws none.
    pub chart: Option<ChartSize>,
}

/// Which part of a sweep neither the request nor the scenario gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Parameter,
    From,
    To,
}

/// What `equisim sweep` did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The scenario as loaded (without a swept value).
    pub scenario: Scenario,
    pub result: SweepResult,
    /// `sweep.json` as written.
    pub sweep_json: String,
    pub out_dir: PathBuf,
    /// The chart, when drawn.
    pub chart: Option<PathBuf>,
    pub seconds: f64,
}

/// `equisim sweep`: resolves every value before simulating, then runs the
/// sweep with common random numbers and writes its files whole.
pub fn sweep(request: &Request, options: &RunOptions) -> Result<Outcome, Error> {
    let loaded = request.input.load(options)?;
    let scenario = loaded.scenario;
    let spec = scenario.sweep.as_ref();
    let missing = |what| Error::NoSweep {
        scenario: request.input.scenario.clone(),
        missing: what,
    };
    let (parameter, origin) = match (&request.parameter, spec) {
        (Some((p, named_by)), _) => (p.trim().to_string(), *named_by),
        (None, Some(s)) => (s.parameter.clone(), "sweep.parameter"),
        (None, None) => return Err(missing(Missing::Parameter)),
    };
    let from = request
        .from
        .or(spec.map(|s| s.from))
        .ok_or_else(|| missing(Missing::From))?;
    let to = request
        .to
        .or(spec.map(|s| s.to))
        .ok_or_else(|| missing(Missing::To))?;
    let steps = request
        .steps
        .or(spec.map(|s| s.steps))
        .unwrap_or(crate::scenario::defaults::SWEEP_STEPS);
    let floor = request.choice.resolve(&scenario);
    crate::fs::prepare_output_dir(&request.out_dir)?;
    let sweep = decisions::SweepRequest {
        source: &loaded.source,
        overrides: &request.input.overrides,
        parameter,
        from,
        to,
        steps,
        origin,
        solve_for: floor.solve_for,
        criteria: floor.criteria,
        include_own: true,
    };
    let started = Instant::now();
    let result = decisions::run_sweep(&sweep, options)?;
    let seconds = started.elapsed().as_secs_f64();
    let sweep_json = report::sweep_json(&result, &scenario);
    let out_dir = request.out_dir.clone();
    crate::fs::write_atomic(&out_dir.join("sweep.json"), sweep_json.as_bytes())?;
    crate::fs::write_atomic(
        &out_dir.join("sweep.csv"),
        report::sweep_csv(&result).as_bytes(),
    )?;
    let chart = match request.chart {
        None => None,
        Some(size) => Some(charts::draw_floor_sweep(
            &out_dir, &scenario, &result, size,
        )?),
    };
    Ok(Outcome {
        scenario,
        result,
        sweep_json,
        out_dir,
        chart,
        seconds,
    })
}
