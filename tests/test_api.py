"""The web API (`frontwatch serve`) on the demo store, through FastAPI's TestClient."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from typer.testing import CliRunner

import frontwatch
from frontwatch.cli import app as cli_app
from frontwatch.extract.codes import acled_sub_event_types, code_event
from frontwatch.query.control import control_at
from frontwatch.store.db import open_store

with warnings.catch_warnings():  # starlette's notice about httpx's successor, not ours to fix
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontwatch.serve.app import create_app

WAD_MEDANI = "gn:364103"
AVDIIVKA = "gn:713122"
GOMA = "gn:216281"
TOKEN = "s3cret-token"

NEW_ARTICLE = {
    "id": "api-test-kadugli",
    "published": "2025-03-04",
    "title": "RSF takes Kadugli",
    "text": "The Rapid Support Forces captured the town of Kadugli on Monday, driving out the Sudanese army.",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "demo.db"
    result = CliRunner().invoke(cli_app, ["demo", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{demo_db}", token="")) as c:
        yield c


@pytest.fixture
def writable(demo_db: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A copy of the demo store served with a token, so writes never reach the shared one."""
    path = tmp_path / "copy.db"
    shutil.copy(demo_db, path)
    with TestClient(create_app(f"sqlite:///{path}", token=TOKEN)) as c:
        yield c, path


def all_events(client: TestClient, **params: object) -> list[dict]:
    response = client.get("/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["events"]


def _actor_ids(event: dict) -> set[str]:
    return {a["id"] for a in (event["actor1"], event["actor2"], *event["actor1_associates"]) if a}


# ---- events ---------------------------------------------------------------------------------


def test_pages_cover_every_event_once_in_date_order(client: TestClient) -> None:
    everything = all_events(client)
    assert len(everything) >= 10
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/events", params={"limit": 4, "offset": offset}).json()
        assert len(page["events"]) <= 4
        seen += [e["id"] for e in page["events"]]
        offset = page["next_offset"]
    assert seen == [e["id"] for e in everything]
    starts = [e["date"]["start"] for e in everything]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated) and starts[: len(dated)] == dated  # undated last
    newest = all_events(client, order="desc")
    assert [e["date"]["start"] for e in newest if e["date"]["start"]] == sorted(dated, reverse=True)


def test_filters_keep_only_matching_events(client: TestClient) -> None:
    everything = all_events(client)
    changes = all_events(client, type="territory_change")
    assert changes and all(e["type"] == "territory_change" for e in changes)
    assert len(changes) == sum(e["type"] == "territory_change" for e in everything)

    negated = all_events(client, status="negated")
    assert [e["id"] for e in negated] == [e["id"] for e in everything if e["status"] == "negated"]

    m23 = all_events(client, actor="M23")
    assert m23 and all("m23" in {(e["actor1"] or {}).get("id"), (e["actor2"] or {}).get("id")} for e in m23)
    for actor in client.get("/actors").json():  # actor1, actor2 or an associate, as the CLI
        named = [e["id"] for e in everything if actor["id"] in _actor_ids(e)]
        assert [e["id"] for e in all_events(client, actor=actor["id"])] == named, actor["id"]

    # the name people write, not the gazetteer's spelling, and the id give the same events
    by_name = all_events(client, place="Wad Madani")
    assert by_name and [e["id"] for e in by_name] == [e["id"] for e in all_events(client, place=WAD_MEDANI)]
    assert all(e["place"]["id"] == WAD_MEDANI for e in by_name)

    window = all_events(client, since="2024-01-01", until="2024-06-30")
    assert window and all(e["date"]["start"] <= "2024-06-30" and e["date"]["end"] >= "2024-01-01" for e in window)

    kivu = all_events(client, bbox="27,-3,31,0")  # eastern Congo, with Kigali at its edge
    assert any(e["place"]["country"] == "COD" for e in kivu)
    assert all(27 <= e["place"]["lon"] <= 31 and -3 <= e["place"]["lat"] <= 0 for e in kivu)

    text = all_events(client, q="LARGEST CITY")
    assert text and all("largest city" in e["evidence"]["sentence"].lower() for e in text)

    assert all_events(client, place="no such place anywhere") == []
    # a value holding "&" is one value, not another parameter (nor another cached answer)
    assert all_events(client, q="Goma", type="territory_change")
    assert all_events(client, q="Goma&type=territory_change") == []


