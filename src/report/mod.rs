//! Reports of a run: the summary table for the terminal, `summary.json`
//! and `summary.csv`, all written whole or not at all.

pub mod floor;
pub mod sweep;
mod table;
pub mod words;

use crate::decisions::Floors;
use crate::scenario::Scenario;
use crate::stats::Outputs;
use crate::stats::streaming::StreamingNote;
pub use floor::{FloorCommandReport, FloorReport, FloorsReport, floor_text};
use serde::Serialize;
pub use sweep::{sweep_csv, sweep_json, sweep_table};
pub use table::summary_table;

/// What `summary.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport<'a> {
    pub version: &'static str,
    pub scenario: &'a Scenario,
    pub seed: u64,
    pub paths: u64,
    #[serde(flatten)]
    pub outputs: &'a Outputs,
    /// The accept-at floors, when the scenario asks for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<FloorsReport>,
    /// For a streamed run: how its percentiles were obtained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streaming: Option<StreamingNote>,
}

impl<'a> RunReport<'a> {
    pub fn new(scenario: &'a Scenario, outputs: &'a Outputs) -> RunReport<'a> {
        RunReport {
            version: env!("CARGO_PKG_VERSION"),
            scenario,
            seed: scenario.simulation.seed,
            paths: scenario.simulation.paths,
            outputs,
            floor: None,
            streaming: None,
        }
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

    /// Every number of the report except the scenario, one `key,value` row
    /// each, keys as dotted JSON paths (`offer.total.percentiles.p10`).
    pub fn to_csv(&self) -> String {
        let value = serde_json::to_value(self.outputs).unwrap_or_default();
        let mut rows = vec![
            "key,value".to_string(),
            format!("seed,{}", self.seed),
            format!("paths,{}", self.paths),
        ];
        flatten("", &value, &mut rows);
        if let Some(floor) = &self.floor {
            flatten(
                "floor",
                &serde_json::to_value(floor).unwrap_or_default(),
                &mut rows,
            );
        }
        let mut s = rows.join("\n");
        s.push('\n');
        s
    }
}

fn flatten(prefix: &str, value: &serde_json::Value, rows: &mut Vec<String>) {
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
                flatten(&key(k), v, rows);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&key(&i.to_string()), v, rows);
            }
        }
        Value::String(s) => rows.push(format!("{prefix},{}", csv_field(s))),
        Value::Null => rows.push(format!("{prefix},")),
        other => rows.push(format!("{prefix},{other}")),
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
