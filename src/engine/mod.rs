//! The Monte Carlo engine: simulates every path of a scenario in parallel,
//! reproducibly.
//!
//! Rayon hands runs of at least [`CHUNK_PATHS`] paths to threads, and each
//! path draws from streams seeded by (seed, path index) alone (see
//! [`random`]), so how the paths are split never changes a draw. The
//! records land in path order, so every statistic computed from them is
//! bit-identical whatever the number of threads.

mod beta;
pub mod chunks;
pub(crate) mod exp;
mod memory;
pub mod path;
pub mod random;

use crate::error::Error;
use crate::model::Model;
use crate::observer::Shared;
use crate::scenario::{Illiquidity, Scenario};
pub use memory::keep_freed_buffers;
pub use path::{ExerciseCost, PathRecord, PathTaxes, Plan};
use rayon::prelude::*;

/// Paths per chunk: the unit of parallel work.
pub const CHUNK_PATHS: usize = 4096;

/// Most paths kept in memory at once (one [`PathRecord`] each); larger
/// runs stream (see [`chunks`]).
pub const MAX_IN_MEMORY_PATHS: u64 = 100_000_000;

/// Runs of more paths than this stream by default instead of keeping every
/// path (`--stream-above`).
pub const DEFAULT_STREAM_ABOVE: u64 = 20_000_000;

/// The plans a scenario's paths are simulated with: its own, and with an
/// `[[uncertainty]]` ensemble one per parameter draw, block `b` of
/// [`CHUNK_PATHS`] paths taking draw `b mod K` (uncertainty.md).
///
/// Every path keeps its own streams, seeded by its index, whichever plan
/// it is simulated with. What the summaries read after the simulation
/// (pay, grants, taxes, the discount rate, preferences) is never drawn
/// ([`crate::scenario::may_be_drawn`]), so the scenario's own model
/// values every path.
#[derive(Debug, Clone)]
pub struct Plans {
    /// The scenario as written.
    pub own: Plan,
    /// One per ensemble draw (empty without an ensemble).
    draws: Vec<Plan>,
}

impl Plans {
    pub fn new(scenario: &Scenario) -> Plans {
        let seed = scenario.simulation.seed;
        Plans {
            own: Plan::new(Model::new(scenario), seed),
            draws: scenario.ensemble.as_ref().map_or_else(Vec::new, |e| {
                e.draws
                    .iter()
                    .map(|d| Plan::new(Model::new(&d.scenario), seed))
                    .collect()
            }),
        }
    }

    /// The plan path `path` is simulated with.
    #[inline]
    pub fn of_path(&self, path: u64) -> &Plan {
        self.of_chunk(path / CHUNK_PATHS as u64)
    }

    /// The plan chunk `chunk` (paths `chunk · CHUNK_PATHS ..`) is
    /// simulated with.
    #[inline]
    pub fn of_chunk(&self, chunk: u64) -> &Plan {
        if self.draws.is_empty() {
            &self.own
        } else {
            &self.draws[(chunk % self.draws.len() as u64) as usize]
        }
    }

    /// Ensemble draws (0 without an ensemble).
    pub fn draws(&self) -> usize {
        self.draws.len()
    }
}

/// The simulated paths of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The scenario's own plan, whose model values every path.
    pub plan: Plan,
    /// Ensemble draws the paths were simulated with, block by block (0
    /// for a plain run).
    pub draws: usize,
    /// One record per path, in path order.
    pub records: Vec<PathRecord>,
    /// The taxes of each path, in path order, when the scenario has a
    /// `[tax]` table (empty otherwise).
    pub taxes: Vec<PathTaxes>,
}

/// Options for a run that are not part of the scenario.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Told of every chunk of paths simulated
    /// ([`Observer::advance`](crate::observer::Observer::advance)).
    pub observer: Option<Shared>,
}

/// The memory an earlier kept run's paths were held in, for the next run
/// to write its own over ([`simulate_reusing`]).
///
/// A run's records are larger than the allocator keeps for reuse, so each
/// new run would fault in and clear fresh pages for them: a sweep that
/// simulates again at every value reuses one allocation instead.
#[derive(Debug, Default)]
pub struct PathStorage {
    records: Vec<PathRecord>,
    taxes: Vec<PathTaxes>,
}

impl Simulation {
    /// This simulation's memory, for the next one ([`simulate_reusing`]).
    pub fn into_storage(self) -> PathStorage {
        PathStorage {
            records: self.records,
            taxes: self.taxes,
        }
    }
}

/// Simulates every path of `scenario`.
pub fn simulate(scenario: &Scenario, options: &RunOptions) -> Result<Simulation, Error> {
    simulate_reusing(scenario, options, &mut PathStorage::default())
}

