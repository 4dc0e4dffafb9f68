"""The ``frontwatch`` command line.

    frontwatch ingest ARTICLES...          read articles and store what they report (default ./frontwatch.db)
    frontwatch extract ARTICLE...          print the reading of articles, no database
    frontwatch control --at DATE           who holds each known place that day
    frontwatch control --place NAME        the timeline of one place, with evidence
    frontwatch events [--place ...]        the stored events
    frontwatch changes --since --until     changes of control, each fused from all its reports
    frontwatch export FORMAT               geojson (control on a day), acled-csv, jsonl, parquet (events)
    frontwatch demo                        ingest the bundled demo corpus and show what it read
    frontwatch classify TEXT|-|--file F    ACLED sub-event type of each snippet
    frontwatch evaluate geo|time PATH      measure place / time resolution on a public benchmark
    frontwatch evaluate events|plover PATH measure event coding (CASE 2021 ACLED types, PLOVER records)
    frontwatch serve [--db] [--port]       the web API (/docs) and the map page
    frontwatch evaluate relations PATH     measure actors and actor relations (re3d)

JSON is the default output (scripts rely on its keys: extend, never rename); ``--format table``
is for people.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from frontwatch import __version__
from frontwatch.cli_control import changes, export_app
from frontwatch.cli_options import DbOption, Format, FormatOption, fail, open_db, parse_bbox, parse_day, print_json
from frontwatch.ingest.readers import InputError, read_inputs
from frontwatch.query import render
from frontwatch.query.classify import EmbeddingsOption
from frontwatch.serve.command import serve as serve_command

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read conflict news; keep a sourced, dated, geocoded record of events and of who controls each place.",
    pretty_exceptions_enable=False,
)


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders, or - for stdin (text, Markdown, HTML, JSONL)")
    ],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs that carry none (YYYY-MM-DD)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary")] = False,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Read on a local Dask cluster of this many worker processes")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Read on an existing Dask cluster (tcp://HOST:PORT) instead")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction with --workers/--scheduler")] = 32,
) -> None:
    """Read articles and store their events, control changes, holds and relations.

    The same article twice is stored once. An article is stored whole or not at all; a bad
    input is reported and skipped, the rest of the batch is still stored, and the exit status
    is 1 when anything was skipped. With --workers or --scheduler the articles are read on a
    Dask cluster and written here in batches, with a progress bar (docs/scale.md).
    """
    from frontwatch.extract.reader import read_article

    default_day = parse_day(published, "--published")
    store = open_db(db)
    if workers is not None or scheduler is not None:
        _ingest_on_cluster(paths, store, default_day, workers, scheduler, batch_size, quiet)
        return
    stored = duplicates = skipped = events = changes = 0
    with store:
        for item in read_inputs(paths, published=default_day):
            if isinstance(item, InputError):
                skipped += 1
                typer.echo(f"skipped {item}", err=True)
                continue
            if store.has_document(item.id):  # idempotent, and no need to read it again
                duplicates += 1
                if not quiet:
                    typer.echo(f"already stored {item.origin} ({item.id})", err=True)
                continue
            try:
                reading = read_article(item)
                saved = store.save(reading)
            except Exception as exc:  # one article's failure must not stop the batch
                skipped += 1
                typer.echo(f"skipped {item.origin}: could not be read: {type(exc).__name__}: {exc}", err=True)
                continue
            if not saved:
                duplicates += 1
                if not quiet:
                    typer.echo(f"already stored {item.origin} ({item.id})", err=True)
                continue
            stored += 1
            events += len(reading.events)
            changes += len(reading.control)
            if not quiet:
                note = "" if item.published else " (no publication date: relative dates unresolved)"
                typer.echo(
                    f"stored {item.origin}: {len(reading.events)} events, {len(reading.control)} control changes{note}",
                    err=True,
                )
    typer.echo(
        f"{stored} stored, {duplicates} already stored, {skipped} skipped; "
        f"{events} events, {changes} control changes → {store.url}",
        err=True,
    )
    if skipped:
        raise typer.Exit(1)


def _ingest_on_cluster(
    paths: list[str], store: Any, published: dt.date | None, workers: int | None, scheduler: str | None,
    batch_size: int, quiet: bool,
) -> None:
    from frontwatch.ingest.parallel import ClusterError, ingest_on_cluster

    with store:
        try:
            s = ingest_on_cluster(read_inputs(paths, published=published), store, workers=workers,
                                  scheduler=scheduler, batch_size=batch_size, quiet=quiet)
        except ClusterError as exc:
            raise fail(str(exc)) from None
    typer.echo(
        f"{s.stored} stored, {s.duplicates} already stored, {s.failed} skipped; "
        f"{s.events} events, {s.changes} control changes → {store.url}",
        err=True,
    )
    if s.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin")],
    published: Annotated[str | None, typer.Option(help="Publication date for inputs that carry none")] = None,
    format: FormatOption = Format.json,
) -> None:
    """Print the reading of articles without storing anything.

    JSON: one object per article, {"document", "events", "control", "holds", "relations", "warnings"};
    a single article is pretty-printed, several come one per line (JSON Lines).
    """
    from frontwatch.extract.reader import read_article

    default_day = parse_day(published, "--published")
    items = list(read_inputs(paths, published=default_day))
    articles = [i for i in items if not isinstance(i, InputError)]
    for error in (i for i in items if isinstance(i, InputError)):
        typer.echo(f"skipped {error}", err=True)
    readings = [read_article(a) for a in articles]
    if format is Format.table:
        for reading in readings:
            render.reading(reading)
    elif len(readings) == 1:
        print_json(readings[0].to_json())
    else:
        for reading in readings:
            typer.echo(json.dumps(reading.to_json(), ensure_ascii=False))
    if len(articles) < len(items):
        raise typer.Exit(1)


@app.command()
def control(
    at: Annotated[
        str | None, typer.Option("--at", help="Who holds each known place on this day (YYYY-MM-DD)")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="The timeline of this place (name or id)")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Only places in this country (ISO alpha-3)")] = None,
    bbox: Annotated[str | None, typer.Option(help="Only places in min_lon,min_lat,max_lon,max_lat")] = None,
    within: Annotated[
        str | None, typer.Option(help="With --at: only this place and the places inside it (a province...)")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, help="With --at: at most this many records (one page of a large store)")
    ] = None,
    offset: Annotated[int, typer.Option(min=0, help="With --at: skip this many records first")] = 0,
    after: Annotated[
        str | None,
        typer.Option(
            help="With --at and --limit: the page after this place id (the last record's; '' for the first)."
            " Pages by key end with whole places and cost the same at any depth"
        ),
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.json,
) -> None:
    """Who controls what: on a day (--at) or over time for one place (--place)."""
    from frontwatch.query.control import control_at, place_timeline

    if (at is None) == (place is None):
        raise fail("give exactly one of --at DATE or --place NAME")
    box = parse_bbox(bbox)
    with open_db(db) as store:
        if at is not None:
            day = parse_day(at, "--at")
            assert day is not None
            try:
                records = control_at(
                    store, day, country=country.upper() if country else None, bbox=box, within=within,
                    limit=limit, offset=offset, after=after,
                )
            except LookupError as exc:  # --after names no stored place
                raise fail(f"--{exc}") from exc
            print_json(records) if format is Format.json else render.control(records, day)
        else:
            assert place is not None
            timelines = place_timeline(store, place)
            if not timelines:
                raise fail(f"no stored place matches {place!r}", code=1)
            print_json(timelines) if format is Format.json else render.timelines(timelines)


@app.command()
def events(
    place: Annotated[str | None, typer.Option(help="Place name or id")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor id, name or alias")] = None,
    type: Annotated[str | None, typer.Option("--type", help="Event type, e.g. territory_change")] = None,
    status: Annotated[
        str | None, typer.Option(help="confirmed, claimed, disputed, planned or negated")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this day")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this day")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events")] = None,
    db: DbOption = None,
    format: FormatOption = Format.json,
) -> None:
    """The stored events, oldest first, each with its evidence."""
    from frontwatch.query.events import list_events
    from frontwatch.schema import EVENT_TYPES, STATUSES

    if type is not None and type not in EVENT_TYPES:
        raise fail(f"--type: {type!r} is not one of {', '.join(EVENT_TYPES)}")
    if status is not None and status not in STATUSES:
        raise fail(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    with open_db(db) as store:
        records = list_events(
            store,
            place=place,
            actor=actor,
            type=type,
            status=status,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            limit=limit,
        )
    print_json(records) if format is Format.json else render.events(records)


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to store the demo")] = "frontwatch-demo.db",
) -> None:
    """Ingest the bundled demo articles, then show the events read and who held what at the end."""
    from frontwatch.extract.reader import read_article
    from frontwatch.query.control import control_at
    from frontwatch.query.events import list_events

    corpus = resources.files("frontwatch.demo").joinpath("articles.jsonl")
    with resources.as_file(corpus) as path, open_db(db) as store:
        readings = 0
        for item in read_inputs([str(path)]):
            if isinstance(item, InputError):
                typer.echo(f"skipped {item}", err=True)
                continue
            store.save(read_article(item))
            readings += 1
        records = list_events(store, type="territory_change")
        typer.echo(f"Read {readings} demo articles into {store.url}\n")
        render.events(records)
        days = [dt.date.fromisoformat(d) for r in records for d in (r["date"]["end"],) if d]
        if days:
            latest = max(days)
            render.control(control_at(store, latest), latest)
        typer.echo(f"\nTry: frontwatch control --db {Path(db)} --place <name> --format table")


@app.command()
def classify(
    text: Annotated[str | None, typer.Argument(help="A snippet, or - to read one snippet per line from stdin")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A UTF-8 file with one snippet per line")] = None,
    embeddings: EmbeddingsOption = True,
    format: FormatOption = Format.json,
) -> None:
    """ACLED event and sub-event type of each snippet, one JSON object per line.

    Rules from data/codes/acled.toml; where they are unsure, the nearest hand-written snippets by sentence embedding.
    """
    from frontwatch.extract.embed import EmbeddingUnavailable
    from frontwatch.query import classify as classify_cli

    try:
        snippets = classify_cli.read_snippets(text, file)
        records = classify_cli.classify_records(snippets, embeddings=embeddings)
    except (classify_cli.ClassifyInputError, EmbeddingUnavailable) as exc:
        raise fail(str(exc)) from None
    if format is Format.table:
        classify_cli.render(records)
        return
    for record in records:
        typer.echo(json.dumps(record, ensure_ascii=False))

# `frontwatch serve`: the web API and map page (frontwatch/serve/)
app.command("serve")(serve_command)

evaluate_app = typer.Typer(
    no_args_is_help=True, help="Measure frontwatch on public benchmarks (figures as fractions 0-1)."
)
app.add_typer(evaluate_app, name="evaluate")


def _report(figures: dict[str, Any], format: Format, render_table: Any) -> None:
    print_json(figures) if format is Format.json else render_table(figures)


@evaluate_app.command("geo")
def evaluate_geo(
    path: Annotated[Path, typer.Argument(help="LGL- or GeoVirus-format XML file")],
    format: FormatOption = Format.table,
) -> None:
    """Place resolution on gold toponyms (acc@161 km, error km, exact GeoNames id) and end to end (P/R/F1)."""
    from frontwatch.evaluate.geo import GeoBenchError, render_geo
    from frontwatch.evaluate.geo import evaluate_geo as run

    try:
        figures = run(path)
    except GeoBenchError as exc:
        raise fail(str(exc)) from None
    _report(figures, format, render_geo)


@evaluate_app.command("time")
def evaluate_time(
    path: Annotated[Path, typer.Argument(help="Folder of TimeML (.tml) files, searched recursively")],
    format: FormatOption = Format.table,
) -> None:
    """Time expressions: value accuracy on gold spans; end-to-end strict/relaxed extent F1, value F1, type."""
    from frontwatch.evaluate.timeml import TimeBenchError, render_time
    from frontwatch.evaluate.timeml import evaluate_time as run

    try:
        figures = run(path)
    except TimeBenchError as exc:
        raise fail(str(exc)) from None
    _report(figures, format, render_time)


@evaluate_app.command("events")
def evaluate_events(
    path: Annotated[Path, typer.Argument(help="TSV with EventSnippet and SubType (CASE 2021 task 2)")],
    cross_validate: Annotated[
        int | None, typer.Option("--cross-validate", help="K: train a linear model on K-1 folds, score the rest")
    ] = None,
    learned: Annotated[
        bool, typer.Option("--learned", help="blend the rules with the model trained on frontwatch's own snippets")
    ] = False,
    embeddings: EmbeddingsOption = True,
    format: FormatOption = Format.table,
) -> None:
    """ACLED sub-event types of snippets: weighted and macro F1 over the 25 ACLED types, confusion table."""
    from frontwatch.evaluate.events import EventBenchError, render_events
    from frontwatch.evaluate.events import evaluate_events as run
    from frontwatch.extract.embed import EmbeddingUnavailable

    try:
        figures = run(path, cross_validate, learned, embeddings)
    except (EventBenchError, EmbeddingUnavailable) as exc:
        raise fail(str(exc)) from None
    _report(figures, format, render_events)


@evaluate_app.command("plover")
def evaluate_plover(
    path: Annotated[Path, typer.Argument(help="PLOVER gold-standard records (JSON list)")],
    format: FormatOption = Format.table,
) -> None:
    """PLOVER event-type accuracy and actor/recipient match on PLOVER gold-standard records."""
    from frontwatch.evaluate.plover import PloverBenchError, render_plover
    from frontwatch.evaluate.plover import evaluate_plover as run

    try:
        figures = run(path)
    except PloverBenchError as exc:
        raise fail(str(exc)) from None
    _report(figures, format, render_plover)


@evaluate_app.command("relations")
def evaluate_relations(
    path: Annotated[Path, typer.Argument(help="re3d folder (one sub-folder per source, JSON-lines files)")],
    format: FormatOption = Format.table,
) -> None:
    """Actor mentions (P/R/F1 on Organisation spans) and FightingAgainst/AlliesOf pairs per document."""
    from frontwatch.evaluate.relations import RelationBenchError, render_relations
    from frontwatch.evaluate.relations import evaluate_relations as run

    try:
        figures = run(path)
    except RelationBenchError as exc:
        raise fail(str(exc)) from None
    _report(figures, format, render_relations)


@app.callback(invoke_without_command=True)
def _version(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit")] = False,
) -> None:
    if version:
        typer.echo(f"frontwatch {__version__}")
        raise typer.Exit()


# Commands on control over time live in their own module (frontwatch/cli_control.py).
app.command()(changes)
app.add_typer(export_app, name="export")


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `frontwatch events | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
