#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, then runs them.
# Usage: scripts/test.sh        (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests of this release need only the Rust toolchain (cargo, rustfmt, clippy).
# Later issues add outside tools (qpdf, poppler-utils, an SMTP server) here, installed when missing.
command -v cargo >/dev/null || { echo "cargo is required: install Rust with rustup" >&2; exit 2; }
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy || true

echo "== format"
cargo fmt --all -- --check
echo "== lint"
cargo clippy --locked --all-targets -- -D warnings
echo "== tests"
cargo test --locked --all-targets
echo "== doc tests"
cargo test --locked --doc
