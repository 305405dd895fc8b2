//! The percentile (and median) floor, found exactly by counting which
//! paths are at or above the target at each lever value.

use super::*;

/// For a target `t`, the lever values at which each path is at or above
/// it: from `up` on for a rising path, up to `down` for a falling one,
/// always or never for a flat one.
pub(super) struct Reach {
    /// Paths at or above `t` at every lever value `≥ 0`: rising paths
    /// already there at 0, flat paths at or above `t`.
    always: usize,
    /// Rising paths: the lever value at which they reach `t` (`> 0`).
    ups: Vec<f64>,
    /// Falling paths at or above `t` at lever 0: the lever value up to
    /// which they stay there; in path order until [`Reach::sort_downs`].
    downs: Vec<f64>,
    downs_sorted: bool,
    /// Paths whose total does not depend on the lever.
    flat: usize,
    /// Paths whose total falls as the lever rises.
    falling: usize,
}

impl Reach {
    fn new(paths: &LinearPaths, t: f64) -> Reach {
        // Classified a chunk at a time in parallel and joined in path
        // order: the same lists as one pass over the paths. Each thread
        // writes its chunks' lists into scratch of its own first.
        let parts: Vec<Reach> = paths
            .intercept
            .par_chunks(CHUNK)
            .zip(paths.slope.par_chunks(CHUNK))
            .map_init(
                || (vec![0.0; CHUNK], vec![0.0; CHUNK]),
                |(ups, downs), (a, s)| Reach::of_chunk(a, s, t, ups, downs),
            )
            .collect();
        let mut r = Reach {
            always: 0,
            ups: Vec::with_capacity(parts.iter().map(|p| p.ups.len()).sum()),
            downs: Vec::with_capacity(parts.iter().map(|p| p.downs.len()).sum()),
            flat: 0,
            falling: 0,
            downs_sorted: false,
        };
        for p in parts {
            r.always += p.always;
            r.flat += p.flat;
            r.falling += p.falling;
            r.ups.extend_from_slice(&p.ups);
            r.downs.extend_from_slice(&p.downs);
        }
        r
    }

    /// Sorts the downs ascending, which only what explains a floor needs:
    /// the floor itself ([`Reach::first_reach`]) counts them unsorted.
    fn sort_downs(&mut self) {
        if !self.downs_sorted {
            self.downs.sort_unstable_by(f64::total_cmp);
            self.downs_sorted = true;
        }
    }

    /// One chunk's classification ([`Crossing`]), its lists in path
    /// order. A path's list is chosen without a branch (whether a path
    /// rises, falls or stays is as unpredictable as the paths): both lever
    /// values are written to the scratch lists `ups` and `downs` (at least
    /// as long as the chunk), and only a kept one advances its list.
    fn of_chunk(
        intercept: &[f64],
        slope: &[f64],
        t: f64,
        ups: &mut [f64],
        downs: &mut [f64],
    ) -> Reach {
        let (mut nu, mut nd) = (0usize, 0usize);
        let (mut always, mut flat, mut falling) = (0usize, 0usize, 0usize);
        for (&a, &s) in intercept.iter().zip(slope) {
            let c = Crossing::of(a, s, t);
            ups[nu] = c.from;
            downs[nd] = c.up_to;
            nu += usize::from(c.up);
            nd += usize::from(c.down);
            always += usize::from(c.always);
            flat += usize::from(c.flat());
            falling += usize::from(c.falling);
        }
        Reach {
            always,
            ups: ups[..nu].to_vec(),
            downs: downs[..nd].to_vec(),
            flat,
            falling,
            downs_sorted: false,
        }
    }

    /// Paths at or above `t` at lever `x`.
    fn count_at(&self, x: f64) -> usize {
        let risen = self.ups.iter().filter(|u| **u <= x).count();
        let stayed = self.downs.iter().filter(|d| **d >= x).count();
        self.always + risen + stayed
    }

