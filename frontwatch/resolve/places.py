"""Finding place names in news text and resolving them to gazetteer entries.

Recognition (:func:`find_place_mentions`) is dictionary-driven: capitalised token runs
(plus lowercase-article forms such as ``al-Qaim``) are matched longest-first against the
gazetteer, then filtered with the word lists in ``data/place_words.toml`` (demonyms,
titles, first names, ordinary English words) so that people, nationalities and
sentence-initial words do not become towns.

Relational locations are folded into the mention: ``relation`` ("near", "between",
"west of", "outskirts", ...), ``offset_km`` and ``bearing`` (degrees clockwise from north)
when the text gives a distance, and ``partner`` (the span of the other end of a
"between A and B"). :func:`resolve` returns the reference place itself;
:func:`relational_point` turns a resolved reference into the point the text describes
(offset point, midpoint, or the reference's own point), always with geo_precision 2.

Resolution (:func:`resolve`, :func:`resolve_all`) scores candidates by name exactness,
kind hint, country and admin1 context, proximity to places already resolved in the
article, and a log-population prior; a small town far from everything else the article
names, in a country it does not otherwise name, is left unplaced rather than misplaced.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from frontwatch.resolve.gazetteer import (
    CAPITAL_FEATURE,
    MATCH_ALT,
    MATCH_LOOSE,
    MATCH_NAME,
    UNION_KIND,
    Gazetteer,
    GazetteerEntry,
    get_gazetteer,
    loose_key,
    normalize_name,
    package_file,
    place_words,
)
from frontwatch.schema import Place

# --------------------------------------------------------------------------- records


@dataclass
class PlaceMention:
    start: int
    end: int
    text: str  # the text span, with a trailing type word ("Deir ez-Zor province")
    name: str  # the place name alone ("Deir ez-Zor")
    kind_hint: str | None  # city | admin1 | country | None
    candidates: list[GazetteerEntry]
    relation: str | None = None  # near, between, west of, outskirts, ... (the mention is a reference point)
    offset_km: float | None = None
    bearing: float | None = None  # degrees clockwise from north, with offset_km or a direction
    partner: tuple[int, int] | None = None  # for "between A and B": the span of the other mention
    quality: list[str] = field(default_factory=list)  # per candidate: name | alt | loose
    # The division or country written right after the name ("Paris, Texas", "Athens, Ga."):
    # the place lies inside it.
    within: GazetteerEntry | None = None
    within_at: int | None = None  # where the text writes ``within`` ("Georgia" of "Atlanta, Georgia")
    # (prior, entry, quality) per candidate: what does not depend on the article, computed once.
    _priors: list[tuple[float, GazetteerEntry, str, bool]] | None = field(default=None, repr=False, compare=False)


@dataclass
class PlaceContext:
    """What the article has established so far: the base for choosing among namesakes."""

    countries: dict[str, float] = field(default_factory=dict)  # ISO alpha-3 → weight
    admin1: set[str] = field(default_factory=set)
    near: list[tuple[float, float]] = field(default_factory=list)
    # (country, first-level division) → how strongly the article's other names point there,
    # from all their candidates: "Athens" and "Clarke County" both have one in Georgia.
    regions: dict[tuple[str, str], float] = field(default_factory=dict)
    # ISO alpha-3 → first-level divisions of that country the article names as divisions:
    # beside "Ohio" and "Utah", "Oregon" is the state, not the Ohio town; "" → countries
    # named as countries: beside "Italy" and "Japan", "China" is the country, not the Texas town.
    divisions: dict[str, set[str]] = field(default_factory=dict)
    # The votes in ``regions`` that come from the name being resolved, which it must not count.
    own_regions: dict[tuple[str, str], float] = field(default_factory=dict)
    # First-level division → weight of the places found in it: the article's main division
    # counts more than one a stray namesake put in ``admin1``.
    admin1_weight: dict[str, float] = field(default_factory=dict)
    # id() of the candidates that another name of the article has a candidate right beside
    # (see :func:`_neighbour_votes`): "Paris" beside "Henry County" is the Tennessee town
    # inside that county, not the Illinois one, though both states have a Henry County.
    neighbours: set[int] = field(default_factory=set)
    # Countries whose capital another name of the article means ("Moscow", "Kyiv"): beside
    # them, "Washington" is a capital too, not a town of that name.
    capitals: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Kept up to date by add(), so that scoring a candidate does not look for it again.
        self.admin1_top = max(self.admin1_weight.values(), default=0.0)

    def add(self, place: Place, weight: float = 1.0) -> None:
        if place.country:
            self.countries[place.country] = self.countries.get(place.country, 0.0) + weight
            if place.kind == "admin1" and place.admin1:
                self.divisions.setdefault(place.country, set()).add(place.admin1)
            elif place.kind == "country":
                self.divisions.setdefault("", set()).add(place.country)
        if place.admin1:
            self.admin1.add(place.admin1)
            self.admin1_weight[place.admin1] = self.admin1_weight.get(place.admin1, 0.0) + weight
            self.admin1_top = max(self.admin1_top, self.admin1_weight[place.admin1])
        if place.lat is not None and place.lon is not None and place.kind in ("city", "site"):
            self.near.append((place.lat, place.lon))


# --------------------------------------------------------------------------- word lists


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    words = place_words()
    out = {k: frozenset(w.lower() for w in v) for k, v in words["lists"].items()}
    out["first_names"] = out["first_names"] | _census_first_names()
    out["never_alone"] = out["never_alone"] | out["calendar_words"]
    out["arabic_articles"] = frozenset(words["arabic_articles"])
    for section in ("kind_after", "kind_of"):
        for kind, ws in words[section].items():
            out[f"{section}:{kind}"] = frozenset(ws)
    return out


# Share of the US population whose first name the census lists cover (cumulative frequency):
# the 330 male and 810 female names borne by 80 % of people, not the long tail of rare ones
# ("Paris", "Cairo") that are more often places.
CENSUS_NAME_COVERAGE = 80.0


def _census_first_names() -> frozenset[str]:
    """Common first names from the US Census Bureau's 1990 name frequency lists, as the
    ``names`` package ships them (dist.male.first, dist.female.first)."""
    out: set[str] = set()
    for filename in ("dist.male.first", "dist.female.first"):
        for line in package_file("names", filename).read_text("utf-8").splitlines():
            cols = line.split()
            if len(cols) >= 3 and float(cols[2]) <= CENSUS_NAME_COVERAGE:
                out.add(cols[0].lower())
    return frozenset(out)


def _kind_of_word(word: str, section: str) -> str | None:
    lists = _lists()
    for kind in ("admin1", "city"):
        if word.lower() in lists[f"{section}:{kind}"]:
            return kind
    return None


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ‘`\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    linked: bool  # joined to the previous token by plain spaces only (same phrase)
    weak_caps: bool  # capitalised because of position (sentence start, headline), not because a name

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capital(self) -> bool:
        return self.text[0].isupper()

    @property
    def article_form(self) -> bool:
        """al-Qaim, el-Fasher, ad-Damazin: a lowercase Arabic article glued to a capitalised name."""
        head, _, rest = self.text.partition("-")
        return bool(rest) and head in _lists()["arabic_articles"] and rest[:1].isupper()

    @property
    def name_like(self) -> bool:
        return self.capital or self.article_form


def _tokenize(text: str) -> list[_Tok]:
    headline_lines = _headline_lines(text)
    toks: list[_Tok] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        start, end = m.start(), m.end()
        word = m.group()
        if _POSSESSIVE.search(word) and len(word) > 3:
            end -= 2
            word = word[:-2]
        gap = text[prev_end:start]
        linked = bool(toks) and gap.strip(" \u00a0") == "" and "\n" not in gap
        before = text[:start].rstrip(" \u00a0\"'“‘(«")
        sentence_start = not before or before[-1] in ".!?:\n;•–—" or before.endswith("\n")
        weak = sentence_start or text.count("\n", 0, start) in headline_lines
        toks.append(_Tok(start, end, word, linked, weak))
        prev_end = m.end()
    return toks


def _headline_lines(text: str) -> set[int]:
    """Line numbers written in Title Case, where capitals say nothing about names."""
    out: set[int] = set()
    for i, line in enumerate(text.split("\n")):
        words = [w for w in _TOKEN.findall(line) if len(w) > 3]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.75 * len(words):
            out.add(i)
    return out


# --------------------------------------------------------------------------- recognition

_DIRS = {
    "north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0,
    "south": 180.0, "southwest": 225.0, "west": 270.0, "northwest": 315.0,
}  # fmt: skip
_DIR = r"(north|south|east|west|north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west)(?:ern)?"
_KIND_OF = (
    r"(?:the\s+)?(?:\w+\s+)?(?:town|city|village|province|governorate|region|outskirts|area|district)\s+of\s+"
)
_OFFSET = re.compile(
    r"(?:about|some|around|roughly|nearly|approximately|almost|over|more\s+than|less\s+than)?\s*"
    r"(\d+(?:[.,]\d+)?)\s*(?:-\s*)?(km|kms|kilometres|kilometers|kilometre|kilometer|miles|mile|mi)\b"
    r"(?:\s*\([^)]{0,30}\))?\s+(?:to\s+the\s+)?" + _DIR + r"\s+of\s+(?:" + _KIND_OF + r")?$",
    re.I,
)
_DIRECTION = re.compile(r"\b" + _DIR + r"\s+of\s+(?:" + _KIND_OF + r")?$", re.I)
_NEAR = re.compile(
    r"\b(near|outside|around|close\s+to|in\s+the\s+vicinity\s+of|(?:on\s+)?the\s+(?:outskirts|edge|"
    r"fringes|approaches|environs)\s+of|(?:in\s+)?the\s+countryside\s+of|surrounding)\s+(?:"
    + _KIND_OF
    + r")?$",
    re.I,
)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+(?:towns|cities|villages)\s+of\s+)?$", re.I)
_AND = re.compile(r"^\s+and\s+(?:the\s+(?:town|city|village)\s+of\s+)?", re.I)
_KIND_BEFORE = re.compile(r"\b(town|city|village|settlement|hamlet|suburb|province|governorate|"
                          r"region|oblast|state|district)\s+of\s+$", re.I)  # fmt: skip
# A drawn span made of a town word and a name ("Town of Groton", "Port of Los Angeles"), for
# names the gazetteer does not list as a whole.
_KIND_OF_NAME = re.compile(r"(?:the\s+)?(?:town|city|village|township|borough|port)\s+of\s+([A-Z].*)", re.I)


@lru_cache(maxsize=1)
def _division_word_after() -> re.Pattern[str]:
    """A lowercase division word right after a name ("Washington state farm", "Idlib
    province"; ``kind_after.admin1``): capitalised, it would start a longer name
    ("Washington State University")."""
    words = sorted(_lists()["kind_after:admin1"], key=len, reverse=True)
    return re.compile(r"[ \u00a0](?:" + "|".join(map(re.escape, words)) + r")\b")

# Matched at a name's end (``match(text, end)``).
_COUNTRYSIDE_AFTER = re.compile(r"\s+(countryside|outskirts|suburbs|environs)\b", re.I)

_NEAR_NAMES = {"outskirts": "outskirts", "edge": "outskirts", "fringes": "outskirts", "approaches": "near",
               "environs": "near", "countryside": "countryside", "outside": "outside", "around": "near",
               "surrounding": "near"}  # fmt: skip


def find_place_mentions(
    text: str,
    exclude: list[tuple[int, int]] | tuple[tuple[int, int], ...] = (),
    unknown: bool = False,
    gazetteer: Gazetteer | None = None,
) -> list[PlaceMention]:
    """Place names in ``text``, left to right, with kind hints and relations.

    ``exclude``: character spans already taken (actor names); no mention overlaps them.
    ``unknown``: also report names the gazetteer lacks when the text marks them as places
    ("the village of X", "X district"); they come with no candidates.
    """
    gaz = gazetteer or get_gazetteer()
    abbreviated = _abbreviation_mentions(text, exclude, gaz)
    exclude = [*exclude, *((m.start, m.end) for m in abbreviated)]
    toks = _tokenize(text)
    lowercase_words = {t.lower for t in toks if t.text.islower()}
    people = _people_words(text, toks) | _surnames(text, toks, gaz)
    blocked = [any(t.start < e and s < t.end for s, e in exclude) for t in toks]
    mentions: list[PlaceMention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if blocked[i] or not tok.name_like or _not_a_name(tok):
            i += 1
            continue
        hit = _longest_match(text, toks, i, blocked, gaz)
        if _starts_person(toks, i) and not _place_before_person(i, hit):
            i = _skip_run(toks, i, blocked)
            continue
        if hit is not None and (
            (hit[0] == i and (_head_of_longer_name(toks, i) or _small_head(text, toks, i, hit[1])
                              or _small_tail(text, toks, i, hit[1])))
            or _street_after(toks, hit[0])
        ):
            hit = None  # "Ain Issa" unknown: neither "Ain" nor "Issa" is the place
        if hit is None:
            if unknown and (m := _unknown_mention(text, toks, i, blocked)) is not None:
                mentions.append(m)
                i = _skip_run(toks, i, blocked)
            elif not tok.weak_caps and not _all_listed([tok]):
                # An unknown name ("Jabhat Fateh al-Sham", "Ain Issa"): its later words
                # are parts of it, not places of their own.
                i = _skip_run(toks, i, blocked)
            else:
                i += 1
            continue
        j, matches = hit
        if not _plausible(text, toks, i, j, matches, lowercase_words) or (
            j == i and _person_here(toks, i, people, matches) and not _licensed(text, toks, i)
        ):
            i += 1
            continue
        mentions.append(_mention(text, toks, i, j, matches, gaz))
        i = j + 1
    mentions = sorted([*mentions, *abbreviated], key=lambda m: m.start)
    _link_between(text, mentions)
    return mentions


def _people_words(text: str, toks: list[_Tok]) -> set[str]:
    """Capitalised words the article uses as parts of people's names: those after a first
    name or a title ("John Moore", "Sen. Sherrod Brown"). One sense per article: a lone
    "Moore" later is the same person, not Moore, Oklahoma."""
    lists = _lists()
    out: set[str] = set()
    k = 1
    while k < len(toks):
        prev, tok = toks[k - 1], toks[k]
        gap = text[prev.end : tok.start].strip()
        initial = k >= 2 and len(prev.text) == 1 and prev.capital and gap == "." and toks[k - 2].capital
        starts = tok.capital and (
            (prev.capital and prev.lower in lists["first_names"] and tok.linked)
            or (prev.capital and prev.lower in lists["titles"] and gap in ("", "."))  # "Sen. Brown"
            or initial  # "Boyd J. Jones"
        )
        if not starts:
            k += 1
            continue
        while k < len(toks) and toks[k].capital and (toks[k] is tok or toks[k].linked):
            out.add(toks[k].lower)
            k += 1
    return out


def _place_before_person(i: int, hit: tuple[int, list[tuple[GazetteerEntry, str]]] | None) -> bool:
    """A run that starts like a person's name but names a place as a whole ("Virginia Beach",
    "Mary Esther") or whose first word is a large place ("Austin", "Virginia"; not the
    Turkmen town and province of Mary)."""
    if hit is None:
        return False
    j, matches = hit
    return j > i or any(e.kind == "country" or e.population >= _LARGE[e.kind == "admin1"] for e, _ in matches)


_LARGE = (300_000, 1_000_000)  # people in a town, in a first-level division, that make it "large"


def _surnames(text: str, toks: list[_Tok], gaz: Gazetteer) -> set[str]:
    """Last words of two- or three-word capitalised runs that name nothing ("Maria Flores",
    "Officer Ripley") and alone would name only a small place: a person's surname, so a
    lone "Flores" later in the article is that person, not a town of that name."""
    out: set[str] = set()
    k = 0
    while k < len(toks):
        j = k + 1
        while j < len(toks) and toks[j].linked and toks[j].capital:
            j += 1
        run = toks[k:j]
        if 2 <= len(run) <= 3 and all(t.capital for t in run) and not run[-1].weak_caps:
            whole = normalize_name(text[run[0].start : run[-1].end])
            last = run[-1].text
            if not gaz.has_key(whole) and _small_only(gaz.lookup_scored(last, loose=False)):
                out.add(last.lower())
        k = j
    return out


def _small_only(matches: list[tuple[GazetteerEntry, str]]) -> bool:
    return bool(matches) and all(e.kind in ("city", "admin2") and e.population < 100_000 for e, _ in matches)


_SPEECH_VERBS = frozenset({"said", "says", "told", "added", "wrote"})


def _person_here(
    toks: list[_Tok], i: int, people: set[str], matches: list[tuple[GazetteerEntry, str]]
) -> bool:
    """A one-word name that is a person's here: used so elsewhere in the article, or a small
    place's name speaking ("Moore said"; "Moscow said" stays a place, by metonymy)."""
    if toks[i].lower in people:
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].linked else None
    speaks = nxt is not None and nxt.lower in _SPEECH_VERBS
    return speaks and max((e.population for e, _ in matches), default=0) < 100_000


