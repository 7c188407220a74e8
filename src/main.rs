//! The `missive` command: parse the arguments, run, exit with the code `cli::run` decides.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's malloc: a letter is hundreds of short-lived allocations, and a
/// batch's render workers allocate at once (glibc's free and arena locks were ~15% of a batch).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = missive::cli::Cli::parse();
    let stdout = std::io::stdout();
    // Standard error is not held locked for the run: a panic's one line (see `cli::run`) is
    // written from the thread that panicked, which would otherwise wait for the lock for ever.
    ExitCode::from(missive::cli::run(args, &mut stdout.lock(), &mut std::io::stderr()))
}
