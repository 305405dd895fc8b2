//! Runs too large to keep every path: the outputs and the floors from
//! paths simulated, summarized and dropped chunk by chunk
//! ([`crate::engine::chunks`]), in memory that does not grow with the
//! number of paths.
//!
//! The first pass gives every output ([`StreamedOutputs`]) and, from the
//! block-by-block means of the per-path floor terms `a_i` and `s_i` (see
//! [`crate::decisions::floor`]), the **mean floor exactly**, the same
//! number an in-memory run finds.
//!
//! **Percentile floors** take a second pass over the same paths. The
//! alternative's percentile `t` is known from the first pass within the
//! sketch's relative error `α`. For a target `t`, a path whose total rises
//! with the lever reaches `t` at `ℓ_i = (t - a_i) / s_i`; one that falls
//! stays at or above it up to `(a_i - t) / -s_i`. Sketches of these two
//! lever values count the paths at or above `t` at any lever value, and the
//! floor is the first at which enough are. The pass does this for `t` and
//! for `t (1 ± α)`, and the floor's bounds are the floors at the two ends,
//! widened by `α`: the exact floor lies between them.
//!
//! **Certainty-equivalent floors** are solved on a grid of lever values:
//! the expected utility at each is exact (summed block by block), so the
//! floor is bracketed by two neighbouring grid points; a second pass on a
//! fine grid inside the bracket narrows it, and the floor is interpolated
//! linearly there. The bracket is the stated bound.

use super::{
    Distribution, Floor, FloorBounds, Floors, Lever, Motion, PathReach, Preferences, Solution,
    Terms, Unreachable, path_reach, solve_mean_of,
};
use crate::decisions::ensemble::{DrawSums, EnsembleOutputs, EnsembleTerms};
use crate::engine::chunks::stream_chunks;
use crate::engine::{PathRecord, Plans, RunOptions};
use crate::error::Error;
use crate::model::Model;
use crate::observer::Unit;
use crate::scenario::{Criterion, Scenario, SolveFor};
use crate::stats::sketch::QuantileSketch;
use crate::stats::streaming::{SketchSet, StreamedOutputs, StreamingNote};
use crate::stats::{BLOCK, Moments, Outputs, UtilitySum};

/// How a streamed run is made.
#[derive(Clone)]
pub struct StreamSettings {
    /// The quantile sketches' relative error `α`.
    pub relative_error: f64,
}

/// What a streamed run gives.
#[derive(Debug, Clone)]
pub struct StreamedRun {
    pub outputs: Outputs,
    pub note: StreamingNote,
    pub floors: Option<Floors>,
    /// Passes over the paths (1, or more for percentile and CE floors).
    pub passes: u32,
    /// With an `[[uncertainty]]` ensemble: what its draws say.
    pub ensemble: Option<EnsembleOutputs>,
}

/// Lever values on the coarse grid of a certainty-equivalent floor: 0 and
/// `anchor · 2^(k/4)` for `k = -24..=24`.
const COARSE_STEPS_PER_DOUBLING: i32 = 4;
const COARSE_DOUBLINGS: i32 = 6;
/// Points of the fine grid inside the coarse bracket.
const FINE_POINTS: usize = 33;

/// One lever's per-path lines `X_i(ℓ) = a_i + ℓ s_i` from a path's record:
/// the terms and the lever of [`super::FloorProblem`], evaluated as they
/// come instead of stored.
#[derive(Debug, Clone, Copy)]
struct StreamedLever {
    terms: Terms,
    lever: Lever,
}

impl StreamedLever {
    fn new(model: &Model, solve_for: SolveFor) -> StreamedLever {
        StreamedLever {
            terms: Terms::new(model),
            lever: Lever::at_offer(model, solve_for),
        }
    }

    #[inline]
    fn terms(&self, p: &PathRecord) -> (f64, f64) {
        let [f, a, u] = self.terms.offer(p);
        self.lever.line(f, a, u)
    }

    fn current(&self) -> f64 {
        self.lever.current()
    }

