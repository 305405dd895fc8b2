//! Bad input through the real binary: every case must exit with code 2,
//! print one message that names where the problem is (file:line:column or
//! the flag), the field's dotted path, the value and what is allowed, and
//! never panic.

use crate::common;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

/// A valid scenario that the cases below break one line at a time. The
/// line numbers in the expected messages refer to this text.
const BASE: &str = r#"name = "bad input"
currency = "EUR"

[simulation]
paths = 1_000
seed = 7

[employee]
attrition_per_year = 0.15

[company]
valuation = 4.5e9
volatility = 0.60

[company.rounds]
dilution_mean = 0.10
dilution_sd = 0.03

[company.exit]
ipo_per_year = 0.07
acquisition_per_year = 0.05
failure_per_year = 0.02

[offer]
base = 75_000

[offer.equity]
grant = 100_000
instrument = "options"
vesting = { years = 4, cliff_years = 1, every_months = 1 }

[[offer.equity.refresh]]
at_years = 2.0
probability = 0.7
grant_ratio = 0.25

[alternative]
base = 82_000
"#;

/// `BASE` with `old` (which must occur exactly once) replaced by `new`.
fn with(old: &str, new: &str) -> String {
    assert_eq!(BASE.matches(old).count(), 1, "`{old}` must occur once");
    BASE.replace(old, new)
}

/// Runs `equisim ARGS` in a fresh directory holding `bad.toml` with
/// `contents` (none if `None`).
fn run_in_dir(contents: Option<&[u8]>, args: &[&str]) -> (TempDir, Output) {
    let dir = TempDir::new().unwrap();
    if let Some(bytes) = contents {
        std::fs::write(dir.path().join("bad.toml"), bytes).unwrap();
    }
    let output = common::equisim()
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    (dir, output)
}

/// Runs the command and checks that it failed as bad input: exit code 2,
/// no panic, nothing on stdout. Returns stderr.
fn bad_input(contents: Option<&[u8]>, args: &[&str]) -> String {
    let (_dir, output) = run_in_dir(contents, args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "", "{args:?}");
    stderr
}

/// `equisim check bad.toml EXTRA...` on `text` must fail with exactly
/// `expected` (one line, after `error: `).
fn check_fails(text: &str, extra: &[&str], expected: &str) {
    let mut args = vec!["check", "bad.toml"];
    args.extend_from_slice(extra);
    let stderr = bad_input(Some(text.as_bytes()), &args);
    assert_eq!(stderr, format!("error: {expected}\n"));
}

