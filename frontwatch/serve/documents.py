"""A stored document with the spans of every fact read in it, for people checking the reading.

The store keeps, for each fact, the sentence that supports it (document offsets). Within that
sentence the page also marks the words behind the fact's actors, place and date; the store does
not keep those, so they are found again here: actors by their name or an alias, the place by its
name (or the closest capitalised words, for spellings the gazetteer changed: "Wad Madani" for
Wad Medani), the date by the time-expression finder of frontwatch.extract.times.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from frontwatch.extract.times import find_times
from frontwatch.schema import Actor, DateRange, Evidence, Place, Reading
from frontwatch.store.repository import Store

_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:[a-z]{1,3}[-\s])?[A-Z][\w'’-]*){0,3}")
_PLACE_SIMILARITY = 0.8


def document_json(store: Store, document_id: str) -> dict[str, Any] | None:
    """``{"document", "text", "facts"}``; every fact has its sentence span and marks (None when unknown)."""
    reading = store.reading(document_id)
    if reading is None:
        return None
    text = reading.article.text
    published = reading.article.published
    return {
        "document": reading.article.to_json(),
        "text": text,
        "warnings": reading.warnings,
        "facts": _facts(reading, text, published),
    }


def _facts(reading: Reading, text: str, published: dt.date | None) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    for e in reading.events:
        actors = [a for a in (e.actor1, e.actor2, *e.actor1_associates) if a is not None]
        facts.append(_fact("event", e.id, e.type, e.status, e.evidence, text, actors, e.place, e.date, published))
    for c in reading.control:
        actors = [a for a in (c.controller, c.previous) if a is not None]
        facts.append(
            _fact(
                "control_change", c.id, "control_change", c.status, c.evidence, text, actors, c.place, c.date, published
            )
        )
    for h in reading.holds:
        facts.append(
            _fact("hold", h.id, "hold", "confirmed", h.evidence, text, [h.controller], h.place, h.at, published)
        )
    for r in reading.relations:
        facts.append(
            _fact("relation", r.id, r.type, "confirmed", r.evidence, text, [r.actor1, r.actor2], None, None, published)
        )
    return facts


def _fact(
    kind: str,
    fact_id: str,
    type: str,
    status: str,
    evidence: Evidence,
    text: str,
    actors: list[Actor],
    place: Place | None,
    date: DateRange | None,
    published: dt.date | None,
) -> dict[str, Any]:
    start, end = evidence.start, evidence.end
    sentence = text[start:end] if 0 <= start <= end <= len(text) else evidence.sentence
    if sentence != evidence.sentence:  # offsets that do not fit the text: find the sentence itself
        found = text.find(evidence.sentence)
        start, end, sentence = (
            (found, found + len(evidence.sentence), evidence.sentence) if found >= 0 else (-1, -1, evidence.sentence)
        )
    marks = _marks(sentence, actors, place, date, published) if start >= 0 else []
    return {
        "kind": kind,
        "id": fact_id,
        "type": type,
        "status": status,
        "start": start if start >= 0 else None,
        "end": end if start >= 0 else None,
        "sentence": sentence,
        "marks": [{**m, "start": m["start"] + start, "end": m["end"] + start} for m in marks],
    }


def _marks(
    sentence: str, actors: list[Actor], place: Place | None, date: DateRange | None, published: dt.date | None
) -> list[dict[str, Any]]:
    marks: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, ref: str | None, span: tuple[int, int] | None) -> None:
        if span is None or any(span[0] < e and s < span[1] for s, e in taken):
            return
        taken.append(span)
        marks.append({"kind": kind, "ref": ref, "start": span[0], "end": span[1], "text": sentence[span[0] : span[1]]})

    for actor in actors:
        add("actor", actor.id, _name_span(sentence, [actor.name, *actor.aliases]))
    if place is not None:
        add("place", place.id, _name_span(sentence, [place.name]) or _similar_span(sentence, place.name))
    if date is not None and date.start is not None and date.basis == "text":
        for mention in find_times(sentence, published):
            r = mention.range
            last = date.end or date.start
            if r.start is not None and r.end is not None and r.start <= last and date.start <= r.end:
                add("date", date.start.isoformat(), (mention.start, mention.end))
    return sorted(marks, key=lambda m: m["start"])


def _name_span(sentence: str, names: list[str]) -> tuple[int, int] | None:
    """The first occurrence of the longest of ``names`` as whole words, case aside."""
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE)
        if match:
            return match.span()
    return None


def _similar_span(sentence: str, name: str) -> tuple[int, int] | None:
    """Capitalised words spelled closest to ``name`` (at least 80 % alike), for transliterations."""
    best: tuple[float, tuple[int, int]] | None = None
    for match in _CAPITALISED.finditer(sentence):
        words = match.group(0)
        score = difflib.SequenceMatcher(None, words.casefold(), name.casefold()).ratio()
        if score >= _PLACE_SIMILARITY and (best is None or score > best[0]):
            best = (score, match.span())
    return best[1] if best else None
