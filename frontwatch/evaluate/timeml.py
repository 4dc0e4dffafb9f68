"""Time expressions measured on TimeML gold (TempEval-3 task A: TIMEX3 extent, type and value).

Reads a folder of ``.tml`` files (TimeBank / AQUAINT as distributed for TempEval-3): the document
creation time is the ``TIMEX3`` inside ``<DCT>``; the gold expressions are the ``TIMEX3`` elements
inside ``<TEXT>``. The plain text of ``<TEXT>`` (all tags dropped) goes to ``find_times`` with the
creation day as publication date, and the figures follow the TempEval-3 definitions:

- ``value_accuracy_gold_spans``: each gold expression normalised at its gold extent and as its gold
  TimeML type, which task A's given spans carry with the extent (the value a date resolver gives
  when recognition is perfect; ``timex_types.value_as``);
- ``strict_f1`` (exact extent), ``relaxed_f1`` (overlapping extent);
- ``value_f1``: a relaxed match whose value equals the gold value; P = correct / system
  expressions, R = correct / gold expressions;
- ``type_accuracy``: equal TIMEX3 type among relaxed matches.

Values are compared after one normalisation of spelling, not of meaning: a one-digit ISO week is
padded ("2000-W7" in some gold files is "2000-W07"), and case and surrounding spaces are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontwatch.extract.times import TimeMention, find_times, mention_in, timeml_mentions
from frontwatch.extract.timex_types import value_as


class TimeBenchError(Exception):
    """The benchmark folder cannot be read: the message names the path and the problem."""


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TimeDocument:
    name: str
    created: dt.date
    text: str
    gold: list[GoldTimex]


# --- reading ---------------------------------------------------------------------------------------


def read_timeml(path: Path) -> TimeDocument:
    """One ``.tml`` file: its creation day, the plain text of ``<TEXT>`` and the gold offsets into it."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise TimeBenchError(f"{path}: not readable TimeML ({exc})") from None
    created = _creation_day(root)
    if created is None:
        raise TimeBenchError(f"{path}: no document creation time (<DCT><TIMEX3 value=...>)")
    body = root.find(".//TEXT")
    if body is None:
        raise TimeBenchError(f"{path}: no <TEXT> element")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    _flatten(body, parts, gold, 0)
    text = "".join(parts)
    gold = [GoldTimex(g.start, g.end, text[g.start : g.end], g.type, g.value) for g in gold]
    return TimeDocument(path.name, created, text, gold)


def _creation_day(root: ET.Element) -> dt.date | None:
    dct = root.find(".//DCT/TIMEX3")
    if dct is None:
        dct = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    value = (dct.get("value") or "") if dct is not None else ""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _flatten(element: ET.Element, parts: list[str], gold: list[GoldTimex], offset: int) -> int:
    """Append the element's text to ``parts`` (tags dropped); record each TIMEX3 at its offsets."""
    start = offset
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        offset = _flatten(child, parts, gold, offset)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    if element.tag == "TIMEX3":
        gold.append(GoldTimex(start, offset, "", element.get("type", ""), element.get("value", "")))
    return offset


def read_folder(path: Path) -> list[TimeDocument]:
    if not path.exists():
        raise TimeBenchError(f"{path}: no such file or folder")
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    if not files:
        raise TimeBenchError(f"{path}: no .tml files in this folder")
    return [read_timeml(f) for f in files]


# --- scoring ---------------------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _relaxed_pairs(gold: list[GoldTimex], system: list[TimeMention]) -> list[tuple[GoldTimex, TimeMention]]:
    """One-to-one pairs of overlapping extents, the largest overlap first."""
    candidates = []
    for g in gold:
        for s in system:
            if _overlaps((g.start, g.end), (s.start, s.end)):
                overlap = min(g.end, s.end) - max(g.start, s.start)
                candidates.append((-overlap, g.start, s.start, g, s))
    candidates.sort(key=lambda c: c[:3])
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, _, _, g, s in candidates:
        if id(g) in used_gold or id(s) in used_system:
            continue
        used_gold.add(id(g))
        used_system.add(id(s))
        pairs.append((g, s))
    return pairs


_SHORT_WEEK = re.compile(r"-W(\d)(?!\d)")


def same_value(gold: str | None, system: str | None) -> bool:
    """Equal TIMEX3 values once written the same way (see the module notes)."""
    if gold is None or system is None:
        return False
    return _SHORT_WEEK.sub(r"-W0\1", gold.strip().upper()) == _SHORT_WEEK.sub(r"-W0\1", system.strip().upper())


