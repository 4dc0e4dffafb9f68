"""Shared fixtures: the databases the store tests run against.

``db_url`` gives each test a fresh, empty database: a SQLite file, and a new database on the
PostgreSQL server named by $FRONTWATCH_TEST_PG_URL (scripts/test.sh starts one). Without that
server the PostgreSQL cases are skipped, except under CI=true, where they fail: CI must test both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from frontwatch.store.db import resolve_db_url

PG_ENV = "FRONTWATCH_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_server_url() -> str:
    """The test PostgreSQL server's URL; skips (or under CI fails) the test when there is none."""
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but ${PG_ENV} is not set: the PostgreSQL tests must run in CI (scripts/test.sh)")
    pytest.skip(f"no PostgreSQL server: set ${PG_ENV} (scripts/test.sh starts one)")


def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new empty database of ``backend``; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield resolve_db_url(str(tmp_path / "fw.db"))
        return
    server = make_url(pg_server_url())
    name = f"fw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(request.param, tmp_path)
