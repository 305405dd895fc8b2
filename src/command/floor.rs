//! `equisim floor`: the accept-at floors on one simulation, and the
//! indifference frontier between base and grant on the same stored paths.

use super::{FloorChoice, Input};
use crate::charts::{self, ChartSize};
use crate::decisions::{self, FloorProblem, Floors, Preferences};
use crate::engine::{self, RunOptions};
use crate::error::Error;
use crate::observer::Unit;
use crate::scenario::{FloorSpec, Scenario};
use std::path::PathBuf;
use std::time::Instant;

/// What `equisim floor` is asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub input: Input,
    pub choice: FloorChoice,
    /// The folder `frontier.png` goes to.
    pub out_dir: PathBuf,
    /// The frontier chart's size; `None` solves no frontier and writes
    /// nothing.
    pub chart: Option<ChartSize>,
}

/// The frontier as drawn.
#[derive(Debug, Clone)]
pub struct FrontierChart {
    pub path: PathBuf,
    /// Bases of its grid.
    pub bases: usize,
    /// Seconds spent solving it.
    pub solve_seconds: f64,
}

/// What `equisim floor` found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: Scenario,
    /// The lever and criteria solved.
    pub spec: FloorSpec,
    pub floors: Floors,
    pub frontier: Option<FrontierChart>,
    pub simulation_seconds: f64,
    pub solve_seconds: f64,
}

/// `equisim floor`: simulates once, solves every floor on the stored
/// per-path terms, and (with a chart) the grant floor per criterion on a
/// grid of bases.
pub fn floor(request: &Request, options: &RunOptions) -> Result<Outcome, Error> {
    let scenario = request.input.load(options)?.scenario;
    let spec = request.choice.resolve(&scenario);
    if request.chart.is_some() {
        crate::fs::prepare_output_dir(&request.out_dir)?;
    }
    if let Some(o) = &options.observer {
        o.stage("", scenario.simulation.paths, Unit::Paths);
    }
    let started = Instant::now();
    let sim = engine::simulate(&scenario, options)?;
    let simulation_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    // One set of per-path terms for the floors and the frontier.
    let problem = FloorProblem::new(&sim, Preferences::of(&scenario));
    let floors = problem.solve_floors(spec.solve_for, &spec.criteria);
    let solve_seconds = started.elapsed().as_secs_f64();
    let frontier = match request.chart {
        None => None,
        Some(size) => {
            let started = Instant::now();
            let bases =
                decisions::frontier_bases_covering(&scenario, &floors, charts::FRONTIER_BASES);
            let frontier = problem.frontier(&spec.criteria, &bases);
            let solve_seconds = started.elapsed().as_secs_f64();
            let path = charts::draw_frontier(&request.out_dir, &scenario, &frontier, size)?;
            Some(FrontierChart {
                path,
                bases: bases.len(),
                solve_seconds,
            })
        }
    };
    Ok(Outcome {
        scenario,
        spec,
        floors,
        frontier,
        simulation_seconds,
        solve_seconds,
    })
}
