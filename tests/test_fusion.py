"""One change from many articles: fusion of reports, source counts, conflicts side by side, and a
store whose timelines do not depend on the order articles were ingested in."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from frontwatch.query.changes import changes_json
from frontwatch.query.control import control_at, place_timeline
from frontwatch.schema import Actor, Article, ControlChange, DateRange, Evidence, Hold, Place, Reading
from frontwatch.store.db import open_store
from frontwatch.store.fusion import fuse_changes
from frontwatch.store.repository import Store

D = dt.date
RUSSIA = Actor("state:RUS", "Russia", (), "RUS", "state_forces")
UKRAINE = Actor("state:UKR", "Ukraine", (), "UKR", "state_forces")
M23 = Actor("act:m23", "March 23 Movement", ("M23",), None, "rebel_group")
DRC = Actor("state:COD", "DR Congo", (), "COD", "state_forces")
AVDIIVKA = Place("gn:712451", "Avdiivka", 712451, 48.14, 37.74, "UKR", "city", 1, "Donetsk")
GOMA = Place("gn:216281", "Goma", 216281, -1.68, 29.23, "COD", "city", 1, "North Kivu")
SOLEDAR = Place("gn:697060", "Soledar", 697060, 48.68, 38.09, "UKR", "city", 1, "Donetsk")


def report(
    doc: str,
    place: Place,
    controller: Actor,
    start: dt.date,
    end: dt.date | None = None,
    previous: Actor | None = None,
    status: str = "confirmed",
    offset: int = 0,
    inferred: bool = False,
) -> ControlChange:
    date = DateRange(start, end or start, "day" if end in (None, start) else "range")
    return ControlChange(
        f"{doc}:c{offset}", place, controller, previous, date, status,
        Evidence(doc, f"{controller.name} took {place.name}.", offset, offset + 30), 0.9,
        previous_inferred=inferred,
    )


# ---- fusion of reports ------------------------------------------------------------------------


def test_reports_of_one_change_fuse_with_all_sources_and_a_count() -> None:
    reports = [
        report("doc-a", AVDIIVKA, RUSSIA, D(2024, 2, 17), previous=UKRAINE),
        report("doc-b", AVDIIVKA, RUSSIA, D(2024, 2, 15), D(2024, 2, 18)),  # "this week": overlaps
        report("doc-c", AVDIIVKA, RUSSIA, D(2024, 2, 19), status="claimed"),  # two days later, a claim
        report("doc-a", AVDIIVKA, RUSSIA, D(2024, 2, 17), offset=200),  # near-duplicate in one article
    ]
    (fused,) = fuse_changes(reports)
    data = fused.to_json()
    assert data["sources"] == ["doc-a", "doc-b", "doc-c"]
    assert (data["source_count"], data["report_count"]) == (3, 4)
    assert data["status"] == "confirmed" and data["statuses"] == ["claimed", "confirmed"]
    assert data["previous"]["id"] == "state:UKR"  # told by one report, kept for the event
    assert (data["date"]["start"], data["date"]["end"]) == ("2024-02-17", "2024-02-17")
    assert data["conflicts_with"] == []


def test_far_apart_or_other_previous_holders_are_other_changes() -> None:
    first = report("doc-a", AVDIIVKA, RUSSIA, D(2014, 8, 1), previous=UKRAINE)
    later = report("doc-b", AVDIIVKA, RUSSIA, D(2024, 2, 17), previous=UKRAINE)
    assert len(fuse_changes([first, later])) == 2
    # same days, but one report says Russia took it from Ukraine, the other from M23: not one change
    a = report("doc-a", GOMA, RUSSIA, D(2025, 1, 27), previous=UKRAINE)
    b = report("doc-b", GOMA, RUSSIA, D(2025, 1, 27), previous=M23)
    assert len(fuse_changes([a, b])) == 2
    # an inferred previous holder does not split a change
    c = report("doc-c", GOMA, RUSSIA, D(2025, 1, 27), previous=M23, inferred=True)
    assert len(fuse_changes([a, c])) == 1


def test_a_confirming_report_upgrades_a_denied_claim_and_conflicts_stay_side_by_side() -> None:
    claim = report("doc-a", GOMA, M23, D(2025, 1, 27), previous=DRC, status="disputed")
    assert fuse_changes([claim])[0].status == "disputed"
    confirmed = report("doc-b", GOMA, M23, D(2025, 1, 27))
    counter = report("doc-c", GOMA, DRC, D(2025, 1, 28), status="claimed")  # the army says it still holds it
    fused = {f.controller.id: f for f in fuse_changes([claim, confirmed, counter])}
    assert fused["act:m23"].status == "confirmed"
    assert fused["act:m23"].to_json()["statuses"] == ["confirmed", "disputed"]  # the denial stays visible
    assert fused["act:m23"].conflicts_with == [fused["state:COD"].id]
    assert fused["state:COD"].conflicts_with == [fused["act:m23"].id]


def test_planned_and_negated_reports_are_not_the_change_itself() -> None:
    plan = report("doc-a", SOLEDAR, RUSSIA, D(2023, 1, 13), status="planned")
    done = report("doc-b", SOLEDAR, RUSSIA, D(2023, 1, 13))
    failed = report("doc-c", SOLEDAR, RUSSIA, D(2023, 1, 13), status="negated")
    statuses = sorted(f.status for f in fuse_changes([plan, done, failed]))
    assert statuses == ["confirmed", "negated", "planned"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["doc-a", "doc-b", "doc-c"]),
            st.sampled_from([RUSSIA, UKRAINE]),
            st.integers(0, 20),
            st.sampled_from([0, 0, 3, 10]),
            st.sampled_from([None, RUSSIA, UKRAINE]),
            st.sampled_from(["confirmed", "claimed", "disputed", "planned"]),
        ),
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_fusion_does_not_depend_on_report_order(rows: list, shuffler: random.Random) -> None:
    reports = [
        report(doc, AVDIIVKA, who, D(2024, 2, 1) + dt.timedelta(days=day),
               D(2024, 2, 1) + dt.timedelta(days=day + width), previous=prev, status=status, offset=i)
        for i, (doc, who, day, width, prev, status) in enumerate(rows)
    ]
    expected = [f.to_json() for f in fuse_changes(list(reports))]
    shuffler.shuffle(reports)
    assert [f.to_json() for f in fuse_changes(reports)] == expected


# ---- the store: many articles about one place -------------------------------------------------


def article(text: str, published: dt.date, changes: Sequence[tuple], holds: Sequence[tuple] = ()) -> Reading:
    """A reading of ``text``: changes (place, controller, previous, start, end, status), holds (place, who, day)."""
    a = Article(text=text, title=text[:30], published=published, site="example.org")
    ev = Evidence(a.id, text, 0, len(text))
    return Reading(
        article=a,
        control=[
            ControlChange(f"{a.id}:c{i}", p, c, prev, DateRange(s, e, "day" if s == e else "range"), st_, ev, 0.9)
            for i, (p, c, prev, s, e, st_) in enumerate(changes)
        ],
        holds=[Hold(f"{a.id}:h{i}", p, c, DateRange.day(day), ev, 0.8) for i, (p, c, day) in enumerate(holds)],
    )


ARTICLES = [
    article("Russia said its forces had captured Avdiivka; Ukraine denied it.", D(2024, 2, 18),
            [(AVDIIVKA, RUSSIA, UKRAINE, D(2024, 2, 17), D(2024, 2, 17), "disputed")]),
    article("Ukrainian troops have pulled out of Avdiivka, the commander said.", D(2024, 2, 18),
            [(AVDIIVKA, RUSSIA, UKRAINE, D(2024, 2, 17), D(2024, 2, 17), "confirmed")]),
    article("Russia took Avdiivka this month after a four-month battle.", D(2024, 2, 28),
            [(AVDIIVKA, RUSSIA, UKRAINE, D(2024, 2, 1), D(2024, 2, 29), "confirmed")]),
    article("Ukraine still holds Avdiivka, its defenders said.", D(2023, 12, 1),
            [], [(AVDIIVKA, UKRAINE, D(2023, 12, 1))]),
    article("Russia vowed to take Soledar by the end of January.", D(2023, 1, 5),
            [(SOLEDAR, RUSSIA, UKRAINE, D(2023, 1, 31), D(2023, 1, 31), "planned")]),
    article("Russia's defence ministry said it had captured Soledar; Kyiv said fighting continued.", D(2023, 1, 13),
            [(SOLEDAR, RUSSIA, UKRAINE, D(2023, 1, 12), D(2023, 1, 12), "disputed")]),
    article("M23 rebels captured Goma on Monday.", D(2025, 1, 28),
            [(GOMA, M23, DRC, D(2025, 1, 27), D(2025, 1, 27), "confirmed")]),
    article("The army said it had retaken Goma from M23.", D(2025, 1, 30),
            [(GOMA, DRC, M23, D(2025, 1, 29), D(2025, 1, 29), "claimed")]),
]


def _snapshot(store: Store) -> list:
    days = [D(2023, 1, 20), D(2023, 12, 1), D(2024, 2, 10), D(2024, 3, 1), D(2025, 2, 1)]
    return [
        [control_at(store, day) for day in days],
        [place_timeline(store, name) for name in ("Avdiivka", "Soledar", "Goma")],
        changes_json(store),
    ]


def _ingest(tmp_path: Path, name: str, readings: list[Reading]) -> Store:
    store = open_store(f"sqlite:///{tmp_path / name}")
    for r in readings:
        assert store.save(r)
    return store


@settings(max_examples=8, deadline=None)
@given(st.permutations(ARTICLES))
def test_shuffled_ingest_orders_give_identical_timelines(tmp_path_factory, order: list[Reading]) -> None:
    tmp = tmp_path_factory.mktemp("order")
    with _ingest(tmp, "sorted.db", ARTICLES) as reference, _ingest(tmp, "shuffled.db", order) as shuffled:
        assert _snapshot(shuffled) == _snapshot(reference)


def test_many_articles_answer_who_held_it_and_how_sure(tmp_path: Path) -> None:
    with _ingest(tmp_path, "fw.db", ARTICLES) as store:
        # the denial alone is not control; the confirming reports make it Russia's from the 17th
        (before,) = control_at(store, D(2024, 2, 10), country="UKR", within="Avdiivka")
        assert (before["controller"]["id"], before["status"]) == ("state:UKR", "confirmed")
        (after,) = control_at(store, D(2024, 3, 1), within="Avdiivka")
        assert (after["controller"]["id"], after["status"], after["since"]) == ("state:RUS", "confirmed", "2024-02-17")
        assert after["sources"] == 3
        # a planned handover and a disputed capture never give Russia confirmed control of Soledar
        soledar = control_at(store, D(2023, 1, 20), within="Soledar")
        assert [(r["controller"]["id"], r["status"]) for r in soledar] == [("state:RUS", "disputed")]
        # a claim does not overturn the confirmed capture of Goma: both stay visible
        goma = control_at(store, D(2025, 2, 1), within="Goma")
        assert [(r["controller"]["id"], r["status"]) for r in goma] == [
            ("act:m23", "confirmed"), ("state:COD", "claimed"),
        ]
        fused = {(c["place"]["name"], c["controller"]["id"], c["status"]): c for c in changes_json(store)}
        avdiivka = fused[("Avdiivka", "state:RUS", "confirmed")]
        assert (avdiivka["source_count"], avdiivka["report_count"]) == (3, 3)
        assert avdiivka["statuses"] == ["confirmed", "disputed"]
        goma_claim = fused[("Goma", "state:COD", "claimed")]
        assert goma_claim["conflicts_with"] == [fused[("Goma", "act:m23", "confirmed")]["id"]]
        since = changes_json(store, since=D(2025, 1, 1), until=D(2025, 12, 31))
        assert {c["place"]["name"] for c in since} == {"Goma"}


def test_an_article_updates_only_the_places_it_reports_on(tmp_path: Path, monkeypatch) -> None:
    from frontwatch.store import intervals

    with _ingest(tmp_path, "fw.db", ARTICLES[:4]) as store:
        rebuilt: list[list[str]] = []
        real = intervals._refresh_batch
        monkeypatch.setattr(intervals, "_refresh_batch", lambda s, ids: (rebuilt.append(ids), real(s, ids)))
        store.save(ARTICLES[6])  # about Goma only
        assert rebuilt == [[GOMA.id]]
        assert [r["controller"]["id"] for r in control_at(store, D(2025, 2, 1), within="Goma")] == ["act:m23"]


def test_changes_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from frontwatch.cli import app

    with _ingest(tmp_path, "fw.db", ARTICLES):
        pass
    db = str(tmp_path / "fw.db")
    result = CliRunner().invoke(app, ["changes", "--db", db, "--since", "2024-01-01", "--until", "2024-12-31"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [(r["place"]["name"], r["status"], r["source_count"]) for r in records] == [("Avdiivka", "confirmed", 3)]
    table = CliRunner().invoke(app, ["changes", "--db", db, "--country", "COD", "--format", "table"])
    assert table.exit_code == 0 and "Goma" in table.stdout and "Avdiivka" not in table.stdout
    backwards = CliRunner().invoke(app, ["changes", "--db", db, "--since", "2025-01-01", "--until", "2024-01-01"])
    assert backwards.exit_code == 2 and "after --until" in backwards.output
    bad = CliRunner().invoke(app, ["changes", "--db", db, "--status", "rumoured"])
    assert bad.exit_code == 2 and "--status" in bad.output
