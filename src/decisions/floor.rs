//! The accept-at floor: the smallest initial grant (or base) at which the
//! private offer is worth as much as the alternative by a criterion.
//!
//! On every path the offer's total is linear in the grant `G` and in the
//! base `B` (model section 10):
//!
//! `X_i = sign_on + B · f_i + A_i + G · U_i`,
//!
//! with `f_i` the PV of one unit of yearly base over the path's employment
//! ([`pay_factor`]), `A_i` the private equity at `G = 0` (grants of a fixed
//! size) and `U_i = ∂X_i/∂G`. Holding one lever, the totals are
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
use crate::model::cash::pay_factor;
use crate::model::offers::Pay;
use crate::scenario::{Criterion, Scenario, SolveFor};
use crate::stats::{Moments, neumaier_sum, quantile_select};
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

/// Per-path totals as a linear function of one lever `ℓ` (a grant or a
/// base, in the scenario's currency): `X_i(ℓ) = intercept_i + ℓ · slope_i`.
///
/// Either part may be borrowed from the stored floor terms (a slope always
/// is), so a lever costs one vector, not two.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearPaths<'a> {
    pub intercept: Cow<'a, [f64]>,
    pub slope: Cow<'a, [f64]>,
}

impl LinearPaths<'_> {
    /// Number of paths.
    pub fn len(&self) -> usize {
        self.intercept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.intercept.is_empty()
    }

    /// Every path's total at lever value `lever`.
    pub fn at(&self, lever: f64) -> Vec<f64> {
        self.intercept
            .par_iter()
            .zip(&self.slope[..])
            .map(|(a, s)| a + lever * s)
            .collect()
    }
}

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
fn criterion_value_of(
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
fn mean(x: &[f64]) -> f64 {
    Moments::of(x).mean()
}

/// `CE = u⁻¹(E[u(w0 + X)]) - w0` with wealth scaled by its mean, as
/// [`crate::stats::certainty_equivalent`], in parallel.
fn certainty_equivalent(x: &[f64], w0: f64, gamma: f64) -> Option<f64> {
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

/// Why no lever value brings a criterion up to the alternative's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unreachable {
    /// The alternative's value of the criterion is undefined (a certainty
    /// equivalent with `w0 + X ≤ 0` on some path).
    TargetUndefined,
    /// One more unit of the lever changes the offer's mean by `per_unit`,
    /// which is not positive.
    MeanDoesNotRise { per_unit: f64 },
    /// A percentile needs a share `needed_share` of the paths at or above
    /// the target at once; no lever value gets more than `best_share` there
    /// (reached at lever `best_at`). On `flat_share` of the paths the total
    /// does not depend on the lever (the equity pays nothing whatever the
    /// grant), on `decreasing_share` it falls as the lever rises. `limit`:
    /// the percentile as the lever grows without bound (`None`: it falls
    /// without bound).
    PercentilePinned {
        needed_share: f64,
        best_share: f64,
        best_at: f64,
        flat_share: f64,
        decreasing_share: f64,
        limit: Option<f64>,
    },
    /// The certainty equivalent rises to `peak_value` (at lever `peak_at`),
    /// below the target, then falls; beyond `ruin_at` some path's wealth
    /// `w0 + X` is no longer positive.
    CertaintyEquivalentPeaks {
        peak_value: f64,
        peak_at: f64,
        ruin_at: Option<f64>,
    },
    /// The certainty equivalent rises with the lever but stays below
    /// `limit` however large the lever (risk aversion above 1 and a share
    /// `flat_share` of paths whose total does not depend on the lever).
    CertaintyEquivalentBounded { limit: f64, flat_share: f64 },
    /// The certainty equivalent is undefined at every lever value: on a
    /// share `share` of the paths `w0 + X ≤ 0` whatever the lever.
    CertaintyEquivalentUndefined { share: f64 },
}

/// The answer of [`solve`] for one criterion and one lever.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// The smallest lever value `≥ 0` at which the criterion reaches the
    /// target; `None` when no value does.
    pub floor: Option<f64>,
    /// Whether the criterion never falls as the lever rises. For a
    /// percentile: no path whose total falls with the lever starts above
    /// it at lever 0.
    pub monotone: bool,
    /// Above this lever value the criterion is below the target again.
    pub falls_below_again: Option<f64>,
    /// Share of paths whose total falls as the lever rises (`s_i < 0`).
    pub decreasing_share: f64,
    pub unreachable: Option<Unreachable>,
}

impl Solution {
    pub(crate) fn reached(floor: f64, monotone: bool, decreasing_share: f64) -> Solution {
        Solution {
            floor: Some(floor),
            monotone,
            falls_below_again: None,
            decreasing_share,
            unreachable: None,
        }
    }

    pub(crate) fn unreachable(why: Unreachable, monotone: bool, decreasing_share: f64) -> Solution {
        Solution {
            floor: None,
            monotone,
            falls_below_again: None,
            decreasing_share,
            unreachable: Some(why),
        }
    }
}

/// Solves `criterion(X(ℓ)) ≥ target` for the smallest lever `ℓ ≥ 0`, with
/// `X_i(ℓ) = a_i + ℓ s_i` the per-path totals in `paths`. `target` is the
/// alternative's value of the criterion (`None`: undefined).
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
    let n = paths.len();
    let decreasing = paths.slope.iter().filter(|s| **s < 0.0).count();
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
    match criterion {
        Criterion::Mean => solve_mean(paths, t, decreasing_share),
        Criterion::CertaintyEquivalent if prefs.risk_aversion == 0.0 => {
            solve_mean(paths, t, decreasing_share)
        }
        Criterion::CertaintyEquivalent => solve_ce(paths, t, prefs, decreasing_share),
        Criterion::Median => solve_percentile(paths, 0.5, t, decreasing_share),
        Criterion::Percentile(p) => solve_percentile(paths, p as f64 / 100.0, t, decreasing_share),
    }
}