def _abbreviation_mentions(
    text: str, exclude: list[tuple[int, int]] | tuple[tuple[int, int], ...], gaz: Gazetteer
) -> list[PlaceMention]:
    """Abbreviations from ``place_abbreviations.toml`` as written: "U.S.", "UK", "DRC" anywhere;
    a one-word state abbreviation ("Ga.", "Ind.", "Miss.") only after a comma, where it
    qualifies a town ("Athens, Ga."), since elsewhere "Miss." is a title."""
    anywhere, after_comma = _abbreviation_patterns(gaz)
    found: list[PlaceMention] = []
    for pattern in (anywhere, after_comma):
        for m in pattern.finditer(text):
            start, end = m.span(1)
            if any(start < e and s < end for s, e in exclude) or any(start < x.end and x.start < end for x in found):
                continue
            entry = gaz.abbreviation(m.group(1))
            if entry is not None:
                found.append(_build_mention(text, start, end, m.group(1), None, [(entry, MATCH_ALT)], gaz))
    return found


@lru_cache(maxsize=4)
def _abbreviation_patterns(gaz: Gazetteer) -> tuple[re.Pattern[str], re.Pattern[str]]:
    forms = sorted(gaz.abbreviation_forms(), key=len, reverse=True)
    # Dotted initials ("U.S.", "W.Va.") and capitals ("UK", "NSW") are abbreviations wherever
    # they stand; a capitalised word with a dot ("Ind.", "Miss.") only where it qualifies.
    strong = [f for f in forms if "." in f.rstrip(".") or (f.isupper() and len(f) >= 2)]
    weak = [f for f in forms if f not in strong and not f.replace(" ", "").isalpha()]
    alternation = "|".join(map(re.escape, strong)) or "(?!)"
    # Not glued to a currency sign: "US$460", "$US 1.5 billion" are dollars, not the country.
    anywhere = re.compile(r"(?<![\w.$€£¥])(" + alternation + r")(?![\w$€£¥])")
    after_comma = re.compile(r",\s(" + ("|".join(map(re.escape, weak)) or "(?!)") + r")(?![\w])")
    return anywhere, after_comma


