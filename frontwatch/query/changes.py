"""Changes of control in a period, each fused from all the reports of it (frontwatch.store.fusion)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frontwatch.query.control import normalize_country, places_within
from frontwatch.store.fusion import FusedChange, fuse_changes
from frontwatch.store.repository import Store
from frontwatch.store.timeline import FUSE_DAYS

_MARGIN = dt.timedelta(days=FUSE_DAYS)


def fused_changes(
    store: Store,
    since: dt.date | None = None,
    until: dt.date | None = None,
    place: str | None = None,
    country: str | None = None,
    status: str | None = None,
) -> list[FusedChange]:
    """Fused changes whose date range overlaps [since, until], by date.

    Reports just outside the period are read too (FUSE_DAYS either side), so that a change
    on its edge is fused from all its reports. ``place`` is a place name or id and takes the
    places inside it too; ``country`` an ISO code or name; ``status`` the fused status.
    """
    if since is not None and until is not None and since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    place_ids = [p.id for p in places_within(store, place)] if place is not None else None
    if place_ids is not None and not place_ids:
        return []
    reports = store.changes(
        place_ids,
        since=since - _MARGIN if since is not None else None,
        until=until + _MARGIN if until is not None else None,
    )
    wanted_country = normalize_country(country) if country else None
    if wanted_country is not None:
        reports = [r for r in reports if r.place.country == wanted_country]
    fused = fuse_changes(reports)
    return [f for f in fused if _overlaps(f, since, until) and (status is None or f.status == status)]


def changes_json(store: Store, **filters: Any) -> list[dict[str, Any]]:
    return [f.to_json() for f in fused_changes(store, **filters)]


def _overlaps(f: FusedChange, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    if f.start is None or f.end is None:
        return False
    return (since is None or f.end >= since) and (until is None or f.start <= until)
