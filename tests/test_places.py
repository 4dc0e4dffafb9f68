"""Place recognition and resolution in news text, on sentences written for these tests."""

from __future__ import annotations

import pytest

from frontwatch.resolve.gazetteer import get_gazetteer
from frontwatch.resolve.places import (
    PlaceContext,
    PlaceMention,
    distance_km,
    find_place_mentions,
    mention_at,
    offset_point,
    relational_point,
    resolve,
    resolve_all,
)
from frontwatch.schema import Place


@pytest.fixture(scope="module", autouse=True)
def _gazetteer() -> None:
    get_gazetteer()  # load once for the module


def names(text: str, **kw: object) -> list[str]:
    return [m.name for m in find_place_mentions(text, **kw)]  # type: ignore[arg-type]


def resolved(text: str) -> dict[str, Place | None]:
    mentions = find_place_mentions(text)
    return {m.text: p for m, p in zip(mentions, resolve_all(mentions), strict=True)}


# ---------------------------------------------------------------- recognition


def test_transliterations_resolve_to_one_town() -> None:
    text = (
        "Troops reached Deir ez-Zor on Monday. Reporters in Dayr az Zawr saw smoke, "
        "and residents of Deir al-Zour said the bridge was down."
    )
    places = [p for p in resolved(text).values() if p is not None]
    assert [p.geonameid for p in places] == [170794, 170794, 170794]
    assert all(p.id == "gn:170794" and p.country == "SYR" and p.geo_precision == 1 for p in places)


def test_article_forms_and_variants() -> None:
    text = "Fighters left al-Qaim for Albu Kamal, then moved on to Abu Kamal's outskirts and el-Fasher."
    got = resolved(text)
    assert got["al-Qaim"].geonameid == 92138  # type: ignore[union-attr]
    assert got["Albu Kamal"].geonameid == got["Abu Kamal"].geonameid == 174448  # type: ignore[union-attr]
    assert got["el-Fasher"].geonameid == 379555  # type: ignore[union-attr]


def test_city_versus_province_of_the_same_name() -> None:
    text = (
        "The army holds Deir ez-Zor city but much of Deir ez-Zor province is contested. Deir ez-Zor is calm."
    )
    mentions = find_place_mentions(text)
    assert [(m.name, m.kind_hint) for m in mentions] == [
        ("Deir ez-Zor", "city"),
        ("Deir ez-Zor", "admin1"),
        ("Deir ez-Zor", None),
    ]
    city, province, bare = resolve_all(mentions)
    assert city.kind == "city" and city.geonameid == 170794  # type: ignore[union-attr]
    assert province.kind == "admin1" and province.geo_precision == 3  # type: ignore[union-attr]
    assert bare.kind == "city"  # type: ignore[union-attr]


def test_kind_from_the_words_before() -> None:
    (m,) = find_place_mentions("Rebels entered the province of Idlib.")
    assert m.kind_hint == "admin1"
    assert resolve(m).kind == "admin1"  # type: ignore[union-attr]


def test_raqqa_is_the_city() -> None:
    (m,) = find_place_mentions("Coalition jets struck Raqqa overnight.")
    assert resolve(m).geonameid == 172955  # type: ignore[union-attr]


def test_context_chooses_lyman_in_donetsk() -> None:
    text = (
        "Russian forces shelled Bakhmut in Ukraine's Donetsk region on Tuesday. "
        "Ukrainian troops later retook Lyman, a rail hub to the north."
    )
    got = resolved(text)
    assert got["Lyman"].geonameid == 704204  # type: ignore[union-attr]
    assert got["Donetsk region"].kind == "admin1"  # type: ignore[union-attr]


def test_context_can_overrule_population() -> None:
    # Lyman, Wyoming (pop. 2k) is smaller than Lyman in Donetsk (pop. 20k): context must win.
    (m,) = find_place_mentions("The storm hit Lyman late on Sunday.")
    assert resolve(m).country == "UKR"  # type: ignore[union-attr]
    usa = PlaceContext(countries={"USA": 3.0}, admin1={"Wyoming"})
    assert resolve(m, usa).geonameid == 5831346  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "name", "geonameid"),
    [
        ("The RSF stormed Wad Madani in December.", "Wad Madani", 364103),
        ("Paramilitaries besieged El Fasher for months.", "El Fasher", 379555),
        ("Wagner fighters claimed Bakhmut in May.", "Bakhmut", 713174),
        ("Russian troops entered Avdiivka after a long siege.", "Avdiivka", 713122),
        ("Ukrainian forces recaptured Izium in September.", "Izium", 707292),
    ],
)
def test_other_wars(text: str, name: str, geonameid: int) -> None:
    (m,) = find_place_mentions(text)
    assert m.name == name
    assert resolve(m).geonameid == geonameid  # type: ignore[union-attr]


def test_people_are_not_places() -> None:
    text = (
        "President Vladimir Putin met Prime Minister Haider al-Abadi. "
        "Lieutenant General Abdul Wahab al-Saadi said Mosul was quiet."
    )
    assert names(text) == ["Mosul"]


