//! The integration tests: one test binary, one module per topic, and one
//! runner for the `equisim` binary in [`common`].

mod common;

// The model against its closed forms, published tables and a second
// implementation of its rules.
mod dlom;
mod hall_murphy;
mod model;
mod reference;
mod self_test;
mod tax;

// Decisions: floors, sweeps, uncertain assumptions and their properties.
mod ensemble;
mod floor;
mod properties;
mod sensitivity;
mod sweep;

// Executors: kept and streamed runs, reproducibility, extreme inputs.
mod determinism;
mod extremes;
mod fuzz_regressions;
mod streaming;

// The command line and what it writes.
mod charts;
mod cli;
mod cli_errors;
mod cli_floor;
mod decision_charts;
mod safe_output;
