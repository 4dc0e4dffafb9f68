"""Who controls a place when: control intervals built from reported changes and holds.

Pure functions, no database. The rules, in the order they are applied:

1. Only changes with a known date (``date.start``) count. ``planned`` and ``negated``
   changes never give control.
2. Confirmed changes reporting the same thing are fused: same controller id, date ranges
   overlapping or at most ``FUSE_DAYS`` (3) days apart → one change. Its evidence is the
   union; its date is the intersection of the ranges when that is not empty, else the
   narrowest range; its ``previous`` is the first known one, non-inferred preferred.
3. Fused confirmed changes are sorted (date start, date end, controller id, evidence).
   A change takes effect on its range's start day, the earliest day it may have
   happened. Intervals (bounds inclusive, None = open):
   before the first change, when its ``previous`` is known, ``[first.start − 365 days,
   first.start − 1]`` held by previous (basis ``previous``: the text says who held it just
   before, not since when, so the claim reaches back one year and no further); then
   ``[c_i.start, c_{i+1}.start − 1]`` held by ``c_i.controller`` (basis ``change``); the
   last one is open-ended. Consecutive intervals of the same controller are merged, except
   when that side takes the place again more than a year later from someone its report
   names: then it had lost it on a day no report gives, so its first hold is asserted for a
   year at most, that someone holds it for the year before the recapture (basis
   ``previous``), and the days between stay unknown.
   Two confirmed changes by different controllers on the same start day contradict each
   other: the one with more distinct sources (then the narrower range, then the sort
   order) makes the interval; the other becomes a ``disputed`` interval from that day
   until the next confirmed change.
4. Holds (their day is ``at.start``): a hold of C on day D adds its evidence to the
   confirmed interval containing D when that interval's controller is C. When no
   interval contains D (no changes, or D precedes a first change whose previous holder
   is unknown), holds make intervals themselves: ``[D, next start − 1]`` (basis ``hold``),
   several holds of one controller making one interval from its earliest day, and the
   first change's unknown previous holder is thereby whoever held it just before. A hold
   that contradicts the confirmed controller on D is kept as an extra ``[D, D]``
   interval with status ``disputed`` (or joins a claimed interval of C containing D).
5. Claimed and disputed changes never overturn confirmed control. Fused among
   themselves like confirmed ones, a claim by C from day s becomes an extra interval
   (status claimed/disputed) from s until the next confirmed change, unless the first
   confirmed change starting on or after s − 3 days is C's own — then the claim is
   evidence for it (a later confirming report upgrades it) — or C already holds the
   place on s by confirmed report, when the claim is evidence for that interval.
6. The result does not depend on the order of the inputs: every choice above is made
   on sorted data, ties broken on the evidence.
7. ``control_on`` returns every interval containing a day: one, or more where reports
   disagree (the extra ones have status claimed or disputed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from frontwatch.schema import Actor, ControlChange, Evidence, Hold, Place

FUSE_DAYS = 3
PREVIOUS_LOOKBACK = dt.timedelta(days=365)
_DAY = dt.timedelta(days=1)
_FUSE = dt.timedelta(days=FUSE_DAYS)
_CLAIMS = ("claimed", "disputed")


@dataclass
class Interval:
    place: Place
    controller: Actor
    since: dt.date | None  # inclusive; None = open
    until: dt.date | None  # inclusive; None = open
    since_precision: str
    status: str  # confirmed | claimed | disputed
    basis: str  # change | previous (held it before a reported change) | hold
    evidence: list[Evidence] = field(default_factory=list)
    sources: int = 0  # number of distinct documents behind it

    def contains(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass
class _Change:
    """A change (or a fusion of several) with a known date."""

    controller: Actor
    previous: Actor | None
    previous_inferred: bool
    start: dt.date
    end: dt.date
    precision: str
    status: str
    evidence: list[Evidence]

    def key(self) -> tuple[object, ...]:
        return (
            self.start,
            self.end,
            self.controller.id,
            _evidence_key(self.evidence),
            self.previous.id if self.previous else "",
            self.previous_inferred,
            self.status,
        )

    @property
    def sources(self) -> int:
        return _sources(self.evidence)


def build_timeline(place: Place, changes: list[ControlChange], holds: list[Hold]) -> list[Interval]:
    """The control intervals of ``place``, in date order (see the module docstring for the rules)."""
    dated = [_from_change(c) for c in changes if c.date.start is not None]
    confirmed = _fuse([c for c in dated if c.status == "confirmed"])
    claims = _fuse([c for c in dated if c.status in _CLAIMS])

    winners, losers = _settle_same_day(confirmed)
    claims = [c for c in claims if not _absorbed_by_later_confirmation(c, confirmed)]
    timeline = _merge_same_controller(_change_intervals(place, winners))
    extra = [_extra_interval(place, c, "disputed", winners) for c in losers]
    for claim in claims:
        owner = _containing(timeline, claim.start)
        if owner is not None and owner.controller.id == claim.controller.id:
            _add_evidence(owner, claim.evidence)
        else:
            extra.append(_extra_interval(place, claim, claim.status, winners))

    uncovered: list[Hold] = []
    for hold in sorted((h for h in holds if h.at.start is not None), key=_hold_key):
        day = _hold_day(hold)
        owner = _containing(timeline, day)
        if owner is None:
            uncovered.append(hold)
        elif owner.controller.id == hold.controller.id:
            _add_evidence(owner, [hold.evidence])
        else:
            disputed = _contradicting_hold(place, hold, extra)
            if disputed is not None:
                extra.append(disputed)
    first_start = winners[0].start if winners else None
    held, contested = _hold_intervals(place, uncovered, first_start)
    timeline = _merge_same_controller(held + timeline)

    result = timeline + extra + contested
    for interval in result:
        interval.sources = _sources(interval.evidence)
    return sorted(result, key=_interval_key)


def control_on(intervals: list[Interval], day: dt.date) -> list[Interval]:
    """Every interval containing ``day``, confirmed first."""
    found = [i for i in intervals if i.contains(day)]
    return sorted(found, key=lambda i: i.status != "confirmed")


# ---- changes ----------------------------------------------------------------------------


def _from_change(c: ControlChange) -> _Change:
    start = c.date.start
    assert start is not None  # filtered by the caller
    end = c.date.end if c.date.end is not None and c.date.end >= start else start
    return _Change(
        controller=c.controller,
        previous=c.previous,
        previous_inferred=c.previous_inferred,
        start=start,
        end=end,
        precision=c.date.precision,
        status=c.status,
        evidence=[c.evidence],
    )


def _fuse(changes: list[_Change]) -> list[_Change]:
    """Fuse changes of one controller whose ranges overlap or lie within FUSE_DAYS (rule 2)."""
    by_controller: dict[str, list[_Change]] = defaultdict(list)
    for c in changes:
        by_controller[c.controller.id].append(c)
    fused: list[_Change] = []
    for group in by_controller.values():
        group.sort(key=_Change.key)
        cluster = [group[0]]
        reach = group[0].end
        for c in group[1:]:
            if c.start <= reach + _FUSE:
                cluster.append(c)
                reach = max(reach, c.end)
            else:
                fused.append(_fuse_cluster(cluster))
                cluster, reach = [c], c.end
        fused.append(_fuse_cluster(cluster))
    return sorted(fused, key=_Change.key)


def _fuse_cluster(cluster: list[_Change]) -> _Change:
    if len(cluster) == 1:
        return cluster[0]
    start, end = max(c.start for c in cluster), min(c.end for c in cluster)
    if start <= end:
        exact = [c for c in cluster if (c.start, c.end) == (start, end)]
        precision = exact[0].precision if exact else ("day" if start == end else "range")
    else:  # reports a few days apart: keep the most precise one's range
        narrowest = min(cluster, key=lambda c: (c.end - c.start, c.key()))
        start, end, precision = narrowest.start, narrowest.end, narrowest.precision
    with_previous = [c for c in cluster if c.previous is not None]
    told = [c for c in with_previous if not c.previous_inferred] or with_previous
    return _Change(
        controller=cluster[0].controller,
        previous=told[0].previous if told else None,
        previous_inferred=told[0].previous_inferred if told else False,
        start=start,
        end=end,
        precision=precision,
        status="disputed" if any(c.status == "disputed" for c in cluster) else cluster[0].status,
        evidence=_union([], [e for c in cluster for e in c.evidence]),
    )


def _settle_same_day(confirmed: list[_Change]) -> tuple[list[_Change], list[_Change]]:
    """Keep one confirmed change per start day; the others contradict it (rule 3)."""
    by_start: dict[dt.date, list[_Change]] = defaultdict(list)
    for c in confirmed:
        by_start[c.start].append(c)
    winners: list[_Change] = []
    losers: list[_Change] = []
    for start in sorted(by_start):
        ranked = sorted(by_start[start], key=lambda c: (-c.sources, c.end - c.start, c.key()))
        winners.append(ranked[0])
        losers += ranked[1:]
    return winners, losers


def _absorbed_by_later_confirmation(claim: _Change, confirmed: list[_Change]) -> bool:
    """Rule 5: the first confirmed change from s − 3 days on is the claimant's → it is evidence there."""
    later = [c for c in confirmed if c.start >= claim.start - _FUSE]
    if not later:
        return False
    first_day = min(c.start for c in later)
    for c in later:
        if c.start == first_day and c.controller.id == claim.controller.id:
            c.evidence = _union(c.evidence, claim.evidence)
            return True
    return False


