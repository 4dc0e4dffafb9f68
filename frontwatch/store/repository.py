"""Store: saves readings (one transaction per article) and gives back schema objects.

Nothing here knows how readings are made: it takes and returns frontwatch.schema records.
Actors and places are shared between documents: a save upserts them (the stored record
is kept, blanks are filled in and aliases are united).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only
from unidecode import unidecode

from frontwatch import __version__
from frontwatch.schema import (
    Actor,
    Article,
    ControlChange,
    DateRange,
    Event,
    Evidence,
    Hold,
    Place,
    Reading,
)
from frontwatch.store import intervals
from frontwatch.store.rows import (
    RowLookup,
    actor_from_row,
    article_from_row,
    change_rows_to_changes,
    event_code_columns,
    event_rows_to_events,
    hold_rows_to_holds,
    in_chunks,
    place_from_row,
    relation_rows_to_relations,
)
from frontwatch.store.tables import (
    ActorRow,
    ControlChangeRow,
    DocumentRow,
    EventRow,
    HoldRow,
    PlaceRow,
    RelationRow,
)

if TYPE_CHECKING:
    from frontwatch.store.timeline import Interval

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """Fold a name for matching: no accents, case, spaces or punctuation ("Deir ez-Zor" → "deirezzor")."""
    return _NOT_ALNUM.sub("", unidecode(name).casefold())


@dataclass(frozen=True)
class Source:
    """What exports say about the document an event was read from (its text stays in the store)."""

    id: str
    external_id: str | None
    title: str
    published: dt.date | None
    url: str | None
    site: str | None


_SOURCE_COLUMNS = (
    DocumentRow.id, DocumentRow.external_id, DocumentRow.title, DocumentRow.published, DocumentRow.url,
    DocumentRow.site,
)


class Store:
    """A frontwatch database. Make one with frontwatch.store.db.open_store."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for read queries the methods here do not cover (frontwatch.serve)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------

    def save(self, reading: Reading, reader_version: str = __version__) -> bool:
        """Store a reading whole, or not at all. False (nothing stored) when the document is already there."""
        doc_id = reading.article.id
        if self.has_document(doc_id):
            return False
        # Two tries: a concurrent writer may insert the same new actor or place first.
        for attempt in (1, 2):
            try:
                with Session(self._engine) as session, session.begin():
                    _write_all(session, [reading], reader_version)
                return True
            except IntegrityError:
                if self.has_document(doc_id):
                    return False  # another writer stored this article meanwhile
                if attempt == 2:
                    raise
        return False  # unreachable; keeps type checkers content

    def save_many(self, readings: Sequence[Reading], reader_version: str = __version__) -> list[bool]:
        """Store several readings in one transaction (faster than one each): all of them or none.

        Each reading is still whole or absent, and the store ends up as after saving them one by
        one in this order. Per reading: True stored, False already there (also a repeat inside
        ``readings``). On an error nothing is stored and it is raised: the caller may then save
        the readings one by one to learn which one fails.
        """
        results: list[bool] = []
        new: list[Reading] = []
        with Session(self._engine) as session, session.begin():
            seen = set(in_chunks(session, select(DocumentRow.id), DocumentRow.id,
                                 sorted({r.article.id for r in readings})))
            for reading in readings:
                fresh = reading.article.id not in seen
                results.append(fresh)
                if fresh:
                    seen.add(reading.article.id)
                    new.append(reading)
            if new:
                _write_all(session, new, reader_version)
        return results

    # ---- reading -------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with Session(self._engine) as session:
            return session.get(DocumentRow, document_id) is not None

    def stored_ids(self, document_ids: Iterable[str]) -> set[str]:
        """Which of these document ids are stored (one query per chunk)."""
        with Session(self._engine) as session:
            ids = sorted(set(document_ids))
            return set(in_chunks(session, select(DocumentRow.id), DocumentRow.id, ids))

    def documents(self) -> list[Article]:
        """Stored articles, oldest publication first (undated last), then by id."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(DocumentRow).order_by(*_nulls_last(DocumentRow.published), DocumentRow.id)
            ).all()
            return [article_from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        tables = {
            "documents": DocumentRow,
            "actors": ActorRow,
            "places": PlaceRow,
            "events": EventRow,
            "control_changes": ControlChangeRow,
            "holds": HoldRow,
            "relations": RelationRow,
        }
        with Session(self._engine) as session:
            return {
                name: session.scalar(select(func.count()).select_from(table)) or 0
                for name, table in tables.items()
            }

    def reading(self, document_id: str) -> Reading | None:
        """The reading stored for a document, rebuilt (None when the document is unknown)."""
        with Session(self._engine) as session:
            doc = session.get(DocumentRow, document_id)
            if doc is None:
                return None
            lookup = RowLookup(session)
            events = session.scalars(
                select(EventRow).where(EventRow.document_id == document_id).order_by(EventRow.id)
            ).all()
            changes = session.scalars(
                select(ControlChangeRow)
                .where(ControlChangeRow.document_id == document_id)
                .order_by(ControlChangeRow.id)
            ).all()
            holds = session.scalars(
                select(HoldRow).where(HoldRow.document_id == document_id).order_by(HoldRow.id)
            ).all()
            relations = session.scalars(
                select(RelationRow).where(RelationRow.document_id == document_id).order_by(RelationRow.id)
            ).all()
            return Reading(
                article=article_from_row(doc),
                events=event_rows_to_events(events, lookup),
                control=change_rows_to_changes(changes, lookup),
                holds=hold_rows_to_holds(holds, lookup),
                relations=relation_rows_to_relations(relations, lookup),
                actors=[a for a in lookup.actors(doc.actor_ids) if a is not None],
                places=[p for p in lookup.places(doc.place_ids) if p is not None],
                warnings=list(doc.warnings or []),
            )

    def events(
        self,
        *,
        place_ids: Sequence[str] | None = None,
        actor_ids: Sequence[str] | None = None,
        type: str | None = None,
        status: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        document_id: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Events matching every given filter, by date start (undated last), then id.

        ``actor_ids`` matches actor1, actor2 or an associate. ``since``/``until`` keep
        events whose date range overlaps them (undated events are then left out).
        """
        query = select(EventRow).order_by(
            *_nulls_last(EventRow.date_start), EventRow.id, EventRow.document_id
        )
        if place_ids is not None:
            query = query.where(EventRow.place_id.in_(list(place_ids)))
        if type is not None:
            query = query.where(EventRow.type == type)
        if status is not None:
            query = query.where(EventRow.status == status)
        if document_id is not None:
            query = query.where(EventRow.document_id == document_id)
        if since is not None:
            last_day = func.coalesce(EventRow.date_end, EventRow.date_start)
            query = query.where(last_day >= since)
        if until is not None:
            query = query.where(EventRow.date_start <= until)
        wanted = set(actor_ids) if actor_ids is not None else None
        if wanted is None and limit is not None:
            query = query.limit(limit)
        with Session(self._engine) as session:
            rows: Iterable[EventRow] = session.scalars(query)
            if wanted is not None:
                # associates are a JSON list: filtered here, portably, rather than in SQL
                rows = [r for r in rows if wanted & {r.actor1_id, r.actor2_id, *(r.associates or [])}]
                rows = rows[:limit] if limit is not None else rows
            return event_rows_to_events(list(rows), RowLookup(session))

    def iter_events(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        type: str | None = None,
        batch: int = 1000,
    ) -> Iterator[tuple[Event, Source]]:
        """Every event (filters as in ``events``) with its source document, streamed in batches of ``batch``
        rows: exports of a large store never hold it whole. Order: date start (undated last), document, id."""
        query = select(EventRow).order_by(*_nulls_last(EventRow.date_start), EventRow.document_id, EventRow.id)
        if type is not None:
            query = query.where(EventRow.type == type)
        if since is not None:
            query = query.where(func.coalesce(EventRow.date_end, EventRow.date_start) >= since)
        if until is not None:
            query = query.where(EventRow.date_start <= until)
        with Session(self._engine) as session:
            for rows in session.scalars(query.execution_options(yield_per=batch)).partitions():
                docs = {
                    d.id: Source(d.id, d.external_id, d.title, d.published, d.url, d.site)
                    for d in in_chunks(
                        session, select(DocumentRow).options(load_only(*_SOURCE_COLUMNS)), DocumentRow.id,
                        sorted({r.document_id for r in rows}),
                    )
                }
                for event, row in zip(event_rows_to_events(rows, RowLookup(session)), rows, strict=True):
                    yield event, docs[row.document_id]

    def changes(
        self,
        place_ids: Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[ControlChange]:
        """Control changes (all of them, or those of the given places), by place, date and id.

        ``since``/``until`` keep changes whose date range overlaps them (undated ones are then left out).
        """
        query = select(ControlChangeRow).order_by(
            ControlChangeRow.place_id, *_nulls_last(ControlChangeRow.date_start), ControlChangeRow.id
        )
        if since is not None:
            query = query.where(func.coalesce(ControlChangeRow.date_end, ControlChangeRow.date_start) >= since)
        if until is not None:
            query = query.where(ControlChangeRow.date_start <= until)
        with Session(self._engine) as session:
            rows = in_chunks(session, query, ControlChangeRow.place_id, place_ids)
            return change_rows_to_changes(rows, RowLookup(session))

    def holds(self, place_ids: Sequence[str] | None = None) -> list[Hold]:
        """Holds (all of them, or those of the given places), by place, date and id."""
        query = select(HoldRow).order_by(HoldRow.place_id, *_nulls_last(HoldRow.at_start), HoldRow.id)
        with Session(self._engine) as session:
            rows = in_chunks(session, query, HoldRow.place_id, place_ids)
            return hold_rows_to_holds(rows, RowLookup(session))

    def control_on(
        self,
        day: dt.date,
        *,
        place_ids: Sequence[str] | None = None,
        country: str | None = None,
        bbox: intervals.BBox | None = None,
    ) -> Iterator[Interval]:
        """Stored control intervals containing ``day`` (see frontwatch.store.intervals.intervals_on), streamed."""
        with Session(self._engine) as session:
            yield from intervals.intervals_on(session, day, place_ids=place_ids, country=country, bbox=bbox)

    def control_records_on(
        self,
        day: dt.date,
        *,
        place_ids: Sequence[str] | None = None,
        country: str | None = None,
        bbox: intervals.BBox | None = None,
        limit: int | None = None,
        offset: int = 0,
        after: str | None = None,
    ) -> list[dict[str, Any]]:
        """control_on's intervals as JSON records, read the fast way (see frontwatch.store.intervals.records_on)."""
        with Session(self._engine) as session:
            return intervals.records_on(
                session, day, place_ids=place_ids, country=country, bbox=bbox, limit=limit, offset=offset,
                after=after,
            )

    def timeline(self, place_id: str) -> list[Interval]:
        """The stored control timeline of one place, in date order."""
        with Session(self._engine) as session:
            return intervals.intervals_of(session, place_id)

    def timelines(self) -> dict[str, list[Interval]]:
        """Every stored control timeline, by place id, each in date order."""
        out: dict[str, list[Interval]] = defaultdict(list)
        with Session(self._engine) as session:
            for interval in intervals.all_intervals(session):
                out[interval.place.id].append(interval)
        return dict(out)

    def report_span(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day that a stored control change or hold starts on."""
        with Session(self._engine) as session:
            change_day, hold_day = ControlChangeRow.date_start, HoldRow.at_start
            lo_c, hi_c = session.execute(select(func.min(change_day), func.max(change_day))).one()
            lo_h, hi_h = session.execute(select(func.min(hold_day), func.max(hold_day))).one()
        starts = [d for d in (lo_c, lo_h) if d is not None]
        ends = [d for d in (hi_c, hi_h) if d is not None]
        return min(starts, default=None), max(ends, default=None)

    def rebuild_timelines(self) -> None:
        """Rebuild every stored timeline from the stored changes and holds (after the rules changed)."""
        with Session(self._engine) as session, session.begin():
            intervals.rebuild_all(session)

    def changes_for_place(self, place_id: str) -> list[ControlChange]:
        return self.changes([place_id])

    def holds_for_place(self, place_id: str) -> list[Hold]:
        return self.holds([place_id])

    def controlled_places(self) -> list[Place]:
        """Places that have at least one control change or hold, by name."""
        with Session(self._engine) as session:
            ids = select(ControlChangeRow.place_id).union(select(HoldRow.place_id)).subquery()
            rows = session.scalars(
                select(PlaceRow).where(PlaceRow.id.in_(select(ids.c.place_id))).order_by(
                    PlaceRow.name_key, PlaceRow.id
                )
            ).all()
            return [place_from_row(r) for r in rows]

    def places_matching(self, name: str) -> list[Place]:
        """Places named ``name`` (case, accents and punctuation aside), or the place whose id it is."""
        with Session(self._engine) as session:
            by_id = session.get(PlaceRow, name.strip())
            if by_id is not None:
                return [place_from_row(by_id)]
            key = name_key(name)
            if not key:
                return []
            rows = session.scalars(
                select(PlaceRow).where(PlaceRow.name_key == key).order_by(PlaceRow.id)
            ).all()
            return [place_from_row(r) for r in rows]

    def places_inside(self, outer: Place, same_admin1: Callable[[str], bool] | None = None) -> list[Place]:
        """Stored places inside ``outer``, by name: for a country every place of that country; for a
        province (kind admin1) the places whose admin1 is its name (or, with ``same_admin1``, a name
        that function accepts: "Ninawa" for "Nineveh"); for any other place its named parts
        ("eastern Mosul", "Khartoum North": see data/place_parts.toml)."""
        with Session(self._engine) as session:
            if outer.kind == "country" and outer.country:
                query = select(PlaceRow).where(PlaceRow.country == outer.country, PlaceRow.id != outer.id)
                rows = session.scalars(query).all()
            elif outer.kind == "admin1":
                names = {name_key(n) for n in (outer.name, outer.admin1) if n}
                query = select(PlaceRow).where(PlaceRow.admin1.is_not(None), PlaceRow.id != outer.id)
                if outer.country:
                    query = query.where(PlaceRow.country == outer.country)
                rows = [
                    r
                    for r in session.scalars(query)
                    if name_key(r.admin1 or "") in names or (same_admin1 is not None and same_admin1(r.admin1 or ""))
                ]
            else:
                parts = _part_names(outer.name)
                rows = session.scalars(select(PlaceRow).where(PlaceRow.name_key.in_(sorted(parts)))).all()
                same_country = (None, outer.country) if outer.country else None
                rows = [r for r in rows if r.id != outer.id and (same_country is None or r.country in same_country)]
            return sorted((place_from_row(r) for r in rows), key=lambda p: (name_key(p.name), p.id))

    def places_by_id(self, ids: Sequence[str]) -> list[Place]:
        if not ids:
            return []
        with Session(self._engine) as session:
            rows = session.scalars(select(PlaceRow).where(PlaceRow.id.in_(list(ids))).order_by(PlaceRow.id)).all()
            return [place_from_row(r) for r in rows]

    def actors_matching(self, text: str) -> list[Actor]:
        """Actors whose id (case-insensitive), name or an alias (as in name_key) is ``text``."""
        wanted_id = text.strip().casefold()
        key = name_key(text)
        with Session(self._engine) as session:
            # Aliases live in a JSON list, matched here rather than in (unportable) SQL;
            # the actor table stays small (hundreds of rows).
            rows = session.scalars(select(ActorRow).order_by(ActorRow.id)).all()
            return [
                actor_from_row(r)
                for r in rows
                if r.id.casefold() == wanted_id
                or (key and any(name_key(n) == key for n in [r.name, *(r.aliases or [])]))
            ]


# ---- writing a reading ------------------------------------------------------------------


def _write_all(session: Session, readings: Sequence[Reading], reader_version: str) -> None:
    """Write new readings, in this order, as saving them one by one would.

    Few round trips whatever the number of readings: the stored actors and places they mention
    are fetched in one query each and upserted in memory in reading order (so the first stored
    record is kept, as one by one); documents and facts go in as one multi-row insert per
    table; the timelines of the places they report on are rebuilt once, at the end.
    """
    _upsert_actors(session, [a for r in readings for a in _actors_of(r)])
    _upsert_places(session, [p for r in readings for p in _places_of(r)])
    session.flush()  # actors and places first: documents and facts refer to them
    rows: dict[Any, list[dict[str, Any]]] = {DocumentRow: [], EventRow: [], ControlChangeRow: [], HoldRow: [],
                                             RelationRow: []}
    for reading in readings:
        for table, table_rows in _rows(reading, reader_version).items():
            rows[table] += table_rows
    for table, table_rows in rows.items():  # documents first: the facts refer to them
        if table_rows:
            session.execute(insert(table), table_rows)
    # the stored timelines of the places these articles report on, and of no other
    intervals.refresh(session, {pid for r in readings for pid in _controlled_place_ids(r)})


def _rows(reading: Reading, reader_version: str) -> dict[Any, list[dict[str, Any]]]:
    """The rows of one reading: its document and its facts, as column values by table."""
    article = reading.article
    doc_id = article.id
    document = dict(
        id=doc_id,
        external_id=article.external_id,
        title=article.title,
        published=article.published,
        published_basis=article.published_basis,
        url=article.url,
        site=article.site,
        text=article.text,
        origin=article.origin,
        warnings=list(reading.warnings),
        reader_version=reader_version,
        actor_ids=_unique(a.id for a in reading.actors),
        place_ids=_unique(p.id for p in reading.places),
    )
    events = [
        dict(
            document_id=doc_id,
            id=e.id,
            type=e.type,
            actor1_id=_id(e.actor1),
            actor2_id=_id(e.actor2),
            associates=[a.id for a in e.actor1_associates],
            place_id=_id(e.place),
            **_date_columns("date", e.date),
            status=e.status,
            quantity=e.quantity.to_json() if e.quantity else None,
            source_id=_id(e.source),
            **_evidence_columns(e.evidence),
            confidence=e.confidence,
            trigger=e.trigger,
            **event_code_columns(e),
        )
        for e in reading.events
    ]
    changes = [
        dict(
            document_id=doc_id,
            id=c.id,
            event_id=c.event_id,
            place_id=c.place.id,
            controller_id=c.controller.id,
            previous_id=_id(c.previous),
            previous_inferred=c.previous_inferred,
            **_date_columns("date", c.date),
            status=c.status,
            **_evidence_columns(c.evidence),
            confidence=c.confidence,
        )
        for c in reading.control
    ]
    holds = [
        dict(
            document_id=doc_id,
            id=h.id,
            place_id=h.place.id,
            controller_id=h.controller.id,
            **_date_columns("at", h.at),
            **_evidence_columns(h.evidence),
            confidence=h.confidence,
        )
        for h in reading.holds
    ]
    relations = [
        dict(
            document_id=doc_id,
            id=r.id,
            type=r.type,
            actor1_id=r.actor1.id,
            actor2_id=r.actor2.id,
            **_evidence_columns(r.evidence),
        )
        for r in reading.relations
    ]
    return {DocumentRow: [document], EventRow: events, ControlChangeRow: changes, HoldRow: holds,
            RelationRow: relations}


def _controlled_place_ids(reading: Reading) -> set[str]:
    return {c.place.id for c in reading.control} | {h.place.id for h in reading.holds}


def _actors_of(reading: Reading) -> list[Actor]:
    """Every actor the reading mentions, listed or referred to by a fact."""
    found: list[Actor | None] = list(reading.actors)
    for e in reading.events:
        found += [e.actor1, e.actor2, e.source, *e.actor1_associates]
    for c in reading.control:
        found += [c.controller, c.previous]
    for h in reading.holds:
        found.append(h.controller)
    for r in reading.relations:
        found += [r.actor1, r.actor2]
    return [a for a in found if a is not None]


def _places_of(reading: Reading) -> list[Place]:
    found: list[Place | None] = [*reading.places, *(e.place for e in reading.events)]
    found += [c.place for c in reading.control] + [h.place for h in reading.holds]
    return [p for p in found if p is not None]


def _upsert_actors(session: Session, actors: list[Actor]) -> None:
    rows: dict[str, ActorRow] = _existing(session, ActorRow, [a.id for a in actors])
    for actor in actors:
        row = rows.get(actor.id)
        if row is None:
            rows[actor.id] = ActorRow(
                id=actor.id,
                name=actor.name,
                aliases=list(actor.aliases),
                country=actor.country,
                kind=actor.kind,
            )
            session.add(rows[actor.id])
            continue
        # Keep the stored record; fill its blanks and unite aliases.
        row.aliases = _unique([*(row.aliases or []), *actor.aliases])
        row.country = row.country or actor.country
        if row.kind == "unknown":
            row.kind = actor.kind


def _upsert_places(session: Session, places: list[Place]) -> None:
    rows: dict[str, PlaceRow] = _existing(session, PlaceRow, [p.id for p in places])
    for place in places:
        row = rows.get(place.id)
        if row is None:
            rows[place.id] = PlaceRow(
                id=place.id,
                name=place.name,
                name_key=name_key(place.name),
                geonameid=place.geonameid,
                lat=place.lat,
                lon=place.lon,
                country=place.country,
                kind=place.kind,
                geo_precision=place.geo_precision,
                admin1=place.admin1,
            )
            session.add(rows[place.id])
            continue
        # Keep the stored record; fill its blanks (coordinates only as a pair).
        if row.lat is None and row.lon is None and place.lat is not None:
            row.lat, row.lon = place.lat, place.lon
        row.geonameid = row.geonameid if row.geonameid is not None else place.geonameid
        row.country = row.country or place.country
        row.admin1 = row.admin1 or place.admin1
        if row.kind == "unknown":
            row.kind = place.kind


def _existing(session: Session, table: Any, ids: list[str]) -> dict[str, Any]:
    """Stored rows of ``table`` with these ids, in one query per chunk."""
    unique = sorted(set(ids))
    return {row.id: row for row in in_chunks(session, select(table), table.id, unique)}


def _date_columns(prefix: str, d: DateRange) -> dict[str, Any]:
    return {
        f"{prefix}_start": d.start,
        f"{prefix}_end": d.end,
        f"{prefix}_precision": d.precision,
        f"{prefix}_basis": d.basis,
        f"{prefix}_timex": d.timex,
    }


def _evidence_columns(e: Evidence) -> dict[str, Any]:
    return {
        "evidence_document": e.document,
        "evidence_sentence": e.sentence,
        "evidence_start": e.start,
        "evidence_end": e.end,
    }


def _id(obj: Actor | Place | None) -> str | None:
    return obj.id if obj is not None else None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@functools.cache
def _part_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = tomllib.loads(resources.files("frontwatch.data").joinpath("place_parts.toml").read_text("utf-8"))
    return tuple(name_key(w) for w in data["before"]), tuple(name_key(w) for w in data["after"])


def _part_names(name: str) -> set[str]:
    """The folded names of a place's parts: "Mosul" → {"easternmosul", "mosuleast", …}."""
    key = name_key(name)
    before, after = _part_words()
    return {w + key for w in before} | {key + w for w in after}


def _nulls_last(column: Any) -> tuple[Any, Any]:
    """Order by column with NULLs last, in SQL every database understands."""
    return case((column.is_(None), 1), else_=0), column
