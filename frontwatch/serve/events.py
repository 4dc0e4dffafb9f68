"""Event search for the API: every filter in SQL, one page at a time.

The store's ``Store.events`` (used by the CLI) loads every match; a web page needs a page of
them, sorted by an index, with the filters the CLI lacks (bbox, text, ACLED sub-type). Rows
become schema objects through the store's own converters, so the JSON is Event.to_json.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from frontwatch.extract.codes import acled_sub_event_types
from frontwatch.schema import EVENT_TYPES, STATUSES
from frontwatch.serve.cache import Snapshot, StoreCache
from frontwatch.store.repository import Store, event_rows_to_events
from frontwatch.store.tables import DocumentRow, EventRow, PlaceRow

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
MAX_LIMIT = 500


class FilterError(ValueError):
    """A filter value the API cannot use; the message names the parameter."""


@dataclass(frozen=True)
class EventFilters:
    place_ids: tuple[str, ...] | None = None  # resolved by the caller (names → ids)
    actor_ids: tuple[str, ...] | None = None
    type: str | None = None
    acled: str | None = None  # ACLED sub-event type
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: BBox | None = None
    text: str | None = None
    document: str | None = None

    def check(self) -> None:
        if self.type is not None and self.type not in EVENT_TYPES:
            raise FilterError(f"type: {self.type!r} is not one of {', '.join(EVENT_TYPES)}")
        if self.status is not None and self.status not in STATUSES:
            raise FilterError(f"status: {self.status!r} is not one of {', '.join(STATUSES)}")
        if self.acled is not None and self.acled not in acled_sub_event_types():
            raise FilterError(f"acled: {self.acled!r} is not one of {', '.join(acled_sub_event_types())}")
        if self.since and self.until and self.since > self.until:
            raise FilterError(f"since {self.since} is after until {self.until}")


def search_events(
    store: Store,
    cache: StoreCache,
    filters: EventFilters,
    limit: int = 50,
    offset: int = 0,
    order: Literal["asc", "desc"] = "asc",
) -> dict[str, Any]:
    """One page of events: ``{"events", "offset", "limit", "next_offset"}`` (next_offset None on the last page).

    Dated events by date start (oldest first for ``asc``), then id; undated events come last
    either way.
    """
    filters.check()
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"limit: {limit} is not between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise FilterError(f"offset: {offset} is negative")
    if (filters.place_ids is not None and not filters.place_ids) or (
        filters.actor_ids is not None and not filters.actor_ids
    ):
        return {"events": [], "offset": offset, "limit": limit, "next_offset": None}
    # Plain rows, not ORM objects: the store's converter only reads their columns by name, and
    # skipping the ORM's bookkeeping halves the time of a page.
    query = _filtered(select(EventRow.__table__), filters, cache.snapshot())
    # Dated rows first: one ORDER BY that an index on date_start serves, then the undated.
    direction = EventRow.date_start.asc() if order == "asc" else EventRow.date_start.desc()
    dated = query.where(EventRow.date_start.is_not(None)).order_by(direction, EventRow.id, EventRow.document_id)
    with Session(store.engine) as session:
        rows: list[Any] = list(session.execute(dated.offset(offset).limit(limit + 1)))
        if len(rows) <= limit:
            # The page reaches past the dated events: fill it with undated ones.
            n_dated = offset + len(rows) if rows else _count(session, dated)
            undated = query.where(EventRow.date_start.is_(None)).order_by(EventRow.id, EventRow.document_id)
            rows += session.execute(undated.offset(max(0, offset - n_dated)).limit(limit + 1 - len(rows)))
        more = len(rows) > limit
        events = event_rows_to_events(rows[:limit], cache.lookup(session))
    records = [with_acled(e.to_json()) for e in events]
    return {
        "events": records,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if more else None,
    }


def event_by_id(store: Store, cache: StoreCache, event_id: str) -> dict[str, Any] | None:
    """An event with its ACLED codes and the document it was read in (None when unknown)."""
    with Session(store.engine) as session:
        row = session.scalars(select(EventRow).where(EventRow.id == event_id).limit(1)).first()
        if row is None:
            return None
        event = event_rows_to_events([row], cache.lookup(session))[0]
        doc = session.get(DocumentRow, row.document_id)
        record = with_acled(event.to_json())
        record["document"] = _document_summary(doc) if doc is not None else None
    return record


def with_acled(record: dict[str, Any]) -> dict[str, Any]:
    """The event's ACLED codes again under ``acled``, the key this API has always given them."""
    record["acled"] = {"event_type": record["acled_event_type"], "sub_event_type": record["acled_sub_event_type"]}
    return record


def _document_summary(doc: DocumentRow) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "url": doc.url,
        "site": doc.site,
    }


def _filtered(query: Any, f: EventFilters, snapshot: Snapshot) -> Any:
    max_span = snapshot.max_event_span
    if f.place_ids is not None:
        query = query.where(EventRow.place_id.in_(list(f.place_ids)))
    if f.actor_ids is not None:
        ids = list(f.actor_ids)
        # associates are a JSON list: the events naming an actor there are known from memory
        keys = [key for i in ids for key in snapshot.associated.get(i, ())]
        either = [EventRow.actor1_id.in_(ids), EventRow.actor2_id.in_(ids)]
        if keys:
            either.append(tuple_(EventRow.document_id, EventRow.id).in_(keys))
        query = query.where(or_(*either))
    if f.type is not None:
        query = query.where(EventRow.type == f.type)
    if f.status is not None:
        query = query.where(EventRow.status == f.status)
    if f.document is not None:
        query = query.where(EventRow.document_id == f.document)
    if f.since is not None:
        query = query.where(func.coalesce(EventRow.date_end, EventRow.date_start) >= f.since)
        # implied by the line above (no stored range is longer than max_span), and an index can use it
        lowest = f.since - max_span if f.since - dt.date.min > max_span else dt.date.min
        query = query.where(EventRow.date_start >= lowest)
    if f.until is not None:
        query = query.where(EventRow.date_start <= f.until)
    if f.text:
        query = query.where(
            or_(
                EventRow.evidence_sentence.ilike(_like(f.text), escape="\\"),
                EventRow.trigger.ilike(_like(f.text), escape="\\"),
            )
        )
    if f.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        inside = select(PlaceRow.id).where(
            and_(PlaceRow.lon.between(min_lon, max_lon), PlaceRow.lat.between(min_lat, max_lat))
        )
        query = query.where(EventRow.place_id.in_(inside))
    if f.acled is not None:  # stored when the event was saved; ix_events_acled_date serves it
        query = query.where(EventRow.acled_sub_event_type == f.acled)
    return query


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _count(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def parse_bbox(value: str) -> BBox:
    """``min_lon,min_lat,max_lon,max_lat`` → a tuple; FilterError when it is not that."""
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or parts[0] > parts[2] or parts[1] > parts[3]:
        raise FilterError(f"bbox: {value!r} is not min_lon,min_lat,max_lon,max_lat")
    return parts  # type: ignore[return-value]
