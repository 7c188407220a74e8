#!/usr/bin/env bash
# Crash-and-resume check of `missive batch` (see the header of scripts/crash_resume.py).
# Usage: scripts/crash_resume.sh [--bin target/debug/missive] [--records N] [--kills K]
#                                [--destinations folder,mbox,smtp] [--smtp-records N] [--seed S] [--keep]
# Installs aiosmtpd (the loopback SMTP server tests/smtp_server.py needs) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
need_python 'import aiosmtpd' 'aiosmtpd>=1.4'
exec python3 scripts/crash_resume.py "$@"