/// [`simulate`], writing the paths into `storage` where it has room for
/// them. The paths are the same either way. `storage` is left empty once
/// the paths are simulated, and as it was when a run of too many paths to
/// keep is refused.
pub fn simulate_reusing(
    scenario: &Scenario,
    options: &RunOptions,
    storage: &mut PathStorage,
) -> Result<Simulation, Error> {
    let paths = scenario.simulation.paths;
    if paths > MAX_IN_MEMORY_PATHS {
        return Err(Error::TooManyPathsToKeep {
            paths,
            most: MAX_IN_MEMORY_PATHS,
        });
    }
    let storage = std::mem::take(storage);
    let plans = Plans::new(scenario);
    let paths = paths as usize;
    // Collected in parallel straight into the vector: filling it first
    // would write (and fault in) every page on one thread.
    let mut records = if storage.records.capacity() >= paths {
        storage.records
    } else {
        Vec::with_capacity(paths)
    };
    let taxed = plans.own.model.tax.is_some();
    let mut taxes = if taxed && storage.taxes.capacity() >= paths {
        storage.taxes
    } else {
        Vec::new()
    };
    let advance = |i: usize| {
        if let Some(progress) = &options.observer {
            let done = i + 1;
            if done % CHUNK_PATHS == 0 {
                progress.advance(CHUNK_PATHS as u64);
            } else if done == paths {
                progress.advance((paths % CHUNK_PATHS) as u64);
            }
        }
    };
    let mut work = || {
        let all = (0..paths).into_par_iter().with_min_len(CHUNK_PATHS);
        if taxed {
            all.map(|i| {
                let path = plans.of_path(i as u64).simulate_with_taxes(i as u64);
                advance(i);
                path
            })
            .unzip_into_vecs(&mut records, &mut taxes);
        } else {
            all.map(|i| {
                let record = plans.of_path(i as u64).simulate(i as u64);
                advance(i);
                record
            })
            .collect_into_vec(&mut records);
        }
    };
    match options.threads {
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::ThreadPool {
                    threads: n,
                    message: e.to_string(),
                })?;
            pool.install(work);
        }
        None => work(),
    }
    Ok(Simulation {
        draws: plans.draws(),
        plan: plans.own,
        records,
        taxes,
    })
}

impl Simulation {
    /// The same paths under a flat illiquidity discount `discount`, without
    /// simulating again: the discount changes no draw, only how much of the
    /// private proceeds is kept. `None` when this simulation's illiquidity
    /// is not flat, or is a flat discount of 100% (nothing left to rescale),
    /// or the company runs tender offers (their proceeds are not discounted),
    /// or the paths come from an ensemble (whose draws may set the discount).
    ///
    /// On each path the proceeds after illiquidity, `P = equity + C` (C the
    /// exercise cost, which is never discounted, rebuilt by
    /// [`Plan::exercise_cost`]), are scaled by `(1 - discount) / (1 - d0)`,
    /// and the same for the part per unit of grant:
    ///
    /// `equity' = k (equity + C) - C`, `∂equity'/∂G = k (∂equity/∂G + ∂C/∂G) - ∂C/∂G`,
    /// `k = (1 - discount) / (1 - d0)`.
    ///
    /// The result equals a new simulation at `discount` up to rounding
    /// (about 1e-15 relative).
    pub fn with_flat_discount(&self, discount: f64) -> Option<Simulation> {
        self.with_flat_discount_reusing(discount, &mut PathStorage::default())
    }

    /// [`Simulation::with_flat_discount`], its records written into
    /// `storage` (an earlier rescaled simulation's, say) when it has room
    /// for them: a sweep over the discount then faults in one copy of the
    /// paths' memory, not one a value. The records are the same either way.
    /// `storage` is left empty when the paths are rescaled, and as it was
    /// when they cannot be (`None`), for a simulation in their place.
    pub fn with_flat_discount_reusing(
        &self,
        discount: f64,
        storage: &mut PathStorage,
    ) -> Option<Simulation> {
        let ratio = self.flat_discount_ratio(discount)?;
        let storage = std::mem::take(storage);
        let grant = self.plan.model.offer.grant;
        let plan = &self.plan;
        // Rescaled in parallel straight into the vector, as in `simulate`:
        // no serial copy first.
        let mut records = if storage.records.capacity() >= self.records.len() {
            storage.records
        } else {
            Vec::with_capacity(self.records.len())
        };
        self.records
            .par_iter()
            .with_min_len(CHUNK_PATHS)
            .map(|p| {
                let mut p = *p;
                let cost = plan.exercise_cost(&p);
                let total_cost = grant * cost.per_grant + cost.fixed;
                p.offer_equity = ratio * (p.offer_equity + total_cost) - total_cost;
                p.offer_equity_per_grant =
                    ratio * (p.offer_equity_per_grant + cost.per_grant) - cost.per_grant;
                p.equity_pays_zero |= ratio == 0.0;
                p
            })
            .collect_into_vec(&mut records);
        let mut model = self.plan.model.clone();
        model.illiquidity = Illiquidity::Flat { discount };
        Some(Simulation {
            plan: Plan::new(model, self.plan.seed),
            draws: 0,
            records,
            taxes: Vec::new(),
        })
    }

    /// Whether [`Simulation::with_flat_discount`] can rescale these paths
    /// to `discount`, without rescaling them.
    pub fn rescales_to_flat_discount(&self, discount: f64) -> bool {
        self.flat_discount_ratio(discount).is_some()
    }

    /// `k = (1 - discount) / (1 - d0)`, when these paths can be rescaled.
    fn flat_discount_ratio(&self, discount: f64) -> Option<f64> {
        let Illiquidity::Flat { discount: d0 } = self.plan.model.illiquidity else {
            return None;
        };
        // Tender proceeds are cash, never discounted: they cannot be told
        // apart from the rest of a record's equity, so such paths are
        // simulated again.
        // Nor can taxes: the tax paid on leaving is part of the exercise
        // cost, and is not rebuilt from the record.
        let m = &self.plan.model;
        if d0 >= 1.0
            || !(0.0..=1.0).contains(&discount)
            || m.tender.is_some()
            || m.tax.is_some()
            || self.draws > 0
        {
            return None;
        }
        Some((1.0 - discount) / (1.0 - d0))
    }
}