    /// For each need `m` (ascending), the first lever value `≥ 0` at which at
    /// least `m` paths are at or above `t`.
    ///
    /// The count only rises at an `up`, so the answer is 0 or an `up`. With
    /// `D` falling paths, the `(m - always - D)`-th smallest `up` is a lower
    /// bound and the `(m - always)`-th an upper one: only that window of ranks
    /// is sorted.
    fn first_reach(&mut self, needs: [usize; 2]) -> [Option<f64>; 2] {
        let at_zero = self.always + self.downs.len();
        let mut out = [None; 2];
        let mut pending = Vec::new();
        for (j, &m) in needs.iter().enumerate() {
            if at_zero >= m {
                out[j] = Some(0.0);
            } else {
                pending.push(j);
            }
        }
        if pending.is_empty() || self.ups.is_empty() {
            return out;
        }
        let nu = self.ups.len();
        let need_min = pending.iter().map(|&j| needs[j]).min().unwrap_or(0);
        let need_max = pending.iter().map(|&j| needs[j]).max().unwrap_or(0);
        let first = need_min - at_zero - 1;
        if first >= nu {
            return out;
        }
        let last = (need_max - self.always - 1).min(nu - 1);
        sort_window(&mut self.ups, first, last);
        let nd = self.downs.len();
        let below = downs_first_below(&self.downs, &self.ups[first..=last]);
        let mut gone = 0usize; // downs below the current candidate
        for r in first..=last {
            let x = self.ups[r];
            gone += below[r - first];
            let n_at = self.always + r + 1 + nd - gone;
            for &j in &pending {
                if out[j].is_none() && n_at >= needs[j] {
                    out[j] = Some(x);
                }
            }
            if pending.iter().all(|&j| out[j].is_some()) {
                break;
            }
        }
        out
    }

    /// The end of the group of downs equal to `downs[j]` (sorted).
    fn group_end(&self, j: usize) -> usize {
        let x = self.downs[j];
        let mut end = j + 1;
        while end < self.downs.len() && self.downs[end] <= x {
            end += 1;
        }
        end
    }

    /// For each down `j` (sorted ascending), how many rising paths are at
    /// or above `t` at lever `downs[j]`: `#{up ≤ downs[j]}`, from each up's
    /// place among the downs instead of a sort.
    fn risen_at_downs(&self) -> Vec<usize> {
        let first_down_after = place_counts(&self.downs, &self.ups, |d, u| d < u);
        let mut acc = 0usize;
        first_down_after[..self.downs.len()]
            .iter()
            .map(|h| {
                acc += h;
                acc
            })
            .collect()
    }

    /// The first lever value `x ≥ from` after which fewer than `need` paths
    /// are at or above `t` (the end of the interval that contains `from`),
    /// or `None` if that never happens.
    fn falls_below(&mut self, from: f64, need: usize) -> Option<f64> {
        if self.downs.is_empty() {
            return None;
        }
        self.sort_downs();
        // Rising paths never leave: once enough are there, it holds for good.
        if self.always + self.ups.iter().filter(|u| **u <= from).count() >= need {
            return None;
        }
        let risen = self.risen_at_downs();
        let nd = self.downs.len();
        let mut j = self.downs.partition_point(|d| *d < from);
        while j < nd {
            let x = self.downs[j];
            let end = self.group_end(j);
            // Just after x the falling paths of this group have left.
            if self.always + risen[end - 1] + (nd - end) < need {
                return Some(x);
            }
            j = end;
        }
        None
    }

    /// The most paths at or above `t` at once, and the smallest lever value
    /// at which that many are. The count rises at each up and falls just
    /// after each down, so its maximum is at a down or in the limit.
    fn best(&mut self) -> (usize, f64) {
        self.sort_downs();
        let nd = self.downs.len();
        let mut best = (self.always + nd, 0.0);
        if nd > 0 {
            let risen = self.risen_at_downs();
            let mut j = 0usize;
            while j < nd {
                let x = self.downs[j];
                let end = self.group_end(j);
                let n_at = self.always + risen[end - 1] + (nd - j);
                if n_at > best.0 {
                    best = (n_at, x);
                }
                j = end;
            }
        }
        let in_the_limit = self.always + self.ups.len();
        if in_the_limit > best.0 {
            best = (in_the_limit, self.ups.iter().copied().fold(0.0, f64::max));
        }
        best
    }
}

