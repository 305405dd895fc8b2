//! `floor_sweep.png`: the accept-at floor per criterion against a swept
//! parameter, with the offer's own grant (or base) as a reference line.
//!
//! Where no grant brings a criterion up to the alternative's, its line has
//! a gap and the notes say why; the base floor (the lever that is left) is
//! drawn in a second panel, with the offer's base as its reference.

use super::DrawResult;
use super::axis::XAxis;
use super::layout::{Frame, caption, compact};
use super::legend::{Legend, Swatch, legend_band};
use super::panel::{Guide, Panel, Reference, Series, draw_panel};
use super::theme::{Area, Dash, Theme, colors, criterion_color, darker, text};
use crate::decisions::{Floor, SweepResult, Unreachable};
use crate::format::{format_count, format_money, format_percent};
use crate::report::words::{criterion_name, lever_name, list, why_unreachable_briefly};
use crate::scenario::fields::Unit;
use crate::scenario::{Scenario, SolveFor};
use plotters::style::RGBColor;

/// `"discount"` for `employee.illiquidity.discount`.
fn short_name(parameter: &str) -> String {
    parameter
        .rsplit('.')
        .next()
        .unwrap_or(parameter)
        .replace('_', " ")
}

/// The same amount at every point, or `None`.
fn constant(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut it = values.into_iter();
    let first = it.next()?;
    it.all(|v| v == first).then_some(first)
}

