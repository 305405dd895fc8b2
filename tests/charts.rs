//! The charts a run draws: each PNG decodes, has the requested size, is not
//! blank and shows both offers; the same seed draws the same bytes; the
//! command line skips them on request and rejects a bad size clearly.

use crate::common;

use crate::common::image::Image;
use equisim::charts::theme::{colors, outcome_color};
use equisim::charts::{self, ChartSize, RUN_CHARTS};
use equisim::engine::{self, RunOptions};
use equisim::model::company::Outcome;
use equisim::scenario::{self, Override};
use equisim::stats::Outputs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const PATHS: u64 = 20_000;

/// Simulates `name` with [`PATHS`] paths and draws its charts into `dir`.
fn draw(name: &str, dir: &Path, size: ChartSize, threads: Option<usize>) -> Vec<PathBuf> {
    let overrides = [Override::parse(&format!("simulation.paths={PATHS}")).unwrap()];
    let loaded = scenario::load_file(&common::shipped(name), &overrides).unwrap();
    let s = &loaded.scenario;
    let options = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let sim = engine::simulate(s, &options).unwrap();
    let outputs = Outputs::of_scenario(&sim, s).unwrap();
    charts::draw_run(dir, s, &sim, &outputs, size).unwrap()
}

/// The plot area of a run chart spans 12% to 88% of the width.
const PLOT_ACROSS: (usize, usize) = (12, 88);

#[test]
fn charts_decode_at_the_requested_size_and_show_both_offers() {
    let dir = TempDir::new().unwrap();
    let size = ChartSize::new(1200, 800).unwrap();
    let written = draw("hf-paris-ask.toml", dir.path(), size, None);
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, RUN_CHARTS);
    for path in &written {
        let image = Image::read(path);
        assert_eq!(
            (image.width, image.height),
            (1200, 800),
            "{}",
            path.display()
        );
        let distinct = image.distinct_colors();
        assert!(
            distinct > 100,
            "{} has only {distinct} colours",
            path.display()
        );
    }
    for name in ["value.png", "cdf.png"] {
        let image = Image::read(&dir.path().join(name));
        for (series, color) in [
            ("offer", colors::OFFER),
            ("alternative", colors::ALTERNATIVE),
        ] {
            let n = image.count_near(color, PLOT_ACROSS);
            assert!(
                n > 200,
                "{name}: the {series}'s colour is on only {n} pixels"
            );
        }
    }
    let equity = Image::read(&dir.path().join("equity.png"));
    for outcome in Outcome::ALL {
        let n = equity.count_near(outcome_color(outcome), PLOT_ACROSS);
        assert!(n > 200, "equity.png: {outcome:?} is on only {n} pixels");
    }
}

#[test]
fn default_size_and_a_scenario_without_options() {
    let dir = TempDir::new().unwrap();
    let written = draw("minimal.toml", dir.path(), ChartSize::default(), None);
    assert_eq!(written.len(), 3);
    for path in &written {
        let image = Image::read(path);
        assert_eq!((image.width, image.height), (1600, 1000));
        assert!(image.distinct_colors() > 100, "{}", path.display());
    }
}

#[test]
fn the_same_seed_draws_the_same_bytes() {
    let (a, b) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let size = ChartSize::new(800, 500).unwrap();
    draw("hf-nyc-ask.toml", a.path(), size, None);
    draw("hf-nyc-ask.toml", b.path(), size, Some(1));
    for name in RUN_CHARTS {
        let first = std::fs::read(a.path().join(name)).unwrap();
        let second = std::fs::read(b.path().join(name)).unwrap();
        assert!(first == second, "{name} differs between two runs");
    }
}

fn equisim(args: &[&str], out: &Path) -> std::process::Output {
    common::equisim()
        .arg("run")
        .arg(common::shipped("minimal.toml"))
        .args(["--paths", &PATHS.to_string(), "--out"])
        .arg(out)
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

#[test]
fn cli_draws_charts_at_the_requested_size() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let run = equisim(&["--chart-size", "640x480"], &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(pngs(&out), ["cdf.png", "equity.png", "value.png"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let wrote = stdout.lines().find(|l| l.starts_with("Wrote")).unwrap();
    for name in RUN_CHARTS {
        assert!(wrote.contains(name), "{wrote}");
        let image = Image::read(&out.join(name));
        assert_eq!((image.width, image.height), (640, 480));
    }
}

#[test]
fn cli_no_charts_writes_none() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let run = equisim(&["--no-charts"], &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("summary.json").is_file());
    assert!(pngs(&out).is_empty(), "{:?}", pngs(&out));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(!stdout.contains(".png"), "{stdout}");
}

#[test]
fn cli_rejects_a_chart_size_out_of_range_clearly() {
    for (value, allowed) in [
        ("100x100", "400 to 4000"),
        ("5000x1000", "400 to 4000"),
        ("1600x200", "300 to 4000"),
        ("big", "WIDTHxHEIGHT"),
        ("1600x", "WIDTHxHEIGHT"),
    ] {
        let dir = TempDir::new().unwrap();
        let out = dir.path().join("out");
        let run = equisim(&["--chart-size", value], &out);
        assert_eq!(run.status.code(), Some(2), "--chart-size {value}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(&format!("--chart-size {value}")) && stderr.contains(allowed),
            "--chart-size {value}: {stderr}"
        );
        assert!(stderr.contains("1600x1000"), "no example: {stderr}");
        // Rejected before anything runs or is written.
        assert!(!out.join("summary.json").exists());
    }
}
