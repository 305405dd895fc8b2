//! Sweeps: common random numbers, reusing paths where the parameter does
//! not change them, and clear errors for a parameter that cannot be swept.

use equisim::decisions::{
    PathReuse, SweepRequest, frontier, frontier_bases, run_sweep, solve_floors,
};
use equisim::engine::{self, RunOptions};
use equisim::error::Error;
use equisim::scenario::{self, Criterion, Loaded, Override, SolveFor};
use equisim::stats::{Outputs, Preferences};
use std::path::Path;

const CRITERIA: [Criterion; 4] = [
    Criterion::Mean,
    Criterion::Median,
    Criterion::Percentile(10),
    Criterion::CertaintyEquivalent,
];

fn overrides(paths: i64) -> Vec<Override> {
    vec![Override::with_value(
        "simulation.paths",
        toml::Value::Integer(paths),
        "test --paths",
    )]
}

fn load(paths: i64) -> Loaded {
    scenario::load_file(Path::new("scenarios/hf-paris-ask.toml"), &overrides(paths)).unwrap()
}

fn request<'a>(
    loaded: &'a Loaded,
    overrides: &'a [Override],
    parameter: &str,
    (from, to, steps): (f64, f64, u64),
) -> SweepRequest<'a> {
    SweepRequest {
        source: &loaded.source,
        overrides,
        parameter: parameter.to_string(),
        from,
        to,
        steps,
        origin: "--param",
        solve_for: SolveFor::Grant,
        criteria: CRITERIA.to_vec(),
        include_own: true,
    }
}

/// Every value of a sweep equals a run of its own at that value: for the
/// parameters that reuse the paths and for one that simulates again.
#[test]
fn each_value_matches_a_run_of_its_own() {
    let loaded = load(30_000);
    let ov = overrides(30_000);
    for (parameter, range, reuse) in [
        (
            "employee.illiquidity.discount",
            // A grid through the scenario's own 0.25.
            (0.0, 0.75, 4),
            PathReuse::FlatDiscount,
        ),
        ("employee.risk_aversion", (1.0, 3.0, 3), PathReuse::Same),
        ("employee.outside_wealth", (1e5, 3e5, 3), PathReuse::Same),
        ("company.volatility", (0.4, 0.8, 3), PathReuse::Resimulate),
    ] {
        let result = run_sweep(
            &request(&loaded, &ov, parameter, range),
            &RunOptions::default(),
        )
        .unwrap();
        assert_eq!(result.reuse, reuse, "{parameter}");
        assert_eq!(result.points.len(), range.2 as usize);
        for point in &result.points {
            let mut at = ov.clone();
            at.push(Override::with_value(
                parameter,
                toml::Value::Float(point.value),
                "test",
            ));
            let s = loaded.source.resolve(&at).unwrap().0;
            let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
            let own = solve_floors(&sim, &s, SolveFor::Grant, &CRITERIA);
            for (a, b) in point.floors.floors.iter().zip(&own.floors) {
                let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1e-6 * y.abs().max(1.0),
                    (None, None) => true,
                    _ => false,
                };
                assert!(
                    close(a.value, b.value),
                    "{parameter} = {}: {} floor {:?} vs {:?}",
                    point.value,
                    a.criterion,
                    a.value,
                    b.value
                );
                let base =
                    |f: &equisim::decisions::Floor| f.base_floor.as_ref().and_then(|b| b.value);
                assert!(close(base(a), base(b)), "{parameter}: base floors");
            }
            let mean = |o: &equisim::stats::Outputs| o.offer.total.mean;
            let own_outputs = equisim::stats::Outputs::of_scenario(&sim, &s).unwrap();
            assert!((mean(&point.outputs) - mean(&own_outputs)).abs() <= 1e-9 * mean(&own_outputs));
        }
    }
}

/// A sweep computes the alternative's summaries once while its totals
/// stay the same (the company's volatility leaves them as they are), and
/// again where they change (its own base, the attrition) or the
/// preferences do (risk aversion): at every value the outputs are a run's
/// on the same paths, to the bit.
#[test]
fn outputs_with_the_alternative_kept_are_a_runs_to_the_bit() {
    let loaded = load(20_000);
    let ov = overrides(20_000);
    let base = loaded.source.resolve(&ov).unwrap().0;
    let base_sim = engine::simulate(&base, &RunOptions::default()).unwrap();
    for (parameter, range) in [
        ("company.volatility", (0.4, 0.8, 3)),
        ("alternative.base", (150_000.0, 250_000.0, 3)),
        ("employee.attrition_per_year", (0.05, 0.3, 3)),
        ("employee.risk_aversion", (1.0, 3.0, 3)),
    ] {
        let mut sweep = request(&loaded, &ov, parameter, range);
        sweep.include_own = false;
        let result = run_sweep(&sweep, &RunOptions::default()).unwrap();
        for point in &result.points {
            let s = &point.scenario;
            let resimulated;
            let sim = match result.reuse {
                PathReuse::Same => &base_sim,
                PathReuse::Resimulate => {
                    resimulated = engine::simulate(s, &RunOptions::default()).unwrap();
                    &resimulated
                }
                other => panic!("{parameter}: {other:?}"),
            };
            let own = Outputs::compute(
                sim,
                Preferences::of(s),
                (&s.offer.label, &s.alternative.label),
            )
            .unwrap();
            assert!(
                point.outputs == own,
                "{parameter} = {}: the sweep's outputs differ from a run's",
                point.value
            );
        }
    }
}

