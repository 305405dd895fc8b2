//! What a command tells its caller while it works: the stages it goes
//! through (a simulation, a pass of a streamed run, the values of a
//! sweep), how much of each is done, and warnings about the input.
//!
//! One observer per command: the binary draws a progress bar and prints
//! the warnings, a test counts the paths, a library user can ignore it all
//! ([`Silent`]). The engine reports once per chunk of paths, never per
//! path, so that observing costs nothing measurable.

use std::sync::Arc;

/// What a stage counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Simulated paths.
    Paths,
    /// Values of a sweep.
    Values,
}

/// An observer of a command. Every method may be called from worker
/// threads; each does nothing unless implemented.
pub trait Observer: Send + Sync {
    /// A stage begins: `total` units of `unit`; `what` names the stage when
    /// it is one of several passes over the paths (empty otherwise).
    fn stage(&self, _what: &str, _total: u64, _unit: Unit) {}

    /// `done` more units of the current stage are finished.
    fn advance(&self, _done: u64) {}

    /// The input is accepted but something in it is likely a mistake, or
    /// has no effect.
    fn warning(&self, _text: &str) {}
}

/// Hears nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// An observer shared by the threads of a run.
pub type Shared = Arc<dyn Observer>;
