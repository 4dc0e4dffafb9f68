"""re3d reader and actor/relation figures, on a tiny inline fixture in re3d's JSON-lines format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.evaluate.relations import RelationBenchError, evaluate_relations, load_re3d

TEXT = (
    "Coalition military forces conducted 11 strikes against ISIL near Mosul. "
    "The U.S.-backed SDF advanced on Raqqa. "
    "Reuters reported the news."
)


def _span(value: str, start_at: int = 0) -> tuple[int, int]:
    start = TEXT.index(value, start_at)
    return start, start + len(value)


def _entity(value: str, kind: str = "Organisation", confidence: float = 1.0) -> dict:
    start, end = _span(value)
    return {"_id": f"D1-{start}", "begin": start, "end": end, "type": kind, "value": value, "documentId": "D1",
            "confidence": confidence}


def _relation(kind: str, source: str, target: str, confidence: float = 1.0) -> dict:
    (sb, se), (tb, te) = _span(source), _span(target)
    return {"_id": f"D1-{sb}-{tb}-{kind}", "begin": se, "end": tb, "sourceBegin": sb, "sourceEnd": se,
            "source": source, "targetBegin": tb, "targetEnd": te, "target": target, "type": kind,
            "value": "", "documentId": "D1", "confidence": confidence}


def _lines(rows: list[dict]) -> str:
    return "\n".join(json.dumps(r) for r in rows) + "\n"


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    source = tmp_path / "Some Source"
    source.mkdir()
    (source / "documents.json").write_text(_lines([{"_id": "D1", "title": "t", "text": TEXT}]))
    entities = [
        _entity("Coalition military forces"),
        _entity("ISIL"),
        _entity("SDF"),
        _entity("Reuters"),  # not an armed actor: frontwatch does not look for it (a recall miss)
        _entity("Mosul", "Location"),  # not an Organisation: ignored
        _entity("Raqqa", "Organisation", confidence=0.2),  # below re3d's agreement threshold: ignored
    ]
    (source / "entities.json").write_text(_lines(entities))
    relations = [
        _relation("FightingAgainst", "Coalition military forces", "ISIL"),
        _relation("AlliesOf", "U.S.", "SDF"),
        _relation("FightingAgainst", "SDF", "Raqqa"),  # a place: can never be matched
        _relation("CoLocated", "ISIL", "Mosul"),  # another type: ignored
    ]
    (source / "relations.json").write_text(_lines(relations))
    return tmp_path


def test_reader_keeps_confident_organisations_and_the_two_relation_types(bench: Path) -> None:
    (doc,) = load_re3d(bench)
    assert [o.text for o in doc.organisations] == ["Coalition military forces", "ISIL", "SDF", "Reuters"]
    assert [r.type for r in doc.relations] == ["FightingAgainst", "AlliesOf", "FightingAgainst"]
    assert load_re3d(bench / "Some Source")[0].id == "D1"  # one source folder works too


def test_figures(bench: Path) -> None:
    figures = evaluate_relations(bench)
    assert figures["documents"] == 1
    # frontwatch finds the coalition, ISIL, the U.S.-backed SDF: 3 of 4 Organisations.
    assert figures["actor_gold"] == 4 and figures["actor_correct"] == 3
    assert figures["actor_recall"] == 0.75
    assert figures["actor_recall_conflict"] == 1.0  # Reuters is in no conflict relation
    # Gold pairs: {coalition, IS} fights, {USA, SDF} allied, {SDF, "raqqa"} fights (unreachable).
    assert figures["relation_gold"] == 3
    assert figures["by_type"]["FightingAgainst"]["correct"] == 1
    assert figures["by_type"]["AlliesOf"]["correct"] == 1
    assert figures["relation_recall"] == round(2 / 3, 3)
    assert 0 < figures["relation_precision"] <= 1


def test_cli_json_and_table(bench: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", "relations", str(bench), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("documents", "actor_precision", "actor_recall", "actor_f1", "relation_precision",
                "relation_recall", "relation_f1"):
        assert key in figures
    assert set(figures["by_type"]) == {"FightingAgainst", "AlliesOf"}
    table = runner.invoke(app, ["evaluate", "relations", str(bench), "--format", "table"])
    assert table.exit_code == 0 and "FightingAgainst" in table.output


def test_bad_input_is_named(tmp_path: Path) -> None:
    with pytest.raises(RelationBenchError, match=r"no documents\.json"):
        evaluate_relations(tmp_path)
    with pytest.raises(RelationBenchError, match="not a folder"):
        evaluate_relations(tmp_path / "missing")
    (tmp_path / "documents.json").write_text("{not json\n")
    with pytest.raises(RelationBenchError, match=r"documents.json:1: not a JSON line"):
        evaluate_relations(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", "relations", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_mentions_on_uncertain_organisations_are_neither_right_nor_wrong() -> None:
    from frontwatch.evaluate.relations import Span, match_actors
    from frontwatch.extract.context import build_context
    from frontwatch.schema import Article

    ctx = build_context(Article(text=TEXT))
    isil = Span(*_span("ISIL"), "ISIL")
    correct, predicted, _ = match_actors(ctx, [])
    assert correct == 0 and predicted == len(ctx.actors)
    correct, predicted, _ = match_actors(ctx, [], [isil])
    assert correct == 0 and predicted == len(ctx.actors) - 1
