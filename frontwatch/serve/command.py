"""``frontwatch serve``: the API and the map page, run by uvicorn.

Kept free of web imports at module level so that the rest of the CLI starts fast.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

# uvicorn starts workers from an import string, so the settings travel in the environment.
_DB_ENV = "FRONTWATCH_SERVE_DB"


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLAlchemy URL or SQLite file path. Default: $FRONTWATCH_DB, else ./frontwatch.db"),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (each keeps its own control cache)")] = 1,
) -> None:
    """Serve the JSON API (docs at /docs) and the map page at http://HOST:PORT/.

    Read-only unless FRONTWATCH_TOKEN is set: then POST /documents accepts articles from
    callers sending 'Authorization: Bearer <token>'.
    """
    import uvicorn

    from frontwatch.store.db import StoreError, open_store, resolve_db_url

    url = resolve_db_url(db)
    try:
        open_store(url).close()  # fail here, with one line, rather than in every worker
    except StoreError as exc:
        typer.echo(f"frontwatch: {exc}", err=True)
        raise typer.Exit(2) from None
    os.environ[_DB_ENV] = url
    typer.echo(f"frontwatch: serving {url} on http://{host}:{port}/ (API docs: /docs)", err=True)
    uvicorn.run(
        "frontwatch.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