def _change_intervals(place: Place, winners: list[_Change]) -> list[Interval]:
    intervals: list[Interval] = []
    if not winners:
        return intervals
    first = winners[0]
    if first.previous is not None and first.previous.id != first.controller.id:
        intervals.append(
            Interval(
                place,
                first.previous,
                first.start - PREVIOUS_LOOKBACK,
                first.start - _DAY,
                "unknown",
                "confirmed",
                "previous",
                list(first.evidence),
            )
        )
    for i, c in enumerate(winners):
        nxt = winners[i + 1] if i + 1 < len(winners) else None
        until = nxt.start - _DAY if nxt is not None else None
        if nxt is not None and _retaken(c, nxt):
            # Taking a place again means it was lost in between, on a day no report gives: each side is
            # asserted for a year at most (after its capture, before the recapture); the gap stays unknown.
            lost_since = max(c.start, nxt.start - PREVIOUS_LOOKBACK)
            until = min(lost_since - _DAY, c.start + PREVIOUS_LOOKBACK)
            intervals.append(
                Interval(place, c.controller, c.start, until, c.precision, "confirmed", "change", list(c.evidence))
            )
            loser: Actor = nxt.previous  # type: ignore[assignment]  # _retaken checked it is set
            intervals.append(
                Interval(
                    place, loser, lost_since, nxt.start - _DAY, "unknown", "confirmed", "previous", list(nxt.evidence)
                )
            )
            continue
        intervals.append(
            Interval(place, c.controller, c.start, until, c.precision, "confirmed", "change", list(c.evidence))
        )
    return intervals


