"""Find page furniture: the lines of a news page that are not the article.

Related-article headline lists, bylines, reporting credits, "Read more" and share lines,
photo captions, copyright lines and the datelines of other stories. The text is never
changed (evidence offsets point into the stored text): :func:`find_furniture` returns the
character spans the extractor must not read.

The rules look at the shape of whole lines, never at particular stories; their word lists
live in ``frontwatch/data/furniture.toml``. They are written to leave article paragraphs
alone: a paragraph is a sentence, and sentences end with a full stop, a quote or a
question mark, which no rule below accepts except for lines that open with a fixed
marker ("FILE PHOTO:", "Reporting by").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from frontwatch.ingest.dates import find_trailing_date

# Headlines are short; longer lines are paragraphs whatever their case.
_MAX_HEADLINE_WORDS = 20
_MAX_BYLINE_WORDS = 12
_MAX_MARKER_LINE_WORDS = 40
# Share of a headline's content words that must be capitalised.
_TITLE_CASE_SHARE = 0.8

_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")


@dataclass(frozen=True)
class Furniture:
    """A span of the text that is page furniture, and why."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class _Rules:
    bullets: tuple[str, ...]
    date_separators: tuple[str, ...]
    function_words: frozenset[str]
    byline_openers: tuple[str, ...]
    credit_openers: tuple[str, ...]
    credit_endings: tuple[str, ...]
    lead_in_openers: tuple[str, ...]
    whole_lines: frozenset[str]
    caption_openers: tuple[str, ...]
    photo_credit: re.Pattern[str]
    copyright_markers: tuple[str, ...]
    dateline: re.Pattern[str]


@functools.cache
def _rules() -> _Rules:
    raw = tomllib.loads((resources.files("frontwatch") / "data" / "furniture.toml").read_text("utf-8"))

    def lower(key: str) -> tuple[str, ...]:
        return tuple(str(w).lower() for w in raw[key])

    agencies = "|".join(re.escape(a) for a in raw["photo_agencies"])
    # "... REUTERS/Erik De Castro" or "(AP Photo/Felipe Dana)": agency, slash, a name.
    photo_credit = re.compile(
        rf"(?i:\b(?:{agencies}))\s*/\s*[A-Z][\w'’.\-]*(?:\s+[A-Za-z][\w'’.\-]*){{0,4}}\s*\)?\.?\s*$"
    )
    wire = "|".join(re.escape(a) for a in raw["agencies"])
    # "BEIRUT —", "KYIV, Ukraine —", "BAGHDAD (Reuters) -": an upper-case place, a dash.
    dateline = re.compile(
        rf"^[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){{0,3}}(?P<country>,\s*[A-Z][\w'’.]+(?:\s+[A-Z][\w'’.]+){{0,2}})?"
        rf"\s*(?P<agency>\((?i:{wire})\))?\s*[-–—]+\s+\S"
    )
    return _Rules(
        bullets=tuple(raw["bullets"]),
        date_separators=tuple(raw["date_separators"]),
        function_words=frozenset(lower("function_words")),
        byline_openers=lower("byline_openers"),
        credit_openers=lower("credit_openers"),
        credit_endings=lower("credit_endings"),
        lead_in_openers=lower("lead_in_openers"),
        whole_lines=frozenset(lower("whole_lines")),
        caption_openers=lower("caption_openers"),
        photo_credit=photo_credit,
        copyright_markers=lower("copyright_markers"),
        dateline=dateline,
    )


def find_furniture(text: str, published: dt.date | None = None) -> list[Furniture]:
    """Spans of ``text`` that are page furniture, in text order, one per line.

    ``published`` sharpens one rule: a headline-like line that ends with a date later than
    the publication date cannot be part of the article.
    """
    rules = _rules()
    found: dict[int, Furniture] = {}
    lines = list(_lines(text))
    seen_dateline = False
    for start, end in lines:
        line = text[start:end]
        reason = _line_reason(line, rules, published)
        dateline = rules.dateline.match(line) if reason is None else None
        if dateline:
            # The first dateline opens the article; a later one with an agency or a country
            # ("KYIV, Ukraine (AP) —") opens another story. A bare "ISIS —" may be a paragraph.
            if seen_dateline and (dateline.group("country") or dateline.group("agency")):
                reason = "dateline of another story"
            seen_dateline = True
        if reason is not None:
            found[start] = Furniture(start, end, reason)
    _mark_trailing_headlines(text, lines, found, rules)
    return [found[s] for s in sorted(found)]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, surrounding whitespace excluded."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group().strip()
        if stripped:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


