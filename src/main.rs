//! The `equisim` command line: parses arguments, calls the library, prints.

use clap::{Args, Parser, Subcommand};
use equisim::charts::{self, ChartSize};
use equisim::engine::{self, RunOptions};
use equisim::error::Error;
use equisim::report::{self, RunReport};
use equisim::run::{RunResult, RunSettings, Streamed};
use equisim::scenario::{self, Loaded, Override};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use equisim::decisions::{self, SweepRequest};
use equisim::model::illiquidity;
use equisim::scenario::{Criterion, Scenario, SolveFor};

const EXAMPLES: &str = "\
Examples:
  equisim run scenarios/hf-paris-ask.toml
  equisim run scenarios/hf-nyc-ask.toml --paths 200000 --seed 7
  equisim run scenarios/hf-paris-ask.toml --set employee.illiquidity.discount=0.4 --json
  equisim check scenarios/minimal.toml
  equisim floor scenarios/hf-paris-ask.toml
  equisim sweep scenarios/hf-paris-ask.toml
  equisim dlom --method finnerty --volatility 0.6 --years 4";

/// What is a pre-IPO equity offer really worth against a public company's
/// offer? A Monte Carlo over the company's and the person's futures.
#[derive(Parser)]
#[command(name = "equisim", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and summarize both offers.
    #[command(after_help = "\
Examples:
  equisim run scenarios/hf-paris-ask.toml
  equisim run scenarios/hf-paris-ask.toml --paths 100000 --threads 1 --out runs/paris
  equisim run scenarios/hf-paris-ask.toml --set company.volatility=0.8 --set offer.equity.grant=120000
  equisim run scenarios/minimal.toml --json > summary.json
  equisim run scenarios/hf-paris-ask.toml --paths 1000000000   # streamed, bounded memory")]
    Run(RunArgs),
    /// Validate a scenario and print it with every default filled in.
    #[command(after_help = "\
Examples:
  equisim check scenarios/minimal.toml
  equisim check scenarios/hf-paris-ask.toml --set employee.illiquidity.method=finnerty")]
    Check(CheckArgs),
    /// The accept-at floor: the least grant (or base) at which the offer is
    /// worth as much as the alternative, per criterion.
    #[command(after_help = "\
Examples:
  equisim floor scenarios/hf-paris-ask.toml
  equisim floor scenarios/hf-paris-ask.toml --criteria mean,p25,ce --paths 200000
  equisim floor scenarios/hf-paris-ask.toml --solve-for base
  equisim floor scenarios/hf-paris-ask.toml --set employee.illiquidity.discount=0.4 --json

The floor is the smallest value at which the offer's criterion reaches the
alternative's on the same paths. Criteria: mean, median, ce (the certainty
equivalent), pNN (a percentile, NN from 1 to 99). Defaults come from the
scenario's [floor] table.")]
    Floor(FloorArgs),
    /// Sweep one scenario field over a range: decision outputs and floors at
    /// each value (sweep.csv, sweep.json).
    #[command(after_help = "\
Examples:
  equisim sweep scenarios/hf-paris-ask.toml
  equisim sweep scenarios/hf-paris-ask.toml --param employee.illiquidity.discount --from 0 --to 0.6 --steps 13
  equisim sweep scenarios/hf-paris-ask.toml --param company.volatility --from 0.3 --to 1.0 --steps 8 --paths 200000
  equisim sweep scenarios/hf-nyc-ask.toml --param offer.equity.refresh.0.probability --from 0 --to 1 --steps 5

Every value uses the same seed (common random numbers), so the curve is
smooth. Risk aversion, outside wealth and a flat illiquidity discount reuse
one simulation; any other field is simulated again at each value. Defaults
come from the scenario's [sweep] and [floor] tables.")]
    Sweep(SweepArgs),
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
struct ScenarioArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Change one field: `dotted.path=value`, as in the file. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    sim: SimArgs,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Do not draw the charts (value.png, cdf.png, equity.png).
    #[arg(long)]
    no_charts: bool,
    /// Chart size in pixels, from 400x300 to 4000x4000.
    #[arg(long, value_name = "WxH", default_value = "1600x1000")]
    chart_size: String,
    /// Stream runs of more paths than this: every path is summarized and
    /// dropped, memory stays bounded, percentiles come from a quantile
    /// sketch (0 streams every run).
    #[arg(long, value_name = "N", default_value_t = engine::DEFAULT_STREAM_ABOVE)]
    stream_above: u64,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = report::install_interrupt_handler() {
        eprintln!("warning: {e}");
    }
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
        Command::Floor(args) => floor(args),
        Command::Sweep(args) => sweep(args),
        Command::Dlom(args) => dlom(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn load(args: &ScenarioArgs, mut extra: Vec<Override>) -> Result<Loaded, Error> {
    let mut overrides = args
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    overrides.append(&mut extra);
    let loaded = scenario::load_file(&args.scenario, &overrides)?;
    report::protect_input(&args.scenario);
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded)
}