def _retaken(c: _Change, nxt: _Change) -> bool:
    """The same side takes the place twice, and the later report names someone else as holding it before."""
    return (
        nxt.controller.id == c.controller.id
        and nxt.previous is not None
        and nxt.previous.id != c.controller.id
        and nxt.start - c.start > PREVIOUS_LOOKBACK
    )


def _extra_interval(place: Place, c: _Change, status: str, winners: list[_Change]) -> Interval:
    """A claimed or contradicted change: from its start until the next confirmed change."""
    nxt = [w.start for w in winners if w.start > c.start]
    until = min(nxt) - _DAY if nxt else None
    return Interval(place, c.controller, c.start, until, c.precision, status, "change", list(c.evidence))


def _merge_same_controller(intervals: list[Interval]) -> list[Interval]:
    """Join adjacent confirmed intervals of the same controller (the earlier one's basis stays)."""
    merged: list[Interval] = []
    for interval in intervals:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.controller.id == interval.controller.id
            and last.until is not None
            and interval.since is not None
            and last.until + _DAY == interval.since
        ):
            last.until = interval.until
            _add_evidence(last, interval.evidence)
        else:
            merged.append(replace(interval, evidence=list(interval.evidence)))
    return merged


# ---- holds ------------------------------------------------------------------------------


