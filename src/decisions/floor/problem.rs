//! The floor problem built from a simulation: the stored per-path terms
//! from which every floor is solved without simulating again.

use super::*;

/// The stored per-path terms of a simulation from which every floor is
/// solved (model section 10): `X_i = sign_on + B f_i + A_i + G U_i` for the
/// offer, `Y_i` for the alternative. With a `[tax]` table every cash pay
/// term is after tax (`sign_on` and `f_i` are then scaled by `1 - pay`),
/// and the equity terms are the engine's after-tax ones: each rule of the
/// tax model is linear in the grant and the base.
#[derive(Debug, Clone)]
pub struct FloorProblem {
    /// `f_i`: PV of one unit of yearly base (and its bonus) over the path's
    /// employment.
    pub pay_factor: Vec<f64>,
    /// `A_i`: what moves with neither lever: the pay after leaving, and the
    /// private equity PV (after illiquidity, less exercise costs) at an
    /// initial grant of 0.
    pub fixed: Vec<f64>,
    /// `U_i = ∂X_i/∂G`.
    pub equity_per_grant: Vec<f64>,
    /// `Y_i`: the alternative's total.
    pub alternative: Vec<f64>,
    pub sign_on: f64,
    /// The offer's base `B` and initial grant `G` as given.
    pub base: f64,
    pub grant: f64,
    pub prefs: Preferences,
}

/// One path's floor terms `(f_i, A_i, U_i, Y_i)`, computed from its record
/// the same way by the kept run and the streamed one, from the unit pay
/// every total is built from ([`Totals`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Terms {
    totals: Totals,
    grant: f64,
}

impl Terms {
    pub(crate) fn new(model: &Model) -> Terms {
        Terms {
            totals: Totals::new(model),
            grant: model.offer.grant,
        }
    }

    /// The offer's terms `(f_i, A_i, U_i)`, `A_i` holding what moves with
    /// neither lever: the pay after leaving and the equity at a grant of 0.
    #[inline]
    pub(crate) fn offer(&self, p: &PathRecord) -> [f64; 3] {
        self.offer_with(p, &self.totals.unit_pay(p))
    }

    #[inline]
    fn offer_with(&self, p: &PathRecord, unit: &UnitPay) -> [f64; 3] {
        let kept = self.totals.pay_kept();
        [
            kept * unit.pay_factor(self.totals.pays().0.bonus_rate),
            kept * self.totals.pay_after_leaving(unit)
                + (p.offer_equity - self.grant * p.offer_equity_per_grant),
            p.offer_equity_per_grant,
        ]
    }

    /// The alternative's total `Y_i`, as [`Totals`] computes it.
    #[inline]
    pub(crate) fn alternative(&self, p: &PathRecord) -> f64 {
        self.totals.alternative(p)
    }

    #[inline]
    fn of(&self, p: &PathRecord) -> [f64; 4] {
        let unit = self.totals.unit_pay(p);
        let [f, a, u] = self.offer_with(p, &unit);
        let alternative = self.totals.pays().1;
        [
            f,
            a,
            u,
            self.totals.total(alternative, &unit, p.alternative_equity),
        ]
    }
}

impl FloorProblem {
    /// The floor terms of `sim`'s paths.
    pub fn new(sim: &Simulation, prefs: Preferences) -> FloorProblem {
        let terms = Terms::new(&sim.plan.model);
        let n = sim.records.len();
        let mut problem = FloorProblem::empty(&sim.plan.model, n, prefs);
        problem.fill(0, &sim.records, &terms);
        problem
    }

    /// The floor terms of `sim`'s paths, consuming it: the paths are
    /// converted from the last one back, a block at a time, and each
    /// block's storage is released once converted, so that the paths and
    /// their terms (32 bytes a path against 48) are never held in full at
    /// once. (Releasing relies on the allocator shrinking a large block in
    /// place, as glibc does; elsewhere the peak is that of [`Self::new`].)
    pub fn from_simulation(sim: Simulation, prefs: Preferences) -> FloorProblem {
        const BLOCK: usize = 1 << 20;
        let Simulation {
            plan, mut records, ..
        } = sim;
        let terms = Terms::new(&plan.model);
        let mut problem = FloorProblem::empty(&plan.model, records.len(), prefs);
        while !records.is_empty() {
            let start = records.len().saturating_sub(BLOCK);
            problem.fill(start, &records[start..], &terms);
            records.truncate(start);
            records.shrink_to_fit();
        }
        problem
    }