def test_demonyms_and_common_words_are_not_places() -> None:
    text = (
        "Syrian, Iraqi, Kurdish and Turkish officials met in May. Much was agreed.\n"
        "Public anger grew. Officials said Islamic State had lost ground. Hours later, Residents fled.\n"
        "Commanders said the Army and Coalition Forces were near the Euphrates valley on Monday."
    )
    assert names(text) == []


def test_excluded_spans_are_skipped() -> None:
    text = "Fighters from Raqqa Brigade entered Raqqa."
    first = text.index("Raqqa")
    got = find_place_mentions(text, exclude=[(first, first + len("Raqqa Brigade"))])
    assert [m.start for m in got] == [text.rindex("Raqqa")]


def test_acronyms_and_compound_adjectives_are_not_places() -> None:
    assert names("IS and the SAA fought in Soviet-era barracks near Palmyra.") == ["Palmyra"]


def test_unknown_name_does_not_leak_its_parts() -> None:
    # "Ain Dibs" is not in the gazetteer; neither word alone is the place.
    assert names("Fighters held Ain Dibs for a week.") == []


def test_unknown_place_only_when_asked() -> None:
    text = "Gunmen seized the village of Qaryat Zahwat on Friday."
    assert find_place_mentions(text) == []
    (m,) = find_place_mentions(text, unknown=True)
    assert m.name == "Qaryat Zahwat" and m.candidates == []
    assert resolve(m) is None
    place = resolve(m, unknown=True)
    assert place is not None
    assert place.id == "fw:unknown:qaryat-zahwat" and place.lat is None and place.lon is None


def test_sites_from_the_data_file() -> None:
    (m,) = find_place_mentions("The SDF took control of the Tabqa Dam.")
    place = resolve(m)
    assert place is not None and place.id == "fw:tabqa-dam" and place.kind == "site"


def test_headline_caps_do_not_make_places() -> None:
    assert names("Army Recaptures Deir ez-Zor City From Militants") == ["Deir ez-Zor"]


# ---------------------------------------------------------------- relations


def test_between_gives_the_midpoint() -> None:
    text = "Clashes erupted on the road between al-Qaim and Abu Kamal."
    a, b = find_place_mentions(text)
    assert a.relation == b.relation == "between"
    assert a.partner == (b.start, b.end)
    pa, pb = resolve_all([a, b])
    point = relational_point(a, pa, pb)  # type: ignore[arg-type]
    assert point.geo_precision == 2 and point.geonameid is None
    assert point.lat == pytest.approx((pa.lat + pb.lat) / 2)  # type: ignore[union-attr, operator]
    assert distance_km((point.lat, point.lon), (pa.lat, pa.lon)) < 15  # type: ignore[arg-type]


def test_distance_and_direction_give_an_offset_point() -> None:
    (m,) = find_place_mentions("Airstrikes hit a convoy about 40 km west of Raqqa.")
    assert (m.relation, m.offset_km, m.bearing) == ("west of", 40.0, 270.0)
    raqqa = resolve(m)
    point = relational_point(m, raqqa)  # type: ignore[arg-type]
    assert point.geo_precision == 2
    assert distance_km((point.lat, point.lon), (raqqa.lat, raqqa.lon)) == pytest.approx(40, abs=0.5)  # type: ignore[arg-type]
    assert point.lon < raqqa.lon  # type: ignore[operator]
    assert point.lat == pytest.approx(raqqa.lat, abs=0.01)  # type: ignore[union-attr]


def test_miles_are_converted() -> None:
    (m,) = find_place_mentions("The base lies 10 miles south of Mosul.")
    assert m.offset_km == pytest.approx(16.09, abs=0.01) and m.bearing == 180.0


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Shelling was reported near Mayadin.", "near"),
        ("Troops dug in on the outskirts of Bakhmut.", "outskirts"),
        ("Villages south of Mayadin were emptied.", "south of"),
        ("Raids continued in the eastern Deir ez-Zor countryside.", "countryside"),
    ],
)
def test_relation_without_distance_keeps_the_point(text: str, relation: str) -> None:
    (m,) = find_place_mentions(text)
    assert m.relation == relation and m.offset_km is None
    place = resolve(m)
    point = relational_point(m, place)  # type: ignore[arg-type]
    assert (point.lat, point.lon) == (place.lat, place.lon)  # type: ignore[union-attr]
    assert point.geo_precision == 2 and point.id.startswith(place.id + "@")  # type: ignore[union-attr]


def test_no_relation_returns_the_place() -> None:
    (m,) = find_place_mentions("Protesters gathered in Kharkiv.")
    place = resolve(m)
    assert m.relation is None and relational_point(m, place) is place  # type: ignore[arg-type]


def test_offset_point_is_geodesic() -> None:
    lat, lon = offset_point(0.0, 0.0, 111.195, 0.0)
    assert lat == pytest.approx(1.0, abs=1e-3) and lon == pytest.approx(0.0, abs=1e-9)


