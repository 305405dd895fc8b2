//! What each command prints on stdout, and how an error reads on stderr.

use equisim::command;
use equisim::engine::MAX_IN_MEMORY_PATHS;
use equisim::error::Error;
use equisim::format::{count_of, format_money, format_percent};
use equisim::report::{self, FloorCommandReport};
use equisim::scenario::{Illiquidity, fmt_value};
use std::fmt::Write;
use std::path::Path;

/// The table (or `--json`) of `equisim run`.
pub fn run(outcome: &command::run::Outcome, json: bool) -> String {
    if json {
        return outcome.summary_json.clone();
    }
    let scenario = &outcome.scenario;
    let paths = scenario.simulation.paths;
    let elapsed = outcome.simulation_seconds;
    let mut s = report::summary_table(scenario, &outcome.outputs);
    if let Some(e) = &outcome.ensemble {
        let _ = write!(s, "\n{}", report::ensemble::ensemble_text(e, scenario));
    }
    if let Some(f) = &outcome.floors {
        let _ = write!(s, "\n{}", report::floor_text(f, scenario));
    }
    let _ = match outcome.streamed {
        None => writeln!(
            s,
            "\nSimulated {} in {elapsed:.2} s ({:.2}M paths/s)",
            count_of(paths, "path"),
            paths as f64 / elapsed / 1e6
        ),
        Some(command::run::Streamed { note, passes }) => writeln!(
            s,
            "\nStreamed {} in {elapsed:.2} s ({}, {:.2}M paths/s); percentiles and \
             expected shortfalls are within {}% (relative) of the exact values, every mean is exact",
            count_of(paths, "path"),
            if passes == 1 {
                "1 pass".to_string()
            } else {
                format!("{passes} passes")
            },
            paths as f64 * passes as f64 / elapsed / 1e6,
            note.quantile_relative_error * 100.0
        ),
    };
    let _ = writeln!(
        s,
        "\nWrote {}/{}",
        outcome.out_dir.display(),
        file_names(&outcome.written)
    );
    s
}

