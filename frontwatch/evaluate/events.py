"""ACLED sub-event types measured on CASE 2021 task 2 snippets (``evaluate events``).

The file is tab-separated with a header naming at least ``EventSnippet`` and ``SubType`` (``id`` is
optional): the CASE 2021 task 2 layout. Labels are CASE codes (``ARMED_CLASH``) or ACLED names
("Armed clash"). Figures follow the shared task: F1 per ACLED sub-event type, averaged weighted by
gold support (``weighted_f1``) and unweighted over the ACLED types that occur in the gold
(``macro_f1``). Snippets whose gold label is not one of the 25 ACLED types (CASE's disasters,
crime, attribution, diplomacy) count only through the ACLED predictions made for them (false
positives).

Honesty: the shipped classifier is rules written from the ACLED codebook and, where the rules are
unsure, the nearest of frontwatch's hand-written snippets (data/codes/training_snippets.jsonl) by
sentence embedding (``--no-embeddings``: the rules alone). ``--learned`` blends in the linear model
trained on the same snippets. ``training_overlap`` counts the evaluated snippets whose hash is among
those snippets (0 on CASE 2021), and a file that overlaps is scored by cross-validation instead.
``--cross-validate K`` measures instead what labelled in-domain snippets add: a linear model over
the rule cues, the words and (unless ``--no-embeddings``) the sentence embedding is trained on K-1
folds of the file and scored on the fold it did not see, for each fold; ``method`` says which was
measured, and the key ``embeddings`` whether the embedding model was used.
"""

from __future__ import annotations

import csv
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontwatch.extract.classify import acled_types, by_name, classify_many, sub_event_types
from frontwatch.extract.learned import training_examples

REQUIRED_COLUMNS = ("EventSnippet", "SubType")


class EventBenchError(Exception):
    """The benchmark file cannot be read: the message names the file and the problem."""


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    gold: str | None  # an ACLED sub-event type name, or None for a label outside ACLED
    raw_label: str


def _label_names() -> dict[str, str]:
    """CASE code or name (any case) → the label's name."""
    names: dict[str, str] = {}
    for t in sub_event_types():
        names[t.case.upper()] = t.name
        names[t.name.upper()] = t.name
    return names


