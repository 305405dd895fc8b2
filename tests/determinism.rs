//! The same scenario, seed and path count give byte-identical results
//! whatever the number of worker threads: each path draws from streams
//! derived from (seed, path index), never from the thread.

use crate::common;
use std::path::Path;
use tempfile::TempDir;

/// Extra flags that keep `run` fast when it can draw charts.
fn no_charts() -> Vec<&'static str> {
    let help = common::equisim().args(["run", "--help"]).output().unwrap();
    if String::from_utf8_lossy(&help.stdout).contains("--no-charts") {
        vec!["--no-charts"]
    } else {
        Vec::new()
    }
}

/// `equisim run SCENARIO --paths N --seed S --threads T --out DIR --json`:
/// returns summary.json as written, after checking that stdout holds the
/// same JSON.
fn summary(
    scenario: &Path,
    paths: u64,
    seed: Option<u64>,
    threads: u16,
    extra: &[&str],
) -> Vec<u8> {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let mut cmd = common::equisim();
    cmd.arg("run")
        .arg(scenario)
        .args(["--paths", &paths.to_string()])
        .args(["--threads", &threads.to_string()])
        .arg("--out")
        .arg(&out)
        .args(["--json", "--quiet"])
        .args(no_charts())
        .args(extra);
    if let Some(seed) = seed {
        cmd.args(["--seed", &seed.to_string()]);
    }
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let written = std::fs::read(out.join("summary.json")).unwrap();
    assert_eq!(output.stdout, written, "stdout and summary.json differ");
    written
}

fn assert_same_across_threads(name: &str, paths: u64) {
    assert_same_across_threads_with(name, paths, &[]);
}

fn assert_same_across_threads_with(name: &str, paths: u64, extra: &[&str]) {
    let path = common::shipped(name);
    let one = summary(&path, paths, None, 1, extra);
    let text = String::from_utf8(one.clone()).unwrap();
    assert!(
        text.contains(&format!("\"paths\": {paths}")),
        "{name}: summary.json does not record {paths} paths"
    );
    for threads in [2, 8] {
        let other = summary(&path, paths, None, threads, extra);
        assert!(
            one == other,
            "{name}: summary.json with --threads {threads} differs from --threads 1"
        );
    }
}

#[test]
fn paris_ask_is_identical_for_1_2_and_8_threads() {
    assert_same_across_threads("hf-paris-ask.toml", 50_000);
}

#[test]
fn minimal_is_identical_for_1_2_and_8_threads() {
    assert_same_across_threads("minimal.toml", 50_000);
}

#[test]
fn a_partial_last_chunk_is_identical_too() {
    // A path count that is no multiple of any plausible chunk size.
    assert_same_across_threads("hf-paris-ask.toml", 12_347);
}

#[test]
fn a_streamed_run_is_identical_for_1_2_and_8_threads() {
    // Every pass of a streamed run (summary, percentile and CE floors), with
    // a partial last chunk.
    assert_same_across_threads_with("hf-paris-ask.toml", 30_001, &["--stream-above", "0"]);
}

#[test]
fn the_seed_matters() {
    // Guards the tests above against comparing outputs that ignore the
    // random streams altogether.
    let path = common::shipped("minimal.toml");
    let a = summary(&path, 20_000, Some(1), 2, &[]);
    let b = summary(&path, 20_000, Some(2), 2, &[]);
    assert!(a != b, "seeds 1 and 2 gave the same summary.json");
    assert_eq!(a, summary(&path, 20_000, Some(1), 2, &[]));
}

