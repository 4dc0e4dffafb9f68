"""Tables for people (``--format table``). Scripts use the JSON output instead."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from frontwatch.schema import Reading

# Piped output (no terminal to measure) gets a width that fits a sentence of evidence.
_console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def console() -> Console:
    """The shared console, for other modules' tables."""
    return _console


def _actor(a: dict[str, Any] | None) -> str:
    return a["name"] if a else "—"


def _place(p: dict[str, Any] | None) -> str:
    if not p:
        return "—"
    where = f" ({p['country']})" if p.get("country") else ""
    return p["name"] + where


def _dates(d: dict[str, Any] | None) -> str:
    if not d or not d.get("start"):
        return "unknown"
    span = d["start"] if d["start"] == d["end"] else f"{d['start']}…{d['end']}"
    note = " (publication)" if d.get("basis") == "publication" else ""
    return f"{span} [{d['precision']}]{note}"


def events(records: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(records)} events", show_lines=False)
    for column in ("date", "type", "actor1", "actor2", "place", "status", "conf.", "evidence"):
        table.add_column(column, overflow="fold")
    for r in records:
        sentence = r["evidence"]["sentence"]
        table.add_row(
            _dates(r["date"]),
            r["type"],
            _actor(r["actor1"]),
            _actor(r["actor2"]),
            _place(r["place"]),
            r["status"],
            f"{r['confidence']:.2f}",
            sentence if len(sentence) < 120 else sentence[:117] + "…",
        )
    _console.print(table)


def control(records: list[dict[str, Any]], day: dt.date) -> None:
    table = Table(title=f"Control on {day.isoformat()}: {len(records)} records")
    for column in ("place", "controller", "since", "until", "status", "basis", "sources"):
        table.add_column(column)
    for r in records:
        table.add_row(
            _place(r["place"]),
            _actor(r["controller"]),
            r.get("since") or "—",
            r.get("until") or "—",
            r["status"],
            r.get("basis", ""),
            str(r.get("sources", len(r.get("evidence", [])))),
        )
    _console.print(table)


def timelines(items: list[dict[str, Any]]) -> None:
    for item in items:
        table = Table(title=f"{_place(item['place'])}: who held it when")
        for column in ("since", "until", "controller", "status", "basis", "evidence"):
            table.add_column(column, overflow="fold")
        for interval in item["intervals"]:
            first = interval["evidence"][0]["sentence"] if interval.get("evidence") else ""
            table.add_row(
                interval.get("since") or "…",
                interval.get("until") or "…",
                _actor(interval["controller"]),
                interval["status"],
                interval.get("basis", ""),
                first if len(first) < 100 else first[:97] + "…",
            )
        _console.print(table)


def reading(r: Reading) -> None:
    data = r.to_json()
    doc = data["document"]
    _console.print(f"[bold]{doc['title'] or doc['id']}[/bold]  published {doc['published'] or 'unknown'}")
    for warning in data["warnings"]:
        _console.print(f"[yellow]warning:[/yellow] {warning}")
    events(data["events"])
    if data["control"]:
        table = Table(title="control changes")
        for column in ("date", "place", "controller", "previous", "status"):
            table.add_column(column)
        for c in data["control"]:
            table.add_row(
                _dates(c["date"]),
                _place(c["place"]),
                _actor(c["controller"]),
                _actor(c["previous"]),
                c["status"],
            )
        _console.print(table)
    for h in data["holds"]:
        _console.print(f"hold: {_actor(h['controller'])} holds {_place(h['place'])} on {_dates(h['at'])}")
    for rel in data["relations"]:
        _console.print(f"relation: {_actor(rel['actor1'])} {rel['type']} {_actor(rel['actor2'])}")


def changes(records: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(records)} changes of control")
    for column in ("date", "place", "controller", "previous", "status", "sources", "conflicts"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(
            _dates(r["date"]),
            _place(r["place"]),
            _actor(r["controller"]),
            _actor(r["previous"]),
            r["status"],
            str(r["source_count"]),
            str(len(r["conflicts_with"])) if r["conflicts_with"] else "",
        )
    _console.print(table)
