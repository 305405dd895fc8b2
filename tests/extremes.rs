//! Scenarios at the edges of what the format allows, through the real
//! binary: each run either succeeds with only finite numbers in
//! `summary.json`, or stops with a clear error (exit code 1 or 2, one
//! `error:` line, no panic, no summary written). Never a NaN, never an
//! infinity, never a panic.
//!
//! `summary.json` writes a number that is not finite as `null` (serde_json
//! has no NaN), so every `null` is checked against the fields that may
//! legitimately be absent:
//! - `certainty_equivalent`: undefined when outside wealth plus a value is
//!   not positive on some path (the equity part alone, after exercise costs);
//! - `median_time_to_liquidity`, `exit_multiple_percentiles`: no path ended
//!   in an IPO or an acquisition;
//! - in `floor`: `value`, `margin`, `margin_ratio` (no floor reached),
//!   `target`, `offer_value` (an undefined certainty equivalent),
//!   `falls_below_again`, `unreachable`, `explanation`, `note`,
//!   `base_floor`, and `limit` / `ruin_at` inside `unreachable`.

use crate::common;

use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const NULLABLE: [&str; 3] = [
    "certainty_equivalent",
    "median_time_to_liquidity",
    "exit_multiple_percentiles",
];

const NULLABLE_IN_FLOOR: [&str; 12] = [
    "value",
    "target",
    "offer_value",
    "margin",
    "margin_ratio",
    "falls_below_again",
    "unreachable",
    "explanation",
    "note",
    "base_floor",
    "limit",
    "ruin_at",
];

/// How a case may end.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A summary with finite numbers.
    Finite,
    /// Either that or a clear error.
    FiniteOrError,
    /// A clear error, with this in its message.
    Error(&'static str),
}

/// Every `null` in `v` (at dotted `path`) must be an allowed one.
fn check_nulls(path: &str, v: &Value, problems: &mut Vec<String>) {
    let key = path.rsplit('.').next().unwrap_or("");
    match v {
        Value::Null => {
            let in_floor = path.starts_with("floor.");
            if !(NULLABLE.contains(&key) || in_floor && NULLABLE_IN_FLOOR.contains(&key)) {
                problems.push(format!("{path} is null (NaN or infinite)"));
            }
        }
        Value::Number(n) if !n.as_f64().is_some_and(f64::is_finite) => {
            problems.push(format!("{path} = {n}"));
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                check_nulls(&p, v, problems);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_nulls(&format!("{path}.{i}"), v, problems);
            }
        }
        _ => {}
    }
}

