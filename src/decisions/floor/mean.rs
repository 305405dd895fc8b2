//! The mean floor, in closed form.

use super::*;

pub(super) fn solve_mean(paths: &LinearPaths, t: f64, decreasing_share: f64) -> Solution {
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