    fn solve_for(&self) -> SolveFor {
        self.lever.solve_for
    }
}

/// A lever's terms over one chunk (or the run), in path order.
#[derive(Debug, Clone, Copy, Default)]
struct LeverMoments {
    intercept: Moments,
    slope: Moments,
    falling: u64,
    flat: u64,
}

impl LeverMoments {
    fn of(lever: &StreamedLever, records: &[PathRecord]) -> LeverMoments {
        let mut a = [0.0; BLOCK];
        let mut s = [0.0; BLOCK];
        let mut m = LeverMoments::default();
        for (i, p) in records.iter().enumerate() {
            (a[i], s[i]) = lever.terms(p);
            m.falling += u64::from(s[i] < 0.0);
            m.flat += u64::from(s[i] == 0.0);
        }
        m.intercept = Moments::of_block(&a[..records.len()]);
        m.slope = Moments::of_block(&s[..records.len()]);
        m
    }

    fn append(&mut self, next: &LeverMoments) {
        self.intercept.append(&next.intercept);
        self.slope.append(&next.slope);
        self.falling += next.falling;
        self.flat += next.flat;
    }
}

/// For one target `t` and lever: where each path is at or above `t`.
#[derive(Debug, Clone)]
struct ReachSketch {
    target: f64,
    /// Rising paths below `t` at lever 0: the lever value where they reach it.
    ups: QuantileSketch,
    /// Falling paths at or above `t` at lever 0: the value up to which they stay.
    downs: QuantileSketch,
    /// Paths at or above `t` at every lever value `≥ 0`.
    always: u64,
    /// The totals of the paths the lever does not move.
    flat: QuantileSketch,
}

impl ReachSketch {
    fn new(target: f64, relative_error: f64) -> ReachSketch {
        ReachSketch {
            target,
            ups: QuantileSketch::new(relative_error),
            downs: QuantileSketch::new(relative_error),
            always: 0,
            flat: QuantileSketch::new(relative_error),
        }
    }

    #[inline]
    fn add(&mut self, a: f64, s: f64) {
        let (motion, reach) = path_reach(a, s, self.target);
        if motion == Motion::Flat {
            self.flat.add(a);
        }
        match reach {
            PathReach::Always => self.always += 1,
            PathReach::From(g) => self.ups.add(g),
            PathReach::UpTo(h) => self.downs.add(h),
            PathReach::Never => {}
        }
    }

    fn merge(&mut self, other: &ReachSketch) {
        self.ups.merge(&other.ups);
        self.downs.merge(&other.downs);
        self.always += other.always;
        self.flat.merge(&other.flat);
    }

    /// The first lever value `≥ 0` at which at least `need` paths are at or
    /// above the target, where the count falls below `need` again after it,
    /// and the most paths there at once with where.
    fn solve(&self, need: u64) -> (Option<f64>, Option<f64>, (u64, f64)) {
        let ups = self.ups.bins_ascending();
        let downs = self.downs.bins_ascending();
        let mut candidates: Vec<f64> = std::iter::once(0.0)
            .chain(ups.iter().map(|u| u.0))
            .chain(downs.iter().map(|d| d.0))
            .filter(|x| *x >= 0.0)
            .collect();
        candidates.sort_by(f64::total_cmp);
        candidates.dedup();
        let mut reach = ReachCount::new(self.always, &ups, &downs);
        let counts: Vec<u64> = candidates.iter().map(|&x| reach.at(x)).collect();
        let best = candidates
            .iter()
            .zip(&counts)
            .fold((0u64, 0.0), |b, (x, c)| if *c > b.0 { (*c, *x) } else { b });
        let first = candidates.iter().zip(&counts).position(|(_, c)| *c >= need);
        let floor = first.map(|i| candidates[i]);
        // After the floor, the count only falls just past a down.
        let falls = floor.and_then(|floor| {
            let mut reach = ReachCount::new(self.always, &ups, &downs);
            downs
                .iter()
                .map(|d| d.0)
                .filter(|d| *d >= floor)
                .find(|d| reach.at(d + d.abs() * 1e-12 + 1e-12) < need)
        });
        (floor, falls, best)
    }
}

