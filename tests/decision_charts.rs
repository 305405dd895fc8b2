//! The decision charts: `floor_sweep.png` (drawn by `sweep`) and
//! `frontier.png` (drawn by `floor`). Each PNG decodes, has the requested
//! size, is not blank and shows every criterion's line in its colour; the
//! same seed draws the same bytes; `--no-charts` writes none.

use crate::common;

use crate::common::image::Image;
use equisim::charts::{self, ChartSize, FLOOR_SWEEP_CHART, FRONTIER_CHART, criterion_color};
use equisim::decisions::{
    SweepRequest, SweepResult, frontier, frontier_bases, frontier_bases_covering, run_sweep,
    solve_floors,
};
use equisim::engine::{self, RunOptions};
use equisim::scenario::{self, Criterion, Loaded, Override, SolveFor};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const PATHS: u64 = 20_000;

const CRITERIA: [Criterion; 4] = [
    Criterion::Mean,
    Criterion::Median,
    Criterion::Percentile(10),
    Criterion::CertaintyEquivalent,
];

fn paths_override(paths: u64) -> Vec<Override> {
    vec![Override::parse(&format!("simulation.paths={paths}")).unwrap()]
}

fn load(name: &str, paths: u64) -> Loaded {
    scenario::load_file(&common::shipped(name), &paths_override(paths)).unwrap()
}

fn options(threads: Option<usize>) -> RunOptions {
    RunOptions {
        threads,
        ..RunOptions::default()
    }
}

/// A sweep of `parameter` over `range` with [`CRITERIA`].
fn sweep(
    loaded: &Loaded,
    paths: u64,
    parameter: &str,
    (from, to, steps): (f64, f64, u64),
    solve_for: SolveFor,
    threads: Option<usize>,
) -> SweepResult {
    let overrides = paths_override(paths);
    let request = SweepRequest {
        source: &loaded.source,
        overrides: &overrides,
        parameter: parameter.to_string(),
        from,
        to,
        steps,
        origin: "--param",
        solve_for,
        criteria: CRITERIA.to_vec(),
        include_own: true,
    };
    run_sweep(&request, &options(threads)).unwrap()
}

/// The scenario's own `[sweep]`: the illiquidity discount from 0 to 0.6.
fn discount_sweep(name: &str, threads: Option<usize>) -> (Loaded, SweepResult) {
    let loaded = load(name, PATHS);
    let spec = loaded.scenario.sweep.clone().unwrap();
    let result = sweep(
        &loaded,
        PATHS,
        &spec.parameter,
        (spec.from, spec.to, spec.steps),
        SolveFor::Grant,
        threads,
    );
    (loaded, result)
}

fn draw_sweep(name: &str, dir: &Path, size: ChartSize, threads: Option<usize>) -> PathBuf {
    let (loaded, result) = discount_sweep(name, threads);
    charts::draw_floor_sweep(dir, &loaded.scenario, &result, size).unwrap()
}

fn draw_frontier(name: &str, dir: &Path, size: ChartSize, threads: Option<usize>) -> PathBuf {
    let loaded = load(name, PATHS);
    let s = &loaded.scenario;
    let sim = engine::simulate(s, &options(threads)).unwrap();
    let floors = solve_floors(&sim, s, SolveFor::Grant, &CRITERIA);
    let bases = frontier_bases_covering(s, &floors, charts::FRONTIER_BASES);
    let f = frontier(&sim, s, &CRITERIA, &bases);
    charts::draw_frontier(dir, s, &f, size).unwrap()
}

/// The decision chart at `path` has the size `size`, is not blank, and
/// shows the first `criteria` criteria's lines in their colours (the plots
/// span 8% to 92% of the width).
fn assert_drawn(path: &Path, size: (u32, u32), criteria: usize) {
    let image = Image::read(path);
    assert_eq!((image.width, image.height), size, "{}", path.display());
    let distinct = image.distinct_colors();
    assert!(
        distinct > 100,
        "{} has only {distinct} colours",
        path.display()
    );
    for (i, c) in CRITERIA.iter().take(criteria).enumerate() {
        let n = image.count_near(criterion_color(i), (8, 92));
        assert!(
            n > 60,
            "{}: the {c} line's colour is on only {n} pixels",
            path.display()
        );
    }
}

