//! Charts of a run as PNG files: both offers' value distributions
//! (`value.png`), their cumulative distributions (`cdf.png`) and the
//! private equity alone (`equity.png`); and the decision charts: the floor
//! per criterion against a swept parameter (`floor_sweep.png`, drawn by
//! `sweep`) and the base/grant indifference frontier (`frontier.png`,
//! drawn by `floor`), built from [`panel`]s.
//!
//! Every chart shares one look ([`theme`]) and is put together from the
//! same pieces: [`draw`] (text and lines), [`legend`], [`layout`] (title
//! block, notes, captions, gutters), [`axis`] and [`panel`]. One palette, one font embedded
//! in the binary (DejaVu Sans, registered with plotters' `ab_glyph`
//! renderer, so text renders the same on a machine with no fonts), the
//! same margins, a title with the scenario's name and a subtitle with the
//! paths and seed. Charts are drawn from binned data ([`bins`]), never
//! path by path, with the view clipped at a percentile range (P1–P99 of the
//! totals, P0.5–P99.5 on a log axis) and a note saying so.
//!
//! A chart is drawn into memory at twice its size, scaled down (smooth
//! lines and text), encoded as PNG and written whole or not at all.
//!
//! A further chart follows the same steps:
//!
//! ```text
//! charts::write_chart(&dir.join("floor.png"), size, |root, theme| {
//!     let body = theme.frame(root, &Frame { title, subtitle, notes })?;
//!     let mut chart = theme.chart(&body).build_cartesian_2d(x_range, y_range)?;
//!     let mut mesh = chart.configure_mesh();
//!     theme.style_mesh(&mut mesh);
//!     mesh.x_label_formatter(&|v| money_tick(*v, currency)).draw()?;
//!     // series in colors::SERIES, then a Legend placed with theme.fit_legend
//!     Ok(())
//! })?;
//! ```

// The pieces every chart is made of, by concept.
pub mod axis;
pub mod bins;
pub mod draw;
pub mod layout;
pub mod legend;
pub mod panel;
pub mod theme;

// One file a chart.
mod cdf;
mod equity;
mod floor_band;
mod floor_sweep;
mod frontier;
mod tornado;
mod value;

use crate::decisions::{Frontier, SweepResult};
use crate::engine::{PathRecord, Simulation};
use crate::error::{Error, FileAction};
use crate::fs::write_atomic;
use crate::model::company::Outcome;
use crate::scenario::Scenario;
use crate::stats::{Outputs, Totals};
use plotters::prelude::*;
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;
pub use theme::{Area, Theme};

/// What a drawing step can fail with.
pub type DrawResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// The files [`draw_run`] writes, in order.
pub const RUN_CHARTS: [&str; 3] = ["value.png", "cdf.png", "equity.png"];

/// Paths a streamed run draws its charts' bars from: its first ones.
pub const CHART_SAMPLE_PATHS: u64 = 1_000_000;

/// The file [`render_ensemble`] draws.
pub const FLOOR_BAND_CHART: &str = "floor_band.png";

/// The file [`draw_floor_sweep`] writes.
pub const FLOOR_SWEEP_CHART: &str = "floor_sweep.png";

/// The file [`draw_frontier`] writes.
pub const FRONTIER_CHART: &str = "frontier.png";

/// The chart `equisim sensitivity` draws.
pub const TORNADO_CHART: &str = "tornado.png";

/// Bases on the grid of `frontier.png` (see
/// [`frontier_bases_covering`](crate::decisions::frontier_bases_covering)).
pub const FRONTIER_BASES: u64 = 25;

pub use theme::criterion_color;

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font under [`theme::FONT`], once per process.
fn register_font() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        plotters::style::register_font(theme::FONT, FontStyle::Normal, FONT_BYTES).is_ok()
    })
}

