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

pub mod defaults;
mod ensemble;
pub mod fields;
mod locate;
mod overrides;
pub mod range;
pub mod raw;
mod resolve;
mod types;
pub use ensemble::{Draw, Ensemble, may_be_drawn};

pub use overrides::{Override, set_path};
pub use resolve::{MAX_REFRESHES, fmt_value, preset_text, thresholds};
pub use types::*;

use crate::error::{Error, FileAction, Origin, ScenarioError};
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
    /// Whether resolving draws the `[[uncertainty]]` ensemble
    /// ([`Source::without_ensemble`]).
    ensemble: bool,
}

/// Reads and resolves a scenario file, applying `overrides` on top.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Loaded, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: FileAction::Read,
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        // Everything before the bad byte is intact in the lossy copy, so
        // its offsets (and the field they fall in) are the file's.
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let (line, column) = locate::line_column(&lossy, offset);
        ScenarioError {
            origin: Some(Origin::File {
                file: name.clone(),
                line,
                column,
            }),
            path: locate::path_at(&lossy, offset),
            message: format!(
                "the file is not valid UTF-8 text (first bad byte at offset {offset}): save it as UTF-8"
            ),
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
        let span = e.span().unwrap_or(0..0);
        let context = locate::syntax_context(text, span.clone());
        ScenarioError {
            origin,
            path: context.as_ref().map(|c| c.path.clone()),
            message: humanize_syntax(e.message().trim(), text, span, context.as_ref()),
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
        ensemble: true,
    };
    // Resolved once: the entries are checked (once, at load) before the
    // draws are made.
    let (mut scenario, warnings) = source.resolve_as_written(overrides)?;
    source.check_uncertainty(&scenario, overrides)?;
    source.draw_into(&mut scenario, overrides)?;
    Ok(Loaded {
        scenario,
        warnings,
        source,
    })
}

impl Source {
    /// Resolves the scenario with `overrides` applied to the file's table,
    /// and with `[[uncertainty]]` entries draws its ensemble
    /// ([`Scenario::ensemble`]).
    pub fn resolve(&self, overrides: &[Override]) -> Result<(Scenario, Vec<String>), Error> {
        let (mut scenario, warnings) = self.resolve_as_written(overrides)?;
        self.draw_into(&mut scenario, overrides)?;
        Ok((scenario, warnings))
    }

    /// Draws the ensemble of `scenario` (resolved from this source with
    /// `overrides`) into it, when it has `[[uncertainty]]` entries and this
    /// source draws ensembles.
    fn draw_into(&self, scenario: &mut Scenario, overrides: &[Override]) -> Result<(), Error> {
        if self.ensemble && !scenario.uncertainty.is_empty() {
            let ensemble = self.draw_ensemble(scenario, overrides)?;
            scenario.ensemble = Some(std::sync::Arc::new(ensemble));
        }
        Ok(())
    }

    /// The same source, resolved without drawing an ensemble: the
    /// scenario as written, its `[[uncertainty]]` entries kept but not
    /// drawn (for `equisim sensitivity`, which tries them one at a time).
    pub fn without_ensemble(&self) -> Source {
        Source {
            ensemble: false,
            ..self.clone()
        }
    }

    /// Resolves the scenario with `overrides` applied, as written: no
    /// ensemble is drawn.
    fn resolve_as_written(&self, overrides: &[Override]) -> Result<(Scenario, Vec<String>), Error> {
        let mut table = self.table.clone();
        overrides::apply(&mut table, overrides).map_err(|(i, message)| ScenarioError {
            origin: Some(Origin::Override {
                text: overrides[i].text.clone(),
            }),
            path: Some(overrides[i].path.clone()),
            message,
        })?;
        // With overrides, the table is read directly: sweeps and ensembles
        // resolve a scenario hundreds of times, and a text round trip is
        // most of the cost. Only when that fails is the text regenerated,
        // so that the error carries a position: deserializing from text
        // gives type errors a span, mapped back to the file through the
        // field's path.
        let raw = if overrides.is_empty() {
            self.deserialize_with_position(&table, overrides)?
        } else {
            match toml::Value::Table(table).try_into::<raw::RawScenario>() {
                Ok(raw) => raw,
                Err(_) => {
                    let mut table = self.table.clone();
                    // Applied above already: it cannot fail now.
                    let _ = overrides::apply(&mut table, overrides);
                    self.deserialize_with_position(&table, overrides)?
                }
            }
        };
        let mut warnings = Vec::new();
        let scenario = resolve::resolve(raw, &mut warnings).map_err(|mut e| {
            e.origin = self.origin_of(e.path.as_deref(), overrides);
            e
        })?;
        Ok((scenario, warnings))
    }

