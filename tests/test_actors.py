"""Actor knowledge base and actor mention matching."""

from __future__ import annotations

import time

import pytest

from frontwatch.extract.actor_kb import ActorKB, get_actor_kb
from frontwatch.extract.actor_mentions import ActorMention, find_actor_mentions


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return get_actor_kb()


def mentions(text: str) -> list[ActorMention]:
    return find_actor_mentions(text)


def by_text(text: str) -> dict[str, ActorMention]:
    return {m.text: m for m in mentions(text)}


def actor_ids(text: str) -> list[str | None]:
    return [m.actor.id if m.actor else None for m in mentions(text)]


# ── knowledge base ──────────────────────────────────────────────────────────────────────────────


def test_state_actors_come_from_states_file(kb: ActorKB) -> None:
    iraq = kb.state("IRQ")
    assert iraq is not None
    assert iraq.id == "state:IRQ" and iraq.name == "Iraq" and iraq.kind == "state_forces"
    assert {"Iraqi forces", "Iraqi army", "Iraqi security forces", "Baghdad"} <= set(iraq.aliases)
    assert len(iraq.aliases) <= 12
    # Dependent territories are names, not armed actors.
    assert kb.state("GIB") is None


def test_group_records_parent_affiliations_and_renamings(kb: ActorKB) -> None:
    assert 80 <= len([a for a in kb.all() if not a.id.startswith("state:")]) <= 150
    ypg = kb.get("ypg")
    assert ypg is not None and ypg.country == "SYR"
    parent = kb.parent("ypg")
    assert parent is not None and parent.id == "sdf"
    assert kb.parent("iswap") == kb.get("islamic-state")
    renamings = {d.alias: d for d in kb.alias_dates("hts")}
    assert renamings["Jabhat Fateh al-Sham"].start == "2016-07-28"
    assert renamings["Hayat Tahrir al-Sham"].until is None
    assert any(a.actor == "al-qaeda" for a in kb.affiliations("jnim"))
    assert kb.wikidata("islamic-state") == "Q2429253"
    for actor in kb.all():
        assert len(actor.aliases) <= 12
        assert actor.kind in {
            "state_forces",
            "rebel_group",
            "political_militia",
            "identity_militia",
            "external_forces",
        }


def test_references_in_actor_file_resolve(kb: ActorKB) -> None:
    for actor in kb.all():
        parent = kb.records[actor.id].parent
        assert parent is None or kb.get(parent) is not None, actor.id
        for aff in kb.affiliations(actor.id):
            assert kb.get(aff.actor) is not None, (actor.id, aff.actor)


def test_unknown_actors_get_stable_ids(kb: ActorKB) -> None:
    a = kb.unknown("The Joint Operations Command")
    b = kb.unknown("joint operations command")
    c = kb.unknown("Joint Operations  Command.")
    assert a.id == b.id == c.id == "unk:joint-operations-command"
    assert a.name == "Joint Operations Command"
    assert kb.unknown("Popular Resistance Committees").id != a.id
    assert kb.get(a.id) == a


# ── demonyms, possessives, capitals, country names ──────────────────────────────────────────────


