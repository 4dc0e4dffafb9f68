"""A small linear classifier (softmax regression, numpy) over the cue rules and the snippet's words.

Two uses: ``evaluate events --cross-validate K`` trains it on the folds of a labelled file it is
given, to measure what in-domain snippets add; extract/learned.py trains it on the hand-written
snippets of data/codes/training_snippets.jsonl (the optional ``classify(..., learned=True)``).
Features: one per cue of data/codes/acled.toml that fires (so the rules are inputs),
each label's rule score, and hashed word unigrams and bigrams. Deterministic (fixed seed, full-batch
gradient descent).
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from frontwatch.extract.classify import Cue, SubEventType, sub_event_types, word_prefixes

HASH_BUCKETS = 1 << 12
CUE_SCALE = 3.0  # the rules weigh more than any one word
_TOKEN = re.compile(r"[a-z][a-z'-]+|\d+")


@lru_cache(maxsize=1)
def _cue_list() -> tuple[tuple[int, Cue], ...]:
    return tuple((i, cue) for i, label in enumerate(sub_event_types()) for cue in label.cues)


def width() -> int:
    """The number of features: one per cue, one per label, the hash buckets."""
    return len(_cue_list()) + len(sub_event_types()) + HASH_BUCKETS


def features(texts: list[str]) -> np.ndarray:
    labels: tuple[SubEventType, ...] = sub_event_types()
    cues = _cue_list()
    x = np.zeros((len(texts), width()), dtype=np.float32)
    for row, text in enumerate(texts):
        starts = word_prefixes(text)  # the same pre-filter as the rules: same hits, several times faster
        for j, (label_index, cue) in enumerate(cues):
            if cue.found_in(text, starts):
                x[row, j] = CUE_SCALE
                x[row, len(cues) + label_index] += CUE_SCALE
        words = _TOKEN.findall(text.lower())
        for gram in words + [a + " " + b for a, b in itertools.pairwise(words)]:
            x[row, len(cues) + len(labels) + zlib.crc32(gram.encode()) % HASH_BUCKETS] = 1.0
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-9)


@dataclass
class LinearModel:
    classes: list[str]
    weights: np.ndarray
    bias: np.ndarray

    @classmethod
    def fit(
        cls, x: np.ndarray, labels: list[str], epochs: int = 400, rate: float = 4.0, l2: float = 1e-4
    ) -> LinearModel:
        """Train on a feature matrix (rows from ``features``) and one label per row."""
        classes = sorted(set(labels))
        index = {c: i for i, c in enumerate(classes)}
        y = np.zeros((len(labels), len(classes)), dtype=np.float32)
        y[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
        w = np.zeros((x.shape[1], len(classes)), dtype=np.float32)
        b = np.zeros(len(classes), dtype=np.float32)
        for _ in range(epochs):
            p = _softmax(x @ w + b)
            grad = (p - y) / len(labels)
            w -= rate * (x.T @ grad + l2 * w)
            b -= rate * grad.sum(axis=0)
        return cls(classes, w, b)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """One row per snippet, one column per class (``classes`` order), summing to 1."""
        return _softmax(x @ self.weights + self.bias)

    def predict(self, x: np.ndarray) -> list[str]:
        return [self.classes[i] for i in self.probabilities(x).argmax(axis=1)]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