/// `--paths` / `--seed` as overrides, so they are validated like the file.
fn flag_override(
    flag: &str,
    path: &str,
    value: &Option<String>,
) -> Result<Option<Override>, Error> {
    let Some(text) = value else { return Ok(None) };
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    let n: i64 = digits.parse().map_err(|_| {
        Error::Usage(format!(
            "{flag} {text}: expected a whole number, for example {flag} 100000"
        ))
    })?;
    Ok(Some(Override::with_value(
        path,
        toml::Value::Integer(n),
        format!("{flag} {text}"),
    )))
}

/// `--chart-size WxH`, with the flag in the error.
fn parse_chart_size(text: &str) -> Result<ChartSize, Error> {
    ChartSize::parse(text).map_err(|e| Error::Usage(format!("--chart-size {text}: {e}")))
}

fn run(args: RunArgs) -> Result<(), Error> {
    let extra = [
        flag_override("--paths", "simulation.paths", &args.sim.paths)?,
        flag_override("--seed", "simulation.seed", &args.sim.seed)?,
    ];
    let chart_size = parse_chart_size(&args.chart_size)?;
    let loaded = load(&args.scenario, extra.into_iter().flatten().collect())?;
    let scenario = &loaded.scenario;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir(&args.scenario.scenario));
    report::prepare_output_dir(&out_dir)?;

    let paths = scenario.simulation.paths;
    let bar = progress_bar(paths, args.sim.quiet);
    let on_pass = bar.clone().map(|b| {
        Arc::new(move |what: &str| {
            b.reset();
            b.set_message(what.to_string());
        }) as decisions::streaming::PassStarted
    });
    let settings = RunSettings {
        options: run_options(&args.sim, &bar),
        stream_above: args.stream_above,
        on_pass,
        charts: (!args.no_charts).then_some((out_dir.as_path(), chart_size)),
    };
    let RunResult {
        outputs,
        floors,
        streamed,
        charts,
        simulation_seconds: elapsed,
    } = equisim::run::run(scenario, &settings)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for w in &outputs.warnings {
        eprintln!("warning: {w}");
    }
    let report = RunReport::new(scenario, &outputs)
        .with_floors(floors.as_ref())
        .with_streaming(streamed.map(|s| s.note));
    let json = report.to_json();
    report::write_atomic(&out_dir.join("summary.json"), json.as_bytes())?;
    report::write_atomic(&out_dir.join("summary.csv"), report.to_csv().as_bytes())?;
    let charts = charts::write_rendered(charts)?;
    if args.json {
        print!("{json}");
    } else {
        print!("{}", report::summary_table(scenario, &outputs));
        if let Some(f) = &floors {
            print!("\n{}", report::floor_text(f, scenario));
        }
        match streamed {
            None => println!(
                "\nSimulated {paths} paths in {elapsed:.2} s ({:.2}M paths/s)",
                paths as f64 / elapsed / 1e6
            ),
            Some(Streamed { note, passes }) => println!(
                "\nStreamed {paths} paths in {elapsed:.2} s ({passes} pass{}, {:.2}M paths/s); percentiles and \
                 expected shortfalls are within {}% (relative) of the exact values, every mean is exact",
                if passes == 1 { "" } else { "es" },
                paths as f64 * passes as f64 / elapsed / 1e6,
                note.quantile_relative_error * 100.0
            ),
        }
        let mut files = vec!["summary.json".to_string(), "summary.csv".to_string()];
        files.extend(
            charts
                .iter()
                .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned())),
        );
        println!("\nWrote {}/{}", out_dir.display(), files.join(", "));
    }
    Ok(())
}

fn check(args: CheckArgs) -> Result<(), Error> {
    let loaded = load(&args.scenario, Vec::new())?;
    let text = toml::to_string_pretty(&loaded.scenario)
        .map_err(|e| Error::Model(format!("cannot print the scenario: {e}")))?;
    println!(
        "# {} is valid; resolved with every default:\n",
        args.scenario.scenario.display()
    );
    print!("{text}");
    Ok(())
}

fn default_out_dir(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    Path::new("output").join(stem)
}