// ---------------------------------------------------------------- mean

fn solve_mean(paths: &LinearPaths, t: f64, decreasing_share: f64) -> Solution {
    solve_mean_of(
        mean(&paths.intercept),
        mean(&paths.slope),
        t,
        decreasing_share,
    )
}

/// The mean floor from `mean(a)` and `mean(s)`: `ℓ* = (t - mean(a)) / mean(s)`.
pub(crate) fn solve_mean_of(mean_a: f64, mean_s: f64, t: f64, decreasing_share: f64) -> Solution {
    let monotone = mean_s >= 0.0;
    if mean_a >= t {
        let mut s = Solution::reached(0.0, monotone, decreasing_share);
        if mean_s < 0.0 {
            s.falls_below_again = Some((t - mean_a) / mean_s);
        }
        s
    } else if mean_s > 0.0 {
        Solution::reached((t - mean_a) / mean_s, monotone, decreasing_share)
    } else {
        Solution::unreachable(
            Unreachable::MeanDoesNotRise { per_unit: mean_s },
            monotone,
            decreasing_share,
        )
    }
}

// ---------------------------------------------------------- percentiles

/// For a target `t`, the lever values at which each path is at or above
/// it: from `up` on for a rising path, up to `down` for a falling one,
/// always or never for a flat one.
struct Reach {
    /// Paths at or above `t` at every lever value `≥ 0`: rising paths
    /// already there at 0, flat paths at or above `t`.
    always: usize,
    /// Rising paths: the lever value at which they reach `t` (`> 0`).
    ups: Vec<f64>,
    /// Falling paths at or above `t` at lever 0: the lever value up to
    /// which they stay there; sorted ascending.
    downs: Vec<f64>,
    /// Paths whose total does not depend on the lever.
    flat: usize,
    /// Paths whose total falls as the lever rises.
    falling: usize,
}

impl Reach {
    fn new(paths: &LinearPaths, t: f64) -> Reach {
        let n = paths.len();
        let mut r = Reach {
            always: 0,
            ups: Vec::with_capacity(n),
            downs: Vec::new(),
            flat: 0,
            falling: 0,
        };
        for (&a, &s) in paths.intercept.iter().zip(&paths.slope[..]) {
            if s > 0.0 {
                let g = (t - a) / s;
                if g <= 0.0 {
                    r.always += 1;
                } else {
                    r.ups.push(g);
                }
            } else if s < 0.0 {
                r.falling += 1;
                let h = (a - t) / -s;
                if h >= 0.0 {
                    r.downs.push(h);
                }
            } else {
                r.flat += 1;
                if a >= t {
                    r.always += 1;
                }
            }
        }
        r.downs.sort_unstable_by(f64::total_cmp);
        r
    }

    /// Paths at or above `t` at lever `x`, given how many rising paths
    /// have reached it by then.
    fn count(&self, risen: usize, x: f64) -> usize {
        self.always + risen + self.downs.len() - self.downs.partition_point(|d| *d < x)
    }

    /// Paths at or above `t` at lever `x`.
    fn count_at(&self, x: f64) -> usize {
        self.count(self.ups.iter().filter(|u| **u <= x).count(), x)
    }

    /// For each need `m` (ascending), the first lever value `≥ 0` at which at
    /// least `m` paths are at or above `t`.
    ///
    /// The count only rises at an `up`, so the answer is 0 or an `up`. With
    /// `D` falling paths, the `(m - always - D)`-th smallest `up` is a lower
    /// bound and the `(m - always)`-th an upper one: only that window of ranks
    /// is sorted.
    fn first_reach(&mut self, needs: [usize; 2]) -> [Option<f64>; 2] {
        let at_zero = self.always + self.downs.len();
        let mut out = [None; 2];
        let mut pending = Vec::new();
        for (j, &m) in needs.iter().enumerate() {
            if at_zero >= m {
                out[j] = Some(0.0);
            } else {
                pending.push(j);
            }
        }
        if pending.is_empty() || self.ups.is_empty() {
            return out;
        }
        let nu = self.ups.len();
        let need_min = pending.iter().map(|&j| needs[j]).min().unwrap_or(0);
        let need_max = pending.iter().map(|&j| needs[j]).max().unwrap_or(0);
        let first = need_min - at_zero - 1;
        if first >= nu {
            return out;
        }
        let last = (need_max - self.always - 1).min(nu - 1);
        sort_window(&mut self.ups, first, last);
        let nd = self.downs.len();
        let mut gone = 0usize; // downs below the current candidate
        for r in first..=last {
            let x = self.ups[r];
            while gone < nd && self.downs[gone] < x {
                gone += 1;
            }
            let n_at = self.always + r + 1 + nd - gone;
            for &j in &pending {
                if out[j].is_none() && n_at >= needs[j] {
                    out[j] = Some(x);
                }
            }
            if pending.iter().all(|&j| out[j].is_some()) {
                break;
            }
        }
        out
    }

    /// The end of the group of downs equal to `downs[j]`.
    fn group_end(&self, j: usize) -> usize {
        let x = self.downs[j];
        let mut end = j + 1;
        while end < self.downs.len() && self.downs[end] <= x {
            end += 1;
        }
        end
    }

