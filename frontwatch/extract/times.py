"""Time expressions in English news text, normalised against the publication date.

Rule based and fast: one compiled regular expression with one named alternative per
family of expressions ("20 November", "late last month", "three years ago", ...), each
read by a small handler. Relative expressions need the publication date; without it
they come back with an unknown range (the module never reads the clock).

Public API: ``find_times``, ``normalize``, ``mention_in``, ``timeml_mentions``, ``infer_publication_date``
(``publication_date_evidence``: the same with its words) and ``TimeMention``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from frontwatch.schema import DateRange

_WORDS = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "time_words.toml").read_text())

_MONTHS: dict[str, int] = {**_WORDS["months"], **_WORDS["month_abbreviations"]}
_WEEKDAYS: dict[str, int] = _WORDS["weekdays"]
_NUMBERS: dict[str, tuple[int, int]] = {k: (v, v) for k, v in _WORDS["numbers"].items()}
_NUMBERS.update({k: (v[0], v[1]) for k, v in _WORDS["vague_numbers"].items()})
_UNITS: dict[str, str] = _WORDS["units"]
_SEASONS: dict[str, tuple[int, int]] = {k: (v[0], v[1]) for k, v in _WORDS["seasons"].items()}
_PREPOSITIONS: dict[str, str] = _WORDS["prepositions"]
_FUTURE_CUES: set[str] = set(_WORDS["cues"]["future"]) | set(_WORDS["cues"]["scheduled_present"])
_PAST_CUES: set[str] = set(_WORDS["cues"]["past"])
_PRESENT_CUES: set[str] = set(_WORDS["cues"]["present"])
_FUTURE_PARTICIPLES: set[str] = set(_WORDS["cues"]["future_participles"])
_AS_PLANNED_ADVERBS: set[str] = set(_WORDS["cues"]["as_planned_adverbs"])
_FREQUENCIES: dict[str, str] = _WORDS["frequencies"]
_REFERENCES: dict[str, str] = _WORDS["references"]
_TENSED_REFERENCES: dict[str, str] = _WORDS["tensed_references"]
_SPELLED: dict[str, dict[str, int]] = _WORDS["spelled_years"]
_DECADE_WORDS: dict[str, int] = _WORDS["decade_words"]
_HOLIDAYS: dict[str, list[int]] = {
    **_WORDS["holidays"]["fixed"],
    **_WORDS["holidays"]["nth_weekday"],
    **_WORDS["holidays"]["easter"],
}
_NOT_A_DURATION_AFTER = re.compile(
    r"(?:\d|\b(?:" + "|".join(map(re.escape, _WORDS["duration_modifiers"]["not_a_duration_after"])) + r"))\s*$",
    re.IGNORECASE,
)


# --- building blocks of the big pattern -------------------------------------------------------------


def _alt(words: list[str] | set[str] | dict[str, object]) -> str:
    """Alternation of literal words as a prefix tree ("th(?:e|is)"): the regex engine follows one
    branch per letter instead of trying every word in turn, which is most of the scanner's time.
    A longer word is tried before its prefix ("a few" before "a"); a space matches any spaces."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in str(word):
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return f"(?:{_render_tree(tree)})"


