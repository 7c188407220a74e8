//! `missive test`: snapshot tests of the bundled standard, and what a template author sees when a
//! word changes, a fixture is new, a snapshot is broken or left behind.

use crate::harness::Project;

#[test]
fn the_bundled_snapshots_match() {
    let project = Project::bundled();
    let run = project.run(&["test"]).expect(0);
    assert!(run.stdout.contains("64 letters: 64 match, 0 differ, 0 new, 0 failed, 0 stale"), "{}", run.stdout);
}

#[test]
fn one_changed_word_shows_the_change_once_for_every_letter_it_touches_then_update_makes_it_green() {
    let project = Project::bundled();
    project.edit("locales/pl/common.ftl", "closing-formula = Z poważaniem", "closing-formula = Z wyrazami szacunku");
    let run = project.run(&["test"]).expect(1);
    // Every Polish letter changes the same way, no English one does: one change, named once,
    // with the channels it reaches.
    assert_eq!(run.stdout.matches("CHANGED").count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(
            "CHANGED the same change in 32 letters: case-forwarded/company [pl], case-forwarded/english [pl],\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("    invoice/company [pl], invoice/empty-lines [pl], invoice/lines [pl],"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("[en]"), "{}", run.stdout);
    assert!(run.stdout.contains("  text, html, pdf:\n    -Z poważaniem\n    +Z wyrazami szacunku\n"), "{}", run.stdout);
    assert!(run.stdout.contains("64 letters: 32 match, 32 differ, 0 new, 0 failed, 0 stale"), "{}", run.stdout);

    let before =
        std::fs::metadata(project.path().join("fixtures/invoice/lines.en.snap")).expect("en snapshot").modified().ok();
    let run = project.run(&["test", "--update"]).expect(0);
    assert_eq!(run.stdout.matches("updated").count(), 33, "32 files and the summary:\n{}", run.stdout);
    assert!(run.stdout.contains("removed 32 pending files, taken care of"), "{}", run.stdout);
    assert!(!project.path().join("fixtures/invoice/lines.pl.snap.new").exists());
    let after =
        std::fs::metadata(project.path().join("fixtures/invoice/lines.en.snap")).expect("en snapshot").modified().ok();
    assert_eq!(before, after, "unchanged snapshots are not touched");
    project.run(&["test"]).expect(0);
}

#[test]
fn a_new_fixture_asks_for_update() {
    let project = Project::bundled();
    let fixture = std::fs::read_to_string(project.path().join("fixtures/invoice/lines.json")).expect("fixture");
    project.write("fixtures/invoice/copy.json", &fixture);
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(
        run.stdout.contains(
            "NEW invoice/copy [pl]: no snapshot yet; the letter is pending in fixtures/invoice/copy.pl.snap.new"
        ),
        "{}",
        run.stdout
    );
    project.run(&["test", "invoice", "--update"]).expect(0);
    assert!(project.path().join("fixtures/invoice/copy.en.snap").exists());
}

#[test]
fn a_hand_edited_snapshot_is_named_and_rewritten_on_update() {
    let project = Project::bundled();
    project.write("fixtures/invoice/lines.pl.snap", "Faktura\n");
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(
        run.stdout
            .contains("CORRUPT invoice/lines [pl]: fixtures/invoice/lines.pl.snap is not a valid snapshot: line 1"),
        "{}",
        run.stdout
    );
    project.run(&["test", "invoice", "--update"]).expect(0);
    project.run(&["test", "invoice"]).expect(0);
}

#[test]
fn leftover_snapshots_of_a_deleted_template_are_stale() {
    let project = Project::bundled();
    std::fs::remove_file(project.path().join("templates/case-forwarded.tera")).expect("remove template");
    let run = project.run(&["test"]).expect(1);
    assert!(
        run.stdout.contains("STALE fixtures/case-forwarded/typical.pl.snap: no fixture and locale renders it any more"),
        "{}",
        run.stdout
    );
    project.run(&["test", "--update"]).expect(0);
    assert!(!project.path().join("fixtures/case-forwarded/typical.pl.snap").exists());
}

#[test]
fn a_fixture_that_no_longer_fits_the_template_fails_with_the_field() {
    let project = Project::bundled();
    project.edit("fixtures/invoice/lines.json", "\"due\": \"2026-12-07\"", "\"due\": \"7.12.2026\"");
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(run.stdout.contains("FAILED invoice/lines [pl]"), "{}", run.stdout);
    assert!(run.stdout.contains("field `invoice.due`: `7.12.2026` is not a date"), "{}", run.stdout);
}

#[test]
fn github_annotations_point_at_the_snapshot_file() {
    let project = Project::bundled();
    project.edit("locales/en/common.ftl", "closing-thanks = Thank you", "closing-thanks = Many thanks");
    let run = project.run(&["test", "invoice", "--format", "github"]).expect(1);
    assert!(run.stdout.starts_with("::error file=fixtures/invoice/"), "{}", run.stdout);
    assert!(run.stdout.contains(".en.snap,line=1,title=snapshot differs invoice/"), "{}", run.stdout);
    assert!(run.stdout.contains("%0A-Thank you"), "{}", run.stdout);
}

#[test]
fn coverage_lists_fields_no_fixture_gives() {
    let project = Project::bundled();
    project.edit(
        "templates/invoice.tera",
        "\"invoice.due\"     = { type = \"date\", required = true }",
        "\"invoice.due\"     = { type = \"date\", required = true }\n\"invoice.note\" = { type = \"text\" }",
    );
    let run = project.run(&["test", "--coverage"]).expect(0);
    assert!(run.stdout.contains("template `invoice`: no fixture gives `invoice.note` a value"), "{}", run.stdout);
}

#[test]
fn a_fixture_without_a_date_fails_unless_today_is_given() {
    let project = Project::bundled();
    project.edit("fixtures/invoice/lines.json", "\"_today\": \"2026-11-23\",", "");
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(run.stdout.contains("has no \"_today\": a snapshot must not depend on the clock"), "{}", run.stdout);
    project.run(&["test", "invoice", "--today", "2026-11-23"]).expect(0);
}

#[test]
fn a_broken_fixture_is_named_with_its_line_in_test_and_check() {
    let project = Project::bundled();
    project.write("fixtures/invoice/broken.json", "{\n  \"customer\": {\n}\n,");
    let run = project.run(&["test", "invoice"]).expect(1);
    assert!(run.stdout.contains("FAILED invoice/broken [-]: fixtures/invoice/broken.json:4:"), "{}", run.stdout);
    let run = project.run(&["check", "invoice", "--today", "2026-11-23"]).expect(1);
    assert!(run.stdout.contains("error[fixture.invalid]: the fixture is not valid JSON"), "{}", run.stdout);
    assert!(run.stdout.contains("--> fixtures/invoice/broken.json:4:"), "{}", run.stdout);
}
