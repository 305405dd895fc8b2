//! The accept-at floor in words (the `floor` command, and `run` when the
//! scenario has a `[floor]` table) and as the `floor` object of
//! `summary.json`.

use super::words::{criterion_amount, criterion_name, lever_name, why_unreachable};
use crate::decisions::{Floor, FloorBounds, Floors, Unreachable};
use crate::format::{format_money, format_percent};
use crate::scenario::{Criterion, Scenario, SolveFor};
use serde::Serialize;
use std::fmt::Write;

/// "your grant of €100K is 23.0% above the P10 floor of €81.3K", or why
/// there is no floor.
pub fn verdict(floor: &Floor, scenario: &Scenario) -> String {
    let m = |v: f64| format_money(v, &scenario.currency);
    let lever = lever_name(floor.solve_for);
    let name = criterion_name(floor.criterion);
    match floor.value {
        None => format!(
            "no {lever} brings the offer's {name} up to {}'s",
            scenario.alternative.label
        ),
        Some(0.0) => {
            format!("any {lever} will do: even at 0 the offer's {name} reaches the alternative's")
        }
        Some(v) => {
            let r = floor.margin_ratio.unwrap_or(0.0);
            let (how, gap) = if r >= 0.0 {
                ("above", format!("{} to spare", m(floor.current - v)))
            } else {
                ("below", format!("{} short", m(v - floor.current)))
            };
            format!(
                "your {lever} of {} is {} {how} the {name} floor of {} ({gap})",
                m(floor.current),
                format_percent(r.abs()),
                m(v)
            )
        }
    }
}

/// A note when the criterion does not rise steadily with the lever.
pub fn monotonicity_note(floor: &Floor, scenario: &Scenario) -> Option<String> {
    floor.value?;
    let m = |v: f64| format_money(v, &scenario.currency);
    let lever = lever_name(floor.solve_for);
    let name = criterion_name(floor.criterion);
    let why = if floor.solve_for == SolveFor::Grant && floor.decreasing_share > 0.0 {
        format!(
            "on {} of paths a larger grant lowers the total (the strike is paid in cash on departure \
             and the shares then pay less than it)",
            format_percent(floor.decreasing_share)
        )
    } else {
        format!("a larger {lever} lowers the total on some paths")
    };
    match floor.falls_below_again {
        Some(x) => Some(format!(
            "above a {lever} of {} the {name} falls below the alternative's again: {why}",
            m(x)
        )),
        None if !floor.monotone => Some(format!(
            "the {name} is not monotone in the {lever}: {why}; the floor is the smallest {lever} at which \
             it reaches the alternative's"
        )),
        None => None,
    }
}

/// Width of the floor text, for wrapping.
const WIDTH: usize = 100;
/// Where the words of a criterion's line start.
const INDENT: usize = 38;

/// `text` wrapped at [`WIDTH`], every line after the first indented by
/// [`INDENT`] (the first is expected to start there too).
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut col = INDENT;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if col > INDENT && col + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(INDENT));
            col = INDENT;
        } else if col > INDENT {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out
}

/// The floors as a block of text under the run's table.
pub fn floor_text(floors: &Floors, scenario: &Scenario) -> String {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let mut s = String::new();
    let held = match floors.solve_for {
        SolveFor::Grant => format!("holding the base at {}", m(scenario.offer.base)),
        SolveFor::Base => format!("holding the grant at {}", m(scenario.offer.equity.grant)),
    };
    let _ = writeln!(
        s,
        "Accept-at floor: the least {} at which {} is worth as much as {}, {held}",
        lever_name(floors.solve_for),
        scenario.offer.label,
        scenario.alternative.label
    );
    let pad = " ".repeat(INDENT);
    for f in &floors.floors {
        let name = criterion_name(f.criterion);
        let value = f.value.map_or("unreachable".to_string(), m);
        let _ = writeln!(
            s,
            "  {name:<21}{value:>12}   {}",
            wrap(&verdict(f, scenario))
        );
        let cur = &scenario.currency;
        let values = match f.criterion {
            Criterion::Beats(_) => format!(
                "{} worth at least {} on {} of paths (needs {})",
                scenario.offer.label,
                scenario.alternative.label,
                criterion_amount(f.criterion, f.offer_value, cur),
                criterion_amount(f.criterion, f.target, cur)
            ),
            _ => format!(
                "{name} of the total: {} {}, {} {}",
                scenario.offer.label,
                criterion_amount(f.criterion, f.offer_value, cur),
                scenario.alternative.label,
                criterion_amount(f.criterion, f.target, cur)
            ),
        };
        let _ = writeln!(s, "{pad}{}", wrap(&values));
        if let Some(b) = &f.bounds {
            let _ = writeln!(
                s,
                "{pad}{}",
                wrap(&format!(
                    "streamed run: the floor lies between {} and {} ({})",
                    m(b.low),
                    if b.high.is_finite() {
                        m(b.high)
                    } else {
                        "no upper bound".into()
                    },
                    b.from
                ))
            );
        }
        if let Some(why) = why_unreachable(f, scenario) {
            let _ = writeln!(s, "{pad}{}", wrap(&format!("why: {why}")));
        }
        if let Some(note) = monotonicity_note(f, scenario) {
            let _ = writeln!(s, "{pad}{}", wrap(&format!("note: {note}")));
        }
        if let Some(b) = &f.base_floor {
            let line = match b.value {
                Some(_) => format!(
                    "the lever left, at your grant of {}: {}",
                    m(f.current),
                    verdict(b, scenario)
                ),
                None => format!(
                    "no base reaches it either{}",
                    why_unreachable(b, scenario).map_or(String::new(), |w| format!(": {w}"))
                ),
            };
            let _ = writeln!(s, "{pad}{}", wrap(&line));
        }
    }
    s
}

