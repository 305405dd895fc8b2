//! Summaries of per-path values: moments, quantiles, tail means and the
//! CRRA certainty equivalent.
//!
//! Everything here runs sequentially over values in path order, so the
//! same paths give the same digits whatever the thread count that made them.

use rayon::slice::ParallelSliceMut;
use serde::Serialize;

/// The percentiles every summary reports.
pub const PERCENTILES: [u8; 9] = [1, 5, 10, 25, 50, 75, 90, 95, 99];

/// Mean and sample standard deviation, computed block by block as
/// [`Moments`] does (so a streamed run gives the same digits).
///
/// Returns `(mean, sample sd)`; the sd is 0 for fewer than two values.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let m = Moments::of(values);
    (m.mean(), m.sd())
}

/// Sum with Neumaier's compensation: the error does not grow with the count.
pub fn neumaier_sum(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = moments::Compensated::default();
    for x in values {
        sum.add(x);
    }
    sum.value()
}

/// The `p`-quantile (`p` in [0, 1]) of ascending `sorted` values, linearly
/// interpolated between order statistics (Hyndman–Fan type 7, numpy's
/// default): `h = (n - 1) p`, `x = x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋)`.
///
/// ```
/// use equisim::stats::quantile_sorted;
/// let v = [1.0, 2.0, 3.0, 4.0];
/// assert_eq!(quantile_sorted(&v, 0.5), 2.5);
/// assert_eq!(quantile_sorted(&v, 0.0), 1.0);
/// assert_eq!(quantile_sorted(&v, 1.0), 4.0);
/// ```
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = h - lo as f64;
    if frac == 0.0 {
        sorted[lo]
    } else {
        sorted[lo] + frac * (sorted[hi] - sorted[lo])
    }
}

/// The `p`-quantile of unsorted `values`, the same number as
/// [`quantile_sorted`] gives on the sorted values (type 7), in `O(n)`:
/// selects the `⌊h⌋`-th order statistic, `h = (n - 1) p`, and takes the
/// smallest value above it for the interpolation. Reorders `values`.
///
/// ```
/// use equisim::stats::{quantile_select, quantile_sorted};
/// let mut v = [4.0, 1.0, 3.0, 2.0];
/// assert_eq!(quantile_select(&mut v, 0.5), 2.5);
/// assert_eq!(quantile_select(&mut v, 0.1), quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.1));
/// ```
pub fn quantile_select(values: &mut [f64], p: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let (_, &mut x_lo, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    if frac == 0.0 || above.is_empty() {
        return x_lo;
    }
    let x_hi = above.iter().copied().fold(f64::INFINITY, f64::min);
    x_lo + frac * (x_hi - x_lo)
}

/// [`quantile_select`] at several levels `ps` at once: one nested selection
/// ([`order_statistics`]) instead of one full selection a level. Each is
/// the same number: an order statistic does not depend on how the values
/// were arranged.
pub fn quantiles_select<const K: usize>(values: &mut [f64], ps: [f64; K]) -> [f64; K] {
    let n = values.len();
    if n == 0 {
        return [f64::NAN; K];
    }
    let place = |p: f64| {
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        (h.floor() as usize, h - h.floor())
    };
    let mut ranks: Vec<usize> = ps
        .iter()
        .flat_map(|&p| {
            let (lo, _) = place(p);
            [lo, (lo + 1).min(n - 1)]
        })
        .collect();
    let stats = order_statistics(values, &mut ranks);
    let at = |rank: usize| stats[ranks.binary_search(&rank).unwrap_or(0)];
    ps.map(|p| {
        let (lo, frac) = place(p);
        let x_lo = at(lo);
        if frac == 0.0 || lo + 1 >= n {
            x_lo
        } else {
            x_lo + frac * (at(lo + 1) - x_lo)
        }
    })
}

/// Sorts ascending (in parallel; the result is the same for any thread count).
pub fn sort(values: &mut [f64]) {
    values.par_sort_unstable_by(f64::total_cmp);
}

/// Expected shortfall: the mean of the worst `fraction` of ascending
/// `sorted` values (at least one value).
pub fn expected_shortfall_sorted(sorted: &[f64], fraction: f64) -> f64 {
    let k = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len().max(1));
    neumaier_sum(sorted[..k].iter().copied()) / k as f64
}

