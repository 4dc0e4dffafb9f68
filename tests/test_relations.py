"""Relations between actors (supports, allied, fights), one test per phrasing, read end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from frontwatch.extract.reader import read_article
from frontwatch.schema import Article


def relations(text: str) -> set[tuple[str, str, str]]:
    reading = read_article(Article(text=text, published=dt.date(2020, 1, 1)))
    for rel in reading.relations:
        assert text[rel.evidence.start : rel.evidence.end] == rel.evidence.sentence  # evidence points at the text
    return {(r.type, r.actor1.id, r.actor2.id) for r in reading.relations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X-backed Y": X supports Y
        ("The U.S.-backed SDF captured Raqqa from Islamic State.", ("supports", "state:USA", "sdf")),
        ("Rwanda-backed M23 rebels seized Goma.", ("supports", "state:RWA", "m23")),
        ("Turkish-backed rebels attacked Afrin in northern Syria.", ("supports", "state:TUR", "syrian-rebels")),
        ("The Turkish-backed Syrian National Army entered Manbij.", ("supports", "state:TUR", "syrian-national-army")),
        ("The Russia-brokered Eighth Brigade took over Bosra.", ("supports", "state:RUS", "unk:eighth-brigade")),
        ("Iran-allied militias, including Kataib Hezbollah, attacked the base.", None),
        # "with X air support", "backed by X air power"
        ("Syrian government forces, with Russian air support, retook Palmyra.", ("supports", "state:RUS", "state:SYR")),
        ("The Syrian army, backed by Russian air power, captured Khan Sheikhoun.",
         ("supports", "state:RUS", "state:SYR")),
        # a backing verb in a sentence that reports no event
        ("Iran has backed the Houthis since 2015.", ("supports", "state:IRN", "houthis")),
        ("Coalition aircraft struck ISIL in support of the SDF near Raqqa.", ("supports", "cjtf-oir", "sdf")),
        ("The minister reiterated UK support for Iraq.", ("supports", "state:GBR", "state:IRQ")),
        ("Russia's backing for the Syrian government was decisive.", ("supports", "state:RUS", "state:SYR")),
        # fighting together
        ("The Iraqi army, working in conjunction with the Popular Mobilisation Forces, retook Tikrit.",
         ("allied", "state:IRQ", "pmf")),
        ("The Syrian Army, the Russian and Iranian military and Hezbollah working in conjunction recaptured Aleppo.",
         ("allied", "state:SYR", "hezbollah")),
        ("Hezbollah fought alongside Syrian troops in Qusayr.", ("allied", "hezbollah", "state:SYR")),
        ("Syrian government forces and their Hezbollah allies moved into the farmland.",
         ("allied", "state:SYR", "hezbollah")),
        ("The Peshmerga, allied with the Iraqi army, held Makhmour.", ("allied", "peshmerga", "state:IRQ")),
        # declared hostility
        ("Coalition military forces conducted 11 strikes against ISIL.", ("fights", "cjtf-oir", "islamic-state")),
        ("Israel, which fought a month-long war with Hezbollah in 2006, stayed silent.",
         ("fights", "state:ISR", "hezbollah")),
        ("Heavy clashes between the SDF and the Syrian National Army continued.",
         ("fights", "sdf", "syrian-national-army")),
        ("The SDF battled Islamic State fighters for weeks.", ("fights", "sdf", "islamic-state")),
    ],
)
def test_relation_phrasings(text: str, expected: tuple[str, str, str] | None) -> None:
    found = relations(text)
    if expected is None:
        assert not any(r[0] == "supports" for r in found), found
    else:
        assert expected in found, found


def test_allied_compound_is_an_alliance_and_linked_is_no_relation() -> None:
    assert ("allied", "state:IRN", "kataib-hezbollah") in relations("Iran-allied Kataib Hezbollah attacked the base.")
    assert relations("IS-linked gunmen attacked the base.") == set()


def test_a_mediator_is_neither_backer_nor_ally() -> None:
    found = relations("A Russia-brokered ceasefire between Armenia and Azerbaijan collapsed on Monday.")
    assert not any("state:RUS" in r for r in found), found


def test_the_enemy_of_a_verb_is_not_a_partner() -> None:
    found = relations("A tribal leader fighting IS alongside Iraqi government forces was killed.")
    assert ("allied", "islamic-state", "state:IRQ") not in found


def test_negated_backing_and_reporters_make_no_relation() -> None:
    assert relations("Iran has not backed the Houthis, the ministry said.") == set()
    assert relations("The Syrian Observatory for Human Rights reported strikes against ISIL.") == set()


def test_hostility_is_never_counted_as_alliance_for_control() -> None:
    from frontwatch.extract.actor_kb import get_actor_kb
    from frontwatch.extract.reader import _allies
    from frontwatch.extract.relations import FoundRelation
    from frontwatch.schema import Evidence

    kb = get_actor_kb()
    sdf, isis = kb.get("sdf"), kb.get("islamic-state")
    assert sdf is not None and isis is not None
    evidence = Evidence("d", "s", 0, 1)
    assert _allies([FoundRelation("fights", sdf, isis, evidence)]) == {}
    allies = _allies([FoundRelation("allied", sdf, isis, evidence)])
    assert allies == {"sdf": {"islamic-state"}, "islamic-state": {"sdf"}}


def test_an_actor_in_a_clause_hanging_from_the_target_is_not_the_target() -> None:
    found = relations(
        "Coalition aircraft struck ISIL near Mosul to target enemy fighters firing on Iraqi forces."
    )
    assert not any(r[0] == "fights" and "state:IRQ" in r for r in found), found


def test_generic_state_after_a_cue_word_is_reached() -> None:
    found = relations("Coalition aircraft conducted strikes against ISIL in support of the government of Iraq.")
    assert ("supports", "cjtf-oir", "state:IRQ") in found
    assert ("fights", "cjtf-oir", "islamic-state") in found
    found = relations("IS carried out a mortar attack on a Peshmerga position near Daquq.")
    assert ("fights", "islamic-state", "peshmerga") in found
