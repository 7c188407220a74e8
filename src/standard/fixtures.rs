//! Fixtures: sample records for each template, `fixtures/<template>/<case>.json`.

use std::path::Path;

use crate::error::Result;
use crate::source::SourceFile;

/// One fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The template it is for (its folder name).
    pub template: String,
    /// The case name (file name without `.json`).
    pub case: String,
    /// The file, unparsed: a broken fixture is a finding of `check`, not a load error.
    pub file: SourceFile,
}

/// Every fixture under `root/fixtures`, sorted by template and case.
pub fn discover(root: &Path) -> Result<Vec<Fixture>> {
    let files = super::read_dir_sorted(root, "fixtures", "json", true)?;
    Ok(files
        .into_iter()
        .filter_map(|file| {
            let rel = file.name.strip_prefix("fixtures/")?.to_string();
            let (template, case) = rel.rsplit_once('/')?;
            Some(Fixture { template: template.to_string(), case: case.trim_end_matches(".json").to_string(), file })
        })
        .collect())
}