def _render_tree(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _render_tree(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _cased(words: list[str] | dict[str, object]) -> str:
    """Names as written in running text: Title case or UPPER case, never lower ("may", "march")."""
    return _alt([w.title() for w in words] + [w.upper() for w in words])


def _capitalised(names: dict[str, object]) -> str:
    """Names written with capitals ("Thanksgiving Day", "New Year's Day"), longest first; a last
    word "week" may stay lower case ("Easter week")."""
    written = [" ".join(w[:1].upper() + w[1:] for w in name.split()) for name in names]
    return _alt(written + [w[: -len("Week")] + "week" for w in written if w.endswith(" Week")])


_MF = f"(?:{_cased(_WORDS['months'])})"  # full month name: may stand alone
_MA = f"(?:{_cased(_WORDS['month_abbreviations'])})\\.?"
_M = f"(?:{_MF}|{_MA})"  # any month, for use next to a day or year
_WD = f"(?:{_cased(_WEEKDAYS)})"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?!\d|,\d{3})"
_ORD = r"(?:st|nd|rd|th)"
_Y = r"\b(?:1[89]\d\d|20\d\d|2100)\b"
_NOT_YEAR = r"(?!\s*(?:" + _alt(_WORDS["guards"]["not_a_year_before"]) + r")\b)"
_TENS = {w: v for w, v in _WORDS["numbers"].items() if v in range(20, 100, 10)}
_DIGITS = {w: v for w, v in _WORDS["numbers"].items() if v in range(1, 10) and w not in ("a", "an")}
# "twenty-four", "thirty five": a tens word and a digit word
_COMPOUND = rf"(?:{_alt(_TENS)})[-\s](?:{_alt(_DIGITS)})\b"
_NUM = rf"(?i:\d+|{_COMPOUND}|{_alt(_NUMBERS)})"
_UNIT = f"(?i:{_alt(_UNITS)})"
_UNITS_RE = rf"{_UNIT}s?"
_PART = r"(?i:early|mid|late|earlier|later)"
_EDGE = r"(?i:beginning|start|middle|end)"
_SEASON = f"(?i:{_alt(_SEASONS)})"
_PREP = rf"(?P<prep>(?i:{_alt(_PREPOSITIONS)}))"
_ORDINAL = r"(?i:first|second|third|fourth|1st|2nd|3rd|4th)"
_DUR_MOD = f"(?i:{_alt(_WORDS['duration_modifiers']['words'])})"
_ZONE = r"(?:\s+(?:[ECMP][SD]T|GMT|UTC|local\s+time))?"


# Kinds of day a count may name ("eight trading days", "three business days"): still days, P8D
# (only before "day(s)": "a calendar year", "a working week" are kinds of period, not counts).
_COUNTED_DAYS = r"(?:trading|business|working)(?=\s+days?\b)"


# A year said in words ("nineteen ninety-four"), without groups: for rules that name a month or
# a season of it ("January nineteen ninety-seven", "the winter of nineteen ninety-four").
_SPELLED_YEAR = (
    rf"(?i:{_alt(_SPELLED['centuries'])})[\s-]+(?:(?i:{_alt(_SPELLED['tens'])})(?:[\s-]+"
    rf"(?i:{_alt(_SPELLED['units'])}))?|(?i:{_alt(_SPELLED['teens'])}))\b"
)
_SPELLED_PARTS = re.compile(
    rf"(?P<c>{_alt(_SPELLED['centuries'])})[\s-]+(?:(?P<t>{_alt(_SPELLED['tens'])})(?:[\s-]+"
    rf"(?P<u>{_alt(_SPELLED['units'])}))?|(?P<teen>{_alt(_SPELLED['teens'])}))\b",
    re.IGNORECASE,
)


def _spelled_year(words: str) -> int | None:
    """ "nineteen ninety-six" = 1996; None when the words are no year."""
    found = _SPELLED_PARTS.fullmatch(words.strip())
    if found is None:
        return None
    century = _SPELLED["centuries"][found["c"].lower()]
    if found["teen"]:
        return century * 100 + _SPELLED["teens"][found["teen"].lower()]
    units = _SPELLED["units"][found["u"].lower()] if found["u"] else 0
    return century * 100 + _SPELLED["tens"][found["t"].lower()] + units


def _g(name: str, body: str) -> str:
    return f"(?P<{name}>{body})"


# Each alternative is wrapped in a named group (its rule); alternatives are tried in this order at
# each position, so longer, more specific forms come first. A handler reads the inner groups.
_YEAR_BACK_PERIOD = (
    r"(?i:the\s+(?:(?:corresponding|comparable|same)\s+)?(?:period|quarter)\s+(?:last\s+year|a\s+year\s+(?:ago|earlier))"
    r"|last\s+year['’]s\s+(?:period|quarter))\b"
)

_RULES: list[tuple[str, str]] = [
    (
        "iso",
        r"\b" + _g("iso_y", r"\d{4}") + "-" + _g("iso_m", r"\d{2}") + "-" + _g("iso_d", r"\d{2}") + r"\b",
    ),
    (
        "num",
        r"\b"
        + _g("num_a", r"\d{1,2}")
        + _g("num_s", "[/.]")
        + _g("num_b", r"\d{1,2}")
        + r"(?P=num_s)"
        + _g("num_y", r"\d{4}")
        + r"\b",
    ),
    (
        "clock",
        r"\b(?:"
        + _g("cl_h", r"1[0-2]|0?[1-9]")
        + "(?::" + _g("cl_min", r"[0-5]\d") + ")?"
        + r"\s*"
        + _g("cl_ap", "[ap]")
        + r"(?:\.m\b\.?|m\b)|"
        + _g("cl_w", r"(?i:noon|midday|midnight)")
        # "4 in the morning", "10 o'clock at night": the hour and the part of the day that places it
        + r"|" + _g("cl_h2", r"1[0-2]|0?[1-9]") + r"(?:\s+(?i:o'clock))?\s+"
        + _g("cl_pod", r"(?i:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)")
        + r"\b)"
        + _ZONE
        # "10:35 a.m. (0735 GMT) Friday": a short aside may stand between the clock and its day
        + r"(?:(?:\s+\([^()\n]{1,20}\))?"
        + rf",?\s+(?:(?i:on)\s+)?(?:{_g('cl_wd', _WD)}\b|{_g('cl_mo', _M)}\s+{_g('cl_d', _D)}\b"
        # "5 p.m. today", "10 a.m. tomorrow": the day said relative to publication
        + rf"|{_g('cl_rd', '(?i:today|tomorrow|yesterday|tonight)')}\b))?",
    ),
    (
        "quarter",
        # "the corresponding period last year", "last year's quarter": the quarter spoken of, a year back
        _g("q_cy", _YEAR_BACK_PERIOD)
        + "|"
        + r"(?:(?i:the|a|its|their)\s+|"
        + _g("q_ry", r"(?i:this|last|next)")
        + r"\s+(?i:year)['’]s\s+)?(?:"
        + _g("q_cmp", r"(?i:comparable\s+)?(?i:year-earlier|year-ago|year\s+earlier)")
        + r"\s+)?(?:"
        + _g("q_y", _Y)
        + r"\s+)?(?:(?i:fiscal|flat|latest)\s+)?"
        + _g("q_n", _ORDINAL)
        # "the third quarter of 1984" is read by the rule with a year; "of $226 million" is no time
        + r"[-\s]+(?i:quarter)\b(?!\s+(?i:of)\s+(?:\d{4}\b|['’]\d\d\b|(?i:fiscal|this|last|next|the|that)\b))"
        + "|"
        + r"(?i:the|this|that)\s+(?:"
        + _g("q_rel", r"(?i:latest|most\s+recent|current|previous|past|comparable\s+year-ago|year-earlier|year-ago)")
        + r"\s+)?(?i:quarter)\b(?![-\s]+(?i:century|mile|final|of\s+a|to-))"
        + "|"
        # "last quarter", "next quarter", "the coming quarter" (not "the last quarter of 1989")
        + r"(?:(?i:the)\s+)?"
        + _g("q_ln", r"(?i:last|next|coming)")
        + r"\s+(?i:quarter)\b(?!\s+(?i:of)\b|-)"
        + "|"
        + r"(?i:the)\s+"
        + _g("q_lp", r"(?i:latest)")
        + r"\s+(?i:period)\b"
        + "|"
        + r"(?:(?i:the)\s+)?"
        + _g("q_ye", r"(?i:year-earlier|year-ago)")
        # "the year-earlier nine months" is a duration: the count and unit make the expression
        + r"(?:\s+(?i:period))?\b(?!\s+" + _NUM + r"\s+" + _UNITS_RE + r"\b)",
    ),
    (
        "spyear",
        r"\b(?:"
        + _g("sy_c", f"(?i:{_alt(_SPELLED['centuries'])})")
        + r"[\s-]+(?:"
        + _g("sy_t", f"(?i:{_alt(_SPELLED['tens'])})")
        + r"(?:[\s-]+"
        + _g("sy_u", f"(?i:{_alt(_SPELLED['units'])})")
        + r")?|"
        + _g("sy_teen", f"(?i:{_alt(_SPELLED['teens'])})")
        + r")|"
        + _g("sy_2000", r"(?i:the\s+year\s+two\s+thousand)")
        + r")\b"
        + _NOT_YEAR,
    ),
    (
        "holiday",
        r"\b(?:"
        + _g("hd_mod", r"(?i:last|this|next)")
        + r"\s+)?"
        + _g("hd", _capitalised(_HOLIDAYS))
        + r"\b",
    ),
    (
        "decade",
        r"(?:(?i:the)\s+)?(?:"
        + _g("dc_p", r"(?i:early|mid|late)")
        + r"[-\s]+)?(?:"
        + _g("dc_y", r"(?:1[89]|20)\d0")
        + "|'"
        + _g("dc_s", r"\d0")
        + r")'?s\b"
        # "the nineties", "the early eighties"
        + r"|(?i:the)\s+(?:" + _g("dc_wp", r"(?i:early|mid|late)") + r"[-\s]+)?" + _g("dc_w", _alt(_DECADE_WORDS)),
    ),
    (
        "century",
        r"(?:(?i:the)\s+)?" + _g("ct_n", r"[12]?\d") + r"(?:st|nd|rd|th)[-\s]+(?i:century)\b",
    ),
    (
        "drange",
        r"\b"
        + _g("dr_a", _D)
        + f"{_ORD}?"
        + r"\s*(?:-|–|(?i:and|to|until|through))\s*"
        + _g("dr_b", _D)
        + f"{_ORD}?"
        + r"\s+(?i:of\s+)?"
        + _g("dr_m", _M)
        + f"(?:,?\\s+{_g('dr_y', _Y)})?",
    ),
    (
        "mdrange",
        r"\b"
        + _g("mr_m", _M)
        + r"\s+"
        + _g("mr_a", _D)
        + f"{_ORD}?"
        + r"\s*(?:-|–|(?i:and|to|until|through))\s*"
        + _g("mr_b", _D)
        + f"{_ORD}?\\b"
        + f"(?:,?\\s+{_g('mr_y', _Y)})?",
    ),
    (
        "dmy",
        rf"(?:\b{_g('dmy_wd', _WD)},?\s+)?"
        + r"(?:(?i:the)\s+)?\b"
        + _g("dmy_d", _D)
        + f"{_ORD}?"
        + r"\s+(?i:of\s+)?"
        + _g("dmy_m", _M)
        + f"(?:,?\\s+{_g('dmy_y', _Y)})?",
    ),
    (
        "mdy",
        rf"(?:\b{_g('mdy_wd', _WD)},?\s+)?\b"
        + _g("mdy_m", _M)
        + r"\s+(?:(?i:the)\s+)?"
        + _g("mdy_d", _D)
        + f"{_ORD}?\\b"
        + f"(?:,?\\s+{_g('mdy_y', _Y)})?",
    ),
    # "the week of March 6": the (ISO) week that holds the day named
    (
        "weekof",
        r"(?i:the)\s+(?i:week)\s+(?i:of)\s+"
        + _g("wo_m", _M)
        + r"\s+"
        + _g("wo_d", _D)
        + f"{_ORD}?\\b"
        + f"(?:,?\\s+{_g('wo_y', _Y)})?",
    ),
    (
        "half",
        r"(?:(?i:the)\s+)?"
        + _g("h_n", r"(?i:first|second|third|fourth|last|1st|2nd|3rd|4th)")
        + r"\s+(?:"
        # "the first two quarters of 1990" = its first half (1990-H1)
        + _g("h_two", r"(?i:two)\s+(?i:quarters)")
        + "|"
        + _g("h_k", r"(?i:half|quarter)")
        + r")\s+(?i:of)\s+(?:"
        + _g("h_y", _Y)
        + "|"
        + _g("h_rel", r"(?i:this|last|next|the)")
        + r"\s+(?i:year))",
    ),
    (
        "partmonth",
        r"(?:"
        + _g("pm_p", _PART)
        + r"[-\s]+|(?:(?i:the)\s+)?"
        + _g("pm_e", _EDGE)
        + r"\s+(?i:of)\s+)"
        + _g("pm_m", _MF)
        + f"(?:,?\\s+(?i:of\\s+)?{_g('pm_y', _Y)})?",
    ),
    # "the year ended Sept. 30", "the fiscal year ending June 30": a reporting period, a duration.
    (
        "yended",
        r"(?i:the)\s+(?:(?i:fiscal)\s+)?" + _g("ye_u", r"(?i:year)") + r"(?=\s+(?i:ended|ending)\b)",
    ),
    (
        "my",
        r"\b" + _g("my_m", _M) + r",?\s+(?i:of\s+)?(?:" + _g("my_y", _Y) + "|" + _g("my_sy", _SPELLED_YEAR) + ")"
        + _NOT_YEAR,
    ),
    # "in June last year", "January this year": the month of the year named relative to publication.
    ("mry", r"\b" + _g("mry_m", _MF) + r"\s+(?i:of\s+)?" + _g("mry_rel", r"(?i:this|last|next)") + r"\s+(?i:year)\b"),
    (
        "prepost",
        r"\b" + _g("pp_p", r"(?i:pre|post)") + r"-" + _g("pp_y", _Y),
    ),
    (
        "partyear",
        r"(?:"
        + _g("py_p", _PART)
        + r"[-\s]+|(?:(?i:the)\s+)?"
        + _g("py_e", _EDGE)
        + r"\s+(?i:of)\s+)"
        + _g("py_y", _Y)
        + _NOT_YEAR,
    ),
    (
        "season",
        r"(?:(?i:the)\s+)?"
        + _g("s_s", _SEASON)
        + r"\s+(?:(?i:of)\s+)?(?:"
        + _g("s_y", _Y)
        + "|"
        + _g("s_sy", _SPELLED_YEAR)
        + "|"
        + _g("s_rel", r"(?i:this|last|next)")
        + r"\s+(?i:year))",
    ),
    (
        "yrange",
        _g("yr_a", _Y) + r"\s*(?:-|–|\s(?i:and|to|until|through|or)\s)\s*" + _g("yr_b", _Y) + _NOT_YEAR,
    ),
    (
        "relpart",
        r"(?:"
        + _g("rp_p", _PART)
        + r"[-\s]+|(?:(?i:the)\s+)?"
        + _g("rp_e", _EDGE)
        + r"\s+(?i:of)\s+)"
        + _g("rp_rel", r"(?i:this|last|next|the|that)")
        + r"\s+"
        + _g("rp_u", r"(?i:week|month|year)"),
    ),
    (
        "nextday",
        r"\b(?i:the)\s+(?:"
        + _g("nd_w", r"(?i:next|following)")
        + r"\s+"
        + _g("nd_u", r"(?i:day|morning|night|evening)")
        + "|"
        + _g("nd_wp", r"(?i:previous|preceding|same)")
        + r"\s+"
        + _g("nd_up", r"(?i:day|morning|night|evening|week|month|year)")
        + "|"
        + _g("nd_u2", r"(?i:day|week|month|year)")
        + r"\s+"
        + _g("nd_w2", r"(?i:before|after)")
        + r")\b"
        + r"(?!\s+(?i:yesterday|tomorrow))",
    ),
    (
        "span",
        r"(?i:the)\s+"
        + _g("sp_dir", r"(?i:past|last|previous|coming|next|following)")
        + r"\s+(?:"
        + _g("sp_n", _NUM)
        + r"\s+)?"
        + _g("sp_u", _UNITS_RE)
        + r"\b",
    ),
    (
        "rel",
        r"\b"
        + _g(
            "r_rel",
            r"(?i:this|last|next|past|coming|previous)|(?i:the)(?=\s+(?i:weekend)\b)"
            # "for the year", "a high for the year": the year the report is about (not "the year
            # ended", "the year before", "the year-earlier period", which other rules read)
            r"|(?i:the)(?=\s+(?i:year)\b(?!-|\s+(?i:ended|ending|before|after|earlier|later|ago|two|nineteen)\b))"
            r"|(?i:the\s+(?:full|current)(?:\s+fiscal)?)(?=\s+(?i:year|month|week)\b)"
            # "earnings for the fiscal year": the (fiscal) year the report is about
            r"|(?i:the\s+fiscal)(?=\s+(?i:year)\b(?!-|\s+(?i:ended|ending|before|after|earlier|later|ago)\b))",
        )
        + r"\s+(?:"
        + _g("r_u", r"(?i:week|weekend|month|year)")
        + "|"
        + _g("r_s", _SEASON)
        + "|"
        + _g("r_m", _MF)
        + r")\b",
    ),
    (
        "ago",
        # "three years ago"; "a year from now", "two weeks hence": the same count ahead of publication
        r"\b" + _g("a_n", _NUM) + r"\s+" + _g("a_u", _UNITS_RE)
        + r"\s+(?:(?i:ago)|" + _g("a_fwd", r"(?i:from\s+now|hence)") + r")\b",
    ),
    (
        "after",
        r"\b(?:"
        + _g("af_n", _NUM)
        + r"[\s-]+(?:(?i:" + _COUNTED_DAYS + r")\s+)?"
        + _g("af_u", _UNITS_RE)
        + _g("af_half", r"\s+(?i:and\s+a\s+half)")  # "a minute and a half later"
        + "?|"
        + _g("af_pl", _UNIT + "s")
        + r")\s+"
        + _g("af_w", r"(?i:after|later|before|earlier|afterwards|on)")
        + r"\b",
    ),
    (
        "duradj",
        r"\b(?:" + _g("da_n", _NUM) + "-" + _g("da_u", _UNIT) + r"(?:-(?i:long))?\b(?!-(?i:old))"
        # "a day-long strike" (P1D), "a decades-long war" (an unknown number of decades)
        + "|" + _g("da_lu", _UNIT) + _g("da_lpl", "s") + r"?-(?i:long)\b)",
    ),
    (
        "for",
        r"\b(?i:for|over|in)\s+(?:(?i:more\s+than|over|nearly|almost|about|around|at\s+least|some|just|less\s+than"
        + r"|close\s+to|roughly|up\s+to)\s+)?"
        + _g("f_n", _NUM)
        + r"\s+"
        + _g("f_u", _UNITS_RE)
        + r"\b"
        + r"(?!\s+(?i:ago|after|later|before|earlier))",
    ),
    (
        "dur",
        r"\b(?:"
        + _g("du_mod", _DUR_MOD)
        + r"\s+)?"
        + _g("du_n", _NUM)
        + _g("du_half", r"\s+1/2|\s+(?i:and\s+a\s+half)")  # "5 1/2 hours", "two and a half years"
        + r"?(?:\s+(?i:more|additional|full|straight|consecutive|long|" + _COUNTED_DAYS + r"))?\s+"
        + _g("du_u", _UNITS_RE)
        + _g("du_half_after", r"\s+(?i:and\s+a\s+half)")  # "a minute and a half"
        + "?"
        # "52 years old": an age, which TimeML leaves out
        + r"\b(?!-)(?!\s+(?i:ago|after|later|before|earlier|afterwards|old)\b)",
    ),
    (
        "units",
        r"(?:"
        + _g("un_mod", r"(?i:in\s+recent|recent|past|coming|future|for|over|within|in|during)")
        + r"\s+)"
        # "over the years", "in the early years", "in the first hours": the same unknown number
        + r"(?:" + _g("un_the", r"(?i:the(?:\s+(?:first|early|initial))?)") + r"\s+)?"
        + _g("un_u", _UNIT + "s")
        + r"\b(?!\s+(?i:ago|after|later|before|earlier|afterwards)\b)",
    ),
    ("freq", r"\b" + _g("fq", f"(?i:{_alt(_FREQUENCIES)})") + r"\b"),
    (
        "ref",
        r"\b" + _g("rf", f"(?i:{_alt(_REFERENCES)})") + r"\b(?!\s+(?:" + _NUM + r"\s+)?" + _UNIT + r")",
    ),
    (
        "tref",
        r"(?<!\bas\s)\b" + _g("tr", f"(?i:{_alt(_TENSED_REFERENCES)})") + r"\b(?!\s+(?i:as|after|afterwards)\b)",
    ),
    (
        "day",
        _g(
            "dy",
            r"\b(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow"
            + r"|last\s+night|this\s+(?:morning|afternoon|evening)|now|currently|recently|lately)\b",
        ),
    ),
    (
        "wd",
        r"\b(?:"
        + _g("wd_mod", r"(?i:last|this|next|late|early|the\s+(?:previous|preceding|following))")
        + r"\s+)?"
        + _g("wd_d", _WD)
        # "on Tuesdays", "Tuesday nights": a plural names every such day (a SET)
        + r"(?:'s|" + _g("wd_pl", "s") + r")?(?:\s+"
        + _g("wd_t", r"(?i:morning|afternoon|evening|night)")
        + _g("wd_tpl", "s") + r"?)?\b",
    ),
    (
        "ord",
        r"(?(prep)(?i:the)\s+"
        + _g("o_d", _D)
        + _ORD
        + r"\b(?!\s*(?:[A-Z0-9]|(?i:"
        + _alt(_WORDS["guards"]["not_a_day_before"])
        + r")\b))|(?!))",
    ),
    (
        "mcoord",
        r"(?(prep)"
        + _g("mc_a", _MF)
        + r"\s*"
        + _g("mc_j", r"-|–|\s(?i:and|or|to|until|through)\s")
        + r"\s*"
        + _g("mc_b", _MF)
        + r"\b"
        + f"(?:,?\\s+{_g('mc_y', _Y)})?"
        + "|(?!))",
    ),
    ("bmonth", r"(?(prep)" + _g("bm_m", _MF) + r"\b|(?!))"),
    ("byear", r"(?(prep)" + _g("by_y", _Y) + _NOT_YEAR + r"(?![.,]\d)|(?!))"),  # not "at 2082.1"
    # Months and years without a preposition: a month not followed by a name ("August Kowalski"),
    # never "May" (the verb); a year not next to other digits or a currency sign.
    # "over the summer", "in early spring": the season of the year the clause points to
    (
        "bseason",
        r"(?(prep)|(?i:over|into)\s+(?=(?i:the)\s))"
        + _g(
            "bs_core",
            r"(?:(?i:the)\s+)?(?:" + _g("bs_p", r"(?i:early|mid|late)") + r"[-\s]+)?" + _g("bs_s", _SEASON),
        )
        + r"\b(?!\s+(?i:of)\b)",
    ),
    # "the weeks ahead": an unknown number of units from publication on
    # "that day", "earlier that day", "the same year": the time named before (see _relative_to_last)
    (
        "that",
        r"(?:(?i:earlier|later)\s+)?(?i:that|the\s+same)\s+(?:(?i:same)\s+)?"
        + _g("th_u", r"(?i:day|month|year)")
        + r"\b",
    ),
    ("ahead", r"(?i:the)\s+(?:(?i:coming)\s+)?" + _g("ah_u", _UNIT + "s") + r"\s+(?i:ahead)\b"),
    ("month", r"(?!May\b)" + _g("mo_m", _MF) + r"\b(?!\s+[A-Z])"),
    (
        "year",
        r"(?<![$£€#\d.,/-])(?:(?i:fiscal)\s+)?" + _g("yy", _Y) + _NOT_YEAR + r"(?![-–/]\d|,\d|\.\d)",
    ),
    (
        "set",
        r"\b(?i:every|each)\s+"
        # "every four years", "every two weeks": the count repeated (P4Y, P2W)
        + rf"(?:{_g('set_n', _NUM)}\s+{_g('set_us', _UNIT)}s\b|"
        + _g("set_u", f"(?i:day|week|month|year|night|morning|quarter)|{_WD}|{_MF}")
        + r"\b)",
    ),
]

def _first_words(*lists: object) -> set[str]:
    words: set[str] = set()
    for entries in lists:
        for entry in entries:  # type: ignore[attr-defined]
            words.add(str(entry).split()[0].lower())
    return words


# A match opens with a digit or one of these words: the gate lets the scanner skip every other
# word without trying the rules one by one (the bulk of its time on running text).
_STARTERS = _first_words(
    _PREPOSITIONS, _MONTHS, _WEEKDAYS, [w + "s" for w in _WEEKDAYS], _NUMBERS, _UNITS, [u + "s" for u in _UNITS],
    _SEASONS, _REFERENCES,
    _FREQUENCIES, _WORDS["duration_modifiers"]["words"], _WORDS["scanner"]["starters"],
)
_PATTERN = re.compile(
    r"\b(?=\d|(?i:" + _alt(_STARTERS) + r")\b)"
    + rf"(?:{_PREP}\s+)?(?:"
    + "|".join(f"(?P<{name}>{body})" for name, body in _RULES)
    + ")"
)


# --- public records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int  # character offsets into the text passed in (the expression without its preposition)
    end: int
    text: str
    range: DateRange
    type: str  # TimeML type: DATE, TIME, DURATION, SET
    future: bool  # the expression points after the publication date
    relation: str  # at | since | until | after | before | duration


# --- date arithmetic ------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, _last_day(year, month)))


def _shift(d: dt.date, unit: str, n: int) -> dt.date:
    """``d`` moved by ``n`` units (negative: back in time); clamped to the calendar's range."""
    try:
        if unit in ("D", "TH", "TM"):
            return d + dt.timedelta(days=n if unit == "D" else 0)
        if unit == "W":
            return d + dt.timedelta(weeks=n)
        return _add_months(d, n * {"M": 1, "Q": 3, "Y": 12, "DE": 120}[unit])
    except (OverflowError, ValueError):
        return d


def shift(d: dt.date, unit: str, n: int) -> dt.date:
    """``d`` moved by ``n`` TimeML units ("Y", "Q", "M", "W", "D"); negative ``n`` goes back."""
    return _shift(d, unit, n)


def _month_range(year: int, month: int) -> DateRange:
    return DateRange(
        dt.date(year, month, 1),
        dt.date(year, month, _last_day(year, month)),
        "month",
        "text",
        f"{year:04d}-{month:02d}",
    )


def _year_range(year: int) -> DateRange:
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "text", f"{year:04d}")


