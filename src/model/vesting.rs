//! Vesting schedules: which fraction of a grant has vested at a time.

use crate::scenario::{Vesting, YearWeights};

/// Tolerance on elapsed months, so that `t - s = 1.0` years counts as 12
/// whole months despite rounding in `t` and `s`.
const MONTH_TOLERANCE: f64 = 1e-9;

/// `⌊x⌋`, inline: without SSE4.1 (a generic x86-64 build) `f64::floor` is
/// a call into libm, and this is on the engine's hot path. Doubles of
/// magnitude `2^52` and more (and NaN, infinities) are already integers.
#[inline]
fn floor(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        // Truncation toward zero, one less for negative non-integers.
        let t = x as i64 as f64;
        if t > x { t - 1.0 } else { t }
    } else {
        x
    }
}

/// A grant's vesting schedule, anchored at its grant date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Grant date `s`, years from the offer's start.
    pub start: f64,
    /// Total vesting period `Y`, years.
    pub years: f64,
    /// Cliff `c`, years: nothing vests before `s + c`, then the backlog at once.
    pub cliff_years: f64,
    /// Months `m` between vest events.
    pub every_months: f64,
    /// The share vesting in each year; `None`: `1 / Y` each.
    pub weights: Option<YearWeights>,
}

impl Schedule {
    pub fn new(start: f64, v: &Vesting) -> Schedule {
        Schedule {
            start,
            years: v.years,
            cliff_years: v.cliff_years,
            every_months: v.every_months,
            weights: v.weights,
        }
    }

    /// Number of vest events, `12 Y / m`.
    pub fn events(&self) -> usize {
        (12.0 * self.years / self.every_months).round() as usize
    }

    /// Cumulative vested fraction at time `t`:
    ///
    /// `v(t) = 0` if `t - s < c`, else `min(1, floor(12 (t - s) / m) · m / (12 Y))`;
    /// with yearly weights `w_k`, the tranches of the events so far, each
    /// year's share in `12 / m` equal tranches (the cliff rule the same).
    ///
    /// ```
    /// use equisim::model::vesting::Schedule;
    /// let s = Schedule { start: 0.0, years: 4.0, cliff_years: 1.0, every_months: 1.0, weights: None };
    /// assert_eq!(s.vested_fraction(0.99), 0.0);   // before the cliff
    /// assert_eq!(s.vested_fraction(1.0), 0.25);   // the cliff releases 12 months at once
    /// assert_eq!(s.vested_fraction(10.0), 1.0);
    /// ```
    #[inline]
    pub fn vested_fraction(&self, t: f64) -> f64 {
        let elapsed = t - self.start;
        if elapsed + MONTH_TOLERANCE < self.cliff_years || elapsed < 0.0 {
            return 0.0;
        }
        let periods = floor(12.0 * elapsed / self.every_months + MONTH_TOLERANCE);
        match &self.weights {
            None => (periods * self.every_months / (12.0 * self.years)).min(1.0),
            Some(w) => w.vested(periods, 12.0 / self.every_months),
        }
    }

    /// Time of the `j`-th vest event (1-based), `s + j m / 12`.
    #[inline]
    pub fn event_time(&self, j: usize) -> f64 {
        self.start + j as f64 * self.every_months / 12.0
    }