/// For each candidate of `window` (sorted by `total_cmp`), how many of
/// `downs` are below it but below no earlier candidate: the steps of the
/// count of downs below the candidates as they rise, without sorting the
/// downs. A NaN candidate has no down below it (`d < NaN` is false), so
/// only the numbers between the NaNs `total_cmp` puts first and last
/// are searched.
fn downs_first_below(downs: &[f64], window: &[f64]) -> Vec<usize> {
    let lead = window.iter().take_while(|x| x.is_nan()).count();
    let numbers = &window[lead..];
    let numbers = &numbers[..numbers.iter().take_while(|x| !x.is_nan()).count()];
    let counts = place_counts(numbers, downs, |x, d| x <= d);
    // One more slot for the downs below no candidate.
    let mut below = vec![0usize; window.len() + 1];
    below[lead..lead + numbers.len()].copy_from_slice(&counts[..numbers.len()]);
    below[window.len()] = counts[numbers.len()];
    below
}

/// `counts[k]`: how many of `items` have their place at `k` in `sorted`,
/// the place of `v` being `sorted.partition_point(|x| before(*x, v))`
/// (`before` must hold on a prefix of `sorted`); `sorted.len() + 1`
/// counts. Each place is found in parallel, first among every 64th
/// element (a search that stays in cache), then within its block.
fn place_counts(
    sorted: &[f64],
    items: &[f64],
    before: impl Fn(f64, f64) -> bool + Sync,
) -> Vec<usize> {
    const BLOCK: usize = 64;
    let n = sorted.len();
    let pivots: Vec<f64> = sorted.iter().step_by(BLOCK).copied().collect();
    let places: Vec<usize> = items
        .par_iter()
        .with_min_len(CHUNK)
        .map(|&v| {
            let k = pivots.partition_point(|p| before(*p, v));
            let lo = k.saturating_sub(1) * BLOCK;
            let hi = (k * BLOCK).min(n);
            lo + sorted[lo..hi].partition_point(|x| before(*x, v))
        })
        .collect();
    let mut counts = vec![0usize; n + 1];
    for k in places {
        counts[k] += 1;
    }
    counts
}

/// Puts the order statistics `first..=last` of `v` in place, sorted.
pub(super) fn sort_window(v: &mut [f64], first: usize, last: usize) {
    v.select_nth_unstable_by(first, f64::total_cmp);
    if last > first {
        v[first + 1..].select_nth_unstable_by(last - first - 1, f64::total_cmp);
    }
    v[first..=last].sort_unstable_by(f64::total_cmp);
}

/// The type-7 `p`-quantile of the totals for lever values in `[l, r]`,
/// computed on the few paths that can be at the two order statistics
/// involved anywhere in that range.
///
/// Over `[l, r]` path `i` stays within `[low_i, high_i]` (its values at the
/// ends). For a cut `B1` with at most `lo` paths ever below it (`low_i <
/// B1`), the lower order statistic never drops below `B1`, so paths
/// entirely below `B1` only shift ranks; likewise paths entirely above a
/// cut `B2` that at most `n - 1 - hi` paths ever exceed do not matter. The
/// cuts start around `target` and widen until they are valid.
pub(super) struct Band {
    intercept: Vec<f64>,
    slope: Vec<f64>,
    below: usize,
    lo: usize,
    hi: usize,
    frac: f64,
    scratch: Vec<f64>,
}

