"""Options and helpers shared by the command-line modules (frontwatch/cli.py, frontwatch/cli_control.py)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from frontwatch.ingest.dates import parse_published


class Format(StrEnum):
    json = "json"
    table = "table"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLAlchemy URL or SQLite file path. Default: $FRONTWATCH_DB, else ./frontwatch.db"
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="json (for scripts) or table (for people)")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"frontwatch: {message}", err=True)
    return typer.Exit(code)


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_published(value)
    except ValueError as exc:
        raise fail(f"{option}: {exc}") from None


def open_db(db: str | None):
    from frontwatch.store.db import StoreError, open_store, resolve_db_url

    try:
        return open_store(resolve_db_url(db))
    except StoreError as exc:
        raise fail(str(exc)) from None


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4:
        raise fail(f"--bbox: {value!r} is not min_lon,min_lat,max_lon,max_lat")
    return parts  # type: ignore[return-value]