/// `summary.json, summary.csv, value.png`: the files' names, in order.
fn file_names(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `equisim check`: the scenario with every default.
pub fn check(scenario: &Path, outcome: &command::check::Outcome) -> String {
    format!(
        "# {} is valid; resolved with every default:\n\n{}",
        scenario.display(),
        outcome.resolved
    )
}

/// The floors in words (or `--json`) of `equisim floor`.
pub fn floor(outcome: &command::floor::Outcome, json: bool) -> String {
    let scenario = &outcome.scenario;
    if json {
        return FloorCommandReport::new(scenario, outcome.spec.solve_for, &outcome.floors)
            .to_json();
    }
    let paths = scenario.simulation.paths;
    let mut s = String::new();
    let _ = writeln!(s, "{}", scenario.name);
    let _ = writeln!(
        s,
        "{}, seed {}, risk aversion {}, outside wealth {}, illiquidity {}\n",
        count_of(paths, "path"),
        scenario.simulation.seed,
        scenario.employee.risk_aversion,
        format_money(scenario.employee.outside_wealth, &scenario.currency),
        match scenario.employee.illiquidity {
            Illiquidity::Flat { discount } => format!("flat {}", format_percent(discount)),
            other => other.method_name().to_string(),
        }
    );
    s.push_str(&report::floor_text(&outcome.floors, scenario));
    let _ = writeln!(
        s,
        "\nSimulated {} in {:.2} s; floors solved in {:.3} s on the stored paths",
        count_of(paths, "path"),
        outcome.simulation_seconds,
        outcome.solve_seconds
    );
    if let Some(f) = &outcome.frontier {
        let _ = writeln!(
            s,
            "Frontier over {} bases solved in {:.2} s\nWrote {}",
            f.bases,
            f.solve_seconds,
            f.path.display()
        );
    }
    s
}

/// The table (or `--json`) of `equisim sensitivity`.
pub fn sensitivity(outcome: &command::sensitivity::Outcome, json: bool) -> String {
    if json {
        return outcome.json.clone();
    }
    let scenario = &outcome.scenario;
    let mut s = String::new();
    let _ = writeln!(s, "{}", scenario.name);
    s.push_str(&report::sensitivity::table(&outcome.result, scenario));
    let _ = writeln!(
        s,
        "\nTried {} parameters in {:.2} s\nWrote {}/sensitivity.csv, sensitivity.json{}",
        outcome.result.rows.len(),
        outcome.seconds,
        outcome.out_dir.display(),
        match &outcome.chart {
            Some(chart) => format!(", {}", file_names(std::slice::from_ref(chart))),
            None => String::new(),
        }
    );
    s
}

/// The table (or `--json`) of `equisim sweep`.
pub fn sweep(outcome: &command::sweep::Outcome, json: bool) -> String {
    if json {
        return outcome.sweep_json.clone();
    }
    let scenario = &outcome.scenario;
    let mut s = String::new();
    let _ = writeln!(s, "{}", scenario.name);
    s.push_str(&report::sweep_table(&outcome.result, scenario));
    let _ = writeln!(
        s,
        "\nSwept {} values in {:.2} s\nWrote {}/sweep.csv, sweep.json{}",
        outcome.result.points.len(),
        outcome.seconds,
        outcome.out_dir.display(),
        match &outcome.chart {
            Some(chart) => format!(", {}", file_names(std::slice::from_ref(chart))),
            None => String::new(),
        }
    );
    s
}

/// `equisim dlom`: the discount and how it was computed.
pub fn dlom(request: &command::dlom::Request, outcome: &command::dlom::Outcome) -> String {
    let rate = match outcome.rate_used {
        Some(r) => format!(", rate {}", fmt_value(r)),
        None => String::new(),
    };
    let mut s = format!(
        "{:.2}%  {}, volatility {}, {}{rate}\n",
        outcome.discount * 100.0,
        request.method.title(),
        fmt_value(request.volatility),
        equisim::format::years(request.years)
    );
    // Longstaff's is the value of perfect market timing, an upper bound on
    // the discount: past 100% it bounds nothing a holder could lose.
    if outcome.discount > 1.0 {
        s.push_str(
            "note: above 100%, this upper bound is not a usable discount: Longstaff's bound prices \
             perfect timing of a sale, and a holder cannot lose more than the shares; use finnerty \
             or chaffe for an estimate\n",
        );
    }
    s
}

/// The error as the user reads it, with the flag that fixes it where the
/// library names only the condition.
pub fn error(e: &Error) -> String {
    match e {
        Error::TooManyPathsToKeep { .. } => format!(
            "{e}: `equisim run` streams such runs (--stream-above {MAX_IN_MEMORY_PATHS} or less); \
             `floor` and `sweep` keep their paths, use at most {MAX_IN_MEMORY_PATHS} paths there"
        ),
        Error::NoSweep { scenario, missing } => {
            use command::sweep::Missing;
            let flag = match missing {
                Missing::Parameter => {
                    return format!(
                        "{} has no [sweep] table: give --param PATH --from A --to B, for example \
                         --param employee.illiquidity.discount --from 0 --to 0.6",
                        scenario.display()
                    );
                }
                Missing::From => "--from",
                Missing::To => "--to",
            };
            format!("{flag} is needed: the scenario has no [sweep] table to take it from")
        }
        Error::UnsafeOutput(unsafe_output) => {
            use equisim::error::UnsafeOutput;
            match unsafe_output {
                UnsafeOutput::FolderIsTheScenario { .. } => {
                    format!("{e}: give --out a folder, for example --out output/run")
                }
                UnsafeOutput::FolderIsAFile { .. } => format!("{e}: give --out a folder"),
                UnsafeOutput::FolderHoldsTheScenario { .. }
                | UnsafeOutput::WouldReplaceTheScenario { .. } => format!("{e} with --out"),
            }
        }
        other => other.to_string(),
    }
}
