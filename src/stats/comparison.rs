//! The offers' pathwise comparison alone: the figures of
//! [`Comparison`](super::Comparison) that a sensitivity reports at each
//! end of a range, without the summaries, percentiles and company outputs
//! it does not.

use super::outputs::{count, undefined_certainty_equivalent};
use super::{BLOCK, Moments, NonPositiveWealth, Preferences, Totals, certainty_equivalent};
use crate::engine::Simulation;
use crate::error::Error;
use rayon::prelude::*;
use serde::Serialize;

/// `P(X_offer > X_alternative)` and the mean difference with its standard
/// error: the same numbers, to the digit, as [`Outputs::compute`]'s
/// [`Comparison`](super::Comparison) of the same paths.
///
/// [`Outputs::compute`]: super::Outputs::compute
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PathwiseComparison {
    pub p_offer_beats_alternative: f64,
    /// Mean of `X_offer − X_alternative`.
    pub mean_difference: f64,
    pub mean_difference_std_error: f64,
}

impl PathwiseComparison {
    /// The comparison of `sim`'s paths, as [`Outputs::compute`] makes it:
    /// each path's two totals from [`Totals::both`], their difference's
    /// moments block by block in path order, the paths where it is
    /// positive counted.
    ///
    /// # Errors
    ///
    /// As [`Outputs::compute`] for the same paths where the cause is one
    /// these figures share: [`Error::UndefinedCertaintyEquivalent`] when
    /// `w0 + X ≤ 0` on some path of either offer's total (the offer's
    /// checked first), and [`Error::NonFinite`] when one of the three
    /// figures is NaN or infinite. A number only the full outputs report
    /// (a percentile, a standard deviation of one offer's total) is not
    /// computed, so it cannot fail here.
    ///
    /// [`Outputs::compute`]: super::Outputs::compute
    pub fn of(
        sim: &Simulation,
        prefs: Preferences,
        labels: (&str, &str),
    ) -> Result<PathwiseComparison, Error> {
        let totals = Totals::new(&sim.plan.model);
        let records = &sim.records;
        let zeroed = || vec![0.0; records.len()];
        let (mut offer, mut alternative, mut difference) = (zeroed(), zeroed(), zeroed());
        offer
            .par_chunks_mut(BLOCK)
            .zip(alternative.par_chunks_mut(BLOCK))
            .zip(difference.par_chunks_mut(BLOCK))
            .zip(records.par_chunks(BLOCK))
            .for_each(|(((xs, ys), ds), ps)| {
                for (((x, y), d), p) in xs.iter_mut().zip(ys).zip(ds).zip(ps) {
                    [*x, *y] = totals.both(p);
                    *d = *x - *y;
                }
            });
        if !prefs.is_risk_neutral() {
            for (label, total) in [labels.0, labels.1].into_iter().zip([&offer, &alternative]) {
                // The summaries' certainty equivalent of the same buffer,
                // in path order: defined exactly where theirs is.
                if let Err(NonPositiveWealth { worst }) = certainty_equivalent(total, prefs) {
                    return Err(undefined_certainty_equivalent(label, worst, prefs));
                }
            }
        }
        let moments = Moments::of(&difference);
        let n = records.len() as f64;
        let comparison = PathwiseComparison {
            p_offer_beats_alternative: count(&difference, |d| *d > 0.0) as f64 / n,
            mean_difference: moments.mean(),
            mean_difference_std_error: moments.sd() / n.sqrt(),
        };
        for (field, value) in [
            (
                "p_offer_beats_alternative",
                comparison.p_offer_beats_alternative,
            ),
            ("mean_difference", comparison.mean_difference),
            (
                "mean_difference_std_error",
                comparison.mean_difference_std_error,
            ),
        ] {
            if !value.is_finite() {
                return Err(Error::NonFinite {
                    field: format!("comparison.{field}"),
                });
            }
        }
        Ok(comparison)
    }
}