_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|m|t)$|n['’]t$", re.I)


def _not_a_name(tok: _Tok) -> bool:
    """Acronyms (IS, SAA), compound adjectives (Soviet-era, Kurdish-led) and contractions
    (I've, We're) are not place names."""
    if _CONTRACTION.search(tok.text):
        return True
    letters = [c for c in tok.text if c.isalpha()]
    if len(letters) <= 3 and tok.text.isupper():
        return True
    _head, sep, tail = tok.text.rpartition("-")
    # "Sar-e Pul", "Mazar-i-Sharif": a Persian ezafe joins a name, it does not make an adjective.
    return bool(sep) and tail.islower() and len(tail) > 2 and not tok.article_form


def _street_after(toks: list[_Tok], j: int) -> bool:
    """A street or building word right after the name ("College Avenue", "Lincoln Hall"), or
    a newspaper's ("New York Times", "China Daily"): the name is part of a longer one."""
    nxt = toks[j + 1] if j + 1 < len(toks) and toks[j + 1].linked else None
    if nxt is None or not nxt.capital:
        return False
    lists = _lists()
    return nxt.lower in lists["street_words"] or nxt.lower in lists["title_words"]


def _small_head(text: str, toks: list[_Tok], i: int, matches: list[tuple[GazetteerEntry, str]]) -> bool:
    """A small place's name followed by a capitalised word that is no kind word ("Main
    Street", "Olympic Games", "Commerce Department"): the first word of a longer name."""
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].linked else None
    if nxt is None or not nxt.capital or (toks[i].weak_caps and nxt.weak_caps):
        return False
    if _kind_of_word(nxt.text, "kind_after") is not None or nxt.lower in _lists()["name_connectors"]:
        return False
    return max((e.population for e, _ in matches), default=0) < 100_000 and not _licensed(text, toks, i)


def _small_tail(text: str, toks: list[_Tok], i: int, matches: list[tuple[GazetteerEntry, str]]) -> bool:
    """A small place's name right after a capitalised ordinary word inside a sentence ("City
    Hall", "West Metro", "First Selectman"): the last word of a longer name. Not after a day or
    month that reads as a time ("on Friday Zaranj fell") nor a people's name ("Kurdish Kobani"):
    those qualify the place. A day or month that no time word leads is a name's first word
    ("Kunduz and Monday Market", "the Saturday Market"): its small namesake is not meant."""
    prev = toks[i - 1] if i > 0 and toks[i].linked else None
    if prev is None or not prev.capital or prev.weak_caps or not _all_listed([prev]):
        return False
    lists = _lists()
    if prev.lower in lists["demonyms"] or (prev.lower in lists["calendar_words"] and _reads_as_time(toks, i - 1)):
        return False
    return max((e.population for e, _ in matches), default=0) < 100_000 and not _licensed(text, toks, i)


def _reads_as_time(toks: list[_Tok], k: int) -> bool:
    """Whether the day or month at token ``k`` is a time: after a word that leads one ("on
    Friday", "since May", "last Monday", "early March"; ``time_leads``)."""
    before = toks[k - 1] if k > 0 and toks[k].linked else None
    return before is not None and before.lower in _lists()["time_leads"]


def _head_of_longer_name(toks: list[_Tok], i: int) -> bool:
    """A generic toponym word (Ain, Tal, Deir, Kafr) starting a longer capitalised run."""
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].linked else None
    return nxt is not None and nxt.name_like and normalize_name(toks[i].text) in _lists()["name_heads"]


def _starts_person(toks: list[_Tok], i: int) -> bool:
    """A title or first name before (or at) a capitalised run makes it a person's name."""
    lists = _lists()
    prev = toks[i - 1] if i > 0 and toks[i].linked else None
    if (
        prev is not None
        and prev.capital
        and (prev.lower in lists["titles"] or prev.lower in lists["first_names"])
    ):
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].linked else None
    return toks[i].lower in lists["first_names"] and nxt is not None and nxt.name_like


def _skip_run(toks: list[_Tok], i: int, blocked: list[bool]) -> int:
    j = i + 1
    while j < len(toks) and toks[j].linked and toks[j].name_like and not blocked[j]:
        j += 1
    return j


def _longest_match(
    text: str, toks: list[_Tok], i: int, blocked: list[bool], gaz: Gazetteer
) -> tuple[int, list[tuple[GazetteerEntry, str]]] | None:
    """The longest run from token ``i`` that names something; connectors may sit inside."""
    connectors = _lists()["name_connectors"]
    ends: list[int] = []
    j = i
    while j < len(toks) and len(ends) < gaz.max_tokens and not blocked[j]:
        if j > i and not toks[j].linked:
            break
        if toks[j].name_like:
            ends.append(j)
        elif j == i or toks[j].lower not in connectors:
            break
        j += 1
    for j in reversed(ends):
        name = text[toks[i].start : toks[j].end]
        if gaz.has_key(normalize_name(name)):
            found = gaz.lookup_scored(name, loose=False)
            # A union of states in running text is an actor ("EU sanctions"), not a place;
            # it is placed only where someone else marks the span as a place (mention_at).
            return j, [(e, q) for e, q in found if e.kind != UNION_KIND] if found else found
    # Loose spelling only for a whole run, and only where the text itself says a place follows.
    if ends and _licensed(text, toks, i) and not _all_listed(toks[i : ends[-1] + 1]):
        name = text[toks[i].start : toks[ends[-1]].end]
        found = gaz.lookup_scored(name)
        if found and len(loose_key(name)) >= 4:
            return ends[-1], found
    return None


def _licensed(text: str, toks: list[_Tok], i: int) -> bool:
    """The words around token ``i`` make it a place: "the town of X", "near X", "X province"."""
    before = text[max(0, toks[i].start - 40) : toks[i].start]
    if _KIND_BEFORE.search(before) or _NEAR.search(before) or _DIRECTION.search(before):
        return True
    if i > 0 and toks[i].linked and toks[i - 1].lower in _lists()["locative"] and not toks[i - 1].capital:
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].linked else None
    return nxt is not None and nxt.text.islower() and _kind_of_word(nxt.text, "kind_after") is not None


def _all_listed(span: list[_Tok]) -> bool:
    lists = _lists()
    stop = lists["demonyms"] | lists["never_alone"] | lists["titles"] | lists["common_words"]
    return all(normalize_name(t.text) in stop or t.lower in stop for t in span)


def _plausible(
    text: str,
    toks: list[_Tok],
    i: int,
    j: int,
    matches: list[tuple[GazetteerEntry, str]],
    lowercase_words: set[str],
) -> bool:
    """Filters that keep precision: demonyms, non-place words, ordinary words in odd places."""
    lists = _lists()
    span = toks[i : j + 1]
    words = [t.lower for t in span]
    if len(span) == 1 and (
        words[0] in lists["demonyms"] or words[0] in lists["never_alone"] or words[0] in lists["titles"]
    ):
        return False
    if len(span) == 1 and all(e.kind == "admin2" and q == MATCH_ALT for e, q in matches):
        return _licensed(text, toks, i)  # "Brown" alone is a surname; "Brown County" is the county
    if _other_names_only(text[span[0].start : span[-1].end], matches):
        return _licensed(text, toks, i)
    listed_common = bool(_all_listed(span) and not any(e.kind == "country" for e, _ in matches))
    ordinary = listed_common or (len(span) == 1 and (words[0] in lowercase_words))
    if not ordinary and not span[0].weak_caps:
        return True
    if _licensed(text, toks, i):
        return True
    big = max((e.population for e, _ in matches), default=0) >= 100_000
    if ordinary:
        return big and not span[0].weak_caps
    # A capitalised word at sentence start: a name unless it is an ordinary word or tiny place.
    return len(span) > 1 or big or words[0] not in lists["common_words"]


# Below this many people, a town that a name meets only as another name of it is no reading
# of a name the text does not mark as a place: see :func:`_other_names_only`.
OTHER_NAME_POPULATION = 20_000


def _other_names_only(name: str, matches: list[tuple[GazetteerEntry, str]]) -> bool:
    """Whether ``name`` names only small towns, and each only by an alternate name that is not
    its own name spelled otherwise: "Passover" (Mountain City, Tennessee), "Lane" (Rochelle,
    Illinois), "Kate" (Patterson): words and people's names that GeoNames lists among the
    other names of villages. A former name of a larger town ("Artemivsk" for Bakhmut) is kept."""
    return bool(matches) and all(
        q == MATCH_ALT and e.kind == "city" and e.population < OTHER_NAME_POPULATION
        and not _own_name_spelled(name, e)
        for e, q in matches
    )


def _mention(
    text: str,
    toks: list[_Tok],
    i: int,
    j: int,
    matches: list[tuple[GazetteerEntry, str]],
    gaz: Gazetteer | None = None,
) -> PlaceMention:
    start, end = toks[i].start, toks[j].end
    name = text[start:end]
    hint: str | None = None
    nxt = toks[j + 1] if j + 1 < len(toks) and toks[j + 1].linked else None
    if nxt is not None and (kind := _kind_of_word(nxt.text, "kind_after")) is not None:
        hint, end = kind, nxt.end
    return _build_mention(text, start, end, name, hint, matches, gaz)


