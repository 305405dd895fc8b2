//! Inputs that once crashed, hung or produced a NaN, kept from fuzzing
//! (`fuzz/`, target `scenario`), and the fuzzer's seed scenarios: each goes
//! through the same steps as the fuzz target (parse, validate, a 16-path
//! simulation, the summary, the floors, a short sweep, every report) and
//! must end in a clean error or in finite outputs, never a panic.
//!
//! Files in `tests/fuzz-regressions/`: the scenario text, optionally
//! followed by a NUL byte and `--set` overrides, one `path=value` a line.

use equisim::decisions::{self, SweepRequest};
use equisim::engine::{self, RunOptions};
use equisim::report::{self, RunReport};
use equisim::scenario::{self, Criterion, Override, SolveFor};
use equisim::stats::{Outputs, Preferences};
use std::path::{Path, PathBuf};

const PATHS: i64 = 16;

/// How an input ended.
#[derive(Debug, PartialEq)]
enum Ending {
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

/// The fuzz target's steps on `data`.
fn pipeline(data: &[u8]) -> Ending {
    let (text, sets) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return Ending::Error("not UTF-8".into());
    };
    let mut overrides = Vec::new();
    for line in String::from_utf8_lossy(sets).lines().take(4) {
        if let Ok(o) = Override::parse(line) {
            overrides.push(o);
        }
    }
    overrides.push(Override::with_value(
        "simulation.paths",
        toml::Value::Integer(PATHS),
        "--paths 16",
    ));
    let loaded = match scenario::load_str("fuzz.toml", text, &[]) {
        Ok(l) => l,
        Err(e) => return error(e),
    };
    let s = match loaded.source.resolve(&overrides) {
        Ok((s, _)) => s,
        Err(e) => return error(e),
    };
    let sim = match engine::simulate(&s, &RunOptions::default()) {
        Ok(sim) => sim,
        Err(e) => return error(e),
    };
    for p in &sim.records {
        assert!(
            p.employed_years.is_finite()
                && p.offer_equity.is_finite()
                && p.offer_equity_per_grant.is_finite()
                && p.alternative_equity.is_finite(),
            "{p:?}"
        );
    }
    let outputs = match Outputs::compute(
        &sim,
        Preferences::of(&s),
        (&s.offer.label, &s.alternative.label),
    ) {
        Ok(o) => o,
        Err(e) => return error(e),
    };
    assert_eq!(outputs.first_non_finite(), None);
    let floors = s
        .floor
        .as_ref()
        .map(|f| decisions::solve_floors(&sim, &s, f.solve_for, &f.criteria));
    if let Some(f) = &floors {
        for floor in &f.floors {
            assert!(
                floor.value.is_none_or(|v| v.is_finite() && v >= 0.0),
                "{floor:?}"
            );
        }
        let _ = report::floor_text(f, &s);
    }
    let run = RunReport::new(&s, &outputs).with_floors(floors.as_ref());
    let json: serde_json::Value = serde_json::from_str(&run.to_json()).unwrap();
    assert!(json["offer"]["total"]["mean"].is_f64());
    let _ = run.to_csv();
    let _ = report::summary_table(&s, &outputs);
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
        };
        match decisions::run_sweep(&request, &RunOptions::default()) {
            Ok(result) => {
                for point in &result.points {
                    assert_eq!(point.outputs.first_non_finite(), None);
                }
                let _ = report::sweep_json(&result, &s);
                let _ = report::sweep_csv(&result);
                let _ = report::sweep_table(&result, &s);
            }
            Err(e) => return error(e),
        }
    }
    Ending::Finite
}

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn ending(path: &Path) -> Ending {
    let data = std::fs::read(path).unwrap();
    match std::panic::catch_unwind(|| pipeline(&data)) {
        Ok(end) => end,
        Err(_) => panic!("{} panicked", path.display()),
    }
}

#[test]
fn every_kept_input_ends_cleanly() {
    let inputs = files("tests/fuzz-regressions");
    assert!(!inputs.is_empty());
    for path in inputs {
        let end = ending(&path);
        eprintln!("{}: {end:?}", path.display());
    }
}

#[test]
fn every_fuzz_seed_ends_cleanly() {
    for path in files("fuzz/seeds") {
        ending(&path);
    }
}

/// The specific outcomes: a clear error where the input is out of range,
/// finite numbers where it is extreme but valid.
#[test]
fn kept_inputs_end_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    match ending(&dir.join("amounts-beyond-f64-sums.toml")) {
        Ending::Error(msg) => assert!(msg.contains("at most 10^15"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ending(&dir.join("exit-multiple-beyond-f32.toml")),
        Ending::Finite
    );
    assert_eq!(
        ending(&dir.join("valuation-near-underflow.toml")),
        Ending::Finite
    );
}
