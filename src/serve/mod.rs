//! `missive serve`: the loaded standard as an HTTP API (axum routes on tokio, hyper's HTTP/1
//! server), rendering on the blocking pool behind a concurrency limit.
//!
//! [`Server::bind`] checks the options and binds the socket (so a caller can say where it
//! listens before serving); [`Server::run`] serves until SIGTERM or ctrl-c, then finishes the
//! requests in flight. The standard sits behind an [`ArcSwap`]: every request takes the one
//! loaded when it arrived, and a reload can replace it without stopping the server.

mod guard;
mod metrics;
mod page;
mod routes;
mod send;
mod watch;

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;

use crate::emit::Outputs;
use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;

/// The OpenAPI 3.1 document of the API, served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The largest request body: 1 MiB, far above any record (an invoice of 500 lines is ~60 KiB).
pub const BODY_LIMIT: usize = 1 << 20;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Bearer tokens a request must carry (`--token-file`); `None`: no check.
    pub tokens: Option<Vec<String>>,
    /// Listen beyond loopback without tokens (`--insecure-no-auth`).
    pub insecure_no_auth: bool,
    /// Renders at once (default: the cores).
    pub jobs: usize,
    /// Requests that may wait for a render beyond `jobs`; more are answered 503.
    pub queue: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// How long a request may take from its headers to its answer.
    pub request_timeout: Duration,
    /// Load the standard again when its files change (`--watch`).
    pub watch: bool,
}

impl Options {
    /// The defaults for `listen`: a render per core, a queue of 32 per core, 10 s for headers
    /// and 30 s for a request.
    pub fn new(listen: SocketAddr) -> Options {
        let jobs = std::thread::available_parallelism().map_or(2, usize::from);
        Options {
            listen,
            tokens: None,
            insecure_no_auth: false,
            jobs,
            queue: 32 * jobs,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            watch: false,
        }
    }
}

/// Reads bearer tokens, one a line (blank lines and `#` comments skipped).
pub fn read_tokens(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let tokens: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
    if tokens.is_empty() {
        return Err(Error::new(ErrorKind::Usage, format!("{} holds no token", path.display()))
            .with_help("write one bearer token a line, e.g. from `openssl rand -hex 32`"));
    }
    if let Some(short) = tokens.iter().find(|t| t.len() < 16) {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("{}: a token of {} characters is too easy to guess", path.display(), short.len()),
        )
        .with_help("use tokens of at least 16 characters, e.g. from `openssl rand -hex 32`"));
    }
    Ok(tokens)
}

/// What every request reads: the standard and what is made once from it.
pub(crate) struct Loaded {
    pub standard: Standard,
    pub outputs: Outputs,
    /// `GET /v1/templates`, serialised once.
    pub templates: axum::body::Bytes,
    /// `GET /v1/templates/{id}/schema` by template id, serialised once.
    pub schemas: std::collections::HashMap<String, axum::body::Bytes>,
}

impl Loaded {
    fn new(standard: Standard) -> Result<Loaded> {
        let outputs = Outputs::new(&standard);
        let templates = routes::templates_json(&standard)?;
        let schemas = routes::schemas_json(&standard)?;
        Ok(Loaded { standard, outputs, templates, schemas })
    }
}

/// Which load of the standard serves, and why the last reload failed if it did.
#[derive(Default)]
pub(crate) struct Reloads {
    /// Successful reloads since the start (the page re-renders when it changes).
    generation: AtomicU64,
    error: Mutex<Option<String>>,
}

