//! The end of every `--help`: examples that run as written, and what each exit code means for
//! that command. In one file so the commands read alike; a test parses every example.

/// `missive --help`.
pub const MAIN: &str = "\
Examples:
  missive render invoice --data fixtures/invoice/lines.json
  missive check --format github
  missive test --review
  missive batch invoice --data invoices.csv --encoding windows-1250 --mbox invoices.mbox
  missive serve --listen 127.0.0.1:8080 --watch

The standard is the nearest folder upward from here that holds missive.toml (or --project DIR).

Exit codes: 0 done, nothing at error level; 1 findings (a rule broken, a snapshot that differs,
records rejected); 2 could not do the job (bad arguments, a standard that does not load, unreadable
input).";

/// `missive render --help`.
pub const RENDER: &str = "\
Examples:
  missive render invoice --data fixtures/invoice/lines.json
  missive render invoice --data fixtures/invoice/lines.json --locale en --format html -o letter.html
  missive render invoice --data fixtures/invoice/lines.json --format pdf -o letter.pdf
  missive render invoice --data - --format json < record.json
  missive render invoice --data fixtures/invoice/lines.json --set customer.name='Anna Nowak'

Exit codes: 0 written; 1 the letter breaks an error-level rule (not written unless
--allow-violations); 2 the record is refused (every bad field named), or the standard does not
load.";

/// `missive batch --help`.
pub const BATCH: &str = "\
Examples:
  missive batch invoice --data invoices.jsonl --mbox invoices.mbox
  missive batch invoice --data export.csv --encoding windows-1250 --out-dir letters --format pdf
  missive batch invoice --data export.xlsx --sheet Invoices --smtp smtp://relay.internal:587
  missive batch invoice --data invoices.jsonl --mbox invoices.mbox --resume
  missive batch invoice --data invoices.jsonl --dry-run --rejects rejects.jsonl
  missive batch invoice --data invoices.jsonl --mbox invoices.mbox --report run.html

Exit codes: 0 every letter done; 1 records rejected, letters deferred or in doubt (see the summary
and --rejects); 2 the run could not start or stopped (the summary says how far it got; --resume
goes on).";

/// `missive journal --help`.
pub const JOURNAL: &str = "\
Examples:
  missive journal invoices.mbox.journal
  missive journal invoices.mbox.journal --format json --all

Exit codes: 0 read; 2 not a journal, or unreadable.";

/// `missive templates --help`.
pub const TEMPLATES: &str = "\
Examples:
  missive templates
  missive templates --format json | jq -r '.[].id'

Exit codes: 0 listed; 2 the standard does not load.";

/// `missive fields --help`.
pub const FIELDS: &str = "\
Examples:
  missive fields invoice
  missive fields invoice --format json-schema > invoice.schema.json

Exit codes: 0 listed; 2 no such template, or the standard does not load.";

/// `missive check --help`.
pub const CHECK: &str = "\
Examples:
  missive check
  missive check invoice --today 2026-11-23
  missive check --format github                               # in GitHub Actions
  missive check --format gitlab > gl-code-quality-report.json   # in GitLab CI
  missive check --format sarif -o missive.sarif
  missive check --format html -o diagnosis.html                # the diagnosis as one page

Exit codes: 0 no error-level finding; 1 findings at error level; 2 the standard does not load.";

/// `missive rules --help`.
pub const RULES: &str = "\
Examples:
  missive rules --format html -o handbook.html
  missive rules --locale en > HANDBOOK.md
  missive rules courtesy.missing-thanks
  missive rules brand-voice.blaming-the-machine --format json

Exit codes: 0 written; 2 the standard does not load, an unknown rule id or language.";

/// `missive test --help`.
pub const TEST: &str = "\
Examples:
  missive test                       # writes <case>.<locale>.snap.new for each change
  missive test --review              # accept, reject or skip them one by one
  missive test invoice --accept
  missive test --reject
  missive test --format junit > missive-junit.xml

