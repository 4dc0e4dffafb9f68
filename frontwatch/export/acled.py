"""Events as rows in ACLED's column layout (data/acled.toml), followed by frontwatch's own columns.

What frontwatch does not know stays empty (region, admin2, admin3, source_scale, civilian_targeting,
timestamp). event_type, sub_event_type and disorder_type are the event's own codes (extract/codes.py,
the one mapping: stored with the event, or computed for an event that carries none). ``event_date`` is the
middle of the event's date range and ``time_precision`` says how wide the range is.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from importlib import resources
from typing import Any

import pycountry

from frontwatch.extract.codes import code_event, disorder_type
from frontwatch.schema import Actor, Event
from frontwatch.store.repository import Source

# frontwatch's columns after ACLED's: what a reader needs to trace a row back to its evidence.
FW_COLUMNS = [
    "fw_event_id", "fw_document", "fw_type", "fw_status", "fw_confidence", "fw_date_start", "fw_date_end",
    "fw_date_precision", "fw_evidence_start", "fw_evidence_end", "fw_claim_source", "fw_url",
    "fw_plover_type", "fw_plover_mode", "fw_cameo",
]


@functools.cache
def _layout() -> dict[str, Any]:
    return tomllib.loads(resources.files("frontwatch.data").joinpath("acled.toml").read_text("utf-8"))


def acled_columns() -> list[str]:
    return list(_layout()["columns"])


def columns() -> list[str]:
    """Every column of an export row: ACLED's, then frontwatch's."""
    return acled_columns() + FW_COLUMNS


def event_row(event: Event, source: Source) -> dict[str, Any]:
    """One export row (keys: ``columns()``); numbers stay numbers, unknowns are None."""
    if not any((event.acled_event_type, event.acled_sub_event_type, event.plover_type, event.cameo)):
        event = code_event(event)  # an event built by hand, not read from the store or the reader
    place = event.place
    country = _country(place.country if place else None)
    day = _middle(event)
    inter1, inter2 = _inter(event.actor1), _inter(event.actor2)
    fatalities = event.quantity.min if event.quantity and event.quantity.kind == "fatalities" else 0
    row: dict[str, Any] = {
        "event_id_cnty": event.id,  # unique in the store: the document id is part of it
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": _time_precision(event),
        "disorder_type": disorder_type(event.acled_event_type),
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "assoc_actor_1": "; ".join(a.name for a in event.actor1_associates) or None,
        "inter1": inter1,
        "actor2": event.actor2.name if event.actor2 else None,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": f"{inter1}-{inter2}" if inter1 and inter2 else (inter1 and f"{inter1} only"),
        "civilian_targeting": None,
        "iso": int(country.numeric) if country else None,
        "region": None,
        "country": _country_name(country) if country else None,
        "admin1": place.admin1 if place else None,
        "admin2": None,
        "admin3": None,
        "location": place.name if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.geo_precision if place else None,
        "source": source.site or source.title or source.external_id or source.id,
        "source_scale": None,
        "notes": event.evidence.sentence,
        "fatalities": int(fatalities),
        "tags": f"frontwatch status={event.status}",
        "timestamp": None,
        "fw_event_id": event.id,
        "fw_document": event.evidence.document,
        "fw_type": event.type,
        "fw_status": event.status,
        "fw_confidence": round(event.confidence, 3),
        "fw_date_start": event.date.start.isoformat() if event.date.start else None,
        "fw_date_end": event.date.end.isoformat() if event.date.end else None,
        "fw_date_precision": event.date.precision,
        "fw_evidence_start": event.evidence.start,
        "fw_evidence_end": event.evidence.end,
        "fw_claim_source": event.source.name if event.source else None,
        "fw_url": source.url,
        "fw_plover_type": event.plover_type,
        "fw_plover_mode": event.plover_mode,
        "fw_cameo": event.cameo,
    }
    return row


def _middle(event: Event) -> dt.date | None:
    start, end = event.date.start, event.date.end
    if start is None:
        return None
    if end is None or end <= start:
        return start
    return start + (end - start) / 2


def _time_precision(event: Event) -> int | None:
    d = event.date
    if d.start is None:
        return None
    if d.precision in _layout()["time_precision"]:
        return int(_layout()["time_precision"][d.precision])
    days = ((d.end or d.start) - d.start).days
    return 1 if days == 0 else 2 if days <= 7 else 3


def _inter(actor: Actor | None) -> str | None:
    return _layout()["inter"].get(actor.kind) if actor is not None else None


def _country(alpha3: str | None) -> Any:
    if not alpha3:
        return None
    return pycountry.countries.get(alpha_3=alpha3)


def _country_name(country: Any) -> str:
    """ACLED's name for a country: its own spelling where it differs, else pycountry's common name or name."""
    overrides = _layout()["country_names"]
    return str(overrides.get(country.alpha_3) or getattr(country, "common_name", None) or country.name)