/// With common random numbers the mean grant floor is a smooth, rising
/// function of the discount: every step up raises it.
#[test]
fn the_discount_sweep_is_smooth_and_rising() {
    let loaded = load(30_000);
    let ov = overrides(30_000);
    let result = run_sweep(
        &request(
            &loaded,
            &ov,
            "employee.illiquidity.discount",
            (0.0, 0.6, 13),
        ),
        &RunOptions::default(),
    )
    .unwrap();
    let series: Vec<f64> = result
        .floor_series(Criterion::Mean)
        .into_iter()
        .map(|(_, f)| f.expect("mean floor"))
        .collect();
    for w in series.windows(2) {
        assert!(w[1] > w[0], "{series:?}");
    }
    assert_eq!(result.current_series()[0].1, 100_000.0);
}

#[test]
fn a_parameter_that_cannot_be_swept_is_a_clear_error() {
    let loaded = load(1_000);
    let ov = overrides(1_000);
    let message = |parameter: &str| -> (String, i32) {
        let err = run_sweep(
            &request(&loaded, &ov, parameter, (0.1, 0.2, 2)),
            &RunOptions::default(),
        )
        .unwrap_err();
        (err.to_string(), err.exit_code())
    };
    let (m, code) = message("company.volatilty");
    assert_eq!(code, 2);
    assert!(m.contains("--param company.volatilty"), "{m}");
    assert!(m.contains("volatility"), "suggests the right field: {m}");
    let (m, code) = message("offer.label");
    assert_eq!(code, 2);
    assert!(
        m.contains("--param offer.label") && m.contains("not a number"),
        "{m}"
    );
    let (m, _) = message("offer.equity.refresh.3.probability");
    assert!(m.contains("--param"), "{m}");
    // A value outside the field's range names the field and the value.
    let err = run_sweep(
        &request(&loaded, &ov, "company.volatility", (0.5, 4.0, 2)),
        &RunOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Scenario(_)), "{err}");
    assert!(err.to_string().contains("company.volatility"), "{err}");
}

#[test]
fn frontier_grant_floor_falls_as_the_base_rises() {
    let loaded = load(30_000);
    let s = &loaded.scenario;
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let bases = frontier_bases(s, 9);
    assert_eq!(bases.len(), 9);
    let f = frontier(
        &sim,
        s,
        &[Criterion::Mean, Criterion::CertaintyEquivalent],
        &bases,
    );
    let mean: Vec<Option<f64>> = f
        .series(Criterion::Mean)
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    for w in mean.windows(2) {
        if let (Some(a), Some(b)) = (w[0], w[1]) {
            assert!(b <= a, "{mean:?}");
        }
    }
    // At the offer's own base, the frontier is the grant floor.
    let own = frontier(&sim, s, &[Criterion::Mean], &[s.offer.base]);
    let floors = solve_floors(&sim, s, SolveFor::Grant, &[Criterion::Mean]);
    assert_eq!(own.grant_floors[0][0], floors.floors[0].value);
    assert_eq!(f.offer_base, s.offer.base);
    assert_eq!(f.offer_grant, s.offer.equity.grant);
}

/// The tax rate on pay only sets the share of pay kept, applied after the
/// simulation: a sweep of it simulates once, and each value equals a run
/// of its own to the digit.
#[test]
fn a_pay_tax_sweep_reuses_the_paths_and_matches_runs_to_the_digit() {
    let ov = overrides(20_000);
    let loaded = scenario::load_file(Path::new("scenarios/hf-paris-ask-tax.toml"), &ov).unwrap();
    let result = run_sweep(
        &request(&loaded, &ov, "tax.pay", (0.2, 0.5, 3)),
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(result.reuse, PathReuse::PayTax);
    for point in &result.points {
        let mut at = ov.clone();
        at.push(Override::with_value(
            "tax.pay",
            toml::Value::Float(point.value),
            "test",
        ));
        let s = loaded.source.resolve(&at).unwrap().0;
        let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
        let own = equisim::stats::Outputs::compute(
            &sim,
            equisim::decisions::Preferences::of(&s),
            (&s.offer.label, &s.alternative.label),
        )
        .unwrap();
        assert_eq!(point.outputs, own, "tax.pay = {}", point.value);
        assert_eq!(
            point.floors,
            solve_floors(&sim, &s, SolveFor::Grant, &CRITERIA),
            "tax.pay = {}",
            point.value
        );
    }
    // Without a [tax] table there is no pay tax to reuse the paths for.
    let plain = load(2_000);
    let ov = overrides(2_000);
    let err = run_sweep(
        &request(&plain, &ov, "tax.pay", (0.2, 0.5, 2)),
        &RunOptions::default(),
    );
    assert!(err.is_err() || err.unwrap().reuse == PathReuse::Resimulate);
}
