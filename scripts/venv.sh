# Sourced by the scripts that need Python tools: they live in a virtual environment under
# target/venv, never in the system's Python. After sourcing, `python3` is the environment's.
# Usage: . scripts/venv.sh; need_python 'import aiosmtpd' 'aiosmtpd>=1.4'
venv="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)/target/venv"
[ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
export PATH="$venv/bin:$PATH"

# need_python CHECK PACKAGE...: installs the packages unless `python3 -c CHECK` succeeds.
need_python() {
  local check=$1
  shift
  python3 -c "$check" 2>/dev/null || python3 -m pip install --quiet "$@"
}
