//! Where things go on a chart: the title block and notes around it,
//! captions over panels, labels in a gutter right of a plot, and free
//! spots for text where no line passes.

use super::DrawResult;
use super::draw::{Rect, ellipsize, wrap};
use super::theme::{Area, Dash, Theme, colors, darker, text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The text around a chart.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// The scenario's name.
    pub title: String,
    /// What the chart shows, the paths and the seed.
    pub subtitle: String,
    /// Notes under the chart (definitions, bins, view clipping). A small
    /// canvas drops them from the first, so the one that must stay (the
    /// view's clipping) goes last.
    pub notes: Vec<String>,
}

impl Theme {
    /// Draws the title (the scenario's name), the subtitle and the notes
    /// under the chart, and returns the area left for the chart itself.
    pub fn frame<'a>(&self, root: &Area<'a>, frame: &Frame) -> DrawResult<Area<'a>> {
        root.fill(&colors::BACKGROUND)?;
        let m = self.margin();
        let width = self.width as i32 - 2 * m;
        let mut title_size = text::TITLE;
        let mut title = self.font(title_size, colors::INK);
        while self.measure(root, &frame.title, &title)?.0 > width && title_size > text::SUBTITLE {
            title_size -= 1.0;
            title = self.font(title_size, colors::INK);
        }
        let title_text = ellipsize(self, root, &frame.title, &title, width)?;
        self.text(root, &title_text, &title, (m, m), (HPos::Left, VPos::Top))?;
        let mut y = m + self.tx(title_size * 1.25);
        let subtitle = self.font(text::SUBTITLE, colors::MUTED);
        for line in wrap(self, root, &frame.subtitle, &subtitle, width)? {
            self.text(root, &line, &subtitle, (m, y), (HPos::Left, VPos::Top))?;
            y += self.tx(text::SUBTITLE * 1.35);
        }
        let top = y + self.tx(18.0);

        let note = self.font(text::NOTE, colors::MUTED);
        let line_height = self.tx(text::NOTE * 1.4);
        // On a small canvas, drop notes from the first while they would take
        // more than a sixth of the height; the last note always stays.
        let mut wrapped = Vec::new();
        for n in &frame.notes {
            wrapped.push(wrap(self, root, n, &note, width)?);
        }
        let budget = self.height as i32 / 6;
        while wrapped.len() > 1
            && wrapped.iter().map(Vec::len).sum::<usize>() as i32 * line_height > budget
        {
            wrapped.remove(0);
        }
        let lines: Vec<String> = wrapped.into_iter().flatten().collect();
        let bottom = m + line_height * lines.len() as i32 + self.tx(14.0);
        let mut y = self.height as i32 - m - line_height * lines.len() as i32 + self.tx(6.0);
        for line in &lines {
            self.text(root, line, &note, (m, y), (HPos::Left, VPos::Top))?;
            y += line_height;
        }
        Ok(root.margin(top, bottom, m - self.px(8.0), m))
    }
}

/// Whether the canvas is small (under about 640×400): text then takes so
/// much of it that captions and messages over the plots are left out.
pub fn compact(theme: &Theme) -> bool {
    // scale / text_scale is the square root of the canvas's size relative
    // to the 1600×1000 design.
    (theme.scale / theme.text_scale).powi(2) < 0.4
}

/// Writes a panel's caption at the top of `area` (over the plot, right of
/// the y labels), wrapped, and returns the rest of the area.
pub fn caption<'a>(
    theme: &Theme,
    root: &Area,
    area: &Area<'a>,
    text: &str,
    (size, color): (f64, RGBColor),
) -> DrawResult<Area<'a>> {
    let style = theme.font(size, color);
    let (x0, y0) = area.get_base_pixel();
    let (w, _) = area.dim_in_pixel();
    let room = w as i32 - theme.y_label_area() - theme.px(24.0);
    let lines = super::draw::wrap(theme, root, text, &style, room)?;
    let line_h = theme.tx(size * 1.3);
    for (i, line) in lines.iter().enumerate() {
        theme.text(
            root,
            line,
            &style,
            (x0 + theme.y_label_area(), y0 + i as i32 * line_h),
            (HPos::Left, VPos::Top),
        )?;
    }
    Ok(area.margin(line_h * lines.len() as i32 + theme.tx(10.0), 0, 0, 0))
}

