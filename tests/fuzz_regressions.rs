//! Inputs that once crashed, hung or produced a NaN, kept from fuzzing
//! (`fuzz/`, target `scenario`), and the fuzzer's seed scenarios: each goes
//! through the fuzz target's own steps (`fuzz/pipeline.rs`: parse,
//! validate, a 16-path simulation, the summary, the floors, a short sweep,
//! every report) and must end in a clean error or in finite outputs, never
//! a panic.
//!
//! Files in `tests/fuzz-regressions/`: the scenario text, optionally
//! followed by a NUL byte and `--set` overrides, one `path=value` a line.

#[path = "../fuzz/pipeline.rs"]
mod pipeline;

use pipeline::Ending;
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn ending(path: &Path) -> Ending {
    let data = std::fs::read(path).unwrap();
    match std::panic::catch_unwind(|| pipeline::run(&data)) {
        Ok(end) => end,
        Err(_) => panic!("{} panicked", path.display()),
    }
}

#[test]
fn every_kept_input_ends_cleanly() {
    let inputs = files("tests/fuzz-regressions");
    assert!(!inputs.is_empty());
    for path in inputs {
        let end = ending(&path);
        eprintln!("{}: {end:?}", path.display());
    }
}

#[test]
fn every_fuzz_seed_ends_cleanly() {
    for path in files("fuzz/seeds") {
        ending(&path);
    }
}

/// The specific outcomes: a clear error where the input is out of range,
/// finite numbers where it is extreme but valid.
#[test]
fn kept_inputs_end_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    match ending(&dir.join("amounts-beyond-f64-sums.toml")) {
        Ending::Error(msg) => assert!(msg.contains("at most 10^15"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ending(&dir.join("exit-multiple-beyond-f32.toml")),
        Ending::Finite
    );
    assert_eq!(
        ending(&dir.join("valuation-near-underflow.toml")),
        Ending::Finite
    );
}