    /// For each down `j` (ascending), how many rising paths are at or above
    /// `t` at lever `downs[j]`: `#{up ≤ downs[j]}`, by one binary search per
    /// rising path instead of a sort.
    fn risen_at_downs(&self) -> Vec<usize> {
        let nd = self.downs.len();
        let downs = &self.downs;
        // Every 64th down, to find an up's block with a search that stays
        // in cache, then its place within the block.
        const BLOCK: usize = 64;
        let pivots: Vec<f64> = downs.iter().step_by(BLOCK).copied().collect();
        let mut first_down_after = vec![0usize; nd + 1];
        for &u in &self.ups {
            let k = pivots.partition_point(|p| *p < u);
            let lo = k.saturating_sub(1) * BLOCK;
            let hi = (k * BLOCK).min(nd);
            first_down_after[lo + downs[lo..hi].partition_point(|d| *d < u)] += 1;
        }
        let mut acc = 0usize;
        first_down_after[..nd]
            .iter()
            .map(|h| {
                acc += h;
                acc
            })
            .collect()
    }

    /// The first lever value `x ≥ from` after which fewer than `need` paths
    /// are at or above `t` (the end of the interval that contains `from`),
    /// or `None` if that never happens.
    fn falls_below(&self, from: f64, need: usize) -> Option<f64> {
        if self.downs.is_empty() {
            return None;
        }
        // Rising paths never leave: once enough are there, it holds for good.
        if self.always + self.ups.iter().filter(|u| **u <= from).count() >= need {
            return None;
        }
        let risen = self.risen_at_downs();
        let nd = self.downs.len();
        let mut j = self.downs.partition_point(|d| *d < from);
        while j < nd {
            let x = self.downs[j];
            let end = self.group_end(j);
            // Just after x the falling paths of this group have left.
            if self.always + risen[end - 1] + (nd - end) < need {
                return Some(x);
            }
            j = end;
        }
        None
    }

    /// The most paths at or above `t` at once, and the smallest lever value
    /// at which that many are. The count rises at each up and falls just
    /// after each down, so its maximum is at a down or in the limit.
    fn best(&self) -> (usize, f64) {
        let nd = self.downs.len();
        let mut best = (self.always + nd, 0.0);
        if nd > 0 {
            let risen = self.risen_at_downs();
            let mut j = 0usize;
            while j < nd {
                let x = self.downs[j];
                let end = self.group_end(j);
                let n_at = self.always + risen[end - 1] + (nd - j);
                if n_at > best.0 {
                    best = (n_at, x);
                }
                j = end;
            }
        }
        let in_the_limit = self.always + self.ups.len();
        if in_the_limit > best.0 {
            best = (in_the_limit, self.ups.iter().copied().fold(0.0, f64::max));
        }
        best
    }
}

/// Puts the order statistics `first..=last` of `v` in place, sorted.
fn sort_window(v: &mut [f64], first: usize, last: usize) {
    v.select_nth_unstable_by(first, f64::total_cmp);
    if last > first {
        v[first + 1..].select_nth_unstable_by(last - first - 1, f64::total_cmp);
    }
    v[first..=last].sort_unstable_by(f64::total_cmp);
}

/// The type-7 `p`-quantile of the totals for lever values in `[l, r]`,
/// computed on the few paths that can be at the two order statistics
/// involved anywhere in that range.
///
/// Over `[l, r]` path `i` stays within `[low_i, high_i]` (its values at the
/// ends). For a cut `B1` with at most `lo` paths ever below it (`low_i <
/// B1`), the lower order statistic never drops below `B1`, so paths
/// entirely below `B1` only shift ranks; likewise paths entirely above a
/// cut `B2` that at most `n - 1 - hi` paths ever exceed do not matter. The
/// cuts start around `target` and widen until they are valid.
struct Band {
    intercept: Vec<f64>,
    slope: Vec<f64>,
    below: usize,
    lo: usize,
    hi: usize,
    frac: f64,
    scratch: Vec<f64>,
}

impl Band {
    fn new(
        paths: &LinearPaths,
        (l, r): (f64, f64),
        (lo, hi, frac): (usize, usize, f64),
        target: f64,
    ) -> Band {
        let n = paths.len();
        let ends = |i: usize| {
            let (a, s) = (paths.intercept[i], paths.slope[i]);
            let (x, y) = (a + l * s, a + r * s);
            (x.min(y), x.max(y))
        };
        let count = |f: &(dyn Fn(f64, f64) -> bool + Sync)| {
            (0..n)
                .into_par_iter()
                .filter(|&i| {
                    let (low, high) = ends(i);
                    f(low, high)
                })
                .count()
        };
        let mut width = 1e-3 * target.abs().max(1.0);
        let mut cut_lo = f64::NEG_INFINITY;
        for _ in 0..64 {
            let b = target - width;
            if count(&|low, _| low < b) <= lo {
                cut_lo = b;
                break;
            }
            width *= 4.0;
        }
        let mut width = 1e-3 * target.abs().max(1.0);
        let mut cut_hi = f64::INFINITY;
        for _ in 0..64 {
            let b = target + width;
            if count(&|_, high| high > b) < n - hi {
                cut_hi = b;
                break;
            }
            width *= 4.0;
        }
        let mut band = Band {
            intercept: Vec::new(),
            slope: Vec::new(),
            below: 0,
            lo,
            hi,
            frac,
            scratch: Vec::new(),
        };
        for i in 0..n {
            let (low, high) = ends(i);
            if high < cut_lo {
                band.below += 1;
            } else if low <= cut_hi {
                band.intercept.push(paths.intercept[i]);
                band.slope.push(paths.slope[i]);
            }
        }
        band
    }

