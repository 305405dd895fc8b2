//! The command line as a new user meets it: every example of every
//! `--help` works on the shipped scenarios, a closed pipe ends the program
//! quietly, `check` validates all the file holds, and the small words
//! (counts, rates, criteria, likely typos) read right.

use crate::common;
use std::io::Read;
use std::path::Path;
use std::process::{Output, Stdio};
use tempfile::TempDir;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Splits a shell command line into words: spaces separate them, single
/// and double quotes group them (with `\"` inside double quotes), and a
/// `#` word starts a comment.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if chars.peek() == Some(&'"') => word.push(chars.next().unwrap()),
                        c => word.push(c),
                    }
                }
            }
            '#' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The example lines (`  equisim ...`) of a help text's `Examples:`
/// block, each of which must fit on its line: an example the help wraps
/// cannot be copied whole.
fn examples(help: &str) -> Vec<Vec<String>> {
    let block: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(!block.is_empty(), "no examples in\n{help}");
    for line in &block {
        assert!(
            line.starts_with("  equisim "),
            "a wrapped example: `{line}`\n{help}"
        );
    }
    block
        .iter()
        .map(|l| {
            let mut words = shell_words(l);
            // A redirection is the shell's business, not the command's.
            if let Some(i) = words.iter().position(|w| w == ">") {
                words.truncate(i);
            }
            words.remove(0);
            words
        })
        .collect()
}

/// An example made quick and contained: at most `MAX_PATHS` paths, no
/// progress bar, files into `out`, scenarios from the repository.
fn contained(mut words: Vec<String>, out: &Path) -> Vec<String> {
    const MAX_PATHS: u64 = 4_000;
    let simulates = matches!(words[0].as_str(), "run" | "floor" | "sweep" | "sensitivity");
    for w in words.iter_mut() {
        if let Some(name) = w.strip_prefix("scenarios/") {
            *w = common::shipped(name).display().to_string();
        }
    }
    if simulates {
        match words.iter().position(|w| w == "--paths") {
            Some(i) => {
                let n: u64 = words[i + 1].parse().unwrap();
                words[i + 1] = n.min(MAX_PATHS).to_string();
            }
            None => words.extend(["--paths".into(), MAX_PATHS.to_string()]),
        }
        match words.iter().position(|w| w == "--out") {
            Some(i) => words[i + 1] = out.display().to_string(),
            None => words.extend(["--out".into(), out.display().to_string()]),
        }
        words.push("--quiet".into());
        if words[0] != "floor" {
            words.extend(["--chart-size".into(), "400x300".into()]);
        }
    }
    words
}

#[test]
fn every_help_example_works_on_the_shipped_scenarios() {
    let mut seen = 0;
    for command in [
        None,
        Some("run"),
        Some("check"),
        Some("floor"),
        Some("sweep"),
        Some("sensitivity"),
        Some("dlom"),
    ] {
        let mut help = common::equisim();
        help.args(command).arg("--help");
        let help = help.output().unwrap();
        assert!(help.status.success(), "{help:?}");
        for words in examples(&stdout(&help)) {
            let dir = TempDir::new().unwrap();
            let args = contained(words.clone(), dir.path());
            // Run elsewhere, so that an example written without `--out`
            // cannot leave its files in the project's output folder.
            let o = common::equisim()
                .args(&args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "`equisim {}` (run as {args:?}) failed:\n{}",
                words.join(" "),
                stderr(&o)
            );
            seen += 1;
        }
    }
    // The top level, run, check, floor, sweep, sensitivity and dlom each
    // show some.
    assert!(seen >= 20, "only {seen} examples found");
}

