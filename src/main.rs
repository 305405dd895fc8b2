//! The `equisim` command line: parses arguments, calls the library, prints.

use clap::{Args, Parser, Subcommand};
use equisim::engine::{self, RunOptions};
use equisim::error::Error;
use equisim::report::{self, RunReport};
use equisim::scenario::{self, Loaded, Override};
use equisim::stats::Outputs;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  equisim run scenarios/hf-paris-ask.toml
  equisim run scenarios/hf-nyc-ask.toml --paths 200000 --seed 7
  equisim run scenarios/hf-paris-ask.toml --set employee.illiquidity.discount=0.4 --json
  equisim check scenarios/minimal.toml";

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
  equisim run scenarios/hf-paris-ask.toml --paths 100000 --threads 1 --out /tmp/paris
  equisim run scenarios/hf-paris-ask.toml --set company.volatility=0.8 --set offer.equity.grant=120000
  equisim run scenarios/minimal.toml --json > summary.json")]
    Run(RunArgs),
    /// Validate a scenario and print it with every default filled in.
    #[command(after_help = "\
Examples:
  equisim check scenarios/minimal.toml
  equisim check scenarios/hf-paris-ask.toml --set employee.illiquidity.method=finnerty")]
    Check(CheckArgs),
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
    /// Number of paths (overrides simulation.paths).
    #[arg(long, value_name = "N")]
    paths: Option<String>,
    /// Random seed (overrides simulation.seed).
    #[arg(long, value_name = "N")]
    seed: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output folder [default: output/<scenario file stem>/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
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

fn run(args: RunArgs) -> Result<(), Error> {
    let extra = [
        flag_override("--paths", "simulation.paths", &args.paths)?,
        flag_override("--seed", "simulation.seed", &args.seed)?,
    ];
    let loaded = load(&args.scenario, extra.into_iter().flatten().collect())?;
    let scenario = &loaded.scenario;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir(&args.scenario.scenario));
    report::prepare_output_dir(&out_dir)?;

    let paths = scenario.simulation.paths;
    let bar = progress_bar(paths, args.quiet);
    let options = RunOptions {
        threads: args.threads.map(usize::from),
        progress: bar
            .clone()
            .map(|b| Arc::new(move |n: u64| b.inc(n)) as engine::Progress),
    };
    let started = std::time::Instant::now();
    let sim = engine::simulate(scenario, &options)?;
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let outputs = Outputs::compute(
        &sim,
        scenario.employee.outside_wealth,
        scenario.employee.risk_aversion,
        (&scenario.offer.label, &scenario.alternative.label),
    )?;
    for w in &outputs.warnings {
        eprintln!("warning: {w}");
    }
    let report = RunReport::new(scenario, &outputs);
    let json = report.to_json();
    report::write_atomic(&out_dir.join("summary.json"), json.as_bytes())?;
    report::write_atomic(&out_dir.join("summary.csv"), report.to_csv().as_bytes())?;
    if args.json {
        print!("{json}");
    } else {
        print!("{}", report::summary_table(scenario, &outputs));
        println!(
            "\nSimulated {paths} paths in {elapsed:.2} s ({:.2}M paths/s)",
            paths as f64 / elapsed / 1e6
        );
        println!("\nWrote {}/summary.json and summary.csv", out_dir.display());
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
        "{bar:40} {human_pos}/{human_len} paths  {per_sec}  eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
