//! The common look of every chart: palette, font, sizes and margins, and
//! the pieces every chart draws the same way (title block, notes, legend,
//! dashed guide lines, money tick labels).
//!
//! Sizes are given in pixels of a 1600×1000 chart and scale with the
//! canvas, so a chart drawn at another size keeps its proportions.

use super::DrawResult;
use crate::model::company::Outcome;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The drawing surface every chart draws on.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// The registered name of the embedded font.
pub const FONT: &str = "sans-serif";

/// Colours (Okabe–Ito, readable with the common colour-vision deficiencies).
pub mod colors {
    use plotters::style::RGBColor;

    pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
    /// Titles, tick labels, legend text.
    pub const INK: RGBColor = RGBColor(34, 34, 34);
    /// Subtitles, notes and guides.
    pub const MUTED: RGBColor = RGBColor(102, 102, 102);
    pub const AXIS: RGBColor = RGBColor(136, 136, 136);
    pub const GRID: RGBColor = RGBColor(228, 228, 228);
    /// The private offer.
    pub const OFFER: RGBColor = RGBColor(0, 114, 178);
    /// The public alternative.
    pub const ALTERNATIVE: RGBColor = RGBColor(230, 159, 0);
    /// Where the private offer is worth less than the alternative.
    pub const WORSE: RGBColor = RGBColor(213, 94, 0);
    pub const IPO: RGBColor = RGBColor(0, 158, 115);
    pub const ACQUISITION: RGBColor = RGBColor(86, 180, 233);
    pub const PRIVATE: RGBColor = RGBColor(204, 121, 167);
    pub const FAILURE: RGBColor = RGBColor(120, 120, 120);
    /// Further series, in order, for charts with more than two.
    pub const SERIES: [RGBColor; 8] = [
        OFFER,
        ALTERNATIVE,
        IPO,
        WORSE,
        ACQUISITION,
        PRIVATE,
        RGBColor(240, 228, 66),
        FAILURE,
    ];
}

/// The colour of a company outcome.
pub fn outcome_color(outcome: Outcome) -> RGBColor {
    match outcome {
        Outcome::Ipo => colors::IPO,
        Outcome::Acquisition => colors::ACQUISITION,
        Outcome::Private => colors::PRIVATE,
        Outcome::Failure => colors::FAILURE,
    }
}

/// A darker shade of a series colour, for text and thin lines on white.
pub fn darker(c: RGBColor) -> RGBColor {
    let f = |v: u8| (v as f64 * 0.72).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// An outcome's name as a chart says it.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ipo => "IPO",
        Outcome::Acquisition => "Acquisition",
        Outcome::Private => "Private at horizon",
        Outcome::Failure => "Failure",
    }
}

/// Text sizes of a 1600×1000 chart, in pixels.
pub mod text {
    pub const TITLE: f64 = 34.0;
    pub const SUBTITLE: f64 = 22.0;
    pub const AXIS: f64 = 22.0;
    pub const TICK: f64 = 19.0;
    pub const LEGEND: f64 = 20.0;
    pub const NOTE: f64 = 17.0;
    pub const LABEL: f64 = 19.0;
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// Sizes and styles for one canvas.
///
/// Lengths scale with the canvas; text scales with its square root, so a
/// small chart keeps readable text and a large one gains room.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Canvas size in pixels.
    pub width: u32,
    pub height: u32,
    /// Canvas pixels per pixel of the 1600×1000 design.
    pub scale: f64,
    /// Canvas pixels per pixel of the design's text and the space around it.
    pub text_scale: f64,
}

impl Theme {
    /// The theme for a canvas of `width × height` pixels that will be
    /// scaled down by `supersample` once drawn.
    pub fn new((width, height): (u32, u32), supersample: u32) -> Theme {
        let f = supersample.max(1) as f64;
        let out = (width as f64 / f / 1600.0).min(height as f64 / f / 1000.0);
        Theme {
            width,
            height,
            scale: out * f,
            text_scale: out.sqrt() * f,
        }
    }

