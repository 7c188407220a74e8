//! `missive completions <shell>` and `missive man`: what a packager installs beside the binary,
//! generated from the same clap definitions that parse the command line, so they never drift.

use std::io::Write;

use clap::{Args, CommandFactory};

use super::{Cli, Outcome};
use crate::error::{Error, ErrorKind, Result};

/// Flags of `missive completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Outcome> {
    let mut command = Cli::command();
    // clap_complete panics when its writer fails (a closed pipe): it writes to memory here.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "missive", &mut script);
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the completion script: {e}")))?;
    Ok(Outcome::Done)
}

/// Writes the man page (roff) of `missive`: its options, its commands with what each does, the
/// version and the exit codes.
pub fn man(out: &mut dyn Write) -> Result<Outcome> {
    let command = Cli::command();
    clap_mangen::Man::new(command)
        .render(out)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the man page: {e}")))?;
    Ok(Outcome::Done)
}