/// Files left in `dir`, by name.
fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `equisim run` on `extra` over the required fields with `paths`
/// paths (and small charts), and checks the outcome against `expect`.
/// Returns the summary, if one was written.
fn case(name: &str, extra: &str, paths: u64, expect: Expect) -> Option<Value> {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("extreme.toml");
    std::fs::write(&file, common::scenario_text(extra, paths, 5)).unwrap();
    let out = dir.path().join("out");
    let output = common::equisim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--chart-size", "400x300"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    let code = output.status.code();
    let left: Vec<String> = files_in(&out)
        .into_iter()
        .filter(|f| f.ends_with(".tmp") || f.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{name}: left behind {left:?}");
    if code == Some(0) {
        if let Expect::Error(what) = expect {
            panic!("{name}: expected an error about `{what}`, but the run succeeded");
        }
        let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        let mut problems = Vec::new();
        check_nulls("", &json, &mut problems);
        assert!(problems.is_empty(), "{name}: {}", problems.join("; "));
        let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
        assert!(
            !csv.contains("NaN") && !csv.to_lowercase().contains(",inf"),
            "{name}: {csv}"
        );
        Some(json)
    } else {
        assert!(
            matches!(code, Some(1) | Some(2)),
            "{name}: exit code {code:?}: {stderr}"
        );
        assert!(
            expect != Expect::Finite,
            "{name}: expected finite outputs, got: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{name}: {stderr}"
        );
        if let Expect::Error(what) = expect {
            assert!(stderr.contains(what), "{name}: {stderr}");
        }
        assert!(
            !out.join("summary.json").exists(),
            "{name}: a summary was written despite the error"
        );
        eprintln!("{name}: {}", stderr.trim());
        None
    }
}

const METHODS: [&str; 5] = [
    "{ method = \"none\" }",
    "{ method = \"flat\", discount = 0.0 }",
    "{ method = \"flat\", discount = 1.0 }",
    "{ method = \"finnerty\" }",
    "{ method = \"chaffe\" }",
];

#[test]
fn volatility_3_with_every_illiquidity_method() {
    for method in METHODS {
        case(
            &format!("volatility 3, {method}"),
            &format!(
                "[employee]\nilliquidity = {method}\n[company]\nvolatility = 3.0\n\
                 [company.exit]\nlockup_volatility = 3.0\n\
                 [alternative.equity]\ngrant = 100_000\nstock = {{ drift = 0.09, volatility = 3.0 }}\n"
            ),
            5_000,
            Expect::Finite,
        );
    }
}

#[test]
fn horizon_50_with_every_illiquidity_method() {
    for method in METHODS {
        for window in [4.0, 50.0] {
            case(
                &format!("horizon 50, window {window}, {method}"),
                &format!(
                    "[simulation]\nwindow_years = {window:?}\nhorizon_years = 50.0\n\
                     [employee]\nilliquidity = {method}\n[company]\nvolatility = 3.0\n\
                     [[offer.equity.refresh]]\nat_years = 2.0\ngrant_ratio = 0.25\n"
                ),
                5_000,
                Expect::Finite,
            );
        }
    }
}

#[test]
fn longest_horizon_and_steepest_growth() {
    // Drift 1 for 100 years with the largest exit multiples: values near
    // e^114 times the grant, far beyond an f32 but within an f64.
    case(
        "horizon 100, drift 1, multiples 10^6",
        "[simulation]\nwindow_years = 100.0\nhorizon_years = 100.0\n[employee]\nattrition_per_year = 0.0\n\
         [company]\ndrift = 1.0\nvolatility = 0.0\n[company.exit]\nearliest_years = 100.0\n\
         ipo_per_year = 0.5\nacquisition_per_year = 0.4999\nfailure_per_year = 0.0\n\
         ipo_multiple = { median = 1e6, sigma = 0.0 }\nacquisition_multiple = { median = 1e6, sigma = 0.0 }\n\
         [alternative.equity]\ngrant = 100_000\nstock = { drift = 1.0, volatility = 0.0 }\n",
        2_000,
        Expect::Finite,
    );
    // Everything at its bound at once: either finite or a clear error.
    case(
        "every growth parameter at its bound",
        "[simulation]\nwindow_years = 100.0\nhorizon_years = 100.0\ndiscount_rate = 0.0\n\
         [employee]\nattrition_per_year = 0.0\nrisk_aversion = 20.0\noutside_wealth = 1e15\n\
         [company]\ndrift = 1.0\nvolatility = 3.0\n[company.exit]\nearliest_years = 0.0\n\
         ipo_per_year = 0.999\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\n\
         ipo_multiple = { median = 1e6, sigma = 5.0 }\nlockup_years = 100.0\nlockup_volatility = 3.0\n\
         [offer]\nbase = 1e15\nbonus_rate = 10.0\nsign_on = 1e15\n[offer.equity]\ngrant = 1e15\n\
         [alternative]\nbase = 1e15\n[alternative.equity]\ngrant = 1e15\nstock = { drift = 1.0, volatility = 3.0 }\n",
        2_000,
        Expect::FiniteOrError,
    );
}

#[test]
fn attrition_near_certain() {
    for a in ["0.999", "0.999999"] {
        case(
            &format!("attrition {a}, options paid on departure"),
            &format!(
                "[employee]\nattrition_per_year = {a}\n[offer.equity]\ninstrument = \"options\"\n\
                 strike_ratio = 1.0\nexercise_on_departure = true\nvesting = {{ years = 4, cliff_years = 0, every_months = 1 }}\n\
                 [floor]\n"
            ),
            5_000,
            Expect::Finite,
        );
    }
}

#[test]
fn exit_hazards_near_their_bound() {
    let cases = [
        (
            "IPO",
            "ipo_per_year = 0.999999\nacquisition_per_year = 0.0\nfailure_per_year = 0.0",
        ),
        (
            "acquisition",
            "ipo_per_year = 0.0\nacquisition_per_year = 0.999999\nfailure_per_year = 0.0",
        ),
        (
            "failure",
            "ipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.999999",
        ),
        (
            "split",
            "ipo_per_year = 0.333333\nacquisition_per_year = 0.333333\nfailure_per_year = 0.333333",
        ),
        (
            "none",
            "ipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0",
        ),
    ];
    for (name, hazards) in cases {
        for earliest in [0.0, 100.0] {
            case(
                &format!("hazards: {name}, earliest {earliest}"),
                &format!(
                    "[company]\npreference_stack = 4e8\n[company.exit]\nearliest_years = {earliest:?}\n{hazards}\n\
                     [offer.equity]\ninstrument = \"options\"\n[floor]\ncriteria = [\"mean\", \"median\", \"p1\", \"p99\", \"ce\"]\n"
                ),
                5_000,
                Expect::Finite,
            );
        }
    }
}

#[test]
fn a_single_path() {
    for method in METHODS {
        case(
            &format!("1 path, {method}"),
            &format!(
                "[employee]\nilliquidity = {method}\n[floor]\ncriteria = [\"mean\", \"median\", \"p1\", \"p99\", \"ce\"]\n"
            ),
            1,
            Expect::Finite,
        );
    }
}

#[test]
fn tiny_and_huge_valuations() {
    for valuation in ["1e-6", "1e-300", "1e15", "1e300"] {
        for stack in ["0.0", "4e8"] {
            case(
                &format!("valuation {valuation}, preference stack {stack}"),
                &format!(
                    "[company]\nvaluation = {valuation}\npreference_stack = {stack}\n\
                     [[offer.equity.refresh]]\nat_years = 1.0\ngrant = 50_000\n[floor]\n"
                ),
                5_000,
                Expect::Finite,
            );
        }
    }
}

#[test]
fn zero_grants() {
    case(
        "no equity on either side",
        "[offer.equity]\ngrant = 0\n[alternative.equity]\ngrant = 0\n[floor]\n",
        2_000,
        Expect::Finite,
    );
    case(
        "nothing at all",
        "[offer]\nbase = 0\n[offer.equity]\ngrant = 0\ninstrument = \"options\"\n\
         [alternative]\nbase = 0\n[alternative.equity]\ngrant = 0\n[floor]\n",
        2_000,
        Expect::Finite,
    );
    case(
        "zero refresh grants",
        "[offer.equity]\ngrant = 0\n[[offer.equity.refresh]]\nat_years = 1.0\ngrant_ratio = 0.0\n\
         [alternative.equity]\ngrant = 0\n[[alternative.equity.refresh]]\nat_years = 1.0\ngrant = 0\n",
        2_000,
        Expect::Finite,
    );
}

#[test]
fn dilution_at_its_bounds() {
    // sd just inside sqrt(mean (1 - mean)) less its 1e-6 relative margin:
    // a Beta with tiny parameters, almost all its mass at 0 and 1.
    for (mean, sd) in [
        ("0.1", "0.2999998"),
        ("0.5", "0.4999997"),
        ("0.999", "0.0316"),
    ] {
        case(
            &format!("dilution mean {mean}, sd {sd}"),
            &format!(
                "[company.rounds]\nper_year = 100.0\ndilution_mean = {mean}\ndilution_sd = {sd}\npool_per_year = 0.999\n"
            ),
            2_000,
            Expect::Finite,
        );
    }
}

#[test]
fn the_shortest_window() {
    case(
        "window 0.001 years",
        "[simulation]\nwindow_years = 0.001\nhorizon_years = 0.001\n[floor]\n",
        2_000,
        Expect::Finite,
    );
}

#[test]
fn largest_amounts() {
    case(
        "every amount at 10^15",
        "[employee]\noutside_wealth = 1e15\n[company]\nvaluation = 1e15\npreference_stack = 1e15\n\
         [offer]\nbase = 1e15\nsign_on = 1e15\nbonus_rate = 10.0\n[offer.equity]\ngrant = 1e15\n\
         [[offer.equity.refresh]]\nat_years = 1.0\ngrant_ratio = 1e6\n\
         [alternative]\nbase = 1e15\nsign_on = 1e15\n[alternative.equity]\ngrant = 1e15\n[floor]\n",
        2_000,
        Expect::Finite,
    );
    case(
        "an amount above 10^15",
        "[offer]\nbase = 2e15\n",
        10,
        Expect::Error("offer.base"),
    );
}

#[test]
fn ruin_is_a_clear_error() {
    // Options paid on departure, most people leave, the company fails:
    // wealth goes negative, so the certainty equivalent is undefined.
    case(
        "risk aversion 20, tiny wealth, strikes paid in cash",
        "[employee]\nattrition_per_year = 0.9\nrisk_aversion = 20.0\noutside_wealth = 1.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.9\n[offer]\nbase = 0\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 10.0\nexercise_on_departure = \"always\"\n",
        2_000,
        Expect::Error("outside_wealth"),
    );
}
