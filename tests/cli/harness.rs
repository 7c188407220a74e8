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
        for folder in ["templates", "locales", "fixtures", "rules", "attachments", "images", "fonts"] {
            copy_tree(&root.join(folder), &dir.path().join(folder));
        }
        Project { dir }
    }

    /// A copy of the standard in `folder` (any folder of the repository).
    pub fn copy_of(folder: &Path) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(folder, dir.path());
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

    /// Runs `missive ARGS` with these environment variables set.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.run_bounded(args, None, env, std::time::Duration::from_secs(600))
    }

    /// Runs `missive ARGS`, killing it and failing the test if it takes longer than `limit`: a
    /// hang is a failure, never a stuck suite.
    pub fn run_within(&self, args: &[&str], stdin: Option<&str>, limit: std::time::Duration) -> Run {
        self.run_bounded(args, stdin, &[], limit)
    }

    fn run_bounded(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)], limit: std::time::Duration) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("MISSIVE_PROJECT")
            .env_remove("MISSIVE_NOW")
            .env_remove("RUST_BACKTRACE")
            .envs(env.iter().copied())
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

/// The record key in one of our Message-IDs, `<hash.KEY@domain>`.
#[track_caller]
pub fn key_of_message_id(id: &str) -> String {
    let id = id.trim().trim_start_matches('<');
    let (_, rest) = id.split_once('.').unwrap_or_else(|| panic!("{id:?} is not <hash.KEY@domain>"));
    rest.split_once('@').unwrap_or_else(|| panic!("{id:?} is not <hash.KEY@domain>")).0.to_string()
}

/// A throwaway Postfix on loopback (`scripts/postfix_loopback.sh`), stopped when dropped. It
/// accepts every recipient and delivers every message to one Maildir in its temporary folder;
/// delivery is asynchronous, so the readers wait for its queue to empty first.
pub struct Postfix {
    dir: tempfile::TempDir,
    port: u16,
}

impl Postfix {
    /// Starts one, or says why it cannot run here (Postfix's master needs root).
    pub fn start() -> Result<Postfix, String> {
        // SAFETY: geteuid only reads the process's user id.
        if unsafe { libc::geteuid() } != 0 {
            return Err("Postfix's master needs root".into());
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new("bash")
            .arg(bundled_root().join("scripts/postfix_loopback.sh"))
            .arg("start")
            .arg(dir.path())
            .output()
            .expect("bash runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "scripts/postfix_loopback.sh start failed (scripts/test.sh installs postfix):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = stdout.trim().parse().unwrap_or_else(|_| panic!("no port from postfix_loopback.sh: {stdout:?}"));
        Ok(Postfix { dir, port })
    }

    /// Where `--smtp` sends.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits until every message Postfix accepted is delivered (its queue is empty), failing the
    /// test with Postfix's log after 30 s.
    #[track_caller]
    pub fn settle(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let queued: Vec<PathBuf> = ["maildrop", "incoming", "active", "deferred", "hold"]
                .iter()
                .flat_map(|q| files_under(&self.dir.path().join("queue").join(q)))
                .collect();
            if queued.is_empty() {
                return;
            }
            if std::time::Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.path().join("log/postfix.log")).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
                panic!("Postfix still holds {} messages after 30 s; its log ends:\n{}", queued.len(), tail.join("\n"));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The files of every message delivered so far (one per recipient), by name, once the queue
    /// is empty.
    #[track_caller]
    pub fn messages(&self) -> Vec<PathBuf> {
        self.settle();
        let mut files = files_under(&self.dir.path().join("mail/catch-all/new"));
        files.sort();
        files
    }

    /// How many messages (one per recipient) are in the Maildir now, without waiting.
    pub fn delivered_so_far(&self) -> usize {
        files_under(&self.dir.path().join("mail/catch-all/new")).len()
    }

    /// The keys of every message delivered, from their Message-IDs; a message that is not one
    /// of ours (a bounce: Postfix failed to deliver something) fails the test.
    #[track_caller]
    pub fn received_keys(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("a delivered message");
                let id = header(&text, "Message-ID")
                    .unwrap_or_else(|| panic!("{} has no Message-ID:\n{text}", path.display()));
                key_of_message_id(&id)
            })
            .collect()
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(bundled_root().join("scripts/postfix_loopback.sh"))
            .arg("stop")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .status();
    }
}

/// The value of a message's header (the first, unfolded), matched without regard to case.
pub fn header(message: &str, name: &str) -> Option<String> {
    let mut lines = message.lines().map(|l| l.trim_end_matches('\r')).take_while(|l| !l.is_empty()).peekable();
    while let Some(line) = lines.next() {
        let Some((field, value)) = line.split_once(':') else { continue };
        if field.eq_ignore_ascii_case(name) {
            let mut value = value.trim().to_string();
            while let Some(more) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
                value.push(' ');
                value.push_str(more.trim());
            }
            return Some(value);
        }
    }
    None
}

/// Every regular file in a folder tree (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}
