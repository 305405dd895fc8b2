//! Properties of the model over random valid scenarios (proptest).
//!
//! Each case simulates a few thousand paths. Comparisons between two
//! parameter values use common random numbers: the same seed, so path `i`
//! sees the same draws in both runs. Where the change moves every path the
//! same way (a higher pool dilution, a higher flat illiquidity discount,
//! a larger grant without exercise costs) the property is checked path by
//! path, up to rounding. Where it does not (more funding rounds move round
//! dates across refresh dates; a higher mean dilution changes the Beta
//! draws; a higher failure hazard changes exit times and types), the mean
//! of the paired difference must not exceed `PAIRED_Z` standard errors of
//! that difference.
//!
//! The cases come from a fixed proptest seed, so every run checks the same
//! scenarios.

use crate::common;

use equisim::decisions::{FloorProblem, Preferences, criterion_value};
use equisim::engine::{self, RunOptions, Simulation};
use equisim::scenario::{
    Criterion, ExerciseRule, Illiquidity, Instrument, Refresh, RefreshAmount, Scenario, SolveFor,
    Vesting,
};
use equisim::stats::{Outputs, mean_sd};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::Value;

/// One-sided threshold on the paired difference: a false alarm has
/// probability about 3e-5 per comparison.
const PAIRED_Z: f64 = 4.0;

const CRITERIA: [Criterion; 5] = [
    Criterion::Mean,
    Criterion::Median,
    Criterion::Percentile(10),
    Criterion::Percentile(90),
    Criterion::CertaintyEquivalent,
];

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5eed_2026),
        failure_persistence: None,
        ..Config::default()
    }
}

/// What a random scenario is made of (the rest keeps the defaults).
#[derive(Debug, Clone)]
struct Params {
    seed: u64,
    paths: u64,
    window: f64,
    horizon_extra: f64,
    discount_rate: f64,
    attrition: f64,
    risk_aversion: f64,
    illiquidity: Illiquidity,
    drift: f64,
    volatility: f64,
    preference_stack: f64,
    preferred_fraction: f64,
    rounds: (f64, f64, f64, f64),
    exit: (f64, f64, f64, f64),
    multiples: (f64, f64, f64, f64),
    lockup: (f64, f64),
    secondary_discount: f64,
    offer: (f64, f64, f64, f64),
    options: Option<(f64, f64, ExerciseRule)>,
    acceleration: f64,
    refreshes: Vec<(f64, f64, bool, f64)>,
    alternative: (f64, f64, f64, f64),
}

fn illiquidity() -> impl Strategy<Value = Illiquidity> {
    prop_oneof![
        Just(Illiquidity::None),
        (0.0f64..0.9).prop_map(|discount| Illiquidity::Flat { discount }),
        Just(Illiquidity::Finnerty),
        Just(Illiquidity::Chaffe),
    ]
}

prop_compose! {
    fn params()(
        seed in any::<u64>(),
        paths in 2_000u64..4_000,
        window in 1.0f64..8.0,
        horizon_extra in 0.0f64..8.0,
        discount_rate in 0.0f64..0.1,
        attrition in 0.0f64..0.6,
        risk_aversion in 0.0f64..5.0,
        illiquidity in illiquidity(),
        drift in -0.3f64..0.5,
        volatility in 0.0f64..1.5,
        preference_stack in 0.0f64..2e9,
        preferred_fraction in 0.0f64..0.9,
        rounds in (0.0f64..2.0, 0.01f64..0.5, 0.0f64..0.9, 0.0f64..0.1),
        exit in (0.0f64..3.0, 0.0f64..0.3, 0.0f64..0.3, 0.0f64..0.3),
        multiples in (0.2f64..3.0, 0.0f64..1.0, 0.2f64..3.0, 0.0f64..1.0),
        lockup in (0.0f64..1.0, 0.0f64..1.0),
        secondary_discount in 0.0f64..0.9,
        offer in (1_000.0f64..3e5, 0.0f64..5e4, 0.0f64..0.3, 0.0f64..5e5),
        options in proptest::option::of((
            0.0f64..2.0,
            0.0f64..1.0,
            prop_oneof![
                Just(ExerciseRule::IfInTheMoney),
                Just(ExerciseRule::Always),
                Just(ExerciseRule::Never),
            ],
        )),
        acceleration in 0.0f64..1.0,
        refreshes in proptest::collection::vec((0.0f64..5.0, 0.0f64..1.0, any::<bool>(), 0.0f64..1.0), 0..3),
        alternative in (1_000.0f64..3e5, 0.0f64..5e5, -0.2f64..0.3, 0.0f64..1.0),
    ) -> Params {
        Params {
            seed, paths, window, horizon_extra, discount_rate, attrition, risk_aversion,
            illiquidity, drift, volatility, preference_stack, preferred_fraction, rounds,
            exit, multiples, lockup, secondary_discount, offer, options, acceleration,
            refreshes, alternative,
        }
    }
}

