//! Axes: ticks at round steps, fixed tick positions, ranges of money that
//! leave outliers out, and tick labels in a field's unit.

use super::bins::nice_step;
use crate::scenario::fields::Unit;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

/// A linear axis with tick labels at given values only (plotters'
/// `with_key_points` loses the label formatter on `f64` axes).
#[derive(Clone)]
pub struct FixedTicks {
    range: RangedCoordf64,
    ticks: Vec<f64>,
}

impl FixedTicks {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> FixedTicks {
        FixedTicks {
            range: range.into(),
            ticks,
        }
    }
}

impl Ranged for FixedTicks {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.range()
    }
}

/// The money range of a plot showing `values`: from 0 (or just below it,
/// so a line at 0 shows above the axis) when the values come near 0, else
/// from a little below the smallest; up to a little above the largest, but
/// at most `cap` (larger values run off the top, and a label says where).
pub fn money_range(values: impl IntoIterator<Item = f64>, cap: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v.min(cap));
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let lo = lo.min(hi);
    let span = (hi - lo).max(hi.abs() * 0.1).max(1.0);
    if lo >= 0.0 && lo <= 0.35 * hi {
        (-0.025 * hi.max(1.0), hi + 0.08 * span)
    } else {
        (lo - 0.12 * span, hi + 0.12 * span)
    }
}

/// Ticks at multiples of a round step over `[lo, hi]`, at most `max` of
/// them; the step is returned too.
pub fn nice_ticks(lo: f64, hi: f64, max: usize) -> (Vec<f64>, f64) {
    let max = max.max(2);
    let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
    let mut step = nice_step(span / (max - 1) as f64);
    loop {
        let first = (lo / step - 1e-9).ceil() as i64;
        let last = (hi / step + 1e-9).floor() as i64;
        let count = (last - first + 1).max(0) as usize;
        if count <= max || step > span {
            let ticks = (first..=last).map(|k| k as f64 * step).collect();
            return (ticks, step);
        }
        step = nice_step(step * 1.01);
    }
}

/// The x axis of a panel: its range, how its values read, its title.
pub struct XAxis<'c> {
    pub lo: f64,
    pub hi: f64,
    pub kind: Unit,
    pub desc: String,
    pub currency: &'c str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ticks() {
        let (t, step) = nice_ticks(0.0, 0.6, 8);
        assert_eq!(step, 0.1);
        assert_eq!(t.len(), 7);
        let (t, _) = nice_ticks(0.0, 0.6, 4);
        assert!(t.len() <= 4 && t.len() >= 2, "{t:?}");
    }

    #[test]
    fn ranges() {
        let (lo, hi) = money_range([0.0, 100.0], f64::INFINITY);
        assert!(lo < 0.0 && hi > 100.0);
        let (lo, hi) = money_range([80.0, 95.0], f64::INFINITY);
        assert!(lo > 70.0 && lo < 80.0 && hi > 95.0);
        let (_, hi) = money_range([0.0, 100.0, 1e9], 200.0);
        assert!(hi < 300.0);
    }
}
