"""ACLED, PLOVER and CAMEO codes on events: the tables are complete and the ACLED territory rules hold."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from frontwatch.extract.classify import acled_types, by_name
from frontwatch.extract.codes import code_event, codes_for, tables
from frontwatch.schema import EVENT_TYPES, Actor, Article, DateRange, Event, Evidence, Place, Reading
from frontwatch.store.db import open_store, resolve_db_url

SUDAN = Actor("state:SDN", "Sudan", (), "SDN", "state_forces")
RUSSIA = Actor("state:RUS", "Russia", (), "RUS", "state_forces")
RSF = Actor("rsf", "Rapid Support Forces", ("RSF",), "SDN", "rebel_group")
M23 = Actor("m23", "March 23 Movement", ("M23",), "COD", "rebel_group")
WAD_MADANI = Place("gn:370481", "Wad Madani", 370481, 14.40, 33.52, "SDN", "city")
AVDIIVKA = Place("gn:712451", "Avdiivka", 712451, 48.14, 37.75, "UKR", "city")
GOMA = Place("gn:216281", "Goma", 216281, -1.68, 29.22, "COD", "city")

ACLED_EVENT_TYPES = {
    "Battles": 3,
    "Explosions/Remote violence": 6,
    "Violence against civilians": 3,
    "Protests": 3,
    "Riots": 2,
    "Strategic developments": 8,
}


def event(
    sentence: str,
    trigger: str,
    actor1: Actor | None,
    place: Place | None,
    type: str = "territory_change",
    status: str = "confirmed",
    actor2: Actor | None = None,
) -> Event:
    return Event(
        "e1", type, actor1, actor2, place, DateRange.day(dt.date(2024, 1, 2)), status,
        Evidence("doc-1", sentence, 0, len(sentence)), 0.8, trigger=trigger,
    )


# --- the tables ------------------------------------------------------------------------------------


def test_all_25_acled_sub_event_types_each_with_its_event_type() -> None:
    types = acled_types()
    assert len(types) == 25 and len({t.name for t in types}) == 25
    counts = {name: sum(t.event_type == name for t in types) for name in ACLED_EVENT_TYPES}
    assert counts == ACLED_EVENT_TYPES
    for t in types:
        assert t.definition and t.plover and t.cameo and t.cameo.isdigit(), t.name
        assert t.cues, f"{t.name} has no cue for the classifier"


def test_every_frontwatch_type_is_mapped_and_names_real_sub_event_types() -> None:
    mapped = tables().types
    assert set(mapped) == set(EVENT_TYPES)
    for name, entry in mapped.items():
        for sub in [entry.get("acled"), entry.get("acled_no_place"), *entry.get("among", [])]:
            assert sub is None or sub in by_name(), f"{name}: unknown ACLED sub-event type {sub!r}"


def test_mapping_files_name_their_sources() -> None:
    for name in ("acled.toml", "frontwatch_types.toml", "plover.toml"):
        text = resources.files("frontwatch.data").joinpath(f"codes/{name}").read_text("utf-8")
        tomllib.loads(text)
        assert "Source" in text, name


# --- the ACLED territory rules ----------------------------------------------------------------------


def test_state_forces_retaking_their_own_country_regain_territory() -> None:
    e = event("Sudanese army troops recaptured Wad Madani from the RSF after heavy fighting.", "recaptured",
              SUDAN, WAD_MADANI, actor2=RSF)
    codes = codes_for(e)
    assert codes.acled_sub_event_type == "Government regains territory"
    assert codes.acled_event_type == "Battles"
    assert (codes.plover_type, codes.cameo) == ("FIGHT", "192")


def test_non_state_actor_capturing_overtakes_territory() -> None:
    e = event("M23 rebels captured Goma after days of clashes with the army.", "captured", M23, GOMA)
    assert codes_for(e).acled_sub_event_type == "Non-state actor overtakes territory"


def test_foreign_state_forces_count_as_overtaking_not_regaining() -> None:
    e = event("Russian forces took Avdiivka after months of fighting.", "took", RUSSIA, AVDIIVKA)
    assert codes_for(e).acled_sub_event_type == "Non-state actor overtakes territory"


@pytest.mark.parametrize(
    ("sentence", "trigger", "actor"),
    [
        ("The army handed over Wad Madani to the RSF under a local deal.", "handed over", RSF),
        ("The RSF entered Wad Madani without a fight after the army withdrew.", "entered", RSF),
        ("Sudanese troops took over Wad Madani peacefully.", "took", SUDAN),
    ],
)
def test_handover_or_no_fighting_is_a_non_violent_transfer(sentence: str, trigger: str, actor: Actor) -> None:
    codes = codes_for(event(sentence, trigger, actor, WAD_MADANI))
    assert codes.acled_sub_event_type == "Non-violent transfer of territory"
    assert codes.acled_event_type == "Strategic developments"
    assert codes.plover_type == "RETREAT"


def test_unknown_taker_is_read_from_the_sentence() -> None:
    e = event("Government troops retook the village, the army said.", "retook", None, WAD_MADANI)
    assert codes_for(e).acled_sub_event_type == "Government regains territory"


# --- other types -----------------------------------------------------------------------------------


def test_attack_sub_type_follows_the_weapon_in_the_sentence() -> None:
    air = event("Warplanes bombed Wad Madani at dawn.", "bombed", SUDAN, WAD_MADANI, type="attack")
    shelling = event("The RSF shelled Wad Madani with artillery.", "shelled", RSF, WAD_MADANI, type="attack")
    assert codes_for(air).acled_sub_event_type == "Air/drone strike"
    assert codes_for(shelling).acled_sub_event_type == "Shelling/artillery/missile attack"


def test_withdrawal_with_and_without_a_place() -> None:
    placed = event("The army withdrew from Wad Madani.", "withdrew", SUDAN, WAD_MADANI, type="withdrawal")
    placeless = event("The army withdrew.", "withdrew", SUDAN, None, type="withdrawal")
    assert codes_for(placed).acled_sub_event_type == "Non-violent transfer of territory"
    assert codes_for(placeless).acled_sub_event_type == "Change to group/activity"
    assert codes_for(placed).cameo == "0874"


def test_statement_codes_come_from_the_trigger() -> None:
    condemn = event("Sudan condemned the attack.", "condemned", SUDAN, None, type="statement")
    codes = codes_for(condemn)
    assert codes.acled_sub_event_type is None and (codes.plover_type, codes.cameo) == ("DISAPPROVE", "111")


@pytest.mark.parametrize("status", ["planned", "negated"])
def test_what_did_not_happen_gets_no_codes(status: str) -> None:
    e = event("The army vowed to retake Wad Madani.", "retake", SUDAN, WAD_MADANI, status=status)
    assert codes_for(e).acled_sub_event_type is None and codes_for(e).cameo is None


def test_codes_in_json_and_through_the_store(tmp_path: Path) -> None:
    e = event("M23 rebels captured Goma after days of clashes.", "captured", M23, GOMA)
    data = code_event(e).to_json()
    assert data["acled_sub_event_type"] == "Non-state actor overtakes territory"
    assert {"acled_event_type", "plover_type", "plover_mode", "cameo"} <= set(data)
    article = Article(text=e.evidence.sentence, published=dt.date(2024, 1, 2))
    e = event(article.text, "captured", M23, GOMA)
    e.evidence = Evidence(article.id, article.text, 0, len(article.text))
    store = open_store(resolve_db_url(str(tmp_path / "fw.db")))
    with store:
        store.save(Reading(article=article, events=[e], actors=[M23], places=[GOMA]))
        [back] = store.events()
    assert back.acled_sub_event_type == "Non-state actor overtakes territory" and back.cameo == "192"
