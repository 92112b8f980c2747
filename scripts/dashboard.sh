#!/usr/bin/env bash
# Quick start 1: install, then open the dashboard on the bundled demo data.
# The first start builds the demo warehouse (about a minute, with progress).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
# Demo users (demo-admin, demo-donor, ...), one per role, with passwords
# printed here (or all set to KP_DEMO_PASSWORD). A real install has none.
.venv/bin/python -m auth demo
echo "opening http://127.0.0.1:${PORT:-8501} (log in as one of the demo users above)" >&2
# ui.serve is `streamlit run dashboard.py` that also serves deep links as the
# first request to a fresh server (see its docstring).
exec .venv/bin/python -m ui.serve \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" --server.headless true
