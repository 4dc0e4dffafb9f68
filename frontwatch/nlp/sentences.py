"""Split article text into sentences with character offsets, without a statistical model.

Evidence must point into the stored text, so every sentence keeps its offsets. A rule-based
splitter is enough for edited news prose and keeps the statistical parser for the few
sentences that can carry an event (see ``frontwatch.nlp.pipeline``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "u.s",
    "u.n",
    "u.k",
    "e.u",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "brig",
    "adm",
    "gov",
    "sen",
    "rep",
    "st",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "est",
    "inc",
    "corp",
    "co",
    "ltd",
    "jr",
    "sr",
    "prof",
    "rev",
}
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-*•])|\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str, skip_prefix: int = 0) -> list[Sentence]:
    """Sentences of ``text`` in order; each ``text`` equals ``text[start:end]`` of the input.

    ``skip_prefix`` characters at the start (a dateline such as "BEIRUT — ") belong to no sentence.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    start = skip_prefix
    for match in _BOUNDARY.finditer(text, skip_prefix):
        chunk = match.group(0)
        if "\n" not in chunk and _is_abbreviation(text, match.start()):
            continue
        _append(sentences, text, start, match.start() + len(chunk.rstrip()), paragraph)
        if "\n" in chunk:
            paragraph += 1
        start = match.end()
    _append(sentences, text, start, len(text), paragraph)
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = _WORD_BEFORE.search(text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).lower()
    if token in _ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.S." (a single capital letter before the dot).
    return len(token) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end], paragraph))
