//! The `floor` and `sweep` commands, and the floors in `run`'s output,
//! through the real binary.

use crate::common;
use std::process::Output;
use tempfile::TempDir;

fn equisim(args: &[&str]) -> Output {
    common::equisim()
        .args(args)
        .output()
        .expect("the binary runs")
}

const PARIS: &str = "scenarios/hf-paris-ask.toml";

#[test]
fn floor_prints_each_criterion_in_words() {
    let out = equisim(&["floor", PARIS, "--paths", "20000", "--quiet", "--no-charts"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Accept-at floor"), "{text}");
    assert!(text.contains("your grant of €100K is"), "{text}");
    assert!(text.contains("below the mean floor of"), "{text}");
    assert!(text.contains("unreachable"), "{text}");
    assert!(text.contains("why:"), "{text}");
    assert!(text.contains("the lever left"), "{text}");
    assert!(text.contains("floors solved in"), "{text}");
}

#[test]
fn floor_json_has_a_value_per_criterion() {
    let out = equisim(&[
        "floor",
        PARIS,
        "--paths",
        "20000",
        "--criteria",
        "mean,p25",
        "--solve-for",
        "base",
        "--json",
        "--no-charts",
    ]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let floor = &v["floor"];
    for c in ["mean", "p25"] {
        assert_eq!(floor[c]["solve_for"], "base", "{v}");
        assert_eq!(floor[c]["reachable"], true, "{v}");
        assert!(floor[c]["value"].as_f64().unwrap() > 0.0, "{v}");
    }
}

#[test]
fn floor_rejects_a_bad_criterion() {
    let out = equisim(&["floor", PARIS, "--paths", "1000", "--criteria", "mean,p100"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--criteria") && stderr.contains("p100"),
        "{stderr}"
    );
}

#[test]
fn run_adds_the_floors_to_the_table_and_summary() {
    let dir = TempDir::new().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = equisim(&[
        "run",
        PARIS,
        "--paths",
        "20000",
        "--quiet",
        "--no-charts",
        "--out",
        out_dir,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Accept-at floor"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    let floor = &summary["floor"];
    for c in ["mean", "beats50", "p10", "ce"] {
        assert_eq!(floor[c]["solve_for"], "grant", "{c}");
        let reachable = floor[c]["reachable"].as_bool().unwrap();
        assert_eq!(floor[c]["value"].is_null(), !reachable, "{c}");
        if !reachable {
            assert!(floor[c]["explanation"].is_string(), "{c}");
            assert!(floor[c]["base_floor"]["value"].is_f64(), "{c}");
        }
    }
    // One row per offer, one column per figure; the floors on the offer's.
    let csv = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(
        &header[..5],
        ["offer", "seed", "paths", "after_tax", "label"]
    );
    let p = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert!(
        p("total.percentiles.p5") < p("total.percentiles.p10"),
        "{}",
        lines[0]
    );
    let floor_mean = p("floor_mean");
    let offer: Vec<&str> = lines[1].split(',').collect();
    let alternative: Vec<&str> = lines[2].split(',').collect();
    assert_eq!((offer[0], alternative[0]), ("offer", "alternative"));
    assert!(offer[floor_mean].parse::<f64>().is_ok(), "{}", lines[1]);
    assert_eq!(alternative[floor_mean], "");
    assert_eq!(offer.len(), header.len());
    assert_eq!(alternative.len(), header.len());
}

#[test]
fn sweep_writes_csv_and_json() {
    let dir = TempDir::new().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = equisim(&[
        "sweep", PARIS, "--paths", "20000", "--steps", "3", "--quiet", "--out", out_dir,
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Sweep of employee.illiquidity.discount"),
        "{text}"
    );
    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // 0, 0.3 and 0.6, and the scenario's own 0.25: a point of its own, so
    // that what is shown there is computed, not interpolated.
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[0].starts_with("employee.illiquidity.discount,offer_mean,"));
    assert!(lines[0].contains("floor_p10") && lines[0].contains("base_floor_ce"));
    assert!(lines[2].starts_with("0.25,"), "{csv}");
    assert!(lines[3].starts_with("0.3,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["points"].as_array().unwrap().len(), 4);
    assert_eq!(json["reuse"], "flat_discount");
    assert!(json["points"][1]["floor"]["mean"]["value"].is_f64());
}

#[test]
fn sweep_flags_override_the_table_and_errors_name_the_flag() {
    let dir = TempDir::new().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = equisim(&[
        "sweep",
        PARIS,
        "--paths",
        "5000",
        "--param",
        "company.volatilty",
        "--from",
        "0.3",
        "--to",
        "0.5",
        "--steps",
        "2",
        "--out",
        out_dir,
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--param company.volatilty"), "{stderr}");
    let out = equisim(&[
        "sweep",
        PARIS,
        "--param",
        "offer.label",
        "--from",
        "0",
        "--to",
        "1",
        "--out",
        out_dir,
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a number"));
    let out = equisim(&["sweep", "scenarios/minimal.toml", "--out", out_dir]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("[sweep]"));
    let out = equisim(&[
        "sweep",
        PARIS,
        "--paths",
        "5000",
        "--param",
        "company.volatility",
        "--from",
        "0.4",
        "--to",
        "0.6",
        "--steps",
        "2",
        "--quiet",
        "--out",
        out_dir,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("simulated again at each value"));
}
