//! The value of a criterion over per-path totals.

use super::*;

/// A distribution that a criterion is read from: every value of a kept
/// run ([`Values`]), or a streamed run's summary and quantile sketch. The
/// one definition of what each criterion is ([`Distribution::value_of`]),
/// whichever executor holds the paths.
pub trait Distribution {
    fn mean(&self) -> f64;
    /// The type-7 `q`-quantile.
    fn quantile(&mut self, q: f64) -> f64;
    /// The CRRA certainty equivalent (the mean for a risk-neutral person);
    /// `None` when undefined (`w0 + X ≤ 0` somewhere).
    fn certainty_equivalent(&self) -> Option<f64>;

    /// The value of `criterion`: the mean, a percentile (the median is the
    /// 50th), or the certainty equivalent; `None` for `beatsNN`, which
    /// compares two distributions path by path.
    fn value_of(&mut self, criterion: Criterion) -> Option<f64> {
        match (criterion, criterion.quantile()) {
            (_, Some(q)) => Some(self.quantile(q)),
            (Criterion::Mean, None) => Some(self.mean()),
            // A comparison of two distributions path by path, not a value
            // of one.
            (Criterion::Beats(_), None) => None,
            (_, None) => self.certainty_equivalent(),
        }
    }
}

/// Every per-path value of a kept run, for a person with `prefs`. A
/// quantile reorders the values in place when they are owned, and copies
/// them when borrowed.
pub struct Values<'a> {
    pub values: Cow<'a, [f64]>,
    pub prefs: Preferences,
}

impl Distribution for Values<'_> {
    /// Block by block, as [`crate::stats::mean_sd`] takes it.
    fn mean(&self) -> f64 {
        mean(&self.values)
    }

    fn quantile(&mut self, q: f64) -> f64 {
        quantile_select(self.values.to_mut(), q)
    }

    /// [`crate::stats::certainty_equivalent`]'s, summed in parallel (fixed
    /// chunks, so the digits do not depend on the thread count; they may
    /// differ from the sequential sum in the last places).
    fn certainty_equivalent(&self) -> Option<f64> {
        certainty_equivalent_in_parallel(&self.values, self.prefs)
    }
}

/// The value of `criterion` over per-path `values` (see [`Distribution`]).
pub fn criterion_value(criterion: Criterion, values: &[f64], prefs: Preferences) -> Option<f64> {
    Values {
        values: Cow::Borrowed(values),
        prefs,
    }
    .value_of(criterion)
}

/// [`criterion_value`] of values the caller no longer needs (a percentile
/// reorders them instead of copying them).
pub(super) fn criterion_value_of(
    criterion: Criterion,
    values: Vec<f64>,
    prefs: Preferences,
) -> Option<f64> {
    Values {
        values: Cow::Owned(values),
        prefs,
    }
    .value_of(criterion)
}

/// The mean, block by block as [`crate::stats::mean_sd`] takes it.
pub(super) fn mean(x: &[f64]) -> f64 {
    Moments::mean_of(x)
}
