//! The command line as clap parses it: flags as typed, before any of
//! them is resolved (see `resolve.rs`).

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use equisim::charts::ChartSize;
use equisim::command::dlom::Method;
use equisim::decisions::sensitivity::RankBy;
use equisim::engine;
use equisim::scenario::SolveFor;
use std::path::PathBuf;

pub const EXAMPLES: &str = "\
Examples:
  equisim run scenarios/hf-paris-ask.toml
  equisim run scenarios/hf-nyc-ask.toml --paths 200000 --seed 7
  equisim run scenarios/hf-paris-ask.toml --set employee.illiquidity.discount=0.4 --json
  equisim run scenarios/hf-paris-ask-uncertain.toml
  equisim check scenarios/minimal.toml
  equisim floor scenarios/hf-paris-ask.toml
  equisim sweep scenarios/hf-paris-ask.toml
  equisim sensitivity scenarios/hf-paris-ask.toml --paths 200000
  equisim dlom --method finnerty --volatility 0.6 --years 4";

/// What is a pre-IPO equity offer really worth against a public company's
/// offer? A Monte Carlo over the company's and the person's futures.
#[derive(Parser)]
#[command(name = "equisim", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The arguments of the process, or clap's own exit (help, version,
    /// a flag it rejects).
    pub fn parse_args() -> Cli {
        <Cli as Parser>::parse()
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Simulate a scenario and summarize both offers.
    #[command(after_help = "\
Examples:
  equisim run scenarios/hf-paris-ask.toml
  equisim run scenarios/hf-paris-ask.toml --paths 100000 --threads 1 --out runs/paris
  equisim run scenarios/minimal.toml --set company.volatility=0.8 --set offer.equity.grant=120000
  equisim run scenarios/minimal.toml --json > summary.json
  equisim run scenarios/hf-nyc-ask.toml --threshold 1000000 --threshold 1500000
  equisim run scenarios/hf-paris-ask.toml --paths 1000000000   # streamed, bounded memory
  equisim run scenarios/hf-paris-ask-uncertain.toml   # an ensemble over [[uncertainty]]

With [[uncertainty]] entries each block of 4,096 paths is simulated with one
draw of them (a Latin hypercube of simulation.uncertainty_draws, default
256): the figures pool the draws, and the run adds the share of draws in
which the offer wins on the mean, the band of the mean floor, which entry
explains the spread, ensemble.csv and floor_band.png.")]
    Run(RunArgs),
    /// Validate a scenario and print it with every default filled in.
    #[command(after_help = "\
Examples:
  equisim check scenarios/minimal.toml
  equisim check scenarios/minimal.toml --set 'employee.illiquidity={ method = \"finnerty\" }'")]
    Check(CheckArgs),
    /// The accept-at floor: the least grant (or base) at which the offer is
    /// worth as much as the alternative, per criterion.
    #[command(after_help = "\
Examples:
  equisim floor scenarios/hf-paris-ask.toml
  equisim floor scenarios/hf-paris-ask.toml --criteria mean,p25,beats40,ce --paths 200000
  equisim floor scenarios/hf-paris-ask.toml --solve-for base
  equisim floor scenarios/hf-paris-ask.toml --set employee.illiquidity.discount=0.4 --json

The floor is the smallest value at which the offer's criterion reaches the
alternative's on the same paths. Criteria: mean, median, ce (the certainty
equivalent), pNN (a percentile, NN from 1 to 99), beatsNN (the offer worth at
least the alternative on NN% of paths). Defaults come from the scenario's
[floor] table.")]
    Floor(FloorArgs),
    /// Sweep one scenario field over a range: decision outputs and floors at
    /// each value (sweep.csv, sweep.json).
    #[command(after_help = "\
Examples:
  equisim sweep scenarios/hf-paris-ask.toml
  equisim sweep scenarios/hf-paris-ask.toml --param employee.illiquidity.discount --from 0 --to 0.6
  equisim sweep scenarios/hf-paris-ask.toml --param company.volatility --from 0.3 --to 1 --steps 8
  equisim sweep scenarios/hf-nyc-ask.toml --param offer.equity.refresh.0.probability --from 0 --to 1

