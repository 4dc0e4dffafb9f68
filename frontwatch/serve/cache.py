"""What the API keeps in memory between store changes: actors, places, the longest event span.

Everything here is rebuilt when the store's version (storeversion.py) moves, so a write by
this server, by `frontwatch ingest` or by another worker is seen by the next request.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from frontwatch.schema import Actor, Place
from frontwatch.serve.storeversion import StoreVersion
from frontwatch.store.repository import RowLookup, Store
from frontwatch.store.tables import ActorRow, EventRow, PlaceRow


@dataclass
class Snapshot:
    actors: dict[str, Actor]
    places: dict[str, Place]
    max_event_span: dt.timedelta  # the longest date range of a stored event (0 when all are single days)
    associated: dict[str, list[tuple[str, str]]]  # actor id → (document id, event id) naming it an associate


class StoreCache:
    def __init__(self, store: Store, version: StoreVersion) -> None:
        self._store = store
        self._version = version
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._built_for: object = None

    def snapshot(self) -> Snapshot:
        current = self._version.current()
        snapshot = self._snapshot
        if snapshot is not None and current == self._built_for:
            return snapshot
        with self._lock:
            if self._snapshot is None or current != self._built_for:
                self._snapshot = self._load()
                self._built_for = current
            return self._snapshot

    def lookup(self, session: Session) -> RowLookup:
        """A RowLookup that answers from memory (falls back to the database for rows added meanwhile)."""
        return _CachedLookup(session, self.snapshot())

    def _load(self) -> Snapshot:
        with Session(self._store.engine) as session:
            lookup = RowLookup(session)
            actor_ids = list(session.scalars(select(ActorRow.id)))
            place_ids = list(session.scalars(select(PlaceRow.id)))
            actors = {i: a for i, a in zip(actor_ids, lookup.actors(actor_ids), strict=True) if a is not None}
            places = {i: p for i, p in zip(place_ids, lookup.places(place_ids), strict=True) if p is not None}
            spans = session.execute(
                select(EventRow.date_start, EventRow.date_end).where(EventRow.date_end != EventRow.date_start)
            )
            longest = max((end - start for start, end in spans if start and end), default=dt.timedelta(0))
            associated: dict[str, list[tuple[str, str]]] = {}
            rows = session.execute(
                select(EventRow.document_id, EventRow.id, EventRow.associates).where(
                    cast(EventRow.associates, String) != "[]"
                )
            )
            for document_id, event_id, ids in rows:
                for actor_id in ids or ():
                    associated.setdefault(actor_id, []).append((document_id, event_id))
        return Snapshot(actors, places, longest, associated)


class _CachedLookup(RowLookup):
    def __init__(self, session: Session, snapshot: Snapshot) -> None:
        super().__init__(session)
        self._actors = snapshot.actors
        self._places = snapshot.places
        self._fresh = False

    def load(self, actor_ids: Iterable[str | None], place_ids: Iterable[str | None]) -> None:
        actor_ids, place_ids = list(actor_ids), list(place_ids)
        if any(i is not None and i not in self._actors for i in actor_ids) or any(
            i is not None and i not in self._places for i in place_ids
        ):
            if not self._fresh:  # never write into the shared snapshot
                self._actors, self._places, self._fresh = dict(self._actors), dict(self._places), True
            super().load(actor_ids, place_ids)

    def __repr__(self) -> str:
        return f"_CachedLookup({len(self._actors)} actors, {len(self._places)} places)"
