//! `value.png`: both offers' total present value, overlaid on the same
//! bins, with each offer's mean, median and P10 marked by a labelled line.

use super::bins::{Grid, Histogram, TOTAL_VIEW, view_name};
use super::draw::Rect;
use super::layout::Frame;
use super::legend::{FittedLegend, Legend, Swatch};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use super::{DrawResult, RunData};
use crate::format::{format_money, money_tick, percent_label};
use crate::stats::Summary;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// About this many bins across the view.
const TARGET_BINS: usize = 90;

/// A statistic marked on the chart.
struct Mark {
    value: f64,
    name: &'static str,
    dash: Dash,
    color: RGBColor,
}

pub(super) fn draw(root: &Area, theme: &Theme, data: &RunData) -> DrawResult {
    let cur = data.currency();
    let (lo, hi) = data.total_view;
    let grid = Grid::nice(lo, hi, TARGET_BINS);
    let offer = Histogram::of(grid, data.offer_total());
    let alt = Histogram::of(grid, data.alternative_total());
    let n = data.paths().max(1) as f64;
    let series = [
        (
            data.offer_label(),
            &offer,
            &data.outputs.offer.total,
            colors::OFFER,
        ),
        (
            data.alternative_label(),
            &alt,
            &data.outputs.alternative.total,
            colors::ALTERNATIVE,
        ),
    ];

    // A bin or two holding a point mass (everyone who stays the whole
    // window with equity worth nothing earns the same) would flatten the
    // rest: such spikes are cut at the top of the axis and labelled.
    let mut shares: Vec<f64> = series
        .iter()
        .flat_map(|(_, h, _, _)| h.counts.iter().map(|c| *c as f64 / n * 100.0))
        .collect();
    shares.sort_by(|a, b| b.total_cmp(a));
    let tallest = shares.first().copied().unwrap_or(0.0);
    let cap = spike_cap(&shares);
    let data_top = cap.unwrap_or(tallest);

    let bin = money_tick(grid.width, cur);
    let mut notes = vec![format!(
        "Each step is the share of paths whose total falls in a {bin} bin; both offers use the same bins. \
         Total = cash pay + equity (after illiquidity) − exercise costs, discounted to today."
    )];
    if cap.is_some() {
        notes[0].push_str(" Bars cut at the top (//) are labelled with their height.");
    }
    notes.push(format!(
        "View clipped to {} of both offers: {} of {}'s paths and {} of {}'s lie outside it and are not drawn.",
        view_name(TOTAL_VIEW),
        percent_label(offer.outside() as f64 / n),
        data.offer_label(),
        percent_label(alt.outside() as f64 / n),
        data.alternative_label()
    ));
    let frame = Frame {
        title: data.scenario.name.clone(),
        subtitle: data.subtitle(&format!(
            "Total present value of each offer over {}",
            data.window()
        )),
        notes,
    };
    let body = theme.frame(root, &frame)?;

    let mut legend = Legend::default();
    for (label, _, summary, color) in &series {
        legend = legend.row(
            Swatch::Fill {
                color: *color,
                alpha: 0.3,
                outlined: true,
            },
            format!(
                "{label}: mean {} · median {} · P10 {}",
                format_money(summary.mean, cur),
                format_money(summary.percentiles.p50, cur),
                format_money(summary.percentiles.p10, cur)
            ),
        );
    }
    let FittedLegend { legend, body, band } = theme.fit_legend(root, &body, &body, legend)?;
    let (lw, lh) = legend.size(theme, root)?;
    let pad = theme.tx(14.0);
    // Room at the top of the plot for the legend, when it goes inside.
    let legend_room = if band.is_some() { 0 } else { lh + 2 * pad };

    // The marks' labels go in rows between the legend and the bars: lay
    // them out on a provisional chart (same x axis), then make room.
    let marks: Vec<Mark> = series
        .iter()
        .flat_map(|(_, _, s, color)| marks(s, *color))
        .filter(|m| (grid.lo..=grid.hi()).contains(&m.value))
        .collect();
    let label_style = theme.font(text::LABEL, colors::INK);
    let provisional = theme
        .chart(&body)
        .build_cartesian_2d(grid.lo..grid.hi(), 0.0..1.0)?;
    let mut placed: Vec<(usize, i32, i32)> = Vec::new(); // (row, x0, x1)
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by(|&a, &b| marks[a].value.total_cmp(&marks[b].value));
    let mut row_of = vec![0; marks.len()];
    let gap = theme.tx(10.0);
    for &i in &order {
        let (x, _) = provisional.backend_coord(&(marks[i].value, 0.0));
        let (w, _) = theme.measure(root, marks[i].name, &label_style)?;
        let (x0, x1) = (x - w / 2 - gap, x + w / 2 + gap);
        let row = (0..)
            .find(|r| !placed.iter().any(|p| p.0 == *r && p.1 < x1 && x0 < p.2))
            .unwrap_or(0);
        placed.push((row, x0, x1));
        row_of[i] = row;
    }
    drop(provisional);
    let rows = row_of.iter().max().map_or(0, |r| r + 1) as i32;
    let row_h = theme.tx(text::LABEL * 1.5);

    let (plot_w, plot_h) = theme.plot_size(&body);
    let headroom = legend_room + rows * row_h + theme.tx(6.0);
    let reserved = (headroom as f64 / plot_h.max(1) as f64).min(0.7);
    let y_max = (data_top * 1.02 / (1.0 - reserved)).max(1e-6);

    let mut chart = theme
        .chart(&body)
        .build_cartesian_2d(grid.lo..grid.hi(), 0.0..y_max)?;
    let x_fmt = |v: &f64| money_tick(*v, cur);
    let y_fmt = |v: &f64| percent_tick(*v, y_max);
    let x_desc = format!(
        "Total present value over {} (cash + equity − exercise costs)",
        data.window()
    );
    let y_desc = format!("Share of paths per {bin} bin");
    let mut mesh = chart.configure_mesh();
    theme.style_mesh(&mut mesh);
    mesh.x_labels(x_ticks(theme, plot_w))
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;

    // Fills first, then outlines, so neither offer hides the other.
    for (_, hist, _, color) in series.iter().rev() {
        chart.draw_series(std::iter::once(Polygon::new(
            steps(hist, n, data_top),
            color.mix(0.25).filled(),
        )))?;
    }
    for (_, hist, _, color) in series.iter().rev() {
        chart.draw_series(std::iter::once(PathElement::new(
            steps(hist, n, data_top),
            color.stroke_width(theme.px(2.5) as u32),
        )))?;
    }
    // Where the marks' lines run, for the cut bars' labels to keep clear of.
    let lines: Vec<i32> = marks
        .iter()
        .map(|m| chart.backend_coord(&(m.value, 0.0)).0)
        .collect();
    let mut cut_labels = Vec::new();
    if cap.is_some() {
        for (_, hist, _, color) in &series {
            cut_labels.extend(break_cut_bins(
                theme, root, &chart, hist, n, data_top, *color, &lines,
            )?);
        }
    }

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let plot = Rect::of_ranges(xr.clone(), yr.clone());
    let rows_bottom = yr.start + legend_room + rows * row_h;
    let row_middle = |i: usize| rows_bottom - (row_of[i] as i32 + 1) * row_h + row_h / 2;
    // Every line before any label, so labels stay readable.
    for (i, mark) in marks.iter().enumerate() {
        let (x, bottom) = chart.backend_coord(&(mark.value, 0.0));
        theme.line(
            root,
            (x, bottom),
            (x, row_middle(i)),
            darker(mark.color).into(),
            2.5,
            mark.dash,
        )?;
    }
    for (i, mark) in marks.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(mark.value, 0.0));
        let style = theme.font(text::LABEL, darker(mark.color));
        let (w, _) = theme.measure(root, mark.name, &style)?;
        // Keep the label inside the plot.
        let cx = x.clamp(plot.x0 + w / 2 + gap, plot.x1 - w / 2 - gap);
        theme.label(
            root,
            mark.name,
            &style,
            (cx, row_middle(i)),
            (HPos::Center, VPos::Center),
        )?;
    }
    for (label, at, anchor, color) in cut_labels {
        let style = theme.font(text::LABEL, darker(color));
        theme.label(root, &label, &style, at, (anchor, VPos::Top))?;
    }
    legend.draw(
        theme,
        root,
        band.unwrap_or((xr.end - lw - pad, yr.start + pad)),
    )?;
    Ok(())
}

