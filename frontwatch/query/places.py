"""Find stored places by any name people use for them, not only the gazetteer's spelling."""

from __future__ import annotations

import functools
from collections.abc import Callable

from frontwatch.schema import Place
from frontwatch.store.repository import Store


def find_places(store: Store, name: str) -> list[Place]:
    """Stored places named ``name`` or with that id, and the stored places the gazetteer knows by
    that name ("Wad Madani" finds the place stored as "Wad Medani"; "Kiev" finds "Kyiv")."""
    from frontwatch.resolve.gazetteer import get_gazetteer

    found = {p.id: p for p in store.places_matching(name)}
    ids = [f"gn:{entry.geonameid}" for entry in get_gazetteer().lookup(name) if entry.geonameid is not None]
    ids += [entry.key for entry in get_gazetteer().lookup(name) if entry.key]
    for place in store.places_by_id(ids):
        found.setdefault(place.id, place)
    return list(found.values())


def admin1_matcher(province: Place) -> Callable[[str], bool]:
    """Whether a first-level division's name, as a place record spells it, names ``province``:
    the gazetteer knows "Ninawa" and "Nineveh" as one governorate (by GeoNames id)."""
    from frontwatch.resolve.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    ids = {e.geonameid for e in gazetteer.lookup(province.name) if e.kind == "admin1" and e.geonameid is not None}
    if province.geonameid is not None:
        ids.add(province.geonameid)

    @functools.cache
    def matches(admin1: str) -> bool:
        return any(e.kind == "admin1" and e.geonameid in ids for e in gazetteer.lookup(admin1)) if admin1 else False

    return matches