def _week_range(d: dt.date) -> DateRange:
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return DateRange(monday, monday + dt.timedelta(days=6), "week", "text", f"{iso.year:04d}-W{iso.week:02d}")


def _span(start: dt.date, end: dt.date, timex: str | None) -> DateRange:
    if start > end:
        start, end = end, start
    return DateRange(start, end, "range", "text", timex)


def _third(year: int, month: int, part: str) -> DateRange:
    """Early/mid/late as thirds of a month: 1–10, 11–20, 21–end."""
    first, last = {
        "early": (1, 10),
        "beginning": (1, 10),
        "start": (1, 10),
        "mid": (11, 20),
        "middle": (11, 20),
        "late": (21, 31),
        "end": (21, 31),
    }[part]
    last = min(last, _last_day(year, month))
    return _span(dt.date(year, month, first), dt.date(year, month, last), f"{year:04d}-{month:02d}")


def _year_part(year: int, part: str) -> DateRange:
    """Early/mid/late as thirds of a year: January–April, May–August, September–December."""
    first, last = {
        "early": (1, 4),
        "beginning": (1, 4),
        "start": (1, 4),
        "mid": (5, 8),
        "middle": (5, 8),
        "late": (9, 12),
        "end": (9, 12),
    }[part]
    return _span(dt.date(year, first, 1), dt.date(year, last, _last_day(year, last)), f"{year:04d}")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Without a tense cue a coming month or day is read as meant only when this close to publication.
_NEAR_MONTHS = 2
_NEAR_DAYS = dt.timedelta(days=92)
# In a past clause, a date of the publication year still this close ahead is meant all the same:
# news leaves the year out for dates of the current year, and the past verb is often a report or a
# decision about a coming date ("extended the offer to Nov. 6", "declared a dividend payable Dec. 7").
_PAST_CLAUSE_AHEAD = dt.timedelta(days=60)


def _month_year(month: int, pub: dt.date, future: bool, past: bool = True, lookahead: bool = True) -> int:
    """The year of the last <month> on or before publication, or of the next one when future.

    With no tense either way (``past`` False), the nearer of the two: news names the coming month
    ("payable in January", written in late October) as often as the last one. A past clause still
    takes the month right after publication's within the same year ("gave them until mid-November",
    written on 30 October)."""
    ahead = (month - pub.month) % 12
    if not future and not past and ahead < (pub.month - month) % 12 and ahead <= _NEAR_MONTHS:
        future = True
    if past and lookahead and not future and month == pub.month + 1:
        return pub.year
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _month_day(
    month: int, day: int, pub: dt.date, future: bool, past: bool = True, lookahead: bool = True
) -> dt.date | None:
    """A year-less date: the last one on or before publication, or the next one when ``future``.

    With no tense either way (neither flag), the coming one when it is nearer and close; a future
    clause that is also read as past (a deadline: "by Jan. 14", written on 15 January) keeps a date
    just passed rather than one almost a year off. A past clause keeps a date of the publication
    year a few weeks ahead (see ``_PAST_CLAUSE_AHEAD``) unless ``lookahead`` is off (the past verb
    governs the date itself: "the town fell on 20 November").
    """
    before, after = _nearest_month_day(month, day, pub, False), _nearest_month_day(month, day, pub, True)
    if before is None or after is None:
        return after if future or before is None else before
    if future and past:
        if after - pub > dt.timedelta(days=180) and pub - before <= dt.timedelta(days=31):
            return before
        return after
    if future:
        return after
    if past:
        near = lookahead and after.year == pub.year and after - pub <= _PAST_CLAUSE_AHEAD
        return after if near else before
    if after - pub < min(pub - before, _NEAR_DAYS):
        return after
    return before


def _nearest_month_day(month: int, day: int, pub: dt.date, forward: bool) -> dt.date | None:
    step = 1 if forward else -1
    for k in range(5):  # a few years, so that 29 February finds a leap year
        d = _safe_date(pub.year + step * k, month, day)
        if d is not None and (d >= pub if forward else d <= pub):
            return d
    return None


def _weekday(wd: int, pub: dt.date, future: bool, strictly: bool = False) -> dt.date:
    if future:
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)
    back = (pub.weekday() - wd) % 7
    return pub - dt.timedelta(days=back or (7 if strictly else 0))


def _count(word: str | None) -> tuple[int, int]:
    if word is None:
        return (1, 1)
    w = " ".join(word.lower().replace("-", " ").split())
    if w.isdigit():
        return (int(w), int(w))
    tens, _, digit = w.partition(" ")
    if tens in _TENS and digit in _DIGITS:
        return (_TENS[tens] + _DIGITS[digit],) * 2
    return _NUMBERS.get(w, (1, 1))


def _unit(word: str) -> str:
    w = word.lower()
    return _UNITS.get(w, _UNITS.get(w[:-1], "D"))


def _duration_timex(n: tuple[int, int], unit: str) -> str:
    amount = str(n[0]) if n[0] == n[1] else "X"
    if unit == "DE":
        return f"P{amount if amount == 'X' else n[0] * 10}Y"
    return f"PT{amount}{unit[1]}" if unit.startswith("T") else f"P{amount}{unit}"


# A count and a unit anywhere in an expression ("more than four decades ago", "the last three
# years", "8-month-old", "the weekend"): what ``duration_named`` reads.
_NAMED_UNIT = re.compile(rf"(?:\b(?P<n>{_NUM})(?:\s+|-))?\b(?P<u>{_UNIT}|(?i:weekend))(?P<s>s)?\b")


def duration_named(expression: str) -> str | None:
    """The TimeML duration an expression names when it is read as a length of time: its last unit
    with the count before it ("almost two years ago" = P2Y, "the past several quarters" = PXQ), one
    unit without a count ("last week" = P1W, "day-long" = P1D), an unknown number for a bare plural
    ("centuries", "coming years" = PXY); a weekend is two days. None when it names no unit."""
    found = next(iter(reversed(list(_NAMED_UNIT.finditer(expression)))), None)  # the last unit named
    if found is None:
        return None
    if found["u"].lower() == "weekend":
        return "P2D" if found["n"] is None or _count(found["n"]) == (1, 1) else _duration_timex(_count(found["n"]), "W")
    n = _count(found["n"]) if found["n"] else ((0, 1) if found["s"] else (1, 1))
    return _duration_timex(n, _unit(found["u"]))


def _unknown(timex: str | None = None) -> DateRange:
    return DateRange(None, None, "unknown", "none", timex)


# --- handlers: one per rule; each turns a match into a range (or several mentions) ---------------


@dataclass(slots=True)
class _Ctx:
    m: re.Match[str]
    pub: dt.date | None
    future: bool
    past: bool = False  # the clause is explicitly past; neither flag: no tense cue either way


# A handler returns (range, type, relation or None to take it from the preposition) or a list of
# (start, end, range, type, relation) for matches that hold several mentions ("2014 and 2015").
_Result = tuple[DateRange, str, str | None]
_Handler = Callable[[_Ctx], "_Result | list[tuple[int, int, DateRange, str, str | None]] | None"]


# A past verb right before the expression (and its preposition) dates an event by it: "the town
# fell on 20 November", "began in December" (not a passive: "to be completed around Nov. 1"). Only
# then is a year-less date never read ahead.
_FIRM_PAST = re.compile(
    r"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)\b(?:"
    + "|".join(sorted(map(re.escape, _PAST_CUES), key=len, reverse=True))
    + r"|\w{3,}ed)\s+$",
    re.IGNORECASE,
)


def _firm_past(c: _Ctx) -> bool:
    start = c.m.start()
    return bool(c.past and _FIRM_PAST.search(c.m.string, max(0, start - 30), start))


def _year_or_none(s: str | None) -> int | None:
    return int(s) if s else None


def _h_iso(c: _Ctx) -> _Result | None:
    d = _safe_date(int(c.m["iso_y"]), int(c.m["iso_m"]), int(c.m["iso_d"]))
    return (DateRange.day(d), "DATE", None) if d else None


def _h_num(c: _Ctx) -> _Result | None:
    a, b, y = int(c.m["num_a"]), int(c.m["num_b"]), int(c.m["num_y"])
    if not 1900 <= y <= 2100:
        return None
    # Day/month/year unless impossible; then month/day/year; otherwise not a date.
    d = _safe_date(y, b, a) or _safe_date(y, a, b)
    return (DateRange.day(d), "DATE", None) if d else None


def _resolve_md(c: _Ctx, month: int, day: int, year: int | None) -> dt.date | bool | None:
    """The date, or False when it needs a publication date that is missing."""
    if year is not None:
        return _safe_date(year, month, day)
    if c.pub is None:
        return False
    return _month_day(month, day, c.pub, c.future, c.past or c.future, not _firm_past(c))


def _day_result(c: _Ctx, month: str, day: str, year: str | None, weekday: str | None) -> _Result | None:
    mo, dd = _MONTHS[month.lower().rstrip(".")], int(day)
    if weekday and year is None and c.pub is not None:
        # "Monday, Oct. 26": the weekday picks the year among the ones around publication.
        wd = _WEEKDAYS[weekday.lower()]
        fits = [d for k in (0, -1, 1) if (d := _safe_date(c.pub.year + k, mo, dd)) and d.weekday() == wd]
        if fits:
            return (DateRange.day(fits[0]), "DATE", None)
    d = _resolve_md(c, mo, dd, _year_or_none(year))
    if d is False:
        return (_unknown(), "DATE", None)
    return (DateRange.day(d), "DATE", None) if isinstance(d, dt.date) else None


def _h_dmy(c: _Ctx) -> _Result | None:
    return _day_result(c, c.m["dmy_m"], c.m["dmy_d"], c.m["dmy_y"], c.m["dmy_wd"])


def _h_mdy(c: _Ctx) -> _Result | None:
    return _day_result(c, c.m["mdy_m"], c.m["mdy_d"], c.m["mdy_y"], c.m["mdy_wd"])