    /// A length of the 1600×1000 design on this canvas.
    pub fn px(&self, design: f64) -> i32 {
        (design * self.scale).round().max(1.0) as i32
    }

    /// A length that goes with text (line heights, label areas, legend
    /// padding) on this canvas.
    pub fn tx(&self, design: f64) -> i32 {
        (design * self.text_scale).round().max(1.0) as i32
    }

    /// A text size of the 1600×1000 design on this canvas.
    pub fn text_px(&self, design: f64) -> f64 {
        design * self.text_scale
    }

    /// The embedded font at a design size, in a colour.
    pub fn font(&self, design: f64, color: RGBColor) -> TextStyle<'static> {
        let mut style: TextStyle<'static> = (FONT, self.text_px(design)).into_font().into();
        style.color = color.to_backend_color();
        style
    }

    /// Outer margin around everything.
    pub fn margin(&self) -> i32 {
        self.px(36.0)
    }

    /// Space for the x axis tick labels and description.
    pub fn x_label_area(&self) -> i32 {
        self.tx(78.0)
    }

    /// Space for the y axis tick labels and description.
    pub fn y_label_area(&self) -> i32 {
        self.tx(112.0)
    }

    /// A chart builder on `area` with this theme's margins and label areas.
    pub fn chart<'a, 'b>(&self, area: &'a Area<'b>) -> ChartBuilder<'a, 'b, BitMapBackend<'b>> {
        let mut builder = ChartBuilder::on(area);
        builder
            .margin_top(self.px(8.0))
            .margin_right(self.px(24.0))
            .x_label_area_size(self.x_label_area())
            .y_label_area_size(self.y_label_area());
        builder
    }

    /// The plot's size inside `area` when built with [`Theme::chart`].
    pub fn plot_size(&self, area: &Area) -> (i32, i32) {
        let (w, h) = area.dim_in_pixel();
        (
            w as i32 - self.y_label_area() - self.px(24.0),
            h as i32 - self.x_label_area() - self.px(8.0),
        )
    }

    /// Applies the common mesh style: light horizontal grid lines, no
    /// minor lines, scaled tick labels and axis descriptions.
    pub fn style_mesh<X, Y>(
        &self,
        mesh: &mut plotters::chart::MeshStyle<'_, '_, X, Y, BitMapBackend<'_>>,
    ) where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        mesh.disable_x_mesh()
            .bold_line_style(colors::GRID.stroke_width(self.px(1.0) as u32))
            .light_line_style(TRANSPARENT)
            .axis_style(colors::AXIS.stroke_width(self.px(1.5) as u32))
            .set_all_tick_mark_size(self.px(6.0))
            .label_style(self.font(text::TICK, colors::INK))
            .axis_desc_style(self.font(text::AXIS, colors::INK));
    }

    /// Where a legend goes: inside the plot when it is small next to the
    /// plot that `probe` would hold, else in a band above `body`, its items
    /// packed into rows.
    pub fn fit_legend<'a>(
        &self,
        root: &Area,
        body: &Area<'a>,
        probe: &Area,
        legend: Legend,
    ) -> DrawResult<FittedLegend<'a>> {
        let (lw, lh) = legend.size(self, root)?;
        let (pw, ph) = self.plot_size(probe);
        if lw as f64 <= 0.62 * pw as f64 && lh as f64 <= 0.3 * ph as f64 {
            return Ok(FittedLegend {
                legend,
                body: body.clone(),
                band: None,
            });
        }
        let (bw, _) = body.dim_in_pixel();
        let (x0, y0) = body.get_base_pixel();
        let left = self.y_label_area();
        let band = legend.reflow(self, root, bw as i32 - left - self.px(24.0))?;
        let (_, h) = band.size(self, root)?;
        Ok(FittedLegend {
            legend: band,
            body: body.margin(h + self.tx(10.0), 0, 0, 0),
            band: Some((x0 + left, y0)),
        })
    }

    /// The first of `texts` that fits in `width` pixels (else the last).
    pub fn fit<'t>(
        &self,
        area: &Area,
        texts: &[&'t str],
        style: &TextStyle,
        width: i32,
    ) -> DrawResult<&'t str> {
        for t in texts {
            if self.measure(area, t, style)?.0 <= width {
                return Ok(t);
            }
        }
        Ok(texts.last().copied().unwrap_or(""))
    }

    /// The width and height `text` takes in `style`.
    pub fn measure(&self, area: &Area, text: &str, style: &TextStyle) -> DrawResult<(i32, i32)> {
        let (w, h) = area.estimate_text_size(text, style)?;
        Ok((w as i32, h as i32))
    }

    /// Draws `text` with its top-left (or other anchor) at `at`.
    pub fn text(
        &self,
        area: &Area,
        text: &str,
        style: &TextStyle,
        at: (i32, i32),
        anchor: (HPos, VPos),
    ) -> DrawResult {
        area.draw_text(text, &style.pos(Pos::new(anchor.0, anchor.1)), at)?;
        Ok(())
    }

    /// Draws `text` on a white box (readable over grid lines and fills)
    /// and returns the box.
    pub fn label(
        &self,
        area: &Area,
        text: &str,
        style: &TextStyle,
        at: (i32, i32),
        anchor: (HPos, VPos),
    ) -> DrawResult<Rect> {
        let (w, h) = self.measure(area, text, style)?;
        let x0 = match anchor.0 {
            HPos::Left => at.0,
            HPos::Center => at.0 - w / 2,
            HPos::Right => at.0 - w,
        };
        let y0 = match anchor.1 {
            VPos::Top => at.1,
            VPos::Center => at.1 - h / 2,
            VPos::Bottom => at.1 - h,
        };
        let rect = Rect::at((x0, y0), (w, h)).grow(self.tx(3.0));
        area.draw(&Rectangle::new(
            [(rect.x0, rect.y0), (rect.x1, rect.y1)],
            colors::BACKGROUND.filled(),
        ))?;
        self.text(area, text, style, at, anchor)?;
        Ok(rect)
    }

    /// Draws a line between two pixels, solid, dashed or dotted.
    pub fn line(
        &self,
        area: &Area,
        from: (i32, i32),
        to: (i32, i32),
        color: RGBAColor,
        width: f64,
        dash: Dash,
    ) -> DrawResult {
        let stroke = self.px(width) as u32;
        let style = ShapeStyle::from(color).stroke_width(stroke);
        let (on, off) = match dash {
            Dash::Solid => {
                area.draw(&PathElement::new(vec![from, to], style))?;
                return Ok(());
            }
            Dash::Dashed => (self.px(10.0) as f64, self.px(6.0) as f64),
            Dash::Dotted => (
                stroke as f64,
                (stroke as f64 * 1.6).max(self.px(4.0) as f64),
            ),
        };
        let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
        let length = dx.hypot(dy);
        if length == 0.0 {
            return Ok(());
        }
        let at = |t: f64| {
            let t = t.min(length) / length;
            (
                from.0 + (dx * t).round() as i32,
                from.1 + (dy * t).round() as i32,
            )
        };
        let mut t = 0.0;
        while t < length {
            let (a, b) = (at(t), at(t + on));
            if dash == Dash::Dotted && stroke > 1 {
                let r = stroke as i32;
                let h = r / 2;
                area.draw(&Rectangle::new(
                    [(a.0 - h, a.1 - h), (a.0 - h + r - 1, a.1 - h + r - 1)],
                    style.filled(),
                ))?;
            } else {
                area.draw(&PathElement::new(vec![a, b], style))?;
            }
            t += on + off;
        }
        Ok(())
    }

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
        // more than a fifth of the height; the last note always stays.
        let mut wrapped = Vec::new();
        for n in &frame.notes {
            wrapped.push(wrap(self, root, n, &note, width)?);
        }
        let budget = self.height as i32 / 7;
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

