//! Taxes (tax.md) on deterministic paths: no volatility, no rounds, the
//! company private at the horizon (or failing), so that every path's
//! after-tax total follows from its departure date alone and is computed
//! here by hand from the rules, to 1e-9 relative. Then the identities:
//! every rate 0 gives the pre-tax run digit for digit, one rate `t` on
//! RSUs gives `(1 - t)` times every total.

use crate::common;
use equisim::engine::{self, PathRecord, RunOptions};
use equisim::model::company::Outcome;
use equisim::scenario::Scenario;
use equisim::stats::{Outputs, Preferences, total};

const PATHS: u64 = 20_000;
const SEED: u64 = 3;

// The rates of the deterministic scenarios, all different so that a rate
// used in the wrong place shows.
const PAY: f64 = 0.4;
const ORDINARY: f64 = 0.45;
const QUALIFIED: f64 = 0.5;
const CAPITAL_GAIN: f64 = 0.3;
const SHORT_GAIN: f64 = 0.42;
const AMT: f64 = 0.28;
const BSPCE: f64 = 0.314;
const BSPCE_SHORT: f64 = 0.486;
const FREE_SHARES: f64 = 0.336;

// The deterministic world.
const R: f64 = 0.04;
const MU: f64 = 0.1;
const W: f64 = 4.0;
const H: f64 = 10.0;
const SECONDARY: f64 = 0.3;
const ILLIQUIDITY: f64 = 0.2;
const GRANT: f64 = 100_000.0;
const STRIKE: f64 = 0.5;
const BASE: f64 = 100_000.0;
const AFTER: f64 = 50_000.0;
const ALT_BASE: f64 = 90_000.0;
const ALT_GRANT: f64 = 50_000.0;
const ALT_MU: f64 = 0.05;

/// The scenario: `equity` is the `[offer.equity]` lines beyond the grant,
/// `exit` the `[company.exit]` rates.
fn deterministic(equity: &str, exit: &str, alternative_treatment: &str) -> Scenario {
    common::scenario(
        &format!(
            "[simulation]\ndiscount_rate = {R}\nwindow_years = {W}\nhorizon_years = {H}\n\
             [employee]\nattrition_per_year = 0.3\nrisk_aversion = 0\nbase_after_leaving = {AFTER}\n\
             illiquidity = {{ method = \"flat\", discount = {ILLIQUIDITY} }}\n\
             [company]\nvaluation = 1e9\ndrift = {MU}\nvolatility = 0.0\npreference_stack = 0\n\
             [company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
             [company.exit]\nsecondary_discount = {SECONDARY}\n{exit}\n\
             [offer]\nbase = {BASE}\n\
             [offer.equity]\ngrant = {GRANT}\nvesting = {{ years = 4, cliff_years = 1, every_months = 1 }}\n{equity}\n\
             [alternative]\nbase = {ALT_BASE}\n\
             [alternative.equity]\ngrant = {ALT_GRANT}\ntax_treatment = \"{alternative_treatment}\"\n\
             vesting = {{ years = 4, cliff_years = 1, every_months = 3 }}\n\
             stock = {{ drift = {ALT_MU}, volatility = 0.0 }}\n\
             [tax]\npay = {PAY}\nordinary = {ORDINARY}\nqualified_spread = {QUALIFIED}\n\
             capital_gain = {CAPITAL_GAIN}\nshort_gain = {SHORT_GAIN}\nlong_term_years = 1.0\n\
             amt = {AMT}\nbspce = {BSPCE}\nbspce_short = {BSPCE_SHORT}\nbspce_seniority_years = 3.0\n\
             free_shares = {FREE_SHARES}\n"
        ),
        PATHS,
        SEED,
    )
}

const NO_EXIT: &str = "ipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0";

/// The share of a 4-year grant with a 1-year cliff vested after `t`
/// years, monthly.
fn vested(t: f64) -> f64 {
    let months = (12.0 * t + 1e-9).floor();
    if months < 12.0 {
        0.0
    } else {
        (months / 48.0).min(1.0)
    }
}

