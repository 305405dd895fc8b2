//! Throughput of the engine and of what a run does after it.
//!
//! `cargo bench --bench engine`. Each group reports paths per second
//! (criterion's "elements"); compare `simulate/hf-paris-ask/1-thread` with
//! `rng_bound/hf-paris-ask` (single-threaded too) for how close the engine
//! runs to the cost of its random numbers alone; `stream/…` compares a
//! streamed run's single pass with keeping and summarizing every path.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use equisim::decisions::streaming::{StreamSettings, run_streaming};
use equisim::engine::{self, RunOptions};
use equisim::scenario::{self, Override, Scenario};
use equisim::stats::Outputs;
use equisim::stats::sketch::DEFAULT_RELATIVE_ERROR;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const PATHS: u64 = 200_000;

const EVERY_FEATURE: &str = "every-v2-feature.toml";

/// A shipped scenario, or `every-v2-feature.toml` from `benches/`: the
/// Paris ask with tenders, uneven vesting and repeating refreshes on.
fn load(name: &str) -> Scenario {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = if name == EVERY_FEATURE {
        root.join("benches").join(name)
    } else {
        root.join("scenarios").join(name)
    };
    let paths = Override::with_value(
        "simulation.paths",
        toml::Value::Integer(PATHS as i64),
        "bench",
    );
    scenario::load_file(&path, &[paths])
        .expect("shipped scenario")
        .scenario
}

fn simulate(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for name in [
        "hf-paris-ask.toml",
        "hf-paris-ask-tax.toml",
        "minimal.toml",
        EVERY_FEATURE,
    ] {
        let s = load(name);
        for threads in [1usize, 2] {
            let options = RunOptions {
                threads: Some(threads),
                observer: None,
            };
            let id = format!("{}/{threads}-thread", name.trim_end_matches(".toml"));
            group.bench_function(id, |b| {
                b.iter(|| black_box(engine::simulate(&s, &options).unwrap().records.len()))
            });
        }
    }
    group.finish();
}

/// A streamed run (one pass: every output, no floors) against a kept one
/// (simulation and summaries), both with 2 threads.
fn stream(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    let s = load("hf-paris-ask.toml");
    let options = RunOptions {
        threads: Some(2),
        observer: None,
    };
    let settings = StreamSettings {
        relative_error: DEFAULT_RELATIVE_ERROR,
    };
    group.bench_function("hf-paris-ask/streamed", |b| {
        b.iter(|| {
            let run = run_streaming(&s, &options, &settings, None).unwrap();
            black_box(run.outputs.offer.total.mean)
        })
    });
    group.bench_function("hf-paris-ask/kept", |b| {
        b.iter(|| {
            let sim = engine::simulate(&s, &options).unwrap();
            let outputs = Outputs::of_scenario(&sim, &s).unwrap();
            black_box(outputs.offer.total.mean)
        })
    });
    group.finish();
}

fn summarize(c: &mut Criterion) {
    let mut group = c.benchmark_group("summarize");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    let s = load("hf-paris-ask.toml");
    let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
    group.bench_function("hf-paris-ask", |b| {
        b.iter(|| black_box(Outputs::of_scenario(&sim, &s).unwrap().offer.total.mean))
    });
    group.finish();
}

/// The same random numbers as the engine draws for each path, and nothing
/// else: the practical limit of this design, single-threaded.
fn rng_bound(c: &mut Criterion) {
    let mut group = c.benchmark_group("rng_bound");
    group.throughput(Throughput::Elements(PATHS));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    for name in [
        "hf-paris-ask.toml",
        "hf-paris-ask-tax.toml",
        "minimal.toml",
        EVERY_FEATURE,
    ] {
        let s = load(name);
        let plan = engine::Plan::new(equisim::model::Model::new(&s), s.simulation.seed);
        group.bench_function(name.trim_end_matches(".toml"), |b| {
            b.iter(|| black_box((0..PATHS).map(|i| plan.draw_only(i)).sum::<f64>()))
        });
    }
    group.finish();
}

criterion_group!(benches, simulate, rng_bound, summarize, stream);
criterion_main!(benches);
