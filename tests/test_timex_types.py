"""Reading an expression as its given TimeML type (task A with given spans)."""

from __future__ import annotations

import pytest

from frontwatch.extract.times import duration_named
from frontwatch.extract.timex_types import value_as


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("almost two years ago", "P2Y"),
        ("more than four decades ago", "P40Y"),
        ("the last three years", "P3Y"),
        ("the past several quarters", "PXQ"),
        ("last week", "P1W"),
        ("day-long", "P1D"),
        ("8-month-old", "P8M"),
        ("centuries", None),  # no unit of the word list
        ("coming years", "PXY"),
        ("the weekend", "P2D"),
        ("the first hours", "PTXH"),
        ("Thursday", None),
    ],
)
def test_duration_named(expression: str, expected: str | None) -> None:
    assert duration_named(expression) == expected


@pytest.mark.parametrize(
    ("expression", "value", "timeml_type", "expected"),
    [
        # DURATION: a date reading becomes the length the words name
        ("last week", "1998-W33", "DURATION", "P1W"),
        ("about two years ago", "1987", "DURATION", "P2Y"),
        ("the weekend", "2000-W13-WE", "DURATION", "P2D"),
        ("coming weeks", "FUTURE_REF", "DURATION", "PXW"),
        ("months", None, "DURATION", "PXM"),
        ("P3Y stays", "P3Y", "DURATION", "P3Y"),
        ("the third quarter", "1989-Q3", "DURATION", "1989-Q3"),  # a named part of the calendar
        ("fourth-quarter", "1989-Q4", "DURATION", "1989-Q4"),
        ("Thursday", "1998-08-06", "DURATION", "1998-08-06"),  # no unit: nothing to re-read
        # DATE: vague spans of units are references, past or future; a part of the day is dropped
        ("recent years", "PXY", "DATE", "PAST_REF"),
        ("the last few months", "PXM", "DATE", "PAST_REF"),
        ("the coming weeks", "PXW", "DATE", "FUTURE_REF"),
        ("years", "PXY", "DATE", "PXY"),  # no direction word: kept
        ("Thursday morning", "1999-10-07TMO", "DATE", "1999-10-07"),
        ("9 a.m. Tuesday", "2000-04-04T09:00", "DATE", "2000-04-04T09:00"),  # a clock time stays
        ("two years", "P2Y", "DATE", "P2Y"),  # an exact count is not vague
        # TIME: the part of the day joins the day
        ("Saturday night", "1991-02-23", "TIME", "1991-02-23TNI"),
        ("mid-afternoon yesterday", "1989-11-01", "TIME", "1989-11-01TAF"),
        ("noon Saturday", "1991-02-23T12:00", "TIME", "1991-02-23T12:00"),
        ("Saturday", "1991-02-23", "TIME", "1991-02-23"),
        # SET: one unit repeated
        ("a year", None, "SET", "P1Y"),
        ("the last three years", "P3Y", "SET", "P1Y"),
        ("daily", "P1D", "SET", "P1D"),
        ("every Thursday", "XXXX-WXX-4", "SET", "XXXX-WXX-4"),
        # unknown type: the value as read
        ("last week", "1998-W33", "", "1998-W33"),
    ],
)
def test_value_as(expression: str, value: str | None, timeml_type: str, expected: str | None) -> None:
    assert value_as(expression, value, timeml_type) == expected


@pytest.mark.parametrize(
    ("expression", "timeml_type", "expected"),
    [
        ("future", "DATE", "FUTURE_REF"),  # "future losses": found only on a given span
        ("a later date", "DATE", "FUTURE_REF"),
        ("Previously", "DATE", "PAST_REF"),
        ("once", "DATE", "PAST_REF"),
        ("already", "DATE", "PRESENT_REF"),
        ("soon", "DATE", "FUTURE_REF"),  # in a past clause too: the span says it is an expression
        ("the aftermath", "DATE", None),  # not a reference word: still nothing
    ],
)
def test_reference_words_on_a_given_span(expression: str, timeml_type: str, expected: str | None) -> None:
    assert value_as(expression, None, timeml_type) == expected


def test_a_value_read_is_never_replaced_by_a_reference_word() -> None:
    assert value_as("earlier", "1998-08-06", "DATE") == "1998-08-06"


