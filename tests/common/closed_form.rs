//! The engine's closed forms (model sections 3 to 8): each check simulates
//! a scenario whose expectation is known exactly and returns the samples
//! to compare with it. `tests/model.rs` runs them once with many paths;
//! `tests/self_test.rs` at several seeds.

use super::{Comparison, over_events, run, scenario};
use equisim::model::cash::pay_factor;
use equisim::model::company::Outcome;
use equisim::model::illiquidity::finnerty;

/// A closed-form check at a path count and a seed.
pub type Check = fn(u64, u64) -> Vec<Comparison>;

/// Every check, by name.
pub const ALL: [(&str, Check); 17] = [
    (
        "public_rsus_without_attrition",
        public_rsus_without_attrition,
    ),
    (
        "public_rsus_with_attrition_and_a_refresh",
        public_rsus_with_attrition_and_a_refresh,
    ),
    ("cash_pay_with_attrition", cash_pay_with_attrition),
    ("deterministic_private_value", deterministic_private_value),
    (
        "acquisition_pays_common_after_preferences",
        acquisition_pays_common_after_preferences,
    ),
    ("exit_type_shares", exit_type_shares),
    ("mean_dilution_factor", mean_dilution_factor),
    (
        "options_exercised_on_departure_or_forfeited",
        options_exercised_on_departure_or_forfeited,
    ),
    (
        "exercise_cost_lost_on_failure",
        exercise_cost_lost_on_failure,
    ),
    ("acceleration_on_acquisition", acceleration_on_acquisition),
    (
        "finnerty_discount_at_the_horizon",
        finnerty_discount_at_the_horizon,
    ),
    (
        "private_refresh_priced_at_simulated_value",
        private_refresh_priced_at_simulated_value,
    ),
    ("weighted_public_rsus", weighted_public_rsus),
    ("repeating_public_refresh", repeating_public_refresh),
    ("risk_neutral_rsus", risk_neutral_rsus),
    ("risk_neutral_private_value", risk_neutral_private_value),
    ("pay_after_leaving", pay_after_leaving),
];

fn offer_equity(s: &equisim::scenario::Scenario) -> Vec<f64> {
    run(s).iter().map(|p| p.offer_equity).collect()
}

/// `E[RSU PV] = G Σ_j tranche_j e^{(μ' - r) t_j}` without attrition.
pub fn public_rsus_without_attrition(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.0\n[alternative.equity]\ngrant = 400_000\nstock = { drift = 0.09, volatility = 0.35 }\n",
        paths,
        seed,
    );
    let r = s.simulation.discount_rate;
    let expected = 400_000.0 * over_events(4.0, 1.0, 3.0, |t| ((0.09 - r) * t).exp());
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    vec![Comparison::mean("E[RSU PV]", rsu, expected)]
}

/// Uneven vesting (Amazon's 5/15/40/40, quarterly, a one-year cliff) with
/// attrition: each tranche counts if the person is still there,
/// `E[RSU PV] = G Σ_j tranche_j P(D ≥ t_j) e^{(μ' - r) t_j}`, the tranches
/// worked out here from the weights: the cliff at 1 year releases the first
/// year's 5% at once, then each later year's share comes in four equal
/// quarterly tranches.
pub fn weighted_public_rsus(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.2\n[alternative.equity]\ngrant = 400_000\n\
         stock = { drift = 0.09, volatility = 0.35 }\n\
         vesting = { years = 4, cliff_years = 1, every_months = 3, weights = [0.05, 0.15, 0.40, 0.40] }\n",
        paths,
        seed,
    );
    let r = s.simulation.discount_rate;
    let lambda = -(1.0f64 - 0.2).ln();
    let weights = [0.05, 0.15, 0.40, 0.40];
    let mut tranches = vec![(1.0, weights[0])];
    for (year, w) in weights.iter().enumerate().skip(1) {
        for q in 1..=4 {
            tranches.push((year as f64 + q as f64 * 0.25, w / 4.0));
        }
    }
    let expected: f64 = tranches
        .iter()
        .map(|(t, share)| 400_000.0 * share * (-lambda * t).exp() * ((0.09 - r) * t).exp())
        .sum();
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    vec![Comparison::mean("E[weighted RSU PV]", rsu, expected)]
}

