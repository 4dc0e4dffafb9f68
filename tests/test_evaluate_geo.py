"""`frontwatch evaluate geo`: reading LGL and GeoVirus files and the figures it reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.evaluate.geo import GeoBenchError, evaluate_geo, read_geo_corpus

TEXT = "Troops left Raqqa for Aleppo. Later Zzyzxqville was quiet."
RAQQA, ALEPPO, UNKNOWN = (12, 17), (22, 28), (36, 47)


def _lgl(toponyms: list[tuple[tuple[int, int], float, float, int]]) -> str:
    items = "".join(
        f"<toponym><start>{s}</start><end>{e}</end><phrase>{TEXT[s:e]}</phrase>"
        f'<gaztag geonameid="{gid}"><lat>{lat}</lat><lon>{lon}</lon></gaztag></toponym>'
        for (s, e), lat, lon, gid in toponyms
    )
    return f'<articles><article docid="1"><text>{TEXT}</text><toponyms>{items}</toponyms></article></articles>'


@pytest.fixture
def lgl_file(tmp_path: Path) -> Path:
    path = tmp_path / "lgl.xml"
    path.write_text(
        _lgl([(RAQQA, 35.95, 39.01, 172955), (ALEPPO, 36.20, 37.16, 170063), (UNKNOWN, 10.0, 10.0, 1)]),
        encoding="utf-8",
    )
    return path


def test_gold_span_figures(lgl_file: Path) -> None:
    figures = evaluate_geo(lgl_file)
    assert figures["toponyms"] == 3
    # Raqqa and Aleppo are placed right; the invented name cannot be placed at all.
    assert figures["acc161"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["unresolved"] == pytest.approx(1 / 3, abs=1e-3)
    assert figures["exact_id"] == pytest.approx(2 / 3, abs=1e-3)
    assert figures["median_km"] < 50


def test_end_to_end_counts_recognition_and_distance(lgl_file: Path) -> None:
    figures = evaluate_geo(lgl_file)
    # The recogniser finds Raqqa and Aleppo (both right) but not the invented name.
    assert figures["e2e_precision"] == 1.0
    assert figures["e2e_recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert 0.79 < figures["e2e_f1"] < 0.81  # type: ignore[operator]


def test_a_wrong_gold_point_counts_as_an_error(tmp_path: Path) -> None:
    path = tmp_path / "far.xml"
    path.write_text(_lgl([(RAQQA, 40.7, -74.0, 5128581)]), encoding="utf-8")  # gold put in New York
    figures = evaluate_geo(path)
    assert figures["acc161"] == 0.0 and figures["e2e_precision"] == 0.0 and figures["mean_km"] > 9000  # type: ignore[operator]


def test_geovirus_format_with_offsets_one_off(tmp_path: Path) -> None:
    # GeoVirus counts its offsets from one character later than the text: they are realigned.
    path = tmp_path / "gv.xml"
    path.write_text(
        f"<articles><article><source>x</source><text>{TEXT}</text><locations>"
        f"<location><name>Aleppo</name><start>23</start><end>29</end><lat>36.2</lat><lon>37.16</lon>"
        f"<page>w</page></location></locations></article></articles>",
        encoding="utf-8",
    )
    [article] = read_geo_corpus(path)
    assert [(t.start, t.end) for t in article.toponyms] == [ALEPPO]
    figures = evaluate_geo(path)
    assert figures["acc161"] == 1.0 and figures["exact_id"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [("<articles><article>", "not well-formed"), ("<articles></articles>", "no <article>"),
     ("<articles><article><toponyms/></article></articles>", "without <text>")],
)  # fmt: skip
def test_bad_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GeoBenchError, match=message) as info:
        evaluate_geo(path)
    assert "bad.xml" in str(info.value)


def test_cli_json_keys(lgl_file: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "geo", str(lgl_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("toponyms", "acc161", "mean_km", "median_km", "exact_id", "e2e_precision", "e2e_recall", "e2e_f1"):
        assert key in figures
    assert figures["resolutions_per_cpu_s"] > 0


def test_cli_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "geo", str(tmp_path / "none.xml")])
    assert result.exit_code == 2
    assert "none.xml" in result.output and "no such file" in result.output
