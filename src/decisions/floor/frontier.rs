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
    let problem = FloorProblem::new(sim, Preferences::of(scenario));
    let targets: Vec<Option<f64>> = criteria.iter().map(|c| problem.target(*c)).collect();
    let mut grant_floors = vec![Vec::with_capacity(bases.len()); criteria.len()];
    for &base in bases {
        let paths = problem.grant_lever(base);
        for (j, c) in criteria.iter().enumerate() {
            grant_floors[j].push(problem.solve(*c, &paths, targets[j]).floor);
        }
    }
    Frontier {
        criteria: criteria.to_vec(),
        bases: bases.to_vec(),
        grant_floors,
        offer_base: problem.base,
        offer_grant: problem.grant,
    }
}
