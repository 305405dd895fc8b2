//! The certainty-equivalent floor: Newton's method on the concave expected
//! utility, from the left.

use super::*;

/// Expected utility and its first two derivatives in the lever, for the
/// scaled wealth `c_i + ℓ d_i` of every path.
pub(super) struct Utility {
    scaled: Scaled,
    curvature: Curvature,
    /// `u(1)`: the target, the alternative's CE wealth, is 1 after scaling.
    target: f64,
}

/// The paths' wealth `w0 + a_i + ℓ s_i` in units of `scale`: `(c_i, d_i)`
/// with `c_i = (w0 + a_i) / scale` and `d_i = s_i / scale`. Divided once
/// and stored: every step of the solver sums over them, and two divisions
/// a path each time were most of its cost.
///
/// Stored so that [`LANES`] chunks of [`CHUNK`] paths can be summed side by
/// side, one chunk a vector lane: the paths of each group of `LANES` whole
/// chunks are interleaved (entry `i` of group `g` holds, in lane `k`, path
/// `(g LANES + k) CHUNK + i`), and the paths after the last whole group
/// follow one after the other.
pub(super) struct Scaled {
    groups: Vec<[[f64; LANES]; 2]>,
    tail: Vec<[f64; 2]>,
}

/// Chunks of paths a [`Scaled`] group holds side by side: four `f64` lanes
/// fill one AVX2 vector.
const LANES: usize = 4;

/// One group's sums, a lane a chunk (see [`Utility::sum`]).
type GroupSums = [[f64; 3]; LANES];

/// The lever values at which every path's wealth is positive: an open or
/// half-open interval `(lower, upper)`; and the paths on which it never is,
/// or which do not move with the lever.
#[derive(Debug, Clone, Copy)]
struct Domain {
    lower: f64,
    open_lower: bool,
    upper: f64,
    never: usize,
    flat: usize,
}

impl Domain {
    const EVERYWHERE: Domain = Domain {
        lower: 0.0,
        open_lower: false,
        upper: f64::INFINITY,
        never: 0,
        flat: 0,
    };

    /// Where path `(c_i, d_i)` keeps its wealth positive: a rising path
    /// below zero at 0 from `-c_i / d_i` on, a falling one above zero up to
    /// there, a flat one everywhere or nowhere. Selects rather than
    /// branches, one division a path: `d_i`'s sign is as good as random
    /// from one path to the next, and `c_i / -d_i` is `-(c_i / d_i)`
    /// exactly.
    #[inline(always)]
    fn add(&mut self, ci: f64, di: f64) {
        let rising = di > 0.0;
        let falling = di < 0.0;
        let broke = ci <= 0.0;
        let at = -ci / di;
        let opens = rising & broke;
        let closes = falling & !broke;
        self.lower = if opens {
            self.lower.max(at)
        } else {
            self.lower
        };
        self.open_lower |= opens;
        self.upper = if closes {
            self.upper.min(at)
        } else {
            self.upper
        };
        self.never += (!rising & broke) as usize;
        self.flat += (!rising & !falling) as usize;
    }

    fn join(self, other: Domain) -> Domain {
        Domain {
            lower: self.lower.max(other.lower),
            open_lower: self.open_lower || other.open_lower,
            upper: self.upper.min(other.upper),
            never: self.never + other.never,
            flat: self.flat + other.flat,
        }
    }
}

