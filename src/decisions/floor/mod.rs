//! The accept-at floor: the smallest initial grant (or base) at which the
//! private offer is worth as much as the alternative by a criterion.
//!
//! On every path the offer's total is linear in the grant `G` and in the
//! base `B` (model section 10):
//!
//! `X_i = sign_on + B · f_i + A_i + G · U_i`,
//!
//! with `f_i` the PV of one unit of yearly base over the path's
//! employment ([`pay_factor`](crate::model::cash::pay_factor)), `A_i` the
//! private equity at `G = 0` (grants of a fixed size) and
//! `U_i = ∂X_i/∂G`. Holding one lever, the totals are
//! `X_i(ℓ) = a_i + ℓ s_i` ([`LinearPaths`]), and the floor is
//!
//! `ℓ* = min { ℓ ≥ 0 : criterion(X(ℓ)) ≥ criterion(Y) }`,
//!
//! `Y` the alternative's totals on the same paths. It is solved on these
//! stored terms, without simulating again:
//!
//! - **mean**: `mean(a) + ℓ mean(s)`, in closed form.
//! - **percentiles** (and the median): the `p`-quantile of the totals
//!   (type 7, as every report) is piecewise linear in `ℓ`. The set of lever
//!   values at which a path is at or above the target is an interval per
//!   path, so the first lever at which the `k`-th order statistic reaches it
//!   is found exactly by counting; the interpolated quantile lies between
//!   two adjacent order statistics, and bisection between their crossings
//!   locates it to [`TOLERANCE`].
//! - **certainty equivalent**: `φ(ℓ) = mean u(w0 + a_i + ℓ s_i)` is concave
//!   in `ℓ` (u concave, its argument linear), so the set where the CE reaches
//!   the target is an interval. Newton's method from the left converges to
//!   its lower end monotonically and proves unreachability when a tangent
//!   meets the target only past the peak or outside the CE's domain.
//!
//! A larger grant can lower the total on some paths (`s_i < 0`): options
//! exercised on departure pay the strike in cash, and a later failure pays
//! nothing. Then a criterion need not rise with the grant: the floor is the
//! first crossing, and [`Solution::falls_below_again`] says where the
//! criterion drops below the alternative's again, if it does.

use crate::engine::{PathRecord, Simulation};
use crate::model::Model;
use crate::model::cash::UnitPay;
use crate::scenario::{Criterion, Scenario, SolveFor};
pub use crate::stats::Preferences;
use crate::stats::{
    Curvature, Moments, Totals, certainty_equivalent_in_parallel, crra, crra_inverse, neumaier_sum,
    quantile_select,
};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Relative tolerance to which a floor found by search is located.
pub const TOLERANCE: f64 = 1e-7;

/// Below this, a lever value counts as 0 for relative tolerances (in the
/// scenario's currency).
const LEVER_ATOM: f64 = 1e-6;

/// Paths per parallel work unit when summing utilities.
const CHUNK: usize = 4096;

// The problem: per-path terms linear in the lever, and what is asked of
// them.
mod criterion;
mod linear;
mod problem;
mod solution;

// One solver a criterion, and the root finding they share.
mod certainty_equivalent;
mod mean;
mod percentile;
mod root;

// What the solvers answer for a scenario: its floors and the frontier;
// and the same floors from a run that streams its paths.
mod floors;
mod frontier;
pub mod streamed;

use certainty_equivalent::*;
pub use criterion::*;
pub use floors::*;
pub use frontier::*;
pub use linear::*;
pub(crate) use mean::*;
use percentile::*;
pub use problem::*;
use root::*;
pub use solution::*;