    /// The file's (or, after overrides, the regenerated) text deserialized,
    /// a failure reported with the position of the field.
    fn deserialize_with_position(
        &self,
        table: &toml::Table,
        overrides: &[Override],
    ) -> Result<raw::RawScenario, Error> {
        let regenerated;
        let text: &str = if overrides.is_empty() {
            &self.text
        } else {
            regenerated = toml::to_string(table)
                .map_err(|e| Error::argument("", format!("cannot apply --set: {e}")))?;
            &regenerated
        };
        toml::from_str::<raw::RawScenario>(text).map_err(|e| {
            let path = e.span().and_then(|s| locate::path_at(text, s.start));
            let mut err = ScenarioError {
                origin: None,
                path: path.clone(),
                message: humanize_serde(e.message().trim(), path.as_deref()),
            };
            // Without overrides the text is the file's and toml's own span
            // is exact (the key, for an unknown field); otherwise find where
            // the field came from.
            err.origin = match e.span() {
                Some(s) if overrides.is_empty() => {
                    let (line, column) = locate::line_column(text, s.start);
                    Some(Origin::File {
                        file: self.name.clone(),
                        line,
                        column,
                    })
                }
                _ => self.origin_of(path.as_deref(), overrides),
            };
            err.into()
        })
    }

    /// Where a field was set: the last override that covers it (or, for a
    /// check that also reads other fields, covers one of those), else its
    /// position in the file, else the position of a field the check reads,
    /// else the table it belongs in (for a missing field), else the file as
    /// a whole.
    fn origin_of(&self, path: Option<&str>, overrides: &[Override]) -> Option<Origin> {
        let file_only = Some(Origin::FileOnly {
            file: self.name.clone(),
        });
        let Some(path) = path else { return file_only };
        let related = resolve::related_fields(path);
        let by_override = overrides.iter().rev().find(|o| o.covers(path)).or_else(|| {
            overrides
                .iter()
                .rev()
                .find(|o| related.iter().any(|r| o.covers(r)))
        });
        if let Some(o) = by_override {
            return Some(Origin::Override {
                text: o.text.clone(),
            });
        }
        let ancestors = std::iter::successors(Some(path), |p| p.rsplit_once('.').map(|(a, _)| a));
        let span = locate::span_of(&self.text, path)
            .or_else(|| related.iter().find_map(|r| locate::span_of(&self.text, r)))
            .or_else(|| {
                ancestors
                    .skip(1)
                    .find_map(|a| locate::span_of(&self.text, a))
            });
        match span {
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

/// Rewrites the toml crate's syntax messages for people: the field the
/// line sets, which key is duplicated, and how values are written.
fn humanize_syntax(
    message: &str,
    text: &str,
    span: std::ops::Range<usize>,
    context: Option<&locate::SyntaxContext>,
) -> String {
    let message = message
        .strip_suffix(", expected nothing")
        .unwrap_or(message);
    if message == "duplicate key" {
        let key = text
            .get(span)
            .map(|k| k.trim().trim_matches(|c| c == '"' || c == '\''))
            .unwrap_or("");
        // In a value the duplicate is inside an inline table: `a = { b = 1, b = 2 }`.
        let what = match context {
            Some(c) if c.in_value => format!("`{}.{key}`", c.path),
            Some(c) => format!("`{}`", c.path),
            None => format!("`{key}`"),
        };
        return format!(
            "invalid TOML: duplicate key `{key}`: {what} is set twice; each field and each [table] may appear only once"
        );
    }
    let mut out = format!("invalid TOML: {message}");
    if context.is_some_and(|c| c.in_value) {
        out.push_str(
            " (a value is a number such as 75_000, 4.5e9 or 0.15 without units or currency signs, \
             a \"quoted string\", true or false, a [list] or a { table })",
        );
    }
    out
}

/// Rewrites serde's wording for people: type names in words (never the
/// name of a Rust type), and for an unknown field or variant the nearest
/// allowed name. `path` is the field's dotted path, when known.
fn humanize_serde(message: &str, path: Option<&str>) -> String {
    let field = path.and_then(|p| p.rsplit('.').next()).unwrap_or("");
    let mut out = message
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number >= 0")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a string", "expected a quoted string")
        .replace("invalid type: map,", "invalid type: table,");
    if let Some((head, _)) = out.split_once("expected struct Raw") {
        out = format!(
            "{head}expected {}",
            table_example(field, path.unwrap_or(""))
        );
    }
    if let Some(head) = out.strip_suffix("expected a sequence") {
        let list = match field {
            "refresh" => format!(
                "a list of tables: one [[{}]] section per refresh grant",
                path.unwrap_or("offer.equity.refresh")
            ),
            "criteria" => "a list such as [\"mean\", \"median\", \"p10\", \"ce\"]".to_string(),
            _ => "a list [...]".to_string(),
        };
        out = format!("{head}expected {list}");
    }
    if let Some((head, expected)) = message.split_once(", expected ")
        && (head.starts_with("unknown field") || head.starts_with("unknown variant"))
    {
        let given = head.split('`').nth(1).unwrap_or("");
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let top_level = ["name", "currency"];
        if head.starts_with("unknown field")
            && top_level.contains(&given)
            && path.is_some_and(|p| p.contains('.'))
        {
            out.push_str(&format!(
                " (`{given}` belongs at the top of the file: fields written after a [table] header belong to that table)"
            ));
        } else if field == "instrument" && ["iso", "nso"].contains(&given.to_lowercase().as_str()) {
            out.push_str(&format!(
                " (ISOs and NSOs are instrument = \"options\"; the kind is the tax treatment, \
                 offer.equity.tax_treatment = \"{}\")",
                given.to_lowercase()
            ));
        } else if let Some(best) = nearest(given, &candidates) {
            out.push_str(&format!(" (did you mean `{best}`?)"));
        }
    }
    out
}

/// How a table-valued field is written, for a value of the wrong type.
fn table_example(field: &str, path: &str) -> String {
    match field {
        "illiquidity" => "a table such as { method = \"flat\", discount = 0.25 }".into(),
        "vesting" => "a table such as { years = 4, cliff_years = 1, every_months = 1 }".into(),
        "ipo_multiple" | "acquisition_multiple" => {
            "a table such as { median = 1.0, sigma = 0.3 }".into()
        }
        "stock" => "a table such as { drift = 0.09, volatility = 0.30 }".into(),
        _ if path.contains("refresh.") => {
            "a table such as { at_years = 2.0, grant_ratio = 0.25 }".into()
        }
        _ if !path.is_empty() => format!("a table: a [{path}] section with its fields below it"),
        _ => "a table".into(),
    }
}

/// The one candidate that starts with `given` (`bonus` for `bonus_rate`,
/// `cliff` for `cliff_years`), else the candidate closest to `given` by
/// edit distance (a swap of two neighbouring letters counts as one edit),
/// if it is close enough to be a plausible typo: one edit for names of up
/// to four letters.
fn nearest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let given = given.to_lowercase();
    let mut extending = candidates
        .iter()
        .filter(|c| given.len() >= 3 && c.len() > given.len() && c.starts_with(&given));
    if let (Some(only), None) = (extending.next(), extending.next()) {
        return Some(only);
    }
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(&given, c), *c))
        .min()
        .filter(|(d, c)| {
            *d <= if c.len() <= 4 {
                1
            } else {
                (c.len() / 3).max(2)
            }
        })
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        let msg = humanize_serde(
            "unknown field `volatilty`, expected one of `valuation`, `drift`, `volatility`",
            Some("company.volatilty"),
        );
        assert!(msg.ends_with("(did you mean `volatility`?)"), "{msg}");
        let msg = humanize_serde(
            "unknown field `zzzzzz`, expected one of `valuation`, `drift`",
            None,
        );
        assert!(!msg.contains("did you mean"));
        // A swap of two letters is one edit; a four-letter name needs to be
        // within one edit (`name` is not a typo of `base`).
        assert_eq!(nearest("sigam", &["median", "sigma"]), Some("sigma"));
        assert_eq!(nearest("name", &["label", "base"]), None);
        assert_eq!(nearest("bse", &["label", "base"]), Some("base"));
        // A name cut short is the field it begins.
        let offer = ["label", "base", "bonus_rate", "sign_on", "equity"];
        assert_eq!(nearest("bonus", &offer), Some("bonus_rate"));
        let employee = ["attrition_per_year", "risk_aversion", "outside_wealth"];
        assert_eq!(nearest("attrition", &employee), Some("attrition_per_year"));
        let vesting = ["years", "cliff_years", "every_months"];
        assert_eq!(nearest("cliff", &vesting), Some("cliff_years"));
        // Two fields begin the same way: no guess.
        assert_eq!(nearest("ipo", &["ipo_per_year", "ipo_multiple"]), None);
    }

    #[test]
    fn never_names_a_rust_type() {
        let msg = humanize_serde(
            "invalid type: string \"flat\", expected struct RawIlliquidity",
            Some("employee.illiquidity"),
        );
        assert_eq!(
            msg,
            "invalid type: string \"flat\", expected a table such as { method = \"flat\", discount = 0.25 }"
        );
        let msg = humanize_serde(
            "invalid type: map, expected a sequence",
            Some("alternative.equity.refresh"),
        );
        assert_eq!(
            msg,
            "invalid type: table, expected a list of tables: one [[alternative.equity.refresh]] section per refresh grant"
        );
    }

    const MINIMAL: &str = "name = \"t\"\n[company]\nvaluation = 4.5e9\n[offer]\nbase = 75_000\n\
                           [offer.equity]\ngrant = 100_000\n[alternative]\nbase = 82_000\n";

    fn error(text: &str, overrides: &[&str]) -> String {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        load_str("s.toml", text, &overrides)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_name_after_a_table_header_is_explained() {
        let msg = error(&format!("{MINIMAL}name = \"again\"\n"), &[]);
        assert!(
            msg.starts_with("s.toml:10:1: alternative.name: unknown field `name`"),
            "{msg}"
        );
        assert!(msg.ends_with("(`name` belongs at the top of the file: fields written after a [table] header belong to that table)"), "{msg}");
    }

    #[test]
    fn exit_rates_that_add_up_to_one_are_rejected() {
        // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in floating point.
        let text = format!(
            "{MINIMAL}[company.exit]\nipo_per_year = 0.7\nacquisition_per_year = 0.2\nfailure_per_year = 0.1\n"
        );
        assert_eq!(
            error(&text, &[]),
            "s.toml:10:1: company.exit: ipo_per_year + acquisition_per_year + failure_per_year = \
             0.7 + 0.2 + 0.1 = 1 is not allowed: the sum must be below 1 \
             (they are the annual probabilities of competing events)"
        );
    }

    #[test]
    fn an_override_that_breaks_another_field_is_blamed() {
        assert_eq!(
            error(MINIMAL, &["simulation.window_years=20"]),
            "--set simulation.window_years=20: 10 (the default) is not allowed: \
             simulation.horizon_years must be at least simulation.window_years (20) and at most 100"
        );
        let text = format!("{MINIMAL}[employee]\nilliquidity = {{ discount = 0.3 }}\n");
        assert!(
            error(&text, &["employee.illiquidity.method=chaffe"])
                .starts_with("--set employee.illiquidity.method=chaffe: employee.illiquidity.discount = 0.3 is only allowed")
        );
        // Without the override, the file's own line is named.
        let text = format!("{MINIMAL}[simulation]\nwindow_years = 20\n");
        assert!(error(&text, &[]).starts_with("s.toml:11:16: 10 (the default) is not allowed"));
    }

    #[test]
    fn a_missing_field_points_at_its_table() {
        let text = MINIMAL.replace("valuation = 4.5e9\n", "");
        assert_eq!(
            error(&text, &[]),
            "s.toml:2:1: required field `company.valuation` is missing: \
             it must be a finite amount > 0 (the last post-money valuation)"
        );
    }

    #[test]
    fn syntax_errors_name_the_field_and_duplicates() {
        let text = MINIMAL.replace("base = 75_000", "base = 75_000 EUR");
        let msg = error(&text, &[]);
        assert!(
            msg.starts_with("s.toml:5:8: offer.base: invalid TOML: "),
            "{msg}"
        );
        assert!(msg.contains("without units or currency signs"), "{msg}");
        let text = MINIMAL.replace("base = 75_000", "base = 75_000\nbase = 1");
        assert_eq!(
            error(&text, &[]),
            "s.toml:6:1: invalid TOML: duplicate key `base`: `offer.base` is set twice; \
             each field and each [table] may appear only once"
        );
        let text = MINIMAL.replace(
            "grant = 100_000",
            "grant = 100_000\nvesting = { years = 4, years = 3 }",
        );
        let msg = error(&text, &[]);
        assert!(
            msg.contains("duplicate key `years`: `offer.equity.vesting.years` is set twice"),
            "{msg}"
        );
    }
}
