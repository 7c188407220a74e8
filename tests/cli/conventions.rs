//! The conventions of a shipped command line: the standard found from any folder inside it,
//! completion scripts and a man page.

use crate::harness::Project;

/// `missive` run anywhere inside a standard finds it, as cargo finds Cargo.toml.
#[test]
fn the_standard_is_found_from_any_folder_inside_it() {
    let project = Project::bundled();
    let run_in = |dir: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_missive"))
            .args(["fields", "invoice"])
            .current_dir(dir)
            .env_remove("MISSIVE_PROJECT")
            .env("NO_COLOR", "1")
            .output()
            .expect("run missive")
    };
    for inside in ["templates", "templates/partials", "locales/pl"] {
        let out = run_in(&project.path().join(inside));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "from {inside}: {}", String::from_utf8_lossy(&out.stderr));
        // Paths stay the standard's own, however deep the command ran.
        assert!(stdout.contains("(templates/invoice.tera)"), "from {inside}: {stdout}");
    }
    // Outside any standard, the error says how to name one.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let out = run_in(elsewhere.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holds no missive.toml") && stderr.contains("--project DIR"), "{stderr}");
}

/// Completion scripts and the man page come from the parser's own definitions.
#[test]
fn completions_and_the_man_page_name_every_command() {
    let project = Project::bundled();
    let bash = project.run(&["completions", "bash"]).expect(0).stdout;
    assert!(bash.contains("complete -F _missive") && bash.contains("batch") && bash.contains("--resume"), "{bash}");
    let checked =
        std::process::Command::new("bash").args(["-n", "-c", &bash]).output().expect("bash checks the script's syntax");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(project.run(&["completions", shell]).expect(0).stdout.contains("serve"), "{shell}");
    }
    project.run(&["completions", "tcsh"]).expect(2);
    let man = project.run(&["man"]).expect(0).stdout;
    assert!(man.starts_with(".ie") || man.starts_with(".TH"), "{man}");
    assert!(man.contains(".TH missive 1"), "{man}");
    for command in ["render", "batch", "check", "test", "serve", "fields", "journal", "init"] {
        assert!(man.contains(&format!("missive\\-{command}(1)")), "{command} in the man page");
    }
}

