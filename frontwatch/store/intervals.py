"""The stored control timelines (table ``control_intervals``): kept up to date, and queried by day.

The timeline engine (frontwatch.store.timeline) is pure; this module stores what it builds.
Saving an article rebuilds the timelines of the places it reports on, and only those
(``refresh``); opening a database whose timelines were built by other rules rebuilds them
all (``ensure_current``). ``control --at`` then reads one indexed table instead of building
a timeline for every place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import Select, String, delete, insert, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from frontwatch.schema import Actor, ControlChange, Evidence, Hold, Place
from frontwatch.store.rows import (
    RowLookup,
    change_rows_to_changes,
    hold_rows_to_holds,
)
from frontwatch.store.tables import ActorRow, ControlChangeRow, ControlIntervalRow, HoldRow, MetaRow, PlaceRow
from frontwatch.store.timeline import Interval, build_timeline

# Bump when the rules in timeline.py (or the way intervals are stored) change: stored timelines of
# another version are rebuilt on open. 2: open bounds stored as sentinel days.
TIMELINE_VERSION = "2"
# Open bounds are stored as the first and last representable days, not NULL: then "since <= D and
# until >= D" is a range on the (place_id, since, until) index, answered without reading the rows.
_OPEN_START = dt.date(1, 1, 1)
_OPEN_END = dt.date(9999, 12, 31)
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
        _interval_select()
        .where(ControlIntervalRow.since <= day, ControlIntervalRow.until >= day)
        .order_by(
            PlaceRow.name_key,
            PlaceRow.id,
            ControlIntervalRow.status != "confirmed",
            ControlIntervalRow.seq,
        )
    )
    query = _filter_places(query, place_ids, country, bbox)
    yield from _stream(session, query)


def records_on(
    session: Session,
    day: dt.date,
    place_ids: Sequence[str] | None = None,
    country: str | None = None,
    bbox: BBox | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: str | None = None,
) -> list[dict[str, Any]]:
    """``intervals_on`` as JSON records (frontwatch.query.control.interval_to_json), built straight from the rows.

    The fast path of ``control --at``: one query, dates and evidence read as the stored text
    (no date objects, no Evidence objects: the evidence was stored as the records' own JSON),
    each place and controller turned into JSON once. ``limit``/``offset`` give one page of the
    records in the same order: the page's keys are found first in the indexes alone (skipping
    ``offset`` records reads no row), then only the page's rows are read.
    ``after`` (a place id) starts the list after that place's records: paging by key, where every
    page costs what the first does, while ``offset`` still walks the records it skips. A page by key
    ends with whole places (``limit`` records, then the rest of its last place's records), so the
    last record's place id is the next page's ``after``; ``after=""`` is the first such page.
    tests/test_store.py checks the records equal interval_to_json's.
    """
    columns = (*_RAW_INTERVAL_COLUMNS, *_PLACE_COLUMNS, ControlIntervalRow.seq)
    start = _after_place(session, after) if after else None
    query = _filter_places(_on_day(select(*columns), day, start), place_ids, country, bbox)
    page: set[tuple[str, int]] | None = None
    if limit is not None or offset:
        keys = select(ControlIntervalRow.place_id, ControlIntervalRow.seq, PlaceRow.name_key)
        keys = _filter_places(_on_day(keys, day, start), place_ids, country, bbox).limit(limit).offset(offset or None)
        found = session.connection().execute(keys).all()
        if not found:
            return []
        page = {(place_id, seq) for place_id, seq, _ in found}
        # the page's places are those between its first and last name: a range on ix_places_name_order
        query = query.where(PlaceRow.name_key.between(found[0][2], found[-1][2]))
    rows = session.connection().execute(query).all()
    if page is not None:
        # A page by key (``after`` given) ends with whole places: its last place's other reports come
        # with it, so they stay side by side and the next page can start after that place.
        # Pages by offset count records exactly, as they always have.
        last_place = found[-1][0] if after is not None else None
        rows = [row for row in rows if (row[_N_INTERVAL], row[-1]) in page or row[_N_INTERVAL] == last_place]
    actors = _actor_json(session, {row[0] for row in rows})
    places: dict[str, dict[str, Any]] = {}
    records = []
    with _no_cycle_collection():
        for row in rows:
            controller_id, since, until, precision, status, basis, sources, evidence = row[:_N_INTERVAL]
            p = row[_N_INTERVAL:-1]
            place = places.get(p[0])
            if place is None:
                place = places[p[0]] = Place(*p).to_json()
            actor = actors.get(controller_id)
            if actor is None:  # foreign keys forbid it; a database edited by hand
                raise LookupError(f"a stored control interval of {p[0]} refers to a missing actor {controller_id}")
            since, until = _day_text(since), _day_text(until)
            records.append(
                {
                    "place": dict(place),  # copies: records are the caller's to change
                    "controller": {**actor, "aliases": list(actor["aliases"])},
                    "since": None if since == _OPEN_START_TEXT else since,
                    "until": None if until == _OPEN_END_TEXT else until,
                    "since_precision": precision,
                    "status": status,
                    "basis": basis,
                    "sources": sources,
                    # stored as [e.to_json() ...] (see _row); PostgreSQL's driver hands the list back decoded
                    "evidence": orjson.loads(evidence) if isinstance(evidence, (str, bytes)) else evidence,
                }
            )
    return records


def intervals_of(session: Session, place_id: str) -> list[Interval]:
    """The stored timeline of one place, in order."""
    query = _interval_select().where(ControlIntervalRow.place_id == place_id).order_by(ControlIntervalRow.seq)
    return list(_stream(session, query))


def all_intervals(session: Session) -> Iterator[Interval]:
    """Every stored timeline, place by place (by id), each in order: streamed."""
    query = _interval_select().order_by(ControlIntervalRow.place_id, ControlIntervalRow.seq)
    yield from _stream(session, query)


# ---- internals ----------------------------------------------------------------------------


def _refresh_batch(session: Session, ids: list[str]) -> None:
    lookup = RowLookup(session)
    lookup.load([], ids)
    changes = change_rows_to_changes(
        session.scalars(select(ControlChangeRow).where(ControlChangeRow.place_id.in_(ids))).all(), lookup
    )
    holds = hold_rows_to_holds(session.scalars(select(HoldRow).where(HoldRow.place_id.in_(ids))).all(), lookup)
    by_place_changes: dict[str, list[ControlChange]] = defaultdict(list)
    by_place_holds: dict[str, list[Hold]] = defaultdict(list)
    for c in changes:
        by_place_changes[c.place.id].append(c)
    for h in holds:
        by_place_holds[h.place.id].append(h)
    session.execute(delete(ControlIntervalRow).where(ControlIntervalRow.place_id.in_(ids)))
    rows: list[dict[str, Any]] = []
    for place_id in ids:
        place = lookup.place(place_id)
        if place is None:
            continue
        timeline = build_timeline(place, by_place_changes[place_id], by_place_holds[place_id])
        rows += [_row(place_id, seq, interval) for seq, interval in enumerate(timeline)]
    if rows:  # one multi-row insert per batch: a full rebuild of a large store stays fast
        session.execute(insert(ControlIntervalRow), rows)


def _row(place_id: str, seq: int, i: Interval) -> dict[str, Any]:
    return dict(
        place_id=place_id,
        seq=seq,
        controller_id=i.controller.id,
        since=i.since or _OPEN_START,
        until=i.until or _OPEN_END,
        since_precision=i.since_precision,
        status=i.status,
        basis=i.basis,
        sources=i.sources,
        evidence=[e.to_json() for e in i.evidence],
    )


def _on_day(query: Select[Any], day: dt.date, start: tuple[str, str] | None = None) -> Select[Any]:
    """``query`` over the intervals containing ``day`` and their places, in control --at's order.

    With ix_places_name_order and ix_control_intervals_day_order, SQLite walks the places in name
    order and seeks each one's intervals of the day, rather than reading every interval and sorting.
    ``start`` (a place's name key and id) keeps the places after it in that order: a range on the
    same index, so the places before it are never read.
    """
    query = (
        query.select_from(ControlIntervalRow)
        .join(PlaceRow, PlaceRow.id == ControlIntervalRow.place_id)
        .where(ControlIntervalRow.since <= day, ControlIntervalRow.until >= day)
        .order_by(PlaceRow.name_key, PlaceRow.id, ControlIntervalRow.status != "confirmed", ControlIntervalRow.seq)
    )
    if start is not None:
        query = query.where(tuple_(PlaceRow.name_key, PlaceRow.id) > tuple_(*start))
    return query


def _after_place(session: Session, place_id: str) -> tuple[str, str]:
    """The list position (name key, id) of the place a page starts after; an unknown id is an error."""
    key = session.execute(select(PlaceRow.name_key).where(PlaceRow.id == place_id)).scalar_one_or_none()
    if key is None:
        raise LookupError(f"after: no stored place has the id {place_id!r} (give the last record's place id)")
    return key, place_id


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


def _interval_select() -> Select[Any]:
    # Plain columns with the place joined in: no ORM objects. Controllers are few and repeat: they are
    # loaded apart, once each (see _stream), rather than joined (and their aliases decoded) on every row.
    return select(*_INTERVAL_COLUMNS, *_PLACE_COLUMNS).join(PlaceRow, PlaceRow.id == ControlIntervalRow.place_id)


_INTERVAL_COLUMNS = (
    ControlIntervalRow.controller_id,
    ControlIntervalRow.since,
    ControlIntervalRow.until,
    ControlIntervalRow.since_precision,
    ControlIntervalRow.status,
    ControlIntervalRow.basis,
    ControlIntervalRow.sources,
    ControlIntervalRow.evidence,
)
_PLACE_COLUMNS = (
    PlaceRow.id,
    PlaceRow.name,
    PlaceRow.geonameid,
    PlaceRow.lat,
    PlaceRow.lon,
    PlaceRow.country,
    PlaceRow.kind,
    PlaceRow.geo_precision,
    PlaceRow.admin1,
)
# The same columns with dates and evidence left as stored (text on SQLite), for records_on.
_RAW_INTERVAL_COLUMNS = tuple(
    type_coerce(c, String) if c.key in ("since", "until", "evidence") else c for c in _INTERVAL_COLUMNS
)
_OPEN_START_TEXT = _OPEN_START.isoformat()
_OPEN_END_TEXT = _OPEN_END.isoformat()
_ACTOR_COLUMNS = (ActorRow.id, ActorRow.name, ActorRow.aliases, ActorRow.country, ActorRow.kind)
_N_INTERVAL = len(_INTERVAL_COLUMNS)


def _actor_json(session: Session, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The JSON of these actors, by id (controllers are few: each is read and built once per query)."""
    query = select(*_ACTOR_COLUMNS).where(ActorRow.id.in_(sorted(ids)))
    return {a[0]: Actor(a[0], a[1], tuple(a[2] or ()), a[3], a[4]).to_json() for a in session.execute(query)}


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: building tens of thousands of small dicts (which hold no cycles)
    otherwise triggers collections that cost a third of the time of a whole-store query."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _day_text(value: str | dt.date) -> str:
    """A stored day as ISO text: SQLite hands back the stored text, PostgreSQL a date."""
    return value if isinstance(value, str) else value.isoformat()


def _stream(session: Session, query: Select[Any]) -> Iterator[Interval]:
    places: dict[str, Place] = {}
    actors: dict[str, Actor] = {}
    for rows in session.execute(query.execution_options(yield_per=_BATCH)).partitions():
        missing = {row[0] for row in rows} - actors.keys()
        for a in session.execute(select(*_ACTOR_COLUMNS).where(ActorRow.id.in_(sorted(missing)))):
            actors[a[0]] = Actor(a[0], a[1], tuple(a[2] or ()), a[3], a[4])
        for row in rows:
            controller_id, since, until, precision, status, basis, sources, evidence = row[:_N_INTERVAL]
            p = row[_N_INTERVAL:]
            place = places.get(p[0])
            if place is None:
                place = places[p[0]] = Place(*p)
            actor = actors.get(controller_id)
            if actor is None:  # foreign keys forbid it; a database edited by hand
                raise LookupError(f"a stored control interval of {p[0]} refers to a missing actor {controller_id}")
            yield Interval(
                place,
                actor,
                None if since == _OPEN_START else since,
                None if until == _OPEN_END else until,
                precision,
                status,
                basis,
                [Evidence.from_json(e) for e in evidence or []],
                sources,
            )
        if len(places) > _BATCH:  # the rows come by place: earlier places are done with
            places.clear()
