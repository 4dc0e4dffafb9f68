"""Schema migrations: open_store brings every database to the newest revision, and that revision
is exactly the models (autogenerate finds nothing to do). When this test fails after a change to
frontwatch/store/tables.py, generate a revision: python -m frontwatch.store.migrations revision -m "..."."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from frontwatch.store import migrations
from frontwatch.store.db import StoreError, open_store, resolve_db_url
from frontwatch.store.tables import SCHEMA_VERSION


def test_head_of_the_migrations_is_the_models(db_url: str) -> None:
    open_store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()
            assert migrations.differences(conn) == []
    finally:
        engine.dispose()


def test_reopening_an_up_to_date_store_changes_nothing(db_url: str) -> None:
    open_store(db_url).close()
    open_store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()


def test_a_store_made_before_migrations_is_adopted_and_keeps_its_data(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "old.db"))
    engine = create_engine(url)
    with engine.begin() as conn:
        # the tables frontwatch made with create_all before Alembic are revision 0001, without its stamp
        migrations.upgrade(conn, "0001")
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', '1')"))
        conn.execute(
            text("INSERT INTO documents (id, title, text, origin, warnings, actor_ids, place_ids) "
                 "VALUES ('doc-1', 't', 'body', 'x', '[]', '[]', '[]')")
        )
    engine.dispose()
    with open_store(url) as store:
        assert store.has_document("doc-1")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert migrations.current(conn) == migrations.head()
        assert "alembic_version" in inspect(conn).get_table_names()
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == SCHEMA_VERSION
    engine.dispose()


def test_a_store_from_a_newer_frontwatch_is_refused_untouched(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "new.db"))
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"revision 9999.*newer frontwatch"):
        open_store(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert migrations.current(conn) == "9999"
    engine.dispose()
