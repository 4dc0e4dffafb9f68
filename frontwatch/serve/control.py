"""Control of every place on a day, as GeoJSON, served from timelines read once per store state.

The store keeps every place's timeline (frontwatch.store.intervals, the same as ``frontwatch
control``); they are read once and read again when the store changes. A place's
feature only changes where one of its intervals starts or ends, so each place's timeline is cut
into segments whose feature is serialised once; a day's answer joins, for each place, the
feature of the segment holding that day. Whole answers are also kept for the most recently asked
stretches of days (between two boundaries of any place the answer cannot differ).
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson

from frontwatch.query.control import interval_to_json
from frontwatch.schema import Place
from frontwatch.serve.storeversion import StoreVersion
from frontwatch.store.repository import Store, name_key
from frontwatch.store.timeline import Interval, control_on

BBox = tuple[float, float, float, float]
_SNAPSHOTS = 256  # whole answers kept per store state
_DAY = dt.timedelta(days=1)


@dataclass
class Segments:
    """A place's features by day: ``features[k]`` holds from ``starts[k]`` to the next start (None: nothing)."""

    starts: list[dt.date]
    features: list[bytes | None]
    before: bytes | None  # the feature before the first start (intervals open to the past)

    def at(self, day: dt.date) -> bytes | None:
        k = bisect.bisect_right(self.starts, day) - 1
        return self.before if k < 0 else self.features[k]


@dataclass
class Timelines:
    places: dict[str, Place]
    order: list[str]  # place ids by name, the order of the features
    intervals: dict[str, list[Interval]]  # place id → its timeline, in date order
    segments: dict[str, Segments]
    boundaries: list[dt.date]  # every place's segment starts
    first: dt.date | None  # the earliest and latest day a stored report gives
    last: dt.date | None


def build_timelines(store: Store) -> Timelines:
    # The store keeps every place's timeline, built by the timeline engine when its reports were
    # written (frontwatch.store.intervals): read them rather than rebuilding them here.
    places = {p.id: p for p in store.controlled_places()}
    stored = store.timelines()
    intervals = {pid: stored.get(pid, []) for pid in places}
    segments = {pid: _segments(places[pid], timeline) for pid, timeline in intervals.items()}
    first, last = store.report_span()
    return Timelines(
        places=places,
        order=sorted(places, key=lambda pid: (name_key(places[pid].name), pid)),
        intervals=intervals,
        segments=segments,
        boundaries=sorted({d for s in segments.values() for d in s.starts}),
        first=first,
        last=last,
    )


def _segments(place: Place, timeline: list[Interval]) -> Segments:
    cuts = sorted(
        {i.since for i in timeline if i.since is not None}
        | {i.until + _DAY for i in timeline if i.until is not None and i.until < dt.date.max}
    )

    def feature(day: dt.date) -> bytes | None:
        here = control_on(timeline, day)
        return orjson.dumps(_feature(place, here)) if here else None

    before = feature(cuts[0] - _DAY) if cuts and cuts[0] > dt.date.min else None
    if not cuts:  # intervals open at both ends, or none
        before = feature(dt.date(2000, 1, 1)) if timeline else None  # any day gives the same answer
    return Segments(starts=cuts, features=[feature(d) for d in cuts], before=before)


class ControlService:
    """Thread-safe: timelines are rebuilt (once) when the store's version moves."""

    def __init__(self, store: Store, version: StoreVersion) -> None:
        self._store = store
        self._version = version
        self._lock = threading.Lock()
        self._built_for: object = None
        self._timelines: Timelines | None = None
        self._snapshots: OrderedDict[tuple[int, str | None, BBox | None], bytes] = OrderedDict()

    def timelines(self) -> Timelines:
        current = self._version.current()
        timelines = self._timelines
        if timelines is not None and current == self._built_for:
            return timelines
        with self._lock:
            if self._timelines is None or current != self._built_for:
                self._timelines = build_timelines(self._store)
                self._snapshots.clear()
                self._built_for = current
            return self._timelines

    def geojson_at(self, day: dt.date, country: str | None = None, bbox: BBox | None = None) -> bytes:
        """The GeoJSON FeatureCollection of control on ``day`` (serialised): one feature per place."""
        timelines = self.timelines()
        key = (bisect.bisect_right(timelines.boundaries, day), country, bbox)
        with self._lock:
            features = self._snapshots.get(key) if self._timelines is timelines else None
            if features is not None:
                self._snapshots.move_to_end(key)
        if features is None:
            features = b"[" + b",".join(_features(timelines, day, country, bbox)) + b"]"
            with self._lock:
                if self._timelines is timelines:
                    self._snapshots[key] = features
                    while len(self._snapshots) > _SNAPSHOTS:
                        self._snapshots.popitem(last=False)
        return b'{"type":"FeatureCollection","at":"%s","features":%s}' % (day.isoformat().encode(), features)


def _features(timelines: Timelines, day: dt.date, country: str | None, bbox: BBox | None) -> list[bytes]:
    found = []
    for pid in timelines.order:
        place = timelines.places[pid]
        if (country is not None and place.country != country) or (bbox is not None and not _inside(place, bbox)):
            continue
        feature = timelines.segments[pid].at(day)
        if feature is not None:
            found.append(feature)
    return found


def _feature(place: Place, here: list[Interval]) -> dict[str, Any]:
    """One feature per place: the confirmed holder (else the first report) and the contested rest."""
    main = next((i for i in here if i.status == "confirmed"), here[0])
    record = interval_to_json(main)
    geometry = (
        {"type": "Point", "coordinates": [place.lon, place.lat]}
        if place.lat is not None and place.lon is not None
        else None
    )
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": geometry,
        "properties": {
            "place": _brief(record["place"], _PLACE_KEYS),
            "controller": _brief(record["controller"], _ACTOR_KEYS),
            "since": record["since"],
            "until": record["until"],
            "since_precision": record["since_precision"],
            "status": record["status"],
            "basis": record["basis"],
            "sources": record["sources"],
            "evidence_count": len(record["evidence"]),
            "contested": [
                {
                    "controller": _brief(r["controller"], _ACTOR_KEYS),
                    "since": r["since"],
                    "until": r["until"],
                    "status": r["status"],
                    "evidence_count": len(r["evidence"]),
                }
                for r in (interval_to_json(i) for i in here if i is not main)
            ],
        },
    }


# A map needs names, not every alias: features stay small (GET /places/{id}/timeline has it all).
_PLACE_KEYS = ("id", "name", "country")
_ACTOR_KEYS = ("id", "name", "kind")


def _brief(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: record[k] for k in keys}


def _inside(place: Place, bbox: BBox) -> bool:
    if place.lat is None or place.lon is None:
        return False
    return bbox[0] <= place.lon <= bbox[2] and bbox[1] <= place.lat <= bbox[3]


def timeline_json(timelines: Timelines, place_id: str) -> list[dict[str, Any]]:
    return [interval_to_json(i) for i in timelines.intervals.get(place_id, [])]