/// A label for the gutter right of a plot: text, the pixel row it belongs
/// at, its colour.
#[derive(Debug, Clone)]
pub struct GutterLabel {
    pub text: String,
    pub y: i32,
    pub color: RGBColor,
}

/// Spreads `ys` (sorted ascending, pixel rows) so that neighbours are at
/// least `gap` apart, moving them as little as it takes, within
/// `[top, bottom]` when there is room.
pub fn spread(ys: &mut [i32], gap: i32, top: i32, bottom: i32) {
    if ys.is_empty() {
        return;
    }
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + gap);
    }
    let last = ys.len() - 1;
    if ys[last] > bottom {
        ys[last] = bottom;
        for i in (0..last).rev() {
            ys[i] = ys[i].min(ys[i + 1] - gap);
        }
    }
    if ys[0] < top {
        ys[0] = top;
        for i in 1..ys.len() {
            ys[i] = ys[i].max(ys[i - 1] + gap);
        }
    }
}

/// The width of the widest gutter label, plus the space before it.
pub fn gutter_width(theme: &Theme, root: &Area, labels: &[String]) -> DrawResult<i32> {
    let style = theme.font(text::LABEL, colors::INK);
    let mut w = 0;
    for l in labels {
        w = w.max(theme.measure(root, l, &style)?.0);
    }
    Ok(if w == 0 { 0 } else { w + theme.tx(30.0) })
}

/// Draws labels in the gutter right of the plot ending at pixel column
/// `x`, each joined to its row by a short tick when moved off it.
pub fn draw_gutter(
    theme: &Theme,
    root: &Area,
    x: i32,
    (top, bottom): (i32, i32),
    mut labels: Vec<GutterLabel>,
) -> DrawResult {
    labels.sort_by_key(|l| l.y);
    let gap = theme.tx(text::LABEL * 1.3);
    let mut ys: Vec<i32> = labels.iter().map(|l| l.y).collect();
    spread(&mut ys, gap, top, bottom);
    let lead = theme.tx(8.0);
    let text_x = x + theme.tx(22.0);
    for (label, y) in labels.iter().zip(ys) {
        theme.line(
            root,
            (x + lead / 2, label.y),
            (text_x - lead / 2, y),
            darker(label.color).into(),
            1.5,
            Dash::Solid,
        )?;
        let style = theme.font(text::LABEL, darker(label.color));
        theme.text(
            root,
            &label.text,
            &style,
            (text_x, y),
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// The first of `candidates` (top-left corners) at which a box of `size`
/// lies inside `plot` and meets no polyline of `lines` and no rectangle of
/// `taken`.
pub fn free_spot(
    candidates: &[(i32, i32)],
    size: (i32, i32),
    plot: &Rect,
    lines: &[Vec<(i32, i32)>],
    taken: &[Rect],
    pad: i32,
) -> Option<(i32, i32)> {
    candidates.iter().copied().find(|at| {
        let r = Rect::at(*at, size).grow(pad);
        plot.contains(&r)
            && !lines.iter().any(|l| r.hits_polyline(l))
            && !taken.iter().any(|t| t.intersects(&r))
    })
}

/// The first of `candidates` at which a box of `size` lies inside `plot`
/// and meets no rectangle of `taken`, crossing as few polylines of `lines`
/// as any such candidate.
pub fn best_spot(
    candidates: &[(i32, i32)],
    size: (i32, i32),
    plot: &Rect,
    lines: &[Vec<(i32, i32)>],
    taken: &[Rect],
    pad: i32,
) -> Option<(i32, i32)> {
    candidates
        .iter()
        .copied()
        .filter_map(|at| {
            let r = Rect::at(at, size).grow(pad);
            if !plot.contains(&r) || taken.iter().any(|t| t.intersects(&r)) {
                return None;
            }
            Some((lines.iter().filter(|l| r.hits_polyline(l)).count(), at))
        })
        .min_by_key(|(hits, _)| *hits)
        .map(|(_, at)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreading_labels() {
        let mut ys = [100, 105, 300];
        spread(&mut ys, 20, 0, 1000);
        assert_eq!(ys, [100, 120, 300]);
        let mut ys = [990, 995];
        spread(&mut ys, 20, 0, 1000);
        assert_eq!(ys, [980, 1000]);
    }
}