    /// The fraction that vests at event `j`: `v(t_j) - v(t_{j-1})`.
    pub fn tranche(&self, j: usize) -> f64 {
        let prev = if j <= 1 {
            0.0
        } else {
            self.vested_fraction(self.event_time(j - 1))
        };
        self.vested_fraction(self.event_time(j)) - prev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly() -> Schedule {
        Schedule {
            start: 0.0,
            years: 4.0,
            cliff_years: 1.0,
            every_months: 1.0,
            weights: None,
        }
    }

    #[test]
    fn inline_floor_is_floor() {
        let big = 4_503_599_627_370_496.0;
        let xs = [
            0.0,
            0.5,
            1.0,
            1.0 - 1e-16,
            47.999999999,
            48.0,
            -0.5,
            -1.0,
            -2.5,
            1e300,
            -1e300,
            big,
            big - 0.5,
            -big + 0.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in xs {
            assert_eq!(floor(x), x.floor(), "floor({x:e})");
        }
        assert!(floor(f64::NAN).is_nan());
        for i in -10_000..10_000 {
            let x = f64::from(i) * 0.013_7;
            assert_eq!(floor(x), x.floor(), "floor({x:e})");
        }
    }

    #[test]
    fn cliff_releases_its_backlog() {
        let s = monthly();
        assert_eq!(s.vested_fraction(0.5), 0.0);
        assert_eq!(s.vested_fraction(1.0 - 1e-6), 0.0);
        assert_eq!(s.vested_fraction(1.0), 0.25);
        assert_eq!(s.tranche(11), 0.0);
        assert_eq!(s.tranche(12), 0.25);
        assert!((s.tranche(13) - 1.0 / 48.0).abs() < 1e-15);
    }

    #[test]
    fn month_boundaries_count_with_tolerance() {
        let s = monthly();
        // 0.1 * 10 etc. are not exact in binary; they must still count.
        let t = 0.1 + 0.1 + 0.1 + 0.7 + 0.5; // 1.5 with rounding noise
        assert!((s.vested_fraction(t) - 18.0 / 48.0).abs() < 1e-15);
        assert!((s.vested_fraction(1.5 - 1e-6) - 17.0 / 48.0).abs() < 1e-15);
        assert_eq!(s.vested_fraction(4.0), 1.0);
        assert_eq!(s.vested_fraction(3.999), 47.0 / 48.0);
    }

    #[test]
    fn quarterly_schedule() {
        let s = Schedule {
            every_months: 3.0,
            ..monthly()
        };
        assert_eq!(s.events(), 16);
        assert_eq!(s.vested_fraction(1.2), 0.25);
        assert_eq!(s.vested_fraction(1.25), 0.3125);
        assert_eq!(s.vested_fraction(1.49), 0.3125);
        let total: f64 = (1..=s.events()).map(|j| s.tranche(j)).sum();
        assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn refresh_schedule_starts_at_its_grant_date() {
        let s = Schedule {
            start: 2.0,
            years: 4.0,
            cliff_years: 0.0,
            every_months: 1.0,
            weights: None,
        };
        assert_eq!(s.vested_fraction(1.9), 0.0);
        assert_eq!(s.vested_fraction(2.0), 0.0);
        assert!((s.vested_fraction(2.0 + 1.0 / 12.0) - 1.0 / 48.0).abs() < 1e-15);
        assert_eq!(s.vested_fraction(4.0), 0.5);
        assert_eq!(s.event_time(24), 4.0);
    }

    #[test]
    fn yearly_weights_vest_each_year_in_equal_tranches() {
        let weights = crate::scenario::YearWeights::new(&[0.05, 0.15, 0.40, 0.40]).unwrap();
        let s = Schedule {
            start: 0.0,
            years: 4.0,
            cliff_years: 1.0,
            every_months: 3.0,
            weights: Some(weights),
        };
        let close = |t: f64, v: f64| {
            let got = s.vested_fraction(t);
            assert!((got - v).abs() < 1e-12, "v({t}) = {got}, expected {v}");
        };
        close(0.99, 0.0);
        close(1.0, 0.05);
        close(1.25, 0.05 + 0.15 / 4.0);
        close(2.0, 0.20);
        close(2.5, 0.20 + 0.40 / 2.0);
        close(3.0, 0.60);
        close(3.75, 0.60 + 0.30);
        close(4.0, 1.0);
        close(9.0, 1.0);
        let total: f64 = (1..=s.events()).map(|j| s.tranche(j)).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // Even weights are the unweighted schedule.
        let even = Schedule {
            weights: crate::scenario::YearWeights::new(&[0.25; 4]),
            ..s
        };
        let plain = Schedule { weights: None, ..s };
        for j in 0..=20 {
            let t = j as f64 * 0.25;
            assert!((even.vested_fraction(t) - plain.vested_fraction(t)).abs() < 1e-12);
        }
    }
}
