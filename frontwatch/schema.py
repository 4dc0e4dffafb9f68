"""The typed records that flow through frontwatch: ingest → nlp → extract → resolve → store → query.

Every stage speaks in these objects; their ``to_json`` methods are the public output
contract of the CLI (see README, "Output contract"). Extend them, never rename keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["day", "week", "month", "year", "range", "unknown"]
EventType = Literal[
    "territory_change",
    "battle",
    "siege",
    "offensive_start",
    "withdrawal",
    "agreement",
    "statement",
    "force_estimate",
    "attack",
    "other",
]
Status = Literal["confirmed", "claimed", "disputed", "planned", "negated"]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days with the precision the text gave it.

    ``basis`` says where the range came from: ``text`` (a time expression),
    ``publication`` (no expression; the article's own date stands in, low precision)
    or ``none`` (nothing known: start and end are None, precision ``unknown``).
    """

    start: dt.date | None
    end: dt.date | None
    precision: Precision
    basis: Literal["text", "publication", "none"] = "text"
    timex: str | None = None  # TimeML-style value: 2017-11-03, 2017-07, 2017-W45, 2014

    @classmethod
    def day(cls, d: dt.date, basis: Literal["text", "publication"] = "text") -> DateRange:
        return cls(d, d, "day", basis, d.isoformat())

    @classmethod
    def unknown(cls) -> DateRange:
        return cls(None, None, "unknown", "none", None)

    @property
    def known(self) -> bool:
        return self.start is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DateRange:
        return cls(
            dt.date.fromisoformat(data["start"]) if data.get("start") else None,
            dt.date.fromisoformat(data["end"]) if data.get("end") else None,
            data.get("precision", "unknown"),
            data.get("basis", "text"),
            data.get("timex"),
        )


