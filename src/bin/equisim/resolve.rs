//! Flags as typed become one resolved value, once: the library request of
//! the command, and how to show its result. Every check of a flag's value
//! happens here, before a scenario is read.

use crate::args::{
    CheckArgs, Command, DlomArgs, FloorArgs, FloorChoice, RunArgs, ScenarioArgs, SensitivityArgs,
    SimArgs, SweepArgs,
};
use equisim::charts::ChartSize;
use equisim::command::dlom as closed_form;
use equisim::command::{self, Input};
use equisim::decisions::sensitivity::ParameterRange;
use equisim::error::Error;
use equisim::scenario::{Criterion, Override};
use std::path::PathBuf;

/// How a command's result is shown.
#[derive(Debug, Clone, Copy)]
pub struct Show {
    /// JSON on stdout instead of the table.
    pub json: bool,
    /// No progress bar.
    pub quiet: bool,
}

impl Show {
    fn of(json: bool, sim: &SimArgs) -> Show {
        Show {
            json,
            quiet: sim.quiet,
        }
    }
}

/// A command line, resolved.
pub enum Resolved {
    Run(command::run::Request, Execution, Show),
    Check(Input),
    Floor(command::floor::Request, Execution, Show),
    Sweep(command::sweep::Request, Execution, Show),
    Sensitivity(command::sensitivity::Request, Execution, Show),
    Dlom(closed_form::Request),
}

/// How the simulation runs, beyond the scenario.
#[derive(Debug, Clone, Copy)]
pub struct Execution {
    pub threads: Option<usize>,
}

impl Resolved {
    pub fn from(command: Command) -> Result<Resolved, Error> {
        Ok(match command {
            Command::Run(args) => run(args)?,
            Command::Check(CheckArgs { scenario }) => Resolved::Check(input(&scenario, None)?),
            Command::Floor(args) => floor(args)?,
            Command::Sweep(args) => sweep(args)?,
            Command::Sensitivity(args) => sensitivity(args)?,
            Command::Dlom(args) => Resolved::Dlom(dlom(args)?),
        })
    }
}

/// The scenario and its overrides in order: `--set`, then `--paths` and
/// `--seed` (validated like the file's fields).
fn input(scenario: &ScenarioArgs, sim: Option<&SimArgs>) -> Result<Input, Error> {
    let mut overrides = scenario
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(sim) = sim {
        overrides.extend(whole_number("--paths", "simulation.paths", &sim.paths)?);
        overrides.extend(whole_number("--seed", "simulation.seed", &sim.seed)?);
    }
    Ok(Input {
        scenario: scenario.scenario.clone(),
        overrides,
    })
}

/// `--paths` / `--seed` as an override of `path`.
fn whole_number(flag: &str, path: &str, value: &Option<String>) -> Result<Option<Override>, Error> {
    let Some(text) = value else { return Ok(None) };
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    // A float that is exactly whole counts (`--paths 2.5e5`), as in a file.
    let whole_float = || {
        digits
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0)
            .map(|v| v as i64)
    };
    let n: i64 = digits.parse().ok().or_else(whole_float).ok_or_else(|| {
        Error::argument(
            format!("{flag} {text}"),
            format!("expected a whole number, for example {flag} 100000"),
        )
    })?;
    Ok(Some(Override::with_value(
        path,
        toml::Value::Integer(n),
        format!("{flag} {text}"),
    )))
}

/// `--chart-size WxH` unless `--no-charts`.
fn chart_size(text: &str, no_charts: bool) -> Result<Option<ChartSize>, Error> {
    let size = ChartSize::parse(text)
        .map_err(|e| Error::argument(format!("--chart-size {text}"), e.to_string()))?;
    Ok((!no_charts).then_some(size))
}

fn out_dir(out: &Option<PathBuf>, input: &Input) -> PathBuf {
    out.clone().unwrap_or_else(|| input.default_out_dir())
}

fn execution(sim: &SimArgs) -> Execution {
    Execution {
        threads: sim.threads.map(usize::from),
    }
}

fn run(args: RunArgs) -> Result<Resolved, Error> {
    let input = input(&args.scenario, Some(&args.sim))?;
    let charts = chart_size(&args.chart_size.text, args.no_charts)?;
    for &a in &args.thresholds {
        if !(a.is_finite() && a >= 0.0) {
            return Err(Error::argument(
                format!("--threshold {a}"),
                "expected an amount >= 0, for example --threshold 1000000",
            ));
        }
    }
    let request = command::run::Request {
        out_dir: out_dir(&args.out, &input),
        input,
        charts,
        stream_above: args.stream_above,
        thresholds: args.thresholds.clone(),
    };
    let show = Show::of(args.json, &args.sim);
    Ok(Resolved::Run(request, execution(&args.sim), show))
}

