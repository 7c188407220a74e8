//! The command line: flags defined once with their help, one file per command, and the one
//! function that decides exit codes (0 done, 1 findings, 2 could not do the job).

mod batch;
mod check;
mod completions;
mod fields;
mod help;
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
#[command(name = "missive", version, about, long_about = None, propagate_version = true, after_help = help::MAIN)]
pub struct Cli {
    /// The standard's folder (holding missive.toml); default: the nearest folder upward from
    /// here that holds one, as cargo finds Cargo.toml.
    #[arg(long, global = true, env = "MISSIVE_PROJECT", value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// When to colour the output: `auto` on a terminal (unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), `always`, or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Say less: no progress, notes or summaries of what went well, and findings only at error
    /// level; errors and what the command writes are unchanged.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on standard error: where the standard was found and how long the command took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render one letter from a record (an agent's single letter, or a script's).
    #[command(after_help = help::RENDER)]
    Render(render::RenderArgs),
    /// A billing run: many records to a folder, an mbox or SMTP, resumable after a crash.
    #[command(after_help = help::BATCH)]
    Batch(Box<batch::BatchArgs>),
    /// What a batch's journal says over all its runs: done, rejected, left not done, in doubt.
    #[command(after_help = help::JOURNAL)]
    Journal(journal::JournalArgs),
    /// List the letter types: their languages, owners and review dates.
    #[command(after_help = help::TEMPLATES)]
    Templates(templates::TemplatesArgs),
    /// List the personalisation fields a template takes.
    #[command(after_help = help::FIELDS)]
    Fields(fields::FieldsArgs),
    /// Check the whole standard for CI: static problems, then every fixture in every locale.
    #[command(after_help = help::CHECK)]
    Check(check::CheckArgs),
    /// Print the standard as a readable handbook (Markdown or HTML), or explain one rule.
    #[command(after_help = help::RULES)]
    Rules(rules::RulesArgs),
    /// Snapshot tests: every fixture in every locale against its snapshot file.
    #[command(after_help = help::TEST)]
    Test(test::TestArgs),
    /// Create a new standard with one working example.
    #[command(after_help = help::INIT)]
    Init(init::InitArgs),
    /// Serve the standard as an HTTP API (JSON under /v1) until SIGTERM or ctrl-c.
    #[command(after_help = help::SERVE)]
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of missive.toml or the letter layout, for editors.
    #[command(after_help = help::SCHEMA)]
    Schema(schema::SchemaArgs),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = help::COMPLETIONS)]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff): `missive man > missive.1`.
    #[command(after_help = help::MAN)]
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

/// How much a run says besides its results: `-q`, nothing, or `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// `-q`: errors, error-level findings and the command's output only.
    Quiet,
    /// Progress, warnings and notes as well.
    #[default]
    Normal,
    /// Also where the standard is and how long the command took.
    Verbose,
}

/// The verbosity of this run, set once by [`run`].
static VERBOSITY: std::sync::OnceLock<Verbosity> = std::sync::OnceLock::new();

/// Whether `-q` was given.
fn quiet() -> bool {
    VERBOSITY.get().copied().unwrap_or_default() == Verbosity::Quiet
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
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    let _ = VERBOSITY.set(verbosity);
    let started = std::time::Instant::now();
    let project = match &cli.project {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_or_else(|_| PathBuf::from("."), |here| find_standard(&here)),
    };
    if verbosity == Verbosity::Verbose && uses_standard(&cli.command) {
        let how = if cli.project.is_some() { "named by --project or MISSIVE_PROJECT" } else { "the nearest upward" };
        let shown = std::path::absolute(project.join("missive.toml")).unwrap_or_else(|_| project.join("missive.toml"));
        let _ = writeln!(err, "missive: the standard is {} ({how})", shown.display());
    }
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
    let code = match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::Findings) => 1,
        Err(e) => {
            report_error(&e, err);
            2
        }
    };
    if verbosity == Verbosity::Verbose {
        let _ = writeln!(err, "missive: exit {code} after {} ms", started.elapsed().as_millis());
    }
    code
}

/// Whether a command reads the standard (and so `-v` says which one).
fn uses_standard(command: &Command) -> bool {
    !matches!(
        command,
        Command::Journal(_) | Command::Init(_) | Command::Schema(_) | Command::Completions(_) | Command::Man
    )
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

/// Writes warnings and findings, one block each (with `-q`, only those at error level).
pub fn report_diagnostics(diagnostics: &[Diagnostic], err: &mut dyn Write) {
    for d in diagnostics.iter().filter(|d| !quiet() || d.severity == Severity::Error) {
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