/// A refresh that repeats every year from year 1 (`every_years = 1`):
/// grants at 1, 2 and 3 within a 4-year window, each made with probability
/// `p` while the person is there, each buying shares at its date's price:
/// `E = Σ_s A p Σ_{t_j ≤ W} tranche_j e^{μ' (t_j - s) - (r + λ) t_j}`.
pub fn repeating_public_refresh(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.1\n[alternative.equity]\ngrant = 0\n\
         stock = { drift = 0.07, volatility = 0.3 }\n\
         [[alternative.equity.refresh]]\nat_years = 1.0\nevery_years = 1.0\nprobability = 0.6\ngrant = 50_000\n",
        paths,
        seed,
    );
    let r = s.simulation.discount_rate;
    let lambda = -(1.0f64 - 0.1).ln();
    let mut expected = 0.0;
    for grant_date in [1.0, 2.0, 3.0] {
        // The alternative's refresh vesting: 4 years, no cliff, quarterly.
        for j in 1..=16 {
            let t: f64 = grant_date + 0.25 * j as f64;
            if t <= 4.0 + 1e-12 {
                expected +=
                    50_000.0 * 0.6 / 16.0 * (0.07 * (t - grant_date) - (r + lambda) * t).exp();
            }
        }
    }
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    vec![Comparison::mean(
        "E[repeating refresh RSU PV]",
        rsu,
        expected,
    )]
}

/// Under the risk-neutral measure the stock drifts at `r` whatever the
/// scenario says, so each tranche is worth its share of the grant:
/// `E[RSU PV] = G Σ_j tranche_j P(D ≥ t_j)`.
pub fn risk_neutral_rsus(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\nmeasure = \"risk_neutral\"\n[employee]\nattrition_per_year = 0.2\n\
         [alternative.equity]\ngrant = 400_000\nstock = { drift = 0.15, volatility = 0.35 }\n",
        paths,
        seed,
    );
    let lambda = -(1.0f64 - 0.2).ln();
    let expected = 400_000.0 * over_events(4.0, 1.0, 3.0, |t| (-lambda * t).exp());
    let rsu: Vec<f64> = run(&s).iter().map(|p| p.alternative_equity).collect();
    vec![Comparison::mean("E[risk-neutral RSU PV]", rsu, expected)]
}

/// Under the risk-neutral measure the company's value discounted at `r` is
/// a martingale: with no exit, no dilution and the whole grant vested, the
/// secondary sale at the horizon is worth `G (1 - secondary) (1 - flat)`
/// today, whatever the scenario's drift.
pub fn risk_neutral_private_value(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\nmeasure = \"risk_neutral\"\n[employee]\nattrition_per_year = 0.0\n\
         illiquidity = { method = \"flat\", discount = 0.25 }\n\
         [company]\ndrift = 0.5\nvolatility = 0.4\n\
         [company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\n\
         secondary_discount = 0.3\n",
        paths,
        seed,
    );
    let expected = 100_000.0 * (1.0 - 0.3) * (1.0 - 0.25);
    vec![Comparison::mean(
        "E[risk-neutral private equity PV]",
        offer_equity(&s),
        expected,
    )]
}

/// The whole window's cash on the alternative's side: its base while
/// employed, then `b` from leaving (`D < W`) to the window's end:
/// `E = B (1 - e^{-(r+λ)W}) / (r+λ) + (b/r) [λ/(λ+r) (1 - e^{-(λ+r)W}) - e^{-rW} (1 - e^{-λW})]`.
pub fn pay_after_leaving(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.3\nbase_after_leaving = 90_000\n\
         [alternative]\nbase = 150_000\n[alternative.equity]\ngrant = 0\n",
        paths,
        seed,
    );
    let r = s.simulation.discount_rate;
    let lambda = -(1.0f64 - 0.3).ln();
    let w = 4.0;
    let k = r + lambda;
    let employed = 150_000.0 * (1.0 - (-k * w).exp()) / k;
    let after = 90_000.0 / r
        * (lambda / k * (1.0 - (-k * w).exp()) - (-r * w).exp() * (1.0 - (-lambda * w).exp()));
    let model = equisim::model::Model::new(&s);
    let pay = model.alternative.pay;
    let totals: Vec<f64> = run(&s)
        .iter()
        .map(|p| equisim::stats::total(p, &model, &pay, p.alternative_equity))
        .collect();
    vec![Comparison::mean(
        "E[the alternative's cash over the window]",
        totals,
        employed + after,
    )]
}

pub fn public_rsus_with_attrition_and_a_refresh(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.2\n[alternative.equity]\ngrant = 400_000\nstock = { drift = 0.05, volatility = 0.3 }\n\
         [[alternative.equity.refresh]]\nat_years = 1.5\nprobability = 0.6\ngrant = 80_000\n",
        paths,
        seed,
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
    vec![Comparison::mean(
        "E[RSU PV] with attrition and refresh",
        rsu,
        initial + refresh,
    )]
}