/// How many money ticks fit along a plot `width` pixels wide.
pub(super) fn x_ticks(theme: &Theme, width: i32) -> usize {
    (width / theme.tx(120.0)).clamp(3, 12) as usize
}

/// The mean, median and P10 of a total, with the dash that marks each.
fn marks(s: &Summary, color: RGBColor) -> [Mark; 3] {
    let mark = |value, name, dash| Mark {
        value,
        name,
        dash,
        color,
    };
    [
        mark(s.mean, "mean", Dash::Solid),
        mark(s.percentiles.p50, "median", Dash::Dashed),
        mark(s.percentiles.p10, "P10", Dash::Dotted),
    ]
}

/// Where to cut the axis when a bin or two tower over the rest: bins
/// taller than 2.5 × the third-tallest are spikes, and the axis ends at
/// 1.35 × the tallest bin that is not one. `shares` is every bin's
/// height, tallest first.
fn spike_cap(shares: &[f64]) -> Option<f64> {
    let reference = *shares.get(2)?;
    if !(reference > 0.0 && shares[0] > 2.5 * reference) {
        return None;
    }
    let rest = shares.iter().find(|s| **s <= 2.5 * reference)?;
    Some(1.35 * rest)
}

/// A label to draw: text, position, horizontal anchor, colour.
type Pending = (String, (i32, i32), HPos, RGBColor);

