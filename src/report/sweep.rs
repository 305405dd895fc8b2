//! A sweep's table for the terminal, `sweep.csv` and `sweep.json`.

use super::floor::FloorsReport;
use super::words::{criterion_name, lever_name};
use crate::decisions::{PathReuse, SweepResult};
use crate::format::{format_money, format_percent};
use crate::scenario::{Scenario, SolveFor, fmt_value};
use crate::stats::{Outputs, Summary};
use serde::Serialize;
use std::fmt::Write;

fn reuse_words(reuse: PathReuse) -> &'static str {
    match reuse {
        PathReuse::Same => "paths simulated once: the parameter does not change them",
        PathReuse::FlatDiscount => {
            "paths simulated once, private proceeds rescaled at each discount"
        }
        PathReuse::PayTax => "paths simulated once, the pay kept after tax set at each rate",
        PathReuse::Resimulate => "simulated again at each value with the same seed",
    }
}

/// The sweep as a table: the headline outputs and the floor per criterion
/// at each value.
pub fn sweep_table(result: &SweepResult, scenario: &Scenario) -> String {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Sweep of {} over {} values ({}, seed {}; {})",
        result.parameter,
        result.points.len(),
        crate::format::count_of(result.paths, "path"),
        result.seed,
        reuse_words(result.reuse)
    );
    let lever = lever_name(result.solve_for);
    // The lever as the scenario offers it, unless the sweep is of the lever
    // itself: then it is the swept value at each point.
    let lever_is_swept = result.current_series().windows(2).any(|w| w[0].1 != w[1].1);
    let offered = if lever_is_swept {
        "the swept value".to_string()
    } else {
        m(match result.solve_for {
            SolveFor::Grant => scenario.offer.equity.grant,
            SolveFor::Base => scenario.offer.base,
        })
    };
    let _ = writeln!(
        s,
        "Floors are the least {lever} at which {} matches {} (offered: {offered})",
        scenario.offer.label, scenario.alternative.label,
    );
    if let Some(t) = &scenario.tax {
        let _ = writeln!(s, "Every figure after tax (preset {})", t.preset.name());
    }
    let _ = writeln!(s);

    let short = result
        .parameter
        .rsplit('.')
        .next()
        .unwrap_or(&result.parameter);
    let mut header = vec![
        short.to_string(),
        format!("{} mean", scenario.offer.label),
        format!("{} mean", scenario.alternative.label),
        format!("P({} worth more)", scenario.offer.label),
    ];
    for c in &result.criteria {
        header.push(format!("floor {}", criterion_name(*c)));
    }
    let mut rows = vec![header];
    let mut base_note = false;
    for p in &result.points {
        let mut row = vec![
            fmt_value(p.value),
            m(p.outputs.offer.total.mean),
            m(p.outputs.alternative.total.mean),
            format_percent(p.outputs.comparison.p_offer_beats_alternative),
        ];
        for c in &result.criteria {
            let cell = match p.floors.get(*c) {
                Some(f) => match (f.value, f.base_floor.as_ref().and_then(|b| b.value)) {
                    (Some(v), _) => m(v),
                    (None, Some(b)) => {
                        base_note = true;
                        format!("none (base {})", m(b))
                    }
                    (None, None) => "none".into(),
                },
                None => "-".into(),
            };
            row.push(cell);
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (j, cell) in row.iter().enumerate() {
            let w = widths[j];
            let _ = write!(line, "{cell:>w$}  ");
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "none: no {lever} brings the criterion up to {}'s{}",
        scenario.alternative.label,
        if base_note {
            "; (base X): the base floor at the offered grant instead"
        } else {
            ""
        }
    );
    for w in &result.warnings {
        let _ = writeln!(s, "note: {w}");
    }
    s
}

fn csv_number(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

/// `sweep.csv`: one row per value; the headline outputs of both offers
/// (their totals' mean, median, P10 and certainty equivalent), the
/// comparison, then the floor per criterion (empty when unreachable) and,
/// for grant floors, the base floor where the grant floor is unreachable.
pub fn sweep_csv(result: &SweepResult) -> String {
    let mut header = vec![result.parameter.clone()];
    for who in ["offer", "alternative"] {
        for stat in ["mean", "median", "p10", "ce"] {
            header.push(format!("{who}_{stat}"));
        }
    }
    header.extend(
        [
            "p_offer_beats_alternative",
            "mean_difference",
            "mean_difference_std_error",
            "p_equity_pays_nothing",
            "p_equity_loses_money",
            "p_equity_no_gain",
        ]
        .map(String::from),
    );
    for c in &result.criteria {
        header.push(format!("floor_{c}"));
    }
    if result.solve_for == SolveFor::Grant {
        for c in &result.criteria {
            header.push(format!("base_floor_{c}"));
        }
    }
    let mut lines = vec![header.join(",")];
    let stats = |t: &Summary| {
        [
            Some(t.mean),
            Some(t.percentiles.p50),
            Some(t.percentiles.p10),
            t.certainty_equivalent,
        ]
    };
    for p in &result.points {
        let o: &Outputs = &p.outputs;
        let mut row = vec![p.value.to_string()];
        row.extend(stats(&o.offer.total).map(csv_number));
        row.extend(stats(&o.alternative.total).map(csv_number));
        row.push(csv_number(Some(o.comparison.p_offer_beats_alternative)));
        row.push(csv_number(Some(o.comparison.mean_difference)));
        row.push(csv_number(Some(o.comparison.mean_difference_std_error)));
        let shares = o.offer.equity_shares;
        row.push(csv_number(shares.map(|e| e.p_equity_pays_nothing)));
        row.push(csv_number(shares.map(|e| e.p_equity_loses_money)));
        row.push(csv_number(shares.map(|e| e.p_equity_no_gain)));
        for c in &result.criteria {
            row.push(csv_number(p.floors.get(*c).and_then(|f| f.value)));
        }
        if result.solve_for == SolveFor::Grant {
            for c in &result.criteria {
                row.push(csv_number(
                    p.floors
                        .get(*c)
                        .and_then(|f| f.base_floor.as_ref())
                        .and_then(|b| b.value),
                ));
            }
        }
        lines.push(row.join(","));
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

#[derive(Serialize)]
struct PointReport<'a> {
    value: f64,
    outputs: &'a Outputs,
    floor: FloorsReport,
}

#[derive(Serialize)]
struct SweepReport<'a> {
    version: &'static str,
    name: &'a str,
    currency: &'a str,
    parameter: &'a str,
    solve_for: SolveFor,
    criteria: Vec<String>,
    reuse: PathReuse,
    seed: u64,
    paths: u64,
    points: Vec<PointReport<'a>>,
    warnings: &'a [String],
}

/// `sweep.json`: the sweep's settings, then for each value every decision
/// output and the `floor` object (as in `summary.json`).
pub fn sweep_json(result: &SweepResult, scenario: &Scenario) -> String {
    let report = SweepReport {
        version: env!("CARGO_PKG_VERSION"),
        name: &scenario.name,
        currency: &scenario.currency,
        parameter: &result.parameter,
        solve_for: result.solve_for,
        criteria: result.criteria.iter().map(|c| c.to_string()).collect(),
        reuse: result.reuse,
        seed: result.seed,
        paths: result.paths,
        points: result
            .points
            .iter()
            .map(|p| PointReport {
                value: p.value,
                outputs: &p.outputs,
                floor: FloorsReport::new(&p.floors, &p.scenario),
            })
            .collect(),
        warnings: &result.warnings,
    };
    super::pretty_json(&report)
}