#[test]
fn floor_sweep_decodes_at_the_requested_size_and_shows_every_criterion() {
    let dir = TempDir::new().unwrap();
    for name in ["hf-paris-ask.toml", "hf-nyc-ask.toml"] {
        let size = ChartSize::new(1200, 800).unwrap();
        let path = draw_sweep(name, dir.path(), size, None);
        assert_eq!(path, dir.path().join(FLOOR_SWEEP_CHART));
        assert_drawn(&path, (1200, 800), CRITERIA.len());
    }
}

#[test]
fn frontier_decodes_at_the_requested_size_and_shows_every_criterion() {
    let dir = TempDir::new().unwrap();
    for name in ["hf-paris-ask.toml", "hf-nyc-ask.toml"] {
        let path = draw_frontier(name, dir.path(), ChartSize::default(), None);
        assert_eq!(path, dir.path().join(FRONTIER_CHART));
        assert_drawn(&path, (1600, 1000), CRITERIA.len());
    }
}

/// The frontier's grid of bases reaches every base floor: unchanged for
/// Paris (its base floors lie inside the usual grid), raised for New York
/// (the median's base floor is far above both offers' bases).
#[test]
fn the_frontier_grid_takes_in_every_base_floor() {
    for name in ["hf-paris-ask.toml", "hf-nyc-ask.toml"] {
        let loaded = load(name, PATHS);
        let s = &loaded.scenario;
        let sim = engine::simulate(s, &RunOptions::default()).unwrap();
        let floors = solve_floors(&sim, s, SolveFor::Grant, &CRITERIA);
        let needed = floors
            .floors
            .iter()
            .filter_map(|f| f.base_floor.as_ref()?.value)
            .fold(0.0, f64::max);
        let usual = frontier_bases(s, charts::FRONTIER_BASES);
        let grid = frontier_bases_covering(s, &floors, charts::FRONTIER_BASES);
        assert_eq!(grid.len(), usual.len(), "{name}");
        assert_eq!(grid[0], usual[0], "{name}");
        let top = *grid.last().unwrap();
        assert!(top >= needed, "{name}: grid to {top}, base floor {needed}");
        if needed * 1.06 <= *usual.last().unwrap() {
            assert_eq!(grid, usual, "{name}");
        } else {
            assert!(top > *usual.last().unwrap(), "{name}");
        }
    }
}

#[test]
fn the_same_seed_draws_the_same_bytes() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let size = ChartSize::new(800, 500).unwrap();
    for dir in [a.path(), b.path()] {
        let threads = (dir == b.path()).then_some(1);
        draw_sweep("hf-nyc-ask.toml", dir, size, threads);
        draw_frontier("hf-nyc-ask.toml", dir, size, threads);
    }
    for name in [FLOOR_SWEEP_CHART, FRONTIER_CHART] {
        let first = std::fs::read(a.path().join(name)).unwrap();
        let second = std::fs::read(b.path().join(name)).unwrap();
        assert!(first == second, "{name} differs between two runs");
    }
}

/// Sweeps the charts must also draw: floors solved for the base (one
/// panel), a money parameter that is the other lever, a scenario whose
/// floors are all reachable, and the smallest canvas.
#[test]
fn other_sweeps_draw_too() {
    let dir = TempDir::new().unwrap();
    let paris = load("hf-paris-ask.toml", 5_000);
    let minimal = load("minimal.toml", 5_000);
    let cases = [
        (
            &paris,
            "employee.risk_aversion",
            (0.0, 4.0, 5),
            SolveFor::Base,
            ChartSize::new(1000, 700).unwrap(),
        ),
        (
            &paris,
            "offer.base",
            (60_000.0, 90_000.0, 4),
            SolveFor::Grant,
            ChartSize::new(400, 300).unwrap(),
        ),
        (
            &minimal,
            "company.volatility",
            (0.3, 0.9, 3),
            SolveFor::Grant,
            ChartSize::default(),
        ),
    ];
    for (loaded, parameter, range, solve_for, size) in cases {
        let result = sweep(loaded, 5_000, parameter, range, solve_for, None);
        let path = charts::draw_floor_sweep(dir.path(), &loaded.scenario, &result, size).unwrap();
        let image = Image::read(&path);
        assert_eq!(
            (image.width, image.height),
            (size.width, size.height),
            "{parameter}"
        );
        assert!(image.distinct_colors() > 50, "{parameter}");
    }
}

