"""Throughput of ``frontwatch.extract.times.normalize`` on typical single expressions.

Each expression is normalised against a fixed publication date, in rounds, after a warm-up; the
script prints normalisations per second (best of the rounds): without the cache (every call reads
the expression afresh: ``normalize.__wrapped__``), and through the cache that ``normalize`` keeps
(news repeats its expressions); and, for comparison, the rate of ``find_times`` over a short news
paragraph. Rates are per second of this process's CPU time (``time.process_time``): on a
shared machine wall-clock time mostly measures the other processes.

    .venv/bin/python bench/time_throughput.py [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from frontwatch.extract.times import find_times, normalize

PUBLISHED = dt.date(2017, 11, 5)
EXPRESSIONS = [
    "on Thursday",
    "yesterday",
    "last week",
    "earlier this month",
    "late last month",
    "in July",
    "three years ago",
    "since 2014",
    "a four-month battle",
    "hours after",
    "the 17th",
    "Aug. 20",
    "between 5 and 7 March",
    "in the first half of 2016",
    "2017-11-03",
    "the third quarter",
    "10 p.m. Tuesday",
    "the past three months",
    "recently",
    "the 1990s",
]
PARAGRAPH = (
    "Government forces retook the town on Thursday, three weeks after rebels seized it in late October. "
    "The army said it had killed 40 fighters since Monday, and talks are due to resume next week in Geneva. "
    "The group has held the area since 2014 and fought a four-month battle for the dam in the first half of 2016."
)


def _rate(work: list[str], call: object, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in work:
            call(text, PUBLISHED)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return len(work) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = EXPRESSIONS * 500
    uncached = normalize.__wrapped__
    _rate(work[:1000], uncached, 1)  # warm-up: compiled pattern
    print(f"normalize, uncached: {_rate(work, uncached, args.rounds):,.0f} expressions/s ({len(EXPRESSIONS)} kinds)")
    normalize.cache_clear()
    print(f"normalize, cached: {_rate(work, normalize, args.rounds):,.0f} expressions/s")
    paragraphs = [PARAGRAPH] * 500
    rate = _rate(paragraphs, find_times, args.rounds)
    print(f"find_times: {rate:,.0f} paragraphs/s ({rate * len(PARAGRAPH) / 1e6:.2f} MB/s of text)")


if __name__ == "__main__":
    main()
