"""Where the store lives and how it is opened.

A database is named by a SQLAlchemy URL (``sqlite:///x.db``, ``postgresql+psycopg://…``)
or by a plain file path, which means a SQLite file. Opening a store brings its tables up to
date with the migrations in frontwatch/store/migrations (Alembic), the same on SQLite and
PostgreSQL, then checks the schema version: a database that a newer frontwatch has migrated
further, or whose data format this version does not read, is refused rather than touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, inspect, select, text, tuple_, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from frontwatch.store import intervals, migrations
from frontwatch.store.repository import Store
from frontwatch.store.rows import RowLookup, event_rows_to_events
from frontwatch.store.tables import EVENT_CODE_COLUMNS, SCHEMA_VERSION, DocumentRow, EventRow, MetaRow

ENV_VAR = "FRONTWATCH_DB"
DEFAULT_URL = "sqlite:///frontwatch.db"


class StoreError(Exception):
    """The database cannot be used; the message is one line and names the URL."""


def resolve_db_url(value: str | None) -> str:
    """The URL to open: ``value``, else ``$FRONTWATCH_DB``, else ``frontwatch.db`` in the working directory.

    A value without ``://`` is a SQLite file path.
    """
    chosen = value or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" in chosen:
        return chosen
    return "sqlite:///" + str(Path(chosen).expanduser())


def open_store(url: str) -> Store:
    """Open (and create when needed) the store at ``url``; raise StoreError when it can't be used."""
    shown = _display(url)
    try:
        engine = _engine(url)
    except ImportError as exc:
        raise StoreError(f"no database driver installed for {shown}: {_one_line(exc)}") from exc
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"invalid database URL {shown}: {_one_line(exc)}") from exc
    try:
        with engine.begin() as connection:
            _migrate(connection, shown)
        _check_version(engine, shown)
        _bring_up_to_date(engine)
    except (SQLAlchemyError, CommandError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {shown}: {_one_line(exc)}") from exc
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    # Address space, not memory (pages stay the OS's cache). Asked for 8 GiB, SQLite maps up to its
    # build's limit (2 GiB here): a store bigger than the map reads the rest through the page cache,
    # slower (1M events = 1.3 GB; 1 GiB mapped put --country p95 at 35-63 ms, 2 GiB at 23-28 ms).
    "PRAGMA mmap_size=8589934592",
    "PRAGMA cache_size=-65536",  # 64 MiB per connection (negative: KiB)
)


def _engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        # SQLite leaves foreign keys unchecked unless asked, on every connection; and reads a large
        # store faster through a memory map and a larger page cache than its defaults (no map, 2 MB):
        # control --at over a country of a 1 GB store reads a few thousand scattered pages.
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()

    return engine


# Any fixed number: PostgreSQL serialises concurrent migrations of one database on this lock.
_MIGRATION_LOCK = 0x66776D67  # "fwmg"
_FIRST_REVISION = "0001"  # the tables as Base.metadata.create_all made them before migrations


def _migrate(connection: Connection, shown: str) -> None:
    """Upgrade the database to this frontwatch's newest revision, in one transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    revision = migrations.current(connection)
    if revision is None and inspect(connection).has_table(DocumentRow.__tablename__):
        # Written by frontwatch before migrations existed: its tables are the first revision.
        migrations.stamp(connection, _FIRST_REVISION)
        revision = _FIRST_REVISION
    if revision is not None and not migrations.known(revision):
        raise StoreError(
            f"database {shown} is at schema revision {revision}, which this frontwatch does not know "
            f"(it knows up to {migrations.head()}): it was written by a newer frontwatch"
        )
    migrations.upgrade(connection)


def _check_version(engine: Engine, shown: str) -> None:
    with Session(engine) as session, session.begin():
        row = session.scalar(select(MetaRow).where(MetaRow.key == "schema_version"))
        if row is None:
            session.add(MetaRow(key="schema_version", value=SCHEMA_VERSION))
            return
        while row.value != SCHEMA_VERSION:
            if row.value not in _UPGRADES:
                raise StoreError(
                    f"database {shown} has schema version {row.value}; "
                    f"this frontwatch reads version {SCHEMA_VERSION}"
                )
            next_version, upgrade = _UPGRADES[row.value]
            upgrade(session)
            row.value = next_version


def fill_event_codes(session: Session) -> int:
    """Compute and store the codes of every event row that has none; return how many got some.

    For rows written without the save path (an upgraded store, a bulk insert); Store.save codes its own.
    """
    table = EventRow.__table__
    uncoded = select(table).where(*(table.c[name].is_(None) for name in EVENT_CODE_COLUMNS))
    uncoded = uncoded.order_by(table.c.document_id, table.c.id).limit(_UPGRADE_CHUNK)
    set_codes = (
        update(table)
        .where(table.c.document_id == bindparam("doc"), table.c.id == bindparam("eid"))
        .values({name: bindparam(name) for name in EVENT_CODE_COLUMNS})
    )
    lookup = RowLookup(session)
    last: tuple[str, str] | None = None
    filled = 0
    while True:
        query = uncoded if last is None else uncoded.where(tuple_(table.c.document_id, table.c.id) > last)
        rows = list(session.execute(query))
        if not rows:
            return filled
        params = [
            {"doc": r.document_id, "eid": r.id, **{name: getattr(e, name) for name in EVENT_CODE_COLUMNS}}
            for r, e in zip(rows, event_rows_to_events(rows, lookup), strict=True)
        ]
        coded = [p for p in params if any(p[name] for name in EVENT_CODE_COLUMNS)]
        if coded:
            session.execute(set_codes, coded)
            filled += len(coded)
        last = (rows[-1].document_id, rows[-1].id)


_UPGRADE_CHUNK = 2000  # event rows coded per query when a store is upgraded

# schema version → (the version it becomes, the step that gets it there)
# Data upgrades; the tables themselves come from the migrations (1 → 2: migration 0003 added the code
# columns, then the events already stored get their codes; safe to run again after an interruption).
_UPGRADES: dict[str, tuple[str, Callable[[Session], object]]] = {
    "1": ("2", fill_event_codes),
}


def _bring_up_to_date(engine: Engine) -> None:
    """The stored timelines, rebuilt when they were built by other rules (tables come from the migrations)."""
    with Session(engine) as session, session.begin():
        intervals.ensure_current(session)


def _display(url: str) -> str:
    """The URL as it may be shown in a message: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def _one_line(exc: BaseException) -> str:
    # SQLAlchemy's messages carry the SQL and a help link on further lines.
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
