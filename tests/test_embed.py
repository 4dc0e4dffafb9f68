"""The sentence-embedding part of the snippet classifier: tokenizer, encoder, nearest snippets, blend."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from frontwatch.cli import app
from frontwatch.extract import classify as classifier
from frontwatch.extract import embed, neighbours
from frontwatch.extract.learned import snippet_hash, training_hashes

runner = CliRunner()

# Word-piece ids from the model's own tokenizer.json read by Hugging Face `tokenizers` 0.23.3:
# control characters, accents, dashes, guillemets, Greek and Chinese handled as BERT does.
TOKENIZED = [
    (
        "Control\x0bchars\x1fhere \x7f and tabs\tnewlines\n",
        [101, 2491, 7507, 2869, 5886, 2063, 1998, 21628, 2015, 2047, 12735, 102],
    ),
    (
        "naïve café in São Paulo — 3,000 «troops»",
        [101, 15743, 7668, 1999, 7509, 9094, 1517, 1017, 1010, 2199, 1077, 3629, 1090, 102],
    ),
    ("Ελληνικά 中文 text", [101, 1159, 29727, 29727, 24824, 16177, 18199, 29726, 14608, 1746, 1861, 3793, 102]),
]

# The first eight dimensions of sentence-transformers 6.2.0's all-MiniLM-L6-v2 vectors (torch 2.13,
# float32, normalize_embeddings=True) for two sentences written for this test.
REFERENCE = {
    "Militants stormed an army checkpoint near the town and killed four soldiers.": [
        0.02532, 0.08424, -0.00582, -0.0253, 0.05778, 0.01691, 0.02279, -0.02356,
    ],
    "Thousands of farmers marched peacefully to parliament to demand higher crop prices.": [
        0.0663, 0.0183, 0.01413, 0.03305, 0.05675, 0.01236, -0.05615, -0.01242,
    ],
}


@pytest.mark.parametrize(("text", "ids"), TOKENIZED)
def test_tokenizer_matches_berts_uncased_wordpiece(text: str, ids: list[int]) -> None:
    assert embed.encoder().tokenizer.encode(text) == ids


def test_long_snippets_are_cut_to_max_tokens() -> None:
    ids = embed.encoder().tokenizer.encode("The army shelled the village again. " * 40)
    assert len(ids) == embed.MAX_TOKENS and ids[0] == 101 and ids[-1] == 102


def test_float32_vectors_are_sentence_transformers_own() -> None:
    import torch

    encoder = embed.Encoder(embed.model_dir(), dtype=torch.float32)
    vectors = encoder.embed(list(REFERENCE))
    assert vectors.shape == (2, embed.DIMENSIONS)
    np.testing.assert_allclose(vectors[:, :8], np.array(list(REFERENCE.values())), atol=2e-4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_bfloat16_stays_close_to_float32_and_ignores_batch_mates() -> None:
    import torch

    texts = list(REFERENCE)
    exact = embed.Encoder(embed.model_dir(), dtype=torch.float32).embed(texts)
    fast = embed.embed(texts)
    assert (exact * fast).sum(axis=1).min() > 0.99
    alone = embed.embed(texts[:1])[0]
    with_others = embed.embed([texts[0], "A much longer snippet about shelling. " * 10, "Short."])[0]
    assert float(alone @ with_others) > 0.995


def test_meaning_not_words_brings_snippets_together() -> None:
    strike, bombing, march = embed.embed([
        "Fighter jets bombed rebel positions overnight.",
        "Warplanes struck insurgent hideouts.",
        "Teachers held a peaceful sit-in outside the ministry.",
    ])
    assert float(strike @ bombing) > float(strike @ march) + 0.2


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(embed.EmbeddingUnavailable, match=r"requirements-model\.txt"):
        embed.model_dir()


# --- the nearest hand-written snippets (extract/neighbours.py) ---------------------------------------


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("A roadside bomb tore through an army convoy on the highway, wounding six soldiers.",
         "Remote explosive/landmine/IED"),
        ("Riot police charged the crowd of demonstrators with batons and arrested dozens.",
         "Protest with intervention"),
    ],
)
def test_nearest_snippets_vote_for_the_type(snippet: str, expected: str) -> None:
    assert snippet_hash(snippet) not in training_hashes()  # unseen text
    [votes] = neighbours.probabilities([snippet])
    assert abs(sum(votes.values()) - 1.0) < 1e-6
    assert max(votes, key=votes.__getitem__) == expected


def test_reference_vectors_are_cached_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTWATCH_CACHE", str(tmp_path))
    neighbours.reference.cache_clear()
    try:
        vectors, labels, _ = neighbours.reference()
        assert neighbours.cache_path().is_file() and vectors.shape == (len(labels), embed.DIMENSIONS)
        neighbours.reference.cache_clear()

        def no_model(texts: list[str]) -> np.ndarray:
            raise AssertionError("the cached vectors should have been read")

        monkeypatch.setattr(embed, "embed", no_model)
        again, _, _ = neighbours.reference()
        np.testing.assert_array_equal(vectors, again)
    finally:
        neighbours.reference.cache_clear()


# --- the blend in classify_many ----------------------------------------------------------------------


def _fake_votes(votes: dict[str, float], calls: list[str]):  # type: ignore[no-untyped-def]
    def probabilities(texts: list[str]) -> list[dict[str, float]]:
        calls.extend(texts)
        return [votes for _ in texts]

    return probabilities


def test_embeddings_are_asked_only_when_the_rules_are_unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(neighbours, "probabilities", _fake_votes({"Arrests": 1.0}, calls))
    sure = "A suicide bomber blew himself up at a checkpoint."
    nothing = "The committee approved the budget on Tuesday."
    assert classifier.rules_unsure(classifier.scores(nothing)) and not classifier.rules_unsure(classifier.scores(sure))
    results = classifier.classify_many([sure, nothing])
    assert calls == [nothing]
    assert results[0].sub_event_type == "Suicide bomb"
    assert results[1].sub_event_type == "Arrests"  # no cue: the vote stands when at least MODEL_ALONE sure


def test_a_weak_vote_on_a_snippet_without_cues_gives_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neighbours, "probabilities", _fake_votes({"Arrests": 0.4, "Attack": 0.6 - 1e-9}, []))
    assert classifier.classify_many(["The committee approved the budget on Tuesday."])[0].sub_event_type == "Attack"
    monkeypatch.setattr(neighbours, "probabilities", _fake_votes({"Arrests": 0.4, "Attack": 0.4, "Other": 0.2}, []))
    assert classifier.classify_many(["The committee approved the budget on Tuesday."])[0].sub_event_type is None


def test_the_vote_settles_what_the_rules_leave_close(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Protesters threw stones and police fired tear gas."
    ranked = classifier.scores(text)
    assert classifier.rules_unsure(ranked) and len(ranked) >= 2
    runner_up = ranked[1][0].name
    monkeypatch.setattr(neighbours, "probabilities", _fake_votes({runner_up: 1.0}, []))
    assert classifier.classify_many([text])[0].sub_event_type == runner_up
    assert classifier.classify_many([text], embeddings=False)[0].sub_event_type == ranked[0][0].name
    assert classifier.classify(text).sub_event_type == ranked[0][0].name  # classify: rules by default


def test_cli_classify_keeps_its_keys_with_and_without_embeddings() -> None:
    text = "Warplanes carried out airstrikes on rebel positions, and fighting followed in the town."
    records = [json.loads(runner.invoke(app, ["classify", text, *flag]).stdout) for flag in ([], ["--no-embeddings"])]
    assert list(records[0]) == list(records[1])
    assert {"text", "sub_event_type", "event_type", "score", "alternatives", "plover_type", "cameo"} <= set(records[0])


def test_missing_torch_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    embed.encoder.cache_clear()
    try:
        with pytest.raises(embed.EmbeddingUnavailable, match="--no-embeddings"):
            embed.encoder()
    finally:
        embed.encoder.cache_clear()


def test_cli_names_the_missing_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "no_such_model_package")
    embed.encoder.cache_clear()
    try:
        result = runner.invoke(app, ["classify", "The committee approved the budget on Tuesday."])
        assert result.exit_code != 0 and "requirements-model.txt" in result.output
        rules = runner.invoke(app, ["classify", "The committee approved the budget on Tuesday.", "--no-embeddings"])
        assert rules.exit_code == 0
    finally:
        embed.encoder.cache_clear()
