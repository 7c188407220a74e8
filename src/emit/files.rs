//! A folder of letters (`<key>.eml`, later `<key>.pdf`), each written so that a crash leaves
//! either the whole file or none: temporary file, fsync, rename, fsync of the folder.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file name for a record key: letters, digits, `-`, `_` and `.` kept, anything else `-`, so a
/// key can never name a path outside the folder.
pub fn file_name(key: &str, extension: &str) -> String {
    let mut name: String =
        key.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    if name.is_empty() || name.starts_with('.') {
        name.insert(0, '_');
    }
    format!("{name}.{extension}")
}

/// Writes `bytes` to `dir/name` durably and atomically; returns the path.
pub fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, &path)?;
    File::open(dir)?.sync_all()?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_safe_file_names() {
        assert_eq!(file_name("INV-00000042", "eml"), "INV-00000042.eml");
        assert_eq!(file_name("../../etc/passwd", "eml"), "_..-..-etc-passwd.eml");
        assert_eq!(file_name("FV/2026 11", "pdf"), "FV-2026-11.pdf");
        assert_eq!(file_name("", "eml"), "_.eml");
    }

    #[test]
    fn writes_whole_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_durably(dir.path(), "a.eml", b"Subject: x\r\n\r\nbody").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"Subject: x\r\n\r\nbody");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.eml"]);
    }
}
