"""Code every event to ACLED (event type, sub-event type), PLOVER (event type, mode) and CAMEO.

The tables are data (data/codes/frontwatch_types.toml, data/codes/acled.toml). A frontwatch type gives
its ACLED sub-event type directly, lets the snippet classifier choose among a few with the evidence
sentence (an "attack" is an air strike, shelling, an IED, ... by its words), or, for territory
changes, goes through the ACLED territory rules (TERRITORY_RULES below, first match wins). PLOVER and
CAMEO codes follow the ACLED sub-event type unless the frontwatch type overrides them.

The codes are a pure function of the event. The store keeps them in five columns of the events table,
filled when an event is saved (store/repository.py), so that the API can filter on them with an index;
a row saved before the columns existed gets them computed again when it is loaded (store/rows.py).
This module is the one ACLED, PLOVER and CAMEO mapping: the API and the exports read its codes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from frontwatch.extract.classify import GOVERNMENT_REGAINS, NON_STATE_OVERTAKES, acled_types, by_name, classify
from frontwatch.schema import Event

UNCODED_STATUSES = frozenset({"planned", "negated"})  # ACLED, PLOVER and CAMEO code what happened
NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"


@dataclass(frozen=True)
class Codes:
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    plover_type: str | None = None
    plover_mode: str | None = None
    cameo: str | None = None


@dataclass(frozen=True)
class Tables:
    types: dict[str, dict[str, Any]]
    statements: list[tuple[re.Pattern[str], dict[str, Any]]]
    handover_trigger: re.Pattern[str]
    no_fighting: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def tables() -> Tables:
    text = resources.files("frontwatch.data").joinpath("codes/frontwatch_types.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    territory = raw["territory"]
    return Tables(
        types=raw["type"],
        statements=[(re.compile(s["trigger"], re.IGNORECASE), s) for s in raw.get("statement", [])],
        handover_trigger=re.compile(territory["handover_trigger"], re.IGNORECASE),
        no_fighting=[re.compile(p, re.IGNORECASE) for p in territory["no_fighting"]],
    )


# --- ACLED territory rules (ACLED Codebook 2023, "Battles" and "Strategic developments") -----------


def _without_fighting(event: Event) -> bool:
    """The place changed hands by handover, agreement or the other side leaving, not by fighting."""
    t = tables()
    if t.handover_trigger.search(event.trigger):
        return True
    return any(p.search(event.evidence.sentence) for p in t.no_fighting)


def _home_state_forces(event: Event) -> bool:
    """The taker is the state forces of the country the place is in (or of an unknown country).

    A foreign state's forces taking a place count, in ACLED, as an actor overtaking territory.
    """
    actor = event.actor1
    if actor is None or actor.kind != "state_forces":
        return False
    place_country = event.place.country if event.place else None
    return place_country is None or actor.country is None or place_country == actor.country


def _anyone_else(event: Event) -> bool:
    return event.actor1 is not None


TERRITORY_RULES: tuple[tuple[Callable[[Event], bool], str], ...] = (
    (_without_fighting, NON_VIOLENT_TRANSFER),
    (_home_state_forces, GOVERNMENT_REGAINS),
    (_anyone_else, NON_STATE_OVERTAKES),
)


def territory_sub_event_type(event: Event) -> str:
    """The ACLED sub-event type of a territory change; with no known taker, the sentence's words decide."""
    for applies, sub_event_type in TERRITORY_RULES:
        if applies(event):
            return sub_event_type
    among = frozenset({GOVERNMENT_REGAINS, NON_STATE_OVERTAKES, NON_VIOLENT_TRANSFER})
    return classify(event.evidence.sentence, among=among).sub_event_type or NON_STATE_OVERTAKES


# --- coding ------------------------------------------------------------------------------------------


def _sub_event_type(event: Event, entry: dict[str, Any]) -> str | None:
    if entry.get("territory"):
        return territory_sub_event_type(event)
    if event.place is None and "acled_no_place" in entry:
        return entry["acled_no_place"]
    if "among" in entry:
        chosen = classify(event.evidence.sentence, among=frozenset(entry["among"])).sub_event_type
        return chosen or entry.get("acled")
    return entry.get("acled")


def codes_for(event: Event) -> Codes:
    """The ACLED, PLOVER and CAMEO codes of one event (all None when it is not a codable event)."""
    entry = tables().types.get(event.type)
    if entry is None or entry.get("none") or event.status in UNCODED_STATUSES:
        return Codes()
    name = _sub_event_type(event, entry)
    label = by_name().get(name) if name else None
    codes = {
        "acled_event_type": label.event_type if label else None,
        "acled_sub_event_type": label.name if label else None,
        "plover_type": label.plover if label else None,
        "plover_mode": label.plover_mode if label else None,
        "cameo": label.cameo if label else None,
    }
    overrides = {k: entry[k] for k in ("plover", "plover_mode", "cameo") if k in entry}
    if event.type == "statement":
        overrides |= _statement_codes(event)
    if "plover" in overrides:
        codes["plover_type"] = overrides["plover"]
        codes["plover_mode"] = overrides.get("plover_mode")
    if "cameo" in overrides:
        codes["cameo"] = overrides["cameo"]
    return Codes(**codes)


def _statement_codes(event: Event) -> dict[str, Any]:
    for pattern, entry in tables().statements:
        if pattern.search(event.trigger):
            return {k: entry[k] for k in ("plover", "plover_mode", "cameo") if k in entry}
    return {}


def code_event(event: Event) -> Event:
    """The event with its ACLED, PLOVER and CAMEO fields filled."""
    c = codes_for(event)
    return replace(
        event,
        acled_event_type=c.acled_event_type,
        acled_sub_event_type=c.acled_sub_event_type,
        plover_type=c.plover_type,
        plover_mode=c.plover_mode,
        cameo=c.cameo,
    )


# --- the ACLED code lists, for the API and the exports -----------------------------------------------


def acled_sub_event_types() -> list[str]:
    """The 25 ACLED sub-event types (data/codes/acled.toml), in the file's order."""
    return [t.name for t in acled_types()]


@lru_cache(maxsize=1)
def _disorder_types() -> dict[str, str]:
    text = resources.files("frontwatch.data").joinpath("codes/acled.toml").read_text("utf-8")
    return dict(tomllib.loads(text)["disorder"])


def disorder_type(acled_event_type: str | None) -> str | None:
    """ACLED's disorder type of an ACLED event type ("Battles" → "Political violence"); None for none."""
    return _disorder_types().get(acled_event_type) if acled_event_type else None