def test_acled_filter_agrees_with_each_events_stored_codes(client: TestClient, demo_db: Path) -> None:
    everything = all_events(client)
    # the acled key repeats the event's own codes (Event.to_json), which are the ones the store keeps
    assert all(
        e["acled"] == {"event_type": e["acled_event_type"], "sub_event_type": e["acled_sub_event_type"]}
        for e in everything
    )
    with open_store(f"sqlite:///{demo_db}") as store:
        recomputed = {e.id: code_event(e).acled_sub_event_type for e in store.events()}
    assert {e["id"]: e["acled_sub_event_type"] for e in everything} == recomputed
    seen = set()
    for sub_type in acled_sub_event_types():
        expected = [e["id"] for e in everything if e["acled"]["sub_event_type"] == sub_type]
        assert [e["id"] for e in all_events(client, acled=sub_type)] == expected, sub_type
        seen |= {sub_type} if expected else set()
    assert len(seen) >= 3  # the demo store has events of several sub-event types
    overtakes = [e for e in everything if e["acled"]["sub_event_type"] == "Non-state actor overtakes territory"]
    # ACLED: a non-state actor, or a foreign state's forces (the codebook counts them as overtaking)
    assert overtakes and all(
        e["actor1"]["kind"] != "state_forces" or e["actor1"]["country"] != e["place"]["country"] for e in overtakes
    )