#[test]
fn templates_lists_the_letter_types_with_owners_and_overdue_reviews() {
    let project = Project::bundled();
    let text = project.run(&["templates", "--today", "2026-11-23"]).expect(0).stdout;
    assert!(text.starts_with("case-forwarded "), "{text}");
    assert!(text.contains("invoice  ") && text.contains("owner billing@example.pl"), "{text}");
    assert!(!text.contains("overdue"), "{text}");
    let later = project.run(&["templates", "--today", "2027-06-01"]).expect(0).stdout;
    assert!(later.contains("review by 2027-03-31 (review overdue)"), "{later}");
    let json: serde_json::Value = serde_json::from_str(
        &project.run(&["templates", "--format", "json", "--today", "2026-11-23"]).expect(0).stdout,
    )
    .expect("JSON");
    let ids: Vec<&str> = json.as_array().expect("a list").iter().filter_map(|t| t["id"].as_str()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(ids.contains(&"complaint-rejected"));
    assert_eq!(json[0]["file"], "templates/case-forwarded.tera");
    assert_eq!(json[0]["review_overdue"], false);
}

/// `--color` decides; in `auto`, CLICOLOR_FORCE forces colour and NO_COLOR (set by the harness,
/// as a CI runner might) turns it off.
#[test]
fn color_follows_the_flag_then_the_environment() {
    let project = Project::bundled();
    project.edit("locales/pl/invoice.ftl", "Termin płatności", "Komputer policzył. Termin płatności");
    let check = ["check", "--today", "2026-11-23", "invoice"];
    let escape = "\u{1b}[";
    let coloured = |run: &crate::harness::Run| run.stdout.contains(escape);
    let with = |extra: &[&str], env: &[(&str, &str)]| {
        let args: Vec<&str> = check.iter().copied().chain(extra.iter().copied()).collect();
        project.run_with_env(&args, env).expect(1)
    };
    assert!(!coloured(&with(&[], &[])), "not a terminal, NO_COLOR set");
    assert!(coloured(&with(&["--color", "always"], &[])), "the flag wins over NO_COLOR");
    assert!(!coloured(&with(&["--color", "never"], &[("CLICOLOR_FORCE", "1")])), "never is never");
    assert!(coloured(&with(&[], &[("CLICOLOR_FORCE", "1")])), "CLICOLOR_FORCE forces colour in auto");
    // Errors on stderr follow the same flag.
    let broken =
        project.run(&["render", "invoce", "--data", "fixtures/invoice/lines.json", "--color", "always"]).expect(2);
    assert!(broken.stderr.contains(escape), "{}", broken.stderr);
    project.run(&["check", "--color", "sometimes"]).expect(2);
}

/// Checks `files` (relative to the project) against `missive schema KIND` with Python's
/// jsonschema: (whether all passed, what it printed).
fn against_schema(project: &Project, kind: &str, files: &[&str]) -> (bool, String) {
    let schema = project.run(&["schema", kind]).expect(0).stdout;
    project.write(&format!("{kind}.schema.json"), &schema);
    let out = std::process::Command::new("python3")
        .arg(crate::harness::bundled_root().join("tests/toml_schema.py"))
        .arg(format!("{kind}.schema.json"))
        .args(files)
        .current_dir(project.path())
        .output()
        .expect("python3 runs (scripts/test.sh installs jsonschema)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_bundled_file_fits_the_schema_an_editor_gets() {
    let project = Project::bundled();
    let packs: Vec<String> = std::fs::read_dir(project.path().join("rules"))
        .expect("rules/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("rules/{n}"))
        .collect();
    assert!(packs.len() >= 4, "{packs:?}");
    let packs: Vec<&str> = packs.iter().map(String::as_str).collect();
    for (kind, files) in
        [("config", vec!["missive.toml"]), ("layout", vec!["templates/layouts/letter.toml"]), ("rule-pack", packs)]
    {
        let (ok, said) = against_schema(&project, kind, &files);
        assert!(ok, "{kind}: {said}");
    }
    // What the loader refuses, the schema refuses too.
    project.edit("missive.toml", "place = ", "plcae = ");
    let (ok, said) = against_schema(&project, "config", &["missive.toml"]);
    assert!(!ok && said.contains("plcae"), "{said}");
    let loaded = project.run(&["check", "--today", "2026-11-23"]).expect(2);
    assert!(loaded.stderr.contains("plcae"), "{}", loaded.stderr);
    project.edit("missive.toml", "plcae = ", "place = ");
    project.edit("rules/courtesy.toml", "kind = \"require\"", "kind = \"requires\"");
    let (ok, said) = against_schema(&project, "rule-pack", &["rules/courtesy.toml"]);
    assert!(!ok && said.contains("requires"), "{said}");
}

/// `-v` says which standard a command found and how long it took; `-q` drops what is not a
/// problem (a warning-level finding) but never an error; the two together are a usage error.
#[test]
fn quiet_and_verbose_say_less_and_more() {
    let project = Project::bundled();
    let letter = [
        "render",
        "complaint-accepted",
        "--data",
        "fixtures/complaint-accepted/typical.json",
        "--set",
        "complaint.note=Sprawdziliśmy to PILNIE.",
    ];
    let normal = project.run(&letter).expect(0);
    assert!(normal.stderr.contains("tone.no-capitals"), "{}", normal.stderr);
    let quiet = project.run(&[&["-q"][..], &letter].concat()).expect(0);
    assert_eq!(quiet.stdout, normal.stdout);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    // An error-level finding is still said with -q.
    let broken = ["render", "complaint-accepted", "--data", "fixtures/complaint-accepted/typical.json"];
    let broken = [&broken[..], &["--set", "complaint.note=To wina systemu.", "-q"]].concat();
    let run = project.run(&broken).expect(1);
    assert!(run.stderr.contains("error["), "{}", run.stderr);

    let verbose = project.run(&[&["-v"][..], &letter].concat()).expect(0);
    let root = std::path::absolute(project.path()).expect("absolute path");
    assert!(
        verbose.stderr.contains(&format!("missive: the standard is {}", root.join("missive.toml").display())),
        "{}",
        verbose.stderr
    );
    assert!(verbose.stderr.trim_end().lines().last().is_some_and(|l| l.starts_with("missive: exit 0 after ")));
    // check -q: the findings that fail a letter and the closing line, no tables.
    project.edit(
        "locales/pl/common.ftl",
        "closing-thanks = Dziękujemy za terminowe płatności i okazane nam zaufanie.",
        "closing-thanks = Z poważaniem.",
    );
    let full = project.run(&["check", "--today", "2026-11-23"]).expect(1).stdout;
    let brief = project.run(&["check", "--today", "2026-11-23", "-q"]).expect(1).stdout;
    assert!(full.contains("Findings by rule:") && !brief.contains("Findings by rule:"), "{brief}");
    assert!(brief.contains("error[courtesy.missing-thanks]"), "{brief}");
    assert_eq!(full.lines().last(), brief.lines().last());
    let both = project.run(&["-q", "-v", "templates"]).expect(2);
    assert!(both.stderr.contains("cannot be used with"), "{}", both.stderr);
    // init says nothing with -q, and still writes the standard.
    let dir = project.path().join("new-standard");
    let init = project.run(&["init", dir.to_str().expect("utf-8 path"), "-q"]).expect(0);
    assert!(init.stdout.is_empty() && dir.join("missive.toml").is_file(), "{}", init.stdout);
}

/// `--out-dir` names a folder (as `-o/--output` names a file); `--out`, the old spelling, still
/// works for one release but is not advertised.
#[test]
fn batch_writes_to_out_dir_and_still_takes_the_old_out() {
    let project = Project::bundled();
    let help = project.run(&["batch", "--help"]).expect(0).stdout;
    assert!(help.contains("--out-dir <DIR>") && !help.contains("--out <DIR>"), "{help}");
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture"),
    )
    .expect("JSON");
    project.write("one.jsonl", &format!("{record}\n"));
    for (flag, dir) in [("--out-dir", "new"), ("--out", "old")] {
        let args = ["batch", "invoice", "--data", "one.jsonl", flag, dir, "--today", "2026-11-23"];
        project.run(&args).expect(0);
        let written: Vec<_> = std::fs::read_dir(project.path().join(dir)).expect("the folder").collect();
        assert!(written.iter().flatten().any(|e| e.path().extension().is_some_and(|x| x == "eml")), "{dir}");
    }
}

/// `init` writes CI for GitHub Actions and GitLab that fits each one's published schema (as
/// vendored by check-jsonschema), and whose every `missive` line runs as written: in a new
/// standard they fail on the placeholders (exit 1, not a usage error) and still leave the reports
/// GitLab reads.
#[test]
fn init_writes_ci_that_fits_github_and_gitlab_and_runs_as_written() {
    let project = Project::bundled();
    let dir = project.path().join("new");
    project.run(&["init", dir.to_str().expect("utf-8 path")]).expect(0);
    for (file, schema) in
        [(".github/workflows/missive.yml", "vendor.github-workflows"), (".gitlab-ci.yml", "vendor.gitlab-ci")]
    {
        let out = std::process::Command::new("check-jsonschema")
            .args(["--builtin-schema", schema, file])
            .current_dir(&dir)
            .output()
            .expect("check-jsonschema runs (scripts/test.sh installs it in target/venv)");
        assert!(
            out.status.success(),
            "{file}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_missive")).parent().expect("the binary's folder");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for file in [".github/workflows/missive.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(dir.join(file)).expect("the CI file");
        for line in text.lines().map(str::trim).filter(|l| l.contains("missive check") || l.contains("missive test")) {
            let command = line.trim_start_matches("- ").trim_start_matches("run: ");
            let out = std::process::Command::new("sh")
                .args(["-c", command])
                .current_dir(&dir)
                .env("PATH", &path)
                .env_remove("MISSIVE_PROJECT")
                .env("NO_COLOR", "1")
                .output()
                .expect("sh runs");
            let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.status.code(), Some(1), "`{command}` in {file}: {said}");
            ran += 1;
        }
    }
    assert_eq!(ran, 4);
    let quality: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("gl-code-quality-report.json")).expect("the Code Quality report"),
    )
    .expect("JSON");
    let quality = quality.as_array().expect("an array of issues");
    assert!(quality.iter().any(|issue| issue["check_name"] == "sender.placeholder"), "{quality:?}");
    let junit = std::fs::read_to_string(dir.join("missive-junit.xml")).expect("the JUnit report");
    assert!(junit.starts_with("<?xml") && junit.contains("<testsuites"), "{junit}");
}

