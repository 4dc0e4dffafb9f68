"""``evaluate events`` (CASE 2021 TSV) and ``evaluate plover`` (PLOVER records) on tiny inline files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.evaluate.events import EventBenchError, evaluate_events, f1_figures, read_snippets
from frontwatch.evaluate.plover import PloverBenchError, read_records

runner = CliRunner()

# Four ACLED snippets the rules read right, one they read wrong (a clash read as nothing), and one
# outside ACLED (a flood) that must not count as an ACLED prediction.
TSV = (
    "id\tEventSnippet\tSubType\n"
    "1\tA suicide bomber blew himself up at a checkpoint, killing four soldiers.\tSUIC_BOMB\n"
    "2\tWarplanes carried out airstrikes on rebel positions near Idlib.\tAIR_STRIKE\n"
    "3\tGunmen abducted three aid workers on the road to Kidal.\tABDUCT_DISSAP\n"
    "4\tHundreds of teachers marched peacefully to demand unpaid salaries.\tPeaceful protest\n"
    "5\tThe committee approved the budget on Tuesday.\tARMED_CLASH\n"
    "6\tFloods after heavy rains swept away hundreds of homes.\tNATURAL_DISASTER\n"
)


@pytest.fixture
def tsv(tmp_path: Path) -> Path:
    path = tmp_path / "case.tsv"
    path.write_text(TSV, encoding="utf-8")
    return path


def test_reader_maps_case_codes_and_names(tsv: Path) -> None:
    snippets = read_snippets(tsv)
    assert [s.gold for s in snippets] == [
        "Suicide bomb", "Air/drone strike", "Abduction/forced disappearance", "Peaceful protest", "Armed clash", None,
    ]
    assert snippets[-1].raw_label == "NATURAL_DISASTER"


def test_figures(tsv: Path) -> None:
    figures = evaluate_events(tsv)
    assert figures["snippets"] == 6 and figures["acled_snippets"] == 5
    # four of five ACLED types right (F1 1.0 each), the clash missed (F1 0): weighted 4/5, macro 4/5
    assert figures["weighted_f1"] == pytest.approx(0.8)
    assert figures["macro_f1"] == pytest.approx(0.8)
    assert figures["confusion"]["Armed clash"] == {"(not ACLED)": 1}
    assert figures["labels_outside_acled"] == {"NATURAL_DISASTER": 1}
    assert "method" in figures and figures["snippets_per_second"] > 0


def test_weighted_and_macro_differ_with_support() -> None:
    gold = ["Armed clash", "Armed clash", "Armed clash", "Attack"]
    predicted = ["Armed clash", "Armed clash", "Armed clash", "Armed clash"]
    figures = f1_figures(gold, predicted)
    clash_f1 = 2 * 0.75 * 1.0 / 1.75
    assert figures["macro_f1"] == pytest.approx(clash_f1 / 2)
    assert figures["weighted_f1"] == pytest.approx(clash_f1 * 3 / 4)


def test_cli_json(tsv: Path) -> None:
    result = runner.invoke(app, ["evaluate", "events", str(tsv), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert {"snippets", "weighted_f1", "macro_f1", "confusion", "method"} <= set(figures)
    assert 0 <= figures["weighted_f1"] <= 1 and 0 <= figures["macro_f1"] <= 1
    table = runner.invoke(app, ["evaluate", "events", str(tsv)])
    assert table.exit_code == 0 and "weighted F1" in table.output


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("id\ttext\tlabel\n1\tsomething\tATTACK\n")
    with pytest.raises(EventBenchError, match="EventSnippet, SubType"):
        read_snippets(path)
    result = runner.invoke(app, ["evaluate", "events", str(path)])
    assert result.exit_code == 2 and "bad.tsv" in result.output and "missing column" in result.output


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(EventBenchError, match="cannot be read"):
        read_snippets(tmp_path / "absent.tsv")
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"\xff\xfe\x00EventSnippet\tSubType\n")
    with pytest.raises(EventBenchError, match=r"binary\.tsv"):
        read_snippets(binary)
    empty = tmp_path / "empty.tsv"
    empty.write_text("EventSnippet\tSubType\n")
    with pytest.raises(EventBenchError, match="no snippets"):
        read_snippets(empty)
    blank = tmp_path / "blank.tsv"
    blank.write_text("EventSnippet\tSubType\nsome text\t\n")
    with pytest.raises(EventBenchError, match=r"blank\.tsv:2"):
        read_snippets(blank)


def test_plover_records_reader(tmp_path: Path) -> None:
    path = tmp_path / "gsr.json"
    records = [
        {"id": "DOC", "event": "DOCUMENT", "eventText": "header"},
        {"id": "R1", "event": "DISAPPROVE", "text": "The minister condemned the decision.",
         "source": [{"actorText": "minister", "code": "FRA"}]},
    ]
    path.write_text(json.dumps(records))
    assert [r["id"] for r in read_records(path)] == ["R1"]
    path.write_text(json.dumps([records[0]]))
    with pytest.raises(PloverBenchError, match="no PLOVER records"):
        read_records(path)
    path.write_text("{not json")
    result = runner.invoke(app, ["evaluate", "plover", str(path)])
    assert result.exit_code == 2 and "gsr.json" in result.output and "not JSON" in result.output


def test_plover_figures(tmp_path: Path) -> None:
    path = tmp_path / "gsr.json"
    records = [
        {"id": "R1", "event": "DISAPPROVE", "text": "Sudan condemned the attack on the convoy.",
         "source": [{"actorText": "Sudan", "code": "SDN"}]},
        {"id": "R2", "event": "AGREE", "text": "The two parties signed a peace agreement in Doha.",
         "source": [{"actorText": "parties", "code": "XXX"}]},
    ]
    path.write_text(json.dumps(records))
    result = runner.invoke(app, ["evaluate", "plover", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["records"] == 2 and figures["event_accuracy"] == 1.0
    assert figures["actor_records"] == 2 and figures["actor_match"] == 0.5  # Sudan found; "parties" is no actor


def test_cross_validation_is_said_and_scores_held_out_folds(tmp_path: Path) -> None:
    # two clearly separable types, six snippets each: a model trained on the other folds gets them right
    rows = ["EventSnippet\tSubType"]
    rows += [f"Rebels shelled the town with mortars on day {n}.\tART_MISS_ATTACK" for n in range(6)]
    rows += [f"Police arrested the opposition leader on day {n}.\tARREST" for n in range(6)]
    path = tmp_path / "cv.tsv"
    path.write_text("\n".join(rows) + "\n")
    figures = evaluate_events(path, cross_validate=3)
    assert figures["method"].startswith("3-fold cross-validation")
    assert "snippets_per_second" not in figures
    assert figures["weighted_f1"] == pytest.approx(1.0)
    with pytest.raises(EventBenchError, match="folds"):
        evaluate_events(path, cross_validate=1)


def test_no_overlap_with_the_training_snippets(tsv: Path) -> None:
    assert evaluate_events(tsv)["training_overlap"] == 0


def test_learned_blend_says_so_and_overlap_is_counted_by_hash(tsv: Path, tmp_path: Path) -> None:
    figures = evaluate_events(tsv, learned=True)
    assert "hand-written snippets" in figures["method"] and figures["training_overlap"] == 0
    # a file that repeats a training snippet (other case and spacing) is caught, and not scored on it
    from frontwatch.extract.learned import training_examples

    seen = training_examples()[0]
    path = tmp_path / "overlap.tsv"
    lines = ["EventSnippet\tSubType", f"  {seen.text.upper()}  \t{seen.label}"]
    lines += [f"Police arrested the opposition leader on day {n}.\tARREST" for n in range(4)]
    path.write_text("\n".join(lines) + "\n")
    overlapping = evaluate_events(path, learned=True)
    assert overlapping["training_overlap"] == 1 and "cross-validation" in overlapping["method"]
