//! The person's preferences and CRRA utility: the one home of the
//! utility, its inverse and its derivatives, for the certainty equivalent
//! of every output and every floor.
//!
//! `u(w) = w^{1-γ} / (1-γ)` (`ln w` at `γ = 1`) of wealth `w = w0 + X`,
//! `w0` the riskless outside wealth and `γ` the relative risk aversion;
//! `CE = u⁻¹(E[u(w0 + X)]) - w0`, the mean at `γ = 0`.

use super::moments::{BLOCK, Compensated, Moments};
use super::{mean_sd, neumaier_sum};
use crate::scenario::Scenario;
use serde::Serialize;

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

impl Preferences {
    /// Outside wealth `w0` and risk aversion `γ`.
    pub const fn new(outside_wealth: f64, risk_aversion: f64) -> Preferences {
        Preferences {
            outside_wealth,
            risk_aversion,
        }
    }

    /// Whether the certainty equivalent is the mean (no risk aversion).
    pub fn is_risk_neutral(&self) -> bool {
        self.risk_aversion == 0.0
    }
}

/// `u(w)`, `u'(w)`, `u''(w)` of CRRA utility with risk aversion `γ > 0`:
/// `u = w^{1-γ}/(1-γ)` (`ln w` at γ = 1), `u' = w^{-γ}`, `u'' = -γ w^{-γ-1}`;
/// `u = -∞` where `w ≤ 0`.
#[inline]
pub(crate) fn crra(w: f64, gamma: f64) -> (f64, f64, f64) {
    Curvature::new(gamma).at(w)
}

/// CRRA utility specialised by risk aversion, so the hot loop does one
/// division and at most one power per path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Curvature {
    /// γ = 1: `ln w`.
    Log,
    /// γ = 2: `-1/w`.
    Two,
    /// Whole γ up to 20: `w^{-γ}` by multiplication.
    Whole(i32),
    /// Any other γ: `w^{-γ}` by `powf`.
    Real(f64),
}

impl Curvature {
    pub(crate) fn new(gamma: f64) -> Curvature {
        if gamma == 1.0 {
            Curvature::Log
        } else if gamma == 2.0 {
            Curvature::Two
        } else if gamma.fract() == 0.0 && gamma > 0.0 && gamma <= 20.0 {
            Curvature::Whole(gamma as i32)
        } else {
            Curvature::Real(gamma)
        }
    }

    #[inline(always)]
    pub(crate) fn at(self, w: f64) -> (f64, f64, f64) {
        if w.is_nan() || w <= 0.0 {
            return (f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        }
        let inv = 1.0 / w;
        match self {
            Curvature::Log => (w.ln(), inv, -inv * inv),
            Curvature::Two => {
                let m = inv * inv;
                (-inv, m, -2.0 * m * inv)
            }
            Curvature::Whole(k) => {
                let m = inv.powi(k);
                (w * m / (1 - k) as f64, m, -(k as f64) * m * inv)
            }
            Curvature::Real(g) => {
                let m = w.powf(-g);
                (w * m / (1.0 - g), m, -g * m * inv)
            }
        }
    }
}

/// Inverse of the CRRA utility.
pub(crate) fn crra_inverse(u: f64, gamma: f64) -> f64 {
    if gamma == 1.0 {
        u.exp()
    } else {
        ((1.0 - gamma) * u).powf(1.0 / (1.0 - gamma))
    }
}

/// Why a certainty equivalent cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonPositiveWealth {
    /// The lowest `X` on any path.
    pub worst: f64,
}

/// CRRA certainty equivalent of the values `x` for a person with riskless
/// outside wealth `w0` and relative risk aversion `γ`:
///
/// `CE = u⁻¹(E[u(w0 + X)]) - w0`, `u(c) = c^{1-γ} / (1-γ)` (`ln c` at `γ = 1`).
///
/// `γ = 0` gives the mean. For `γ > 0` every `w0 + X` must be positive.
/// Wealth is scaled by outside wealth plus the mean of the first
/// [`BLOCK`] values before the powers are taken, so large `γ` cannot
/// underflow; utilities are summed block by block ([`UtilitySum`]).
///
/// ```
/// use equisim::stats::{Preferences, certainty_equivalent};
/// // Log utility, a 50/50 bet between wealth 50 and 200: CE wealth = 100.
/// let prefs = Preferences { outside_wealth: 50.0, risk_aversion: 1.0 };
/// let ce = certainty_equivalent(&[0.0, 150.0], prefs).unwrap();
/// assert!((ce - 50.0).abs() < 1e-9);
/// ```
pub fn certainty_equivalent(x: &[f64], prefs: Preferences) -> Result<f64, NonPositiveWealth> {
    let w0 = prefs.outside_wealth;
    if prefs.is_risk_neutral() {
        return Ok(mean_sd(x).0);
    }
    use rayon::prelude::*;
    let worst = x
        .par_iter()
        .with_min_len(BLOCK)
        .copied()
        .reduce(|| f64::INFINITY, f64::min);
    if (w0 + worst).is_nan() || w0 + worst <= 0.0 {
        return Err(NonPositiveWealth { worst });
    }
    // Each block's sum depends only on the block and the scale: summed in
    // parallel, appended in order.
    let mut sum = UtilitySum::new(prefs, UtilitySum::scale_for(prefs, x));
    let blocks: Vec<UtilitySum> = x.par_chunks(BLOCK).map(|b| sum.of_block(b)).collect();
    for b in &blocks {
        sum.append(b);
    }
    sum.certainty_equivalent()
        .ok_or(NonPositiveWealth { worst })
}

