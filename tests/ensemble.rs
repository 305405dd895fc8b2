//! The `[[uncertainty]]` ensemble: with no width it is the plain run to the
//! digit; its draws are a Latin hypercube; it is the same whatever the
//! thread count and whichever executor; its attribution finds the one
//! parameter that matters; and the command writes what it says.

use crate::common;
use equisim::command::run::{RunResult, RunSettings, run_scenario};
use equisim::decisions::EnsembleOutputs;
use equisim::decisions::streaming::{StreamSettings, run_streaming};
use equisim::engine::{CHUNK_PATHS, RunOptions};
use equisim::scenario::{self, Criterion, Distribution, Override, Scenario, SolveFor};
use equisim::stats::sketch::DEFAULT_RELATIVE_ERROR;

/// The shipped Paris ask with `extra` TOML appended and `paths` paths.
fn paris_with(extra: &str, paths: u64) -> Scenario {
    let path = common::shipped("hf-paris-ask.toml");
    let text = std::fs::read_to_string(&path).unwrap() + extra;
    let paths = Override::with_value(
        "simulation.paths",
        toml::Value::Integer(paths as i64),
        "test",
    );
    scenario::load_str("hf-paris-ask.toml", &text, &[paths])
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn kept(s: &Scenario, threads: usize) -> RunResult {
    let settings = RunSettings {
        options: RunOptions {
            threads: Some(threads),
            observer: None,
        },
        ..RunSettings::default()
    };
    run_scenario(s, &settings).unwrap()
}

/// Every entry of zero width at the scenario's own value, one of each kind.
fn zero_width(s: &Scenario) -> String {
    format!(
        "\n[[uncertainty]]\nparameter = \"company.drift\"\nnormal = {{ mean = {}, sd = 0 }}\n\
         [[uncertainty]]\nparameter = \"company.volatility\"\nuniform = {{ low = {v}, high = {v} }}\n\
         [[uncertainty]]\nparameter = \"company.exit.ipo_per_year\"\nlognormal = {{ median = {}, sigma = 0 }}\n\
         [[uncertainty]]\nparameter = \"employee.attrition_per_year\"\n\
         triangular = {{ low = {a}, mode = {a}, high = {a} }}\n",
        s.company.drift,
        s.company.exit.ipo_per_year,
        v = s.company.volatility,
        a = s.employee.attrition_per_year,
    )
}

/// Paths of the comparisons: several blocks and a partial last one.
const PATHS: u64 = 20 * CHUNK_PATHS as u64 + 1_234;

#[test]
fn an_ensemble_of_zero_width_is_the_plain_run_to_the_digit() {
    let plain = paris_with("", PATHS);
    let ensemble = paris_with(&zero_width(&plain), PATHS);
    let draws = &ensemble.ensemble.as_ref().expect("an ensemble").draws;
    assert_eq!(draws.len(), 21, "one draw per block");
    let (a, b) = (kept(&plain, 2), kept(&ensemble, 2));
    assert!(a.ensemble.is_none());
    assert_eq!(a.outputs, b.outputs);
    assert_eq!(a.floors, b.floors);
    // Streamed alike.
    let settings = StreamSettings {
        relative_error: DEFAULT_RELATIVE_ERROR,
    };
    let floor = Some((SolveFor::Grant, &[Criterion::Mean, Criterion::Median][..]));
    let options = RunOptions::default();
    let (c, d) = (
        run_streaming(&plain, &options, &settings, floor).unwrap(),
        run_streaming(&ensemble, &options, &settings, floor).unwrap(),
    );
    assert_eq!(c.outputs, d.outputs);
    assert_eq!(c.floors, d.floors);
    // Every draw then has the plain run's answer, up to its own paths.
    let e = b.ensemble.unwrap();
    assert_eq!(e.attribution, None, "nothing varies: nothing to attribute");
}

/// Each of the `K` draws is in its own stratum of every entry: the levels
/// `p_jk`, times `K`, fall one in each of `0..K`; and each value is the
/// distribution's quantile at its level.
#[test]
fn the_draws_are_a_latin_hypercube() {
    let extra = "\n[[uncertainty]]\nparameter = \"company.drift\"\nnormal = { mean = 0.1, sd = 0.1 }\n\
         [[uncertainty]]\nparameter = \"company.volatility\"\nuniform = { low = 0.4, high = 0.8 }\n\
         [[uncertainty]]\nparameter = \"company.exit.ipo_per_year\"\nlognormal = { median = 0.07, sigma = 0.5 }\n\
         [[uncertainty]]\nparameter = \"employee.attrition_per_year\"\n\
         triangular = { low = 0.08, mode = 0.15, high = 0.25 }\n";
    let k = 64;
    let s = paris_with(extra, k * CHUNK_PATHS as u64);
    let e = s.ensemble.as_ref().unwrap();
    assert_eq!(e.draws.len(), k as usize);
    assert_eq!(e.redrawn, 0, "every draw is inside the fields' ranges");
    for (j, u) in s.uncertainty.iter().enumerate() {
        let mut strata: Vec<u64> = e
            .draws
            .iter()
            .map(|d| (d.levels[j] * k as f64).floor() as u64)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..k).collect::<Vec<_>>(), "{}", u.parameter);
        for d in &e.draws {
            assert_eq!(d.values[j], u.distribution.quantile(d.levels[j]));
            let drawn = equisim::scenario::fields::number_at(&d.scenario, &u.parameter).unwrap();
            assert_eq!(
                drawn, d.values[j],
                "{}: the draw's scenario holds it",
                u.parameter
            );
        }
    }
    // The strata of two entries are not in the same order.
    let order = |j: usize| -> Vec<u64> {
        e.draws
            .iter()
            .map(|d| (d.levels[j] * k as f64) as u64)
            .collect()
    };
    assert_ne!(order(0), order(1));
    // The same seed draws the same sets; at most one draw per block.
    assert_eq!(
        paris_with(extra, k * CHUNK_PATHS as u64).ensemble,
        s.ensemble
    );
    let few = paris_with(extra, 3 * CHUNK_PATHS as u64 - 1);
    assert_eq!(few.ensemble.unwrap().draws.len(), 3);
}

