"""The actor knowledge base: states, armed groups, coalitions, and the words around them.

Everything is read from three data files in ``frontwatch/data`` (states.toml, actors.toml,
actor_words.toml) so that adding a group or an alias never needs a code change. The KB keeps
every alias for matching but puts only a canonical handful on each ``Actor`` to keep output small.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from unidecode import unidecode

from frontwatch.schema import Actor

MAX_ACTOR_ALIASES = 12

# How a surface form names its actor; the matcher turns these into ActorMention.form values.
SurfaceKind = str  # "name" | "alias" | "country" | "capital" | "metonym" | "unit"

# Patterns for the state actor's canonical aliases ("Iraqi forces", ...).
_STATE_ALIAS_NOUNS = (
    "forces",
    "army",
    "troops",
    "military",
    "government",
    "government forces",
    "security forces",
    "armed forces",
)


@dataclass(frozen=True)
class Surface:
    """One way of writing an actor's name, as the matcher sees it."""

    text: str
    actor_id: str
    kind: SurfaceKind


@dataclass(frozen=True)
class Affiliation:
    actor: str
    type: str
    start: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class AliasDate:
    alias: str
    start: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class ActorWords:
    """The generic vocabulary of actor_words.toml, lowercased where matching is case-insensitive."""

    force_nouns: tuple[str, ...]
    force_qualifiers: frozenset[str]
    nonstate_nouns: tuple[str, ...]
    people_adjectives: tuple[str, ...]
    generic_nonstate: tuple[str, ...]
    generic_state: tuple[str, ...]
    acting_verbs: frozenset[str]
    acting_skips: frozenset[str]
    recipient_verbs: frozenset[str]
    locative_prepositions: frozenset[str]
    place_nouns: frozenset[str]
    backer_words: frozenset[str]
    organisation_heads: frozenset[str]
    other_heads: frozenset[str]
    loose_backer_words: frozenset[str] = frozenset()
    backer_relations: dict[str, str] = field(default_factory=dict)  # "backed" -> "supports"
    opponent_prepositions: frozenset[str] = frozenset()
    generic_coalition: tuple[str, ...] = ()
    leading_heads: frozenset[str] = frozenset()
    military_heads: frozenset[str] = frozenset()
    unit_prefixes: frozenset[str] = frozenset()
    coalition_against: dict[str, str] = field(default_factory=dict)  # enemy id -> coalition id
    leader_titles: frozenset[str] = frozenset()  # "loyal to [renegade commander] Khalifa Haftar"

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> ActorWords:
        def low(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in data[key])

        return cls(
            force_nouns=tuple(data["force_nouns"]),
            force_qualifiers=low("force_qualifiers"),
            nonstate_nouns=tuple(data["nonstate_nouns"]),
            people_adjectives=tuple(data["people_adjectives"]),
            generic_nonstate=tuple(data["generic"]["nonstate"]),
            generic_state=tuple(data["generic"]["state"]),
            acting_verbs=low("acting_verbs"),
            acting_skips=low("acting_skips"),
            recipient_verbs=low("recipient_verbs"),
            locative_prepositions=low("locative_prepositions"),
            place_nouns=low("place_nouns"),
            backer_words=low("backer_words"),
            organisation_heads=frozenset(data["organisation_heads"]),
            other_heads=frozenset(data["other_heads"]),
            loose_backer_words=low("loose_backer_words"),
            backer_relations={k.lower(): v for k, v in data.get("backer_relations", {}).items()},
            opponent_prepositions=low("opponent_prepositions"),
            generic_coalition=tuple(data["generic"].get("coalition", ())),
            leading_heads=frozenset(data.get("leading_heads", ())),
            military_heads=frozenset(data.get("military_heads", ())),
            unit_prefixes=frozenset(data.get("unit_prefixes", ())),
            coalition_against=dict(data.get("coreference", {}).get("coalition_against", {})),
            leader_titles=frozenset(w.lower() for w in data.get("leader_titles", ())),
        )


