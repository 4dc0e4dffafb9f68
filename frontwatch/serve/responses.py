"""Answers kept until the store changes: the same GET (path and query) gets the same bytes.

Pages of events are read far more often than the store is written (analysts page through the
same filters; the map asks for the same days while replaying). Every entry belongs to one store
version (storeversion.py): a write anywhere empties the cache. Bounded in entries and bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from frontwatch.serve.storeversion import StoreVersion

MAX_ENTRIES = 1024
MAX_BYTES = 64 * 1024 * 1024


class ResponseCache:
    def __init__(self, version: StoreVersion) -> None:
        self._version = version
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._for: object = None

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        current = self._version.current()
        with self._lock:
            if current != self._for:
                self._entries.clear()
                self._bytes, self._for = 0, current
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
                return body
        body = make()
        with self._lock:
            if current == self._for and key not in self._entries and len(body) <= MAX_BYTES // 8:
                self._entries[key] = body
                self._bytes += len(body)
                while len(self._entries) > MAX_ENTRIES or self._bytes > MAX_BYTES:
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= len(dropped)
        return body