pub fn cash_pay_with_attrition(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[employee]\nattrition_per_year = 0.25\n[alternative]\nbase = 150_000\nbonus_rate = 0.1\nsign_on = 20_000\n",
        paths,
        seed,
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
    let left: Vec<f64> = records
        .iter()
        .map(|p| (p.employed_years < w) as u8 as f64)
        .collect();
    vec![
        Comparison::mean("E[cash PV]", cash, 20_000.0 + base + bonus),
        Comparison::mean("P(leaves early)", left, 1.0 - (-lambda * w).exp()),
    ]
}

/// Volatility 0, no dilution, no discounting, a near-certain IPO: the
/// private equity is the same number on every path. With discounting, only
/// the exit time is random: `E[e^{-r(T+L)}] = e^{-r(e+L)} h/(h+r)`.
pub fn deterministic_private_value(paths: u64, seed: u64) -> Vec<Comparison> {
    let mut s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.0\nipo_per_year = 0.999999\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\n\
         ipo_multiple = { median = 1.7, sigma = 0.0 }\nlockup_volatility = 0.0\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.4\n",
        paths,
        seed,
    );
    let records = run(&s);
    let exact = 100_000.0 * (1.7 - 0.4);
    let first: Vec<_> = records.iter().take(1000).collect();
    let equity = first.iter().map(|p| p.offer_equity).collect();
    let ipo = first
        .iter()
        .map(|p| (p.outcome == Outcome::Ipo) as u8 as f64)
        .collect();
    s.simulation.discount_rate = 0.05;
    let h = -(1.0f64 - 0.999999).ln();
    let expected = exact * (-0.05 * (0.0 + 0.5f64)).exp() * h / (h + 0.05);
    vec![
        Comparison::every("deterministic IPO", equity, exact),
        Comparison::every("every path an IPO", ipo, 1.0),
        Comparison::mean("discounted deterministic IPO", offer_equity(&s), expected),
    ]
}

/// V0 = 1e9, certain acquisition at 0.6 x: V = 6e8, P = 4e8, q = 0.5:
/// preferred take max(P, qV) = 4e8, common share 2e8 / (1 - q).
pub fn acquisition_pays_common_after_preferences(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\npreference_stack = 4e8\npreferred_fraction = 0.5\n\
         [company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.0\nipo_per_year = 0.0\nacquisition_per_year = 0.999999\nfailure_per_year = 0.0\n\
         acquisition_multiple = { median = 0.6, sigma = 0.0 }\n",
        paths,
        seed,
    );
    let exact = 100_000.0 / 1e9 * 2e8 / 0.5;
    let equity = offer_equity(&s).into_iter().take(1000).collect();
    vec![Comparison::every(
        "acquisition after preferences",
        equity,
        exact,
    )]
}

pub fn exit_type_shares(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[company.exit]\nearliest_years = 1.0\nipo_per_year = 0.08\nacquisition_per_year = 0.06\nfailure_per_year = 0.04\n",
        paths,
        seed,
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
    expected
        .into_iter()
        .map(|(outcome, share)| {
            let hits = records
                .iter()
                .map(|r| (r.outcome == outcome) as u8 as f64)
                .collect();
            Comparison::mean(outcome.name(), hits, share)
        })
        .collect()
}

/// No exit ever: a secondary sale at the horizon of a diluted holding, so
/// the mean equity carries `E[F(0, H)] = exp(-(per_year · dilution_mean + pool) H)`.
pub fn mean_dilution_factor(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.8\ndilution_mean = 0.15\ndilution_sd = 0.08\npool_per_year = 0.02\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.3\n",
        paths,
        seed,
    );
    let expected = 100_000.0 * 0.7 * (-(0.8 * 0.15 + 0.02) * 10.0f64).exp();
    vec![Comparison::mean(
        "E[F(0, H)] G (1 - secondary discount)",
        offer_equity(&s),
        expected,
    )]
}

