"""Alembic environment: the tables of frontwatch.store.tables, on the connection open_store passes.

open_store (frontwatch/store/db.py) runs the migrations itself, in-process, handing over its
connection in ``config.attributes["connection"]``; ``python -m frontwatch.store.migrations``
does the same for a throwaway database when a new revision is generated. SQLite cannot ALTER
most things, so migrations run in Alembic's batch mode (copy and move the table) there.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from frontwatch.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection or set sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("frontwatch migrations run online only (open_store runs them)")
run_migrations()