def _day_span(c: _Ctx, month: str, a: str, b: str, year: str | None) -> _Result | None:
    mo = _MONTHS[month.lower().rstrip(".")]
    first = _resolve_md(c, mo, int(a), _year_or_none(year))
    if first is False:
        return (_unknown(), "DATE", "at")
    if not isinstance(first, dt.date):
        return None
    last = _safe_date(first.year, mo, int(b))
    if last is None or last < first:
        return None
    return (_span(first, last, f"{first.year:04d}-{mo:02d}"), "DATE", "at")


def _h_drange(c: _Ctx) -> _Result | None:
    return _day_span(c, c.m["dr_m"], c.m["dr_a"], c.m["dr_b"], c.m["dr_y"])


def _h_mdrange(c: _Ctx) -> _Result | None:
    return _day_span(c, c.m["mr_m"], c.m["mr_a"], c.m["mr_b"], c.m["mr_y"])


def _relative_year(c: _Ctx, rel: str | None) -> int | None:
    if c.pub is None:
        return None
    return c.pub.year + {"last": -1, "next": 1}.get((rel or "this").lower(), 0)


def _h_half(c: _Ctx) -> _Result | None:
    year = _year_or_none(c.m["h_y"]) or _relative_year(c, c.m["h_rel"])
    if year is None:
        return (_unknown(), "DATE", None)
    kind = "half" if c.m["h_two"] else c.m["h_k"].lower()
    size = 6 if kind == "half" else 3
    count = 2 if kind == "half" else 4
    n = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "last": count,
    }[c.m["h_n"].lower()]
    if c.m["h_two"] and n not in (1, count):
        return None  # "the second two quarters" names no half
    if n > count:
        return None
    first, last = (n - 1) * size + 1, n * size
    timex = f"{year:04d}-{'H' if kind == 'half' else 'Q'}{n}"
    return (_span(dt.date(year, first, 1), dt.date(year, last, _last_day(year, last)), timex), "DATE", None)


def _h_weekof(c: _Ctx) -> _Result | None:
    """ "the week of March 6": the week (Monday to Sunday, ISO numbered) that holds the day."""
    found = _day_result(c, c.m["wo_m"], c.m["wo_d"], c.m["wo_y"], None)
    if found is None or found[0].start is None:
        return found
    return (_week_range(found[0].start), "DATE", None)


def _h_partmonth(c: _Ctx) -> _Result | None:
    month = _MONTHS[c.m["pm_m"].lower()]
    part = (c.m["pm_p"] or c.m["pm_e"]).lower()
    part = {"earlier": "early", "later": "late"}.get(part, part)
    year = _year_or_none(c.m["pm_y"])
    if year is None:
        if c.pub is None:
            return (_unknown(), "DATE", None)
        year = _month_year(month, c.pub, c.future, c.past, not _firm_past(c))
    return (_third(year, month, part), "DATE", None)


def _h_yended(c: _Ctx) -> _Result | None:
    return (_unknown("P1Y"), "DURATION", "duration")


def _h_my(c: _Ctx) -> _Result | None:
    year = int(c.m["my_y"]) if c.m["my_y"] else _spelled_year(c.m["my_sy"])
    if year is None:
        return None
    return (_month_range(year, _MONTHS[c.m["my_m"].lower().rstrip(".")]), "DATE", None)


def _h_mry(c: _Ctx) -> _Result | None:
    year = _relative_year(c, c.m["mry_rel"])
    if year is None:
        return (_unknown(), "DATE", None)
    return (_month_range(year, _MONTHS[c.m["mry_m"].lower()]), "DATE", None)


def _h_prepost(c: _Ctx) -> _Result | None:
    """ "post-1959", "pre-1914": the year named, which the event comes after (before)."""
    return (_year_range(int(c.m["pp_y"])), "DATE", "after" if c.m["pp_p"].lower() == "post" else "before")


def _h_partyear(c: _Ctx) -> _Result | None:
    part = (c.m["py_p"] or c.m["py_e"]).lower()
    part = {"earlier": "early", "later": "late"}.get(part, part)
    return (_year_part(int(c.m["py_y"]), part), "DATE", None)


def _season(year: int, season: str) -> DateRange:
    first, last = _SEASONS[season]
    end_year = year + 1 if last < first else year
    code = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}[season]
    return _span(
        dt.date(year, first, 1), dt.date(end_year, last, _last_day(end_year, last)), f"{year:04d}-{code}"
    )


def _h_season(c: _Ctx) -> _Result | None:
    year = _year_or_none(c.m["s_y"]) or (_spelled_year(c.m["s_sy"]) if c.m["s_sy"] else None)
    year = year or _relative_year(c, c.m["s_rel"])
    if year is None:
        return (_unknown(), "DATE", None)
    return (_season(year, c.m["s_s"].lower()), "DATE", None)


def _h_yrange(c: _Ctx) -> list[tuple[int, int, DateRange, str, str | None]] | None:
    a, b = int(c.m["yr_a"]), int(c.m["yr_b"])
    joined_by_range = c.m["prep"] and c.m["prep"].lower() in ("between", "from")
    if joined_by_range or re.search(r"[-–]|\bto\b|\buntil\b|\bthrough\b", c.m.group("yrange")):
        if b <= a:
            return None
        rng = _span(dt.date(a, 1, 1), dt.date(b, 12, 31), None)
        return [(c.m.start("yrange"), c.m.end("yrange"), rng, "DATE", "at")]
    # "2014 and 2015": two years.
    return [
        (c.m.start("yr_a"), c.m.end("yr_a"), _year_range(a), "DATE", None),
        (c.m.start("yr_b"), c.m.end("yr_b"), _year_range(b), "DATE", "at"),
    ]


def _relative_unit(pub: dt.date, rel: str, unit: str) -> DateRange:
    """This/last/next week, month or year."""
    step = {"this": 0, "the": 0, "that": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[
        rel
    ]
    if unit == "week":
        return _week_range(pub + dt.timedelta(weeks=step))
    if unit == "weekend":
        if step < 0:
            saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7 or 7)
        elif step > 0 or pub.weekday() < 5:
            saturday = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7)
        else:
            saturday = pub - dt.timedelta(days=pub.weekday() - 5)
        iso = saturday.isocalendar()
        return _span(saturday, saturday + dt.timedelta(days=1), f"{iso.year:04d}-W{iso.week:02d}-WE")
    if unit == "month":
        d = _add_months(pub.replace(day=1), step)
        return _month_range(d.year, d.month)
    return _year_range(pub.year + step)


def _h_relpart(c: _Ctx) -> _Result | None:
    if c.pub is None:
        return (_unknown(), "DATE", None)
    rel, unit = c.m["rp_rel"].lower(), c.m["rp_u"].lower()
    whole = _relative_unit(c.pub, rel, unit)
    assert whole.start is not None and whole.end is not None
    part = (c.m["rp_p"] or c.m["rp_e"]).lower()
    if part in ("earlier", "later") and rel in ("this", "the"):
        # "earlier this month": from the start of the month to publication; "later this year": the rest.
        if part == "earlier":
            return (
                _span(whole.start, max(whole.start, c.pub - dt.timedelta(days=1)), whole.timex),
                "DATE",
                None,
            )
        return (_span(min(whole.end, c.pub + dt.timedelta(days=1)), whole.end, whole.timex), "DATE", None)
    part = {"earlier": "early", "later": "late"}.get(part, part)
    if unit == "month":
        return (_third(whole.start.year, whole.start.month, part), "DATE", None)
    if unit == "year":
        return (_year_part(whole.start.year, part), "DATE", None)
    # Parts of a week: Monday–Tuesday, Wednesday–Thursday, Friday–Sunday.
    first, last = {
        "early": (0, 1),
        "beginning": (0, 1),
        "start": (0, 1),
        "mid": (2, 3),
        "middle": (2, 3),
        "late": (4, 6),
        "end": (4, 6),
    }[part]
    rng = _span(whole.start + dt.timedelta(days=first), whole.start + dt.timedelta(days=last), whole.timex)
    return (rng, "DATE", None)


def _h_span(c: _Ctx) -> _Result | None:
    """ "the past two weeks", "the next few days": a span that ends (or starts) at publication."""
    n = _count(c.m["sp_n"])
    if c.m["sp_n"] is None and c.m["sp_u"].lower().endswith("s"):
        n = (0, 1)  # "the coming years": an unknown number of them (PXY)
    unit = _unit(c.m["sp_u"])
    forward = c.m["sp_dir"].lower() in ("coming", "next", "following")
    timex = _duration_timex(n, unit)
    if c.m["sp_dir"].lower() == "following" or c.pub is None:
        return (_unknown(timex), "DURATION", "duration" if c.pub else "after")
    if forward:
        return (_span(c.pub, _shift(c.pub, unit, n[1]), timex), "DURATION", "duration")
    return (_span(_shift(c.pub, unit, -n[1]), c.pub, timex), "DURATION", "duration")


def _h_rel(c: _Ctx) -> _Result | None:
    if c.pub is None:
        return (_unknown(), "DATE", None)
    rel = c.m["r_rel"].lower()
    if rel.startswith("the") and rel != "the":
        rel = "this"  # "the current year", "the full year"
    if c.m["r_u"]:
        if rel == "the" and c.m["r_u"].lower() == "year":
            rel = "this"  # "for the year": the year the report is about
        elif rel == "the":  # "the weekend": the coming one in a future clause, else the last one
            rel = "next" if c.future else "last"
        return (_relative_unit(c.pub, rel, c.m["r_u"].lower()), "DATE", None)
    if c.m["r_s"]:
        season = c.m["r_s"].lower()
        first = _SEASONS[season][0]
        year = c.pub.year if rel == "this" else _month_year(first, c.pub, rel in ("next", "coming"))
        if rel in ("last", "past", "previous") and _season(year, season).end >= c.pub:  # type: ignore[operator]
            year -= 1
        return (_season(year, season), "DATE", None)
    month = _MONTHS[c.m["r_m"].lower()]
    if rel in ("next", "coming"):
        year = c.pub.year if month > c.pub.month else c.pub.year + 1
    elif rel in ("last", "past", "previous"):
        year = c.pub.year if month < c.pub.month else c.pub.year - 1
    else:
        year = c.pub.year
    return (_month_range(year, month), "DATE", None)


def _h_ago(c: _Ctx) -> _Result | None:
    if c.pub is None:
        return (_unknown(), "DATE", None)
    n, unit = _count(c.m["a_n"]), _unit(c.m["a_u"])
    sign = 1 if c.m["a_fwd"] else -1
    if n[0] != n[1]:
        reference = "FUTURE_REF" if c.m["a_fwd"] else "PAST_REF"
        low, high = sorted((_shift(c.pub, unit, sign * n[0]), _shift(c.pub, unit, sign * n[1])))
        return (_span(low, high, reference), "DATE", None)
    d = _shift(c.pub, unit, sign * n[0])
    if unit in ("D", "TH", "TM"):
        return (DateRange.day(d), "DATE" if unit == "D" else "TIME", None)
    if unit == "W":
        return (_week_range(d), "DATE", None)
    if unit == "M":
        return (_month_range(d.year, d.month), "DATE", None)
    if unit == "Y":
        return (_year_range(d.year), "DATE", None)
    return (_span(dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), f"{d.year:04d}"), "DATE", None)


def _h_after(c: _Ctx) -> _Result | list[tuple[int, int, DateRange, str, str | None]] | None:
    word = c.m["af_w"].lower()
    if word == "on" and not c.m["af_n"]:
        return None  # "days on" needs a count: "two days on"
    relation = "after" if word in ("after", "later", "afterwards", "on") else "before"
    n = _count(c.m["af_n"]) if c.m["af_n"] else (0, 0)
    unit = _unit(c.m["af_u"] or c.m["af_pl"])
    timex = _duration_timex(n, unit) if c.m["af_n"] else _duration_timex((0, 1), unit)
    if c.m["af_half"] and n[0] == n[1] and unit in _HALF_OF:
        timex += _HALF_OF[unit]
    if word == "earlier" and c.m["af_n"] and c.pub is not None and n[0] == n[1] and unit in ("Y", "M"):
        # "a year earlier" is a date in TimeML; read against publication it names the year (month) before.
        # The range stays unknown: the anchor is the event told before, which the caller knows.
        shifted = _shift(c.pub, unit, -n[0])
        timex = f"{shifted.year:04d}" if unit == "Y" else f"{shifted.year:04d}-{shifted.month:02d}"
        return (_unknown(timex), "DATE", relation)
    # "three days later", "90 days after the deal": TimeML's duration is "three days"; the word that
    # places it stays out of the extent (it is the relation, kept here as such)
    end = (c.m.end("af_half") if c.m["af_half"] else c.m.end("af_u")) if c.m["af_u"] else c.m.end("af_pl")
    return [(c.m.start("after"), end, _unknown(timex), "DURATION", relation)]


def _h_nextday(c: _Ctx) -> _Result | None:
    word = (c.m["nd_w"] or c.m["nd_wp"] or c.m["nd_w2"]).lower()
    unit = _unit(c.m["nd_u"] or c.m["nd_up"] or c.m["nd_u2"])
    if word == "same":
        return (_unknown(), "DATE", "at")
    relation = "after" if word in ("next", "following", "after") else "before"
    return (_unknown(_duration_timex((1, 1), unit)), "DATE", relation)