Every value uses the same seed (common random numbers), so the curve is
smooth. Risk aversion, outside wealth, a flat illiquidity discount and the
tax rate on pay (tax.pay) reuse one simulation; any other field is simulated
again at each value. Defaults
come from the scenario's [sweep] and [floor] tables.")]
    Sweep(SweepArgs),
    /// Which assumption decides the answer: each uncertain parameter at the
    /// two ends of its range, ranked (sensitivity.csv, sensitivity.json,
    /// tornado.png).
    #[command(after_help = "\
Examples:
  equisim sensitivity scenarios/hf-paris-ask.toml
  equisim sensitivity scenarios/hf-paris-ask.toml --param employee.attrition_per_year=0.05..0.25
  equisim sensitivity scenarios/us-series-b.toml --rank-by mean_difference --paths 200000
  equisim sensitivity scenarios/hf-paris-ask-uncertain.toml --beats-panel

Each parameter is set to its low and its high value, the others held at the
scenario's, with the same seed at every run. Without --param, a default list
is tried: the company's drift, volatility, exit rates and multiples, dilution
and rounds, the preference stack, attrition, the illiquidity discount and the
public stock's drift, over ranges around the scenario's values
(docs/calibration.md says where they come from). A scenario with
[[uncertainty]] entries tries each at the 10th and 90th percentiles of its
distribution instead, one at a time (`equisim run` draws them all at once).")]
    Sensitivity(SensitivityArgs),
    /// A discount for lack of marketability from a closed form.
    #[command(after_help = "\
Examples:
  equisim dlom --method finnerty --volatility 0.6 --years 4
  equisim dlom --method longstaff --volatility 0.3 --years 1
  equisim dlom --method chaffe --volatility 0.5 --years 2 --rate 0.04

finnerty: Finnerty's (2012) average-strike put; chaffe: Chaffe's (1993)
at-the-money Black-Scholes put; longstaff: Longstaff's (1995) lookback upper
bound, (2 + s^2 T/2) N(s sqrt(T)/2) + s sqrt(T/(2 pi)) exp(-s^2 T/8) - 1.")]
    Dlom(DlomArgs),
}

#[derive(Args)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Change one field: `dotted.path=value`, as in the file. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also report P(total >= AMOUNT) for both offers, beside the
    /// scenario's report.thresholds. Repeatable.
    #[arg(
        long = "threshold",
        value_name = "AMOUNT",
        allow_negative_numbers = true
    )]
    pub thresholds: Vec<f64>,
    /// Do not draw the charts (value.png, cdf.png, equity.png).
    #[arg(long)]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart_size: ChartSizeArg,
    /// Stream runs of more paths than this: every path is summarized and
    /// dropped, memory stays bounded, percentiles come from a quantile
    /// sketch (0 streams every run).
    #[arg(long, value_name = "N", default_value_t = engine::DEFAULT_STREAM_ABOVE)]
    pub stream_above: u64,
}

