//! Legends: rows of swatches and words, placed inside the plot when they
//! fit there, else in a band above it.

use super::DrawResult;
use super::theme::{Area, Dash, Theme, colors, text};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

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

impl Theme {
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

/// The legend in a band above `body`, its items packed into rows as wide
/// as the plots; returns the area left and where the legend goes.
pub fn legend_band<'a>(
    theme: &Theme,
    root: &Area,
    body: &Area<'a>,
    legend: &Legend,
) -> DrawResult<(Legend, Area<'a>, (i32, i32))> {
    let (bw, _) = body.dim_in_pixel();
    let (x0, y0) = body.get_base_pixel();
    let left = theme.y_label_area();
    let band = legend.reflow(theme, root, bw as i32 - left - theme.px(24.0))?;
    let (_, h) = band.size(theme, root)?;
    Ok((
        band,
        body.margin(h + theme.tx(14.0), 0, 0, 0),
        (x0 + left, y0),
    ))
}
