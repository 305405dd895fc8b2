//! The engine against closed forms of the model, within Monte Carlo error.
//!
//! Each check compares a sample mean with its exact expectation and fails
//! beyond 4 standard errors (a false alarm about once in 16,000 runs of a
//! check; the seeds are fixed, so a run is reproducible either way).

use equisim::engine::{self, PathRecord, RunOptions};
use equisim::model::cash::pay_factor;
use equisim::model::company::Outcome;
use equisim::model::illiquidity::finnerty;
use equisim::scenario::{self, Scenario};
use equisim::stats::mean_sd;

const PATHS: u64 = 200_000;

/// A scenario from the required fields plus `extra` TOML.
fn scenario(extra: &str) -> Scenario {
    let mut table: toml::Table = toml::from_str(extra).expect("test TOML");
    let defaults: toml::Table = toml::from_str(&format!(
        "name = \"closed form\"\n[simulation]\npaths = {PATHS}\nseed = 11\n\
         [company]\nvaluation = 1e9\n[offer]\nbase = 100_000\n[offer.equity]\ngrant = 100_000\n[alternative]\nbase = 100_000\n"
    ))
    .unwrap();
    merge(&mut table, defaults);
    let text = toml::to_string(&table).unwrap();
    scenario::load_str("test.toml", &text, &[])
        .expect("valid scenario")
        .scenario
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (Some(_), _) => {}
            (None, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn run(s: &Scenario) -> Vec<PathRecord> {
    engine::simulate(s, &RunOptions::default()).unwrap().records
}

/// Asserts `|mean - expected| <= 4 se` (or exact equality when se is 0).
fn assert_mean(values: &[f64], expected: f64, what: &str) {
    let (mean, sd) = mean_sd(values);
    let se = sd / (values.len() as f64).sqrt();
    let tolerance = (4.0 * se).max(1e-9 * expected.abs().max(1.0));
    assert!(
        (mean - expected).abs() <= tolerance,
        "{what}: mean {mean} vs closed form {expected} (se {se}, off by {:.2} se)",
        (mean - expected) / se
    );
}

/// Σ_j tranche_j · f(t_j) for a schedule from 0.
fn over_events(years: f64, cliff: f64, months: f64, f: impl Fn(f64) -> f64) -> f64 {
    let s = equisim::model::vesting::Schedule {
        start: 0.0,
        years,
        cliff_years: cliff,
        every_months: months,
    };
    (1..=s.events())
        .map(|j| s.tranche(j) * f(s.event_time(j)))
        .sum()
}

#[test]
fn public_rsus_without_attrition() {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.0\n[alternative.equity]\ngrant = 400_000\nstock = { drift = 0.09, volatility = 0.35 }\n",
    );
    let r = s.simulation.discount_rate;
    let expected = 400_000.0 * over_events(4.0, 1.0, 3.0, |t| ((0.09 - r) * t).exp());
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    assert_mean(&rsu, expected, "E[RSU PV]");
}

#[test]
fn public_rsus_with_attrition_and_a_refresh() {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.2\n[alternative.equity]\ngrant = 400_000\nstock = { drift = 0.05, volatility = 0.3 }\n\
         [[alternative.equity.refresh]]\nat_years = 1.5\nprobability = 0.6\ngrant = 80_000\n",
    );
    let r = s.simulation.discount_rate;
    let lambda = -(1.0f64 - 0.2).ln();
    // Shares of a grant made at s are sold at t_j while employed (P = e^{-λ t_j}).
    let initial = 400_000.0 * over_events(4.0, 1.0, 3.0, |t| ((0.05 - r - lambda) * t).exp());
    let refresh = 0.6
        * 80_000.0
        * over_events(4.0, 0.0, 3.0, |u| {
            let t = 1.5 + u;
            if t > 4.0 + 1e-9 {
                0.0
            } else {
                (0.05 * u - (r + lambda) * t).exp()
            }
        });
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    assert_mean(
        &rsu,
        initial + refresh,
        "E[RSU PV] with attrition and refresh",
    );
}

