"""Has the store changed since we last looked? Cheap enough to ask on every request.

SQLite answers with ``PRAGMA data_version`` on a connection of our own: the value moves
whenever another connection (this server's writes, ``frontwatch ingest``, another worker)
commits. Other databases: the number of stored documents (the store only ever adds them).
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontwatch.store.repository import Store
from frontwatch.store.tables import DocumentRow


class StoreVersion:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        url = store.engine.url
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            self._sqlite = sqlite3.connect(url.database, check_same_thread=False)

    def current(self) -> object:
        if self._sqlite is not None:
            with self._lock:
                return self._sqlite.execute("PRAGMA data_version").fetchone()[0]
        with Session(self._store.engine) as session:
            return session.scalar(select(func.count()).select_from(DocumentRow))

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
