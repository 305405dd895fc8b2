//! A streamed run against one that keeps every path: the same paths give
//! exactly the same means, standard deviations, certainty equivalents and
//! shares, percentiles within the stated sketch error, the same mean floor,
//! and percentile and CE floors inside the bounds the streamed run states.

use crate::common;
use equisim::decisions::streaming::{StreamSettings, StreamedRun, run_streaming};
use equisim::decisions::{Floors, solve_floors};
use equisim::engine::{self, RunOptions, Simulation};
use equisim::observer::{Observer, Unit};
use equisim::scenario::{self, Criterion, Override, Scenario, SolveFor};
use equisim::stats::sketch::{DEFAULT_RELATIVE_ERROR, MIN_MAGNITUDE};
use equisim::stats::{Outputs, Summary, sort, totals};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Paths of the comparison: several chunks and a partial last one.
const PATHS: u64 = 60_007;

fn shipped(name: &str, paths: u64) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let paths = Override::with_value(
        "simulation.paths",
        toml::Value::Integer(paths as i64),
        "test",
    );
    scenario::load_file(&path, &[paths]).unwrap().scenario
}

fn streamed(s: &Scenario, threads: usize, floor: Option<(SolveFor, &[Criterion])>) -> StreamedRun {
    let options = RunOptions {
        threads: Some(threads),
        observer: None,
    };
    let settings = StreamSettings {
        relative_error: DEFAULT_RELATIVE_ERROR,
    };
    run_streaming(s, &options, &settings, floor).unwrap()
}

fn in_memory(s: &Scenario) -> (Simulation, Outputs) {
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let outputs = Outputs::of_scenario(&sim, s).unwrap();
    (sim, outputs)
}

/// The exact moments and shares are equal to the last digit.
fn assert_exact_parts_equal(a: &Outputs, b: &Outputs) {
    for (what, x, y) in [
        ("offer total", &a.offer.total, &b.offer.total),
        (
            "alternative total",
            &a.alternative.total,
            &b.alternative.total,
        ),
        ("offer equity", &a.offer.equity, &b.offer.equity),
        (
            "alternative equity",
            &a.alternative.equity,
            &b.alternative.equity,
        ),
    ] {
        assert_eq!(x.mean, y.mean, "{what}: mean");
        assert_eq!(x.sd, y.sd, "{what}: sd");
        assert_eq!(x.std_error, y.std_error, "{what}: standard error");
        assert_eq!(
            x.certainty_equivalent, y.certainty_equivalent,
            "{what}: certainty equivalent"
        );
    }
    let (x, y) = (&a.comparison, &b.comparison);
    assert_eq!(x.p_offer_beats_alternative, y.p_offer_beats_alternative);
    assert_eq!(x.mean_difference, y.mean_difference);
    assert_eq!(x.mean_difference_std_error, y.mean_difference_std_error);
    assert_eq!(a.company.outcomes, b.company.outcomes);
    assert_eq!(a.person, b.person);
    assert_eq!(a.offer.equity_shares, b.offer.equity_shares);
    assert_eq!(
        a.offer.expected_value_per_year,
        b.offer.expected_value_per_year
    );
}

/// Each streamed percentile is within the sketch's relative error of the
/// two order statistics the exact (type 7) percentile interpolates.
fn assert_percentiles_within_error(what: &str, streamed: &Summary, values: &mut [f64]) {
    let p = &streamed.percentiles;
    let streamed = [
        (1, p.p1),
        (5, p.p5),
        (10, p.p10),
        (25, p.p25),
        (50, p.p50),
        (75, p.p75),
        (90, p.p90),
        (95, p.p95),
        (99, p.p99),
    ];
    assert_quantiles_within_error(what, &streamed, values);
}

/// Each streamed `(q, value)` within the sketch's relative error of the
/// exact type-7 `q`-th percentile of `values`.
fn assert_quantiles_within_error(what: &str, streamed: &[(u8, f64)], values: &mut [f64]) {
    sort(values);
    let n = values.len();
    let alpha = DEFAULT_RELATIVE_ERROR;
    for &(q, got) in streamed {
        let h = (n - 1) as f64 * q as f64 / 100.0;
        let lo = values[h.floor() as usize];
        let hi = values[(h.floor() as usize + 1).min(n - 1)];
        let (low, high) = (lo.min(hi), lo.max(hi));
        let slack = alpha * lo.abs().max(hi.abs()) + MIN_MAGNITUDE;
        assert!(
            got >= low - slack && got <= high + slack,
            "{what} P{q}: streamed {got}, exact between {lo} and {hi} (allowed ± {slack})"
        );
    }
}

