//! The certainty-equivalent machinery against Hall & Murphy (2002), "Stock
//! options for undiversified executives", Journal of Accounting and
//! Economics 33: the executive value of an at-the-money option.
//!
//! Setup (their base case): stock price and strike $30, volatility 30%,
//! riskless rate 6% a year compounded annually, 10 years, β = 1 and an
//! equity premium of 6.5% (log drift `ln(1 + r_f + β ERP) − σ²/2` a year),
//! wealth $5M of which α = 50% in company stock and the rest riskless,
//! 10,000 options, CRRA utility `c^{1−ρ}/(1−ρ)` of terminal wealth. The
//! value `V` per option solves
//!
//! `E[U((w + nV)(1 + r_f)^T + n_s P_T)] = E[U(w(1 + r_f)^T + n_s P_T + n max(P_T − X, 0))]`,
//!
//! `w = (1 − α) W`, `n_s = α W / P0`. Published: ρ = 2 → $10.38, ρ = 3 → $5.95.
//!
//! This is a floor: the lever is `V`, the offer's totals are
//! `n (1 + r_f)^T V + n_s P_T` and the alternative's
//! `n_s P_T + n max(P_T − X, 0)`, both on riskless outside wealth
//! `w (1 + r_f)^T`, and the criterion is the certainty equivalent. The expectation is over the lognormal `P_T`,
//! integrated with equal-probability nodes (the midpoints of 400,000 equal
//! slices of the normal distribution).

use equisim::decisions::{LinearPaths, Preferences, criterion_value, solve};
use equisim::scenario::Criterion;
use equisim::stats::certainty_equivalent;
use statrs::distribution::{ContinuousCDF, Normal};

const NODES: usize = 400_000;

fn value_per_option(rho: f64) -> f64 {
    let (p0, strike, sigma, rf, years) = (30.0f64, 30.0, 0.30, 0.06, 10.0);
    let (wealth, alpha, options) = (5e6f64, 0.5, 10_000.0);
    let drift = (1.0 + rf + 0.065f64).ln() - sigma * sigma / 2.0;
    let growth = (1.0 + rf).powf(years);
    let riskless = (1.0 - alpha) * wealth * growth;
    let shares = alpha * wealth / p0;
    let normal = Normal::new(0.0, 1.0).unwrap();
    let prices: Vec<f64> = (0..NODES)
        .map(|j| {
            let z = normal.inverse_cdf((j as f64 + 0.5) / NODES as f64);
            p0 * (drift * years + sigma * years.sqrt() * z).exp()
        })
        .collect();
    let held: Vec<f64> = prices
        .iter()
        .map(|p| shares * p + options * (p - strike).max(0.0))
        .collect();
    let cash = LinearPaths {
        intercept: prices.iter().map(|p| shares * p).collect(),
        slope: vec![options * growth; NODES].into(),
    };
    let prefs = Preferences {
        outside_wealth: riskless,
        risk_aversion: rho,
    };
    let target = criterion_value(Criterion::CertaintyEquivalent, &held, prefs);
    let v = solve(Criterion::CertaintyEquivalent, &cash, target, prefs)
        .floor
        .expect("a value per option");
    // The same indifference through the sequential CE of the stats module.
    let a = certainty_equivalent(&cash.at(v), Preferences::new(riskless, rho)).unwrap();
    let b = certainty_equivalent(&held, Preferences::new(riskless, rho)).unwrap();
    assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    v
}

#[test]
fn reproduces_hall_and_murphy_rho_2() {
    let v = value_per_option(2.0);
    assert!((v / 10.38 - 1.0).abs() < 0.01, "ρ = 2: ${v:.4} vs $10.38");
}

#[test]
fn reproduces_hall_and_murphy_rho_3() {
    let v = value_per_option(3.0);
    assert!((v / 5.95 - 1.0).abs() < 0.01, "ρ = 3: ${v:.4} vs $5.95");
}