def test_mention_offsets_point_into_the_text() -> None:
    text = "After weeks of fighting, rebels took Kafranbel and Saraqib."
    mentions = find_place_mentions(text)
    assert [m.text for m in mentions] == ["Kafranbel", "Saraqib"]
    for m in mentions:
        assert isinstance(m, PlaceMention) and text[m.start : m.end] == m.text


# ---------------------------------------------------------------- article-wide resolution


def test_one_name_one_place_in_an_article() -> None:
    # Repeating "Alexandria" must not outvote the state named once: Virginia's Alexandria.
    text = "Alexandria police said. Alexandria schools closed. In Alexandria, Virginia, roads flooded."
    places = resolved(text)
    assert places["Alexandria"] is not None and places["Alexandria"].country == "USA"
    assert places["Alexandria"].admin1 == "Virginia"


def test_names_agree_on_a_region() -> None:
    # Athens and Clarke County: the pair that shares a US state wins over the Greek capital.
    places = resolved("Athens officials met Clarke County commissioners on the budget.")
    athens = places["Athens"]
    assert athens is not None and athens.country == "USA" and athens.admin1 == "Georgia"


def test_a_bare_name_is_the_division_when_no_town_of_its_name_lies_inside() -> None:
    # California the state, not one of the small towns called California elsewhere.
    places = resolved("Wildfires spread across California on Monday.")
    assert places["California"] is not None and places["California"].kind == "admin1"


def test_a_country_name_is_the_country() -> None:
    places = resolved("Mexico City officials said Mexico would send aid.")
    assert places["Mexico City"] is not None and places["Mexico City"].kind == "city"
    assert places["Mexico"] is not None and places["Mexico"].kind == "country"


def test_mention_at_a_span_found_elsewhere() -> None:
    text = "Fighting in Russian-held areas; the Rapides Parish sheriff said."
    gaz = get_gazetteer()
    demonym = mention_at(text, 12, 19, gaz)  # "Russian"
    assert [e.country for e in demonym.candidates] == ["RUS"]
    parish = mention_at(text, 36, 50, gaz)  # "Rapides Parish"
    assert parish.text == "Rapides Parish" and {e.kind for e in parish.candidates} == {"admin2"}
    assert resolve(parish) is not None


def test_metonymy_capital_acting_is_not_a_place() -> None:
    import datetime as dt

    from frontwatch.extract.reader import read_article
    from frontwatch.schema import Article

    article = Article(
        text="Moscow said on Tuesday that its forces had captured Avdiivka.",
        published=dt.date(2024, 2, 20),
        published_basis="record",
    )
    reading = read_article(article)
    places = {e.place.name for e in reading.events if e.place is not None}
    assert "Moscow" not in places


# ---------------------------------------------------------------- qualifiers, lists, abbreviations


def test_the_qualifier_after_a_comma_decides() -> None:
    places = resolved("Flooding closed schools in Paris, Texas, and in Athens, Ga., on Monday.")
    assert places["Paris"].country == "USA" and places["Paris"].admin1 == "Texas"  # type: ignore[union-attr]
    assert places["Athens"].admin1 == "Georgia"  # type: ignore[union-attr]
    bare = resolved("Flooding closed schools in Paris on Monday.")
    assert bare["Paris"].country == "FRA"  # type: ignore[union-attr]


def test_a_division_among_divisions_and_a_country_among_countries() -> None:
    states = resolved("Flu was reported in Ohio, Utah, Idaho and Oregon.")
    assert states["Oregon"].kind == "admin1"  # type: ignore[union-attr]
    countries = resolved("Gainesville pilots flew over Texas, then to Italy, Japan and China.")
    assert countries["China"].kind == "country"  # type: ignore[union-attr]


def test_abbreviations_in_running_text() -> None:
    text = "The U.S. and the UK sent aid to the DRC. The mayor of Athens, Ga., and Miss. Jones spoke."
    found = {m.text: m.candidates[0] for m in find_place_mentions(text)}
    assert found["U.S."].country == "USA" and found["UK"].country == "GBR" and found["DRC"].country == "COD"
    assert found["Ga."].kind == "admin1"
    assert "Miss." not in found  # a title, not Mississippi, where it qualifies nothing


def test_people_named_like_towns_are_not_places() -> None:
    text = "Sen. Sherrod Brown met John Moore in Cleveland. Moore said the plant will stay. Brown agreed."
    assert names(text) == ["Cleveland"]


def test_contractions_and_heads_of_longer_names_are_not_places() -> None:
    assert names("I've seen it on Main Street after the Olympic Games.") == []


def test_a_demonym_span_is_its_country_before_a_town() -> None:
    text = "The Canadian delegation arrived."
    start = text.index("Canadian")
    m = mention_at(text, start, start + len("Canadian"))
    (place,) = resolve_all([m])
    assert place is not None and place.kind == "country" and place.country == "CAN"


def test_a_listed_division_does_not_swallow_its_namesake_town() -> None:
    text = "IS still holds part of Deir ez-Zor province. Raqqa fell in October."
    places = resolved(text)
    assert places["Raqqa"].kind == "city"  # type: ignore[union-attr]


