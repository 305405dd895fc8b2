//! The indifference frontier: for each base of a grid, the smallest
//! initial grant at which the offer matches the alternative, per
//! criterion, all solved on the same stored per-path terms.

use super::*;
use crate::decisions::sweep::sweep_values;

/// The indifference frontier: for each base of a grid, the smallest
/// initial grant at which the offer matches the alternative, per criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frontier {
    pub criteria: Vec<Criterion>,
    /// The grid of bases, ascending.
    pub bases: Vec<f64>,
    /// `grant_floors[c][b]`: the grant floor for `criteria[c]` at
    /// `bases[b]` (`None`: unreachable at that base).
    pub grant_floors: Vec<Vec<Option<f64>>>,
    /// `unreachable[c]`: the stretches of bases, within the grid's range,
    /// at which no grant brings the offer up to the alternative on
    /// `criteria[c]`. An end inside the range is where reach begins or
    /// ends, found between two grid points by bisection (to
    /// [`BOUNDARY_TOLERANCE`]); an end at the range's edge is that edge.
    pub unreachable: Vec<Vec<(f64, f64)>>,
    /// The offer as given: its base and initial grant.
    pub offer_base: f64,
    pub offer_grant: f64,
}

impl Frontier {
    /// `(base, grant floor)` along the frontier of `criterion`.
    pub fn series(&self, criterion: Criterion) -> Vec<(f64, Option<f64>)> {
        let Some(c) = self.criteria.iter().position(|c| *c == criterion) else {
            return Vec::new();
        };
        self.bases
            .iter()
            .copied()
            .zip(self.grant_floors[c].iter().copied())
            .collect()
    }
}

/// Relative width to which the base at which a criterion becomes
/// reachable is bisected: well below the three significant digits a note
/// quotes.
pub const BOUNDARY_TOLERANCE: f64 = 5e-4;

/// A grid of `steps` bases around both offers' bases: from 75% of the
/// smaller to 125% of the larger.
pub fn frontier_bases(scenario: &Scenario, steps: u64) -> Vec<f64> {
    let (a, b) = (scenario.offer.base, scenario.alternative.base);
    let (lo, hi) = (0.75 * a.min(b), 1.25 * a.max(b));
    let hi = if hi > lo { hi } else { lo + 1.0 };
    sweep_values(lo, hi, steps)
}

/// [`frontier_bases`] with the top of the grid raised to take in every
/// base floor in `floors` (and a little more), so that a criterion no
/// grant brings up to the alternative at the offer's base shows from which
/// base on it is reached; the top is at most three times the larger of the
/// two offers' bases.
pub fn frontier_bases_covering(scenario: &Scenario, floors: &Floors, steps: u64) -> Vec<f64> {
    let grid = frontier_bases(scenario, steps);
    let (Some(&lo), Some(&hi)) = (grid.first(), grid.last()) else {
        return grid;
    };
    let base_floors = floors.floors.iter().flat_map(|f| {
        let own = (f.solve_for == SolveFor::Base).then_some(f.value).flatten();
        let lever_left = f.base_floor.as_ref().and_then(|b| b.value);
        [own, lever_left]
    });
    let needed = base_floors.flatten().fold(f64::NEG_INFINITY, f64::max);
    let limit = 3.0 * scenario.offer.base.max(scenario.alternative.base);
    let top = (needed * 1.06).min(limit);
    if top > hi {
        sweep_values(lo, top, steps)
    } else {
        grid
    }
}

/// The frontier on one simulation: every grant floor is solved on the
/// stored per-path terms (the base enters each path's total linearly).
pub fn frontier(
    sim: &Simulation,
    scenario: &Scenario,
    criteria: &[Criterion],
    bases: &[f64],
) -> Frontier {
    FloorProblem::new(sim, Preferences::of(scenario)).frontier(criteria, bases)
}