def test_demonym_with_force_noun_is_the_state() -> None:
    found = by_text(
        "Ukrainian troops advanced while Iraqi government forces and Syrian government troops held."
    )
    assert found["Ukrainian troops"].actor.id == "state:UKR"  # type: ignore[union-attr]
    assert found["Ukrainian troops"].form == "demonym_force"
    assert found["Iraqi government forces"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["Syrian government troops"].actor.id == "state:SYR"  # type: ignore[union-attr]


def test_demonym_before_other_nouns_is_not_an_actor() -> None:
    text = (
        "Shells landed near the Iraqi border and the Turkish border town, "
        "the Syrian Observatory for Human Rights said."
    )
    for m in mentions(text):
        assert m.actor is None or m.actor.kind != "state_forces", m
    observatory = by_text(text)["Syrian Observatory for Human Rights"]
    assert observatory.actor is not None and observatory.actor.kind == "other"


def test_qualified_and_coordinated_demonyms() -> None:
    found = by_text(
        "Turkish special forces, Ukrainian defenders and "
        "Russian-installed officials. Russian and Syrian jets struck."
    )
    assert found["Turkish special forces"].actor.id == "state:TUR"  # type: ignore[union-attr]
    assert found["Ukrainian defenders"].actor.id == "state:UKR"  # type: ignore[union-attr]
    assert found["Russian-installed officials"].actor.id == "state:RUS"  # type: ignore[union-attr]
    assert found["Russian"].actor.id == "state:RUS"  # type: ignore[union-attr]
    assert found["Syrian jets"].actor.id == "state:SYR"  # type: ignore[union-attr]


def test_possessives() -> None:
    found = by_text(
        "Russia's defence ministry said Iraq's security forces had "
        "entered the town, ending Islamic State's rule."
    )
    assert found["Russia's defence ministry"].actor.id == "state:RUS"  # type: ignore[union-attr]
    assert found["Iraq's security forces"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["Islamic State"].actor.id == "islamic-state"  # type: ignore[union-attr]
    # A possessive that names a place is not an actor.
    assert actor_ids("Mosul, Iraq's second-largest city, and Ukraine's Donetsk region.") == []


def test_forces_loyal_to_a_leader_are_the_leaders_side() -> None:
    # Titles, ranks and a demonym may stand between "loyal to" and the name.
    found = by_text("Forces loyal to renegade Libyan commander Khalifa Haftar seized the port.")
    assert found["Forces loyal to renegade Libyan commander Khalifa Haftar"].actor.id == "lna"  # type: ignore[union-attr]
    found = by_text("Troops loyal to army chief Gen. Abdel Fattah al-Burhan retook the bridge.")
    assert found["Troops loyal to army chief Gen. Abdel Fattah al-Burhan"].actor.id == "state:SDN"  # type: ignore[union-attr]
    assert actor_ids("Hemedti's fighters entered the city.") == ["rsf"]
    # The leader alone is a person, not the group, and an unknown leader's forces stay generic.
    assert actor_ids("Haftar said on Monday that the port was calm.") == []
    assert "lna" not in actor_ids("Forces loyal to the mayor held the square.")


def test_a_time_after_an_unknown_organisation_ends_its_name() -> None:
    found = by_text("They seized the port from the Oil Installations Guard in September and on Monday.")
    assert "Oil Installations Guard" in found
    assert found["Oil Installations Guard"].actor.name == "Oil Installations Guard"  # type: ignore[union-attr]


def test_a_numbered_unit_of_the_army_is_a_state_force() -> None:
    found = by_text("The RSF overran the army's 21st Infantry Division headquarters.")
    unit = found["Infantry Division"]
    assert unit.actor is None and unit.generic == "state"  # resolved to the host state, never a new group


def test_capital_metonymy_only_when_acting() -> None:
    assert actor_ids("Moscow said the assault had succeeded.") == ["state:RUS"]
    assert actor_ids("Talks were held in Moscow on Tuesday.") == []
    found = by_text("Baghdad has rejected the vote, and Ankara launched an operation; the Kremlin denied it.")
    assert found["Baghdad"].form == "capital"
    assert found["Baghdad"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["Ankara"].actor.id == "state:TUR"  # type: ignore[union-attr]
    assert found["the Kremlin"].actor.id == "state:RUS"  # type: ignore[union-attr]
    assert actor_ids("The retreat came after weeks of fighting, handing Kyiv a major gain.") == ["state:UKR"]


def test_country_names_act_or_are_places() -> None:
    found = by_text(
        "Turkey, which regards the YPG as terrorists, objected. Ukraine did "
        "not comment. Russia and Ukraine said talks failed."
    )
    assert found["Turkey"].form == "country"
    assert found["Turkey"].actor.id == "state:TUR"  # type: ignore[union-attr]
    assert [m.actor.id for m in mentions("Russia and Ukraine said talks failed.") if m.actor] == [
        "state:RUS",
        "state:UKR",
    ]
    assert actor_ids("Fighting spread across Iraq and Syria and into Russia.") == []
    assert actor_ids("The dam is the largest in Syria.") == []
    assert actor_ids("A Britain-based monitor reported the clashes.") == []
    assert actor_ids("The town was recaptured by Ukraine.") == ["state:UKR"]


def test_state_units_map_to_their_state() -> None:
    found = by_text(
        "The Counter-Terrorism Service, the Syrian Arab Army, the IDF and the Tatmadaw all claimed gains."
    )
    assert found["Counter-Terrorism Service"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["Counter-Terrorism Service"].form == "unit"
    assert found["Syrian Arab Army"].actor.id == "state:SYR"  # type: ignore[union-attr]
    assert found["IDF"].actor.id == "state:ISR"  # type: ignore[union-attr]
    assert found["Tatmadaw"].actor.id == "state:MMR"  # type: ignore[union-attr]


# ── aliases, transliterations, case ─────────────────────────────────────────────────────────────


def test_islamic_state_aliases_and_case_of_is() -> None:
    text = (
        "Daesh, ISIL and the Islamic State group lost ground; IS is "
        "weaker, which is clear. Isis fighters fled."
    )
    assert actor_ids(text) == ["islamic-state"] * 5
    assert [m.text for m in mentions(text)][3] == "IS"


def test_transliterations_and_renamed_groups() -> None:
    found = by_text(
        "Hashd al-Shaabi units and Hashed al-Shaabi fighters joined; Jabhat al-Nusra, later HTS, held Idlib."
    )
    assert found["Hashd al-Shaabi units"].actor.id == "pmf"  # type: ignore[union-attr]
    assert found["Hashed al-Shaabi fighters"].actor.id == "pmf"  # type: ignore[union-attr]
    assert found["Jabhat al-Nusra"].actor.id == "hts"  # type: ignore[union-attr]
    assert found["HTS"].actor.id == "hts"  # type: ignore[union-attr]
    assert actor_ids("the hts file and the sdf folder") == []  # abbreviations are case-sensitive


def test_longest_match_wins() -> None:
    assert [m.text for m in mentions("The Islamic State West Africa Province attacked.")] == [
        "Islamic State West Africa Province"
    ]
    assert actor_ids("The Free Syrian Army advanced.") == ["free-syrian-army"]


# ── backers and leaders ─────────────────────────────────────────────────────────────────────────


def test_backed_prefix_records_the_backer() -> None:
    sdf = by_text("The U.S.-backed Syrian Democratic Forces took the dam.")[
        "U.S.-backed Syrian Democratic Forces"
    ]
    assert sdf.actor.id == "sdf" and sdf.form == "backed"  # type: ignore[union-attr]
    assert sdf.backer.id == "state:USA"  # type: ignore[union-attr]
    rebels = by_text("Turkish-backed Syrian rebels entered the town.")["Turkish-backed Syrian rebels"]
    assert rebels.actor.id == "syrian-rebels" and rebels.backer.id == "state:TUR"  # type: ignore[union-attr]
    militias = by_text("Iranian-backed militias fired rockets.")["Iranian-backed militias"]
    assert militias.actor is None and militias.generic == "nonstate"
    assert militias.backer.id == "state:IRN"  # type: ignore[union-attr]
    m23 = by_text("Rwanda-backed M23 rebels entered Goma.")["Rwanda-backed M23 rebels"]
    assert m23.actor.id == "m23" and m23.backer.id == "state:RWA"  # type: ignore[union-attr]


def test_led_aliases_are_the_actor_itself() -> None:
    found = by_text(
        "The U.S.-led coalition struck as Kurdish-led forces and the Saudi-led coalition advanced."
    )
    coalition = found["U.S.-led coalition"]
    assert coalition.actor.id == "cjtf-oir" and coalition.backer is None  # type: ignore[union-attr]
    assert found["Kurdish-led forces"].actor.id == "sdf"  # type: ignore[union-attr]
    assert found["Saudi-led coalition"].actor.id == "saudi-led-coalition"  # type: ignore[union-attr]


# ── generic references ──────────────────────────────────────────────────────────────────────────


def test_generic_references_are_flagged_by_class() -> None:
    text = (
        "The militants fled as the army advanced. Government troops said the "
        "group had left; jihadists and Kurdish insurgents remained."
    )
    found = by_text(text)
    assert found["The militants"].generic == "nonstate" and found["The militants"].actor is None
    assert found["the army"].generic == "state"
    assert found["Government troops"].generic == "state"
    assert found["the group"].generic == "nonstate"
    assert found["jihadists"].generic == "nonstate"
    assert found["Kurdish insurgents"].generic == "nonstate" and found["Kurdish insurgents"].actor is None


# ── other conflicts ─────────────────────────────────────────────────────────────────────────────


def test_sudan_congo_yemen_mali_phrasing() -> None:
    sudan = by_text(
        "The paramilitary Rapid Support Forces seized Wad Madani "
        "after the SAF withdrew; the Sudanese army said."
    )
    assert sudan["paramilitary Rapid Support Forces"].actor.id == "rsf"  # type: ignore[union-attr]
    assert sudan["SAF"].actor.id == "state:SDN"  # type: ignore[union-attr]
    assert sudan["Sudanese army"].actor.id == "state:SDN"  # type: ignore[union-attr]
    congo = by_text(
        "M23 fighters entered Goma as FARDC soldiers and MONUSCO "
        "peacekeepers pulled back; Kinshasa accused Rwanda."
    )
    assert congo["M23 fighters"].actor.id == "m23"  # type: ignore[union-attr]
    assert congo["FARDC soldiers"].actor.id == "state:COD" and congo["FARDC soldiers"].form == "unit"  # type: ignore[union-attr]
    assert congo["MONUSCO peacekeepers"].actor.kind == "external_forces"  # type: ignore[union-attr]
    assert congo["Kinshasa"].actor.id == "state:COD"  # type: ignore[union-attr]
    yemen = by_text("Ansar Allah, known as the Houthis, said it fired missiles at ships.")
    assert yemen["Ansar Allah"].actor.id == yemen["Houthis"].actor.id == "houthis"  # type: ignore[union-attr]
    mali = by_text("Wagner mercenaries and Malian troops retook Kidal from the CSP; JNIM claimed the ambush.")
    assert mali["Wagner mercenaries"].actor.id == "wagner"  # type: ignore[union-attr]
    assert mali["Malian troops"].actor.id == "state:MLI"  # type: ignore[union-attr]
    assert mali["CSP"].actor.id == "cma"  # type: ignore[union-attr]
    assert mali["JNIM"].actor.id == "jnim"  # type: ignore[union-attr]


def test_unknown_organisations_keep_stable_ids() -> None:
    a = by_text("The Joint Operations Command said the town was cleared.")["Joint Operations Command"]
    b = by_text("A statement from the Joint Operations Command followed.")["Joint Operations Command"]
    assert a.actor is not None and a.actor.id.startswith("unk:") and a.actor.id == b.actor.id  # type: ignore[union-attr]
    assert a.form == "name"
    assert actor_ids("The Army said nothing.") == [None]  # "the army" is generic, not an organisation


def test_offsets_point_at_the_text() -> None:
    text = "Earlier, the U.S.-backed SDF said Russia's forces and ISIS fighters clashed."
    for m in mentions(text):
        assert text[m.start : m.end] == m.text


def test_speed() -> None:
    paragraph = (
        "Russian forces pressed on Bakhmut as Ukrainian troops held the line, Kyiv said on Monday. "
        "The U.S.-backed Syrian Democratic Forces captured Tabqa from "
        "Islamic State, the Syrian Observatory said. "
        "In Sudan, the Rapid Support Forces took Wad Madani and the army withdrew to the east of the city. "
        "M23 rebels entered Goma while the militants fled across the border into Rwanda and Uganda. "
    )
    text = paragraph * 60  # about 3,500 words
    find_actor_mentions(text)  # tables are built on first use
    started = time.perf_counter()
    found = find_actor_mentions(text)
    elapsed = time.perf_counter() - started
    assert len(found) >= 600
    assert elapsed < 2.0


# ── issue 5: every country, dated names, demonym plurals, coalitions, unknown units ─────────────


def test_every_sovereign_state_has_a_state_actor_with_demonym_or_capital(kb: ActorKB) -> None:
    import pycountry

    states = {a.country for a in kb.all() if a.id.startswith("state:")}
    # UN members and observers are all in the base (pycountry lists territories too: those are names only).
    for code in ("AFG", "COD", "MMR", "PSE", "SSD", "SDN", "UKR", "YEM", "MEX", "KWT"):
        assert code in states, code
    assert len(states) >= 193
    assert states - {c.alpha_3 for c in pycountry.countries} == {"XKX"}  # Kosovo: a user-assigned code
    mexico = kb.state("MEX")
    assert mexico is not None and "Mexico City" in mexico.aliases
    assert actor_ids("Mexico City said the operation was over.") == ["state:MEX"]


def test_renamed_group_is_named_as_it_was_on_the_day(kb: ActorKB) -> None:
    import datetime as dt

    assert kb.name_on("hts", dt.date(2014, 5, 1)) == "Jabhat al-Nusra"
    assert kb.name_on("hts", dt.date(2016, 7, 28)) == "Jabhat Fateh al-Sham"  # the renaming day itself
    assert kb.name_on("hts", dt.date(2018, 1, 1)) == "Hayat Tahrir al-Sham"
    assert kb.name_on("islamic-state", dt.date(2005, 3, 1)) == "al-Qaeda in Iraq"
    assert kb.name_on("atmis", dt.date(2020, 1, 1)) == "AMISOM"
    assert kb.name_on("sdf", dt.date(2020, 1, 1)) is None  # no dated names
    # al-Nusra was al-Qaeda's affiliate until the 2016 break, not after.
    assert [a.actor for a in kb.affiliations_on("hts", dt.date(2015, 1, 1))] == ["al-qaeda"]
    assert kb.affiliations_on("hts", dt.date(2017, 6, 1)) == ()
    # Every old name still finds the group.
    for old in ("Jabhat al-Nusra fighters attacked.", "Jabhat Fateh al-Sham said.", "AMISOM troops left."):
        assert actor_ids(old)[0] in ("hts", "atmis"), old


def test_definite_demonym_plurals_are_the_state() -> None:
    found = by_text("The Iraqis have cleared much of the city and the Americans said more was to come.")
    assert found["Iraqis"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["Americans"].actor.id == "state:USA"  # type: ignore[union-attr]
    assert actor_ids("Iraqis fled the city.") == []  # without "the", people


def test_generic_noun_of_country_is_the_state() -> None:
    found = by_text("Strikes in support of the government of Iraq and the armed forces of Ukraine.")
    assert found["the government of Iraq"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert found["armed forces of Ukraine"].actor.id == "state:UKR"  # type: ignore[union-attr]


def test_country_acts_after_an_auxiliary_or_before_a_noun_of_support() -> None:
    assert actor_ids("The UK has flown 870 missions.") == ["state:GBR"]
    assert actor_ids("The UK and France will continue.") == ["state:GBR", "state:FRA"]
    assert actor_ids("Syria has a long border with Iraq.") == []
    assert actor_ids("Attacks against the United States were planned.") == ["state:USA"]


def test_backer_compounds_need_a_hyphen_unless_unambiguous() -> None:
    jordan = by_text("Jordan Armed Forces units trained.")["Jordan Armed Forces"]
    assert jordan.actor is not None and jordan.actor.id == "state:JOR" and jordan.backer is None
    loose = by_text("Turkish backed rebels advanced.")["Turkish backed rebels"]
    assert loose.backer is not None and loose.backer.id == "state:TUR" and loose.link == "backed"
    allied = by_text("Iran-allied militias advanced.")["Iran-allied militias"]
    assert allied.backer is not None and allied.link == "allied"


def test_unknown_units_of_a_state_and_unknown_organisation_heads() -> None:
    found = by_text("The Jordanian 71st Counter Terrorism Battalion and the Royal Jordanian Air Force struck.")
    assert found["Jordanian 71st Counter Terrorism Battalion"].actor.id == "state:JOR"  # type: ignore[union-attr]
    assert found["Royal Jordanian Air Force"].actor.id == "state:JOR"  # type: ignore[union-attr]
    # A head noun in the middle of a run does not make an organisation.
    assert actor_ids("Air Force F-16 Fighting Falcons arrived.") == []
    # Two bodies joined by "and" stay two.
    found = by_text("The Bakaka Liberation Front and the Government of Iraq met.")
    assert found["Bakaka Liberation Front"].actor.id == "unk:bakaka-liberation-front"  # type: ignore[union-attr]
    assert found["the Government of Iraq"].actor.id == "state:IRQ"  # type: ignore[union-attr]
    assert by_text("Ansar al-Furqan fighters said.")["Ansar al-Furqan"].actor.id == "unk:ansar-al-furqan"  # type: ignore[union-attr]


# ── coreference within an article ─────────────────────────────────────────────────────────────


def resolved(text: str) -> list[tuple[str, str, str | None]]:
    from frontwatch.extract.context import build_context
    from frontwatch.schema import Article

    return [(r.text, r.actor.id, r.via) for r in build_context(Article(text=text)).actors]


def test_generic_mentions_resolve_to_the_actor_meant() -> None:
    refs = resolved(
        "Al-Shabaab attacked a base near Mogadishu. The group said it killed 20 soldiers. "
        "The army said it repelled the jihadists."
    )
    assert ("The group", "al-shabaab", "coref") in refs
    assert ("the jihadists", "al-shabaab", "coref") in refs
    assert ("The army", "state:SOM", "coref") in refs
    refs = resolved("Islamic State fighters attacked Kirkuk. Government troops repelled the militants.")
    assert ("Government troops", "state:IRQ", "coref") in refs
    assert ("the militants", "islamic-state", "coref") in refs


def test_the_jihadists_skip_a_non_jihadist_group_named_later() -> None:
    refs = resolved(
        "JNIM fighters attacked Djibo. Later the CMA said it was not involved. The jihadists withdrew north."
    )
    assert ("The jihadists", "jnim", "coref") in refs


def test_the_coalition_is_the_coalition_meant() -> None:
    assert ("The coalition", "cjtf-oir", "coref") in resolved(
        "Coalition aircraft struck ISIL positions near Mosul. The coalition said ten fighters died."
    )
    assert ("The coalition", "saudi-led-coalition", "coref") in resolved(
        "The Houthis fired missiles at Jizan. The coalition said it intercepted them."
    )
    assert ("The coalition", "unk:coalition", "coref") in resolved("The coalition met in Brussels on Monday.")


def test_unknown_actors_are_merged_when_their_name_recurs() -> None:
    refs = resolved(
        "Fighters of the Bakaka Liberation Front raided Mendi. "
        "The Bakaka Liberation Front later withdrew, and the group said it would return."
    )
    ids = {actor for text, actor, _ in refs if "Bakaka" in text}
    assert ids == {"unk:bakaka-liberation-front"}
    assert ("the group", "unk:bakaka-liberation-front", "coref") in refs
