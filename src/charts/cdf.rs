//! `cdf.png`: both offers' cumulative distributions of total present
//! value, with P10 and median guides, and the region where the private
//! offer is worth less than the alternative at the same percentile shaded.

use super::axis::{FixedTicks, nice_ticks};
use super::bins::{Grid, Histogram, TOTAL_VIEW, view_name};
use super::draw::Rect;
use super::layout::Frame;
use super::legend::{FittedLegend, Legend, Swatch};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use super::value::x_ticks;
use super::{DrawResult, RunData};
use crate::format::{format_money, money_tick, percent_label};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Points along each curve.
const CURVE_BINS: usize = 800;

pub(super) fn draw(root: &Area, theme: &Theme, data: &RunData) -> DrawResult {
    let cur = data.currency();
    let (offer_label, alt_label) = (data.offer_label(), data.alternative_label());
    // The view starts at a round amount, so that its origin carries a tick:
    // a multiple of the step the ticks will take (P1 itself is not round).
    let (view_lo, hi) = data.total_view;
    let (_, step) = nice_ticks(view_lo, hi, x_ticks(theme, theme.plot_size(root).0));
    let lo = if view_lo > 0.0 {
        (view_lo / step).floor() * step
    } else {
        view_lo
    };
    let grid = Grid::uniform(lo, hi, CURVE_BINS);
    let percent_of =
        |h: Histogram| -> Vec<f64> { h.cumulative().into_iter().map(|c| c * 100.0).collect() };
    let fo = percent_of(Histogram::of(grid, data.offer_total()));
    let fa = percent_of(Histogram::of(grid, data.alternative_total()));
    let xs: Vec<f64> = (0..=grid.bins).map(|i| grid.edge(i)).collect();

    let frame = Frame {
        title: data.scenario.name.clone(),
        subtitle: data.subtitle(&format!(
            "Cumulative distribution of each offer's total present value over {}",
            data.window()
        )),
        notes: vec![
            format!(
                "A curve's height at a value is the share of paths worth at most that much; at any height, the curve \
                 further left is the offer worth less at that percentile. Compared path by path, {offer_label} is \
                 worth more than {alt_label} on {} of paths.",
                percent_label(data.outputs.comparison.p_offer_beats_alternative)
            ),
            difference_note(data),
            format!(
                "View clipped to {} of both offers' totals.",
                view_name(TOTAL_VIEW)
            ),
        ],
    };
    let mut frame = frame;
    if let Some(note) = thresholds_note(data) {
        frame.notes.insert(2, note);
    }
    let body = theme.frame(root, &frame)?;
    let legend = Legend::default()
        .row(
            Swatch::Line {
                color: colors::OFFER,
                dash: Dash::Solid,
            },
            offer_label,
        )
        .row(
            Swatch::Line {
                color: colors::ALTERNATIVE,
                dash: Dash::Solid,
            },
            alt_label,
        )
        .row(
            Swatch::Fill {
                color: colors::WORSE,
                alpha: 0.22,
                outlined: false,
            },
            format!("{offer_label} worth less at the same percentile"),
        );
    let FittedLegend { legend, body, band } = theme.fit_legend(root, &body, &body, legend)?;
    let (plot_w, _) = theme.plot_size(&body);

    let (x_at, _) = nice_ticks(lo, hi, x_ticks(theme, plot_w));
    let mut chart = theme.chart(&body).build_cartesian_2d(
        FixedTicks::new(lo..hi, x_at),
        FixedTicks::new(0.0..100.0, vec![0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 100.0]),
    )?;
    let x_fmt = |v: &f64| money_tick(*v, cur);
    let y_fmt = |v: &f64| format!("{v:.0}%");
    let mut mesh = chart.configure_mesh();
    theme.style_mesh(&mut mesh);
    mesh.x_labels(x_ticks(theme, plot_w) + 1)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(format!(
            "Total present value over {} (cash + equity − exercise costs)",
            data.window()
        ))
        .y_desc("Share of paths worth at most this")
        .draw()?;

    for polygon in worse_regions(&xs, &fo, &fa) {
        chart.draw_series(std::iter::once(Polygon::new(
            polygon,
            colors::WORSE.mix(0.22).filled(),
        )))?;
    }

    // Guides at P10 and the median.
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let plot = Rect::of_ranges(xr.clone(), yr.clone());
    for level in [10.0, 50.0] {
        let (_, y) = chart.backend_coord(&(lo, level));
        theme.line(
            root,
            (xr.start, y),
            (xr.end, y),
            colors::MUTED.into(),
            1.5,
            Dash::Dashed,
        )?;
    }

    for (f, color) in [(&fa, colors::ALTERNATIVE), (&fo, colors::OFFER)] {
        chart.draw_series(LineSeries::new(
            xs.iter().copied().zip(f.iter().copied()),
            color.stroke_width(theme.px(3.0) as u32),
        ))?;
    }
    let curves: Vec<Vec<(i32, i32)>> = [&fo, &fa]
        .iter()
        .map(|f| {
            xs.iter()
                .zip(f.iter())
                .map(|(x, y)| chart.backend_coord(&(*x, *y)))
                .collect()
        })
        .collect();

    // The legend: lower right, unless a curve passes there; then upper
    // left, then upper right (or above the plot on a small canvas).
    let size = legend.size(theme, root)?;
    let pad = theme.tx(16.0);
    let candidates = [
        (xr.end - size.0 - pad, yr.end - size.1 - pad),
        (xr.start + pad, yr.start + pad),
        (xr.end - size.0 - pad, yr.start + pad),
    ];
    let hits_curve = |r: &Rect| curves.iter().any(|c| r.hits_polyline(c));
    let at = band.unwrap_or_else(|| {
        candidates
            .iter()
            .copied()
            .find(|c| !hits_curve(&Rect::at(*c, size)))
            .unwrap_or(candidates[0])
    });
    legend.draw(theme, root, at)?;
    let mut taken = vec![Rect::at(at, size)];

    // Each offer's P10 and median on its curve, labelled where the label
    // hits no curve, label or legend: for the left point, left of it first;
    // for the right point, right of it first.
    let (o, a) = (&data.outputs.offer.total, &data.outputs.alternative.total);
    let mut dots = Vec::new();
    let mut labels = Vec::new();
    for (level, name, po, pa) in [
        (10.0, "P10", o.percentiles.p10, a.percentiles.p10),
        (50.0, "median", o.percentiles.p50, a.percentiles.p50),
    ] {
        let mut points = [(po, colors::OFFER), (pa, colors::ALTERNATIVE)];
        points.sort_by(|p, q| p.0.total_cmp(&q.0));
        for (i, (value, color)) in points.into_iter().enumerate() {
            if !(lo..=hi).contains(&value) {
                continue;
            }
            let (x, y) = chart.backend_coord(&(value, level));
            dots.push(((x, y), color));
            labels.push((
                (x, y),
                i == 0,
                format!("{name} {}", format_money(value, cur)),
                color,
            ));
        }
    }
    let r = theme.px(7.0);
    taken.extend(dots.iter().map(|((x, y), _)| Rect {
        x0: x - r,
        y0: y - r,
        x1: x + r,
        y1: y + r,
    }));
    for ((x, y), left_first, label, color) in labels {
        let style = theme.font(text::LABEL, darker(color));
        let (w, h) = theme.measure(root, &label, &style)?;
        let fits =
            |r: &Rect| plot.contains(r) && !hits_curve(r) && !taken.iter().any(|t| t.intersects(r));
        let mut chosen = None;
        'search: for step in 1..=6 {
            let g = theme.tx(8.0) * step;
            let left = [
                (x - g - w, y - g - h),
                (x - g - w, y - h / 2),
                (x - g - w, y + g),
            ];
            let right = [(x + g, y + g), (x + g, y - h / 2), (x + g, y - g - h)];
            let order: Vec<(i32, i32)> = if left_first {
                left.into_iter().chain(right).collect()
            } else {
                right.into_iter().chain(left).collect()
            };
            for at in order {
                let rect = Rect::at(at, (w, h)).grow(theme.tx(3.0));
                if fits(&rect) {
                    chosen = Some(at);
                    break 'search;
                }
            }
        }
        // Nowhere free: beside the point, but never over the axes' labels.
        let at = chosen.unwrap_or_else(|| {
            let (ax, ay) = if left_first {
                (x - theme.tx(10.0) - w, y - theme.tx(10.0) - h)
            } else {
                (x + theme.tx(10.0), y + theme.tx(10.0))
            };
            let pad = theme.tx(4.0);
            (
                ax.clamp(plot.x0 + pad, (plot.x1 - w - pad).max(plot.x0 + pad)),
                ay.clamp(plot.y0 + pad, (plot.y1 - h - pad).max(plot.y0 + pad)),
            )
        });
        let rect = theme.label(root, &label, &style, at, (HPos::Left, VPos::Top))?;
        taken.push(rect);
    }
    for ((x, y), color) in dots {
        root.draw(&Circle::new(
            (x, y),
            theme.px(7.0),
            colors::BACKGROUND.filled(),
        ))?;
        root.draw(&Circle::new((x, y), theme.px(5.5), color.filled()))?;
    }
    Ok(())
}

