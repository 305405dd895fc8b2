//! One whole run of a scenario: simulate, summarize, draw the charts and
//! solve the floors, keeping every path or streaming them by size.
//!
//! This is what `equisim run` does between reading the scenario and
//! writing the report; the binary only chooses the settings and prints.

use crate::charts::{self, ChartSize, Rendered};
use crate::decisions::streaming::{PassStarted, StreamSettings, run_streaming};
use crate::decisions::{self, Floors};
use crate::engine::{self, RunOptions};
use crate::error::Error;
use crate::scenario::Scenario;
use crate::stats::Outputs;
use crate::stats::sketch::DEFAULT_RELATIVE_ERROR;
use crate::stats::streaming::StreamingNote;
use std::path::Path;
use std::time::Instant;

/// How a run is made, beyond the scenario.
#[derive(Clone)]
pub struct RunSettings<'a> {
    pub options: RunOptions,
    /// Runs of more paths than this stream (see [`engine::stream`]).
    pub stream_above: u64,
    /// Called when a streamed run starts a pass over the paths, with what
    /// the pass is for.
    pub on_pass: Option<PassStarted>,
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
            on_pass: None,
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
    /// The charts, drawn but not yet written.
    pub charts: Rendered,
    /// Seconds spent simulating (every pass, when streamed), before charts
    /// and floors of a kept run.
    pub simulation_seconds: f64,
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
pub fn run(scenario: &Scenario, settings: &RunSettings) -> Result<RunResult, Error> {
    let paths = scenario.simulation.paths;
    let floor = scenario
        .floor
        .as_ref()
        .map(|f| (f.solve_for, f.criteria.as_slice()));
    let started = Instant::now();
    if paths > settings.stream_above {
        let stream = StreamSettings {
            relative_error: DEFAULT_RELATIVE_ERROR,
            on_pass: settings.on_pass.clone(),
        };
        let run = run_streaming(scenario, &settings.options, &stream, floor)?;
        let simulation_seconds = started.elapsed().as_secs_f64();
        let charts = match settings.charts {
            None => Vec::new(),
            Some((dir, size)) => {
                let mut first = scenario.clone();
                first.simulation.paths = paths.min(charts::CHART_SAMPLE_PATHS);
                let quiet = RunOptions {
                    progress: None,
                    ..settings.options.clone()
                };
                let sample = engine::simulate(&first, &quiet)?;
                charts::render_run(dir, scenario, &sample, &run.outputs, size)?
            }
        };
        Ok(RunResult {
            outputs: run.outputs,
            floors: run.floors,
            streamed: Some(Streamed {
                note: run.note,
                passes: run.passes,
            }),
            charts,
            simulation_seconds,
        })
    } else {
        let sim = engine::simulate(scenario, &settings.options)?;
        let simulation_seconds = started.elapsed().as_secs_f64();
        let outputs = Outputs::of_scenario(&sim, scenario)?;
        // Charts first, so that the floors can take the paths over.
        let charts = match settings.charts {
            None => Vec::new(),
            Some((dir, size)) => charts::render_run(dir, scenario, &sim, &outputs, size)?,
        };
        let floors = floor.map(|(solve_for, criteria)| {
            decisions::solve_floors_consuming(sim, scenario, solve_for, criteria)
        });
        Ok(RunResult {
            outputs,
            floors,
            streamed: None,
            charts,
            simulation_seconds,
        })
    }
}