def test_surnames_from_full_names_are_people_through_the_article() -> None:
    text = "Officer Maria Flores said the crash happened in Tulsa. Flores said no one was hurt."
    assert names(text) == ["Tulsa"]


def test_common_first_names_start_people_not_places_unless_the_whole_names_a_place() -> None:
    # "Mary", "Linda" are census first names; "Virginia Beach" is a city as a whole.
    assert names("Mary Flores and Linda Bell met in Tulsa.") == ["Tulsa"]
    assert names("Flooding hit Virginia Beach on Monday.") == ["Virginia Beach"]


def test_a_middle_initial_marks_a_surname() -> None:
    assert names("Boyd J. Jones spoke in Tulsa. Jones said the road was closed.") == ["Tulsa"]


def test_a_populous_division_by_its_own_name_beats_small_namesakes() -> None:
    # Pennsylvania has a village called California; the article means the state.
    places = resolved("Officials in Pennsylvania said the outbreak began in California.")
    assert places["California"].kind == "admin1"  # type: ignore[union-attr]


def test_a_large_city_by_its_own_name_beats_small_namesakes_without_context() -> None:
    places = resolved("The patient had flown in from Toronto.")
    assert places["Toronto"].country == "CAN"  # type: ignore[union-attr]


def test_streets_and_buildings_named_after_places_are_not_places() -> None:
    assert names("The lane from Main Street to College Avenue is closed. City Hall said so.") == []


def test_a_preposition_licenses_only_the_word_right_after_it() -> None:
    # "in 1993. She ..." : "in" does not make the next sentence's first word a place.
    assert names("She graduated in 1993. She attended law school.") == []


def test_a_world_city_is_not_moved_to_a_village_of_the_article_s_state() -> None:
    places = resolved("Health officials in Texas and Ohio said the patient had flown in from Toronto.")
    assert places["Toronto"].country == "CAN"  # type: ignore[union-attr]
    # A village of that name still wins where the text says so.
    assert resolved("The fire was in Toronto, Ohio.")["Toronto"].admin1 == "Ohio"  # type: ignore[union-attr]


def test_a_division_is_not_its_city_whose_alternate_name_it_is() -> None:
    # "Oklahoma" and "New York" are the states' own names; GeoNames lists them only as
    # alternate names of Oklahoma City and New York City, so the states win...
    places = resolved("Storms hit Oklahoma and New York on Monday.")
    assert places["Oklahoma"].kind == "admin1"  # type: ignore[union-attr]
    assert places["New York"].kind == "admin1"  # type: ignore[union-attr]
    # ... while a town called by the very name still takes a bare division name.
    assert resolved("Fighting went on in Raqqa.")["Raqqa"].kind == "city"  # type: ignore[union-attr]
    assert resolved("Pilgrims reached Mecca.")["Mecca"].kind == "city"  # type: ignore[union-attr]


def test_a_world_city_and_the_province_around_it_are_one_area() -> None:
    # Moscow (the city) and Moscow Oblast are separate GeoNames divisions; the Pennsylvania
    # and Idaho towns must not win Moscow because of the American places beside it.
    text = "Flights from New York, Washington and Atlanta to Moscow start in June. Moscow officials agreed."
    moscow = resolved(text)["Moscow"]
    assert moscow is not None and moscow.country == "RUS"


def test_names_with_namesakes_side_by_side_find_each_other() -> None:
    # Paris and Henry County each name a dozen places; only in Tennessee does one of each
    # lie beside the other (Paris is Henry County's seat). Illinois also has both names,
    # far apart, and must not win on the size of its Paris.
    places = resolved("Paris and Henry County are rich in history. The Henry County class toured Paris.")
    assert places["Paris"].admin1 == "Tennessee"  # type: ignore[union-attr]
    assert places["Henry County"].admin1 == "Tennessee"  # type: ignore[union-attr]
    # A world city keeps its reading when nothing of the article lies beside a namesake.
    assert resolved("Flights from Paris and London resumed.")["Paris"].country == "FRA"  # type: ignore[union-attr]


def test_neighbour_votes_come_only_from_other_names() -> None:
    from frontwatch.resolve.places import _neighbour_votes

    gaz = get_gazetteer()
    text = "Paris and Henry County"
    paris, henry = mention_at(text, 0, 5, gaz), mention_at(text, 10, 22, gaz)
    alone = _neighbour_votes([paris], set())
    assert alone == [set()]  # a name never votes for itself
    votes = _neighbour_votes([paris, henry], set())
    voted = [e for e in paris.candidates if id(e) in votes[0]]
    assert voted and all(e.country == "USA" for e in voted)
    assert _neighbour_votes([paris, henry], {0})[0] == set()  # a settled name gets no votes


def test_newspaper_titles_and_currencies_are_not_places() -> None:
    assert names("The New York Times and China Daily reported it.") == []
    assert names("a settlement of US$460 million, or $US 1.5 billion") == []
    assert names("Officials in the US said so.") == ["US"]