def _h_duradj(c: _Ctx) -> _Result | None:
    if c.m["da_lu"]:  # "day-long", "decades-long": a length, not placed on the calendar
        n = (0, 1) if c.m["da_lpl"] else (1, 1)
        return (_unknown(_duration_timex(n, _unit(c.m["da_lu"]))), "DURATION", "duration")
    n, unit = _count(c.m["da_n"]), _unit(c.m["da_u"])
    timex = _duration_timex(n, unit)
    if c.pub is None:
        return (_unknown(timex), "DURATION", "duration")
    # The span ends at the anchor: publication here; callers may re-anchor on the event's date.
    return (_span(_shift(c.pub, unit, -n[1]), c.pub, timex), "DURATION", "duration")


def _h_for(c: _Ctx) -> list[tuple[int, int, DateRange, str, str | None]] | None:
    n, unit = _count(c.m["f_n"]), _unit(c.m["f_u"])
    timex = _duration_timex(n, unit)
    if c.pub is None:
        rng = _unknown(timex)
    elif c.future:
        rng = _span(c.pub, _shift(c.pub, unit, n[1]), timex)
    else:
        rng = _span(_shift(c.pub, unit, -n[1]), c.pub, timex)
    # TimeML leaves "for" out of the expression ("for [more than two years]").
    start = c.m.start("for") + len(re.match(r"\w+\s+", c.m["for"]).group())  # type: ignore[union-attr]
    return [(start, c.m.end("for"), rng, "DURATION", "duration")]


_TIME_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "tonight": "TNI"}


def _with_time_of_day(rng: DateRange, word: str | None) -> DateRange:
    """TimeML writes "Friday morning" as the day plus TMO; the range stays the day."""
    suffix = _TIME_OF_DAY.get((word or "").lower())
    if not suffix or rng.timex is None:
        return rng
    return DateRange(rng.start, rng.end, rng.precision, rng.basis, rng.timex + suffix)


def _h_day(c: _Ctx) -> _Result | None:
    word = " ".join(c.m["dy"].lower().split())
    if word in ("now", "currently"):
        rng = DateRange.day(c.pub) if c.pub else _unknown()
        return (DateRange(rng.start, rng.end, rng.precision, rng.basis, "PRESENT_REF"), "DATE", None)
    if word in ("recently", "lately"):
        # The weeks before publication; callers that know better narrow it.
        if c.pub is None:
            return (_unknown("PAST_REF"), "DATE", None)
        return (_span(c.pub - dt.timedelta(days=30), c.pub, "PAST_REF"), "DATE", None)
    offset = {
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
    }.get(word, 0)
    kind = "TIME" if word in ("tonight", "last night") or word.startswith("this ") else "DATE"
    if c.pub is None:
        return (_unknown(), kind, None)
    return (_with_time_of_day(DateRange.day(c.pub + dt.timedelta(days=offset)), word.split()[-1]), kind, None)


def _h_wd(c: _Ctx) -> _Result | list[tuple[int, int, DateRange, str, str | None]] | None:
    # "Friday night" is the day in TimeBank/AQUAINT (a DATE in 11 of 13; the plain day is the most
    # frequent value, TNI and TEV split the rest): the other parts of the day are a TIME with TMO/TAF/TEV
    night = (c.m["wd_t"] or "").lower() == "night"
    kind = "TIME" if c.m["wd_t"] and not night else "DATE"
    if c.m["wd_pl"] or c.m["wd_tpl"]:  # "on Mondays", "Tuesday nights": every such day (TimeML SET)
        every = f"XXXX-WXX-{_WEEKDAYS[c.m['wd_d'].lower()] + 1}"
        return (_unknown(every + _TIME_OF_DAY.get((c.m["wd_t"] or "").lower(), "")), "SET", "at")
    if c.pub is None:
        return (_unknown(), kind, None)
    mod = " ".join((c.m["wd_mod"] or "").lower().split())
    if mod.startswith("the "):  # "the previous Friday" alone: counted from publication (see _relative_to_last)
        mod = "next" if mod.endswith("following") else "last"
    wd = _WEEKDAYS[c.m["wd_d"].lower()]
    # "Wednesday's ruling", "Friday's close": a possessive day names what already happened (every
    # possessive weekday in TimeBank/AQUAINT is the publication day or before), whatever the clause says
    possessive = c.m.string[c.m.end("wd_d") : c.m.end("wd_d") + 2] in ("'s", "’s")
    future = mod == "next" or (c.future and mod != "last" and not possessive)
    rng = DateRange.day(_weekday(wd, c.pub, future, strictly=mod == "last"))
    if possessive and not c.m["wd_t"]:  # the expression is the day, not its "'s" (TimeML extents)
        return [(c.m.start("wd"), c.m.end("wd_d"), rng, kind, None)]
    return (rng if night else _with_time_of_day(rng, c.m["wd_t"]), kind, None)


def _h_ord(c: _Ctx) -> _Result | None:
    if c.pub is None:
        return (_unknown(), "DATE", None)
    day = int(c.m["o_d"])
    step = 1 if c.future else -1
    for k in range(4):
        first = _add_months(c.pub.replace(day=1), step * k)
        d = _safe_date(first.year, first.month, day)
        if d is not None and (d >= c.pub if c.future else d <= c.pub):
            return (DateRange.day(d), "DATE", None)
    return None


def _h_bmonth(c: _Ctx) -> _Result | None:
    if c.pub is None:
        return (_unknown(), "DATE", None)
    month = _MONTHS[c.m["bm_m"].lower()]
    return (_month_range(_month_year(month, c.pub, c.future, c.past, not _firm_past(c)), month), "DATE", None)


def _h_mcoord(c: _Ctx) -> list[tuple[int, int, DateRange, str, str | None]] | None:
    if c.pub is None and not c.m["mc_y"]:
        unknown = _unknown()
        return [
            (c.m.start("mc_a"), c.m.end("mc_a"), unknown, "DATE", None),
            (c.m.start("mc_b"), c.m.end("mc_b"), unknown, "DATE", "at"),
        ]
    a, b = _MONTHS[c.m["mc_a"].lower()], _MONTHS[c.m["mc_b"].lower()]
    year_b = _year_or_none(c.m["mc_y"]) or _month_year(b, c.pub, c.future)  # type: ignore[arg-type]
    year_a = year_b if a <= b else year_b - 1  # "December to February" crosses a new year
    first, second = _month_range(year_a, a), _month_range(year_b, b)
    joiner = c.m["mc_j"].strip().lower()
    if joiner in ("-", "–", "to", "until", "through") or (c.m["prep"] or "").lower() in ("between", "from"):
        assert first.start is not None and second.end is not None
        rng = _span(first.start, second.end, None)
        return [(c.m.start("mc_a"), c.m.end("mc_b"), rng, "DATE", "at")]
    return [
        (c.m.start("mc_a"), c.m.end("mc_a"), first, "DATE", None),
        (c.m.start("mc_b"), c.m.end(c.m.lastgroup or "mc_b"), second, "DATE", "at"),
    ]


def _h_byear(c: _Ctx) -> _Result | None:
    return (_year_range(int(c.m["by_y"])), "DATE", None)


# "a third-quarter loss", "its fourth quarter", "the third-quarter results": TimeML leaves the
# determiner out of a quarter that is an adjective or owned; "the third quarter" keeps its "the".
_QUARTER_DETERMINER = re.compile(r"(?:a|an|its|their|the(?=\s+\w+-quarter\b))\s+", re.IGNORECASE)


def _h_quarter_extent(c: _Ctx) -> _Result | list[tuple[int, int, DateRange, str, str | None]] | None:
    result = _h_quarter(c)
    determiner = _QUARTER_DETERMINER.match(c.m["quarter"])
    if result is None or isinstance(result, list) or determiner is None:
        return result
    return [(c.m.start("quarter") + determiner.end(), c.m.end("quarter"), *result)]


def _quarter_range(year: int, n: int) -> DateRange:
    first, last = 3 * n - 2, 3 * n
    return _span(dt.date(year, first, 1), dt.date(year, last, _last_day(year, last)), f"{year:04d}-Q{n}")


def _h_quarter(c: _Ctx) -> _Result | None:
    """ "the third quarter", "third-quarter", "the year-earlier quarter", "the latest quarter"."""
    year = _year_or_none(c.m["q_y"])
    if year is None and c.pub is None:
        return (_unknown(), "DATE", None)
    if c.m["q_n"]:
        n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[
            c.m["q_n"].lower()
        ]
        if year is None:
            assert c.pub is not None
            year = c.pub.year - (1 if c.m["q_cmp"] else 0)
            year += {"last": -1, "next": 1}.get((c.m["q_ry"] or "").lower(), 0)
            if not c.m["q_ry"] and not c.future and n > (c.pub.month - 1) // 3 + 1:
                year -= 1  # "profits for the fourth quarter" in January: the one that has ended
        return (_quarter_range(year, n), "DATE", None)
    assert c.pub is not None
    rel = " ".join((c.m["q_rel"] or c.m["q_ye"] or c.m["q_lp"] or ("year-ago" if c.m["q_cy"] else "")).lower().split())
    current = (c.pub.month - 1) // 3 + 1
    if rel == "current" or c.m.group("quarter").lower().startswith("this"):
        return (_quarter_range(c.pub.year, current), "DATE", None)
    if (c.m["q_ln"] or "").lower() in ("next", "coming"):
        year, n = (c.pub.year, current + 1) if current < 4 else (c.pub.year + 1, 1)
        return (_quarter_range(year, n), "DATE", None)
    # A quarter named without its number is the last one reported: the one before publication's.
    year, n = (c.pub.year, current - 1) if current > 1 else (c.pub.year - 1, 4)
    if "year" in rel:
        year -= 1
    return (_quarter_range(year, n), "DATE", None)


def _h_spyear(c: _Ctx) -> _Result | None:
    """ "nineteen ninety-six", "the year two thousand": a year said in words."""
    if c.m["sy_2000"]:
        return (_year_range(2000), "DATE", None)
    century = _SPELLED["centuries"][c.m["sy_c"].lower()]
    if c.m["sy_teen"]:
        rest = _SPELLED["teens"][c.m["sy_teen"].lower()]
    else:
        rest = _SPELLED["tens"][c.m["sy_t"].lower()] + (_SPELLED["units"][c.m["sy_u"].lower()] if c.m["sy_u"] else 0)
    return (_year_range(century * 100 + rest), "DATE", None)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _holiday_on(name: str, year: int) -> dt.date:
    rule = _HOLIDAYS[name]
    if name in _WORDS["holidays"]["easter"]:
        return _easter(year) + dt.timedelta(days=rule[0])
    if name in _WORDS["holidays"]["fixed"]:
        return dt.date(year, rule[0], rule[1])
    month, weekday, n = rule
    if n == 0:  # the first such weekday on or after the 2nd ("the Tuesday after the first Monday")
        first = dt.date(year, month, 2)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    if n < 0:
        last = dt.date(year, month, _last_day(year, month))
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _h_holiday(c: _Ctx) -> _Result | None:
    """ "Christmas", "last Thanksgiving": the last one on or before publication, the next one in a
    future clause (or after "next"), as for a year-less date."""
    if c.pub is None:
        return (_unknown(), "DATE", None)
    name = " ".join(c.m["hd"].lower().split())
    mod = (c.m["hd_mod"] or "").lower()
    before = next(d for k in range(2) if (d := _holiday_on(name, c.pub.year - k)) <= c.pub)
    after = next(d for k in range(2) if (d := _holiday_on(name, c.pub.year + k)) >= c.pub)
    if mod == "this":
        day = _holiday_on(name, c.pub.year)
    elif mod == "next" or (c.future and mod != "last"):
        day = after
    elif mod == "last" or c.past:
        day = before
    else:
        day = after if after - c.pub < min(c.pub - before, _NEAR_DAYS) else before
    if name.endswith(" week"):  # "Easter week": the week that ends on the day (publication may fall in it)
        return (_week_range(after if _week_range(after).start <= c.pub else day), "DATE", None)
    return (DateRange.day(day), "DATE", None)


def _h_decade(c: _Ctx) -> _Result | None:
    if c.m["dc_w"]:  # "the nineties": the last such decade begun by publication (the 1900s without a date)
        tens = _DECADE_WORDS[c.m["dc_w"].lower()]
        century = 1900 if c.pub is None or c.pub.year < 2000 + tens else 2000
        while c.pub is not None and century + 100 + tens <= c.pub.year:
            century += 100
        first = century + tens
        return (_span(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), f"{first // 10:03d}"), "DATE", None)
    first = int(c.m["dc_y"]) if c.m["dc_y"] else 1900 + int(c.m["dc_s"])
    rng = _span(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), f"{first // 10:03d}")
    return (rng, "DATE", None)


def _h_century(c: _Ctx) -> _Result | None:
    n = int(c.m["ct_n"])
    if not 1 <= n <= 21:
        return None
    first = (n - 1) * 100
    return (_span(dt.date(max(first, 1), 1, 1), dt.date(first + 99, 12, 31), f"{n - 1:02d}"), "DATE", None)


