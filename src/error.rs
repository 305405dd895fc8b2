//! Errors, written for the person who has to fix them.
//!
//! Every error says where the problem is (file, line and column when known,
//! or the `--set` flag it came from), which field (its dotted path), what the
//! value was and what is allowed. The binary maps [`Error::exit_code`] onto
//! the process exit status: 2 for bad input, 1 for a failure while running.

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

/// Everything that can go wrong in equisim.
#[derive(Debug)]
pub enum Error {
    /// The scenario file is invalid (syntax, field, type or range).
    Scenario(Box<ScenarioError>),
    /// A file could not be read or written.
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A command-line argument is invalid.
    Usage(String),
    /// The model could not produce a number that means anything (for
    /// example a certainty equivalent with non-positive wealth on a path).
    Model(String),
}

impl Error {
    /// The process exit code: 2 for bad input (scenario, arguments, a file
    /// that cannot be read), 1 for a failure while running.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Io { action, .. } if *action == "read" => 2,
            Error::Io { .. } | Error::Model(_) => 1,
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
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            Error::Usage(msg) | Error::Model(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Self {
        Error::Scenario(Box::new(e))
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