/// `--solve-for` and `--criteria`; what is absent comes from the scenario.
fn floor_choice(choice: &FloorChoice) -> Result<command::FloorChoice, Error> {
    let solve_for = choice.solve_for;
    let criteria = match &choice.criteria {
        None => None,
        Some(list) => {
            let argument = || format!("--criteria {}", list.join(","));
            let criteria = list
                .iter()
                .map(|c| {
                    Criterion::parse(c).ok_or_else(|| {
                        Error::argument(
                            argument(),
                            format!(
                                "`{c}` is not a criterion: use mean, median, ce, pNN or beatsNN \
                                 with NN from 1 to 99, for example --criteria mean,p10,beats50,ce"
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if criteria.is_empty() {
                return Err(Error::argument(
                    "--criteria",
                    "give at least one of mean, median, ce, pNN or beatsNN",
                ));
            }
            Some(criteria)
        }
    };
    Ok(command::FloorChoice {
        solve_for,
        criteria,
    })
}

fn floor(args: FloorArgs) -> Result<Resolved, Error> {
    let input = input(&args.scenario, Some(&args.sim))?;
    let request = command::floor::Request {
        choice: floor_choice(&args.choice)?,
        out_dir: out_dir(&args.out, &input),
        chart: chart_size(&args.chart_size.text, args.no_charts)?,
        input,
    };
    let show = Show::of(args.json, &args.sim);
    Ok(Resolved::Floor(request, execution(&args.sim), show))
}

fn sweep(args: SweepArgs) -> Result<Resolved, Error> {
    for (flag, v) in [("--from", args.from), ("--to", args.to)] {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Err(Error::argument(
                format!("{flag} {v}"),
                "expected a finite number",
            ));
        }
    }
    let input = input(&args.scenario, Some(&args.sim))?;
    let request = command::sweep::Request {
        parameter: args.param.clone().map(|p| (p, "--param")),
        from: args.from,
        to: args.to,
        steps: args.steps,
        choice: floor_choice(&args.choice)?,
        out_dir: out_dir(&args.out, &input),
        chart: chart_size(&args.chart_size.text, args.no_charts)?,
        input,
    };
    let show = Show::of(args.json, &args.sim);
    Ok(Resolved::Sweep(request, execution(&args.sim), show))
}

fn sensitivity(args: SensitivityArgs) -> Result<Resolved, Error> {
    let ranges = args
        .param
        .iter()
        .map(|p| parameter_range(p))
        .collect::<Result<Vec<_>, Error>>()?;
    let input = input(&args.scenario, Some(&args.sim))?;
    let request = command::sensitivity::Request {
        ranges,
        choice: floor_choice(&args.choice)?,
        rank_by: args.rank_by,
        out_dir: out_dir(&args.out, &input),
        chart: chart_size(&args.chart_size.text, args.no_charts)?,
        beats_panel: args.beats_panel,
        input,
    };
    let show = Show::of(args.json, &args.sim);
    Ok(Resolved::Sensitivity(request, execution(&args.sim), show))
}

/// `--param PATH=LO..HI`.
fn parameter_range(text: &str) -> Result<ParameterRange, Error> {
    let bad = |why: &str| Error::argument(format!("--param {text}"), why);
    let Some((path, range)) = text.split_once('=') else {
        return Err(bad(
            "expected PATH=LO..HI, for example --param company.drift=0..0.2",
        ));
    };
    let Some((lo, hi)) = range.split_once("..") else {
        return Err(bad(
            "expected PATH=LO..HI, for example --param company.drift=0..0.2",
        ));
    };
    let number = |v: &str| v.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    match (path.trim(), number(lo), number(hi)) {
        ("", _, _) => Err(bad("the field's dotted path is missing before `=`")),
        (_, Some(low), Some(high)) if low != high => Ok(ParameterRange {
            parameter: path.trim().to_string(),
            low,
            high,
            source: "--param",
        }),
        (_, Some(_), Some(_)) => Err(bad("LO and HI must differ")),
        _ => Err(bad("LO and HI must be finite numbers, for example 0..0.2")),
    }
}

fn dlom(args: DlomArgs) -> Result<closed_form::Request, Error> {
    let method = args.method;
    // Each range describes itself: "from 0 to 3", "more than 0 and at most 100".
    let checks = [
        (
            "--volatility",
            Some(args.volatility),
            closed_form::VOLATILITY,
            "an annual volatility",
            " (0.6 = 60%)",
        ),
        (
            "--years",
            Some(args.years),
            closed_form::YEARS,
            "the years until the holding can be sold,",
            "",
        ),
        (
            "--rate",
            args.rate,
            closed_form::RATE,
            "a continuous risk-free rate",
            " (0.04 = 4%)",
        ),
    ];
    for (flag, value, range, what, example) in checks {
        if let Some(v) = value
            && !range.contains(v)
        {
            return Err(Error::argument(
                format!("{flag} {v}"),
                format!("expected {what} {range}{example}"),
            ));
        }
    }
    Ok(closed_form::Request {
        method,
        volatility: args.volatility,
        years: args.years,
        rate: args.rate,
    })
}