    fn quantile(&mut self, x: f64) -> f64 {
        self.scratch.clear();
        self.scratch.extend(
            self.intercept
                .iter()
                .zip(&self.slope[..])
                .map(|(a, s)| a + x * s),
        );
        let k = self.lo - self.below;
        let (_, &mut x_lo, above) = self.scratch.select_nth_unstable_by(k, f64::total_cmp);
        if self.hi == self.lo || above.is_empty() {
            return x_lo;
        }
        let x_hi = above.iter().copied().fold(f64::INFINITY, f64::min);
        x_lo + self.frac * (x_hi - x_lo)
    }
}

/// Bisection of `[l, r]` for where `reached` changes, given `reached(l) ==
/// left` and `reached(r) != left`, to [`TOLERANCE`]: returns the last point
/// found in `l`'s state and the first in `r`'s.
fn bisect(mut l: f64, mut r: f64, left: bool, mut reached: impl FnMut(f64) -> bool) -> (f64, f64) {
    for _ in 0..200 {
        if r - l <= TOLERANCE * r.abs().max(LEVER_ATOM) {
            break;
        }
        let m = 0.5 * (l + r);
        if reached(m) == left {
            l = m;
        } else {
            r = m;
        }
    }
    (l, r)
}

fn solve_percentile(paths: &LinearPaths, p: f64, t: f64, decreasing_share: f64) -> Solution {
    let n = paths.len();
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let hi = if frac > 0.0 { (lo + 1).min(n - 1) } else { lo };
    // The k-th order statistic (0-based) is at or above t exactly when at
    // least n - k paths are.
    let (need_hi, need_lo) = (n - hi, n - lo);
    let mut reach = Reach::new(paths, t);
    // Monotone unless a falling path starts above the lower order statistic
    // at lever 0, i.e. unless more than lo totals lie below the highest
    // falling path's.
    let monotone = reach.falling == 0 || {
        let top = paths
            .intercept
            .iter()
            .zip(&paths.slope[..])
            .filter(|(_, s)| **s < 0.0)
            .map(|(a, _)| *a)
            .fold(f64::NEG_INFINITY, f64::max);
        paths.intercept.par_iter().filter(|a| **a < top).count() <= lo
    };
    let [first_hi, first_lo] = reach.first_reach([need_hi, need_lo]);

    let floor = match (first_hi, first_lo) {
        (None, _) => None,
        (Some(a), Some(b)) if hi == lo || a == b => Some(b),
        (Some(a), Some(b)) => {
            // The interpolated quantile crosses t between the crossings of
            // its two order statistics.
            let mut band = Band::new(paths, (a, b), (lo, hi, frac), t);
            if band.quantile(a) >= t {
                Some(a)
            } else if band.quantile(b) < t {
                Some(b) // rounding at b: the lower order statistic is at t
            } else {
                Some(bisect(a, b, false, |x| band.quantile(x) >= t).1)
            }
        }
        (Some(a), None) => {
            // Only the upper order statistic reaches t: look for the
            // interpolated quantile within the stretch where it does.
            let end = reach
                .falls_below(a, need_hi)
                .unwrap_or_else(|| (2.0 * a).max(a + 1.0));
            let mut band = Band::new(paths, (a, end), (lo, hi, frac), t);
            let steps = 64;
            let mut found = None;
            let mut prev = a;
            for i in 0..=steps {
                let x = a + (end - a) * i as f64 / steps as f64;
                if band.quantile(x) >= t {
                    found = Some(if i == 0 {
                        x
                    } else {
                        bisect(prev, x, false, |y| band.quantile(y) >= t).1
                    });
                    break;
                }
                prev = x;
            }
            found
        }
    };

    let Some(floor) = floor else {
        let (best, best_at) = reach.best();
        let limit = if lo < reach.falling {
            None
        } else if lo < reach.falling + reach.flat {
            let mut flat: Vec<f64> = paths
                .intercept
                .iter()
                .zip(&paths.slope[..])
                .filter(|(_, s)| **s == 0.0)
                .map(|(a, _)| *a)
                .collect();
            Some(
                *flat
                    .select_nth_unstable_by(lo - reach.falling, f64::total_cmp)
                    .1,
            )
        } else {
            Some(f64::INFINITY)
        };
        return Solution::unreachable(
            Unreachable::PercentilePinned {
                needed_share: need_hi as f64 / n as f64,
                best_share: best as f64 / n as f64,
                best_at,
                flat_share: reach.flat as f64 / n as f64,
                decreasing_share,
                limit,
            },
            monotone,
            decreasing_share,
        );
    };

    let mut solution = Solution::reached(floor, monotone, decreasing_share);
    if let Some(x) = reach.falls_below(floor, need_hi) {
        // Just after x the upper order statistic, and so the quantile, is
        // below t. The quantile may leave a little earlier, but not before
        // the lower order statistic does if that one had reached t.
        let from = if reach.count_at(floor) >= need_lo {
            reach
                .falls_below(floor, need_lo)
                .map_or(floor, |f| f.clamp(floor, x))
        } else {
            floor
        };
        let end = if hi == lo {
            from
        } else {
            let r = x * (1.0 + 1e-12) + f64::MIN_POSITIVE;
            let mut band = Band::new(paths, (from, r), (lo, hi, frac), t);
            if band.quantile(r) >= t {
                r
            } else if band.quantile(from) < t {
                from
            } else {
                bisect(from, r, true, |y| band.quantile(y) >= t).0
            }
        };
        solution.falls_below_again = Some(end);
    }
    solution
}

// ------------------------------------------------- certainty equivalent

/// `u(w)`, `u'(w)`, `u''(w)` of CRRA utility with risk aversion `γ > 0`:
/// `u = w^{1-γ}/(1-γ)` (`ln w` at γ = 1), `u' = w^{-γ}`, `u'' = -γ w^{-γ-1}`;
/// `u = -∞` where `w ≤ 0`.
#[inline]
fn crra(w: f64, gamma: f64) -> (f64, f64, f64) {
    Curvature::new(gamma).at(w)
}