#[test]
fn cash_pay_with_attrition() {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.25\n[alternative]\nbase = 150_000\nbonus_rate = 0.1\nsign_on = 20_000\n",
    );
    let r = s.simulation.discount_rate;
    let lambda = -(1.0f64 - 0.25).ln();
    let w = 4.0;
    // E[(1 - e^{-rE})/r] = ∫_0^W e^{-(r+λ)t} dt; a bonus at k needs E >= k.
    let base = 150_000.0 * (1.0 - (-(r + lambda) * w).exp()) / (r + lambda);
    let bonus: f64 = (1..=4)
        .map(|k| 0.1 * 150_000.0 * (-(r + lambda) * k as f64).exp())
        .sum();
    let records = run(&s);
    let cash: Vec<f64> = records
        .iter()
        .map(|p| 20_000.0 + 150_000.0 * pay_factor(p.employed_years, r, 0.1))
        .collect();
    assert_mean(&cash, 20_000.0 + base + bonus, "E[cash PV]");
    let left = records.iter().filter(|p| p.employed_years < w).count() as f64 / PATHS as f64;
    let p = 1.0 - (-lambda * w).exp();
    assert!(
        (left - p).abs() < 4.0 * (p * (1.0 - p) / PATHS as f64).sqrt(),
        "{left} vs {p}"
    );
}

/// Volatility 0, no dilution, no discounting, a near-certain IPO: the
/// private equity is the same number on every path.
#[test]
fn deterministic_private_value() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.0\nipo_per_year = 0.999999\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\n\
         ipo_multiple = { median = 1.7, sigma = 0.0 }\nlockup_volatility = 0.0\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.4\n",
    );
    let records = run(&s);
    let exact = 100_000.0 * (1.7 - 0.4);
    for p in records.iter().take(1000) {
        assert!(
            (p.offer_equity - exact).abs() < 1e-6,
            "{} vs {exact}",
            p.offer_equity
        );
        assert_eq!(p.outcome, Outcome::Ipo);
    }
    // With discounting, only the exit time is random: E[e^{-r(T+L)}] = e^{-r(e+L)} h/(h+r).
    let mut s = s;
    s.simulation.discount_rate = 0.05;
    let h = -(1.0f64 - 0.999999).ln();
    let expected = exact * (-0.05 * (0.0 + 0.5f64)).exp() * h / (h + 0.05);
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "discounted deterministic IPO");
}

#[test]
fn acquisition_pays_common_after_preferences() {
    // V0 = 1e9, certain acquisition at 0.6 x: V = 6e8, P = 4e8, q = 0.5:
    // preferred take max(P, qV) = 4e8, common share 2e8 / (1 - q).
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\npreference_stack = 4e8\npreferred_fraction = 0.5\n\
         [company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.0\nipo_per_year = 0.0\nacquisition_per_year = 0.999999\nfailure_per_year = 0.0\n\
         acquisition_multiple = { median = 0.6, sigma = 0.0 }\n",
    );
    let exact = 100_000.0 / 1e9 * 2e8 / 0.5;
    for p in run(&s).iter().take(1000) {
        assert!(
            (p.offer_equity - exact).abs() < 1e-6,
            "{} vs {exact}",
            p.offer_equity
        );
    }
}

#[test]
fn exit_type_shares() {
    let s = scenario(
        "[company.exit]\nearliest_years = 1.0\nipo_per_year = 0.08\nacquisition_per_year = 0.06\nfailure_per_year = 0.04\n",
    );
    let records = run(&s);
    let p = 0.18f64;
    let by_horizon = 1.0 - (-(-(1.0 - p).ln()) * (10.0 - 1.0)).exp();
    let expected = [
        (Outcome::Ipo, 0.08 / p * by_horizon),
        (Outcome::Acquisition, 0.06 / p * by_horizon),
        (Outcome::Failure, 0.04 / p * by_horizon),
        (Outcome::Private, 1.0 - by_horizon),
    ];
    for (outcome, share) in expected {
        let hits: Vec<f64> = records
            .iter()
            .map(|r| (r.outcome == outcome) as u8 as f64)
            .collect();
        assert_mean(&hits, share, outcome.name());
    }
}

