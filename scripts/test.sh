#!/usr/bin/env bash
# Quick start 2: install everything the tests need, lint, and run the suite.
# The browser test needs Debian's chromium; as root we install it here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's chromium for the browser test" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing; the browser test will be skipped" >&2
    echo "         (sudo apt-get install chromium)" >&2
  fi
fi
bash scripts/setup.sh requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
