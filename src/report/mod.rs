//! Reports of a run: the summary table for the terminal, `summary.json`
//! and `summary.csv`, all written whole or not at all.

pub mod ensemble;
pub mod floor;
pub mod sensitivity;
pub mod sweep;
mod table;
pub mod words;

use crate::decisions::{EnsembleOutputs, Floors};
use crate::scenario::Scenario;
use crate::stats::Outputs;
use crate::stats::streaming::StreamingNote;
pub use floor::{FloorCommandReport, FloorReport, FloorsReport, floor_text};
use serde::Serialize;
pub use sweep::{sweep_csv, sweep_json, sweep_table};
pub use table::{ellipsized, summary_table};

/// What `summary.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport<'a> {
    pub version: &'static str,
    pub scenario: &'a Scenario,
    pub seed: u64,
    pub paths: u64,
    /// Whether every figure is after tax (the scenario has a `[tax]` table).
    pub after_tax: bool,
    #[serde(flatten)]
    pub outputs: &'a Outputs,
    /// The accept-at floors, when the scenario asks for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<FloorsReport>,
    /// For a streamed run: how its percentiles were obtained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streaming: Option<StreamingNote>,
    /// With `[[uncertainty]]` entries: what the parameter draws say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ensemble: Option<&'a EnsembleOutputs>,
}

impl<'a> RunReport<'a> {
    pub fn new(scenario: &'a Scenario, outputs: &'a Outputs) -> RunReport<'a> {
        RunReport {
            version: env!("CARGO_PKG_VERSION"),
            scenario,
            seed: scenario.simulation.seed,
            paths: scenario.simulation.paths,
            after_tax: scenario.tax.is_some(),
            outputs,
            floor: None,
            streaming: None,
            ensemble: None,
        }
    }

    /// Adds an ensemble's figures (the `ensemble` object, and on the
    /// private offer's CSV row its bands and shares).
    pub fn with_ensemble(mut self, ensemble: Option<&'a EnsembleOutputs>) -> RunReport<'a> {
        self.ensemble = ensemble;
        self
    }

    /// `ensemble.csv`, one row per draw, for an ensemble run.
    pub fn ensemble_csv(&self) -> Option<String> {
        self.ensemble.map(ensemble::ensemble_csv)
    }

    /// Marks the report as a streamed run's.
    pub fn with_streaming(mut self, note: Option<StreamingNote>) -> RunReport<'a> {
        self.streaming = note;
        self
    }

    /// Adds the accept-at floors (the `floor` object).
    pub fn with_floors(mut self, floors: Option<&Floors>) -> RunReport<'a> {
        self.floor = floors.map(|f| FloorsReport::new(f, self.scenario));
        self
    }

    pub fn to_json(&self) -> String {
        pretty_json(self)
    }

    /// One row per offer and one column per figure, in the report's order
    /// (`total.mean`, `total.percentiles.p10`, …, `equity.…`, the equity's
    /// shares, `P(total ≥ A)` per threshold, and on the private offer's row
    /// its floors); a cell is empty where the figure does not apply to that
    /// offer.
    pub fn to_csv(&self) -> String {
        let mut columns: Vec<String> = vec![
            "offer".into(),
            "seed".into(),
            "paths".into(),
            "after_tax".into(),
        ];
        let mut rows: Vec<Vec<(String, String)>> = Vec::new();
        let offers = [
            ("offer", &self.outputs.offer),
            ("alternative", &self.outputs.alternative),
        ];
        for (i, (which, o)) in offers.into_iter().enumerate() {
            let mut cells = vec![
                ("offer".to_string(), which.to_string()),
                ("seed".to_string(), self.seed.to_string()),
                ("paths".to_string(), self.paths.to_string()),
                ("after_tax".to_string(), self.after_tax.to_string()),
            ];
            flatten("", &serde_json::to_value(o).unwrap_or_default(), &mut cells);
            if let Some(t) = &self.outputs.taxes {
                let taxes = if i == 0 { &t.offer } else { &t.alternative };
                flatten(
                    "tax",
                    &serde_json::to_value(taxes).unwrap_or_default(),
                    &mut cells,
                );
            }
            for t in &self.outputs.thresholds {
                let p = if i == 0 { t.p_offer } else { t.p_alternative };
                cells.push((
                    format!("p_total_at_least_{}", crate::scenario::fmt_value(t.amount)),
                    p.to_string(),
                ));
            }
            if let (0, Some(floors)) = (i, &self.floor) {
                for f in &floors.0 {
                    let value = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
                    cells.push((format!("floor_{}", f.criterion), value(f.value)));
                    if let Some(b) = &f.base_floor {
                        cells.push((format!("base_floor_{}", f.criterion), value(b.value)));
                    }
                }
            }
            if let (0, Some(e)) = (i, self.ensemble) {
                let mut summary = serde_json::to_value(e).unwrap_or_default();
                if let Some(map) = summary.as_object_mut() {
                    map.remove("per_draw");
                }
                flatten("ensemble", &summary, &mut cells);
            }
            for (k, _) in &cells {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
            rows.push(cells);
        }
        let mut s = columns
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        s.push('\n');
        for cells in &rows {
            let line: Vec<String> = columns
                .iter()
                .map(|c| {
                    cells
                        .iter()
                        .find(|(k, _)| k == c)
                        .map_or(String::new(), |(_, v)| v.clone())
                })
                .collect();
            s.push_str(&line.join(","));
            s.push('\n');
        }
        s
    }
}

/// The leaves of `value` as `(dotted key, cell)`, in the value's order.
fn flatten(prefix: &str, value: &serde_json::Value, cells: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, cells);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&key(&i.to_string()), v, cells);
            }
        }
        Value::String(s) => cells.push((prefix.to_string(), csv_field(s))),
        Value::Null => cells.push((prefix.to_string(), String::new())),
        other => cells.push((prefix.to_string(), other.to_string())),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A report as pretty JSON ending in a newline: the form of every JSON file
/// and of `--json` output.
pub(crate) fn pretty_json(report: &impl Serialize) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