impl Scaled {
    /// The paths scaled, and their domain. Scanned a chunk (or a group) at
    /// a time in parallel: the ends are a maximum and a minimum, the same
    /// whatever the order.
    fn of(paths: &LinearPaths, w0: f64, scale: f64) -> (Scaled, Domain) {
        let n = paths.len();
        let in_groups = n / (CHUNK * LANES) * (CHUNK * LANES);
        let (a_groups, a_tail) = paths.intercept.split_at(in_groups);
        let (s_groups, s_tail) = paths.slope.split_at(in_groups);
        let line = |a: f64, s: f64| [(w0 + a) / scale, s / scale];
        let mut groups = vec![[[0.0; LANES]; 2]; in_groups / LANES];
        let mut tail = vec![[0.0; 2]; n - in_groups];
        let (of_groups, of_tail) = rayon::join(
            || {
                groups
                    .par_chunks_mut(CHUNK)
                    .zip(a_groups.par_chunks(CHUNK * LANES))
                    .zip(s_groups.par_chunks(CHUNK * LANES))
                    .map(|((out, aa), ss)| {
                        let mut d = Domain::EVERYWHERE;
                        for (i, [c, dd]) in out.iter_mut().enumerate() {
                            for k in 0..LANES {
                                [c[k], dd[k]] = line(aa[k * CHUNK + i], ss[k * CHUNK + i]);
                                d.add(c[k], dd[k]);
                            }
                        }
                        d
                    })
                    .reduce(|| Domain::EVERYWHERE, Domain::join)
            },
            || {
                tail.par_chunks_mut(CHUNK)
                    .zip(a_tail.par_chunks(CHUNK))
                    .zip(s_tail.par_chunks(CHUNK))
                    .map(|((out, aa), ss)| {
                        let mut d = Domain::EVERYWHERE;
                        for ((o, a), s) in out.iter_mut().zip(aa).zip(ss) {
                            *o = line(*a, *s);
                            d.add(o[0], o[1]);
                        }
                        d
                    })
                    .reduce(|| Domain::EVERYWHERE, Domain::join)
            },
        );
        (Scaled { groups, tail }, of_groups.join(of_tail))
    }

    /// Paths.
    fn len(&self) -> usize {
        self.groups.len() * LANES + self.tail.len()
    }

