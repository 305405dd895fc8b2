//! A panel of the decision charts (`floor_sweep.png`, `frontier.png`): one
//! line per criterion with gaps where the floor is unreachable, clipped to
//! the plot, with reference lines, guides and labels beside the lines.

use super::DrawResult;
use super::axis::{FixedTicks, XAxis, money_range, nice_ticks};
use super::draw::Rect;
use super::layout::{
    GutterLabel, best_spot, caption, compact, draw_gutter, free_spot, gutter_width,
};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use crate::format::{format_money, money_tick};
use crate::report::words::criterion_name;
use crate::scenario::Criterion;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One criterion's line: `(x, value)` with `None` where unreachable.
#[derive(Debug, Clone)]
pub struct Series {
    pub criterion: Criterion,
    pub color: RGBColor,
    pub points: Vec<(f64, Option<f64>)>,
}

impl Series {
    /// The runs of consecutive points where the value is defined.
    pub fn runs(&self) -> Vec<Vec<(f64, f64)>> {
        let mut runs = Vec::new();
        let mut run = Vec::new();
        for (x, y) in &self.points {
            match y {
                Some(y) if y.is_finite() => run.push((*x, *y)),
                _ => {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        runs
    }

    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.points
            .iter()
            .filter_map(|p| p.1)
            .filter(|v| v.is_finite())
    }

    /// Whether the value is defined nowhere.
    pub fn is_empty(&self) -> bool {
        self.values().next().is_none()
    }

    /// Whether the value is undefined somewhere.
    pub fn has_gaps(&self) -> bool {
        self.points.iter().any(|p| !p.1.is_some_and(f64::is_finite))
    }

    /// The last point where the value is defined.
    pub fn last(&self) -> Option<(f64, f64)> {
        self.points
            .iter()
            .rev()
            .find_map(|(x, y)| y.filter(|v| v.is_finite()).map(|y| (*x, y)))
    }

    /// The stretches of `x` (first and last value) where the value is
    /// undefined.
    pub fn gaps(&self) -> Vec<(f64, f64)> {
        let mut gaps = Vec::new();
        let mut open: Option<(f64, f64)> = None;
        for (x, y) in &self.points {
            if y.is_some_and(f64::is_finite) {
                gaps.extend(open.take());
            } else {
                open = Some(open.map_or((*x, *x), |(a, _)| (a, *x)));
            }
        }
        gaps.extend(open);
        gaps
    }
}

/// A polyline cut to `lo <= y <= hi`: the pieces inside, in order.
pub fn clip(run: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |y: f64| (lo..=hi).contains(&y);
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut piece: Vec<(f64, f64)> = Vec::new();
    if let [only] = run {
        if inside(only.1) {
            pieces.push(vec![*only]);
        }
        return pieces;
    }
    for w in run.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        // The segment's parameter range inside the band.
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let dy = y1 - y0;
        if dy == 0.0 {
            if !inside(y0) {
                (t0, t1) = (1.0, 0.0);
            }
        } else {
            let (a, b) = ((lo - y0) / dy, (hi - y0) / dy);
            t0 = t0.max(a.min(b));
            t1 = t1.min(a.max(b));
        }
        if t0 > t1 {
            if !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
            continue;
        }
        let at = |t: f64| (x0 + t * (x1 - x0), (y0 + t * dy).clamp(lo, hi));
        let start = at(t0);
        if piece.last() != Some(&start) {
            if !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
            piece.push(start);
        }
        piece.push(at(t1));
        if t1 < 1.0 {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// What the lines of a panel are compared with.
pub enum Reference {
    /// The offer's own lever along x (a dashed line, labelled in the
    /// gutter).
    Line {
        points: Vec<(f64, f64)>,
        label: String,
    },
    /// The offer itself as a point, labelled next to it with the first of
    /// `labels` (longest first) that fits.
    Point { at: (f64, f64), labels: Vec<String> },
}

/// A vertical guide at one x (the scenario's own value, the alternative's
/// base); with `values`, each line's value there is labelled.
pub struct Guide {
    pub x: f64,
    pub label: String,
    pub values: bool,
}

/// One plot: lines per criterion against x, a reference, a guide.
pub struct Panel {
    /// A caption over the plot.
    pub caption: Option<String>,
    pub y_desc: String,
    pub series: Vec<Series>,
    pub reference: Reference,
    /// A line of text over the plot, under the caption (which criteria
    /// have no line at all).
    pub message: Option<String>,
    pub guide: Option<Guide>,
    /// Whether each line (and the reference line) is named in a gutter
    /// right of the plot; without it, the chart needs a legend.
    pub gutter: bool,
    /// Whether the gutter labels give each line's last value, or only the
    /// criterion's name.
    pub gutter_values: bool,
}

impl Panel {
    /// The y range: every value and the reference, the top capped at
    /// [`CAP_MULTIPLE`] times the reference.
    fn y_range(&self) -> (f64, f64) {
        let reference = self.reference_values();
        let reference_max = reference.iter().copied().fold(0.0, f64::max);
        let cap = if reference_max > 0.0 {
            CAP_MULTIPLE * reference_max
        } else {
            f64::INFINITY
        };
        money_range(
            self.series
                .iter()
                .flat_map(|s| s.values())
                .chain(reference.iter().copied()),
            cap,
        )
    }

    fn reference_values(&self) -> Vec<f64> {
        match &self.reference {
            Reference::Line { points, .. } => points.iter().map(|p| p.1).collect(),
            Reference::Point { at, .. } => vec![at.1],
        }
    }

    /// The gutter's labels: text, the value it belongs at, colour.
    fn gutter_labels(&self, currency: &str) -> Vec<(String, f64, RGBColor)> {
        let (y_lo, y_hi) = self.y_range();
        let mut gutter: Vec<(String, f64, RGBColor)> = Vec::new();
        for s in &self.series {
            if let Some((_, v)) = s.last() {
                let value = format_money(v, currency);
                let text = match (self.gutter_values, v > y_hi) {
                    (false, _) => criterion_name(s.criterion),
                    (true, false) => format!("{} {value}", criterion_name(s.criterion)),
                    (true, true) => format!("{} {value} ↑", criterion_name(s.criterion)),
                };
                gutter.push((text, v.min(y_hi), s.color));
            }
        }
        if let Reference::Line { points, label } = &self.reference
            && let Some(&(_, v)) = points.last()
        {
            gutter.push((label.clone(), v.clamp(y_lo, y_hi), colors::INK));
        }
        gutter
    }

    /// Whether the gutter leaves the plot at least half of a panel
    /// `width` pixels wide.
    pub fn gutter_fits(
        &self,
        theme: &Theme,
        root: &Area,
        currency: &str,
        width: i32,
    ) -> DrawResult<bool> {
        let texts: Vec<String> = self
            .gutter_labels(currency)
            .into_iter()
            .map(|g| g.0)
            .collect();
        let gutter = gutter_width(theme, root, &texts)?;
        Ok(width - theme.y_label_area() - gutter >= width / 2)
    }
}

/// Above this multiple of the reference the y axis stops: a floor that
/// large runs off the top, and its gutter label says how large it is.
const CAP_MULTIPLE: f64 = 50.0;

/// Drops the inner points of flat stretches (a constant reference line is
/// then one dashed line, not a dash pattern restarting at every point).
fn simplify(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let flat_before = out.last().is_some_and(|q: &(f64, f64)| q.1 == p.1);
        let flat_after = points.get(i + 1).is_some_and(|q| q.1 == p.1);
        if flat_before && flat_after {
            continue;
        }
        out.push(*p);
    }
    out
}

/// The value of `series` at `x`: the point there, else interpolated
/// between defined neighbours.
fn value_at(series: &Series, x: f64) -> Option<f64> {
    let pts = &series.points;
    if let Some(p) = pts.iter().find(|p| p.0 == x) {
        return p.1.filter(|v| v.is_finite());
    }
    pts.windows(2).find_map(|w| {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let (lo, hi) = (x0.min(x1), x0.max(x1));
        if !(lo..=hi).contains(&x) {
            return None;
        }
        let (y0, y1) = (y0?, y1?);
        Some(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    })
}

/// How many lines are drawn on top of each series, segment by segment:
/// where series run within `width` of each other over a segment (both its
/// points; every series has the same x values, and `row(v)` is a value's
/// pixel row), they are drawn at their true place as nested stripes, the
/// first widest and each next one narrower, so that every line stays
/// visible and none leaves its value (an offset would put a line at €0
/// below the axis). `under[k][j]` is for the segment ending at point `j`.
fn lanes(series: &[Series], row: impl Fn(f64) -> i32, width: i32) -> Vec<Vec<i32>> {
    let rows: Vec<Vec<Option<i32>>> = series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|p| p.1.filter(|v| v.is_finite()).map(&row))
                .collect()
        })
        .collect();
    let close = |a: &[Option<i32>], b: &[Option<i32>], j: usize| match (a.get(j), b.get(j)) {
        (Some(Some(x)), Some(Some(y))) => (x - y).abs() < width,
        _ => false,
    };
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    // For each series, the later ones that share a segment with it are
    // drawn on top of it there.
    (0..series.len())
        .map(|a| {
            (0..n)
                .map(|j| {
                    (a + 1..series.len())
                        .filter(|&b| {
                            j > 0
                                && close(&rows[a], &rows[b], j)
                                && close(&rows[a], &rows[b], j - 1)
                        })
                        .count() as i32
                })
                .collect()
        })
        .collect()
}

/// Draws a panel into `area`.
pub fn draw_panel(root: &Area, theme: &Theme, area: &Area, panel: &Panel, x: &XAxis) -> DrawResult {
    let cur = x.currency;
    let m = |v: f64| format_money(v, cur);
    let small = compact(theme);
    let mut area = match &panel.caption {
        Some(c) if !small => caption(theme, root, area, c, (text::LABEL + 1.0, colors::INK))?,
        _ => area.clone(),
    };
    if let Some(message) = panel.message.as_ref().filter(|_| !small) {
        area = caption(
            theme,
            root,
            &area,
            message,
            (text::LABEL, darker(colors::WORSE)),
        )?;
    }
    let (y_lo, y_hi) = panel.y_range();

    // Labels in the gutter right of the plot: each line's last value and
    // the reference line.
    let gutter = if panel.gutter {
        panel.gutter_labels(cur)
    } else {
        Vec::new()
    };
    let texts: Vec<String> = gutter.iter().map(|g| g.0.clone()).collect();
    let gutter_w = gutter_width(theme, root, &texts)?.max(theme.px(24.0));
    // Room above the plot for the guide's label.
    let guide_style = theme.font(text::LABEL, colors::MUTED);
    let guide_room = match &panel.guide {
        Some(g) => theme.measure(root, &g.label, &guide_style)?.1 + theme.tx(10.0),
        None => 0,
    };
    let (aw, ah) = area.dim_in_pixel();
    let plot_w = aw as i32 - theme.y_label_area() - gutter_w;
    let plot_h = ah as i32 - theme.x_label_area() - theme.px(8.0) - guide_room;
    // As many ticks as fit with room between their labels.
    let tick_style = theme.font(text::TICK, colors::INK);
    let mut choice = nice_ticks(x.lo, x.hi, 3);
    for max in (3..=13).rev() {
        let (ticks, step) = nice_ticks(x.lo, x.hi, max);
        let mut widest = 0;
        for t in &ticks {
            widest = widest.max(
                theme
                    .measure(
                        root,
                        &crate::format::tick_in_unit(x.kind, *t, step, cur),
                        &tick_style,
                    )?
                    .0,
            );
        }
        if ticks.len() as i32 * (widest + theme.tx(18.0)) <= plot_w {
            choice = (ticks, step);
            break;
        }
    }
    let (ticks, step) = choice;
    let mut builder = theme.chart(&area);
    builder
        .margin_right(gutter_w)
        .margin_top(theme.px(8.0) + guide_room);
    let mut chart = builder.build_cartesian_2d(FixedTicks::new(x.lo..x.hi, ticks), y_lo..y_hi)?;
    {
        let x_fmt = |v: &f64| crate::format::tick_in_unit(x.kind, *v, step, cur);
        let y_fmt = |v: &f64| money_tick(*v, cur);
        let mut mesh = chart.configure_mesh();
        theme.style_mesh(&mut mesh);
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .y_labels(((plot_h / theme.tx(48.0)) as usize).clamp(3, 7))
            .x_desc(x.desc.as_str())
            .y_desc(panel.y_desc.as_str())
            .draw()?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let plot = Rect::of_ranges(xr.clone(), yr.clone());
    let px = |p: (f64, f64)| chart.backend_coord(&p);
    let mut lines_px: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut taken: Vec<Rect> = Vec::new();
    let gap = theme.tx(8.0);

    // The guide, under everything.
    let guide = panel
        .guide
        .as_ref()
        .filter(|g| (x.lo.min(x.hi)..=x.hi.max(x.lo)).contains(&g.x));
    let mut guide_x = None;
    if let Some(g) = guide {
        let (gx, _) = px((g.x, y_lo));
        theme.line(
            root,
            (gx, yr.start),
            (gx, yr.end),
            colors::MUTED.into(),
            1.5,
            Dash::Dashed,
        )?;
        guide_x = Some(gx);
    }

    // The reference line, then the criteria's lines and points.
    if let Reference::Line { points, .. } = &panel.reference {
        for piece in clip(&simplify(points), y_lo, y_hi) {
            let pts: Vec<(i32, i32)> = piece.iter().map(|p| px(*p)).collect();
            for w in pts.windows(2) {
                theme.line(root, w[0], w[1], colors::INK.into(), 2.0, Dash::Dashed)?;
            }
            lines_px.push(pts);
        }
    }
    // Lines that run together are drawn at their true place as nested
    // stripes: the first widest, each next one narrower on top of it.
    let width = theme.px(3.5);
    let under = lanes(&panel.series, |v| px((x.lo, v)).1, width);
    let mut dots = Vec::new();
    for (k, s) in panel.series.iter().enumerate() {
        let shifted = |p: &(f64, f64)| px(*p);
        let xs: Vec<f64> = s.points.iter().map(|p| p.0).collect();
        // The stripe under the segment that holds `x`.
        let stroke_at = |x: f64| {
            let j = xs.partition_point(|&v| v < x).clamp(1, xs.len().max(2) - 1);
            (width + under[k].get(j).copied().unwrap_or(0) * width * 6 / 5) as u32
        };
        for run in s.runs() {
            for piece in clip(&run, y_lo, y_hi) {
                let pts: Vec<(i32, i32)> = piece.iter().map(shifted).collect();
                for (w, p) in piece.windows(2).zip(pts.windows(2)) {
                    let stroke = stroke_at(0.5 * (w[0].0 + w[1].0));
                    root.draw(&PathElement::new(p.to_vec(), s.color.stroke_width(stroke)))?;
                }
                lines_px.push(pts);
            }
            for p in run.iter().filter(|p| (y_lo..=y_hi).contains(&p.1)) {
                dots.push((shifted(p), s.color));
            }
        }
    }
    for (at, color) in &dots {
        root.draw(&Circle::new(*at, theme.px(4.5), color.filled()))?;
    }

    // The guide's label above the plot, centred on it (inside the area).
    if let (Some(g), Some(gx)) = (guide, guide_x) {
        let (w, _) = theme.measure(root, &g.label, &guide_style)?;
        let (ax, _) = area.get_base_pixel();
        let (aw, _) = area.dim_in_pixel();
        let cx = gx.clamp(ax + w / 2, ax + aw as i32 - w / 2);
        theme.text(
            root,
            &g.label,
            &guide_style,
            (cx, yr.start - theme.tx(6.0)),
            (HPos::Center, VPos::Bottom),
        )?;
    }
    // Labels keep clear of the guide too.
    if let Some(gx) = guide_x {
        lines_px.push(vec![(gx, yr.start), (gx, yr.end)]);
    }

    // Each line's value at the guide, where a label fits beside its point.
    let mut guide_dots = Vec::new();
    if let Some(g) = guide.filter(|g| g.values) {
        let mut marks: Vec<((i32, i32), String, RGBColor)> = panel
            .series
            .iter()
            .filter_map(|s| {
                let v = value_at(s, g.x)?;
                (y_lo..=y_hi)
                    .contains(&v)
                    .then(|| (px((g.x, v)), m(v), s.color))
            })
            .collect();
        marks.sort_by_key(|mk| mk.0.1);
        let r = theme.px(7.0);
        for (at, _, _) in &marks {
            taken.push(Rect {
                x0: at.0 - r,
                y0: at.1 - r,
                x1: at.0 + r,
                y1: at.1 + r,
            });
        }
        for (at, text, color) in &marks {
            let style = theme.font(text::LABEL, darker(*color));
            let (w, h) = theme.measure(root, text, &style)?;
            let (cx, cy) = *at;
            let mut spots = Vec::new();
            for k in 1..=4 {
                let d = gap * k;
                spots.extend([
                    (cx + d, cy - d - h),
                    (cx - d - w, cy - d - h),
                    (cx + d, cy + d),
                    (cx - d - w, cy + d),
                    (cx + d, cy - h / 2),
                    (cx - d - w, cy - h / 2),
                ]);
            }
            if let Some(spot) = free_spot(&spots, (w, h), &plot, &lines_px, &taken, theme.tx(3.0)) {
                taken.push(theme.label(root, text, &style, spot, (HPos::Left, VPos::Top))?);
            }
            guide_dots.push((*at, *color));
        }
    }

    // The offer as a point.
    if let Reference::Point { at, labels } = &panel.reference {
        let (cx, cy) = px(*at);
        let inside = (y_lo..=y_hi).contains(&at.1) && (plot.x0..=plot.x1).contains(&cx);
        if inside {
            let style = theme.font(text::LABEL, colors::INK);
            let r = theme.px(9.0);
            taken.push(Rect {
                x0: cx - r,
                y0: cy - r,
                x1: cx + r,
                y1: cy + r,
            });
            let spots_for = |(w, h): (i32, i32)| {
                let mut spots = Vec::new();
                for k in 1..=8 {
                    let d = gap * k + r;
                    spots.extend([
                        (cx + d, cy - h / 2),
                        (cx + d, cy - d - h),
                        (cx - d - w, cy - d - h),
                        (cx + d, cy + d),
                        (cx - d - w, cy + d),
                        (cx - d - w, cy - h / 2),
                        (cx - w / 2, cy - d - h),
                        (cx - w / 2, cy + d),
                    ]);
                }
                spots
            };
            // The longest label clear of every line, the guides' included
            // (a label the base line runs through reads as crossed out),
            // else the one crossing the fewest.
            let mut fallback = None;
            let mut chosen = None;
            for label in labels {
                let size = theme.measure(root, label, &style)?;
                let spots = spots_for(size);
                let data = &lines_px[..];
                if let Some(at) = free_spot(&spots, size, &plot, data, &taken, theme.tx(3.0)) {
                    chosen = Some((label, at));
                    break;
                }
                if fallback.is_none() {
                    fallback = best_spot(&spots, size, &plot, data, &taken, theme.tx(3.0))
                        .map(|at| (label, at));
                }
            }
            if let Some((label, spot)) = chosen.or(fallback) {
                taken.push(theme.label(root, label, &style, spot, (HPos::Left, VPos::Top))?);
            }
            root.draw(&Circle::new(
                (cx, cy),
                theme.px(10.0),
                colors::BACKGROUND.filled(),
            ))?;
            root.draw(&Circle::new((cx, cy), theme.px(7.5), colors::INK.filled()))?;
        }
    }
    for (at, color) in guide_dots {
        root.draw(&Circle::new(at, theme.px(8.0), colors::BACKGROUND.filled()))?;
        root.draw(&Circle::new(at, theme.px(6.0), color.filled()))?;
    }

    let labels = gutter
        .into_iter()
        .map(|(text, v, color)| GutterLabel {
            text,
            y: px((x.lo, v)).1,
            color,
        })
        .collect();
    draw_gutter(theme, root, xr.end, (yr.start, yr.end), labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(f64, Option<f64>)]) -> Series {
        Series {
            criterion: Criterion::Mean,
            color: colors::OFFER,
            points: points.to_vec(),
        }
    }

    #[test]
    fn runs_and_gaps() {
        let s = series(&[
            (0.0, Some(1.0)),
            (1.0, Some(2.0)),
            (2.0, None),
            (3.0, Some(4.0)),
            (4.0, None),
            (5.0, None),
        ]);
        assert_eq!(
            s.runs(),
            vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0)]]
        );
        assert_eq!(s.gaps(), vec![(2.0, 2.0), (4.0, 5.0)]);
        assert_eq!(s.last(), Some((3.0, 4.0)));
        assert!(s.has_gaps() && !s.is_empty());
        assert!(series(&[(0.0, None)]).is_empty());
    }

    #[test]
    fn clipping_keeps_the_inside() {
        // Rises through the top and comes back.
        let run = [(0.0, 0.0), (1.0, 20.0), (2.0, 0.0)];
        let pieces = clip(&run, 0.0, 10.0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (0.5, 10.0)]);
        assert_eq!(pieces[1], vec![(1.5, 10.0), (2.0, 0.0)]);
        // Entirely inside: unchanged.
        let inside = [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)];
        assert_eq!(clip(&inside, 0.0, 10.0), vec![inside.to_vec()]);
        // A single point outside disappears.
        assert!(clip(&[(0.0, 11.0)], 0.0, 10.0).is_empty());
    }
}
