"""Place resolution on the two halves of a geoparsing corpus (LGL or GeoVirus format).

Articles are split by their position in the file: even (0, 2, 4, ...) and odd. The resolver's
rules were developed looking at errors of the even halves; every change was kept only when it
held on the odd halves too, so the odd figures are the check. Prints one line per half with
the figures of ``frontwatch evaluate geo`` (gold spans and end to end).

    .venv/bin/python bench/geo_halves.py ../shared/bench/geo/lgl.xml ../shared/bench/geo/GeoVirus.xml
"""

from __future__ import annotations

import sys
from pathlib import Path

from frontwatch.evaluate.geo import evaluate_geo_articles, read_geo_corpus

KEYS = ("toponyms", "acc161", "median_km", "exact_id", "unresolved", "e2e_precision", "e2e_recall", "e2e_f1")


def main(paths: list[Path]) -> None:
    for path in paths:
        articles = read_geo_corpus(path)
        for name, part in (("even", articles[0::2]), ("odd", articles[1::2]), ("all", articles)):
            figures = evaluate_geo_articles(part, f"{path.name} {name}")
            print(f"{path.name:14} {name:5}", "  ".join(f"{k} {figures[k]}" for k in KEYS))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: geo_halves.py CORPUS.xml [CORPUS.xml ...]")
    main([Path(p) for p in sys.argv[1:]])