/// A valid scenario from `p`. Outside wealth exceeds every exercise cost a
/// path can pay, so that the certainty equivalent is always defined.
fn build(p: &Params) -> Scenario {
    let mut s = common::scenario("", p.paths, 1);
    s.simulation.seed = p.seed;
    s.simulation.window_years = p.window;
    s.simulation.horizon_years = p.window + p.horizon_extra;
    s.simulation.discount_rate = p.discount_rate;
    s.employee.attrition_per_year = p.attrition;
    s.employee.risk_aversion = p.risk_aversion;
    s.employee.illiquidity = p.illiquidity;
    let c = &mut s.company;
    c.valuation = 1e9;
    c.drift = p.drift;
    c.volatility = p.volatility;
    c.preference_stack = p.preference_stack;
    c.preferred_fraction = p.preferred_fraction;
    let (per_year, mean, sd_share, pool) = p.rounds;
    c.rounds.per_year = per_year;
    c.rounds.dilution_mean = mean;
    c.rounds.dilution_sd = sd_share * (mean * (1.0 - mean)).sqrt();
    c.rounds.pool_per_year = pool;
    let (earliest, ipo, acq, fail) = p.exit;
    c.exit.earliest_years = earliest;
    c.exit.ipo_per_year = ipo;
    c.exit.acquisition_per_year = acq;
    c.exit.failure_per_year = fail;
    c.exit.ipo_multiple.median = p.multiples.0;
    c.exit.ipo_multiple.sigma = p.multiples.1;
    c.exit.acquisition_multiple.median = p.multiples.2;
    c.exit.acquisition_multiple.sigma = p.multiples.3;
    c.exit.lockup_years = p.lockup.0;
    c.exit.lockup_volatility = p.lockup.1;
    c.exit.secondary_discount = p.secondary_discount;
    let (base, sign_on, bonus, grant) = p.offer;
    s.offer.base = base;
    s.offer.sign_on = sign_on;
    s.offer.bonus_rate = bonus;
    let eq = &mut s.offer.equity;
    eq.grant = grant;
    eq.acceleration_on_acquisition = p.acceleration;
    if let Some((strike, window, on_departure)) = p.options {
        eq.instrument = Instrument::Options;
        eq.strike_ratio = strike;
        eq.exercise_window_years = window;
        eq.exercise_on_departure = on_departure;
    }
    eq.refresh = p
        .refreshes
        .iter()
        .map(|&(at, probability, ratio, size)| Refresh {
            at_years: at,
            every_years: None,
            probability,
            amount: if ratio {
                RefreshAmount::GrantRatio(size)
            } else {
                RefreshAmount::Grant(size * 2e5)
            },
            vesting: Vesting {
                years: 4.0,
                cliff_years: 0.0,
                every_months: 1.0,
                weights: None,
            },
        })
        .collect();
    let (alt_base, alt_grant, alt_drift, alt_vol) = p.alternative;
    s.alternative.base = alt_base;
    s.alternative.equity.grant = alt_grant;
    s.alternative.equity.stock.drift = alt_drift;
    s.alternative.equity.stock.volatility = alt_vol;
    s.employee.outside_wealth = 1e5 + 1.01 * max_exercise_cost(&s);
    s
}