def test_a_part_of_the_day_alone_is_on_the_day_spoken_of() -> None:
    assert value_as("the morning", None, "TIME", day="1989-10-27") == "1989-10-27TMO"
    assert value_as("mid afternoon", None, "TIME", day="1998-03-06") == "1998-03-06TAF"
    assert value_as("the morning", None, "TIME") is None  # no day given: nothing to place it on
    assert value_as("the morning", None, "DATE", day="1989-10-27") is None  # only a TIME is a part of a day


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("the past year", "P1Y", "1997"),  # a DATE one unit back is that unit of the calendar
        ("the next year or so", "P1Y", "1999"),
        ("the last month", "P1M", "1998-02"),
        ("two years", "P2Y", "2000"),  # a DATE is a point: a count with no direction is that far ahead
        ("a year", "P1Y", "1999"),  # one unit, no direction, no "the": a year ahead, as "in a year"
        ("the year", "P1Y", "1998"),  # "for the year ended Sept. 30" as a DATE: the year of the report
        ("the last decade", "P10Y", "198"),  # the decade before publication's, as "last year" is
        ("the next decade", "P10Y", "200"),
        ("a decade", "P10Y", "P10Y"),
    ],
)
def test_one_unit_back_or_ahead_as_a_date(expression: str, value: str, expected: str) -> None:
    import datetime as dt

    assert value_as(expression, value, "DATE", published=dt.date(1998, 3, 3)) == expected


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("Tuesday nights", "P1D", "XXXX-WXX-2TNI"),
        ("Monday", "1998-02-16", "XXXX-WXX-1"),  # a weekday given as a SET is every such day
        ("fourth quarters", "P1Q", "XXXX-Q4"),
        ("third-quarter", "1989-Q3", "XXXX-Q3"),
        ("the past three summers", "PAST_REF", "XXXX-SU"),
        ("winters", None, "XXXX-WI"),
        ("every quarter", "P1Q", "P1Q"),  # one unit repeated stays a length
        ("each July", "XXXX-07", "XXXX-07"),
        ("$1 billion a year", None, "P1Y"),
    ],
)
def test_a_set_of_one_part_of_the_calendar(expression: str, value: str | None, expected: str) -> None:
    assert value_as(expression, value, "SET") == expected


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("then", None, "1989-11-30"),  # "will terminate on Nov. 30. Until then, ..."
        ("the day", None, "1989-11-30"),  # "arrived in Philadelphia later in the day"
        ("the second day", None, "1989-11-30"),  # "It's the second day of an offensive"
        ("that same day", None, "1989-11-30"),
        ("the day", "1989-10-11", "1989-10-11"),  # a reading of its own is kept
        ("the week", None, None),  # a week is not the day spoken of
        ("the day care", None, None),  # the last word must be the one that points
    ],
)
def test_a_date_that_points_to_a_day_is_the_day_spoken_of(
    expression: str, value: str | None, expected: str | None
) -> None:
    assert value_as(expression, value, "DATE", day="1989-11-30") == expected


@pytest.mark.parametrize(
    ("expression", "value", "timeml_type", "expected"),
    [
        ("September", "1998-09", "DURATION", "P1M"),  # "the visit in September" annotated as a length
        ("September", "1998-09", "DATE", "1998-09"),  # as a DATE the month stays
        ("one day", "P1D", "DATE", "FUTURE_REF"),  # "Islam will one day be the second largest religion"
        ("a year or two", "P1Y", "DATE", "FUTURE_REF"),  # "You may, in a year or two, save ..."
        ("a week or so ago", "P1W", "DATE", "P1W"),  # counted back: no time ahead
        ("one day", "P1D", "DURATION", "P1D"),  # as a length it is one
    ],
)
def test_named_units_as_lengths_and_indefinite_times_as_dates(
    expression: str, value: str, timeml_type: str, expected: str
) -> None:
    assert value_as(expression, value, timeml_type) == expected


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("five years", "P5Y", "1994"),  # "The stock would be redeemed in five years" (a DATE: a point)
        ("three months", "P3M", "1990-02"),
        ("two weeks", "P2W", "1989-W46"),
        ("10 days", "P10D", "1989-11-12"),
        ("daily", "P1D", "P1D"),  # no count of units: nothing to place
        ("five years ago", "P5Y", "P5Y"),  # counted back: not a point ahead
    ],
)
def test_a_count_of_units_given_as_a_date_is_that_far_after_publication(
    expression: str, value: str, expected: str
) -> None:
    import datetime as dt

    assert value_as(expression, value, "DATE", published=dt.date(1989, 11, 2)) == expected


def test_overnight_is_the_night_that_led_into_the_day_spoken_of() -> None:
    # "London shares were depressed initially by overnight losses in New York" after Friday's trading
    assert value_as("overnight", None, "TIME", day="1989-10-27") == "1989-10-26TNI"
    assert value_as("in the morning", None, "TIME", day="1989-10-27") == "1989-10-27TMO"  # unchanged


@pytest.mark.parametrize(
    ("expression", "timeml_type", "expected"),
    [
        ("a fairly lengthy period", "DURATION", "PXX"),  # a length with no unit
        ("this crucial moment", "DATE", "PRESENT_REF"),
        ("the present moment", "DATE", "PRESENT_REF"),
        ("moment", "DATE", None),  # no determiner: not read
        ("the period", "DATE", None),  # only a DURATION is a length
    ],
)
def test_unitless_lengths_and_the_moment(expression: str, timeml_type: str, expected: str | None) -> None:
    assert value_as(expression, None, timeml_type) == expected
