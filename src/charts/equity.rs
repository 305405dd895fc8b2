//! `equity.png`: the private equity alone. On the left, the paths where
//! it gains nothing: a bar for "pays nothing" and, for options, a bar for
//! "pays less than it cost to exercise" (the equity's PV is negative there).
//! On the right, the paths where it is worth more than it cost, on a log
//! money axis, stacked by the company's outcome.
//!
//! The three groups split all paths: the bars and the histogram's bins are
//! all shares of every path. Paths that paid to exercise and then got
//! nothing count in "pays nothing" (so it matches the summary's
//! P(equity pays nothing)); the notes say how many paid to exercise.

use super::axis::FixedTicks;
use super::bins::{Grid, LOG_VIEW, view_name};
use super::draw::wrap;
use super::layout::Frame;
use super::legend::{FittedLegend, Legend, Swatch};
use super::theme::{Area, Dash, Theme, colors, outcome_color, outcome_label, text};
use super::value::percent_tick;
use super::{DrawResult, RunData};
use crate::format::{format_money, money_tick, percent_label};
use crate::model::company::Outcome;
use crate::scenario::Instrument;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// About this many bins across the view of gains.
const TARGET_BINS: usize = 60;

/// Stacking order, bottom to top; the legend lists them top to bottom.
const STACK: [Outcome; 4] = [
    Outcome::Failure,
    Outcome::Private,
    Outcome::Acquisition,
    Outcome::Ipo,
];

/// Paths counted by company outcome.
type ByOutcome = [u64; 4];

struct Groups {
    /// Proceeds exactly 0.
    nothing: ByOutcome,
    /// Of those, paths that had paid to exercise (equity PV < 0).
    nothing_after_cost: u64,
    /// Proceeds above 0 but not above the exercise cost.
    below_cost: ByOutcome,
    /// Equity PV above 0, by bin of log10(PV) and outcome.
    gains: Vec<ByOutcome>,
    /// Gains outside the view.
    gains_outside: u64,
}

fn groups(data: &RunData, grid: Option<Grid>) -> Groups {
    let mut g = Groups {
        nothing: [0; 4],
        nothing_after_cost: 0,
        below_cost: [0; 4],
        gains: vec![[0; 4]; grid.map_or(0, |g| g.bins)],
        gains_outside: 0,
    };
    for p in data.records {
        let o = p.outcome as usize;
        if p.equity_pays_zero {
            g.nothing[o] += 1;
            if p.offer_equity < 0.0 {
                g.nothing_after_cost += 1;
            }
        } else if p.offer_equity <= 0.0 {
            g.below_cost[o] += 1;
        } else if let Some(grid) = grid {
            match grid.place(p.offer_equity.log10()) {
                super::bins::Place::Bin(i) => g.gains[i][o] += 1,
                _ => g.gains_outside += 1,
            }
        }
    }
    g
}

