//! A mergeable quantile sketch with a relative error bound, for runs too
//! large to keep every path.
//!
//! Values are counted in fixed, logarithmically spaced bins (the DDSketch
//! mapping): bin `i > 0` holds `(γ^{i-1}, γ^i]` with `γ = (1 + α) / (1 - α)`,
//! negative values mirror it, and `|x| < MIN_MAGNITUDE` counts as zero. A bin
//! is reported by `2 γ^i / (γ + 1)`, which is within a factor `1 ± α` of
//! every value in it, so every quantile is within relative error `α` of an
//! order statistic of the data (absolute error below `MIN_MAGNITUDE` for
//! values that small). Counts are integers, so merging is exact and does
//! not depend on the order: any split of paths across threads gives the
//! same sketch.

/// Values smaller in magnitude than this are counted as 0 (money units:
/// far below a cent of any currency).
pub const MIN_MAGNITUDE: f64 = 1e-3;

/// Largest magnitude the bins cover; larger values land in the last bin.
pub const MAX_MAGNITUDE: f64 = 1e18;

/// Relative accuracy of the sketches a run uses.
pub const DEFAULT_RELATIVE_ERROR: f64 = 0.0025;

#[derive(Debug, Clone, PartialEq)]
pub struct QuantileSketch {
    relative_error: f64,
    ln_gamma: f64,
    /// Index of the first bin: `ceil(ln MIN_MAGNITUDE / ln γ)`.
    first: i32,
    positive: Vec<u64>,
    negative: Vec<u64>,
    zero: u64,
    count: u64,
}

impl QuantileSketch {
    /// An empty sketch with relative accuracy `relative_error` (0 < α < 1).
    pub fn new(relative_error: f64) -> QuantileSketch {
        let gamma = (1.0 + relative_error) / (1.0 - relative_error);
        let ln_gamma = gamma.ln();
        let first = (MIN_MAGNITUDE.ln() / ln_gamma).ceil() as i32;
        let last = (MAX_MAGNITUDE.ln() / ln_gamma).ceil() as i32;
        let bins = (last - first + 1) as usize;
        QuantileSketch {
            relative_error,
            ln_gamma,
            first,
            positive: vec![0; bins],
            negative: vec![0; bins],
            zero: 0,
            count: 0,
        }
    }

    pub fn relative_error(&self) -> f64 {
        self.relative_error
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    #[inline]
    fn bin(&self, magnitude: f64) -> usize {
        let i = (magnitude.ln() / self.ln_gamma).ceil() as i32;
        ((i - self.first).max(0) as usize).min(self.positive.len() - 1)
    }

    /// The value that stands for bin `b`: `2 γ^i / (γ + 1)`.
    fn representative(&self, b: usize) -> f64 {
        let i = b as i32 + self.first;
        let gamma = self.ln_gamma.exp();
        2.0 * (i as f64 * self.ln_gamma).exp() / (gamma + 1.0)
    }

    /// Counts one value. NaN is ignored (the engine never produces one).
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.count += 1;
        let m = x.abs();
        if m < MIN_MAGNITUDE {
            self.zero += 1;
        } else if x > 0.0 {
            let b = self.bin(m);
            self.positive[b] += 1;
        } else {
            let b = self.bin(m);
            self.negative[b] += 1;
        }
    }

    /// Adds another sketch's counts (same accuracy).
    pub fn merge(&mut self, other: &QuantileSketch) {
        debug_assert_eq!(self.positive.len(), other.positive.len());
        for (a, b) in self.positive.iter_mut().zip(&other.positive) {
            *a += b;
        }
        for (a, b) in self.negative.iter_mut().zip(&other.negative) {
            *a += b;
        }
        self.zero += other.zero;
        self.count += other.count;
    }