def _h_clock(c: _Ctx) -> _Result | None:
    """ "10 p.m.", "noon Thursday", "5 p.m. EST Nov. 9": the day it names (publication day if none)."""
    if c.m["cl_w"]:
        hour, minute = (0, 0) if c.m["cl_w"].lower() == "midnight" else (12, 0)
    elif c.m["cl_h2"]:  # "4 in the morning" = 04:00, "10 at night" = 22:00
        hour, minute = int(c.m["cl_h2"]) % 12 + (0 if c.m["cl_pod"].lower().endswith("morning") else 12), 0
    else:
        hour = int(c.m["cl_h"]) % 12 + (12 if c.m["cl_ap"].lower() == "p" else 0)
        minute = int(c.m["cl_min"] or 0)
    clock = f"T{hour:02d}:{minute:02d}"
    day: DateRange | None = None
    if c.m["cl_wd"] and c.pub is not None:
        day = DateRange.day(_weekday(_WEEKDAYS[c.m["cl_wd"].lower()], c.pub, c.future))
    elif c.m["cl_rd"] and c.pub is not None:
        offset = {"yesterday": -1, "tomorrow": 1}.get(c.m["cl_rd"].lower(), 0)
        day = DateRange.day(c.pub + dt.timedelta(days=offset))
    elif c.m["cl_mo"]:
        found = _resolve_md(c, _MONTHS[c.m["cl_mo"].lower().rstrip(".")], int(c.m["cl_d"]), None)
        day = DateRange.day(found) if isinstance(found, dt.date) else None
    if day is not None and day.timex is not None:
        return (DateRange(day.start, day.end, day.precision, day.basis, day.timex + clock), "TIME", None)
    # A clock time alone: TimeML puts it on the publication day; the range stays unknown so that
    # nothing is dated by a guess.
    return (_unknown(c.pub.isoformat() + clock if c.pub else None), "TIME", None)


def _h_dur(c: _Ctx) -> _Result | None:
    """A bare duration ("two days", "nearly an hour", "the first nine months"): a length, never a date."""
    count = " ".join(c.m["du_n"].lower().split())
    before = c.m.string[max(0, c.m.start("dur") - 12) : c.m.start("dur")]
    if count in ("a", "an") and c.m["du_mod"] is None and _NOT_A_DURATION_AFTER.search(before):
        return None  # "$5 a year", "twice a day": a rate
    n, unit = _count(c.m["du_n"]), _unit(c.m["du_u"])
    if unit == "Q" and n == (1, 1):
        return None  # "a quarter of the town": a fraction
    timex = _duration_timex(n, unit)
    if (c.m["du_half"] or c.m["du_half_after"]) and n[0] == n[1] and unit in _HALF_OF:
        timex += _HALF_OF[unit]  # "2 1/2 years" = P2Y6M, "5 1/2 hours" = PT5H30M
    return (_unknown(timex), "DURATION", "duration")


# Half a unit in the next smaller one, as a TimeML duration writes it after the whole units.
_HALF_OF = {"Y": "6M", "M": "15D", "D": "T12H", "TH": "30M", "TM": "30S"}


def _h_units(c: _Ctx) -> list[tuple[int, int, DateRange, str, str | None]] | None:
    """ "for years" (an unknown number of units); "recent months", "coming weeks" (vague references)."""
    mod = c.m["un_mod"].lower().split()[-1]
    reference = {"past": "PAST_REF", "coming": "FUTURE_REF", "future": "FUTURE_REF"}.get(mod)
    end = c.m.end("un_u")
    start = c.m.start("un_mod") + c.m["un_mod"].lower().rindex(mod)
    if reference is not None:
        return [(start, end, _unknown(reference), "DATE", None)]
    if mod == "recent":  # "in recent years": TimeML's example of a vague duration (PXY)
        return [(start, end, _unknown(_duration_timex((0, 1), _unit(c.m["un_u"]))), "DURATION", None)]
    timex = _duration_timex((0, 1), _unit(c.m["un_u"]))
    return [(c.m.start("un_the") if c.m["un_the"] else c.m.start("un_u"), end, _unknown(timex), "DURATION", "duration")]


def _h_freq(c: _Ctx) -> _Result | None:
    """ "daily", "annually": a SET; but after an amount ("rise 8.5% annually", "$17.9 million
    annually") a rate, as "$5 a year" is (TimeBank leaves 5 of 6 such rates unmarked)."""
    if _NOT_A_DURATION_AFTER.search(c.m.string[max(0, c.m.start("fq") - 12) : c.m.start("fq")]):
        return None
    return (_unknown(_FREQUENCIES[c.m["fq"].lower()]), "SET", "at")


def _h_ref(c: _Ctx) -> _Result | list[tuple[int, int, DateRange, str, str | None]] | None:
    """ "the future", "recent", "current": a vague reference; no date, so the range stays unknown.
    "a while" is a length of time nobody counted (PXX), a DURATION."""
    timex = _REFERENCES[" ".join(c.m["rf"].lower().split())]
    then = _THEN_BEFORE.search(c.m.string, max(0, c.m.start("rf") - 6), c.m.start("rf"))
    if then is not None and timex == "PRESENT_REF":  # "the then current price": the present of the past
        return [(then.start(), c.m.end("rf"), _unknown("PAST_REF"), "DATE", None)]
    return (_unknown(timex), "DURATION" if timex.startswith("PX") else "DATE", None)


_THEN_BEFORE = re.compile(r"\bthen[\s-]+$", re.IGNORECASE)


def _h_tref(c: _Ctx) -> _Result | None:
    """ "will soon begin": a reference that a past clause turns into a sequence ("soon became")."""
    following = re.match(r"\s+(\w+)", c.m.string[c.m.end() : c.m.end() + 30])
    verb = following[1].lower() if following else ""
    if c.past or verb in _PAST_CUES or (len(verb) > 4 and verb.endswith("ed")):
        return None
    return (_unknown(_TENSED_REFERENCES[c.m["tr"].lower()]), "DATE", None)


def _h_bseason(c: _Ctx) -> list[tuple[int, int, DateRange, str, str | None]] | None:
    """ "in the summer", "over the winter" (the word "over" stays out of the expression)."""
    start, end = c.m.start("bs_core"), c.m.end("bs_core")
    if c.pub is None:
        return [(start, end, _unknown(), "DATE", None)]
    season = c.m["bs_s"].lower()
    year = _month_year(_SEASONS[season][0], c.pub, c.future, c.past)
    return [(start, end, _season(year, season), "DATE", None)]


def _h_that(c: _Ctx) -> _Result | None:
    return (_unknown(), "DATE", None)


def _h_ahead(c: _Ctx) -> _Result | None:
    return (_unknown(_duration_timex((0, 1), _unit(c.m["ah_u"]))), "DURATION", "duration")


# "the annual March for Life", "the March of the Combatant Mothers", "the March on Washington": a
# month after a determiner and before a preposition and a capital is the name of an event.
_MONTH_NAME_BEFORE = re.compile(r"\b(?:the|a|an|annual)\s+[`'‘“\"]*$", re.IGNORECASE)
_MONTH_NAME_AFTER = re.compile(r"\s+(?:of|for|on|to|against)\s+(?:the\s+)?[A-Z]")


def _h_month(c: _Ctx) -> _Result | None:
    start, end = c.m.start("mo_m"), c.m.end("mo_m")
    if _MONTH_NAME_BEFORE.search(c.m.string, max(0, start - 12), start) and _MONTH_NAME_AFTER.match(
        c.m.string, end
    ):
        return None
    if c.pub is None:
        return (_unknown(), "DATE", None)
    month = _MONTHS[c.m["mo_m"].lower()]
    return (_month_range(_month_year(month, c.pub, c.future, c.past, not _firm_past(c)), month), "DATE", None)


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that|whose)\s+$|['’]s\s+$", re.IGNORECASE)


def _h_year(c: _Ctx) -> _Result | None:
    year = int(c.m["yy"])
    before = c.m.string[max(0, c.m.start("year") - 8) : c.m.start("year")]
    if _DETERMINER_BEFORE.search(before) and re.match(r"\s+[a-z]", c.m.string[c.m.end("year") :]):
        # "the 2014 offensive": TimeML marks the year, but it names an earlier event, not the time of
        # the clause; the range stays unknown so that no event is dated by it.
        return (_unknown(f"{year:04d}"), "DATE", None)
    return (_year_range(year), "DATE", None)


def _h_set(c: _Ctx) -> _Result | None:
    if c.m["set_n"]:
        return (_unknown(_duration_timex(_count(c.m["set_n"]), _unit(c.m["set_us"]))), "SET", "at")
    unit = c.m["set_u"].lower()
    timex = {
        "day": "P1D",
        "night": "P1D",
        "morning": "P1D",
        "week": "P1W",
        "month": "P1M",
        "year": "P1Y",
        "quarter": "P1Q",
    }.get(unit)
    if timex is None:
        # "every Thursday": TimeML writes the weekday of any week (ISO numbering, Monday = 1)
        timex = f"XXXX-WXX-{_WEEKDAYS[unit] + 1}" if unit in _WEEKDAYS else f"XXXX-{_MONTHS[unit]:02d}"
    return (_unknown(timex), "SET", "at")


_HANDLERS: dict[str, _Handler] = {
    "iso": _h_iso,
    "num": _h_num,
    "drange": _h_drange,
    "mdrange": _h_mdrange,
    "dmy": _h_dmy,
    "mdy": _h_mdy,
    "weekof": _h_weekof,
    "half": _h_half,
    "partmonth": _h_partmonth,
    "my": _h_my,
    "yended": _h_yended,
    "mry": _h_mry,
    "prepost": _h_prepost,
    "partyear": _h_partyear,
    "season": _h_season,
    "yrange": _h_yrange,
    "relpart": _h_relpart,
    "span": _h_span,
    "rel": _h_rel,
    "tref": _h_tref,
    "ago": _h_ago,
    "after": _h_after,
    "nextday": _h_nextday,
    "duradj": _h_duradj,
    "for": _h_for,
    "day": _h_day,
    "wd": _h_wd,
    "ord": _h_ord,
    "mcoord": _h_mcoord,
    "bmonth": _h_bmonth,
    "byear": _h_byear,
    "set": _h_set,
    "clock": _h_clock,
    "quarter": _h_quarter_extent,
    "spyear": _h_spyear,
    "holiday": _h_holiday,
    "decade": _h_decade,
    "century": _h_century,
    "dur": _h_dur,
    "units": _h_units,
    "freq": _h_freq,
    "ref": _h_ref,
    "bseason": _h_bseason,
    "ahead": _h_ahead,
    "that": _h_that,
    "month": _h_month,
    "year": _h_year,
}
assert set(_HANDLERS) == {name for name, _ in _RULES}

# Rules whose expressions already say by themselves whether they point forward.
_SELF_DIRECTED = {
    "prepost",
    "iso",
    "that",
    "ahead",
    "spyear",
    "num",
    "my",
    "mry",
    "yended",
    "partyear",
    "yrange",
    "byear",
    "ago",
    "day",
    "span",
    "after",
    "nextday",
    "duradj",
    "set",
    "decade",
    "century",
    "dur",
    "units",
    "freq",
    "ref",
    "year",
}


# Rules read as past when the clause gives no tense: news reports what happened "on Thursday".
_PAST_BY_DEFAULT = {"wd", "ord", "clock"}

# --- future cues ----------------------------------------------------------------------------------

_CUE_WINDOW = 60
_WORD = re.compile(r"[A-Za-z']+")
# A full stop after an initial ("Daniel P. Davison") or a title ("Mr. Smith") ends no sentence.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)"
    r"(?<!\bCol)(?<!\bLt)(?<!\bJr)(?<!\bSr)(?<!\bCo)(?<!\bInc)(?<!\bCorp)(?<!\bNo)(?<!\bSgt)(?<!\bCapt)"
    r"[.!?:]\s+(?=[A-Z\"“])|[;\n]"
)
_MULTIWORD_FUTURE = re.compile(r"\b(?:" + _alt([c for c in _FUTURE_CUES if " " in c]) + r")\b")


_AHEAD_WINDOW = 70
_FUTURE_AHEAD = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due|set|expected|scheduled|going|planning)\s+to|plans?\s+to)\b", re.I
)


def _future_cue(text: str, start: int, end: int, prep: str | None) -> bool:
    return _tense(text, start, end, prep) == "future"


