//! The `missive` command: parse the arguments, run, exit with the code `cli::run` decides.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = missive::cli::Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    ExitCode::from(missive::cli::run(args, &mut stdout.lock(), &mut stderr.lock()))
}
