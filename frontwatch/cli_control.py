"""Commands on control over time: ``frontwatch changes`` and ``frontwatch export ...``.

Registered on the main app by frontwatch.cli; they share its options and helpers.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from frontwatch.cli_options import DbOption, Format, FormatOption, fail, open_db, parse_bbox, parse_day, print_json
from frontwatch.query import render

SinceOption = Annotated[str | None, typer.Option(help="On or after this day (YYYY-MM-DD)")]
UntilOption = Annotated[str | None, typer.Option(help="On or before this day (YYYY-MM-DD)")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")]


def changes(
    since: SinceOption = None,
    until: UntilOption = None,
    place: Annotated[str | None, typer.Option(help="Only this place (name or id) and the places inside it")] = None,
    country: Annotated[str | None, typer.Option(help="Only places in this country (ISO code or name)")] = None,
    status: Annotated[
        str | None, typer.Option(help="Only changes of this fused status (confirmed, claimed, disputed, ...)")
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.json,
) -> None:
    """Changes of control in a period, each fused from every report of it, with its sources and conflicts."""
    from frontwatch.query.changes import changes_json
    from frontwatch.schema import STATUSES

    if status is not None and status not in STATUSES:
        raise fail(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    with open_db(db) as store:
        try:
            records = changes_json(
                store,
                since=parse_day(since, "--since"),
                until=parse_day(until, "--until"),
                place=place,
                country=country,
                status=status,
            )
        except ValueError as exc:
            raise fail(str(exc)) from None
    print_json(records) if format is Format.json else render.changes(records)


export_app = typer.Typer(
    no_args_is_help=True,
    help="Write the store out for other tools: geojson (control on a day), acled-csv, jsonl, parquet (events).",
)


@export_app.command("geojson")
def export_geojson(
    at: Annotated[str, typer.Option("--at", help="Control on this day (YYYY-MM-DD)")],
    country: Annotated[str | None, typer.Option(help="Only places in this country (ISO code or name)")] = None,
    bbox: Annotated[str | None, typer.Option(help="Only places in min_lon,min_lat,max_lon,max_lat")] = None,
    within: Annotated[str | None, typer.Option(help="Only this place and the places inside it")] = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """A GeoJSON FeatureCollection of who controls each known place on a day (properties as in control --at)."""
    from frontwatch.export.writers import write_geojson
    from frontwatch.query.control import iter_control_at

    day = parse_day(at, "--at")
    assert day is not None
    box = parse_bbox(bbox)
    with open_db(db) as store, _writing(output) as out:
        n = write_geojson(iter_control_at(store, day, country=country, bbox=box, within=within), out, day)
    _done(n, "features", output)


class EventFormat(StrEnum):
    acled_csv = "acled-csv"
    jsonl = "jsonl"
    parquet = "parquet"


def _event_export(kind: EventFormat):  # one command per format, same options
    def command(
        since: SinceOption = None,
        until: UntilOption = None,
        type: Annotated[str | None, typer.Option("--type", help="Only this event type")] = None,
        output: OutputOption = None,
        db: DbOption = None,
    ) -> None:
        from frontwatch.export import writers
        from frontwatch.schema import EVENT_TYPES

        if type is not None and type not in EVENT_TYPES:
            raise fail(f"--type: {type!r} is not one of {', '.join(EVENT_TYPES)}")
        if kind is EventFormat.parquet and output is None:
            raise fail("parquet is binary: give --output FILE")
        with open_db(db) as store:
            events = store.iter_events(since=parse_day(since, "--since"), until=parse_day(until, "--until"), type=type)
            if kind is EventFormat.parquet:
                assert output is not None
                n = writers.write_parquet(events, output)
            else:
                with _writing(output) as out:
                    if kind is EventFormat.acled_csv:
                        n = writers.write_acled_csv(events, out)
                    else:
                        n = writers.write_jsonl(writers.event_records(events), out)
        _done(n, "events", output)

    command.__doc__ = {
        EventFormat.acled_csv: "Events as CSV in ACLED's column layout (then frontwatch's fw_ columns).",
        EventFormat.jsonl: "Events as JSON Lines (the events --format json records, one per line).",
        EventFormat.parquet: "Events as Parquet: the ACLED-layout columns, typed.",
    }[kind]
    return command


for _kind in EventFormat:
    export_app.command(_kind.value)(_event_export(_kind))


@contextlib.contextmanager
def _writing(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None


def _done(n: int, what: str, output: Path | None) -> None:
    if output is not None:
        typer.echo(f"{n} {what} → {output}", err=True)