/// The most a path can pay to exercise: every grant made and fully vested.
fn max_exercise_cost(s: &Scenario) -> f64 {
    let eq = &s.offer.equity;
    if eq.instrument == Instrument::Rsu {
        return 0.0;
    }
    let refreshes: f64 = eq
        .refresh
        .iter()
        .map(|r| match r.amount {
            RefreshAmount::Grant(a) => a,
            RefreshAmount::GrantRatio(k) => k * eq.grant,
        })
        .sum();
    eq.strike_ratio * (eq.grant + refreshes)
}

fn simulate(s: &Scenario) -> Simulation {
    engine::simulate(s, &RunOptions::default()).unwrap()
}

fn outputs(s: &Scenario, sim: &Simulation) -> Outputs {
    Outputs::of_scenario(sim, s).unwrap_or_else(|e| panic!("{e}"))
}

/// The private offer's total on every path.
fn offer_totals(sim: &Simulation) -> Vec<f64> {
    let m = &sim.plan.model;
    equisim::stats::totals(&sim.records, m, &m.offer.pay, |p| p.offer_equity)
}

/// `mean(b - a) <= PAIRED_Z · se(b - a)` (plus rounding): `b` does not
/// exceed `a` on average beyond Monte Carlo error of the paired difference.
fn assert_not_higher(a: &[f64], b: &[f64], what: &str) -> Result<(), TestCaseError> {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let (mean, sd) = mean_sd(&d);
    let se = sd / (d.len() as f64).sqrt();
    let scale = mean_sd(a).0.abs().max(1.0);
    prop_assert!(
        mean <= PAIRED_Z * se + 1e-9 * scale,
        "{what}: the mean rose by {mean} (paired se {se})"
    );
    Ok(())
}

/// Path by path, `b <= a` up to rounding.
fn assert_pathwise_not_higher(a: &[f64], b: &[f64], what: &str) -> Result<(), TestCaseError> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        prop_assert!(
            *y <= x + 1e-9 * x.abs().max(1.0),
            "{what}: path {i} rose from {x} to {y}"
        );
    }
    Ok(())
}

/// Every number in `v` is finite; every probability in [0, 1]; every set
/// of percentiles is ordered.
fn check_outputs(o: &Outputs) -> Result<(), TestCaseError> {
    prop_assert_eq!(o.first_non_finite(), None);
    let mut probabilities = vec![
        o.comparison.p_offer_beats_alternative,
        o.company.outcomes.ipo,
        o.company.outcomes.acquisition,
        o.company.outcomes.failure,
        o.company.outcomes.private,
        o.person.p_left_early,
    ];
    if let Some(e) = o.offer.equity_shares {
        probabilities.extend([
            e.p_equity_pays_nothing,
            e.p_equity_loses_money,
            e.p_equity_no_gain,
        ]);
        prop_assert!(e.p_equity_loses_money <= e.p_equity_no_gain);
        prop_assert!(e.p_equity_pays_nothing <= e.p_equity_no_gain + 1e-12);
    }
    for p in probabilities {
        prop_assert!((0.0..=1.0).contains(&p), "probability {p}");
    }
    let shares = &o.company.outcomes;
    let sum = shares.ipo + shares.acquisition + shares.failure + shares.private;
    prop_assert!((sum - 1.0).abs() < 1e-12, "outcome shares sum to {sum}");
    for offer in [&o.offer, &o.alternative] {
        for summary in [&offer.total, &offer.equity] {
            let p = &summary.percentiles;
            let q = [p.p1, p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95, p.p99];
            prop_assert!(q.windows(2).all(|w| w[0] <= w[1]), "percentiles {q:?}");
            prop_assert!(summary.expected_shortfall_10 <= p.p10 + 1e-9 * p.p10.abs().max(1.0));
            prop_assert!(summary.sd >= 0.0 && summary.std_error >= 0.0);
            if let Some(ce) = summary.certainty_equivalent {
                // Risk aversion never values a gamble above its mean.
                prop_assert!(
                    ce <= summary.mean + 1e-9 * summary.mean.abs().max(1.0),
                    "CE {ce} above the mean {}",
                    summary.mean
                );
            }
        }
    }
    if let Some(m) = &o.company.exit_multiple_percentiles {
        let q = [m.p5, m.p25, m.p50, m.p75, m.p95];
        prop_assert!(q.windows(2).all(|w| w[0] <= w[1]) && q[0] >= 0.0, "{q:?}");
    }
    if let Some(t) = o.company.median_time_to_liquidity {
        prop_assert!(t >= 0.0);
    }
    Ok(())
}

