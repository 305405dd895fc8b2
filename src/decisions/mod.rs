//! Decisions drawn from simulated paths: the accept-at floor (the least
//! grant or base worth accepting), sweeps of a scenario parameter with
//! common random numbers, the indifference frontier between base and
//! grant, one parameter at a time (sensitivity) and all of them uncertain
//! at once (the ensemble).
//!
//! Everything here is plain data computed from [`crate::engine`] paths and
//! [`crate::stats`]; [`crate::report`] (tables, CSV, JSON) and the charts
//! consume it.

pub mod ensemble;
pub mod floor;
pub mod sensitivity;
pub mod sweep;

/// Runs too large to keep every path (the floors solved in streamed
/// passes live with the other floor solvers, in [`floor::streamed`]).
pub use floor::streamed as streaming;

pub use ensemble::EnsembleOutputs;
pub use floor::{
    Floor, FloorBounds, FloorProblem, Floors, Frontier, LinearPaths, Preferences, Solution,
    Unreachable, criterion_value, frontier, frontier_bases, frontier_bases_covering, solve,
    solve_floors, solve_floors_consuming,
};
pub use sweep::{
    PathReuse, SweepPlan, SweepPoint, SweepRequest, SweepResult, plan_sweep, run_sweep,
    sweep_values,
};