    /// `(c_i, d_i)` for every path, in path order.
    fn iter(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let grouped = self.groups.chunks(CHUNK).flat_map(|group| {
            (0..LANES).flat_map(move |k| group.iter().map(move |[c, d]| (c[k], d[k])))
        });
        grouped.chain(self.tail.iter().map(|&[c, d]| (c, d)))
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Eval {
    /// `φ(ℓ) - u(1)`.
    f: f64,
    /// `φ'(ℓ)`.
    df: f64,
}

impl Utility {
    /// `φ(ℓ) - u(1)` and `φ'(ℓ)`: all that Newton's steps and the roots
    /// need. The second derivative is a third sum a path, summed only where
    /// the peak is looked for ([`Utility::slope`]).
    fn eval(&self, x: f64) -> Eval {
        let [f, df, _] = self.dispatch::<false>(x);
        Eval {
            f: f - self.target,
            df,
        }
    }

    /// `φ'(ℓ)` and `φ''(ℓ)`, whose zero is the peak.
    fn slope(&self, x: f64) -> (f64, f64) {
        let [_, df, d2f] = self.dispatch::<true>(x);
        (df, d2f)
    }

    /// One copy of the sum per kind of curvature, each a closure of its
    /// own type: the loop runs in rayon's (not inlined) helper, which a
    /// `Curvature` passed as a value would reach as a jump per path.
    fn dispatch<const CURVATURE: bool>(&self, x: f64) -> [f64; 3] {
        match self.curvature {
            Curvature::Log => self.sum::<CURVATURE>(x, |w| Curvature::Log.at(w), None),
            Curvature::Two => {
                self.sum::<CURVATURE>(x, |w| Curvature::Two.at(w), vector::two::<CURVATURE>())
            }
            Curvature::Whole(k) => {
                self.sum::<CURVATURE>(x, move |w| Curvature::Whole(k).at(w), None)
            }
            Curvature::Real(g) => self.sum::<CURVATURE>(x, move |w| Curvature::Real(g).at(w), None),
        }
    }

    /// The means of `u`, `d u'` and (with `CURVATURE`) `d² u''` over the
    /// paths, `u` the utility `at` gives. Each sum is its own accumulator,
    /// so leaving the third out does not change the digits of the other
    /// two.
    ///
    /// Each chunk of [`CHUNK`] paths is summed path after path, and the
    /// chunks' sums are then added in order. The chunks of a [`Scaled`]
    /// group are summed side by side, each in its own accumulators, by
    /// `vector` where the processor has it, else by `at` lane by lane:
    /// either way each chunk's sum is the same sequence of operations as
    /// alone, to the bit, but the chunks no longer wait on one another.
    #[inline(always)]
    fn sum<const CURVATURE: bool>(
        &self,
        x: f64,
        at: impl Fn(f64) -> (f64, f64, f64) + Sync,
        vector: Option<vector::Kernel>,
    ) -> [f64; 3] {
        let add = |sum: &mut [f64; 3], c: f64, d: f64| {
            let (u, du, d2u) = at(c + x * d);
            sum[0] += u;
            sum[1] += d * du;
            if CURVATURE {
                sum[2] += d * d * d2u;
            }
        };
        let scaled = &self.scaled;
        let (groups, tail): (Vec<GroupSums>, Vec<[f64; 3]>) = rayon::join(
            || {
                scaled
                    .groups
                    .par_chunks(CHUNK)
                    .map(|group| match vector {
                        // SAFETY: `vector::two` hands out a kernel only
                        // where the processor has the features it needs.
                        Some(kernel) => unsafe { kernel(group, x) },
                        None => {
                            let mut sums = [[0.0f64; 3]; LANES];
                            for [c, d] in group {
                                for (k, sum) in sums.iter_mut().enumerate() {
                                    add(sum, c[k], d[k]);
                                }
                            }
                            sums
                        }
                    })
                    .collect()
            },
            || {
                scaled
                    .tail
                    .par_chunks(CHUNK)
                    .map(|chunk| {
                        let mut sum = [0.0f64; 3];
                        for &[c, d] in chunk {
                            add(&mut sum, c, d);
                        }
                        sum
                    })
                    .collect()
            },
        );
        let parts: Vec<[f64; 3]> = groups.into_iter().flatten().chain(tail).collect();
        let n = scaled.len() as f64;
        let total = |k: usize| neumaier_sum(parts.iter().map(|p| p[k])) / n;
        [total(0), total(1), total(2)]
    }
}

/// The certainty-equivalent floor. Every verdict that no lever value
/// reaches the target also holds for totals that are nowhere higher
/// ([`Solution::lower_totals_out_of_reach`]): less wealth on every path
/// lowers the expected utility at every lever value and narrows the
/// lever values where it is defined, and the verdict is a proof on the
/// concave utility (no path's wealth positive whatever the lever, a
/// bounded limit, or Newton's tangents, each above the utility, missing
/// the target). It rests on the sums, not on a count: totals lower by
/// less than the sums' rounding could in principle be judged otherwise.
pub(super) fn solve_ce(
    paths: &LinearPaths,
    t: f64,
    prefs: Preferences,
    decreasing_share: f64,
    ask: Ask,
) -> Solution {
    let solution = solve_ce_by_newton(paths, t, prefs, decreasing_share, ask);
    let out_of_reach = solution.floor.is_none();
    solution.out_of_reach_lower(out_of_reach)
}

fn solve_ce_by_newton(
    paths: &LinearPaths,
    t: f64,
    prefs: Preferences,
    decreasing_share: f64,
    ask: Ask,
) -> Solution {
    let gamma = prefs.risk_aversion;
    let w0 = prefs.outside_wealth;
    let n = paths.len();
    // Wealth in units of the alternative's CE wealth: the target is u(1).
    let scale = w0 + t;
    if scale.is_nan() || scale <= 0.0 {
        return Solution::unreachable(Unreachable::TargetUndefined, true, decreasing_share);
    }
    let (
        scaled,
        Domain {
            lower,
            open_lower,
            upper,
            never,
            flat,
        },
    ) = Scaled::of(paths, w0, scale);
    let monotone = upper.is_infinite();
    let ruin_at = upper.is_finite().then_some(upper);
    if never > 0 || lower >= upper {
        return Solution::unreachable(
            Unreachable::CertaintyEquivalentUndefined {
                share: never.max(1) as f64 / n as f64,
            },
            monotone,
            decreasing_share,
        );
    }
    let utility = Utility {
        scaled,
        curvature: Curvature::new(gamma),
        target: crra(1.0, gamma).0,
    };
    let ce_of = |f: f64| scale * crra_inverse(f + utility.target, gamma) - w0;
    let flat_share = flat as f64 / n as f64;

    // However large the lever, with γ > 1 and no falling path the expected
    // utility only approaches its limit: paths that rise tend to u(∞) = 0.
    if upper.is_infinite() && gamma > 1.0 {
        let sup = neumaier_sum(
            utility
                .scaled
                .iter()
                .filter(|(_, d)| *d == 0.0)
                .map(|(c, _)| crra(c, gamma).0),
        ) / n as f64;
        if sup.is_nan() || sup <= utility.target {
            return Solution::unreachable(
                Unreachable::CertaintyEquivalentBounded {
                    limit: ce_of(sup - utility.target),
                    flat_share,
                },
                monotone,
                decreasing_share,
            );
        }
    }

    // A start inside the domain where the expected utility is finite.
    let room = if upper.is_finite() {
        upper - lower
    } else {
        lower.max(1.0)
    };
    let mut x = lower;
    let mut e = utility.eval(x);
    if open_lower || !e.f.is_finite() {
        let mut step = (room * 1e-6).max(LEVER_ATOM);
        loop {
            x = lower + step;
            e = utility.eval(x);
            if (e.f.is_finite() && e.df.is_finite()) || step >= 0.5 * room {
                break;
            }
            step *= 8.0;
        }
    }
    // Where it falls below again only explains: the floor is found.
    let reached = |x: f64| match ask {
        Ask::Floor => Solution::floor_only(Some(x)),
        Ask::Explained => {
            let mut s = Solution::reached(x, monotone, decreasing_share);
            s.falls_below_again = ce_falls_below(&utility, x, upper);
            s
        }
    };
    if e.f >= 0.0 {
        return reached(x);
    }

    // Newton from the left on the concave φ: each tangent lies above φ, so
    // its zero never passes the lower end of the target's interval, and a
    // zero past the peak or the domain proves there is none.
    let peak_between = |from: f64, to: f64| -> Unreachable {
        // The peak only explains: its place need not be precise, and the
        // CE is flat there.
        let (l, r) = bracketed_root(from, to, 1e-4, |y| utility.slope(y));
        let at = 0.5 * (l + r);
        Unreachable::CertaintyEquivalentPeaks {
            peak_value: ce_of(utility.eval(at).f),
            peak_at: at,
            ruin_at,
        }
    };
    let mut rising_at: Option<f64> = None;
    for _ in 0..200 {
        if e.df.is_nan() || e.df <= 0.0 {
            if ask == Ask::Floor {
                return Solution::floor_only(None);
            }
            let why = if e.df == 0.0 && upper.is_infinite() {
                Unreachable::CertaintyEquivalentBounded {
                    limit: ce_of(e.f),
                    flat_share,
                }
            } else if let Some(l) = rising_at {
                peak_between(l, x)
            } else {
                // Falling from the start.
                Unreachable::CertaintyEquivalentPeaks {
                    peak_value: ce_of(e.f),
                    peak_at: x,
                    ruin_at,
                }
            };
            return Solution::unreachable(why, monotone, decreasing_share);
        }
        rising_at = Some(x);
        let step = -e.f / e.df;
        let next = x + step;
        if next.is_nan() || next >= upper {
            if ask == Ask::Floor {
                return Solution::floor_only(None);
            }
            let to = upper - (upper - x) * 1e-9;
            let at_end = utility.eval(to);
            let why = if at_end.df < 0.0 {
                peak_between(x, to)
            } else {
                // Rising all the way to where the CE stops being defined.
                Unreachable::CertaintyEquivalentPeaks {
                    peak_value: ce_of(at_end.f),
                    peak_at: upper,
                    ruin_at,
                }
            };
            return Solution::unreachable(why, monotone, decreasing_share);
        }
        x = next;
        // A step this small ends the search wherever it lands, so the
        // utility there is not needed.
        if step <= TOLERANCE * 1e-3 * next.abs().max(LEVER_ATOM) {
            break;
        }
        e = utility.eval(next);
        if e.f >= 0.0 {
            break;
        }
    }
    reached(x)
}

/// Where the certainty equivalent drops below the target again after
/// reaching it at `floor`: the upper end of the (interval) set where it is
/// reached, within the domain that ends at `upper`.
pub(super) fn ce_falls_below(utility: &Utility, floor: f64, upper: f64) -> Option<f64> {
    if upper.is_infinite() {
        return None;
    }
    // Approach the domain's end until the criterion is below the target.
    let mut ok = floor;
    for k in 1..=60 {
        let x = upper - (upper - floor) * 0.5f64.powi(k);
        if x <= ok {
            break;
        }
        if utility.eval(x).f < 0.0 {
            let (l, _) = bracketed_root(ok, x, TOLERANCE, |y| {
                let e = utility.eval(y);
                (e.f, e.df)
            });
            return Some(l);
        }
        ok = x;
    }
    // Still reached where the CE stops being defined.
    Some(upper)
}

/// The sums of [`Utility::sum`] over one [`Scaled`] group in vector
/// registers, a lane a chunk, for the curvatures that have a kernel.
///
/// Each lane does what [`Curvature::at`] and the scalar sum do, operation
/// for operation and in the same order; IEEE arithmetic rounds each lane
/// of an addition, product or quotient exactly as it rounds a scalar, so
/// the sums are the same to the bit (a unit test holds them to it). The
/// division a path bounds the scalar loop (about 4 cycles); with four in
/// one instruction, one sum over a million paths took 0.39 ms against
/// 1.46 ms in a micro-benchmark.
mod vector {
    #[cfg(target_arch = "x86_64")]
    use super::CHUNK;
    use super::{GroupSums, LANES};

    /// A group's sums at lever `x`; callable only where the processor has
    /// the kernel's features.
    pub(super) type Kernel = unsafe fn(&[[[f64; LANES]; 2]], f64) -> GroupSums;

    /// γ = 2 (`u = -1/w`), with AVX2, when this processor has it.
    pub(super) fn two<const CURVATURE: bool>() -> Option<Kernel> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Some(two_avx2::<CURVATURE> as Kernel);
        }
        None
    }

