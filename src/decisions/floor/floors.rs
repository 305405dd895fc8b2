//! The floors of a scenario's criteria, with what a person needs to read
//! each.

use super::*;

/// One criterion's floor, with what a person needs to read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floor {
    pub criterion: Criterion,
    pub solve_for: SolveFor,
    /// The floor: the smallest grant (or base) at which the offer's
    /// criterion reaches the alternative's; `None` when none does.
    pub value: Option<f64>,
    pub reachable: bool,
    /// The offer's grant (or base) as offered.
    pub current: f64,
    /// The alternative's value of the criterion (`None`: undefined).
    pub target: Option<f64>,
    /// The offer's value of the criterion as offered (`None`: undefined).
    pub offer_value: Option<f64>,
    /// `current - value`: how far the offer is above (or, negative, below)
    /// the floor.
    pub margin: Option<f64>,
    /// `current / value - 1` (`None` when the floor is 0).
    pub margin_ratio: Option<f64>,
    /// See [`Solution::monotone`].
    pub monotone: bool,
    /// See [`Solution::falls_below_again`].
    pub falls_below_again: Option<f64>,
    /// See [`Solution::decreasing_share`].
    pub decreasing_share: f64,
    /// Why the floor is unreachable.
    pub unreachable: Option<Unreachable>,
    /// For an unreachable grant floor: the base floor at the offered grant,
    /// the lever that is left.
    pub base_floor: Option<Box<Floor>>,
    /// In a streamed run, where the floor is known to lie (see
    /// [`crate::decisions::streaming`]); `None` when it is solved exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<FloorBounds>,
}

/// The interval a floor found from sketches or on a grid lies in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FloorBounds {
    pub low: f64,
    pub high: f64,
    /// What limits the precision: `"quantile sketch"` or `"lever grid"`.
    pub from: &'static str,
}

impl Floor {
    /// Whether the base floor is wanted beside this one: a grant floor no
    /// grant reaches says from which base on the offer is worth taking.
    pub fn needs_base_floor(&self) -> bool {
        self.solve_for == SolveFor::Grant && !self.reachable
    }

    pub(crate) fn new(
        criterion: Criterion,
        solve_for: SolveFor,
        current: f64,
        target: Option<f64>,
        offer_value: Option<f64>,
        s: Solution,
    ) -> Floor {
        Floor {
            criterion,
            solve_for,
            value: s.floor,
            reachable: s.floor.is_some(),
            current,
            target,
            offer_value,
            margin: s.floor.map(|v| current - v),
            margin_ratio: s.floor.filter(|v| *v > 0.0).map(|v| current / v - 1.0),
            monotone: s.monotone,
            falls_below_again: s.falls_below_again,
            decreasing_share: s.decreasing_share,
            unreachable: s.unreachable,
            base_floor: None,
            bounds: None,
        }
    }
}

/// The floors of one scenario, one per criterion in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Floors {
    pub solve_for: SolveFor,
    pub floors: Vec<Floor>,
}

impl Floors {
    /// The floor for `criterion`, if it was solved.
    pub fn get(&self, criterion: Criterion) -> Option<&Floor> {
        self.floors.iter().find(|f| f.criterion == criterion)
    }
}

/// Solves the floor of every criterion on `solve_for` for a simulation of
/// `scenario` (whose outside wealth and risk aversion the CE uses).
pub fn solve_floors(
    sim: &Simulation,
    scenario: &Scenario,
    solve_for: SolveFor,
    criteria: &[Criterion],
) -> Floors {
    FloorProblem::new(sim, Preferences::of(scenario)).solve_floors(solve_for, criteria)
}

impl FloorProblem {
    /// [`solve_floors`] on these terms.
    pub fn solve_floors(&self, solve_for: SolveFor, criteria: &[Criterion]) -> Floors {
        Floors {
            solve_for,
            floors: self.floors(criteria, solve_for),
        }
    }
}

/// [`solve_floors`] for a simulation that is no longer needed: its paths
/// are released as their floor terms are built
/// ([`FloorProblem::from_simulation`]), which keeps the peak memory of a
/// run near that of its paths alone.
pub fn solve_floors_consuming(
    sim: Simulation,
    scenario: &Scenario,
    solve_for: SolveFor,
    criteria: &[Criterion],
) -> Floors {
    let problem = FloorProblem::from_simulation(sim, Preferences::of(scenario));
    Floors {
        solve_for,
        floors: problem.floors(criteria, solve_for),
    }
}
