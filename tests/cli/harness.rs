//! A small harness: a standard in a temporary folder, the real binary run in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, code, "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }
}

/// A standard in a temporary folder.
pub struct Project {
    dir: tempfile::TempDir,
}

/// The repository root: the bundled example standard.
pub fn bundled_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Project {
    /// A copy of the bundled example standard.
    pub fn bundled() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = bundled_root();
        std::fs::copy(root.join("missive.toml"), dir.path().join("missive.toml")).expect("copy missive.toml");
        for folder in ["templates", "locales", "fixtures", "rules", "attachments"] {
            copy_tree(&root.join(folder), &dir.path().join(folder));
        }
        Project { dir }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file, creating folders.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// Replaces `from` by `to` in a file; the text must be there.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let path = self.dir.path().join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
        self
    }

    /// Runs `missive ARGS` in the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    /// Runs `missive ARGS` with `stdin` as standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        self.run_within(args, stdin, std::time::Duration::from_secs(600))
    }

    /// Runs `missive ARGS`, killing it and failing the test if it takes longer than `limit`: a
    /// hang is a failure, never a stuck suite.
    pub fn run_within(&self, args: &[&str], stdin: Option<&str>, limit: std::time::Duration) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("MISSIVE_PROJECT")
            .env_remove("RUST_BACKTRACE")
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run missive");
        if let Some(input) = stdin {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        }
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(child.wait_with_output()));
        let out = match rx.recv_timeout(limit) {
            Ok(out) => out.expect("wait"),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!("missive {} did not finish in {} s: a hang", args.join(" "), limit.as_secs());
            }
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else { return };
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in entries {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every fixture of the bundled standard: (template id, fixture path relative to the root).
pub fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let root = bundled_root().join("fixtures");
    let mut templates: Vec<_> =
        std::fs::read_dir(&root).expect("fixtures/").map(|e| e.expect("entry").path()).collect();
    templates.sort();
    for dir in templates {
        let id = dir.file_name().expect("name").to_string_lossy().to_string();
        let mut cases: Vec<_> = std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").path()).collect();
        cases.sort();
        for case in cases.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let name = case.file_name().expect("name").to_string_lossy().to_string();
            out.push((id.clone(), format!("fixtures/{id}/{name}")));
        }
    }
    out
}
