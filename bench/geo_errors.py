"""Why gold toponyms miss 161 km: a census of the resolver's errors on a geoparsing corpus.

Every gold span of the corpus goes to the resolver (as ``frontwatch evaluate geo`` does), and
each error is put in one class:

- ``wrong choice``: a candidate within 161 km of the gold point existed; another was chosen.
- ``area point``: a country, first-level division or continent was chosen and none of the
  name's candidates lies within 161 km of the gold point. These are mostly the right area at
  another representative point (GeoVirus gives Wikipedia's points; ours come from GeoNames,
  the CIA World Factbook and ISO 3166-2 data).
- ``wrong place, no right candidate``: a town or county was chosen and no candidate is right.
- ``not in the gazetteer``: the name has no candidate (seas, rivers, neighbourhoods, regions).
- ``unplaced``: candidates exist, none was chosen.

It then prints the accuracy the corpus would give if a class were all put right, which bounds
what better choosing (the first class) can reach with the gazetteer as it is.

    .venv/bin/python bench/geo_errors.py ../shared/bench/geo/GeoVirus.xml [--examples 12]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from frontwatch.evaluate.geo import read_geo_corpus
from frontwatch.resolve.gazetteer import get_gazetteer
from frontwatch.resolve.places import PlaceContext, distance_km, mention_at, resolve_all

WITHIN_KM = 161.0
AREA_KINDS = frozenset({"country", "admin1", "continent"})
CLASSES = (
    "wrong choice",
    "area point",
    "wrong place, no right candidate",
    "not in the gazetteer",
    "unplaced",
)


def census(path: Path) -> tuple[int, Counter[str], dict[str, Counter[str]]]:
    gazetteer = get_gazetteer()
    counts: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for article in read_geo_corpus(path):
        mentions = [mention_at(article.text, t.start, t.end, gazetteer) for t in article.toponyms]
        places = resolve_all(mentions, PlaceContext())
        for gold, mention, place in zip(article.toponyms, mentions, places, strict=True):
            total += 1
            gold_point = (gold.lat, gold.lon)
            placed = place is not None and place.lat is not None and place.lon is not None
            if placed and distance_km(gold_point, (place.lat, place.lon)) <= WITHIN_KM:
                continue
            right_exists = any(
                c.lat is not None and distance_km(gold_point, (c.lat, c.lon)) <= WITHIN_KM for c in mention.candidates
            )
            if place is None or place.lat is None:
                cls = "unplaced" if mention.candidates else "not in the gazetteer"
            elif right_exists:
                cls = "wrong choice"
            elif place.kind in AREA_KINDS:
                cls = "area point"
            else:
                cls = "wrong place, no right candidate"
            counts[cls] += 1
            examples[cls][gold.phrase] += 1
    return total, counts, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="+", type=Path, help="LGL- or GeoVirus-format XML")
    parser.add_argument("--examples", type=int, default=10, help="names shown per class")
    args = parser.parse_args()
    for path in args.corpus:
        total, counts, examples = census(path)
        errors = sum(counts.values())
        print(f"{path.name}: {total} toponyms, {errors} errors, acc@161 {1 - errors / total:.3f}")
        for cls in CLASSES:
            top = ", ".join(f"{name} {n}" for name, n in examples[cls].most_common(args.examples))
            gain = (counts[cls]) / total
            print(f"  {cls:32} {counts[cls]:5}  (+{gain:.3f} if all put right)  {top}")
        ceiling = 1 - (errors - counts["wrong choice"]) / total
        print(f"  ceiling with every choice right and the gazetteer as it is: {ceiling:.3f}")
        print()


if __name__ == "__main__":
    main()
