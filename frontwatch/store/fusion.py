"""One change of control from many reports: fuse the reports, keep conflicting ones side by side.

Pure functions, no database. Reports (stored ControlChange records, from one article or many)
describe the same change when they name the same place and the same new controller, their
previous holders agree (the same, or one of them unknown or only inferred), and their date
ranges overlap or lie at most ``FUSE_DAYS`` apart (the timeline engine's tolerance). Planned
and negated reports are other facts (an announcement, a denial) and fuse only among
themselves. Reports of one change in one article (near-duplicates) merge the same way.

A fused change keeps every report, its distinct source documents and their count. Its status
is the one the timeline engine acts on: ``confirmed`` when any report states the change as
fact (a confirming report upgrades a claim or a denied claim), else ``disputed`` when a report
records a denial, else ``claimed``; ``statuses`` lists what each report said, so a denial stays
visible. Fused changes of one place whose ranges meet but whose controllers
differ contradict each other: each lists the others' ids under ``conflicts_with``.

The result does not depend on the order of the reports: they are sorted before clustering and
ids are hashes of the reports' own ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from frontwatch.schema import Actor, ControlChange, Place
from frontwatch.store.timeline import FUSE_DAYS

_FUSE = dt.timedelta(days=FUSE_DAYS)
# Statuses that report the change itself (they fuse together); the others fuse only with their own kind.
_REPORTED = ("confirmed", "claimed", "disputed")


@dataclass
class FusedChange:
    id: str
    place: Place
    controller: Actor
    previous: Actor | None
    start: dt.date | None
    end: dt.date | None
    precision: str
    status: str
    reports: list[ControlChange]
    conflicts_with: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({r.evidence.document for r in self.reports})

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "place": self.place.to_json(),
            "controller": self.controller.to_json(),
            "previous": self.previous.to_json() if self.previous else None,
            "date": {
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "precision": self.precision,
            },
            "status": self.status,
            "statuses": sorted({r.status for r in self.reports}),
            "sources": self.sources,
            "source_count": len(self.sources),
            "report_count": len(self.reports),
            "conflicts_with": list(self.conflicts_with),
            "reports": [r.to_json() for r in self.reports],
        }


def fuse_changes(changes: list[ControlChange]) -> list[FusedChange]:
    """Fused changes by date start (undated last), place id, controller id, id."""
    groups: dict[tuple[str, str, str], list[ControlChange]] = defaultdict(list)
    for c in changes:
        kind = "reported" if c.status in _REPORTED else c.status
        groups[(c.place.id, c.controller.id, kind)].append(c)
    fused: list[FusedChange] = []
    for group in groups.values():
        fused += [_fuse(cluster) for cluster in _clusters(sorted(group, key=_report_key))]
    _mark_conflicts(fused)
    return sorted(fused, key=_fused_key)


def _clusters(reports: list[ControlChange]) -> list[list[ControlChange]]:
    """Consecutive reports (sorted by date) whose ranges reach each other and whose previous holders agree."""
    dated = [r for r in reports if r.date.start is not None]
    undated = [r for r in reports if r.date.start is None]
    clusters: list[list[ControlChange]] = []
    reach: dt.date | None = None
    for r in dated:
        start, end = _range(r)
        if clusters and reach is not None and start <= reach + _FUSE and _previous_agrees(clusters[-1], r):
            clusters[-1].append(r)
            reach = max(reach, end)
        else:
            clusters.append([r])
            reach = end
    # An undated report cannot be placed in time: it stands alone, unless it is the only kind there is.
    clusters += [[r] for r in undated]
    return clusters


def _previous_agrees(cluster: list[ControlChange], report: ControlChange) -> bool:
    told = {c.previous.id for c in cluster if c.previous is not None and not c.previous_inferred}
    if report.previous is None or report.previous_inferred or not told:
        return True
    return report.previous.id in told


def _fuse(cluster: list[ControlChange]) -> FusedChange:
    first = cluster[0]
    dated = [_range(r) for r in cluster if r.date.start is not None]
    start = end = None
    precision = "unknown"
    if dated:
        start, end = max(s for s, _ in dated), min(e for _, e in dated)
        if start > end:  # reports a few days apart: the narrowest report's range
            narrowest = min(cluster, key=lambda r: (_width(r), _report_key(r)))
            start, end = _range(narrowest)
            precision = narrowest.date.precision
        else:
            exact = [r for r in cluster if r.date.start is not None and _range(r) == (start, end)]
            precision = exact[0].date.precision if exact else ("day" if start == end else "range")
    told = [r for r in cluster if r.previous is not None and not r.previous_inferred]
    inferred = [r for r in cluster if r.previous is not None]
    previous = (told or inferred)[0].previous if (told or inferred) else None
    return FusedChange(
        id=_fused_id(cluster),
        place=first.place,
        controller=first.controller,
        previous=previous,
        start=start,
        end=end,
        precision=precision,
        status=_status({r.status for r in cluster}),
        reports=cluster,
    )


def _status(statuses: set[str]) -> str:
    for status in ("confirmed", "disputed", "claimed", "planned", "negated"):
        if status in statuses:
            return status
    return sorted(statuses)[0]


def _mark_conflicts(fused: list[FusedChange]) -> None:
    by_place: dict[str, list[FusedChange]] = defaultdict(list)
    for f in fused:
        if f.start is not None and f.end is not None and f.status in _REPORTED:
            by_place[f.place.id].append(f)
    for group in by_place.values():
        for a in group:
            a.conflicts_with = sorted(
                b.id
                for b in group
                if b.controller.id != a.controller.id and _meets(a, b)
            )


def _meets(a: FusedChange, b: FusedChange) -> bool:
    assert a.start and a.end and b.start and b.end  # checked by the caller
    return a.start <= b.end + _FUSE and b.start <= a.end + _FUSE


def _range(r: ControlChange) -> tuple[dt.date, dt.date]:
    start = r.date.start
    assert start is not None  # dated reports only
    end = r.date.end if r.date.end is not None and r.date.end >= start else start
    return start, end


def _width(r: ControlChange) -> dt.timedelta:
    start, end = _range(r)
    return end - start


def _report_key(r: ControlChange) -> tuple[object, ...]:
    start = r.date.start or dt.date.max
    end = r.date.end or start
    return (start, end, r.evidence.document, r.evidence.start, r.evidence.end, r.id)


def _fused_id(cluster: list[ControlChange]) -> str:
    members = sorted(f"{r.evidence.document}/{r.id}" for r in cluster)
    return "chg-" + hashlib.sha256("\n".join(members).encode("utf-8")).hexdigest()[:16]


def _fused_key(f: FusedChange) -> tuple[object, ...]:
    return (f.start is None, f.start or dt.date.min, f.place.id, f.controller.id, f.id)
