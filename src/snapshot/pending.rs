//! Pending snapshots: `missive test` writes the letter as it renders now beside a snapshot that
//! differs (`<case>.<locale>.snap.new`), for a person to accept (it replaces the snapshot) or
//! reject (it is deleted), one by one (`--review`) or all at once, as cargo-insta does.

use std::path::Path;

use super::{MAGIC, validate};
use crate::error::{Error, ErrorKind, Result};

/// The suffix of a pending snapshot, after the snapshot's own name.
pub const SUFFIX: &str = ".new";

/// The pending file of a snapshot path (`fixtures/t/c.pl.snap` → `fixtures/t/c.pl.snap.new`).
pub fn path_of(snapshot: &str) -> String {
    format!("{snapshot}{SUFFIX}")
}

/// One pending snapshot, read and checked.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Template id.
    pub template: String,
    /// Fixture case name.
    pub case: String,
    /// Locale tag.
    pub locale: String,
    /// The snapshot it would replace, relative to the standard.
    pub snapshot: String,
    /// The pending file itself, relative to the standard.
    pub path: String,
    /// The snapshot now, when there is one.
    pub old: Option<String>,
    /// The letter as `missive test` rendered it.
    pub new: String,
}

impl Pending {
    /// `template/case [locale]`, as reports name a letter.
    pub fn letter(&self) -> String {
        format!("{}/{} [{}]", self.template, self.case, self.locale)
    }
}

/// The paths of every pending file under `fixtures/`, relative to `root`, sorted.
pub fn files(root: &Path) -> Result<Vec<String>> {
    let files = crate::standard::read_dir_sorted(root, "fixtures", "new", true)?;
    Ok(files.into_iter().map(|f| f.name.to_string()).filter(|name| name.ends_with(".snap.new")).collect())
}

/// Every pending snapshot of the selected templates (all when `templates` is empty), in path
/// order. A pending file that is not a snapshot of the letter its name says (hand-edited, cut
/// short, copied from another letter) is an error naming the file and the line, so nothing is
/// accepted from it.
pub fn list(root: &Path, templates: &[String]) -> Result<Vec<Pending>> {
    let mut out = Vec::new();
    for path in files(root)? {
        let Some((template, case, locale)) = parse_name(&path) else { continue };
        if !templates.is_empty() && !templates.iter().any(|t| t.trim_end_matches(".tera") == template) {
            continue;
        }
        let read = |p: &str| std::fs::read_to_string(root.join(p));
        let new = read(&path).map_err(|e| Error::io(&root.join(&path), e))?;
        let corrupt = |why: String| {
            Error::new(ErrorKind::Data, format!("{path}: {why}")).with_help(
                "run `missive test` to write it again from the letter, or `missive test --reject` to delete it",
            )
        };
        validate(&new).map_err(|e| corrupt(e.to_string()))?;
        let header = format!("{MAGIC} · {template} · {case} · {locale}");
        let first = new.lines().next().unwrap_or("");
        if first != header {
            return Err(corrupt(format!("line 1: `{first}` names another letter than the file's name (`{header}`)")));
        }
        let snapshot = path.trim_end_matches(SUFFIX).to_string();
        let old = read(&snapshot).ok();
        out.push(Pending { template, case, locale, snapshot, path, old, new });
    }
    Ok(out)
}

/// `fixtures/<template>/<case>.<locale>.snap.new` → (template, case, locale).
fn parse_name(path: &str) -> Option<(String, String, String)> {
    let rest = path.strip_prefix("fixtures/")?.strip_suffix(".snap.new")?;
    let (template, file) = rest.rsplit_once('/')?;
    let (case, locale) = file.rsplit_once('.')?;
    Some((template.to_string(), case.to_string(), locale.to_string()))
}

/// Moves the pending file over its snapshot.
pub fn accept(root: &Path, pending: &Pending) -> Result<()> {
    std::fs::rename(root.join(&pending.path), root.join(&pending.snapshot))
        .map_err(|e| Error::io(&root.join(&pending.snapshot), e))
}

/// Deletes the pending file.
pub fn reject(root: &Path, pending: &Pending) -> Result<()> {
    std::fs::remove_file(root.join(&pending.path)).map_err(|e| Error::io(&root.join(&pending.path), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_the_letter() {
        assert_eq!(
            parse_name("fixtures/invoice/long.name.en.snap.new"),
            Some(("invoice".into(), "long.name".into(), "en".into()))
        );
        assert_eq!(parse_name("fixtures/invoice/x.pl.snap"), None);
        assert_eq!(path_of("fixtures/a/b.pl.snap"), "fixtures/a/b.pl.snap.new");
    }
}