/// A bar on stderr for runs long enough to wait for; none when stderr is
/// not a terminal or with `--quiet`.
fn progress_bar(paths: u64, quiet: bool) -> Option<ProgressBar> {
    if quiet || paths < 500_000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(paths);
    let style = ProgressStyle::with_template(
        "{bar:40} {human_pos}/{human_len} paths  {per_sec}  eta {eta}  {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Simulation flags shared by `floor` and `sweep`.
#[derive(Args)]
struct SimArgs {
    /// Number of paths (overrides simulation.paths).
    #[arg(long, value_name = "N")]
    paths: Option<String>,
    /// Random seed (overrides simulation.seed).
    #[arg(long, value_name = "N")]
    seed: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LeverArg {
    /// The initial grant, holding the base.
    Grant,
    /// The base, holding the grant.
    Base,
}

/// What a floor solves for, shared by `floor` and `sweep`.
#[derive(Args)]
struct FloorChoice {
    /// Solve for the grant (holding the base) or the base (holding the
    /// grant) [default: the scenario's floor.solve_for, else grant].
    #[arg(long, value_enum, value_name = "LEVER")]
    solve_for: Option<LeverArg>,
    /// Criteria, comma-separated: mean, median, ce, pNN [default: the
    /// scenario's floor.criteria, else mean,median,p10,ce].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    criteria: Option<Vec<String>>,
}

#[derive(Args)]
struct FloorArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    sim: SimArgs,
    #[command(flatten)]
    choice: FloorChoice,
    /// Print the floors as JSON on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// Output folder for frontier.png [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not draw the chart (frontier.png); nothing is written then.
    #[arg(long)]
    no_charts: bool,
    /// Chart size in pixels, from 400x300 to 4000x4000.
    #[arg(long, value_name = "WxH", default_value = "1600x1000")]
    chart_size: String,
}

#[derive(Args)]
struct SweepArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    sim: SimArgs,
    #[command(flatten)]
    choice: FloorChoice,
    /// Dotted path of the numeric field to sweep [default: sweep.parameter].
    #[arg(long, value_name = "PATH")]
    param: Option<String>,
    /// First value [default: sweep.from].
    #[arg(long, value_name = "A", allow_negative_numbers = true)]
    from: Option<f64>,
    /// Last value [default: sweep.to].
    #[arg(long, value_name = "B", allow_negative_numbers = true)]
    to: Option<f64>,
    /// Number of values, from 2 to 1000 [default: sweep.steps, else 13].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=1000))]
    steps: Option<u64>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print sweep.json on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Do not draw the chart (floor_sweep.png).
    #[arg(long)]
    no_charts: bool,
    /// Chart size in pixels, from 400x300 to 4000x4000.
    #[arg(long, value_name = "WxH", default_value = "1600x1000")]
    chart_size: String,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DlomMethod {
    /// Finnerty (2012): average-strike put.
    Finnerty,
    /// Chaffe (1993): at-the-money Black-Scholes put.
    Chaffe,
    /// Longstaff (1995): lookback upper bound.
    Longstaff,
}

#[derive(Args)]
struct DlomArgs {
    /// The closed form.
    #[arg(long, value_enum)]
    method: DlomMethod,
    /// Annual volatility of the equity, 0 to 3 (0.6 = 60%).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    volatility: f64,
    /// Years until the holding can be sold, more than 0 and at most 100.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    years: f64,
    /// Risk-free rate, continuous, 0 to 0.5; used by chaffe [default: 0.0375].
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    rate: Option<f64>,
}

/// The `--set`, `--paths` and `--seed` overrides, in that order.
fn sim_overrides(scenario: &ScenarioArgs, sim: &SimArgs) -> Result<Vec<Override>, Error> {
    let mut overrides = scenario
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    overrides.extend(flag_override("--paths", "simulation.paths", &sim.paths)?);
    overrides.extend(flag_override("--seed", "simulation.seed", &sim.seed)?);
    Ok(overrides)
}

/// The lever and criteria: flags, else the scenario's `[floor]`, else the
/// defaults (grant; mean, median, p10, ce).
fn floor_choice(
    choice: &FloorChoice,
    scenario: &Scenario,
) -> Result<(SolveFor, Vec<Criterion>), Error> {
    let solve_for = match choice.solve_for {
        Some(LeverArg::Grant) => SolveFor::Grant,
        Some(LeverArg::Base) => SolveFor::Base,
        None => scenario
            .floor
            .as_ref()
            .map_or(SolveFor::Grant, |f| f.solve_for),
    };
    let criteria = match &choice.criteria {
        Some(list) => list
            .iter()
            .map(|c| {
                Criterion::parse(c.trim()).ok_or_else(|| {
                    Error::Usage(format!(
                        "--criteria {}: `{c}` is not a criterion: use mean, median, ce or pNN with NN \
                         from 1 to 99, for example --criteria mean,p10,ce",
                        list.join(",")
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => scenario.floor.as_ref().map_or_else(
            || {
                vec![
                    Criterion::Mean,
                    Criterion::Median,
                    Criterion::Percentile(10),
                    Criterion::CertaintyEquivalent,
                ]
            },
            |f| f.criteria.clone(),
        ),
    };
    if criteria.is_empty() {
        return Err(Error::Usage(
            "--criteria: give at least one of mean, median, ce or pNN".into(),
        ));
    }
    Ok((solve_for, criteria))
}

fn run_options(sim: &SimArgs, bar: &Option<ProgressBar>) -> RunOptions {
    RunOptions {
        threads: sim.threads.map(usize::from),
        progress: bar
            .clone()
            .map(|b| Arc::new(move |n: u64| b.inc(n)) as engine::Progress),
    }
}

fn floor(args: FloorArgs) -> Result<(), Error> {
    let overrides = sim_overrides(&args.scenario, &args.sim)?;
    let loaded = load(
        &args.scenario,
        overrides[args.scenario.set.len()..].to_vec(),
    )?;
    let scenario = &loaded.scenario;
    let (solve_for, criteria) = floor_choice(&args.choice, scenario)?;
    let chart_size = parse_chart_size(&args.chart_size)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir(&args.scenario.scenario));
    if !args.no_charts {
        report::prepare_output_dir(&out_dir)?;
    }
    let paths = scenario.simulation.paths;
    let bar = progress_bar(paths, args.sim.quiet);
    let options = run_options(&args.sim, &bar);
    let started = std::time::Instant::now();
    let sim = engine::simulate(scenario, &options)?;
    let simulated = started.elapsed().as_secs_f64();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let started = std::time::Instant::now();
    let floors = decisions::solve_floors(&sim, scenario, solve_for, &criteria);
    let solved = started.elapsed().as_secs_f64();
    // The frontier: the grant floor per criterion on a grid of bases,
    // solved on the same stored paths.
    let frontier = if args.no_charts {
        None
    } else {
        let started = std::time::Instant::now();
        let bases = decisions::frontier_bases_covering(scenario, &floors, charts::FRONTIER_BASES);
        let frontier = decisions::frontier(&sim, scenario, &criteria, &bases);
        let solved = started.elapsed().as_secs_f64();
        let path = charts::draw_frontier(&out_dir, scenario, &frontier, chart_size)?;
        Some((path, bases.len(), solved))
    };
    if args.json {
        #[derive(serde::Serialize)]
        struct FloorOutput<'a> {
            name: &'a str,
            currency: &'a str,
            paths: u64,
            seed: u64,
            solve_for: SolveFor,
            floor: report::FloorsReport,
        }
        let out = FloorOutput {
            name: &scenario.name,
            currency: &scenario.currency,
            paths,
            seed: scenario.simulation.seed,
            solve_for,
            floor: report::FloorsReport::new(&floors, scenario),
        };
        let json = serde_json::to_string_pretty(&out)
            .map_err(|e| Error::Model(format!("cannot write JSON: {e}")))?;
        println!("{json}");
    } else {
        println!("{}", scenario.name);
        println!(
            "{} paths, seed {}, risk aversion {}, outside wealth {}, illiquidity {}\n",
            report::money::format_count(paths),
            scenario.simulation.seed,
            scenario.employee.risk_aversion,
            report::money::format_money(scenario.employee.outside_wealth, &scenario.currency),
            match scenario.employee.illiquidity {
                equisim::scenario::Illiquidity::Flat { discount } =>
                    format!("flat {}", report::money::format_percent(discount)),
                other => other.method_name().to_string(),
            }
        );
        print!("{}", report::floor_text(&floors, scenario));
        println!(
            "\nSimulated {paths} paths in {simulated:.2} s; floors solved in {solved:.3} s on the stored paths"
        );
        if let Some((path, bases, solved)) = &frontier {
            println!(
                "Frontier over {bases} bases solved in {solved:.2} s\nWrote {}",
                path.display()
            );
        }
    }
    Ok(())
}

fn sweep(args: SweepArgs) -> Result<(), Error> {
    let overrides = sim_overrides(&args.scenario, &args.sim)?;
    let loaded = load(
        &args.scenario,
        overrides[args.scenario.set.len()..].to_vec(),
    )?;
    let scenario = &loaded.scenario;
    let spec = scenario.sweep.as_ref();
    let (parameter, origin) = match (&args.param, spec) {
        (Some(p), _) => (p.trim().to_string(), "--param"),
        (None, Some(s)) => (s.parameter.clone(), "sweep.parameter"),
        (None, None) => {
            return Err(Error::Usage(format!(
                "{} has no [sweep] table: give --param PATH --from A --to B, for example \
                 --param employee.illiquidity.discount --from 0 --to 0.6",
                args.scenario.scenario.display()
            )));
        }
    };
    let missing = |flag: &str| {
        Error::Usage(format!(
            "{flag} is needed: the scenario has no [sweep] table to take it from"
        ))
    };
    let from = args
        .from
        .or(spec.map(|s| s.from))
        .ok_or_else(|| missing("--from"))?;
    let to = args
        .to
        .or(spec.map(|s| s.to))
        .ok_or_else(|| missing("--to"))?;
    for (flag, v) in [("--from", from), ("--to", to)] {
        if !v.is_finite() {
            return Err(Error::Usage(format!(
                "{flag} {v}: expected a finite number"
            )));
        }
    }
    let steps = args.steps.or(spec.map(|s| s.steps)).unwrap_or(13);
    let (solve_for, criteria) = floor_choice(&args.choice, scenario)?;
    let chart_size = parse_chart_size(&args.chart_size)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir(&args.scenario.scenario));
    report::prepare_output_dir(&out_dir)?;

    let request = SweepRequest {
        source: &loaded.source,
        overrides: &overrides,
        parameter,
        from,
        to,
        steps,
        origin,
        solve_for,
        criteria,
    };
    let bar = (!args.sim.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(steps);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} values  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    });
    let options = run_options(&args.sim, &None);
    let started = std::time::Instant::now();
    let result = decisions::run_sweep(&request, &options, |done, total| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let json = report::sweep_json(&result, scenario);
    report::write_atomic(&out_dir.join("sweep.json"), json.as_bytes())?;
    report::write_atomic(
        &out_dir.join("sweep.csv"),
        report::sweep_csv(&result).as_bytes(),
    )?;
    let chart = if args.no_charts {
        None
    } else {
        Some(charts::draw_floor_sweep(
            &out_dir, scenario, &result, chart_size,
        )?)
    };
    if args.json {
        print!("{json}");
    } else {
        println!("{}", scenario.name);
        print!("{}", report::sweep_table(&result, scenario));
        println!(
            "\nSwept {} values in {elapsed:.2} s\nWrote {}/sweep.csv, sweep.json{}",
            result.points.len(),
            out_dir.display(),
            if chart.is_some() {
                format!(", {}", charts::FLOOR_SWEEP_CHART)
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

fn dlom(args: DlomArgs) -> Result<(), Error> {
    let DlomArgs {
        method,
        volatility,
        years,
        rate,
    } = args;
    if !(volatility.is_finite() && (0.0..=3.0).contains(&volatility)) {
        return Err(Error::Usage(format!(
            "--volatility {volatility}: expected an annual volatility from 0 to 3 (0.6 = 60%)"
        )));
    }
    if !(years.is_finite() && years > 0.0 && years <= 100.0) {
        return Err(Error::Usage(format!(
            "--years {years}: expected the years until the holding can be sold, more than 0 and at most 100"
        )));
    }
    if let Some(r) = rate
        && !(r.is_finite() && (0.0..=0.5).contains(&r))
    {
        return Err(Error::Usage(format!(
            "--rate {r}: expected a continuous risk-free rate from 0 to 0.5 (0.04 = 4%)"
        )));
    }
    let rate_used = rate.unwrap_or(0.0375);
    let (name, discount) = match method {
        DlomMethod::Finnerty => (
            "Finnerty (2012) average-strike put",
            illiquidity::finnerty(volatility, years),
        ),
        DlomMethod::Chaffe => (
            "Chaffe (1993) at-the-money put",
            illiquidity::chaffe(volatility, years, rate_used),
        ),
        DlomMethod::Longstaff => (
            "Longstaff (1995) lookback upper bound",
            illiquidity::longstaff(volatility, years),
        ),
    };
    if rate.is_some() && !matches!(method, DlomMethod::Chaffe) {
        eprintln!("warning: --rate is used by chaffe only; ignored");
    }
    let rate_text = if matches!(method, DlomMethod::Chaffe) {
        format!(", rate {}", scenario::fmt_value(rate_used))
    } else {
        String::new()
    };
    println!(
        "{:.2}%  {name}, volatility {}, {} years{rate_text}",
        discount * 100.0,
        scenario::fmt_value(volatility),
        scenario::fmt_value(years)
    );
    Ok(())
}
