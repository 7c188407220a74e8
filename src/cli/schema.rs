//! `missive schema <file-kind>`: the JSON Schema of a standard's own files, generated from the
//! types that parse them (schemars), for editors (Taplo, Even Better TOML) to complete and
//! check `missive.toml`, the rule packs and `templates/layouts/letter.toml` as they are written.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::{Outcome, write_output};
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file.
    #[arg(value_enum)]
    pub kind: FileKind,
}

/// The files a schema is offered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileKind {
    /// `missive.toml`.
    Config,
    /// `templates/layouts/letter.toml`, the printed letter's layout.
    Layout,
    /// A rule pack, `rules/<pack>.toml`.
    RulePack,
}

impl FileKind {
    /// The schema, as pretty JSON with a newline at the end.
    pub fn schema(self) -> Result<Vec<u8>> {
        let (schema, file) = match self {
            FileKind::Config => (schemars::schema_for!(crate::standard::config::Config), "missive.toml"),
            FileKind::Layout => {
                (schemars::schema_for!(crate::standard::layout::Layout), "templates/layouts/letter.toml")
            }
            FileKind::RulePack => (schemars::schema_for!(crate::rules::pack::RawPack), "rules/<pack>.toml"),
        };
        let mut value = schema.to_value();
        if self == FileKind::RulePack {
            // The kinds a pack may name, from the registry that parses them.
            let kinds: Vec<&str> = crate::rules::kinds::KINDS.iter().map(|k| k.name).collect();
            value["$defs"]["RawRule"]["properties"]["kind"]["enum"] = serde_json::json!(kinds);
        }
        value["title"] = serde_json::Value::String(file.to_string());
        let mut bytes = serde_json::to_vec_pretty(&value).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Runs `missive schema`.
pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome> {
    write_output(None, &args.kind.schema()?, out)?;
    Ok(Outcome::Done)
}