def read_snippets(path: Path) -> list[Snippet]:
    """The labelled snippets of a CASE-style TSV file."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            columns = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise EventBenchError(
                    f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(columns) or 'none'}); "
                    "expected a tab-separated file with EventSnippet and SubType"
                )
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise EventBenchError(f"{path}: cannot be read ({exc})") from None
    except csv.Error as exc:
        raise EventBenchError(f"{path}: not a tab-separated file ({exc})") from None
    names = _label_names()
    snippets = []
    for n, row in enumerate(rows, start=2):
        text, label = (row.get("EventSnippet") or "").strip(), (row.get("SubType") or "").strip()
        if not text or not label:
            raise EventBenchError(f"{path}:{n}: empty EventSnippet or SubType")
        name = names.get(label.upper())
        gold = name if name is not None and by_name()[name].acled else None
        snippets.append(Snippet(row.get("id") or str(n), text, gold, label))
    if not snippets:
        raise EventBenchError(f"{path}: no snippets")
    return snippets


# --- figures -------------------------------------------------------------------------------------


def f1_figures(gold: list[str | None], predicted: list[str | None]) -> dict[str, Any]:
    """Per-type precision, recall, F1 over the ACLED types; weighted and macro F1; the confusion table."""
    acled = [t.name for t in acled_types()]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = {}
    for g, p in zip(gold, predicted, strict=True):
        confusion.setdefault(g or "(not ACLED)", Counter())[p or "(not ACLED)"] += 1
        if g is not None and g == p:
            tp[g] += 1
            continue
        if p is not None and p in acled:
            fp[p] += 1
        if g is not None:
            fn[g] += 1
    per_type: dict[str, dict[str, Any]] = {}
    for name in acled:
        support = tp[name] + fn[name]
        precision = tp[name] / (tp[name] + fp[name]) if tp[name] + fp[name] else 0.0
        recall = tp[name] / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    present = [n for n in acled if per_type[n]["support"]]
    total = sum(per_type[n]["support"] for n in present)
    scored = [(g, p) for g, p in zip(gold, predicted, strict=True) if g is not None]
    return {
        "acled_snippets": total,
        "weighted_f1": sum(per_type[n]["f1"] * per_type[n]["support"] for n in present) / total if total else 0.0,
        "macro_f1": sum(per_type[n]["f1"] for n in present) / len(present) if present else 0.0,
        "accuracy_acled": sum(g == p for g, p in scored) / len(scored) if scored else 0.0,
        "per_type": per_type,
        "confusion": {g: dict(c.most_common()) for g, c in sorted(confusion.items())},
    }


def snippet_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def training_snippets() -> frozenset[str]:
    """Hashes of the texts frontwatch trains on: the hand-written snippets of the optional model."""
    from frontwatch.extract.learned import training_hashes

    return training_hashes()


def _cross_validated(snippets: list[Snippet], folds: int, embeddings: bool) -> list[str | None]:
    """Each snippet's label from a linear model trained on the other folds (fixed shuffle, seed 0).

    Features: the rule cues and hashed words (extract/linear.py), and with ``embeddings`` the
    snippet's sentence embedding (extract/embed.py) beside them.
    """
    import numpy as np

    from frontwatch.extract.linear import LinearModel, features

    texts = [s.text for s in snippets]
    x = features(texts)
    if embeddings:
        from frontwatch.extract.embed import embed

        x = np.hstack([x, embed(texts)])
    labels = [s.gold or s.raw_label.upper() for s in snippets]
    order = list(range(len(snippets)))
    random.Random(0).shuffle(order)
    predicted: list[str | None] = [None] * len(snippets)
    for fold in range(folds):
        held = [i for n, i in enumerate(order) if n % folds == fold]
        train = [i for n, i in enumerate(order) if n % folds != fold]
        model = LinearModel.fit(x[train], [labels[i] for i in train])
        for i, label in zip(held, model.predict(x[held]), strict=True):
            predicted[i] = label
    return predicted


def _method(learned: bool, embeddings: bool) -> str:
    parts = ["shipped rules (data/codes/acled.toml)"]
    if learned:
        parts.append(
            f"blended with a linear model trained on {len(training_examples())} hand-written snippets "
            "(data/codes/training_snippets.jsonl)"
        )
    if embeddings:
        parts.append(
            f"when unsure, the nearest of {len(training_examples())} hand-written snippets by sentence embedding "
            "(all-MiniLM-L6-v2, extract/neighbours.py)"
        )
    trained = "" if learned or embeddings else ", no training data"
    return ", ".join(parts) + f"{trained}; no snippet of this file was used"


def evaluate_events(
    path: Path, cross_validate: int | None = None, learned: bool = False, embeddings: bool = True
) -> dict[str, Any]:
    """Score the classifier on a CASE-style file: F1 figures, confusion, snippets per second.

    ``embeddings`` (the shipped classifier, ``frontwatch classify``): the rules, and the nearest
    hand-written snippets by sentence embedding when the rules are unsure. ``learned``: the rules
    blended with the linear model trained on the hand-written snippets. Both off: the rules alone.
    """
    snippets = read_snippets(path)
    trained_on = training_snippets()
    overlap = sum(snippet_hash(s.text) in trained_on for s in snippets)
    if overlap and (learned or embeddings) and cross_validate is None:
        cross_validate = 5  # never score a model on what it was trained on (the rules are trained on nothing)
    if cross_validate is not None and not 2 <= cross_validate <= len(snippets):
        raise EventBenchError(f"{path}: --cross-validate needs 2 to {len(snippets)} folds, not {cross_validate}")
    if cross_validate is None:
        # models loaded (or trained) before the clock starts: snippets/s measures classifying
        classify_many(["warm-up"], learned=learned, embeddings=embeddings)
    started = time.perf_counter()
    if cross_validate is None:
        predicted = [c.sub_event_type for c in classify_many([s.text for s in snippets], learned=learned,
                                                             embeddings=embeddings)]
        method = _method(learned, embeddings)
    else:
        predicted = _cross_validated(snippets, cross_validate, embeddings)
        method = (
            f"{cross_validate}-fold cross-validation: a linear model over the rule cues and words"
            f"{' and the sentence embedding' if embeddings else ''}, trained on "
            f"{cross_validate - 1} of {cross_validate} folds of this file, scored on the fold it did not see"
        )
    elapsed = time.perf_counter() - started
    acled_predicted = [p if p is not None and p in by_name() and by_name()[p].acled else None for p in predicted]
    figures: dict[str, Any] = {
        "file": str(path),
        "snippets": len(snippets),
        "method": method,
        "training_overlap": overlap,
    }
    figures |= f1_figures([s.gold for s in snippets], acled_predicted)
    figures["labels_outside_acled"] = dict(Counter(s.raw_label for s in snippets if s.gold is None).most_common())
    if cross_validate is None:  # the time of training folds says nothing about classifying
        figures["snippets_per_second"] = round(len(snippets) / elapsed, 1) if elapsed > 0 else None
    figures["embeddings"] = embeddings
    return figures


def render_events(figures: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    head = Table(title=f"ACLED sub-event types: {figures['snippets']} snippets ({figures['acled_snippets']} ACLED)")
    head.add_column("figure")
    head.add_column("value", justify="right")
    head.add_row("weighted F1", f"{100 * figures['weighted_f1']:.1f}%")
    head.add_row("macro F1", f"{100 * figures['macro_f1']:.1f}%")
    head.add_row("accuracy (ACLED gold)", f"{100 * figures['accuracy_acled']:.1f}%")
    if figures.get("snippets_per_second"):
        head.add_row("snippets/s", f"{figures['snippets_per_second']:,.0f}")
    console.print(head)
    console.print(f"method: {figures['method']}")
    per = Table(title="per sub-event type (worst first), with the most frequent wrong answer")
    for column in ("sub-event type", "support", "P", "R", "F1", "confused with"):
        per.add_column(column, justify="left" if column in ("sub-event type", "confused with") else "right")
    confusion = figures["confusion"]
    for name, f in sorted(figures["per_type"].items(), key=lambda item: item[1]["f1"]):
        if not f["support"]:
            continue
        wrong = [(p, n) for p, n in confusion.get(name, {}).items() if p != name]
        per.add_row(
            name, str(f["support"]), f"{f['precision']:.2f}", f"{f['recall']:.2f}", f"{f['f1']:.2f}",
            f"{wrong[0][0]} ({wrong[0][1]})" if wrong else "",
        )
    console.print(per)
