"""A small linear classifier (softmax regression, numpy) over the cue rules and the snippet's words.

Used to measure what labelled in-domain snippets add to the rules (``evaluate events
--cross-validate K``): it is trained on the folds it is given and nothing else; nothing is shipped
pre-trained. Features: one per cue of data/codes/acled.toml that fires (so the rules are inputs),
each label's rule score, and hashed word unigrams and bigrams. Deterministic (fixed seed, full-batch
gradient descent).
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass

import numpy as np

from frontwatch.extract.classify import SubEventType, sub_event_types

HASH_BUCKETS = 1 << 12
CUE_SCALE = 3.0  # the rules weigh more than any one word
_TOKEN = re.compile(r"[a-z][a-z'-]+|\d+")


def _cue_list() -> list[tuple[int, re.Pattern[str]]]:
    return [(i, cue.pattern) for i, label in enumerate(sub_event_types()) for cue in label.cues]


def features(texts: list[str]) -> np.ndarray:
    labels: tuple[SubEventType, ...] = sub_event_types()
    cues = _cue_list()
    width = len(cues) + len(labels) + HASH_BUCKETS
    x = np.zeros((len(texts), width), dtype=np.float32)
    for row, text in enumerate(texts):
        for j, (label_index, pattern) in enumerate(cues):
            if pattern.search(text):
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

    def predict(self, x: np.ndarray) -> list[str]:
        p = _softmax(x @ self.weights + self.bias)
        return [self.classes[i] for i in p.argmax(axis=1)]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
