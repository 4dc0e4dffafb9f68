"""spaCy's thinc must not import torch when frontwatch parses text (see frontwatch/torch_guard.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("torch")

_SCRIPT = """
import sys
import datetime as dt
from frontwatch.extract.reader import read_article
from frontwatch.schema import Article
reading = read_article(Article(text="Syrian troops retook Deir ez-Zor from Islamic State on Friday.",
                               title="", published=dt.date(2017, 11, 4)))
assert reading.events, "the article was not read"
print("torch after parsing:", "torch" in sys.modules)
import torch  # the embeddings still get torch when they ask for it
print("torch imports:", torch.ones(2).sum().item() == 2.0)
"""


def test_parsing_does_not_import_torch_and_torch_still_imports_after() -> None:
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "torch after parsing: False" in done.stdout
    assert "torch imports: True" in done.stdout