def _line_reason(line: str, rules: _Rules, published: dt.date | None) -> str | None:
    lowered = line.lower()
    words = line.split()
    bare = re.sub(r"[^\w' ]+", " ", lowered).strip()
    bare = " ".join(bare.split())
    if bare in rules.whole_lines:
        return "navigation or share line"
    if len(words) <= _MAX_MARKER_LINE_WORDS:
        opening = lowered.lstrip("([ ")
        if opening.startswith(rules.copyright_markers) or "©" in line or "all rights reserved" in lowered:
            return "copyright line"
        if opening.startswith(rules.credit_openers) or lowered.rstrip(".) ").endswith(rules.credit_endings):
            return "reporting credit"
        if lowered.startswith(rules.lead_in_openers):
            return "link or share line"
        if lowered.startswith(rules.caption_openers) or rules.photo_credit.search(line):
            return "photo caption"
    if _is_byline(line, rules):
        return "byline"
    return _dated_or_bulleted_headline(line, rules, published)


def _is_byline(line: str, rules: _Rules) -> bool:
    lowered = line.lower()
    for opener in rules.byline_openers:
        if lowered.startswith(opener + " "):
            names = line[len(opener) :].strip()
            return (
                len(names.split()) <= _MAX_BYLINE_WORDS
                and not _ends_sentence(names)
                and _is_title_case(names, rules, min_words=1)
            )
    return False


def _dated_or_bulleted_headline(line: str, rules: _Rules, published: dt.date | None) -> str | None:
    bulleted = any(line.startswith(b + " ") for b in rules.bullets)
    body = line[1:].strip() if bulleted else line
    trailing = find_trailing_date(body.rstrip(")]"))
    if trailing is not None:
        pos, date = trailing
        head = body[:pos].rstrip()
        label = head.rstrip(":").strip()
        if not label or (head.endswith(":") and len(label.split()) <= 3):
            return "timestamp line"  # "December 15, 2017", "Updated: Dec. 15, 2017"
        separated = head.endswith(rules.date_separators)
        headline = head.rstrip("".join(rules.date_separators) + " ")
        if len(headline.split()) <= _MAX_HEADLINE_WORDS and not _ends_sentence(headline):
            if published is not None and date > published and (separated or _is_title_case(headline, rules)):
                return "headline dated after publication"
            if separated or bulleted:
                return "headline with a date"
        return None
    short = len(body.split()) <= _MAX_HEADLINE_WORDS
    if bulleted and short and not _ends_sentence(body) and _is_title_case(body, rules):
        return "related headline"
    return None


def _mark_trailing_headlines(
    text: str, lines: list[tuple[int, int]], found: dict[int, Furniture], rules: _Rules
) -> None:
    """A block of two or more title-case lines closing the text is a list of other stories."""
    block: list[tuple[int, int]] = []
    for start, end in reversed(lines):
        if start in found:
            continue
        line = text[start:end]
        if len(line.split()) > _MAX_HEADLINE_WORDS or _ends_sentence(line) or not _is_title_case(line, rules):
            break
        block.append((start, end))
    if len(block) >= 2:
        for start, end in block:
            found[start] = Furniture(start, end, "trailing headline list")


def _ends_sentence(line: str) -> bool:
    """A full stop, question or exclamation mark (perhaps inside a closing quote) ends a sentence."""
    return bool(re.search(r"[.?!…][\"'”’)\]]*\s*$", line))


def _is_title_case(phrase: str, rules: _Rules, min_words: int = 2) -> bool:
    """Most content words capitalised, the first one included: a headline or a name."""
    words = _WORD.findall(phrase)
    content = [w for w in words if w.lower() not in rules.function_words]
    if len(content) < min_words or not words[0][0].isupper():
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= _TITLE_CASE_SHARE
