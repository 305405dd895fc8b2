//! An ensemble's own figures: the table block `equisim run` prints after
//! the pooled outputs, and `ensemble.csv`, one row per parameter draw.

use super::words::lever_name;
use crate::decisions::EnsembleOutputs;
use crate::format::{count_of, drawn_in_unit, format_money, format_percent};
use crate::scenario::Scenario;
use crate::scenario::fields::Unit;
use std::fmt::Write;

/// The table block: each uncertain parameter's drawn range and its share
/// of the spread of the per-draw mean difference, then what the draws say.
pub fn ensemble_text(e: &EnsembleOutputs, scenario: &Scenario) -> String {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let lever = lever_name(e.mean_floor.solve_for);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Uncertain assumptions: {} (a Latin hypercube, one draw per block of 4,096 paths{})",
        count_of(e.draws as u64, "draw"),
        if e.redrawn > 0 {
            format!(
                "; {} refused by the scenario's rules and drawn again",
                count_of(e.redrawn, "set")
            )
        } else {
            String::new()
        }
    );
    if (e.draws as u64) < e.draws_asked {
        let _ = writeln!(
            s,
            "  {} asked; the paths hold {} blocks",
            e.draws_asked, e.draws
        );
    }
    let width = e
        .parameters
        .iter()
        .map(|p| p.parameter.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(36);
    let col = 12usize;
    let _ = writeln!(
        s,
        "{:<width$}{:>col$}{:>col$}{:>col$}{:>18}",
        "  drawn", "P10", "median", "P90", "share of spread"
    );
    for p in &e.parameters {
        let unit = Unit::of(&p.parameter);
        let v = |x: f64| drawn_in_unit(unit, x, cur);
        let _ = writeln!(
            s,
            "{:<width$}{:>col$}{:>col$}{:>col$}{:>18}",
            format!("  {}", p.parameter),
            v(p.drawn.p10),
            v(p.drawn.p50),
            v(p.drawn.p90),
            p.share.map_or("-".into(), format_percent)
        );
    }
    match &e.attribution {
        Some(a) => {
            let _ = writeln!(
                s,
                "{:<width$}{:>w$}",
                "  the rest (interactions and noise)",
                format_percent(a.rest),
                w = 3 * col + 18
            );
            let _ = writeln!(
                s,
                "  The per-draw mean difference spreads by {} (sd, its Monte Carlo noise of {} removed); \
                 each share is of that variance.",
                m(a.variance.sqrt()),
                m(a.monte_carlo_variance.sqrt())
            );
        }
        None if e.draws < crate::decisions::ensemble::MIN_DRAWS_FOR_ATTRIBUTION => {
            let _ = writeln!(
                s,
                "  No attribution with fewer than {} draws.",
                crate::decisions::ensemble::MIN_DRAWS_FOR_ATTRIBUTION
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  No attribution: the per-draw means vary no more than their Monte Carlo noise."
            );
        }
    }
    let line = |s: &mut String, name: &str, value: String| {
        let _ = writeln!(s, "{name:<40}{value:>44}");
    };
    let _ = writeln!(s, "Across the draws");
    line(
        &mut s,
        &format!(
            "  {} wins on the mean in",
            super::ellipsized(&scenario.offer.label, 24)
        ),
        format!("{} of draws", format_percent(e.p_offer_wins_on_mean)),
    );
    let d = &e.mean_difference;
    line(
        &mut s,
        "  mean difference P10 / median / P90",
        format!("{} / {} / {}", m(d.p10), m(d.p50), m(d.p90)),
    );
    let f = &e.mean_floor;
    let floor = |v: Option<f64>| v.map_or("none".to_string(), m);
    line(
        &mut s,
        &format!("  mean {lever} floor P10 / median / P90"),
        format!("{} / {} / {}", floor(f.p10), floor(f.p50), floor(f.p90)),
    );
    if f.unreachable > 0 {
        line(
            &mut s,
            &format!("  draws where no {lever} reaches the mean"),
            format!("{} of {}", f.unreachable, e.draws),
        );
    }
    s
}

/// `ensemble.csv`: one row per draw, its parameter values in the order of
/// the `[[uncertainty]]` entries, its paths, mean difference with its
/// standard error, and its mean floor (empty where unreachable).
pub fn ensemble_csv(e: &EnsembleOutputs) -> String {
    let lever = lever_name(e.mean_floor.solve_for);
    let mut s = String::from("draw");
    for p in &e.parameters {
        let _ = write!(s, ",{}", p.parameter);
    }
    let _ = writeln!(s, ",paths,mean_difference,std_error,mean_{lever}_floor");
    for (k, d) in e.per_draw.iter().enumerate() {
        let _ = write!(s, "{k}");
        for v in &d.values {
            let _ = write!(s, ",{v}");
        }
        let _ = writeln!(
            s,
            ",{},{},{},{}",
            d.paths,
            d.mean_difference,
            d.std_error,
            d.mean_floor.map_or(String::new(), |v| v.to_string())
        );
    }
    s
}
