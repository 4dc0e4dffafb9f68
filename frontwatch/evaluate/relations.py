"""Actors and actor relations measured on Dstl's re3d corpus (Syria/Iraq conflict documents).

re3d ships one folder per source, each with three JSON-lines files (MongoDB exports):
``documents.json`` (``_id``, ``text``, ``title``), ``entities.json`` (``documentId``, ``begin``,
``end``, ``type``, ``value``, ``confidence``) and ``relations.json`` (``documentId``, ``type``,
``sourceBegin/End``, ``targetBegin/End``, ``source``, ``target``, ``confidence``). ``confidence``
is the annotators' agreement; annotations below 0.5 are left out, as re3d's own notes advise.

Two measurements, both end to end (frontwatch reads the raw text):

* **actors** (mention level): gold = every ``Organisation`` entity. A frontwatch actor mention
  (named, demonym, capital, or a generic one resolved by coreference) is correct when its span
  overlaps a gold Organisation span not matched yet; a mention on an Organisation the annotators
  did not agree on (confidence < 0.5) is left out of the count, neither right nor wrong. re3d's
  Organisations include news agencies and ministries frontwatch does not look for, so recall over
  the Organisations that take part in a FightingAgainst or AlliesOf relation (the armed and
  political actors) is given too.
* **relations** (document level, unordered pairs of actors): each gold FightingAgainst or
  AlliesOf relation is turned into a pair of actors by reading which actor frontwatch found at
  the gold source and target spans (so a pair counts only when frontwatch both recognises and
  links its two ends); an end where frontwatch found no actor keeps its text and can never be
  matched. frontwatch's pairs are its ``allied`` and ``supports`` relations (→ AlliesOf), its
  ``fights`` relations and the two sides of its hostile events (attack, battle, siege, offensive
  start, territory change; not negated) (→ FightingAgainst). Precision and recall are over the distinct pairs of each
  document. A gold pair whose two ends are the same actor (re3d links "the UK" to "the UK") is
  dropped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontwatch.extract.context import ArticleContext, build_context
from frontwatch.extract.reader import read_article
from frontwatch.schema import Article, Reading

MIN_CONFIDENCE = 0.5
RELATION_TYPES = ("FightingAgainst", "AlliesOf")
# frontwatch's own relation types and the re3d type each stands for.
_RELATION_MAP = {"allied": "AlliesOf", "supports": "AlliesOf", "fights": "FightingAgainst"}
# Event types in which actor1 and actor2 are on opposite sides.
HOSTILE_EVENTS = frozenset({"attack", "battle", "siege", "offensive_start", "territory_change"})

Pair = tuple[str, frozenset[str]]  # (re3d type, {actor key, actor key})


class RelationBenchError(Exception):
    """The benchmark folder cannot be read."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GoldRelation:
    type: str
    source: Span
    target: Span


@dataclass
class GoldDocument:
    id: str
    title: str
    text: str
    organisations: list[Span]
    relations: list[GoldRelation]
    uncertain: list[Span] = field(default_factory=list)  # Organisations below MIN_CONFIDENCE


# ── reading re3d ──────────────────────────────────────────────────────────────────────────────


def _json_lines(path: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RelationBenchError(f"{path}: cannot be read ({exc.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise RelationBenchError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
    return rows


def load_re3d(path: Path) -> list[GoldDocument]:
    """Every document under ``path`` (a re3d source folder, or a folder of them)."""
    if not path.is_dir():
        raise RelationBenchError(f"{path}: not a folder (expected re3d's documents.json/entities.json/relations.json)")
    if (path / "documents.json").exists():
        folders = [path]
    else:
        folders = sorted(child for child in path.iterdir() if (child / "documents.json").exists())
    if not folders:
        raise RelationBenchError(f"{path}: no documents.json found (is this a re3d folder?)")
    documents: list[GoldDocument] = []
    for folder in folders:
        docs = {}
        for row in _json_lines(folder / "documents.json"):
            try:
                docs[row["_id"]] = GoldDocument(row["_id"], row.get("title") or "", row["text"], [], [])
            except KeyError as exc:
                raise RelationBenchError(f"{folder / 'documents.json'}: a document has no {exc}") from None
        for row in _read_optional(folder / "entities.json"):
            doc = docs.get(row.get("documentId", ""))
            if doc is not None and row.get("type") == "Organisation":
                span = Span(row["begin"], row["end"], row.get("value", ""))
                (doc.organisations if _confident(row) else doc.uncertain).append(span)
        for row in _read_optional(folder / "relations.json"):
            doc = docs.get(row.get("documentId", ""))
            if doc is not None and row.get("type") in RELATION_TYPES and _confident(row):
                doc.relations.append(
                    GoldRelation(
                        row["type"],
                        Span(row["sourceBegin"], row["sourceEnd"], row.get("source", "")),
                        Span(row["targetBegin"], row["targetEnd"], row.get("target", "")),
                    )
                )
        documents += docs.values()
    return documents


def _read_optional(path: Path) -> list[dict[str, Any]]:
    return _json_lines(path) if path.exists() else []


def _confident(row: dict[str, Any]) -> bool:
    return float(row.get("confidence", 1)) >= MIN_CONFIDENCE


# ── scoring ───────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Tally:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set[Any], gold: set[Any]) -> None:
        self.tp += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)

    def figures(self, prefix: str) -> dict[str, Any]:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            f"{prefix}_precision": round(p, 3),
            f"{prefix}_recall": round(r, 3),
            f"{prefix}_f1": round(f, 3),
            f"{prefix}_correct": self.tp,
            f"{prefix}_predicted": self.predicted,
            f"{prefix}_gold": self.gold,
        }


