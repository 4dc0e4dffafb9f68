"""Census of frontwatch's value errors on gold TimeML extents (TempEval-3 task A, given spans).

For every gold TIMEX3 whose value frontwatch gets wrong when given the gold extent and type (the
errors behind ``value_accuracy_gold_spans`` of ``frontwatch evaluate time``) the script prints the
file, the gold text, type and value, frontwatch's value, the creation time (DCT) and a category.
Then, for each category, how the gold annotates the *form* of the expression across the whole
folder, right and wrong for us alike: e.g. every gold "last week" DATE, read as a week number, a
week of unknown number (WXX), a month or a day. A category is decidable from the text when one
reading is a clear majority (at least two thirds) of the form's gold occurrences; the errors whose
gold value follows the majority reading are then ours to fix, the others are annotation that
contradicts the majority.

    .venv/bin/python bench/time_census.py DIR [--list] [--json OUT]

Categories are tested in order; the first that fits an error names it. They read only the gold
text, type and values, never a file name.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frontwatch.evaluate.timeml import GoldTimex, TimeDocument, gold_span_value, read_folder, same_value
from frontwatch.extract.times import find_times, timeml_mentions

# --- the shape of a value -------------------------------------------------------------------------

_SHAPES: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern))
    for name, pattern in [
        ("week number", r"^\d{4}-W\d{1,2}$"),
        ("week XX", r"^\d{4}-WXX$"),
        ("weekend", r"^\d{4}-W(\d{1,2}|XX)-WE$"),
        ("day + clock", r"^\d{4}-\d{2}-\d{2}T\d"),
        ("day + part of day", r"^\d{4}-\d{2}-\d{2}T(MO|AF|EV|NI|DT)$"),
        ("day", r"^\d{4}-\d{2}-\d{2}$"),
        ("day XX", r"^\d{4}-(\d{2}|XX)-XX$"),
        ("month", r"^\d{4}-\d{2}$"),
        ("quarter", r"^\d{4}-Q[1-4]$"),
        ("quarter XX", r"^\d{4}-QX$"),
        ("half", r"^\d{4}-H[12]$"),
        ("season", r"^\d{4}-(SP|SU|FA|WI)$"),
        ("year XX", r"^\d{4}-XX$"),
        ("year", r"^\d{4}$"),
        ("year X", r"^\d{3}X$"),
        ("decade", r"^\d{3}$"),
        ("decade X", r"^\d{2}X$"),
        ("century", r"^\d{2}$"),
        ("century XX", r"^\d{2}XX$"),
        ("length", r"^PT?[\dX.]+[A-Z]+$"),
        ("reference", r"^(PAST|PRESENT|FUTURE)_REF$"),
        ("set", r"^XXXX"),
    ]
]


def shape(value: str | None) -> str:
    if not value:
        return "none"
    for name, pattern in _SHAPES:
        if pattern.match(value.upper()):
            return name
    return "other"


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def weekday_anchor(value: str | None, created: dt.date) -> str:
    """Where a weekday's gold day lies from the creation day: in the six days up to it, in the six
    after it, or further (anchored on a date the story names)."""
    try:
        day = dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return shape(value)
    delta = (day - created).days
    if -6 <= delta <= 0:
        return "past 6 days or DCT"
    if 0 < delta <= 6:
        return "next 6 days"
    return "further (story's date)"


def part_of_day(value: str | None, _created: dt.date) -> str:
    """A day read with or without its part of the day."""
    found = re.search(r"T(MO|AF|EV|NI)$", value or "")
    return f"day + T{found[1]}" if found else shape(value)


# --- the gold's own words against its value -------------------------------------------------------

_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_UNIT_LETTER = {"year": "Y", "month": "M", "week": "W", "day": "D"}


def contradicts_words(g: GoldTimex) -> bool:
    """The gold value says what its own words cannot: another written year, month, weekday or count."""
    text, value = g.text.lower(), g.value.upper()
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    if year and g.type in ("DATE", "TIME") and re.match(r"^\d{4}", value) and not value.startswith(year[1]):
        return not text.startswith("fiscal")  # a fiscal year may end in the next calendar year
    month = re.search(r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.?\s+\d", text)
    if month and re.match(r"^\d{4}-\d{2}", value) and int(value[5:7]) != _MONTHS[month[1]]:
        return True
    weekday = _WEEKDAY.search(text)
    if weekday and re.match(r"^\d{4}-\d{2}-\d{2}", value) and "before" not in text and "after" not in text:
        return dt.date.fromisoformat(value[:10]).weekday() != _WEEKDAYS.index(weekday[1].lower())
    count = re.fullmatch(r"(\d+|" + "|".join(_NUMBER_WORDS) + r") (year|month|week|day)s", text)
    if count and g.type == "DURATION":
        n = int(count[1]) if count[1].isdigit() else _NUMBER_WORDS[count[1]]
        return value != f"P{n}{_UNIT_LETTER[count[2]]}"
    return False


# --- categories -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Error:
    doc: TimeDocument
    gold: GoldTimex
    ours: str | None


@dataclass(frozen=True)
class Category:
    name: str
    fits: Callable[[Error], bool]
    form: str | None  # a regular expression the whole gold text (lower case) matches, for the census
    reading: Callable[[str | None, dt.date], str] = lambda value, _created: shape(value)
    types: tuple[str, ...] = ("DATE",)  # the gold types the census of the form counts
    guideline: str = ""  # the TimeML / TIDES reading of the form, as a label of ``reading``
    # without a form to count: why the errors are decidable from the text (yes) or not (no)
    yes: str = ""
    no: str = ""


def _text(pattern: str) -> Callable[[Error], bool]:
    compiled = re.compile(pattern)
    return lambda e: compiled.fullmatch(e.gold.text.lower().strip(" .,")) is not None


def _shapes(gold: set[str], ours: set[str] | None = None) -> Callable[[Error], bool]:
    return lambda e: shape(e.gold.value) in gold and (ours is None or shape(e.ours) in ours)


def _both(*tests: Callable[[Error], bool]) -> Callable[[Error], bool]:
    return lambda e: all(t(e) for t in tests)


_DATE_SHAPES = {"day", "month", "year", "quarter", "week number", "season", "half"}
_WD = "|".join(_WEEKDAYS)
_YEAR_BACK = r"(a year (ago|earlier)|(the )?year-(ago|earlier)|one year (ago|earlier))"
_LAST_YEAR = r"(last year('s)?|the year before)"
_PERIOD = (
    r"(the |this |that )?((year-(ago|earlier)|comparable|corresponding|comparable year-ago|\d{4}|latest) )?"
    r"(period|quarter)( (last year|a year (ago|earlier)))?|last year's quarter"
)
_WEEK = r"((late|early) )?(last|this|next|the past|the last) week"
_WEEKS_AGO = r"((nearly|about|some) )?(\w+|a) weeks? (or so )?ago|the week|the weekend|over the weekend|week"
_YEARS_AGO = r"(\w+|a) (years?|decades?) ago|(earlier|later|sometime) (this|next|last) year"
_DECADE = r"(the )?((early|late|mid)[ -])?\d{3}0'?s"
_WEEKDAY_FORM = r"(on )?(early |late )?(" + _WD + r")('s)?( (morning|afternoon|evening|night))?"
_PART_OF_DAY = r"(early |late )?((" + _WD + r")|today|yesterday|tonight|last) (morning|afternoon|evening|night)"
_MONTH_FORM = r"(" + "|".join(_MONTHS) + r")[a-z]*\.?"
_YEAR_END = r"((around|by|at|the) )?(year[- ]end|year's end|the end of the year)"
_DAY_SHAPES = ("day", "day + part of day", "day + clock")


def year_relative(value: str | None, created: dt.date) -> str:
    """Which year a month's gold value lies in, from the creation year."""
    offset = {0: "year of DCT", -1: "year before", 1: "year after"}
    year = (value or "")[:4]
    return offset.get(int(year) - created.year, shape(value)) if year.isdigit() else shape(value)