/// A rectangle of pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    /// The rectangle of `size` with its top-left corner at `at`.
    pub fn at(at: (i32, i32), size: (i32, i32)) -> Rect {
        Rect {
            x0: at.0,
            y0: at.1,
            x1: at.0 + size.0,
            y1: at.1 + size.1,
        }
    }

    /// A plot's pixel rectangle from its pixel ranges.
    pub fn of_ranges(x: std::ops::Range<i32>, y: std::ops::Range<i32>) -> Rect {
        Rect {
            x0: x.start,
            y0: y.start,
            x1: x.end,
            y1: y.end,
        }
    }

    /// Grown by `d` pixels on every side.
    pub fn grow(&self, d: i32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 && o.x1 <= self.x1 && self.y0 <= o.y0 && o.y1 <= self.y1
    }

    /// Whether the segment from `a` to `b` passes through the rectangle.
    pub fn hits_segment(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        // Liang–Barsky clipping.
        let (x0, y0) = (a.0 as f64, a.1 as f64);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in [
            (-dx, x0 - self.x0 as f64),
            (dx, self.x1 as f64 - x0),
            (-dy, y0 - self.y0 as f64),
            (dy, self.y1 as f64 - y0),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    /// Whether a polyline passes through the rectangle.
    pub fn hits_polyline(&self, points: &[(i32, i32)]) -> bool {
        points.windows(2).any(|w| self.hits_segment(w[0], w[1]))
            || points.len() == 1 && self.hits_segment(points[0], points[0])
    }
}

/// A linear axis with tick labels at given values only (plotters'
/// `with_key_points` loses the label formatter on `f64` axes).
#[derive(Clone)]
pub struct FixedTicks {
    range: RangedCoordf64,
    ticks: Vec<f64>,
}

impl FixedTicks {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> FixedTicks {
        FixedTicks {
            range: range.into(),
            ticks,
        }
    }
}

impl Ranged for FixedTicks {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.range()
    }
}

