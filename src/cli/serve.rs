//! `missive serve`: the standard as an HTTP API until SIGTERM or ctrl-c.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{Outcome, load};
use crate::error::{Error, ErrorKind, Result};
use crate::serve::{Options, Server, read_tokens};

/// Flags of `missive serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (`127.0.0.1:0` takes a free port; the first line printed names it).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Bearer tokens, one a line: every request but /healthz must carry one.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Listen beyond loopback without tokens (behind a proxy that authenticates).
    #[arg(long)]
    pub insecure_no_auth: bool,
    /// Load the standard again when a template, message file, rule pack or layout changes; an
    /// edit that breaks it keeps the last good standard serving and shows the error.
    #[arg(long)]
    pub watch: bool,
    /// Letters rendered at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Requests that may wait for a render beyond --jobs; more are answered 503 with Retry-After
    /// (default: 32 per job).
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,
}

/// Runs `missive serve`.
pub fn run(project: &Path, args: &ServeArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let standard = load(project)?;
    let mut options = Options::new(args.listen);
    options.tokens = args.token_file.as_deref().map(read_tokens).transpose()?;
    options.insecure_no_auth = args.insecure_no_auth;
    options.watch = args.watch;
    if let Some(jobs) = args.jobs {
        options.jobs = jobs;
        options.queue = 32 * jobs;
    }
    if let Some(queue) = args.queue {
        options.queue = queue;
    }
    let server = Server::bind(standard, options)?;
    let addr = server.local_addr()?;
    // The first line names the address: scripts and tests read the port from it.
    writeln!(out, "listening on http://{addr}")
        .and_then(|()| out.flush())
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the output: {e}")))?;
    if !addr.ip().is_loopback() && args.token_file.is_none() {
        let _ = writeln!(err, "warning: listening on {addr} without authentication (--insecure-no-auth)");
    }
    server.run()?;
    if !super::quiet() {
        let _ = writeln!(err, "stopped: every request in flight was answered");
    }
    Ok(Outcome::Done)
}
