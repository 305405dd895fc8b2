//! Binned data: charts are drawn from a few hundred counts, never from the
//! paths themselves, so drawing costs the same for 20,000 or 10,000,000
//! paths.

/// The percentiles a chart of totals shows (P1–P99): beyond them a few
/// extreme paths would take most of the axis.
pub const TOTAL_VIEW: (f64, f64) = (0.01, 0.99);
/// The percentiles a log axis shows (P0.5–P99.5): a log scale already
/// keeps a long tail readable.
pub const LOG_VIEW: (f64, f64) = (0.005, 0.995);

/// `"P1–P99"`: a view's percentiles as a chart note says them.
pub fn view_name((low, high): (f64, f64)) -> String {
    let p = |q: f64| {
        let v = q * 100.0;
        if (v - v.round()).abs() < 1e-9 {
            format!("P{v:.0}")
        } else {
            format!("P{v:.1}")
        }
    };
    format!("{}–{}", p(low), p(high))
}

/// Equal-width bins over `[lo, lo + width · bins]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub lo: f64,
    pub width: f64,
    pub bins: usize,
}

/// Where a value falls on a [`Grid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Below,
    Bin(usize),
    Above,
}

impl Grid {
    /// `bins` equal bins from `lo` to `hi` (`hi > lo`).
    pub fn uniform(lo: f64, hi: f64, bins: usize) -> Grid {
        let bins = bins.max(1);
        Grid {
            lo,
            width: (hi - lo) / bins as f64,
            bins,
        }
    }

    /// About `target` bins of a round width (1, 2, 2.5 or 5 × 10^k), with
    /// edges on multiples of the width, covering `[lo, hi]`.
    pub fn nice(lo: f64, hi: f64, target: usize) -> Grid {
        let width = nice_step((hi - lo) / target.max(1) as f64);
        let start = (lo / width).floor() * width;
        let bins = (((hi - start) / width).ceil() as usize).max(1);
        Grid {
            lo: start,
            width,
            bins,
        }
    }

    /// The upper end of the last bin.
    pub fn hi(&self) -> f64 {
        self.edge(self.bins)
    }

    /// The `i`-th edge (`0..=bins`).
    pub fn edge(&self, i: usize) -> f64 {
        self.lo + self.width * i as f64
    }

    /// The middle of bin `i`.
    pub fn center(&self, i: usize) -> f64 {
        self.lo + self.width * (i as f64 + 0.5)
    }

    /// Where `x` falls; the last bin includes its upper edge.
    pub fn place(&self, x: f64) -> Place {
        if x < self.lo {
            return Place::Below;
        }
        if x > self.hi() || x.is_nan() {
            return Place::Above;
        }
        let i = ((x - self.lo) / self.width) as usize;
        Place::Bin(i.min(self.bins - 1))
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// Counts of values on a [`Grid`], and of those outside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub grid: Grid,
    pub counts: Vec<u64>,
    pub below: u64,
    pub above: u64,
}

impl Histogram {
    pub fn new(grid: Grid) -> Histogram {
        Histogram {
            grid,
            counts: vec![0; grid.bins],
            below: 0,
            above: 0,
        }
    }

    /// Counts `values` in one pass.
    pub fn of(grid: Grid, values: impl IntoIterator<Item = f64>) -> Histogram {
        let mut h = Histogram::new(grid);
        for x in values {
            h.add(x);
        }
        h
    }

    pub fn add(&mut self, x: f64) {
        match self.grid.place(x) {
            Place::Below => self.below += 1,
            Place::Bin(i) => self.counts[i] += 1,
            Place::Above => self.above += 1,
        }
    }

    /// Every value counted, inside the grid or not.
    pub fn total(&self) -> u64 {
        self.below + self.above + self.counts.iter().sum::<u64>()
    }

    /// Values outside the grid.
    pub fn outside(&self) -> u64 {
        self.below + self.above
    }

