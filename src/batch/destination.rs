//! Where letters go: a folder of files, an mbox, an SMTP server, or nowhere (a dry run). Files
//! and mbox entries are staged, then synced as a group ([`Sink::sync`]) before the journal marks
//! the group done; SMTP confirms each letter itself.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, IoSlice, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::emit::files;
use crate::error::{Error, ErrorKind, Result};

/// A file we append to and sync: the mbox, the rejects report. Its length is what the journal
/// records as committed; a resume cuts the file back to it.
pub struct Appender {
    path: PathBuf,
    out: BufWriter<File>,
    len: u64,
    /// Where the pages the run may still keep in the page cache start ([`forget_synced`]).
    forgotten: u64,
    /// Whole pieces given to [`Appender::append_owned`], not written yet, and their bytes.
    waiting: Vec<Vec<u8>>,
    waiting_len: usize,
}

/// The buffer's size, and what pieces wait for before they are written together.
const BUFFER: usize = 1 << 20;
/// At most this many pieces wait (`writev` takes 1,024).
const PIECES: usize = 256;

fn write_error(path: &Path, e: io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write {}: {e}", path.display()))
        .with_help("check that the disk has space and the folder is writable; then run again with --resume")
}

impl Appender {
    /// Opens `path` for appending after `committed` bytes (`None`: a new file, which must not
    /// hold anything yet unless `overwrite`).
    pub fn open(path: &Path, committed: Option<u64>, overwrite: bool) -> Result<Appender> {
        let e = |e| write_error(path, e);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(e)?;
        }
        let mut file = OpenOptions::new().create(true).write(true).truncate(false).open(path).map_err(e)?;
        let existing = file.metadata().map_err(e)?.len();
        let len = match committed {
            Some(len) if existing < len => {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "{} is shorter ({existing} bytes) than the journal's record of it ({len} bytes): it was changed since the run",
                        path.display()
                    ),
                )
                .with_help("restore the file, or move the journal away and run the batch afresh"));
            }
            Some(len) => len,
            None if existing > 0 && !overwrite => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!("{} already exists and is not empty", path.display()),
                )
                .with_help("write to a new file, or remove this one; to continue an interrupted run pass --resume"));
            }
            None => 0,
        };
        // Anything after the committed length was written by a run that died before its
        // journal commit: those letters are done again, so their first copy goes.
        file.set_len(len).map_err(e)?;
        file.seek(SeekFrom::Start(len)).map_err(e)?;
        Ok(Appender {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(BUFFER, file),
            len,
            forgotten: len,
            waiting: Vec::new(),
            waiting_len: 0,
        })
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes through `f`, counting the bytes.
    pub fn append(&mut self, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        self.write_waiting()?;
        let mut counted = Counting { inner: &mut self.out, n: 0 };
        let result = f(&mut counted);
        self.len += counted.n;
        result.map_err(|e| write_error(&self.path, e))
    }

    /// Appends `bytes` (an mbox entry) from where they are, not copied into the buffer: the
    /// pieces wait until they fill it, then go in one `writev` (the copy of each 11.5 KB entry
    /// was a third of the writer thread's instructions, `rep movsb` counted byte by byte).
    pub fn append_owned(&mut self, bytes: Vec<u8>) -> Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.len += bytes.len() as u64;
        self.waiting_len += bytes.len();
        self.waiting.push(bytes);
        if self.waiting_len >= BUFFER || self.waiting.len() >= PIECES {
            self.write_waiting()?;
        }
        Ok(())
    }

    /// Writes the waiting pieces, after what the buffer holds.
    fn write_waiting(&mut self) -> Result<()> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        let e = |e| write_error(&self.path, e);
        self.out.flush().map_err(e)?;
        let file = self.out.get_mut();
        let mut slices: Vec<IoSlice<'_>> = self.waiting.iter().map(|piece| IoSlice::new(piece)).collect();
        let mut left = slices.as_mut_slice();
        while !left.is_empty() {
            match file.write_vectored(left) {
                Ok(0) => return Err(e(io::Error::from(io::ErrorKind::WriteZero))),
                Ok(n) => IoSlice::advance_slices(&mut left, n),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(e(error)),
            }
        }
        self.waiting.clear();
        self.waiting_len = 0;
        Ok(())
    }

    /// Flushes and syncs; returns the length now safe on disk.
    pub fn sync(&mut self) -> Result<u64> {
        self.write_waiting()?;
        let e = |e| write_error(&self.path, e);
        self.out.flush().map_err(e)?;
        self.out.get_ref().sync_data().map_err(e)?;
        self.forgotten = forget_synced(self.out.get_ref(), self.forgotten, self.len);
        Ok(self.len)
    }
}

