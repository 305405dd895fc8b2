//! The Monte Carlo engine: simulates every path of a scenario in parallel,
//! reproducibly.
//!
//! Paths are cut into chunks of [`CHUNK_PATHS`], independent of the thread
//! count; rayon hands chunks to threads, and each path draws from streams
//! seeded by (seed, path index) alone (see [`streams`]). The records land
//! in path order, so every statistic computed from them is bit-identical
//! whatever the number of threads.

pub mod path;
pub mod streams;

use crate::error::Error;
use crate::model::Model;
use crate::scenario::Scenario;
pub use path::{PathRecord, Plan};
use rayon::prelude::*;

/// Paths per chunk: the unit of parallel work.
pub const CHUNK_PATHS: usize = 4096;

/// Most paths kept in memory at once (one [`PathRecord`] each).
pub const MAX_IN_MEMORY_PATHS: u64 = 100_000_000;

/// The simulated paths of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub plan: Plan,
    /// One record per path, in path order.
    pub records: Vec<PathRecord>,
}

/// Called after each chunk with the number of paths it simulated.
pub type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// Options for a run that are not part of the scenario.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    pub progress: Option<Progress>,
}

/// Simulates every path of `scenario`.
pub fn simulate(scenario: &Scenario, options: &RunOptions) -> Result<Simulation, Error> {
    let paths = scenario.simulation.paths;
    if paths > MAX_IN_MEMORY_PATHS {
        return Err(Error::Usage(format!(
            "simulation.paths = {paths} is more than this version keeps in memory ({MAX_IN_MEMORY_PATHS}); \
             use at most {MAX_IN_MEMORY_PATHS} paths"
        )));
    }
    let plan = Plan::new(Model::new(scenario), scenario.simulation.seed);
    let mut records = vec![PathRecord::default(); paths as usize];
    let work = |records: &mut Vec<PathRecord>| {
        records
            .par_chunks_mut(CHUNK_PATHS)
            .enumerate()
            .for_each(|(chunk, out)| {
                let first = (chunk * CHUNK_PATHS) as u64;
                for (i, record) in out.iter_mut().enumerate() {
                    *record = plan.simulate(first + i as u64);
                }
                if let Some(progress) = &options.progress {
                    progress(out.len() as u64);
                }
            });
    };
    match options.threads {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Usage(format!("cannot start {n} threads: {e}")))?;
            pool.install(|| work(&mut records));
        }
        None => work(&mut records),
    }
    Ok(Simulation { plan, records })
}
