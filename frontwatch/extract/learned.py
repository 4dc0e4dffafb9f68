"""An optional learned part of the snippet classifier: a linear model trained on hand-written snippets.

data/codes/training_snippets.jsonl holds short news-style snippets written for frontwatch from the
ACLED codebook definitions (no benchmark text: see its first line and docs/events.md).
extract/linear.py's softmax model is trained on them, over the cue rules and the words, and gives
each label a probability; ``classify(..., learned=True)`` blends those with the rules' scores.

Not on by default: on CASE 2021 half B (never tuned on) the blend gained 0.006 weighted F1 over the
rules alone, under the 0.02 that would justify it (docs/events.md). ``evaluate events --learned``
measures it. No weights are shipped: the model is trained at first use (a few seconds,
deterministic) and cached under $FRONTWATCH_CACHE, keyed by a fingerprint of the snippets, the cue
file and the feature layout, so an edit to any of them retrains it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from frontwatch.extract import linear

TRAINING_FILE = "codes/training_snippets.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def snippet_hash(text: str) -> str:
    """The hash a snippet is compared by (case and spacing ignored)."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def _training_bytes() -> bytes:
    return resources.files("frontwatch.data").joinpath(TRAINING_FILE).read_bytes()


def training_examples() -> list[Example]:
    """The labelled snippets of data/codes/training_snippets.jsonl (its first line describes the file)."""
    rows = [json.loads(line) for line in _training_bytes().decode("utf-8").splitlines() if line.strip()]
    return [Example(r["text"], r["label"]) for r in rows if "text" in r]


@lru_cache(maxsize=1)
def training_hashes() -> frozenset[str]:
    return frozenset(snippet_hash(e.text) for e in training_examples())


def fingerprint() -> str:
    """What the weights depend on: the training snippets, the cue file and the feature layout."""
    cues = resources.files("frontwatch.data").joinpath("codes/acled.toml").read_bytes()
    layout = f"{linear.HASH_BUCKETS}/{linear.CUE_SCALE}/{linear.width()}".encode()
    return hashlib.sha256(_training_bytes() + cues + layout).hexdigest()


def cache_path() -> Path:
    base = Path(os.environ.get("FRONTWATCH_CACHE") or Path.home() / ".cache" / "frontwatch")
    return base / f"snippet-classifier-{fingerprint()[:16]}.npz"


def train(examples: list[Example] | None = None) -> linear.LinearModel:
    """Fit the model on ``examples`` (default: the shipped snippets). Same input, same weights."""
    from frontwatch.extract.classify import by_name

    examples = training_examples() if examples is None else examples
    unknown = sorted({e.label for e in examples} - set(by_name()))
    if unknown:
        raise ValueError(f"{TRAINING_FILE}: unknown label(s) {', '.join(unknown)}")
    return linear.LinearModel.fit(linear.features([e.text for e in examples]), [e.label for e in examples])


def save(trained: linear.LinearModel, path: Path) -> None:
    """Write the weights (with the fingerprint they belong to); written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        np.savez_compressed(
            handle,
            classes=np.array(trained.classes),
            weights=trained.weights.astype(np.float32),
            bias=trained.bias.astype(np.float32),
            fingerprint=np.array(fingerprint()),
        )
    partial.replace(path)


def load(path: Path) -> linear.LinearModel | None:
    """The weights at ``path``; None when missing, unreadable or trained over other data."""
    try:
        with np.load(path) as data:
            if str(data["fingerprint"]) != fingerprint():
                return None
            return linear.LinearModel([str(c) for c in data["classes"]], data["weights"], data["bias"])
    except (OSError, ValueError, KeyError):
        return None


@lru_cache(maxsize=1)
def model() -> linear.LinearModel:
    """The trained model: from the cache when current, else trained now (and cached when possible)."""
    path = cache_path()
    cached = load(path)
    if cached is not None:
        return cached
    trained = train()
    with contextlib.suppress(OSError):  # a read-only cache only costs the training time again next run
        save(trained, path)
    return trained


def probabilities(text: str) -> dict[str, float]:
    """Each label's probability for ``text``."""
    trained = model()
    p = trained.probabilities(linear.features([text]))[0]
    return {name: float(v) for name, v in zip(trained.classes, p, strict=True)}