def test_a_loose_spelling_does_not_vote_for_a_region() -> None:
    # "Headington" matches only Haddington (Scotland, Pennsylvania) by a loose spelling: too
    # weak to pull the article's other names (Oxford) to either.
    from frontwatch.resolve.places import _neighbour_votes, _regions

    gaz = get_gazetteer()
    text = "Headington and Oxford"
    loose, oxford = mention_at(text, 0, 10, gaz), mention_at(text, 15, 21, gaz)
    assert loose.candidates and set(loose.quality) == {"loose"}
    assert _regions(loose) == {}
    assert _regions(oxford)  # a name matched as written does vote
    votes = _neighbour_votes([oxford, loose], set())
    assert votes[0] == set()


def test_a_small_place_after_a_capitalised_ordinary_word_ends_a_longer_name() -> None:
    assert names("More than 200 residents packed City Hall on Tuesday.") == []
    # A large place keeps its reading, and so does a small one the text marks as a place.
    assert names("Residents of North Carolina and West Aleppo met.") == ["North Carolina", "Aleppo"]
    # A day, a month or a people's name before a small town qualifies it; it starts no longer name.
    assert "Zaranj" in names("The Taliban seized Sheberghan, and on Friday Zaranj became the first capital to fall.")
    assert "Kobani" in names("The fighters said Kurdish Kobani had held out.")


@pytest.mark.parametrize(
    ("people", "place"),
    [("Ohioans", "Ohio"), ("Texan", "Texas"), ("Minnesotans", "Minnesota"), ("Ontarians", "Ontario")],
)
def test_a_people_span_marked_as_a_place_is_the_place_it_is_named_after(people: str, place: str) -> None:
    text = f"Many {people} voted."
    mention = mention_at(text, 5, 5 + len(people))
    resolved_place = resolve_all([mention])[0]
    assert resolved_place is not None and resolved_place.name == place and resolved_place.kind == "admin1"
    assert names(text) == []  # the recogniser itself does not take a people for a place


def test_cities_named_by_their_initials() -> None:
    places = resolved("He moved from NYC to L.A. last year.")
    assert places["L.A."].name == "Los Angeles" and places["L.A."].admin1 == "California"  # type: ignore[union-attr]
    assert places["NYC"].name == "New York City"  # type: ignore[union-attr]


# ---------------------------------------------------------------- round 5: capitals, kinds, groups


def _at(text: str, span: str, nth: int = 0) -> PlaceMention:
    k = -1
    for _ in range(nth + 1):
        k = text.index(span, k + 1)
    return mention_at(text, k, k + len(span), get_gazetteer())


def test_a_national_capital_by_its_own_name_is_the_capital() -> None:
    places = resolved("Talks in Washington went on for hours.")
    assert places["Washington"].kind == "city" and places["Washington"].admin1 == "District of Columbia"  # type: ignore[union-attr]
    # The text still makes it the state: "the state of Washington", a list of states.
    assert resolved("Cases rose in the state of Washington.")["Washington"].kind == "admin1"  # type: ignore[union-attr]
    assert resolved("Cases rose in Oregon, Idaho and Washington.")["Washington"].kind == "admin1"  # type: ignore[union-attr]


def test_one_other_division_is_no_list() -> None:
    places = resolved("New York officials flew to Washington for talks.")
    assert places["New York"].kind == "admin1"  # type: ignore[union-attr]
    assert places["Washington"].kind == "city"  # type: ignore[union-attr]


def test_a_division_word_after_a_drawn_span_makes_it_the_division() -> None:
    text = "Georgia state officials said the rule stands."
    mention = _at(text, "Georgia")
    assert mention.kind_hint == "admin1"
    place = resolve_all([mention])[0]
    assert place is not None and place.country == "USA" and place.kind == "admin1"
    # A town word does not split a name from its other mentions ("London city council").
    assert _at("The London city council met.", "London").kind_hint is None


def test_a_kind_word_owned_by_another_name_says_nothing_of_the_next() -> None:
    mention = _at("It lies near Lake Titicaca in the Puno region of Peru on the border.", "Peru")
    assert mention.kind_hint is None
    assert resolve_all([mention])[0].kind == "country"  # type: ignore[union-attr]
    assert _at("Shelling hit the region of Idlib.", "Idlib").kind_hint == "admin1"


def test_a_dateline_names_a_town() -> None:
    text = "Book sale opens. MALTA – About 5,000 books are stacked near the entrance."
    mention = _at(text, "MALTA")
    assert mention.kind_hint == "city"
    assert resolve_all([mention])[0].kind == "city"  # type: ignore[union-attr]
    # Mid-sentence, a dash is no dateline.
    assert _at("Flights to Malta - and to Cyprus - resumed.", "Malta").kind_hint != "city"


def test_a_qualified_mention_settles_the_name_for_the_article() -> None:
    # The first "Athens" says nothing; the later "Athens, Ga." decides for both.
    text = "Athens police said roads were closed. Later, in Athens, Ga., schools reopened."
    first, second = _at(text, "Athens"), _at(text, "Athens", 1)
    assert first.within is None and second.within is not None
    places = resolve_all([first, second])
    assert [p.admin1 for p in places] == ["Georgia", "Georgia"]  # type: ignore[union-attr]