pub(super) fn draw(root: &Area, theme: &Theme, data: &RunData) -> DrawResult {
    let cur = data.currency();
    let label = data.offer_label();
    let n = data.paths().max(1) as f64;
    let grid = data.gains.map(|gains| {
        let (lo, hi) = gains.view;
        let (lo, hi) = (lo.log10(), hi.log10());
        if hi - lo < 0.2 {
            let mid = 0.5 * (lo + hi);
            Grid::uniform(mid - 0.1, mid + 0.1, TARGET_BINS)
        } else {
            Grid::nice(lo, hi, TARGET_BINS)
        }
    });
    let g = groups(data, grid);
    let options = data.scenario.offer.equity.instrument == Instrument::Options;
    let share = |c: &ByOutcome| c.iter().sum::<u64>() as f64 / n;

    // RSUs cost nothing to exercise: the note says so only for options.
    let less_costs = if options { ", less exercise costs" } else { "" };
    let mut notes = vec![format!(
        "Present value of {label}'s equity: proceeds after the illiquidity discount{less_costs}, \
         discounted to today. Every bar is a share of all paths."
    )];
    notes.push(if options {
        format!(
            "Pays nothing: the company failed, the person left before the cliff, the options were under water \
             or common stock got nothing under the preference stack; on {} of paths the person had also paid \
             to exercise. Less than its cost: proceeds below the exercise price paid on leaving.",
            percent_label(g.nothing_after_cost as f64 / n)
        )
    } else {
        "Pays nothing: the company failed, the person left before the cliff, or common stock got nothing \
         under the preference stack."
            .to_string()
    });
    let out = &data.outputs;
    if let Some(e) = &out.offer.exercise_on_leaving {
        let paid = e
            .mean_cash_paid
            .map(|c| {
                format!(
                    ", {} each on average (PV)",
                    format_money(c, data.currency())
                )
            })
            .unwrap_or_default();
        notes.push(format!(
            "Of the leavers whose exercise window closed before the exit, {} paid the strike{paid}; the others \
             let their options lapse.",
            percent_label(e.p_leavers_exercised)
        ));
    }
    if let Some(t) = &out.company.tenders {
        notes.push(format!(
            "Tender offers: a sale on {} of paths, mean proceeds {} a path (PV, included above; cash on the \
             day, not cut by the illiquidity discount).",
            percent_label(t.p_sold_in_tender),
            format_money(t.mean_tender_proceeds, data.currency())
        ));
    }
    if let Some(grid) = grid {
        notes.push(format!(
            "Right: bins of equal width on the log scale (each spans ×{:.2}); view clipped to {} of the paths \
             where it {}: {} of all paths lie outside and are not drawn.",
            10f64.powf(grid.width),
            view_name(LOG_VIEW),
            if options { "gains" } else { "pays" },
            percent_label(g.gains_outside as f64 / n)
        ));
    }
    let frame = Frame {
        title: data.scenario.name.clone(),
        subtitle: data.subtitle(&format!(
            "{label}'s equity alone over {}, by company outcome",
            data.window()
        )),
        notes,
    };
    let body = theme.frame(root, &frame)?;

    // The legend names the outcomes' colours for both panels.
    let median = data.gains.map(|g| g.median);
    let mut legend = Legend::default();
    for o in STACK.into_iter().rev() {
        let s = data.outcome_share(o);
        if s > 0.0 {
            legend = legend.row(
                Swatch::Fill {
                    color: outcome_color(o),
                    alpha: 1.0,
                    outlined: false,
                },
                format!("{}: {} of paths", outcome_label(o), percent_label(s)),
            );
        }
    }
    if let Some(median) = median {
        legend = legend.row(
            Swatch::Line {
                color: colors::INK,
                dash: Dash::Dashed,
            },
            if options {
                format!("Median gain: {}", format_money(median, cur))
            } else {
                format!("Median when it pays: {}", format_money(median, cur))
            },
        );
    }
    // The left panel takes 30% of the width, more on a small canvas.
    let split = |body: &Area<'_>| {
        let bw = body.dim_in_pixel().0 as f64;
        (bw * (theme.tx(380.0) as f64 / bw).clamp(0.3, 0.42)).round() as i32
    };
    let (_, probe) = body.split_horizontally(split(&body));
    let FittedLegend { legend, body, band } = theme.fit_legend(root, &body, &probe, legend)?;
    let (left, right) = body.split_horizontally(split(&body));
    let left = left.margin(0, 0, 0, theme.px(36.0));

    // Left: no gain.
    let mut bars = vec![(["Pays nothing", "Nothing"], g.nothing)];
    if options || share(&g.below_cost) > 0.0 {
        bars.push((["Less than its cost", "Below cost"], g.below_cost));
    }
    let no_gain = bars.iter().map(|b| share(&b.1)).sum::<f64>();
    let left_caption = if options {
        format!("No gain: {} of paths", percent_label(no_gain))
    } else {
        format!("Pays nothing: {} of paths", percent_label(no_gain))
    };
    let left = caption(theme, root, &left, &left_caption)?;
    let tallest = bars.iter().map(|b| share(&b.1)).fold(0.0, f64::max) * 100.0;
    let y_max = (tallest * 1.18).max(1.0);
    // One slot per bar; a lone bar gets a wider slot so it is not a block.
    let k = bars.len() as f64;
    let (x_lo, x_hi) = if bars.len() == 1 {
        (-0.4, 1.4)
    } else {
        (0.0, k)
    };
    let centers: Vec<f64> = (0..bars.len()).map(|i| i as f64 + 0.5).collect();
    let mut chart = theme
        .chart(&left)
        .build_cartesian_2d(FixedTicks::new(x_lo..x_hi, centers), 0.0..y_max)?;
    // The bars' names are drawn below, wrapped to their slot.
    let x_fmt = |_: &f64| String::new();
    let y_fmt = |v: &f64| percent_tick(*v, y_max);
    {
        let mut mesh = chart.configure_mesh();
        theme.style_mesh(&mut mesh);
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .y_labels(6)
            .y_desc("Share of all paths");
        mesh.draw()?;
    }
    let name_style = theme.font(text::TICK, colors::INK);
    // The long names when each fits its slot on one line, else the short.
    let (s0, _) = chart.backend_coord(&(0.0, 0.0));
    let (s1, _) = chart.backend_coord(&(1.0, 0.0));
    let mut short_names = false;
    for (names, _) in &bars {
        short_names |= theme.measure(root, names[0], &name_style)?.0 > s1 - s0 - theme.tx(6.0);
    }
    let value_style = theme.font(text::LABEL, colors::INK);
    for (i, (names, counts)) in bars.iter().enumerate() {
        let (x0, x1) = (i as f64 + 0.18, i as f64 + 0.82);
        let mut y = 0.0;
        for o in STACK {
            let h = counts[o as usize] as f64 / n * 100.0;
            if h > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y), (x1, y + h)],
                    outcome_color(o).filled(),
                )))?;
            }
            y += h;
        }
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, y));
        theme.text(
            root,
            &percent_label(y / 100.0),
            &value_style,
            (px, py - theme.tx(8.0)),
            (HPos::Center, VPos::Bottom),
        )?;
        let (slot0, axis) = chart.backend_coord(&(i as f64, 0.0));
        let (slot1, _) = chart.backend_coord(&(i as f64 + 1.0, 0.0));
        let line_h = theme.tx(text::TICK * 1.3);
        let slot = slot1 - slot0 - theme.tx(6.0);
        let lines = wrap(theme, root, names[short_names as usize], &name_style, slot)?;
        for (l, line) in lines.iter().enumerate() {
            theme.text(
                root,
                line,
                &name_style,
                (px, axis + theme.tx(12.0) + l as i32 * line_h),
                (HPos::Center, VPos::Top),
            )?;
        }
    }

    // Right: gains on a log axis.
    let gain_share = 1.0 - no_gain;
    let right = caption(
        theme,
        root,
        &right,
        &if options {
            format!(
                "Worth more than it cost: {} of paths",
                percent_label(gain_share)
            )
        } else {
            format!("Pays something: {} of paths", percent_label(gain_share))
        },
    )?;
    let pad = theme.tx(14.0);
    let (lw, lh) = legend.size(theme, root)?;
    let (Some(grid), Some(median)) = (grid, median) else {
        let (w, h) = right.dim_in_pixel();
        let (x0, y0) = right.get_base_pixel();
        theme.text(
            root,
            &if options {
                format!("{label}'s equity is never worth more than it cost in this scenario")
            } else {
                format!("{label}'s equity never pays in this scenario")
            },
            &theme.font(text::LEGEND, colors::MUTED),
            (x0 + w as i32 / 2, y0 + h as i32 / 2),
            (HPos::Center, VPos::Center),
        )?;
        let at = band.unwrap_or((x0 + w as i32 - lw - pad, y0 + pad));
        return legend.draw(theme, root, at);
    };

    let legend_room = if band.is_some() { 0 } else { lh + 2 * pad };
    let (plot_w, plot_h) = theme.plot_size(&right);
    let tallest = g
        .gains
        .iter()
        .map(|c| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0) as f64
        / n
        * 100.0;
    let reserved = (legend_room as f64 / plot_h.max(1) as f64).min(0.6);
    let y_max = (tallest * 1.02 / (1.0 - reserved)).max(1e-6);
    let max_ticks = (plot_w / theme.tx(90.0)).clamp(3, 9) as usize;
    let ticks = log_ticks(grid.lo, grid.hi(), max_ticks);
    // A tick can fall at the axis' very end: room for half its label.
    let last_label = ticks
        .last()
        .map(|t| money_tick(10f64.powf(*t), cur))
        .unwrap_or_default();
    let half = theme
        .measure(root, &last_label, &theme.font(text::TICK, colors::INK))?
        .0
        / 2;
    let mut chart = theme
        .chart(&right)
        .margin_right(theme.px(24.0).max(half + theme.px(6.0)))
        .build_cartesian_2d(FixedTicks::new(grid.lo..grid.hi(), ticks), 0.0..y_max)?;
    let x_fmt = |v: &f64| money_tick(10f64.powf(*v), cur);
    let y_fmt = |v: &f64| percent_tick(*v, y_max);
    let long_desc = if options {
        format!("Equity PV less exercise costs, when positive ({cur}, log scale)")
    } else {
        format!("Equity PV when it pays ({cur}, log scale)")
    };
    let short_desc = format!("Equity PV ({cur}, log scale)");
    let desc_style = theme.font(text::AXIS, colors::INK);
    let x_desc = theme.fit(root, &[&long_desc, &short_desc], &desc_style, plot_w)?;
    let y_desc = theme.fit(
        root,
        &["Share of all paths per bin", "Share per bin"],
        &desc_style,
        plot_h,
    )?;
    {
        let mut mesh = chart.configure_mesh();
        theme.style_mesh(&mut mesh);
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .y_labels(6)
            .x_desc(x_desc)
            .y_desc(y_desc);
        mesh.draw()?;
    }
    for (i, counts) in g.gains.iter().enumerate() {
        let (x0, x1) = (grid.edge(i), grid.edge(i + 1));
        let mut y = 0.0;
        for o in STACK {
            let h = counts[o as usize] as f64 / n * 100.0;
            if h > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y), (x1, y + h)],
                    outcome_color(o).filled(),
                )))?;
            }
            y += h;
        }
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let lm = median.log10();
    if (grid.lo..=grid.hi()).contains(&lm) {
        let (x, bottom) = chart.backend_coord(&(lm, 0.0));
        theme.line(
            root,
            (x, bottom),
            (x, yr.start + legend_room),
            colors::INK.into(),
            2.5,
            Dash::Dashed,
        )?;
    }
    legend.draw(
        theme,
        root,
        band.unwrap_or((xr.end - lw - pad, yr.start + pad)),
    )
}