/// Solves `criterion(X(ℓ)) ≥ target` for the smallest lever `ℓ ≥ 0`, with
/// `X_i(ℓ) = a_i + ℓ s_i` the per-path totals in `paths`. `target` is the
/// alternative's value of the criterion (`None`: undefined). For
/// `beatsNN`, `paths` are the differences to the alternative's totals
/// ([`FloorProblem::against_alternative`]) and `target` the share.
///
/// ```
/// use equisim::decisions::{solve, LinearPaths, Preferences};
/// use equisim::scenario::Criterion;
/// // Two paths: totals 10 + 2ℓ and 30 + 0ℓ; the mean reaches 40 at ℓ = 20.
/// let paths = LinearPaths { intercept: vec![10.0, 30.0].into(), slope: vec![2.0, 0.0].into() };
/// let prefs = Preferences { outside_wealth: 100.0, risk_aversion: 2.0 };
/// let s = solve(Criterion::Mean, &paths, Some(40.0), prefs);
/// assert_eq!(s.floor, Some(20.0));
/// ```
pub fn solve(
    criterion: Criterion,
    paths: &LinearPaths,
    target: Option<f64>,
    prefs: Preferences,
) -> Solution {
    solve_asking(criterion, paths, target, prefs, Ask::Explained)
}

/// The floor alone, as [`solve`] finds it, without what explains it: where
/// the criterion falls below the target again, and why a floor is out of
/// reach. Those can cost more passes over the paths than the floor itself
/// (a certainty equivalent that peaks below the target is bisected for its
/// peak), and a grid of floors such as the frontier quotes none of them.
pub fn solve_floor(
    criterion: Criterion,
    paths: &LinearPaths,
    target: Option<f64>,
    prefs: Preferences,
) -> Option<f64> {
    solve_asking(criterion, paths, target, prefs, Ask::Floor).floor
}

/// What a solver is asked for. With [`Ask::Floor`] only
/// [`Solution::floor`] is meaningful; the floor itself is found by the
/// same steps either way, so it is the same to the digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    Floor,
    Explained,
}