/// `--chart-size`, shared by every command that draws.
#[derive(Args)]
pub struct ChartSizeArg {
    /// Chart size in pixels, from 400x300 to 4000x4000.
    #[arg(long = "chart-size", value_name = "WxH", default_value_t = ChartSize::DEFAULT.to_string())]
    pub text: String,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// Simulation flags shared by `floor` and `sweep`.
#[derive(Args)]
pub struct SimArgs {
    /// Number of paths (overrides simulation.paths).
    #[arg(long, value_name = "N")]
    pub paths: Option<String>,
    /// Random seed (overrides simulation.seed).
    #[arg(long, value_name = "N")]
    pub seed: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--solve-for`: the library's own lever, with each value explained.
fn solve_for() -> impl TypedValueParser<Value = SolveFor> {
    PossibleValuesParser::new([
        PossibleValue::new("grant").help("The initial grant, holding the base"),
        PossibleValue::new("base").help("The base, holding the grant"),
    ])
    .map(|s| match s.as_str() {
        "base" => SolveFor::Base,
        _ => SolveFor::Grant,
    })
}

/// What a floor solves for, shared by `floor` and `sweep`.
#[derive(Args)]
pub struct FloorChoice {
    /// Solve for the grant (holding the base) or the base (holding the
    /// grant) [default: the scenario's floor.solve_for, else grant].
    #[arg(long, value_name = "LEVER", value_parser = solve_for())]
    pub solve_for: Option<SolveFor>,
    /// Criteria, comma-separated: mean, median, ce, pNN, beatsNN [default:
    /// the scenario's floor.criteria, else mean,beats50,ce].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub criteria: Option<Vec<String>>,
}

#[derive(Args)]
pub struct FloorArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub choice: FloorChoice,
    /// Print the floors as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Output folder for frontier.png [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Do not draw the chart (frontier.png); nothing is written then.
    #[arg(long)]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart_size: ChartSizeArg,
}

#[derive(Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub choice: FloorChoice,
    /// Dotted path of the numeric field to sweep [default: sweep.parameter].
    #[arg(long, value_name = "PATH")]
    pub param: Option<String>,
    /// First value [default: sweep.from].
    #[arg(long, value_name = "A", allow_negative_numbers = true)]
    pub from: Option<f64>,
    /// Last value [default: sweep.to].
    #[arg(long, value_name = "B", allow_negative_numbers = true)]
    pub to: Option<f64>,
    /// Number of values, from 2 to 1000 [default: sweep.steps, else 13].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=1000))]
    pub steps: Option<u64>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print sweep.json on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Do not draw the chart (floor_sweep.png).
    #[arg(long)]
    pub no_charts: bool,
    #[command(flatten)]
    pub chart_size: ChartSizeArg,
}

/// `--rank-by`: the figure the parameters are ranked by.
fn rank_by() -> impl TypedValueParser<Value = RankBy> {
    PossibleValuesParser::new([
        PossibleValue::new("floor").help("The swing of the first criterion's floor"),
        PossibleValue::new("mean_difference").help("The swing of the mean difference"),
    ])
    .map(|s| match s.as_str() {
        "mean_difference" => RankBy::MeanDifference,
        _ => RankBy::Floor,
    })
}

#[derive(Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub choice: FloorChoice,
    /// A parameter and its range, PATH=LO..HI (repeatable); replaces the
    /// default list.
    #[arg(long, value_name = "PATH=LO..HI")]
    pub param: Vec<String>,
    /// Rank by the swing of the first criterion's floor or of the mean
    /// difference [default: floor].
    #[arg(long, value_name = "FIGURE", value_parser = rank_by(), default_value = "floor")]
    pub rank_by: RankBy,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print sensitivity.json on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Do not draw the chart (tornado.png).
    #[arg(long)]
    pub no_charts: bool,
    /// Add a second panel to tornado.png: P(the offer is worth more) at
    /// each end.
    #[arg(long)]
    pub beats_panel: bool,
    #[command(flatten)]
    pub chart_size: ChartSizeArg,
}

/// `--method`: the library's closed forms, each explained.
fn method() -> impl TypedValueParser<Value = Method> {
    PossibleValuesParser::new([
        PossibleValue::new("finnerty").help("Finnerty (2012): average-strike put"),
        PossibleValue::new("chaffe").help("Chaffe (1993): at-the-money Black-Scholes put"),
        PossibleValue::new("longstaff").help("Longstaff (1995): lookback upper bound"),
    ])
    .map(|s| match s.as_str() {
        "chaffe" => Method::Chaffe,
        "longstaff" => Method::Longstaff,
        _ => Method::Finnerty,
    })
}

#[derive(Args)]
pub struct DlomArgs {
    /// The closed form.
    #[arg(long, value_parser = method())]
    pub method: Method,
    /// Annual volatility of the equity, 0 to 3 (0.6 = 60%).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub volatility: f64,
    /// Years until the holding can be sold, more than 0 and at most 100.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub years: f64,
    /// Risk-free rate, continuous, 0 to 0.5; used by chaffe [default: 0.0375].
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub rate: Option<f64>,
}