def _build_mention(
    text: str,
    start: int,
    end: int,
    name: str,
    hint: str | None,
    matches: list[tuple[GazetteerEntry, str]],
    gaz: Gazetteer | None = None,
) -> PlaceMention:
    """The mention with the kind the words before it give ("the town of X"), or the plural
    kind word that closes the list it stands in ("Clay and Grant counties"), or "country"
    when every candidate is one, and its relation ("near", "40 km west of")."""
    last_word = _last_word(text, start)
    of_before = last_word == "of"  # every kind phrase ends so: spares the regex
    if (
        hint is None
        and of_before
        and (m := _KIND_BEFORE.search(before := text[max(0, start - 40) : start]))
        and not _named_before(before, m.start())  # in "the Puno region of Peru" Peru is no region
    ):
        hint = _kind_of_word(m.group(1), "kind_of")
    if hint is None and text[end + 1 : end + 2].islower() and _division_word_after().match(text, end):
        # A span someone else drew, before a division word: "Washington| state farm". (Not a
        # town word: "London city council" is still the London of the other mentions.)
        hint = "admin1"
    if hint is None and (listed := _list_kind(text, end)) is not None:
        listed_matches = _as_listed(name, matches, *listed, gaz)
        if listed_matches is not None:  # "Clay" of "Becker, Clay and Grant counties"
            hint, matches = listed[0], listed_matches
    if hint is None and matches and all(e.kind == "country" for e, _ in matches):
        hint = "country"
    if hint is None and _dateline(text, start, end):
        hint = "city"  # "WASHINGTON —", "MALTA –": where the story was filed, a town
    mention = PlaceMention(
        start, end, text[start:end], name, hint, [e for e, _ in matches], quality=[q for _, q in matches]
    )
    if len(matches) > 1:
        # "Washington, Pennsylvania, California": in a list of divisions a comma qualifies
        # nothing; but lists do not abbreviate, so "Washington, D.C." and "Georgia, U.S." do.
        names_division = any(e.kind in ("admin1", "country") and q == MATCH_NAME for e, q in matches)
        qualifier = _qualifier(text, end, gaz, names_division, mention.candidates)
        if qualifier is not None:
            mention.within, mention.within_at = qualifier
    _set_relation(text, mention, last_word)
    return mention


@lru_cache(maxsize=1)
def _list_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """The rest of a list of names closed by a plural kind word, from right after one of its
    names: ", Clay, Douglas and Grant counties", " and Hama provinces", " counties"."""
    table = {w: (kind, suffix) for w, (kind, suffix) in place_words()["kind_after_list"].items()}
    name = r"[A-Z][\w'’.-]*(?:[ \u00a0][A-Z][\w'’.-]*){0,3}"
    more = r"(?:,[ \u00a0]*(?:(?:and|or)[ \u00a0]+)?" + name + r"|[ \u00a0]+(?:and|or|&)[ \u00a0]+" + name + ")"
    words = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
    # The kind word in lowercase only: capitalised, it ends a name ("United States", "Home Counties").
    return re.compile(more + r"{0,15}[ \u00a0]+(" + words + r")\b"), table


def _list_kind(text: str, end: int) -> tuple[str, str] | None:
    """(kind, the word that ends such a division's own name) when the name ending at ``end``
    stands in a list closed by a plural kind word ("Becker, Clay and Grant counties")."""
    nxt = text[end : end + 1]
    if nxt not in (",", " ", "\u00a0"):
        return None
    pattern, table = _list_pattern()
    m = pattern.match(text, end)
    return table[m.group(1)] if m is not None else None


def _as_listed(
    name: str, matches: list[tuple[GazetteerEntry, str]], kind: str, suffix: str, gaz: Gazetteer | None
) -> list[tuple[GazetteerEntry, str]] | None:
    """The candidates of a name in a list of divisions of ``kind``, the divisions named
    "<name> <suffix>" first ("Clay County"); None when the name means no such division or is
    a populous first-level division's or a country's own name ("Texas and Oklahoma counties"
    are counties of those states)."""
    if kind == "admin2" and any(
        q == MATCH_NAME and (e.kind == "country" or (e.kind == "admin1" and e.population >= _LARGE[1]))
        for e, q in matches
    ):
        return None
    named: list[tuple[GazetteerEntry, str]] = []
    if suffix:
        gaz = gaz or get_gazetteer()
        named = [(e, MATCH_NAME) for e, q in gaz.lookup_scored(f"{name} {suffix}", loose=False)
                 if e.kind == kind and q == MATCH_NAME]  # fmt: skip
    seen = {id(e) for e, _ in named}
    out = named + [(e, q) for e, q in matches if id(e) not in seen]
    return out if any(e.kind == kind for e, _ in out) else None


_QUALIFIER = re.compile(r",\s?([A-Z][\w.]*(?:[ \u00a0][A-Z][\w.]*){0,2})")


def _qualifier(
    text: str,
    end: int,
    gazetteer: Gazetteer | None = None,
    abbreviated_only: bool = False,
    towns: list[GazetteerEntry] | None = None,
) -> tuple[GazetteerEntry, int] | None:
    """The first-level division or country written after a comma ("Paris, Texas", "Athens, Ga.",
    "Windsor, Ontario"), the longest that names one, with where it starts; ``abbreviated_only``:
    only one written as an abbreviation with periods ("D.C.", "D. C.", "Pa.").

    ``towns``: the qualified name's candidates. Then the division must hold one of them (in
    "Becker, Clay, Douglas and Grant counties" Douglas qualifies nothing), and a name that
    several divisions bear is the one that does: "Atlanta, Georgia" is the state, not the
    country."""
    m = _QUALIFIER.match(text, end)
    if m is None:
        return None
    gaz = gazetteer or get_gazetteer()

    def holding(divisions: list[GazetteerEntry]) -> list[GazetteerEntry]:
        return divisions if towns is None else [d for d in divisions if any(_inside(t, d) for t in towns)]

    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n])
        if abbreviated_only:
            if "." in phrase and (abbreviated := gaz.abbreviation_spaced(phrase)) is not None:
                return (abbreviated, m.start(1)) if holding([abbreviated]) else None
            continue
        for candidate in (phrase, phrase.rstrip(".")):
            if (abbreviated := gaz.abbreviation(candidate)) is not None:
                return (abbreviated, m.start(1)) if holding([abbreviated]) else None
            found = [e for e, q in gaz.lookup_scored(candidate, loose=False) if q == MATCH_NAME]
            divisions = [e for e in found if e.kind in ("admin1", "country")]
            if len(divisions) == 1 or (len(divisions) > 1 and len(holding(divisions)) == 1):
                held = holding(divisions)
                return (held[0], m.start(1)) if held else None
    return None


def mention_at(text: str, start: int, end: int, gazetteer: Gazetteer | None = None) -> PlaceMention:
    """The mention for a span found by someone else (a gold toponym, another recogniser).

    Candidates come from the name (a trailing type word such as "Parish" or "province"
    becomes the kind hint), the kind and relation from the words around it, as for
    mentions frontwatch finds itself.
    """
    gaz = gazetteer or get_gazetteer()
    span = text[start:end]
    name, hint = span, None
    head, _, last = span.rpartition(" ")
    if head and (kind := _kind_of_word(last, "kind_after")) is not None:
        name, hint = head, kind
    matches = gaz.lookup_scored(span, loose=False)
    if matches:
        name = span  # "Mexico City", "Kansas City": the kind word is part of the name
    elif name != span:
        matches = gaz.lookup_scored(name, loose=False)
    if (country := gaz.demonym(span)) is not None and all(e is not country for e, _ in matches):
        # "Russian" where a place is asked for: Russia; "Canadian" is Canada before the Texas town.
        matches = [(country, MATCH_NAME), *matches]
    if not matches and (m := _KIND_OF_NAME.match(span)) is not None:
        # "Town of Groton", "Port of Los Angeles": the town the span is named after.
        name, hint = m.group(1), "city"
        matches = gaz.lookup_scored(name, loose=False)
    if not matches and (abbreviated := gaz.abbreviation_spaced(span)) is not None:
        matches = [(abbreviated, MATCH_ALT)]  # "W. Va.", "N.Y": as "W.Va.", "N.Y."
    if not matches:
        matches = _people_of(span, gaz)  # "Ohioans": the place their name is made from
        if matches:
            name = matches[0][0].name  # one group with the place's own mentions ("New London")
    if not matches:
        matches = gaz.lookup_scored(name)  # a looser spelling, as the last resort
    return _build_mention(text, start, end, name, hint, matches, gaz)


def _people_of(span: str, gaz: Gazetteer) -> list[tuple[GazetteerEntry, str]]:
    """The divisions, towns or continents a people's name is made from ("Ohioans" → Ohio,
    "Texan" → Texas, "New Londoners" → New London, "European" → Europe), by the endings of
    ``demonym_endings``; the first ending that gives a place's own name wins. Only for spans
    someone else marked as places: the recogniser does not take a people for a place."""
    for ending, place_ending in place_words()["demonym_endings"]:
        if span.endswith(ending) and len(span) > len(ending) + 2:
            stem = span[: -len(ending)] + place_ending
            found = [(e, q) for e, q in gaz.lookup_scored(stem, loose=False)
                     if q == MATCH_NAME and e.kind in ("admin1", "city", "continent")]  # fmt: skip
            if found:
                return found
    return []


