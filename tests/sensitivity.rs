//! `equisim sensitivity`: each end of a parameter's range is the plain run
//! at that value, digit for digit; parameters are ranked by swing; bad
//! `--param` input is named.

use crate::common;
use equisim::decisions::sensitivity::{
    ParameterRange, RankBy, SensitivityRequest, default_ranges, run_sensitivity,
};
use equisim::decisions::solve_floors;
use equisim::engine::{self, RunOptions};
use equisim::scenario::{self, Criterion, Override, SolveFor};
use equisim::stats::{Outputs, PathwiseComparison, Preferences};

const CRITERIA: [Criterion; 3] = [
    Criterion::Mean,
    Criterion::Beats(50),
    Criterion::CertaintyEquivalent,
];

fn range(parameter: &str, low: f64, high: f64) -> ParameterRange {
    ParameterRange {
        parameter: parameter.into(),
        low,
        high,
        source: "--param",
    }
}

#[test]
fn each_end_is_the_plain_run_at_that_value() {
    let path = common::shipped("hf-paris-ask.toml");
    let overrides = [Override::parse("simulation.paths=20000").unwrap()];
    let source = scenario::load_file(&path, &overrides).unwrap().source;
    let ranges = vec![
        range("company.drift", 0.0, 0.2),
        range("employee.attrition_per_year", 0.05, 0.25),
        // Changed on the stored paths, not simulated again.
        range("employee.risk_aversion", 1.0, 4.0),
    ];
    let result = run_sensitivity(
        &SensitivityRequest {
            source: &source,
            overrides: &overrides,
            ranges: ranges.clone(),
            solve_for: SolveFor::Grant,
            criteria: CRITERIA.to_vec(),
            rank_by: RankBy::Floor,
        },
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(result.rows.len(), 3);
    // Largest swing of the mean floor first.
    for w in result.rows.windows(2) {
        assert!(
            w[0].swing >= w[1].swing,
            "{} before {}",
            w[0].swing,
            w[1].swing
        );
    }
    for row in &result.rows {
        for (value, answer) in [(row.range.low, &row.low), (row.range.high, &row.high)] {
            let mut set = overrides.to_vec();
            set.push(Override::parse(&format!("{}={value}", row.range.parameter)).unwrap());
            let s = scenario::load_file(&path, &set).unwrap().scenario;
            let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
            let out = Outputs::compute(&sim, Preferences::of(&s), ("o", "a")).unwrap();
            let floors = solve_floors(&sim, &s, SolveFor::Grant, &CRITERIA);
            let what = format!("{} = {value}", row.range.parameter);
            assert_eq!(
                answer.mean_difference, out.comparison.mean_difference,
                "{what}"
            );
            assert_eq!(
                answer.p_offer_beats_alternative, out.comparison.p_offer_beats_alternative,
                "{what}"
            );
            assert_eq!(answer.floors, floors, "{what}");
        }
    }
    // The swing is the mean floor's, end to end.
    let top = &result.rows[0];
    let floor = |a: &equisim::decisions::sensitivity::Answer| a.floors.floors[0].value.unwrap();
    assert_eq!(top.swing, (floor(&top.high) - floor(&top.low)).abs());
}

/// The comparison a sensitivity computes alone is the full outputs' to
/// the bit, after tax, with every v2 feature, risk neutral; and where the
/// full outputs fail for want of a certainty equivalent it fails the same
/// way.
#[test]
fn the_comparison_alone_is_the_full_outputs_comparison() {
    let every_feature =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/every-v2-feature.toml");
    let files = [
        common::shipped("hf-paris-ask.toml"),
        common::shipped("hf-nyc-ask-tax.toml"),
        common::shipped("us-series-b.toml"),
        every_feature,
    ];
    for (file, extra) in files
        .iter()
        .flat_map(|f| [(f, None), (f, Some("employee.risk_aversion=0"))])
    {
        let mut set = vec![Override::parse("simulation.paths=30000").unwrap()];
        set.extend(extra.map(|e| Override::parse(e).unwrap()));
        let s = scenario::load_file(file, &set).unwrap().scenario;
        let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
        let full = Outputs::compute(&sim, Preferences::of(&s), ("o", "a"))
            .unwrap()
            .comparison;
        let alone = PathwiseComparison::of(&sim, Preferences::of(&s), ("o", "a")).unwrap();
        let what = format!("{} {extra:?}", file.display());
        for (a, b) in [
            (alone.mean_difference, full.mean_difference),
            (
                alone.mean_difference_std_error,
                full.mean_difference_std_error,
            ),
            (
                alone.p_offer_beats_alternative,
                full.p_offer_beats_alternative,
            ),
        ] {
            assert_eq!(a.to_bits(), b.to_bits(), "{what}: {a} against {b}");
        }
    }
    // Strikes paid in cash on leaving a failed company: wealth goes
    // negative.
    let s = common::scenario(
        "[employee]\nattrition_per_year = 0.9\nrisk_aversion = 2.0\noutside_wealth = 1000.0\n\
         [company.exit]\nipo_per_year = 0.0\nacquisition_per_year = 0.0\nfailure_per_year = 0.9\n\
         [offer]\nbase = 0\n[offer.equity]\ninstrument = \"options\"\nstrike_ratio = 10.0\n\
         exercise_on_departure = \"always\"\n",
        2_000,
        7,
    );
    let sim = engine::simulate(&s, &RunOptions::default()).unwrap();
    let full = Outputs::compute(&sim, Preferences::of(&s), ("o", "a")).unwrap_err();
    let alone = PathwiseComparison::of(&sim, Preferences::of(&s), ("o", "a")).unwrap_err();
    assert_eq!(alone.to_string(), full.to_string());
    assert!(
        full.to_string()
            .starts_with("the certainty equivalent of o is undefined"),
        "{full}"
    );
}

/// The default list covers what uncertainty.md asks for, each range
/// around the scenario's own value.
#[test]
fn the_default_list_spans_the_scenario_values() {
    let s = scenario::load_file(&common::shipped("hf-paris-ask.toml"), &[])
        .unwrap()
        .scenario;
    let list = default_ranges(&s);
    for p in [
        "company.drift",
        "company.volatility",
        "company.exit.ipo_per_year",
        "company.exit.acquisition_per_year",
        "company.exit.failure_per_year",
        "company.exit.ipo_multiple.median",
        "company.exit.acquisition_multiple.median",
        "employee.attrition_per_year",
        "employee.illiquidity.discount",
        "company.rounds.dilution_mean",
        "company.rounds.per_year",
        "company.preference_stack",
        "alternative.equity.stock.drift",
    ] {
        let r = list
            .iter()
            .find(|r| r.parameter == p)
            .unwrap_or_else(|| panic!("{p} missing"));
        let own = scenario::fields::number_at(&s, p).unwrap();
        assert!(
            r.low < own && own < r.high,
            "{p}: {own} outside {}..{}",
            r.low,
            r.high
        );
    }
}

#[test]
fn a_bad_param_is_named() {
    for (arg, why) in [
        (
            "company.drift",
            "expected PATH=LO..HI, for example --param company.drift=0..0.2",
        ),
        (
            "company.drift=0.2",
            "expected PATH=LO..HI, for example --param company.drift=0..0.2",
        ),
        (
            "company.drift=a..0.2",
            "LO and HI must be finite numbers, for example 0..0.2",
        ),
        ("company.drift=0.1..0.1", "LO and HI must differ"),
    ] {
        let o = common::equisim()
            .args([
                "sensitivity",
                common::shipped("minimal.toml").to_str().unwrap(),
            ])
            .args(["--param", arg])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err, format!("error: --param {arg}: {why}\n"));
    }
    // A field that is not a number of the scenario.
    let dir = tempfile::TempDir::new().unwrap();
    let o = common::equisim()
        .args([
            "sensitivity",
            common::shipped("minimal.toml").to_str().unwrap(),
            "--quiet",
        ])
        .args([
            "--param",
            "company.volatilty=0.3..0.6",
            "--paths",
            "2000",
            "--no-charts",
        ])
        .args(["--out", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err,
        "error: --param company.volatilty (at 0.3): company.volatilty: unknown field `volatilty`, \
         expected one of `valuation`, `drift`, `volatility`, `preference_stack`, \
         `preferred_fraction`, `rounds`, `exit`, `tender` (did you mean `volatility`?)\n"
    );
}

/// The command writes its three files, and the CSV ranks what the table
/// ranks.
#[test]
fn the_command_writes_the_table_the_files_and_the_chart() {
    let dir = tempfile::TempDir::new().unwrap();
    let o = common::equisim()
        .args([
            "sensitivity",
            common::shipped("hf-paris-ask.toml").to_str().unwrap(),
        ])
        .args([
            "--paths",
            "5000",
            "--quiet",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .args([
            "--param",
            "company.drift=0..0.2",
            "--param",
            "employee.attrition_per_year=0.05..0.25",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Ranked by the swing of the mean grant floor"),
        "{out}"
    );
    for f in ["sensitivity.json", "sensitivity.csv", "tornado.png"] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    let csv = std::fs::read_to_string(dir.path().join("sensitivity.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[0].starts_with("rank,parameter,end,value,mean_difference"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("sensitivity.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["parameters"].as_array().unwrap().len(), 2);
    let first = json["parameters"][0]["parameter"].as_str().unwrap();
    assert!(lines[1].starts_with(&format!("1,{first},low,")), "{csv}");
}

/// With `[[uncertainty]]` entries and no `--param`, each is tried at the
/// 10th and 90th percentiles of its distribution.
#[test]
fn uncertainty_entries_give_the_ranges() {
    let s = common::scenario(
        "[[uncertainty]]\nparameter = \"company.drift\"\nnormal = { mean = 0.1, sd = 0.1 }\n\
         [[uncertainty]]\nparameter = \"employee.attrition_per_year\"\n\
         triangular = { low = 0.08, mode = 0.15, high = 0.25 }\n",
        1_000,
        1,
    );
    let ranges = equisim::command::sensitivity::uncertainty_ranges(&s);
    assert_eq!(ranges.len(), 2);
    let z90 = 1.2815515655446004;
    assert!(
        (ranges[0].low - (0.1 - 0.1 * z90)).abs() < 1e-9,
        "{:?}",
        ranges[0]
    );
    assert!(
        (ranges[0].high - (0.1 + 0.1 * z90)).abs() < 1e-9,
        "{:?}",
        ranges[0]
    );
    // Triangular: P10 = low + sqrt(0.1 c) (high - low), c = 7/17.
    let c: f64 = 0.07 / 0.17;
    assert!((ranges[1].low - (0.08 + (0.1 * c).sqrt() * 0.17)).abs() < 1e-12);
    assert!((ranges[1].high - (0.25 - (0.1 * (1.0 - c)).sqrt() * 0.17)).abs() < 1e-12);
    assert!(ranges.iter().all(|r| r.source == "uncertainty"));
}

/// `--beats-panel` draws a second panel (P(offer beats) at each end) into
/// tornado.png: the chart is not the one-panel chart.
#[test]
fn the_beats_panel_is_drawn_when_asked() {
    let chart = |extra: &[&str]| {
        let dir = tempfile::TempDir::new().unwrap();
        let o = common::equisim()
            .args([
                "sensitivity",
                common::shipped("minimal.toml").to_str().unwrap(),
            ])
            .args([
                "--paths",
                "2000",
                "--quiet",
                "--chart-size",
                "800x500",
                "--out",
            ])
            .arg(dir.path())
            .args(["--param", "company.drift=0..0.2"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        std::fs::read(dir.path().join("tornado.png")).unwrap()
    };
    let (one, two) = (chart(&[]), chart(&["--beats-panel"]));
    assert_eq!(&two[1..4], b"PNG");
    assert_ne!(one, two);
}