/// A legend placed by [`Theme::fit_legend`].
pub struct FittedLegend<'a> {
    /// The legend to draw (repacked into rows when above the plot).
    pub legend: Legend,
    /// The area left for the chart.
    pub body: Area<'a>,
    /// The legend's top-left corner when it goes above the plot; `None`
    /// when it goes inside.
    pub band: Option<(i32, i32)>,
}

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

/// A legend swatch.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled box, with an outline in the colour when `outlined`.
    Fill {
        color: RGBColor,
        alpha: f64,
        outlined: bool,
    },
    /// A line in a colour and dash.
    Line { color: RGBColor, dash: Dash },
    /// A dot.
    Dot { color: RGBColor },
    /// No swatch: a line of text on its own.
    None,
}

/// A legend: one row per entry, several (swatch, text) pairs on a row.
#[derive(Debug, Clone, Default)]
pub struct Legend {
    pub rows: Vec<Vec<(Swatch, String)>>,
}

impl Legend {
    /// One row per series, each drawn as a solid line of its colour.
    pub fn solid_lines(series: impl IntoIterator<Item = (RGBColor, String)>) -> Legend {
        series
            .into_iter()
            .fold(Legend::default(), |legend, (color, text)| {
                legend.row(
                    Swatch::Line {
                        color,
                        dash: Dash::Solid,
                    },
                    text,
                )
            })
    }

    pub fn row(mut self, swatch: Swatch, text: impl Into<String>) -> Legend {
        self.rows.push(vec![(swatch, text.into())]);
        self
    }

    pub fn wide_row(mut self, items: Vec<(Swatch, String)>) -> Legend {
        self.rows.push(items);
        self
    }

    /// The same items packed into as few rows as fit in `width`.
    pub fn reflow(&self, theme: &Theme, area: &Area, width: i32) -> DrawResult<Legend> {
        let mut rows: Vec<Vec<(Swatch, String)>> = Vec::new();
        for item in self.rows.iter().flatten() {
            if let Some(last) = rows.last_mut() {
                last.push(item.clone());
                let probe = Legend {
                    rows: vec![last.clone()],
                };
                if probe.size(theme, area)?.0 <= width {
                    continue;
                }
                last.pop();
            }
            rows.push(vec![item.clone()]);
        }
        Ok(Legend { rows })
    }