/// Common random numbers by source (model v2 §1): the rounds' dilution law
/// moves no round's time, so a dilution sd of 0 against 1e-9 moves the
/// offer's mean by next to nothing.
#[test]
fn a_dilution_sd_moves_no_round() {
    let with_sd = |sd: &str| {
        let s = common::scenario(
            &format!("[company.rounds]\nper_year = 1.5\ndilution_sd = {sd}\n"),
            20_000,
            9,
        );
        let records = common::run(&s);
        records.iter().map(|p| p.offer_equity).sum::<f64>() / records.len() as f64
    };
    let (fixed, random) = (with_sd("0.0"), with_sd("1e-9"));
    assert!(
        (fixed - random).abs() <= 1e-6 * fixed.abs(),
        "{fixed} against {random}"
    );
}

/// Adding a refresh to the alternative moves no draw of the private
/// offer's paths: every path's private equity is the same to the digit.
#[test]
fn a_refresh_of_one_offer_moves_no_draw_of_the_other() {
    let base = "[[offer.equity.refresh]]\nat_years = 2.0\nprobability = 0.7\ngrant_ratio = 0.25\n";
    let without = common::scenario(base, 20_000, 4);
    let with = common::scenario(
        &format!(
            "{base}[alternative.equity]\ngrant = 50_000\n\
             [[alternative.equity.refresh]]\nat_years = 1.0\nprobability = 0.5\ngrant = 20_000\n"
        ),
        20_000,
        4,
    );
    let (a, b) = (common::run(&without), common::run(&with));
    let mut moved_alternative = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.offer_equity, y.offer_equity);
        assert_eq!(x.offer_equity_per_grant, y.offer_equity_per_grant);
        assert_eq!(x.employed_years, y.employed_years);
        moved_alternative += (x.alternative_equity != y.alternative_equity) as usize;
    }
    assert!(moved_alternative > 10_000, "{moved_alternative}");
}

/// A simulation written over an earlier one's memory (as a sweep that
/// simulates again at every value does) holds the same records and taxes,
/// to the bit, as one in fresh memory: from a taxed run to an untaxed one
/// with fewer paths and back, where the memory is reused, and into memory
/// too small for the paths, where it is not.
#[test]
fn paths_written_over_earlier_ones_are_the_same() {
    use equisim::engine::{self, PathStorage, RunOptions};
    use equisim::scenario::{self, Override};
    let load = |name: &str, paths: i64| {
        let count = Override::with_value("simulation.paths", toml::Value::Integer(paths), "test");
        scenario::load_file(&common::shipped(name), &[count])
            .unwrap()
            .scenario
    };
    let options = RunOptions::default();
    let taxed = load("hf-paris-ask-tax.toml", 30_000);
    let untaxed = load("minimal.toml", 20_000);
    // Debug prints every f64 so that it reads back to the same bits (a
    // path without an exit has a NaN multiple, which `==` refuses).
    let same = |a: &engine::Simulation, b: &engine::Simulation| {
        assert_eq!(format!("{:?}", a.records), format!("{:?}", b.records));
        assert_eq!(format!("{:?}", a.taxes), format!("{:?}", b.taxes));
    };
    let first = engine::simulate(&taxed, &options).unwrap();
    let first_at = first.records.as_ptr();
    let over = engine::simulate_reusing(&untaxed, &options, &mut first.into_storage()).unwrap();
    same(&over, &engine::simulate(&untaxed, &options).unwrap());
    assert_eq!(
        over.records.as_ptr(),
        first_at,
        "the records' memory is reused"
    );
    assert!(over.taxes.is_empty());
    let back = engine::simulate_reusing(&taxed, &options, &mut over.into_storage()).unwrap();
    let fresh = engine::simulate(&taxed, &options).unwrap();
    same(&back, &fresh);
    assert_eq!(back.records.as_ptr(), first_at);
    assert_eq!(back.taxes.len(), 30_000);
    let mut small = engine::simulate(&untaxed, &options).unwrap().into_storage();
    let grown = engine::simulate_reusing(&taxed, &options, &mut small).unwrap();
    same(&grown, &fresh);
    let none = engine::simulate_reusing(&taxed, &options, &mut PathStorage::default()).unwrap();
    same(&none, &fresh);
}
