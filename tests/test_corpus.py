"""Regression guards on the shared gold corpora, scored through the documented command line.

The scorer (shared/tools/score_corpus.py) ingests a corpus with the ``frontwatch`` command and
checks control and events against the gold. The corpora are scored at once, in parallel, to keep
the file's run time near that of the largest one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SCORER = SHARED / "tools" / "score_corpus.py"
FRONTWATCH = Path(sys.executable).parent / "frontwatch"
# Our own development corpus, written blind to the implementation (corpus/extra/README.md).
EXTRA = Path(__file__).resolve().parents[1] / "corpus" / "extra"
NAMES = ("seed", "dev", "extra")


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    if not CORPUS.is_dir() or not SCORER.is_file():
        pytest.skip(f"shared gold corpus or scorer not found under {SHARED}")
    if not FRONTWATCH.exists():
        pytest.skip(f"the frontwatch command is not installed beside {sys.executable}")
    out = tmp_path_factory.mktemp("scores")
    runs = {}
    for name in NAMES:
        folder = EXTRA if name == "extra" else CORPUS / name
        cmd = [sys.executable, str(SCORER), str(folder), "--frontwatch", str(FRONTWATCH)]
        cmd += ["--json", str(out / f"{name}.json"), "--quiet"]
        runs[name] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    figures = {}
    for name, run in runs.items():
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, f"scoring {name} failed:\n{stdout}\n{stderr}"
        figures[name] = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    return figures


def test_seed_control_all_checks_pass(scores: dict[str, dict[str, Any]]) -> None:
    seed = scores["seed"]
    assert (seed["control_passed"], seed["control_total"]) == (9, 9)


def test_dev_control_accuracy(scores: dict[str, dict[str, Any]]) -> None:
    dev = scores["dev"]
    assert dev["control_total"] > 0
    assert dev["control_accuracy"] >= 0.9, dev


def test_dev_territory_change_precision(scores: dict[str, dict[str, Any]]) -> None:
    dev = scores["dev"]
    assert dev["changes_reported"] > 0
    assert dev["change_precision"] >= 0.9, dev


def test_extra_corpus_floor(scores: dict[str, dict[str, Any]]) -> None:
    """Articles written blind to the rules: a floor under today's figures (0.765 control, 0.971 precision)."""
    extra = scores["extra"]
    assert extra["control_accuracy"] >= 0.65, extra
    assert extra["change_precision"] >= 0.8, extra
