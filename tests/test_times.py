"""Time expressions: recognition, normalisation against the publication date, relation and future flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontwatch.extract import times
from frontwatch.extract.times import (
    TimeMention,
    find_times,
    infer_publication_date,
    normalize,
    publication_date_evidence,
    timeml_mentions,
    url_date,
)

D = dt.date
PUB = D(2017, 11, 5)  # a Sunday


def only(text: str, published: dt.date | None = PUB) -> TimeMention:
    found = find_times(text, published)
    assert len(found) == 1, found
    return found[0]


def span(m: TimeMention) -> tuple[dt.date | None, dt.date | None, str]:
    return (m.range.start, m.range.end, m.range.precision)


# --- days with a month ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On November 3rd, the SDF entered the city.", D(2017, 11, 3)),
        ("On October 17th the militants fled.", D(2017, 10, 17)),
        ("Fighting resumed on Aug. 20 near the dam.", D(2017, 8, 20)),
        ("The group withdrew on Sept. 25 after talks.", D(2017, 9, 25)),
        ("The siege began on Dec. 1 amid heavy rain.", D(2016, 12, 1)),  # year-less: the closest one before
        ("The town fell on 20 November, officials said.", D(2016, 11, 20)),
        ("The town fell on 2 November, officials said.", D(2017, 11, 2)),
        ("Thursday, Nov. 2, 2017: the army advanced.", D(2017, 11, 2)),
        ("Recorded on 2017-11-03 by the monitor.", D(2017, 11, 3)),
        ("Recorded on 03/11/2017 by the monitor.", D(2017, 11, 3)),  # day/month/year first
        ("Recorded on 11/25/2017 by the monitor.", D(2017, 11, 25)),  # month/day when day/month is impossible
        ("It ended on the 3rd of November 2015.", D(2015, 11, 3)),
    ],
)
def test_day_dates(text: str, expected: dt.date) -> None:
    m = only(text)
    assert span(m) == (expected, expected, "day")
    assert m.range.timex == expected.isoformat()
    assert m.range.basis == "text"
    assert m.type == "DATE"
    assert text[m.start : m.end] == m.text


def test_mention_span_leaves_the_preposition_out() -> None:
    m = only("The SDF said on Thursday that it held the dam.")
    assert m.text == "Thursday"


def test_day_of_month_ordinal() -> None:
    assert span(only("Troops crossed the river on the 17th.")) == (D(2017, 10, 17), D(2017, 10, 17), "day")
    assert span(only("Troops crossed the river on the 3rd.")) == (D(2017, 11, 3), D(2017, 11, 3), "day")
    assert find_times("He served in the 17th Division until the 5th Brigade arrived.", PUB) == []


# --- weekdays -------------------------------------------------------------------------------------


def test_weekday_is_the_last_one_on_or_before_publication() -> None:
    assert span(only("Rebels took the town on Thursday.")) == (D(2017, 11, 2), D(2017, 11, 2), "day")
    # Published on a Saturday: "on Friday" is the day before.
    assert only("Rebels took the town on Friday.", D(2022, 5, 21)).range.start == D(2022, 5, 20)
    # Published on a Thursday: "on Thursday" is that day.
    assert only("Rebels took the town on Thursday.", D(2017, 11, 2)).range.start == D(2017, 11, 2)
    # "last Sunday" published on a Sunday is a week back.
    assert only("Fighting flared last Sunday.").range.start == D(2017, 10, 29)


@pytest.mark.parametrize(
    "text",
    [
        "The two sides will meet on Thursday in Geneva.",
        "The handover is due to take place on Thursday.",
        "The vote is scheduled for Thursday.",
        "On Thursday, the delegations will sign the deal.",
    ],
)
def test_weekday_in_a_future_clause_is_the_next_one(text: str) -> None:
    m = only(text)
    assert m.range.start == D(2017, 11, 9)
    assert m.future


def test_past_clause_after_a_future_one_stays_past() -> None:
    m = only("The minister said on Thursday that troops will withdraw.")
    assert m.range.start == D(2017, 11, 2)
    assert not m.future


def test_next_weekday() -> None:
    m = only("Talks resume next Monday.")
    assert m.range.start == D(2017, 11, 6)
    assert m.future


# --- relative days, weeks, months, years ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "timex"),
    [
        ("Shelling continued yesterday.", D(2017, 11, 4), D(2017, 11, 4), "day", "2017-11-04"),
        ("Shelling continued today.", PUB, PUB, "day", "2017-11-05"),
        ("Shelling continued this week.", D(2017, 10, 30), D(2017, 11, 5), "week", "2017-W44"),
        ("Shelling continued last week.", D(2017, 10, 23), D(2017, 10, 29), "week", "2017-W43"),
        ("Talks open next week.", D(2017, 11, 6), D(2017, 11, 12), "week", "2017-W45"),
        ("The town fell last month.", D(2017, 10, 1), D(2017, 10, 31), "month", "2017-10"),
        ("The town fell late last month.", D(2017, 10, 21), D(2017, 10, 31), "range", "2017-10"),
        ("The town fell earlier this month.", D(2017, 11, 1), D(2017, 11, 4), "range", "2017-11"),
        ("The town fell this year.", D(2017, 1, 1), D(2017, 12, 31), "year", "2017"),
        ("The town fell last year.", D(2016, 1, 1), D(2016, 12, 31), "year", "2016"),
        ("The town fell three years ago.", D(2014, 1, 1), D(2014, 12, 31), "year", "2014"),
        ("The town fell two months ago.", D(2017, 9, 1), D(2017, 9, 30), "month", "2017-09"),
        ("The town fell five days ago.", D(2017, 10, 31), D(2017, 10, 31), "day", "2017-10-31"),
    ],
)
def test_relative_expressions(text: str, start: dt.date, end: dt.date, precision: str, timex: str) -> None:
    m = only(text)
    assert span(m) == (start, end, precision)
    assert m.range.timex == timex


# --- months ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The offensive began in July.", D(2017, 7, 1), D(2017, 7, 31)),
        ("The offensive began in November.", D(2017, 11, 1), D(2017, 11, 30)),  # same month counts
        ("The offensive began in December.", D(2016, 12, 1), D(2016, 12, 31)),
        ("The offensive began last August.", D(2017, 8, 1), D(2017, 8, 31)),
        ("The offensive began in January 2014.", D(2014, 1, 1), D(2014, 1, 31)),
        ("Figures for January 2014 were revised.", D(2014, 1, 1), D(2014, 1, 31)),
    ],
)
def test_month_expressions(text: str, start: dt.date, end: dt.date) -> None:
    m = only(text)
    assert span(m) == (start, end, "month")
    assert m.range.timex == f"{start.year:04d}-{start.month:02d}"


def test_month_in_a_future_clause_is_the_next_one() -> None:
    m = only("Elections will be held in March.")
    assert span(m) == (D(2018, 3, 1), D(2018, 3, 31), "month")
    assert m.future


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Troops arrived in early April.", D(2017, 4, 1), D(2017, 4, 10)),
        ("Troops arrived in mid-April.", D(2017, 4, 11), D(2017, 4, 20)),
        ("Troops arrived in late April.", D(2017, 4, 21), D(2017, 4, 30)),
        ("Troops arrived in late February.", D(2017, 2, 21), D(2017, 2, 28)),
        ("Troops arrived at the end of February 2016.", D(2016, 2, 21), D(2016, 2, 29)),
        ("Troops arrived in mid-July 2014.", D(2014, 7, 11), D(2014, 7, 20)),
    ],
)
def test_month_thirds(text: str, start: dt.date, end: dt.date) -> None:
    assert span(only(text)) == (start, end, "range")


# --- years and spans -----------------------------------------------------------------------------


def test_since_a_year() -> None:
    m = only("The group has held the city since 2014.")
    assert m.relation == "since"
    assert span(m) == (D(2014, 1, 1), D(2014, 12, 31), "year")
    assert m.range.timex == "2014"


def test_from_a_month_is_since() -> None:
    m = only("The town was besieged from January 2014.")
    assert m.relation == "since"
    assert m.range.timex == "2014-01"


def test_bare_years_in_date_contexts() -> None:
    found = find_times("The city changed hands in 2014 and 2015.", PUB)
    assert [(m.text, m.range.timex, m.range.precision) for m in found] == [
        ("2014", "2014", "year"),
        ("2015", "2015", "year"),
    ]
    assert [m.text for m in find_times("It was the worst of 2016, worse than in 2015.", PUB)] == [
        "2016",
        "2015",
    ]


def test_ranges() -> None:
    m = only("Clashes took place between 5 and 7 March.")
    assert span(m) == (D(2017, 3, 5), D(2017, 3, 7), "range")
    m = only("Attacks fell in the first half of 2016.")
    assert span(m) == (D(2016, 1, 1), D(2016, 6, 30), "range")
    assert m.range.timex == "2016-H1"
    m = only("The war raged from 2012 to 2015.")
    assert span(m) == (D(2012, 1, 1), D(2015, 12, 31), "range")


@pytest.mark.parametrize(
    ("text", "start", "timex"),
    [
        ("They won a four-month battle for the city.", D(2017, 7, 5), "P4M"),
        ("The two-month siege ended.", D(2017, 9, 5), "P2M"),
        ("The group held the town for more than two years.", D(2015, 11, 5), "P2Y"),
    ],
)
def test_durations_end_at_publication(text: str, start: dt.date, timex: str) -> None:
    m = only(text)
    assert m.type == "DURATION"
    assert m.relation == "duration"
    assert span(m) == (start, PUB, "range")
    assert m.range.timex == timex


@pytest.mark.parametrize(
    ("text", "relation", "timex"),
    [
        ("Hours after the strike, the army moved in.", "after", "PTXH"),
        ("A day after the fall of the town, rebels left.", "after", "P1D"),
        ("Weeks later, the front collapsed.", "after", "PXW"),
        ("Two days before the truce, shelling stopped.", "before", "P2D"),
    ],
)
def test_anchored_offsets_leave_the_range_to_the_caller(text: str, relation: str, timex: str) -> None:
    m = only(text)
    assert m.relation == relation
    assert m.range.precision == "unknown" and not m.range.known
    assert m.range.timex == timex


# --- future deadlines -----------------------------------------------------------------------------


def test_deadline_is_until_and_future() -> None:
    m = only("Fighters must leave by 20 November.")
    assert span(m) == (D(2017, 11, 20), D(2017, 11, 20), "day")
    assert m.relation == "until"
    assert m.future


def test_year_less_date_in_a_future_clause() -> None:
    m = only("The deal is due to be signed on Sept. 25.")
    assert m.range.start == D(2018, 9, 25)
    assert m.future
    assert only("The deal was signed on Sept. 25.").range.start == D(2017, 9, 25)


# --- no publication date --------------------------------------------------------------------------


def test_without_publication_date_relative_expressions_are_unknown() -> None:
    for text in (
        "Rebels took it on Thursday.",
        "It fell last month.",
        "Clashes on Aug. 20.",
        "In July, it fell.",
    ):
        m = only(text, None)
        assert m.range == m.range.unknown() or (m.range.precision == "unknown" and not m.range.known), text
    assert only("It fell in January 2014.", None).range.timex == "2014-01"
    assert only("Held since 2014.", None).range.timex == "2014"
    assert only("Recorded on 2017-11-03.", None).range.start == D(2017, 11, 3)


def test_module_never_reads_the_clock() -> None:
    source = Path(times.__file__).read_text()
    assert "today()" not in source and ".now(" not in source


# --- false positives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Such attacks may lead to further displacement.",
        "Thousands staged a march on the capital.",
        "August Kowalski, a resident, described the shelling.",
        "The group has between 1,500-2,500 fighters.",
        "Some 531 fighters surrendered.",
        "About 45,000 people fled.",
        "Temperatures reached 45 degrees.",
        "The group lost 40 percent of its territory.",
        "A force of 2000 fighters gathered.",
        "A 12-year-old boy was wounded.",
        "Rebels hold a quarter of the province.",
        "Fuel costs $5 a day.",
    ],
)
def test_false_positives(text: str) -> None:
    assert find_times(text, PUB) == []


def test_decades_and_modifier_years_follow_timeml() -> None:
    # TimeML marks both; these cases used to be listed as false positives.
    decade = only("The militia grew in the 1990s.")
    assert (decade.range.timex, decade.range.start, decade.range.end) == ("199", D(1990, 1, 1), D(1999, 12, 31))
    # A year naming an earlier event ("the 2014 offensive") keeps its value but dates nothing.
    year = only("The 2014 offensive failed.")
    assert year.range.timex == "2014" and not year.range.known


def test_abbreviated_month_day_is_not_a_year() -> None:
    assert only("Talks ended Sept. 25.").range.precision == "day"
    m = only("Talks end in September 2025.")
    assert (m.range.timex, m.range.precision) == ("2025-09", "month")


# --- normalize and infer_publication_date ---------------------------------------------------------


def test_normalize() -> None:
    late = normalize("late last month", PUB)
    assert late is not None and (late.start, late.end) == (D(2017, 10, 21), D(2017, 10, 31))
    thursday = normalize("on Thursday", PUB, future=True)
    assert thursday is not None and thursday.start == D(2017, 11, 9)
    since = normalize("since 2014", PUB)
    assert since is not None and since.timex == "2014"
    assert normalize("the rebels", PUB) is None
    unknown = normalize("next week", None)
    assert unknown is not None and not unknown.known


def test_infer_publication_date_takes_the_latest_past_full_date() -> None:
    text = (
        "Fighting began on 1 October 2017. By November 3, 2017 the town had fallen. "
        "A ceasefire is due to start on 1 March 2018. Troops first arrived in 2014."
    )
    assert infer_publication_date(text) == D(2017, 11, 3)
    assert infer_publication_date("Fighting began on Thursday in July.") is None
    assert publication_date_evidence(text) == (D(2017, 11, 3), "November 3, 2017")


def test_url_date_reads_the_day_a_link_gives() -> None:
    assert url_date("https://example.org/2017/11/03/town-falls") == D(2017, 11, 3)
    assert url_date("https://example.org/news/2017-11-03-town-falls.html") == D(2017, 11, 3)
    assert url_date("https://example.org/news/20171103/story") == D(2017, 11, 3)
    assert url_date("https://example.org/2017/02/30/no-such-day") is None
    assert url_date("https://example.org/story/1234567890123") is None
    assert url_date(None) is None


def test_weekday_next_to_a_date_picks_the_year() -> None:
    # 26 October 2017 is a Thursday: a day after a 25 October publication, not a year before.
    m = only("Talks resumed Thursday, Oct. 26, officials said.", D(2017, 10, 25))
    assert m.range.start == D(2017, 10, 26)


def test_time_of_day_and_present_reference() -> None:
    m = only("Rebels attacked on Friday morning.")
    assert (m.range.start, m.range.timex, m.type) == (D(2017, 11, 3), "2017-11-03TMO", "TIME")
    m = only("The army now controls the bridge.")
    assert (m.range.start, m.range.timex) == (PUB, "PRESENT_REF")


def test_multiword_cue_needs_whole_words() -> None:
    # "this town" holds the letters of "is to" but no future cue.
    assert only("Rebels entered this town on Thursday.").range.start == D(2017, 11, 2)


def test_by_in_a_past_clause_is_not_a_deadline() -> None:
    m = only("The SDF had encircled the town by mid-June.", D(2016, 8, 13))
    assert (m.range.start, m.future, m.relation) == (D(2016, 6, 11), False, "until")
    # "by" naming an agent is no future cue either.
    m = only("The city was captured by Russian forces in early April.", D(2022, 9, 11))
    assert m.range.start == D(2022, 4, 1)


# --- TimeML families added for the TempEval-3 benchmark --------------------------------------------


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("Profit rose in the third quarter.", "2017-Q3"),
        ("Third-quarter profit rose.", "2017-Q3"),
        ("Profit fell from the year-earlier quarter.", "2016-Q3"),  # the last reported quarter, a year back
        ("Sales rose 5% in the quarter.", "2017-Q3"),
        ("The rebellion began in the 19th century.", "18"),
    ],
)
def test_quarters_and_centuries(text: str, timex: str) -> None:
    assert only(text).range.timex == timex


@pytest.mark.parametrize(
    ("text", "timex", "extent"),
    [
        ("The siege lasted two days.", "P2D", "two days"),
        ("Talks took nearly an hour.", "PT1H", "nearly an hour"),
        ("Output in the first nine months fell.", "P9M", "the first nine months"),
        ("The front has been quiet for years.", "PXY", "years"),
        ("The group held the town for more than two years.", "P2Y", "more than two years"),
    ],
)
def test_bare_durations_date_nothing(text: str, timex: str, extent: str) -> None:
    m = only(text)
    assert (m.type, m.range.timex, m.text) == ("DURATION", timex, extent)
    assert m.relation == "duration"  # the event dater skips durations


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("Fighting may resume in the future.", "FUTURE_REF"),
        ("Recent clashes killed dozens.", "PAST_REF"),
        ("Shelling was heavier in the recent past.", "PAST_REF"),
        ("More troops arrive in coming weeks.", "FUTURE_REF"),
    ],
)
def test_vague_references_have_no_range(text: str, timex: str) -> None:
    m = only(text)
    assert m.range.timex == timex and not m.range.known


def test_clock_times() -> None:
    m = only("The deadline passed at 9 a.m. Tuesday.", D(2017, 11, 9))  # a Thursday
    assert (m.range.timex, m.type, m.range.start) == ("2017-11-07T09:00", "TIME", D(2017, 11, 7))
    alone = only("The blast came at 10 p.m. as people slept.")
    assert alone.range.timex == "2017-11-05T22:00" and not alone.range.known  # no day named: dates nothing


def test_frequencies_are_sets() -> None:
    m = only("Patrols run daily along the border.")
    assert (m.type, m.range.timex) == ("SET", "P1D")
    assert only("Profits have doubled annually.").range.timex == "P1Y"


def test_a_frequency_after_an_amount_is_a_rate() -> None:
    assert find_times("Revenue should increase by 20% annually.", PUB89) == []
    assert find_times("It pays $17.9 million annually.", PUB89) == []


def test_bare_months_and_years() -> None:
    # Without a tense cue a month just ahead is the coming one; one far ahead is last year's.
    assert only("Payments for November were delayed.", D(2017, 10, 28)).range.timex == "2017-11"
    assert only("Payments for June were delayed.", D(2017, 10, 28)).range.timex == "2017-06"
    assert only("Figures for 2015 were revised.").range.timex == "2015"
    assert only("Fiscal 2015 results were revised.").range.timex == "2015"


def test_present_tense_and_adjectives_are_not_past_cues() -> None:
    # "is payable": no tense cue, so a date weeks ahead is the coming one, not last year's.
    assert only("The dividend is payable Dec. 15.", D(2017, 11, 2)).range.start == D(2017, 12, 15)
    assert only("The reduced dividend is payable Dec. 15.", D(2017, 11, 2)).range.start == D(2017, 12, 15)
    # A deadline written the day after it passed is that day, not next year's.
    assert only("Officials must decide by Jan. 14.", D(2018, 1, 15)).range.start == D(2018, 1, 14)


def test_a_year_earlier_is_a_date_that_dates_nothing() -> None:
    m = only("Profit was $5 million, up from $4 million a year earlier.")
    assert (m.type, m.range.timex, m.relation) == ("DATE", "2016", "before")
    assert not m.range.known


def test_mention_in_reads_an_extent_in_context() -> None:
    text = "The two sides will meet on Thursday in Geneva."
    start = text.index("Thursday")
    m = times.mention_in(text, start, start + len("Thursday"), PUB)
    assert m is not None and m.range.start == D(2017, 11, 9)  # the future verb before it counts


# --- session 3: families found by error analysis on TimeBank/AQUAINT (even half) -------------------

PUB89 = D(1989, 10, 30)  # a Monday


def timex(text: str, published: dt.date = PUB89) -> str | None:
    return only(text, published).range.timex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # past verb that is not the event's: the date of the publication year just ahead is meant
        ("The company extended the offer to Nov. 6, officials said.", "1989-11-06"),
        ("Directors authorized a split, payable Dec. 7 to holders.", "1989-12-07"),
        ("The company gave regulators until mid-November to decide.", "1989-11"),
        # a past verb right before the date dates an event by it: never read ahead
        ("The town fell on Nov. 6, officials said.", "1988-11-06"),
        ("Fighting began in November.", "1988-11"),
        # a passive is not a past event: "to be completed around Nov. 1"
        ("The sale, to be completed around Nov. 1, was announced.", "1989-11-01"),
    ],
)
def test_year_less_dates_in_past_clauses(text: str, expected: str) -> None:
    assert timex(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an expression opening its sentence is read with the first verb after it
        ("Talks stalled. In September, it announced plans to buy the rival.", "1989-09"),
        ("Talks stalled. But by Monday, officials had hardened their stand.", "1989-10-30"),
        ("Talks stalled. Until Thursday, they had not called him a suspect.", "1989-10-26"),
        # a full stop after an initial or a title ends no sentence: "will" still governs the date
        ("Mr. Schwarz will succeed Daniel P. Davison Feb. 1, the company said.", "1990-02-01"),
        # a plan told in the past is past; a deferral with "until" points ahead
        ("The offer had been due to expire Friday evening.", "1989-10-27TEV"),
        ("Officials postponed until Tuesday any action on the case.", "1989-10-31"),
        ("The case is heard in December.", "1989-12"),  # present passive: no past reading
        # an -ed adjective after a determiner and an adverb is no past verb
        ("The split would be paid on a still unspecified date in January.", "1990-01"),
        ("The split was paid on a date in January.", "1989-01"),
    ],
)
def test_tense_cues(text: str, expected: str) -> None:
    assert timex(text) == expected


def test_a_year_earlier_after_a_quarter_is_that_quarter_a_year_back() -> None:
    text = "Third-quarter profit rose to $5 million from $4 million a year earlier."
    found = find_times(text, PUB89)
    assert [(m.text, m.range.timex) for m in found] == [("Third-quarter", "1989-Q3"), ("a year earlier", "1988-Q3")]
    assert found[1].range.start == D(1988, 7, 1) and found[1].range.end == D(1988, 9, 30)
    # without a quarter in the talk, the year before publication
    assert timex("Prices were lower a year ago.") == "1988"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The bombing in nineteen ninety-six shocked them.", PUB89, "1996"),
        ("He was born in nineteen eighteen.", PUB89, "1918"),
        ("Plans for the year two thousand were drawn up.", PUB89, "2000"),
        ("He came home for Thanksgiving Day.", D(1999, 12, 1), "1999-11-25"),  # fourth Thursday
        ("They met last Christmas.", D(1999, 12, 1), "1998-12-25"),
        ("They will meet at Christmas.", D(1999, 12, 1), "1999-12-25"),
        ("The vote is on Election Day.", D(1998, 10, 26), "1998-11-03"),  # the Tuesday after the first Monday
        ("In June last year, the leaders met.", D(1998, 2, 19), "1997-06"),
        ("January this year was cold.", D(1998, 2, 19), "1998-01"),
        ("It could be effective as early as next year's first quarter.", PUB89, "1990-Q1"),
        ("Sales for the full year were $6.6 billion.", PUB89, "1989"),
        ("It expects to post sales in the current fiscal year that are higher.", PUB89, "1989"),
        ("The markets have been quiet these days.", PUB89, "PRESENT_REF"),
    ],
)
def test_more_expression_families(text: str, published: dt.date, expected: str) -> None:
    assert timex(text, published) == expected


def test_reporting_periods_ages_and_compound_numbers() -> None:
    period = find_times("Net income for the year ended Sept. 30 rose.", PUB89)
    assert [(m.text, m.range.timex, m.type) for m in period] == [
        ("the year", "P1Y", "DURATION"),
        ("Sept. 30", "1989-09-30", "DATE"),
    ]
    assert find_times("Mr. Reupke, 52 years old, resigned.", PUB89) == []  # an age
    m = only("In the last twenty four hours, the currency fell.")
    assert (m.range.timex, m.type) == ("PT24H", "DURATION")
    assert only("They fought for twenty-five years.").range.timex == "P25Y"


def test_normalize_is_cached_and_pure() -> None:
    fresh = times.normalize.__wrapped__("late last month", PUB)
    assert normalize("late last month", PUB) == fresh
    before = times.normalize.cache_info().hits
    assert normalize("late last month", PUB) == fresh
    assert times.normalize.cache_info().hits == before + 1


def test_next_unit_counts_from_the_time_named_just_before() -> None:
    found = find_times(
        "On May 2, 1995, he was made a general, and the following year he was appointed attache.", PUB89
    )
    assert [(m.text, m.range.timex, m.type) for m in found][-1] == ("the following year", "1996", "DATE")
    found = find_times("He appeared in court on Feb. 22. He looked healthy the next morning.", D(1998, 4, 18))
    assert found[-1].range.start == D(1998, 2, 23) and found[-1].range.timex == "1998-02-23TMO"
    # nothing named before: the range stays unknown, only the length is known
    alone = only("They arrived the next day.")
    assert alone.range.start is None and alone.range.timex == "P1D"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Over the summer, competitors cut prices.", "1989-SU"),  # "over" stays out of the expression
        ("It could not meet demand well into the summer.", "1989-SU"),
        ("Shipments will slip into the spring.", "1990-SP"),
        ("Fighting will resume in early spring.", "1990-SP"),
        ("Investors will sell in the weeks ahead.", "PXW"),
        ("Over the next couple of years, sales will grow.", "P2Y"),
        ("Cuba won its independence from Spain in 1898.", "1898"),
    ],
)
def test_seasons_and_vague_spans(text: str, expected: str) -> None:
    assert timex(text) == expected


def test_a_decimal_number_is_not_a_year() -> None:
    assert find_times("The index closed at 2082.1 points.", PUB89) == []


def test_that_day_is_the_day_named_before() -> None:
    found = find_times("He was killed on Oct. 23, 1998. Earlier that day, the family sent a fax.", D(2000, 1, 28))
    assert [(m.text, m.range.timex) for m in found] == [
        ("Oct. 23, 1998", "1998-10-23"),
        ("Earlier that day", "1998-10-23"),
    ]
    found = find_times("He fled in June 1998 and returned later that year.", D(2000, 1, 28))
    assert found[-1].range.timex == "1998"  # not the publication year
    assert only("It happened that day.").range.start is None


def test_word_alternation_prefers_the_longer_word() -> None:
    import re

    pattern = re.compile(times._alt(["a", "a few", "an", "annually", "'ll"]))
    assert pattern.match("a  few days").group() == "a  few"  # any spaces inside a phrase
    assert pattern.match("annually").group() == "annually"
    assert pattern.match("an hour").group() == "an"
    assert pattern.match("'ll").group() == "'ll"
    assert pattern.match("x") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flights leave each Thursday.", "XXXX-WXX-4"),
        ("It meets every March.", "XXXX-03"),
        ("Patrols run every day.", "P1D"),
    ],
)
def test_sets(text: str, expected: str) -> None:
    m = only(text)
    assert (m.range.timex, m.type, m.range.start) == (expected, "SET", None)


# --- round 4: vague references, the report's year, TimeML spans -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company thinks it will be healthy enough soon to consider buybacks.", [("soon", "FUTURE_REF")]),
        ("Prosecutors may soon seek an indictment.", [("soon", "FUTURE_REF")]),
        ("A trickle of cash soon became a flood.", []),  # a sequence in a past clause
        ("He was soon released.", []),
        ("They will leave as soon as possible.", []),  # a connective
    ],
)
def test_soon_is_a_future_reference_outside_past_clauses(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.range.timex) for m in find_times(text, PUB89)] == expected


def test_recent_units_are_vague_durations() -> None:
    found = find_times("Officials have expressed concerns in recent months.", PUB89)
    assert [(m.text, m.range.timex, m.type) for m in found] == [("recent months", "PXM", "DURATION")]


def test_the_year_alone_is_the_reports_year_but_not_a_reporting_period() -> None:
    found = find_times("For the year, pet food volume was flat.", PUB89)
    assert [(m.text, m.range.timex) for m in found] == [("the year", "1989")]
    ended = find_times("For the year ended Sept. 30, Ralston earned more.", PUB89)
    assert ended[0].range.timex == "P1Y"


def test_a_span_of_two_named_times_is_two_timeml_expressions() -> None:
    text = "He was arrested twice from 1991 to 1997 and fined in 1985 and 1987."
    found = find_times(text, PUB89)
    assert found[0].text == "1991 to 1997"
    assert (found[0].range.start, found[0].range.end) == (D(1991, 1, 1), D(1997, 12, 31))
    split = timeml_mentions(text, found, PUB89)
    years = [("1991", "1991"), ("1997", "1997"), ("1985", "1985"), ("1987", "1987")]
    assert [(m.text, m.range.timex) for m in split] == years
    assert all(text[m.start : m.end] == m.text for m in split)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hearing lasted 5 1/2 hours.", "PT5H30M"),
        ("He served 2 1/2 years in prison.", "P2Y6M"),
        ("The standoff lasted two and a half years.", "P2Y6M"),
        ("The blast lasted a minute and a half.", "PT1M30S"),
    ],
)
def test_half_units_are_written_in_the_next_smaller_unit(text: str, expected: str) -> None:
    assert only(text).range.timex == expected


def test_a_quarter_followed_by_an_amount_is_still_the_quarter() -> None:
    found = find_times("It announced a loss for the third quarter of $226.3 million.", PUB89)
    assert [(m.text, m.range.timex) for m in found] == [("the third quarter", "1989-Q3")]
    assert only("the third quarter of 1984", PUB89).range.timex == "1984-Q3"


def test_the_coming_years_is_a_vague_duration() -> None:
    assert only("Prices will rise in the coming years.", PUB89).range.timex == "PXY"


def test_a_possessive_weekday_names_a_past_day_even_in_a_future_clause() -> None:
    found = find_times("They would look for ways to get around Wednesday's ruling.", D(2000, 1, 7))  # a Friday
    assert [(m.text, m.range.timex) for m in found] == [("Wednesday", "2000-01-05")]
    assert only("They will meet on Wednesday.", D(2000, 1, 7)).range.timex == "2000-01-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three days later, the town fell.", ("Three days", "P3D", "after")),  # the placing word is the relation
        ("The deal closes 90 days after approval.", ("90 days", "P90D", "after")),
        ("It posted a third-quarter loss.", ("third-quarter", "1989-Q3", "at")),  # no determiner
        ("Its fourth quarter was weak.", ("fourth quarter", "1989-Q4", "at")),
        ("Slepian was shot on Friday night.", ("Friday night", "1989-10-27", "at")),
    ],
)
def test_timeml_extents(text: str, expected: tuple[str, str, str]) -> None:
    m = only(text, PUB89)
    assert (m.text, m.range.timex, m.relation) == expected


def test_as_early_as_points_ahead_unless_the_clause_is_past() -> None:
    monday = D(2000, 4, 3)
    assert only("He could come to the U.S. as early as Tuesday.", monday).range.timex == "2000-04-04"
    assert only("Fighting began as early as March.", monday).range.timex == "2000-03"


def test_through_a_month_is_a_deadline_unless_the_clause_is_past() -> None:
    assert only("Lenders have extended the loans through January.", PUB89).range.timex == "1990-01"
    assert only("The rebels held the town through January.", PUB89).range.timex == "1989-01"


def test_the_year_quarter_is_the_quarter_talked_about_in_that_year() -> None:
    text = "Third-quarter profit fell. Revenue was $14.5 million in the 1988 quarter."
    found = find_times(text, PUB89)
    assert [(m.text, m.range.timex, m.type) for m in found] == [
        ("Third-quarter", "1989-Q3", "DATE"),
        ("the 1988 quarter", "1988-Q3", "DATE"),
    ]
    # no quarter named before: the year itself, never a count of 1988 quarters
    assert [(m.text, m.range.timex) for m in find_times("Sales rose in the 1988 quarter.", PUB89)] == [
        ("the 1988 quarter", "1988")
    ]
    assert timex("Sales fell in 1988, the worst quarter of the decade.") == "1988"


def test_opening_weekday_reads_a_verb_after_a_long_subject() -> None:
    # Monday 1998-10-26: the first verb comes 60 characters after "On Tuesday"
    text = "On Tuesday, the National Abortion and Reproductive Rights Action League plans to screen an ad."
    assert [m.range.timex for m in find_times(text, D(1998, 10, 26))] == ["1998-10-27"]
    past = "On Tuesday, the National Abortion and Reproductive Rights Action League screened an ad."
    assert [m.range.timex for m in find_times(past, D(1998, 10, 26))] == ["1998-10-20"]


def test_a_quarter_still_ahead_is_not_the_one_a_report_compares() -> None:
    text = (
        "He thinks steelmakers will report losses through the third quarter of 1990. "
        "In the year-ago period, Bethlehem earned $101.4 million."
    )
    found = {m.text: m.range.timex for m in find_times(text, D(1989, 10, 26))}
    assert found["the third quarter of 1990"] == "1990-Q3"
    assert found["the year-ago period"] != "1989-Q3"  # not a year before the forecast quarter
    past = "Third-quarter profit fell. In the year-ago period, Bethlehem earned $101.4 million."
    assert [m.range.timex for m in find_times(past, D(1989, 10, 26))] == ["1989-Q3", "1988-Q3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gonzalez said on CBS's ''60 Minutes.'' The boy stays.", []),  # a programme
        ('Baker, speaking on ABC News\' "This Week," said the request was made.', []),
        ("He quoted Gary Cooper from the film ``High Noon.''", []),
        ("Town Falls After Eight Months", ["P8M"]),  # a title-case headline keeps its time
        ("The siege lasted eight months.", ["P8M"]),
        ("Voters went to the polls on Election Day.", ["1989-11-07"]),  # a holiday is a name and a time
    ],
)
def test_a_capitalised_unit_inside_a_sentence_is_a_name(text: str, expected: list[str]) -> None:
    assert [m.range.timex for m in find_times(text, D(1990, 8, 15))] == expected


def test_a_quarter_not_begun_at_publication_is_last_years_unless_ahead() -> None:
    january = D(1998, 1, 26)
    assert [m.range.timex for m in find_times("Profits fell 18% in the fourth quarter.", january)] == ["1997-Q4"]
    assert [m.range.timex for m in find_times("It will report its fourth-quarter results.", january)] == ["1998-Q4"]
    assert [m.range.timex for m in find_times("Profits fell in the fourth quarter.", PUB89)] == ["1989-Q4"]


def test_a_span_of_days_in_one_month_is_two_timeml_days() -> None:
    text = "The summit is on April 24 and 25."
    found = find_times(text, D(1999, 2, 10))
    assert [(m.text, m.range.precision) for m in found] == [("April 24 and 25", "range")]  # one range here
    split = times.timeml_mentions(text, found, D(1999, 2, 10))
    assert [(m.text, m.range.timex, text[m.start : m.end]) for m in split] == [
        ("April 24", "1999-04-24", "April 24"),
        ("25", "1999-04-25", "25"),
    ]
    early = "Talks resume in early March."
    assert [m.range.timex for m in times.timeml_mentions(early, find_times(early, PUB89), PUB89)] == ["1989-03"]


def test_a_clock_time_and_its_day_with_an_aside_are_two_timeml_expressions() -> None:
    text = "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building."
    found = find_times(text, D(1998, 8, 8))
    assert [m.range.timex for m in found] == ["1998-08-07T10:35"]  # one time here
    split = times.timeml_mentions(text, found, D(1998, 8, 8))
    assert [(m.text, m.range.timex, text[m.start : m.end]) for m in split] == [
        ("10:35 a.m.", "1998-08-07T10:35", "10:35 a.m."),
        ("Friday", "1998-08-07", "Friday"),
    ]


@pytest.mark.parametrize(
    ("text", "timex", "relation"),
    [
        ("The post-1959 politics split families.", "1959", "after"),
        ("They want the pre-1914 border back.", "1914", "before"),
    ],
)
def test_pre_and_post_a_year(text: str, timex: str, relation: str) -> None:
    m = only(text)
    assert (m.text[-4:], m.range.timex, m.relation) == (timex, timex, relation)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Hate group numbers dropped through the nineties.", D(1998, 3, 3), "199"),
        ("Prices were low in the early eighties.", D(1998, 3, 3), "198"),
        ("Back in the twenties, jazz was new.", D(2017, 1, 1), "192"),  # the 2020s had not begun
        ("Back in the twenties, rents rose.", D(2031, 1, 1), "202"),
    ],
)
def test_decades_in_words(text: str, published: dt.date, expected: str) -> None:
    assert [m.range.timex for m in find_times(text, published)] == [expected]


def test_a_while_is_an_uncounted_length() -> None:
    m = only("They will have to live without it for a while.")
    assert (m.text, m.range.timex, m.type) == ("a while", "PXX", "DURATION")


def test_easter_and_the_days_counted_from_it() -> None:
    assert [times._easter(y) for y in (1998, 2000, 2016, 2025)] == [
        D(1998, 4, 12), D(2000, 4, 23), D(2016, 3, 27), D(2025, 4, 20)
    ]
    assert [m.range.timex for m in find_times("The truce held through Good Friday.", D(2024, 4, 2))] == ["2024-03-29"]
    # the week that ends on Easter Sunday; publication on its Monday is inside it
    found = find_times("Protesters prayed as Easter week began.", D(2000, 4, 17))
    assert [(m.text, m.range.timex) for m in found] == [("Easter week", "2000-W16")]
    assert find_times("Good news came.", D(2024, 4, 2)) == []


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("Over the years many more patients survived.", "the years", "PXY"),
        ("You save fewer lives in the early years.", "the early years", "PXY"),
        ("Prisoners were taken in the first hours of the war.", "the first hours", "PTXH"),
        ("In the years that followed, the rebels grew.", "the years", "PXY"),
    ],
)
def test_the_units_after_a_preposition_are_an_uncounted_length(text: str, extent: str, timex: str) -> None:
    m = only(text)
    assert (m.text, m.range.timex, m.type) == (extent, timex, "DURATION")


def test_the_units_before_an_event_stay_as_they_were() -> None:
    # "before" names the anchor: the new reading with "the" does not apply (the bare plural rule does)
    assert [m.text for m in find_times("He was seen in the weeks before the shooting.", PUB89)] == ["weeks"]


@pytest.mark.parametrize(
    "text", ["Under the Good Friday Agreement, the parties met.", "the Good Friday agreement", "the Easter Rising"]
)
def test_a_holiday_that_names_an_agreement_or_a_rising_is_no_date(text: str) -> None:
    assert find_times(text, D(2024, 4, 2)) == []


# --- session 6 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("Two new flights leave on Tuesday nights.", "Tuesday nights", "XXXX-WXX-2TNI"),
        ("The market is closed on Sundays.", "Sundays", "XXXX-WXX-7"),
        ("Talks were held on Friday mornings.", "Friday mornings", "XXXX-WXX-5TMO"),
    ],
)
def test_a_plural_weekday_is_every_such_day(text: str, extent: str, timex: str) -> None:
    m = only(text)
    assert (m.text, m.range.timex, m.type, m.range.start) == (extent, timex, "SET", None)


def test_a_possessive_weekday_is_still_one_day() -> None:
    m = only("Monday's ruling was appealed.")
    assert (m.text, m.range.timex, m.type) == ("Monday", "2017-10-30", "DATE")


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("The convoy will leave at 4 in the morning.", "4 in the morning", "2017-11-05T04:00"),
        ("Shelling resumed at 10 o'clock at night.", "10 o'clock at night", "2017-11-05T22:00"),
        ("The raid began at 3 in the afternoon Friday.", "3 in the afternoon Friday", "2017-11-03T15:00"),
        ("Curfew starts at 12 in the morning.", "12 in the morning", "2017-11-05T00:00"),
    ],
)
def test_an_hour_placed_by_its_part_of_the_day_is_a_clock_time(text: str, extent: str, timex: str) -> None:
    m = only(text)
    assert (m.text, m.range.timex, m.type) == (extent, timex, "TIME")


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("Eight trading days after Oct. 12, the index fell.", "Eight trading days", "P8D"),
        ("The bank will reply within three business days.", "three business days", "P3D"),
        ("It takes five working days.", "five working days", "P5D"),
    ],
)
def test_a_count_of_trading_or_business_days_is_days(text: str, extent: str, timex: str) -> None:
    assert (find_times(text, PUB)[0].text, find_times(text, PUB)[0].range.timex) == (extent, timex)


def test_a_calendar_year_is_a_kind_of_period_not_a_duration() -> None:
    assert find_times("The company changed from a fiscal year to a calendar year.", PUB) == []


def test_then_current_is_the_present_of_the_past() -> None:
    m = only("Holders may buy shares at 50% of the then current market price.")
    assert (m.text, m.range.timex) == ("then current", "PAST_REF")
    assert only("the current market price").range.timex == "PRESENT_REF"


@pytest.mark.parametrize(
    ("text", "published", "timex", "start"),
    [
        ("The case may be heard the week of March 6, he said.", D(2000, 2, 24), "2000-W10", D(2000, 3, 6)),
        ("Talks were held the week of Oct. 4, 2017.", PUB, "2017-W40", D(2017, 10, 2)),
    ],
)
def test_the_week_of_a_day_is_its_iso_week(text: str, published: dt.date, timex: str, start: dt.date) -> None:
    m = only(text, published)
    assert (m.range.timex, m.range.start, m.range.end) == (timex, start, start + dt.timedelta(days=6))
    assert m.text.startswith("the week of")


@pytest.mark.parametrize(
    ("text", "timex", "first", "last"),
    [
        ("Sales will stay weak through the first two quarters of 1990.", "1990-H1", D(1990, 1, 1), D(1990, 6, 30)),
        ("Prices fell in the last two quarters of 2016.", "2016-H2", D(2016, 7, 1), D(2016, 12, 31)),
    ],
)
def test_two_quarters_at_either_end_of_a_year_are_its_half(
    text: str, timex: str, first: dt.date, last: dt.date
) -> None:
    m = only(text)
    assert (m.range.timex, m.range.start, m.range.end) == (timex, first, last)


@pytest.mark.parametrize(
    ("text", "published", "timex", "future"),
    [
        # a deadline given in the present perfect is still ahead; told with "had" it stood then
        ("Dunkin' has set Nov. 10 as the deadline for bids.", D(1989, 11, 2), "1989-11-10", True),
        (
            "The agency had ruled that he must be returned, and set Friday as the deadline for his return.",
            D(2000, 1, 15),
            "2000-01-14",
            False,
        ),
        ("The board set Nov. 10 as the target date for the vote.", D(1989, 11, 2), "1989-11-10", True),
    ],
)
def test_a_date_set_as_the_deadline_lies_ahead(text: str, published: dt.date, timex: str, future: bool) -> None:
    m = only(text, published)
    assert (m.range.timex, m.future) == (timex, future)


@pytest.mark.parametrize(
    "text",
    [
        "The ground offensive began as previously planned Saturday night.",
        "The offensive began as planned Saturday.",
        "The vote went ahead as originally scheduled Saturday.",
    ],
)
def test_as_planned_is_the_manner_of_the_event_not_a_plan_ahead(text: str) -> None:
    m = only(text, D(1991, 2, 25))  # a Monday
    assert (m.range.start, m.future) == (D(1991, 2, 23), False)
    assert only("The talks are planned for Saturday.", D(1991, 2, 25)).range.start == D(1991, 3, 2)


def test_a_deadline_given_in_the_present_perfect_lies_ahead() -> None:
    text = "The service has given the relatives until 9 a.m. Tuesday to sign a paper."
    m = only(text, D(2000, 4, 3))  # a Monday
    assert (m.text, m.range.timex, m.future) == ("9 a.m. Tuesday", "2000-04-04T09:00", True)


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("January nineteen ninety-seven. Atlanta again.", "January nineteen ninety-seven", "1997-01"),
        ("prices we saw in the winter of nineteen ninety-four.", "the winter of nineteen ninety-four", "1994-WI"),
        ("It ended in November nineteen eighteen.", "November nineteen eighteen", "1918-11"),
        ("in the summer of 1994", "the summer of 1994", "1994-SU"),
    ],
)
def test_a_month_or_season_of_a_year_said_in_words(text: str, extent: str, timex: str) -> None:
    m = only(text, D(1998, 2, 27))
    assert (m.text, m.range.timex) == (extent, timex)


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("a day-long strike", "day-long", "P1D"),
        ("the decades-long war", "decades-long", "PXY"),
        ("a three-day-long battle", "three-day-long", "P3D"),
        ("a week-long truce", "week-long", "P1W"),
    ],
)
def test_a_unit_long_adjective_is_a_length(text: str, extent: str, timex: str) -> None:
    m = only(text)
    assert (m.text, m.range.timex, m.type) == (extent, timex, "DURATION")


def test_an_age_is_no_time() -> None:
    assert find_times("an 8-month-old baby and a 13-year-old boy", PUB) == []


def test_the_fiscal_year_is_the_year_of_the_report() -> None:
    m = only("The charge will result in lower earnings for the fiscal year.", D(1989, 11, 2))
    assert (m.text, m.range.timex) == ("the fiscal year", "1989")
    ended = find_times("For the fiscal year ended Sept. 30, it earned $5 million.", D(1989, 11, 2))
    assert (ended[0].text, ended[0].range.timex, ended[0].type) == ("the fiscal year", "P1Y", "DURATION")


@pytest.mark.parametrize(
    "text",
    [
        "Over 1,000 were injured since a bomb ripped through a building next to the U.S. embassy Friday morning.",
        "More than 100 people were killed in the blasts next to the embassies in Kenya and Tanzania on Friday.",
        "Shells hit the house next door on Friday.",
    ],
)
def test_next_to_is_a_place_not_a_time_ahead(text: str) -> None:
    m = only(text, D(1998, 8, 8))  # a Saturday
    assert (m.range.start, m.future) == (D(1998, 8, 7), False)
    assert only("The talks resume next Friday.", D(1998, 8, 8)).range.start == D(1998, 8, 14)


@pytest.mark.parametrize(
    "text",
    [
        "Protesters gathered at the annual March for Life on Capitol Hill.",
        "She was at the head of the ``March of the Combatant Mothers'' rally.",
        "He spoke at the March on Washington.",
    ],
)
def test_a_month_that_names_an_event_is_no_date(text: str) -> None:
    assert find_times(text, D(1999, 1, 22)) == []


@pytest.mark.parametrize(
    ("text", "extent"),
    [("The March offensive failed.", "March"), ("The town fell in March to the army.", "March")],
)
def test_a_month_before_a_noun_or_after_a_preposition_stays_a_date(text: str, extent: str) -> None:
    assert only(text, D(1999, 1, 22)).text == extent


def test_a_unit_and_a_half_before_later_is_one_length() -> None:
    m = find_times("But a minute and a half later, a pilot came.", PUB)[0]
    assert (m.text, m.range.timex, m.relation) == ("a minute and a half", "PT1M30S", "after")


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("The firm will report results next quarter.", "next quarter", "2013-Q2"),
        ("Profit rose 5% last quarter.", "last quarter", "2012-Q4"),
        ("Sales should recover in the coming quarter.", "the coming quarter", "2013-Q2"),
        ("Sales fell in the last quarter of 1989.", "the last quarter of 1989", "1989-Q4"),
    ],
)
def test_last_and_next_quarter_count_from_publication(text: str, extent: str, timex: str) -> None:
    m = only(text, D(2013, 3, 14))  # in the first quarter
    assert (m.text, m.range.timex, m.type) == (extent, timex, "DATE")
    assert only("Profit rose last quarter.", D(2013, 1, 10)).range.timex == "2012-Q4"
    assert only("It will recover next quarter.", D(2013, 11, 10)).range.timex == "2014-Q1"


@pytest.mark.parametrize(
    "text",
    [
        "The road was closed due to the fighting on Monday.",
        "Crowds showed the will of the people on Monday.",
        "Profits were better than expected on Monday.",
        "The vote went as expected on Monday.",
    ],
)
def test_words_that_only_look_like_future_cues(text: str) -> None:
    m = only(text, D(2013, 3, 14))  # a Thursday
    assert (m.range.start, m.future) == (D(2013, 3, 11), False)


@pytest.mark.parametrize("text", ["The ship is due to arrive on Monday.", "Talks are expected on Monday."])
def test_due_to_a_verb_and_expected_still_point_ahead(text: str) -> None:
    assert only(text, D(2013, 3, 14)).range.start == D(2013, 3, 18)


def test_has_until_is_a_deadline_still_ahead() -> None:
    pub = D(2013, 3, 14)  # a Thursday
    assert only("The group has until Friday to respond.", pub).range.start == D(2013, 3, 15)
    assert only("They have until March 20 to leave.", pub).range.start == D(2013, 3, 20)
    assert only("The group had until Friday to respond.", pub).range.start == D(2013, 3, 8)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("The trial opens Monday.", D(2013, 3, 18)),
        ("The truce expires at 6 p.m. on Friday.", D(2013, 3, 15)),
        ("The minister arrives Friday for talks.", D(2013, 3, 15)),
        ("The trial opened Monday.", D(2013, 3, 11)),
        ("The court, which meets weekly, ruled Monday.", D(2013, 3, 11)),
        ("Officials counted the votes on Tuesday.", D(2013, 3, 12)),
    ],
)
def test_a_scheduled_event_in_the_present_tense_lies_ahead(text: str, start: dt.date) -> None:
    found = [m for m in find_times(text, D(2013, 3, 14)) if m.type in ("DATE", "TIME")]  # a Thursday
    assert found[0].range.start == start


@pytest.mark.parametrize(
    ("text", "extent", "timex", "future"),
    [
        ("A year from now, rates will be lower.", "A year from now", "1990", True),
        ("Two weeks hence, the plant will close.", "Two weeks hence", "1989-W45", True),
        ("a few years from now", "a few years from now", "FUTURE_REF", True),
        ("three years ago", "three years ago", "1986", False),
    ],
)
def test_a_count_from_now_is_ahead_as_ago_is_back(text: str, extent: str, timex: str, future: bool) -> None:
    m = only(text, D(1989, 10, 26))
    assert (m.text, m.range.timex, m.future) == (extent, timex, future)


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("The offer expires at 5 p.m. EST today.", "5 p.m. EST today", "1989-10-26T17:00"),
        ("He was shot at 10 p.m. yesterday.", "10 p.m. yesterday", "1989-10-25T22:00"),
        ("It meets at 9 a.m. tomorrow.", "9 a.m. tomorrow", "1989-10-27T09:00"),
    ],
)
def test_a_clock_time_and_a_relative_day_are_one_time(text: str, extent: str, timex: str) -> None:
    m = only(text, D(1989, 10, 26))
    assert (m.text, m.range.timex, m.type) == (extent, timex, "TIME")


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("The election, held every four years, is due next month.", "every four years", "P4Y"),
        ("Buses leave every two hours.", "every two hours", "PT2H"),
        ("He visits every Thursday.", "every Thursday", "XXXX-WXX-4"),
    ],
)
def test_every_count_of_units_is_a_set(text: str, extent: str, timex: str) -> None:
    m = find_times(text, D(2013, 3, 14))[0]
    assert (m.text, m.range.timex, m.type) == (extent, timex, "SET")


# --- quarters named without their number (session 7 here: docs/time.md, 2026-11-25 session 5) -----


def test_the_quarter_is_the_reported_quarter_named_before() -> None:
    """A fiscal quarter named with its number is the one "the quarter" and "the latest period" mean
    afterwards, not the calendar quarter before publication."""
    text = (
        "Sun Microsystems reported a loss for its fiscal first quarter. "
        "The company shipped 28,000 systems in the quarter. Sales in the latest period rose 20%."
    )
    found = find_times(text, D(1989, 10, 26))
    assert [(m.text, m.range.timex) for m in found] == [
        ("fiscal first quarter", "1989-Q1"),
        ("the quarter", "1989-Q1"),
        ("the latest period", "1989-Q1"),
    ]


def test_this_quarter_after_a_reported_quarter_is_that_quarter_unless_ahead() -> None:
    text = "It lost $8.1 million in the third quarter ended Sept. 30. This quarter's loss includes charges."
    assert [m.range.timex for m in find_times(text, D(1989, 11, 1))][-1] == "1989-Q3"
    ahead = "It lost $8.1 million in the third quarter. It expects to break even this quarter."
    assert [m.range.timex for m in find_times(ahead, D(1989, 11, 1))][-1] == "1989-Q4"


def test_a_quarter_not_ended_at_publication_is_not_the_latest_reported_one() -> None:
    """ "no estimate of the impact on fourth-quarter results" (in October) names a quarter still
    running; "the latest quarter" after it is the last one that ended."""
    text = "It has no estimate of the impact on fourth-quarter results. In the latest quarter, it lost $23 million."
    assert [m.range.timex for m in find_times(text, D(1989, 10, 30))] == ["1989-Q4", "1989-Q3"]


@pytest.mark.parametrize(
    ("end", "timex"),
    [("July 31", "1989-Q2"), ("Sept. 30", "1989-Q3"), ("Aug. 26", "1989-Q3"), ("Jan. 31", "1988-Q4")],
)
def test_the_quarter_ended_a_day_is_the_calendar_quarter_of_most_of_its_months(end: str, timex: str) -> None:
    found = find_times(f"In the quarter ended {end}, Jayark had a loss.", D(1989, 10, 30))
    assert found[0].text == "the quarter"
    assert found[0].range.timex == timex


@pytest.mark.parametrize(
    ("text", "extent", "timex"),
    [
        ("The day before last Tuesday's hearing, he went to the house.", "The day before last Tuesday", "2000-02-21"),
        ("He arrived the day after Feb. 9 and left.", "the day after Feb. 9", "2000-02-10"),
    ],
)
def test_the_day_before_a_day_named_after_it_counts_from_that_day(text: str, extent: str, timex: str) -> None:
    """ "the day before" followed by a day counts from that day, not from the time named before."""
    found = find_times("Talks failed on Friday. " + text, D(2000, 2, 24))
    assert [(m.text, m.range.timex) for m in found][1:] == [(extent, timex)]


def test_the_day_before_alone_still_counts_from_the_time_named_before() -> None:
    found = find_times("The town fell on Nov. 9. The day before, the army had left.", D(1999, 11, 20))
    assert [m.range.timex for m in found] == ["1999-11-09", "1999-11-08"]


@pytest.mark.parametrize(
    ("text", "timexes"),
    [
        ("Stocks closed at 2082.1 on Friday, down 4.5% from the previous Friday.", ["1989-10-27", "1989-10-20"]),
        ("The vote was on Oct. 11; the following Monday, he quit.", ["1989-10-11", "1989-10-16"]),
        ("Prices fell 4.5% from the previous Friday.", ["1989-10-27"]),  # no day named: counted from publication
    ],
)
def test_the_previous_or_following_weekday_counts_from_the_day_named_last(text: str, timexes: list[str]) -> None:
    found = find_times(text, D(1989, 10, 30))
    assert [m.range.timex for m in found] == timexes
    assert found[-1].text.lower().startswith("the ")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "It lost $8.1 million in its fiscal first quarter, against a gain in the corresponding period last year.",
            [("fiscal first quarter", "1989-Q1"), ("the corresponding period last year", "1988-Q1")],
        ),
        (
            "Profit fell in the third quarter. Sales for last year's quarter were $3 million.",
            [("the third quarter", "1989-Q3"), ("last year's quarter", "1988-Q3")],
        ),
        (
            "Profit fell in the third quarter. For the quarter a year ago, it earned $2 million.",
            [("the third quarter", "1989-Q3"), ("the quarter a year ago", "1988-Q3")],
        ),
        (
            "Profit fell in the third quarter. In the 1989 period also, costs fell.",
            [("the third quarter", "1989-Q3"), ("the 1989 period", "1989-Q3")],
        ),
        ("Costs fell in the 1989 period.", [("the 1989 period", "1989")]),  # no quarter named: the year
    ],
)
def test_a_period_a_year_back_is_the_quarter_spoken_of(text: str, found: list[tuple[str, str]]) -> None:
    """ "the corresponding period last year", "last year's quarter", "the quarter a year ago": the
    quarter named before, a year back; "the 1989 period" that quarter in the year named."""
    assert [(m.text, m.range.timex) for m in find_times(text, D(1989, 11, 1))] == found


def test_a_quarter_in_apposition_to_a_year_back_quarter_is_that_quarter_then() -> None:
    """ "In the comparable year-ago quarter, the second quarter ended Oct. 31, ...": the apposition
    numbers the quarter compared with, in the year the comparison gives; "that quarter" is then that
    one, and a later "a year earlier" still counts back from the quarter reported."""
    text = (
        "Service Corp. expects to report net income for the third quarter. In the comparable year-ago "
        "quarter, the second quarter ended Oct. 31, it had a loss. Results for that quarter included a "
        "charge. Sales rose from a year earlier, the company said."
    )
    found = [(m.text, m.range.timex) for m in find_times(text, D(1989, 10, 27)) if m.text != "Oct. 31"]
    assert found == [
        ("the third quarter", "1989-Q3"),
        ("the comparable year-ago quarter", "1988-Q2"),
        ("the second quarter", "1988-Q2"),
        ("that quarter", "1988-Q2"),
        ("a year earlier", "1988-Q3"),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Two new flights would leave Bombay on Monday and Tuesday nights from March 30.",
            [
                ("Monday", "XXXX-WXX-1TNI", "SET"),
                ("Tuesday nights", "XXXX-WXX-2TNI", "SET"),
                ("March 30", "1998-03-30", "DATE"),
            ],
        ),
        (
            "Shops close on Saturday, Sunday and Monday nights.",
            [
                ("Saturday", "XXXX-WXX-6TNI", "SET"),
                ("Sunday", "XXXX-WXX-7TNI", "SET"),
                ("Monday nights", "XXXX-WXX-1TNI", "SET"),
            ],
        ),
        # one day and another: two days, not a repetition
        (
            "He left on Monday and returned Tuesday night.",
            [("Monday", "1998-02-09", "DATE"), ("Tuesday night", "1998-02-10", "DATE")],
        ),
    ],
)
def test_a_weekday_joined_to_a_plural_weekday_is_repeated_too(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(m.text, m.range.timex, m.type) for m in find_times(text, D(1998, 2, 13))] == found