/// A chart's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl ChartSize {
    pub const DEFAULT: ChartSize = ChartSize {
        width: 1600,
        height: 1000,
    };
    pub const MIN: ChartSize = ChartSize {
        width: 400,
        height: 300,
    };
    pub const MAX: ChartSize = ChartSize {
        width: 4000,
        height: 4000,
    };

    /// A size within [`ChartSize::MIN`] ..= [`ChartSize::MAX`].
    ///
    /// # Errors
    ///
    /// [`ChartSizeError::OutOfRange`] outside those bounds.
    pub fn new(width: u32, height: u32) -> Result<ChartSize, ChartSizeError> {
        let (min, max) = (ChartSize::MIN, ChartSize::MAX);
        if !(min.width..=max.width).contains(&width) || !(min.height..=max.height).contains(&height)
        {
            return Err(ChartSizeError::OutOfRange { width, height });
        }
        Ok(ChartSize { width, height })
    }

    /// Parses `WIDTHxHEIGHT` (`1600x1000`).
    ///
    /// # Errors
    ///
    /// [`ChartSizeError::NotWidthByHeight`] when the text is not two whole
    /// numbers around an `x`; [`ChartSizeError::OutOfRange`] as [`ChartSize::new`].
    pub fn parse(text: &str) -> Result<ChartSize, ChartSizeError> {
        let parsed = text
            .trim()
            .split_once(['x', 'X'])
            .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
        let Some((width, height)) = parsed else {
            return Err(ChartSizeError::NotWidthByHeight);
        };
        ChartSize::new(width, height)
    }

    fn pixels(self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// Why a chart size is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartSizeError {
    /// The text is not `WIDTHxHEIGHT`.
    NotWidthByHeight,
    /// The width or the height is outside what a chart allows.
    OutOfRange { width: u32, height: u32 },
}

impl fmt::Display for ChartSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (min, max) = (ChartSize::MIN, ChartSize::MAX);
        match self {
            ChartSizeError::NotWidthByHeight => write!(
                f,
                "expected WIDTHxHEIGHT in pixels, for example {}",
                ChartSize::DEFAULT
            ),
            ChartSizeError::OutOfRange { .. } => write!(
                f,
                "the width must be {} to {} pixels and the height {} to {}, for example {}",
                min.width,
                max.width,
                min.height,
                max.height,
                ChartSize::DEFAULT
            ),
        }
    }
}

impl std::error::Error for ChartSizeError {}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize::DEFAULT
    }
}

impl fmt::Display for ChartSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for ChartSize {
    type Err = ChartSizeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChartSize::parse(s)
    }
}

/// What the run's charts are drawn from: the scenario, the summaries, the
/// paths, both offers' totals, and the few percentiles the views need,
/// computed once for all three charts (by selection, not by sorting).
pub struct RunData<'a> {
    pub scenario: &'a Scenario,
    pub outputs: &'a Outputs,
    pub records: &'a [PathRecord],
    /// The view of the totals: [`bins::TOTAL_VIEW`] of both offers.
    pub total_view: (f64, f64),
    /// On the paths where the private equity is worth more than it cost:
    /// the [`bins::LOG_VIEW`] range and the median of its PV; `None` when
    /// there are none.
    pub gains: Option<Gains>,
    /// Each offer's total on every path, in the order the view's selection
    /// left them: the charts only count them into bins. Kept because each
    /// total costs a few exponentials, and two charts count both.
    offer_totals: Vec<f64>,
    alternative_totals: Vec<f64>,
}

/// The private equity's PV where it is worth more than it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gains {
    pub view: (f64, f64),
    pub median: f64,
}

