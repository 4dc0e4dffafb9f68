"""Listing stored events with filters; returns the Event.to_json contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frontwatch.query.places import find_places
from frontwatch.schema import EVENT_TYPES, STATUSES
from frontwatch.store.repository import Store


def list_events(
    store: Store,
    place: str | None = None,
    actor: str | None = None,
    type: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events as JSON-able dicts, by date start (undated last), then id.

    ``place`` is a place name (case, accents and punctuation aside) or id; ``actor`` an
    actor id, name or alias (case-insensitive), matching actor1, actor2 or an associate.
    ``since``/``until`` keep events whose date range overlaps them. An unknown ``type``
    or ``status`` raises ValueError.
    """
    _check("type", type, EVENT_TYPES)
    _check("status", status, STATUSES)
    place_ids = [p.id for p in find_places(store, place)] if place is not None else None
    actor_ids = [a.id for a in store.actors_matching(actor)] if actor is not None else None
    if (place_ids is not None and not place_ids) or (actor_ids is not None and not actor_ids):
        return []
    events = store.events(
        place_ids=place_ids,
        actor_ids=actor_ids,
        type=type,
        status=status,
        since=since,
        until=until,
        limit=limit,
    )
    return [e.to_json() for e in events]


def _check(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"unknown event {name} {value!r}; expected one of: {', '.join(allowed)}")