impl FloorProblem {
    /// [`frontier`] on these terms (built once for the floors and the
    /// frontier of `equisim floor`).
    pub fn frontier(&self, criteria: &[Criterion], bases: &[f64]) -> Frontier {
        let targets: Vec<Option<f64>> = criteria.iter().map(|c| self.target(*c)).collect();
        let signed = self.pay_factors_signed();
        // The floors of the criteria `open` at `base`, each with whether it
        // rules out every lower base.
        let floors_at = |base: f64, open: &[usize]| -> Vec<(Option<f64>, bool)> {
            let paths = self.grant_lever(base);
            open.iter()
                .map(|&j| {
                    let s = self.floor_solution(criteria[j], &paths, targets[j]);
                    (s.floor, signed && s.lower_totals_out_of_reach)
                })
                .collect()
        };
        // A few bases at once, each solved in parallel too: the solvers'
        // serial steps (selections, the Newton iteration) overlap, and no
        // more bases' per-path lines are held than there are threads. From
        // the top base down: where a solver finds a criterion out of reach
        // for lower totals too (`Solution::lower_totals_out_of_reach`), it
        // is out of reach at every lower base, which then needs no solve.
        let at_once = rayon::current_num_threads().max(1);
        let mut grant_floors = vec![vec![None; bases.len()]; criteria.len()];
        let mut ruled_out = vec![false; criteria.len()];
        let top_down: Vec<usize> = (0..bases.len()).rev().collect();
        for group in top_down.chunks(at_once) {
            let open: Vec<usize> = (0..criteria.len()).filter(|&j| !ruled_out[j]).collect();
            if open.is_empty() {
                break;
            }
            let solved: Vec<Vec<(Option<f64>, bool)>> = group
                .par_iter()
                .map(|&k| floors_at(bases[k], &open))
                .collect();
            for (&k, at_base) in group.iter().zip(solved) {
                for (&j, (floor, rules_out_below)) in open.iter().zip(at_base) {
                    grant_floors[j][k] = floor;
                    ruled_out[j] |= rules_out_below;
                }
            }
        }
        // Each criterion's boundaries are bisected in turn; the criteria
        // at once.
        let unreachable = criteria
            .par_iter()
            .zip(&targets)
            .zip(&grant_floors)
            .map(|((c, target), floors)| {
                let reaches = |base: f64| {
                    let paths = self.grant_lever(base);
                    self.solve_floor(*c, &paths, *target).is_some()
                };
                unreachable_stretches(bases, floors, reaches)
            })
            .collect();
        Frontier {
            criteria: criteria.to_vec(),
            bases: bases.to_vec(),
            grant_floors,
            unreachable,
            offer_base: self.base,
            offer_grant: self.grant,
        }
    }
}