#[test]
fn the_shell_words_of_an_example() {
    assert_eq!(
        shell_words(r#"equisim check a.toml --set 'x={ m = "f" }' # note"#),
        ["equisim", "check", "a.toml", "--set", r#"x={ m = "f" }"#]
    );
    assert_eq!(shell_words(r#"a "b \"c\"" d"#), ["a", r#"b "c""#, "d"]);
}

/// The defaults the help texts state are the library's.
#[test]
fn help_states_the_defaults_in_force() {
    use equisim::scenario::defaults;
    let help = |command: &str| {
        stdout(
            &common::equisim()
                .args([command, "--help"])
                .output()
                .unwrap(),
        )
    };
    let rate = equisim::scenario::fmt_value(defaults::DISCOUNT_RATE);
    assert!(help("dlom").contains(&format!("[default: {rate}]")));
    let criteria: Vec<String> = defaults::FLOOR_CRITERIA
        .iter()
        .map(|c| c.to_string())
        .collect();
    let sweep = help("sweep");
    assert!(
        sweep.contains(&format!("else {}]", criteria.join(","))),
        "{sweep}"
    );
    assert!(
        sweep.contains(&format!("else {}]", defaults::SWEEP_STEPS)),
        "{sweep}"
    );
}

/// `equisim run SCENARIO | head -1`: the reader goes away before the
/// table is written; the program ends quietly, with status 0.
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let dir = TempDir::new().unwrap();
    for _ in 0..5 {
        let mut child = common::equisim()
            .arg("run")
            .arg(common::shipped("minimal.toml"))
            .args(["--paths", "20000", "--no-charts", "--quiet", "--out"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(err.is_empty(), "{err}");
        assert_eq!(status.code(), Some(0));
    }
}

/// A scenario whose `[sweep]` names a field that does not exist.
#[test]
fn check_validates_the_sweep_table() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("s.toml");
    let text = common::scenario_text(
        "[sweep]\nparameter = \"employee.nonexistent\"\nfrom = 0\nto = 1\n",
        1_000,
        1,
    );
    std::fs::write(&file, text).unwrap();
    let o = common::equisim().arg("check").arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = stderr(&o);
    assert!(
        err.starts_with("error: sweep.parameter = \"employee.nonexistent\" (at 0): "),
        "{err}"
    );
    assert!(err.contains("unknown field `nonexistent`"), "{err}");
    assert_eq!(stdout(&o), "");
}

/// A folder that exists but takes no files is not "missing".
#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_cannot_be_written_is_named_as_such() {
    let o = common::equisim()
        .arg("run")
        .arg(common::shipped("minimal.toml"))
        .args(["--paths", "1000", "--quiet", "--out", "/proc/self"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot write into the output folder /proc/self: "),
        "{err}"
    );
}

#[test]
fn one_path_and_one_year_are_singular_and_the_rate_is_as_given() {
    let dir = TempDir::new().unwrap();
    let o = common::equisim()
        .arg("run")
        .arg(common::shipped("minimal.toml"))
        .args(["--paths", "1", "--no-charts", "--quiet"])
        .args(["--set", "simulation.window_years=1", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let table = stdout(&o);
    let header = table.lines().nth(1).unwrap();
    assert!(
        header.starts_with("1 path, seed 42, window 1 year, horizon 10 years"),
        "{header}"
    );
    assert!(header.contains("discount rate 3.75%"), "{header}");
    assert!(table.contains("Total PV over 1 year\n"), "{table}");
    assert!(table.contains("\nSimulated 1 path in "), "{table}");
}

/// Every output prints the percentile criteria as `P10`: the flag takes
/// them so too.
#[test]
fn criteria_are_read_in_any_case() {
    let o = common::equisim()
        .arg("floor")
        .arg(common::shipped("hf-paris-ask.toml"))
        .args(["--paths", "4000", "--quiet", "--no-charts", "--json"])
        .args(["--criteria", "Mean,P10,CE"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let floors = json["floor"].as_object().unwrap();
    let mut criteria: Vec<&str> = floors
        .values()
        .map(|f| f["criterion"].as_str().unwrap())
        .collect();
    criteria.sort();
    assert_eq!(criteria, ["ce", "mean", "p10"]);
}

#[test]
fn a_bonus_rate_above_one_is_taken_for_a_percentage() {
    let o = common::equisim()
        .arg("check")
        .arg(common::shipped("minimal.toml"))
        .args(["--set", "offer.bonus_rate=10"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        stderr(&o),
        "warning: offer.bonus_rate = 10 is a bonus of 1000% of the base: the rate is a share \
         (0.1 = 10%); if you meant 10%, write offer.bonus_rate = 0.1\n"
    );
}

/// A name cut short gets the field it begins as the suggestion.
#[test]
fn a_prefix_of_a_field_is_suggested() {
    let o = common::equisim()
        .arg("check")
        .arg(common::shipped("minimal.toml"))
        .args(["--set", "offer.bonus=0.1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.trim_end().ends_with("(did you mean `bonus_rate`?)"),
        "{err}"
    );
}

/// `P(total ≥ A)` (model v2 §10): from `report.thresholds` and
/// `--threshold`, counted exactly by a kept run and by a streamed one; a
/// flag repeating an amount already asked for adds no second line.
#[test]
fn thresholds_are_counted_by_both_executors() {
    let dir = TempDir::new().unwrap();
    let run = |stream_above: &str, out: &str| {
        let o = common::equisim()
            .arg("run")
            .arg(common::shipped("hf-paris-ask.toml"))
            .args([
                "--paths",
                "9000",
                "--quiet",
                "--no-charts",
                "--stream-above",
                stream_above,
            ])
            .args([
                "--set",
                "report.thresholds=[300000]",
                "--threshold",
                "350000",
                "--threshold",
                "300000",
                "--threshold",
                "350000",
            ])
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let json = std::fs::read_to_string(dir.path().join(out).join("summary.json")).unwrap();
        (
            stdout(&o),
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        )
    };
    let (table, kept) = run("100000", "kept");
    let (_, streamed) = run("1000", "streamed");
    assert_eq!(kept["thresholds"], streamed["thresholds"]);
    let amounts: Vec<f64> = kept["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_f64().unwrap())
        .collect();
    assert_eq!(amounts, [300_000.0, 350_000.0]);
    let first = &kept["thresholds"][0];
    let p = first["p_offer"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0, "{first}");
    assert!(table.contains("P(total ≥ €300K)"), "{table}");
    assert!(table.contains("P(total ≥ €350K)"), "{table}");
    assert_eq!(table.matches("P(total ≥ €300K)").count(), 1, "{table}");
}

#[test]
fn a_threshold_must_be_an_amount() {
    let o = common::equisim()
        .arg("run")
        .arg(common::shipped("minimal.toml"))
        .args(["--threshold", "-5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --threshold -5: expected an amount >= 0, for example --threshold 1000000\n"
    );
    let o = common::equisim()
        .arg("check")
        .arg(common::shipped("minimal.toml"))
        .args([
            "--set",
            "report.thresholds=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .ends_with("17 amounts is not allowed: report.thresholds must be at most 16 amounts\n"),
        "{}",
        stderr(&o)
    );
}

/// A sweep of the lever itself has no single offered value to quote.
#[test]
fn a_sweep_of_the_grant_says_the_offer_is_the_swept_value() {
    let dir = TempDir::new().unwrap();
    let sweep = |extra: &[&str]| {
        let o = common::equisim()
            .arg("sweep")
            .arg(common::shipped("hf-paris-ask.toml"))
            .args([
                "--paths",
                "4000",
                "--quiet",
                "--no-charts",
                "--steps",
                "3",
                "--out",
            ])
            .arg(dir.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let grant = sweep(&[
        "--param",
        "offer.equity.grant",
        "--from",
        "0",
        "--to",
        "200000",
    ]);
    assert!(grant.contains("(offered: the swept value)"), "{grant}");
    let discount = sweep(&[]);
    assert!(discount.contains("(offered: €100K)"), "{discount}");
}

/// `check` on a scenario with taxes prints the resolved rates with the
/// preset named, a file's own rate in place of the preset's, and the
/// preset as shipped with its sources.
#[test]
fn check_prints_the_resolved_tax_rates_and_their_sources() {
    let o = common::equisim()
        .arg("check")
        .arg(common::shipped("hf-paris-ask-tax.toml"))
        .args(["--set", "tax.capital_gain=0.3"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    let table = out.split("\n[tax]\n").nth(1).expect("a [tax] table");
    let rates: Vec<&str> = table.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(rates[0], "preset = \"fr-2026\"");
    assert!(rates.contains(&"capital_gain = 0.3"), "{rates:?}");
    assert!(rates.contains(&"bspce_short = 0.486"), "{rates:?}");
    assert!(rates.contains(&"qualified_spread = 0.497"), "{rates:?}");
    assert!(
        out.contains("tax_treatment = \"qualified_options\""),
        "{out}"
    );
    assert!(out.contains("## fr-2026: a Paris employee"), "{out}");
    assert!(out.contains("LFSS 2026 art. 12"), "{out}");
}

/// `check` prints what applies: an RSU offer has no strike, exercise
/// window or exercise rule; options have all three.
#[test]
fn check_prints_only_the_fields_that_apply() {
    let equity = |file: &str| {
        let o = common::equisim()
            .arg("check")
            .arg(common::shipped(file))
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        let table = out.split("\n[offer.equity]\n").nth(1).unwrap().to_string();
        table.split("\n\n").next().unwrap().to_string()
    };
    let rsu = equity("minimal.toml");
    for field in [
        "strike_ratio",
        "exercise_window_years",
        "exercise_on_departure",
    ] {
        assert!(!rsu.contains(field), "{field} printed for RSUs:\n{rsu}");
    }
    assert!(rsu.contains("instrument = \"rsu\""), "{rsu}");
    let options = equity("hf-paris-ask.toml");
    for field in [
        "strike_ratio = 0.35",
        "exercise_window_years = 0.25",
        "exercise_on_departure",
    ] {
        assert!(
            options.contains(field),
            "{field} missing for options:\n{options}"
        );
    }
}

/// Longstaff's lookback bound above 100% comes with a word that it is an
/// upper bound, not a discount; below it, no such note.
#[test]
fn a_longstaff_bound_above_one_is_flagged() {
    let dlom = |v: &str, t: &str| {
        let o = common::equisim()
            .args([
                "dlom",
                "--method",
                "longstaff",
                "--volatility",
                v,
                "--years",
                t,
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let high = dlom("0.8", "4");
    assert!(high.starts_with("204.86%"), "{high}");
    assert!(
        high.contains("note: above 100%, this upper bound is not a usable discount"),
        "{high}"
    );
    let low = dlom("0.3", "1");
    assert_eq!(
        low,
        "26.28%  Longstaff (1995) lookback upper bound, volatility 0.3, 1 year\n"
    );
}

/// A long offer label is cut with an ellipsis in the table's header and
/// rows, so that it never touches the next column.
#[test]
fn a_long_label_never_runs_into_the_next_column() {
    let o = common::equisim()
        .arg("run")
        .arg(common::shipped("minimal.toml"))
        .args([
            "--set",
            "offer.label=\"Acme Robotics Series B startup (San Francisco)\"",
        ])
        .args(["--set", "alternative.label=\"Alphabet / Google\""])
        .args(["--paths", "2000", "--no-charts", "--quiet"])
        .args([
            "--out",
            tempfile::TempDir::new().unwrap().path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let out = String::from_utf8_lossy(&o.stdout);
    let header = out
        .lines()
        .find(|l| l.contains("Alphabet / Google") && !l.contains('('))
        .unwrap();
    assert_eq!(header.trim(), "Acme Robotics Serie…     Alphabet / Google");
    assert!(
        out.contains("  P(Acme Robotics Serie… is worth more)"),
        "{out}"
    );
}
