#!/usr/bin/env bash
# Install frontwatch with its test tools, then lint and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
.venv/bin/ruff check frontwatch tests bench
.venv/bin/python -m pytest -q "$@"