impl Band {
    /// Each cut is the first valid one of `target ∓ w 4^k` (`k < 64`, `w`
    /// a thousandth of the target, or of 1). Both first tries are tested
    /// in the pass that keeps the paths between them, usually the only
    /// pass; a cut whose first try fails is widened with passes that only
    /// count, and the paths are then kept between the cuts found.
    fn new(
        paths: &LinearPaths,
        (l, r): (f64, f64),
        (lo, hi, frac): (usize, usize, f64),
        target: f64,
    ) -> Band {
        let n = paths.len();
        let ends = |a: f64, s: f64| {
            let (x, y) = (a + l * s, a + r * s);
            (x.min(y), x.max(y))
        };
        let lo_valid = |ever_below: usize| ever_below <= lo;
        let hi_valid = |ever_above: usize| ever_above < n - hi;
        let first_width = 1e-3 * target.abs().max(1.0);
        let mut cuts = (target - first_width, target + first_width);
        let mut kept = Kept::between(paths, ends, cuts);
        let (lo_fails, hi_fails) = (!lo_valid(kept.ever_below), !hi_valid(kept.ever_above));
        if lo_fails || hi_fails {
            let count = |outside: fn(f64, f64, f64) -> bool, b: f64| -> usize {
                paths
                    .intercept
                    .par_chunks(CHUNK)
                    .zip(paths.slope.par_chunks(CHUNK))
                    .map(|(aa, ss)| {
                        let ends_outside = |(&a, &s): (&f64, &f64)| {
                            let (low, high) = ends(a, s);
                            usize::from(outside(low, high, b))
                        };
                        aa.iter().zip(ss).map(ends_outside).sum::<usize>()
                    })
                    .sum()
            };
            // The first valid cut of the widening ones after the first
            // try, or none (every path in play on that side).
            let widened = |sign: f64, valid: &dyn Fn(f64) -> bool, none: f64| {
                let mut width = 4.0 * first_width;
                for _ in 1..64 {
                    let b = target + sign * width;
                    if valid(b) {
                        return b;
                    }
                    width *= 4.0;
                }
                none
            };
            if lo_fails {
                let valid = |b| lo_valid(count(|low, _, b| low < b, b));
                cuts.0 = widened(-1.0, &valid, f64::NEG_INFINITY);
            }
            if hi_fails {
                let valid = |b| hi_valid(count(|_, high, b| high > b, b));
                cuts.1 = widened(1.0, &valid, f64::INFINITY);
            }
            kept = Kept::between(paths, ends, cuts);
        }
        Band {
            intercept: kept.intercept,
            slope: kept.slope,
            below: kept.below,
            lo,
            hi,
            frac,
            scratch: Vec::new(),
        }
    }

    fn quantile(&mut self, x: f64) -> f64 {
        self.scratch.clear();
        self.scratch.extend(
            self.intercept
                .iter()
                .zip(&self.slope[..])
                .map(|(a, s)| a + x * s),
        );
        let k = self.lo - self.below;
        let (_, &mut x_lo, above) = self.scratch.select_nth_unstable_by(k, f64::total_cmp);
        if self.hi == self.lo || above.is_empty() {
            return x_lo;
        }
        let x_hi = above.iter().copied().fold(f64::INFINITY, f64::min);
        x_lo + self.frac * (x_hi - x_lo)
    }
}

/// The paths a band keeps between its two cuts, and what the cuts' tests
/// count, from one pass over the paths.
#[derive(Default)]
struct Kept {
    intercept: Vec<f64>,
    slope: Vec<f64>,
    /// Paths entirely below the lower cut (`high < cut`).
    below: usize,
    /// Paths ever below the lower cut (`low < cut`), and ever above the
    /// upper (`high > cut`).
    ever_below: usize,
    ever_above: usize,
}

impl Kept {
    /// Chunk by chunk in parallel, joined in path order.
    fn between(
        paths: &LinearPaths,
        ends: impl Fn(f64, f64) -> (f64, f64) + Sync,
        (cut_lo, cut_hi): (f64, f64),
    ) -> Kept {
        let parts: Vec<Kept> = paths
            .intercept
            .par_chunks(CHUNK)
            .zip(paths.slope.par_chunks(CHUNK))
            .map(|(aa, ss)| {
                let mut part = Kept::default();
                for (&a, &s) in aa.iter().zip(ss) {
                    let (low, high) = ends(a, s);
                    part.ever_below += usize::from(low < cut_lo);
                    part.ever_above += usize::from(high > cut_hi);
                    if high < cut_lo {
                        part.below += 1;
                    } else if low <= cut_hi {
                        part.intercept.push(a);
                        part.slope.push(s);
                    }
                }
                part
            })
            .collect();
        let len = parts.iter().map(|p| p.intercept.len()).sum();
        let mut all = Kept {
            intercept: Vec::with_capacity(len),
            slope: Vec::with_capacity(len),
            ..Kept::default()
        };
        for p in parts {
            all.below += p.below;
            all.ever_below += p.ever_below;
            all.ever_above += p.ever_above;
            all.intercept.extend_from_slice(&p.intercept);
            all.slope.extend_from_slice(&p.slope);
        }
        all
    }
}

