//! The common look of every chart: the drawing surface, palette, font,
//! text sizes, margins and mesh style, in pixels of a 1600×1000 chart that
//! scale with the canvas, so a chart drawn at another size keeps its
//! proportions.

use crate::model::company::Outcome;
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

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

/// The colour of the `i`-th criterion of a chart (the common palette, in
/// order).
pub fn criterion_color(i: usize) -> RGBColor {
    colors::SERIES[i % colors::SERIES.len()]
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
}