/// Options on a company that stays private: the strike is paid on leaving
/// (no window reaches the horizon), or at the event by cashless exercise;
/// with no discounting both give `v G (k - strike)` per path.
pub fn options_exercised_on_departure_or_forfeited(paths: u64, seed: u64) -> Vec<Comparison> {
    let base = "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.3\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.3\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.2\n";
    let lambda = -(1.0f64 - 0.3).ln();
    let vested = over_events(4.0, 1.0, 1.0, |t| (-lambda * t).exp());
    let exercised = scenario(
        &format!("{base}exercise_on_departure = true\n"),
        paths,
        seed,
    );
    let forfeited = scenario(
        &format!("{base}exercise_on_departure = false\n"),
        paths,
        seed,
    );
    let stays = (-lambda * 4.0).exp();
    vec![
        Comparison::mean(
            "exercise on departure",
            offer_equity(&exercised),
            100_000.0 * (0.7 - 0.2) * vested,
        ),
        Comparison::mean(
            "forfeited on departure",
            offer_equity(&forfeited),
            100_000.0 * (0.7 - 0.2) * stays,
        ),
    ]
}

/// A failure after the person left: the exercise cost is lost, and the
/// equity's proceeds are 0 on every path.
pub fn exercise_cost_lost_on_failure(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.3\nilliquidity = { method = \"none\" }\n\
         [company.exit]\nearliest_years = 5.0\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.999999\n\
         [offer.equity]\ninstrument = \"options\"\nstrike_ratio = 0.35\nexercise_on_departure = \"always\"\n",
        paths,
        seed,
    );
    let lambda = -(1.0f64 - 0.3).ln();
    let w = 4.0;
    let expected = -0.35
        * 100_000.0
        * over_events(4.0, 1.0, 1.0, |t| (-lambda * t).exp() - (-lambda * w).exp());
    let records = run(&s);
    let zero = records
        .iter()
        .map(|p| p.equity_pays_zero as u8 as f64)
        .collect();
    let equity = records.iter().map(|p| p.offer_equity).collect();
    vec![
        Comparison::every("equity pays nothing on every path", zero, 1.0),
        Comparison::mean("exercise cost paid before a failure", equity, expected),
    ]
}

/// Full acceleration on an acquisition before leaving vests everything.
pub fn acceleration_on_acquisition(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.5\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.0\ndrift = 0.0\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nearliest_years = 0.5\nipo_per_year = 0.0\nacquisition_per_year = 0.999999\nfailure_per_year = 0.0\n\
         acquisition_multiple = { median = 1.0, sigma = 0.0 }\n[offer.equity]\nacceleration_on_acquisition = 1.0\n",
        paths,
        seed,
    );
    // Everything vests iff D > T; P(D > T) = e^{-λ e} h / (h + λ).
    let lambda = -(1.0f64 - 0.5).ln();
    let h = -(1.0f64 - 0.999999).ln();
    let expected = 100_000.0 * (-lambda * 0.5).exp() * h / (h + lambda);
    vec![Comparison::mean(
        "accelerated vesting",
        offer_equity(&s),
        expected,
    )]
}

/// Finnerty's discount applied at the path's time to liquidity: private
/// at the horizon, so `τ = H` on every path and `E[V_H] = V0 e^{μH}`.
pub fn finnerty_discount_at_the_horizon(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"finnerty\" }\n\
         [company]\nvolatility = 0.4\ndrift = 0.05\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.2\n",
        paths,
        seed,
    );
    let expected = 100_000.0 * 0.8 * (0.05f64 * 10.0).exp() * (1.0 - finnerty(0.4, 10.0));
    vec![Comparison::mean(
        "Finnerty-discounted secondary sale",
        offer_equity(&s),
        expected,
    )]
}

/// A refresh priced at the simulated valuation: `R / V_s` of the company,
/// granted only while employed, private and with its probability. Half the
/// refresh vests by W = 4; it is worth `(R / V_2) V_10` at H:
/// `E = p · 0.5 · R · e^{μ (10 - 2)}`.
pub fn private_refresh_priced_at_simulated_value(paths: u64, seed: u64) -> Vec<Comparison> {
    let s = scenario(
        "[simulation]\ndiscount_rate = 0.0\n[employee]\nattrition_per_year = 0.0\nilliquidity = { method = \"none\" }\n\
         [company]\nvolatility = 0.5\ndrift = 0.1\n[company.rounds]\nper_year = 0.0\npool_per_year = 0.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.0\nsecondary_discount = 0.0\n\
         [offer.equity]\ngrant = 0\n[[offer.equity.refresh]]\nat_years = 2.0\nprobability = 0.5\ngrant = 40_000\n",
        paths,
        seed,
    );
    let expected = 0.5 * 0.5 * 40_000.0 * (0.1f64 * 8.0).exp();
    vec![Comparison::mean(
        "refresh at the simulated valuation",
        offer_equity(&s),
        expected,
    )]
}
