//! The command line: flags defined once with their help, one file per command, and the one
//! function that decides exit codes (0 done, 1 findings, 2 could not do the job).

mod batch;
mod check;
mod completions;
mod fields;
mod init;
mod journal;
mod render;
mod rules;
mod schema;
mod serve;
mod templates;
mod test;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;

/// missive compiles a company's standardised customer correspondence.
#[derive(Debug, Parser)]
#[command(name = "missive", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The standard's folder (holding missive.toml); default: the nearest folder upward from
    /// here that holds one, as cargo finds Cargo.toml.
    #[arg(long, global = true, env = "MISSIVE_PROJECT", value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// When to colour the output: `auto` on a terminal (unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), `always`, or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render one letter from a record (an agent's single letter, or a script's).
    Render(render::RenderArgs),
    /// A billing run: many records to a folder, an mbox or SMTP, resumable after a crash.
    Batch(Box<batch::BatchArgs>),
    /// What a batch's journal says over all its runs: done, rejected, left not done, in doubt.
    Journal(journal::JournalArgs),
    /// List the letter types: their languages, owners and review dates.
    Templates(templates::TemplatesArgs),
    /// List the personalisation fields a template takes.
    Fields(fields::FieldsArgs),
    /// Check the whole standard for CI: static problems, then every fixture in every locale.
    Check(check::CheckArgs),
    /// Print the standard as a readable handbook (Markdown or HTML).
    Rules(rules::RulesArgs),
    /// Snapshot tests: every fixture in every locale against its snapshot file.
    Test(test::TestArgs),
    /// Create a new standard with one working example.
    Init(init::InitArgs),
    /// Serve the standard as an HTTP API (JSON under /v1) until SIGTERM or ctrl-c.
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of missive.toml or the letter layout, for editors.
    Schema(schema::SchemaArgs),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff): `missive man > missive.1`.
    Man,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal that takes colours, unless NO_COLOR says otherwise (CLICOLOR_FORCE forces).
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The `--color` of this run, set once by [`run`].
static COLOR: std::sync::OnceLock<ColorWhen> = std::sync::OnceLock::new();

/// Whether output to a stream is coloured: `--color`, then the conventions of NO_COLOR,
/// CLICOLOR_FORCE, CLICOLOR and TERM (read by `anstyle-query`), then whether it is a terminal.
fn colour(is_terminal: bool) -> bool {
    match COLOR.get().copied().unwrap_or_default() {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if anstyle_query::clicolor_force() {
                true
            } else if anstyle_query::no_color() || anstyle_query::clicolor() == Some(false) {
                false
            } else {
                is_terminal && anstyle_query::term_supports_color()
            }
        }
    }
}

/// What a command achieved, before it becomes an exit code.
pub enum Outcome {
    /// Done, nothing at error level.
    Done,
    /// Done, but with error-level findings.
    Findings,
}

/// Runs a parsed command line, writing results to `out` and messages to `err`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    quiet_panics();
    let _ = COLOR.set(cli.color);
    let project = match &cli.project {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_or_else(|_| PathBuf::from("."), |here| find_standard(&here)),
    };
    let result = match &cli.command {
        Command::Render(args) => render::run(&project, args, out, err),
        Command::Batch(args) => batch::run(&project, args, out, err),
        Command::Journal(args) => journal::run(args, out),
        Command::Templates(args) => templates::run(&project, args, out),
        Command::Fields(args) => fields::run(&project, args, out),
        Command::Check(args) => check::run(&project, args, out),
        Command::Rules(args) => rules::run(&project, args, out),
        Command::Test(args) => test::run(&project, args, out),
        Command::Init(args) => init::run(args, out),
        Command::Serve(args) => serve::run(&project, args, out, err),
        Command::Schema(args) => schema::run(args, out),
        Command::Completions(args) => completions::completions(args, out),
        Command::Man => completions::man(out),
    };
    match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::Findings) => 1,
        Err(e) => {
            report_error(&e, err);
            2
        }
    }
}

/// The nearest folder from `here` upward that holds a `missive.toml`, as a path relative to
/// `here` (`.`, `..`, `../..`), so messages keep short names; `.` when none does (loading then
/// says there is no standard here, and how to name one).
fn find_standard(here: &std::path::Path) -> PathBuf {
    let mut relative = PathBuf::from(".");
    for dir in here.ancestors() {
        if dir.join("missive.toml").is_file() {
            return relative;
        }
        relative = if relative == std::path::Path::new(".") { PathBuf::from("..") } else { relative.join("..") };
    }
    PathBuf::from(".")
}

/// A panic is a bug: one line naming it, not a backtrace, unless `RUST_BACKTRACE` asks for one.
/// (A batch catches a panic at the record and rejects that record; the line says what it was.)
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|info| eprintln!("missive: internal error (a bug; please report it): {info}")));
    }
}

fn load(project: &std::path::Path) -> Result<Standard> {
    Standard::load(project)
}

/// Writes an error with its source excerpt and help; colours only on a terminal.
pub fn report_error(error: &Error, err: &mut dyn Write) {
    let handler = miette::GraphicalReportHandler::new_themed(theme()).with_width(100);
    let mut text = String::new();
    if handler.render_report(&mut text, error).is_err() {
        text = format!("error: {error}\n");
    }
    let _ = writeln!(err, "{}", text.trim_end());
}

/// Whether standard output is a terminal that wants colour.
pub fn colour_on_stdout() -> bool {
    use std::io::IsTerminal;
    colour(std::io::stdout().is_terminal())
}

fn theme() -> miette::GraphicalTheme {
    use std::io::IsTerminal;
    if colour(std::io::stderr().is_terminal()) {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    }
}

/// Writes warnings and findings, one block each.
pub fn report_diagnostics(diagnostics: &[Diagnostic], err: &mut dyn Write) {
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
}

/// Whether any diagnostic is at error level.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// A reader that stopped reading (`missive check | head`) is not an error.
pub fn closed_pipe_is_done(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Parses `--today YYYY-MM-DD`.
pub fn parse_today(s: &str) -> Result<jiff::civil::Date> {
    let usage = |message: String| Error::new(ErrorKind::Usage, message);
    let date = crate::fields::parse_date(s).ok_or_else(|| usage(format!("`{s}` is not a date: write YYYY-MM-DD")))?;
    crate::fields::check_year(date).map_err(|why| usage(format!("`{s}` {why}")))?;
    Ok(date)
}

/// Writes `bytes` to `path` (`-` or none: `out`).
pub fn write_output(path: Option<&std::path::Path>, bytes: &[u8], out: &mut dyn Write) -> Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => std::fs::write(p, bytes).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot write {}: {e}", p.display()))
                .with_help("check that the folder exists and is writable")
        }),
        _ => closed_pipe_is_done(out.write_all(bytes).and_then(|()| out.flush()))
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the output: {e}"))),
    }
}