/// Polygons between the curves where the offer's cumulative share is
/// above the alternative's (the offer is worth less at that percentile),
/// with the crossings interpolated.
fn worse_regions(xs: &[f64], fo: &[f64], fa: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let n = xs.len();
    let cross = |i: usize, j: usize| {
        let (di, dj) = (fo[i] - fa[i], fo[j] - fa[j]);
        let t = if di == dj { 0.0 } else { di / (di - dj) };
        (xs[i] + t * (xs[j] - xs[i]), fo[i] + t * (fo[j] - fo[i]))
    };
    let mut polygons = Vec::new();
    let mut k = 0;
    while k < n {
        if fo[k] <= fa[k] {
            k += 1;
            continue;
        }
        let start = k;
        while k < n && fo[k] > fa[k] {
            k += 1;
        }
        let mut upper = Vec::new();
        if start > 0 {
            upper.push(cross(start - 1, start));
        }
        upper.extend((start..k).map(|i| (xs[i], fo[i])));
        if k < n {
            upper.push(cross(k - 1, k));
        }
        upper.extend((start..k).rev().map(|i| (xs[i], fa[i])));
        polygons.push(upper);
    }
    polygons
}

/// The pathwise difference's percentiles, in words.
fn difference_note(data: &RunData) -> String {
    let cur = data.currency();
    let d = &data.outputs.comparison.difference_percentiles;
    format!(
        "Path by path, {} − {}: P10 {}, median {}, P90 {}.",
        data.offer_label(),
        data.alternative_label(),
        format_money(d.p10, cur),
        format_money(d.p50, cur),
        format_money(d.p90, cur)
    )
}

/// `P(total ≥ A)` for both offers at each of the report's thresholds.
fn thresholds_note(data: &RunData) -> Option<String> {
    let cur = data.currency();
    let shares: Vec<String> = data
        .outputs
        .thresholds
        .iter()
        .map(|t| {
            format!(
                "P(total ≥ {}): {} {}, {} {}",
                format_money(t.amount, cur),
                data.offer_label(),
                percent_label(t.p_offer),
                data.alternative_label(),
                percent_label(t.p_alternative)
            )
        })
        .collect();
    (!shares.is_empty()).then(|| format!("{}.", shares.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shading_between_crossings() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        let fo = [0.0, 60.0, 80.0, 100.0];
        let fa = [0.0, 40.0, 90.0, 100.0];
        let p = worse_regions(&xs, &fo, &fa);
        assert_eq!(p.len(), 1);
        // Enters at x = 0 (equal), leaves between x = 1 and 2 where the
        // difference goes from +20 to -10: t = 2/3.
        let last_upper = p[0][2];
        assert!((last_upper.0 - (1.0 + 2.0 / 3.0)).abs() < 1e-12);
        assert_eq!(p[0].len(), 4);
    }
}
