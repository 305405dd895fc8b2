//! Output files: every file a command writes is written whole or not at
//! all, never over the scenario it read, and an interrupted run leaves no
//! partial or temporary file behind.

use crate::error::{Error, FileAction, UnsafeOutput};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Temporary files being written, removed by [`remove_in_flight`] when
/// the run is interrupted. A file is registered before it is created and
/// renamed into place while the lock is held, so an interrupt sees every
/// temporary file either here or already complete under its final name.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Input files (scenarios) that no output may replace, canonicalized.
static PROTECTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Makes temporary names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `name` is a file name that a command writes into its output
/// folder (summaries, sweeps, charts).
pub fn is_output_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".csv", ".png"].iter().any(|e| lower.ends_with(e))
}

/// Marks `path` (a scenario file that was read) as an input that no output
/// may replace.
pub fn protect_input(path: &Path) {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        let mut protected = lock(&PROTECTED);
        if !protected.contains(&canonical) {
            protected.push(canonical);
        }
    }
}

/// The protected input that writing `path` would replace, if any: `path`
/// itself (through its folder's real location), or the file a symbolic
/// link at `path` points to.
fn protected_target(path: &Path) -> Option<PathBuf> {
    let protected = lock(&PROTECTED);
    if protected.is_empty() {
        return None;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let by_folder = std::fs::canonicalize(dir)
        .ok()
        .zip(path.file_name())
        .map(|(d, n)| d.join(n));
    let direct = std::fs::canonicalize(path).ok();
    [by_folder, direct]
        .into_iter()
        .flatten()
        .find(|p| protected.contains(p))
}

/// Creates a new, empty temporary file next to `path`, registered for
/// removal on interrupt. Never opens an existing file (nor follows a link
/// left under the temporary name).
fn create_temp(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let mut in_flight = lock(&IN_FLIGHT);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => {
                in_flight.push(tmp.clone());
                return Ok((tmp, f));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < u64::MAX => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the temporary files in `in_flight` (the registry, locked).
fn remove_registered(in_flight: &[PathBuf]) {
    for p in in_flight {
        let _ = std::fs::remove_file(p);
    }
}

/// What the Ctrl-C handler does: removes the temporary files of writes in
/// flight and exits with status 130, holding the registry's lock so that
/// no write can start or finish in between. Finished files are whole:
/// each was renamed into place complete.
fn interrupted() -> ! {
    let in_flight = lock(&IN_FLIGHT);
    remove_registered(&in_flight);
    eprintln!("\nerror: interrupted; no partial file was left");
    std::process::exit(130)
}

/// Installs the Ctrl-C (SIGINT) handler: an interrupted run leaves no
/// partial or temporary file and exits with status 130.
pub fn install_interrupt_handler() -> Result<(), Error> {
    ctrlc::set_handler(|| interrupted()).map_err(|e| Error::InterruptHandler(e.to_string()))
}

/// Writes `contents` to `path` whole or not at all: into a new temporary
/// file in the same folder, flushed, then renamed over the target. Refuses
/// to replace a scenario file that was read ([`protect_input`]).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    if let Some(input) = protected_target(path) {
        return Err(UnsafeOutput::WouldReplaceTheScenario {
            path: path.to_path_buf(),
            scenario: input,
        }
        .into());
    }
    let io = |source| Error::Io {
        action: FileAction::Write,
        path: path.to_path_buf(),
        source,
    };
    let (tmp, mut f) = create_temp(path).map_err(io)?;
    let written = f.write_all(contents).and_then(|()| f.sync_all());
    drop(f);
    let mut in_flight = lock(&IN_FLIGHT);
    let result = written.and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    in_flight.retain(|p| p != &tmp);
    drop(in_flight);
    result.map_err(io)
}

/// Creates the output folder (and its parents) and checks that it can be
/// written, before any simulation runs. Refuses a folder that is a
/// scenario file, or that holds a scenario file under a name a command
/// writes (`summary.json`, `sweep.csv`, a chart's `.png`...).
pub fn prepare_output_dir(dir: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        action: FileAction::CreateFolder,
        path: dir.to_path_buf(),
        source,
    };
    if let Ok(meta) = std::fs::metadata(dir)
        && !meta.is_dir()
    {
        let canonical = std::fs::canonicalize(dir).ok();
        let is_input = canonical.is_some_and(|c| lock(&PROTECTED).contains(&c));
        let folder = dir.to_path_buf();
        return Err(if is_input {
            UnsafeOutput::FolderIsTheScenario { folder }
        } else {
            UnsafeOutput::FolderIsAFile { folder }
        }
        .into());
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    if let Ok(real) = std::fs::canonicalize(dir) {
        let protected = lock(&PROTECTED);
        let clash = protected.iter().find(|p| {
            p.parent() == Some(real.as_path())
                && p.file_name()
                    .is_some_and(|n| is_output_name(&n.to_string_lossy()))
        });
        if let Some(input) = clash {
            return Err(UnsafeOutput::FolderHoldsTheScenario {
                folder: dir.to_path_buf(),
                scenario: input.clone(),
            }
            .into());
        }
    }
    // The folder exists now: a failure here is about writing into it.
    let (probe, f) = create_temp(&dir.join("equisim-write-test")).map_err(|source| Error::Io {
        action: FileAction::WriteIntoFolder,
        path: dir.to_path_buf(),
        source,
    })?;
    drop(f);
    let mut in_flight = lock(&IN_FLIGHT);
    let _ = std::fs::remove_file(&probe);
    in_flight.retain(|p| p != &probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_registered_until_renamed() {
        let dir = tempfile::TempDir::new().unwrap();
        let target = dir.path().join("summary.json");
        let (tmp, f) = create_temp(&target).unwrap();
        drop(f);
        assert!(tmp.exists());
        assert!(lock(&IN_FLIGHT).contains(&tmp));
        // What an interrupt does now: the temporary file is gone and the
        // target was never created.
        remove_registered(&lock(&IN_FLIGHT));
        assert!(!tmp.exists() && !target.exists());
        lock(&IN_FLIGHT).retain(|p| p != &tmp);

        write_atomic(&target, b"{}").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}");
        assert!(!lock(&IN_FLIGHT).iter().any(|p| p.starts_with(dir.path())));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["summary.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_under_the_temporary_name_is_never_followed() {
        let dir = tempfile::TempDir::new().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"keep").unwrap();
        // Occupy the next temporary names with links to the victim.
        let next = TEMP_COUNTER.load(Ordering::Relaxed);
        for n in next..next + 4 {
            let name = format!(".out.csv.{}.{n}.tmp", std::process::id());
            std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        }
        write_atomic(&dir.path().join("out.csv"), b"a,b\n").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(std::fs::read(dir.path().join("out.csv")).unwrap(), b"a,b\n");
    }

    #[test]
    fn output_names() {
        assert!(is_output_name("summary.json"));
        assert!(is_output_name("value.PNG"));
        assert!(is_output_name("sweep.csv"));
        assert!(!is_output_name("hf-paris-ask.toml"));
    }
}
