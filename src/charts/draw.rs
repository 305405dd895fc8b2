//! Drawing on a canvas: text measured, fitted, wrapped and shortened,
//! labels on a box, solid, dashed and dotted lines, and the geometry of
//! what was drawn (to keep later text off it).

use super::DrawResult;
use super::theme::{Area, Dash, Theme, colors};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

impl Theme {
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
pub fn ellipsize(
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