/// The Dockerfile passes hadolint, and the standard it puts in the image (the folders its COPY
/// lines take into /standard) is a whole standard that `missive check` runs on. (No Docker daemon
/// here: the image itself is not built by the tests.)
#[test]
fn the_dockerfile_lints_clean_and_its_example_standard_is_whole() {
    let root = crate::harness::bundled_root();
    let out = std::process::Command::new("hadolint")
        .arg(root.join("Dockerfile"))
        .output()
        .expect("hadolint runs (scripts/test.sh installs it in target/venv)");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("the Dockerfile");
    let image = tempfile::tempdir().expect("temp dir");
    let mut copied = 0;
    for line in dockerfile.lines().filter(|l| l.starts_with("COPY ") && l.contains(" /standard")) {
        let words: Vec<&str> = line.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        let (source, target) = (words[1], words[2]);
        let target = image.path().join(target.trim_start_matches("/standard").trim_start_matches('/'));
        let status = std::process::Command::new("cp")
            .args(["-r", &root.join(source).to_string_lossy(), &target.to_string_lossy()])
            .status()
            .expect("cp");
        assert!(status.success(), "{line}");
        copied += 1;
    }
    assert!(copied >= 5, "{dockerfile}");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_missive"))
        .args(["check", "--today", "2026-11-23"])
        .current_dir(image.path())
        .env_remove("MISSIVE_PROJECT")
        .output()
        .expect("missive runs");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
