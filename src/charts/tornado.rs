//! `tornado.png`: one bar per uncertain parameter, from the answer at the
//! low end of its range to the answer at the high end, both drawn from the
//! scenario's own answer, sorted by swing, each end labelled with the
//! parameter's value there.

use super::DrawResult;
use super::layout::Frame;
use super::legend::{FittedLegend, Legend, Swatch};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use super::value::x_ticks;
use crate::decisions::sensitivity::{Answer, SensitivityResult};
use crate::format::{count_of, in_unit, money_tick};
use crate::report::sensitivity::rank_name;
use crate::scenario::Scenario;
use crate::scenario::fields::Unit;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// At most this many bars; the rest are in the table and the files.
const MAX_BARS: usize = 16;

fn figure(result: &SensitivityResult, a: &Answer) -> Option<f64> {
    a.ranked_value(result.rank_by)
}

/// One panel of bars: the figure each end gives, and how it reads.
struct Panel<'a> {
    figure: &'a dyn Fn(&Answer) -> Option<f64>,
    tick: &'a dyn Fn(f64) -> String,
    label: &'a dyn Fn(f64) -> String,
    title: &'a str,
}

pub(super) fn draw(
    root: &Area,
    theme: &Theme,
    result: &SensitivityResult,
    scenario: &Scenario,
    beats_panel: bool,
) -> DrawResult {
    let cur = scenario.currency.as_str();
    let rows: Vec<_> = result.rows.iter().take(MAX_BARS).collect();
    let what = rank_name(result);
    let mut notes = vec![format!(
        "Each bar runs from {what} with the parameter at the low end of its range to {what} at the high end, \
         the others as given, on the same simulated paths; the line is the scenario as given. Sorted by \
         swing; an end marked \"none\" has no floor."
    )];
    if result.rows.len() > rows.len() {
        notes.insert(
            0,
            format!(
                "{} more parameters with smaller swings are in sensitivity.csv.",
                result.rows.len() - rows.len()
            ),
        );
    }
    let frame = Frame {
        title: scenario.name.clone(),
        subtitle: format!(
            "Which assumption moves {what}{} · {} · seed {}",
            super::after_tax(scenario),
            count_of(result.paths, "path"),
            result.seed
        ),
        notes,
    };
    let body = theme.frame(root, &frame)?;
    let (low_color, high_color) = (colors::OFFER, colors::ALTERNATIVE);
    let legend = Legend::default()
        .row(
            Swatch::Fill {
                color: low_color,
                alpha: 0.85,
                outlined: false,
            },
            "parameter at the low end of its range",
        )
        .row(
            Swatch::Fill {
                color: high_color,
                alpha: 0.85,
                outlined: false,
            },
            "at the high end",
        );
    // Always in a band above the plot: inside it, it would sit on bars.
    let nowhere = root.clone().shrink((0, 0), (1, 1));
    let FittedLegend { legend, body, band } = theme.fit_legend(root, &body, &nowhere, legend)?;

    // Room on the left for the parameters' names.
    let name_style = theme.font(text::TICK, colors::INK);
    let mut gutter = 0;
    for r in &rows {
        gutter = gutter.max(theme.measure(root, &r.range.parameter, &name_style)?.0);
    }
    let gutter = gutter + theme.tx(16.0);
    let (w, _) = body.dim_in_pixel();
    // Room above for the "as given" label, clear of a legend band.
    let plot_area = body.margin(theme.tx(20.0), 0, gutter, 0);
    let what_cap = crate::report::words::capitalized(&what);
    let main = Panel {
        figure: &|a: &Answer| figure(result, a),
        tick: &|v: f64| money_tick(v, cur),
        label: &|v: f64| money_tick(v, cur),
        title: &what_cap,
    };
    let beats_name = format!("P({} is worth more)", scenario.offer.label);
    let beats = Panel {
        figure: &|a: &Answer| Some(a.p_offer_beats_alternative),
        tick: &|v: f64| format!("{:.0}%", v * 100.0),
        label: &|v: f64| crate::format::percent_label(v),
        title: &beats_name,
    };
    let panel = |area: &Area, p: &Panel, names: Option<&TextStyle>, gutter: i32| {
        draw_panel(root, theme, area, &rows, result, p, names, gutter, cur)
    };
    if beats_panel {
        let (left, right) = plot_area.split_horizontally((w as i32 - gutter) * 3 / 5);
        panel(&left, &main, Some(&name_style), gutter)?;
        panel(&right.margin(0, 0, theme.tx(24.0), 0), &beats, None, 0)?;
    } else {
        panel(&plot_area, &main, Some(&name_style), gutter)?;
    }
    let size = legend.size(theme, root)?;
    let (w, h) = body.dim_in_pixel();
    let at = band.unwrap_or((
        theme.margin() + w as i32 - size.0 - theme.tx(8.0),
        theme.margin() + h as i32 - size.1 - theme.x_label_area(),
    ));
    legend.draw(theme, root, at)?;
    Ok(())
}