/// The after-tax cash pay of a path employed `e` years: base while
/// employed, the pay after leaving until `W`.
fn pay(e: f64, base: f64) -> f64 {
    let while_employed = (1.0 - (-R * e).exp()) / R;
    let after = ((-R * e).exp() - (-R * W).exp()) / R;
    (1.0 - PAY) * (base * while_employed + AFTER * after)
}

/// The public RSUs after tax at `rate`: quarterly tranches after the
/// one-year cliff (a quarter of the grant at the cliff), each sold at its
/// vest date at `e^{μ' t}`.
fn public_rsus(e: f64, rate: f64) -> f64 {
    let mut pv = 0.0;
    for j in 4..=16 {
        let t = j as f64 / 4.0;
        if t > e + 1e-9 {
            break;
        }
        let tranche = if j == 4 { 0.25 } else { 1.0 / 16.0 };
        pv += ALT_GRANT * tranche * ((ALT_MU - R) * t).exp();
    }
    (1.0 - rate) * pv
}

fn close(what: &str, got: f64, expected: f64) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: {got} against {expected} by hand"
    );
}

/// Checks every path's equity and both totals against `offer_equity(e)`
/// (the private equity after tax, by hand, for a path employed `e` years
/// and its record), and the alternative against the public RSUs.
fn check_by_hand(
    s: &Scenario,
    alternative_rate: f64,
    mut offer_equity: impl FnMut(f64, &PathRecord) -> f64,
) {
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    let m = &sim.plan.model;
    let (mut left, mut stayed) = (0, 0);
    for p in &sim.records {
        let e = p.employed_years;
        let equity = offer_equity(e, p);
        close(&format!("offer equity at E = {e}"), p.offer_equity, equity);
        close(
            &format!("offer total at E = {e}"),
            total(p, m, &m.offer.pay, p.offer_equity),
            pay(e, BASE) + equity,
        );
        let rsus = public_rsus(e, alternative_rate);
        close(
            &format!("public RSUs at E = {e}"),
            p.alternative_equity,
            rsus,
        );
        close(
            &format!("alternative total at E = {e}"),
            total(p, m, &m.alternative.pay, p.alternative_equity),
            pay(e, ALT_BASE) + rsus,
        );
        if e < W { left += 1 } else { stayed += 1 }
    }
    assert!(left > 1000 && stayed > 1000, "{left} left, {stayed} stayed");
}

/// What the private grant pays at the horizon, gross: `v G e^{μH} (1 - s)`.
fn gross_at_horizon(e: f64) -> f64 {
    vested(e) * GRANT * (MU * H).exp() * (1.0 - SECONDARY)
}

/// Today's value of what is left at the horizon after its tax.
fn at_horizon(after_tax: f64) -> f64 {
    after_tax * (-R * H).exp() * (1.0 - ILLIQUIDITY)
}

#[test]
fn private_rsus_and_free_shares() {
    let s = deterministic("instrument = \"rsu\"", NO_EXIT, "free_shares");
    check_by_hand(&s, FREE_SHARES, |e, _| {
        at_horizon(gross_at_horizon(e) * (1.0 - ORDINARY))
    });
}

/// Options exercised at the event (the exercise window outlasts the
/// horizon): the spread at the exercise-gain rate of each treatment, the
/// BSPCE's by seniority at the sale, `min(D, τ)`, either side of 3 years.
#[test]
fn options_exercised_at_the_event() {
    for treatment in ["nso", "iso", "bspce", "qualified_options"] {
        let s = deterministic(
            &format!(
                "instrument = \"options\"\nstrike_ratio = {STRIKE}\nexercise_window_years = 100\n\
                 tax_treatment = \"{treatment}\""
            ),
            NO_EXIT,
            "rsu",
        );
        check_by_hand(&s, ORDINARY, |e, _| {
            let spread = (gross_at_horizon(e) - STRIKE * GRANT * vested(e)).max(0.0);
            // Seniority at the sale: D for a leaver, more than W for the
            // others (D ≥ W; the sale is at H).
            at_horizon(spread * (1.0 - event_rate(treatment, e)))
        });
    }
}

/// The rate on an option's spread when it is exercised and sold at the
/// event, by treatment: income for NSOs and ISOs (a same-day sale is a
/// disqualifying disposition), BSPCE by the seniority at the sale, the
/// qualified-option rate.
fn event_rate(treatment: &str, seniority: f64) -> f64 {
    match treatment {
        "bspce" if seniority >= 3.0 => BSPCE,
        "bspce" => BSPCE_SHORT,
        "qualified_options" => QUALIFIED,
        _ => ORDINARY,
    }
}

