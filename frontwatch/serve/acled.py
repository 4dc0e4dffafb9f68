"""ACLED event type and sub-event type of frontwatch events (rules in data/acled_subtypes.toml).

One rule list serves twice: ``classify`` reads an event's JSON, ``sql_sub_event_type`` builds
the same decision as a SQL CASE so that GET /events can filter on it in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class Rule:
    type: str
    event_type: str
    sub_event_type: str
    actor1_kind: str | None = None
    trigger_words: tuple[str, ...] = ()

    def matches(self, type: str, actor1_kind: str | None, trigger: str) -> bool:
        if type != self.type or (self.actor1_kind is not None and actor1_kind != self.actor1_kind):
            return False
        lowered = trigger.casefold()
        return not self.trigger_words or any(w in lowered for w in self.trigger_words)


@cache
def _table() -> tuple[tuple[Rule, ...], dict[str, str]]:
    text = resources.files("frontwatch.data").joinpath("acled_subtypes.toml").read_text("utf-8")
    data = tomllib.loads(text)
    rules = tuple(
        Rule(
            type=r["type"],
            event_type=r["event_type"],
            sub_event_type=r["sub_event_type"],
            actor1_kind=r.get("actor1_kind"),
            trigger_words=tuple(w.casefold() for w in r.get("trigger_words", ())),
        )
        for r in data["rule"]
    )
    return rules, dict(data["fallback"])


def sub_event_types() -> list[str]:
    """Every sub-event type the rules can give, in rule order."""
    rules, fallback = _table()
    return list(dict.fromkeys([r.sub_event_type for r in rules] + [fallback["sub_event_type"]]))


def types_giving(sub_event_type: str) -> set[str] | None:
    """The event types that can be given ``sub_event_type``; None when any type can (the fallback)."""
    rules, fallback = _table()
    if sub_event_type == fallback["sub_event_type"]:
        return None
    return {r.type for r in rules if r.sub_event_type == sub_event_type}


def classify(event: dict[str, Any]) -> dict[str, str]:
    """``{"event_type", "sub_event_type"}`` of an event in the Event.to_json form."""
    event_type, sub_type = _classify(event["type"], (event.get("actor1") or {}).get("kind"), event.get("trigger") or "")
    return {"event_type": event_type, "sub_event_type": sub_type}


@lru_cache(maxsize=4096)  # a page of events repeats the same few combinations
def _classify(type: str, actor1_kind: str | None, trigger: str) -> tuple[str, str]:
    rules, fallback = _table()
    for rule in rules:
        if rule.matches(type, actor1_kind, trigger):
            return rule.event_type, rule.sub_event_type
    return fallback["event_type"], fallback["sub_event_type"]


def sql_sub_event_type(type_col: Any, actor1_kind_col: Any, trigger_col: Any) -> ColumnElement[str]:
    """The sub-event type as a SQL expression over the event type, actor1's kind and the trigger."""
    rules, fallback = _table()
    whens = []
    for rule in rules:
        conditions: list[ColumnElement[bool]] = [type_col == rule.type]
        if rule.actor1_kind is not None:
            conditions.append(actor1_kind_col == rule.actor1_kind)
        if rule.trigger_words:
            lowered = func.lower(func.coalesce(trigger_col, ""))
            conditions.append(or_(*(lowered.contains(w, autoescape=True) for w in rule.trigger_words)))
        whens.append((and_(*conditions), rule.sub_event_type))
    return case(*whens, else_=fallback["sub_event_type"])
