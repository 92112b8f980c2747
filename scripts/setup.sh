#!/usr/bin/env bash
# Create .venv and install the pinned packages. Used by the two Quick start
# commands; safe to run again (pip skips what is already installed).
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements.txt}"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "warning: Python 3.11 is what this project pins; found $("$python" --version)" >&2
fi
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $("$python" --version)" >&2
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r "$requirements"