#[test]
fn streamed_outputs_match_the_in_memory_run() {
    for name in ["hf-paris-ask.toml", "hf-nyc-ask.toml", "minimal.toml"] {
        let s = shipped(name, PATHS);
        let (sim, exact) = in_memory(&s);
        let run = streamed(&s, 2, None);
        assert_eq!(run.passes, 1);
        assert_eq!(run.note.quantile_relative_error, DEFAULT_RELATIVE_ERROR);
        assert_exact_parts_equal(&run.outputs, &exact);
        let model = &sim.plan.model;
        let mut offer = totals(&sim.records, model, &model.offer.pay, |p| p.offer_equity);
        let mut alt = totals(&sim.records, model, &model.alternative.pay, |p| {
            p.alternative_equity
        });
        let mut equity: Vec<f64> = sim.records.iter().map(|p| p.offer_equity).collect();
        // Path by path, before the totals are sorted.
        let mut difference: Vec<f64> = offer.iter().zip(&alt).map(|(x, y)| x - y).collect();
        assert_percentiles_within_error(name, &run.outputs.offer.total, &mut offer);
        assert_percentiles_within_error(name, &run.outputs.alternative.total, &mut alt);
        assert_percentiles_within_error(name, &run.outputs.offer.equity, &mut equity);
        let d = &run.outputs.comparison.difference_percentiles;
        assert_quantiles_within_error(
            &format!("{name} difference"),
            &[(10, d.p10), (50, d.p50), (90, d.p90)],
            &mut difference,
        );
    }
}

#[test]
fn a_streamed_run_is_bit_identical_across_thread_counts() {
    let s = shipped("hf-paris-ask.toml", 20_011);
    let criteria = [
        Criterion::Mean,
        Criterion::Median,
        Criterion::CertaintyEquivalent,
    ];
    let one = streamed(&s, 1, Some((SolveFor::Grant, &criteria)));
    for threads in [2, 3] {
        let other = streamed(&s, threads, Some((SolveFor::Grant, &criteria)));
        assert_eq!(one.outputs, other.outputs, "{threads} threads");
        assert_eq!(one.floors, other.floors, "{threads} threads");
    }
}

fn floors_both_ways(s: &Scenario, solve_for: SolveFor, criteria: &[Criterion]) -> (Floors, Floors) {
    let (sim, _) = in_memory(s);
    let exact = solve_floors(&sim, s, solve_for, criteria);
    let run = streamed(s, 2, Some((solve_for, criteria)));
    (exact, run.floors.unwrap())
}

#[test]
fn the_mean_floor_is_exact_and_the_others_lie_within_their_bounds() {
    let criteria = [
        Criterion::Mean,
        Criterion::Median,
        Criterion::Percentile(25),
        Criterion::CertaintyEquivalent,
        Criterion::Beats(50),
    ];
    for (name, solve_for) in [
        ("hf-paris-ask.toml", SolveFor::Base),
        ("hf-paris-ask.toml", SolveFor::Grant),
        ("hf-nyc-floor.toml", SolveFor::Grant),
    ] {
        let s = shipped(name, PATHS);
        let (exact, streamed) = floors_both_ways(&s, solve_for, &criteria);
        for (e, st) in exact.floors.iter().zip(&streamed.floors) {
            let what = format!("{name} {:?} {:?}", solve_for, e.criterion);
            if let Criterion::Beats(_) = e.criterion {
                // The share as offered is counted exactly by both.
                assert_eq!(e.offer_value, st.offer_value, "{what}: share as offered");
                assert_eq!(e.target, st.target, "{what}: share needed");
            }
            if e.criterion == Criterion::Mean {
                assert_eq!(e.value, st.value, "{what}: the mean floor");
                assert_eq!(st.bounds, None, "{what}: an exact floor states no bounds");
            }
            // Compare the floor that was found: on this lever, or the base
            // floor an unreachable grant floor falls back on.
            let pairs = [
                (Some(e), Some(st)),
                (e.base_floor.as_deref(), st.base_floor.as_deref()),
            ];
            let mut compared = 0;
            for (e, st) in pairs.into_iter().filter_map(|(a, b)| Some((a?, b?))) {
                assert_eq!(e.reachable, st.reachable, "{what}: reachable");
                let (Some(x), Some(y)) = (e.value, st.value) else {
                    continue;
                };
                compared += 1;
                match st.bounds {
                    None => assert!(
                        (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                        "{what}: exact {x}, streamed {y} with no bounds"
                    ),
                    Some(b) => {
                        assert!(
                            b.low <= x && x <= b.high,
                            "{what}: exact floor {x} outside the stated bounds {b:?}"
                        );
                        assert!(b.low <= y && y <= b.high, "{what}: {y} outside {b:?}");
                        // Bounds that say something: within a few percent.
                        assert!(
                            b.high - b.low <= 0.05 * x.abs().max(1.0),
                            "{what}: bounds {b:?} too wide"
                        );
                    }
                }
            }
            assert!(compared > 0, "{what}: no floor value to compare");
        }
    }
}

/// `equisim run` with `--stream-above`: a streamed run says so in the table
/// and in summary.json, and still draws its charts; a run at or below the
/// threshold keeps its paths.
#[test]
fn the_cli_streams_above_the_threshold_and_says_so() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/minimal.toml");
    let dir = tempfile::TempDir::new().unwrap();
    let run = |threshold: &str, out: &str| {
        let output = common::equisim()
            .arg("run")
            .arg(&scenario)
            .args(["--paths", "9000", "--stream-above", threshold, "--quiet"])
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json = std::fs::read_to_string(dir.path().join(out).join("summary.json")).unwrap();
        (String::from_utf8(output.stdout).unwrap(), json)
    };
    let (table, json) = run("8999", "streamed");
    assert!(table.contains("Streamed 9,000 paths"), "{table}");
    assert!(table.contains("within 0.25% (relative)"), "{table}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["streaming"]["quantile_relative_error"],
        DEFAULT_RELATIVE_ERROR
    );
    for chart in ["value.png", "cdf.png", "equity.png"] {
        assert!(dir.path().join("streamed").join(chart).is_file(), "{chart}");
    }
    let (table, json) = run("9000", "kept");
    assert!(table.contains("Simulated 9,000 paths"), "{table}");
    let kept: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(kept.get("streaming").is_none());
    // The same paths: the means agree to the last digit.
    assert_eq!(v["offer"]["total"]["mean"], kept["offer"]["total"]["mean"]);
    assert_eq!(
        v["alternative"]["total"]["sd"],
        kept["alternative"]["total"]["sd"]
    );
}