def _hold_day(hold: Hold) -> dt.date:
    assert hold.at.start is not None  # filtered by the caller
    return hold.at.start


def _hold_key(hold: Hold) -> tuple[object, ...]:
    return (_hold_day(hold), hold.controller.id, _evidence_key([hold.evidence]))


def _contradicting_hold(place: Place, hold: Hold, extra: list[Interval]) -> Interval | None:
    """A hold against the confirmed controller: evidence for C's claim on that day, else a disputed day."""
    day = _hold_day(hold)
    for interval in extra:
        if interval.controller.id == hold.controller.id and interval.contains(day):
            _add_evidence(interval, [hold.evidence])
            return None
    return Interval(place, hold.controller, day, day, hold.at.precision, "disputed", "hold", [hold.evidence])


def _hold_intervals(
    place: Place, holds: list[Hold], first_change: dt.date | None
) -> tuple[list[Interval], list[Interval]]:
    """Intervals from holds no change covers (rule 4): a sequence, plus disputed days where holds disagree."""
    by_day: dict[dt.date, list[Hold]] = defaultdict(list)
    for h in holds:
        by_day[_hold_day(h)].append(h)
    sequence: list[Interval] = []
    contested: list[Interval] = []
    for day in sorted(by_day):
        same_day = by_day[day]
        if len({h.controller.id for h in same_day}) > 1:
            contested += [
                Interval(place, h.controller, day, day, h.at.precision, "disputed", "hold", [h.evidence])
                for h in same_day
            ]
            continue
        if sequence and sequence[-1].controller.id == same_day[0].controller.id:
            _add_evidence(sequence[-1], [h.evidence for h in same_day])
            continue
        h = same_day[0]
        sequence.append(
            Interval(
                place,
                h.controller,
                day,
                None,
                h.at.precision,
                "confirmed",
                "hold",
                _union([], [x.evidence for x in same_day]),
            )
        )
    for i, interval in enumerate(sequence):
        nxt = sequence[i + 1].since if i + 1 < len(sequence) else first_change
        interval.until = nxt - _DAY if nxt is not None else None
    return sequence, contested


# ---- helpers ----------------------------------------------------------------------------


def _containing(intervals: list[Interval], day: dt.date) -> Interval | None:
    return next((i for i in intervals if i.contains(day)), None)


def _add_evidence(interval: Interval, evidence: list[Evidence]) -> None:
    interval.evidence = _union(interval.evidence, evidence)


def _union(a: list[Evidence], b: list[Evidence]) -> list[Evidence]:
    return sorted(set(a) | set(b), key=_one_evidence_key)


def _one_evidence_key(e: Evidence) -> tuple[str, int, int, str]:
    return (e.document, e.start, e.end, e.sentence)


def _evidence_key(evidence: list[Evidence]) -> tuple[tuple[str, int, int, str], ...]:
    return tuple(sorted(_one_evidence_key(e) for e in evidence))


def _sources(evidence: list[Evidence]) -> int:
    return len({e.document for e in evidence})


def _interval_key(i: Interval) -> tuple[object, ...]:
    return (
        i.since or dt.date.min,
        i.status != "confirmed",
        i.until or dt.date.max,
        i.controller.id,
        i.status,
        i.basis,
        _evidence_key(i.evidence),
    )
