"""Generate a migration: ``python -m frontwatch.store.migrations revision -m "what changed"``.

Builds a throwaway SQLite database at the current head, then asks Alembic to compare it with
the models in frontwatch/store/tables.py and write the difference as a new revision.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from frontwatch.store import migrations


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m frontwatch.store.migrations")
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="write a new revision from the models' changes")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--rev-id", help="revision id (default: the next number, e.g. 0002)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'head.db'}"
        engine = create_engine(url)
        with engine.begin() as connection:
            migrations.upgrade(connection)
        engine.dispose()
        rev_id = args.rev_id or f"{len(list(migrations.scripts().walk_revisions())) + 1:04d}"
        script = command.revision(
            migrations.config(url=url), message=args.message, autogenerate=True, rev_id=rev_id
        )
    print(f"wrote {getattr(script, 'path', script)}; read it before committing")


if __name__ == "__main__":
    main()
