//! `frontier.png`: the indifference frontier between base and grant. For
//! each base of a grid, the least initial grant at which the offer matches
//! the alternative, one line per criterion; offers above a line beat the
//! alternative on that criterion. The offer itself is a labelled point.

use super::DrawResult;
use super::axis::XAxis;
use super::layout::Frame;
use super::legend::{Legend, legend_band};
use super::panel::{Guide, Panel, Reference, Series, draw_panel};
use super::theme::{Area, Theme, criterion_color};
use crate::decisions::Frontier;
use crate::format::{format_count, format_money};
use crate::report::words::{criterion_name, list};
use crate::scenario::fields::Unit;
use crate::scenario::{Instrument, Scenario};
use plotters::style::RGBColor;

pub(super) fn draw(
    root: &Area,
    theme: &Theme,
    frontier: &Frontier,
    scenario: &Scenario,
) -> DrawResult {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let (offer, alt) = (&scenario.offer.label, &scenario.alternative.label);
    let series: Vec<Series> = frontier
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| Series {
            criterion: *c,
            color: criterion_color(i),
            points: frontier.series(*c),
        })
        .collect();
    let bases = &frontier.bases;
    let (lo, hi) = match (bases.first(), bases.last()) {
        (Some(a), Some(b)) if b > a => (*a, *b),
        (Some(a), _) => (a - 0.1 * a.abs().max(1.0), a + 0.1 * a.abs().max(1.0)),
        _ => (0.0, 1.0),
    };

    let definition = format!(
        "A line is an indifference frontier: for each base, the least initial grant at which {offer} is worth \
         as much as {alt} by that criterion, both valued on the same simulated paths. Offers above a line beat \
         {alt} on that criterion; offers below it fall short. {} bases from {} to {}.",
        bases.len(),
        m(lo),
        m(hi)
    );
    let mut notes = Vec::new();
    let equity = &scenario.offer.equity;
    if equity.instrument == Instrument::Options
        && equity.exercise_on_departure != crate::scenario::ExerciseRule::Never
    {
        notes.push(format!(
            "A larger grant also means more strike paid in cash on leaving, lost where the company then fails: \
             far above a line a percentile or the certainty equivalent can fall below {alt}'s again."
        ));
    }
    // Where each criterion has no grant floor, in one sentence, with the
    // bases at which reach begins or ends (not the nearest grid points).
    let gaps: Vec<String> = frontier
        .criteria
        .iter()
        .zip(&frontier.unreachable)
        .filter(|(_, stretches)| {
            !stretches.is_empty()
                && !matches!(stretches.as_slice(), [(a, b)] if *a == lo && *b == hi)
        })
        .enumerate()
        .map(|(i, (criterion, stretches))| {
            let parts: Vec<String> = stretches
                .iter()
                .map(|(a, b)| {
                    if *a == lo {
                        format!("below a base of {}", m(*b))
                    } else if *b == hi {
                        format!("above a base of {}", m(*a))
                    } else {
                        format!("at bases from {} to {}", m(*a), m(*b))
                    }
                })
                .collect();
            let whose = if i == 0 {
                format!("{alt}'s")
            } else {
                "its".into()
            };
            format!(
                "{whose} {} {}",
                criterion_name(*criterion),
                list(&parts, "or")
            )
        })
        .collect();
    if !gaps.is_empty() {
        notes.push(format!("No grant reaches {}.", list(&gaps, "and")));
    }
    if series.iter().any(|s| s.values().any(|v| v == 0.0)) {
        notes.push(format!(
            "A line at {}: at that base the offer matches {alt} on that criterion with no grant at all.",
            m(0.0)
        ));
    }
    // The definition goes last: a small canvas keeps only the last note.
    notes.push(definition);
    let frame = Frame {
        title: scenario.name.clone(),
        subtitle: format!(
            "Indifference frontier between base and grant{} · {} paths · seed {}",
            super::after_tax(scenario),
            format_count(scenario.simulation.paths),
            scenario.simulation.seed
        ),
        notes,
    };
    let body = theme.frame(root, &frame)?;

    let missing: Vec<String> = series
        .iter()
        .filter(|s| s.is_empty())
        .map(|s| criterion_name(s.criterion))
        .collect();
    let message = (!missing.is_empty()).then(|| {
        format!(
            "No grant brings {offer} up to {alt} on the {} at any base from {} to {}.",
            list(&missing, "or"),
            m(lo),
            m(hi)
        )
    });
    let legend_rows: Vec<(RGBColor, String)> = series
        .iter()
        .map(|s| (s.color, criterion_name(s.criterion)))
        .collect();
    let mut panel = Panel {
        caption: None,
        y_desc: "Grant floor (initial grant)".into(),
        series,
        reference: Reference::Point {
            at: (frontier.offer_base, frontier.offer_grant),
            labels: vec![
                format!(
                    "{offer}: {} base, {} grant",
                    m(frontier.offer_base),
                    m(frontier.offer_grant)
                ),
                format!(
                    "{offer}: {}, {}",
                    m(frontier.offer_base),
                    m(frontier.offer_grant)
                ),
                offer.to_string(),
            ],
        },
        message,
        guide: Some(Guide {
            x: scenario.alternative.base,
            label: format!("{alt}'s base {}", m(scenario.alternative.base)),
            values: false,
        }),
        gutter: true,
        gutter_values: false,
    };
    // Lines are named in a gutter right of the plot, or in a legend above
    // it when the gutter would leave the plot too little room.
    let (body_w, _) = body.dim_in_pixel();
    let body = if panel.gutter_fits(theme, root, cur, body_w as i32)? {
        body
    } else {
        panel.gutter = false;
        let legend = Legend::solid_lines(legend_rows);
        let (legend, body, at) = legend_band(theme, root, &body, &legend)?;
        legend.draw(theme, root, at)?;
        body
    };
    let axis = XAxis {
        lo,
        hi,
        kind: Unit::Money,
        desc: "Base (yearly)".into(),
        currency: cur,
    };
    draw_panel(root, theme, &body, &panel, &axis)
}
