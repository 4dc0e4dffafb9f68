#!/usr/bin/env bash
# Install frontwatch with its test tools, then lint and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
# The browser tests (tests/test_ui.py) drive Debian's chromium: install it when it is missing.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
  { "${as_root[@]}" apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; } \
    || echo "scripts/test.sh: could not install chromium; the browser tests will say so" >&2
fi
.venv/bin/ruff check frontwatch tests bench
.venv/bin/python -m pytest -q "$@"
