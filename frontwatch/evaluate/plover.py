"""PLOVER coding measured on the PLOVER gold-standard records (``evaluate plover``).

The file is a JSON list of PLOVER 0.5b1 records (``text``, ``event``, ``mode``, ``source`` and
``target`` lists of ``{actorText, code}``); records whose ``event`` is ``DOCUMENT`` are file headers
and are skipped. For each sentence:

- the PLOVER event type comes from the PLOVER cue rules (data/codes/plover.toml), else from the
  codes of the first event frontwatch reads in it; ``event_accuracy`` counts equal types;
- the actor and recipient are frontwatch's: actor1 / actor2 of the first event read in the sentence
  with an actor (the next other actor named when the event has no actor2), else the first two
  different actors the sentence names. An actor matches a gold one when its
  name, an alias or the words that named it share a word with the gold ``actorText``, or when its
  country equals the gold code. ``actor_match`` is over records with a gold source,
  ``recipient_match`` over records with a gold target.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from frontwatch.extract.classify import classify_plover
from frontwatch.schema import Actor, Article

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
_STOP = frozenset({"the", "and", "for", "of", "forces", "government", "officials", "official", "group", "army"})


class PloverBenchError(Exception):
    """The records cannot be read: the message names the file and the problem."""


def read_records(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PloverBenchError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise PloverBenchError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, list):
        raise PloverBenchError(f"{path}: expected a JSON list of PLOVER records")
    records = [r for r in data if isinstance(r, dict) and r.get("event") != "DOCUMENT"]
    for n, r in enumerate(records, start=1):
        if not isinstance(r.get("text"), str) or not isinstance(r.get("event"), str):
            raise PloverBenchError(f"{path}: record {n} ({r.get('id', '?')}) has no text or event")
    if not records:
        raise PloverBenchError(f"{path}: no PLOVER records (only DOCUMENT headers, or empty)")
    return records


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def actor_matches(actor: Actor, surface: str, gold: list[dict[str, Any]]) -> bool:
    names = [actor.name, *actor.aliases, surface]
    ours = set().union(*(_words(n) for n in names))
    for g in gold:
        text = str(g.get("actorText") or "")
        if ours & _words(text) or any(n and n.lower() in text.lower() for n in names):
            return True
        if actor.country and actor.country == str(g.get("code") or "")[:3]:
            return True
    return False


def _actors(text: str) -> tuple[tuple[Actor, str] | None, tuple[Actor, str] | None, str | None]:
    """frontwatch's actor and recipient in one sentence, and the PLOVER type of its first coded event."""
    from frontwatch.extract.context import build_context
    from frontwatch.extract.reader import read_article

    article = Article(text=text)
    reading = read_article(article)
    plover = next((e.plover_type for e in reading.events if e.plover_type), None)
    named: list[tuple[Actor, str]] = []
    for ref in build_context(article).actors_in(0, len(text)):
        if all(ref.actor.id != a.id for a, _ in named):
            named.append((ref.actor, ref.text))
    event = next((e for e in reading.events if e.actor1 is not None), None)
    if event is None or event.actor1 is None:
        return (named[0] if named else None), (named[1] if len(named) > 1 else None), plover
    others = [(a, t) for a, t in named if a.id != event.actor1.id]
    target = (event.actor2, "") if event.actor2 is not None else (others[0] if others else None)
    return (event.actor1, ""), target, plover


def evaluate_plover(path: Path) -> dict[str, Any]:
    records = read_records(path)
    started = time.perf_counter()
    correct = 0
    confusion: dict[str, Counter[str]] = {}
    actor_gold = actor_hit = recipient_gold = recipient_hit = 0
    for r in records:
        source, target, event_plover = _actors(r["text"])
        predicted = classify_plover(r["text"]).sub_event_type or event_plover
        correct += predicted == r["event"]
        confusion.setdefault(r["event"], Counter())[predicted or "(none)"] += 1
        if r.get("source"):
            actor_gold += 1
            actor_hit += source is not None and actor_matches(source[0], source[1], r["source"])
        if r.get("target"):
            recipient_gold += 1
            recipient_hit += target is not None and actor_matches(target[0], target[1], r["target"])
    elapsed = time.perf_counter() - started
    per_type = {
        gold: {"records": sum(c.values()), "accuracy": c[gold] / sum(c.values())}
        for gold, c in sorted(confusion.items())
    }
    return {
        "file": str(path),
        "records": len(records),
        "event_accuracy": correct / len(records),
        "actor_match": actor_hit / actor_gold if actor_gold else 0.0,
        "actor_records": actor_gold,
        "recipient_match": recipient_hit / recipient_gold if recipient_gold else 0.0,
        "recipient_records": recipient_gold,
        "per_type": per_type,
        "confusion": {g: dict(c.most_common()) for g, c in sorted(confusion.items())},
        "method": "PLOVER cue rules (data/codes/plover.toml) for the type; frontwatch's reader for the actors",
        "seconds": round(elapsed, 1),
    }


def render_plover(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    head = Table(title=f"PLOVER gold-standard records: {figures['records']}")
    head.add_column("figure")
    head.add_column("value", justify="right")
    head.add_row("event type accuracy", f"{100 * figures['event_accuracy']:.1f}%")
    head.add_row(f"actor match ({figures['actor_records']} with a source)", f"{100 * figures['actor_match']:.1f}%")
    head.add_row(
        f"recipient match ({figures['recipient_records']} with a target)", f"{100 * figures['recipient_match']:.1f}%"
    )
    console.print(head)
    per = Table(title="per PLOVER type, with the most frequent wrong answer")
    for column in ("type", "records", "accuracy", "confused with"):
        per.add_column(column)
    for name, f in sorted(figures["per_type"].items(), key=lambda item: item[1]["accuracy"]):
        wrong = [(p, n) for p, n in figures["confusion"][name].items() if p != name]
        per.add_row(name, str(f["records"]), f"{f['accuracy']:.2f}", f"{wrong[0][0]} ({wrong[0][1]})" if wrong else "")
    console.print(per)