def _unknown_mention(text: str, toks: list[_Tok], i: int, blocked: list[bool]) -> PlaceMention | None:
    """A name the gazetteer lacks, kept only when the text marks it as a place."""
    if not _licensed(text, toks, i) or (toks[i].weak_caps and toks[i].lower in _lists()["common_words"]):
        return None
    j = _skip_run(toks, i, blocked) - 1
    if _all_listed(toks[i : j + 1]):
        return None
    return _mention(text, toks, i, j, [])


# Every relation phrase before a name ends in one of these words ("west of", "close to",
# "near"): a cheap test that spares the regular expressions for the other names.
_RELATION_LAST_WORDS = frozenset({"of", "near", "outside", "around", "to", "surrounding"})


def _last_word(text: str, start: int) -> str:
    """The word just before ``start`` (lower-cased), or "" when punctuation or nothing stands there."""
    k = start
    while k > 0 and text[k - 1] in " \u00a0\t\n":
        k -= 1
    j = k
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j:k].lower() if k < start else ""


# What follows a dateline's town: a dash, perhaps after a qualifier and an agency
# ("COLUMBUS, Ohio (AP) —", "NEWARK --", "WINDSOR - The town").
_DATELINE_AFTER = re.compile(
    r"(?:,[ \u00a0][A-Z][\w.]*(?:[ \u00a0][A-Z][\w.]*)?)?[ \u00a0]*(?:\([A-Za-z.]{1,10}\)[ \u00a0]*)?"
    r"(?:—|–|--|\x97|-[ \u00a0])"
)


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether the name opens a sentence (or the text) and a dateline's dash follows it:
    the place a story was filed from, which news names by its town."""
    before = text[max(0, start - 3) : start].rstrip(" \u00a0\t")
    return (not before or before[-1] in ".!?\n") and _DATELINE_AFTER.match(text, end) is not None


def _named_before(before: str, k: int) -> bool:
    """Whether the word ending right before position ``k`` of ``before`` is capitalised."""
    word = before[:k].rstrip().rpartition(" ")[2]
    return word[:1].isupper()


def _set_relation(text: str, mention: PlaceMention, last_word: str | None = None) -> None:
    """``last_word``: the word before the mention (:func:`_last_word`), when already known."""
    last_word = _last_word(text, mention.start) if last_word is None else last_word
    if last_word not in _RELATION_LAST_WORDS:
        if m := _COUNTRYSIDE_AFTER.match(text, mention.end):
            mention.relation = "countryside" if m.group(1).lower() == "countryside" else "outskirts"
        return
    before = text[max(0, mention.start - 80) : mention.start]
    # A distance and a direction phrase end in "of" ("40 km west of"); a distance has a digit.
    of_before = last_word == "of"
    if of_before and _DIGIT.search(before) and (m := _OFFSET.search(before)):
        km = float(m.group(1).replace(",", "."))
        if m.group(2).lower().startswith("mi"):
            km *= 1.609344
        direction = re.sub(r"[- ]", "", m.group(3).lower())
        mention.relation, mention.offset_km, mention.bearing = f"{direction} of", km, _DIRS[direction]
    elif of_before and (m := _DIRECTION.search(before)):
        direction = re.sub(r"[- ]", "", m.group(1).lower())
        mention.relation, mention.bearing = f"{direction} of", _DIRS[direction]
    elif m := _NEAR.search(before):
        word = m.group(1).lower().split()
        key = next((w for w in word if w in _NEAR_NAMES), "near")
        mention.relation = _NEAR_NAMES.get(key, "near")
    elif m := _COUNTRYSIDE_AFTER.match(text, mention.end):
        mention.relation = "countryside" if m.group(1).lower() == "countryside" else "outskirts"


_DIGIT = re.compile(r"\d")


def _link_between(text: str, mentions: list[PlaceMention]) -> None:
    """For "between A and B" both ends carry relation "between" and each other's span."""
    for a, b in itertools.pairwise(mentions):
        joint = _AND.match(text[a.end : b.start])
        if joint and joint.end() == b.start - a.end and _BETWEEN.search(text[max(0, a.start - 40) : a.start]):
            a.relation = b.relation = "between"
            a.partner, b.partner = (b.start, b.end), (a.start, a.end)
            a.offset_km = b.offset_km = None


# --------------------------------------------------------------------------- resolution

_QUALITY = {MATCH_NAME: 3.0, MATCH_ALT: 2.5, MATCH_LOOSE: 0.5}
# Places larger than any division: a country, a continent, a union of states.
_WIDE_KINDS = ("country", "continent", UNION_KIND)
# Score per tenfold population: how much more often news means the larger of two namesakes.
POPULATION_WEIGHT = 0.5
# Prior of a populous first-level division called by its own name over its small namesakes.
ADMIN1_BONUS = 1.5
# The same for a city of a million people or more ("Cairo", "Toronto", "Moscow").
CITY_BONUS = 1.5
# A national capital called by its own name: news means the capital ("Washington", "Moscow
# said") before a division or town of that name, as much as a city of millions and a little
# more, since a capital is named for its government as well as for the town.
CAPITAL_BONUS = 2.0
# How many other divisions (countries) of the same country (of the world) the article must
# name for a division (country) to count as one of a list: see :func:`context_score`.
MIN_LISTED = 2
# A national capital beside two or more other countries' capitals the article names: the
# capital, not a town of its name in the article's state ("Washington" beside "Moscow",
# "Kyiv" and "Minsk" is not Washington, Illinois).
CAPITAL_AMONG_CAPITALS = 2.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _has_namesake_town(division: GazetteerEntry, towns: list[GazetteerEntry]) -> bool:
    """Whether a town of the same name lies inside ``division`` (Raqqa in Raqqa province)."""
    for town in towns:
        if town.country != division.country:
            continue
        if division.kind == "admin1" and town.admin1 == division.admin1:
            return True
        if division.kind == "admin2" and town.admin1 == division.admin1 and (
            distance_km((town.lat, town.lon), (division.lat, division.lon)) < 100
        ):
            return True
    return False


def score_candidate(
    entry: GazetteerEntry,
    quality: str,
    hint: str | None,
    context: PlaceContext,
    namesake_towns: list[GazetteerEntry] | None = None,
) -> float:
    """How likely ``entry`` is what the mention means; only comparisons between candidates matter.

    ``namesake_towns``: the towns among the mention's candidates, so that a division is
    put behind a town of its own name inside it, and only then.
    """
    return prior_score(entry, quality, hint, namesake_towns or []) + context_score(entry, context)


def _inside(entry: GazetteerEntry, area: GazetteerEntry) -> bool:
    if area.kind == "country":
        return entry.country == area.country and entry.kind != "country"
    return entry.country == area.country and entry.admin1 == area.admin1 and entry.kind != "admin1"


def prior_score(
    entry: GazetteerEntry,
    quality: str,
    hint: str | None,
    namesake_towns: list[GazetteerEntry],
    within: GazetteerEntry | None = None,
    namesake: bool | None = None,
) -> float:
    """The part of the score that the name and the words around it give, whatever the article
    says elsewhere: match exactness, the kind the text names, log population.

    ``namesake``: whether a town of the entry's name lies inside it, when already known."""
    score = _QUALITY.get(quality, 0.0)
    if hint is not None:
        same = entry.kind == hint or (hint == "city" and entry.kind == "site")
        score += 3.0 if same else -3.0
        if same and entry.kind == "city":
            # Among towns, as among all places: "WASHINGTON —" heads a story filed from the capital.
            score += _city_bonus(entry, quality)
    elif entry.kind in _WIDE_KINDS:
        score += 2.5  # "Mexico" is the country before it is Mexico City's alternate name
    elif entry.kind == "city":
        score += 0.5 + _city_bonus(entry, quality)
    elif entry.kind == "site":
        score += 0.5  # a site named in news is a place as much as a town ("Bagram", the air base)
    elif entry.kind in ("admin1", "admin2") and (
        namesake if namesake is not None else _has_namesake_town(entry, namesake_towns)
    ):
        score -= 1.5  # a bare "Raqqa" is more often the town than the province named after it
    elif entry.kind == "admin1" and quality == MATCH_NAME and entry.population >= 1_000_000:
        score += ADMIN1_BONUS  # "Oklahoma", "Ontario": the state or province, not a village named after it
    if within is not None and entry is not within and _inside(entry, within):
        score += 6.0  # "Paris, Texas": the text says which one
    population = entry.population if entry.kind != "site" else 10_000  # a named site is specific
    return score + POPULATION_WEIGHT * math.log10(population + 1)


def _city_bonus(entry: GazetteerEntry, quality: str) -> float:
    """What a town's own name is worth before its namesakes: a national capital ("Washington",
    "Moscow said": the capital, whatever its size) or a city of a million people."""
    if quality != MATCH_NAME:
        return 0.0
    if entry.feature == CAPITAL_FEATURE:
        return CAPITAL_BONUS
    return CITY_BONUS if entry.population >= 1_000_000 else 0.0


def context_score(entry: GazetteerEntry, context: PlaceContext, listable: bool = True) -> float:
    """The part of the score the rest of the article gives: its countries, divisions, places.

    ``listable``: the entry may take the bonus of a division among listed divisions; not a
    division with a town of its own name inside, since "Raqqa" beside "Deir ez-Zor province"
    is still the town."""
    # Summed per call, not kept: callers may write to ``countries`` directly.
    return _context_score(entry, context, listable, sum(context.countries.values()))


