//! Root finding: bisection, and Newton steps kept inside a bracket.

use super::*;

/// Bisection of `[l, r]` for where `reached` changes, given `reached(l) ==
/// left` and `reached(r) != left`, to [`TOLERANCE`]: returns the last point
/// found in `l`'s state and the first in `r`'s.
pub(super) fn bisect(
    mut l: f64,
    mut r: f64,
    left: bool,
    mut reached: impl FnMut(f64) -> bool,
) -> (f64, f64) {
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

/// Root of `g` in `[l, r]` where `g(l)` and `g(r)` differ in sign, with
/// Newton steps (derivative from `g`) kept inside the shrinking bracket and
/// bisection otherwise, until the bracket is narrower than `tolerance`
/// relative. Returns the bracket's ends.
pub(super) fn bracketed_root(
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
