//! Pending snapshots: `missive test` writes `<case>.<locale>.snap.new` for each letter that
//! differs, `--accept` / `--reject` settle them in bulk, `--review` one change at a time on a
//! real terminal (tmux), and stale or hand-edited pending files are dealt with.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::Project;

/// The pending files under the project's fixtures, relative and sorted.
fn pending(project: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let root = project.path().join("fixtures");
    for dir in std::fs::read_dir(&root).expect("fixtures/") {
        let dir = dir.expect("entry").path();
        for file in std::fs::read_dir(&dir).expect("dir") {
            let name = file.expect("entry").file_name().to_string_lossy().to_string();
            if name.ends_with(".snap.new") {
                out.push(format!("{}/{name}", dir.file_name().expect("name").to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

fn read(project: &Project, rel: &str) -> String {
    std::fs::read_to_string(project.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The bundled standard with the Polish closing changed: 32 Polish letters differ the same way.
fn changed_closing() -> Project {
    let project = Project::bundled();
    project.edit("locales/pl/common.ftl", "closing-formula = Z poważaniem", "closing-formula = Z wyrazami szacunku");
    project
}

#[test]
fn test_writes_a_pending_file_per_changed_letter_and_accept_makes_the_next_run_pass() {
    let project = changed_closing();
    let snapshot_before = read(&project, "fixtures/invoice/lines.pl.snap");
    let run = project.run(&["test"]).expect(1);
    assert!(run.stdout.contains("CHANGED the same change in 32 letters:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\n32 pending: each letter as it renders now waits in a `.snap.new`"),
        "{}",
        run.stdout
    );
    let files = pending(&project);
    assert_eq!(files.len(), 32, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".pl.snap.new")), "{files:?}");
    // The pending file is the letter now; the snapshot is untouched until accepted.
    let waiting = read(&project, "fixtures/invoice/lines.pl.snap.new");
    assert!(waiting.starts_with("# missive snapshot · invoice · lines · pl\n"), "{waiting}");
    assert!(waiting.contains("\nZ wyrazami szacunku\n") && !waiting.contains("Z poważaniem"), "{waiting}");
    assert_eq!(read(&project, "fixtures/invoice/lines.pl.snap"), snapshot_before);

    // A pending file is no snapshot: not stale, not a fixture, not a finding of `check`.
    let run = project.run(&["test", "--coverage"]).expect(1);
    assert!(run.stdout.contains("0 failed, 0 stale"), "{}", run.stdout);
    let coverage = run.stdout.split("\nCoverage:\n").nth(1).expect("coverage");
    assert!(!coverage.contains("snap"), "{coverage}");
    let run = project.run(&["check", "--today", "2026-11-23"]).expect(0);
    assert!(!run.stdout.contains("snap.new"), "{}", run.stdout);

    // Coloured on request, through anstyle: removed lines red, added green, each reset.
    let run = project.run(&["test", "invoice", "--color", "always"]).expect(1);
    assert!(run.stdout.contains("    \u{1b}[31m-Z poważaniem\u{1b}[0m\n"), "{:?}", run.stdout);
    assert!(run.stdout.contains("    \u{1b}[32m+Z wyrazami szacunku\u{1b}[0m\n"), "{:?}", run.stdout);

    // The tools' formats name the pending file.
    let run = project.run(&["test", "invoice", "--format", "json"]).expect(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["summary"]["pending"], 7, "{json}");
    let lines = json["cases"].as_array().expect("cases").iter().find(|c| c["path"] == "fixtures/invoice/lines.pl.snap");
    assert_eq!(lines.expect("lines [pl]")["pending"], "fixtures/invoice/lines.pl.snap.new");

    let run = project.run(&["test", "--accept"]).expect(0);
    assert!(run.stdout.contains("accepted invoice/lines [pl]: fixtures/invoice/lines.pl.snap\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("\n32 accepted\n"), "{}", run.stdout);
    assert!(pending(&project).is_empty());
    assert_eq!(read(&project, "fixtures/invoice/lines.pl.snap"), waiting);
    project.run(&["test"]).expect(0);
    let run = project.run(&["test", "--accept"]).expect(0);
    assert!(run.stdout.starts_with("no pending snapshots"), "{}", run.stdout);
}

#[test]
fn reject_deletes_pending_files_of_the_named_templates_and_the_run_still_fails() {
    let project = changed_closing();
    project.run(&["test"]).expect(1);
    let run = project.run(&["test", "--reject", "invoice"]).expect(0);
    assert!(run.stdout.ends_with("\n7 rejected\n"), "{}", run.stdout);
    let files = pending(&project);
    assert_eq!(files.len(), 25, "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with("invoice/")), "{files:?}");
    project.run(&["test", "--reject"]).expect(0);
    assert!(pending(&project).is_empty());
    // Rejecting keeps the snapshots, so the letters still differ and the next run says so again.
    project.run(&["test", "invoice"]).expect(1);
    assert_eq!(pending(&project).len(), 7);
    let run = project.run(&["test", "--reject", "no-such-letter"]).expect(2);
    assert!(run.stderr.contains("no template `no-such-letter`"), "{}", run.stderr);
}

#[test]
fn pending_files_that_no_longer_apply_are_cleaned() {
    let project = changed_closing();
    let fixture = read(&project, "fixtures/invoice/lines.json");
    project.write("fixtures/invoice/copy.json", &fixture);
    project.run(&["test"]).expect(1);
    assert!(project.path().join("fixtures/invoice/copy.en.snap.new").exists());
    // The message is put back and the new fixture deleted: nothing is left to review.
    project.edit("locales/pl/common.ftl", "closing-formula = Z wyrazami szacunku", "closing-formula = Z poważaniem");
    std::fs::remove_file(project.path().join("fixtures/invoice/copy.json")).expect("remove fixture");
    let run = project.run(&["test"]).expect(0);
    assert!(
        run.stdout.contains("cleaned fixtures/invoice/lines.pl.snap.new: the letter matches its snapshot again\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("cleaned fixtures/invoice/copy.en.snap.new: no fixture and locale renders its letter any more\n"),
        "{}",
        run.stdout
    );
    assert!(pending(&project).is_empty(), "{:?}", pending(&project));
}

#[test]
fn a_hand_edited_pending_file_is_refused_and_nothing_is_accepted() {
    let project = changed_closing();
    project.run(&["test"]).expect(1);
    let before = read(&project, "fixtures/case-forwarded/company.pl.snap");
    project.write("fixtures/invoice/lines.pl.snap.new", "Z wyrazami szacunku\n");
    let run = project.run(&["test", "--accept"]).expect(2);
    assert!(
        run.stderr.contains("fixtures/invoice/lines.pl.snap.new: line 1: not a missive snapshot"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("missive test --reject"), "{}", run.stderr);
    assert_eq!(read(&project, "fixtures/case-forwarded/company.pl.snap"), before, "nothing accepted");
    assert_eq!(pending(&project).len(), 32);

    // A pending file copied from another letter is refused too.
    let other = read(&project, "fixtures/invoice/company.pl.snap.new");
    project.write("fixtures/invoice/lines.pl.snap.new", &other);
    let run = project.run(&["test", "--accept", "invoice"]).expect(2);
    assert!(run.stderr.contains("names another letter than the file's name"), "{}", run.stderr);
    // `missive test` writes it again from the letter, and then it is accepted.
    project.run(&["test", "invoice"]).expect(1);
    project.run(&["test", "--accept", "invoice"]).expect(0);
    project.run(&["test", "invoice"]).expect(0);
}

#[test]
fn review_refuses_without_a_terminal_and_names_the_bulk_flags() {
    let project = changed_closing();
    let run = project.run(&["test", "--review"]).expect(2);
    assert!(run.stderr.contains("standard input is not one"), "{}", run.stderr);
    assert!(run.stderr.contains("--accept`") && run.stderr.contains("`missive test --reject`"), "{}", run.stderr);
    assert!(pending(&project).is_empty(), "nothing ran");
    let run = project.run(&["test", "--review", "--update"]).expect(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    let run = project.run(&["test", "--accept", "--format", "json"]).expect(2);
    assert!(run.stderr.contains("`--accept` writes no report"), "{}", run.stderr);
}

/// A tmux server on its own socket, killed when dropped.
struct Tmux {
    socket: std::path::PathBuf,
}

impl Tmux {
    /// Starts `command` in a detached 120×50 session; the shell stays open after it ends.
    fn start(dir: &Path, command: &str) -> Tmux {
        let socket = dir.join("tmux.sock");
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "review", "-x", "120", "-y", "50", command])
            .current_dir(dir)
            .env_remove("MISSIVE_PROJECT")
            .env_remove("NO_COLOR")
            .status()
            .expect("tmux runs (scripts/test.sh installs it)");
        assert!(status.success(), "tmux new-session failed");
        Tmux { socket }
    }

    fn send(&self, keys: &str) {
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["send-keys", "-t", "review", keys, "Enter"])
            .status();
        assert!(status.expect("tmux send-keys").success());
    }

    /// The whole screen and its scrollback, wrapped lines joined, colours dropped.
    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["capture-pane", "-p", "-J", "-S", "-", "-t", "review"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Waits until the screen shows `text`, failing after 60 s.
    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "the terminal never showed {text:?}; it shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").status();
    }
}

#[test]
fn review_on_a_terminal_accepts_a_group_and_one_letter_and_rejects_another() {
    let project = changed_closing();
    let fixture = read(&project, "fixtures/invoice/lines.json");
    let polish_only = fixture.replacen('{', "{\n  \"_locales\": [\"pl\"],", 1);
    project.write("fixtures/invoice/copy-a.json", &polish_only);
    project.write("fixtures/invoice/copy-b.json", &polish_only);
    let scratch = tempfile::tempdir().expect("temp dir");
    let exit = scratch.path().join("exit");
    let command = format!(
        "cd '{}' && '{}' test --review; echo $? > '{}'; sleep 600",
        project.path().display(),
        env!("CARGO_BIN_EXE_missive"),
        exit.display()
    );
    let tmux = Tmux::start(scratch.path(), &command);

    let screen = tmux.wait_for("a accept all 32 letters · r reject all 32");
    assert!(screen.contains("66 letters: 32 match, 34 pending in 3 changes"), "{screen}");
    assert!(screen.contains("[1/3] the same change in 32 letters: case-forwarded/company [pl],"), "{screen}");
    assert!(screen.contains("  text, html, pdf:\n    -Z poważaniem\n    +Z wyrazami szacunku\n"), "{screen}");
    // The HTML's own lines, on asking.
    tmux.send("h");
    tmux.wait_for("full diff of case-forwarded/company [pl], html:");
    // (The HTML binds a one-letter word to the next with a no-break space.)
    let screen = tmux.wait_for("    +<p style=\"margin:0 0 1em 0\">Z\u{a0}wyrazami szacunku<br>\n");
    assert!(screen.contains("    -<p style=\"margin:0 0 1em 0\">Z\u{a0}poważaniem<br>\n"), "{screen}");
    tmux.send("?");
    tmux.wait_for("answer a, r, s, d, t, h, p or q, then Enter");
    tmux.send("a");
    tmux.wait_for("accepted 32 letters");
    let screen = tmux.wait_for("[2/3] invoice/copy-a [pl] new: no snapshot yet");
    assert!(screen.contains("    +Z wyrazami szacunku\n"), "{screen}");
    tmux.send("a");
    tmux.wait_for("[3/3] invoice/copy-b [pl] new");
    tmux.send("r");
    tmux.wait_for("33 accepted, 1 rejected, 0 skipped");

    let deadline = Instant::now() + Duration::from_secs(30);
    while !exit.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(&exit).expect("the exit code");
    assert_eq!(code.trim(), "1", "a rejected letter still differs from its snapshot");
    assert!(project.path().join("fixtures/invoice/copy-a.pl.snap").exists());
    assert!(!project.path().join("fixtures/invoice/copy-b.pl.snap").exists());
    assert!(pending(&project).is_empty(), "{:?}", pending(&project));
    assert!(read(&project, "fixtures/invoice/lines.pl.snap").contains("\nZ wyrazami szacunku\n"));
    // Only the rejected letter is left to look at.
    let run = project.run(&["test"]).expect(1);
    assert!(run.stdout.contains("66 letters: 65 match, 0 differ, 1 new, 0 failed, 0 stale"), "{}", run.stdout);
}