/// The number of paths at or above the target as the lever rises, from
/// the sketches' bins in ascending order: at lever `x`, the paths always
/// there, the ups at or below `x` and the downs at or above it. One sweep:
/// [`ReachCount::at`] takes non-decreasing `x`.
struct ReachCount<'a> {
    ups: &'a [(f64, u64)],
    downs: &'a [(f64, u64)],
    /// The paths always there and every down (none has gone at lever 0).
    base: u64,
    next_up: usize,
    next_down: usize,
    risen: u64,
    gone: u64,
}

impl<'a> ReachCount<'a> {
    fn new(always: u64, ups: &'a [(f64, u64)], downs: &'a [(f64, u64)]) -> ReachCount<'a> {
        ReachCount {
            ups,
            downs,
            base: always + downs.iter().map(|d| d.1).sum::<u64>(),
            next_up: 0,
            next_down: 0,
            risen: 0,
            gone: 0,
        }
    }

    fn at(&mut self, x: f64) -> u64 {
        while let Some(&(_, n)) = self.ups.get(self.next_up).filter(|u| u.0 <= x) {
            self.risen += n;
            self.next_up += 1;
        }
        while let Some(&(_, n)) = self.downs.get(self.next_down).filter(|d| d.0 < x) {
            self.gone += n;
            self.next_down += 1;
        }
        self.base + self.risen - self.gone
    }
}

/// A streamed run's total: its exact summary and its quantile sketch.
struct Sketched<'a>(&'a crate::stats::Summary, &'a QuantileSketch);

impl Distribution for Sketched<'_> {
    fn mean(&self) -> f64 {
        self.0.mean
    }
    fn quantile(&mut self, q: f64) -> f64 {
        self.1.quantile(q)
    }
    /// The mean for a risk-neutral person (as the summary holds it).
    fn certainty_equivalent(&self) -> Option<f64> {
        self.0.certainty_equivalent
    }
}

/// One percentile floor's sketches: per lever, at `t` and `t (1 ∓ α)`.
#[derive(Debug, Clone)]
struct PercentileJob {
    criterion: Criterion,
    lever: usize,
    reach: [ReachSketch; 3],
    /// For `beatsNN`: the lines are the differences to the alternative's
    /// totals, and `at_current` counts the paths where the offer as given is
    /// worth at least the alternative.
    against_alternative: bool,
    at_current: u64,
}

/// The expected utility at each point of a lever grid.
#[derive(Debug, Clone)]
struct UtilityGrid {
    lever: usize,
    points: Vec<f64>,
    sums: Vec<UtilitySum>,
}

