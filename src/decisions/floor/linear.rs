//! Per-path totals as a linear function of one lever, and the one
//! definition of those lines from a path's stored terms, for the kept run
//! and the streamed one alike.

use super::*;

/// Per-path totals as a linear function of one lever `ℓ` (a grant or a
/// base, in the scenario's currency): `X_i(ℓ) = intercept_i + ℓ · slope_i`.
///
/// Either part may be borrowed from the stored floor terms (a slope always
/// is), so a lever costs one vector, not two.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearPaths<'a> {
    pub intercept: Cow<'a, [f64]>,
    pub slope: Cow<'a, [f64]>,
}

impl LinearPaths<'_> {
    /// Number of paths.
    pub fn len(&self) -> usize {
        self.intercept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.intercept.is_empty()
    }

    /// Every path's total at lever value `lever`.
    pub fn at(&self, lever: f64) -> Vec<f64> {
        self.intercept
            .par_iter()
            .zip(&self.slope[..])
            .map(|(a, s)| a + lever * s)
            .collect()
    }
}

/// The lever a floor moves, with the rest of the offer as given: on each
/// path `X_i(ℓ) = a_i + ℓ s_i` from the path's pay factor `f_i`, what moves
/// with neither lever `A_i` (the pay after leaving and the equity at a
/// grant of 0) and its equity per unit of grant `U_i` (model section 10):
///
/// - the grant: `a_i = sign_on + B f_i + A_i`, `s_i = U_i`;
/// - the base: `a_i = sign_on + A_i + G U_i`, `s_i = f_i`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lever {
    pub solve_for: SolveFor,
    pub sign_on: f64,
    /// The base `B` held while the grant moves.
    pub base: f64,
    /// The initial grant `G` held while the base moves.
    pub grant: f64,
}

impl Lever {
    /// `(a_i, s_i)` of a path with pay factor `f`, `fixed` moving with
    /// neither lever, and `equity_per_grant` per unit of grant.
    #[inline]
    pub fn line(&self, f: f64, fixed: f64, equity_per_grant: f64) -> (f64, f64) {
        match self.solve_for {
            SolveFor::Grant => (self.sign_on + self.base * f + fixed, equity_per_grant),
            SolveFor::Base => (self.sign_on + fixed + self.grant * equity_per_grant, f),
        }
    }

    /// The lever `solve_for` with the rest of the offer as `model` gives
    /// it: its sign-on (after tax, as every pay term), base and grant.
    pub fn at_offer(model: &Model, solve_for: SolveFor) -> Lever {
        let offer = &model.offer;
        Lever {
            solve_for,
            sign_on: offer.pay.sign_on * model.pay_kept(),
            base: offer.pay.base,
            grant: offer.grant,
        }
    }

    /// The lever's own value as offered (or as held).
    pub fn current(&self) -> f64 {
        match self.solve_for {
            SolveFor::Grant => self.grant,
            SolveFor::Base => self.base,
        }
    }

    /// The levers a floor on `solve_for` is solved on: the lever itself,
    /// and for the grant also the base (the fallback where no grant
    /// reaches the alternative, see [`Floor::needs_base_floor`]).
    pub fn levers_of(solve_for: SolveFor) -> &'static [SolveFor] {
        match solve_for {
            SolveFor::Grant => &[SolveFor::Grant, SolveFor::Base],
            SolveFor::Base => &[SolveFor::Base],
        }
    }
}

/// How a path's total moves as the lever rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Motion {
    Rising,
    Falling,
    /// The total does not depend on the lever.
    Flat,
}

/// Where a path's line `a + ℓ s` stands against a target `t` over `ℓ ≥ 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PathReach {
    /// At or above `t` whatever the lever.
    Always,
    /// A rising path below `t` at 0: at or above it from this lever on.
    From(f64),
    /// A falling path at or above `t` at 0: there up to this lever.
    UpTo(f64),
    /// Below `t` whatever the lever.
    Never,
}