/// Draws one panel's bars into `area`, each row's bar from the scenario's
/// own figure to each end's, labelled with the parameter's value there;
/// with `names`, the parameters' names in the `gutter` left of it.
#[allow(clippy::too_many_arguments)]
fn draw_panel(
    root: &Area,
    theme: &Theme,
    area: &Area,
    rows: &[&crate::decisions::sensitivity::SensitivityRow],
    result: &SensitivityResult,
    panel: &Panel,
    names: Option<&TextStyle>,
    gutter: i32,
    cur: &str,
) -> DrawResult {
    let centre = (panel.figure)(&result.centre);
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [(panel.figure)(&r.low), (panel.figure)(&r.high)])
        .chain([centre])
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // Room on both sides for the widest end label, so that none runs into
    // the names or off the chart: a share `f` of the plot's width each side.
    let (plot_w, _) = theme.plot_size(area);
    let label_font = theme.font(text::LABEL, colors::INK);
    let mut widest = 0;
    for r in rows {
        let unit = Unit::of(&r.range.parameter);
        for (end, v) in [(&r.low, r.range.low), (&r.high, r.range.high)] {
            // An end without a figure is labelled at the centre, not beyond.
            if (panel.figure)(end).is_some() {
                let label = in_unit(unit, v, cur);
                widest = widest.max(theme.measure(root, &label, &label_font)?.0);
            }
        }
    }
    let f = ((widest + theme.tx(10.0)) as f64 / plot_w.max(1) as f64).min(0.3);
    let span = (hi - lo).max(hi.abs().max(1e-3) * 0.04);
    let pad = span * f / (1.0 - 2.0 * f);
    let (lo, hi) = (lo - pad, hi + pad);
    let n = rows.len().max(1) as f64;
    let mut chart = theme
        .chart(area)
        .y_label_area_size(0)
        .build_cartesian_2d(lo..hi, 0.0..n)?;
    let x_fmt = |v: &f64| (panel.tick)(*v);
    let mut mesh = chart.configure_mesh();
    theme.style_mesh(&mut mesh);
    mesh.disable_y_mesh()
        .y_labels(0)
        .x_labels(x_ticks(theme, plot_w))
        .x_label_formatter(&x_fmt)
        .x_desc(panel.title)
        .draw()?;

    let (low_color, high_color) = (colors::OFFER, colors::ALTERNATIVE);
    let label_style = |c: RGBColor| theme.font(text::LABEL, darker(c));
    for (i, r) in rows.iter().enumerate() {
        // The largest swing on top.
        let y_mid = n - i as f64 - 0.5;
        let (y0, y1) = (y_mid - 0.32, y_mid + 0.32);
        let (_, py) = chart.backend_coord(&(lo, y_mid));
        if let Some(style) = names {
            theme.text(
                root,
                &r.range.parameter,
                style,
                (theme.margin() + gutter - theme.tx(12.0), py),
                (HPos::Right, VPos::Center),
            )?;
        }
        let Some(c) = centre else { continue };
        let unit = Unit::of(&r.range.parameter);
        for (end, value, color) in [
            (&r.low, r.range.low, low_color),
            (&r.high, r.range.high, high_color),
        ] {
            let label = in_unit(unit, value, cur);
            match (panel.figure)(end) {
                Some(v) => {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(c.min(v), y0), (c.max(v), y1)],
                        color.mix(0.85).filled(),
                    )))?;
                    let (px, py) = chart.backend_coord(&(v, y_mid));
                    let right = v >= c;
                    let gap = theme.tx(6.0);
                    theme.text(
                        root,
                        &label,
                        &label_style(color),
                        (if right { px + gap } else { px - gap }, py),
                        (if right { HPos::Left } else { HPos::Right }, VPos::Center),
                    )?;
                }
                None => {
                    let (px, py) = chart.backend_coord(&(c, y_mid));
                    let above = std::ptr::eq(end, &r.low);
                    theme.text(
                        root,
                        &format!("{label}: none"),
                        &label_style(color),
                        (
                            px + theme.tx(6.0),
                            py + if above {
                                -theme.tx(11.0)
                            } else {
                                theme.tx(11.0)
                            },
                        ),
                        (HPos::Left, VPos::Center),
                    )?;
                }
            }
        }
    }
    if let Some(c) = centre {
        let (_, yr) = chart.plotting_area().get_pixel_range();
        let (px, _) = chart.backend_coord(&(c, 0.0));
        theme.line(
            root,
            (px, yr.start),
            (px, yr.end),
            colors::INK.into(),
            1.5,
            Dash::Dashed,
        )?;
        theme.label(
            root,
            &format!("as given: {}", (panel.label)(c)),
            &theme.font(text::LABEL, colors::MUTED),
            (px, yr.start - theme.tx(4.0)),
            (HPos::Center, VPos::Bottom),
        )?;
    }
    Ok(())
}