@dataclass
class _Record:
    """What the KB knows about one actor beyond the public ``Actor``."""

    actor: Actor
    parent: str | None = None
    wikidata: str | None = None
    affiliations: tuple[Affiliation, ...] = ()
    alias_dates: tuple[AliasDate, ...] = ()


@dataclass
class ActorKB:
    """Lookup of known actors plus the surface forms and words the mention matcher needs."""

    records: dict[str, _Record]
    surfaces: list[Surface]
    demonyms: dict[str, str]  # "Iraqi" -> "IRQ"
    words: ActorWords
    # Leaders' names, matched only where they stand for their forces ("forces loyal to Haftar",
    # "Hemedti's fighters"); a leader alone ("Haftar said") is a person, not the group.
    leaders: list[Surface] = field(default_factory=list)
    _unknown: dict[str, Actor] = field(default_factory=dict)
    _country_names: dict[str, str] | None = None

    @classmethod
    def load(cls) -> ActorKB:
        data_dir = resources.files("frontwatch") / "data"
        states = tomllib.loads((data_dir / "states.toml").read_text(encoding="utf-8"))
        groups = tomllib.loads((data_dir / "actors.toml").read_text(encoding="utf-8"))["actor"]
        words = ActorWords.from_toml(
            tomllib.loads((data_dir / "actor_words.toml").read_text(encoding="utf-8"))
        )

        records: dict[str, _Record] = {}
        surfaces: list[Surface] = []
        leaders: list[Surface] = []
        demonyms: dict[str, str] = {}
        for iso3, entry in states.items():
            if not entry.get("sovereign", True):
                continue
            record, state_surfaces = _state_record(iso3, entry)
            records[record.actor.id] = record
            surfaces.extend(state_surfaces)
            leaders += [Surface(name, record.actor.id, "leader") for name in entry.get("leaders", ())]
            for demonym in entry.get("demonyms", ()):
                demonyms.setdefault(demonym, iso3)
        for entry in groups:
            record = _group_record(entry)
            records[record.actor.id] = record
            for alias in dict.fromkeys([entry["name"], *entry.get("aliases", ())]):
                kind = "name" if alias == entry["name"] else "alias"
                surfaces.append(Surface(alias, record.actor.id, kind))
            leaders += [Surface(name, record.actor.id, "leader") for name in entry.get("leaders", ())]
        return cls(records, surfaces, demonyms, words, leaders)

    def get(self, actor_id: str) -> Actor | None:
        record = self.records.get(actor_id)
        if record is not None:
            return record.actor
        return self._unknown.get(actor_id)

    def state(self, iso3: str) -> Actor | None:
        return self.get(f"state:{iso3.upper()}")

    def parent(self, actor_id: str) -> Actor | None:
        record = self.records.get(actor_id)
        if record is None or record.parent is None:
            return None
        return self.get(record.parent)

    def country_named(self, name: str) -> str | None:
        """ISO alpha-3 of the country a name means in news ("Congo" → COD), or None."""
        if self._country_names is None:
            self._country_names = {
                s.text.casefold(): s.actor_id.removeprefix("state:")
                for s in self.surfaces
                if s.kind == "country" and s.actor_id.startswith("state:")
            }
        return self._country_names.get(name.casefold())

    def lineage(self, actor_id: str) -> list[str]:
        """The actor's id and its parents' ids, nearest first ("iswap" → "islamic-state")."""
        chain = [actor_id]
        while (parent := self.parent(chain[-1])) is not None and parent.id not in chain:
            chain.append(parent.id)
        return chain

    def affiliations(self, actor_id: str) -> tuple[Affiliation, ...]:
        record = self.records.get(actor_id)
        return record.affiliations if record else ()

    def alias_dates(self, actor_id: str) -> tuple[AliasDate, ...]:
        record = self.records.get(actor_id)
        return record.alias_dates if record else ()

    def name_on(self, actor_id: str, day: dt.date) -> str | None:
        """The name the group went by on ``day`` ("Jabhat al-Nusra" in 2014, "Hayat Tahrir al-Sham" in
        2018), from its dated aliases; None when the base has no dated name covering that day."""
        return next((d.alias for d in self.alias_dates(actor_id) if _holds(d.start, d.until, day)), None)

    def affiliations_on(self, actor_id: str, day: dt.date) -> tuple[Affiliation, ...]:
        """The affiliations that held on ``day`` (undated ones always hold)."""
        return tuple(a for a in self.affiliations(actor_id) if _holds(a.start, a.until, day))

    def wikidata(self, actor_id: str) -> str | None:
        record = self.records.get(actor_id)
        return record.wikidata if record else None

    def all(self) -> list[Actor]:
        return [r.actor for r in self.records.values()]

    def unknown(self, name: str, kind: str = "unknown") -> Actor:
        """An actor the base does not know, kept under its name with an id stable across mentions."""
        slug = unknown_slug(name)
        actor_id = f"unk:{slug}"
        found = self._unknown.get(actor_id)
        if found is None:
            found = Actor(actor_id, _strip_the(name.strip()), (), None, kind)
            self._unknown[actor_id] = found
        return found


