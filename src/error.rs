//! Errors, written for the person who has to fix them.
//!
//! Every error says where the problem is (file, line and column when known,
//! or the `--set` flag it came from), which field (its dotted path), what the
//! value was and what is allowed. Each variant of [`Error`] names one
//! condition; [`Error::exit_code`] maps it onto the process exit status: 2
//! for bad input, 1 for a failure while running. The library gives no advice
//! about the command line: the binary adds that where a flag is the remedy.

use std::fmt;
use std::path::PathBuf;

/// Where in the input a scenario problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A position in the scenario file (1-based line and column).
    File {
        file: String,
        line: usize,
        column: usize,
    },
    /// The file as a whole (no position known, e.g. a missing field).
    FileOnly { file: String },
    /// A command-line override (`--set path=value`, `--paths N`, a sweep
    /// value), as the user would recognise it.
    Override { text: String },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Origin::FileOnly { file } => write!(f, "{file}"),
            Origin::Override { text } => f.write_str(text),
        }
    }
}

/// A problem with a scenario: syntax, an unknown or missing field, a value
/// of the wrong type or out of its range.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// Where it was found, when known.
    pub origin: Option<Origin>,
    /// Dotted path of the field (`company.exit.ipo_per_year`), when known.
    pub path: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl ScenarioError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            origin: None,
            path: Some(path.into()),
            message: message.into(),
        }
    }

    /// A value outside what the field allows.
    pub fn invalid(path: &str, value: impl fmt::Display, allowed: &str) -> Self {
        ScenarioError::new(
            path,
            format!("{value} is not allowed: {path} must be {allowed}"),
        )
    }

    /// A required field that is absent.
    pub fn missing(path: &str, allowed: &str) -> Self {
        ScenarioError::new(
            path,
            format!("required field `{path}` is missing: it must be {allowed}"),
        )
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            write!(f, "{origin}: ")?;
        }
        if let Some(path) = &self.path
            && !self.message.contains(path.as_str())
        {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// What was being done to a file when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAction {
    /// Reading an input (a scenario): bad input, exit code 2.
    Read,
    /// Writing an output file.
    Write,
    /// Creating the output folder.
    CreateFolder,
    /// Creating a file inside an output folder that exists.
    WriteIntoFolder,
    /// Rendering a chart before it is written.
    Draw,
}

impl FileAction {
    fn words(self) -> &'static str {
        match self {
            FileAction::Read => "read",
            FileAction::Write => "write",
            FileAction::CreateFolder => "create the output folder",
            FileAction::WriteIntoFolder => "write into the output folder",
            FileAction::Draw => "draw",
        }
    }
}

/// Why an output folder cannot take a command's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafeOutput {
    /// The folder given is the scenario file that was read.
    FolderIsTheScenario { folder: PathBuf },
    /// The folder given is a file.
    FolderIsAFile { folder: PathBuf },
    /// The folder holds the scenario under a name a command writes.
    FolderHoldsTheScenario { folder: PathBuf, scenario: PathBuf },
    /// Writing `path` would replace the scenario file `scenario`.
    WouldReplaceTheScenario { path: PathBuf, scenario: PathBuf },
}

impl fmt::Display for UnsafeOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsafeOutput::FolderIsTheScenario { folder } => write!(
                f,
                "the output folder {} is the scenario file itself",
                folder.display()
            ),
            UnsafeOutput::FolderIsAFile { folder } => write!(
                f,
                "the output folder {} is a file, not a folder",
                folder.display()
            ),
            UnsafeOutput::FolderHoldsTheScenario { folder, scenario } => write!(
                f,
                "the output folder {} holds the scenario file {}, which a run could overwrite \
                 (outputs are .json, .csv and .png files): rename the scenario to .toml or \
                 choose another folder",
                folder.display(),
                scenario.display()
            ),
            UnsafeOutput::WouldReplaceTheScenario { path, scenario } => write!(
                f,
                "refusing to write {}: it is the scenario file {} that this run reads; \
                 choose another output folder",
                path.display(),
                scenario.display()
            ),
        }
    }
}

