"""Keep spaCy's thinc from importing torch at start-up.

thinc (spaCy's machine-learning library) imports torch in ``thinc.compat`` whenever torch is
installed, for shims that spaCy's small pipelines never use: about 1.1 s and 180 MB in every
frontwatch process that parses text. torch is installed for the snippet classifier's sentence
embeddings (frontwatch.extract.embed), which import it themselves when asked for. This finder
loads ``thinc.compat`` with torch hidden, so thinc starts without its torch shims; a later
``import torch`` works as usual, and nothing is hidden when torch was imported first.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

_HIDDEN_FROM = "thinc.compat"


class _LoadWithoutTorch(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        if "torch" in sys.modules:
            self._inner.exec_module(module)
            return
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
        try:
            self._inner.exec_module(module)
        finally:
            del sys.modules["torch"]


class _ThincWithoutTorch(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _HIDDEN_FROM:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _LoadWithoutTorch(spec.loader)
        return spec


def install() -> None:
    """Put the finder first on the import path (once), unless thinc is already loaded."""
    if _HIDDEN_FROM in sys.modules or any(isinstance(f, _ThincWithoutTorch) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _ThincWithoutTorch())
