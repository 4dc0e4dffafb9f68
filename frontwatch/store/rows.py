"""Stored rows back to frontwatch.schema records (events, changes, holds, relations, actors, places).

Shared by the repository and the stored timelines (frontwatch.store.intervals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontwatch.extract.codes import code_event
from frontwatch.schema import (
    Actor,
    Article,
    ControlChange,
    DateRange,
    Event,
    Evidence,
    Hold,
    Place,
    Quantity,
    Relation,
)
from frontwatch.store.tables import (
    EVENT_CODE_COLUMNS,
    ActorRow,
    ControlChangeRow,
    DocumentRow,
    EventRow,
    HoldRow,
    PlaceRow,
    RelationRow,
)

_CHUNK = 500  # ids per IN (...) query, well under every database's parameter limit

R = TypeVar("R")


# ---- rows back to schema objects ----------------------------------------------------------


class RowLookup:
    """Loads the actors and places that rows refer to, once each: ``RowLookup(session)``.

    Pass one to the *_rows_to_* functions below; sharing it between them saves queries.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._actors: dict[str, Actor] = {}
        self._places: dict[str, Place] = {}

    def load(self, actor_ids: Iterable[str | None], place_ids: Iterable[str | None]) -> None:
        missing_a = {i for i in actor_ids if i is not None} - self._actors.keys()
        missing_p = {i for i in place_ids if i is not None} - self._places.keys()
        for row in in_chunks(self._session, select(ActorRow), ActorRow.id, sorted(missing_a)):
            self._actors[row.id] = actor_from_row(row)
        for prow in in_chunks(self._session, select(PlaceRow), PlaceRow.id, sorted(missing_p)):
            self._places[prow.id] = place_from_row(prow)

    def actor(self, actor_id: str | None) -> Actor | None:
        return self._actors.get(actor_id) if actor_id is not None else None

    def place(self, place_id: str | None) -> Place | None:
        return self._places.get(place_id) if place_id is not None else None

    def actors(self, ids: Iterable[str]) -> list[Actor | None]:
        ids = list(ids)
        self.load(ids, [])
        return [self.actor(i) for i in ids]

    def places(self, ids: Iterable[str]) -> list[Place | None]:
        ids = list(ids)
        self.load([], ids)
        return [self.place(i) for i in ids]


def event_rows_to_events(rows: Sequence[EventRow], lookup: RowLookup) -> list[Event]:
    lookup.load(
        [i for r in rows for i in (r.actor1_id, r.actor2_id, r.source_id, *(r.associates or []))],
        [r.place_id for r in rows],
    )
    return [_with_codes(_event(r, lookup), r) for r in rows]


def _event(r: EventRow, lookup: RowLookup) -> Event:
    return Event(
        id=r.id,
        type=r.type,
        actor1=lookup.actor(r.actor1_id),
        actor2=lookup.actor(r.actor2_id),
        place=lookup.place(r.place_id),
        date=_date_range(r.date_start, r.date_end, r.date_precision, r.date_basis, r.date_timex),
        status=r.status,
        evidence=_evidence(r),
        confidence=r.confidence,
        actor1_associates=[a for a in lookup.actors(r.associates or []) if a is not None],
        quantity=_quantity(r.quantity),
        source=lookup.actor(r.source_id),
        trigger=r.trigger,
    )


def _with_codes(event: Event, r: EventRow) -> Event:
    """The event with its stored codes; computed (extract/codes.py) when the row has none.

    A row has none when it was saved before the codes were stored, or when the event gets no
    code at all (then computing them is a dictionary look-up that gives none again).
    """
    stored = {c: getattr(r, c) for c in EVENT_CODE_COLUMNS}
    if not any(stored.values()):
        return code_event(event)
    return replace(event, **stored)


