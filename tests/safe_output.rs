//! Output files are safe: written whole or not at all, never over the
//! scenario file, never outside the output folder, checked before any
//! simulation, and an interrupted run (Ctrl-C) leaves no partial file.

use crate::common;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn equisim(args: &[&std::ffi::OsStr]) -> Output {
    common::equisim().args(args).output().unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Files in `dir` whose name marks them as temporary or hidden.
fn leftovers(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn out_equal_to_the_scenario_file_is_refused() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::copy(common::shipped("minimal.toml"), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let o = equisim(&[
        os("run"),
        file.as_os_str(),
        os("--out"),
        file.as_os_str(),
        os("--paths"),
        os("1000"),
        os("--quiet"),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is the scenario file itself"), "{err}");
    assert!(!err.contains("panicked"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_scenario_under_an_output_name_is_never_overwritten() {
    // A scenario saved as summary.json, summary.csv, value.png or sweep.csv
    // in the output folder: the run refuses before simulating, and the
    // file is untouched.
    let cases: [(&str, &[&str]); 4] = [
        ("summary.json", &["run"]),
        ("summary.csv", &["run"]),
        ("value.png", &["run"]),
        ("sweep.csv", &["sweep", "--steps", "2"]),
    ];
    for (name, command) in cases {
        let dir = TempDir::new().unwrap();
        let file = dir.path().join(name);
        std::fs::copy(common::shipped("hf-paris-ask.toml"), &file).unwrap();
        let before = std::fs::read(&file).unwrap();
        let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|s| os(s)).collect();
        args.push(file.as_os_str());
        args.extend([
            os("--out"),
            dir.path().as_os_str(),
            os("--paths"),
            os("1000"),
        ]);
        let o = equisim(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("holds the scenario file"), "{name}: {err}");
        assert_eq!(std::fs::read(&file).unwrap(), before, "{name} was changed");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [name], "{name}: something else was written");
    }
}

#[test]
fn a_scenario_inside_the_output_folder_is_fine_under_its_own_name() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::copy(common::shipped("minimal.toml"), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let o = equisim(&[
        os("run"),
        file.as_os_str(),
        os("--out"),
        dir.path().as_os_str(),
        os("--paths"),
        os("2000"),
        os("--quiet"),
        os("--no-charts"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["s.toml", "summary.csv", "summary.json"]);
}

/// Waits for `child` at most `limit`; kills it and fails if it is still
/// running then.
fn wait_at_most(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_unwritable_output_folder_fails_before_simulating() {
    // A folder under a regular file can never be created, even as root
    // (permission bits would not stop root). With this many paths the
    // simulation would take far longer than the limit below.
    let dir = TempDir::new().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    for out in [blocker.join("sub"), blocker.clone()] {
        let child = common::equisim()
            .arg("run")
            .arg(common::shipped("minimal.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--paths", "50000000", "--quiet"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = wait_at_most(child, Duration::from_secs(20), "unwritable --out");
        let err = stderr(&o);
        assert!(matches!(o.status.code(), Some(1) | Some(2)), "{err}");
        assert!(
            err.starts_with("error: ") && err.contains(&out.display().to_string()),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
}

/// Sends SIGINT to `child`.
fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn spawn_run(out: &Path, paths: &str) -> Child {
    common::equisim()
        .arg("run")
        .arg(common::shipped("hf-paris-ask.toml"))
        .arg("--out")
        .arg(out)
        .args(["--paths", paths, "--quiet", "--chart-size", "3000x2000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every file an interrupted run left is whole: the JSON parses, the CSV
/// ends with a newline, a PNG ends with its IEND chunk.
fn assert_whole(out: &Path, what: &str) {
    let left = leftovers(out);
    assert!(left.is_empty(), "{what}: left {left:?}");
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            assert!(
                serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(),
                "{what}: {name}"
            );
        } else if name.ends_with(".csv") {
            assert!(bytes.ends_with(b"\n"), "{what}: {name}");
        } else if name.ends_with(".png") {
            assert!(
                bytes.ends_with(&[0xAE, 0x42, 0x60, 0x82]),
                "{what}: {name} is cut short"
            );
        }
    }
}

#[test]
fn ctrl_c_leaves_no_partial_file() {
    let dir = TempDir::new().unwrap();
    // How long a whole run takes here, to interrupt it at points spread
    // over the simulation, the statistics, the charts and the writes.
    let paths = "1000000";
    let start = Instant::now();
    let full = dir.path().join("full");
    let o = wait_at_most(
        spawn_run(&full, paths),
        Duration::from_secs(120),
        "full run",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let total = start.elapsed();
    assert_whole(&full, "uninterrupted run");

    let mut interrupted = 0;
    for (i, fraction) in [0.3, 0.7, 0.85, 0.95].into_iter().enumerate() {
        let out = dir.path().join(format!("cut-{i}"));
        let child = spawn_run(&out, paths);
        std::thread::sleep(total.mul_f64(fraction).max(Duration::from_millis(300)));
        interrupt(&child);
        let o = wait_at_most(child, Duration::from_secs(120), "interrupted run");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        match o.status.code() {
            Some(130) => {
                interrupted += 1;
                assert!(err.contains("interrupted"), "{err}");
            }
            Some(0) => {} // finished before the signal arrived
            other => panic!("at {fraction} of the run: exit {other:?}: {err}"),
        }
        assert_whole(&out, &format!("interrupted at {fraction} of the run"));
    }
    assert!(interrupted > 0, "no run was interrupted");
}