/// The tax at a cash exercise on leaving and at the sale, by hand.
struct CashExercise {
    /// The strike and the tax paid at `D`, in cash.
    strike: f64,
    paid: f64,
    /// The tax at the sale, after any AMT credit.
    at_sale: f64,
}

fn cash_exercise(treatment: &str, d: f64, sale: f64, proceeds: f64) -> CashExercise {
    let v = vested(d);
    let strike = STRIKE * GRANT * v;
    let value_then = v * GRANT * (MU * d).exp();
    let s_d = (value_then - strike).max(0.0);
    let spread = (proceeds - strike).max(0.0);
    let exercise_gain = s_d.min(spread);
    let sale_gain = (proceeds - strike.max(value_then)).max(0.0);
    let held = sale - d;
    let gain_rate = if held >= 1.0 {
        CAPITAL_GAIN
    } else {
        SHORT_GAIN
    };
    let (paid, at_sale) = match treatment {
        "nso" => (ORDINARY * s_d, gain_rate * sale_gain),
        "iso" => {
            let amt = AMT * s_d;
            let tax = if held >= 1.0 && sale >= 2.0 {
                CAPITAL_GAIN * spread
            } else {
                ORDINARY * exercise_gain + gain_rate * (spread - exercise_gain)
            };
            (amt, tax - amt.min(tax))
        }
        "bspce" => {
            let rate = if d >= 3.0 { BSPCE } else { BSPCE_SHORT };
            (0.0, rate * exercise_gain + CAPITAL_GAIN * sale_gain)
        }
        "qualified_options" => (0.0, QUALIFIED * exercise_gain + CAPITAL_GAIN * sale_gain),
        _ => unreachable!(),
    };
    CashExercise {
        strike,
        paid,
        at_sale,
    }
}

/// Options exercised in cash on leaving (the window closes at once) and
/// sold at the horizon; those who stay exercise at the event.
#[test]
fn options_exercised_in_cash_on_leaving() {
    for treatment in ["nso", "iso", "bspce", "qualified_options"] {
        let s = deterministic(
            &format!(
                "instrument = \"options\"\nstrike_ratio = {STRIKE}\nexercise_window_years = 0\n\
                 exercise_on_departure = \"always\"\ntax_treatment = \"{treatment}\""
            ),
            NO_EXIT,
            "rsu",
        );
        check_by_hand(&s, ORDINARY, |e, _| {
            let x = gross_at_horizon(e);
            if e >= W {
                let spread = (x - STRIKE * GRANT).max(0.0);
                return at_horizon(spread * (1.0 - event_rate(treatment, e)));
            }
            let c = cash_exercise(treatment, e, H, x);
            at_horizon(x - c.at_sale) - (c.strike + c.paid) * (-R * e).exp()
        });
    }
}

/// A failure after a cash exercise loses the strike and the tax paid
/// then (the NSO and AMT trap); a failure before leaving costs nothing.
#[test]
fn a_failure_after_a_cash_exercise_loses_the_tax_paid() {
    for treatment in ["nso", "iso", "bspce"] {
        let s = deterministic(
            &format!(
                "instrument = \"options\"\nstrike_ratio = {STRIKE}\nexercise_window_years = 0\n\
                 exercise_on_departure = \"always\"\ntax_treatment = \"{treatment}\""
            ),
            "ipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.3\nearliest_years = 0.0",
            "rsu",
        );
        let mut exercised = 0;
        check_by_hand(&s, ORDINARY, |e, p| {
            let x = gross_at_horizon(e);
            match (p.outcome, p.exercised_on_departure()) {
                // The company failed: after a cash exercise, what was paid
                // is lost; otherwise nothing was paid.
                (Outcome::Failure, true) => {
                    exercised += 1;
                    let c = cash_exercise(treatment, e, H, 0.0);
                    assert_eq!(c.at_sale, 0.0);
                    -(c.strike + c.paid) * (-R * e).exp()
                }
                (Outcome::Failure, false) => 0.0,
                // Still private at the horizon: sold there.
                (_, true) => {
                    let c = cash_exercise(treatment, e, H, x);
                    at_horizon(x - c.at_sale) - (c.strike + c.paid) * (-R * e).exp()
                }
                (_, false) => {
                    let spread = (x - STRIKE * GRANT * vested(e)).max(0.0);
                    at_horizon(spread * (1.0 - event_rate(treatment, e)))
                }
            }
        });
        assert!(exercised > 500, "{treatment}: {exercised} paths exercised");
    }
}