    fn metrics(theme: &Theme) -> (i32, i32, i32, i32) {
        // padding, swatch width, gap after a swatch, gap between items
        (
            theme.tx(14.0),
            theme.tx(34.0),
            theme.tx(10.0),
            theme.tx(24.0),
        )
    }

    fn row_height(theme: &Theme) -> i32 {
        theme.tx(text::LEGEND * 1.55)
    }

    /// The legend's width and height in pixels.
    pub fn size(&self, theme: &Theme, area: &Area) -> DrawResult<(i32, i32)> {
        let (pad, sw, gap, item_gap) = Self::metrics(theme);
        let style = theme.font(text::LEGEND, colors::INK);
        let mut width = 0;
        for row in &self.rows {
            let mut w = 0;
            for (i, (swatch, text)) in row.iter().enumerate() {
                if i > 0 {
                    w += item_gap;
                }
                if !matches!(swatch, Swatch::None) {
                    w += sw + gap;
                }
                w += theme.measure(area, text, &style)?.0;
            }
            width = width.max(w);
        }
        Ok((
            width + 2 * pad,
            Self::row_height(theme) * self.rows.len() as i32 + 2 * pad - theme.tx(6.0),
        ))
    }

    /// Draws the legend with its top-left corner at `at`.
    pub fn draw(&self, theme: &Theme, area: &Area, at: (i32, i32)) -> DrawResult {
        let (pad, sw, gap, item_gap) = Self::metrics(theme);
        let (w, h) = self.size(theme, area)?;
        area.draw(&Rectangle::new(
            [at, (at.0 + w, at.1 + h)],
            colors::BACKGROUND.mix(0.92).filled(),
        ))?;
        area.draw(&Rectangle::new(
            [at, (at.0 + w, at.1 + h)],
            colors::GRID.stroke_width(theme.px(1.5) as u32),
        ))?;
        let style = theme.font(text::LEGEND, colors::INK);
        let rh = Self::row_height(theme);
        for (r, row) in self.rows.iter().enumerate() {
            let mid = at.1 + pad + rh * r as i32 + rh / 2 - theme.tx(3.0);
            let mut x = at.0 + pad;
            for (i, (swatch, text)) in row.iter().enumerate() {
                if i > 0 {
                    x += item_gap;
                }
                let half = theme.tx(8.0);
                match *swatch {
                    Swatch::Fill {
                        color,
                        alpha,
                        outlined,
                    } => {
                        let rect = [(x, mid - half), (x + sw, mid + half)];
                        area.draw(&Rectangle::new(rect, color.mix(alpha).filled()))?;
                        if outlined {
                            area.draw(&Rectangle::new(
                                rect,
                                color.stroke_width(theme.px(2.0) as u32),
                            ))?;
                        }
                    }
                    Swatch::Line { color, dash } => {
                        theme.line(area, (x, mid), (x + sw, mid), color.into(), 3.0, dash)?;
                    }
                    Swatch::Dot { color } => {
                        area.draw(&Circle::new(
                            (x + sw / 2, mid),
                            theme.px(6.0),
                            color.filled(),
                        ))?;
                    }
                    Swatch::None => {}
                }
                if !matches!(swatch, Swatch::None) {
                    x += sw + gap;
                }
                theme.text(area, text, &style, (x, mid), (HPos::Left, VPos::Center))?;
                x += theme.measure(area, text, &style)?.0;
            }
        }
        Ok(())
    }
}

/// Splits `text` into lines no wider than `width`.
pub fn wrap(
    theme: &Theme,
    area: &Area,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> DrawResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && theme.measure(area, &candidate, style)?.0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// `text`, cut with an ellipsis if wider than `width`.
fn ellipsize(
    theme: &Theme,
    area: &Area,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> DrawResult<String> {
    if theme.measure(area, text, style)?.0 <= width {
        return Ok(text.to_string());
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if theme.measure(area, &cut, style)?.0 <= width {
            return Ok(cut);
        }
    }
    Ok(String::new())
}
