"""Train the optional snippet model on data/codes/training_snippets.jsonl and write its weights.

The classifier trains it by itself at first use (``classify(..., learned=True)``, ``evaluate events
--learned``) and caches it under $FRONTWATCH_CACHE; this script does the same on demand, e.g. to
warm the cache or to check that training is deterministic (same snippets, cues and code: same
weights; full-batch gradient descent from zeros, no randomness).

    .venv/bin/python scripts/train_classifier.py [OUT.npz]     # default: the cache file the classifier reads
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from frontwatch.extract import learned


def main(out: Path) -> None:
    examples = learned.training_examples()
    learned.save(learned.train(examples), out)
    counts = Counter(e.label for e in examples)
    print(f"{len(examples)} snippets, {len(counts)} labels (fewest: {min(counts.values())}); wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else learned.cache_path())
