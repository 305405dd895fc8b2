//! The value of a criterion over per-path totals, and the person's
//! preferences that the certainty equivalent needs.

use super::*;

/// What the certainty equivalent needs to know about the person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Preferences {
    /// Riskless outside wealth `w0 > 0`.
    pub outside_wealth: f64,
    /// CRRA relative risk aversion `γ ≥ 0` (0: the CE is the mean).
    pub risk_aversion: f64,
}

impl Preferences {
    pub fn of(scenario: &Scenario) -> Preferences {
        Preferences {
            outside_wealth: scenario.employee.outside_wealth,
            risk_aversion: scenario.employee.risk_aversion,
        }
    }
}

/// The value of `criterion` over per-path `values`: the mean, a type-7
/// percentile, or the CRRA certainty equivalent (`None` when undefined:
/// `w0 + X ≤ 0` on some path).
///
/// The certainty equivalent is [`crate::stats::certainty_equivalent`]'s, summed in
/// parallel (fixed chunks, so the digits do not depend on the thread
/// count; they may differ from the sequential sum in the last places).
pub fn criterion_value(criterion: Criterion, values: &[f64], prefs: Preferences) -> Option<f64> {
    match criterion {
        Criterion::Mean => Some(mean(values)),
        Criterion::Median | Criterion::Percentile(_) => {
            criterion_value_of(criterion, values.to_vec(), prefs)
        }
        Criterion::CertaintyEquivalent => {
            certainty_equivalent(values, prefs.outside_wealth, prefs.risk_aversion)
        }
    }
}

/// [`criterion_value`] of values the caller no longer needs (a percentile
/// reorders them instead of copying them).
pub(super) fn criterion_value_of(
    criterion: Criterion,
    mut values: Vec<f64>,
    prefs: Preferences,
) -> Option<f64> {
    match criterion {
        Criterion::Median => Some(quantile_select(&mut values, 0.5)),
        Criterion::Percentile(p) => Some(quantile_select(&mut values, p as f64 / 100.0)),
        _ => criterion_value(criterion, &values, prefs),
    }
}

/// The mean, block by block as [`crate::stats::mean_sd`] takes it.
pub(super) fn mean(x: &[f64]) -> f64 {
    Moments::of(x).mean()
}

/// `CE = u⁻¹(E[u(w0 + X)]) - w0` with wealth scaled by its mean, as
/// [`crate::stats::certainty_equivalent`], in parallel.
pub(super) fn certainty_equivalent(x: &[f64], w0: f64, gamma: f64) -> Option<f64> {
    let mean = mean(x);
    if gamma == 0.0 {
        return Some(mean);
    }
    let scale = w0 + mean;
    let curvature = Curvature::new(gamma);
    let parts: Vec<(f64, bool)> = x
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut sum = 0.0;
            let mut ok = true;
            for v in chunk {
                let w = w0 + v;
                ok &= w > 0.0;
                sum += curvature.at(w / scale).0;
            }
            (sum, ok)
        })
        .collect();
    if scale.is_nan() || scale <= 0.0 || !parts.iter().all(|p| p.1) {
        return None;
    }
    let u = neumaier_sum(parts.iter().map(|p| p.0)) / x.len() as f64;
    Some(scale * crra_inverse(u, gamma) - w0)
}
