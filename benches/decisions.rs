//! What a run does after simulating: the accept-at floor, a 13-point
//! illiquidity sweep, and the charts.
//!
//! `cargo bench --bench decisions`. Throughput is in paths per second, so
//! each figure compares directly with `simulate` in the `engine` bench.

use criterion::{Criterion as Bench, Throughput, criterion_group, criterion_main};
use equisim::charts::{self, ChartSize};
use equisim::decisions::floor::solve_floors;
use equisim::decisions::sweep::{SweepRequest, run_sweep};
use equisim::engine::{self, RunOptions};
use equisim::scenario::{self, Criterion, Loaded, Override, SolveFor};
use equisim::stats::Outputs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const PATHS: u64 = 200_000;

fn load() -> (Loaded, Vec<Override>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hf-paris-ask.toml");
    let overrides = vec![Override::with_value(
        "simulation.paths",
        toml::Value::Integer(PATHS as i64),
        "bench",
    )];
    (
        scenario::load_file(&path, &overrides).expect("shipped scenario"),
        overrides,
    )
}

const CRITERIA: [Criterion; 4] = [
    Criterion::Mean,
    Criterion::Median,
    Criterion::Percentile(10),
    Criterion::CertaintyEquivalent,
];

fn floor(c: &mut Bench) {
    let (loaded, _) = load();
    let s = &loaded.scenario;
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let mut group = c.benchmark_group("floor");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("hf-paris-ask/4-criteria", |b| {
        b.iter(|| black_box(solve_floors(&sim, s, SolveFor::Grant, &CRITERIA)))
    });
    group.finish();
}

fn sweep(c: &mut Bench) {
    let (loaded, overrides) = load();
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Elements(PATHS * 13));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("hf-paris-ask/illiquidity-13-points", |b| {
        b.iter(|| {
            let request = SweepRequest {
                source: &loaded.source,
                overrides: &overrides,
                parameter: "employee.illiquidity.discount".into(),
                from: 0.0,
                to: 0.6,
                steps: 13,
                origin: "--param",
                solve_for: SolveFor::Grant,
                criteria: CRITERIA.to_vec(),
                include_own: true,
            };
            black_box(run_sweep(&request, &RunOptions::default()).unwrap())
        })
    });
    group.finish();
}

fn draw(c: &mut Bench) {
    let (loaded, _) = load();
    let s = &loaded.scenario;
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let outputs = Outputs::of_scenario(&sim, s).unwrap();
    let dir = std::env::temp_dir().join(format!("equisim-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut group = c.benchmark_group("charts");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("hf-paris-ask/run-charts", |b| {
        b.iter(|| black_box(charts::draw_run(&dir, s, &sim, &outputs, ChartSize::DEFAULT).unwrap()))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, floor, sweep, draw);
criterion_main!(benches);
