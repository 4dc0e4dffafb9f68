"""Publication dates as inputs write them: ISO dates and datetimes, "5 November 2017",
"Nov. 5, 2017", "2017/11/05", RFC 2822 ("Sun, 05 Nov 2017 08:30:00 GMT").

Only complete dates are accepted. Nothing is ever filled in from the current date: a
value that does not name a year, a month and a day is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

# English month names are a fixed fact of the calendar, not tunable data; the
# ``calendar`` module is not used because its names follow the process locale.
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)})
MONTHS["sept"] = 9

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"

# Each pattern names the whole date; parse_published anchors them, find_trailing_date
# looks for them at the end of a line.
_PATTERNS: tuple[str, ...] = (
    rf"{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})",  # 2017-11-05
    rf"{_YEAR}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})",  # 2017/11/05
    rf"{_YEAR}\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})",  # 2017.11.05
    rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",  # 5 November 2017
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # Nov. 5, 2017
)
_COMPILED = tuple(re.compile(p, re.IGNORECASE) for p in _PATTERNS)
_TRAILING = tuple(re.compile(rf"\b{p}\s*$", re.IGNORECASE) for p in _PATTERNS)


def _from_match(m: re.Match[str]) -> dt.date:
    groups = m.groupdict()
    month = int(groups["m"]) if groups.get("m") else MONTHS[groups["month"].lower()]
    day = int(groups["d"] if groups.get("d") else groups["day"])
    return dt.date(int(groups["year"]), month, day)


def parse_published(value: str) -> dt.date:
    """Read a publication date; raise ValueError naming the value when it is not a full date."""
    text = value.strip()
    if not text:
        raise ValueError(f"{value!r}: empty date; use YYYY-MM-DD")
    try:
        # ISO datetimes with a time and zone (2017-11-05T08:30:00Z): the day as written.
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in _COMPILED:
        m = pattern.fullmatch(text)
        if m:
            try:
                return _from_match(m)
            except ValueError as exc:  # 2017-02-30: the shape is right, the day is not
                raise ValueError(f"{value!r}: not a valid date ({exc})") from None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    raise ValueError(f"{value!r}: not a date; use YYYY-MM-DD")


def find_trailing_date(line: str) -> tuple[int, dt.date] | None:
    """The date a line ends with, and where it starts; None when the line does not end with one."""
    for pattern in _TRAILING:
        m = pattern.search(line)
        if m:
            try:
                return m.start(), _from_match(m)
            except ValueError:
                return None
    return None
