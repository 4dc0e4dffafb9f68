"""Place resolution measured on geoparsing corpora in the LGL or GeoVirus XML format.

Two measurements, following Gritta et al., "A pragmatic guide to geoparsing evaluation" (2019):

* **gold spans**: every gold toponym span is handed to the resolver (all of an article's
  spans together, so they give each other context, as a geoparser's recogniser would) and
  the chosen point is compared with the gold point: accuracy within 161 km (100 miles),
  mean and median error in km, and the share whose GeoNames id equals the gold id (LGL only).
  A span the resolver cannot place counts as an error of half the Earth's circumference
  (20,038 km), so skipping hard names never flatters the figures.
* **end to end**: frontwatch's own recogniser + resolver on the raw text. A system toponym
  is correct when its span overlaps a gold span not matched yet and its point lies within
  161 km of the gold point; precision, recall and F1 over those matches. Recognition alone
  (overlap, any point) is reported next to it.

Gold toponyms without coordinates (LGL's unresolvable ones) are left out of both.
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from frontwatch.resolve.gazetteer import get_gazetteer
from frontwatch.resolve.places import (
    distance_km,
    find_place_mentions,
    mention_at,
    resolve_all,
    text_context,
    warm_up,
)

ACC_KM = 161.0
MISS_KM = 20_038.0  # half the Earth's circumference: the error of an unplaced toponym


class GeoBenchError(Exception):
    """The benchmark file cannot be read."""


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float
    lon: float
    geonameid: int | None


@dataclass(frozen=True)
class GoldArticle:
    text: str
    toponyms: tuple[GoldToponym, ...]


# --------------------------------------------------------------------------- reading


def read_geo_corpus(path: Path) -> list[GoldArticle]:
    """Articles of an LGL-format (``<toponyms><toponym>``) or GeoVirus-format
    (``<locations><location>``) file."""
    if not path.is_file():
        raise GeoBenchError(f"{path}: no such file")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise GeoBenchError(f"{path}: not well-formed XML ({exc})") from None
    articles = [_article(node, path) for node in root.iter("article")]
    if not articles:
        raise GeoBenchError(f"{path}: no <article> elements (expected LGL or GeoVirus format)")
    return articles


def _article(node: ET.Element, path: Path) -> GoldArticle:
    text = node.findtext("text")
    if text is None:
        raise GeoBenchError(f"{path}: an <article> without <text>")
    gold: list[GoldToponym] = []
    for item in [*node.iter("toponym"), *node.iter("location")]:
        coords = item.find("gaztag") if item.tag == "toponym" else item
        if coords is None or coords.findtext("lat") is None or coords.findtext("lon") is None:
            continue  # no gold point to measure against
        try:
            start, end = int(item.findtext("start") or ""), int(item.findtext("end") or "")
            lat, lon = float(coords.findtext("lat") or ""), float(coords.findtext("lon") or "")
        except ValueError:
            raise GeoBenchError(f"{path}: a <{item.tag}> with a non-numeric start, end, lat or lon") from None
        gid = coords.get("geonameid")
        phrase = item.findtext("phrase") or item.findtext("name") or text[start:end]
        start, end = _align(text, phrase, start, end)
        gold.append(GoldToponym(start, end, phrase, lat, lon, int(gid) if gid and gid.isdigit() else None))
    return GoldArticle(text, tuple(sorted(gold, key=lambda t: t.start)))


def _align(text: str, phrase: str, start: int, end: int, slack: int = 20) -> tuple[int, int]:
    """Offsets that really cover ``phrase``: some corpora count from one character off
    (GeoVirus's spans sit one character right of the name). The nearest occurrence within
    ``slack`` characters wins; offsets that already fit, or fit nothing, stay as given."""
    if text[start:end] == phrase:
        return start, end
    lo = max(0, start - slack)
    hits = []
    k = text.find(phrase, lo)
    while k != -1 and k <= start + slack:
        hits.append(k)
        k = text.find(phrase, k + 1)
    if not hits:
        return start, end
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(phrase)


# --------------------------------------------------------------------------- measuring


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _round(x: float) -> float:
    return round(x, 4)


def evaluate_geo(path: Path) -> dict[str, object]:
    """The figures for one corpus file; keys are a public interface (extend, never rename)."""
    return evaluate_geo_articles(read_geo_corpus(path), str(path))


def evaluate_geo_articles(articles: list[GoldArticle], corpus: str) -> dict[str, object]:
    """The figures of :func:`evaluate_geo` for some articles of a corpus (a half, a sample)."""
    gaz = get_gazetteer()  # loaded before the clock starts, with the word lists
    warm_up(gaz)

    errors: list[float] = []
    exact, with_id = 0, 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for article in articles:
        mentions = [mention_at(article.text, t.start, t.end, gaz) for t in article.toponyms]
        places = resolve_all(mentions, text_context(article.text))
        for gold, place in zip(article.toponyms, places, strict=True):
            if place is None or place.lat is None or place.lon is None:
                errors.append(MISS_KM)
            else:
                errors.append(distance_km((gold.lat, gold.lon), (place.lat, place.lon)))
            if gold.geonameid is not None:
                with_id += 1
                exact += place is not None and place.geonameid == gold.geonameid
    resolve_seconds = time.perf_counter() - started
    resolve_cpu_seconds = time.process_time() - cpu_started

    system, recognised, correct = 0, 0, 0
    for article in articles:
        mentions = find_place_mentions(article.text, gazetteer=gaz)
        places = resolve_all(mentions, text_context(article.text))
        found = [(m, p) for m, p in zip(mentions, places, strict=True) if p is not None and p.lat is not None]
        system += len(found)
        taken: set[int] = set()
        for mention, place in found:
            k = next(
                (k for k, g in enumerate(article.toponyms)
                 if k not in taken and g.start < mention.end and mention.start < g.end),
                None,
            )  # fmt: skip
            if k is None:
                continue
            taken.add(k)
            recognised += 1
            gold = article.toponyms[k]
            correct += distance_km((gold.lat, gold.lon), (place.lat, place.lon)) <= ACC_KM  # type: ignore[arg-type]

    n = len(errors)
    precision = correct / system if system else 0.0
    recall = correct / n if n else 0.0
    rec_p = recognised / system if system else 0.0
    rec_r = recognised / n if n else 0.0
    return {
        "corpus": corpus,
        "articles": len(articles),
        "toponyms": n,
        "acc161": _round(sum(e <= ACC_KM for e in errors) / n) if n else 0.0,
        "mean_km": round(statistics.fmean(errors), 1) if n else 0.0,
        "median_km": round(statistics.median(errors), 1) if n else 0.0,
        "auc": _round(_auc(errors)) if n else 0.0,
        "exact_id": _round(exact / with_id) if with_id else None,
        "unresolved": _round(sum(e == MISS_KM for e in errors) / n) if n else 0.0,
        "e2e_precision": _round(precision),
        "e2e_recall": _round(recall),
        "e2e_f1": _round(_f1(precision, recall)),
        "recognition_precision": _round(rec_p),
        "recognition_recall": _round(rec_r),
        "recognition_f1": _round(_f1(rec_p, rec_r)),
        "resolutions_per_s": round(n / resolve_seconds) if resolve_seconds > 0 else None,
        # CPU time of this process only: the same figure on a busy machine as on a quiet one.
        "resolutions_per_cpu_s": round(n / resolve_cpu_seconds) if resolve_cpu_seconds > 0 else None,
    }


def _auc(errors: list[float]) -> float:
    """Area under the curve of log errors (Gritta et al.): 0 is perfect, 1 is every toponym missed."""
    top = math.log(MISS_KM + 1)
    return statistics.fmean(math.log(e + 1) / top for e in errors)


# --------------------------------------------------------------------------- output


def render_geo(figures: dict[str, object]) -> None:
    from rich.table import Table

    from frontwatch.query.render import console

    table = Table(title=f"geo: {figures['corpus']}", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    labels = {
        "articles": "articles",
        "toponyms": "gold toponyms with a point",
        "acc161": "gold spans: accuracy@161 km",
        "mean_km": "gold spans: mean error (km)",
        "median_km": "gold spans: median error (km)",
        "auc": "gold spans: AUC of log error (lower is better)",
        "exact_id": "gold spans: exact GeoNames id",
        "unresolved": "gold spans: not placed",
        "e2e_precision": "end to end: precision",
        "e2e_recall": "end to end: recall",
        "e2e_f1": "end to end: F1",
        "recognition_f1": "recognition only: F1",
        "resolutions_per_s": "resolutions per second",
        "resolutions_per_cpu_s": "resolutions per CPU second",
    }
    for key, label in labels.items():
        value = figures.get(key)
        table.add_row(label, "n/a" if value is None else f"{value}")
    console().print(table)