fn solve_asking(
    criterion: Criterion,
    paths: &LinearPaths,
    target: Option<f64>,
    prefs: Preferences,
    ask: Ask,
) -> Solution {
    let n = paths.len();
    let decreasing = match ask {
        Ask::Floor => 0,
        Ask::Explained => paths
            .slope
            .par_iter()
            .with_min_len(CHUNK)
            .filter(|s| **s < 0.0)
            .count(),
    };
    let decreasing_share = decreasing as f64 / n.max(1) as f64;
    let Some(t) = target.filter(|t| t.is_finite()) else {
        return Solution::unreachable(
            Unreachable::TargetUndefined,
            decreasing == 0,
            decreasing_share,
        );
    };
    if n == 0 {
        return Solution::unreachable(Unreachable::TargetUndefined, true, 0.0);
    }
    match (criterion, criterion.quantile()) {
        (Criterion::Beats(nn), _) => solve_beats(paths, nn, decreasing_share, ask),
        (_, Some(q)) => solve_percentile(paths, q, t, decreasing_share, ask),
        (Criterion::Mean, None) => solve_mean(paths, t, decreasing_share),
        // With no risk aversion the certainty equivalent is the mean.
        (_, None) if prefs.is_risk_neutral() => solve_mean(paths, t, decreasing_share),
        (_, None) => solve_ce(paths, t, prefs, decreasing_share, ask),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(gamma: f64) -> Preferences {
        Preferences {
            outside_wealth: 100.0,
            risk_aversion: gamma,
        }
    }

    /// A brute-force floor: the smallest grid point at which the criterion
    /// reaches the target.
    fn scan(c: Criterion, paths: &LinearPaths, t: f64, gamma: f64, hi: f64) -> Option<f64> {
        let steps = 20_000;
        (0..=steps)
            .map(|i| hi * i as f64 / steps as f64)
            .find(|x| criterion_value(c, &paths.at(*x), prefs(gamma)).is_some_and(|v| v >= t))
    }

    /// Uniform draws on `[0, 1)` from a 64-bit linear congruential
    /// generator: repeatable test data, the same on every machine.
    pub(super) fn lcg(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn lcg_paths(n: usize, seed: u64, negative: bool) -> LinearPaths<'static> {
        let mut next = lcg(seed);
        let mut p = LinearPaths::default();
        for _ in 0..n {
            let a = 50.0 + 100.0 * next();
            let r = next();
            let s = if r < 0.3 {
                0.0
            } else if negative && r < 0.4 {
                -0.2 * next()
            } else {
                2.0 * next()
            };
            p.intercept.to_mut().push(a);
            p.slope.to_mut().push(s);
        }
        p
    }

    #[test]
    fn percentile_floor_matches_a_scan() {
        for (seed, negative) in [(1, false), (2, true), (3, true)] {
            let paths = lcg_paths(501, seed, negative);
            for c in [
                Criterion::Median,
                Criterion::Percentile(10),
                Criterion::Percentile(75),
            ] {
                let t = criterion_value(c, &paths.at(0.0), prefs(0.0)).unwrap() + 25.0;
                let s = solve(c, &paths, Some(t), prefs(0.0));
                let grid = scan(c, &paths, t, 0.0, 200.0);
                match (s.floor, grid) {
                    (Some(x), Some(g)) => {
                        assert!(
                            x <= g + 1e-9 && x > g - 200.0 / 20_000.0 - 1e-9,
                            "{c}: {x} vs {g}"
                        );
                        let at = criterion_value(c, &paths.at(x), prefs(0.0)).unwrap();
                        assert!((at - t).abs() < 1e-6 * t, "{c}: {at} vs {t}");
                    }
                    (None, None) => {}
                    other => panic!("{c} seed {seed}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn ce_floor_matches_a_scan_and_reports_its_ceiling() {
        for (seed, negative) in [(4, false), (5, true)] {
            let paths = lcg_paths(400, seed, negative);
            for gamma in [0.5, 1.0, 2.0, 3.5] {
                let c = Criterion::CertaintyEquivalent;
                let t = criterion_value(c, &paths.at(0.0), prefs(gamma)).unwrap() + 20.0;
                let s = solve(c, &paths, Some(t), prefs(gamma));
                let grid = scan(c, &paths, t, gamma, 300.0);
                match (s.floor, grid) {
                    (Some(x), Some(g)) => {
                        assert!(
                            x <= g + 1e-9 && x > g - 300.0 / 20_000.0 - 1e-9,
                            "{x} vs {g}"
                        );
                        let at = criterion_value(c, &paths.at(x), prefs(gamma)).unwrap();
                        assert!((at - t).abs() < 1e-6 * t, "γ {gamma}: {at} vs {t}");
                        if let Some(up) = s.falls_below_again {
                            let v = criterion_value(c, &paths.at(up * 0.999), prefs(gamma));
                            assert!(v.unwrap() >= t, "still reached below the ceiling");
                            let v = criterion_value(c, &paths.at(up * 1.001), prefs(gamma));
                            assert!(v.is_none_or(|v| v < t), "not reached above it");
                        }
                    }
                    (None, None) => {}
                    other => panic!("γ {gamma} seed {seed}: {other:?}"),
                }
                assert_eq!(s.monotone, !negative);
            }
        }
    }

    #[test]
    fn percentile_that_falls_back_matches_a_scan() {
        // 40% of paths rise slowly, 35% fall steeply from high up, the rest
        // are flat: the P50 rises, reaches the target, then falls again.
        let n = 1000;
        let mut paths = LinearPaths::default();
        for i in 0..n {
            let u = i as f64 / n as f64;
            let (a, s) = match i % 20 {
                0..=7 => (40.0 + 20.0 * u, 0.5 + u),
                8..=14 => (120.0 + 30.0 * u, -(1.0 + u)),
                _ => (60.0 + 10.0 * u, 0.0),
            };
            paths.intercept.to_mut().push(a);
            paths.slope.to_mut().push(s);
        }
        let c = Criterion::Median;
        let t = criterion_value(c, &paths.at(0.0), prefs(0.0)).unwrap() + 8.0;
        let s = solve(c, &paths, Some(t), prefs(0.0));
        let at = |x: f64| criterion_value(c, &paths.at(x), prefs(0.0)).unwrap();
        let floor = s.floor.expect("reachable");
        let grid = scan(c, &paths, t, 0.0, 200.0).unwrap();
        assert!(
            floor <= grid + 1e-9 && floor > grid - 0.011,
            "{floor} vs {grid}"
        );
        let up = s.falls_below_again.expect("falls back");
        assert!(
            up > floor && at(up * 0.999) >= t && at(up * 1.001) < t,
            "{up}"
        );
        assert!(!s.monotone && s.decreasing_share > 0.3);
    }

    #[test]
    fn pinned_median_is_explained() {
        // 60% of paths do not depend on the lever: the median is pinned.
        let n = 1000;
        let paths = LinearPaths {
            intercept: (0..n).map(|i| i as f64).collect(),
            slope: (0..n).map(|i| if i % 5 < 3 { 0.0 } else { 1.0 }).collect(),
        };
        let s = solve(Criterion::Median, &paths, Some(2000.0), prefs(0.0));
        assert_eq!(s.floor, None);
        match s.unreachable {
            Some(Unreachable::PercentilePinned {
                flat_share, limit, ..
            }) => {
                assert!((flat_share - 0.6).abs() < 1e-12);
                assert!(limit.unwrap() < 2000.0);
            }
            other => panic!("{other:?}"),
        }
        // The mean moves, so it has a floor.
        let m = solve(Criterion::Mean, &paths, Some(2000.0), prefs(0.0));
        assert!((m.floor.unwrap() - (2000.0 - 499.5) / 0.4).abs() < 1e-6);
    }

    #[test]
    fn already_above_is_zero() {
        let paths = lcg_paths(100, 9, false);
        for c in [
            Criterion::Mean,
            Criterion::Median,
            Criterion::Percentile(5),
            Criterion::CertaintyEquivalent,
        ] {
            let s = solve(c, &paths, Some(0.0), prefs(2.0));
            assert_eq!(s.floor, Some(0.0), "{c}");
        }
    }

    /// A verdict that the floor is out of reach for lower totals too
    /// ([`Solution::lower_totals_out_of_reach`]) holds: every path's total
    /// lowered by its own amount has no floor either; and the verdict is
    /// given often enough for the check to mean something.
    #[test]
    fn out_of_reach_for_lower_totals_is_out_of_reach_lower_down() {
        let mut verdicts = [0usize; 4];
        for seed in 1..=6 {
            let paths = lcg_paths(600, seed, seed % 2 == 0);
            let mut s = seed;
            let lowered = LinearPaths {
                intercept: paths
                    .intercept
                    .iter()
                    .map(|a| {
                        s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                        a - 8.0 * ((s >> 11) as f64 / (1u64 << 53) as f64)
                    })
                    .collect::<Vec<f64>>()
                    .into(),
                slope: paths.slope.clone(),
            };
            // Each criterion against a range of targets; beatsNN on the
            // differences to an alternative worth 100 on every path.
            let less_100 = |p: &LinearPaths| -> LinearPaths<'static> {
                LinearPaths {
                    intercept: p
                        .intercept
                        .iter()
                        .map(|a| a - 100.0)
                        .collect::<Vec<f64>>()
                        .into(),
                    slope: p.slope.to_vec().into(),
                }
            };
            let cases = [
                (Criterion::Percentile(10), 60.0, 160.0),
                (Criterion::Percentile(25), 60.0, 160.0),
                (Criterion::Beats(50), 0.0, 0.0),
                (Criterion::CertaintyEquivalent, 60.0, 400.0),
            ];
            for (k, (c, lo, hi)) in cases.into_iter().enumerate() {
                for i in 0..=24 {
                    let t = lo + (hi - lo) * f64::from(i) / 24.0;
                    // For beatsNN a range of shares instead, 40% to 88%.
                    let c = match c {
                        Criterion::Beats(_) => Criterion::Beats(40 + 2 * i),
                        c => c,
                    };
                    let t = c.beats_share().unwrap_or(t);
                    let ask = |p: &LinearPaths| {
                        let p = if c.beats_share().is_some() {
                            less_100(p)
                        } else {
                            p.clone()
                        };
                        solve_asking(c, &p, Some(t), prefs(2.0), Ask::Floor)
                    };
                    let at = ask(&paths);
                    if at.lower_totals_out_of_reach {
                        assert_eq!(at.floor, None, "{c} at {t}");
                        let below = ask(&lowered);
                        assert_eq!(below.floor, None, "{c} at {t}, seed {seed}");
                        verdicts[k] += 1;
                    }
                }
            }
        }
        assert!(verdicts.iter().all(|v| *v >= 5), "{verdicts:?}");
    }
}
