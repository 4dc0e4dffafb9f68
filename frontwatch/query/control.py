"""Who controls what, when: the store's changes and holds run through the timeline engine.

Records keep the public keys "place", "controller", "since", "until", "status" and
"evidence" (never rename them); "basis", "sources" and "since_precision" come with them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pycountry

from frontwatch.query.places import find_places
from frontwatch.schema import ControlChange, Hold, Place
from frontwatch.store.repository import Store, name_key
from frontwatch.store.timeline import Interval, build_timeline, control_on

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
    store: Store, day: dt.date, country: str | None = None, bbox: BBox | None = None
) -> list[dict[str, Any]]:
    """Who controls each known place on ``day``: one record per place, more where reports disagree.

    ``country`` is an ISO 3166 code (alpha-3 or alpha-2) or a country name; ``bbox`` is
    (min_lon, min_lat, max_lon, max_lat) and leaves out places without coordinates.
    Sorted by place name.
    """
    wanted_country = normalize_country(country) if country else None
    places = [
        p
        for p in store.controlled_places()
        if (wanted_country is None or p.country == wanted_country) and (bbox is None or _inside(p, bbox))
    ]
    changes, holds = _facts_by_place(store, places)
    records: list[dict[str, Any]] = []
    for place in sorted(places, key=_place_order):
        timeline = build_timeline(place, changes[place.id], holds[place.id])
        records += [interval_to_json(i) for i in control_on(timeline, day)]
    return records


def place_timeline(store: Store, name_or_id: str) -> list[dict[str, Any]]:
    """For every place matching ``name_or_id``: its intervals in date order and the reports behind them."""
    places = sorted(find_places(store, name_or_id), key=_place_order)
    changes, holds = _facts_by_place(store, places)
    return [
        {
            "place": place.to_json(),
            "intervals": [
                interval_to_json(i) for i in build_timeline(place, changes[place.id], holds[place.id])
            ],
            "changes": [c.to_json() for c in changes[place.id]],
            "holds": [h.to_json() for h in holds[place.id]],
        }
        for place in places
    ]


def normalize_country(country: str) -> str:
    """ISO 3166-1 alpha-3 for a code or a name ("SY", "syr", "Syria" → "SYR"); unknown text upper-cased."""
    try:
        return str(pycountry.countries.lookup(country.strip()).alpha_3)
    except LookupError:
        return country.strip().upper()


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


def _inside(place: Place, bbox: BBox) -> bool:
    if place.lat is None or place.lon is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return min_lon <= place.lon <= max_lon and min_lat <= place.lat <= max_lat


def _place_order(place: Place) -> tuple[str, str]:
    return (name_key(place.name), place.id)
