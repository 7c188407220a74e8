//! A folder of letters (`<key>.eml`, later `<key>.pdf`), each written so that a crash leaves
//! either the whole file or none: temporary file, fsync, rename, fsync of the folder.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The longest file name [`file_name`] gives, in bytes: file systems allow 255, and a letter is
/// staged as `.NAME.ORDINAL.tmp` first.
pub const MAX_FILE_NAME: usize = 200;

/// A file name for a record key, or `None` when the key is too long to name a file
/// ([`MAX_FILE_NAME`] bytes with the extension).
///
/// The encoding is injective, so two keys never share a file: ASCII letters, digits, `-` and
/// `_` stand for themselves, and every other byte of the key's UTF-8 is `%` and two upper-case
/// hex digits (`FV/2026/11` → `FV%2F2026%2F11`). A `.` is kept except first, so no name is
/// hidden or leaves the folder (`../x` → `%2E.%2Fx`); an empty key is `%`, which no other key
/// gives. On a file system that ignores case two keys may still differ only in case: the
/// batch's writer checks for those ([`folded`]).
pub fn file_name(key: &str, extension: &str) -> Option<String> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut name = String::with_capacity(key.len() + extension.len() + 1);
    if key.is_empty() {
        name.push('%');
    }
    for (i, &b) in key.as_bytes().iter().enumerate() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0) {
            name.push(b as char);
        } else {
            name.push('%');
            name.push(HEX[usize::from(b >> 4)] as char);
            name.push(HEX[usize::from(b & 15)] as char);
        }
        if name.len() + extension.len() + 1 > MAX_FILE_NAME {
            return None;
        }
    }
    name.push('.');
    name.push_str(extension);
    Some(name)
}

/// A file name as a file system that ignores case sees it: two names with the same fold are
/// one file there.
pub fn folded(name: &str) -> String {
    name.to_ascii_lowercase()
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
    fn keys_become_safe_readable_file_names() {
        assert_eq!(file_name("INV-00000042", "eml").unwrap(), "INV-00000042.eml");
        assert_eq!(file_name("../../etc/passwd", "eml").unwrap(), "%2E.%2F..%2Fetc%2Fpasswd.eml");
        assert_eq!(file_name("FV/2026 11", "pdf").unwrap(), "FV%2F2026%2011.pdf");
        assert_eq!(file_name("Łódź.1", "eml").unwrap(), "%C5%81%C3%B3d%C5%BA.1.eml");
        assert_eq!(file_name("", "eml").unwrap(), "%.eml");
    }

    #[test]
    fn different_keys_never_share_a_file_name() {
        let keys = ["a/b", "a-b", "a:b", "a%2Fb", "a_b", "a.b", ".ab", "%2Eab", "", "%", "%25", "a b", "a\u{0}b"];
        let mut names = std::collections::HashSet::new();
        for key in keys {
            let name = file_name(key, "eml").unwrap();
            assert!(!name.contains(['/', '\\', ':']) && !name.starts_with('.'), "{key:?} → {name}");
            assert!(names.insert(name.clone()), "{key:?} shares {name} with another key");
        }
        // The encoding is decodable, which is what injective means here.
        for key in keys {
            let name = file_name(key, "eml").unwrap();
            let stem = name.strip_suffix(".eml").unwrap();
            let mut bytes = Vec::new();
            let mut rest = stem.as_bytes();
            while let Some((&b, tail)) = rest.split_first() {
                if b == b'%' && tail.len() >= 2 {
                    bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
                    rest = &tail[2..];
                } else if b != b'%' {
                    bytes.push(b);
                    rest = tail;
                } else {
                    rest = tail;
                }
            }
            assert_eq!(bytes, key.as_bytes(), "{name}");
        }
    }

    #[test]
    fn a_key_too_long_for_a_file_name_gets_none() {
        assert!(file_name(&"x".repeat(MAX_FILE_NAME - 4), "eml").is_some());
        assert!(file_name(&"x".repeat(MAX_FILE_NAME - 3), "eml").is_none());
        assert!(file_name(&"ż".repeat(40), "eml").is_none(), "each byte of ż takes three");
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
