"""The control timeline engine: each numbered rule of frontwatch.store.timeline, on hand-built records."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from frontwatch.schema import Actor, ControlChange, DateRange, Evidence, Hold, Place
from frontwatch.store.timeline import Interval, build_timeline, control_on

D = dt.date
X = Place("gn:1", "Raqqa", 1, 35.95, 39.01, "SYR", "city")
Y = Place("gn:2", "Tabqa", 2, 35.83, 38.54, "SYR", "city")
IS = Actor("act:is", "Islamic State")
SDF = Actor("act:sdf", "Syrian Democratic Forces")
REBELS = Actor("act:rebels", "Syrian rebels")
SAA = Actor("act:saa", "Syrian Arab Army")

_ids = itertools.count()


def ev(doc: str = "", offset: int | None = None) -> Evidence:
    n = next(_ids)
    return Evidence(doc or f"doc-{n}", f"sentence {n}", offset if offset is not None else n, n + 10)


def rng(start: dt.date, end: dt.date | None = None, precision: str = "day") -> DateRange:
    return DateRange(start, end or start, precision)  # type: ignore[arg-type]


def change(
    controller: Actor,
    date: DateRange,
    previous: Actor | None = None,
    status: str = "confirmed",
    place: Place = X,
    evidence: Evidence | None = None,
    inferred: bool = False,
) -> ControlChange:
    return ControlChange(
        f"c{next(_ids)}", place, controller, previous, date, status, evidence or ev(), 0.9,
        previous_inferred=inferred,
    )


def hold(controller: Actor, day: dt.date, place: Place = X, evidence: Evidence | None = None) -> Hold:
    return Hold(f"h{next(_ids)}", place, controller, DateRange.day(day), evidence or ev(), 0.8)


def who(intervals: list[Interval], day: dt.date) -> list[tuple[str, str]]:
    return [(i.controller.id, i.status) for i in control_on(intervals, day)]


def spans(intervals: list[Interval]) -> list[tuple[str, dt.date | None, dt.date | None, str, str]]:
    return [(i.controller.id, i.since, i.until, i.status, i.basis) for i in intervals]


def test_scenario_is_then_sdf_with_hold_elsewhere_and_a_claim() -> None:
    changes = [
        change(IS, rng(D(2014, 1, 1), D(2014, 1, 31), "month"), previous=REBELS),
        change(SDF, DateRange.day(D(2017, 10, 17)), previous=IS),
        change(SAA, DateRange.day(D(2016, 3, 1)), status="claimed"),
    ]
    timeline = build_timeline(X, changes, [])
    assert who(timeline, D(2013, 12, 31)) == [("act:rebels", "confirmed")]
    assert who(timeline, D(2015, 6, 1)) == [("act:is", "confirmed")]
    assert who(timeline, D(2017, 10, 18)) == [("act:sdf", "confirmed")]
    # the claim does not overturn IS, it sits beside it until the next confirmed change
    assert who(timeline, D(2016, 5, 1)) == [("act:is", "confirmed"), ("act:saa", "claimed")]
    claim = next(i for i in timeline if i.status == "claimed")
    assert (claim.since, claim.until) == (D(2016, 3, 1), D(2017, 10, 16))
    assert spans(timeline)[0] == ("act:rebels", D(2013, 1, 1), D(2013, 12, 31), "confirmed", "previous")

    y_line = build_timeline(Y, [], [hold(IS, D(2015, 2, 10), place=Y)])
    assert spans(y_line) == [("act:is", D(2015, 2, 10), None, "confirmed", "hold")]
    assert who(y_line, D(2015, 2, 9)) == []
    assert who(y_line, D(2016, 1, 1)) == [("act:is", "confirmed")]


def test_rule1_undated_planned_and_negated_changes_give_no_control() -> None:
    changes = [
        change(IS, DateRange.unknown()),
        change(SDF, DateRange.day(D(2017, 1, 1)), status="planned"),
        change(SAA, DateRange.day(D(2017, 2, 1)), status="negated"),
    ]
    assert build_timeline(X, changes, []) == []
    dated = [*changes, change(REBELS, DateRange.day(D(2016, 1, 1)))]
    assert spans(build_timeline(X, dated, [])) == [("act:rebels", D(2016, 1, 1), None, "confirmed", "change")]


def test_rule2_reports_of_one_change_are_fused() -> None:
    a = change(IS, rng(D(2014, 1, 1), D(2014, 1, 31), "month"), evidence=ev("doc-a"))
    b = change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS, inferred=True, evidence=ev("doc-b"))
    c = change(IS, DateRange.day(D(2014, 1, 15)), previous=SAA, evidence=ev("doc-c"))  # 2 days after b
    timeline = build_timeline(X, [a, b, c], [])
    first_is = next(i for i in timeline if i.controller.id == "act:is")
    # intersection of month and days is empty across b and c → the narrowest range (b, the earliest tie)
    assert first_is.since == D(2014, 1, 13)
    assert first_is.sources == 3
    # previous: the non-inferred one is preferred
    assert spans(timeline)[0] == ("act:saa", D(2013, 1, 13), D(2014, 1, 12), "confirmed", "previous")
    assert len(timeline) == 2


def test_rule2_intersection_of_overlapping_ranges_and_far_reports_not_fused() -> None:
    month = change(IS, rng(D(2014, 1, 1), D(2014, 1, 31), "month"))
    week = change(IS, rng(D(2014, 1, 10), D(2014, 1, 16), "week"))
    timeline = build_timeline(X, [month, week], [])
    assert [(i.since, i.since_precision, i.sources) for i in timeline] == [(D(2014, 1, 10), "week", 2)]
    far = change(IS, DateRange.day(D(2014, 1, 20)))  # 4 days after the week ends: a second change
    between = change(SDF, DateRange.day(D(2014, 1, 18)))
    timeline = build_timeline(X, [week, between, far], [])
    assert spans(timeline) == [
        ("act:is", D(2014, 1, 10), D(2014, 1, 17), "confirmed", "change"),
        ("act:sdf", D(2014, 1, 18), D(2014, 1, 19), "confirmed", "change"),
        ("act:is", D(2014, 1, 20), None, "confirmed", "change"),
    ]


def test_rule3_no_interval_before_first_change_without_previous_and_same_controller_merges() -> None:
    timeline = build_timeline(
        X,
        [
            change(IS, DateRange.day(D(2014, 1, 5))),
            change(IS, DateRange.day(D(2014, 6, 1)), previous=SDF),  # re-reported much later
            change(SDF, DateRange.day(D(2015, 1, 1))),
        ],
        [],
    )
    assert spans(timeline) == [
        ("act:is", D(2014, 1, 5), D(2014, 12, 31), "confirmed", "change"),
        ("act:sdf", D(2015, 1, 1), None, "confirmed", "change"),
    ]
    assert timeline[0].sources == 2
    assert who(timeline, D(2014, 1, 4)) == []


def test_rule3_same_day_contradiction_keeps_the_better_sourced_change() -> None:
    sdf_reports = [change(SDF, DateRange.day(D(2017, 10, 17)), evidence=ev(f"doc-s{i}")) for i in range(2)]
    saa_report = change(SAA, DateRange.day(D(2017, 10, 17)))
    timeline = build_timeline(X, [*sdf_reports, saa_report, change(IS, DateRange.day(D(2018, 1, 1)))], [])
    assert who(timeline, D(2017, 11, 1)) == [("act:sdf", "confirmed"), ("act:saa", "disputed")]
    disputed = next(i for i in timeline if i.status == "disputed")
    assert disputed.until == D(2017, 12, 31)


def test_rule4_holds_add_evidence_or_dispute() -> None:
    takeover = change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS)
    agreeing = hold(IS, D(2015, 5, 1), evidence=ev("doc-hold"))
    contrary = hold(SAA, D(2015, 6, 1))
    timeline = build_timeline(X, [takeover], [agreeing, contrary])
    is_interval = next(i for i in timeline if i.controller.id == "act:is")
    assert agreeing.evidence in is_interval.evidence and is_interval.sources == 2
    assert who(timeline, D(2015, 6, 1)) == [("act:is", "confirmed"), ("act:saa", "disputed")]
    assert who(timeline, D(2015, 6, 2)) == [("act:is", "confirmed")]
    assert ("act:saa", D(2015, 6, 1), D(2015, 6, 1), "disputed", "hold") in spans(timeline)


def test_rule4_holds_before_a_change_without_previous_fill_the_gap() -> None:
    holds = [hold(REBELS, D(2013, 6, 1)), hold(REBELS, D(2013, 3, 1)), hold(IS, D(2013, 9, 1))]
    timeline = build_timeline(X, [change(SDF, DateRange.day(D(2014, 1, 10)))], holds)
    assert spans(timeline) == [
        ("act:rebels", D(2013, 3, 1), D(2013, 8, 31), "confirmed", "hold"),
        ("act:is", D(2013, 9, 1), D(2014, 1, 9), "confirmed", "hold"),
        ("act:sdf", D(2014, 1, 10), None, "confirmed", "change"),
    ]
    assert timeline[0].sources == 2
    # the holder just before a change is merged with it when it is the same actor
    merged = build_timeline(X, [change(IS, DateRange.day(D(2014, 1, 10)))], [hold(IS, D(2013, 9, 1))])
    assert spans(merged) == [("act:is", D(2013, 9, 1), None, "confirmed", "hold")]


def test_rule5_claims_never_overturn_and_later_confirmation_upgrades() -> None:
    base = change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS)
    claim = change(SDF, DateRange.day(D(2016, 5, 1)), status="claimed", evidence=ev("doc-claim"))
    confirmed = change(SDF, DateRange.day(D(2016, 5, 3)), evidence=ev("doc-confirm"))
    timeline = build_timeline(X, [base, claim], [])
    assert who(timeline, D(2016, 5, 2)) == [("act:is", "confirmed"), ("act:sdf", "claimed")]

    upgraded = build_timeline(X, [base, claim, confirmed], [])
    assert [i.status for i in upgraded] == ["confirmed", "confirmed", "confirmed"]
    sdf = upgraded[-1]
    assert (sdf.controller.id, sdf.since, sdf.sources) == ("act:sdf", D(2016, 5, 3), 2)
    assert who(upgraded, D(2016, 5, 2)) == [("act:is", "confirmed")]

    # a confirmed change by someone else first: the claim stays a claim, ended by that change
    other = change(SAA, DateRange.day(D(2016, 5, 2)))
    mixed = build_timeline(X, [base, claim, other, confirmed], [])
    assert who(mixed, D(2016, 5, 1)) == [("act:is", "confirmed"), ("act:sdf", "claimed")]
    assert who(mixed, D(2016, 5, 2)) == [("act:saa", "confirmed")]
    assert next(i for i in mixed if i.controller.id == "act:sdf" and i.status == "confirmed").sources == 1


def test_rule5_claim_by_the_current_holder_is_evidence_and_disputed_status_kept() -> None:
    base = change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS)
    echo = change(IS, DateRange.day(D(2015, 2, 1)), status="claimed")
    timeline = build_timeline(X, [base, echo], [])
    assert len(timeline) == 2 and timeline[1].sources == 2
    disputed = change(SAA, DateRange.day(D(2015, 2, 1)), status="disputed")
    assert who(build_timeline(X, [base, disputed], []), D(2015, 3, 1)) == [
        ("act:is", "confirmed"),
        ("act:saa", "disputed"),
    ]


def test_control_on_open_and_closed_bounds() -> None:
    timeline = build_timeline(X, [change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS)], [])
    # who held it before a change is asserted for the year before it, not for ever
    assert who(timeline, D(1990, 1, 1)) == []
    assert who(timeline, D(2013, 6, 1)) == [("act:rebels", "confirmed")]
    assert who(timeline, D(2014, 1, 12)) == [("act:rebels", "confirmed")]
    assert who(timeline, D(2014, 1, 13)) == [("act:is", "confirmed")]
    assert who(timeline, D(2090, 1, 1)) == [("act:is", "confirmed")]


# ---- rule 6: the order of the inputs does not matter ---------------------------------------

ACTORS = [IS, SDF, REBELS, SAA]
BASE = D(2014, 1, 1)


@st.composite
def reports(draw: st.DrawFn) -> tuple[list[ControlChange], list[Hold]]:
    n_changes = draw(st.integers(0, 7))
    changes = []
    for _ in range(n_changes):
        start = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
        width = draw(st.sampled_from([0, 0, 2, 6, 30]))
        changes.append(
            change(
                draw(st.sampled_from(ACTORS)),
                rng(start, start + dt.timedelta(days=width), "day" if width == 0 else "range"),
                previous=draw(st.sampled_from([None, *ACTORS])),
                status=draw(st.sampled_from(["confirmed", "confirmed", "claimed", "disputed", "planned"])),
                evidence=ev(draw(st.sampled_from(["doc-a", "doc-b", "doc-c"])), draw(st.integers(0, 5))),
                inferred=draw(st.booleans()),
            )
        )
    holds = [
        hold(
            draw(st.sampled_from(ACTORS)),
            BASE + dt.timedelta(days=draw(st.integers(-20, 70))),
            evidence=ev(draw(st.sampled_from(["doc-a", "doc-d"])), draw(st.integers(0, 5))),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    return changes, holds


@settings(max_examples=200, deadline=None)
@given(reports(), st.randoms(use_true_random=False))
def test_rule6_timeline_does_not_depend_on_input_order(
    data: tuple[list[ControlChange], list[Hold]], shuffler: random.Random
) -> None:
    changes, holds = data
    expected = build_timeline(X, list(changes), list(holds))
    shuffled_changes, shuffled_holds = list(changes), list(holds)
    shuffler.shuffle(shuffled_changes)
    shuffler.shuffle(shuffled_holds)
    assert build_timeline(X, shuffled_changes, shuffled_holds) == expected
    # and confirmed control never overlaps itself
    confirmed = [i for i in expected if i.status == "confirmed"]
    for a, b in itertools.pairwise(confirmed):
        assert a.until is not None and b.since is not None and a.until < b.since


def test_a_side_that_takes_a_place_again_had_lost_it_in_between() -> None:
    # M23-style: took the town in 2012, took it again in 2025 from the army; no report of the loss.
    first = change(IS, DateRange.day(D(2012, 11, 20)), previous=REBELS)
    again = change(IS, DateRange.day(D(2025, 1, 27)), previous=REBELS)
    timeline = build_timeline(X, [again, first], [])
    assert who(timeline, D(2012, 12, 1)) == [("act:is", "confirmed")]
    assert who(timeline, D(2018, 6, 1)) == []  # nobody's report covers these years
    assert who(timeline, D(2024, 6, 1)) == [("act:rebels", "confirmed")]
    assert who(timeline, D(2025, 2, 1)) == [("act:is", "confirmed")]


def test_repeated_reports_of_one_hold_are_not_a_recapture() -> None:
    # The same side reported taking the place twice within a year is one continuous hold.
    timeline = build_timeline(
        X,
        [change(IS, DateRange.day(D(2014, 1, 13)), previous=REBELS), change(IS, DateRange.day(D(2014, 6, 1)))],
        [],
    )
    assert who(timeline, D(2014, 3, 1)) == [("act:is", "confirmed")]
    assert who(timeline, D(2016, 3, 1)) == [("act:is", "confirmed")]
