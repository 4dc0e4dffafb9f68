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

# --- PostgreSQL: the store tests also run against a throwaway server (scripts/postgres.sh) ---
# Without one the PostgreSQL cases are skipped locally; under CI=true they fail.
if [ -z "${FRONTWATCH_TEST_PG_URL:-}" ]; then
  pg_dir=$(mktemp -d /tmp/frontwatch-pg.XXXXXX)
  if pg_url=$(bash scripts/postgres.sh start "$pg_dir"); then
    export FRONTWATCH_TEST_PG_URL="$pg_url"
    trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
  else
    rm -rf "$pg_dir"
    echo "test.sh: no PostgreSQL server; its test cases will be skipped (or fail under CI=true)" >&2
  fi
fi
# --- end PostgreSQL ---

.venv/bin/ruff check frontwatch tests bench
.venv/bin/python -m pytest -q "$@"
