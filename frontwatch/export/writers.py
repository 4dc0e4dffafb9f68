"""The export formats, each written as its rows come (see frontwatch.export)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from frontwatch.export.acled import columns, event_row
from frontwatch.query.control import interval_to_json
from frontwatch.schema import Event
from frontwatch.store.repository import Source
from frontwatch.store.timeline import Interval

PARQUET_BATCH = 5000  # rows per Parquet row group

# Column types of the Parquet export; every other column is a string.
_INT_COLUMNS = {"year", "time_precision", "iso", "geo_precision", "fatalities", "fw_evidence_start",
                "fw_evidence_end"}
_FLOAT_COLUMNS = {"latitude", "longitude", "fw_confidence"}
_DATE_COLUMNS = {"event_date", "fw_date_start", "fw_date_end"}


def write_acled_csv(events: Iterable[tuple[Event, Source]], out: TextIO) -> int:
    """ACLED's columns then frontwatch's, one row per event; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\n")
    writer.writeheader()
    n = 0
    for event, source in events:
        writer.writerow({k: "" if v is None else v for k, v in event_row(event, source).items()})
        n += 1
    return n


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def event_records(events: Iterable[tuple[Event, Source]]) -> Iterator[dict[str, Any]]:
    """Event.to_json records, each with its document's "published" and "url" added."""
    for event, source in events:
        record = event.to_json()
        record["published"] = source.published.isoformat() if source.published else None
        record["url"] = source.url
        yield record


def write_parquet(events: Iterable[tuple[Event, Source]], path: Path, batch: int = PARQUET_BATCH) -> int:
    """The CSV's rows, typed (dates, integers, floats), in row groups of ``batch`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(pa, name)) for name in columns()])
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for event, source in events:
            chunk.append(_typed(event_row(event, source)))
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n


def write_geojson(intervals: Iterable[Interval], out: TextIO, day: dt.date) -> int:
    """A FeatureCollection: one Point feature per control record on ``day`` (geometry null for a place
    without coordinates); the properties are the record of ``control --at``."""
    # "frontwatch" is a foreign member (RFC 7946 §6.1): the day the features describe.
    out.write('{"type": "FeatureCollection", "frontwatch": {"control_on": "' + day.isoformat() + '"}, "features": [\n')
    n = 0
    for interval in intervals:
        place = interval.place
        geometry = (
            {"type": "Point", "coordinates": [place.lon, place.lat]}
            if place.lat is not None and place.lon is not None
            else None
        )
        # unique per record: a place may have a confirmed and a claimed record on one day
        feature_id = f"{place.id}@{interval.since or ''}/{interval.controller.id}/{interval.status}"
        feature = {"type": "Feature", "id": feature_id, "geometry": geometry,
                   "properties": interval_to_json(interval)}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def _arrow_type(pa: Any, name: str) -> Any:
    if name in _INT_COLUMNS:
        return pa.int64()
    if name in _FLOAT_COLUMNS:
        return pa.float64()
    if name in _DATE_COLUMNS:
        return pa.date32()
    return pa.string()


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: dt.date.fromisoformat(v) if k in _DATE_COLUMNS and isinstance(v, str) else v for k, v in row.items()
    }