/// CRRA utility specialised by risk aversion, so the hot loop does one
/// division and at most one power per path.
#[derive(Debug, Clone, Copy)]
enum Curvature {
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
    fn new(gamma: f64) -> Curvature {
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
    fn at(self, w: f64) -> (f64, f64, f64) {
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
fn crra_inverse(u: f64, gamma: f64) -> f64 {
    if gamma == 1.0 {
        u.exp()
    } else {
        ((1.0 - gamma) * u).powf(1.0 / (1.0 - gamma))
    }
}

/// Expected utility and its first two derivatives in the lever, for the
/// scaled wealth `c_i + ℓ d_i` of every path.
///
/// `c_i = (w0 + a_i) / scale` and `d_i = s_i / scale` are computed where
/// they are used rather than stored: the same digits, and no copy of the
/// paths.
struct Utility<'a> {
    scaled: Scaled<'a>,
    curvature: Curvature,
    /// `u(1)`: the target, the alternative's CE wealth, is 1 after scaling.
    target: f64,
}

/// The paths' wealth `w0 + a_i + ℓ s_i` in units of `scale`.
#[derive(Debug, Clone, Copy)]
struct Scaled<'a> {
    a: &'a [f64],
    s: &'a [f64],
    w0: f64,
    scale: f64,
}

impl Scaled<'_> {
    /// `(c_i, d_i)` for every path.
    fn iter(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let (w0, scale) = (self.w0, self.scale);
        self.a
            .iter()
            .zip(self.s)
            .map(move |(a, s)| ((w0 + a) / scale, s / scale))
    }
}

#[derive(Debug, Clone, Copy)]
struct Eval {
    /// `φ(ℓ) - u(1)`.
    f: f64,
    /// `φ'(ℓ)`.
    df: f64,
    /// `φ''(ℓ)`.
    d2f: f64,
}

impl Utility<'_> {
    fn eval(&self, x: f64) -> Eval {
        match self.curvature {
            Curvature::Log => self.sum(x, Curvature::Log),
            Curvature::Two => self.sum(x, Curvature::Two),
            k @ Curvature::Whole(_) => self.sum(x, k),
            k @ Curvature::Real(_) => self.sum(x, k),
        }
    }

    #[inline(always)]
    fn sum(&self, x: f64, curvature: Curvature) -> Eval {
        let Scaled { a, s, w0, scale } = self.scaled;
        let parts: Vec<[f64; 3]> = a
            .par_chunks(CHUNK)
            .zip(s.par_chunks(CHUNK))
            .map(|(aa, ss)| {
                let mut sum = [0.0f64; 3];
                for (a, s) in aa.iter().zip(ss) {
                    let (c, d) = ((w0 + a) / scale, s / scale);
                    let (u, du, d2u) = curvature.at(c + x * d);
                    sum[0] += u;
                    sum[1] += d * du;
                    sum[2] += d * d * d2u;
                }
                sum
            })
            .collect();
        let n = a.len() as f64;
        let total = |k: usize| neumaier_sum(parts.iter().map(|p| p[k])) / n;
        Eval {
            f: total(0) - self.target,
            df: total(1),
            d2f: total(2),
        }
    }
}

/// Root of `g` in `[l, r]` where `g(l)` and `g(r)` differ in sign, with
/// Newton steps (derivative from `g`) kept inside the shrinking bracket and
/// bisection otherwise, until the bracket is narrower than `tolerance`
/// relative. Returns the bracket's ends.
fn bracketed_root(
    mut l: f64,
    mut r: f64,
    tolerance: f64,
    g: impl Fn(f64) -> (f64, f64),
) -> (f64, f64) {
    let left_sign = g(l).0 >= 0.0;
    let mut x = 0.5 * (l + r);
    for _ in 0..200 {
        let (v, dv) = g(x);
        if (v >= 0.0) == left_sign {
            l = x;
        } else {
            r = x;
        }
        let scale = r.abs().max(LEVER_ATOM);
        if r - l <= tolerance * scale {
            break;
        }
        let newton = x - v / dv;
        if newton.is_finite() && newton > l && newton < r {
            // Converged from one side: the bracket need not close.
            if (newton - x).abs() <= 0.1 * tolerance * scale {
                return (newton.min(x), newton.max(x));
            }
            x = newton;
        } else {
            x = 0.5 * (l + r);
        }
    }
    (l, r)
}

