"""The stored control timelines (table ``control_intervals``): kept up to date, and queried by day.

The timeline engine (frontwatch.store.timeline) is pure; this module stores what it builds.
Saving an article rebuilds the timelines of the places it reports on, and only those
(``refresh``); opening a database whose timelines were built by other rules rebuilds them
all (``ensure_current``). ``control --at`` then reads one indexed table instead of building
a timeline for every place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session

from frontwatch.schema import Evidence
from frontwatch.store.rows import (
    RowLookup,
    change_rows_to_changes,
    hold_rows_to_holds,
)
from frontwatch.store.tables import ControlChangeRow, ControlIntervalRow, HoldRow, MetaRow, PlaceRow
from frontwatch.store.timeline import Interval, build_timeline

# Bump when the rules in timeline.py change: stored timelines of another version are rebuilt on open.
TIMELINE_VERSION = "1"
_META_KEY = "timeline_version"
_BATCH = 500  # places per rebuild batch, intervals per fetch

BBox = tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat), as in GeoJSON


def refresh(session: Session, place_ids: Iterable[str]) -> None:
    """Rebuild the stored timelines of these places from their changes and holds."""
    ids = sorted(set(place_ids))
    for i in range(0, len(ids), _BATCH):
        _refresh_batch(session, ids[i : i + _BATCH])


def ensure_current(session: Session) -> None:
    """Rebuild every timeline when the stored ones were built by another TIMELINE_VERSION (or none)."""
    row = session.get(MetaRow, _META_KEY)
    if row is None or row.value != TIMELINE_VERSION:
        rebuild_all(session)


def rebuild_all(session: Session) -> None:
    """Rebuild the timeline of every place with a change or hold, and record the rules' version."""
    row = session.get(MetaRow, _META_KEY)
    session.execute(delete(ControlIntervalRow))
    ids = select(ControlChangeRow.place_id).union(select(HoldRow.place_id)).subquery()
    refresh(session, session.scalars(select(ids.c.place_id)).all())
    if row is None:
        session.add(MetaRow(key=_META_KEY, value=TIMELINE_VERSION))
    else:
        row.value = TIMELINE_VERSION


def intervals_on(
    session: Session,
    day: dt.date,
    place_ids: Sequence[str] | None = None,
    country: str | None = None,
    bbox: BBox | None = None,
) -> Iterator[Interval]:
    """Every stored interval containing ``day``, by place (name, id), confirmed first, then timeline order.

    Streams in batches: a large store is never loaded whole.
    """
    query = (
        select(ControlIntervalRow)
        .join(PlaceRow, PlaceRow.id == ControlIntervalRow.place_id)
        .where(or_(ControlIntervalRow.since.is_(None), ControlIntervalRow.since <= day))
        .where(or_(ControlIntervalRow.until.is_(None), ControlIntervalRow.until >= day))
        .order_by(
            PlaceRow.name_key,
            PlaceRow.id,
            ControlIntervalRow.status != "confirmed",
            ControlIntervalRow.seq,
        )
    )
    query = _filter_places(query, place_ids, country, bbox)
    yield from _stream(session, query)


def intervals_of(session: Session, place_id: str) -> list[Interval]:
    """The stored timeline of one place, in order."""
    query = (
        select(ControlIntervalRow)
        .where(ControlIntervalRow.place_id == place_id)
        .order_by(ControlIntervalRow.seq)
    )
    return list(_stream(session, query))


# ---- internals ----------------------------------------------------------------------------


def _refresh_batch(session: Session, ids: list[str]) -> None:
    lookup = RowLookup(session)
    lookup.load([], ids)
    changes = change_rows_to_changes(
        session.scalars(select(ControlChangeRow).where(ControlChangeRow.place_id.in_(ids))).all(), lookup
    )
    holds = hold_rows_to_holds(session.scalars(select(HoldRow).where(HoldRow.place_id.in_(ids))).all(), lookup)
    session.execute(delete(ControlIntervalRow).where(ControlIntervalRow.place_id.in_(ids)))
    for place_id in ids:
        place = lookup.place(place_id)
        if place is None:
            continue
        timeline = build_timeline(
            place, [c for c in changes if c.place.id == place_id], [h for h in holds if h.place.id == place_id]
        )
        session.add_all(_row(place_id, seq, interval) for seq, interval in enumerate(timeline))


def _row(place_id: str, seq: int, i: Interval) -> ControlIntervalRow:
    return ControlIntervalRow(
        place_id=place_id,
        seq=seq,
        controller_id=i.controller.id,
        since=i.since,
        until=i.until,
        since_precision=i.since_precision,
        status=i.status,
        basis=i.basis,
        sources=i.sources,
        evidence=[e.to_json() for e in i.evidence],
    )


def _filter_places(
    query: Select[Any], place_ids: Sequence[str] | None, country: str | None, bbox: BBox | None
) -> Select[Any]:
    if place_ids is not None:
        query = query.where(ControlIntervalRow.place_id.in_(list(place_ids)))
    if country is not None:
        query = query.where(PlaceRow.country == country)
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        query = query.where(PlaceRow.lat.between(min_lat, max_lat), PlaceRow.lon.between(min_lon, max_lon))
    return query


def _stream(session: Session, query: Select[Any]) -> Iterator[Interval]:
    result = session.scalars(query.execution_options(yield_per=_BATCH))
    for rows in result.partitions():
        lookup = RowLookup(session)  # one per batch: memory stays bounded on a large store
        lookup.load([r.controller_id for r in rows], [r.place_id for r in rows])
        for r in rows:
            place, controller = lookup.place(r.place_id), lookup.actor(r.controller_id)
            if place is None or controller is None:  # foreign keys forbid it; a hand-edited database
                raise LookupError(f"control interval {r.place_id}#{r.seq} refers to a missing place or actor")
            yield Interval(
                place,
                controller,
                r.since,
                r.until,
                r.since_precision,
                r.status,
                r.basis,
                [Evidence.from_json(e) for e in r.evidence or []],
                r.sources,
            )