/// Asks the kernel to drop the cached pages of `file` from `from` to `to`, which are on disk
/// now; returns where the next call starts. Nothing reads them back during a run, and otherwise a
/// million-letter mbox (11 GB) fills the page cache until each write has to reclaim a page
/// first: the run's system time a letter grew sixfold from 100,000 letters to 1,000,000.
#[cfg(target_os = "linux")]
fn forget_synced(file: &File, from: u64, to: u64) -> u64 {
    use std::os::fd::AsRawFd;
    // Whole pages only (4 KiB, or a part of a larger page, which the kernel then keeps): the
    // last page is partly written and is written again by the next group.
    let end = to & !4095;
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(from), libc::off_t::try_from(end.saturating_sub(from))) else {
        return from;
    };
    if len > 0 {
        // SAFETY: posix_fadvise only reads the descriptor, which `file` keeps open for the call.
        // It is advice: a failure leaves the pages cached, which is only slower.
        let _ = unsafe { libc::posix_fadvise(file.as_raw_fd(), offset, len, libc::POSIX_FADV_DONTNEED) };
        return end;
    }
    from
}

#[cfg(not(target_os = "linux"))]
fn forget_synced(_file: &File, from: u64, _to: u64) -> u64 {
    from
}

struct Counting<'a, W> {
    inner: &'a mut W,
    n: u64,
}

impl<W: Write> Write for Counting<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A folder of letters named by record key, written atomically in groups: each file is written
/// under a temporary name by the render worker that made it ([`stage`]), then the writer syncs
/// the group, renames each file into place in input order and syncs the folder.
pub struct Folder {
    dir: PathBuf,
    staged: Vec<Staged>,
    /// On a file system that ignores case: each file name's fold with the key that holds it, so
    /// two keys differing only in case are caught before one overwrites the other.
    folds: Option<HashMap<String, String>>,
}

/// A file written under its temporary name, waiting for its group's sync.
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    file: Option<File>,
}

/// Writes `bytes` as `dir/.name.ORDINAL.tmp` (unique, so two records with the same key never
/// share a temporary file); [`Folder::sync`] makes it `dir/name`.
pub fn stage(dir: &Path, name: &str, ordinal: u64, bytes: &[u8]) -> Result<Staged> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{ordinal}.tmp"));
    let mut file = File::create(&tmp).map_err(|e| write_error(&tmp, e))?;
    file.write_all(bytes).map_err(|e| write_error(&tmp, e))?;
    // Linux syncs the whole group with one `syncfs`; elsewhere each file is synced, so keep it.
    let file = if cfg!(target_os = "linux") { None } else { Some(file) };
    Ok(Staged { tmp, path, file })
}

