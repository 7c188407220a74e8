//! `missive fields`: the contract a template offers.

use crate::harness::Project;

#[test]
fn fields_lists_types_requirements_and_uses() {
    let project = Project::bundled();
    let run = project.run(&["fields", "invoice"]).expect(0);
    let out = run.stdout;
    assert!(out.starts_with("invoice — Invoice (templates/invoice.tera)\n"), "{out}");
    assert!(out.contains("customer.name            name     required, at most 120 characters, used at"), "{out}");
    assert!(
        out.contains("customer.gender          enum     optional, default \"unknown\"")
            || out.contains("default unknown"),
        "{out}"
    );
    assert!(out.contains("quantity"), "list items are listed:\n{out}");
    assert!(
        out.contains(
            "customer.address.street  text     optional, at most 120 characters, given only with customer.address.city"
        ),
        "{out}"
    );
}

#[test]
fn fields_as_json() {
    let project = Project::bundled();
    let run = project.run(&["fields", "invoice", "--format", "json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["template"], "invoice");
    let fields = v["fields"].as_array().expect("fields");
    let total = fields.iter().find(|f| f["path"] == "invoice.total").expect("invoice.total");
    assert_eq!(total["type"], "money");
    assert_eq!(total["required"], true);
    let lines = fields.iter().find(|f| f["path"] == "invoice.lines").expect("lines");
    assert_eq!(lines["item"].as_array().map(Vec::len), Some(3));
    let city = fields.iter().find(|f| f["path"] == "customer.address.city").expect("city");
    assert_eq!(city["requires"], serde_json::json!(["customer.address.street"]));
}

#[test]
fn init_makes_a_standard_that_renders_checks_and_tests() {
    let project = Project::bundled();
    let dir = project.path().join("new-standard");
    let dir_arg = dir.display().to_string();
    project.run(&["init", &dir_arg]).expect(0);
    let run = project
        .run(&["--project", &dir_arg, "render", "invoice", "--data", &format!("{dir_arg}/fixtures/invoice/lines.json")])
        .expect(0);
    assert!(run.stdout.contains("Szanowna Pani,"), "{}", run.stdout);
    // The example's sender is gone: placeholders, which check refuses until they are replaced.
    let run = project.run(&["--project", &dir_arg, "check", "--today", "2026-11-23"]).expect(1);
    for key in [
        "[standard] name",
        "[standard] owner",
        "[sender] company",
        "[sender] address",
        "[sender] email",
        "[sender] phone",
        "[sender] place",
        "[sender] website",
        "[sender] bank_account",
        "[sender] registration",
    ] {
        assert!(run.stdout.contains(&format!("{key} is still a placeholder")), "{key}: {}", run.stdout);
    }
    assert!(run.stdout.contains("--> missive.toml:"), "{}", run.stdout);
    let config = std::fs::read_to_string(dir.join("missive.toml")).expect("missive.toml");
    assert!(!config.contains("Example Bank"), "{config}");
    let bundled = std::fs::read_to_string(project.path().join("missive.toml")).expect("the bundled missive.toml");
    let sender = |text: &str| {
        let start = text.find("[standard]").expect("[standard]");
        let end = start + text[start..].find("\n[rules]").expect("[rules] after [sender]");
        text[start..end].to_string()
    };
    std::fs::write(dir.join("missive.toml"), config.replace(&sender(&config), &sender(&bundled))).expect("write");
    let run = project.run(&["--project", &dir_arg, "check", "--today", "2026-11-23"]).expect(0);
    assert!(run.stdout.contains("no findings in 2 letters"), "{}", run.stdout);
    // Each TOML file names its schema for the editor, and the schema is there.
    for (file, schema) in [
        ("missive.toml", "./schemas/missive.schema.json"),
        ("rules/courtesy.toml", "../schemas/rule-pack.schema.json"),
        ("templates/layouts/letter.toml", "../../schemas/letter.schema.json"),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect(file);
        assert!(text.starts_with(&format!("#:schema {schema}\n")), "{file}");
        let at = dir.join(file).parent().expect("a folder").join(schema);
        assert!(at.exists(), "{}", at.display());
    }
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).expect(".gitignore");
    assert!(ignored.contains("*.snap.new") && ignored.contains("*.journal"), "{ignored}");
    project.run(&["--project", &dir_arg, "test", "--update"]).expect(0);
    project.run(&["--project", &dir_arg, "test"]).expect(0);
    let run = project.run(&["init", &dir_arg]).expect(2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
}
