//! `equisim run`: one whole run of a scenario. Simulate, summarize, draw
//! the charts and solve the floors, keeping every path or streaming them by
//! size, then write `summary.json`, `summary.csv` and the charts.

use super::Input;
use crate::charts::{self, ChartSize, Rendered};
use crate::decisions::streaming::{StreamSettings, run_streaming};
use crate::decisions::{self, EnsembleOutputs, Floors};
use crate::engine::{self, RunOptions};
use crate::error::Error;
use crate::observer::Unit;
use crate::report::RunReport;
use crate::scenario::Scenario;
use crate::stats::Outputs;
use crate::stats::sketch::DEFAULT_RELATIVE_ERROR;
use crate::stats::streaming::StreamingNote;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a run is made, beyond the scenario.
#[derive(Clone)]
pub struct RunSettings<'a> {
    pub options: RunOptions,
    /// Runs of more paths than this stream (see [`engine::chunks`]).
    pub stream_above: u64,
    /// Where the charts go and their size; `None` draws none.
    pub charts: Option<(&'a Path, ChartSize)>,
}

impl Default for RunSettings<'_> {
    /// Every core, no progress, streaming above
    /// [`engine::DEFAULT_STREAM_ABOVE`] paths, no charts.
    fn default() -> Self {
        RunSettings {
            options: RunOptions::default(),
            stream_above: engine::DEFAULT_STREAM_ABOVE,
            charts: None,
        }
    }
}

/// A streamed run's extra facts.
#[derive(Debug, Clone, Copy)]
pub struct Streamed {
    pub note: StreamingNote,
    /// Passes over the paths.
    pub passes: u32,
}

/// What a run produced.
pub struct RunResult {
    pub outputs: Outputs,
    /// The scenario's `[floor]`, when it has one.
    pub floors: Option<Floors>,
    /// `Some` when the paths were streamed rather than kept.
    pub streamed: Option<Streamed>,
    /// With an `[[uncertainty]]` ensemble: what its draws say.
    pub ensemble: Option<EnsembleOutputs>,
    /// The charts, drawn but not yet written.
    pub charts: Rendered,
    /// Seconds spent simulating (every pass, when streamed), before charts
    /// and floors of a kept run.
    pub simulation_seconds: f64,
}

/// What `equisim run` is asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub input: Input,
    /// The folder the files go to.
    pub out_dir: PathBuf,
    /// The charts' size; `None` draws none.
    pub charts: Option<ChartSize>,
    /// Runs of more paths than this stream.
    pub stream_above: u64,
    /// Amounts for `P(total ≥ A)` beyond the scenario's `report.thresholds`.
    pub thresholds: Vec<f64>,
}

/// What `equisim run` did.
pub struct Outcome {
    /// The scenario as resolved.
    pub scenario: Scenario,
    pub outputs: Outputs,
    pub floors: Option<Floors>,
    pub ensemble: Option<EnsembleOutputs>,
    pub streamed: Option<Streamed>,
    /// Seconds spent simulating (see [`RunResult::simulation_seconds`]).
    pub simulation_seconds: f64,
    /// `summary.json` as written.
    pub summary_json: String,
    /// The folder written to, and the files written there, in order.
    pub out_dir: PathBuf,
    pub written: Vec<PathBuf>,
}

