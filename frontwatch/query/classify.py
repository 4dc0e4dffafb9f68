"""``frontwatch classify``: ACLED sub-event types for snippets given on the command line, stdin or a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from frontwatch.extract.classify import Classification, by_name, classify_many

EmbeddingsOption = Annotated[  # `classify` and `evaluate events`: the sentence-embedding part of the classifier
    bool,
    typer.Option(
        "--embeddings/--no-embeddings",
        help="when the rules are unsure, ask the nearest hand-written snippets by sentence embedding (torch)",
    ),
]


class ClassifyInputError(Exception):
    """The snippets cannot be read: the message names the input and the problem."""


def read_snippets(text: str | None, file: Path | None) -> list[str]:
    """One snippet from TEXT; one per non-empty line from ``-`` (stdin) or ``--file``."""
    if (text is None) == (file is None):
        raise ClassifyInputError("give exactly one of TEXT, - (stdin) or --file F")
    if file is not None:
        try:
            raw = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ClassifyInputError(f"{file}: cannot be read ({exc})") from None
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        if not lines:
            raise ClassifyInputError(f"{file}: no snippet (the file is empty)")
        return lines
    assert text is not None
    if text == "-":
        lines = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
        if not lines:
            raise ClassifyInputError("stdin: no snippet")
        return lines
    if not text.strip():
        raise ClassifyInputError("TEXT is empty")
    return [text.strip()]


def classify_records(snippets: list[str], embeddings: bool = True) -> list[dict[str, Any]]:
    """The JSON records of the snippets (classified together: the embedding model runs in batches)."""
    results = classify_many(snippets, embeddings=embeddings)
    return [classify_json(s, r) for s, r in zip(snippets, results, strict=True)]


def classify_json(snippet: str, result: Classification | None = None) -> dict[str, Any]:
    """The JSON record of one snippet: its ACLED types, score, alternatives and PLOVER/CAMEO codes.

    ``result``: the snippet's classification when already made (default: the rules alone).
    """
    result = classify_many([snippet], embeddings=False)[0] if result is None else result
    label = by_name().get(result.sub_event_type) if result.sub_event_type else None
    return {
        "text": snippet,
        **result.to_json(),
        "plover_type": label.plover if label else None,
        "plover_mode": label.plover_mode if label else None,
        "cameo": label.cameo if label else None,
    }


def render(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ACLED sub-event types: {len(records)} snippet(s)")
    for column in ("snippet", "sub-event type", "event type", "score", "then"):
        table.add_column(column)
    for r in records:
        snippet = r["text"] if len(r["text"]) <= 80 else r["text"][:77] + "..."
        then = ", ".join(f"{a['sub_event_type']} ({a['score']:.2f})" for a in r["alternatives"][:2])
        table.add_row(
            snippet, r["sub_event_type"] or "—", r["event_type"] or "—", f"{r['score']:.2f}", then
        )
    Console().print(table)