/// The classification both executors count paths by: how the path moves
/// with the lever, and where it is at or above `t` ([`Crossing::of`]).
#[inline]
pub(crate) fn path_reach(a: f64, s: f64, t: f64) -> (Motion, PathReach) {
    let c = Crossing::of(a, s, t);
    let motion = if c.rising {
        Motion::Rising
    } else if c.falling {
        Motion::Falling
    } else {
        Motion::Flat
    };
    let reach = if c.always {
        PathReach::Always
    } else if c.up {
        PathReach::From(c.from)
    } else if c.down {
        PathReach::UpTo(c.up_to)
    } else {
        PathReach::Never
    };
    (motion, reach)
}

/// A path's classification as flags and the two lever values, computed
/// without a branch: a loop over paths can count and list them without
/// mispredicting on every other path ([`path_reach`] is the same as
/// enums).
///
/// # Formula
///
/// A rising path (`s > 0`) reaches `t` at `g = (t - a) / s`; a falling one
/// (`s < 0`) stays at or above it up to `h = (a - t) / -s`. Both come from
/// the one quotient `q = (t - a) / s`: negating the numerator and the
/// denominator of an IEEE division changes neither its rounding nor its
/// sign, and `a - t` is exactly `-(t - a)` unless both are zero. Then `h`
/// is `a - t` itself, a zero whose sign `q` need not have. A path with
/// `s` zero or NaN is flat.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crossing {
    pub(crate) rising: bool,
    pub(crate) falling: bool,
    /// At or above `t` whatever the lever.
    pub(crate) always: bool,
    /// A rising path below `t` at 0 (a NaN crossing included): there from
    /// `from` on.
    pub(crate) up: bool,
    /// A falling path at or above `t` at 0: there up to `up_to`.
    pub(crate) down: bool,
    pub(crate) from: f64,
    pub(crate) up_to: f64,
}

impl Crossing {
    #[inline(always)]
    pub(crate) fn of(a: f64, s: f64, t: f64) -> Crossing {
        let q = (t - a) / s;
        let d = a - t;
        let up_to = if d == 0.0 { d } else { q };
        let rising = s > 0.0;
        let falling = s < 0.0;
        let flat = !rising & !falling;
        // `&` and `|`, not `&&` and `||`: no branch.
        let reached = q <= 0.0;
        Crossing {
            rising,
            falling,
            always: (rising & reached) | (flat & (a >= t)),
            up: rising & !reached,
            down: falling & (up_to >= 0.0),
            from: q,
            up_to,
        }
    }

    /// The total does not depend on the lever (`s` zero or NaN).
    #[inline(always)]
    pub(crate) fn flat(&self) -> bool {
        !self.rising & !self.falling
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-quotient form agrees with the two divisions it replaced,
    /// to the bit, signed zeros, infinities, NaN and underflow included.
    #[test]
    fn one_quotient_is_both_crossings() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            3.0,
            1e-320,
            -1e-320,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.1,
            -7.25,
        ];
        for &a in &values {
            for &s in &values {
                for &t in &values {
                    let two = if s > 0.0 {
                        let g = (t - a) / s;
                        (
                            Motion::Rising,
                            if g <= 0.0 {
                                PathReach::Always
                            } else {
                                PathReach::From(g)
                            },
                        )
                    } else if s < 0.0 {
                        let h = (a - t) / -s;
                        (
                            Motion::Falling,
                            if h >= 0.0 {
                                PathReach::UpTo(h)
                            } else {
                                PathReach::Never
                            },
                        )
                    } else {
                        (
                            Motion::Flat,
                            if a >= t {
                                PathReach::Always
                            } else {
                                PathReach::Never
                            },
                        )
                    };
                    let one = path_reach(a, s, t);
                    let bits = |r: (Motion, PathReach)| match r.1 {
                        PathReach::From(x) => (r.0, 1, x.to_bits()),
                        PathReach::UpTo(x) => (r.0, 2, x.to_bits()),
                        PathReach::Always => (r.0, 3, 0),
                        PathReach::Never => (r.0, 4, 0),
                    };
                    // NaN lever values compare by being NaN, not by payload.
                    let (m1, k1, b1) = bits(one);
                    let (m2, k2, b2) = bits(two);
                    let nan = |b: u64| f64::from_bits(b).is_nan();
                    assert!(
                        m1 == m2 && k1 == k2 && (b1 == b2 || (nan(b1) && nan(b2))),
                        "a {a} s {s} t {t}: {one:?} vs {two:?}"
                    );
                }
            }
        }
    }
}
