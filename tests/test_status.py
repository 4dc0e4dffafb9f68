"""Status of a reported change from attribution and modality, one phrasing per case, in several conflicts.

Each article is read end to end (read_article); the test looks at the control change of the place
named, its status, and who is recorded as saying it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from frontwatch.extract.reader import read_article
from frontwatch.schema import Article, Reading
from frontwatch.store.repository import name_key

D = dt.date


def read(text: str, published: dt.date) -> Reading:
    return read_article(Article(text=text, title="", published=published))


def changes_at(reading: Reading, place: str) -> list[tuple[str, str, str | None]]:
    """(controller, status, previous) of every change at a place whose name contains ``place``."""
    return [
        (c.controller.name, c.status, c.previous.name if c.previous else None)
        for c in reading.control
        if name_key(place) in name_key(c.place.name)  # accents and spelling of the gazetteer aside
    ]


CASES = [
    # claimed: a claim verb, with who claims
    ("claim verb", "The Rapid Support Forces claimed on Tuesday to have taken Wad Madani, the capital of Gezira "
     "state.", D(2023, 12, 20), "Medani", "Rapid Support Forces", "claimed"),
    # claimed: reported, then hedged in a later sentence
    ("hedged later", "Islamic State said on Monday its fighters had seized Palma, a town in northern Mozambique. "
     "The claim could not be independently verified.", D(2021, 3, 29), "Palma", "Islamic State", "claimed"),
    # disputed: the side that would have lost the place denies it
    ("denied", "Russia's defence ministry said on Sunday that its forces had captured the town of Avdiivka in "
     "eastern Ukraine. Ukraine denied that the town had fallen.", D(2024, 2, 20), "Avdi", "Russia", "disputed"),
    ("fighting continued", "Russia's defence ministry said on Friday that its forces had captured the town of "
     "Soledar. Fighting continued in the town, a Ukrainian military spokesman said.", D(2023, 1, 13), "Soledar",
     "Russia", "disputed"),
    ("still holds positions", "Hayat Tahrir al-Sham claimed on Saturday to have taken Homs. The Syrian army said "
     "it still holds positions around the city.", D(2024, 12, 8), "Homs", "Hayat Tahrir al-Sham", "disputed"),
    ("denied, Caucasus", "Azerbaijani President Ilham Aliyev said on Sunday his forces had captured Shusha. "
     "Armenia denied that the town had fallen.", D(2020, 11, 8), "Shusha", "Azerbaijan", "disputed"),
    # planned: a vow, a deadline, a target
    ("vowed to retake", "Iraqi Prime Minister Haider al-Abadi vowed to retake Hawija from Islamic State.",
     D(2017, 10, 1), "Hawij", "Iraq", "planned"),
    ("will hand over by", "Kurdish-led forces will hand over Manbij to the Syrian army by 20 November under the "
     "deal, officials said.", D(2019, 10, 14), "Manbij", "Syria", "planned"),
    ("vowed to capture", "The Rapid Support Forces vowed to capture El Fasher, the last army stronghold in Darfur.",
     D(2024, 2, 1), "Fasher", "Rapid Support Forces", "planned"),
    # confirmed: stated as fact, or plainly attributed (wire copy's convention, as the gold format reads it)
    ("plain attribution", "Malian troops took control of Kidal on Tuesday, the army said.", D(2023, 11, 15),
     "Kidal", "Mali", "confirmed"),
    ("retook from", "Ukrainian forces retook Izium from Russian troops on Saturday.", D(2022, 9, 12), "Izyum",
     "Ukraine", "confirmed"),
]


@pytest.mark.parametrize(("text", "published", "place", "controller", "status"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_status_of_each_phrasing(text: str, published: dt.date, place: str, controller: str, status: str) -> None:
    found = changes_at(read(text, published), place)
    assert [(c, s) for c, s, _ in found] == [(controller, status)]


def test_who_claims_is_recorded() -> None:
    reading = read("The Rapid Support Forces claimed on Tuesday to have taken Wad Madani.", D(2023, 12, 20))
    (event,) = [e for e in reading.events if e.type == "territory_change"]
    assert event.status == "claimed" and event.source is not None and event.source.name == "Rapid Support Forces"


def test_a_denial_by_the_losing_side_is_recorded_with_its_source() -> None:
    reading = read(
        "Russia's defence ministry said on Sunday that its forces had captured the town of Avdiivka. "
        "Ukraine denied that the town had fallen.",
        D(2024, 2, 20),
    )
    (change,) = [e for e in reading.events if e.type == "territory_change"]
    assert (change.status, change.source.name if change.source else None) == ("disputed", "Russia")
    denials = [e for e in reading.events if e.type != "territory_change" and e.actor1 and e.actor1.name == "Ukraine"]
    assert denials and all("denied" in e.evidence.sentence for e in denials)


def test_a_planned_handover_keeps_its_deadline() -> None:
    reading = read("Kurdish-led forces will hand over Manbij to the Syrian army by 20 November under the deal.",
                   D(2019, 10, 14))
    (change,) = reading.control
    assert (change.status, change.date.start, change.date.end) == ("planned", D(2019, 11, 20), D(2019, 11, 20))
    assert change.previous is not None and change.previous.name == "Syrian Democratic Forces"


def test_the_next_target_is_planned() -> None:
    reading = read("Iraqi forces recaptured Hawija on Thursday. The next target would be al-Qaim, officials said.",
                   D(2017, 10, 6))
    statuses = {c.place.name: c.status for c in reading.control}
    assert statuses.get("Al Ḩawījah") == "confirmed"
    assert [s for name, s in statuses.items() if "im" in name and name != "Al Ḩawījah"] == ["planned"]


@pytest.mark.parametrize(
    ("text", "published", "place"),
    [
        ("Afghan officials said Kandahar did not fall to the Taliban on Monday.", D(2021, 8, 10), "Kandah"),
        ("The Myanmar army said Lashio did not fall and that its troops repelled an attack by the Myanmar "
         "National Democratic Alliance Army on the city.", D(2024, 8, 5), "Lashio"),
        ("Government forces repelled an attempt by the rebels to capture Goma on Sunday.", D(2012, 11, 19), "Goma"),
    ],
    ids=["did not fall", "repelled", "repelled an attempt"],
)
def test_negated_changes_give_no_control(text: str, published: dt.date, place: str) -> None:
    reading = read(text, published)
    assert [s for _, s, _ in changes_at(reading, place) if s in ("confirmed", "claimed", "disputed")] == []


def test_background_history_is_an_earlier_change() -> None:
    reading = read("Iraqi forces retook Mosul from Islamic State on Sunday. Islamic State seized Mosul in June "
                   "2014.", D(2017, 7, 10))
    by_controller = {c.controller.name: c for c in reading.control if c.place.name == "Mosul"}
    assert by_controller["Islamic State"].date.start == D(2014, 6, 1)
    assert by_controller["Islamic State"].date.precision == "month"
    assert by_controller["Iraq"].previous is not None and by_controller["Iraq"].previous.name == "Islamic State"
    assert by_controller["Iraq"].date.start == D(2017, 7, 9)