/// Whether the output at dotted `path` is an amount of money.
fn is_money(path: &str) -> bool {
    (path.starts_with("offer.") || path.starts_with("alternative.")) && !path.contains(".p_")
        || path.starts_with("comparison.mean_difference")
        || path.starts_with("comparison.difference_percentiles")
}

fn compare_scaled(path: &str, a: &Value, b: &Value, k: f64, problems: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, va) in x {
                let p = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match y.get(key) {
                    Some(vb) => compare_scaled(&p, va, vb, k, problems),
                    None => problems.push(format!("{p} missing")),
                }
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let expected = if is_money(path) { k * x } else { x };
            if (y - expected).abs() > 1e-9 * expected.abs().max(1e-300) + 1e-300 {
                problems.push(format!("{path}: {y} vs {expected}"));
            }
        }
        (x, y) if x == y => {}
        (x, y) => problems.push(format!("{path}: {x} vs {y}")),
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Finite outputs, probabilities in [0, 1], ordered percentiles.
    #[test]
    fn outputs_are_finite_ordered_and_probabilities(p in params()) {
        let s = build(&p);
        let sim = simulate(&s);
        check_outputs(&outputs(&s, &sim))?;
    }

    /// Scaling every amount of money (valuation, preference stack, base,
    /// sign-on, grants, absolute refresh grants, outside wealth, the pay
    /// after leaving) by `k` scales every money output by `k`, the
    /// certainty equivalent included (CRRA utility is homogeneous), and
    /// changes nothing else.
    #[test]
    fn money_is_homogeneous(p in params(), k in prop_oneof![0.001f64..1.0, 1.0f64..1000.0]) {
        let s = build(&p);
        let mut t = s.clone();
        t.company.valuation *= k;
        t.company.preference_stack *= k;
        t.offer.base *= k;
        t.offer.sign_on *= k;
        t.offer.equity.grant *= k;
        for r in &mut t.offer.equity.refresh {
            if let RefreshAmount::Grant(a) = &mut r.amount {
                *a *= k;
            }
        }
        t.alternative.base *= k;
        t.alternative.sign_on *= k;
        t.alternative.equity.grant *= k;
        t.employee.outside_wealth *= k;
        t.employee.base_after_leaving *= k;
        let (a, b) = (outputs(&s, &simulate(&s)), outputs(&t, &simulate(&t)));
        let mut problems = Vec::new();
        compare_scaled(
            "",
            &serde_json::to_value(&a).unwrap(),
            &serde_json::to_value(&b).unwrap(),
            k,
            &mut problems,
        );
        prop_assert!(problems.is_empty(), "k = {k}: {}", problems.join("; "));
    }

    /// More option-pool dilution lowers every path's private equity (a
    /// holding only shrinks): checked path by path, with a fixed exercise
    /// rule ([`with_a_fixed_exercise_rule`]).
    #[test]
    fn more_pool_dilution_never_raises_the_offer(p in params(), more in 0.001f64..0.5) {
        let s = with_a_fixed_exercise_rule(&p);
        let mut t = s.clone();
        t.company.rounds.pool_per_year = (s.company.rounds.pool_per_year + more).min(0.99);
        let (a, b) = (offer_totals(&simulate(&s)), offer_totals(&simulate(&t)));
        assert_pathwise_not_higher(&a, &b, "pool dilution")?;
    }

    /// More funding rounds, or larger ones, never raise the offer's mean.
    /// Not path by path: a higher rate moves round dates (across refresh
    /// dates) and a larger mean changes the Beta draws; paired difference.
    #[test]
    fn more_round_dilution_never_raises_the_offer(
        p in params(),
        more_rounds in 0.0f64..3.0,
        larger in 0.0f64..0.4,
    ) {
        let s = with_a_fixed_exercise_rule(&p);
        let mut t = s.clone();
        let r = &mut t.company.rounds;
        r.per_year += more_rounds;
        let sd_share = r.dilution_sd / (r.dilution_mean * (1.0 - r.dilution_mean)).sqrt();
        r.dilution_mean = (r.dilution_mean + larger).min(0.95);
        r.dilution_sd = sd_share * (r.dilution_mean * (1.0 - r.dilution_mean)).sqrt();
        let (a, b) = (offer_totals(&simulate(&s)), offer_totals(&simulate(&t)));
        assert_not_higher(&a, &b, "round dilution")?;
    }

    /// A higher flat illiquidity discount scales every path's private
    /// proceeds down (exercise costs are never discounted): path by path.
    #[test]
    fn a_higher_flat_discount_never_raises_the_offer(p in params(), low in 0.0f64..0.9, step in 0.0f64..0.5) {
        let mut s = build(&p);
        s.employee.illiquidity = Illiquidity::Flat { discount: low };
        let mut t = s.clone();
        t.employee.illiquidity = Illiquidity::Flat { discount: (low + step).min(1.0) };
        let (a, b) = (offer_totals(&simulate(&s)), offer_totals(&simulate(&t)));
        assert_pathwise_not_higher(&a, &b, "flat discount")?;
    }

    /// A higher failure hazard never raises the offer's mean (paired
    /// difference: exit times and types change on many paths).
    ///
    /// In the model's competing risks (total hazard `-ln(1 - p)`, split in
    /// proportion to the annual probabilities), a higher failure
    /// probability also brings every exit a little earlier and raises the
    /// IPO and acquisition hazards slightly. Where an earlier exit is worth
    /// more (a drift below the discount rate, or a Finnerty or Chaffe
    /// discount that shrinks with the time to liquidity), that can outweigh
    /// the extra failures for small steps. And with options exercised on
    /// departure, an earlier failure can spare the person a strike paid in
    /// cash for shares worth less (a failure before the exercise window
    /// closes costs nothing), which raises the mean. The property holds
    /// where no path pays an exercise cost, value grows at least as fast
    /// as it is discounted and illiquidity does not depend on the exit
    /// date: what these cases draw.
    #[test]
    fn more_failure_hazard_never_raises_the_offer(p in params(), more in 0.02f64..0.3) {
        let mut s = without_exercise_costs(&p);
        s.company.drift = s.company.drift.max(s.simulation.discount_rate);
        if matches!(s.employee.illiquidity, Illiquidity::Finnerty | Illiquidity::Chaffe) {
            s.employee.illiquidity = Illiquidity::None;
        }
        let e = &s.company.exit;
        let room = 0.99 - (e.ipo_per_year + e.acquisition_per_year + e.failure_per_year);
        prop_assume!(room > 0.02);
        let mut t = s.clone();
        t.company.exit.failure_per_year += more.min(room);
        let (a, b) = (offer_totals(&simulate(&s)), offer_totals(&simulate(&t)));
        assert_not_higher(&a, &b, "failure hazard")?;
    }
}