def _tense(text: str, start: int, end: int, prep: str | None) -> str | None:
    """Does the clause around the expression speak of the future ("future"), plainly of the past
    ("past"), or give no cue (None)? The nearest cue before it wins.

    An expression that opens its sentence ("On Thursday, the sides will meet") is read with the
    verb that follows it instead. "by"/"until"/"through" make a deadline unless the clause is past
    ("had encircled the town by mid-June"; "has extended the loans through January" is ahead).
    """
    deadline = bool(prep) and " ".join(prep.lower().split()) in ("by", "until", "till", "through", "no later than")
    if (start == 0 or text[:start].isspace()) and (end == len(text) or text[end:].isspace()):
        return "future" if deadline else None  # the expression alone: no clause around it
    # One character more than the window, so that a sentence end right before the expression is
    # seen (the pattern looks at the capital that opens the next sentence).
    lo = max(0, start - _CUE_WINDOW)
    ends = list(_SENTENCE_END.finditer(text, lo, min(len(text), start + 1)))
    window = text[ends[-1].end() if ends else lo : start]
    lowered = window.lower()
    words = _WORD.findall(lowered)
    opens_sentence = len(words) <= _OPENING_WORDS and (ends or start < _CUE_WINDOW)
    if _NAMED_AS_AHEAD.match(text, end) and not _PAST_AUXILIARIES.intersection(_sentence_words(text, start)):
        # "has set Nov. 10 as the deadline": a date set for what is still to come (but "had ruled
        # ... and set Friday as the deadline" tells of a deadline as it stood then)
        return "future"
    if not words and opens_sentence:
        return _tense_ahead(text, end) or ("future" if deadline else None)
    if _MULTIWORD_FUTURE.search(lowered):
        return "future"
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        before = words[i - 1] if i > 0 else ""
        if word == "next" and words[i + 1 : i + 2] in (["to"], ["door"]):
            continue  # "the blasts next to the U.S. embassies": a place, not a time ahead
        if word == "due" and words[i + 1 : i + 2] == ["to"] and words[i + 2 : i + 3] and words[i + 2] in _DETERMINERS:
            continue  # "closed due to the fighting on Friday": a cause, not a plan ("due to arrive")
        if word == "will" and before in _DETERMINERS | _NOUN_WILL_BEFORE:
            continue  # "the will of the people", "political will": a noun
        if word in _FUTURE_PARTICIPLES and (
            before in ("as", "than") or (before in _AS_PLANNED_ADVERBS and words[i - 2 : i - 1] == ["as"])
        ):
            continue  # "began as (previously) planned Saturday", "better than expected": no plan ahead
        if word in _FUTURE_CUES or word in _FUTURE_PARTICIPLES or word.endswith("'ll"):
            # "it had been due to expire Friday", "was scheduled for Monday": a plan told in the past
            return "past" if before in _PAST_AUXILIARIES and not deadline else "future"
        if deadline and word in _DEFERRALS:
            return "future"  # "postponed until Tuesday": the new date lies ahead
        if before in ("be", "being"):
            continue  # "will be held", "is due to be signed": a participle, not a past verb
        if before in _PRESENT_CUES and (word.endswith("ed") or word in _PAST_CUES):
            return "future" if deadline else None  # "the case is heard in May": present passive
        if word in _PRESENT_CUES:
            return "future" if deadline else None
        if word.endswith("ed") and (
            before in _DETERMINERS or (i > 1 and words[i - 2] in _DETERMINERS and before.endswith(("ly", "still")))
        ):
            continue  # "the reduced dividend", "a still unspecified date", "the newly formed unit": adjectives
        if word in _PAST_CUES or (word.endswith("ed") and len(word) > 4 and not word.endswith("eed")):
            if deadline and (before in ("has", "have") or words[i - 2 : i - 1] in (["has"], ["have"])):
                return "future"  # "has given them until Tuesday": the deadline is still ahead
            if deadline and word in ("has", "have") and i == len(words) - 1:
                return "future"  # "the group has until Friday to respond": a deadline it still has
            return "past"
    if opens_sentence:  # "But by Monday, officials had hardened their stand": no cue before it
        return _tense_ahead(text, end) or ("future" if deadline else None)
    return "future" if deadline else None


_NAMED_AS_AHEAD = re.compile(
    r",?\s+as\s+(?:the|a|an|its|their)\s+(?:" + _alt(_WORDS["cues"]["named_as_ahead"]) + r")\b", re.IGNORECASE
)


_SENTENCE_REACH = 250  # characters back to the sentence's start, at most


def _sentence_words(text: str, start: int) -> list[str]:
    """The lower-case words of the sentence before ``start``."""
    lo = max(0, start - _SENTENCE_REACH)
    ends = list(_SENTENCE_END.finditer(text, lo, start))
    return _WORD.findall(text[ends[-1].end() if ends else lo : start].lower())


# Words a sentence may open with before the expression and still be read by the verb after it.
_OPENING_WORDS = 2


def _tense_ahead(text: str, end: int) -> str | None:
    """The tense of the verb after an expression that opens its sentence."""
    ahead = text[end : end + _AHEAD_WINDOW]
    stop = _SENTENCE_END.search(ahead)
    ahead = ahead[: stop.start()] if stop else ahead
    # The verb that comes first decides: "In September, it announced plans to buy ..." is past.
    future_at, past_at = _FUTURE_AHEAD.search(ahead), _PAST_AHEAD.search(ahead)
    if future_at and (past_at is None or future_at.start() <= past_at.start()):
        return "future"
    return "past" if past_at else None


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that"}
_NOUN_WILL_BEFORE = {"political", "free", "good", "ill", "own", "people's", "popular"}
_PAST_AUXILIARIES = {"was", "were", "been", "had"}
_DEFERRALS: set[str] = set(_WORDS["cues"]["deferrals"])


_PAST_AHEAD = re.compile(r"\b(?:was|were|had|did|said|\w{3,}ed)\b", re.I)


# --- scanning -------------------------------------------------------------------------------------


def _scan(
    text: str, published: dt.date | None, force_future: bool, window: tuple[int, int] | None = None
) -> list[TimeMention]:
    found: list[TimeMention] = []
    for m in _PATTERN.finditer(text, *(window or (0, len(text)))):
        rule = m.lastgroup
        if rule is None or rule not in _HANDLERS:
            continue
        prep = m["prep"]
        core_start = m.start(rule)
        if force_future:
            tense: str | None = "future"
        elif rule in _SELF_DIRECTED:
            tense = None  # the expression says by itself where it points: the clause is not read
        else:
            tense = _tense(text, m.start(), m.end(), prep)
            if tense is None and prep and _future_preposition(prep):
                tense = "future"  # "could come as early as Tuesday"; but "began as early as March" is past
        cue = tense == "future"
        if rule == "rel" and m["r_rel"].lower() in ("next", "coming"):
            cue = True
        if rule != "holiday" and _names_a_title(text, core_start, m.end(rule)):
            continue
        if rule in ("holiday", "wd") and _NAME_AFTER.match(text, m.end(rule)):
            continue  # "the Good Friday Agreement", "the Easter Rising": names, not dates
        result = _HANDLERS[rule](_Ctx(m, published, cue, tense == "past" or (rule in _PAST_BY_DEFAULT)))
        if result is None:
            continue
        default_relation = _relation_of(prep) if prep else "at"
        items = result if isinstance(result, list) else [(core_start, m.end(rule), *result)]
        for start, end, rng, kind, relation in items:
            relation = relation or default_relation
            found.append(
                TimeMention(
                    start, end, text[start:end], rng, kind, _points_forward(rng, published, cue), relation
                )
            )
    return found


# A unit written with a capital inside a sentence of lower-case words is part of a name: the TV
# programmes "60 Minutes" and "This Week", the film "High Noon" (holidays, "Election Day", are read
# by their own rule). A title-case headline ("Town Falls After Eight Months") has no lower-case
# word before it and keeps its time.
_NAME_AFTER = re.compile(r"\s+(?:" + _alt(_WORDS["holidays"]["names_before"]["words"]) + r")\b", re.IGNORECASE)
_CAPITAL_UNIT = re.compile(r"\b(?:" + "|".join(w.capitalize() for w in _UNITS) + r"|Noon|Midnight)s?\b")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_TITLE_CONTEXT = 30  # characters before the expression searched for a lower-case word


def _names_a_title(text: str, start: int, end: int) -> bool:
    unit = _CAPITAL_UNIT.search(text, start, end)
    if unit is None:
        return False
    before = text[max(0, start - _TITLE_CONTEXT) : unit.start()]
    before = re.split(r"[.!?]\s|\n", before)[-1]  # this sentence only
    return bool(_LOWER_WORD.search(before))


@lru_cache(maxsize=256)
def _future_preposition(prep: str) -> bool:
    return " ".join(prep.lower().split()) in _FUTURE_CUES


@lru_cache(maxsize=256)
def _relation_of(prep: str) -> str:
    """The relation a preposition gives ("since" -> since), as written in the text ("Since", "up  to")."""
    return _PREPOSITIONS.get(" ".join(prep.lower().split()), "at")


def _points_forward(rng: DateRange, published: dt.date | None, cue: bool) -> bool:
    if published is None or rng.start is None or rng.end is None:
        return cue
    return rng.start > published or (cue and rng.end > published)


def find_times(text: str, published: dt.date | None) -> list[TimeMention]:
    """Every time expression in ``text``, in order, normalised against ``published``."""
    mentions = _year_before_period(text, _that_year(text, _scan(text, published, False)), published)
    return _relative_to_last(_day_next_to(text, _weekdays_shared(text, mentions)))


# "on Monday and Tuesday nights", "Saturdays and Sundays": a weekday joined to a plural weekday is
# one of the days repeated, with the same part of the day (XXXX-WXX-1TNI), not the coming Monday.
_WEEKDAY_JOINER = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or)\s+$", re.IGNORECASE)
_EVERY_WEEKDAY = re.compile(r"^XXXX-WXX-\d(T[A-Z]{2})?$")


