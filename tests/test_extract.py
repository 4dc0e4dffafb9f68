"""Reading articles: events, status, dates, control changes, holds, relations and figures.

Every short text below was written for these tests; the seed article comes from the shared gold
corpus. All texts are read once per module (the first read loads the parser).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from frontwatch.extract.reader import read_article
from frontwatch.schema import Actor, Article, ControlChange, DateRange, Event, Reading

PUB = dt.date(2024, 11, 20)  # a Wednesday
SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "articles.jsonl"

TEXTS: dict[str, str] = {
    "disputed": (
        "Wagner fighters claimed on Saturday to have captured Bakhmut. Ukraine's military denied the claim, "
        "saying its troops were still holding positions in the city."
    ),
    "handover": "Under the deal, the rebels will hand over Kidal to the army by 20 November, officials said.",
    "vow": "The army vowed to retake Wad Madani from the Rapid Support Forces.",
    "repelled": "Ukrainian troops repelled a Russian attempt to capture Vuhledar on Tuesday.",
    "fell_to": (
        "Kherson fell to Russian forces on March 2, the first major city to be captured since the invasion began."
    ),
    "retaken_by": "Kramatorsk was retaken by Ukrainian troops on Monday after heavy fighting.",
    "withdrawal": (
        "Houthi fighters pulled out of the port city of Hodeidah on Sunday, the Saudi-led coalition said."
    ),
    "victory": (
        "The Nigerian army declared victory in Bama on Friday after driving Boko Haram fighters from the town."
    ),
    "hold": "Sirte, the last town still held by Islamic State in Libya, is surrounded by government forces.",
    "relations": (
        "The Rwanda-backed M23 rebels, fighting alongside Rwandan troops, advanced on Sake on Wednesday."
    ),
    "estimate": "Officials estimated that between 800 and 1,000 al-Shabaab fighters remain in Jilib.",
    "namesake": "Al-Shabaab militants seized the town of Mahas on Thursday.",
    "claimed_control": (
        "ISIS claimed control of Tal Afar on Tuesday, but Iraqi officials said security forces had repelled the attack."
    ),
    "unconfirmed": (
        "Russian forces said on Monday they had captured the village of Robotyne. "
        "There was no independent confirmation of the claim."
    ),
    "to_be_handed": "Manbij is to be handed over to the Syrian army under the agreement, Kurdish officials said.",
    "capital": "The Pentagon announced on Tuesday that it had approved supplying weapons to the Kurdish YPG militia.",
    "raising": "Azerbaijani forces are expected to take control of Lachin by Dec. 1 under the ceasefire agreement.",
    "described_town": (
        "M23 fighters closed in on the city, seizing Minova, a lakeside town on Goma's main supply route, last week."
    ),
    "stated_country": "Islamic State said its fighters had seized Palma, a town in northern Mozambique, on Sunday.",
    "coordinated": "The Taliban also took Sar-e Pul and Taloqan on Sunday, officials said.",
    "capture_noun": "Iraqi forces completed the recapture of Ramadi from Islamic State on Monday.",
    "denied_capture_noun": "Ukrainian officials denied the capture of Kupiansk by Russian troops.",
    "site_in_town": "Malian troops retook the military camp in Tessalit from the rebels on Friday.",
    "under_control_of": "Tessalit remains under the control of the Coordination of Azawad Movements.",
    "under_named_control": "Ghazni is now under Taliban control.",
    "came_under": "Baidoa came under al-Shabaab control in 2015.",
    "paramilitary_group": (
        "The Rapid Support Forces said they had overrun the army's 21st Infantry Division headquarters in "
        "Zalingei, and that the city had come under the control of the paramilitary group."
    ),
    "stormed_into": "Taliban fighters stormed into the city of Lashkar Gah on Friday.",
    "withdrawal_noun": "Russian troops completed their withdrawal from Kupiansk on Monday.",
    "ordered_withdrawal": "Moscow ordered the withdrawal of its troops from Kupiansk on Monday.",
    "clashes_between": "Clashes erupted between Congolese troops and M23 fighters in Sake on Friday.",
    "fired_at": "The Houthis fired missiles at Marib on Wednesday.",
    "past_month_ahead": "Iraqi forces recaptured Ramadi in December.",
    "past_day_ahead": "The RSF captured Wad Madani, the capital of Gezira state, on Dec. 18.",
    "future_month_ahead": "The army will retake Ramadi in December.",
    "relative_subject": "The Taliban, who captured Ghazni on Sunday, denied any civilian casualties.",
    "in_control_of": "M23 is now in control of Goma, a spokesman said.",
    "entered_under_deal": "Azerbaijani troops entered Lachin on Friday under the ceasefire deal.",
    "retook_as_noun": "The army retook Kadugli in March.",
    "lost_to": "The army lost control of Nyala to the Rapid Support Forces in October.",
    "coordinated_unknown": "Al-Shabaab fighters seized the towns of Mahas and Ceel Dheere Yar on Thursday.",
    "town_that_summer": (
        "Kramatorsk had been a garrison town since 2014, when Ukrainian forces drove Russian-backed "
        "separatists out of the town that summer."
    ),
    "apposed_hold": (
        "Russian-backed separatists attacked Toretsk in 2014. The town lies just north of Horlivka, the largest "
        "city in the area, which the separatists have controlled since 2014."
    ),
    "apposed_relative": (
        "The Arakan Army now controls Paletwa, the main town of the district on the Indian border, "
        "which it seized in January."
    ),
    "months_after": "Government troops regained control of Mekelle on Wednesday, eight months after Tigrayan "
    "forces captured the city.",
}
UNDATED = "The Taliban captured Kunduz, officials said on Monday."


@pytest.fixture(scope="module")
def readings() -> dict[str, Reading]:
    found = {key: read_article(Article(text=text, published=PUB)) for key, text in TEXTS.items()}
    found["undated"] = read_article(Article(text=UNDATED, published=None))
    return found


@pytest.fixture(scope="module")
def seed() -> Reading:
    if not SEED.exists():
        pytest.skip(f"shared gold corpus not found at {SEED}")
    record = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    article = Article(
        text=record["text"],
        title=record["title"],
        published=dt.date.fromisoformat(record["published"]),
    )
    return read_article(article)


# --- helpers -----------------------------------------------------------------------------------------


def aid(actor: Actor | None) -> str | None:
    return actor.id if actor else None


def events_at(reading: Reading, place_name: str, type_: str | None = None) -> list[Event]:
    return [
        e
        for e in reading.events
        if e.place is not None and e.place.name == place_name and (type_ is None or e.type == type_)
    ]


def one_event(reading: Reading, place_name: str, type_: str) -> Event:
    found = events_at(reading, place_name, type_)
    assert len(found) == 1, [(e.type, e.place and e.place.name) for e in reading.events]
    return found[0]


def changes_at(reading: Reading, place_name: str) -> list[ControlChange]:
    return [c for c in reading.control if c.place.name == place_name]


def day(d: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    return (d, d, "day")


def span(r: DateRange) -> tuple[dt.date | None, dt.date | None, str]:
    return (r.start, r.end, r.precision)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = math.sin((b[0] - a[0]) * p / 2) ** 2 + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin(
        (b[1] - a[1]) * p / 2
    ) ** 2
    return 12742 * math.asin(math.sqrt(h))


# --- status ------------------------------------------------------------------------------------------


def test_claim_followed_by_denial_is_disputed(readings: dict[str, Reading]) -> None:
    r = readings["disputed"]
    event = one_event(r, "Bakhmut", "territory_change")
    assert aid(event.actor1) == "wagner"
    assert event.status == "disputed"
    assert span(event.date) == day(dt.date(2024, 11, 16))  # the Saturday before publication
    changes = changes_at(r, "Bakhmut")
    assert changes
    assert all(c.status == "disputed" for c in changes)
    assert all(aid(c.controller) == "wagner" for c in changes)


def test_future_handover_is_planned_and_goes_to_the_army(readings: dict[str, Reading]) -> None:
    event = one_event(readings["handover"], "Kidal", "territory_change")
    assert event.status == "planned"
    assert aid(event.actor1) == "state:MLI"
    assert all(c.status == "planned" for c in changes_at(readings["handover"], "Kidal"))


def test_vow_to_retake_is_planned(readings: dict[str, Reading]) -> None:
    r = readings["vow"]
    changes = [e for e in r.events if e.type == "territory_change"]
    assert len(changes) == 1
    assert changes[0].status == "planned"
    assert aid(changes[0].actor1) == "state:SDN"
    assert aid(changes[0].actor2) == "rsf"
    assert not [c for c in r.control if c.status == "confirmed"]


def test_repelled_attempt_is_negated_and_changes_no_control(readings: dict[str, Reading]) -> None:
    r = readings["repelled"]
    # A change that did not happen is not reported as a territory change at all, only as a negated event.
    assert not events_at(r, "Vuhledar", "territory_change")
    event = one_event(r, "Vuhledar", "other")
    assert aid(event.actor1) == "state:RUS"
    assert event.status == "negated"
    assert not changes_at(r, "Vuhledar")


def test_a_denial_is_the_deniers_statement(readings: dict[str, Reading]) -> None:
    statements = [e for e in readings["disputed"].events if e.type == "statement"]
    assert [aid(e.actor1) for e in statements] == ["state:UKR"]
    assert all(e.status == "confirmed" for e in statements)


# --- passive and other phrasings -----------------------------------------------------------------


def test_fell_to_names_the_new_controller(readings: dict[str, Reading]) -> None:
    r = readings["fell_to"]
    event = one_event(r, "Kherson", "territory_change")
    assert event.status == "confirmed"
    assert aid(event.actor1) == "state:RUS"
    assert span(event.date) == day(dt.date(2024, 3, 2))
    [change] = changes_at(r, "Kherson")
    assert aid(change.controller) == "state:RUS"
    assert span(change.date) == day(dt.date(2024, 3, 2))


def test_town_taken_by_a_foreign_army_keeps_its_coordinates(readings: dict[str, Reading]) -> None:
    event = one_event(readings["fell_to"], "Kherson", "territory_change")
    assert event.place is not None
    assert (event.place.country, event.place.geonameid) == ("UKR", 706448)


def test_was_retaken_by_names_the_agent(readings: dict[str, Reading]) -> None:
    r = readings["retaken_by"]
    event = one_event(r, "Kramatorsk", "territory_change")
    assert aid(event.actor1) == "state:UKR"
    assert span(event.date) == day(dt.date(2024, 11, 18))  # the Monday before publication
    [change] = changes_at(r, "Kramatorsk")
    assert aid(change.controller) == "state:UKR"
    assert change.status == "confirmed"


def test_pulled_out_of_is_a_withdrawal(readings: dict[str, Reading]) -> None:
    r = readings["withdrawal"]
    [event] = [e for e in r.events if e.type == "withdrawal"]
    assert aid(event.actor1) == "houthis"
    assert event.place is not None and event.place.geonameid == 79415  # Al Hudaydah, Yemen
    assert span(event.date) == day(dt.date(2024, 11, 17))


def test_declared_victory_in_is_a_change_with_the_driven_out_previous(readings: dict[str, Reading]) -> None:
    r = readings["victory"]
    event = one_event(r, "Bama", "territory_change")
    assert aid(event.actor1) == "state:NGA"
    assert event.place is not None and event.place.country == "NGA"  # not Bama, Burkina Faso
    [change] = changes_at(r, "Bama")
    assert aid(change.controller) == "state:NGA"
    assert aid(change.previous) == "boko-haram"
    assert span(change.date) == day(dt.date(2024, 11, 15))


# --- holds, relations, figures ---------------------------------------------------------------------


def test_still_held_by_is_a_hold_at_publication(readings: dict[str, Reading]) -> None:
    r = readings["hold"]
    [hold] = [h for h in r.holds if h.place.name == "Sirte"]
    assert hold.controller.id.startswith("is")  # Islamic State or its Libyan province
    assert hold.place.country == "LBY"
    assert span(hold.at) == day(PUB)
    assert not r.control  # a hold is not a change


def test_a_hold_in_a_relative_clause_on_an_appositive_is_the_named_towns(readings: dict[str, Reading]) -> None:
    # "just north of Horlivka, the largest city ..., which the separatists have controlled since 2014":
    # the appositive describes Horlivka itself (not the point north of it), and "the separatists" are
    # the Russian-backed separatists the article described before.
    [hold] = readings["apposed_hold"].holds
    assert (hold.place.name, hold.controller.name) == ("Horlivka", "Russian-backed separatists")
    assert span(hold.at) == (dt.date(2014, 1, 1), dt.date(2014, 12, 31), "year")


def test_a_name_coordinated_with_a_taken_town_is_taken_too_even_unknown(readings: dict[str, Reading]) -> None:
    changes = readings["coordinated_unknown"].control
    assert sorted(c.place.name for c in changes) == ["Ceel Dheere Yar", "Mahas"]
    unknown = next(c for c in changes if c.place.name == "Ceel Dheere Yar")
    assert unknown.place.lat is None and aid(unknown.controller) == "al-shabaab"  # no invented coordinates


def test_lost_to_is_a_change_to_the_one_it_was_lost_to(readings: dict[str, Reading]) -> None:
    # The event names the taker, not only the loser's withdrawal.
    [event] = readings["lost_to"].events
    assert (event.type, aid(event.actor1), aid(event.actor2)) == ("territory_change", "rsf", "state:SDN")
    [change] = readings["lost_to"].control
    assert (change.place.name, aid(change.controller), aid(change.previous)) == ("Nyala", "rsf", "state:SDN")


def test_a_capture_named_by_a_noun_is_a_change_unless_denied(readings: dict[str, Reading]) -> None:
    [change] = readings["capture_noun"].control
    assert (change.place.name, aid(change.controller), aid(change.previous)) == ("Ramadi", "state:IRQ", "islamic-state")
    assert span(change.date) == day(dt.date(2024, 11, 18))
    assert not readings["denied_capture_noun"].control  # "denied the capture of": nothing changed hands


def test_a_facility_in_a_town_is_taken_as_a_site_of_that_town(readings: dict[str, Reading]) -> None:
    [change] = readings["site_in_town"].control
    assert change.place.name == "military camp, Tessalit" and change.place.kind == "site"
    assert change.place.country == "MLI" and change.place.geo_precision == 2  # part of the town
    assert change.place.lat is not None  # at the town's point, which the facility lies in


def test_under_control_is_a_hold_and_came_under_control_a_change(readings: dict[str, Reading]) -> None:
    for key, town, group in (("under_control_of", "Tessalit", "cma"), ("under_named_control", "Ghazni", "taliban")):
        [hold] = readings[key].holds
        assert (hold.place.name, aid(hold.controller), span(hold.at)) == (town, group, day(PUB))
        assert not readings[key].control
    [change] = readings["came_under"].control
    assert (change.place.name, aid(change.controller)) == ("Baidoa", "al-shabaab")
    assert span(change.date) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31), "year")


def test_the_paramilitary_group_is_the_group_named_paramilitary(readings: dict[str, Reading]) -> None:
    changes = readings["paramilitary_group"].control
    assert {aid(c.controller) for c in changes} == {"rsf"}  # not the army's division named in between
    assert any(c.place.name.startswith("21st Infantry Division headquarters, ") for c in changes)


def test_stormed_into_a_town_is_a_gain(readings: dict[str, Reading]) -> None:
    [change] = readings["stormed_into"].control
    assert (aid(change.controller), span(change.date)) == ("taliban", day(dt.date(2024, 11, 15)))


def test_a_completed_withdrawal_named_by_a_noun_is_a_withdrawal(readings: dict[str, Reading]) -> None:
    [event] = readings["withdrawal_noun"].events
    assert (event.type, aid(event.actor1), event.place.country) == ("withdrawal", "state:RUS", "UKR")
    assert span(event.date) == day(dt.date(2024, 11, 18))
    assert not [e for e in readings["ordered_withdrawal"].events if e.type == "withdrawal"]  # ordered, not done


def test_clashes_between_two_sides_name_both(readings: dict[str, Reading]) -> None:
    [battle] = [e for e in readings["clashes_between"].events if e.type == "battle"]
    assert {aid(battle.actor1), aid(battle.actor2)} == {"state:COD", "m23"}
    assert battle.place.name == "Sake" and span(battle.date) == day(dt.date(2024, 11, 15))


def test_fired_at_a_town_is_an_attack_on_it(readings: dict[str, Reading]) -> None:
    [attack] = readings["fired_at"].events
    assert (attack.type, aid(attack.actor1), attack.place.country) == ("attack", "houthis", "YEM")


def test_a_past_verb_dates_a_year_less_month_or_day_before_publication(readings: dict[str, Reading]) -> None:
    # Published 20 November 2024: "recaptured ... in December" is December 2023, "will retake" December 2024.
    [past] = readings["past_month_ahead"].events
    assert span(past.date) == (dt.date(2023, 12, 1), dt.date(2023, 12, 31), "month") and past.date.timex == "2023-12"
    [day_before] = readings["past_day_ahead"].events
    assert span(day_before.date) == day(dt.date(2023, 12, 18))
    [future] = readings["future_month_ahead"].events
    assert future.status == "planned" and span(future.date) == (dt.date(2024, 12, 1), dt.date(2024, 12, 31), "month")


def test_who_in_a_relative_clause_is_the_noun_it_describes(readings: dict[str, Reading]) -> None:
    [change] = readings["relative_subject"].control
    assert (change.place.name, aid(change.controller)) == ("Ghazni", "taliban")
    assert span(change.date) == day(dt.date(2024, 11, 17))


def test_in_control_of_is_a_hold_on_publication(readings: dict[str, Reading]) -> None:
    [hold] = readings["in_control_of"].holds
    assert (hold.place.name, aid(hold.controller), span(hold.at)) == ("Goma", "m23", day(PUB))


def test_entering_a_town_under_a_deal_is_taking_it(readings: dict[str, Reading]) -> None:
    [change] = readings["entered_under_deal"].control
    assert (aid(change.controller), span(change.date)) == ("state:AZE", day(dt.date(2024, 11, 15)))


def test_an_irregular_past_the_tagger_calls_a_noun_is_still_the_verb(readings: dict[str, Reading]) -> None:
    [change] = readings["retook_as_noun"].control  # the small model tags "retook" NN here
    assert aid(change.controller) == "state:SDN"
    assert span(change.date) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31), "month")


def test_the_town_before_a_time_word_is_the_town_named_before(readings: dict[str, Reading]) -> None:
    # "out of the town that summer": "that" starts a time, not a relative clause about another town.
    [change] = readings["town_that_summer"].control
    assert (change.place.name, aid(change.controller)) == ("Kramatorsk", "state:UKR")


def test_backed_and_fighting_alongside_are_relations(readings: dict[str, Reading]) -> None:
    relations = {(x.type, aid(x.actor1), aid(x.actor2)) for x in readings["relations"].relations}
    assert ("supports", "state:RWA", "m23") in relations
    assert ("allied", "m23", "state:RWA") in relations or ("allied", "state:RWA", "m23") in relations
    assert ("supports", "m23", "state:RWA") not in relations


def test_fighter_estimate_is_a_force_estimate(readings: dict[str, Reading]) -> None:
    [event] = [e for e in readings["estimate"].events if e.type == "force_estimate"]
    assert aid(event.actor1) == "al-shabaab"
    assert event.place is not None and event.place.name == "Jilib"
    assert event.quantity is not None
    assert (event.quantity.kind, event.quantity.min, event.quantity.max) == ("fighters", 800, 1000)
    assert not readings["estimate"].control


def test_unknown_town_keeps_its_name_and_gets_no_foreign_namesake(readings: dict[str, Reading]) -> None:
    r = readings["namesake"]
    event = one_event(r, "Mahas", "territory_change")
    assert aid(event.actor1) == "al-shabaab"
    assert event.place is not None
    assert (event.place.lat, event.place.lon, event.place.geonameid) == (None, None, None)
    assert event.place.country != "JOR"
    assert span(event.date) == day(dt.date(2024, 11, 14))


def test_without_publication_date_relative_dates_stay_unknown(readings: dict[str, Reading]) -> None:
    r = readings["undated"]
    event = one_event(r, "Kunduz", "territory_change")
    assert aid(event.actor1) == "taliban"
    assert (event.date.start, event.date.precision) == (None, "unknown")
    assert any("publication date" in w for w in r.warnings)
    ranges = [e.date for e in r.events] + [c.date for c in r.control] + [h.at for h in r.holds]
    today = dt.date.today()
    assert all(today not in (d.start, d.end) for d in ranges)


# --- the seed article ------------------------------------------------------------------------------


def _seed_change(seed: Reading, geonameid: int) -> ControlChange:
    found = [c for c in seed.control if c.place.geonameid == geonameid and c.status == "confirmed"]
    assert len(found) == 1, [(c.place.name, c.status) for c in seed.control]
    return found[0]


def test_seed_deir_ez_zor_taken_from_islamic_state(seed: Reading) -> None:
    change = _seed_change(seed, 170794)
    assert aid(change.controller) == "state:SYR"
    assert aid(change.previous) == "islamic-state"
    assert span(change.date) == day(dt.date(2017, 11, 3))


def test_seed_raqqa_taken_by_sdf(seed: Reading) -> None:
    change = _seed_change(seed, 172955)
    assert aid(change.controller) == "sdf"
    assert span(change.date) == day(dt.date(2017, 10, 17))


def test_seed_mosul_month_precision(seed: Reading) -> None:
    change = _seed_change(seed, 99072)
    assert aid(change.controller) == "state:IRQ"
    assert span(change.date) == (dt.date(2017, 7, 1), dt.date(2017, 7, 31), "month")


def test_seed_border_crossing_placed_between_the_two_towns(seed: Reading) -> None:
    crossings = [
        c
        for c in seed.control
        if c.status == "confirmed" and c.place.lat is not None and c.place.lon is not None
        and km((c.place.lat, c.place.lon), (34.4, 41.0)) <= 25
        and "crossing" in c.place.name.lower()
    ]
    assert len(crossings) == 1, [(c.place.name, c.place.lat, c.place.lon) for c in seed.control]
    assert aid(crossings[0].controller) == "state:IRQ"


def test_seed_holds_abu_kamal(seed: Reading) -> None:
    holds = [h for h in seed.holds if h.place.geonameid == 174448]
    assert [aid(h.controller) for h in holds] == ["islamic-state"]


def test_seed_force_estimates_attributed_to_the_us(seed: Reading) -> None:
    estimates = {
        (e.place.geonameid if e.place else None, e.quantity.min, e.quantity.max, aid(e.source))
        for e in seed.events
        if e.type == "force_estimate" and e.quantity is not None and e.quantity.kind == "fighters"
    }
    assert estimates == {(92138, 1500, 2500, "state:USA"), (174448, 2000, 3000, "state:USA")}


def test_seed_relations(seed: Reading) -> None:
    relations = {(x.type, aid(x.actor1), aid(x.actor2)) for x in seed.relations}
    pairs = {(t, frozenset((a, b))) for t, a, b in relations}
    assert ("supports", "state:USA", "sdf") in relations
    for partner in ("state:RUS", "state:IRN", "hezbollah"):
        assert ("allied", frozenset(("state:SYR", partner))) in pairs


def test_seed_headline_list_yields_no_events(seed: Reading) -> None:
    text = seed.article.text
    headlines_start = text.index("\n- ")  # the "related articles" list that ends the page
    assert text.count("\n- ") == 3
    assert "U.S." in text[text.rindex("\n", 0, headlines_start) : headlines_start]
    evidence = [e.evidence for e in seed.events] + [c.evidence for c in seed.control]
    assert evidence
    assert all(ev.end <= headlines_start for ev in evidence)


def test_seed_evidence_offsets_point_into_the_text(seed: Reading) -> None:
    text = seed.article.text
    evidence = [e.evidence for e in seed.events] + [c.evidence for c in seed.control]
    evidence += [h.evidence for h in seed.holds] + [x.evidence for x in seed.relations]
    assert len(seed.events) >= 5
    for ev in evidence:
        assert ev.document == seed.article.id
        assert text[ev.start : ev.end] == ev.sentence


def test_claimed_control_denied_by_the_other_side_is_disputed(readings: dict[str, Reading]) -> None:
    [change] = changes_at(readings["claimed_control"], "Tall ‘Afar")
    assert aid(change.controller) == "islamic-state"
    assert change.status == "disputed"


def test_raising_verb_keeps_its_subject_and_the_deadline_makes_it_planned(readings: dict[str, Reading]) -> None:
    [change] = changes_at(readings["raising"], "Laçın")
    assert aid(change.controller) == "state:AZE"
    assert change.status == "planned"
    assert change.date.start == dt.date(2024, 12, 1)


def test_a_town_the_text_describes_is_kept_without_coordinates(readings: dict[str, Reading]) -> None:
    [change] = readings["described_town"].control
    assert change.place.name == "Minova"  # not Goma, named in the appositive
    assert change.place.lat is None and change.place.lon is None
    assert span(change.date) == (dt.date(2024, 11, 11), dt.date(2024, 11, 17), "week")


def test_a_namesake_in_another_country_than_the_sentence_states_is_not_used(readings: dict[str, Reading]) -> None:
    [change] = readings["stated_country"].control
    assert change.place.name == "Palma"
    assert change.place.country == "MOZ"  # GeoNames only has Palma in Spain and elsewhere
    assert change.place.lat is None


def test_coordinated_places_share_the_change(readings: dict[str, Reading]) -> None:
    names = sorted(c.place.name for c in readings["coordinated"].control)
    assert names == ["Sar-e Pul", "Taloqan"]
    assert all(aid(c.controller) == "taliban" for c in readings["coordinated"].control)


def test_a_relative_clause_hung_inside_an_apposition_describes_the_named_place(
    readings: dict[str, Reading],
) -> None:
    # The parser hangs "which it seized" on "border"; what was seized is Paletwa.
    changes = readings["apposed_relative"].control
    assert [(c.place.name, aid(c.controller), span(c.date)) for c in changes] == [
        ("Paletwa", "arakan-army", (dt.date(2024, 1, 1), dt.date(2024, 1, 31), "month"))
    ]


def test_months_after_dates_the_earlier_event_from_the_later_one(readings: dict[str, Reading]) -> None:
    changes = sorted(readings["months_after"].control, key=lambda c: c.date.start or dt.date.min)
    assert [(aid(c.controller), span(c.date)) for c in changes] == [
        ("tplf", (dt.date(2024, 3, 1), dt.date(2024, 3, 31), "month")),
        ("state:ETH", day(dt.date(2024, 11, 20))),
    ]


def test_a_later_hedge_makes_the_reported_change_a_claim(readings: dict[str, Reading]) -> None:
    [change] = readings["unconfirmed"].control
    assert (change.place.name, aid(change.controller), change.status) == ("Robotyne", "state:RUS", "claimed")


def test_is_to_be_handed_over_is_a_planned_change_after_publication(readings: dict[str, Reading]) -> None:
    [change] = readings["to_be_handed"].control
    assert (change.place.name, aid(change.controller), change.status) == ("Manbij", "state:SYR", "planned")
    assert change.date.start == PUB and change.date.basis == "publication"  # no day given: from publication on


def test_a_governments_statement_without_a_place_is_made_in_its_capital(readings: dict[str, Reading]) -> None:
    [event] = [e for e in readings["capital"].events if e.type == "statement"]
    assert aid(event.actor1) == "state:USA"
    assert event.place is not None and (event.place.name, event.place.country) == ("Washington", "USA")
    assert span(event.date) == day(dt.date(2024, 11, 19))