def _overlaps(a_start: int, a_end: int, b: Span) -> bool:
    return a_start < b.end and b.start < a_end


def match_actors(
    ctx: ArticleContext, gold: list[Span], uncertain: tuple[Span, ...] | list[Span] = ()
) -> tuple[int, int, set[int]]:
    """(correct mentions, predicted mentions, indices of the gold spans matched), one to one. A
    mention on an Organisation the annotators did not agree on is neither right nor wrong: it is
    left out of the count (re3d tags "ISIL" as an Organisation with agreement below 0.5 49 times)."""
    used: set[int] = set()
    correct = predicted = 0
    for ref in ctx.actors:
        hit = next((i for i, g in enumerate(gold) if i not in used and _overlaps(ref.start, ref.end, g)), None)
        if hit is not None:
            used.add(hit)
            correct += 1
            predicted += 1
        elif not any(_overlaps(ref.start, ref.end, u) for u in uncertain):
            predicted += 1
    return correct, predicted, used


def actor_key(ctx: ArticleContext, span: Span) -> str:
    """The actor frontwatch found at a gold span (the longest overlap), else the span's own text."""
    best = max(
        (r for r in ctx.actors if _overlaps(r.start, r.end, span)),
        key=lambda r: min(r.end, span.end) - max(r.start, span.start),
        default=None,
    )
    if best is not None:
        # "U.S.-backed SDF" is one mention of the SDF carrying its backer: a gold span on "U.S." is the backer.
        link_at = best.text.casefold().find(best.link) if best.backer is not None and best.link else -1
        if link_at > 0 and span.end <= best.start + link_at and best.backer is not None:
            return best.backer.id
        return best.actor.id
    return "text:" + re.sub(r"\W+", " ", span.text.casefold()).strip()


def gold_pairs(ctx: ArticleContext, relations: list[GoldRelation]) -> set[Pair]:
    pairs = set()
    for rel in relations:
        a, b = actor_key(ctx, rel.source), actor_key(ctx, rel.target)
        if a != b:
            pairs.add((rel.type, frozenset((a, b))))
    return pairs


def predicted_pairs(reading: Reading) -> set[Pair]:
    pairs: set[Pair] = set()
    for rel in reading.relations:
        if rel.actor1.id != rel.actor2.id:
            pairs.add((_RELATION_MAP[rel.type], frozenset((rel.actor1.id, rel.actor2.id))))
    for event in reading.events:
        if (
            event.type in HOSTILE_EVENTS
            and event.status != "negated"
            and event.actor1 is not None
            and event.actor2 is not None
            and event.actor1.id != event.actor2.id
        ):
            pairs.add(("FightingAgainst", frozenset((event.actor1.id, event.actor2.id))))
    return pairs


def evaluate_relations(path: Path) -> dict[str, Any]:
    documents = load_re3d(path)
    actors, conflict_actors = _Tally(), _Tally()
    relations = _Tally()
    per_type = {t: _Tally() for t in RELATION_TYPES}
    for doc in documents:
        article = Article(text=doc.text, title=doc.title, external_id=doc.id)
        ctx = build_context(article)
        reading = read_article(article)

        correct, predicted, matched = match_actors(ctx, doc.organisations, doc.uncertain)
        actors.tp += correct
        actors.predicted += predicted
        actors.gold += len(doc.organisations)
        conflict = _conflict_spans(doc)
        conflict_actors.tp += len(conflict & matched)
        conflict_actors.gold += len(conflict)

        gold = gold_pairs(ctx, doc.relations)
        found = predicted_pairs(reading)
        relations.add(found, gold)
        for t, tally in per_type.items():
            tally.add({p for p in found if p[0] == t}, {p for p in gold if p[0] == t})

    figures: dict[str, Any] = {"documents": len(documents)}
    figures |= actors.figures("actor")
    conflict = conflict_actors.figures("conflict")
    figures["actor_recall_conflict"] = conflict["conflict_recall"]
    figures["actor_conflict_gold"] = conflict_actors.gold
    figures |= relations.figures("relation")
    figures["by_type"] = {t: _strip(tally.figures("x")) for t, tally in per_type.items()}
    figures["gold_relation_types"] = dict(Counter(r.type for d in documents for r in d.relations))
    return figures


def _conflict_spans(doc: GoldDocument) -> set[int]:
    """Indices of the Organisation spans that are an end of a gold FightingAgainst/AlliesOf relation."""
    ends = [s for r in doc.relations for s in (r.source, r.target)]
    return {i for i, org in enumerate(doc.organisations) if any((org.start, org.end) == (e.start, e.end) for e in ends)}


def _strip(figures: dict[str, Any]) -> dict[str, Any]:
    return {key.removeprefix("x_"): value for key, value in figures.items()}


def render_relations(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"re3d actors and relations ({figures['documents']} documents)")
    for column in ("measure", "precision", "recall", "F1", "correct / predicted / gold"):
        table.add_column(column)

    def row(name: str, f: dict[str, Any], prefix: str) -> None:
        table.add_row(
            name,
            f"{f[prefix + 'precision']:.3f}",
            f"{f[prefix + 'recall']:.3f}",
            f"{f[prefix + 'f1']:.3f}",
            f"{f[prefix + 'correct']} / {f[prefix + 'predicted']} / {f[prefix + 'gold']}",
        )

    row("actor mentions (Organisation)", figures, "actor_")
    table.add_row("  recall on conflict actors", "", f"{figures['actor_recall_conflict']:.3f}", "", "")
    row("relations (all)", figures, "relation_")
    for name, f in figures["by_type"].items():
        row(f"  {name}", f, "")
    Console().print(table)