/// Everything that can go wrong in equisim.
#[derive(Debug)]
pub enum Error {
    /// The scenario file is invalid (syntax, field, type or range).
    Scenario(Box<ScenarioError>),
    /// A file could not be read or written.
    Io {
        action: FileAction,
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output would land where it must not (on the scenario itself).
    UnsafeOutput(UnsafeOutput),
    /// A command-line argument is invalid: `argument` as the user typed it
    /// (`--set x`, `--criteria p0`), `message` says what is allowed.
    Argument { argument: String, message: String },
    /// A chart size outside what a chart allows.
    ChartSize(crate::charts::ChartSizeError),
    /// A run asked to keep more paths in memory than it can.
    TooManyPathsToKeep { paths: u64, most: u64 },
    /// The worker threads could not be started.
    ThreadPool { threads: usize, message: String },
    /// A simulation thread panicked.
    WorkerFailed,
    /// A reported number left the floating-point range (`field` its dotted
    /// path in the outputs).
    NonFinite { field: String },
    /// The certainty equivalent of an offer's total is undefined: on some
    /// path `outside_wealth + total ≤ 0` (`worst` the lowest total).
    UndefinedCertaintyEquivalent {
        label: String,
        worst: f64,
        outside_wealth: f64,
    },
    /// A sweep's parameter is not a numeric field (`what` it is instead);
    /// `origin` says where the parameter was named.
    NotNumeric {
        origin: String,
        parameter: String,
        what: String,
    },
    /// A sweep was asked of a scenario without a `[sweep]` table, and
    /// `missing` was not given either.
    NoSweep {
        scenario: PathBuf,
        missing: crate::command::sweep::Missing,
    },
    /// An input of a closed form is outside its range: `quantity` names
    /// it, `allowed` says what is allowed.
    OutOfRange {
        quantity: &'static str,
        value: f64,
        allowed: String,
    },
    /// `source` happened at one value of a sweep (`at` names the value).
    AtSweepValue { at: String, source: Box<Error> },
    /// The resolved scenario could not be printed back as TOML.
    Print(String),
    /// The Ctrl-C handler could not be installed.
    InterruptHandler(String),
}

impl Error {
    /// The process exit code: 2 for bad input (scenario, arguments, a file
    /// that cannot be read, an output that would replace the input), 1 for
    /// a failure while running.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_)
            | Error::Argument { .. }
            | Error::UnsafeOutput(_)
            | Error::ChartSize(_)
            | Error::TooManyPathsToKeep { .. }
            | Error::NotNumeric { .. }
            | Error::NoSweep { .. }
            | Error::OutOfRange { .. } => 2,
            Error::Io { action, .. } => match action {
                FileAction::Read => 2,
                _ => 1,
            },
            Error::AtSweepValue { source, .. } => source.exit_code(),
            Error::ThreadPool { .. }
            | Error::WorkerFailed
            | Error::NonFinite { .. }
            | Error::UndefinedCertaintyEquivalent { .. }
            | Error::Print(_)
            | Error::InterruptHandler(_) => 1,
        }
    }

    /// A command-line argument error.
    pub fn argument(argument: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Argument {
            argument: argument.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Scenario(e) => write!(f, "{e}"),
            Error::Io {
                action,
                path,
                source,
            } => write!(f, "cannot {} {}: {source}", action.words(), path.display()),
            Error::UnsafeOutput(e) => write!(f, "{e}"),
            Error::ChartSize(e) => write!(f, "{e}"),
            Error::Argument { argument, message } if argument.is_empty() => f.write_str(message),
            Error::Argument { argument, message } => write!(f, "{argument}: {message}"),
            Error::TooManyPathsToKeep { paths, most } => write!(
                f,
                "simulation.paths = {paths} is more than can be kept in memory ({most})"
            ),
            Error::ThreadPool { threads, message } => {
                write!(f, "cannot start {threads} threads: {message}")
            }
            Error::WorkerFailed => f.write_str("a simulation thread failed"),
            Error::NonFinite { field } => write!(
                f,
                "{field} is not a finite number: the simulated values leave the range of floating-point \
                 numbers; make the scenario less extreme (lower volatilities, drifts, exit multiples or horizon)"
            ),
            Error::UndefinedCertaintyEquivalent {
                label,
                worst,
                outside_wealth,
            } => write!(
                f,
                "the certainty equivalent of {label} is undefined: on some paths outside wealth + value \
                 is not positive (worst value {worst:.0}, employee.outside_wealth = {outside_wealth:.0}); raise \
                 employee.outside_wealth above {:.0}, or set employee.risk_aversion = 0 to compare means",
                -worst
            ),
            Error::NotNumeric {
                origin,
                parameter,
                what,
            } => write!(
                f,
                "{origin}: `{parameter}` is {what}, not a number: a sweep needs a numeric field, \
                 such as employee.illiquidity.discount or company.volatility"
            ),
            Error::NoSweep { scenario, missing } => {
                use crate::command::sweep::Missing;
                let what = match missing {
                    Missing::Parameter => "the field to sweep",
                    Missing::From => "the first value",
                    Missing::To => "the last value",
                };
                write!(
                    f,
                    "{} has no [sweep] table to take {what} from",
                    scenario.display()
                )
            }
            Error::OutOfRange {
                quantity,
                value,
                allowed,
            } => write!(f, "{quantity} {value}: expected {allowed}"),
            Error::AtSweepValue { at, source } => write!(f, "{at}: {source}"),
            Error::Print(message) => write!(f, "cannot print the scenario: {message}"),
            Error::InterruptHandler(message) => {
                write!(f, "cannot install the Ctrl-C handler: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::AtSweepValue { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Self {
        Error::Scenario(Box::new(e))
    }
}

impl From<UnsafeOutput> for Error {
    fn from(e: UnsafeOutput) -> Self {
        Error::UnsafeOutput(e)
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_by_condition() {
        let io = |action| Error::Io {
            action,
            path: "x".into(),
            source: std::io::Error::other("no"),
        };
        assert_eq!(io(FileAction::Read).exit_code(), 2);
        assert_eq!(io(FileAction::Write).exit_code(), 1);
        assert_eq!(Error::argument("--paths x", "no").exit_code(), 2);
        assert_eq!(Error::WorkerFailed.exit_code(), 1);
        let wrapped = Error::AtSweepValue {
            at: "--param a (at 1)".into(),
            source: Box::new(Error::NonFinite { field: "f".into() }),
        };
        assert_eq!(wrapped.exit_code(), 1);
        assert_eq!(
            wrapped.to_string(),
            "--param a (at 1): f is not a finite number: the simulated values leave the range of \
             floating-point numbers; make the scenario less extreme (lower volatilities, drifts, \
             exit multiples or horizon)"
        );
    }

    #[test]
    fn a_folder_that_exists_but_cannot_be_written_says_so() {
        let e = Error::Io {
            action: FileAction::WriteIntoFolder,
            path: "/proc/self".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(
            e.to_string()
                .starts_with("cannot write into the output folder /proc/self: "),
            "{e}"
        );
    }
}
