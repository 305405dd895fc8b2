//! `frontier.png`: the indifference frontier between base and grant. For
//! each base of a grid, the least initial grant at which the offer matches
//! the alternative, one line per criterion; offers above a line beat the
//! alternative on that criterion. The offer itself is a labelled point.

use super::lines::{
    Guide, Panel, ParamKind, Reference, Series, XAxis, criterion_color, draw_panel, legend_band,
    list, name,
};
use super::theme::{Dash, Frame, Legend, Swatch, colors, thousands};
use super::{Area, DrawResult, Theme};
use crate::decisions::Frontier;
use crate::report::money::format_money;
use crate::scenario::{Instrument, Scenario};

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

    let mut notes = vec![format!(
        "A line is an indifference frontier: for each base, the least initial grant at which {offer} is worth \
         as much as {alt} by that criterion, both valued on the same simulated paths. Offers above a line beat \
         {alt} on that criterion; offers below it fall short. {} bases from {} to {}.",
        bases.len(),
        m(lo),
        m(hi)
    )];
    let equity = &scenario.offer.equity;
    if equity.instrument == Instrument::Options && equity.exercise_on_departure {
        notes.push(format!(
            "A larger grant also means more strike paid in cash on leaving, lost where the company then fails: \
             far above a line a percentile or the certainty equivalent can fall below {alt}'s again."
        ));
    }
    // Where each criterion has no grant floor, in one sentence.
    let gaps: Vec<String> = series
        .iter()
        .filter(|s| s.has_gaps() && !s.is_empty())
        .enumerate()
        .map(|(i, s)| {
            let parts: Vec<String> = s
                .gaps()
                .iter()
                .map(|(a, b)| {
                    if a == b {
                        format!("at a base of {}", m(*a))
                    } else if *a == lo {
                        format!("up to a base of {}", m(*b))
                    } else if *b == hi {
                        format!("from a base of {}", m(*a))
                    } else {
                        format!("at bases from {} to {}", m(*a), m(*b))
                    }
                })
                .collect();
            let whose = if i == 0 { format!("{alt}'s") } else { "its".into() };
            format!("{whose} {} {}", name(s.criterion), list(&parts, "or"))
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
    let frame = Frame {
        title: scenario.name.clone(),
        subtitle: format!(
            "Indifference frontier between base and grant · {} paths · seed {}",
            thousands(scenario.simulation.paths),
            scenario.simulation.seed
        ),
        notes,
    };
    let body = theme.frame(root, &frame)?;

    let mut legend = Legend::default();
    for s in &series {
        legend = legend.row(
            Swatch::Line {
                color: s.color,
                dash: Dash::Solid,
            },
            name(s.criterion),
        );
    }
    legend = legend
        .row(Swatch::Dot { color: colors::INK }, format!("{offer} as offered"))
        .row(
            Swatch::Line {
                color: colors::MUTED,
                dash: Dash::Dashed,
            },
            format!("{alt}'s base"),
        );
    let (legend, body, at) = legend_band(theme, root, &body, &legend)?;
    legend.draw(theme, root, at)?;

    let missing: Vec<String> = series
        .iter()
        .filter(|s| s.is_empty())
        .map(|s| name(s.criterion))
        .collect();
    let message = (!missing.is_empty()).then(|| {
        format!(
            "No grant brings {offer} up to {alt} on the {} at any base from {} to {}.",
            list(&missing, "or"),
            m(lo),
            m(hi)
        )
    });
    let panel = Panel {
        caption: None,
        y_desc: "Grant floor (initial grant)".into(),
        series,
        reference: Reference::Point {
            at: (frontier.offer_base, frontier.offer_grant),
            label: format!(
                "{offer}: {} base, {} grant",
                m(frontier.offer_base),
                m(frontier.offer_grant)
            ),
        },
        message,
        guide: Some(Guide {
            x: scenario.alternative.base,
            label: format!("{alt}'s base {}", m(scenario.alternative.base)),
            values: false,
        }),
        gutter_values: false,
    };
    let axis = XAxis {
        lo,
        hi,
        kind: ParamKind::Money,
        desc: "Base (yearly)".into(),
        currency: cur,
    };
    draw_panel(root, theme, &body, &panel, &axis)
}