pub(super) fn solve_percentile(
    paths: &LinearPaths,
    p: f64,
    t: f64,
    decreasing_share: f64,
    ask: Ask,
) -> Solution {
    let n = paths.len();
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let hi = if frac > 0.0 { (lo + 1).min(n - 1) } else { lo };
    // The k-th order statistic (0-based) is at or above t exactly when at
    // least n - k paths are.
    let (need_hi, need_lo) = (n - hi, n - lo);
    let mut reach = Reach::new(paths, t);
    // Monotone unless a falling path starts above the lower order statistic
    // at lever 0, i.e. unless more than lo totals lie below the highest
    // falling path's.
    let is_monotone = |falling: usize| {
        falling == 0 || {
            let top = paths
                .intercept
                .iter()
                .zip(&paths.slope[..])
                .filter(|(_, s)| **s < 0.0)
                .map(|(a, _)| *a)
                .fold(f64::NEG_INFINITY, f64::max);
            paths.intercept.par_iter().filter(|a| **a < top).count() <= lo
        }
    };
    let [first_hi, first_lo] = reach.first_reach([need_hi, need_lo]);

    let floor = match (first_hi, first_lo) {
        (None, _) => None,
        (Some(a), Some(b)) if hi == lo || a == b => Some(b),
        (Some(a), Some(b)) => {
            // The interpolated quantile crosses t between the crossings of
            // its two order statistics.
            let mut band = Band::new(paths, (a, b), (lo, hi, frac), t);
            if band.quantile(a) >= t {
                Some(a)
            } else if band.quantile(b) < t {
                Some(b) // rounding at b: the lower order statistic is at t
            } else {
                Some(bisect(a, b, false, |x| band.quantile(x) >= t).1)
            }
        }
        (Some(a), None) => {
            // Only the upper order statistic reaches t: look for the
            // interpolated quantile within the stretch where it does.
            let end = reach
                .falls_below(a, need_hi)
                .unwrap_or_else(|| (2.0 * a).max(a + 1.0));
            let mut band = Band::new(paths, (a, end), (lo, hi, frac), t);
            let steps = 64;
            let mut found = None;
            let mut prev = a;
            for i in 0..=steps {
                let x = a + (end - a) * i as f64 / steps as f64;
                if band.quantile(x) >= t {
                    found = Some(if i == 0 {
                        x
                    } else {
                        bisect(prev, x, false, |y| band.quantile(y) >= t).1
                    });
                    break;
                }
                prev = x;
            }
            found
        }
    };

    // The upper order statistic never reaching t is the count's verdict;
    // the interpolated quantile's search can also fail where it does, but
    // that is no count.
    let too_few = first_hi.is_none();
    if ask == Ask::Floor {
        return Solution::floor_only(floor).out_of_reach_lower(too_few);
    }
    let monotone = is_monotone(reach.falling);
    let Some(floor) = floor else {
        let (best, best_at) = reach.best();
        let limit = if lo < reach.falling {
            None
        } else if lo < reach.falling + reach.flat {
            let mut flat: Vec<f64> = paths
                .intercept
                .iter()
                .zip(&paths.slope[..])
                .filter(|(_, s)| **s == 0.0)
                .map(|(a, _)| *a)
                .collect();
            Some(
                *flat
                    .select_nth_unstable_by(lo - reach.falling, f64::total_cmp)
                    .1,
            )
        } else {
            Some(f64::INFINITY)
        };
        return Solution::unreachable(
            Unreachable::PercentilePinned {
                needed_share: need_hi as f64 / n as f64,
                best_share: best as f64 / n as f64,
                best_at,
                flat_share: reach.flat as f64 / n as f64,
                decreasing_share,
                limit,
            },
            monotone,
            decreasing_share,
        )
        .out_of_reach_lower(too_few);
    };

    let mut solution = Solution::reached(floor, monotone, decreasing_share);
    if let Some(x) = reach.falls_below(floor, need_hi) {
        // Just after x the upper order statistic, and so the quantile, is
        // below t. The quantile may leave a little earlier, but not before
        // the lower order statistic does if that one had reached t.
        let from = if reach.count_at(floor) >= need_lo {
            reach
                .falls_below(floor, need_lo)
                .map_or(floor, |f| f.clamp(floor, x))
        } else {
            floor
        };
        let end = if hi == lo {
            from
        } else {
            let r = x * (1.0 + 1e-12) + f64::MIN_POSITIVE;
            let mut band = Band::new(paths, (from, r), (lo, hi, frac), t);
            if band.quantile(r) >= t {
                r
            } else if band.quantile(from) < t {
                from
            } else {
                bisect(from, r, true, |y| band.quantile(y) >= t).0
            }
        };
        solution.falls_below_again = Some(end);
    }
    solution
}