/// The stretches of `bases`' range where `floors` has no value, each inner
/// end moved from the grid point to the base between it and its neighbour
/// at which `reaches` changes, by bisection. A grid point is no boundary:
/// quoting one would say "no grant up to €185K" where the base floor is
/// €190K.
///
/// # Requirements
///
/// `reaches` must agree with `floors` at the grid points and change once
/// between two neighbours of different reach. It does for every criterion:
/// a higher base raises every path's total, so the criterion's value at
/// any grant, and the set of bases from which some grant reaches it, only
/// grow with the base.
fn unreachable_stretches(
    bases: &[f64],
    floors: &[Option<f64>],
    reaches: impl Fn(f64) -> bool,
) -> Vec<(f64, f64)> {
    let boundary = |below: f64, above: f64, reached_above: bool| {
        let (mut lo, mut hi) = (below, above);
        while hi - lo > BOUNDARY_TOLERANCE * hi.abs().max(lo.abs()) {
            let mid = 0.5 * (lo + hi);
            if reaches(mid) == reached_above {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        // The end that belongs to the unreachable side's stretch.
        if reached_above { hi } else { lo }
    };
    let mut stretches = Vec::new();
    let mut open: Option<f64> = None;
    for (k, (&base, floor)) in bases.iter().zip(floors).enumerate() {
        match (floor.is_some(), open) {
            (false, None) => {
                open = Some(if k == 0 {
                    base
                } else {
                    boundary(bases[k - 1], base, false)
                });
            }
            (true, Some(start)) => {
                stretches.push((start, boundary(bases[k - 1], base, true)));
                open = None;
            }
            _ => {}
        }
    }
    if let (Some(start), Some(&last)) = (open, bases.last()) {
        stretches.push((start, last));
    }
    stretches
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Floor terms of `n` paths: pay factors of one to three years, 45% of
    /// the grants worth nothing, a tenth falling with the grant
    /// (a strike paid on leaving), and an alternative paying a base of 75
    /// over the same years, with a little equity of its own.
    fn problem(n: usize, seed: u64) -> FloorProblem {
        let mut next = super::super::tests::lcg(seed);
        let mut p = FloorProblem {
            pay_factor: Vec::new(),
            fixed: Vec::new(),
            equity_per_grant: Vec::new(),
            alternative: Vec::new(),
            sign_on: 5.0,
            base: 100.0,
            grant: 50.0,
            prefs: Preferences {
                outside_wealth: 40.0,
                risk_aversion: 2.0,
            },
        };
        for _ in 0..n {
            let f = 1.0 + 2.0 * next();
            let kind = next();
            let u = if kind < 0.45 {
                0.0
            } else if kind < 0.55 {
                -0.3 * next()
            } else {
                3.0 * next() * next()
            };
            p.pay_factor.push(f);
            p.fixed.push(20.0 * next());
            p.equity_per_grant.push(u);
            p.alternative.push(150.0 * f / 2.0 + 30.0 * next());
        }
        p
    }

    /// The frontier solves from the top base down and skips the bases below
    /// one where a criterion is out of reach: its grid is still, to the
    /// bit, every base solved on its own.
    #[test]
    fn the_frontier_skipping_lower_bases_is_every_base_solved() {
        let p = problem(3000, 7);
        let criteria = [
            Criterion::Mean,
            Criterion::Beats(50),
            Criterion::Percentile(10),
            Criterion::Median,
            Criterion::CertaintyEquivalent,
        ];
        let bases = sweep_values(20.0, 260.0, 25);
        let frontier = p.frontier(&criteria, &bases);
        let mut skipped = 0;
        for (j, c) in criteria.iter().enumerate() {
            let target = p.target(*c);
            let each: Vec<Option<f64>> = bases
                .iter()
                .map(|b| p.solve_floor(*c, &p.grant_lever(*b), target))
                .collect();
            let bits =
                |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
            assert_eq!(bits(&frontier.grant_floors[j]), bits(&each), "{c:?}");
            // Out of reach at the bottom and reached at the top: the grid
            // had bases to skip for this criterion (solving them in the
            // wrong order, bottom up, fails the equality above).
            if c != &Criterion::Mean {
                assert!(each[0].is_none() && each[24].is_some(), "{c:?}: {each:?}");
                skipped += each.iter().filter(|f| f.is_none()).count() - 1;
            }
        }
        assert!(skipped >= 8, "{skipped}");
    }

    /// Reach from 3.7 on, on a grid of whole numbers: the stretch ends
    /// within the tolerance of 3.7, not at the grid point 3.
    #[test]
    fn a_stretch_ends_where_reach_begins_not_at_a_grid_point() {
        let bases: Vec<f64> = (0..8).map(f64::from).collect();
        let reaches = |b: f64| b >= 3.7;
        let floors: Vec<Option<f64>> = bases.iter().map(|b| reaches(*b).then_some(1.0)).collect();
        let s = unreachable_stretches(&bases, &floors, reaches);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, 0.0);
        assert!((s[0].1 - 3.7).abs() <= BOUNDARY_TOLERANCE * 3.7, "{:?}", s);
        assert!(s[0].1 >= 3.7);
        // Reached everywhere, or nowhere.
        let all = vec![Some(1.0); 8];
        assert!(unreachable_stretches(&bases, &all, |_| true).is_empty());
        let none = vec![None; 8];
        assert_eq!(
            unreachable_stretches(&bases, &none, |_| false),
            vec![(0.0, 7.0)]
        );
        // A stretch inside: reach lost after 2.25, back from 5.5.
        let reaches = |b: f64| !(2.25..5.5).contains(&b);
        let floors: Vec<Option<f64>> = bases.iter().map(|b| reaches(*b).then_some(1.0)).collect();
        let s = unreachable_stretches(&bases, &floors, reaches);
        assert_eq!(s.len(), 1);
        assert!(
            (s[0].0 - 2.25).abs() < 1e-3 && (s[0].1 - 5.5).abs() < 1e-3,
            "{s:?}"
        );
    }
}