    /// The value of the order statistic of 0-based `rank` (ascending),
    /// within the relative error.
    pub fn at_rank(&self, rank: u64) -> f64 {
        let mut seen = 0u64;
        for b in (0..self.negative.len()).rev() {
            seen += self.negative[b];
            if rank < seen {
                return -self.representative(b);
            }
        }
        seen += self.zero;
        if rank < seen {
            return 0.0;
        }
        for b in 0..self.positive.len() {
            seen += self.positive[b];
            if rank < seen {
                return self.representative(b);
            }
        }
        self.representative(self.positive.len() - 1)
    }

    /// The `p`-quantile, interpolated between order statistics like
    /// [`super::quantile_sorted`]: within relative error `α` of the exact
    /// answer's neighbouring order statistics.
    ///
    /// ```
    /// use equisim::stats::sketch::QuantileSketch;
    /// let mut s = QuantileSketch::new(0.01);
    /// for i in 1..=1000 { s.add(i as f64); }
    /// let median = s.quantile(0.5);
    /// assert!((median - 500.5).abs() <= 0.01 * 501.0);
    /// ```
    pub fn quantile(&self, p: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let h = (self.count - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as u64;
        let frac = h - lo as f64;
        let a = self.at_rank(lo);
        if frac == 0.0 {
            a
        } else {
            a + frac * (self.at_rank((lo + 1).min(self.count - 1)) - a)
        }
    }

    /// The non-empty bins in ascending order of value, as (the value that
    /// stands for the bin, how many values it holds).
    pub fn bins_ascending(&self) -> Vec<(f64, u64)> {
        let mut out = Vec::new();
        for b in (0..self.negative.len()).rev() {
            if self.negative[b] > 0 {
                out.push((-self.representative(b), self.negative[b]));
            }
        }
        if self.zero > 0 {
            out.push((0.0, self.zero));
        }
        for b in 0..self.positive.len() {
            if self.positive[b] > 0 {
                out.push((self.representative(b), self.positive[b]));
            }
        }
        out
    }

    /// Mean of the lowest `fraction` of values, from bin representatives.
    pub fn lower_tail_mean(&self, fraction: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let k = ((self.count as f64 * fraction).ceil() as u64).clamp(1, self.count);
        let mut left = k;
        let mut sum = 0.0;
        let mut take = |n: u64, v: f64, left: &mut u64| {
            let t = n.min(*left);
            sum += t as f64 * v;
            *left -= t;
        };
        for b in (0..self.negative.len()).rev() {
            if left == 0 {
                break;
            }
            take(self.negative[b], -self.representative(b), &mut left);
        }
        take(self.zero, 0.0, &mut left);
        for b in 0..self.positive.len() {
            if left == 0 {
                break;
            }
            take(self.positive[b], self.representative(b), &mut left);
        }
        sum / k as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{quantile_sorted, sort};

    #[test]
    fn quantiles_within_the_stated_error() {
        let alpha = DEFAULT_RELATIVE_ERROR;
        let mut values: Vec<f64> = (0..20_000)
            .map(|i| {
                let u = (i as f64 + 0.5) / 20_000.0;
                // Mixed signs, an atom at zero, and a long right tail.
                if u < 0.1 {
                    -5_000.0 * (1.0 - u * 10.0)
                } else if u < 0.4 {
                    0.0
                } else {
                    1e3 * (u * 12.0).exp()
                }
            })
            .collect();
        let mut sketch = QuantileSketch::new(alpha);
        let mut other = QuantileSketch::new(alpha);
        for (i, v) in values.iter().enumerate() {
            if i % 3 == 0 {
                other.add(*v)
            } else {
                sketch.add(*v)
            }
        }
        sketch.merge(&other);
        sort(&mut values);
        for p in [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] {
            let exact = quantile_sorted(&values, p);
            let approx = sketch.quantile(p);
            assert!(
                (approx - exact).abs() <= alpha * exact.abs() + 1e-9,
                "p {p}: {approx} vs {exact}"
            );
        }
        let k = values.len() / 10;
        let es: f64 = values[..k].iter().sum::<f64>() / k as f64;
        assert!((sketch.lower_tail_mean(0.1) - es).abs() <= alpha * es.abs());
    }
}