def _weekday_error(e: Error) -> bool:
    return (
        _WEEKDAY.search(e.gold.text) is not None
        and shape(e.gold.value) in _DAY_SHAPES
        and shape(e.ours) in _DAY_SHAPES
        and e.gold.value[:10] != (e.ours or "")[:10]
    )


def _same_day_other_part(e: Error) -> bool:
    return (
        e.gold.value[:10] == (e.ours or "")[:10]
        and shape(e.gold.value) != shape(e.ours)
        and all("day" in shape(v) for v in (e.gold.value, e.ours))
    )


_ALL_TYPES = ("DATE", "TIME", "DURATION", "SET")

CATEGORIES: list[Category] = [
    Category(
        "gold contradicts its own words (slip)",
        lambda e: contradicts_words(e.gold),
        None,
        no="the written year, month, weekday or count says otherwise",
    ),
    Category(
        "gold type and value disagree (a DURATION with a date, a DATE with a length)",
        lambda e: (
            (e.gold.type == "DURATION") != (shape(e.gold.value) == "length") and e.gold.type in ("DATE", "DURATION")
        ),
        None,
        no="the given type asks for one reading and the gold value is the other ('last week' DATE = P1W)",
    ),
    Category("'last/this/next week'", _text(_WEEK), _WEEK, guideline="week number"),
    Category("'N weeks ago', 'the week', 'the weekend'", _text(_WEEKS_AGO), _WEEKS_AGO, guideline="week number"),
    Category("'a year ago/earlier', 'year-earlier': quarter or year", _text(_YEAR_BACK), _YEAR_BACK, guideline="year"),
    Category("'last year' in a quarterly report", _text(_LAST_YEAR), _LAST_YEAR, guideline="year"),
    Category(
        "'the quarter', 'the latest/1988/year-earlier period'",
        _text(_PERIOD),
        _PERIOD,
        guideline="quarter",
    ),
    Category(
        "bare year written 1949-XX",
        _both(_text(r"\d{4}"), _shapes({"year XX", "day XX"})),
        r"\d{4}",
        guideline="year",
    ),
    Category(
        "'N years ago', 'earlier this year' written 1989-XX",
        _both(_text(_YEARS_AGO), _shapes({"year XX", "day XX"})),
        _YEARS_AGO,
        guideline="year",
    ),
    Category("decade written 199X", _text(_DECADE), _DECADE, types=("DATE", "DURATION"), guideline="decade"),
    Category(
        "century written 19XX",
        _text(r"(the )?\d+(st|nd|rd|th) century"),
        r"(the )?\d+(st|nd|rd|th) century",
        guideline="century",
    ),
    Category(
        "weekday: the story's date, more than 6 days from DCT",
        lambda e: _weekday_error(e) and weekday_anchor(e.gold.value, e.doc.created) == "further (story's date)",
        _WEEKDAY_FORM,
        weekday_anchor,
        types=("DATE", "TIME"),
        guideline="past 6 days or DCT",
    ),
    Category(
        "weekday: the week before or after DCT (tense)",
        _weekday_error,
        _WEEKDAY_FORM,
        weekday_anchor,
        types=("DATE", "TIME"),
        guideline="past 6 days or DCT",
    ),
    Category(
        "part of the day on a DATE ('Wednesday night' = ...TEV?)",
        _both(_same_day_other_part, lambda e: e.gold.type == "DATE"),
        _PART_OF_DAY,
        part_of_day,
        guideline="day + TNI",  # TimeML writes the part of the day; the TIMEX3 type is then TIME
    ),
    Category(
        "clock time on a day the story names elsewhere, or its spelling",
        _shapes({"day + clock"}, {"day + clock", "length"}),
        None,
        no="the day of an event told elsewhere (10 p.m. of the killing) or T17 for T17:00",
    ),
    Category(
        "month in another year",
        _both(_text(r"(last |next )?" + _MONTH_FORM + r"( \d{1,2})?"), lambda e: shape(e.gold.value) == shape(e.ours)),
        _MONTH_FORM,
        year_relative,
        guideline="year of DCT",
    ),
    Category("'today' as PRESENT_REF", _text(r"today"), r"today", guideline="day"),
    Category(
        "'recent years' as a DATE: PXY or PAST_REF",
        _both(_text(r"(in )?recent (years|months|weeks|days|quarters)"), lambda e: e.gold.type == "DATE"),
        r"(in )?recent (years|months|weeks|days|quarters)",
        guideline="reference",
    ),
    Category(
        "indefinite 'one day', 'a year or two', 'this crucial moment'",
        _text(r"one day|some day|a year or two|this (\w+ )?moment"),
        None,
        yes="TIDES: an indefinite time in a future (present) clause is FUTURE_REF (PRESENT_REF)",
    ),
    Category(
        "a reference or a vague year against another reading",
        lambda e: "reference" in (shape(e.gold.value), shape(e.ours)) or shape(e.gold.value) == "year X",
        None,
        no="'from time to time' = FUTURE_REF (a SET), 'a few years ago' = 199X (TIDES: PAST_REF)",
    ),
    Category(
        "'year-end', 'year's end'",
        _text(_YEAR_END),
        _YEAR_END,
        types=("DATE",),
        guideline="year",
    ),
    Category(
        "'the days/weeks before <an event>' as the event's date",
        _both(_text(r"(the )?(\d+ )?(days|weeks|day|week)"), _shapes(_DATE_SHAPES | {"day XX"}, {"length", "none"})),
        None,
        no="the date of an event the text does not date there",
    ),
    Category(
        "a date against a length for the same words ('daily' SET = XXXX-XX-XX)",
        lambda e: (shape(e.gold.value) == "length") != (shape(e.ours) == "length") and e.ours is not None,
        None,
        no="type and value disagree in the gold ('September' DURATION = P1M, 'last year' DURATION = 1997) "
        "or the date is counted from an event ('redeemed in five years' = 1994)",
    ),
    Category(
        "a length spelled or bounded otherwise (P1E / P10Y, P9M / P3Q, P2W for 'two to three weeks')",
        lambda e: shape(e.gold.value) == "length" and shape(e.ours) == "length",
        None,
        no="the same length spelled two ways in the corpus, or a range read as one bound",
    ),
    Category(
        "no reading: an event's day, a vague length, a rate ('first day' in office, 'some time', 'Quarterly')",
        lambda e: e.ours is None,
        None,
        no="anaphora to events, or units the gold writes PXE in one file and PXC in another",
    ),
    Category(
        "granularity: a day for a year or month, a month for a day",
        lambda e: shape(e.gold.value) != shape(e.ours),
        None,
        no="'1992' = 1992-05-10 (the day of the protest), 'this year' = 1989-10-30, 'Sept. 30' = 1989-09",
    ),
    Category("other (single cases)", lambda e: True, None, no="see the --list output"),
]


