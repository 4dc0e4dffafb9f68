"""The ACLED snippet classifier on the two halves of a CASE 2021 task 2 file, split by id.

The rules in frontwatch/data/codes/acled.toml were refined looking only at the errors on half A
(rows whose id // 2 is even); half B was never looked at, so B's figure is the honest one.
Each half is scored twice: the rules alone, and the rules blended with the model trained on the
hand-written snippets of data/codes/training_snippets.jsonl (what ``classify`` ships).

    .venv/bin/python bench/case_halves.py ../shared/bench/events/case2021-task2-dev.tsv
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from frontwatch.evaluate.events import f1_figures, read_snippets
from frontwatch.extract.classify import by_name, classify


def main(path: Path) -> None:
    snippets = read_snippets(path)
    halves = {
        "A (tuned on)": [s for s in snippets if s.id.isdigit() and int(s.id) // 2 % 2 == 0],
        "B (held out)": [s for s in snippets if not (s.id.isdigit() and int(s.id) // 2 % 2 == 0)],
        "all": snippets,
    }
    for (name, part), learned in itertools.product(halves.items(), (False, True)):
        started = time.perf_counter()
        predicted = [classify(s.text, learned=learned).sub_event_type for s in part]
        rate = len(part) / (time.perf_counter() - started)
        predicted = [p if p is not None and by_name()[p].acled else None for p in predicted]
        f = f1_figures([s.gold for s in part], predicted)
        print(
            f"{name:13} {'rules+model' if learned else 'rules alone':11} "
            f"{len(part):4} snippets  weighted F1 {f['weighted_f1']:.3f}  macro F1 {f['macro_f1']:.3f}"
            f"  {rate:,.0f} snippets/s"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/bench/events/case2021-task2-dev.tsv"))
