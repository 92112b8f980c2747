#!/usr/bin/env bash
# Quick start 1: install, then open the dashboard on the bundled demo data.
# The first start builds the demo warehouse (about a minute, with progress).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
echo "opening http://127.0.0.1:8501" >&2
# ui.serve is `streamlit run dashboard.py` that also serves deep links as the
# first request to a fresh server (see its docstring).
exec .venv/bin/python -m ui.serve \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" --server.headless true