impl Staged {
    /// Removes the temporary file of a letter that will not be delivered.
    pub fn discard(self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

impl Folder {
    /// Creates the folder if needed.
    pub fn open(dir: &Path) -> Result<Folder> {
        fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let folds = ignores_case(dir)?.then(HashMap::new);
        Ok(Folder { dir: dir.to_path_buf(), staged: Vec::new(), folds })
    }

    /// The other key whose file `key`'s would overwrite on a file system that ignores case;
    /// else `key` claims its name. (On a file system that tells case apart, different keys
    /// always have different names: see [`files::file_name`].)
    pub fn clash(&mut self, key: &str) -> Option<String> {
        let folds = self.folds.as_mut()?;
        let fold = files::folded(&files::file_name(key, "")?);
        match folds.get(&fold) {
            Some(holder) if holder != key => Some(holder.clone()),
            Some(_) => None,
            None => {
                folds.insert(fold, key.to_string());
                None
            }
        }
    }

    /// Takes a staged file into the current group.
    pub fn adopt(&mut self, staged: Staged) {
        self.staged.push(staged);
    }

    /// Syncs every staged file, renames it into place and syncs the folder.
    pub fn sync(&mut self) -> Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        sync_all_staged(&self.dir, &self.staged)?;
        for staged in self.staged.drain(..) {
            fs::rename(&staged.tmp, &staged.path).map_err(|e| write_error(&staged.path, e))?;
        }
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(|e| write_error(&self.dir, e))
    }
}

/// Whether the file system under `dir` ignores case (FAT, most macOS and Windows volumes): a
/// probe file is created under a lower-case name and looked up under the upper-case one.
fn ignores_case(dir: &Path) -> Result<bool> {
    let name = format!(".missive-case-probe-{}", std::process::id());
    let probe = dir.join(&name);
    File::create(&probe).map_err(|e| write_error(&probe, e))?;
    let ignores = dir.join(name.to_ascii_uppercase()).exists();
    fs::remove_file(&probe).map_err(|e| write_error(&probe, e))?;
    Ok(ignores)
}

/// Makes the staged files' data durable. On Linux one `syncfs` of the folder's file system does
/// it for the whole group (a group of 256 costs one flush instead of 256: per-file fsync caps a
/// run near 1,300 letters/s here); elsewhere each file is synced.
#[cfg(target_os = "linux")]
fn sync_all_staged(dir: &Path, _staged: &[Staged]) -> Result<()> {
    use std::os::fd::AsRawFd;
    let folder = File::open(dir).map_err(|e| write_error(dir, e))?;
    // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open for the call.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
        return Err(write_error(dir, io::Error::last_os_error()));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_all_staged(_dir: &Path, staged: &[Staged]) -> Result<()> {
    for s in staged {
        if let Some(file) = &s.file {
            file.sync_data().map_err(|e| write_error(&s.tmp, e))?;
        }
    }
    Ok(())
}

/// The destination of a run.
pub enum Sink {
    /// `--out-dir DIR`.
    Folder(Folder),
    /// `--mbox FILE`.
    Mbox(Appender),
    /// `--smtp URL`: the sender threads hold the server; see `send.rs`.
    Smtp,
    /// `--dry-run`: render and check, write nothing.
    Nowhere,
}

impl Sink {
    /// Makes everything staged safe on disk; returns the mbox's committed length, if any.
    pub fn sync(&mut self) -> Result<Option<u64>> {
        match self {
            Sink::Folder(folder) => folder.sync().map(|()| None),
            Sink::Mbox(mbox) => mbox.sync().map(Some),
            Sink::Smtp | Sink::Nowhere => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appender_cuts_back_to_the_committed_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mbox");
        let mut a = Appender::open(&path, None, false).unwrap();
        a.append(|w| w.write_all(b"one\n")).unwrap();
        assert_eq!(a.sync().unwrap(), 4);
        a.append(|w| w.write_all(b"two, never committed\n")).unwrap();
        a.sync().unwrap();
        drop(a);
        assert!(Appender::open(&path, None, false).err().unwrap().to_string().contains("already exists"));
        let mut a = Appender::open(&path, Some(4), false).unwrap();
        a.append(|w| w.write_all(b"two\n")).unwrap();
        a.sync().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        assert!(Appender::open(&path, Some(100), false).err().unwrap().to_string().contains("shorter"));
    }

    #[test]
    fn pieces_appended_whole_and_through_the_buffer_keep_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mbox");
        let mut a = Appender::open(&path, None, false).unwrap();
        let mut expected = Vec::new();
        // Enough pieces to be written while waiting (by count and by size), and some left for
        // the sync, between writes through the buffer.
        for i in 0..(PIECES * 3 + 5) {
            let piece = format!("From {i}\n{}\n\n", "x".repeat(i * 13 % 5000)).into_bytes();
            expected.extend_from_slice(&piece);
            a.append_owned(piece).unwrap();
            if i % 100 == 0 {
                a.append(|w| w.write_all(b"buffered\n")).unwrap();
                expected.extend_from_slice(b"buffered\n");
            }
        }
        a.append_owned(Vec::new()).unwrap();
        a.append_owned(vec![b'y'; BUFFER + 1]).unwrap();
        expected.extend(std::iter::repeat_n(b'y', BUFFER + 1));
        assert_eq!(a.sync().unwrap(), expected.len() as u64);
        assert_eq!(fs::read(&path).unwrap(), expected);
    }

    #[test]
    fn keys_differing_in_case_clash_only_where_case_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut folder = Folder::open(dir.path()).unwrap();
        assert!(folder.folds.is_none(), "this test's temporary folder tells case apart");
        assert_eq!(folder.clash("INV-1"), None);
        assert_eq!(folder.clash("inv-1"), None);
        folder.folds = Some(HashMap::new());
        assert_eq!(folder.clash("INV-1"), None);
        assert_eq!(folder.clash("INV-1"), None, "a key never clashes with itself");
        assert_eq!(folder.clash("inv-1").as_deref(), Some("INV-1"));
        assert_eq!(folder.clash("Inv/1"), None, "`/` is %2F, so inv-1's fold differs");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.is_empty(), "the probe leaves nothing behind");
    }

    #[test]
    fn staged_files_appear_only_after_sync() {
        let dir = tempfile::tempdir().unwrap();
        let mut folder = Folder::open(dir.path()).unwrap();
        folder.adopt(stage(dir.path(), "K1.eml", 1, b"x").unwrap());
        stage(dir.path(), "K2.eml", 2, b"y").unwrap().discard();
        assert!(!dir.path().join("K1.eml").exists());
        folder.sync().unwrap();
        assert_eq!(fs::read(dir.path().join("K1.eml")).unwrap(), b"x");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["K1.eml"]);
    }
}
