//! Discounts for lack of marketability: published values, and the `dlom`
//! command.

use crate::common;
use equisim::model::illiquidity::{chaffe, finnerty, longstaff};

fn dlom(args: &[&str]) -> std::process::Output {
    common::equisim()
        .arg("dlom")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn longstaff_published_values() {
    // Longstaff (1995) upper bound, as tabulated: 26.28% and 46.56%.
    assert!(
        (longstaff(0.3, 1.0) - 0.2628).abs() < 5e-5,
        "{}",
        longstaff(0.3, 1.0)
    );
    assert!(
        (longstaff(0.5, 1.0) - 0.4656).abs() < 5e-5,
        "{}",
        longstaff(0.5, 1.0)
    );
}

#[test]
fn the_command_prints_each_method() {
    for (method, vol, years, expected) in [
        (
            "longstaff",
            "0.3",
            "1",
            format!("{:.2}%", 100.0 * longstaff(0.3, 1.0)),
        ),
        ("longstaff", "0.5", "1", "46.56%".to_string()),
        (
            "finnerty",
            "0.3",
            "1",
            format!("{:.2}%", 100.0 * finnerty(0.3, 1.0)),
        ),
    ] {
        let out = dlom(&["--method", method, "--volatility", vol, "--years", years]);
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(&expected), "{method}: {stdout}");
    }
    assert!(
        String::from_utf8_lossy(
            &dlom(&[
                "--method",
                "longstaff",
                "--volatility",
                "0.3",
                "--years",
                "1"
            ])
            .stdout
        )
        .starts_with("26.28%")
    );
    let out = dlom(&[
        "--method",
        "chaffe",
        "--volatility",
        "0.5",
        "--years",
        "1",
        "--rate",
        "0",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("{:.2}%", 100.0 * chaffe(0.5, 1.0, 0.0))),
        "{stdout}"
    );
}

#[test]
fn bad_inputs_exit_with_2_and_name_the_flag() {
    for (args, flag) in [
        (
            vec![
                "--method",
                "longstaff",
                "--volatility",
                "-0.1",
                "--years",
                "1",
            ],
            "--volatility",
        ),
        (
            vec![
                "--method",
                "longstaff",
                "--volatility",
                "3.5",
                "--years",
                "1",
            ],
            "--volatility",
        ),
        (
            vec![
                "--method",
                "finnerty",
                "--volatility",
                "0.3",
                "--years",
                "0",
            ],
            "--years",
        ),
        (
            vec![
                "--method",
                "finnerty",
                "--volatility",
                "0.3",
                "--years",
                "inf",
            ],
            "--years",
        ),
        (
            vec![
                "--method",
                "chaffe",
                "--volatility",
                "0.3",
                "--years",
                "1",
                "--rate",
                "0.9",
            ],
            "--rate",
        ),
        (
            vec!["--method", "black", "--volatility", "0.3", "--years", "1"],
            "--method",
        ),
        (
            vec![
                "--method",
                "finnerty",
                "--volatility",
                "abc",
                "--years",
                "1",
            ],
            "--volatility",
        ),
    ] {
        let out = dlom(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