/// `equisim run`: loads the scenario, checks the output folder before any
/// simulation, runs it ([`run_scenario`]) and writes every file whole.
pub fn run(request: &Request, options: &RunOptions) -> Result<Outcome, Error> {
    let loaded = request.input.load(options)?;
    let mut scenario = loaded.scenario;
    if !request.thresholds.is_empty() {
        // `--threshold` adds amounts: one the scenario (or an earlier flag)
        // already asks for would only print the same line twice.
        let mut all = scenario.report.thresholds.clone();
        for &amount in &request.thresholds {
            if !all.contains(&amount) {
                all.push(amount);
            }
        }
        scenario.report.thresholds =
            crate::scenario::thresholds("report.thresholds with --threshold", &all)?;
    }
    let out_dir = request.out_dir.clone();
    crate::fs::prepare_output_dir(&out_dir)?;
    let settings = RunSettings {
        options: options.clone(),
        stream_above: request.stream_above,
        charts: request.charts.map(|size| (out_dir.as_path(), size)),
    };
    let result = run_scenario(&scenario, &settings)?;
    super::warn(options, &result.outputs.warnings);
    let report = RunReport::new(&scenario, &result.outputs)
        .with_floors(result.floors.as_ref())
        .with_ensemble(result.ensemble.as_ref())
        .with_streaming(result.streamed.map(|s| s.note));
    let summary_json = report.to_json();
    let mut written = Vec::new();
    for (name, contents) in [
        ("summary.json", summary_json.clone()),
        ("summary.csv", report.to_csv()),
    ]
    .into_iter()
    .chain(report.ensemble_csv().map(|csv| ("ensemble.csv", csv)))
    {
        let path = out_dir.join(name);
        crate::fs::write_atomic(&path, contents.as_bytes())?;
        written.push(path);
    }
    written.extend(charts::write_rendered(result.charts)?);
    Ok(Outcome {
        scenario,
        outputs: result.outputs,
        floors: result.floors,
        ensemble: result.ensemble,
        streamed: result.streamed,
        simulation_seconds: result.simulation_seconds,
        summary_json,
        out_dir,
        written,
    })
}

/// Runs `scenario`: every output, the charts when asked, and the floors of
/// its `[floor]` table.
///
/// Up to `settings.stream_above` paths are kept: the charts are drawn from
/// them, and the floors then take them over, so that a run's peak memory
/// is the paths once. Beyond it the paths are streamed (bounded memory,
/// percentiles within the sketch's stated error) and the charts' bars come
/// from the first [`charts::CHART_SAMPLE_PATHS`] paths, the same paths
/// (each is seeded by its index).
pub fn run_scenario(scenario: &Scenario, settings: &RunSettings) -> Result<RunResult, Error> {
    let paths = scenario.simulation.paths;
    let floor = scenario
        .floor
        .as_ref()
        .map(|f| (f.solve_for, f.criteria.as_slice()));
    let started = Instant::now();
    if paths > settings.stream_above {
        let stream = StreamSettings {
            relative_error: DEFAULT_RELATIVE_ERROR,
        };
        let run = run_streaming(scenario, &settings.options, &stream, floor)?;
        let simulation_seconds = started.elapsed().as_secs_f64();
        let charts = match settings.charts {
            None => Vec::new(),
            Some((dir, size)) => {
                let mut first = scenario.clone();
                first.simulation.paths = paths.min(charts::CHART_SAMPLE_PATHS);
                let quiet = RunOptions {
                    observer: None,
                    ..settings.options.clone()
                };
                let sample = engine::simulate(&first, &quiet)?;
                let mut rendered = charts::render_run(dir, scenario, &sample, &run.outputs, size)?;
                rendered.extend(charts::render_ensemble(
                    dir,
                    scenario,
                    run.ensemble.as_ref(),
                    size,
                )?);
                rendered
            }
        };
        Ok(RunResult {
            outputs: run.outputs,
            floors: run.floors,
            ensemble: run.ensemble,
            streamed: Some(Streamed {
                note: run.note,
                passes: run.passes,
            }),
            charts,
            simulation_seconds,
        })
    } else {
        if let Some(o) = &settings.options.observer {
            o.stage("", paths, Unit::Paths);
        }
        let sim = engine::simulate(scenario, &settings.options)?;
        let simulation_seconds = started.elapsed().as_secs_f64();
        let outputs = Outputs::of_scenario(&sim, scenario)?;
        let ensemble = EnsembleOutputs::of_simulation(
            &sim,
            scenario,
            floor.map_or(crate::scenario::defaults::SOLVE_FOR, |f| f.0),
        );
        // Charts first, so that the floors can take the paths over.
        let charts = match settings.charts {
            None => Vec::new(),
            Some((dir, size)) => {
                let mut rendered = charts::render_run(dir, scenario, &sim, &outputs, size)?;
                rendered.extend(charts::render_ensemble(
                    dir,
                    scenario,
                    ensemble.as_ref(),
                    size,
                )?);
                rendered
            }
        };
        let floors = floor.map(|(solve_for, criteria)| {
            decisions::solve_floors_consuming(sim, scenario, solve_for, criteria)
        });
        Ok(RunResult {
            outputs,
            floors,
            ensemble,
            streamed: None,
            charts,
            simulation_seconds,
        })
    }
}
