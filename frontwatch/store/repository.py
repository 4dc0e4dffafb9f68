"""Store: saves readings (one transaction per article) and gives back schema objects.

Nothing here knows how readings are made: it takes and returns frontwatch.schema records.
Actors and places are shared between documents: a save upserts them (the stored record
is kept, blanks are filled in and aliases are united).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
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
    Quantity,
    Reading,
    Relation,
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

_CHUNK = 500  # ids per IN (...) query, well under every database's parameter limit
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

R = TypeVar("R")


def name_key(name: str) -> str:
    """Fold a name for matching: no accents, case, spaces or punctuation ("Deir ez-Zor" → "deirezzor")."""
    return _NOT_ALNUM.sub("", unidecode(name).casefold())


class Store:
    """A frontwatch database. Make one with frontwatch.store.db.open_store."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

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
                    _write(session, reading, reader_version)
                return True
            except IntegrityError:
                if self.has_document(doc_id):
                    return False  # another writer stored this article meanwhile
                if attempt == 2:
                    raise
        return False  # unreachable; keeps type checkers content

    def save_many(self, readings: Sequence[Reading], reader_version: str = __version__) -> list[bool]:
        """Store several readings in one transaction (faster than one each): all of them or none.

        Each reading is still whole or absent. Per reading: True stored, False already there
        (also a repeat inside ``readings``). On an error nothing is stored and it is raised:
        the caller may then save the readings one by one to learn which one fails.
        """
        results: list[bool] = []
        with Session(self._engine) as session, session.begin():
            for reading in readings:
                if session.get(DocumentRow, reading.article.id) is not None:
                    results.append(False)
                    continue
                _write(session, reading, reader_version)
                session.flush()  # the next reading's upserts must see this one's actors and places
                results.append(True)
        return results

    # ---- reading -------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with Session(self._engine) as session:
            return session.get(DocumentRow, document_id) is not None

    def stored_ids(self, document_ids: Iterable[str]) -> set[str]:
        """Which of these document ids are stored (one query per chunk)."""
        with Session(self._engine) as session:
            ids = sorted(set(document_ids))
            return set(_in_chunks(session, select(DocumentRow.id), DocumentRow.id, ids))

    def documents(self) -> list[Article]:
        """Stored articles, oldest publication first (undated last), then by id."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(DocumentRow).order_by(*_nulls_last(DocumentRow.published), DocumentRow.id)
            ).all()
            return [_article(r) for r in rows]

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
                article=_article(doc),
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

    def changes(self, place_ids: Sequence[str] | None = None) -> list[ControlChange]:
        """Control changes (all of them, or those of the given places), by place, date and id."""
        query = select(ControlChangeRow).order_by(
            ControlChangeRow.place_id, *_nulls_last(ControlChangeRow.date_start), ControlChangeRow.id
        )
        with Session(self._engine) as session:
            rows = _in_chunks(session, query, ControlChangeRow.place_id, place_ids)
            return change_rows_to_changes(rows, RowLookup(session))

    def holds(self, place_ids: Sequence[str] | None = None) -> list[Hold]:
        """Holds (all of them, or those of the given places), by place, date and id."""
        query = select(HoldRow).order_by(HoldRow.place_id, *_nulls_last(HoldRow.at_start), HoldRow.id)
        with Session(self._engine) as session:
            rows = _in_chunks(session, query, HoldRow.place_id, place_ids)
            return hold_rows_to_holds(rows, RowLookup(session))

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
            return [_place(r) for r in rows]

    def places_matching(self, name: str) -> list[Place]:
        """Places named ``name`` (case, accents and punctuation aside), or the place whose id it is."""
        with Session(self._engine) as session:
            by_id = session.get(PlaceRow, name.strip())
            if by_id is not None:
                return [_place(by_id)]
            key = name_key(name)
            if not key:
                return []
            rows = session.scalars(
                select(PlaceRow).where(PlaceRow.name_key == key).order_by(PlaceRow.id)
            ).all()
            return [_place(r) for r in rows]

    def places_by_id(self, ids: Sequence[str]) -> list[Place]:
        if not ids:
            return []
        with Session(self._engine) as session:
            rows = session.scalars(select(PlaceRow).where(PlaceRow.id.in_(list(ids))).order_by(PlaceRow.id)).all()
            return [_place(r) for r in rows]

    def actors_matching(self, text: str) -> list[Actor]:
        """Actors whose id (case-insensitive), name or an alias (as in name_key) is ``text``."""
        wanted_id = text.strip().casefold()
        key = name_key(text)
        with Session(self._engine) as session:
            # Aliases live in a JSON list, matched here rather than in (unportable) SQL;
            # the actor table stays small (hundreds of rows).
            rows = session.scalars(select(ActorRow).order_by(ActorRow.id)).all()
            return [
                _actor(r)
                for r in rows
                if r.id.casefold() == wanted_id
                or (key and any(name_key(n) == key for n in [r.name, *(r.aliases or [])]))
            ]


# ---- writing a reading ------------------------------------------------------------------


def _write(session: Session, reading: Reading, reader_version: str) -> None:
    article = reading.article
    doc_id = article.id
    session.add(
        DocumentRow(
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
    )
    _upsert_actors(session, _actors_of(reading))
    _upsert_places(session, _places_of(reading))
    session.flush()  # the document and its actors/places first: the facts refer to them
    for e in reading.events:
        session.add(
            EventRow(
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
            )
        )
    for c in reading.control:
        session.add(
            ControlChangeRow(
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
        )
    for h in reading.holds:
        session.add(
            HoldRow(
                document_id=doc_id,
                id=h.id,
                place_id=h.place.id,
                controller_id=h.controller.id,
                **_date_columns("at", h.at),
                **_evidence_columns(h.evidence),
                confidence=h.confidence,
            )
        )
    for r in reading.relations:
        session.add(
            RelationRow(
                document_id=doc_id,
                id=r.id,
                type=r.type,
                actor1_id=r.actor1.id,
                actor2_id=r.actor2.id,
                **_evidence_columns(r.evidence),
            )
        )


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
    return {row.id: row for row in _in_chunks(session, select(table), table.id, unique)}


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
        for row in _in_chunks(self._session, select(ActorRow), ActorRow.id, sorted(missing_a)):
            self._actors[row.id] = _actor(row)
        for prow in _in_chunks(self._session, select(PlaceRow), PlaceRow.id, sorted(missing_p)):
            self._places[prow.id] = _place(prow)

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
    return [
        Event(
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
        for r in rows
    ]


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


def _article(row: DocumentRow) -> Article:
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


def _actor(row: ActorRow) -> Actor:
    return Actor(row.id, row.name, tuple(row.aliases or ()), row.country, row.kind)


def _place(row: PlaceRow) -> Place:
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


def _nulls_last(column: Any) -> tuple[Any, Any]:
    """Order by column with NULLs last, in SQL every database understands."""
    return case((column.is_(None), 1), else_=0), column


def _in_chunks(session: Session, query: Any, column: Any, ids: Sequence[str] | None) -> list[Any]:
    if ids is None:
        return list(session.scalars(query))
    rows: list[Any] = []
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        rows += session.scalars(query.where(column.in_(ids[i : i + _CHUNK])))
    return rows

