//! The outputs of `equisim sensitivity`: the ranked table, the JSON and
//! the CSV.

use super::floor::FloorsReport;
use super::words::{criterion_name, lever_name};
use crate::decisions::sensitivity::{Answer, RankBy, SensitivityResult, SensitivityRow};
use crate::format::{count_of, format_money, format_percent, in_unit};
use crate::scenario::Scenario;
use crate::scenario::fields::Unit;
use serde::Serialize;
use std::fmt::Write;

/// The figure a row is ranked by, in words.
pub fn rank_name(result: &SensitivityResult) -> String {
    match (result.rank_by, result.criteria.first()) {
        (RankBy::Floor, Some(c)) => {
            format!(
                "the {} {} floor",
                criterion_name(*c),
                lever_name(result.solve_for)
            )
        }
        _ => "the mean difference".into(),
    }
}

/// The ranked figure at one end, as people read it: a floor is an amount
/// of the lever whatever the criterion, `none` where unreachable.
fn ranked(result: &SensitivityResult, a: &Answer, currency: &str) -> String {
    match result.rank_by {
        RankBy::Floor => a
            .floors
            .floors
            .first()
            .and_then(|f| f.value)
            .map_or("none".into(), |v| format_money(v, currency)),
        RankBy::MeanDifference => format_money(a.mean_difference, currency),
    }
}

/// `LO .. HI` of a row's parameter in its unit.
fn range_text(row: &SensitivityRow, currency: &str) -> String {
    let unit = Unit::of(&row.range.parameter);
    format!(
        "{} .. {}",
        in_unit(unit, row.range.low, currency),
        in_unit(unit, row.range.high, currency)
    )
}

/// The table `equisim sensitivity` prints: one row per parameter, the
/// largest swing first.
pub fn table(result: &SensitivityResult, scenario: &Scenario) -> String {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Sensitivity of {} against {} ({}, seed {}; each parameter at both ends, the others as given, same seed)",
        scenario.offer.label,
        scenario.alternative.label,
        count_of(result.paths, "path"),
        result.seed
    );
    if let Some(t) = &scenario.tax {
        let _ = writeln!(s, "Every figure after tax (preset {})", t.preset.name());
    }
    let centre = &result.centre;
    let _ = writeln!(
        s,
        "As given: mean difference {}, P({} worth more) {}, {} {}",
        m(centre.mean_difference),
        scenario.offer.label,
        format_percent(centre.p_offer_beats_alternative),
        rank_name(result),
        ranked(result, centre, cur)
    );
    let _ = writeln!(s, "Ranked by the swing of {}\n", rank_name(result));
    let name_w = result
        .rows
        .iter()
        .map(|r| r.range.parameter.chars().count())
        .max()
        .unwrap_or(9)
        .max(9);
    let range_w = result
        .rows
        .iter()
        .map(|r| range_text(r, cur).chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        s,
        "{:<name_w$}  {:<range_w$}  {:>25}  {:>15}  {:>21}",
        "parameter", "range", "mean difference (lo, hi)", "P(worth more)", "floor (lo, hi)"
    );
    for row in &result.rows {
        let _ = writeln!(
            s,
            "{:<name_w$}  {:<range_w$}  {:>25}  {:>15}  {:>21}",
            row.range.parameter,
            range_text(row, cur),
            format!(
                "{}, {}",
                m(row.low.mean_difference),
                m(row.high.mean_difference)
            ),
            format!(
                "{}, {}",
                format_percent(row.low.p_offer_beats_alternative),
                format_percent(row.high.p_offer_beats_alternative)
            ),
            format!(
                "{}, {}",
                ranked(result, &row.low, cur),
                ranked(result, &row.high, cur)
            ),
        );
    }
    if result.rows.is_empty() {
        let _ = writeln!(s, "(no parameter has a range to try)");
    }
    let _ = writeln!(
        s,
        "\nfloor: {}; none: no value reaches the alternative at that end. Every floor of every \
         criterion is in sensitivity.json and sensitivity.csv.",
        rank_name(result)
    );
    for w in &result.warnings {
        let _ = writeln!(s, "note: {w}");
    }
    s
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: &'static str,
    name: &'a str,
    currency: &'a str,
    after_tax: bool,
    seed: u64,
    paths: u64,
    solve_for: crate::scenario::SolveFor,
    criteria: Vec<String>,
    rank_by: RankBy,
    centre: AnswerReport<'a>,
    parameters: Vec<RowReport<'a>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct AnswerReport<'a> {
    mean_difference: f64,
    p_offer_beats_alternative: f64,
    floor: FloorsReport,
    #[serde(skip)]
    _answer: std::marker::PhantomData<&'a ()>,
}

#[derive(Serialize)]
struct RowReport<'a> {
    parameter: &'a str,
    source: &'a str,
    low: f64,
    high: f64,
    own: Option<f64>,
    swing: Option<f64>,
    at_low: AnswerReport<'a>,
    at_high: AnswerReport<'a>,
}

fn answer<'a>(a: &Answer, scenario: &Scenario) -> AnswerReport<'a> {
    AnswerReport {
        mean_difference: a.mean_difference,
        p_offer_beats_alternative: a.p_offer_beats_alternative,
        floor: FloorsReport::new(&a.floors, scenario),
        _answer: std::marker::PhantomData,
    }
}

/// `sensitivity.json`: every figure at the centre and at both ends of each
/// parameter, ranked.
pub fn json(result: &SensitivityResult, scenario: &Scenario) -> String {
    let report = JsonReport {
        version: env!("CARGO_PKG_VERSION"),
        name: &scenario.name,
        currency: &scenario.currency,
        after_tax: scenario.tax.is_some(),
        seed: result.seed,
        paths: result.paths,
        solve_for: result.solve_for,
        criteria: result.criteria.iter().map(|c| c.to_string()).collect(),
        rank_by: result.rank_by,
        centre: answer(&result.centre, scenario),
        parameters: result
            .rows
            .iter()
            .map(|r| RowReport {
                parameter: &r.range.parameter,
                source: r.range.source,
                low: r.range.low,
                high: r.range.high,
                own: r.own,
                // An unreachable floor at one end only: the answer changes
                // in kind (null in the JSON, which has no infinity).
                swing: r.swing.is_finite().then_some(r.swing),
                at_low: answer(&r.low, scenario),
                at_high: answer(&r.high, scenario),
            })
            .collect(),
        warnings: &result.warnings,
    };
    super::pretty_json(&report)
}

/// `sensitivity.csv`: one row per parameter and end, the ranked order.
pub fn csv(result: &SensitivityResult) -> String {
    let mut s = String::from("rank,parameter,end,value,mean_difference,p_offer_beats_alternative");
    for c in &result.criteria {
        let _ = write!(s, ",floor_{c}");
    }
    s.push('\n');
    for (i, row) in result.rows.iter().enumerate() {
        for (end, value, a) in [
            ("low", row.range.low, &row.low),
            ("high", row.range.high, &row.high),
        ] {
            let _ = write!(
                s,
                "{},{},{end},{value},{},{}",
                i + 1,
                row.range.parameter,
                a.mean_difference,
                a.p_offer_beats_alternative
            );
            for c in &result.criteria {
                let v = a.floors.get(*c).and_then(|f| f.value);
                let _ = write!(s, ",{}", v.map_or(String::new(), |v| v.to_string()));
            }
            s.push('\n');
        }
    }
    s
}
