"""The store: round trip, idempotence, atomicity, URL resolution, and the queries over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from frontwatch.extract.codes import code_event
from frontwatch.query.control import control_at, interval_to_json, place_timeline
from frontwatch.query.events import list_events
from frontwatch.schema import (
    Actor,
    Article,
    ControlChange,
    DateRange,
    Event,
    Evidence,
    Hold,
    Place,
    Quantity,
    Reading,
    Relation,
)
from frontwatch.store.db import StoreError, open_store, resolve_db_url
from frontwatch.store.repository import Store

D = dt.date
IS = Actor("act:is", "Islamic State", ("ISIS", "Daesh"), None, "rebel_group")
SDF = Actor("act:sdf", "Syrian Democratic Forces", ("SDF",), "SYR", "rebel_group")
US = Actor("act:usa", "United States", ("US",), "USA", "state_forces")
YPG = Actor("act:ypg", "People's Protection Units", ("YPG",), "SYR", "rebel_group")
DEIR = Place("gn:170794", "Deir ez-Zor", 170794, 35.336, 40.141, "SYR", "city", 1, "Deir ez-Zor Governorate")
RAQQA = Place("gn:172955", "Raqqa", 172955, 35.95, 39.01, "SYR", "city", 1, "Raqqa Governorate")
MADANI = Place("gn:370481", "Wad Madani", 370481, 14.40, 33.52, "SDN", "city", 1, None)
NOWHERE = Place("unk:al-hol", "Al-Hol")  # unresolved: no coordinates


PUBLISHED = D(2017, 10, 18)


def reading(
    text: str = "SDF fighters took Raqqa from Islamic State on 17 October 2017.",
    published: dt.date | None = PUBLISHED,
) -> Reading:
    article = Article(
        text=text,
        title="Raqqa falls",
        published=published,
        published_basis="metadata",
        url="https://example.org/raqqa",
        site="example.org",
        external_id="ext-1",
        origin="in.jsonl:1",
    )
    doc = article.id
    sentence = Evidence(doc, text, 0, len(text))
    event = Event(
        id="e1",
        type="territory_change",
        actor1=SDF,
        actor2=IS,
        place=RAQQA,
        date=DateRange(D(2017, 10, 17), D(2017, 10, 17), "day", "text", "2017-10-17"),
        status="confirmed",
        evidence=sentence,
        confidence=0.875,
        actor1_associates=[YPG],
        quantity=Quantity("fighters", 200, 300.5),
        source=US,
        trigger="took",
    )
    battle = Event(
        "e2", "battle", IS, None, DEIR, DateRange(D(2017, 9, 1), D(2017, 9, 30), "month", "text", "2017-09"),
        "claimed", Evidence(doc, "Fighting raged in Deir ez-Zor.", 5, 20), 0.5,
    )
    undated = Event("e3", "statement", US, None, None, DateRange.unknown(), "confirmed",
                    Evidence(doc, "The US said.", 30, 40), 0.4)
    change = ControlChange("c1", RAQQA, SDF, IS, event.date, "confirmed", sentence, 0.9, event_id="e1",
                           previous_inferred=True)
    hold = Hold("h1", DEIR, IS, DateRange.day(D(2017, 10, 18), "publication"),
                Evidence(doc, "IS still holds Deir ez-Zor.", 50, 77), 0.7)
    relation = Relation("r1", "supports", US, SDF, Evidence(doc, "US-backed SDF", 0, 13))
    return Reading(
        article=article,
        events=[code_event(e) for e in (event, battle, undated)],  # as the reader gives them: with codes
        control=[change],
        holds=[hold],
        relations=[relation],
        actors=[SDF, IS, US, YPG],
        places=[RAQQA, DEIR],
        warnings=["no dateline"],
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    # db_url (tests/conftest.py): every test with a store runs on SQLite and on PostgreSQL
    opened = open_store(db_url)
    yield opened
    opened.close()


def test_round_trip_gives_back_every_field(store: Store) -> None:
    original = reading()
    assert store.save(original) is True
    back = store.reading(original.article.id)
    assert back is not None
    assert back == original
    assert back.to_json() == original.to_json()
    assert back.article.origin == "in.jsonl:1" and back.events[0].date.timex == "2017-10-17"
    assert [a.id for a in store.documents()] == [original.article.id]


def test_same_article_twice_is_stored_once(store: Store) -> None:
    assert store.save(reading()) is True
    assert store.save(reading()) is False
    assert store.counts()["documents"] == 1
    assert store.counts()["events"] == 3


def test_actors_and_places_are_merged_across_documents(store: Store) -> None:
    store.save(reading())
    second = reading(text="Daesh lost Raqqa.", published=D(2017, 10, 20))
    renamed = Actor("act:is", "ISIL", ("ISIL",), "IRQ", "unknown")
    second.actors = [renamed]
    assert store.save(second) is True
    (is_actor,) = [a for a in store.reading(second.article.id).actors]  # type: ignore[union-attr]
    assert is_actor.name == "Islamic State"  # the stored record is kept
    assert is_actor.aliases == ("ISIS", "Daesh", "ISIL")  # aliases united
    assert is_actor.country == "IRQ" and is_actor.kind == "rebel_group"  # blanks filled, not overwritten
    assert store.counts()["actors"] == 4


def test_a_failed_save_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_flush = Session.flush
    calls = {"n": 0}

    def failing_flush(self: Session, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] > 1:  # the document, actors and places are flushed; the facts fail
            raise RuntimeError("disk on fire")
        real_flush(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "flush", failing_flush)
    original = reading()
    with pytest.raises(RuntimeError):
        store.save(original)
    monkeypatch.undo()
    assert calls["n"] == 2
    assert not store.has_document(original.article.id)
    assert all(n == 0 for n in store.counts().values())
    assert store.save(original) is True  # and it can be saved afterwards


def test_concurrent_store_of_the_same_article_is_not_an_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = reading()
    store.save(original)
    # Another writer stored it between our check and our insert: the insert fails, save says False.
    real = Store.has_document
    calls: list[str] = []

    def late_has_document(self: Store, doc: str) -> bool:
        calls.append(doc)
        return len(calls) > 1 and real(self, doc)

    monkeypatch.setattr(Store, "has_document", late_has_document)
    assert store.save(original) is False
    assert len(calls) == 2  # the first check missed it; the IntegrityError made save look again
    assert store.counts()["documents"] == 1


def test_two_databases_do_not_interfere(tmp_path: Path) -> None:
    one = open_store(resolve_db_url(str(tmp_path / "one.db")))
    two = open_store(resolve_db_url(str(tmp_path / "two.db")))
    try:
        assert one.save(reading()) is True
        assert two.counts()["documents"] == 0
        assert two.save(reading()) is True  # not "already stored": that was the other database
        assert one.counts()["documents"] == two.counts()["documents"] == 1
    finally:
        one.close()
        two.close()


def test_reopening_keeps_data(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "fw.db"))
    first = open_store(url)
    first.save(reading())
    first.close()
    again = open_store(url)
    assert again.has_document(reading().article.id)
    again.close()


def test_default_url_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FRONTWATCH_DB", raising=False)
    assert resolve_db_url(None) == "sqlite:///frontwatch.db"
    monkeypatch.setenv("FRONTWATCH_DB", "postgresql://u@host/fw")
    assert resolve_db_url(None) == "postgresql://u@host/fw"
    assert resolve_db_url("sqlite:///other.db") == "sqlite:///other.db"
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path}/x.db"
    assert resolve_db_url("rel/x.db") == "sqlite:///rel/x.db"
    monkeypatch.setenv("FRONTWATCH_DB", "env.db")
    assert resolve_db_url(None) == "sqlite:///env.db"


@pytest.mark.parametrize(
    "url",
    ["nonsense://what", "not a url://x", "sqlite:////nonexistent-dir-frontwatch/sub/x.db",
     "postgresql+nosuchdriver://u@localhost/fw"],
)
def test_bad_url_gives_store_error_naming_it(url: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert url in message and "\n" not in message


def test_password_is_not_shown() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql+nosuchdriver://user:hunter2@localhost/fw")
    assert "hunter2" not in str(info.value) and "user:***@localhost/fw" in str(info.value)


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "old.db"))
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(sql("UPDATE meta SET value = '0' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 0"):
        open_store(url)


def test_a_file_that_is_not_a_database_gives_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    url = resolve_db_url(str(junk))
    with pytest.raises(StoreError, match=r"junk\.db"):
        open_store(url)


def test_places_matching_ignores_case_accents_punctuation_and_takes_ids(store: Store) -> None:
    store.save(reading())
    assert [p.id for p in store.places_matching("deir ez zor")] == ["gn:170794"]
    assert [p.id for p in store.places_matching("DEIR-EZ-ZÔR")] == ["gn:170794"]
    assert [p.id for p in store.places_matching("gn:172955")] == ["gn:172955"]
    assert store.places_matching("Bakhmut") == []


def test_list_events_filters(store: Store) -> None:
    store.save(reading())
    later = reading(text="Clashes near Wad Madani.", published=D(2023, 12, 20))
    later.events = [
        Event("e1", "battle", SDF, None, MADANI, DateRange.day(D(2023, 12, 18)), "confirmed",
              Evidence(later.article.id, "Clashes near Wad Madani.", 0, 24), 0.6)
    ]
    later.control, later.holds, later.relations = [], [], []
    store.save(later)

    everything = list_events(store)
    assert [(e["id"], e["date"]["start"]) for e in everything] == [
        ("e2", "2017-09-01"), ("e1", "2017-10-17"), ("e1", "2023-12-18"), ("e3", None)
    ]
    assert set(everything[0]) >= {"id", "type", "actor1", "actor1_associates", "actor2", "place", "date",
                                  "status", "quantity", "source", "evidence", "confidence"}
    assert [e["place"]["name"] for e in list_events(store, place="wad madani")] == ["Wad Madani"]
    assert [e["id"] for e in list_events(store, actor="daesh")] == ["e2", "e1"]  # alias, actor1 or actor2
    assert [e["id"] for e in list_events(store, actor="ypg")] == ["e1"]  # an associate
    assert [e["id"] for e in list_events(store, actor="ACT:USA")] == ["e3"]
    assert [e["type"] for e in list_events(store, type="battle")] == ["battle", "battle"]
    assert [e["id"] for e in list_events(store, status="claimed")] == ["e2"]
    assert [e["date"]["start"] for e in list_events(store, since=D(2017, 9, 15), until=D(2018, 1, 1))] == [
        "2017-09-01", "2017-10-17"  # the September range overlaps
    ]
    assert len(list_events(store, limit=2)) == 2
    assert len(list_events(store, actor="sdf", limit=1)) == 1
    assert list_events(store, place="Bakhmut") == [] and list_events(store, actor="nobody") == []
    with pytest.raises(ValueError, match="unknown event type"):
        list_events(store, type="picnic")


def _control_reading(
    text: str,
    changes: Sequence[tuple[Place, Actor, Actor | None, DateRange, str]],
    holds: Sequence[tuple[Place, Actor, dt.date]] = (),
) -> Reading:
    article = Article(text=text, title=text[:20], published=D(2018, 1, 1))
    ev = Evidence(article.id, text, 0, len(text))
    return Reading(
        article=article,
        control=[
            ControlChange(f"c{i}", p, c, prev, d, s, ev, 0.9) for i, (p, c, prev, d, s) in enumerate(changes)
        ],
        holds=[Hold(f"h{i}", p, c, DateRange.day(day), ev, 0.8) for i, (p, c, day) in enumerate(holds)],
    )


def test_control_at_and_place_timeline(store: Store) -> None:
    rebels = Actor("act:rebels", "Syrian rebels")
    store.save(_control_reading("IS seized Raqqa from rebels in January 2014.", [
        (RAQQA, IS, rebels, DateRange(D(2014, 1, 1), D(2014, 1, 31), "month"), "confirmed"),
    ]))
    store.save(_control_reading("The SDF took Raqqa from IS on 17 October 2017.", [
        (RAQQA, SDF, IS, DateRange.day(D(2017, 10, 17)), "confirmed"),
    ]))
    store.save(_control_reading("IS holds Deir ez-Zor; the US claimed Raqqa; Al-Hol held by SDF.", [
        (RAQQA, US, None, DateRange.day(D(2015, 3, 1)), "claimed"),
    ], [(DEIR, IS, D(2015, 2, 10)), (NOWHERE, SDF, D(2015, 1, 1)), (MADANI, SDF, D(2015, 1, 1))]))

    def summary(records: list[dict]) -> list[tuple[str, str, str]]:
        return [(r["place"]["name"], r["controller"]["id"], r["status"]) for r in records]

    assert summary(control_at(store, D(2013, 12, 31))) == [("Raqqa", "act:rebels", "confirmed")]
    assert summary(control_at(store, D(2015, 6, 1))) == [
        ("Al-Hol", "act:sdf", "confirmed"),
        ("Deir ez-Zor", "act:is", "confirmed"),
        ("Raqqa", "act:is", "confirmed"),
        ("Raqqa", "act:usa", "claimed"),
        ("Wad Madani", "act:sdf", "confirmed"),
    ]
    raqqa_2017 = control_at(store, D(2017, 10, 18), country="Syria", bbox=(38.0, 35.0, 40.0, 36.5))
    assert summary(raqqa_2017) == [("Raqqa", "act:sdf", "confirmed")]
    record = raqqa_2017[0]
    assert {"place", "controller", "since", "until", "status", "evidence", "basis", "sources"} <= set(record)
    assert (record["since"], record["until"], record["sources"]) == ("2017-10-17", None, 1)
    assert record["evidence"][0]["sentence"].startswith("The SDF took Raqqa")
    sudan = control_at(store, D(2015, 6, 1), country="SDN")
    assert summary(sudan) == [("Wad Madani", "act:sdf", "confirmed")]

    (timeline,) = place_timeline(store, "raqqa")
    assert [(i["controller"]["id"], i["since"], i["until"], i["status"]) for i in timeline["intervals"]] == [
        ("act:rebels", "2013-01-01", "2013-12-31", "confirmed"),
        ("act:is", "2014-01-01", "2017-10-16", "confirmed"),
        ("act:usa", "2015-03-01", "2017-10-16", "claimed"),
        ("act:sdf", "2017-10-17", None, "confirmed"),
    ]
    assert len(timeline["changes"]) == 3 and timeline["holds"] == []
    assert place_timeline(store, "gn:170794")[0]["holds"][0]["controller"]["id"] == "act:is"
    assert place_timeline(store, "Bakhmut") == []


def test_control_at_records_are_the_intervals_json_and_page(store: Store) -> None:
    """control_at reads its records straight from the rows: they must equal interval_to_json of the
    stored intervals, for every filter, and its pages must cut that same list."""
    rebels = Actor("act:rebels", "Syrian rebels", ("FSA",), "SYR", "rebel_group")
    store.save(_control_reading("IS seized Raqqa from rebels in January 2014.", [
        (RAQQA, IS, rebels, DateRange(D(2014, 1, 1), D(2014, 1, 31), "month"), "confirmed"),
    ]))
    store.save(_control_reading("The US claimed Raqqa; IS holds Deir ez-Zor; Al-Hol and Madani held by SDF.", [
        (RAQQA, US, None, DateRange.day(D(2015, 3, 1)), "claimed"),
    ], [(DEIR, IS, D(2015, 2, 10)), (NOWHERE, SDF, D(2015, 1, 1)), (MADANI, SDF, D(2015, 1, 1))]))
    filters: list[dict[str, Any]] = [
        {}, {"country": "SYR"}, {"bbox": (38.0, 35.0, 41.0, 36.5)}, {"place_ids": [RAQQA.id, MADANI.id]},
    ]
    for day in (D(2013, 6, 1), D(2015, 6, 1), D(2030, 1, 1)):
        for where in filters:
            expected = [interval_to_json(i) for i in store.control_on(day, **where)]
            assert store.control_records_on(day, **where) == expected
    everything = control_at(store, D(2015, 6, 1))
    assert [(r["place"]["name"], r["status"]) for r in everything] == [
        ("Al-Hol", "confirmed"), ("Deir ez-Zor", "confirmed"), ("Raqqa", "confirmed"), ("Raqqa", "claimed"),
        ("Wad Madani", "confirmed"),
    ]
    assert everything[2]["since"] == "2014-01-01" and everything[2]["until"] is None
    assert everything[2]["controller"]["aliases"] == list(IS.aliases)
    pages = [control_at(store, D(2015, 6, 1), limit=2, offset=k) for k in (0, 2, 4, 6)]
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert [r for p in pages for r in p] == everything  # a page may split a place's records, never lose one
    assert control_at(store, D(2015, 6, 1), country="SYR", limit=1, offset=2) == [everything[3]]
    assert control_at(store, D(2015, 6, 1), limit=0) == []
    with pytest.raises(ValueError, match="negative"):
        control_at(store, D(2015, 6, 1), offset=-1)
    # paging by key: each page starts after the last place of the one before; the pages give the list
    walked: list[dict[str, Any]] = []
    after = ""  # the first page by key
    while page := control_at(store, D(2015, 6, 1), limit=2, after=after):
        walked += page
        after = page[-1]["place"]["id"]
    assert walked == everything
    # a page by key ends with whole places (Raqqa's claim comes with its confirmed record); by offset not
    assert control_at(store, D(2015, 6, 1), limit=3, after="") == everything[:4]
    assert control_at(store, D(2015, 6, 1), limit=3) == everything[:3]
    assert control_at(store, D(2015, 6, 1), limit=1, after=DEIR.id) == everything[2:4]
    assert control_at(store, D(2015, 6, 1), after=RAQQA.id) == [everything[4]]
    assert control_at(store, D(2015, 6, 1), country="SYR", after=DEIR.id) == everything[2:4]
    with pytest.raises(LookupError, match="gn:nowhere-at-all"):
        control_at(store, D(2015, 6, 1), after="gn:nowhere-at-all")


# ---- places inside places ---------------------------------------------------------------------

IRAQ = Actor("state:IRQ", "Iraq", (), "IRQ", "state_forces")
NINEVEH = Place("gn:94787x", "Nineveh", None, 36.0, 42.5, "IRQ", "admin1", 3, "Nineveh")
MOSUL = Place("gn:99072", "Mosul", 99072, 36.34, 43.13, "IRQ", "city", 1, "Nineveh")
EAST_MOSUL = Place("unk:eastern-mosul", "eastern Mosul", None, None, None, "IRQ", "unknown", 2, "Nineveh")
TAL_AFAR = Place("gn:90393", "Tal Afar", 90393, 36.37, 42.45, "IRQ", "city", 1, "Ninawa")  # other spelling
KIRKUK = Place("gn:94787", "Kirkuk", 94787, 35.47, 44.39, "IRQ", "city", 1, "Kirkuk")


def test_places_inside_places(store: Store) -> None:
    store.save(_control_reading("IS seized Mosul, Tal Afar and Kirkuk in June 2014.", [
        (MOSUL, IS, IRAQ, DateRange(D(2014, 6, 1), D(2014, 6, 30), "month"), "confirmed"),
        (TAL_AFAR, IS, IRAQ, DateRange(D(2014, 6, 1), D(2014, 6, 30), "month"), "confirmed"),
        (KIRKUK, IS, IRAQ, DateRange(D(2014, 6, 1), D(2014, 6, 30), "month"), "confirmed"),
    ]))
    store.save(_control_reading("Iraqi forces took eastern Mosul in January 2017; IS holds Nineveh.", [
        (EAST_MOSUL, IRAQ, IS, DateRange.day(D(2017, 1, 24)), "confirmed"),
    ], [(NINEVEH, IS, D(2016, 10, 1))]))

    def names(places: list[Place]) -> list[str]:
        return [p.name for p in places]

    assert names(store.places_inside(NINEVEH)) == ["eastern Mosul", "Mosul"]  # Tal Afar's admin1 is spelt otherwise
    assert names(store.places_inside(MOSUL)) == ["eastern Mosul"]
    assert names(store.places_inside(Place("c:IRQ", "Iraq", None, None, None, "IRQ", "country"))) == [
        "eastern Mosul", "Kirkuk", "Mosul", "Nineveh", "Tal Afar",
    ]
    assert store.places_inside(KIRKUK) == []
    # control in a province, and in a city with its districts
    # the query layer also knows the gazetteer's spellings of a province: Tal Afar's "Ninawa" is Nineveh
    in_nineveh = control_at(store, D(2017, 2, 1), within="Nineveh")
    assert [(r["place"]["name"], r["controller"]["id"]) for r in in_nineveh] == [
        ("eastern Mosul", "state:IRQ"), ("Mosul", "act:is"), ("Nineveh", "act:is"), ("Tal Afar", "act:is"),
    ]
    in_mosul = control_at(store, D(2017, 2, 1), within="Mosul")
    assert [(r["place"]["name"], r["controller"]["id"]) for r in in_mosul] == [
        ("eastern Mosul", "state:IRQ"), ("Mosul", "act:is"),
    ]
    (mosul,) = [t for t in place_timeline(store, "Mosul") if t["place"]["id"] == MOSUL.id]
    assert [p["name"] for p in mosul["contains"]] == ["eastern Mosul"]
    assert control_at(store, D(2017, 2, 1), within="Atlantis") == []


def test_stored_timelines_are_rebuilt_when_the_rules_change(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fw.db'}"
    with open_store(url) as store:
        store.save(_control_reading("The SDF took Raqqa from IS on 17 October 2017.", [
            (RAQQA, SDF, IS, DateRange.day(D(2017, 10, 17)), "confirmed"),
        ]))
        expected = control_at(store, D(2018, 1, 1))
    assert [r["controller"]["id"] for r in expected] == ["act:sdf"]
    # a database whose timelines were built by other rules (or by a version that stored none)
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        session.execute(sql("DELETE FROM control_intervals"))
        session.execute(sql("UPDATE meta SET value = '0' WHERE key = 'timeline_version'"))
    engine.dispose()
    with open_store(url) as store:
        assert control_at(store, D(2018, 1, 1)) == expected


# ---- the event codes, stored with each event ----------------------------------------------------

CODES = ("acled_event_type", "acled_sub_event_type", "plover_type", "plover_mode", "cameo")


def _stored_codes(url: str) -> dict[str, tuple[str | None, ...]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sql(f"SELECT id, {', '.join(CODES)} FROM events")).all()
    engine.dispose()
    return {r[0]: tuple(r[1:]) for r in rows}


def _raw_reading() -> Reading:
    """reading() with its events as a hand-made reading gives them: without codes."""
    r = reading()
    r.events = [Event(**{k: v for k, v in vars(e).items() if k not in CODES}) for e in r.events]
    assert all(e.acled_sub_event_type is None for e in r.events)
    return r


def test_event_codes_are_computed_and_stored_when_an_event_is_saved(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "fw.db"))
    raw = _raw_reading()
    with open_store(url) as store:
        assert store.save(raw)
    stored = _stored_codes(url)
    for e in raw.events:
        coded = code_event(e)
        assert stored[e.id] == tuple(getattr(coded, c) for c in CODES)
    # the territory change is an ACLED event, the statement only a CAMEO one
    assert stored["e1"][:2] == ("Battles", "Non-state actor overtakes territory") and stored["e1"][2] is not None
    assert stored["e3"][:2] == (None, None) and stored["e3"][4] == "010"
    with open_store(url) as store:
        back = store.reading(raw.article.id)
        assert back is not None and back.events == [code_event(e) for e in raw.events]


def test_stored_codes_are_read_back_and_computed_only_where_missing(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "fw.db"))
    original = reading()
    with open_store(url) as store:
        store.save(original)
    engine = create_engine(url)
    with engine.begin() as conn:
        # e1: a stored code the rules would not give comes back as stored (it is read, not recomputed)
        conn.execute(sql("UPDATE events SET acled_sub_event_type = 'Grenade' WHERE id = 'e1'"))
        # e2: a row with no codes (saved before they were stored) gets them computed on load
        conn.execute(sql(f"UPDATE events SET {', '.join(c + ' = NULL' for c in CODES)} WHERE id = 'e2'"))
    engine.dispose()
    with open_store(url) as store:
        events = {e.id: e for e in store.reading(original.article.id).events}  # type: ignore[union-attr]
    assert events["e1"].acled_sub_event_type == "Grenade" and events["e1"].acled_event_type == "Battles"
    assert events["e2"] == original.events[1] and events["e2"].acled_sub_event_type == "Armed clash"


def test_a_version_1_store_gets_the_code_columns_filled_and_the_indexes(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "old.db"))
    original = reading()
    with open_store(url) as store:
        store.save(original)
    # make it the store the previous frontwatch wrote: no code columns, version 1, the server's indexes
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(sql("DROP INDEX ix_events_acled_date"))
        for column in CODES:
            conn.execute(sql(f"ALTER TABLE events DROP COLUMN {column}"))
        conn.execute(sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
        for name in ("type", "status", "place", "actor1", "actor2"):
            conn.execute(sql(f"DROP INDEX ix_events_{name}_date"))
        conn.execute(sql("CREATE INDEX ix_serve_events_type_date ON events (type, date_start)"))
        # and the indexes of revision 0002 (the revision before the codes) rather than 0004's and 0005's
        conn.execute(sql("DROP INDEX ix_control_intervals_day_order"))
        conn.execute(sql("DROP INDEX ix_places_name_order"))
        conn.execute(sql("DROP INDEX ix_places_country_name_order"))
        conn.execute(sql("CREATE INDEX ix_places_country ON places (country)"))
        conn.execute(sql("CREATE INDEX ix_control_intervals_place_days ON control_intervals (place_id, since, until)"))
        conn.execute(sql("UPDATE alembic_version SET version_num = '0002'"))
    engine.dispose()

    with open_store(url) as store:
        assert store.reading(original.article.id) == original
    stored = _stored_codes(url)
    assert stored == {e.id: tuple(getattr(e, c) for c in CODES) for e in original.events}
    engine = create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(sql("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        indexes = {r[0] for r in conn.execute(sql("SELECT name FROM sqlite_master WHERE type = 'index'"))}
        # the API's ACLED filter, in date order, is served by the index on the stored column
        plan = " ".join(str(r[-1]) for r in conn.execute(sql(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE acled_sub_event_type = 'Armed clash' "
            "AND date_start IS NOT NULL ORDER BY date_start LIMIT 50"
        )))
    engine.dispose()
    assert version == "2"
    assert {"ix_events_acled_date", "ix_events_type_date", "ix_events_actor2_date"} <= indexes
    assert "ix_places_country_name_order" in indexes and "ix_places_country" not in indexes
    assert not any(name.startswith("ix_serve_") for name in indexes)
    assert "ix_events_acled_date" in plan and "TEMP B-TREE" not in plan
