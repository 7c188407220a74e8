//! `missive templates`: the letter types of the standard, with their languages, owners and
//! review dates (an overdue review marked), for a newcomer's first look and for scripts.

use std::io::Write;
use std::path::Path;

use clap::{Args, ValueEnum};

use super::{Outcome, load, parse_today, write_output};
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The day review dates are compared with (default: today in the standard's time zone).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<jiff::civil::Date>,
}

/// Output formats of `templates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON, for tools.
    Json,
}

/// Runs `missive templates`.
pub fn run(project: &Path, args: &TemplatesArgs, out: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let today = match args.today {
        Some(day) => day,
        None => crate::clock::today(&standard.config().standard.time_zone)?,
    };
    let locales = standard.locales().tags().join(", ");
    let bytes = match args.format {
        Format::Text => {
            let templates = standard.templates();
            let width = templates.iter().map(|t| t.id.chars().count()).max().unwrap_or(0);
            let mut s = String::new();
            for t in templates {
                let overdue = if t.meta.review_by < today { " (review overdue)" } else { "" };
                s.push_str(&format!("{:<width$}  {}\n", t.id, t.meta.title));
                s.push_str(&format!(
                    "{:<width$}  {} · {locales} · owner {} · review by {}{overdue}\n",
                    "", t.meta.kind, t.meta.owner, t.meta.review_by
                ));
            }
            s.into_bytes()
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = standard
                .templates()
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "id": t.id,
                        "title": t.meta.title,
                        "kind": t.meta.kind,
                        "channels": t.meta.channels,
                        "locales": standard.locales().tags(),
                        "owner": t.meta.owner,
                        "review_by": t.meta.review_by.to_string(),
                        "review_overdue": t.meta.review_by < today,
                        "file": &*t.file.name,
                    })
                })
                .collect();
            let mut v = serde_json::to_vec_pretty(&list).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            v.push(b'\n');
            v
        }
    };
    write_output(None, &bytes, out)?;
    Ok(Outcome::Done)
}