impl<'a> RunData<'a> {
    pub fn new(scenario: &'a Scenario, sim: &'a Simulation, outputs: &'a Outputs) -> RunData<'a> {
        let records = &sim.records[..];
        // The gains' values first, so that their buffer is gone before the
        // totals are held.
        let gains = {
            let mut gains: Vec<f64> = records
                .par_iter()
                .filter(|p| !p.equity_pays_zero && p.offer_equity > 0.0)
                .map(|p| p.offer_equity)
                .collect();
            (!gains.is_empty()).then(|| {
                let (lo, hi) = bins::LOG_VIEW;
                let q = bins::quantiles(&mut gains, &[lo, 0.5, hi]);
                Gains {
                    view: (q[0], q[2]),
                    median: q[1],
                }
            })
        };
        // Each offer's totals and their view at once; a selection's order
        // statistics do not depend on the order it is given the values in.
        let totals = Totals::new(&sim.plan.model);
        let of_offer = |total: fn(&Totals, &PathRecord) -> f64| {
            let mut values: Vec<f64> = records.par_iter().map(|p| total(&totals, p)).collect();
            let range = bins::range_of(&mut values, bins::TOTAL_VIEW);
            (values, range)
        };
        let ((offer_totals, offer_range), (alternative_totals, alternative_range)) =
            rayon::join(|| of_offer(Totals::offer), || of_offer(Totals::alternative));
        RunData {
            scenario,
            outputs,
            records,
            total_view: bins::view(&[offer_range, alternative_range]),
            gains,
            offer_totals,
            alternative_totals,
        }
    }

    /// The private offer's total PV on each path, in no particular order.
    pub fn offer_total(&self) -> impl Iterator<Item = f64> + '_ {
        self.offer_totals.iter().copied()
    }

    /// The alternative's total PV on each path, in no particular order.
    pub fn alternative_total(&self) -> impl Iterator<Item = f64> + '_ {
        self.alternative_totals.iter().copied()
    }

    pub fn paths(&self) -> u64 {
        self.records.len() as u64
    }

    pub fn currency(&self) -> &str {
        &self.scenario.currency
    }

    pub fn offer_label(&self) -> &str {
        &self.scenario.offer.label
    }

    pub fn alternative_label(&self) -> &str {
        &self.scenario.alternative.label
    }

    /// `"4 years"`, `"1 year"`, `"2.5 years"`: the comparison window.
    pub fn window(&self) -> String {
        years(self.scenario.simulation.window_years)
    }

    /// A subtitle: what the chart shows (after tax, when taxed), then the
    /// paths and the seed. A
    /// streamed run draws its bars from its first paths only, and says so.
    pub fn subtitle(&self, what: &str) -> String {
        let paths = self.paths();
        let run = self.scenario.simulation.paths;
        let counted = if paths < run {
            format!(
                "bars from the first {} of {} paths",
                crate::format::format_count(paths),
                crate::format::format_count(run)
            )
        } else {
            format!(
                "{} path{}",
                crate::format::format_count(paths),
                if paths == 1 { "" } else { "s" }
            )
        };
        format!(
            "{what}{} · {counted} · seed {}",
            after_tax(self.scenario),
            self.scenario.simulation.seed
        )
    }

    /// The share of paths with each company outcome.
    pub fn outcome_share(&self, outcome: Outcome) -> f64 {
        let o = &self.outputs.company.outcomes;
        match outcome {
            Outcome::Ipo => o.ipo,
            Outcome::Acquisition => o.acquisition,
            Outcome::Failure => o.failure,
            Outcome::Private => o.private,
        }
    }
}

pub use crate::format::years;

/// Draws `value.png`, `cdf.png` and `equity.png` into `dir` and returns
/// their paths. Every chart is rendered before any is written.
pub fn draw_run(
    dir: &Path,
    scenario: &Scenario,
    sim: &Simulation,
    outputs: &Outputs,
    size: ChartSize,
) -> Result<Vec<PathBuf>, Error> {
    write_rendered(render_run(dir, scenario, sim, outputs, size)?)
}

/// Charts rendered to PNG bytes, each with the path it is to be written to.
pub type Rendered = Vec<(PathBuf, Vec<u8>)>;

/// Renders the charts [`draw_run`] draws, without writing them (so that
/// the paths can be dropped before the files are written).
pub fn render_run(
    dir: &Path,
    scenario: &Scenario,
    sim: &Simulation,
    outputs: &Outputs,
    size: ChartSize,
) -> Result<Rendered, Error> {
    let size = ChartSize::new(size.width, size.height).map_err(Error::ChartSize)?;
    let data = RunData::new(scenario, sim, outputs);
    type Draw = fn(&Area, &Theme, &RunData) -> DrawResult;
    let charts: [(&str, Draw); 3] = [
        (RUN_CHARTS[0], value::draw),
        (RUN_CHARTS[1], cdf::draw),
        (RUN_CHARTS[2], equity::draw),
    ];
    charts
        .par_iter()
        .map(|(name, draw)| {
            let path = dir.join(name);
            render_png(size, |root, theme| draw(root, theme, &data))
                .map(|png| (path.clone(), png))
                .map_err(|e| draw_error(&path, e))
        })
        .collect()
}

