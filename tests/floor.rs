//! The accept-at floor: solved on stored paths, checked by simulating again
//! at the floor, against a case solvable by hand, and for monotonicity in
//! the illiquidity discount.

use equisim::decisions::{
    FloorProblem, Preferences, criterion_value, frontier, frontier_bases, solve_floors,
};
use equisim::engine::{self, PathRecord, RunOptions, Simulation};
use equisim::scenario::{self, Criterion, Override, Scenario, SolveFor};
use equisim::stats::{Summary, totals};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

const PARIS: &str = "scenarios/hf-paris-ask.toml";

fn set(path: &str, value: toml::Value) -> Override {
    Override::with_value(path, value, format!("test {path}"))
}

fn float(path: &str, v: f64) -> Override {
    set(path, toml::Value::Float(v))
}

fn paris(paths: i64, extra: Vec<Override>) -> Scenario {
    let mut overrides = vec![set("simulation.paths", toml::Value::Integer(paths))];
    overrides.extend(extra);
    scenario::load_file(Path::new(PARIS), &overrides)
        .expect("valid scenario")
        .scenario
}

/// RSUs, no cliff, rare failure, low attrition: every criterion's grant
/// floor is reachable, and a larger grant never lowers a path's total.
fn rsu_variant() -> Vec<Override> {
    vec![
        set("offer.equity.instrument", toml::Value::String("rsu".into())),
        set(
            "offer.equity.vesting",
            toml::Value::Table(
                toml::from_str("years = 4\ncliff_years = 0\nevery_months = 1").unwrap(),
            ),
        ),
        float("company.exit.failure_per_year", 0.005),
        float("employee.attrition_per_year", 0.05),
    ]
}

/// Options exercised on departure (a larger grant lowers the total where
/// the strike is paid and the shares then pay less), with the mean, the
/// median and the CE reachable.
fn options_variant() -> Vec<Override> {
    vec![
        float("company.exit.failure_per_year", 0.005),
        float("employee.attrition_per_year", 0.05),
        float("employee.outside_wealth", 300_000.0),
    ]
}

fn simulate(s: &Scenario) -> Simulation {
    engine::simulate(s, &RunOptions::default()).expect("simulation")
}

/// The criterion of a run's reported summary.
fn reported(summary: &Summary, c: Criterion) -> f64 {
    match c {
        Criterion::Mean => summary.mean,
        Criterion::Median => summary.percentiles.p50,
        Criterion::Percentile(10) => summary.percentiles.p10,
        Criterion::Percentile(25) => summary.percentiles.p25,
        Criterion::CertaintyEquivalent => summary.certainty_equivalent.expect("CE defined"),
        other => panic!("no reported value for {other}"),
    }
}

