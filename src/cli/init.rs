//! `missive init`: a new standard with one working example, taken from the bundled standard.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::Outcome;
use super::schema::FileKind;
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the standard in (must be empty or not exist).
    pub dir: PathBuf,
}

/// The files of a new standard: the bundled invoice, its partials and messages, the handbook's
/// words, one rule pack, and CI that runs `check` and `test` on GitHub and GitLab.
const FILES: [(&str, &str); 20] = [
    ("missive.toml", include_str!("../../missive.toml")),
    ("templates/invoice.tera", include_str!("../../templates/invoice.tera")),
    ("templates/partials/recipient.tera", include_str!("../../templates/partials/recipient.tera")),
    ("templates/partials/place-date.tera", include_str!("../../templates/partials/place-date.tera")),
    ("templates/partials/closing-thanks.tera", include_str!("../../templates/partials/closing-thanks.tera")),
    ("templates/partials/signature.tera", include_str!("../../templates/partials/signature.tera")),
    ("templates/layouts/email.mjml", include_str!("../../templates/layouts/email.mjml")),
    ("templates/layouts/letter.toml", include_str!("../../templates/layouts/letter.toml")),
    ("locales/pl/common.ftl", include_str!("../../locales/pl/common.ftl")),
    ("locales/pl/invoice.ftl", include_str!("../../locales/pl/invoice.ftl")),
    ("locales/en/common.ftl", include_str!("../../locales/en/common.ftl")),
    ("locales/en/invoice.ftl", include_str!("../../locales/en/invoice.ftl")),
    // The handbook's words (`missive rules`), for the company to reword; not letter messages.
    ("locales/pl/handbook.ftl", include_str!("../../locales/pl/handbook.ftl")),
    ("locales/en/handbook.ftl", include_str!("../../locales/en/handbook.ftl")),
    ("rules/courtesy.toml", include_str!("../../rules/courtesy.toml")),
    ("fixtures/invoice/lines.json", include_str!("../../fixtures/invoice/lines.json")),
    (".github/workflows/missive.yml", include_str!("../../assets/init/github-workflow.yml")),
    (".gitlab-ci.yml", include_str!("../../assets/init/gitlab-ci.yml")),
    (
        "attachments/README.txt",
        "Files that records may attach to emails (\"attachments\": [\"name\"]) or embed in the printed PDF\n\
         (\"attachments\": [{\"file\": \"name\", \"embed\": true}]).\n",
    ),
    (
        ".gitignore",
        "# Written by missive, never the standard itself.\n/target/\n/.missive/\n*.snap.new\n*.journal\n*.journal-*\n*.smtp-journal\n*.smtp-journal-*\n",
    ),
];

/// The files that name their JSON Schema (`missive schema`), and the path to it from each.
const SCHEMAS: [(FileKind, &str, &str); 3] = [
    (FileKind::Config, "missive.toml", "./schemas/missive.schema.json"),
    (FileKind::Layout, "templates/layouts/letter.toml", "../../schemas/letter.schema.json"),
    (FileKind::RulePack, "rules/courtesy.toml", "../schemas/rule-pack.schema.json"),
];

/// The example's name and sender, replaced by placeholders `missive check` reports until they
/// are replaced: a new standard cannot send letters signed by the example bank.
const PLACEHOLDERS: [(&str, &str, &str); 10] = [
    ("[standard]", "name", "\"«Your company's» written service standard\""),
    ("[standard]", "owner", "\"customer-experience@your-company.invalid\""),
    ("[sender]", "company", "\"«Your company's name»\""),
    ("[sender]", "address", "[\"«Street and number»\", \"«Postcode and town»\"]"),
    ("[sender]", "email", "\"customer-service@your-company.invalid\""),
    ("[sender]", "phone", "\"«+48 00 000 00 00»\""),
    ("[sender]", "place", "\"«Your town»\""),
    ("[sender]", "website", "\"«www.your-company.pl»\""),
    ("[sender]", "bank_account", "\"«PL00 0000 0000 0000 0000 0000 0000»\""),
    ("[sender]", "registration", "\"«Your registration data: court, KRS, NIP, share capital»\""),
];

/// Runs `missive init`.
pub fn run(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome> {
    let dir = &args.dir;
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_some() {
        return Err(Error::new(ErrorKind::Usage, format!("{} is not empty", dir.display()))
            .with_help("choose a new folder; init never overwrites files"));
    }
    for (rel, text) in FILES {
        let text = match rel {
            "missive.toml" => placeholders(&only_courtesy(text)),
            "templates/layouts/letter.toml" => without_brand(text),
            _ => text.to_string(),
        };
        // Editors (Taplo, Even Better TOML) complete and check a file that names its schema.
        let text = match SCHEMAS.iter().find(|(_, file, _)| *file == rel) {
            Some((_, _, schema)) => format!("#:schema {schema}\n{text}"),
            None => text,
        };
        write(dir, rel, &text)?;
    }
    for (kind, _, schema) in SCHEMAS {
        let name = schema.rsplit('/').next().unwrap_or(schema);
        write(dir, &format!("schemas/{name}"), &String::from_utf8_lossy(&kind.schema()?))?;
    }
    if super::quiet() {
        return Ok(Outcome::Done);
    }
    let _ = writeln!(
        out,
        "A new standard in {0}: one invoice letter in Polish and English, the courtesy rules, one fixture.\n\n  \
         missive --project {0} render invoice --data {0}/fixtures/invoice/lines.json\n  \
         missive --project {0} check\n  \
         missive --project {0} test --update   # write the first snapshots\n\n\
         CI that runs both is in {0}/.github/workflows/missive.yml and {0}/.gitlab-ci.yml.",
        dir.display()
    );
    Ok(Outcome::Done)
}

/// The bundled layout with the example bank's logo and house fonts commented out: a new
/// standard has neither file, and prints in DejaVu Sans until it adds its own.
fn without_brand(layout: &str) -> String {
    let mut brand = false;
    let mut out = String::with_capacity(layout.len() + 64);
    for line in layout.lines() {
        if line.starts_with('[') {
            brand = matches!(line.trim(), "[logo]" | "[fonts]");
        }
        if brand && !line.trim().is_empty() && !line.starts_with('#') {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The bundled missive.toml with only the rule pack a new standard ships.
fn only_courtesy(config: &str) -> String {
    config
        .lines()
        .map(|line| if line.trim_start().starts_with("packs = [") { "packs = [\"courtesy\"]" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `config` with the placeholders of [`PLACEHOLDERS`] and without the example's comments about
/// itself.
fn placeholders(config: &str) -> String {
    let mut section = "";
    let mut out = String::with_capacity(config.len());
    for line in config.lines() {
        if line.starts_with('[') {
            section = line.trim();
        }
        if line.starts_with('#') && line.contains("Example Bank") {
            out.push_str("# Your company's written service standard, as missive reads it.\n");
            continue;
        }
        let key = line.split('=').next().unwrap_or("").trim();
        match PLACEHOLDERS.iter().find(|(s, k, _)| *s == section && *k == key) {
            Some((_, k, value)) => out.push_str(&format!("{k} = {value}")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn write(dir: &Path, rel: &str, text: &str) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| {
        Error::new(ErrorKind::Io, format!("cannot write {}: {e}", path.display()))
            .with_help("check that the folder is writable")
    })
}