/// Writes a panel's caption at the top of `area` and returns the rest.
fn caption<'a>(theme: &Theme, root: &Area, area: &Area<'a>, caption: &str) -> DrawResult<Area<'a>> {
    let style = theme.font(text::LABEL + 1.0, colors::INK);
    let (x0, y0) = area.get_base_pixel();
    theme.text(
        root,
        caption,
        &style,
        (x0 + theme.y_label_area(), y0),
        (HPos::Left, VPos::Top),
    )?;
    Ok(area.margin(theme.tx(36.0), 0, 0, 0))
}

/// Tick positions (log10 of money) for a log axis over `[lo, hi]`: 1-2-5
/// steps when they give few enough ticks, else 1-3, else powers of ten.
fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    for mantissas in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0], &[1.0]] {
        let ticks = ticks_with(lo, hi, mantissas, 1);
        if ticks.len() <= max {
            if ticks.len() >= 3 {
                return ticks;
            }
            return finer(lo, hi, ticks, max);
        }
    }
    let mut step = 2;
    loop {
        let ticks = ticks_with(lo, hi, &[1.0], step);
        if ticks.len() <= max || ticks.len() <= 2 {
            return ticks;
        }
        step += 1;
    }
}

/// For a narrow range: 1-2-5 ticks, then every 0.1 decade as needed.
fn finer(lo: f64, hi: f64, ticks: Vec<f64>, max: usize) -> Vec<f64> {
    let dense = ticks_with(lo, hi, &[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0], 1);
    if dense.len() > ticks.len() && dense.len() <= max {
        dense
    } else {
        ticks
    }
}

fn ticks_with(lo: f64, hi: f64, mantissas: &[f64], decade_step: i32) -> Vec<f64> {
    let mut ticks = Vec::new();
    let first = lo.floor() as i32;
    let last = hi.ceil() as i32;
    let mut d = first - first.rem_euclid(decade_step);
    while d <= last {
        for m in mantissas {
            let t = d as f64 + m.log10();
            if t >= lo - 1e-9 && t <= hi + 1e-9 {
                ticks.push(t);
            }
        }
        d += decade_step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_tick_choices() {
        // 1K to 1M: 1-2-5 would give 10 ticks; 1-3 gives 7.
        let t = log_ticks(3.0, 6.0, 9);
        let money: Vec<f64> = t.iter().map(|v| 10f64.powf(*v).round()).collect();
        assert_eq!(money, vec![1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6]);
        // A narrow range still has a few ticks.
        assert!(log_ticks(4.1, 4.6, 9).len() >= 3);
        // A huge range steps over decades.
        assert!(log_ticks(0.0, 20.0, 9).len() <= 9);
        // A narrow plot gets fewer ticks.
        assert!(log_ticks(2.0, 6.2, 4).len() <= 4);
    }
}