def _f1(correct: int, system: int, gold: int) -> tuple[float, float, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_extent_value(doc: TimeDocument, g: GoldTimex, mentions: list[TimeMention]) -> str | None:
    """The value frontwatch gives the gold extent alone, without its TimeML type (reported as
    ``value_accuracy_gold_extents_untyped``)."""
    reading = _reading_at(doc, g, mentions, same_type_around=False)
    return reading.range.timex if reading is not None else None


def gold_span_value(doc: TimeDocument, g: GoldTimex, mentions: list[TimeMention]) -> str | None:
    """The value frontwatch gives the gold extent read as the gold span's TimeML type, which task A's
    given spans carry with the extent (``timex_types.value_as``)."""
    reading = _reading_at(doc, g, mentions, same_type_around=True)
    value = reading.range.timex if reading is not None else None
    # only an extent with no reading of its own needs the day the text speaks of
    day = _day_spoken_of(doc, g, mentions) if g.type in ("TIME", "DATE") and value is None else None
    return value_as(g.text, value, g.type, day, doc.created)


def _reading_at(
    doc: TimeDocument, g: GoldTimex, mentions: list[TimeMention], same_type_around: bool
) -> TimeMention | None:
    """A mention found exactly at the gold extent; with ``same_type_around``, else a longer mention of
    the gold type around it ("a year" inside "a year earlier" as a DATE); else the extent read alone
    (with the document around it for tense cues)."""
    found = next((m for m in mentions if m.start == g.start and m.end == g.end), None)
    if found is None and same_type_around:
        found = next((m for m in mentions if m.start <= g.start and g.end <= m.end and m.type == g.type), None)
    return found if found is not None else mention_in(doc.text, g.start, g.end, doc.created)


_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_WINDOW = 400  # characters: as far back as "the next day" looks for its day (times._NEXT_UNIT_WINDOW)


def _day_spoken_of(doc: TimeDocument, g: GoldTimex, mentions: list[TimeMention]) -> str:
    """The day the text speaks of at the gold extent: the last day named shortly before it, else
    the creation day ("Stocks crashed Friday. Dealers placed orders in the morning" = Friday)."""
    before = [
        m.range.timex
        for m in mentions
        if m.end <= g.start and g.start - m.end <= _DAY_WINDOW and _DAY_VALUE.match(m.range.timex or "")
    ]
    return before[-1] if before else doc.created.isoformat()


def evaluate_time(path: Path) -> dict[str, Any]:
    """TempEval-3 task A figures for every ``.tml`` file under ``path`` (fractions 0-1, 4 decimals)."""
    documents = read_folder(path)
    n_gold = n_system = strict = relaxed = values = types = gold_values = untyped_values = 0
    normalise_seconds = 0.0
    for doc in documents:
        mentions = timeml_mentions(doc.text, find_times(doc.text, doc.created), doc.created)
        n_gold += len(doc.gold)
        n_system += len(mentions)
        extents = {(m.start, m.end) for m in mentions}
        strict += sum((g.start, g.end) in extents for g in doc.gold)
        pairs = _relaxed_pairs(doc.gold, mentions)
        relaxed += len(pairs)
        values += sum(same_value(g.value, s.range.timex) for g, s in pairs)
        types += sum(g.type == s.type for g, s in pairs)
        clock = time.perf_counter()
        gold_values += sum(same_value(g.value, gold_span_value(doc, g, mentions)) for g in doc.gold)
        normalise_seconds += time.perf_counter() - clock
        untyped_values += sum(same_value(g.value, gold_extent_value(doc, g, mentions)) for g in doc.gold)
    sp, sr, sf = _f1(strict, n_system, n_gold)
    rp, rr, rf = _f1(relaxed, n_system, n_gold)
    vp, vr, vf = _f1(values, n_system, n_gold)
    figures: dict[str, Any] = {
        "documents": len(documents),
        "timexes": n_gold,
        "system_timexes": n_system,
        "value_accuracy_gold_spans": gold_values / n_gold if n_gold else 0.0,
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": sf,
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": rf,
        "value_precision": vp,
        "value_recall": vr,
        "value_f1": vf,
        "type_accuracy": types / relaxed if relaxed else 0.0,
        "gold_span_normalisations_per_s": n_gold / normalise_seconds if normalise_seconds else 0.0,
        # the gold extent read without its type (the definition of value_accuracy_gold_spans before
        # session 5), for comparison with resolvers that are given extents only
        "value_accuracy_gold_extents_untyped": untyped_values / n_gold if n_gold else 0.0,
    }
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}


# --- for people ------------------------------------------------------------------------------------


_LABELS = {
    "value_accuracy_gold_spans": "value accuracy on gold extents",
    "strict_precision": "strict extent P",
    "strict_recall": "strict extent R",
    "strict_f1": "strict extent F1",
    "relaxed_precision": "relaxed extent P",
    "relaxed_recall": "relaxed extent R",
    "relaxed_f1": "relaxed extent F1",
    "value_precision": "value P",
    "value_recall": "value R",
    "value_f1": "value F1 (TempEval-3)",
    "type_accuracy": "type accuracy (relaxed matches)",
}


def render_time(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    title = f"TimeML: {figures.get('documents', '?')} documents, {figures.get('timexes', '?')} gold TIMEX3"
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, label in _LABELS.items():
        if key in figures:
            table.add_row(label, f"{100 * figures[key]:.1f}%")
    if "system_timexes" in figures:
        table.add_row("system TIMEX3", str(figures["system_timexes"]))
    Console().print(table)