    /// The share of values below each edge: `bins + 1` values from the
    /// share below the grid to the share not above it.
    pub fn cumulative(&self) -> Vec<f64> {
        let n = self.total().max(1) as f64;
        let mut running = self.below;
        let mut out = Vec::with_capacity(self.counts.len() + 1);
        out.push(running as f64 / n);
        for c in &self.counts {
            running += c;
            out.push(running as f64 / n);
        }
        out
    }
}

/// Type-7 quantiles (as [`quantile_sorted`](crate::stats::quantile_sorted))
/// of unsorted `values`, found by selection in O(n) each rather than by a
/// sort. Reorders `values`.
pub fn quantiles(values: &mut [f64], ps: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::NAN; ps.len()];
    }
    ps.iter()
        .map(|p| {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let k = h.floor() as usize;
            let frac = h - k as f64;
            let (_, kth, above) = values.select_nth_unstable_by(k, f64::total_cmp);
            let kth = *kth;
            if frac == 0.0 || above.is_empty() {
                kth
            } else {
                let next = above.iter().copied().min_by(f64::total_cmp).unwrap_or(kth);
                kth + frac * (next - kth)
            }
        })
        .collect()
}

/// The view of a chart over several samples, each given as its
/// `(P_low, P_high)`: from the lowest lower percentile to the highest upper
/// one. Widened around the value when every sample is one constant.
pub fn view(ranges: &[(f64, f64)]) -> (f64, f64) {
    let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo <= 1e-9 * lo.abs().max(hi.abs()).max(1.0) {
        let pad = (lo.abs() * 0.05).max(1.0);
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// A sample's `(P_low, P_high)` for [`view`]; reorders `values`.
pub fn range_of(values: &mut [f64], (low, high): (f64, f64)) -> (f64, f64) {
    let q = quantiles(values, &[low, high]);
    (q[0], q[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.9), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.1), 2.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(4_800.0), 5_000.0);
        assert_eq!(nice_step(0.07), 0.1);
    }

    #[test]
    fn nice_grid_covers_the_range() {
        let g = Grid::nice(12_300.0, 487_000.0, 80);
        assert_eq!(g.width, 10_000.0);
        assert_eq!(g.lo, 10_000.0);
        assert!(g.hi() >= 487_000.0 && g.hi() - g.width < 487_000.0);
    }

    #[test]
    fn counts_and_cumulative() {
        let g = Grid::uniform(0.0, 10.0, 5);
        let h = Histogram::of(g, [-1.0, 0.0, 1.9, 2.0, 9.99, 10.0, 10.5, f64::NAN]);
        assert_eq!(h.counts, vec![2, 1, 0, 0, 2]);
        assert_eq!((h.below, h.above), (1, 2));
        assert_eq!(h.total(), 8);
        let c = h.cumulative();
        assert_eq!(c.len(), 6);
        assert_eq!(c[0], 1.0 / 8.0);
        assert_eq!(c[5], 6.0 / 8.0);
    }

    #[test]
    fn view_of_constant_values_is_widened() {
        let mut v = [5.0; 10];
        let (lo, hi) = view(&[range_of(&mut v, LOG_VIEW)]);
        assert!(lo < 5.0 && hi > 5.0);
        let mut w: Vec<f64> = (0..=1000).rev().map(f64::from).collect();
        let (lo, hi) = view(&[range_of(&mut v, LOG_VIEW), range_of(&mut w, LOG_VIEW)]);
        assert_eq!((lo, hi), (5.0, 995.0));
        assert_eq!(view(&[]), (0.0, 1.0));
        assert_eq!(view_name(TOTAL_VIEW), "P1–P99");
        assert_eq!(view_name(LOG_VIEW), "P0.5–P99.5");
    }

    #[test]
    fn selection_matches_the_sorted_quantiles() {
        // A scrambled sample with ties.
        let values: Vec<f64> = (0..1001u64)
            .map(|i| ((i * 7919) % 1009) as f64 / 7.0 + (i % 3) as f64)
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let ps = [0.0, 0.005, 0.01, 0.1, 0.5, 0.9, 0.99, 0.995, 1.0];
        let mut scratch = values.clone();
        let q = quantiles(&mut scratch, &ps);
        for (p, got) in ps.iter().zip(q) {
            assert_eq!(got, crate::stats::quantile_sorted(&sorted, *p), "p = {p}");
        }
        assert!(quantiles(&mut [], &[0.5])[0].is_nan());
    }
}