/// Solves each floor, simulates again with the grant (or base) set to it,
/// and checks that the run's reported criterion of the offer equals the
/// alternative's. The same seed gives the same paths, and the total is
/// linear in the lever, so the match is far inside Monte Carlo error; a
/// slightly smaller lever falls short.
fn check_resimulated(extra: Vec<Override>, solve_for: SolveFor, criteria: &[Criterion]) {
    let s = paris(100_000, extra.clone());
    let sim = simulate(&s);
    let floors = solve_floors(&sim, &s, solve_for, criteria);
    let problem = FloorProblem::new(&sim, Preferences::of(&s));
    let lever = problem.lever(solve_for);
    let field = match solve_for {
        SolveFor::Grant => "offer.equity.grant",
        SolveFor::Base => "offer.base",
    };
    for f in &floors.floors {
        let c = f.criterion;
        let value = f
            .value
            .unwrap_or_else(|| panic!("{c} floor on {solve_for:?} unreachable: {f:?}"));
        assert!(value > 0.0, "{c}: floor {value}");

        let mut again_overrides = extra.clone();
        again_overrides.push(float(field, value));
        let again = paris(100_000, again_overrides);
        // The run's summaries of both totals (as `Outputs` computes them;
        // a grant this large can leave the offer's CE undefined, which
        // `Outputs` would refuse).
        let again_sim = simulate(&again);
        let model = &again_sim.plan.model;
        let summary = |pay, equity: fn(&PathRecord) -> f64| {
            Summary::of(
                &mut totals(&again_sim.records, model, pay, equity),
                Preferences::of(&again),
            )
        };
        let offer_summary = summary(&model.offer.pay, |p| p.offer_equity);
        let alternative_summary = summary(&model.alternative.pay, |p| p.alternative_equity);
        let offer = reported(&offer_summary, c);
        let alternative = reported(&alternative_summary, c);
        // Monte Carlo error of the criterion is about sd / sqrt(n): ~1e-3
        // relative here. The floor must match far more closely.
        let mc_error = offer_summary.std_error;
        assert!(
            (offer - alternative).abs() <= 1e-6 * alternative.abs()
                && (offer - alternative).abs() < mc_error,
            "{c} on {solve_for:?} at floor {value}: offer {offer} vs alternative {alternative} (se {mc_error})"
        );
        // The smallest such value: a little less falls short.
        let below = criterion_value(c, &lever.at(value * (1.0 - 1e-5)), problem.prefs).unwrap();
        assert!(
            below < alternative,
            "{c}: {below} at 0.99999 × floor is not below {alternative}"
        );
    }
}

#[test]
fn grant_floors_match_the_alternative_when_simulated_again() {
    check_resimulated(
        rsu_variant(),
        SolveFor::Grant,
        &[
            Criterion::Mean,
            Criterion::Median,
            Criterion::Percentile(10),
            Criterion::CertaintyEquivalent,
        ],
    );
}

#[test]
fn grant_floors_with_options_exercised_on_departure() {
    check_resimulated(
        options_variant(),
        SolveFor::Grant,
        &[
            Criterion::Mean,
            Criterion::Median,
            Criterion::CertaintyEquivalent,
        ],
    );
}

#[test]
fn base_floors_match_the_alternative_when_simulated_again() {
    check_resimulated(
        Vec::new(),
        SolveFor::Base,
        &[
            Criterion::Mean,
            Criterion::Median,
            Criterion::Percentile(10),
            Criterion::CertaintyEquivalent,
        ],
    );
}

#[test]
fn unreachable_grant_floors_are_explained_and_give_the_base_floor() {
    let s = paris(50_000, Vec::new());
    let sim = simulate(&s);
    let floors = solve_floors(
        &sim,
        &s,
        SolveFor::Grant,
        &[
            Criterion::Median,
            Criterion::Percentile(10),
            Criterion::CertaintyEquivalent,
        ],
    );
    for f in &floors.floors {
        assert!(!f.reachable && f.value.is_none(), "{f:?}");
        assert!(f.unreachable.is_some(), "{f:?}");
        let base = f.base_floor.as_ref().expect("base floor given");
        assert_eq!(base.solve_for, SolveFor::Base);
        assert!(base.value.is_some_and(|b| b > s.offer.base), "{base:?}");
    }
    // The CE peaks and falls: exercise costs the outside wealth cannot absorb.
    let ce = floors.get(Criterion::CertaintyEquivalent).unwrap();
    assert!(
        matches!(
            ce.unreachable,
            Some(equisim::decisions::Unreachable::CertaintyEquivalentPeaks { .. })
        ),
        "{ce:?}"
    );
    assert!(!ce.monotone);
}