    /// # Safety
    ///
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn two_avx2<const CURVATURE: bool>(group: &[[[f64; LANES]; 2]], x: f64) -> GroupSums {
        use std::arch::x86_64::*;
        debug_assert!(group.len() <= CHUNK);
        // SAFETY: AVX2 is there (the caller's promise), and every load
        // reads four f64 of one `[f64; LANES]`.
        unsafe {
            let xs = _mm256_set1_pd(x);
            let one = _mm256_set1_pd(1.0);
            let zero = _mm256_setzero_pd();
            let minus_two = _mm256_set1_pd(-2.0);
            let sign = _mm256_set1_pd(-0.0);
            let minus_infinity = _mm256_set1_pd(f64::NEG_INFINITY);
            let infinity = _mm256_set1_pd(f64::INFINITY);
            let (mut s0, mut s1, mut s2) = (zero, zero, zero);
            for [c, d] in group {
                let c = _mm256_loadu_pd(c.as_ptr());
                let d = _mm256_loadu_pd(d.as_ptr());
                // w = c + x d; a lane with w NaN or w ≤ 0 takes
                // (-∞, ∞, -∞), as `Curvature::at` returns there.
                let w = _mm256_add_pd(c, _mm256_mul_pd(xs, d));
                let positive = _mm256_cmp_pd::<_CMP_GT_OQ>(w, zero);
                let inv = _mm256_div_pd(one, w);
                let m = _mm256_mul_pd(inv, inv);
                let u = _mm256_blendv_pd(minus_infinity, _mm256_xor_pd(inv, sign), positive);
                let du = _mm256_blendv_pd(infinity, m, positive);
                s0 = _mm256_add_pd(s0, u);
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(d, du));
                if CURVATURE {
                    // -2 m inv, then d d times it.
                    let d2u = _mm256_blendv_pd(
                        minus_infinity,
                        _mm256_mul_pd(_mm256_mul_pd(minus_two, m), inv),
                        positive,
                    );
                    s2 = _mm256_add_pd(s2, _mm256_mul_pd(_mm256_mul_pd(d, d), d2u));
                }
            }
            let mut sums = [[0.0; 3]; LANES];
            let mut lanes = [0.0; LANES];
            for (j, s) in [s0, s1, s2].into_iter().enumerate() {
                _mm256_storeu_pd(lanes.as_mut_ptr(), s);
                for (sum, lane) in sums.iter_mut().zip(lanes) {
                    sum[j] = lane;
                }
            }
            sums
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The domain as a branch on each case, as it is defined.
    fn add_by_cases(d: &mut Domain, ci: f64, di: f64) {
        if di > 0.0 {
            if ci <= 0.0 {
                d.lower = d.lower.max(-ci / di);
                d.open_lower = true;
            }
        } else if di < 0.0 {
            if ci <= 0.0 {
                d.never += 1;
            } else {
                d.upper = d.upper.min(ci / -di);
            }
        } else {
            d.flat += 1;
            if ci <= 0.0 {
                d.never += 1;
            }
        }
    }

    #[test]
    fn domain_selects_what_the_cases_give_to_the_bit() {
        let special = [
            f64::NEG_INFINITY,
            -3.0,
            -1e-310,
            -0.0,
            0.0,
            1e-310,
            0.7,
            2.5,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        let same = |a: Domain, b: Domain| {
            a.lower.to_bits() == b.lower.to_bits()
                && a.upper.to_bits() == b.upper.to_bits()
                && a.open_lower == b.open_lower
                && a.never == b.never
                && a.flat == b.flat
        };
        // Every pair alone, then all of them in one running domain.
        let (mut running, mut running_by_cases) = (Domain::EVERYWHERE, Domain::EVERYWHERE);
        for &ci in &special {
            for &di in &special {
                let (mut one, mut by_cases) = (Domain::EVERYWHERE, Domain::EVERYWHERE);
                one.add(ci, di);
                add_by_cases(&mut by_cases, ci, di);
                assert!(same(one, by_cases), "({ci}, {di}): {one:?} vs {by_cases:?}");
                running.add(ci, di);
                add_by_cases(&mut running_by_cases, ci, di);
                assert!(same(running, running_by_cases), "after ({ci}, {di})");
            }
        }
        // A finite domain, so that the test sees the ends move at all.
        let mut d = Domain::EVERYWHERE;
        for (ci, di) in [(-2.0, 4.0), (3.0, -2.0), (-1.0, -1.0), (5.0, 0.0)] {
            d.add(ci, di);
        }
        assert_eq!((d.lower, d.upper, d.never, d.flat), (0.5, 1.5, 1, 1));
        assert!(d.open_lower);
    }

    /// The sums of every path's wealth as the definition takes them: each
    /// chunk of paths one after the other, then the chunks in order.
    fn sums_by_definition<const CURVATURE: bool>(
        scaled: &Scaled,
        curvature: Curvature,
        x: f64,
    ) -> [f64; 3] {
        let lines: Vec<(f64, f64)> = scaled.iter().collect();
        let parts: Vec<[f64; 3]> = lines
            .chunks(CHUNK)
            .map(|chunk| {
                let mut sum = [0.0f64; 3];
                for &(c, d) in chunk {
                    let (u, du, d2u) = curvature.at(c + x * d);
                    sum[0] += u;
                    sum[1] += d * du;
                    if CURVATURE {
                        sum[2] += d * d * d2u;
                    }
                }
                sum
            })
            .collect();
        let n = lines.len() as f64;
        std::array::from_fn(|k| neumaier_sum(parts.iter().map(|p| p[k])) / n)
    }

    #[test]
    fn side_by_side_sums_are_the_chunk_by_chunk_sums_to_the_bit() {
        // Two whole groups and a tail, with wealth that is positive, zero,
        // negative and NaN at the lever values tried.
        let n = 2 * CHUNK * LANES + 1234;
        let wobble = |i: usize| ((i * 7919) % 10_007) as f64 / 10_007.0;
        let intercept: Vec<f64> = (0..n)
            .map(|i| match i % 997 {
                0 => f64::NAN,
                1 => -100.0,
                _ => 20.0 + 300.0 * wobble(i),
            })
            .collect();
        let slope: Vec<f64> = (0..n)
            .map(|i| match i % 13 {
                0 => 0.0,
                1 => -0.5 * wobble(i + 3),
                _ => 2.0 * wobble(i + 1),
            })
            .collect();
        let paths = LinearPaths {
            intercept: intercept.into(),
            slope: slope.into(),
        };
        let (scaled, _) = Scaled::of(&paths, 50.0, 200.0);
        let bits = |v: [f64; 3]| v.map(f64::to_bits);
        for curvature in [Curvature::Two, Curvature::Log, Curvature::Whole(3)] {
            let utility = Utility {
                scaled: Scaled {
                    groups: scaled.groups.clone(),
                    tail: scaled.tail.clone(),
                },
                curvature,
                target: 0.0,
            };
            for x in [0.0, 0.3, 7.5, 120.0] {
                assert_eq!(
                    bits(utility.dispatch::<false>(x)),
                    bits(sums_by_definition::<false>(&scaled, curvature, x)),
                    "{curvature:?} at {x}"
                );
                assert_eq!(
                    bits(utility.dispatch::<true>(x)),
                    bits(sums_by_definition::<true>(&scaled, curvature, x)),
                    "{curvature:?} at {x}, with the curvature"
                );
            }
        }
        // The layout keeps every path, in path order.
        let back: Vec<(f64, f64)> = scaled.iter().collect();
        assert_eq!(back.len(), n);
        let expect = |i: usize| ((50.0 + paths.intercept[i]) / 200.0, paths.slope[i] / 200.0);
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK * LANES + 5, n - 1] {
            let (c, d) = expect(i);
            assert_eq!(
                (back[i].0.to_bits(), back[i].1.to_bits()),
                (c.to_bits(), d.to_bits()),
                "path {i}"
            );
        }
    }

    /// The vector kernel, lane by lane, against the scalar sum of the same
    /// paths: one path a lane (each term alone, where a last-bit difference
    /// cannot hide in a larger sum), then two (the order of the additions).
    #[test]
    fn the_vector_kernel_is_the_scalar_sum_lane_by_lane() {
        let (Some(plain), Some(curved)) = (vector::two::<false>(), vector::two::<true>()) else {
            return; // No kernel on this processor: the scalar sum is used.
        };
        let special = [
            -1.0,
            -0.0,
            0.0,
            1e-310,
            0.1,
            0.3,
            1.0 / 3.0,
            2.5,
            7.0e5,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        let scalar = |entries: &[[[f64; LANES]; 2]], x: f64| -> GroupSums {
            let mut sums = [[0.0f64; 3]; LANES];
            for [c, d] in entries {
                for (k, sum) in sums.iter_mut().enumerate() {
                    let (u, du, d2u) = Curvature::Two.at(c[k] + x * d[k]);
                    sum[0] += u;
                    sum[1] += d[k] * du;
                    sum[2] += d[k] * d[k] * d2u;
                }
            }
            sums
        };
        let bits = |g: GroupSums| g.map(|lane| lane.map(f64::to_bits));
        let mut tried = 0;
        for (i, &c0) in special.iter().enumerate() {
            for (j, &d0) in special.iter().enumerate() {
                let lanes = |v: f64, w: f64| [v, w, v * 0.7 + 0.01, w * 1.3 - 0.2];
                let first = [lanes(c0, d0), lanes(d0, c0)];
                let second = [
                    lanes(special[(i + 5) % 12], 0.2),
                    lanes(special[(j + 7) % 12], 0.9),
                ];
                for x in [0.0, 0.37, 3.0, -2.0] {
                    for entries in [&[first][..], &[first, second][..]] {
                        // SAFETY: the kernels exist, so the processor has AVX2.
                        let (vp, vc) = unsafe { (plain(entries, x), curved(entries, x)) };
                        let expected = scalar(entries, x);
                        let without = expected.map(|[a, b, _]| [a, b, 0.0]);
                        assert_eq!(bits(vc), bits(expected), "{entries:?} at {x}");
                        assert_eq!(bits(vp), bits(without), "{entries:?} at {x}");
                        tried += 1;
                    }
                }
            }
        }
        assert_eq!(tried, 12 * 12 * 4 * 2);
    }
}