/// Percentiles keyed `p1` … `p99`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Percentiles {
    pub p1: f64,
    pub p5: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
}

impl Percentiles {
    pub fn of_sorted(sorted: &[f64]) -> Percentiles {
        Percentiles::from_fn(|p| quantile_sorted(sorted, p as f64 / 100.0))
    }

    /// Each percentile from `q(NN)`.
    pub(crate) fn from_fn(q: impl Fn(u8) -> f64) -> Percentiles {
        Percentiles {
            p1: q(1),
            p5: q(5),
            p10: q(10),
            p25: q(25),
            p50: q(50),
            p75: q(75),
            p90: q(90),
            p95: q(95),
            p99: q(99),
        }
    }
}

/// The distribution of one value (an offer's total or its equity part).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    /// Monte Carlo standard error of the mean, `sd / √n`.
    pub std_error: f64,
    pub sd: f64,
    pub percentiles: Percentiles,
    /// Mean of the worst 10% of paths.
    pub expected_shortfall_10: f64,
    /// CRRA certainty equivalent; `None` when `w0 + X ≤ 0` on some path.
    pub certainty_equivalent: Option<f64>,
}

impl Summary {
    /// Summarizes `values`, reordering them in place.
    ///
    /// Percentiles and the expected shortfall come from order statistics
    /// found by selection (`O(n)` each, no full sort); the result is the
    /// same as from a sorted copy.
    pub fn of(values: &mut [f64], prefs: Preferences) -> Summary {
        let n = values.len();
        let (mean, sd) = mean_sd(values);
        let ce = certainty_equivalent(values, prefs).ok();
        let shortfall_count = ((n as f64 * 0.10).ceil() as usize).clamp(1, n.max(1));
        let mut ranks: Vec<usize> = PERCENTILES
            .iter()
            .flat_map(|&p| {
                let lo = ((n.max(1) - 1) as f64 * (p as f64 / 100.0)).floor() as usize;
                [lo, (lo + 1).min(n.max(1) - 1)]
            })
            .chain([shortfall_count - 1])
            .collect();
        let stats = order_statistics(values, &mut ranks);
        let at = |rank: usize| stats[ranks.binary_search(&rank).unwrap_or(0)];
        let q = |p: u8| {
            let h = (n.max(1) - 1) as f64 * (p as f64 / 100.0);
            let lo = h.floor() as usize;
            let frac = h - lo as f64;
            let x_lo = at(lo);
            if frac == 0.0 {
                x_lo
            } else {
                x_lo + frac * (at((lo + 1).min(n - 1)) - x_lo)
            }
        };
        let percentiles = if n == 0 {
            Percentiles::of_sorted(&[])
        } else {
            Percentiles::from_fn(q)
        };
        // After the selections, the first `shortfall_count` values are the
        // smallest ones (in some order).
        let expected_shortfall_10 = if n == 0 {
            f64::NAN
        } else {
            neumaier_sum(values[..shortfall_count].iter().copied()) / shortfall_count as f64
        };
        Summary {
            mean,
            std_error: sd / (n as f64).sqrt(),
            sd,
            percentiles,
            expected_shortfall_10,
            certainty_equivalent: ce,
        }
    }
}