/// No exit ever: a secondary sale at the horizon of a diluted holding, so
/// the mean equity carries `E[F(0, H)] = exp(-(per_year · dilution_mean + pool) H)`.
#[test]
fn mean_dilution_factor() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.8\ndilution_mean = 0.15\ndilution_sd = 0.08\npool_per_year = 0.02\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.3\n",
    );
    let expected = 100_000.0 * 0.7 * (-(0.8 * 0.15 + 0.02) * 10.0f64).exp();
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "E[F(0, H)] G (1 - secondary discount)");
}

/// Options on a company that stays private: the strike is paid on leaving
/// (no window reaches the horizon), or at the event by cashless exercise;
/// with no discounting both give `v G (k - strike)` per path.
#[test]
fn options_exercised_on_departure_or_forfeited() {
    let base = "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.3\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.3\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.2\n";
    let lambda = -(1.0f64 - 0.3).ln();
    let vested = over_events(4.0, 1.0, 1.0, |t| (-lambda * t).exp());
    let s = scenario(&format!("{base}exercise_on_departure = true\n"));
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(
        &equity,
        100_000.0 * (0.7 - 0.2) * vested,
        "exercise on departure",
    );

    let s = scenario(&format!("{base}exercise_on_departure = false\n"));
    let stays = (-lambda * 4.0).exp();
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(
        &equity,
        100_000.0 * (0.7 - 0.2) * stays,
        "forfeited on departure",
    );
}

/// A failure after the person left: the exercise cost is lost, and the
/// equity's proceeds are 0 on every path.
#[test]
fn exercise_cost_lost_on_failure() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.3\nilliquidity = { method = \"none\" }\n\
         [company.exit]\nearliest_years = 5.0\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.999999\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.35\n",
    );
    let lambda = -(1.0f64 - 0.3).ln();
    let w = 4.0;
    let expected = -0.35
        * 100_000.0
        * over_events(4.0, 1.0, 1.0, |t| (-lambda * t).exp() - (-lambda * w).exp());
    let records = run(&s);
    assert!(records.iter().all(|p| p.equity_pays_zero));
    let equity: Vec<f64> = records.iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "exercise cost paid before a failure");
}

/// Full acceleration on an acquisition before leaving vests everything.
#[test]
fn acceleration_on_acquisition() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.5\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.5\nipo_per_year = 0.0\nacquisition_per_year = 0.999999\nfailure_per_year = 0.0\n\
         acquisition_multiple = { median = 1.0, sigma = 0.0 }\n[offer.equity]\nacceleration_on_acquisition = 1.0\n",
    );
    // Everything vests iff D > T; P(D > T) = e^{-λ e} h / (h + λ).
    let lambda = -(1.0f64 - 0.5).ln();
    let h = -(1.0f64 - 0.999999).ln();
    let expected = 100_000.0 * (-lambda * 0.5).exp() * h / (h + lambda);
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "accelerated vesting");
}

/// Finnerty's discount applied at the path's time to liquidity: private
/// at the horizon, so `τ = H` on every path and `E[V_H] = V0 e^{μH}`.
#[test]
fn finnerty_discount_at_the_horizon() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"finnerty\" }\n\
         [company]\nvolatility = 0.4\ndrift = 0.05\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.2\n",
    );
    let expected = 100_000.0 * 0.8 * (0.05f64 * 10.0).exp() * (1.0 - finnerty(0.4, 10.0));
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "Finnerty-discounted secondary sale");
}

/// A refresh priced at the simulated valuation: `R / V_s` of the company,
/// granted only while employed, private and with its probability.
#[test]
fn private_refresh_priced_at_simulated_value() {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.5\ndrift = 0.1\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.0\n\
         [offer.equity]\ngrant = 0\n[[offer.equity.refresh]]\nat_years = 2.0\nprobability = 0.5\ngrant = 40_000\n",
    );
    // Half the refresh vests by W = 4; it is worth (R / V_2) V_10 at H:
    // E = p · 0.5 · R · e^{μ (10 - 2)}.
    let expected = 0.5 * 0.5 * 40_000.0 * (0.1f64 * 8.0).exp();
    let equity: Vec<f64> = run(&s).iter().map(|p| p.offer_equity).collect();
    assert_mean(&equity, expected, "refresh at the simulated valuation");
}