# Errors read one by one where the census of their form says "fixable" (gold follows the clear
# majority) but the text does not decide them, or the reverse. Documentation of this census only:
# no product rule reads a file name. (file, gold text) -> (decidable from the text, why)
REVIEWED: dict[tuple[str, str], tuple[bool, str]] = {
    ("wsj_0189.tml", "the latest period"): (
        False,
        "the fiscal fourth quarter (not ended at DCT) against 'the latest quarter' after a running "
        "fourth quarter in wsj_0558: each rule tried wins one and loses the other",
    ),
    ("wsj_0292.tml", "the year-earlier period"): (
        False,
        "the report's quarter (named 650 characters before) against the quarter named last; counting "
        "from the first quarter named loses as many values elsewhere",
    ),
    ("wsj_0292.tml", "the 1989 period"): (False, "as 'the year-earlier period' in the same file"),
    ("AP900815-0044.tml", "Friday"): (
        False,
        "'would begin withdrawing troops ... on Friday' lies ahead in the text; the gold anchors the "
        "story a week earlier",
    ),
    ("AP900815-0044.tml", "Thursday"): (False, "'will meet Bush on Thursday' lies ahead in the text; gold as above"),
    ("APW19991024.0075.tml", "Saturday"): (
        True,
        "'A memorial service planned ... for Saturday was canceled': the sentence is past, 'planned' is not",
    ),
}