/// The order statistics of 0-based `ranks` (sorted and deduplicated in
/// place), found by nested selection: each selection only permutes the
/// range between two ranks already placed, so after all of them
/// `values[r]` is the `r`-th smallest for every requested `r`, and every
/// prefix up to a requested rank holds the smallest values.
pub fn order_statistics(values: &mut [f64], ranks: &mut Vec<usize>) -> Vec<f64> {
    ranks.sort_unstable();
    ranks.dedup();
    ranks.retain(|&r| r < values.len());
    fn place(values: &mut [f64], offset: usize, ranks: &[usize]) {
        if ranks.is_empty() {
            return;
        }
        let mid = ranks.len() / 2;
        let r = ranks[mid] - offset;
        values.select_nth_unstable_by(r, f64::total_cmp);
        let (left, right) = values.split_at_mut(r);
        place(left, offset, &ranks[..mid]);
        place(&mut right[1..], offset + r + 1, &ranks[mid + 1..]);
    }
    place(values, 0, ranks);
    ranks.iter().map(|&r| values[r]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_and_quantiles() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Summary::of(&mut v, Preferences::new(1000.0, 0.0));
        assert_eq!(s.mean, 50.5);
        assert!((s.sd - 29.011491975882016).abs() < 1e-12);
        assert_eq!(s.percentiles.p50, 50.5);
        assert!((s.percentiles.p10 - 10.9).abs() < 1e-12);
        assert_eq!(s.expected_shortfall_10, 5.5);
        assert_eq!(s.certainty_equivalent, Some(50.5));
    }

    /// A scrambled sequence with ties and negatives.
    fn scrambled() -> Vec<f64> {
        let mut v: Vec<f64> = (0..10_007u64)
            .map(|i| ((i * 7919) % 10_007) as f64 / 7.0 - 300.0)
            .collect();
        v.extend([0.0; 500]);
        v
    }

    #[test]
    fn quantiles_at_once_are_each_quantile_selected_alone() {
        let mut v = scrambled();
        let ps = [0.0, 0.1, 0.5, 0.9, 0.999, 1.0];
        let alone = ps.map(|p| quantile_select(&mut v.clone(), p));
        let at_once = quantiles_select(&mut v, ps);
        assert_eq!(alone.map(f64::to_bits), at_once.map(f64::to_bits));
        for n in [1, 2, 3] {
            let w: Vec<f64> = (0..n).map(|i| f64::from(i) * 1.5).collect();
            let alone = ps.map(|p| quantile_select(&mut w.clone(), p));
            assert_eq!(quantiles_select(&mut w.clone(), ps), alone, "{n} values");
        }
        assert!(quantiles_select(&mut [], [0.5])[0].is_nan());
    }

    #[test]
    fn selection_matches_a_full_sort() {
        let mut v = scrambled();
        let mut sorted = v.clone();
        sort(&mut sorted);
        let s = Summary::of(&mut v, Preferences::new(1e6, 2.0));
        assert_eq!(s.percentiles, Percentiles::of_sorted(&sorted));
        let es = expected_shortfall_sorted(&sorted, 0.10);
        assert!(
            (s.expected_shortfall_10 - es).abs() <= 1e-9 * es.abs(),
            "{} vs {es}",
            s.expected_shortfall_10
        );
    }

    #[test]
    fn ce_below_mean_and_errors_on_ruin() {
        let x = [-50.0, 0.0, 100.0, 400.0];
        let ce2 = certainty_equivalent(&x, Preferences::new(100.0, 2.0)).unwrap();
        // Harmonic mean of wealth 50, 100, 200, 500 = 4 / (0.02 + 0.01 + 0.005 + 0.002).
        assert!((ce2 - (4.0 / 0.037 - 100.0)).abs() < 1e-9, "{ce2}");
        let ce20 = certainty_equivalent(&x, Preferences::new(100.0, 20.0)).unwrap();
        assert!(ce20 < ce2 && ce20 > -50.0);
        assert_eq!(
            certainty_equivalent(&x, Preferences::new(50.0, 2.0)),
            Err(NonPositiveWealth { worst: -50.0 })
        );
    }
}

mod comparison;
mod moments;
mod outputs;
mod totals;
mod utility;
pub use comparison::PathwiseComparison;
pub use moments::{BLOCK, Moments};
pub use outputs::*;
pub use totals::{Totals, total, totals};
pub(crate) use utility::{Curvature, certainty_equivalent_in_parallel, crra, crra_inverse};
pub use utility::{NonPositiveWealth, Preferences, UtilitySum, certainty_equivalent};
pub mod sketch;
pub mod streaming;
