"""End-to-end tests of the ``frontwatch`` command line: the real command on temporary SQLite files.

``run`` starts ``python -m frontwatch.cli`` in a subprocess (real exit codes, stdout/stderr split,
start-up, stdin); it is used for the first ingest, stdin, bad inputs, tables, --version and the
demo. ``cli`` runs the same typer app in-process (CliRunner), so the NLP model loads once and the
many query cases stay fast; the atomicity test needs it to inject a failure into the store.
One database is ingested per module and shared.

Extraction results are asserted only for the plain "X captured Y from Z on <date>" sentences of
tests/fixtures/cli/; everything else checks the CLI contract (keys, filters, exit codes, messages).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.store.db import open_store, resolve_db_url

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
ARTICLES = FIXTURES / "articles.jsonl"  # Sudan (Wad Madani), Ukraine (Bakhmut), DR Congo (Sake)
UNDATED = FIXTURES / "undated.txt"  # no publication date; one relative, one absolute date
N_ARTICLES = 3

EVENT_KEYS = {
    "id", "type", "actor1", "actor1_associates", "actor2", "place", "date",
    "status", "quantity", "source", "evidence", "confidence",
}  # fmt: skip
CONTROL_KEYS = {"place", "controller", "since", "until", "status", "evidence"}
EXTRACT_KEYS = {"document", "events", "control", "holds", "relations"}

# Wide, colourless output so rich tables do not wrap place names or add escape codes.
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
ENV.pop("FRONTWATCH_DB", None)


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, stdin: str | None = None) -> Outcome:
    """The command in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "frontwatch.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def cli(*args: str) -> Outcome:
    """The command in-process; an uncaught exception fails the test with its traceback."""
    result = CliRunner().invoke(app, list(args), env={"FRONTWATCH_DB": None}, catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def cli_json(*args: str) -> Any:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def counts(db: str) -> dict[str, int]:
    with open_store(resolve_db_url(db)) as store:
        return store.counts()


def document_texts(db: str) -> dict[str, str]:
    with open_store(resolve_db_url(db)) as store:
        return {a.id: a.text for a in store.documents()}


def all_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from all_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from all_strings(value)


def all_date_ranges(data: Any) -> Iterator[dict[str, Any]]:
    """Every {"start", "end", "precision", ...} object anywhere in ``data``."""
    if isinstance(data, dict):
        if {"start", "end", "precision"} <= data.keys():
            yield data
        for value in data.values():
            yield from all_date_ranges(value)
    elif isinstance(data, list):
        for value in data:
            yield from all_date_ranges(value)


def actor_ids(event: dict[str, Any]) -> set[str]:
    sides = [event["actor1"], event["actor2"], *event["actor1_associates"]]
    return {a["id"] for a in sides if a}


# ---- the shared, ingested database --------------------------------------------------------


@dataclass(frozen=True)
class Ingested:
    db: str  # a plain file path
    first: Outcome
    second: Outcome
    events_after_first: list[dict[str, Any]]
    counts_after_first: dict[str, int]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    db = str(tmp_path_factory.mktemp("cli") / "shared.db")
    first = run("ingest", str(ARTICLES), "--db", db)
    events_after_first = cli_json("events", "--db", db, "--format", "json")
    counts_after_first = counts(db)
    second = cli("ingest", str(ARTICLES), "--db", db)
    return Ingested(db, first, second, events_after_first, counts_after_first)


@pytest.fixture(scope="module")
def events(ingested: Ingested) -> list[dict[str, Any]]:
    return cli_json("events", "--db", ingested.db, "--format", "json")


# ---- version ------------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("frontwatch ")
    assert any(ch.isdigit() for ch in result.stdout)


# ---- ingest -------------------------------------------------------------------------------


def test_ingest_stores_every_article(ingested: Ingested) -> None:
    assert ingested.first.returncode == 0, ingested.first.stderr
    assert f"{N_ARTICLES} stored, 0 already stored, 0 skipped" in ingested.first.stderr
    assert ingested.counts_after_first["documents"] == N_ARTICLES
    assert ingested.first.stdout == ""  # the summary goes to stderr, stdout stays clean for scripts


def test_ingest_twice_stores_nothing_the_second_time(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    assert ingested.second.returncode == 0, ingested.second.stderr
    assert f"0 stored, {N_ARTICLES} already stored" in ingested.second.stderr
    assert counts(ingested.db) == ingested.counts_after_first
    assert len(events) == len(ingested.events_after_first)
    assert [e["id"] for e in events] == [e["id"] for e in ingested.events_after_first]


def test_db_url_and_plain_path_name_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    result = cli("ingest", str(ARTICLES), "--db", f"sqlite:///{path}", "--quiet")
    assert result.returncode == 0, result.stderr
    assert path.exists()
    via_url = cli_json("events", "--db", f"sqlite:///{path}")
    via_path = cli_json("events", "--db", str(path))
    assert via_url == via_path
    assert via_url  # the plain sentences of the fixture give events


def test_ingest_without_db_uses_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.txt"
    shutil.copy(UNDATED, article)
    monkeypatch.chdir(tmp_path)
    result = cli("ingest", str(article), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "frontwatch.db").exists()


# ---- events -------------------------------------------------------------------------------


def test_events_json_has_the_documented_keys(events: list[dict[str, Any]]) -> None:
    assert isinstance(events, list) and events
    for event in events:
        assert event.keys() >= EVENT_KEYS
        assert {"start", "end", "precision"} <= event["date"].keys()
        assert {"document", "sentence", "start", "end"} <= event["evidence"].keys()
        assert 0.0 <= event["confidence"] <= 1.0


def test_event_evidence_offsets_point_at_the_sentence(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    texts = document_texts(ingested.db)
    for event in events:
        evidence = event["evidence"]
        assert evidence["document"] in texts
        assert texts[evidence["document"]][evidence["start"] : evidence["end"]] == evidence["sentence"]
    # The stored text is the article's own text: the sentences are found in the fixture too.
    fixture_text = ARTICLES.read_text(encoding="utf-8")
    for event in events:
        assert json.dumps(event["evidence"]["sentence"])[1:-1] in fixture_text


def test_plain_capture_sentence_gives_a_territory_change(events: list[dict[str, Any]]) -> None:
    # "M23 rebels captured the town of Sake from the Congolese army on 7 February 2024."
    sake = [e for e in events if e["type"] == "territory_change" and e["place"] and e["place"]["name"] == "Sake"]
    assert len(sake) == 1
    assert sake[0]["actor1"]["id"] == "m23"
    assert sake[0]["place"]["country"] == "COD"
    assert (sake[0]["date"]["start"], sake[0]["date"]["end"]) == ("2024-02-07", "2024-02-07")


def test_relative_weekday_resolves_against_the_publication_date(events: list[dict[str, Any]]) -> None:
    # Published Wednesday 2023-12-20: "captured ... Wad Madani ... on Tuesday" is 2023-12-19.
    madani = [e for e in events if e["type"] == "territory_change" and actor_ids(e) >= {"rsf"}]
    assert len(madani) == 1
    assert madani[0]["place"]["country"] == "SDN"
    assert madani[0]["date"]["start"] == madani[0]["date"]["end"] == "2023-12-19"


def test_filter_by_type(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    changes = cli_json("events", "--db", ingested.db, "--type", "territory_change")
    assert changes and all(e["type"] == "territory_change" for e in changes)
    assert {e["id"] for e in changes} == {e["id"] for e in events if e["type"] == "territory_change"}
    assert cli_json("events", "--db", ingested.db, "--type", "siege") == [
        e for e in events if e["type"] == "siege"
    ]


def test_filter_by_place(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    bakhmut = cli_json("events", "--db", ingested.db, "--place", "bakhmut")  # case does not matter
    assert bakhmut and len(bakhmut) < len(events)
    assert all(e["place"]["name"] == "Bakhmut" for e in bakhmut)
    assert cli_json("events", "--db", ingested.db, "--place", "Nowhere") == []


def test_filter_by_place_accepts_the_articles_spelling(ingested: Ingested) -> None:
    assert cli_json("events", "--db", ingested.db, "--place", "Wad Madani")


def test_filter_by_actor_alias(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    rsf = cli_json("events", "--db", ingested.db, "--actor", "RSF")
    assert rsf and len(rsf) < len(events)
    assert all("rsf" in actor_ids(e) for e in rsf)
    assert cli_json("events", "--db", ingested.db, "--actor", "No Such Brigade") == []


def test_filter_by_status(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    for status in ("confirmed", "disputed"):
        subset = cli_json("events", "--db", ingested.db, "--status", status)
        assert [e["id"] for e in subset] == [e["id"] for e in events if e["status"] == status]


def test_filter_by_since(ingested: Ingested, events: list[dict[str, Any]]) -> None:
    recent = cli_json("events", "--db", ingested.db, "--since", "2024-01-01")
    assert recent and len(recent) < len(events)
    assert all(e["date"]["end"] and e["date"]["end"] >= "2024-01-01" for e in recent)


@pytest.mark.parametrize(("option", "value"), [("--type", "bogus_type"), ("--status", "rumoured")])
def test_bad_filter_value_is_an_error_naming_the_option(ingested: Ingested, option: str, value: str) -> None:
    result = cli("events", "--db", ingested.db, option, value)
    assert result.returncode != 0
    assert option in result.stderr and value in result.stderr
    assert result.stdout == ""


def test_events_table(ingested: Ingested) -> None:
    result = cli("events", "--db", ingested.db, "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "Bakhmut" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


# ---- control ------------------------------------------------------------------------------


def test_control_at_json(ingested: Ingested) -> None:
    records = cli_json("control", "--db", ingested.db, "--at", "2024-03-01", "--format", "json")
    assert isinstance(records, list) and records
    for record in records:
        assert record.keys() >= CONTROL_KEYS
        assert record["evidence"]
    holder = {r["place"]["name"]: r["controller"]["id"] for r in records}
    assert holder.get("Sake") == "m23"
    assert holder.get("Bakhmut") == "state:RUS"


def test_control_at_pages(ingested: Ingested) -> None:
    everything = cli_json("control", "--db", ingested.db, "--at", "2024-03-01")
    assert len(everything) >= 2
    first = cli_json("control", "--db", ingested.db, "--at", "2024-03-01", "--limit", "1")
    rest = cli_json("control", "--db", ingested.db, "--at", "2024-03-01", "--offset", "1")
    assert first + rest == everything
    bad = cli("control", "--db", ingested.db, "--at", "2024-03-01", "--limit", "-1")
    assert bad.returncode == 2 and "--limit" in bad.stderr
    after_first = cli_json("control", "--db", ingested.db, "--at", "2024-03-01", "--after", first[-1]["place"]["id"])
    assert after_first == [r for r in everything if r["place"]["id"] != first[-1]["place"]["id"]]
    unknown = cli("control", "--db", ingested.db, "--at", "2024-03-01", "--after", "gn:no-such-place")
    assert unknown.returncode == 2 and "--after" in unknown.stderr and "gn:no-such-place" in unknown.stderr


def test_control_at_a_day_before_the_capture(ingested: Ingested) -> None:
    records = cli_json("control", "--db", ingested.db, "--at", "2024-02-01")
    assert all(not (r["place"]["name"] == "Sake" and r["controller"]["id"] == "m23") for r in records)


def test_control_evidence_points_at_the_sentence(ingested: Ingested) -> None:
    texts = document_texts(ingested.db)
    records = cli_json("control", "--db", ingested.db, "--at", "2024-03-01")
    for evidence in (e for r in records for e in r["evidence"]):
        assert texts[evidence["document"]][evidence["start"] : evidence["end"]] == evidence["sentence"]


def test_control_place_timeline(ingested: Ingested) -> None:
    timelines = cli_json("control", "--db", ingested.db, "--place", "Sake")
    assert isinstance(timelines, list) and len(timelines) == 1
    assert timelines[0]["place"]["name"] == "Sake"
    intervals = timelines[0]["intervals"]
    assert intervals and all(i.keys() >= CONTROL_KEYS for i in intervals)
    assert intervals[-1]["controller"]["id"] == "m23"
    assert intervals[-1]["since"] == "2024-02-07"


def test_control_unknown_place_exits_1(ingested: Ingested) -> None:
    result = cli("control", "--db", ingested.db, "--place", "Nowhere")
    assert result.returncode == 1
    assert "Nowhere" in result.stderr
    assert result.stdout == ""


def test_control_bad_date_names_the_value(ingested: Ingested) -> None:
    result = cli("control", "--db", ingested.db, "--at", "not-a-date")
    assert result.returncode != 0
    assert "not-a-date" in result.stderr


@pytest.mark.parametrize("args", [[], ["--at", "2024-01-01", "--place", "Sake"]])
def test_control_needs_exactly_one_of_at_and_place(ingested: Ingested, args: list[str]) -> None:
    result = cli("control", "--db", ingested.db, *args)
    assert result.returncode != 0
    assert "--at" in result.stderr and "--place" in result.stderr


@pytest.mark.parametrize("args", [["--at", "2024-03-01"], ["--place", "Bakhmut"]])
def test_control_table(ingested: Ingested, args: list[str]) -> None:
    result = run("control", "--db", ingested.db, *args, "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "Bakhmut" in result.stdout


# ---- extract ------------------------------------------------------------------------------


def test_extract_with_published_date() -> None:
    reading = cli_json("extract", str(UNDATED), "--published", "2023-12-20")
    assert isinstance(reading, dict)
    assert reading.keys() >= EXTRACT_KEYS
    assert reading["document"]["published"] == "2023-12-20"
    nyala = [e for e in reading["events"] if e["place"] and e["place"]["name"] == "Nyala"]
    assert nyala, "the plain capture sentence about Nyala gives an event"
    # "on Thursday" in an article of Wednesday 2023-12-20: a day of the week before.
    for event in nyala:
        assert "2023-12-13" <= event["date"]["start"] <= event["date"]["end"] <= "2023-12-20"


def test_extract_without_publication_date_infers_one_from_the_text() -> None:
    result = cli("extract", str(UNDATED))
    assert result.returncode == 0, result.stderr
    reading = json.loads(result.stdout)
    # The latest past full date of the text stands in, marked inferred, and the warning says from what.
    assert (reading["document"]["published"], reading["document"]["published_basis"]) == ("2017-11-03", "inferred")
    assert any("inferred" in w and "3 November 2017" in w for w in reading["warnings"])
    # "on Thursday" is then read against Friday 2017-11-03: the day before.
    nyala = [e for e in reading["events"] if e["place"] and e["place"]["name"] == "Nyala"]
    assert nyala and all((e["date"]["start"], e["date"]["end"]) == ("2017-11-02", "2017-11-02") for e in nyala)
    today = dt.date.today().isoformat()
    assert all(today not in s for s in all_strings(reading))


def test_extract_without_any_date_leaves_relative_dates_unknown() -> None:
    text = "Fighting in Darfur\n\nThe Rapid Support Forces captured the town of Nyala on Thursday, witnesses said.\n"
    result = run("extract", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    reading = json.loads(result.stdout)
    assert (reading["document"]["published"], reading["document"]["published_basis"]) == (None, None)
    assert any("no publication date" in w for w in reading["warnings"])
    assert not [d for d in all_date_ranges(reading) if d["start"] or d["end"]]  # never the machine's clock


def test_extract_infers_the_publication_date_from_the_page_address(tmp_path: Path) -> None:
    page = tmp_path / "page.jsonl"
    record = {
        "id": "a-1",
        "url": "https://news.example.org/2023/12/20/nyala-falls",
        "text": "The Rapid Support Forces captured the town of Nyala on Thursday, witnesses said.",
    }
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    reading = cli_json("extract", str(page))
    assert (reading["document"]["published"], reading["document"]["published_basis"]) == ("2023-12-20", "inferred")
    assert any("inferred" in w and "address" in w for w in reading["warnings"])
    nyala = [e for e in reading["events"] if e["place"] and e["place"]["name"] == "Nyala"]
    assert nyala and all(e["date"]["start"] == "2023-12-14" for e in nyala)  # the Thursday before


def test_extract_from_stdin() -> None:
    text = "Clashes near Goma\n\nM23 rebels captured the city of Goma from the Congolese army on Monday.\n"
    result = run("extract", "-", "--published", "2024-01-01", stdin=text)
    assert result.returncode == 0, result.stderr
    reading = json.loads(result.stdout)
    assert reading.keys() >= EXTRACT_KEYS
    assert reading["document"]["published"] == "2024-01-01"
    assert reading["document"]["title"] == "Clashes near Goma"
    today = dt.date.today().isoformat()
    for d in all_date_ranges(reading):
        assert d["end"] is None or d["end"] <= "2024-01-01"
        assert today not in (d["start"], d["end"])
    goma = [e for e in reading["events"] if e["place"] and e["place"]["name"] == "Goma"]
    assert [e["type"] for e in goma] == ["territory_change"]


def test_capture_of_a_town_missing_from_the_gazetteer_is_kept(tmp_path: Path) -> None:
    article = tmp_path / "kitshanga.txt"
    article.write_text(
        "Clashes in North Kivu\n\nM23 rebels captured the town of Kitshanga from the Congolese army "
        "on 26 January 2023.\n",
        encoding="utf-8",
    )
    reading = cli_json("extract", str(article))
    changes = [e for e in reading["events"] if e["type"] == "territory_change"]
    assert [e["place"]["name"] for e in changes if e["place"]] == ["Kitshanga"]


def test_extract_several_articles_prints_json_lines() -> None:
    result = cli("extract", str(ARTICLES))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == N_ARTICLES
    assert all(json.loads(line).keys() >= EXTRACT_KEYS for line in lines)


def test_extract_bad_published_names_the_option() -> None:
    result = cli("extract", str(UNDATED), "--published", "yesterday-ish")
    assert result.returncode != 0
    assert "--published" in result.stderr


# ---- bad input ----------------------------------------------------------------------------


def test_bad_inputs_are_reported_and_the_good_ones_stored(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(UNDATED, batch / "good.txt")
    (batch / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (batch / "empty.txt").write_bytes(b"")
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    (batch / "mixed.jsonl").write_text(f'{lines[0]}\n{{"id": "broken", "text": \n{lines[2]}\n', encoding="utf-8")
    db = str(tmp_path / "x.db")

    result = run("ingest", str(batch), "--db", db)

    assert result.returncode == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 3
    assert any("blob.bin" in line for line in skipped)
    assert any("empty.txt" in line for line in skipped)
    assert any("mixed.jsonl:2" in line for line in skipped)
    assert "3 stored" in result.stderr
    assert counts(db)["documents"] == 3  # good.txt and lines 1 and 3 of mixed.jsonl


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path / "absent.txt"), str(UNDATED), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    assert "absent.txt" in result.stderr
    assert counts(str(tmp_path / "x.db"))["documents"] == 1


def test_an_article_failing_mid_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store fails after the document row is written: that article must vanish whole."""
    from frontwatch.store import repository

    db = str(tmp_path / "x.db")
    extracted = cli("extract", str(ARTICLES))
    [bakhmut_id] = _bakhmut_documents([json.loads(line) for line in extracted.stdout.splitlines()])
    real = repository._evidence_columns

    def failing(evidence: Any) -> dict[str, Any]:
        if evidence.document == bakhmut_id:
            raise RuntimeError("disk on fire")
        return real(evidence)

    monkeypatch.setattr(repository, "_evidence_columns", failing)
    result = cli("ingest", str(ARTICLES), "--db", db)
    assert result.returncode == 1
    assert "disk on fire" in result.stderr
    after_failure = counts(db)
    assert after_failure["documents"] == N_ARTICLES - 1
    assert bakhmut_id not in document_texts(db)
    stored_events = cli_json("events", "--db", db)
    assert all(e["evidence"]["document"] != bakhmut_id for e in stored_events)

    monkeypatch.setattr(repository, "_evidence_columns", real)
    retry = cli("ingest", str(ARTICLES), "--db", db)
    assert retry.returncode == 0, retry.stderr
    assert f"1 stored, {N_ARTICLES - 1} already stored" in retry.stderr
    assert counts(db)["documents"] == N_ARTICLES


def _bakhmut_documents(readings: list[dict[str, Any]]) -> list[str]:
    """Ids of the readings whose text mentions Bakhmut (the Ukraine article of the fixture)."""
    return [
        r["document"]["id"]
        for r in readings
        if any("Bakhmut" in e["evidence"]["sentence"] for e in r["events"])
    ]


# ---- demo ---------------------------------------------------------------------------------


def test_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Read " in result.stdout and "demo articles" in result.stdout
    assert "territory_change" in result.stdout or "events" in result.stdout
    assert db.exists() and counts(str(db))["documents"] > 0