def _context_score(entry: GazetteerEntry, context: PlaceContext, listable: bool, countries_total: float) -> float:
    """:func:`context_score` with the weight of the context's countries summed once for
    all the candidates of a mention."""
    score = 0.0
    kind, country, admin1 = entry.kind, entry.country, entry.admin1
    if countries_total > 0:
        score += 4.0 * context.countries.get(country, 0.0) / countries_total
    if listable and context.divisions and (kind == "admin1" or kind == "country"):
        group, own = (country, admin1) if kind == "admin1" else ("", country)
        listed = context.divisions.get(group)
        if listed and len(listed) - (own in listed) >= MIN_LISTED:
            # A division among the divisions the article lists, a country among countries: two
            # others at least, since one ("New York" beside "Washington") is no list.
            score += 3.5
    if admin1:
        if kind != "admin1" and admin1 in context.admin1:
            top = context.admin1_top
            score += 1.5 * (context.admin1_weight.get(admin1, 0.0) / top if top > 0 else 1.0)
        if context.regions:
            region = (country, admin1)
            votes = context.regions.get(region, 0.0) - context.own_regions.get(region, 0.0)
            score += 2.0 if votes >= 1.0 else 2.0 * votes
    if context.capitals and entry.feature == CAPITAL_FEATURE and (
        len(context.capitals) - (country in context.capitals) >= MIN_LISTED
    ):
        score += CAPITAL_AMONG_CAPITALS  # "between Washington and Moscow", beside Kyiv and Minsk
    neighbour = NEIGHBOUR_WEIGHT if id(entry) in context.neighbours else 0.0
    if context.near and (kind == "city" or kind == "site"):
        d = _nearest_km(entry.lat, entry.lon, context.near)
        # Another name of the article already means this very place ("Mexico City" beside
        # "Mexico"): two names in one text rarely mean one town, so no bonus for that.
        near = -1.0 if d < 1 else 2.0 if d < 50 else 1.5 if d < 150 else 1.0 if d < 400 else 0.0
        # The neighbour vote and the nearness of a place already chosen say one thing (another
        # name of the article lies beside this one): counted once, not twice, so a pair of
        # namesakes side by side (Jackson and Madison, Mississippi) does not outvote the state
        # the article names four times.
        return score + (max(neighbour, near) if near > 0 else neighbour + near)
    return score + neighbour


_KM_PER_DEGREE = 111.195


def _nearest_km(lat: float, lon: float, points: list[tuple[float, float]]) -> float:
    """Distance to the nearest of ``points`` on an equirectangular projection: within a few
    per cent of the great circle below 1,000 km, which is all the proximity bands need,
    at a fraction of the cost."""
    k = math.cos(math.radians(lat))
    best = math.inf
    for plat, plon in points:
        dlat, dlon = lat - plat, abs(lon - plon)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        dlon *= k
        d2 = dlat * dlat + dlon * dlon
        if d2 < best:
            best = d2
    return math.sqrt(best) * _KM_PER_DEGREE


def place_slug(s: str) -> str:
    """A stable id part from a place name: accents and case folded, runs of other characters one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", normalize_name(s)).strip("-") or "place"


def to_place(entry: GazetteerEntry, geo_precision: int | None = None) -> Place:
    """The schema record for a gazetteer entry."""
    precision = geo_precision or (3 if entry.kind in ("admin1", *_WIDE_KINDS) else 1)
    place_id = entry.key or (f"gn:{entry.geonameid}" if entry.geonameid else f"fw:{place_slug(entry.name)}")
    return Place(place_id, entry.name, entry.geonameid, entry.lat, entry.lon, entry.country, entry.kind,
                 precision, entry.admin1)  # fmt: skip


def unknown_place(name: str) -> Place:
    """A place the gazetteer lacks: its name and nothing invented."""
    return Place(f"fw:unknown:{place_slug(name)}", name, kind="unknown")


def rank(mention: PlaceMention, context: PlaceContext) -> list[tuple[float, GazetteerEntry]]:
    """Candidates best first, with their scores."""
    # A loose spelling match is too weak alone: keep it only in a country the article is about.
    total = sum(context.countries.values())
    scored = [
        (prior + _context_score(e, context, listable, total), e)
        for prior, e, q, listable in _priors(mention)
        if q != MATCH_LOOSE or context.countries.get(e.country, 0.0) > 0
    ]
    return sorted(scored, key=lambda se: (-se[0], -se[1].population))


def _rank_priors(mention: PlaceMention) -> list[tuple[float, GazetteerEntry]]:
    """:func:`rank` without context (``rank(mention, PlaceContext())``), from the priors alone:
    an empty context adds nothing to any candidate and keeps no loose spelling."""
    scored = [(prior, e) for prior, e, q, _listable in _priors(mention) if q != MATCH_LOOSE]
    return sorted(scored, key=lambda se: (-se[0], -se[1].population))


def _priors(mention: PlaceMention) -> list[tuple[float, GazetteerEntry, str, bool]]:
    """The mention's candidates with their prior scores and whether they may count as a
    listed division (see :func:`context_score`), computed on first use and kept."""
    if mention._priors is None:
        qualities = mention.quality or [MATCH_NAME] * len(mention.candidates)
        towns = [(e, q) for e, q in zip(mention.candidates, qualities, strict=False) if e.kind in ("city", "site")]
        countries = [e for e in mention.candidates if e.kind == "country"]
        priors = []
        for e, q in zip(mention.candidates, qualities, strict=False):
            # A town makes a bare division name mean the town only when the name is as much
            # its own: "Raqqa" (both called so), "Mecca" (both by an alternate name), but not
            # "Oklahoma" or "New York", the states' own names and alternates of their cities.
            namesake = e.kind in ("admin1", "admin2") and (
                _has_namesake_town(e, [t for t, tq in towns if _QUALITY[tq] >= _QUALITY[q]])
                # A division called like its own country (México, Panamá): the bare name is
                # the country, as much as a town of its name inside makes it the town.
                or (e.kind == "admin1" and any(c.kind == "country" and c.country == e.country for c in countries))
            )
            prior = prior_score(e, q, mention.kind_hint, [], mention.within, namesake)
            if q == MATCH_ALT and _own_name_spelled(mention.name, e):
                prior += ALT_SPELLING_BONUS
            priors.append((prior, e, q, not namesake))
        mention._priors = priors
    return mention._priors


# An alternate name that is the place's own name spelled otherwise (Sloviansk for Slovyansk,
# Kharkov for Kharkiv) says more than one GeoNames gave it for another reason (a former name,
# a neighbour's, a data slip: Nikopol also lists "Slovyansk"): as much as a place twice as large.
ALT_SPELLING_BONUS = 0.15


def _own_name_spelled(name: str, entry: GazetteerEntry) -> bool:
    """Whether ``name`` is ``entry``'s own name in another transliteration: the same consonant
    skeleton (:func:`loose_key`) of a name of the same first letter."""
    key = _loose_key(name)
    return len(key) >= 3 and key == _loose_key(entry.name)


# Names recur across articles (and a candidate's own name with them): each skeleton is made once.
_loose_key = lru_cache(maxsize=50_000)(loose_key)


def resolve(
    mention: PlaceMention, context: PlaceContext | None = None, unknown: bool = False
) -> Place | None:
    """The place the mention most likely means; None (or an unknown Place if asked) when nothing fits."""
    best = _choose(mention, context or PlaceContext())
    if best is None:
        return unknown_place(mention.name) if unknown else None
    return to_place(best)


def _choose(mention: PlaceMention, ctx: PlaceContext) -> GazetteerEntry | None:
    """:func:`rank`'s first, without sorting the rest (ties go to the larger place)."""
    total = sum(ctx.countries.values())
    best: GazetteerEntry | None = None
    best_score = -math.inf
    for prior, e, q, listable in _priors(mention):
        if q == MATCH_LOOSE and ctx.countries.get(e.country, 0.0) <= 0:
            continue
        score = prior + _context_score(e, ctx, listable, total)
        if score > best_score or (score == best_score and best is not None and e.population > best.population):
            best, best_score = e, score
    return best


def _clear(mention: PlaceMention, ranked: list[tuple[float, GazetteerEntry]] | None = None) -> bool:
    """Unambiguous enough to anchor the context: one candidate, or one far larger than the rest.
    ``ranked``: the mention's :func:`rank` without context, when already known."""
    ranked = _rank_priors(mention) if ranked is None else ranked
    if len(ranked) < 2:
        return bool(ranked)
    if mention.within is not None and _inside(ranked[0][1], mention.within):
        return True  # "Paris, Texas"
    (s1, e1), (s2, e2) = ranked[0], ranked[1]
    if _same_area(e1, e2):
        return True  # the city and its own province: either anchors the same area
    return e1.population >= 100_000 and s1 - s2 >= 1.0


def _settled(mention: PlaceMention, ranked: list[tuple[float, GazetteerEntry]] | None = None) -> bool:
    """So much larger than every namesake that no context changes it: a city or division of
    a million people or more, a hundred times larger than the next candidate of another area
    ("Toronto" beside "Ohio" is not the Ohio village)."""
    ranked = _rank_priors(mention) if ranked is None else ranked
    if not ranked or ranked[0][1].population < 1_000_000 or ranked[0][1].kind not in ("city", "admin1"):
        return False
    top = ranked[0][1]
    others = [e for _, e in ranked[1:] if not _same_area(e, top)]
    return all(e.population * 100 <= top.population for e in others)