/// `CE = u⁻¹(E[u(w0 + X)]) - w0` with wealth scaled by `w0` plus the mean,
/// summed in parallel chunks of [`BLOCK`] (the floors' targets: the digits
/// do not depend on the thread count, and may differ from
/// [`certainty_equivalent`]'s in the last places). `None` when undefined.
pub(crate) fn certainty_equivalent_in_parallel(x: &[f64], prefs: Preferences) -> Option<f64> {
    use rayon::prelude::*;
    let (w0, gamma) = (prefs.outside_wealth, prefs.risk_aversion);
    let mean = Moments::of(x).mean();
    if prefs.is_risk_neutral() {
        return Some(mean);
    }
    let scale = w0 + mean;
    let curvature = Curvature::new(gamma);
    let parts: Vec<(f64, bool)> = x
        .par_chunks(BLOCK)
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

/// The CRRA expected utility of `w0 + X` summed block by block, for the
/// certainty equivalent (see [`certainty_equivalent`]).
///
/// Wealth is divided by a fixed `scale` before the power is taken, so that
/// large risk aversion cannot overflow or underflow; the scale is set once,
/// before any value is seen (from the first block, see
/// [`UtilitySum::scale_for`]), so a streamed run can use the same one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UtilitySum {
    w0: f64,
    gamma: f64,
    scale: f64,
    total: Compensated,
    count: u64,
    /// Whether `w0 + X > 0` on every value so far.
    positive: bool,
}

impl UtilitySum {
    /// The scale a run uses: outside wealth plus the mean of the first
    /// block of values (the whole run's mean is not known in advance).
    pub fn scale_for(prefs: Preferences, first_block: &[f64]) -> f64 {
        prefs.outside_wealth
            + Moments::of_block(&first_block[..first_block.len().min(BLOCK)]).mean()
    }

    pub fn new(prefs: Preferences, scale: f64) -> UtilitySum {
        UtilitySum {
            w0: prefs.outside_wealth,
            gamma: prefs.risk_aversion,
            scale,
            total: Compensated::default(),
            count: 0,
            positive: true,
        }
    }

    /// The sum over one block of values.
    pub fn of_block(&self, values: &[f64]) -> UtilitySum {
        let mut block = UtilitySum { count: 0, ..*self };
        block.total = Compensated::default();
        block.count = values.len() as u64;
        block.positive = values.iter().all(|v| self.w0 + v > 0.0);
        let (w0, scale) = (self.w0, self.scale);
        block.total.sum = if self.gamma == 1.0 {
            neumaier_sum(values.iter().map(|v| ((w0 + v) / scale).ln()))
        } else {
            let e = 1.0 - self.gamma;
            if e == -1.0 {
                // γ = 2, the common case: a division instead of a power.
                neumaier_sum(values.iter().map(|v| scale / (w0 + v)))
            } else {
                neumaier_sum(values.iter().map(|v| ((w0 + v) / scale).powf(e)))
            }
        };
        block
    }

    /// Adds the block that follows.
    pub fn append(&mut self, next: &UtilitySum) {
        self.total.add(next.total.value());
        self.count += next.count;
        self.positive &= next.positive;
    }

    /// `u⁻¹(E[u(w0 + X)]) - w0`; `None` when `w0 + X ≤ 0` on some value or
    /// the scale is not positive.
    pub fn certainty_equivalent(&self) -> Option<f64> {
        if !self.positive || self.count == 0 || self.scale.is_nan() || self.scale <= 0.0 {
            return None;
        }
        let m = self.total.value() / self.count as f64;
        let wealth = if self.gamma == 1.0 {
            self.scale * m.exp()
        } else {
            self.scale * m.powf(1.0 / (1.0 - self.gamma))
        };
        Some(wealth - self.w0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_sum_matches_the_closed_form() {
        // Harmonic mean of wealth 50, 100, 200, 500 (γ = 2).
        let x = [-50.0, 0.0, 100.0, 400.0];
        let prefs = Preferences {
            outside_wealth: 100.0,
            risk_aversion: 2.0,
        };
        let start = UtilitySum::new(prefs, UtilitySum::scale_for(prefs, &x));
        let mut u = start;
        u.append(&start.of_block(&x));
        let ce = u.certainty_equivalent().unwrap();
        assert!((ce - (4.0 / 0.037 - 100.0)).abs() < 1e-9, "{ce}");
        let poorer = Preferences {
            outside_wealth: 50.0,
            ..prefs
        };
        let mut ruined = UtilitySum::new(poorer, 100.0);
        ruined.append(&ruined.of_block(&x));
        assert_eq!(ruined.certainty_equivalent(), None);
    }
}