/// No volatility anywhere, nobody leaves, no exit before the horizon: the
/// private company is sold at the horizon for certain, at a value known in
/// advance, and every path is the same.
const ANALYTIC: &str = r#"
name = "analytic floor"
[simulation]
paths = 2000
seed = 3
window_years = 4
horizon_years = 6
discount_rate = 0.05
[employee]
attrition_per_year = 0.0
risk_aversion = 3.0
outside_wealth = 50_000
illiquidity = { method = "flat", discount = 0.2 }
[company]
valuation = 1e9
drift = 0.08
volatility = 0.0
[company.rounds]
per_year = 0.0
pool_per_year = 0.01
[company.exit]
ipo_per_year = 0.0
acquisition_per_year = 0.0
failure_per_year = 0.0
secondary_discount = 0.3
[offer]
base = 100_000
sign_on = 10_000
[offer.equity]
grant = 50_000
instrument = "options"
strike_ratio = 0.4
vesting = { years = 4, cliff_years = 1, every_months = 1 }
[alternative]
base = 120_000
[alternative.equity]
grant = 80_000
vesting = { years = 4, cliff_years = 1, every_months = 3 }
stock = { drift = 0.06, volatility = 0.0 }
"#;

#[test]
fn analytic_floor_matches_the_closed_form() {
    let s = scenario::load_str("analytic.toml", ANALYTIC, &[])
        .unwrap()
        .scenario;
    let sim = simulate(&s);
    let (r, w, h) = (0.05f64, 4.0f64, 6.0f64);
    // Cash: base paid continuously over the 4 years.
    let annuity = (1.0 - (-r * w).exp()) / r;
    // The company at the horizon: V0 e^{μH}, sold at 30% off; the grant's
    // fraction diluted by the pool, e^{-0.01 H}; all of it vested.
    let gross_per_grant = (0.08 * h).exp() * 0.7 * (-0.01 * h).exp();
    // Options exercised cashless at the sale: (gross - strike), discounted
    // to today and for illiquidity.
    let per_grant = (gross_per_grant - 0.4) * (-r * h).exp() * 0.8;
    // Public RSUs: a 1-year cliff then quarterly, priced at e^{μ' t}.
    let rsu: f64 = (4..=16)
        .map(|j| {
            let t = j as f64 * 0.25;
            let tranche = if j == 4 { 4.0 / 16.0 } else { 1.0 / 16.0 };
            tranche * ((0.06 - r) * t).exp()
        })
        .sum();
    let alternative = 120_000.0 * annuity + 80_000.0 * rsu;
    let grant_floor = (alternative - 10_000.0 - 100_000.0 * annuity) / per_grant;
    let base_floor = (alternative - 10_000.0 - 50_000.0 * per_grant) / annuity;

    let criteria = [
        Criterion::Mean,
        Criterion::Median,
        Criterion::Percentile(10),
        Criterion::CertaintyEquivalent,
    ];
    for (solve_for, expected) in [(SolveFor::Grant, grant_floor), (SolveFor::Base, base_floor)] {
        let floors = solve_floors(&sim, &s, solve_for, &criteria);
        for f in &floors.floors {
            let v = f.value.expect("reachable");
            assert!(
                (v - expected).abs() <= 1e-9 * expected,
                "{} on {solve_for:?}: {v} vs {expected}",
                f.criterion
            );
            assert!(f.monotone && f.falls_below_again.is_none());
        }
    }
}