/// The `beatsNN` floor: the smallest lever value at which the offer is
/// worth at least the alternative on at least `nn`% of the paths, from the
/// paths' differences `d_i(ℓ) = X_i(ℓ) - Y_i` (`diff`): the count of paths
/// with `d_i ≥ 0` is the percentile floor's count with the target 0, so
/// the same exact machinery finds it.
pub(super) fn solve_beats(diff: &LinearPaths, nn: u8, decreasing_share: f64, ask: Ask) -> Solution {
    let n = diff.len();
    // At least nn% of n paths: count >= nn n / 100, exactly in integers.
    let need = (usize::from(nn) * n).div_ceil(100).max(1);
    let mut reach = Reach::new(diff, 0.0);
    let monotone = reach.falling == 0;
    let floor = reach.first_reach([need, need])[0];
    if ask == Ask::Floor {
        return Solution::floor_only(floor).out_of_reach_lower(floor.is_none());
    }
    match floor {
        Some(x) => {
            let mut solution = Solution::reached(x, monotone, decreasing_share);
            solution.falls_below_again = reach.falls_below(x, need);
            solution
        }
        None => {
            let (best, at) = reach.best();
            Solution::unreachable(
                Unreachable::BeatsPinned {
                    needed_share: need as f64 / n as f64,
                    best_share: best as f64 / n as f64,
                    best_at: at,
                    decreasing_share,
                },
                monotone,
                decreasing_share,
            )
            .out_of_reach_lower(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::floor::tests::lcg;

    /// The branch-free chunk is [`path_reach`] path by path: the same
    /// counts and the same lists, in path order, to the bit.
    #[test]
    fn a_chunk_is_classified_as_path_reach_classifies_each_path() {
        let values = [
            0.0,
            -0.0,
            2.0,
            -2.0,
            5.0,
            1e-320,
            -1e-320,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let (mut intercept, mut slope) = (Vec::new(), Vec::new());
        for &a in &values {
            for &s in &values {
                intercept.push(a);
                slope.push(s);
            }
        }
        for t in [0.0, 2.0, -1e-320, f64::INFINITY] {
            let mut want = Reach {
                always: 0,
                ups: Vec::new(),
                downs: Vec::new(),
                flat: 0,
                falling: 0,
                downs_sorted: false,
            };
            for (&a, &s) in intercept.iter().zip(&slope) {
                let (motion, reach) = path_reach(a, s, t);
                match motion {
                    Motion::Falling => want.falling += 1,
                    Motion::Flat => want.flat += 1,
                    Motion::Rising => {}
                }
                match reach {
                    PathReach::Always => want.always += 1,
                    PathReach::From(g) => want.ups.push(g),
                    PathReach::UpTo(h) => want.downs.push(h),
                    PathReach::Never => {}
                }
            }
            let mut scratch = vec![0.0; 2 * intercept.len()];
            let (ups, downs) = scratch.split_at_mut(intercept.len());
            let got = Reach::of_chunk(&intercept, &slope, t, ups, downs);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                (got.always, got.flat, got.falling),
                (want.always, want.flat, want.falling),
                "t {t}"
            );
            assert_eq!(bits(&got.ups), bits(&want.ups), "t {t}");
            assert_eq!(bits(&got.downs), bits(&want.downs), "t {t}");
        }
    }

    /// The floor's count of downs below each candidate, unsorted, is the
    /// pointer walk over sorted downs it replaces: the same first reach
    /// for every need, on lines with ties, zeros of both signs and NaN.
    #[test]
    fn first_reach_counts_unsorted_downs_as_a_walk_over_sorted_ones() {
        let mut next = lcg(11);
        let (mut intercept, mut slope) = (Vec::new(), Vec::new());
        for i in 0..3000 {
            // Intercepts on a coarse grid, so that crossings tie.
            let a = (20.0 * next()).round() * 5.0;
            let r = next();
            let s = match i % 7 {
                0 => 0.0,
                1 | 2 => -(1.0 + (3.0 * next()).round()),
                _ => 1.0 + (3.0 * next()).round(),
            };
            intercept.push(if r < 0.002 {
                f64::NAN
            } else if r < 0.004 {
                -0.0
            } else {
                a
            });
            slope.push(s);
        }
        let paths = LinearPaths {
            intercept: intercept.into(),
            slope: slope.into(),
        };
        let walked = |reach: &Reach, needs: [usize; 2]| {
            let mut ups = reach.ups.clone();
            let mut downs = reach.downs.clone();
            downs.sort_unstable_by(f64::total_cmp);
            ups.sort_unstable_by(f64::total_cmp);
            let at_zero = reach.always + downs.len();
            needs.map(|m| {
                if at_zero >= m {
                    return Some(0.0);
                }
                let mut gone = 0;
                for (r, &x) in ups.iter().enumerate() {
                    while gone < downs.len() && downs[gone] < x {
                        gone += 1;
                    }
                    if reach.always + r + 1 + downs.len() - gone >= m {
                        return Some(x);
                    }
                }
                None
            })
        };
        let mut checked = 0;
        for t in [0.0, 35.0, 50.0, 72.5, 100.0] {
            let n = paths.len();
            for need in (1..=n).step_by(37) {
                let needs = [need, (need + 40).min(n)];
                let mut reach = Reach::new(&paths, t);
                let want = walked(&reach, needs);
                let got = reach.first_reach(needs);
                let bits = |v: [Option<f64>; 2]| v.map(|x| x.map(f64::to_bits));
                assert_eq!(bits(got), bits(want), "t {t} needs {needs:?}");
                checked += usize::from(got[0].is_some_and(|x| x > 0.0));
            }
        }
        assert!(checked > 20, "only {checked} floors above 0");
    }

    /// A band answers the percentile of all the paths, to the bit, at
    /// every lever in its interval, whether its first cuts hold (a target
    /// near the percentile) or one or both must be widened (targets far
    /// below, far above, and at zero, where the first width is absolute).
    #[test]
    fn a_band_gives_the_percentile_of_all_paths_whichever_cuts_it_widens() {
        let mut next = lcg(5);
        let n = 3000;
        let (mut intercept, mut slope) = (Vec::new(), Vec::new());
        for i in 0..n {
            intercept.push(100.0 * next());
            slope.push(if i % 5 == 0 { -next() } else { 1.0 + next() });
        }
        let paths = LinearPaths {
            intercept: intercept.into(),
            slope: slope.into(),
        };
        let p = 0.1;
        let h = (n - 1) as f64 * p;
        let (lo, frac) = (h.floor() as usize, h - h.floor());
        let at = |x: f64| -> Vec<f64> {
            paths
                .intercept
                .iter()
                .zip(&paths.slope[..])
                .map(|(a, s)| a + x * s)
                .collect()
        };
        let (l, r) = (1.0, 1.001);
        let near = quantile_select(&mut at(l), p);
        let mut narrowed = 0;
        for target in [near, 1e6, -1e6, 0.0] {
            let mut band = Band::new(&paths, (l, r), (lo, lo + 1, frac), target);
            narrowed += usize::from(band.intercept.len() < n / 10);
            for i in 0..=8 {
                let x = l + (r - l) * f64::from(i) / 8.0;
                let want = quantile_select(&mut at(x), p);
                assert_eq!(
                    band.quantile(x).to_bits(),
                    want.to_bits(),
                    "target {target} x {x}"
                );
            }
        }
        assert_eq!(narrowed, 1, "only the target near the percentile narrows");
    }
}