@dataclass(frozen=True)
class Evidence:
    """Where a fact is written: the document, the sentence, and character offsets into the document text."""

    document: str
    sentence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "sentence": self.sentence, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(data["document"], data["sentence"], int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class Actor:
    """An armed or political actor. ``kind`` follows ACLED's actor types (state_forces, rebel_group, ...)."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-3
    kind: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Actor:
        return cls(
            data["id"],
            data["name"],
            tuple(data.get("aliases") or ()),
            data.get("country"),
            data.get("kind", "unknown"),
        )


@dataclass(frozen=True)
class Place:
    """A place resolved (or not) to a gazetteer entry.

    ``kind``: city, admin1 (province/region), admin2, country, continent, union (of states: the
    European Union), site (crossing, dam, base), unknown.
    ``geo_precision`` follows ACLED: 1 the town itself, 2 near a town or part of a region, 3 a larger region.
    Unknown places keep their name and have no coordinates: coordinates are never invented.
    """

    id: str
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    kind: str = "unknown"
    geo_precision: int = 1
    admin1: str | None = None  # name of the first-level division that holds it, when known

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "geonameid": self.geonameid,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "kind": self.kind,
            "geo_precision": self.geo_precision,
            "admin1": self.admin1,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Place:
        return cls(
            data["id"],
            data["name"],
            data.get("geonameid"),
            data.get("lat"),
            data.get("lon"),
            data.get("country"),
            data.get("kind", "unknown"),
            data.get("geo_precision", 1),
            data.get("admin1"),
        )


@dataclass(frozen=True)
class Quantity:
    kind: Literal["fighters", "fatalities", "percent_territory", "surrendered", "area_km2", "people"]
    min: float
    max: float

    def to_json(self) -> dict[str, Any]:
        def num(x: float) -> float | int:
            return int(x) if float(x).is_integer() else x

        return {"kind": self.kind, "min": num(self.min), "max": num(self.max)}


@dataclass
class Event:
    id: str
    type: str
    actor1: Actor | None
    actor2: Actor | None
    place: Place | None
    date: DateRange
    status: str
    evidence: Evidence
    confidence: float
    actor1_associates: list[Actor] = field(default_factory=list)
    quantity: Quantity | None = None
    source: Actor | None = None  # who the article attributes the claim or figure to
    trigger: str = ""  # the words that made it an event, for people reading the output
    acled_event_type: str | None = None  # ACLED codebook event type, e.g. "Battles"
    acled_sub_event_type: str | None = None  # e.g. "Government regains territory"
    plover_type: str | None = None  # PLOVER event type, e.g. "SEIZE"
    plover_mode: str | None = None
    cameo: str | None = None  # CAMEO event code, e.g. "1951"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actor1": self.actor1.to_json() if self.actor1 else None,
            "actor1_associates": [a.to_json() for a in self.actor1_associates],
            "actor2": self.actor2.to_json() if self.actor2 else None,
            "place": self.place.to_json() if self.place else None,
            "date": self.date.to_json(),
            "status": self.status,
            "quantity": self.quantity.to_json() if self.quantity else None,
            "source": self.source.to_json() if self.source else None,
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
            "trigger": self.trigger,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "plover_type": self.plover_type,
            "plover_mode": self.plover_mode,
            "cameo": self.cameo,
        }


@dataclass
class ControlChange:
    """``controller`` took ``place`` from ``previous`` (None when the text does not say) within ``date``."""

    id: str
    place: Place
    controller: Actor
    previous: Actor | None
    date: DateRange
    status: str
    evidence: Evidence
    confidence: float
    event_id: str | None = None
    previous_inferred: bool = False  # previous holder taken from the article's context, not the sentence

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "place": self.place.to_json(),
            "controller": self.controller.to_json(),
            "previous": self.previous.to_json() if self.previous else None,
            "previous_inferred": self.previous_inferred,
            "date": self.date.to_json(),
            "status": self.status,
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
            "event_id": self.event_id,
        }


@dataclass
class Hold:
    """The text says ``controller`` holds ``place`` on ``at`` without reporting a change."""

    id: str
    place: Place
    controller: Actor
    at: DateRange
    evidence: Evidence
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "place": self.place.to_json(),
            "controller": self.controller.to_json(),
            "at": self.at.to_json(),
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Relation:
    """``supports``: actor1 backs actor2. ``allied``: they fight side by side. ``fights``: they are at
    war with each other (declared hostility, dated or not; dated attacks are events)."""

    id: str
    type: Literal["supports", "allied", "fights"]
    actor1: Actor
    actor2: Actor
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actor1": self.actor1.to_json(),
            "actor2": self.actor2.to_json(),
            "evidence": self.evidence.to_json(),
        }


@dataclass
class Article:
    """One article as read from any input: text plus what is known about it.

    ``published_basis`` says where the publication date came from: record, metadata,
    cli, inferred, or None when no date is known (then relative dates stay unresolved).
    """

    text: str
    title: str = ""
    published: dt.date | None = None
    published_basis: str | None = None
    url: str | None = None
    site: str | None = None
    external_id: str | None = None  # the id the input gave it, e.g. the JSONL "id"
    origin: str = ""  # file path (and line) it came from, for messages

    @property
    def id(self) -> str:
        """Content hash: the same article twice is the same document."""
        import hashlib

        body = (self.title.strip() + "\n" + self.text.strip()).encode("utf-8")
        return "doc-" + hashlib.sha256(body).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_basis": self.published_basis,
            "url": self.url,
            "site": self.site,
        }


@dataclass
class Reading:
    """Everything frontwatch read in one article."""

    article: Article
    events: list[Event] = field(default_factory=list)
    control: list[ControlChange] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.article.to_json(),
            "events": [e.to_json() for e in self.events],
            "control": [c.to_json() for c in self.control],
            "holds": [h.to_json() for h in self.holds],
            "relations": [r.to_json() for r in self.relations],
            "warnings": list(self.warnings),
        }