# A city and a division whose points lie this close are one area for anchoring: the city and
# the province around it (Moscow and Moscow Oblast, whose GeoNames divisions differ).
SAME_AREA_KM = 100.0


def _same_area(a: GazetteerEntry, b: GazetteerEntry) -> bool:
    """Whether two candidates point to one area: the same first-level division, or a city and
    a division of one country whose points lie within :data:`SAME_AREA_KM`."""
    if a.country != b.country:
        return False
    if a.admin1 == b.admin1:
        return True
    kinds = {a.kind, b.kind}
    return "admin1" in kinds and len(kinds) == 2 and distance_km((a.lat, a.lon), (b.lat, b.lon)) < SAME_AREA_KM


def _group_key(mention: PlaceMention) -> tuple[str, str | None]:
    """Mentions that mean one place: the same name, and the same kind where the text says
    one. "the town of X" (or a dateline's "X —") is the bare "X" of the same article;
    "X province" is not."""
    return normalize_name(mention.name), (None if mention.kind_hint == "city" else mention.kind_hint)


def _representative(mentions: list[PlaceMention], members: list[int]) -> int:
    """The member that says most about the group's place: one qualified ("Athens, Ga."),
    else one with its kind written out ("the town of X"), else the first."""
    for test in (lambda m: m.within is not None, lambda m: m.kind_hint is not None):
        for k in members:
            if test(mentions[k]):
                return k
    return members[0]


def _regions(mention: PlaceMention) -> dict[tuple[str, str], float]:
    """The first-level divisions a mention's candidates lie in, each with the share of the
    name's weight it gets. Shares follow the square root of population: "Moscow" votes for
    Russia's capital region, hardly for the Idaho town of that name, so the many small
    American namesakes of the world's cities do not pull an article to the United States."""
    weights: dict[tuple[str, str], float] = {}
    qualities = mention.quality or [MATCH_NAME] * len(mention.candidates)
    for e, q in zip(mention.candidates, qualities, strict=False):
        if e.admin1 and e.kind != "country" and q != MATCH_LOOSE:  # a loose spelling does not vote
            region = (e.country, e.admin1)
            weights[region] = weights.get(region, 0.0) + math.sqrt(e.population + 1)
    total = sum(weights.values())
    return {region: w / total for region, w in weights.items()} if total else {}


# Candidates of two names closer than this are neighbours: a town and the county around it,
# two towns of one county. Scored like the region vote, at the scale of a county.
NEIGHBOUR_KM = 40.0
NEIGHBOUR_WEIGHT = 2.0
_LOCAL_KINDS = frozenset({"city", "site", "admin2"})


def _same_entry(a: GazetteerEntry, b: GazetteerEntry) -> bool:
    return a is b or (a.geonameid is not None and a.geonameid == b.geonameid)


_HALF_BLOCK = ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1))


def _related_names(firsts: list[PlaceMention]) -> set[tuple[int, int]]:
    """Pairs of names (both orders) of which one is the other and more: "Platte" and
    "Platte County", "Madison" and "Madison County". Such names touch wherever they exist,
    since a county and its seat are often named alike, so their touching says nothing about
    where the article is."""
    words = [normalize_name(m.name).split() for m in firsts]
    by_head: dict[str, list[int]] = {}
    for g, w in enumerate(words):
        if w:
            by_head.setdefault(w[0], []).append(g)
    out: set[tuple[int, int]] = set()
    for members in by_head.values():
        for g, h in itertools.combinations(members, 2):
            short, long_ = sorted((words[g], words[h]), key=len)
            if long_[: len(short)] == short:
                out.update(((g, h), (h, g)))
    return out


def _neighbour_votes(firsts: list[PlaceMention], skip: set[int]) -> list[set[int]]:
    """Per name (one mention per name), the ids (``id()``) of its candidates that have a
    candidate of *another* name within :data:`NEIGHBOUR_KM`; names in ``skip`` (nothing
    left to choose) vote but get no votes.

    Every candidate of every name votes, whatever is chosen and however small, so two
    ambiguous names with namesakes side by side find each other in one pass: "Paris" and
    "Henry County" each have a dozen readings, and only in Tennessee do two of them touch.
    (Weighting the votes by population, as the region vote does, would drown the small
    readings that local news is about under the world cities of the same names.)
    Candidates are bucketed on a one-degree grid and each close pair is found once, from a
    cell and the cells around it, with the equirectangular distance of :func:`_nearest_km`.
    """
    out: list[set[int]] = [set() for _ in firsts]
    if len(firsts) < 2:
        return out
    # Per cell: (name, candidate, lat, lon, cos lat), computed once rather than in the pair loop.
    grid: dict[tuple[int, int], list[tuple[int, GazetteerEntry, float, float, float]]] = {}
    for g, m in enumerate(firsts):
        qualities = m.quality or [MATCH_NAME] * len(m.candidates)
        for e, q in zip(m.candidates, qualities, strict=False):
            if e.kind in _LOCAL_KINDS and q != MATCH_LOOSE:  # a loose spelling is too weak to vote
                lat, lon = e.lat, e.lon
                cell = grid.setdefault((math.floor(lat), math.floor(lon)), [])
                cell.append((g, e, lat, lon, math.cos(math.radians(lat))))
    limit = (NEIGHBOUR_KM / _KM_PER_DEGREE) ** 2
    related = _related_names(firsts)
    # Every close pair once: each cell against itself and four of its eight neighbours.
    for (cy, cx), items in grid.items():
        for dy, dx in _HALF_BLOCK:
            same = dy == 0 and dx == 0
            others = items if same else grid.get((cy + dy, cx + dx))
            if others is None:
                continue
            for n, (g, e, lat, lon, k) in enumerate(items):
                for h, o, olat, olon, _ in others[n + 1 :] if same else others:
                    if h == g:
                        continue
                    dlat, dlon = lat - olat, (lon - olon) * k
                    if dlat * dlat + dlon * dlon < limit and not _same_entry(o, e) and (g, h) not in related:
                        out[g].add(id(e))
                        out[h].add(id(o))
    for g in skip:
        out[g].clear()  # they vote, but have nothing left to choose
    return out


def _weight(place: Place | GazetteerEntry) -> float:
    return 2.0 if place.kind in ("country", "admin1") else 1.0


class _Tally:
    """The places an article's names are placed at so far, with ``base`` (what the caller
    knew), kept up to date as choices change: the context of all names but one is this
    less that one's place, instead of every other place added again for every name."""

    def __init__(self, base: PlaceContext) -> None:
        self.base = base
        self.countries: dict[str, float] = dict(base.countries)
        self.admin1_weight: dict[str, float] = dict(base.admin1_weight)
        self.divisions: dict[tuple[str, str], int] = {}  # (country or "", division) → how many names
        self.near: list[tuple[float, float]] = list(base.near)
        self.capitals: dict[str, int] = {c: 1 for c in base.capitals}  # country → how many names

    def add(self, place: Place | GazetteerEntry | None, sign: float = 1.0) -> None:
        """Count ``place`` in (``sign`` 1) or out (-1), as :meth:`PlaceContext.add` would."""
        if place is None or place.lat is None:
            return
        weight = sign * _weight(place)
        if place.country:
            self.countries[place.country] = self.countries.get(place.country, 0.0) + weight
            if place.kind == "admin1" and place.admin1:
                key = (place.country, place.admin1)
                self.divisions[key] = self.divisions.get(key, 0) + int(sign)
            elif place.kind == "country":
                self.divisions[("", place.country)] = self.divisions.get(("", place.country), 0) + int(sign)
        if place.admin1:
            self.admin1_weight[place.admin1] = self.admin1_weight.get(place.admin1, 0.0) + weight
        if isinstance(place, GazetteerEntry) and place.feature == CAPITAL_FEATURE:
            self.capitals[place.country] = self.capitals.get(place.country, 0) + int(sign)
        if place.lon is not None and place.kind in ("city", "site"):
            if sign > 0:
                self.near.append((place.lat, place.lon))
            else:
                self.near.remove((place.lat, place.lon))

    def context_without(self, place: Place | GazetteerEntry | None) -> PlaceContext:
        """The context of every counted place but ``place`` (one count of it)."""
        self.add(place, -1.0)
        try:
            divisions = {k: set(v) for k, v in self.base.divisions.items()}
            for (group, own), n in self.divisions.items():
                if n > 0:
                    divisions.setdefault(group, set()).add(own)
            weights = {a: w for a, w in self.admin1_weight.items() if w > 0}
            return PlaceContext({c: w for c, w in self.countries.items() if w > 0}, self.base.admin1 | weights.keys(),
                                list(self.near), divisions=divisions, admin1_weight=weights,
                                capitals={c for c, n in self.capitals.items() if n > 0})  # fmt: skip
        finally:
            self.add(place)


