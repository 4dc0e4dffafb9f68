"""Rule-based sentence splitting: offsets into the text, abbreviations, paragraphs, datelines."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from frontwatch.nlp.sentences import split_sentences

TEXT = (
    "The U.S. said on Aug. 20 that Lt. Gen. Smith had arrived in Baghdad. He met Iraqi commanders.\n"
    "\n"
    "Fighting resumed near Mosul! Was the city lost? Officials would not say.\n"
    "- Troops entered al-Qaim on Friday."
)


def test_offsets_round_trip_into_the_text() -> None:
    sentences = split_sentences(TEXT)
    assert sentences
    for s in sentences:
        assert TEXT[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(a.end <= b.start for a, b in pairwise(sentences))


def test_abbreviations_do_not_end_a_sentence() -> None:
    first = split_sentences(TEXT)[0]
    assert first.text == "The U.S. said on Aug. 20 that Lt. Gen. Smith had arrived in Baghdad."


def test_sentence_ends_on_full_stop_exclamation_and_question_mark() -> None:
    texts = [s.text for s in split_sentences(TEXT)]
    assert texts == [
        "The U.S. said on Aug. 20 that Lt. Gen. Smith had arrived in Baghdad.",
        "He met Iraqi commanders.",
        "Fighting resumed near Mosul!",
        "Was the city lost?",
        "Officials would not say.",
        "- Troops entered al-Qaim on Friday.",
    ]


def test_paragraphs_are_counted_at_line_breaks() -> None:
    paragraphs = [s.paragraph for s in split_sentences(TEXT)]
    assert paragraphs == [0, 0, 1, 1, 1, 2]


def test_single_newlines_separate_paragraphs_too() -> None:
    text = "Raqqa fell in October.\nMosul fell in July.\nDeir ez-Zor fell in November."
    sentences = split_sentences(text)
    assert [s.paragraph for s in sentences] == [0, 1, 2]
    assert sentences[1].text == "Mosul fell in July."


def test_skip_prefix_leaves_the_dateline_out() -> None:
    dateline = "BEIRUT — "
    text = dateline + "Syrian troops entered Deir ez-Zor. The army said the city was secure."
    sentences = split_sentences(text, skip_prefix=len(dateline))
    assert sentences[0].start == len(dateline)
    assert sentences[0].text == "Syrian troops entered Deir ez-Zor."
    assert text[sentences[1].start : sentences[1].end] == "The army said the city was secure."
    assert split_sentences(text)[0].text.startswith("BEIRUT")


def test_empty_and_blank_text_give_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n  ") == []


@given(st.text(alphabet=st.sampled_from("abc XY.!?\n\"'"), max_size=80))
def test_offsets_round_trip_for_any_text(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text.strip()
