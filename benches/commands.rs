//! Whole commands as a user runs them, from the scenario file to the files
//! written: `run` (simulation, summaries, its four floors, summary.json and
//! summary.csv, no charts), `floor` with its frontier, the scenario's
//! 13-value illiquidity `sweep` (the paths simulated once), a 13-value
//! volatility sweep (simulated again at each value) and the default
//! `sensitivity` (13 parameters, 26 ends), on the Paris ask.
//!
//! `cargo bench --bench commands`. Throughput is in paths per second of the
//! scenario (a sweep's 13 values, and a sensitivity's scenario as given and
//! 26 ends, count once), so each figure compares with the engine's
//! `simulate` in the `engine` bench: the ratio is what the work around the
//! simulation costs.

use criterion::{Criterion as Bench, Throughput, criterion_group, criterion_main};
use equisim::charts::ChartSize;
use equisim::command::{self, FloorChoice, Input};
use equisim::engine::RunOptions;
use equisim::scenario::Override;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PATHS: u64 = 200_000;

fn input() -> Input {
    Input {
        scenario: Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hf-paris-ask.toml"),
        overrides: vec![Override::with_value(
            "simulation.paths",
            toml::Value::Integer(PATHS as i64),
            "bench",
        )],
    }
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn commands(c: &mut Bench) {
    // As the binary does before anything allocates.
    equisim::engine::keep_freed_buffers();
    let options = RunOptions::default();
    let (_keep, dir) = out_dir();
    let mut group = c.benchmark_group("command");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));

    let run = command::run::Request {
        input: input(),
        out_dir: dir.join("run"),
        charts: None,
        stream_above: equisim::engine::DEFAULT_STREAM_ABOVE,
        thresholds: Vec::new(),
    };
    group.bench_function("run/hf-paris-ask", |b| {
        b.iter(|| black_box(command::run(&run, &options).expect("run")))
    });

    let floor = command::floor::Request {
        input: input(),
        choice: FloorChoice::default(),
        out_dir: dir.join("floor"),
        chart: Some(ChartSize::new(1600, 1000).expect("a chart size")),
    };
    group.bench_function("floor-with-frontier/hf-paris-ask", |b| {
        b.iter(|| black_box(command::floor(&floor, &options).expect("floor")))
    });

    let sweep = command::sweep::Request {
        input: input(),
        parameter: None,
        from: None,
        to: None,
        steps: None,
        choice: FloorChoice::default(),
        out_dir: dir.join("sweep"),
        chart: None,
    };
    group.bench_function("sweep-13-discounts/hf-paris-ask", |b| {
        b.iter(|| black_box(command::sweep(&sweep, &options).expect("sweep")))
    });

    // A parameter the paths depend on: simulated again at every value.
    let volatility = command::sweep::Request {
        parameter: Some(("company.volatility".into(), "--param")),
        from: Some(0.4),
        to: Some(1.0),
        steps: Some(13),
        out_dir: dir.join("sweep-volatility"),
        ..sweep.clone()
    };
    group.bench_function("sweep-13-volatilities/hf-paris-ask", |b| {
        b.iter(|| black_box(command::sweep(&volatility, &options).expect("sweep")))
    });

    // Thirteen parameters at both ends, the scenario as given first.
    let sensitivity = command::sensitivity::Request {
        input: input(),
        ranges: Vec::new(),
        choice: FloorChoice::default(),
        rank_by: equisim::decisions::sensitivity::RankBy::Floor,
        out_dir: dir.join("sensitivity"),
        chart: None,
        beats_panel: false,
    };
    group.bench_function("sensitivity/hf-paris-ask", |b| {
        b.iter(|| black_box(command::sensitivity(&sensitivity, &options).expect("sensitivity")))
    });
    group.finish();
}

criterion_group!(benches, commands);
criterion_main!(benches);