fn outputs(s: &Scenario) -> Outputs {
    let sim = engine::simulate(s, &RunOptions::default()).unwrap();
    Outputs::compute(&sim, Preferences::of(s), ("o", "a")).unwrap()
}

fn paris(extra: &[(&str, &str)]) -> Scenario {
    use equisim::scenario::{self, Override};
    let path = common::shipped("hf-paris-ask.toml");
    let mut overrides = vec![Override::parse("simulation.paths=60000").unwrap()];
    for (field, value) in extra {
        overrides.push(Override::parse(&format!("{field}={value}")).unwrap());
    }
    scenario::load_file(&path, &overrides).unwrap().scenario
}

/// With every rate 0 the results equal the pre-tax ones digit for digit,
/// with options decided in the money, tenders and the floors.
#[test]
fn every_rate_zero_is_the_pre_tax_run() {
    let plain = paris(&[("company.tender.per_year", "0.5")]);
    let taxed = paris(&[
        ("company.tender.per_year", "0.5"),
        ("tax.preset", "\"none\""),
        ("offer.equity.tax_treatment", "\"iso\""),
    ]);
    let (a, mut b) = (outputs(&plain), outputs(&taxed));
    let t = b.taxes.take().expect("taxes reported");
    assert_eq!(t.offer.total, 0.0);
    assert_eq!(a, b);
    use equisim::scenario::{Criterion, SolveFor};
    let criteria = [
        Criterion::Mean,
        Criterion::Beats(50),
        Criterion::Percentile(10),
        Criterion::CertaintyEquivalent,
    ];
    let floors = |s: &Scenario, solve_for| {
        let sim = engine::simulate(s, &RunOptions::default()).unwrap();
        equisim::decisions::solve_floors(&sim, s, solve_for, &criteria)
    };
    assert_eq!(
        floors(&plain, SolveFor::Base),
        floors(&taxed, SolveFor::Base)
    );
    assert_eq!(
        floors(&plain, SolveFor::Grant),
        floors(&taxed, SolveFor::Grant)
    );
}

/// One rate `t` on everything, RSUs on both sides: every path's total is
/// `(1 - t)` times its pre-tax total, tender sales included.
#[test]
fn one_rate_on_rsus_scales_every_total() {
    let t = 0.37;
    let common = [
        ("offer.equity.instrument", "\"rsu\""),
        ("offer.equity.refresh", "[]"),
        ("company.tender.per_year", "0.5"),
    ];
    let plain = paris(&common);
    let mut with_tax = common.to_vec();
    let rate = t.to_string();
    for field in ["pay", "ordinary", "capital_gain", "short_gain"] {
        with_tax.push((
            Box::leak(format!("tax.{field}").into_boxed_str()),
            rate.as_str(),
        ));
    }
    let taxed = paris(&with_tax);
    let run = |s: &Scenario| engine::simulate(s, &RunOptions::default()).unwrap();
    let (a, b) = (run(&plain), run(&taxed));
    let (ma, mb) = (&a.plan.model, &b.plan.model);
    for (p, q) in a.records.iter().zip(&b.records) {
        for (x, y) in [
            (
                total(p, ma, &ma.offer.pay, p.offer_equity),
                total(q, mb, &mb.offer.pay, q.offer_equity),
            ),
            (
                total(p, ma, &ma.alternative.pay, p.alternative_equity),
                total(q, mb, &mb.alternative.pay, q.alternative_equity),
            ),
        ] {
            assert!(
                (y - (1.0 - t) * x).abs() <= 1e-12 * x.abs().max(1.0),
                "{y} against (1 - t) {x}"
            );
        }
    }
    assert!(a.records.iter().any(|p| p.tender_proceeds > 0.0));
}