/// Renders `floor_band.png` for an ensemble run (nothing without one):
/// the mean floor in each parameter draw, without writing it.
pub fn render_ensemble(
    dir: &Path,
    scenario: &Scenario,
    ensemble: Option<&crate::decisions::EnsembleOutputs>,
    size: ChartSize,
) -> Result<Rendered, Error> {
    let Some(e) = ensemble else {
        return Ok(Vec::new());
    };
    let size = ChartSize::new(size.width, size.height).map_err(Error::ChartSize)?;
    let path = dir.join(FLOOR_BAND_CHART);
    let png = render_png(size, |root, theme| {
        floor_band::draw(root, theme, e, scenario)
    })
    .map_err(|e| draw_error(&path, e))?;
    Ok(vec![(path, png)])
}

/// Writes rendered charts, each whole or not at all; returns their paths.
pub fn write_rendered(rendered: Rendered) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::with_capacity(rendered.len());
    for (path, png) in rendered {
        write_atomic(&path, &png)?;
        written.push(path);
    }
    Ok(written)
}

/// Draws `floor_sweep.png` into `dir`: the floor per criterion against the
/// swept parameter, with the offer's own grant (or base) as a reference
/// line, and for the criteria no grant reaches, the base floor beside it.
/// `scenario` is the scenario as loaded (its value of the parameter is
/// marked).
pub fn draw_floor_sweep(
    dir: &Path,
    scenario: &Scenario,
    result: &SweepResult,
    size: ChartSize,
) -> Result<PathBuf, Error> {
    let size = ChartSize::new(size.width, size.height).map_err(Error::ChartSize)?;
    let path = dir.join(FLOOR_SWEEP_CHART);
    write_chart(&path, size, |root, theme| {
        floor_sweep::draw(root, theme, result, scenario)
    })?;
    Ok(path)
}

/// Draws `tornado.png` into `dir`: each parameter's answer at both ends of
/// its range, sorted by swing.
pub fn draw_tornado(
    dir: &Path,
    scenario: &Scenario,
    result: &crate::decisions::sensitivity::SensitivityResult,
    size: ChartSize,
    beats_panel: bool,
) -> Result<PathBuf, Error> {
    let size = ChartSize::new(size.width, size.height).map_err(Error::ChartSize)?;
    let path = dir.join(TORNADO_CHART);
    write_chart(&path, size, |root, theme| {
        tornado::draw(root, theme, result, scenario, beats_panel)
    })?;
    Ok(path)
}

/// Draws `frontier.png` into `dir`: for each base of the frontier's grid,
/// the grant floor per criterion, with the offer's own base and grant
/// marked.
pub fn draw_frontier(
    dir: &Path,
    scenario: &Scenario,
    frontier: &Frontier,
    size: ChartSize,
) -> Result<PathBuf, Error> {
    let size = ChartSize::new(size.width, size.height).map_err(Error::ChartSize)?;
    let path = dir.join(FRONTIER_CHART);
    write_chart(&path, size, |root, theme| {
        frontier::draw(root, theme, frontier, scenario)
    })?;
    Ok(path)
}

/// Renders a chart and writes it to `path` whole or not at all: the
/// building block for charts beyond a run's three.
pub fn write_chart(
    path: &Path,
    size: ChartSize,
    draw: impl Fn(&Area, &Theme) -> DrawResult,
) -> Result<(), Error> {
    let png = render_png(size, draw).map_err(|e| draw_error(path, e))?;
    write_atomic(path, &png)
}