/// An observer that adds up the paths it is told of, and counts the
/// stages.
#[derive(Default)]
struct Counting {
    paths: AtomicU64,
    stages: AtomicU64,
}

impl Observer for Counting {
    fn stage(&self, _what: &str, _total: u64, _unit: Unit) {
        self.stages.fetch_add(1, Ordering::Relaxed);
    }
    fn advance(&self, done: u64) {
        self.paths.fetch_add(done, Ordering::Relaxed);
    }
}

/// Run options for `threads` with a [`Counting`] observer, and that
/// observer.
fn counting_progress(threads: usize) -> (RunOptions, Arc<Counting>) {
    let heard = Arc::new(Counting::default());
    let options = RunOptions {
        threads: Some(threads),
        observer: Some(heard.clone()),
    };
    (options, heard)
}

/// The progress callback hears of every path exactly once, in both modes
/// and whatever the thread count, including a partial last chunk.
#[test]
fn progress_counts_every_path_once() {
    let paths = 3 * engine::CHUNK_PATHS as u64 + 17;
    let s = shipped("minimal.toml", paths);
    let settings = StreamSettings {
        relative_error: DEFAULT_RELATIVE_ERROR,
    };
    for threads in [1, 2, 3] {
        let (options, kept) = counting_progress(threads);
        engine::simulate(&s, &options).unwrap();
        assert_eq!(
            kept.paths.load(Ordering::Relaxed),
            paths,
            "kept, {threads} threads"
        );

        let (options, streamed) = counting_progress(threads);
        run_streaming(&s, &options, &settings, None).unwrap();
        assert_eq!(
            streamed.paths.load(Ordering::Relaxed),
            paths,
            "streamed, {threads} threads"
        );
        // One pass without floors: one stage.
        assert_eq!(streamed.stages.load(Ordering::Relaxed), 1);
    }
}

/// What leavers did with their options: the share who paid to exercise
/// and the mean PV of what they paid, counted from the records by hand,
/// and the same in a streamed run.
#[test]
fn exercise_on_leaving_is_counted_by_both_executors() {
    let s = shipped("hf-paris-ask.toml", PATHS);
    let (sim, exact) = in_memory(&s);
    let model = &sim.plan.model;
    let leavers = sim
        .records
        .iter()
        .filter(|p| p.employed_years < model.window_years)
        .count();
    let paid: Vec<f64> = sim
        .records
        .iter()
        .filter(|p| p.exercised_on_departure())
        .map(|p| equisim::engine::ExerciseCost::of(model, p).at_grant(model.offer.grant))
        .collect();
    let e = exact.offer.exercise_on_leaving.expect("options");
    assert_eq!(e.p_leavers_exercised, paid.len() as f64 / leavers as f64);
    let mean = paid.iter().sum::<f64>() / paid.len() as f64;
    assert!((e.mean_cash_paid.unwrap() - mean).abs() <= 1e-9 * mean);
    assert!(paid.len() > 1000 && mean > 0.0);
    let run = streamed(&s, 2, None);
    let st = run.outputs.offer.exercise_on_leaving.unwrap();
    assert_eq!(st.p_leavers_exercised, e.p_leavers_exercised);
    assert!((st.mean_cash_paid.unwrap() - mean).abs() <= 1e-9 * mean);
    // RSUs have no such figures.
    assert_eq!(exact.alternative.exercise_on_leaving, None);
}

