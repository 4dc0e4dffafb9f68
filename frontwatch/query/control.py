"""Who controls what, when: the store's changes and holds run through the timeline engine.

Records keep the public keys "place", "controller", "since", "until", "status" and
"evidence" (never rename them); "basis", "sources" and "since_precision" come with them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pycountry

from frontwatch.query.places import admin1_matcher, find_places
from frontwatch.schema import ControlChange, Hold, Place
from frontwatch.store.repository import Store, name_key
from frontwatch.store.timeline import Interval

BBox = tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat), as in GeoJSON


def interval_to_json(interval: Interval) -> dict[str, Any]:
    return {
        "place": interval.place.to_json(),
        "controller": interval.controller.to_json(),
        "since": interval.since.isoformat() if interval.since else None,
        "until": interval.until.isoformat() if interval.until else None,
        "since_precision": interval.since_precision,
        "status": interval.status,
        "basis": interval.basis,
        "sources": interval.sources,
        "evidence": [e.to_json() for e in interval.evidence],
    }


def control_at(
    store: Store,
    day: dt.date,
    country: str | None = None,
    bbox: BBox | None = None,
    within: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: str | None = None,
) -> list[dict[str, Any]]:
    """Who controls each known place on ``day``: one record per place, more where reports disagree.

    ``country`` is an ISO 3166 code (alpha-3 or alpha-2) or a country name; ``bbox`` is
    (min_lon, min_lat, max_lon, max_lat) and leaves out places without coordinates;
    ``within`` is a place name: that place and the places inside it (see ``places_within``).
    Sorted by place name; ``limit`` and ``offset`` give one page of that list (a large store);
    ``after`` (a place id, the last record's of the previous page; "" for the first page) starts
    the page after that place: paging by key, as fast for the last page as for the first. Such a
    page ends with whole places, so no record is lost between two pages.
    The records are those of ``interval_to_json``, read without building Interval objects.
    """
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError(f"limit and offset must not be negative (limit {limit}, offset {offset})")
    place_ids = [p.id for p in places_within(store, within)] if within is not None else None
    if place_ids is not None and not place_ids:
        return []
    wanted_country = normalize_country(country) if country else None
    return store.control_records_on(
        day, place_ids=place_ids, country=wanted_country, bbox=bbox, limit=limit, offset=offset, after=after
    )


def iter_control_at(
    store: Store,
    day: dt.date,
    country: str | None = None,
    bbox: BBox | None = None,
    within: str | None = None,
) -> Iterator[Interval]:
    """control_at's intervals, streamed from the stored timelines (for exports of a large store)."""
    place_ids = [p.id for p in places_within(store, within)] if within is not None else None
    if place_ids is not None and not place_ids:
        return iter(())
    wanted_country = normalize_country(country) if country else None
    return store.control_on(day, place_ids=place_ids, country=wanted_country, bbox=bbox)


def place_timeline(store: Store, name_or_id: str) -> list[dict[str, Any]]:
    """For every place matching ``name_or_id``: its intervals in date order and the reports behind them.

    A place that contains other stored places (a province, a city with districts) also lists
    them under "contains": their names and ids, to be asked for in turn.
    """
    places = sorted(find_places(store, name_or_id), key=_place_order)
    changes, holds = _facts_by_place(store, places)
    return [
        {
            "place": place.to_json(),
            "intervals": [interval_to_json(i) for i in store.timeline(place.id)],
            "changes": [c.to_json() for c in changes[place.id]],
            "holds": [h.to_json() for h in holds[place.id]],
            "contains": [
                p.to_json()
                for p in store.places_inside(place, admin1_matcher(place) if place.kind == "admin1" else None)
                if p.id != place.id
            ],
        }
        for place in places
    ]


def places_within(store: Store, name_or_id: str) -> list[Place]:
    """The places matching ``name_or_id`` and every stored place inside them (see Store.places_inside)."""
    found: dict[str, Place] = {}
    outers = find_places(store, name_or_id)
    country = _country_code(name_or_id)
    if country is not None:  # a country need not be stored as a place to hold places
        outers.append(Place(f"country:{country}", name_or_id, kind="country", country=country, geo_precision=3))
    for place in outers:
        if not place.id.startswith("country:"):
            found.setdefault(place.id, place)
        for inner in store.places_inside(place, admin1_matcher(place) if place.kind == "admin1" else None):
            found.setdefault(inner.id, inner)
    return sorted(found.values(), key=_place_order)


def normalize_country(country: str) -> str:
    """ISO 3166-1 alpha-3 for a code or a name ("SY", "syr", "Syria" → "SYR"); unknown text upper-cased."""
    try:
        return str(pycountry.countries.lookup(country.strip()).alpha_3)
    except LookupError:
        return country.strip().upper()


def _country_code(name: str) -> str | None:
    """ISO alpha-3 when ``name`` is a country's name or code, else None."""
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_3)
    except LookupError:
        return None


def _facts_by_place(
    store: Store, places: list[Place]
) -> tuple[defaultdict[str, list[ControlChange]], defaultdict[str, list[Hold]]]:
    ids = [p.id for p in places]
    changes: defaultdict[str, list[ControlChange]] = defaultdict(list)
    holds: defaultdict[str, list[Hold]] = defaultdict(list)
    for c in store.changes(ids):
        changes[c.place.id].append(c)
    for h in store.holds(ids):
        holds[h.place.id].append(h)
    return changes, holds


def _place_order(place: Place) -> tuple[str, str]:
    return (name_key(place.name), place.id)