impl Reloads {
    fn succeeded(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    fn failed(&self, error: String) {
        *self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(error);
    }

    /// The generation serving (1 for the standard loaded at the start) and the last failure.
    pub(crate) fn state(&self) -> (u64, Option<String>) {
        let error = self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        (self.generation.load(Ordering::Acquire) + 1, error)
    }
}

/// The server's shared state.
pub(crate) struct App {
    /// The standard, swapped whole on reload.
    pub loaded: ArcSwap<Loaded>,
    pub tokens: Option<Vec<String>>,
    /// Render slots (`jobs`).
    pub renders: tokio::sync::Semaphore,
    /// Requests holding or waiting for a slot.
    pub admitted: AtomicUsize,
    /// `jobs + queue`.
    pub capacity: usize,
    pub request_timeout: Duration,
    pub metrics: metrics::Metrics,
    pub reloads: Reloads,
    /// Sending, when `[serve] smtp` is set.
    pub mail: Option<Mail>,
}

/// What `POST /v1/letters/{id}/send` needs: the SMTP server and the remembered keys.
pub(crate) struct Mail {
    pub smtp: crate::emit::smtp::Smtp,
    pub keys: send::Keys,
    /// Letters sent without a key (each its own Message-ID).
    pub sent: AtomicU64,
}

impl Mail {
    /// From `[serve]`: `None` when it names no SMTP server.
    fn of(standard: &Standard) -> Result<Option<Mail>> {
        let settings = &standard.config().serve;
        let Some(url) = &settings.smtp else { return Ok(None) };
        let credentials = match (std::env::var("MISSIVE_SMTP_USER"), std::env::var("MISSIVE_SMTP_PASSWORD")) {
            (Ok(user), Ok(password)) => Some((user, password)),
            _ => None,
        };
        // A request waits for the server: short timeouts, well inside the request's own.
        let smtp = crate::emit::smtp::Smtp::new(url, credentials, Duration::from_secs(10))?
            .with_data_timeout(Duration::from_secs(20));
        let keys = standard.root().join(settings.keys.as_deref().unwrap_or(".missive/serve-keys.sqlite"));
        let keys = send::Keys::open(&keys, settings.remember_hours.unwrap_or(24))?;
        Ok(Some(Mail { smtp, keys, sent: AtomicU64::new(0) }))
    }
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
    options: Options,
    /// With `--watch`, the folder's watcher (it stops when dropped).
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Server {
    /// Checks the options and binds. Listening beyond loopback needs tokens or
    /// `insecure_no_auth`.
    pub fn bind(standard: Standard, options: Options) -> Result<Server> {
        if !options.listen.ip().is_loopback() && options.tokens.is_none() && !options.insecure_no_auth {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("refusing to listen on {} without authentication: anyone who reaches it could render letters", options.listen),
            )
            .with_help("pass --token-file FILE (bearer tokens, one a line), listen on 127.0.0.1, or pass --insecure-no-auth behind a proxy that authenticates"));
        }
        if options.jobs == 0 {
            return Err(Error::new(ErrorKind::Usage, "--jobs must be at least 1"));
        }
        let listener = TcpListener::bind(options.listen).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot listen on {}: {e}", options.listen))
                .with_help("choose another port (`--listen 127.0.0.1:0` takes a free one) or stop what holds it")
        })?;
        listener.set_nonblocking(true).map_err(|e| Error::new(ErrorKind::Io, format!("cannot listen: {e}")))?;
        let mail = Mail::of(&standard)?;
        let app = App {
            loaded: ArcSwap::from_pointee(Loaded::new(standard)?),
            tokens: options.tokens.clone(),
            renders: tokio::sync::Semaphore::new(options.jobs),
            admitted: AtomicUsize::new(0),
            capacity: options.jobs + options.queue,
            request_timeout: options.request_timeout,
            metrics: metrics::Metrics::default(),
            reloads: Reloads::default(),
            mail,
        };
        let root = standard_root(&app);
        let app = Arc::new(app);
        let watcher = if options.watch { Some(watch::start(&root, app.clone())?) } else { None };
        Ok(Server { listener, app, options, _watcher: watcher })
    }

    /// The address it listens on (with the port chosen for `:0`).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|e| Error::new(ErrorKind::Io, format!("cannot read the bound address: {e}")))
    }

    /// Replaces the standard every later request renders with (requests in flight keep theirs).
    pub fn reload(&self, standard: Standard) -> Result<()> {
        self.app.loaded.store(Arc::new(Loaded::new(standard)?));
        self.app.reloads.succeeded();
        Ok(())
    }

    /// Serves until SIGTERM or ctrl-c, then stops accepting and finishes the requests in
    /// flight (for at most `request_timeout`).
    pub fn run(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.options.jobs.max(2))
            // Renders are limited by the semaphore; the pool only needs room for them.
            .max_blocking_threads(self.options.jobs + 2)
            .enable_all()
            .build()
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start the server's threads: {e}")))?;
        let grace = self.options.request_timeout;
        runtime.block_on(self.serve())?;
        runtime.shutdown_timeout(grace);
        Ok(())
    }

    async fn serve(self) -> Result<()> {
        use hyper_util::rt::{TokioIo, TokioTimer};
        use hyper_util::service::TowerToHyperService;

        let listener = tokio::net::TcpListener::from_std(self.listener)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot listen: {e}")))?;
        let router = routes::router(self.app.clone());
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(self.options.header_timeout);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let stop = stop_signal();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, _) = match accepted {
                        Ok(pair) => pair,
                        // Out of file descriptors, a connection reset before accept: wait a
                        // moment rather than spin, and go on.
                        Err(_) => {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = connection.await;
                    });
                }
                () = &mut stop => break,
            }
        }
        drop(listener);
        let _ = tokio::time::timeout(self.options.request_timeout, graceful.shutdown()).await;
        Ok(())
    }
}

/// The folder the serving standard was loaded from.
fn standard_root(app: &App) -> std::path::PathBuf {
    app.loaded.load().standard.root().to_path_buf()
}

/// SIGTERM or ctrl-c (SIGINT).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
