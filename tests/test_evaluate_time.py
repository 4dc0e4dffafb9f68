"""TimeML benchmark reader and TempEval-3 figures, on a tiny inline fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.evaluate.timeml import TimeBenchError, evaluate_time, read_timeml

# DCT Friday 1998-08-07. Gold: "Thursday" (1998-08-06), "last year" (1997), "two weeks" (P2W) and a
# timex frontwatch cannot read ("the aftermath", given a made-up value): recall is 3/4.
TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07"
  functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TEXT>
Rebels <EVENT eid="e1">attacked</EVENT> the town
<TIMEX3 tid="t1" type="DATE" value="1998-08-06">Thursday</TIMEX3> &amp; fled.
Prices rose <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3>
for <TIMEX3 tid="t3" type="DURATION" value="P2W">two weeks</TIMEX3>.
Help came in <TIMEX3 tid="t4" type="DATE" value="1998-08-07">the aftermath</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "doc.tml").write_text(TML)
    return tmp_path


def test_reader_rebuilds_text_and_offsets(bench: Path) -> None:
    doc = read_timeml(bench / "sub" / "doc.tml")
    assert doc.created.isoformat() == "1998-08-07"
    assert [g.text for g in doc.gold] == ["Thursday", "last year", "two weeks", "the aftermath"]
    assert all(doc.text[g.start : g.end] == g.text for g in doc.gold)
    assert "&" in doc.text and "<EVENT" not in doc.text


def test_figures(bench: Path) -> None:
    figures = evaluate_time(bench)
    assert figures["documents"] == 1 and figures["timexes"] == 4
    assert figures["value_accuracy_gold_spans"] == 0.75  # the unreadable timex has no value
    assert figures["strict_recall"] == 0.75 and figures["strict_precision"] == 1.0
    assert figures["value_f1"] == round(2 * 1.0 * 0.75 / 1.75, 4)
    assert figures["type_accuracy"] == 1.0


def test_errors_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(TimeBenchError, match="no such file"):
        evaluate_time(tmp_path / "missing")
    with pytest.raises(TimeBenchError, match=r"no \.tml files"):
        evaluate_time(tmp_path)
    (tmp_path / "broken.tml").write_text("<TimeML><TEXT>unclosed")
    with pytest.raises(TimeBenchError, match=r"broken\.tml"):
        evaluate_time(tmp_path)
    (tmp_path / "broken.tml").write_text("<TimeML><TEXT>no creation time</TEXT></TimeML>")
    with pytest.raises(TimeBenchError, match=r"broken\.tml.*creation time"):
        evaluate_time(tmp_path)


def test_cli_json(bench: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "time", str(bench), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("timexes", "value_accuracy_gold_spans", "strict_f1", "relaxed_f1", "value_f1", "type_accuracy"):
        assert key in figures
    missing = CliRunner().invoke(app, ["evaluate", "time", str(bench / "nope")])
    assert missing.exit_code != 0


def test_values_compared_after_spelling_normalisation() -> None:
    from frontwatch.evaluate.timeml import same_value

    assert same_value("2000-W7", "2000-W07")
    assert same_value(" 1998-q3", "1998-Q3")
    assert not same_value("2000-W7", "2000-W17")
    assert not same_value("2000-W07", None)
    assert not same_value("1998", "1998-Q3")  # meaning is never normalised away


def test_one_digit_week_in_gold_counts_as_correct(tmp_path: Path) -> None:
    # DCT Wednesday 2000-02-16: "this week" is ISO week 7, which the gold file writes "2000-W7".
    (tmp_path / "doc.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2000-02-16">2000-02-16</TIMEX3></DCT>'
        '<TEXT>Talks resume <TIMEX3 tid="t1" type="DATE" value="2000-W7">this week</TIMEX3>.</TEXT></TimeML>'
    )
    figures = evaluate_time(tmp_path)
    assert figures["value_accuracy_gold_spans"] == 1.0 and figures["value_f1"] == 1.0


def test_gold_span_is_read_as_its_given_type(tmp_path: Path) -> None:
    # DCT Monday 1998-08-17. The same words, "last week", annotated once as a DURATION (P1W) and
    # once as a DATE (the week): on the gold spans the given type decides; end to end it cannot.
    (tmp_path / "doc.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-17">1998-08-17</TIMEX3></DCT>'
        '<TEXT>An official said <TIMEX3 tid="t1" type="DURATION" value="P1W">last week</TIMEX3> that '
        'tests were done. The bombings <TIMEX3 tid="t2" type="DATE" value="1998-W33">last week</TIMEX3> '
        'killed 200. Talks ran <TIMEX3 tid="t3" type="TIME" value="1998-08-15TNI">Saturday night</TIMEX3>.'
        "</TEXT></TimeML>"
    )
    figures = evaluate_time(tmp_path)
    assert figures["value_accuracy_gold_spans"] == 1.0
    assert figures["value_f1"] < 1.0  # end to end "last week" is the week both times
    assert figures["value_accuracy_gold_extents_untyped"] < 1.0  # so is the extent read without its type


def test_a_part_of_the_day_on_a_gold_span_is_on_the_day_named_before(tmp_path: Path) -> None:
    # DCT Monday 1989-10-30; "the morning" (TIME) follows "Friday" (1989-10-27), not the creation day.
    (tmp_path / "doc.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1989-10-30">1989-10-30</TIMEX3></DCT>'
        '<TEXT>Stocks crashed <TIMEX3 tid="t1" type="DATE" value="1989-10-27">Friday</TIMEX3>. Dealers '
        'placed orders in <TIMEX3 tid="t2" type="TIME" value="1989-10-27TMO">the morning</TIMEX3>.'
        "</TEXT></TimeML>"
    )
    assert evaluate_time(tmp_path)["value_accuracy_gold_spans"] == 1.0


def test_a_gold_span_inside_a_longer_reading_of_its_type_takes_that_reading(tmp_path: Path) -> None:
    # "a year" (DATE) inside "a year earlier": the date a year back, not the length P1Y.
    (tmp_path / "doc.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1989-10-30">1989-10-30</TIMEX3></DCT>'
        '<TEXT>Profit rose from $4 million <TIMEX3 tid="t1" type="DATE" value="1988">a year</TIMEX3> earlier.'
        "</TEXT></TimeML>"
    )
    assert evaluate_time(tmp_path)["value_accuracy_gold_spans"] == 1.0