/// Runs `scenario` streaming: every output, and the floors of `criteria`
/// on `solve_for` when asked.
pub fn run_streaming(
    scenario: &Scenario,
    options: &RunOptions,
    settings: &StreamSettings,
    floor: Option<(SolveFor, &[Criterion])>,
) -> Result<StreamedRun, Error> {
    let paths = scenario.simulation.paths;
    let plans = Plans::new(scenario);
    let model = &plans.own.model;
    let prefs = Preferences::of(scenario);
    let alpha = settings.relative_error;
    let labels = (
        scenario.offer.label.as_str(),
        scenario.alternative.label.as_str(),
    );
    let first: Vec<PathRecord> = (0..paths.min(BLOCK as u64))
        .map(|i| plans.of_path(i).simulate(i))
        .collect();
    // Each pass over the paths is a stage of the run's progress.
    let pass = |what: &str| {
        if let Some(progress) = &options.observer {
            progress.stage(what, paths, Unit::Paths);
        }
    };

    // Pass 1: every output and the floor terms' means.
    let levers: Vec<StreamedLever> = match floor {
        Some((solve_for, _)) => Lever::levers_of(solve_for)
            .iter()
            .map(|&l| StreamedLever::new(model, l))
            .collect(),
        None => Vec::new(),
    };
    pass("summary");
    let mut outputs_acc =
        StreamedOutputs::new(model, prefs, &scenario.report.thresholds, alpha, &first);
    let summarizer = outputs_acc.clone();
    let mut lever_moments = vec![LeverMoments::default(); levers.len()];
    // The ensemble's mean floor is on the floor's lever, else the grant.
    let ensemble_terms = scenario.ensemble.as_ref().map(|_| {
        EnsembleTerms::new(
            model,
            floor.map_or(crate::scenario::defaults::SOLVE_FOR, |f| f.0),
        )
    });
    let mut draw_sums = DrawSums::new(plans.draws().max(1));
    let mut next_chunk = 0;
    let workers = stream_chunks(
        &plans,
        paths,
        options,
        || summarizer.new_worker(),
        |w: &mut SketchSet, _, records, taxes| {
            let lm: Vec<LeverMoments> = levers
                .iter()
                .map(|l| LeverMoments::of(l, records))
                .collect();
            let draw = ensemble_terms.as_ref().map(|t| t.chunk(model, records));
            (summarizer.chunk(w, records, taxes), lm, draw)
        },
        |(chunk, lm, draw)| {
            outputs_acc.append(chunk);
            for (acc, m) in lever_moments.iter_mut().zip(&lm) {
                acc.append(m);
            }
            if let Some(d) = draw {
                draw_sums.add(next_chunk, &d);
            }
            next_chunk += 1;
        },
    )?;
    let (outputs, note, sketches) = outputs_acc.finish(&workers, labels)?;
    let ensemble = scenario
        .ensemble
        .as_ref()
        .zip(ensemble_terms.as_ref())
        .map(|(e, t)| EnsembleOutputs::new(e, scenario, t, &draw_sums));
    let Some((solve_for, criteria)) = floor else {
        return Ok(StreamedRun {
            outputs,
            note,
            floors: None,
            passes: 1,
            ensemble,
        });
    };

    let n = paths as f64;
    let gamma = prefs.risk_aversion;
    let target = |c: Criterion| {
        c.beats_share().or_else(|| {
            Sketched(&outputs.alternative.total, sketches.alternative_total()).value_of(c)
        })
    };
    let is_percentile = |c: Criterion| c.quantile().is_some() || c.beats_share().is_some();
    let uses_ce = |c: Criterion| c == Criterion::CertaintyEquivalent && gamma > 0.0;

    // Pass 2: reach sketches for percentiles (every lever), a coarse
    // utility grid for the certainty equivalent (the lever asked for).
    let mut jobs: Vec<PercentileJob> = Vec::new();
    for &c in criteria.iter().filter(|c| is_percentile(**c)) {
        let Some(t) = target(c).filter(|t| t.is_finite()) else {
            continue;
        };
        // A beats floor counts the differences to the alternative against
        // 0, a target known exactly.
        let against_alternative = c.beats_share().is_some();
        let (t, spread) = if against_alternative {
            (0.0, 0.0)
        } else {
            (t, alpha * t.abs())
        };
        for lever in 0..levers.len() {
            jobs.push(PercentileJob {
                criterion: c,
                lever,
                reach: [t - spread, t, t + spread].map(|t| ReachSketch::new(t, alpha)),
                against_alternative,
                at_current: 0,
            });
        }
    }
    let ce_target = target(Criterion::CertaintyEquivalent);
    let want_ce = criteria.iter().any(|c| uses_ce(*c)) && ce_target.is_some();
    let mean_floor_at = |li: usize| {
        let m = &lever_moments[li];
        solve_mean_of(
            m.intercept.mean(),
            m.slope.mean(),
            outputs.alternative.total.mean,
            0.0,
        )
        .floor
    };
    let mut passes = 1;
    let mut ce_grids = Vec::new();
    if !jobs.is_empty() || want_ce {
        pass("floors");
        let grids = if want_ce {
            (0..levers.len())
                .map(|li| {
                    UtilityGrid::new(
                        li,
                        coarse_grid(&levers[li], mean_floor_at(li)),
                        &levers[li],
                        &first,
                        prefs,
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let (done_jobs, grids) = floor_pass(&plans, paths, options, &levers, jobs, grids)?;
        jobs = done_jobs;
        ce_grids = grids;
        passes += 1;
    }
    // Pass 3: a fine grid inside each certainty-equivalent bracket.
    let mut ce_solutions: Vec<Option<GridSolution>> = vec![None; levers.len()];
    if let Some(t) = ce_target.filter(|_| want_ce) {
        let mut fine = Vec::new();
        for g in &ce_grids {
            ce_solutions[g.lever] = match g.bracket(t) {
                Bracket::At(x) => Some((Solution::reached(x, true, 0.0), None)),
                Bracket::Between(lo, hi) => {
                    let points: Vec<f64> = (0..FINE_POINTS)
                        .map(|i| lo + (hi - lo) * i as f64 / (FINE_POINTS - 1) as f64)
                        .collect();
                    fine.push(UtilityGrid::new(
                        g.lever,
                        points,
                        &levers[g.lever],
                        &first,
                        prefs,
                    ));
                    Some((Solution::reached(hi, true, 0.0), Some((lo, hi))))
                }
                Bracket::None => {
                    Some((g.unreachable(lever_moments[g.lever].flat as f64 / n), None))
                }
            };
        }
        if !fine.is_empty() {
            pass("certainty-equivalent floor");
            let (_, fine) = floor_pass(&plans, paths, options, &levers, Vec::new(), fine)?;
            passes += 1;
            for g in &fine {
                if let Bracket::Between(l, h) = g.bracket(t) {
                    let x = match (g.ce_at(l), g.ce_at(h)) {
                        (Some(a), Some(b)) if b > a => {
                            l + (h - l) * ((t - a) / (b - a)).clamp(0.0, 1.0)
                        }
                        _ => h,
                    };
                    ce_solutions[g.lever] = Some((Solution::reached(x, true, 0.0), Some((l, h))));
                } else if let Bracket::At(x) = g.bracket(t) {
                    // The coarse point below did not reach; the fine grid's
                    // first point is that same point.
                    ce_solutions[g.lever] = Some((Solution::reached(x, true, 0.0), None));
                }
            }
        }
    }

    let floors = criteria
        .iter()
        .map(|&c| {
            let on_lever = |li: usize| -> Floor {
                let lever = &levers[li];
                let m = &lever_moments[li];
                let decreasing_share = m.falling as f64 / n;
                let t = target(c);
                let mean_floor = || {
                    let mean = solve_mean_of(
                        m.intercept.mean(),
                        m.slope.mean(),
                        t.unwrap_or(f64::NAN),
                        decreasing_share,
                    );
                    (mean, None)
                };
                let (solution, bounds) = match c {
                    _ if t.is_none_or(|t| !t.is_finite()) => (
                        Solution::unreachable(
                            Unreachable::TargetUndefined,
                            m.falling == 0,
                            decreasing_share,
                        ),
                        None,
                    ),
                    Criterion::Mean => mean_floor(),
                    // With no risk aversion the CE is the mean.
                    Criterion::CertaintyEquivalent if gamma == 0.0 => mean_floor(),
                    Criterion::CertaintyEquivalent => match &ce_solutions[li] {
                        Some((s, b)) => {
                            let mut s = s.clone();
                            s.decreasing_share = decreasing_share;
                            s.monotone = m.falling == 0;
                            (
                                s,
                                b.map(|(low, high)| FloorBounds {
                                    low,
                                    high,
                                    from: "lever grid",
                                }),
                            )
                        }
                        _ => (
                            Solution::unreachable(
                                Unreachable::TargetUndefined,
                                m.falling == 0,
                                decreasing_share,
                            ),
                            None,
                        ),
                    },
                    Criterion::Median | Criterion::Percentile(_) => {
                        let job = jobs.iter().find(|j| j.criterion == c && j.lever == li);
                        percentile_floor(job, c.quantile().unwrap_or(0.5), paths, m, alpha)
                    }
                    Criterion::Beats(nn) => {
                        let job = jobs.iter().find(|j| j.criterion == c && j.lever == li);
                        beats_floor(job, nn, paths, m, alpha)
                    }
                };
                let offer_value = match c {
                    // The offer as given: the same count on either lever.
                    Criterion::Beats(_) => jobs
                        .iter()
                        .find(|j| j.criterion == c)
                        .map(|j| j.at_current as f64 / n),
                    _ => Sketched(&outputs.offer.total, sketches.offer_total()).value_of(c),
                };
                let mut floor = Floor::new(
                    c,
                    lever.solve_for(),
                    lever.current(),
                    t,
                    offer_value,
                    solution,
                );
                floor.bounds = bounds;
                floor
            };
            let mut floor = on_lever(0);
            if floor.needs_base_floor() && levers.len() > 1 {
                floor.base_floor = Some(Box::new(on_lever(1)));
            }
            floor
        })
        .collect();
    Ok(StreamedRun {
        outputs,
        note,
        floors: Some(Floors { solve_for, floors }),
        passes,
        ensemble,
    })
}

/// The coarse grid of a certainty-equivalent floor: 0, then geometric
/// around the larger of the lever as offered and its mean floor.
fn coarse_grid(lever: &StreamedLever, mean_floor: Option<f64>) -> Vec<f64> {
    let anchor = lever.current().max(mean_floor.unwrap_or(0.0)).max(1.0);
    let k = COARSE_STEPS_PER_DOUBLING * COARSE_DOUBLINGS;
    std::iter::once(0.0)
        .chain((-k..=k).map(|i| anchor * 2f64.powf(i as f64 / COARSE_STEPS_PER_DOUBLING as f64)))
        .collect()
}

/// A percentile floor from its reach sketches.
fn percentile_floor(
    job: Option<&PercentileJob>,
    p: f64,
    paths: u64,
    m: &LeverMoments,
    alpha: f64,
) -> (Solution, Option<FloorBounds>) {
    let n = paths as f64;
    let decreasing_share = m.falling as f64 / n;
    let Some(job) = job else {
        return (
            Solution::unreachable(
                Unreachable::TargetUndefined,
                m.falling == 0,
                decreasing_share,
            ),
            None,
        );
    };
    // The order statistic the percentile rests on (type 7's lower one; the
    // interpolation moves it by less than one rank).
    let rank = ((paths - 1) as f64 * p).floor() as u64;
    let need = paths - rank;
    let [low, mid, high] = [0, 1, 2].map(|k| job.reach[k].solve(need));
    let monotone = m.falling == 0;
    let solution = match mid.0 {
        Some(x) => {
            let mut s = Solution::reached(x, monotone, decreasing_share);
            s.falls_below_again = mid.1;
            s
        }
        None => {
            let (best, at) = mid.2;
            Solution::unreachable(
                Unreachable::PercentilePinned {
                    needed_share: need as f64 / n,
                    best_share: best as f64 / n,
                    best_at: at,
                    flat_share: m.flat as f64 / n,
                    decreasing_share,
                    limit: percentile_limit(&job.reach[1], rank, m.falling),
                },
                monotone,
                decreasing_share,
            )
        }
    };
    let bounds = solution.floor.map(|x| {
        let lo = low.0.unwrap_or(x).min(x);
        let hi = high.0.unwrap_or(f64::INFINITY).max(x);
        FloorBounds {
            low: lo * (1.0 - alpha),
            high: hi * (1.0 + alpha),
            from: "quantile sketch",
        }
    });
    (solution, bounds)
}

/// A `beatsNN` floor from its reach sketch of the differences to the
/// alternative: the first lever at which at least `nn`% of the paths are at
/// or above 0. The sketch places each path's crossing within `α`
/// (relative), so the floor's bounds are `(1 ∓ α)` around it.
fn beats_floor(
    job: Option<&PercentileJob>,
    nn: u8,
    paths: u64,
    m: &LeverMoments,
    alpha: f64,
) -> (Solution, Option<FloorBounds>) {
    let n = paths as f64;
    let decreasing_share = m.falling as f64 / n;
    let monotone = m.falling == 0;
    let Some(job) = job else {
        return (
            Solution::unreachable(Unreachable::TargetUndefined, monotone, decreasing_share),
            None,
        );
    };
    let need = (u64::from(nn) * paths).div_ceil(100).max(1);
    let (floor, falls, (best, at)) = job.reach[1].solve(need);
    let solution = match floor {
        Some(x) => {
            let mut s = Solution::reached(x, monotone, decreasing_share);
            s.falls_below_again = falls;
            s
        }
        None => Solution::unreachable(
            Unreachable::BeatsPinned {
                needed_share: need as f64 / n,
                best_share: best as f64 / n,
                best_at: at,
                decreasing_share,
            },
            monotone,
            decreasing_share,
        ),
    };
    let bounds = solution.floor.map(|x| FloorBounds {
        low: x * (1.0 - alpha),
        high: x * (1.0 + alpha),
        from: "quantile sketch",
    });
    (solution, bounds)
}

/// A floor found on a grid, with the bracket it lies in.
type GridSolution = (Solution, Option<(f64, f64)>);

/// The percentile as the lever grows without bound: falling paths go to
/// `-∞`, rising ones to `+∞`, and the order statistic of `rank` is among
/// the flat paths' totals, or `None` when it falls without bound.
fn percentile_limit(reach: &ReachSketch, rank: u64, falling: u64) -> Option<f64> {
    if rank < falling {
        return None;
    }
    let flat = reach.flat.count();
    Some(if rank - falling < flat {
        reach.flat.at_rank(rank - falling)
    } else {
        f64::INFINITY
    })
}

enum Bracket {
    At(f64),
    Between(f64, f64),
    None,
}

impl UtilityGrid {
    fn new(
        lever: usize,
        points: Vec<f64>,
        terms: &StreamedLever,
        first: &[PathRecord],
        prefs: Preferences,
    ) -> UtilityGrid {
        let sums = points
            .iter()
            .map(|&x| {
                let values: Vec<f64> = first
                    .iter()
                    .map(|p| {
                        let (a, s) = terms.terms(p);
                        a + x * s
                    })
                    .collect();
                UtilitySum::new(prefs, UtilitySum::scale_for(prefs, &values))
            })
            .collect();
        UtilityGrid {
            lever,
            points,
            sums,
        }
    }

    fn ce_at(&self, x: f64) -> Option<f64> {
        let i = self.points.iter().position(|p| *p == x)?;
        self.sums[i].certainty_equivalent()
    }

    /// The first grid point whose CE reaches `t`, bracketed by the one before.
    fn bracket(&self, t: f64) -> Bracket {
        let first = self
            .sums
            .iter()
            .position(|s| s.certainty_equivalent().is_some_and(|ce| ce >= t));
        match first {
            Some(0) => Bracket::At(self.points[0]),
            Some(i) => Bracket::Between(self.points[i - 1], self.points[i]),
            None => Bracket::None,
        }
    }

    /// Why no grid point reaches the target (`flat_share`: paths the lever
    /// does not move).
    fn unreachable(&self, flat_share: f64) -> Solution {
        let ces: Vec<(f64, f64)> = self
            .points
            .iter()
            .zip(&self.sums)
            .filter_map(|(x, s)| Some((*x, s.certainty_equivalent()?)))
            .collect();
        let why = match ces
            .iter()
            .copied()
            .fold(None, |b: Option<(f64, f64)>, (x, v)| match b {
                Some((_, bv)) if bv >= v => b,
                _ => Some((x, v)),
            }) {
            None => Unreachable::CertaintyEquivalentUndefined { share: 1.0 },
            Some((at, peak)) if Some(at) != ces.last().map(|c| c.0) => {
                Unreachable::CertaintyEquivalentPeaks {
                    peak_value: peak,
                    peak_at: at,
                    ruin_at: None,
                }
            }
            Some((_, last)) => Unreachable::CertaintyEquivalentBounded {
                limit: last,
                flat_share,
            },
        };
        Solution::unreachable(why, true, 0.0)
    }
}

/// One pass for the floors: the reach sketches of `jobs` and the expected
/// utilities on each of `grids`.
fn floor_pass(
    plans: &Plans,
    paths: u64,
    options: &RunOptions,
    levers: &[StreamedLever],
    jobs: Vec<PercentileJob>,
    mut grids: Vec<UtilityGrid>,
) -> Result<(Vec<PercentileJob>, Vec<UtilityGrid>), Error> {
    let empty_jobs = jobs.clone();
    let templates = grids.clone();
    let workers = stream_chunks(
        plans,
        paths,
        options,
        || empty_jobs.clone(),
        |worker: &mut Vec<PercentileJob>, _, records, _| {
            for p in records {
                for job in worker.iter_mut() {
                    let lever = &levers[job.lever];
                    let (mut a, s) = lever.terms(p);
                    if job.against_alternative {
                        a -= lever.terms.alternative(p);
                        job.at_current += u64::from(a + lever.current() * s >= 0.0);
                    }
                    for r in job.reach.iter_mut() {
                        r.add(a, s);
                    }
                }
            }
            let mut values = vec![0.0; records.len()];
            templates
                .iter()
                .map(|g| {
                    let lever = &levers[g.lever];
                    let terms: Vec<(f64, f64)> = records.iter().map(|p| lever.terms(p)).collect();
                    g.points
                        .iter()
                        .zip(&g.sums)
                        .map(|(x, sum)| {
                            for (v, (a, s)) in values.iter_mut().zip(&terms) {
                                *v = a + x * s;
                            }
                            sum.of_block(&values)
                        })
                        .collect::<Vec<UtilitySum>>()
                })
                .collect::<Vec<_>>()
        },
        |chunk| {
            for (g, sums) in grids.iter_mut().zip(&chunk) {
                for (total, block) in g.sums.iter_mut().zip(sums) {
                    total.append(block);
                }
            }
        },
    )?;
    let mut merged = jobs;
    for w in &workers {
        for (job, part) in merged.iter_mut().zip(w) {
            for (r, q) in job.reach.iter_mut().zip(&part.reach) {
                r.merge(q);
            }
            job.at_current += part.at_current;
        }
    }
    Ok((merged, grids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// `solve` against a recount of the bins at every lever value it could
    /// answer with.
    #[test]
    fn reach_solve_matches_a_full_recount() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        for case in 0..40 {
            let mut reach = ReachSketch::new(1.0, 0.01);
            let n = 50 + case * 20;
            for _ in 0..n {
                let a: f64 = rng.random_range(-2.0..3.0);
                let s: f64 = rng.random_range(-1.0..1.0);
                reach.add(a, s);
            }
            let ups = reach.ups.bins_ascending();
            let downs = reach.downs.bins_ascending();
            let count = |x: f64| {
                let risen: u64 = ups.iter().filter(|u| u.0 <= x).map(|u| u.1).sum();
                let stayed: u64 = downs.iter().filter(|d| d.0 >= x).map(|d| d.1).sum();
                reach.always + risen + stayed
            };
            let mut levers: Vec<f64> = std::iter::once(0.0)
                .chain(ups.iter().chain(&downs).map(|b| b.0))
                .filter(|x| *x >= 0.0)
                .collect();
            levers.sort_by(f64::total_cmp);
            let most = levers.iter().map(|&x| count(x)).max().unwrap();
            for need in [1, n as u64 / 10, n as u64 / 2, most, most + 1] {
                let (floor, falls, best) = reach.solve(need);
                assert_eq!(best.0, most, "case {case}");
                assert_eq!(count(best.1), most, "case {case}");
                let expected_floor = levers.iter().copied().find(|&x| count(x) >= need);
                assert_eq!(floor, expected_floor, "case {case}, need {need}");
                let expected_falls = floor.and_then(|f| {
                    downs
                        .iter()
                        .map(|d| d.0)
                        .filter(|d| *d >= f)
                        .find(|d| count(d + d.abs() * 1e-12 + 1e-12) < need)
                });
                assert_eq!(falls, expected_falls, "case {case}, need {need}");
            }
        }
    }
}