def resolve_all(
    mentions: list[PlaceMention], context: PlaceContext | None = None, unknown: bool = False
) -> list[Place | None]:
    """Resolve an article's mentions together; each name means one place in one article.

    Mentions of one name form a group, resolved once. Clear groups (one candidate, or one
    far larger than the rest) are placed first; then every group is resolved against the
    places of the *other* groups, twice, so that a later "Virginia" can still turn an
    earlier "Alexandria" to Virginia's. A group never counts as its own context, so
    repeating a name does not entrench its first reading. Last, a small town in a country
    nothing else points to, far from the other places, is left unplaced (:func:`_stray_town`).

    ``context`` may carry what the caller already knows (actors' countries); it is extended
    in place with the places found, so the caller can reuse it.
    """
    base = context if context is not None else PlaceContext()
    groups: dict[tuple[str, str | None], list[int]] = {}
    for k, m in enumerate(mentions):
        groups.setdefault(_group_key(m), []).append(k)
    for members in groups.values():  # the representative first: the group is resolved through it
        if len(members) > 1 and (rep := _representative(mentions, members)) != members[0]:
            members.remove(rep)
            members.insert(0, rep)
    chosen: dict[tuple[str, str | None], GazetteerEntry | None] = {}
    settled: set[tuple[str, str | None]] = set()
    # A name written as another's qualifier is the division that holds it: the "Georgia" of
    # "Atlanta, Georgia" is the state, for every mention of the name.
    qualifiers = {m.within_at: m.within for m in mentions if m.within_at is not None}
    for key, members in groups.items():
        first = mentions[members[0]]
        qualified = next((qualifiers[mentions[k].start] for k in members
                          if mentions[k].start in qualifiers), None) if qualifiers else None  # fmt: skip
        if qualified is not None and any(e is qualified for e in first.candidates):
            chosen[key] = qualified
            settled.add(key)
            continue
        if not first.candidates or MATCH_LOOSE in first.quality:
            continue
        ranked = _rank_priors(first)
        if _clear(first, ranked):
            chosen[key] = _choose(first, base)
            if _settled(first, ranked):
                settled.add(key)

    regions = {key: _regions(mentions[members[0]]) for key, members in groups.items()}
    firsts = [mentions[m[0]] for m in groups.values()]
    fixed = {g for g, (key, m) in enumerate(zip(groups, firsts, strict=True))
             if key in chosen and (len(m.candidates) == 1 or key in settled)}  # fmt: skip
    neighbours = dict(zip(groups, _neighbour_votes(firsts, fixed), strict=True))
    all_regions: dict[tuple[str, str], float] = {}
    for theirs in regions.values():
        for region, share in theirs.items():
            all_regions[region] = all_regions.get(region, 0.0) + share

    tally = _Tally(base)
    for place in chosen.values():
        tally.add(place)

    def context_without(own: tuple[str, str | None]) -> PlaceContext:
        ctx = tally.context_without(chosen.get(own))
        ctx.regions, ctx.own_regions = all_regions, regions[own]  # every name's votes, less its own
        ctx.neighbours = neighbours[own]
        return ctx

    for _round in range(2):
        changed = False
        for key, members in groups.items():
            first = mentions[members[0]]
            if key in chosen and (len(first.candidates) == 1 or key in settled):
                continue  # nothing to choose, or a choice no context can change
            place = _choose(first, context_without(key))
            if place is not (old := chosen.get(key)):
                changed = True
                tally.add(old, -1.0)
                tally.add(place)
            chosen[key] = place
        if not changed:
            break  # the second round only re-reads what the first changed

    for key, members in groups.items():
        entry = chosen.get(key)
        if entry is None or key in settled or not _may_stray(mentions[members[0]], entry):
            continue
        if _stray_town(entry, tally, (e for k, e in chosen.items() if k != key and e is not None)):
            tally.add(entry, -1.0)  # the later strays are judged without it
            chosen[key] = None

    out: list[Place | None] = [None] * len(mentions)
    for key, members in groups.items():
        entry = chosen[key]
        place = to_place(entry) if entry is not None else None
        if place is None and unknown:
            place = unknown_place(mentions[members[0]].name)
        for k in members:
            out[k] = place
        if place is not None and place.lat is not None:
            base.add(place, _weight(place))
    return out


# A town this small, in a country nothing else of the article points to and this far from
# every other place it names, is a namesake of a place the gazetteer lacks or no place at all:
# "Bagram" in an Afghan story is not Bahrām, a village of Iran that GeoNames also calls so;
# "Tawila" beside North Darfur is not the Yemeni village; "Alan" is a man, not Ālān, Iran.
# Better left unplaced than put a thousand km away. A town the text names only by an
# alternate name ("Market" for Marquette, Michigan) is weaker evidence: a larger one strays too.
STRAY_POPULATION = 20_000
STRAY_ALTERNATE_POPULATION = 25_000
STRAY_KM = 1000.0


def _may_stray(mention: PlaceMention, entry: GazetteerEntry) -> bool:
    """The cheap half of :func:`_stray_town`: ``entry``, chosen for ``mention``, is a small
    town (by :data:`STRAY_POPULATION`, or :data:`STRAY_ALTERNATE_POPULATION` when named by an
    alternate name), and the text does not say which state holds it ("Clare, Michigan")."""
    if entry.kind != "city" or entry.population >= STRAY_ALTERNATE_POPULATION or mention.within is not None:
        return False
    if entry.population < STRAY_POPULATION:
        return True
    qualities = mention.quality or [MATCH_NAME] * len(mention.candidates)
    quality = next((q for e, q in zip(mention.candidates, qualities, strict=False) if e is entry), MATCH_NAME)
    return quality != MATCH_NAME


def _stray_town(entry: GazetteerEntry, tally: _Tally, others: Iterable[GazetteerEntry]) -> bool:
    """Whether ``entry``, which :func:`_may_stray` and which ``tally`` counts, lies in a country
    nothing else of the article points to and far from its other places (``others``; without
    them, the capitals of the countries its actors or currency name). A town of unknown
    population (0: common in war zones, "Ras al-Ain") is kept when the article is about its
    country, as every such town is."""
    countries = tally.countries
    if countries.get(entry.country, 0.0) - _weight(entry) > 0:
        return False  # the article is about its country
    if not any(w > 0 for c, w in countries.items() if c != entry.country):
        return False  # nothing else to judge by
    points = [(e.lat, e.lon) for e in others if e.kind != UNION_KIND]
    if not points:
        gaz = get_gazetteer()
        points = [p for c, w in countries.items() if w > 0 and (p := gaz.capital_point(c)) is not None]
    return bool(points) and _nearest_km(entry.lat, entry.lon, points) > STRAY_KM


# How much a currency sign weighs as a country of the article: as much as one actor's country.
CURRENCY_WEIGHT = 0.5


@lru_cache(maxsize=1)
def _currency_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    signs: dict[str, str] = place_words()["currency_signs"]  # type: ignore[assignment]
    alternation = "|".join(map(re.escape, signs))
    return re.compile(r"(?<![^\W\d_])(" + alternation + r")\s?\d"), signs


def text_context(text: str) -> PlaceContext:
    """What a text says of its country before any place is resolved: a price in a currency
    that belongs to one country ("£30", ``currency_signs`` in place_words.toml) adds that
    country to the context, once, so "Richmond" and "Kew" beside a charge in pounds are the
    English ones, not Melbourne's."""
    context = PlaceContext()
    pattern, signs = _currency_pattern()
    if not any(sign in text for sign in signs):
        return context  # most texts: a substring test is far cheaper than the pattern
    for sign in {m.group(1) for m in pattern.finditer(text)}:
        country = signs[sign]
        context.countries[country] = context.countries.get(country, 0.0) + CURRENCY_WEIGHT
    return context


def warm_up(gazetteer: Gazetteer | None = None) -> None:
    """Load what the first text would otherwise load on its way: the gazetteer, the word
    lists (with the census first names) and the patterns built from them, by reading one
    sentence both ways. For timing the resolution of many texts without that one-off cost."""
    gaz = gazetteer or get_gazetteer()
    text = "Shelling hit Idlib and Hama provinces near Raqqa, Syria, said the U.S. envoy."
    resolve_all(find_place_mentions(text, gazetteer=gaz))
    resolve_all([mention_at(text, 13, 18, gaz)])


# --------------------------------------------------------------------------- relations


def offset_point(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` on a sphere."""
    r = km / 6371.0
    phi1, lam1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(math.sin(phi1) * math.cos(r) + math.cos(phi1) * math.sin(r) * math.cos(theta))
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(r) * math.cos(phi1), math.cos(r) - math.sin(phi1) * math.sin(phi2)
    )
    return round(math.degrees(phi2), 5), round((math.degrees(lam2) + 540) % 360 - 180, 5)


def relational_point(mention: PlaceMention, place: Place, partner: Place | None = None) -> Place:
    """Where a relational phrase points, from its resolved reference ``place``.

    "40 km west of Raqqa" → the offset point; "between A and B" (give ``partner``) → the
    midpoint; "near/south of/outskirts of X" → X's own point. geo_precision is 2 and the
    id extends the reference's; a mention without a relation returns ``place`` unchanged.
    """
    if mention.relation is None or place.lat is None or place.lon is None:
        return place
    lat, lon = place.lat, place.lon
    suffix = mention.relation.replace(" ", "-")
    if (
        mention.relation == "between"
        and partner is not None
        and partner.lat is not None
        and partner.lon is not None
    ):
        lat, lon = round((lat + partner.lat) / 2, 5), round((lon + partner.lon) / 2, 5)
        suffix = f"between:{partner.id}"
        name = f"between {place.name} and {partner.name}"
    elif mention.offset_km is not None and mention.bearing is not None:
        lat, lon = offset_point(lat, lon, mention.offset_km, mention.bearing)
        suffix = f"{suffix}:{mention.offset_km:g}km"
        name = f"{mention.offset_km:g} km {mention.relation} {place.name}"
    else:
        name = f"{mention.relation} {place.name}"
    return replace(
        place, id=f"{place.id}@{suffix}", name=name, geonameid=None, lat=lat, lon=lon, geo_precision=2
    )
