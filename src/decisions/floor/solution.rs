//! What solving a floor for one criterion answers, and why a floor can be
//! out of reach.

use super::*;

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
    /// does not depend on the lever (for the grant: failure, leaving before
    /// anything vests, options under water), on `decreasing_share` it falls as the lever rises. `limit`:
    /// the percentile as the lever grows without bound (`None`: it falls
    /// without bound).
    /// A `beatsNN` floor needs the offer worth at least the alternative on
    /// a share `needed_share` of the paths at once; no lever value gets more
    /// than `best_share` there (reached at lever `best_at`). On
    /// `decreasing_share` of the paths the offer's total falls as the lever
    /// rises.
    BeatsPinned {
        needed_share: f64,
        best_share: f64,
        best_at: f64,
        decreasing_share: f64,
    },
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
    /// No lever value reaches the target, and none would for totals that
    /// are nowhere higher, path by path at every lever value (a lower base
    /// when no path's pay factor is negative): a grid of floors over the
    /// base needs no solve below a base where this holds. Exact for a
    /// percentile or `beatsNN` out of reach on the count of where each
    /// path stands (lower totals put each path there at no more lever
    /// values); for the certainty equivalent see [`solve_ce`].
    #[serde(skip)]
    pub(crate) lower_totals_out_of_reach: bool,
}

impl Solution {
    pub(crate) fn reached(floor: f64, monotone: bool, decreasing_share: f64) -> Solution {
        Solution {
            floor: Some(floor),
            monotone,
            falls_below_again: None,
            decreasing_share,
            unreachable: None,
            lower_totals_out_of_reach: false,
        }
    }

    /// A floor asked for alone ([`Ask::Floor`]): nothing else is known.
    pub(super) fn floor_only(floor: Option<f64>) -> Solution {
        Solution {
            floor,
            monotone: false,
            falls_below_again: None,
            decreasing_share: f64::NAN,
            unreachable: None,
            lower_totals_out_of_reach: false,
        }
    }

    pub(crate) fn unreachable(why: Unreachable, monotone: bool, decreasing_share: f64) -> Solution {
        Solution {
            floor: None,
            monotone,
            falls_below_again: None,
            decreasing_share,
            unreachable: Some(why),
            lower_totals_out_of_reach: false,
        }
    }

    /// This solution, with [`Solution::lower_totals_out_of_reach`] as
    /// `out_of_reach`.
    pub(super) fn out_of_reach_lower(self, out_of_reach: bool) -> Solution {
        Solution {
            lower_totals_out_of_reach: out_of_reach,
            ..self
        }
    }
}