fn solve_ce(paths: &LinearPaths, t: f64, prefs: Preferences, decreasing_share: f64) -> Solution {
    let gamma = prefs.risk_aversion;
    let w0 = prefs.outside_wealth;
    let n = paths.len();
    // Wealth in units of the alternative's CE wealth: the target is u(1).
    let scale = w0 + t;
    if scale.is_nan() || scale <= 0.0 {
        return Solution::unreachable(Unreachable::TargetUndefined, true, decreasing_share);
    }
    let scaled = Scaled {
        a: &paths.intercept,
        s: &paths.slope,
        w0,
        scale,
    };

    // The lever values at which every path's wealth is positive: an open
    // or half-open interval (lower, upper).
    let mut lower = 0.0f64;
    let mut open_lower = false;
    let mut upper = f64::INFINITY;
    let mut never = 0usize;
    let mut flat = 0usize;
    for (ci, di) in scaled.iter() {
        if di > 0.0 {
            if ci <= 0.0 {
                lower = lower.max(-ci / di);
                open_lower = true;
            }
        } else if di < 0.0 {
            if ci <= 0.0 {
                never += 1;
            } else {
                upper = upper.min(ci / -di);
            }
        } else {
            flat += 1;
            if ci <= 0.0 {
                never += 1;
            }
        }
    }
    let monotone = upper.is_infinite();
    let ruin_at = upper.is_finite().then_some(upper);
    if never > 0 || lower >= upper {
        return Solution::unreachable(
            Unreachable::CertaintyEquivalentUndefined {
                share: never.max(1) as f64 / n as f64,
            },
            monotone,
            decreasing_share,
        );
    }
    let utility = Utility {
        scaled,
        curvature: Curvature::new(gamma),
        target: crra(1.0, gamma).0,
    };
    let ce_of = |f: f64| scale * crra_inverse(f + utility.target, gamma) - w0;
    let flat_share = flat as f64 / n as f64;

    // However large the lever, with γ > 1 and no falling path the expected
    // utility only approaches its limit: paths that rise tend to u(∞) = 0.
    if upper.is_infinite() && gamma > 1.0 {
        let sup = neumaier_sum(
            scaled
                .iter()
                .filter(|(_, d)| *d == 0.0)
                .map(|(c, _)| crra(c, gamma).0),
        ) / n as f64;
        if sup.is_nan() || sup <= utility.target {
            return Solution::unreachable(
                Unreachable::CertaintyEquivalentBounded {
                    limit: ce_of(sup - utility.target),
                    flat_share,
                },
                monotone,
                decreasing_share,
            );
        }
    }

    // A start inside the domain where the expected utility is finite.
    let room = if upper.is_finite() {
        upper - lower
    } else {
        lower.max(1.0)
    };
    let mut x = lower;
    let mut e = utility.eval(x);
    if open_lower || !e.f.is_finite() {
        let mut step = (room * 1e-6).max(LEVER_ATOM);
        loop {
            x = lower + step;
            e = utility.eval(x);
            if (e.f.is_finite() && e.df.is_finite()) || step >= 0.5 * room {
                break;
            }
            step *= 8.0;
        }
    }
    if e.f >= 0.0 {
        let mut s = Solution::reached(x, monotone, decreasing_share);
        s.falls_below_again = ce_falls_below(&utility, x, upper);
        return s;
    }

    // Newton from the left on the concave φ: each tangent lies above φ, so
    // its zero never passes the lower end of the target's interval, and a
    // zero past the peak or the domain proves there is none.
    let peak_between = |from: f64, to: f64| -> Unreachable {
        // The peak only explains: its place need not be precise, and the
        // CE is flat there.
        let (l, r) = bracketed_root(from, to, 1e-4, |y| {
            let e = utility.eval(y);
            (e.df, e.d2f)
        });
        let at = 0.5 * (l + r);
        Unreachable::CertaintyEquivalentPeaks {
            peak_value: ce_of(utility.eval(at).f),
            peak_at: at,
            ruin_at,
        }
    };
    let mut rising_at: Option<f64> = None;
    for _ in 0..200 {
        if e.df.is_nan() || e.df <= 0.0 {
            let why = if e.df == 0.0 && upper.is_infinite() {
                Unreachable::CertaintyEquivalentBounded {
                    limit: ce_of(e.f),
                    flat_share,
                }
            } else if let Some(l) = rising_at {
                peak_between(l, x)
            } else {
                // Falling from the start.
                Unreachable::CertaintyEquivalentPeaks {
                    peak_value: ce_of(e.f),
                    peak_at: x,
                    ruin_at,
                }
            };
            return Solution::unreachable(why, monotone, decreasing_share);
        }
        rising_at = Some(x);
        let step = -e.f / e.df;
        let next = x + step;
        if next.is_nan() || next >= upper {
            let to = upper - (upper - x) * 1e-9;
            let at_end = utility.eval(to);
            let why = if at_end.df < 0.0 {
                peak_between(x, to)
            } else {
                // Rising all the way to where the CE stops being defined.
                Unreachable::CertaintyEquivalentPeaks {
                    peak_value: ce_of(at_end.f),
                    peak_at: upper,
                    ruin_at,
                }
            };
            return Solution::unreachable(why, monotone, decreasing_share);
        }
        let next_e = utility.eval(next);
        let converged = step <= TOLERANCE * 1e-3 * next.abs().max(LEVER_ATOM);
        x = next;
        e = next_e;
        if e.f >= 0.0 || converged {
            break;
        }
    }
    let mut s = Solution::reached(x, monotone, decreasing_share);
    s.falls_below_again = ce_falls_below(&utility, x, upper);
    s
}

/// Where the certainty equivalent drops below the target again after
/// reaching it at `floor`: the upper end of the (interval) set where it is
/// reached, within the domain that ends at `upper`.
fn ce_falls_below(utility: &Utility, floor: f64, upper: f64) -> Option<f64> {
    if upper.is_infinite() {
        return None;
    }
    // Approach the domain's end until the criterion is below the target.
    let mut ok = floor;
    for k in 1..=60 {
        let x = upper - (upper - floor) * 0.5f64.powi(k);
        if x <= ok {
            break;
        }
        if utility.eval(x).f < 0.0 {
            let (l, _) = bracketed_root(ok, x, TOLERANCE, |y| {
                let e = utility.eval(y);
                (e.f, e.df)
            });
            return Some(l);
        }
        ok = x;
    }
    // Still reached where the CE stops being defined.
    Some(upper)
}

// ------------------------------------------------------- the scenario

