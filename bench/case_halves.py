"""The ACLED snippet classifier on the two halves of a CASE 2021 task 2 file, split by id.

The rules in frontwatch/data/codes/acled.toml and the settings of the models were chosen looking
only at half A (rows whose id // 2 is even); half B's texts were never looked at, so B's figure is
the honest one. Each half is scored with each way of classifying:
  rules            the cue rules alone (``classify``, what extraction uses)
  rules+embeddings the rules, and when they are unsure the nearest hand-written snippets by
                   sentence embedding (``classify_many``: what ``frontwatch classify`` ships)
  rules+linear     the rules blended with the linear model trained on the hand-written snippets
Speed is snippets per second classifying (models loaded before the clock starts); run it under
``taskset -c 0`` for one core.

    taskset -c 0 .venv/bin/python bench/case_halves.py ../shared/bench/events/case2021-task2-dev.tsv [--half A]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from frontwatch.evaluate.events import f1_figures, read_snippets
from frontwatch.extract.classify import by_name, classify_many

METHODS = {
    "rules": {"embeddings": False},
    "rules+embeddings": {"embeddings": True},
    "rules+linear": {"embeddings": False, "learned": True},
}


def in_half_a(snippet_id: str) -> bool:
    return snippet_id.isdigit() and int(snippet_id) // 2 % 2 == 0


def main(path: Path, halves: list[str], methods: list[str]) -> None:
    snippets = read_snippets(path)
    parts = {
        "A (tuned on)": [s for s in snippets if in_half_a(s.id)],
        "B (held out)": [s for s in snippets if not in_half_a(s.id)],
        "all": snippets,
    }
    classify_many(["warm-up: load the models before timing"], learned=True, embeddings=True)
    for name, part in parts.items():
        if name.split()[0] not in halves:
            continue
        for method in methods:
            started = time.perf_counter()
            predicted = [c.sub_event_type for c in classify_many([s.text for s in part], **METHODS[method])]
            rate = len(part) / (time.perf_counter() - started)
            predicted = [p if p is not None and by_name()[p].acled else None for p in predicted]
            f = f1_figures([s.gold for s in part], predicted)
            print(
                f"{name:13} {method:16} {len(part):4} snippets  weighted F1 {f['weighted_f1']:.3f}"
                f"  macro F1 {f['macro_f1']:.3f}  {rate:,.0f} snippets/s",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("../shared/bench/events/case2021-task2-dev.tsv"))
    parser.add_argument("--half", action="append", choices=["A", "B", "all"], help="default: A, B and all")
    parser.add_argument("--method", action="append", choices=list(METHODS), help="default: all three")
    args = parser.parse_args()
    main(args.path, args.half or ["A", "B", "all"], args.method or list(METHODS))