def test_acled_filter_reads_the_stored_column(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "recoded.db"
    shutil.copy(demo_db, path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        # a code the rules never give this event: only a filter reading the column can find it
        event_id = conn.execute(sql(
            "SELECT id FROM events WHERE acled_sub_event_type = 'Armed clash' ORDER BY id LIMIT 1"
        )).scalar()
        conn.execute(sql("UPDATE events SET acled_sub_event_type = 'Grenade' WHERE id = :i"), {"i": event_id})
    engine.dispose()
    with TestClient(create_app(f"sqlite:///{path}", token="")) as c:
        (found,) = all_events(c, acled="Grenade")
        assert found["id"] == event_id and found["acled"]["sub_event_type"] == "Grenade"
        assert event_id not in {e["id"] for e in all_events(c, acled="Armed clash")}
        assert c.get(f"/events/{event_id}").json()["acled"]["sub_event_type"] == "Grenade"


def test_meta_lists_the_25_acled_sub_event_types(client: TestClient) -> None:
    listed = client.get("/meta").json()["acled_sub_types"]
    assert len(listed) == len(set(listed)) == 25
    assert listed == acled_sub_event_types()
    assert {"Government regains territory", "Air/drone strike", "Peaceful protest", "Mob violence"} <= set(listed)
    codebook = tomllib.loads((Path(frontwatch.__file__).parent / "data/codes/acled.toml").read_text("utf-8"))
    assert listed == [t["name"] for t in codebook["sub_event"]]  # the codes' own data, in its order
    for sub_type in listed:  # each is a filter value the API accepts
        assert client.get("/events", params={"acled": sub_type, "limit": 1}).status_code == 200


def test_one_event_with_its_document(client: TestClient) -> None:
    event = all_events(client, place="Goma", type="territory_change")[-1]
    response = client.get(f"/events/{event['id']}")
    assert response.status_code == 200
    record = response.json()
    assert record["evidence"] == event["evidence"]
    assert record["document"]["id"] == event["evidence"]["document"]
    assert "Goma" in record["document"]["title"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 10_000}, "limit"),
        ({"type": "massacre"}, "type"),
        ({"status": "rumoured"}, "status"),
        ({"acled": "Riot"}, "acled"),
        ({"since": "yesterday"}, "since"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"since": "2024-05-01", "until": "2024-01-01"}, "after"),
    ],
)
def test_bad_parameters_get_a_json_422_naming_them(client: TestClient, params: dict, words: str) -> None:
    response = client.get("/events", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert words in response.json()["error"]


def test_unknown_things_get_a_json_404_naming_them(client: TestClient) -> None:
    for path, name in [
        ("/events/doc-0:e1", "doc-0:e1"),
        ("/places/gn:1/timeline", "gn:1"),
        ("/actors/nobody", "nobody"),
        ("/documents/doc-ffff", "doc-ffff"),
        ("/nowhere", "/nowhere"),
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert name in response.json()["error"]


# ---- control, places, actors ------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2023-12-18", "2023-12-25", "2024-03-01", "2025-01-27"])
def test_control_geojson_agrees_with_the_query_layer(client: TestClient, demo_db: Path, day: str) -> None:
    collection = client.get("/control", params={"at": day}).json()
    assert collection["type"] == "FeatureCollection" and collection["at"] == day
    ids = [f["id"] for f in collection["features"]]
    assert len(ids) == len(set(ids))  # one feature per place
    with open_store(f"sqlite:///{demo_db}") as store:
        records = control_at(store, dt.date.fromisoformat(day))
    confirmed = {r["place"]["id"]: r["controller"]["id"] for r in records if r["status"] == "confirmed"}
    assert {f["id"]: f["properties"]["controller"]["id"] for f in collection["features"]} == confirmed
    places = {r["place"]["id"]: r["place"] for r in records}
    for feature in collection["features"]:
        props = feature["properties"]
        assert props["evidence_count"] >= 1 and props["since"] <= day
        place = places[feature["id"]]
        if place["lat"] is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"]["coordinates"] == [place["lon"], place["lat"]]


def test_control_follows_the_date(client: TestClient) -> None:
    def holder(day: str, place: str) -> str | None:
        features = client.get("/control", params={"at": day}).json()["features"]
        return next((f["properties"]["controller"]["name"] for f in features if f["id"] == place), None)

    assert holder("2023-12-25", AVDIIVKA) == "Ukraine"
    assert holder("2024-03-01", AVDIIVKA) == "Russia"
    assert holder("2023-12-25", WAD_MEDANI) == "Rapid Support Forces"
    sudan = client.get("/control", params={"at": "2024-03-01", "country": "Sudan"}).json()["features"]
    assert sudan and all(f["properties"]["place"]["country"] == "SDN" for f in sudan)
    assert client.get("/control", params={"at": "2024-02-30"}).status_code == 422


def test_place_timeline_and_actor(client: TestClient) -> None:
    data = client.get(f"/places/{GOMA}/timeline").json()
    assert [i["controller"]["id"] for i in data["intervals"]][-1] == "m23"
    sinces = [i["since"] for i in data["intervals"]]
    assert sinces == sorted(sinces)
    assert data["events"] and all(e["place"]["id"] == GOMA for e in data["events"])

    actors = client.get("/actors").json()
    m23 = next(a for a in actors if a["id"] == "m23")
    assert m23["events"] == len(all_events(client, actor="m23"))
    detail = client.get("/actors/m23").json()
    assert GOMA in {h["place"]["id"] for h in detail["held"]}


def test_document_text_with_fact_spans(client: TestClient) -> None:
    event = all_events(client, place="Goma", type="territory_change")[-1]
    doc = client.get(f"/documents/{event['evidence']['document']}").json()
    text = doc["text"]
    assert doc["facts"]
    for fact in doc["facts"]:
        assert text[fact["start"] : fact["end"]] == fact["sentence"]
        for mark in fact["marks"]:
            assert fact["start"] <= mark["start"] < mark["end"] <= fact["end"]
            assert text[mark["start"] : mark["end"]] == mark["text"]
    chosen = next(f for f in doc["facts"] if f["kind"] == "event" and f["id"] == event["id"])
    kinds = {m["kind"]: m["text"] for m in chosen["marks"]}
    assert kinds.get("place") == "Goma"
    assert "M23" in kinds.get("actor", "")
    assert kinds.get("date") == "Monday"  # the article's "on Monday" is the event's day


# ---- writing --------------------------------------------------------------------------------------


def test_read_only_without_a_token(client: TestClient) -> None:
    response = client.post("/documents", json=NEW_ARTICLE)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]


def test_post_needs_the_right_token(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    assert client.post("/documents", json=NEW_ARTICLE).status_code == 401
    wrong = client.post("/documents", json=NEW_ARTICLE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "token" in wrong.json()["error"]


def test_post_stores_an_article_and_control_follows(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/meta").json()["counts"]
    assert not any(f["properties"]["place"]["name"] == "Kadugli" for f in client.get(
        "/control", params={"at": "2025-03-05"}).json()["features"])

    assert all_events(client, q="Kadugli") == []  # also puts the answer in the response cache
    response = client.post("/documents", json=NEW_ARTICLE, headers=auth)
    assert response.status_code == 201, response.text
    assert all_events(client, q="Kadugli")  # the cached answer was dropped
    assert response.json()["stored"] is True and response.json()["control_changes"] >= 1
    after = client.get("/meta").json()["counts"]
    assert after["documents"] == before["documents"] + 1
    held = {f["properties"]["place"]["name"]: f["properties"]["controller"]["id"]
            for f in client.get("/control", params={"at": "2025-03-05"}).json()["features"]}
    assert held.get("Kadugli") == "rsf"

    again = client.post("/documents", json=NEW_ARTICLE, headers=auth)
    assert again.status_code == 200 and again.json()["stored"] is False
    assert client.get("/meta").json()["counts"] == after


def test_post_html(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    page = (
        "<html><head><title>Kidal retaken</title><meta name='date' content='2023-11-15'></head><body><article>"
        "<h1>Kidal retaken</h1><p>Malian troops took control of Kidal on Tuesday, ending a decade of rebel rule "
        "in the northern town, the army said.</p></article></body></html>"
    )
    response = client.post(
        "/documents", content=page.encode(), headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/html"}
    )
    assert response.status_code == 201, response.text
    assert client.get(f"/documents/{response.json()['document']}").json()["document"]["title"] == "Kidal retaken"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"{not json", "application/json", 422, "not valid JSON"),
        (json.dumps({"title": "no text"}).encode(), "application/json", 422, '"text"'),
        (json.dumps({"text": "x", "published": "someday"}).encode(), "application/json", 422, "published"),
        (json.dumps([1, 2]).encode(), "application/json", 422, "JSON object"),
        (b"   ", "application/json", 422, "empty"),
        (b"\x00\x01binary", "application/octet-stream", 415, "content type"),
        (b"<html><body></body></html>", "text/html", 422, "cannot be read"),
    ],
)
def test_bad_posts_are_refused_and_change_nothing(
    writable: tuple[TestClient, Path], body: bytes, content_type: str, status: int, words: str
) -> None:
    client, path = writable
    before = client.get("/meta").json()["counts"]
    response = client.post(
        "/documents", content=body, headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert words in response.json()["error"]
    assert client.get("/meta").json()["counts"] == before
    with open_store(f"sqlite:///{path}") as store:
        assert store.counts() == before


def test_actor_filter_finds_associates(demo_db: Path, tmp_path: Path) -> None:
    from sqlalchemy import select, update
    from sqlalchemy.orm import Session

    from frontwatch.store.tables import EventRow

    path = tmp_path / "associates.db"
    shutil.copy(demo_db, path)
    with open_store(f"sqlite:///{path}") as store, Session(store.engine) as session, session.begin():
        row = session.scalars(select(EventRow).where(EventRow.type == "territory_change").limit(1)).one()
        key = row.id
        session.execute(update(EventRow).where(EventRow.id == key).values(associates=["state:RWA"]))
    with TestClient(create_app(f"sqlite:///{path}", token="")) as client:
        found = all_events(client, actor="state:RWA")
        assert key in [e["id"] for e in found]
        assert all("state:RWA" in _actor_ids(e) for e in found)
