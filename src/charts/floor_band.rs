//! `floor_band.png`: the mean floor in each parameter draw of an
//! ensemble, as the share of draws whose floor is at most an amount, with
//! the draws' P10–P90 band, the median draw, the floor over all the paths
//! pooled, and the offer as given. Where the curve crosses the offer's own
//! grant (or base) is the share of draws in which the offer is worth
//! taking on the mean.

use super::DrawResult;
use super::axis::FixedTicks;
use super::layout::Frame;
use super::legend::{FittedLegend, Legend, Swatch};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use super::value::x_ticks;
use crate::decisions::EnsembleOutputs;
use crate::format::{count_of, money_tick, percent_label};
use crate::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub(super) fn draw(
    root: &Area,
    theme: &Theme,
    e: &EnsembleOutputs,
    scenario: &Scenario,
) -> DrawResult {
    let cur = scenario.currency.as_str();
    let lever = crate::report::words::lever_name(e.mean_floor.solve_for);
    let k = e.draws.max(1);
    let mut floors: Vec<f64> = e.per_draw.iter().filter_map(|d| d.mean_floor).collect();
    floors.sort_by(f64::total_cmp);
    let names: Vec<&str> = e.parameters.iter().map(|p| p.parameter.as_str()).collect();
    let mut notes = vec![format!(
        "In each of {} draws of the uncertain assumptions ({}), the mean {lever} floor is solved on that draw's \
         own paths; the curve is the share of draws whose floor is at most the amount. Where it crosses the \
         offer's {lever}, the offer is worth taking on the mean: in {} of draws.",
        k,
        names.join(", "),
        percent_label(e.p_offer_wins_on_mean)
    )];
    if e.mean_floor.unreachable > 0 {
        notes.push(format!(
            "In {} no {lever} brings the offer's mean to the alternative's: the curve stops short of 100%.",
            count_of(e.mean_floor.unreachable as u64, "draw")
        ));
    }
    // A long right tail (draws where the company barely grows) would squash
    // the rest: the view ends a little past the 95th percentile of the
    // floors, or at the marks if they are further.
    let marks = [Some(e.current), e.pooled_mean_floor];
    let tail = crate::stats::quantile_sorted(&floors, 0.95) * 1.25;
    let (mut lo, mut hi) = floors
        .iter()
        .copied()
        .filter(|v| *v <= tail || tail.is_nan())
        .chain(marks.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.06).max(hi.abs().max(1.0) * 0.01);
    let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
    let beyond = floors.iter().filter(|v| **v > hi).count();
    if beyond > 0 {
        notes.push(format!(
            "View ends at {}: {} beyond it.",
            money_tick(hi, cur),
            count_of(beyond as u64, "draw")
        ));
    }
    let frame = Frame {
        title: scenario.name.clone(),
        subtitle: format!(
            "The mean {lever} floor across the uncertain assumptions{} · {} · seed {}",
            super::after_tax(scenario),
            count_of(scenario.simulation.paths, "path"),
            scenario.simulation.seed
        ),
        notes,
    };
    let body = theme.frame(root, &frame)?;
    let legend = Legend::default()
        .row(
            Swatch::Line {
                color: colors::OFFER,
                dash: Dash::Solid,
            },
            format!("share of draws with a mean {lever} floor at most this"),
        )
        .row(
            Swatch::Fill {
                color: colors::OFFER,
                alpha: 0.14,
                outlined: false,
            },
            format!(
                "P10 to P90 of the draws ({}, median {})",
                band_text(e.mean_floor.p10, e.mean_floor.p90, cur),
                e.mean_floor
                    .p50
                    .map_or("none".into(), |v| money_tick(v, cur))
            ),
        )
        .row(
            Swatch::Line {
                color: colors::INK,
                dash: Dash::Dashed,
            },
            format!("the offer's {lever}"),
        )
        .row(
            Swatch::Line {
                color: colors::ALTERNATIVE,
                dash: Dash::Dotted,
            },
            "floor with every draw pooled",
        );
    let FittedLegend { legend, body, band } = theme.fit_legend(root, &body, &body, legend)?;
    let (plot_w, _) = theme.plot_size(&body);

    let mut chart = theme.chart(&body).build_cartesian_2d(
        lo..hi,
        FixedTicks::new(0.0..100.0, vec![0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 100.0]),
    )?;
    let x_fmt = |v: &f64| money_tick(*v, cur);
    let y_fmt = |v: &f64| format!("{v:.0}%");
    let mut mesh = chart.configure_mesh();
    theme.style_mesh(&mut mesh);
    mesh.x_labels(x_ticks(theme, plot_w))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(format!("Mean {lever} floor in one draw"))
        .y_desc("Share of draws with a floor at most this")
        .draw()?;

    if let (Some(a), Some(b)) = (e.mean_floor.p10, e.mean_floor.p90) {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a.clamp(lo, hi), 0.0), (b.clamp(lo, hi), 100.0)],
            colors::OFFER.mix(0.14).filled(),
        )))?;
    }
    // The empirical distribution as steps: at the i-th smallest floor the
    // share rises to i / K.
    let mut steps = vec![(lo, 0.0)];
    for (i, f) in floors.iter().take_while(|f| **f <= hi).enumerate() {
        let (before, after) = (i as f64 / k as f64, (i + 1) as f64 / k as f64);
        steps.push((*f, before * 100.0));
        steps.push((*f, after * 100.0));
    }
    let shown = floors.len() - beyond;
    steps.push((hi, shown as f64 / k as f64 * 100.0));
    chart.draw_series(LineSeries::new(
        steps,
        ShapeStyle::from(colors::OFFER).stroke_width(theme.px(2.5) as u32),
    ))?;

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let vertical = |x: f64, color: RGBColor, dash: Dash, label: String, row: i32| -> DrawResult {
        let (px, _) = chart.backend_coord(&(x, 0.0));
        theme.line(root, (px, yr.start), (px, yr.end), color.into(), 1.5, dash)?;
        theme.label(
            root,
            &label,
            &theme.font(text::LABEL, darker(color)),
            (
                px + theme.tx(6.0),
                yr.start + theme.tx(8.0) + row * theme.tx(18.0),
            ),
            (HPos::Left, VPos::Top),
        )?;
        Ok(())
    };
    vertical(
        e.current,
        colors::INK,
        Dash::Dashed,
        format!("as offered: {}", money_tick(e.current, cur)),
        0,
    )?;
    if let Some(p) = e.pooled_mean_floor {
        vertical(
            p,
            colors::ALTERNATIVE,
            Dash::Dotted,
            format!("pooled: {}", money_tick(p, cur)),
            1,
        )?;
    }
    // Lower right: the curve has risen to its top by then.
    let size = legend.size(theme, root)?;
    let pad = theme.tx(16.0);
    let at = band.unwrap_or((xr.end - size.0 - pad, yr.end - size.1 - pad));
    legend.draw(theme, root, at)?;
    Ok(())
}

/// `€90.6K to €491K`, "none" for an end among the unreachable draws.
fn band_text(low: Option<f64>, high: Option<f64>, currency: &str) -> String {
    let end = |v: Option<f64>| v.map_or("none".to_string(), |v| money_tick(v, currency));
    format!("{} to {}", end(low), end(high))
}
