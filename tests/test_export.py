"""Exports: GeoJSON of control on a day, ACLED-layout CSV (loaded with pandas), JSON Lines, Parquet;
through the CLI, from a store written by the real save path."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.export.acled import acled_columns, event_row
from frontwatch.export.writers import write_acled_csv
from frontwatch.schema import Actor, Article, ControlChange, DateRange, Event, Evidence, Place, Quantity, Reading
from frontwatch.store.db import open_store
from frontwatch.store.repository import Source

D = dt.date
RSF = Actor("act:rsf", "Rapid Support Forces", ("RSF",), "SDN", "rebel_group")
SAF = Actor("state:SDN", "Sudan", ("Sudanese army",), "SDN", "state_forces")
MADANI = Place("gn:370481", "Wad Madani", 370481, 14.40, 33.52, "SDN", "city", 1, "Gezira")
MINOVA = Place("unk:minova", "Minova")  # not in the gazetteer: no coordinates

# The columns of ACLED's export tool, in order (ACLED Codebook).
ACLED = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


def _reading() -> Reading:
    text = 'The RSF took Wad Madani on 18 December, killing 12 people, "a victory", it said. Minova, too.'
    article = Article(text=text, title="Wad Madani falls", published=D(2023, 12, 20), site="example.org",
                      url="https://example.org/madani")
    doc = article.id
    took = Evidence(doc, text[:80], 0, 80)
    take = Event(
        f"{doc}:e1", "territory_change", RSF, SAF, MADANI, DateRange.day(D(2023, 12, 18)), "confirmed", took,
        0.9, quantity=Quantity("fatalities", 12, 12), source=RSF, trigger="took",
    )
    week = Event(
        f"{doc}:e2", "battle", RSF, None, MINOVA, DateRange(D(2023, 12, 11), D(2023, 12, 17), "week"), "claimed",
        Evidence(doc, "Minova, too.", 82, 94), 0.5,
    )
    return Reading(
        article=article,
        events=[take, week],
        control=[ControlChange(f"{doc}:c1", MADANI, RSF, SAF, take.date, "confirmed", took, 0.9, event_id=take.id),
                 ControlChange(f"{doc}:c2", MINOVA, RSF, None, week.date, "confirmed", week.evidence, 0.5)],
        actors=[RSF, SAF],
        places=[MADANI, MINOVA],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("export") / "fw.db"
    with open_store(f"sqlite:///{path}") as store:
        assert store.save(_reading())
    return str(path)


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_acled_csv_loads_with_pandas_and_has_acleds_columns(db: str) -> None:
    frame = pd.read_csv(io.StringIO(cli("export", "acled-csv", "--db", db)))
    assert list(frame.columns[: len(ACLED)]) == ACLED == acled_columns()
    assert all(c.startswith("fw_") for c in frame.columns[len(ACLED):])
    assert len(frame) == 2
    take = frame[frame["fw_type"] == "territory_change"].iloc[0]
    assert (take["event_date"], take["year"], take["time_precision"]) == ("2023-12-18", 2023, 1)
    assert (take["actor1"], take["inter1"], take["actor2"], take["inter2"]) == (
        "Rapid Support Forces", "Rebel group", "Sudan", "State forces",
    )
    assert take["interaction"] == "Rebel group-State forces"
    assert (take["country"], take["iso"], take["admin1"], take["location"]) == ("Sudan", 729, "Gezira", "Wad Madani")
    assert (take["latitude"], take["longitude"], take["geo_precision"]) == (14.40, 33.52, 1)
    assert (take["fatalities"], take["source"], take["fw_claim_source"]) == (12, "example.org", "Rapid Support Forces")
    assert take["notes"].startswith("The RSF took Wad Madani")
    week = frame[frame["fw_type"] == "battle"].iloc[0]
    # a week-long range: its middle day, ACLED time precision 2; no coordinates stay empty
    assert (week["event_date"], week["time_precision"], week["fw_status"]) == ("2023-12-14", 2, "claimed")
    assert pd.isna(week["latitude"]) and pd.isna(week["country"]) and week["fatalities"] == 0


def test_acled_csv_codes_are_the_events_stored_codes(db: str) -> None:
    """event_type, sub_event_type and disorder_type come from the codes stored with each event."""
    frame = pd.read_csv(io.StringIO(cli("export", "acled-csv", "--db", db)), dtype={"fw_cameo": str})
    with open_store(f"sqlite:///{db}") as store:
        stored = {e.id: e for e in store.events()}
    for _, row in frame.iterrows():
        event = stored[row["fw_event_id"]]
        assert event.acled_sub_event_type is not None
        assert (row["event_type"], row["sub_event_type"]) == (event.acled_event_type, event.acled_sub_event_type)
        assert (row["fw_plover_type"], row["fw_cameo"]) == (event.plover_type, event.cameo)
    take = frame[frame["fw_type"] == "territory_change"].iloc[0]
    # the RSF (a rebel group) took a Sudanese town: ACLED's "Non-state actor overtakes territory"
    assert (take["disorder_type"], take["event_type"], take["sub_event_type"]) == (
        "Political violence", "Battles", "Non-state actor overtakes territory",
    )
    battle = frame[frame["fw_type"] == "battle"].iloc[0]
    assert (battle["event_type"], battle["sub_event_type"]) == ("Battles", "Armed clash")


def test_acled_event_types_are_read_from_the_event_when_set() -> None:
    event = _reading().events[0]
    event.acled_event_type, event.acled_sub_event_type = "Battles", "Non-state actor overtakes territory"
    row = event_row(event, Source("doc-1", None, "t", None, None, None))
    congo = replace(event, place=Place("gn:216281", "Goma", 216281, -1.68, 29.23, "COD", "city"))
    assert event_row(congo, Source("doc-1", None, "t", None, None, None))["country"] == "Democratic Republic of Congo"
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence", "Battles", "Non-state actor overtakes territory",
    )
    assert row["source"] == "t"  # no site: the title names the source


def test_acled_csv_streams_rows_as_they_come() -> None:
    produced: list[int] = []
    out = io.StringIO()

    def events():
        for i, event in enumerate(_reading().events):
            produced.append(i)
            # every row before this one is already written when the next is produced
            assert out.getvalue().count("\n") == 1 + i
            yield event, Source("doc", None, "", None, None, None)

    assert write_acled_csv(events(), out) == 2
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 3


def test_geojson_of_control_on_a_day(db: str, tmp_path: Path) -> None:
    out = tmp_path / "control.geojson"
    cli("export", "geojson", "--db", db, "--at", "2023-12-25", "--output", str(out))
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and data["frontwatch"] == {"control_on": "2023-12-25"}
    by_name = {f["properties"]["place"]["name"]: f for f in data["features"]}
    assert set(by_name) == {"Wad Madani", "Minova"}
    madani = by_name["Wad Madani"]
    assert madani["geometry"] == {"type": "Point", "coordinates": [33.52, 14.40]}  # GeoJSON: lon, lat
    assert madani["properties"]["controller"]["id"] == "act:rsf"
    assert madani["properties"]["since"] == "2023-12-18"
    assert by_name["Minova"]["geometry"] is None  # never invented
    # the same records as control --at
    records = json.loads(cli("control", "--db", db, "--at", "2023-12-25"))
    assert [f["properties"] for f in data["features"]] == records
    # filters as in control --at: Sudan only leaves out Minova (no country)
    sudan = json.loads(cli("export", "geojson", "--db", db, "--at", "2023-12-25", "--country", "SDN"))
    assert [f["properties"]["place"]["name"] for f in sudan["features"]] == ["Wad Madani"]
    empty = json.loads(cli("export", "geojson", "--db", db, "--at", "2000-01-01"))
    assert empty["features"] == []


def test_jsonl_events(db: str) -> None:
    lines = cli("export", "jsonl", "--db", db, "--since", "2023-12-15").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["type"] for r in records] == ["battle", "territory_change"]  # by date: the week starts first
    events = json.loads(cli("events", "--db", db, "--format", "json"))
    for record in records:
        assert record["published"] == "2023-12-20" and record["url"] == "https://example.org/madani"
        assert {k: v for k, v in record.items() if k not in ("published", "url")} in events
    assert cli("export", "jsonl", "--db", db, "--since", "2024-01-01") == ""


def test_parquet_is_typed_and_written_in_row_groups(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    cli("export", "parquet", "--db", db, "--output", str(out))
    table = pq.read_table(out)
    assert table.column_names[: len(ACLED)] == ACLED
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert str(table.schema.field("fatalities").type) == "int64"
    assert str(table.schema.field("latitude").type) == "double"
    rows = sorted(table.to_pylist(), key=lambda r: r["fw_type"])
    assert [r["location"] for r in rows] == ["Minova", "Wad Madani"]
    assert rows[1]["event_date"] == D(2023, 12, 18) and rows[1]["fatalities"] == 12


def test_parquet_needs_a_file_and_bad_options_are_named(db: str) -> None:
    result = CliRunner().invoke(app, ["export", "parquet", "--db", db])
    assert result.exit_code == 2 and "--output" in result.output
    result = CliRunner().invoke(app, ["export", "acled-csv", "--db", db, "--type", "picnic"])
    assert result.exit_code == 2 and "--type" in result.output
    result = CliRunner().invoke(app, ["export", "geojson", "--db", db, "--at", "yesterday-ish"])
    assert result.exit_code == 2 and "--at" in result.output