/// The tender figures: the share of paths with a sale and the mean PV of
/// the proceeds, counted from the records by hand, the same in a streamed
/// run, and absent when the company runs no tenders.
#[test]
fn tender_sales_are_counted_by_both_executors() {
    assert_eq!(
        in_memory(&shipped("hf-paris-ask.toml", 10_000))
            .1
            .company
            .tenders,
        None
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hf-paris-ask.toml");
    let set = |field: &str, value: toml::Value| Override::with_value(field, value, "test");
    let overrides = [
        set("simulation.paths", toml::Value::Integer(PATHS as i64)),
        set("company.tender.per_year", toml::Value::Float(0.5)),
    ];
    let s = scenario::load_file(&path, &overrides).unwrap().scenario;
    let (sim, exact) = in_memory(&s);
    let n = sim.records.len() as f64;
    let sold = sim
        .records
        .iter()
        .filter(|p| p.tender_proceeds > 0.0)
        .count();
    let mean = sim.records.iter().map(|p| p.tender_proceeds).sum::<f64>() / n;
    let t = exact.company.tenders.expect("tenders");
    assert_eq!(t.p_sold_in_tender, sold as f64 / n);
    assert!((t.mean_tender_proceeds - mean).abs() <= 1e-9 * mean);
    assert!(sold > 1000 && mean > 0.0, "{sold} {mean}");
    let st = streamed(&s, 2, None).outputs.company.tenders.unwrap();
    assert_eq!(st.p_sold_in_tender, t.p_sold_in_tender);
    assert!((st.mean_tender_proceeds - mean).abs() <= 1e-9 * mean);
}

/// With a `[tax]` table, a streamed run reports the same mean taxes by
/// kind as a kept one, to the digit (both sum them a chunk at a time).
#[test]
fn taxes_are_counted_alike_by_both_executors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/us-series-b.toml");
    let set = |field: &str, value: toml::Value| Override::with_value(field, value, "test");
    let text = |v: &str| toml::Value::String(v.into());
    let overrides = [
        set("simulation.paths", toml::Value::Integer(PATHS as i64)),
        set("tax.preset", text("us-ny-2026")),
        set("offer.equity.tax_treatment", text("iso")),
        set("employee.risk_aversion", toml::Value::Float(0.0)),
    ];
    let s = scenario::load_file(&path, &overrides).unwrap().scenario;
    let (_, exact) = in_memory(&s);
    let t = exact.taxes.expect("taxes");
    assert!(
        t.offer.at_exercise > 0.0 && t.offer.amt_credit > 0.0,
        "{t:?}"
    );
    let st = streamed(&s, 2, None).outputs;
    assert_eq!(st.taxes, exact.taxes);
    assert_eq!(st.offer.total.mean, exact.offer.total.mean);
    let (a, b) = (
        st.offer.exercise_on_leaving.unwrap(),
        exact.offer.exercise_on_leaving.unwrap(),
    );
    let (a, b) = (a.mean_cash_paid.unwrap(), b.mean_cash_paid.unwrap());
    assert!((a - b).abs() <= 1e-9 * b, "{a} {b}");
}

/// After tax a sign-on is kept at `1 - pay`: the streamed mean floor, exact
/// like the kept one, agrees with it when there is a sign-on to tax.
#[test]
fn the_streamed_mean_floor_taxes_the_sign_on_as_the_kept_one_does() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hf-paris-ask-tax.toml");
    let set = |field: &str, value: toml::Value| Override::with_value(field, value, "test");
    let overrides = [
        set("simulation.paths", toml::Value::Integer(PATHS as i64)),
        set("offer.sign_on", toml::Value::Float(20_000.0)),
    ];
    let s = scenario::load_file(&path, &overrides).unwrap().scenario;
    for solve_for in [SolveFor::Grant, SolveFor::Base] {
        let (exact, streamed) = floors_both_ways(&s, solve_for, &[Criterion::Mean]);
        let (e, st) = (&exact.floors[0], &streamed.floors[0]);
        let (Some(x), Some(y)) = (e.value, st.value) else {
            panic!("{solve_for:?}: a mean floor both ways, got {e:?} and {st:?}");
        };
        assert!(
            (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            "{solve_for:?}: kept {x}, streamed {y}"
        );
    }
}
