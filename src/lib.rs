//! # equisim
//!
//! What is a pre-IPO equity offer worth next to a public company's offer
//! with liquid RSUs? equisim answers with a Monte Carlo over the company's
//! future (exit timing and type, exit multiples, dilution, liquidation
//! preferences, lockup, failure) and the person's own (leaving early, the
//! cliff, refresh grants, option exercise), valuing both offers on the same
//! paths.
//!
//! The modules follow the model, and data flows one way:
//! [`scenario`] (parse, defaults, validate) → [`model`] (offers, company,
//! person) → [`engine`] (paths, parallel runner, random streams) →
//! [`stats`] (summaries, quantiles, certainty equivalent) → [`decisions`]
//! (accept-at floor, sweeps, frontier) → [`report`]
//! (table, JSON, CSV) and [`charts`] (PNG). [`command`] has one function
//! per command of the `equisim` binary, which puts them together; the
//! binary only parses, calls one of them and prints. Numbers are formatted
//! in [`format`](mod@format), every output file is written through [`fs`], and
//! progress and warnings go to an [`observer`].

pub mod charts;
pub mod command;
pub mod decisions;
pub mod engine;
pub mod error;
pub mod format;
pub mod fs;
pub mod model;
pub mod observer;
pub mod report;
pub mod scenario;
pub mod stats;

pub use error::{Error, Result};