#[test]
fn an_ensemble_is_the_same_whatever_the_threads_and_the_executor() {
    let extra = "\n[[uncertainty]]\nparameter = \"company.drift\"\nnormal = { mean = 0.1, sd = 0.1 }\n\
         [[uncertainty]]\nparameter = \"company.exit.ipo_per_year\"\nlognormal = { median = 0.07, sigma = 0.5 }\n";
    let s = paris_with(extra, PATHS);
    let one = kept(&s, 1);
    let two = kept(&s, 2);
    assert_eq!(one.outputs, two.outputs);
    assert_eq!(one.floors, two.floors);
    assert_eq!(one.ensemble, two.ensemble);
    let settings = StreamSettings {
        relative_error: DEFAULT_RELATIVE_ERROR,
    };
    let floor = Some((SolveFor::Grant, &[Criterion::Mean][..]));
    for threads in [1, 2] {
        let options = RunOptions {
            threads: Some(threads),
            observer: None,
        };
        let streamed = run_streaming(&s, &options, &settings, floor).unwrap();
        assert_eq!(streamed.ensemble, one.ensemble, "{threads} threads");
        assert_eq!(
            streamed.floors.unwrap().floors[0].value,
            one.floors.as_ref().unwrap().floors[0].value
        );
    }
    // And it differs from the plain run: the draws move the paths.
    let plain = kept(&paris_with("", PATHS), 2);
    assert_ne!(plain.outputs.comparison, one.outputs.comparison);
}

/// Only the drift is uncertain (the stock's volatility is drawn too, but
/// leaves every mean unchanged): the drift takes at least 90% of the
/// per-draw variance, the stock's volatility and the rest no more than
/// noise.
#[test]
fn the_attribution_finds_the_one_parameter_that_matters() {
    let extra = "\n[[uncertainty]]\nparameter = \"company.drift\"\nnormal = { mean = 0.1, sd = 0.1 }\n\
         [[uncertainty]]\nparameter = \"alternative.equity.stock.volatility\"\n\
         uniform = { low = 0.2, high = 0.4 }\n";
    let s = paris_with(extra, 128 * CHUNK_PATHS as u64);
    let e: EnsembleOutputs = kept(&s, 2).ensemble.unwrap();
    let a = e.attribution.expect("an attribution");
    let (drift, stock) = (
        e.parameters[0].share.unwrap(),
        e.parameters[1].share.unwrap(),
    );
    // With K = 128 draws an unrelated parameter's adjusted share has a
    // standard deviation of about √6 / K ≈ 0.02: 0.06 is three of them.
    assert!(drift >= 0.9, "drift {drift}, {a:?}");
    assert!(stock.abs() < 0.06, "stock volatility {stock}");
    assert!(a.rest.abs() < 0.08, "rest {}", a.rest);
    // The noise removed is what the draws' own standard errors say.
    assert!(a.monte_carlo_variance > 0.0 && a.monte_carlo_variance < a.variance);
}

/// `equisim run` on the shipped ensemble writes ensemble.csv (a row per
/// draw) and floor_band.png, and prints the ensemble's block.
#[test]
fn the_command_writes_the_ensemble() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::equisim()
        .args([
            "run",
            "--quiet",
            "--paths",
            "50000",
            "--chart-size",
            "800x500",
        ])
        .arg(common::shipped("hf-paris-ask-uncertain.toml"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Uncertain assumptions: 13 draws"),
        "{stdout}"
    );
    assert!(stdout.contains("wins on the mean in"), "{stdout}");
    let csv = std::fs::read_to_string(dir.path().join("ensemble.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 13, "{csv}");
    assert!(lines[0].starts_with("draw,company.drift,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(json["ensemble"]["draws"], 13);
    assert_eq!(json["ensemble"]["per_draw"].as_array().unwrap().len(), 13);
    let png = std::fs::read(dir.path().join("floor_band.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // The sensitivity of the same file tries each entry at its P10 and P90,
    // as plain runs.
    let s = scenario::load_file(&common::shipped("hf-paris-ask-uncertain.toml"), &[])
        .unwrap()
        .scenario;
    let ranges = equisim::command::sensitivity::uncertainty_ranges(&s);
    assert_eq!(ranges.len(), s.uncertainty.len());
    let Distribution::Normal { mean, sd } = s.uncertainty[0].distribution else {
        panic!("the drift's distribution is a normal");
    };
    assert!((ranges[0].low - (mean - 1.2815515655446004 * sd)).abs() < 1e-9);
}