def test_a_drawn_span_keeps_a_kind_word_that_is_part_of_the_name() -> None:
    mention = _at("Schools in Mexico City closed; Mexico sent aid.", "Mexico City")
    assert mention.name == "Mexico City"
    places = resolve_all([mention, _at("Schools in Mexico City closed; Mexico sent aid.", "Mexico", 1)])
    assert places[0].kind == "city" and places[1].kind == "country"  # type: ignore[union-attr]


def test_names_of_which_one_is_the_other_and_more_do_not_vote_as_neighbours() -> None:
    from frontwatch.resolve.places import _neighbour_votes

    text = "Platte County and Platte"
    county, bare = _at(text, "Platte County"), mention_at(text, 18, 24, get_gazetteer())
    assert _neighbour_votes([county, bare], set()) == [set(), set()]
    # Unrelated names still find each other (Paris and Henry County, Tennessee).
    text = "Paris and Henry County"
    assert any(_neighbour_votes([_at(text, "Paris"), _at(text, "Henry County")], set()))


def test_abbreviated_qualifiers_qualify_even_a_division_name() -> None:
    mention = _at("Georgia, U.S. officials said.", "Georgia")
    assert mention.within is not None and mention.within.country == "USA"
    assert resolve_all([mention])[0].kind == "admin1"  # type: ignore[union-attr]
    # Written out, a comma after a division's name is a list, not a qualifier.
    assert _at("Utah, Washington, Pennsylvania and Ohio", "Washington").within is None


def test_drawn_abbreviations_with_spaces_resolve() -> None:
    text = "Charles Williams, of Wood County, W. Va., is held."
    place = resolve_all([_at(text, "W. Va.")])[0]
    assert place is not None and place.name == "West Virginia"
    assert names("Miss Smith and Ind voters") == []  # the recogniser keeps to forms as written


def test_the_article_tally_gives_the_context_of_the_other_names() -> None:
    from frontwatch.resolve.places import _Tally

    gaz = get_gazetteer()
    picks = [resolve(mention_at(n, 0, len(n), gaz)) for n in ("Ohio", "Columbus", "Ohio", "Texas", "Mexico")]
    base = PlaceContext(countries={"USA": 0.5})
    tally = _Tally(base)
    for p in picks:
        tally.add(p)
    for k, own in enumerate(picks):
        expected = PlaceContext(dict(base.countries))
        for j, p in enumerate(picks):
            if j != k:
                expected.add(p, 2.0 if p.kind in ("country", "admin1") else 1.0)  # type: ignore[union-attr,arg-type]
        got = tally.context_without(own)
        assert got.countries == expected.countries and got.admin1 == expected.admin1
        assert got.admin1_weight == expected.admin1_weight and got.admin1_top == expected.admin1_top
        assert {g: s for g, s in got.divisions.items() if s} == expected.divisions
        assert sorted(got.near) == sorted(expected.near)


def test_a_division_called_like_its_own_country_gives_way_to_the_country() -> None:
    mention = _at("Flu spread in Mexico.", "Mexico")
    state = next(e for e in mention.candidates if e.kind == "admin1")
    # Even where the article's other names lie in the state, the bare name is the country.
    context = PlaceContext(regions={(state.country, state.admin1): 1.0})  # type: ignore[dict-item]
    assert resolve(mention, context).kind == "country"  # type: ignore[union-attr]
    # The text can still say it is the state.
    assert resolve(_at("Rain fell in the state of Mexico.", "Mexico")).kind == "admin1"  # type: ignore[union-attr]


def test_a_drawn_town_of_name_span_is_that_town() -> None:
    text = "Ships waited outside the Port of Los Angeles; the Town of Groton voted."
    port, town = _at(text, "Port of Los Angeles"), _at(text, "Town of Groton")
    assert port.name == "Los Angeles" and port.kind_hint == "city"
    places = resolve_all([port, town])
    assert places[0].name == "Los Angeles" and places[0].admin1 == "California"  # type: ignore[union-attr]
    assert places[1].name == "Groton"  # type: ignore[union-attr]
    assert _at("Port of Spain was calm.", "Port of Spain").name == "Port of Spain"  # a name as a whole


def test_a_neighbour_vote_and_a_chosen_place_nearby_count_once() -> None:
    from frontwatch.resolve.places import context_score

    jackson = next(e for e in _at("Jackson", "Jackson").candidates if e.admin1 == "Mississippi")
    beside = [(jackson.lat, jackson.lon + 0.1)]  # about 9 km east
    assert context_score(jackson, PlaceContext(near=beside)) == 2.0
    assert context_score(jackson, PlaceContext(neighbours={id(jackson)})) == 2.0
    assert context_score(jackson, PlaceContext(near=beside, neighbours={id(jackson)})) == 2.0
    far = [(jackson.lat + 3.0, jackson.lon)]  # 330 km: a weak nearness, the vote says more
    assert context_score(jackson, PlaceContext(near=far, neighbours={id(jackson)})) == 2.0