fn equisim(dir: &Path, args: &[&str]) -> std::process::Output {
    common::equisim()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn pngs(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".png"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn assert_ok(run: &std::process::Output) {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn cli_sweep_draws_the_chart_and_no_charts_writes_none() {
    let dir = TempDir::new().unwrap();
    let scenario = common::shipped("hf-paris-ask.toml");
    let scenario = scenario.to_str().unwrap();
    let out = dir.path().join("out");
    let out_text = out.to_str().unwrap();
    let run = equisim(
        dir.path(),
        &[
            "sweep",
            scenario,
            "--paths",
            "5000",
            "--steps",
            "4",
            "--out",
            out_text,
            "--chart-size",
            "640x480",
        ],
    );
    assert_ok(&run);
    assert_eq!(pngs(&out), [FLOOR_SWEEP_CHART]);
    let image = Image::read(&out.join(FLOOR_SWEEP_CHART));
    assert_eq!((image.width, image.height), (640, 480));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let wrote = stdout.lines().find(|l| l.starts_with("Wrote")).unwrap();
    assert!(wrote.contains(FLOOR_SWEEP_CHART), "{wrote}");

    let bare = dir.path().join("bare");
    let run = equisim(
        dir.path(),
        &[
            "sweep",
            scenario,
            "--paths",
            "5000",
            "--steps",
            "3",
            "--out",
            bare.to_str().unwrap(),
            "--no-charts",
        ],
    );
    assert_ok(&run);
    assert!(bare.join("sweep.csv").is_file());
    assert!(pngs(&bare).is_empty(), "{:?}", pngs(&bare));
    assert!(!String::from_utf8_lossy(&run.stdout).contains(".png"));
}

#[test]
fn cli_floor_draws_the_frontier_into_the_default_folder() {
    let dir = TempDir::new().unwrap();
    let scenario = common::shipped("hf-nyc-ask.toml");
    let scenario = scenario.to_str().unwrap();
    let run = equisim(dir.path(), &["floor", scenario, "--paths", "5000"]);
    assert_ok(&run);
    let out = dir.path().join("output").join("hf-nyc-ask");
    assert_eq!(pngs(&out), [FRONTIER_CHART]);
    let image = Image::read(&out.join(FRONTIER_CHART));
    assert_eq!((image.width, image.height), (1600, 1000));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("Frontier over 25 bases"), "{stdout}");
    assert!(stdout.contains(FRONTIER_CHART), "{stdout}");

    // --json keeps stdout to the JSON and still draws the chart.
    let json_out = dir.path().join("json");
    let run = equisim(
        dir.path(),
        &[
            "floor",
            scenario,
            "--paths",
            "5000",
            "--json",
            "--out",
            json_out.to_str().unwrap(),
            "--chart-size",
            "800x600",
        ],
    );
    assert_ok(&run);
    let parsed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(parsed.get("floor").is_some());
    let image = Image::read(&json_out.join(FRONTIER_CHART));
    assert_eq!((image.width, image.height), (800, 600));
}

#[test]
fn cli_floor_with_no_charts_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let scenario = common::shipped("hf-paris-ask.toml");
    let run = equisim(
        dir.path(),
        &[
            "floor",
            scenario.to_str().unwrap(),
            "--paths",
            "5000",
            "--no-charts",
        ],
    );
    assert_ok(&run);
    assert!(!dir.path().join("output").exists());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(!stdout.contains(".png"), "{stdout}");
}

#[test]
fn cli_rejects_a_bad_chart_size_before_writing() {
    let dir = TempDir::new().unwrap();
    let scenario = common::shipped("hf-paris-ask.toml");
    let scenario = scenario.to_str().unwrap();
    for command in ["floor", "sweep"] {
        let out = dir.path().join(command);
        let run = equisim(
            dir.path(),
            &[
                command,
                scenario,
                "--paths",
                "5000",
                "--out",
                out.to_str().unwrap(),
                "--chart-size",
                "100x100",
            ],
        );
        assert_eq!(run.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("--chart-size 100x100") && stderr.contains("400 to 4000"),
            "{command}: {stderr}"
        );
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
}
