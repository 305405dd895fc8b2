//! `equisim check`: validate everything a scenario file holds, and print it
//! back with every default filled in.

use super::Input;
use crate::decisions::{SweepRequest, plan_sweep};
use crate::engine::RunOptions;
use crate::error::Error;
use crate::scenario::Scenario;

/// What `equisim check` found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: Scenario,
    /// The resolved scenario as TOML.
    pub resolved: String,
}

/// Resolves the scenario and everything it asks for beyond one run: the
/// `[sweep]` table is resolved at each of its values, as `equisim sweep`
/// would before simulating, so that a sweep of a field that does not
/// exist (or of a value out of range) fails here too.
pub fn check(input: &Input, options: &RunOptions) -> Result<Outcome, Error> {
    let loaded = input.load(options)?;
    if let Some(spec) = &loaded.scenario.sweep {
        let floor = super::FloorChoice::default().resolve(&loaded.scenario);
        let plan = plan_sweep(&SweepRequest {
            source: &loaded.source,
            overrides: &input.overrides,
            parameter: spec.parameter.clone(),
            from: spec.from,
            to: spec.to,
            steps: spec.steps,
            origin: "sweep.parameter",
            solve_for: floor.solve_for,
            criteria: floor.criteria,
            include_own: true,
        })?;
        super::warn(options, &plan.warnings);
    }
    let mut resolved = toml::to_string_pretty(&applicable(&loaded.scenario)?)
        .map_err(|e| Error::Print(e.to_string()))?;
    resolved.push_str(&absent_tables(&loaded.scenario));
    Ok(Outcome {
        scenario: loaded.scenario,
        resolved,
    })
}

/// The resolved scenario as a table, without the fields that do not apply
/// to it: RSUs have no strike, exercise window or exercise rule.
fn applicable(scenario: &Scenario) -> Result<toml::Table, Error> {
    let mut table = toml::Table::try_from(scenario).map_err(|e| Error::Print(e.to_string()))?;
    if scenario.offer.equity.instrument == crate::scenario::Instrument::Rsu
        && let Some(toml::Value::Table(equity)) = table
            .get_mut("offer")
            .and_then(|o| o.as_table_mut())
            .and_then(|o| o.get_mut("equity"))
    {
        for field in [
            "strike_ratio",
            "exercise_window_years",
            "exercise_on_departure",
        ] {
            equity.remove(field);
        }
    }
    Ok(table)
}

/// The optional tables the scenario leaves out, as TOML comments with the
/// defaults they would take: a table that is not printed still has
/// defaults worth knowing.
fn absent_tables(scenario: &Scenario) -> String {
    use crate::scenario::defaults::company as d;
    let mut notes = String::new();
    if let Some(text) = scenario
        .tax
        .and_then(|t| crate::scenario::preset_text(t.preset))
    {
        notes.push_str(
            "\n# The tax preset as shipped, with the source of each rate (a rate the\n\
             # file sets overrides it; [tax] above holds the rates in use):\n",
        );
        for line in text.lines() {
            notes.push_str(match line {
                "" => "#",
                l if l.starts_with('#') => "#",
                _ => "# ",
            });
            notes.push_str(line);
            notes.push('\n');
        }
    }
    if scenario.company.tender.is_none() {
        notes.push_str(&format!(
            "\n# [company.tender] is not set: no tender offers. When it is, per_year is\n\
             # required and the rest defaults to from_years = {:?}, fraction = {:?},\n\
             # discount = {:?}.\n",
            d::TENDER_FROM_YEARS,
            d::TENDER_FRACTION,
            d::TENDER_DISCOUNT
        ));
    }
    notes
}
