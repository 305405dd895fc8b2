//! `equisim sensitivity`: each uncertain parameter at the two ends of its
//! range, ranked by how far it moves the answer; `sensitivity.json`,
//! `sensitivity.csv` and `tornado.png`.

use super::{FloorChoice, Input};
use crate::charts::{self, ChartSize};
use crate::decisions::sensitivity::{
    ParameterRange, RankBy, SensitivityRequest, SensitivityResult, default_ranges, run_sensitivity,
};
use crate::engine::RunOptions;
use crate::error::Error;
use crate::report;
use crate::scenario::Scenario;
use std::path::PathBuf;
use std::time::Instant;

/// What `equisim sensitivity` is asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub input: Input,
    /// `--param PATH=LO..HI`: replaces the default list when not empty.
    pub ranges: Vec<ParameterRange>,
    pub choice: FloorChoice,
    pub rank_by: RankBy,
    pub out_dir: PathBuf,
    /// The chart's size; `None` draws none.
    pub chart: Option<ChartSize>,
    /// Whether the chart has a second panel for P(offer beats).
    pub beats_panel: bool,
}

/// What `equisim sensitivity` did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: Scenario,
    pub result: SensitivityResult,
    /// `sensitivity.json` as written.
    pub json: String,
    pub out_dir: PathBuf,
    pub chart: Option<PathBuf>,
    pub seconds: f64,
}

/// The scenario's `[[uncertainty]]` entries as ranges: the 10th and 90th
/// percentiles of each distribution (uncertainty.md).
pub fn uncertainty_ranges(scenario: &Scenario) -> Vec<ParameterRange> {
    scenario
        .uncertainty
        .iter()
        .map(|u| ParameterRange {
            parameter: u.parameter.clone(),
            low: u.distribution.quantile(0.1),
            high: u.distribution.quantile(0.9),
            source: "uncertainty",
        })
        .filter(|r| r.low != r.high)
        .collect()
}

/// Runs the scenario, then each parameter at both ends (the `--param`
/// ranges, else the scenario's `[[uncertainty]]`, else the default list),
/// and writes the files whole.
pub fn sensitivity(request: &Request, options: &RunOptions) -> Result<Outcome, Error> {
    let loaded = request.input.load(options)?;
    let scenario = loaded.scenario;
    let ranges = if !request.ranges.is_empty() {
        request.ranges.clone()
    } else if !scenario.uncertainty.is_empty() {
        uncertainty_ranges(&scenario)
    } else {
        default_ranges(&scenario)
    };
    let floor = request.choice.resolve(&scenario);
    crate::fs::prepare_output_dir(&request.out_dir)?;
    let started = Instant::now();
    // One parameter at a time: the runs are plain, the ensemble's draws
    // (when the scenario has one) would move every other entry too.
    let source = loaded.source.without_ensemble();
    let result = run_sensitivity(
        &SensitivityRequest {
            source: &source,
            overrides: &request.input.overrides,
            ranges,
            solve_for: floor.solve_for,
            criteria: floor.criteria,
            rank_by: request.rank_by,
        },
        options,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let json = report::sensitivity::json(&result, &scenario);
    let out_dir = request.out_dir.clone();
    crate::fs::write_atomic(&out_dir.join("sensitivity.json"), json.as_bytes())?;
    crate::fs::write_atomic(
        &out_dir.join("sensitivity.csv"),
        report::sensitivity::csv(&result).as_bytes(),
    )?;
    let chart = match request.chart {
        None => None,
        Some(size) => Some(charts::draw_tornado(
            &out_dir,
            &scenario,
            &result,
            size,
            request.beats_panel,
        )?),
    };
    Ok(Outcome {
        scenario,
        result,
        json,
        out_dir,
        chart,
        seconds,
    })
}