/// `p` with a fixed rule on departure: more dilution can turn an exercise
/// in the money on the day of leaving (that later pays back less than its
/// strike) into a lapse, which raises that path; the dilution properties
/// hold for a rule that does not look at the value.
fn with_a_fixed_exercise_rule(p: &Params) -> Scenario {
    let mut s = build(p);
    if s.offer.equity.exercise_on_departure == ExerciseRule::IfInTheMoney {
        s.offer.equity.exercise_on_departure = ExerciseRule::Always;
    }
    s
}

/// `p` without exercise costs: RSUs, or options that lapse on departure.
fn without_exercise_costs(p: &Params) -> Scenario {
    let mut s = build(p);
    s.offer.equity.exercise_on_departure = ExerciseRule::Never;
    s
}

proptest! {
    #![proptest_config(config(24))]

    /// Where no path pays an exercise cost, a larger grant raises the
    /// offer's total on every path (same seed, same draws), so it never
    /// lowers any criterion.
    #[test]
    fn more_grant_never_lowers_a_criterion(p in params(), more in 1.0f64..5e5) {
        let s = without_exercise_costs(&p);
        let mut t = s.clone();
        t.offer.equity.grant += more;
        let sa = simulate(&s);
        let sb = simulate(&t);
        prop_assert!(sa.records.iter().all(|r| r.offer_equity_per_grant >= 0.0));
        let (a, b) = (offer_totals(&sa), offer_totals(&sb));
        assert_pathwise_not_higher(&b, &a, "more grant")?;
        let prefs = Preferences::of(&s);
        for c in CRITERIA {
            let (x, y) = (criterion_value(c, &a, prefs), criterion_value(c, &b, prefs));
            if let (Some(x), Some(y)) = (x, y) {
                prop_assert!(y >= x - 1e-9 * x.abs().max(1.0), "{c}: {x} then {y}");
            }
        }
    }

    /// The floor solver's answer meets its criterion: a new simulation at
    /// the floor grant (same seed) reaches the alternative's value, and
    /// where the criterion rises steadily with the grant, a grant 0.1%
    /// below the floor does not exceed it.
    #[test]
    fn the_floor_meets_its_criterion(p in params()) {
        let s = build(&p);
        let sim = simulate(&s);
        let prefs = Preferences::of(&s);
        let problem = FloorProblem::new(&sim, prefs);
        for c in CRITERIA {
            let floor = problem.floor(c, SolveFor::Grant);
            let (Some(g), Some(target)) = (floor.value, floor.target) else { continue };
            let mut t = s.clone();
            t.offer.equity.grant = g;
            let at_floor = criterion_value(c, &offer_totals(&simulate(&t)), prefs);
            let tolerance = 1e-6 * target.abs().max(1.0);
            prop_assert!(
                at_floor.is_some_and(|v| v >= target - tolerance),
                "{c}: at the floor {g} the offer gives {at_floor:?}, the alternative {target}"
            );
            if floor.monotone && g > 1.0 {
                t.offer.equity.grant = g * 0.999;
                let below = criterion_value(c, &offer_totals(&simulate(&t)), prefs);
                prop_assert!(
                    below.is_none_or(|v| v <= target + tolerance),
                    "{c}: below the floor ({}) the offer already gives {below:?} >= {target}",
                    g * 0.999
                );
            }
        }
    }

    /// The floor never falls as the flat illiquidity discount rises: the
    /// offer's total falls on every path at every grant, so a criterion
    /// that reaches the alternative's at some grant under the higher
    /// discount reaches it at that grant under the lower one.
    #[test]
    fn the_floor_never_falls_as_the_discount_rises(p in params(), low in 0.0f64..0.8, step in 0.01f64..0.2) {
        let mut s = build(&p);
        s.employee.illiquidity = Illiquidity::Flat { discount: low };
        let mut t = s.clone();
        t.employee.illiquidity = Illiquidity::Flat { discount: low + step };
        let prefs = Preferences::of(&s);
        let a = FloorProblem::new(&simulate(&s), prefs);
        let b = FloorProblem::new(&simulate(&t), prefs);
        for c in CRITERIA {
            let (fa, fb) = (a.floor(c, SolveFor::Grant).value, b.floor(c, SolveFor::Grant).value);
            match (fa, fb) {
                (Some(x), Some(y)) => prop_assert!(
                    y >= x * (1.0 - 1e-6) - 1e-6,
                    "{c}: {x} at {low}, {y} at {}", low + step
                ),
                (None, Some(y)) => prop_assert!(false, "{c}: unreachable at {low}, {y} at {}", low + step),
                _ => {}
            }
        }
    }
}