#[test]
fn the_base_scenario_is_valid() {
    let (_dir, output) = run_in_dir(Some(BASE.as_bytes()), &["check", "bad.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---- unknown fields --------------------------------------------------------

#[test]
fn unknown_field_suggests_the_nearest_name() {
    check_fails(
        &with("volatility = 0.60", "volatilty = 0.60"),
        &[],
        "bad.toml:13:1: company.volatilty: unknown field `volatilty`, expected one of \
         `valuation`, `drift`, `volatility`, `preference_stack`, `preferred_fraction`, `rounds`, `exit`, \
         `tender` \
         (did you mean `volatility`?)",
    );
}

#[test]
fn unknown_field_in_an_array_of_tables_has_its_index() {
    check_fails(
        &with("probability = 0.7", "probabilty = 0.7"),
        &[],
        "bad.toml:34:1: offer.equity.refresh.0.probabilty: unknown field `probabilty`, expected one of \
         `at_years`, `every_years`, `probability`, `grant`, `grant_ratio`, `vesting` (did you mean \
         `probability`?)",
    );
}

#[test]
fn unknown_table_is_named() {
    check_fails(
        &with("[offer]\n", "[offr]\n"),
        &[],
        "bad.toml:24:2: unknown field `offr`, expected one of `name`, `currency`, `simulation`, \
         `employee`, `company`, `offer`, `alternative`, `floor`, `sweep`, `report`, `tax`, \
         `uncertainty` (did you mean `offer`?)",
    );
}

#[test]
fn name_after_a_table_header_is_explained() {
    check_fails(
        &format!("{BASE}name = \"late\"\n"),
        &[],
        "bad.toml:39:1: alternative.name: unknown field `name`, expected one of `label`, `base`, \
         `bonus_rate`, `sign_on`, `equity` (`name` belongs at the top of the file: fields written \
         after a [table] header belong to that table)",
    );
}

#[test]
fn unknown_variant_lists_the_allowed_values() {
    check_fails(
        &with("instrument = \"options\"", "instrument = \"stock\""),
        &[],
        "bad.toml:29:14: offer.equity.instrument: unknown variant `stock`, expected `rsu` or `options`",
    );
    check_fails(
        &with(
            "attrition_per_year = 0.15",
            "attrition_per_year = 0.15\nilliquidity = { method = \"finerty\" }",
        ),
        &[],
        "bad.toml:10:26: employee.illiquidity.method: unknown variant `finerty`, expected one of \
         `none`, `flat`, `finnerty`, `chaffe` (did you mean `finnerty`?)",
    );
}

// ---- wrong types -----------------------------------------------------------

#[test]
fn string_where_a_number_is_expected() {
    check_fails(
        &with("valuation = 4.5e9", "valuation = \"4.5 billion\""),
        &[],
        "bad.toml:12:13: company.valuation: invalid type: string \"4.5 billion\", expected a number",
    );
}

#[test]
fn wrong_type_inside_an_inline_table() {
    check_fails(
        &with("every_months = 1 }", "every_months = \"monthly\" }"),
        &[],
        "bad.toml:30:56: offer.equity.vesting.every_months: invalid type: string \"monthly\", \
         expected a number",
    );
}

#[test]
fn scalar_where_a_table_is_expected() {
    check_fails(
        &with(
            "attrition_per_year = 0.15",
            "attrition_per_year = 0.15\nilliquidity = \"flat\"",
        ),
        &[],
        "bad.toml:10:15: employee.illiquidity: invalid type: string \"flat\", \
         expected a table such as { method = \"flat\", discount = 0.25 }",
    );
}

#[test]
fn fractional_path_count() {
    check_fails(
        &with("paths = 1_000", "paths = 1.5"),
        &[],
        "bad.toml:5:9: simulation.paths: invalid value: floating point `1.5`, \
         expected a whole number >= 0",
    );
}

/// A float that is exactly a whole number is one: `paths = 2.5e5`, and
/// the same on the command line.
#[test]
fn a_whole_float_path_count_is_accepted() {
    let (_dir, output) = run_in_dir(
        Some(with("paths = 1_000", "paths = 2.5e3").as_bytes()),
        &["check", "bad.toml"],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\npaths = 2500\n"));
    let (_dir, output) = run_in_dir(
        Some(BASE.as_bytes()),
        &[
            "run",
            "bad.toml",
            "--paths",
            "2e3",
            "--no-charts",
            "--quiet",
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"paths\": 2000"));
}

// ---- ranges ----------------------------------------------------------------

#[test]
fn attrition_of_one_is_outside_its_range() {
    check_fails(
        &with("attrition_per_year = 0.15", "attrition_per_year = 1.0"),
        &[],
        "bad.toml:9:22: 1 is not allowed: employee.attrition_per_year must be in [0, 1)",
    );
}

#[test]
fn refresh_probability_path_has_the_index() {
    check_fails(
        &with("probability = 0.7", "probability = 1.5"),
        &[],
        "bad.toml:34:15: 1.5 is not allowed: offer.equity.refresh.0.probability must be in [0, 1]",
    );
}

#[test]
fn exit_probabilities_summing_to_one() {
    let text = with("ipo_per_year = 0.07", "ipo_per_year = 0.5")
        .replace("acquisition_per_year = 0.05", "acquisition_per_year = 0.3")
        .replace("failure_per_year = 0.02", "failure_per_year = 0.2");
    check_fails(
        &text,
        &[],
        "bad.toml:19:1: company.exit: ipo_per_year + acquisition_per_year + failure_per_year = \
         0.5 + 0.3 + 0.2 = 1 is not allowed: the sum must be below 1 \
         (they are the annual probabilities of competing events)",
    );
    // 0.7 + 0.2 + 0.1 adds up to 0.9999999999999999 in floating point.
    let text = with("ipo_per_year = 0.07", "ipo_per_year = 0.7")
        .replace("acquisition_per_year = 0.05", "acquisition_per_year = 0.2")
        .replace("failure_per_year = 0.02", "failure_per_year = 0.1");
    check_fails(
        &text,
        &[],
        "bad.toml:19:1: company.exit: ipo_per_year + acquisition_per_year + failure_per_year = \
         0.7 + 0.2 + 0.1 = 1 is not allowed: the sum must be below 1 \
         (they are the annual probabilities of competing events)",
    );
}

#[test]
fn dilution_sd_too_large_for_its_mean() {
    check_fails(
        &with("dilution_sd = 0.03", "dilution_sd = 0.4"),
        &[],
        "bad.toml:17:15: 0.4 is not allowed: company.rounds.dilution_sd must be below \
         sqrt(mean (1 - mean)) = 0.3000 for dilution_mean = 0.1 \
         (a Beta distribution needs sd^2 < mean (1 - mean))",
    );
}

#[test]
fn vesting_months_that_do_not_divide_the_schedule() {
    check_fails(
        &with("every_months = 1 }", "every_months = 5 }"),
        &[],
        "bad.toml:30:56: 5 is not allowed: offer.equity.vesting.every_months must be a divisor \
         of the schedule: 12 * years / every_months = 9.6 must be a whole number",
    );
}

#[test]
fn horizon_shorter_than_the_window() {
    check_fails(
        &with("seed = 7", "seed = 7\nwindow_years = 5\nhorizon_years = 3"),
        &[],
        "bad.toml:8:17: 3 is not allowed: simulation.horizon_years must be at least \
         simulation.window_years (5) and at most 100",
    );
}

#[test]
fn negative_base() {
    check_fails(
        &with("base = 75_000", "base = -75_000"),
        &[],
        "bad.toml:25:8: -75000 is not allowed: offer.base must be a finite amount >= 0",
    );
}

#[test]
fn nan_is_rejected() {
    check_fails(
        &with("volatility = 0.60", "volatility = nan"),
        &[],
        "bad.toml:13:14: nan is not allowed: company.volatility must be a finite number in [0, 3]",
    );
}

#[test]
fn infinity_is_rejected() {
    check_fails(
        &with("grant = 100_000", "grant = inf"),
        &[],
        "bad.toml:28:9: inf is not allowed: offer.equity.grant must be a finite amount >= 0",
    );
    check_fails(
        &with("valuation = 4.5e9", "valuation = -inf"),
        &[],
        "bad.toml:12:13: -inf is not allowed: company.valuation must be a finite amount > 0",
    );
}

#[test]
fn discount_with_a_method_other_than_flat() {
    check_fails(
        &with(
            "attrition_per_year = 0.15",
            "attrition_per_year = 0.15\nilliquidity = { method = \"finnerty\", discount = 0.2 }",
        ),
        &[],
        "bad.toml:10:49: employee.illiquidity.discount = 0.2 is only allowed with \
         method = \"flat\"; remove it or set method = \"flat\"; to change the method, give the \
         table whole: employee.illiquidity = { method = \"finnerty\" }",
    );
}

#[test]
fn refresh_with_both_grant_and_grant_ratio() {
    check_fails(
        &with("grant_ratio = 0.25", "grant_ratio = 0.25\ngrant = 25_000"),
        &[],
        "bad.toml:32:1: offer.equity.refresh.0: give exactly one of `grant` and `grant_ratio`, not both",
    );
}

#[test]
fn floor_criterion_p100() {
    check_fails(
        &format!("{BASE}\n[floor]\ncriteria = [\"mean\", \"p100\"]\n"),
        &[],
        "bad.toml:41:21: \"p100\" is not allowed: floor.criteria.1 must be one of \"mean\", \
         \"median\", \"ce\", \"pNN\" or \"beatsNN\" with NN from 1 to 99",
    );
}

// ---- missing and unreadable input --------------------------------------------

#[test]
fn missing_required_field() {
    check_fails(
        &with("base = 75_000\n", ""),
        &[],
        "bad.toml:24:1: required field `offer.base` is missing: it must be a finite amount >= 0 \
         (the yearly base pay)",
    );
}

#[test]
fn missing_field_in_an_array_of_tables() {
    check_fails(
        &with("at_years = 2.0\n", ""),
        &[],
        "bad.toml:32:1: required field `offer.equity.refresh.0.at_years` is missing: \
         it must be a time in years >= 0",
    );
}

#[test]
fn empty_file() {
    let expected = "error: bad.toml: the scenario is empty: it needs at least `name`, \
                    `company.valuation`, `offer.base`, `offer.equity.grant` and `alternative.base`\n";
    assert_eq!(bad_input(Some(b""), &["check", "bad.toml"]), expected);
    assert_eq!(
        bad_input(Some(b"# only a comment\n\n"), &["check", "bad.toml"]),
        expected
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("EUR").unwrap();
    bytes[at] = 0xff;
    let stderr = bad_input(Some(&bytes), &["check", "bad.toml"]);
    assert_eq!(
        stderr,
        format!(
            "error: bad.toml:2:13: currency: the file is not valid UTF-8 text \
             (first bad byte at offset {at}): save it as UTF-8\n"
        )
    );
}

#[test]
fn missing_file() {
    let stderr = bad_input(None, &["check", "no-such-scenario.toml"]);
    assert!(
        stderr.starts_with("error: cannot read no-such-scenario.toml: "),
        "{stderr}"
    );
    assert!(stderr.contains("No such file"), "{stderr}");
    let stderr = bad_input(None, &["run", "no-such-scenario.toml", "--paths", "10"]);
    assert!(
        stderr.starts_with("error: cannot read no-such-scenario.toml: "),
        "{stderr}"
    );
}

// ---- TOML syntax -------------------------------------------------------------

#[test]
fn toml_syntax_error_names_the_line_and_field() {
    let stderr = bad_input(
        Some(with("base = 75_000", "base = 75_000 EUR").as_bytes()),
        &["check", "bad.toml"],
    );
    assert!(
        stderr.starts_with("error: bad.toml:25:8: offer.base: invalid TOML: "),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            " (a value is a number such as 75_000, 4.5e9 or 0.15 without units or currency \
             signs, a \"quoted string\", true or false, a [list] or a { table })\n"
        ),
        "{stderr}"
    );
    let stderr = bad_input(
        Some(with("valuation = 4.5e9", "valuation = = 4.5e9").as_bytes()),
        &["check", "bad.toml"],
    );
    assert!(
        stderr.starts_with("error: bad.toml:12:13: company.valuation: invalid TOML: "),
        "{stderr}"
    );
}

#[test]
fn duplicate_key() {
    check_fails(
        &with("seed = 7", "seed = 7\nseed = 8"),
        &[],
        "bad.toml:7:1: invalid TOML: duplicate key `seed`: `simulation.seed` is set twice; \
         each field and each [table] may appear only once",
    );
}

// ---- command-line arguments --------------------------------------------------

#[test]
fn set_to_an_unknown_path() {
    check_fails(
        BASE,
        &["--set", "company.volatilty=0.5"],
        "--set company.volatilty=0.5: company.volatilty: unknown field `volatilty`, expected one of \
         `valuation`, `drift`, `volatility`, `preference_stack`, `preferred_fraction`, `rounds`, `exit`, \
         `tender` \
         (did you mean `volatility`?)",
    );
}

#[test]
fn malformed_set() {
    check_fails(
        BASE,
        &["--set", "company.volatility"],
        "--set company.volatility: expected `dotted.path=value`, for example --set company.volatility=0.45",
    );
    check_fails(
        BASE,
        &["--set", "company..volatility=0.5"],
        "--set company..volatility=0.5: `company..volatility` is not a dotted field path such as \
         company.exit.ipo_per_year",
    );
}

#[test]
fn set_errors_name_the_flag() {
    check_fails(
        BASE,
        &["--set", "company.volatility=high"],
        "--set company.volatility=high: company.volatility: invalid type: string \"high\", \
         expected a number",
    );
    check_fails(
        BASE,
        &["--set", "offer.equity.refresh.0.probability=2"],
        "--set offer.equity.refresh.0.probability=2: 2 is not allowed: \
         offer.equity.refresh.0.probability must be in [0, 1]",
    );
    check_fails(
        BASE,
        &["--set", "offer.equity.refresh.1.probability=0.5"],
        "--set offer.equity.refresh.1.probability=0.5: offer.equity.refresh.1.probability: \
         `offer.equity.refresh` has 1 item(s): there is no item 1",
    );
    check_fails(
        BASE,
        &["--set", "alternative.equity.refresh.0.probability=0.5"],
        "--set alternative.equity.refresh.0.probability=0.5: alternative.equity.refresh.0.probability: \
         `alternative.equity.refresh` has no items: there is no item 0 to change \
         (add a [[alternative.equity.refresh]] section to the file first)",
    );
}

#[test]
fn set_that_breaks_another_field_names_the_flag() {
    check_fails(
        BASE,
        &["--set", "simulation.window_years=20"],
        "--set simulation.window_years=20: 10 (the default) is not allowed: \
         simulation.horizon_years must be at least simulation.window_years (20) and at most 100",
    );
    check_fails(
        BASE,
        &["--set", "company.rounds.dilution_mean=0.0005"],
        "--set company.rounds.dilution_mean=0.0005: 0.03 is not allowed: company.rounds.dilution_sd \
         must be below sqrt(mean (1 - mean)) = 0.0224 for dilution_mean = 0.0005 \
         (a Beta distribution needs sd^2 < mean (1 - mean))",
    );
}

#[test]
fn paths_zero() {
    let stderr = bad_input(
        Some(BASE.as_bytes()),
        &["run", "bad.toml", "--paths", "0", "--out", "out"],
    );
    assert_eq!(
        stderr,
        "error: --paths 0: 0 is not allowed: simulation.paths must be a whole number from 1 to 10^10\n"
    );
    let stderr = bad_input(
        Some(BASE.as_bytes()),
        &["run", "bad.toml", "--paths", "many", "--out", "out"],
    );
    assert_eq!(
        stderr,
        "error: --paths many: expected a whole number, for example --paths 100000\n"
    );
}

#[test]
fn threads_zero() {
    let stderr = bad_input(
        Some(BASE.as_bytes()),
        &["run", "bad.toml", "--threads", "0", "--out", "out"],
    );
    assert!(
        stderr.starts_with("error: invalid value '0' for '--threads <N>': 0 is not in 1..=1024"),
        "{stderr}"
    );
}

#[test]
fn run_reports_file_errors_like_check() {
    let (dir, output) = run_in_dir(
        Some(with("attrition_per_year = 0.15", "attrition_per_year = 1.0").as_bytes()),
        &["run", "bad.toml", "--paths", "100", "--out", "out"],
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: bad.toml:9:22: 1 is not allowed: employee.attrition_per_year must be in [0, 1)\n"
    );
    // Nothing is written for a scenario that does not validate.
    assert!(!Path::new(&dir.path().join("out").join("summary.json")).exists());
}

#[test]
fn more_paths_than_memory_holds_need_streaming() {
    let stderr = bad_input(
        Some(BASE.as_bytes()),
        &[
            "run",
            "bad.toml",
            "--paths",
            "200000000",
            "--stream-above",
            "300000000",
            "--quiet",
        ],
    );
    assert_eq!(
        stderr,
        "error: simulation.paths = 200000000 is more than can be kept in memory (100000000): \
         `equisim run` streams such runs (--stream-above 100000000 or less); `floor` and `sweep` \
         keep their paths, use at most 100000000 paths there\n"
    );
}

#[test]
fn a_tax_rate_of_one_or_more() {
    check_fails(
        &format!("{BASE}\n[tax]\npreset = \"fr-2026\"\ncapital_gain = 1.0\n"),
        &[],
        "bad.toml:42:16: 1 is not allowed: tax.capital_gain must be in [0, 1)",
    );
    check_fails(
        &format!("{BASE}\n[tax]\npay = -0.1\n"),
        &[],
        "bad.toml:41:7: -0.1 is not allowed: tax.pay must be in [0, 1)",
    );
}

#[test]
fn an_unknown_tax_preset() {
    check_fails(
        &format!("{BASE}\n[tax]\npreset = \"fr-2025\"\n"),
        &[],
        "bad.toml:41:10: tax.preset: unknown variant `fr-2025`, expected one of `fr-2026`, \
         `us-ny-2026`, `us-ca-2026`, `none` (did you mean `fr-2026`?)",
    );
}

#[test]
fn a_tax_treatment_that_does_not_fit_the_instrument() {
    check_fails(
        &with(
            "instrument = \"options\"",
            "instrument = \"rsu\"\ntax_treatment = \"bspce\"",
        ),
        &[],
        "bad.toml:30:17: \"bspce\" is not allowed: offer.equity.tax_treatment must be \"rsu\" for \
         instrument = \"rsu\" (the option treatments need instrument = \"options\")",
    );
    check_fails(
        &with(
            "instrument = \"options\"",
            "instrument = \"options\"\ntax_treatment = \"rsu\"",
        ),
        &[],
        "bad.toml:30:17: \"rsu\" is not allowed: offer.equity.tax_treatment must be one of \
         \"nso\", \"iso\", \"bspce\", \"qualified_options\" for instrument = \"options\"",
    );
    check_fails(
        &format!("{BASE}\n[alternative.equity]\ntax_treatment = \"iso\"\n"),
        &[],
        "bad.toml:41:17: \"iso\" is not allowed: alternative.equity.tax_treatment must be \
         \"rsu\" or \"free_shares\" (the public offer's RSUs)",
    );
}

#[test]
fn an_uncertainty_mostly_outside_its_field() {
    check_fails(
        &format!(
            "{BASE}\n[[uncertainty]]\nparameter = \"company.volatility\"\nnormal = {{ mean = -0.5, sd = 0.3 }}\n"
        ),
        &[],
        "bad.toml:40:1: normal { mean = -0.5, sd = 0.3 } for company.volatility is not allowed: \
         uncertainty.0 must be a distribution with at least half of its mass inside what \
         company.volatility allows; 95% of this one is outside (for example: -1.342110130503141 \
         is not allowed: company.volatility must be in [0, 3])",
    );
    check_fails(
        &format!("{BASE}\n[[uncertainty]]\nparameter = \"company.volatility\"\n"),
        &[],
        "bad.toml:40:1: parameter = \"company.volatility\" is not allowed: uncertainty.0 must be \
         given exactly one distribution: normal, lognormal, uniform or triangular",
    );
    check_fails(
        &format!(
            "{BASE}\n[[uncertainty]]\nparameter = \"offer.label\"\nuniform = {{ low = 0, high = 1 }}\n"
        ),
        &[],
        "bad.toml:41:13: \"offer.label\" is not allowed: uncertainty.0.parameter must be the \
         dotted path of a numeric field of the scenario, as for a sweep (for example \
         \"company.drift\")",
    );
}

#[test]
fn an_iso_instrument_says_where_the_kind_goes() {
    check_fails(
        &with("instrument = \"options\"", "instrument = \"NSO\""),
        &[],
        "bad.toml:29:14: offer.equity.instrument: unknown variant `NSO`, expected `rsu` or \
         `options` (ISOs and NSOs are instrument = \"options\"; the kind is the tax treatment, \
         offer.equity.tax_treatment = \"nso\")",
    );
}

#[test]
fn an_ensemble_draws_only_what_the_paths_are_drawn_from() {
    check_fails(
        &format!(
            "{BASE}\n[[uncertainty]]\nparameter = \"offer.base\"\nuniform = {{ low = 70_000, high = 80_000 }}\n"
        ),
        &[],
        "bad.toml:41:13: \"offer.base\" is not allowed: uncertainty.0.parameter must be \
         something the paths are drawn from: a field of company or alternative.equity.stock, \
         employee.attrition_per_year or employee.illiquidity; pay, grants, taxes, the discount \
         rate and the person's preferences are the same on every path (try `equisim sensitivity \
         --param offer.base=LO..HI`)",
    );
    let drift = format!(
        "{BASE}\n[[uncertainty]]\nparameter = \"company.drift\"\nnormal = {{ mean = 0.1, sd = 0.1 }}\n"
    );
    check_fails(
        &drift,
        &["--set", "company.drift=0.2"],
        "--set company.drift=0.2: 0.2 is not allowed: company.drift must be left to its \
         [[uncertainty]] distribution (uncertainty.0), which every draw of the ensemble writes \
         over it: change the distribution instead (for example --set \
         uncertainty.0.normal.mean=0.2), or remove the entry",
    );
    check_fails(
        &with("seed = 7", "seed = 7\nuncertainty_draws = 0"),
        &[],
        "bad.toml:7:21: 0 is not allowed: simulation.uncertainty_draws must be a whole number \
         from 1 to 65536",
    );
}