def test_a_capital_among_other_capitals_is_the_capital() -> None:
    text = (
        "Flights linked Washington with Moscow, Kyiv and Minsk, said officials from Peoria, Illinois, "
        "and Springfield, Illinois."
    )
    assert resolved(text)["Washington"].admin1 == "District of Columbia"  # type: ignore[union-attr]
    # Without them, the article's state pulls the bare name to its town (Washington, Illinois).
    alone = resolved("Officials from Peoria, Illinois, and Springfield, Illinois, drove to Washington.")
    assert alone["Washington"].admin1 == "Illinois"  # type: ignore[union-attr]


def test_a_people_span_joins_its_place_s_mentions() -> None:
    # "New Londoners" is read with the article's "New London", not on its own.
    text = "New London police met. New Londoners asked why New London, Iowa, cut its budget."
    spans = [_at(text, "New London"), _at(text, "New Londoners"), _at(text, "New London", 2)]
    assert spans[1].name == "New London"
    places = resolve_all(spans)
    assert {p.admin1 for p in places} == {"Iowa"}  # type: ignore[union-attr]


def test_a_plural_kind_word_after_a_list_makes_every_name_of_it_that_kind() -> None:
    text = "Roads flooded in Becker, Clay, Douglas and Grant counties on Monday."
    places = resolved(text)
    for name in ("Becker", "Clay", "Douglas", "Grant"):
        place = places[name]
        assert place is not None and place.kind == "admin2" and place.name == f"{name} County", name
    # The counties of one state, found together: Minnesota has all four.
    assert {places[n].admin1 for n in ("Becker", "Clay", "Grant")} == {"Minnesota"}  # type: ignore[union-attr]
    assert _at("Shelling hit Idlib and Hama provinces.", "Idlib").kind_hint == "admin1"
    # A state's own name before "counties" is the state the counties lie in.
    assert _at("Rain fell on Texas and Oklahoma counties.", "Texas").kind_hint != "admin2"
    # Capitalised, the kind word ends a name: "Mexico and the United States" lists no states.
    assert _at("Cases in Mexico and United States rose.", "Mexico").kind_hint != "admin1"
    # Without the list, the bare name keeps its town.
    assert resolved("Clay police said the road reopened.")["Clay"].kind == "city"  # type: ignore[union-attr]


def test_regions_unions_and_peoples_a_conflict_tool_must_know() -> None:
    text = "South Ossetian forces and EU monitors met; the European Union and Sinhalese leaders spoke."
    places = resolve_all([_at(text, "South Ossetian"), _at(text, "EU"), _at(text, "European Union"),
                          _at(text, "Sinhalese")])  # fmt: skip
    assert [p.name for p in places] == ["South Ossetia", "European Union", "European Union", "Sri Lanka"]  # type: ignore[union-attr]
    assert places[1].kind == "union" and places[1].geo_precision == 3  # type: ignore[union-attr]
    # A continent's people is the continent, as a country's people is the country.
    assert resolve_all([_at("European leaders met.", "European")])[0].kind == "continent"  # type: ignore[union-attr]
    # In running text a union is an actor ("European Union sanctions"), not a place.
    assert "European Union" not in names("The European Union imposed sanctions on Minsk.")
    # A macro-region is left unplaced rather than put at a town of its name.
    assert resolve_all([_at("Peace in the Middle East is far.", "Middle East")])[0] is None


def test_a_dateline_s_capital_keeps_its_prior_among_towns() -> None:
    from frontwatch.resolve.places import CAPITAL_BONUS, rank

    # The dateline says "a town"; among towns the bare name is still the capital, as far
    # ahead of its namesakes as without the dateline, so a state named once or twice in the
    # story does not pull "WASHINGTON —" to the Washington of that state.
    dated = _at("WASHINGTON — The farm bill passed on Friday.", "WASHINGTON")
    bare = _at("The farm bill passed in Washington on Friday.", "Washington")
    assert dated.kind_hint == "city"
    for mention in (dated, bare):
        towns = [(score, e) for score, e in rank(mention, PlaceContext()) if e.kind == "city"]
        (s1, first), (s2, _second) = towns[:2]
        assert first.admin1 == "District of Columbia" and s1 - s2 >= CAPITAL_BONUS


def test_a_price_in_one_country_s_currency_places_the_story() -> None:
    from frontwatch.resolve.places import text_context

    text = "Richmond council will charge £30 a year for garden waste, residents of Kew heard."
    assert text_context(text).countries == {"GBR": 0.5}
    spans = [_at(text, "Richmond"), _at(text, "Kew")]
    places = resolve_all(spans, text_context(text))
    assert [p.country for p in places] == ["GBR", "GBR"]  # type: ignore[union-attr]
    # Without the price the pair is Melbourne's (both suburbs there touch, as in London).
    assert {p.country for p in resolve_all([_at(text, "Richmond"), _at(text, "Kew")])} != {"GBR"}  # type: ignore[union-attr]
    # Signs shared by several currencies, or glued to a letter (Egyptian pounds), say nothing.
    assert text_context("It cost $30, €20 and E£15.").countries == {}


