"""Find stored places by any name people use for them, not only the gazetteer's spelling."""

from __future__ import annotations

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
