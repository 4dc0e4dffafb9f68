"""Page furniture: lines of a news page that are not the article, and article lines that must stay."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from frontwatch.ingest.furniture import Furniture, find_furniture

# The shared corpus lies beside the repository (../shared), for developers and CI alike.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED_TEXT = SHARED / "seed" / "000_82e30c27ffb052b5.txt"
DEV = SHARED / "dev" / "articles.jsonl"

ARTICLE = (
    "KYIV, Ukraine (AP) — Ukrainian forces entered the town of Kupiansk on Tuesday, officials said.\n"
    '"We are in the city," a commander said.\n'
    "ISIS — the group that once held a third of Iraq — is weakened.\n"
    "- Russian forces withdrew from two villages near Lyman\n"
    "By Tuesday evening, the army had pushed east.\n"
    "The offensive is the biggest since the spring, according to Ukraine's General Staff."
)


def flagged(text: str, published: dt.date | None = None) -> dict[str, str]:
    """Flagged line text → reason."""
    return {text[f.start : f.end]: f.reason for f in find_furniture(text, published)}


def test_seed_trailing_headlines_are_flagged_and_nothing_else() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    found = find_furniture(text, dt.date(2017, 11, 5))
    lines = [text[f.start : f.end] for f in found]
    assert lines == text.strip().splitlines()[-3:]
    assert all(line.startswith("- ") and line.endswith("2017") for line in lines)
    assert {f.reason for f in found} == {"headline dated after publication"}


def test_dated_headlines_are_flagged_without_a_publication_date() -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert len(find_furniture(text)) == 3


def test_spans_point_into_the_unchanged_text() -> None:
    text = "Body paragraph one.\n\n  - Related Story Headline Here - May 2, 2023  \n"
    (found,) = find_furniture(text)
    assert isinstance(found, Furniture)
    assert text[found.start : found.end] == "- Related Story Headline Here - May 2, 2023"


def test_dev_articles_have_no_furniture() -> None:
    for line in DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = dt.date.fromisoformat(record["published"])
        assert find_furniture(record["text"], published) == [], record["id"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("By Jane Doe and John Smith, Reuters", "byline"),
        ("By REUTERS STAFF", "byline"),
        ("Updated: Nov. 5, 2017", "timestamp line"),
        ("FILE PHOTO: Soldiers ride a tank near Kupiansk, Ukraine, September 10, 2022.", "photo caption"),
        ("Fighters stand in Raqqa, Syria, October 17, 2017. REUTERS/Erik De Castro", "photo caption"),
        ("Read more: How the counteroffensive unfolded", "link or share line"),
        ("Follow us on Twitter for live updates", "link or share line"),
        ("Share this article", "navigation or share line"),
        ("Advertisement", "navigation or share line"),
        ("- Russia Says It Repelled Attacks Near Bakhmut", "related headline"),
        ("• Army Chief Visits Front Line - 3 March 2021", "headline with a date"),
        ("(Reporting by Jane Doe; Editing by John Smith)", "reporting credit"),
        ("Sam Roe contributed to this report.", "reporting credit"),
        ("© 2022 Example News. All rights reserved.", "copyright line"),
    ],
)
def test_furniture_lines(line: str, reason: str) -> None:
    text = ARTICLE + "\n" + line + "\n" + "Officials said the town was calm on Wednesday."
    assert flagged(text, dt.date(2022, 9, 11)) == {line: reason}


def test_later_dateline_opens_another_story() -> None:
    other = "BAKHMUT, Ukraine (Reuters) - Fighting raged on Wednesday around the eastern city."
    assert flagged(ARTICLE + "\n" + other) == {other: "dateline of another story"}


def test_trailing_block_of_title_case_lines() -> None:
    tail = ["Israel Closes Border Crossings Into Gaza", "Attempted Terror Attack In New York City"]
    found = flagged(ARTICLE + "\n\n" + "\n".join(tail) + "\n")
    assert found == dict.fromkeys(tail, "trailing headline list")


def test_a_single_short_closing_line_is_not_a_headline_list() -> None:
    assert flagged(ARTICLE + "\nIslamic State Still Holds Rawa") == {}


@pytest.mark.parametrize(
    "line",
    [
        "BEIRUT — The U.S.-backed Syrian Democratic Forces said on Tuesday they had taken Raqqa.",
        '"Military operations in Raqqa are over. The whole city is in our hands now," he said.',
        "By nightfall, Russian troops had left the town, the governor said.",
        "- The army says it took Bakhmut on Tuesday.",
        "Kurdish authorities plan to hold a referendum on Sept. 25, 2017.",
        "Reuters could not independently verify the report.",
        "Photographs showed troops raising the flag over the town hall.",
        "The ceasefire signed in Minsk - February 12, 2015 - collapsed within days.",
    ],
)
def test_article_lines_are_not_furniture(line: str) -> None:
    assert flagged(ARTICLE + "\n" + line + "\nThe town was calm.", dt.date(2017, 11, 5)) == {}
