"""The ACLED snippet classifier and the ``frontwatch classify`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.extract.classify import classify, classify_plover, plover_types, sub_event_types, word_prefixes

runner = CliRunner()


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("A suicide bomber blew himself up at a checkpoint, killing four soldiers.", "Suicide bomb"),
        ("Two policemen were wounded when a grenade was hurled at their vehicle in Srinagar.", "Grenade"),
        ("Warplanes carried out airstrikes on rebel positions near Idlib.", "Air/drone strike"),
        ("A roadside bomb exploded under a bus near Kandahar.", "Remote explosive/landmine/IED"),
        ("Gunmen abducted three aid workers on the road to Kidal.", "Abduction/forced disappearance"),
        ("Police fired tear gas and water cannon to disperse the protesters.", "Protest with intervention"),
        ("Hundreds of teachers marched peacefully to demand unpaid salaries.", "Peaceful protest"),
        ("The two sides signed a ceasefire agreement in Doha.", "Agreement"),
        ("Security forces defused a bomb planted near the market.", "Disrupted weapons use"),
        # the weapon makes it remote violence even when civilians die (ACLED codebook)
        ("A landmine killed three children herding goats near Kandahar.", "Remote explosive/landmine/IED"),
        # "riot police" do not make a riot
        ("Riot police fired tear gas at students protesting fee hikes.", "Protest with intervention"),
    ],
)
def test_clear_snippets(snippet: str, expected: str) -> None:
    assert classify(snippet).sub_event_type == expected


def test_narrower_type_wins_over_its_family() -> None:
    protest = "Protesters rallied in the capital; police shot dead two demonstrators with live ammunition."
    assert classify(protest).sub_event_type == "Excessive force against protesters"


def test_outside_acled_types_have_no_event_type() -> None:
    result = classify("A magnitude 6.1 earthquake struck the region, and floods followed heavy rains.")
    assert result.sub_event_type == "Natural disaster" and result.event_type is None


def test_no_cue_no_answer() -> None:
    result = classify("The committee approved the budget on Tuesday.")
    assert result.sub_event_type is None and result.score == 0.0


def test_plover_rules() -> None:
    assert classify_plover("The minister condemned the decision.").sub_event_type == "DISAPPROVE"
    assert classify_plover("The two governments signed a trade agreement.").sub_event_type == "AGREE"


def test_cli_json_keys() -> None:
    result = runner.invoke(app, ["classify", "A car bomb exploded near the market, killing five."])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"sub_event_type", "event_type", "score", "alternatives", "plover_type", "cameo"} <= set(record)
    assert record["sub_event_type"] == "Remote explosive/landmine/IED"
    assert record["event_type"] == "Explosions/Remote violence"
    assert 0 < record["score"] <= 1
    assert all({"sub_event_type", "score"} == set(a) for a in record["alternatives"])


def test_cli_reads_stdin_and_files(tmp_path: Path) -> None:
    lines = "Rebels shelled the town.\n\nTroops clashed with militants near the border.\n"
    result = runner.invoke(app, ["classify", "-"], input=lines)
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 2
    path = tmp_path / "snippets.txt"
    path.write_text(lines)
    result = runner.invoke(app, ["classify", "--file", str(path), "--format", "table"])
    assert result.exit_code == 0 and "Armed clash" in result.output


def test_cli_bad_input(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["classify", "--file", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.output and "cannot be read" in missing.output
    both = runner.invoke(app, ["classify"])
    assert both.exit_code == 2 and "exactly one" in both.output
    (tmp_path / "empty.txt").write_text("\n")
    empty = runner.invoke(app, ["classify", "--file", str(tmp_path / "empty.txt")])
    assert empty.exit_code == 2 and "empty" in empty.output


def test_prefix_filter_never_hides_a_match() -> None:
    """The word-start pre-filter only skips searches that cannot match."""
    texts = [
        "Al-Shabaab militants overran the base; the SAA retook it from ISIS.",
        "IEDs, VBIEDs and U.N.-made mortars were found. Cease-fire talks: 'stun grenades' used.",
        "He was held captive; anti-government protesters threw stones at riot police.",
    ]
    for label in (*sub_event_types(), *plover_types()):
        for cue in label.cues:
            for text in texts:
                if cue.pattern.search(text):
                    assert cue.found_in(text, word_prefixes(text)), (label.name, cue.pattern.pattern, text)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("ISIS fighters recaptured the village from the army after a counter-attack.",
         "Non-state actor overtakes territory"),
        ("An army spokesman said militants gained control of the district after heavy fighting.",
         "Non-state actor overtakes territory"),
        ("Government troops recaptured the town from the rebels on Sunday.", "Government regains territory"),
        ("The army and allied fighters captured a key neighbourhood, the army said.", "Government regains territory"),
    ],
)
def test_the_taker_decides_the_territory_type(snippet: str, expected: str) -> None:
    assert classify(snippet).sub_event_type == expected


# --- the optional learned model (extract/learned.py), trained on data/codes/training_snippets.jsonl ---


def test_training_snippets_are_labelled_with_known_types_and_unique() -> None:
    from collections import Counter

    from frontwatch.extract.learned import snippet_hash, training_examples

    examples = training_examples()
    counts = Counter(e.label for e in examples)
    assert set(counts) == {t.name for t in sub_event_types()}  # every label, and only known ones
    assert min(counts[t.name] for t in sub_event_types() if t.acled and t.name != "Other") >= 20
    assert len({snippet_hash(e.text) for e in examples}) == len(examples)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [  # one clear case per family, none of them a training snippet
        ("A drone strike destroyed a pickup truck carrying fighters near Sirte.", "Air/drone strike"),
        ("Troops and insurgents fought a gun battle for two hours near the bridge.", "Armed clash"),
        ("Gunmen shot dead four farmers in their fields near Mopti.", "Attack"),
        ("Riot police fired tear gas and arrested dozens of marchers in the capital.", "Protest with intervention"),
        ("Rioters torched two police cars and stoned officers after the verdict.", "Violent demonstration"),
        ("Police arrested the leader of the opposition party at his home.", "Arrests"),
        ("Floods after days of heavy rain displaced thousands of families in the delta.", "Natural disaster"),
    ],
)
def test_learned_blend_reads_a_clear_case_per_family(snippet: str, expected: str) -> None:
    from frontwatch.extract.learned import snippet_hash, training_hashes

    assert snippet_hash(snippet) not in training_hashes()
    assert classify(snippet, learned=True).sub_event_type == expected


def test_learned_model_gives_probabilities_over_every_label() -> None:
    from frontwatch.extract.learned import probabilities

    p = probabilities("A car bomb exploded outside the governor's office.")
    assert set(p) == {t.name for t in sub_event_types()}
    assert sum(p.values()) == pytest.approx(1.0, abs=1e-4)
    assert max(p, key=p.__getitem__) == "Remote explosive/landmine/IED"


def test_training_is_deterministic_and_weights_round_trip(tmp_path: Path) -> None:
    import numpy as np

    from frontwatch.extract.learned import load, save, train, training_examples

    subset = training_examples()[::5]  # a fifth of the snippets keeps the test quick
    first, second = train(subset), train(subset)
    assert first.classes == second.classes
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)
    path = tmp_path / "weights.npz"
    save(first, path)
    loaded = load(path)
    assert loaded is not None and loaded.classes == first.classes
    assert np.array_equal(loaded.weights, first.weights)
    path.write_bytes(b"not an npz file")
    assert load(path) is None  # a damaged cache is retrained, not trusted


def test_training_rejects_unknown_labels() -> None:
    from frontwatch.extract.learned import Example, train

    with pytest.raises(ValueError, match="unknown label"):
        train([Example("Rebels shelled the town.", "Shelling")])