/// What lies behind unreachable grant floors: the paths where the grant
/// changes nothing, and those where a larger grant lowers
/// the total.
fn causes(floors: &[&Floor]) -> Option<String> {
    if floors.iter().any(|f| f.solve_for != SolveFor::Grant) {
        return None;
    }
    let flat = floors.iter().find_map(|f| match f.unreachable {
        Some(Unreachable::PercentilePinned { flat_share, .. })
        | Some(Unreachable::CertaintyEquivalentBounded { flat_share, .. }) => Some(flat_share),
        _ => None,
    });
    let falling = floors.iter().map(|f| f.decreasing_share).find(|s| *s > 0.0);
    let mut parts = Vec::new();
    if let Some(flat) = flat.filter(|s| *s > 0.0) {
        parts.push(format!(
            "on {} of paths the grant changes nothing",
            format_percent(flat)
        ));
    }
    if let Some(falling) = falling {
        parts.push(format!(
            "on {} a larger grant lowers the total (more strike paid in cash on leaving, then the shares pay \
             less or nothing)",
            format_percent(falling)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", and "))
}

/// `"35%–60%"`, `"40%"`: the stretches where a series is unreachable.
fn stretches(gaps: &[(f64, f64)], kind: Unit, cur: &str) -> String {
    let parts: Vec<String> = gaps
        .iter()
        .map(|(a, b)| {
            if a == b {
                crate::format::in_unit(kind, *a, cur)
            } else {
                format!(
                    "{}–{}",
                    crate::format::in_unit(kind, *a, cur),
                    crate::format::in_unit(kind, *b, cur)
                )
            }
        })
        .collect();
    list(&parts, "and")
}

pub(super) fn draw(
    root: &Area,
    theme: &Theme,
    result: &SweepResult,
    scenario: &Scenario,
) -> DrawResult {
    let cur = scenario.currency.as_str();
    let m = |v: f64| format_money(v, cur);
    let (offer, alt) = (&scenario.offer.label, &scenario.alternative.label);
    let kind = Unit::of(&result.parameter);
    let short = short_name(&result.parameter);
    let lever = result.solve_for;
    let word = lever_name(lever);
    let criteria = &result.criteria;

    let main: Vec<Series> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| Series {
            criterion: *c,
            color: criterion_color(i),
            points: result.floor_series(*c),
        })
        .collect();
    // The base floor, for the criteria no grant reaches somewhere.
    let side: Vec<Series> = if lever == SolveFor::Grant {
        criteria
            .iter()
            .enumerate()
            .map(|(i, c)| Series {
                criterion: *c,
                color: criterion_color(i),
                points: result.base_floor_series(*c),
            })
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let two_panels = !side.is_empty();
    let offered_base: Vec<(f64, f64)> = result
        .points
        .iter()
        .map(|p| (p.value, p.scenario.offer.base))
        .collect();
    let offered_grant: Vec<(f64, f64)> = result
        .points
        .iter()
        .map(|p| (p.value, p.scenario.offer.equity.grant))
        .collect();
    let held_text = |held: SolveFor| {
        let series = match held {
            SolveFor::Grant => &offered_grant,
            SolveFor::Base => &offered_base,
        };
        match constant(series.iter().map(|p| p.1)) {
            Some(v) => format!("{} held at {}", lever_name(held), m(v)),
            None => format!("{} as offered", lever_name(held)),
        }
    };
    let other = match lever {
        SolveFor::Grant => SolveFor::Base,
        SolveFor::Base => SolveFor::Grant,
    };

    // Notes: what a line is, then why the gaps, criteria with the same
    // gaps together.
    let mut notes = Vec::new();
    let mut groups: Vec<(String, Vec<&Series>)> = Vec::new();
    for s in main.iter().filter(|s| s.has_gaps()) {
        let where_ = if s.is_empty() {
            format!("at any {short}")
        } else {
            format!("at {short} {}", stretches(&s.gaps(), kind, cur))
        };
        match groups.iter_mut().find(|g| g.0 == where_) {
            Some(g) => g.1.push(s),
            None => groups.push((where_, vec![s])),
        }
    }
    for (where_, members) in &groups {
        // The figures where the gap starts.
        let start = members[0].gaps()[0].0;
        let floors: Vec<&Floor> = result
            .points
            .iter()
            .find(|p| p.value == start)
            .map(|p| {
                members
                    .iter()
                    .filter_map(|s| p.floors.get(s.criterion))
                    .collect()
            })
            .unwrap_or_default();
        let names: Vec<String> = members
            .iter()
            .map(|s| criterion_name(s.criterion))
            .collect();
        let gap_points = members[0].points.iter().filter(|p| p.1.is_none()).count();
        let at = if gap_points > 1 {
            format!(" (figures at {})", crate::format::in_unit(kind, start, cur))
        } else {
            String::new()
        };
        let clauses: Vec<String> = floors
            .iter()
            .filter_map(|f| why_unreachable_briefly(f, alt, cur))
            .collect();
        let mut note = format!(
            "No {word} brings the {} up to {alt}'s {where_}{at}",
            list(&names, "or")
        );
        if !clauses.is_empty() {
            note.push_str(": ");
            note.push_str(&clauses.join("; "));
        }
        note.push('.');
        if let Some(c) = causes(&floors) {
            note.push_str(&format!(" Behind it: {c}."));
        }
        notes.push(note);
    }
    // The definition goes last: a small canvas keeps only the last note.
    notes.push(format!(
        "A line is the least {word} ({}) at which {offer} is worth as much as {alt} by that criterion, both \
         valued on the same simulated paths, with the same seed at every value; above the line the offer beats \
         {alt} on that criterion.",
        held_text(other)
    ));
    let n_values = result.points.len();
    let frame = Frame {
        title: scenario.name.clone(),
        subtitle: format!(
            "Accept-at floor against {}{} · {} values · {} paths · seed {}",
            result.parameter,
            super::after_tax(scenario),
            n_values,
            format_count(result.paths),
            result.seed
        ),
        notes,
    };
    let body = theme.frame(root, &frame)?;

    let xs = result.points.iter().map(|p| p.value);
    let (mut lo, mut hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi <= lo {
        let pad = (lo.abs() * 0.1).max(0.5);
        (lo, hi) = (lo - pad, hi + pad);
    }
    let axis = XAxis {
        lo,
        hi,
        kind,
        desc: result.parameter.clone(),
        currency: cur,
    };
    let guide_value = crate::scenario::fields::number_at(scenario, &result.parameter);
    let guide = || {
        guide_value.map(|v| Guide {
            x: v,
            label: format!("scenario: {}", crate::format::in_unit(kind, v, cur)),
            values: true,
        })
    };

    // Which criteria have no line at all in the main panel.
    let missing: Vec<String> = main
        .iter()
        .filter(|s| s.is_empty())
        .map(|s| criterion_name(s.criterion))
        .collect();
    let message = (!missing.is_empty()).then(|| {
        let what = if missing.len() == main.len() {
            format!("any criterion ({})", list(&missing, "or"))
        } else {
            format!("the {}", list(&missing, "or"))
        };
        let lead = format!("No {word} brings {offer} up to {alt} on {what} at any {short}");
        if two_panels {
            format!("{lead}: the least base that does is on the right.")
        } else {
            format!("{lead}.")
        }
    });
    let current = result.current_series();
    let offered_label = |points: &[(f64, f64)], w: &str| match constant(points.iter().map(|p| p.1))
    {
        Some(v) => format!("offered {}", m(v)),
        None => format!("offered {w}"),
    };
    let main_label = offered_label(&current, word);
    let side_label = offered_label(&offered_base, "base");
    let legend_rows: Vec<(RGBColor, String)> = main
        .iter()
        .map(|s| (s.color, criterion_name(s.criterion)))
        .collect();
    let mut panels = vec![Panel {
        caption: Some(format!("Least {word}, {}", held_text(other))),
        y_desc: format!("{} floor", crate::report::words::capitalized(word)),
        series: main,
        reference: Reference::Line {
            points: current,
            label: main_label,
        },
        // With two panels the message goes over both, so they line up.
        message: if two_panels { None } else { message.clone() },
        guide: guide(),
        gutter: true,
        gutter_values: true,
    }];
    if two_panels {
        panels.push(Panel {
            caption: Some(format!(
                "Least base instead, {}",
                held_text(SolveFor::Grant)
            )),
            y_desc: "Base floor".into(),
            series: side,
            reference: Reference::Line {
                points: offered_base,
                label: side_label,
            },
            message: None,
            guide: guide(),
            gutter: true,
            gutter_values: true,
        });
    }

    // Lines are named in a gutter right of each plot; where that would
    // leave the plot too little room, a legend above the plots instead.
    let (body_w, _) = body.dim_in_pixel();
    let panel_w = body_w as i32 / panels.len() as i32;
    let mut gutters = true;
    for p in &panels {
        gutters &= p.gutter_fits(theme, root, cur, panel_w)?;
    }
    let body = if gutters {
        body
    } else {
        for p in &mut panels {
            p.gutter = false;
        }
        let mut legend = Legend::solid_lines(legend_rows);
        legend = legend.row(
            Swatch::Line {
                color: colors::INK,
                dash: Dash::Dashed,
            },
            format!("{offer} as offered"),
        );
        let (legend, body, at) = legend_band(theme, root, &body, &legend)?;
        legend.draw(theme, root, at)?;
        body
    };
    let body = match message.filter(|_| two_panels && !compact(theme)) {
        Some(text) => caption(
            theme,
            root,
            &body,
            &text,
            (text::LABEL + 1.0, darker(colors::WORSE)),
        )?,
        None => body,
    };
    if let [main_panel, side_panel] = &panels[..] {
        let (w, _) = body.dim_in_pixel();
        let (left, right) = body.split_horizontally(w as i32 / 2);
        draw_panel(
            root,
            theme,
            &left.margin(0, 0, 0, theme.px(20.0)),
            main_panel,
            &axis,
        )?;
        draw_panel(root, theme, &right, side_panel, &axis)?;
    } else {
        draw_panel(root, theme, &body, &panels[0], &axis)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(short_name("employee.illiquidity.discount"), "discount");
        assert_eq!(short_name("employee.risk_aversion"), "risk aversion");
        assert_eq!(constant([1.0, 1.0]), Some(1.0));
        assert_eq!(constant([1.0, 2.0]), None);
        assert_eq!(
            stretches(&[(0.35, 0.6), (0.1, 0.1)], Unit::Share, "EUR"),
            "35%–60% and 10%"
        );
    }
}
