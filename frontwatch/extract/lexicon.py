"""The trigger and modality word lists (frontwatch/data/triggers.toml, modality.toml), loaded once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token


@dataclass(frozen=True)
class Frame:
    type: str
    role: str
    requires: str | None


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, list[Frame]]
    nouns: dict[str, Frame]
    operations: frozenset[str]
    phrases: dict[str, re.Pattern[str]]
    modality: dict[str, dict[str, list[str]]]
    candidate: re.Pattern[str]  # a cheap test: can this sentence carry an event at all?
    irregular: dict[str, str]
    site_nouns: frozenset[str]
    capture_taker_verbs: frozenset[str] = frozenset()  # "The SDF announced the capture of X": the SDF took X
    in_town_sites: frozenset[str] = frozenset()  # "the presidential palace in Khartoum": a site of the town
    gain_into: frozenset[str] = frozenset()  # "stormed into the city": a gain written as a movement into it
    withdrawal_done_verbs: frozenset[str] = frozenset()  # "completed their withdrawal from X"

    def lemma(self, token: Token) -> str:
        """The token's lemma, mending irregular forms the statistical lemmatizer leaves inflected."""
        lower = token.lower_
        if lower in self.irregular:
            return self.irregular[lower]
        lemma = token.lemma_.lower()
        return self.irregular.get(lemma, lemma)

    def frames_for_verb(self, lemma: str) -> list[Frame]:
        return self.verbs.get(lemma, [])

    def words(self, section: str, key: str) -> frozenset[str]:
        return frozenset(self.modality.get(section, {}).get(key, []))

    def patterns(self, section: str, key: str) -> list[re.Pattern[str]]:
        return _compiled(tuple(self.modality.get(section, {}).get(key, [])))


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    """Modality patterns are matched against every trigger: compile each list once."""
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("frontwatch.data").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    triggers = _data("triggers.toml")
    verbs: dict[str, list[Frame]] = {}
    nouns: dict[str, Frame] = {}
    for entry in triggers["frame"]:
        frame = Frame(entry["type"], entry["role"], entry.get("requires"))
        for verb in entry.get("verbs", []):
            verbs.setdefault(verb, []).append(frame)
        for noun in entry.get("nouns", []):
            nouns.setdefault(noun, frame)
    phrases = {k: re.compile(v, re.IGNORECASE) for k, v in triggers["phrases"].items()}
    irregular = dict(triggers["irregular"])
    forms = {w[:-1] if w.endswith("e") else w for w in list(verbs) + list(nouns) + list(irregular)}
    forms |= {"hold", "control", "hands", "fighters", "militants", "troops", "soldiers", "percent"}
    candidate = re.compile(
        r"\b(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")", re.IGNORECASE
    )
    return Lexicon(
        verbs,
        nouns,
        frozenset(triggers["operations"]["nouns"]),
        phrases,
        _data("modality.toml"),
        candidate,
        irregular,
        frozenset(triggers["sites"]["nouns"]),
        frozenset(triggers.get("capture_nouns", {}).get("taker_verbs", ())),
        frozenset(triggers["sites"].get("in_town", ())),
        frozenset(triggers.get("gain_into", {}).get("verbs", ())),
        frozenset(triggers.get("withdrawal_nouns", {}).get("done_verbs", ())),
    )