fn draw_error(path: &Path, e: Box<dyn std::error::Error>) -> Error {
    Error::Io {
        action: FileAction::Draw,
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Canvases up to this many pixels are drawn at twice the size and scaled
/// down, which smooths lines; larger ones are drawn at their size.
const MAX_SUPERSAMPLED_PIXELS: u64 = 16_000_000;

/// Draws a chart into memory and returns it encoded as PNG.
pub fn render_png(
    size: ChartSize,
    draw: impl Fn(&Area, &Theme) -> DrawResult,
) -> DrawResult<Vec<u8>> {
    if !register_font() {
        return Err("the embedded font could not be loaded".into());
    }
    let factor: u32 = if 4 * size.width as u64 * size.height as u64 <= MAX_SUPERSAMPLED_PIXELS {
        2
    } else {
        1
    };
    let (w, h) = (size.width * factor, size.height * factor);
    let mut buffer = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
        let theme = Theme::new((w, h), factor);
        draw(&root, &theme)?;
        root.present()?;
    }
    let rgb = if factor == 1 {
        buffer
    } else {
        downsample(&buffer, (w, h))
    };
    encode_png(&rgb, size.pixels())
}

/// Halves an RGB image: each output pixel averages a 2 × 2 block.
fn downsample(rgb: &[u8], (w, h): (u32, u32)) -> Vec<u8> {
    let (w, ow, oh) = (w as usize, w as usize / 2, h as usize / 2);
    let mut out = vec![0u8; ow * oh * 3];
    out.par_chunks_mut(ow * 3)
        .enumerate()
        .for_each(|(oy, out_row)| {
            let top = &rgb[2 * oy * w * 3..][..ow * 6];
            let bottom = &rgb[(2 * oy + 1) * w * 3..][..ow * 6];
            for ((o, a), b) in out_row
                .chunks_exact_mut(3)
                .zip(top.chunks_exact(6))
                .zip(bottom.chunks_exact(6))
            {
                for c in 0..3 {
                    let sum = a[c] as u16 + a[c + 3] as u16 + b[c] as u16 + b[c + 3] as u16;
                    o[c] = ((sum + 2) / 4) as u8;
                }
            }
        });
    out
}

fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> DrawResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Default);
    encoder.set_filter(png::FilterType::Paeth);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// `", after tax"` for a scenario with a `[tax]` table (and its preset),
/// nothing otherwise: every chart of such a run says so in its subtitle.
pub(crate) fn after_tax(scenario: &crate::scenario::Scenario) -> String {
    match &scenario.tax {
        Some(t) if t.preset == crate::scenario::TaxPreset::None => ", after tax".into(),
        Some(t) => format!(", after tax ({})", t.preset.name()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(ChartSize::parse("1600x1000"), Ok(ChartSize::DEFAULT));
        assert_eq!(
            ChartSize::parse(" 800X600 "),
            Ok(ChartSize {
                width: 800,
                height: 600
            })
        );
        assert!(ChartSize::parse("400x300").is_ok());
        assert!(ChartSize::parse("4000x4000").is_ok());
        let small = ChartSize::parse("399x300").unwrap_err();
        assert_eq!(
            small,
            ChartSizeError::OutOfRange {
                width: 399,
                height: 300
            }
        );
        assert!(small.to_string().contains("400 to 4000"), "{small}");
        let bad = ChartSize::parse("big").unwrap_err();
        assert_eq!(bad, ChartSizeError::NotWidthByHeight);
        assert!(bad.to_string().contains("WIDTHxHEIGHT"), "{bad}");
        assert!(ChartSize::parse("1600x").is_err());
        assert!(ChartSize::parse("-1x300").is_err());
    }

    #[test]
    fn years_read_naturally() {
        assert_eq!(years(4.0), "4 years");
        assert_eq!(years(1.0), "1 year");
        assert_eq!(years(2.5), "2.5 years");
    }

    #[test]
    fn downsampling_averages_blocks() {
        let rgb = [0, 0, 0, 255, 255, 255, 10, 20, 30, 10, 20, 30];
        // 2×2 image: two black/white pixels on top, two grey below.
        assert_eq!(downsample(&rgb, (2, 2)), vec![69, 74, 79]);
    }
}
