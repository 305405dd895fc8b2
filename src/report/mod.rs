//! Reports of a run: the summary table for the terminal, `summary.json`
//! and `summary.csv`, all written whole or not at all.

pub mod money;
mod table;

use crate::error::Error;
use crate::scenario::Scenario;
use crate::stats::Outputs;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
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
}

impl<'a> RunReport<'a> {
    pub fn new(scenario: &'a Scenario, outputs: &'a Outputs) -> RunReport<'a> {
        RunReport {
            version: env!("CARGO_PKG_VERSION"),
            scenario,
            seed: scenario.simulation.seed,
            paths: scenario.simulation.paths,
            outputs,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
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

/// Writes `contents` to `path` whole or not at all: into a temporary file
/// in the same folder, flushed, then renamed over the target.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Creates the output folder (and its parents) and checks that it can be
/// written, before any simulation runs.
pub fn prepare_output_dir(dir: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        action: "create the output folder",
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let probe = dir.join(format!(".equisim-write-test.{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(io)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}
