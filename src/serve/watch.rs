//! `missive serve --watch`: the standard's folder watched (inotify, FSEvents or
//! ReadDirectoryChangesW through `notify`) and loaded again after each burst of changes. A
//! standard that no longer loads leaves the last good one serving, and its error is shown
//! (`/healthz`, the agent's page) until an edit mends it.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::{App, Loaded};
use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;

/// How long the folder must stay quiet before it is loaded: an editor's save is often several
/// events (a temporary file, a rename, a change of attributes).
const QUIET: Duration = Duration::from_millis(120);

/// Watches `root` and reloads `app`'s standard on every change that can alter a letter. The
/// watcher stops when the returned value is dropped.
pub(crate) fn start(root: &Path, app: Arc<App>) -> Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<()>();
    let relevant_root = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let matters = match event {
            Ok(event) => event.paths.iter().any(|p| matters(&relevant_root, p)),
            // The watcher lost events (an overflowing queue): load again to be sure.
            Err(_) => true,
        };
        if matters {
            let _ = tx.send(());
        }
    })
    .map_err(|e| Error::new(ErrorKind::Io, format!("cannot watch the standard's folder: {e}")))?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot watch {}: {e}", root.display())))?;
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("missive-watch".into())
        .spawn(move || {
            while rx.recv().is_ok() {
                while rx.recv_timeout(QUIET).is_ok() {}
                reload(&root, &app);
            }
        })
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start the watcher: {e}")))?;
    Ok(watcher)
}

/// Whether a change at `path` can alter a letter: anything in the standard but version
/// control, build output, snapshots and editors' temporary files.
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return true };
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let hidden_or_built = relative.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c.starts_with('.') || c == "target"
    });
    let scratch =
        name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".snap") || name.ends_with(".snap.new");
    !(hidden_or_built || scratch)
}

/// Loads the standard again: on success every later request uses it; on failure the last good
/// one stays and the error is kept for `/healthz` and the page.
fn reload(root: &Path, app: &App) {
    match Standard::load(root).and_then(Loaded::new) {
        Ok(loaded) => {
            app.loaded.store(Arc::new(loaded));
            app.reloads.succeeded();
        }
        Err(e) => app.reloads.failed(shown(root, &e)),
    }
}

/// The error as the page shows it: its message, where, and the fix, with the standard's own
/// relative paths only (the server's folders are nobody's business).
fn shown(root: &Path, e: &Error) -> String {
    let mut text = e.to_string();
    if let Some((file, line, column)) = e.location()
        && !text.contains(&file)
    {
        text = format!("{file}:{line}:{column}: {text}");
    }
    if let Some(help) = e.help_text() {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
    text.replace(&prefix, "")
}