/// One floor as reported in JSON: every field of [`Floor`], with
/// `explanation` (why it is unreachable) and `note` (when the criterion
/// does not rise steadily with the lever) in words, null when there is
/// nothing to say.
#[derive(Debug, Clone, Serialize)]
pub struct FloorReport {
    pub criterion: Criterion,
    pub solve_for: SolveFor,
    pub value: Option<f64>,
    pub reachable: bool,
    pub current: f64,
    pub target: Option<f64>,
    pub offer_value: Option<f64>,
    pub margin: Option<f64>,
    pub margin_ratio: Option<f64>,
    pub monotone: bool,
    pub falls_below_again: Option<f64>,
    pub decreasing_share: f64,
    pub unreachable: Option<Unreachable>,
    pub explanation: Option<String>,
    pub note: Option<String>,
    pub base_floor: Option<Box<FloorReport>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<FloorBounds>,
}

impl FloorReport {
    pub fn new(f: &Floor, scenario: &Scenario) -> FloorReport {
        FloorReport {
            criterion: f.criterion,
            solve_for: f.solve_for,
            value: f.value,
            reachable: f.reachable,
            current: f.current,
            target: f.target,
            offer_value: f.offer_value,
            margin: f.margin,
            margin_ratio: f.margin_ratio,
            monotone: f.monotone,
            falls_below_again: f.falls_below_again,
            decreasing_share: f.decreasing_share,
            unreachable: f.unreachable.clone(),
            explanation: why_unreachable(f, scenario),
            note: monotonicity_note(f, scenario),
            base_floor: f
                .base_floor
                .as_ref()
                .map(|b| Box::new(FloorReport::new(b, scenario))),
            bounds: f.bounds,
        }
    }
}

/// The `floor` object of `summary.json`: one entry per criterion, in the
/// order asked, keyed `mean`, `median`, `p10`, `ce`; each has `value`
/// (null when unreachable), `reachable`, `solve_for` and the rest of
/// [`FloorReport`].
#[derive(Debug, Clone)]
pub struct FloorsReport(pub Vec<FloorReport>);

impl FloorsReport {
    pub fn new(floors: &Floors, scenario: &Scenario) -> FloorsReport {
        FloorsReport(
            floors
                .floors
                .iter()
                .map(|f| FloorReport::new(f, scenario))
                .collect(),
        )
    }
}

impl Serialize for FloorsReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            map.serialize_entry(&f.criterion.to_string(), f)?;
        }
        map.end()
    }
}

/// What `equisim floor --json` prints: the scenario's name and run, and
/// its floors.
#[derive(Debug, Clone, Serialize)]
pub struct FloorCommandReport<'a> {
    pub name: &'a str,
    pub currency: &'a str,
    pub paths: u64,
    pub seed: u64,
    pub solve_for: SolveFor,
    pub floor: FloorsReport,
}

impl<'a> FloorCommandReport<'a> {
    pub fn new(scenario: &'a Scenario, solve_for: SolveFor, floors: &Floors) -> Self {
        FloorCommandReport {
            name: &scenario.name,
            currency: &scenario.currency,
            paths: scenario.simulation.paths,
            seed: scenario.simulation.seed,
            solve_for,
            floor: FloorsReport::new(floors, scenario),
        }
    }

    /// The report as pretty JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}