#[test]
fn rescaled_paths_equal_a_new_simulation() {
    // Options exercised on departure, a refresh of fixed size and one
    // that scales with the grant: every part of the exercise cost.
    let extra = vec![
        float("employee.illiquidity.discount", 0.25),
        set(
            "offer.equity.refresh",
            toml::Value::Array(vec![
                toml::Value::Table(
                    toml::from_str("at_years = 1.0\nprobability = 0.6\ngrant = 25000").unwrap(),
                ),
                toml::Value::Table(
                    toml::from_str("at_years = 2.0\nprobability = 0.7\ngrant_ratio = 0.25")
                        .unwrap(),
                ),
            ]),
        ),
    ];
    let base = paris(40_000, extra.clone());
    let sim = simulate(&base);
    let mut at = extra;
    at.push(float("employee.illiquidity.discount", 0.45));
    let direct = simulate(&paris(40_000, at));
    let rescaled = sim.with_flat_discount(0.45).expect("flat discount");
    let mut exercised = 0;
    for (a, b) in rescaled.records.iter().zip(&direct.records) {
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs()));
        assert!(close(a.offer_equity, b.offer_equity), "{a:?} vs {b:?}");
        assert!(
            close(a.offer_equity_per_grant, b.offer_equity_per_grant),
            "{a:?} vs {b:?}"
        );
        assert_eq!(a.equity_pays_zero, b.equity_pays_zero);
        assert_eq!(a.exercised_at_departure, b.exercised_at_departure);
        exercised += a.exercised_on_departure() as usize;
    }
    assert!(exercised > 1000, "{exercised} paths paid a strike");
    // Rewriting another discount's records in place gives the same records
    // as fresh memory, to the bit, and keeps the memory; a discount that
    // cannot be rescaled to leaves the memory for the next.
    let spare = sim.with_flat_discount(0.6).expect("flat discount");
    let spare_at = spare.records.as_ptr();
    let mut storage = spare.into_storage();
    assert!(sim.with_flat_discount_reusing(1.5, &mut storage).is_none());
    let reused = sim
        .with_flat_discount_reusing(0.45, &mut storage)
        .expect("flat discount");
    // Debug prints every f64 so that it reads back to the same bits, and
    // the multiple of a path without an exit is NaN, which `==` refuses.
    assert_eq!(
        format!("{:?}", reused.records),
        format!("{:?}", rescaled.records)
    );
    assert_eq!(reused.records.as_ptr(), spare_at);
    assert!(sim.rescales_to_flat_discount(0.45) && !sim.rescales_to_flat_discount(1.5));
    assert!(
        sim.with_flat_discount_reusing(1.5, &mut Default::default())
            .is_none()
    );
}