def unknown_slug(name: str) -> str:
    """``"The Joint Operations Command"`` and ``"joint operations command"`` give the same slug."""
    text = _strip_the(unidecode(name).lower().replace("'s ", "s ").strip())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"


def _strip_the(name: str) -> str:
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _state_record(iso3: str, entry: dict[str, Any]) -> tuple[_Record, list[Surface]]:
    actor_id = f"state:{iso3}"
    name: str = entry["name"]
    demonyms: list[str] = entry.get("demonyms", [])
    capitals: list[str] = entry.get("capitals", [])
    units: list[str] = entry.get("units", [])
    aliases = [name]
    if demonyms:
        aliases += [f"{demonyms[0]} {noun}" for noun in _STATE_ALIAS_NOUNS]
    aliases += capitals[:1]
    aliases += [u for u in units if u not in aliases][: max(0, MAX_ACTOR_ALIASES - len(aliases))]
    actor = Actor(actor_id, name, tuple(aliases[:MAX_ACTOR_ALIASES]), iso3, "state_forces")

    surfaces = [Surface(n, actor_id, "country") for n in dict.fromkeys([name, *entry.get("names", ())])]
    surfaces += [Surface(c, actor_id, "capital") for c in capitals]
    surfaces += [Surface(m, actor_id, "metonym") for m in entry.get("metonyms", ())]
    surfaces += [Surface(u, actor_id, "unit") for u in units]
    return _Record(actor), surfaces


def _group_record(entry: dict[str, Any]) -> _Record:
    aliases: list[str] = list(entry.get("aliases", ()))
    labels: list[str] = list(entry.get("labels", ()))
    # Labels are the display names gold sets and readers expect; keep them even when trimming.
    shown = [a for a in aliases if a != entry["name"]][: MAX_ACTOR_ALIASES - len(labels)] + labels
    actor = Actor(entry["id"], entry["name"], tuple(shown), entry.get("country"), entry["kind"])
    return _Record(
        actor,
        parent=entry.get("parent"),
        wikidata=entry.get("wikidata"),
        affiliations=tuple(
            Affiliation(a["actor"], a["type"], _iso(a.get("from")), _iso(a.get("until")))
            for a in entry.get("affiliations", ())
        ),
        alias_dates=tuple(
            AliasDate(a["alias"], _iso(a.get("from")), _iso(a.get("until")))
            for a in entry.get("alias_dates", ())
        ),
    )


def _holds(start: str | None, until: str | None, day: dt.date) -> bool:
    """``start <= day < until`` for ISO dates that may be partial ("2016", "2016-07"): a partial
    date stands for its first day, so "until 2004-10" and "from 2004-10" hand over on 1 October."""
    return (start is None or _first_day(start) <= day) and (until is None or day < _first_day(until))


def _first_day(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _iso(value: object) -> str | None:
    # TOML may hand back a date object for full dates; partial dates stay strings ("2017-01").
    return None if value is None else str(value)


@cache
def get_actor_kb() -> ActorKB:
    """The shared default KB, read once per process."""
    return ActorKB.load()