/// Draws a white double break (`//`) across each bin cut at `top` and
/// returns the labels with their heights, to draw beside them last: right
/// of the bar, or left of it, moved past any mark's line at `lines` (pixel
/// columns) so that no label touches one.
#[allow(clippy::too_many_arguments)]
fn break_cut_bins<DB>(
    theme: &Theme,
    root: &Area,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    h: &Histogram,
    n: f64,
    top: f64,
    color: RGBColor,
    lines: &[i32],
) -> DrawResult<Vec<Pending>>
where
    DB: DrawingBackend,
{
    let (xr, _) = chart.plotting_area().get_pixel_range();
    let style = theme.font(text::LABEL, darker(color));
    let mut labels = Vec::new();
    for (i, c) in h.counts.iter().enumerate() {
        let share = *c as f64 / n * 100.0;
        if share <= top {
            continue;
        }
        let (x0, y_top) = chart.backend_coord(&(h.grid.edge(i), top));
        let (x1, _) = chart.backend_coord(&(h.grid.edge(i + 1), top));
        let (d, t, e) = (theme.px(5.0), theme.px(4.0), theme.px(4.0));
        // Two slashes just below the cut, the sign the note names.
        for yc in [y_top + theme.px(12.0), y_top + theme.px(22.0)] {
            root.draw(&Polygon::new(
                vec![
                    (x0 - e, yc + d),
                    (x1 + e, yc - d),
                    (x1 + e, yc - d + t),
                    (x0 - e, yc + d + t),
                ],
                colors::BACKGROUND.filled(),
            ))?;
        }
        let label = percent_label(share / 100.0);
        let (w, _) = theme.measure(root, &label, &style)?;
        let gap = theme.tx(8.0);
        let clear = theme.px(3.0);
        let hits = |left: i32| {
            lines
                .iter()
                .any(|&l| l >= left - clear && l <= left + w + clear)
        };
        // Slide right from the bar past every line in the way, else left.
        let mut right = x1 + gap;
        while hits(right) && right + w < xr.end {
            right += theme.px(2.0);
        }
        let mut left = x0 - gap - w;
        while hits(left) && left > xr.start {
            left -= theme.px(2.0);
        }
        let (at, anchor) = if right + w < xr.end && !hits(right) {
            ((right, y_top), HPos::Left)
        } else if left > xr.start && !hits(left) {
            ((left + w, y_top), HPos::Right)
        } else {
            ((x1 + gap, y_top), HPos::Left)
        };
        labels.push((label, at, anchor, color));
    }
    Ok(labels)
}

/// The outline of a histogram as steps, in % of all paths, cut at `top`.
fn steps(h: &Histogram, n: f64, top: f64) -> Vec<(f64, f64)> {
    let g = h.grid;
    let mut points = Vec::with_capacity(2 * g.bins + 2);
    points.push((g.lo, 0.0));
    for (i, c) in h.counts.iter().enumerate() {
        let y = (*c as f64 / n * 100.0).min(top);
        points.push((g.edge(i), y));
        points.push((g.edge(i + 1), y));
    }
    points.push((g.hi(), 0.0));
    points
}

/// A percentage tick with as many decimals as the axis needs.
pub(super) fn percent_tick(v: f64, axis_max: f64) -> String {
    let decimals = if axis_max >= 20.0 {
        0
    } else if axis_max >= 2.0 {
        1
    } else {
        2
    };
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spikes_are_cut() {
        assert_eq!(spike_cap(&[24.0, 8.0, 6.0, 5.0]), Some(1.35 * 8.0));
        assert_eq!(spike_cap(&[34.0, 16.0, 6.0, 5.0]), Some(1.35 * 6.0));
        assert_eq!(spike_cap(&[10.0, 9.0, 8.0]), None);
        assert_eq!(spike_cap(&[10.0, 9.0]), None);
        assert_eq!(spike_cap(&[10.0, 0.0, 0.0]), None);
    }

    #[test]
    fn percent_ticks() {
        assert_eq!(percent_tick(0.0, 30.0), "0%");
        assert_eq!(percent_tick(20.0, 30.0), "20%");
        assert_eq!(percent_tick(2.5, 12.0), "2.5%");
        assert_eq!(percent_tick(0.25, 1.0), "0.25%");
        assert_eq!(percent_tick(15.0, 18.0), "15%");
        assert_eq!(percent_tick(0.5, 1.0), "0.5%");
    }
}