Exit codes: 0 every letter matches its snapshot; 1 a letter differs, is new or its snapshot is
stale (or a review left some pending); 2 the standard does not load, there are no fixtures, or a
pending file is not one.";

/// `missive init --help`.
pub const INIT: &str = "\
Examples:
  missive init my-standard
  missive init my-standard --quiet

Exit codes: 0 created; 2 the folder is not empty, or cannot be written.";

/// `missive serve --help`.
pub const SERVE: &str = "\
Examples:
  missive serve
  missive serve --listen 0.0.0.0:8080 --token-file /run/secrets/missive-token --watch

Exit codes: 0 stopped by SIGTERM or ctrl-c with every request answered; 2 could not start (the
address is taken, the token file is unreadable, the standard does not load).";

/// `missive schema --help`.
pub const SCHEMA: &str = "\
Examples:
  missive schema config > schemas/missive.schema.json
  missive schema layout > schemas/letter.schema.json
  missive schema rule-pack > schemas/rule-pack.schema.json

Then start the TOML file with `#:schema ./schemas/missive.schema.json` (Taplo, Even Better TOML).

Exit codes: 0 written; 2 could not write.";

/// `missive completions --help`.
pub const COMPLETIONS: &str = "\
Examples:
  missive completions bash > /etc/bash_completion.d/missive
  missive completions zsh > \"${fpath[1]}/_missive\"
  missive completions fish > ~/.config/fish/completions/missive.fish

Exit codes: 0 written; 2 could not write.";

/// `missive man --help`.
pub const MAN: &str = "\
Examples:
  missive man > missive.1 && man ./missive.1

Exit codes: 0 written; 2 could not write.";

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::super::Cli;

    /// The `missive …` lines of every command's examples, split as a shell would split them
    /// (quotes kept simple: these examples use only single quotes around one value), up to a
    /// pipe, a redirection or a comment.
    fn examples(help: &str) -> Vec<Vec<String>> {
        let start = help.find("Examples:").map_or(help.len(), |i| i + "Examples:".len());
        let end = help.find("\n\n").filter(|&e| e > start).unwrap_or(help.len());
        help[start..end]
            .lines()
            .flat_map(|line| line.split("&&"))
            .map(|line| line.split(['|', '>', '<', '#']).next().unwrap_or("").trim())
            .filter(|line| line.starts_with("missive "))
            .map(|line| {
                let mut words = Vec::new();
                let mut word = String::new();
                let mut quoted = false;
                for c in line.chars() {
                    match c {
                        '\'' => quoted = !quoted,
                        ' ' if !quoted => {
                            if !word.is_empty() {
                                words.push(std::mem::take(&mut word));
                            }
                        }
                        _ => word.push(c),
                    }
                }
                words.push(word);
                words
            })
            .collect()
    }

    #[test]
    fn every_command_ends_its_help_with_examples_that_parse_and_the_exit_codes() {
        let mut command = Cli::command();
        command.build();
        let mut helps = vec![("missive".to_string(), command.get_after_help().map(|h| h.to_string()))];
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            helps.push((sub.get_name().to_string(), sub.get_after_help().map(|h| h.to_string())));
        }
        assert!(helps.len() > 10, "{helps:?}");
        for (name, help) in helps {
            let help = help.unwrap_or_else(|| panic!("`missive {name} --help` has no examples"));
            assert!(help.contains("Exit codes: 0 "), "`missive {name} --help` does not give the exit codes");
            let too_wide = help.lines().find(|line| line.chars().count() > 100);
            assert!(too_wide.is_none(), "`missive {name} --help` wraps in a 100-column terminal: {too_wide:?}");
            let examples = examples(&help);
            assert!(!examples.is_empty(), "`missive {name} --help` has no example");
            for words in examples {
                if name != "missive" {
                    assert_eq!(words.get(1).map(String::as_str), Some(name.as_str()), "{words:?}");
                }
                if let Err(e) = Cli::try_parse_from(&words) {
                    panic!("the example `{}` does not parse: {e}", words.join(" "));
                }
            }
        }
    }
}
