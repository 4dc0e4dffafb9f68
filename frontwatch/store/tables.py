"""The database tables (SQLAlchemy 2 declarative).

Portable types only (String, Text, Date, Float, Integer, Boolean, JSON): the same tables
must work on SQLite and PostgreSQL. Facts (events, control changes, holds, relations) are
keyed by (document_id, id): the extractor's ids only need to be unique inside one
document. Every date range is kept whole (start, end, precision, basis, timex) and every
piece of evidence too, so a stored reading comes back exactly as it was saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Bump when the tables change; open_store upgrades a database of an older version it knows how to
# (store/db.py, _UPGRADES) and refuses any other.
#   1  the first tables
#   2  events carry their ACLED, PLOVER and CAMEO codes (five columns, index ix_events_acled_date)
SCHEMA_VERSION = "2"

ID = String(200)  # ids are short ("doc-…", "gn:172955", "act:isis"), but leave room
DOC_ID = String(64)


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Key/value facts about the database itself (schema_version)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(DOC_ID, primary_key=True)  # Article.id, a content hash
    external_id: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[dt.date | None] = mapped_column(Date)
    published_basis: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    reader_version: Mapped[str | None] = mapped_column(String(40))
    # Ids of Reading.actors / Reading.places, so that a reading can be rebuilt whole.
    actor_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class ActorRow(Base):
    __tablename__ = "actors"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    country: Mapped[str | None] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(40), default="unknown")


class PlaceRow(Base):
    __tablename__ = "places"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # name folded by repository.name_key (no case, accents or punctuation): portable lookups
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    geonameid: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(40), default="unknown")
    geo_precision: Mapped[int] = mapped_column(Integer, default=1)
    admin1: Mapped[str | None] = mapped_column(String(300))

    # --bbox queries select places by latitude first
    # ix_places_name_order: control --at lists places in this order; with it SQLite walks the places
    # in order and seeks each one's intervals, instead of reading every interval and sorting.
    # ix_places_country_name_order: the same within one country (control --at --country), and any
    # lookup by country.
    __table_args__ = (
        Index("ix_places_lat_lon", "lat", "lon"),
        Index("ix_places_name_order", "name_key", "id"),
        Index("ix_places_country_name_order", "country", "name_key", "id"),
    )


class _Evidence:
    """Evidence columns shared by every fact table.

    evidence_document is normally the row's document_id; it is kept so that evidence
    comes back exactly as the extractor wrote it.
    """

    evidence_document: Mapped[str] = mapped_column(DOC_ID)
    evidence_sentence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)


def _doc_fk() -> Any:
    return mapped_column(DOC_ID, ForeignKey("documents.id"), primary_key=True, index=True)


def _actor_fk(nullable: bool = True) -> Any:
    return mapped_column(ID, ForeignKey("actors.id"), nullable=nullable)


class EventRow(_Evidence, Base):
    __tablename__ = "events"
    document_id: Mapped[str] = _doc_fk()
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    actor1_id: Mapped[str | None] = _actor_fk()
    actor2_id: Mapped[str | None] = _actor_fk()
    associates: Mapped[list[str]] = mapped_column(JSON, default=list)  # actor ids
    place_id: Mapped[str | None] = mapped_column(ID, ForeignKey("places.id"), index=True)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(12))
    date_basis: Mapped[str] = mapped_column(String(12))
    date_timex: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), index=True)
    quantity: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source_id: Mapped[str | None] = _actor_fk()
    confidence: Mapped[float] = mapped_column(Float)
    trigger: Mapped[str] = mapped_column(Text, default="")
    # The event's codes (extract/codes.py), computed when it is saved so that GET /events?acled=...
    # is an indexed lookup. All five NULL: a row saved before they were stored, or an event that
    # gets no code (planned, negated, a figure); rows.py computes them again on load for those.
    acled_event_type: Mapped[str | None] = mapped_column(String(60))
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(60))
    plover_type: Mapped[str | None] = mapped_column(String(40))
    plover_mode: Mapped[str | None] = mapped_column(String(40))
    cameo: Mapped[str | None] = mapped_column(String(10))

    # A page of GET /events in date order under its common filters reads the index, instead of
    # sorting every match (frontwatch/serve/events.py).
    __table_args__ = (
        Index("ix_events_type_date", "type", "date_start"),
        Index("ix_events_status_date", "status", "date_start"),
        Index("ix_events_place_date", "place_id", "date_start"),
        Index("ix_events_actor1_date", "actor1_id", "date_start"),
        Index("ix_events_actor2_date", "actor2_id", "date_start"),
        Index("ix_events_acled_date", "acled_sub_event_type", "date_start"),
    )


# The five codes, in Event's order: the columns above and the Event fields of the same names.
EVENT_CODE_COLUMNS = ("acled_event_type", "acled_sub_event_type", "plover_type", "plover_mode", "cameo")


class ControlChangeRow(_Evidence, Base):
    __tablename__ = "control_changes"
    document_id: Mapped[str] = _doc_fk()
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    event_id: Mapped[str | None] = mapped_column(ID)
    place_id: Mapped[str] = mapped_column(ID, ForeignKey("places.id"), index=True)
    controller_id: Mapped[str] = _actor_fk(nullable=False)
    previous_id: Mapped[str | None] = _actor_fk()
    previous_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(12))
    date_basis: Mapped[str] = mapped_column(String(12))
    date_timex: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    confidence: Mapped[float] = mapped_column(Float)


class HoldRow(_Evidence, Base):
    __tablename__ = "holds"
    document_id: Mapped[str] = _doc_fk()
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    place_id: Mapped[str] = mapped_column(ID, ForeignKey("places.id"), index=True)
    controller_id: Mapped[str] = _actor_fk(nullable=False)
    at_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    at_end: Mapped[dt.date | None] = mapped_column(Date)
    at_precision: Mapped[str] = mapped_column(String(12))
    at_basis: Mapped[str] = mapped_column(String(12))
    at_timex: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)


class RelationRow(_Evidence, Base):
    __tablename__ = "relations"
    document_id: Mapped[str] = _doc_fk()
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    actor1_id: Mapped[str] = _actor_fk(nullable=False)
    actor2_id: Mapped[str] = _actor_fk(nullable=False)


class ControlIntervalRow(Base):
    """The control timeline of each place, as frontwatch.store.timeline builds it from the facts above.

    Derived data: rebuilt for the places an article touches when it is saved (and for every
    place when the timeline rules change: see frontwatch.store.intervals.TIMELINE_VERSION), so
    that ``control --at`` is one indexed query instead of a timeline build per place.
    ``seq`` is the interval's position in the place's timeline.
    """

    __tablename__ = "control_intervals"
    place_id: Mapped[str] = mapped_column(ID, ForeignKey("places.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    controller_id: Mapped[str] = _actor_fk(nullable=False)
    since: Mapped[dt.date] = mapped_column(Date)  # open bounds: see intervals._OPEN_START/_OPEN_END
    until: Mapped[dt.date] = mapped_column(Date)
    since_precision: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    basis: Mapped[str] = mapped_column(String(12))
    sources: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    # covers the day filter of control --at (only the matching rows are read) and its order within a
    # place: a page of control --at is found in this index alone, then only its rows are read
    __table_args__ = (Index("ix_control_intervals_day_order", "place_id", "since", "until", "status", "seq"),)