    /// Zeroed terms for `n` paths (zeroed memory is only committed when
    /// written).
    fn empty(model: &Model, n: usize, prefs: Preferences) -> FloorProblem {
        let offer = Lever::at_offer(model, SolveFor::Grant);
        FloorProblem {
            pay_factor: vec![0.0; n],
            fixed: vec![0.0; n],
            equity_per_grant: vec![0.0; n],
            alternative: vec![0.0; n],
            sign_on: offer.sign_on,
            base: offer.base,
            grant: offer.grant,
            prefs,
        }
    }

    /// Writes the terms of `records`, paths `start..`.
    fn fill(&mut self, start: usize, records: &[PathRecord], terms: &Terms) {
        let end = start + records.len();
        self.pay_factor[start..end]
            .par_iter_mut()
            .zip(&mut self.fixed[start..end])
            .zip(&mut self.equity_per_grant[start..end])
            .zip(&mut self.alternative[start..end])
            .zip(records)
            .for_each(|((((f, a), u), y), p)| {
                [*f, *a, *u, *y] = terms.of(p);
            });
    }

    /// The lever `solve_for` holding the other term at `held` (the base
    /// for a grant lever, the grant for a base lever).
    pub fn lever_holding(&self, solve_for: SolveFor, held: f64) -> Lever {
        let (base, grant) = match solve_for {
            SolveFor::Grant => (held, self.grant),
            SolveFor::Base => (self.base, held),
        };
        Lever {
            solve_for,
            sign_on: self.sign_on,
            base,
            grant,
        }
    }