/// The stored per-path terms of a simulation from which every floor is
/// solved (model section 10): `X_i = sign_on + B f_i + A_i + G U_i` for the
/// offer, `Y_i` for the alternative.
#[derive(Debug, Clone)]
pub struct FloorProblem {
    /// `f_i`: PV of one unit of yearly base (and its bonus) over the path's
    /// employment.
    pub pay_factor: Vec<f64>,
    /// `A_i`: private equity PV (after illiquidity, less exercise costs) at
    /// an initial grant of 0.
    pub equity_fixed: Vec<f64>,
    /// `U_i = ∂X_i/∂G`.
    pub equity_per_grant: Vec<f64>,
    /// `Y_i`: the alternative's total.
    pub alternative: Vec<f64>,
    pub sign_on: f64,
    /// The offer's base `B` and initial grant `G` as given.
    pub base: f64,
    pub grant: f64,
    pub prefs: Preferences,
}

/// One path's floor terms `(f_i, A_i, U_i, Y_i)`.
#[derive(Debug, Clone, Copy)]
struct Terms {
    rate: f64,
    grant: f64,
    offer_bonus: f64,
    alternative: Pay,
}

impl Terms {
    fn new(model: &Model) -> Terms {
        Terms {
            rate: model.discount_rate,
            grant: model.offer.grant,
            offer_bonus: model.offer.pay.bonus_rate,
            alternative: model.alternative.pay,
        }
    }

    #[inline]
    fn of(&self, p: &PathRecord) -> [f64; 4] {
        let f = pay_factor(p.employed_years, self.rate, self.offer_bonus);
        let alt = &self.alternative;
        let f_alt = if alt.bonus_rate == self.offer_bonus {
            f
        } else {
            pay_factor(p.employed_years, self.rate, alt.bonus_rate)
        };
        [
            f,
            p.offer_equity - self.grant * p.offer_equity_per_grant,
            p.offer_equity_per_grant,
            // As stats::totals computes it.
            alt.sign_on + alt.base * f_alt + p.alternative_equity,
        ]
    }
}

impl FloorProblem {
    /// The floor terms of `sim`'s paths.
    pub fn new(sim: &Simulation, prefs: Preferences) -> FloorProblem {
        let terms = Terms::new(&sim.plan.model);
        let n = sim.records.len();
        let mut problem = FloorProblem::empty(&sim.plan.model, n, prefs);
        problem.fill(0, &sim.records, &terms);
        problem
    }

    /// The floor terms of `sim`'s paths, consuming it: the paths are
    /// converted from the last one back, a block at a time, and each
    /// block's storage is released once converted, so that the paths and
    /// their terms (32 bytes a path against 48) are never held in full at
    /// once. (Releasing relies on the allocator shrinking a large block in
    /// place, as glibc does; elsewhere the peak is that of [`Self::new`].)
    pub fn from_simulation(sim: Simulation, prefs: Preferences) -> FloorProblem {
        const BLOCK: usize = 1 << 20;
        let Simulation { plan, mut records } = sim;
        let terms = Terms::new(&plan.model);
        let mut problem = FloorProblem::empty(&plan.model, records.len(), prefs);
        while !records.is_empty() {
            let start = records.len().saturating_sub(BLOCK);
            problem.fill(start, &records[start..], &terms);
            records.truncate(start);
            records.shrink_to_fit();
        }
        problem
    }

    /// Zeroed terms for `n` paths (zeroed memory is only committed when
    /// written).
    fn empty(model: &Model, n: usize, prefs: Preferences) -> FloorProblem {
        FloorProblem {
            pay_factor: vec![0.0; n],
            equity_fixed: vec![0.0; n],
            equity_per_grant: vec![0.0; n],
            alternative: vec![0.0; n],
            sign_on: model.offer.pay.sign_on,
            base: model.offer.pay.base,
            grant: model.offer.grant,
            prefs,
        }
    }

    /// Writes the terms of `records`, paths `start..`.
    fn fill(&mut self, start: usize, records: &[PathRecord], terms: &Terms) {
        let end = start + records.len();
        self.pay_factor[start..end]
            .par_iter_mut()
            .zip(&mut self.equity_fixed[start..end])
            .zip(&mut self.equity_per_grant[start..end])
            .zip(&mut self.alternative[start..end])
            .zip(records)
            .for_each(|((((f, a), u), y), p)| {
                [*f, *a, *u, *y] = terms.of(p);
            });
    }

