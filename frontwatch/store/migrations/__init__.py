"""Schema migrations (Alembic) for every database frontwatch supports.

``open_store`` upgrades each database it opens to :func:`head`; nobody runs ``alembic`` by
hand. When the tables in frontwatch/store/tables.py change, generate a revision with

    .venv/bin/python -m frontwatch.store.migrations revision -m "what changed"

(it builds a throwaway SQLite database at the current head and lets Alembic compare it with
the models), read and tidy the file it writes under versions/, and bump SCHEMA_VERSION in
tables.py only when older frontwatch versions can no longer read the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from frontwatch.store.tables import Base

HERE = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"


def config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for these migrations, bound to ``connection`` (or ``url``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision this frontwatch knows."""
    found = scripts().get_current_head()
    if found is None:  # only if versions/ were emptied
        raise RuntimeError(f"no migrations in {HERE / 'versions'}")
    return found


def known(revision: str) -> bool:
    """Whether ``revision`` is one of ours (a database written by a newer frontwatch has one we lack)."""
    return any(s.revision == revision for s in scripts().walk_revisions())


def current(connection: Connection) -> str | None:
    """The revision the database is at; None when it has never been migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(config(connection), revision)


def stamp(connection: Connection, revision: str) -> None:
    """Record ``revision`` without running anything (for databases made before migrations)."""
    command.stamp(config(connection), revision)


def differences(connection: Connection) -> list[Any]:
    """What Alembic's autogenerate finds between this database and the models ([] when in step)."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)