def test_a_qualifier_is_the_division_that_holds_the_town_it_qualifies() -> None:
    text = "Samples went to the CDC in Atlanta, Georgia, from Sumatra, Indonesia, and Indonesia."
    spans = [_at(text, "Atlanta"), _at(text, "Georgia"), _at(text, "Sumatra"), _at(text, "Indonesia")]
    assert spans[0].within is not None and spans[0].within.country == "USA"
    places = resolve_all(spans)
    assert places[1].kind == "admin1" and places[1].country == "USA"  # type: ignore[union-attr]
    # A comma in a list qualifies nothing: Douglas (also the Isle of Man's capital) stays a county.
    listed = "Water covered roads in Becker, Clay, Douglas and Grant counties."
    assert _at(listed, "Clay").within is None
    assert resolve_all([_at(listed, n) for n in ("Becker", "Clay", "Douglas", "Grant")])[2].country == "USA"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # Calp's Spanish name is also an ancient name of Gibraltar, a town a little larger.
        ("Tourists crowded the beaches of Calpe this summer.", "Calp", "ESP"),
        # The Russian spelling of a Russian town, also an alternate of a larger Ukrainian one.
        ("Police in Alekseevka said the fire was out.", "Alekseyevka", "RUS"),
    ],
)
def test_an_alternate_that_spells_a_candidate_s_own_name_breaks_a_near_tie(text: str, name: str, country: str) -> None:
    (place,) = resolved(text).values()
    assert place is not None and (place.name, place.country) == (name, country)


def test_a_small_town_known_only_by_an_alternate_name_far_from_the_story_stays_unplaced() -> None:
    # "Konna" is an alternate name of Conna, a village of Ireland; the story is about Mali.
    mentions = find_place_mentions("French jets struck jihadists in Konna, central Mali, on Friday.")
    places = dict(zip((m.name for m in mentions), resolve_all(mentions, unknown=True), strict=True))
    assert places["Konna"] is not None and places["Konna"].lat is None
    assert places["Mali"] is not None and places["Mali"].country == "MLI"
    # A story about the town's own country keeps it; so does a story with nothing else to go by.
    assert resolved("Fighting near Ras al-Ain and Tal Abyad in Syria.")["Ras al-Ain"].country == "SYR"  # type: ignore[union-attr]
    # An alternate name strays at a larger size: "Market" is also Marquette, Michigan (21,297 people).
    assert resolved("A car bomb exploded near the Market in Kunduz, Afghanistan.")["Market"] is None
    alone = resolved("Police in Konna said the fire was out.")["Konna"]
    assert alone is not None and alone.country == "IRL"


def test_a_day_or_month_that_reads_as_no_time_starts_a_longer_name() -> None:
    # "Market" alone is an alternate name of Marquette, Michigan.
    assert "Market" not in names("The rebels took Kunduz and Friday Market in August.")
    assert names("Sheberghan fell, and on Friday Zaranj became the second capital to fall.")[-1] == "Zaranj"


def test_well_known_air_bases_are_sites() -> None:
    # GeoNames lists "Bagram" only as an alternate name of Bahrām, a village of Iran.
    places = resolved("U.S. troops handed over Bagram air base to Afghan forces; missiles struck Al Udeid.")
    assert places["Bagram"] is not None and places["Bagram"].country == "AFG"
    assert distance_km((places["Bagram"].lat, places["Bagram"].lon), (34.95, 69.27)) < 10  # type: ignore[arg-type]
    assert places["Al Udeid"] is not None and places["Al Udeid"].country == "QAT"


def test_a_small_namesake_by_its_own_name_far_from_the_story_stays_unplaced() -> None:
    # Aţ Ţawīlah is a village of Yemen; the Tawila of North Darfur is not in the gazetteer.
    mentions = find_place_mentions("RSF fighters stormed Kabkabiya and Tawila in North Darfur.")
    places = dict(zip((m.name for m in mentions), resolve_all(mentions, unknown=True), strict=True))
    assert places["Tawila"] is not None and places["Tawila"].lat is None
    assert places["Kabkabiya"] is not None and places["Kabkabiya"].country == "SDN"
    # Qualified, a small town is what the text says ("Clare, Michigan"), however far.
    assert resolved("Flooding hit Clare, Michigan, and Bunbury, Western Australia.")["Clare"].country == "USA"  # type: ignore[union-attr]


def test_a_word_that_only_villages_bear_as_another_name_is_no_place() -> None:
    # GeoNames lists "Passover" among the names of Mountain City, Tennessee, and "Lane" of Rochelle.
    assert names("Families gathered for Passover this week, Lane said.") == []
    # A former name of a larger town is kept; so is one the text marks as a place.
    assert resolved("Artemivsk residents fled.")["Artemivsk"].name == "Bakhmut"  # type: ignore[union-attr]
    assert names("They met in the town of Passover.") == ["Passover"]