    /// The offer's totals on `lever` ([`Lever::line`]); the slope is
    /// borrowed from the stored terms.
    pub fn lines(&self, lever: Lever) -> LinearPaths<'_> {
        // Each intercept reads the two terms it depends on, not all three:
        // the frontier builds one per base of its grid.
        let (intercept, slope): (Vec<f64>, _) = match lever.solve_for {
            SolveFor::Grant => (
                self.pay_factor
                    .par_iter()
                    .zip(&self.fixed)
                    .map(|(f, a)| lever.line(*f, *a, 0.0).0)
                    .collect(),
                &self.equity_per_grant,
            ),
            SolveFor::Base => (
                self.fixed
                    .par_iter()
                    .zip(&self.equity_per_grant)
                    .map(|(a, u)| lever.line(0.0, *a, *u).0)
                    .collect(),
                &self.pay_factor,
            ),
        };
        LinearPaths {
            intercept: intercept.into(),
            slope: Cow::Borrowed(slope),
        }
    }

    /// The offer's totals as a function of the initial grant, holding the
    /// base at `base`.
    pub fn grant_lever(&self, base: f64) -> LinearPaths<'_> {
        self.lines(self.lever_holding(SolveFor::Grant, base))
    }

    /// The offer's totals as a function of the base, holding the initial
    /// grant at `grant`.
    pub fn base_lever(&self, grant: f64) -> LinearPaths<'_> {
        self.lines(self.lever_holding(SolveFor::Base, grant))
    }

    /// The lever `solve_for` with the other held as offered.
    pub fn lever(&self, solve_for: SolveFor) -> LinearPaths<'_> {
        match solve_for {
            SolveFor::Grant => self.grant_lever(self.base),
            SolveFor::Base => self.base_lever(self.grant),
        }
    }

    /// The offer's grant or base as offered.
    pub fn current(&self, solve_for: SolveFor) -> f64 {
        match solve_for {
            SolveFor::Grant => self.grant,
            SolveFor::Base => self.base,
        }
    }

    /// The alternative's value of `criterion`; for `beatsNN` the share of
    /// paths the offer must be worth at least as much on.
    pub fn target(&self, criterion: Criterion) -> Option<f64> {
        match criterion.beats_share() {
            Some(share) => Some(share),
            None => criterion_value(criterion, &self.alternative, self.prefs),
        }
    }

    /// The offer's lines less the alternative's totals, `X_i(ℓ) - Y_i`: what
    /// a `beatsNN` floor counts the non-negative of.
    pub fn against_alternative<'a>(&self, lever: &LinearPaths<'a>) -> LinearPaths<'a> {
        LinearPaths {
            intercept: lever
                .intercept
                .par_iter()
                .zip(&self.alternative)
                .map(|(a, y)| a - y)
                .collect::<Vec<f64>>()
                .into(),
            slope: lever.slope.clone(),
        }
    }

    /// The offer's value of `criterion` at lever value `at`: for `beatsNN`
    /// the share of paths on which it is worth at least the alternative.
    fn offer_value(&self, criterion: Criterion, lever: &LinearPaths, at: f64) -> Option<f64> {
        if criterion.beats_share().is_some() {
            let at_least = lever
                .intercept
                .par_iter()
                .zip(&lever.slope[..])
                .zip(&self.alternative)
                // As the streamed run counts it: the difference's line at `at`.
                .filter(|((a, s), y)| (*a - **y) + at * *s >= 0.0)
                .count();
            return Some(at_least as f64 / lever.len().max(1) as f64);
        }
        criterion_value_of(criterion, lever.at(at), self.prefs)
    }

    /// [`solve`] for `criterion` on `lever`, on the differences to the
    /// alternative for `beatsNN`.
    pub fn solve(
        &self,
        criterion: Criterion,
        lever: &LinearPaths,
        target: Option<f64>,
    ) -> Solution {
        // The share of falling paths is the offer's either way: the
        // differences keep the lever's slopes.
        self.on_lines_of(criterion, lever, |paths| {
            solve(criterion, paths, target, self.prefs)
        })
    }

    /// The floor alone ([`solve_floor`]) for `criterion` on `lever`, on the
    /// differences to the alternative for `beatsNN`.
    pub fn solve_floor(
        &self,
        criterion: Criterion,
        lever: &LinearPaths,
        target: Option<f64>,
    ) -> Option<f64> {
        self.floor_solution(criterion, lever, target).floor
    }

    /// [`Self::solve_floor`]'s whole answer, for a grid of floors over the
    /// base that reads [`Solution::lower_totals_out_of_reach`] too.
    pub(crate) fn floor_solution(
        &self,
        criterion: Criterion,
        lever: &LinearPaths,
        target: Option<f64>,
    ) -> Solution {
        self.on_lines_of(criterion, lever, |paths| {
            solve_asking(criterion, paths, target, self.prefs, Ask::Floor)
        })
    }

    /// Whether every path's pay factor is `≥ 0` (none NaN): a lower base
    /// then raises no path's total at any grant (rounding included: each
    /// step of `sign_on + B f + A` is monotone in `B`), so a grant floor
    /// out of reach with [`Solution::lower_totals_out_of_reach`] is out of
    /// reach at every lower base too.
    pub(crate) fn pay_factors_signed(&self) -> bool {
        self.pay_factor.par_iter().all(|f| *f >= 0.0)
    }

    /// `solver` on the lines `criterion` is solved on: the offer's totals on
    /// `lever`, or for `beatsNN` their differences to the alternative's.
    fn on_lines_of<T>(
        &self,
        criterion: Criterion,
        lever: &LinearPaths,
        solver: impl FnOnce(&LinearPaths) -> T,
    ) -> T {
        if criterion.beats_share().is_some() {
            solver(&self.against_alternative(lever))
        } else {
            solver(lever)
        }
    }

    /// The floor for `criterion` on lever `solve_for`; when a grant floor is
    /// unreachable, also the base floor at the offered grant.
    pub fn floor(&self, criterion: Criterion, solve_for: SolveFor) -> Floor {
        self.floors(&[criterion], solve_for).remove(0)
    }

    /// [`FloorProblem::floor`] for several criteria, sharing the work.
    ///
    /// One lever's per-path totals are held at a time: every floor on
    /// `solve_for` first, then the base floors of the grant floors no grant
    /// reaches.
    pub fn floors(&self, criteria: &[Criterion], solve_for: SolveFor) -> Vec<Floor> {
        let mut floors: Vec<Floor> = {
            let lever = self.lever(solve_for);
            let current = self.current(solve_for);
            // The criteria at once, as the frontier's bases: their serial
            // steps (selections, the Newton iteration) overlap.
            criteria
                .par_iter()
                .map(|&criterion| {
                    let target = self.target(criterion);
                    Floor::new(
                        criterion,
                        solve_for,
                        current,
                        target,
                        self.offer_value(criterion, &lever, current),
                        self.solve(criterion, &lever, target),
                    )
                })
                .collect()
        };
        if floors.iter().any(Floor::needs_base_floor) {
            let base = self.lever(SolveFor::Base);
            floors
                .par_iter_mut()
                .filter(|f| f.needs_base_floor())
                .for_each(|floor| {
                    // The offer as given: the same totals whichever the lever.
                    floor.base_floor = Some(Box::new(Floor::new(
                        floor.criterion,
                        SolveFor::Base,
                        self.base,
                        floor.target,
                        floor.offer_value,
                        self.solve(floor.criterion, &base, floor.target),
                    )));
                });
        }
        floors
    }
}
