//! The steps every fuzz input goes through, shared by the fuzz target
//! (`fuzz_targets/scenario.rs`) and the regression test that replays the
//! kept inputs (`tests/fuzz_regressions.rs`): parse, validate, simulate 16
//! paths, summarize, solve the floors, run a short sweep and make every
//! report, in memory. Nothing may panic, and a run that succeeds must
//! report only finite numbers (a `null` in the JSON only where a value is
//! legitimately absent).
//!
//! Input layout: the scenario text, optionally followed by a NUL byte and
//! `--set` overrides, one `path=value` per line.

use equisim::decisions::{self, Floor, Floors, SweepRequest};
use equisim::engine::{self, RunOptions};
use equisim::report::{self, RunReport};
use equisim::scenario::{self, Criterion, Override, SolveFor};
use equisim::stats::{Outputs, Preferences};

/// Paths simulated per run: enough to exercise every statistic.
pub const PATHS: i64 = 16;

/// Fields of `summary.json` that may be `null`: a certainty equivalent that
/// is undefined, and the company statistics over IPO and acquisition paths
/// when there are none.
const NULLABLE: [&str; 3] = [
    "certainty_equivalent",
    "median_time_to_liquidity",
    "exit_multiple_percentiles",
];

/// How an input ended.
#[derive(Debug, PartialEq)]
pub enum Ending {
    /// A clean error, with its message.
    Error(String),
    /// Finite outputs.
    Finite,
}

fn error(e: impl std::fmt::Display) -> Ending {
    let msg = e.to_string();
    assert!(!msg.is_empty());
    Ending::Error(msg)
}

/// Every step on `data`; panics on a defect.
pub fn run(data: &[u8]) -> Ending {
    let (text, sets) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return Ending::Error("not UTF-8".into());
    };
    let mut overrides = Vec::new();
    for line in String::from_utf8_lossy(sets).lines().take(4) {
        match Override::parse(line) {
            Ok(o) => overrides.push(o),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    overrides.push(Override::with_value(
        "simulation.paths",
        toml::Value::Integer(PATHS),
        "--paths 16",
    ));
    // The file alone first: errors carry the file's own positions.
    let loaded = match scenario::load_str("fuzz.toml", text, &[]) {
        Ok(l) => l,
        Err(e) => return error(e),
    };
    // Then with the overrides, as `--set` and `--paths` apply them.
    let s = match loaded.source.resolve(&overrides) {
        Ok((s, _)) => s,
        Err(e) => return error(e),
    };
    let s = &s;
    assert_eq!(s.simulation.paths, PATHS as u64);
    let _ = toml::to_string_pretty(s).expect("a resolved scenario prints");

    let sim = match engine::simulate(s, &RunOptions::default()) {
        Ok(sim) => sim,
        Err(e) => return error(e),
    };
    for (i, p) in sim.records.iter().enumerate() {
        assert!(
            p.employed_years.is_finite()
                && p.offer_equity.is_finite()
                && p.offer_equity_per_grant.is_finite()
                && p.alternative_equity.is_finite(),
            "path {i}: {p:?}"
        );
    }
    let outputs = match Outputs::compute(
        &sim,
        Preferences::of(s),
        (&s.offer.label, &s.alternative.label),
    ) {
        Ok(o) => o,
        Err(e) => return error(e),
    };
    assert_eq!(outputs.first_non_finite(), None);
    check_finite(
        "",
        &serde_json::to_value(&outputs).expect("outputs serialize"),
    );

    let floors = s
        .floor
        .as_ref()
        .map(|f| decisions::solve_floors(&sim, s, f.solve_for, &f.criteria));
    if let Some(f) = &floors {
        check_floors(f);
        let _ = report::floor_text(f, s);
    }
    let run = RunReport::new(s, &outputs).with_floors(floors.as_ref());
    let json = run.to_json();
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("summary.json parses");
    assert!(parsed["offer"]["total"]["mean"].is_f64());
    check_finite("", &parsed["offer"]);
    check_finite("", &parsed["alternative"]);
    let _ = run.to_csv();
    let _ = report::summary_table(s, &outputs);

    if let Some(sweep) = &s.sweep {
        let request = SweepRequest {
            source: &loaded.source,
            overrides: &overrides,
            parameter: sweep.parameter.clone(),
            from: sweep.from,
            to: sweep.to,
            steps: sweep.steps.min(3),
            origin: "sweep.parameter",
            solve_for: s.floor.as_ref().map_or(SolveFor::Grant, |f| f.solve_for),
            criteria: s
                .floor
                .as_ref()
                .map_or(vec![Criterion::Mean], |f| f.criteria.clone()),
            include_own: true,
        };
        match decisions::run_sweep(&request, &RunOptions::default()) {
            Ok(result) => {
                for point in &result.points {
                    check_finite("", &serde_json::to_value(&point.outputs).unwrap());
                    check_floors(&point.floors);
                }
                let _ = report::sweep_json(&result, s);
                let _ = report::sweep_csv(&result);
                let _ = report::sweep_table(&result, s);
            }
            Err(e) => return error(e),
        }
    }
    Ending::Finite
}

/// Every number in the outputs is finite: serde_json writes NaN and the
/// infinities as `null`, so a `null` outside [`NULLABLE`] is a bug.
fn check_finite(key: &str, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Null => assert!(NULLABLE.contains(&key), "`{key}` is null (NaN or infinite)"),
        Value::Object(map) => map.iter().for_each(|(k, v)| check_finite(k, v)),
        Value::Array(items) => items.iter().for_each(|v| check_finite(key, v)),
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "`{key}`: {n}"),
        _ => {}
    }
}

fn check_floors(floors: &Floors) {
    for f in &floors.floors {
        check_floor(f);
    }
}

fn check_floor(f: &Floor) {
    let numbers = [
        Some(f.current),
        f.value,
        f.target,
        f.offer_value,
        f.margin,
        f.margin_ratio,
        f.falls_below_again,
        Some(f.decreasing_share),
    ];
    for x in numbers.into_iter().flatten() {
        assert!(!x.is_nan(), "NaN in floor {f:?}");
    }
    if let Some(v) = f.value {
        assert!(v >= 0.0 && v.is_finite(), "floor {v} in {f:?}");
    }
    assert_eq!(f.reachable, f.value.is_some());
    if let Some(b) = &f.base_floor {
        check_floor(b);
    }
}