def _weekdays_shared(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    out = list(mentions)
    for i in range(len(out) - 2, -1, -1):  # from the end: "Monday, Tuesday and Wednesday nights"
        day, every = out[i], out[i + 1]
        found = _EVERY_WEEKDAY.match(every.range.timex or "")
        weekday = _WEEKDAYS.get(day.text.lower())
        if found is None or weekday is None or not _WEEKDAY_JOINER.match(text[day.end : every.start]):
            continue
        value = f"XXXX-WXX-{weekday + 1}{found[1] or ''}"
        out[i] = replace(day, range=_unknown(value), type="SET", relation=every.relation, future=False)
    return out


# "the day before last Tuesday's hearing", "the day after Nov. 9": one day from the day named right
# after, not from the time named before ("the day before" alone reads the time named before).
_DAY_NEXT_TO = re.compile(r"^(?:the\s+)?day\s+(before|after)$", re.IGNORECASE)


def _day_next_to(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    out: list[TimeMention] = []
    skip = False
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if skip:
            skip = False
            continue
        found = _DAY_NEXT_TO.match(mention.text)
        day = following.range.start if following is not None else None
        if (
            found is not None
            and following is not None
            and day is not None
            and _DAY_VALUE.match(following.range.timex or "")
            and text[mention.end : following.start].isspace()
        ):
            step = -1 if found[1].lower() == "before" else 1
            end = following.end
            mention = replace(
                mention,
                end=end,
                text=text[mention.start : end],
                range=DateRange.day(day + dt.timedelta(days=step)),
                relation="at",
                future=following.future,
            )
            skip = True
        out.append(mention)
    return out


_THAT_YEAR = re.compile(r"^,?\s+(?:of\s+)?(?:that|the\s+same)\s+year\b", re.IGNORECASE)


def _that_year(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """"in November 2012, but withdrew in early December of that year": the year of the time named before."""
    out: list[TimeMention] = []
    for mention in mentions:
        follow = _THAT_YEAR.match(text[mention.end : mention.end + 30])
        earlier = next((m for m in reversed(out) if m.range.start is not None and m.range.precision != "unknown"), None)
        if follow and earlier is not None and mention.range.start is not None and mention.range.end is not None:
            shift = earlier.range.start.year - mention.range.start.year  # type: ignore[union-attr]
            start = _add_years(mention.range.start, shift)
            end = _add_years(mention.range.end, shift)
            timex = (str(start.year) + mention.range.timex[4:]) if mention.range.timex else None
            mention = replace(
                mention,
                end=mention.end + follow.end(),
                text=text[mention.start : mention.end + follow.end()],
                range=DateRange(start, end, mention.range.precision, mention.range.basis, timex),
                future=False,
            )
        out.append(mention)
    return out


# "a year ago", "a year earlier", "the year-earlier period": compared with a quarter named just
# before ("third-quarter profit rose to $5 million from $4 million a year earlier"), they mean that
# quarter a year back (TimeML gives 1988-Q3, not 1988). A quarter still ahead ("losses through the
# third quarter of 1990", a forecast) is not the one a report compares.
_YEAR_BACK = re.compile(
    r"(?:(?:a|one)\s+year\s+(?:ago|earlier)"
    r"|(?:the\s+)?(?:(?:comparable|corresponding)\s+)?year-(?:earlier|ago)(?:\s+(?:period|quarter))?|"
    + _YEAR_BACK_PERIOD
    + ")$",
    re.IGNORECASE,
)
# "the quarter", "the latest period", "that quarter": a quarter named without its number is the one
# the report speaks of, the quarter named last ("its fiscal first quarter ... in the quarter" =
# 1989-Q1, not the calendar quarter before publication); "this quarter" only outside a clause that
# points ahead ("This quarter's loss includes ..." after "the third quarter ended Sept. 30").
_BARE_QUARTER = re.compile(r"^(?:the|this|that)\s+(?:(?:latest|most\s+recent)\s+)?(?:quarter|period)$", re.IGNORECASE)
_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_BACK_WINDOW = 600  # characters between the quarter named and the comparison


# "the 1988 quarter": a year named as the quarter of a comparison ("the 1989 period" is left as the
# year: the gold files give it a quarter, the year or nine months).
_YEAR_PERIOD_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_YEAR_PERIOD_AFTER = re.compile(r"^\s+(?:quarter|period)\b", re.IGNORECASE)
_YEAR_OR_COUNT = re.compile(r"^(?:(\d{4})|P(\d{4})Q)$")  # "1988", or "1988 quarter" read as a count


def _year_period(text: str, mention: TimeMention) -> tuple[int, int, int] | None:
    """(start, end, year) of "the 1988 quarter" around a year mention, or None."""
    found = _YEAR_OR_COUNT.match(mention.range.timex or "")
    if found is None:
        return None
    if found[2]:  # read as a count, the determiner and the unit already in the mention
        return (mention.start, mention.end, int(found[2])) if mention.text.lower().startswith("the ") else None
    before = _YEAR_PERIOD_BEFORE.search(text[max(0, mention.start - 8) : mention.start])
    after = _YEAR_PERIOD_AFTER.match(text[mention.end : mention.end + 12])
    if before is None or after is None:
        return None
    return (mention.start - len(before[0]), mention.end + after.end(), int(found[1]))


def _year_before_period(text: str, mentions: list[TimeMention], published: dt.date | None) -> list[TimeMention]:
    """A year-back comparison made while the text speaks of a quarter (one named within the window
    before it) means that quarter a year earlier; "the 1988 quarter" means that quarter in the year
    named (the year alone when no quarter was named)."""
    out: list[TimeMention] = []
    quarter: tuple[int, int, int] | None = None  # (end offset, year, number) of the last quarter named
    reported: tuple[int, int, int] | None = None  # the same, of the last one that had ended at publication
    apposed: DateRange | None = None  # the quarter an apposition gave the mention after a comparison
    for i, mention in enumerate(mentions):
        near = quarter is not None and mention.start - quarter[0] <= _YEAR_BACK_WINDOW
        if apposed is not None:
            # the quarter compared with is what "that quarter" means next, not the base of a comparison
            mention, apposed = replace(mention, range=apposed, type="DATE", future=False), None
            reported = _quarter_named(mention, reported)
        elif _YEAR_BACK.match(mention.text):
            if quarter is not None and near:
                rng = _quarter_range(quarter[1] - 1, quarter[2])
                mention = replace(mention, range=rng, type="DATE", future=False)
            if (named := _apposed_quarter(text, mention, mentions[i + 1 : i + 2])) is not None:
                # "the comparable year-ago quarter, the second quarter ended Oct. 31": the quarter the
                # apposition numbers, in the year the comparison gives
                year = mention.range.start.year if mention.range.start is not None else named[0]
                apposed = _quarter_range(year, named[1])
                mention = replace(mention, range=apposed, type="DATE", future=False)
        elif _BARE_QUARTER.match(mention.text) and not mention.future:
            if reported is not None and mention.start - reported[0] <= _YEAR_BACK_WINDOW:
                mention = replace(mention, range=_quarter_range(reported[1], reported[2]), type="DATE")
            elif (last_day := _period_end(text, mention, mentions[i + 1 : i + 2])) is not None:
                mention = replace(mention, range=_quarter_ending(last_day), type="DATE")
            # the text still speaks of a quarter; an anaphor names no new one for a comparison to count
            # back from ("Results for that quarter" after the year-ago quarter)
            named = _quarter_named(mention, quarter)
            quarter = (mention.end, *quarter[1:]) if quarter is not None and near else named
        elif (period := _year_period(text, mention)) is not None:
            start, end, year = period
            rng = _quarter_range(year, quarter[2]) if quarter is not None and near else _year_range(year)
            mention = replace(mention, start=start, end=end, text=text[start:end], range=rng, type="DATE")
            mention = replace(mention, relation="at", future=False)
        elif not mention.future:
            quarter = _quarter_named(mention, quarter)
        if quarter is not None and quarter[0] == mention.end and _has_ended(quarter, published):
            reported = quarter
        out.append(mention)
    return out


_APPOSITION = re.compile(r"^\s*,\s*$")


def _apposed_quarter(text: str, mention: TimeMention, following: list[TimeMention]) -> tuple[int, int] | None:
    """(year, number) of a numbered quarter set right after ``mention`` with a comma, or None."""
    if not following or _APPOSITION.match(text[mention.end : following[0].start]) is None:
        return None
    found = _QUARTER_VALUE.match(following[0].range.timex or "")
    return (int(found[1]), int(found[2])) if found is not None else None


_PERIOD_END = re.compile(r"^\s+(?:ended|ending)\s+(?:on\s+)?$", re.IGNORECASE)


def _period_end(text: str, mention: TimeMention, following: list[TimeMention]) -> dt.date | None:
    """The day in "the quarter ended July 31" (the mention after ``mention``), or None."""
    if not following or not _DAY_VALUE.match(following[0].range.timex or ""):
        return None
    if _PERIOD_END.match(text[mention.end : following[0].start]) is None:
        return None
    return following[0].range.start


def _quarter_ending(last_day: dt.date) -> DateRange:
    """The calendar quarter that holds most of the three months ending on ``last_day``: a fiscal
    "quarter ended July 31" (May to July) is 1989-Q2, one ended Sept. 30 is Q3."""
    middle = _add_months(last_day.replace(day=1), -1)
    return _quarter_range(middle.year, (middle.month - 1) // 3 + 1)


def _has_ended(quarter: tuple[int, int, int], published: dt.date | None) -> bool:
    end = _quarter_range(quarter[1], quarter[2]).end
    return published is None or (end is not None and end < published)


def _quarter_named(mention: TimeMention, last: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
    """(end offset, year, number) of the quarter ``mention`` names, else ``last``."""
    found = _QUARTER_VALUE.match(mention.range.timex or "")
    return (mention.end, int(found[1]), int(found[2])) if found is not None else last


# "the next day", "the following year", "the day before": one unit after (before) the time named last.
_NEXT_UNIT = re.compile(
    r"the\s+(?:(?P<dir>next|following|previous|preceding)\s+(?P<unit>day|morning|night|evening|month|year)"
    r"|(?P<unit2>day|month|year)\s+(?P<dir2>before|after))$"
    r"|(?:(?:earlier|later)\s+)?(?P<dir3>that|the\s+same)\s+(?:same\s+)?(?P<unit3>day|month|year)$",
    re.IGNORECASE,
)
# The anchor must name the unit or something finer: a year for "the following year", a day for "the next day".
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_VALUE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_YEAR_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_NEXT_UNIT_WINDOW = 400  # characters between the time named and the expression that counts from it


# "the previous Friday", "the following Monday": that weekday before (after) the day named last.
_NEXT_WEEKDAY = re.compile(
    r"the\s+(?P<dir>previous|preceding|following)\s+(?P<wd>" + _alt(_WEEKDAYS) + r")$", re.IGNORECASE
)


def _relative_to_last(mentions: list[TimeMention]) -> list[TimeMention]:
    """Re-anchor "the next day", "the following year", "that day" on the day (month, year) named
    just before ("Farkas was promoted on 2 May 1995, and the following year ..." = 1996). Without
    such a time nearby the mention keeps its unknown range."""
    out: list[TimeMention] = []
    for mention in mentions:
        found = _NEXT_UNIT.match(mention.text)
        if found is not None:
            unit = (found["unit"] or found["unit2"] or found["unit3"]).lower()
            direction = (found["dir"] or found["dir2"] or "").lower()
            step = 0 if found["dir3"] else (1 if direction in ("next", "following", "after") else -1)
            value = {"year": _YEAR_VALUE, "month": _MONTH_VALUE}.get(unit, _DAY_VALUE)
            anchor = next(
                (
                    m
                    for m in reversed(out)
                    if mention.start - m.end <= _NEXT_UNIT_WINDOW and value.match(m.range.timex or "")
                ),
                None,
            )
            if anchor is not None and anchor.range.start is not None:
                rng = _moved(anchor.range.start, unit, step)
                mention = replace(mention, range=rng, type="DATE", relation="at", future=False)
        elif (weekday := _NEXT_WEEKDAY.match(mention.text)) is not None:
            days = (m for m in reversed(out) if _DAY_VALUE.match(m.range.timex or ""))
            anchor = next((m for m in days if mention.start - m.end <= _NEXT_UNIT_WINDOW), None)
            if anchor is not None and anchor.range.start is not None:
                ahead = weekday["dir"].lower() == "following"
                day = _weekday(_WEEKDAYS[weekday["wd"].lower()], anchor.range.start, ahead, strictly=True)
                mention = replace(mention, range=DateRange.day(day), relation="at", future=False)
        out.append(mention)
    return out


def _moved(start: dt.date, unit: str, step: int) -> DateRange:
    if unit == "year":
        return _year_range(start.year + step)
    if unit == "month":
        d = _add_months(start.replace(day=1), step)
        return _month_range(d.year, d.month)
    return _with_time_of_day(DateRange.day(start + dt.timedelta(days=step)), unit)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def mention_in(text: str, start: int, end: int, published: dt.date | None) -> TimeMention | None:
    """The expression at ``text[start:end]`` read in its place: the words around it still decide
    tense ("will meet on Thursday"). The longest mention found inside the extent, or None."""
    mentions = _scan(text, published, False, (start, end))
    if not mentions:
        return None
    return max(mentions, key=lambda t: t.end - t.start)


# A span between two named times: "1991 to 1997", "between 1982 and 1992", "March-May".
_SPAN_JOINER = re.compile(r"\s*(?:[-–]|\b(?:to|and|until|through)\b)\s*", re.IGNORECASE)


def timeml_mentions(text: str, mentions: list[TimeMention], published: dt.date | None) -> list[TimeMention]:
    """The mentions as TimeML annotates them: a span between two named times ("from 1991 to 1997")
    is one range here, so that an event gets the whole span, but two TIMEX3 in TimeML (the span
    itself is a TLINK). Every other mention is kept as it is."""
    out: list[TimeMention] = []
    for mention in mentions:
        if (days := _two_days(mention) or _clock_and_day(mention)) is not None:
            out += days
            continue
        joiner = _SPAN_JOINER.search(mention.text) if mention.range.timex is None and mention.range.known else None
        parts = []
        if joiner is not None:
            bounds = ((mention.start, mention.start + joiner.start()), (mention.start + joiner.end(), mention.end))
            parts = [mention_in(text, a, b, published) for a, b in bounds]
        if parts and all(p is not None for p in parts):
            out += parts  # type: ignore[arg-type]
        else:
            out.append(mention)
    return out


_ASIDE = re.compile(r"\s*\([^)]*\)\s*")
_CLOCK_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def _clock_and_day(mention: TimeMention) -> list[TimeMention] | None:
    """ "10:35 a.m. (0735 GMT) Friday": a clock time and its day with an aside between them are two
    TIMEX3 in TimeML, the clock time (with its day) and the day; None for any other mention."""
    aside = _ASIDE.search(mention.text)
    day = _CLOCK_VALUE.match(mention.range.timex or "")
    if aside is None or day is None or aside.end() == len(mention.text) or aside.start() == 0:
        return None
    clock = replace(mention, end=mention.start + aside.start(), text=mention.text[: aside.start()])
    rest = replace(mention, start=mention.start + aside.end(), text=mention.text[aside.end() :], type="DATE")
    return [clock, replace(rest, range=DateRange.day(dt.date.fromisoformat(day[1])))]


def _two_days(mention: TimeMention) -> list[TimeMention] | None:
    """ "April 24 and 25", "5-7 March": a span of days in one month is its first and its last day
    in TimeML ("25" alone is 1999-04-25 there); None for any other mention."""
    rng = mention.range
    joiner = _SPAN_JOINER.search(mention.text)
    if joiner is None or rng.precision != "range" or rng.start is None or rng.end is None:
        return None
    if rng.start == rng.end or (rng.start.year, rng.start.month) != (rng.end.year, rng.end.month):
        return None
    head, tail = mention.text[: joiner.start()], mention.text[joiner.end() :]
    if str(rng.start.day) not in head or str(rng.end.day) not in tail:
        return None  # the bounds are not the days written
    cut = (mention.start + joiner.start(), mention.start + joiner.end())
    first = replace(mention, end=cut[0], text=mention.text[: joiner.start()], range=DateRange.day(rng.start))
    last = replace(mention, start=cut[1], text=mention.text[joiner.end() :], range=DateRange.day(rng.end))
    return [first, last]


@lru_cache(maxsize=8192)
def normalize(expression: str, published: dt.date | None, future: bool = False) -> DateRange | None:
    """The range of one expression ("late last month", "since 2014"), or None if it holds no time.

    Pure (the same expression, date and flag give the same frozen range), so it is cached: news
    repeats its expressions ("on Thursday", "last week") and a pipeline re-reads them per event.
    """
    mentions = _scan(expression, published, future)
    if not mentions:
        return None
    if len(mentions) == 1:
        return mentions[0].range
    return max(mentions, key=lambda t: t.end - t.start).range


def infer_publication_date(text: str) -> dt.date | None:
    """A stand-in publication date: the latest full date (day, month and year) the text gives as past.

    Dates that the text puts in the future ("the deadline of 1 March 2018") are left out.
    """
    found = publication_date_evidence(text)
    return found[0] if found else None


def publication_date_evidence(text: str) -> tuple[dt.date, str] | None:
    """``infer_publication_date`` with the words it read the date from ("November 3, 2017").

    Only full dates count, and never the machine's clock: a text without one gives None.
    """
    best: tuple[dt.date, str] | None = None
    for m in _PATTERN.finditer(text):
        rule = m.lastgroup
        if rule not in ("iso", "num", "dmy", "mdy") or (rule == "dmy" and not m["dmy_y"]):
            continue
        if rule == "mdy" and not m["mdy_y"]:
            continue
        if _future_cue(text, m.start(), m.end(), None):  # "by <date>" in a report is usually past
            continue
        result = _HANDLERS[rule](_Ctx(m, None, False))
        if isinstance(result, tuple) and result[0].start is not None and (best is None or result[0].start > best[0]):
            best = (result[0].start, m.group(rule).strip())
    return best


# News sites put the publication day in their links: /2017/11/03/, /2017-11-03-, /20171103/.
_URL_DAY = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([/-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?![0-9])")


def url_date(url: str | None) -> dt.date | None:
    """The day a page's address gives ("https://example.org/2017/11/03/town-falls"), or None."""
    if not url:
        return None
    for m in _URL_DAY.finditer(url):
        try:
            return dt.date(int(m[1]), int(m[3]), int(m[4]))
        except ValueError:  # 2017/02/30
            continue
    return None
