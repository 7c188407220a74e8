//! The email's `Date`: the moment the message is built, in the standard's time zone with that
//! zone's offset at that moment; a fixed clock (`--now`, `MISSIVE_NOW`, and noon of the letter's
//! date in snapshots) gives the same bytes on every run. The letter's own date stays in its text.

use crate::harness::Project;

const RECORD: &str = "fixtures/invoice/lines.json";

/// The value of an email's (or mbox's first) `Date:` header.
fn date_header(eml: &str) -> String {
    eml.lines().find_map(|l| l.strip_prefix("Date: ")).expect("a Date header").trim_end().to_string()
}

/// The test's own reading of the clock, to hold the binary's to.
#[allow(clippy::disallowed_methods)]
fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// `+0100`: the offset `zone` has at `at`, as RFC 5322 writes it.
fn offset_at(zone: &str, at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::get(zone).expect("a zone")).strftime("%z").to_string()
}

/// Renders the bundled invoice as an email dated when it is built and checks its `Date` against
/// the clock and the zone; returns the header.
#[track_caller]
fn built_now_in(project: &Project, zone: &str) -> String {
    let before = now();
    let run =
        project.run(&["render", "invoice", "--data", RECORD, "--format", "eml", "--today", "2026-11-23"]).expect(0);
    let after = now();
    let date = date_header(&run.stdout);
    let at = jiff::fmt::rfc2822::parse(&date).unwrap_or_else(|e| panic!("`{date}` is not an RFC 5322 date: {e}"));
    // The header has whole seconds: the moment is the second the binary ran in.
    let (earliest, latest) = (before - jiff::SignedDuration::from_secs(1), after + jiff::SignedDuration::from_secs(1));
    assert!(at.timestamp() >= earliest && at.timestamp() <= latest, "{date} is not between {before} and {after}");
    assert!(date.ends_with(&format!(" {}", offset_at(zone, at.timestamp()))), "{date}: not {zone}'s offset");
    date
}

#[test]
fn an_email_is_dated_when_it_is_built_with_the_standards_offset() {
    let project = Project::bundled();
    let date = built_now_in(&project, "Europe/Warsaw");
    // Not the letter's date at midnight, as it was (`Sun, 22 Nov 2026 23:00:00 +0000`).
    assert!(!date.contains("22 Nov 2026") && !date.ends_with("+0000"), "{date}");
    // The letter's own date stays in its text.
    let text = project.run(&["render", "invoice", "--data", RECORD, "--today", "2026-11-23"]).expect(0).stdout;
    assert!(text.contains("Warszawa, 23 listopada 2026 r."), "{text}");
    // Another standard's zone, another offset.
    project.edit("missive.toml", "time_zone = \"Europe/Warsaw\"", "time_zone = \"America/New_York\"");
    built_now_in(&project, "America/New_York");
}

#[test]
fn a_fixed_clock_dates_the_email_exactly() {
    let project = Project::bundled();
    let args = ["render", "invoice", "--data", RECORD, "--format", "eml", "--now", "2026-12-07T08:14:03Z"];
    let a = project.run(&args).expect(0).stdout;
    assert_eq!(date_header(&a), "Mon, 07 Dec 2026 09:14:03 +0100");
    assert_eq!(a, project.run(&args).expect(0).stdout, "the same letter, the same bytes");
    // The environment does the same, with summer time's offset in July.
    let env = [("MISSIVE_NOW", "2026-07-01T10:00:00+00:00")];
    let run = project.run_with_env(&["render", "invoice", "--data", RECORD, "--format", "eml"], &env).expect(0);
    assert_eq!(date_header(&run.stdout), "Wed, 01 Jul 2026 12:00:00 +0200");
    // A moment without its offset is ambiguous: refused, naming the form to write.
    let run = project.run(&["render", "invoice", "--data", RECORD, "--format", "eml", "--now", "2026-12-07 09:14"]);
    let run = run.expect(2);
    assert!(run.stderr.contains("--now") && run.stderr.contains("2026-12-07T09:14:03+01:00"), "{}", run.stderr);
}

#[test]
fn an_mbox_from_line_tells_the_same_moment_as_the_date_header() {
    let project = Project::bundled();
    let record = std::fs::read_to_string(project.path().join(RECORD)).expect("fixture");
    let record: serde_json::Value = serde_json::from_str(&record).expect("JSON");
    let lines: Vec<String> = (1..=3)
        .map(|i| {
            let mut r = record.clone();
            r["key"] = serde_json::json!(format!("K{i}"));
            r.to_string()
        })
        .collect();
    project.write("records.jsonl", &(lines.join("\n") + "\n"));
    let fixed =
        ["batch", "invoice", "--data", "records.jsonl", "--mbox", "fixed.mbox", "--now", "2026-12-07T08:14:03Z"];
    project.run(&fixed).expect(0);
    let mbox = std::fs::read_to_string(project.path().join("fixed.mbox")).expect("mbox");
    assert_eq!(mbox.matches("From obsluga@example.pl Mon Dec  7 09:14:03 2026\n").count(), 3, "{mbox}");
    assert_eq!(mbox.matches("Date: Mon, 07 Dec 2026 09:14:03 +0100\n").count(), 3);
    // On the machine's clock, each message's two dates agree.
    project.run(&["batch", "invoice", "--data", "records.jsonl", "--mbox", "now.mbox"]).expect(0);
    let mbox = std::fs::read_to_string(project.path().join("now.mbox")).expect("mbox");
    let from_lines: Vec<&str> = mbox.lines().filter_map(|l| l.strip_prefix("From obsluga@example.pl ")).collect();
    let dates: Vec<String> = mbox.lines().filter_map(|l| l.strip_prefix("Date: ")).map(str::to_string).collect();
    assert_eq!((from_lines.len(), dates.len()), (3, 3), "{mbox}");
    for (from, date) in from_lines.iter().zip(&dates) {
        let at = jiff::fmt::rfc2822::parse(date.trim_end()).expect("an RFC 5322 date");
        assert_eq!(*from, at.strftime("%a %b %e %H:%M:%S %Y").to_string(), "{date}");
        assert!(date.trim_end().ends_with(&offset_at("Europe/Warsaw", at.timestamp())), "{date}");
    }
}

#[test]
fn snapshots_are_dated_noon_of_the_letters_day_whatever_the_clock() {
    let project = Project::bundled();
    let snap = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.pl.snap")).expect("snapshot");
    assert!(snap.contains("Date: Mon, 23 Nov 2026 12:00:00 +0100\n"), "{snap}");
    // Neither the day the tests run nor MISSIVE_NOW moves them.
    let run = project.run_with_env(&["test", "invoice"], &[("MISSIVE_NOW", "2030-01-01T00:00:00Z")]).expect(0);
    assert!(run.stdout.contains("0 differ"), "{}", run.stdout);
    // A fixture dated before 1970 has no email in its snapshot, naming `_today`.
    project.edit("fixtures/invoice/lines.json", "\"_today\": \"2026-11-23\"", "\"_today\": \"1960-01-01\"");
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(run.stdout.contains("no email: field `_today`"), "{}", run.stdout);
}