def event_code_columns(event: Event) -> dict[str, str | None]:
    """The code columns to store for ``event``: its own codes, or computed when it carries none."""
    if not any(getattr(event, c) for c in EVENT_CODE_COLUMNS):
        event = code_event(event)
    return {c: getattr(event, c) for c in EVENT_CODE_COLUMNS}


def change_rows_to_changes(rows: Sequence[ControlChangeRow], lookup: RowLookup) -> list[ControlChange]:
    lookup.load([i for r in rows for i in (r.controller_id, r.previous_id)], [r.place_id for r in rows])
    return [
        ControlChange(
            id=r.id,
            place=_required(lookup.place(r.place_id)),
            controller=_required(lookup.actor(r.controller_id)),
            previous=lookup.actor(r.previous_id),
            date=_date_range(r.date_start, r.date_end, r.date_precision, r.date_basis, r.date_timex),
            status=r.status,
            evidence=_evidence(r),
            confidence=r.confidence,
            event_id=r.event_id,
            previous_inferred=r.previous_inferred,
        )
        for r in rows
    ]


def hold_rows_to_holds(rows: Sequence[HoldRow], lookup: RowLookup) -> list[Hold]:
    lookup.load([r.controller_id for r in rows], [r.place_id for r in rows])
    return [
        Hold(
            id=r.id,
            place=_required(lookup.place(r.place_id)),
            controller=_required(lookup.actor(r.controller_id)),
            at=_date_range(r.at_start, r.at_end, r.at_precision, r.at_basis, r.at_timex),
            evidence=_evidence(r),
            confidence=r.confidence,
        )
        for r in rows
    ]


def relation_rows_to_relations(rows: Sequence[RelationRow], lookup: RowLookup) -> list[Relation]:
    lookup.load([i for r in rows for i in (r.actor1_id, r.actor2_id)], [])
    return [
        Relation(
            id=r.id,
            type=r.type,  # type: ignore[arg-type]  # stored from a Relation, so one of its Literal values
            actor1=_required(lookup.actor(r.actor1_id)),
            actor2=_required(lookup.actor(r.actor2_id)),
            evidence=_evidence(r),
        )
        for r in rows
    ]


def article_from_row(row: DocumentRow) -> Article:
    return Article(
        text=row.text,
        title=row.title,
        published=row.published,
        published_basis=row.published_basis,
        url=row.url,
        site=row.site,
        external_id=row.external_id,
        origin=row.origin,
    )


def actor_from_row(row: ActorRow) -> Actor:
    return Actor(row.id, row.name, tuple(row.aliases or ()), row.country, row.kind)


def place_from_row(row: PlaceRow) -> Place:
    return Place(
        row.id, row.name, row.geonameid, row.lat, row.lon, row.country, row.kind, row.geo_precision,
        row.admin1,
    )


def _date_range(
    start: dt.date | None, end: dt.date | None, precision: str, basis: str, timex: str | None
) -> DateRange:
    return DateRange(start, end, precision, basis, timex)  # type: ignore[arg-type]  # stored from a DateRange


def _evidence(row: EventRow | ControlChangeRow | HoldRow | RelationRow) -> Evidence:
    return Evidence(row.evidence_document, row.evidence_sentence, row.evidence_start, row.evidence_end)


def _quantity(data: dict[str, Any] | None) -> Quantity | None:
    if not data:
        return None
    return Quantity(data["kind"], float(data["min"]), float(data["max"]))


def _required(value: R | None) -> R:
    # Foreign keys guarantee the referenced row; a miss means the database was edited by hand.
    if value is None:
        raise LookupError("a stored fact refers to an actor or place that is missing from the database")
    return value


def in_chunks(session: Session, query: Any, column: Any, ids: Sequence[str] | None) -> list[Any]:
    """Rows of ``query`` whose ``column`` is one of ``ids`` (all rows when ids is None), one query per chunk."""
    if ids is None:
        return list(session.scalars(query))
    rows: list[Any] = []
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        rows += session.scalars(query.where(column.in_(ids[i : i + _CHUNK])))
    return rows