/// One simulation of the options variant at a flat 25% discount, shared
/// by the property test's cases.
fn shared() -> &'static (Scenario, Simulation) {
    static SHARED: OnceLock<(Scenario, Simulation)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let s = paris(20_000, options_variant());
        let sim = simulate(&s);
        (s, sim)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A higher illiquidity discount lowers the private proceeds on every
    /// path and nothing else, so no criterion can reach the alternative's
    /// at a smaller grant (or base): the floor never falls, and a floor
    /// unreachable at one discount stays so at every higher one.
    #[test]
    fn floor_is_monotone_in_the_illiquidity_discount(low in 0.0f64..0.9, step in 0.0f64..0.1) {
        let (s, sim) = shared();
        let prefs = Preferences::of(s);
        let a = FloorProblem::new(&sim.with_flat_discount(low).unwrap(), prefs);
        let b = FloorProblem::new(&sim.with_flat_discount(low + step).unwrap(), prefs);
        for solve_for in [SolveFor::Grant, SolveFor::Base] {
            for c in [
                Criterion::Mean,
                Criterion::Median,
                Criterion::Percentile(10),
                Criterion::CertaintyEquivalent,
            ] {
                let fa = a.floor(c, solve_for).value;
                let fb = b.floor(c, solve_for).value;
                match (fa, fb) {
                    (Some(x), Some(y)) => prop_assert!(
                        y >= x * (1.0 - 1e-6) - 1e-6,
                        "{c} on {solve_for:?}: {x} at {low} but {y} at {}", low + step
                    ),
                    (None, Some(y)) => prop_assert!(
                        false,
                        "{c} on {solve_for:?}: unreachable at {low} but {y} at {}", low + step
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// A `beatsNN` floor (model v2 §10), re-evaluated on the stored paths: at
/// the floor the offer is worth at least the alternative on at least NN%
/// of them, and a little below it on fewer.
#[test]
fn a_beats_floor_meets_its_share_on_the_paths() {
    let s = paris(50_000, rsu_variant());
    let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
    let problem = FloorProblem::new(&sim, Preferences::of(&s));
    for nn in [30u8, 50] {
        let criterion = Criterion::Beats(nn);
        let floor = problem.floor(criterion, SolveFor::Grant);
        let g = floor.value.expect("reachable with RSUs");
        let share_at = |grant: f64| {
            let lever = problem.grant_lever(problem.base);
            let n = lever.len();
            (0..n)
                .filter(|&i| lever.intercept[i] + grant * lever.slope[i] >= problem.alternative[i])
                .count() as f64
                / n as f64
        };
        let need = f64::from(nn) / 100.0;
        assert!(share_at(g) >= need, "beats{nn}: {} at {g}", share_at(g));
        assert!(
            share_at(g * (1.0 - 1e-6)) < need,
            "beats{nn}: not the least grant"
        );
        assert_eq!(floor.target, Some(need));
        let offered = share_at(problem.grant);
        assert!((floor.offer_value.unwrap() - offered).abs() < 1e-12);
    }
}

/// The frontier asks each solver for the floor alone (no falling-below
/// point, no explanation when out of reach): its floors are the ones a
/// full solve reports at the same base, to the digit, for every criterion,
/// where they are reached and where not.
#[test]
fn the_frontier_floors_are_the_full_solves_floors() {
    let criteria = [
        Criterion::Mean,
        Criterion::Beats(50),
        Criterion::Percentile(10),
        Criterion::Median,
        Criterion::CertaintyEquivalent,
    ];
    for extra in [Vec::new(), options_variant()] {
        let s = paris(20_000, extra);
        let sim = simulate(&s);
        let problem = FloorProblem::new(&sim, Preferences::of(&s));
        let mut bases = frontier_bases(&s, 9);
        bases.push(3.0 * s.alternative.base);
        let f = frontier(&sim, &s, &criteria, &bases);
        let (mut reached, mut unreached) = (0, 0);
        for (j, &c) in criteria.iter().enumerate() {
            let target = problem.target(c);
            for (b, &base) in bases.iter().enumerate() {
                let full = problem.solve(c, &problem.grant_lever(base), target);
                assert_eq!(f.grant_floors[j][b], full.floor, "{c} at base {base}");
                match full.floor {
                    Some(_) => reached += 1,
                    None => unreached += 1,
                }
            }
        }
        // Both kinds of answer are compared.
        assert!(reached > 0 && unreached > 0, "{reached} {unreached}");
    }
}

/// With tender offers the totals stay linear in the grant (a tender sells
/// a share of each grant, and an option is sold only in the money, the same
/// decision for every grant size): the floors found on the stored paths
/// hold when the scenario is simulated again at them.
#[test]
fn grant_floors_with_tender_offers_match_when_simulated_again() {
    let mut tender = toml::Table::new();
    tender.insert("per_year".into(), toml::Value::Float(0.5));
    tender.insert("fraction".into(), toml::Value::Float(0.3));
    let mut overrides = rsu_variant();
    overrides.push(set("company.tender", toml::Value::Table(tender)));
    check_resimulated(
        overrides,
        SolveFor::Grant,
        &[
            Criterion::Mean,
            Criterion::Median,
            Criterion::CertaintyEquivalent,
        ],
    );
}

/// With taxes (the French preset, options as BSPCE, exercised on leaving
/// when in the money): every rule is linear in the grant and the base, so
/// floors solved on the stored after-tax terms meet their criterion when
/// the paths are simulated again at the floor.
#[test]
fn floors_after_tax_match_when_simulated_again() {
    let mut extra = options_variant();
    extra.push(set("tax.preset", toml::Value::String("fr-2026".into())));
    extra.push(set(
        "offer.equity.tax_treatment",
        toml::Value::String("bspce".into()),
    ));
    check_resimulated(
        extra.clone(),
        SolveFor::Grant,
        &[
            Criterion::Mean,
            Criterion::Median,
            Criterion::CertaintyEquivalent,
        ],
    );
    check_resimulated(
        extra,
        SolveFor::Base,
        &[Criterion::Mean, Criterion::Percentile(10)],
    );
}