def _reviewed(error: Error, default: bool) -> bool:
    return REVIEWED.get((error.doc.name, error.gold.text.strip()), (default, ""))[0]


def categorise(error: Error) -> Category:
    return next(c for c in CATEGORIES if c.fits(error))


# --- the census -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    doc: TimeDocument
    gold: GoldTimex
    ours: str | None


def read_all(documents: list[TimeDocument]) -> list[Reading]:
    """Every gold extent with the value frontwatch gives it (given extent and type)."""
    readings = []
    for doc in documents:
        mentions = timeml_mentions(doc.text, find_times(doc.text, doc.created), doc.created)
        readings += [Reading(doc, g, gold_span_value(doc, g, mentions)) for g in doc.gold]
    return readings


def form_census(readings: list[Reading], category: Category) -> collections.Counter[tuple[str, str]]:
    """(gold reading, our reading) of every gold expression of the category's form, whole folder."""
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    if category.form is None:
        return found
    form = re.compile(category.form)
    for r in readings:
        if r.gold.type in category.types and form.fullmatch(r.gold.text.lower().strip(" .,")):
            found[(category.reading(r.gold.value, r.doc.created), category.reading(r.ours, r.doc.created))] += 1
    return found


def census_rows(readings: list[Reading]) -> tuple[list[Error], list[dict[str, object]]]:
    errors = [Error(r.doc, r.gold, r.ours) for r in readings if not same_value(r.gold.value, r.ours)]
    by_category: dict[str, list[Error]] = collections.defaultdict(list)
    for error in errors:
        by_category[categorise(error).name].append(error)
    rows: list[dict[str, object]] = []
    for category in CATEGORIES:
        members = by_category.get(category.name, [])
        if not members:
            continue
        pairs = form_census(readings, category)
        gold_readings: collections.Counter[str] = collections.Counter()
        for (gold, _ours), n in pairs.items():
            gold_readings[gold] += n
        total = sum(gold_readings.values())
        majority, top = gold_readings.most_common(1)[0] if gold_readings else ("", 0)
        if total:
            decidable = top / total >= 2 / 3
            follows = [e for e in members if category.reading(e.gold.value, e.doc.created) == majority]
            fixable = sum(_reviewed(e, decidable and e in follows) for e in members)
            why = f"majority {majority} {top}/{total}" + ("" if decidable else " (< 2/3: split)")
        else:
            decidable = bool(category.yes)
            fixable = sum(_reviewed(e, decidable) for e in members)
            why = category.yes or category.no
        first = members[0]
        rows.append(
            {
                "category": category.name,
                "errors": len(members),
                "example": f"{first.gold.text.strip()!r} {first.gold.type} gold {first.gold.value}, ours {first.ours} "
                f"(DCT {first.doc.created})",
                "gold_readings": dict(gold_readings.most_common()),
                "gold_by_our_reading": {f"{o} -> {g}": n for (g, o), n in sorted(pairs.items(), key=lambda x: -x[1])},
                "form_occurrences": total,
                "guideline": category.guideline,
                "majority_is_guideline": (majority == category.guideline) if total else None,
                "decidable": decidable,
                "fixable": fixable,
                "why": why,
            }
        )
    return errors, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--list", action="store_true", help="print every error with its category")
    parser.add_argument("--json", type=Path, help="also write the census as JSON")
    args = parser.parse_args()
    readings = read_all(read_folder(args.folder))
    errors, rows = census_rows(readings)
    if args.list:
        for e in sorted(errors, key=lambda e: CATEGORIES.index(categorise(e))):
            g = e.gold
            print(
                f"{categorise(e).name}\t{e.doc.name}\t{e.doc.created}\t{g.text.strip()!r}\t{g.type}\t{g.value}\t{e.ours}"
            )
    n_gold = len(readings)
    fixable = sum(int(str(r["fixable"])) for r in rows)
    print(f"\n{len(errors)} errors on {n_gold} gold extents (accuracy {1 - len(errors) / n_gold:.4f})")
    print(
        f"fixable from the text: {fixable}; "
        f"ceiling without fitting the rest: {1 - (len(errors) - fixable) / n_gold:.4f}\n"
    )
    for row in rows:
        print(
            f"{row['errors']:4d}  {row['category']}  "
            f"[decidable: {'yes' if row['decidable'] else 'no'}, fixable {row['fixable']}]"
        )
        print(f"      e.g. {row['example']}")
        if row["form_occurrences"]:
            readings_text = ", ".join(f"{k} {v}" for k, v in dict(row["gold_readings"]).items())  # type: ignore[call-overload]
            print(f"      gold across the corpus: {readings_text}; guideline reading: {row['guideline']}")
            crossed = ", ".join(f"{k}: {v}" for k, v in dict(row["gold_by_our_reading"]).items())  # type: ignore[call-overload]
            print(f"      ours -> gold: {crossed}")
        print(f"      {row['why']}")
    if args.json:
        args.json.write_text(json.dumps({"errors": len(errors), "gold": n_gold, "categories": rows}, indent=2))


if __name__ == "__main__":
    main()
