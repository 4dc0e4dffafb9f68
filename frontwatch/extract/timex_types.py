"""The value of a time expression whose TimeML type is given.

In TempEval-3 task A with given spans, an expression comes with its extent *and* its type (DATE,
TIME, DURATION, SET), and the resolver only has to give the value. The type settles what the words
alone leave open: "last week" is a date (1998-W33) in "the bombings last week" but a length (P1W)
when annotated DURATION ("said last week that ..."  in one file, "for the last week" in another);
"Saturday night" is the day as a DATE and the day plus TNI as a TIME; "recent years" is PXY as a
DURATION and PAST_REF as a DATE. ``value_as`` takes the value ``times`` gives the expression read in
its place and re-reads it as the given type when the two disagree; a value that already fits the
type is kept. Only the type decides, never the document: the rules are the TimeML guidelines'
readings of each type.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from frontwatch.extract.times import duration_named, normalize, shift

_ALL_WORDS = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "time_words.toml").read_text())
_WORDS = _ALL_WORDS["given_type"]
_PAST = set(_WORDS["past_words"])
_FUTURE = set(_WORDS["future_words"])
_PARTS_OF_DAY: dict[str, str] = _WORDS["parts_of_day"]
_REFERENCES: dict[str, str] = _WORDS["references"]
_CALENDAR_PART = re.compile(
    r"\b(?:" + "|".join(map(re.escape, _WORDS["calendar_ordinals"])) + r")[\s-]+[a-z]+\b", re.IGNORECASE
)

_ANAPHORIC_WORDS = set(_WORDS["anaphoric_day"]["words"])
_ANAPHORIC_MODIFIERS = set(_WORDS["anaphoric_day"]["modifiers"])

_DURATION = re.compile(r"^P(?:T?[\dX])")  # P3Y, PXM, PT5H; not PAST_REF / PRESENT_REF
_INDEFINITE = set(_WORDS["indefinite_words"])
_UNITLESS_LENGTHS = set(_WORDS["unitless_lengths"])
_PRESENT_HEADS = set(_WORDS["present_heads"])
_VAGUE_DURATION = re.compile(r"^PT?X")  # an unknown number of units: PXY, PTXH
_ONE_UNIT = re.compile(r"^P1([YMW])$")  # one calendar unit: P1Y, P1M, P1W
_UNIT_WORDS = {"Y": "year", "M": "month", "W": "week"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PART_OF_DAY_SUFFIX = re.compile(r"T(?:MO|AF|EV|NI)$")
_WORD = re.compile(r"[a-z]+")


def _words(expression: str) -> list[str]:
    return _WORD.findall(expression.lower())


def _as_duration(expression: str, value: str | None) -> str | None:
    """A DURATION is a length: "almost two years ago" = P2Y, "this month" = P1M, "the weekend" = P2D;
    a month named alone as a length is one month ("the visit in September", annotated DURATION =
    P1M)."""
    if value is not None and (_DURATION.match(value) or _CALENDAR_PART.search(expression)):
        return value  # already a length, or a named part of the calendar ("the third quarter")
    words = _words(expression)
    if len(words) == 1 and words[0] in _MONTH_NAMES:
        return "P1M"
    if value is None and words and words[-1] in _UNITLESS_LENGTHS:
        return "PXX"  # "for a fairly lengthy period": a length with no unit (TIDES: PXX)
    return duration_named(expression) or value


def _points_to_a_day(expression: str) -> bool:
    """ "then", "the day", "the second day": words that name no day of their own but point to one."""
    words = _words(expression)
    return bool(words) and words[-1] in _ANAPHORIC_WORDS and all(w in _ANAPHORIC_MODIFIERS for w in words[:-1])


_COUNT = re.compile(r"^P(\d+)([YMWD])$")
_COUNT_WORDS = re.compile(r"^(?:\d+|[a-z]+)[\s-]+(?:year|month|week|day)s?$", re.IGNORECASE)  # "five years"


def _unit_of(day: dt.date, unit: str) -> str:
    """``day`` written to the unit: 1994, 1994-11, 1994-W44, 1994-11-02."""
    if unit == "W":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()[: {"Y": 4, "M": 7, "D": 10}[unit]]

_COUNTED_FROM = {"ago", "earlier", "later", "before", "after"}


def _indefinite(words: set[str]) -> bool:
    """ "one day", "some day", "a year or two" (not "a week or so ago", counted back)."""
    return words <= _INDEFINITE or ("or" in words and not words & _COUNTED_FROM)


def _as_date(
    expression: str, value: str | None, published: dt.date | None = None, day: str | None = None
) -> str | None:
    """A DATE is a point or a period on the calendar, never a length: a vague span of units is a
    reference to the past or the future ("recent years", "the last few months" = PAST_REF; "the
    coming weeks" = FUTURE_REF), one unit back or ahead is that unit of the calendar ("over the past
    year" = the year before publication, "over the next year or so" = the year after), and a part
    of the day is dropped ("Thursday morning" = the day). Words that point to a day without naming
    one ("then", "the day") are ``day``, the day the text speaks of."""
    if value is None:
        return day if day is not None and _points_to_a_day(expression) else None
    words = set(_words(expression))
    direction = "last" if words & _PAST else ("next" if words & _FUTURE else None)
    if _VAGUE_DURATION.match(value):
        return {"last": "PAST_REF", "next": "FUTURE_REF"}.get(direction or "", value)
    if _DURATION.match(value) and direction is None and _indefinite(words):
        return "FUTURE_REF"  # "will one day be", "in a year or two": no date is named, only a time ahead
    one = _ONE_UNIT.match(value)
    if one is not None and published is not None and (direction is not None or words == {"the", _UNIT_WORDS[one[1]]}):
        # "over the past year" = the year before publication; "the year" alone ("for the year ended
        # Sept. 30", given as a DATE) = the year of the report
        found = normalize(f"{direction or 'this'} {_UNIT_WORDS[one[1]]}", published)
        return found.timex if found is not None and found.timex else value
    count = _COUNT.match(value)
    if count is not None and direction is None and published is not None and _COUNT_WORDS.match(expression.strip()):
        # "The stock would be redeemed in five years" given as a DATE: a point, so the time that many
        # units after publication (a point back would say "ago", "earlier"), written to the unit
        return _unit_of(shift(published, count[2], int(count[1])), count[2])
    if value == "P10Y" and direction is not None and published is not None:
        # "the last decade" = the decade before publication's (198 in 1998), as "last year" is the year before
        return str(published.year // 10 + (-1 if direction == "last" else 1))
    if _DAY.match(value[:10]) and _PART_OF_DAY_SUFFIX.search(value):
        return value[:10]
    return value


def _as_time(expression: str, value: str | None, day: str | None = None) -> str | None:
    """A TIME on a day without a clock time carries its part of the day ("Saturday night" =
    1991-02-23TNI, "mid-afternoon yesterday" = 1989-11-01TAF); a part of the day that names no
    day ("in the morning") is on ``day``, the day the text speaks of; "overnight" is the night that
    led into it ("London shares were depressed by overnight losses in New York" on Friday = Thursday
    night)."""
    words = _words(expression)
    part = next((_PARTS_OF_DAY[w] for w in words if w in _PARTS_OF_DAY), None)
    if value is None and part and day is not None:
        if _NIGHT_BEFORE.intersection(words) and _DAY.match(day):
            day = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
        return day + part
    if value is None or not _DAY.match(value):
        return value
    return value + part if part else value


_NIGHT_BEFORE = set(_WORDS["night_before"])
_WEEKDAYS: dict[str, int] = _ALL_WORDS["weekdays"]
_MONTH_NAMES: set[str] = set(_ALL_WORDS["months"])
_SEASON_CODES: dict[str, str] = _WORDS["season_codes"]
_QUARTER_OF_DATE = re.compile(r"^\d{4}-(Q[1-4])$")
_ORDINAL_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _calendar_set(expression: str, value: str | None) -> str | None:
    """The part of the calendar a SET repeats, as TimeML writes it for any year: "Tuesday nights" =
    XXXX-WXX-2TNI, "the second and fourth quarters" = XXXX-Q4, "the past three summers" = XXXX-SU;
    None when the expression names no such part."""
    words = _words(expression)
    weekday = next((_WEEKDAYS[w.removesuffix("s")] for w in words if w.removesuffix("s") in _WEEKDAYS), None)
    if weekday is not None:
        part = next((_PARTS_OF_DAY[w] for w in words if w in _PARTS_OF_DAY), "")
        return f"XXXX-WXX-{weekday + 1}{part}"
    season = next((_SEASON_CODES[w.removesuffix("s")] for w in words if w.removesuffix("s") in _SEASON_CODES), None)
    if season is not None:
        return f"XXXX-{season}"
    quarter = _QUARTER_OF_DATE.match(value or "")
    if quarter is not None:
        return f"XXXX-{quarter[1]}"
    ordinal = next((_ORDINAL_NUMBER[w] for w in words if w in _ORDINAL_NUMBER), None)
    if ordinal is not None and any(w.startswith("quarter") for w in words):
        return f"XXXX-Q{ordinal}"
    return None


def _as_set(expression: str, value: str | None) -> str | None:
    """A SET repeats one unit: "$1 billion a year" = P1Y, "each of the last three years" = P1Y;
    or one part of the calendar ("Tuesday nights" = XXXX-WXX-2TNI, "fourth quarters" = XXXX-Q4)."""
    if value is not None and value.startswith("XXXX"):
        return value
    calendar_part = _calendar_set(expression, value)
    if calendar_part is not None:
        return calendar_part
    if value is not None and re.match(r"^PT?1[A-Z]$", value):
        return value
    named = duration_named(expression)
    if named is None:
        return value
    return re.sub(r"^(PT?)[\dX]+", r"\g<1>1", named)


_READINGS: dict[str, Callable[[str, str | None], str | None]] = {
    "DURATION": _as_duration,
    "SET": _as_set,
}


def value_as(
    expression: str,
    value: str | None,
    timeml_type: str,
    day: str | None = None,
    published: dt.date | None = None,
) -> str | None:
    """``value`` (what ``times`` reads for ``expression``) re-read as the given TimeML type; an
    unknown type keeps the value. A given span that ``times`` does not read and that is a vague
    reference word ("future", "previously", "already") gets that reference. ``day`` (YYYY-MM-DD)
    is the day the text speaks of where the expression stands, for a TIME that names no day and a
    DATE that points to one ("then", "the day");
    ``published`` the publication (creation) date, for a DATE counted from it."""
    if value is None:
        words = _words(expression)
        value = _REFERENCES.get(" ".join(words))
        if value is None and len(words) > 1 and words[0] in ("this", "the") and words[-1] in _PRESENT_HEADS:
            value = "PRESENT_REF"  # "at this crucial moment": the present, whatever the adjectives
    kind = timeml_type.upper()
    if kind == "TIME":
        return _as_time(expression, value, day)
    if kind == "DATE":
        return _as_date(expression, value, published, day)
    reading = _READINGS.get(kind)
    return reading(expression, value) if reading is not None else value
