//! Scenario files: parse, apply overrides, fill defaults, validate.
//!
//! A scenario is one TOML file describing the person, the private company
//! and the two offers. Loading goes text → TOML table → (`--set`
//! overrides) → [`raw::RawScenario`] (unknown fields rejected) →
//! [`Scenario`] (defaults filled, ranges checked). Every error on the way
//! names the file, line and column where the field is written, or the
//! `--set` flag it came from.
//!
//! ```
//! let text = r#"
//! name = "doc example"
//! [company]
//! valuation = 4.5e9
//! [offer]
//! base = 75_000
//! [offer.equity]
//! grant = 100_000
//! [alternative]
//! base = 82_000
//! "#;
//! let loaded = equisim::scenario::load_str("example.toml", text, &[]).unwrap();
//! assert_eq!(loaded.scenario.simulation.paths, 1_000_000);
//! assert_eq!(loaded.scenario.company.volatility, 0.60);
//! ```

mod locate;
mod overrides;
pub mod raw;
mod resolve;
mod types;

pub use overrides::{Override, set_path};
pub use resolve::{MAX_REFRESHES, fmt_value};
pub use types::*;

use crate::error::{Error, Origin, ScenarioError};
use std::path::Path;

/// A scenario read from text, with what is needed to vary it later.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    /// Accepted but ineffective settings worth telling the user about.
    pub warnings: Vec<String>,
    pub source: Source,
}

/// The scenario's text and parsed table, kept so that sweeps can change one
/// field and resolve again, with errors still pointing into the file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name as given (used in messages).
    pub name: String,
    pub text: String,
    table: toml::Table,
}

/// Reads and resolves a scenario file, applying `overrides` on top.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Loaded, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = locate::line_column(&String::from_utf8_lossy(e.as_bytes()), offset);
        ScenarioError {
            origin: Some(Origin::File {
                file: name.clone(),
                line,
                column,
            }),
            path: None,
            message: format!("the file is not valid UTF-8 text (first bad byte at offset {offset}): save it as UTF-8"),
        }
    })?;
    load_str(&name, &text, overrides)
}

/// Resolves a scenario from text; `name` is used in messages.
pub fn load_str(name: &str, text: &str, overrides: &[Override]) -> Result<Loaded, Error> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let origin = e.span().map(|s| {
            let (line, column) = locate::line_column(text, s.start);
            Origin::File {
                file: name.to_string(),
                line,
                column,
            }
        });
        ScenarioError {
            origin,
            path: None,
            message: format!("invalid TOML: {}", e.message().trim()),
        }
    })?;
    if table.is_empty() && overrides.is_empty() {
        return Err(ScenarioError {
            origin: Some(Origin::FileOnly { file: name.to_string() }),
            path: None,
            message: "the scenario is empty: it needs at least `name`, `company.valuation`, `offer.base`, \
                      `offer.equity.grant` and `alternative.base`"
                .to_string(),
        }
        .into());
    }
    let source = Source {
        name: name.to_string(),
        text: text.to_string(),
        table,
    };
    let (scenario, warnings) = source.resolve(overrides)?;
    Ok(Loaded {
        scenario,
        warnings,
        source,
    })
}

impl Source {
    /// Resolves the scenario with `overrides` applied to the file's table.
    pub fn resolve(&self, overrides: &[Override]) -> Result<(Scenario, Vec<String>), Error> {
        let mut table = self.table.clone();
        overrides::apply(&mut table, overrides).map_err(|(i, message)| ScenarioError {
            origin: Some(Origin::Override {
                text: overrides[i].text.clone(),
            }),
            path: Some(overrides[i].path.clone()),
            message,
        })?;
        // Deserialize from text so that type errors carry a position; after
        // overrides that text is regenerated, and positions are mapped back
        // to the file through the field's path.
        let regenerated;
        let text: &str = if overrides.is_empty() {
            &self.text
        } else {
            regenerated = toml::to_string(&table)
                .map_err(|e| Error::Usage(format!("cannot apply --set: {e}")))?;
            &regenerated
        };
        let raw = toml::from_str::<raw::RawScenario>(text).map_err(|e| {
            let path = e.span().and_then(|s| locate::path_at(text, s.start));
            let mut err = ScenarioError {
                origin: None,
                path: path.clone(),
                message: humanize_serde(e.message().trim()),
            };
            err.origin = self.origin_of(path.as_deref(), overrides);
            if err.origin.is_none()
                && overrides.is_empty()
                && let Some(s) = e.span()
            {
                let (line, column) = locate::line_column(text, s.start);
                err.origin = Some(Origin::File {
                    file: self.name.clone(),
                    line,
                    column,
                });
            }
            err
        })?;
        let mut warnings = Vec::new();
        let scenario = resolve::resolve(raw, &mut warnings).map_err(|mut e| {
            e.origin = self.origin_of(e.path.as_deref(), overrides);
            e
        })?;
        Ok((scenario, warnings))
    }

    /// Where a field was set: the last override that covers it, else its
    /// position in the file, else the file as a whole.
    fn origin_of(&self, path: Option<&str>, overrides: &[Override]) -> Option<Origin> {
        let file_only = Some(Origin::FileOnly {
            file: self.name.clone(),
        });
        let Some(path) = path else { return file_only };
        if let Some(o) = overrides.iter().rev().find(|o| o.covers(path)) {
            return Some(Origin::Override {
                text: o.text.clone(),
            });
        }
        match locate::span_of(&self.text, path) {
            Some(span) => {
                let (line, column) = locate::line_column(&self.text, span.start);
                Some(Origin::File {
                    file: self.name.clone(),
                    line,
                    column,
                })
            }
            None => file_only,
        }
    }
}

/// Rewrites serde's wording for people: type names in words, and for an
/// unknown field or variant the nearest allowed name.
fn humanize_serde(message: &str) -> String {
    let mut out = message
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number >= 0")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a string", "expected a quoted string");
    if let Some((head, expected)) = message.split_once(", expected ")
        && (head.starts_with("unknown field") || head.starts_with("unknown variant"))
    {
        let given = head.split('`').nth(1).unwrap_or("");
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if let Some(best) = nearest(given, &candidates) {
            out.push_str(&format!(" (did you mean `{best}`?)"));
        }
    }
    out
}

/// The candidate closest to `given` by edit distance, if it is close enough
/// to be a plausible typo.
fn nearest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&given.to_lowercase(), c), *c))
        .min()
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        let msg = humanize_serde(
            "unknown field `volatilty`, expected one of `valuation`, `drift`, `volatility`",
        );
        assert!(msg.ends_with("(did you mean `volatility`?)"), "{msg}");
        let msg = humanize_serde("unknown field `zzzzzz`, expected one of `valuation`, `drift`");
        assert!(!msg.contains("did you mean"));
    }
}