    /// The offer's totals as a function of the initial grant, holding the
    /// base at `base`.
    pub fn grant_lever(&self, base: f64) -> LinearPaths<'_> {
        LinearPaths {
            intercept: self
                .pay_factor
                .par_iter()
                .zip(&self.equity_fixed)
                .map(|(f, a)| self.sign_on + base * f + a)
                .collect::<Vec<f64>>()
                .into(),
            slope: Cow::Borrowed(&self.equity_per_grant),
        }
    }

    /// The offer's totals as a function of the base, holding the initial
    /// grant at `grant`.
    pub fn base_lever(&self, grant: f64) -> LinearPaths<'_> {
        LinearPaths {
            intercept: self
                .equity_fixed
                .par_iter()
                .zip(&self.equity_per_grant)
                .map(|(a, u)| self.sign_on + a + grant * u)
                .collect::<Vec<f64>>()
                .into(),
            slope: Cow::Borrowed(&self.pay_factor),
        }
    }

    /// The lever `solve_for` with the other held as offered.
    pub fn lever(&self, solve_for: SolveFor) -> LinearPaths<'_> {
        match solve_for {
            SolveFor::Grant => self.grant_lever(self.base),
            SolveFor::Base => self.base_lever(self.grant),
        }
    }

    /// The offer's grant or base as offered.
    pub fn current(&self, solve_for: SolveFor) -> f64 {
        match solve_for {
            SolveFor::Grant => self.grant,
            SolveFor::Base => self.base,
        }
    }

    /// The alternative's value of `criterion`.
    pub fn target(&self, criterion: Criterion) -> Option<f64> {
        criterion_value(criterion, &self.alternative, self.prefs)
    }

    /// The floor for `criterion` on lever `solve_for`; when a grant floor is
    /// unreachable, also the base floor at the offered grant.
    pub fn floor(&self, criterion: Criterion, solve_for: SolveFor) -> Floor {
        self.floors(&[criterion], solve_for).remove(0)
    }

    /// [`FloorProblem::floor`] for several criteria, sharing the work.
    ///
    /// One lever's per-path totals are held at a time: every floor on
    /// `solve_for` first, then the base floors of the grant floors no grant
    /// reaches.
    pub fn floors(&self, criteria: &[Criterion], solve_for: SolveFor) -> Vec<Floor> {
        let mut floors: Vec<Floor> = {
            let lever = self.lever(solve_for);
            let current = self.current(solve_for);
            criteria
                .iter()
                .map(|&criterion| {
                    let target = self.target(criterion);
                    let offer_value = criterion_value_of(criterion, lever.at(current), self.prefs);
                    Floor::new(
                        criterion,
                        solve_for,
                        current,
                        target,
                        offer_value,
                        solve(criterion, &lever, target, self.prefs),
                    )
                })
                .collect()
        };
        if solve_for == SolveFor::Grant && floors.iter().any(|f| !f.reachable) {
            let base = self.lever(SolveFor::Base);
            for floor in floors.iter_mut().filter(|f| !f.reachable) {
                // The offer as given: the same totals whichever the lever.
                floor.base_floor = Some(Box::new(Floor::new(
                    floor.criterion,
                    SolveFor::Base,
                    self.base,
                    floor.target,
                    floor.offer_value,
                    solve(floor.criterion, &base, floor.target, self.prefs),
                )));
            }
        }
        floors
    }
}

/// One criterion's floor, with what a person needs to read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floor {
    pub criterion: Criterion,
    pub solve_for: SolveFor,
    /// The floor: the smallest grant (or base) at which the offer's
    /// criterion reaches the alternative's; `None` when none does.
    pub value: Option<f64>,
    pub reachable: bool,
    /// The offer's grant (or base) as offered.
    pub current: f64,
    /// The alternative's value of the criterion (`None`: undefined).
    pub target: Option<f64>,
    /// The offer's value of the criterion as offered (`None`: undefined).
    pub offer_value: Option<f64>,
    /// `current - value`: how far the offer is above (or, negative, below)
    /// the floor.
    pub margin: Option<f64>,
    /// `current / value - 1` (`None` when the floor is 0).
    pub margin_ratio: Option<f64>,
    /// See [`Solution::monotone`].
    pub monotone: bool,
    /// See [`Solution::falls_below_again`].
    pub falls_below_again: Option<f64>,
    /// See [`Solution::decreasing_share`].
    pub decreasing_share: f64,
    /// Why the floor is unreachable.
    pub unreachable: Option<Unreachable>,
    /// For an unreachable grant floor: the base floor at the offered grant,
    /// the lever that is left.
    pub base_floor: Option<Box<Floor>>,
    /// In a streamed run, where the floor is known to lie (see
    /// [`crate::decisions::streaming`]); `None` when it is solved exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<FloorBounds>,
}

/// The interval a floor found from sketches or on a grid lies in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FloorBounds {
    pub low: f64,
    pub high: f64,
    /// What limits the precision: `"quantile sketch"` or `"lever grid"`.
    pub from: &'static str,
}

impl Floor {
    pub(crate) fn new(
        criterion: Criterion,
        solve_for: SolveFor,
        current: f64,
        target: Option<f64>,
        offer_value: Option<f64>,
        s: Solution,
    ) -> Floor {
        Floor {
            criterion,
            solve_for,
            value: s.floor,
            reachable: s.floor.is_some(),
            current,
            target,
            offer_value,
            margin: s.floor.map(|v| current - v),
            margin_ratio: s.floor.filter(|v| *v > 0.0).map(|v| current / v - 1.0),
            monotone: s.monotone,
            falls_below_again: s.falls_below_again,
            decreasing_share: s.decreasing_share,
            unreachable: s.unreachable,
            base_floor: None,
            bounds: None,
        }
    }
}

/// The floors of one scenario, one per criterion in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floors {
    pub solve_for: SolveFor,
    pub floors: Vec<Floor>,
}

impl Floors {
    /// The floor for `criterion`, if it was solved.
    pub fn get(&self, criterion: Criterion) -> Option<&Floor> {
        self.floors.iter().find(|f| f.criterion == criterion)
    }
}

/// Solves the floor of every criterion on `solve_for` for a simulation of
/// `scenario` (whose outside wealth and risk aversion the CE uses).
pub fn solve_floors(
    sim: &Simulation,
    scenario: &Scenario,
    solve_for: SolveFor,
    criteria: &[Criterion],
) -> Floors {
    let problem = FloorProblem::new(sim, Preferences::of(scenario));
    Floors {
        solve_for,
        floors: problem.floors(criteria, solve_for),
    }
}

/// [`solve_floors`] for a simulation that is no longer needed: its paths
/// are released as their floor terms are built
/// ([`FloorProblem::from_simulation`]), which keeps the peak memory of a
/// run near that of its paths alone.
pub fn solve_floors_consuming(
    sim: Simulation,
    scenario: &Scenario,
    solve_for: SolveFor,
    criteria: &[Criterion],
) -> Floors {
    let problem = FloorProblem::from_simulation(sim, Preferences::of(scenario));
    Floors {
        solve_for,
        floors: problem.floors(criteria, solve_for),
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

    fn lcg_paths(n: usize, seed: u64, negative: bool) -> LinearPaths<'static> {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
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
}
